/* The embedded transport: the LSA core runs inside the calling process, and the caller
 * is this process's effective identity. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lsa/ntstatus.h>

#include "client_memory.h"
#include "connection.h"
#include "core.h"
#include "package_call.h"
#include "server_ops.h"
#include "session.h"
#include "transport.h"

static struct lsa_client_identity self(void)
{
    return (struct lsa_client_identity){ getpid(), geteuid(), getegid(), FALSE, FALSE, 0 };
}

static struct lsa_connection *connection_ref(HANDLE handle)
{
    return (struct lsa_connection *)lsa_handle_ref(handle, LSA_HANDLE_CONNECTION);
}

static NTSTATUS embedded_connect(BOOLEAN trusted, const char *name, size_t name_length,
                                 HANDLE *handle)
{
    struct lsa_client_identity client = self();
    if (trusted && !lsa_client_may_register(&client))
        return STATUS_PORT_CONNECTION_REFUSED;
    struct lsa_connection *conn;
    NTSTATUS status = lsa_connection_new(&client, trusted, name, name_length,
                                         &lsa_embedded_client_memory, &conn);
    if (status != STATUS_SUCCESS)
        return status;
    status = lsa_handle_insert(LSA_HANDLE_CONNECTION, &conn->object, handle);
    if (status != STATUS_SUCCESS)
        lsa_connection_release(conn);
    return status;
}

static NTSTATUS embedded_disconnect(HANDLE handle)
{
    return lsa_handle_close(handle, LSA_HANDLE_CONNECTION);
}

static NTSTATUS embedded_lookup_package(HANDLE handle, const char *name, size_t length, PULONG id)
{
    struct lsa_connection *conn = connection_ref(handle);
    if (conn == NULL)
        return STATUS_INVALID_HANDLE;
    NTSTATUS status = lsa_server_lookup_package(name, length, id);
    lsa_connection_release(conn);
    return status;
}

static NTSTATUS embedded_call_package(HANDLE handle, ULONG id, PVOID submit, ULONG submit_length,
                                      PVOID *return_buffer, PULONG return_length,
                                      PNTSTATUS protocol)
{
    struct lsa_connection *conn = connection_ref(handle);
    if (conn == NULL)
        return STATUS_INVALID_HANDLE;
    NTSTATUS status = lsa_server_call_package(conn, id, submit, submit, submit_length,
                                              return_buffer, return_length, protocol);
    lsa_connection_release(conn);
    return status;
}

static NTSTATUS embedded_logon_user(HANDLE handle, const struct lsa_logon_request *req,
                                    struct lsa_logon_result *res)
{
    struct lsa_connection *conn = connection_ref(handle);
    if (conn == NULL)
        return STATUS_INVALID_HANDLE;
    NTSTATUS status = lsa_server_logon_user(conn, req, res);
    lsa_connection_release(conn);
    return status;
}

static NTSTATUS embedded_enumerate_sessions(PULONG count, PLUID *list)
{
    LUID *ids;
    ULONG n;
    NTSTATUS status = lsa_sessions_list(geteuid(), &ids, &n);
    if (status != STATUS_SUCCESS)
        return status;
    PVOID buffer;
    status = lsa_private_return_buffer(ids, n * sizeof(LUID), &buffer);
    free(ids);
    if (status != STATUS_SUCCESS)
        return status;
    *count = n;
    *list = buffer;
    return STATUS_SUCCESS;
}

static NTSTATUS embedded_get_session_data(PLUID logon_id, PVOID *block, PULONG length)
{
    void *data;
    ULONG size;
    NTSTATUS status = lsa_server_session_data_for(geteuid(), logon_id, &data, &size);
    if (status != STATUS_SUCCESS)
        return status;
    status = lsa_private_return_buffer(data, size, block);
    free(data);
    if (status == STATUS_SUCCESS)
        *length = size;
    return status;
}

static NTSTATUS embedded_terminate_session(HANDLE handle, PLUID logon_id)
{
    struct lsa_connection *conn = connection_ref(handle);
    if (conn == NULL)
        return STATUS_INVALID_HANDLE;
    NTSTATUS status = lsa_server_terminate_session(conn, logon_id);
    lsa_connection_release(conn);
    return status;
}

static NTSTATUS embedded_enumerate_packages(HANDLE handle, LSA_PACKAGE_INFO **packages,
                                            PULONG count)
{
    struct lsa_connection *conn = connection_ref(handle);
    if (conn == NULL)
        return STATUS_INVALID_HANDLE;
    struct lsa *lsa = lsa_core();
    PVOID buffer;
    NTSTATUS status =
        lsa_client_buffer_alloc(conn->quota, lsa->package_count * sizeof(LSA_PACKAGE_INFO), &buffer);
    lsa_connection_release(conn);
    if (status != STATUS_SUCCESS)
        return status;
    LSA_PACKAGE_INFO *info = buffer;
    for (size_t i = 0; i < lsa->package_count; i++) {
        const struct lsa_package *p = &lsa->packages[i];
        info[i].id = p->id;
        snprintf(info[i].name, sizeof(info[i].name), "%s", p->name);
        snprintf(info[i].model, sizeof(info[i].model), "%s",
                 p->model == LSA_PACKAGE_AP ? "AP" : "SSP/AP");
        snprintf(info[i].file, sizeof(info[i].file), "%s", p->file);
    }
    *packages = info;
    *count = (ULONG)lsa->package_count;
    return STATUS_SUCCESS;
}

const struct lsa_transport lsa_embedded_transport = {
    .connect = embedded_connect,
    .disconnect = embedded_disconnect,
    .lookup_package = embedded_lookup_package,
    .call_package = embedded_call_package,
    .logon_user = embedded_logon_user,
    .enumerate_sessions = embedded_enumerate_sessions,
    .get_session_data = embedded_get_session_data,
    .terminate_session = embedded_terminate_session,
    .enumerate_packages = embedded_enumerate_packages,
};

