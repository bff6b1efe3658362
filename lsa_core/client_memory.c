#include "client_memory.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lsa/ntstatus.h>

struct lsa_quota {
    atomic_size_t used;
    size_t limit;
    atomic_int refs; /* the connection's, plus one per live buffer */
};

/* 32 bytes: keeps the caller's buffer 16-byte aligned like malloc's. */
struct buffer_header {
    struct lsa_quota *quota;
    size_t size;
    uint64_t reserved[2];
};
_Static_assert(sizeof(struct buffer_header) % 16 == 0, "return buffers stay 16-byte aligned");

/* The live return buffers, so LsaFreeReturnBuffer checks a pointer before it reads
 * anything near it: a foreign, stale or doubly freed pointer is refused, never touched.
 * Open addressing over the buffer addresses; 0 is empty, 1 a deleted slot. */
#define SLOT_EMPTY ((uintptr_t)0)
#define SLOT_DELETED ((uintptr_t)1)

/* Adaptive: every logon takes it for a few instructions, and a waiter that spins
 * briefly gets it sooner than one put to sleep in the kernel. */
static pthread_mutex_t live_lock = PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP;
static uintptr_t *live;
static size_t live_capacity, live_used; /* used counts deleted slots too */
static size_t live_count;               /* the buffers alive */

static size_t slot_of(uintptr_t key, size_t capacity)
{
    return (size_t)(((key >> 4) * UINT64_C(0x9E3779B97F4A7C15)) >> 20) & (capacity - 1);
}

/* Rebuilds the table without its deleted slots, twice as large only when live buffers
 * fill a quarter of it: the table is sized by the buffers alive, not by how many were
 * ever allocated. */
static int live_rebuild(void)
{
    size_t capacity = live_capacity == 0 ? 256
                      : live_count * 4 > live_capacity ? live_capacity * 2
                                                        : live_capacity;
    uintptr_t *table = calloc(capacity, sizeof(*table));
    if (table == NULL)
        return -1;
    size_t used = 0;
    for (size_t i = 0; i < live_capacity; i++) {
        if (live[i] <= SLOT_DELETED)
            continue;
        size_t j = slot_of(live[i], capacity);
        while (table[j] != SLOT_EMPTY)
            j = (j + 1) & (capacity - 1);
        table[j] = live[i];
        used++;
    }
    free(live);
    live = table;
    live_capacity = capacity;
    live_used = used;
    return 0;
}

static int live_insert(const void *buffer)
{
    uintptr_t key = (uintptr_t)buffer;
    pthread_mutex_lock(&live_lock);
    if ((live_used + 1) * 2 > live_capacity && live_rebuild() != 0) {
        pthread_mutex_unlock(&live_lock);
        return -1;
    }
    size_t j = slot_of(key, live_capacity);
    while (live[j] > SLOT_DELETED)
        j = (j + 1) & (live_capacity - 1);
    if (live[j] == SLOT_EMPTY)
        live_used++;
    live[j] = key;
    live_count++;
    pthread_mutex_unlock(&live_lock);
    return 0;
}

/* Must be called with live_lock held; the slot of BUFFER or NULL. */
static uintptr_t *live_find_locked(const void *buffer)
{
    uintptr_t key = (uintptr_t)buffer;
    if (live_capacity == 0 || key <= SLOT_DELETED)
        return NULL;
    for (size_t j = slot_of(key, live_capacity);; j = (j + 1) & (live_capacity - 1)) {
        if (live[j] == key)
            return &live[j];
        if (live[j] == SLOT_EMPTY)
            return NULL;
    }
}

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
    h->quota = q;
    h->size = size;
    if (live_insert(h + 1) != 0) {
        free(h);
        atomic_fetch_sub(&q->used, size);
        return STATUS_NO_MEMORY;
    }
    atomic_fetch_add(&q->refs, 1);
    *buffer = h + 1;
    return STATUS_SUCCESS;
}

size_t lsa_client_buffer_size(const void *buffer)
{
    pthread_mutex_lock(&live_lock);
    size_t size = live_find_locked(buffer) ? ((const struct buffer_header *)buffer - 1)->size : 0;
    pthread_mutex_unlock(&live_lock);
    return size;
}

size_t lsa_client_buffer_table_slots(void)
{
    pthread_mutex_lock(&live_lock);
    size_t slots = live_capacity;
    pthread_mutex_unlock(&live_lock);
    return slots;
}

NTSTATUS lsa_client_buffer_free(void *buffer)
{
    pthread_mutex_lock(&live_lock);
    uintptr_t *slot = live_find_locked(buffer);
    if (slot != NULL) {
        *slot = SLOT_DELETED;
        live_count--;
    }
    pthread_mutex_unlock(&live_lock);
    if (slot == NULL)
        return STATUS_INVALID_PARAMETER;
    struct buffer_header *h = (struct buffer_header *)buffer - 1;
    struct lsa_quota *q = h->quota;
    size_t size = h->size;
    /* Return buffers carry profiles and responses: wipe before release. */
    explicit_bzero(h, sizeof(*h) + size);
    free(h);
    atomic_fetch_sub(&q->used, size);
    lsa_quota_release(q);
    return STATUS_SUCCESS;
}
