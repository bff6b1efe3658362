/*
 * test_kerb_client.c - the pieces of lsa's Kerberos commands that need no LSA
 * (tools/kerb_client.c): LUIDs on the command line, FILETIME as local time, etype
 * names, klist flag letters, and the bounds check on strings of a return buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <lsa/lsa_util.h>
#include <lsa/ntsecapi.h>

#include "../../tools/kerb_client.h"

/* kerb_client.c reports through lsa.c's diagnostics; nothing here reaches them. */
int lsa_status_failure(const char *cmd, const char *what, NTSTATUS status);
void lsa_error(const char *cmd, const char *fmt, ...);
int lsa_status_failure(const char *cmd, const char *what, NTSTATUS status)
{
    (void)cmd, (void)what, (void)status;
    fail_msg("unexpected diagnostic");
    return 1;
}
void lsa_error(const char *cmd, const char *fmt, ...)
{
    (void)cmd, (void)fmt;
    fail_msg("unexpected diagnostic");
}

static void luid_is(const char *text, LONG high, DWORD low)
{
    LUID l = { 0xdead, 0xbeef };
    assert_int_equal(kerb_parse_luid(text, &l), 0);
    assert_int_equal(l.HighPart, high);
    assert_int_equal(l.LowPart, low);
}

static void test_parse_luid(void **state)
{
    (void)state;
    luid_is("0", 0, 0);
    luid_is("0x3e7", 0, 0x3e7);
    luid_is("3E7", 0, 0x3e7);
    luid_is("0x0:0x000003e7", 0, 0x3e7);
    luid_is("1:2", 1, 2);
    luid_is("0xffffffff:0xffffffff", -1, 0xffffffffu);
    luid_is("0x1ffffffff", 1, 0xffffffffu);
    luid_is("0x00000000000000000000003e7", 0, 0x3e7);
    const char *bad[] = { "", "0x", "zz", "1:", ":1", "1:2:3", "0x100000000:0", "0:0x100000000",
                          "0x10000000000000000", "-1", " 1", "1 ", "0x-1", "3e7h" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        LUID l;
        if (kerb_parse_luid(bad[i], &l) != -1)
            fail_msg("'%s' was accepted", bad[i]);
    }
}

static void test_format_luid(void **state)
{
    (void)state;
    char buf[32];
    LUID l = { 0x3e7, 0 };
    assert_string_equal(kerb_format_luid(&l, buf, sizeof(buf)), "0x0:0x000003e7");
    LUID m = { 0xd719a309, 0x37fbd503 };
    assert_string_equal(kerb_format_luid(&m, buf, sizeof(buf)), "0x37fbd503:0xd719a309");
}

static void test_format_time(void **state)
{
    (void)state;
    char buf[40];
    LARGE_INTEGER t;
    /* 2026-11-21 07:30:00 UTC = 1795246200 s after 1970 */
    t.QuadPart = (INT64_C(1795246200) * 10000000) + INT64_C(116444736000000000);
    assert_string_equal(kerb_format_time(t, buf, sizeof(buf)), "11/21/2026 07:30:00");
    t.QuadPart = INT64_MAX;
    assert_string_equal(kerb_format_time(t, buf, sizeof(buf)), "never");
    t.QuadPart = 0;
    assert_string_equal(kerb_format_time(t, buf, sizeof(buf)), "-");
}

static void test_etype_name(void **state)
{
    (void)state;
    char buf[40];
    assert_string_equal(kerb_etype_name(18, buf, sizeof(buf)), "aes256-cts-hmac-sha1-96");
    assert_string_equal(kerb_etype_name(17, buf, sizeof(buf)), "aes128-cts-hmac-sha1-96");
    assert_string_equal(kerb_etype_name(20, buf, sizeof(buf)), "aes256-cts-hmac-sha384-192");
    assert_string_equal(kerb_etype_name(23, buf, sizeof(buf)), "arcfour-hmac");
    assert_string_equal(kerb_etype_name(-135, buf, sizeof(buf)), "etype -135");
}

static void test_flags(void **state)
{
    (void)state;
    char buf[256];
    /* a typical TGT: forwardable, renewable, initial, pre-authenticated */
    ULONG tgt = KERB_TICKET_FLAGS_forwardable | KERB_TICKET_FLAGS_renewable |
                KERB_TICKET_FLAGS_initial | KERB_TICKET_FLAGS_pre_authent;
    assert_string_equal(kerb_flag_letters(tgt, buf, sizeof(buf)), "FRIA");
    assert_string_equal(kerb_flag_names(tgt, buf, sizeof(buf)),
                        "forwardable renewable initial pre_authent");
    assert_string_equal(kerb_flag_letters(0xffffffffu, buf, sizeof(buf)), "FfPpDdiRIHATOa");
    assert_string_equal(kerb_flag_letters(0, buf, sizeof(buf)), "");
    assert_string_equal(kerb_flag_letters(tgt, buf, 3), "FR"); /* truncated, terminated */
    assert_string_equal(kerb_flag_names(tgt, buf, 16), "forwardable");
}

static void test_reply_string(void **state)
{
    (void)state;
    struct {
        UNICODE_STRING s;
        WCHAR text[4];
    } reply = { { 6, 8, NULL }, { 'a', 'b', 'c', 0 } };
    reply.s.Buffer = reply.text;
    char *utf8 = kerb_reply_string(&reply, sizeof(reply), &reply.s);
    assert_non_null(utf8);
    assert_string_equal(utf8, "abc");
    lsa_free_utf8(utf8);

    /* a body that runs past the end of the reply, or lies before it */
    UNICODE_STRING outside = { 6, 6, reply.text + 2 };
    assert_null(kerb_reply_string(&reply, sizeof(reply), &outside));
    UNICODE_STRING before = { 2, 2, (PWSTR)&reply - 1 };
    assert_null(kerb_reply_string(&reply, sizeof(reply), &before));
    assert_false(kerb_reply_holds(NULL, 10, NULL, 0));
    assert_true(kerb_reply_holds(&reply, sizeof(reply), (char *)&reply + sizeof(reply), 0));
    assert_false(kerb_reply_holds(&reply, sizeof(reply), (char *)&reply + sizeof(reply), 1));
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_luid),   cmocka_unit_test(test_format_luid),
        cmocka_unit_test(test_format_time),  cmocka_unit_test(test_etype_name),
        cmocka_unit_test(test_flags),        cmocka_unit_test(test_reply_string),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
