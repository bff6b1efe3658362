/*
 * The NTSTATUS of a failed krb5 call inside a message, after the Windows Kerberos
 * package's own mapping of KDC errors (KDC_ERR_S_PRINCIPAL_UNKNOWN is
 * STATUS_NO_TRUST_SAM_ACCOUNT, expired tickets and skew STATUS_TIME_DIFFERENCE_AT_DC,
 * anything unknown STATUS_LOGON_FAILURE).  A KDC exchange cut off by the deadline, or no
 * KDC reachable, is STATUS_NO_LOGON_SERVERS; a missing TGT SEC_E_NO_CREDENTIALS.
 */
#include <errno.h>

#include <lsa/ntstatus.h>

#include "kerb_call.h"
#include "kerb_context.h"
#include "kerb_log.h"

NTSTATUS kerb_call_krb5_status(krb5_context ctx, const struct kerb_exchange *x,
                               krb5_error_code code, const char *what)
{
    NTSTATUS status;

    switch (code) {
    case 0:
        return STATUS_SUCCESS;
    case KRB5_KDC_UNREACH:
    case KRB5_REALM_UNKNOWN:
    case KRB5_REALM_CANT_RESOLVE:
    case KRB5KDC_ERR_SVC_UNAVAILABLE:
    case KRB5KDC_ERR_WRONG_REALM:
        status = STATUS_NO_LOGON_SERVERS;
        break;
    case KRB5_CC_NOTFOUND:
    case KRB5_FCC_NOFILE:
    case KRB5_CC_NOSUPP:
    case KRB5_NO_TKT_SUPPLIED:
        status = SEC_E_NO_CREDENTIALS;
        break;
    case KRB5KDC_ERR_S_PRINCIPAL_UNKNOWN:
        status = STATUS_NO_TRUST_SAM_ACCOUNT;
        break;
    case KRB5KDC_ERR_C_PRINCIPAL_UNKNOWN:
        status = STATUS_NO_SUCH_USER;
        break;
    case KRB5KDC_ERR_PREAUTH_FAILED:
    case KRB5KRB_AP_ERR_BAD_INTEGRITY:
    case KRB5KRB_AP_ERR_MODIFIED:
        status = STATUS_WRONG_PASSWORD;
        break;
    case KRB5KDC_ERR_CLIENT_REVOKED:
        status = STATUS_ACCOUNT_DISABLED;
        break;
    case KRB5KDC_ERR_KEY_EXP:
        status = STATUS_PASSWORD_EXPIRED;
        break;
    case KRB5KDC_ERR_POLICY:
        status = STATUS_ACCOUNT_RESTRICTION;
        break;
    case KRB5KRB_AP_ERR_SKEW:
    case KRB5KRB_AP_ERR_TKT_NYV:
    case KRB5KRB_AP_ERR_TKT_EXPIRED:
        status = STATUS_TIME_DIFFERENCE_AT_DC;
        break;
    case KRB5KDC_ERR_ETYPE_NOSUPP:
    case KRB5_PROG_ETYPE_NOSUPP:
        status = STATUS_KDC_UNKNOWN_ETYPE;
        break;
    case KRB5KDC_ERR_PADATA_TYPE_NOSUPP:
        status = STATUS_NOT_SUPPORTED;
        break;
    case KRB5_PARSE_MALFORMED:
    case KRB5_PARSE_ILLCHAR:
        status = STATUS_INVALID_PARAMETER;
        break;
    case ENOMEM:
        status = STATUS_NO_MEMORY;
        break;
    default:
        status = STATUS_LOGON_FAILURE;
        break;
    }
    if (x != NULL && x->deadline_passed) {
        kerb_log(LOG_NOTICE, "%s: no KDC answered within [kerberos] kdc_timeout", what);
        return STATUS_NO_LOGON_SERVERS;
    }
    kerb_log_krb5_error(LOG_NOTICE, ctx, code, what);
    return status;
}
