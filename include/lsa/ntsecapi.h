/*
 * <lsa/ntsecapi.h> - the LSA client API and the MSV1_0 and Kerberos message structures,
 * as in the Windows SDK's ntsecapi.h.  spec/lsa-api.md §1 (client API), §4 (MSV1_0),
 * §5 (Kerberos), §6 (constants).
 */
#ifndef LSA_NTSECAPI_H
#define LSA_NTSECAPI_H

#include <lsa/ntdef.h>
#include <lsa/ntstatus.h>
#include <lsa/winnt.h>

#ifdef __cplusplus
extern "C" {
#endif

/* §6.1 */
typedef enum _SECURITY_LOGON_TYPE {
    UndefinedLogonType = 0,
    Interactive = 2,
    Network,
    Batch,
    Service,
    Proxy,
    Unlock,
    NetworkCleartext,
    NewCredentials,
    RemoteInteractive,
    CachedInteractive,
    CachedRemoteInteractive,
    CachedUnlock
} SECURITY_LOGON_TYPE, *PSECURITY_LOGON_TYPE;

/* §6.3 */
typedef ULONG LSA_OPERATIONAL_MODE, *PLSA_OPERATIONAL_MODE;
#define LSA_MODE_PASSWORD_PROTECTED 0x00000001L
#define LSA_MODE_INDIVIDUAL_ACCOUNTS 0x00000002L
#define LSA_MODE_MANDATORY_ACCESS 0x00000004L
#define LSA_MODE_LOG_FULL 0x00000008L

/* §1.2 */
typedef struct _LSA_LAST_INTER_LOGON_INFO {
    LARGE_INTEGER LastSuccessfulLogon;
    LARGE_INTEGER LastFailedLogon;
    ULONG FailedAttemptCountSinceLastSuccessfulLogon;
} LSA_LAST_INTER_LOGON_INFO, *PLSA_LAST_INTER_LOGON_INFO;

typedef struct _SECURITY_LOGON_SESSION_DATA {
    ULONG Size;
    LUID LogonId;
    LSA_UNICODE_STRING UserName;
    LSA_UNICODE_STRING LogonDomain;
    LSA_UNICODE_STRING AuthenticationPackage;
    ULONG LogonType;
    ULONG Session;
    PSID Sid;
    LARGE_INTEGER LogonTime;
    LSA_UNICODE_STRING LogonServer;
    LSA_UNICODE_STRING DnsDomainName;
    LSA_UNICODE_STRING Upn;
    ULONG UserFlags;
    LSA_LAST_INTER_LOGON_INFO LastLogonInfo;
    LSA_UNICODE_STRING LogonScript;
    LSA_UNICODE_STRING ProfilePath;
    LSA_UNICODE_STRING HomeDirectory;
    LSA_UNICODE_STRING HomeDirectoryDrive;
    LARGE_INTEGER LogoffTime;
    LARGE_INTEGER KickOffTime;
    LARGE_INTEGER PasswordLastSet;
    LARGE_INTEGER PasswordCanChange;
    LARGE_INTEGER PasswordMustChange;
} SECURITY_LOGON_SESSION_DATA, *PSECURITY_LOGON_SESSION_DATA;

/* SECURITY_LOGON_SESSION_DATA.UserFlags */
#define LOGON_OPTIMIZED 0x4000
#define LOGON_WINLOGON 0x8000
#define LOGON_PKINIT 0x10000
#define LOGON_NO_OPTIMIZED 0x20000

_Static_assert(sizeof(LSA_LAST_INTER_LOGON_INFO) == 24, "LSA_LAST_INTER_LOGON_INFO x64 size");
_Static_assert(sizeof(SECURITY_LOGON_SESSION_DATA) == 272, "SECURITY_LOGON_SESSION_DATA x64 size (§1.2)");
_Static_assert(offsetof(SECURITY_LOGON_SESSION_DATA, LogonId) == 4, "§1.2 LogonId");
_Static_assert(offsetof(SECURITY_LOGON_SESSION_DATA, UserName) == 16, "§1.2 UserName");
_Static_assert(offsetof(SECURITY_LOGON_SESSION_DATA, LogonDomain) == 32, "§1.2 LogonDomain");
_Static_assert(offsetof(SECURITY_LOGON_SESSION_DATA, AuthenticationPackage) == 48, "§1.2");
_Static_assert(offsetof(SECURITY_LOGON_SESSION_DATA, LogonType) == 64, "§1.2 LogonType");
_Static_assert(offsetof(SECURITY_LOGON_SESSION_DATA, Session) == 68, "§1.2 Session");
_Static_assert(offsetof(SECURITY_LOGON_SESSION_DATA, Sid) == 72, "§1.2 Sid");
_Static_assert(offsetof(SECURITY_LOGON_SESSION_DATA, LogonTime) == 80, "§1.2 LogonTime");
_Static_assert(offsetof(SECURITY_LOGON_SESSION_DATA, LogonServer) == 88, "§1.2 LogonServer");
_Static_assert(offsetof(SECURITY_LOGON_SESSION_DATA, DnsDomainName) == 104, "§1.2");
_Static_assert(offsetof(SECURITY_LOGON_SESSION_DATA, Upn) == 120, "§1.2 Upn");
_Static_assert(offsetof(SECURITY_LOGON_SESSION_DATA, UserFlags) == 136, "§1.2 UserFlags");
_Static_assert(offsetof(SECURITY_LOGON_SESSION_DATA, LastLogonInfo) == 144, "§1.2");
_Static_assert(offsetof(SECURITY_LOGON_SESSION_DATA, LogonScript) == 168, "§1.2 LogonScript");
_Static_assert(offsetof(SECURITY_LOGON_SESSION_DATA, ProfilePath) == 184, "§1.2 ProfilePath");
_Static_assert(offsetof(SECURITY_LOGON_SESSION_DATA, HomeDirectory) == 200, "§1.2");
_Static_assert(offsetof(SECURITY_LOGON_SESSION_DATA, HomeDirectoryDrive) == 216, "§1.2");
_Static_assert(offsetof(SECURITY_LOGON_SESSION_DATA, LogoffTime) == 232, "§1.2 LogoffTime");
_Static_assert(offsetof(SECURITY_LOGON_SESSION_DATA, PasswordMustChange) == 264, "§1.2");

/* Well-known package names (§1.1). */
#define MSV1_0_PACKAGE_NAME "MICROSOFT_AUTHENTICATION_PACKAGE_V1_0"
#define MSV1_0_PACKAGE_NAMEW u"MICROSOFT_AUTHENTICATION_PACKAGE_V1_0"
#define MICROSOFT_KERBEROS_NAME_A "Kerberos"
#define MICROSOFT_KERBEROS_NAME_W u"Kerberos"
#define NEGOSSP_NAME_A "Negotiate"
#define NEGOSSP_NAME_W u"Negotiate"

/* §1.1: the client API. */
NTSTATUS NTAPI LsaRegisterLogonProcess(PLSA_STRING LogonProcessName, PHANDLE LsaHandle,
                                       PLSA_OPERATIONAL_MODE SecurityMode);
NTSTATUS NTAPI LsaConnectUntrusted(PHANDLE LsaHandle);
NTSTATUS NTAPI LsaDeregisterLogonProcess(HANDLE LsaHandle);
NTSTATUS NTAPI LsaLookupAuthenticationPackage(HANDLE LsaHandle, PLSA_STRING PackageName,
                                              PULONG AuthenticationPackage);
NTSTATUS NTAPI LsaCallAuthenticationPackage(HANDLE LsaHandle, ULONG AuthenticationPackage,
                                            PVOID ProtocolSubmitBuffer, ULONG SubmitBufferLength,
                                            PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                                            PNTSTATUS ProtocolStatus);
NTSTATUS NTAPI LsaLogonUser(HANDLE LsaHandle, PLSA_STRING OriginName, SECURITY_LOGON_TYPE LogonType,
                            ULONG AuthenticationPackage, PVOID AuthenticationInformation,
                            ULONG AuthenticationInformationLength, PTOKEN_GROUPS LocalGroups,
                            PTOKEN_SOURCE SourceContext, PVOID *ProfileBuffer,
                            PULONG ProfileBufferLength, PLUID LogonId, PHANDLE Token,
                            PQUOTA_LIMITS Quotas, PNTSTATUS SubStatus);
NTSTATUS NTAPI LsaFreeReturnBuffer(PVOID Buffer);
ULONG NTAPI LsaNtStatusToWinError(NTSTATUS Status);
NTSTATUS NTAPI LsaEnumerateLogonSessions(PULONG LogonSessionCount, PLUID *LogonSessionList);
NTSTATUS NTAPI LsaGetLogonSessionData(PLUID LogonId,
                                      PSECURITY_LOGON_SESSION_DATA *ppLogonSessionData);

#ifdef __cplusplus
}
#endif

#include <lsa/ntsecapi_msv1_0.h>
#include <lsa/ntsecapi_kerberos.h>
#include <lsa/lsa_ext.h>

#endif /* LSA_NTSECAPI_H */
