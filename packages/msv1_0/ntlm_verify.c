/*
 * Server-side check of a network logon's challenge responses (MS-NLMP §3.3.1, §3.3.2;
 * spec/ntlm.md §7) under lm_compatibility_level, with the Windows DC meaning:
 *
 *   level 0-3  NTLMv2, LMv2, NTLMv1 (plain or with extended session security), LMv1
 *   level 4    NTLMv2, LMv2, NTLMv1 (LM refused)
 *   level 5    NTLMv2, LMv2 only (the default)
 *
 * How the NT response (CaseSensitiveChallengeResponse) is read:
 *   empty       the LM response alone decides: LMv2 (any level), then LMv1 (0-3).
 *   1-23 bytes  malformed: STATUS_INVALID_PARAMETER.
 *   24 bytes    NTLMv1, or NTLMv1-ESS when the LM response is CC‖Z16; the LM response
 *               beside it is LMv1 (levels 0-3) unless it has that ESS shape.  LMv2 is
 *               not tried next to an NTLMv1 response (no client sends that pair).
 *   25+ bytes   NTLMv2: NTProofStr(16) then a blob with a 28-byte header (RespType 1,
 *               HiRespType 1, 6 reserved, FILETIME, ClientChallenge, 4 reserved); a
 *               shorter or differently typed blob is STATUS_INVALID_PARAMETER.  Only the
 *               NTLMv2 response decides: an LMv2 beside it is not a fallback, so a
 *               tampered blob (timestamp, AV pairs, MIC flags) cannot be bypassed through
 *               the LM field.  (Samba does fall back to LMv2 here; this is stricter.)
 * NTOWFv2 is tried with the domain as sent, then ASCII-upper-cased, then empty
 * (Samba's order, libcli/auth/ntlm_check.c); duplicates are skipped.
 *
 * Session keys: NTLMv1/ESS/LMv1 - user key MD4(NT hash) (LMv1 without NT hash:
 * LM hash[0..7]‖Z8, Samba's), LM key LM hash[0..7] (zero without LM hash); NTLMv2 - user
 * key SessionBaseKey, LM key its first 8 bytes (Samba's); LMv2 alone - user key
 * HMAC_MD5(NTOWFv2, LMv2[0..15]), LM key its first 8 bytes.
 *
 * Every comparison of a secret-derived value is CRYPTO_memcmp; an account without an NT
 * hash is computed against a zero key and then refused, so it costs the same.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include <lsa/ntstatus.h>

#include "ntlm_verify.h"
#include "ntowf_cache.h"

#define NTLMV2_BLOB_HEADER_LENGTH 28
#define NTLMV2_MIN_RESPONSE_LENGTH (NTLM_PROOF_LENGTH + NTLMV2_BLOB_HEADER_LENGTH)
#define FILETIME_TICKS_PER_SECOND 10000000u
#define FILETIME_UNIX_EPOCH_SECONDS INT64_C(11644473600)
#define DOMAIN_STACK_BYTES 512

static const uint8_t zero_hash[NTLM_HASH_LENGTH];

/* Constant time in the length only. */
static BOOLEAN all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= p[i];
    return acc == 0;
}

static uint64_t load_le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* |FILETIME - now| <= max_skew, free of overflow for any inputs; a negative skew is 0. */
static BOOLEAN timestamp_within(uint64_t filetime, int64_t now, int64_t max_skew)
{
    int64_t t = (int64_t)(filetime / FILETIME_TICKS_PER_SECOND) - FILETIME_UNIX_EPOCH_SECONDS;
    uint64_t skew = max_skew < 0 ? 0 : (uint64_t)max_skew;
    uint64_t diff = t >= now ? (uint64_t)t - (uint64_t)now : (uint64_t)now - (uint64_t)t;
    return diff <= skew;
}

/* ---- the NTOWFv2 domain attempts --------------------------------------------------- */

struct domain_attempts {
    const struct ntlm_verify_request *request;
    uint8_t stack[DOMAIN_STACK_BYTES];
    uint8_t *upper; /* ASCII-upper-cased domain: stack or heap */
};

static void domain_attempts_free(struct domain_attempts *d)
{
    if (d->upper != NULL && d->upper != d->stack)
        free(d->upper);
    d->upper = NULL;
}

/*
 * NTOWFv2 for attempt 0 (domain as sent), 1 (upper-cased) or 2 (empty).  *SKIP says the
 * attempt repeats an earlier one.
 */
static NTSTATUS domain_attempt(struct domain_attempts *d, int attempt, const uint8_t nt_hash[16],
                               uint8_t ntowf_v2[NTLM_HASH_LENGTH], BOOLEAN *skip)
{
    const struct ntlm_verify_request *r = d->request;
    const uint8_t *domain = (const uint8_t *)r->domain;
    size_t bytes = r->domain_bytes;

    *skip = 0;
    if (attempt == 1) {
        BOOLEAN changed = 0;
        if (d->upper == NULL) {
            d->upper = bytes <= sizeof(d->stack) ? d->stack : malloc(bytes);
            if (d->upper == NULL)
                return STATUS_NO_MEMORY;
        }
        for (size_t i = 0; i < bytes; i += 2) {
            uint8_t lo = domain[i], hi = domain[i + 1];
            if (hi == 0 && lo >= 'a' && lo <= 'z') {
                lo = (uint8_t)(lo - 0x20);
                changed = 1;
            }
            d->upper[i] = lo;
            d->upper[i + 1] = hi;
        }
        if (!changed) {
            *skip = 1;
            return STATUS_SUCCESS;
        }
        domain = d->upper;
    } else if (attempt == 2) {
        if (bytes == 0) {
            *skip = 1;
            return STATUS_SUCCESS;
        }
        domain = NULL;
        bytes = 0;
    }
    return ntlm_ntowf_v2_cached(nt_hash, r->user, r->user_bytes, (const WCHAR *)domain, bytes,
                                ntowf_v2);
}

/* ---- session keys ----------------------------------------------------------------- */

static NTSTATUS v1_session_keys(const struct ntlm_account_keys *keys, struct ntlm_verify_result *res)
{
    NTSTATUS status = STATUS_SUCCESS;
    if (keys->has_nt) {
        status = ntlm_v1_session_base_key(keys->nt_hash, res->user_session_key);
    } else if (keys->has_lm) {
        memcpy(res->user_session_key, keys->lm_hash, NTLM_LM_SESSION_KEY_LENGTH);
        memset(res->user_session_key + NTLM_LM_SESSION_KEY_LENGTH, 0,
               NTLM_HASH_LENGTH - NTLM_LM_SESSION_KEY_LENGTH);
    }
    if (keys->has_lm)
        memcpy(res->lm_session_key, keys->lm_hash, NTLM_LM_SESSION_KEY_LENGTH);
    return status;
}

static NTSTATUS v2_session_keys(const uint8_t ntowf_v2[NTLM_HASH_LENGTH], const uint8_t proof[16],
                                struct ntlm_verify_result *res)
{
    NTSTATUS status = ntlm_v2_session_base_key(ntowf_v2, proof, res->user_session_key);
    if (status == STATUS_SUCCESS)
        memcpy(res->lm_session_key, res->user_session_key, NTLM_LM_SESSION_KEY_LENGTH);
    return status;
}

/* ---- the three shapes ------------------------------------------------------------- */

static NTSTATUS verify_ntlmv2(const struct ntlm_verify_request *r,
                              const struct ntlm_account_keys *keys, struct ntlm_verify_result *res)
{
    if (r->nt_length < NTLMV2_MIN_RESPONSE_LENGTH)
        return STATUS_INVALID_PARAMETER;
    const uint8_t *proof = r->nt_response;
    const uint8_t *blob = r->nt_response + NTLM_PROOF_LENGTH;
    size_t blob_length = r->nt_length - NTLM_PROOF_LENGTH;
    if (blob[0] != 1 || blob[1] != 1) /* RespType, HiRespType */
        return STATUS_INVALID_PARAMETER;

    const uint8_t *key = keys->has_nt ? keys->nt_hash : zero_hash;
    struct domain_attempts d = { .request = r };
    uint8_t ntowf_v2[NTLM_HASH_LENGTH], expected[NTLM_PROOF_LENGTH], key_v2[NTLM_HASH_LENGTH];
    BOOLEAN matched = 0;
    NTSTATUS status = STATUS_SUCCESS;

    for (int attempt = 0; attempt < 3 && !matched && status == STATUS_SUCCESS; attempt++) {
        BOOLEAN skip;
        status = domain_attempt(&d, attempt, key, ntowf_v2, &skip);
        if (status != STATUS_SUCCESS || skip)
            continue;
        status = ntlm_v2_proof_and_session_key(ntowf_v2, r->server_challenge, blob, blob_length,
                                               expected, key_v2);
        if (status == STATUS_SUCCESS)
            matched = (CRYPTO_memcmp(expected, proof, NTLM_PROOF_LENGTH) == 0) & (keys->has_nt != 0);
    }
    domain_attempts_free(&d);
    if (status == STATUS_SUCCESS && !matched)
        status = STATUS_WRONG_PASSWORD;
    if (status == STATUS_SUCCESS && !timestamp_within(load_le64(blob + 8), r->now, r->max_skew))
        status = STATUS_TIME_DIFFERENCE_AT_DC;
    if (status == STATUS_SUCCESS) {
        memcpy(res->user_session_key, key_v2, NTLM_HASH_LENGTH);
        memcpy(res->lm_session_key, key_v2, NTLM_LM_SESSION_KEY_LENGTH);
        res->kind = NTLM_RESPONSE_NTLMV2;
    }
    explicit_bzero(ntowf_v2, sizeof(ntowf_v2));
    explicit_bzero(expected, sizeof(expected));
    explicit_bzero(key_v2, sizeof(key_v2));
    return status;
}

/* NTLMv1 / NTLMv1-ESS in the NT field, LMv1 in the LM field. */
static NTSTATUS verify_ntlmv1(const struct ntlm_verify_request *r,
                              const struct ntlm_account_keys *keys, struct ntlm_verify_result *res)
{
    const BOOLEAN lm_given = r->lm_length == NTLM_V1_RESPONSE_LENGTH;
    const BOOLEAN ess = lm_given && all_zero(r->lm_response + 8, 16);
    uint8_t expected[NTLM_V1_RESPONSE_LENGTH];
    BOOLEAN allowed = 0, matched = 0;
    NTSTATUS status = STATUS_SUCCESS;

    if (r->lm_compatibility_level <= 4) {
        const uint8_t *key = keys->has_nt ? keys->nt_hash : zero_hash;
        allowed = 1;
        if (ess)
            status = ntlm_v1_ess_response(key, r->server_challenge, r->lm_response, expected);
        else
            status = ntlm_desl(key, r->server_challenge, expected);
        if (status == STATUS_SUCCESS) {
            matched = (CRYPTO_memcmp(expected, r->nt_response, NTLM_V1_RESPONSE_LENGTH) == 0) &
                      (keys->has_nt != 0);
            if (matched)
                res->kind = ess ? NTLM_RESPONSE_NTLMV1_ESS : NTLM_RESPONSE_NTLMV1;
        }
    }
    if (status == STATUS_SUCCESS && !matched && r->lm_compatibility_level <= 3 && lm_given &&
        !ess) {
        allowed = 1;
        if (keys->has_lm) {
            status = ntlm_desl(keys->lm_hash, r->server_challenge, expected);
            if (status == STATUS_SUCCESS) {
                matched = CRYPTO_memcmp(expected, r->lm_response, NTLM_V1_RESPONSE_LENGTH) == 0;
                if (matched)
                    res->kind = NTLM_RESPONSE_LMV1;
            }
        }
    }
    explicit_bzero(expected, sizeof(expected));
    if (status != STATUS_SUCCESS)
        return status;
    if (!allowed)
        return STATUS_LOGON_FAILURE;
    if (!matched)
        return STATUS_WRONG_PASSWORD;
    return v1_session_keys(keys, res);
}

/* No NT response: LMv2 (every level), then LMv1 (levels 0-3). */
static NTSTATUS verify_lm_only(const struct ntlm_verify_request *r,
                               const struct ntlm_account_keys *keys, struct ntlm_verify_result *res)
{
    const uint8_t *lm = r->lm_response;
    uint8_t ntowf_v2[NTLM_HASH_LENGTH], expected[NTLM_V1_RESPONSE_LENGTH];
    BOOLEAN matched = 0;
    NTSTATUS status = STATUS_SUCCESS;

    /* An all-zero HMAC part (or 24 zero bytes) is what v2 clients send instead of LMv2. */
    if (!all_zero(lm, NTLM_PROOF_LENGTH)) {
        const uint8_t *key = keys->has_nt ? keys->nt_hash : zero_hash;
        struct domain_attempts d = { .request = r };
        for (int attempt = 0; attempt < 3 && !matched && status == STATUS_SUCCESS; attempt++) {
            BOOLEAN skip;
            status = domain_attempt(&d, attempt, key, ntowf_v2, &skip);
            if (status != STATUS_SUCCESS || skip)
                continue;
            status = ntlm_lmv2_response(ntowf_v2, r->server_challenge, lm + 16, expected);
            if (status == STATUS_SUCCESS)
                matched = (CRYPTO_memcmp(expected, lm, NTLM_V1_RESPONSE_LENGTH) == 0) &
                          (keys->has_nt != 0);
        }
        domain_attempts_free(&d);
        if (status == STATUS_SUCCESS && matched) {
            /* Samba's LMv2-only user session key: HMAC_MD5(NTOWFv2, LMv2[0..15]). */
            status = v2_session_keys(ntowf_v2, lm, res);
            if (status == STATUS_SUCCESS)
                res->kind = NTLM_RESPONSE_LMV2;
        }
    }
    if (status == STATUS_SUCCESS && !matched && r->lm_compatibility_level <= 3 && keys->has_lm) {
        status = ntlm_desl(keys->lm_hash, r->server_challenge, expected);
        if (status == STATUS_SUCCESS &&
            CRYPTO_memcmp(expected, lm, NTLM_V1_RESPONSE_LENGTH) == 0) {
            matched = 1;
            status = v1_session_keys(keys, res);
            if (status == STATUS_SUCCESS)
                res->kind = NTLM_RESPONSE_LMV1;
        }
    }
    explicit_bzero(ntowf_v2, sizeof(ntowf_v2));
    explicit_bzero(expected, sizeof(expected));
    if (status == STATUS_SUCCESS && !matched)
        status = STATUS_WRONG_PASSWORD;
    return status;
}

NTSTATUS ntlm_verify(const struct ntlm_verify_request *request,
                     const struct ntlm_account_keys *keys, struct ntlm_verify_result *result)
{
    if (result == NULL)
        return STATUS_INVALID_PARAMETER;
    memset(result, 0, sizeof(*result));
    const struct ntlm_verify_request *r = request;
    if (r == NULL || keys == NULL || r->server_challenge == NULL ||
        (r->nt_response == NULL && r->nt_length > 0) ||
        (r->lm_response == NULL && r->lm_length > 0) || (r->user == NULL && r->user_bytes > 0) ||
        (r->domain == NULL && r->domain_bytes > 0) || r->user_bytes % 2 != 0 ||
        r->domain_bytes % 2 != 0 || r->lm_compatibility_level < 0 ||
        r->lm_compatibility_level > 5)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS status = ntlm_crypto_init();
    if (status != STATUS_SUCCESS)
        return status;

    if (r->nt_length > NTLM_V1_RESPONSE_LENGTH)
        status = verify_ntlmv2(r, keys, result);
    else if (r->nt_length == NTLM_V1_RESPONSE_LENGTH)
        status = verify_ntlmv1(r, keys, result);
    else if (r->nt_length > 0)
        status = STATUS_INVALID_PARAMETER;
    else if (r->lm_length == NTLM_V1_RESPONSE_LENGTH)
        status = verify_lm_only(r, keys, result);
    else
        status = STATUS_WRONG_PASSWORD; /* nothing that could be proof */

    if (status != STATUS_SUCCESS)
        explicit_bzero(result, sizeof(*result)); /* kind NONE, no keys */
    return status;
}

const char *ntlm_response_kind_name(enum ntlm_response_kind kind)
{
    switch (kind) {
    case NTLM_RESPONSE_NONE:
        return "none";
    case NTLM_RESPONSE_NTLMV2:
        return "NTLMv2";
    case NTLM_RESPONSE_LMV2:
        return "LMv2";
    case NTLM_RESPONSE_NTLMV1_ESS:
        return "NTLMv1-ESS";
    case NTLM_RESPONSE_NTLMV1:
        return "NTLMv1";
    case NTLM_RESPONSE_LMV1:
        return "LMv1";
    }
    return "unknown";
}
