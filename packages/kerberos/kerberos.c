/*
 * kerberos.so: the Kerberos authentication package ("Kerberos", spec/lsa-api.md §5) on
 * MIT krb5, as an SSP/AP.  The only export is SpLsaModeInitialize, which returns one
 * SECPKG_FUNCTION_TABLE:
 *
 *   Initialize         SpInitialize: keep the function table, read [kerberos]
 *   InitializePackage  the package name
 *   GetInfo            the same name as a SecPkgInfoW
 *   LogonUserEx2       kerb_logon.c (password, PKINIT and machine logons)
 *   CallPackage, CallPackageUntrusted, CallPackagePassthrough   kerb_messages.c
 *   LogonTerminated    destroys the session's ticket cache
 *   Shutdown           forgets every session
 */
#include <string.h>

#include <lsa/ntsecpkg.h>
#include <lsa/ntstatus.h>

#include "kerb_log.h"
#include "kerb_logon.h"
#include "kerb_messages.h"
#include "kerb_package.h"
#include "package_name.h"
#include "kerb_sessions.h"

#define KERB_EXPORT __attribute__((visibility("default")))

KERB_EXPORT SpLsaModeInitializeFn SpLsaModeInitialize;

struct kerb_package kerb_package;

static SEC_WCHAR info_name[] = u"" KERB_PACKAGE_NAME;
static SEC_WCHAR info_comment[] = u"pam-lsa Kerberos: MIT krb5 password and PKINIT logons";

NTSTATUS kerb_package_ready(void)
{
    return kerb_package.initialized ? STATUS_SUCCESS : STATUS_INVALID_SERVER_STATE;
}

static NTSTATUS NTAPI SpInitialize(ULONG_PTR PackageId, PSECPKG_PARAMETERS Parameters,
                                   PLSA_SECPKG_FUNCTION_TABLE FunctionTable)
{
    NTSTATUS status;

    (void)Parameters;
    if (FunctionTable == NULL)
        return STATUS_INVALID_PARAMETER;
    if (kerb_package.initialized)
        return STATUS_INVALID_SERVER_STATE;
    kerb_package.lsa = FunctionTable;
    kerb_package.package_id = PackageId;
    status = kerb_config_load(&kerb_package.config, FunctionTable, PackageId);
    if (status != STATUS_SUCCESS)
        return status;
    kerb_package.initialized = TRUE;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI InitializePackage(ULONG AuthenticationPackageId,
                                        PLSA_DISPATCH_TABLE LsaDispatchTable, PLSA_STRING Database,
                                        PLSA_STRING Confidentiality,
                                        PLSA_STRING *AuthenticationPackageName)
{
    (void)AuthenticationPackageId; /* the id SpInitialize was given */
    (void)Database;
    (void)Confidentiality;
    return pkg_package_name(LsaDispatchTable, KERB_PACKAGE_NAME, AuthenticationPackageName);
}

static NTSTATUS NTAPI SpGetInfo(PSecPkgInfoW PackageInfo)
{
    if (PackageInfo == NULL)
        return STATUS_INVALID_PARAMETER;
    /* As Windows' Kerberos reports itself (RPC_C_AUTHN_GSS_KERBEROS = 16). */
    PackageInfo->fCapabilities = SECPKG_FLAG_INTEGRITY | SECPKG_FLAG_PRIVACY |
                                 SECPKG_FLAG_TOKEN_ONLY | SECPKG_FLAG_DATAGRAM |
                                 SECPKG_FLAG_CONNECTION | SECPKG_FLAG_MULTI_REQUIRED |
                                 SECPKG_FLAG_EXTENDED_ERROR | SECPKG_FLAG_IMPERSONATION |
                                 SECPKG_FLAG_ACCEPT_WIN32_NAME | SECPKG_FLAG_NEGOTIABLE |
                                 SECPKG_FLAG_MUTUAL_AUTH | SECPKG_FLAG_LOGON;
    PackageInfo->wVersion = 1;
    PackageInfo->wRPCID = 16;
    PackageInfo->cbMaxToken = 48000;
    PackageInfo->Name = info_name;
    PackageInfo->Comment = info_comment;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI SpShutdown(VOID)
{
    kerb_package.initialized = FALSE;
    kerb_sessions_clear();
    kerb_config_free(&kerb_package.config);
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI LogonUserEx2(PLSA_CLIENT_REQUEST ClientRequest,
                                   SECURITY_LOGON_TYPE LogonType, PVOID ProtocolSubmitBuffer,
                                   PVOID ClientBufferBase, ULONG SubmitBufferSize,
                                   PVOID *ProfileBuffer, PULONG ProfileBufferSize, PLUID LogonId,
                                   PNTSTATUS SubStatus,
                                   PLSA_TOKEN_INFORMATION_TYPE TokenInformationType,
                                   PVOID *TokenInformation, PUNICODE_STRING *AccountName,
                                   PUNICODE_STRING *AuthenticatingAuthority,
                                   PUNICODE_STRING *MachineName,
                                   PSECPKG_PRIMARY_CRED PrimaryCredentials,
                                   PSECPKG_SUPPLEMENTAL_CRED_ARRAY *SupplementalCredentials)
{
    (void)PrimaryCredentials;
    *MachineName = NULL;
    *SupplementalCredentials = NULL;
    return kerb_logon_user(ClientRequest, LogonType, ProtocolSubmitBuffer, ClientBufferBase,
                           SubmitBufferSize, ProfileBuffer, ProfileBufferSize, LogonId, SubStatus,
                           TokenInformationType, TokenInformation, AccountName,
                           AuthenticatingAuthority);
}

static NTSTATUS NTAPI CallPackage(PLSA_CLIENT_REQUEST ClientRequest, PVOID ProtocolSubmitBuffer,
                                  PVOID ClientBufferBase, ULONG SubmitBufferLength,
                                  PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                                  PNTSTATUS ProtocolStatus)
{
    return kerb_call_package(KERB_ENTRY_TRUSTED, ClientRequest, ProtocolSubmitBuffer,
                             ClientBufferBase, SubmitBufferLength, ProtocolReturnBuffer,
                             ReturnBufferLength, ProtocolStatus);
}

static NTSTATUS NTAPI CallPackageUntrusted(PLSA_CLIENT_REQUEST ClientRequest,
                                           PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
                                           ULONG SubmitBufferLength, PVOID *ProtocolReturnBuffer,
                                           PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus)
{
    return kerb_call_package(KERB_ENTRY_UNTRUSTED, ClientRequest, ProtocolSubmitBuffer,
                             ClientBufferBase, SubmitBufferLength, ProtocolReturnBuffer,
                             ReturnBufferLength, ProtocolStatus);
}

static NTSTATUS NTAPI CallPackagePassthrough(PLSA_CLIENT_REQUEST ClientRequest,
                                             PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
                                             ULONG SubmitBufferLength,
                                             PVOID *ProtocolReturnBuffer,
                                             PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus)
{
    return kerb_call_package(KERB_ENTRY_PASSTHROUGH, ClientRequest, ProtocolSubmitBuffer,
                             ClientBufferBase, SubmitBufferLength, ProtocolReturnBuffer,
                             ReturnBufferLength, ProtocolStatus);
}

static VOID NTAPI LogonTerminated(PLUID LogonId)
{
    if (LogonId != NULL && kerb_package.initialized)
        kerb_session_remove(LogonId);
}

/* Members not named are NULL: no SSP (security context) side yet. */
static SECPKG_FUNCTION_TABLE kerb_tables[] = { {
    .InitializePackage = InitializePackage,
    .LogonUserEx2 = LogonUserEx2,
    .CallPackage = CallPackage,
    .LogonTerminated = LogonTerminated,
    .CallPackageUntrusted = CallPackageUntrusted,
    .CallPackagePassthrough = CallPackagePassthrough,
    .Initialize = SpInitialize,
    .Shutdown = SpShutdown,
    .GetInfo = SpGetInfo,
} };

NTSTATUS NTAPI SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                   PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion;
    if (PackageVersion == NULL || ppTables == NULL || pcTables == NULL)
        return STATUS_INVALID_PARAMETER;
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = kerb_tables;
    *pcTables = sizeof(kerb_tables) / sizeof(kerb_tables[0]);
    return STATUS_SUCCESS;
}
