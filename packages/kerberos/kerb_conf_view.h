/*
 * The krb5 configuration a logon without PKINIT runs on: the process's krb5.conf as the
 * library reads it, plus "pkinit" in [plugins] clpreauth's disable list.
 *
 * A password or keytab logon never uses PKINIT, yet the library loads every client
 * preauth module on the first AS exchange of a context, and the PKINIT module's start
 * initialises OpenSSL as a whole (its configuration file and every algorithm name):
 * about 1.5 ms in each pam_lsa process.  Without the module, a krb5.conf that names
 * pkinit_identities cannot turn a password logon into a PIN prompt either.
 */
#ifndef KERBEROS_KERB_CONF_VIEW_H
#define KERBEROS_KERB_CONF_VIEW_H

#include <krb5/krb5.h>

/* A new context on that configuration, as krb5_init_context would make one; 0 or the
 * krb5 error. */
krb5_error_code kerb_context_without_pkinit(krb5_context *ctx);

#endif
