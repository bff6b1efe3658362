/* Locally unique identifiers for logon sessions (lsa_allocate_luid, in session.h). */
#ifndef LSA_CORE_LUID_H
#define LSA_CORE_LUID_H

/* Each thread draws its LUIDs from a block of 2^LSA_LUID_BLOCK_BITS consecutive values
 * it reserved, aligned on the block size: the sessions of one block can share a shard
 * (session.c), and a thread's LUIDs cost no shared atomic but once per block. */
#define LSA_LUID_BLOCK_BITS 10

#endif
