/* Frames over a stream socket, within deadlines: what both ends of the lsad protocol use
 * to send and receive (wire.h has the format). */
#ifndef LSA_CORE_WIRE_IO_H
#define LSA_CORE_WIRE_IO_H

#include <stdint.h>

#include "wire.h"

/* CLOCK_MONOTONIC in milliseconds. */
int64_t lsa_wire_now_ms(void);

enum lsa_wire_io {
    LSA_WIRE_IO_OK = 0,
    LSA_WIRE_IO_EOF,       /* the peer closed the connection between frames */
    LSA_WIRE_IO_TIMEOUT,   /* the deadline passed */
    LSA_WIRE_IO_BROKEN,    /* a read or write failed, or EOF inside a frame */
    LSA_WIRE_IO_MALFORMED, /* the header is not a valid frame (see the frame's error) */
    LSA_WIRE_IO_STOPPED,   /* the stop descriptor became readable first */
};

struct lsa_wire_frame {
    struct lsa_wire_header header;
    unsigned char *payload; /* header.length bytes */
    size_t capacity;
    enum lsa_wire_error error; /* of a MALFORMED header */
};
/* Wipes and frees the payload buffer (payloads carry passwords). */
void lsa_wire_frame_free(struct lsa_wire_frame *frame);
/* Wipes the last payload and keeps the buffer for the next frame: a request's passwords
 * and a reply's keys do not stay behind in it between calls. */
void lsa_wire_frame_wipe(struct lsa_wire_frame *frame);

/* Sends one frame; DEADLINE (lsa_wire_now_ms() based, -1: none) bounds the wait for room
 * in the socket buffer, so a peer that never reads cannot hold the sender forever. */
enum lsa_wire_io lsa_wire_send(int fd, uint16_t type, uint64_t request_id, const void *payload,
                               size_t length, int64_t deadline);

/* Sends bytes that already are whole frames (an outbox), within DEADLINE. */
enum lsa_wire_io lsa_wire_send_raw(int fd, const void *bytes, size_t length, int64_t deadline);

/*
 * Bounded busy-polling (lsa.conf busy_poll_us), as net.core.busy_poll does for sockets:
 * before waiting for a frame puts the thread to sleep, the socket is polled without
 * sleeping (yielding the CPU to any other runnable thread) for up to BUDGET_US.  Waking
 * a sleeping thread costs tens of microseconds on a VM, more than a quick peer takes to
 * answer.  Adaptive: every spin that runs out doubles the number of waits that then
 * sleep at once (up to 63), and one that ends with a frame resets it, so a slow peer (a
 * KDC round trip, a user at a prompt) costs a rare, bounded spin.
 */
struct lsa_wire_spin {
    int budget_us; /* 0: never spin */
    unsigned misses; /* spins in a row that ran out */
    unsigned skip;   /* waits left that sleep without spinning */
};

/* Receives one frame.  Waiting for its first byte ends at FIRST_DEADLINE (-1: never) or
 * when STOP_FD (-1: none) is readable; once it has started, the whole frame must arrive
 * within FRAME_TIMEOUT_MS (a peer that sends half a frame and stalls is dropped).  SPIN
 * (NULL: none) busy-polls for the first byte before sleeping. */
enum lsa_wire_io lsa_wire_recv(int fd, struct lsa_wire_frame *frame, int64_t first_deadline,
                               int frame_timeout_ms, int stop_fd, struct lsa_wire_spin *spin);

#endif
