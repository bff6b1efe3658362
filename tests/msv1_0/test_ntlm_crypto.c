/*
 * NTLM cryptography (packages/msv1_0/ntlm_crypto.h) against the MS-NLMP §4.2 values of
 * spec/ntlm.md §1, RFC 1320 / RFC 2202, and its own rules: no LM hash for long or
 * non-ASCII passwords, Unicode upper-casing of the NTOWFv2 user, per-thread contexts,
 * and STATUS_NOT_SUPPORTED without the legacy provider.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <lsa/ntstatus.h>

#include "ntlm_crypto.h"
#include "ntlm_verify.h"
#include "ntowf_cache.h"

/* §4.2.1 common inputs */
#define W(s) ((const WCHAR *)(s)), (sizeof(s) - 2)
static const uint8_t server_challenge[8] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
static const uint8_t client_challenge[8] = { 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa };

#define TEMP_HEX                                                                                   \
    "01010000000000000000000000000000aaaaaaaaaaaaaaaa0000000002000c0044006f006d00610069006e0001000c" \
    "005300650072007600650072000000000000000000"

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

static void nt_hash_of_password(uint8_t nt[16])
{
    assert_int_equal(ntlm_nt_hash(W(u"Password"), nt), STATUS_SUCCESS);
}

static void ntowf_v2_of_vector(uint8_t ntowf[16])
{
    uint8_t nt[16];
    nt_hash_of_password(nt);
    assert_int_equal(ntlm_ntowf_v2(nt, W(u"User"), W(u"Domain"), ntowf), STATUS_SUCCESS);
}

/* ---- sanity: the primitives ---------------------------------------------------- */

static void test_md4_rfc1320(void **state)
{
    (void)state;
    /* ntlm_nt_hash is MD4 over the bytes it is given. */
    WCHAR buffer[7];
    uint8_t out[16];
    memcpy(buffer, "message digest", 14);
    assert_int_equal(ntlm_nt_hash(buffer, 14, out), STATUS_SUCCESS);
    assert_hex(out, 16, "d9130a8164549fe818874806e1c7014b");
    assert_int_equal(ntlm_nt_hash(NULL, 0, out), STATUS_SUCCESS); /* MD4("") */
    assert_hex(out, 16, "31d6cfe0d16ae931b73c59d7e0c089c0");
}

static void test_hmac_md5_rfc2202(void **state)
{
    (void)state;
    uint8_t key1[16], out[16];
    memset(key1, 0x0b, sizeof(key1));
    assert_int_equal(ntlm_hmac_md5(key1, 16, (const uint8_t *)"Hi There", 8, NULL, 0, NULL, 0, out),
                     STATUS_SUCCESS);
    assert_hex(out, 16, "9294727a3638bb1c13f48ef8158bfc9d");
    /* RFC 2202 case 2 on the same (re-keyed) context, then case 1 again in three pieces. */
    const char *data2 = "what do ya want for nothing?";
    assert_int_equal(ntlm_hmac_md5((const uint8_t *)"Jefe", 4, (const uint8_t *)data2,
                                   strlen(data2), NULL, 0, NULL, 0, out),
                     STATUS_SUCCESS);
    assert_hex(out, 16, "750c783e6ab0b503eaa86e310a5db738");
    assert_int_equal(ntlm_hmac_md5(key1, 16, (const uint8_t *)"Hi", 2, (const uint8_t *)" The", 4,
                                   (const uint8_t *)"re", 2, out),
                     STATUS_SUCCESS);
    assert_hex(out, 16, "9294727a3638bb1c13f48ef8158bfc9d");
    /* An empty key is a real empty key, not "keep the previous one". */
    assert_int_equal(ntlm_hmac_md5(NULL, 0, NULL, 0, NULL, 0, NULL, 0, out), STATUS_SUCCESS);
    assert_hex(out, 16, "74e6f7298a9c2d168935f58c001bad88");
}

static void test_md5(void **state)
{
    (void)state;
    uint8_t out[16];
    assert_int_equal(ntlm_md5(NULL, 0, NULL, 0, out), STATUS_SUCCESS);
    assert_hex(out, 16, "d41d8cd98f00b204e9800998ecf8427e");
    assert_int_equal(ntlm_md5((const uint8_t *)"a", 1, (const uint8_t *)"bc", 2, out),
                     STATUS_SUCCESS);
    assert_hex(out, 16, "900150983cd24fb0d6963f7d28e17f72");
}

static void test_invalid_parameters(void **state)
{
    (void)state;
    uint8_t nt[16], out[16];
    nt_hash_of_password(nt);
    assert_int_equal(ntlm_ntowf_v2(nt, (const WCHAR *)u"User", 7, NULL, 0, out),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(ntlm_ntowf_v2(nt, NULL, 2, NULL, 0, out), STATUS_INVALID_PARAMETER);
    assert_int_equal(ntlm_hmac_md5(NULL, 16, NULL, 0, NULL, 0, NULL, 0, out),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(ntlm_lm_hash((const WCHAR *)u"ab", 3, out), STATUS_INVALID_PARAMETER);
}

/* ---- §4.2.2 NTLMv1 ---------------------------------------------------------------- */

static void test_lmowf_v1(void **state)
{
    (void)state;
    uint8_t lm[16];
    assert_int_equal(ntlm_lm_hash(W(u"Password"), lm), STATUS_SUCCESS);
    assert_hex(lm, 16, "e52cac67419a9a224a3b108f3fa6cb6d");
    assert_int_equal(ntlm_lm_hash(W(u"pAssWORD"), lm), STATUS_SUCCESS); /* upper-cased */
    assert_hex(lm, 16, "e52cac67419a9a224a3b108f3fa6cb6d");
    assert_int_equal(ntlm_lm_hash(NULL, 0, lm), STATUS_SUCCESS); /* the well-known empty LM hash */
    assert_hex(lm, 16, "aad3b435b51404eeaad3b435b51404ee");
}

static void test_no_lm_hash(void **state)
{
    (void)state;
    uint8_t lm[16];
    assert_int_equal(ntlm_lm_hash(W(u"Fourteen_chars"), lm), STATUS_SUCCESS); /* 14: still one */
    assert_int_equal(ntlm_lm_hash(W(u"FifteenCharsPwd"), lm), STATUS_OBJECT_NAME_NOT_FOUND);
    assert_int_equal(ntlm_lm_hash(W(u"p\u00e4sswort"), lm), STATUS_OBJECT_NAME_NOT_FOUND);
    assert_int_equal(ntlm_lm_hash(W(u"\u041f\u0430\u0440\u043e\u043b\u044c"), lm),
                     STATUS_OBJECT_NAME_NOT_FOUND);
}

static void test_ntowf_v1(void **state)
{
    (void)state;
    uint8_t nt[16];
    nt_hash_of_password(nt);
    assert_hex(nt, 16, "a4f49c406510bdcab6824ee7c30fd852");
}

static void test_session_base_key_v1(void **state)
{
    (void)state;
    uint8_t nt[16], key[16];
    nt_hash_of_password(nt);
    assert_int_equal(ntlm_v1_session_base_key(nt, key), STATUS_SUCCESS);
    assert_hex(key, 16, "d87262b0cde4b1cb7499becccdf10784");
}

static void test_ntlmv1_response(void **state)
{
    (void)state;
    uint8_t nt[16], response[24];
    nt_hash_of_password(nt);
    assert_int_equal(ntlm_desl(nt, server_challenge, response), STATUS_SUCCESS);
    assert_hex(response, 24, "67c43011f30298a2ad35ece64f16331c44bdbed927841f94");
}

static void test_lmv1_response(void **state)
{
    (void)state;
    uint8_t lm[16], response[24];
    assert_int_equal(ntlm_lm_hash(W(u"Password"), lm), STATUS_SUCCESS);
    assert_int_equal(ntlm_desl(lm, server_challenge, response), STATUS_SUCCESS);
    assert_hex(response, 24, "98def7b87f88aa5dafe2df779688a172def11c7d5ccdef13");
}

/* §4.2.2.1.3: KXKEY with NEGOTIATE_LM_KEY, built from the DES primitive. */
static void test_lm_key_kxkey(void **state)
{
    (void)state;
    uint8_t lm[16], lm_response[24], key[16], out[24];
    assert_int_equal(ntlm_lm_hash(W(u"Password"), lm), STATUS_SUCCESS);
    assert_int_equal(ntlm_desl(lm, server_challenge, lm_response), STATUS_SUCCESS);
    /* DESL over K = LMOWF[0..7] ‖ BD×8 gives DES(K[0..6]) ‖ DES(K[7..13]) ‖ … */
    memcpy(key, lm, 8);
    memset(key + 8, 0xbd, 8);
    assert_int_equal(ntlm_desl(key, lm_response, out), STATUS_SUCCESS);
    assert_hex(out, 16, "b09e379f7fbecb1eaf0afdcb0383c8a0");
}

/* ---- §4.2.3 NTLMv1 with extended session security -------------------------------- */

static void test_ntlmv1_ess(void **state)
{
    (void)state;
    uint8_t nt[16], lm_response[24], digest[16], response[24], key[16], kxkey[16], signkey[16];
    static const char magic[] = "session key to client-to-server signing key magic constant";

    memcpy(lm_response, client_challenge, 8); /* §4.2.3.2.1: CC ‖ Z(16) */
    memset(lm_response + 8, 0, 16);
    assert_hex(lm_response, 24, "aaaaaaaaaaaaaaaa00000000000000000000000000000000");

    assert_int_equal(ntlm_md5(server_challenge, 8, client_challenge, 8, digest), STATUS_SUCCESS);
    assert_hex(digest, 8, "5af2559e6bcb5c25");

    nt_hash_of_password(nt);
    assert_int_equal(ntlm_v1_ess_response(nt, server_challenge, client_challenge, response),
                     STATUS_SUCCESS);
    assert_hex(response, 24, "7537f803ae367128ca458204bde7caf81e97ed2683267232");

    assert_int_equal(ntlm_v1_session_base_key(nt, key), STATUS_SUCCESS);
    assert_hex(key, 16, "d87262b0cde4b1cb7499becccdf10784");
    assert_int_equal(ntlm_hmac_md5(key, 16, server_challenge, 8, lm_response, 8, NULL, 0, kxkey),
                     STATUS_SUCCESS); /* §4.2.3.1.3 */
    assert_hex(kxkey, 16, "eb93429a8bd952f8b89c55b87f475edc");
    assert_int_equal(ntlm_md5(kxkey, 16, (const uint8_t *)magic, sizeof(magic), signkey),
                     STATUS_SUCCESS); /* §4.2.3.4, with the NUL */
    assert_hex(signkey, 16, "60e799be5c72fc92922ae8ebe961fb8d");
}

/* ---- §4.2.4 NTLMv2 ----------------------------------------------------------------- */

static void test_ntowf_v2(void **state)
{
    (void)state;
    uint8_t ntowf[16], nt[16], other[16];
    ntowf_v2_of_vector(ntowf);
    assert_hex(ntowf, 16, "0c868a403bfd7a93a3001ef22ef02e3f");
    /* The user is upper-cased, the domain is not. */
    nt_hash_of_password(nt);
    assert_int_equal(ntlm_ntowf_v2(nt, W(u"USER"), W(u"Domain"), other), STATUS_SUCCESS);
    assert_memory_equal(other, ntowf, 16);
    assert_int_equal(ntlm_ntowf_v2(nt, W(u"User"), W(u"DOMAIN"), other), STATUS_SUCCESS);
    assert_memory_not_equal(other, ntowf, 16);
}

static void build_temp(uint8_t *temp, size_t *length)
{
    static const uint8_t av_domain[] = { 'D', 0, 'o', 0, 'm', 0, 'a', 0, 'i', 0, 'n', 0 };
    static const uint8_t av_server[] = { 'S', 0, 'e', 0, 'r', 0, 'v', 0, 'e', 0, 'r', 0 };
    size_t n = 0;
    temp[n++] = 1;
    temp[n++] = 1;
    memset(temp + n, 0, 6 + 8); /* reserved, Time = 0 */
    n += 14;
    memcpy(temp + n, client_challenge, 8);
    n += 8;
    memset(temp + n, 0, 4);
    n += 4;
    /* MsvAvNbDomainName then MsvAvNbComputerName (the bytes' order), MsvAvEOL, Z(4). */
    temp[n++] = 2, temp[n++] = 0, temp[n++] = 12, temp[n++] = 0;
    memcpy(temp + n, av_domain, 12);
    n += 12;
    temp[n++] = 1, temp[n++] = 0, temp[n++] = 12, temp[n++] = 0;
    memcpy(temp + n, av_server, 12);
    n += 12;
    memset(temp + n, 0, 8);
    n += 8;
    *length = n;
}

static void test_temp(void **state)
{
    (void)state;
    uint8_t temp[128];
    size_t length;
    build_temp(temp, &length);
    assert_int_equal(length, strlen(TEMP_HEX) / 2);
    assert_hex(temp, length, TEMP_HEX);
}

static void test_ntproofstr_and_session_base_key_v2(void **state)
{
    (void)state;
    uint8_t ntowf[16], temp[128], proof[16], key[16];
    size_t length = from_hex(TEMP_HEX, temp, sizeof(temp));
    ntowf_v2_of_vector(ntowf);
    assert_int_equal(ntlm_v2_proof(ntowf, server_challenge, temp, length, proof), STATUS_SUCCESS);
    assert_hex(proof, 16, "68cd0ab851e51c96aabc927bebef6a1c");
    assert_int_equal(ntlm_v2_session_base_key(ntowf, proof, key), STATUS_SUCCESS);
    assert_hex(key, 16, "8de40ccadbc14a82f15cb0ad0de95ca3");
}

/* The pair reuses the first HMAC's key for the second: after an HMAC under another key
 * on the same thread, both values must still be the vector's. */
static void test_v2_proof_and_session_key_together(void **state)
{
    (void)state;
    uint8_t ntowf[16], other[16], temp[128], proof[16], key[16], scratch[16];
    size_t length = from_hex(TEMP_HEX, temp, sizeof(temp));
    ntowf_v2_of_vector(ntowf);
    memset(other, 0x5c, sizeof(other));
    for (int round = 0; round < 2; round++) {
        assert_int_equal(ntlm_hmac_md5(other, sizeof(other), temp, length, NULL, 0, NULL, 0,
                                       scratch), STATUS_SUCCESS);
        memset(proof, 0, sizeof(proof));
        memset(key, 0, sizeof(key));
        assert_int_equal(ntlm_v2_proof_and_session_key(ntowf, server_challenge, temp, length,
                                                       proof, key), STATUS_SUCCESS);
        assert_hex(proof, 16, "68cd0ab851e51c96aabc927bebef6a1c");
        assert_hex(key, 16, "8de40ccadbc14a82f15cb0ad0de95ca3");
    }
    assert_int_equal(ntlm_v2_proof_and_session_key(ntowf, server_challenge, temp, length, NULL,
                                                   key), STATUS_INVALID_PARAMETER);
}

static void test_lmv2_and_lmv2_session_key(void **state)
{
    (void)state;
    uint8_t ntowf[16], response[24], key[16];
    ntowf_v2_of_vector(ntowf);
    assert_int_equal(ntlm_lmv2_response(ntowf, server_challenge, client_challenge, response),
                     STATUS_SUCCESS);
    assert_hex(response, 24, "86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa");
    /* Samba's LMv2-only session key: HMAC_MD5(NTOWFv2, LMv2[0..15]). */
    assert_int_equal(ntlm_v2_session_base_key(ntowf, response, key), STATUS_SUCCESS);
    assert_hex(key, 16, "79fc6113707eacb96d5d7e0b81bee408");
}

/* ---- Unicode upper-casing of the NTOWFv2 user ------------------------------------- */

static void assert_same_ntowf_v2(const WCHAR *a, size_t a_bytes, const WCHAR *b, size_t b_bytes,
                                 int same)
{
    uint8_t nt[16], x[16], y[16];
    nt_hash_of_password(nt);
    assert_int_equal(ntlm_ntowf_v2(nt, a, a_bytes, W(u"Domain"), x), STATUS_SUCCESS);
    assert_int_equal(ntlm_ntowf_v2(nt, b, b_bytes, W(u"Domain"), y), STATUS_SUCCESS);
    if (same)
        assert_memory_equal(x, y, 16);
    else
        assert_memory_not_equal(x, y, 16);
}

/* Pinned to Samba's upcase table (the one its NTLM server applies), which ntlm_crypto.c
 * reproduces for the whole BMP; the cases below were each confirmed with ntlm_auth. */
static void test_unicode_user_upper_case(void **state)
{
    (void)state;
    assert_same_ntowf_v2(W(u"jos\u00e9"), W(u"JOS\u00c9"), 1);
    assert_same_ntowf_v2(W(u"jos\u00e9"), W(u"JOSE"), 0);
    assert_same_ntowf_v2(W(u"\u00fe\u00f8\u00e5\u00ff"), W(u"\u00de\u00d8\u00c5\u0178"), 1);
    assert_same_ntowf_v2(W(u"\u00f7"), W(u"\u00d7"), 0); /* ÷ is not a letter */
    /* Latin Extended-A: ł/Ł (lower even), ā/Ā and ő/Ő (lower odd), ž/Ž */
    assert_same_ntowf_v2(W(u"\u0142ukasz \u0101\u0151\u017e"), W(u"\u0141UKASZ \u0100\u0150\u017d"), 1);
    /* Greek, with tonos and final sigma: σοφός, Ιωάννης */
    assert_same_ntowf_v2(W(u"\u03c3\u03bf\u03c6\u03cc\u03c2"), W(u"\u03a3\u039f\u03a6\u038c\u03a3"), 1);
    assert_same_ntowf_v2(W(u"\u0399\u03c9\u03ac\u03bd\u03bd\u03b7\u03c2"),
                         W(u"\u0399\u03a9\u0386\u039d\u039d\u0397\u03a3"), 1);
    /* Cyrillic, with Ukrainian ґ and Kazakh ә/қ */
    assert_same_ntowf_v2(W(u"\u0438\u0432\u0430\u043d \u0451\u0457\u0491\u04d9\u049b"),
                         W(u"\u0418\u0412\u0410\u041d \u0401\u0407\u0490\u04d8\u049a"), 1);
    /* Vietnamese (Latin Extended-B and Additional), Armenian, fullwidth */
    assert_same_ntowf_v2(W(u"\u01b0\u01a1\u1ebf\u1ef9"), W(u"\u01af\u01a0\u1ebe\u1ef8"), 1);
    assert_same_ntowf_v2(W(u"\u0561\u0586"), W(u"\u0531\u0556"), 1);
    assert_same_ntowf_v2(W(u"\uff41\uff5a"), W(u"\uff21\uff3a"), 1);
    /* Not mapped by that table: dotless i, long s, micro sign, s-comma, ѐ, Georgian */
    assert_same_ntowf_v2(W(u"\u0131"), W(u"I"), 0);
    assert_same_ntowf_v2(W(u"\u017f"), W(u"S"), 0);
    assert_same_ntowf_v2(W(u"\u00b5"), W(u"\u039c"), 0);
    assert_same_ntowf_v2(W(u"\u0219"), W(u"\u0218"), 0);
    assert_same_ntowf_v2(W(u"\u0450"), W(u"\u0400"), 0);
    assert_same_ntowf_v2(W(u"\u10d0"), W(u"\u1c90"), 0);
    /* A character outside the BMP (a surrogate pair) is left as it is. */
    assert_same_ntowf_v2(W(u"a\U0001f600"), W(u"A\U0001f600"), 1);
    assert_same_ntowf_v2(W(u"\U00010428"), W(u"\U00010400"), 0); /* Deseret */
}

static void test_unaligned_user(void **state)
{
    (void)state;
    uint8_t storage[1 + 8 + 12], nt[16], out[16];
    memcpy(storage + 1, u"User", 8);
    memcpy(storage + 9, u"Domain", 12);
    nt_hash_of_password(nt);
    assert_int_equal(ntlm_ntowf_v2(nt, (const WCHAR *)(storage + 1), 8,
                                   (const WCHAR *)(storage + 9), 12, out),
                     STATUS_SUCCESS);
    assert_hex(out, 16, "0c868a403bfd7a93a3001ef22ef02e3f");
}

/* ---- threads ------------------------------------------------------------------------ */

#define THREAD_ROUNDS 20000

static void *hmac_worker(void *arg)
{
    uintptr_t failures = 0;
    uint8_t nt[16], ntowf[16], proof[16], key[16], temp[128], out[24], want_proof[16];
    size_t length = from_hex(TEMP_HEX, temp, sizeof(temp));
    uint8_t key1[16];
    memset(key1, 0x0b, sizeof(key1));
    from_hex("68cd0ab851e51c96aabc927bebef6a1c", want_proof, 16);
    (void)arg;

    for (int i = 0; i < THREAD_ROUNDS; i++) {
        failures += ntlm_nt_hash(W(u"Password"), nt) != STATUS_SUCCESS;
        failures += ntlm_ntowf_v2(nt, W(u"User"), W(u"Domain"), ntowf) != STATUS_SUCCESS;
        failures += ntlm_v2_proof(ntowf, server_challenge, temp, length, proof) != STATUS_SUCCESS;
        failures += memcmp(proof, want_proof, 16) != 0;
        failures += ntlm_hmac_md5(key1, 16, (const uint8_t *)"Hi There", 8, NULL, 0, NULL, 0,
                                  key) != STATUS_SUCCESS;
        failures += memcmp(key, "\x92\x94\x72\x7a\x36\x38\xbb\x1c\x13\xf4\x8e\xf8\x15\x8b\xfc\x9d",
                           16) != 0;
        if (i % 64 == 0) {
            failures += ntlm_desl(nt, server_challenge, out) != STATUS_SUCCESS;
            failures += memcmp(out, "\x67\xc4\x30\x11\xf3\x02\x98\xa2", 8) != 0;
        }
    }
    return (void *)failures;
}

static void test_two_threads(void **state)
{
    (void)state;
    pthread_t threads[2];
    for (int i = 0; i < 2; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, hmac_worker, NULL), 0);
    for (int i = 0; i < 2; i++) {
        void *failures;
        assert_int_equal(pthread_join(threads[i], &failures), 0);
        assert_int_equal((uintptr_t)failures, 0);
    }
}

/* ---- random ------------------------------------------------------------------------ */

static void test_random(void **state)
{
    (void)state;
    uint8_t a[32], b[32], zero[32] = { 0 };
    assert_int_equal(ntlm_random(a, sizeof(a)), STATUS_SUCCESS);
    assert_int_equal(ntlm_random(b, sizeof(b)), STATUS_SUCCESS);
    assert_memory_not_equal(a, b, sizeof(a));
    assert_memory_not_equal(a, zero, sizeof(a));
}

/* Buffered bytes: all different, and a forked child does not hand out the parent's. */
static void test_random_buffered(void **state)
{
    (void)state;
    uint8_t seen[200][8], mine[8], theirs[8];
    for (int i = 0; i < 200; i++) {
        assert_int_equal(ntlm_random_buffered(seen[i], 8), STATUS_SUCCESS);
        for (int j = 0; j < i; j++)
            assert_memory_not_equal(seen[i], seen[j], 8);
    }
    assert_int_equal(ntlm_random_buffered(NULL, 1), STATUS_INVALID_PARAMETER);
    assert_int_equal(ntlm_random_buffered(mine, NTLM_RANDOM_BUFFERED_MAX + 1),
                     STATUS_INVALID_PARAMETER);
    int pipefd[2];
    assert_int_equal(pipe(pipefd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        uint8_t child[8];
        _exit(ntlm_random_buffered(child, 8) != STATUS_SUCCESS ||
              write(pipefd[1], child, 8) != 8);
    }
    assert_int_equal(ntlm_random_buffered(mine, 8), STATUS_SUCCESS);
    assert_int_equal(read(pipefd[0], theirs, 8), 8);
    int wstatus;
    assert_int_equal(waitpid(pid, &wstatus, 0), pid);
    assert_true(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
    close(pipefd[0]);
    close(pipefd[1]);
    assert_memory_not_equal(mine, theirs, 8);
}

/* ---- NTOWFv2 cache ----------------------------------------------------------------- */

/* The cached value is the derived one, and a new NT hash (a password change) or other
 * names are never answered with an old value. */
static void test_ntowf_v2_cached(void **state)
{
    (void)state;
    static const WCHAR user[] = u"Alice", other[] = u"Bob", domain[] = u"LABDOM";
    uint8_t hash1[16], hash2[16], want[16], got[16];
    memset(hash1, 0x11, sizeof(hash1));
    memset(hash2, 0x22, sizeof(hash2));
    for (int round = 0; round < 3; round++) {
        const uint8_t *hash = round == 1 ? hash2 : hash1;
        assert_int_equal(ntlm_ntowf_v2(hash, user, 10, domain, 12, want), STATUS_SUCCESS);
        for (int again = 0; again < 2; again++) {
            assert_int_equal(ntlm_ntowf_v2_cached(hash, user, 10, domain, 12, got),
                             STATUS_SUCCESS);
            assert_memory_equal(got, want, 16);
        }
        assert_int_equal(ntlm_ntowf_v2(hash, other, 6, domain, 12, want), STATUS_SUCCESS);
        assert_int_equal(ntlm_ntowf_v2_cached(hash, other, 6, domain, 12, got), STATUS_SUCCESS);
        assert_memory_equal(got, want, 16);
        assert_int_equal(ntlm_ntowf_v2(hash, user, 10, NULL, 0, want), STATUS_SUCCESS);
        assert_int_equal(ntlm_ntowf_v2_cached(hash, user, 10, NULL, 0, got), STATUS_SUCCESS);
        assert_memory_equal(got, want, 16);
    }
}

/* ---- no legacy provider ------------------------------------------------------------ */

#define NO_LEGACY_CHILD "--no-legacy-child"

/* Runs in a fresh process whose OpenSSL cannot find legacy.so. */
static int no_legacy_child(void)
{
    uint8_t out[24], key[16] = { 0 };
    int bad = 0;
    struct ntlm_verify_request request = { .server_challenge = server_challenge,
                                           .lm_compatibility_level = 5 };
    struct ntlm_account_keys keys = { .has_nt = 1 };
    struct ntlm_verify_result result;
    bad += ntlm_crypto_init() != STATUS_NOT_SUPPORTED;
    bad += ntlm_nt_hash(W(u"Password"), out) != STATUS_NOT_SUPPORTED;
    bad += ntlm_lm_hash(W(u"Password"), out) != STATUS_NOT_SUPPORTED;
    bad += ntlm_desl(key, server_challenge, out) != STATUS_NOT_SUPPORTED;
    bad += ntlm_md5(key, 16, NULL, 0, out) != STATUS_NOT_SUPPORTED;
    bad += ntlm_hmac_md5(key, 16, NULL, 0, NULL, 0, NULL, 0, out) != STATUS_NOT_SUPPORTED;
    bad += ntlm_ntowf_v2(key, W(u"User"), W(u"Domain"), out) != STATUS_NOT_SUPPORTED;
    bad += ntlm_random(out, 8) != STATUS_NOT_SUPPORTED;
    bad += ntlm_verify(&request, &keys, &result) != STATUS_NOT_SUPPORTED;
    return bad == 0 ? 0 : 1;
}

static void test_missing_legacy_provider(void **state)
{
    (void)state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        setenv("OPENSSL_MODULES", "/nonexistent/ossl-modules", 1);
        setenv("OPENSSL_CONF", "/dev/null", 1);
        execl("/proc/self/exe", "test_ntlm_crypto", NO_LEGACY_CHILD, (char *)NULL);
        _exit(127);
    }
    int wstatus;
    assert_int_equal(waitpid(pid, &wstatus, 0), pid);
    assert_true(WIFEXITED(wstatus));
    assert_int_equal(WEXITSTATUS(wstatus), 0);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], NO_LEGACY_CHILD) == 0)
        return no_legacy_child();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_md4_rfc1320),
        cmocka_unit_test(test_hmac_md5_rfc2202),
        cmocka_unit_test(test_md5),
        cmocka_unit_test(test_invalid_parameters),
        cmocka_unit_test(test_lmowf_v1),
        cmocka_unit_test(test_no_lm_hash),
        cmocka_unit_test(test_ntowf_v1),
        cmocka_unit_test(test_session_base_key_v1),
        cmocka_unit_test(test_ntlmv1_response),
        cmocka_unit_test(test_lmv1_response),
        cmocka_unit_test(test_lm_key_kxkey),
        cmocka_unit_test(test_ntlmv1_ess),
        cmocka_unit_test(test_ntowf_v2),
        cmocka_unit_test(test_temp),
        cmocka_unit_test(test_ntproofstr_and_session_base_key_v2),
        cmocka_unit_test(test_v2_proof_and_session_key_together),
        cmocka_unit_test(test_lmv2_and_lmv2_session_key),
        cmocka_unit_test(test_unicode_user_upper_case),
        cmocka_unit_test(test_unaligned_user),
        cmocka_unit_test(test_two_threads),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_random_buffered),
        cmocka_unit_test(test_ntowf_v2_cached),
        cmocka_unit_test(test_missing_legacy_provider),
    };
    return cmocka_run_group_tests_name("ntlm_crypto", tests, NULL, NULL);
}
