/* The embedded LSA: read lsa.conf and load the packages once per process. */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>

#include <lsa/ntstatus.h>

#include "log.h"
#include "session.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static struct lsa the_lsa;
static NTSTATUS init_status;

static void core_init(void)
{
    char err[512];
    lsa_function_table_init();
    lsa_sessions_init();
    if (lsa_config_load(lsa_config_default_path(), &the_lsa.config, err, sizeof(err)) != 0) {
        lsa_log(LOG_ERR, "%s", err);
        init_status = STATUS_INVALID_SERVER_STATE;
        return;
    }
    lsa_log_set_level(the_lsa.config->log_level);
    if (the_lsa.config->mode == LSA_MODE_DAEMON) {
        lsa_log(LOG_ERR, "%s: mode = daemon needs lsad, which this build does not have yet",
                the_lsa.config->path);
        init_status = STATUS_INVALID_SERVER_STATE;
        return;
    }
    lsa_packages_load(the_lsa.config, &the_lsa.packages, &the_lsa.package_count);
    if (the_lsa.package_count == 0)
        lsa_log(LOG_WARNING, "%s: no authentication package loaded", the_lsa.config->path);
    init_status = STATUS_SUCCESS;
}

NTSTATUS lsa_core_get(struct lsa **lsa)
{
    pthread_once(&init_once, core_init);
    *lsa = &the_lsa;
    return init_status;
}

struct lsa *lsa_core(void)
{
    return &the_lsa;
}
