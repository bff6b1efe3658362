/*
 * The MSV1_0 session records on their own (packages/msv1_0/session_records.h): the list
 * MsV1_0EnumerateUsers returns is in logon order with handles 0, 1, 2, ... whatever
 * shards the LUIDs fall in; a collision takes no handle; names are kept as given (an odd
 * length too); removal; and threads adding and removing at once.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <lsa/ntstatus.h>

#include "session_records.h"

static UNICODE_STRING name(const WCHAR *chars, USHORT bytes)
{
    UNICODE_STRING s = { bytes, bytes, (PWSTR)chars };
    return s;
}

static void test_logon_order(void **state)
{
    static const WCHAR alice[] = u"alice", dom[] = u"DOM";
    UNICODE_STRING user = name(alice, 10), domain = name(dom, 6);
    struct msv_session_records *r;
    LUID *ids;
    ULONG *handles, count;

    (void)state;
    assert_int_equal(msv_sessions_create(&r), STATUS_SUCCESS);
    /* LUIDs in no order, spread over the shards. */
    for (ULONG i = 0; i < 100; i++) {
        LUID id = { (i * 7919u) % 1000u + 1, (LONG)(i % 3) };
        assert_int_equal(msv_sessions_add(r, &id, Network, &user, &domain), STATUS_SUCCESS);
    }
    LUID again = { 1, 0 };
    assert_int_equal(msv_sessions_add(r, &again, Network, &user, &domain),
                     STATUS_LOGON_SESSION_COLLISION);
    LUID gone = { (5 * 7919u) % 1000u + 1, 2 };
    assert_true(msv_sessions_remove(r, &gone));
    assert_false(msv_sessions_remove(r, &gone));
    LUID last = { 5000, 0 };
    assert_int_equal(msv_sessions_add(r, &last, Batch, &user, &domain), STATUS_SUCCESS);

    assert_int_equal(msv_sessions_list(r, &ids, &handles, &count), STATUS_SUCCESS);
    assert_int_equal(count, 100);
    for (ULONG n = 0, i = 0; n < 99; n++, i++) {
        if (i == 5)
            i++;
        assert_int_equal(ids[n].LowPart, (i * 7919u) % 1000u + 1);
        assert_int_equal(ids[n].HighPart, (LONG)(i % 3));
        assert_int_equal(handles[n], i);
    }
    /* The collision used no handle. */
    assert_int_equal(ids[99].LowPart, 5000);
    assert_int_equal(handles[99], 100);
    free(ids);
    free(handles);
    msv_sessions_destroy(r);
}

static void test_get(void **state)
{
    static const WCHAR odd[] = u"bob", dom[] = u"D";
    UNICODE_STRING user = name(odd, 5), domain = name(dom, 2);
    struct msv_session_records *r;
    struct msv_session_info info;
    LUID id = { 42, 1 }, other = { 43, 1 };

    (void)state;
    assert_int_equal(msv_sessions_create(&r), STATUS_SUCCESS);
    assert_int_equal(msv_sessions_add(r, &id, Interactive, &user, &domain), STATUS_SUCCESS);
    assert_int_equal(msv_sessions_add(r, &other, Network, NULL, NULL), STATUS_SUCCESS);
    assert_int_equal(msv_sessions_get(r, &id, &info), STATUS_SUCCESS);
    assert_int_equal(info.logon_type, Interactive);
    assert_int_equal(info.enum_handle, 0);
    assert_int_equal(info.user.Length, 5);
    assert_memory_equal(info.user.Buffer, odd, 5);
    assert_int_equal(info.domain.Length, 2);
    assert_memory_equal(info.domain.Buffer, dom, 2);
    msv_session_info_free(&info);
    assert_int_equal(msv_sessions_get(r, &other, &info), STATUS_SUCCESS);
    assert_int_equal(info.user.Length, 0);
    assert_int_equal(info.enum_handle, 1);
    msv_session_info_free(&info);
    assert_true(msv_sessions_remove(r, &id));
    assert_int_equal(msv_sessions_get(r, &id, &info), STATUS_NO_SUCH_LOGON_SESSION);
    msv_sessions_destroy(r);
}

#define THREADS 8
#define EACH 2000

struct adder {
    struct msv_session_records *records;
    ULONG base;
    int failed;
};

static void *add_remove(void *arg)
{
    static const WCHAR alice[] = u"alice";
    UNICODE_STRING user = name(alice, 10);
    struct adder *a = arg;

    for (ULONG i = 0; i < EACH; i++) {
        LUID id = { a->base + i, 0 };
        if (msv_sessions_add(a->records, &id, Network, &user, &user) != STATUS_SUCCESS)
            a->failed = 1;
        if (i % 2 == 0 && !msv_sessions_remove(a->records, &id))
            a->failed = 1;
    }
    return NULL;
}

/* Handles stay unique and the list sorted by them while threads add and remove. */
static void test_threads(void **state)
{
    struct msv_session_records *r;
    struct adder adders[THREADS];
    pthread_t threads[THREADS];
    LUID *ids;
    ULONG *handles, count;

    (void)state;
    assert_int_equal(msv_sessions_create(&r), STATUS_SUCCESS);
    for (int i = 0; i < THREADS; i++) {
        adders[i] = (struct adder){ r, (ULONG)i * 100000u, 0 };
        assert_int_equal(pthread_create(&threads[i], NULL, add_remove, &adders[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        assert_int_equal(adders[i].failed, 0);
    }
    assert_int_equal(msv_sessions_list(r, &ids, &handles, &count), STATUS_SUCCESS);
    assert_int_equal(count, THREADS * EACH / 2);
    for (ULONG n = 1; n < count; n++)
        assert_true(handles[n - 1] < handles[n]);
    assert_true(handles[count - 1] < THREADS * EACH);
    free(ids);
    free(handles);
    msv_sessions_destroy(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_logon_order),
        cmocka_unit_test(test_get),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
