/*
 * MsV1_0EnumerateUsers and MsV1_0GetUserInfo (spec/lsa-api.md §4.2): the logon sessions
 * this package created (session_records.h).  Trusted callers only (messages.c).
 *
 * EnumerateUsers: MSV1_0_ENUMUSERS_RESPONSE, then the LogonIds array, then the
 * EnumHandles array, both inside the returned block.  GetUserInfo: the strings packed
 * after the structure; UserSid is NULL (sessions here carry no SID); LogonId 0 is the
 * caller's own session; an unknown one is STATUS_NO_SUCH_LOGON_SESSION (ReactOS's
 * STATUS_INSUFFICIENT_RESOURCES is a bug, spec §7.13).
 */
#include <stdlib.h>
#include <string.h>

#include "messages.h"
#include "package_reply.h"
#include "package_state.h"

NTSTATUS msv_msg_enumerate_users(struct msv_call *call)
{
    MSV1_0_ENUMUSERS_RESPONSE *response;
    struct pkg_reply reply;
    LUID *ids;
    ULONG *handles, count, size;
    NTSTATUS status;

    if (!msv_call_fits(call, sizeof(MSV1_0_ENUMUSERS_REQUEST)))
        return STATUS_INVALID_PARAMETER;
    status = msv_sessions_list(msv_package.sessions, &ids, &handles, &count);
    if (status != STATUS_SUCCESS)
        return status;
    /* LUIDs are 4-byte aligned, as are the handles. */
    if (count > (UINT32_MAX - sizeof(*response)) / (sizeof(LUID) + sizeof(ULONG))) {
        status = STATUS_NO_MEMORY;
        goto out;
    }
    size = (ULONG)(sizeof(*response) + count * (sizeof(LUID) + sizeof(ULONG)));
    status = pkg_reply_begin(&reply, msv_package.lsa, call->request, size, sizeof(*response));
    if (status != STATUS_SUCCESS)
        goto out;
    response = (MSV1_0_ENUMUSERS_RESPONSE *)reply.local;
    response->MessageType = MsV1_0EnumerateUsers;
    response->NumberOfLoggedOnUsers = count;
    response->LogonIds = pkg_reply_put(&reply, ids, count * (ULONG)sizeof(LUID), 4);
    response->EnumHandles = pkg_reply_put(&reply, handles, count * (ULONG)sizeof(ULONG), 4);
    status = pkg_reply_end(&reply, call->return_buffer, call->return_length);
    if (status == STATUS_SUCCESS)
        *call->protocol_status = STATUS_SUCCESS;
out:
    free(ids);
    free(handles);
    return status;
}

NTSTATUS msv_msg_get_user_info(struct msv_call *call)
{
    const MSV1_0_GETUSERINFO_REQUEST *request = call->submit;
    const UNICODE_STRING *server = &msv_package.config.logon_server_w;
    MSV1_0_GETUSERINFO_RESPONSE *response;
    struct msv_session_info info;
    struct pkg_reply reply;
    LUID logon_id;
    ULONG size;
    NTSTATUS status;

    if (!msv_call_fits(call, sizeof(*request)))
        return STATUS_INVALID_PARAMETER;
    logon_id = request->LogonId;
    status = msv_resolve_logon_id(call, &logon_id);
    if (status == STATUS_SUCCESS)
        status = msv_sessions_get(msv_package.sessions, &logon_id, &info);
    if (status == STATUS_NO_MEMORY)
        return status;
    if (status != STATUS_SUCCESS) {
        *call->protocol_status = status;
        return STATUS_SUCCESS;
    }
    size = (ULONG)sizeof(*response) + PKG_REPLY_ROOM(info.user.Length) +
           PKG_REPLY_ROOM(info.domain.Length) + PKG_REPLY_ROOM(server->Length);
    status = pkg_reply_begin(&reply, msv_package.lsa, call->request, size, sizeof(*response));
    if (status == STATUS_SUCCESS) {
        response = (MSV1_0_GETUSERINFO_RESPONSE *)reply.local;
        response->MessageType = MsV1_0GetUserInfo;
        response->UserSid = NULL;
        pkg_reply_put_unicode(&reply, &response->UserName, info.user.Buffer, info.user.Length);
        pkg_reply_put_unicode(&reply, &response->LogonDomainName, info.domain.Buffer,
                              info.domain.Length);
        pkg_reply_put_unicode(&reply, &response->LogonServer, server->Buffer, server->Length);
        response->LogonType = info.logon_type;
        status = pkg_reply_end(&reply, call->return_buffer, call->return_length);
    }
    if (status == STATUS_SUCCESS)
        *call->protocol_status = STATUS_SUCCESS;
    msv_session_info_free(&info);
    return status;
}
