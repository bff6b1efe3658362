/* The session list behind session.c and credentials.c.  All fields are guarded by
 * lsa_sessions_lock. */
#ifndef LSA_CORE_SESSION_STORE_H
#define LSA_CORE_SESSION_STORE_H

#include <pthread.h>

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

extern pthread_mutex_t lsa_sessions_lock;
struct lsa_session *lsa_session_find_locked(PLUID logon_id);
/* Resolves the session's Unix identity if not yet done; FALSE when it has none. */
BOOLEAN lsa_session_identity_locked(struct lsa_session *session);
void lsa_credentials_wipe_locked(struct lsa_session *session);

#endif
