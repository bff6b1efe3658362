/*
 * The MSV1_0 challenge table on its own (packages/msv1_0/challenge_table.h): single use,
 * per connection, expiry, the per-connection and global bounds, and that a forgotten,
 * replayed or foreign challenge is told apart.
 */
#include <setjmp.h>
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

static void test_global_bound(void **state)
{
    struct msv_challenge_table *t;
    uint8_t first[8], c[8];

    (void)state;
    assert_int_equal(msv_challenge_table_create(60 * SECOND, 0, 16, &t), STATUS_SUCCESS);
    assert_int_equal(msv_challenge_issue(t, 1, first), STATUS_SUCCESS);
    for (uint64_t i = 0; i < 100; i++) {
        assert_int_equal(msv_challenge_issue(t, 100 + i, c), STATUS_SUCCESS);
        assert_true(msv_challenge_table_size(t) <= 16);
    }
    /* Pushed out by the global bound, and remembered as such. */
    assert_int_equal(msv_challenge_consume(t, 1, first), MSV_CHALLENGE_EVICTED);
    assert_int_equal(msv_challenge_consume(t, 199, c), MSV_CHALLENGE_OK);
    msv_challenge_table_destroy(t);
}

static void test_many(void **state)
{
    struct msv_challenge_table *t;
    static uint8_t c[3000][8];

    (void)state;
    assert_int_equal(msv_challenge_table_create(60 * SECOND, 0, 0, &t), STATUS_SUCCESS);
    for (int i = 0; i < 3000; i++)
        assert_int_equal(msv_challenge_issue(t, (uint64_t)(i % 3), c[i]), STATUS_SUCCESS);
    /* 1000 per connection: below the default bound of 1024, all still there. */
    for (int i = 2999; i >= 0; i--)
        assert_int_equal(msv_challenge_consume(t, (uint64_t)(i % 3), c[i]), MSV_CHALLENGE_OK);
    /* None outstanding; the last MSV_CHALLENGES_REMEMBERED used are remembered... */
    assert_int_equal(msv_challenge_table_size(t), 0);
    for (int i = 0; i < MSV_CHALLENGES_REMEMBERED; i++)
        assert_int_equal(msv_challenge_consume(t, (uint64_t)(i % 3), c[i]),
                         MSV_CHALLENGE_REPLAYED);
    /* ...and one used before them is forgotten. */
    assert_int_equal(msv_challenge_consume(t, 2999 % 3, c[2999]), MSV_CHALLENGE_UNKNOWN);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_use),          cmocka_unit_test(test_expiry),
        cmocka_unit_test(test_per_connection_bound), cmocka_unit_test(test_global_bound),
        cmocka_unit_test(test_many),
        cmocka_unit_test(test_finished_challenge_of_another_connection),
        cmocka_unit_test(test_expired_are_purged),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
