#include "thread_shard.h"

#include <stdatomic.h>

static atomic_uint next_shard;
static _Thread_local unsigned shard_plus_one; /* 0: not dealt yet */

unsigned lsa_thread_shard(void)
{
    if (shard_plus_one == 0)
        shard_plus_one = atomic_fetch_add_explicit(&next_shard, 1, memory_order_relaxed) %
                             LSA_SHARDS + 1;
    return shard_plus_one - 1;
}
