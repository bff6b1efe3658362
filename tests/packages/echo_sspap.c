/*
 * echo_sspap.so: the echo protocol (echo_protocol.h) as an SSP/AP, the LSA-mode model
 * of spec/lsa-api.md §2.5-§2.6.  The only export is SpLsaModeInitialize; it returns two
 * SECPKG_FUNCTION_TABLEs, and each table is a package of its own, with its own package
 * id and its own SpInitialize call:
 *
 *   table 0  no InitializePackage, so its name is its SpGetInfo's: ECHO_SSPAP_NAME;
 *   table 1  an InitializePackage returning ECHO_SSPAP_INIT_NAME, which wins over its
 *            SpGetInfo's ECHO_SSPAP_WRONG_NAME.
 *
 * The LSA calls entry points without saying which table they belong to, so each table
 * has its own set of (small, generated) functions bound to its own state.  Its logon
 * entry is LogonUserEx2; it has the whole LSA_SECPKG_FUNCTION_TABLE, so it forwards
 * (CallPackage/CallPackageEx/CallPackagePassthrough), answers WhoAmI from GetClientInfo
 * and lsa_get_client_unix_info, and reads its lsa.conf section with lsa_get_config.
 */
#include <lsa/ntsecpkg.h>

#include "echo_common.h"

SpLsaModeInitializeFn SpLsaModeInitialize;

/* What every table's entry points do, given the table's state. */

static NTSTATUS initialize(struct echo_package *pkg, ULONG_PTR PackageId,
                           PSECPKG_PARAMETERS Parameters, PLSA_SECPKG_FUNCTION_TABLE FunctionTable)
{
    (void)Parameters; /* machine state: nothing here depends on it */
    if (FunctionTable == NULL)
        return STATUS_INVALID_PARAMETER;
    echo_bind_sspap(pkg, PackageId, FunctionTable);
    return STATUS_SUCCESS;
}

static NTSTATUS get_info(PSecPkgInfoW PackageInfo, SEC_WCHAR *Name)
{
    static SEC_WCHAR comment[] = u"pam-lsa echo test package (SSP/AP)";

    PackageInfo->fCapabilities = SECPKG_FLAG_LOGON;
    PackageInfo->wVersion = 1;
    PackageInfo->wRPCID = SECPKG_ID_NONE;
    PackageInfo->cbMaxToken = 0;
    PackageInfo->Name = Name;
    PackageInfo->Comment = comment;
    return STATUS_SUCCESS;
}

static NTSTATUS logon_user_ex2(struct echo_package *pkg, PLSA_CLIENT_REQUEST ClientRequest,
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
    /* No machine name, no credentials for the other packages: PrimaryCredentials (the
     * LSA's zeroed structure) is left as it is. */
    (void)PrimaryCredentials;
    *MachineName = NULL;
    *SupplementalCredentials = NULL;
    return echo_logon_user(pkg, ClientRequest, LogonType, ProtocolSubmitBuffer,
                           ClientBufferBase, SubmitBufferSize, ProfileBuffer, ProfileBufferSize,
                           LogonId, SubStatus, TokenInformationType, TokenInformation,
                           AccountName, AuthenticatingAuthority);
}

/*
 * One table's state and entry points.  N is the table index; INFO_NAME the UTF-16 name
 * its SpGetInfo reports.  Every function forwards to the shared code with the table's
 * own struct echo_package.
 */
#define ECHO_SSPAP_TABLE_FUNCTIONS(N, INFO_NAME)                                                   \
    static struct echo_package Package##N = ECHO_PACKAGE_INITIALIZER;                              \
    static SEC_WCHAR InfoName##N[] = INFO_NAME;                                                    \
                                                                                                   \
    static NTSTATUS NTAPI SpInitialize##N(ULONG_PTR PackageId, PSECPKG_PARAMETERS Parameters,     \
                                          PLSA_SECPKG_FUNCTION_TABLE FunctionTable)                \
    {                                                                                              \
        return initialize(&Package##N, PackageId, Parameters, FunctionTable);                      \
    }                                                                                              \
                                                                                                   \
    static NTSTATUS NTAPI SpShutdown##N(VOID)                                                      \
    {                                                                                              \
        return STATUS_SUCCESS;                                                                     \
    }                                                                                              \
                                                                                                   \
    static NTSTATUS NTAPI SpGetInfo##N(PSecPkgInfoW PackageInfo)                                   \
    {                                                                                              \
        return get_info(PackageInfo, InfoName##N);                                                 \
    }                                                                                              \
                                                                                                   \
    static NTSTATUS NTAPI LogonUserEx2##N(                                                         \
        PLSA_CLIENT_REQUEST ClientRequest, SECURITY_LOGON_TYPE LogonType,                          \
        PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase, ULONG SubmitBufferSize,                \
        PVOID *ProfileBuffer, PULONG ProfileBufferSize, PLUID LogonId, PNTSTATUS SubStatus,        \
        PLSA_TOKEN_INFORMATION_TYPE TokenInformationType, PVOID *TokenInformation,                 \
        PUNICODE_STRING *AccountName, PUNICODE_STRING *AuthenticatingAuthority,                    \
        PUNICODE_STRING *MachineName, PSECPKG_PRIMARY_CRED PrimaryCredentials,                     \
        PSECPKG_SUPPLEMENTAL_CRED_ARRAY *SupplementalCredentials)                                  \
    {                                                                                              \
        return logon_user_ex2(&Package##N, ClientRequest, LogonType, ProtocolSubmitBuffer,         \
                              ClientBufferBase, SubmitBufferSize, ProfileBuffer,                   \
                              ProfileBufferSize, LogonId, SubStatus, TokenInformationType,         \
                              TokenInformation, AccountName, AuthenticatingAuthority,              \
                              MachineName, PrimaryCredentials, SupplementalCredentials);           \
    }                                                                                              \
                                                                                                   \
    static NTSTATUS NTAPI CallPackage##N(PLSA_CLIENT_REQUEST ClientRequest,                        \
                                         PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,       \
                                         ULONG SubmitBufferLength, PVOID *ProtocolReturnBuffer,    \
                                         PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus)      \
    {                                                                                              \
        return echo_call_package(&Package##N, ECHO_ENTRY_TRUSTED, ClientRequest,                   \
                                 ProtocolSubmitBuffer, ClientBufferBase, SubmitBufferLength,       \
                                 ProtocolReturnBuffer, ReturnBufferLength, ProtocolStatus);        \
    }                                                                                              \
                                                                                                   \
    static NTSTATUS NTAPI CallPackageUntrusted##N(                                                 \
        PLSA_CLIENT_REQUEST ClientRequest, PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,     \
        ULONG SubmitBufferLength, PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,          \
        PNTSTATUS ProtocolStatus)                                                                  \
    {                                                                                              \
        return echo_call_package(&Package##N, ECHO_ENTRY_UNTRUSTED, ClientRequest,                 \
                                 ProtocolSubmitBuffer, ClientBufferBase, SubmitBufferLength,       \
                                 ProtocolReturnBuffer, ReturnBufferLength, ProtocolStatus);        \
    }                                                                                              \
                                                                                                   \
    static NTSTATUS NTAPI CallPackagePassthrough##N(                                               \
        PLSA_CLIENT_REQUEST ClientRequest, PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,     \
        ULONG SubmitBufferLength, PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,          \
        PNTSTATUS ProtocolStatus)                                                                  \
    {                                                                                              \
        return echo_call_package(&Package##N, ECHO_ENTRY_PASSTHROUGH, ClientRequest,               \
                                 ProtocolSubmitBuffer, ClientBufferBase, SubmitBufferLength,       \
                                 ProtocolReturnBuffer, ReturnBufferLength, ProtocolStatus);        \
    }                                                                                              \
                                                                                                   \
    static VOID NTAPI LogonTerminated##N(PLUID LogonId)                                            \
    {                                                                                              \
        echo_logon_terminated(&Package##N, LogonId);                                               \
    }

/* u"..." of a macro's string (the names are shared with the tests as char strings). */
#define ECHO_WIDE_(s) u##s
#define ECHO_WIDE(s) ECHO_WIDE_(s)

ECHO_SSPAP_TABLE_FUNCTIONS(0, ECHO_WIDE(ECHO_SSPAP_NAME))
ECHO_SSPAP_TABLE_FUNCTIONS(1, ECHO_WIDE(ECHO_SSPAP_WRONG_NAME))

/* Table 1's AP-style initialisation: the name it returns is the package's name.  The
 * LSA calls it after SpInitialize, with the LSA_DISPATCH_TABLE prefix of the table. */
static NTSTATUS NTAPI InitializePackage1(ULONG AuthenticationPackageId,
                                         PLSA_DISPATCH_TABLE LsaDispatchTable,
                                         PLSA_STRING Database, PLSA_STRING Confidentiality,
                                         PLSA_STRING *AuthenticationPackageName)
{
    (void)AuthenticationPackageId; /* the same id SpInitialize was given */
    (void)Database;
    (void)Confidentiality;
    if (LsaDispatchTable == NULL || AuthenticationPackageName == NULL)
        return STATUS_INVALID_PARAMETER;
    return echo_package_name(LsaDispatchTable, ECHO_SSPAP_INIT_NAME, AuthenticationPackageName);
}

#define ECHO_SSPAP_TABLE(N)                                                                        \
    .LogonUser = NULL, .LogonUserEx = NULL, .LogonUserEx2 = LogonUserEx2##N,                       \
    .CallPackage = CallPackage##N, .CallPackageUntrusted = CallPackageUntrusted##N,                \
    .CallPackagePassthrough = CallPackagePassthrough##N, .LogonTerminated = LogonTerminated##N,    \
    .Initialize = SpInitialize##N, .Shutdown = SpShutdown##N, .GetInfo = SpGetInfo##N

/* Members not named are NULL: this package has no SSP (context) side. */
static SECPKG_FUNCTION_TABLE EchoTables[] = {
    { .InitializePackage = NULL, ECHO_SSPAP_TABLE(0) },
    { .InitializePackage = InitializePackage1, ECHO_SSPAP_TABLE(1) },
};

NTSTATUS NTAPI SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                   PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    (void)LsaVersion; /* SECPKG_INTERFACE_VERSION; the tables use nothing newer */
    if (PackageVersion == NULL || ppTables == NULL || pcTables == NULL)
        return STATUS_INVALID_PARAMETER;
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = EchoTables;
    *pcTables = sizeof(EchoTables) / sizeof(EchoTables[0]);
    return STATUS_SUCCESS;
}
