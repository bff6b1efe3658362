/*
 * TCP to a Kerberos server within an exchange's deadline (kerb_exchange.h): connecting,
 * and one request/reply in the framing of RFC 4120 §7.2.2 (a four-byte big-endian
 * length, then the message; the same back), which kpasswd over TCP shares (RFC 3244
 * §1).  The framing is a step function over a non-blocking socket (kerb_tcp_stream), so
 * the KDC transport (kdc_sendto.c) can drive several TCP and UDP exchanges at once; the
 * blocking kerb_tcp_exchange, used by kpasswd (kpasswd.c), is that step function with
 * every wait a poll() bounded by what is left of the deadline.
 */
#ifndef KERBEROS_KERB_TCP_H
#define KERBEROS_KERB_TCP_H

#include <stddef.h>
#include <sys/socket.h>
#include <netdb.h>

#include <krb5/krb5.h>
#include <lsa/ntdef.h>

#include "kerb_exchange.h"

enum kerb_io_result { KERB_IO_OK, KERB_IO_FAILED, KERB_IO_TIMEOUT };

/* The transport a krb5.conf server entry asks for: "tcp/host", "udp/host", or either
 * (MIT krb5 locate_kdc.c: no prefix is TCP_OR_UDP). */
enum kerb_transport { KERB_TRANSPORT_ANY, KERB_TRANSPORT_UDP, KERB_TRANSPORT_TCP };

/* Start a non-blocking connect to ADDR (KERB_IO_OK: *FD is connecting or connected),
 * else KERB_IO_FAILED with errno set and nothing left open. */
enum kerb_io_result kerb_tcp_start(const struct sockaddr *addr, socklen_t addr_length,
                                   int *fd);

/* A connected non-blocking socket to AI in *FD (KERB_IO_OK), else nothing is left open. */
enum kerb_io_result kerb_tcp_connect(const struct addrinfo *ai, struct kerb_exchange *x,
                                     int *fd);

/* One framed request/reply on a non-blocking socket, one step at a time. */
struct kerb_tcp_stream {
    int fd;
    BOOLEAN connecting;        /* waiting for connect() to finish */
    const krb5_data *message;  /* the request; not owned */
    size_t max_reply;
    unsigned char prefix[4];
    size_t sent;               /* bytes of prefix + message written */
    size_t prefix_read;
    unsigned char *reply;      /* malloc'd once the length is known */
    size_t reply_length, reply_read;
    int error;                 /* errno of the failure, or 0 (EMSGSIZE: length refused) */
};

/* Set up S on FD for MESSAGE; CONNECTING when FD is still connecting. */
void kerb_tcp_stream_init(struct kerb_tcp_stream *s, int fd, BOOLEAN connecting,
                          const krb5_data *message, size_t max_reply);
/* The poll() events S waits for. */
short kerb_tcp_stream_events(const struct kerb_tcp_stream *s);
/* Progress after poll() reported S's socket: KERB_IO_OK when the reply is complete (it
 * is then s->reply, s->reply_length, owned by S), KERB_IO_TIMEOUT when more is needed,
 * KERB_IO_FAILED (s->error says why). */
enum kerb_io_result kerb_tcp_stream_step(struct kerb_tcp_stream *s);
/* Take the reply out of S (the caller frees it). */
unsigned char *kerb_tcp_stream_take(struct kerb_tcp_stream *s, size_t *length);
/* Free the reply buffer; the socket is the caller's. */
void kerb_tcp_stream_clear(struct kerb_tcp_stream *s);

/* Send MESSAGE framed on FD and read the framed reply (at most MAX_REPLY bytes) into a
 * malloc'd *REPLY of *REPLY_LENGTH bytes. */
enum kerb_io_result kerb_tcp_exchange(int fd, const krb5_data *message, size_t max_reply,
                                      unsigned char **reply, size_t *reply_length,
                                      struct kerb_exchange *x);

/* A krb5.conf server entry: "host", "host:port", "[v6]", "[v6]:port", optionally after
 * "tcp/" or "udp/" (reported in *TRANSPORT when not NULL); DEFAULT_PORT when the entry
 * has none.  FALSE for what neither TCP nor UDP can reach (an https:// KDC proxy) or
 * what does not fit. */
BOOLEAN kerb_split_address(const char *entry, const char *default_port, char *host,
                           size_t host_size, char *port, size_t port_size,
                           enum kerb_transport *transport);

/* The addresses of HOST:PORT for a TCP connection (freeaddrinfo them), or NULL. */
struct addrinfo *kerb_tcp_resolve(const char *host, const char *port);

#endif
