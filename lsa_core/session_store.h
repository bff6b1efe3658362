/* The session table behind session.c and credentials.c: a hash on the LUID in shards, one
 * lock per shard.  A session's fields are guarded by its shard's lock. */
#ifndef LSA_CORE_SESSION_STORE_H
#define LSA_CORE_SESSION_STORE_H

#include "session.h"

struct lsa_credential {
    struct lsa_credential *next;
    ULONG package_id;
    size_t key_length, credential_length;
    unsigned char *data; /* key then credential, in secure memory */
};

struct lsa_session {
    struct lsa_session *next;
    LUID id;
    BOOLEAN well_known;
    BOOLEAN described; /* LsaLogonUser has recorded who it is */
    BOOLEAN ending;
    unsigned tokens;
    /* The Unix account of the session's user, looked up on first need (an NSS lookup
     * costs more than the rest of a logon): see lsa_session_identity_locked. */
    BOOLEAN identity_resolved;
    uid_t uid;
    gid_t gid;
    BOOLEAN has_unix_identity;
    ULONG package_id;
    SECURITY_LOGON_TYPE logon_type;
    LARGE_INTEGER logon_time;
    UNICODE_STRING user, domain; /* heap copies */
    struct lsa_credential *credentials;
};

struct lsa_session_shard;

/* Locks the shard that holds (or would hold) LOGON_ID's session. */
struct lsa_session_shard *lsa_session_shard_lock(const LUID *logon_id);
void lsa_session_shard_unlock(struct lsa_session_shard *shard);

/* With SHARD locked, for LUIDs of that shard only. */
struct lsa_session *lsa_session_find_locked(struct lsa_session_shard *shard, const LUID *logon_id);
/* A zero-filled session on ID, linked in; NULL when out of memory. */
struct lsa_session *lsa_session_add_locked(struct lsa_session_shard *shard, LUID id);
/* Takes LOGON_ID's session out of the table; NULL if there is none. */
struct lsa_session *lsa_session_unlink_locked(struct lsa_session_shard *shard,
                                              const LUID *logon_id);

/* Every session, one shard at a time (always in the same order), each seen with its
 * shard locked; no lock is held between shards. */
void lsa_sessions_for_each(void (*visit)(struct lsa_session *session, void *context),
                           void *context);
/* How many sessions there are; a hint, the count can change at once. */
size_t lsa_sessions_count(void);

/* Resolves the session's Unix identity if not yet done; FALSE when it has none. */
BOOLEAN lsa_session_identity_locked(struct lsa_session *session);
void lsa_credentials_wipe_locked(struct lsa_session *session);

#endif
