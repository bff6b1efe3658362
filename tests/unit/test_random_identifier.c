/* lsa_random_identifier (lsa_util.h): bytes that differ from call to call, the whole
 * length written, and no error left in OpenSSL's queue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values_differ),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
