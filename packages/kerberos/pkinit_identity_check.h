/*
 * A PKINIT identity named by the caller (CspData) is read by the LSA, which may run with
 * more rights than the caller (pam_lsa in sshd, later lsad).  Before the PKINIT module
 * or the device check opens it, every file it names must be a regular file of at most
 * KERB_MAX_IDENTITY_FILE bytes (a FIFO or /dev/zero would stall the logon), and for an
 * untrusted caller one the caller could read itself: owned by the caller's uid and
 * readable by its owner, or readable by everyone.  Other identity kinds (PKCS11:, DIR:,
 * ENV:) name no file to check and are refused for untrusted callers.
 */
#ifndef KERBEROS_PKINIT_IDENTITY_CHECK_H
#define KERBEROS_PKINIT_IDENTITY_CHECK_H

#include <sys/types.h>

#include <lsa/ntdef.h>

#define KERB_MAX_IDENTITY_FILE (1024 * 1024)

/* STATUS_SUCCESS, or STATUS_PKINIT_CLIENT_FAILURE / STATUS_ACCESS_DENIED with a log line. */
NTSTATUS kerb_check_identity_files(const char *identity, BOOLEAN trusted, uid_t caller);

#endif
