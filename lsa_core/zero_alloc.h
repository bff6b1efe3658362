/*
 * Zero-filled allocation for the blocks every logon makes and frees (sessions, tokens,
 * return buffers, LSA heap).  glibc's calloc (before 2.41) skips the thread's cache of
 * free chunks and takes its arena's lock, and the chunks it does not reuse fill that
 * cache until free has to take the lock too; malloc then memset reuses a cached chunk.
 * Large blocks still go to calloc, which knows when fresh pages need no clearing.
 */
#ifndef LSA_CORE_ZERO_ALLOC_H
#define LSA_CORE_ZERO_ALLOC_H

#include <stdlib.h>
#include <string.h>

#define LSA_ZERO_ALLOC_SMALL 1024

static inline void *lsa_zero_alloc(size_t size)
{
    if (size > LSA_ZERO_ALLOC_SMALL)
        return calloc(1, size);
    void *p = malloc(size);
    /* Hides P's origin: gcc and clang would fold malloc then memset back into calloc. */
    __asm__("" : "+r"(p));
    if (p != NULL)
        memset(p, 0, size);
    return p;
}

#endif
