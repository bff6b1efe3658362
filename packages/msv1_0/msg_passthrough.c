/*
 * MsV1_0GenericPassthrough (spec/lsa-api.md §4.1-§4.2): on Windows, MSV1_0 carries the
 * request to a domain controller's package named PackageName.  Here this machine is its
 * own (and only) domain, so the request is delivered locally with the LSA's
 * CallPackagePassthrough (function table member 40) to the named package's
 * CallPackagePassthrough entry; a DomainName that is not empty, "." or the configured
 * domain is STATUS_NO_SUCH_DOMAIN (no trust to route it over).  Trusted callers only.
 *
 * The inner bytes get an aligned copy of their own (the target may relocate in place);
 * the target relocates against their client address.  The reply is
 * MSV1_0_PASSTHROUGH_RESPONSE followed by the target's reply, which is freed with
 * FreeReturnBuffer.  ProtocolStatus: the target's, or the call's failure
 * (STATUS_NO_SUCH_PACKAGE, ...).  A passthrough nested in another on the same thread
 * (a loop through this package) is refused with STATUS_NOT_SUPPORTED.
 */
#include <stdint.h>
#include <string.h>

#include <lsa/lsa_util.h>

#include "logon.h"
#include "messages.h"
#include "package_reply.h"
#include "package_state.h"

static _Thread_local int passthrough_depth;

static NTSTATUS deliver(struct msv_call *call, MSV1_0_PASSTHROUGH_REQUEST *r, PVOID data_client)
{
    PLSA_SECPKG_FUNCTION_TABLE lsa = msv_package.lsa;
    MSV1_0_PASSTHROUGH_RESPONSE *response;
    PVOID inner, reply_data = NULL;
    ULONG reply_length = 0, size;
    NTSTATUS call_status, inner_status = STATUS_SUCCESS, status;
    struct pkg_reply reply;

    inner = lsa->AllocateLsaHeap(r->DataLength ? r->DataLength : 1);
    if (inner == NULL)
        return STATUS_NO_MEMORY;
    if (r->DataLength > 0)
        memcpy(inner, r->LogonData, r->DataLength);
    passthrough_depth++;
    call_status = lsa->CallPackagePassthrough(&r->PackageName, data_client, inner, r->DataLength,
                                              &reply_data, &reply_length, &inner_status);
    passthrough_depth--;
    explicit_bzero(inner, r->DataLength);
    lsa->FreeLsaHeap(inner);
    if (call_status != STATUS_SUCCESS) {
        if (reply_data != NULL)
            lsa->FreeReturnBuffer(reply_data);
        *call->protocol_status = call_status;
        return STATUS_SUCCESS;
    }
    if (reply_data == NULL)
        reply_length = 0;
    if (reply_length > UINT32_MAX - sizeof(*response) - 8) {
        lsa->FreeReturnBuffer(reply_data);
        return STATUS_INVALID_PARAMETER;
    }
    size = (ULONG)sizeof(*response) + reply_length;
    status = pkg_reply_begin(&reply, msv_package.lsa, call->request, size, sizeof(*response));
    if (status == STATUS_SUCCESS) {
        response = (MSV1_0_PASSTHROUGH_RESPONSE *)reply.local;
        response->MessageType = MsV1_0GenericPassthrough;
        response->DataLength = reply_length;
        response->ValidationData = pkg_reply_put(&reply, reply_data, reply_length, 8);
        status = pkg_reply_end(&reply, call->return_buffer, call->return_length);
    }
    if (reply_data != NULL)
        lsa->FreeReturnBuffer(reply_data);
    if (status == STATUS_SUCCESS)
        *call->protocol_status = inner_status;
    return status;
}

NTSTATUS msv_msg_generic_passthrough(struct msv_call *call)
{
    MSV1_0_PASSTHROUGH_REQUEST *r = call->submit;
    PVOID data_client, data;

    if (!msv_call_fits(call, sizeof(*r)))
        return STATUS_INVALID_PARAMETER;
    if (lsa_relocate_unicode_string(&r->DomainName, call->submit, call->client_base,
                                    call->length) != STATUS_SUCCESS ||
        lsa_relocate_unicode_string(&r->PackageName, call->submit, call->client_base,
                                    call->length) != STATUS_SUCCESS)
        return STATUS_INVALID_PARAMETER;
    /* Where the inner bytes are in the client: the target relocates against that. */
    data_client = r->LogonData;
    data = data_client;
    if (lsa_relocate_buffer(&data, r->DataLength, call->submit, call->client_base,
                            call->length) != STATUS_SUCCESS)
        return STATUS_INVALID_PARAMETER;
    r->LogonData = data;
    if (!msv_domain_is_ours(&r->DomainName)) {
        *call->protocol_status = STATUS_NO_SUCH_DOMAIN;
        return STATUS_SUCCESS;
    }
    if (passthrough_depth > 0) {
        *call->protocol_status = STATUS_NOT_SUPPORTED;
        return STATUS_SUCCESS;
    }
    return deliver(call, r, data_client);
}
