#include "kerb_ticket_info.h"

#include <stdlib.h>
#include <string.h>

#include <lsa/lsa_util.h>
#include <lsa/ntstatus.h>

/* KERB_TICKET_FLAGS_* and krb5's TKT_FLG_* are the same bits (see the header). */
_Static_assert(TKT_FLG_FORWARDABLE == KERB_TICKET_FLAGS_forwardable, "forwardable");
_Static_assert(TKT_FLG_FORWARDED == KERB_TICKET_FLAGS_forwarded, "forwarded");
_Static_assert(TKT_FLG_PROXIABLE == KERB_TICKET_FLAGS_proxiable, "proxiable");
_Static_assert(TKT_FLG_PROXY == KERB_TICKET_FLAGS_proxy, "proxy");
_Static_assert(TKT_FLG_MAY_POSTDATE == KERB_TICKET_FLAGS_may_postdate, "may_postdate");
_Static_assert(TKT_FLG_POSTDATED == KERB_TICKET_FLAGS_postdated, "postdated");
_Static_assert(TKT_FLG_INVALID == KERB_TICKET_FLAGS_invalid, "invalid");
_Static_assert(TKT_FLG_RENEWABLE == KERB_TICKET_FLAGS_renewable, "renewable");
_Static_assert(TKT_FLG_INITIAL == KERB_TICKET_FLAGS_initial, "initial");
_Static_assert(TKT_FLG_PRE_AUTH == KERB_TICKET_FLAGS_pre_authent, "pre_authent");
_Static_assert(TKT_FLG_HW_AUTH == KERB_TICKET_FLAGS_hw_authent, "hw_authent");
_Static_assert(TKT_FLG_OK_AS_DELEGATE == KERB_TICKET_FLAGS_ok_as_delegate, "ok_as_delegate");
_Static_assert(TKT_FLG_ENC_PA_REP == KERB_TICKET_FLAGS_enc_pa_rep, "enc_pa_rep");

#define NT_EPOCH_OFFSET INT64_C(11644473600)
#define NT_TICKS_PER_SECOND INT64_C(10000000)

int64_t kerb_nt_time(krb5_timestamp t)
{
    if (t == 0)
        return 0;
    return ((int64_t)(uint32_t)t + NT_EPOCH_OFFSET) * NT_TICKS_PER_SECOND;
}

ULONG kerb_ticket_flags(krb5_flags flags)
{
    return (ULONG)flags;
}

LONG kerb_ticket_enctype(krb5_context ctx, const krb5_data *ticket)
{
    krb5_ticket *t = NULL;
    LONG etype;

    if (ticket == NULL || ticket->length == 0 || krb5_decode_ticket(ticket, &t) != 0)
        return KERB_ETYPE_NULL;
    etype = (LONG)t->enc_part.enctype;
    krb5_free_ticket(ctx, t);
    return etype;
}

static NTSTATUS utf8_to_unicode(const char *s, size_t n, UNICODE_STRING *out)
{
    memset(out, 0, sizeof(*out));
    if (n == 0)
        return STATUS_SUCCESS;
    return lsa_utf8_to_unicode_string(s, n, out);
}

NTSTATUS kerb_principal_name_unicode(krb5_context ctx, krb5_const_principal principal,
                                     UNICODE_STRING *out)
{
    char *name = NULL;
    NTSTATUS status;

    memset(out, 0, sizeof(*out));
    if (krb5_unparse_name_flags(ctx, principal, KRB5_PRINCIPAL_UNPARSE_NO_REALM, &name) != 0)
        return STATUS_NO_MEMORY;
    status = utf8_to_unicode(name, strlen(name), out);
    krb5_free_unparsed_name(ctx, name);
    return status;
}

NTSTATUS kerb_realm_unicode(const krb5_data *realm, UNICODE_STRING *out)
{
    return utf8_to_unicode(realm->data, realm->length, out);
}

NTSTATUS kerb_component_unicode(krb5_const_principal principal, int i, UNICODE_STRING *out)
{
    if (i < 0 || i >= principal->length) {
        memset(out, 0, sizeof(*out));
        return STATUS_INVALID_PARAMETER;
    }
    return utf8_to_unicode(principal->data[i].data, principal->data[i].length, out);
}

NTSTATUS kerb_ticket_info_from_creds(krb5_context ctx, const krb5_creds *creds,
                                     struct kerb_ticket_info *info)
{
    NTSTATUS status;

    memset(info, 0, sizeof(*info));
    status = kerb_principal_name_unicode(ctx, creds->client, &info->client_name);
    if (status == STATUS_SUCCESS)
        status = kerb_realm_unicode(&creds->client->realm, &info->client_realm);
    if (status == STATUS_SUCCESS)
        status = kerb_principal_name_unicode(ctx, creds->server, &info->server_name);
    if (status == STATUS_SUCCESS)
        status = kerb_realm_unicode(&creds->server->realm, &info->server_realm);
    if (status != STATUS_SUCCESS)
        return status;
    /* RFC 4120: a ticket without a starttime starts at its authtime. */
    info->start_time = kerb_nt_time(creds->times.starttime ? creds->times.starttime
                                                           : creds->times.authtime);
    info->end_time = kerb_nt_time(creds->times.endtime);
    info->renew_time = kerb_nt_time(creds->times.renew_till);
    info->encryption_type = kerb_ticket_enctype(ctx, &creds->ticket);
    info->ticket_flags = kerb_ticket_flags(creds->ticket_flags);
    info->session_key_type = (LONG)creds->keyblock.enctype;
    return STATUS_SUCCESS;
}

void kerb_ticket_info_free(struct kerb_ticket_info *info)
{
    lsa_free_unicode_string(&info->client_name);
    lsa_free_unicode_string(&info->client_realm);
    lsa_free_unicode_string(&info->server_name);
    lsa_free_unicode_string(&info->server_realm);
}
