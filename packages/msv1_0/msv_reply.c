#include "msv_reply.h"

#include <string.h>

#include "package_state.h"

static PVOID client_address(PVOID client, ULONG offset)
{
    return (PVOID)((ULONG_PTR)client + offset);
}

NTSTATUS msv_reply_begin(struct msv_reply *reply, PLSA_CLIENT_REQUEST request, ULONG size,
                         ULONG fixed)
{
    PLSA_SECPKG_FUNCTION_TABLE lsa = msv_package.lsa;
    NTSTATUS status;

    memset(reply, 0, sizeof(*reply));
    reply->request = request;
    reply->size = size;
    reply->offset = fixed;
    reply->local = lsa->AllocateLsaHeap(size ? size : 1);
    if (reply->local == NULL)
        return STATUS_NO_MEMORY;
    memset(reply->local, 0, size);
    status = lsa->AllocateClientBuffer(request, size, &reply->client);
    if (status != STATUS_SUCCESS) {
        lsa->FreeLsaHeap(reply->local);
        reply->local = NULL;
        reply->client = NULL;
    }
    return status;
}

PVOID msv_reply_put(struct msv_reply *reply, const void *bytes, ULONG n, ULONG align)
{
    ULONG at;

    if (n == 0)
        return NULL;
    at = (reply->offset + align - 1) & ~(align - 1);
    if (at > reply->size || n > reply->size - at)
        return NULL; /* sized wrong: never write past the image */
    memcpy(reply->local + at, bytes, n);
    reply->offset = at + n;
    return client_address(reply->client, at);
}

void msv_reply_put_unicode(struct msv_reply *reply, PUNICODE_STRING out, const WCHAR *chars,
                           USHORT bytes)
{
    out->Buffer = msv_reply_put(reply, chars, bytes, 2);
    out->Length = out->MaximumLength = out->Buffer != NULL ? bytes : 0;
}

void msv_reply_put_string(struct msv_reply *reply, PSTRING out, const void *chars, USHORT bytes)
{
    out->Buffer = msv_reply_put(reply, chars, bytes, 1);
    out->Length = out->MaximumLength = out->Buffer != NULL ? bytes : 0;
}

NTSTATUS msv_reply_end(struct msv_reply *reply, PVOID *out, PULONG out_length)
{
    PLSA_SECPKG_FUNCTION_TABLE lsa = msv_package.lsa;
    NTSTATUS status = lsa->CopyToClientBuffer(reply->request, reply->size, reply->client,
                                              reply->local);

    explicit_bzero(reply->local, reply->size);
    lsa->FreeLsaHeap(reply->local);
    reply->local = NULL;
    if (status != STATUS_SUCCESS) {
        lsa->FreeClientBuffer(reply->request, reply->client);
        reply->client = NULL;
        return status;
    }
    *out = reply->client;
    *out_length = reply->size;
    return STATUS_SUCCESS;
}

void msv_reply_abort(struct msv_reply *reply)
{
    PLSA_SECPKG_FUNCTION_TABLE lsa = msv_package.lsa;

    if (reply->local != NULL) {
        explicit_bzero(reply->local, reply->size);
        lsa->FreeLsaHeap(reply->local);
    }
    if (reply->client != NULL)
        lsa->FreeClientBuffer(reply->request, reply->client);
    memset(reply, 0, sizeof(*reply));
}

NTSTATUS msv_reply_flat(PLSA_CLIENT_REQUEST request, const void *data, ULONG length, PVOID *out,
                        PULONG out_length)
{
    struct msv_reply reply;
    NTSTATUS status = msv_reply_begin(&reply, request, length, length);

    if (status != STATUS_SUCCESS)
        return status;
    memcpy(reply.local, data, length);
    return msv_reply_end(&reply, out, out_length);
}
