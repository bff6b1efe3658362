/*
 * broken_init.so: an authentication package (AP model) whose LsaApInitializePackage
 * fails.  It has every export the LSA requires, so initialisation is what fails: the LSA
 * must log "LsaApInitializePackage failed with STATUS_INSUFFICIENT_RESOURCES", leave the
 * package out, and go on loading the others.
 */
#include <lsa/ntsecpkg.h>

LSA_AP_INITIALIZE_PACKAGE LsaApInitializePackage;
LSA_AP_LOGON_USER LsaApLogonUser;
LSA_AP_CALL_PACKAGE LsaApCallPackage;

NTSTATUS NTAPI LsaApInitializePackage(ULONG AuthenticationPackageId,
                                      PLSA_DISPATCH_TABLE LsaDispatchTable, PLSA_STRING Database,
                                      PLSA_STRING Confidentiality,
                                      PLSA_STRING *AuthenticationPackageName)
{
    (void)AuthenticationPackageId;
    (void)LsaDispatchTable;
    (void)Database;
    (void)Confidentiality;
    *AuthenticationPackageName = NULL;
    return STATUS_INSUFFICIENT_RESOURCES;
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

NTSTATUS NTAPI LsaApCallPackage(PLSA_CLIENT_REQUEST ClientRequest, PVOID ProtocolSubmitBuffer,
                                PVOID ClientBufferBase, ULONG SubmitBufferLength,
                                PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                                PNTSTATUS ProtocolStatus)
{
    (void)ClientRequest;
    (void)ProtocolSubmitBuffer;
    (void)ClientBufferBase;
    (void)SubmitBufferLength;
    (void)ProtocolReturnBuffer;
    (void)ReturnBufferLength;
    (void)ProtocolStatus;
    return STATUS_NOT_IMPLEMENTED; /* never reached: the package does not load */
}
