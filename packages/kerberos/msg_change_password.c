/*
 * KerbChangePasswordMessage (7) (spec/lsa-api.md §5.4): the Kerberos change-password
 * protocol (RFC 3244, kpasswd.h, to krb5.conf's kpasswd_server).  The caller proves the
 * old password, so untrusted callers may use it.
 *
 *   AccountName   "user" in DomainName, or "user@REALM" (DomainName then unused)
 *   DomainName    the realm, upper-cased; empty: krb5.conf's default_realm
 *   Impersonating ignored
 *
 * A ticket for kadmin/changepw is obtained with the old password (an initial ticket; the
 * KDC grants it even when the password has expired), then the new password is sent to
 * the kpasswd server.  Both exchanges share one deadline, [kerberos] kdc_timeout: a KDC
 * or kpasswd server that does not answer in time is STATUS_NO_LOGON_SERVERS, and the
 * log names which.  ProtocolStatus:
 *
 *   changed                                    STATUS_SUCCESS
 *   old password wrong                         STATUS_WRONG_PASSWORD
 *   unknown account                            STATUS_NO_SUCH_USER
 *   no KDC / kpasswd server answered           STATUS_NO_LOGON_SERVERS
 *   rejected by policy (soft error: too short,
 *   too recent, in the history)                STATUS_PASSWORD_RESTRICTION
 *   not authorised, initial ticket needed      STATUS_ACCESS_DENIED
 *   other server errors                        STATUS_UNSUCCESSFUL
 *
 * No reply buffer.  Every copy of a password is wiped; the passwords in the LSA's copy
 * of the submit buffer too.
 */
#include <ctype.h>
#include <string.h>

#include <lsa/lsa_util.h>
#include <lsa/ntstatus.h>

#include "kerb_call.h"
#include "kerb_context.h"
#include "kerb_log.h"
#include "kpasswd.h"

static NTSTATUS kpasswd_status(int result_code)
{
    switch (result_code) {
    case KRB5_KPASSWD_SUCCESS:
        return STATUS_SUCCESS;
    case KRB5_KPASSWD_SOFTERROR:
        return STATUS_PASSWORD_RESTRICTION;
    case KRB5_KPASSWD_AUTHERROR:
        return STATUS_WRONG_PASSWORD;
    case KRB5_KPASSWD_ACCESSDENIED:
    case KRB5_KPASSWD_INITIAL_FLAG_NEEDED:
        return STATUS_ACCESS_DENIED;
    default:
        return STATUS_UNSUCCESSFUL;
    }
}

/* ACCOUNT in DOMAIN (upper-cased) or its own realm; DOMAIN "" is the default realm. */
static NTSTATUS make_principal(krb5_context ctx, const char *account, char *domain,
                               krb5_principal *principal)
{
    krb5_error_code code;

    *principal = NULL;
    if (strchr(account, '@') != NULL)
        code = krb5_parse_name_flags(ctx, account, KRB5_PRINCIPAL_PARSE_REQUIRE_REALM, principal);
    else if (domain[0] == '\0')
        code = krb5_parse_name_flags(ctx, account, 0, principal);
    else {
        for (char *c = domain; *c != '\0'; c++)
            *c = (char)toupper((unsigned char)*c);
        code = krb5_parse_name_flags(ctx, account, KRB5_PRINCIPAL_PARSE_NO_REALM, principal);
        if (code == 0)
            code = krb5_set_principal_realm(ctx, *principal, domain);
    }
    if (code != 0) {
        kerb_log_krb5_error(LOG_INFO, ctx, code, "password change: not a Kerberos account name");
        krb5_free_principal(ctx, *principal);
        *principal = NULL;
        return STATUS_NO_SUCH_USER;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS change(krb5_context ctx, struct kerb_exchange *x, krb5_principal principal,
                       const char *old_password, const char *new_password, const char *who)
{
    krb5_get_init_creds_opt *opt = NULL;
    krb5_creds creds;
    krb5_data result_string = {0};
    char *message = NULL;
    int result_code = -1;
    krb5_error_code code;
    NTSTATUS status;

    memset(&creds, 0, sizeof(creds));
    code = krb5_get_init_creds_opt_alloc(ctx, &opt);
    if (code != 0)
        return kerb_call_krb5_status(ctx, x, code, "password change");
    krb5_get_init_creds_opt_set_tkt_life(opt, 300);
    krb5_get_init_creds_opt_set_renew_life(opt, 0);
    krb5_get_init_creds_opt_set_forwardable(opt, 0);
    krb5_get_init_creds_opt_set_proxiable(opt, 0);
    code = krb5_get_init_creds_password(ctx, &creds, principal, old_password, NULL, NULL, 0,
                                        "kadmin/changepw", opt);
    krb5_get_init_creds_opt_free(ctx, opt);
    if (code != 0) {
        status = kerb_call_krb5_status(ctx, x, code, "password change: kadmin/changepw ticket");
        kerb_log(LOG_NOTICE, "password change of '%s' failed: 0x%08x", who, (unsigned)status);
        return status;
    }
    code = kerb_kpasswd_change(ctx, x, &creds, new_password, &result_code, &result_string);
    krb5_free_cred_contents(ctx, &creds);
    if (code == KRB5_KDC_UNREACH) {
        status = STATUS_NO_LOGON_SERVERS; /* kpasswd.c logged why */
    } else if (code != 0) {
        status = kerb_call_krb5_status(ctx, x, code, "password change: kpasswd exchange");
        if (status == STATUS_LOGON_FAILURE)
            status = STATUS_NO_LOGON_SERVERS; /* no kpasswd answer we could read */
    } else {
        status = kpasswd_status(result_code);
    }
    if (status == STATUS_SUCCESS)
        kerb_log(LOG_NOTICE, "password of '%s' changed", who);
    else if (code == 0) {
        if (result_string.length > 0 && krb5_chpw_message(ctx, &result_string, &message) != 0)
            message = NULL;
        kerb_log(LOG_NOTICE, "password change of '%s' refused: %.120s (kpasswd %d): 0x%08x", who,
                 message ? message : "", result_code, (unsigned)status);
        krb5_free_string(ctx, message);
    } else
        kerb_log(LOG_NOTICE, "password change of '%s' failed: 0x%08x", who, (unsigned)status);
    krb5_free_data_contents(ctx, &result_string);
    return status;
}

static void wipe(PUNICODE_STRING s)
{
    if (s->Buffer != NULL)
        explicit_bzero(s->Buffer, s->Length);
}

NTSTATUS kerb_msg_change_password(struct kerb_call *call)
{
    KERB_CHANGEPASSWORD_REQUEST *r = call->submit;
    char *account = NULL, *domain = NULL, *old_password = NULL, *new_password = NULL;
    char who[KERB_LOG_NAME_SIZE] = "";
    struct kerb_exchange x;
    krb5_context ctx = NULL;
    krb5_principal principal = NULL;
    char *unparsed = NULL;
    UNICODE_STRING old_copy, new_copy;
    BOOLEAN attempted = FALSE;
    NTSTATUS status;

    if (!kerb_call_fits(call, sizeof(*r)) ||
        kerb_call_relocate(call, &r->DomainName) != STATUS_SUCCESS ||
        kerb_call_relocate(call, &r->AccountName) != STATUS_SUCCESS ||
        kerb_call_relocate(call, &r->OldPassword) != STATUS_SUCCESS ||
        kerb_call_relocate(call, &r->NewPassword) != STATUS_SUCCESS) {
        kerb_log(LOG_INFO, "ChangePassword request of %u bytes is malformed",
                 (unsigned)call->length);
        return STATUS_INVALID_PARAMETER;
    }
    status = STATUS_INVALID_PARAMETER;
    if (r->AccountName.Length > 0 &&
        lsa_unicode_string_to_utf8(&r->AccountName, &account, NULL) == STATUS_SUCCESS &&
        lsa_unicode_string_to_utf8(&r->DomainName, &domain, NULL) == STATUS_SUCCESS &&
        lsa_unicode_string_to_utf8(&r->OldPassword, &old_password, NULL) == STATUS_SUCCESS &&
        lsa_unicode_string_to_utf8(&r->NewPassword, &new_password, NULL) == STATUS_SUCCESS)
        status = STATUS_SUCCESS;
    /* A client may point a string into the structure itself: take both ranges before
     * wiping either, so wiping one cannot redirect the other. */
    old_copy = r->OldPassword;
    new_copy = r->NewPassword;
    wipe(&old_copy);
    wipe(&new_copy);
    if (status != STATUS_SUCCESS) {
        kerb_log(LOG_INFO, "ChangePassword: no account name, or a string is not valid UTF-16");
    } else {
        attempted = TRUE;
        status = kerb_call_context(&x, &ctx);
        if (status == STATUS_SUCCESS)
            status = make_principal(ctx, account, domain, &principal);
        if (status == STATUS_SUCCESS &&
            krb5_unparse_name(ctx, principal, &unparsed) == 0) {
            lsa_log_name(unparsed, who, sizeof(who));
            krb5_free_unparsed_name(ctx, unparsed);
        }
        if (status == STATUS_SUCCESS)
            status = change(ctx, &x, principal, old_password, new_password, who);
    }
    lsa_free_utf8(account);
    lsa_free_utf8(domain);
    lsa_free_utf8(old_password);
    lsa_free_utf8(new_password);
    krb5_free_principal(ctx, principal);
    if (ctx != NULL)
        krb5_free_context(ctx);
    if (!attempted)
        return status;
    return kerb_call_outcome(call, status);
}
