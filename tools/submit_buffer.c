/* Submit buffers for the lsa command (submit_buffer.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lsa/lsa_util.h>
#include <lsa/ntstatus.h>

#include "submit_buffer.h"

int submit_start(struct submit *s, size_t fixed, size_t extra)
{
    s->cap = fixed + extra;
    s->data = calloc(1, s->cap);
    s->fixed = s->used = fixed;
    return s->data ? 0 : -1;
}

void *submit_append(struct submit *s, const void *bytes, size_t length)
{
    s->used = (s->used + 1) & ~(size_t)1;
    if (length > s->cap - s->used)
        return NULL;
    void *at = s->data + s->used;
    memcpy(at, bytes, length);
    s->used += length;
    return at;
}

void *submit_offset(const struct submit *s, const void *at)
{
    return at == NULL ? NULL : (void *)(uintptr_t)((const unsigned char *)at - s->data);
}

int submit_put_unicode(struct submit *s, PUNICODE_STRING string, const char *text)
{
    UNICODE_STRING u;
    if (lsa_utf8_to_unicode_string(text, strlen(text), &u) != STATUS_SUCCESS)
        return -1;
    string->Length = string->MaximumLength = u.Length;
    string->Buffer = u.Length ? submit_append(s, u.Buffer, u.Length) : NULL;
    int ok = u.Length == 0 || string->Buffer != NULL;
    lsa_free_unicode_string(&u);
    return ok ? 0 : -1;
}

void submit_free(struct submit *s)
{
    if (s->data != NULL)
        explicit_bzero(s->data, s->cap);
    free(s->data);
    s->data = NULL;
}
