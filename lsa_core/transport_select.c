/* Which transport carries this process's calls: lsa.conf mode (lsa.conf(5)).  embedded
 * hosts the LSA here; daemon talks to lsad; auto uses lsad when its socket answers the
 * first time this process needs the LSA, else the embedded LSA. */
#include <pthread.h>
#include <stdatomic.h>

#include <lsa/lsa_ext.h>
#include <lsa/ntstatus.h>

#include "config.h"
#include "core.h"
#include "log.h"
#include "lsa_visibility.h"
#include "transport.h"

static pthread_once_t auto_once = PTHREAD_ONCE_INIT;
static BOOLEAN auto_daemon;
/* lsa_use_embedded_transport: the embedded LSA from now on, whatever lsa.conf says. */
static atomic_bool force_embedded;

static void auto_choose(void)
{
    auto_daemon = lsa_daemon_reachable();
    lsa_log(LOG_DEBUG, "mode = auto: %s", auto_daemon ? "lsad answers, using it"
                                                      : "lsad does not answer, embedded LSA");
}

NTSTATUS lsa_transport_get(const struct lsa_transport **transport)
{
    struct lsa_config *config;
    *transport = &lsa_embedded_transport;
    NTSTATUS status = lsa_process_config(&config);
    if (status != STATUS_SUCCESS)
        return status;
    enum lsa_mode mode = config->mode;
    if (atomic_load(&force_embedded))
        mode = LSA_MODE_EMBEDDED;
    if (mode == LSA_MODE_AUTO) {
        pthread_once(&auto_once, auto_choose);
        mode = auto_daemon ? LSA_MODE_DAEMON : LSA_MODE_EMBEDDED;
    }
    if (mode == LSA_MODE_DAEMON) {
        *transport = &lsa_daemon_transport;
        return STATUS_SUCCESS;
    }
    struct lsa *lsa;
    return lsa_core_get(&lsa);
}

/* <lsa/lsa_ext.h>: the fallback of a daemon-mode process whose lsad does not answer.
 * Refused once a connection to lsad succeeded: its handles name lsad's objects, which
 * the embedded LSA has not got. */
LSA_PUBLIC NTSTATUS lsa_use_embedded_transport(void)
{
    if (lsa_daemon_connected())
        return STATUS_UNSUCCESSFUL;
    struct lsa_config *config;
    NTSTATUS status = lsa_process_config(&config);
    if (status != STATUS_SUCCESS)
        return status;
    struct lsa *lsa;
    status = lsa_core_get(&lsa);
    if (status != STATUS_SUCCESS)
        return status;
    if (!atomic_exchange(&force_embedded, 1) && config->mode != LSA_MODE_EMBEDDED)
        lsa_log(LOG_NOTICE, "the embedded LSA serves this process from now on (lsa_use_embedded_transport)");
    return STATUS_SUCCESS;
}

LSA_PUBLIC const char *lsa_daemon_socket_path(void)
{
    struct lsa_config *config;
    if (lsa_process_config(&config) != STATUS_SUCCESS || config->socket_path == NULL)
        return NULL;
    return config->socket_path;
}
