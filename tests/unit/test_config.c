/*
 * lsa.conf parsing (lsa_core/config.c, linked directly: the parser is internal).
 *
 * [lsa] holds the core's keys (packages, package_dir, state_dir, client_quota, mode,
 * log_level); every other section belongs to the package of that lsa.conf name and is
 * read with lsa_config_get.  Errors read "NAME:LINE: reason", LINE being the line of the
 * file that is wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../lsa_core/config.h" /* not the autoconf config.h of -I. */

#define NAME "test.conf"

static struct lsa_config *parse_ok(const char *text)
{
    struct lsa_config *c = NULL;
    char err[512] = "";
    int rc = lsa_config_parse_string(text, NAME, &c, err, sizeof(err));
    if (rc != 0)
        fprintf(stderr, "# unexpected error: %s\n# in:\n%s\n", err, text);
    assert_int_equal(rc, 0);
    assert_non_null(c);
    return c;
}

/* The text must be refused with an error that starts with PREFIX and contains REASON. */
static void parse_fails(const char *text, const char *prefix, const char *reason)
{
    struct lsa_config *c = (struct lsa_config *)(uintptr_t)0x1;
    char err[512];
    memset(err, 'x', sizeof(err));
    int rc = lsa_config_parse_string(text, NAME, &c, err, sizeof(err));
    if (rc == 0) {
        fprintf(stderr, "# accepted:\n%s\n", text);
        lsa_config_free(c);
        fail();
    }
    assert_int_equal(rc, -1);
    assert_ptr_equal(c, (struct lsa_config *)(uintptr_t)0x1); /* untouched */
    assert_non_null(memchr(err, '\0', sizeof(err)));
    if (strncmp(err, prefix, strlen(prefix)) != 0 || strstr(err, reason) == NULL)
        fprintf(stderr, "# error \"%s\", expected \"%s...%s\"\n", err, prefix, reason);
    assert_int_equal(strncmp(err, prefix, strlen(prefix)), 0);
    assert_non_null(strstr(err, reason));
}

/* ---- defaults and the package list ---------------------------------------------------------- */

static void test_defaults(void **state)
{
    (void)state;
    struct lsa_config *c = parse_ok("[lsa]\npackages = msv1_0\n");
    assert_string_equal(c->path, NAME);
    assert_int_equal(c->package_count, 1);
    assert_string_equal(c->packages[0], "msv1_0");
    assert_null(c->packages[1]);
    assert_non_null(c->package_dir);
    assert_int_equal(c->package_dir[0], '/');
    assert_non_null(c->state_dir);
    assert_int_equal(c->state_dir[0], '/');
    assert_int_equal(c->client_quota, LSA_DEFAULT_CLIENT_QUOTA);
    assert_int_equal(c->client_quota, 1024 * 1024);
    assert_int_equal(c->mode, LSA_MODE_EMBEDDED);
    assert_int_equal(c->log_level, LOG_INFO);
    lsa_config_free(c);
}

static void assert_packages(const struct lsa_config *c, const char *const *expected, size_t n)
{
    if (c->package_count != n) {
        fprintf(stderr, "# %zu packages, expected %zu:", c->package_count, n);
        for (size_t i = 0; i < c->package_count; i++)
            fprintf(stderr, " [%s]", c->packages[i]);
        fprintf(stderr, "\n");
    }
    assert_int_equal(c->package_count, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(c->packages[i], expected[i]);
    assert_null(c->packages[n]);
}

static void test_package_list_separators(void **state)
{
    (void)state;
    static const char *const five[] = { "a", "b", "c", "d", "e" };
    struct lsa_config *c = parse_ok("[lsa]\npackages = a, b ,c\td,,e\n");
    assert_packages(c, five, 5);
    lsa_config_free(c);
    c = parse_ok("[lsa]\npackages=a b c d e\n");
    assert_packages(c, five, 5);
    lsa_config_free(c);
    c = parse_ok("[lsa]\npackages =a,b,c,d,e\n");
    assert_packages(c, five, 5);
    lsa_config_free(c);
    static const char *const real[] = { "msv1_0", "kerberos", "/opt/lsa/custom.so" };
    c = parse_ok("[lsa]\npackages = msv1_0,  kerberos , /opt/lsa/custom.so\n");
    assert_packages(c, real, 3);
    lsa_config_free(c);
    /* Inline comments are not package names. */
    c = parse_ok("[lsa]\npackages = a ; the only one\n");
    assert_packages(c, five, 1);
    lsa_config_free(c);
}

/* lsa.conf(5): [lsa] in any case; keys are case-sensitive. */
static void test_lsa_section_any_case_keys_exact(void **state)
{
    (void)state;
    static const char *const a[] = { "a" };
    struct lsa_config *c = parse_ok("[LSA]\npackages = a\n");
    assert_packages(c, a, 1);
    lsa_config_free(c);
    c = parse_ok("[Lsa]\npackages = a\nclient_quota = 8k\n");
    assert_int_equal(c->client_quota, 8192);
    lsa_config_free(c);
    parse_fails("[lsa]\nPackages = a\n", NAME ":2: ", "unknown key 'Packages'");
}

static void test_package_list_last_key_wins(void **state)
{
    (void)state;
    static const char *const yz[] = { "y", "z" };
    struct lsa_config *c = parse_ok("[lsa]\npackages = x\npackages = y z\n");
    assert_packages(c, yz, 2);
    lsa_config_free(c);
}

/* lsa.conf(5): an indented line continues the previous key and is passed as a new
 * value of it, so it replaces the previous one. */
static void test_package_list_continuation_replaces(void **state)
{
    (void)state;
    static const char *const c_only[] = { "c" };
    struct lsa_config *c = parse_ok("[lsa]\npackages = a, b\n  c\n");
    assert_packages(c, c_only, 1);
    lsa_config_free(c);
}

static void test_package_list_may_be_empty(void **state)
{
    (void)state;
    struct lsa_config *c = parse_ok("[lsa]\npackages =\n");
    assert_int_equal(c->package_count, 0);
    assert_non_null(c->packages);
    assert_null(c->packages[0]);
    lsa_config_free(c);
}

static void test_package_list_missing(void **state)
{
    (void)state;
    parse_fails("[lsa]\nmode = embedded\n", NAME ": ", "packages");
    parse_fails("[msv1_0]\nkey = value\n", NAME ": ", "packages");
    parse_fails("", NAME ": ", "packages");
    parse_fails("# only a comment\n", NAME ": ", "packages");
}

/* ---- directories ------------------------------------------------------------------------------ */

static void test_directories_must_be_absolute(void **state)
{
    (void)state;
    struct lsa_config *c =
        parse_ok("[lsa]\npackages = a\npackage_dir = /opt/lsa/pkgs\nstate_dir = /srv/lsa\n");
    assert_string_equal(c->package_dir, "/opt/lsa/pkgs");
    assert_string_equal(c->state_dir, "/srv/lsa");
    lsa_config_free(c);
    parse_fails("[lsa]\npackages = a\npackage_dir = lib/lsa\n", NAME ":3: ", "absolute");
    parse_fails("[lsa]\nstate_dir = var/lib/lsa\npackages = a\n", NAME ":2: ", "absolute");
    parse_fails("[lsa]\npackages = a\npackage_dir = ~/lsa\n", NAME ":3: ", "absolute");
    parse_fails("[lsa]\npackages = a\n\npackage_dir =\n", NAME ":4: ", "absolute");
    parse_fails("[lsa]\npackages = a\nstate_dir = ./state\n", NAME ":3: ", "state_dir");
}

/* lsa.conf(5): lines are limited to 199 characters; a longer one is a syntax error,
 * reported on its own line. */
static void test_overlong_line_is_a_syntax_error(void **state)
{
    (void)state;
    char dir[251], text[512];
    dir[0] = '/';
    for (size_t i = 1; i < sizeof(dir) - 1; i++)
        dir[i] = (i % 20 == 0) ? '/' : 'd';
    dir[sizeof(dir) - 1] = '\0';
    snprintf(text, sizeof(text), "[lsa]\npackages = a\npackage_dir = %s\n", dir);
    parse_fails(text, NAME ":3: ", "syntax error");
}

/* 199 characters are fine, and the lines after them keep their numbers. */
static void test_line_of_199_characters(void **state)
{
    (void)state;
    char dir[200], text[512];
    int n = 199 - (int)strlen("package_dir = ");
    dir[0] = '/';
    memset(dir + 1, 'd', (size_t)n - 1);
    dir[n] = '\0';
    snprintf(text, sizeof(text), "[lsa]\npackages = a\npackage_dir = %s\n", dir);
    assert_int_equal(strlen(strchr(strchr(text, '\n') + 1, '\n') + 1), 199 + 1);
    struct lsa_config *c = parse_ok(text);
    assert_string_equal(c->package_dir, dir);
    lsa_config_free(c);
    snprintf(text, sizeof(text), "[lsa]\npackages = a\npackage_dir = %s\nbogus = 1\n", dir);
    parse_fails(text, NAME ":4: ", "unknown key 'bogus'");
}

/* What is past the limit is not read as a line of its own: it cannot set a key. */
static void test_overlong_line_tail_sets_no_key(void **state)
{
    (void)state;
    char pad[191], text[512];
    memset(pad, 'x', sizeof(pad) - 1);
    pad[sizeof(pad) - 1] = '\0';
    snprintf(text, sizeof(text), "[lsa]\npackages = a\n[a]\nnote = %s extra = injected\n", pad);
    struct lsa_config *c = NULL;
    char err[512];
    int rc = lsa_config_parse_string(text, NAME, &c, err, sizeof(err));
    if (rc == 0) {
        for (size_t i = 0; i < c->entry_count; i++)
            fprintf(stderr, "# [%s] %s = %.30s\n", c->entries[i].section, c->entries[i].key,
                    c->entries[i].value);
        lsa_config_free(c);
    }
    assert_int_equal(rc, -1);
    parse_fails(text, NAME ":4: ", "syntax error");
}

/* ---- client_quota ------------------------------------------------------------------------------- */

static void test_client_quota_sizes(void **state)
{
    (void)state;
    static const struct {
        const char *value;
        size_t bytes;
    } sizes[] = {
        { "1", 1 },
        { "4096", 4096 },
        { "64k", 64 * 1024 },
        { "64K", 64 * 1024 },
        { "2M", 2 * 1024 * 1024 },
        { "2m", 2 * 1024 * 1024 },
        { "1G", 1024 * 1024 * 1024 },
        { "1g", 1024 * 1024 * 1024 },
        { "1024M", 1024 * 1024 * 1024 },
        { "1048576k", 1024 * 1024 * 1024 },
        { "1073741824", 1024 * 1024 * 1024 },
    };
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        char text[128];
        snprintf(text, sizeof(text), "[lsa]\npackages = a\nclient_quota = %s\n", sizes[i].value);
        struct lsa_config *c = parse_ok(text);
        if (c->client_quota != sizes[i].bytes)
            fprintf(stderr, "# client_quota = %s\n", sizes[i].value);
        assert_int_equal(c->client_quota, sizes[i].bytes);
        lsa_config_free(c);
    }
}

static void test_client_quota_bounds(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "0",       "0k",          "-1",        "-4096",      "1073741825", "1025M", "1048577k",
        "2G",      "2g",          "12x",       "1kk",        "k",          "0x10",  "4 k",
        "1T",      "99999999999999999999999",  "18446744073709551617k",    "+-5",   "4096.5",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char text[128];
        snprintf(text, sizeof(text), "[lsa]\npackages = a\nclient_quota = %s\n", bad[i]);
        parse_fails(text, NAME ":3: ", "client_quota");
    }
    parse_fails("[lsa]\npackages = a\nclient_quota =\n", NAME ":3: ", "client_quota");
}

/* ---- mode, log_level ------------------------------------------------------------------------------ */

static void test_mode_values(void **state)
{
    (void)state;
    static const struct {
        const char *value;
        enum lsa_mode mode;
    } modes[] = { { "embedded", LSA_MODE_EMBEDDED }, { "daemon", LSA_MODE_DAEMON },
                  { "auto", LSA_MODE_AUTO } };
    for (size_t i = 0; i < 3; i++) {
        char text[128];
        snprintf(text, sizeof(text), "[lsa]\nmode = %s\npackages = a\n", modes[i].value);
        struct lsa_config *c = parse_ok(text);
        assert_int_equal(c->mode, modes[i].mode);
        lsa_config_free(c);
    }
    parse_fails("[lsa]\npackages = a\nmode = turbo\n", NAME ":3: ", "mode");
    parse_fails("[lsa]\npackages = a\nmode =\n", NAME ":3: ", "mode");
}

static void test_log_level_values(void **state)
{
    (void)state;
    static const struct {
        const char *value;
        int level;
    } levels[] = { { "debug", LOG_DEBUG },     { "info", LOG_INFO }, { "notice", LOG_NOTICE },
                   { "warning", LOG_WARNING }, { "err", LOG_ERR },   { "error", LOG_ERR },
                   { "DEBUG", LOG_DEBUG },     { "Warning", LOG_WARNING } };
    for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
        char text[128];
        snprintf(text, sizeof(text), "[lsa]\npackages = a\nlog_level = %s\n", levels[i].value);
        struct lsa_config *c = parse_ok(text);
        assert_int_equal(c->log_level, levels[i].level);
        lsa_config_free(c);
    }
    parse_fails("[lsa]\npackages = a\nlog_level = loud\n", NAME ":3: ", "log_level");
    parse_fails("[lsa]\npackages = a\nlog_level =\n", NAME ":3: ", "log_level");
}

static void test_busy_poll_us_values(void **state)
{
    (void)state;
    struct lsa_config *c = parse_ok("[lsa]\npackages = a\n");
    assert_int_equal(c->busy_poll_us, LSA_DEFAULT_BUSY_POLL_US);
    lsa_config_free(c);
    static const int good[] = { 0, 1, 50, LSA_MAX_BUSY_POLL_US };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        char text[128];
        snprintf(text, sizeof(text), "[lsa]\npackages = a\nbusy_poll_us = %d\n", good[i]);
        c = parse_ok(text);
        assert_int_equal(c->busy_poll_us, good[i]);
        lsa_config_free(c);
    }
    static const char *const bad[] = { "-1", "10001", "50us", "", "lots" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char text[128];
        snprintf(text, sizeof(text), "[lsa]\npackages = a\nbusy_poll_us = %s\n", bad[i]);
        parse_fails(text, NAME ":3: ", "busy_poll_us");
    }
}

/* ---- errors and their lines ------------------------------------------------------------------------ */

static void test_unknown_key_names_its_line(void **state)
{
    (void)state;
    parse_fails("[lsa]\npackages = a\nbogus = 1\n", NAME ":3: ", "unknown key 'bogus'");
    parse_fails("# lsa.conf\n\n; comment\n[lsa]\n\npackages = a\n# x\nclient_quta = 4k\n",
                NAME ":8: ", "unknown key 'client_quta'");
    /* The first error is the one reported. */
    parse_fails("[lsa]\nfirst = 1\nsecond = 2\npackages = a\n", NAME ":2: ", "'first'");
    parse_fails("[lsa]\npackages = a\nmode = bad\nsecond = 2\n", NAME ":3: ", "mode");
}

static void test_key_outside_section(void **state)
{
    (void)state;
    parse_fails("packages = a\n[lsa]\npackages = a\n", NAME ":1: ", "outside a section");
    parse_fails("# header\n\ngreeting = hi\n[lsa]\npackages = a\n", NAME ":3: ",
                "outside a section");
}

static void test_syntax_error_names_its_line(void **state)
{
    (void)state;
    parse_fails("[lsa]\npackages = a\nthis line has no equals sign\n", NAME ":3: ",
                "syntax error");
    parse_fails("[lsa]\npackages = a\n\n\npackage_dir\n", NAME ":5: ", "syntax error");
    parse_fails("[lsa\npackages = a\n", NAME ":1: ", "syntax error");
}

/* An unterminated section header is the error, not what the line after it says. */
static void test_unterminated_section_reported_as_such(void **state)
{
    (void)state;
    parse_fails("[lsa]\npackages = a\n[msv1_0\nkey = value\n", NAME ":3: ", "syntax error");
}

static void test_error_text_fits_small_buffer(void **state)
{
    (void)state;
    struct lsa_config *c = NULL;
    char err[12];
    memset(err, 'x', sizeof(err));
    assert_int_equal(lsa_config_parse_string("[lsa]\nbogus = 1\n", NAME, &c, err, 8), -1);
    assert_null(c);
    assert_non_null(memchr(err, '\0', 8));
    assert_int_equal(err[8], 'x');
    assert_int_equal(strncmp(err, NAME, 7), 0);
}

/* ---- files --------------------------------------------------------------------------------------- */

static char *write_file(const char *text)
{
    const char *tmp = getenv("TMPDIR");
    char *path = malloc(4096);
    assert_non_null(path);
    snprintf(path, 4096, "%s/lsa-test-config-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    return path;
}

static void test_load_file(void **state)
{
    (void)state;
    char *path = write_file("[lsa]\npackages = a b\nclient_quota = 8k\n[a]\nkey = v\n");
    struct lsa_config *c = NULL;
    char err[512];
    assert_int_equal(lsa_config_load(path, &c, err, sizeof(err)), 0);
    assert_string_equal(c->path, path);
    assert_int_equal(c->package_count, 2);
    assert_int_equal(c->client_quota, 8192);
    assert_string_equal(lsa_config_get(c, "a", "key"), "v");
    lsa_config_free(c);
    unlink(path);
    free(path);

    path = write_file("[lsa]\npackages = a\n\nclient_quota = lots\n");
    c = NULL;
    assert_int_equal(lsa_config_load(path, &c, err, sizeof(err)), -1);
    assert_null(c);
    char prefix[4200];
    snprintf(prefix, sizeof(prefix), "%s:4: ", path);
    if (strncmp(err, prefix, strlen(prefix)) != 0)
        fprintf(stderr, "# error \"%s\"\n", err);
    assert_int_equal(strncmp(err, prefix, strlen(prefix)), 0);
    unlink(path);
    free(path);
}

static void test_load_missing_file(void **state)
{
    (void)state;
    struct lsa_config *c = NULL;
    char err[512];
    const char *path = "/nonexistent-lsa-test/lsa.conf";
    assert_int_equal(lsa_config_load(path, &c, err, sizeof(err)), -1);
    assert_null(c);
    char prefix[256];
    snprintf(prefix, sizeof(prefix), "%s: ", path);
    assert_int_equal(strncmp(err, prefix, strlen(prefix)), 0);
    assert_non_null(strstr(err, "cannot open"));
}

static void test_default_path_follows_lsa_config(void **state)
{
    (void)state;
    setenv("LSA_CONFIG", "/some/where/lsa.conf", 1);
    assert_string_equal(lsa_config_default_path(), "/some/where/lsa.conf");
    unsetenv("LSA_CONFIG");
    const char *path = lsa_config_default_path();
    assert_int_equal(path[0], '/');
    assert_non_null(strstr(path, "lsa/lsa.conf"));
    setenv("LSA_CONFIG", "", 1);
    assert_string_equal(lsa_config_default_path(), path);
    unsetenv("LSA_CONFIG");
}

/* ---- package sections -------------------------------------------------------------------------------- */

static void test_package_sections(void **state)
{
    (void)state;
    struct lsa_config *c = parse_ok("[lsa]\npackages = msv1_0 kerberos\n"
                                    "[msv1_0]\naccounts = /etc/lsa/accounts\ngreeting = first\n"
                                    "[kerberos]\nrealm = EXAMPLE.ORG\n"
                                    "[MSV1_0]\ngreeting = last\n");
    assert_string_equal(lsa_config_get(c, "msv1_0", "accounts"), "/etc/lsa/accounts");
    /* Sections compare case-insensitively; the last value wins. */
    assert_string_equal(lsa_config_get(c, "MsV1_0", "accounts"), "/etc/lsa/accounts");
    assert_string_equal(lsa_config_get(c, "msv1_0", "greeting"), "last");
    assert_string_equal(lsa_config_get(c, "kerberos", "realm"), "EXAMPLE.ORG");
    /* Each section keeps its own keys. */
    assert_null(lsa_config_get(c, "kerberos", "greeting"));
    assert_null(lsa_config_get(c, "msv1_0", "realm"));
    assert_null(lsa_config_get(c, "nosuch", "realm"));
    assert_null(lsa_config_get(c, "msv1_0", "missing"));
    /* [lsa] keys are entries too. */
    assert_string_equal(lsa_config_get(c, "lsa", "packages"), "msv1_0 kerberos");
    lsa_config_free(c);
}

static void test_package_section_values(void **state)
{
    (void)state;
    struct lsa_config *c = parse_ok("[lsa]\npackages = a\n[a]\nspaced =   inner  spaces  \n"
                                    "empty =\nequals = x=y\n");
    assert_string_equal(lsa_config_get(c, "a", "spaced"), "inner  spaces");
    assert_string_equal(lsa_config_get(c, "a", "empty"), "");
    assert_string_equal(lsa_config_get(c, "a", "equals"), "x=y");
    lsa_config_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_package_list_separators),
        cmocka_unit_test(test_lsa_section_any_case_keys_exact),
        cmocka_unit_test(test_package_list_last_key_wins),
        cmocka_unit_test(test_package_list_continuation_replaces),
        cmocka_unit_test(test_package_list_may_be_empty),
        cmocka_unit_test(test_package_list_missing),
        cmocka_unit_test(test_directories_must_be_absolute),
        cmocka_unit_test(test_overlong_line_is_a_syntax_error),
        cmocka_unit_test(test_line_of_199_characters),
        cmocka_unit_test(test_overlong_line_tail_sets_no_key),
        cmocka_unit_test(test_client_quota_sizes),
        cmocka_unit_test(test_client_quota_bounds),
        cmocka_unit_test(test_mode_values),
        cmocka_unit_test(test_log_level_values),
        cmocka_unit_test(test_busy_poll_us_values),
        cmocka_unit_test(test_unknown_key_names_its_line),
        cmocka_unit_test(test_key_outside_section),
        cmocka_unit_test(test_syntax_error_names_its_line),
        cmocka_unit_test(test_unterminated_section_reported_as_such),
        cmocka_unit_test(test_error_text_fits_small_buffer),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_load_missing_file),
        cmocka_unit_test(test_default_path_follows_lsa_config),
        cmocka_unit_test(test_package_sections),
        cmocka_unit_test(test_package_section_values),
    };
    return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
