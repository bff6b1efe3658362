/*
 * <lsa/ntsecapi_msv1_0.h> - the MSV1_0 (NTLM) authentication package interface:
 * LsaCallAuthenticationPackage messages, LsaLogonUser submit buffers and the profiles
 * returned, with the Windows names, values and x64 layouts of ntsecapi.h / ntifs.h.
 *
 *   spec/lsa-api.md §4      lengths, subauthentication registry names
 *   spec/lsa-api.md §4.1    MSV1_0_PROTOCOL_MESSAGE_TYPE
 *   spec/lsa-api.md §4.2    message structures, PasswordProperties, GetChallengeResponse flags
 *   spec/lsa-api.md §4.3    MSV1_0_LOGON_SUBMIT_TYPE, MSV1_0_PROFILE_BUFFER_TYPE
 *   spec/lsa-api.md §4.4    logon / profile structures, ParameterControl, UserFlags (LOGON_*)
 *
 * Also carried from the SDK's MSV1_0 section (not listed in the spec): the NTLMv2
 * response header MSV1_0_NTLM3_RESPONSE, MSV1_0_AV_PAIR/MSV1_0_AVID and
 * MSV1_0_SUPPLEMENTAL_CREDENTIAL.
 *
 * Included by <lsa/ntsecapi.h> after its own definitions (SECURITY_LOGON_TYPE comes
 * from there); include that header, not this one.  Every size and offset the spec
 * gives is asserted below, so a layout drift is a build error.
 */
#ifndef LSA_NTSECAPI_MSV1_0_H
#define LSA_NTSECAPI_MSV1_0_H

#include <lsa/ntdef.h>
#include <lsa/winnt.h>

#ifndef LSA_NTSECAPI_H
#error "<lsa/ntsecapi_msv1_0.h> is part of <lsa/ntsecapi.h>; include <lsa/ntsecapi.h>"
#endif

#ifdef __cplusplus
extern "C" {
#endif

#ifndef ANYSIZE_ARRAY
#define ANYSIZE_ARRAY 1
#endif

/* ---- §4: registry names and lengths ------------------------------------------------ */

#define MSV1_0_SUBAUTHENTICATION_KEY "SYSTEM\\CurrentControlSet\\Control\\Lsa\\MSV1_0"
#define MSV1_0_SUBAUTHENTICATION_VALUE "Auth"

#define MSV1_0_CHALLENGE_LENGTH 8
#define MSV1_0_USER_SESSION_KEY_LENGTH 16
#define MSV1_0_LANMAN_SESSION_KEY_LENGTH 8
#define MSV1_0_OWF_PASSWORD_LENGTH 16
#define MSV1_0_NTLM3_RESPONSE_LENGTH 16
#define MSV1_0_NTLM3_OWF_LENGTH 16
#define MSV1_0_MAX_NTLM3_LIFE 129600 /* 1800 in Windows 2000 headers (§7.11) */
#define MSV1_0_MAX_AVL_SIZE 64000

/* ---- §4.3: submit and profile types ------------------------------------------------ */

typedef enum _MSV1_0_LOGON_SUBMIT_TYPE {
    MsV1_0InteractiveLogon = 2,
    MsV1_0Lm20Logon = 3,
    MsV1_0NetworkLogon = 4,
    MsV1_0SubAuthLogon = 5,
    MsV1_0WorkstationUnlockLogon = 7,
    MsV1_0S4ULogon = 12,
    MsV1_0VirtualLogon = 82,
    MsV1_0NoElevationLogon = 83,
    MsV1_0LuidLogon = 84
} MSV1_0_LOGON_SUBMIT_TYPE, *PMSV1_0_LOGON_SUBMIT_TYPE;

typedef enum _MSV1_0_PROFILE_BUFFER_TYPE {
    MsV1_0InteractiveProfile = 2,
    MsV1_0Lm20LogonProfile = 3,
    MsV1_0SmartCardProfile = 4
} MSV1_0_PROFILE_BUFFER_TYPE, *PMSV1_0_PROFILE_BUFFER_TYPE;

/* ---- §4.1: LsaCallAuthenticationPackage message types ------------------------------ */

typedef enum _MSV1_0_PROTOCOL_MESSAGE_TYPE {
    MsV1_0Lm20ChallengeRequest = 0,
    MsV1_0Lm20GetChallengeResponse = 1,
    MsV1_0EnumerateUsers = 2,
    MsV1_0GetUserInfo = 3,
    MsV1_0ReLogonUsers = 4,
    MsV1_0ChangePassword = 5,
    MsV1_0ChangeCachedPassword = 6,
    MsV1_0GenericPassthrough = 7,
    MsV1_0CacheLogon = 8,
    MsV1_0SubAuth = 9,
    MsV1_0DeriveCredential = 10,
    MsV1_0CacheLookup = 11,
    MsV1_0SetProcessOption = 12,
    MsV1_0ConfigLocalAliases = 13,
    MsV1_0ClearCachedCredentials = 14,
    MsV1_0LookupToken = 15,
    MsV1_0ValidateAuth = 16,
    MsV1_0CacheLookupEx = 17,
    MsV1_0GetCredentialKey = 18,
    MsV1_0SetThreadOption = 19,
    MsV1_0DecryptDpapiMasterKey = 20,
    MsV1_0GetStrongCredentialKey = 21,
    MsV1_0TransferCred = 22,
    MsV1_0ProvisionTbal = 23,
    MsV1_0DeleteTbalSecrets = 24
} MSV1_0_PROTOCOL_MESSAGE_TYPE, *PMSV1_0_PROTOCOL_MESSAGE_TYPE;

/* ---- §4.4: LsaLogonUser submit buffers ---------------------------------------------- */

typedef struct _MSV1_0_INTERACTIVE_LOGON {
    MSV1_0_LOGON_SUBMIT_TYPE MessageType;
    UNICODE_STRING LogonDomainName;
    UNICODE_STRING UserName;
    UNICODE_STRING Password;
} MSV1_0_INTERACTIVE_LOGON, *PMSV1_0_INTERACTIVE_LOGON;

typedef struct _MSV1_0_LM20_LOGON {
    MSV1_0_LOGON_SUBMIT_TYPE MessageType;
    UNICODE_STRING LogonDomainName;
    UNICODE_STRING UserName;
    UNICODE_STRING Workstation;
    UCHAR ChallengeToClient[MSV1_0_CHALLENGE_LENGTH];
    STRING CaseSensitiveChallengeResponse;
    STRING CaseInsensitiveChallengeResponse;
    ULONG ParameterControl;
} MSV1_0_LM20_LOGON, *PMSV1_0_LM20_LOGON;

typedef struct _MSV1_0_SUBAUTH_LOGON {
    MSV1_0_LOGON_SUBMIT_TYPE MessageType;
    UNICODE_STRING LogonDomainName;
    UNICODE_STRING UserName;
    UNICODE_STRING Workstation;
    UCHAR ChallengeToClient[MSV1_0_CHALLENGE_LENGTH];
    STRING AuthenticationInfo1;
    STRING AuthenticationInfo2;
    ULONG ParameterControl;
    ULONG SubAuthPackageId;
} MSV1_0_SUBAUTH_LOGON, *PMSV1_0_SUBAUTH_LOGON;

#define MSV1_0_S4U_LOGON_FLAG_CHECK_LOGONHOURS 0x2

typedef struct _MSV1_0_S4U_LOGON {
    MSV1_0_LOGON_SUBMIT_TYPE MessageType;
    ULONG Flags;
    UNICODE_STRING UserPrincipalName;
    UNICODE_STRING DomainName;
} MSV1_0_S4U_LOGON, *PMSV1_0_S4U_LOGON;

/* ParameterControl of MSV1_0_LM20_LOGON / MSV1_0_SUBAUTH_LOGON (§4.4). */
#define MSV1_0_CLEARTEXT_PASSWORD_ALLOWED 0x02
#define MSV1_0_UPDATE_LOGON_STATISTICS 0x04
#define MSV1_0_RETURN_USER_PARAMETERS 0x08
#define MSV1_0_DONT_TRY_GUEST_ACCOUNT 0x10
#define MSV1_0_ALLOW_SERVER_TRUST_ACCOUNT 0x20
#define MSV1_0_RETURN_PASSWORD_EXPIRY 0x40
#define MSV1_0_USE_CLIENT_CHALLENGE 0x80
#define MSV1_0_TRY_GUEST_ACCOUNT_ONLY 0x100
#define MSV1_0_RETURN_PROFILE_PATH 0x200
#define MSV1_0_TRY_SPECIFIED_DOMAIN_ONLY 0x400
#define MSV1_0_ALLOW_WORKSTATION_TRUST_ACCOUNT 0x800
#define MSV1_0_DISABLE_PERSONAL_FALLBACK 0x00001000
#define MSV1_0_ALLOW_FORCE_GUEST 0x00002000
#define MSV1_0_CLEARTEXT_PASSWORD_SUPPLIED 0x00004000
#define MSV1_0_USE_DOMAIN_FOR_ROUTING_ONLY 0x00008000
#define MSV1_0_ALLOW_MSVCHAPV2 0x00010000
#define MSV1_0_S4U2SELF 0x00020000
#define MSV1_0_CHECK_LOGONHOURS_FOR_S4U 0x00040000
#define MSV1_0_INTERNET_DOMAIN 0x00080000
#define MSV1_0_SUBAUTHENTICATION_DLL_EX 0x00100000
#define MSV1_0_MNS_LOGON 0x01000000
/* The top byte of ParameterControl is the subauthentication DLL number. */
#define MSV1_0_SUBAUTHENTICATION_DLL 0xFF000000
#define MSV1_0_SUBAUTHENTICATION_DLL_SHIFT 24
#define MSV1_0_SUBAUTHENTICATION_DLL_RAS 2
#define MSV1_0_SUBAUTHENTICATION_DLL_IIS 132

/* ---- §4.4: profiles returned by LsaLogonUser ---------------------------------------- */

typedef struct _MSV1_0_INTERACTIVE_PROFILE {
    MSV1_0_PROFILE_BUFFER_TYPE MessageType;
    USHORT LogonCount;
    USHORT BadPasswordCount;
    LARGE_INTEGER LogonTime;
    LARGE_INTEGER LogoffTime;
    LARGE_INTEGER KickOffTime;
    LARGE_INTEGER PasswordLastSet;
    LARGE_INTEGER PasswordCanChange;
    LARGE_INTEGER PasswordMustChange;
    UNICODE_STRING LogonScript;
    UNICODE_STRING HomeDirectory;
    UNICODE_STRING FullName;
    UNICODE_STRING ProfilePath;
    UNICODE_STRING HomeDirectoryDrive;
    UNICODE_STRING LogonServer;
    ULONG UserFlags;
} MSV1_0_INTERACTIVE_PROFILE, *PMSV1_0_INTERACTIVE_PROFILE;

typedef struct _MSV1_0_LM20_LOGON_PROFILE {
    MSV1_0_PROFILE_BUFFER_TYPE MessageType;
    LARGE_INTEGER KickOffTime;
    LARGE_INTEGER LogoffTime;
    ULONG UserFlags;
    UCHAR UserSessionKey[MSV1_0_USER_SESSION_KEY_LENGTH];
    UNICODE_STRING LogonDomainName;
    UCHAR LanmanSessionKey[MSV1_0_LANMAN_SESSION_KEY_LENGTH];
    UNICODE_STRING LogonServer;
    UNICODE_STRING UserParameters;
} MSV1_0_LM20_LOGON_PROFILE, *PMSV1_0_LM20_LOGON_PROFILE;

/* UserFlags of the profiles (§4.4).  <lsa/ntsecapi.h> already defines the four that
 * SECURITY_LOGON_SESSION_DATA documents, with the same values. */
#define LOGON_GUEST 0x01
#define LOGON_NOENCRYPTION 0x02
#define LOGON_CACHED_ACCOUNT 0x04
#define LOGON_USED_LM_PASSWORD 0x08
#define LOGON_EXTRA_SIDS 0x20
#define LOGON_SUBAUTH_SESSION_KEY 0x40
#define LOGON_SERVER_TRUST_ACCOUNT 0x80
#define LOGON_NTLMV2_ENABLED 0x100
#define LOGON_RESOURCE_GROUPS 0x200
#define LOGON_PROFILE_PATH_RETURNED 0x400
#define LOGON_NT_V2 0x800
#define LOGON_LM_V2 0x1000
#define LOGON_NTLM_V2 0x2000
#ifndef LOGON_OPTIMIZED
#define LOGON_OPTIMIZED 0x4000
#endif
#ifndef LOGON_WINLOGON
#define LOGON_WINLOGON 0x8000
#endif
#ifndef LOGON_PKINIT
#define LOGON_PKINIT 0x10000
#endif
#ifndef LOGON_NO_OPTIMIZED
#define LOGON_NO_OPTIMIZED 0x20000 /* the docs' "LOGON_NOT_OPTIMIZED" (§7.7) */
#endif
#define LOGON_NO_ELEVATION 0x40000
#define LOGON_MANAGED_SERVICE 0x80000
#define LOGON_GRACE_LOGON 0x01000000
/* The top byte of UserFlags is reserved to subauthentication packages. */
#define MSV1_0_SUBAUTHENTICATION_FLAGS 0xFF000000

/* ---- §4.2: LsaCallAuthenticationPackage messages ------------------------------------ */

/* MsV1_0Lm20ChallengeRequest */
typedef struct _MSV1_0_LM20_CHALLENGE_REQUEST {
    MSV1_0_PROTOCOL_MESSAGE_TYPE MessageType;
} MSV1_0_LM20_CHALLENGE_REQUEST, *PMSV1_0_LM20_CHALLENGE_REQUEST;

typedef struct _MSV1_0_LM20_CHALLENGE_RESPONSE {
    MSV1_0_PROTOCOL_MESSAGE_TYPE MessageType;
    UCHAR ChallengeToClient[MSV1_0_CHALLENGE_LENGTH];
} MSV1_0_LM20_CHALLENGE_RESPONSE, *PMSV1_0_LM20_CHALLENGE_RESPONSE;

/* MsV1_0Lm20GetChallengeResponse: ParameterControl (ntifs.h names; the docs call 0x04
 * "RETURN_PRIMARY_DOMAINNAME", §7.7). */
#define USE_PRIMARY_PASSWORD 0x01
#define RETURN_PRIMARY_USERNAME 0x02
#define RETURN_PRIMARY_LOGON_DOMAINNAME 0x04
#define RETURN_NON_NT_USER_SESSION_KEY 0x08
#define GENERATE_CLIENT_CHALLENGE 0x10
#define GCR_NTLM3_PARMS 0x20
#define GCR_TARGET_INFO 0x40 /* ServerName holds target-info AV pairs */
#define RETURN_RESERVED_PARAMETER 0x80
#define GCR_ALLOW_NTLM 0x100
#define GCR_USE_OEM_SET 0x200
#define GCR_MACHINE_CREDENTIAL 0x400
#define GCR_USE_OWF_PASSWORD 0x800
#define GCR_ALLOW_LM 0x1000
#define GCR_ALLOW_NO_TARGET 0x2000

/* Version 1 of the request (before UserName/LogonDomainName/ServerName were added),
 * kept for sizing: a submit buffer of at least this size is acceptable. */
typedef struct _MSV1_0_GETCHALLENRESP_REQUEST_V1 {
    MSV1_0_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG ParameterControl;
    LUID LogonId;
    UNICODE_STRING Password;
    UCHAR ChallengeToClient[MSV1_0_CHALLENGE_LENGTH];
} MSV1_0_GETCHALLENRESP_REQUEST_V1, *PMSV1_0_GETCHALLENRESP_REQUEST_V1;

typedef struct _MSV1_0_GETCHALLENRESP_REQUEST {
    MSV1_0_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG ParameterControl;
    LUID LogonId;
    UNICODE_STRING Password;
    UCHAR ChallengeToClient[MSV1_0_CHALLENGE_LENGTH];
    /* Present only when GCR_NTLM3_PARMS is set in ParameterControl. */
    UNICODE_STRING UserName;
    UNICODE_STRING LogonDomainName;
    UNICODE_STRING ServerName;
} MSV1_0_GETCHALLENRESP_REQUEST, *PMSV1_0_GETCHALLENRESP_REQUEST;

typedef struct _MSV1_0_GETCHALLENRESP_RESPONSE {
    MSV1_0_PROTOCOL_MESSAGE_TYPE MessageType;
    STRING CaseSensitiveChallengeResponse;
    STRING CaseInsensitiveChallengeResponse;
    UNICODE_STRING UserName;
    UNICODE_STRING LogonDomainName;
    UCHAR UserSessionKey[MSV1_0_USER_SESSION_KEY_LENGTH];
    UCHAR LanmanSessionKey[MSV1_0_LANMAN_SESSION_KEY_LENGTH];
} MSV1_0_GETCHALLENRESP_RESPONSE, *PMSV1_0_GETCHALLENRESP_RESPONSE;

/* MsV1_0EnumerateUsers */
typedef struct _MSV1_0_ENUMUSERS_REQUEST {
    MSV1_0_PROTOCOL_MESSAGE_TYPE MessageType;
} MSV1_0_ENUMUSERS_REQUEST, *PMSV1_0_ENUMUSERS_REQUEST;

typedef struct _MSV1_0_ENUMUSERS_RESPONSE {
    MSV1_0_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG NumberOfLoggedOnUsers;
    PLUID LogonIds;     /* NumberOfLoggedOnUsers entries, inside the returned block */
    PULONG EnumHandles; /* NumberOfLoggedOnUsers entries, inside the returned block */
} MSV1_0_ENUMUSERS_RESPONSE, *PMSV1_0_ENUMUSERS_RESPONSE;

/* MsV1_0GetUserInfo */
typedef struct _MSV1_0_GETUSERINFO_REQUEST {
    MSV1_0_PROTOCOL_MESSAGE_TYPE MessageType;
    LUID LogonId;
} MSV1_0_GETUSERINFO_REQUEST, *PMSV1_0_GETUSERINFO_REQUEST;

typedef struct _MSV1_0_GETUSERINFO_RESPONSE {
    MSV1_0_PROTOCOL_MESSAGE_TYPE MessageType;
    PSID UserSid;
    UNICODE_STRING UserName;
    UNICODE_STRING LogonDomainName;
    UNICODE_STRING LogonServer;
    SECURITY_LOGON_TYPE LogonType;
} MSV1_0_GETUSERINFO_RESPONSE, *PMSV1_0_GETUSERINFO_RESPONSE;

/* MsV1_0ChangePassword / MsV1_0ChangeCachedPassword */
#ifndef _DOMAIN_PASSWORD_INFORMATION_DEFINED
#define _DOMAIN_PASSWORD_INFORMATION_DEFINED
typedef struct _DOMAIN_PASSWORD_INFORMATION {
    USHORT MinPasswordLength;
    USHORT PasswordHistoryLength;
    ULONG PasswordProperties;
    LARGE_INTEGER MaxPasswordAge;
    LARGE_INTEGER MinPasswordAge;
} DOMAIN_PASSWORD_INFORMATION, *PDOMAIN_PASSWORD_INFORMATION;
#endif

/* DOMAIN_PASSWORD_INFORMATION.PasswordProperties */
#define DOMAIN_PASSWORD_COMPLEX 0x00000001L
#define DOMAIN_PASSWORD_NO_ANON_CHANGE 0x00000002L
#define DOMAIN_PASSWORD_NO_CLEAR_CHANGE 0x00000004L
#define DOMAIN_LOCKOUT_ADMINS 0x00000008L
#define DOMAIN_PASSWORD_STORE_CLEARTEXT 0x00000010L
#define DOMAIN_REFUSE_PASSWORD_CHANGE 0x00000020L
#define DOMAIN_NO_LM_OWF_CHANGE 0x00000040L

typedef struct _MSV1_0_CHANGEPASSWORD_REQUEST {
    MSV1_0_PROTOCOL_MESSAGE_TYPE MessageType;
    UNICODE_STRING DomainName;
    UNICODE_STRING AccountName;
    UNICODE_STRING OldPassword;
    UNICODE_STRING NewPassword;
    BOOLEAN Impersonating;
} MSV1_0_CHANGEPASSWORD_REQUEST, *PMSV1_0_CHANGEPASSWORD_REQUEST;

typedef struct _MSV1_0_CHANGEPASSWORD_RESPONSE {
    MSV1_0_PROTOCOL_MESSAGE_TYPE MessageType;
    BOOLEAN PasswordInfoValid;
    DOMAIN_PASSWORD_INFORMATION DomainPasswordInfo;
} MSV1_0_CHANGEPASSWORD_RESPONSE, *PMSV1_0_CHANGEPASSWORD_RESPONSE;

/* MsV1_0GenericPassthrough */
typedef struct _MSV1_0_PASSTHROUGH_REQUEST {
    MSV1_0_PROTOCOL_MESSAGE_TYPE MessageType;
    UNICODE_STRING DomainName;
    UNICODE_STRING PackageName;
    ULONG DataLength;
    PUCHAR LogonData;
    ULONG Pad;
} MSV1_0_PASSTHROUGH_REQUEST, *PMSV1_0_PASSTHROUGH_REQUEST;

typedef struct _MSV1_0_PASSTHROUGH_RESPONSE {
    MSV1_0_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG Pad;
    ULONG DataLength;
    PUCHAR ValidationData;
} MSV1_0_PASSTHROUGH_RESPONSE, *PMSV1_0_PASSTHROUGH_RESPONSE;

/* MsV1_0SubAuth (locally; for the DC wrap it in MsV1_0GenericPassthrough) */
typedef struct _MSV1_0_SUBAUTH_REQUEST {
    MSV1_0_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG SubAuthPackageId;
    ULONG SubAuthInfoLength;
    PUCHAR SubAuthSubmitBuffer;
} MSV1_0_SUBAUTH_REQUEST, *PMSV1_0_SUBAUTH_REQUEST;

typedef struct _MSV1_0_SUBAUTH_RESPONSE {
    MSV1_0_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG SubAuthInfoLength;
    PUCHAR SubAuthReturnBuffer;
} MSV1_0_SUBAUTH_RESPONSE, *PMSV1_0_SUBAUTH_RESPONSE;

/* ---- SDK MSV1_0 section, beyond the spec: credentials and the NTLMv2 response ------- */

#define MSV1_0_CRED_LM_PRESENT 0x1
#define MSV1_0_CRED_NT_PRESENT 0x2
#define MSV1_0_CRED_VERSION 0

typedef struct _MSV1_0_SUPPLEMENTAL_CREDENTIAL {
    ULONG Version;
    ULONG Flags;
    UCHAR LmPassword[MSV1_0_OWF_PASSWORD_LENGTH];
    UCHAR NtPassword[MSV1_0_OWF_PASSWORD_LENGTH];
} MSV1_0_SUPPLEMENTAL_CREDENTIAL, *PMSV1_0_SUPPLEMENTAL_CREDENTIAL;

/* The fixed head of an NTLMv2 (NTLM3) response: NTProofStr, then the client blob. */
typedef struct _MSV1_0_NTLM3_RESPONSE {
    UCHAR Response[MSV1_0_NTLM3_RESPONSE_LENGTH];
    UCHAR RespType;
    UCHAR HiRespType;
    USHORT Flags;
    ULONG MsgWord;
    ULONGLONG TimeStamp;
    UCHAR ChallengeFromClient[MSV1_0_CHALLENGE_LENGTH];
    ULONG AvPairsOff;
    UCHAR Buffer[1]; /* AV pairs */
} MSV1_0_NTLM3_RESPONSE, *PMSV1_0_NTLM3_RESPONSE;

#define MSV1_0_NTLM3_INPUT_LENGTH (sizeof(MSV1_0_NTLM3_RESPONSE) - MSV1_0_NTLM3_RESPONSE_LENGTH)
#define MSV1_0_NTLM3_MIN_NT_RESPONSE_LENGTH \
    (offsetof(MSV1_0_NTLM3_RESPONSE, AvPairsOff) + sizeof(ULONG))

typedef enum {
    MsvAvEOL = 0,
    MsvAvNbComputerName = 1,
    MsvAvNbDomainName = 2,
    MsvAvDnsComputerName = 3,
    MsvAvDnsDomainName = 4,
    MsvAvDnsTreeName = 5,
    MsvAvFlags = 6,
    MsvAvTimestamp = 7,
    MsvAvRestrictions = 8,
    MsvAvTargetName = 9,
    MsvAvChannelBindings = 10
} MSV1_0_AVID;

typedef struct _MSV1_0_AV_PAIR {
    USHORT AvId;
    USHORT AvLen;
    /* AvLen bytes of value follow */
} MSV1_0_AV_PAIR, *PMSV1_0_AV_PAIR;

/* MsvAvFlags value bits */
#define MSV1_0_AV_FLAG_FORCE_GUEST 0x00000001
#define MSV1_0_AV_FLAG_MIC_HANDSHAKE_MESSAGES 0x00000002
#define MSV1_0_AV_FLAG_UNVERIFIED_TARGET 0x00000004

/* ---- x64 layout checks ------------------------------------------------------------- */


/* Enums travel as 32-bit fields (§ Conventions). */
_Static_assert(sizeof(MSV1_0_PROTOCOL_MESSAGE_TYPE) == 4, "§4.1 message type is 32-bit");
_Static_assert(sizeof(MSV1_0_LOGON_SUBMIT_TYPE) == 4, "§4.3 submit type is 32-bit");
_Static_assert(sizeof(MSV1_0_PROFILE_BUFFER_TYPE) == 4, "§4.3 profile type is 32-bit");

/* §4.2 */
_Static_assert(sizeof(MSV1_0_LM20_CHALLENGE_REQUEST) == 4, "§4.2 LM20_CHALLENGE_REQUEST size");
_Static_assert(sizeof(MSV1_0_LM20_CHALLENGE_RESPONSE) == 12, "§4.2 LM20_CHALLENGE_RESPONSE size");
_Static_assert(offsetof(MSV1_0_LM20_CHALLENGE_RESPONSE, ChallengeToClient) == 4,
               "§4.2 LM20_CHALLENGE_RESPONSE.ChallengeToClient");

_Static_assert(sizeof(MSV1_0_GETCHALLENRESP_REQUEST_V1) == 40, "§4.2 GETCHALLENRESP_REQUEST_V1 size");
_Static_assert(offsetof(MSV1_0_GETCHALLENRESP_REQUEST_V1, ParameterControl) == 4,
               "§4.2 GETCHALLENRESP_REQUEST_V1.ParameterControl");
_Static_assert(offsetof(MSV1_0_GETCHALLENRESP_REQUEST_V1, LogonId) == 8,
               "§4.2 GETCHALLENRESP_REQUEST_V1.LogonId");
_Static_assert(offsetof(MSV1_0_GETCHALLENRESP_REQUEST_V1, Password) == 16,
               "§4.2 GETCHALLENRESP_REQUEST_V1.Password");
_Static_assert(offsetof(MSV1_0_GETCHALLENRESP_REQUEST_V1, ChallengeToClient) == 32,
               "§4.2 GETCHALLENRESP_REQUEST_V1.ChallengeToClient");

_Static_assert(sizeof(MSV1_0_GETCHALLENRESP_REQUEST) == 88, "§4.2 GETCHALLENRESP_REQUEST size");
_Static_assert(offsetof(MSV1_0_GETCHALLENRESP_REQUEST, ParameterControl) == 4,
               "§4.2 GETCHALLENRESP_REQUEST.ParameterControl");
_Static_assert(offsetof(MSV1_0_GETCHALLENRESP_REQUEST, LogonId) == 8,
               "§4.2 GETCHALLENRESP_REQUEST.LogonId");
_Static_assert(offsetof(MSV1_0_GETCHALLENRESP_REQUEST, Password) == 16,
               "§4.2 GETCHALLENRESP_REQUEST.Password");
_Static_assert(offsetof(MSV1_0_GETCHALLENRESP_REQUEST, ChallengeToClient) == 32,
               "§4.2 GETCHALLENRESP_REQUEST.ChallengeToClient");
_Static_assert(offsetof(MSV1_0_GETCHALLENRESP_REQUEST, UserName) == 40,
               "§4.2 GETCHALLENRESP_REQUEST.UserName");
_Static_assert(offsetof(MSV1_0_GETCHALLENRESP_REQUEST, LogonDomainName) == 56,
               "§4.2 GETCHALLENRESP_REQUEST.LogonDomainName");
_Static_assert(offsetof(MSV1_0_GETCHALLENRESP_REQUEST, ServerName) == 72,
               "§4.2 GETCHALLENRESP_REQUEST.ServerName");

_Static_assert(sizeof(MSV1_0_GETCHALLENRESP_RESPONSE) == 96, "§4.2 GETCHALLENRESP_RESPONSE size");
_Static_assert(offsetof(MSV1_0_GETCHALLENRESP_RESPONSE, CaseSensitiveChallengeResponse) == 8,
               "§4.2 GETCHALLENRESP_RESPONSE.CaseSensitiveChallengeResponse");
_Static_assert(offsetof(MSV1_0_GETCHALLENRESP_RESPONSE, CaseInsensitiveChallengeResponse) == 24,
               "§4.2 GETCHALLENRESP_RESPONSE.CaseInsensitiveChallengeResponse");
_Static_assert(offsetof(MSV1_0_GETCHALLENRESP_RESPONSE, UserName) == 40,
               "§4.2 GETCHALLENRESP_RESPONSE.UserName");
_Static_assert(offsetof(MSV1_0_GETCHALLENRESP_RESPONSE, LogonDomainName) == 56,
               "§4.2 GETCHALLENRESP_RESPONSE.LogonDomainName");
_Static_assert(offsetof(MSV1_0_GETCHALLENRESP_RESPONSE, UserSessionKey) == 72,
               "§4.2 GETCHALLENRESP_RESPONSE.UserSessionKey");
_Static_assert(offsetof(MSV1_0_GETCHALLENRESP_RESPONSE, LanmanSessionKey) == 88,
               "§4.2 GETCHALLENRESP_RESPONSE.LanmanSessionKey");

_Static_assert(sizeof(MSV1_0_ENUMUSERS_REQUEST) == 4, "§4.2 ENUMUSERS_REQUEST size");
_Static_assert(sizeof(MSV1_0_ENUMUSERS_RESPONSE) == 24, "§4.2 ENUMUSERS_RESPONSE size");
_Static_assert(offsetof(MSV1_0_ENUMUSERS_RESPONSE, NumberOfLoggedOnUsers) == 4,
               "§4.2 ENUMUSERS_RESPONSE.NumberOfLoggedOnUsers");
_Static_assert(offsetof(MSV1_0_ENUMUSERS_RESPONSE, LogonIds) == 8,
               "§4.2 ENUMUSERS_RESPONSE.LogonIds");
_Static_assert(offsetof(MSV1_0_ENUMUSERS_RESPONSE, EnumHandles) == 16,
               "§4.2 ENUMUSERS_RESPONSE.EnumHandles");

_Static_assert(sizeof(MSV1_0_GETUSERINFO_REQUEST) == 12, "§4.2 GETUSERINFO_REQUEST size");
_Static_assert(offsetof(MSV1_0_GETUSERINFO_REQUEST, LogonId) == 4, "§4.2 GETUSERINFO_REQUEST.LogonId");
_Static_assert(sizeof(MSV1_0_GETUSERINFO_RESPONSE) == 72, "§4.2 GETUSERINFO_RESPONSE size");
_Static_assert(offsetof(MSV1_0_GETUSERINFO_RESPONSE, UserSid) == 8, "§4.2 GETUSERINFO_RESPONSE.UserSid");
_Static_assert(offsetof(MSV1_0_GETUSERINFO_RESPONSE, UserName) == 16,
               "§4.2 GETUSERINFO_RESPONSE.UserName");
_Static_assert(offsetof(MSV1_0_GETUSERINFO_RESPONSE, LogonDomainName) == 32,
               "§4.2 GETUSERINFO_RESPONSE.LogonDomainName");
_Static_assert(offsetof(MSV1_0_GETUSERINFO_RESPONSE, LogonServer) == 48,
               "§4.2 GETUSERINFO_RESPONSE.LogonServer");
_Static_assert(offsetof(MSV1_0_GETUSERINFO_RESPONSE, LogonType) == 64,
               "§4.2 GETUSERINFO_RESPONSE.LogonType");

_Static_assert(sizeof(MSV1_0_CHANGEPASSWORD_REQUEST) == 80, "§4.2 CHANGEPASSWORD_REQUEST size");
_Static_assert(offsetof(MSV1_0_CHANGEPASSWORD_REQUEST, DomainName) == 8,
               "§4.2 CHANGEPASSWORD_REQUEST.DomainName");
_Static_assert(offsetof(MSV1_0_CHANGEPASSWORD_REQUEST, AccountName) == 24,
               "§4.2 CHANGEPASSWORD_REQUEST.AccountName");
_Static_assert(offsetof(MSV1_0_CHANGEPASSWORD_REQUEST, OldPassword) == 40,
               "§4.2 CHANGEPASSWORD_REQUEST.OldPassword");
_Static_assert(offsetof(MSV1_0_CHANGEPASSWORD_REQUEST, NewPassword) == 56,
               "§4.2 CHANGEPASSWORD_REQUEST.NewPassword");
_Static_assert(offsetof(MSV1_0_CHANGEPASSWORD_REQUEST, Impersonating) == 72,
               "§4.2 CHANGEPASSWORD_REQUEST.Impersonating");
_Static_assert(sizeof(MSV1_0_CHANGEPASSWORD_RESPONSE) == 32, "§4.2 CHANGEPASSWORD_RESPONSE size");
_Static_assert(offsetof(MSV1_0_CHANGEPASSWORD_RESPONSE, PasswordInfoValid) == 4,
               "§4.2 CHANGEPASSWORD_RESPONSE.PasswordInfoValid");
_Static_assert(offsetof(MSV1_0_CHANGEPASSWORD_RESPONSE, DomainPasswordInfo) == 8,
               "§4.2 CHANGEPASSWORD_RESPONSE.DomainPasswordInfo");
_Static_assert(sizeof(DOMAIN_PASSWORD_INFORMATION) == 24, "§4.2 DOMAIN_PASSWORD_INFORMATION size");

_Static_assert(sizeof(MSV1_0_PASSTHROUGH_REQUEST) == 64, "§4.2 PASSTHROUGH_REQUEST size");
_Static_assert(sizeof(MSV1_0_PASSTHROUGH_RESPONSE) == 24, "§4.2 PASSTHROUGH_RESPONSE size");
/* Sizes the spec leaves out (derived with natural x64 alignment). */
_Static_assert(sizeof(MSV1_0_SUBAUTH_REQUEST) == 24, "§4.2 SUBAUTH_REQUEST x64 size (derived)");
_Static_assert(sizeof(MSV1_0_SUBAUTH_RESPONSE) == 16, "§4.2 SUBAUTH_RESPONSE x64 size (derived)");

/* §4.4 */
_Static_assert(sizeof(MSV1_0_INTERACTIVE_LOGON) == 56, "§4.4 INTERACTIVE_LOGON size");
_Static_assert(offsetof(MSV1_0_INTERACTIVE_LOGON, LogonDomainName) == 8,
               "§4.4 INTERACTIVE_LOGON.LogonDomainName");
_Static_assert(offsetof(MSV1_0_INTERACTIVE_LOGON, UserName) == 24, "§4.4 INTERACTIVE_LOGON.UserName");
_Static_assert(offsetof(MSV1_0_INTERACTIVE_LOGON, Password) == 40, "§4.4 INTERACTIVE_LOGON.Password");

_Static_assert(sizeof(MSV1_0_LM20_LOGON) == 104, "§4.4 LM20_LOGON size");
_Static_assert(offsetof(MSV1_0_LM20_LOGON, LogonDomainName) == 8, "§4.4 LM20_LOGON.LogonDomainName");
_Static_assert(offsetof(MSV1_0_LM20_LOGON, UserName) == 24, "§4.4 LM20_LOGON.UserName");
_Static_assert(offsetof(MSV1_0_LM20_LOGON, Workstation) == 40, "§4.4 LM20_LOGON.Workstation");
_Static_assert(offsetof(MSV1_0_LM20_LOGON, ChallengeToClient) == 56,
               "§4.4 LM20_LOGON.ChallengeToClient");
_Static_assert(offsetof(MSV1_0_LM20_LOGON, CaseSensitiveChallengeResponse) == 64,
               "§4.4 LM20_LOGON.CaseSensitiveChallengeResponse");
_Static_assert(offsetof(MSV1_0_LM20_LOGON, CaseInsensitiveChallengeResponse) == 80,
               "§4.4 LM20_LOGON.CaseInsensitiveChallengeResponse");
_Static_assert(offsetof(MSV1_0_LM20_LOGON, ParameterControl) == 96,
               "§4.4 LM20_LOGON.ParameterControl");

_Static_assert(sizeof(MSV1_0_SUBAUTH_LOGON) == 104, "§4.4 SUBAUTH_LOGON size");
_Static_assert(offsetof(MSV1_0_SUBAUTH_LOGON, AuthenticationInfo1) == 64,
               "§4.4 SUBAUTH_LOGON.AuthenticationInfo1 (as LM20)");
_Static_assert(offsetof(MSV1_0_SUBAUTH_LOGON, AuthenticationInfo2) == 80,
               "§4.4 SUBAUTH_LOGON.AuthenticationInfo2 (as LM20)");
_Static_assert(offsetof(MSV1_0_SUBAUTH_LOGON, ParameterControl) == 96,
               "§4.4 SUBAUTH_LOGON.ParameterControl");
_Static_assert(offsetof(MSV1_0_SUBAUTH_LOGON, SubAuthPackageId) == 100,
               "§4.4 SUBAUTH_LOGON.SubAuthPackageId");

_Static_assert(sizeof(MSV1_0_S4U_LOGON) == 40, "§4.4 S4U_LOGON size");

_Static_assert(sizeof(MSV1_0_INTERACTIVE_PROFILE) == 160, "§4.4 INTERACTIVE_PROFILE size");
_Static_assert(offsetof(MSV1_0_INTERACTIVE_PROFILE, LogonCount) == 4,
               "§4.4 INTERACTIVE_PROFILE.LogonCount");
_Static_assert(offsetof(MSV1_0_INTERACTIVE_PROFILE, BadPasswordCount) == 6,
               "§4.4 INTERACTIVE_PROFILE.BadPasswordCount");
_Static_assert(offsetof(MSV1_0_INTERACTIVE_PROFILE, LogonTime) == 8,
               "§4.4 INTERACTIVE_PROFILE.LogonTime");
_Static_assert(offsetof(MSV1_0_INTERACTIVE_PROFILE, LogoffTime) == 16,
               "§4.4 INTERACTIVE_PROFILE.LogoffTime");
_Static_assert(offsetof(MSV1_0_INTERACTIVE_PROFILE, KickOffTime) == 24,
               "§4.4 INTERACTIVE_PROFILE.KickOffTime");
_Static_assert(offsetof(MSV1_0_INTERACTIVE_PROFILE, PasswordLastSet) == 32,
               "§4.4 INTERACTIVE_PROFILE.PasswordLastSet");
_Static_assert(offsetof(MSV1_0_INTERACTIVE_PROFILE, PasswordCanChange) == 40,
               "§4.4 INTERACTIVE_PROFILE.PasswordCanChange");
_Static_assert(offsetof(MSV1_0_INTERACTIVE_PROFILE, PasswordMustChange) == 48,
               "§4.4 INTERACTIVE_PROFILE.PasswordMustChange");
_Static_assert(offsetof(MSV1_0_INTERACTIVE_PROFILE, LogonScript) == 56,
               "§4.4 INTERACTIVE_PROFILE.LogonScript");
_Static_assert(offsetof(MSV1_0_INTERACTIVE_PROFILE, HomeDirectory) == 72,
               "§4.4 INTERACTIVE_PROFILE.HomeDirectory");
_Static_assert(offsetof(MSV1_0_INTERACTIVE_PROFILE, FullName) == 88,
               "§4.4 INTERACTIVE_PROFILE.FullName");
_Static_assert(offsetof(MSV1_0_INTERACTIVE_PROFILE, ProfilePath) == 104,
               "§4.4 INTERACTIVE_PROFILE.ProfilePath");
_Static_assert(offsetof(MSV1_0_INTERACTIVE_PROFILE, HomeDirectoryDrive) == 120,
               "§4.4 INTERACTIVE_PROFILE.HomeDirectoryDrive");
_Static_assert(offsetof(MSV1_0_INTERACTIVE_PROFILE, LogonServer) == 136,
               "§4.4 INTERACTIVE_PROFILE.LogonServer");
_Static_assert(offsetof(MSV1_0_INTERACTIVE_PROFILE, UserFlags) == 152,
               "§4.4 INTERACTIVE_PROFILE.UserFlags");

_Static_assert(sizeof(MSV1_0_LM20_LOGON_PROFILE) == 104, "§4.4 LM20_LOGON_PROFILE size");
_Static_assert(offsetof(MSV1_0_LM20_LOGON_PROFILE, KickOffTime) == 8,
               "§4.4 LM20_LOGON_PROFILE.KickOffTime");
_Static_assert(offsetof(MSV1_0_LM20_LOGON_PROFILE, LogoffTime) == 16,
               "§4.4 LM20_LOGON_PROFILE.LogoffTime");
_Static_assert(offsetof(MSV1_0_LM20_LOGON_PROFILE, UserFlags) == 24,
               "§4.4 LM20_LOGON_PROFILE.UserFlags");
_Static_assert(offsetof(MSV1_0_LM20_LOGON_PROFILE, UserSessionKey) == 28,
               "§4.4 LM20_LOGON_PROFILE.UserSessionKey");
_Static_assert(offsetof(MSV1_0_LM20_LOGON_PROFILE, LogonDomainName) == 48,
               "§4.4 LM20_LOGON_PROFILE.LogonDomainName");
_Static_assert(offsetof(MSV1_0_LM20_LOGON_PROFILE, LanmanSessionKey) == 64,
               "§4.4 LM20_LOGON_PROFILE.LanmanSessionKey");
_Static_assert(offsetof(MSV1_0_LM20_LOGON_PROFILE, LogonServer) == 72,
               "§4.4 LM20_LOGON_PROFILE.LogonServer");
_Static_assert(offsetof(MSV1_0_LM20_LOGON_PROFILE, UserParameters) == 88,
               "§4.4 LM20_LOGON_PROFILE.UserParameters");

/* SDK structures beyond the spec (derived; the NTLM3 head matches the NTLMv2 blob). */
_Static_assert(sizeof(MSV1_0_SUPPLEMENTAL_CREDENTIAL) == 40, "SUPPLEMENTAL_CREDENTIAL size (derived)");
_Static_assert(offsetof(MSV1_0_NTLM3_RESPONSE, TimeStamp) == 24, "NTLM3_RESPONSE.TimeStamp (derived)");
_Static_assert(offsetof(MSV1_0_NTLM3_RESPONSE, ChallengeFromClient) == 32,
               "NTLM3_RESPONSE.ChallengeFromClient (derived)");
_Static_assert(offsetof(MSV1_0_NTLM3_RESPONSE, Buffer) == 44, "NTLM3_RESPONSE.Buffer (derived)");
_Static_assert(sizeof(MSV1_0_AV_PAIR) == 4, "AV_PAIR size (derived)");


#ifdef __cplusplus
}
#endif

#endif /* LSA_NTSECAPI_MSV1_0_H */
