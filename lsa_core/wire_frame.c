/* Frame headers and the bounded payload reader/writer of the lsad protocol (wire.h). */
#include "wire.h"

#include <stdlib.h>
#include <string.h>

const char *lsa_wire_error_text(enum lsa_wire_error error)
{
    switch (error) {
    case LSA_WIRE_OK: return "no error";
    case LSA_WIRE_BAD_MAGIC: return "not an lsad frame (bad magic)";
    case LSA_WIRE_BAD_VERSION: return "unsupported protocol version";
    case LSA_WIRE_BAD_FLAGS: return "unknown frame flags";
    case LSA_WIRE_TOO_LARGE: return "frame larger than the maximum";
    case LSA_WIRE_UNKNOWN_TYPE: return "unknown message type";
    case LSA_WIRE_TRUNCATED: return "a field runs past the end of the frame";
    case LSA_WIRE_TRAILING: return "bytes left over after the message";
    case LSA_WIRE_BAD_VALUE: return "a field is out of range";
    }
    return "unknown error";
}

static void le16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void le32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void le64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint16_t rd16(const unsigned char *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static uint64_t rd64(const unsigned char *p)
{
    return (uint64_t)rd32(p) | ((uint64_t)rd32(p + 4) << 32);
}

void lsa_wire_header_encode(unsigned char out[LSA_WIRE_HEADER_SIZE],
                            const struct lsa_wire_header *h)
{
    le32(out, LSA_WIRE_MAGIC);
    le16(out + 4, LSA_WIRE_VERSION);
    le16(out + 6, h->type);
    le32(out + 8, 0);
    le32(out + 12, h->length);
    le64(out + 16, h->request_id);
}

static BOOLEAN type_known(uint16_t type)
{
    uint16_t base = type & (uint16_t)~LSA_WIRE_REPLY;
    if (base >= LSA_WIRE_CONNECT && base <= LSA_WIRE_TOKEN_IDENTITY)
        return TRUE;
    /* Only ALLOCATE is answered; FREE and WRITE have no reply. */
    if (base == LSA_WIRE_ALLOCATE)
        return TRUE;
    return (type == LSA_WIRE_FREE || type == LSA_WIRE_WRITE);
}

enum lsa_wire_error lsa_wire_header_decode(const unsigned char in[LSA_WIRE_HEADER_SIZE],
                                           struct lsa_wire_header *h)
{
    if (rd32(in) != LSA_WIRE_MAGIC)
        return LSA_WIRE_BAD_MAGIC;
    if (rd16(in + 4) != LSA_WIRE_VERSION)
        return LSA_WIRE_BAD_VERSION;
    if (rd32(in + 8) != 0)
        return LSA_WIRE_BAD_FLAGS;
    h->type = rd16(in + 6);
    h->length = rd32(in + 12);
    h->request_id = rd64(in + 16);
    if (h->length > LSA_WIRE_MAX_PAYLOAD)
        return LSA_WIRE_TOO_LARGE;
    if (!type_known(h->type))
        return LSA_WIRE_UNKNOWN_TYPE;
    return LSA_WIRE_OK;
}

/* ---- writer ---------------------------------------------------------------------------- */

void lsa_wire_writer_reset(struct lsa_wire_writer *w)
{
    if (w->data != NULL)
        explicit_bzero(w->data, w->length); /* submit buffers carry passwords */
    w->length = 0;
    w->failed = 0;
}

void lsa_wire_writer_free(struct lsa_wire_writer *w)
{
    if (w->data != NULL)
        explicit_bzero(w->data, w->capacity); /* payloads carry passwords */
    free(w->data);
    memset(w, 0, sizeof(*w));
}

static unsigned char *reserve(struct lsa_wire_writer *w, size_t n)
{
    if (w->failed)
        return NULL;
    if (n > LSA_WIRE_MAX_PAYLOAD - w->length) {
        w->failed = 1;
        return NULL;
    }
    if (w->length + n > w->capacity) {
        size_t capacity = w->capacity ? w->capacity : 256;
        while (capacity < w->length + n)
            capacity *= 2;
        /* Not realloc: the old block may hold a password, and is wiped before it goes. */
        unsigned char *bigger = malloc(capacity);
        if (bigger == NULL) {
            w->failed = 1;
            return NULL;
        }
        if (w->length > 0)
            memcpy(bigger, w->data, w->length);
        if (w->data != NULL)
            explicit_bzero(w->data, w->capacity);
        free(w->data);
        w->data = bigger;
        w->capacity = capacity;
    }
    unsigned char *at = w->data + w->length;
    w->length += n;
    return at;
}

void lsa_wire_put_u8(struct lsa_wire_writer *w, uint8_t v)
{
    unsigned char *p = reserve(w, 1);
    if (p != NULL)
        *p = v;
}

void lsa_wire_put_u16(struct lsa_wire_writer *w, uint16_t v)
{
    unsigned char *p = reserve(w, 2);
    if (p != NULL)
        le16(p, v);
}

void lsa_wire_put_u32(struct lsa_wire_writer *w, uint32_t v)
{
    unsigned char *p = reserve(w, 4);
    if (p != NULL)
        le32(p, v);
}

void lsa_wire_put_u64(struct lsa_wire_writer *w, uint64_t v)
{
    unsigned char *p = reserve(w, 8);
    if (p != NULL)
        le64(p, v);
}

void lsa_wire_put_bytes(struct lsa_wire_writer *w, const void *bytes, size_t n)
{
    unsigned char *p = reserve(w, n);
    if (p != NULL && n > 0)
        memcpy(p, bytes, n);
}

/* ---- reader ---------------------------------------------------------------------------- */

void lsa_wire_reader_init(struct lsa_wire_reader *r, const void *payload, size_t length)
{
    r->at = payload;
    r->left = payload != NULL ? length : 0;
    r->error = LSA_WIRE_OK;
}

static const unsigned char *take(struct lsa_wire_reader *r, size_t n)
{
    if (r->error != LSA_WIRE_OK)
        return NULL;
    if (n > r->left) {
        r->error = LSA_WIRE_TRUNCATED;
        return NULL;
    }
    const unsigned char *p = r->at;
    r->at += n;
    r->left -= n;
    return p;
}

uint8_t lsa_wire_get_u8(struct lsa_wire_reader *r)
{
    const unsigned char *p = take(r, 1);
    return p ? *p : 0;
}

uint16_t lsa_wire_get_u16(struct lsa_wire_reader *r)
{
    const unsigned char *p = take(r, 2);
    return p ? rd16(p) : 0;
}

uint32_t lsa_wire_get_u32(struct lsa_wire_reader *r)
{
    const unsigned char *p = take(r, 4);
    return p ? rd32(p) : 0;
}

uint64_t lsa_wire_get_u64(struct lsa_wire_reader *r)
{
    const unsigned char *p = take(r, 8);
    return p ? rd64(p) : 0;
}

const void *lsa_wire_get_bytes(struct lsa_wire_reader *r, size_t length)
{
    return take(r, length);
}

enum lsa_wire_error lsa_wire_reader_end(struct lsa_wire_reader *r)
{
    if (r->error == LSA_WIRE_OK && r->left != 0)
        r->error = LSA_WIRE_TRAILING;
    return r->error;
}
