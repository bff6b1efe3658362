/* A client connection (the LsaHandle): who the client is, whether it is trusted, and how
 * the LSA reaches the client's memory. */
#ifndef LSA_CORE_CONNECTION_H
#define LSA_CORE_CONNECTION_H

#include <stdint.h>
#include <sys/types.h>

#include <lsa/ntdef.h>

#include "handle_table.h"

/* Logon process names are audit labels of at most 127 bytes (spec §1.1). */
#define LSA_MAX_NAME_LENGTH 127

struct lsa_client_identity {
    pid_t pid;
    uid_t uid;
    gid_t gid;
    BOOLEAN trusted_group_member; /* lsad: in lsa.conf trusted_group (never in embedded mode) */
    /* lsad: the client's kernel audit session (/proc/PID/sessionid) when it has one;
     * never in embedded mode */
    BOOLEAN has_audit_session;
    uint32_t audit_session;
};

struct lsa_connection;

/* How the LSA reaches the client's address space: directly in embedded mode; through the
 * client library in daemon mode.  Addresses are client addresses. */
struct lsa_client_memory_ops {
    NTSTATUS (*allocate)(struct lsa_connection *conn, ULONG length, PVOID *client_address);
    NTSTATUS (*free)(struct lsa_connection *conn, PVOID client_address);
    NTSTATUS (*copy_to)(struct lsa_connection *conn, PVOID client_address, const void *source,
                        ULONG length);
};

struct lsa_connection {
    struct lsa_object object;
    BOOLEAN trusted;
    uint64_t id; /* never reused: packages bind per-connection state to it */
    char name[LSA_MAX_NAME_LENGTH + 1];
    struct lsa_client_identity client;
    struct lsa_quota *quota;
    const struct lsa_client_memory_ops *memory;
    void *memory_context; /* the daemon's link to the client; NULL in embedded mode */
    /* The session the client named with LSA_LOGON_ID when it connected to lsad (its
     * environment is not the daemon's); embedded mode reads the environment instead. */
    BOOLEAN has_named_logon_id;
    LUID named_logon_id;
    /* lsad: the client's thread making the current request (GetClientInfo's ThreadID);
     * 0 in embedded mode, where the calling thread is the client's. */
    pid_t client_thread_id;
};

/* The trust rule (DESIGN.md "Trust"): euid 0 may register as a logon process, and in
 * daemon mode a member of lsa.conf's trusted_group. */
BOOLEAN lsa_client_may_register(const struct lsa_client_identity *client);

NTSTATUS lsa_connection_new(const struct lsa_client_identity *client, BOOLEAN trusted,
                            const char *name, size_t name_length,
                            const struct lsa_client_memory_ops *memory,
                            struct lsa_connection **conn);
void lsa_connection_release(struct lsa_connection *conn);

/* Client memory in this same process (embedded mode). */
extern const struct lsa_client_memory_ops lsa_embedded_client_memory;

#endif
