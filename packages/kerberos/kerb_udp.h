/*
 * UDP to a KDC (RFC 4120 §7.2.1: one request per datagram, one reply per datagram).  The
 * socket is connected, so the kernel delivers only datagrams from the address the
 * request went to, and an ICMP port unreachable comes back as ECONNREFUSED: that KDC
 * failed at once.  Non-blocking; the waiting and retransmitting is kdc_sendto.c's.
 */
#ifndef KERBEROS_KERB_UDP_H
#define KERBEROS_KERB_UDP_H

#include <stddef.h>
#include <sys/socket.h>

#include <krb5/krb5.h>

/* The largest datagram read (a UDP payload cannot be larger). */
#define KERB_MAX_UDP_REPLY 65536

/* A connected non-blocking UDP socket to ADDR in *FD: 0, else -1 with errno set. */
int kerb_udp_open(const struct sockaddr *addr, socklen_t addr_length, int *fd);

/* Send MESSAGE as one datagram: 0, else -1 with errno set (ECONNREFUSED: an earlier
 * datagram drew an ICMP port unreachable). */
int kerb_udp_send(int fd, const krb5_data *message);

/* Read one datagram of at most MAX_REPLY bytes into a malloc'd *REPLY: 1 with the reply,
 * 0 when there is none to take (nothing queued, or an empty or oversized datagram,
 * dropped), -1 with errno set when the socket failed (ECONNREFUSED: port unreachable). */
int kerb_udp_receive(int fd, size_t max_reply, unsigned char **reply, size_t *reply_length);

#endif
