/* The checks of the handle-level requests, the same whichever transport carries them:
 * the embedded transport calls them for this process, lsad for its peer. */
#ifndef LSA_CORE_SERVER_OPS_H
#define LSA_CORE_SERVER_OPS_H

#include <sys/types.h>

#include <lsa/ntsecapi.h>

#include "connection.h"

NTSTATUS lsa_server_lookup_package(const char *name, size_t length, PULONG id);
/* The session's data block for CALLER: its owner or root only (spec §1.1). */
NTSTATUS lsa_server_session_data_for(uid_t caller, PLUID logon_id, void **block, PULONG length);
/* A trusted connection ends any session, an untrusted one only its uid's. */
NTSTATUS lsa_server_terminate_session(struct lsa_connection *conn, PLUID logon_id);

#endif
