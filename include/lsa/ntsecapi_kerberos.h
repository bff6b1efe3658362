/*
 * <lsa/ntsecapi_kerberos.h> - the Kerberos authentication package interface:
 * LsaLogonUser submit buffers and profiles, LsaCallAuthenticationPackage messages
 * (ticket cache, passwords, credentials, binding cache, policy), encryption types and
 * ticket flags, with the Windows names, values and x64 layouts of ntsecapi.h.
 *
 *   spec/lsa-api.md §5      KERBEROS_VERSION / KERBEROS_REVISION
 *   spec/lsa-api.md §5.1    KERB_PROTOCOL_MESSAGE_TYPE (mingw/SDK numbering: Pin = 30,
 *                           Unpin = 31, QueryDomainExtendedPolicies = 32; §7.1)
 *   spec/lsa-api.md §5.2    KERB_LOGON_SUBMIT_TYPE, KERB_PROFILE_BUFFER_TYPE
 *   spec/lsa-api.md §5.3    logon and profile structures, certificate / CSP structures
 *   spec/lsa-api.md §5.4    ticket-cache and other message structures, cache options,
 *                           encryption types, ticket flags
 *
 * KERB_TICKET_CACHE_INFO_EX2 carries SessionKeyType and BranchId as in the Windows SDK
 * (mingw-w64 has only SessionKeyType); the two layouts have the same size and offsets,
 * and EX3 = EX2 + CacheFlags + KdcCalled either way.  KERB_PIN_KDC_REQUEST and
 * KERB_UNPIN_ALL_KDCS_REQUEST are unofficial (§8).
 *
 * Included by <lsa/ntsecapi.h>.  Every size and offset the spec gives is asserted
 * below, so a layout drift is a build error.
 */
#ifndef LSA_NTSECAPI_KERBEROS_H
#define LSA_NTSECAPI_KERBEROS_H

#include <lsa/ntdef.h>
#include <lsa/winnt.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef ANYSIZE_ARRAY
#define ANYSIZE_ARRAY 1
#endif

/* SSPI handle (also in <lsa/sspi.h>, same guard, identical definition). */
#ifndef LSA_SECHANDLE_DEFINED
#define LSA_SECHANDLE_DEFINED
typedef struct _SecHandle {
    ULONG_PTR dwLower;
    ULONG_PTR dwUpper;
} SecHandle, *PSecHandle;
#endif

/* ---- §5: version, encryption and checksum types, name types ------------------------- */

#define KERBEROS_VERSION 5
#define KERBEROS_REVISION 6

/* Encryption types (LONG).  Values above 127 are reserved for local use; the negative
 * ones are Microsoft-private. */
#define KERB_ETYPE_NULL 0
#define KERB_ETYPE_DES_CBC_CRC 1
#define KERB_ETYPE_DES_CBC_MD4 2
#define KERB_ETYPE_DES_CBC_MD5 3
#define KERB_ETYPE_DES3_CBC_MD5 5
#define KERB_ETYPE_DES3_CBC_SHA1 7
#define KERB_ETYPE_DES3_CBC_SHA1_KD 16
#define KERB_ETYPE_AES128_CTS_HMAC_SHA1_96 17
#define KERB_ETYPE_AES256_CTS_HMAC_SHA1_96 18
#define KERB_ETYPE_AES128_CTS_HMAC_SHA256 19 /* RFC 8009 */
#define KERB_ETYPE_AES256_CTS_HMAC_SHA384 20 /* RFC 8009; same number as DES_CBC_MD5_NT */
#define KERB_ETYPE_DES_CBC_MD5_NT 20
#define KERB_ETYPE_RC4_HMAC_NT 23
#define KERB_ETYPE_RC4_HMAC_NT_EXP 24

#define KERB_ETYPE_RC4_MD4 -128
#define KERB_ETYPE_RC4_PLAIN2 -129
#define KERB_ETYPE_RC4_LM -130
#define KERB_ETYPE_RC4_SHA -131
#define KERB_ETYPE_DES_PLAIN -132
#define KERB_ETYPE_RC4_HMAC_OLD -133
#define KERB_ETYPE_RC4_PLAIN_OLD -134
#define KERB_ETYPE_RC4_HMAC_OLD_EXP -135
#define KERB_ETYPE_RC4_PLAIN_OLD_EXP -136
#define KERB_ETYPE_RC4_PLAIN -140
#define KERB_ETYPE_RC4_PLAIN_EXP -141
#define KERB_ETYPE_AES128_CTS_HMAC_SHA1_96_PLAIN -148
#define KERB_ETYPE_AES256_CTS_HMAC_SHA1_96_PLAIN -149

/* PKINIT (CMS) algorithm identifiers sharing the etype number space. */
#define KERB_ETYPE_DSA_SHA1_CMS 9
#define KERB_ETYPE_RSA_MD5_CMS 10
#define KERB_ETYPE_RSA_SHA1_CMS 11
#define KERB_ETYPE_RC2_CBC_ENV 12
#define KERB_ETYPE_RSA_ENV 13
#define KERB_ETYPE_RSA_ES_OEAP_ENV 14
#define KERB_ETYPE_DES_EDE3_CBC_ENV 15
#define KERB_ETYPE_DSA_SIGN 8
#define KERB_ETYPE_RSA_PRIV 9
#define KERB_ETYPE_RSA_PUB 10
#define KERB_ETYPE_RSA_PUB_MD5 11
#define KERB_ETYPE_RSA_PUB_SHA1 12
#define KERB_ETYPE_PKCS7_PUB 13

#define KERB_ETYPE_DEFAULT 0x0 /* KERB_RETRIEVE_TKT_REQUEST.EncryptionType: any */

#define KERB_CHECKSUM_NONE 0
#define KERB_CHECKSUM_CRC32 1
#define KERB_CHECKSUM_MD4 2
#define KERB_CHECKSUM_KRB_DES_MAC 4
#define KERB_CHECKSUM_KRB_DES_MAC_K 5
#define KERB_CHECKSUM_MD5 7
#define KERB_CHECKSUM_MD5_DES 8
#define KERB_CHECKSUM_SHA1_NEW 14
#define KERB_CHECKSUM_HMAC_SHA1_96_AES128 15
#define KERB_CHECKSUM_HMAC_SHA1_96_AES256 16
#define KERB_CHECKSUM_LM -130
#define KERB_CHECKSUM_SHA1 -131
#define KERB_CHECKSUM_REAL_CRC32 -132
#define KERB_CHECKSUM_DES_MAC -133
#define KERB_CHECKSUM_DES_MAC_MD5 -134
#define KERB_CHECKSUM_MD25 -135
#define KERB_CHECKSUM_RC4_MD5 -136
#define KERB_CHECKSUM_MD5_HMAC -137
#define KERB_CHECKSUM_HMAC_MD5 -138
#define KERB_CHECKSUM_SHA256 -139
#define KERB_CHECKSUM_SHA384 -140
#define KERB_CHECKSUM_SHA512 -141
#define KERB_CHECKSUM_HMAC_SHA1_96_AES128_Ki -150
#define KERB_CHECKSUM_HMAC_SHA1_96_AES256_Ki -151

/* Principal name types (KERB_EXTERNAL_NAME.NameType). */
#define KRB_NT_UNKNOWN 0
#define KRB_NT_PRINCIPAL 1
#define KRB_NT_PRINCIPAL_AND_ID -131
#define KRB_NT_SRV_INST 2
#define KRB_NT_SRV_INST_AND_ID -132
#define KRB_NT_SRV_HST 3
#define KRB_NT_SRV_XHST 4
#define KRB_NT_UID 5
#define KRB_NT_X500_PRINCIPAL 6
#define KRB_NT_ENTERPRISE_PRINCIPAL 10
#define KRB_NT_WELLKNOWN 11
#define KRB_NT_ENT_PRINCIPAL_AND_ID -130
#define KRB_NT_MS_PRINCIPAL -128
#define KRB_NT_MS_PRINCIPAL_AND_ID -129
#define KRB_NT_MS_BRANCH_ID -133

#define KERB_IS_MS_PRINCIPAL(_x_) (((_x_) <= KRB_NT_MS_PRINCIPAL) || ((_x_) >= KRB_NT_ENTERPRISE_PRINCIPAL))

/* EncryptMessage QOP: produce header/trailer without encrypting. */
#define KERB_WRAP_NO_ENCRYPT 0x80000001

/* Ticket flags (KERB_TICKET_CACHE_INFO*.TicketFlags, KERB_EXTERNAL_TICKET.TicketFlags).
 * Duplicates are as in the SDK (§7.11). */
#define KERB_TICKET_FLAGS_reserved 0x80000000
#define KERB_TICKET_FLAGS_forwardable 0x40000000
#define KERB_TICKET_FLAGS_forwarded 0x20000000
#define KERB_TICKET_FLAGS_proxiable 0x10000000
#define KERB_TICKET_FLAGS_proxy 0x08000000
#define KERB_TICKET_FLAGS_may_postdate 0x04000000
#define KERB_TICKET_FLAGS_postdated 0x02000000
#define KERB_TICKET_FLAGS_invalid 0x01000000
#define KERB_TICKET_FLAGS_renewable 0x00800000
#define KERB_TICKET_FLAGS_initial 0x00400000
#define KERB_TICKET_FLAGS_pre_authent 0x00200000
#define KERB_TICKET_FLAGS_hw_authent 0x00100000
#define KERB_TICKET_FLAGS_ok_as_delegate 0x00040000
#define KERB_TICKET_FLAGS_cname_in_pa_data 0x00040000 /* XP headers only */
#define KERB_TICKET_FLAGS_name_canonicalize 0x00010000
#define KERB_TICKET_FLAGS_enc_pa_rep 0x00010000
#define KERB_TICKET_FLAGS_reserved1 0x00000001

/* ---- §5.2: submit and profile types ------------------------------------------------- */

typedef enum _KERB_LOGON_SUBMIT_TYPE {
    KerbInteractiveLogon = 2,
    KerbSmartCardLogon = 6,
    KerbWorkstationUnlockLogon = 7,
    KerbSmartCardUnlockLogon = 8,
    KerbProxyLogon = 9,
    KerbTicketLogon = 10,
    KerbTicketUnlockLogon = 11,
    KerbS4ULogon = 12,
    KerbCertificateLogon = 13,
    KerbCertificateS4ULogon = 14,
    KerbCertificateUnlockLogon = 15,
    KerbNoElevationLogon = 83,
    KerbLuidLogon = 84
} KERB_LOGON_SUBMIT_TYPE, *PKERB_LOGON_SUBMIT_TYPE;

typedef enum _KERB_PROFILE_BUFFER_TYPE {
    KerbInteractiveProfile = 2,
    KerbSmartCardProfile = 4,
    KerbTicketProfile = 6
} KERB_PROFILE_BUFFER_TYPE, *PKERB_PROFILE_BUFFER_TYPE;

/* ---- §5.1: LsaCallAuthenticationPackage message types -------------------------------- */

typedef enum _KERB_PROTOCOL_MESSAGE_TYPE {
    KerbDebugRequestMessage = 0,
    KerbQueryTicketCacheMessage = 1,
    KerbChangeMachinePasswordMessage = 2,
    KerbVerifyPacMessage = 3,
    KerbRetrieveTicketMessage = 4,
    KerbUpdateAddressesMessage = 5,
    KerbPurgeTicketCacheMessage = 6,
    KerbChangePasswordMessage = 7,
    KerbRetrieveEncodedTicketMessage = 8,
    KerbDecryptDataMessage = 9,
    KerbAddBindingCacheEntryMessage = 10,
    KerbSetPasswordMessage = 11,
    KerbSetPasswordExMessage = 12,
    KerbVerifyCredentialsMessage = 13,
    KerbQueryTicketCacheExMessage = 14,
    KerbPurgeTicketCacheExMessage = 15,
    KerbRefreshSmartcardCredentialsMessage = 16,
    KerbAddExtraCredentialsMessage = 17,
    KerbQuerySupplementalCredentialsMessage = 18,
    KerbTransferCredentialsMessage = 19,
    KerbQueryTicketCacheEx2Message = 20,
    KerbSubmitTicketMessage = 21,
    KerbAddExtraCredentialsExMessage = 22,
    KerbQueryKdcProxyCacheMessage = 23,
    KerbPurgeKdcProxyCacheMessage = 24,
    KerbQueryTicketCacheEx3Message = 25,
    KerbCleanupMachinePkinitCredsMessage = 26,
    KerbAddBindingCacheEntryExMessage = 27,
    KerbQueryBindingCacheMessage = 28,
    KerbPurgeBindingCacheMessage = 29,
    KerbPinKdcMessage = 30,
    KerbUnpinAllKdcsMessage = 31,
    KerbQueryDomainExtendedPoliciesMessage = 32,
    KerbQueryS4U2ProxyCacheMessage = 33,
    KerbRetrieveKeyTabMessage = 34,
    KerbRefreshPolicyMessage = 35,
    KerbPrintCloudKerberosDebugMessage = 36
} KERB_PROTOCOL_MESSAGE_TYPE, *PKERB_PROTOCOL_MESSAGE_TYPE;

/* ---- §5.3: LsaLogonUser submit buffers ---------------------------------------------- */

typedef struct _KERB_INTERACTIVE_LOGON {
    KERB_LOGON_SUBMIT_TYPE MessageType;
    UNICODE_STRING LogonDomainName;
    UNICODE_STRING UserName;
    UNICODE_STRING Password;
} KERB_INTERACTIVE_LOGON, *PKERB_INTERACTIVE_LOGON;

typedef struct _KERB_INTERACTIVE_UNLOCK_LOGON {
    KERB_INTERACTIVE_LOGON Logon;
    LUID LogonId;
} KERB_INTERACTIVE_UNLOCK_LOGON, *PKERB_INTERACTIVE_UNLOCK_LOGON;

typedef struct _KERB_SMART_CARD_LOGON {
    KERB_LOGON_SUBMIT_TYPE MessageType;
    UNICODE_STRING Pin;
    ULONG CspDataLength;
    PUCHAR CspData;
} KERB_SMART_CARD_LOGON, *PKERB_SMART_CARD_LOGON;

typedef struct _KERB_SMART_CARD_UNLOCK_LOGON {
    KERB_SMART_CARD_LOGON Logon;
    LUID LogonId;
} KERB_SMART_CARD_UNLOCK_LOGON, *PKERB_SMART_CARD_UNLOCK_LOGON;

#define KERB_CERTIFICATE_LOGON_FLAG_CHECK_DUPLICATES 0x1
#define KERB_CERTIFICATE_LOGON_FLAG_USE_CERTIFICATE_INFO 0x2

/* The structure and the data of DomainName, UserName, Pin and CspData form one block;
 * the Buffer / CspData members hold offsets from the start of the structure (§5.3). */
typedef struct _KERB_CERTIFICATE_LOGON {
    KERB_LOGON_SUBMIT_TYPE MessageType;
    UNICODE_STRING DomainName;
    UNICODE_STRING UserName;
    UNICODE_STRING Pin;
    ULONG Flags;
    ULONG CspDataLength;
    PUCHAR CspData;
} KERB_CERTIFICATE_LOGON, *PKERB_CERTIFICATE_LOGON;

typedef struct _KERB_CERTIFICATE_UNLOCK_LOGON {
    KERB_CERTIFICATE_LOGON Logon;
    LUID LogonId;
} KERB_CERTIFICATE_UNLOCK_LOGON, *PKERB_CERTIFICATE_UNLOCK_LOGON;

#define KERB_CERTIFICATE_S4U_LOGON_FLAG_CHECK_DUPLICATES 0x1
#define KERB_CERTIFICATE_S4U_LOGON_FLAG_CHECK_LOGONHOURS 0x2
#define KERB_CERTIFICATE_S4U_LOGON_FLAG_FAIL_IF_NT_AUTH_POLICY_REQUIRED 0x4
#define KERB_CERTIFICATE_S4U_LOGON_FLAG_IDENTIFY 0x8

typedef struct _KERB_CERTIFICATE_S4U_LOGON {
    KERB_LOGON_SUBMIT_TYPE MessageType;
    ULONG Flags;
    UNICODE_STRING UserPrincipalName;
    UNICODE_STRING DomainName;
    ULONG CertificateLength;
    PUCHAR Certificate;
} KERB_CERTIFICATE_S4U_LOGON, *PKERB_CERTIFICATE_S4U_LOGON;

#define KERB_S4U_LOGON_FLAG_CHECK_LOGONHOURS 0x2
#define KERB_S4U_LOGON_FLAG_IDENTIFY 0x8

typedef struct _KERB_S4U_LOGON {
    KERB_LOGON_SUBMIT_TYPE MessageType;
    ULONG Flags;
    UNICODE_STRING ClientUpn;
    UNICODE_STRING ClientRealm;
} KERB_S4U_LOGON, *PKERB_S4U_LOGON;

#define KERB_LOGON_FLAG_ALLOW_EXPIRED_TICKET 0x1
#define KERB_LOGON_FLAG_REDIRECTED 0x2

typedef struct _KERB_TICKET_LOGON {
    KERB_LOGON_SUBMIT_TYPE MessageType;
    ULONG Flags;
    ULONG ServiceTicketLength;
    ULONG TicketGrantingTicketLength;
    PUCHAR ServiceTicket;        /* KRB_TICKET (ASN.1) */
    PUCHAR TicketGrantingTicket; /* KRB_CRED (ASN.1), optional */
} KERB_TICKET_LOGON, *PKERB_TICKET_LOGON;

typedef struct _KERB_TICKET_UNLOCK_LOGON {
    KERB_TICKET_LOGON Logon;
    LUID LogonId;
} KERB_TICKET_UNLOCK_LOGON, *PKERB_TICKET_UNLOCK_LOGON;

/* CspData of KERB_CERTIFICATE_LOGON / KERB_SMART_CARD_LOGON.  The n*Offset members
 * count WCHARs from bBuffer; TCHAR is WCHAR here.  Sources disagree on the packing
 * (natural, pack(2), pack(1)): every member offset is the same, only sizeof differs
 * (48 natural, 42 packed), so parse with offsetof(bBuffer) and dwCspInfoLen, never
 * with sizeof(KERB_SMARTCARD_CSP_INFO). */
typedef struct _KERB_SMARTCARD_CSP_INFO {
    DWORD dwCspInfoLen;
    DWORD MessageType;
    union {
        PVOID ContextInformation;
        ULONG64 SpaceHolderForWow64;
    };
    DWORD flags;
    DWORD KeySpec;
    ULONG nCardNameOffset;
    ULONG nReaderNameOffset;
    ULONG nContainerNameOffset;
    ULONG nCSPNameOffset;
    WCHAR bBuffer;
} KERB_SMARTCARD_CSP_INFO, *PKERB_SMARTCARD_CSP_INFO;

/* CspData when KERB_CERTIFICATE_LOGON_FLAG_USE_CERTIFICATE_INFO is set. */
typedef enum _KERB_CERTIFICATE_INFO_TYPE {
    CertHashInfo = 1
} KERB_CERTIFICATE_INFO_TYPE, *PKERB_CERTIFICATE_INFO_TYPE;

typedef struct _KERB_CERTIFICATE_HASHINFO {
    USHORT StoreNameLength; /* bytes of store name (WCHARs) following this header */
    USHORT HashLength;      /* bytes of certificate hash following the store name */
} KERB_CERTIFICATE_HASHINFO, *PKERB_CERTIFICATE_HASHINFO;

typedef struct _KERB_CERTIFICATE_INFO {
    ULONG CertInfoSize; /* size of the whole marshalled info */
    ULONG InfoType;     /* KERB_CERTIFICATE_INFO_TYPE */
} KERB_CERTIFICATE_INFO, *PKERB_CERTIFICATE_INFO;

/* ---- §5.3: profiles returned by LsaLogonUser ---------------------------------------- */

typedef struct _KERB_INTERACTIVE_PROFILE {
    KERB_PROFILE_BUFFER_TYPE MessageType;
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
} KERB_INTERACTIVE_PROFILE, *PKERB_INTERACTIVE_PROFILE;

typedef struct _KERB_SMART_CARD_PROFILE {
    KERB_INTERACTIVE_PROFILE Profile;
    ULONG CertificateSize;
    PUCHAR CertificateData;
} KERB_SMART_CARD_PROFILE, *PKERB_SMART_CARD_PROFILE;

typedef struct KERB_CRYPTO_KEY {
    LONG KeyType; /* KERB_ETYPE_* */
    ULONG Length;
    PUCHAR Value;
} KERB_CRYPTO_KEY, *PKERB_CRYPTO_KEY;

typedef struct KERB_CRYPTO_KEY32 {
    LONG KeyType;
    ULONG Length;
    ULONG Offset; /* from the start of the enclosing message */
} KERB_CRYPTO_KEY32, *PKERB_CRYPTO_KEY32;

typedef struct _KERB_TICKET_PROFILE {
    KERB_INTERACTIVE_PROFILE Profile;
    KERB_CRYPTO_KEY SessionKey;
} KERB_TICKET_PROFILE, *PKERB_TICKET_PROFILE;

/* ---- §5.4: ticket cache ------------------------------------------------------------- */

/* KerbQueryTicketCache(Ex/Ex2/Ex3)Message and KerbRetrieveTicketMessage request.
 * LogonId 0 = the caller's session; another session needs TCB. */
typedef struct _KERB_QUERY_TKT_CACHE_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    LUID LogonId;
} KERB_QUERY_TKT_CACHE_REQUEST, *PKERB_QUERY_TKT_CACHE_REQUEST;

typedef struct _KERB_TICKET_CACHE_INFO {
    UNICODE_STRING ServerName;
    UNICODE_STRING RealmName;
    LARGE_INTEGER StartTime;
    LARGE_INTEGER EndTime;
    LARGE_INTEGER RenewTime;
    LONG EncryptionType;
    ULONG TicketFlags;
} KERB_TICKET_CACHE_INFO, *PKERB_TICKET_CACHE_INFO;

typedef struct _KERB_TICKET_CACHE_INFO_EX {
    UNICODE_STRING ClientName;
    UNICODE_STRING ClientRealm;
    UNICODE_STRING ServerName;
    UNICODE_STRING ServerRealm;
    LARGE_INTEGER StartTime;
    LARGE_INTEGER EndTime;
    LARGE_INTEGER RenewTime;
    LONG EncryptionType;
    ULONG TicketFlags;
} KERB_TICKET_CACHE_INFO_EX, *PKERB_TICKET_CACHE_INFO_EX;

typedef struct _KERB_TICKET_CACHE_INFO_EX2 {
    UNICODE_STRING ClientName;
    UNICODE_STRING ClientRealm;
    UNICODE_STRING ServerName;
    UNICODE_STRING ServerRealm;
    LARGE_INTEGER StartTime;
    LARGE_INTEGER EndTime;
    LARGE_INTEGER RenewTime;
    LONG EncryptionType;
    ULONG TicketFlags;
    /* new in EX2 */
    ULONG SessionKeyType;
    ULONG BranchId;
} KERB_TICKET_CACHE_INFO_EX2, *PKERB_TICKET_CACHE_INFO_EX2;

typedef struct _KERB_TICKET_CACHE_INFO_EX3 {
    UNICODE_STRING ClientName;
    UNICODE_STRING ClientRealm;
    UNICODE_STRING ServerName;
    UNICODE_STRING ServerRealm;
    LARGE_INTEGER StartTime;
    LARGE_INTEGER EndTime;
    LARGE_INTEGER RenewTime;
    LONG EncryptionType;
    ULONG TicketFlags;
    ULONG SessionKeyType;
    ULONG BranchId;
    /* new in EX3 */
    ULONG CacheFlags;
    UNICODE_STRING KdcCalled;
} KERB_TICKET_CACHE_INFO_EX3, *PKERB_TICKET_CACHE_INFO_EX3;

/* The responses: CountOfTickets entries of Tickets[], strings after the array. */
typedef struct _KERB_QUERY_TKT_CACHE_RESPONSE {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG CountOfTickets;
    KERB_TICKET_CACHE_INFO Tickets[ANYSIZE_ARRAY];
} KERB_QUERY_TKT_CACHE_RESPONSE, *PKERB_QUERY_TKT_CACHE_RESPONSE;

typedef struct _KERB_QUERY_TKT_CACHE_EX_RESPONSE {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG CountOfTickets;
    KERB_TICKET_CACHE_INFO_EX Tickets[ANYSIZE_ARRAY];
} KERB_QUERY_TKT_CACHE_EX_RESPONSE, *PKERB_QUERY_TKT_CACHE_EX_RESPONSE;

typedef struct _KERB_QUERY_TKT_CACHE_EX2_RESPONSE {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG CountOfTickets;
    KERB_TICKET_CACHE_INFO_EX2 Tickets[ANYSIZE_ARRAY];
} KERB_QUERY_TKT_CACHE_EX2_RESPONSE, *PKERB_QUERY_TKT_CACHE_EX2_RESPONSE;

typedef struct _KERB_QUERY_TKT_CACHE_EX3_RESPONSE {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG CountOfTickets;
    KERB_TICKET_CACHE_INFO_EX3 Tickets[ANYSIZE_ARRAY];
} KERB_QUERY_TKT_CACHE_EX3_RESPONSE, *PKERB_QUERY_TKT_CACHE_EX3_RESPONSE;

/* KERB_RETRIEVE_TKT_REQUEST.TicketFlags / CacheOptions (§5.4). */
#define KERB_USE_DEFAULT_TICKET_FLAGS 0x0
#define KERB_RETRIEVE_TICKET_DEFAULT 0x0
#define KERB_RETRIEVE_TICKET_DONT_USE_CACHE 0x1
#define KERB_RETRIEVE_TICKET_USE_CACHE_ONLY 0x2
#define KERB_RETRIEVE_TICKET_USE_CREDHANDLE 0x4
#define KERB_RETRIEVE_TICKET_AS_KERB_CRED 0x8
#define KERB_RETRIEVE_TICKET_WITH_SEC_CRED 0x10
#define KERB_RETRIEVE_TICKET_CACHE_TICKET 0x20
#define KERB_RETRIEVE_TICKET_MAX_LIFETIME 0x40

typedef struct _KERB_AUTH_DATA {
    ULONG Type;
    ULONG Length;
    PUCHAR Data;
} KERB_AUTH_DATA, *PKERB_AUTH_DATA;

typedef struct _KERB_NET_ADDRESS {
    ULONG Family;
    ULONG Length;
    PCHAR Address;
} KERB_NET_ADDRESS, *PKERB_NET_ADDRESS;

typedef struct _KERB_NET_ADDRESSES {
    ULONG Number;
    KERB_NET_ADDRESS Addresses[ANYSIZE_ARRAY];
} KERB_NET_ADDRESSES, *PKERB_NET_ADDRESSES;

typedef struct _KERB_EXTERNAL_NAME {
    SHORT NameType; /* KRB_NT_* */
    USHORT NameCount;
    UNICODE_STRING Names[ANYSIZE_ARRAY];
} KERB_EXTERNAL_NAME, *PKERB_EXTERNAL_NAME;

typedef struct _KERB_EXTERNAL_TICKET {
    PKERB_EXTERNAL_NAME ServiceName;
    PKERB_EXTERNAL_NAME TargetName;
    PKERB_EXTERNAL_NAME ClientName;
    UNICODE_STRING DomainName;
    UNICODE_STRING TargetDomainName;
    UNICODE_STRING AltTargetDomainName;
    KERB_CRYPTO_KEY SessionKey;
    ULONG TicketFlags;
    ULONG Flags;
    LARGE_INTEGER KeyExpirationTime;
    LARGE_INTEGER StartTime;
    LARGE_INTEGER EndTime;
    LARGE_INTEGER RenewUntil;
    LARGE_INTEGER TimeSkew;
    ULONG EncodedTicketSize;
    PUCHAR EncodedTicket;
} KERB_EXTERNAL_TICKET, *PKERB_EXTERNAL_TICKET;

/* KerbRetrieveEncodedTicketMessage */
typedef struct _KERB_RETRIEVE_TKT_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    LUID LogonId;
    UNICODE_STRING TargetName;
    ULONG TicketFlags;
    ULONG CacheOptions;
    LONG EncryptionType;
    SecHandle CredentialsHandle;
} KERB_RETRIEVE_TKT_REQUEST, *PKERB_RETRIEVE_TKT_REQUEST;

/* Reply of KerbRetrieveEncodedTicketMessage and KerbRetrieveTicketMessage. */
typedef struct _KERB_RETRIEVE_TKT_RESPONSE {
    KERB_EXTERNAL_TICKET Ticket;
} KERB_RETRIEVE_TKT_RESPONSE, *PKERB_RETRIEVE_TKT_RESPONSE;

/* KerbPurgeTicketCacheMessage: both names empty = every ticket of the session. */
typedef struct _KERB_PURGE_TKT_CACHE_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    LUID LogonId;
    UNICODE_STRING ServerName;
    UNICODE_STRING RealmName;
} KERB_PURGE_TKT_CACHE_REQUEST, *PKERB_PURGE_TKT_CACHE_REQUEST;

#define KERB_PURGE_ALL_TICKETS 1

/* KerbPurgeTicketCacheExMessage */
typedef struct _KERB_PURGE_TKT_CACHE_EX_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    LUID LogonId;
    ULONG Flags;
    KERB_TICKET_CACHE_INFO_EX TicketTemplate;
} KERB_PURGE_TKT_CACHE_EX_REQUEST, *PKERB_PURGE_TKT_CACHE_EX_REQUEST;

/* KerbSubmitTicketMessage: a KRB-CRED at KerbCredOffset, optionally its key. */
typedef struct _KERB_SUBMIT_TKT_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    LUID LogonId;
    ULONG Flags;
    KERB_CRYPTO_KEY32 Key;
    ULONG KerbCredSize;
    ULONG KerbCredOffset;
} KERB_SUBMIT_TKT_REQUEST, *PKERB_SUBMIT_TKT_REQUEST;

/* KerbQueryKdcProxyCacheMessage / KerbPurgeKdcProxyCacheMessage */
typedef struct _KERB_QUERY_KDC_PROXY_CACHE_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG Flags;
    LUID LogonId;
} KERB_QUERY_KDC_PROXY_CACHE_REQUEST, *PKERB_QUERY_KDC_PROXY_CACHE_REQUEST;

typedef struct _KDC_PROXY_CACHE_ENTRY_DATA {
    ULONG64 SinceLastUsed;
    UNICODE_STRING DomainName;
    UNICODE_STRING ProxyServerName;
    UNICODE_STRING ProxyServerVdir;
    USHORT ProxyServerPort;
    LUID LogonId;
    UNICODE_STRING CredUserName;
    UNICODE_STRING CredDomainName;
    BOOLEAN GlobalCache;
} KDC_PROXY_CACHE_ENTRY_DATA, *PKDC_PROXY_CACHE_ENTRY_DATA;

typedef struct _KERB_QUERY_KDC_PROXY_CACHE_RESPONSE {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG CountOfEntries;
    PKDC_PROXY_CACHE_ENTRY_DATA Entries;
} KERB_QUERY_KDC_PROXY_CACHE_RESPONSE, *PKERB_QUERY_KDC_PROXY_CACHE_RESPONSE;

typedef struct _KERB_PURGE_KDC_PROXY_CACHE_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG Flags;
    LUID LogonId;
} KERB_PURGE_KDC_PROXY_CACHE_REQUEST, *PKERB_PURGE_KDC_PROXY_CACHE_REQUEST;

typedef struct _KERB_PURGE_KDC_PROXY_CACHE_RESPONSE {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG CountOfPurged;
} KERB_PURGE_KDC_PROXY_CACHE_RESPONSE, *PKERB_PURGE_KDC_PROXY_CACHE_RESPONSE;

/* KerbQueryS4U2ProxyCacheMessage */
#define KERB_S4U2PROXY_CACHE_ENTRY_INFO_FLAG_NEGATIVE 0x1

typedef struct _KERB_S4U2PROXY_CACHE_ENTRY_INFO {
    UNICODE_STRING ServerName;
    ULONG Flags;
    NTSTATUS LastStatus;
    LARGE_INTEGER Expiry;
} KERB_S4U2PROXY_CACHE_ENTRY_INFO, *PKERB_S4U2PROXY_CACHE_ENTRY_INFO;

#define KERB_S4U2PROXY_CRED_FLAG_NEGATIVE 0x1

typedef struct _KERB_S4U2PROXY_CRED {
    UNICODE_STRING UserName;
    UNICODE_STRING DomainName;
    ULONG Flags;
    NTSTATUS LastStatus;
    LARGE_INTEGER Expiry;
    ULONG CountOfEntries;
    PKERB_S4U2PROXY_CACHE_ENTRY_INFO Entries;
} KERB_S4U2PROXY_CRED, *PKERB_S4U2PROXY_CRED;

typedef struct _KERB_QUERY_S4U2PROXY_CACHE_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG Flags;
    LUID LogonId;
} KERB_QUERY_S4U2PROXY_CACHE_REQUEST, *PKERB_QUERY_S4U2PROXY_CACHE_REQUEST;

typedef struct _KERB_QUERY_S4U2PROXY_CACHE_RESPONSE {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG CountOfCreds;
    PKERB_S4U2PROXY_CRED Creds;
} KERB_QUERY_S4U2PROXY_CACHE_RESPONSE, *PKERB_QUERY_S4U2PROXY_CACHE_RESPONSE;

/* KerbCleanupMachinePkinitCredsMessage: LogonId is SYSTEM or NETWORK SERVICE. */
typedef struct _KERB_CLEANUP_MACHINE_PKINIT_CREDS_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    LUID LogonId;
} KERB_CLEANUP_MACHINE_PKINIT_CREDS_REQUEST, *PKERB_CLEANUP_MACHINE_PKINIT_CREDS_REQUEST;

/* ---- §5.4: passwords ---------------------------------------------------------------- */

/* KerbChangePasswordMessage */
typedef struct _KERB_CHANGEPASSWORD_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    UNICODE_STRING DomainName;
    UNICODE_STRING AccountName;
    UNICODE_STRING OldPassword;
    UNICODE_STRING NewPassword;
    BOOLEAN Impersonating;
} KERB_CHANGEPASSWORD_REQUEST, *PKERB_CHANGEPASSWORD_REQUEST;

/* KerbSetPasswordMessage / KerbSetPasswordExMessage */
#define KERB_SETPASS_USE_LOGONID 1
#define KERB_SETPASS_USE_CREDHANDLE 2
#define DS_UNKNOWN_ADDRESS_TYPE 0 /* KdcAddressType */

typedef struct _KERB_SETPASSWORD_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    LUID LogonId;
    SecHandle CredentialsHandle;
    ULONG Flags;
    UNICODE_STRING DomainName;
    UNICODE_STRING AccountName;
    UNICODE_STRING Password;
} KERB_SETPASSWORD_REQUEST, *PKERB_SETPASSWORD_REQUEST;

typedef struct _KERB_SETPASSWORD_EX_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    LUID LogonId;
    SecHandle CredentialsHandle;
    ULONG Flags;
    UNICODE_STRING AccountRealm;
    UNICODE_STRING AccountName;
    UNICODE_STRING Password;
    UNICODE_STRING ClientRealm;
    UNICODE_STRING ClientName;
    BOOLEAN Impersonating;
    UNICODE_STRING KdcAddress;
    ULONG KdcAddressType;
} KERB_SETPASSWORD_EX_REQUEST, *PKERB_SETPASSWORD_EX_REQUEST;

/* KerbRetrieveKeyTabMessage: a keytab built from user / domain / password. */
typedef struct _KERB_RETRIEVE_KEY_TAB_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG Flags;
    UNICODE_STRING UserName;
    UNICODE_STRING DomainName;
    UNICODE_STRING Password;
} KERB_RETRIEVE_KEY_TAB_REQUEST, *PKERB_RETRIEVE_KEY_TAB_REQUEST;

typedef struct _KERB_RETRIEVE_KEY_TAB_RESPONSE {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG KeyTabLength;
    PUCHAR KeyTab;
} KERB_RETRIEVE_KEY_TAB_RESPONSE, *PKERB_RETRIEVE_KEY_TAB_RESPONSE;

/* ---- §5.4: credentials -------------------------------------------------------------- */

/* KerbDecryptDataMessage */
#define KERB_DECRYPT_FLAG_DEFAULT_KEY 0x00000001

typedef struct _KERB_DECRYPT_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    LUID LogonId;
    ULONG Flags;
    LONG CryptoType;
    LONG KeyUsage;
    KERB_CRYPTO_KEY Key;
    ULONG EncryptedDataSize;
    ULONG InitialVectorSize;
    PUCHAR InitialVector;
    PUCHAR EncryptedData;
} KERB_DECRYPT_REQUEST, *PKERB_DECRYPT_REQUEST;

typedef struct _KERB_DECRYPT_RESPONSE {
    UCHAR DecryptedData[ANYSIZE_ARRAY];
} KERB_DECRYPT_RESPONSE, *PKERB_DECRYPT_RESPONSE;

/* KerbRefreshSmartcardCredentialsMessage */
#define KERB_REFRESH_SCCRED_RELEASE 0x0
#define KERB_REFRESH_SCCRED_GETTGT 0x1

typedef struct _KERB_REFRESH_SCCRED_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    UNICODE_STRING CredentialBlob; /* marshalled CSP info */
    LUID LogonId;
    ULONG Flags;
} KERB_REFRESH_SCCRED_REQUEST, *PKERB_REFRESH_SCCRED_REQUEST;

/* KerbAddExtraCredentialsMessage / KerbAddExtraCredentialsExMessage */
#define KERB_REQUEST_ADD_CREDENTIAL 1
#define KERB_REQUEST_REPLACE_CREDENTIAL 2
#define KERB_REQUEST_REMOVE_CREDENTIAL 4
#define KERB_REQUEST_CRED_LOCAL_ACCOUNT 8

typedef struct _KERB_ADD_CREDENTIALS_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    UNICODE_STRING UserName;
    UNICODE_STRING DomainName;
    UNICODE_STRING Password;
    LUID LogonId;
    ULONG Flags;
} KERB_ADD_CREDENTIALS_REQUEST, *PKERB_ADD_CREDENTIALS_REQUEST;

typedef struct _KERB_ADD_CREDENTIALS_REQUEST_EX {
    KERB_ADD_CREDENTIALS_REQUEST Credentials;
    ULONG PrincipalNameCount;
    UNICODE_STRING PrincipalNames[ANYSIZE_ARRAY];
} KERB_ADD_CREDENTIALS_REQUEST_EX, *PKERB_ADD_CREDENTIALS_REQUEST_EX;

/* KerbTransferCredentialsMessage */
#define KERB_TRANSFER_CRED_WITH_TICKETS 0x1
#define KERB_TRANSFER_CRED_CLEANUP_CREDENTIALS 0x2

typedef struct _KERB_TRANSFER_CRED_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    LUID OriginLogonId;
    LUID DestinationLogonId;
    ULONG Flags;
} KERB_TRANSFER_CRED_REQUEST, *PKERB_TRANSFER_CRED_REQUEST;

/* ---- §5.4: KDC binding cache, KDC pinning, domain policy ---------------------------- */

/* KerbAddBindingCacheEntryMessage / KerbAddBindingCacheEntryExMessage */
typedef struct _KERB_ADD_BINDING_CACHE_ENTRY_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    UNICODE_STRING RealmName;
    UNICODE_STRING KdcAddress;
    ULONG AddressType; /* DS_INET_ADDRESS / DS_NETBIOS_ADDRESS */
} KERB_ADD_BINDING_CACHE_ENTRY_REQUEST, *PKERB_ADD_BINDING_CACHE_ENTRY_REQUEST;

typedef struct _KERB_ADD_BINDING_CACHE_ENTRY_EX_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    UNICODE_STRING RealmName;
    UNICODE_STRING KdcAddress;
    ULONG AddressType;
    ULONG DcFlags;
} KERB_ADD_BINDING_CACHE_ENTRY_EX_REQUEST, *PKERB_ADD_BINDING_CACHE_ENTRY_EX_REQUEST;

/* KerbQueryBindingCacheMessage / KerbPurgeBindingCacheMessage */
typedef struct _KERB_BINDING_CACHE_ENTRY_DATA {
    ULONG64 DiscoveryTime;
    UNICODE_STRING RealmName;
    UNICODE_STRING KdcAddress;
    ULONG AddressType;
    ULONG Flags;
    ULONG DcFlags;
    ULONG CacheFlags;
    UNICODE_STRING KdcName;
} KERB_BINDING_CACHE_ENTRY_DATA, *PKERB_BINDING_CACHE_ENTRY_DATA;

typedef struct _KERB_QUERY_BINDING_CACHE_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
} KERB_QUERY_BINDING_CACHE_REQUEST, *PKERB_QUERY_BINDING_CACHE_REQUEST;

typedef struct _KERB_QUERY_BINDING_CACHE_RESPONSE {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG CountOfEntries;
    PKERB_BINDING_CACHE_ENTRY_DATA Entries;
} KERB_QUERY_BINDING_CACHE_RESPONSE, *PKERB_QUERY_BINDING_CACHE_RESPONSE;

typedef struct _KERB_PURGE_BINDING_CACHE_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
} KERB_PURGE_BINDING_CACHE_REQUEST, *PKERB_PURGE_BINDING_CACHE_REQUEST;

/* KerbPinKdcMessage / KerbUnpinAllKdcsMessage: no public header; layout from a
 * third-party project (spec §5.4, unofficial, §8). */
typedef struct _KERB_PIN_KDC_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG Flags;
    UNICODE_STRING Realm;
    UNICODE_STRING KdcAddress;
    ULONG DcFlags; /* DsGetDcName flags */
} KERB_PIN_KDC_REQUEST, *PKERB_PIN_KDC_REQUEST;

typedef struct _KERB_UNPIN_ALL_KDCS_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG Flags;
} KERB_UNPIN_ALL_KDCS_REQUEST, *PKERB_UNPIN_ALL_KDCS_REQUEST;

/* KerbQueryDomainExtendedPoliciesMessage */
#define KERB_QUERY_DOMAIN_EXTENDED_POLICIES_RESPONSE_FLAG_DAC_DISABLED 1

typedef struct _KERB_QUERY_DOMAIN_EXTENDED_POLICIES_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG Flags;
    UNICODE_STRING DomainName;
} KERB_QUERY_DOMAIN_EXTENDED_POLICIES_REQUEST, *PKERB_QUERY_DOMAIN_EXTENDED_POLICIES_REQUEST;

typedef struct _KERB_QUERY_DOMAIN_EXTENDED_POLICIES_RESPONSE {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG Flags;
    ULONG ExtendedPolicies;
    ULONG DsFlags;
} KERB_QUERY_DOMAIN_EXTENDED_POLICIES_RESPONSE, *PKERB_QUERY_DOMAIN_EXTENDED_POLICIES_RESPONSE;

/* KerbRefreshPolicyMessage */
#define KERB_REFRESH_POLICY_KERBEROS 0x1
#define KERB_REFRESH_POLICY_KDC 0x2

typedef struct _KERB_REFRESH_POLICY_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG Flags;
} KERB_REFRESH_POLICY_REQUEST, *PKERB_REFRESH_POLICY_REQUEST;

typedef struct _KERB_REFRESH_POLICY_RESPONSE {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG Flags;
} KERB_REFRESH_POLICY_RESPONSE, *PKERB_REFRESH_POLICY_RESPONSE;

/* KerbPrintCloudKerberosDebugMessage */
typedef struct _KERB_CLOUD_KERBEROS_DEBUG_REQUEST {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    LUID LogonId;
} KERB_CLOUD_KERBEROS_DEBUG_REQUEST, *PKERB_CLOUD_KERBEROS_DEBUG_REQUEST;

typedef struct _KERB_CLOUD_KERBEROS_DEBUG_RESPONSE {
    KERB_PROTOCOL_MESSAGE_TYPE MessageType;
    ULONG Version;
    ULONG Length;
    ULONG Data[ANYSIZE_ARRAY];
} KERB_CLOUD_KERBEROS_DEBUG_RESPONSE, *PKERB_CLOUD_KERBEROS_DEBUG_RESPONSE;

/* ---- x64 layout checks ------------------------------------------------------------- */

_Static_assert(sizeof(KERB_PROTOCOL_MESSAGE_TYPE) == 4, "§5.1 message type is 32-bit");
_Static_assert(sizeof(KERB_LOGON_SUBMIT_TYPE) == 4, "§5.2 submit type is 32-bit");
_Static_assert(sizeof(KERB_PROFILE_BUFFER_TYPE) == 4, "§5.2 profile type is 32-bit");
_Static_assert(sizeof(SecHandle) == 16, "§5.4 SecHandle is two ULONG_PTR");

/* §5.3 */
_Static_assert(sizeof(KERB_INTERACTIVE_LOGON) == 56, "§5.3 KERB_INTERACTIVE_LOGON size");
_Static_assert(offsetof(KERB_INTERACTIVE_LOGON, LogonDomainName) == 8,
               "§5.3 KERB_INTERACTIVE_LOGON.LogonDomainName");
_Static_assert(offsetof(KERB_INTERACTIVE_LOGON, UserName) == 24, "§5.3 KERB_INTERACTIVE_LOGON.UserName");
_Static_assert(offsetof(KERB_INTERACTIVE_LOGON, Password) == 40, "§5.3 KERB_INTERACTIVE_LOGON.Password");
_Static_assert(sizeof(KERB_INTERACTIVE_UNLOCK_LOGON) == 64, "§5.3 KERB_INTERACTIVE_UNLOCK_LOGON size");
_Static_assert(offsetof(KERB_INTERACTIVE_UNLOCK_LOGON, LogonId) == 56,
               "§5.3 KERB_INTERACTIVE_UNLOCK_LOGON.LogonId");

_Static_assert(sizeof(KERB_CERTIFICATE_LOGON) == 72, "§5.3 KERB_CERTIFICATE_LOGON size");
_Static_assert(offsetof(KERB_CERTIFICATE_LOGON, DomainName) == 8, "§5.3 KERB_CERTIFICATE_LOGON.DomainName");
_Static_assert(offsetof(KERB_CERTIFICATE_LOGON, UserName) == 24, "§5.3 KERB_CERTIFICATE_LOGON.UserName");
_Static_assert(offsetof(KERB_CERTIFICATE_LOGON, Pin) == 40, "§5.3 KERB_CERTIFICATE_LOGON.Pin");
_Static_assert(offsetof(KERB_CERTIFICATE_LOGON, Flags) == 56, "§5.3 KERB_CERTIFICATE_LOGON.Flags");
_Static_assert(offsetof(KERB_CERTIFICATE_LOGON, CspDataLength) == 60,
               "§5.3 KERB_CERTIFICATE_LOGON.CspDataLength");
_Static_assert(offsetof(KERB_CERTIFICATE_LOGON, CspData) == 64, "§5.3 KERB_CERTIFICATE_LOGON.CspData");
_Static_assert(sizeof(KERB_CERTIFICATE_UNLOCK_LOGON) == 80, "§5.3 KERB_CERTIFICATE_UNLOCK_LOGON size");

_Static_assert(sizeof(KERB_S4U_LOGON) == 40, "§5.3 KERB_S4U_LOGON size");
_Static_assert(sizeof(KERB_INTERACTIVE_PROFILE) == 160, "§5.3 KERB_INTERACTIVE_PROFILE size");
_Static_assert(offsetof(KERB_INTERACTIVE_PROFILE, LogonCount) == 4,
               "§5.3 KERB_INTERACTIVE_PROFILE = MSV1_0 layout: LogonCount");
_Static_assert(offsetof(KERB_INTERACTIVE_PROFILE, LogonTime) == 8,
               "§5.3 KERB_INTERACTIVE_PROFILE = MSV1_0 layout: LogonTime");
_Static_assert(offsetof(KERB_INTERACTIVE_PROFILE, LogonScript) == 56,
               "§5.3 KERB_INTERACTIVE_PROFILE = MSV1_0 layout: LogonScript");
_Static_assert(offsetof(KERB_INTERACTIVE_PROFILE, LogonServer) == 136,
               "§5.3 KERB_INTERACTIVE_PROFILE = MSV1_0 layout: LogonServer");
_Static_assert(offsetof(KERB_INTERACTIVE_PROFILE, UserFlags) == 152,
               "§5.3 KERB_INTERACTIVE_PROFILE = MSV1_0 layout: UserFlags");

/* §5.3 structures without a size in the spec (derived with natural x64 alignment). */
_Static_assert(sizeof(KERB_SMART_CARD_LOGON) == 40, "§5.3 KERB_SMART_CARD_LOGON x64 size (derived)");
_Static_assert(sizeof(KERB_SMART_CARD_UNLOCK_LOGON) == 48, "§5.3 KERB_SMART_CARD_UNLOCK_LOGON size (derived)");
_Static_assert(sizeof(KERB_CERTIFICATE_S4U_LOGON) == 56, "§5.3 KERB_CERTIFICATE_S4U_LOGON size (derived)");
_Static_assert(sizeof(KERB_TICKET_LOGON) == 32, "§5.3 KERB_TICKET_LOGON x64 size (derived)");
_Static_assert(sizeof(KERB_TICKET_UNLOCK_LOGON) == 40, "§5.3 KERB_TICKET_UNLOCK_LOGON size (derived)");
_Static_assert(sizeof(KERB_SMART_CARD_PROFILE) == 176, "§5.3 KERB_SMART_CARD_PROFILE size (derived)");
_Static_assert(sizeof(KERB_TICKET_PROFILE) == 176, "§5.3 KERB_TICKET_PROFILE x64 size (derived)");
_Static_assert(offsetof(KERB_SMARTCARD_CSP_INFO, ContextInformation) == 8,
               "§5.3 KERB_SMARTCARD_CSP_INFO.ContextInformation (derived)");
_Static_assert(offsetof(KERB_SMARTCARD_CSP_INFO, flags) == 16, "§5.3 KERB_SMARTCARD_CSP_INFO.flags (derived)");
_Static_assert(offsetof(KERB_SMARTCARD_CSP_INFO, nCSPNameOffset) == 36,
               "§5.3 KERB_SMARTCARD_CSP_INFO.nCSPNameOffset (derived)");
_Static_assert(offsetof(KERB_SMARTCARD_CSP_INFO, bBuffer) == 40,
               "§5.3 KERB_SMARTCARD_CSP_INFO.bBuffer (derived)");
_Static_assert(sizeof(KERB_CERTIFICATE_INFO) == 8, "§5.3 KERB_CERTIFICATE_INFO size (derived)");
_Static_assert(sizeof(KERB_CERTIFICATE_HASHINFO) == 4, "§5.3 KERB_CERTIFICATE_HASHINFO size (derived)");

/* §5.4 */
_Static_assert(sizeof(KERB_QUERY_TKT_CACHE_REQUEST) == 12, "§5.4 KERB_QUERY_TKT_CACHE_REQUEST size");
_Static_assert(offsetof(KERB_QUERY_TKT_CACHE_REQUEST, LogonId) == 4,
               "§5.4 KERB_QUERY_TKT_CACHE_REQUEST.LogonId");

_Static_assert(sizeof(KERB_TICKET_CACHE_INFO) == 64, "§5.4 KERB_TICKET_CACHE_INFO size");
_Static_assert(offsetof(KERB_TICKET_CACHE_INFO, RealmName) == 16, "§5.4 KERB_TICKET_CACHE_INFO.RealmName");
_Static_assert(offsetof(KERB_TICKET_CACHE_INFO, StartTime) == 32, "§5.4 KERB_TICKET_CACHE_INFO.StartTime");
_Static_assert(offsetof(KERB_TICKET_CACHE_INFO, EndTime) == 40, "§5.4 KERB_TICKET_CACHE_INFO.EndTime");
_Static_assert(offsetof(KERB_TICKET_CACHE_INFO, RenewTime) == 48, "§5.4 KERB_TICKET_CACHE_INFO.RenewTime");
_Static_assert(offsetof(KERB_TICKET_CACHE_INFO, EncryptionType) == 56,
               "§5.4 KERB_TICKET_CACHE_INFO.EncryptionType");
_Static_assert(offsetof(KERB_TICKET_CACHE_INFO, TicketFlags) == 60,
               "§5.4 KERB_TICKET_CACHE_INFO.TicketFlags");

_Static_assert(sizeof(KERB_TICKET_CACHE_INFO_EX) == 96, "§5.4 KERB_TICKET_CACHE_INFO_EX size");
_Static_assert(offsetof(KERB_TICKET_CACHE_INFO_EX, ClientRealm) == 16,
               "§5.4 KERB_TICKET_CACHE_INFO_EX.ClientRealm");
_Static_assert(offsetof(KERB_TICKET_CACHE_INFO_EX, ServerName) == 32,
               "§5.4 KERB_TICKET_CACHE_INFO_EX.ServerName");
_Static_assert(offsetof(KERB_TICKET_CACHE_INFO_EX, ServerRealm) == 48,
               "§5.4 KERB_TICKET_CACHE_INFO_EX.ServerRealm");
_Static_assert(offsetof(KERB_TICKET_CACHE_INFO_EX, StartTime) == 64,
               "§5.4 KERB_TICKET_CACHE_INFO_EX.StartTime");
_Static_assert(offsetof(KERB_TICKET_CACHE_INFO_EX, EndTime) == 72, "§5.4 KERB_TICKET_CACHE_INFO_EX.EndTime");
_Static_assert(offsetof(KERB_TICKET_CACHE_INFO_EX, RenewTime) == 80,
               "§5.4 KERB_TICKET_CACHE_INFO_EX.RenewTime");
_Static_assert(offsetof(KERB_TICKET_CACHE_INFO_EX, EncryptionType) == 88,
               "§5.4 KERB_TICKET_CACHE_INFO_EX.EncryptionType");
_Static_assert(offsetof(KERB_TICKET_CACHE_INFO_EX, TicketFlags) == 92,
               "§5.4 KERB_TICKET_CACHE_INFO_EX.TicketFlags");
/* EX2 / EX3: "EX fields + ..." (§5.4); the sizes are derived. */
_Static_assert(offsetof(KERB_TICKET_CACHE_INFO_EX2, SessionKeyType) == 96,
               "§5.4 KERB_TICKET_CACHE_INFO_EX2 = EX fields + SessionKeyType");
_Static_assert(offsetof(KERB_TICKET_CACHE_INFO_EX2, BranchId) == 100,
               "§5.4 KERB_TICKET_CACHE_INFO_EX2.BranchId (SDK; EX3's BranchId in the spec)");
_Static_assert(sizeof(KERB_TICKET_CACHE_INFO_EX2) == 104, "§5.4 KERB_TICKET_CACHE_INFO_EX2 size (derived)");
_Static_assert(offsetof(KERB_TICKET_CACHE_INFO_EX3, BranchId) == 100, "§5.4 KERB_TICKET_CACHE_INFO_EX3.BranchId");
_Static_assert(offsetof(KERB_TICKET_CACHE_INFO_EX3, CacheFlags) == 104,
               "§5.4 KERB_TICKET_CACHE_INFO_EX3.CacheFlags");
_Static_assert(offsetof(KERB_TICKET_CACHE_INFO_EX3, KdcCalled) == 112,
               "§5.4 KERB_TICKET_CACHE_INFO_EX3.KdcCalled");
_Static_assert(sizeof(KERB_TICKET_CACHE_INFO_EX3) == 128, "§5.4 KERB_TICKET_CACHE_INFO_EX3 size (derived)");

_Static_assert(offsetof(KERB_QUERY_TKT_CACHE_RESPONSE, CountOfTickets) == 4,
               "§5.4 KERB_QUERY_TKT_CACHE_RESPONSE.CountOfTickets");
_Static_assert(offsetof(KERB_QUERY_TKT_CACHE_RESPONSE, Tickets) == 8,
               "§5.4 KERB_QUERY_TKT_CACHE_RESPONSE.Tickets (8 + n*64)");
_Static_assert(sizeof(KERB_QUERY_TKT_CACHE_RESPONSE) == 8 + 64, "§5.4 KERB_QUERY_TKT_CACHE_RESPONSE 8 + n*64");
_Static_assert(offsetof(KERB_QUERY_TKT_CACHE_EX_RESPONSE, Tickets) == 8,
               "§5.4 KERB_QUERY_TKT_CACHE_EX_RESPONSE: same header");
_Static_assert(offsetof(KERB_QUERY_TKT_CACHE_EX2_RESPONSE, Tickets) == 8,
               "§5.4 KERB_QUERY_TKT_CACHE_EX2_RESPONSE: same header");
_Static_assert(offsetof(KERB_QUERY_TKT_CACHE_EX3_RESPONSE, Tickets) == 8,
               "§5.4 KERB_QUERY_TKT_CACHE_EX3_RESPONSE: same header");

_Static_assert(sizeof(KERB_RETRIEVE_TKT_REQUEST) == 64, "§5.4 KERB_RETRIEVE_TKT_REQUEST size");
_Static_assert(offsetof(KERB_RETRIEVE_TKT_REQUEST, LogonId) == 4, "§5.4 KERB_RETRIEVE_TKT_REQUEST.LogonId");
_Static_assert(offsetof(KERB_RETRIEVE_TKT_REQUEST, TargetName) == 16,
               "§5.4 KERB_RETRIEVE_TKT_REQUEST.TargetName");
_Static_assert(offsetof(KERB_RETRIEVE_TKT_REQUEST, TicketFlags) == 32,
               "§5.4 KERB_RETRIEVE_TKT_REQUEST.TicketFlags");
_Static_assert(offsetof(KERB_RETRIEVE_TKT_REQUEST, CacheOptions) == 36,
               "§5.4 KERB_RETRIEVE_TKT_REQUEST.CacheOptions");
_Static_assert(offsetof(KERB_RETRIEVE_TKT_REQUEST, EncryptionType) == 40,
               "§5.4 KERB_RETRIEVE_TKT_REQUEST.EncryptionType");
_Static_assert(offsetof(KERB_RETRIEVE_TKT_REQUEST, CredentialsHandle) == 48,
               "§5.4 KERB_RETRIEVE_TKT_REQUEST.CredentialsHandle");
_Static_assert(sizeof(KERB_RETRIEVE_TKT_RESPONSE) == 152, "§5.4 KERB_RETRIEVE_TKT_RESPONSE size");

_Static_assert(sizeof(KERB_EXTERNAL_TICKET) == 152, "§5.4 KERB_EXTERNAL_TICKET size");
_Static_assert(offsetof(KERB_EXTERNAL_TICKET, TargetName) == 8, "§5.4 KERB_EXTERNAL_TICKET.TargetName");
_Static_assert(offsetof(KERB_EXTERNAL_TICKET, ClientName) == 16, "§5.4 KERB_EXTERNAL_TICKET.ClientName");
_Static_assert(offsetof(KERB_EXTERNAL_TICKET, DomainName) == 24, "§5.4 KERB_EXTERNAL_TICKET.DomainName");
_Static_assert(offsetof(KERB_EXTERNAL_TICKET, TargetDomainName) == 40,
               "§5.4 KERB_EXTERNAL_TICKET.TargetDomainName");
_Static_assert(offsetof(KERB_EXTERNAL_TICKET, AltTargetDomainName) == 56,
               "§5.4 KERB_EXTERNAL_TICKET.AltTargetDomainName");
_Static_assert(offsetof(KERB_EXTERNAL_TICKET, SessionKey) == 72, "§5.4 KERB_EXTERNAL_TICKET.SessionKey");
_Static_assert(offsetof(KERB_EXTERNAL_TICKET, TicketFlags) == 88, "§5.4 KERB_EXTERNAL_TICKET.TicketFlags");
_Static_assert(offsetof(KERB_EXTERNAL_TICKET, Flags) == 92, "§5.4 KERB_EXTERNAL_TICKET.Flags");
_Static_assert(offsetof(KERB_EXTERNAL_TICKET, KeyExpirationTime) == 96,
               "§5.4 KERB_EXTERNAL_TICKET.KeyExpirationTime");
_Static_assert(offsetof(KERB_EXTERNAL_TICKET, StartTime) == 104, "§5.4 KERB_EXTERNAL_TICKET.StartTime");
_Static_assert(offsetof(KERB_EXTERNAL_TICKET, EndTime) == 112, "§5.4 KERB_EXTERNAL_TICKET.EndTime");
_Static_assert(offsetof(KERB_EXTERNAL_TICKET, RenewUntil) == 120, "§5.4 KERB_EXTERNAL_TICKET.RenewUntil");
_Static_assert(offsetof(KERB_EXTERNAL_TICKET, TimeSkew) == 128, "§5.4 KERB_EXTERNAL_TICKET.TimeSkew");
_Static_assert(offsetof(KERB_EXTERNAL_TICKET, EncodedTicketSize) == 136,
               "§5.4 KERB_EXTERNAL_TICKET.EncodedTicketSize");
_Static_assert(offsetof(KERB_EXTERNAL_TICKET, EncodedTicket) == 144,
               "§5.4 KERB_EXTERNAL_TICKET.EncodedTicket");

_Static_assert(offsetof(KERB_EXTERNAL_NAME, NameCount) == 2, "§5.4 KERB_EXTERNAL_NAME.NameCount (derived)");
_Static_assert(offsetof(KERB_EXTERNAL_NAME, Names) == 8, "§5.4 KERB_EXTERNAL_NAME.Names (derived)");
_Static_assert(sizeof(KERB_CRYPTO_KEY) == 16, "§5.4 KERB_CRYPTO_KEY size");
_Static_assert(sizeof(KERB_CRYPTO_KEY32) == 12, "§5.4 KERB_CRYPTO_KEY32 size");

_Static_assert(sizeof(KERB_PURGE_TKT_CACHE_REQUEST) == 48, "§5.4 KERB_PURGE_TKT_CACHE_REQUEST size");
_Static_assert(offsetof(KERB_PURGE_TKT_CACHE_REQUEST, LogonId) == 4,
               "§5.4 KERB_PURGE_TKT_CACHE_REQUEST.LogonId");
_Static_assert(offsetof(KERB_PURGE_TKT_CACHE_REQUEST, ServerName) == 16,
               "§5.4 KERB_PURGE_TKT_CACHE_REQUEST.ServerName");
_Static_assert(offsetof(KERB_PURGE_TKT_CACHE_REQUEST, RealmName) == 32,
               "§5.4 KERB_PURGE_TKT_CACHE_REQUEST.RealmName");

_Static_assert(sizeof(KERB_CLEANUP_MACHINE_PKINIT_CREDS_REQUEST) == 12,
               "§5.4 KERB_CLEANUP_MACHINE_PKINIT_CREDS_REQUEST size");
_Static_assert(offsetof(KERB_CLEANUP_MACHINE_PKINIT_CREDS_REQUEST, LogonId) == 4,
               "§5.4 KERB_CLEANUP_MACHINE_PKINIT_CREDS_REQUEST.LogonId");
_Static_assert(sizeof(KERB_CHANGEPASSWORD_REQUEST) == 80, "§5.4 KERB_CHANGEPASSWORD_REQUEST size");
_Static_assert(sizeof(KERB_PIN_KDC_REQUEST) == 48, "§5.4 KERB_PIN_KDC_REQUEST size");
_Static_assert(sizeof(KERB_UNPIN_ALL_KDCS_REQUEST) == 8, "§5.4 KERB_UNPIN_ALL_KDCS_REQUEST size");

/* §5.4 structures without a size in the spec (derived with natural x64 alignment). */
_Static_assert(offsetof(KERB_PURGE_TKT_CACHE_EX_REQUEST, TicketTemplate) == 16,
               "§5.4 KERB_PURGE_TKT_CACHE_EX_REQUEST.TicketTemplate (derived)");
_Static_assert(sizeof(KERB_PURGE_TKT_CACHE_EX_REQUEST) == 112, "§5.4 KERB_PURGE_TKT_CACHE_EX_REQUEST (derived)");
_Static_assert(offsetof(KERB_SUBMIT_TKT_REQUEST, Key) == 16, "§5.4 KERB_SUBMIT_TKT_REQUEST.Key (derived)");
_Static_assert(sizeof(KERB_SUBMIT_TKT_REQUEST) == 36, "§5.4 KERB_SUBMIT_TKT_REQUEST size (derived)");
_Static_assert(offsetof(KERB_SETPASSWORD_REQUEST, CredentialsHandle) == 16,
               "§5.4 KERB_SETPASSWORD_REQUEST.CredentialsHandle (derived)");
_Static_assert(sizeof(KERB_SETPASSWORD_REQUEST) == 88, "§5.4 KERB_SETPASSWORD_REQUEST size (derived)");
_Static_assert(offsetof(KERB_SETPASSWORD_EX_REQUEST, KdcAddress) == 128,
               "§5.4 KERB_SETPASSWORD_EX_REQUEST.KdcAddress (derived)");
_Static_assert(sizeof(KERB_SETPASSWORD_EX_REQUEST) == 152, "§5.4 KERB_SETPASSWORD_EX_REQUEST size (derived)");
_Static_assert(offsetof(KERB_ADD_CREDENTIALS_REQUEST, LogonId) == 56,
               "§5.4 KERB_ADD_CREDENTIALS_REQUEST.LogonId (derived)");
_Static_assert(sizeof(KERB_ADD_CREDENTIALS_REQUEST) == 72, "§5.4 KERB_ADD_CREDENTIALS_REQUEST size (derived)");
_Static_assert(sizeof(KERB_TRANSFER_CRED_REQUEST) == 24, "§5.4 KERB_TRANSFER_CRED_REQUEST size (derived)");
_Static_assert(sizeof(KERB_QUERY_DOMAIN_EXTENDED_POLICIES_REQUEST) == 24,
               "§5.4 KERB_QUERY_DOMAIN_EXTENDED_POLICIES_REQUEST size (derived)");
_Static_assert(sizeof(KERB_QUERY_DOMAIN_EXTENDED_POLICIES_RESPONSE) == 16,
               "§5.4 KERB_QUERY_DOMAIN_EXTENDED_POLICIES_RESPONSE size (derived)");
_Static_assert(sizeof(KERB_ADD_BINDING_CACHE_ENTRY_REQUEST) == 48,
               "§5.4 KERB_ADD_BINDING_CACHE_ENTRY_REQUEST size (derived)");
_Static_assert(offsetof(KERB_ADD_BINDING_CACHE_ENTRY_EX_REQUEST, DcFlags) == 44,
               "§5.4 KERB_ADD_BINDING_CACHE_ENTRY_EX_REQUEST.DcFlags (derived)");
_Static_assert(sizeof(KERB_ADD_BINDING_CACHE_ENTRY_EX_REQUEST) == 48,
               "§5.4 KERB_ADD_BINDING_CACHE_ENTRY_EX_REQUEST size (derived)");
_Static_assert(offsetof(KERB_PIN_KDC_REQUEST, DcFlags) == 40, "§5.4 KERB_PIN_KDC_REQUEST.DcFlags (derived)");

#ifdef __cplusplus
}
#endif

#endif /* LSA_NTSECAPI_KERBEROS_H */
