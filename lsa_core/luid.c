/*
 * LUIDs come from a counter, as Windows' AllocateLocallyUniqueId does, so a logon costs
 * an increment instead of a DRBG call.  The counter starts at a random 63-bit value drawn
 * once per process (and again in a forked child, which would otherwise repeat its
 * parent's sequence), so LUIDs stay unique across the processes that each host an
 * embedded LSA.  HighPart is kept non-zero and positive, so a LUID is never one of the
 * well-known 0x3e2-0x3e7, nor zero.  A value is not checked against the live sessions:
 * the counter comes back to one only after 2^63 allocations, and CreateLogonSession
 * refuses a LUID in use anyway (STATUS_LOGON_SESSION_COLLISION).
 *
 * Threads do not share the counter's cache line for every LUID: each reserves an aligned
 * block of LUIDs with one atomic add and hands them out alone.  A forked child discards
 * the block its thread inherited (it is its parent's) along with the parent's seed.
 */
#include "luid.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include <lsa/lsa_util.h>
#include <lsa/ntstatus.h>

#include "session.h"

#define BLOCK ((uint64_t)1 << LSA_LUID_BLOCK_BITS)

static _Atomic uint64_t luid_next;
static atomic_bool luid_seeded;
static atomic_uint luid_epoch; /* bumped in each forked child: older blocks are the parent's */
static pthread_mutex_t luid_seed_lock = PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP;
static pthread_once_t luid_atfork_once = PTHREAD_ONCE_INIT;

static _Thread_local struct {
    uint64_t next, end; /* next == end: none left */
    unsigned epoch;
} block;

static void luid_reseed_in_child(void)
{
    atomic_store(&luid_seeded, 0);
    atomic_fetch_add(&luid_epoch, 1);
}

static void luid_register_atfork(void)
{
    pthread_atfork(NULL, NULL, luid_reseed_in_child);
}

static NTSTATUS luid_seed(void)
{
    pthread_once(&luid_atfork_once, luid_register_atfork);
    NTSTATUS status = STATUS_SUCCESS;
    pthread_mutex_lock(&luid_seed_lock);
    if (!atomic_load(&luid_seeded)) {
        uint64_t r;
        if (!lsa_random_identifier(&r, sizeof(r))) {
            status = STATUS_INTERNAL_ERROR;
        } else {
            atomic_store(&luid_next, r & INT64_MAX & ~(BLOCK - 1));
            atomic_store(&luid_seeded, 1);
        }
    }
    pthread_mutex_unlock(&luid_seed_lock);
    return status;
}

/* A block never straddles a HighPart: 2^32 is a multiple of BLOCK, and the seed is
 * aligned.  A block whose HighPart would be zero is skipped whole. */
static void reserve_block(unsigned epoch)
{
    uint64_t v;
    do
        v = atomic_fetch_add_explicit(&luid_next, BLOCK, memory_order_relaxed);
    while (((v >> 32) & 0x7fffffff) == 0);
    block.next = v;
    block.end = v + BLOCK;
    block.epoch = epoch;
}

NTSTATUS NTAPI lsa_allocate_luid(PLUID luid)
{
    if (luid == NULL)
        return STATUS_INVALID_PARAMETER;
    if (!atomic_load_explicit(&luid_seeded, memory_order_acquire) && luid_seed() != STATUS_SUCCESS)
        return STATUS_INTERNAL_ERROR;
    unsigned epoch = atomic_load_explicit(&luid_epoch, memory_order_relaxed);
    if (block.next == block.end || block.epoch != epoch)
        reserve_block(epoch);
    uint64_t v = block.next++;
    luid->LowPart = (ULONG)v;
    luid->HighPart = (LONG)((v >> 32) & 0x7fffffff);
    return STATUS_SUCCESS;
}
