#include "session_store.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

#include "luid.h"
#include "thread_shard.h"
#include "zero_alloc.h"

/* Each shard chains its sessions in a hash on the LUID: a logon looks its session up
 * several times, and a machine-wide LSA holds thousands.  A shard's table doubles when it
 * holds more sessions than buckets. */
#define SESSION_BUCKETS_MIN 64u

struct lsa_session_shard {
    _Alignas(LSA_CACHE_LINE) pthread_mutex_t lock;
    struct lsa_session **buckets;
    size_t bucket_count, session_count;
};

/* Adaptive: every logon takes a shard's lock for a few instructions, and a waiter that
 * spins briefly gets it sooner than one put to sleep in the kernel. */
static struct lsa_session_shard shards[LSA_SHARDS] = {
    [0 ... LSA_SHARDS - 1] = { .lock = PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP },
};

static uint64_t key_of(const LUID *id)
{
    return ((uint64_t)(uint32_t)id->HighPart << 32) | id->LowPart;
}

#define GOLDEN UINT64_C(0x9E3779B97F4A7C15)

/* The shard hashes the LUID's block (luid.h), not the LUID: the sessions a thread creates
 * from its block all land in one shard, so two threads logging on seldom share one. */
static struct lsa_session_shard *shard_of(const LUID *id)
{
    uint64_t block = key_of(id) >> LSA_LUID_BLOCK_BITS;
    return &shards[(block * GOLDEN) >> (64 - LSA_SHARD_BITS)];
}

static size_t bucket_of(const LUID *id, size_t count)
{
    return (size_t)((key_of(id) * GOLDEN) >> 32) & (count - 1);
}

struct lsa_session_shard *lsa_session_shard_lock(const LUID *logon_id)
{
    struct lsa_session_shard *sh = shard_of(logon_id);
    pthread_mutex_lock(&sh->lock);
    return sh;
}

void lsa_session_shard_unlock(struct lsa_session_shard *sh)
{
    pthread_mutex_unlock(&sh->lock);
}

struct lsa_session *lsa_session_find_locked(struct lsa_session_shard *sh, const LUID *id)
{
    if (sh->bucket_count == 0)
        return NULL;
    for (struct lsa_session *s = sh->buckets[bucket_of(id, sh->bucket_count)]; s != NULL;
         s = s->next)
        if (LSA_LUID_EQUAL(s->id, *id))
            return s;
    return NULL;
}

/* 0, or -1 when there is no memory for a first table (a failed doubling is harmless). */
static int buckets_grow_locked(struct lsa_session_shard *sh)
{
    size_t count = sh->bucket_count ? sh->bucket_count * 2 : SESSION_BUCKETS_MIN;
    struct lsa_session **table = calloc(count, sizeof(*table));
    if (table == NULL)
        return sh->bucket_count ? 0 : -1;
    for (size_t i = 0; i < sh->bucket_count; i++) {
        struct lsa_session *s = sh->buckets[i];
        while (s != NULL) {
            struct lsa_session *next = s->next;
            size_t j = bucket_of(&s->id, count);
            s->next = table[j];
            table[j] = s;
            s = next;
        }
    }
    free(sh->buckets);
    sh->buckets = table;
    sh->bucket_count = count;
    return 0;
}

struct lsa_session *lsa_session_add_locked(struct lsa_session_shard *sh, LUID id)
{
    if (sh->session_count >= sh->bucket_count && buckets_grow_locked(sh) != 0)
        return NULL;
    struct lsa_session *s = lsa_zero_alloc(sizeof(*s));
    if (s == NULL)
        return NULL;
    s->id = id;
    struct lsa_session **head = &sh->buckets[bucket_of(&id, sh->bucket_count)];
    s->next = *head;
    *head = s;
    sh->session_count++;
    return s;
}

struct lsa_session *lsa_session_unlink_locked(struct lsa_session_shard *sh, const LUID *id)
{
    if (sh->bucket_count == 0)
        return NULL;
    for (struct lsa_session **p = &sh->buckets[bucket_of(id, sh->bucket_count)]; *p != NULL;
         p = &(*p)->next) {
        if (LSA_LUID_EQUAL((*p)->id, *id)) {
            struct lsa_session *s = *p;
            *p = s->next;
            sh->session_count--;
            return s;
        }
    }
    return NULL;
}

void lsa_sessions_for_each(void (*visit)(struct lsa_session *, void *), void *context)
{
    for (unsigned i = 0; i < LSA_SHARDS; i++) {
        struct lsa_session_shard *sh = &shards[i];
        pthread_mutex_lock(&sh->lock);
        for (size_t b = 0; b < sh->bucket_count; b++)
            for (struct lsa_session *s = sh->buckets[b]; s != NULL; s = s->next)
                visit(s, context);
        pthread_mutex_unlock(&sh->lock);
    }
}

size_t lsa_sessions_count(void)
{
    size_t n = 0;
    for (unsigned i = 0; i < LSA_SHARDS; i++) {
        pthread_mutex_lock(&shards[i].lock);
        n += shards[i].session_count;
        pthread_mutex_unlock(&shards[i].lock);
    }
    return n;
}
