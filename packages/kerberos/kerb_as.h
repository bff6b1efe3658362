/*
 * The AS exchange of a logon, on krb5_init_creds_* so that the KDC's KRB-ERROR (its code
 * and e-text) is at hand when it fails.  Exactly one credential: a password, a PKINIT
 * identity (with an optional PIN, answered through the responder; the prompter refuses
 * every prompt, so a rejected KDC certificate never becomes a password prompt), or a
 * keytab.
 */
#ifndef KERBEROS_KERB_AS_H
#define KERBEROS_KERB_AS_H

#include <krb5/krb5.h>

#include "kerb_errors.h"
#include "kerb_exchange.h"

struct kerb_as_request {
    krb5_principal client;
    const char *password;        /* or NULL */
    const char *pkinit_identity; /* or NULL */
    const char *pkinit_anchors;  /* or NULL: krb5.conf's */
    const char *pin;             /* or NULL */
    krb5_keytab keytab;          /* or NULL */
    const char *service;         /* NULL: krbtgt/REALM; "kadmin/changepw" */
};

/* 0 and *CREDS (krb5_free_cred_contents), or the code with *FAILURE filled in. */
krb5_error_code kerb_as_exchange(krb5_context ctx, struct kerb_exchange *x,
                                 const struct kerb_as_request *request, krb5_creds *creds,
                                 struct kerb_as_failure *failure);

#endif
