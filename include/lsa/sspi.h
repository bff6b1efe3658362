/*
 * <lsa/sspi.h> - the SSPI types that the package tables of <lsa/ntsecpkg.h> use:
 * SECURITY_STATUS, SecHandle/CredHandle/CtxtHandle, TimeStamp, SecBuffer(Desc),
 * SecPkgInfoW and the SECPKG_FLAG_* / SECPKG_CRED_* bits, as in the Windows SDK's
 * sspi.h.  spec/lsa-api.md §2.6 (SpGetInfo, SECPKG_FUNCTION_TABLE), §6.4.
 *
 * pam-lsa is always "UNICODE": SecPkgInfo is SecPkgInfoW.  The SSPI client calls
 * (AcquireCredentialsHandle, InitializeSecurityContext, ...) are not part of pam-lsa.
 */
#ifndef LSA_SSPI_H
#define LSA_SSPI_H

#include <lsa/ntdef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef WCHAR SEC_WCHAR;
typedef CHAR SEC_CHAR;

/* An HRESULT-style SEC_E_* / SEC_I_* value. */
typedef LONG SECURITY_STATUS, *PSECURITY_STATUS;

typedef SEC_WCHAR *SECURITY_PSTR;
typedef const SEC_WCHAR *SECURITY_PCSTR;

/*
 * Handles.  <lsa/ntsecapi_kerberos.h> defines the identical SecHandle under the same
 * guard (KERB_*_REQUEST structures embed one); whichever header comes first wins.
 */
#ifndef LSA_SECHANDLE_DEFINED
#define LSA_SECHANDLE_DEFINED
typedef struct _SecHandle { ULONG_PTR dwLower; ULONG_PTR dwUpper; } SecHandle, *PSecHandle;
#endif

typedef SecHandle CredHandle;
typedef PSecHandle PCredHandle;
typedef SecHandle CtxtHandle;
typedef PSecHandle PCtxtHandle;

#define SecInvalidateHandle(x)                                                                     \
    do {                                                                                           \
        ((PSecHandle)(x))->dwLower = (ULONG_PTR)(LONG_PTR)-1;                                      \
        ((PSecHandle)(x))->dwUpper = (ULONG_PTR)(LONG_PTR)-1;                                      \
    } while (0)
#define SecIsValidHandle(x)                                                                        \
    ((((PSecHandle)(x))->dwLower != (ULONG_PTR)(LONG_PTR)-1) &&                                    \
     (((PSecHandle)(x))->dwUpper != (ULONG_PTR)(LONG_PTR)-1))
#define SEC_DELETED_HANDLE ((ULONG_PTR)(-2))

/* Times: 100-ns ticks since 1601-01-01 UTC (with ntdef.h, SECURITY_INTEGER is LARGE_INTEGER). */
typedef LARGE_INTEGER SECURITY_INTEGER, *PSECURITY_INTEGER;
typedef SECURITY_INTEGER TimeStamp;
typedef SECURITY_INTEGER *PTimeStamp;

/* With ntdef.h, SECURITY_STRING is UNICODE_STRING. */
typedef UNICODE_STRING SECURITY_STRING, *PSECURITY_STRING;

/* SpGetInfo's output. */
typedef struct _SecPkgInfoW {
    ULONG fCapabilities; /* SECPKG_FLAG_* */
    USHORT wVersion;
    USHORT wRPCID; /* DCE RPC id, or SECPKG_ID_NONE */
    ULONG cbMaxToken;
    SEC_WCHAR *Name;
    SEC_WCHAR *Comment;
} SecPkgInfoW, *PSecPkgInfoW;

typedef SecPkgInfoW SecPkgInfo, *PSecPkgInfo;

/* SecPkgInfoW.fCapabilities */
#define SECPKG_FLAG_INTEGRITY 0x00000001
#define SECPKG_FLAG_PRIVACY 0x00000002
#define SECPKG_FLAG_TOKEN_ONLY 0x00000004
#define SECPKG_FLAG_DATAGRAM 0x00000008
#define SECPKG_FLAG_CONNECTION 0x00000010
#define SECPKG_FLAG_MULTI_REQUIRED 0x00000020
#define SECPKG_FLAG_CLIENT_ONLY 0x00000040
#define SECPKG_FLAG_EXTENDED_ERROR 0x00000080
#define SECPKG_FLAG_IMPERSONATION 0x00000100
#define SECPKG_FLAG_ACCEPT_WIN32_NAME 0x00000200
#define SECPKG_FLAG_STREAM 0x00000400
#define SECPKG_FLAG_NEGOTIABLE 0x00000800
#define SECPKG_FLAG_GSS_COMPATIBLE 0x00001000
#define SECPKG_FLAG_LOGON 0x00002000
#define SECPKG_FLAG_ASCII_BUFFERS 0x00004000
#define SECPKG_FLAG_FRAGMENT 0x00008000
#define SECPKG_FLAG_MUTUAL_AUTH 0x00010000
#define SECPKG_FLAG_DELEGATION 0x00020000
#define SECPKG_FLAG_READONLY_WITH_CHECKSUM 0x00040000
#define SECPKG_FLAG_RESTRICTED_TOKENS 0x00080000
#define SECPKG_FLAG_NEGO_EXTENDER 0x00100000
#define SECPKG_FLAG_NEGOTIABLE2 0x00200000
#define SECPKG_FLAG_APPCONTAINER_PASSTHROUGH 0x00400000
#define SECPKG_FLAG_APPCONTAINER_CHECKS 0x00800000
#define SECPKG_FLAG_CREDENTIAL_ISOLATION_ENABLED 0x01000000
#define SECPKG_FLAG_APPLY_LOOPBACK 0x02000000

/* SecPkgInfoW.wRPCID when the package has no DCE RPC id. */
#define SECPKG_ID_NONE 0xFFFF

/* Message buffers. */
typedef struct _SecBuffer {
    ULONG cbBuffer;
    ULONG BufferType; /* SECBUFFER_* type, possibly or-ed with attribute bits */
    PVOID pvBuffer;
} SecBuffer, *PSecBuffer;

typedef struct _SecBufferDesc {
    ULONG ulVersion; /* SECBUFFER_VERSION */
    ULONG cBuffers;
    PSecBuffer pBuffers;
} SecBufferDesc, *PSecBufferDesc;

#define SECBUFFER_VERSION 0

#define SECBUFFER_EMPTY 0
#define SECBUFFER_DATA 1
#define SECBUFFER_TOKEN 2
#define SECBUFFER_PKG_PARAMS 3
#define SECBUFFER_MISSING 4
#define SECBUFFER_EXTRA 5
#define SECBUFFER_STREAM_TRAILER 6
#define SECBUFFER_STREAM_HEADER 7
#define SECBUFFER_NEGOTIATION_INFO 8
#define SECBUFFER_PADDING 9
#define SECBUFFER_STREAM 10
#define SECBUFFER_MECHLIST 11
#define SECBUFFER_MECHLIST_SIGNATURE 12
#define SECBUFFER_TARGET 13
#define SECBUFFER_CHANNEL_BINDINGS 14
#define SECBUFFER_CHANGE_PASS_RESPONSE 15
#define SECBUFFER_TARGET_HOST 16
#define SECBUFFER_ALERT 17
#define SECBUFFER_APPLICATION_PROTOCOLS 18
#define SECBUFFER_SRTP_PROTECTION_PROFILES 19
#define SECBUFFER_SRTP_MASTER_KEY_IDENTIFIER 20
#define SECBUFFER_TOKEN_BINDING 21
#define SECBUFFER_PRESHARED_KEY 22
#define SECBUFFER_PRESHARED_KEY_IDENTITY 23
#define SECBUFFER_DTLS_MTU 24
#define SECBUFFER_SEND_GENERIC_TLS_EXTENSION 25
#define SECBUFFER_SUBSCRIBE_GENERIC_TLS_EXTENSION 26
#define SECBUFFER_FLAGS 27
#define SECBUFFER_TRAFFIC_SECRETS 28

/* Attribute bits or-ed into SecBuffer.BufferType. */
#define SECBUFFER_ATTRMASK 0xF0000000
#define SECBUFFER_READONLY 0x80000000
#define SECBUFFER_READONLY_WITH_CHECKSUM 0x10000000
#define SECBUFFER_RESERVED 0x60000000

/* TargetDataRep */
#define SECURITY_NATIVE_DREP 0x00000010
#define SECURITY_NETWORK_DREP 0x00000000

/* CredentialUseFlags (SpAcquireCredentialsHandle), §6.4. */
#define SECPKG_CRED_INBOUND 0x00000001
#define SECPKG_CRED_OUTBOUND 0x00000002
#define SECPKG_CRED_BOTH 0x00000003
#define SECPKG_CRED_DEFAULT 0x00000004
#define SECPKG_CRED_RESERVED 0xF0000000
#define SECPKG_CRED_AUTOLOGON_RESTRICTED 0x00000010
#define SECPKG_CRED_PROCESS_POLICY_ONLY 0x00000020

_Static_assert(sizeof(SecHandle) == 16, "SecHandle x64 size");
_Static_assert(offsetof(SecHandle, dwUpper) == 8, "SecHandle.dwUpper x64 offset");
_Static_assert(sizeof(TimeStamp) == 8, "TimeStamp x64 size");
_Static_assert(sizeof(SecBuffer) == 16, "SecBuffer x64 size");
_Static_assert(offsetof(SecBuffer, BufferType) == 4, "SecBuffer.BufferType x64 offset");
_Static_assert(offsetof(SecBuffer, pvBuffer) == 8, "SecBuffer.pvBuffer x64 offset");
_Static_assert(sizeof(SecBufferDesc) == 16, "SecBufferDesc x64 size");
_Static_assert(offsetof(SecBufferDesc, cBuffers) == 4, "SecBufferDesc.cBuffers x64 offset");
_Static_assert(offsetof(SecBufferDesc, pBuffers) == 8, "SecBufferDesc.pBuffers x64 offset");
_Static_assert(sizeof(SecPkgInfoW) == 32, "SecPkgInfoW x64 size");
_Static_assert(offsetof(SecPkgInfoW, wVersion) == 4, "SecPkgInfoW.wVersion x64 offset");
_Static_assert(offsetof(SecPkgInfoW, wRPCID) == 6, "SecPkgInfoW.wRPCID x64 offset");
_Static_assert(offsetof(SecPkgInfoW, cbMaxToken) == 8, "SecPkgInfoW.cbMaxToken x64 offset");
_Static_assert(offsetof(SecPkgInfoW, Name) == 16, "SecPkgInfoW.Name x64 offset");
_Static_assert(offsetof(SecPkgInfoW, Comment) == 24, "SecPkgInfoW.Comment x64 offset");

#ifdef __cplusplus
}
#endif

#endif /* LSA_SSPI_H */
