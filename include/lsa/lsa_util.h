/*
 * <lsa/lsa_util.h> - Linux extensions for package authors: client-buffer relocation
 * and UTF-8 <-> UTF-16LE string helpers.
 *
 * Relocation (spec/lsa-api.md §2.7).  The LSA copies a client's submit buffer into its
 * own memory and calls the package with the local copy (ProtocolSubmitBuffer) and the
 * client's original address of that buffer (ClientBufferBase).  Embedded
 * UNICODE_STRING / STRING Buffers, and pointer + length pairs such as CspData, still
 * hold client addresses that point inside the submitted block.  Every package turns
 * them into local pointers with the functions below, after checking with
 * lsa_submit_buffer_fits() that the fixed structure is there at all:
 *
 *     if (!lsa_submit_buffer_fits(SubmitBufferLength, sizeof(*Logon)))
 *         return STATUS_INVALID_PARAMETER;
 *     Status = lsa_relocate_unicode_string(&Logon->UserName, ProtocolSubmitBuffer,
 *                                          ClientBufferBase, SubmitBufferLength);
 *
 * The check is:  offset = Buffer - ClientBufferBase (unsigned, a Buffer below
 * ClientBufferBase is rejected, never wrapped);  [offset, offset + Length) inside
 * [0, SubmitBufferLength);  Length <= MaximumLength;  for UTF-16 an even Length and a
 * 2-byte aligned Buffer.  A zero Length gives Buffer = NULL, whatever it held.  On
 * success Buffer = SubmitBuffer + offset and MaximumLength = Length, so nothing reads or
 * writes past the checked range.  Any failure is STATUS_INVALID_PARAMETER and leaves
 * the string unchanged; the client's address space is never dereferenced.
 *
 * ClientBufferBase == NULL means the Buffer values are offsets from the start of the
 * submitted structure (the KERB_CERTIFICATE_LOGON convention, §2.7 item 5, and the
 * in-process model of item 7): the same arithmetic covers both.
 *
 * String helpers.  UNICODE_STRINGs are UTF-16LE with lengths in bytes.  Conversions go
 * through iconv, are thread safe, and wipe (explicit_bzero) every buffer they drop,
 * since passwords pass through them.  A converted UNICODE_STRING is at most 65534
 * bytes including its terminator (Windows' UNICODE_STRING_MAX_BYTES), i.e. Length
 * <= 65532.
 */
#ifndef LSA_LSA_UTIL_H
#define LSA_LSA_UTIL_H

#include <stddef.h>

#include <lsa/ntdef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Relocate and validate a UTF-16 string field of the local copy (see above). */
NTSTATUS lsa_relocate_unicode_string(PUNICODE_STRING String, PVOID SubmitBuffer,
                                     PVOID ClientBufferBase, ULONG SubmitBufferLength);

/* The same for an 8-bit STRING: no evenness or alignment requirement. */
NTSTATUS lsa_relocate_string(PSTRING String, PVOID SubmitBuffer, PVOID ClientBufferBase,
                             ULONG SubmitBufferLength);

/* A pointer + byte-length pair (e.g. KERB_CERTIFICATE_LOGON CspData).  Length 0 gives
 * *Pointer = NULL; otherwise the range checks above, no alignment.  On failure
 * STATUS_INVALID_PARAMETER and *Pointer unchanged. */
NTSTATUS lsa_relocate_buffer(PVOID *Pointer, ULONG Length, PVOID SubmitBuffer,
                             PVOID ClientBufferBase, ULONG SubmitBufferLength);

/* TRUE when a submit buffer of SubmitBufferLength bytes holds a StructSize structure. */
BOOLEAN lsa_submit_buffer_fits(ULONG SubmitBufferLength, size_t StructSize);

/* UTF-8 (Utf8Length bytes, no terminator needed) to a new UTF-16LE string.
 * Out->Buffer is malloc'd and NUL-terminated: the terminator is not counted in Length,
 * it is in MaximumLength.  Free it with lsa_free_unicode_string().
 * Invalid UTF-8 (bad, overlong or truncated sequences, surrogates, > U+10FFFF):
 * STATUS_INVALID_PARAMETER.  Length would exceed 65532: STATUS_NAME_TOO_LONG.
 * STATUS_NO_MEMORY; STATUS_NOT_SUPPORTED when iconv lacks the conversion.
 * On failure *Out is zeroed. */
NTSTATUS lsa_utf8_to_unicode_string(const char *Utf8, size_t Utf8Length,
                                    PUNICODE_STRING Out);

/* UTF-16LE to a new malloc'd, NUL-terminated UTF-8 string; *Utf8Length (if not NULL)
 * gets its length without the terminator.  Free it with lsa_free_utf8().
 * Odd Length, Buffer NULL with Length > 0, an unpaired surrogate, or a U+0000 (the
 * result is a C string: an embedded NUL would silently truncate it):
 * STATUS_INVALID_PARAMETER.  On failure *Utf8 = NULL (and *Utf8Length = 0). */
NTSTATUS lsa_unicode_string_to_utf8(PCUNICODE_STRING In, char **Utf8, size_t *Utf8Length);

/* For strings from lsa_utf8_to_unicode_string(): wipe MaximumLength bytes, free, and
 * zero the structure.  NULL and an empty structure are fine. */
void lsa_free_unicode_string(PUNICODE_STRING String);

/* For strings from lsa_unicode_string_to_utf8(): wipe strlen + 1 bytes and free.
 * NULL is fine. */
void lsa_free_utf8(char *Utf8);

/* Equal lengths and equal contents; CaseInsensitive folds ASCII A-Z only (enough for
 * package names).  Not constant time: never for secrets.  Two NULLs are equal. */
BOOLEAN lsa_unicode_string_equal(PCUNICODE_STRING A, PCUNICODE_STRING B,
                                 BOOLEAN CaseInsensitive);

/* One log line through the LSA's logger, for packages and tools: syslog (LOG_AUTHPRIV)
 * as "lsa: TEXT", and standard error too when LSA_LOG_STDERR is set (not empty, not 0).
 * Lines less important than lsa.conf's [lsa] log_level (default info) are dropped.
 * PRIORITY is a syslog level (LOG_ERR, LOG_NOTICE, ...).  Never pass a secret. */
void lsa_log(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Whether lsa_log would emit a line of PRIORITY: to skip preparing one that it would
 * drop. */
BOOLEAN lsa_log_enabled(int priority);

/* NAME (a client-supplied string; NULL is "") made safe for a log line: control
 * characters and '\'' become '?', and it is cut at OutSize - 1 bytes on a UTF-8
 * character boundary.  Returns Out. */
const char *lsa_log_name(const char *Name, char *Out, size_t OutSize);

/* LENGTH random bytes at OUT for an identifier (a LUID seed, a cache name), not for a
 * secret: from the operating system's entropy, without setting up OpenSSL's DRBGs.
 * FALSE when no random source answered. */
BOOLEAN lsa_random_identifier(void *Out, size_t Length);

#ifdef __cplusplus
}
#endif

#endif /* LSA_LSA_UTIL_H */
