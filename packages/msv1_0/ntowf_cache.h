/*
 * NTOWFv2 remembered per thread (ntowf_cache.c): a network logon derives it from the
 * account's NT hash and the names the client sent, which repeat from one logon of an
 * account to the next.
 */
#ifndef MSV1_0_NTOWF_CACHE_H
#define MSV1_0_NTOWF_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include <lsa/ntstatus.h>

#include "ntlm_crypto.h"

/* As ntlm_ntowf_v2, answered from this thread's cache when it holds the value for the
 * same NT hash, user and domain bytes. */
NTSTATUS ntlm_ntowf_v2_cached(const uint8_t nt_hash[NTLM_HASH_LENGTH], const WCHAR *user,
                              size_t user_bytes, const WCHAR *domain, size_t domain_bytes,
                              uint8_t ntowf_v2[NTLM_HASH_LENGTH]);

#endif
