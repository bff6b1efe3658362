/*
 * The LSA as lsad hosts it.  lsad (lsad/) owns the process: the socket, the threads, the
 * signals; this is what it calls in liblsa, exported under lsa_server_* for it alone (no
 * installed header declares them).  lsad(8) documents the behaviour.
 */
#ifndef LSA_CORE_SERVER_H
#define LSA_CORE_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <lsa/ntdef.h>

/* Who is at the other end of a client socket (SO_PEERCRED), and whether lsad found it in
 * lsa.conf's trusted_group. */
struct lsa_server_peer {
    pid_t pid;
    uid_t uid;
    gid_t gid;
    BOOLEAN trusted_group_member;
    uint32_t audit_session; /* /proc/PID/sessionid, or LSA_AUDIT_SESSION_UNSET */
};
/* The kernel's "no audit session" (loginuid never set), as /proc/PID/sessionid says. */
#define LSA_AUDIT_SESSION_UNSET UINT32_MAX

/* What lsad reads from lsa.conf for itself; the strings are owned (free with
 * lsa_server_options_free). */
struct lsa_server_options {
    char *socket_path;
    char *trusted_group; /* NULL: none */
    int request_timeout; /* seconds */
    size_t client_quota;
    int busy_poll_us;
    int log_level;
    char *packages; /* package_dir and the package list: a change needs a restart */
};
/* Reads PATH; -1 with "PATH:LINE: reason" in ERR when it cannot. */
int lsa_server_read_options(const char *path, struct lsa_server_options *options, char *err,
                            size_t errlen);
void lsa_server_options_free(struct lsa_server_options *options);

/* Loads the LSA from lsa_config_default_path() (lsad sets LSA_CONFIG first). */
NTSTATUS lsa_server_start(void);
/* The settings lsad may change while running (SIGHUP): the request deadline, the bound
 * on a connection's return buffers, the busy-poll budget, the log level. */
void lsa_server_apply(const struct lsa_server_options *options);

/* Serves one client socket until it closes, breaks the protocol, stalls past the
 * deadline, or STOP_FD becomes readable; then releases everything it held (its
 * connection, its in-flight return buffers, its token handles: their sessions stay). */
void lsa_server_serve(int fd, const struct lsa_server_peer *peer, int stop_fd);

#endif
