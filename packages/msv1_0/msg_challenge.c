/*
 * MsV1_0Lm20ChallengeRequest (spec/lsa-api.md §4.1-§4.2): 8 random bytes, recorded in
 * the challenge table for the caller's connection, so that the network logon that
 * completes the exchange can be checked against them (logon_network.c).
 */
#include <string.h>

#include "messages.h"
#include "package_reply.h"
#include "package_state.h"

NTSTATUS msv_msg_challenge_request(struct msv_call *call)
{
    MSV1_0_LM20_CHALLENGE_RESPONSE response;
    struct lsa_client_unix_info client;
    NTSTATUS status;

    if (!msv_call_fits(call, sizeof(MSV1_0_LM20_CHALLENGE_REQUEST)))
        return STATUS_INVALID_PARAMETER;
    status = msv_package.lsa->lsa_get_client_unix_info(&client);
    if (status != STATUS_SUCCESS)
        return status;
    memset(&response, 0, sizeof(response));
    response.MessageType = MsV1_0Lm20ChallengeRequest;
    status = msv_challenge_issue(msv_package.challenges, client.connection_id,
                                 response.ChallengeToClient);
    if (status != STATUS_SUCCESS)
        return status;
    status = pkg_reply_flat(msv_package.lsa, call->request, &response, sizeof(response), call->return_buffer,
                            call->return_length);
    if (status == STATUS_SUCCESS)
        *call->protocol_status = STATUS_SUCCESS;
    return status;
}
