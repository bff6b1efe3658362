/*
 * The message protocol of the echo test packages (echo_ap.so, echo_sspap.so).  Both
 * models speak it, so one test drives either.  Every request starts with ULONG
 * MessageType; strings are UNICODE_STRINGs whose Buffers point inside the submitted
 * block (client addresses), exactly as Windows messages are built.
 */
#ifndef ECHO_PROTOCOL_H
#define ECHO_PROTOCOL_H

#include <lsa/ntsecapi.h>
#include <lsa/ntsecpkg.h>

#define ECHO_AP_NAME "EchoAP"       /* LsaApInitializePackage's name */
/* echo_sspap.so returns two SECPKG_FUNCTION_TABLEs: the first has no InitializePackage,
 * so its name is SpGetInfo's; the second has one, whose name wins over its SpGetInfo's
 * ECHO_SSPAP_WRONG_NAME. */
#define ECHO_SSPAP_NAME "EchoSSPAP"
#define ECHO_SSPAP_INIT_NAME "EchoSSPAPInit"
#define ECHO_SSPAP_WRONG_NAME "EchoSSPAPWrongName"

/* ProtocolStatus an echo package reports when its untrusted entry handled the call. */
#define ECHO_STATUS_UNTRUSTED_ENTRY ((NTSTATUS)0x00000101L)

typedef enum _ECHO_MESSAGE_TYPE {
    /* Reply: the submitted bytes, byte for byte.  ProtocolStatus: STATUS_SUCCESS from
     * CallPackage, ECHO_STATUS_UNTRUSTED_ENTRY from CallPackageUntrusted.  From
     * CallPackagePassthrough, the same bytes and STATUS_SUCCESS. */
    EchoMessageEcho = 1,
    /* Reply: ECHO_WHOAMI_RESPONSE (GetClientInfo and which entry point ran). */
    EchoMessageWhoAmI = 2,
    /* Request: ECHO_STRINGS_REQUEST.  Relocates both strings with the shared helper
     * (STATUS_INVALID_PARAMETER as the function result if either is bad) and replies
     * with ECHO_STRINGS_RESPONSE: the two strings copied after the struct, Buffers being
     * valid addresses in the caller. */
    EchoMessageStrings = 3,
    /* Request: ECHO_ALLOCATE_REQUEST.  Allocates Count client buffers of Length bytes each
     * (filled with 0xA5) and returns the last one; Fail != 0 then returns
     * STATUS_UNSUCCESSFUL instead (the LSA must free them all). */
    EchoMessageAllocate = 4,
    /* Request: ECHO_FORWARD_REQUEST.  Forwards Inner (an opaque byte range after the
     * struct) to package Target with CallPackage (Kind 0), CallPackageEx (1) or
     * CallPackagePassthrough (2), ClientBufferBase for 1 and 2 being the Inner address as
     * this package received it.  Reply: ECHO_FORWARD_RESPONSE followed by the inner
     * reply's bytes; the inner reply is freed with FreeReturnBuffer. */
    EchoMessageForward = 5,
    /* Request: ECHO_CREDENTIAL_REQUEST: AddCredential / GetCredentials (first match,
     * RetrieveAll = FALSE) / DeleteCredential on LogonId with Key.  Reply for Get:
     * ECHO_CREDENTIAL_RESPONSE followed by the credential bytes.  The LSA's status is
     * the ProtocolStatus. */
    EchoMessageCredential = 6,
    /* Reply: ECHO_TERMINATED_RESPONSE: the LogonIds LogonTerminated has seen, oldest first
     * (at most ECHO_MAX_TERMINATED kept). */
    EchoMessageTerminated = 7,
    /* Reply: ECHO_CONFIG_RESPONSE: the value of key "greeting" of this package's lsa.conf
     * section (SSP/AP only, through lsa_get_config; empty if unset). */
    EchoMessageConfig = 8,
    /* Reads Length bytes at Address through CopyFromClientBuffer; the LSA's status is
     * the ProtocolStatus, the bytes read the reply. Request: ECHO_COPY_FROM_REQUEST. */
    EchoMessageCopyFrom = 9,
} ECHO_MESSAGE_TYPE;

typedef struct _ECHO_WHOAMI_RESPONSE {
    ULONG MessageType;
    ULONG PackageId;               /* the id the LSA gave this package */
    BOOLEAN UntrustedEntry;        /* CallPackageUntrusted ran */
    BOOLEAN PassthroughEntry;      /* CallPackagePassthrough ran */
    SECPKG_CLIENT_INFO ClientInfo; /* from GetClientInfo */
    NTSTATUS ClientInfoStatus;
    /* SSP/AP only, from lsa_get_client_unix_info */
    ULONG Uid, Gid, Pid;
    BOOLEAN Trusted;
} ECHO_WHOAMI_RESPONSE;

typedef struct _ECHO_STRINGS_REQUEST {
    ULONG MessageType;
    UNICODE_STRING First;
    UNICODE_STRING Second;
} ECHO_STRINGS_REQUEST, ECHO_STRINGS_RESPONSE;

typedef struct _ECHO_ALLOCATE_REQUEST {
    ULONG MessageType;
    ULONG Length;
    ULONG Count;
    ULONG Fail;
} ECHO_ALLOCATE_REQUEST;

typedef struct _ECHO_FORWARD_REQUEST {
    ULONG MessageType;
    ULONG Kind;
    UNICODE_STRING Target; /* relocated with the shared helper */
    ULONG InnerOffset;     /* from the start of this struct */
    ULONG InnerLength;
} ECHO_FORWARD_REQUEST;

typedef struct _ECHO_FORWARD_RESPONSE {
    ULONG MessageType;
    NTSTATUS CallStatus;           /* CallPackage* result */
    NTSTATUS InnerProtocolStatus;
    ULONG InnerLength;             /* bytes that follow */
} ECHO_FORWARD_RESPONSE;

enum { EchoCredentialAdd = 1, EchoCredentialGet = 2, EchoCredentialDelete = 3 };

typedef struct _ECHO_CREDENTIAL_REQUEST {
    ULONG MessageType;
    ULONG Operation;
    LUID LogonId;
    STRING Key;        /* relocated */
    STRING Credential; /* relocated; Add only */
} ECHO_CREDENTIAL_REQUEST;

typedef struct _ECHO_CREDENTIAL_RESPONSE {
    ULONG MessageType;
    ULONG Length; /* credential bytes that follow */
} ECHO_CREDENTIAL_RESPONSE;

#define ECHO_MAX_TERMINATED 64
typedef struct _ECHO_TERMINATED_RESPONSE {
    ULONG MessageType;
    ULONG Count;
    LUID LogonIds[ECHO_MAX_TERMINATED];
} ECHO_TERMINATED_RESPONSE;

typedef struct _ECHO_CONFIG_RESPONSE {
    ULONG MessageType;
    CHAR Greeting[128]; /* NUL-terminated */
} ECHO_CONFIG_RESPONSE;

typedef struct _ECHO_COPY_FROM_REQUEST {
    ULONG MessageType;
    ULONG Length;
    PVOID Address; /* a client address */
} ECHO_COPY_FROM_REQUEST;

/*
 * Logon (LsaLogonUser): ECHO_LOGON with MessageType ECHO_LOGON_TYPE.  Succeeds when
 * Password equals "pw-" followed by UserName; creates a session (fresh LUID), returns
 * AccountName = UserName, AuthenticatingAuthority = "ECHO", and an ECHO_PROFILE profile
 * buffer.  Wrong password: STATUS_LOGON_FAILURE, SubStatus STATUS_WRONG_PASSWORD, no
 * session left.  UserName "disabled": STATUS_ACCOUNT_RESTRICTION, SubStatus
 * STATUS_ACCOUNT_DISABLED.  A bad buffer: STATUS_INVALID_PARAMETER; another
 * MessageType: STATUS_BAD_VALIDATION_CLASS.
 */
#define ECHO_LOGON_TYPE 2
typedef struct _ECHO_LOGON {
    ULONG MessageType;
    UNICODE_STRING UserName;
    UNICODE_STRING Password;
} ECHO_LOGON;

typedef struct _ECHO_PROFILE {
    ULONG MessageType;
    ULONG PackageId;
    LUID LogonId;
    UNICODE_STRING UserName; /* Buffer: a caller address inside this profile */
} ECHO_PROFILE;

#endif
