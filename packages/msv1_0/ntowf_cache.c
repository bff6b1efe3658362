/*
 * The NTOWFv2 cache (ntowf_cache.h).  An entry is keyed by every input of NTOWFv2: the
 * NT hash and the user and domain bytes as sent.  A password change changes the hash,
 * so an entry can never answer for a new password: the old value is simply not found
 * again, and is overwritten by the next entry for its slot.
 *
 * Each thread has its own cache (no lock on the logon path), in a page of its own that
 * is kept out of core dumps (MADV_DONTDUMP), as the account store's image is, and wiped
 * before it is unmapped: at thread exit, and for the calling thread when msv1_0.so is
 * unloaded or the process exits.  The NT hash is compared with CRYPTO_memcmp; a slot is
 * chosen by the user name, which is no secret.  Names longer than NAME_BYTES are not
 * cached (they are derived every time).  Without the page (mmap or madvise failing),
 * every call derives the value.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* explicit_bzero */
#endif

#include "ntowf_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <openssl/crypto.h>

#define SLOTS 16
#define NAME_BYTES 176 /* user and domain together */

struct slot {
    uint8_t nt_hash[NTLM_HASH_LENGTH];
    uint8_t ntowf_v2[NTLM_HASH_LENGTH];
    uint16_t user_bytes, domain_bytes;
    uint8_t used;
    uint8_t names[NAME_BYTES];
};

struct ntowf_cache {
    struct slot slots[SLOTS];
};

static _Thread_local struct ntowf_cache *thread_cache;
static _Thread_local int thread_cache_failed;
static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static int cache_key_ok;

static void cache_unmap(struct ntowf_cache *cache)
{
    if (cache == NULL)
        return;
    explicit_bzero(cache, sizeof(*cache));
    munmap(cache, sizeof(*cache));
}

static void cache_destructor(void *p)
{
    cache_unmap(p);
    thread_cache = NULL;
}

/* At exit or dlclose: no destructor may run in unmapped code afterwards. */
static void cache_shutdown(void)
{
    if (cache_key_ok) {
        pthread_key_delete(cache_key);
        cache_key_ok = 0;
    }
    cache_unmap(thread_cache);
    thread_cache = NULL;
}

static void cache_make_key(void)
{
    if (pthread_key_create(&cache_key, cache_destructor) == 0) {
        cache_key_ok = 1;
        atexit(cache_shutdown);
    }
}

static struct ntowf_cache *this_thread_cache(void)
{
    if (thread_cache != NULL || thread_cache_failed)
        return thread_cache;
    pthread_once(&cache_once, cache_make_key);
    struct ntowf_cache *cache = NULL;
    if (cache_key_ok) {
        cache = mmap(NULL, sizeof(*cache), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                     -1, 0);
        if (cache == MAP_FAILED)
            cache = NULL;
        if (cache != NULL && (madvise(cache, sizeof(*cache), MADV_DONTDUMP) != 0 ||
                              pthread_setspecific(cache_key, cache) != 0)) {
            munmap(cache, sizeof(*cache));
            cache = NULL;
        }
    }
    thread_cache = cache;
    thread_cache_failed = cache == NULL;
    return cache;
}

static unsigned slot_of(const uint8_t *user, size_t user_bytes)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < user_bytes; i++)
        h = (h ^ user[i]) * 16777619u;
    return h % SLOTS;
}

NTSTATUS ntlm_ntowf_v2_cached(const uint8_t nt_hash[NTLM_HASH_LENGTH], const WCHAR *user,
                              size_t user_bytes, const WCHAR *domain, size_t domain_bytes,
                              uint8_t ntowf_v2[NTLM_HASH_LENGTH])
{
    struct ntowf_cache *cache = NULL;
    if (nt_hash != NULL && (user != NULL || user_bytes == 0) &&
        (domain != NULL || domain_bytes == 0) && ntowf_v2 != NULL &&
        user_bytes + domain_bytes <= NAME_BYTES)
        cache = this_thread_cache();
    if (cache == NULL)
        return ntlm_ntowf_v2(nt_hash, user, user_bytes, domain, domain_bytes, ntowf_v2);

    struct slot *s = &cache->slots[slot_of((const uint8_t *)user, user_bytes)];
    if (s->used && s->user_bytes == user_bytes && s->domain_bytes == domain_bytes &&
        (user_bytes == 0 || memcmp(s->names, user, user_bytes) == 0) &&
        (domain_bytes == 0 || memcmp(s->names + user_bytes, domain, domain_bytes) == 0) &&
        CRYPTO_memcmp(s->nt_hash, nt_hash, NTLM_HASH_LENGTH) == 0) {
        memcpy(ntowf_v2, s->ntowf_v2, NTLM_HASH_LENGTH);
        return STATUS_SUCCESS;
    }

    NTSTATUS status = ntlm_ntowf_v2(nt_hash, user, user_bytes, domain, domain_bytes, ntowf_v2);
    explicit_bzero(s, sizeof(*s));
    if (status != STATUS_SUCCESS)
        return status;
    memcpy(s->nt_hash, nt_hash, NTLM_HASH_LENGTH);
    memcpy(s->ntowf_v2, ntowf_v2, NTLM_HASH_LENGTH);
    s->user_bytes = (uint16_t)user_bytes;
    s->domain_bytes = (uint16_t)domain_bytes;
    if (user_bytes > 0)
        memcpy(s->names, user, user_bytes);
    if (domain_bytes > 0)
        memcpy(s->names + user_bytes, domain, domain_bytes);
    s->used = 1;
    return STATUS_SUCCESS;
}
