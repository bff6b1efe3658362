/*
 * libFuzzer harness for the NTLM response verifier (packages/msv1_0/ntlm_verify.h):
 * arbitrary NT/LM responses, user, domain, level, clock and account keys go through
 * ntlm_verify(); it must never crash or read outside its inputs (each is copied into a
 * malloc of exactly its length), and its result must be consistent.
 *
 * Input layout (short inputs are zero-extended):
 *   [0]        lm_compatibility_level (% 8: 6 and 7 are invalid)
 *   [1]        bit 0 has_nt, 1 has_lm, 2 sign the NT response, 3 sign the LM response,
 *              4 use the §4.2 password's hashes, 5 max_skew = INT64_MAX,
 *              6 sign for the upper-cased domain, 7 sign for the empty domain
 *   [2,4)      NT response length (LE16), [4] LM response length,
 *   [5] user length in bytes, [6] domain length in bytes
 *   [7,15)     server challenge, [15,23) now, [23,31) max_skew,
 *   [31,47)    NT hash, [47,63) LM hash
 *   [63,...)   NT response, LM response, user, domain (in that order; truncated)
 *
 * "Sign" makes the response valid for the keys given (the harness computes it with the
 * crypto layer), so the success paths - timestamps, session keys, domain retries - are
 * reached; a signed NTLMv2 response with has_nt and an unlimited skew must verify.
 *
 *   clang -g -fsanitize=fuzzer,address,undefined -Iinclude -Ipackages/msv1_0 \
 *       fuzz/fuzz_ntlm_verify.c packages/msv1_0/ntlm_*.c -lcrypto -o fuzz_ntlm_verify
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lsa/ntstatus.h>

#include "ntlm_crypto.h"
#include "ntlm_verify.h"

#define HEADER 63

#define CHECK(cond)                                                                      \
    do {                                                                                 \
        if (!(cond))                                                                     \
            abort();                                                                     \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* A malloc of exactly LENGTH bytes (at least 1 so that the pointer is not NULL). */
static uint8_t *take(const uint8_t **p, size_t *left, size_t length)
{
    if (length > *left)
        length = *left;
    uint8_t *copy = malloc(length > 0 ? length : 1);
    CHECK(copy != NULL);
    if (length > 0)
        memcpy(copy, *p, length);
    *p += length;
    *left -= length;
    return copy;
}

static void upper_ascii(uint8_t *d, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        if (d[i + 1] == 0 && d[i] >= 'a' && d[i] <= 'z')
            d[i] = (uint8_t)(d[i] - 0x20);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t password_nt[16] = { 0xa4, 0xf4, 0x9c, 0x40, 0x65, 0x10, 0xbd, 0xca,
                                             0xb6, 0x82, 0x4e, 0xe7, 0xc3, 0x0f, 0xd8, 0x52 };
    static const uint8_t password_lm[16] = { 0xe5, 0x2c, 0xac, 0x67, 0x41, 0x9a, 0x9a, 0x22,
                                             0x4a, 0x3b, 0x10, 0x8f, 0x3f, 0xa6, 0xcb, 0x6d };
    uint8_t h[HEADER] = { 0 };
    memcpy(h, data, size < HEADER ? size : HEADER);
    const uint8_t *p = data + (size < HEADER ? size : HEADER);
    size_t left = size < HEADER ? 0 : size - HEADER;

    const uint8_t flags = h[1];
    size_t nt_length = (size_t)h[2] | (size_t)h[3] << 8;
    size_t lm_length = h[4];
    uint8_t challenge[8];
    memcpy(challenge, h + 7, 8);

    struct ntlm_account_keys keys = { .has_nt = flags & 1, .has_lm = (flags >> 1) & 1 };
    memcpy(keys.nt_hash, flags & 0x10 ? password_nt : h + 31, 16);
    memcpy(keys.lm_hash, flags & 0x10 ? password_lm : h + 47, 16);

    if (nt_length > left)
        nt_length = left;
    uint8_t *nt = take(&p, &left, nt_length);
    if (lm_length > left)
        lm_length = left;
    uint8_t *lm = take(&p, &left, lm_length);
    size_t user_bytes = h[5] < left ? h[5] : left;
    uint8_t *user = take(&p, &left, user_bytes);
    size_t domain_bytes = h[6] < left ? h[6] : left;
    uint8_t *domain = take(&p, &left, domain_bytes);

    struct ntlm_verify_request request = {
        .server_challenge = challenge,
        .nt_response = nt,
        .nt_length = nt_length,
        .lm_response = lm,
        .lm_length = lm_length,
        .user = (const WCHAR *)user,
        .user_bytes = user_bytes,
        .domain = (const WCHAR *)domain,
        .domain_bytes = domain_bytes,
        .lm_compatibility_level = h[0] % 8,
        .now = (int64_t)le64(h + 15),
        .max_skew = flags & 0x20 ? INT64_MAX : (int64_t)le64(h + 23),
    };

    /* Sign the responses for the keys, so that the success paths are reached. */
    const BOOLEAN names_ok = user_bytes % 2 == 0 && domain_bytes % 2 == 0;
    BOOLEAN signed_v2 = 0;
    uint8_t ntowf[16];
    if (names_ok && (flags & 0x0c)) {
        uint8_t *sign_domain = malloc(domain_bytes > 0 ? domain_bytes : 1);
        CHECK(sign_domain != NULL);
        memcpy(sign_domain, domain, domain_bytes);
        size_t sign_bytes = domain_bytes;
        if (flags & 0x80)
            sign_bytes = 0;
        else if (flags & 0x40)
            upper_ascii(sign_domain, domain_bytes);
        CHECK(ntlm_ntowf_v2(keys.nt_hash, (const WCHAR *)user, user_bytes,
                            (const WCHAR *)sign_domain, sign_bytes, ntowf) == STATUS_SUCCESS);
        free(sign_domain);
        if ((flags & 0x04) && nt_length >= 16 + 28) {
            nt[16] = nt[17] = 1;
            CHECK(ntlm_v2_proof(ntowf, challenge, nt + 16, nt_length - 16, nt) == STATUS_SUCCESS);
            signed_v2 = 1;
        } else if ((flags & 0x04) && nt_length == 24) {
            if (lm_length == 24 && !memcmp(lm + 8, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16))
                CHECK(ntlm_v1_ess_response(keys.nt_hash, challenge, lm, nt) == STATUS_SUCCESS);
            else
                CHECK(ntlm_desl(keys.nt_hash, challenge, nt) == STATUS_SUCCESS);
        }
        if ((flags & 0x08) && lm_length == 24) {
            if (nt_length == 0)
                CHECK(ntlm_lmv2_response(ntowf, challenge, lm + 16, lm) == STATUS_SUCCESS);
            else if (nt_length == 24)
                CHECK(ntlm_desl(keys.lm_hash, challenge, lm) == STATUS_SUCCESS);
        }
    }

    struct ntlm_verify_result result;
    memset(&result, 0xa5, sizeof(result));
    NTSTATUS status = ntlm_verify(&request, &keys, &result);

    static const uint8_t zero[16];
    if (status == STATUS_SUCCESS) {
        CHECK(result.kind != NTLM_RESPONSE_NONE);
        CHECK(request.lm_compatibility_level <= 5);
        if (result.kind == NTLM_RESPONSE_NTLMV1 || result.kind == NTLM_RESPONSE_NTLMV1_ESS)
            CHECK(request.lm_compatibility_level <= 4 && keys.has_nt);
        if (result.kind == NTLM_RESPONSE_LMV1)
            CHECK(request.lm_compatibility_level <= 3 && keys.has_lm);
        if (result.kind == NTLM_RESPONSE_NTLMV2 || result.kind == NTLM_RESPONSE_LMV2)
            CHECK(keys.has_nt);
    } else {
        CHECK(result.kind == NTLM_RESPONSE_NONE);
        CHECK(memcmp(result.user_session_key, zero, 16) == 0);
        CHECK(memcmp(result.lm_session_key, zero, 8) == 0);
    }
    if (signed_v2 && keys.has_nt && request.max_skew == INT64_MAX &&
        request.lm_compatibility_level <= 5) {
        /* The signed domain is one of the three attempts: as sent, upper-cased, empty. */
        CHECK(status == STATUS_SUCCESS || status == STATUS_TIME_DIFFERENCE_AT_DC);
        if (status == STATUS_SUCCESS)
            CHECK(result.kind == NTLM_RESPONSE_NTLMV2);
    }
    (void)ntlm_response_kind_name(result.kind);

    free(nt);
    free(lm);
    free(user);
    free(domain);
    return 0;
}
