/*
 * UTF-8 <-> UTF-16LE conversion (iconv) and UNICODE_STRING comparison for the LSA core
 * and the packages (<lsa/lsa_util.h>).
 *
 * Passwords pass through here: every buffer that held converted text is wiped with
 * explicit_bzero before it is freed, on the error paths too.  Each call opens its own
 * iconv descriptor, so nothing is shared between threads.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* explicit_bzero */
#endif

#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lsa/lsa_util.h>
#include <lsa/ntstatus.h>

#include "lsa_visibility.h"

/* WCHARs are read and written in host order and handed to iconv as UTF-16LE. */
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
               "UNICODE_STRING buffers are UTF-16LE in host order");

/* Windows' UNICODE_STRING_MAX_BYTES is 65534 and a converted string carries a
 * 2-byte terminator counted in MaximumLength, so Length can be at most 65532. */
#define UNICODE_MAX_BYTES 65534u
#define UNICODE_MAX_LENGTH (UNICODE_MAX_BYTES - sizeof(WCHAR))

/* Conversions up to this size (names) work in a stack buffer, not a heap one. */
#define SMALL_CONVERSION 512

/* iconv_open loads and sets up a converter: too slow for every logon, so each thread
 * keeps one descriptor per direction (iconv_t is not thread safe), reset before use and
 * closed when the thread ends. */
enum direction { TO_UTF16, TO_UTF8, DIRECTIONS };
static pthread_key_t descriptors_key;
static pthread_once_t descriptors_once = PTHREAD_ONCE_INIT;

static void close_descriptors(void *value)
{
    iconv_t *cds = value;
    for (int d = 0; d < DIRECTIONS; d++)
        if (cds[d] != (iconv_t)-1)
            iconv_close(cds[d]);
    free(cds);
}

static void make_key(void)
{
    pthread_key_create(&descriptors_key, close_descriptors);
}

static iconv_t descriptor(enum direction d)
{
    pthread_once(&descriptors_once, make_key);
    iconv_t *cds = pthread_getspecific(descriptors_key);
    if (cds == NULL) {
        cds = malloc(DIRECTIONS * sizeof(*cds));
        if (cds == NULL)
            return (iconv_t)-1;
        for (int i = 0; i < DIRECTIONS; i++)
            cds[i] = (iconv_t)-1;
        pthread_setspecific(descriptors_key, cds);
    }
    if (cds[d] == (iconv_t)-1)
        cds[d] = d == TO_UTF16 ? iconv_open("UTF-16LE", "UTF-8") : iconv_open("UTF-8", "UTF-16LE");
    else
        iconv(cds[d], NULL, NULL, NULL, NULL); /* back to the initial state */
    return cds[d];
}

/* Names are mostly ASCII, which converts unit for unit: no iconv call for those (the
 * rest, and any input that would not fit, goes through iconv). */
static BOOLEAN ascii_only(enum direction d, const void *In, size_t InLength, size_t OutCapacity)
{
    if (d == TO_UTF16) {
        const unsigned char *in = In;
        if (InLength > OutCapacity / sizeof(WCHAR))
            return FALSE;
        for (size_t i = 0; i < InLength; i++)
            if (in[i] >= 0x80)
                return FALSE;
        return TRUE;
    }
    if (InLength % sizeof(WCHAR) != 0 || InLength / sizeof(WCHAR) > OutCapacity)
        return FALSE;
    const unsigned char *in = In;
    for (size_t i = 0; i < InLength; i += sizeof(WCHAR))
        if (in[i] >= 0x80 || in[i + 1] != 0) /* UTF-16LE: low byte first */
            return FALSE;
    return TRUE;
}

static void copy_ascii(enum direction d, const void *In, size_t InLength, void *Out)
{
    const unsigned char *in = In;
    unsigned char *out = Out;
    if (d == TO_UTF16) {
        for (size_t i = 0; i < InLength; i++) {
            out[2 * i] = in[i];
            out[2 * i + 1] = 0;
        }
    } else {
        for (size_t i = 0; i < InLength / sizeof(WCHAR); i++)
            out[i] = in[2 * i];
    }
}

/*
 * Convert In[0, InLength) into Out[0, OutCapacity) on this thread's descriptor.
 * *OutLength gets the bytes written, also on failure (the caller wipes them).
 * A full output buffer is TooBig; invalid or truncated input STATUS_INVALID_PARAMETER.
 */
static NTSTATUS convert(enum direction d, const void *In, size_t InLength, void *Out,
                        size_t OutCapacity, size_t *OutLength, NTSTATUS TooBig)
{
    iconv_t cd;
    char *in = (char *)(uintptr_t)In; /* iconv's prototype lacks the const */
    char *out = Out;
    size_t in_left = InLength, out_left = OutCapacity, r;
    NTSTATUS status = STATUS_SUCCESS;

    *OutLength = 0;
    if (ascii_only(d, In, InLength, OutCapacity)) {
        copy_ascii(d, In, InLength, Out);
        *OutLength = d == TO_UTF16 ? InLength * sizeof(WCHAR) : InLength / sizeof(WCHAR);
        return STATUS_SUCCESS;
    }
    cd = descriptor(d);
    if (cd == (iconv_t)-1)
        return errno == ENOMEM ? STATUS_NO_MEMORY : STATUS_NOT_SUPPORTED;

    r = iconv(cd, &in, &in_left, &out, &out_left);
    if (r != (size_t)-1)
        r = iconv(cd, NULL, NULL, &out, &out_left); /* flush (a no-op for UTF-8/16) */
    if (r == (size_t)-1) {
        switch (errno) {
        case E2BIG:
            status = TooBig;
            break;
        case EILSEQ: /* invalid sequence, unpaired surrogate */
        case EINVAL: /* truncated sequence at the end of the input */
            status = STATUS_INVALID_PARAMETER;
            break;
        default:
            status = STATUS_INTERNAL_ERROR;
            break;
        }
    } else if (r != 0 || in_left != 0) {
        /* Between UTF-8 and UTF-16 every character is reversible. */
        status = STATUS_INVALID_PARAMETER;
    }
    *OutLength = OutCapacity - out_left;
    return status;
}

LSA_PUBLIC NTSTATUS lsa_utf8_to_unicode_string(const char *Utf8, size_t Utf8Length,
                                               PUNICODE_STRING Out)
{
    unsigned char *tmp, *result;
    size_t capacity, length = 0;
    NTSTATUS status;

    if (Out == NULL)
        return STATUS_INVALID_PARAMETER;
    Out->Length = 0;
    Out->MaximumLength = 0;
    Out->Buffer = NULL;
    if (Utf8 == NULL && Utf8Length > 0)
        return STATUS_INVALID_PARAMETER;

    if (Utf8Length == 0) {
        result = calloc(1, sizeof(WCHAR));
        if (result == NULL)
            return STATUS_NO_MEMORY;
        Out->MaximumLength = sizeof(WCHAR);
        Out->Buffer = (PWSTR)(void *)result;
        return STATUS_SUCCESS;
    }

    /* One UTF-8 byte never becomes more than two UTF-16 bytes.  Room for one byte
     * more than allowed tells "too long" from "exactly at the limit". */
    capacity = Utf8Length > (UNICODE_MAX_LENGTH + 2) / 2 ? UNICODE_MAX_LENGTH + 2
                                                         : 2 * Utf8Length;
    unsigned char small[SMALL_CONVERSION];
    tmp = capacity <= sizeof(small) ? small : malloc(capacity);
    if (tmp == NULL)
        return STATUS_NO_MEMORY;
    status = convert(TO_UTF16, Utf8, Utf8Length, tmp, capacity, &length,
                     STATUS_NAME_TOO_LONG);
    if (NT_SUCCESS(status) && length > UNICODE_MAX_LENGTH)
        status = STATUS_NAME_TOO_LONG;
    if (NT_SUCCESS(status) && (length & 1u) != 0)
        status = STATUS_INTERNAL_ERROR; /* iconv never writes half a WCHAR */
    if (!NT_SUCCESS(status))
        goto out;

    result = malloc(length + sizeof(WCHAR));
    if (result == NULL) {
        status = STATUS_NO_MEMORY;
        goto out;
    }
    memcpy(result, tmp, length);
    result[length] = 0;
    result[length + 1] = 0;
    Out->Length = (USHORT)length;
    Out->MaximumLength = (USHORT)(length + sizeof(WCHAR));
    Out->Buffer = (PWSTR)(void *)result;

out:
    explicit_bzero(tmp, capacity);
    if (tmp != small)
        free(tmp);
    return status;
}

LSA_PUBLIC NTSTATUS lsa_unicode_string_to_utf8(PCUNICODE_STRING In, char **Utf8,
                                               size_t *Utf8Length)
{
    const unsigned char *src;
    char *tmp, *result;
    size_t capacity, length = 0, i;
    NTSTATUS status;

    if (Utf8 != NULL)
        *Utf8 = NULL;
    if (Utf8Length != NULL)
        *Utf8Length = 0;
    if (In == NULL || Utf8 == NULL)
        return STATUS_INVALID_PARAMETER;
    if ((In->Length & 1u) != 0 || (In->Buffer == NULL && In->Length > 0))
        return STATUS_INVALID_PARAMETER;

    if (In->Length == 0) {
        result = calloc(1, 1);
        if (result == NULL)
            return STATUS_NO_MEMORY;
        *Utf8 = result;
        return STATUS_SUCCESS;
    }

    /* The result is a C string: a U+0000 would cut it short (and hide the rest from
     * lsa_free_utf8's wipe).  Read through memcpy: Buffer need not be aligned. */
    src = (const unsigned char *)In->Buffer;
    for (i = 0; i < In->Length; i += sizeof(WCHAR)) {
        WCHAR unit;
        memcpy(&unit, src + i, sizeof(unit));
        if (unit == 0)
            return STATUS_INVALID_PARAMETER;
    }

    /* A UTF-16 unit becomes at most three UTF-8 bytes (a surrogate pair four). */
    capacity = (size_t)In->Length / sizeof(WCHAR) * 3;
    char small[SMALL_CONVERSION];
    tmp = capacity <= sizeof(small) ? small : malloc(capacity);
    if (tmp == NULL)
        return STATUS_NO_MEMORY;
    status = convert(TO_UTF8, src, In->Length, tmp, capacity, &length,
                     STATUS_INTERNAL_ERROR);
    if (!NT_SUCCESS(status))
        goto out;

    result = malloc(length + 1);
    if (result == NULL) {
        status = STATUS_NO_MEMORY;
        goto out;
    }
    memcpy(result, tmp, length);
    result[length] = '\0';
    *Utf8 = result;
    if (Utf8Length != NULL)
        *Utf8Length = length;

out:
    explicit_bzero(tmp, capacity);
    if (tmp != small)
        free(tmp);
    return status;
}

LSA_PUBLIC void lsa_free_unicode_string(PUNICODE_STRING String)
{
    if (String == NULL)
        return;
    if (String->Buffer != NULL) {
        explicit_bzero(String->Buffer, String->MaximumLength);
        free(String->Buffer);
    }
    String->Length = 0;
    String->MaximumLength = 0;
    String->Buffer = NULL;
}

LSA_PUBLIC void lsa_free_utf8(char *Utf8)
{
    if (Utf8 == NULL)
        return;
    explicit_bzero(Utf8, strlen(Utf8) + 1);
    free(Utf8);
}

static WCHAR fold_ascii(WCHAR c)
{
    return (c >= u'A' && c <= u'Z') ? (WCHAR)(c + (u'a' - u'A')) : c;
}

LSA_PUBLIC BOOLEAN lsa_unicode_string_equal(PCUNICODE_STRING A, PCUNICODE_STRING B,
                                            BOOLEAN CaseInsensitive)
{
    const unsigned char *a, *b;
    size_t i, length;

    if (A == NULL || B == NULL)
        return A == B ? TRUE : FALSE;
    if (A->Length != B->Length)
        return FALSE;
    length = A->Length;
    if (length == 0)
        return TRUE;
    if (A->Buffer == NULL || B->Buffer == NULL)
        return FALSE; /* malformed: a length without a buffer */
    a = (const unsigned char *)A->Buffer;
    b = (const unsigned char *)B->Buffer;
    if (!CaseInsensitive)
        return memcmp(a, b, length) == 0 ? TRUE : FALSE;

    for (i = 0; i + sizeof(WCHAR) <= length; i += sizeof(WCHAR)) {
        WCHAR ca, cb;
        memcpy(&ca, a + i, sizeof(ca));
        memcpy(&cb, b + i, sizeof(cb));
        if (fold_ascii(ca) != fold_ascii(cb))
            return FALSE;
    }
    /* An odd Length (malformed, but not ours to reject): compare the last byte. */
    if (i < length && a[i] != b[i])
        return FALSE;
    return TRUE;
}
