/* The Kerberos ticket hand-over: the session's TGT into the user's ccache. */
#include <errno.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <com_err.h>
#include <krb5/krb5.h>
#include <profile.h>

#include <security/pam_ext.h>
#include <security/pam_modutil.h>

#include <lsa/lsa_util.h>
#include <lsa/ntsecapi.h>

#include "ccache.h"
#include "kerberos.h"
#include "lsa_glue.h"

#define DEFAULT_CCACHE_NAME "FILE:/tmp/krb5cc_%{uid}"
/* Seconds between 1601-01-01 (NT time) and 1970-01-01. */
#define NT_EPOCH_OFFSET 11644473600LL

static void log_krb5(pam_handle_t *pamh, krb5_context k, krb5_error_code code, const char *what)
{
    const char *message = krb5_get_error_message(k, code);
    pam_syslog(pamh, LOG_ERR, "%s: %s", what, message);
    krb5_free_error_message(k, message);
}

/* ---- the name ---------------------------------------------------------------------- */

struct text {
    char *data;
    size_t used, cap;
    int failed;
};

static void put(struct text *t, const char *s, size_t n)
{
    if (t->failed)
        return;
    if (t->used + n + 1 > t->cap) {
        size_t cap = (t->used + n + 1) * 2;
        char *data = realloc(t->data, cap);
        if (data == NULL) {
            t->failed = 1;
            return;
        }
        t->data = data;
        t->cap = cap;
    }
    memcpy(t->data + t->used, s, n);
    t->used += n;
    t->data[t->used] = '\0';
}

/* TEMPLATE with MIT's parameters for the user PW (not the process): %{uid}, %{euid} and
 * %{USERID} are the user's uid, %{username} the name, %{TEMP} /tmp (the environment is
 * not trusted here), %{null} nothing.  NULL (logged) for any other parameter. */
static char *expand(pam_handle_t *pamh, const char *template, const struct passwd *pw)
{
    struct text t = { NULL, 0, 0, 0 };
    char uid[24];
    snprintf(uid, sizeof(uid), "%lu", (unsigned long)pw->pw_uid);
    put(&t, "", 0);
    for (const char *p = template; *p != '\0';) {
        const char *open = strstr(p, "%{");
        if (open == NULL) {
            put(&t, p, strlen(p));
            break;
        }
        put(&t, p, (size_t)(open - p));
        const char *close = strchr(open, '}');
        if (close == NULL) {
            pam_syslog(pamh, LOG_ERR, "default_ccache_name %s: unterminated %%{", template);
            free(t.data);
            return NULL;
        }
        size_t n = (size_t)(close - open - 2);
        const char *name = open + 2;
        if ((n == 3 && strncmp(name, "uid", 3) == 0) || (n == 4 && strncmp(name, "euid", 4) == 0) ||
            (n == 6 && strncmp(name, "USERID", 6) == 0))
            put(&t, uid, strlen(uid));
        else if (n == 8 && strncmp(name, "username", 8) == 0)
            put(&t, pw->pw_name, strlen(pw->pw_name));
        else if (n == 4 && strncmp(name, "TEMP", 4) == 0)
            put(&t, "/tmp", 4);
        else if (!(n == 4 && strncmp(name, "null", 4) == 0)) {
            pam_syslog(pamh, LOG_ERR, "default_ccache_name %s: parameter %%{%.*s} not supported",
                       template, (int)n, name);
            free(t.data);
            return NULL;
        }
        p = close + 1;
    }
    if (t.failed) {
        free(t.data);
        return NULL;
    }
    return t.data;
}

/* krb5.conf [libdefaults] default_ccache_name for PW, with a type prefix. */
static char *ccache_name(pam_handle_t *pamh, krb5_context k, const struct passwd *pw)
{
    profile_t profile = NULL;
    char *value = NULL;
    if (krb5_get_profile(k, &profile) == 0) {
        if (profile_get_string(profile, "libdefaults", "default_ccache_name", NULL, NULL,
                               &value) != 0)
            value = NULL;
        profile_release(profile);
    }
    char *name = expand(pamh, value != NULL ? value : DEFAULT_CCACHE_NAME, pw);
    if (value != NULL)
        profile_release_string(value);
    if (name == NULL)
        return NULL;
    if (name[0] == '/') { /* a bare path is a FILE: cache */
        char *typed = malloc(strlen(name) + 6);
        if (typed != NULL)
            sprintf(typed, "FILE:%s", name);
        free(name);
        name = typed;
    }
    if (name != NULL && strncmp(name, "MEMORY:", 7) == 0) {
        pam_syslog(pamh, LOG_ERR, "default_ccache_name %s: a MEMORY cache cannot be handed over",
                   name);
        free(name);
        return NULL;
    }
    return name;
}

/* ---- the credentials --------------------------------------------------------------- */

static krb5_timestamp unix_time(LARGE_INTEGER nt)
{
    if (nt.QuadPart <= 0)
        return 0;
    long long seconds = nt.QuadPart / 10000000LL - NT_EPOCH_OFFSET;
    if (seconds <= 0)
        return 0;
    if (seconds > INT32_MAX) /* "never": KERB_EXTERNAL_TICKET's maximum */
        return (krb5_timestamp)INT32_MAX;
    return (krb5_timestamp)seconds;
}

/* The principal NAME@REALM from its components, through krb5_build_principal_ext. */
static krb5_error_code principal(krb5_context k, const KERB_EXTERNAL_NAME *name,
                                 const UNICODE_STRING *realm, krb5_principal *out)
{
    *out = NULL;
    if (name == NULL || name->NameCount == 0 || name->NameCount > 8)
        return KRB5_PARSE_MALFORMED;
    char *parts[8] = { NULL };
    size_t lengths[8] = { 0 };
    char *r = NULL;
    size_t r_length = 0;
    krb5_error_code code = 0;
    if (lsa_unicode_string_to_utf8(realm, &r, &r_length) != STATUS_SUCCESS)
        code = KRB5_PARSE_MALFORMED;
    for (USHORT i = 0; code == 0 && i < name->NameCount; i++)
        if (lsa_unicode_string_to_utf8(&name->Names[i], &parts[i], &lengths[i]) != STATUS_SUCCESS)
            code = KRB5_PARSE_MALFORMED;
    if (code == 0) {
        /* krb5_build_principal_ext takes (length, bytes) pairs ended by 0; a principal has
         * one to a few components (NameCount <= 8 checked above). */
#define C(i) (unsigned int)lengths[i], parts[i]
        switch (name->NameCount) {
        case 1: code = krb5_build_principal_ext(k, out, (unsigned)r_length, r, C(0), 0); break;
        case 2: code = krb5_build_principal_ext(k, out, (unsigned)r_length, r, C(0), C(1), 0); break;
        case 3:
            code = krb5_build_principal_ext(k, out, (unsigned)r_length, r, C(0), C(1), C(2), 0);
            break;
        default:
            code = KRB5_PARSE_MALFORMED;
        }
#undef C
    }
    if (code == 0)
        (*out)->type = name->NameType;
    for (int i = 0; i < 8; i++)
        if (parts[i] != NULL)
            lsa_free_utf8(parts[i]);
    if (r != NULL)
        lsa_free_utf8(r);
    return code;
}

/* CREDS (contents only; free with krb5_free_cred_contents) from the package's ticket.
 * DomainName is the client's realm, TargetDomainName the service's (the TGT's). */
static krb5_error_code to_creds(krb5_context k, const KERB_EXTERNAL_TICKET *t, krb5_creds *creds)
{
    memset(creds, 0, sizeof(*creds));
    if (t->EncodedTicket == NULL || t->EncodedTicketSize == 0 || t->SessionKey.Value == NULL ||
        t->SessionKey.Length == 0)
        return KRB5_NO_TKT_SUPPLIED;
    krb5_error_code code = principal(k, t->ClientName, &t->DomainName, &creds->client);
    if (code == 0)
        code = principal(k, t->ServiceName,
                         t->TargetDomainName.Length ? &t->TargetDomainName : &t->DomainName,
                         &creds->server);
    if (code == 0) {
        creds->keyblock.magic = KV5M_KEYBLOCK;
        creds->keyblock.enctype = t->SessionKey.KeyType;
        creds->keyblock.length = t->SessionKey.Length;
        creds->keyblock.contents = malloc(t->SessionKey.Length);
        creds->ticket.data = malloc(t->EncodedTicketSize);
        if (creds->keyblock.contents == NULL || creds->ticket.data == NULL)
            code = ENOMEM;
    }
    if (code != 0) {
        krb5_free_cred_contents(k, creds);
        return code;
    }
    memcpy(creds->keyblock.contents, t->SessionKey.Value, t->SessionKey.Length);
    memcpy(creds->ticket.data, t->EncodedTicket, t->EncodedTicketSize);
    creds->ticket.length = t->EncodedTicketSize;
    creds->times.starttime = unix_time(t->StartTime);
    creds->times.authtime = creds->times.starttime;
    creds->times.endtime = unix_time(t->EndTime);
    creds->times.renew_till =
        t->TicketFlags & KERB_TICKET_FLAGS_renewable ? unix_time(t->RenewUntil) : 0;
    /* KERB_TICKET_FLAGS_* are RFC 4120's TicketFlags bits, as TKT_FLG_* are. */
    creds->ticket_flags = t->TicketFlags;
    creds->is_skey = FALSE;
    return 0;
}

/* ---- writing, as the user ------------------------------------------------------------- */

struct identity {
    uid_t euid;
    gid_t egid;
    int switched;
};

/* pam-krb5's way: the cache is created by the user (seteuid), so every file, directory
 * or key it makes is the user's, with the cache type's own modes (FILE 0600, DIR 0700). */
static int become(pam_handle_t *pamh, uid_t uid, gid_t gid, struct identity *id)
{
    id->euid = geteuid();
    id->egid = getegid();
    id->switched = 0;
    if (id->euid != 0 || uid == 0)
        return 0;
    if (setegid(gid) != 0) {
        pam_syslog(pamh, LOG_ERR, "setegid(%lu): %s", (unsigned long)gid, strerror(errno));
        return -1;
    }
    if (seteuid(uid) != 0) {
        pam_syslog(pamh, LOG_ERR, "seteuid(%lu): %s", (unsigned long)uid, strerror(errno));
        if (setegid(id->egid) != 0)
            pam_syslog(pamh, LOG_CRIT, "cannot restore the effective gid");
        return -1;
    }
    id->switched = 1;
    return 0;
}

static void restore(pam_handle_t *pamh, const struct identity *id)
{
    if (!id->switched)
        return;
    if (seteuid(id->euid) != 0 || setegid(id->egid) != 0)
        pam_syslog(pamh, LOG_CRIT, "cannot restore the effective uid/gid: %s", strerror(errno));
}

static krb5_error_code write_cache(krb5_context k, const char *name, krb5_creds *creds)
{
    krb5_ccache cc = NULL;
    krb5_error_code code = krb5_cc_resolve(k, name, &cc);
    if (code == 0)
        code = krb5_cc_initialize(k, cc, creds->client);
    if (code == 0)
        code = krb5_cc_store_cred(k, cc, creds);
    if (cc != NULL)
        krb5_cc_close(k, cc);
    return code;
}

static const struct passwd *user_passwd(pam_handle_t *pamh, const char **user)
{
    const void *item = NULL;
    *user = NULL;
    if (pam_get_item(pamh, PAM_USER, &item) != PAM_SUCCESS || item == NULL)
        return NULL;
    *user = item;
    return pam_modutil_getpwnam(pamh, *user);
}

static int export_name(pam_handle_t *pamh, const char *name)
{
    size_t size = strlen(name) + sizeof("KRB5CCNAME=");
    char *env = malloc(size);
    if (env == NULL)
        return PAM_BUF_ERR;
    snprintf(env, size, "KRB5CCNAME=%s", name);
    int rc = pam_putenv(pamh, env);
    free(env);
    if (rc != PAM_SUCCESS)
        pam_syslog(pamh, LOG_ERR, "pam_putenv(KRB5CCNAME) failed: %s", pam_strerror(pamh, rc));
    return rc;
}

int pl_ccache_establish(pam_handle_t *pamh, struct pl_context *ctx, int debug, int rewrite)
{
    if (ctx == NULL || !ctx->package_is_kerberos || !ctx->have_session || !ctx->connected)
        return PAM_SUCCESS;
    if (ctx->ccache != NULL && !rewrite)
        return export_name(pamh, ctx->ccache) == PAM_SUCCESS ? PAM_SUCCESS : PAM_CRED_ERR;
    const char *user;
    const struct passwd *pw = user_passwd(pamh, &user);
    if (pw == NULL) {
        pam_syslog(pamh, LOG_ERR, "no passwd entry for %s: no ticket cache to hand over",
                   user ? user : "(no user)");
        return PAM_USER_UNKNOWN;
    }
    krb5_context k = NULL;
    krb5_error_code code = krb5_init_context(&k);
    if (code != 0) {
        pam_syslog(pamh, LOG_ERR, "krb5_init_context failed: %s", error_message(code));
        return PAM_CRED_ERR;
    }
    int rc = PAM_CRED_ERR;
    char *name = NULL;
    krb5_creds creds;
    memset(&creds, 0, sizeof(creds));
    PKERB_RETRIEVE_TKT_RESPONSE reply = NULL;
    NTSTATUS status = pl_retrieve_tgt(ctx, &reply);
    if (status != STATUS_SUCCESS) {
        pl_log_status(pamh, LOG_ERR, "KerbRetrieveTicketMessage failed", user, status,
                      STATUS_SUCCESS);
        rc = PAM_CRED_UNAVAIL;
        goto done;
    }
    code = to_creds(k, &reply->Ticket, &creds);
    if (reply->Ticket.SessionKey.Value != NULL)
        explicit_bzero(reply->Ticket.SessionKey.Value, reply->Ticket.SessionKey.Length);
    LsaFreeReturnBuffer(reply);
    if (code != 0) {
        log_krb5(pamh, k, code, "the package's TGT cannot be used");
        rc = PAM_CRED_UNAVAIL;
        goto done;
    }
    name = ctx->ccache != NULL ? strdup(ctx->ccache) : ccache_name(pamh, k, pw);
    if (name == NULL)
        goto done;
    struct identity id;
    if (become(pamh, pw->pw_uid, pw->pw_gid, &id) != 0)
        goto done;
    code = write_cache(k, name, &creds);
    restore(pamh, &id);
    if (code != 0) {
        char what[600];
        snprintf(what, sizeof(what), "cannot write ticket cache %s for %s", name, user);
        log_krb5(pamh, k, code, what);
        goto done;
    }
    if (export_name(pamh, name) != PAM_SUCCESS)
        goto done;
    if (debug)
        pam_syslog(pamh, LOG_DEBUG, "ticket cache %s %s for %s", name,
                   rewrite && ctx->ccache != NULL ? "refreshed" : "written", user);
    free(ctx->ccache);
    ctx->ccache = name;
    ctx->ccache_uid = pw->pw_uid;
    ctx->ccache_gid = pw->pw_gid;
    name = NULL;
    rc = PAM_SUCCESS;
done:
    free(name);
    if (creds.keyblock.contents != NULL)
        explicit_bzero(creds.keyblock.contents, creds.keyblock.length);
    krb5_free_cred_contents(k, &creds);
    krb5_free_context(k);
    return rc;
}

void pl_ccache_destroy(pam_handle_t *pamh, struct pl_context *ctx, int unset_env)
{
    if (ctx == NULL || ctx->ccache == NULL)
        return;
    krb5_context k = NULL;
    krb5_error_code code = krb5_init_context(&k);
    if (code == 0) {
        /* As the owner recorded when it was written: this also runs from pam_end's
         * cleanup, where no PAM or NSS lookup may be made. */
        struct identity id = { 0, 0, 0 };
        int as_user = become(pamh, ctx->ccache_uid, ctx->ccache_gid, &id) == 0;
        krb5_ccache cc = NULL;
        code = krb5_cc_resolve(k, ctx->ccache, &cc);
        if (code == 0)
            code = krb5_cc_destroy(k, cc);
        if (as_user)
            restore(pamh, &id);
        if (code != 0 && code != KRB5_FCC_NOFILE && code != KRB5_CC_NOTFOUND)
            log_krb5(pamh, k, code, "cannot destroy the ticket cache");
        else if (ctx->debug)
            pam_syslog(pamh, LOG_DEBUG, "ticket cache %s destroyed", ctx->ccache);
        krb5_free_context(k);
    } else {
        pam_syslog(pamh, LOG_ERR, "krb5_init_context failed: %s", error_message(code));
    }
    if (unset_env)
        pam_putenv(pamh, "KRB5CCNAME");
    free(ctx->ccache);
    ctx->ccache = NULL;
}
