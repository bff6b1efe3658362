/*
 * LsaCallAuthenticationPackage for MSV1_0 (spec/lsa-api.md §4.1-§4.2).  messages.c
 * dispatches on MessageType and applies the untrusted-caller matrix; each msg_*.c file
 * handles one message (or two related ones).
 *
 * Status rules: a request that could not be attempted (a buffer too short, a string
 * outside the submitted range, an unknown message) is the function result, usually
 * STATUS_INVALID_PARAMETER; the outcome of an attempted request is *ProtocolStatus,
 * with the function result STATUS_SUCCESS.
 */
#ifndef MSV1_0_MESSAGES_H
#define MSV1_0_MESSAGES_H

#include <lsa/ntsecpkg.h>

enum msv_entry {
    MSV_ENTRY_TRUSTED,     /* CallPackage */
    MSV_ENTRY_UNTRUSTED,   /* CallPackageUntrusted */
    MSV_ENTRY_PASSTHROUGH, /* CallPackagePassthrough: handled as CallPackage */
};

struct msv_call {
    enum msv_entry entry;
    BOOLEAN trusted; /* the caller may use every message (TCB) */
    PLSA_CLIENT_REQUEST request;
    PVOID submit;
    PVOID client_base;
    ULONG length;
    PVOID *return_buffer;
    PULONG return_length;
    PNTSTATUS protocol_status;
};

NTSTATUS msv_call_package(enum msv_entry entry, PLSA_CLIENT_REQUEST request, PVOID submit,
                          PVOID client_base, ULONG length, PVOID *return_buffer,
                          PULONG return_length, PNTSTATUS protocol_status);

/* The handlers.  Each checks its own buffer. */
NTSTATUS msv_msg_challenge_request(struct msv_call *call);
NTSTATUS msv_msg_get_challenge_response(struct msv_call *call);
NTSTATUS msv_msg_enumerate_users(struct msv_call *call);
NTSTATUS msv_msg_get_user_info(struct msv_call *call);
NTSTATUS msv_msg_change_password(struct msv_call *call);
NTSTATUS msv_msg_generic_passthrough(struct msv_call *call);

/* The fixed structure of SIZE bytes is there and aligned for its pointers. */
BOOLEAN msv_call_fits(const struct msv_call *call, size_t size);
/* The caller's own logon session (SECPKG_CLIENT_INFO.LogonId) when *LOGON_ID is zero;
 * STATUS_ACCESS_DENIED for another session unless the caller is trusted. */
NTSTATUS msv_resolve_logon_id(const struct msv_call *call, LUID *logon_id);

#endif
