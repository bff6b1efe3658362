#include "server_link.h"

#include <stdlib.h>
#include <string.h>

#include <lsa/ntstatus.h>

#include "log.h"
#include "array_room.h"

/* Past this much queued output, frames leave at once rather than wait for the reply. */
#define OUTBOX_FLUSH_BYTES (256u * 1024u)

void lsa_server_link_init(struct lsa_server_link *link, int fd, int frame_timeout_ms,
                          size_t quota)
{
    memset(link, 0, sizeof(*link));
    link->fd = fd;
    link->frame_timeout_ms = frame_timeout_ms;
    link->quota = quota;
}

void lsa_server_link_begin(struct lsa_server_link *link, uint64_t request_id, int timeout_ms)
{
    link->request_id = request_id;
    link->frame_timeout_ms = timeout_ms;
    link->deadline = lsa_wire_now_ms() + timeout_ms;
    link->outbox_length = 0;
    link->offer = (struct lsa_wire_offer){ 0, 0 };
    link->offered = link->offer_used = 0;
}

void lsa_server_link_offer(struct lsa_server_link *link, const struct lsa_wire_offer *offer)
{
    link->offer = *offer;
    link->offered = offer->length;
}

static void broken(struct lsa_server_link *link, const char *why)
{
    if (!link->broken)
        lsa_log(LOG_WARNING, "client connection dropped: %s", why);
    link->broken = TRUE;
}

BOOLEAN lsa_server_link_flush(struct lsa_server_link *link)
{
    if (link->broken)
        return FALSE;
    if (link->outbox_length == 0)
        return TRUE;
    /* The outbox holds whole frames: they go as they are. */
    enum lsa_wire_io io =
        lsa_wire_send_raw(link->fd, link->outbox, link->outbox_length, link->deadline);
    explicit_bzero(link->outbox, link->outbox_length);
    link->outbox_length = 0;
    if (io == LSA_WIRE_IO_TIMEOUT)
        broken(link, "the client did not read its frames within the request deadline");
    else if (io != LSA_WIRE_IO_OK)
        broken(link, "the client went away");
    return !link->broken;
}

void lsa_server_link_queue(struct lsa_server_link *link, uint16_t type, const void *payload,
                           size_t length)
{
    if (link->broken)
        return;
    size_t need = LSA_WIRE_HEADER_SIZE + length;
    if (link->outbox_capacity - link->outbox_length < need) {
        size_t capacity = link->outbox_capacity ? link->outbox_capacity : 4096;
        while (capacity - link->outbox_length < need)
            capacity *= 2;
        unsigned char *bigger = malloc(capacity);
        if (bigger == NULL) {
            broken(link, "out of memory for its frames");
            return;
        }
        if (link->outbox_length > 0)
            memcpy(bigger, link->outbox, link->outbox_length);
        if (link->outbox != NULL)
            explicit_bzero(link->outbox, link->outbox_capacity);
        free(link->outbox);
        link->outbox = bigger;
        link->outbox_capacity = capacity;
    }
    struct lsa_wire_header h = { type, (uint32_t)length, link->request_id };
    lsa_wire_header_encode(link->outbox + link->outbox_length, &h);
    if (length > 0)
        memcpy(link->outbox + link->outbox_length + LSA_WIRE_HEADER_SIZE, payload, length);
    link->outbox_length += need;
    if (link->outbox_length > OUTBOX_FLUSH_BYTES)
        lsa_server_link_flush(link);
}

static struct lsa_server_shadow *shadow_at(struct lsa_server_link *link, uint64_t address,
                                           uint64_t length)
{
    for (size_t i = 0; i < link->shadow_count; i++) {
        struct lsa_server_shadow *s = &link->shadows[i];
        if (address >= s->address && address - s->address <= s->length &&
            length <= s->length - (address - s->address))
            return s;
    }
    return NULL;
}

static BOOLEAN overlaps(struct lsa_server_link *link, uint64_t address, ULONG length)
{
    uint64_t end = address + (length ? length : 1);
    for (size_t i = 0; i < link->shadow_count; i++) {
        uint64_t s = link->shadows[i].address, e = s + (link->shadows[i].length ? link->shadows[i].length : 1);
        if (address < e && s < end)
            return TRUE;
    }
    return FALSE;
}

static void shadow_remove(struct lsa_server_link *link, size_t i)
{
    struct lsa_server_shadow *s = &link->shadows[i];
    explicit_bzero(s->bytes, s->length);
    free(s->bytes);
    link->shadow_bytes -= s->length;
    link->shadows[i] = link->shadows[--link->shadow_count];
}

static void queue_free(struct lsa_server_link *link, uint64_t address)
{
    lsa_wire_writer_reset(&link->w);
    lsa_wire_encode_u64(&link->w, address);
    lsa_server_link_queue(link, LSA_WIRE_FREE, link->w.data, link->w.length);
}

static NTSTATUS daemon_allocate(struct lsa_connection *conn, ULONG length, PVOID *address)
{
    struct lsa_server_link *link = conn->memory_context;
    *address = NULL;
    if (link->broken)
        return STATUS_PORT_DISCONNECTED;
    /* The first allocation takes the offer or gives it back; later ones never see it. */
    struct lsa_wire_offer offer = link->offer;
    link->offer = (struct lsa_wire_offer){ 0, 0 };
    BOOLEAN take = offer.address != 0 && offer.length == length;
    if (offer.address != 0 && !take)
        queue_free(link, offer.address); /* ahead of the ALLOCATE: the quota is credited first */
    /* The client's library enforces its quota; the daemon bounds what it keeps itself. */
    if (length > link->quota - link->shadow_bytes)
        return STATUS_QUOTA_EXCEEDED;
    struct lsa_server_shadow *shadows = lsa_array_room(
        link->shadows, &link->shadow_capacity, link->shadow_count, sizeof(*shadows), 4);
    if (shadows == NULL)
        return STATUS_NO_MEMORY;
    link->shadows = shadows;
    unsigned char *bytes = calloc(1, length ? length : 1);
    if (bytes == NULL)
        return STATUS_NO_MEMORY;
    if (take) {
        link->shadows[link->shadow_count++] =
            (struct lsa_server_shadow){ offer.address, length, bytes };
        link->shadow_bytes += length;
        link->offer_used = length;
        *address = (PVOID)(uintptr_t)offer.address;
        return STATUS_SUCCESS;
    }

    lsa_wire_writer_reset(&link->w);
    lsa_wire_encode_u32(&link->w, length);
    lsa_server_link_queue(link, LSA_WIRE_ALLOCATE, link->w.data, link->w.length);
    if (!lsa_server_link_flush(link)) {
        free(bytes);
        return STATUS_PORT_DISCONNECTED;
    }
    enum lsa_wire_io io = lsa_wire_recv(link->fd, &link->in, link->deadline,
                                        link->frame_timeout_ms, -1, &link->spin);
    struct lsa_wire_reply reply;
    const char *why = NULL;
    if (io == LSA_WIRE_IO_TIMEOUT)
        why = "no answer to ALLOCATE within the request deadline";
    else if (io == LSA_WIRE_IO_MALFORMED)
        why = lsa_wire_error_text(link->in.error);
    else if (io != LSA_WIRE_IO_OK)
        why = "the client went away during the call";
    else if (link->in.header.type != (LSA_WIRE_ALLOCATE | LSA_WIRE_REPLY) ||
             link->in.header.request_id != link->request_id)
        why = "a frame other than the ALLOCATE answer during the call";
    else if (lsa_wire_decode_reply(link->in.header.type, link->in.payload,
                                   link->in.header.length, &reply) != LSA_WIRE_OK)
        why = "a malformed ALLOCATE answer";
    else if (NT_SUCCESS(reply.status) &&
             (reply.buffer == 0 || reply.buffer > UINT64_MAX - length ||
              overlaps(link, reply.buffer, length)))
        why = "an ALLOCATE answer with an impossible address";
    if (why != NULL) {
        free(bytes);
        broken(link, why);
        return io == LSA_WIRE_IO_TIMEOUT ? STATUS_IO_TIMEOUT : STATUS_PORT_DISCONNECTED;
    }
    if (!NT_SUCCESS(reply.status)) {
        free(bytes);
        return reply.status; /* the client's quota: STATUS_QUOTA_EXCEEDED */
    }
    link->shadows[link->shadow_count++] = (struct lsa_server_shadow){ reply.buffer, length, bytes };
    link->shadow_bytes += length;
    *address = (PVOID)(uintptr_t)reply.buffer;
    return STATUS_SUCCESS;
}

static NTSTATUS daemon_free(struct lsa_connection *conn, PVOID address)
{
    struct lsa_server_link *link = conn->memory_context;
    uint64_t a = (uint64_t)(uintptr_t)address;
    for (size_t i = 0; i < link->shadow_count; i++) {
        if (link->shadows[i].address == a) {
            shadow_remove(link, i);
            queue_free(link, a);
            return STATUS_SUCCESS;
        }
    }
    return STATUS_INVALID_PARAMETER;
}

static NTSTATUS daemon_copy_to(struct lsa_connection *conn, PVOID address, const void *source,
                               ULONG length)
{
    struct lsa_server_link *link = conn->memory_context;
    uint64_t a = (uint64_t)(uintptr_t)address;
    struct lsa_server_shadow *s = shadow_at(link, a, length);
    if (s == NULL)
        return STATUS_ACCESS_VIOLATION;
    memcpy(s->bytes + (a - s->address), source, length);
    return STATUS_SUCCESS;
}

const struct lsa_client_memory_ops lsa_daemon_client_memory = {
    .allocate = daemon_allocate,
    .free = daemon_free,
    .copy_to = daemon_copy_to,
};

void lsa_server_link_return_shadows(struct lsa_server_link *link)
{
    for (size_t i = 0; i < link->shadow_count; i++) {
        struct lsa_server_shadow *s = &link->shadows[i];
        ULONG offset = 0;
        do {
            ULONG chunk = s->length - offset;
            if (chunk > LSA_WIRE_WRITE_CHUNK)
                chunk = LSA_WIRE_WRITE_CHUNK;
            struct lsa_wire_write m = { s->address, offset, s->bytes + offset, chunk };
            lsa_wire_writer_reset(&link->w);
            lsa_wire_encode_write(&link->w, &m);
            lsa_server_link_queue(link, LSA_WIRE_WRITE, link->w.data, link->w.length);
            offset += chunk;
        } while (offset < s->length);
    }
    lsa_server_link_drop_shadows(link);
}

void lsa_server_link_drop_shadows(struct lsa_server_link *link)
{
    while (link->shadow_count > 0)
        shadow_remove(link, link->shadow_count - 1);
}

void lsa_server_link_free(struct lsa_server_link *link)
{
    lsa_server_link_drop_shadows(link);
    free(link->shadows);
    if (link->outbox != NULL)
        explicit_bzero(link->outbox, link->outbox_capacity);
    free(link->outbox);
    lsa_wire_frame_free(&link->in);
    lsa_wire_writer_free(&link->w);
    memset(link, 0, sizeof(*link));
    link->fd = -1;
}
