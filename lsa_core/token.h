/* Token handles: the Linux stand-in for the token LsaLogonUser returns (lsa_ext.h). */
#ifndef LSA_CORE_TOKEN_H
#define LSA_CORE_TOKEN_H

#include <stdint.h>
#include <sys/types.h>

#include <lsa/ntdef.h>

#include "handle_table.h"

/* A token on LOGON_ID's session, taking over the token reference the caller took on it
 * (lsa_session_describe); that reference is released if the token cannot be made. */
NTSTATUS lsa_token_create(PLUID logon_id, HANDLE *token);

/* lsad: closes a token without ending its session (its client went away). */
NTSTATUS lsa_token_detach(HANDLE token);

/* Client side of daemon mode: a token whose session lives in lsad.  It answers
 * lsa_token_logon_id and lsa_token_unix_identity from what the logon returned; its last
 * close calls CLOSE(LINK, REMOTE_HANDLE), and releases LINK, of which it took a reference. */
struct lsa_remote_token {
    LUID logon_id;
    BOOLEAN has_unix_identity;
    uid_t uid;
    gid_t gid;
    uint64_t remote_handle;
    struct lsa_object *link;
    void (*close)(struct lsa_object *link, uint64_t remote_handle);
    /* The owner as lsad sees it now; a process other than the one that logged on gets
     * the owner the logon returned. */
    NTSTATUS (*identity)(struct lsa_object *link, uint64_t remote_handle, uid_t *uid, gid_t *gid);
    pid_t pid; /* set by lsa_token_create_remote */
};
NTSTATUS lsa_token_create_remote(const struct lsa_remote_token *remote, HANDLE *token);

#endif
