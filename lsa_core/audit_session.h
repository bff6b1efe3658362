/*
 * lsad: which logon session is the own session of a kernel audit session (the
 * /proc/PID/sessionid that pam_loginuid gives a login and every process it starts).
 * LogonId 0 of an lsad client whose environment names no session of its own resolves
 * through here (lsad(8) "LOGON ID 0"): the binding of (audit session, uid) is the last
 * logon session of that uid that was created in that audit session (LsaLogonUser through
 * lsad) or named there with LSA_LOGON_ID by a client of that uid.
 */
#ifndef LSA_CORE_AUDIT_SESSION_H
#define LSA_CORE_AUDIT_SESSION_H

#include <stdint.h>
#include <sys/types.h>

#include <lsa/ntdef.h>

#include "server.h" /* LSA_AUDIT_SESSION_UNSET */

/* LOGON_ID is now UID's session in audit session SESSION (nothing for an unset one). */
void lsa_audit_session_bind(uint32_t session, uid_t uid, const LUID *logon_id);
/* UID's session in audit session SESSION, if one is bound and still exists. */
BOOLEAN lsa_audit_session_lookup(uint32_t session, uid_t uid, LUID *logon_id);

#endif
