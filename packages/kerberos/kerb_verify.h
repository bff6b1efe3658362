/*
 * TGT verification against the machine's keytab ([kerberos] verify_ticket): a TGS
 * exchange for the machine principal and its decryption with the keytab prove the
 * TGT came from the real KDC, not from one spoofed together with the password
 * (pam-krb5 and SSSD do the same).
 */
#ifndef KERBEROS_KERB_VERIFY_H
#define KERBEROS_KERB_VERIFY_H

#include <krb5/krb5.h>
#include <lsa/ntdef.h>

#include "kerb_config.h"

/* STATUS_SUCCESS when verified or not required; STATUS_LOGON_FAILURE (logged) when the
 * TGT fails verification or verify_ticket = true and the keytab has no machine key. */
NTSTATUS kerb_verify_tgt(krb5_context ctx, const struct kerb_config *config, krb5_creds *creds);

/* The machine keytab ([kerberos] machine_keytab, else krb5's default). */
krb5_error_code kerb_machine_keytab(krb5_context ctx, const struct kerb_config *config,
                                    krb5_keytab *keytab);

#endif
