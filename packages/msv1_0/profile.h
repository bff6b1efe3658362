/*
 * The profile buffers LsaLogonUser returns (spec/lsa-api.md §4.4), built in LSA heap
 * with their strings packed after the structure and copied to one client buffer whose
 * embedded pointers are client addresses.
 */
#ifndef MSV1_0_PROFILE_H
#define MSV1_0_PROFILE_H

#include <stdint.h>

#include <lsa/ntsecpkg.h>

#include "account_store.h"
#include "ntlm_verify.h"

/* MSV1_0_INTERACTIVE_PROFILE: counts and times from ACCOUNT (as written after the
 * logon), BadPasswordCount = BAD_PASSWORDS (the count this logon found), FullName
 * (GECOS up to its first comma) and HomeDirectory from the passwd entry of the same
 * name if there is one, LogonServer "\\COMPUTER". */
NTSTATUS msv_profile_interactive(PLSA_CLIENT_REQUEST request, const struct msv_account *account,
                                 uint32_t bad_passwords, int64_t logon_time_nt, PVOID *profile,
                                 PULONG profile_length);

/* MSV1_0_LM20_LOGON_PROFILE: the session keys of RESULT, UserFlags for its response
 * kind, the configured domain, LogonServer "COMPUTER". */
NTSTATUS msv_profile_lm20(PLSA_CLIENT_REQUEST request, const struct ntlm_verify_result *result,
                          PVOID *profile, PULONG profile_length);

#endif
