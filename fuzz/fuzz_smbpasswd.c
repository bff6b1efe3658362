/* libFuzzer harness for the account store's parsers (packages/msv1_0/store_smbpasswd.c,
 * store_state.c): any bytes parse - as a whole smbpasswd file, as one line, and as a
 * state file over the accounts found - never crash, leak or read out of bounds; what
 * parses formats back to lines that parse to the same accounts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lsa/ntstatus.h>

#include "store_backend.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The parsers log malformed lines; the fuzzer does not need to see them. */
void msv_pkg_log(int priority, const char *fmt, ...)
{
    (void)priority;
    (void)fmt;
}

static int same_account(const struct msv_account *a, const struct msv_account *b)
{
    return strcmp(a->name, b->name) == 0 && a->uid == b->uid && a->has_nt == b->has_nt &&
           a->has_lm == b->has_lm && (!a->has_nt || memcmp(a->nt_hash, b->nt_hash, 16) == 0) &&
           (!a->has_lm || memcmp(a->lm_hash, b->lm_hash, 16) == 0) &&
           a->acb_flags == b->acb_flags &&
           (uint32_t)a->password_last_set == (uint32_t)b->password_last_set;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Not NUL-terminated on purpose: the parser works by length. */
    char *text = malloc(size ? size : 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);

    struct msv_store_table table;
    msv_table_init(&table);
    if (msv_smbpasswd_parse(text, size, "fuzz", TRUE, &table) == STATUS_SUCCESS) {
        uint64_t generation;
        (void)msv_state_parse(text, size, "fuzz.state", &table, &generation);

        char line[1024];
        for (size_t i = 0; i < table.count; i++) {
            const struct msv_store_entry *e = &table.entries[i];
            if (e->raw != NULL)
                continue;
            int n = msv_smbpasswd_format_line(&e->account, line, sizeof(line));
            if (n < 0 || (size_t)n >= sizeof(line))
                abort(); /* every parsed account can be written */
            struct msv_account back;
            if (msv_smbpasswd_parse_line(line, &back) != STATUS_SUCCESS ||
                !same_account(&e->account, &back))
                abort(); /* and reads back the same */
        }
        char *out;
        size_t out_length;
        if (msv_smbpasswd_format(&table, &out, &out_length) == STATUS_SUCCESS) {
            char *state;
            size_t state_length;
            if (msv_state_format(&table, generation, &state, &state_length) == STATUS_SUCCESS)
                msv_text_free(state, state_length);
            msv_text_free(out, out_length);
        }
        msv_table_clear(&table);
    }

    /* One line, as a C string (stops at the first NUL). */
    char *line = malloc(size + 1);
    if (line != NULL) {
        memcpy(line, data, size);
        line[size] = '\0';
        struct msv_account account;
        (void)msv_smbpasswd_parse_line(line, &account);
        free(line);
    }
    free(text);
    return 0;
}
