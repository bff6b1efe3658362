#include "kerb_log.h"

#include <stdarg.h>
#include <stdio.h>

void kerb_log(int priority, const char *fmt, ...)
{
    char line[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    lsa_log(priority, "kerberos: %s", line);
}
