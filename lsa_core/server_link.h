/*
 * lsad's side of a client's memory (the daemon's struct lsa_client_memory_ops).  A
 * package's AllocateClientBuffer takes the buffer the client offered with its request
 * when it is the call's first allocation and of the offer's length (wire.h); otherwise
 * it becomes an ALLOCATE frame: the client library allocates the buffer in the client,
 * against that connection's quota, and answers with its address.  The daemon keeps a shadow of each such buffer, which CopyToClientBuffer
 * writes; when the call ends the shadows travel back as WRITE frames ahead of the reply
 * and the client copies them into its buffers, so embedded pointers are client addresses.
 * FreeClientBuffer is a FREE frame.  Frames that need no answer (FREE, WRITE, the reply)
 * wait in an outbox and leave in one send, with the next ALLOCATE or the reply.
 */
#ifndef LSA_CORE_SERVER_LINK_H
#define LSA_CORE_SERVER_LINK_H

#include <stdint.h>

#include "connection.h"
#include "wire_io.h"

struct lsa_server_shadow {
    uint64_t address; /* in the client */
    ULONG length;
    unsigned char *bytes;
};

struct lsa_server_link {
    int fd;
    uint64_t request_id;
    int64_t deadline; /* of the request in progress */
    int frame_timeout_ms;
    size_t quota; /* bound on the shadows' bytes: the daemon's client_quota */
    size_t shadow_bytes;
    struct lsa_server_shadow *shadows;
    size_t shadow_count, shadow_capacity;
    unsigned char *outbox;
    size_t outbox_length, outbox_capacity;
    struct lsa_wire_offer offer; /* of the request, until its first allocation */
    ULONG offered;               /* the offer's length, for the log */
    ULONG offer_used;            /* for the reply */
    struct lsa_wire_spin spin;   /* for the request after a reply, and ALLOCATE answers */
    struct lsa_wire_frame in;
    struct lsa_wire_writer w;
    BOOLEAN broken; /* the client is gone or broke the protocol: no more frames */
};

extern const struct lsa_client_memory_ops lsa_daemon_client_memory;

void lsa_server_link_init(struct lsa_server_link *link, int fd, int frame_timeout_ms,
                          size_t quota);
/* A new request: its id and deadline; it offers no buffer until lsa_server_link_offer. */
void lsa_server_link_begin(struct lsa_server_link *link, uint64_t request_id, int timeout_ms);
/* The buffer the request offers (a decoded, valid offer). */
void lsa_server_link_offer(struct lsa_server_link *link, const struct lsa_wire_offer *offer);
/* Queues a frame of the current request; flushed with the next ALLOCATE or by flush. */
void lsa_server_link_queue(struct lsa_server_link *link, uint16_t type, const void *payload,
                           size_t length);
/* Sends what is queued; FALSE (and the link broken) if it cannot before the deadline. */
BOOLEAN lsa_server_link_flush(struct lsa_server_link *link);
/* The call succeeded: queue the shadows' contents as WRITE frames, then forget them. */
void lsa_server_link_return_shadows(struct lsa_server_link *link);
/* Wipes and frees every shadow (the client frees its buffers itself). */
void lsa_server_link_drop_shadows(struct lsa_server_link *link);
void lsa_server_link_free(struct lsa_server_link *link);

#endif
