/*
 * Submit buffers for LsaLogonUser and LsaCallAuthenticationPackage: the fixed structure,
 * then the string bodies in one block (spec/lsa-api.md §2.7).  Most structures point
 * at their bodies with addresses (Buffer = submit_append's result); KERB_CERTIFICATE_LOGON
 * wants offsets from the start of the structure (submit_offset).
 */
#ifndef LSA_TOOLS_SUBMIT_BUFFER_H
#define LSA_TOOLS_SUBMIT_BUFFER_H

#include <stddef.h>

#include <lsa/ntdef.h>

struct submit {
    unsigned char *data;
    size_t fixed, used, cap;
};

/* A zeroed block of FIXED bytes with room for EXTRA more; -1 when out of memory. */
int submit_start(struct submit *s, size_t fixed, size_t extra);
/* Appends LENGTH bytes at an even offset; returns their address inside the block, or
 * NULL when they do not fit. */
void *submit_append(struct submit *s, const void *bytes, size_t length);
/* The offset of AT (from submit_append) from the start of the block, as a pointer
 * value, for the offset-style structures. */
void *submit_offset(const struct submit *s, const void *at);
/* UTF-8 TEXT as UTF-16LE into *STRING, its body appended (Buffer NULL when empty);
 * -1 for invalid UTF-8 or no room. */
int submit_put_unicode(struct submit *s, PUNICODE_STRING string, const char *text);
/* Wipes (it may hold a password) and frees the block. */
void submit_free(struct submit *s);

#endif
