/*
 * status_table.c - the NTSTATUS table: LsaNtStatusToWinError() and <lsa/lsa_status.h>.
 *
 * One table, spec/lsa-api.md §6.6, sorted by the unsigned status value so a lookup
 * is a binary search (LsaNtStatusToWinError sits on logging and benchmark paths).
 * The mapping algorithm is §6.5 (Wine's RtlNtStatusToDosError).
 */
#include <stddef.h>
#include <string.h>

#include <lsa/ntstatus.h>
#include <lsa/winerror.h>
#include <lsa/lsa_status.h>

#include "lsa_visibility.h"

/* Declared in <lsa/ntsecapi.h>; repeated here (same signature) to keep this file
 * independent of the message-struct headers that one pulls in. */
LSA_PUBLIC ULONG NTAPI LsaNtStatusToWinError(NTSTATUS Status);

struct status_row {
    NTSTATUS status;
    ULONG win32;
    const char *name;
    const char *win32_name;
    const char *text;
};

/* Stringizing the macro names keeps each name identical to its header definition. */
#define ROW(status, win32, text) { status, win32, #status, #win32, text }

/* Sorted by (ULONG)status. */
static const struct status_row status_table[] = {
    ROW(STATUS_SUCCESS, ERROR_SUCCESS,
        "The operation completed successfully."),
    ROW(STATUS_PENDING, ERROR_IO_PENDING,
        "The operation is pending completion."),
    ROW(STATUS_MORE_ENTRIES, ERROR_MORE_DATA,
        "More entries are available; call again to get the rest."),
    ROW(STATUS_BUFFER_OVERFLOW, ERROR_MORE_DATA,
        "The data was too large to fit into the buffer."),
    /* Not in §6.6; mapping from Wine's ntdll table (dlls/ntdll/error.c). */
    ROW(STATUS_NO_MORE_ENTRIES, ERROR_NO_MORE_ITEMS,
        "No more entries are available."),
    ROW(SEC_E_NO_CREDENTIALS, ERROR_NO_SUCH_LOGON_SESSION,
        "No credentials are available in the security package."),
    ROW(STATUS_UNSUCCESSFUL, ERROR_GEN_FAILURE,
        "The requested operation was unsuccessful."),
    ROW(STATUS_NOT_IMPLEMENTED, ERROR_INVALID_FUNCTION,
        "The requested operation is not implemented."),
    ROW(STATUS_INVALID_INFO_CLASS, ERROR_INVALID_PARAMETER,
        "The information class is not valid for this operation."),
    ROW(STATUS_INFO_LENGTH_MISMATCH, ERROR_BAD_LENGTH,
        "The information length does not match the length required."),
    ROW(STATUS_ACCESS_VIOLATION, ERROR_NOACCESS,
        "A memory access violation occurred."),
    ROW(STATUS_INVALID_HANDLE, ERROR_INVALID_HANDLE,
        "An invalid handle was specified."),
    ROW(STATUS_INVALID_PARAMETER, ERROR_INVALID_PARAMETER,
        "An invalid parameter was passed to a service or function."),
    ROW(STATUS_NO_MEMORY, ERROR_NOT_ENOUGH_MEMORY,
        "Not enough memory is available to complete the operation."),
    ROW(STATUS_INVALID_SYSTEM_SERVICE, ERROR_INVALID_FUNCTION,
        "The requested system service does not exist."),
    ROW(STATUS_ACCESS_DENIED, ERROR_ACCESS_DENIED,
        "Access is denied."),
    ROW(STATUS_BUFFER_TOO_SMALL, ERROR_INSUFFICIENT_BUFFER,
        "The buffer is too small to hold the result."),
    ROW(STATUS_OBJECT_NAME_NOT_FOUND, ERROR_FILE_NOT_FOUND,
        "The object name was not found."),
    ROW(STATUS_PORT_DISCONNECTED, ERROR_INVALID_HANDLE,
        "The connection to the LSA was lost (lsad went away or the connection broke)."),
    ROW(STATUS_PORT_CONNECTION_REFUSED, ERROR_ACCESS_DENIED,
        "The connection request was refused."),
    ROW(STATUS_QUOTA_EXCEEDED, ERROR_NOT_ENOUGH_QUOTA,
        "Insufficient quota exists to complete the operation."),
    ROW(STATUS_NO_LOGON_SERVERS, ERROR_NO_LOGON_SERVERS,
        "No logon servers are available to service the logon request."),
    ROW(STATUS_NO_SUCH_LOGON_SESSION, ERROR_NO_SUCH_LOGON_SESSION,
        "The specified logon session does not exist."),
    ROW(STATUS_NO_SUCH_PRIVILEGE, ERROR_NO_SUCH_PRIVILEGE,
        "The specified privilege does not exist."),
    ROW(STATUS_PRIVILEGE_NOT_HELD, ERROR_PRIVILEGE_NOT_HELD,
        "A required privilege is not held by the client."),
    ROW(STATUS_INVALID_ACCOUNT_NAME, ERROR_INVALID_ACCOUNT_NAME,
        "The account name is not properly formed."),
    /* Not in §6.6; mapping from Wine's ntdll table. */
    ROW(STATUS_USER_EXISTS, ERROR_USER_EXISTS, "The specified account already exists."),
    ROW(STATUS_NO_SUCH_USER, ERROR_NO_SUCH_USER,
        "The specified account does not exist."),
    ROW(STATUS_WRONG_PASSWORD, ERROR_INVALID_PASSWORD,
        "The specified password is not correct."),
    ROW(STATUS_ILL_FORMED_PASSWORD, ERROR_ILL_FORMED_PASSWORD,
        "The new password is not properly formed."),
    ROW(STATUS_PASSWORD_RESTRICTION, ERROR_PASSWORD_RESTRICTION,
        "The new password does not meet the password policy."),
    ROW(STATUS_LOGON_FAILURE, ERROR_LOGON_FAILURE,
        "The user name or password is incorrect."),
    ROW(STATUS_ACCOUNT_RESTRICTION, ERROR_ACCOUNT_RESTRICTION,
        "An account restriction prevents this logon."),
    ROW(STATUS_INVALID_LOGON_HOURS, ERROR_INVALID_LOGON_HOURS,
        "The account is not allowed to log on at this time."),
    ROW(STATUS_INVALID_WORKSTATION, ERROR_INVALID_WORKSTATION,
        "The account is not allowed to log on from this workstation."),
    ROW(STATUS_PASSWORD_EXPIRED, ERROR_PASSWORD_EXPIRED,
        "The password of the account has expired."),
    ROW(STATUS_ACCOUNT_DISABLED, ERROR_ACCOUNT_DISABLED,
        "The account is disabled."),
    ROW(STATUS_NO_TOKEN, ERROR_NO_TOKEN,
        "The referenced token does not exist."),
    ROW(STATUS_INSUFFICIENT_RESOURCES, ERROR_NO_SYSTEM_RESOURCES,
        "Insufficient system resources exist to complete the operation."),
    ROW(STATUS_BAD_IMPERSONATION_LEVEL, ERROR_BAD_IMPERSONATION_LEVEL,
        "The required impersonation level was not provided."),
    ROW(STATUS_BAD_VALIDATION_CLASS, ERROR_BAD_VALIDATION_CLASS,
        "The authentication information is of a class the package does not recognise."),
    ROW(STATUS_IO_TIMEOUT, ERROR_SEM_TIMEOUT,
        "The operation did not complete within its deadline (lsa.conf request_timeout)."),
    ROW(STATUS_NOT_SUPPORTED, ERROR_NOT_SUPPORTED,
        "The request is not supported."),
    ROW(STATUS_CANT_ACCESS_DOMAIN_INFO, ERROR_CANT_ACCESS_DOMAIN_INFO,
        "The domain configuration information could not be read."),
    ROW(STATUS_INVALID_SERVER_STATE, ERROR_INVALID_SERVER_STATE,
        "The server is in the wrong state to perform the operation."),
    ROW(STATUS_NO_SUCH_DOMAIN, ERROR_NO_SUCH_DOMAIN,
        "The specified domain does not exist."),
    ROW(STATUS_INTERNAL_ERROR, ERROR_INTERNAL_ERROR,
        "An internal error occurred."),
    ROW(STATUS_NOT_LOGON_PROCESS, ERROR_NOT_LOGON_PROCESS,
        "The operation is restricted to logon processes."),
    ROW(STATUS_LOGON_SESSION_EXISTS, ERROR_LOGON_SESSION_EXISTS,
        "The logon session already exists."),
    ROW(STATUS_NO_SUCH_PACKAGE, ERROR_NO_SUCH_PACKAGE,
        "The specified authentication package is unknown."),
    ROW(STATUS_BAD_LOGON_SESSION_STATE, ERROR_BAD_LOGON_SESSION_STATE,
        "The logon session is in a state inconsistent with the operation."),
    ROW(STATUS_LOGON_SESSION_COLLISION, ERROR_LOGON_SESSION_COLLISION,
        "The logon session ID is already in use."),
    ROW(STATUS_NAME_TOO_LONG, ERROR_FILENAME_EXCED_RANGE,
        "The specified name is too long."),
    ROW(STATUS_INVALID_LOGON_TYPE, ERROR_INVALID_LOGON_TYPE,
        "An invalid logon type was specified."),
    ROW(STATUS_TIME_DIFFERENCE_AT_DC, ERROR_TIME_SKEW,
        "The clock difference with the domain controller is too large."),
    ROW(STATUS_LOGON_NOT_GRANTED, ERROR_LOGON_NOT_GRANTED,
        "The local security policy does not grant this type of logon."),
    ROW(STATUS_LOGON_TYPE_NOT_GRANTED, ERROR_LOGON_TYPE_NOT_GRANTED,
        "The user has not been granted the requested logon type."),
    ROW(STATUS_NO_TRUST_LSA_SECRET, ERROR_NO_TRUST_LSA_SECRET,
        "This machine has no trust secret for the domain."),
    ROW(STATUS_NO_TRUST_SAM_ACCOUNT, ERROR_NO_TRUST_SAM_ACCOUNT,
        "The domain has no computer account for this machine."),
    ROW(STATUS_TRUSTED_DOMAIN_FAILURE, ERROR_TRUSTED_DOMAIN_FAILURE,
        "The trust relationship with the trusted domain failed."),
    ROW(STATUS_TRUSTED_RELATIONSHIP_FAILURE, ERROR_TRUSTED_RELATIONSHIP_FAILURE,
        "The trust relationship between this machine and the domain failed."),
    ROW(STATUS_NETLOGON_NOT_STARTED, ERROR_NETLOGON_NOT_STARTED,
        "The Netlogon service is not started."),
    ROW(STATUS_ACCOUNT_EXPIRED, ERROR_ACCOUNT_EXPIRED,
        "The account has expired."),
    ROW(STATUS_NOLOGON_INTERDOMAIN_TRUST_ACCOUNT, ERROR_NOLOGON_INTERDOMAIN_TRUST_ACCOUNT,
        "An interdomain trust account cannot be used to log on."),
    ROW(STATUS_NOLOGON_WORKSTATION_TRUST_ACCOUNT, ERROR_NOLOGON_WORKSTATION_TRUST_ACCOUNT,
        "A workstation trust account cannot be used to log on."),
    ROW(STATUS_NOLOGON_SERVER_TRUST_ACCOUNT, ERROR_NOLOGON_SERVER_TRUST_ACCOUNT,
        "A server trust account cannot be used to log on."),
    ROW(STATUS_INVALID_BUFFER_SIZE, ERROR_INVALID_USER_BUFFER,
        "The buffer size is not valid for the operation."),
    ROW(STATUS_PASSWORD_MUST_CHANGE, ERROR_PASSWORD_MUST_CHANGE,
        "The password must be changed before logging on."),
    ROW(STATUS_NOT_FOUND, ERROR_NOT_FOUND,
        "The object was not found."),
    ROW(STATUS_DOMAIN_CONTROLLER_NOT_FOUND, ERROR_DOMAIN_CONTROLLER_NOT_FOUND,
        "No domain controller could be found for the domain."),
    ROW(STATUS_ACCOUNT_LOCKED_OUT, ERROR_ACCOUNT_LOCKED_OUT,
        "The account is locked out."),
    ROW(STATUS_NO_PA_DATA, SEC_E_NO_PA_DATA,
        "No Kerberos pre-authentication data was found."),
    ROW(STATUS_PKINIT_NAME_MISMATCH, SEC_E_PKINIT_NAME_MISMATCH,
        "The client certificate does not match the client name in the logon request."),
    ROW(STATUS_SMARTCARD_LOGON_REQUIRED, SEC_E_SMARTCARD_LOGON_REQUIRED,
        "A smart card is required to log on with this account."),
    ROW(STATUS_KDC_INVALID_REQUEST, SEC_E_KDC_INVALID_REQUEST,
        "An invalid request was sent to the KDC."),
    ROW(STATUS_KDC_UNABLE_TO_REFER, SEC_E_KDC_UNABLE_TO_REFER,
        "The KDC could not generate a referral for the service ticket."),
    ROW(STATUS_KDC_UNKNOWN_ETYPE, SEC_E_KDC_UNKNOWN_ETYPE,
        "The requested encryption type is not supported by the KDC."),
    ROW(STATUS_PKINIT_FAILURE, ERROR_PKINIT_FAILURE,
        "Kerberos PKINIT failed while validating the KDC certificate."),
    ROW(STATUS_SMARTCARD_SUBSYSTEM_FAILURE, ERROR_SMARTCARD_SUBSYSTEM_FAILURE,
        "Kerberos failed while using the smart card subsystem."),
    ROW(STATUS_NO_KERB_KEY, SEC_E_NO_KERB_KEY,
        "The target has no acceptable Kerberos key."),
    ROW(STATUS_SMARTCARD_WRONG_PIN, SCARD_W_WRONG_CHV,
        "An incorrect PIN was presented to the smart card."),
    ROW(STATUS_SMARTCARD_CARD_BLOCKED, SCARD_W_CHV_BLOCKED,
        "The smart card is blocked."),
    ROW(STATUS_SMARTCARD_CARD_NOT_AUTHENTICATED, SCARD_W_CARD_NOT_AUTHENTICATED,
        "No PIN was presented to the smart card."),
    ROW(STATUS_SMARTCARD_NO_CARD, SCARD_E_NO_SMARTCARD,
        "No smart card is available."),
    ROW(STATUS_SMARTCARD_NO_KEY_CONTAINER, NTE_NO_KEY,
        "The requested key container does not exist on the smart card."),
    ROW(STATUS_SMARTCARD_NO_CERTIFICATE, SCARD_E_NO_SUCH_CERTIFICATE,
        "The requested certificate does not exist on the smart card."),
    ROW(STATUS_SMARTCARD_NO_KEYSET, NTE_BAD_KEYSET,
        "The requested keyset does not exist."),
    ROW(STATUS_SMARTCARD_IO_ERROR, SCARD_E_COMM_DATA_LOST,
        "Communication with the smart card failed."),
    ROW(STATUS_DOWNGRADE_DETECTED, ERROR_DOWNGRADE_DETECTED,
        "A possible security downgrade attack was detected."),
    ROW(STATUS_SMARTCARD_CERT_REVOKED, SEC_E_SMARTCARD_CERT_REVOKED,
        "The smart card certificate used for authentication has been revoked."),
    ROW(STATUS_ISSUING_CA_UNTRUSTED, SEC_E_ISSUING_CA_UNTRUSTED,
        "The certificate used for authentication was issued by an untrusted authority."),
    ROW(STATUS_REVOCATION_OFFLINE_C, SEC_E_REVOCATION_OFFLINE_C,
        "The revocation status of the authentication certificate could not be determined."),
    ROW(STATUS_PKINIT_CLIENT_FAILURE, SEC_E_PKINIT_CLIENT_FAILURE,
        "The certificate used for authentication is not trusted."),
    ROW(STATUS_SMARTCARD_CERT_EXPIRED, SEC_E_SMARTCARD_CERT_EXPIRED,
        "The smart card certificate used for authentication has expired."),
    ROW(STATUS_SMARTCARD_SILENT_CONTEXT, NTE_SILENT_CONTEXT,
        "The smart card provider needs user interaction in a silent context."),
    ROW(STATUS_REVOCATION_OFFLINE_KDC, SEC_E_REVOCATION_OFFLINE_KDC,
        "The revocation status of the KDC certificate could not be determined."),
    ROW(STATUS_ISSUING_CA_UNTRUSTED_KDC, SEC_E_ISSUING_CA_UNTRUSTED_KDC,
        "The KDC certificate was issued by an untrusted authority."),
    ROW(STATUS_KDC_CERT_EXPIRED, SEC_E_KDC_CERT_EXPIRED,
        "The KDC certificate has expired."),
    ROW(STATUS_KDC_CERT_REVOKED, SEC_E_KDC_CERT_REVOKED,
        "The KDC certificate has been revoked."),
    ROW(STATUS_AUTHENTICATION_FIREWALL_FAILED, ERROR_AUTHENTICATION_FIREWALL_FAILED,
        "An authentication firewall does not allow this account to authenticate here."),
};

#define STATUS_TABLE_SIZE (sizeof(status_table) / sizeof(status_table[0]))

static const struct status_row *find_status(ULONG key)
{
    size_t lo = 0, hi = STATUS_TABLE_SIZE;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        ULONG v = (ULONG)status_table[mid].status;

        if (v == key)
            return &status_table[mid];
        if (v < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

LSA_PUBLIC ULONG NTAPI LsaNtStatusToWinError(NTSTATUS Status)
{
    ULONG s = (ULONG)Status;
    const struct status_row *row;

    /* §6.5.1: success, and customer-defined codes, pass through unchanged. */
    if (s == 0 || (s & 0x20000000u))
        return s;
    /* §6.5.2: 0xDxxxxxxx is the same code as 0xCxxxxxxx. */
    if ((s & 0xF0000000u) == 0xD0000000u)
        s &= ~0x10000000u;
    /* §6.5.3: RPC (0xC001) and wrapped Win32 (0x8007, 0xC007) facilities carry the
     * Win32 code in the low word. */
    switch (s >> 16) {
    case 0xC001u:
    case 0x8007u:
    case 0xC007u:
        return s & 0xFFFFu;
    default:
        break;
    }
    row = find_status(s);
    return row ? row->win32 : (ULONG)ERROR_MR_MID_NOT_FOUND;
}

LSA_PUBLIC const char *lsa_status_name(NTSTATUS Status)
{
    const struct status_row *row = find_status((ULONG)Status);

    return row ? row->name : NULL;
}

LSA_PUBLIC const char *lsa_status_text(NTSTATUS Status)
{
    const struct status_row *row = find_status((ULONG)Status);

    return row ? row->text : NULL;
}

/* Linear: names are looked up from configuration and the command line, not hot paths. */
LSA_PUBLIC int lsa_status_from_name(const char *Name, NTSTATUS *Status)
{
    if (Name == NULL || Status == NULL)
        return -1;
    for (size_t i = 0; i < STATUS_TABLE_SIZE; i++) {
        if (strcmp(status_table[i].name, Name) == 0) {
            *Status = status_table[i].status;
            return 0;
        }
    }
    return -1;
}

/* Several statuses share a Win32 code, always under the same name: first match wins. */
LSA_PUBLIC const char *lsa_win_error_name(ULONG Error)
{
    if (Error == (ULONG)ERROR_MR_MID_NOT_FOUND)
        return "ERROR_MR_MID_NOT_FOUND";
    for (size_t i = 0; i < STATUS_TABLE_SIZE; i++) {
        if (status_table[i].win32 == Error)
            return status_table[i].win32_name;
    }
    return NULL;
}
