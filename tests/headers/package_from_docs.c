/*
 * An SSP/AP written the way the Microsoft package documentation shows it, against
 * <lsa/ntsecpkg.h> only.  Compiled (never run) with -std=c11 -Wall -Wextra -Werror
 * -pedantic: it proves that such a package builds unchanged (spec/lsa-api.md §2.5-§2.7).
 *
 * "Sample" package: SpLsaModeInitialize returns one SECPKG_FUNCTION_TABLE; SpInitialize
 * keeps the LSA_SECPKG_FUNCTION_TABLE; CallPackage answers an echo message through
 * AllocateClientBuffer/CopyToClientBuffer and forwards another to a package named in
 * the request through FunctionTable->CallPackage.
 */
#include <lsa/ntsecpkg.h>

/* ---- the package's protocol (what its ntsecapi-style header would publish) ---- */

typedef enum _SAMPLE_PROTOCOL_MESSAGE_TYPE {
    SampleEchoMessage = 0,
    SampleForwardMessage = 1
} SAMPLE_PROTOCOL_MESSAGE_TYPE;

typedef struct _SAMPLE_ECHO_REQUEST {
    SAMPLE_PROTOCOL_MESSAGE_TYPE MessageType;
    UNICODE_STRING Text; /* Buffer: client address inside the submit buffer */
} SAMPLE_ECHO_REQUEST, *PSAMPLE_ECHO_REQUEST;

typedef struct _SAMPLE_ECHO_RESPONSE {
    SAMPLE_PROTOCOL_MESSAGE_TYPE MessageType;
    LUID CallerLogonId;
    UNICODE_STRING Text; /* Buffer: client address inside the return buffer */
} SAMPLE_ECHO_RESPONSE, *PSAMPLE_ECHO_RESPONSE;

typedef struct _SAMPLE_FORWARD_REQUEST {
    SAMPLE_PROTOCOL_MESSAGE_TYPE MessageType;
    UNICODE_STRING TargetPackage;
    ULONG InnerLength; /* inner request follows this struct */
} SAMPLE_FORWARD_REQUEST, *PSAMPLE_FORWARD_REQUEST;

typedef struct _SAMPLE_INTERACTIVE_LOGON {
    SECURITY_LOGON_TYPE MessageType;
    UNICODE_STRING UserName;
    UNICODE_STRING Password;
} SAMPLE_INTERACTIVE_LOGON, *PSAMPLE_INTERACTIVE_LOGON;

/* ---- state kept from SpInitialize ---- */

static ULONG_PTR PackageId;
static PLSA_SECPKG_FUNCTION_TABLE FunctionTable;
static PLSA_DISPATCH_TABLE DispatchTable;
static WCHAR PackageNameW[] = u"Sample";
static WCHAR PackageCommentW[] = u"Sample SSP/AP written from the docs";

/* Declaring the entry points through the documented function types makes the compiler
 * check every definition below against the header. */
SpLsaModeInitializeFn SpLsaModeInitialize;
static SpInitializeFn SpInitialize;
static SpShutdownFn SpShutdown;
static SpGetInfoFn SpGetInfo;
static LSA_AP_INITIALIZE_PACKAGE LsaApInitializePackage;
static LSA_AP_LOGON_USER_EX2 LsaApLogonUserEx2;
static LSA_AP_CALL_PACKAGE LsaApCallPackage;
static LSA_AP_CALL_PACKAGE_UNTRUSTED LsaApCallPackageUntrusted;
static LSA_AP_CALL_PACKAGE_PASSTHROUGH LsaApCallPackagePassthrough;
static LSA_AP_LOGON_TERMINATED LsaApLogonTerminated;

/* ClientBufferBase relocation (§2.7): the string must lie inside the submitted range. */
static NTSTATUS RelocateString(PUNICODE_STRING String, PVOID ProtocolSubmitBuffer,
                               PVOID ClientBufferBase, ULONG SubmitBufferLength)
{
    ULONG_PTR client_base = (ULONG_PTR)ClientBufferBase;
    ULONG_PTR p = (ULONG_PTR)String->Buffer;

    if (String->Length == 0) {
        String->Buffer = NULL;
        return STATUS_SUCCESS;
    }
    if ((String->Length & 1) != 0 || String->Length > String->MaximumLength || (p & 1) != 0)
        return STATUS_INVALID_PARAMETER;
    if (p < client_base || p - client_base > SubmitBufferLength ||
        String->Length > SubmitBufferLength - (p - client_base))
        return STATUS_INVALID_PARAMETER;
    String->Buffer = (PWSTR)((PUCHAR)ProtocolSubmitBuffer + (p - client_base));
    return STATUS_SUCCESS;
}

static VOID CopyWide(PWSTR Destination, PCWSTR Source, USHORT Bytes)
{
    for (USHORT i = 0; i < Bytes / sizeof(WCHAR); i++)
        Destination[i] = Source[i];
}

/* ---- SSP entry points ---- */

static NTSTATUS NTAPI SpInitialize(ULONG_PTR Id, PSECPKG_PARAMETERS Parameters,
                                   PLSA_SECPKG_FUNCTION_TABLE Table)
{
    const char *setting;

    if (Parameters->Version != 0 && !(Parameters->MachineState & SECPKG_STATE_STANDALONE))
        return STATUS_NOT_SUPPORTED;
    PackageId = Id;
    FunctionTable = Table;
    /* Linux extension: this package's own lsa.conf section. */
    setting = FunctionTable->lsa_get_config(PackageId, "enabled");
    if (setting != NULL && setting[0] == 'n')
        return STATUS_NOT_SUPPORTED;
    (void)FunctionTable->lsa_get_config(LSA_CONFIG_SECTION_LSA, "client_quota");
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI SpShutdown(VOID)
{
    FunctionTable = NULL;
    return STATUS_SUCCESS;
}

static NTSTATUS NTAPI SpGetInfo(PSecPkgInfoW PackageInfo)
{
    PackageInfo->fCapabilities = SECPKG_FLAG_LOGON | SECPKG_FLAG_ACCEPT_WIN32_NAME;
    PackageInfo->wVersion = 1;
    PackageInfo->wRPCID = SECPKG_ID_NONE;
    PackageInfo->cbMaxToken = 0;
    PackageInfo->Name = PackageNameW;
    PackageInfo->Comment = PackageCommentW;
    return STATUS_SUCCESS;
}

/* ---- AP entry points of the SSP/AP ---- */

static NTSTATUS NTAPI LsaApInitializePackage(ULONG AuthenticationPackageId,
                                             PLSA_DISPATCH_TABLE LsaDispatchTable,
                                             PLSA_STRING Database, PLSA_STRING Confidentiality,
                                             PLSA_STRING *AuthenticationPackageName)
{
    static const char name[] = "Sample";
    PLSA_STRING result;

    (void)AuthenticationPackageId;
    (void)Database;
    (void)Confidentiality;
    DispatchTable = LsaDispatchTable;
    /* The LSA frees the name with FreeLsaHeap, the string and its Buffer separately. */
    result = DispatchTable->AllocateLsaHeap(sizeof(LSA_STRING));
    if (result == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    result->Buffer = DispatchTable->AllocateLsaHeap(sizeof(name));
    if (result->Buffer == NULL) {
        DispatchTable->FreeLsaHeap(result);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    for (ULONG i = 0; i < sizeof(name); i++)
        result->Buffer[i] = name[i];
    result->Length = sizeof(name) - 1;
    result->MaximumLength = sizeof(name);
    *AuthenticationPackageName = result;
    return STATUS_SUCCESS;
}

/* Strings handed to the LSA are two LSA-heap blocks, the struct and its Buffer, each
 * freed by the LSA with FreeLsaHeap. */
static NTSTATUS CopyStringToLsaHeap(PUNICODE_STRING Destination, PCUNICODE_STRING Source)
{
    Destination->Buffer = FunctionTable->AllocateLsaHeap(Source->Length + sizeof(WCHAR));
    if (Destination->Buffer == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Destination->Length = Source->Length;
    Destination->MaximumLength = (USHORT)(Source->Length + sizeof(WCHAR));
    CopyWide(Destination->Buffer, Source->Buffer, Source->Length);
    return STATUS_SUCCESS;
}

static PUNICODE_STRING CopyToLsaHeap(PCUNICODE_STRING Source)
{
    PUNICODE_STRING copy = FunctionTable->AllocateLsaHeap(sizeof(UNICODE_STRING));

    if (copy == NULL)
        return NULL;
    if (CopyStringToLsaHeap(copy, Source) != STATUS_SUCCESS) {
        FunctionTable->FreeLsaHeap(copy);
        return NULL;
    }
    return copy;
}

static NTSTATUS NTAPI LsaApLogonUserEx2(
    PLSA_CLIENT_REQUEST ClientRequest, SECURITY_LOGON_TYPE LogonType, PVOID ProtocolSubmitBuffer,
    PVOID ClientBufferBase, ULONG SubmitBufferSize, PVOID *ProfileBuffer,
    PULONG ProfileBufferSize, PLUID LogonId, PNTSTATUS SubStatus,
    PLSA_TOKEN_INFORMATION_TYPE TokenInformationType, PVOID *TokenInformation,
    PUNICODE_STRING *AccountName, PUNICODE_STRING *AuthenticatingAuthority,
    PUNICODE_STRING *MachineName, PSECPKG_PRIMARY_CRED PrimaryCredentials,
    PSECPKG_SUPPLEMENTAL_CRED_ARRAY *SupplementalCredentials)
{
    PSAMPLE_INTERACTIVE_LOGON logon = ProtocolSubmitBuffer;
    PLSA_TOKEN_INFORMATION_V2 token;
    PVOID profile = NULL;
    ULONG profile_data = 0x53414d50; /* "SAMP" */
    NTSTATUS status;

    *AccountName = *AuthenticatingAuthority = *MachineName = NULL;
    *SupplementalCredentials = NULL;
    *SubStatus = STATUS_SUCCESS;
    if (LogonType != Interactive)
        return STATUS_INVALID_LOGON_TYPE;
    if (SubmitBufferSize < sizeof(*logon) || logon->MessageType != Interactive)
        return STATUS_BAD_VALIDATION_CLASS;
    status = RelocateString(&logon->UserName, ProtocolSubmitBuffer, ClientBufferBase,
                            SubmitBufferSize);
    if (status == STATUS_SUCCESS)
        status = RelocateString(&logon->Password, ProtocolSubmitBuffer, ClientBufferBase,
                                SubmitBufferSize);
    if (status != STATUS_SUCCESS)
        return status;

    /* The account name goes to the audit record even on failure. */
    *AccountName = CopyToLsaHeap(&logon->UserName);
    if (*AccountName == NULL)
        return STATUS_NO_MEMORY;
    if (logon->Password.Length == 0)
        return STATUS_LOGON_FAILURE;

    status = FunctionTable->lsa_allocate_luid(LogonId);
    if (status != STATUS_SUCCESS)
        return status;
    status = FunctionTable->CreateLogonSession(LogonId);
    if (status != STATUS_SUCCESS)
        return status;

    token = FunctionTable->AllocateLsaHeap(sizeof(*token));
    if (token == NULL) {
        FunctionTable->DeleteLogonSession(LogonId);
        return STATUS_NO_MEMORY;
    }
    token->ExpirationTime.QuadPart = 0x7fffffffffffffffLL;
    *TokenInformationType = LsaTokenInformationV2;
    *TokenInformation = token;

    status = FunctionTable->AllocateClientBuffer(ClientRequest, sizeof(profile_data), &profile);
    if (status == STATUS_SUCCESS)
        status = FunctionTable->CopyToClientBuffer(ClientRequest, sizeof(profile_data), profile,
                                                   &profile_data);
    if (status != STATUS_SUCCESS) {
        if (profile != NULL)
            FunctionTable->FreeClientBuffer(ClientRequest, profile);
        FunctionTable->FreeLsaHeap(token);
        *TokenInformation = NULL;
        FunctionTable->DeleteLogonSession(LogonId);
        return status;
    }
    *ProfileBuffer = profile;
    *ProfileBufferSize = sizeof(profile_data);

    /* Primary credentials are the package's own LSA-heap copies; the LSA wipes and frees
     * them. */
    PrimaryCredentials->LogonId = *LogonId;
    if (CopyStringToLsaHeap(&PrimaryCredentials->DownlevelName, *AccountName) != STATUS_SUCCESS ||
        CopyStringToLsaHeap(&PrimaryCredentials->Password, &logon->Password) != STATUS_SUCCESS)
        return STATUS_SUCCESS; /* the logon stands; only the credential hand-over is lost */
    PrimaryCredentials->Flags = PRIMARY_CRED_CLEAR_PASSWORD;
    return STATUS_SUCCESS;
}

/* Echo: build the response in LSA memory with client-relative pointers, then copy. */
static NTSTATUS Echo(PLSA_CLIENT_REQUEST ClientRequest, PSAMPLE_ECHO_REQUEST Request,
                     PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength)
{
    SECPKG_CLIENT_INFO client;
    PSAMPLE_ECHO_RESPONSE local;
    PVOID client_buffer = NULL;
    ULONG size = sizeof(*local) + Request->Text.Length;
    NTSTATUS status;

    status = FunctionTable->GetClientInfo(&client);
    if (status != STATUS_SUCCESS)
        return status;
    local = FunctionTable->AllocateLsaHeap(size);
    if (local == NULL)
        return STATUS_NO_MEMORY;
    status = FunctionTable->AllocateClientBuffer(ClientRequest, size, &client_buffer);
    if (status != STATUS_SUCCESS) {
        FunctionTable->FreeLsaHeap(local);
        return status;
    }
    local->MessageType = SampleEchoMessage;
    local->CallerLogonId = client.LogonId;
    local->Text.Length = local->Text.MaximumLength = Request->Text.Length;
    CopyWide((PWSTR)(local + 1), Request->Text.Buffer, Request->Text.Length);
    local->Text.Buffer = (PWSTR)((PUCHAR)client_buffer + sizeof(*local));
    status = FunctionTable->CopyToClientBuffer(ClientRequest, size, client_buffer, local);
    FunctionTable->FreeLsaHeap(local);
    if (status != STATUS_SUCCESS) {
        FunctionTable->FreeClientBuffer(ClientRequest, client_buffer);
        return status;
    }
    *ProtocolReturnBuffer = client_buffer;
    *ReturnBufferLength = size;
    return STATUS_SUCCESS;
}

/* Forward: a package-to-package call by name; the answer is LSA memory we free. */
static NTSTATUS Forward(PSAMPLE_FORWARD_REQUEST Request, ULONG SubmitBufferLength,
                        PNTSTATUS ProtocolStatus)
{
    PVOID reply = NULL;
    ULONG reply_length = 0;
    NTSTATUS inner_status = STATUS_SUCCESS;
    NTSTATUS status;

    if (Request->InnerLength > SubmitBufferLength - sizeof(*Request))
        return STATUS_INVALID_PARAMETER;
    status = FunctionTable->CallPackage(&Request->TargetPackage, Request + 1, Request->InnerLength,
                                        &reply, &reply_length, &inner_status);
    if (reply != NULL)
        FunctionTable->FreeReturnBuffer(reply);
    *ProtocolStatus = status == STATUS_SUCCESS ? inner_status : status;
    return STATUS_SUCCESS;
}

static NTSTATUS Dispatch(PLSA_CLIENT_REQUEST ClientRequest, PVOID ProtocolSubmitBuffer,
                         PVOID ClientBufferBase, ULONG SubmitBufferLength,
                         PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                         PNTSTATUS ProtocolStatus, BOOLEAN Trusted)
{
    ULONG message_type;
    NTSTATUS status;

    *ProtocolReturnBuffer = NULL;
    *ReturnBufferLength = 0;
    if (SubmitBufferLength < sizeof(ULONG))
        return STATUS_INVALID_PARAMETER;
    message_type = *(PULONG)ProtocolSubmitBuffer;

    switch (message_type) {
    case SampleEchoMessage: {
        PSAMPLE_ECHO_REQUEST request = ProtocolSubmitBuffer;

        if (SubmitBufferLength < sizeof(*request))
            return STATUS_INVALID_PARAMETER;
        status = RelocateString(&request->Text, ProtocolSubmitBuffer, ClientBufferBase,
                                SubmitBufferLength);
        if (status != STATUS_SUCCESS)
            return status;
        status = Echo(ClientRequest, request, ProtocolReturnBuffer, ReturnBufferLength);
        *ProtocolStatus = status;
        return status == STATUS_NO_MEMORY ? status : STATUS_SUCCESS;
    }
    case SampleForwardMessage: {
        PSAMPLE_FORWARD_REQUEST request = ProtocolSubmitBuffer;

        if (!Trusted) {
            *ProtocolStatus = STATUS_ACCESS_DENIED;
            return STATUS_SUCCESS;
        }
        if (SubmitBufferLength < sizeof(*request))
            return STATUS_INVALID_PARAMETER;
        status = RelocateString(&request->TargetPackage, ProtocolSubmitBuffer, ClientBufferBase,
                                SubmitBufferLength);
        if (status != STATUS_SUCCESS)
            return status;
        return Forward(request, SubmitBufferLength, ProtocolStatus);
    }
    case SecPkgCallPackagePinDcMessage:
    case SecPkgCallPackageUnpinAllDcsMessage:
    case SecPkgCallPackageTransferCredMessage:
        *ProtocolStatus = STATUS_NOT_SUPPORTED;
        return STATUS_SUCCESS;
    default:
        return STATUS_INVALID_PARAMETER;
    }
}

static NTSTATUS NTAPI LsaApCallPackage(PLSA_CLIENT_REQUEST ClientRequest,
                                       PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
                                       ULONG SubmitBufferLength, PVOID *ProtocolReturnBuffer,
                                       PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus)
{
    return Dispatch(ClientRequest, ProtocolSubmitBuffer, ClientBufferBase, SubmitBufferLength,
                    ProtocolReturnBuffer, ReturnBufferLength, ProtocolStatus, TRUE);
}

static NTSTATUS NTAPI LsaApCallPackageUntrusted(PLSA_CLIENT_REQUEST ClientRequest,
                                                PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
                                                ULONG SubmitBufferLength,
                                                PVOID *ProtocolReturnBuffer,
                                                PULONG ReturnBufferLength,
                                                PNTSTATUS ProtocolStatus)
{
    struct lsa_client_unix_info unix_info;

    /* Linux extension: who is calling. */
    if (FunctionTable->lsa_get_client_unix_info(&unix_info) != STATUS_SUCCESS)
        return STATUS_ACCESS_DENIED;
    return Dispatch(ClientRequest, ProtocolSubmitBuffer, ClientBufferBase, SubmitBufferLength,
                    ProtocolReturnBuffer, ReturnBufferLength, ProtocolStatus, unix_info.trusted);
}

static NTSTATUS NTAPI LsaApCallPackagePassthrough(PLSA_CLIENT_REQUEST ClientRequest,
                                                  PVOID ProtocolSubmitBuffer,
                                                  PVOID ClientBufferBase, ULONG SubmitBufferLength,
                                                  PVOID *ProtocolReturnBuffer,
                                                  PULONG ReturnBufferLength,
                                                  PNTSTATUS ProtocolStatus)
{
    (void)ClientRequest;
    (void)ProtocolSubmitBuffer;
    (void)ClientBufferBase;
    (void)SubmitBufferLength;
    *ProtocolReturnBuffer = NULL;
    *ReturnBufferLength = 0;
    *ProtocolStatus = STATUS_NOT_SUPPORTED;
    return STATUS_SUCCESS;
}

static VOID NTAPI LsaApLogonTerminated(PLUID LogonId)
{
    (void)LogonId; /* no per-session state */
}

/* ---- the table and the DLL export ---- */

static SECPKG_FUNCTION_TABLE SampleTables[] = {
    {
        .InitializePackage = LsaApInitializePackage,
        .LogonUser = NULL,
        .CallPackage = LsaApCallPackage,
        .LogonTerminated = LsaApLogonTerminated,
        .CallPackageUntrusted = LsaApCallPackageUntrusted,
        .CallPackagePassthrough = LsaApCallPackagePassthrough,
        .LogonUserEx = NULL,
        .LogonUserEx2 = LsaApLogonUserEx2,
        .Initialize = SpInitialize,
        .Shutdown = SpShutdown,
        .GetInfo = SpGetInfo,
    },
};

NTSTATUS NTAPI SpLsaModeInitialize(ULONG LsaVersion, PULONG PackageVersion,
                                   PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables)
{
    if (LsaVersion != SECPKG_INTERFACE_VERSION)
        return STATUS_INVALID_PARAMETER;
    *PackageVersion = SECPKG_INTERFACE_VERSION;
    *ppTables = SampleTables;
    *pcTables = sizeof(SampleTables) / sizeof(SampleTables[0]);
    return STATUS_SUCCESS;
}

/* The member types pinned by the brief (Linux extensions exactly as the LSA core uses them). */
_Static_assert(_Generic(((PLSA_SECPKG_FUNCTION_TABLE)0)->lsa_allocate_luid,
                        NTSTATUS(*)(PLUID): 1, default: 0),
               "lsa_allocate_luid type");
_Static_assert(_Generic(((PLSA_SECPKG_FUNCTION_TABLE)0)->lsa_get_config,
                        const char *(*)(ULONG_PTR, const char *): 1, default: 0),
               "lsa_get_config type");
_Static_assert(_Generic(((PLSA_SECPKG_FUNCTION_TABLE)0)->lsa_get_client_unix_info,
                        NTSTATUS(*)(struct lsa_client_unix_info *): 1, default: 0),
               "lsa_get_client_unix_info type");
_Static_assert(_Generic(((PLSA_SECPKG_FUNCTION_TABLE)0)->FreeReturnBuffer,
                        PLSA_FREE_LSA_HEAP: 1, default: 0),
               "FreeReturnBuffer is typed as FreeLsaHeap");
_Static_assert(_Generic(((PSECPKG_FUNCTION_TABLE)0)->CallPackageUntrusted,
                        PLSA_AP_CALL_PACKAGE: 1, default: 0),
               "CallPackageUntrusted has LsaApCallPackage's type");
