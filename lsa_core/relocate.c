/*
 * Client-buffer relocation (spec/lsa-api.md §2.7): the one place where a client
 * address embedded in a submit buffer becomes a pointer into the LSA's local copy.
 *
 * Addresses are compared as uintptr_t, never as pointers: a client address does not
 * point into any object of this process, so pointer subtraction or comparison on it
 * would be undefined.  The only pointer arithmetic done is SubmitBuffer + offset, and
 * only after offset and offset + Length are known to lie inside the copy.  The client
 * address itself is never dereferenced.
 */
#include <stdint.h>

#include <lsa/lsa_util.h>
#include <lsa/ntstatus.h>

#include "lsa_visibility.h"

/*
 * Map [Client, Client + Length) of the client's buffer at ClientBase onto the local copy
 * SubmitBuffer[0, SubmitLength).  Length > 0.  Wide: UTF-16, so the offset, the length
 * and the local address must be even.  On success *Local points into the copy.
 */
static NTSTATUS locate(uintptr_t Client, size_t Length, void *SubmitBuffer,
                       uintptr_t ClientBase, ULONG SubmitLength, int Wide, void **Local)
{
    uintptr_t offset;

    if (SubmitBuffer == NULL)
        return STATUS_INVALID_PARAMETER;
    /* Below the base: the subtraction would wrap to a huge offset. */
    if (Client < ClientBase)
        return STATUS_INVALID_PARAMETER;
    offset = Client - ClientBase;
    if (offset >= SubmitLength)
        return STATUS_INVALID_PARAMETER;
    /* offset < SubmitLength, so the right side cannot wrap. */
    if (Length > (size_t)SubmitLength - (size_t)offset)
        return STATUS_INVALID_PARAMETER;
    if (Wide) {
        if ((Length & 1u) != 0 || (offset & 1u) != 0)
            return STATUS_INVALID_PARAMETER;
        /* The copy is malloc-aligned, so this only bites a caller that passes an odd
         * SubmitBuffer; a WCHAR pointer must never be misaligned. */
        if ((((uintptr_t)SubmitBuffer + offset) & 1u) != 0)
            return STATUS_INVALID_PARAMETER;
    }
    *Local = (unsigned char *)SubmitBuffer + offset;
    return STATUS_SUCCESS;
}

LSA_PUBLIC NTSTATUS lsa_relocate_unicode_string(PUNICODE_STRING String, PVOID SubmitBuffer,
                                                PVOID ClientBufferBase,
                                                ULONG SubmitBufferLength)
{
    void *local;
    NTSTATUS status;

    if (String == NULL || String->Length > String->MaximumLength)
        return STATUS_INVALID_PARAMETER;
    if (String->Length == 0) {
        String->Buffer = NULL;
        String->MaximumLength = 0;
        return STATUS_SUCCESS;
    }
    if (String->Buffer == NULL)
        return STATUS_INVALID_PARAMETER;
    status = locate((uintptr_t)(void *)String->Buffer, String->Length, SubmitBuffer,
                    (uintptr_t)ClientBufferBase, SubmitBufferLength, 1, &local);
    if (!NT_SUCCESS(status))
        return status;
    String->Buffer = local;
    String->MaximumLength = String->Length;
    return STATUS_SUCCESS;
}

LSA_PUBLIC NTSTATUS lsa_relocate_string(PSTRING String, PVOID SubmitBuffer,
                                        PVOID ClientBufferBase, ULONG SubmitBufferLength)
{
    void *local;
    NTSTATUS status;

    if (String == NULL || String->Length > String->MaximumLength)
        return STATUS_INVALID_PARAMETER;
    if (String->Length == 0) {
        String->Buffer = NULL;
        String->MaximumLength = 0;
        return STATUS_SUCCESS;
    }
    if (String->Buffer == NULL)
        return STATUS_INVALID_PARAMETER;
    status = locate((uintptr_t)(void *)String->Buffer, String->Length, SubmitBuffer,
                    (uintptr_t)ClientBufferBase, SubmitBufferLength, 0, &local);
    if (!NT_SUCCESS(status))
        return status;
    String->Buffer = local;
    String->MaximumLength = String->Length;
    return STATUS_SUCCESS;
}

LSA_PUBLIC NTSTATUS lsa_relocate_buffer(PVOID *Pointer, ULONG Length, PVOID SubmitBuffer,
                                        PVOID ClientBufferBase, ULONG SubmitBufferLength)
{
    void *local;
    NTSTATUS status;

    if (Pointer == NULL)
        return STATUS_INVALID_PARAMETER;
    if (Length == 0) {
        *Pointer = NULL;
        return STATUS_SUCCESS;
    }
    if (*Pointer == NULL)
        return STATUS_INVALID_PARAMETER;
    status = locate((uintptr_t)*Pointer, Length, SubmitBuffer, (uintptr_t)ClientBufferBase,
                    SubmitBufferLength, 0, &local);
    if (!NT_SUCCESS(status))
        return status;
    *Pointer = local;
    return STATUS_SUCCESS;
}

LSA_PUBLIC BOOLEAN lsa_submit_buffer_fits(ULONG SubmitBufferLength, size_t StructSize)
{
    return (size_t)SubmitBufferLength >= StructSize ? TRUE : FALSE;
}
