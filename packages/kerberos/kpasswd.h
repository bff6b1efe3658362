/*
 * The kpasswd exchange of a password change (RFC 3244, version 1) within the operation's
 * deadline ([kerberos] kdc_timeout, kerb_exchange.h).  krb5_change_password() sends
 * through the library's k5_sendto, which the KDC pre-send hook (kdc_transport.h) never
 * sees and which waits tens of seconds for a server that accepts and never answers; so
 * the package speaks to the kpasswd server itself, over TCP (kerb_tcp.h), with MIT krb5
 * making and reading every Kerberos message (kpasswd_proto.h has the framing).
 *
 * The servers: krb5.conf's [realms] kpasswd_server entries (port 464 by default), else
 * its admin_server hosts on port 464, as the library would choose them; each address in
 * turn until one answers.  A realm with neither is left to krb5_change_password() (DNS
 * discovery, if krb5.conf enables it), without the deadline.
 */
#ifndef KERBEROS_KPASSWD_H
#define KERBEROS_KPASSWD_H

#include <krb5/krb5.h>

#include "kerb_exchange.h"

/* Change the password of CREDS's client (CREDS: an initial kadmin/changepw ticket) to
 * NEW_PASSWORD.  0 when a server answered: *RESULT_CODE (KRB5_KPASSWD_*) and its
 * message in *RESULT_STRING (krb5_free_data_contents).  KRB5_KDC_UNREACH when no server
 * answered, logged; x->deadline_passed when the deadline cut it off.  Other codes: a
 * reply that could not be read. */
krb5_error_code kerb_kpasswd_change(krb5_context ctx, struct kerb_exchange *x,
                                    krb5_creds *creds, const char *new_password,
                                    int *result_code, krb5_data *result_string);

#endif
