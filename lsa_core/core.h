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

/* This process's lsa.conf (lsa_config_default_path()), read on first use: what the
 * transport is chosen from.  STATUS_INVALID_SERVER_STATE, logged once with the file and
 * line, when it cannot be read. */
NTSTATUS lsa_process_config(struct lsa_config **config);

/* The quota of the handle-less calls' return buffers (LsaEnumerateLogonSessions,
 * LsaGetLogonSessionData); NULL without memory or configuration. */
struct lsa_quota *lsa_private_quota(void);
/* A return buffer charged to that quota holding a copy of DATA. */
NTSTATUS lsa_private_return_buffer(const void *data, size_t length, PVOID *buffer);

/* The LSA hosted in this process (embedded mode, or lsad), initialised on first use
 * from lsa_config_default_path().  A configuration
 * that cannot be read gives STATUS_INVALID_SERVER_STATE on every call, logged once
 * with its file and line. */
NTSTATUS lsa_core_get(struct lsa **lsa);
/* The already-initialised LSA (inside a call there always is one). */
struct lsa *lsa_core(void);

#endif
