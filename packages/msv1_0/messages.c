/*
 * Message dispatch and the untrusted-caller matrix (spec/lsa-api.md §1.4, §4.1):
 *
 *   message                                   trusted           untrusted
 *   0  Lm20ChallengeRequest                   yes               yes
 *   1  Lm20GetChallengeResponse               yes               with an explicit password
 *   2  EnumerateUsers, 3 GetUserInfo          yes               ACCESS_DENIED
 *   4  ReLogonUsers                           INVALID_PARAMETER (function result)
 *   5  ChangePassword                         yes               yes (it proves the old password)
 *   7  GenericPassthrough                     yes               ACCESS_DENIED
 *   6, 8-11                                   NOT_IMPLEMENTED (function result)
 *   12-24                                     NOT_IMPLEMENTED   ACCESS_DENIED
 *   anything else, or fewer than 4 bytes      INVALID_PARAMETER (function result)
 *
 * ACCESS_DENIED is the ProtocolStatus of an attempted request.  The passthrough entry
 * (another package's CallPackagePassthrough) is handled as the trusted one.
 */
#include "messages.h"

#include <stdint.h>
#include <string.h>

#include <lsa/lsa_util.h>

#include "package_state.h"

BOOLEAN msv_call_fits(const struct msv_call *call, size_t size)
{
    return call->submit != NULL && lsa_submit_buffer_fits(call->length, size) &&
           ((uintptr_t)call->submit & (_Alignof(PVOID) - 1)) == 0;
}

NTSTATUS msv_resolve_logon_id(const struct msv_call *call, LUID *logon_id)
{
    SECPKG_CLIENT_INFO info;
    NTSTATUS status = msv_package.lsa->GetClientInfo(&info);

    if (status != STATUS_SUCCESS)
        return status;
    if (logon_id->LowPart == 0 && logon_id->HighPart == 0) {
        *logon_id = info.LogonId;
        return STATUS_SUCCESS;
    }
    if (logon_id->LowPart == info.LogonId.LowPart && logon_id->HighPart == info.LogonId.HighPart)
        return STATUS_SUCCESS;
    return call->trusted ? STATUS_SUCCESS : STATUS_ACCESS_DENIED;
}

static NTSTATUS denied(struct msv_call *call)
{
    *call->protocol_status = STATUS_ACCESS_DENIED;
    return STATUS_SUCCESS;
}

NTSTATUS msv_call_package(enum msv_entry entry, PLSA_CLIENT_REQUEST request, PVOID submit,
                          PVOID client_base, ULONG length, PVOID *return_buffer,
                          PULONG return_length, PNTSTATUS protocol_status)
{
    struct msv_call call = {
        .entry = entry,
        .trusted = entry != MSV_ENTRY_UNTRUSTED,
        .request = request,
        .submit = submit,
        .client_base = client_base,
        .length = length,
        .return_buffer = return_buffer,
        .return_length = return_length,
        .protocol_status = protocol_status,
    };
    ULONG message_type;
    NTSTATUS status;

    *return_buffer = NULL;
    *return_length = 0;
    *protocol_status = STATUS_SUCCESS;
    status = msv_package_ready();
    if (status != STATUS_SUCCESS)
        return status;
    if (submit == NULL || !lsa_submit_buffer_fits(length, sizeof(ULONG)))
        return STATUS_INVALID_PARAMETER;
    memcpy(&message_type, submit, sizeof(message_type));

    switch (message_type) {
    case MsV1_0Lm20ChallengeRequest:
        status = msv_msg_challenge_request(&call);
        break;
    case MsV1_0Lm20GetChallengeResponse:
        status = msv_msg_get_challenge_response(&call); /* decides about untrusted itself */
        break;
    case MsV1_0EnumerateUsers:
        status = call.trusted ? msv_msg_enumerate_users(&call) : denied(&call);
        break;
    case MsV1_0GetUserInfo:
        status = call.trusted ? msv_msg_get_user_info(&call) : denied(&call);
        break;
    case MsV1_0ReLogonUsers:
        status = STATUS_INVALID_PARAMETER; /* "not supported" (§4.1 note, §7.2) */
        break;
    case MsV1_0ChangePassword:
        status = msv_msg_change_password(&call);
        break;
    case MsV1_0GenericPassthrough:
        status = call.trusted ? msv_msg_generic_passthrough(&call) : denied(&call);
        break;
    case MsV1_0ChangeCachedPassword:
    case MsV1_0CacheLogon:
    case MsV1_0SubAuth:
    case MsV1_0DeriveCredential:
    case MsV1_0CacheLookup:
        status = STATUS_NOT_IMPLEMENTED;
        break;
    default:
        if (message_type >= MsV1_0SetProcessOption && message_type <= MsV1_0DeleteTbalSecrets)
            status = call.trusted ? STATUS_NOT_IMPLEMENTED : denied(&call);
        else
            status = STATUS_INVALID_PARAMETER;
        break;
    }
    if (status != STATUS_SUCCESS) {
        /* Nothing goes back with a failed call (the LSA frees what was left). */
        if (*return_buffer != NULL)
            msv_package.lsa->FreeClientBuffer(request, *return_buffer);
        *return_buffer = NULL;
        *return_length = 0;
        *protocol_status = status;
    }
    return status;
}
