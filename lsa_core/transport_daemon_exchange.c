/*
 * One request to lsad and its reply.  While lsad works on a call it may ask for return
 * buffers: they are allocated here, against this connection's quota, and filled from the
 * WRITE frames that precede the reply; if the call fails, every buffer allocated for it
 * is freed.  A request that may return a buffer first offers one (wire.h) of the length
 * the previous such request's first allocation had, which spares that ALLOCATE round
 * trip when a caller makes the same call again.
 */
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lsa/ntstatus.h>

#include "config.h"
#include "core.h"
#include "log.h"
#include "transport_daemon.h"
#include "array_room.h"

/* Larger first allocations go through ALLOCATE: an offer is charged to the quota for
 * the length of the call, and a miss costs a free. */
#define OFFER_MAX 4096u

static uint64_t next_request_id(void)
{
    /* The pid keeps the ids of different clients apart in lsad's log. */
    static atomic_uint_fast32_t counter;
    return ((uint64_t)(uint32_t)getpid() << 32) | (uint32_t)(atomic_fetch_add(&counter, 1) + 1);
}

static int timeout_ms(void)
{
    struct lsa_config *config;
    if (lsa_process_config(&config) != STATUS_SUCCESS)
        return LSA_DEFAULT_REQUEST_TIMEOUT * 1000;
    return config->request_timeout * 1000;
}

void lsa_remote_free_buffers(struct lsa_call_buffers *b)
{
    for (size_t i = 0; i < b->count; i++)
        lsa_client_buffer_free(b->items[i].address);
    free(b->items);
    b->items = NULL;
    b->count = b->capacity = 0;
}

static struct lsa_call_buffer *buffer_find(struct lsa_call_buffers *b, uint64_t address)
{
    for (size_t i = 0; i < b->count; i++)
        if ((uint64_t)(uintptr_t)b->items[i].address == address)
            return &b->items[i];
    return NULL;
}

/* Room for one more buffer; FALSE when out of memory. */
static BOOLEAN buffers_grow(struct lsa_call_buffers *b)
{
    struct lsa_call_buffer *items = lsa_array_room(b->items, &b->capacity, b->count,
                                                   sizeof(*items), 4);
    if (items == NULL)
        return FALSE;
    b->items = items;
    return TRUE;
}

void lsa_remote_offer(struct lsa_remote *r, ULONG *hint, struct lsa_call_buffers *b)
{
    b->offer_hint = hint;
    ULONG length = *hint;
    PVOID address;
    /* An offer the quota cannot hold is no offer: the call may still fit. */
    if (length == 0 || length > OFFER_MAX || !buffers_grow(b) ||
        lsa_client_buffer_alloc(r->quota, length, &address) != STATUS_SUCCESS)
        return;
    b->items[b->count++] = (struct lsa_call_buffer){ address, length };
    b->offer = (struct lsa_wire_offer){ (uint64_t)(uintptr_t)address, length };
    b->offer_held = TRUE;
}

/* The answer to an ALLOCATE frame. */
static BOOLEAN on_allocate(struct lsa_remote *r, struct lsa_call_buffers *b, uint64_t id)
{
    uint32_t length;
    if (lsa_wire_decode_u32(r->in.payload, r->in.header.length, &length) != LSA_WIRE_OK)
        return FALSE;
    if (!b->allocated) {
        b->allocated = TRUE;
        b->first_allocation = length;
    }
    struct lsa_wire_reply answer = { 0 };
    PVOID address = NULL;
    if (!buffers_grow(b))
        answer.status = STATUS_NO_MEMORY;
    else
        answer.status = lsa_client_buffer_alloc(r->quota, length, &address);
    if (answer.status == STATUS_SUCCESS) {
        b->items[b->count++] = (struct lsa_call_buffer){ address, length };
        answer.buffer = (uint64_t)(uintptr_t)address;
    }
    lsa_wire_writer_reset(&r->w);
    lsa_wire_encode_reply(&r->w, LSA_WIRE_ALLOCATE | LSA_WIRE_REPLY, &answer);
    return lsa_wire_send(r->fd, LSA_WIRE_ALLOCATE | LSA_WIRE_REPLY, id, r->w.data, r->w.length,
                         lsa_wire_now_ms() + timeout_ms()) == LSA_WIRE_IO_OK;
}

/* lsad frees only what it allocated in this call, or the offer it did not take. */
static BOOLEAN on_free(struct lsa_remote *r, struct lsa_call_buffers *b)
{
    uint64_t address;
    if (lsa_wire_decode_u64(r->in.payload, r->in.header.length, &address) != LSA_WIRE_OK)
        return FALSE;
    struct lsa_call_buffer *item = buffer_find(b, address);
    if (item == NULL)
        return FALSE;
    if (address == b->offer.address)
        b->offer_held = FALSE;
    lsa_client_buffer_free(item->address);
    *item = b->items[--b->count];
    return TRUE;
}

static BOOLEAN on_write(struct lsa_remote *r, struct lsa_call_buffers *b)
{
    struct lsa_wire_write m;
    if (lsa_wire_decode_write(r->in.payload, r->in.header.length, &m) != LSA_WIRE_OK)
        return FALSE;
    struct lsa_call_buffer *item = buffer_find(b, m.address);
    if (item == NULL || m.offset > item->length || m.length > item->length - m.offset)
        return FALSE;
    if (m.length > 0)
        memcpy((unsigned char *)item->address + m.offset, m.bytes, m.length);
    return TRUE;
}

/* The reply of the request: decoded and checked against its offer; NULL, or why not. */
static const char *take_reply(struct lsa_remote *r, uint16_t type, struct lsa_wire_reply *reply,
                              struct lsa_call_buffers *b)
{
    if (lsa_wire_decode_reply(type, r->in.payload, r->in.header.length, reply) != LSA_WIRE_OK)
        return "lsad sent a malformed reply";
    if (reply->offer_used > b->offer.length)
        return "lsad claims more of the offered buffer than was offered";
    if (b->offer_hint != NULL) {
        if (reply->offer_used > 0)
            *b->offer_hint = reply->offer_used;
        else if (b->allocated)
            *b->offer_hint = b->first_allocation;
    }
    return NULL;
}

NTSTATUS lsa_remote_exchange(struct lsa_remote *r, uint16_t type, struct lsa_wire_reply *reply,
                             struct lsa_call_buffers *b)
{
    if (r->broken) {
        lsa_remote_free_buffers(b);
        return STATUS_PORT_DISCONNECTED;
    }
    if (r->w.failed) {
        lsa_log(LOG_ERR, "request too large for one lsad frame (%u bytes at most)",
                LSA_WIRE_MAX_PAYLOAD);
        lsa_remote_free_buffers(b);
        return STATUS_INVALID_PARAMETER;
    }
    uint64_t id = next_request_id();
    int limit = timeout_ms();
    int64_t deadline = lsa_wire_now_ms() + limit;
    const char *why = NULL;
    NTSTATUS status = STATUS_PORT_DISCONNECTED;
    enum lsa_wire_io io = lsa_wire_send(r->fd, type, id, r->w.data, r->w.length, deadline);
    while (io == LSA_WIRE_IO_OK) {
        io = lsa_wire_recv(r->fd, &r->in, deadline, limit, -1, &r->spin);
        if (io != LSA_WIRE_IO_OK)
            break;
        uint16_t t = r->in.header.type;
        BOOLEAN ok = r->in.header.request_id == id;
        if (ok && t == (type | LSA_WIRE_REPLY)) {
            why = take_reply(r, t, reply, b);
            if (why == NULL)
                return STATUS_SUCCESS;
            break;
        } else if (ok && t == LSA_WIRE_ALLOCATE) {
            ok = on_allocate(r, b, id);
        } else if (ok && t == LSA_WIRE_FREE) {
            ok = on_free(r, b);
        } else if (ok && t == LSA_WIRE_WRITE) {
            ok = on_write(r, b);
        } else {
            ok = FALSE;
        }
        if (!ok) {
            why = "lsad sent a frame that does not belong to the call";
            break;
        }
    }
    if (io == LSA_WIRE_IO_TIMEOUT) {
        status = STATUS_IO_TIMEOUT;
        why = "no reply from lsad within request_timeout";
    } else if (io == LSA_WIRE_IO_MALFORMED) {
        why = lsa_wire_error_text(r->in.error);
    } else if (why == NULL) {
        why = "the connection to lsad was lost";
    }
    lsa_log(LOG_ERR, "req=%llx: %s", (unsigned long long)id, why);
    r->broken = TRUE;
    lsa_remote_free_buffers(b);
    return status;
}

NTSTATUS lsa_remote_take_buffer(struct lsa_call_buffers *b, const struct lsa_wire_reply *reply,
                                PVOID *out)
{
    *out = NULL;
    if (reply->buffer != 0) {
        struct lsa_call_buffer *item = buffer_find(b, reply->buffer);
        /* The offer counts as the call's only when the reply says it was taken. */
        BOOLEAN offer = b->offer_held && reply->buffer == b->offer.address;
        if (item == NULL || (offer && reply->offer_used == 0) ||
            reply->buffer_length > (offer ? reply->offer_used : item->length)) {
            lsa_log(LOG_ERR, "lsad returned a buffer it had not allocated in the call");
            lsa_remote_free_buffers(b);
            return STATUS_PORT_DISCONNECTED;
        }
        *out = item->address;
        *item = b->items[--b->count];
    }
    lsa_remote_free_buffers(b);
    return STATUS_SUCCESS;
}
