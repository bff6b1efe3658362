/* lsa_random_identifier (lsa_util.h): bytes that differ from call to call, the whole
 * length written, however long, and no error left in OpenSSL's queue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/err.h>

#include <lsa/lsa_util.h>

static void test_values_differ(void **state)
{
    (void)state;
    unsigned char a[32], b[32], zero[32] = { 0 };
    memset(a, 0, sizeof(a));
    memset(b, 0, sizeof(b));
    assert_true(lsa_random_identifier(a, sizeof(a)));
    assert_true(lsa_random_identifier(b, sizeof(b)));
    assert_memory_not_equal(a, b, sizeof(a));
    /* Both halves written: 16 zero bytes by chance is out of reach. */
    assert_memory_not_equal(a, zero, 16);
    assert_memory_not_equal(a + 16, zero, 16);
    assert_int_equal(ERR_peek_error(), 0);
}

/* getrandom(2) returns at most 32 MiB - 1 per call: a longer request is filled in parts. */
static void test_long_request_filled(void **state)
{
    (void)state;
    size_t length = (size_t)33 << 20;
    unsigned char *a = calloc(1, length), zero[4096] = { 0 };
    assert_non_null(a);
    assert_true(lsa_random_identifier(a, length));
    assert_memory_not_equal(a + length - sizeof(zero), zero, sizeof(zero));
    assert_true(lsa_random_identifier(a, 0));
    free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_differ),
        cmocka_unit_test(test_long_request_filled),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
