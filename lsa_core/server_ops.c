#include "server_ops.h"

#include <lsa/ntstatus.h>

#include "core.h"
#include "session.h"

NTSTATUS lsa_server_lookup_package(const char *name, size_t length, PULONG id)
{
    struct lsa_package *pkg = lsa_package_by_name(name, length);
    if (pkg == NULL)
        return STATUS_NO_SUCH_PACKAGE;
    *id = pkg->id;
    return STATUS_SUCCESS;
}

NTSTATUS lsa_server_session_data_for(uid_t caller, PLUID logon_id, void **block, PULONG length)
{
    uid_t owner;
    gid_t gid;
    BOOLEAN has_unix;
    NTSTATUS status = lsa_session_owner(logon_id, &owner, &gid, &has_unix);
    if (status != STATUS_SUCCESS)
        return status;
    if (caller != 0 && (!has_unix || owner != caller))
        return STATUS_ACCESS_DENIED;
    return lsa_session_data(logon_id, block, length);
}

NTSTATUS lsa_server_terminate_session(struct lsa_connection *conn, PLUID logon_id)
{
    uid_t owner;
    gid_t gid;
    BOOLEAN has_unix;
    NTSTATUS status = lsa_session_owner(logon_id, &owner, &gid, &has_unix);
    if (status == STATUS_SUCCESS && !conn->trusted && (!has_unix || owner != conn->client.uid))
        status = STATUS_ACCESS_DENIED;
    if (status == STATUS_SUCCESS)
        status = lsa_session_terminate(logon_id);
    return status;
}
