/*
 * Interactive, Batch, Service and NetworkCleartext logons: MSV1_0_INTERACTIVE_LOGON
 * (spec/lsa-api.md §4.4), a password checked against the account's NT hash.  Statistics
 * are always updated; the session keeps the NT hash as its NTOWF credential (NTLM
 * single sign-on, credential.h) and nothing of the password.
 */
#include <string.h>

#include <openssl/crypto.h>

#include <lsa/lsa_util.h>

#include "logon.h"
#include "logon_policy.h"
#include "msv_log.h"
#include "nt_time.h"
#include "ntlm_crypto.h"
#include "package_state.h"
#include "profile.h"

struct interactive_profile {
    const struct msv_account *account;
    uint32_t bad_passwords;
    int64_t logon_time_nt;
};

static NTSTATUS build_profile(struct msv_logon *l, void *context)
{
    const struct interactive_profile *p = context;
    return msv_profile_interactive(l->request, p->account, p->bad_passwords, p->logon_time_nt,
                                   l->profile, l->profile_length);
}

/* The password against the account's hashes, in constant time. */
static BOOLEAN password_matches(const struct msv_account *a, const uint8_t nt_hash[16],
                                PCUNICODE_STRING password)
{
    uint8_t lm_hash[16];
    BOOLEAN ok;

    if (a->has_nt)
        return CRYPTO_memcmp(nt_hash, a->nt_hash, 16) == 0;
    if (a->has_lm) {
        ok = ntlm_lm_hash(password->Buffer, password->Length, lm_hash) == STATUS_SUCCESS &&
             CRYPTO_memcmp(lm_hash, a->lm_hash, 16) == 0;
        explicit_bzero(lm_hash, sizeof(lm_hash));
        return ok;
    }
    /* No hash at all: only an account that needs no password, with an empty one. */
    return (a->acb_flags & ACB_PWNOTREQ) && password->Length == 0;
}

/* The unknown-account path: the same hash comparison against the dummy, the time a
 * wrong password takes, then the answer Windows gives. */
static NTSTATUS unknown_account(struct msv_logon *l, const uint8_t nt_hash[16],
                                const struct msv_timing *timing)
{
    volatile int sink = CRYPTO_memcmp(nt_hash, msv_dummy_nt_hash, 16);

    (void)sink;
    msv_timing_unknown_user(timing);
    *l->sub_status = STATUS_NO_SUCH_USER;
    return STATUS_LOGON_FAILURE;
}

NTSTATUS msv_logon_interactive(struct msv_logon *l)
{
    MSV1_0_INTERACTIVE_LOGON *request = l->submit;
    struct msv_store *store = NULL;
    struct msv_account account, after;
    struct interactive_profile profile;
    struct msv_timing timing;
    uint8_t nt_hash[16];
    BOOLEAN password_ok;
    int64_t now;
    NTSTATUS status;

    if (!msv_submit_fits(l->submit, l->length, sizeof(*request)))
        return STATUS_INVALID_PARAMETER;
    if (lsa_relocate_unicode_string(&request->LogonDomainName, l->submit, l->client_base,
                                    l->length) != STATUS_SUCCESS ||
        lsa_relocate_unicode_string(&request->UserName, l->submit, l->client_base, l->length) !=
            STATUS_SUCCESS ||
        lsa_relocate_unicode_string(&request->Password, l->submit, l->client_base, l->length) !=
            STATUS_SUCCESS)
        return STATUS_INVALID_PARAMETER;

    status = msv_logon_take_names(l, &request->UserName, &request->LogonDomainName);
    if (status == STATUS_SUCCESS)
        status = ntlm_nt_hash(request->Password.Buffer, request->Password.Length, nt_hash);
    if (status != STATUS_SUCCESS)
        return status; /* the LSA wipes its copy of the request, password included */

    memset(&account, 0, sizeof(account));
    msv_timing_begin(&timing);
    if (!msv_domain_is_ours(&request->LogonDomainName)) {
        l->reason = "not this machine's domain";
        status = STATUS_NO_SUCH_USER;
    } else {
        status = msv_policy_open_store(&store);
        if (status == STATUS_SUCCESS)
            status = msv_store_lookup(store, l->user, &account);
        if (status == STATUS_OBJECT_NAME_NOT_FOUND)
            status = STATUS_NO_SUCH_USER; /* the store went away (it logged that) */
    }
    if (status == STATUS_NO_SUCH_USER || status == STATUS_INVALID_ACCOUNT_NAME) {
        status = unknown_account(l, nt_hash, &timing);
        goto out;
    }
    if (status != STATUS_SUCCESS)
        goto out;

    now = msv_unix_now();
    if (msv_policy_locked_out(&account, now)) {
        status = STATUS_ACCOUNT_LOCKED_OUT;
        goto out;
    }
    password_ok = password_matches(&account, nt_hash, &request->Password);
    if (!password_ok) {
        memset(&after, 0, sizeof(after));
        status = msv_policy_record_bad_password(store, account.name, now, &after);
        msv_timing_wrong_password(&timing);
        if (status == STATUS_SUCCESS && after.lockout_time != 0)
            l->reason = "that bad password locked the account out";
        explicit_bzero(&after, sizeof(after));
        *l->sub_status = STATUS_WRONG_PASSWORD;
        status = STATUS_LOGON_FAILURE;
        goto out;
    }
    status = msv_policy_restrictions(&account, now, FALSE, 0, l->sub_status);
    if (status != STATUS_SUCCESS)
        goto out;

    status = msv_policy_record_success(store, account.name, now, &after);
    if (status != STATUS_SUCCESS)
        goto out;
    profile.account = &after;
    profile.bad_passwords = account.bad_password_count;
    profile.logon_time_nt = msv_unix_to_nt(now);
    status = msv_logon_complete(l, &after, nt_hash, build_profile, &profile);
    explicit_bzero(&after, sizeof(after));
out:
    /* The password bytes live in the LSA's copy of the submit buffer, which the LSA wipes
     * when the call returns; wiping them here could clobber another string's descriptor
     * when a malformed buffer overlaps them with the fixed header. */
    explicit_bzero(nt_hash, sizeof(nt_hash));
    explicit_bzero(&account, sizeof(account));
    if (store != NULL)
        msv_policy_close_store(store);
    return status;
}
