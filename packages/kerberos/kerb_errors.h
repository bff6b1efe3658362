/*
 * How a failed AS exchange is reported, as Windows reports it (kerberos(8) ERRORS;
 * the codes are those of kerberos-lab.md step 3).  The krb5 code always goes to the log.
 */
#ifndef KERBEROS_KERB_ERRORS_H
#define KERBEROS_KERB_ERRORS_H

#include <krb5/krb5.h>
#include <lsa/ntdef.h>

#include "kerb_exchange.h"

struct kerb_as_failure {
    krb5_error_code code;       /* what the exchange returned */
    krb5_error_code kdc_error;  /* the KDC's KRB-ERROR as a krb5 code, or 0 */
    char kdc_text[128];         /* its e-text */
    BOOLEAN pkinit;             /* a certificate logon: no password was offered */
    BOOLEAN pin_asked;          /* the identity asked for a PIN (responder) */
    BOOLEAN pin_given;          /* and the logon carried one */
};

/* The NTSTATUS (and SubStatus) for FAILURE of the exchange X. */
NTSTATUS kerb_map_as_failure(const struct kerb_exchange *x, const struct kerb_as_failure *failure,
                             NTSTATUS *sub_status);

#endif
