/*
 * A classic authentication package (AP) written the way the Microsoft documentation of
 * LsaApInitializePackage, LsaApLogonUser, LsaApCallPackage, ... shows it, against
 * <lsa/ntsecpkg.h> only.  Compiled (never run) with -std=c11 -Wall -Wextra -Werror
 * -pedantic: it proves such a package builds unchanged (spec/lsa-api.md §2.1-§2.4, §2.7).
 *
 * The exports are the §2.1 names, declared through the documented function types so
 * the compiler checks each definition against the header.
 */
#include <lsa/ntsecpkg.h>

LSA_AP_INITIALIZE_PACKAGE LsaApInitializePackage;
LSA_AP_LOGON_USER LsaApLogonUser;
LSA_AP_CALL_PACKAGE LsaApCallPackage;
LSA_AP_CALL_PACKAGE_UNTRUSTED LsaApCallPackageUntrusted;
LSA_AP_CALL_PACKAGE_PASSTHROUGH LsaApCallPackagePassthrough;
LSA_AP_LOGON_TERMINATED LsaApLogonTerminated;

/* The package's protocol. */
typedef enum _APSAMPLE_MESSAGE_TYPE {
    ApSampleQueryCredential = 0, /* returns the credential stored at logon */
    ApSampleStoreCredential = 1  /* replaces it; trusted callers only */
} APSAMPLE_MESSAGE_TYPE;

typedef struct _APSAMPLE_QUERY_REQUEST {
    APSAMPLE_MESSAGE_TYPE MessageType;
    LUID LogonId;
} APSAMPLE_QUERY_REQUEST, *PAPSAMPLE_QUERY_REQUEST;

typedef struct _APSAMPLE_STORE_REQUEST {
    APSAMPLE_MESSAGE_TYPE MessageType;
    LUID LogonId;
    STRING Secret; /* Buffer: client address inside the submit buffer */
} APSAMPLE_STORE_REQUEST, *PAPSAMPLE_STORE_REQUEST;

typedef struct _APSAMPLE_LOGON {
    ULONG MessageType;
    STRING UserName;
    STRING Secret;
} APSAMPLE_LOGON, *PAPSAMPLE_LOGON;

static ULONG AuthenticationPackage;
static PLSA_DISPATCH_TABLE Lsa;
static CHAR PrimaryKey[] = "apsample";

NTSTATUS NTAPI LsaApInitializePackage(ULONG AuthenticationPackageId,
                                      PLSA_DISPATCH_TABLE LsaDispatchTable, PLSA_STRING Database,
                                      PLSA_STRING Confidentiality,
                                      PLSA_STRING *AuthenticationPackageName)
{
    static const CHAR name[] = "ApSample";
    PLSA_STRING package_name;
    PCHAR buffer;

    (void)Database;        /* unused, NULL */
    (void)Confidentiality; /* unused, NULL */
    AuthenticationPackage = AuthenticationPackageId;
    Lsa = LsaDispatchTable;

    package_name = Lsa->AllocateLsaHeap(sizeof(LSA_STRING));
    buffer = Lsa->AllocateLsaHeap(sizeof(name));
    if (package_name == NULL || buffer == NULL) {
        if (package_name != NULL)
            Lsa->FreeLsaHeap(package_name);
        if (buffer != NULL)
            Lsa->FreeLsaHeap(buffer);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    for (ULONG i = 0; i < sizeof(name); i++)
        buffer[i] = name[i];
    package_name->Buffer = buffer;
    package_name->Length = sizeof(name) - 1;
    package_name->MaximumLength = sizeof(name);
    *AuthenticationPackageName = package_name;
    return STATUS_SUCCESS;
}

/* §2.7: rebase an embedded client pointer into the LSA's copy, inside the range only. */
static NTSTATUS Relocate(PSTRING String, PVOID Local, PVOID ClientBase, ULONG Length)
{
    ULONG_PTR offset = (ULONG_PTR)String->Buffer - (ULONG_PTR)ClientBase;

    if (String->Length == 0) {
        String->Buffer = NULL;
        return STATUS_SUCCESS;
    }
    if ((ULONG_PTR)String->Buffer < (ULONG_PTR)ClientBase || offset > Length ||
        String->Length > Length - offset || String->Length > String->MaximumLength)
        return STATUS_INVALID_PARAMETER;
    String->Buffer = (PCHAR)Local + offset;
    return STATUS_SUCCESS;
}

static PUNICODE_STRING AnsiToLsaUnicode(PSTRING Source)
{
    PUNICODE_STRING result = Lsa->AllocateLsaHeap(sizeof(UNICODE_STRING) + Source->Length * 2u);

    if (result == NULL)
        return NULL;
    result->Buffer = (PWSTR)(result + 1);
    for (USHORT i = 0; i < Source->Length; i++)
        result->Buffer[i] = (UCHAR)Source->Buffer[i];
    result->Length = result->MaximumLength = (USHORT)(Source->Length * 2u);
    return result;
}

NTSTATUS NTAPI LsaApLogonUser(PLSA_CLIENT_REQUEST ClientRequest, SECURITY_LOGON_TYPE LogonType,
                              PVOID AuthenticationInformation, PVOID ClientAuthenticationBase,
                              ULONG AuthenticationInformationLength, PVOID *ProfileBuffer,
                              PULONG ProfileBufferLength, PLUID LogonId, PNTSTATUS SubStatus,
                              PLSA_TOKEN_INFORMATION_TYPE TokenInformationType,
                              PVOID *TokenInformation, PLSA_UNICODE_STRING *AccountName,
                              PLSA_UNICODE_STRING *AuthenticatingAuthority)
{
    PAPSAMPLE_LOGON logon = AuthenticationInformation;
    PLSA_TOKEN_INFORMATION_NULL token;
    LSA_STRING key = { sizeof(PrimaryKey) - 1, sizeof(PrimaryKey), PrimaryKey };
    NTSTATUS status;

    (void)ClientRequest;
    *AccountName = *AuthenticatingAuthority = NULL;
    *ProfileBuffer = NULL;
    *ProfileBufferLength = 0;
    *SubStatus = STATUS_SUCCESS;
    if (LogonType != Network)
        return STATUS_INVALID_LOGON_TYPE;
    if (AuthenticationInformationLength < sizeof(*logon))
        return STATUS_INVALID_PARAMETER;
    status = Relocate(&logon->UserName, logon, ClientAuthenticationBase,
                      AuthenticationInformationLength);
    if (status == STATUS_SUCCESS)
        status = Relocate(&logon->Secret, logon, ClientAuthenticationBase,
                          AuthenticationInformationLength);
    if (status != STATUS_SUCCESS)
        return status;
    *AccountName = AnsiToLsaUnicode(&logon->UserName);
    if (*AccountName == NULL)
        return STATUS_NO_MEMORY;

    /* A real package would use NtAllocateLocallyUniqueId; here the id is derived. */
    LogonId->LowPart = 0x10000u + logon->UserName.Length;
    LogonId->HighPart = 0;
    status = Lsa->CreateLogonSession(LogonId);
    if (status != STATUS_SUCCESS)
        return status;
    status = Lsa->AddCredential(LogonId, AuthenticationPackage, &key, &logon->Secret);
    if (status != STATUS_SUCCESS) {
        Lsa->DeleteLogonSession(LogonId);
        return status;
    }
    token = Lsa->AllocateLsaHeap(sizeof(*token));
    if (token == NULL) {
        Lsa->DeleteCredential(LogonId, AuthenticationPackage, &key);
        Lsa->DeleteLogonSession(LogonId);
        return STATUS_NO_MEMORY;
    }
    token->ExpirationTime.QuadPart = 0x7fffffffffffffffLL;
    token->Groups = NULL;
    *TokenInformationType = LsaTokenInformationNull;
    *TokenInformation = token;
    return STATUS_SUCCESS;
}

static NTSTATUS QueryCredential(PLSA_CLIENT_REQUEST ClientRequest, PAPSAMPLE_QUERY_REQUEST Request,
                                PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                                PNTSTATUS ProtocolStatus)
{
    CHAR key_buffer[32];
    LSA_STRING key = { 0, sizeof(key_buffer), key_buffer };
    LSA_STRING credential = { 0, 0, NULL };
    ULONG query_context = 0, key_length = 0;
    PVOID client = NULL;
    NTSTATUS status;

    status = Lsa->GetCredentials(&Request->LogonId, AuthenticationPackage, &query_context, TRUE,
                                 &key, &key_length, &credential);
    if (status != STATUS_SUCCESS) {
        *ProtocolStatus = status;
        return STATUS_SUCCESS;
    }
    status = Lsa->AllocateClientBuffer(ClientRequest, credential.Length, &client);
    if (status == STATUS_SUCCESS)
        status = Lsa->CopyToClientBuffer(ClientRequest, credential.Length, client,
                                         credential.Buffer);
    Lsa->FreeLsaHeap(credential.Buffer);
    if (status != STATUS_SUCCESS) {
        if (client != NULL)
            Lsa->FreeClientBuffer(ClientRequest, client);
        return status; /* the request could not be attempted (e.g. client quota) */
    }
    *ProtocolReturnBuffer = client;
    *ReturnBufferLength = credential.Length;
    *ProtocolStatus = STATUS_SUCCESS;
    return STATUS_SUCCESS;
}

static NTSTATUS StoreCredential(PLSA_CLIENT_REQUEST ClientRequest, PAPSAMPLE_STORE_REQUEST Request,
                                PVOID ClientBufferBase, ULONG SubmitBufferLength,
                                PNTSTATUS ProtocolStatus)
{
    LSA_STRING key = { sizeof(PrimaryKey) - 1, sizeof(PrimaryKey), PrimaryKey };
    CHAR secret[64];
    NTSTATUS status;

    /* Read the secret from the client's buffer with CopyFromClientBuffer instead of
     * relocating: the LSA checks the address lies inside the submitted range. */
    if (Request->Secret.Length > sizeof(secret))
        return STATUS_INVALID_PARAMETER;
    (void)ClientBufferBase;
    (void)SubmitBufferLength;
    status = Lsa->CopyFromClientBuffer(ClientRequest, Request->Secret.Length, secret,
                                       Request->Secret.Buffer);
    if (status != STATUS_SUCCESS)
        return status;
    Request->Secret.Buffer = secret;
    Request->Secret.MaximumLength = sizeof(secret);
    (void)Lsa->DeleteCredential(&Request->LogonId, AuthenticationPackage, &key);
    *ProtocolStatus = Lsa->AddCredential(&Request->LogonId, AuthenticationPackage, &key,
                                         &Request->Secret);
    return STATUS_SUCCESS;
}

static NTSTATUS Dispatch(PLSA_CLIENT_REQUEST ClientRequest, PVOID ProtocolSubmitBuffer,
                         PVOID ClientBufferBase, ULONG SubmitBufferLength,
                         PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                         PNTSTATUS ProtocolStatus, BOOLEAN Trusted)
{
    *ProtocolReturnBuffer = NULL;
    *ReturnBufferLength = 0;
    if (SubmitBufferLength < sizeof(ULONG))
        return STATUS_INVALID_PARAMETER;
    switch (*(PULONG)ProtocolSubmitBuffer) {
    case ApSampleQueryCredential:
        if (SubmitBufferLength < sizeof(APSAMPLE_QUERY_REQUEST))
            return STATUS_INVALID_PARAMETER;
        return QueryCredential(ClientRequest, ProtocolSubmitBuffer, ProtocolReturnBuffer,
                               ReturnBufferLength, ProtocolStatus);
    case ApSampleStoreCredential:
        if (!Trusted) {
            *ProtocolStatus = STATUS_ACCESS_DENIED;
            return STATUS_SUCCESS;
        }
        if (SubmitBufferLength < sizeof(APSAMPLE_STORE_REQUEST))
            return STATUS_INVALID_PARAMETER;
        return StoreCredential(ClientRequest, ProtocolSubmitBuffer, ClientBufferBase,
                               SubmitBufferLength, ProtocolStatus);
    default:
        return STATUS_INVALID_PARAMETER;
    }
}

NTSTATUS NTAPI LsaApCallPackage(PLSA_CLIENT_REQUEST ClientRequest, PVOID ProtocolSubmitBuffer,
                                PVOID ClientBufferBase, ULONG SubmitBufferLength,
                                PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                                PNTSTATUS ProtocolStatus)
{
    return Dispatch(ClientRequest, ProtocolSubmitBuffer, ClientBufferBase, SubmitBufferLength,
                    ProtocolReturnBuffer, ReturnBufferLength, ProtocolStatus, TRUE);
}

NTSTATUS NTAPI LsaApCallPackageUntrusted(PLSA_CLIENT_REQUEST ClientRequest,
                                         PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
                                         ULONG SubmitBufferLength, PVOID *ProtocolReturnBuffer,
                                         PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus)
{
    return Dispatch(ClientRequest, ProtocolSubmitBuffer, ClientBufferBase, SubmitBufferLength,
                    ProtocolReturnBuffer, ReturnBufferLength, ProtocolStatus, FALSE);
}

NTSTATUS NTAPI LsaApCallPackagePassthrough(PLSA_CLIENT_REQUEST ClientRequest,
                                           PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
                                           ULONG SubmitBufferLength, PVOID *ProtocolReturnBuffer,
                                           PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus)
{
    /* Pass-through requests come from another machine's LSA: untrusted. */
    return Dispatch(ClientRequest, ProtocolSubmitBuffer, ClientBufferBase, SubmitBufferLength,
                    ProtocolReturnBuffer, ReturnBufferLength, ProtocolStatus, FALSE);
}

VOID NTAPI LsaApLogonTerminated(PLUID LogonId)
{
    LSA_STRING key = { sizeof(PrimaryKey) - 1, sizeof(PrimaryKey), PrimaryKey };

    (void)Lsa->DeleteCredential(LogonId, AuthenticationPackage, &key);
}

/* What the LSA's loader does with these exports: the pointer types match them. */
static const struct {
    const char *name;
    PLSA_AP_INITIALIZE_PACKAGE initialize;
    PLSA_AP_LOGON_USER logon_user;
    PLSA_AP_CALL_PACKAGE call_package;
    PLSA_AP_CALL_PACKAGE_UNTRUSTED call_package_untrusted;
    PLSA_AP_CALL_PACKAGE_PASSTHROUGH call_package_passthrough;
    PLSA_AP_LOGON_TERMINATED logon_terminated;
} ApSampleExports = {
    LSA_AP_NAME_INITIALIZE_PACKAGE, LsaApInitializePackage,    LsaApLogonUser,
    LsaApCallPackage,               LsaApCallPackageUntrusted, LsaApCallPackagePassthrough,
    LsaApLogonTerminated,
};

const void *apsample_exports(void);
const void *apsample_exports(void)
{
    return &ApSampleExports;
}
