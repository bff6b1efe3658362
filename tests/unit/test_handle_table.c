/* Handle table (lsa_core/handle_table.c), linked in directly: handles made on many
 * threads at once are all distinct and never NULL, each finds its own object from any
 * thread, only as its own kind, and goes stale for good once closed. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <lsa/ntstatus.h>

#include "handle_table.h"

#define THREADS 8
#define PER_THREAD 3000

struct counted {
    struct lsa_object object;
    int destroyed;
};

static void counted_destroy(struct lsa_object *object)
{
    ((struct counted *)object)->destroyed++;
}

struct batch {
    struct counted objects[PER_THREAD];
    HANDLE handles[PER_THREAD];
    int failed;
};

static void *insert_batch(void *arg)
{
    struct batch *b = arg;
    for (int i = 0; i < PER_THREAD; i++) {
        lsa_object_init(&b->objects[i].object, counted_destroy);
        if (lsa_handle_insert(LSA_HANDLE_TOKEN, &b->objects[i].object, &b->handles[i]) !=
            STATUS_SUCCESS)
            b->failed = 1;
    }
    return NULL;
}

static int compare_handles(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)*(const HANDLE *)a, y = (uintptr_t)*(const HANDLE *)b;
    return x < y ? -1 : x > y;
}

static void insert_on_threads(struct batch *batches)
{
    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++)
        assert_int_equal(pthread_create(&threads[t], NULL, insert_batch, &batches[t]), 0);
    for (int t = 0; t < THREADS; t++) {
        assert_int_equal(pthread_join(threads[t], NULL), 0);
        assert_false(batches[t].failed);
    }
}

static void assert_all_distinct(HANDLE *all, size_t n)
{
    qsort(all, n, sizeof(*all), compare_handles);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(all[i]);
        if (i > 0)
            assert_true(all[i] != all[i - 1]);
    }
}

static void test_handles_from_many_threads(void **state)
{
    (void)state;
    static struct batch first[THREADS], second[THREADS];
    static HANDLE all[2 * THREADS * PER_THREAD];
    insert_on_threads(first);

    size_t n = 0;
    for (int t = 0; t < THREADS; t++) {
        for (int i = 0; i < PER_THREAD; i++) {
            HANDLE h = first[t].handles[i];
            all[n++] = h;
            struct lsa_object *o = lsa_handle_ref(h, LSA_HANDLE_TOKEN);
            assert_ptr_equal(o, &first[t].objects[i].object);
            lsa_object_release(o);
            assert_null(lsa_handle_ref(h, LSA_HANDLE_CONNECTION));
            assert_int_equal(lsa_handle_close(h, LSA_HANDLE_CONNECTION), STATUS_INVALID_HANDLE);
        }
    }
    assert_all_distinct(all, n);

    /* Closed on another thread than the one that made them. */
    for (int t = 0; t < THREADS; t++) {
        for (int i = 0; i < PER_THREAD; i++) {
            assert_int_equal(lsa_handle_close(first[t].handles[i], LSA_HANDLE_TOKEN),
                             STATUS_SUCCESS);
            assert_int_equal(first[t].objects[i].destroyed, 1);
        }
    }

    /* The freed slots are reused: the new handles differ from every old one, which stay
     * stale. */
    insert_on_threads(second);
    for (int t = 0; t < THREADS; t++) {
        for (int i = 0; i < PER_THREAD; i++) {
            all[n++] = second[t].handles[i];
            assert_null(lsa_handle_ref(first[t].handles[i], LSA_HANDLE_TOKEN));
            assert_int_equal(lsa_handle_close(first[t].handles[i], LSA_HANDLE_TOKEN),
                             STATUS_INVALID_HANDLE);
        }
    }
    assert_all_distinct(all, n);
    for (int t = 0; t < THREADS; t++) {
        for (int i = 0; i < PER_THREAD; i++) {
            assert_int_equal(lsa_handle_close(second[t].handles[i], LSA_HANDLE_TOKEN),
                             STATUS_SUCCESS);
            assert_int_equal(first[t].objects[i].destroyed, 1);
            assert_int_equal(second[t].objects[i].destroyed, 1);
        }
    }
}

static void test_forged_handles_refused(void **state)
{
    (void)state;
    HANDLE forged[] = { NULL, (HANDLE)(uintptr_t)1, (HANDLE)(uintptr_t)0xffffffff,
                        (HANDLE)(uintptr_t)UINT64_C(0x12345678abcdef01), (HANDLE)(uintptr_t)-1 };
    for (size_t i = 0; i < sizeof(forged) / sizeof(forged[0]); i++) {
        assert_null(lsa_handle_ref(forged[i], LSA_HANDLE_TOKEN));
        assert_int_equal(lsa_handle_close(forged[i], LSA_HANDLE_TOKEN), STATUS_INVALID_HANDLE);
    }
}

/* The reference a ref hands out keeps the object past the handle's close. */
static void test_reference_outlives_close(void **state)
{
    (void)state;
    struct counted c = { 0 };
    lsa_object_init(&c.object, counted_destroy);
    HANDLE h;
    assert_int_equal(lsa_handle_insert(LSA_HANDLE_REMOTE, &c.object, &h), STATUS_SUCCESS);
    struct lsa_object *o = lsa_handle_ref(h, LSA_HANDLE_REMOTE);
    assert_ptr_equal(o, &c.object);
    assert_int_equal(lsa_handle_close(h, LSA_HANDLE_REMOTE), STATUS_SUCCESS);
    assert_int_equal(c.destroyed, 0);
    lsa_object_release(o);
    assert_int_equal(c.destroyed, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handles_from_many_threads),
        cmocka_unit_test(test_forged_handles_refused),
        cmocka_unit_test(test_reference_outlives_close),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
