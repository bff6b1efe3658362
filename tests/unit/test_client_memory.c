/* Return-buffer bookkeeping (lsa_core/client_memory.c), linked in directly: the table of
 * live buffers stays sized by the buffers alive however many come and go, and it still
 * tells live pointers from freed ones. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <lsa/ntstatus.h>

#include "client_memory.h"

#define CHURN 1000000
#define HELD 5000

/* A window of RING live buffers of changing sizes, so that malloc hands out ever other
 * addresses and freed slots are seldom the ones a new buffer hashes to. */
#define RING 64
static void test_table_bounded_under_churn(void **state)
{
    (void)state;
    static void *ring[RING];
    struct lsa_quota *q = lsa_quota_new(SIZE_MAX);
    assert_non_null(q);
    uint32_t x = 12345;
    for (int i = 0; i < CHURN; i++) {
        void **slot = &ring[i % RING];
        if (*slot != NULL)
            assert_int_equal(lsa_client_buffer_free(*slot), STATUS_SUCCESS);
        x = x * 1103515245u + 12345u;
        assert_int_equal(lsa_client_buffer_alloc(q, 16 + (x >> 16) % 4096, slot), STATUS_SUCCESS);
    }
    /* RING live buffers: a few hundred slots, never a number that follows CHURN. */
    assert_true(lsa_client_buffer_table_slots() <= 8 * RING);
    for (int i = 0; i < RING; i++) {
        assert_true(lsa_client_buffer_size(ring[i]) >= 16);
        assert_int_equal(lsa_client_buffer_free(ring[i]), STATUS_SUCCESS);
        assert_int_equal(lsa_client_buffer_free(ring[i]), STATUS_INVALID_PARAMETER);
    }
    assert_int_equal(lsa_quota_used(q), 0);
    lsa_quota_release(q);
}

static void test_table_grows_with_live_buffers(void **state)
{
    (void)state;
    static void *b[HELD];
    struct lsa_quota *q = lsa_quota_new(SIZE_MAX);
    assert_non_null(q);
    for (int i = 0; i < HELD; i++)
        assert_int_equal(lsa_client_buffer_alloc(q, (size_t)i % 64, &b[i]), STATUS_SUCCESS);
    size_t slots = lsa_client_buffer_table_slots();
    assert_true(slots >= 2 * HELD);
    assert_true(slots <= 8 * HELD);
    for (int i = 0; i < HELD; i++)
        assert_int_equal(lsa_client_buffer_size(b[i]), (size_t)i % 64);
    for (int i = 0; i < HELD; i += 2)
        assert_int_equal(lsa_client_buffer_free(b[i]), STATUS_SUCCESS);
    /* Churn with half of them still alive: the survivors stay findable, the freed not. */
    for (int i = 0; i < 10 * HELD; i++) {
        void *t;
        assert_int_equal(lsa_client_buffer_alloc(q, 8, &t), STATUS_SUCCESS);
        assert_int_equal(lsa_client_buffer_free(t), STATUS_SUCCESS);
    }
    assert_true(lsa_client_buffer_table_slots() <= 8 * HELD);
    for (int i = 0; i < HELD; i++) {
        if (i % 2 == 0) {
            assert_int_equal(lsa_client_buffer_size(b[i]), 0);
        } else {
            assert_int_equal(lsa_client_buffer_size(b[i]), (size_t)i % 64);
            assert_int_equal(lsa_client_buffer_free(b[i]), STATUS_SUCCESS);
        }
    }
    assert_int_equal(lsa_quota_used(q), 0);
    lsa_quota_release(q);
}

/* Each thread registers its buffers in its own shard of the table: a buffer made on one
 * thread is still found, freed once and only once, from another. */
#define CROSS 1000
struct cross {
    struct lsa_quota *quota;
    void *buffers[CROSS];
    int failed;
};

static void *allocate_cross(void *arg)
{
    struct cross *c = arg;
    for (int i = 0; i < CROSS; i++)
        if (lsa_client_buffer_alloc(c->quota, 32, &c->buffers[i]) != STATUS_SUCCESS)
            c->failed = 1;
    return NULL;
}

static void *free_cross(void *arg)
{
    struct cross *c = arg;
    for (int i = 0; i < CROSS; i++)
        if (lsa_client_buffer_free(c->buffers[i]) != STATUS_SUCCESS)
            c->failed = 1;
    return NULL;
}

static void test_buffers_cross_threads(void **state)
{
    (void)state;
    static struct cross made[2];
    pthread_t threads[2];
    for (int t = 0; t < 2; t++) {
        made[t].quota = lsa_quota_new(SIZE_MAX);
        assert_non_null(made[t].quota);
        assert_int_equal(pthread_create(&threads[t], NULL, allocate_cross, &made[t]), 0);
    }
    for (int t = 0; t < 2; t++) {
        assert_int_equal(pthread_join(threads[t], NULL), 0);
        assert_false(made[t].failed);
    }
    /* Not a buffer's start, though inside one: refused from every thread. */
    assert_int_equal(lsa_client_buffer_free((char *)made[0].buffers[0] + 16),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(lsa_client_buffer_size(made[1].buffers[7]), 32);
    /* Each thread frees the other's. */
    assert_int_equal(pthread_create(&threads[0], NULL, free_cross, &made[1]), 0);
    assert_int_equal(pthread_create(&threads[1], NULL, free_cross, &made[0]), 0);
    for (int t = 0; t < 2; t++) {
        assert_int_equal(pthread_join(threads[t], NULL), 0);
        assert_false(made[t].failed);
    }
    for (int t = 0; t < 2; t++) {
        for (int i = 0; i < CROSS; i++)
            assert_int_equal(lsa_client_buffer_free(made[t].buffers[i]), STATUS_INVALID_PARAMETER);
        assert_int_equal(lsa_quota_used(made[t].quota), 0);
        lsa_quota_release(made[t].quota);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_bounded_under_churn),
        cmocka_unit_test(test_table_grows_with_live_buffers),
        cmocka_unit_test(test_buffers_cross_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
