#include "wire_io.h"

#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>

int64_t lsa_wire_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int remaining(int64_t deadline)
{
    if (deadline < 0)
        return -1;
    int64_t left = deadline - lsa_wire_now_ms();
    return left <= 0 ? 0 : left > INT32_MAX ? INT32_MAX : (int)left;
}

/* Waits until FD is ready for EVENTS: 1, 0 on timeout, -1 on error, 2 when STOP_FD is. */
static int wait_for(int fd, short events, int64_t deadline, int stop_fd)
{
    for (;;) {
        struct pollfd p[2] = { { fd, events, 0 }, { stop_fd, POLLIN, 0 } };
        int rc = poll(p, stop_fd >= 0 ? 2 : 1, remaining(deadline));
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc < 0)
            return -1;
        if (rc == 0)
            return 0;
        if (stop_fd >= 0 && (p[1].revents & POLLIN))
            return 2;
        return 1;
    }
}

/* After this many spins in a row ran out, one wait in 64 spins. */
#define SPIN_MAX_MISSES 6u

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* wait_for's answer without sleeping, within SPIN's budget: 1 or 2 as wait_for, 0 when
 * the budget ran out (or SPIN says not to spin this time). */
static int spin_for(struct lsa_wire_spin *spin, int fd, int stop_fd)
{
    if (spin == NULL || spin->budget_us <= 0)
        return 0;
    if (spin->skip > 0) {
        spin->skip--;
        return 0;
    }
    int64_t end = now_ns() + (int64_t)spin->budget_us * 1000;
    struct pollfd p[2] = { { fd, POLLIN, 0 }, { stop_fd, POLLIN, 0 } };
    for (;;) {
        int rc = poll(p, stop_fd >= 0 ? 2 : 1, 0);
        if (rc > 0) {
            spin->misses = 0;
            return stop_fd >= 0 && (p[1].revents & POLLIN) ? 2 : 1;
        }
        if ((rc < 0 && errno != EINTR) || now_ns() >= end)
            break;
        sched_yield(); /* a peer on this CPU gets to answer */
    }
    if (spin->misses < SPIN_MAX_MISSES)
        spin->misses++;
    spin->skip = (1u << spin->misses) - 1;
    return 0;
}

void lsa_wire_frame_wipe(struct lsa_wire_frame *f)
{
    if (f->payload != NULL)
        explicit_bzero(f->payload, f->header.length < f->capacity ? f->header.length : f->capacity);
}

void lsa_wire_frame_free(struct lsa_wire_frame *f)
{
    if (f->payload != NULL)
        explicit_bzero(f->payload, f->capacity);
    free(f->payload);
    f->payload = NULL;
    f->capacity = 0;
}

/* Sends the COUNT pieces of IOV (at most 2) whole, waiting for room until DEADLINE. */
static enum lsa_wire_io send_all(int fd, const struct iovec *iov, int count, int64_t deadline)
{
    size_t sent = 0, total = 0;
    for (int i = 0; i < count; i++)
        total += iov[i].iov_len;
    while (sent < total) {
        struct iovec v[2];
        int n = 0;
        size_t skip = sent;
        for (int i = 0; i < count; i++) {
            if (skip >= iov[i].iov_len) {
                skip -= iov[i].iov_len;
                continue;
            }
            v[n].iov_base = (unsigned char *)iov[i].iov_base + skip;
            v[n].iov_len = iov[i].iov_len - skip;
            skip = 0;
            n++;
        }
        struct msghdr msg = { .msg_iov = v, .msg_iovlen = (size_t)n };
        /* MSG_NOSIGNAL: a peer gone away is an error here, not a SIGPIPE in the caller. */
        ssize_t w = sendmsg(fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (w >= 0) {
            sent += (size_t)w;
            continue;
        }
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return LSA_WIRE_IO_BROKEN;
        int ready = wait_for(fd, POLLOUT, deadline, -1);
        if (ready == 0)
            return LSA_WIRE_IO_TIMEOUT;
        if (ready < 0)
            return LSA_WIRE_IO_BROKEN;
    }
    return LSA_WIRE_IO_OK;
}

enum lsa_wire_io lsa_wire_send(int fd, uint16_t type, uint64_t request_id, const void *payload,
                               size_t length, int64_t deadline)
{
    unsigned char header[LSA_WIRE_HEADER_SIZE];
    struct lsa_wire_header h = { type, (uint32_t)length, request_id };
    if (length > LSA_WIRE_MAX_PAYLOAD)
        return LSA_WIRE_IO_BROKEN;
    lsa_wire_header_encode(header, &h);
    struct iovec iov[2] = { { header, sizeof(header) }, { (void *)payload, length } };
    return send_all(fd, iov, 2, deadline);
}

enum lsa_wire_io lsa_wire_send_raw(int fd, const void *bytes, size_t length, int64_t deadline)
{
    struct iovec iov = { (void *)bytes, length };
    return send_all(fd, &iov, 1, deadline);
}

/* Reads exactly N bytes before DEADLINE.  *GOT counts what arrived (for EOF handling). */
static enum lsa_wire_io read_exact(int fd, void *into, size_t n, int64_t deadline, size_t *got)
{
    unsigned char *p = into;
    *got = 0;
    while (*got < n) {
        ssize_t r = recv(fd, p + *got, n - *got, MSG_DONTWAIT);
        if (r > 0) {
            *got += (size_t)r;
            continue;
        }
        if (r == 0)
            return LSA_WIRE_IO_EOF;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return LSA_WIRE_IO_BROKEN;
        int ready = wait_for(fd, POLLIN, deadline, -1);
        if (ready == 0)
            return LSA_WIRE_IO_TIMEOUT;
        if (ready < 0)
            return LSA_WIRE_IO_BROKEN;
    }
    return LSA_WIRE_IO_OK;
}

enum lsa_wire_io lsa_wire_recv(int fd, struct lsa_wire_frame *f, int64_t first_deadline,
                               int frame_timeout_ms, int stop_fd, struct lsa_wire_spin *spin)
{
    f->error = LSA_WIRE_OK;
    int ready = spin_for(spin, fd, stop_fd);
    if (ready == 0)
        ready = wait_for(fd, POLLIN, first_deadline, stop_fd);
    if (ready == 0)
        return LSA_WIRE_IO_TIMEOUT;
    if (ready < 0)
        return LSA_WIRE_IO_BROKEN;
    if (ready == 2)
        return LSA_WIRE_IO_STOPPED;
    int64_t deadline = lsa_wire_now_ms() + frame_timeout_ms;
    if (first_deadline >= 0 && first_deadline < deadline)
        deadline = first_deadline;

    unsigned char header[LSA_WIRE_HEADER_SIZE];
    size_t got;
    enum lsa_wire_io io = read_exact(fd, header, sizeof(header), deadline, &got);
    if (io == LSA_WIRE_IO_EOF && got > 0)
        io = LSA_WIRE_IO_BROKEN; /* half a header, then the end */
    if (io != LSA_WIRE_IO_OK)
        return io;
    f->error = lsa_wire_header_decode(header, &f->header);
    if (f->error != LSA_WIRE_OK)
        return LSA_WIRE_IO_MALFORMED;
    size_t need = f->header.length ? f->header.length : 1;
    if (need > f->capacity) {
        lsa_wire_frame_free(f);
        f->payload = malloc(need);
        if (f->payload == NULL)
            return LSA_WIRE_IO_BROKEN;
        f->capacity = need;
    }
    io = read_exact(fd, f->payload, f->header.length, deadline, &got);
    return io == LSA_WIRE_IO_EOF ? LSA_WIRE_IO_BROKEN : io;
}
