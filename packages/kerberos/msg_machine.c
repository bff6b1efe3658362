/*
 * KerbCleanupMachinePkinitCredsMessage (26) (spec/lsa-api.md §5.4, §5.5): forget the
 * PKINIT device credential of SYSTEM (0x3e7) or NETWORK SERVICE (0x3e4), so the next
 * machine logon uses the keytab (kerb_machine.h).
 *
 *   LogonId neither SYSTEM nor NETWORK SERVICE            ProtocolStatus INVALID_PARAMETER
 *   untrusted caller, LogonId not its own session         ProtocolStatus ACCESS_DENIED
 *   no device credential                                  STATUS_SUCCESS (nothing to do)
 *   device credential                                     its tickets destroyed, SUCCESS
 *
 * No reply buffer.
 */
#include <string.h>

#include <lsa/ntstatus.h>

#include "kerb_call.h"
#include "kerb_log.h"
#include "kerb_machine.h"
#include "kerb_sessions.h"

NTSTATUS kerb_msg_cleanup_machine_pkinit(struct kerb_call *call)
{
    KERB_CLEANUP_MACHINE_PKINIT_CREDS_REQUEST request;
    NTSTATUS status;

    if (!kerb_call_fits(call, sizeof(request))) {
        kerb_log(LOG_INFO, "CleanupMachinePkinitCreds request of %u bytes: too short",
                 (unsigned)call->length);
        return STATUS_INVALID_PARAMETER;
    }
    memcpy(&request, call->submit, sizeof(request));
    if (!kerb_is_machine_session(&request.LogonId)) {
        kerb_log(LOG_INFO, "CleanupMachinePkinitCreds for logon session %x:%x, not SYSTEM or "
                           "NETWORK SERVICE",
                 (unsigned)request.LogonId.HighPart, (unsigned)request.LogonId.LowPart);
        return kerb_call_outcome(call, STATUS_INVALID_PARAMETER);
    }
    if (!call->trusted && !kerb_same_luid(&request.LogonId, &call->caller)) {
        kerb_log(LOG_NOTICE, "CleanupMachinePkinitCreds for logon session %x denied to an "
                             "untrusted caller of another session",
                 (unsigned)request.LogonId.LowPart);
        return kerb_call_outcome(call, STATUS_ACCESS_DENIED);
    }
    status = kerb_machine_cleanup_pkinit(&request.LogonId);
    if (status != STATUS_SUCCESS)
        kerb_log(LOG_ERR, "PKINIT device credential of logon session %x not removed (0x%08x)",
                 (unsigned)request.LogonId.LowPart, (unsigned)status);
    return kerb_call_outcome(call, status);
}
