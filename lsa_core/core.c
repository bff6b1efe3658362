/* This process's lsa.conf, read once; and the LSA it hosts (embedded mode, or lsad):
 * the packages loaded once per process. */
#include "core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lsa/ntstatus.h>

#include "client_memory.h"
#include "log.h"
#include "session.h"

static pthread_once_t config_once = PTHREAD_ONCE_INIT;
static struct lsa_config *process_config;
static NTSTATUS config_status;

static void config_init(void)
{
    char err[512];
    if (lsa_config_load(lsa_config_default_path(), &process_config, err, sizeof(err)) != 0) {
        lsa_log(LOG_ERR, "%s", err);
        config_status = STATUS_INVALID_SERVER_STATE;
        return;
    }
    lsa_log_set_level(process_config->log_level);
    config_status = STATUS_SUCCESS;
}

NTSTATUS lsa_process_config(struct lsa_config **config)
{
    pthread_once(&config_once, config_init);
    *config = process_config;
    return config_status;
}

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static struct lsa the_lsa;
static NTSTATUS init_status;

static void core_init(void)
{
    lsa_function_table_init();
    lsa_sessions_init();
    init_status = lsa_process_config(&the_lsa.config);
    if (init_status != STATUS_SUCCESS)
        return;
    lsa_packages_load(the_lsa.config, &the_lsa.packages, &the_lsa.package_count);
    if (the_lsa.package_count == 0)
        lsa_log(LOG_WARNING, "%s: no authentication package loaded", the_lsa.config->path);
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

/* LsaEnumerateLogonSessions and LsaGetLogonSessionData take no handle; their buffers
 * are charged to one process-wide quota, like the client library's private connection
 * on Windows. */
static pthread_once_t private_quota_once = PTHREAD_ONCE_INIT;
static struct lsa_quota *private_quota_value;

static void private_quota_init(void)
{
    struct lsa_config *config;
    if (lsa_process_config(&config) == STATUS_SUCCESS)
        private_quota_value = lsa_quota_new(config->client_quota);
}

struct lsa_quota *lsa_private_quota(void)
{
    pthread_once(&private_quota_once, private_quota_init);
    return private_quota_value;
}

NTSTATUS lsa_private_return_buffer(const void *data, size_t length, PVOID *buffer)
{
    struct lsa_quota *quota = lsa_private_quota();
    if (quota == NULL)
        return STATUS_NO_MEMORY;
    NTSTATUS status = lsa_client_buffer_alloc(quota, length, buffer);
    if (status == STATUS_SUCCESS && length > 0)
        memcpy(*buffer, data, length);
    return status;
}
