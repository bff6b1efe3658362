/*
 * NTLM cryptography on OpenSSL 3 EVP (MS-NLMP §3.3, vectors in spec/ntlm.md §1).
 *
 * Providers and algorithms (spec/ntlm.md §2): "legacy" (MD4, DES-ECB, RC4) and
 * "default" (MD5, HMAC, the DRBG) are loaded together, once per process, into a private
 * OSSL_LIB_CTX (the variant spec/ntlm.md §2 describes for a daemon).  A private context
 * leaves the host process's default context alone: pam_lsa runs inside sshd, login and
 * su, and loading "legacy" there would add DES/RC4/MD4 to the host's algorithms and turn
 * off its implicit default provider (or add "default" to a FIPS-only configuration);
 * and it can be torn down completely when msv1_0.so is unloaded or the process exits.
 * Every algorithm is fetched once.  Without the legacy provider every function returns
 * STATUS_NOT_SUPPORTED and one syslog line names the cause.
 *
 * Hot path (spec/ntlm.md §8): each thread owns one EVP_MAC_CTX (HMAC, digest MD5 set
 * once) that is re-keyed with EVP_MAC_init(ctx, key, len, NULL) for every HMAC, plus
 * one EVP_MD_CTX per digest and one EVP_CIPHER_CTX for DES.  They are freed when the
 * thread exits (pthread key destructor) and, for the unloading thread, when the
 * module is unloaded or the process exits (see shutdown_crypto()).
 *
 * Secrets: every local buffer holding a password, a hash or a derived key is wiped
 * with explicit_bzero.  Digest and cipher contexts are reset after each use, which
 * makes OpenSSL free (and cleanse) their state: no MD4 state equal to an NT hash and
 * no DES key schedule survives a call.  The per-thread HMAC context is the deliberate
 * exception: re-keying it instead of rebuilding it is what makes the hot path fast,
 * so it holds the MD5 states derived from the last key used on that thread until the
 * next HMAC or the thread's exit.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/provider.h>
#include <openssl/rand.h>

#include <lsa/ntstatus.h>

#include "ntlm_crypto.h"

/* ---- process-wide state ------------------------------------------------------- */

static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;
static NTSTATUS crypto_status = STATUS_INTERNAL_ERROR;
static atomic_bool crypto_down;
static OSSL_LIB_CTX *libctx;
static OSSL_PROVIDER *legacy_provider;
static OSSL_PROVIDER *default_provider;
static EVP_MD *md4_md;
static EVP_MD *md5_md;
static EVP_MAC *hmac_mac;
static EVP_CIPHER *des_ecb_cipher;
static EVP_CIPHER *rc4_cipher;
static pthread_key_t thread_key;
static BOOLEAN thread_key_created;

struct ntlm_thread_state {
    EVP_MAC_CTX *hmac; /* digest MD5, re-keyed per HMAC */
    EVP_MD_CTX *md4;
    EVP_MD_CTX *md5;
    EVP_CIPHER_CTX *des;
};

static _Thread_local struct ntlm_thread_state *thread_state;

static void thread_state_free(struct ntlm_thread_state *s)
{
    if (s == NULL)
        return;
    EVP_MAC_CTX_free(s->hmac);
    EVP_MD_CTX_free(s->md4);
    EVP_MD_CTX_free(s->md5);
    EVP_CIPHER_CTX_free(s->des);
    free(s);
}

static void thread_state_destructor(void *p)
{
    thread_state_free(p);
    thread_state = NULL;
}

/* The reason of the newest OpenSSL error, and an empty error queue afterwards. */
static const char *openssl_reason(char *buffer, size_t size)
{
    unsigned long e = ERR_peek_last_error();
    if (e == 0)
        snprintf(buffer, size, "no OpenSSL error recorded");
    else
        ERR_error_string_n(e, buffer, size);
    ERR_clear_error();
    return buffer;
}

/*
 * Runs at process exit (before OpenSSL's own atexit cleanup, which was registered
 * earlier) and, because atexit() from a shared object is tied to that object, when
 * msv1_0.so is dlclose()d.  Deleting the key first guarantees that no thread runs a
 * destructor that lives in unmapped code; the contexts of threads other than this one
 * are then left to the process (they are never used again).
 */
static void shutdown_crypto(void)
{
    atomic_store(&crypto_down, 1);
    if (thread_key_created) {
        pthread_key_delete(thread_key);
        thread_key_created = 0;
    }
    /* After OPENSSL_cleanup() (an application may call it before exit) no other OpenSSL
     * call is allowed; this one then just returns 0 (its error goes nowhere). */
    if (!OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CRYPTO_STRINGS, NULL))
        return;
    thread_state_free(thread_state);
    thread_state = NULL;
    EVP_MD_free(md4_md);
    EVP_MD_free(md5_md);
    EVP_MAC_free(hmac_mac);
    EVP_CIPHER_free(des_ecb_cipher);
    EVP_CIPHER_free(rc4_cipher);
    md4_md = md5_md = NULL;
    hmac_mac = NULL;
    des_ecb_cipher = rc4_cipher = NULL;
    if (default_provider != NULL)
        OSSL_PROVIDER_unload(default_provider);
    if (legacy_provider != NULL)
        OSSL_PROVIDER_unload(legacy_provider);
    default_provider = legacy_provider = NULL;
    OSSL_LIB_CTX_free(libctx);
    libctx = NULL;
}

static void crypto_init_once(void)
{
    char reason[256];

    /* Initialise libcrypto first so that its atexit handler (OPENSSL_cleanup) is
     * registered before ours, hence runs after it.  (Options 0 would be a no-op.) */
    if (!OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CRYPTO_STRINGS, NULL)) {
        syslog(LOG_AUTHPRIV | LOG_ERR, "msv1_0: OpenSSL initialisation failed: %s",
               openssl_reason(reason, sizeof(reason)));
        crypto_status = STATUS_INTERNAL_ERROR;
        return;
    }
    if (pthread_key_create(&thread_key, thread_state_destructor) != 0) {
        syslog(LOG_AUTHPRIV | LOG_ERR, "msv1_0: pthread_key_create failed");
        crypto_status = STATUS_INTERNAL_ERROR;
        return;
    }
    thread_key_created = 1;
    if (atexit(shutdown_crypto) != 0) {
        syslog(LOG_AUTHPRIV | LOG_ERR, "msv1_0: atexit failed");
        crypto_status = STATUS_INTERNAL_ERROR;
        return;
    }
    libctx = OSSL_LIB_CTX_new();
    if (libctx == NULL) {
        syslog(LOG_AUTHPRIV | LOG_ERR, "msv1_0: OpenSSL library context: %s",
               openssl_reason(reason, sizeof(reason)));
        crypto_status = STATUS_INTERNAL_ERROR;
        return;
    }
    legacy_provider = OSSL_PROVIDER_load(libctx, "legacy");
    if (legacy_provider == NULL) {
        syslog(LOG_AUTHPRIV | LOG_ERR,
               "msv1_0: OpenSSL legacy provider not available (needed for MD4 and DES): %s",
               openssl_reason(reason, sizeof(reason)));
        crypto_status = STATUS_NOT_SUPPORTED;
        return;
    }
    default_provider = OSSL_PROVIDER_load(libctx, "default");
    if (default_provider == NULL) {
        syslog(LOG_AUTHPRIV | LOG_ERR,
               "msv1_0: OpenSSL default provider not available (needed for MD5 and HMAC): %s",
               openssl_reason(reason, sizeof(reason)));
        crypto_status = STATUS_INTERNAL_ERROR;
        return;
    }

    md4_md = EVP_MD_fetch(libctx, "MD4", NULL);
    des_ecb_cipher = EVP_CIPHER_fetch(libctx, "DES-ECB", NULL);
    rc4_cipher = EVP_CIPHER_fetch(libctx, "RC4", NULL);
    if (md4_md == NULL || des_ecb_cipher == NULL || rc4_cipher == NULL) {
        syslog(LOG_AUTHPRIV | LOG_ERR,
               "msv1_0: OpenSSL legacy provider not available (needed for MD4 and DES): %s",
               openssl_reason(reason, sizeof(reason)));
        crypto_status = STATUS_NOT_SUPPORTED;
        return;
    }
    md5_md = EVP_MD_fetch(libctx, "MD5", NULL);
    hmac_mac = EVP_MAC_fetch(libctx, "HMAC", NULL);
    if (md5_md == NULL || hmac_mac == NULL) {
        syslog(LOG_AUTHPRIV | LOG_ERR, "msv1_0: OpenSSL cannot fetch MD5 or HMAC: %s",
               openssl_reason(reason, sizeof(reason)));
        crypto_status = STATUS_INTERNAL_ERROR;
        return;
    }
    crypto_status = STATUS_SUCCESS;
}

NTSTATUS ntlm_crypto_init(void)
{
    if (pthread_once(&crypto_once, crypto_init_once) != 0)
        return STATUS_INTERNAL_ERROR;
    if (atomic_load(&crypto_down))
        return STATUS_INTERNAL_ERROR;
    return crypto_status;
}

/* This thread's contexts, created on first use. */
static NTSTATUS get_thread_state(struct ntlm_thread_state **out)
{
    NTSTATUS status = ntlm_crypto_init();
    if (status != STATUS_SUCCESS)
        return status;
    if (thread_state != NULL) {
        *out = thread_state;
        return STATUS_SUCCESS;
    }
    struct ntlm_thread_state *s = calloc(1, sizeof(*s));
    if (s == NULL)
        return STATUS_NO_MEMORY;
    s->hmac = EVP_MAC_CTX_new(hmac_mac);
    s->md4 = EVP_MD_CTX_new();
    s->md5 = EVP_MD_CTX_new();
    s->des = EVP_CIPHER_CTX_new();
    if (s->hmac == NULL || s->md4 == NULL || s->md5 == NULL || s->des == NULL) {
        thread_state_free(s);
        ERR_clear_error();
        return STATUS_NO_MEMORY;
    }
    char digest[] = "MD5";
    OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_end(),
    };
    if (!EVP_MAC_CTX_set_params(s->hmac, params) ||
        pthread_setspecific(thread_key, s) != 0) {
        thread_state_free(s);
        ERR_clear_error();
        return STATUS_INTERNAL_ERROR;
    }
    thread_state = s;
    *out = s;
    return STATUS_SUCCESS;
}

/* ---- primitives ------------------------------------------------------------------ */

struct piece {
    const uint8_t *data;
    size_t length;
};

static NTSTATUS digest_pieces(EVP_MD_CTX *ctx, const EVP_MD *md, const struct piece *pieces,
                              size_t count, uint8_t out[16])
{
    unsigned int length = 0;
    int ok = EVP_DigestInit_ex2(ctx, md, NULL);
    for (size_t i = 0; ok && i < count; i++) {
        if (pieces[i].length > 0)
            ok = EVP_DigestUpdate(ctx, pieces[i].data, pieces[i].length);
    }
    if (ok)
        ok = EVP_DigestFinal_ex(ctx, out, &length) && length == 16;
    /* Frees (and cleanses) the algorithm state: for MD4 of a password it is the NT hash. */
    EVP_MD_CTX_reset(ctx);
    if (!ok) {
        explicit_bzero(out, 16);
        ERR_clear_error();
        return STATUS_INTERNAL_ERROR;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS md4(const uint8_t *data, size_t length, uint8_t out[16])
{
    struct ntlm_thread_state *s;
    NTSTATUS status = get_thread_state(&s);
    if (status != STATUS_SUCCESS)
        return status;
    const struct piece p = { data, length };
    return digest_pieces(s->md4, md4_md, &p, 1, out);
}

NTSTATUS ntlm_md5(const uint8_t *a, size_t a_length, const uint8_t *b, size_t b_length,
                  uint8_t out[16])
{
    if (out == NULL || (a == NULL && a_length > 0) || (b == NULL && b_length > 0))
        return STATUS_INVALID_PARAMETER;
    struct ntlm_thread_state *s;
    NTSTATUS status = get_thread_state(&s);
    if (status != STATUS_SUCCESS)
        return status;
    const struct piece p[2] = { { a, a_length }, { b, b_length } };
    return digest_pieces(s->md5, md5_md, p, 2, out);
}

/*
 * HMAC-MD5 on this thread's context.  A zero-length key is passed as a real empty key:
 * EVP_MAC_init with a NULL key would silently reuse the previous call's key.
 */
static NTSTATUS hmac_md5_on(struct ntlm_thread_state *s, const uint8_t *key, size_t key_length,
                            const struct piece *pieces, size_t count, uint8_t out[16])
{
    static const uint8_t empty_key[1];
    size_t length = 0;
    int ok = EVP_MAC_init(s->hmac, key_length > 0 ? key : empty_key, key_length, NULL);
    for (size_t i = 0; ok && i < count; i++) {
        if (pieces[i].length > 0)
            ok = EVP_MAC_update(s->hmac, pieces[i].data, pieces[i].length);
    }
    if (ok)
        ok = EVP_MAC_final(s->hmac, out, &length, 16) && length == 16;
    if (!ok) {
        explicit_bzero(out, 16);
        ERR_clear_error();
        return STATUS_INTERNAL_ERROR;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS hmac_md5_pieces(const uint8_t *key, size_t key_length, const struct piece *pieces,
                                size_t count, uint8_t out[16])
{
    struct ntlm_thread_state *s;
    NTSTATUS status = get_thread_state(&s);
    if (status != STATUS_SUCCESS)
        return status;
    return hmac_md5_on(s, key, key_length, pieces, count, out);
}

/* A second HMAC under the key of the HMAC just computed on S->hmac: EVP_MAC_init with a
 * NULL key restores the saved inner state instead of hashing the padded key again.
 * Callers keep the two calls adjacent, in one function, so nothing can re-key between. */
static NTSTATUS hmac_md5_same_key(struct ntlm_thread_state *s, const struct piece *piece,
                                  uint8_t out[16])
{
    size_t length = 0;
    int ok = EVP_MAC_init(s->hmac, NULL, 0, NULL) &&
             EVP_MAC_update(s->hmac, piece->data, piece->length) &&
             EVP_MAC_final(s->hmac, out, &length, 16) && length == 16;
    if (!ok) {
        explicit_bzero(out, 16);
        ERR_clear_error();
        return STATUS_INTERNAL_ERROR;
    }
    return STATUS_SUCCESS;
}

NTSTATUS ntlm_hmac_md5(const uint8_t *key, size_t key_length, const uint8_t *a, size_t a_length,
                       const uint8_t *b, size_t b_length, const uint8_t *c, size_t c_length,
                       uint8_t out[16])
{
    if (out == NULL || (key == NULL && key_length > 0) || (a == NULL && a_length > 0) ||
        (b == NULL && b_length > 0) || (c == NULL && c_length > 0))
        return STATUS_INVALID_PARAMETER;
    const struct piece p[3] = { { a, a_length }, { b, b_length }, { c, c_length } };
    return hmac_md5_pieces(key, key_length, p, 3, out);
}

/* 56 key bits in 7 bytes -> an 8-byte DES key, 7 bits per byte, parity bit 0
 * (EVP DES-ECB ignores parity; spec/ntlm.md "DES key expansion"). */
static void des_expand_key(const uint8_t in[7], uint8_t out[8])
{
    out[0] = in[0] >> 1;
    out[1] = (uint8_t)(((in[0] & 0x01) << 6) | (in[1] >> 2));
    out[2] = (uint8_t)(((in[1] & 0x03) << 5) | (in[2] >> 3));
    out[3] = (uint8_t)(((in[2] & 0x07) << 4) | (in[3] >> 4));
    out[4] = (uint8_t)(((in[3] & 0x0f) << 3) | (in[4] >> 5));
    out[5] = (uint8_t)(((in[4] & 0x1f) << 2) | (in[5] >> 6));
    out[6] = (uint8_t)(((in[5] & 0x3f) << 1) | (in[6] >> 7));
    out[7] = in[6] & 0x7f;
    for (int i = 0; i < 8; i++)
        out[i] = (uint8_t)(out[i] << 1);
}

/* One DES-ECB block under the 7-byte key KEY7; the key schedule is freed afterwards. */
static NTSTATUS des_block(EVP_CIPHER_CTX *ctx, const uint8_t key7[7], const uint8_t in[8],
                          uint8_t out[8])
{
    uint8_t key[8];
    uint8_t tail[8];
    int length = 0, tail_length = 0;

    des_expand_key(key7, key);
    int ok = EVP_EncryptInit_ex2(ctx, des_ecb_cipher, key, NULL, NULL) &&
             EVP_CIPHER_CTX_set_padding(ctx, 0) && EVP_EncryptUpdate(ctx, out, &length, in, 8) &&
             length == 8 && EVP_EncryptFinal_ex(ctx, tail, &tail_length) && tail_length == 0;
    EVP_CIPHER_CTX_reset(ctx); /* frees and cleanses the expanded key schedule */
    explicit_bzero(key, sizeof(key));
    if (!ok) {
        explicit_bzero(out, 8);
        ERR_clear_error();
        return STATUS_INTERNAL_ERROR;
    }
    return STATUS_SUCCESS;
}

NTSTATUS ntlm_desl(const uint8_t key[NTLM_HASH_LENGTH], const uint8_t data[8],
                   uint8_t out[NTLM_V1_RESPONSE_LENGTH])
{
    if (key == NULL || data == NULL || out == NULL)
        return STATUS_INVALID_PARAMETER;
    struct ntlm_thread_state *s;
    NTSTATUS status = get_thread_state(&s);
    if (status != STATUS_SUCCESS)
        return status;
    uint8_t k21[21], block[8];
    memcpy(k21, key, NTLM_HASH_LENGTH);
    memset(k21 + NTLM_HASH_LENGTH, 0, sizeof(k21) - NTLM_HASH_LENGTH);
    memcpy(block, data, sizeof(block)); /* OUT may overlap DATA or KEY */
    for (int i = 0; i < 3 && status == STATUS_SUCCESS; i++)
        status = des_block(s->des, k21 + 7 * i, block, out + 8 * i);
    explicit_bzero(k21, sizeof(k21));
    explicit_bzero(block, sizeof(block));
    if (status != STATUS_SUCCESS)
        explicit_bzero(out, NTLM_V1_RESPONSE_LENGTH);
    return status;
}

/* ---- NTLMv1 --------------------------------------------------------------------- */

NTSTATUS ntlm_nt_hash(const WCHAR *password, size_t password_bytes, uint8_t hash[NTLM_HASH_LENGTH])
{
    if (hash == NULL || (password == NULL && password_bytes > 0))
        return STATUS_INVALID_PARAMETER;
    return md4((const uint8_t *)password, password_bytes, hash);
}

NTSTATUS ntlm_lm_hash(const WCHAR *password, size_t password_bytes, uint8_t hash[NTLM_HASH_LENGTH])
{
    static const uint8_t magic[8] = { 'K', 'G', 'S', '!', '@', '#', '$', '%' };
    if (hash == NULL || (password == NULL && password_bytes > 0) || password_bytes % 2 != 0)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS status = ntlm_crypto_init();
    if (status != STATUS_SUCCESS)
        return status;
    if (password_bytes / 2 > 14)
        return STATUS_OBJECT_NAME_NOT_FOUND;

    uint8_t padded[14] = { 0 };
    const uint8_t *p = (const uint8_t *)password; /* UTF-16LE, maybe unaligned */
    for (size_t i = 0; i < password_bytes / 2; i++) {
        unsigned unit = p[2 * i] | (unsigned)p[2 * i + 1] << 8;
        if (unit >= 0x80) {
            explicit_bzero(padded, sizeof(padded));
            return STATUS_OBJECT_NAME_NOT_FOUND;
        }
        padded[i] = (uint8_t)(unit >= 'a' && unit <= 'z' ? unit - 0x20 : unit);
    }
    struct ntlm_thread_state *s;
    status = get_thread_state(&s);
    if (status == STATUS_SUCCESS)
        status = des_block(s->des, padded, magic, hash);
    if (status == STATUS_SUCCESS)
        status = des_block(s->des, padded + 7, magic, hash + 8);
    explicit_bzero(padded, sizeof(padded));
    if (status != STATUS_SUCCESS)
        explicit_bzero(hash, NTLM_HASH_LENGTH);
    return status;
}

NTSTATUS ntlm_v1_ess_response(const uint8_t nt_hash[NTLM_HASH_LENGTH],
                              const uint8_t server_challenge[NTLM_CHALLENGE_LENGTH],
                              const uint8_t client_challenge[NTLM_CHALLENGE_LENGTH],
                              uint8_t out[NTLM_V1_RESPONSE_LENGTH])
{
    if (nt_hash == NULL || server_challenge == NULL || client_challenge == NULL || out == NULL)
        return STATUS_INVALID_PARAMETER;
    uint8_t digest[16];
    NTSTATUS status = ntlm_md5(server_challenge, NTLM_CHALLENGE_LENGTH, client_challenge,
                               NTLM_CHALLENGE_LENGTH, digest);
    if (status == STATUS_SUCCESS)
        status = ntlm_desl(nt_hash, digest, out);
    explicit_bzero(digest, sizeof(digest));
    return status;
}

NTSTATUS ntlm_v1_session_base_key(const uint8_t nt_hash[NTLM_HASH_LENGTH],
                                  uint8_t out[NTLM_HASH_LENGTH])
{
    if (nt_hash == NULL || out == NULL)
        return STATUS_INVALID_PARAMETER;
    return md4(nt_hash, NTLM_HASH_LENGTH, out);
}

/* ---- NTLMv2 --------------------------------------------------------------------- */

/*
 * Upper case of one UTF-16 code unit for NTOWFv2, independent of the process locale
 * (towupper is ASCII-only in the C locale PAM hosts run in, and glibc's Unicode tables
 * are newer than Windows').  The table reproduces Samba's upcase table (upcase.dat,
 * compiled into lib/util/charset/codepoints.c), which Samba's NTLM server applies for
 * NTOWFv2 and whose repertoire is that of Unicode 2.x, the Windows NT era: for every
 * BMP code point except the surrogates, upcase_unit() was checked against Samba 4.17's
 * ntlm_auth (ntlm-server-1 accepted our NTLMv2 response for that one-character user):
 * 63454 of 63454 agree.  Upper-cased: Latin-1, Latin Extended-A/B, IPA, Greek with tonos
 * and final sigma (U+03C2 -> U+03A3), Coptic, Cyrillic and its extensions, Armenian,
 * Latin/Greek Extended, Roman numerals, circled and fullwidth letters.  Not upper-cased,
 * as there: letters added to Unicode later (Georgian Mtavruli, Cherokee lower case,
 * U+0219 s-comma, U+0450/U+045D, ...) and the mappings that would turn a non-ASCII letter
 * into ASCII (U+0131 dotless i, U+017F long s) or into Greek (U+00B5 micro).
 * Surrogates (characters outside the BMP) are left as they are: case is mapped per
 * UTF-16 unit.
 */
struct upcase_range {
    uint16_t first, last;
    int16_t delta;
    uint8_t step; /* 1: every code point in [first, last]; 2: every other one from first */
};

static const struct upcase_range upcase_ranges[] = {
    { 0x00e0, 0x00f6, -32, 1 }, { 0x00f8, 0x00fe, -32, 1 }, { 0x00ff, 0x00ff, 121, 1 },
    { 0x0101, 0x012f, -1, 2 }, { 0x0133, 0x0137, -1, 2 }, { 0x013a, 0x0148, -1, 2 },
    { 0x014b, 0x0177, -1, 2 }, { 0x017a, 0x017e, -1, 2 }, { 0x0183, 0x0185, -1, 2 },
    { 0x0188, 0x0188, -1, 1 }, { 0x018c, 0x018c, -1, 1 }, { 0x0192, 0x0192, -1, 1 },
    { 0x0199, 0x0199, -1, 1 }, { 0x01a1, 0x01a5, -1, 2 }, { 0x01a8, 0x01a8, -1, 1 },
    { 0x01ad, 0x01ad, -1, 1 }, { 0x01b0, 0x01b0, -1, 1 }, { 0x01b4, 0x01b6, -1, 2 },
    { 0x01b9, 0x01b9, -1, 1 }, { 0x01bd, 0x01bd, -1, 1 }, { 0x01c6, 0x01c6, -2, 1 },
    { 0x01c9, 0x01c9, -2, 1 }, { 0x01cc, 0x01cc, -2, 1 }, { 0x01ce, 0x01dc, -1, 2 },
    { 0x01dd, 0x01dd, -79, 1 }, { 0x01df, 0x01ef, -1, 2 }, { 0x01f3, 0x01f3, -2, 1 },
    { 0x01f5, 0x01f5, -1, 1 }, { 0x01fb, 0x0217, -1, 2 }, { 0x0253, 0x0253, -210, 1 },
    { 0x0254, 0x0254, -206, 1 }, { 0x0256, 0x0257, -205, 1 }, { 0x0259, 0x0259, -202, 1 },
    { 0x025b, 0x025b, -203, 1 }, { 0x0260, 0x0260, -205, 1 }, { 0x0263, 0x0263, -207, 1 },
    { 0x0268, 0x0268, -209, 1 }, { 0x0269, 0x0269, -211, 1 }, { 0x026f, 0x026f, -211, 1 },
    { 0x0272, 0x0272, -213, 1 }, { 0x0275, 0x0275, -214, 1 }, { 0x0283, 0x0283, -218, 1 },
    { 0x0288, 0x0288, -218, 1 }, { 0x028a, 0x028b, -217, 1 }, { 0x0292, 0x0292, -219, 1 },
    { 0x03ac, 0x03ac, -38, 1 }, { 0x03ad, 0x03af, -37, 1 }, { 0x03b1, 0x03c1, -32, 1 },
    { 0x03c2, 0x03c2, -31, 1 }, { 0x03c3, 0x03cb, -32, 1 }, { 0x03cc, 0x03cc, -64, 1 },
    { 0x03cd, 0x03ce, -63, 1 }, { 0x03e3, 0x03ef, -1, 2 }, { 0x0430, 0x044f, -32, 1 },
    { 0x0451, 0x045c, -80, 1 }, { 0x045e, 0x045f, -80, 1 }, { 0x0461, 0x0481, -1, 2 },
    { 0x0491, 0x04bf, -1, 2 }, { 0x04c2, 0x04c4, -1, 2 }, { 0x04c8, 0x04c8, -1, 1 },
    { 0x04cc, 0x04cc, -1, 1 }, { 0x04d1, 0x04eb, -1, 2 }, { 0x04ef, 0x04f5, -1, 2 },
    { 0x04f9, 0x04f9, -1, 1 }, { 0x0561, 0x0586, -48, 1 }, { 0x1e01, 0x1e95, -1, 2 },
    { 0x1ea1, 0x1ef9, -1, 2 }, { 0x1f00, 0x1f07, 8, 1 }, { 0x1f10, 0x1f15, 8, 1 },
    { 0x1f20, 0x1f27, 8, 1 }, { 0x1f30, 0x1f37, 8, 1 }, { 0x1f40, 0x1f45, 8, 1 },
    { 0x1f51, 0x1f57, 8, 2 }, { 0x1f60, 0x1f67, 8, 1 }, { 0x1f70, 0x1f71, 74, 1 },
    { 0x1f72, 0x1f75, 86, 1 }, { 0x1f76, 0x1f77, 100, 1 }, { 0x1f78, 0x1f79, 128, 1 },
    { 0x1f7a, 0x1f7b, 112, 1 }, { 0x1f7c, 0x1f7d, 126, 1 }, { 0x1fb0, 0x1fb1, 8, 1 },
    { 0x1fd0, 0x1fd1, 8, 1 }, { 0x1fe0, 0x1fe1, 8, 1 }, { 0x1fe5, 0x1fe5, 7, 1 },
    { 0x2170, 0x217f, -16, 1 }, { 0x24d0, 0x24e9, -26, 1 }, { 0xff41, 0xff5a, -32, 1 },
};

static unsigned upcase_unit(unsigned c)
{
    if (c < 0x80)
        return c >= 'a' && c <= 'z' ? c - 0x20 : c;
    size_t lo = 0, hi = sizeof(upcase_ranges) / sizeof(upcase_ranges[0]);
    while (lo < hi) { /* the last range whose first <= c */
        size_t mid = lo + (hi - lo) / 2;
        if (upcase_ranges[mid].first <= c)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return c;
    const struct upcase_range *r = &upcase_ranges[lo - 1];
    if (c > r->last || (c - r->first) % r->step != 0)
        return c;
    return (unsigned)((int)c + r->delta);
}

NTSTATUS ntlm_ntowf_v2(const uint8_t nt_hash[NTLM_HASH_LENGTH], const WCHAR *user, size_t user_bytes,
                       const WCHAR *domain, size_t domain_bytes, uint8_t out[NTLM_HASH_LENGTH])
{
    if (nt_hash == NULL || out == NULL || (user == NULL && user_bytes > 0) ||
        (domain == NULL && domain_bytes > 0) || user_bytes % 2 != 0 || domain_bytes % 2 != 0)
        return STATUS_INVALID_PARAMETER;
    struct ntlm_thread_state *s;
    NTSTATUS status = get_thread_state(&s);
    if (status != STATUS_SUCCESS)
        return status;

    /* UPPER(user) in chunks, so any length works without an allocation. */
    uint8_t chunk[128];
    const uint8_t *u = (const uint8_t *)user; /* UTF-16LE, maybe unaligned */
    int ok = EVP_MAC_init(s->hmac, nt_hash, NTLM_HASH_LENGTH, NULL);
    for (size_t done = 0; ok && done < user_bytes;) {
        size_t n = user_bytes - done < sizeof(chunk) ? user_bytes - done : sizeof(chunk);
        for (size_t i = 0; i < n; i += 2) {
            unsigned c = upcase_unit(u[done + i] | (unsigned)u[done + i + 1] << 8);
            chunk[i] = (uint8_t)(c & 0xff);
            chunk[i + 1] = (uint8_t)(c >> 8);
        }
        ok = EVP_MAC_update(s->hmac, chunk, n);
        done += n;
    }
    if (ok && domain_bytes > 0)
        ok = EVP_MAC_update(s->hmac, (const uint8_t *)domain, domain_bytes);
    size_t length = 0;
    if (ok)
        ok = EVP_MAC_final(s->hmac, out, &length, NTLM_HASH_LENGTH) && length == NTLM_HASH_LENGTH;
    explicit_bzero(chunk, sizeof(chunk));
    if (!ok) {
        explicit_bzero(out, NTLM_HASH_LENGTH);
        ERR_clear_error();
        return STATUS_INTERNAL_ERROR;
    }
    return STATUS_SUCCESS;
}

NTSTATUS ntlm_v2_proof(const uint8_t ntowf_v2[NTLM_HASH_LENGTH],
                       const uint8_t server_challenge[NTLM_CHALLENGE_LENGTH], const uint8_t *blob,
                       size_t blob_length, uint8_t proof[NTLM_PROOF_LENGTH])
{
    if (ntowf_v2 == NULL || server_challenge == NULL || proof == NULL ||
        (blob == NULL && blob_length > 0))
        return STATUS_INVALID_PARAMETER;
    const struct piece p[2] = { { server_challenge, NTLM_CHALLENGE_LENGTH }, { blob, blob_length } };
    return hmac_md5_pieces(ntowf_v2, NTLM_HASH_LENGTH, p, 2, proof);
}

NTSTATUS ntlm_v2_session_base_key(const uint8_t ntowf_v2[NTLM_HASH_LENGTH],
                                  const uint8_t proof[NTLM_PROOF_LENGTH],
                                  uint8_t out[NTLM_HASH_LENGTH])
{
    if (ntowf_v2 == NULL || proof == NULL || out == NULL)
        return STATUS_INVALID_PARAMETER;
    const struct piece p = { proof, NTLM_PROOF_LENGTH };
    return hmac_md5_pieces(ntowf_v2, NTLM_HASH_LENGTH, &p, 1, out);
}

NTSTATUS ntlm_v2_proof_and_session_key(const uint8_t ntowf_v2[NTLM_HASH_LENGTH],
                                       const uint8_t server_challenge[NTLM_CHALLENGE_LENGTH],
                                       const uint8_t *blob, size_t blob_length,
                                       uint8_t proof[NTLM_PROOF_LENGTH],
                                       uint8_t session_base_key[NTLM_HASH_LENGTH])
{
    if (ntowf_v2 == NULL || server_challenge == NULL || proof == NULL ||
        session_base_key == NULL || (blob == NULL && blob_length > 0))
        return STATUS_INVALID_PARAMETER;
    struct ntlm_thread_state *s;
    NTSTATUS status = get_thread_state(&s);
    if (status != STATUS_SUCCESS)
        return status;
    const struct piece p[2] = { { server_challenge, NTLM_CHALLENGE_LENGTH }, { blob, blob_length } };
    status = hmac_md5_on(s, ntowf_v2, NTLM_HASH_LENGTH, p, 2, proof);
    if (status != STATUS_SUCCESS)
        return status;
    const struct piece key_input = { proof, NTLM_PROOF_LENGTH };
    return hmac_md5_same_key(s, &key_input, session_base_key);
}

NTSTATUS ntlm_lmv2_response(const uint8_t ntowf_v2[NTLM_HASH_LENGTH],
                            const uint8_t server_challenge[NTLM_CHALLENGE_LENGTH],
                            const uint8_t client_challenge[NTLM_CHALLENGE_LENGTH],
                            uint8_t out[NTLM_V1_RESPONSE_LENGTH])
{
    if (ntowf_v2 == NULL || server_challenge == NULL || client_challenge == NULL || out == NULL)
        return STATUS_INVALID_PARAMETER;
    uint8_t cc[NTLM_CHALLENGE_LENGTH];
    memcpy(cc, client_challenge, sizeof(cc)); /* OUT may overlap CLIENT_CHALLENGE */
    const struct piece p[2] = { { server_challenge, NTLM_CHALLENGE_LENGTH }, { cc, sizeof(cc) } };
    NTSTATUS status = hmac_md5_pieces(ntowf_v2, NTLM_HASH_LENGTH, p, 2, out);
    if (status == STATUS_SUCCESS)
        memcpy(out + 16, cc, sizeof(cc));
    return status;
}

NTSTATUS ntlm_random(uint8_t *out, size_t length)
{
    if (out == NULL && length > 0)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS status = ntlm_crypto_init();
    if (status != STATUS_SUCCESS)
        return status;
    while (length > 0) {
        size_t n = length > (1u << 20) ? (1u << 20) : length;
        if (RAND_bytes_ex(libctx, out, n, 0) != 1) {
            ERR_clear_error();
            return STATUS_INTERNAL_ERROR;
        }
        out += n;
        length -= n;
    }
    return STATUS_SUCCESS;
}

/*
 * One DRBG call costs about as much as an HMAC, and a challenge is 8 bytes: so each
 * thread draws RANDOM_POOL_BYTES at once and hands them out in order.  A byte is wiped
 * as it is handed out, so the buffer only ever holds values nobody has seen; a forked
 * child wipes its copy of the forking thread's buffer (random_pool_forget), so parent
 * and child never hand out the same bytes.
 */
#define RANDOM_POOL_BYTES 512

struct random_pool {
    size_t next; /* RANDOM_POOL_BYTES: empty */
    uint8_t bytes[RANDOM_POOL_BYTES];
};

static _Thread_local struct random_pool random_pool = { RANDOM_POOL_BYTES, { 0 } };
static pthread_once_t random_pool_once = PTHREAD_ONCE_INIT;

static void random_pool_forget(void)
{
    explicit_bzero(random_pool.bytes, sizeof(random_pool.bytes));
    random_pool.next = RANDOM_POOL_BYTES;
}

static void random_pool_register_atfork(void)
{
    pthread_atfork(NULL, NULL, random_pool_forget);
}

NTSTATUS ntlm_random_buffered(uint8_t *out, size_t length)
{
    if ((out == NULL && length > 0) || length > NTLM_RANDOM_BUFFERED_MAX)
        return STATUS_INVALID_PARAMETER;
    struct random_pool *pool = &random_pool;
    if (RANDOM_POOL_BYTES - pool->next < length) {
        pthread_once(&random_pool_once, random_pool_register_atfork);
        NTSTATUS status = ntlm_random(pool->bytes, RANDOM_POOL_BYTES);
        if (status != STATUS_SUCCESS) {
            random_pool_forget();
            return status;
        }
        pool->next = 0;
    }
    memcpy(out, pool->bytes + pool->next, length);
    explicit_bzero(pool->bytes + pool->next, length);
    pool->next += length;
    return STATUS_SUCCESS;
}
