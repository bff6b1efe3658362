/*
 * The logon sessions this package created (spec/lsa-api.md §4.2: MsV1_0EnumerateUsers,
 * MsV1_0GetUserInfo): LUID, account, domain, logon type and the enumeration handle
 * (a per-package counter, as ReactOS hands out; the list is in logon order).  Added on a successful logon, removed
 * by LogonTerminated.  Thread safe.
 */
#ifndef MSV1_0_SESSION_RECORDS_H
#define MSV1_0_SESSION_RECORDS_H

#include <lsa/ntsecapi.h>

struct msv_session_records;

/* A copy of one record: strings are malloc'd (msv_session_info_free). */
struct msv_session_info {
    LUID logon_id;
    SECURITY_LOGON_TYPE logon_type;
    ULONG enum_handle;
    UNICODE_STRING user;
    UNICODE_STRING domain;
};

NTSTATUS msv_sessions_create(struct msv_session_records **records);
void msv_sessions_destroy(struct msv_session_records *records);

/* STATUS_NO_MEMORY, STATUS_LOGON_SESSION_COLLISION (already recorded). */
NTSTATUS msv_sessions_add(struct msv_session_records *records, const LUID *logon_id,
                          SECURITY_LOGON_TYPE logon_type, PCUNICODE_STRING user,
                          PCUNICODE_STRING domain);
/* TRUE if it was recorded. */
BOOLEAN msv_sessions_remove(struct msv_session_records *records, const LUID *logon_id);
/* STATUS_NO_SUCH_LOGON_SESSION, STATUS_NO_MEMORY. */
NTSTATUS msv_sessions_get(struct msv_session_records *records, const LUID *logon_id,
                          struct msv_session_info *info);
void msv_session_info_free(struct msv_session_info *info);

/* Every recorded session, oldest first: *IDS and *HANDLES are malloc'd arrays of
 * *COUNT entries (NULL when there are none).  STATUS_NO_MEMORY. */
NTSTATUS msv_sessions_list(struct msv_session_records *records, LUID **ids, ULONG **handles,
                           ULONG *count);

#endif
