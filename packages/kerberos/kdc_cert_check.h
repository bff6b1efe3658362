/*
 * Strict KDC validation of a device logon (spec §5.5; kerberos-lab.md trap 3): MIT's
 * client accepts a KDC certificate without the KDC EKU when its pkinit-san names the
 * realm's krbtgt, so the transport hands every reply of a device logon here first.  A
 * PKINIT AS-REP's signer certificate must carry id-pkinit-KPKdc and verify against the
 * exchange's anchors (time, chain, and the CRL when one is configured).  MIT still
 * checks the krbtgt name and its own chain afterwards.
 */
#ifndef KERBEROS_KDC_CERT_CHECK_H
#define KERBEROS_KDC_CERT_CHECK_H

#include <krb5/krb5.h>

#include "kerb_exchange.h"

/* 0 when REPLY is not a PKINIT AS-REP or its KDC certificate passes; otherwise a krb5
 * error to end the exchange with, and X's strict_sub_status and strict_reason say why. */
krb5_error_code kerb_kdc_cert_check(struct kerb_exchange *x, const char *realm,
                                    const krb5_data *reply);

/* The CMS SignedData of the PA-PK-AS-REP in the AS-REP REPLY (DER), or FALSE when there
 * is none.  *SIGNED points into REPLY.  Exposed for the fuzz harness. */
BOOLEAN kerb_find_pkinit_signed_data(const unsigned char *reply, size_t length,
                                     const unsigned char **signed_data, size_t *signed_length);

#endif
