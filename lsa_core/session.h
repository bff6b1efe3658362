/* Logon sessions and the credentials packages keep in them (spec §2.4). */
#ifndef LSA_CORE_SESSION_H
#define LSA_CORE_SESSION_H

#include <sys/types.h>

#include <lsa/ntsecapi.h>
#include <lsa/ntsecpkg.h>

#define LSA_LUID_EQUAL(a, b) ((a).LowPart == (b).LowPart && (a).HighPart == (b).HighPart)

static inline BOOLEAN lsa_luid_is_zero(LUID luid)
{
    return luid.LowPart == 0 && luid.HighPart == 0;
}

/* SYSTEM (0x3e7) and NETWORK_SERVICE (0x3e4): the machine's sessions, always present. */
void lsa_sessions_init(void);

/* What LsaLogonUser learned of a new session. */
struct lsa_session_info {
    ULONG package_id;
    SECURITY_LOGON_TYPE logon_type;
    PUNICODE_STRING account_name; /* the package's, in LSA heap: see lsa_session_describe */
    PUNICODE_STRING authority;
};
/* Records who the session is, and takes a token reference on it for the token
 * LsaLogonUser hands out (lsa_token_create): one visit to the session for both.  The
 * Buffers of INFO's names (LSA heap blocks, which the LSA would free next) are taken over
 * by the session, and cleared in INFO.  STATUS_NO_SUCH_LOGON_SESSION if it is ending. */
NTSTATUS lsa_session_describe(PLUID logon_id, const struct lsa_session_info *info);

/* Owner of a session: STATUS_NO_SUCH_LOGON_SESSION when unknown. */
NTSTATUS lsa_session_owner(PLUID logon_id, uid_t *uid, gid_t *gid, BOOLEAN *has_unix_identity);
/* Most recent session of UID (logon time), or zero. */
LUID lsa_session_latest_of_uid(uid_t uid);
BOOLEAN lsa_session_exists(PLUID logon_id);

/* Tokens keep their session alive; the last release ends it. */
void lsa_session_token_release(PLUID logon_id);
/* A token given up without ending its session: lsad's tokens of a client that went away
 * (the session lasts until its logon ends, as PAM close_session ends it). */
void lsa_session_token_drop(PLUID logon_id);

/* Ends a session: every package's LogonTerminated, then its credentials are wiped.
 * The machine's well-known sessions cannot be ended. */
NTSTATUS lsa_session_terminate(PLUID logon_id);

/* Snapshot of the sessions visible to UID (all of them for uid 0). */
NTSTATUS lsa_sessions_list(uid_t uid, LUID **ids, ULONG *count);
/* SECURITY_LOGON_SESSION_DATA packed into one block; pointers are offsets from its start. */
NTSTATUS lsa_session_data(PLUID logon_id, void **block, ULONG *length);

/* LSA_DISPATCH_TABLE services. */
NTSTATUS NTAPI lsa_create_logon_session(PLUID logon_id);
NTSTATUS NTAPI lsa_delete_logon_session(PLUID logon_id);
NTSTATUS NTAPI lsa_add_credential(PLUID logon_id, ULONG package, PLSA_STRING primary_key,
                                  PLSA_STRING credentials);
NTSTATUS NTAPI lsa_get_credentials(PLUID logon_id, ULONG package, PULONG query_context,
                                   BOOLEAN retrieve_all, PLSA_STRING primary_key,
                                   PULONG primary_key_length, PLSA_STRING credentials);
NTSTATUS NTAPI lsa_delete_credential(PLUID logon_id, ULONG package, PLSA_STRING primary_key);
NTSTATUS NTAPI lsa_allocate_luid(PLUID luid);

#endif
