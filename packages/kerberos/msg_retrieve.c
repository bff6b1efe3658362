/*
 * KerbRetrieveTicketMessage (4) and KerbRetrieveEncodedTicketMessage (8) (spec/lsa-api.md
 * §5.4): a ticket of a session as KERB_RETRIEVE_TKT_RESPONSE (KERB_EXTERNAL_TICKET), with
 * the encoded ticket (or a KRB-CRED) and the session key (kerb_messages.c: who gets it).
 *
 * RetrieveTicket: the session's TGT, krbtgt/REALM@REALM of the client's realm, from the
 * cache only.  None: SEC_E_NO_CREDENTIALS.  Request KERB_QUERY_TKT_CACHE_REQUEST.
 *
 * RetrieveEncodedTicket: KERB_RETRIEVE_TKT_REQUEST.  TargetName "svc/host" (the client's
 * realm) or "svc/host@REALM".
 *   CacheOptions 0              a valid cached ticket, else one from the KDC, cached
 *   USE_CACHE_ONLY              cached only; none: STATUS_OBJECT_NAME_NOT_FOUND
 *   DONT_USE_CACHE              always from the KDC (with the session's TGT), not cached
 *   CACHE_TICKET                as 0, and cached whatever the other fields say
 *   MAX_LIFETIME                from the KDC, cached (replaces the cached ones); the
 *                               lifetime is what the KDC grants (no longer one is asked)
 *   AS_KERB_CRED                the ticket and key as a KRB-CRED (enc-part not
 *                               encrypted, krb5_mk_1cred without a key) in EncodedTicket
 *   USE_CREDHANDLE, WITH_SEC_CRED    STATUS_NOT_SUPPORTED (no SSPI credential handles)
 *   DONT_USE_CACHE with USE_CACHE_ONLY or CACHE_TICKET, MAX_LIFETIME with USE_CACHE_ONLY,
 *   unknown bits                STATUS_INVALID_PARAMETER
 * A non-zero TicketFlags, EncryptionType or CacheOptions means the ticket is not cached
 * (unless CACHE_TICKET / MAX_LIFETIME).  EncryptionType asks the KDC for that session-key
 * type and only matches cached tickets with it; TicketFlags only matches cached tickets
 * that carry those flags, and of them only forwardable is asked of the KDC.
 * All the outcomes are the ProtocolStatus; KDC failures map as kerb_msg_status.c.
 */
#include <stdlib.h>
#include <string.h>

#include <lsa/lsa_util.h>
#include <lsa/ntstatus.h>

#include "kerb_call.h"
#include "kerb_context.h"
#include "kerb_log.h"
#include "kerb_package.h"
#include "kerb_ticket_info.h"
#include "package_reply.h"

#define KNOWN_CACHE_OPTIONS                                                                   \
    (KERB_RETRIEVE_TICKET_DONT_USE_CACHE | KERB_RETRIEVE_TICKET_USE_CACHE_ONLY |              \
     KERB_RETRIEVE_TICKET_USE_CREDHANDLE | KERB_RETRIEVE_TICKET_AS_KERB_CRED |                \
     KERB_RETRIEVE_TICKET_WITH_SEC_CRED | KERB_RETRIEVE_TICKET_CACHE_TICKET |                 \
     KERB_RETRIEVE_TICKET_MAX_LIFETIME)

/* ---- KERB_EXTERNAL_TICKET ------------------------------------------------------------ */

struct external_name {
    SHORT type;
    USHORT count;
    UNICODE_STRING *names;
};

static void external_name_free(struct external_name *n)
{
    for (USHORT i = 0; n->names != NULL && i < n->count; i++)
        lsa_free_unicode_string(&n->names[i]);
    free(n->names);
    memset(n, 0, sizeof(*n));
}

static NTSTATUS external_name_make(krb5_const_principal p, struct external_name *n)
{
    NTSTATUS status = STATUS_SUCCESS;

    memset(n, 0, sizeof(*n));
    if (p->length < 0 || p->length > 64)
        return STATUS_INVALID_PARAMETER;
    n->type = (SHORT)p->type;
    n->names = calloc(p->length ? (size_t)p->length : 1, sizeof(UNICODE_STRING));
    if (n->names == NULL)
        return STATUS_NO_MEMORY;
    for (int i = 0; i < p->length && status == STATUS_SUCCESS; i++) {
        status = kerb_component_unicode(p, i, &n->names[i]);
        n->count = (USHORT)(i + 1);
    }
    return status;
}

static size_t external_name_room(const struct external_name *n)
{
    size_t size = PKG_REPLY_ROOM_ALIGNED(offsetof(KERB_EXTERNAL_NAME, Names) +
                                             (n->count ? n->count : 1) * sizeof(UNICODE_STRING),
                                         8);

    for (USHORT i = 0; i < n->count; i++)
        size += PKG_REPLY_ROOM(n->names[i].Length);
    return size;
}

static PKERB_EXTERNAL_NAME external_name_put(struct pkg_reply *r, const struct external_name *n)
{
    size_t fixed = offsetof(KERB_EXTERNAL_NAME, Names) +
                   (n->count ? n->count : 1) * sizeof(UNICODE_STRING);
    KERB_EXTERNAL_NAME *local;
    PVOID client = pkg_reply_reserve(r, (ULONG)fixed, 8, (void **)&local);

    if (client == NULL)
        return NULL;
    local->NameType = n->type;
    local->NameCount = n->count;
    for (USHORT i = 0; i < n->count; i++) {
        UNICODE_STRING s;

        pkg_reply_put_unicode(r, &s, n->names[i].Buffer, n->names[i].Length);
        memcpy(&local->Names[i], &s, sizeof(s));
    }
    return client;
}

struct external_ticket {
    struct external_name service, client;
    UNICODE_STRING service_realm, client_realm;
};

static void external_ticket_free(struct external_ticket *t)
{
    external_name_free(&t->service);
    external_name_free(&t->client);
    lsa_free_unicode_string(&t->service_realm);
    lsa_free_unicode_string(&t->client_realm);
}

/* The reply for CREDS with ENCODED as EncodedTicket; the session key only WITH_KEY. */
static NTSTATUS reply_external_ticket(struct kerb_call *call, const krb5_creds *creds,
                                      const krb5_data *encoded, BOOLEAN with_key)
{
    struct external_ticket t;
    KERB_EXTERNAL_TICKET e;
    struct pkg_reply r;
    size_t size;
    NTSTATUS status;

    memset(&t, 0, sizeof(t));
    status = external_name_make(creds->server, &t.service);
    if (status == STATUS_SUCCESS)
        status = external_name_make(creds->client, &t.client);
    if (status == STATUS_SUCCESS)
        status = kerb_realm_unicode(&creds->server->realm, &t.service_realm);
    if (status == STATUS_SUCCESS)
        status = kerb_realm_unicode(&creds->client->realm, &t.client_realm);
    if (status != STATUS_SUCCESS) {
        kerb_log(LOG_ERR, "cannot describe a ticket (0x%08x)", (unsigned)status);
        external_ticket_free(&t);
        return kerb_call_outcome(call, status);
    }
    /* ServiceName and TargetName are the same name, given twice. */
    size = sizeof(KERB_RETRIEVE_TKT_RESPONSE) + 2 * external_name_room(&t.service) +
           external_name_room(&t.client) + 2 * PKG_REPLY_ROOM(t.service_realm.Length) +
           PKG_REPLY_ROOM(t.client_realm.Length) +
           PKG_REPLY_ROOM_ALIGNED(creds->keyblock.length, 8) +
           PKG_REPLY_ROOM_ALIGNED(encoded->length, 8);
    if (size > UINT32_MAX / 2) {
        external_ticket_free(&t);
        kerb_log(LOG_ERR, "ticket too large for a reply");
        return kerb_call_outcome(call, STATUS_NO_MEMORY);
    }
    status = pkg_reply_begin(&r, kerb_package.lsa, call->request, (ULONG)size,
                             sizeof(KERB_RETRIEVE_TKT_RESPONSE));
    if (status != STATUS_SUCCESS) {
        external_ticket_free(&t);
        kerb_log(LOG_ERR, "cannot allocate the ticket reply (0x%08x)", (unsigned)status);
        return kerb_call_outcome(call, status);
    }
    memset(&e, 0, sizeof(e));
    e.ServiceName = external_name_put(&r, &t.service);
    e.TargetName = external_name_put(&r, &t.service);
    e.ClientName = external_name_put(&r, &t.client);
    pkg_reply_put_unicode(&r, &e.DomainName, t.service_realm.Buffer, t.service_realm.Length);
    pkg_reply_put_unicode(&r, &e.TargetDomainName, t.service_realm.Buffer,
                          t.service_realm.Length);
    pkg_reply_put_unicode(&r, &e.AltTargetDomainName, t.client_realm.Buffer,
                          t.client_realm.Length);
    e.SessionKey.KeyType = (LONG)creds->keyblock.enctype;
    if (with_key) {
        e.SessionKey.Length = creds->keyblock.length;
        e.SessionKey.Value = pkg_reply_put(&r, creds->keyblock.contents, creds->keyblock.length, 8);
    }
    e.TicketFlags = kerb_ticket_flags(creds->ticket_flags);
    e.Flags = 0;
    e.KeyExpirationTime.QuadPart = kerb_nt_time(creds->times.endtime);
    e.StartTime.QuadPart = kerb_nt_time(creds->times.starttime ? creds->times.starttime
                                                               : creds->times.authtime);
    e.EndTime.QuadPart = kerb_nt_time(creds->times.endtime);
    e.RenewUntil.QuadPart = kerb_nt_time(creds->times.renew_till);
    e.TimeSkew.QuadPart = 0;
    e.EncodedTicketSize = encoded->length;
    e.EncodedTicket = pkg_reply_put(&r, encoded->data, encoded->length, 8);
    memcpy(r.local, &e, sizeof(e));
    explicit_bzero(&e, sizeof(e));
    external_ticket_free(&t);
    status = pkg_reply_end(&r, call->return_buffer, call->return_length);
    if (status != STATUS_SUCCESS)
        kerb_log(LOG_ERR, "cannot copy the ticket reply (0x%08x)", (unsigned)status);
    return kerb_call_outcome(call, status);
}

/* ---- KerbRetrieveTicketMessage ----------------------------------------------------- */

/* The TGT of CC into *CREDS: SEC_E_NO_CREDENTIALS when there is none. */
static NTSTATUS find_tgt(krb5_context ctx, krb5_ccache cc, krb5_creds *creds)
{
    krb5_principal client = NULL, tgs = NULL;
    krb5_creds match;
    krb5_error_code code = krb5_cc_get_principal(ctx, cc, &client);

    if (code == 0)
        code = krb5_build_principal_ext(ctx, &tgs, client->realm.length, client->realm.data,
                                        KRB5_TGS_NAME_SIZE, KRB5_TGS_NAME,
                                        client->realm.length, client->realm.data, 0);
    if (code == 0) {
        memset(&match, 0, sizeof(match));
        match.client = client;
        match.server = tgs;
        code = krb5_cc_retrieve_cred(ctx, cc, 0, &match, creds);
    }
    krb5_free_principal(ctx, tgs);
    krb5_free_principal(ctx, client);
    if (code == KRB5_FCC_NOFILE || code == KRB5_CC_NOTFOUND || code == KRB5_CC_END) {
        kerb_log(LOG_INFO, "the session has no TGT");
        return SEC_E_NO_CREDENTIALS;
    }
    if (code != 0) {
        kerb_log_krb5_error(LOG_ERR, ctx, code, "cannot read the session's TGT");
        return STATUS_INTERNAL_ERROR;
    }
    return STATUS_SUCCESS;
}

NTSTATUS kerb_msg_retrieve_tgt(struct kerb_call *call)
{
    KERB_QUERY_TKT_CACHE_REQUEST request;
    struct kerb_exchange x;
    krb5_context ctx = NULL;
    krb5_ccache cc = NULL;
    krb5_creds creds;
    BOOLEAN have_creds = FALSE, with_key;
    NTSTATUS status;

    if (!kerb_call_fits(call, sizeof(request))) {
        kerb_log(LOG_INFO, "TGT request of %u bytes: too short", (unsigned)call->length);
        return STATUS_INVALID_PARAMETER;
    }
    memcpy(&request, call->submit, sizeof(request));
    status = kerb_resolve_logon_id(call, &request.LogonId);
    if (status != STATUS_SUCCESS)
        return kerb_call_outcome(call, status);
    /* Untrusted callers reach only their own session (kerb_messages.c). */
    with_key = call->trusted || kerb_same_luid(&request.LogonId, &call->caller);

    status = kerb_call_context(&x, &ctx);
    if (status == STATUS_SUCCESS)
        status = kerb_call_open_ccache(ctx, &request.LogonId, &cc);
    if (status == STATUS_SUCCESS)
        status = find_tgt(ctx, cc, &creds);
    have_creds = status == STATUS_SUCCESS;
    if (status == STATUS_SUCCESS)
        status = reply_external_ticket(call, &creds, &creds.ticket, with_key);
    else
        status = kerb_call_outcome(call, status);
    if (have_creds)
        krb5_free_cred_contents(ctx, &creds);
    if (cc != NULL)
        krb5_cc_close(ctx, cc);
    if (ctx != NULL)
        krb5_free_context(ctx);
    return status;
}

/* ---- KerbRetrieveEncodedTicketMessage ---------------------------------------------- */

struct retrieve {
    ULONG options;
    ULONG ticket_flags;
    LONG etype;
    BOOLEAN use_cache; /* look in the cache first */
    BOOLEAN store;     /* cache what the KDC gives */
};

/* The options of R, or STATUS_INVALID_PARAMETER / STATUS_NOT_SUPPORTED. */
static NTSTATUS check_options(const KERB_RETRIEVE_TKT_REQUEST *r, struct retrieve *o)
{
    ULONG c = r->CacheOptions;

    memset(o, 0, sizeof(*o));
    o->options = c;
    o->ticket_flags = r->TicketFlags;
    o->etype = r->EncryptionType;
    if (c & ~(ULONG)KNOWN_CACHE_OPTIONS) {
        kerb_log(LOG_INFO, "unknown CacheOptions 0x%x", (unsigned)c);
        return STATUS_INVALID_PARAMETER;
    }
    if (c & (KERB_RETRIEVE_TICKET_USE_CREDHANDLE | KERB_RETRIEVE_TICKET_WITH_SEC_CRED)) {
        kerb_log(LOG_INFO, "CacheOptions 0x%x: credential handles are not supported",
                 (unsigned)c);
        return STATUS_NOT_SUPPORTED;
    }
    if (((c & KERB_RETRIEVE_TICKET_DONT_USE_CACHE) &&
         (c & (KERB_RETRIEVE_TICKET_USE_CACHE_ONLY | KERB_RETRIEVE_TICKET_CACHE_TICKET))) ||
        ((c & KERB_RETRIEVE_TICKET_MAX_LIFETIME) && (c & KERB_RETRIEVE_TICKET_USE_CACHE_ONLY))) {
        kerb_log(LOG_INFO, "CacheOptions 0x%x: contradictory options", (unsigned)c);
        return STATUS_INVALID_PARAMETER;
    }
    o->use_cache = !(c & (KERB_RETRIEVE_TICKET_DONT_USE_CACHE | KERB_RETRIEVE_TICKET_MAX_LIFETIME));
    o->store = (c & (KERB_RETRIEVE_TICKET_CACHE_TICKET | KERB_RETRIEVE_TICKET_MAX_LIFETIME)) ||
               (c == 0 && r->TicketFlags == 0 && r->EncryptionType == 0);
    return STATUS_SUCCESS;
}

/* The server principal of TARGET: its realm, or the client's. */
static NTSTATUS parse_target(krb5_context ctx, PCUNICODE_STRING target, krb5_const_principal client,
                             krb5_principal *server)
{
    char *name = NULL, safe[KERB_LOG_NAME_SIZE];
    krb5_error_code code;
    NTSTATUS status = lsa_unicode_string_to_utf8(target, &name, NULL);

    *server = NULL;
    if (status != STATUS_SUCCESS || name[0] == '\0') {
        kerb_log(LOG_INFO, "RetrieveEncodedTicket without a valid TargetName");
        lsa_free_utf8(name);
        return STATUS_INVALID_PARAMETER;
    }
    code = krb5_parse_name_flags(ctx, name, KRB5_PRINCIPAL_PARSE_REQUIRE_REALM, server);
    if (code != 0) {
        code = krb5_parse_name_flags(ctx, name, KRB5_PRINCIPAL_PARSE_NO_REALM, server);
        if (code == 0)
            code = krb5_set_principal_realm(ctx, *server, client->realm.data);
    }
    if (code != 0) {
        kerb_log(LOG_INFO, "TargetName '%s' is not a Kerberos name",
                 lsa_log_name(name, safe, sizeof(safe)));
        krb5_free_principal(ctx, *server);
        *server = NULL;
        lsa_free_utf8(name);
        return STATUS_INVALID_PARAMETER;
    }
    lsa_free_utf8(name);
    return STATUS_SUCCESS;
}

static krb5_error_code from_cache(krb5_context ctx, krb5_ccache cc, const struct retrieve *o,
                                  krb5_creds *in, krb5_creds *out)
{
    krb5_flags which = KRB5_TC_MATCH_TIMES | KRB5_TC_SUPPORTED_KTYPES;
    krb5_timestamp now;
    krb5_error_code code = krb5_timeofday(ctx, &now);

    if (code != 0)
        return code;
    in->times.endtime = now; /* still valid now */
    if (o->etype != 0)
        which |= KRB5_TC_MATCH_KTYPE;
    if (o->ticket_flags != 0) {
        which |= KRB5_TC_MATCH_FLAGS;
        in->ticket_flags = (krb5_flags)o->ticket_flags;
    }
    code = krb5_cc_retrieve_cred(ctx, cc, which, in, out);
    in->times.endtime = 0;
    in->ticket_flags = 0;
    return code;
}

/* A ticket from the KDC, never one of CC's: the TGTs of CC copied into a private MEMORY
 * cache, which krb5_get_credentials searches instead. */
static krb5_error_code from_kdc_fresh(krb5_context ctx, krb5_ccache cc, krb5_flags options,
                                      krb5_creds *in, krb5_creds **out)
{
    krb5_ccache tmp = NULL;
    krb5_cc_cursor cursor;
    krb5_creds creds;
    krb5_error_code code = krb5_cc_new_unique(ctx, "MEMORY", NULL, &tmp);

    if (code == 0)
        code = krb5_cc_initialize(ctx, tmp, in->client);
    if (code == 0)
        code = krb5_cc_start_seq_get(ctx, cc, &cursor);
    if (code == 0) {
        while (code == 0 && krb5_cc_next_cred(ctx, cc, &cursor, &creds) == 0) {
            if (!krb5_is_config_principal(ctx, creds.server) &&
                krb5_is_referral_realm(&creds.server->realm) == FALSE &&
                creds.server->length == 2 &&
                creds.server->data[0].length == KRB5_TGS_NAME_SIZE &&
                memcmp(creds.server->data[0].data, KRB5_TGS_NAME, KRB5_TGS_NAME_SIZE) == 0)
                code = krb5_cc_store_cred(ctx, tmp, &creds);
            krb5_free_cred_contents(ctx, &creds);
        }
        krb5_cc_end_seq_get(ctx, cc, &cursor);
    }
    if (code == 0)
        code = krb5_get_credentials(ctx, options | KRB5_GC_NO_STORE, tmp, in, out);
    if (tmp != NULL)
        krb5_cc_destroy(ctx, tmp);
    return code;
}

/* Replace the cached tickets for OUT's server by OUT (a fresh ticket to be cached). */
static void store(krb5_context ctx, krb5_ccache cc, const krb5_creds *out)
{
    krb5_creds match;
    krb5_error_code code;

    memset(&match, 0, sizeof(match));
    match.client = out->client;
    match.server = out->server;
    (void)krb5_cc_remove_cred(ctx, cc, 0, &match); /* none is fine */
    code = krb5_cc_store_cred(ctx, cc, (krb5_creds *)out);
    if (code != 0)
        kerb_log_krb5_error(LOG_WARNING, ctx, code, "cannot cache a service ticket");
}

static NTSTATUS get_ticket(krb5_context ctx, const struct kerb_exchange *x, krb5_ccache cc,
                           const struct retrieve *o, krb5_creds *in, krb5_creds **out)
{
    krb5_flags options = 0;
    krb5_error_code code;
    BOOLEAN fresh;

    *out = NULL;
    if (o->use_cache) {
        krb5_creds *found = calloc(1, sizeof(*found));

        if (found == NULL)
            return STATUS_NO_MEMORY;
        code = from_cache(ctx, cc, o, in, found);
        if (code == 0) {
            *out = found;
            return STATUS_SUCCESS;
        }
        free(found);
        if (code != KRB5_CC_NOTFOUND && code != KRB5_CC_END && code != KRB5_FCC_NOFILE)
            return kerb_call_krb5_status(ctx, x, code, "cannot search the session's cache");
        if (o->options & KERB_RETRIEVE_TICKET_USE_CACHE_ONLY) {
            kerb_log(LOG_INFO, "no cached ticket for the target (USE_CACHE_ONLY)");
            return STATUS_OBJECT_NAME_NOT_FOUND;
        }
    }
    if (o->ticket_flags & KERB_TICKET_FLAGS_forwardable)
        options |= KRB5_GC_FORWARDABLE;
    if (o->etype != 0)
        in->keyblock.enctype = (krb5_enctype)o->etype;
    /* krb5_get_credentials would take a cached ticket without the flags asked for. */
    fresh = !o->use_cache || o->ticket_flags != 0;
    if (fresh)
        code = from_kdc_fresh(ctx, cc, options, in, out);
    else
        code = krb5_get_credentials(ctx, options | (o->store ? 0 : KRB5_GC_NO_STORE), cc, in, out);
    in->keyblock.enctype = 0;
    if (code != 0) {
        *out = NULL;
        return kerb_call_krb5_status(ctx, x, code, "cannot get a service ticket");
    }
    if (fresh && o->store)
        store(ctx, cc, *out);
    return STATUS_SUCCESS;
}

/* The KRB-CRED of CREDS, its enc-part in clear (no key), into *DER. */
static NTSTATUS make_kerb_cred(krb5_context ctx, krb5_creds *creds, krb5_data **der)
{
    krb5_auth_context auth = NULL;
    krb5_error_code code = krb5_auth_con_init(ctx, &auth);

    *der = NULL;
    if (code == 0)
        code = krb5_auth_con_setflags(ctx, auth, 0);
    if (code == 0)
        code = krb5_mk_1cred(ctx, auth, creds, der, NULL);
    if (auth != NULL)
        krb5_auth_con_free(ctx, auth);
    if (code != 0) {
        kerb_log_krb5_error(LOG_ERR, ctx, code, "cannot build a KRB-CRED");
        *der = NULL;
        return STATUS_INTERNAL_ERROR;
    }
    return STATUS_SUCCESS;
}

NTSTATUS kerb_msg_retrieve_encoded_ticket(struct kerb_call *call)
{
    KERB_RETRIEVE_TKT_REQUEST *r = call->submit;
    struct retrieve o;
    struct kerb_exchange x;
    krb5_context ctx = NULL;
    krb5_ccache cc = NULL;
    krb5_creds in, *out = NULL;
    krb5_data *der = NULL;
    LUID logon_id;
    BOOLEAN with_key;
    krb5_error_code code;
    NTSTATUS status;

    if (!kerb_call_fits(call, sizeof(*r)) || kerb_call_relocate(call, &r->TargetName) !=
                                                 STATUS_SUCCESS) {
        kerb_log(LOG_INFO, "RetrieveEncodedTicket request of %u bytes is malformed",
                 (unsigned)call->length);
        return STATUS_INVALID_PARAMETER;
    }
    logon_id = r->LogonId;
    status = check_options(r, &o);
    if (status == STATUS_SUCCESS)
        status = kerb_resolve_logon_id(call, &logon_id);
    if (status != STATUS_SUCCESS)
        return kerb_call_outcome(call, status);
    with_key = call->trusted || kerb_same_luid(&logon_id, &call->caller);

    memset(&in, 0, sizeof(in));
    status = kerb_call_context(&x, &ctx);
    if (status == STATUS_SUCCESS)
        status = kerb_call_open_ccache(ctx, &logon_id, &cc);
    if (status == STATUS_SUCCESS) {
        code = krb5_cc_get_principal(ctx, cc, &in.client);
        if (code != 0)
            status = kerb_call_krb5_status(ctx, &x, code, "the session has no tickets");
    }
    if (status == STATUS_SUCCESS)
        status = parse_target(ctx, &r->TargetName, in.client, &in.server);
    if (status == STATUS_SUCCESS)
        status = get_ticket(ctx, &x, cc, &o, &in, &out);
    if (status == STATUS_SUCCESS && (o.options & KERB_RETRIEVE_TICKET_AS_KERB_CRED))
        status = make_kerb_cred(ctx, out, &der);
    if (status == STATUS_SUCCESS)
        status = reply_external_ticket(call, out, der != NULL ? der : &out->ticket, with_key);
    else
        status = kerb_call_outcome(call, status);
    if (der != NULL) {
        explicit_bzero(der->data, der->length); /* holds the session key */
        krb5_free_data(ctx, der);
    }
    if (out != NULL)
        krb5_free_creds(ctx, out);
    krb5_free_cred_contents(ctx, &in);
    if (cc != NULL)
        krb5_cc_close(ctx, cc);
    if (ctx != NULL)
        krb5_free_context(ctx);
    return status;
}
