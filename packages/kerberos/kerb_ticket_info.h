/*
 * A krb5_creds of a ticket cache as the Kerberos messages describe it (spec/lsa-api.md
 * §5.4): names as UTF-16 strings, times in NT format (100 ns since 1601-01-01 UTC),
 * ticket flags, the ticket's encryption type and the session key's.
 *
 * Ticket flags: krb5's TKT_FLG_* are the RFC 4120 KerberosFlags bits in the same
 * positions as KERB_TICKET_FLAGS_* (forwardable 0x40000000 ... enc_pa_rep 0x00010000),
 * so the value passes through unchanged; kerb_ticket_info.c asserts that at build time.
 */
#ifndef KERBEROS_KERB_TICKET_INFO_H
#define KERBEROS_KERB_TICKET_INFO_H

#include <stdint.h>

#include <krb5/krb5.h>
#include <lsa/ntsecapi.h>

struct kerb_ticket_info {
    UNICODE_STRING client_name;  /* without the realm */
    UNICODE_STRING client_realm;
    UNICODE_STRING server_name;  /* without the realm, e.g. krbtgt/EXAMPLE.TEST */
    UNICODE_STRING server_realm;
    int64_t start_time, end_time, renew_time; /* NT time */
    LONG encryption_type;  /* of the ticket (its enc-part), KERB_ETYPE_NULL if unreadable */
    ULONG ticket_flags;
    LONG session_key_type;
};

/* NT time of a krb5 timestamp (unsigned 32-bit seconds since 1970 from krb5 1.15 on,
 * which keeps working after 2038); 0 stays 0 ("not set"). */
int64_t kerb_nt_time(krb5_timestamp t);
ULONG kerb_ticket_flags(krb5_flags flags);
/* The encryption type of an encoded ticket's enc-part: KERB_ETYPE_NULL if it does not
 * decode. */
LONG kerb_ticket_enctype(krb5_context ctx, const krb5_data *ticket);

/* PRINCIPAL without its realm / a realm, as a new UTF-16 string
 * (lsa_free_unicode_string). */
NTSTATUS kerb_principal_name_unicode(krb5_context ctx, krb5_const_principal principal,
                                     UNICODE_STRING *out);
NTSTATUS kerb_realm_unicode(const krb5_data *realm, UNICODE_STRING *out);
/* One component of PRINCIPAL as a new UTF-16 string. */
NTSTATUS kerb_component_unicode(krb5_const_principal principal, int i, UNICODE_STRING *out);

/* Fill INFO from CREDS: STATUS_NO_MEMORY, or STATUS_INVALID_PARAMETER for a name that
 * is not UTF-8.  kerb_ticket_info_free() after either. */
NTSTATUS kerb_ticket_info_from_creds(krb5_context ctx, const krb5_creds *creds,
                                     struct kerb_ticket_info *info);
void kerb_ticket_info_free(struct kerb_ticket_info *info);

#endif
