/*
 * The server challenges MsV1_0Lm20ChallengeRequest issued, so that a network logon
 * (MSV1_0_LM20_LOGON) is accepted only with a challenge this package issued to the
 * same client connection, within its lifetime, once.
 *
 * Every entry records the 8 random bytes, the connection (lsa_client_unix_info's
 * connection_id) and when it was issued (CLOCK_MONOTONIC).  The table is split in
 * MSV_CHALLENGE_SHARDS shards by connection, each with its own lock, so that logons on
 * different connections rarely meet; all of a connection's challenges are in one shard.
 * It is bounded: at most MSV_CHALLENGES_PER_CONNECTION outstanding per connection (the
 * oldest is evicted) and ceil(MSV_CHALLENGES_MAX / MSV_CHALLENGE_SHARDS) per shard (its
 * oldest go first); a shard's expired entries are purged on each insert into it.  Each
 * shard remembers the last MSV_CHALLENGES_REMEMBERED of its challenges that were used,
 * expired or evicted, for ten minutes after their lifetime, so that a replay can be told
 * from a challenge that was never issued.  Thread safe.
 */
#ifndef MSV1_0_CHALLENGE_TABLE_H
#define MSV1_0_CHALLENGE_TABLE_H

#include <stdint.h>

#include <lsa/ntdef.h>

#define MSV_CHALLENGE_BYTES 8
#define MSV_CHALLENGES_PER_CONNECTION 1024
#define MSV_CHALLENGES_MAX 65536
#define MSV_CHALLENGES_REMEMBERED 2048
#define MSV_CHALLENGE_SHARDS 16

enum msv_challenge_verdict {
    MSV_CHALLENGE_OK = 0,   /* issued to this connection, unexpired, unused: now used */
    MSV_CHALLENGE_UNKNOWN,  /* never issued (or forgotten long ago) */
    MSV_CHALLENGE_FOREIGN,  /* issued to another connection (left for it) */
    MSV_CHALLENGE_REPLAYED, /* already used by a logon */
    MSV_CHALLENGE_EXPIRED,  /* older than the lifetime (now forgotten) */
    MSV_CHALLENGE_EVICTED,  /* dropped to make room before it was used */
};

struct msv_challenge_table;

/* LIFETIME_NS: how long a challenge may be used; PER_CONNECTION / TOTAL: the bounds
 * (0 = the defaults above; TOTAL is shared out among the shards, rounded up).
 * STATUS_NO_MEMORY. */
NTSTATUS msv_challenge_table_create(int64_t lifetime_ns, uint32_t per_connection, uint32_t total,
                                    struct msv_challenge_table **table);
void msv_challenge_table_destroy(struct msv_challenge_table *table);

/* A fresh random challenge for CONNECTION, recorded.  The random source's status
 * (ntlm_random) or STATUS_NO_MEMORY. */
NTSTATUS msv_challenge_issue(struct msv_challenge_table *table, uint64_t connection,
                             uint8_t challenge[MSV_CHALLENGE_BYTES]);

/* Uses CHALLENGE for a logon on CONNECTION: MSV_CHALLENGE_OK exactly once. */
enum msv_challenge_verdict msv_challenge_consume(struct msv_challenge_table *table,
                                                 uint64_t connection,
                                                 const uint8_t challenge[MSV_CHALLENGE_BYTES]);

/* "challenge already used", ... for the log line of a refused logon. */
const char *msv_challenge_verdict_text(enum msv_challenge_verdict verdict);

/* Challenges outstanding, for the tests (the memory of finished ones has a fixed size). */
size_t msv_challenge_table_size(struct msv_challenge_table *table);

#endif
