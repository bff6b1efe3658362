/* Which transport carries this process's calls: lsa.conf mode (lsa.conf(5)).  embedded
 * hosts the LSA here; daemon talks to lsad; auto uses lsad when its socket answers the
 * first time this process needs the LSA, else the embedded LSA. */
#include <pthread.h>

#include <lsa/ntstatus.h>

#include "config.h"
#include "core.h"
#include "log.h"
#include "transport.h"

static pthread_once_t auto_once = PTHREAD_ONCE_INIT;
static BOOLEAN auto_daemon;

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
