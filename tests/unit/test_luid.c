/* LUID allocation (lsa_core/luid.c), linked in directly: LUIDs from many threads at once
 * are all distinct with a positive non-zero HighPart, and a forked child, which inherits
 * its parent's thread blocks, gets none of the LUIDs its parent goes on to use. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <lsa/ntstatus.h>

#include "session.h"

#define THREADS 8
#define PER_THREAD 5000 /* several blocks each */

static uint64_t key_of(LUID l)
{
    return ((uint64_t)(uint32_t)l.HighPart << 32) | l.LowPart;
}

static int compare_keys(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void assert_all_distinct(uint64_t *keys, size_t n)
{
    qsort(keys, n, sizeof(*keys), compare_keys);
    for (size_t i = 1; i < n; i++)
        assert_true(keys[i] != keys[i - 1]);
}

static void assert_valid(LUID l)
{
    assert_true(l.HighPart > 0);
}

static void *allocate_batch(void *arg)
{
    uint64_t *keys = arg;
    for (int i = 0; i < PER_THREAD; i++) {
        LUID l;
        if (lsa_allocate_luid(&l) != STATUS_SUCCESS || l.HighPart <= 0)
            return (void *)1;
        keys[i] = key_of(l);
    }
    return NULL;
}

static void test_unique_across_threads(void **state)
{
    (void)state;
    static uint64_t keys[THREADS * PER_THREAD];
    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++)
        assert_int_equal(pthread_create(&threads[t], NULL, allocate_batch, &keys[t * PER_THREAD]),
                         0);
    for (int t = 0; t < THREADS; t++) {
        void *failed;
        assert_int_equal(pthread_join(threads[t], &failed), 0);
        assert_null(failed);
    }
    assert_all_distinct(keys, THREADS * PER_THREAD);
}

#define AFTER_FORK 3000 /* more than a block: the parent uses up the one the child inherits */

static void test_child_after_fork_is_distinct(void **state)
{
    (void)state;
    static uint64_t keys[2 * AFTER_FORK];
    LUID l;
    assert_int_equal(lsa_allocate_luid(&l), STATUS_SUCCESS); /* this thread holds a block */
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        for (int i = 0; i < AFTER_FORK; i++) {
            if (lsa_allocate_luid(&l) != STATUS_SUCCESS || l.HighPart <= 0)
                _exit(1);
            uint64_t k = key_of(l);
            if (write(fds[1], &k, sizeof(k)) != (ssize_t)sizeof(k))
                _exit(1);
        }
        _exit(0);
    }
    close(fds[1]);
    for (int i = 0; i < AFTER_FORK; i++) {
        assert_int_equal(lsa_allocate_luid(&l), STATUS_SUCCESS);
        assert_valid(l);
        keys[i] = key_of(l);
    }
    size_t got = 0;
    while (got < AFTER_FORK * sizeof(uint64_t)) {
        ssize_t r = read(fds[0], (char *)&keys[AFTER_FORK] + got,
                         AFTER_FORK * sizeof(uint64_t) - got);
        assert_true(r > 0);
        got += (size_t)r;
    }
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_all_distinct(keys, 2 * AFTER_FORK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unique_across_threads),
        cmocka_unit_test(test_child_after_fork_is_distinct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
