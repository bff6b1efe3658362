#include "log.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <lsa/lsa_util.h>

#include "lsa_visibility.h"

static atomic_int log_level = LOG_INFO;
static _Thread_local uint64_t request_id;

void lsa_log_set_request_id(uint64_t id)
{
    request_id = id;
}

void lsa_log_set_level(int priority)
{
    atomic_store(&log_level, priority);
}

int lsa_log_level_from_name(const char *name)
{
    static const struct {
        const char *name;
        int priority;
    } levels[] = {
        { "debug", LOG_DEBUG },     { "info", LOG_INFO }, { "notice", LOG_NOTICE },
        { "warning", LOG_WARNING }, { "err", LOG_ERR },   { "error", LOG_ERR },
    };
    for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++)
        if (strcasecmp(name, levels[i].name) == 0)
            return levels[i].priority;
    return -1;
}

LSA_PUBLIC BOOLEAN lsa_log_enabled(int priority)
{
    return priority <= atomic_load_explicit(&log_level, memory_order_relaxed);
}

LSA_PUBLIC void lsa_log(int priority, const char *fmt, ...)
{
    if (!lsa_log_enabled(priority))
        return;

    char line[1024];
    int prefix = 0;
    if (request_id != 0)
        prefix = snprintf(line, sizeof(line), "req=%" PRIx64 " ", request_id);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + prefix, sizeof(line) - (size_t)prefix, fmt, ap);
    va_end(ap);

    syslog(LOG_AUTHPRIV | priority, "lsa: %s", line);
    const char *to_stderr = getenv("LSA_LOG_STDERR");
    if (to_stderr != NULL && *to_stderr != '\0' && strcmp(to_stderr, "0") != 0)
        fprintf(stderr, "lsa: %s\n", line);
}

LSA_PUBLIC const char *lsa_log_name(const char *name, char *out, size_t out_size)
{
    size_t n = 0;

    if (out_size == 0)
        return out;
    if (name == NULL)
        name = "";
    for (; name[n] != '\0' && n < out_size - 1; n++) {
        unsigned char c = (unsigned char)name[n];
        out[n] = (c < 0x20 || c == 0x7f || c == '\'') ? '?' : (char)c;
    }
    /* Do not end in the middle of a UTF-8 sequence. */
    if (name[n] != '\0') {
        while (n > 0 && ((unsigned char)out[n - 1] & 0xC0) == 0x80)
            n--;
        if (n > 0 && ((unsigned char)out[n - 1] & 0x80) != 0)
            n--;
    }
    out[n] = '\0';
    return out;
}
