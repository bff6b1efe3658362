/*
 * KerbQueryTicketCacheMessage (1), ...Ex (14), ...Ex2 (20), ...Ex3 (25) (spec/lsa-api.md
 * §5.4): the tickets of a session's cache, configuration entries left out.
 *
 *   request    KERB_QUERY_TKT_CACHE_REQUEST, exactly 12 bytes as in Wine (anything else:
 *              function result STATUS_INVALID_PARAMETER)
 *   reply      KERB_QUERY_TKT_CACHE[_EX/_EX2/_EX3]_RESPONSE: MessageType = the request's,
 *              CountOfTickets, Tickets[] in cache order, then the strings
 *   level 1    ServerName without the realm, RealmName = the server's realm
 *   Ex         + ClientName, ClientRealm
 *   Ex2        + SessionKeyType (BranchId 0)
 *   Ex3        + CacheFlags 0, KdcCalled empty (not recorded)
 *
 * Times are NT times, EncryptionType the ticket's, TicketFlags krb5's (same bits).  A
 * machine session whose cache does not exist yet has no tickets (CountOfTickets 0).
 */
#include <stdlib.h>
#include <string.h>

#include <lsa/ntstatus.h>

#include "kerb_call.h"
#include "kerb_context.h"
#include "kerb_log.h"
#include "kerb_package.h"
#include "kerb_ticket_info.h"
#include "package_reply.h"
#include "array_room.h"

struct ticket_list {
    struct kerb_ticket_info *items;
    size_t count, capacity;
};

static void list_free(struct ticket_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        kerb_ticket_info_free(&list->items[i]);
    free(list->items);
    memset(list, 0, sizeof(*list));
}

static NTSTATUS list_add(struct ticket_list *list, krb5_context ctx, const krb5_creds *creds)
{
    NTSTATUS status;

    struct kerb_ticket_info *items = lsa_array_room(list->items, &list->capacity, list->count,
                                                    sizeof(*items), 8);

    if (items == NULL)
        return STATUS_NO_MEMORY;
    list->items = items;
    status = kerb_ticket_info_from_creds(ctx, creds, &list->items[list->count]);
    if (status != STATUS_SUCCESS) {
        kerb_ticket_info_free(&list->items[list->count]);
        return status;
    }
    list->count++;
    return STATUS_SUCCESS;
}

/* The tickets of CC into LIST.  A cache that does not exist holds none. */
static NTSTATUS read_cache(krb5_context ctx, krb5_ccache cc, struct ticket_list *list)
{
    krb5_cc_cursor cursor;
    krb5_creds creds;
    krb5_error_code code = krb5_cc_start_seq_get(ctx, cc, &cursor);
    NTSTATUS status = STATUS_SUCCESS;

    if (code == KRB5_FCC_NOFILE || code == KRB5_CC_NOTFOUND)
        return STATUS_SUCCESS;
    if (code != 0) {
        kerb_log_krb5_error(LOG_ERR, ctx, code, "cannot read a session's ticket cache");
        return STATUS_INTERNAL_ERROR;
    }
    while (status == STATUS_SUCCESS && (code = krb5_cc_next_cred(ctx, cc, &cursor, &creds)) == 0) {
        if (!krb5_is_config_principal(ctx, creds.server))
            status = list_add(list, ctx, &creds);
        krb5_free_cred_contents(ctx, &creds);
    }
    krb5_cc_end_seq_get(ctx, cc, &cursor);
    if (status != STATUS_SUCCESS) {
        kerb_log(LOG_ERR, "cannot list a session's ticket cache (0x%08x)", (unsigned)status);
        return status;
    }
    if (code != KRB5_CC_END) {
        kerb_log_krb5_error(LOG_ERR, ctx, code, "cannot read a session's ticket cache");
        return STATUS_INTERNAL_ERROR;
    }
    return STATUS_SUCCESS;
}

static size_t entry_size(KERB_PROTOCOL_MESSAGE_TYPE type)
{
    switch (type) {
    case KerbQueryTicketCacheMessage:
        return sizeof(KERB_TICKET_CACHE_INFO);
    case KerbQueryTicketCacheExMessage:
        return sizeof(KERB_TICKET_CACHE_INFO_EX);
    case KerbQueryTicketCacheEx2Message:
        return sizeof(KERB_TICKET_CACHE_INFO_EX2);
    default:
        return sizeof(KERB_TICKET_CACHE_INFO_EX3);
    }
}

static void put_entry(struct pkg_reply *r, KERB_PROTOCOL_MESSAGE_TYPE type, PUCHAR at,
                      const struct kerb_ticket_info *t)
{
    if (type == KerbQueryTicketCacheMessage) {
        KERB_TICKET_CACHE_INFO e;

        memset(&e, 0, sizeof(e));
        pkg_reply_put_unicode(r, &e.ServerName, t->server_name.Buffer, t->server_name.Length);
        pkg_reply_put_unicode(r, &e.RealmName, t->server_realm.Buffer, t->server_realm.Length);
        e.StartTime.QuadPart = t->start_time;
        e.EndTime.QuadPart = t->end_time;
        e.RenewTime.QuadPart = t->renew_time;
        e.EncryptionType = t->encryption_type;
        e.TicketFlags = t->ticket_flags;
        memcpy(at, &e, sizeof(e));
        return;
    }
    /* EX, EX2 and EX3 share their first members (asserted in the public header). */
    KERB_TICKET_CACHE_INFO_EX3 e;

    memset(&e, 0, sizeof(e));
    pkg_reply_put_unicode(r, &e.ClientName, t->client_name.Buffer, t->client_name.Length);
    pkg_reply_put_unicode(r, &e.ClientRealm, t->client_realm.Buffer, t->client_realm.Length);
    pkg_reply_put_unicode(r, &e.ServerName, t->server_name.Buffer, t->server_name.Length);
    pkg_reply_put_unicode(r, &e.ServerRealm, t->server_realm.Buffer, t->server_realm.Length);
    e.StartTime.QuadPart = t->start_time;
    e.EndTime.QuadPart = t->end_time;
    e.RenewTime.QuadPart = t->renew_time;
    e.EncryptionType = t->encryption_type;
    e.TicketFlags = t->ticket_flags;
    e.SessionKeyType = (ULONG)t->session_key_type;
    memcpy(at, &e, entry_size(type));
}

static NTSTATUS reply(struct kerb_call *call, KERB_PROTOCOL_MESSAGE_TYPE type,
                      const struct ticket_list *list)
{
    const size_t header = offsetof(KERB_QUERY_TKT_CACHE_RESPONSE, Tickets);
    size_t size = header + list->count * entry_size(type);
    struct pkg_reply r;
    NTSTATUS status;

    for (size_t i = 0; i < list->count; i++) {
        const struct kerb_ticket_info *t = &list->items[i];

        size += PKG_REPLY_ROOM(t->server_name.Length) + PKG_REPLY_ROOM(t->server_realm.Length);
        if (type != KerbQueryTicketCacheMessage)
            size += PKG_REPLY_ROOM(t->client_name.Length) +
                    PKG_REPLY_ROOM(t->client_realm.Length);
    }
    if (size > UINT32_MAX / 2) {
        kerb_log(LOG_ERR, "ticket cache listing too large (%zu tickets)", list->count);
        return kerb_call_outcome(call, STATUS_NO_MEMORY);
    }
    status = pkg_reply_begin(&r, kerb_package.lsa, call->request, (ULONG)size,
                             (ULONG)(header + list->count * entry_size(type)));
    if (status != STATUS_SUCCESS) {
        kerb_log(LOG_ERR, "cannot allocate the ticket cache reply (0x%08x)", (unsigned)status);
        return kerb_call_outcome(call, status);
    }
    ((KERB_QUERY_TKT_CACHE_RESPONSE *)r.local)->MessageType = type;
    ((KERB_QUERY_TKT_CACHE_RESPONSE *)r.local)->CountOfTickets = (ULONG)list->count;
    for (size_t i = 0; i < list->count; i++)
        put_entry(&r, type, r.local + header + i * entry_size(type), &list->items[i]);
    status = pkg_reply_end(&r, call->return_buffer, call->return_length);
    if (status != STATUS_SUCCESS)
        kerb_log(LOG_ERR, "cannot copy the ticket cache reply (0x%08x)", (unsigned)status);
    return kerb_call_outcome(call, status);
}

NTSTATUS kerb_msg_query_ticket_cache(struct kerb_call *call, KERB_PROTOCOL_MESSAGE_TYPE type)
{
    KERB_QUERY_TKT_CACHE_REQUEST request;
    struct ticket_list list = {0};
    struct kerb_exchange x;
    krb5_context ctx = NULL;
    krb5_ccache cc = NULL;
    NTSTATUS status;

    if (call->length != sizeof(request) || !kerb_call_fits(call, sizeof(request))) {
        kerb_log(LOG_INFO, "ticket cache query of %u bytes, not %zu", (unsigned)call->length,
                 sizeof(request));
        return STATUS_INVALID_PARAMETER;
    }
    memcpy(&request, call->submit, sizeof(request));
    status = kerb_resolve_logon_id(call, &request.LogonId);
    if (status != STATUS_SUCCESS)
        return kerb_call_outcome(call, status);

    status = kerb_call_context(&x, &ctx);
    if (status == STATUS_SUCCESS)
        status = kerb_call_open_ccache(ctx, &request.LogonId, &cc);
    if (status == STATUS_SUCCESS)
        status = read_cache(ctx, cc, &list);
    if (cc != NULL)
        krb5_cc_close(ctx, cc);
    if (ctx != NULL)
        krb5_free_context(ctx);
    if (status == STATUS_SUCCESS)
        status = reply(call, type, &list);
    else
        status = kerb_call_outcome(call, status);
    list_free(&list);
    return status;
}
