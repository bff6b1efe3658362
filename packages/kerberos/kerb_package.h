/*
 * The Kerberos package's global state: what SpInitialize received and the
 * configuration.  One instance; read-only after SpInitialize (the session table and the
 * KDC pins lock themselves).
 */
#ifndef KERBEROS_KERB_PACKAGE_H
#define KERBEROS_KERB_PACKAGE_H

#include <lsa/ntsecpkg.h>

#include "kerb_config.h"

#define KERB_PACKAGE_NAME "Kerberos"
#define KERB_PATH_SIZE 1024

struct kerb_package {
    PLSA_SECPKG_FUNCTION_TABLE lsa;
    ULONG_PTR package_id;
    BOOLEAN initialized;
    struct kerb_config config;
};

extern struct kerb_package kerb_package;

/* STATUS_SUCCESS when initialised, else STATUS_INVALID_SERVER_STATE. */
NTSTATUS kerb_package_ready(void);

#endif
