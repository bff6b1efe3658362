/*
 * UTF-8 <-> UTF-16LE conversion, comparison and free helpers (<lsa/lsa_util.h>).
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

#include <cmocka.h>

#include <lsa/lsa_util.h>
#include <lsa/ntstatus.h>

/* UTF-8 in, exact UTF-16LE bytes out, and back to the same UTF-8. */
static void assert_round_trip(const char *utf8, size_t utf8_length,
                              const unsigned char *utf16, size_t utf16_length)
{
    UNICODE_STRING u;
    char *back = NULL;
    size_t back_length = 12345;
    const unsigned char *bytes;

    assert_int_equal(lsa_utf8_to_unicode_string(utf8, utf8_length, &u), STATUS_SUCCESS);
    assert_non_null(u.Buffer);
    assert_int_equal(u.Length, utf16_length);
    assert_int_equal(u.MaximumLength, utf16_length + 2);
    bytes = (const unsigned char *)u.Buffer;
    if (utf16_length > 0)
        assert_memory_equal(bytes, utf16, utf16_length);
    assert_int_equal(bytes[utf16_length], 0); /* terminator */
    assert_int_equal(bytes[utf16_length + 1], 0);

    assert_int_equal(lsa_unicode_string_to_utf8(&u, &back, &back_length), STATUS_SUCCESS);
    assert_non_null(back);
    assert_int_equal(back_length, utf8_length);
    assert_int_equal(strlen(back), utf8_length);
    if (utf8_length > 0)
        assert_memory_equal(back, utf8, utf8_length);

    lsa_free_utf8(back);
    lsa_free_unicode_string(&u);
}

static void test_ascii_round_trip(void **state)
{
    static const unsigned char expected[] = {'a', 0, 'l', 0, 'i', 0, 'c', 0, 'e', 0};
    (void)state;
    assert_round_trip("alice", 5, expected, sizeof(expected));
}

static void test_multibyte_round_trip(void **state)
{
    /* é U+00E9, € U+20AC, 😀 U+1F600 = D83D DE00 */
    static const unsigned char e_acute[] = {0xe9, 0x00};
    static const unsigned char euro[] = {0xac, 0x20};
    static const unsigned char grin[] = {0x3d, 0xd8, 0x00, 0xde};
    static const unsigned char mixed[] = {'a', 0, 0xe9, 0, 0xac, 0x20, 0x3d, 0xd8, 0x00, 0xde, 'z', 0};
    (void)state;
    assert_round_trip("\xc3\xa9", 2, e_acute, sizeof(e_acute));
    assert_round_trip("\xe2\x82\xac", 3, euro, sizeof(euro));
    assert_round_trip("\xf0\x9f\x98\x80", 4, grin, sizeof(grin));
    assert_round_trip("a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z", 11, mixed, sizeof(mixed));
}

/* Only Utf8Length bytes are read: no terminator needed, none looked for. */
static void test_counted_input(void **state)
{
    static const unsigned char expected[] = {'a', 0, 'b', 0};
    char raw[2] = {'a', 'b'}; /* not NUL-terminated: ASan would see a strlen */
    (void)state;
    assert_round_trip(raw, sizeof(raw), expected, sizeof(expected));
}

/* A BOM is a character like any other: kept, never interpreted. */
static void test_bom_preserved(void **state)
{
    static const unsigned char expected[] = {0xff, 0xfe, 'a', 0};
    (void)state;
    assert_round_trip("\xef\xbb\xbf" "a", 4, expected, sizeof(expected));
}

static void test_empty(void **state)
{
    UNICODE_STRING u, in = {0, 0, NULL};
    char *utf8;
    size_t length = 99;
    (void)state;

    assert_int_equal(lsa_utf8_to_unicode_string("", 0, &u), STATUS_SUCCESS);
    assert_non_null(u.Buffer);
    assert_int_equal(u.Length, 0);
    assert_int_equal(u.MaximumLength, 2);
    assert_int_equal(u.Buffer[0], 0);
    lsa_free_unicode_string(&u);

    assert_int_equal(lsa_utf8_to_unicode_string(NULL, 0, &u), STATUS_SUCCESS);
    assert_non_null(u.Buffer);
    assert_int_equal(u.Length, 0);
    lsa_free_unicode_string(&u);

    assert_int_equal(lsa_unicode_string_to_utf8(&in, &utf8, &length), STATUS_SUCCESS);
    assert_non_null(utf8);
    assert_string_equal(utf8, "");
    assert_int_equal(length, 0);
    lsa_free_utf8(utf8);
}

static void assert_bad_utf8(const char *utf8, size_t length)
{
    UNICODE_STRING u;
    memset(&u, 0xa5, sizeof(u));
    assert_int_equal(lsa_utf8_to_unicode_string(utf8, length, &u), STATUS_INVALID_PARAMETER);
    assert_int_equal(u.Length, 0);
    assert_int_equal(u.MaximumLength, 0);
    assert_null(u.Buffer);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    assert_bad_utf8("\xc3\x28", 2);             /* bad continuation */
    assert_bad_utf8("\xc0\xaf", 2);             /* overlong '/' */
    assert_bad_utf8("\xe0\x80\xaf", 3);         /* overlong, 3 bytes */
    assert_bad_utf8("\xf0\x80\x80\xaf", 4);     /* overlong, 4 bytes */
    assert_bad_utf8("\x80", 1);                 /* lone continuation */
    assert_bad_utf8("abc\xa9", 4);              /* lone continuation after ASCII */
    assert_bad_utf8("a\xc3", 2);                /* truncated at the end */
    assert_bad_utf8("\xed\xa0\x80", 3);         /* UTF-8-encoded surrogate D800 */
    assert_bad_utf8("\xf4\x90\x80\x80", 4);     /* U+110000 */
    assert_bad_utf8("\xf8\x88\x80\x80\x80", 5); /* 5-byte form */
    assert_bad_utf8("\xff", 1);
    assert_bad_utf8(NULL, 1);
    assert_int_equal(lsa_utf8_to_unicode_string("a", 1, NULL), STATUS_INVALID_PARAMETER);
}

static void assert_bad_utf16(const void *bytes, USHORT length)
{
    UNICODE_STRING u;
    char *utf8 = (char *)(uintptr_t)1;
    size_t utf8_length = 77;

    u.Length = length;
    u.MaximumLength = length;
    u.Buffer = (PWSTR)(uintptr_t)bytes;
    assert_int_equal(lsa_unicode_string_to_utf8(&u, &utf8, &utf8_length),
                     STATUS_INVALID_PARAMETER);
    assert_null(utf8);
    assert_int_equal(utf8_length, 0);
}

static void test_invalid_utf16(void **state)
{
    static const unsigned char lone_high_end[] = {'a', 0, 0x3d, 0xd8};
    static const unsigned char lone_low[] = {0x00, 0xde, 'a', 0};
    static const unsigned char high_then_ascii[] = {0x3d, 0xd8, 'a', 0};
    static const unsigned char high_high_low[] = {0x3d, 0xd8, 0x3d, 0xd8, 0x00, 0xde};
    static const unsigned char swapped_pair[] = {0x00, 0xde, 0x3d, 0xd8};
    static const unsigned char odd[] = {'a', 0, 'b'};
    static const unsigned char embedded_nul[] = {'a', 0, 0, 0, 'b', 0};
    UNICODE_STRING u = {2, 2, NULL};
    char *utf8;
    (void)state;

    assert_bad_utf16(lone_high_end, sizeof(lone_high_end));
    assert_bad_utf16(lone_low, sizeof(lone_low));
    assert_bad_utf16(high_then_ascii, sizeof(high_then_ascii));
    assert_bad_utf16(high_high_low, sizeof(high_high_low));
    assert_bad_utf16(swapped_pair, sizeof(swapped_pair));
    assert_bad_utf16(odd, sizeof(odd));
    assert_bad_utf16(embedded_nul, sizeof(embedded_nul));
    assert_bad_utf16(NULL, 2);

    assert_int_equal(lsa_unicode_string_to_utf8(NULL, &utf8, NULL), STATUS_INVALID_PARAMETER);
    assert_null(utf8);
    assert_int_equal(lsa_unicode_string_to_utf8(&u, NULL, NULL), STATUS_INVALID_PARAMETER);
}

/* A UNICODE_STRING buffer need not be 2-byte aligned in memory; it is read bytewise. */
static void test_unaligned_utf16_input(void **state)
{
    unsigned char raw[1 + 6] = {0xff, 0xac, 0x20, 'x', 0, 0xe9, 0};
    UNICODE_STRING u;
    char *utf8;
    size_t length;
    (void)state;

    u.Length = 6;
    u.MaximumLength = 6;
    u.Buffer = (PWSTR)(void *)(raw + 1);
    assert_int_equal(lsa_unicode_string_to_utf8(&u, &utf8, &length), STATUS_SUCCESS);
    assert_int_equal(length, 6);
    assert_string_equal(utf8, "\xe2\x82\xac" "x" "\xc3\xa9");
    lsa_free_utf8(utf8);
}

static void test_utf8_length_optional(void **state)
{
    static const WCHAR text[] = u"bob";
    UNICODE_STRING u = {6, 8, (PWSTR)(uintptr_t)text};
    char *utf8;
    (void)state;
    assert_int_equal(lsa_unicode_string_to_utf8(&u, &utf8, NULL), STATUS_SUCCESS);
    assert_string_equal(utf8, "bob");
    lsa_free_utf8(utf8);
}

/* U+0000 is valid UTF-8 and becomes a counted WCHAR 0, but it cannot come back as a
 * C string. */
static void test_embedded_nul(void **state)
{
    static const unsigned char expected[] = {'a', 0, 0, 0, 'b', 0};
    UNICODE_STRING u;
    char *utf8;
    (void)state;

    assert_int_equal(lsa_utf8_to_unicode_string("a\0b", 3, &u), STATUS_SUCCESS);
    assert_int_equal(u.Length, 6);
    assert_memory_equal(u.Buffer, expected, sizeof(expected));
    assert_int_equal(lsa_unicode_string_to_utf8(&u, &utf8, NULL), STATUS_INVALID_PARAMETER);
    assert_null(utf8);
    lsa_free_unicode_string(&u);
}

static void assert_converts_to(const char *utf8, size_t length, USHORT expected_length)
{
    UNICODE_STRING u;
    assert_int_equal(lsa_utf8_to_unicode_string(utf8, length, &u), STATUS_SUCCESS);
    assert_int_equal(u.Length, expected_length);
    assert_int_equal(u.MaximumLength, expected_length + 2);
    lsa_free_unicode_string(&u);
}

static void assert_too_long(const char *utf8, size_t length)
{
    UNICODE_STRING u;
    memset(&u, 0xa5, sizeof(u));
    assert_int_equal(lsa_utf8_to_unicode_string(utf8, length, &u), STATUS_NAME_TOO_LONG);
    assert_null(u.Buffer);
    assert_int_equal(u.Length, 0);
    assert_int_equal(u.MaximumLength, 0);
}

/* Length + terminator <= 65534 (UNICODE_STRING_MAX_BYTES): Length <= 65532. */
static void test_length_limit(void **state)
{
    size_t big = (size_t)1 << 20, i;
    char *text = malloc(big);
    (void)state;
    assert_non_null(text);

    memset(text, 'a', big);
    assert_converts_to(text, 32766, 65532);
    assert_too_long(text, 32767);
    assert_too_long(text, big);

    /* 3-byte characters: 21844 x U+20AC = 43688 bytes, fine. */
    for (i = 0; i + 3 <= big; i += 3)
        memcpy(text + i, "\xe2\x82\xac", 3);
    assert_converts_to(text, 21844 * 3, 43688);
    /* 32767 of them would be 65534 bytes. */
    assert_too_long(text, 32767 * 3);

    /* Surrogate pairs: 16383 x U+1F600 = 65532 bytes exactly; one more WCHAR is over. */
    for (i = 0; i + 4 <= big; i += 4)
        memcpy(text + i, "\xf0\x9f\x98\x80", 4);
    assert_converts_to(text, 16383 * 4, 65532);
    assert_too_long(text, 16384 * 4);
    text[16383 * 4] = 'a';
    assert_too_long(text, 16383 * 4 + 1);

    free(text);
}

/* The longest possible UTF-16 input (65534 bytes of U+20AC) converts: 98301 bytes. */
static void test_longest_utf16_input(void **state)
{
    WCHAR *text = malloc(65534);
    UNICODE_STRING u;
    char *utf8;
    size_t length, i;
    (void)state;

    assert_non_null(text);
    for (i = 0; i < 65534 / 2; i++)
        text[i] = 0x20ac;
    u.Length = 65534;
    u.MaximumLength = 65534;
    u.Buffer = text;
    assert_int_equal(lsa_unicode_string_to_utf8(&u, &utf8, &length), STATUS_SUCCESS);
    assert_int_equal(length, 32767 * 3);
    assert_int_equal(strlen(utf8), 32767 * 3);
    assert_memory_equal(utf8 + length - 3, "\xe2\x82\xac", 3);
    lsa_free_utf8(utf8);
    free(text);
}

static UNICODE_STRING us(const WCHAR *text, USHORT length)
{
    UNICODE_STRING u;
    u.Length = length;
    u.MaximumLength = length;
    u.Buffer = (PWSTR)(uintptr_t)text;
    return u;
}

static void test_equal(void **state)
{
    static const WCHAR kerberos[] = u"Kerberos";
    static const WCHAR upper[] = u"KERBEROS";
    static const WCHAR other[] = u"Kerberoz";
    static const WCHAR ntlm[] = u"NTLM";
    UNICODE_STRING a = us(kerberos, 16), b = us(upper, 16), c = us(other, 16);
    UNICODE_STRING d = us(ntlm, 8), prefix = us(kerberos, 14);
    UNICODE_STRING e1 = {0, 0, NULL}, e2 = {0, 10, (PWSTR)(uintptr_t)kerberos};
    (void)state;

    assert_true(lsa_unicode_string_equal(&a, &a, FALSE));
    assert_false(lsa_unicode_string_equal(&a, &b, FALSE));
    assert_true(lsa_unicode_string_equal(&a, &b, TRUE));
    assert_true(lsa_unicode_string_equal(&b, &a, TRUE));
    assert_false(lsa_unicode_string_equal(&a, &c, TRUE));
    assert_false(lsa_unicode_string_equal(&a, &d, TRUE));
    assert_false(lsa_unicode_string_equal(&a, &prefix, TRUE));
    assert_false(lsa_unicode_string_equal(&prefix, &a, FALSE));
    /* Empty strings are equal whatever their buffers. */
    assert_true(lsa_unicode_string_equal(&e1, &e2, FALSE));
    assert_true(lsa_unicode_string_equal(&e1, &e2, TRUE));
    assert_false(lsa_unicode_string_equal(&e1, &a, TRUE));
    /* NULL arguments. */
    assert_true(lsa_unicode_string_equal(NULL, NULL, TRUE));
    assert_false(lsa_unicode_string_equal(&a, NULL, TRUE));
    assert_false(lsa_unicode_string_equal(NULL, &a, FALSE));
}

/* Folding is ASCII A-Z only, per WCHAR: no neighbours, no high bytes, no non-ASCII. */
static void test_equal_ascii_folding_only(void **state)
{
    static const WCHAR at[] = {0x40}, backtick[] = {0x60};       /* '@' vs '`' */
    static const WCHAR lbracket[] = {0x5b}, lbrace[] = {0x7b};   /* '[' vs '{' */
    static const WCHAR l_stroke[] = {0x0141}, l_small[] = {0x0161}; /* low bytes 'A'/'a' */
    static const WCHAR e_upper[] = {0x00c9}, e_lower[] = {0x00e9};  /* É / é */
    static const WCHAR a_hi[] = {0x4100}, a_lo[] = {0x6100};
    UNICODE_STRING x, y;
    (void)state;

    x = us(at, 2), y = us(backtick, 2);
    assert_false(lsa_unicode_string_equal(&x, &y, TRUE));
    x = us(lbracket, 2), y = us(lbrace, 2);
    assert_false(lsa_unicode_string_equal(&x, &y, TRUE));
    x = us(l_stroke, 2), y = us(l_small, 2);
    assert_false(lsa_unicode_string_equal(&x, &y, TRUE));
    x = us(e_upper, 2), y = us(e_lower, 2);
    assert_false(lsa_unicode_string_equal(&x, &y, TRUE));
    x = us(a_hi, 2), y = us(a_lo, 2);
    assert_false(lsa_unicode_string_equal(&x, &y, TRUE));
    x = us(u"AZ", 4), y = us(u"az", 4);
    assert_true(lsa_unicode_string_equal(&x, &y, TRUE));
}

static void test_free_helpers(void **state)
{
    UNICODE_STRING u, empty = {0, 0, NULL};
    char *utf8;
    (void)state;

    assert_int_equal(lsa_utf8_to_unicode_string("secret", 6, &u), STATUS_SUCCESS);
    lsa_free_unicode_string(&u);
    assert_int_equal(u.Length, 0);
    assert_int_equal(u.MaximumLength, 0);
    assert_null(u.Buffer);
    lsa_free_unicode_string(&u); /* twice is harmless once zeroed */
    lsa_free_unicode_string(&empty);
    lsa_free_unicode_string(NULL);

    u = us(u"pw", 4);
    assert_int_equal(lsa_unicode_string_to_utf8(&u, &utf8, NULL), STATUS_SUCCESS);
    lsa_free_utf8(utf8);
    lsa_free_utf8(NULL);
}

/* Concurrent conversions: nothing global is shared (run under TSan to be sure). */
static void *convert_loop(void *arg)
{
    static const unsigned char expected[] = {0xe9, 0, 0x3d, 0xd8, 0x00, 0xde};
    long failures = 0;
    int i;
    (void)arg;
    for (i = 0; i < 2000; i++) {
        UNICODE_STRING u;
        char *back;
        if (lsa_utf8_to_unicode_string("\xc3\xa9\xf0\x9f\x98\x80", 6, &u) != STATUS_SUCCESS ||
            u.Length != 6 || memcmp(u.Buffer, expected, 6) != 0) {
            failures++;
            continue;
        }
        if (lsa_unicode_string_to_utf8(&u, &back, NULL) != STATUS_SUCCESS ||
            strcmp(back, "\xc3\xa9\xf0\x9f\x98\x80") != 0)
            failures++;
        else
            lsa_free_utf8(back);
        lsa_free_unicode_string(&u);
    }
    return (void *)failures;
}

static void test_threads(void **state)
{
    pthread_t threads[8];
    size_t i;
    (void)state;
    for (i = 0; i < 8; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, convert_loop, NULL), 0);
    for (i = 0; i < 8; i++) {
        void *failures;
        assert_int_equal(pthread_join(threads[i], &failures), 0);
        assert_null(failures);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_round_trip),
        cmocka_unit_test(test_multibyte_round_trip),
        cmocka_unit_test(test_counted_input),
        cmocka_unit_test(test_bom_preserved),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_invalid_utf16),
        cmocka_unit_test(test_unaligned_utf16_input),
        cmocka_unit_test(test_utf8_length_optional),
        cmocka_unit_test(test_embedded_nul),
        cmocka_unit_test(test_length_limit),
        cmocka_unit_test(test_longest_utf16_input),
        cmocka_unit_test(test_equal),
        cmocka_unit_test(test_equal_ascii_folding_only),
        cmocka_unit_test(test_free_helpers),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests_name("unicode", tests, NULL, NULL);
}
