/*
 * Where the LSA runs, seen from the client API.  client_api.c checks the caller's
 * arguments and hands each call to a transport: embedded (the LSA in this process) or
 * daemon (lsad over its Unix socket), two implementations of this same table.
 * Return buffers come back as buffers of this process, freed by LsaFreeReturnBuffer.
 */
#ifndef LSA_CORE_TRANSPORT_H
#define LSA_CORE_TRANSPORT_H

#include <lsa/ntsecapi.h>

#include "logon_user.h"

struct lsa_transport {
    NTSTATUS (*connect)(BOOLEAN trusted, const char *name, size_t name_length, HANDLE *handle);
    NTSTATUS (*disconnect)(HANDLE handle);
    NTSTATUS (*lookup_package)(HANDLE handle, const char *name, size_t length, PULONG id);
    NTSTATUS (*call_package)(HANDLE handle, ULONG id, PVOID submit, ULONG submit_length,
                             PVOID *return_buffer, PULONG return_length, PNTSTATUS protocol);
    NTSTATUS (*logon_user)(HANDLE handle, const struct lsa_logon_request *req,
                           struct lsa_logon_result *res);
    NTSTATUS (*enumerate_sessions)(PULONG count, PLUID *list);
    /* The session's data block with string Buffers as offsets from its start. */
    NTSTATUS (*get_session_data)(PLUID logon_id, PVOID *block, PULONG length);
    NTSTATUS (*terminate_session)(HANDLE handle, PLUID logon_id);
    NTSTATUS (*enumerate_packages)(HANDLE handle, LSA_PACKAGE_INFO **packages, PULONG count);
};

/* The transport lsa.conf selects; STATUS_INVALID_SERVER_STATE if the LSA cannot start. */
NTSTATUS lsa_transport_get(const struct lsa_transport **transport);

extern const struct lsa_transport lsa_embedded_transport;
/* lsad over its Unix socket (transport_daemon.c). */
extern const struct lsa_transport lsa_daemon_transport;
/* Whether lsad accepts a connection at lsa.conf's socket now. */
BOOLEAN lsa_daemon_reachable(void);
/* Whether this process ever opened a connection to lsad (lsa_use_embedded_transport). */
BOOLEAN lsa_daemon_connected(void);

#endif
