/*
 * KDCs pinned for a realm in this LSA (KerbPinKdcMessage / KerbUnpinAllKdcsMessage):
 * the transport tries a pinned KDC before krb5.conf's.  Thread safe.
 */
#ifndef KERBEROS_KDC_PINS_H
#define KERBEROS_KDC_PINS_H

#include <lsa/ntdef.h>

/* Pin ADDRESS ("host", "host:port", "[v6]:port") for REALM, replacing an older pin. */
NTSTATUS kerb_pin_kdc(const char *realm, const char *address);
void kerb_unpin_all_kdcs(void);
/* A copy of the pinned address for REALM (free()), or NULL. */
char *kerb_pinned_kdc(const char *realm);

#endif
