#include "package_reply.h"

#include <stdint.h>
#include <string.h>

static PVOID client_address(PVOID client, ULONG offset)
{
    return (PVOID)((ULONG_PTR)client + offset);
}

/* Wipes the image (it may hold keys) and frees it if it is not the inline one. */
static void local_free(struct pkg_reply *reply)
{
    if (reply->local == NULL)
        return;
    explicit_bzero(reply->local, reply->size);
    if (reply->local != reply->small)
        reply->lsa->FreeLsaHeap(reply->local);
    reply->local = NULL;
}

NTSTATUS pkg_reply_begin(struct pkg_reply *reply, PLSA_SECPKG_FUNCTION_TABLE lsa,
                         PLSA_CLIENT_REQUEST request, ULONG size, ULONG fixed)
{
    NTSTATUS status;

    reply->lsa = NULL;
    reply->local = NULL;
    reply->client = NULL;
    if (fixed > size)
        return STATUS_INVALID_PARAMETER;
    reply->lsa = lsa;
    reply->request = request;
    reply->size = size;
    reply->offset = fixed;
    reply->local = size <= sizeof(reply->small) ? reply->small : lsa->AllocateLsaHeap(size);
    if (reply->local == NULL)
        return STATUS_NO_MEMORY;
    memset(reply->local, 0, size);
    status = lsa->AllocateClientBuffer(request, size, &reply->client);
    if (status != STATUS_SUCCESS) {
        local_free(reply);
        reply->client = NULL;
    }
    return status;
}

PVOID pkg_reply_reserve(struct pkg_reply *reply, ULONG n, ULONG align, void **local)
{
    uint64_t at;

    *local = NULL;
    if (n == 0 || align == 0 || (align & (align - 1)) != 0)
        return NULL;
    at = ((uint64_t)reply->offset + align - 1) & ~(uint64_t)(align - 1);
    if (at > reply->size || n > reply->size - at)
        return NULL; /* sized wrong: never write past the image */
    reply->offset = (ULONG)(at + n);
    *local = reply->local + at;
    return client_address(reply->client, at);
}

PVOID pkg_reply_put(struct pkg_reply *reply, const void *bytes, ULONG n, ULONG align)
{
    void *local;
    PVOID client = pkg_reply_reserve(reply, n, align, &local);

    if (client != NULL)
        memcpy(local, bytes, n);
    return client;
}

void pkg_reply_put_unicode(struct pkg_reply *reply, PUNICODE_STRING out, const WCHAR *chars,
                           USHORT bytes)
{
    out->Buffer = pkg_reply_put(reply, chars, bytes, 2);
    out->Length = out->MaximumLength = out->Buffer != NULL ? bytes : 0;
}

void pkg_reply_put_string(struct pkg_reply *reply, PSTRING out, const void *chars, USHORT bytes)
{
    out->Buffer = pkg_reply_put(reply, chars, bytes, 1);
    out->Length = out->MaximumLength = out->Buffer != NULL ? bytes : 0;
}

NTSTATUS pkg_reply_end(struct pkg_reply *reply, PVOID *out, PULONG out_length)
{
    PLSA_SECPKG_FUNCTION_TABLE lsa = reply->lsa;
    NTSTATUS status = lsa->CopyToClientBuffer(reply->request, reply->size, reply->client,
                                              reply->local);

    local_free(reply);
    if (status != STATUS_SUCCESS) {
        lsa->FreeClientBuffer(reply->request, reply->client);
        reply->client = NULL;
        return status;
    }
    *out = reply->client;
    *out_length = reply->size;
    return STATUS_SUCCESS;
}

void pkg_reply_abort(struct pkg_reply *reply)
{
    PLSA_SECPKG_FUNCTION_TABLE lsa = reply->lsa;

    if (lsa != NULL)
        local_free(reply);
    if (lsa != NULL && reply->client != NULL)
        lsa->FreeClientBuffer(reply->request, reply->client);
    reply->lsa = NULL;
    reply->client = NULL;
}

NTSTATUS pkg_reply_flat(PLSA_SECPKG_FUNCTION_TABLE lsa, PLSA_CLIENT_REQUEST request,
                        const void *data, ULONG length, PVOID *out, PULONG out_length)
{
    struct pkg_reply reply;
    NTSTATUS status = pkg_reply_begin(&reply, lsa, request, length, length);

    if (status != STATUS_SUCCESS)
        return status;
    memcpy(reply.local, data, length);
    return pkg_reply_end(&reply, out, out_length);
}
