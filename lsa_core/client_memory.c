#include "client_memory.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lsa/ntstatus.h>

#define RETURN_BUFFER_MAGIC UINT64_C(0x4c53415245544255) /* "LSARETBU" */

struct lsa_quota {
    atomic_size_t used;
    size_t limit;
    atomic_int refs; /* the connection's, plus one per live buffer */
};

/* 32 bytes: keeps the caller's buffer 16-byte aligned like malloc's. */
struct buffer_header {
    uint64_t magic;
    struct lsa_quota *quota;
    size_t size;
    uint64_t reserved;
};
_Static_assert(sizeof(struct buffer_header) % 16 == 0, "return buffers stay 16-byte aligned");

struct lsa_quota *lsa_quota_new(size_t limit)
{
    struct lsa_quota *q = malloc(sizeof(*q));
    if (q == NULL)
        return NULL;
    atomic_init(&q->used, 0);
    atomic_init(&q->refs, 1);
    q->limit = limit;
    return q;
}

void lsa_quota_release(struct lsa_quota *q)
{
    if (q != NULL && atomic_fetch_sub(&q->refs, 1) == 1)
        free(q);
}

size_t lsa_quota_used(const struct lsa_quota *q)
{
    return atomic_load(&((struct lsa_quota *)q)->used);
}

NTSTATUS lsa_client_buffer_alloc(struct lsa_quota *q, size_t size, void **buffer)
{
    *buffer = NULL;
    size_t used = atomic_load(&q->used);
    do {
        if (size > q->limit - used)
            return STATUS_QUOTA_EXCEEDED;
    } while (!atomic_compare_exchange_weak(&q->used, &used, used + size));

    struct buffer_header *h = calloc(1, sizeof(*h) + (size ? size : 1));
    if (h == NULL) {
        atomic_fetch_sub(&q->used, size);
        return STATUS_NO_MEMORY;
    }
    h->magic = RETURN_BUFFER_MAGIC;
    h->quota = q;
    h->size = size;
    atomic_fetch_add(&q->refs, 1);
    *buffer = h + 1;
    return STATUS_SUCCESS;
}

static struct buffer_header *header_of(const void *buffer)
{
    if (buffer == NULL || ((uintptr_t)buffer & 15) != 0)
        return NULL;
    struct buffer_header *h = (struct buffer_header *)buffer - 1;
    return h->magic == RETURN_BUFFER_MAGIC ? h : NULL;
}

size_t lsa_client_buffer_size(const void *buffer)
{
    struct buffer_header *h = header_of(buffer);
    return h ? h->size : 0;
}

NTSTATUS lsa_client_buffer_free(void *buffer)
{
    struct buffer_header *h = header_of(buffer);
    if (h == NULL)
        return STATUS_INVALID_PARAMETER;
    struct lsa_quota *q = h->quota;
    size_t size = h->size;
    /* Return buffers carry profiles and responses: wipe before release. */
    explicit_bzero(h, sizeof(*h) + size);
    free(h);
    atomic_fetch_sub(&q->used, size);
    lsa_quota_release(q);
    return STATUS_SUCCESS;
}
