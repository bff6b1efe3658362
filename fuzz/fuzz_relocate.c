/*
 * libFuzzer harness for client-buffer relocation and the UTF-8 <-> UTF-16LE helpers
 * (<lsa/lsa_util.h>, spec/lsa-api.md §2.7).
 *
 * The input is a submit buffer, copied into a malloc of exactly Size bytes (the LSA's
 * local copy) so AddressSanitizer flags any read past it:
 *
 *   [0]       ClientBufferBase selector: % 4 = 0 NULL (offset mode), 1 a fixed
 *             client-like address, 2 the 8 bytes at [8], 3 near the top of the
 *             address space (-(bytes at [8]))
 *   [1]       bit 0: case-insensitive comparison
 *   [16, 32)  UNICODE_STRING
 *   [32, 48)  STRING
 *   [48, 64)  UNICODE_STRING
 *   [64, 80)  PVOID + ULONG length (a CspData-like pair)
 *   [80, ...) string bodies; also fed through the conversions as UTF-16LE and UTF-8
 *
 * Every successful relocation is checked (inside the copy, MaximumLength == Length,
 * UTF-16 even and aligned) and every byte of it read, WCHARs through a PWSTR so that
 * UBSan sees a misaligned one.  Conversions must round-trip exactly.
 *
 *   clang -g -fsanitize=fuzzer,address,undefined -Iinclude -Ilsa_core \
 *       fuzz/fuzz_relocate.c lsa_core/relocate.c lsa_core/unicode.c -o fuzz_relocate
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lsa/lsa_util.h>
#include <lsa/ntstatus.h>

#define OFF_BASE 8u
#define OFF_U1 16u
#define OFF_A 32u
#define OFF_U2 48u
#define OFF_PTR 64u
#define OFF_PTR_LEN 72u
#define OFF_TAIL 80u

#define CHECK(cond)                                                                      \
    do {                                                                                 \
        if (!(cond))                                                                     \
            abort();                                                                     \
    } while (0)

static volatile unsigned sink;

/* A relocated range must lie inside the copy; read every byte of it. */
static void check_range(const unsigned char *copy, size_t size, const void *p, size_t length)
{
    uintptr_t start = (uintptr_t)copy, at = (uintptr_t)p;
    const volatile unsigned char *bytes = p;
    size_t i;

    if (length == 0) {
        CHECK(p == NULL);
        return;
    }
    CHECK(p != NULL);
    CHECK(at >= start && at - start < size && length <= size - (at - start));
    for (i = 0; i < length; i++)
        sink += bytes[i];
}

static void check_unicode(const unsigned char *copy, size_t size, const UNICODE_STRING *u)
{
    size_t i;

    CHECK(u->MaximumLength == u->Length);
    CHECK((u->Length & 1u) == 0 && ((uintptr_t)u->Buffer & 1u) == 0);
    check_range(copy, size, u->Buffer, u->Length);
    for (i = 0; i < u->Length / sizeof(WCHAR); i++)
        sink += ((const volatile WCHAR *)u->Buffer)[i];
}

/* UTF-16 -> UTF-8 -> UTF-16 is the identity whenever the first step succeeds. */
static void round_trip_utf16(const UNICODE_STRING *u)
{
    char *utf8 = NULL;
    size_t length = 0;
    UNICODE_STRING back;
    NTSTATUS status;

    if (lsa_unicode_string_to_utf8(u, &utf8, &length) != STATUS_SUCCESS) {
        CHECK(utf8 == NULL);
        return;
    }
    CHECK(utf8 != NULL && strlen(utf8) == length);
    status = lsa_utf8_to_unicode_string(utf8, length, &back);
    if (status == STATUS_SUCCESS) {
        CHECK(back.Length == u->Length && back.MaximumLength == u->Length + 2);
        CHECK(u->Length == 0 || memcmp(back.Buffer, u->Buffer, u->Length) == 0);
        CHECK(lsa_unicode_string_equal(&back, u, 0) && lsa_unicode_string_equal(&back, u, 1));
        lsa_free_unicode_string(&back);
    } else {
        /* Only a string right at the UNICODE_STRING limit cannot come back. */
        CHECK(status == STATUS_NAME_TOO_LONG && u->Length > 65532);
    }
    lsa_free_utf8(utf8);
}

/* UTF-8 -> UTF-16 -> UTF-8 is the identity unless the text holds a U+0000. */
static void round_trip_utf8(const unsigned char *text, size_t length)
{
    UNICODE_STRING u;
    char *back = NULL;
    size_t back_length = 0;
    NTSTATUS status;

    status = lsa_utf8_to_unicode_string((const char *)text, length, &u);
    if (status != STATUS_SUCCESS) {
        CHECK(u.Buffer == NULL && u.Length == 0 && u.MaximumLength == 0);
        CHECK(status == STATUS_INVALID_PARAMETER || status == STATUS_NAME_TOO_LONG);
        return;
    }
    CHECK(u.MaximumLength == u.Length + 2 && u.Buffer[u.Length / 2] == 0);
    status = lsa_unicode_string_to_utf8(&u, &back, &back_length);
    if (memchr(text, 0, length) != NULL) {
        CHECK(status == STATUS_INVALID_PARAMETER && back == NULL);
    } else {
        CHECK(status == STATUS_SUCCESS && back_length == length);
        CHECK(length == 0 || memcmp(back, text, length) == 0);
        lsa_free_utf8(back);
    }
    lsa_free_unicode_string(&u);
}

int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size);

int LLVMFuzzerTestOneInput(const uint8_t *Data, size_t Size)
{
    unsigned char *copy;
    PVOID base = NULL;
    ULONG length;
    UNICODE_STRING *u1 = NULL, *u2 = NULL;
    BOOLEAN u1_ok = 0, u2_ok = 0;
    size_t tail;

    if (Size > 0xffffffffu)
        return 0;
    length = (ULONG)Size;
    copy = malloc(Size);
    if (copy == NULL)
        return 0;
    if (Size > 0)
        memcpy(copy, Data, Size);

    if (Size > 0) {
        uint64_t raw = 0;
        if (Size >= OFF_BASE + sizeof(raw))
            memcpy(&raw, Data + OFF_BASE, sizeof(raw));
        switch (Data[0] % 4) {
        case 0: base = NULL; break;
        case 1: base = (PVOID)(uintptr_t)0x00007ffd10000000u; break;
        case 2: base = (PVOID)(uintptr_t)raw; break;
        default: base = (PVOID)(uintptr_t)(0 - (uintptr_t)raw); break;
        }
    }

    /* The headers live in the copy, as in a package; malloc alignment suits them. */
    if (lsa_submit_buffer_fits(length, OFF_U1 + sizeof(UNICODE_STRING))) {
        u1 = (UNICODE_STRING *)(void *)(copy + OFF_U1);
        if (lsa_relocate_unicode_string(u1, copy, base, length) == STATUS_SUCCESS) {
            check_unicode(copy, Size, u1);
            round_trip_utf16(u1);
            u1_ok = 1;
        }
    }
    if (lsa_submit_buffer_fits(length, OFF_A + sizeof(STRING))) {
        STRING *a = (STRING *)(void *)(copy + OFF_A);
        if (lsa_relocate_string(a, copy, base, length) == STATUS_SUCCESS) {
            CHECK(a->MaximumLength == a->Length);
            check_range(copy, Size, a->Buffer, a->Length);
            round_trip_utf8((const unsigned char *)a->Buffer, a->Length);
        }
    }
    if (lsa_submit_buffer_fits(length, OFF_U2 + sizeof(UNICODE_STRING))) {
        u2 = (UNICODE_STRING *)(void *)(copy + OFF_U2);
        if (lsa_relocate_unicode_string(u2, copy, base, length) == STATUS_SUCCESS) {
            check_unicode(copy, Size, u2);
            u2_ok = 1;
        }
    }
    if (lsa_submit_buffer_fits(length, OFF_PTR_LEN + sizeof(ULONG))) {
        PVOID p;
        ULONG plen;
        memcpy(&p, copy + OFF_PTR, sizeof(p));
        memcpy(&plen, copy + OFF_PTR_LEN, sizeof(plen));
        if (lsa_relocate_buffer(&p, plen, copy, base, length) == STATUS_SUCCESS)
            check_range(copy, Size, p, plen);
    }
    if (u1_ok && u2_ok) {
        BOOLEAN eq = lsa_unicode_string_equal(u1, u2, Data[1] & 1u);
        if (!(Data[1] & 1u))
            CHECK(eq == (u1->Length == u2->Length &&
                         (u1->Length == 0 || memcmp(u1->Buffer, u2->Buffer, u1->Length) == 0)));
    }

    /* The bodies as UTF-16LE (any length: odd ones must be refused) and as UTF-8. */
    if (Size > OFF_TAIL) {
        UNICODE_STRING t;
        tail = Size - OFF_TAIL;
        t.Length = (USHORT)(tail > 0xffffu ? 0xffffu : tail);
        t.MaximumLength = t.Length;
        t.Buffer = (PWSTR)(void *)(copy + OFF_TAIL);
        if (t.Length & 1u) {
            char *utf8 = (char *)copy;
            CHECK(lsa_unicode_string_to_utf8(&t, &utf8, NULL) == STATUS_INVALID_PARAMETER);
            CHECK(utf8 == NULL);
        } else {
            round_trip_utf16(&t);
        }
        round_trip_utf8(copy + OFF_TAIL, tail);
    }

    free(copy);
    return 0;
}
