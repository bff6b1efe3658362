/*
 * The device certificate of a device logon, checked before anything is sent (spec
 * §5.5: "device logon requires a DNS name in it"): a dNSName SAN, inside its validity
 * period, and the private key its public key.  FILE:cert,key and PKCS12:file identities
 * (PKCS12 without a password, or with PIN as its password); a PKCS11 identity is left to
 * the token.
 */
#ifndef KERBEROS_DEVICE_CERT_CHECK_H
#define KERBEROS_DEVICE_CERT_CHECK_H

#include <lsa/ntdef.h>

/* STATUS_SUCCESS, or STATUS_PKINIT_CLIENT_FAILURE with *SUB_STATUS and a log line. */
NTSTATUS kerb_check_device_certificate(const char *identity, const char *pin,
                                       NTSTATUS *sub_status);

#endif
