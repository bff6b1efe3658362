/*
 * A store written under kill -9 at random moments always parses and keeps every
 * acknowledged change (packages/msv1_0/store_file.c).
 *
 * A child performs numbered updates i = 1, 2, ...: alice gets uid = i and logon_count = i
 * (the smbpasswd file and the state file change together: the two-file commit), then bob
 * gets logon_count = i (the state file alone), then every 16th i carol is added or
 * removed; only after msv_store_update returns does the child write i to a pipe (the
 * acknowledgement).  The parent kills it with SIGKILL after a random delay, and checks:
 * both files parse without a single malformed line, alice.uid == alice.logon_count (never
 * half a commit), and every count is at least the last acknowledged i.  Rounds continue
 * from the store as the last one left it; the whole test takes at most ~10 s.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <lsa/ntstatus.h>

#include "account_store.h"
#include "store_backend.h"

#define ROUNDS 16
#define MAX_DELAY_MS 450

static char dir[256], path[300];

static NTSTATUS set_both(struct msv_account *account, void *context)
{
    uint32_t i = *(const uint32_t *)context;
    account->uid = i;
    account->logon_count = i;
    account->last_logon = i;
    return STATUS_SUCCESS;
}

static NTSTATUS set_count(struct msv_account *account, void *context)
{
    account->logon_count = *(const uint32_t *)context;
    return STATUS_SUCCESS;
}

static struct msv_account account(const char *name)
{
    struct msv_account a;
    memset(&a, 0, sizeof(a));
    snprintf(a.name, sizeof(a.name), "%s", name);
    a.acb_flags = ACB_NORMAL;
    a.has_nt = TRUE;
    memset(a.nt_hash, 0xA4, sizeof(a.nt_hash));
    return a;
}

/* The child: numbered updates from FIRST on, each acknowledged on FD after it returns. */
static void writer(uint32_t first, int fd)
{
    struct msv_store *s;
    if (msv_store_open(path, &s) != STATUS_SUCCESS)
        _exit(2);
    for (uint32_t i = first;; i++) {
        if (msv_store_update(s, "alice", set_both, &i) != STATUS_SUCCESS)
            _exit(3);
        if (msv_store_update(s, "bob", set_count, &i) != STATUS_SUCCESS)
            _exit(4);
        if (i % 16 == 0) {
            struct msv_account carol = account("carol");
            NTSTATUS st = msv_store_add(s, &carol);
            if (st == STATUS_USER_EXISTS)
                st = msv_store_remove(s, "carol");
            if (st != STATUS_SUCCESS)
                _exit(5);
        }
        if (write(fd, &i, sizeof(i)) != (ssize_t)sizeof(i))
            _exit(6);
    }
}

static char *slurp(const char *file, size_t *length)
{
    char *text = NULL;
    *length = 0;
    FILE *fp = fopen(file, "r");
    if (fp == NULL)
        return NULL;
    FILE *mem = open_memstream(&text, length);
    int c;
    while ((c = fgetc(fp)) != EOF)
        fputc(c, mem);
    fclose(mem);
    fclose(fp);
    return text;
}

/* Both files parse with no line skipped: every line of the smbpasswd file is an
 * account or the generation line, every state line names an account. */
static void assert_files_parse(void)
{
    size_t length;
    char *text = slurp(path, &length);
    assert_non_null(text);
    struct msv_store_table table;
    msv_table_init(&table);
    assert_int_equal(msv_smbpasswd_parse(text, length, path, TRUE, &table), STATUS_SUCCESS);
    size_t lines = 0;
    for (size_t i = 0; i < length; i++)
        lines += text[i] == '\n';
    assert_true(length == 0 || text[length - 1] == '\n'); /* never a torn last line */
    for (size_t i = 0; i < table.count; i++)
        if (table.entries[i].raw != NULL)
            fail_msg("a malformed smbpasswd line: '%s'", table.entries[i].raw);
    assert_int_equal(lines, table.count + (table.generation > 0));
    free(text);

    char state_path[320];
    snprintf(state_path, sizeof(state_path), "%s.state", path);
    text = slurp(state_path, &length);
    if (text != NULL) {
        assert_true(length > 0 && text[length - 1] == '\n');
        for (char *line = text; *line != '\0';) {
            char *nl = strchr(line, '\n');
            *nl = '\0';
            if (line[0] != '#') {
                char name[64], extra;
                unsigned bad_count, logon_count;
                long long bad_time, lockout_time, last_logon;
                int must_change;
                if (sscanf(line, "%63[^:]:%u:%lld:%lld:%u:%lld:%d%c", name, &bad_count, &bad_time,
                           &lockout_time, &logon_count, &last_logon, &must_change, &extra) != 7)
                    fail_msg("a malformed state line: '%s'", line);
                assert_true(msv_table_find(&table, name) >= 0);
            }
            line = nl + 1;
        }
        free(text);
    }
    msv_table_clear(&table);
}

static void test_kill9_keeps_acknowledged(void **state)
{
    (void)state;
    unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    print_message("# seed %u\n", seed);
    srand(seed);

    struct msv_store *s;
    assert_int_equal(msv_store_create(path), STATUS_SUCCESS);
    assert_int_equal(msv_store_open(path, &s), STATUS_SUCCESS);
    struct msv_account a = account("alice"), b = account("bob");
    assert_int_equal(msv_store_add(s, &a), STATUS_SUCCESS);
    assert_int_equal(msv_store_add(s, &b), STATUS_SUCCESS);
    msv_store_close(s);

    /* acknowledged: the last i the writer reported done; next: where the next writer
     * starts (after the acknowledged one, or after one in flight that made it). */
    uint32_t acknowledged = 0, next = 1, total_updates = 0;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int round = 0; round < ROUNDS; round++) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (now.tv_sec - start.tv_sec >= 8)
            break; /* keep the test within ~10 s on a slow disk */
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            writer(next, fds[1]);
        }
        close(fds[1]);
        /* Sometimes almost at once (maybe inside the first update), mostly later. */
        long delay_us = rand() % 4 == 0 ? rand() % 3000 : (rand() % MAX_DELAY_MS) * 1000L;
        usleep((useconds_t)delay_us);
        assert_int_equal(kill(pid, SIGKILL), 0);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL))
            fail_msg("the writer ended by itself (status %d) before the kill", status);
        uint32_t i, last = 0;
        while (read(fds[0], &i, sizeof(i)) == (ssize_t)sizeof(i))
            last = i;
        close(fds[0]);
        if (last != 0) {
            total_updates += last - next + 1;
            acknowledged = last;
        }

        /* The store as the killed writer left it (its lock died with it). */
        assert_files_parse();
        assert_int_equal(msv_store_open(path, &s), STATUS_SUCCESS);
        struct msv_account alice, bob;
        assert_int_equal(msv_store_lookup(s, "alice", &alice), STATUS_SUCCESS);
        assert_int_equal(msv_store_lookup(s, "bob", &bob), STATUS_SUCCESS);
        msv_store_close(s);
        if (alice.uid != alice.logon_count || alice.last_logon != (int64_t)alice.uid)
            fail_msg("round %d: half a commit: uid %u, logon_count %u", round, alice.uid,
                     alice.logon_count);
        if (alice.logon_count < acknowledged || bob.logon_count < acknowledged)
            fail_msg("round %d: acknowledged %u but alice has %u, bob %u", round, acknowledged,
                     alice.logon_count, bob.logon_count);
        /* Beyond the acknowledged ones, at most the update in flight is there. */
        uint32_t attempted = last != 0 ? last + 1 : next;
        if (alice.logon_count > attempted || bob.logon_count > attempted)
            fail_msg("round %d: alice %u, bob %u: more than the writer did (%u)", round,
                     alice.logon_count, bob.logon_count, attempted);
        next = (alice.logon_count > acknowledged ? alice.logon_count : acknowledged) + 1;
    }
    print_message("# %u acknowledged updates, all kept\n", total_updates);
    assert_true(acknowledged > 0);
}

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof(dir), "%s/test_store_crash.XXXXXX", tmp && *tmp ? tmp : "/tmp");
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
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_kill9_keeps_acknowledged, setup, teardown),
    };
    return cmocka_run_group_tests_name("account_store_crash", tests, NULL, NULL);
}
