/*
 * The MSV1_0 package's global state: what SpInitialize received (the LSA's function
 * table, the package id), the configuration, the challenges it issued and the logon
 * sessions it created.  One instance (msv_package): the .so has a single
 * SECPKG_FUNCTION_TABLE.  Everything except the two tables is read-only after
 * SpInitialize; the tables lock themselves.
 */
#ifndef MSV1_0_PACKAGE_STATE_H
#define MSV1_0_PACKAGE_STATE_H

#include <pthread.h>

#include <lsa/ntsecpkg.h>

#include "challenge_table.h"
#include "msv1_0_config.h"
#include "session_records.h"

#define MSV_PACKAGE_NAME "MICROSOFT_AUTHENTICATION_PACKAGE_V1_0"

struct msv_package {
    PLSA_SECPKG_FUNCTION_TABLE lsa;
    ULONG_PTR package_id;
    BOOLEAN initialized;
    struct msv_config config;
    struct msv_challenge_table *challenges;
    struct msv_session_records *sessions;
};

extern struct msv_package msv_package;

/* Every entry point but LogonTerminated starts here: STATUS_SUCCESS when the package
 * may work, STATUS_INVALID_SERVER_STATE when it is not initialised or its
 * configuration turned out bad. */
NTSTATUS msv_package_ready(void);

#endif
