/*
 * The package's logon sessions: for each LUID it logged on, the name of the session's
 * ticket cache inside the LSA (a MEMORY ccache, process-wide) and the client principal.
 * The machine's sessions, SYSTEM (0x3e7) and NETWORK_SERVICE (0x3e4), always exist:
 * their caches are FILE ccaches in [lsa] state_dir/kerberos, so every process of the
 * machine (and later lsad) sees the same ones (kerb_machine.h).  Thread safe.
 */
#ifndef KERBEROS_KERB_SESSIONS_H
#define KERBEROS_KERB_SESSIONS_H

#include <stddef.h>

#include <krb5/krb5.h>
#include <lsa/ntsecpkg.h>

#define KERB_CCACHE_NAME_SIZE 512

/* Record LUID's cache (takes no ownership of the strings).  PKINIT: its TGT was
 * obtained with a certificate. */
NTSTATUS kerb_session_add(const LUID *id, const char *ccache_name, const char *principal,
                          BOOLEAN pkinit);
/* Forget LUID and destroy its cache (LogonTerminated).  The machine's sessions are kept. */
void kerb_session_remove(const LUID *id);
/* The cache name of LUID into OUT: STATUS_NO_SUCH_LOGON_SESSION when the package holds no
 * session LUID (a session of another package, or none). */
NTSTATUS kerb_session_ccache(const LUID *id, char *out, size_t out_size);
/* A fresh cache name for a new session of LUID. */
void kerb_session_new_ccache_name(const LUID *id, char *out, size_t out_size);
BOOLEAN kerb_is_machine_session(const LUID *id);
void kerb_sessions_clear(void);

#endif
