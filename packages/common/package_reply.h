/*
 * Return buffers of LsaCallAuthenticationPackage and profile buffers of LsaLogonUser,
 * for any package (spec/lsa-api.md §2.7 item 6, docs/writing-a-package.md §5):
 * AllocateClientBuffer gives a client address; the reply is built in LSA heap with its
 * embedded pointers computed as client address + offset; CopyToClientBuffer; the client
 * address is what the package returns.  On any later failure the client buffer is freed.
 * The package passes its LSA_SECPKG_FUNCTION_TABLE once, to pkg_reply_begin.
 */
#ifndef COMMON_PACKAGE_REPLY_H
#define COMMON_PACKAGE_REPLY_H

#include <lsa/ntsecpkg.h>

/* Replies up to this size are built inside the structure, without an LSA heap block. */
#define PKG_REPLY_INLINE_BYTES 256

struct pkg_reply {
    PLSA_SECPKG_FUNCTION_TABLE lsa;
    PLSA_CLIENT_REQUEST request;
    PVOID client;  /* the client's address of the reply */
    PUCHAR local;  /* the image being built: SMALL, or LSA heap */
    ULONG size;
    ULONG offset;  /* where the next variable part goes */
    _Alignas(16) UCHAR small[PKG_REPLY_INLINE_BYTES];
};

/* A zeroed image of SIZE bytes whose first FIXED bytes are the structure, and the
 * client buffer for it.  STATUS_NO_MEMORY, or AllocateClientBuffer's status
 * (STATUS_QUOTA_EXCEEDED). */
NTSTATUS pkg_reply_begin(struct pkg_reply *reply, PLSA_SECPKG_FUNCTION_TABLE lsa,
                         PLSA_CLIENT_REQUEST request, ULONG size, ULONG fixed);
/* Appends N bytes at an offset aligned to ALIGN (a power of two); returns their client
 * address (NULL when N is 0, or when the caller sized the reply too small: nothing is
 * written past the image). */
PVOID pkg_reply_put(struct pkg_reply *reply, const void *bytes, ULONG n, ULONG align);
/* Reserves N zeroed bytes the same way; *LOCAL gets where to fill them in the image. */
PVOID pkg_reply_reserve(struct pkg_reply *reply, ULONG n, ULONG align, void **local);
/* The same as put, describing the bytes as a UNICODE_STRING / STRING of the reply. */
void pkg_reply_put_unicode(struct pkg_reply *reply, PUNICODE_STRING out, const WCHAR *chars,
                           USHORT bytes);
void pkg_reply_put_string(struct pkg_reply *reply, PSTRING out, const void *chars, USHORT bytes);
/* Copies the image to the client, wipes and frees it: *OUT / *OUT_LENGTH on success;
 * on failure the client buffer is gone too. */
NTSTATUS pkg_reply_end(struct pkg_reply *reply, PVOID *out, PULONG out_length);
/* Drops image and client buffer (a failure between begin and end). */
void pkg_reply_abort(struct pkg_reply *reply);

/* A reply without embedded pointers. */
NTSTATUS pkg_reply_flat(PLSA_SECPKG_FUNCTION_TABLE lsa, PLSA_CLIENT_REQUEST request,
                        const void *data, ULONG length, PVOID *out, PULONG out_length);

/* Room for N bytes at alignment ALIGN, whatever the offset before them. */
#define PKG_REPLY_ROOM_ALIGNED(n, align) ((ULONG)(n) + (ULONG)(align) - 1u)
/* Room for a string of BYTES bytes at alignment 2 (what put_unicode may use). */
#define PKG_REPLY_ROOM(bytes) PKG_REPLY_ROOM_ALIGNED(bytes, 2)

#endif
