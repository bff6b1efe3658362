/*
 * Server-side response verification (packages/msv1_0/ntlm_verify.h) with the MS-NLMP
 * §4.2 responses of spec/ntlm.md §1: kinds accepted per lm_compatibility_level, the
 * NTOWFv2 domain retries, the blob timestamp, malformed responses, session keys.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <lsa/ntstatus.h>

#include "ntlm_crypto.h"
#include "ntlm_verify.h"

#define W(s) ((const WCHAR *)(s)), (sizeof(s) - 2)

static const uint8_t server_challenge[8] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };

/* §4.2 values */
#define NT_HASH_HEX "a4f49c406510bdcab6824ee7c30fd852"
#define LM_HASH_HEX "e52cac67419a9a224a3b108f3fa6cb6d"
#define NTLMV1_HEX "67c43011f30298a2ad35ece64f16331c44bdbed927841f94"
#define LMV1_HEX "98def7b87f88aa5dafe2df779688a172def11c7d5ccdef13"
#define ESS_LM_HEX "aaaaaaaaaaaaaaaa00000000000000000000000000000000"
#define ESS_NT_HEX "7537f803ae367128ca458204bde7caf81e97ed2683267232"
#define LMV2_HEX "86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa"
#define TEMP_HEX                                                                                   \
    "01010000000000000000000000000000aaaaaaaaaaaaaaaa0000000002000c0044006f006d00610069006e0001000c" \
    "005300650072007600650072000000000000000000"
#define NTLMV2_HEX "68cd0ab851e51c96aabc927bebef6a1c" TEMP_HEX
#define SBK_V1_HEX "d87262b0cde4b1cb7499becccdf10784"
#define SBK_V2_HEX "8de40ccadbc14a82f15cb0ad0de95ca3"
#define LMV2_KEY_HEX "79fc6113707eacb96d5d7e0b81bee408"

#define FILETIME_UNIX_EPOCH UINT64_C(11644473600)

static size_t from_hex(const char *hex, uint8_t *out, size_t max)
{
    size_t n = strlen(hex) / 2;
    assert_true(strlen(hex) % 2 == 0 && n <= max);
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    return n;
}

static void assert_hex(const uint8_t *got, size_t length, const char *hex)
{
    uint8_t want[256];
    assert_int_equal(from_hex(hex, want, sizeof(want)), length);
    assert_memory_equal(got, want, length);
}

/* A request carrying copies of the responses, as a logon would. */
struct call {
    struct ntlm_verify_request request;
    struct ntlm_account_keys keys;
    struct ntlm_verify_result result;
    uint8_t nt[256];
    uint8_t lm[24];
};

static void call_init(struct call *c, int level)
{
    memset(c, 0, sizeof(*c));
    c->request.server_challenge = server_challenge;
    c->request.nt_response = c->nt;
    c->request.lm_response = c->lm;
    c->request.user = (const WCHAR *)u"User";
    c->request.user_bytes = 8;
    c->request.domain = (const WCHAR *)u"Domain";
    c->request.domain_bytes = 12;
    c->request.lm_compatibility_level = level;
    c->request.now = 0;
    c->request.max_skew = INT64_MAX;
    from_hex(NT_HASH_HEX, c->keys.nt_hash, 16);
    c->keys.has_nt = 1;
    from_hex(LM_HASH_HEX, c->keys.lm_hash, 16);
    c->keys.has_lm = 1;
    memset(&c->result, 0x5a, sizeof(c->result)); /* must be overwritten */
}

static void set_nt(struct call *c, const char *hex)
{
    c->request.nt_length = from_hex(hex, c->nt, sizeof(c->nt));
}

static void set_lm(struct call *c, const char *hex)
{
    c->request.lm_length = from_hex(hex, c->lm, sizeof(c->lm));
}

static NTSTATUS run(struct call *c)
{
    return ntlm_verify(&c->request, &c->keys, &c->result);
}

static void assert_failed_clean(struct call *c)
{
    static const uint8_t zero[16];
    assert_int_equal(c->result.kind, NTLM_RESPONSE_NONE);
    assert_memory_equal(c->result.user_session_key, zero, 16);
    assert_memory_equal(c->result.lm_session_key, zero, 8);
}

/*
 * An NTLMv2 response for User/DOMAIN/Password over the §4.2 temp with the timestamp
 * FILETIME, computed with the crypto layer (whose values test_ntlm_crypto pins down).
 */
static void make_ntlmv2(struct call *c, const WCHAR *domain, size_t domain_bytes, uint64_t filetime)
{
    uint8_t ntowf[16];
    size_t temp_length = from_hex(TEMP_HEX, c->nt + 16, sizeof(c->nt) - 16);
    for (int i = 0; i < 8; i++)
        c->nt[16 + 8 + i] = (uint8_t)(filetime >> (8 * i));
    assert_int_equal(ntlm_ntowf_v2(c->keys.nt_hash, W(u"User"), domain, domain_bytes, ntowf),
                     STATUS_SUCCESS);
    assert_int_equal(ntlm_v2_proof(ntowf, server_challenge, c->nt + 16, temp_length, c->nt),
                     STATUS_SUCCESS);
    c->request.nt_length = 16 + temp_length;
}

static uint64_t unix_to_filetime(int64_t t)
{
    return ((uint64_t)t + FILETIME_UNIX_EPOCH) * 10000000u;
}

/* ---- NTLMv2 -------------------------------------------------------------------------- */

static void test_ntlmv2_vector(void **state)
{
    (void)state;
    for (int level = 0; level <= 5; level++) {
        struct call c;
        call_init(&c, level);
        set_nt(&c, NTLMV2_HEX);
        assert_int_equal(run(&c), STATUS_SUCCESS);
        assert_int_equal(c.result.kind, NTLM_RESPONSE_NTLMV2);
        assert_hex(c.result.user_session_key, 16, SBK_V2_HEX);
        assert_hex(c.result.lm_session_key, 8, "8de40ccadbc14a82");
    }
}

static void test_ntlmv2_timestamp(void **state)
{
    (void)state;
    struct call c;
    int64_t now = (int64_t)time(NULL);

    call_init(&c, 5); /* the vector's Time = 0 (1601) is far from now */
    set_nt(&c, NTLMV2_HEX);
    c.request.now = now;
    c.request.max_skew = 300;
    assert_int_equal(run(&c), STATUS_TIME_DIFFERENCE_AT_DC);
    assert_failed_clean(&c);

    call_init(&c, 5);
    make_ntlmv2(&c, W(u"Domain"), unix_to_filetime(now - 299));
    c.request.now = now;
    c.request.max_skew = 300;
    assert_int_equal(run(&c), STATUS_SUCCESS);
    assert_int_equal(c.result.kind, NTLM_RESPONSE_NTLMV2);

    call_init(&c, 5);
    make_ntlmv2(&c, W(u"Domain"), unix_to_filetime(now + 301));
    c.request.now = now;
    c.request.max_skew = 300;
    assert_int_equal(run(&c), STATUS_TIME_DIFFERENCE_AT_DC);

    call_init(&c, 5); /* extreme values must not overflow */
    make_ntlmv2(&c, W(u"Domain"), UINT64_MAX);
    c.request.now = INT64_MIN;
    c.request.max_skew = INT64_MAX;
    assert_int_equal(run(&c), STATUS_TIME_DIFFERENCE_AT_DC);
}

static void test_ntlmv2_wrong_password(void **state)
{
    (void)state;
    struct call c;
    call_init(&c, 5);
    set_nt(&c, NTLMV2_HEX);
    assert_int_equal(ntlm_nt_hash(W(u"Passw0rd"), c.keys.nt_hash), STATUS_SUCCESS);
    assert_int_equal(run(&c), STATUS_WRONG_PASSWORD);
    assert_failed_clean(&c);

    call_init(&c, 5); /* a tampered blob (an AV pair byte) is a wrong response */
    set_nt(&c, NTLMV2_HEX);
    c.nt[16 + 32] ^= 1;
    assert_int_equal(run(&c), STATUS_WRONG_PASSWORD);

    call_init(&c, 5); /* ... and a valid LMv2 beside it does not rescue it */
    set_nt(&c, NTLMV2_HEX);
    set_lm(&c, LMV2_HEX);
    c.nt[16 + 32] ^= 1;
    assert_int_equal(run(&c), STATUS_WRONG_PASSWORD);
}

static void test_ntlmv2_domain_retries(void **state)
{
    (void)state;
    struct call c;

    call_init(&c, 5); /* Samba's client upper-cases the domain */
    make_ntlmv2(&c, W(u"DOMAIN"), 0);
    assert_int_equal(run(&c), STATUS_SUCCESS);
    assert_int_equal(c.result.kind, NTLM_RESPONSE_NTLMV2);

    call_init(&c, 5); /* computed without a domain */
    make_ntlmv2(&c, NULL, 0, 0);
    assert_int_equal(run(&c), STATUS_SUCCESS);

    call_init(&c, 5); /* sent upper-cased, so the retries change nothing */
    make_ntlmv2(&c, W(u"DOMAIN"), 0);
    c.request.domain = (const WCHAR *)u"DOMAIN";
    assert_int_equal(run(&c), STATUS_SUCCESS);

    call_init(&c, 5); /* sent empty, computed for "Domain": no retry invents a domain */
    make_ntlmv2(&c, W(u"Domain"), 0);
    c.request.domain = NULL;
    c.request.domain_bytes = 0;
    assert_int_equal(run(&c), STATUS_WRONG_PASSWORD);

    call_init(&c, 5); /* another domain */
    make_ntlmv2(&c, W(u"Other"), 0);
    assert_int_equal(run(&c), STATUS_WRONG_PASSWORD);

    call_init(&c, 5); /* the user is compared case-insensitively by NTOWFv2 itself */
    make_ntlmv2(&c, W(u"Domain"), 0);
    c.request.user = (const WCHAR *)u"uSeR";
    assert_int_equal(run(&c), STATUS_SUCCESS);
}

static void test_ntlmv2_with_lm_fields(void **state)
{
    (void)state;
    struct call c;
    call_init(&c, 5); /* Samba: 24 zero bytes */
    set_nt(&c, NTLMV2_HEX);
    set_lm(&c, "000000000000000000000000000000000000000000000000");
    assert_int_equal(run(&c), STATUS_SUCCESS);
    assert_int_equal(c.result.kind, NTLM_RESPONSE_NTLMV2);

    call_init(&c, 5); /* curl: a valid LMv2; the NTLMv2 decides the kind and keys */
    set_nt(&c, NTLMV2_HEX);
    set_lm(&c, LMV2_HEX);
    assert_int_equal(run(&c), STATUS_SUCCESS);
    assert_int_equal(c.result.kind, NTLM_RESPONSE_NTLMV2);
    assert_hex(c.result.user_session_key, 16, SBK_V2_HEX);
}

static void test_ntlmv2_malformed(void **state)
{
    (void)state;
    struct call c;
    call_init(&c, 5); /* blob shorter than its 28-byte header */
    set_nt(&c, NTLMV2_HEX);
    c.request.nt_length = 16 + 27;
    assert_int_equal(run(&c), STATUS_INVALID_PARAMETER);
    assert_failed_clean(&c);
    c.request.nt_length = 25;
    assert_int_equal(run(&c), STATUS_INVALID_PARAMETER);
    c.request.nt_length = 16 + 28; /* exactly the header: well-formed, wrong proof */
    assert_int_equal(run(&c), STATUS_WRONG_PASSWORD);

    call_init(&c, 5); /* RespType must be 1 */
    set_nt(&c, NTLMV2_HEX);
    c.nt[16] = 2;
    assert_int_equal(run(&c), STATUS_INVALID_PARAMETER);

    call_init(&c, 5); /* shorter than any response */
    set_nt(&c, NTLMV1_HEX);
    c.request.nt_length = 23;
    assert_int_equal(run(&c), STATUS_INVALID_PARAMETER);

    call_init(&c, 6); /* no such level */
    set_nt(&c, NTLMV2_HEX);
    assert_int_equal(run(&c), STATUS_INVALID_PARAMETER);
    call_init(&c, -1);
    set_nt(&c, NTLMV2_HEX);
    assert_int_equal(run(&c), STATUS_INVALID_PARAMETER);

    call_init(&c, 5); /* UTF-16 names have even lengths */
    set_nt(&c, NTLMV2_HEX);
    c.request.user_bytes = 7;
    assert_int_equal(run(&c), STATUS_INVALID_PARAMETER);

    assert_int_equal(ntlm_verify(NULL, &c.keys, &c.result), STATUS_INVALID_PARAMETER);
    assert_int_equal(ntlm_verify(&c.request, &c.keys, NULL), STATUS_INVALID_PARAMETER);
}

/* ---- LMv2 ---------------------------------------------------------------------------- */

static void test_lmv2_alone(void **state)
{
    (void)state;
    for (int level = 0; level <= 5; level++) {
        struct call c;
        call_init(&c, level);
        set_lm(&c, LMV2_HEX);
        assert_int_equal(run(&c), STATUS_SUCCESS);
        assert_int_equal(c.result.kind, NTLM_RESPONSE_LMV2);
        assert_hex(c.result.user_session_key, 16, LMV2_KEY_HEX);
        assert_hex(c.result.lm_session_key, 8, "79fc6113707eacb9");
    }
    static const uint8_t cc_a[8] = { 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa };
    static const uint8_t cc_b[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    struct call c;
    call_init(&c, 5); /* wrong password */
    set_lm(&c, LMV2_HEX);
    c.lm[3] ^= 0x80;
    assert_int_equal(run(&c), STATUS_WRONG_PASSWORD);

    call_init(&c, 5); /* the §4.2 LMv2 (made for "Domain") while the request says "DOMAIN"... */
    set_lm(&c, LMV2_HEX);
    c.request.domain = (const WCHAR *)u"DOMAIN";
    assert_int_equal(run(&c), STATUS_WRONG_PASSWORD); /* ...is not found: no lower-casing */
    call_init(&c, 5); /* an LMv2 made for "DOMAIN", request "Domain": the upper-cased retry */
    uint8_t ntowf[16];
    assert_int_equal(ntlm_ntowf_v2(c.keys.nt_hash, W(u"User"), W(u"DOMAIN"), ntowf), STATUS_SUCCESS);
    assert_int_equal(ntlm_lmv2_response(ntowf, server_challenge, cc_a, c.lm), STATUS_SUCCESS);
    c.request.lm_length = 24;
    assert_int_equal(run(&c), STATUS_SUCCESS);
    assert_int_equal(c.result.kind, NTLM_RESPONSE_LMV2);
    call_init(&c, 5); /* an LMv2 made for the empty domain */
    assert_int_equal(ntlm_ntowf_v2(c.keys.nt_hash, W(u"User"), NULL, 0, ntowf), STATUS_SUCCESS);
    assert_int_equal(ntlm_lmv2_response(ntowf, server_challenge, cc_b, c.lm), STATUS_SUCCESS);
    c.request.lm_length = 24;
    assert_int_equal(run(&c), STATUS_SUCCESS);
}

static void test_zero_lmv2_rejected(void **state)
{
    (void)state;
    struct call c;
    call_init(&c, 5);
    set_lm(&c, "000000000000000000000000000000000000000000000000");
    assert_int_equal(run(&c), STATUS_WRONG_PASSWORD);
    assert_failed_clean(&c);
    call_init(&c, 0);
    set_lm(&c, "00000000000000000000000000000000aaaaaaaaaaaaaaaa");
    assert_int_equal(run(&c), STATUS_WRONG_PASSWORD);
    call_init(&c, 5); /* nothing at all */
    assert_int_equal(run(&c), STATUS_WRONG_PASSWORD);
}

/* ---- NTLMv1, LMv1, ESS ------------------------------------------------------------- */

static void test_ntlmv1_levels(void **state)
{
    (void)state;
    for (int level = 0; level <= 5; level++) {
        struct call c; /* the §4.2.2.3 message: LMv1 + NTLMv1 */
        call_init(&c, level);
        set_nt(&c, NTLMV1_HEX);
        set_lm(&c, LMV1_HEX);
        if (level <= 4) {
            assert_int_equal(run(&c), STATUS_SUCCESS);
            assert_int_equal(c.result.kind, NTLM_RESPONSE_NTLMV1);
            assert_hex(c.result.user_session_key, 16, SBK_V1_HEX);
            assert_hex(c.result.lm_session_key, 8, "e52cac67419a9a22");
        } else {
            assert_int_equal(run(&c), STATUS_LOGON_FAILURE);
            assert_failed_clean(&c);
        }
        call_init(&c, level); /* NT copied into the LM field (gss-ntlmssp level 2) */
        set_nt(&c, NTLMV1_HEX);
        set_lm(&c, NTLMV1_HEX);
        assert_int_equal(run(&c), level <= 4 ? STATUS_SUCCESS : STATUS_LOGON_FAILURE);
    }
    struct call c;
    call_init(&c, 2);
    set_nt(&c, NTLMV1_HEX);
    assert_int_equal(ntlm_nt_hash(W(u"Passw0rd"), c.keys.nt_hash), STATUS_SUCCESS);
    c.keys.has_lm = 0;
    assert_int_equal(run(&c), STATUS_WRONG_PASSWORD);
    assert_failed_clean(&c);
}

static void test_lmv1_levels(void **state)
{
    (void)state;
    for (int level = 0; level <= 5; level++) {
        struct call c;
        call_init(&c, level); /* LMv1 alone */
        set_lm(&c, LMV1_HEX);
        if (level <= 3) {
            assert_int_equal(run(&c), STATUS_SUCCESS);
            assert_int_equal(c.result.kind, NTLM_RESPONSE_LMV1);
            assert_hex(c.result.user_session_key, 16, SBK_V1_HEX);
            assert_hex(c.result.lm_session_key, 8, "e52cac67419a9a22");
        } else {
            assert_int_equal(run(&c), STATUS_WRONG_PASSWORD);
        }
        call_init(&c, level); /* a wrong NTLMv1 beside a right LMv1 */
        set_nt(&c, NTLMV1_HEX);
        c.nt[0] ^= 1;
        set_lm(&c, LMV1_HEX);
        assert_int_equal(run(&c), level <= 3   ? STATUS_SUCCESS
                                  : level == 4 ? STATUS_WRONG_PASSWORD
                                               : STATUS_LOGON_FAILURE);
        if (level <= 3)
            assert_int_equal(c.result.kind, NTLM_RESPONSE_LMV1);
    }
}

static void test_lm_without_lm_hash(void **state)
{
    (void)state;
    struct call c;
    call_init(&c, 0);
    set_lm(&c, LMV1_HEX);
    c.keys.has_lm = 0;
    assert_int_equal(run(&c), STATUS_WRONG_PASSWORD);
    assert_failed_clean(&c);

    call_init(&c, 0); /* LMv1 only, no NT hash: Samba's LM-derived user session key */
    set_lm(&c, LMV1_HEX);
    c.keys.has_nt = 0;
    assert_int_equal(run(&c), STATUS_SUCCESS);
    assert_int_equal(c.result.kind, NTLM_RESPONSE_LMV1);
    assert_hex(c.result.user_session_key, 16, "e52cac67419a9a220000000000000000");
}

static void test_ntlmv1_ess(void **state)
{
    (void)state;
    for (int level = 0; level <= 5; level++) {
        struct call c;
        call_init(&c, level);
        set_nt(&c, ESS_NT_HEX);
        set_lm(&c, ESS_LM_HEX);
        if (level <= 4) {
            assert_int_equal(run(&c), STATUS_SUCCESS);
            assert_int_equal(c.result.kind, NTLM_RESPONSE_NTLMV1_ESS);
            assert_hex(c.result.user_session_key, 16, SBK_V1_HEX);
        } else {
            assert_int_equal(run(&c), STATUS_LOGON_FAILURE);
        }
    }
    struct call c;
    call_init(&c, 3); /* the ESS response without its CC‖Z16 LM field is plain NTLMv1: wrong */
    set_nt(&c, ESS_NT_HEX);
    assert_int_equal(run(&c), STATUS_WRONG_PASSWORD);
    call_init(&c, 3); /* another client challenge */
    set_nt(&c, ESS_NT_HEX);
    set_lm(&c, ESS_LM_HEX);
    c.lm[0] = 0xab;
    assert_int_equal(run(&c), STATUS_WRONG_PASSWORD);
}

/* ---- accounts ------------------------------------------------------------------------ */

static void test_account_without_nt_hash(void **state)
{
    (void)state;
    struct call c;
    call_init(&c, 5);
    set_nt(&c, NTLMV2_HEX);
    c.keys.has_nt = 0;
    assert_int_equal(run(&c), STATUS_WRONG_PASSWORD);
    assert_failed_clean(&c);

    call_init(&c, 5); /* even when the stored bytes are zero and the response is made for them */
    memset(c.keys.nt_hash, 0, 16);
    make_ntlmv2(&c, W(u"Domain"), 0);
    c.keys.has_nt = 0;
    assert_int_equal(run(&c), STATUS_WRONG_PASSWORD);

    call_init(&c, 2);
    set_nt(&c, NTLMV1_HEX);
    c.keys.has_nt = 0;
    c.keys.has_lm = 0;
    assert_int_equal(run(&c), STATUS_WRONG_PASSWORD);

    call_init(&c, 5);
    set_lm(&c, LMV2_HEX);
    c.keys.has_nt = 0;
    assert_int_equal(run(&c), STATUS_WRONG_PASSWORD);
}

static void test_kind_names(void **state)
{
    (void)state;
    assert_string_equal(ntlm_response_kind_name(NTLM_RESPONSE_NONE), "none");
    assert_string_equal(ntlm_response_kind_name(NTLM_RESPONSE_NTLMV2), "NTLMv2");
    assert_string_equal(ntlm_response_kind_name(NTLM_RESPONSE_LMV2), "LMv2");
    assert_string_equal(ntlm_response_kind_name(NTLM_RESPONSE_NTLMV1_ESS), "NTLMv1-ESS");
    assert_string_equal(ntlm_response_kind_name(NTLM_RESPONSE_NTLMV1), "NTLMv1");
    assert_string_equal(ntlm_response_kind_name(NTLM_RESPONSE_LMV1), "LMv1");
    assert_string_equal(ntlm_response_kind_name((enum ntlm_response_kind)42), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ntlmv2_vector),
        cmocka_unit_test(test_ntlmv2_timestamp),
        cmocka_unit_test(test_ntlmv2_wrong_password),
        cmocka_unit_test(test_ntlmv2_domain_retries),
        cmocka_unit_test(test_ntlmv2_with_lm_fields),
        cmocka_unit_test(test_ntlmv2_malformed),
        cmocka_unit_test(test_lmv2_alone),
        cmocka_unit_test(test_zero_lmv2_rejected),
        cmocka_unit_test(test_ntlmv1_levels),
        cmocka_unit_test(test_lmv1_levels),
        cmocka_unit_test(test_lm_without_lm_hash),
        cmocka_unit_test(test_ntlmv1_ess),
        cmocka_unit_test(test_account_without_nt_hash),
        cmocka_unit_test(test_kind_names),
    };
    return cmocka_run_group_tests_name("ntlm_verify", tests, NULL, NULL);
}
