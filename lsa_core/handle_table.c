#include "handle_table.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include <lsa/ntstatus.h>

#include "thread_shard.h"

#define NO_SLOT UINT32_MAX

struct slot {
    struct lsa_object *object; /* NULL: free */
    enum lsa_handle_kind kind;
    uint32_t generation;
    uint32_t next_free;
};

/* A thread inserts into its own shard; the handle names the shard, so ref and close go
 * straight to it.  Freed slots queue FIFO: a slot comes back only after every other free
 * one, so its 32-bit generation wraps (and a long-stale handle could match again) only
 * after 2^32 rounds of the whole free list, not 2^32 reuses of one hot slot. */
struct shard {
    _Alignas(LSA_CACHE_LINE) pthread_mutex_t lock;
    struct slot *slots;
    uint32_t count;
    uint32_t free_head, free_tail;
};

/* Adaptive: every logon takes a shard's lock for a few instructions, and a waiter that
 * spins briefly gets it sooner than one put to sleep in the kernel. */
static struct shard shards[LSA_SHARDS] = {
    [0 ... LSA_SHARDS - 1] = { .lock = PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP,
                               .free_head = NO_SLOT, .free_tail = NO_SLOT },
};

/* Slots per shard stay below 2^(32 - LSA_SHARD_BITS) - 1, so the low word never wraps. */
#define MAX_SLOTS ((UINT32_MAX >> LSA_SHARD_BITS) - 1)

void lsa_object_init(struct lsa_object *object, void (*destroy)(struct lsa_object *))
{
    atomic_init((_Atomic int *)&object->refs, 1);
    object->destroy = destroy;
}

void lsa_object_ref(struct lsa_object *object)
{
    atomic_fetch_add((_Atomic int *)&object->refs, 1);
}

void lsa_object_release(struct lsa_object *object)
{
    if (object != NULL && atomic_fetch_sub((_Atomic int *)&object->refs, 1) == 1)
        object->destroy(object);
}

/* handle = generation << 32 | (index + 1) << LSA_SHARD_BITS | shard: never NULL, and a
 * closed slot's handle goes stale when the slot is reused. */
static HANDLE make_handle(unsigned shard, uint32_t index, uint32_t generation)
{
    uint32_t low = ((index + 1) << LSA_SHARD_BITS) | shard;
    return (HANDLE)(uintptr_t)(((uint64_t)generation << 32) | low);
}

static struct shard *shard_of(HANDLE handle)
{
    return &shards[(uintptr_t)handle & (LSA_SHARDS - 1)];
}

/* Must be called with the shard's lock held. */
static struct slot *find_locked(struct shard *sh, HANDLE handle, enum lsa_handle_kind kind)
{
    uint64_t value = (uint64_t)(uintptr_t)handle;
    uint32_t low = (uint32_t)value >> LSA_SHARD_BITS;
    uint32_t generation = (uint32_t)(value >> 32);
    if (low == 0 || low - 1 >= sh->count)
        return NULL;
    struct slot *s = &sh->slots[low - 1];
    if (s->object == NULL || s->kind != kind || s->generation != generation)
        return NULL;
    return s;
}

static void push_free_locked(struct shard *sh, uint32_t index)
{
    sh->slots[index].next_free = NO_SLOT;
    if (sh->free_tail == NO_SLOT)
        sh->free_head = index;
    else
        sh->slots[sh->free_tail].next_free = index;
    sh->free_tail = index;
}

static int grow_locked(struct shard *sh)
{
    uint32_t grown = sh->count ? sh->count * 2 : 64;
    if (sh->count >= MAX_SLOTS / 2)
        grown = MAX_SLOTS;
    if (grown <= sh->count)
        return -1;
    struct slot *bigger = realloc(sh->slots, grown * sizeof(*bigger));
    if (bigger == NULL)
        return -1;
    sh->slots = bigger;
    for (uint32_t i = sh->count; i < grown; i++) {
        sh->slots[i] = (struct slot){ NULL, 0, 1, NO_SLOT };
        push_free_locked(sh, i);
    }
    sh->count = grown;
    return 0;
}

NTSTATUS lsa_handle_insert(enum lsa_handle_kind kind, struct lsa_object *object, HANDLE *handle)
{
    unsigned n = lsa_thread_shard();
    struct shard *sh = &shards[n];
    pthread_mutex_lock(&sh->lock);
    if (sh->free_head == NO_SLOT && grow_locked(sh) != 0) {
        pthread_mutex_unlock(&sh->lock);
        return STATUS_NO_MEMORY;
    }
    uint32_t index = sh->free_head;
    struct slot *s = &sh->slots[index];
    sh->free_head = s->next_free;
    if (sh->free_head == NO_SLOT)
        sh->free_tail = NO_SLOT;
    s->object = object;
    s->kind = kind;
    *handle = make_handle(n, index, s->generation);
    pthread_mutex_unlock(&sh->lock);
    return STATUS_SUCCESS;
}

struct lsa_object *lsa_handle_ref(HANDLE handle, enum lsa_handle_kind kind)
{
    struct shard *sh = shard_of(handle);
    pthread_mutex_lock(&sh->lock);
    struct slot *s = find_locked(sh, handle, kind);
    struct lsa_object *object = s ? s->object : NULL;
    if (object != NULL)
        lsa_object_ref(object);
    pthread_mutex_unlock(&sh->lock);
    return object;
}

NTSTATUS lsa_handle_close(HANDLE handle, enum lsa_handle_kind kind)
{
    struct shard *sh = shard_of(handle);
    pthread_mutex_lock(&sh->lock);
    struct slot *s = find_locked(sh, handle, kind);
    if (s == NULL) {
        pthread_mutex_unlock(&sh->lock);
        return STATUS_INVALID_HANDLE;
    }
    struct lsa_object *object = s->object;
    s->object = NULL;
    s->generation++;
    if (s->generation == 0)
        s->generation = 1;
    push_free_locked(sh, (uint32_t)(s - sh->slots));
    pthread_mutex_unlock(&sh->lock);
    lsa_object_release(object);
    return STATUS_SUCCESS;
}
