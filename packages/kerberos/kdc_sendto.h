/*
 * One KDC request over UDP and TCP at once, on MIT krb5's schedule (lib/krb5/os/
 * sendto_kdc.c, k5_sendto), inside the exchange's deadline.  The caller
 * (kdc_transport.c) lists the connections in the order MIT's resolve_server() makes
 * them, each UDP or TCP and deferred or not; this file contacts them:
 *   pass 1: each connection not deferred, in order, then each deferred one, waiting up
 *           to 1 s for a reply after each; then 2 s;
 *   passes 2 and 3: each UDP connection again (retransmission; TCP ones are written
 *           once), 1 s after each, then 4 s, then 8 s.
 * Every connection started stays in the poll set: a reply from any of them ends the
 * request.  Our changes to MIT's schedule, all for the deadline (kdc_timeout):
 *   - no wait goes past the deadline; when it passes, the request ends (KERB_IO_TIMEOUT);
 *   - in pass 1 the wait before contacting the next connection is also at most a fair
 *     share of the time left (time left / (connections not yet contacted + 1)), so KDCs
 *     that never answer cannot use up the deadline before a later one is tried;
 *   - outside those pass-1 waits, a TCP connection keeps the wait open until 10 s after
 *     it connected, as MIT's get_endtime() does, but never past the deadline.
 * A connection fails at once, and is left out from then on, on a refused TCP connect,
 * an ICMP port unreachable on UDP (ECONNREFUSED on the connected socket), a closed TCP
 * stream or a reply longer than the limit.  A UDP reply that is a KRB-ERROR
 * KRB_ERR_RESPONSE_TOO_BIG ends that UDP connection and starts the TCP connection to the
 * same address now, when the list has one (RFC 4120 §7.2.1; MIT resends the whole
 * request over TCP only, from krb5_get_init_creds, which a send hook never sees).
 */
#ifndef KERBEROS_KDC_SENDTO_H
#define KERBEROS_KDC_SENDTO_H

#include <netdb.h>

#include <krb5/krb5.h>
#include <lsa/ntdef.h>

#include "kerb_exchange.h"
#include "kerb_tcp.h"

struct kdc_sendto;

struct kdc_sendto *kdc_sendto_new(void);
void kdc_sendto_free(struct kdc_sendto *s);

/* Append a connection to AI's address, over UDP or TCP; DEFER: contacted after every
 * connection not deferred.  FALSE when out of memory. */
BOOLEAN kdc_sendto_add(struct kdc_sendto *s, const struct addrinfo *ai, BOOLEAN udp,
                       BOOLEAN defer);

/* Send MESSAGE: KERB_IO_OK with the first reply in a malloc'd *REPLY (accepted only
 * from the address it was sent to, at most MAX_REPLY bytes), KERB_IO_TIMEOUT when the
 * deadline ended it, KERB_IO_FAILED when every connection failed or the schedule ended
 * without a reply.  Each failure is logged with its KDC and cause.  As MIT's
 * sendto_kdc.c, a KRB-ERROR KDC_ERR_SVC_UNAVAILABLE is no reply: the next KDC is asked. */
enum kerb_io_result kdc_sendto_run(struct kdc_sendto *s, krb5_context ctx,
                                   const krb5_data *message, size_t max_reply,
                                   struct kerb_exchange *x, unsigned char **reply,
                                   size_t *reply_length);

/* After a run without a reply: whether some KDC answered KDC_ERR_SVC_UNAVAILABLE (MIT then
 * reports that error rather than KRB5_KDC_UNREACH). */
BOOLEAN kdc_sendto_unavailable(const struct kdc_sendto *s);

#endif
