/*
 * One LsaCallAuthenticationPackage call inside the Kerberos package: what the dispatcher
 * (kerb_messages.c) hands to each message handler (msg_*.c), and the helpers they share.
 *
 * Status rules (as MSV1_0, packages/msv1_0/messages.h): a request that could not be
 * attempted (a buffer too short or misaligned, a string outside the submitted range, an
 * unknown message) is the function result, STATUS_INVALID_PARAMETER; the outcome of an
 * attempted request is *ProtocolStatus, with the function result STATUS_SUCCESS.
 */
#ifndef KERBEROS_KERB_CALL_H
#define KERBEROS_KERB_CALL_H

#include <stddef.h>

#include <krb5/krb5.h>
#include <lsa/ntsecapi.h>
#include <lsa/ntsecpkg.h>

#include "kerb_exchange.h"
#include "kerb_messages.h"

struct kerb_call {
    enum kerb_entry entry;
    BOOLEAN trusted; /* CallPackage / CallPackagePassthrough: the caller holds TCB */
    LUID caller;     /* the caller's own logon session (SECPKG_CLIENT_INFO.LogonId) */
    PLSA_CLIENT_REQUEST request;
    PVOID submit;
    PVOID client_base;
    ULONG length;
    PVOID *return_buffer;
    PULONG return_length;
    PNTSTATUS protocol_status;
};

/* The fixed structure of SIZE bytes is there and aligned for its pointers. */
BOOLEAN kerb_call_fits(const struct kerb_call *call, size_t size);
/* Relocates a UNICODE_STRING of the submit buffer (lsa_relocate_unicode_string). */
NTSTATUS kerb_call_relocate(const struct kerb_call *call, PUNICODE_STRING s);

/* *LOGON_ID zero: the caller's own session.  Another session than the caller's:
 * STATUS_ACCESS_DENIED unless the caller is trusted (spec §1.4). */
NTSTATUS kerb_resolve_logon_id(const struct kerb_call *call, LUID *logon_id);
BOOLEAN kerb_same_luid(const LUID *a, const LUID *b);

/* The result of an attempted request: *ProtocolStatus = STATUS, function result
 * STATUS_SUCCESS. */
NTSTATUS kerb_call_outcome(struct kerb_call *call, NTSTATUS status);

/* A fresh krb5 context for the call, with the KDC deadline of [kerberos] kdc_timeout
 * (kerb_context.h); X must outlive the context. */
NTSTATUS kerb_call_context(struct kerb_exchange *x, krb5_context *ctx);
/* The cache of the session LOGON_ID in CTX: STATUS_NO_SUCH_LOGON_SESSION when the package
 * holds no such session (logged). */
NTSTATUS kerb_call_open_ccache(krb5_context ctx, const LUID *logon_id, krb5_ccache *cc);

/* The NTSTATUS of a failed krb5 call CODE (kerb_msg_status.c), logged with WHAT;
 * X (may be NULL) tells whether the KDC deadline cut the exchange off. */
NTSTATUS kerb_call_krb5_status(krb5_context ctx, const struct kerb_exchange *x,
                               krb5_error_code code, const char *what);

/* The handlers.  Each checks its own buffer. */
NTSTATUS kerb_msg_query_ticket_cache(struct kerb_call *call, KERB_PROTOCOL_MESSAGE_TYPE type);
NTSTATUS kerb_msg_retrieve_tgt(struct kerb_call *call);
NTSTATUS kerb_msg_retrieve_encoded_ticket(struct kerb_call *call);
NTSTATUS kerb_msg_purge_ticket_cache(struct kerb_call *call);
NTSTATUS kerb_msg_purge_ticket_cache_ex(struct kerb_call *call);
NTSTATUS kerb_msg_change_password(struct kerb_call *call);
NTSTATUS kerb_msg_cleanup_machine_pkinit(struct kerb_call *call);
NTSTATUS kerb_msg_query_kdc_proxy_cache(struct kerb_call *call);
NTSTATUS kerb_msg_pin_kdc(struct kerb_call *call);
NTSTATUS kerb_msg_unpin_all_kdcs(struct kerb_call *call);

#endif
