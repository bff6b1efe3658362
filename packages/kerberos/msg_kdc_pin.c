/*
 * KerbPinKdcMessage (30), KerbUnpinAllKdcsMessage (31) (unofficial, spec/lsa-api.md §5.4
 * and §8) and KerbQueryKdcProxyCacheMessage (23).
 *
 *   Pin      trusted only (kerb_messages.c).  KERB_PIN_KDC_REQUEST: Realm and KdcAddress
 *            ("host", "host:port", "[v6]:port") both needed, else ProtocolStatus
 *            INVALID_PARAMETER; replaces the realm's previous pin (kdc_pins.h).  Flags and
 *            DcFlags are not used.
 *   Unpin    trusted only.  Forgets every pin.  Always SUCCESS.
 *   QueryKdcProxyCache   there is no KDC proxy (MS-KKDCP) support, so its cache is always
 *            empty: KERB_QUERY_KDC_PROXY_CACHE_RESPONSE with CountOfEntries 0, Entries
 *            NULL.  LogonId follows the session rule (kerb_messages.c).
 */
#include <string.h>

#include <lsa/lsa_util.h>
#include <lsa/ntstatus.h>

#include "kdc_pins.h"
#include "kerb_call.h"
#include "kerb_log.h"
#include "kerb_package.h"
#include "package_reply.h"

NTSTATUS kerb_msg_pin_kdc(struct kerb_call *call)
{
    KERB_PIN_KDC_REQUEST *r = call->submit;
    char *realm = NULL, *address = NULL;
    char safe_realm[KERB_LOG_NAME_SIZE], safe_address[KERB_LOG_NAME_SIZE];
    NTSTATUS status;

    if (!kerb_call_fits(call, sizeof(*r)) || kerb_call_relocate(call, &r->Realm) !=
                                                 STATUS_SUCCESS ||
        kerb_call_relocate(call, &r->KdcAddress) != STATUS_SUCCESS) {
        kerb_log(LOG_INFO, "PinKdc request of %u bytes is malformed", (unsigned)call->length);
        return STATUS_INVALID_PARAMETER;
    }
    if (r->Realm.Length == 0 || r->KdcAddress.Length == 0 ||
        lsa_unicode_string_to_utf8(&r->Realm, &realm, NULL) != STATUS_SUCCESS ||
        lsa_unicode_string_to_utf8(&r->KdcAddress, &address, NULL) != STATUS_SUCCESS) {
        kerb_log(LOG_INFO, "PinKdc needs a realm and a KDC address");
        lsa_free_utf8(realm);
        lsa_free_utf8(address);
        return kerb_call_outcome(call, STATUS_INVALID_PARAMETER);
    }
    status = kerb_pin_kdc(realm, address);
    lsa_log_name(realm, safe_realm, sizeof(safe_realm));
    lsa_log_name(address, safe_address, sizeof(safe_address));
    if (status == STATUS_SUCCESS)
        kerb_log(LOG_NOTICE, "KDC '%s' pinned for realm '%s'", safe_address, safe_realm);
    else
        kerb_log(LOG_NOTICE, "KDC '%s' not pinned for realm '%s' (0x%08x)", safe_address,
                 safe_realm, (unsigned)status);
    lsa_free_utf8(realm);
    lsa_free_utf8(address);
    return kerb_call_outcome(call, status);
}

NTSTATUS kerb_msg_unpin_all_kdcs(struct kerb_call *call)
{
    if (!kerb_call_fits(call, sizeof(KERB_UNPIN_ALL_KDCS_REQUEST))) {
        kerb_log(LOG_INFO, "UnpinAllKdcs request of %u bytes: too short", (unsigned)call->length);
        return STATUS_INVALID_PARAMETER;
    }
    kerb_unpin_all_kdcs();
    kerb_log(LOG_NOTICE, "every pinned KDC forgotten");
    return kerb_call_outcome(call, STATUS_SUCCESS);
}

NTSTATUS kerb_msg_query_kdc_proxy_cache(struct kerb_call *call)
{
    KERB_QUERY_KDC_PROXY_CACHE_REQUEST request;
    KERB_QUERY_KDC_PROXY_CACHE_RESPONSE response;
    NTSTATUS status;

    if (!kerb_call_fits(call, sizeof(request))) {
        kerb_log(LOG_INFO, "QueryKdcProxyCache request of %u bytes: too short",
                 (unsigned)call->length);
        return STATUS_INVALID_PARAMETER;
    }
    memcpy(&request, call->submit, sizeof(request));
    status = kerb_resolve_logon_id(call, &request.LogonId);
    if (status != STATUS_SUCCESS)
        return kerb_call_outcome(call, status);
    memset(&response, 0, sizeof(response));
    response.MessageType = KerbQueryKdcProxyCacheMessage;
    response.CountOfEntries = 0;
    response.Entries = NULL;
    status = pkg_reply_flat(kerb_package.lsa, call->request, &response, sizeof(response),
                            call->return_buffer, call->return_length);
    if (status != STATUS_SUCCESS)
        kerb_log(LOG_ERR, "cannot return the KDC proxy cache reply (0x%08x)", (unsigned)status);
    return kerb_call_outcome(call, status);
}
