/*
 * What the Kerberos commands of lsa share (kerb_client.c): the connection to the
 * "Kerberos" package, one message and its two statuses, LUIDs on the command line, and
 * the klist-style rendering of times, encryption types and ticket flags.
 */
#ifndef LSA_TOOLS_KERB_CLIENT_H
#define LSA_TOOLS_KERB_CLIENT_H

#include <stddef.h>

#include <lsa/ntsecapi.h>

/* SYSTEM and NETWORK_SERVICE, the machine's sessions. */
#define KERB_SYSTEM_LUID_LOW 0x3e7
#define KERB_NETWORK_SERVICE_LUID_LOW 0x3e4

/* Connects - trusted (LsaRegisterLogonProcess) when the effective uid is 0, else
 * LsaConnectUntrusted - and looks the package "Kerberos" up.  Returns LSA_EXIT_OK, or
 * LSA_EXIT_FAILURE after a message naming the failing function and status. */
int kerb_connect(const char *cmd, HANDLE *lsa, ULONG *package);

/* One LsaCallAuthenticationPackage.  WHAT names the message in diagnostics.  On
 * LSA_EXIT_OK *REPLY (maybe NULL) is the return buffer, for LsaFreeReturnBuffer; on
 * failure the function status or the ProtocolStatus has been reported (name, value,
 * text) and *REPLY is NULL. */
int kerb_call(const char *cmd, const char *what, HANDLE lsa, ULONG package, void *submit,
              size_t submit_length, void **reply, ULONG *reply_length);

/* "HIGH:LOW" (two hex numbers, 0x optional) or one hex number (up to 64 bits, HIGH in
 * the upper 32).  Returns 0, or -1 for anything else. */
int kerb_parse_luid(const char *text, LUID *luid);
/* "0x0:0x000003e7", the form lsa prints everywhere; BUF holds 32 bytes. */
const char *kerb_format_luid(const LUID *luid, char *buf, size_t len);

/* A FILETIME as local time "11/21/2026 07:30:00"; "never" for the maximum, "-" for 0. */
const char *kerb_format_time(LARGE_INTEGER time, char *buf, size_t len);
/* "aes256-cts-hmac-sha1-96", as MIT krb5 names it; "etype N" when unknown. */
const char *kerb_etype_name(LONG etype, char *buf, size_t len);
/* klist -f letters (F f P p D d i R I H A T O a), "" for none. */
const char *kerb_flag_letters(ULONG flags, char *buf, size_t len);
/* The flag names separated by spaces ("forwardable renewable initial"). */
const char *kerb_flag_names(ULONG flags, char *buf, size_t len);

/* A UNICODE_STRING of a return buffer as UTF-8 (malloc'd, lsa_free_utf8).  The body
 * must lie inside [REPLY, REPLY + LENGTH); otherwise, or for invalid UTF-16, NULL. */
char *kerb_reply_string(const void *reply, ULONG length, const UNICODE_STRING *string);
/* Whether SIZE bytes at P lie inside the return buffer. */
int kerb_reply_holds(const void *reply, ULONG length, const void *p, size_t size);

#endif
