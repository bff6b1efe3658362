#include "client_memory.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lsa/ntstatus.h>

#include "thread_shard.h"
#include "zero_alloc.h"

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
 * Open addressing over the buffer addresses; 0 is empty, 1 a deleted slot.
 *
 * One table per shard: a buffer is registered in the shard of the thread that allocated
 * it, and a free looks in the freeing thread's shard first (the same thread, nearly
 * always), then in the others one at a time.  A buffer stays in one shard for its life,
 * so a search that misses it in every shard proves it is not live. */
#define SLOT_EMPTY ((uintptr_t)0)
#define SLOT_DELETED ((uintptr_t)1)

struct live_table {
    _Alignas(LSA_CACHE_LINE) pthread_mutex_t lock;
    uintptr_t *slots;
    size_t capacity, used; /* used counts deleted slots too */
    size_t count;          /* the buffers alive */
};

/* Adaptive: every logon takes a shard's lock for a few instructions, and a waiter that
 * spins briefly gets it sooner than one put to sleep in the kernel. */
static struct live_table live[LSA_SHARDS] = {
    [0 ... LSA_SHARDS - 1] = { .lock = PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP },
};

static size_t slot_of(uintptr_t key, size_t capacity)
{
    return (size_t)(((key >> 4) * UINT64_C(0x9E3779B97F4A7C15)) >> 20) & (capacity - 1);
}

/* Rebuilds the table without its deleted slots, twice as large only when live buffers
 * fill a quarter of it: the table is sized by the buffers alive, not by how many were
 * ever allocated. */
static int live_rebuild(struct live_table *t)
{
    size_t capacity = t->capacity == 0 ? 256
                      : t->count * 4 > t->capacity ? t->capacity * 2
                                                   : t->capacity;
    uintptr_t *table = calloc(capacity, sizeof(*table));
    if (table == NULL)
        return -1;
    size_t used = 0;
    for (size_t i = 0; i < t->capacity; i++) {
        if (t->slots[i] <= SLOT_DELETED)
            continue;
        size_t j = slot_of(t->slots[i], capacity);
        while (table[j] != SLOT_EMPTY)
            j = (j + 1) & (capacity - 1);
        table[j] = t->slots[i];
        used++;
    }
    free(t->slots);
    t->slots = table;
    t->capacity = capacity;
    t->used = used;
    return 0;
}

static int live_insert(const void *buffer)
{
    uintptr_t key = (uintptr_t)buffer;
    struct live_table *t = &live[lsa_thread_shard()];
    pthread_mutex_lock(&t->lock);
    if ((t->used + 1) * 2 > t->capacity && live_rebuild(t) != 0) {
        pthread_mutex_unlock(&t->lock);
        return -1;
    }
    size_t j = slot_of(key, t->capacity);
    while (t->slots[j] > SLOT_DELETED)
        j = (j + 1) & (t->capacity - 1);
    if (t->slots[j] == SLOT_EMPTY)
        t->used++;
    t->slots[j] = key;
    t->count++;
    pthread_mutex_unlock(&t->lock);
    return 0;
}

/* Must be called with T's lock held; the slot of BUFFER or NULL. */
static uintptr_t *live_find_locked(struct live_table *t, const void *buffer)
{
    uintptr_t key = (uintptr_t)buffer;
    if (t->capacity == 0 || key <= SLOT_DELETED)
        return NULL;
    for (size_t j = slot_of(key, t->capacity);; j = (j + 1) & (t->capacity - 1)) {
        if (t->slots[j] == key)
            return &t->slots[j];
        if (t->slots[j] == SLOT_EMPTY)
            return NULL;
    }
}

/* Unregisters BUFFER (if REMOVE) or reads its size; FALSE when it is not live. */
static BOOLEAN live_lookup(const void *buffer, BOOLEAN remove, size_t *size)
{
    unsigned first = lsa_thread_shard();
    for (unsigned i = 0; i < LSA_SHARDS; i++) {
        struct live_table *t = &live[(first + i) % LSA_SHARDS];
        pthread_mutex_lock(&t->lock);
        uintptr_t *slot = live_find_locked(t, buffer);
        if (slot != NULL) {
            if (remove) {
                *slot = SLOT_DELETED;
                t->count--;
            } else {
                *size = ((const struct buffer_header *)buffer - 1)->size;
            }
        }
        pthread_mutex_unlock(&t->lock);
        if (slot != NULL)
            return TRUE;
    }
    return FALSE;
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

    struct buffer_header *h = lsa_zero_alloc(sizeof(*h) + (size ? size : 1));
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
    size_t size = 0;
    live_lookup(buffer, FALSE, &size);
    return size;
}

size_t lsa_client_buffer_table_slots(void)
{
    size_t slots = 0;
    for (unsigned i = 0; i < LSA_SHARDS; i++) {
        pthread_mutex_lock(&live[i].lock);
        slots += live[i].capacity;
        pthread_mutex_unlock(&live[i].lock);
    }
    return slots;
}

NTSTATUS lsa_client_buffer_free(void *buffer)
{
    if (!live_lookup(buffer, TRUE, NULL))
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
