/*
 * Client-buffer relocation (<lsa/lsa_util.h>, spec/lsa-api.md §2.7).
 *
 * Each submit buffer is built the way a client builds one: a request structure
 * followed by the string bodies in one block, the embedded Buffers holding client
 * addresses inside that block.  The LSA's local copy is a separate malloc of exactly
 * SubmitBufferLength bytes, so AddressSanitizer reports any read past it.  Every
 * rejection asserts the exact status and that the string is left as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <lsa/lsa_util.h>
#include <lsa/ntstatus.h>

/* A request shaped like MSV1_0_INTERACTIVE_LOGON: fixed part, then the bodies. */
typedef struct {
    ULONG MessageType;
    UNICODE_STRING Name; /* UTF-16 "alice" */
    STRING Ansi;         /* "odd": odd length */
    PUCHAR Data;         /* 5 bytes at an odd offset, like CspData */
    ULONG DataLength;
} TEST_REQUEST;

_Static_assert(sizeof(TEST_REQUEST) == 56, "TEST_REQUEST layout");

#define NAME_OFFSET 56u /* 10 bytes: u"alice" */
#define ANSI_OFFSET 66u /* 3 bytes: "odd" */
#define DATA_OFFSET 69u /* 5 bytes, odd offset */
#define TOTAL_LENGTH 74u

static const WCHAR name_body[] = u"alice";
static const char ansi_body[] = "odd";
static const unsigned char data_body[5] = {0xde, 0xad, 0xbe, 0xef, 0x01};

/* A client address that is not mapped here: relocation must never dereference it. */
#define FAKE_CLIENT_BASE ((uintptr_t)0x00007ffd10000000u)

enum base_mode { BASE_REAL, BASE_FAKE, BASE_NULL };

struct submit {
    unsigned char *client; /* the client's block (TOTAL_LENGTH bytes) */
    unsigned char *local;  /* the LSA's copy, exactly length bytes */
    ULONG length;          /* SubmitBufferLength */
    PVOID base;            /* ClientBufferBase */
    uintptr_t base_addr;   /* the same, as an integer */
    TEST_REQUEST header;   /* used when the copy is too short to hold the header */
    TEST_REQUEST *req;     /* the header the package relocates */
};

static void make_submit(struct submit *s, enum base_mode mode, ULONG length)
{
    TEST_REQUEST req;

    memset(s, 0, sizeof(*s));
    s->client = malloc(TOTAL_LENGTH);
    assert_non_null(s->client);
    s->base_addr = mode == BASE_REAL ? (uintptr_t)s->client
                   : mode == BASE_FAKE ? FAKE_CLIENT_BASE
                                       : 0;
    s->base = (PVOID)s->base_addr;

    memset(&req, 0, sizeof(req));
    req.MessageType = 2;
    req.Name.Length = 10;
    req.Name.MaximumLength = 12;
    req.Name.Buffer = (PWSTR)(s->base_addr + NAME_OFFSET);
    req.Ansi.Length = 3;
    req.Ansi.MaximumLength = 3;
    req.Ansi.Buffer = (PCHAR)(s->base_addr + ANSI_OFFSET);
    req.Data = (PUCHAR)(s->base_addr + DATA_OFFSET);
    req.DataLength = sizeof(data_body);
    memcpy(s->client, &req, sizeof(req));
    memcpy(s->client + NAME_OFFSET, name_body, 10);
    memcpy(s->client + ANSI_OFFSET, ansi_body, 3);
    memcpy(s->client + DATA_OFFSET, data_body, sizeof(data_body));

    /* The LSA copies exactly SubmitBufferLength bytes (malloc(0) is a valid block). */
    s->length = length;
    s->local = malloc(length);
    assert_true(length == 0 || s->local != NULL);
    memcpy(s->local, s->client, length < TOTAL_LENGTH ? length : TOTAL_LENGTH);
    if (length >= sizeof(TEST_REQUEST)) {
        s->req = (TEST_REQUEST *)(void *)s->local;
    } else {
        s->header = req;
        s->req = &s->header;
    }
}

static void free_submit(struct submit *s)
{
    free(s->local);
    free(s->client);
}

static NTSTATUS reloc_u(struct submit *s, PUNICODE_STRING u)
{
    return lsa_relocate_unicode_string(u, s->local, s->base, s->length);
}

static NTSTATUS reloc_a(struct submit *s, PSTRING a)
{
    return lsa_relocate_string(a, s->local, s->base, s->length);
}

/* Rejected with STATUS_INVALID_PARAMETER, and not one byte of the string changed. */
#define ASSERT_REJECTED_U(s_, u_)                                                        \
    do {                                                                                 \
        UNICODE_STRING saved_;                                                           \
        memcpy(&saved_, (u_), sizeof(saved_));                                           \
        assert_int_equal(reloc_u((s_), (u_)), STATUS_INVALID_PARAMETER);                 \
        assert_memory_equal((u_), &saved_, sizeof(saved_));                              \
    } while (0)

#define ASSERT_REJECTED_A(s_, a_)                                                        \
    do {                                                                                 \
        STRING saved_;                                                                   \
        memcpy(&saved_, (a_), sizeof(saved_));                                           \
        assert_int_equal(reloc_a((s_), (a_)), STATUS_INVALID_PARAMETER);                 \
        assert_memory_equal((a_), &saved_, sizeof(saved_));                              \
    } while (0)

#define ASSERT_REJECTED_BUF(s_, ptr_, len_)                                              \
    do {                                                                                 \
        PVOID p_ = (ptr_);                                                               \
        assert_int_equal(lsa_relocate_buffer(&p_, (len_), (s_)->local, (s_)->base,       \
                                             (s_)->length),                              \
                         STATUS_INVALID_PARAMETER);                                      \
        assert_ptr_equal(p_, (ptr_));                                                    \
    } while (0)

static void assert_all_relocated(struct submit *s)
{
    TEST_REQUEST *r = s->req;
    PVOID data = r->Data;

    assert_int_equal(reloc_u(s, &r->Name), STATUS_SUCCESS);
    assert_ptr_equal(r->Name.Buffer, s->local + NAME_OFFSET);
    assert_int_equal(r->Name.Length, 10);
    assert_int_equal(r->Name.MaximumLength, 10);
    assert_memory_equal(r->Name.Buffer, name_body, 10);

    assert_int_equal(reloc_a(s, &r->Ansi), STATUS_SUCCESS);
    assert_ptr_equal(r->Ansi.Buffer, s->local + ANSI_OFFSET);
    assert_int_equal(r->Ansi.Length, 3);
    assert_int_equal(r->Ansi.MaximumLength, 3);
    assert_memory_equal(r->Ansi.Buffer, ansi_body, 3);

    assert_int_equal(lsa_relocate_buffer(&data, r->DataLength, s->local, s->base, s->length),
                     STATUS_SUCCESS);
    assert_ptr_equal(data, s->local + DATA_OFFSET);
    assert_memory_equal(data, data_body, sizeof(data_body));
}

static void test_valid_real_client_address(void **state)
{
    struct submit s;
    (void)state;
    make_submit(&s, BASE_REAL, TOTAL_LENGTH);
    assert_all_relocated(&s);
    free_submit(&s);
}

static void test_valid_unmapped_client_address(void **state)
{
    struct submit s;
    (void)state;
    make_submit(&s, BASE_FAKE, TOTAL_LENGTH);
    assert_all_relocated(&s);
    free_submit(&s);
}

/* ClientBufferBase NULL: Buffers are offsets from the start (KERB_CERTIFICATE_LOGON). */
static void test_null_base_offset_mode(void **state)
{
    struct submit s;
    (void)state;
    make_submit(&s, BASE_NULL, TOTAL_LENGTH);
    assert_ptr_equal(s.req->Name.Buffer, (PWSTR)(uintptr_t)NAME_OFFSET);
    assert_all_relocated(&s);
    free_submit(&s);
}

/* MaximumLength larger than the buffer left is clamped to Length: nobody may later
 * write up to a MaximumLength that reaches past the copy. */
static void test_maximum_length_clamped(void **state)
{
    struct submit s;
    (void)state;
    make_submit(&s, BASE_REAL, NAME_OFFSET + 10);
    s.req->Name.MaximumLength = 0xfffe;
    assert_int_equal(reloc_u(&s, &s.req->Name), STATUS_SUCCESS);
    assert_int_equal(s.req->Name.MaximumLength, 10);
    assert_ptr_equal(s.req->Name.Buffer, s.local + NAME_OFFSET);
    free_submit(&s);
}

static void test_pointer_before_buffer(void **state)
{
    struct submit s;
    (void)state;
    make_submit(&s, BASE_REAL, TOTAL_LENGTH);
    s.req->Name.Buffer = (PWSTR)(s.base_addr - 2);
    s.req->Name.Length = 4;
    ASSERT_REJECTED_U(&s, &s.req->Name);
    s.req->Ansi.Buffer = (PCHAR)(s.base_addr - 1);
    ASSERT_REJECTED_A(&s, &s.req->Ansi);
    /* Far below: a wrapped offset must not come out small. */
    s.req->Name.Buffer = (PWSTR)(s.base_addr - 0x100000000u + NAME_OFFSET);
    ASSERT_REJECTED_U(&s, &s.req->Name);
    free_submit(&s);
}

static void test_pointer_past_end(void **state)
{
    struct submit s;
    (void)state;
    make_submit(&s, BASE_FAKE, TOTAL_LENGTH);
    s.req->Name.Length = 2;
    s.req->Name.Buffer = (PWSTR)(s.base_addr + TOTAL_LENGTH); /* one past the end */
    ASSERT_REJECTED_U(&s, &s.req->Name);
    s.req->Name.Buffer = (PWSTR)(s.base_addr + TOTAL_LENGTH + 0x1000);
    ASSERT_REJECTED_U(&s, &s.req->Name);
    s.req->Ansi.Length = 1;
    s.req->Ansi.Buffer = (PCHAR)(s.base_addr + TOTAL_LENGTH);
    ASSERT_REJECTED_A(&s, &s.req->Ansi);
    /* The last byte itself is fine. */
    s.req->Ansi.Buffer = (PCHAR)(s.base_addr + TOTAL_LENGTH - 1);
    assert_int_equal(reloc_a(&s, &s.req->Ansi), STATUS_SUCCESS);
    assert_ptr_equal(s.req->Ansi.Buffer, s.local + TOTAL_LENGTH - 1);
    free_submit(&s);
}

/* The copy ends one byte before the string does. */
static void test_length_crosses_end_by_one(void **state)
{
    struct submit s;
    (void)state;

    make_submit(&s, BASE_REAL, NAME_OFFSET + 10 - 1);
    ASSERT_REJECTED_U(&s, &s.req->Name);
    free_submit(&s);
    make_submit(&s, BASE_REAL, NAME_OFFSET + 10); /* exactly at the end: fine */
    assert_int_equal(reloc_u(&s, &s.req->Name), STATUS_SUCCESS);
    assert_memory_equal(s.req->Name.Buffer, name_body, 10);
    free_submit(&s);

    make_submit(&s, BASE_NULL, ANSI_OFFSET + 3 - 1);
    ASSERT_REJECTED_A(&s, &s.req->Ansi);
    free_submit(&s);
    make_submit(&s, BASE_NULL, ANSI_OFFSET + 3);
    assert_int_equal(reloc_a(&s, &s.req->Ansi), STATUS_SUCCESS);
    assert_memory_equal(s.req->Ansi.Buffer, ansi_body, 3);
    free_submit(&s);
}

static void test_length_above_maximum(void **state)
{
    struct submit s;
    (void)state;
    make_submit(&s, BASE_REAL, TOTAL_LENGTH);
    s.req->Name.MaximumLength = 8; /* Length 10 */
    ASSERT_REJECTED_U(&s, &s.req->Name);
    s.req->Ansi.MaximumLength = 2; /* Length 3 */
    ASSERT_REJECTED_A(&s, &s.req->Ansi);
    free_submit(&s);
}

static void test_odd_length(void **state)
{
    struct submit s;
    (void)state;
    make_submit(&s, BASE_REAL, TOTAL_LENGTH);
    s.req->Name.Length = 9;
    ASSERT_REJECTED_U(&s, &s.req->Name);
    free_submit(&s);
}

static void test_odd_offset(void **state)
{
    struct submit s;
    (void)state;
    make_submit(&s, BASE_REAL, TOTAL_LENGTH);
    s.req->Name.Buffer = (PWSTR)(s.base_addr + NAME_OFFSET + 1);
    s.req->Name.Length = 8;
    ASSERT_REJECTED_U(&s, &s.req->Name);
    free_submit(&s);
    make_submit(&s, BASE_NULL, TOTAL_LENGTH);
    s.req->Name.Buffer = (PWSTR)(uintptr_t)(NAME_OFFSET + 1);
    s.req->Name.Length = 8;
    ASSERT_REJECTED_U(&s, &s.req->Name);
    free_submit(&s);
}

/* An odd SubmitBuffer with an even offset would still give a misaligned WCHAR *. */
static void test_misaligned_local_copy(void **state)
{
    struct submit s;
    UNICODE_STRING u, saved;
    (void)state;
    make_submit(&s, BASE_FAKE, TOTAL_LENGTH);
    u.Length = 4;
    u.MaximumLength = 4;
    u.Buffer = (PWSTR)(FAKE_CLIENT_BASE + 8);
    memcpy(&saved, &u, sizeof(u));
    assert_int_equal(lsa_relocate_unicode_string(&u, s.local + 1, s.base, TOTAL_LENGTH - 1),
                     STATUS_INVALID_PARAMETER);
    assert_memory_equal(&u, &saved, sizeof(u));
    /* ...and an odd offset stays wrong even where it would land on an even address. */
    u.Buffer = (PWSTR)(FAKE_CLIENT_BASE + 9);
    memcpy(&saved, &u, sizeof(u));
    assert_int_equal(lsa_relocate_unicode_string(&u, s.local + 1, s.base, TOTAL_LENGTH - 1),
                     STATUS_INVALID_PARAMETER);
    assert_memory_equal(&u, &saved, sizeof(u));
    free_submit(&s);
}

static void test_null_buffer_with_length(void **state)
{
    struct submit s;
    (void)state;
    make_submit(&s, BASE_REAL, TOTAL_LENGTH);
    s.req->Name.Buffer = NULL;
    ASSERT_REJECTED_U(&s, &s.req->Name);
    s.req->Ansi.Buffer = NULL;
    ASSERT_REJECTED_A(&s, &s.req->Ansi);
    free_submit(&s);
    /* In offset mode NULL would be offset 0, inside the buffer: still rejected. */
    make_submit(&s, BASE_NULL, TOTAL_LENGTH);
    s.req->Name.Buffer = NULL;
    ASSERT_REJECTED_U(&s, &s.req->Name);
    s.req->Ansi.Buffer = NULL;
    ASSERT_REJECTED_A(&s, &s.req->Ansi);
    free_submit(&s);
}

static void test_zero_length_garbage_pointer(void **state)
{
    struct submit s;
    (void)state;
    make_submit(&s, BASE_REAL, TOTAL_LENGTH);
    s.req->Name.Length = 0;
    s.req->Name.MaximumLength = 40;
    s.req->Name.Buffer = (PWSTR)(uintptr_t)0xdeadbeefdeadbeefu;
    assert_int_equal(reloc_u(&s, &s.req->Name), STATUS_SUCCESS);
    assert_null(s.req->Name.Buffer);
    assert_int_equal(s.req->Name.MaximumLength, 0);
    assert_int_equal(s.req->Name.Length, 0);

    s.req->Ansi.Length = 0;
    s.req->Ansi.MaximumLength = 7;
    s.req->Ansi.Buffer = (PCHAR)(uintptr_t)1;
    assert_int_equal(reloc_a(&s, &s.req->Ansi), STATUS_SUCCESS);
    assert_null(s.req->Ansi.Buffer);
    assert_int_equal(s.req->Ansi.MaximumLength, 0);
    free_submit(&s);
}

static void test_huge_pointers(void **state)
{
    struct submit s;
    UNICODE_STRING u, saved;
    (void)state;

    make_submit(&s, BASE_REAL, TOTAL_LENGTH);
    s.req->Name.Buffer = (PWSTR)(UINTPTR_MAX - 1);
    ASSERT_REJECTED_U(&s, &s.req->Name);
    /* 4 GiB above the base: a ULONG truncation of the offset would land in range. */
    s.req->Name.Buffer = (PWSTR)(s.base_addr + 0x100000000u + NAME_OFFSET);
    ASSERT_REJECTED_U(&s, &s.req->Name);
    free_submit(&s);

    make_submit(&s, BASE_NULL, TOTAL_LENGTH);
    s.req->Name.Buffer = (PWSTR)(UINTPTR_MAX - 1);
    ASSERT_REJECTED_U(&s, &s.req->Name);
    /* offset + Length would wrap a 16- or 32-bit sum. */
    s.req->Name.Buffer = (PWSTR)(uintptr_t)(TOTAL_LENGTH - 2);
    s.req->Name.Length = 0xfffe;
    s.req->Name.MaximumLength = 0xfffe;
    ASSERT_REJECTED_U(&s, &s.req->Name);
    free_submit(&s);

    /* A client block at the very top of the address space: base + 20 wraps to 9. */
    make_submit(&s, BASE_FAKE, TOTAL_LENGTH);
    u.Length = 4;
    u.MaximumLength = 4;
    u.Buffer = (PWSTR)(uintptr_t)10; /* (UINTPTR_MAX - 9) + 20, wrapped */
    memcpy(&saved, &u, sizeof(u));
    assert_int_equal(lsa_relocate_unicode_string(&u, s.local, (PVOID)(UINTPTR_MAX - 9),
                                                 TOTAL_LENGTH),
                     STATUS_INVALID_PARAMETER);
    assert_memory_equal(&u, &saved, sizeof(u));
    free_submit(&s);
}

static void test_submit_length_zero(void **state)
{
    struct submit s;
    UNICODE_STRING u, saved;
    (void)state;

    make_submit(&s, BASE_REAL, 0);
    s.req->Name.Buffer = (PWSTR)s.base_addr;
    s.req->Name.Length = 2;
    ASSERT_REJECTED_U(&s, &s.req->Name);
    s.req->Ansi.Buffer = (PCHAR)s.base_addr;
    s.req->Ansi.Length = 1;
    ASSERT_REJECTED_A(&s, &s.req->Ansi);
    ASSERT_REJECTED_BUF(&s, s.base, 1);
    /* An empty string needs no buffer at all. */
    s.req->Name.Length = 0;
    assert_int_equal(reloc_u(&s, &s.req->Name), STATUS_SUCCESS);
    assert_null(s.req->Name.Buffer);
    free_submit(&s);

    make_submit(&s, BASE_NULL, 0);
    s.req->Name.Buffer = (PWSTR)(uintptr_t)2;
    s.req->Name.Length = 2;
    ASSERT_REJECTED_U(&s, &s.req->Name);
    free_submit(&s);

    /* No copy at all. */
    u.Length = 2;
    u.MaximumLength = 2;
    u.Buffer = (PWSTR)(FAKE_CLIENT_BASE + 2);
    memcpy(&saved, &u, sizeof(u));
    assert_int_equal(lsa_relocate_unicode_string(&u, NULL, (PVOID)FAKE_CLIENT_BASE, 16),
                     STATUS_INVALID_PARAMETER);
    assert_memory_equal(&u, &saved, sizeof(u));
}

static void test_null_string_argument(void **state)
{
    struct submit s;
    (void)state;
    make_submit(&s, BASE_REAL, TOTAL_LENGTH);
    assert_int_equal(lsa_relocate_unicode_string(NULL, s.local, s.base, s.length),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(lsa_relocate_string(NULL, s.local, s.base, s.length),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(lsa_relocate_buffer(NULL, 4, s.local, s.base, s.length),
                     STATUS_INVALID_PARAMETER);
    free_submit(&s);
}

/* STRING has no alignment or evenness rule. */
static void test_string_odd_length_and_offset(void **state)
{
    struct submit s;
    (void)state;
    make_submit(&s, BASE_REAL, TOTAL_LENGTH);
    s.req->Ansi.Buffer = (PCHAR)(s.base_addr + DATA_OFFSET); /* odd offset */
    s.req->Ansi.Length = 5;
    s.req->Ansi.MaximumLength = 5;
    assert_int_equal(reloc_a(&s, &s.req->Ansi), STATUS_SUCCESS);
    assert_ptr_equal(s.req->Ansi.Buffer, s.local + DATA_OFFSET);
    assert_int_equal(s.req->Ansi.MaximumLength, 5);
    assert_memory_equal(s.req->Ansi.Buffer, data_body, 5);
    free_submit(&s);
}

static void test_relocate_buffer(void **state)
{
    struct submit s;
    PVOID p;
    (void)state;

    make_submit(&s, BASE_FAKE, TOTAL_LENGTH);
    /* Length 0: NULL whatever it held. */
    p = (PVOID)(uintptr_t)0x1234;
    assert_int_equal(lsa_relocate_buffer(&p, 0, s.local, s.base, s.length), STATUS_SUCCESS);
    assert_null(p);
    /* Whole buffer. */
    p = s.base;
    assert_int_equal(lsa_relocate_buffer(&p, TOTAL_LENGTH, s.local, s.base, s.length),
                     STATUS_SUCCESS);
    assert_ptr_equal(p, s.local);
    /* The rejections. */
    ASSERT_REJECTED_BUF(&s, NULL, 1);
    ASSERT_REJECTED_BUF(&s, s.base, TOTAL_LENGTH + 1);
    ASSERT_REJECTED_BUF(&s, (PVOID)(s.base_addr + DATA_OFFSET), sizeof(data_body) + 1);
    ASSERT_REJECTED_BUF(&s, (PVOID)(s.base_addr + TOTAL_LENGTH), 1);
    ASSERT_REJECTED_BUF(&s, (PVOID)(s.base_addr - 1), 2);
    ASSERT_REJECTED_BUF(&s, (PVOID)(UINTPTR_MAX - 1), 1);
    ASSERT_REJECTED_BUF(&s, (PVOID)(s.base_addr + 1), 0xffffffffu);
    free_submit(&s);

    /* Offset mode: CspData is an offset from the structure. */
    make_submit(&s, BASE_NULL, TOTAL_LENGTH);
    p = (PVOID)(uintptr_t)DATA_OFFSET;
    assert_int_equal(lsa_relocate_buffer(&p, sizeof(data_body), s.local, NULL, s.length),
                     STATUS_SUCCESS);
    assert_ptr_equal(p, s.local + DATA_OFFSET);
    assert_memory_equal(p, data_body, sizeof(data_body));
    ASSERT_REJECTED_BUF(&s, (PVOID)(uintptr_t)TOTAL_LENGTH, 1);
    ASSERT_REJECTED_BUF(&s, NULL, 1); /* offset 0 would be in range: still NULL */
    free_submit(&s);
}

static void test_submit_buffer_fits(void **state)
{
    (void)state;
    assert_true(lsa_submit_buffer_fits(56, sizeof(TEST_REQUEST)));
    assert_true(lsa_submit_buffer_fits(TOTAL_LENGTH, sizeof(TEST_REQUEST)));
    assert_false(lsa_submit_buffer_fits(55, sizeof(TEST_REQUEST)));
    assert_false(lsa_submit_buffer_fits(0, 1));
    assert_true(lsa_submit_buffer_fits(0, 0));
    assert_true(lsa_submit_buffer_fits(0xffffffffu, 0xffffffffu));
    assert_false(lsa_submit_buffer_fits(0xffffffffu, (size_t)0x100000000u));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_real_client_address),
        cmocka_unit_test(test_valid_unmapped_client_address),
        cmocka_unit_test(test_null_base_offset_mode),
        cmocka_unit_test(test_maximum_length_clamped),
        cmocka_unit_test(test_pointer_before_buffer),
        cmocka_unit_test(test_pointer_past_end),
        cmocka_unit_test(test_length_crosses_end_by_one),
        cmocka_unit_test(test_length_above_maximum),
        cmocka_unit_test(test_odd_length),
        cmocka_unit_test(test_odd_offset),
        cmocka_unit_test(test_misaligned_local_copy),
        cmocka_unit_test(test_null_buffer_with_length),
        cmocka_unit_test(test_zero_length_garbage_pointer),
        cmocka_unit_test(test_huge_pointers),
        cmocka_unit_test(test_submit_length_zero),
        cmocka_unit_test(test_null_string_argument),
        cmocka_unit_test(test_string_odd_length_and_offset),
        cmocka_unit_test(test_relocate_buffer),
        cmocka_unit_test(test_submit_buffer_fits),
    };
    return cmocka_run_group_tests_name("relocate", tests, NULL, NULL);
}
