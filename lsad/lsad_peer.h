/* Who a client of lsad is: SO_PEERCRED, its audit session, and whether it belongs to lsa.conf's
 * trusted_group (its primary group, or a supplementary one from /proc/PID/status). */
#ifndef LSAD_PEER_H
#define LSAD_PEER_H

#include "server.h"

/* The group named NAME (NULL: none) is the trusted group from now on; an unknown name is
 * logged and trusts no one. */
void lsad_peer_set_trusted_group(const char *name);
/* 0, or -1 with errno when the peer cannot be identified. */
int lsad_peer_identify(int fd, struct lsa_server_peer *peer);

#endif
