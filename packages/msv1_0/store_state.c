/*
 * The state file STORE.state: what an smbpasswd file cannot hold.  One line per account
 * whose state is not all zero, in the order of the smbpasswd file:
 *
 *   # msv1_0 generation N
 *   name:bad_count:bad_time:lockout_time:logon_count:last_logon:must_change
 *
 * bad_count and logon_count are unsigned 32-bit decimals, the times signed 64-bit Unix
 * seconds (0 = none), must_change 0 or 1.  '#' lines are comments, except the generation
 * line, which ties a pending state file to its smbpasswd file (store_file.c).  A line
 * for a name the smbpasswd file does not hold is dropped (an account removed by a crash
 * between the two renames, or by Samba); a malformed line is logged ("FILE:LINE:
 * reason") and skipped.  The file is written like the smbpasswd file: atomically, under
 * the store's lock (store_file.c).
 */
#include "store_backend.h"

#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <lsa/ntstatus.h>

void msv_state_clear(struct msv_account *account)
{
    account->bad_password_count = 0;
    account->bad_password_time = 0;
    account->lockout_time = 0;
    account->logon_count = 0;
    account->last_logon = 0;
    account->must_change = FALSE;
}

static int has_state(const struct msv_account *a)
{
    return a->bad_password_count != 0 || a->bad_password_time != 0 || a->lockout_time != 0 ||
           a->logon_count != 0 || a->last_logon != 0 || a->must_change;
}

/* The next ':'-terminated (for the last field: line-terminated) field of [*p, end) as a
 * decimal; negative only when NEGATIVE_OK, at most MAX.  0 on success. */
static int take_number(const char **p, const char *end, int last, int negative_ok, uint64_t max,
                       int64_t *out)
{
    const char *s = *p;
    int negative = s < end && *s == '-';
    if (negative) {
        if (!negative_ok)
            return -1;
        s++;
        max = (uint64_t)INT64_MAX + 1;
    }
    if (s >= end || *s < '0' || *s > '9')
        return -1;
    uint64_t v = 0;
    for (; s < end && *s >= '0' && *s <= '9'; s++) {
        uint64_t digit = (uint64_t)(*s - '0');
        if (digit > max || v > (max - digit) / 10)
            return -1;
        v = v * 10 + digit;
    }
    if (last ? s != end : (s >= end || *s != ':'))
        return -1;
    if (negative)
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    else
        *out = (int64_t)v;
    *p = last ? s : s + 1;
    return 0;
}

static const char *parse_state_line(const char *line, size_t length, char *name,
                                    struct msv_account *state)
{
    const char *end = line + length;
    /* Tolerate a CR of a CRLF file. */
    if (end > line && end[-1] == '\r')
        end--;
    const char *colon = memchr(line, ':', (size_t)(end - line));
    if (colon == NULL)
        return "no ':' in the line";
    size_t name_length = (size_t)(colon - line);
    if (name_length == 0 || name_length > MSV_NAME_MAX)
        return "bad name length";
    memcpy(name, line, name_length);
    name[name_length] = '\0';
    if (msv_name_check(name) != STATUS_SUCCESS)
        return "invalid name";

    const char *p = colon + 1;
    int64_t bad_count, bad_time, lockout_time, logon_count, last_logon, must_change;
    if (take_number(&p, end, 0, 0, UINT32_MAX, &bad_count) != 0)
        return "bad_count is not a 32-bit unsigned number";
    if (take_number(&p, end, 0, 1, INT64_MAX, &bad_time) != 0)
        return "bad_time is not a 64-bit number";
    if (take_number(&p, end, 0, 1, INT64_MAX, &lockout_time) != 0)
        return "lockout_time is not a 64-bit number";
    if (take_number(&p, end, 0, 0, UINT32_MAX, &logon_count) != 0)
        return "logon_count is not a 32-bit unsigned number";
    if (take_number(&p, end, 0, 1, INT64_MAX, &last_logon) != 0)
        return "last_logon is not a 64-bit number";
    if (take_number(&p, end, 1, 0, 1, &must_change) != 0)
        return "must_change is not 0 or 1 (or the line has extra fields)";
    state->bad_password_count = (uint32_t)bad_count;
    state->bad_password_time = bad_time;
    state->lockout_time = lockout_time;
    state->logon_count = (uint32_t)logon_count;
    state->last_logon = last_logon;
    state->must_change = must_change != 0;
    return NULL;
}

NTSTATUS msv_state_parse(const char *text, size_t length, const char *file,
                         struct msv_store_table *table, uint64_t *generation)
{
    size_t count;
    size_t *index = msv_table_sorted_index(table, &count);
    if (index == NULL && count != 0)
        return STATUS_NO_MEMORY;

    char name[MSV_NAME_MAX + 1];
    struct msv_account state;
    unsigned line_number = 0;
    *generation = 0;
    for (size_t pos = 0; pos < length;) {
        const char *line = text + pos;
        const char *newline = memchr(line, '\n', length - pos);
        size_t line_length = newline ? (size_t)(newline - line) : length - pos;
        pos += line_length + (newline != NULL);
        line_number++;

        if (line_length == 0)
            continue;
        if (line[0] == '#') {
            uint64_t g;
            if (msv_parse_generation_line(line, line_length, &g) == 0)
                *generation = g;
            continue;
        }
        const char *reason = parse_state_line(line, line_length, name, &state);
        if (reason != NULL) {
            msv_pkg_log(LOG_WARNING, "%s:%u: malformed state line skipped: %s", file,
                          line_number, reason);
            continue;
        }
        long i = msv_table_sorted_find(table, index, count, name);
        if (i < 0)
            continue; /* the account is gone: the line is dropped at the next write */
        struct msv_account *a = &table->entries[i].account;
        a->bad_password_count = state.bad_password_count;
        a->bad_password_time = state.bad_password_time;
        a->lockout_time = state.lockout_time;
        a->logon_count = state.logon_count;
        a->last_logon = state.last_logon;
        a->must_change = state.must_change;
    }
    free(index);
    return STATUS_SUCCESS;
}

NTSTATUS msv_state_format(const struct msv_store_table *table, uint64_t generation, char **text,
                          size_t *length)
{
    struct msv_buffer buffer = { 0 };
    msv_buffer_printf(&buffer, "# msv1_0 generation %llu\n", (unsigned long long)generation);
    for (size_t i = 0; i < table->count; i++) {
        const struct msv_store_entry *e = &table->entries[i];
        if (e->raw != NULL || !has_state(&e->account))
            continue;
        const struct msv_account *a = &e->account;
        msv_buffer_append(&buffer, a->name, strlen(a->name));
        msv_buffer_printf(&buffer, ":%u:%lld:%lld:%u:%lld:%d\n", (unsigned)a->bad_password_count,
                          (long long)a->bad_password_time, (long long)a->lockout_time,
                          (unsigned)a->logon_count, (long long)a->last_logon,
                          a->must_change ? 1 : 0);
    }
    return msv_buffer_finish(&buffer, text, length);
}
