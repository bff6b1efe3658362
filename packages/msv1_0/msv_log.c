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
