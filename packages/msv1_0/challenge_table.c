/*
 * The challenge table (challenge_table.h).  A connection's challenges all live in the
 * shard its id hashes to; each shard is a small table of its own, behind its own lock and
 * on its own cache lines.  In a shard, outstanding entries live in three structures:
 *   - a hash on the challenge bytes (they are random, so their low bits index it),
 *     with about one bucket for two entries at the shard's bound;
 *   - one list of every entry in issue order (CLOCK_MONOTONIC never goes back), so the
 *     oldest are at its head: purging and the shard's bound cost O(1) per entry;
 *   - per connection, the list of its entries, oldest first, with the connection
 *     records in a hash on the connection id.
 * A challenge that is used, expires or is evicted leaves all three at once (its entry is
 * kept for the next issue) and is remembered in the shard's ring of the last
 * MSV_CHALLENGES_REMEMBERED finished ones, for MSV_CHALLENGE_MEMORY_NS after its
 * lifetime: that is only read when a logon brings a challenge its shard does not hold, to
 * say why it is refused (the other shards are then asked too: a challenge of another
 * connection is there).  So the structures a logon touches hold only what is outstanding
 * on connections of its shard, which keeps them small and in cache under load.
 */
#include "challenge_table.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <lsa/ntstatus.h>

#include "ntlm_crypto.h"
#include "nt_time.h"
#include "msv_mutex.h"

/* How long a finished challenge is remembered after its lifetime, and how many. */
#define MSV_CHALLENGE_MEMORY_NS (INT64_C(600) * 1000000000)
#define MEMORY_ENTRIES MSV_CHALLENGES_REMEMBERED
#define CONNECTION_BUCKETS 64u /* per shard */
/* Wiped entries a shard keeps for reuse: enough for one connection's worth of
 * outstanding challenges (a client that asks for a batch before logging on), so a steady
 * load allocates nothing; at most 16 * 1024 * 80 bytes held after a peak. */
#define SPARE_ENTRIES MSV_CHALLENGES_PER_CONNECTION
#define SPARE_CONNECTIONS 4u
#define CACHE_LINE 64

_Static_assert((MSV_CHALLENGE_SHARDS & (MSV_CHALLENGE_SHARDS - 1)) == 0,
               "MSV_CHALLENGE_SHARDS is a power of two");

enum entry_state { ENTRY_OUTSTANDING, ENTRY_USED, ENTRY_EXPIRED, ENTRY_EVICTED };

struct connection;

struct entry {
    uint64_t key; /* the challenge bytes */
    uint64_t connection;
    int64_t issued_ns;
    struct entry *hash_prev, *hash_next; /* the bucket's chain */
    struct entry *prev, *next;           /* issue order */
    struct entry *conn_prev, *conn_next; /* the connection's */
    struct connection *owner;
};

struct connection {
    uint64_t id;
    uint32_t outstanding;
    struct entry *head, *tail;
    struct connection *hash_next; /* also chains the spare records */
};

/* A finished challenge, for the verdict on a later attempt. */
struct memory {
    uint64_t key;
    uint64_t connection;
    int64_t issued_ns;
    enum entry_state state; /* ENTRY_OUTSTANDING: an empty slot */
};

struct shard {
    _Alignas(CACHE_LINE) pthread_mutex_t lock;
    size_t count; /* outstanding */
    struct entry *oldest, *newest;
    struct entry **buckets;
    struct entry *spare; /* wiped entries for reuse, chained through next */
    uint32_t spare_count;
    struct connection *spare_connections;
    uint32_t spare_connection_count;
    struct memory *memory; /* MEMORY_ENTRIES */
    uint32_t memory_next, memory_count;
    struct connection *connections[CONNECTION_BUCKETS];
};

struct msv_challenge_table {
    int64_t lifetime_ns;
    uint32_t per_connection;
    uint32_t per_shard;
    size_t bucket_mask; /* buckets: a power of two, about half a shard's bound */
    struct shard shards[MSV_CHALLENGE_SHARDS];
};

static struct shard *shard_of(struct msv_challenge_table *t, uint64_t connection)
{
    /* Fibonacci hashing: consecutive ids land in different shards. */
    uint64_t mixed = connection * UINT64_C(0x9e3779b97f4a7c15);
    return &t->shards[mixed >> 32 & (MSV_CHALLENGE_SHARDS - 1)];
}

static uint64_t key_of(const uint8_t challenge[MSV_CHALLENGE_BYTES])
{
    uint64_t key;
    memcpy(&key, challenge, sizeof(key));
    return key;
}

static struct entry **bucket_of(const struct msv_challenge_table *t, struct shard *s,
                                uint64_t key)
{
    return &s->buckets[key & t->bucket_mask];
}

static struct entry *find(const struct msv_challenge_table *t, struct shard *s, uint64_t key)
{
    for (struct entry *e = *bucket_of(t, s, key); e != NULL; e = e->hash_next)
        if (e->key == key)
            return e;
    return NULL;
}

/* The newest memory of KEY in S, if not yet forgotten at NOW. */
static const struct memory *recall(const struct msv_challenge_table *t, const struct shard *s,
                                   uint64_t key, int64_t now)
{
    for (uint32_t n = 0; n < s->memory_count; n++) {
        const struct memory *m =
            &s->memory[(s->memory_next + MEMORY_ENTRIES - 1 - n) % MEMORY_ENTRIES];
        if (m->state != ENTRY_OUTSTANDING && m->key == key)
            return now - m->issued_ns > t->lifetime_ns + MSV_CHALLENGE_MEMORY_NS ? NULL : m;
    }
    return NULL;
}

static struct connection *connection_find(struct shard *s, uint64_t id, BOOLEAN create)
{
    struct connection **slot = &s->connections[id % CONNECTION_BUCKETS];
    struct connection *c;

    for (c = *slot; c != NULL; c = c->hash_next)
        if (c->id == id)
            return c;
    if (!create)
        return NULL;
    c = s->spare_connections;
    if (c != NULL) {
        s->spare_connections = c->hash_next;
        s->spare_connection_count--;
    } else if ((c = malloc(sizeof(*c))) == NULL) {
        return NULL;
    }
    *c = (struct connection){ .id = id, .hash_next = *slot };
    *slot = c;
    return c;
}

static void connection_drop(struct shard *s, struct connection *c)
{
    struct connection **p = &s->connections[c->id % CONNECTION_BUCKETS];

    while (*p != c)
        p = &(*p)->hash_next;
    *p = c->hash_next;
    if (s->spare_connection_count < SPARE_CONNECTIONS) {
        c->hash_next = s->spare_connections;
        s->spare_connections = c;
        s->spare_connection_count++;
    } else {
        free(c);
    }
}

/* E leaves its shard S as STATE: remembered, unlinked from everything, kept for reuse. */
static void finish(const struct msv_challenge_table *t, struct shard *s, struct entry *e,
                   enum entry_state state)
{
    struct connection *c = e->owner;
    struct memory *m = &s->memory[s->memory_next];

    *m = (struct memory){ e->key, e->connection, e->issued_ns, state };
    s->memory_next = (s->memory_next + 1) % MEMORY_ENTRIES;
    if (s->memory_count < MEMORY_ENTRIES)
        s->memory_count++;

    if (e->conn_prev != NULL)
        e->conn_prev->conn_next = e->conn_next;
    else
        c->head = e->conn_next;
    if (e->conn_next != NULL)
        e->conn_next->conn_prev = e->conn_prev;
    else
        c->tail = e->conn_prev;
    if (--c->outstanding == 0)
        connection_drop(s, c);

    if (e->hash_prev != NULL)
        e->hash_prev->hash_next = e->hash_next;
    else
        *bucket_of(t, s, e->key) = e->hash_next;
    if (e->hash_next != NULL)
        e->hash_next->hash_prev = e->hash_prev;
    if (e->prev != NULL)
        e->prev->next = e->next;
    else
        s->oldest = e->next;
    if (e->next != NULL)
        e->next->prev = e->prev;
    else
        s->newest = e->prev;
    s->count--;

    explicit_bzero(e, sizeof(*e));
    if (s->spare_count < SPARE_ENTRIES) {
        e->next = s->spare;
        s->spare = e;
        s->spare_count++;
    } else {
        free(e);
    }
}

static struct entry *entry_take(struct shard *s)
{
    struct entry *e = s->spare;

    if (e == NULL)
        return calloc(1, sizeof(*e));
    s->spare = e->next;
    s->spare_count--;
    e->next = NULL;
    return e;
}

static void purge(const struct msv_challenge_table *t, struct shard *s, int64_t now)
{
    while (s->oldest != NULL && now - s->oldest->issued_ns > t->lifetime_ns)
        finish(t, s, s->oldest, ENTRY_EXPIRED);
}

static void shard_clear(const struct msv_challenge_table *t, struct shard *s)
{
    while (s->oldest != NULL)
        finish(t, s, s->oldest, ENTRY_EVICTED);
    while (s->spare != NULL) {
        struct entry *e = s->spare;
        s->spare = e->next;
        free(e);
    }
    while (s->spare_connections != NULL) {
        struct connection *c = s->spare_connections;
        s->spare_connections = c->hash_next;
        free(c);
    }
    free(s->buckets);
    if (s->memory != NULL)
        explicit_bzero(s->memory, MEMORY_ENTRIES * sizeof(*s->memory));
    free(s->memory);
}

NTSTATUS msv_challenge_table_create(int64_t lifetime_ns, uint32_t per_connection, uint32_t total,
                                    struct msv_challenge_table **table)
{
    struct msv_challenge_table *t;
    size_t buckets = 16;
    int made = 0;

    *table = NULL;
    if (posix_memalign((void **)&t, CACHE_LINE, sizeof(*t)) != 0)
        return STATUS_NO_MEMORY;
    memset(t, 0, sizeof(*t));
    t->lifetime_ns = lifetime_ns;
    t->per_connection = per_connection ? per_connection : MSV_CHALLENGES_PER_CONNECTION;
    total = total ? total : MSV_CHALLENGES_MAX;
    t->per_shard = total / MSV_CHALLENGE_SHARDS + (total % MSV_CHALLENGE_SHARDS != 0);
    while (buckets < t->per_shard / 2)
        buckets *= 2;
    t->bucket_mask = buckets - 1;
    for (; made < MSV_CHALLENGE_SHARDS; made++) {
        struct shard *s = &t->shards[made];
        s->buckets = calloc(buckets, sizeof(*s->buckets));
        s->memory = calloc(MEMORY_ENTRIES, sizeof(*s->memory));
        if (s->buckets == NULL || s->memory == NULL || msv_adaptive_mutex_init(&s->lock) != 0) {
            free(s->buckets);
            free(s->memory);
            break;
        }
    }
    if (made < MSV_CHALLENGE_SHARDS) {
        while (made-- > 0) {
            shard_clear(t, &t->shards[made]);
            pthread_mutex_destroy(&t->shards[made].lock);
        }
        free(t);
        return STATUS_NO_MEMORY;
    }
    *table = t;
    return STATUS_SUCCESS;
}

void msv_challenge_table_destroy(struct msv_challenge_table *t)
{
    if (t == NULL)
        return;
    for (int i = 0; i < MSV_CHALLENGE_SHARDS; i++) {
        shard_clear(t, &t->shards[i]);
        pthread_mutex_destroy(&t->shards[i].lock);
    }
    explicit_bzero(t, sizeof(*t));
    free(t);
}

NTSTATUS msv_challenge_issue(struct msv_challenge_table *t, uint64_t connection,
                             uint8_t challenge[MSV_CHALLENGE_BYTES])
{
    struct shard *s = shard_of(t, connection);
    struct entry *e = NULL;
    struct connection *c;
    int64_t now;
    NTSTATUS status = ntlm_random_buffered(challenge, MSV_CHALLENGE_BYTES);

    if (status != STATUS_SUCCESS) {
        explicit_bzero(challenge, MSV_CHALLENGE_BYTES);
        return status;
    }
    now = msv_monotonic_ns();
    pthread_mutex_lock(&s->lock);
    /* Read before the lock, NOW may be a little older than the shard's newest entry:
     * keep the issue order (expiry is what it bounds, and it is only later). */
    if (s->newest != NULL && now < s->newest->issued_ns)
        now = s->newest->issued_ns;
    purge(t, s, now);
    /* 2^-64 that a value is taken; a second try is already theory. */
    while (status == STATUS_SUCCESS && find(t, s, key_of(challenge)) != NULL)
        status = ntlm_random_buffered(challenge, MSV_CHALLENGE_BYTES);
    if (status != STATUS_SUCCESS)
        goto out;
    c = connection_find(s, connection, TRUE);
    if (c == NULL) {
        status = STATUS_NO_MEMORY;
        goto out;
    }
    if (c->outstanding >= t->per_connection)
        finish(t, s, c->head, ENTRY_EVICTED);
    while (s->count >= t->per_shard)
        finish(t, s, s->oldest, ENTRY_EVICTED);
    /* Either step may have freed C with its last outstanding entry: look again. */
    c = connection_find(s, connection, TRUE);
    e = entry_take(s);
    if (c == NULL || e == NULL) {
        status = STATUS_NO_MEMORY;
        goto out;
    }

    e->key = key_of(challenge);
    e->connection = connection;
    e->issued_ns = now;
    e->hash_next = *bucket_of(t, s, e->key);
    if (e->hash_next != NULL)
        e->hash_next->hash_prev = e;
    *bucket_of(t, s, e->key) = e;
    e->prev = s->newest;
    if (s->newest != NULL)
        s->newest->next = e;
    else
        s->oldest = e;
    s->newest = e;
    e->owner = c;
    e->conn_prev = c->tail;
    if (c->tail != NULL)
        c->tail->conn_next = e;
    else
        c->head = e;
    c->tail = e;
    c->outstanding++;
    s->count++;
    e = NULL;
out:
    pthread_mutex_unlock(&s->lock);
    free(e);
    if (status != STATUS_SUCCESS)
        explicit_bzero(challenge, MSV_CHALLENGE_BYTES);
    return status;
}

/* The verdict on KEY, which CONNECTION's shard does not know: another connection's
 * challenge, outstanding or remembered in another shard, or one never issued. */
static enum msv_challenge_verdict verdict_elsewhere(struct msv_challenge_table *t,
                                                    const struct shard *own, uint64_t key,
                                                    int64_t now)
{
    for (int i = 0; i < MSV_CHALLENGE_SHARDS; i++) {
        struct shard *s = &t->shards[i];
        BOOLEAN known;
        if (s == own)
            continue;
        pthread_mutex_lock(&s->lock);
        known = find(t, s, key) != NULL || recall(t, s, key, now) != NULL;
        pthread_mutex_unlock(&s->lock);
        if (known)
            return MSV_CHALLENGE_FOREIGN;
    }
    return MSV_CHALLENGE_UNKNOWN;
}

enum msv_challenge_verdict msv_challenge_consume(struct msv_challenge_table *t,
                                                 uint64_t connection,
                                                 const uint8_t challenge[MSV_CHALLENGE_BYTES])
{
    struct shard *s = shard_of(t, connection);
    enum msv_challenge_verdict verdict;
    uint64_t key = key_of(challenge);
    const struct memory *m;
    struct entry *e;
    /* Read before the lock: at worst a little early, never late, for the lifetime. */
    int64_t now = msv_monotonic_ns();

    pthread_mutex_lock(&s->lock);
    e = find(t, s, key);
    if (e != NULL) {
        if (e->connection != connection) {
            verdict = MSV_CHALLENGE_FOREIGN;
        } else if (now - e->issued_ns > t->lifetime_ns) {
            finish(t, s, e, ENTRY_EXPIRED);
            verdict = MSV_CHALLENGE_EXPIRED;
        } else {
            finish(t, s, e, ENTRY_USED);
            verdict = MSV_CHALLENGE_OK;
        }
    } else if ((m = recall(t, s, key, now)) == NULL) {
        verdict = MSV_CHALLENGE_UNKNOWN;
    } else if (m->connection != connection) {
        verdict = MSV_CHALLENGE_FOREIGN;
    } else if (m->state == ENTRY_USED) {
        verdict = MSV_CHALLENGE_REPLAYED;
    } else if (m->state == ENTRY_EXPIRED) {
        verdict = MSV_CHALLENGE_EXPIRED;
    } else {
        verdict = MSV_CHALLENGE_EVICTED;
    }
    pthread_mutex_unlock(&s->lock);
    if (verdict == MSV_CHALLENGE_UNKNOWN)
        verdict = verdict_elsewhere(t, s, key, now);
    return verdict;
}

const char *msv_challenge_verdict_text(enum msv_challenge_verdict verdict)
{
    switch (verdict) {
    case MSV_CHALLENGE_OK:
        return "challenge accepted";
    case MSV_CHALLENGE_UNKNOWN:
        return "challenge not issued by this package";
    case MSV_CHALLENGE_FOREIGN:
        return "challenge issued to another connection";
    case MSV_CHALLENGE_REPLAYED:
        return "challenge already used (replay)";
    case MSV_CHALLENGE_EXPIRED:
        return "challenge expired";
    case MSV_CHALLENGE_EVICTED:
        return "challenge dropped before use (too many outstanding)";
    }
    return "challenge refused";
}

size_t msv_challenge_table_size(struct msv_challenge_table *t)
{
    size_t n = 0;

    for (int i = 0; i < MSV_CHALLENGE_SHARDS; i++) {
        pthread_mutex_lock(&t->shards[i].lock);
        n += t->shards[i].count;
        pthread_mutex_unlock(&t->shards[i].lock);
    }
    return n;
}
