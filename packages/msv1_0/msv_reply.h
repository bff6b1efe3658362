/*
 * Return and profile buffers (spec/lsa-api.md §2.7 item 6, docs/writing-a-package.md §5):
 * AllocateClientBuffer gives a client address; the reply is built in LSA heap with its
 * embedded pointers computed as client address + offset; CopyToClientBuffer; the client
 * address is what the package returns.  On any later failure the client buffer is freed.
 */
#ifndef MSV1_0_MSV_REPLY_H
#define MSV1_0_MSV_REPLY_H

#include <lsa/ntsecpkg.h>

struct msv_reply {
    PLSA_CLIENT_REQUEST request;
    PVOID client;  /* the client's address of the reply */
    PUCHAR local;  /* the image being built */
    ULONG size;
    ULONG offset;  /* where the next variable part goes */
};

/* A zeroed image of SIZE bytes whose first FIXED bytes are the structure, and the
 * client buffer for it.  STATUS_NO_MEMORY, or AllocateClientBuffer's status
 * (STATUS_QUOTA_EXCEEDED). */
NTSTATUS msv_reply_begin(struct msv_reply *reply, PLSA_CLIENT_REQUEST request, ULONG size,
                         ULONG fixed);
/* Appends N bytes at an offset aligned to ALIGN; returns their client address (NULL
 * when N is 0).  The caller sized the reply for them. */
PVOID msv_reply_put(struct msv_reply *reply, const void *bytes, ULONG n, ULONG align);
/* The same, describing them as a UNICODE_STRING / STRING of the reply. */
void msv_reply_put_unicode(struct msv_reply *reply, PUNICODE_STRING out, const WCHAR *chars,
                           USHORT bytes);
void msv_reply_put_string(struct msv_reply *reply, PSTRING out, const void *chars, USHORT bytes);
/* Copies the image to the client and frees it: *OUT / *OUT_LENGTH on success; on
 * failure the client buffer is gone too. */
NTSTATUS msv_reply_end(struct msv_reply *reply, PVOID *out, PULONG out_length);
/* Drops image and client buffer (a failure between begin and end). */
void msv_reply_abort(struct msv_reply *reply);

/* A reply without embedded pointers. */
NTSTATUS msv_reply_flat(PLSA_CLIENT_REQUEST request, const void *data, ULONG length, PVOID *out,
                        PULONG out_length);

/* Room for a string of BYTES bytes at alignment 2 (what put_unicode may use). */
#define MSV_REPLY_ROOM(bytes) ((ULONG)(bytes) + 1u)

#endif
