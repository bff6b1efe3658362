/*
 * LsaCallAuthenticationPackage for the Kerberos package: dispatch on MessageType and
 * the trust matrix (spec/lsa-api.md §1.4, §5.1, §5.4).  Trusted = CallPackage (a handle
 * of LsaRegisterLogonProcess, TCB) and CallPackagePassthrough; untrusted =
 * CallPackageUntrusted (LsaConnectUntrusted).  "Own session" = LogonId 0 or the
 * caller's own LogonId (SECPKG_CLIENT_INFO.LogonId); naming another session untrusted
 * gives ProtocolStatus STATUS_ACCESS_DENIED.
 *
 *   message                              trusted                untrusted
 *   1  QueryTicketCache                  any session            own session
 *   14 QueryTicketCacheEx                any session            own session
 *   20 QueryTicketCacheEx2               any session            ACCESS_DENIED (TCB only)
 *   25 QueryTicketCacheEx3               any session            ACCESS_DENIED (TCB only)
 *   4  RetrieveTicket (the TGT)          any session, with      own session, with the
 *                                        the session key        session key
 *   8  RetrieveEncodedTicket             any session            own session
 *   6  PurgeTicketCache                  any session            own session
 *   15 PurgeTicketCacheEx                any session            own session
 *   7  ChangePassword                    yes                    yes (it proves the old
 *                                                               password)
 *   26 CleanupMachinePkinitCreds         SYSTEM or NETWORK      only its own LogonId,
 *                                        SERVICE (else          which must be SYSTEM or
 *                                        INVALID_PARAMETER)     NETWORK SERVICE
 *   23 QueryKdcProxyCache                any session (empty)    own session (empty)
 *   30 PinKdc, 31 UnpinAllKdcs           yes                    ACCESS_DENIED (TCB only)
 *   0, 2, 3, 5, 9-13, 16-19, 21, 22,
 *   24, 27-29, 32-36 (not implemented)   NOT_IMPLEMENTED        ACCESS_DENIED
 *                                        (function result)
 *   anything else, or fewer than 4 bytes INVALID_PARAMETER (function result)
 *
 * ACCESS_DENIED is the ProtocolStatus of an attempted request (function result
 * STATUS_SUCCESS), as in Wine's untrusted handler and MSV1_0 (packages/msv1_0/messages.c).
 * A session of another package (or none) is ProtocolStatus STATUS_NO_SUCH_LOGON_SESSION.
 *
 * Session keys: KerbRetrieveTicketMessage and KerbRetrieveEncodedTicketMessage return the
 * ticket's session key to trusted callers for any session, and to untrusted callers for
 * their own session (the only one they can name): that is how pam_lsa copies the TGT of
 * the LSA's session into the user's ccache.  Windows withholds the TGT key unless
 * AllowTgtSessionKey is set; this LSA holds its sessions for their own users, so there
 * is nothing to protect from them.
 */
#include "kerb_call.h"

#include <stdint.h>
#include <string.h>

#include <lsa/lsa_util.h>
#include <lsa/ntstatus.h>

#include "kerb_context.h"
#include "kerb_log.h"
#include "kerb_package.h"
#include "kerb_sessions.h"

BOOLEAN kerb_call_fits(const struct kerb_call *call, size_t size)
{
    return call->submit != NULL && lsa_submit_buffer_fits(call->length, size) &&
           ((uintptr_t)call->submit & (_Alignof(PVOID) - 1)) == 0;
}

NTSTATUS kerb_call_relocate(const struct kerb_call *call, PUNICODE_STRING s)
{
    return lsa_relocate_unicode_string(s, call->submit, call->client_base, call->length);
}

BOOLEAN kerb_same_luid(const LUID *a, const LUID *b)
{
    return a->LowPart == b->LowPart && a->HighPart == b->HighPart;
}

NTSTATUS kerb_resolve_logon_id(const struct kerb_call *call, LUID *logon_id)
{
    if (logon_id->LowPart == 0 && logon_id->HighPart == 0) {
        *logon_id = call->caller;
        return STATUS_SUCCESS;
    }
    if (kerb_same_luid(logon_id, &call->caller) || call->trusted)
        return STATUS_SUCCESS;
    kerb_log(LOG_NOTICE, "untrusted caller (session %x:%x) denied access to logon session %x:%x",
             (unsigned)call->caller.HighPart, (unsigned)call->caller.LowPart,
             (unsigned)logon_id->HighPart, (unsigned)logon_id->LowPart);
    return STATUS_ACCESS_DENIED;
}

NTSTATUS kerb_call_outcome(struct kerb_call *call, NTSTATUS status)
{
    *call->protocol_status = status;
    return STATUS_SUCCESS;
}

NTSTATUS kerb_call_context(struct kerb_exchange *x, krb5_context *ctx)
{
    kerb_exchange_init(x, kerb_package.config.kdc_timeout_ms);
    return kerb_context_new(x, TRUE, ctx);
}

NTSTATUS kerb_call_open_ccache(krb5_context ctx, const LUID *logon_id, krb5_ccache *cc)
{
    char name[KERB_CCACHE_NAME_SIZE];
    krb5_error_code code;
    NTSTATUS status = kerb_session_ccache(logon_id, name, sizeof(name));

    *cc = NULL;
    if (status != STATUS_SUCCESS) {
        kerb_log(LOG_INFO, "logon session %x:%x is not a Kerberos session",
                 (unsigned)logon_id->HighPart, (unsigned)logon_id->LowPart);
        return status;
    }
    code = krb5_cc_resolve(ctx, name, cc);
    if (code != 0) {
        kerb_log_krb5_error(LOG_ERR, ctx, code, "cannot open the ticket cache of a session");
        *cc = NULL;
        return STATUS_INTERNAL_ERROR;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS denied(struct kerb_call *call, ULONG message_type)
{
    kerb_log(LOG_NOTICE, "message %u denied to an untrusted caller", (unsigned)message_type);
    return kerb_call_outcome(call, STATUS_ACCESS_DENIED);
}

static NTSTATUS dispatch(struct kerb_call *call, ULONG message_type)
{
    switch (message_type) {
    case KerbQueryTicketCacheMessage:
    case KerbQueryTicketCacheExMessage:
        return kerb_msg_query_ticket_cache(call, message_type);
    case KerbQueryTicketCacheEx2Message:
    case KerbQueryTicketCacheEx3Message:
        return call->trusted ? kerb_msg_query_ticket_cache(call, message_type)
                             : denied(call, message_type);
    case KerbRetrieveTicketMessage:
        return kerb_msg_retrieve_tgt(call);
    case KerbRetrieveEncodedTicketMessage:
        return kerb_msg_retrieve_encoded_ticket(call);
    case KerbPurgeTicketCacheMessage:
        return kerb_msg_purge_ticket_cache(call);
    case KerbPurgeTicketCacheExMessage:
        return kerb_msg_purge_ticket_cache_ex(call);
    case KerbChangePasswordMessage:
        return kerb_msg_change_password(call);
    case KerbCleanupMachinePkinitCredsMessage:
        return kerb_msg_cleanup_machine_pkinit(call); /* decides about untrusted itself */
    case KerbQueryKdcProxyCacheMessage:
        return kerb_msg_query_kdc_proxy_cache(call);
    case KerbPinKdcMessage:
        return call->trusted ? kerb_msg_pin_kdc(call) : denied(call, message_type);
    case KerbUnpinAllKdcsMessage:
        return call->trusted ? kerb_msg_unpin_all_kdcs(call) : denied(call, message_type);
    default:
        if (message_type <= KerbPrintCloudKerberosDebugMessage) {
            if (!call->trusted)
                return denied(call, message_type);
            kerb_log(LOG_INFO, "message %u is not implemented", (unsigned)message_type);
            return STATUS_NOT_IMPLEMENTED;
        }
        kerb_log(LOG_INFO, "unknown message %u", (unsigned)message_type);
        return STATUS_INVALID_PARAMETER;
    }
}

NTSTATUS kerb_call_package(enum kerb_entry entry, PLSA_CLIENT_REQUEST request, PVOID submit,
                           PVOID client_base, ULONG submit_length, PVOID *return_buffer,
                           PULONG return_length, PNTSTATUS protocol_status)
{
    struct kerb_call call = {
        .entry = entry,
        .trusted = entry != KERB_ENTRY_UNTRUSTED,
        .request = request,
        .submit = submit,
        .client_base = client_base,
        .length = submit_length,
        .return_buffer = return_buffer,
        .return_length = return_length,
        .protocol_status = protocol_status,
    };
    SECPKG_CLIENT_INFO info;
    ULONG message_type;
    NTSTATUS status;

    *return_buffer = NULL;
    *return_length = 0;
    *protocol_status = STATUS_SUCCESS;
    status = kerb_package_ready();
    if (status != STATUS_SUCCESS)
        return status;
    if (submit == NULL || !lsa_submit_buffer_fits(submit_length, sizeof(ULONG))) {
        kerb_log(LOG_INFO, "message of %u bytes: too short for a message type",
                 (unsigned)submit_length);
        return *protocol_status = STATUS_INVALID_PARAMETER;
    }
    memcpy(&message_type, submit, sizeof(message_type));
    status = kerb_package.lsa->GetClientInfo(&info);
    if (status != STATUS_SUCCESS) {
        kerb_log(LOG_ERR, "message %u: no information on the caller (0x%08x)",
                 (unsigned)message_type, (unsigned)status);
        return *protocol_status = status;
    }
    call.caller = info.LogonId;

    status = dispatch(&call, message_type);
    if (status != STATUS_SUCCESS) {
        /* Nothing goes back with a failed call (the LSA frees what was left). */
        if (*return_buffer != NULL)
            kerb_package.lsa->FreeClientBuffer(request, *return_buffer);
        *return_buffer = NULL;
        *return_length = 0;
        *protocol_status = status;
    }
    return status;
}
