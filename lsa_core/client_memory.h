/*
 * Return buffers in the caller's memory, charged to the connection's quota
 * (lsa.conf client_quota).  Every buffer carries a header naming its quota, so
 * LsaFreeReturnBuffer, which has no handle, credits the right connection; a quota
 * outlives its connection until its last buffer is freed.  Live buffers are registered,
 * so a pointer that is not one is refused without being read.
 */
#ifndef LSA_CORE_CLIENT_MEMORY_H
#define LSA_CORE_CLIENT_MEMORY_H

#include <stddef.h>

#include <lsa/ntdef.h>

struct lsa_quota;

struct lsa_quota *lsa_quota_new(size_t limit);
void lsa_quota_release(struct lsa_quota *quota);
size_t lsa_quota_used(const struct lsa_quota *quota);

/* STATUS_QUOTA_EXCEEDED when QUOTA cannot hold SIZE more bytes. Zero-filled. */
NTSTATUS lsa_client_buffer_alloc(struct lsa_quota *quota, size_t size, void **buffer);
/* STATUS_INVALID_PARAMETER for a pointer that is not a live return buffer. */
NTSTATUS lsa_client_buffer_free(void *buffer);
/* Usable size of a live return buffer. */
size_t lsa_client_buffer_size(const void *buffer);
/* Slots in the table of live buffers: bounded by the live buffers, not by how many were
 * ever allocated (tests/unit/test_client_memory.c). */
size_t lsa_client_buffer_table_slots(void);

#endif
