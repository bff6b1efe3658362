#include "kdc_sendto.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kerb_log.h"
#include "kerb_udp.h"
#include "array_room.h"

#define MAX_PASS 3              /* sendto_kdc.c MAX_PASS */
#define CONTACT_WAIT_MS 1000    /* after contacting one connection */
#define FIRST_PASS_END_MS 2000  /* at the end of pass 1; doubled at the end of each next */
#define TCP_HOLD_MS 10000       /* a connected TCP stream keeps waits open this long */

enum conn_state { CONN_NEW, CONN_ACTIVE, CONN_FAILED };

struct kdc_conn {
    struct sockaddr_storage addr;
    socklen_t addr_length;
    BOOLEAN udp, defer;
    enum conn_state state;
    int fd;
    struct kerb_tcp_stream tcp;
    int64_t tcp_hold_until_ms;  /* 0 until the TCP connection is established */
    char name[80];              /* "address port N/udp" for log lines */
};

struct kdc_sendto {
    struct kdc_conn *conns;
    size_t count, allocated;
    /* One run: */
    krb5_context ctx;
    const krb5_data *message;
    size_t max_reply;
    struct kerb_exchange *x;
    BOOLEAN timed_out, unavailable;
    unsigned char *reply;
    size_t reply_length;
};

static int64_t now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

struct kdc_sendto *kdc_sendto_new(void)
{
    return calloc(1, sizeof(struct kdc_sendto));
}

void kdc_sendto_free(struct kdc_sendto *s)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < s->count; i++) {
        if (s->conns[i].fd >= 0)
            close(s->conns[i].fd);
        kerb_tcp_stream_clear(&s->conns[i].tcp);
    }
    free(s->conns);
    free(s->reply);
    free(s);
}

BOOLEAN kdc_sendto_add(struct kdc_sendto *s, const struct addrinfo *ai, BOOLEAN udp,
                       BOOLEAN defer)
{
    struct kdc_conn *c;
    char host[64] = "?", port[16] = "?";

    if (ai->ai_addrlen > sizeof(c->addr))
        return FALSE;
    struct kdc_conn *conns = lsa_array_room(s->conns, &s->allocated, s->count, sizeof(*conns), 8);

    if (conns == NULL)
        return FALSE;
    s->conns = conns;
    c = &s->conns[s->count++];
    memset(c, 0, sizeof(*c));
    memcpy(&c->addr, ai->ai_addr, ai->ai_addrlen);
    c->addr_length = ai->ai_addrlen;
    c->udp = udp;
    c->defer = defer;
    c->state = CONN_NEW;
    c->fd = -1;
    c->tcp.fd = -1;
    getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof(host), port, sizeof(port),
                NI_NUMERICHOST | NI_NUMERICSERV);
    snprintf(c->name, sizeof(c->name), "%s port %s/%s", host, port, udp ? "udp" : "tcp");
    return TRUE;
}

static void conn_close(struct kdc_conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    kerb_tcp_stream_clear(&c->tcp);
    c->state = CONN_FAILED;
}

static void conn_fail(struct kdc_conn *c, const char *what, int error)
{
    kerb_log(LOG_NOTICE, "KDC %s: %s: %s", c->name, what,
             error == EMSGSIZE && !c->udp ? "reply length over the limit" : strerror(error));
    conn_close(c);
}

static BOOLEAN same_address(const struct kdc_conn *a, const struct kdc_conn *b)
{
    return a->addr_length == b->addr_length && memcmp(&a->addr, &b->addr, a->addr_length) == 0;
}

/* Start C or retransmit on it (MIT maybe_send): TRUE when something went out and a
 * wait should follow. */
static BOOLEAN maybe_send(struct kdc_sendto *s, struct kdc_conn *c)
{
    if (c->state == CONN_FAILED)
        return FALSE;
    if (c->state == CONN_ACTIVE) {
        if (!c->udp)
            return FALSE; /* TCP is written once */
        if (kerb_udp_send(c->fd, s->message) != 0) {
            conn_fail(c, "cannot resend the request", errno);
            return FALSE;
        }
        return TRUE;
    }
    if (c->udp) {
        if (kerb_udp_open((struct sockaddr *)&c->addr, c->addr_length, &c->fd) != 0) {
            conn_fail(c, "cannot open a socket", errno);
            return FALSE;
        }
        if (kerb_udp_send(c->fd, s->message) != 0) {
            conn_fail(c, "cannot send the request", errno);
            return FALSE;
        }
    } else {
        if (kerb_tcp_start((struct sockaddr *)&c->addr, c->addr_length, &c->fd) != KERB_IO_OK) {
            conn_fail(c, "cannot connect", errno);
            return FALSE;
        }
        kerb_tcp_stream_init(&c->tcp, c->fd, TRUE, s->message, s->max_reply);
    }
    c->state = CONN_ACTIVE;
    return TRUE;
}

/* A UDP reply that is KRB-ERROR KRB_ERR_RESPONSE_TOO_BIG (RFC 4120 §7.2.1). */
/* The krb5 error code a KRB-ERROR reply carries; 0 for any other reply. */
static krb5_error_code reply_error(krb5_context ctx, const unsigned char *reply, size_t length)
{
    krb5_data d = { .magic = KV5M_DATA, .length = (unsigned int)length, .data = (char *)reply };
    krb5_error *e = NULL;
    krb5_error_code code;

    /* KRB-ERROR is [APPLICATION 30] (RFC 4120 §5.9.1): krb5 decodes only those. */
    if (length == 0 || reply[0] != 0x7e || krb5_rd_error(ctx, &d, &e) != 0)
        return 0;
    code = (krb5_error_code)e->error + ERROR_TABLE_BASE_krb5;
    krb5_free_error(ctx, e);
    return code;
}

static BOOLEAN too_big(krb5_context ctx, const unsigned char *reply, size_t length)
{
    return reply_error(ctx, reply, length) == KRB5KRB_ERR_RESPONSE_TOO_BIG;
}

/* C's UDP reply is too big: retry that KDC over TCP, now. */
static void retry_over_tcp(struct kdc_sendto *s, struct kdc_conn *c)
{
    close(c->fd);
    c->fd = -1;
    c->state = CONN_FAILED;
    for (size_t i = 0; i < s->count; i++) {
        struct kdc_conn *t = &s->conns[i];

        if (!t->udp && same_address(c, t)) {
            kerb_log(LOG_INFO, "KDC %s: reply too big for UDP: retrying over TCP", c->name);
            if (t->state == CONN_NEW)
                maybe_send(s, t);
            return;
        }
    }
    kerb_log(LOG_NOTICE, "KDC %s: reply too big for UDP, and its entry allows no TCP",
             c->name);
}

/* C's reply is in S->reply: TRUE when it is the answer.  A KDC that says it cannot serve
 * (MIT's check_for_svc_unavailable) is dropped, and the schedule goes on without it. */
static BOOLEAN answered(struct kdc_sendto *s, struct kdc_conn *c)
{
    if (reply_error(s->ctx, s->reply, s->reply_length) == KRB5KDC_ERR_SVC_UNAVAILABLE) {
        kerb_log(LOG_NOTICE, "KDC %s: service unavailable (KDC_ERR_SVC_UNAVAILABLE): asking "
                             "the next", c->name);
        free(s->reply);
        s->reply = NULL;
        s->reply_length = 0;
        s->unavailable = TRUE;
        conn_close(c);
        return FALSE;
    }
    if (lsa_log_enabled(LOG_DEBUG))
        kerb_log(LOG_DEBUG, "KDC %s answered: %zu bytes", c->name, s->reply_length);
    return TRUE;
}

/* Read what poll() reported on C: TRUE when C produced the reply. */
static BOOLEAN dispatch(struct kdc_sendto *s, struct kdc_conn *c)
{
    if (c->udp) {
        unsigned char *reply;
        size_t length;
        int r = kerb_udp_receive(c->fd, s->max_reply, &reply, &length);

        if (r < 0)
            conn_fail(c, "no reply", errno); /* ECONNREFUSED: ICMP port unreachable */
        if (r <= 0)
            return FALSE;
        if (too_big(s->ctx, reply, length)) {
            free(reply);
            retry_over_tcp(s, c);
            return FALSE;
        }
        s->reply = reply;
        s->reply_length = length;
        return answered(s, c);
    }

    BOOLEAN was_connecting = c->tcp.connecting;
    enum kerb_io_result r = kerb_tcp_stream_step(&c->tcp);

    if (was_connecting && !c->tcp.connecting)
        c->tcp_hold_until_ms = now_ms() + TCP_HOLD_MS;
    if (r == KERB_IO_OK) {
        s->reply = kerb_tcp_stream_take(&c->tcp, &s->reply_length);
        return answered(s, c);
    }
    if (r == KERB_IO_FAILED)
        conn_fail(c, was_connecting ? "cannot connect" : "no reply", c->tcp.error);
    return FALSE;
}

static size_t count_state(const struct kdc_sendto *s, enum conn_state state)
{
    size_t n = 0;

    for (size_t i = 0; i < s->count; i++)
        n += s->conns[i].state == state;
    return n;
}

/* Wait up to INTERVAL ms for a reply from any active connection (MIT service_fds); with
 * HOLD, longer while a connected TCP stream is younger than TCP_HOLD_MS.  TRUE when the
 * request is over: a reply, or the deadline. */
static BOOLEAN service(struct kdc_sendto *s, int64_t interval, BOOLEAN hold)
{
    int64_t end = now_ms() + interval;
    struct pollfd fds[64];
    struct kdc_conn *of[64];

    for (;;) {
        int64_t left = kerb_exchange_remaining_ms(s->x), now = now_ms(), until = end, wait;
        nfds_t n = 0;
        int ready;

        if (left <= 0) {
            s->timed_out = TRUE;
            return TRUE;
        }
        for (size_t i = 0; i < s->count && n < 64; i++) {
            struct kdc_conn *c = &s->conns[i];

            if (c->state != CONN_ACTIVE)
                continue;
            if (hold && !c->udp && c->tcp_hold_until_ms > until)
                until = c->tcp_hold_until_ms;
            fds[n] = (struct pollfd){ .fd = c->fd,
                                      .events = c->udp ? POLLIN : kerb_tcp_stream_events(&c->tcp) };
            of[n++] = c;
        }
        if (n == 0)
            return FALSE;
        wait = until - now;
        if (wait > left)
            wait = left;
        if (wait <= 0)
            return FALSE;
        ready = poll(fds, n, (int)wait);
        if (ready < 0 && errno != EINTR) {
            kerb_log(LOG_ERR, "cannot wait for the KDCs: %s", strerror(errno));
            for (nfds_t i = 0; i < n; i++)
                conn_fail(of[i], "abandoned", errno);
            return FALSE;
        }
        for (nfds_t i = 0; ready > 0 && i < n; i++)
            if (fds[i].revents != 0 && dispatch(s, of[i]))
                return TRUE;
    }
}

/* One contact step of pass 1: send on C, then wait MIT's 1 s or a fair share of what is
 * left, whichever is shorter. */
static BOOLEAN contact(struct kdc_sendto *s, struct kdc_conn *c)
{
    int64_t wait;

    if (!maybe_send(s, c))
        return FALSE;
    wait = kerb_exchange_remaining_ms(s->x) / (int64_t)(count_state(s, CONN_NEW) + 1);
    return service(s, wait < CONTACT_WAIT_MS ? wait : CONTACT_WAIT_MS, FALSE);
}

enum kerb_io_result kdc_sendto_run(struct kdc_sendto *s, krb5_context ctx,
                                   const krb5_data *message, size_t max_reply,
                                   struct kerb_exchange *x, unsigned char **reply,
                                   size_t *reply_length)
{
    BOOLEAN done = FALSE;
    int64_t delay = FIRST_PASS_END_MS;

    s->ctx = ctx;
    s->message = message;
    s->max_reply = max_reply;
    s->x = x;
    *reply = NULL;
    *reply_length = 0;

    for (int deferred = 0; deferred <= 1; deferred++)
        for (size_t i = 0; i < s->count && !done; i++)
            if (s->conns[i].defer == deferred && s->conns[i].state == CONN_NEW)
                done = contact(s, &s->conns[i]);
    if (!done)
        done = service(s, delay, TRUE);
    for (int pass = 1; pass < MAX_PASS && !done && count_state(s, CONN_ACTIVE) > 0; pass++) {
        for (size_t i = 0; i < s->count && !done; i++)
            if (maybe_send(s, &s->conns[i]))
                done = service(s, CONTACT_WAIT_MS, TRUE);
        delay *= 2;
        if (!done)
            done = service(s, delay, TRUE);
    }

    if (s->reply != NULL) {
        *reply = s->reply;
        *reply_length = s->reply_length;
        s->reply = NULL;
        return KERB_IO_OK;
    }
    if (s->timed_out)
        return KERB_IO_TIMEOUT;
    if (count_state(s, CONN_ACTIVE) > 0)
        kerb_log(LOG_NOTICE, "no KDC answered within MIT's retry schedule");
    return KERB_IO_FAILED;
}

BOOLEAN kdc_sendto_unavailable(const struct kdc_sendto *s)
{
    return s->unavailable;
}
