/*
 * echo_ap.so: the echo protocol (echo_protocol.h) as a classic authentication package,
 * the AP model of spec/lsa-api.md §2.1-§2.4.  The LSA finds it by its LsaApInitializePackage
 * export, hands it the 11-entry LSA_DISPATCH_TABLE, and calls the LsaAp* exports below.
 *
 * Its logon entry is the oldest one, the 13-parameter LsaApLogonUser: the LSA probes
 * LsaApLogonUserEx2, then LsaApLogonUserEx, then LsaApLogonUser and uses the first it
 * finds.  An AP has no CallPackage and no Linux extensions, so EchoMessageForward and
 * EchoMessageConfig are STATUS_NOT_SUPPORTED here, and WhoAmI has no GetClientInfo.
 */
#include <lsa/ntsecpkg.h>

#include "echo_common.h"

/* The exports, declared through the documented function types: the compiler checks
 * every definition below against <lsa/ntsecpkg.h>. */
LSA_AP_INITIALIZE_PACKAGE LsaApInitializePackage;
LSA_AP_LOGON_USER LsaApLogonUser;
LSA_AP_CALL_PACKAGE LsaApCallPackage;
LSA_AP_CALL_PACKAGE_UNTRUSTED LsaApCallPackageUntrusted;
LSA_AP_CALL_PACKAGE_PASSTHROUGH LsaApCallPackagePassthrough;
LSA_AP_LOGON_TERMINATED LsaApLogonTerminated;

static struct echo_package EchoAp = ECHO_PACKAGE_INITIALIZER;

NTSTATUS NTAPI LsaApInitializePackage(ULONG AuthenticationPackageId,
                                      PLSA_DISPATCH_TABLE LsaDispatchTable, PLSA_STRING Database,
                                      PLSA_STRING Confidentiality,
                                      PLSA_STRING *AuthenticationPackageName)
{
    (void)Database;        /* unused, NULL */
    (void)Confidentiality; /* unused, NULL */
    if (LsaDispatchTable == NULL || AuthenticationPackageName == NULL)
        return STATUS_INVALID_PARAMETER;
    echo_bind_ap(&EchoAp, AuthenticationPackageId, LsaDispatchTable);
    /* The name callers look the package up by; the LSA frees it with FreeLsaHeap. */
    return echo_package_name(LsaDispatchTable, ECHO_AP_NAME, AuthenticationPackageName);
}

NTSTATUS NTAPI LsaApLogonUser(PLSA_CLIENT_REQUEST ClientRequest, SECURITY_LOGON_TYPE LogonType,
                              PVOID AuthenticationInformation, PVOID ClientAuthenticationBase,
                              ULONG AuthenticationInformationLength, PVOID *ProfileBuffer,
                              PULONG ProfileBufferLength, PLUID LogonId, PNTSTATUS SubStatus,
                              PLSA_TOKEN_INFORMATION_TYPE TokenInformationType,
                              PVOID *TokenInformation, PLSA_UNICODE_STRING *AccountName,
                              PLSA_UNICODE_STRING *AuthenticatingAuthority)
{
    return echo_logon_user(&EchoAp, ClientRequest, LogonType, AuthenticationInformation,
                           ClientAuthenticationBase, AuthenticationInformationLength,
                           ProfileBuffer, ProfileBufferLength, LogonId, SubStatus,
                           TokenInformationType, TokenInformation, AccountName,
                           AuthenticatingAuthority);
}

/* A trusted caller (LsaRegisterLogonProcess). */
NTSTATUS NTAPI LsaApCallPackage(PLSA_CLIENT_REQUEST ClientRequest, PVOID ProtocolSubmitBuffer,
                                PVOID ClientBufferBase, ULONG SubmitBufferLength,
                                PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                                PNTSTATUS ProtocolStatus)
{
    return echo_call_package(&EchoAp, ECHO_ENTRY_TRUSTED, ClientRequest, ProtocolSubmitBuffer,
                             ClientBufferBase, SubmitBufferLength, ProtocolReturnBuffer,
                             ReturnBufferLength, ProtocolStatus);
}

/* An untrusted caller (LsaConnectUntrusted): the package decides what it may do. */
NTSTATUS NTAPI LsaApCallPackageUntrusted(PLSA_CLIENT_REQUEST ClientRequest,
                                         PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
                                         ULONG SubmitBufferLength, PVOID *ProtocolReturnBuffer,
                                         PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus)
{
    return echo_call_package(&EchoAp, ECHO_ENTRY_UNTRUSTED, ClientRequest, ProtocolSubmitBuffer,
                             ClientBufferBase, SubmitBufferLength, ProtocolReturnBuffer,
                             ReturnBufferLength, ProtocolStatus);
}

/* Another package's CallPackagePassthrough. */
NTSTATUS NTAPI LsaApCallPackagePassthrough(PLSA_CLIENT_REQUEST ClientRequest,
                                           PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
                                           ULONG SubmitBufferLength, PVOID *ProtocolReturnBuffer,
                                           PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus)
{
    return echo_call_package(&EchoAp, ECHO_ENTRY_PASSTHROUGH, ClientRequest,
                             ProtocolSubmitBuffer, ClientBufferBase, SubmitBufferLength,
                             ProtocolReturnBuffer, ReturnBufferLength, ProtocolStatus);
}

/* Every package hears of every session that ends, not only of its own. */
VOID NTAPI LsaApLogonTerminated(PLUID LogonId)
{
    echo_logon_terminated(&EchoAp, LogonId);
}
