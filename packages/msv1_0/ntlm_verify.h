/*
 * Server-side check of a network logon's challenge responses (MS-NLMP §3.3.1, §3.3.2,
 * spec/ntlm.md §7) against the account's stored hashes, under lm_compatibility_level.
 */
#ifndef MSV1_0_NTLM_VERIFY_H
#define MSV1_0_NTLM_VERIFY_H

#include <stdint.h>

#include "ntlm_crypto.h"

enum ntlm_response_kind {
    NTLM_RESPONSE_NONE = 0,
    NTLM_RESPONSE_NTLMV2,
    NTLM_RESPONSE_LMV2,
    NTLM_RESPONSE_NTLMV1_ESS,
    NTLM_RESPONSE_NTLMV1,
    NTLM_RESPONSE_LMV1,
};

struct ntlm_verify_request {
    const uint8_t *server_challenge; /* NTLM_CHALLENGE_LENGTH bytes */
    const uint8_t *nt_response;      /* CaseSensitiveChallengeResponse */
    size_t nt_length;
    const uint8_t *lm_response;      /* CaseInsensitiveChallengeResponse */
    size_t lm_length;
    const WCHAR *user; /* as sent */
    size_t user_bytes;
    const WCHAR *domain; /* as sent; NTOWFv2 also tried with it upper-cased, then empty */
    size_t domain_bytes;
    int lm_compatibility_level; /* 0-5, the Windows meaning (server side: 5 = NTLMv2/LMv2 only, 4 = no LM) */
    int64_t now;                /* Unix seconds */
    int64_t max_skew;           /* seconds an NTLMv2 blob timestamp may differ from NOW */
};

struct ntlm_account_keys {
    uint8_t nt_hash[NTLM_HASH_LENGTH];
    BOOLEAN has_nt;
    uint8_t lm_hash[NTLM_HASH_LENGTH];
    BOOLEAN has_lm;
};

struct ntlm_verify_result {
    enum ntlm_response_kind kind;
    uint8_t user_session_key[NTLM_HASH_LENGTH];
    uint8_t lm_session_key[NTLM_LM_SESSION_KEY_LENGTH];
};

/*
 * STATUS_SUCCESS and the kind of response that matched; STATUS_WRONG_PASSWORD when no
 * allowed response matches (an all-zero LMv2 is never proof); STATUS_TIME_DIFFERENCE_AT_DC
 * when an otherwise valid NTLMv2 blob's timestamp is outside max_skew;
 * STATUS_LOGON_FAILURE when the only responses given are of a kind the level refuses;
 * STATUS_INVALID_PARAMETER for malformed responses (an NTLMv2 response shorter than its
 * header).  Comparisons are constant time.
 */
NTSTATUS ntlm_verify(const struct ntlm_verify_request *request,
                     const struct ntlm_account_keys *keys, struct ntlm_verify_result *result);

const char *ntlm_response_kind_name(enum ntlm_response_kind kind);

#endif
