/*
 * The challenge table (challenge_table.h).  Entries live in three structures:
 *   - a hash on the challenge bytes (they are random, so their low bits index it),
 *     with about one bucket for two entries at the bound;
 *   - one list of every entry in issue order (CLOCK_MONOTONIC never goes back), so the
 *     oldest are at its head: purging and the global bound cost O(1) per entry;
 *   - per connection, the list of its outstanding (unused) entries, oldest first, with
 *     the connection records in a hash on the connection id.
 * A used, expired or evicted entry leaves its connection's list but stays in the other
 * two, as a tombstone, until it is older than the lifetime plus MSV_CHALLENGE_MEMORY_NS.
 */
#include "challenge_table.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <lsa/ntstatus.h>

#include "ntlm_crypto.h"
#include "nt_time.h"

/* How long a tombstone outlives the lifetime. */
#define MSV_CHALLENGE_MEMORY_NS (INT64_C(600) * 1000000000)
#define CONNECTION_BUCKETS 1024u

enum entry_state { ENTRY_OUTSTANDING, ENTRY_USED, ENTRY_EXPIRED, ENTRY_EVICTED };

struct connection;

struct entry {
    uint64_t key; /* the challenge bytes */
    uint64_t connection;
    int64_t issued_ns;
    enum entry_state state;
    struct entry *hash_prev, *hash_next; /* the bucket's chain */
    struct entry *prev, *next;           /* issue order */
    struct entry *conn_prev, *conn_next; /* the connection's outstanding ones */
    struct connection *owner;            /* while outstanding */
};

struct connection {
    uint64_t id;
    uint32_t outstanding;
    struct entry *head, *tail;
    struct connection *hash_next;
};

struct msv_challenge_table {
    pthread_mutex_t lock;
    int64_t lifetime_ns;
    uint32_t per_connection;
    uint32_t total;
    size_t count;
    struct entry *oldest, *newest;
    size_t bucket_mask; /* buckets: a power of two, about half the bound */
    struct entry **buckets;
    struct entry *spare; /* a wiped entry for reuse, or NULL */
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

/* Takes E off its connection's outstanding list, which is freed when empty. */
static void retire(struct msv_challenge_table *t, struct entry *e, enum entry_state state)
{
    struct connection *c = e->owner;

    e->state = state;
    if (c == NULL)
        return;
    if (e->conn_prev != NULL)
        e->conn_prev->conn_next = e->conn_next;
    else
        c->head = e->conn_next;
    if (e->conn_next != NULL)
        e->conn_next->conn_prev = e->conn_prev;
    else
        c->tail = e->conn_prev;
    e->conn_prev = e->conn_next = NULL;
    e->owner = NULL;
    if (--c->outstanding == 0)
        connection_drop(t, c);
}

/* Forgets E altogether. */
static void remove_entry(struct msv_challenge_table *t, struct entry *e)
{
    retire(t, e, ENTRY_EVICTED);
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
    if (t->spare == NULL)
        t->spare = e; /* the next issue's entry: a full table frees one per issue */
    else
        free(e);
}

static void purge(struct msv_challenge_table *t, int64_t now)
{
    while (t->oldest != NULL &&
           now - t->oldest->issued_ns > t->lifetime_ns + MSV_CHALLENGE_MEMORY_NS)
        remove_entry(t, t->oldest);
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
    if (t->buckets == NULL || pthread_mutex_init(&t->lock, NULL) != 0) {
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
        remove_entry(t, t->oldest);
    pthread_mutex_destroy(&t->lock);
    free(t->spare);
    free(t->buckets);
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
        retire(t, c->head, ENTRY_EVICTED);
    while (t->count >= t->total)
        remove_entry(t, t->oldest);
    /* Either step may have freed C with its last outstanding entry: look again. */
    c = connection_find(t, connection, TRUE);
    e = t->spare != NULL ? t->spare : calloc(1, sizeof(*e));
    t->spare = NULL;
    if (c == NULL || e == NULL) {
        status = STATUS_NO_MEMORY;
        goto out;
    }

    e->key = key_of(challenge);
    e->connection = connection;
    e->issued_ns = now;
    e->state = ENTRY_OUTSTANDING;
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
    struct entry *e;
    int64_t now;

    pthread_mutex_lock(&t->lock);
    now = msv_monotonic_ns();
    e = find(t, key_of(challenge));
    if (e == NULL) {
        verdict = MSV_CHALLENGE_UNKNOWN;
    } else if (e->connection != connection) {
        verdict = MSV_CHALLENGE_FOREIGN;
    } else {
        switch (e->state) {
        case ENTRY_OUTSTANDING:
            if (now - e->issued_ns > t->lifetime_ns) {
                retire(t, e, ENTRY_EXPIRED);
                verdict = MSV_CHALLENGE_EXPIRED;
            } else {
                retire(t, e, ENTRY_USED);
                verdict = MSV_CHALLENGE_OK;
            }
            break;
        case ENTRY_USED:
            verdict = MSV_CHALLENGE_REPLAYED;
            break;
        case ENTRY_EXPIRED:
            verdict = MSV_CHALLENGE_EXPIRED;
            break;
        default:
            verdict = MSV_CHALLENGE_EVICTED;
            break;
        }
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
