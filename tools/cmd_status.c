/*
 * `lsa status CODE`: an NTSTATUS explained - its name, value, Win32 error
 * (LsaNtStatusToWinError) and text.  CODE is hex (0xC00000FE, C00000FE), decimal
 * (3221225726, -1073741570) or a name (STATUS_NO_SUCH_PACKAGE, no_such_package).
 * Needs neither an LSA connection nor lsa.conf.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lsa/lsa_status.h>
#include <lsa/ntsecapi.h>

#include "lsa_commands.h"

static int all_chars(const char *s, int (*pred)(int))
{
    if (*s == '\0')
        return 0;
    for (; *s != '\0'; s++)
        if (!pred((unsigned char)*s))
            return 0;
    return 1;
}

static int parse_hex(const char *digits, NTSTATUS *out)
{
    if (strlen(digits) > 8 || !all_chars(digits, isxdigit))
        return -1;
    *out = (NTSTATUS)(uint32_t)strtoul(digits, NULL, 16);
    return 0;
}

static int parse_decimal(const char *text, NTSTATUS *out)
{
    const char *digits = text[0] == '-' ? text + 1 : text;
    if (!all_chars(digits, isdigit))
        return -1;
    errno = 0;
    long long v = strtoll(text, NULL, 10);
    if (errno != 0 || v < INT32_MIN || v > (long long)UINT32_MAX)
        return -1;
    *out = (NTSTATUS)(uint32_t)v;
    return 0;
}

/* Exact name, then upper-cased, then with "STATUS_" prepended. */
static int parse_name(const char *text, NTSTATUS *out)
{
    char upper[128];
    size_t n = strlen(text);
    if (n + sizeof("STATUS_") > sizeof(upper))
        return -1;
    if (lsa_status_from_name(text, out) == 0)
        return 0;
    for (size_t i = 0; i <= n; i++)
        upper[i] = (char)toupper((unsigned char)text[i]);
    if (lsa_status_from_name(upper, out) == 0)
        return 0;
    char prefixed[sizeof(upper) + 8];
    snprintf(prefixed, sizeof(prefixed), "STATUS_%s", upper);
    return lsa_status_from_name(prefixed, out);
}

static int parse_code(const char *text, NTSTATUS *out)
{
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
        return parse_hex(text + 2, out);
    if (parse_decimal(text, out) == 0) /* digits only: decimal */
        return 0;
    if (parse_hex(text, out) == 0)
        return 0;
    return parse_name(text, out);
}

static void print_win32(ULONG error)
{
    const char *name = lsa_win_error_name(error);
    if (error & 0x80000000u) /* an HRESULT-style code (SEC_E_, SCARD_, NTE_) */
        printf("win32: 0x%08X %s\n", (unsigned)error, name ? name : "(no known name)");
    else
        printf("win32: %u %s\n", (unsigned)error, name ? name : "(no known name)");
}

int cmd_status(int argc, char **argv)
{
    int first = 1;
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
        return lsa_command_help(argv[0]);
    if (argc > 1 && strcmp(argv[1], "--") == 0)
        first = 2; /* lsa status -- -1073741570 also works */
    if (argc - first < 1)
        return lsa_usage_error(argv[0], "missing CODE");
    if (argc - first > 1)
        return lsa_usage_error(argv[0], "expected one CODE, got %d arguments", argc - first);

    const char *text = argv[first];
    NTSTATUS status;
    if (parse_code(text, &status) != 0)
        return lsa_usage_error(argv[0],
                               "'%s' is neither a status code (hex such as 0xC00000FE, or "
                               "decimal) nor a known status name",
                               text);

    const char *name = lsa_status_name(status);
    const char *desc = lsa_status_text(status);
    printf("name:  %s\n", name ? name : "(unknown: not in the status table)");
    printf("value: 0x%08X\n", (unsigned)status);
    print_win32(LsaNtStatusToWinError(status));
    printf("text:  %s\n", desc ? desc : "(none)");
    return LSA_EXIT_OK;
}
