#include "msv_log.h"

#include <stdarg.h>
#include <stdio.h>

#include <lsa/lsa_util.h>

/* Through the LSA's logger, so [lsa] log_level and LSA_LOG_STDERR hold for the package's
 * lines as for the core's. */
void msv_pkg_log(int priority, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    if (!lsa_log_enabled(priority))
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    lsa_log(priority, "msv1_0: %s", line);
}

const char *msv_log_name(const char *name, char *out, size_t out_size)
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
