/*
 * test_status.c - LsaNtStatusToWinError() and <lsa/lsa_status.h>.
 *
 * The expectations come from tests/data/ntstatus-win32.tsv, extracted from
 * spec/lsa-api.md §6.6 (not from the implementation), plus the §6.5 algorithm
 * cases.  Data directory: argv[1], else $LSA_TEST_DATADIR, else "tests/data".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <lsa/ntdef.h>
#include <lsa/ntstatus.h>
#include <lsa/winerror.h>
#include <lsa/lsa_status.h>

/* From <lsa/ntsecapi.h>, not included: it pulls in headers unrelated to this test. */
ULONG NTAPI LsaNtStatusToWinError(NTSTATUS Status);

#define MIN_ROWS 95 /* §6.6 has 96 mapped rows; an empty or truncated file must fail */
#define MAX_ROWS 256
#define NAME_MAX_LEN 64

struct row {
    NTSTATUS status;
    ULONG win32;
    char name[NAME_MAX_LEN];
    char win32_name[NAME_MAX_LEN];
    int line;
};

static struct row rows[MAX_ROWS];
static size_t nrows;
static const char *datadir = "tests/data";
static char load_error[600]; /* non-empty: the file could not be read or parsed */

/* Hex with a 0x prefix, else decimal (no octal surprises); the whole field must parse. */
static int parse_u32(const char *s, ULONG *out)
{
    int base = (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10;
    char *end;
    unsigned long v;

    if (*s == '\0')
        return -1;
    v = strtoul(s, &end, base);
    if (*end != '\0' || v > 0xFFFFFFFFul)
        return -1;
    *out = (ULONG)v;
    return 0;
}

static int copy_name(char *dst, const char *src)
{
    size_t n = strlen(src);

    if (n == 0 || n >= NAME_MAX_LEN)
        return -1;
    memcpy(dst, src, n + 1);
    return 0;
}

static int parse_row(char *line, struct row *r)
{
    char *f[4];
    ULONG status;

    line[strcspn(line, "\r\n")] = '\0';
    f[0] = strtok(line, "\t");
    for (int i = 1; i < 4; i++)
        f[i] = strtok(NULL, "\t");
    if (f[3] == NULL || strtok(NULL, "\t") != NULL)
        return -1;
    if (parse_u32(f[0], &status) != 0 || parse_u32(f[2], &r->win32) != 0 ||
        copy_name(r->name, f[1]) != 0 || copy_name(r->win32_name, f[3]) != 0)
        return -1;
    r->status = (NTSTATUS)status;
    return 0;
}

static int load_table(void **state)
{
    char path[512], line[512];
    FILE *fp;
    int lineno = 0;

    (void)state;
    if ((size_t)snprintf(path, sizeof(path), "%s/ntstatus-win32.tsv", datadir) >= sizeof(path)) {
        snprintf(load_error, sizeof(load_error), "data directory path too long");
        return 0;
    }
    fp = fopen(path, "r");
    if (fp == NULL) {
        snprintf(load_error, sizeof(load_error), "cannot open %s", path);
        return 0; /* reported by every data-driven test */
    }
    while (fgets(line, sizeof(line), fp) != NULL) {
        lineno++;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (nrows == MAX_ROWS || parse_row(line, &rows[nrows]) != 0) {
            snprintf(load_error, sizeof(load_error), "%s:%d: bad row", path, lineno);
            break;
        }
        rows[nrows++].line = lineno;
    }
    fclose(fp);
    return 0;
}

static void assert_table_loaded(void)
{
    if (load_error[0] != '\0')
        fail_msg("%s", load_error);
    if (nrows < MIN_ROWS)
        fail_msg("only %zu rows in %s/ntstatus-win32.tsv, expected >= %d", nrows, datadir,
                 MIN_ROWS);
}

/* ---- table-driven: every row of §6.6 ---- */

static void test_table_row_count(void **state)
{
    (void)state;
    assert_table_loaded();
}

static void test_table_win32_mapping(void **state)
{
    (void)state;
    assert_table_loaded();
    for (size_t i = 0; i < nrows; i++) {
        ULONG got = LsaNtStatusToWinError(rows[i].status);

        if (got != rows[i].win32)
            fail_msg("line %d: LsaNtStatusToWinError(%s) = 0x%08X (%u), expected 0x%08X (%s)",
                     rows[i].line, rows[i].name, (unsigned)got, (unsigned)got,
                     (unsigned)rows[i].win32, rows[i].win32_name);
    }
}

static void test_table_names(void **state)
{
    (void)state;
    assert_table_loaded();
    for (size_t i = 0; i < nrows; i++) {
        const char *name = lsa_status_name(rows[i].status);

        if (name == NULL || strcmp(name, rows[i].name) != 0)
            fail_msg("line %d: lsa_status_name(0x%08X) = %s, expected %s", rows[i].line,
                     (unsigned)rows[i].status, name ? name : "NULL", rows[i].name);
    }
}

static void test_table_from_name_round_trip(void **state)
{
    (void)state;
    assert_table_loaded();
    for (size_t i = 0; i < nrows; i++) {
        NTSTATUS st = (NTSTATUS)0x12345678;

        if (lsa_status_from_name(rows[i].name, &st) != 0 || st != rows[i].status)
            fail_msg("line %d: lsa_status_from_name(%s) did not give 0x%08X (got 0x%08X)",
                     rows[i].line, rows[i].name, (unsigned)rows[i].status, (unsigned)st);
    }
}

static void test_table_texts(void **state)
{
    (void)state;
    assert_table_loaded();
    for (size_t i = 0; i < nrows; i++) {
        const char *text = lsa_status_text(rows[i].status);

        if (text == NULL || text[0] == '\0')
            fail_msg("line %d: lsa_status_text(%s) is empty", rows[i].line, rows[i].name);
    }
}

static void test_table_win_error_names(void **state)
{
    (void)state;
    assert_table_loaded();
    for (size_t i = 0; i < nrows; i++) {
        const char *name = lsa_win_error_name(rows[i].win32);

        if (name == NULL || strcmp(name, rows[i].win32_name) != 0)
            fail_msg("line %d: lsa_win_error_name(0x%08X) = %s, expected %s", rows[i].line,
                     (unsigned)rows[i].win32, name ? name : "NULL", rows[i].win32_name);
    }
}

/* ---- §6.5 algorithm ---- */

static void test_success_is_zero(void **state)
{
    (void)state;
    assert_int_equal(LsaNtStatusToWinError(STATUS_SUCCESS), 0);
}

static void test_customer_bit_unchanged(void **state)
{
    (void)state;
    assert_int_equal(LsaNtStatusToWinError((NTSTATUS)0xE0001234u), 0xE0001234u);
    /* Even where the same code without the bit is in the table. */
    assert_int_equal(LsaNtStatusToWinError((NTSTATUS)0xE00000FEu), 0xE00000FEu);
}

static void test_d_treated_as_c(void **state)
{
    (void)state;
    assert_int_equal(LsaNtStatusToWinError((NTSTATUS)0xD00000FEu), 1364);
    assert_int_equal(LsaNtStatusToWinError((NTSTATUS)0xD000006Du), 1326);
}

static void test_facility_low_word(void **state)
{
    (void)state;
    assert_int_equal(LsaNtStatusToWinError((NTSTATUS)0xC0010005u), 5);
    assert_int_equal(LsaNtStatusToWinError((NTSTATUS)0x80070057u), 0x57);
    assert_int_equal(LsaNtStatusToWinError((NTSTATUS)0xC0070005u), 5);
    /* 0xD007 becomes 0xC007 first. */
    assert_int_equal(LsaNtStatusToWinError((NTSTATUS)0xD0070032u), 0x32);
}

static void test_unmapped(void **state)
{
    (void)state;
    assert_int_equal(LsaNtStatusToWinError((NTSTATUS)0xC0DEDEADu), 317);
    assert_int_equal(LsaNtStatusToWinError((NTSTATUS)0xC0DEDEADu), ERROR_MR_MID_NOT_FOUND);
    assert_null(lsa_status_name((NTSTATUS)0xC0DEDEADu));
    assert_null(lsa_status_text((NTSTATUS)0xC0DEDEADu));
    /* Names are exact: the 0xD alias of a known code has none. */
    assert_null(lsa_status_name((NTSTATUS)0xD00000FEu));
}

static void test_from_name_rejects(void **state)
{
    NTSTATUS st = (NTSTATUS)0x12345678;

    (void)state;
    assert_int_equal(lsa_status_from_name("STATUS_BOGUS", &st), -1);
    assert_int_equal(lsa_status_from_name("status_no_such_package", &st), -1);
    assert_int_equal(lsa_status_from_name("STATUS_NO_SUCH_PACKAGE ", &st), -1);
    assert_int_equal(lsa_status_from_name("", &st), -1);
    assert_int_equal(lsa_status_from_name(NULL, &st), -1);
    assert_int_equal(lsa_status_from_name("STATUS_NO_SUCH_PACKAGE", NULL), -1);
    assert_int_equal(st, 0x12345678); /* untouched on failure */
}

static void test_known_names_and_texts(void **state)
{
    NTSTATUS st = 0;

    (void)state;
    assert_string_equal(lsa_status_name(STATUS_NO_SUCH_PACKAGE), "STATUS_NO_SUCH_PACKAGE");
    assert_string_equal(lsa_status_text(STATUS_NO_SUCH_PACKAGE),
                        "The specified authentication package is unknown.");
    assert_int_equal(lsa_status_from_name("STATUS_NO_MORE_ENTRIES", &st), 0);
    assert_int_equal(st, STATUS_NO_MORE_ENTRIES);
    assert_int_equal(LsaNtStatusToWinError(STATUS_NO_MORE_ENTRIES), ERROR_NO_MORE_ITEMS);
}

static void test_win_error_names(void **state)
{
    (void)state;
    assert_string_equal(lsa_win_error_name(1364), "ERROR_NO_SUCH_PACKAGE");
    assert_string_equal(lsa_win_error_name(0x80090354u), "SEC_E_PKINIT_CLIENT_FAILURE");
    assert_string_equal(lsa_win_error_name(317), "ERROR_MR_MID_NOT_FOUND");
    assert_null(lsa_win_error_name(0xDEADBEEFu));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_row_count),
        cmocka_unit_test(test_table_win32_mapping),
        cmocka_unit_test(test_table_names),
        cmocka_unit_test(test_table_from_name_round_trip),
        cmocka_unit_test(test_table_texts),
        cmocka_unit_test(test_table_win_error_names),
        cmocka_unit_test(test_success_is_zero),
        cmocka_unit_test(test_customer_bit_unchanged),
        cmocka_unit_test(test_d_treated_as_c),
        cmocka_unit_test(test_facility_low_word),
        cmocka_unit_test(test_unmapped),
        cmocka_unit_test(test_from_name_rejects),
        cmocka_unit_test(test_known_names_and_texts),
        cmocka_unit_test(test_win_error_names),
    };
    const char *env = getenv("LSA_TEST_DATADIR");

    if (argc > 1)
        datadir = argv[1];
    else if (env != NULL && env[0] != '\0')
        datadir = env;
    return cmocka_run_group_tests(tests, load_table, NULL);
}
