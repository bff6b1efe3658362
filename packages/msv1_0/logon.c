/*
 * LsaLogonUser: dispatch on the logon type, and what the interactive and network
 * logons share.  The outputs the LSA frees (AccountName, AuthenticatingAuthority) are
 * each a UNICODE_STRING and a Buffer in two AllocateLsaHeap blocks, returned on failure
 * too (docs/writing-a-package.md §6).  Token information is LsaTokenInformationNull
 * with no groups: the LSA builds the Linux identity from the account name.
 */
#include "logon.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lsa/lsa_status.h>
#include <lsa/lsa_util.h>

#include "credential.h"
#include "msv_log.h"
#include "package_state.h"

BOOLEAN msv_submit_fits(PVOID submit, ULONG length, size_t size)
{
    return submit != NULL && lsa_submit_buffer_fits(length, size) &&
           ((uintptr_t)submit & (_Alignof(PVOID) - 1)) == 0;
}

/* A UNICODE_STRING for the LSA to keep and free: structure and Buffer are two blocks. */
static PUNICODE_STRING heap_string(const WCHAR *chars, USHORT bytes)
{
    PLSA_SECPKG_FUNCTION_TABLE lsa = msv_package.lsa;
    PUNICODE_STRING s = lsa->AllocateLsaHeap(sizeof(*s));
    PWSTR buffer = lsa->AllocateLsaHeap((ULONG)bytes + sizeof(WCHAR));

    if (s == NULL || buffer == NULL) {
        lsa->FreeLsaHeap(s);
        lsa->FreeLsaHeap(buffer);
        return NULL;
    }
    if (bytes > 0)
        memcpy(buffer, chars, bytes);
    buffer[bytes / sizeof(WCHAR)] = 0;
    s->Buffer = buffer;
    s->Length = bytes;
    s->MaximumLength = (USHORT)(bytes + sizeof(WCHAR));
    return s;
}

static void free_heap_string(PUNICODE_STRING s)
{
    if (s == NULL)
        return;
    msv_package.lsa->FreeLsaHeap(s->Buffer);
    msv_package.lsa->FreeLsaHeap(s);
}

BOOLEAN msv_domain_is_ours(PCUNICODE_STRING domain)
{
    static const WCHAR dot = u'.';

    if (domain->Length == 0)
        return TRUE;
    if (domain->Length == sizeof(WCHAR) && domain->Buffer[0] == dot)
        return TRUE;
    return lsa_unicode_string_equal(domain, &msv_package.config.domain_w, TRUE);
}

NTSTATUS msv_logon_take_names(struct msv_logon *l, PCUNICODE_STRING user, PCUNICODE_STRING domain)
{
    UNICODE_STRING user_copy = *user, domain_copy = *domain;

    *l->account_name = heap_string(user->Buffer, user->Length);
    *l->authority = heap_string(msv_package.config.domain_w.Buffer,
                                msv_package.config.domain_w.Length);
    if (*l->account_name == NULL || *l->authority == NULL)
        return STATUS_NO_MEMORY;
    if (user->Length == 0)
        return STATUS_INVALID_PARAMETER;
    if (lsa_unicode_string_to_utf8(&user_copy, &l->user, NULL) != STATUS_SUCCESS ||
        lsa_unicode_string_to_utf8(&domain_copy, &l->domain, NULL) != STATUS_SUCCESS)
        return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}

NTSTATUS msv_logon_set_account_name(struct msv_logon *l, const char *name)
{
    UNICODE_STRING w;
    PUNICODE_STRING s;

    if (l->user != NULL && strcmp(l->user, name) == 0)
        return STATUS_SUCCESS; /* sent as stored: the common case, without a conversion */
    if (lsa_utf8_to_unicode_string(name, strlen(name), &w) != STATUS_SUCCESS)
        return STATUS_SUCCESS; /* keep the name as sent */
    if (*l->account_name != NULL && lsa_unicode_string_equal(&w, *l->account_name, FALSE)) {
        lsa_free_unicode_string(&w); /* already spelt as stored */
        return STATUS_SUCCESS;
    }
    s = heap_string(w.Buffer, w.Length);
    lsa_free_unicode_string(&w);
    if (s == NULL)
        return STATUS_NO_MEMORY;
    free_heap_string(*l->account_name);
    *l->account_name = s;
    return STATUS_SUCCESS;
}

NTSTATUS msv_logon_create_session(struct msv_logon *l)
{
    PLSA_SECPKG_FUNCTION_TABLE lsa = msv_package.lsa;
    NTSTATUS status = STATUS_LOGON_SESSION_COLLISION;

    for (int attempt = 0; attempt < 16 && status == STATUS_LOGON_SESSION_COLLISION; attempt++) {
        status = lsa->lsa_allocate_luid(l->logon_id);
        if (status == STATUS_SUCCESS)
            status = lsa->CreateLogonSession(l->logon_id);
    }
    if (status != STATUS_SUCCESS) {
        memset(l->logon_id, 0, sizeof(*l->logon_id));
        return status;
    }
    l->session_made = TRUE;
    return STATUS_SUCCESS;
}

static void undo_session(struct msv_logon *l)
{
    if (!l->session_made)
        return;
    msv_sessions_remove(msv_package.sessions, l->logon_id);
    msv_package.lsa->DeleteLogonSession(l->logon_id);
    memset(l->logon_id, 0, sizeof(*l->logon_id));
    l->session_made = FALSE;
}

NTSTATUS msv_logon_complete(struct msv_logon *l, const struct msv_account *account,
                            const uint8_t *credential_nt_hash,
                            NTSTATUS (*build_profile)(struct msv_logon *, void *), void *context)
{
    PCUNICODE_STRING domain = &msv_package.config.domain_w;
    NTSTATUS status = msv_logon_set_account_name(l, account->name);

    if (status == STATUS_SUCCESS)
        status = msv_logon_create_session(l);
    if (status == STATUS_SUCCESS && credential_nt_hash != NULL)
        status = msv_credential_add(l->logon_id, credential_nt_hash, *l->account_name, domain);
    if (status == STATUS_SUCCESS)
        status = msv_sessions_add(msv_package.sessions, l->logon_id, l->logon_type,
                                  *l->account_name, domain);
    if (status == STATUS_SUCCESS)
        status = build_profile(l, context);
    if (status != STATUS_SUCCESS)
        undo_session(l);
    return status;
}

static const char *logon_type_name(SECURITY_LOGON_TYPE type)
{
    switch (type) {
    case Interactive:
        return "interactive";
    case Network:
        return "network";
    case Batch:
        return "batch";
    case Service:
        return "service";
    case NetworkCleartext:
        return "network cleartext";
    default:
        return "unsupported";
    }
}

static void log_outcome(const struct msv_logon *l, NTSTATUS status)
{
    char user[MSV_LOG_NAME_SIZE], domain[MSV_LOG_NAME_SIZE];

    if (!lsa_log_enabled(status == STATUS_SUCCESS ? LOG_DEBUG : LOG_NOTICE))
        return;
    const char *s = lsa_status_name(status), *sub = lsa_status_name(*l->sub_status);
    lsa_log_name(l->user, user, sizeof(user));
    lsa_log_name(l->domain, domain, sizeof(domain));
    if (status == STATUS_SUCCESS) {
        msv_pkg_log(LOG_DEBUG, "%s logon of '%s' (domain '%s') succeeded: LogonId %x:%08x",
                    logon_type_name(l->logon_type), user, domain, (unsigned)l->logon_id->HighPart,
                    (unsigned)l->logon_id->LowPart);
        return;
    }
    msv_pkg_log(LOG_NOTICE, "%s logon of '%s' (domain '%s') failed: %s (0x%08x)%s%s%s%s",
                logon_type_name(l->logon_type), user, domain, s ? s : "unknown status",
                (unsigned)status, *l->sub_status ? ", substatus " : "",
                *l->sub_status ? (sub ? sub : "unknown") : "", l->reason ? ": " : "",
                l->reason ? l->reason : "");
}

NTSTATUS msv_logon_user(PLSA_CLIENT_REQUEST request, SECURITY_LOGON_TYPE logon_type,
                        PVOID submit, PVOID client_base, ULONG length, PVOID *profile,
                        PULONG profile_length, PLUID logon_id, PNTSTATUS sub_status,
                        PLSA_TOKEN_INFORMATION_TYPE token_information_type,
                        PVOID *token_information, PUNICODE_STRING *account_name,
                        PUNICODE_STRING *authority)
{
    struct msv_logon l = {
        .request = request,
        .logon_type = logon_type,
        .submit = submit,
        .client_base = client_base,
        .length = length,
        .profile = profile,
        .profile_length = profile_length,
        .logon_id = logon_id,
        .sub_status = sub_status,
        .account_name = account_name,
        .authority = authority,
    };
    ULONG message_type;
    NTSTATUS status;

    *profile = NULL;
    *profile_length = 0;
    memset(logon_id, 0, sizeof(*logon_id));
    *sub_status = STATUS_SUCCESS;
    *token_information_type = LsaTokenInformationNull;
    *token_information = NULL;
    *account_name = NULL;
    *authority = NULL;
    status = msv_package_ready();
    if (status != STATUS_SUCCESS)
        return status;

    switch (logon_type) {
    case Interactive:
    case Batch:
    case Service:
    case NetworkCleartext:
    case Network:
        break;
    default:
        l.reason = "logon type not supported by MSV1_0";
        status = STATUS_INVALID_LOGON_TYPE;
        goto out;
    }
    if (submit == NULL || !lsa_submit_buffer_fits(length, sizeof(ULONG))) {
        status = STATUS_INVALID_PARAMETER;
        goto out;
    }
    memcpy(&message_type, submit, sizeof(message_type));
    if (logon_type == Network) {
        if (message_type != MsV1_0Lm20Logon && message_type != MsV1_0NetworkLogon) {
            l.reason = "a network logon takes an MSV1_0_LM20_LOGON";
            status = STATUS_BAD_VALIDATION_CLASS;
            goto out;
        }
        status = msv_logon_network(&l);
    } else {
        if (message_type != MsV1_0InteractiveLogon) {
            l.reason = "this logon type takes an MSV1_0_INTERACTIVE_LOGON";
            status = STATUS_BAD_VALIDATION_CLASS;
            goto out;
        }
        status = msv_logon_interactive(&l);
    }
out:
    if (status == STATUS_INVALID_PARAMETER && l.reason == NULL)
        l.reason = "malformed submit buffer";
    if (status != STATUS_SUCCESS && *profile != NULL) {
        msv_package.lsa->FreeClientBuffer(request, *profile);
        *profile = NULL;
        *profile_length = 0;
    }
    log_outcome(&l, status);
    lsa_free_utf8(l.user);
    lsa_free_utf8(l.domain);
    return status;
}
