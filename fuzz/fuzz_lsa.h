/*
 * What the harnesses that drive a real package through the real LSA share
 * (fuzz_msv1_0.c, fuzz_kerberos.c): pointer rewriting in a submit buffer, the checked
 * call and logon, and their temporary directory.  fuzz_lsa_name is the harness's name,
 * for messages and directory names.
 */
#ifndef FUZZ_FUZZ_LSA_H
#define FUZZ_FUZZ_LSA_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <lsa/ntsecapi.h>

extern const char fuzz_lsa_name[];

void fuzz_die(const char *what) __attribute__((noreturn));
ULONG fuzz_load32(const uint8_t *p);

/* A UNICODE_STRING or STRING (same x64 layout) at OFF of the region [R, R + N): its
 * Buffer becomes R + (value mod (N + 1)), inside the region or just past it; a
 * MaximumLength below Length is raised to it unless RAW_MAX, so the string relocates. */
void fuzz_fix_string(uint8_t *r, size_t n, size_t off, BOOLEAN raw_max);
/* The same for a bare pointer at OFF. */
void fuzz_fix_pointer(uint8_t *r, size_t n, size_t off);

/* LsaCallAuthenticationPackage / LsaLogonUser, reading every byte that came back (so
 * AddressSanitizer checks the length given) and aborting on a broken contract: a failed
 * call or logon that returns something, a logon without a session.  A failed call's
 * *PROTOCOL is reported as STATUS_SUCCESS. */
NTSTATUS fuzz_call(HANDLE handle, ULONG package, void *submit, ULONG length,
                   NTSTATUS *protocol);
NTSTATUS fuzz_logon(HANDLE handle, ULONG package, SECURITY_LOGON_TYPE type, void *submit,
                    ULONG length, LUID *logon_id, HANDLE *token, NTSTATUS *sub_status);

void fuzz_write_file(const char *path, const char *text, mode_t mode);
/* PATH and everything under it. */
int fuzz_remove_tree(const char *path);
/* A crash ends the process without atexit: the directories NAME.PID.XXXXXX in TMP of
 * harnesses that are gone (PID no longer running) are removed by the next start. */
void fuzz_remove_stale_dirs(const char *tmp);

#endif
