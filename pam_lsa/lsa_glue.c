/* pam_lsa's calls into the LSA, the submit buffers and the NTSTATUS -> PAM mapping. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <unistd.h>

#include <security/pam_ext.h>

#include <lsa/lsa_ext.h>
#include <lsa/lsa_status.h>
#include <lsa/lsa_util.h>
#include <lsa/ntsecapi.h>

#include "kerberos.h"
#include "lsa_glue.h"

/* ---- status names and the mapping ---------------------------------------------------- */

static const char *status_label(NTSTATUS status, char *buf, size_t size)
{
    const char *name = lsa_status_name(status);
    if (name != NULL)
        return name;
    snprintf(buf, size, "0x%08lx", (unsigned long)(ULONG)status);
    return buf;
}

void pl_log_status(pam_handle_t *pamh, int priority, const char *what, const char *user,
                   NTSTATUS status, NTSTATUS sub_status)
{
    char a[16], b[16];
    if (sub_status != STATUS_SUCCESS)
        pam_syslog(pamh, priority, "%s%s%s: %s (SubStatus %s)", what, user ? " for user " : "",
                   user ? user : "", status_label(status, a, sizeof(a)),
                   status_label(sub_status, b, sizeof(b)));
    else
        pam_syslog(pamh, priority, "%s%s%s: %s", what, user ? " for user " : "", user ? user : "",
                   status_label(status, a, sizeof(a)));
}

int pl_password_change_needed(NTSTATUS status, NTSTATUS sub_status)
{
    if (status == STATUS_PASSWORD_EXPIRED || status == STATUS_PASSWORD_MUST_CHANGE)
        return 1;
    return status == STATUS_ACCOUNT_RESTRICTION &&
           (sub_status == STATUS_PASSWORD_EXPIRED || sub_status == STATUS_PASSWORD_MUST_CHANGE);
}

int pl_map_status(NTSTATUS status, NTSTATUS sub_status, enum pl_call call)
{
    /* mode = daemon: lsad went away (or did not answer in time) during the call. */
    if (lsa_status_is_lsa_unreachable(status))
        return call == PL_CALL_OLD_PASSWORD ? PAM_TRY_AGAIN : PAM_AUTHINFO_UNAVAIL;
    if (pl_password_change_needed(status, sub_status))
        /* The password was right: authentication (and the old-password check) succeed,
         * acct_mgmt asks for a new one. */
        return call == PL_CALL_ACCOUNT ? PAM_NEW_AUTHTOK_REQD : PAM_SUCCESS;
    switch (status) {
    case STATUS_SUCCESS:
        return PAM_SUCCESS;
    case STATUS_LOGON_FAILURE:
        return sub_status == STATUS_NO_SUCH_USER ? PAM_USER_UNKNOWN : PAM_AUTH_ERR;
    case STATUS_WRONG_PASSWORD:
    case STATUS_TIME_DIFFERENCE_AT_DC:
    case STATUS_NOLOGON_INTERDOMAIN_TRUST_ACCOUNT:
    case STATUS_NOLOGON_WORKSTATION_TRUST_ACCOUNT:
    case STATUS_NOLOGON_SERVER_TRUST_ACCOUNT:
        return PAM_AUTH_ERR;
    case STATUS_NO_SUCH_USER:
        return PAM_USER_UNKNOWN;
    /* Kerberos: no KDC answered within the deadline, or no KDC is known for the realm
     * (pam-krb5 maps KRB5_KDC_UNREACH and KRB5_REALM_UNKNOWN alike). */
    case STATUS_NO_LOGON_SERVERS:
    case STATUS_NO_SUCH_DOMAIN:
    case STATUS_DOMAIN_CONTROLLER_NOT_FOUND:
        return call == PL_CALL_OLD_PASSWORD ? PAM_TRY_AGAIN : PAM_AUTHINFO_UNAVAIL;
    /* Certificate logon: a certificate, PIN or PKINIT exchange the KDC or the client
     * refused is a failed authentication (the log line has the SubStatus). */
    case STATUS_PKINIT_FAILURE:
    case STATUS_PKINIT_CLIENT_FAILURE:
    case STATUS_PKINIT_NAME_MISMATCH:
    case STATUS_SMARTCARD_WRONG_PIN:
    case STATUS_SMARTCARD_CERT_REVOKED:
    case STATUS_SMARTCARD_CERT_EXPIRED:
    case STATUS_ISSUING_CA_UNTRUSTED:
    case STATUS_ISSUING_CA_UNTRUSTED_KDC:
    case STATUS_KDC_CERT_EXPIRED:
    case STATUS_KDC_CERT_REVOKED:
        return PAM_AUTH_ERR;
    case STATUS_SMARTCARD_CARD_BLOCKED:
        return PAM_MAXTRIES;
    /* The card, key or revocation information cannot be reached: the "hardware" half
     * of PAM_AUTHINFO_UNAVAIL. */
    case STATUS_SMARTCARD_NO_CARD:
    case STATUS_SMARTCARD_NO_CERTIFICATE:
    case STATUS_SMARTCARD_NO_KEY_CONTAINER:
    case STATUS_SMARTCARD_NO_KEYSET:
    case STATUS_SMARTCARD_SUBSYSTEM_FAILURE:
    case STATUS_SMARTCARD_IO_ERROR:
    case STATUS_REVOCATION_OFFLINE_C:
    case STATUS_REVOCATION_OFFLINE_KDC:
        return call == PL_CALL_OLD_PASSWORD ? PAM_TRY_AGAIN : PAM_AUTHINFO_UNAVAIL;
    case STATUS_ACCOUNT_LOCKED_OUT:
        return PAM_MAXTRIES;
    case STATUS_ACCOUNT_DISABLED:
    case STATUS_ACCOUNT_EXPIRED:
        return PAM_ACCT_EXPIRED;
    case STATUS_ACCOUNT_RESTRICTION:
        if (sub_status == STATUS_ACCOUNT_DISABLED || sub_status == STATUS_ACCOUNT_EXPIRED)
            return PAM_ACCT_EXPIRED;
        /* logon hours, workstations: the account may not log on now */
        return call == PL_CALL_AUTH ? PAM_AUTH_ERR : PAM_PERM_DENIED;
    case STATUS_PASSWORD_RESTRICTION:
        return call == PL_CALL_CHANGE ? PAM_AUTHTOK_ERR : PAM_AUTH_ERR;
    case STATUS_ACCESS_DENIED:
        return call == PL_CALL_CHANGE || call == PL_CALL_OLD_PASSWORD ? PAM_PERM_DENIED
                                                                       : PAM_SERVICE_ERR;
    case STATUS_NO_MEMORY:
    case STATUS_INSUFFICIENT_RESOURCES:
        return PAM_BUF_ERR;
    case STATUS_INVALID_SERVER_STATE:
    case STATUS_NO_SUCH_PACKAGE:
    default:
        return PAM_SERVICE_ERR;
    }
}

/* ---- the connection ------------------------------------------------------------------- */

static NTSTATUS lookup(HANDLE lsa, const char *name, ULONG *id)
{
    size_t length = strlen(name);
    if (length > 127)
        return STATUS_NAME_TOO_LONG;
    char copy[128];
    memcpy(copy, name, length + 1);
    LSA_STRING s = { (USHORT)length, (USHORT)(length + 1), copy };
    return LsaLookupAuthenticationPackage(lsa, &s, id);
}

/* Trusted as root, else untrusted. */
static NTSTATUS connect_lsa(HANDLE *lsa)
{
    if (geteuid() == 0) {
        char name[] = "pam_lsa";
        LSA_STRING process = { sizeof(name) - 1, sizeof(name), name };
        LSA_OPERATIONAL_MODE mode;
        return LsaRegisterLogonProcess(&process, lsa, &mode);
    }
    return LsaConnectUntrusted(lsa);
}

int pl_connect(pam_handle_t *pamh, const struct pl_options *opts, struct pl_context *ctx)
{
    if (ctx->connected)
        return PAM_SUCCESS;
    /* Before the first LSA call: the embedded LSA reads it once. */
    if (opts->config != NULL && setenv("LSA_CONFIG", opts->config, 1) != 0) {
        pam_syslog(pamh, LOG_ERR, "cannot set LSA_CONFIG to %s", opts->config);
        return PAM_SERVICE_ERR;
    }
    HANDLE lsa;
    NTSTATUS status = connect_lsa(&lsa);
    if (lsa_status_is_lsa_unreachable(status)) {
        /* lsad configured (mode = daemon) but not answering: the authentication service
         * is unavailable, not misconfigured; or, with daemon_fallback=embedded, the
         * embedded LSA serves this process. */
        const char *path = lsa_daemon_socket_path();
        char a[16];
        if (opts->daemon_fallback != PL_FALLBACK_EMBEDDED) {
            pam_syslog(pamh, LOG_ERR, "lsad is not reachable at %s (%s): PAM_AUTHINFO_UNAVAIL",
                       path ? path : "(lsa.conf unreadable)", status_label(status, a, sizeof(a)));
            return PAM_AUTHINFO_UNAVAIL;
        }
        pam_syslog(pamh, LOG_NOTICE,
                   "lsad is not reachable at %s (%s): daemon_fallback=embedded, using the "
                   "embedded LSA in this process",
                   path ? path : "(lsa.conf unreadable)", status_label(status, a, sizeof(a)));
        NTSTATUS fallback = lsa_use_embedded_transport();
        if (fallback != STATUS_SUCCESS) {
            pl_log_status(pamh, LOG_ERR, "daemon_fallback=embedded: the embedded LSA", NULL,
                          fallback, STATUS_SUCCESS);
            return PAM_AUTHINFO_UNAVAIL;
        }
        status = connect_lsa(&lsa);
    }
    if (status != STATUS_SUCCESS) {
        pl_log_status(pamh, LOG_ERR,
                      geteuid() == 0 ? "LsaRegisterLogonProcess failed" : "LsaConnectUntrusted failed",
                      NULL, status, STATUS_SUCCESS);
        return lsa_status_is_lsa_unreachable(status) ? PAM_AUTHINFO_UNAVAIL : PAM_SERVICE_ERR;
    }
    ULONG package, msv1_0;
    status = lookup(lsa, opts->package, &package);
    if (status != STATUS_SUCCESS) {
        char a[16];
        pam_syslog(pamh, LOG_ERR, "package %s: %s", opts->package, status_label(status, a, sizeof(a)));
        LsaDeregisterLogonProcess(lsa);
        return PAM_SERVICE_ERR;
    }
    ULONG kerberos;
    int is_msv1_0 = lookup(lsa, MSV1_0_PACKAGE_NAME, &msv1_0) == STATUS_SUCCESS && msv1_0 == package;
    int is_kerberos =
        lookup(lsa, MICROSOFT_KERBEROS_NAME_A, &kerberos) == STATUS_SUCCESS && kerberos == package;
    const char *refused = NULL;
    if (opts->logon == PL_LOGON_CERTIFICATE && !is_kerberos)
        refused = "logon=certificate needs the Kerberos package";
    else if (opts->logon == PL_LOGON_CHALLENGE && !is_msv1_0)
        refused = "logon=challenge needs the MSV1_0 package";
    else if (!is_msv1_0 && !is_kerberos)
        refused = "pam_lsa supports the MSV1_0 and Kerberos packages";
    if (refused != NULL) {
        pam_syslog(pamh, LOG_ERR, "package %s: %s", opts->package, refused);
        LsaDeregisterLogonProcess(lsa);
        return PAM_SERVICE_ERR;
    }
    ctx->lsa = lsa;
    ctx->package = package;
    ctx->package_is_msv1_0 = is_msv1_0;
    ctx->package_is_kerberos = is_kerberos;
    ctx->connected = 1;
    if (opts->debug)
        pam_syslog(pamh, LOG_DEBUG, "connected to the LSA (%s), package %s is id %lu",
                   geteuid() == 0 ? "trusted" : "untrusted", opts->package, (unsigned long)package);
    return PAM_SUCCESS;
}

/* ---- submit buffers -------------------------------------------------------------------- */

int pl_submit_start(struct pl_submit *s, size_t fixed, size_t extra)
{
    s->cap = fixed + extra;
    s->data = calloc(1, s->cap);
    s->used = fixed;
    return s->data ? 0 : -1;
}

void *pl_submit_append(struct pl_submit *s, const void *bytes, size_t length)
{
    s->used = (s->used + 1) & ~(size_t)1;
    if (length > s->cap - s->used)
        return NULL;
    void *at = s->data + s->used;
    memcpy(at, bytes, length);
    s->used += length;
    return at;
}

void pl_submit_free(struct pl_submit *s)
{
    if (s->data != NULL)
        explicit_bzero(s->data, s->cap); /* passwords, responses */
    free(s->data);
    s->data = NULL;
}

int pl_submit_unicode(struct pl_submit *s, PUNICODE_STRING string, const char *text)
{
    UNICODE_STRING u;
    if (lsa_utf8_to_unicode_string(text, strlen(text), &u) != STATUS_SUCCESS)
        return -1;
    string->Length = string->MaximumLength = u.Length;
    string->Buffer = u.Length ? pl_submit_append(s, u.Buffer, u.Length) : NULL;
    int ok = u.Length == 0 || string->Buffer != NULL;
    lsa_free_unicode_string(&u); /* wipes */
    return ok ? 0 : -1;
}

size_t pl_room_for(const char *text)
{
    return 2 * strlen(text) + 2;
}

void pl_submit_logon(pam_handle_t *pamh, struct pl_context *ctx, SECURITY_LOGON_TYPE type,
                     struct pl_submit *s, struct pl_logon_result *result)
{
    char origin[] = "pam_lsa";
    LSA_STRING origin_name = { sizeof(origin) - 1, sizeof(origin), origin };
    TOKEN_SOURCE source = { "pam_lsa", { 0, 0 } };
    PVOID profile = NULL;
    ULONG profile_length = 0;
    QUOTA_LIMITS quotas;
    HANDLE token = NULL;
    LUID id = { 0, 0 };
    NTSTATUS sub_status = STATUS_SUCCESS;
    NTSTATUS status = LsaLogonUser(ctx->lsa, &origin_name, type, ctx->package, s->data,
                                   (ULONG)s->used, NULL, &source, &profile, &profile_length, &id,
                                   &token, &quotas, &sub_status);
    (void)pamh;
    if (profile != NULL)
        LsaFreeReturnBuffer(profile);
    result->status = status;
    result->sub_status = NT_SUCCESS(status) ? STATUS_SUCCESS : sub_status;
    result->have_token = NT_SUCCESS(status);
    result->token = token;
    result->logon_id = id;
}

void pl_logon_interactive(pam_handle_t *pamh, const struct pl_options *opts,
                          struct pl_context *ctx, const char *user, const char *password,
                          struct pl_logon_result *result)
{
    memset(result, 0, sizeof(*result));
    struct pl_names names;
    if (pl_names_split(ctx, opts, user, &names) != 0) {
        result->status = STATUS_NO_MEMORY;
        return;
    }
    struct pl_submit s;
    /* KERB_INTERACTIVE_LOGON has MSV1_0_INTERACTIVE_LOGON's layout and submit type
     * number (2); only the package reading it differs. */
    _Static_assert(sizeof(KERB_INTERACTIVE_LOGON) == sizeof(MSV1_0_INTERACTIVE_LOGON) &&
                       (int)KerbInteractiveLogon == (int)MsV1_0InteractiveLogon,
                   "the two interactive logon structures share a layout");
    if (pl_submit_start(&s, sizeof(MSV1_0_INTERACTIVE_LOGON),
                        pl_room_for(names.domain) + pl_room_for(names.user) +
                            pl_room_for(password)) != 0) {
        pl_names_free(&names);
        result->status = STATUS_NO_MEMORY;
        return;
    }
    PMSV1_0_INTERACTIVE_LOGON request = (PMSV1_0_INTERACTIVE_LOGON)s.data;
    request->MessageType = MsV1_0InteractiveLogon;
    if (pl_submit_unicode(&s, &request->LogonDomainName, names.domain) != 0 ||
        pl_submit_unicode(&s, &request->UserName, names.user) != 0 ||
        pl_submit_unicode(&s, &request->Password, password) != 0) {
        pl_submit_free(&s);
        pl_names_free(&names);
        pam_syslog(pamh, LOG_NOTICE, "user %s: the user, domain or password is not valid UTF-8",
                   user);
        result->status = STATUS_LOGON_FAILURE;
        return;
    }
    pl_names_free(&names);
    pl_submit_logon(pamh, ctx, Interactive, &s, result);
    pl_submit_free(&s);
}

NTSTATUS pl_challenge_request(struct pl_context *ctx, UCHAR challenge[MSV1_0_CHALLENGE_LENGTH])
{
    MSV1_0_LM20_CHALLENGE_REQUEST request = { MsV1_0Lm20ChallengeRequest };
    PMSV1_0_LM20_CHALLENGE_RESPONSE reply = NULL;
    ULONG reply_length = 0;
    NTSTATUS protocol = STATUS_SUCCESS;
    NTSTATUS status = LsaCallAuthenticationPackage(ctx->lsa, ctx->package, &request,
                                                   sizeof(request), (PVOID *)&reply,
                                                   &reply_length, &protocol);
    if (NT_SUCCESS(status) && !NT_SUCCESS(protocol))
        status = protocol;
    if (NT_SUCCESS(status) && (reply == NULL || reply_length < sizeof(*reply)))
        status = STATUS_INTERNAL_ERROR;
    if (NT_SUCCESS(status))
        memcpy(challenge, reply->ChallengeToClient, MSV1_0_CHALLENGE_LENGTH);
    if (reply != NULL)
        LsaFreeReturnBuffer(reply);
    return status;
}

void pl_logon_lm20(pam_handle_t *pamh, const struct pl_options *opts, struct pl_context *ctx,
                   const char *user, const UCHAR challenge[MSV1_0_CHALLENGE_LENGTH],
                   const unsigned char *nt, size_t nt_length, const unsigned char *lm,
                   size_t lm_length, struct pl_logon_result *result)
{
    memset(result, 0, sizeof(*result));
    if (nt_length > 0xffff || lm_length > 0xffff) {
        result->status = STATUS_LOGON_FAILURE;
        return;
    }
    struct pl_submit s;
    if (pl_submit_start(&s, sizeof(MSV1_0_LM20_LOGON),
                     pl_room_for(opts->domain) + pl_room_for(user) + nt_length + lm_length + 4) != 0) {
        result->status = STATUS_NO_MEMORY;
        return;
    }
    PMSV1_0_LM20_LOGON request = (PMSV1_0_LM20_LOGON)s.data;
    request->MessageType = MsV1_0Lm20Logon;
    memcpy(request->ChallengeToClient, challenge, MSV1_0_CHALLENGE_LENGTH);
    request->ParameterControl = MSV1_0_UPDATE_LOGON_STATISTICS;
    if (pl_submit_unicode(&s, &request->LogonDomainName, opts->domain) != 0 ||
        pl_submit_unicode(&s, &request->UserName, user) != 0) {
        pl_submit_free(&s);
        pam_syslog(pamh, LOG_NOTICE, "user %s: the user or domain is not valid UTF-8", user);
        result->status = STATUS_LOGON_FAILURE;
        return;
    }
    request->CaseSensitiveChallengeResponse.Length =
        request->CaseSensitiveChallengeResponse.MaximumLength = (USHORT)nt_length;
    request->CaseSensitiveChallengeResponse.Buffer =
        nt_length ? pl_submit_append(&s, nt, nt_length) : NULL;
    request->CaseInsensitiveChallengeResponse.Length =
        request->CaseInsensitiveChallengeResponse.MaximumLength = (USHORT)lm_length;
    request->CaseInsensitiveChallengeResponse.Buffer =
        lm_length ? pl_submit_append(&s, lm, lm_length) : NULL;
    pl_submit_logon(pamh, ctx, Network, &s, result);
    pl_submit_free(&s);
}

NTSTATUS pl_change_password(pam_handle_t *pamh, const struct pl_options *opts,
                            struct pl_context *ctx, const char *user, const char *old_password,
                            const char *new_password)
{
    /* KERB_CHANGEPASSWORD_REQUEST is MSV1_0_CHANGEPASSWORD_REQUEST with another message
     * number; the Buffers are client addresses the LSA relocates. */
    _Static_assert(sizeof(KERB_CHANGEPASSWORD_REQUEST) == sizeof(MSV1_0_CHANGEPASSWORD_REQUEST) &&
                       offsetof(KERB_CHANGEPASSWORD_REQUEST, Impersonating) ==
                           offsetof(MSV1_0_CHANGEPASSWORD_REQUEST, Impersonating),
                   "the two change-password requests share a layout");
    struct pl_names names;
    if (pl_names_split(ctx, opts, user, &names) != 0)
        return STATUS_NO_MEMORY;
    struct pl_submit s;
    if (pl_submit_start(&s, sizeof(MSV1_0_CHANGEPASSWORD_REQUEST),
                        pl_room_for(names.domain) + pl_room_for(names.user) +
                            pl_room_for(old_password) + pl_room_for(new_password)) != 0) {
        pl_names_free(&names);
        return STATUS_NO_MEMORY;
    }
    PMSV1_0_CHANGEPASSWORD_REQUEST request = (PMSV1_0_CHANGEPASSWORD_REQUEST)s.data;
    request->MessageType = ctx->package_is_kerberos
                               ? (MSV1_0_PROTOCOL_MESSAGE_TYPE)KerbChangePasswordMessage
                               : MsV1_0ChangePassword;
    request->Impersonating = FALSE;
    if (pl_submit_unicode(&s, &request->DomainName, names.domain) != 0 ||
        pl_submit_unicode(&s, &request->AccountName, names.user) != 0 ||
        pl_submit_unicode(&s, &request->OldPassword, old_password) != 0 ||
        pl_submit_unicode(&s, &request->NewPassword, new_password) != 0) {
        pl_submit_free(&s);
        pl_names_free(&names);
        pam_syslog(pamh, LOG_NOTICE, "user %s: the user, domain or a password is not valid UTF-8",
                   user);
        return STATUS_PASSWORD_RESTRICTION;
    }
    pl_names_free(&names);
    PVOID reply = NULL;
    ULONG reply_length = 0;
    NTSTATUS protocol = STATUS_SUCCESS;
    NTSTATUS status = LsaCallAuthenticationPackage(ctx->lsa, ctx->package, s.data, (ULONG)s.used,
                                                   &reply, &reply_length, &protocol);
    pl_submit_free(&s);
    if (reply != NULL)
        LsaFreeReturnBuffer(reply);
    if (NT_SUCCESS(status) && !NT_SUCCESS(protocol))
        status = protocol;
    return status;
}
