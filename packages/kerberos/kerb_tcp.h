/*
 * TCP to a Kerberos server within an exchange's deadline (kerb_exchange.h): connecting,
 * and one request/reply in the framing of RFC 4120 §7.2.2 (a four-byte big-endian
 * length, then the message; the same back), which kpasswd over TCP shares (RFC 3244
 * §1).  Every wait is a poll() bounded by what is left of the deadline.  Used by the KDC
 * transport (kdc_transport.c) and the kpasswd exchange (kpasswd.c).
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

/* A connected non-blocking socket to AI in *FD (KERB_IO_OK), else nothing is left open. */
enum kerb_io_result kerb_tcp_connect(const struct addrinfo *ai, struct kerb_exchange *x,
                                     int *fd);

/* Send MESSAGE framed on FD and read the framed reply (at most MAX_REPLY bytes) into a
 * malloc'd *REPLY of *REPLY_LENGTH bytes. */
enum kerb_io_result kerb_tcp_exchange(int fd, const krb5_data *message, size_t max_reply,
                                      unsigned char **reply, size_t *reply_length,
                                      struct kerb_exchange *x);

/* A krb5.conf server entry: "host", "host:port", "[v6]", "[v6]:port", optionally after
 * "tcp/" or "udp/" (TCP is used either way); DEFAULT_PORT when the entry has none.
 * FALSE for what TCP cannot reach (an https:// KDC proxy) or what does not fit. */
BOOLEAN kerb_split_address(const char *entry, const char *default_port, char *host,
                           size_t host_size, char *port, size_t port_size);

/* The addresses of HOST:PORT for a TCP connection (freeaddrinfo them), or NULL. */
struct addrinfo *kerb_tcp_resolve(const char *host, const char *port);

#endif
