/*
 * ap_no_call.so: an authentication package (AP model) without LsaApCallPackage, which
 * the documentation says every package must implement.  It is otherwise well formed;
 * the LSA must refuse it with "missing symbol LsaApCallPackage" before initialising it.
 */
#include <string.h>

#include <lsa/ntsecpkg.h>

LSA_AP_INITIALIZE_PACKAGE LsaApInitializePackage;
LSA_AP_LOGON_USER LsaApLogonUser;

NTSTATUS NTAPI LsaApInitializePackage(ULONG AuthenticationPackageId,
                                      PLSA_DISPATCH_TABLE LsaDispatchTable, PLSA_STRING Database,
                                      PLSA_STRING Confidentiality,
                                      PLSA_STRING *AuthenticationPackageName)
{
    static const char name[] = "ApNoCall";
    PLSA_STRING string;
    PCHAR buffer;

    (void)AuthenticationPackageId;
    (void)Database;
    (void)Confidentiality;
    string = LsaDispatchTable->AllocateLsaHeap(sizeof(*string));
    buffer = LsaDispatchTable->AllocateLsaHeap(sizeof(name));
    if (string == NULL || buffer == NULL) {
        LsaDispatchTable->FreeLsaHeap(string);
        LsaDispatchTable->FreeLsaHeap(buffer);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    memcpy(buffer, name, sizeof(name));
    string->Buffer = buffer;
    string->Length = sizeof(name) - 1;
    string->MaximumLength = sizeof(name);
    *AuthenticationPackageName = string;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI LsaApLogonUser(PLSA_CLIENT_REQUEST ClientRequest, SECURITY_LOGON_TYPE LogonType,
                              PVOID AuthenticationInformation, PVOID ClientAuthenticationBase,
                              ULONG AuthenticationInformationLength, PVOID *ProfileBuffer,
                              PULONG ProfileBufferLength, PLUID LogonId, PNTSTATUS SubStatus,
                              PLSA_TOKEN_INFORMATION_TYPE TokenInformationType,
                              PVOID *TokenInformation, PLSA_UNICODE_STRING *AccountName,
                              PLSA_UNICODE_STRING *AuthenticatingAuthority)
{
    (void)ClientRequest;
    (void)LogonType;
    (void)AuthenticationInformation;
    (void)ClientAuthenticationBase;
    (void)AuthenticationInformationLength;
    (void)ProfileBuffer;
    (void)ProfileBufferLength;
    (void)LogonId;
    (void)SubStatus;
    (void)TokenInformationType;
    (void)TokenInformation;
    (void)AccountName;
    (void)AuthenticatingAuthority;
    return STATUS_NOT_IMPLEMENTED; /* never reached: the package does not load */
}
