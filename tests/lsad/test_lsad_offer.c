/*
 * The return buffer a call offers lsad (lsa_core/wire.h, lsad(8)).  Run as
 * test_offer.daemon (LSA_TEST_TRANSPORT=daemon): each test writes an lsa.conf, for
 * which the test library starts an lsad with log_level = debug, and makes its calls in
 * a child whose log then holds lsad's, where each reply says whether the offer was
 * taken.  EchoMessageAllocate (echo_protocol.h) allocates Count buffers of Length bytes
 * and returns the last; a call offers the length of the previous call's first
 * allocation, so the second of two alike calls is the one that offers.
 *
 * Against fake_lsad.py, an lsad that lies: a reply that claims more of the offer than
 * was offered, or returns an offer it did not take, is refused.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <lsa/ntsecapi.h>
#include <lsa/ntstatus.h>

#include "../lib/lsa_test.h"

static const char config[] = "[lsa]\n"
                             "package_dir = @PKGDIR@\n"
                             "packages = echo_ap\n"
                             "client_quota = 4096\n"
                             "log_level = debug\n";

static int open_echo(HANDLE *h, ULONG *id)
{
    LSA_STRING name = lsa_test_string(ECHO_AP_NAME);
    if (LsaConnectUntrusted(h) != STATUS_SUCCESS)
        return -1;
    return LsaLookupAuthenticationPackage(*h, &name, id) == STATUS_SUCCESS ? 0 : -1;
}

/* EchoMessageAllocate; on success *OUT holds LENGTH bytes of 0xA5 (checked). */
static NTSTATUS allocate(HANDLE h, ULONG id, ULONG length, ULONG count, PVOID *out)
{
    ECHO_ALLOCATE_REQUEST req = { EchoMessageAllocate, length, count, 0 };
    ULONG got = 0;
    NTSTATUS protocol;
    *out = NULL;
    NTSTATUS status = LsaCallAuthenticationPackage(h, id, &req, sizeof(req), out, &got, &protocol);
    if (status != STATUS_SUCCESS)
        return status;
    const unsigned char *p = *out;
    for (ULONG i = 0; i < length; i++)
        if (p[i] != 0xA5)
            return STATUS_INTERNAL_ERROR;
    return got == length ? STATUS_SUCCESS : STATUS_INTERNAL_ERROR;
}

static NTSTATUS allocate_and_free(HANDLE h, ULONG id, ULONG length, ULONG count)
{
    PVOID out;
    NTSTATUS status = allocate(h, id, length, count, &out);
    if (status == STATUS_SUCCESS)
        LsaFreeReturnBuffer(out);
    return status;
}

/* With the LENGTH-byte buffer held, exactly 4096 - LENGTH more fit in the quota. */
static int quota_holds_exactly(HANDLE h, ULONG id, ULONG held)
{
    CHILD_CHECK_STATUS(allocate_and_free(h, id, 4096 - held + 1, 1), STATUS_QUOTA_EXCEEDED);
    CHILD_CHECK_STATUS(allocate_and_free(h, id, 4096 - held, 1), STATUS_SUCCESS);
    return 0;
}

/* Runs FN in a child against a fresh lsad; returns the child, checked to have passed. */
static void run(int (*fn)(void *), struct lsa_test_child *child)
{
    const char *path = lsa_test_use_config(config);
    assert_non_null(path);
    assert_int_equal(lsa_test_run_child(fn, NULL, path, 0, child), 0);
    assert_child_ok(child);
}

/* ---- against lsad ------------------------------------------------------------------- */

static int same_length_child(void *arg)
{
    (void)arg;
    HANDLE h;
    ULONG id;
    PVOID held;
    CHILD_CHECK(open_echo(&h, &id) == 0);
    CHILD_CHECK_STATUS(allocate_and_free(h, id, 64, 1), STATUS_SUCCESS); /* no offer yet */
    CHILD_CHECK_STATUS(allocate(h, id, 64, 1, &held), STATUS_SUCCESS);   /* offers 64 */
    /* Offers 64 again, which lsad gives back (FREE) ahead of its ALLOCATE: with it
     * still held, the 4032 bytes would not fit. */
    CHILD_CHECK_STATUS(allocate_and_free(h, id, 4096 - 64, 1), STATUS_SUCCESS);
    int rc = quota_holds_exactly(h, id, 64);
    LsaFreeReturnBuffer(held);
    return rc;
}

static void test_same_length_taken(void **state)
{
    (void)state;
    struct lsa_test_child c;
    run(same_length_child, &c);
    assert_log_has(&c, "offer of 64 bytes taken");
    lsa_test_child_free(&c);
}

static int larger_child(void *arg)
{
    (void)arg;
    HANDLE h;
    ULONG id;
    PVOID held;
    CHILD_CHECK(open_echo(&h, &id) == 0);
    CHILD_CHECK_STATUS(allocate_and_free(h, id, 64, 1), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(allocate(h, id, 100, 1, &held), STATUS_SUCCESS); /* offers 64 */
    int rc = quota_holds_exactly(h, id, 100);
    LsaFreeReturnBuffer(held);
    return rc;
}

static void test_larger_than_offer_falls_back(void **state)
{
    (void)state;
    struct lsa_test_child c;
    run(larger_child, &c);
    assert_log_has(&c, "offer of 64 bytes not taken");
    lsa_test_child_free(&c);
}

static int two_buffers_child(void *arg)
{
    (void)arg;
    HANDLE h;
    ULONG id;
    PVOID held;
    CHILD_CHECK(open_echo(&h, &id) == 0);
    CHILD_CHECK_STATUS(allocate_and_free(h, id, 64, 1), STATUS_SUCCESS);
    /* The first takes the offer, the second is an ALLOCATE and is returned: the offer
     * is freed, only the second is held. */
    CHILD_CHECK_STATUS(allocate(h, id, 64, 2, &held), STATUS_SUCCESS);
    int rc = quota_holds_exactly(h, id, 64);
    LsaFreeReturnBuffer(held);
    /* A failing call frees both. */
    ECHO_ALLOCATE_REQUEST fail = { EchoMessageAllocate, 64, 2, 1 };
    PVOID out = (PVOID)1;
    ULONG length;
    NTSTATUS protocol;
    CHILD_CHECK_STATUS(LsaCallAuthenticationPackage(h, id, &fail, sizeof(fail), &out, &length,
                                                    &protocol),
                       STATUS_UNSUCCESSFUL);
    CHILD_CHECK(out == NULL);
    return rc != 0 ? rc : quota_holds_exactly(h, id, 0);
}

static void test_two_buffers_in_one_call(void **state)
{
    (void)state;
    struct lsa_test_child c;
    run(two_buffers_child, &c);
    assert_log_has(&c, "offer of 64 bytes taken");
    lsa_test_child_free(&c);
}

static int quota_child(void *arg)
{
    (void)arg;
    HANDLE h;
    ULONG id;
    PVOID held[4], small;
    CHILD_CHECK(open_echo(&h, &id) == 0);
    for (int i = 0; i < 4; i++)
        CHILD_CHECK_STATUS(allocate(h, id, 1000, 1, &held[i]), STATUS_SUCCESS);
    /* 96 bytes left: the 1000-byte offer does not fit, the 96-byte call still does. */
    CHILD_CHECK_STATUS(allocate(h, id, 96, 1, &small), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(allocate_and_free(h, id, 1, 1), STATUS_QUOTA_EXCEEDED);
    LsaFreeReturnBuffer(small);
    for (int i = 0; i < 4; i++)
        LsaFreeReturnBuffer(held[i]);
    return quota_holds_exactly(h, id, 0);
}

static void test_offer_refused_by_quota(void **state)
{
    (void)state;
    struct lsa_test_child c;
    run(quota_child, &c);
    /* The second to fourth 1000-byte calls took their offers; the 96-byte one made none. */
    assert_int_equal(lsa_test_log_count(&c, "offer of 1000 bytes taken"), 3);
    assert_int_equal(lsa_test_log_count(&c, "offer of 96 bytes"), 0);
    lsa_test_child_free(&c);
}

/* EchoMessageStrings: the reply's strings point inside the returned buffer, at client
 * addresses, whether that buffer came from the offer or not. */
static int strings_child(void *arg)
{
    (void)arg;
    HANDLE h;
    ULONG id;
    CHILD_CHECK(open_echo(&h, &id) == 0);
    for (int round = 0; round < 3; round++) {
        struct lsa_test_buf b = { 0 };
        ECHO_STRINGS_REQUEST *req = lsa_test_buf_start(&b, sizeof(*req));
        req->MessageType = EchoMessageStrings;
        lsa_test_buf_add_utf16(&b, "first string", &req->First);
        lsa_test_buf_add_utf16(&b, "the second one", &req->Second);
        PVOID out;
        ULONG length;
        NTSTATUS protocol;
        CHILD_CHECK_STATUS(LsaCallAuthenticationPackage(h, id, b.data, (ULONG)b.length, &out,
                                                        &length, &protocol),
                           STATUS_SUCCESS);
        lsa_test_buf_free(&b);
        const ECHO_STRINGS_RESPONSE *r = out;
        uintptr_t lo = (uintptr_t)out, hi = lo + length;
        CHILD_CHECK((uintptr_t)r->First.Buffer >= lo &&
                    (uintptr_t)r->First.Buffer + r->First.Length <= hi);
        CHILD_CHECK((uintptr_t)r->Second.Buffer >= lo &&
                    (uintptr_t)r->Second.Buffer + r->Second.Length <= hi);
        CHILD_CHECK(lsa_test_unicode_is(&r->First, "first string"));
        CHILD_CHECK(lsa_test_unicode_is(&r->Second, "the second one"));
        LsaFreeReturnBuffer(out);
    }
    return 0;
}

static void test_embedded_pointers_are_caller_addresses(void **state)
{
    (void)state;
    struct lsa_test_child c;
    run(strings_child, &c);
    assert_int_equal(lsa_test_log_count(&c, "bytes taken"), 2);
    lsa_test_child_free(&c);
}

/* ---- against an lsad that lies ------------------------------------------------------ */

static int lying_child(void *arg)
{
    NTSTATUS expected = *(NTSTATUS *)arg;
    HANDLE h;
    ULONG id;
    PVOID out;
    CHILD_CHECK(open_echo(&h, &id) == 0);
    CHILD_CHECK_STATUS(allocate_and_free(h, id, 64, 1), STATUS_SUCCESS); /* learns 64 */
    NTSTATUS status = allocate(h, id, 64, 1, &out);                      /* offers 64 */
    CHILD_CHECK_STATUS(status, expected);
    if (status == STATUS_SUCCESS)
        LsaFreeReturnBuffer(out);
    else
        CHILD_CHECK(out == NULL);
    return 0;
}

/* A fake lsad in MODE serves one child; it must have seen the 64-byte offer. */
static void against_fake(const char *mode, NTSTATUS expected)
{
    const char *dir = lsa_test_temp_dir();
    assert_non_null(dir);
    char conf[512], sock[512], out[512], cmd[2048];
    snprintf(conf, sizeof(conf), "%s/lsa.conf", dir);
    snprintf(sock, sizeof(sock), "%s/fake.sock", dir);
    snprintf(out, sizeof(out), "%s/fake.out", dir);
    FILE *f = fopen(conf, "w");
    assert_non_null(f);
    fprintf(f, "[lsa]\npackage_dir = %s\npackages = echo_ap\nmode = daemon\nsocket = %s\n",
            lsa_test_package_dir(), sock);
    assert_int_equal(fclose(f), 0);
    const char *srcdir = getenv("LSA_TEST_SRCDIR");
    assert_non_null(srcdir);
    pid_t fake = fork();
    assert_true(fake >= 0);
    if (fake == 0) {
        snprintf(cmd, sizeof(cmd), "exec python3 '%s/tests/lsad/fake_lsad.py' '%s' %s > '%s' 2>&1",
                 srcdir, sock, mode, out);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    struct stat st;
    for (int i = 0; i < 200 && stat(sock, &st) != 0; i++)
        usleep(50000);
    struct lsa_test_child c;
    assert_int_equal(lsa_test_run_child(lying_child, &expected, conf, 0, &c), 0);
    kill(fake, SIGTERM);
    waitpid(fake, NULL, 0);
    assert_child_ok(&c);
    lsa_test_child_free(&c);
    f = fopen(out, "r");
    assert_non_null(f);
    char line[256] = "";
    char *got = fgets(line, sizeof(line), f);
    fclose(f);
    assert_non_null(got);
    assert_string_equal(line, "offer 64\n");
}

static void test_offer_taken_by_fake(void **state)
{
    (void)state;
    against_fake("taken", STATUS_SUCCESS);
}

static void test_reply_claiming_more_than_offered_refused(void **state)
{
    (void)state;
    against_fake("overclaim", STATUS_PORT_DISCONNECTED);
}

static void test_reply_returning_untaken_offer_refused(void **state)
{
    (void)state;
    against_fake("untaken", STATUS_PORT_DISCONNECTED);
}

static int teardown(void **state)
{
    (void)state;
    lsa_test_cleanup();
    return 0;
}

int main(void)
{
    if (!lsa_test_daemon_mode()) {
        fprintf(stderr, "test_lsad_offer: run it as tests/lsad/test_offer.daemon\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_same_length_taken, teardown),
        cmocka_unit_test_teardown(test_larger_than_offer_falls_back, teardown),
        cmocka_unit_test_teardown(test_two_buffers_in_one_call, teardown),
        cmocka_unit_test_teardown(test_offer_refused_by_quota, teardown),
        cmocka_unit_test_teardown(test_embedded_pointers_are_caller_addresses, teardown),
        cmocka_unit_test_teardown(test_offer_taken_by_fake, teardown),
        cmocka_unit_test_teardown(test_reply_claiming_more_than_offered_refused, teardown),
        cmocka_unit_test_teardown(test_reply_returning_untaken_offer_refused, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
