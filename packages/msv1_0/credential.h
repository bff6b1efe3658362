/*
 * The NTLM single sign-on credential: an interactive logon keeps the account's NT hash
 * (never the password) with the LSA as the session's credential (AddCredential, key
 * "NTOWF"), so that MsV1_0Lm20GetChallengeResponse can answer challenges for the
 * session without a password.  The LSA holds it in locked memory and wipes it when the
 * session ends.  Self-relative layout (spec/lsa-api.md §2.4, AddCredential):
 *
 *   ULONG  Version (1)
 *   UCHAR  NtOwfPassword[16]
 *   USHORT UserNameLength, LogonDomainNameLength   (bytes)
 *   then the UTF-16LE user name, then the UTF-16LE logon domain name
 */
#ifndef MSV1_0_CREDENTIAL_H
#define MSV1_0_CREDENTIAL_H

#include <stdint.h>

#include <lsa/ntsecapi.h>

#define MSV_CREDENTIAL_KEY "NTOWF"
#define MSV_CREDENTIAL_VERSION 1

struct msv_credential {
    uint8_t nt_hash[16];
    UNICODE_STRING user;   /* malloc'd */
    UNICODE_STRING domain; /* malloc'd */
};

/* AddCredential's status (STATUS_NO_SUCH_LOGON_SESSION, ...) or STATUS_NO_MEMORY. */
NTSTATUS msv_credential_add(const LUID *logon_id, const uint8_t nt_hash[16],
                            PCUNICODE_STRING user, PCUNICODE_STRING domain);

/* The session's credential.  STATUS_NO_SUCH_LOGON_SESSION when the session does not
 * exist or has none from this package; STATUS_NO_MEMORY. */
NTSTATUS msv_credential_get(const LUID *logon_id, struct msv_credential *credential);
/* Wipes and frees. */
void msv_credential_free(struct msv_credential *credential);

#endif
