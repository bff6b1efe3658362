/* Until the message handlers land (messages.am): every message is refused. */
#include "kerb_messages.h"

#include <lsa/ntstatus.h>

NTSTATUS kerb_call_package(enum kerb_entry entry, PLSA_CLIENT_REQUEST request, PVOID submit,
                           PVOID client_base, ULONG submit_length, PVOID *return_buffer,
                           PULONG return_length, PNTSTATUS protocol_status)
{
    (void)entry, (void)request, (void)submit, (void)client_base, (void)submit_length;
    *return_buffer = NULL;
    *return_length = 0;
    *protocol_status = STATUS_NOT_IMPLEMENTED;
    return STATUS_SUCCESS;
}
