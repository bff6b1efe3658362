/*
 * A realm's servers from DNS SRV records (RFC 2782), found as MIT's locate_server finds
 * them when krb5.conf lists none and dns_lookup_kdc is true: _SERVICE._udp.REALM, then
 * _SERVICE._tcp.REALM, each list by priority (lowest first) and, for one priority, by
 * weight (highest first).  A target of "." (the service is not offered there) is left
 * out.  Found here rather than by the library so that the exchange's deadline covers
 * the lookups as well as the KDC round trips.
 */
#ifndef KERBEROS_KDC_DNS_H
#define KERBEROS_KDC_DNS_H

#include <arpa/nameser.h>
#include <stddef.h>

#include "kerb_exchange.h"

#define KERB_DNS_MAX_SERVERS 32

struct kerb_dns_server {
    char entry[NS_MAXDNAME + 16]; /* "udp/host:port" or "tcp/host:port", a krb5.conf entry */
    unsigned int priority, weight;
};

/* The SRV records in ANSWER, a DNS reply of LENGTH bytes, as servers over TRANSPORT
 * ("udp" or "tcp") appended in order to OUT, which holds *COUNT of at most MAX.  A
 * malformed reply adds nothing; a record that is not SRV, or does not fit, is skipped. */
void kerb_dns_srv_parse(const unsigned char *answer, size_t length, const char *transport,
                        struct kerb_dns_server *out, size_t *count, size_t max);

/* SERVICE ("_kerberos", "_kpasswd") of REALM over UDP and TCP, into OUT (at most MAX);
 * how many.  Each query (one try, each name server in turn, no search list) waits at
 * most what is left of X's deadline (in whole seconds, at least one per server: the
 * resolver's unit). */
size_t kerb_dns_locate(const char *service, const char *realm, const struct kerb_exchange *x,
                       struct kerb_dns_server *out, size_t max);

#endif
