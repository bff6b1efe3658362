/*
 * A krb5_context for one operation.  krb5 contexts are not shared between threads, so
 * every logon and message makes its own; MEMORY ccaches are process-wide, so the
 * sessions' caches are reachable from any of them.  The context carries the
 * operation's exchange: the KDC transport with its deadline, and for a PKINIT exchange
 * a trace callback that keeps what the PKINIT module returned (the library masks a
 * rejected KDC certificate behind a password prompt, kerberos-lab.md "Masking").
 */
#ifndef KERBEROS_KERB_CONTEXT_H
#define KERBEROS_KERB_CONTEXT_H

#include <krb5/krb5.h>
#include <profile.h>
#include <lsa/ntdef.h>

#include "kerb_exchange.h"

/* STATUS_SUCCESS, or STATUS_INTERNAL_ERROR (logged) when krb5.conf cannot be read.
 * Without PKINIT the context cannot load the PKINIT client module (kerb_conf_view.h). */
NTSTATUS kerb_context_new(struct kerb_exchange *x, BOOLEAN pkinit, krb5_context *ctx);

/* Before a PKINIT exchange on CTX: the trace callback that fills in X's pkinit codes. */
void kerb_context_trace_pkinit(krb5_context ctx, struct kerb_exchange *x);

/* krb5.conf's [realms] REALM NAME values (kdc, kpasswd_server, ...), for
 * profile_free_list; NULL when there are none. */
char **kerb_realm_values(profile_t profile, const char *realm, const char *name);

/* krb5.conf's [libdefaults] NAME as an integer; DEFAULT_VALUE when it is absent, or
 * (logged) when it is not an integer. */
int kerb_libdefaults_integer(profile_t profile, const char *name, int default_value);

/* krb5.conf's [libdefaults] NAME as a boolean; DEFAULT_VALUE when it is absent, or
 * (logged) when it is not a boolean. */
int kerb_libdefaults_boolean(profile_t profile, const char *name, int default_value);

/* The library's message for CODE, for a log line (never holds a secret). */
void kerb_log_krb5_error(int priority, krb5_context ctx, krb5_error_code code,
                         const char *what);

#endif
