/*
 * Return buffers and the client quota (DESIGN.md "Client API": return buffers live in
 * the caller, are freed with LsaFreeReturnBuffer, and each connection has a client
 * memory quota; a return buffer that would exceed it fails with STATUS_QUOTA_EXCEEDED
 * and nothing leaks).
 *
 * EchoMessageAllocate makes a package allocate Count client buffers of Length bytes and
 * return the last one, leaving the others to the LSA; with Fail set it fails after
 * allocating them all.  Whether what the LSA freed was really credited back shows in the
 * next allocation; AddressSanitizer's leak check at exit shows whether it was freed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include <lsa/ntsecapi.h>

#include "../lib/lsa_test.h"

#define QUOTA 4096

static const char config[] = "[lsa]\n"
                             "package_dir = @PKGDIR@\n"
                             "packages = echo_ap, echo_sspap\n"
                             "client_quota = 4096\n";

static struct lsa_test_echo g;

static int group_setup(void **state)
{
    (void)state;
    return lsa_test_echo_setup(&g, config, NULL);
}

static int group_teardown(void **state)
{
    (void)state;
    lsa_test_echo_teardown(&g);
    return 0;
}

/* Every test runs once per package model, each time on fresh connections. */
static int setup_ap(void **state)
{
    *state = &g.ap;
    return 0;
}

static int setup_sspap(void **state)
{
    *state = &g.sspap;
    return 0;
}

struct allocation {
    NTSTATUS status;
    unsigned char *buffer;
    ULONG length;
};

static struct allocation allocate(HANDLE h, ULONG id, ULONG length, ULONG count, ULONG fail)
{
    ECHO_ALLOCATE_REQUEST req = { EchoMessageAllocate, length, count, fail };
    struct allocation a = { 0, NULL, 0 };
    PVOID buffer = (PVOID)0x1;
    NTSTATUS protocol;
    a.status = LsaCallAuthenticationPackage(h, id, &req, sizeof(req), &buffer, &a.length,
                                            &protocol);
    a.buffer = buffer;
    if (a.status == STATUS_SUCCESS) {
        assert_status(protocol, STATUS_SUCCESS);
        assert_int_equal(a.length, length);
        assert_non_null(a.buffer);
        for (ULONG i = 0; i < length; i++)
            assert_int_equal(a.buffer[i], 0xA5);
    } else {
        assert_null(a.buffer);
        assert_int_equal(a.length, 0);
    }
    return a;
}

static void release(struct allocation *a)
{
    assert_status(LsaFreeReturnBuffer(a->buffer), STATUS_SUCCESS);
    a->buffer = NULL;
}

static ULONG package(void **state)
{
    return *(ULONG *)*state;
}

static void test_quota_limits_one_buffer(void **state)
{
    ULONG id = package(state);
    HANDLE h = lsa_test_connect(FALSE);
    assert_status(allocate(h, id, 8192, 1, 0).status, STATUS_QUOTA_EXCEEDED);
    assert_status(allocate(h, id, QUOTA + 1, 1, 0).status, STATUS_QUOTA_EXCEEDED);
    /* Exactly the quota fits. */
    struct allocation a = allocate(h, id, QUOTA, 1, 0);
    assert_status(a.status, STATUS_SUCCESS);
    release(&a);
    assert_status(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
}

static void test_quota_exceeded_midway_leaks_nothing(void **state)
{
    ULONG id = package(state);
    HANDLE h = lsa_test_connect(FALSE);
    for (int round = 0; round < 3; round++) {
        /* Two of the three fit; the third does not, and the call fails. */
        assert_status(allocate(h, id, 2000, 3, 0).status, STATUS_QUOTA_EXCEEDED);
        /* The two the package left behind were credited back. */
        struct allocation a = allocate(h, id, 4000, 1, 0);
        assert_status(a.status, STATUS_SUCCESS);
        release(&a);
    }
    assert_status(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
}

static void test_held_buffers_count_until_freed(void **state)
{
    ULONG id = package(state);
    HANDLE h = lsa_test_connect(FALSE);
    struct allocation held[4];
    for (int i = 0; i < 4; i++) {
        held[i] = allocate(h, id, 1000, 1, 0);
        assert_status(held[i].status, STATUS_SUCCESS);
    }
    /* 4000 of 4096 held. */
    assert_status(allocate(h, id, 1000, 1, 0).status, STATUS_QUOTA_EXCEEDED);
    assert_status(allocate(h, id, 97, 1, 0).status, STATUS_QUOTA_EXCEEDED);
    struct allocation small = allocate(h, id, 96, 1, 0);
    assert_status(small.status, STATUS_SUCCESS);
    release(&small);
    release(&held[2]);
    struct allocation again = allocate(h, id, 1000, 1, 0);
    assert_status(again.status, STATUS_SUCCESS);
    /* Still full. */
    assert_status(allocate(h, id, 1000, 1, 0).status, STATUS_QUOTA_EXCEEDED);
    release(&again);
    release(&held[0]);
    release(&held[1]);
    release(&held[3]);
    struct allocation all = allocate(h, id, QUOTA, 1, 0);
    assert_status(all.status, STATUS_SUCCESS);
    release(&all);
    assert_status(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
}

static void test_quota_is_per_connection(void **state)
{
    ULONG id = package(state);
    HANDLE first = lsa_test_connect(FALSE);
    HANDLE second = lsa_test_connect(FALSE);
    struct allocation a = allocate(first, id, 3000, 1, 0);
    assert_status(a.status, STATUS_SUCCESS);
    assert_status(allocate(first, id, 3000, 1, 0).status, STATUS_QUOTA_EXCEEDED);
    struct allocation b = allocate(second, id, 3000, 1, 0);
    assert_status(b.status, STATUS_SUCCESS);
    assert_status(allocate(second, id, 3000, 1, 0).status, STATUS_QUOTA_EXCEEDED);
    /* Freeing the second connection's buffer credits the second connection. */
    release(&b);
    assert_status(allocate(first, id, 3000, 1, 0).status, STATUS_QUOTA_EXCEEDED);
    b = allocate(second, id, 4000, 1, 0);
    assert_status(b.status, STATUS_SUCCESS);
    release(&b);
    release(&a);
    assert_status(LsaDeregisterLogonProcess(first), STATUS_SUCCESS);
    assert_status(LsaDeregisterLogonProcess(second), STATUS_SUCCESS);
}

static void test_failed_call_frees_every_buffer(void **state)
{
    ULONG id = package(state);
    HANDLE h = lsa_test_connect(FALSE);
    for (int round = 0; round < 3; round++) {
        assert_status(allocate(h, id, 2000, 2, 1).status, STATUS_UNSUCCESSFUL);
        assert_status(allocate(h, id, 1000, 4, 1).status, STATUS_UNSUCCESSFUL);
        struct allocation a = allocate(h, id, 4000, 1, 0);
        assert_status(a.status, STATUS_SUCCESS);
        release(&a);
    }
    assert_status(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
}

static void test_only_the_returned_buffer_survives(void **state)
{
    ULONG id = package(state);
    HANDLE h = lsa_test_connect(FALSE);
    /* Three allocated, the last returned: the first two are the LSA's to free. */
    struct allocation a = allocate(h, id, 1000, 3, 0);
    assert_status(a.status, STATUS_SUCCESS);
    /* Only 1000 are held: 3000 more fit, 3097 do not. */
    assert_status(allocate(h, id, 3097, 1, 0).status, STATUS_QUOTA_EXCEEDED);
    struct allocation b = allocate(h, id, 3096, 1, 0);
    assert_status(b.status, STATUS_SUCCESS);
    release(&b);
    release(&a);
    assert_status(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
}

/* More buffers in one call than the call tracks without a heap array (4). */
static void test_many_buffers_in_one_call(void **state)
{
    ULONG id = package(state);
    HANDLE h = lsa_test_connect(FALSE);
    for (int round = 0; round < 3; round++) {
        assert_status(allocate(h, id, 100, 12, 1).status, STATUS_UNSUCCESSFUL);
        struct allocation a = allocate(h, id, 100, 12, 0);
        assert_status(a.status, STATUS_SUCCESS);
        /* Only the returned 100 bytes are held. */
        assert_status(allocate(h, id, 3997, 1, 0).status, STATUS_QUOTA_EXCEEDED);
        struct allocation b = allocate(h, id, 3996, 1, 0);
        assert_status(b.status, STATUS_SUCCESS);
        release(&b);
        release(&a);
    }
    assert_status(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
}

static void test_buffers_outlive_their_connection(void **state)
{
    ULONG id = package(state);
    HANDLE h = lsa_test_connect(FALSE);
    struct allocation a = allocate(h, id, 3000, 1, 0);
    assert_status(a.status, STATUS_SUCCESS);
    struct allocation b = allocate(h, id, 10, 1, 0);
    assert_status(b.status, STATUS_SUCCESS);
    assert_status(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
    /* Still readable and writable, and freed without the connection. */
    for (ULONG i = 0; i < a.length; i++)
        assert_int_equal(a.buffer[i], 0xA5);
    memset(a.buffer, 0, a.length);
    release(&a);
    release(&b);
}

static void test_free_return_buffer_arguments(void **state)
{
    (void)state;
    assert_status(LsaFreeReturnBuffer(NULL), STATUS_SUCCESS);
    /* Inside a live return buffer, but not its start. */
    HANDLE h = lsa_test_connect(FALSE);
    struct allocation a = allocate(h, g.ap, 256, 1, 0);
    assert_status(a.status, STATUS_SUCCESS);
    assert_status(LsaFreeReturnBuffer(a.buffer + 1), STATUS_INVALID_PARAMETER);
    assert_status(LsaFreeReturnBuffer(a.buffer + 16), STATUS_INVALID_PARAMETER);
    assert_status(LsaFreeReturnBuffer(a.buffer + 64), STATUS_INVALID_PARAMETER);
    /* ...which is still intact and still freeable. */
    assert_int_equal(a.buffer[0], 0xA5);
    assert_int_equal(a.buffer[255], 0xA5);
    release(&a);
    /* A static object that is not a return buffer. */
    static _Alignas(64) unsigned char not_lsa[256];
    assert_status(LsaFreeReturnBuffer(not_lsa + 64), STATUS_INVALID_PARAMETER);
    assert_status(LsaFreeReturnBuffer(not_lsa + 1), STATUS_INVALID_PARAMETER);
    assert_status(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
}

/* The risky pointers run in a child: reading in front of them is a crash (or an
 * AddressSanitizer report), and that must fail this test, not end the suite. */
static int child_free_malloc_pointer(void *arg)
{
    (void)arg;
    void *p = malloc(64);
    CHILD_CHECK(p != NULL);
    CHILD_CHECK_STATUS(LsaFreeReturnBuffer(p), STATUS_INVALID_PARAMETER);
    free(p); /* still ours */
    return 0;
}

static void test_free_return_buffer_on_malloc_pointer(void **state)
{
    (void)state;
    struct lsa_test_child c;
    assert_int_equal(lsa_test_run_child(child_free_malloc_pointer, NULL, NULL, 0, &c), 0);
    assert_child_ok(&c);
    lsa_test_child_free(&c);
}

static int child_free_page_start(void *arg)
{
    (void)arg;
    long page = sysconf(_SC_PAGESIZE);
    unsigned char *m = mmap(NULL, (size_t)page * 2, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHILD_CHECK(m != MAP_FAILED);
    /* The page in front is not mapped. */
    CHILD_CHECK(munmap(m, (size_t)page) == 0);
    CHILD_CHECK_STATUS(LsaFreeReturnBuffer(m + page), STATUS_INVALID_PARAMETER);
    return 0;
}

static void test_free_return_buffer_at_start_of_mapping(void **state)
{
    (void)state;
    struct lsa_test_child c;
    assert_int_equal(lsa_test_run_child(child_free_page_start, NULL, NULL, 0, &c), 0);
    assert_child_ok(&c);
    lsa_test_child_free(&c);
}

struct double_free {
    ULONG id;
};

static int child_double_free(void *arg)
{
    const struct double_free *d = arg;
    HANDLE h;
    CHILD_CHECK_STATUS(LsaConnectUntrusted(&h), STATUS_SUCCESS);
    ECHO_ALLOCATE_REQUEST req = { EchoMessageAllocate, 100, 1, 0 };
    PVOID buffer;
    ULONG length;
    NTSTATUS protocol;
    CHILD_CHECK_STATUS(LsaCallAuthenticationPackage(h, d->id, &req, sizeof(req), &buffer, &length,
                                                    &protocol),
                       STATUS_SUCCESS);
    CHILD_CHECK_STATUS(LsaFreeReturnBuffer(buffer), STATUS_SUCCESS);
    /* Freed already: no longer a return buffer. */
    CHILD_CHECK_STATUS(LsaFreeReturnBuffer(buffer), STATUS_INVALID_PARAMETER);
    return 0;
}

static void test_free_return_buffer_twice(void **state)
{
    (void)state;
    struct double_free d = { g.ap };
    struct lsa_test_child c;
    assert_int_equal(lsa_test_run_child(child_double_free, &d, NULL, 0, &c), 0);
    assert_child_ok(&c);
    lsa_test_child_free(&c);
}

#define PER_PACKAGE(f)                                                                        \
    cmocka_unit_test_setup(f, setup_ap), { #f "_sspap", f, setup_sspap, NULL, NULL }

int main(void)
{
    const struct CMUnitTest tests[] = {
        PER_PACKAGE(test_quota_limits_one_buffer),
        PER_PACKAGE(test_quota_exceeded_midway_leaks_nothing),
        PER_PACKAGE(test_held_buffers_count_until_freed),
        PER_PACKAGE(test_quota_is_per_connection),
        PER_PACKAGE(test_failed_call_frees_every_buffer),
        PER_PACKAGE(test_only_the_returned_buffer_survives),
        PER_PACKAGE(test_many_buffers_in_one_call),
        PER_PACKAGE(test_buffers_outlive_their_connection),
        cmocka_unit_test(test_free_return_buffer_arguments),
        cmocka_unit_test(test_free_return_buffer_on_malloc_pointer),
        cmocka_unit_test(test_free_return_buffer_at_start_of_mapping),
        cmocka_unit_test(test_free_return_buffer_twice),
    };
    return cmocka_run_group_tests_name("buffers", tests, group_setup, group_teardown);
}
