/*
 * Two writers never lose an update (packages/msv1_0/store_file.c: the file lock;
 * account_store.c: the mutex).  Two processes with two threads each do 200
 * read-modify-write increments of one account's logon_count: the count ends at exactly
 * 800.  Then the same processes and threads change the passwords of different accounts
 * over and over: every account ends with the hash of its last password, and every
 * account is still there.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <lsa/ntstatus.h>

#include "account_store.h"

#define PROCESSES 2
#define THREADS 2
#define INCREMENTS 200
#define PASSWORD_CHANGES 25

static char dir[256], path[300];

struct worker {
    struct msv_store *store; /* shared by the threads of one process */
    int process, thread;
    NTSTATUS status;
};

static NTSTATUS increment(struct msv_account *account, void *context)
{
    (void)context;
    account->logon_count++;
    return STATUS_SUCCESS;
}

static void *increment_thread(void *arg)
{
    struct worker *w = arg;
    for (int i = 0; i < INCREMENTS && w->status == STATUS_SUCCESS; i++)
        w->status = msv_store_update(w->store, "counter", increment, NULL);
    return NULL;
}

static void password_of(int process, int thread, int round, char *out, size_t size)
{
    snprintf(out, size, "P%d-T%d-round-%d", process, thread, round);
}

struct password_edit {
    const char *password;
};

static NTSTATUS set_password(struct msv_account *account, void *context)
{
    const struct password_edit *e = context;
    return msv_account_set_password(account, e->password, 1700000000);
}

static void *password_thread(void *arg)
{
    struct worker *w = arg;
    char name[32], password[64];
    snprintf(name, sizeof(name), "user-%d-%d", w->process, w->thread);
    for (int round = 0; round < PASSWORD_CHANGES && w->status == STATUS_SUCCESS; round++) {
        password_of(w->process, w->thread, round, password, sizeof(password));
        struct password_edit e = { password };
        w->status = msv_store_update(w->store, name, set_password, &e);
        /* A reader in between: always sees a whole file. */
        struct msv_account a;
        if (w->status == STATUS_SUCCESS)
            w->status = msv_store_lookup(w->store, "counter", &a);
    }
    return NULL;
}

/* PROCESSES children with THREADS threads each running FN; 0 when all succeeded. */
static int run_everywhere(void *(*fn)(void *))
{
    pid_t pids[PROCESSES];
    for (int p = 0; p < PROCESSES; p++) {
        pids[p] = fork();
        if (pids[p] < 0)
            return -1;
        if (pids[p] == 0) {
            struct msv_store *s;
            if (msv_store_open(path, &s) != STATUS_SUCCESS)
                _exit(2);
            struct worker w[THREADS];
            pthread_t t[THREADS];
            for (int i = 0; i < THREADS; i++) {
                w[i] = (struct worker){ s, p, i, STATUS_SUCCESS };
                if (pthread_create(&t[i], NULL, fn, &w[i]) != 0)
                    _exit(3);
            }
            int failed = 0;
            for (int i = 0; i < THREADS; i++) {
                pthread_join(t[i], NULL);
                if (w[i].status != STATUS_SUCCESS) {
                    fprintf(stderr, "# process %d thread %d: status 0x%08X\n", p, i,
                            (unsigned)w[i].status);
                    failed = 1;
                }
            }
            msv_store_close(s);
            _exit(failed);
        }
    }
    int bad = 0;
    for (int p = 0; p < PROCESSES; p++) {
        int status;
        if (waitpid(pids[p], &status, 0) != pids[p] || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0)
            bad = 1;
    }
    return bad;
}

static void test_concurrent_increments(void **state)
{
    (void)state;
    struct msv_store *s;
    assert_int_equal(msv_store_create(path), STATUS_SUCCESS);
    assert_int_equal(msv_store_open(path, &s), STATUS_SUCCESS);
    struct msv_account a;
    memset(&a, 0, sizeof(a));
    snprintf(a.name, sizeof(a.name), "counter");
    a.acb_flags = ACB_NORMAL;
    assert_int_equal(msv_store_add(s, &a), STATUS_SUCCESS);

    assert_int_equal(run_everywhere(increment_thread), 0);

    assert_int_equal(msv_store_lookup(s, "counter", &a), STATUS_SUCCESS);
    assert_int_equal(a.logon_count, PROCESSES * THREADS * INCREMENTS);
    msv_store_close(s);
}

static void test_concurrent_password_changes(void **state)
{
    (void)state;
    struct msv_store *s;
    assert_int_equal(msv_store_create(path), STATUS_SUCCESS);
    assert_int_equal(msv_store_open(path, &s), STATUS_SUCCESS);
    struct msv_account a;
    for (int p = 0; p < PROCESSES; p++)
        for (int t = 0; t < THREADS; t++) {
            memset(&a, 0, sizeof(a));
            snprintf(a.name, sizeof(a.name), "user-%d-%d", p, t);
            a.uid = (uint32_t)(1000 + p * THREADS + t);
            a.acb_flags = ACB_NORMAL;
            a.must_change = TRUE; /* cleared by every password change: two-file commits */
            assert_int_equal(msv_store_add(s, &a), STATUS_SUCCESS);
        }

    assert_int_equal(run_everywhere(password_thread), 0);

    for (int p = 0; p < PROCESSES; p++)
        for (int t = 0; t < THREADS; t++) {
            char name[32], password[64];
            snprintf(name, sizeof(name), "user-%d-%d", p, t);
            password_of(p, t, PASSWORD_CHANGES - 1, password, sizeof(password));
            struct msv_account want;
            memset(&want, 0, sizeof(want));
            assert_int_equal(msv_account_set_password(&want, password, 0), STATUS_SUCCESS);
            assert_int_equal(msv_store_lookup(s, name, &a), STATUS_SUCCESS);
            assert_true(a.has_nt);
            assert_memory_equal(a.nt_hash, want.nt_hash, 16);
            assert_int_equal(a.uid, 1000 + p * THREADS + t);
            assert_false(a.must_change);
            assert_int_equal(a.password_last_set, 1700000000);
        }
    /* The counter's 800 survived all that. */
    assert_int_equal(msv_store_lookup(s, "counter", &a), STATUS_SUCCESS);
    assert_int_equal(a.logon_count, PROCESSES * THREADS * INCREMENTS);
    msv_store_close(s);
}

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof(dir), "%s/test_store_concurrency.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL)
        return -1;
    snprintf(path, sizeof(path), "%s/smbpasswd", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    /* One store for both tests, in order: the second checks the first's count too. */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_concurrent_increments),
        cmocka_unit_test(test_concurrent_password_changes),
    };
    return cmocka_run_group_tests_name("account_store_concurrency", tests, setup, teardown);
}
