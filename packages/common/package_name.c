#include "package_name.h"

#include <string.h>

#include <lsa/ntstatus.h>

NTSTATUS pkg_package_name(PLSA_DISPATCH_TABLE dispatch, const char *name, PLSA_STRING *out)
{
    size_t size = strlen(name) + 1;
    PLSA_STRING string;
    PCHAR buffer;

    if (dispatch == NULL || out == NULL)
        return STATUS_INVALID_PARAMETER;
    string = dispatch->AllocateLsaHeap(sizeof(*string));
    buffer = dispatch->AllocateLsaHeap((ULONG)size);
    if (string == NULL || buffer == NULL) {
        dispatch->FreeLsaHeap(string);
        dispatch->FreeLsaHeap(buffer);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    memcpy(buffer, name, size);
    string->Buffer = buffer;
    string->Length = (USHORT)(size - 1);
    string->MaximumLength = (USHORT)size;
    *out = string;
    return STATUS_SUCCESS;
}
