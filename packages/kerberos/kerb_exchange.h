/*
 * One operation's dealings with the KDCs (a logon, a ticket request, a password change):
 * its deadline, what the PKINIT module said in the trace, and the strict KDC validation
 * of a device logon.  kerb_context_new() installs it in a fresh krb5_context: the KDC
 * transport (kdc_transport.c) and, for a PKINIT exchange, the trace callback
 * (kerb_context.c) fill it in.
 */
#ifndef KERBEROS_KERB_EXCHANGE_H
#define KERBEROS_KERB_EXCHANGE_H

#include <stdint.h>

#include <krb5/krb5.h>
#include <lsa/ntdef.h>

struct kerb_exchange {
    int64_t deadline_ms;      /* CLOCK_MONOTONIC milliseconds */
    BOOLEAN deadline_passed;  /* a KDC exchange was cut off by the deadline */
    BOOLEAN kdc_answered;     /* at least one KDC replied */
    /* "Preauth module pkinit (N) (real) returned: CODE" in the library's trace: N = 16
     * building the request (our certificate), 17 reading the reply (the KDC's). */
    krb5_error_code pkinit_request_code;
    krb5_error_code pkinit_reply_code;
    /* Device logon: the KDC certificate in a PKINIT reply must pass kdc_cert_check.c
     * (EKU, krbtgt name, time, CRL) against these; its verdict when it failed. */
    BOOLEAN strict_kdc;
    const char *anchors;      /* FILE:... / DIR:... or NULL: krb5.conf's are not read */
    const char *crl;          /* FILE:... or NULL */
    NTSTATUS strict_sub_status;
    char strict_reason[160];
};

void kerb_exchange_init(struct kerb_exchange *x, int64_t timeout_ms);

/* Milliseconds left before the deadline (0 when it has passed). */
int64_t kerb_exchange_remaining_ms(const struct kerb_exchange *x);

#endif
