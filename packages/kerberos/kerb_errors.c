#include "kerb_errors.h"

#include <errno.h>
#include <string.h>

#include <lsa/ntstatus.h>

/* The PKINIT module rejected the KDC's reply (its certificate): step 3a/3b. */
static NTSTATUS kdc_certificate_sub_status(krb5_error_code code)
{
    switch (code) {
    case KRB5KDC_ERR_INVALID_CERTIFICATE:
        return STATUS_KDC_CERT_EXPIRED; /* the only cause MIT reports with it here */
    case KRB5KDC_ERR_REVOKED_CERTIFICATE:
        return STATUS_KDC_CERT_REVOKED;
    case KRB5KDC_ERR_CANT_VERIFY_CERTIFICATE:
        return STATUS_ISSUING_CA_UNTRUSTED_KDC;
    case KRB5KDC_ERR_REVOCATION_STATUS_UNKNOWN:
        return STATUS_REVOCATION_OFFLINE_KDC;
    default:
        return STATUS_SUCCESS;
    }
}

/* KDC errors about the client's certificate: step 3c2-3e6. */
static BOOLEAN client_certificate_error(krb5_error_code code)
{
    switch (code) {
    case KRB5KDC_ERR_INVALID_CERTIFICATE:
    case KRB5KDC_ERR_CANT_VERIFY_CERTIFICATE:
    case KRB5KDC_ERR_REVOKED_CERTIFICATE:
    case KRB5KDC_ERR_REVOCATION_STATUS_UNKNOWN:
    case KRB5KDC_ERR_CLIENT_NAME_MISMATCH:
    case KRB5KDC_ERR_INCONSISTENT_KEY_PURPOSE:
    case KRB5KDC_ERR_INVALID_SIG:
    case KRB5KDC_ERR_DIGEST_IN_CERT_NOT_ACCEPTED:
    case KRB5KDC_ERR_CERTIFICATE_MISMATCH:
        return TRUE;
    default:
        return FALSE;
    }
}

static NTSTATUS client_certificate_sub_status(krb5_error_code code)
{
    switch (code) {
    case KRB5KDC_ERR_INVALID_CERTIFICATE:
        return STATUS_SMARTCARD_CERT_EXPIRED;
    case KRB5KDC_ERR_REVOKED_CERTIFICATE:
        return STATUS_SMARTCARD_CERT_REVOKED;
    case KRB5KDC_ERR_CLIENT_NAME_MISMATCH:
        return STATUS_PKINIT_NAME_MISMATCH;
    default:
        return STATUS_SUCCESS;
    }
}

static NTSTATUS map_pkinit(const struct kerb_exchange *x, const struct kerb_as_failure *f,
                           NTSTATUS *sub)
{
    krb5_error_code code = f->kdc_error ? f->kdc_error : f->code;

    /* The identity asked for a PIN: none was given, or the one given did not open it. */
    if (f->pin_asked && (!f->pin_given || x->pkinit_request_code != 0))
        return STATUS_SMARTCARD_WRONG_PIN;
    /* A rejected KDC certificate is masked by the password fallback: the trace holds it. */
    if (x->pkinit_reply_code != 0 && f->kdc_error == 0) {
        *sub = kdc_certificate_sub_status(x->pkinit_reply_code);
        return STATUS_PKINIT_FAILURE;
    }
    if (client_certificate_error(code)) {
        *sub = client_certificate_sub_status(code);
        return STATUS_PKINIT_CLIENT_FAILURE;
    }
    /* The client's own checks before sending: its certificate, key or files. */
    if (f->code == KRB5_PREAUTH_FAILED && f->kdc_error == 0)
        return STATUS_PKINIT_CLIENT_FAILURE;
    /* Sent by a KDC that cannot use its own certificate (3b1, 3b3): no password here. */
    if (code == KRB5KDC_ERR_PREAUTH_FAILED)
        return STATUS_PKINIT_FAILURE;
    return STATUS_SUCCESS; /* not PKINIT-specific */
}

NTSTATUS kerb_map_as_failure(const struct kerb_exchange *x, const struct kerb_as_failure *f,
                             NTSTATUS *sub)
{
    krb5_error_code code = f->kdc_error ? f->kdc_error : f->code;
    NTSTATUS status;

    *sub = STATUS_SUCCESS;
    if (x->strict_reason[0] != '\0') {
        *sub = x->strict_sub_status;
        return STATUS_PKINIT_FAILURE;
    }
    if (x->deadline_passed || code == KRB5_KDC_UNREACH || code == KRB5KDC_ERR_SVC_UNAVAILABLE)
        return STATUS_NO_LOGON_SERVERS;
    if (f->pkinit && (status = map_pkinit(x, f, sub)) != STATUS_SUCCESS)
        return status;
    switch (code) {
    case KRB5KDC_ERR_PREAUTH_FAILED:
    case KRB5KRB_AP_ERR_BAD_INTEGRITY:
        return STATUS_WRONG_PASSWORD;
    case KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN:
        return STATUS_NO_SUCH_USER;
    case KRB5KDC_ERR_CLIENT_REVOKED:
        /* MIT sends both a disabled (-allow_tix) and a locked-out principal with this
         * code; only its e-text tells them apart. */
        return strstr(f->kdc_text, "LOCKED_OUT") != NULL ? STATUS_ACCOUNT_LOCKED_OUT
                                                          : STATUS_ACCOUNT_DISABLED;
    case KRB5KDC_ERR_NAME_EXP:
        return STATUS_ACCOUNT_EXPIRED;
    case KRB5KDC_ERR_KEY_EXP:
        return STATUS_PASSWORD_EXPIRED;
    case KRB5KRB_AP_ERR_SKEW:
        return STATUS_TIME_DIFFERENCE_AT_DC;
    case KRB5_REALM_UNKNOWN:
    case KRB5_REALM_CANT_RESOLVE:
    case KRB5KDC_ERR_WRONG_REALM:
        return STATUS_NO_SUCH_DOMAIN;
    case KRB5_KDC_UNREACH:
        return STATUS_NO_LOGON_SERVERS;
    case ENOMEM:
        return STATUS_NO_MEMORY;
    default:
        return STATUS_LOGON_FAILURE;
    }
}
