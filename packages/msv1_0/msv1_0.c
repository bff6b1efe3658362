/*
 * msv1_0.so: the MSV1_0 (NTLM) authentication package, MICROSOFT_AUTHENTICATION_PACKAGE_V1_0
 * (alias NTLM), as an SSP/AP (spec/lsa-api.md §2.5-§2.6, §4; docs/writing-a-package.md).
 * The only export is SpLsaModeInitialize, which returns one SECPKG_FUNCTION_TABLE:
 *
 *   Initialize         SpInitialize: keep the function table, read [msv1_0], set up the
 *                      challenge table and the session records
 *   InitializePackage  the package name (an LSA_STRING in two AllocateLsaHeap blocks)
 *   GetInfo            the same name as a SecPkgInfoW
 *   LogonUserEx2       logon.c (interactive and network logons)
 *   CallPackage, CallPackageUntrusted, CallPackagePassthrough   messages.c
 *   LogonTerminated    forgets the session's record (the LSA wipes its credentials)
 *   Shutdown           frees everything
 */
#include <string.h>

#include <lsa/ntsecpkg.h>

#include "logon.h"
#include "logon_policy.h"
#include "messages.h"
#include "msv_log.h"
#include "ntlm_crypto.h"
#include "package_state.h"
#include "package_name.h"

#define MSV_EXPORT __attribute__((visibility("default")))

MSV_EXPORT SpLsaModeInitializeFn SpLsaModeInitialize;

struct msv_package msv_package;

static SEC_WCHAR info_name[] = u"" MSV_PACKAGE_NAME;
static SEC_WCHAR info_comment[] = u"pam-lsa MSV1_0: NTLM authentication and local accounts";

static void release(void)
{
    msv_challenge_table_destroy(msv_package.challenges);
    msv_sessions_destroy(msv_package.sessions);
    msv_config_free(&msv_package.config);
    msv_package.challenges = NULL;
    msv_package.sessions = NULL;
}

/* The configuration, read and checked in SpInitialize: a bad value fails it, and the
 * LSA logs and skips the package. */
static NTSTATUS setup(void)
{
    NTSTATUS status = msv_config_load(&msv_package.config, msv_package.lsa, msv_package.package_id);
    if (status != STATUS_SUCCESS)
        return status;
    return msv_challenge_table_create(msv_package.config.challenge_lifetime * 1000000000, 0, 0,
                                      &msv_package.challenges);
}

NTSTATUS msv_package_ready(void)
{
    return msv_package.initialized ? STATUS_SUCCESS : STATUS_INVALID_SERVER_STATE;
}

static NTSTATUS NTAPI SpInitialize(ULONG_PTR PackageId, PSECPKG_PARAMETERS Parameters,
                                   PLSA_SECPKG_FUNCTION_TABLE FunctionTable)
{
    NTSTATUS status;

    (void)Parameters; /* a standalone machine: nothing here depends on its state */
    if (FunctionTable == NULL)
        return STATUS_INVALID_PARAMETER;
    if (msv_package.initialized)
        return STATUS_INVALID_SERVER_STATE; /* one table, initialised once */
    msv_package.lsa = FunctionTable;
    msv_package.package_id = PackageId;
    status = ntlm_crypto_init();
    if (status != STATUS_SUCCESS) {
        msv_pkg_log(LOG_ERR, "NTLM cryptography unavailable (OpenSSL legacy provider for MD4 and "
                             "DES): package not loaded");
        return status;
    }
    status = setup();
    if (status == STATUS_SUCCESS)
        status = msv_sessions_create(&msv_package.sessions);
    if (status != STATUS_SUCCESS) {
        release();
        return status;
    }
    msv_package.initialized = TRUE;
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
    return pkg_package_name(LsaDispatchTable, MSV_PACKAGE_NAME, AuthenticationPackageName);
}

static NTSTATUS NTAPI SpGetInfo(PSecPkgInfoW PackageInfo)
{
    if (PackageInfo == NULL)
        return STATUS_INVALID_PARAMETER;
    /* As Windows' NTLM reports itself (RPC_C_AUTHN_WINNT = 10, NTLMSP_MAX_TOKEN_SIZE). */
    PackageInfo->fCapabilities = SECPKG_FLAG_LOGON | SECPKG_FLAG_CONNECTION |
                                 SECPKG_FLAG_IMPERSONATION | SECPKG_FLAG_ACCEPT_WIN32_NAME |
                                 SECPKG_FLAG_NEGOTIABLE;
    PackageInfo->wVersion = 1;
    PackageInfo->wRPCID = 10;
    PackageInfo->cbMaxToken = 2888;
    PackageInfo->Name = info_name;
    PackageInfo->Comment = info_comment;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI SpShutdown(VOID)
{
    msv_package.initialized = FALSE;
    msv_policy_shutdown();
    release();
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
    /* Nothing for other packages: PrimaryCredentials (zeroed by the LSA) stays so. */
    (void)PrimaryCredentials;
    *MachineName = NULL;
    *SupplementalCredentials = NULL;
    return msv_logon_user(ClientRequest, LogonType, ProtocolSubmitBuffer, ClientBufferBase,
                          SubmitBufferSize, ProfileBuffer, ProfileBufferSize, LogonId, SubStatus,
                          TokenInformationType, TokenInformation, AccountName,
                          AuthenticatingAuthority);
}

static NTSTATUS NTAPI CallPackage(PLSA_CLIENT_REQUEST ClientRequest, PVOID ProtocolSubmitBuffer,
                                  PVOID ClientBufferBase, ULONG SubmitBufferLength,
                                  PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                                  PNTSTATUS ProtocolStatus)
{
    return msv_call_package(MSV_ENTRY_TRUSTED, ClientRequest, ProtocolSubmitBuffer,
                            ClientBufferBase, SubmitBufferLength, ProtocolReturnBuffer,
                            ReturnBufferLength, ProtocolStatus);
}

static NTSTATUS NTAPI CallPackageUntrusted(PLSA_CLIENT_REQUEST ClientRequest,
                                           PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
                                           ULONG SubmitBufferLength, PVOID *ProtocolReturnBuffer,
                                           PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus)
{
    return msv_call_package(MSV_ENTRY_UNTRUSTED, ClientRequest, ProtocolSubmitBuffer,
                            ClientBufferBase, SubmitBufferLength, ProtocolReturnBuffer,
                            ReturnBufferLength, ProtocolStatus);
}

static NTSTATUS NTAPI CallPackagePassthrough(PLSA_CLIENT_REQUEST ClientRequest,
                                             PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
                                             ULONG SubmitBufferLength,
                                             PVOID *ProtocolReturnBuffer,
                                             PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus)
{
    return msv_call_package(MSV_ENTRY_PASSTHROUGH, ClientRequest, ProtocolSubmitBuffer,
                            ClientBufferBase, SubmitBufferLength, ProtocolReturnBuffer,
                            ReturnBufferLength, ProtocolStatus);
}

static VOID NTAPI LogonTerminated(PLUID LogonId)
{
    if (LogonId != NULL && msv_package.initialized)
        msv_sessions_remove(msv_package.sessions, LogonId);
}

/* Members not named are NULL: MSV1_0 here has no SSP (security context) side. */
static SECPKG_FUNCTION_TABLE msv_tables[] = { {
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
    (void)LsaVersion; /* SECPKG_INTERFACE_VERSION; the table uses nothing newer */
    if (PackageVersion == NULL || ppTables == NULL || pcTables == NULL)
        return STATUS_INVALID_PARAMETER;
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = msv_tables;
    *pcTables = sizeof(msv_tables) / sizeof(msv_tables[0]);
    return STATUS_SUCCESS;
}
