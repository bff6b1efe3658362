/*
 * MsV1_0ChangePassword (spec/lsa-api.md §4.2): the account proves its old password and
 * sets a new one.  Allowed to untrusted callers, as on Windows (ReactOS accepts only
 * this message from them).  Everything happens in one msv_store_update, so concurrent
 * changes and logons never lose an update:
 *
 *   locked out                                 STATUS_ACCOUNT_LOCKED_OUT
 *   old password wrong                         STATUS_WRONG_PASSWORD (a bad password)
 *   new shorter than min_password_length,
 *   or equal to the old one                    STATUS_PASSWORD_RESTRICTION
 *   unknown account or domain, missing store   STATUS_NO_SUCH_USER
 *
 * The outcome is the ProtocolStatus; the reply, for every attempted change, is an
 * MSV1_0_CHANGEPASSWORD_RESPONSE with the policy (PasswordInfoValid TRUE).
 */
#include <string.h>

#include <openssl/crypto.h>

#include <lsa/lsa_status.h>
#include <lsa/lsa_util.h>

#include "logon.h"
#include "logon_policy.h"
#include "messages.h"
#include "msv_log.h"
#include "package_reply.h"
#include "nt_time.h"
#include "ntlm_crypto.h"
#include "package_state.h"

#define TICKS_PER_DAY (INT64_C(86400) * MSV_NT_TICKS_PER_SECOND)

struct change {
    PCUNICODE_STRING old_password;
    uint8_t old_nt[16];
    uint8_t new_nt[16];
    const char *new_utf8;
    ULONG new_characters;
    int64_t now;
    BOOLEAN ran;
    NTSTATUS verdict;
};

/* Characters (code points) of a UTF-16 string: low surrogates do not count. */
static ULONG characters(PCUNICODE_STRING s)
{
    ULONG n = 0;

    for (USHORT i = 0; i < s->Length / sizeof(WCHAR); i++)
        if (s->Buffer[i] < 0xDC00 || s->Buffer[i] > 0xDFFF)
            n++;
    return n;
}

static BOOLEAN old_password_matches(const struct msv_account *a, const struct change *c)
{
    uint8_t lm[16];
    BOOLEAN ok;

    if (a->has_nt)
        return CRYPTO_memcmp(c->old_nt, a->nt_hash, 16) == 0;
    if (a->has_lm) {
        ok = ntlm_lm_hash(c->old_password->Buffer, c->old_password->Length, lm) ==
                 STATUS_SUCCESS &&
             CRYPTO_memcmp(lm, a->lm_hash, 16) == 0;
        explicit_bzero(lm, sizeof(lm));
        return ok;
    }
    return (a->acb_flags & ACB_PWNOTREQ) && c->old_password->Length == 0;
}

/* Runs under the store's lock: STATUS_SUCCESS writes the account back. */
static NTSTATUS edit(struct msv_account *a, void *context)
{
    struct change *c = context;
    NTSTATUS status;

    c->ran = TRUE;
    if (msv_policy_locked_out(a, c->now))
        return c->verdict = STATUS_ACCOUNT_LOCKED_OUT;
    if (!old_password_matches(a, c)) {
        msv_policy_apply_bad_password(a, c->now);
        c->verdict = STATUS_WRONG_PASSWORD;
        return STATUS_SUCCESS; /* the bad password is recorded */
    }
    if (c->new_characters < msv_package.config.min_password_length ||
        CRYPTO_memcmp(c->new_nt, c->old_nt, 16) == 0)
        return c->verdict = STATUS_PASSWORD_RESTRICTION;
    status = msv_account_set_password(a, c->new_utf8, c->now);
    if (status != STATUS_SUCCESS)
        return c->verdict = status;
    a->must_change = FALSE;
    msv_policy_expire_lockout(a, c->now);
    a->bad_password_count = 0;
    c->verdict = STATUS_SUCCESS;
    return STATUS_SUCCESS;
}

static NTSTATUS change(struct change *c, const char *name, PCUNICODE_STRING domain)
{
    struct msv_store *store = NULL;
    struct msv_timing timing;
    NTSTATUS status;

    msv_timing_begin(&timing);
    if (!msv_domain_is_ours(domain)) {
        status = STATUS_NO_SUCH_USER;
    } else {
        status = msv_policy_open_store(&store);
        if (status == STATUS_SUCCESS)
            status = msv_store_update(store, name, edit, c);
        if (status == STATUS_OBJECT_NAME_NOT_FOUND)
            status = STATUS_NO_SUCH_USER; /* the store went away (it logged that) */
    }
    msv_policy_close_store(store);
    if (!c->ran) {
        if (status == STATUS_NO_SUCH_USER || status == STATUS_INVALID_ACCOUNT_NAME) {
            volatile int sink = CRYPTO_memcmp(c->old_nt, msv_dummy_nt_hash, 16);
            (void)sink;
            msv_timing_unknown_user(&timing);
            return STATUS_NO_SUCH_USER;
        }
        return status;
    }
    if (c->verdict == STATUS_WRONG_PASSWORD)
        msv_timing_wrong_password(&timing);
    if (c->verdict != STATUS_SUCCESS)
        return c->verdict; /* even if recording a bad password failed: that is logged */
    return status;         /* the write's */
}

static NTSTATUS reply(struct msv_call *call)
{
    const struct msv_config *c = &msv_package.config;
    MSV1_0_CHANGEPASSWORD_RESPONSE response;

    memset(&response, 0, sizeof(response));
    response.MessageType = MsV1_0ChangePassword;
    response.PasswordInfoValid = TRUE;
    response.DomainPasswordInfo.MinPasswordLength = (USHORT)c->min_password_length;
    response.DomainPasswordInfo.PasswordHistoryLength = 0;
    response.DomainPasswordInfo.PasswordProperties = 0;
    response.DomainPasswordInfo.MaxPasswordAge.QuadPart =
        c->max_password_age == 0 ? MSV_NT_INTERVAL_NEVER : -(c->max_password_age * TICKS_PER_DAY);
    response.DomainPasswordInfo.MinPasswordAge.QuadPart = 0;
    return pkg_reply_flat(msv_package.lsa, call->request, &response, sizeof(response), call->return_buffer,
                          call->return_length);
}

static void log_outcome(const char *name, const char *domain, NTSTATUS status)
{
    char safe_name[MSV_LOG_NAME_SIZE], safe_domain[MSV_LOG_NAME_SIZE];
    const char *s = lsa_status_name(status);

    lsa_log_name(name, safe_name, sizeof(safe_name));
    lsa_log_name(domain, safe_domain, sizeof(safe_domain));
    if (status == STATUS_SUCCESS)
        msv_pkg_log(LOG_NOTICE, "password of '%s' (domain '%s') changed", safe_name, safe_domain);
    else
        msv_pkg_log(LOG_NOTICE, "password change of '%s' (domain '%s') failed: %s (0x%08x)",
                    safe_name, safe_domain, s ? s : "unknown status", (unsigned)status);
}

NTSTATUS msv_msg_change_password(struct msv_call *call)
{
    MSV1_0_CHANGEPASSWORD_REQUEST *r = call->submit;
    char *name = NULL, *domain = NULL, *new_utf8 = NULL;
    size_t new_length = 0;
    struct change c;
    NTSTATUS status;

    if (!msv_call_fits(call, sizeof(*r)))
        return STATUS_INVALID_PARAMETER;
    if (lsa_relocate_unicode_string(&r->DomainName, call->submit, call->client_base,
                                    call->length) != STATUS_SUCCESS ||
        lsa_relocate_unicode_string(&r->AccountName, call->submit, call->client_base,
                                    call->length) != STATUS_SUCCESS ||
        lsa_relocate_unicode_string(&r->OldPassword, call->submit, call->client_base,
                                    call->length) != STATUS_SUCCESS ||
        lsa_relocate_unicode_string(&r->NewPassword, call->submit, call->client_base,
                                    call->length) != STATUS_SUCCESS)
        return STATUS_INVALID_PARAMETER;

    memset(&c, 0, sizeof(c));
    status = STATUS_INVALID_PARAMETER;
    if (r->AccountName.Length > 0 &&
        lsa_unicode_string_to_utf8(&r->AccountName, &name, NULL) == STATUS_SUCCESS &&
        lsa_unicode_string_to_utf8(&r->DomainName, &domain, NULL) == STATUS_SUCCESS &&
        lsa_unicode_string_to_utf8(&r->NewPassword, &new_utf8, &new_length) == STATUS_SUCCESS)
        status = STATUS_SUCCESS;
    if (status == STATUS_SUCCESS)
        status = ntlm_nt_hash(r->OldPassword.Buffer, r->OldPassword.Length, c.old_nt);
    if (status == STATUS_SUCCESS)
        status = ntlm_nt_hash(r->NewPassword.Buffer, r->NewPassword.Length, c.new_nt);
    if (status == STATUS_SUCCESS) {
        c.old_password = &r->OldPassword;
        c.new_utf8 = new_utf8;
        c.new_characters = characters(&r->NewPassword);
        c.now = msv_unix_now();
        *call->protocol_status = change(&c, name, &r->DomainName);
        log_outcome(name, domain, *call->protocol_status);
        status = reply(call);
    }
    /* The password bytes live in the LSA's copy of the submit buffer, which the LSA wipes
     * when the call returns; wiping them here could clobber another string's descriptor
     * when a malformed buffer overlaps them with the fixed header. */
    explicit_bzero(&c, sizeof(c));
    lsa_free_utf8(new_utf8);
    lsa_free_utf8(name);
    lsa_free_utf8(domain);
    return status;
}
