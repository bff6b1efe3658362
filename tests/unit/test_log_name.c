/*
 * test_log_name.c - lsa_log_name(): a client-supplied name made safe for a log line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <lsa/lsa_util.h>

static void test_plain_names_pass(void **state)
{
    char out[32];
    (void)state;
    assert_string_equal(lsa_log_name("alice@EXAMPLE.TEST", out, sizeof(out)), "alice@EXAMPLE.TEST");
    assert_string_equal(lsa_log_name(NULL, out, sizeof(out)), "");
}

static void test_control_characters_and_quotes_replaced(void **state)
{
    char out[32];
    (void)state;
    /* A forged second log line, an escape sequence and a quote that would end the name. */
    assert_string_equal(lsa_log_name("a\nlsa: ok\x1b[2J'x\x7f", out, sizeof(out)),
                        "a?lsa: ok?[2J?x?");
}

static void test_cut_on_a_character_boundary(void **state)
{
    char out[6];
    (void)state;
    /* "ab" then three 2-byte characters: 5 bytes fit, the third character must not be halved. */
    assert_string_equal(lsa_log_name("ab\xc3\xa9\xc3\xa9\xc3\xa9", out, sizeof(out)), "ab\xc3\xa9");
    assert_string_equal(lsa_log_name("abcdefgh", out, sizeof(out)), "abcde");
    assert_ptr_equal(lsa_log_name("x", out, 0), out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_names_pass),
        cmocka_unit_test(test_control_characters_and_quotes_replaced),
        cmocka_unit_test(test_cut_on_a_character_boundary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
