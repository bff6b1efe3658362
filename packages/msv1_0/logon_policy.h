/*
 * Account policy around a password check, as Windows reports it (event 4625 shape):
 * lockout (lockout_threshold bad passwords within lockout_window lock the account for
 * lockout_duration), account restrictions after a correct password (disabled, password
 * expired, must change, trust accounts), logon statistics, and the timing of the
 * unknown-user path (the same crypto work against a fixed dummy hash, then padded to
 * the observed duration of a wrong-password path, so that timing does not tell which
 * accounts exist).
 */
#ifndef MSV1_0_LOGON_POLICY_H
#define MSV1_0_LOGON_POLICY_H

#include <stdint.h>

#include <lsa/ntsecapi.h>

#include "account_store.h"

/* The NT hash unknown accounts are checked against (no password has it on purpose). */
extern const uint8_t msv_dummy_nt_hash[16];

/* The configured store (this thread's handle: release it with msv_policy_close_store).
 * A missing store is logged (naming the path) and reported as STATUS_NO_SUCH_USER; a
 * refused one as STATUS_ACCESS_DENIED; anything else as the store said.  A store that
 * disappears later makes its operations fail with STATUS_OBJECT_NAME_NOT_FOUND (the
 * store logs that): callers take it as STATUS_NO_SUCH_USER too. */
NTSTATUS msv_policy_open_store(struct msv_store **store);
void msv_policy_close_store(struct msv_store *store);
/* SpShutdown: this thread's handle is closed, the others are let go. */
void msv_policy_shutdown(void);

/* The account is locked out NOW (checked before the password). */
BOOLEAN msv_policy_locked_out(const struct msv_account *account, int64_t now);

/* After a correct password: STATUS_SUCCESS, STATUS_ACCOUNT_RESTRICTION with *SUB_STATUS
 * (STATUS_ACCOUNT_DISABLED, STATUS_PASSWORD_EXPIRED, STATUS_PASSWORD_MUST_CHANGE), or a
 * trust-account status (a machine or domain trust account may not log on, unless a
 * network logon's PARAMETER_CONTROL allows it). */
NTSTATUS msv_policy_restrictions(const struct msv_account *account, int64_t now, BOOLEAN network,
                                 ULONG parameter_control, NTSTATUS *sub_status);

/* When the password must be changed, in NT time (MSV_NT_TIME_NEVER when it never expires). */
int64_t msv_policy_password_must_change(const struct msv_account *account);

/* Record a bad password / a successful logon in the store, read-modify-write under its
 * lock; *AFTER (if not NULL) gets the account as written.  The store's status. */
NTSTATUS msv_policy_record_bad_password(struct msv_store *store, const char *name, int64_t now,
                                        struct msv_account *after);
NTSTATUS msv_policy_record_success(struct msv_store *store, const char *name, int64_t now,
                                   struct msv_account *after);
/* The lockout bookkeeping of a bad password on ACCOUNT (for callers already inside an
 * msv_store_update edit). */
void msv_policy_apply_bad_password(struct msv_account *account, int64_t now);
/* Drops a lockout whose duration is over (then the bad count starts again). */
void msv_policy_expire_lockout(struct msv_account *account, int64_t now);

/* Timing of the checks: begin before the account is looked up; a wrong-password path
 * reports its duration when its bookkeeping is written; the unknown-user path sleeps
 * until it has taken as long as that typically does (the median of the last 8). */
struct msv_timing {
    int64_t start_ns;
};
void msv_timing_begin(struct msv_timing *timing);
void msv_timing_wrong_password(const struct msv_timing *timing);
void msv_timing_unknown_user(const struct msv_timing *timing);

#endif
