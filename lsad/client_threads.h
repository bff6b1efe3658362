/* lsad's client threads: one per connection, counted against a maximum, and joined once
 * they end, so their thread-local destructors (OpenSSL's, a package's) have run before
 * lsad exits or reuses their memory. */
#ifndef LSAD_CLIENT_THREADS_H
#define LSAD_CLIENT_THREADS_H

#include "server.h"

/* A descriptor that becomes readable when a client thread has ended; lsad_clients_reap
 * then joins it.  -1 with errno on failure. */
int lsad_clients_init(void);
/* Serves FD (PEER) on a thread of its own until the client leaves or STOP_FD becomes
 * readable; the thread closes FD.  0; -1 with errno EAGAIN when MAX threads run already,
 * or the error of pthread_create — FD is then the caller's to close. */
int lsad_clients_start(int fd, const struct lsa_server_peer *peer, int stop_fd, int max);
/* Joins the threads that have ended. */
void lsad_clients_reap(void);
/* Waits up to SECONDS for every thread to end and joins them; the number still running. */
int lsad_clients_wait(int seconds);

#endif
