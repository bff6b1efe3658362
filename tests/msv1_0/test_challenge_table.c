/*
 * The MSV1_0 challenge table on its own (packages/msv1_0/challenge_table.h): single use,
 * per connection, expiry, the per-connection and per-shard bounds, and that a forgotten,
 * replayed or foreign challenge is told apart.
 */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <lsa/ntstatus.h>

#include "challenge_table.h"
#include "ntlm_crypto.h"

#define SECOND INT64_C(1000000000)

static int setup(void **state)
{
    (void)state;
    return ntlm_crypto_init() == STATUS_SUCCESS ? 0 : -1;
}

static void test_single_use(void **state)
{
    struct msv_challenge_table *t;
    uint8_t a[8], b[8];

    (void)state;
    assert_int_equal(msv_challenge_table_create(60 * SECOND, 0, 0, &t), STATUS_SUCCESS);
    assert_int_equal(msv_challenge_issue(t, 1, a), STATUS_SUCCESS);
    assert_int_equal(msv_challenge_issue(t, 1, b), STATUS_SUCCESS);
    assert_memory_not_equal(a, b, 8);
    /* Another connection may not use it, and does not use it up. */
    assert_int_equal(msv_challenge_consume(t, 2, a), MSV_CHALLENGE_FOREIGN);
    assert_int_equal(msv_challenge_consume(t, 1, a), MSV_CHALLENGE_OK);
    assert_int_equal(msv_challenge_consume(t, 1, a), MSV_CHALLENGE_REPLAYED);
    assert_int_equal(msv_challenge_consume(t, 1, b), MSV_CHALLENGE_OK);
    memset(a, 0x5a, sizeof(a));
    assert_int_equal(msv_challenge_consume(t, 1, a), MSV_CHALLENGE_UNKNOWN);
    assert_string_equal(msv_challenge_verdict_text(MSV_CHALLENGE_REPLAYED),
                        "challenge already used (replay)");
    msv_challenge_table_destroy(t);
}

static void test_expiry(void **state)
{
    struct msv_challenge_table *t;
    uint8_t a[8];

    (void)state;
    assert_int_equal(msv_challenge_table_create(SECOND / 10, 0, 0, &t), STATUS_SUCCESS);
    assert_int_equal(msv_challenge_issue(t, 7, a), STATUS_SUCCESS);
    usleep(200000);
    assert_int_equal(msv_challenge_consume(t, 7, a), MSV_CHALLENGE_EXPIRED);
    assert_int_equal(msv_challenge_consume(t, 7, a), MSV_CHALLENGE_EXPIRED);
    msv_challenge_table_destroy(t);
}

static void test_per_connection_bound(void **state)
{
    struct msv_challenge_table *t;
    uint8_t first[8], other[8], c[8];

    (void)state;
    assert_int_equal(msv_challenge_table_create(60 * SECOND, 4, 0, &t), STATUS_SUCCESS);
    assert_int_equal(msv_challenge_issue(t, 1, first), STATUS_SUCCESS);
    assert_int_equal(msv_challenge_issue(t, 2, other), STATUS_SUCCESS);
    for (int i = 0; i < 4; i++)
        assert_int_equal(msv_challenge_issue(t, 1, c), STATUS_SUCCESS);
    /* The fifth outstanding challenge of connection 1 pushed its oldest out... */
    assert_int_equal(msv_challenge_consume(t, 1, first), MSV_CHALLENGE_EVICTED);
    /* ...and nobody else's. */
    assert_int_equal(msv_challenge_consume(t, 2, other), MSV_CHALLENGE_OK);
    assert_int_equal(msv_challenge_consume(t, 1, c), MSV_CHALLENGE_OK);
    msv_challenge_table_destroy(t);
}

/* TOTAL is shared out among the shards, rounded up: a connection alone in its shard has
 * ceil(TOTAL / MSV_CHALLENGE_SHARDS) outstanding, and the table never more than that per
 * shard. */
static void test_shard_bound(void **state)
{
    struct msv_challenge_table *t;
    uint8_t first[8], second[8], c[8];

    (void)state;
    assert_int_equal(msv_challenge_table_create(60 * SECOND, 0, MSV_CHALLENGE_SHARDS + 1, &t),
                     STATUS_SUCCESS);
    assert_int_equal(msv_challenge_issue(t, 1, first), STATUS_SUCCESS);
    assert_int_equal(msv_challenge_issue(t, 1, second), STATUS_SUCCESS);
    assert_int_equal(msv_challenge_issue(t, 1, c), STATUS_SUCCESS);
    /* Pushed out by the shard's bound of 2, and remembered as such. */
    assert_int_equal(msv_challenge_consume(t, 1, first), MSV_CHALLENGE_EVICTED);
    assert_int_equal(msv_challenge_consume(t, 1, second), MSV_CHALLENGE_OK);
    assert_int_equal(msv_challenge_consume(t, 1, c), MSV_CHALLENGE_OK);
    for (uint64_t i = 0; i < 1000; i++) {
        assert_int_equal(msv_challenge_issue(t, 100 + i, c), STATUS_SUCCESS);
        assert_true(msv_challenge_table_size(t) <= 2 * MSV_CHALLENGE_SHARDS);
    }
    assert_int_equal(msv_challenge_consume(t, 1099, c), MSV_CHALLENGE_OK);
    msv_challenge_table_destroy(t);
}

/* A shard's memory holds its last MSV_CHALLENGES_REMEMBERED finished challenges (one
 * connection: one shard). */
static void test_many(void **state)
{
    struct msv_challenge_table *t;
    static uint8_t c[3000][8];

    (void)state;
    assert_int_equal(msv_challenge_table_create(60 * SECOND, 0, 0, &t), STATUS_SUCCESS);
    /* 1000 at a time: below the default bound of 1024, all still there. */
    for (int block = 0; block < 3; block++) {
        for (int i = block * 1000; i < (block + 1) * 1000; i++)
            assert_int_equal(msv_challenge_issue(t, 5, c[i]), STATUS_SUCCESS);
        for (int i = (block + 1) * 1000 - 1; i >= block * 1000; i--)
            assert_int_equal(msv_challenge_consume(t, 5, c[i]), MSV_CHALLENGE_OK);
    }
    /* None outstanding; the last MSV_CHALLENGES_REMEMBERED used are remembered: blocks 2
     * and 1, and the last 48 of block 0 (c[47] .. c[0])... */
    assert_int_equal(msv_challenge_table_size(t), 0);
    for (int i = 2999; i >= 1000; i--)
        assert_int_equal(msv_challenge_consume(t, 5, c[i]), MSV_CHALLENGE_REPLAYED);
    for (int i = 0; i < MSV_CHALLENGES_REMEMBERED - 2000; i++)
        assert_int_equal(msv_challenge_consume(t, 5, c[i]), MSV_CHALLENGE_REPLAYED);
    /* ...and one used before them is forgotten. */
    assert_int_equal(msv_challenge_consume(t, 5, c[MSV_CHALLENGES_REMEMBERED - 2000]),
                     MSV_CHALLENGE_UNKNOWN);
    msv_challenge_table_destroy(t);
}

/* A remembered challenge brought by another connection is still somebody else's. */
static void test_finished_challenge_of_another_connection(void **state)
{
    struct msv_challenge_table *t;
    uint8_t a[8];

    (void)state;
    assert_int_equal(msv_challenge_table_create(60 * SECOND, 0, 0, &t), STATUS_SUCCESS);
    assert_int_equal(msv_challenge_issue(t, 1, a), STATUS_SUCCESS);
    assert_int_equal(msv_challenge_consume(t, 1, a), MSV_CHALLENGE_OK);
    assert_int_equal(msv_challenge_consume(t, 2, a), MSV_CHALLENGE_FOREIGN);
    assert_int_equal(msv_challenge_consume(t, 1, a), MSV_CHALLENGE_REPLAYED);
    msv_challenge_table_destroy(t);
}

/* Expired challenges leave the table at the next issue, and are told as expired. */
static void test_expired_are_purged(void **state)
{
    struct msv_challenge_table *t;
    uint8_t a[8], b[8];

    (void)state;
    assert_int_equal(msv_challenge_table_create(SECOND / 10, 0, 0, &t), STATUS_SUCCESS);
    for (int i = 0; i < 10; i++)
        assert_int_equal(msv_challenge_issue(t, 3, a), STATUS_SUCCESS);
    usleep(200000);
    assert_int_equal(msv_challenge_issue(t, 3, b), STATUS_SUCCESS);
    assert_int_equal(msv_challenge_table_size(t), 1);
    assert_int_equal(msv_challenge_consume(t, 3, a), MSV_CHALLENGE_EXPIRED);
    assert_int_equal(msv_challenge_consume(t, 3, b), MSV_CHALLENGE_OK);
    msv_challenge_table_destroy(t);
}

/* Threads issue challenges while others consume them, each challenge tried by every
 * thread (on its own connection): each is accepted exactly once. */
#define RACE_THREADS 8
#define RACE_CONNECTIONS 4
#define RACE_EACH 200

struct race {
    struct msv_challenge_table *table;
    uint8_t challenge[RACE_THREADS][RACE_EACH][8];
    atomic_int ready[RACE_THREADS][RACE_EACH];
    atomic_int accepted[RACE_THREADS][RACE_EACH];
    atomic_int refused_wrongly;
};

struct racer {
    struct race *race;
    int id;
};

static void *race_thread(void *arg)
{
    struct racer *r = arg;
    struct race *race = r->race;

    for (int i = 0; i < RACE_EACH; i++) {
        if (msv_challenge_issue(race->table, (uint64_t)(r->id % RACE_CONNECTIONS),
                                race->challenge[r->id][i]) != STATUS_SUCCESS)
            atomic_fetch_add(&race->refused_wrongly, 1);
        atomic_store(&race->ready[r->id][i], 1);
    }
    for (int n = 0; n < RACE_THREADS; n++) {
        int u = (r->id + n) % RACE_THREADS;
        for (int i = 0; i < RACE_EACH; i++) {
            while (!atomic_load(&race->ready[u][i]))
                sched_yield();
            enum msv_challenge_verdict v = msv_challenge_consume(
                race->table, (uint64_t)(u % RACE_CONNECTIONS), race->challenge[u][i]);
            if (v == MSV_CHALLENGE_OK)
                atomic_fetch_add(&race->accepted[u][i], 1);
            else if (v != MSV_CHALLENGE_REPLAYED)
                atomic_fetch_add(&race->refused_wrongly, 1);
        }
    }
    return NULL;
}

static void test_concurrent_single_use(void **state)
{
    static struct race race;
    struct racer racers[RACE_THREADS];
    pthread_t threads[RACE_THREADS];

    (void)state;
    assert_int_equal(msv_challenge_table_create(60 * SECOND, 0, 0, &race.table),
                     STATUS_SUCCESS);
    for (int i = 0; i < RACE_THREADS; i++) {
        racers[i] = (struct racer){ &race, i };
        assert_int_equal(pthread_create(&threads[i], NULL, race_thread, &racers[i]), 0);
    }
    for (int i = 0; i < RACE_THREADS; i++)
        assert_int_equal(pthread_join(threads[i], NULL), 0);
    assert_int_equal(atomic_load(&race.refused_wrongly), 0);
    for (int u = 0; u < RACE_THREADS; u++)
        for (int i = 0; i < RACE_EACH; i++)
            assert_int_equal(atomic_load(&race.accepted[u][i]), 1);
    assert_int_equal(msv_challenge_table_size(race.table), 0);
    msv_challenge_table_destroy(race.table);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_use),          cmocka_unit_test(test_expiry),
        cmocka_unit_test(test_per_connection_bound), cmocka_unit_test(test_shard_bound),
        cmocka_unit_test(test_many),
        cmocka_unit_test(test_finished_challenge_of_another_connection),
        cmocka_unit_test(test_expired_are_purged),
        cmocka_unit_test(test_concurrent_single_use),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
