/*
 * KerbPurgeTicketCacheMessage (6) and KerbPurgeTicketCacheExMessage (15) (spec/lsa-api.md
 * §5.4): remove tickets from a session's cache.  No reply buffer.
 *
 *   Purge     ServerName and RealmName both empty: every ticket; otherwise the tickets
 *             of ServerName@RealmName, an empty one matching any
 *   PurgeEx   Flags KERB_PURGE_ALL_TICKETS: every ticket; otherwise those matching the
 *             template's ClientName, ClientRealm, ServerName, ServerRealm (an empty one
 *             matches any; its other members are not compared)
 *
 * Names compare as Windows compares them, ignoring ASCII case; a name is the principal
 * without its realm ("krbtgt/EXAMPLE.TEST", "host/client.example.test").  Configuration
 * entries are never removed.  ProtocolStatus STATUS_SUCCESS when at least one ticket
 * went, SEC_E_NO_CREDENTIALS when none matched.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <lsa/lsa_util.h>
#include <lsa/ntstatus.h>

#include "kerb_call.h"
#include "kerb_context.h"
#include "kerb_log.h"

struct purge_match {
    char *client_name, *client_realm, *server_name, *server_realm; /* NULL: any */
};

static void match_free(struct purge_match *m)
{
    lsa_free_utf8(m->client_name);
    lsa_free_utf8(m->client_realm);
    lsa_free_utf8(m->server_name);
    lsa_free_utf8(m->server_realm);
    memset(m, 0, sizeof(*m));
}

/* An empty string matches any: *OUT NULL. */
static NTSTATUS match_string(PCUNICODE_STRING s, char **out)
{
    *out = NULL;
    if (s->Length == 0)
        return STATUS_SUCCESS;
    return lsa_unicode_string_to_utf8(s, out, NULL);
}

static BOOLEAN name_matches(krb5_context ctx, krb5_const_principal p, const char *name,
                            const char *realm)
{
    char *unparsed = NULL;
    BOOLEAN ok = TRUE;

    if (realm != NULL)
        ok = strlen(realm) == p->realm.length &&
             strncasecmp(realm, p->realm.data, p->realm.length) == 0;
    if (ok && name != NULL) {
        ok = krb5_unparse_name_flags(ctx, p, KRB5_PRINCIPAL_UNPARSE_NO_REALM, &unparsed) == 0 &&
             strcasecmp(unparsed, name) == 0;
        krb5_free_unparsed_name(ctx, unparsed);
    }
    return ok;
}

static BOOLEAN creds_match(krb5_context ctx, const krb5_creds *c, const struct purge_match *m)
{
    return name_matches(ctx, c->client, m->client_name, m->client_realm) &&
           name_matches(ctx, c->server, m->server_name, m->server_realm);
}

struct creds_list {
    krb5_creds *items;
    size_t count, capacity;
};

static void list_free(krb5_context ctx, struct creds_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        krb5_free_cred_contents(ctx, &l->items[i]);
    free(l->items);
    memset(l, 0, sizeof(*l));
}

/* The matching tickets of CC into L (each owned by L). */
static krb5_error_code collect(krb5_context ctx, krb5_ccache cc, const struct purge_match *m,
                               struct creds_list *l)
{
    krb5_cc_cursor cursor;
    krb5_creds creds;
    krb5_error_code code = krb5_cc_start_seq_get(ctx, cc, &cursor);

    if (code != 0)
        return code;
    while ((code = krb5_cc_next_cred(ctx, cc, &cursor, &creds)) == 0) {
        if (krb5_is_config_principal(ctx, creds.server) || !creds_match(ctx, &creds, m)) {
            krb5_free_cred_contents(ctx, &creds);
            continue;
        }
        if (l->count == l->capacity) {
            size_t capacity = l->capacity ? 2 * l->capacity : 8;
            krb5_creds *items = realloc(l->items, capacity * sizeof(*items));

            if (items == NULL) {
                krb5_free_cred_contents(ctx, &creds);
                code = ENOMEM;
                break;
            }
            l->items = items;
            l->capacity = capacity;
        }
        l->items[l->count++] = creds;
    }
    krb5_cc_end_seq_get(ctx, cc, &cursor);
    return code == KRB5_CC_END ? 0 : code;
}

static NTSTATUS purge(struct kerb_call *call, LUID logon_id, const struct purge_match *m)
{
    struct creds_list list = {0};
    struct kerb_exchange x;
    krb5_context ctx = NULL;
    krb5_ccache cc = NULL;
    krb5_error_code code;
    size_t removed = 0;
    NTSTATUS status = kerb_resolve_logon_id(call, &logon_id);

    if (status == STATUS_SUCCESS)
        status = kerb_call_context(&x, &ctx);
    if (status == STATUS_SUCCESS)
        status = kerb_call_open_ccache(ctx, &logon_id, &cc);
    if (status == STATUS_SUCCESS) {
        code = collect(ctx, cc, m, &list);
        if (code != 0 && code != KRB5_FCC_NOFILE && code != KRB5_CC_NOTFOUND) {
            kerb_log_krb5_error(LOG_ERR, ctx, code, "cannot read a session's ticket cache");
            status = STATUS_INTERNAL_ERROR;
        }
    }
    /* The cursor is closed: removing now cannot disturb it. */
    for (size_t i = 0; status == STATUS_SUCCESS && i < list.count; i++) {
        code = krb5_cc_remove_cred(ctx, cc, KRB5_TC_MATCH_TIMES_EXACT, &list.items[i]);
        if (code == 0 || code == KRB5_CC_NOTFOUND) {
            removed += code == 0;
        } else {
            kerb_log_krb5_error(LOG_ERR, ctx, code, "cannot remove a ticket from a session");
            status = STATUS_INTERNAL_ERROR;
        }
    }
    if (status == STATUS_SUCCESS && removed == 0) {
        kerb_log(LOG_INFO, "purge of logon session %x:%x: no matching ticket",
                 (unsigned)logon_id.HighPart, (unsigned)logon_id.LowPart);
        status = SEC_E_NO_CREDENTIALS;
    } else if (status == STATUS_SUCCESS) {
        kerb_log(LOG_INFO, "purge of logon session %x:%x: %zu ticket(s) removed",
                 (unsigned)logon_id.HighPart, (unsigned)logon_id.LowPart, removed);
    }
    list_free(ctx, &list);
    if (cc != NULL)
        krb5_cc_close(ctx, cc);
    if (ctx != NULL)
        krb5_free_context(ctx);
    return kerb_call_outcome(call, status);
}

NTSTATUS kerb_msg_purge_ticket_cache(struct kerb_call *call)
{
    KERB_PURGE_TKT_CACHE_REQUEST *r = call->submit;
    struct purge_match m = {0};
    NTSTATUS status;

    if (!kerb_call_fits(call, sizeof(*r)) ||
        kerb_call_relocate(call, &r->ServerName) != STATUS_SUCCESS ||
        kerb_call_relocate(call, &r->RealmName) != STATUS_SUCCESS) {
        kerb_log(LOG_INFO, "PurgeTicketCache request of %u bytes is malformed",
                 (unsigned)call->length);
        return STATUS_INVALID_PARAMETER;
    }
    if (match_string(&r->ServerName, &m.server_name) != STATUS_SUCCESS ||
        match_string(&r->RealmName, &m.server_realm) != STATUS_SUCCESS) {
        match_free(&m);
        kerb_log(LOG_INFO, "PurgeTicketCache: a name is not valid UTF-16");
        return STATUS_INVALID_PARAMETER;
    }
    status = purge(call, r->LogonId, &m);
    match_free(&m);
    return status;
}

NTSTATUS kerb_msg_purge_ticket_cache_ex(struct kerb_call *call)
{
    KERB_PURGE_TKT_CACHE_EX_REQUEST *r = call->submit;
    KERB_TICKET_CACHE_INFO_EX *t = &r->TicketTemplate;
    struct purge_match m = {0};
    NTSTATUS status;

    if (!kerb_call_fits(call, sizeof(*r)) ||
        kerb_call_relocate(call, &t->ClientName) != STATUS_SUCCESS ||
        kerb_call_relocate(call, &t->ClientRealm) != STATUS_SUCCESS ||
        kerb_call_relocate(call, &t->ServerName) != STATUS_SUCCESS ||
        kerb_call_relocate(call, &t->ServerRealm) != STATUS_SUCCESS) {
        kerb_log(LOG_INFO, "PurgeTicketCacheEx request of %u bytes is malformed",
                 (unsigned)call->length);
        return STATUS_INVALID_PARAMETER;
    }
    if (!(r->Flags & KERB_PURGE_ALL_TICKETS) &&
        (match_string(&t->ClientName, &m.client_name) != STATUS_SUCCESS ||
         match_string(&t->ClientRealm, &m.client_realm) != STATUS_SUCCESS ||
         match_string(&t->ServerName, &m.server_name) != STATUS_SUCCESS ||
         match_string(&t->ServerRealm, &m.server_realm) != STATUS_SUCCESS)) {
        match_free(&m);
        kerb_log(LOG_INFO, "PurgeTicketCacheEx: a name is not valid UTF-16");
        return STATUS_INVALID_PARAMETER;
    }
    status = purge(call, r->LogonId, &m);
    match_free(&m);
    return status;
}
