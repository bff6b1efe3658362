/*
 * The daemon transport's parts: the connection to lsad and its re-opening after fork
 * (transport_daemon_connection.c), one request and the in-call frames it brings
 * (transport_daemon_exchange.c), and the client API calls encoded as requests
 * (transport_daemon.c).  transport_daemon.c says what the transport promises.
 */
#ifndef LSA_CORE_TRANSPORT_DAEMON_H
#define LSA_CORE_TRANSPORT_DAEMON_H

#include <pthread.h>
#include <stdint.h>
#include <sys/types.h>

#include "call.h"
#include "client_memory.h"
#include "handle_table.h"
#include "wire_io.h"

/* One socket to lsad: an LsaHandle, or the private connection of the handle-less calls. */
struct lsa_remote {
    struct lsa_object object;
    pthread_mutex_t lock;
    int fd;
    pid_t pid; /* the process the socket was opened by */
    BOOLEAN broken;
    BOOLEAN trusted;
    char name[128];
    size_t name_length;
    struct lsa_quota *quota;
    struct lsa_wire_frame in;
    struct lsa_wire_writer w;
    struct lsa_wire_spin spin;
    /* The first allocation of the previous CALL_PACKAGE and LOGON_USER: the length the
     * next one offers (0: no offer). */
    ULONG call_offer_length, logon_offer_length;
};

/* The buffers lsad allocated in this process for the request in progress, and the one
 * the request offered (wire.h). */
struct lsa_call_buffers {
    struct lsa_call_buffer *items;
    size_t count, capacity;
    struct lsa_wire_offer offer;
    BOOLEAN offer_held;     /* not given back with FREE (its address may come again) */
    ULONG *offer_hint;      /* the lsa_remote field the reply teaches */
    BOOLEAN allocated;      /* an ALLOCATE came ... */
    ULONG first_allocation; /* ... and this was the first one's length */
};

/* ---- transport_daemon_connection.c ------------------------------------------------- */

/* A new connection to lsad, registered (CONNECT) as TRUSTED with NAME. */
NTSTATUS lsa_remote_new(BOOLEAN trusted, const char *name, size_t name_length,
                        struct lsa_remote **out);
/* HANDLE's connection, referenced; NULL for a handle that is not one. */
struct lsa_remote *lsa_remote_ref(HANDLE handle);
/* The private connection of the handle-less calls, referenced (made on first use). */
NTSTATUS lsa_remote_private_ref(struct lsa_remote **out);
/* Locks R for a request, first giving a forked child a connection of its own; on
 * failure R is unlocked. */
NTSTATUS lsa_remote_lock(struct lsa_remote *r);
/* Wipes what the request left in R's buffers, unlocks R and drops the reference. */
void lsa_remote_unlock(struct lsa_remote *r);

/* ---- transport_daemon_exchange.c ---------------------------------------------------- */

/* Offers lsad a return buffer of *HINT bytes with the next request, if the quota holds
 * it and it is small; the reply then updates *HINT. */
void lsa_remote_offer(struct lsa_remote *r, ULONG *hint, struct lsa_call_buffers *b);
/* Sends the request in R->w as TYPE and waits for its reply, serving lsad's in-call
 * frames meanwhile.  R->lock held.  On a transport failure or a protocol violation the
 * buffers of the call are freed and R is broken. */
NTSTATUS lsa_remote_exchange(struct lsa_remote *r, uint16_t type, struct lsa_wire_reply *reply,
                             struct lsa_call_buffers *b);
/* The buffer the reply returns (one of the call's, NULL for none) to *OUT; every other
 * buffer of the call is freed. */
NTSTATUS lsa_remote_take_buffer(struct lsa_call_buffers *b, const struct lsa_wire_reply *reply,
                                PVOID *out);
/* Frees every buffer of the call. */
void lsa_remote_free_buffers(struct lsa_call_buffers *b);

#endif
