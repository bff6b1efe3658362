/* The LSA of this process: its configuration, its packages, its logon sessions. */
#ifndef LSA_CORE_CORE_H
#define LSA_CORE_CORE_H

#include <pthread.h>

#include <lsa/ntsecapi.h>

#include "config.h"
#include "package.h"

struct lsa {
    struct lsa_config *config;
    struct lsa_package *packages;
    size_t package_count;
};

/* The LSA, initialised on first use from lsa_config_default_path().  A configuration
 * that cannot be read gives STATUS_INVALID_SERVER_STATE on every call, logged once
 * with its file and line. */
NTSTATUS lsa_core_get(struct lsa **lsa);
/* The already-initialised LSA (inside a call there always is one). */
struct lsa *lsa_core(void);

#endif
