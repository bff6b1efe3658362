/*
 * The KDC transport with a deadline (kerberos-lab.md (f): MIT 1.20 waits 27 s for a KDC
 * that accepts packets and never answers, and has no setting to shorten it).  Installed
 * as the context's pre-send hook, it carries every message krb5_sendto_kdc would send
 * (AS and TGS exchanges) itself: over TCP to the realm's pinned KDC, then to each
 * `kdc` of krb5.conf's [realms] entry in turn, all within the exchange's deadline.
 * When the deadline passes it answers KRB5_KDC_UNREACH.  A realm with no KDC listed is
 * left to the library (DNS discovery, if krb5.conf enables it).
 */
#ifndef KERBEROS_KDC_TRANSPORT_H
#define KERBEROS_KDC_TRANSPORT_H

#include <krb5/krb5.h>

#include "kerb_exchange.h"

void kerb_transport_install(krb5_context ctx, struct kerb_exchange *x);

/* The largest KDC reply accepted (a TGT with a large PAC is a few tens of KiB). */
#define KERB_MAX_KDC_REPLY (1024 * 1024)

#endif
