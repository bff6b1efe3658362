/*
 * The call in flight on this thread: which client it is for, the submitted range that
 * CopyFromClientBuffer may read, and the client buffers allocated so far (freed if the
 * call fails, so nothing leaks).  A package-to-package call is nested inside the outer
 * call: in process, its client buffers are LSA heap, and GetClientInfo still describes
 * the original caller.  PLSA_CLIENT_REQUEST handed to packages points at one of these.
 */
#ifndef LSA_CORE_CALL_H
#define LSA_CORE_CALL_H

#include <lsa/ntsecpkg.h>

#include "connection.h"

struct lsa_call_buffer {
    PVOID address;
    ULONG length;
};

/* A call seldom allocates more client buffers than this (a reply, perhaps a second one
 * for a nested call): tracking them costs no allocation. */
#define LSA_CALL_INLINE_BUFFERS 4

struct lsa_call {
    struct lsa_connection *conn; /* the original caller's connection */
    struct lsa_call *outer;      /* NULL for a call from a client */
    BOOLEAN in_process;          /* a package-to-package call */
    pid_t thread_id;
    const void *submit_base;     /* client address of the submitted buffer */
    const void *submit_bytes;    /* the submitted bytes as the client sent them, in this
                                  * process (the client's own memory in embedded mode) */
    ULONG submit_length;
    struct lsa_call_buffer *buffers; /* inline, or from the heap past LSA_CALL_INLINE_BUFFERS */
    size_t buffer_count, buffer_capacity;
    struct lsa_call_buffer inline_buffers[LSA_CALL_INLINE_BUFFERS];
};

void lsa_call_begin(struct lsa_call *call, struct lsa_connection *conn, BOOLEAN in_process,
                    const void *submit_base, const void *submit_bytes, ULONG submit_length);
/* Frees the client buffers still tracked, except KEEP (the one handed to the caller). */
void lsa_call_end(struct lsa_call *call, PVOID keep);

/* The LSA's own copy of a submitted buffer, which the package works on (§2.7): a small
 * one inside the structure (on the caller's stack), a larger one on the heap.  BYTES is
 * never NULL after a successful make; drop wipes it (submit buffers carry passwords). */
#define LSA_SUBMIT_INLINE_BYTES 512
struct lsa_submit_copy {
    void *bytes;
    size_t length;
    _Alignas(16) unsigned char small[LSA_SUBMIT_INLINE_BYTES];
};
NTSTATUS lsa_submit_copy_make(struct lsa_submit_copy *copy, const void *submit, size_t length);
void lsa_submit_copy_drop(struct lsa_submit_copy *copy);

struct lsa_call *lsa_call_current(void);
/* Whether ADDRESS is the start of a client buffer CALL allocated, of at least LENGTH
 * bytes: the only thing a package may hand back to the caller. */
BOOLEAN lsa_call_owns_buffer(const struct lsa_call *call, const void *address, ULONG length);
/* The outermost call, the one that names the real client. */
const struct lsa_call *lsa_call_origin(const struct lsa_call *call);

/* Dispatch-table services bound to the calling request. */
NTSTATUS NTAPI lsa_allocate_client_buffer(PLSA_CLIENT_REQUEST request, ULONG length, PVOID *address);
NTSTATUS NTAPI lsa_free_client_buffer(PLSA_CLIENT_REQUEST request, PVOID address);
NTSTATUS NTAPI lsa_copy_to_client_buffer(PLSA_CLIENT_REQUEST request, ULONG length, PVOID address,
                                         PVOID source);
NTSTATUS NTAPI lsa_copy_from_client_buffer(PLSA_CLIENT_REQUEST request, ULONG length,
                                           PVOID destination, PVOID address);
NTSTATUS NTAPI lsa_get_client_info(PSECPKG_CLIENT_INFO info);
BOOLEAN NTAPI lsa_get_call_info(PSECPKG_CALL_INFO info);
NTSTATUS NTAPI lsa_get_client_unix_info(struct lsa_client_unix_info *info);

/* LSA_LOGON_ID's format: one hexadecimal number, 0x optional, HighPart in the upper
 * 32 bits; FALSE if TEXT is not one. */
BOOLEAN lsa_parse_logon_id(const char *text, LUID *luid);

/* The logon session of the call's client: its LSA_LOGON_ID if it names a session of
 * its uid; through lsad, its uid's session bound to its audit session
 * (audit_session.h); SYSTEM for root; else its uid's most recent session, else zero. */
LUID lsa_call_client_logon_id(const struct lsa_call *call);

#endif
