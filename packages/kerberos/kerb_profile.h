/*
 * The profile a successful Kerberos logon returns (spec §5.3): KERB_INTERACTIVE_PROFILE
 * for a password logon; KERB_SMART_CARD_PROFILE for a PKINIT one, as Windows gives for a
 * smart-card or certificate logon, with the DER of the certificate the logon used when
 * the identity is in files (CertificateSize 0 for a token's).
 */
#ifndef KERBEROS_KERB_PROFILE_H
#define KERBEROS_KERB_PROFILE_H

#include "kerb_logon.h"

/* PKINIT_IDENTITY: NULL for a password logon. */
NTSTATUS kerb_profile_build(struct kerb_logon *l, const char *pkinit_identity);

#endif
