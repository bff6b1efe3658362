#include "lsad_peer.h"

#include <errno.h>
#include <grp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "log.h"

/* -1: no trusted group.  Read by every client thread, set by the main one (SIGHUP). */
static atomic_llong trusted_gid = -1;

void lsad_peer_set_trusted_group(const char *name)
{
    long long gid = -1;
    if (name != NULL) {
        struct group gr, *found = NULL;
        char buf[16384];
        if (getgrnam_r(name, &gr, buf, sizeof(buf), &found) == 0 && found != NULL)
            gid = found->gr_gid;
        else
            lsa_log(LOG_ERR, "trusted_group '%s' does not exist: no group is trusted", name);
    }
    atomic_store(&trusted_gid, gid);
}

/* Whether GID is among PID's supplementary groups (the "Groups:" line of its status). */
static BOOLEAN in_groups_of(pid_t pid, gid_t gid)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "re");
    if (f == NULL)
        return FALSE;
    char line[4096];
    BOOLEAN found = FALSE;
    while (!found && fgets(line, sizeof(line), f) != NULL) {
        if (strncmp(line, "Groups:", 7) != 0)
            continue;
        char *p = line + 7, *end;
        for (;;) {
            errno = 0;
            unsigned long g = strtoul(p, &end, 10);
            if (end == p || errno != 0)
                break;
            if ((gid_t)g == gid)
                found = TRUE;
            p = end;
        }
        break;
    }
    fclose(f);
    return found;
}

/* PID's audit session, or LSA_AUDIT_SESSION_UNSET (unset, or no audit support). */
static uint32_t audit_session_of(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/sessionid", (int)pid);
    FILE *f = fopen(path, "re");
    unsigned long v = LSA_AUDIT_SESSION_UNSET;
    if (f != NULL) {
        if (fscanf(f, "%lu", &v) != 1 || v > UINT32_MAX)
            v = LSA_AUDIT_SESSION_UNSET;
        fclose(f);
    }
    return (uint32_t)v;
}

int lsad_peer_identify(int fd, struct lsa_server_peer *peer)
{
    struct ucred cred;
    socklen_t length = sizeof(cred);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &length) != 0)
        return -1;
    peer->pid = cred.pid;
    peer->uid = cred.uid;
    peer->gid = cred.gid;
    peer->audit_session = audit_session_of(cred.pid);
    long long gid = atomic_load(&trusted_gid);
    peer->trusted_group_member =
        gid >= 0 && ((gid_t)gid == cred.gid || in_groups_of(cred.pid, (gid_t)gid));
    return 0;
}
