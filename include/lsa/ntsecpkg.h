/*
 * <lsa/ntsecpkg.h> - the authentication-package ABI, as in the Windows SDK's ntsecpkg.h:
 * what an authentication package (AP: LsaAp* exports, LSA_DISPATCH_TABLE) or an
 * SSP/AP (SpLsaModeInitialize, SECPKG_FUNCTION_TABLE, LSA_SECPKG_FUNCTION_TABLE) is
 * written against.  spec/lsa-api.md §2.
 *
 * Every name, member order and parameter list is the Windows one, so a package written
 * from the Microsoft documentation compiles unchanged.  The function types come in the
 * SDK's two forms: LSA_FOO is the function type (declare an implementation with
 * "LSA_FOO MyFoo;" and the compiler checks its definition), PLSA_FOO the pointer.
 * The tables have their Windows x64 layout; the asserts at the end pin it.
 *
 * Linux extensions (lower snake case) are appended after the last Windows member of
 * LSA_SECPKG_FUNCTION_TABLE and never change a Windows offset.
 */
#ifndef LSA_NTSECPKG_H
#define LSA_NTSECPKG_H

#include <sys/types.h>

#include <lsa/ntsecapi.h>
#include <lsa/sspi.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------
 * Basic package types (§2.2)
 * ------------------------------------------------------------------------------------- */

/* Opaque handle on the client call in flight; only ever passed back to the LSA. */
typedef PVOID *PLSA_CLIENT_REQUEST;

/* An SSP's credential or context handle (its own value; the LSA does not interpret it). */
typedef ULONG_PTR LSA_SEC_HANDLE;
typedef LSA_SEC_HANDLE *PLSA_SEC_HANDLE;

/* Windows: LPTHREAD_START_ROUTINE / LPSECURITY_ATTRIBUTES (winbase.h, not provided). */
typedef ULONG(NTAPI *SEC_THREAD_START)(PVOID ThreadParameter);
typedef PVOID SEC_ATTRS;

/* FILETIME (minwinbase.h), used by GetServiceAccountPassword only. */
#ifndef LSA_FILETIME_DEFINED
#define LSA_FILETIME_DEFINED
typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME, *PFILETIME, *LPFILETIME;
#endif

#define SecEqualLuid(L1, L2)                                                                       \
    ((((PLUID)(L1))->LowPart == ((PLUID)(L2))->LowPart) &&                                         \
     (((PLUID)(L1))->HighPart == ((PLUID)(L2))->HighPart))
#define SecIsZeroLuid(L1) ((((L1)->LowPart) | ((ULONG)(L1)->HighPart)) == 0)

/* ---------------------------------------------------------------------------------------
 * Token information returned by LogonUser* (§2.3)
 * ------------------------------------------------------------------------------------- */

typedef enum _LSA_TOKEN_INFORMATION_TYPE {
    LsaTokenInformationNull = 0, /* LSA_TOKEN_INFORMATION_NULL */
    LsaTokenInformationV1 = 1,   /* LSA_TOKEN_INFORMATION_V1 */
    LsaTokenInformationV2 = 2,   /* LSA_TOKEN_INFORMATION_V2 */
    LsaTokenInformationV3 = 3    /* LSA_TOKEN_INFORMATION_V3 */
} LSA_TOKEN_INFORMATION_TYPE, *PLSA_TOKEN_INFORMATION_TYPE;

typedef struct _LSA_TOKEN_INFORMATION_NULL {
    LARGE_INTEGER ExpirationTime;
    PTOKEN_GROUPS Groups;
} LSA_TOKEN_INFORMATION_NULL, *PLSA_TOKEN_INFORMATION_NULL;

typedef struct _LSA_TOKEN_INFORMATION_V1 {
    LARGE_INTEGER ExpirationTime;
    TOKEN_USER User;
    PTOKEN_GROUPS Groups;
    TOKEN_PRIMARY_GROUP PrimaryGroup;
    PTOKEN_PRIVILEGES Privileges;
    TOKEN_OWNER Owner;
    TOKEN_DEFAULT_DACL DefaultDacl;
} LSA_TOKEN_INFORMATION_V1, *PLSA_TOKEN_INFORMATION_V1;

/* V2: same layout as V1, allocated as one block. */
typedef LSA_TOKEN_INFORMATION_V1 LSA_TOKEN_INFORMATION_V2, *PLSA_TOKEN_INFORMATION_V2;

/* V3: V1's fields, then claims and device groups. */
typedef struct _LSA_TOKEN_INFORMATION_V3 {
    LARGE_INTEGER ExpirationTime;
    TOKEN_USER User;
    PTOKEN_GROUPS Groups;
    TOKEN_PRIMARY_GROUP PrimaryGroup;
    PTOKEN_PRIVILEGES Privileges;
    TOKEN_OWNER Owner;
    TOKEN_DEFAULT_DACL DefaultDacl;
    TOKEN_USER_CLAIMS UserClaims;
    TOKEN_DEVICE_CLAIMS DeviceClaims;
    PTOKEN_GROUPS DeviceGroups;
} LSA_TOKEN_INFORMATION_V3, *PLSA_TOKEN_INFORMATION_V3;

/* ---------------------------------------------------------------------------------------
 * Structures of the helper functions (§2.5)
 * ------------------------------------------------------------------------------------- */

typedef struct _SECPKG_CLIENT_INFO {
    LUID LogonId; /* effective logon id */
    ULONG ProcessID;
    ULONG ThreadID;
    BOOLEAN HasTcbPrivilege;
    BOOLEAN Impersonating;
    BOOLEAN Restricted;
    UCHAR ClientFlags; /* SECPKG_CLIENT_* */
    SECURITY_IMPERSONATION_LEVEL ImpersonationLevel;
    HANDLE ClientToken;
} SECPKG_CLIENT_INFO, *PSECPKG_CLIENT_INFO;

typedef struct _SECPKG_CLIENT_INFO_EX {
    LUID LogonId;
    ULONG ProcessID;
    ULONG ThreadID;
    BOOLEAN HasTcbPrivilege;
    BOOLEAN Impersonating;
    BOOLEAN Restricted;
    UCHAR ClientFlags;
    SECURITY_IMPERSONATION_LEVEL ImpersonationLevel;
    HANDLE ClientToken;
    LUID IdentificationLogonId;
    HANDLE IdentificationToken;
} SECPKG_CLIENT_INFO_EX, *PSECPKG_CLIENT_INFO_EX;

/* SECPKG_CLIENT_INFO.ClientFlags */
#define SECPKG_CLIENT_PROCESS_TERMINATED 0x01
#define SECPKG_CLIENT_THREAD_TERMINATED 0x02

typedef struct _SECPKG_CALL_INFO {
    ULONG ProcessId;
    ULONG ThreadId;
    ULONG Attributes; /* SECPKG_CALL_* */
    ULONG CallCount;
    PVOID MechOid;
} SECPKG_CALL_INFO, *PSECPKG_CALL_INFO;

/* SECPKG_CALL_INFO.Attributes */
#define SECPKG_CALL_KERNEL_MODE 0x00000001
#define SECPKG_CALL_ANSI 0x00000002
#define SECPKG_CALL_URGENT 0x00000004
#define SECPKG_CALL_RECURSIVE 0x00000008
#define SECPKG_CALL_IN_PROC 0x00000010
#define SECPKG_CALL_CLEANUP 0x00000020
#define SECPKG_CALL_WOWCLIENT 0x00000040
#define SECPKG_CALL_THREAD_TERM 0x00000080
#define SECPKG_CALL_PROCESS_TERM 0x00000100
#define SECPKG_CALL_IS_TCB 0x00000200
#define SECPKG_CALL_NETWORK_ONLY 0x00000400
#define SECPKG_CALL_WINLOGON 0x00000800
#define SECPKG_CALL_ASYNC_UPDATE 0x00001000
#define SECPKG_CALL_SYSTEM_PROC 0x00002000
#define SECPKG_CALL_NEGO 0x00004000
#define SECPKG_CALL_NEGO_EXTENDER 0x00008000
#define SECPKG_CALL_BUFFER_MARSHAL 0x00010000
#define SECPKG_CALL_UNLOCK 0x00020000
#define SECPKG_CALL_CLOUDAP_CONNECT 0x00040000
#define SECPKG_CALL_WOWX86 0x00000040
#define SECPKG_CALL_WOWA32 0x00040000

/* SECPKG_PRIMARY_CRED.Flags (§2.5) */
#define PRIMARY_CRED_CLEAR_PASSWORD 0x00000001
#define PRIMARY_CRED_OWF_PASSWORD 0x00000002
#define PRIMARY_CRED_UPDATE 0x00000004
#define PRIMARY_CRED_CACHED_LOGON 0x00000008
#define PRIMARY_CRED_LOGON_NO_TCB 0x00000010
#define PRIMARY_CRED_LOGON_LUA 0x00000020
#define PRIMARY_CRED_INTERACTIVE_SMARTCARD_LOGON 0x00000040
#define PRIMARY_CRED_REFRESH_NEEDED 0x00000080
#define PRIMARY_CRED_INTERNET_USER 0x00000100
#define PRIMARY_CRED_AUTH_ID 0x00000200
#define PRIMARY_CRED_DO_NOT_SPLIT 0x00000400
#define PRIMARY_CRED_PROTECTED_USER 0x00000800
#define PRIMARY_CRED_EX 0x00001000
#define PRIMARY_CRED_TRANSFER 0x00002000
#define PRIMARY_CRED_RESTRICTED_TS 0x00004000
#define PRIMARY_CRED_PACKED_CREDS 0x00008000
#define PRIMARY_CRED_ENTERPRISE_INTERNET_USER 0x00010000
#define PRIMARY_CRED_ENCRYPTED_CREDGUARD_PASSWORD 0x00020000
#define PRIMARY_CRED_CACHED_INTERACTIVE_LOGON 0x00040000
#define PRIMARY_CRED_INTERACTIVE_NGC_LOGON 0x00080000
#define PRIMARY_CRED_INTERACTIVE_FIDO_LOGON 0x00100000
#define PRIMARY_CRED_ARSO_LOGON 0x00200000
#define PRIMARY_CRED_SUPPLEMENTAL 0x00400000
#define PRIMARY_CRED_FOR_PASSWORD_CHANGE 0x00800000
/* As in the SDK, this bit lies inside PRIMARY_CRED_PACKAGE_MASK. */
#define PRIMARY_CRED_LOCAL_USER 0x01000000
/* High byte: the RPC id of the package that did a cached logon. */
#define PRIMARY_CRED_LOGON_PACKAGE_SHIFT 24
#define PRIMARY_CRED_PACKAGE_MASK 0xff000000

typedef struct _SECPKG_PRIMARY_CRED {
    LUID LogonId;
    UNICODE_STRING DownlevelName; /* SAM account name */
    UNICODE_STRING DomainName;    /* NetBIOS domain name */
    UNICODE_STRING Password;
    UNICODE_STRING OldPassword;
    PSID UserSid;
    ULONG Flags; /* PRIMARY_CRED_* */
    UNICODE_STRING DnsDomainName;
    UNICODE_STRING Upn;
    UNICODE_STRING LogonServer;
    UNICODE_STRING Spare1;
    UNICODE_STRING Spare2;
    UNICODE_STRING Spare3;
    UNICODE_STRING Spare4;
} SECPKG_PRIMARY_CRED, *PSECPKG_PRIMARY_CRED;

#define SECPKG_PRIMARY_CRED_EX_FLAGS_EX_DELEGATION_TOKEN 0x1

/* SECPKG_PRIMARY_CRED's layout, then the extensions (Flags has PRIMARY_CRED_EX). */
typedef struct _SECPKG_PRIMARY_CRED_EX {
    LUID LogonId;
    UNICODE_STRING DownlevelName;
    UNICODE_STRING DomainName;
    UNICODE_STRING Password;
    UNICODE_STRING OldPassword;
    PSID UserSid;
    ULONG Flags;
    UNICODE_STRING DnsDomainName;
    UNICODE_STRING Upn;
    UNICODE_STRING LogonServer;
    UNICODE_STRING Spare1;
    UNICODE_STRING Spare2;
    UNICODE_STRING Spare3;
    UNICODE_STRING Spare4;
    ULONG_PTR PackageId;
    LUID PrevLogonId;
    ULONG FlagsEx; /* SECPKG_PRIMARY_CRED_EX_FLAGS_EX_* */
} SECPKG_PRIMARY_CRED_EX, *PSECPKG_PRIMARY_CRED_EX;

typedef struct _SECPKG_SUPPLEMENTAL_CRED {
    UNICODE_STRING PackageName;
    ULONG CredentialSize;
    PUCHAR Credentials;
} SECPKG_SUPPLEMENTAL_CRED, *PSECPKG_SUPPLEMENTAL_CRED;

typedef struct _SECPKG_SUPPLEMENTAL_CRED_ARRAY {
    ULONG CredentialCount;
    SECPKG_SUPPLEMENTAL_CRED Credentials[1]; /* CredentialCount entries */
} SECPKG_SUPPLEMENTAL_CRED_ARRAY, *PSECPKG_SUPPLEMENTAL_CRED_ARRAY;

/* Maximum size of a stored credential. */
#define MAX_CRED_SIZE 1024

/* Surrogate logons (LogonUserEx3, Pre/PostLogonUserSurrogate).  pam-lsa never fills
 * Entries; the entry type is declared so code written from the SDK compiles. */
typedef struct _SECPKG_SURROGATE_LOGON_ENTRY {
    GUID Type;
    PVOID Data;
} SECPKG_SURROGATE_LOGON_ENTRY, *PSECPKG_SURROGATE_LOGON_ENTRY;

typedef struct _SECPKG_SURROGATE_LOGON {
    ULONG Version; /* SECPKG_SURROGATE_LOGON_VERSION_1 */
    LUID SurrogateLogonID;
    ULONG EntryCount;
    PSECPKG_SURROGATE_LOGON_ENTRY Entries;
} SECPKG_SURROGATE_LOGON, *PSECPKG_SURROGATE_LOGON;

#define SECPKG_SURROGATE_LOGON_VERSION_1 1

/* SecBuffer.BufferType bits used inside the LSA. */
#define SECBUFFER_UNMAPPED 0x40000000
#define SECBUFFER_KERNEL_MAP 0x20000000

/* ---------------------------------------------------------------------------------------
 * SpInitialize's parameters (§2.6)
 * ------------------------------------------------------------------------------------- */

/* SECPKG_PARAMETERS.MachineState */
#define SECPKG_STATE_ENCRYPTION_PERMITTED 0x01
#define SECPKG_STATE_STRONG_ENCRYPTION_PERMITTED 0x02
#define SECPKG_STATE_DOMAIN_CONTROLLER 0x04
#define SECPKG_STATE_WORKSTATION 0x08
#define SECPKG_STATE_STANDALONE 0x10
#define SECPKG_STATE_CRED_ISOLATION_ENABLED 0x20
#define SECPKG_STATE_RESERVED_1 0x80000000

typedef struct _SECPKG_PARAMETERS {
    ULONG Version;
    ULONG MachineState; /* SECPKG_STATE_* */
    ULONG SetupMode;
    PSID DomainSid;
    UNICODE_STRING DomainName;
    UNICODE_STRING DnsDomainName;
    GUID DomainGuid;
} SECPKG_PARAMETERS, *PSECPKG_PARAMETERS;

typedef struct _SECPKG_PARAMETERS SECPKG_EVENT_DOMAIN_CHANGE;
typedef struct _SECPKG_PARAMETERS *PSECPKG_EVENT_DOMAIN_CHANGE;

/* ---------------------------------------------------------------------------------------
 * Types of the SSP entry points (§2.6)
 * ------------------------------------------------------------------------------------- */

typedef enum _SECPKG_EXTENDED_INFORMATION_CLASS {
    SecpkgGssInfo = 1,
    SecpkgContextThunks,
    SecpkgMutualAuthLevel,
    SecpkgWowClientDll,
    SecpkgExtraOids,
    SecpkgMaxInfo,
    SecpkgNego2Info
} SECPKG_EXTENDED_INFORMATION_CLASS;

typedef struct _SECPKG_GSS_INFO {
    ULONG EncodedIdLength;
    UCHAR EncodedId[4];
} SECPKG_GSS_INFO, *PSECPKG_GSS_INFO;

typedef struct _SECPKG_CONTEXT_THUNKS {
    ULONG InfoLevelCount;
    ULONG Levels[1];
} SECPKG_CONTEXT_THUNKS, *PSECPKG_CONTEXT_THUNKS;

typedef struct _SECPKG_MUTUAL_AUTH_LEVEL {
    ULONG MutualAuthLevel;
} SECPKG_MUTUAL_AUTH_LEVEL, *PSECPKG_MUTUAL_AUTH_LEVEL;

typedef struct _SECPKG_WOW_CLIENT_DLL {
    SECURITY_STRING WowClientDllPath;
} SECPKG_WOW_CLIENT_DLL, *PSECPKG_WOW_CLIENT_DLL;

#define SECPKG_MAX_OID_LENGTH 32

typedef struct _SECPKG_SERIALIZED_OID {
    ULONG OidLength;
    ULONG OidAttributes;
    UCHAR OidValue[SECPKG_MAX_OID_LENGTH];
} SECPKG_SERIALIZED_OID, *PSECPKG_SERIALIZED_OID;

typedef struct _SECPKG_EXTRA_OIDS {
    ULONG OidCount;
    SECPKG_SERIALIZED_OID Oids[1];
} SECPKG_EXTRA_OIDS, *PSECPKG_EXTRA_OIDS;

typedef struct _SECPKG_NEGO2_INFO {
    UCHAR AuthScheme[16];
    ULONG PackageFlags;
} SECPKG_NEGO2_INFO, *PSECPKG_NEGO2_INFO;

typedef struct _SECPKG_EXTENDED_INFORMATION {
    SECPKG_EXTENDED_INFORMATION_CLASS Class;
    union {
        SECPKG_GSS_INFO GssInfo;
        SECPKG_CONTEXT_THUNKS ContextThunks;
        SECPKG_MUTUAL_AUTH_LEVEL MutualAuthLevel;
        SECPKG_WOW_CLIENT_DLL WowClientDll;
        SECPKG_EXTRA_OIDS ExtraOids;
        SECPKG_NEGO2_INFO Nego2Info;
    } Info;
} SECPKG_EXTENDED_INFORMATION, *PSECPKG_EXTENDED_INFORMATION;

#define SECPKG_ATTR_SASL_CONTEXT 0x00010000
#define SECPKG_ATTR_THUNK_ALL 0x00010000

/* SpGetUserInfo's output. */
#ifndef SECURITY_USER_DATA_DEFINED
#define SECURITY_USER_DATA_DEFINED
typedef struct _SECURITY_USER_DATA {
    SECURITY_STRING UserName;
    SECURITY_STRING LogonDomainName;
    SECURITY_STRING LogonServer;
    PSID pSid;
} SECURITY_USER_DATA, *PSECURITY_USER_DATA;
typedef SECURITY_USER_DATA SecurityUserData, *PSecurityUserData;
#define UNDERSTANDS_LONG_NAMES 1
#define NO_LONG_NAMES 2
#endif

typedef struct _SECPKG_TARGETINFO {
    PSID DomainSid;
    PCWSTR ComputerName;
} SECPKG_TARGETINFO, *PSECPKG_TARGETINFO;

typedef struct _SECPKG_POST_LOGON_USER_INFO {
    ULONG Flags; /* reserved */
    LUID LogonId;
    LUID LinkedLogonId;
} SECPKG_POST_LOGON_USER_INFO, *PSECPKG_POST_LOGON_USER_INFO;

/* Account access (OpenSamUser, GetAuthDataForUser). */
typedef enum _SECPKG_NAME_TYPE {
    SecNameSamCompatible,
    SecNameAlternateId,
    SecNameFlat,
    SecNameDN,
    SecNameSPN
} SECPKG_NAME_TYPE;

/* CreateTokenEx's SessionInformationType. */
typedef enum _SECPKG_SESSIONINFO_TYPE {
    SecSessionPrimaryCred /* SessionInformation is a SECPKG_PRIMARY_CRED */
} SECPKG_SESSIONINFO_TYPE;

/* GetServiceAccountPassword's CredFetch. */
typedef enum _CRED_FETCH {
    CredFetchDefault = 0,
    CredFetchDPAPI,
    CredFetchForced
} CRED_FETCH, *PCRED_FETCH;

/* RegisterNotification */
#define NOTIFIER_FLAG_NEW_THREAD 0x00000001
#define NOTIFIER_FLAG_ONE_SHOT 0x00000002
#define NOTIFIER_FLAG_SECONDS 0x80000000
#define NOTIFIER_TYPE_INTERVAL 1
#define NOTIFIER_TYPE_HANDLE_WAIT 2
#define NOTIFIER_TYPE_STATE_CHANGE 3
#define NOTIFIER_TYPE_NOTIFY_EVENT 4
#define NOTIFIER_TYPE_IMMEDIATE 16
#define NOTIFY_CLASS_PACKAGE_CHANGE 1
#define NOTIFY_CLASS_ROLE_CHANGE 2
#define NOTIFY_CLASS_DOMAIN_CHANGE 3
#define NOTIFY_CLASS_REGISTRY_CHANGE 4

/* QueryClientRequest's QueryType */
#define LSA_QUERY_CLIENT_PRELOGON_SESSION_ID 1

/* ---------------------------------------------------------------------------------------
 * Generic package-call messages, accepted by every package (§2.6)
 * ------------------------------------------------------------------------------------- */

/* Package id meaning "every package". */
#define SECPKG_ALL_PACKAGES ((ULONG)-2)

typedef enum _SECPKG_CALL_PACKAGE_MESSAGE_TYPE {
    SecPkgCallPackageMinMessage = 1024,
    SecPkgCallPackagePinDcMessage = SecPkgCallPackageMinMessage,
    SecPkgCallPackageUnpinAllDcsMessage = 1025,
    SecPkgCallPackageTransferCredMessage = 1026,
    SecPkgCallPackageMaxMessage = SecPkgCallPackageTransferCredMessage
} SECPKG_CALL_PACKAGE_MESSAGE_TYPE, *PSECPKG_CALL_PACKAGE_MESSAGE_TYPE;

typedef struct _SECPKG_CALL_PACKAGE_PIN_DC_REQUEST {
    ULONG MessageType;
    ULONG Flags; /* reserved, 0 */
    UNICODE_STRING DomainName;
    UNICODE_STRING DcName;
    ULONG DcFlags;
} SECPKG_CALL_PACKAGE_PIN_DC_REQUEST, *PSECPKG_CALL_PACKAGE_PIN_DC_REQUEST;

typedef struct _SECPKG_CALL_PACKAGE_UNPIN_ALL_DCS_REQUEST {
    ULONG MessageType;
    ULONG Flags; /* reserved, 0 */
} SECPKG_CALL_PACKAGE_UNPIN_ALL_DCS_REQUEST, *PSECPKG_CALL_PACKAGE_UNPIN_ALL_DCS_REQUEST;

#define SECPKG_CALL_PACKAGE_TRANSFER_CRED_REQUEST_FLAG_OPTIMISTIC_LOGON 0x1
#define SECPKG_CALL_PACKAGE_TRANSFER_CRED_REQUEST_FLAG_CLEANUP_CREDENTIALS 0x2
#define SECPKG_CALL_PACKAGE_TRANSFER_CRED_REQUEST_FLAG_TO_SSO_SESSION 0x4

typedef struct _SECPKG_CALL_PACKAGE_TRANSFER_CRED_REQUEST {
    ULONG MessageType;
    LUID OriginLogonId;
    LUID DestinationLogonId;
    ULONG Flags; /* SECPKG_CALL_PACKAGE_TRANSFER_CRED_REQUEST_FLAG_* */
} SECPKG_CALL_PACKAGE_TRANSFER_CRED_REQUEST, *PSECPKG_CALL_PACKAGE_TRANSFER_CRED_REQUEST;

/* ---------------------------------------------------------------------------------------
 * LSA_DISPATCH_TABLE: the LSA services an AP gets in LsaApInitializePackage (§2.4)
 * ------------------------------------------------------------------------------------- */

typedef NTSTATUS(NTAPI LSA_CREATE_LOGON_SESSION)(PLUID LogonId);
typedef NTSTATUS(NTAPI LSA_DELETE_LOGON_SESSION)(PLUID LogonId);
typedef NTSTATUS(NTAPI LSA_ADD_CREDENTIAL)(PLUID LogonId, ULONG AuthenticationPackage,
                                           PLSA_STRING PrimaryKeyValue, PLSA_STRING Credentials);
typedef NTSTATUS(NTAPI LSA_GET_CREDENTIALS)(PLUID LogonId, ULONG AuthenticationPackage,
                                            PULONG QueryContext, BOOLEAN RetrieveAllCredentials,
                                            PLSA_STRING PrimaryKeyValue, PULONG PrimaryKeyLength,
                                            PLSA_STRING Credentials);
typedef NTSTATUS(NTAPI LSA_DELETE_CREDENTIAL)(PLUID LogonId, ULONG AuthenticationPackage,
                                              PLSA_STRING PrimaryKeyValue);
typedef PVOID(NTAPI LSA_ALLOCATE_LSA_HEAP)(ULONG Length);
typedef VOID(NTAPI LSA_FREE_LSA_HEAP)(PVOID Base);
typedef PVOID(NTAPI LSA_ALLOCATE_PRIVATE_HEAP)(SIZE_T Length);
typedef VOID(NTAPI LSA_FREE_PRIVATE_HEAP)(PVOID Base);
typedef NTSTATUS(NTAPI LSA_ALLOCATE_CLIENT_BUFFER)(PLSA_CLIENT_REQUEST ClientRequest,
                                                   ULONG LengthRequired, PVOID *ClientBaseAddress);
typedef NTSTATUS(NTAPI LSA_FREE_CLIENT_BUFFER)(PLSA_CLIENT_REQUEST ClientRequest,
                                               PVOID ClientBaseAddress);
typedef NTSTATUS(NTAPI LSA_COPY_TO_CLIENT_BUFFER)(PLSA_CLIENT_REQUEST ClientRequest, ULONG Length,
                                                  PVOID ClientBaseAddress, PVOID BufferToCopy);
typedef NTSTATUS(NTAPI LSA_COPY_FROM_CLIENT_BUFFER)(PLSA_CLIENT_REQUEST ClientRequest, ULONG Length,
                                                    PVOID BufferToCopy, PVOID ClientBaseAddress);

typedef LSA_CREATE_LOGON_SESSION *PLSA_CREATE_LOGON_SESSION;
typedef LSA_DELETE_LOGON_SESSION *PLSA_DELETE_LOGON_SESSION;
typedef LSA_ADD_CREDENTIAL *PLSA_ADD_CREDENTIAL;
typedef LSA_GET_CREDENTIALS *PLSA_GET_CREDENTIALS;
typedef LSA_DELETE_CREDENTIAL *PLSA_DELETE_CREDENTIAL;
typedef LSA_ALLOCATE_LSA_HEAP *PLSA_ALLOCATE_LSA_HEAP;
typedef LSA_FREE_LSA_HEAP *PLSA_FREE_LSA_HEAP;
typedef LSA_ALLOCATE_PRIVATE_HEAP *PLSA_ALLOCATE_PRIVATE_HEAP;
typedef LSA_FREE_PRIVATE_HEAP *PLSA_FREE_PRIVATE_HEAP;
typedef LSA_ALLOCATE_CLIENT_BUFFER *PLSA_ALLOCATE_CLIENT_BUFFER;
typedef LSA_FREE_CLIENT_BUFFER *PLSA_FREE_CLIENT_BUFFER;
typedef LSA_COPY_TO_CLIENT_BUFFER *PLSA_COPY_TO_CLIENT_BUFFER;
typedef LSA_COPY_FROM_CLIENT_BUFFER *PLSA_COPY_FROM_CLIENT_BUFFER;

typedef struct _LSA_DISPATCH_TABLE {
    PLSA_CREATE_LOGON_SESSION CreateLogonSession;     /*  0 */
    PLSA_DELETE_LOGON_SESSION DeleteLogonSession;     /*  1 */
    PLSA_ADD_CREDENTIAL AddCredential;                /*  2 */
    PLSA_GET_CREDENTIALS GetCredentials;              /*  3 */
    PLSA_DELETE_CREDENTIAL DeleteCredential;          /*  4 */
    PLSA_ALLOCATE_LSA_HEAP AllocateLsaHeap;           /*  5 */
    PLSA_FREE_LSA_HEAP FreeLsaHeap;                   /*  6 */
    PLSA_ALLOCATE_CLIENT_BUFFER AllocateClientBuffer; /*  7 */
    PLSA_FREE_CLIENT_BUFFER FreeClientBuffer;         /*  8 */
    PLSA_COPY_TO_CLIENT_BUFFER CopyToClientBuffer;    /*  9 */
    PLSA_COPY_FROM_CLIENT_BUFFER CopyFromClientBuffer; /* 10 */
} LSA_DISPATCH_TABLE, *PLSA_DISPATCH_TABLE;

/* ---------------------------------------------------------------------------------------
 * AP entry points (§2.1, §2.2).  Packages define them; the LSA looks them up by name.
 * ------------------------------------------------------------------------------------- */

/* Export names; as in the SDK, each string carries an embedded trailing NUL. */
#define LSA_AP_NAME_INITIALIZE_PACKAGE "LsaApInitializePackage\0"
#define LSA_AP_NAME_LOGON_USER "LsaApLogonUser\0"
#define LSA_AP_NAME_LOGON_USER_EX "LsaApLogonUserEx\0"
#define LSA_AP_NAME_LOGON_USER_EX2 "LsaApLogonUserEx2\0"
#define LSA_AP_NAME_CALL_PACKAGE "LsaApCallPackage\0"
#define LSA_AP_NAME_LOGON_TERMINATED "LsaApLogonTerminated\0"
#define LSA_AP_NAME_CALL_PACKAGE_UNTRUSTED "LsaApCallPackageUntrusted\0"
#define LSA_AP_NAME_CALL_PACKAGE_PASSTHROUGH "LsaApCallPackagePassthrough\0"

typedef NTSTATUS(NTAPI LSA_AP_INITIALIZE_PACKAGE)(ULONG AuthenticationPackageId,
                                                  PLSA_DISPATCH_TABLE LsaDispatchTable,
                                                  PLSA_STRING Database,
                                                  PLSA_STRING Confidentiality,
                                                  PLSA_STRING *AuthenticationPackageName);

typedef NTSTATUS(NTAPI LSA_AP_LOGON_USER)(
    PLSA_CLIENT_REQUEST ClientRequest, SECURITY_LOGON_TYPE LogonType,
    PVOID AuthenticationInformation, PVOID ClientAuthenticationBase,
    ULONG AuthenticationInformationLength, PVOID *ProfileBuffer, PULONG ProfileBufferLength,
    PLUID LogonId, PNTSTATUS SubStatus, PLSA_TOKEN_INFORMATION_TYPE TokenInformationType,
    PVOID *TokenInformation, PLSA_UNICODE_STRING *AccountName,
    PLSA_UNICODE_STRING *AuthenticatingAuthority);

typedef NTSTATUS(NTAPI LSA_AP_LOGON_USER_EX)(
    PLSA_CLIENT_REQUEST ClientRequest, SECURITY_LOGON_TYPE LogonType,
    PVOID AuthenticationInformation, PVOID ClientAuthenticationBase,
    ULONG AuthenticationInformationLength, PVOID *ProfileBuffer, PULONG ProfileBufferLength,
    PLUID LogonId, PNTSTATUS SubStatus, PLSA_TOKEN_INFORMATION_TYPE TokenInformationType,
    PVOID *TokenInformation, PUNICODE_STRING *AccountName,
    PUNICODE_STRING *AuthenticatingAuthority, PUNICODE_STRING *MachineName);

typedef NTSTATUS(NTAPI LSA_AP_LOGON_USER_EX2)(
    PLSA_CLIENT_REQUEST ClientRequest, SECURITY_LOGON_TYPE LogonType, PVOID ProtocolSubmitBuffer,
    PVOID ClientBufferBase, ULONG SubmitBufferSize, PVOID *ProfileBuffer,
    PULONG ProfileBufferSize, PLUID LogonId, PNTSTATUS SubStatus,
    PLSA_TOKEN_INFORMATION_TYPE TokenInformationType, PVOID *TokenInformation,
    PUNICODE_STRING *AccountName, PUNICODE_STRING *AuthenticatingAuthority,
    PUNICODE_STRING *MachineName, PSECPKG_PRIMARY_CRED PrimaryCredentials,
    PSECPKG_SUPPLEMENTAL_CRED_ARRAY *SupplementalCredentials);

typedef NTSTATUS(NTAPI LSA_AP_LOGON_USER_EX3)(
    PLSA_CLIENT_REQUEST ClientRequest, SECURITY_LOGON_TYPE LogonType, PVOID ProtocolSubmitBuffer,
    PVOID ClientBufferBase, ULONG SubmitBufferSize, PSECPKG_SURROGATE_LOGON SurrogateLogon,
    PVOID *ProfileBuffer, PULONG ProfileBufferSize, PLUID LogonId, PNTSTATUS SubStatus,
    PLSA_TOKEN_INFORMATION_TYPE TokenInformationType, PVOID *TokenInformation,
    PUNICODE_STRING *AccountName, PUNICODE_STRING *AuthenticatingAuthority,
    PUNICODE_STRING *MachineName, PSECPKG_PRIMARY_CRED PrimaryCredentials,
    PSECPKG_SUPPLEMENTAL_CRED_ARRAY *SupplementalCredentials);

typedef NTSTATUS(NTAPI LSA_AP_PRE_LOGON_USER_SURROGATE)(
    PLSA_CLIENT_REQUEST ClientRequest, SECURITY_LOGON_TYPE LogonType, PVOID ProtocolSubmitBuffer,
    PVOID ClientBufferBase, ULONG SubmitBufferSize, PSECPKG_SURROGATE_LOGON SurrogateLogon,
    PNTSTATUS SubStatus);

/* Everything is input: the outcome of the logon, by value. */
typedef NTSTATUS(NTAPI LSA_AP_POST_LOGON_USER_SURROGATE)(
    PLSA_CLIENT_REQUEST ClientRequest, SECURITY_LOGON_TYPE LogonType, PVOID ProtocolSubmitBuffer,
    PVOID ClientBufferBase, ULONG SubmitBufferSize, PSECPKG_SURROGATE_LOGON SurrogateLogon,
    PVOID ProfileBuffer, ULONG ProfileBufferSize, PLUID LogonId, NTSTATUS Status,
    NTSTATUS SubStatus, LSA_TOKEN_INFORMATION_TYPE TokenInformationType, PVOID TokenInformation,
    PUNICODE_STRING AccountName, PUNICODE_STRING AuthenticatingAuthority,
    PUNICODE_STRING MachineName, PSECPKG_PRIMARY_CRED PrimaryCredentials,
    PSECPKG_SUPPLEMENTAL_CRED_ARRAY SupplementalCredentials);

typedef NTSTATUS(NTAPI LSA_AP_CALL_PACKAGE)(PLSA_CLIENT_REQUEST ClientRequest,
                                            PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
                                            ULONG SubmitBufferLength, PVOID *ProtocolReturnBuffer,
                                            PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus);

typedef NTSTATUS(NTAPI LSA_AP_CALL_PACKAGE_PASSTHROUGH)(
    PLSA_CLIENT_REQUEST ClientRequest, PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
    ULONG SubmitBufferLength, PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
    PNTSTATUS ProtocolStatus);

/* Same type as LsaApCallPackage; reached by untrusted (LsaConnectUntrusted) callers. */
typedef LSA_AP_CALL_PACKAGE LSA_AP_CALL_PACKAGE_UNTRUSTED;

typedef VOID(NTAPI LSA_AP_LOGON_TERMINATED)(PLUID LogonId);

typedef NTSTATUS(NTAPI LSA_AP_POST_LOGON_USER)(PSECPKG_POST_LOGON_USER_INFO PostLogonUserInfo);

typedef LSA_AP_INITIALIZE_PACKAGE *PLSA_AP_INITIALIZE_PACKAGE;
typedef LSA_AP_LOGON_USER *PLSA_AP_LOGON_USER;
typedef LSA_AP_LOGON_USER_EX *PLSA_AP_LOGON_USER_EX;
typedef LSA_AP_LOGON_USER_EX2 *PLSA_AP_LOGON_USER_EX2;
typedef LSA_AP_LOGON_USER_EX3 *PLSA_AP_LOGON_USER_EX3;
typedef LSA_AP_PRE_LOGON_USER_SURROGATE *PLSA_AP_PRE_LOGON_USER_SURROGATE;
typedef LSA_AP_POST_LOGON_USER_SURROGATE *PLSA_AP_POST_LOGON_USER_SURROGATE;
typedef LSA_AP_CALL_PACKAGE *PLSA_AP_CALL_PACKAGE;
typedef LSA_AP_CALL_PACKAGE_UNTRUSTED *PLSA_AP_CALL_PACKAGE_UNTRUSTED;
typedef LSA_AP_CALL_PACKAGE_PASSTHROUGH *PLSA_AP_CALL_PACKAGE_PASSTHROUGH;
typedef LSA_AP_LOGON_TERMINATED *PLSA_AP_LOGON_TERMINATED;
typedef LSA_AP_POST_LOGON_USER *PLSA_AP_POST_LOGON_USER;

/* ---------------------------------------------------------------------------------------
 * LSA_SECPKG_FUNCTION_TABLE: the LSA services an SSP/AP gets in SpInitialize (§2.5)
 * ------------------------------------------------------------------------------------- */

typedef NTSTATUS(NTAPI LSA_IMPERSONATE_CLIENT)(VOID);
typedef NTSTATUS(NTAPI LSA_UNLOAD_PACKAGE)(VOID);
typedef NTSTATUS(NTAPI LSA_DUPLICATE_HANDLE)(HANDLE SourceHandle, PHANDLE DestionationHandle);
typedef NTSTATUS(NTAPI LSA_SAVE_SUPPLEMENTAL_CREDENTIALS)(PLUID LogonId, ULONG SupplementalCredSize,
                                                          PVOID SupplementalCreds,
                                                          BOOLEAN Synchronous);
typedef HANDLE(NTAPI LSA_CREATE_THREAD)(SEC_ATTRS SecurityAttributes, ULONG StackSize,
                                        SEC_THREAD_START StartFunction, PVOID ThreadParameter,
                                        ULONG CreationFlags, PULONG ThreadId);
typedef NTSTATUS(NTAPI LSA_GET_CLIENT_INFO)(PSECPKG_CLIENT_INFO ClientInfo);
typedef NTSTATUS(NTAPI LSA_GET_CLIENT_INFO_EX)(PSECPKG_CLIENT_INFO_EX ClientInfo, ULONG StructSize);
typedef HANDLE(NTAPI LSA_REGISTER_NOTIFICATION)(SEC_THREAD_START StartFunction, PVOID Parameter,
                                                ULONG NotificationType, ULONG NotificationClass,
                                                ULONG NotificationFlags, ULONG IntervalMinutes,
                                                HANDLE WaitEvent);
typedef NTSTATUS(NTAPI LSA_CANCEL_NOTIFICATION)(HANDLE NotifyHandle);
typedef NTSTATUS(NTAPI LSA_MAP_BUFFER)(PSecBuffer InputBuffer, PSecBuffer OutputBuffer);
typedef NTSTATUS(NTAPI LSA_CREATE_TOKEN)(
    PLUID LogonId, PTOKEN_SOURCE TokenSource, SECURITY_LOGON_TYPE LogonType,
    SECURITY_IMPERSONATION_LEVEL ImpersonationLevel,
    LSA_TOKEN_INFORMATION_TYPE TokenInformationType, PVOID TokenInformation,
    PTOKEN_GROUPS TokenGroups, PUNICODE_STRING AccountName, PUNICODE_STRING AuthorityName,
    PUNICODE_STRING Workstation, PUNICODE_STRING ProfilePath, PHANDLE Token, PNTSTATUS SubStatus);
typedef NTSTATUS(NTAPI LSA_CREATE_TOKEN_EX)(
    PLUID LogonId, PTOKEN_SOURCE TokenSource, SECURITY_LOGON_TYPE LogonType,
    SECURITY_IMPERSONATION_LEVEL ImpersonationLevel,
    LSA_TOKEN_INFORMATION_TYPE TokenInformationType, PVOID TokenInformation,
    PTOKEN_GROUPS TokenGroups, PUNICODE_STRING Workstation, PUNICODE_STRING ProfilePath,
    PVOID SessionInformation, SECPKG_SESSIONINFO_TYPE SessionInformationType, PHANDLE Token,
    PNTSTATUS SubStatus);
typedef VOID(NTAPI LSA_AUDIT_LOGON)(NTSTATUS Status, NTSTATUS SubStatus,
                                    PUNICODE_STRING AccountName,
                                    PUNICODE_STRING AuthenticatingAuthority,
                                    PUNICODE_STRING WorkstationName, PSID UserSid,
                                    SECURITY_LOGON_TYPE LogonType, PTOKEN_SOURCE TokenSource,
                                    PLUID LogonId);
/* Package-to-package call by name (DESIGN.md "Package-to-package calls"). */
typedef NTSTATUS(NTAPI LSA_CALL_PACKAGE)(PUNICODE_STRING AuthenticationPackage,
                                         PVOID ProtocolSubmitBuffer, ULONG SubmitBufferLength,
                                         PVOID *ProtocolReturnBuffer, PULONG ReturnBufferLength,
                                         PNTSTATUS ProtocolStatus);
/* Note: ClientBufferBase comes before the submit buffer. */
typedef NTSTATUS(NTAPI LSA_CALL_PACKAGEEX)(PUNICODE_STRING AuthenticationPackage,
                                           PVOID ClientBufferBase, PVOID ProtocolSubmitBuffer,
                                           ULONG SubmitBufferLength, PVOID *ProtocolReturnBuffer,
                                           PULONG ReturnBufferLength, PNTSTATUS ProtocolStatus);
typedef NTSTATUS(NTAPI LSA_CALL_PACKAGE_PASSTHROUGH)(PUNICODE_STRING AuthenticationPackage,
                                                     PVOID ClientBufferBase,
                                                     PVOID ProtocolSubmitBuffer,
                                                     ULONG SubmitBufferLength,
                                                     PVOID *ProtocolReturnBuffer,
                                                     PULONG ReturnBufferLength,
                                                     PNTSTATUS ProtocolStatus);
typedef BOOLEAN(NTAPI LSA_GET_CALL_INFO)(PSECPKG_CALL_INFO Info);
typedef PVOID(NTAPI LSA_CREATE_SHARED_MEMORY)(ULONG MaxSize, ULONG InitialSize);
typedef PVOID(NTAPI LSA_ALLOCATE_SHARED_MEMORY)(PVOID SharedMem, ULONG Size);
typedef VOID(NTAPI LSA_FREE_SHARED_MEMORY)(PVOID SharedMem, PVOID Memory);
typedef BOOLEAN(NTAPI LSA_DELETE_SHARED_MEMORY)(PVOID SharedMem);
typedef NTSTATUS(NTAPI LSA_OPEN_SAM_USER)(PSECURITY_STRING Name, SECPKG_NAME_TYPE NameType,
                                          PSECURITY_STRING Prefix, BOOLEAN AllowGuest,
                                          ULONG Reserved, PVOID *UserHandle);
typedef NTSTATUS(NTAPI LSA_GET_USER_CREDENTIALS)(PVOID UserHandle, PVOID *PrimaryCreds,
                                                 PULONG PrimaryCredsSize, PVOID *SupplementalCreds,
                                                 PULONG SupplementalCredsSize);
typedef NTSTATUS(NTAPI LSA_GET_USER_AUTH_DATA)(PVOID UserHandle, PUCHAR *UserAuthData,
                                               PULONG UserAuthDataSize);
typedef NTSTATUS(NTAPI LSA_CLOSE_SAM_USER)(PVOID UserHandle);
typedef NTSTATUS(NTAPI LSA_CONVERT_AUTH_DATA_TO_TOKEN)(
    PVOID UserAuthData, ULONG UserAuthDataSize, SECURITY_IMPERSONATION_LEVEL ImpersonationLevel,
    PTOKEN_SOURCE TokenSource, SECURITY_LOGON_TYPE LogonType, PUNICODE_STRING AuthorityName,
    PHANDLE Token, PLUID LogonId, PUNICODE_STRING AccountName, PNTSTATUS SubStatus);
typedef NTSTATUS(NTAPI LSA_CLIENT_CALLBACK)(PCHAR Callback, ULONG_PTR Argument1,
                                            ULONG_PTR Argument2, PSecBuffer Input,
                                            PSecBuffer Output);
typedef NTSTATUS(NTAPI LSA_UPDATE_PRIMARY_CREDENTIALS)(PSECPKG_PRIMARY_CRED PrimaryCredentials,
                                                       PSECPKG_SUPPLEMENTAL_CRED_ARRAY Credentials);
typedef NTSTATUS(NTAPI LSA_GET_AUTH_DATA_FOR_USER)(PSECURITY_STRING Name,
                                                   SECPKG_NAME_TYPE NameType,
                                                   PSECURITY_STRING Prefix, PUCHAR *UserAuthData,
                                                   PULONG UserAuthDataSize,
                                                   PUNICODE_STRING UserFlatName);
typedef NTSTATUS(NTAPI LSA_CRACK_SINGLE_NAME)(ULONG FormatOffered, BOOLEAN PerformAtGC,
                                              PUNICODE_STRING NameInput, PUNICODE_STRING Prefix,
                                              ULONG RequestedFormat, PUNICODE_STRING CrackedName,
                                              PUNICODE_STRING DnsDomainName, PULONG SubStatus);
typedef NTSTATUS(NTAPI LSA_AUDIT_ACCOUNT_LOGON)(ULONG AuditId, BOOLEAN Success,
                                                PUNICODE_STRING Source, PUNICODE_STRING ClientName,
                                                PUNICODE_STRING MappedName, NTSTATUS Status);
/* LsaProtectMemory / LsaUnprotectMemory; the SDK also types the Dummy members with it. */
typedef VOID(NTAPI LSA_PROTECT_MEMORY)(PVOID Buffer, ULONG BufferSize);
typedef NTSTATUS(NTAPI LSA_OPEN_TOKEN_BY_LOGON_ID)(PLUID LogonId, HANDLE *RetTokenHandle);
typedef NTSTATUS(NTAPI LSA_EXPAND_AUTH_DATA_FOR_DOMAIN)(PUCHAR UserAuthData,
                                                        ULONG UserAuthDataSize, PVOID Reserved,
                                                        PUCHAR *ExpandedAuthData,
                                                        PULONG ExpandedAuthDataSize);
typedef NTSTATUS(NTAPI LSA_GET_EXTENDED_CALL_FLAGS)(PULONG Flags);
typedef NTSTATUS(NTAPI LSA_GET_SERVICE_ACCOUNT_PASSWORD)(
    PUNICODE_STRING AccountName, PUNICODE_STRING DomainName, CRED_FETCH CredFetch,
    FILETIME *FileTimeExpiry, PUNICODE_STRING CurrentPassword, PUNICODE_STRING PreviousPassword,
    FILETIME *FileTimeCurrPwdValidForOutbound);
typedef VOID(NTAPI LSA_AUDIT_LOGON_EX)(NTSTATUS Status, NTSTATUS SubStatus,
                                       PUNICODE_STRING AccountName,
                                       PUNICODE_STRING AuthenticatingAuthority,
                                       PUNICODE_STRING WorkstationName, PSID UserSid,
                                       SECURITY_LOGON_TYPE LogonType,
                                       SECURITY_IMPERSONATION_LEVEL ImpersonationLevel,
                                       PTOKEN_SOURCE TokenSource, PLUID LogonId);
typedef NTSTATUS(NTAPI LSA_CHECK_PROTECTED_USER_BY_TOKEN)(HANDLE UserToken,
                                                          PBOOLEAN ProtectedUser);
typedef NTSTATUS(NTAPI LSA_QUERY_CLIENT_REQUEST)(PLSA_CLIENT_REQUEST ClientRequest,
                                                 ULONG QueryType, PVOID *ReplyBuffer);
typedef NTSTATUS(NTAPI LSA_GET_APP_MODE_INFO)(PULONG UserFunction, PULONG_PTR Argument1,
                                              PULONG_PTR Argument2, PSecBuffer UserData,
                                              PBOOLEAN ReturnToLsa);
typedef NTSTATUS(NTAPI LSA_SET_APP_MODE_INFO)(ULONG UserFunction, ULONG_PTR Argument1,
                                              ULONG_PTR Argument2, PSecBuffer UserData,
                                              BOOLEAN ReturnToLsa);

typedef LSA_IMPERSONATE_CLIENT *PLSA_IMPERSONATE_CLIENT;
typedef LSA_UNLOAD_PACKAGE *PLSA_UNLOAD_PACKAGE;
typedef LSA_DUPLICATE_HANDLE *PLSA_DUPLICATE_HANDLE;
typedef LSA_SAVE_SUPPLEMENTAL_CREDENTIALS *PLSA_SAVE_SUPPLEMENTAL_CREDENTIALS;
typedef LSA_CREATE_THREAD *PLSA_CREATE_THREAD;
typedef LSA_GET_CLIENT_INFO *PLSA_GET_CLIENT_INFO;
typedef LSA_GET_CLIENT_INFO_EX *PLSA_GET_CLIENT_INFO_EX;
typedef LSA_REGISTER_NOTIFICATION *PLSA_REGISTER_NOTIFICATION;
typedef LSA_CANCEL_NOTIFICATION *PLSA_CANCEL_NOTIFICATION;
typedef LSA_MAP_BUFFER *PLSA_MAP_BUFFER;
typedef LSA_CREATE_TOKEN *PLSA_CREATE_TOKEN;
typedef LSA_CREATE_TOKEN_EX *PLSA_CREATE_TOKEN_EX;
typedef LSA_AUDIT_LOGON *PLSA_AUDIT_LOGON;
typedef LSA_CALL_PACKAGE *PLSA_CALL_PACKAGE;
typedef LSA_CALL_PACKAGEEX *PLSA_CALL_PACKAGEEX;
typedef LSA_CALL_PACKAGE_PASSTHROUGH *PLSA_CALL_PACKAGE_PASSTHROUGH;
typedef LSA_GET_CALL_INFO *PLSA_GET_CALL_INFO;
typedef LSA_CREATE_SHARED_MEMORY *PLSA_CREATE_SHARED_MEMORY;
typedef LSA_ALLOCATE_SHARED_MEMORY *PLSA_ALLOCATE_SHARED_MEMORY;
typedef LSA_FREE_SHARED_MEMORY *PLSA_FREE_SHARED_MEMORY;
typedef LSA_DELETE_SHARED_MEMORY *PLSA_DELETE_SHARED_MEMORY;
typedef LSA_OPEN_SAM_USER *PLSA_OPEN_SAM_USER;
typedef LSA_GET_USER_CREDENTIALS *PLSA_GET_USER_CREDENTIALS;
typedef LSA_GET_USER_AUTH_DATA *PLSA_GET_USER_AUTH_DATA;
typedef LSA_CLOSE_SAM_USER *PLSA_CLOSE_SAM_USER;
typedef LSA_CONVERT_AUTH_DATA_TO_TOKEN *PLSA_CONVERT_AUTH_DATA_TO_TOKEN;
typedef LSA_CLIENT_CALLBACK *PLSA_CLIENT_CALLBACK;
typedef LSA_UPDATE_PRIMARY_CREDENTIALS *PLSA_UPDATE_PRIMARY_CREDENTIALS;
typedef LSA_GET_AUTH_DATA_FOR_USER *PLSA_GET_AUTH_DATA_FOR_USER;
typedef LSA_CRACK_SINGLE_NAME *PLSA_CRACK_SINGLE_NAME;
typedef LSA_AUDIT_ACCOUNT_LOGON *PLSA_AUDIT_ACCOUNT_LOGON;
typedef LSA_PROTECT_MEMORY *PLSA_PROTECT_MEMORY;
typedef LSA_OPEN_TOKEN_BY_LOGON_ID *PLSA_OPEN_TOKEN_BY_LOGON_ID;
typedef LSA_EXPAND_AUTH_DATA_FOR_DOMAIN *PLSA_EXPAND_AUTH_DATA_FOR_DOMAIN;
typedef LSA_GET_EXTENDED_CALL_FLAGS *PLSA_GET_EXTENDED_CALL_FLAGS;
typedef LSA_GET_SERVICE_ACCOUNT_PASSWORD *PLSA_GET_SERVICE_ACCOUNT_PASSWORD;
typedef LSA_AUDIT_LOGON_EX *PLSA_AUDIT_LOGON_EX;
typedef LSA_CHECK_PROTECTED_USER_BY_TOKEN *PLSA_CHECK_PROTECTED_USER_BY_TOKEN;
typedef LSA_QUERY_CLIENT_REQUEST *PLSA_QUERY_CLIENT_REQUEST;
typedef LSA_GET_APP_MODE_INFO *PLSA_GET_APP_MODE_INFO;
typedef LSA_SET_APP_MODE_INFO *PLSA_SET_APP_MODE_INFO;

/* Linux extensions (not in Windows) to LSA_SECPKG_FUNCTION_TABLE. */

/* What lsa_get_client_unix_info reports about the original caller of the current call. */
struct lsa_client_unix_info {
    uid_t uid;
    gid_t gid;
    pid_t pid;
    BOOLEAN trusted; /* the caller holds a trusted (LsaRegisterLogonProcess) handle */
    ULONG64 connection_id; /* unique per client connection (LsaHandle) for the LSA's life */
};

/* lsa_get_config's PackageId that reads the [lsa] section instead of a package's own. */
#define LSA_CONFIG_SECTION_LSA ((ULONG_PTR)-1)

/* A fresh, never well-known LUID. */
typedef NTSTATUS(NTAPI LSA_ALLOCATE_LUID)(PLUID Luid);
/* The value of Key in the package's own lsa.conf section (PackageId as given to
 * SpInitialize; LSA_CONFIG_SECTION_LSA reads [lsa]); NULL when unset. */
typedef const char *(NTAPI LSA_GET_CONFIG)(ULONG_PTR PackageId, const char *Key);
typedef NTSTATUS(NTAPI LSA_GET_CLIENT_UNIX_INFO)(struct lsa_client_unix_info *Info);

typedef LSA_ALLOCATE_LUID *PLSA_ALLOCATE_LUID;
typedef LSA_GET_CONFIG *PLSA_GET_CONFIG;
typedef LSA_GET_CLIENT_UNIX_INFO *PLSA_GET_CLIENT_UNIX_INFO;

/*
 * Members 41-43, 51-53 and 57 are named and typed as in the SDK when <wincred.h> is not
 * included (there is no wincred.h here): DummyFunction1..7, PLSA_PROTECT_MEMORY.  In
 * Windows, 41-43/51/52 are CrediRead, CrediReadDomainCredentials, CrediFreeCredentials,
 * CrediWrite, CrediUnmarshalandDecodeString; 53 and 57 are dummies there too.
 * Every member is filled (DESIGN.md "Package ABI"): one the LSA does not provide points
 * to a function returning STATUS_NOT_IMPLEMENTED (NULL/FALSE where the member returns a
 * pointer or a BOOLEAN; nothing for VOID members).
 *
 * Note: the current Windows SDK has two more Windows members after GetClientInfoEx,
 * GetSecpkgFailureReason (64) and SetSecpkgFailureReason (65), which spec §2.5 does not
 * list.  Here slots 64-66 hold the Linux extensions, so a package that uses those two
 * SDK members does not compile against this header (it cannot silently call the wrong
 * function).
 */
typedef struct _LSA_SECPKG_FUNCTION_TABLE {
    PLSA_CREATE_LOGON_SESSION CreateLogonSession;                 /*  0 */
    PLSA_DELETE_LOGON_SESSION DeleteLogonSession;                 /*  1 */
    PLSA_ADD_CREDENTIAL AddCredential;                            /*  2 */
    PLSA_GET_CREDENTIALS GetCredentials;                          /*  3 */
    PLSA_DELETE_CREDENTIAL DeleteCredential;                      /*  4 */
    PLSA_ALLOCATE_LSA_HEAP AllocateLsaHeap;                       /*  5 */
    PLSA_FREE_LSA_HEAP FreeLsaHeap;                               /*  6 */
    PLSA_ALLOCATE_CLIENT_BUFFER AllocateClientBuffer;             /*  7 */
    PLSA_FREE_CLIENT_BUFFER FreeClientBuffer;                     /*  8 */
    PLSA_COPY_TO_CLIENT_BUFFER CopyToClientBuffer;                /*  9 */
    PLSA_COPY_FROM_CLIENT_BUFFER CopyFromClientBuffer;            /* 10 */
    PLSA_IMPERSONATE_CLIENT ImpersonateClient;                    /* 11 */
    PLSA_UNLOAD_PACKAGE UnloadPackage;                            /* 12 */
    PLSA_DUPLICATE_HANDLE DuplicateHandle;                        /* 13 */
    PLSA_SAVE_SUPPLEMENTAL_CREDENTIALS SaveSupplementalCredentials; /* 14 */
    PLSA_CREATE_THREAD CreateThread;                              /* 15 */
    PLSA_GET_CLIENT_INFO GetClientInfo;                           /* 16 */
    PLSA_REGISTER_NOTIFICATION RegisterNotification;              /* 17 */
    PLSA_CANCEL_NOTIFICATION CancelNotification;                  /* 18 */
    PLSA_MAP_BUFFER MapBuffer;                                    /* 19 */
    PLSA_CREATE_TOKEN CreateToken;                                /* 20 */
    PLSA_AUDIT_LOGON AuditLogon;                                  /* 21 */
    PLSA_CALL_PACKAGE CallPackage;                                /* 22 */
    PLSA_FREE_LSA_HEAP FreeReturnBuffer;                          /* 23 */
    PLSA_GET_CALL_INFO GetCallInfo;                               /* 24 */
    PLSA_CALL_PACKAGEEX CallPackageEx;                            /* 25 */
    PLSA_CREATE_SHARED_MEMORY CreateSharedMemory;                 /* 26 */
    PLSA_ALLOCATE_SHARED_MEMORY AllocateSharedMemory;             /* 27 */
    PLSA_FREE_SHARED_MEMORY FreeSharedMemory;                     /* 28 */
    PLSA_DELETE_SHARED_MEMORY DeleteSharedMemory;                 /* 29 */
    PLSA_OPEN_SAM_USER OpenSamUser;                               /* 30 */
    PLSA_GET_USER_CREDENTIALS GetUserCredentials;                 /* 31 */
    PLSA_GET_USER_AUTH_DATA GetUserAuthData;                      /* 32 */
    PLSA_CLOSE_SAM_USER CloseSamUser;                             /* 33 */
    PLSA_CONVERT_AUTH_DATA_TO_TOKEN ConvertAuthDataToToken;       /* 34 */
    PLSA_CLIENT_CALLBACK ClientCallback;                          /* 35 */
    PLSA_UPDATE_PRIMARY_CREDENTIALS UpdateCredentials;            /* 36 */
    PLSA_GET_AUTH_DATA_FOR_USER GetAuthDataForUser;               /* 37 */
    PLSA_CRACK_SINGLE_NAME CrackSingleName;                       /* 38 */
    PLSA_AUDIT_ACCOUNT_LOGON AuditAccountLogon;                   /* 39 */
    PLSA_CALL_PACKAGE_PASSTHROUGH CallPackagePassthrough;         /* 40 */
    PLSA_PROTECT_MEMORY DummyFunction1;                           /* 41 CrediRead */
    PLSA_PROTECT_MEMORY DummyFunction2;                           /* 42 CrediReadDomainCreds. */
    PLSA_PROTECT_MEMORY DummyFunction3;                           /* 43 CrediFreeCredentials */
    PLSA_PROTECT_MEMORY LsaProtectMemory;                         /* 44 */
    PLSA_PROTECT_MEMORY LsaUnprotectMemory;                       /* 45 */
    PLSA_OPEN_TOKEN_BY_LOGON_ID OpenTokenByLogonId;               /* 46 */
    PLSA_EXPAND_AUTH_DATA_FOR_DOMAIN ExpandAuthDataForDomain;     /* 47 */
    PLSA_ALLOCATE_PRIVATE_HEAP AllocatePrivateHeap;               /* 48 */
    PLSA_FREE_PRIVATE_HEAP FreePrivateHeap;                       /* 49 */
    PLSA_CREATE_TOKEN_EX CreateTokenEx;                           /* 50 */
    PLSA_PROTECT_MEMORY DummyFunction4;                           /* 51 CrediWrite */
    PLSA_PROTECT_MEMORY DummyFunction5;                           /* 52 CrediUnmarshal... */
    PLSA_PROTECT_MEMORY DummyFunction6;                           /* 53 */
    PLSA_GET_EXTENDED_CALL_FLAGS GetExtendedCallFlags;            /* 54 */
    PLSA_DUPLICATE_HANDLE DuplicateTokenHandle;                   /* 55 */
    PLSA_GET_SERVICE_ACCOUNT_PASSWORD GetServiceAccountPassword;  /* 56 */
    PLSA_PROTECT_MEMORY DummyFunction7;                           /* 57 */
    PLSA_AUDIT_LOGON_EX AuditLogonEx;                             /* 58 */
    PLSA_CHECK_PROTECTED_USER_BY_TOKEN CheckProtectedUserByToken; /* 59 */
    PLSA_QUERY_CLIENT_REQUEST QueryClientRequest;                 /* 60 */
    PLSA_GET_APP_MODE_INFO GetAppModeInfo;                        /* 61 */
    PLSA_SET_APP_MODE_INFO SetAppModeInfo;                        /* 62 */
    PLSA_GET_CLIENT_INFO_EX GetClientInfoEx;                      /* 63 */
    /* Linux extensions (not in Windows): appended after the last Windows member. */
    PLSA_ALLOCATE_LUID lsa_allocate_luid;               /* 64 */
    PLSA_GET_CONFIG lsa_get_config;                     /* 65 */
    PLSA_GET_CLIENT_UNIX_INFO lsa_get_client_unix_info; /* 66 */
} LSA_SECPKG_FUNCTION_TABLE, *PLSA_SECPKG_FUNCTION_TABLE;

/* ---------------------------------------------------------------------------------------
 * SSP/AP entry points (§2.6): what SECPKG_FUNCTION_TABLE points to
 * ------------------------------------------------------------------------------------- */

#define SP_ACCEPT_CREDENTIALS_NAME "SpAcceptCredentials\0"

typedef NTSTATUS(NTAPI SpInitializeFn)(ULONG_PTR PackageId, PSECPKG_PARAMETERS Parameters,
                                       PLSA_SECPKG_FUNCTION_TABLE FunctionTable);
typedef NTSTATUS(NTAPI SpShutdownFn)(VOID);
typedef NTSTATUS(NTAPI SpGetInfoFn)(PSecPkgInfoW PackageInfo);
typedef NTSTATUS(NTAPI SpGetExtendedInformationFn)(SECPKG_EXTENDED_INFORMATION_CLASS Class,
                                                   PSECPKG_EXTENDED_INFORMATION *ppInformation);
typedef NTSTATUS(NTAPI SpSetExtendedInformationFn)(SECPKG_EXTENDED_INFORMATION_CLASS Class,
                                                   PSECPKG_EXTENDED_INFORMATION Info);
typedef NTSTATUS(NTAPI SpAcceptCredentialsFn)(SECURITY_LOGON_TYPE LogonType,
                                              PUNICODE_STRING AccountName,
                                              PSECPKG_PRIMARY_CRED PrimaryCredentials,
                                              PSECPKG_SUPPLEMENTAL_CRED SupplementalCredentials);
typedef NTSTATUS(NTAPI SpAcquireCredentialsHandleFn)(PUNICODE_STRING PrincipalName,
                                                     ULONG CredentialUseFlags, PLUID LogonId,
                                                     PVOID AuthorizationData,
                                                     PVOID GetKeyFunciton, PVOID GetKeyArgument,
                                                     PLSA_SEC_HANDLE CredentialHandle,
                                                     PTimeStamp ExpirationTime);
typedef NTSTATUS(NTAPI SpFreeCredentialsHandleFn)(LSA_SEC_HANDLE CredentialHandle);
typedef NTSTATUS(NTAPI SpQueryCredentialsAttributesFn)(LSA_SEC_HANDLE CredentialHandle,
                                                       ULONG CredentialAttribute, PVOID Buffer);
typedef NTSTATUS(NTAPI SpSetCredentialsAttributesFn)(LSA_SEC_HANDLE CredentialHandle,
                                                     ULONG CredentialAttribute, PVOID Buffer,
                                                     ULONG BufferSize);
typedef NTSTATUS(NTAPI SpAddCredentialsFn)(LSA_SEC_HANDLE CredentialHandle,
                                           PUNICODE_STRING PrincipalName, PUNICODE_STRING Package,
                                           ULONG CredentialUseFlags, PVOID AuthorizationData,
                                           PVOID GetKeyFunciton, PVOID GetKeyArgument,
                                           PTimeStamp ExpirationTime);
typedef NTSTATUS(NTAPI SpSaveCredentialsFn)(LSA_SEC_HANDLE CredentialHandle,
                                            PSecBuffer Credentials);
typedef NTSTATUS(NTAPI SpGetCredentialsFn)(LSA_SEC_HANDLE CredentialHandle,
                                           PSecBuffer Credentials);
typedef NTSTATUS(NTAPI SpDeleteCredentialsFn)(LSA_SEC_HANDLE CredentialHandle, PSecBuffer Key);
typedef NTSTATUS(NTAPI SpInitLsaModeContextFn)(
    LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle, PUNICODE_STRING TargetName,
    ULONG ContextRequirements, ULONG TargetDataRep, PSecBufferDesc InputBuffers,
    PLSA_SEC_HANDLE NewContextHandle, PSecBufferDesc OutputBuffers, PULONG ContextAttributes,
    PTimeStamp ExpirationTime, PBOOLEAN MappedContext, PSecBuffer ContextData);
typedef NTSTATUS(NTAPI SpAcceptLsaModeContextFn)(
    LSA_SEC_HANDLE CredentialHandle, LSA_SEC_HANDLE ContextHandle, PSecBufferDesc InputBuffer,
    ULONG ContextRequirements, ULONG TargetDataRep, PLSA_SEC_HANDLE NewContextHandle,
    PSecBufferDesc OutputBuffer, PULONG ContextAttributes, PTimeStamp ExpirationTime,
    PBOOLEAN MappedContext, PSecBuffer ContextData);
typedef NTSTATUS(NTAPI SpDeleteContextFn)(LSA_SEC_HANDLE ContextHandle);
typedef NTSTATUS(NTAPI SpApplyControlTokenFn)(LSA_SEC_HANDLE ContextHandle,
                                              PSecBufferDesc ControlToken);
typedef NTSTATUS(NTAPI SpGetUserInfoFn)(PLUID LogonId, ULONG Flags, PSecurityUserData *UserData);
typedef NTSTATUS(NTAPI SpQueryContextAttributesFn)(LSA_SEC_HANDLE ContextHandle,
                                                   ULONG ContextAttribute, PVOID Buffer);
typedef NTSTATUS(NTAPI SpSetContextAttributesFn)(LSA_SEC_HANDLE ContextHandle,
                                                 ULONG ContextAttribute, PVOID Buffer,
                                                 ULONG BufferSize);
typedef NTSTATUS(NTAPI SpChangeAccountPasswordFn)(PUNICODE_STRING pDomainName,
                                                  PUNICODE_STRING pAccountName,
                                                  PUNICODE_STRING pOldPassword,
                                                  PUNICODE_STRING pNewPassword,
                                                  BOOLEAN Impersonating, PSecBufferDesc pOutput);
typedef NTSTATUS(NTAPI SpQueryMetaDataFn)(LSA_SEC_HANDLE CredentialHandle,
                                          PUNICODE_STRING TargetName, ULONG ContextRequirements,
                                          PULONG MetaDataLength, PUCHAR *MetaData,
                                          PLSA_SEC_HANDLE ContextHandle);
typedef NTSTATUS(NTAPI SpExchangeMetaDataFn)(LSA_SEC_HANDLE CredentialHandle,
                                             PUNICODE_STRING TargetName, ULONG ContextRequirements,
                                             ULONG MetaDataLength, PUCHAR MetaData,
                                             PLSA_SEC_HANDLE ContextHandle);
typedef NTSTATUS(NTAPI SpGetCredUIContextFn)(LSA_SEC_HANDLE ContextHandle, GUID *CredType,
                                             PULONG FlatCredUIContextLength,
                                             PUCHAR *FlatCredUIContext);
typedef NTSTATUS(NTAPI SpUpdateCredentialsFn)(LSA_SEC_HANDLE ContextHandle, GUID *CredType,
                                              ULONG FlatCredUIContextLength,
                                              PUCHAR FlatCredUIContext);
typedef NTSTATUS(NTAPI SpValidateTargetInfoFn)(PLSA_CLIENT_REQUEST ClientRequest,
                                               PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
                                               ULONG SubmitBufferLength,
                                               PSECPKG_TARGETINFO TargetInfo);

/* Remote Credential Guard: the callbacks a package hands back for a redirected logon. */
typedef NTSTATUS(NTAPI LSA_REDIRECTED_LOGON_CALLBACK)(HANDLE RedirectedLogonHandle, PVOID Buffer,
                                                      ULONG BufferLength, PVOID *ReturnBuffer,
                                                      ULONG *ReturnBufferLength);
typedef VOID(NTAPI LSA_REDIRECTED_LOGON_CLEANUP_CALLBACK)(HANDLE RedirectedLogonHandle);
typedef LSA_REDIRECTED_LOGON_CALLBACK *PLSA_REDIRECTED_LOGON_CALLBACK;
typedef LSA_REDIRECTED_LOGON_CLEANUP_CALLBACK *PLSA_REDIRECTED_LOGON_CLEANUP_CALLBACK;

typedef NTSTATUS(NTAPI SpGetRemoteCredGuardLogonBufferFn)(
    LSA_SEC_HANDLE CredHandle, LSA_SEC_HANDLE ContextHandle, const UNICODE_STRING *TargetName,
    PHANDLE RedirectedLogonHandle, PLSA_REDIRECTED_LOGON_CALLBACK *Callback,
    PLSA_REDIRECTED_LOGON_CLEANUP_CALLBACK *CleanupCallback, PULONG LogonBufferSize,
    PVOID *LogonBuffer);
typedef NTSTATUS(NTAPI SpGetRemoteCredGuardSupplementalCredsFn)(
    LSA_SEC_HANDLE CredHandle, const UNICODE_STRING *TargetName, PHANDLE RedirectedLogonHandle,
    PLSA_REDIRECTED_LOGON_CALLBACK *Callback,
    PLSA_REDIRECTED_LOGON_CLEANUP_CALLBACK *CleanupCallback, PULONG SupplementalCredsSize,
    PVOID *SupplementalCreds);
/* LogonId by value, as in the SDK. */
typedef NTSTATUS(NTAPI SpGetTbalSupplementalCredsFn)(LUID LogonId, PULONG SupplementalCredsSize,
                                                     PVOID *SupplementalCreds);
typedef NTSTATUS(NTAPI SpExtractTargetInfoFn)(PLSA_CLIENT_REQUEST ClientRequest,
                                              PVOID ProtocolSubmitBuffer, PVOID ClientBufferBase,
                                              ULONG SubmitBufferLength, PVOID *ppvTargetInfo,
                                              ULONG *pcbTargetInfo);

/*
 * One per package in the DLL, returned by SpLsaModeInitialize.  The interface version
 * the DLL returns says how far the table is defined (members may be NULL):
 * SECPKG_INTERFACE_VERSION through SetExtendedInformation (26), _2 SetContextAttributes,
 * _3 SetCredentialsAttributes, _4 ChangeAccountPassword, _5 UpdateCredentials,
 * _6 ValidateTargetInfo, _7 PostLogonUser, _8 GetRemoteCredGuardSupplementalCreds,
 * _9 GetTbalSupplementalCreds, _10 PostLogonUserSurrogate, _11 ExtractTargetInfo
 * (Windows SDK ntsecpkg.h; the table length per version is spec §8's open question).
 */
typedef struct _SECPKG_FUNCTION_TABLE {
    PLSA_AP_INITIALIZE_PACKAGE InitializePackage;               /*  0 */
    PLSA_AP_LOGON_USER LogonUser;                               /*  1 */
    PLSA_AP_CALL_PACKAGE CallPackage;                           /*  2 */
    PLSA_AP_LOGON_TERMINATED LogonTerminated;                   /*  3 */
    PLSA_AP_CALL_PACKAGE_UNTRUSTED CallPackageUntrusted;        /*  4 */
    PLSA_AP_CALL_PACKAGE_PASSTHROUGH CallPackagePassthrough;    /*  5 */
    PLSA_AP_LOGON_USER_EX LogonUserEx;                          /*  6 */
    PLSA_AP_LOGON_USER_EX2 LogonUserEx2;                        /*  7 */
    SpInitializeFn *Initialize;                                 /*  8 */
    SpShutdownFn *Shutdown;                                     /*  9 */
    SpGetInfoFn *GetInfo;                                       /* 10 */
    SpAcceptCredentialsFn *AcceptCredentials;                   /* 11 */
    SpAcquireCredentialsHandleFn *AcquireCredentialsHandle;     /* 12 */
    SpQueryCredentialsAttributesFn *QueryCredentialsAttributes; /* 13 */
    SpFreeCredentialsHandleFn *FreeCredentialsHandle;           /* 14 */
    SpSaveCredentialsFn *SaveCredentials;                       /* 15 */
    SpGetCredentialsFn *GetCredentials;                         /* 16 */
    SpDeleteCredentialsFn *DeleteCredentials;                   /* 17 */
    SpInitLsaModeContextFn *InitLsaModeContext;                 /* 18 */
    SpAcceptLsaModeContextFn *AcceptLsaModeContext;             /* 19 */
    SpDeleteContextFn *DeleteContext;                           /* 20 */
    SpApplyControlTokenFn *ApplyControlToken;                   /* 21 */
    SpGetUserInfoFn *GetUserInfo;                               /* 22 */
    SpGetExtendedInformationFn *GetExtendedInformation;         /* 23 */
    SpQueryContextAttributesFn *QueryContextAttributes;         /* 24 */
    SpAddCredentialsFn *AddCredentials;                         /* 25 */
    SpSetExtendedInformationFn *SetExtendedInformation;         /* 26 */
    SpSetContextAttributesFn *SetContextAttributes;             /* 27 _2 */
    SpSetCredentialsAttributesFn *SetCredentialsAttributes;     /* 28 _3 */
    SpChangeAccountPasswordFn *ChangeAccountPassword;           /* 29 _4 */
    SpQueryMetaDataFn *QueryMetaData;                           /* 30 _5 */
    SpExchangeMetaDataFn *ExchangeMetaData;                     /* 31 _5 */
    SpGetCredUIContextFn *GetCredUIContext;                     /* 32 _5 */
    SpUpdateCredentialsFn *UpdateCredentials;                   /* 33 _5 */
    SpValidateTargetInfoFn *ValidateTargetInfo;                 /* 34 _6 */
    LSA_AP_POST_LOGON_USER *PostLogonUser;                      /* 35 _7 */
    SpGetRemoteCredGuardLogonBufferFn *GetRemoteCredGuardLogonBuffer;             /* 36 _8 */
    SpGetRemoteCredGuardSupplementalCredsFn *GetRemoteCredGuardSupplementalCreds; /* 37 _8 */
    SpGetTbalSupplementalCredsFn *GetTbalSupplementalCreds;     /* 38 _9 */
    PLSA_AP_LOGON_USER_EX3 LogonUserEx3;                        /* 39 _10 */
    PLSA_AP_PRE_LOGON_USER_SURROGATE PreLogonUserSurrogate;     /* 40 _10 */
    PLSA_AP_POST_LOGON_USER_SURROGATE PostLogonUserSurrogate;   /* 41 _10 */
    SpExtractTargetInfoFn *ExtractTargetInfo;                   /* 42 _11 */
} SECPKG_FUNCTION_TABLE, *PSECPKG_FUNCTION_TABLE;

/* The SSP/AP DLL export, called once per loaded DLL. */
#define SECPKG_LSAMODEINIT_NAME "SpLsaModeInitialize"

/*
 * A function type, as the SpLsaModeInitializeFn documentation page uses it
 * ("SpLsaModeInitializeFn SpLsaModeInitialize;" declares the export).  The Windows SDK
 * instead typedefs SpLsaModeInitializeFn as the pointer; here the pointer is
 * PSpLsaModeInitializeFn.
 */
typedef NTSTATUS(NTAPI SpLsaModeInitializeFn)(ULONG LsaVersion, PULONG PackageVersion,
                                              PSECPKG_FUNCTION_TABLE *ppTables, PULONG pcTables);
typedef SpLsaModeInitializeFn *PSpLsaModeInitializeFn;

/* Passed in LsaVersion, returned in *PackageVersion (§2.6). */
#define SECPKG_INTERFACE_VERSION 0x00010000
#define SECPKG_INTERFACE_VERSION_2 0x00020000
#define SECPKG_INTERFACE_VERSION_3 0x00040000
#define SECPKG_INTERFACE_VERSION_4 0x00080000
#define SECPKG_INTERFACE_VERSION_5 0x00100000
#define SECPKG_INTERFACE_VERSION_6 0x00200000
#define SECPKG_INTERFACE_VERSION_7 0x00400000
#define SECPKG_INTERFACE_VERSION_8 0x00800000
#define SECPKG_INTERFACE_VERSION_9 0x01000000
#define SECPKG_INTERFACE_VERSION_10 0x02000000
#define SECPKG_INTERFACE_VERSION_11 0x04000000

/* ---------------------------------------------------------------------------------------
 * Windows x64 layout (spec/lsa-api.md §2.3-§2.6): a drift is a build error.
 * ------------------------------------------------------------------------------------- */

#define LSA_NTSECPKG_SLOT_(T, m, i) \
    _Static_assert(offsetof(T, m) == (i) * sizeof(PVOID), #T "." #m " is slot " #i)

/* §2.4: 11 pointers, x64 size 88. */
_Static_assert(sizeof(LSA_DISPATCH_TABLE) == 11 * 8, "LSA_DISPATCH_TABLE x64 size (§2.4)");
LSA_NTSECPKG_SLOT_(LSA_DISPATCH_TABLE, CreateLogonSession, 0);
LSA_NTSECPKG_SLOT_(LSA_DISPATCH_TABLE, DeleteLogonSession, 1);
LSA_NTSECPKG_SLOT_(LSA_DISPATCH_TABLE, AddCredential, 2);
LSA_NTSECPKG_SLOT_(LSA_DISPATCH_TABLE, GetCredentials, 3);
LSA_NTSECPKG_SLOT_(LSA_DISPATCH_TABLE, DeleteCredential, 4);
LSA_NTSECPKG_SLOT_(LSA_DISPATCH_TABLE, AllocateLsaHeap, 5);
LSA_NTSECPKG_SLOT_(LSA_DISPATCH_TABLE, FreeLsaHeap, 6);
LSA_NTSECPKG_SLOT_(LSA_DISPATCH_TABLE, AllocateClientBuffer, 7);
LSA_NTSECPKG_SLOT_(LSA_DISPATCH_TABLE, FreeClientBuffer, 8);
LSA_NTSECPKG_SLOT_(LSA_DISPATCH_TABLE, CopyToClientBuffer, 9);
LSA_NTSECPKG_SLOT_(LSA_DISPATCH_TABLE, CopyFromClientBuffer, 10);

/* §2.5: the 64 Windows members (0-63), then the 3 Linux extensions (64-66). */
_Static_assert(sizeof(LSA_SECPKG_FUNCTION_TABLE) == (64 + 3) * 8, "LSA_SECPKG_FUNCTION_TABLE size");
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, CreateLogonSession, 0);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, DeleteLogonSession, 1);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, AddCredential, 2);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, GetCredentials, 3);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, DeleteCredential, 4);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, AllocateLsaHeap, 5);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, FreeLsaHeap, 6);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, AllocateClientBuffer, 7);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, FreeClientBuffer, 8);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, CopyToClientBuffer, 9);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, CopyFromClientBuffer, 10);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, ImpersonateClient, 11);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, UnloadPackage, 12);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, DuplicateHandle, 13);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, SaveSupplementalCredentials, 14);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, CreateThread, 15);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, GetClientInfo, 16);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, RegisterNotification, 17);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, CancelNotification, 18);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, MapBuffer, 19);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, CreateToken, 20);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, AuditLogon, 21);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, CallPackage, 22);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, FreeReturnBuffer, 23);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, GetCallInfo, 24);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, CallPackageEx, 25);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, CreateSharedMemory, 26);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, AllocateSharedMemory, 27);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, FreeSharedMemory, 28);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, DeleteSharedMemory, 29);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, OpenSamUser, 30);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, GetUserCredentials, 31);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, GetUserAuthData, 32);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, CloseSamUser, 33);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, ConvertAuthDataToToken, 34);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, ClientCallback, 35);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, UpdateCredentials, 36);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, GetAuthDataForUser, 37);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, CrackSingleName, 38);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, AuditAccountLogon, 39);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, CallPackagePassthrough, 40);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, DummyFunction1, 41);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, DummyFunction2, 42);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, DummyFunction3, 43);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, LsaProtectMemory, 44);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, LsaUnprotectMemory, 45);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, OpenTokenByLogonId, 46);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, ExpandAuthDataForDomain, 47);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, AllocatePrivateHeap, 48);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, FreePrivateHeap, 49);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, CreateTokenEx, 50);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, DummyFunction4, 51);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, DummyFunction5, 52);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, DummyFunction6, 53);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, GetExtendedCallFlags, 54);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, DuplicateTokenHandle, 55);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, GetServiceAccountPassword, 56);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, DummyFunction7, 57);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, AuditLogonEx, 58);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, CheckProtectedUserByToken, 59);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, QueryClientRequest, 60);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, GetAppModeInfo, 61);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, SetAppModeInfo, 62);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, GetClientInfoEx, 63);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, lsa_allocate_luid, 64);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, lsa_get_config, 65);
LSA_NTSECPKG_SLOT_(LSA_SECPKG_FUNCTION_TABLE, lsa_get_client_unix_info, 66);
/* The first 11 members are binary-prefix compatible with LSA_DISPATCH_TABLE. */
#define LSA_NTSECPKG_PREFIX_(m)                                                                    \
    _Static_assert(offsetof(LSA_SECPKG_FUNCTION_TABLE, m) == offsetof(LSA_DISPATCH_TABLE, m),      \
                   "LSA_SECPKG_FUNCTION_TABLE." #m " is LSA_DISPATCH_TABLE's (§2.5)")
LSA_NTSECPKG_PREFIX_(CreateLogonSession);
LSA_NTSECPKG_PREFIX_(DeleteLogonSession);
LSA_NTSECPKG_PREFIX_(AddCredential);
LSA_NTSECPKG_PREFIX_(GetCredentials);
LSA_NTSECPKG_PREFIX_(DeleteCredential);
LSA_NTSECPKG_PREFIX_(AllocateLsaHeap);
LSA_NTSECPKG_PREFIX_(FreeLsaHeap);
LSA_NTSECPKG_PREFIX_(AllocateClientBuffer);
LSA_NTSECPKG_PREFIX_(FreeClientBuffer);
LSA_NTSECPKG_PREFIX_(CopyToClientBuffer);
LSA_NTSECPKG_PREFIX_(CopyFromClientBuffer);

/* §2.6: 43 pointers. */
_Static_assert(sizeof(SECPKG_FUNCTION_TABLE) == 43 * 8, "SECPKG_FUNCTION_TABLE x64 size (§2.6)");
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, InitializePackage, 0);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, LogonUser, 1);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, CallPackage, 2);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, LogonTerminated, 3);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, CallPackageUntrusted, 4);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, CallPackagePassthrough, 5);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, LogonUserEx, 6);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, LogonUserEx2, 7);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, Initialize, 8);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, Shutdown, 9);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, GetInfo, 10);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, AcceptCredentials, 11);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, AcquireCredentialsHandle, 12);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, QueryCredentialsAttributes, 13);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, FreeCredentialsHandle, 14);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, SaveCredentials, 15);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, GetCredentials, 16);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, DeleteCredentials, 17);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, InitLsaModeContext, 18);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, AcceptLsaModeContext, 19);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, DeleteContext, 20);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, ApplyControlToken, 21);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, GetUserInfo, 22);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, GetExtendedInformation, 23);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, QueryContextAttributes, 24);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, AddCredentials, 25);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, SetExtendedInformation, 26);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, SetContextAttributes, 27);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, SetCredentialsAttributes, 28);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, ChangeAccountPassword, 29);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, QueryMetaData, 30);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, ExchangeMetaData, 31);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, GetCredUIContext, 32);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, UpdateCredentials, 33);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, ValidateTargetInfo, 34);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, PostLogonUser, 35);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, GetRemoteCredGuardLogonBuffer, 36);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, GetRemoteCredGuardSupplementalCreds, 37);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, GetTbalSupplementalCreds, 38);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, LogonUserEx3, 39);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, PreLogonUserSurrogate, 40);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, PostLogonUserSurrogate, 41);
LSA_NTSECPKG_SLOT_(SECPKG_FUNCTION_TABLE, ExtractTargetInfo, 42);

#undef LSA_NTSECPKG_SLOT_
#undef LSA_NTSECPKG_PREFIX_

/* §2.5 SECPKG_CLIENT_INFO (x64 size 32) and _EX. */
_Static_assert(sizeof(SECPKG_CLIENT_INFO) == 32, "SECPKG_CLIENT_INFO x64 size (§2.5)");
_Static_assert(offsetof(SECPKG_CLIENT_INFO, LogonId) == 0, "§2.5 LogonId");
_Static_assert(offsetof(SECPKG_CLIENT_INFO, ProcessID) == 8, "§2.5 ProcessID");
_Static_assert(offsetof(SECPKG_CLIENT_INFO, ThreadID) == 12, "§2.5 ThreadID");
_Static_assert(offsetof(SECPKG_CLIENT_INFO, HasTcbPrivilege) == 16, "§2.5 HasTcbPrivilege");
_Static_assert(offsetof(SECPKG_CLIENT_INFO, Impersonating) == 17, "§2.5 Impersonating");
_Static_assert(offsetof(SECPKG_CLIENT_INFO, Restricted) == 18, "§2.5 Restricted");
_Static_assert(offsetof(SECPKG_CLIENT_INFO, ClientFlags) == 19, "§2.5 ClientFlags");
_Static_assert(offsetof(SECPKG_CLIENT_INFO, ImpersonationLevel) == 20, "§2.5 ImpersonationLevel");
_Static_assert(offsetof(SECPKG_CLIENT_INFO, ClientToken) == 24, "§2.5 ClientToken");
_Static_assert(sizeof(SECPKG_CLIENT_INFO_EX) == 48, "SECPKG_CLIENT_INFO_EX x64 size");
_Static_assert(offsetof(SECPKG_CLIENT_INFO_EX, ClientToken) == 24, "SECPKG_CLIENT_INFO_EX prefix");
_Static_assert(offsetof(SECPKG_CLIENT_INFO_EX, IdentificationLogonId) == 32, "§2.5");
_Static_assert(offsetof(SECPKG_CLIENT_INFO_EX, IdentificationToken) == 40, "§2.5");

/* §2.5 SECPKG_CALL_INFO */
_Static_assert(sizeof(SECPKG_CALL_INFO) == 24, "SECPKG_CALL_INFO x64 size");
_Static_assert(offsetof(SECPKG_CALL_INFO, Attributes) == 8, "SECPKG_CALL_INFO.Attributes");
_Static_assert(offsetof(SECPKG_CALL_INFO, CallCount) == 12, "SECPKG_CALL_INFO.CallCount");
_Static_assert(offsetof(SECPKG_CALL_INFO, MechOid) == 16, "SECPKG_CALL_INFO.MechOid");

/* §2.5 SECPKG_PRIMARY_CRED(_EX), SECPKG_SUPPLEMENTAL_CRED(_ARRAY) */
_Static_assert(sizeof(SECPKG_PRIMARY_CRED) == 200, "SECPKG_PRIMARY_CRED x64 size");
_Static_assert(offsetof(SECPKG_PRIMARY_CRED, DownlevelName) == 8, "SECPKG_PRIMARY_CRED");
_Static_assert(offsetof(SECPKG_PRIMARY_CRED, DomainName) == 24, "SECPKG_PRIMARY_CRED");
_Static_assert(offsetof(SECPKG_PRIMARY_CRED, Password) == 40, "SECPKG_PRIMARY_CRED");
_Static_assert(offsetof(SECPKG_PRIMARY_CRED, OldPassword) == 56, "SECPKG_PRIMARY_CRED");
_Static_assert(offsetof(SECPKG_PRIMARY_CRED, UserSid) == 72, "SECPKG_PRIMARY_CRED");
_Static_assert(offsetof(SECPKG_PRIMARY_CRED, Flags) == 80, "SECPKG_PRIMARY_CRED");
_Static_assert(offsetof(SECPKG_PRIMARY_CRED, DnsDomainName) == 88, "SECPKG_PRIMARY_CRED");
_Static_assert(offsetof(SECPKG_PRIMARY_CRED, Upn) == 104, "SECPKG_PRIMARY_CRED");
_Static_assert(offsetof(SECPKG_PRIMARY_CRED, LogonServer) == 120, "SECPKG_PRIMARY_CRED");
_Static_assert(offsetof(SECPKG_PRIMARY_CRED, Spare4) == 184, "SECPKG_PRIMARY_CRED");
_Static_assert(sizeof(SECPKG_PRIMARY_CRED_EX) == 224, "SECPKG_PRIMARY_CRED_EX x64 size");
_Static_assert(offsetof(SECPKG_PRIMARY_CRED_EX, Spare4) == 184, "SECPKG_PRIMARY_CRED_EX prefix");
_Static_assert(offsetof(SECPKG_PRIMARY_CRED_EX, PackageId) == 200, "SECPKG_PRIMARY_CRED_EX");
_Static_assert(offsetof(SECPKG_PRIMARY_CRED_EX, PrevLogonId) == 208, "SECPKG_PRIMARY_CRED_EX");
_Static_assert(offsetof(SECPKG_PRIMARY_CRED_EX, FlagsEx) == 216, "SECPKG_PRIMARY_CRED_EX");
_Static_assert(sizeof(SECPKG_SUPPLEMENTAL_CRED) == 32, "SECPKG_SUPPLEMENTAL_CRED x64 size");
_Static_assert(offsetof(SECPKG_SUPPLEMENTAL_CRED, CredentialSize) == 16, "SUPPLEMENTAL_CRED");
_Static_assert(offsetof(SECPKG_SUPPLEMENTAL_CRED, Credentials) == 24, "SECPKG_SUPPLEMENTAL_CRED");
_Static_assert(offsetof(SECPKG_SUPPLEMENTAL_CRED_ARRAY, Credentials) == 8, "CRED_ARRAY");
_Static_assert(sizeof(SECPKG_SURROGATE_LOGON) == 24, "SECPKG_SURROGATE_LOGON x64 size");
_Static_assert(offsetof(SECPKG_SURROGATE_LOGON, SurrogateLogonID) == 4, "SECPKG_SURROGATE_LOGON");
_Static_assert(offsetof(SECPKG_SURROGATE_LOGON, EntryCount) == 12, "SECPKG_SURROGATE_LOGON");
_Static_assert(offsetof(SECPKG_SURROGATE_LOGON, Entries) == 16, "SECPKG_SURROGATE_LOGON");

/* §2.3 token information */
_Static_assert(sizeof(LSA_TOKEN_INFORMATION_NULL) == 16, "LSA_TOKEN_INFORMATION_NULL x64 size");
_Static_assert(sizeof(LSA_TOKEN_INFORMATION_V1) == 64, "LSA_TOKEN_INFORMATION_V1 x64 size");
_Static_assert(offsetof(LSA_TOKEN_INFORMATION_V1, User) == 8, "LSA_TOKEN_INFORMATION_V1.User");
_Static_assert(offsetof(LSA_TOKEN_INFORMATION_V1, Groups) == 24, "LSA_TOKEN_INFORMATION_V1");
_Static_assert(offsetof(LSA_TOKEN_INFORMATION_V1, PrimaryGroup) == 32, "LSA_TOKEN_INFORMATION_V1");
_Static_assert(offsetof(LSA_TOKEN_INFORMATION_V1, Privileges) == 40, "LSA_TOKEN_INFORMATION_V1");
_Static_assert(offsetof(LSA_TOKEN_INFORMATION_V1, Owner) == 48, "LSA_TOKEN_INFORMATION_V1");
_Static_assert(offsetof(LSA_TOKEN_INFORMATION_V1, DefaultDacl) == 56, "LSA_TOKEN_INFORMATION_V1");
_Static_assert(sizeof(LSA_TOKEN_INFORMATION_V3) == 88, "LSA_TOKEN_INFORMATION_V3 x64 size");
_Static_assert(offsetof(LSA_TOKEN_INFORMATION_V3, DefaultDacl) == 56, "V3 starts with V1's fields");
_Static_assert(offsetof(LSA_TOKEN_INFORMATION_V3, UserClaims) == 64, "LSA_TOKEN_INFORMATION_V3");
_Static_assert(offsetof(LSA_TOKEN_INFORMATION_V3, DeviceClaims) == 72, "LSA_TOKEN_INFORMATION_V3");
_Static_assert(offsetof(LSA_TOKEN_INFORMATION_V3, DeviceGroups) == 80, "LSA_TOKEN_INFORMATION_V3");

/* §2.6 SECPKG_PARAMETERS and the generic package-call messages */
_Static_assert(sizeof(SECPKG_PARAMETERS) == 72, "SECPKG_PARAMETERS x64 size");
_Static_assert(offsetof(SECPKG_PARAMETERS, DomainSid) == 16, "SECPKG_PARAMETERS.DomainSid");
_Static_assert(offsetof(SECPKG_PARAMETERS, DomainName) == 24, "SECPKG_PARAMETERS.DomainName");
_Static_assert(offsetof(SECPKG_PARAMETERS, DnsDomainName) == 40, "SECPKG_PARAMETERS");
_Static_assert(offsetof(SECPKG_PARAMETERS, DomainGuid) == 56, "SECPKG_PARAMETERS.DomainGuid");
_Static_assert(sizeof(SECPKG_CALL_PACKAGE_PIN_DC_REQUEST) == 48, "PIN_DC_REQUEST x64 size");
_Static_assert(offsetof(SECPKG_CALL_PACKAGE_PIN_DC_REQUEST, DomainName) == 8, "PIN_DC_REQUEST");
_Static_assert(offsetof(SECPKG_CALL_PACKAGE_PIN_DC_REQUEST, DcName) == 24, "PIN_DC_REQUEST");
_Static_assert(offsetof(SECPKG_CALL_PACKAGE_PIN_DC_REQUEST, DcFlags) == 40, "PIN_DC_REQUEST");
_Static_assert(sizeof(SECPKG_CALL_PACKAGE_UNPIN_ALL_DCS_REQUEST) == 8, "UNPIN_ALL_DCS_REQUEST");
_Static_assert(sizeof(SECPKG_CALL_PACKAGE_TRANSFER_CRED_REQUEST) == 24, "TRANSFER_CRED_REQUEST");
_Static_assert(offsetof(SECPKG_CALL_PACKAGE_TRANSFER_CRED_REQUEST, OriginLogonId) == 4, "TRANSFER");
_Static_assert(offsetof(SECPKG_CALL_PACKAGE_TRANSFER_CRED_REQUEST, DestinationLogonId) == 12,
               "TRANSFER_CRED_REQUEST.DestinationLogonId");
_Static_assert(offsetof(SECPKG_CALL_PACKAGE_TRANSFER_CRED_REQUEST, Flags) == 20, "TRANSFER");
_Static_assert(sizeof(SECPKG_POST_LOGON_USER_INFO) == 20, "SECPKG_POST_LOGON_USER_INFO x64 size");
_Static_assert(sizeof(SECPKG_CALL_PACKAGE_MESSAGE_TYPE) == 4, "enums are 32-bit");
_Static_assert(sizeof(LSA_TOKEN_INFORMATION_TYPE) == 4, "enums are 32-bit");

#ifdef __cplusplus
}
#endif

#endif /* LSA_NTSECPKG_H */
