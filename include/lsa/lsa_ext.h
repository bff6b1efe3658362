/*
 * <lsa/lsa_ext.h> - Linux extensions to the client API (included by <lsa/ntsecapi.h>).
 *
 * Windows represents a logon by a token handle that the kernel owns.  Linux has no such
 * object, so LsaLogonUser's Token is an LSA handle on the logon session: it names the
 * session, carries the Unix identity the account maps to, and ends the session (every
 * package's LsaApLogonTerminated) when the last token of it is closed.
 */
#ifndef LSA_LSA_EXT_H
#define LSA_LSA_EXT_H

#include <sys/types.h>

#include <lsa/ntdef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The logon session a token stands for. */
NTSTATUS lsa_token_logon_id(HANDLE Token, PLUID LogonId);

/* The Unix identity of the token's account (getpwnam of its UTF-8 name);
 * STATUS_NO_SUCH_USER when the account has no passwd entry. */
NTSTATUS lsa_token_unix_identity(HANDLE Token, uid_t *Uid, gid_t *Gid);

/* CloseHandle for a token; the last close of a session's tokens ends the session. */
NTSTATUS lsa_close_token(HANDLE Token);

/* End a logon session now, whatever tokens remain (PAM close_session).  A trusted
 * handle may end any session; an untrusted one only sessions of the caller's uid,
 * else STATUS_ACCESS_DENIED.  Unknown LUID: STATUS_NO_SUCH_LOGON_SESSION; the machine's
 * SYSTEM and NETWORK_SERVICE sessions cannot be ended: STATUS_ACCESS_DENIED. */
NTSTATUS lsa_terminate_logon_session(HANDLE LsaHandle, PLUID LogonId);

/* Kerberos machine logon (kerberos(8), a pam-lsa extension): a KERB_INTERACTIVE_LOGON of
 * LogonType Service for the machine whose LogonDomainName is this string asks for the
 * machine keytab even while a PKINIT device credential is active (`lsa machine-logon
 * --keytab`).  No realm or NetBIOS domain is spelled so. */
#define LSA_KERB_MACHINE_KEYTAB_DOMAIN "*KEYTAB*"

/* The loaded packages, in id order (the `lsa packages` command).  *Packages is one
 * return buffer, freed with LsaFreeReturnBuffer. */
#define LSA_HAVE_ENUMERATE_PACKAGES 1
typedef struct lsa_package_info {
    ULONG id;
    char name[128];
    char model[8]; /* "AP" or "SSP/AP" */
    char file[4096];
} LSA_PACKAGE_INFO;
NTSTATUS lsa_enumerate_packages(HANDLE LsaHandle, LSA_PACKAGE_INFO **Packages, ULONG *Count);

/* Daemon mode (lsa.conf mode = daemon, lsad(8)): TRUE for the statuses that say the LSA
 * itself could not be reached, rather than that it refused or failed the request:
 * STATUS_OBJECT_NAME_NOT_FOUND (lsad not running: nothing answers at its socket),
 * STATUS_PORT_DISCONNECTED (the connection to lsad was lost) and STATUS_IO_TIMEOUT (no
 * reply within request_timeout).  pam_lsa maps them to PAM_AUTHINFO_UNAVAIL. */
BOOLEAN lsa_status_is_lsa_unreachable(NTSTATUS Status);

/* The path of lsad's socket as this process's lsa.conf names it (socket =, lsa.conf(5)),
 * for messages; NULL when lsa.conf cannot be read.  Valid for the life of the process. */
const char *lsa_daemon_socket_path(void);

/* Daemon mode's fallback (pam_lsa daemon_fallback=embedded): from this call on, every
 * call of this process goes to the LSA embedded in it, whatever lsa.conf mode says, as
 * with mode = embedded.  Meant for when a connection fails with a status
 * lsa_status_is_lsa_unreachable() accepts.  Logon sessions made this way live and end in
 * this process; lsad and other processes do not see them.
 *   STATUS_SUCCESS                the embedded LSA is running (also when it already was);
 *   STATUS_INVALID_SERVER_STATE   it could not start (lsa.conf, its packages: logged);
 *   STATUS_UNSUCCESSFUL           this process has already connected to lsad: its handles
 *                                 name lsad's objects, so it stays with lsad. */
#define LSA_HAVE_USE_EMBEDDED_TRANSPORT 1
NTSTATUS lsa_use_embedded_transport(void);

#ifdef __cplusplus
}
#endif

#endif /* LSA_LSA_EXT_H */
