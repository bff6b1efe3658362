/*
 * The smbpasswd text format (spec/ntlm.md §3), read and written exactly as Samba's
 * source3/passdb/pdb_smbpasswd.c does:
 *
 *   name:uid:LMHASH:NTHASH:[FLAGS      ]:LCT-XXXXXXXX:
 *
 * Writing: hashes as upper-case hex, X×32 for no hash, "NO PASSWORD" padded with X when
 * there is no hash and ACB_PWNOTREQ is set, the flag letters in Samba's encode order in a
 * 13-character bracketed field, "LCT-%08X:" and a newline.
 *
 * Reading: '#' lines and blank lines are comments; the uid is decimal (a '-' or a
 * non-digit makes the line malformed); the LM field must be 32 characters followed by
 * ':' ("NO PASSWORD" sets ACB_PWNOTREQ, '*' or 'X' means no hash, either hex case is
 * accepted); the NT field is optional ("old style" lines), and so are the flags and the
 * LCT; flags decode stops at ']', ':', a newline or an unknown character and 0 becomes
 * ACB_NORMAL; an old-style line whose name ends in '$' is a workstation trust account.
 * Unlike Samba, lines are not cut at 255 bytes: the text is handled by length, and a
 * line that is too long for a valid name is malformed, never an overflow.  Malformed
 * lines are logged ("FILE:LINE: reason") and skipped.
 *
 * The table helpers and the text buffer shared with store_state.c live here too, so
 * the parsers can be linked on their own (the fuzz harness does).
 */
#include "store_backend.h"
#include "array_room.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <lsa/ntstatus.h>

#define NO_HASH "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"
#define NO_PASSWORD "NO PASSWORDXXXXXXXXXXXXXXXXXXXXX"
#define FLAG_FIELD_LENGTH 13 /* NEW_PW_FORMAT_SPACE_PADDED_LEN less the NUL */
#define GENERATION_PREFIX "# msv1_0 generation "
/* Longest line msv_smbpasswd_format_line writes, with its newline and NUL. */
#define LINE_MAX_BYTES (MSV_NAME_MAX + 1 + 10 + 1 + 32 + 1 + 32 + 1 + FLAG_FIELD_LENGTH + 1 + 13 + 2)

/* Samba's encode order. */
static const struct {
    char letter;
    uint32_t flag;
} flag_letters[] = {
    { 'N', ACB_PWNOTREQ }, { 'D', ACB_DISABLED }, { 'H', ACB_HOMDIRREQ }, { 'T', ACB_TEMPDUP },
    { 'U', ACB_NORMAL },   { 'M', ACB_MNS },      { 'W', ACB_WSTRUST },   { 'S', ACB_SVRTRUST },
    { 'L', ACB_AUTOLOCK }, { 'X', ACB_PWNOEXP },  { 'I', ACB_DOMTRUST },
};
#define FLAG_LETTER_COUNT (sizeof(flag_letters) / sizeof(flag_letters[0]))

/* ---- names and the table ------------------------------------------------------------ */

static int fold(int c)
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

int msv_name_equal(const char *a, const char *b)
{
    for (; *a != '\0' && *b != '\0'; a++, b++)
        if (fold((unsigned char)*a) != fold((unsigned char)*b))
            return 0;
    return *a == *b;
}

static int name_compare(const char *a, const char *b)
{
    for (;; a++, b++) {
        int ca = fold((unsigned char)*a), cb = fold((unsigned char)*b);
        if (ca != cb || ca == '\0')
            return ca - cb;
    }
}

static int name_bytes_valid(const char *name, size_t length)
{
    if (length == 0 || length > MSV_NAME_MAX || name[0] == '#')
        return 0;
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c == ':' || c < 0x20 || c == 0x7f)
            return 0;
    }
    return 1;
}

NTSTATUS msv_name_check(const char *name)
{
    if (name == NULL)
        return STATUS_INVALID_ACCOUNT_NAME;
    size_t length = strnlen(name, MSV_NAME_MAX + 1);
    return name_bytes_valid(name, length) ? STATUS_SUCCESS : STATUS_INVALID_ACCOUNT_NAME;
}

void msv_table_init(struct msv_store_table *table)
{
    memset(table, 0, sizeof(*table));
}

static void entry_free(struct msv_store_entry *entry)
{
    if (entry->raw != NULL) {
        explicit_bzero(entry->raw, strlen(entry->raw));
        free(entry->raw);
    }
    explicit_bzero(entry, sizeof(*entry));
}

void msv_table_clear(struct msv_store_table *table)
{
    for (size_t i = 0; i < table->count; i++)
        entry_free(&table->entries[i]);
    free(table->entries);
    msv_table_init(table);
}

NTSTATUS msv_table_append(struct msv_store_table *table, const struct msv_account *account,
                          const char *raw, size_t raw_length)
{
    if (table->count == table->capacity) {
        size_t capacity = table->capacity ? table->capacity * 2 : 16;
        struct msv_store_entry *grown = calloc(capacity, sizeof(*grown));
        if (grown == NULL)
            return STATUS_NO_MEMORY;
        if (table->count > 0) {
            memcpy(grown, table->entries, table->count * sizeof(*grown));
            explicit_bzero(table->entries, table->count * sizeof(*grown));
        }
        free(table->entries);
        table->entries = grown;
        table->capacity = capacity;
    }
    struct msv_store_entry *entry = &table->entries[table->count];
    memset(entry, 0, sizeof(*entry));
    if (raw != NULL) {
        entry->raw = malloc(raw_length + 1);
        if (entry->raw == NULL)
            return STATUS_NO_MEMORY;
        memcpy(entry->raw, raw, raw_length);
        entry->raw[raw_length] = '\0';
    } else {
        entry->account = *account;
    }
    table->count++;
    return STATUS_SUCCESS;
}

long msv_table_find(const struct msv_store_table *table, const char *name)
{
    for (size_t i = 0; i < table->count; i++)
        if (table->entries[i].raw == NULL && msv_name_equal(table->entries[i].account.name, name))
            return (long)i;
    return -1;
}

void msv_table_remove(struct msv_store_table *table, size_t index)
{
    entry_free(&table->entries[index]);
    memmove(&table->entries[index], &table->entries[index + 1],
            (table->count - index - 1) * sizeof(table->entries[0]));
    table->count--;
    memset(&table->entries[table->count], 0, sizeof(table->entries[0]));
}

/* ---- text buffers ------------------------------------------------------------------- */

static int buffer_reserve(struct msv_buffer *buffer, size_t more)
{
    if (buffer->failed)
        return -1;
    if (buffer->capacity - buffer->length > more)
        return 0;
    size_t capacity = buffer->capacity ? buffer->capacity : 1024;
    while (capacity - buffer->length <= more) {
        if (capacity > SIZE_MAX / 2) {
            buffer->failed = TRUE;
            return -1;
        }
        capacity *= 2;
    }
    char *grown = malloc(capacity);
    if (grown == NULL) {
        buffer->failed = TRUE;
        return -1;
    }
    if (buffer->data != NULL) {
        memcpy(grown, buffer->data, buffer->length);
        msv_text_free(buffer->data, buffer->capacity);
    }
    buffer->data = grown;
    buffer->capacity = capacity;
    return 0;
}

void msv_buffer_append(struct msv_buffer *buffer, const char *bytes, size_t length)
{
    if (buffer_reserve(buffer, length) != 0)
        return;
    memcpy(buffer->data + buffer->length, bytes, length);
    buffer->length += length;
    buffer->data[buffer->length] = '\0';
}

void msv_buffer_printf(struct msv_buffer *buffer, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(line))
        buffer->failed = TRUE;
    else
        msv_buffer_append(buffer, line, (size_t)n);
    explicit_bzero(line, sizeof(line));
}

NTSTATUS msv_buffer_finish(struct msv_buffer *buffer, char **text, size_t *length)
{
    if (!buffer->failed && buffer_reserve(buffer, 0) == 0) {
        buffer->data[buffer->length] = '\0';
        *text = buffer->data;
        *length = buffer->length;
        memset(buffer, 0, sizeof(*buffer));
        return STATUS_SUCCESS;
    }
    msv_text_free(buffer->data, buffer->capacity);
    memset(buffer, 0, sizeof(*buffer));
    *text = NULL;
    *length = 0;
    return STATUS_NO_MEMORY;
}

void msv_text_free(char *text, size_t length)
{
    if (text != NULL) {
        explicit_bzero(text, length);
        free(text);
    }
}

/* ---- one line ---------------------------------------------------------------------- */

static int hex_value(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* 0 when P starts with PREFIX, ASCII case-insensitive (locale-free, unlike strncasecmp). */
static int ascii_prefix(const char *p, const char *prefix)
{
    for (; *prefix != '\0'; p++, prefix++)
        if (fold((unsigned char)*p) != fold((unsigned char)*prefix))
            return 1;
    return 0;
}

/* 32 hex digits (either case) → 16 bytes; 0 on success. */
static int parse_hash(const char *p, uint8_t out[16])
{
    for (int i = 0; i < 16; i++) {
        int hi = hex_value((unsigned char)p[2 * i]), lo = hex_value((unsigned char)p[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            explicit_bzero(out, 16);
            return -1;
        }
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

enum line_result { LINE_ACCOUNT, LINE_COMMENT, LINE_MALFORMED };

/* Parses LINE[0..LENGTH) (no newline).  *reason says why a line is malformed, *note
 * describes a field that was accepted but ignored (logged by the caller). */
static enum line_result parse_account(const char *line, size_t length, struct msv_account *a,
                                      const char **reason, const char **note)
{
    const char *p = line, *end = line + length;
    *reason = NULL;
    *note = NULL;
    memset(a, 0, sizeof(*a));

    if (length == 0 || line[0] == '#')
        return LINE_COMMENT;

    const char *colon = memchr(p, ':', length);
    if (colon == NULL) {
        *reason = "no ':' in the line";
        return LINE_MALFORMED;
    }
    size_t name_length = (size_t)(colon - p);
    if (!name_bytes_valid(p, name_length)) {
        *reason = name_length == 0 ? "empty name"
                  : name_length > MSV_NAME_MAX
                      ? "name longer than 256 bytes"
                      : "name with a control character";
        return LINE_MALFORMED;
    }
    memcpy(a->name, p, name_length);
    a->name[name_length] = '\0';
    p = colon + 1;

    /* uid */
    if (p < end && *p == '-') {
        *reason = "negative uid";
        return LINE_MALFORMED;
    }
    if (p >= end || !is_digit(*p)) {
        *reason = "uid is not a number";
        return LINE_MALFORMED;
    }
    uint64_t uid = 0;
    for (; p < end && is_digit(*p); p++) {
        uid = uid * 10 + (uint64_t)(*p - '0');
        if (uid > UINT32_MAX) {
            *reason = "uid out of range";
            return LINE_MALFORMED;
        }
    }
    if (p >= end || *p != ':') {
        *reason = "no ':' after the uid";
        return LINE_MALFORMED;
    }
    a->uid = (uint32_t)uid;
    p++;

    /* LM hash: exactly 32 characters and a ':' */
    if (end - p < 33) {
        *reason = "LM hash field too short";
        return LINE_MALFORMED;
    }
    if (p[32] != ':') {
        *reason = "no ':' after the LM hash";
        return LINE_MALFORMED;
    }
    BOOLEAN no_password = FALSE;
    if (ascii_prefix(p, "NO PASSWORD") == 0) {
        no_password = TRUE;
    } else if (*p != '*' && *p != 'X') {
        if (parse_hash(p, a->lm_hash) == 0)
            a->has_lm = TRUE;
        else
            *note = "LM hash is not hex: the account has no LM hash"; /* as Samba */
    }
    p += 33;

    /* NT hash: optional (old-style lines have none) */
    if (end - p >= 33 && p[32] == ':') {
        if (*p != '*' && *p != 'X') {
            if (parse_hash(p, a->nt_hash) == 0)
                a->has_nt = TRUE;
            else if (ascii_prefix(p, "NO PASSWORD") != 0)
                *note = "NT hash is not hex: the account has no NT hash";
        }
        p += 33;
    }

    /* [FLAGS]:LCT-XXXXXXXX: */
    if (p < end && *p == '[') {
        uint32_t flags = 0;
        for (const char *f = p + 1; f < end; f++) {
            size_t k;
            if (*f == ' ')
                continue;
            for (k = 0; k < FLAG_LETTER_COUNT && flag_letters[k].letter != *f; k++)
                ;
            if (k == FLAG_LETTER_COUNT)
                break; /* ']', ':', or an unknown character */
            flags |= flag_letters[k].flag;
        }
        a->acb_flags = flags != 0 ? flags : ACB_NORMAL;
        const char *close = memchr(p, ']', (size_t)(end - p));
        if (close != NULL)
            p = close + 1;
        if (p < end && *p == ':') {
            p++;
            if (end - p >= 12 && ascii_prefix(p, "LCT-") == 0) {
                uint32_t lct = 0;
                int i;
                for (i = 0; i < 8; i++) {
                    int v = hex_value((unsigned char)p[4 + i]);
                    if (v < 0)
                        break;
                    lct = lct << 4 | (uint32_t)v;
                }
                if (i == 8)
                    a->password_last_set = lct;
            }
        }
    } else {
        /* Old style: fake the account type from the name. */
        a->acb_flags = a->name[name_length - 1] == '$' ? ACB_WSTRUST : ACB_NORMAL;
    }
    if (no_password)
        a->acb_flags |= ACB_PWNOTREQ;
    return LINE_ACCOUNT;
}

NTSTATUS msv_smbpasswd_parse_line(const char *line, struct msv_account *account)
{
    if (line == NULL || account == NULL)
        return STATUS_INVALID_PARAMETER;
    size_t length = strlen(line);
    if (length > 0 && line[length - 1] == '\n')
        length--;
    const char *reason, *note;
    switch (parse_account(line, length, account, &reason, &note)) {
    case LINE_ACCOUNT:
        return STATUS_SUCCESS;
    case LINE_COMMENT:
        return STATUS_NOT_FOUND; /* a comment or blank line: no account */
    default:
        explicit_bzero(account, sizeof(*account));
        return STATUS_INVALID_PARAMETER;
    }
}

static void put_hash(char *out, const uint8_t hash[16])
{
    static const char digits[] = "0123456789ABCDEF";
    for (int i = 0; i < 16; i++) {
        out[2 * i] = digits[hash[i] >> 4];
        out[2 * i + 1] = digits[hash[i] & 0xf];
    }
    out[32] = '\0';
}

int msv_smbpasswd_format_line(const struct msv_account *account, char *out, size_t out_size)
{
    if (account == NULL || msv_name_check(account->name) != STATUS_SUCCESS)
        return -1;
    char lm[33], nt[33], flags[FLAG_FIELD_LENGTH + 1];
    const char *none = (account->acb_flags & ACB_PWNOTREQ) ? NO_PASSWORD : NO_HASH;
    if (account->has_lm)
        put_hash(lm, account->lm_hash);
    else
        memcpy(lm, none, 33);
    if (account->has_nt)
        put_hash(nt, account->nt_hash);
    else
        memcpy(nt, none, 33);

    size_t i = 0;
    flags[i++] = '[';
    for (size_t k = 0; k < FLAG_LETTER_COUNT; k++)
        if (account->acb_flags & flag_letters[k].flag)
            flags[i++] = flag_letters[k].letter;
    while (i < FLAG_FIELD_LENGTH - 1)
        flags[i++] = ' ';
    flags[i++] = ']';
    flags[i] = '\0';

    int n = snprintf(out, out_size, "%s:%u:%s:%s:%s:LCT-%08X:\n", account->name,
                     (unsigned)account->uid, lm, nt, flags,
                     (unsigned)(uint32_t)account->password_last_set);
    explicit_bzero(lm, sizeof(lm));
    explicit_bzero(nt, sizeof(nt));
    return n;
}

/* ---- whole texts ------------------------------------------------------------------- */

struct line_ref {
    size_t start, length;
    unsigned line_number;
};

static int by_name_then_position(const void *x, const void *y, void *context)
{
    const struct msv_store_table *table = context;
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    int c = name_compare(table->entries[a].account.name, table->entries[b].account.name);
    if (c != 0)
        return c;
    return a < b ? -1 : a > b;
}

/* The indexes of TABLE's accounts sorted by folded name (ties in table order); NULL
 * with *count 0 for a table without accounts, NULL with *count 1 when out of memory. */
static size_t *sorted_accounts(const struct msv_store_table *table, size_t *count)
{
    size_t n = 0;
    for (size_t i = 0; i < table->count; i++)
        n += table->entries[i].raw == NULL;
    *count = n;
    if (n == 0)
        return NULL;
    size_t *index = malloc(n * sizeof(*index));
    if (index == NULL) {
        *count = 1;
        return NULL;
    }
    n = 0;
    for (size_t i = 0; i < table->count; i++)
        if (table->entries[i].raw == NULL)
            index[n++] = i;
    qsort_r(index, n, sizeof(*index), by_name_then_position, (void *)table);
    return index;
}

static int parse_generation(const char *line, size_t length, uint64_t *generation)
{
    size_t prefix = sizeof(GENERATION_PREFIX) - 1;
    if (length <= prefix || length > prefix + 19 || memcmp(line, GENERATION_PREFIX, prefix) != 0)
        return -1;
    uint64_t g = 0;
    for (size_t i = prefix; i < length; i++) {
        if (!is_digit(line[i]))
            return -1;
        g = g * 10 + (uint64_t)(line[i] - '0');
    }
    *generation = g;
    return 0;
}

int msv_parse_generation_line(const char *line, size_t length, uint64_t *generation)
{
    return parse_generation(line, length, generation);
}

/* Turns the second and later accounts of one name into raw lines. */
static NTSTATUS demote_duplicates(struct msv_store_table *table, const char *text,
                                  const struct line_ref *refs, const char *file, BOOLEAN keep_raw)
{
    size_t n;
    size_t *index = sorted_accounts(table, &n);
    if (index == NULL)
        return n == 0 ? STATUS_SUCCESS : STATUS_NO_MEMORY;
    BOOLEAN *drop = calloc(table->count, sizeof(*drop));
    if (drop == NULL) {
        free(index);
        return STATUS_NO_MEMORY;
    }
    for (size_t k = 1; k < n; k++) {
        const struct msv_store_entry *first = &table->entries[index[k - 1]];
        const struct msv_store_entry *later = &table->entries[index[k]];
        if (msv_name_equal(first->account.name, later->account.name)) {
            msv_pkg_log(LOG_WARNING,
                          "%s:%u: a second line for user %s; the first one is used, this one "
                          "is skipped",
                          file, refs[index[k]].line_number, later->account.name);
            drop[index[k]] = TRUE;
        }
    }
    free(index);
    NTSTATUS status = STATUS_SUCCESS;
    for (size_t i = table->count; i-- > 0;) {
        if (!drop[i])
            continue;
        if (keep_raw) {
            struct msv_store_entry *e = &table->entries[i];
            char *raw = malloc(refs[i].length + 1);
            if (raw == NULL) {
                status = STATUS_NO_MEMORY;
                break;
            }
            memcpy(raw, text + refs[i].start, refs[i].length);
            raw[refs[i].length] = '\0';
            explicit_bzero(&e->account, sizeof(e->account));
            e->raw = raw;
        } else {
            msv_table_remove(table, i);
        }
    }
    free(drop);
    return status;
}

NTSTATUS msv_smbpasswd_parse(const char *text, size_t length, const char *file, BOOLEAN keep_raw,
                             struct msv_store_table *table)
{
    struct line_ref *refs = NULL;
    size_t refs_capacity = 0;
    NTSTATUS status = STATUS_SUCCESS;
    unsigned line_number = 0;
    struct msv_account account;

    table->generation = 0;
    for (size_t pos = 0; pos < length && status == STATUS_SUCCESS;) {
        const char *line = text + pos;
        const char *newline = memchr(line, '\n', length - pos);
        size_t line_length = newline ? (size_t)(newline - line) : length - pos;
        pos += line_length + (newline != NULL);
        line_number++;

        if (line_number == 1 && parse_generation(line, line_length, &table->generation) == 0)
            continue;
        const char *reason, *note;
        enum line_result kind = parse_account(line, line_length, &account, &reason, &note);
        if (kind == LINE_MALFORMED)
            msv_pkg_log(LOG_WARNING, "%s:%u: malformed line skipped: %s", file, line_number,
                          reason);
        else if (note != NULL)
            msv_pkg_log(LOG_WARNING, "%s:%u: user %s: %s", file, line_number, account.name, note);
        if (kind != LINE_ACCOUNT && !keep_raw)
            continue;
        struct line_ref *grown = lsa_array_room(refs, &refs_capacity, table->count,
                                                sizeof(*refs), 16);
        if (grown == NULL) {
            status = STATUS_NO_MEMORY;
            break;
        }
        refs = grown;
        refs[table->count] = (struct line_ref){ (size_t)(line - text), line_length, line_number };
        if (kind == LINE_ACCOUNT)
            status = msv_table_append(table, &account, NULL, 0);
        else
            status = msv_table_append(table, NULL, line, line_length);
    }
    explicit_bzero(&account, sizeof(account));
    if (status == STATUS_SUCCESS)
        status = demote_duplicates(table, text, refs, file, keep_raw);
    free(refs);
    if (status != STATUS_SUCCESS)
        msv_table_clear(table);
    return status;
}

NTSTATUS msv_smbpasswd_format(const struct msv_store_table *table, char **text, size_t *length)
{
    struct msv_buffer buffer = { 0 };
    char line[LINE_MAX_BYTES];
    if (table->generation > 0)
        msv_buffer_printf(&buffer, GENERATION_PREFIX "%llu\n",
                          (unsigned long long)table->generation);
    for (size_t i = 0; i < table->count; i++) {
        const struct msv_store_entry *e = &table->entries[i];
        if (e->raw != NULL) {
            msv_buffer_append(&buffer, e->raw, strlen(e->raw));
            msv_buffer_append(&buffer, "\n", 1);
            continue;
        }
        int n = msv_smbpasswd_format_line(&e->account, line, sizeof(line));
        if (n < 0 || (size_t)n >= sizeof(line)) {
            buffer.failed = TRUE; /* unreachable: names are checked before they get here */
            break;
        }
        msv_buffer_append(&buffer, line, (size_t)n);
    }
    explicit_bzero(line, sizeof(line));
    return msv_buffer_finish(&buffer, text, length);
}

size_t *msv_table_sorted_index(const struct msv_store_table *table, size_t *count)
{
    return sorted_accounts(table, count);
}

long msv_table_sorted_find(const struct msv_store_table *table, const size_t *index, size_t count,
                           const char *name)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (name_compare(table->entries[index[mid]].account.name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < count && msv_name_equal(table->entries[index[lo]].account.name, name))
        return (long)index[lo];
    return -1;
}
