#include "kerb_logon.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lsa/lsa_util.h>
#include <lsa/ntsecapi.h>
#include <lsa/ntstatus.h>

#include "kerb_as.h"
#include "kerb_context.h"
#include "kerb_log.h"
#include "kerb_package.h"
#include "kerb_sessions.h"
#include "kerb_verify.h"
#include "kerb_profile.h"
#include "pkinit_identity_check.h"


static void free_secret(char *s)
{
    if (s != NULL) {
        explicit_bzero(s, strlen(s));
        free(s);
    }
}

static void kerb_logon_free(struct kerb_logon *l)
{
    free(l->user);
    free(l->domain);
    free(l->identity);
    free_secret(l->password);
    free_secret(l->pin);
}

/* A relocated UNICODE_STRING to a NUL-terminated UTF-8 copy ("" when empty). */
static NTSTATUS to_utf8(UNICODE_STRING *s, char **out)
{
    if (s->Length == 0) {
        *out = strdup("");
        return *out ? STATUS_SUCCESS : STATUS_NO_MEMORY;
    }
    return lsa_unicode_string_to_utf8(s, out, NULL) == STATUS_SUCCESS ? STATUS_SUCCESS
                                                                      : STATUS_INVALID_PARAMETER;
}

static NTSTATUS parse_interactive(struct kerb_logon *l, PVOID submit, PVOID base, ULONG length)
{
    KERB_INTERACTIVE_LOGON *in = submit;
    NTSTATUS status;

    if (!lsa_submit_buffer_fits(length, sizeof(*in)))
        return STATUS_INVALID_PARAMETER;
    status = lsa_relocate_unicode_string(&in->LogonDomainName, submit, base, length);
    if (status == STATUS_SUCCESS)
        status = lsa_relocate_unicode_string(&in->UserName, submit, base, length);
    if (status == STATUS_SUCCESS)
        status = lsa_relocate_unicode_string(&in->Password, submit, base, length);
    if (status == STATUS_SUCCESS)
        status = to_utf8(&in->LogonDomainName, &l->domain);
    if (status == STATUS_SUCCESS)
        status = to_utf8(&in->UserName, &l->user);
    if (status == STATUS_SUCCESS)
        status = to_utf8(&in->Password, &l->password);
    return status;
}

/* KERB_CERTIFICATE_LOGON's Buffers are offsets from the structure's start (§5.3). */
static NTSTATUS offset_string(UNICODE_STRING *s, PVOID submit, PVOID base, ULONG length)
{
    if (s->Length == 0 && s->Buffer == NULL)
        return STATUS_SUCCESS;
    s->Buffer = (PWSTR)((PUCHAR)base + (uintptr_t)s->Buffer);
    return lsa_relocate_unicode_string(s, submit, base, length);
}

static NTSTATUS parse_certificate(struct kerb_logon *l, PVOID submit, PVOID base, ULONG length)
{
    KERB_CERTIFICATE_LOGON *in = submit;
    NTSTATUS status;
    PVOID csp;

    if (!lsa_submit_buffer_fits(length, sizeof(*in)))
        return STATUS_INVALID_PARAMETER;
    l->certificate = TRUE;
    status = offset_string(&in->DomainName, submit, base, length);
    if (status == STATUS_SUCCESS)
        status = offset_string(&in->UserName, submit, base, length);
    if (status == STATUS_SUCCESS)
        status = offset_string(&in->Pin, submit, base, length);
    if (status == STATUS_SUCCESS)
        status = to_utf8(&in->DomainName, &l->domain);
    if (status == STATUS_SUCCESS)
        status = to_utf8(&in->UserName, &l->user);
    if (status == STATUS_SUCCESS)
        status = to_utf8(&in->Pin, &l->pin);
    if (status != STATUS_SUCCESS || in->CspDataLength == 0)
        return status;
    csp = (PUCHAR)base + (uintptr_t)in->CspData;
    status = lsa_relocate_buffer(&csp, in->CspDataLength, submit, base, length);
    if (status != STATUS_SUCCESS)
        return status;
    if (memchr(csp, '\0', in->CspDataLength) != NULL)
        return STATUS_INVALID_PARAMETER; /* an identity string, not a CSP structure */
    l->identity = strndup(csp, in->CspDataLength);
    return l->identity ? STATUS_SUCCESS : STATUS_NO_MEMORY;
}

static NTSTATUS parse(struct kerb_logon *l, PVOID submit, PVOID base, ULONG length)
{
    if (submit == NULL || !lsa_submit_buffer_fits(length, sizeof(KERB_LOGON_SUBMIT_TYPE)))
        return STATUS_INVALID_PARAMETER;
    switch (*(KERB_LOGON_SUBMIT_TYPE *)submit) {
    case KerbInteractiveLogon:
    case KerbWorkstationUnlockLogon:
        return parse_interactive(l, submit, base, length);
    case KerbCertificateLogon:
    case KerbCertificateUnlockLogon:
        return parse_certificate(l, submit, base, length);
    default:
        return STATUS_NOT_SUPPORTED;
    }
}

/* A UNICODE_STRING for the LSA to keep: structure and Buffer, two LSA heap blocks. */
static PUNICODE_STRING heap_string(const char *utf8)
{
    PLSA_SECPKG_FUNCTION_TABLE lsa = kerb_package.lsa;
    UNICODE_STRING w;
    PUNICODE_STRING s;
    PWSTR buffer;

    if (lsa_utf8_to_unicode_string(utf8, strlen(utf8), &w) != STATUS_SUCCESS)
        return NULL;
    s = lsa->AllocateLsaHeap(sizeof(*s));
    buffer = lsa->AllocateLsaHeap((ULONG)w.Length + sizeof(WCHAR));
    if (s == NULL || buffer == NULL) {
        lsa->FreeLsaHeap(s);
        lsa->FreeLsaHeap(buffer);
        lsa_free_unicode_string(&w);
        return NULL;
    }
    memcpy(buffer, w.Buffer, w.Length);
    buffer[w.Length / sizeof(WCHAR)] = 0;
    s->Buffer = buffer;
    s->Length = w.Length;
    s->MaximumLength = (USHORT)(w.Length + sizeof(WCHAR));
    lsa_free_unicode_string(&w);
    return s;
}

static void replace_heap_string(PUNICODE_STRING *slot, const char *utf8)
{
    PUNICODE_STRING s = heap_string(utf8);

    if (s == NULL)
        return;
    if (*slot != NULL) {
        kerb_package.lsa->FreeLsaHeap((*slot)->Buffer);
        kerb_package.lsa->FreeLsaHeap(*slot);
    }
    *slot = s;
}

NTSTATUS kerb_client_is_trusted(BOOLEAN *trusted)
{
    SECPKG_CLIENT_INFO info;
    NTSTATUS status = kerb_package.lsa->GetClientInfo(&info);

    *trusted = status == STATUS_SUCCESS && info.HasTcbPrivilege;
    return status;
}

NTSTATUS kerb_store_creds(krb5_context ctx, const char *name, krb5_creds *creds, BOOLEAN pkinit)
{
    krb5_ccache cc = NULL;
    krb5_error_code code = krb5_cc_resolve(ctx, name, &cc);

    if (code == 0)
        code = krb5_cc_initialize(ctx, cc, creds->client); /* drops older tickets */
    if (code == 0)
        code = krb5_cc_store_cred(ctx, cc, creds);
    if (code == 0) {
        /* As kinit records it (klist -C): how the TGT was obtained. */
        const char *type = pkinit ? "16" : "2";
        krb5_data pa_type = { .magic = KV5M_DATA, .length = (unsigned int)strlen(type),
                              .data = (char *)type };
        krb5_cc_set_config(ctx, cc, creds->server, "pa_type", &pa_type);
    }
    if (cc != NULL)
        krb5_cc_close(ctx, cc);
    if (code != 0) {
        kerb_log_krb5_error(LOG_ERR, ctx, code, "cannot store the tickets of a logon");
        return STATUS_INTERNAL_ERROR;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS create_session(struct kerb_logon *l)
{
    PLSA_SECPKG_FUNCTION_TABLE lsa = kerb_package.lsa;
    NTSTATUS status = STATUS_LOGON_SESSION_COLLISION;

    for (int attempt = 0; attempt < 16 && status == STATUS_LOGON_SESSION_COLLISION; attempt++) {
        status = lsa->lsa_allocate_luid(l->logon_id);
        if (status == STATUS_SUCCESS)
            status = lsa->CreateLogonSession(l->logon_id);
    }
    l->session_made = status == STATUS_SUCCESS;
    return status;
}

NTSTATUS kerb_logon_finish(struct kerb_logon *l, krb5_context ctx, krb5_creds *creds,
                           const char *account, const char *realm, const char *pkinit_identity)
{
    char ccache[KERB_CCACHE_NAME_SIZE], *principal = NULL;
    BOOLEAN pkinit = pkinit_identity != NULL;
    NTSTATUS status = create_session(l);

    if (status == STATUS_SUCCESS) {
        kerb_session_new_ccache_name(l->logon_id, ccache, sizeof(ccache));
        status = kerb_store_creds(ctx, ccache, creds, pkinit);
    }
    if (status == STATUS_SUCCESS && krb5_unparse_name(ctx, creds->client, &principal) != 0)
        status = STATUS_NO_MEMORY;
    if (status == STATUS_SUCCESS)
        status = kerb_session_add(l->logon_id, ccache, principal, pkinit);
    if (status == STATUS_SUCCESS)
        status = kerb_profile_build(l, pkinit_identity);
    if (status == STATUS_SUCCESS) {
        replace_heap_string(l->account_name, account);
        replace_heap_string(l->authority, realm);
        kerb_log(LOG_INFO, "%s logon of %s: logon session %08x:%08x", pkinit ? "PKINIT" : "password",
                 principal, (unsigned)l->logon_id->HighPart, (unsigned)l->logon_id->LowPart);
    }
    krb5_free_unparsed_name(ctx, principal);
    if (status != STATUS_SUCCESS && l->session_made) {
        kerb_session_remove(l->logon_id);
        kerb_package.lsa->DeleteLogonSession(l->logon_id);
        memset(l->logon_id, 0, sizeof(*l->logon_id));
        l->session_made = FALSE;
    }
    return status;
}

/* USER, or USER@DOMAIN when a domain (the realm) is given and USER names none. */
static krb5_error_code client_principal(krb5_context ctx, const struct kerb_logon *l,
                                        krb5_principal *out)
{
    char *name = NULL;
    krb5_error_code code;

    if (l->domain[0] == '\0' || strchr(l->user, '@') != NULL)
        return krb5_parse_name(ctx, l->user, out);
    if (asprintf(&name, "%s@%s", l->user, l->domain) < 0)
        return ENOMEM;
    code = krb5_parse_name(ctx, name, out);
    free(name);
    return code;
}

/* The Unix account of PRINCIPAL (krb5.conf auth_to_local), else its first component. */
static void local_account(krb5_context ctx, krb5_const_principal principal, char *out,
                          size_t size)
{
    if (krb5_aname_to_localname(ctx, principal, (int)size, out) == 0)
        return;
    if (principal->length > 0)
        snprintf(out, size, "%.*s", (int)principal->data[0].length, principal->data[0].data);
    else
        out[0] = '\0';
}

static void log_failure(krb5_context ctx, const struct kerb_logon *l,
                        const struct kerb_as_failure *f, NTSTATUS status)
{
    char safe[KERB_LOG_NAME_SIZE];
    const char *message = krb5_get_error_message(ctx, f->code);

    kerb_log(LOG_NOTICE, "%s logon of '%s' failed: %s (krb5 %ld%s%s) -> 0x%08x",
             l->certificate ? "PKINIT" : "password", lsa_log_name(l->user, safe, sizeof(safe)),
             message, (long)f->code, f->kdc_text[0] ? ", KDC: " : "", f->kdc_text,
             (unsigned)status);
    krb5_free_error_message(ctx, message);
}

/* KDC_ERR_KEY_EXP comes before the KDC checks the password: a kadmin/changepw exchange
 * with it (what a password change would do) tells whether it is right. */
static NTSTATUS expired_password_status(krb5_context ctx, struct kerb_exchange *x,
                                        struct kerb_as_request *request, NTSTATUS *sub)
{
    struct kerb_as_failure f;
    krb5_creds creds;

    request->service = "kadmin/changepw";
    if (kerb_as_exchange(ctx, x, request, &creds, &f) == 0) {
        krb5_free_cred_contents(ctx, &creds);
        return STATUS_PASSWORD_EXPIRED;
    }
    return kerb_map_as_failure(x, &f, sub);
}

/* The files of IDENTITY, with the caller's rights when the caller named it. */
static NTSTATUS check_identity(const char *identity, BOOLEAN named_by_caller)
{
    struct lsa_client_unix_info client;

    if (!named_by_caller)
        return kerb_check_identity_files(identity, TRUE, 0);
    if (kerb_package.lsa->lsa_get_client_unix_info(&client) != STATUS_SUCCESS)
        return STATUS_ACCESS_DENIED;
    return kerb_check_identity_files(identity, client.trusted || client.uid == 0, client.uid);
}

static NTSTATUS user_logon(struct kerb_logon *l, NTSTATUS *sub)
{
    const struct kerb_config *config = &kerb_package.config;
    struct kerb_exchange x;
    struct kerb_as_request request;
    struct kerb_as_failure failure;
    krb5_context ctx = NULL;
    krb5_creds creds;
    char account[256], *realm = NULL;
    NTSTATUS status;

    memset(&request, 0, sizeof(request));
    memset(&creds, 0, sizeof(creds));
    if (l->user[0] == '\0') {
        kerb_log(LOG_NOTICE, "logon without a user name refused");
        return STATUS_INVALID_PARAMETER;
    }
    if (l->certificate) {
        request.pkinit_identity = l->identity ? l->identity : config->pkinit_identity;
        request.pkinit_anchors = config->pkinit_anchors;
        request.pin = l->pin;
        if (request.pkinit_identity == NULL) {
            kerb_log(LOG_ERR, "certificate logon without an identity: CspData is empty and "
                              "[kerberos] pkinit_identity is not set");
            return STATUS_INVALID_PARAMETER;
        }
        status = check_identity(request.pkinit_identity, l->identity != NULL);
        if (status != STATUS_SUCCESS)
            return status;
    } else {
        request.password = l->password;
    }
    kerb_exchange_init(&x, config->kdc_timeout_ms);
    status = kerb_context_new(&x, l->certificate, &ctx);
    if (status != STATUS_SUCCESS)
        return status;
    if (client_principal(ctx, l, &request.client) != 0) {
        status = STATUS_NO_SUCH_USER;
        goto done;
    }
    if (kerb_as_exchange(ctx, &x, &request, &creds, &failure) != 0) {
        status = kerb_map_as_failure(&x, &failure, sub);
        if (status == STATUS_PASSWORD_EXPIRED && !l->certificate)
            status = expired_password_status(ctx, &x, &request, sub);
        log_failure(ctx, l, &failure, status);
        goto done;
    }
    status = kerb_verify_tgt(ctx, config, &creds);
    if (status != STATUS_SUCCESS)
        goto done;
    local_account(ctx, creds.client, account, sizeof(account));
    realm = strndup(creds.client->realm.data, creds.client->realm.length);
    status = realm ? kerb_logon_finish(l, ctx, &creds, account, realm,
                                       l->certificate ? request.pkinit_identity : NULL)
                   : STATUS_NO_MEMORY;
done:
    free(realm);
    krb5_free_cred_contents(ctx, &creds);
    krb5_free_principal(ctx, request.client);
    krb5_free_context(ctx);
    return status;
}

NTSTATUS kerb_logon_user(PLSA_CLIENT_REQUEST request, SECURITY_LOGON_TYPE logon_type,
                         PVOID submit, PVOID client_base, ULONG submit_length, PVOID *profile,
                         PULONG profile_length, PLUID logon_id, PNTSTATUS sub_status,
                         PLSA_TOKEN_INFORMATION_TYPE token_type, PVOID *token_information,
                         PUNICODE_STRING *account_name, PUNICODE_STRING *authority)
{
    struct kerb_logon l;
    NTSTATUS status;

    memset(&l, 0, sizeof(l));
    l.request = request;
    l.logon_type = logon_type;
    l.logon_id = logon_id;
    l.account_name = account_name;
    l.authority = authority;
    l.profile = profile;
    l.profile_length = profile_length;
    *sub_status = STATUS_SUCCESS;
    *token_type = LsaTokenInformationNull;
    *token_information = NULL;
    *profile = NULL;
    *profile_length = 0;

    status = kerb_package_ready();
    if (status == STATUS_SUCCESS)
        status = parse(&l, submit, client_base, submit_length);
    if (status == STATUS_SUCCESS) {
        /* Named in the log line of a failure, as sent. */
        *account_name = heap_string(l.user);
        status = kerb_logon_is_machine(&l) ? kerb_logon_machine(&l, sub_status)
                                           : user_logon(&l, sub_status);
    } else if (status == STATUS_INVALID_PARAMETER) {
        kerb_log(LOG_NOTICE, "logon refused: a malformed submit buffer");
    }
    kerb_logon_free(&l);
    return status;
}
