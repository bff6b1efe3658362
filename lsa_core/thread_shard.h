/*
 * Shards of the core's per-logon tables (handles, return buffers): each thread works in
 * "its" shard, so two threads logging on at once touch different locks and cache lines
 * instead of passing one global lock's line back and forth.
 */
#ifndef LSA_CORE_THREAD_SHARD_H
#define LSA_CORE_THREAD_SHARD_H

#define LSA_SHARD_BITS 4
#define LSA_SHARDS (1u << LSA_SHARD_BITS)

/* A shard's lock and bookkeeping are aligned to this, so no two shards share a line. */
#define LSA_CACHE_LINE 64

/* This thread's shard, in [0, LSA_SHARDS): threads are dealt shards round-robin on
 * first use, so the first LSA_SHARDS threads never share one. */
unsigned lsa_thread_shard(void);

#endif
