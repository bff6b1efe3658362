/*
 * NTLM cryptography (MS-NLMP §3.3, vectors in §4.2 / spec/ntlm.md §1) on OpenSSL 3.
 * MD4 and DES come from the legacy provider, loaded together with the default one
 * (loading legacy alone disables MD5/HMAC: spec/ntlm.md §2).  Algorithms are fetched
 * once; the HMAC-MD5 hot path re-keys one per-thread context (spec/ntlm.md §8).
 * Every function returns STATUS_SUCCESS, or STATUS_NOT_SUPPORTED when the legacy
 * provider is missing (logged once, naming it), or STATUS_INTERNAL_ERROR.
 */
#ifndef MSV1_0_NTLM_CRYPTO_H
#define MSV1_0_NTLM_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include <lsa/ntdef.h>

#define NTLM_HASH_LENGTH 16
#define NTLM_CHALLENGE_LENGTH 8
#define NTLM_V1_RESPONSE_LENGTH 24
#define NTLM_PROOF_LENGTH 16
#define NTLM_LM_SESSION_KEY_LENGTH 8

/* Loads the providers and fetches MD4, MD5, HMAC, DES-ECB, RC4 once per process. */
NTSTATUS ntlm_crypto_init(void);

/* NTOWFv1 = MD4(UTF-16LE password). */
NTSTATUS ntlm_nt_hash(const WCHAR *password, size_t password_bytes, uint8_t hash[NTLM_HASH_LENGTH]);
/* LMOWFv1: the password upper-cased to OEM (ASCII letters only) and NUL-padded to 14
 * bytes.  STATUS_NOT_SUPPORTED-free: a password that has no LM hash (longer than 14
 * characters, or not ASCII) gives STATUS_OBJECT_NAME_NOT_FOUND, so callers store none. */
NTSTATUS ntlm_lm_hash(const WCHAR *password, size_t password_bytes, uint8_t hash[NTLM_HASH_LENGTH]);

/* DESL(K, D): three DES-ECB encryptions of D under the 7-byte thirds of K‖0×5. */
NTSTATUS ntlm_desl(const uint8_t key[NTLM_HASH_LENGTH], const uint8_t data[8],
                   uint8_t out[NTLM_V1_RESPONSE_LENGTH]);
/* NTLMv1 with extended session security: DESL(NT, MD5(SC‖CC)[0..7]). */
NTSTATUS ntlm_v1_ess_response(const uint8_t nt_hash[NTLM_HASH_LENGTH],
                              const uint8_t server_challenge[NTLM_CHALLENGE_LENGTH],
                              const uint8_t client_challenge[NTLM_CHALLENGE_LENGTH],
                              uint8_t out[NTLM_V1_RESPONSE_LENGTH]);
/* MD4(NT hash): the NTLMv1 session base key (user session key). */
NTSTATUS ntlm_v1_session_base_key(const uint8_t nt_hash[NTLM_HASH_LENGTH],
                                  uint8_t out[NTLM_HASH_LENGTH]);

/* NTOWFv2 = HMAC_MD5(NT hash, UTF-16LE(UPPER(user) ‖ domain)); the domain is used as
 * given (spec/ntlm.md "NTOWFv2 case rules"). */
NTSTATUS ntlm_ntowf_v2(const uint8_t nt_hash[NTLM_HASH_LENGTH], const WCHAR *user, size_t user_bytes,
                       const WCHAR *domain, size_t domain_bytes, uint8_t out[NTLM_HASH_LENGTH]);
/* NTProofStr = HMAC_MD5(NTOWFv2, SC ‖ blob); blob is the NTLMv2 response after its first
 * 16 bytes (the "temp" of MS-NLMP). */
NTSTATUS ntlm_v2_proof(const uint8_t ntowf_v2[NTLM_HASH_LENGTH],
                       const uint8_t server_challenge[NTLM_CHALLENGE_LENGTH], const uint8_t *blob,
                       size_t blob_length, uint8_t proof[NTLM_PROOF_LENGTH]);
/* SessionBaseKey (v2) = HMAC_MD5(NTOWFv2, NTProofStr).  For an LMv2-only logon pass the
 * first 16 bytes of the LMv2 response as PROOF (Samba's behaviour). */
NTSTATUS ntlm_v2_session_base_key(const uint8_t ntowf_v2[NTLM_HASH_LENGTH],
                                  const uint8_t proof[NTLM_PROOF_LENGTH],
                                  uint8_t out[NTLM_HASH_LENGTH]);
/* Both of the above for one NTOWFv2: NTProofStr, then the SessionBaseKey of that
 * NTProofStr.  The second HMAC reuses the key schedule of the first (no second key
 * set-up), which is why a verifier asks for the two together. */
NTSTATUS ntlm_v2_proof_and_session_key(const uint8_t ntowf_v2[NTLM_HASH_LENGTH],
                                       const uint8_t server_challenge[NTLM_CHALLENGE_LENGTH],
                                       const uint8_t *blob, size_t blob_length,
                                       uint8_t proof[NTLM_PROOF_LENGTH],
                                       uint8_t session_base_key[NTLM_HASH_LENGTH]);
/* LMv2 = HMAC_MD5(NTOWFv2, SC ‖ CC) ‖ CC. */
NTSTATUS ntlm_lmv2_response(const uint8_t ntowf_v2[NTLM_HASH_LENGTH],
                            const uint8_t server_challenge[NTLM_CHALLENGE_LENGTH],
                            const uint8_t client_challenge[NTLM_CHALLENGE_LENGTH],
                            uint8_t out[NTLM_V1_RESPONSE_LENGTH]);

/* HMAC-MD5 over the concatenation of up to three pieces (NULL pieces skipped), on this
 * thread's re-keyed context. */
NTSTATUS ntlm_hmac_md5(const uint8_t *key, size_t key_length, const uint8_t *a, size_t a_length,
                       const uint8_t *b, size_t b_length, const uint8_t *c, size_t c_length,
                       uint8_t out[16]);
NTSTATUS ntlm_md5(const uint8_t *a, size_t a_length, const uint8_t *b, size_t b_length,
                  uint8_t out[16]);
NTSTATUS ntlm_random(uint8_t *out, size_t length);
/* LENGTH (at most NTLM_RANDOM_BUFFERED_MAX) bytes from the same DRBG, drawn ahead in a
 * per-thread buffer: for the many small values of a busy server (challenges). */
#define NTLM_RANDOM_BUFFERED_MAX 64
NTSTATUS ntlm_random_buffered(uint8_t *out, size_t length);

#endif
