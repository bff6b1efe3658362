/*
 * The challenge table (challenge_table.h).  Outstanding entries live in three structures:
 *   - a hash on the challenge bytes (they are random, so their low bits index it),
 *     with about one bucket for two entries at the bound;
 *   - one list of every entry in issue order (CLOCK_MONOTONIC never goes back), so the
 *     oldest are at its head: purging and the global bound cost O(1) per entry;
 *   - per connection, the list of its entries, oldest first, with the connection
 *     records in a hash on the connection id.
 * A challenge that is used, expires or is evicted leaves all three at once (its entry is
 * kept for the next issue) and is remembered in a ring of the last
 * MSV_CHALLENGES_REMEMBERED finished ones, for MSV_CHALLENGE_MEMORY_NS after its lifetime: that is only read when a
 * logon brings a challenge the hash does not hold, to say why it is refused.  So the
 * structures a logon touches hold only what is outstanding, which keeps them small and
 * in cache under load.
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
#define CONNECTION_BUCKETS 1024u
#define SPARE_ENTRIES 64u

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
    struct connection *hash_next;
};

/* A finished challenge, for the verdict on a later attempt. */
struct memory {
    uint64_t key;
    uint64_t connection;
    int64_t issued_ns;
    enum entry_state state; /* ENTRY_OUTSTANDING: an empty slot */
};

struct msv_challenge_table {
    pthread_mutex_t lock;
    int64_t lifetime_ns;
    uint32_t per_connection;
    uint32_t total;
    size_t count; /* outstanding */
    struct entry *oldest, *newest;
    size_t bucket_mask; /* buckets: a power of two, about half the bound */
    struct entry **buckets;
    struct entry *spare; /* wiped entries for reuse, chained through next */
    uint32_t spare_count;
    struct memory memory[MEMORY_ENTRIES];
    uint32_t memory_next, memory_count;
    struct connection *connections[CONNECTION_BUCKETS];
};

static uint64_t key_of(const uint8_t challenge[MSV_CHALLENGE_BYTES])
{
    uint64_t key;
    memcpy(&key, challenge, sizeof(key));
    return key;
}

static struct entry **bucket_of(struct msv_challenge_table *t, uint64_t key)
{
    return &t->buckets[key & t->bucket_mask];
}

static struct entry *find(struct msv_challenge_table *t, uint64_t key)
{
    for (struct entry *e = *bucket_of(t, key); e != NULL; e = e->hash_next)
        if (e->key == key)
            return e;
    return NULL;
}

/* The newest memory of KEY, if not yet forgotten at NOW. */
static const struct memory *recall(const struct msv_challenge_table *t, uint64_t key, int64_t now)
{
    for (uint32_t n = 0; n < t->memory_count; n++) {
        const struct memory *m =
            &t->memory[(t->memory_next + MEMORY_ENTRIES - 1 - n) % MEMORY_ENTRIES];
        if (m->state != ENTRY_OUTSTANDING && m->key == key)
            return now - m->issued_ns > t->lifetime_ns + MSV_CHALLENGE_MEMORY_NS ? NULL : m;
    }
    return NULL;
}

static struct connection *connection_find(struct msv_challenge_table *t, uint64_t id,
                                          BOOLEAN create)
{
    struct connection **slot = &t->connections[id % CONNECTION_BUCKETS];
    struct connection *c;

    for (c = *slot; c != NULL; c = c->hash_next)
        if (c->id == id)
            return c;
    if (!create)
        return NULL;
    c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    c->id = id;
    c->hash_next = *slot;
    *slot = c;
    return c;
}

static void connection_drop(struct msv_challenge_table *t, struct connection *c)
{
    struct connection **p = &t->connections[c->id % CONNECTION_BUCKETS];

    while (*p != c)
        p = &(*p)->hash_next;
    *p = c->hash_next;
    free(c);
}

/* E leaves the table as STATE: remembered, unlinked from everything, kept for reuse. */
static void finish(struct msv_challenge_table *t, struct entry *e, enum entry_state state)
{
    struct connection *c = e->owner;
    struct memory *m = &t->memory[t->memory_next];

    *m = (struct memory){ e->key, e->connection, e->issued_ns, state };
    t->memory_next = (t->memory_next + 1) % MEMORY_ENTRIES;
    if (t->memory_count < MEMORY_ENTRIES)
        t->memory_count++;

    if (e->conn_prev != NULL)
        e->conn_prev->conn_next = e->conn_next;
    else
        c->head = e->conn_next;
    if (e->conn_next != NULL)
        e->conn_next->conn_prev = e->conn_prev;
    else
        c->tail = e->conn_prev;
    if (--c->outstanding == 0)
        connection_drop(t, c);

    if (e->hash_prev != NULL)
        e->hash_prev->hash_next = e->hash_next;
    else
        *bucket_of(t, e->key) = e->hash_next;
    if (e->hash_next != NULL)
        e->hash_next->hash_prev = e->hash_prev;
    if (e->prev != NULL)
        e->prev->next = e->next;
    else
        t->oldest = e->next;
    if (e->next != NULL)
        e->next->prev = e->prev;
    else
        t->newest = e->prev;
    t->count--;

    explicit_bzero(e, sizeof(*e));
    if (t->spare_count < SPARE_ENTRIES) {
        e->next = t->spare;
        t->spare = e;
        t->spare_count++;
    } else {
        free(e);
    }
}

static struct entry *entry_take(struct msv_challenge_table *t)
{
    struct entry *e = t->spare;

    if (e == NULL)
        return calloc(1, sizeof(*e));
    t->spare = e->next;
    t->spare_count--;
    e->next = NULL;
    return e;
}

static void purge(struct msv_challenge_table *t, int64_t now)
{
    while (t->oldest != NULL && now - t->oldest->issued_ns > t->lifetime_ns)
        finish(t, t->oldest, ENTRY_EXPIRED);
}

NTSTATUS msv_challenge_table_create(int64_t lifetime_ns, uint32_t per_connection, uint32_t total,
                                    struct msv_challenge_table **table)
{
    struct msv_challenge_table *t = calloc(1, sizeof(*t));
    size_t buckets = 64;

    *table = NULL;
    if (t == NULL)
        return STATUS_NO_MEMORY;
    t->lifetime_ns = lifetime_ns;
    t->per_connection = per_connection ? per_connection : MSV_CHALLENGES_PER_CONNECTION;
    t->total = total ? total : MSV_CHALLENGES_MAX;
    while (buckets < t->total / 2)
        buckets *= 2;
    t->bucket_mask = buckets - 1;
    t->buckets = calloc(buckets, sizeof(*t->buckets));
    if (t->buckets == NULL || msv_adaptive_mutex_init(&t->lock) != 0) {
        free(t->buckets);
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
    while (t->oldest != NULL)
        finish(t, t->oldest, ENTRY_EVICTED);
    while (t->spare != NULL) {
        struct entry *e = t->spare;
        t->spare = e->next;
        free(e);
    }
    pthread_mutex_destroy(&t->lock);
    free(t->buckets);
    explicit_bzero(t, sizeof(*t));
    free(t);
}

NTSTATUS msv_challenge_issue(struct msv_challenge_table *t, uint64_t connection,
                             uint8_t challenge[MSV_CHALLENGE_BYTES])
{
    struct entry *e = NULL;
    struct connection *c;
    int64_t now;
    NTSTATUS status = ntlm_random_buffered(challenge, MSV_CHALLENGE_BYTES);

    if (status != STATUS_SUCCESS) {
        explicit_bzero(challenge, MSV_CHALLENGE_BYTES);
        return status;
    }
    pthread_mutex_lock(&t->lock);
    now = msv_monotonic_ns();
    purge(t, now);
    /* 2^-64 that a value is taken; a second try is already theory. */
    while (status == STATUS_SUCCESS && find(t, key_of(challenge)) != NULL)
        status = ntlm_random_buffered(challenge, MSV_CHALLENGE_BYTES);
    if (status != STATUS_SUCCESS)
        goto out;
    c = connection_find(t, connection, TRUE);
    if (c == NULL) {
        status = STATUS_NO_MEMORY;
        goto out;
    }
    if (c->outstanding >= t->per_connection)
        finish(t, c->head, ENTRY_EVICTED);
    while (t->count >= t->total)
        finish(t, t->oldest, ENTRY_EVICTED);
    /* Either step may have freed C with its last outstanding entry: look again. */
    c = connection_find(t, connection, TRUE);
    e = entry_take(t);
    if (c == NULL || e == NULL) {
        status = STATUS_NO_MEMORY;
        goto out;
    }

    e->key = key_of(challenge);
    e->connection = connection;
    e->issued_ns = now;
    e->hash_next = *bucket_of(t, e->key);
    if (e->hash_next != NULL)
        e->hash_next->hash_prev = e;
    *bucket_of(t, e->key) = e;
    e->prev = t->newest;
    if (t->newest != NULL)
        t->newest->next = e;
    else
        t->oldest = e;
    t->newest = e;
    e->owner = c;
    e->conn_prev = c->tail;
    if (c->tail != NULL)
        c->tail->conn_next = e;
    else
        c->head = e;
    c->tail = e;
    c->outstanding++;
    t->count++;
    e = NULL;
out:
    pthread_mutex_unlock(&t->lock);
    free(e);
    if (status != STATUS_SUCCESS)
        explicit_bzero(challenge, MSV_CHALLENGE_BYTES);
    return status;
}

enum msv_challenge_verdict msv_challenge_consume(struct msv_challenge_table *t,
                                                 uint64_t connection,
                                                 const uint8_t challenge[MSV_CHALLENGE_BYTES])
{
    enum msv_challenge_verdict verdict;
    uint64_t key = key_of(challenge);
    struct entry *e;
    int64_t now;

    pthread_mutex_lock(&t->lock);
    now = msv_monotonic_ns();
    e = find(t, key);
    if (e != NULL) {
        if (e->connection != connection) {
            verdict = MSV_CHALLENGE_FOREIGN;
        } else if (now - e->issued_ns > t->lifetime_ns) {
            finish(t, e, ENTRY_EXPIRED);
            verdict = MSV_CHALLENGE_EXPIRED;
        } else {
            finish(t, e, ENTRY_USED);
            verdict = MSV_CHALLENGE_OK;
        }
    } else {
        const struct memory *m = recall(t, key, now);
        if (m == NULL)
            verdict = MSV_CHALLENGE_UNKNOWN;
        else if (m->connection != connection)
            verdict = MSV_CHALLENGE_FOREIGN;
        else if (m->state == ENTRY_USED)
            verdict = MSV_CHALLENGE_REPLAYED;
        else if (m->state == ENTRY_EXPIRED)
            verdict = MSV_CHALLENGE_EXPIRED;
        else
            verdict = MSV_CHALLENGE_EVICTED;
    }
    pthread_mutex_unlock(&t->lock);
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
    size_t n;

    pthread_mutex_lock(&t->lock);
    n = t->count;
    pthread_mutex_unlock(&t->lock);
    return n;
}
