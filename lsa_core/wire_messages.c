/* The messages of the lsad protocol (wire.h): one encoder and one decoder each, the
 * decoder refusing any field that runs past the payload, any flag that is not 0 or 1 and
 * any byte left over. */
#include "wire.h"

#include <string.h>

static void put_luid(struct lsa_wire_writer *w, const LUID *luid)
{
    lsa_wire_put_u32(w, luid->LowPart);
    lsa_wire_put_u32(w, (uint32_t)luid->HighPart);
}

static LUID get_luid(struct lsa_wire_reader *r)
{
    LUID luid;
    luid.LowPart = lsa_wire_get_u32(r);
    luid.HighPart = (LONG)lsa_wire_get_u32(r);
    return luid;
}

/* A 0/1 field; anything else marks the reader malformed. */
static BOOLEAN get_flag(struct lsa_wire_reader *r)
{
    uint8_t v = lsa_wire_get_u8(r);
    if (v > 1 && r->error == LSA_WIRE_OK)
        r->error = LSA_WIRE_BAD_VALUE;
    return v == 1;
}

static void put_string16(struct lsa_wire_writer *w, const char *s, uint16_t length)
{
    lsa_wire_put_u16(w, length);
    lsa_wire_put_bytes(w, s, length);
}

static const char *get_string16(struct lsa_wire_reader *r, uint16_t *length)
{
    *length = lsa_wire_get_u16(r);
    const char *s = lsa_wire_get_bytes(r, *length);
    if (s == NULL)
        *length = 0;
    return s;
}

static void put_blob32(struct lsa_wire_writer *w, const void *bytes, ULONG length)
{
    lsa_wire_put_u32(w, length);
    lsa_wire_put_bytes(w, bytes, length);
}

static const void *get_blob32(struct lsa_wire_reader *r, ULONG *length)
{
    *length = lsa_wire_get_u32(r);
    const void *p = lsa_wire_get_bytes(r, *length);
    if (p == NULL)
        *length = 0;
    return p;
}

static void put_offer(struct lsa_wire_writer *w, const struct lsa_wire_offer *offer)
{
    lsa_wire_put_u64(w, offer->address);
    lsa_wire_put_u32(w, offer->length);
}

/* No offer is address 0 and length 0; an offer has a length (offer_used 0 means "not
 * taken") and does not wrap around the client's address space. */
static struct lsa_wire_offer get_offer(struct lsa_wire_reader *r)
{
    struct lsa_wire_offer offer;
    offer.address = lsa_wire_get_u64(r);
    offer.length = lsa_wire_get_u32(r);
    if (r->error == LSA_WIRE_OK &&
        ((offer.address == 0) != (offer.length == 0) || offer.address > UINT64_MAX - offer.length))
        r->error = LSA_WIRE_BAD_VALUE;
    return offer;
}

/* ---- requests -------------------------------------------------------------------------- */

void lsa_wire_encode_connect(struct lsa_wire_writer *w, const struct lsa_wire_connect *m)
{
    lsa_wire_put_u8(w, m->trusted ? 1 : 0);
    lsa_wire_put_u8(w, m->has_logon_id ? 1 : 0);
    put_string16(w, m->name, m->name_length);
    put_luid(w, &m->logon_id);
}

enum lsa_wire_error lsa_wire_decode_connect(const void *p, size_t n, struct lsa_wire_connect *m)
{
    struct lsa_wire_reader r;
    lsa_wire_reader_init(&r, p, n);
    memset(m, 0, sizeof(*m));
    m->trusted = get_flag(&r);
    m->has_logon_id = get_flag(&r);
    m->name = get_string16(&r, &m->name_length);
    m->logon_id = get_luid(&r);
    return lsa_wire_reader_end(&r);
}

void lsa_wire_encode_lookup(struct lsa_wire_writer *w, const struct lsa_wire_lookup *m)
{
    put_string16(w, m->name, m->name_length);
}

enum lsa_wire_error lsa_wire_decode_lookup(const void *p, size_t n, struct lsa_wire_lookup *m)
{
    struct lsa_wire_reader r;
    lsa_wire_reader_init(&r, p, n);
    m->name = get_string16(&r, &m->name_length);
    return lsa_wire_reader_end(&r);
}

void lsa_wire_encode_call(struct lsa_wire_writer *w, const struct lsa_wire_call *m)
{
    lsa_wire_put_u32(w, m->package_id);
    lsa_wire_put_u32(w, m->thread_id);
    lsa_wire_put_u64(w, m->client_base);
    put_offer(w, &m->offer);
    put_blob32(w, m->submit, m->submit_length);
}

enum lsa_wire_error lsa_wire_decode_call(const void *p, size_t n, struct lsa_wire_call *m)
{
    struct lsa_wire_reader r;
    lsa_wire_reader_init(&r, p, n);
    m->package_id = lsa_wire_get_u32(&r);
    m->thread_id = lsa_wire_get_u32(&r);
    m->client_base = lsa_wire_get_u64(&r);
    m->offer = get_offer(&r);
    m->submit = get_blob32(&r, &m->submit_length);
    /* A submitted range that wraps around the client's address space cannot be real. */
    if (r.error == LSA_WIRE_OK && m->client_base > UINT64_MAX - m->submit_length)
        r.error = LSA_WIRE_BAD_VALUE;
    return lsa_wire_reader_end(&r);
}

void lsa_wire_encode_logon(struct lsa_wire_writer *w, const struct lsa_wire_logon *m)
{
    lsa_wire_put_u32(w, m->thread_id);
    lsa_wire_put_u32(w, m->logon_type);
    lsa_wire_put_u32(w, m->package_id);
    lsa_wire_put_u8(w, m->has_local_groups ? 1 : 0);
    lsa_wire_put_u8(w, m->has_origin ? 1 : 0);
    put_string16(w, m->origin, m->origin_length);
    lsa_wire_put_u64(w, m->client_base);
    put_offer(w, &m->offer);
    put_blob32(w, m->authentication, m->authentication_length);
}

enum lsa_wire_error lsa_wire_decode_logon(const void *p, size_t n, struct lsa_wire_logon *m)
{
    struct lsa_wire_reader r;
    lsa_wire_reader_init(&r, p, n);
    m->thread_id = lsa_wire_get_u32(&r);
    m->logon_type = lsa_wire_get_u32(&r);
    m->package_id = lsa_wire_get_u32(&r);
    m->has_local_groups = get_flag(&r);
    m->has_origin = get_flag(&r);
    m->origin = get_string16(&r, &m->origin_length);
    m->client_base = lsa_wire_get_u64(&r);
    m->offer = get_offer(&r);
    m->authentication = get_blob32(&r, &m->authentication_length);
    if (r.error == LSA_WIRE_OK && m->client_base > UINT64_MAX - m->authentication_length)
        r.error = LSA_WIRE_BAD_VALUE;
    return lsa_wire_reader_end(&r);
}

void lsa_wire_encode_luid(struct lsa_wire_writer *w, const LUID *luid)
{
    put_luid(w, luid);
}

enum lsa_wire_error lsa_wire_decode_luid(const void *p, size_t n, LUID *luid)
{
    struct lsa_wire_reader r;
    lsa_wire_reader_init(&r, p, n);
    *luid = get_luid(&r);
    return lsa_wire_reader_end(&r);
}

void lsa_wire_encode_u64(struct lsa_wire_writer *w, uint64_t value)
{
    lsa_wire_put_u64(w, value);
}

enum lsa_wire_error lsa_wire_decode_u64(const void *p, size_t n, uint64_t *value)
{
    struct lsa_wire_reader r;
    lsa_wire_reader_init(&r, p, n);
    *value = lsa_wire_get_u64(&r);
    return lsa_wire_reader_end(&r);
}

void lsa_wire_encode_u32(struct lsa_wire_writer *w, uint32_t value)
{
    lsa_wire_put_u32(w, value);
}

enum lsa_wire_error lsa_wire_decode_u32(const void *p, size_t n, uint32_t *value)
{
    struct lsa_wire_reader r;
    lsa_wire_reader_init(&r, p, n);
    *value = lsa_wire_get_u32(&r);
    return lsa_wire_reader_end(&r);
}

enum lsa_wire_error lsa_wire_decode_empty(const void *p, size_t n)
{
    (void)p;
    return n == 0 ? LSA_WIRE_OK : LSA_WIRE_TRAILING;
}

/* ---- replies --------------------------------------------------------------------------- */

void lsa_wire_encode_reply(struct lsa_wire_writer *w, uint16_t type, const struct lsa_wire_reply *m)
{
    lsa_wire_put_u32(w, (uint32_t)m->status);
    switch (type & (uint16_t)~LSA_WIRE_REPLY) {
    case LSA_WIRE_LOOKUP_PACKAGE:
        lsa_wire_put_u32(w, m->value);
        break;
    case LSA_WIRE_CALL_PACKAGE:
        lsa_wire_put_u32(w, (uint32_t)m->protocol_status);
        lsa_wire_put_u64(w, m->buffer);
        lsa_wire_put_u32(w, m->buffer_length);
        lsa_wire_put_u32(w, m->offer_used);
        break;
    case LSA_WIRE_LOGON_USER:
        lsa_wire_put_u32(w, (uint32_t)m->protocol_status);
        lsa_wire_put_u64(w, m->buffer);
        lsa_wire_put_u32(w, m->buffer_length);
        lsa_wire_put_u32(w, m->offer_used);
        put_luid(w, &m->logon_id);
        lsa_wire_put_u64(w, m->token);
        lsa_wire_put_u8(w, m->has_unix_identity ? 1 : 0);
        lsa_wire_put_u32(w, m->uid);
        lsa_wire_put_u32(w, m->gid);
        break;
    case LSA_WIRE_ENUMERATE_SESSIONS:
    case LSA_WIRE_ENUMERATE_PACKAGES:
        lsa_wire_put_u32(w, m->value);
        put_blob32(w, m->data, m->data_length);
        break;
    case LSA_WIRE_GET_SESSION_DATA:
        put_blob32(w, m->data, m->data_length);
        break;
    case LSA_WIRE_ALLOCATE:
        lsa_wire_put_u64(w, m->buffer);
        break;
    case LSA_WIRE_TOKEN_IDENTITY:
        lsa_wire_put_u8(w, m->has_unix_identity ? 1 : 0);
        lsa_wire_put_u32(w, m->uid);
        lsa_wire_put_u32(w, m->gid);
        break;
    default: /* CONNECT, DISCONNECT, TERMINATE_SESSION, CLOSE_TOKEN: the status alone */
        break;
    }
}

enum lsa_wire_error lsa_wire_decode_reply(uint16_t type, const void *p, size_t n,
                                          struct lsa_wire_reply *m)
{
    struct lsa_wire_reader r;
    lsa_wire_reader_init(&r, p, n);
    memset(m, 0, sizeof(*m));
    m->status = (NTSTATUS)lsa_wire_get_u32(&r);
    switch (type & (uint16_t)~LSA_WIRE_REPLY) {
    case LSA_WIRE_LOOKUP_PACKAGE:
        m->value = lsa_wire_get_u32(&r);
        break;
    case LSA_WIRE_CALL_PACKAGE:
        m->protocol_status = (NTSTATUS)lsa_wire_get_u32(&r);
        m->buffer = lsa_wire_get_u64(&r);
        m->buffer_length = lsa_wire_get_u32(&r);
        m->offer_used = lsa_wire_get_u32(&r);
        break;
    case LSA_WIRE_LOGON_USER:
        m->protocol_status = (NTSTATUS)lsa_wire_get_u32(&r);
        m->buffer = lsa_wire_get_u64(&r);
        m->buffer_length = lsa_wire_get_u32(&r);
        m->offer_used = lsa_wire_get_u32(&r);
        m->logon_id = get_luid(&r);
        m->token = lsa_wire_get_u64(&r);
        m->has_unix_identity = get_flag(&r);
        m->uid = lsa_wire_get_u32(&r);
        m->gid = lsa_wire_get_u32(&r);
        break;
    case LSA_WIRE_ENUMERATE_SESSIONS:
        m->value = lsa_wire_get_u32(&r);
        m->data = get_blob32(&r, &m->data_length);
        if (r.error == LSA_WIRE_OK && (uint64_t)m->value * 8 != m->data_length)
            r.error = LSA_WIRE_BAD_VALUE; /* one LUID (8 bytes) per session */
        break;
    case LSA_WIRE_ENUMERATE_PACKAGES:
        m->value = lsa_wire_get_u32(&r);
        m->data = get_blob32(&r, &m->data_length);
        break;
    case LSA_WIRE_GET_SESSION_DATA:
        m->data = get_blob32(&r, &m->data_length);
        break;
    case LSA_WIRE_ALLOCATE:
        m->buffer = lsa_wire_get_u64(&r);
        break;
    case LSA_WIRE_TOKEN_IDENTITY:
        m->has_unix_identity = get_flag(&r);
        m->uid = lsa_wire_get_u32(&r);
        m->gid = lsa_wire_get_u32(&r);
        break;
    default:
        break;
    }
    return lsa_wire_reader_end(&r);
}

/* ---- in-call frames ------------------------------------------------------------------- */

void lsa_wire_encode_write(struct lsa_wire_writer *w, const struct lsa_wire_write *m)
{
    lsa_wire_put_u64(w, m->address);
    lsa_wire_put_u32(w, m->offset);
    put_blob32(w, m->bytes, m->length);
}

enum lsa_wire_error lsa_wire_decode_write(const void *p, size_t n, struct lsa_wire_write *m)
{
    struct lsa_wire_reader r;
    lsa_wire_reader_init(&r, p, n);
    m->address = lsa_wire_get_u64(&r);
    m->offset = lsa_wire_get_u32(&r);
    m->bytes = get_blob32(&r, &m->length);
    if (r.error == LSA_WIRE_OK && (uint64_t)m->offset + m->length > UINT32_MAX)
        r.error = LSA_WIRE_BAD_VALUE;
    return lsa_wire_reader_end(&r);
}

void lsa_wire_put_package(struct lsa_wire_writer *w, const struct lsa_wire_package *m)
{
    lsa_wire_put_u32(w, m->id);
    put_string16(w, m->name, m->name_length);
    put_string16(w, m->model, m->model_length);
    put_string16(w, m->file, m->file_length);
}

BOOLEAN lsa_wire_next_package(struct lsa_wire_reader *r, struct lsa_wire_package *m)
{
    if (r->error != LSA_WIRE_OK || r->left == 0)
        return FALSE;
    m->id = lsa_wire_get_u32(r);
    m->name = get_string16(r, &m->name_length);
    m->model = get_string16(r, &m->model_length);
    m->file = get_string16(r, &m->file_length);
    return r->error == LSA_WIRE_OK;
}
