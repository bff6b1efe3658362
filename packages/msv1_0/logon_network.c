/*
 * Network logons: MSV1_0_LM20_LOGON with MessageType MsV1_0Lm20Logon or
 * MsV1_0NetworkLogon (spec/lsa-api.md §4.3-§4.4), the second half of a challenge /
 * response exchange.  The challenge must be one MsV1_0Lm20ChallengeRequest issued to
 * this same connection, unexpired and unused (challenge_table.h: it is used up whatever
 * the verdict); the responses are checked by ntlm_verify under lm_compatibility_level
 * and ntlmv2_max_skew.  Only MsV1_0NetworkLogon's ParameterControl is honoured
 * (MsV1_0Lm20Logon is the older form without it): MSV1_0_UPDATE_LOGON_STATISTICS
 * decides whether a success is counted, the trust-account flags whether a machine
 * account may log on.  No credential is kept.
 */
#include <string.h>

#include <lsa/lsa_util.h>

#include "logon.h"
#include "logon_policy.h"
#include "msv_log.h"
#include "nt_time.h"
#include "ntlm_verify.h"
#include "package_state.h"
#include "profile.h"

static NTSTATUS build_profile(struct msv_logon *l, void *context)
{
    return msv_profile_lm20(l->request, context, l->profile, l->profile_length);
}

static NTSTATUS relocate(struct msv_logon *l, MSV1_0_LM20_LOGON *request)
{
    if (!msv_submit_fits(l->submit, l->length, sizeof(*request)))
        return STATUS_INVALID_PARAMETER;
    if (lsa_relocate_unicode_string(&request->LogonDomainName, l->submit, l->client_base,
                                    l->length) != STATUS_SUCCESS ||
        lsa_relocate_unicode_string(&request->UserName, l->submit, l->client_base, l->length) !=
            STATUS_SUCCESS ||
        lsa_relocate_unicode_string(&request->Workstation, l->submit, l->client_base,
                                    l->length) != STATUS_SUCCESS ||
        lsa_relocate_string(&request->CaseSensitiveChallengeResponse, l->submit, l->client_base,
                            l->length) != STATUS_SUCCESS ||
        lsa_relocate_string(&request->CaseInsensitiveChallengeResponse, l->submit,
                            l->client_base, l->length) != STATUS_SUCCESS)
        return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}

/* The challenge: issued to this connection, in time, once. */
static NTSTATUS use_challenge(struct msv_logon *l, const MSV1_0_LM20_LOGON *request)
{
    struct lsa_client_unix_info client;
    enum msv_challenge_verdict verdict;
    NTSTATUS status = msv_package.lsa->lsa_get_client_unix_info(&client);

    if (status != STATUS_SUCCESS)
        return status;
    verdict = msv_challenge_consume(msv_package.challenges, client.connection_id,
                                    request->ChallengeToClient);
    if (verdict == MSV_CHALLENGE_OK)
        return STATUS_SUCCESS;
    l->reason = msv_challenge_verdict_text(verdict);
    return STATUS_LOGON_FAILURE;
}

/* What a verification status means for the logon, when it does not depend on the
 * account's keys (so unknown and known accounts answer alike). */
static NTSTATUS keyless_failure(struct msv_logon *l, NTSTATUS verify_status)
{
    switch (verify_status) {
    case STATUS_INVALID_PARAMETER:
        l->reason = "malformed challenge response";
        return STATUS_INVALID_PARAMETER;
    case STATUS_LOGON_FAILURE:
        l->reason = "response kind refused by lm_compatibility_level";
        return STATUS_LOGON_FAILURE;
    case STATUS_SUCCESS:
    case STATUS_WRONG_PASSWORD:
    case STATUS_TIME_DIFFERENCE_AT_DC:
        return STATUS_SUCCESS;
    default:
        return verify_status; /* the crypto itself failed */
    }
}

static NTSTATUS unknown_account(struct msv_logon *l, const struct ntlm_verify_request *v,
                                const struct msv_timing *timing)
{
    struct ntlm_account_keys keys;
    struct ntlm_verify_result result;
    NTSTATUS status;

    memset(&keys, 0, sizeof(keys));
    memcpy(keys.nt_hash, msv_dummy_nt_hash, sizeof(keys.nt_hash));
    keys.has_nt = TRUE;
    status = keyless_failure(l, ntlm_verify(v, &keys, &result));
    explicit_bzero(&result, sizeof(result));
    if (status != STATUS_SUCCESS)
        return status;
    msv_timing_unknown_user(timing);
    *l->sub_status = STATUS_NO_SUCH_USER;
    return STATUS_LOGON_FAILURE;
}

NTSTATUS msv_logon_network(struct msv_logon *l)
{
    MSV1_0_LM20_LOGON *request = l->submit;
    struct msv_store *store = NULL;
    struct msv_account account, after;
    struct ntlm_verify_request v;
    struct ntlm_account_keys keys;
    struct ntlm_verify_result result;
    struct msv_timing timing;
    ULONG parameter_control;
    int64_t now;
    NTSTATUS status, verify_status;

    status = relocate(l, request);
    if (status == STATUS_SUCCESS)
        status = msv_logon_take_names(l, &request->UserName, &request->LogonDomainName);
    if (status == STATUS_SUCCESS)
        status = use_challenge(l, request);
    if (status != STATUS_SUCCESS)
        return status;
    parameter_control =
        request->MessageType == MsV1_0NetworkLogon ? request->ParameterControl : 0;

    memset(&account, 0, sizeof(account));
    memset(&keys, 0, sizeof(keys));
    memset(&result, 0, sizeof(result));
    now = msv_unix_now();
    v = (struct ntlm_verify_request){
        .server_challenge = request->ChallengeToClient,
        .nt_response = (const uint8_t *)request->CaseSensitiveChallengeResponse.Buffer,
        .nt_length = request->CaseSensitiveChallengeResponse.Length,
        .lm_response = (const uint8_t *)request->CaseInsensitiveChallengeResponse.Buffer,
        .lm_length = request->CaseInsensitiveChallengeResponse.Length,
        .user = request->UserName.Buffer,
        .user_bytes = request->UserName.Length,
        .domain = request->LogonDomainName.Buffer,
        .domain_bytes = request->LogonDomainName.Length,
        .lm_compatibility_level = msv_package.config.lm_compatibility_level,
        .now = now,
        .max_skew = msv_package.config.ntlmv2_max_skew,
    };

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
        status = unknown_account(l, &v, &timing);
        goto out;
    }
    if (status != STATUS_SUCCESS)
        goto out;

    if (msv_policy_locked_out(&account, now)) {
        status = STATUS_ACCOUNT_LOCKED_OUT;
        goto out;
    }
    memcpy(keys.nt_hash, account.nt_hash, sizeof(keys.nt_hash));
    keys.has_nt = account.has_nt;
    memcpy(keys.lm_hash, account.lm_hash, sizeof(keys.lm_hash));
    keys.has_lm = account.has_lm;
    verify_status = ntlm_verify(&v, &keys, &result);
    status = keyless_failure(l, verify_status);
    if (status != STATUS_SUCCESS)
        goto out;
    if (verify_status == STATUS_WRONG_PASSWORD) {
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
    if (verify_status == STATUS_TIME_DIFFERENCE_AT_DC) {
        l->reason = "NTLMv2 timestamp outside ntlmv2_max_skew";
        status = STATUS_TIME_DIFFERENCE_AT_DC;
        goto out;
    }

    status = msv_policy_restrictions(&account, now, TRUE, parameter_control, l->sub_status);
    if (status == STATUS_SUCCESS && (parameter_control & MSV1_0_UPDATE_LOGON_STATISTICS))
        status = msv_policy_record_success(store, account.name, now, NULL);
    if (status == STATUS_SUCCESS)
        status = msv_logon_complete(l, &account, NULL, build_profile, &result);
out:
    explicit_bzero(&account, sizeof(account));
    explicit_bzero(&keys, sizeof(keys));
    explicit_bzero(&result, sizeof(result));
    if (store != NULL)
        msv_policy_close_store(store);
    return status;
}
