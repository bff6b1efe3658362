/*
 * test_wire.c - the lsad wire protocol (lsa_core/wire.h): every message survives a round
 * trip, and every malformed-input rule refuses its input without reading past it.
 * Payloads under test live at the very end of a heap block, so ASan reports any read
 * beyond them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "wire.h"
#include "wire_io.h"

/* A copy of the writer's payload, N bytes of it, in a block of exactly N bytes. */
static void *exact_copy(const struct lsa_wire_writer *w, size_t n)
{
    void *p = malloc(n ? n : 1);
    assert_non_null(p);
    if (n > 0)
        memcpy(p, w->data, n);
    return p;
}

static void test_header_round_trip(void **state)
{
    (void)state;
    unsigned char raw[LSA_WIRE_HEADER_SIZE];
    struct lsa_wire_header in = { LSA_WIRE_CALL_PACKAGE | LSA_WIRE_REPLY, 1234,
                                  UINT64_C(0x1122334455667788) }, out;
    lsa_wire_header_encode(raw, &in);
    assert_int_equal(memcmp(raw, "LSAW", 4), 0);
    assert_int_equal(lsa_wire_header_decode(raw, &out), LSA_WIRE_OK);
    assert_int_equal(out.type, in.type);
    assert_int_equal(out.length, in.length);
    assert_true(out.request_id == in.request_id);
}

static void test_header_refusals(void **state)
{
    (void)state;
    unsigned char raw[LSA_WIRE_HEADER_SIZE], bad[LSA_WIRE_HEADER_SIZE];
    struct lsa_wire_header h = { LSA_WIRE_CONNECT, 0, 1 }, out;
    lsa_wire_header_encode(raw, &h);

    memcpy(bad, raw, sizeof(bad));
    bad[0] ^= 1;
    assert_int_equal(lsa_wire_header_decode(bad, &out), LSA_WIRE_BAD_MAGIC);
    memcpy(bad, raw, sizeof(bad));
    bad[4] = 1; /* a peer of the protocol before the buffer offer */
    assert_int_equal(lsa_wire_header_decode(bad, &out), LSA_WIRE_BAD_VERSION);
    bad[4] = LSA_WIRE_VERSION + 1;
    assert_int_equal(lsa_wire_header_decode(bad, &out), LSA_WIRE_BAD_VERSION);
    memcpy(bad, raw, sizeof(bad));
    bad[9] = 1;
    assert_int_equal(lsa_wire_header_decode(bad, &out), LSA_WIRE_BAD_FLAGS);

    h.length = LSA_WIRE_MAX_PAYLOAD + 1;
    lsa_wire_header_encode(bad, &h);
    assert_int_equal(lsa_wire_header_decode(bad, &out), LSA_WIRE_TOO_LARGE);
    h.length = LSA_WIRE_MAX_PAYLOAD;
    lsa_wire_header_encode(bad, &h);
    assert_int_equal(lsa_wire_header_decode(bad, &out), LSA_WIRE_OK);

    static const uint16_t unknown[] = { 0, 12, 31, 35, 0x7fff, LSA_WIRE_FREE | LSA_WIRE_REPLY,
                                        LSA_WIRE_WRITE | LSA_WIRE_REPLY, 0xffff };
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        h = (struct lsa_wire_header){ unknown[i], 0, 1 };
        lsa_wire_header_encode(bad, &h);
        assert_int_equal(lsa_wire_header_decode(bad, &out), LSA_WIRE_UNKNOWN_TYPE);
    }
}

static void test_connect_round_trip(void **state)
{
    (void)state;
    struct lsa_wire_writer w = { 0 };
    struct lsa_wire_connect in = { TRUE, "sshd", 4, TRUE, { 0x1234, 0x56 } }, out;
    lsa_wire_encode_connect(&w, &in);
    assert_false(w.failed);
    void *p = exact_copy(&w, w.length);
    assert_int_equal(lsa_wire_decode_connect(p, w.length, &out), LSA_WIRE_OK);
    assert_true(out.trusted && out.has_logon_id);
    assert_int_equal(out.name_length, 4);
    assert_memory_equal(out.name, "sshd", 4);
    assert_int_equal(out.logon_id.LowPart, 0x1234);
    assert_int_equal(out.logon_id.HighPart, 0x56);
    /* Every shorter prefix is truncated, one byte more is trailing. */
    for (size_t n = 0; n < w.length; n++)
        assert_int_equal(lsa_wire_decode_connect(p, n, &out), LSA_WIRE_TRUNCATED);
    free(p);
    lsa_wire_put_u8(&w, 0);
    p = exact_copy(&w, w.length);
    assert_int_equal(lsa_wire_decode_connect(p, w.length, &out), LSA_WIRE_TRAILING);
    /* A flag that is neither 0 nor 1. */
    ((unsigned char *)p)[0] = 2;
    assert_int_equal(lsa_wire_decode_connect(p, w.length - 1, &out), LSA_WIRE_BAD_VALUE);
    free(p);
    lsa_wire_writer_free(&w);
}

static void test_call_round_trip(void **state)
{
    (void)state;
    struct lsa_wire_writer w = { 0 };
    unsigned char submit[100];
    for (size_t i = 0; i < sizeof(submit); i++)
        submit[i] = (unsigned char)i;
    struct lsa_wire_call in = { 7, 1234, UINT64_C(0x7fff00001000), { 0, 0 }, submit,
                                sizeof(submit) }, out;
    lsa_wire_encode_call(&w, &in);
    void *p = exact_copy(&w, w.length);
    assert_int_equal(lsa_wire_decode_call(p, w.length, &out), LSA_WIRE_OK);
    assert_int_equal(out.package_id, 7);
    assert_true(out.client_base == in.client_base);
    assert_int_equal(out.submit_length, sizeof(submit));
    assert_memory_equal(out.submit, submit, sizeof(submit));
    for (size_t n = 0; n < w.length; n++)
        assert_int_equal(lsa_wire_decode_call(p, n, &out), LSA_WIRE_TRUNCATED);
    free(p);

    /* A length that claims more than the frame holds. */
    lsa_wire_writer_reset(&w);
    lsa_wire_put_u32(&w, 1);
    lsa_wire_put_u32(&w, 1);
    lsa_wire_put_u64(&w, 0x1000);
    lsa_wire_put_u64(&w, 0);
    lsa_wire_put_u32(&w, 0);
    lsa_wire_put_u32(&w, 0xffffffffu);
    lsa_wire_put_bytes(&w, "abc", 3);
    p = exact_copy(&w, w.length);
    assert_int_equal(lsa_wire_decode_call(p, w.length, &out), LSA_WIRE_TRUNCATED);
    free(p);

    /* A submitted range that wraps around the address space. */
    lsa_wire_writer_reset(&w);
    in.client_base = UINT64_MAX - 10;
    lsa_wire_encode_call(&w, &in);
    p = exact_copy(&w, w.length);
    assert_int_equal(lsa_wire_decode_call(p, w.length, &out), LSA_WIRE_BAD_VALUE);
    free(p);
    lsa_wire_writer_free(&w);
}

static void test_logon_round_trip(void **state)
{
    (void)state;
    struct lsa_wire_writer w = { 0 };
    struct lsa_wire_logon in = { 99, 2, 1, TRUE, "origin", 6, TRUE, 0x5000, { 0x9000, 256 },
                                 "secret", 6 }, out;
    lsa_wire_encode_logon(&w, &in);
    void *p = exact_copy(&w, w.length);
    assert_int_equal(lsa_wire_decode_logon(p, w.length, &out), LSA_WIRE_OK);
    assert_int_equal(out.logon_type, 2);
    assert_int_equal(out.package_id, 1);
    assert_true(out.has_local_groups && out.has_origin);
    assert_memory_equal(out.origin, "origin", 6);
    assert_true(out.client_base == 0x5000);
    assert_true(out.offer.address == 0x9000 && out.offer.length == 256);
    assert_memory_equal(out.authentication, "secret", 6);
    for (size_t n = 0; n < w.length; n++)
        assert_int_equal(lsa_wire_decode_logon(p, n, &out), LSA_WIRE_TRUNCATED);
    free(p);
    lsa_wire_writer_free(&w);
}

/* The buffer a CALL_PACKAGE or LOGON_USER offers: none, or an address with a length
 * that does not wrap. */
static void test_offer(void **state)
{
    (void)state;
    struct lsa_wire_writer w = { 0 };
    struct lsa_wire_call in = { 1, 2, 0x1000, { UINT64_C(0x7fff00002000), 64 }, "x", 1 }, out;
    lsa_wire_encode_call(&w, &in);
    void *p = exact_copy(&w, w.length);
    assert_int_equal(lsa_wire_decode_call(p, w.length, &out), LSA_WIRE_OK);
    assert_true(out.offer.address == in.offer.address);
    assert_int_equal(out.offer.length, 64);
    free(p);

    static const struct lsa_wire_offer bad[] = {
        { 0, 64 },                  /* a length without an address */
        { 0x7fff00002000, 0 },      /* an address without a length */
        { UINT64_MAX - 10, 64 },    /* wraps */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        in.offer = bad[i];
        lsa_wire_writer_reset(&w);
        lsa_wire_encode_call(&w, &in);
        p = exact_copy(&w, w.length);
        assert_int_equal(lsa_wire_decode_call(p, w.length, &out), LSA_WIRE_BAD_VALUE);
        free(p);
        struct lsa_wire_logon logon = { .client_base = 0x1000, .offer = bad[i] }, lout;
        lsa_wire_writer_reset(&w);
        lsa_wire_encode_logon(&w, &logon);
        p = exact_copy(&w, w.length);
        assert_int_equal(lsa_wire_decode_logon(p, w.length, &lout), LSA_WIRE_BAD_VALUE);
        free(p);
    }
    lsa_wire_writer_free(&w);
}

static void test_small_messages(void **state)
{
    (void)state;
    struct lsa_wire_writer w = { 0 };
    LUID luid = { 0xdeadbeef, -2 }, lout;
    lsa_wire_encode_luid(&w, &luid);
    assert_int_equal(lsa_wire_decode_luid(w.data, w.length, &lout), LSA_WIRE_OK);
    assert_int_equal(lout.LowPart, luid.LowPart);
    assert_int_equal(lout.HighPart, luid.HighPart);
    assert_int_equal(lsa_wire_decode_luid(w.data, 7, &lout), LSA_WIRE_TRUNCATED);

    uint64_t v;
    lsa_wire_writer_reset(&w);
    lsa_wire_encode_u64(&w, UINT64_C(0x0102030405060708));
    assert_int_equal(lsa_wire_decode_u64(w.data, w.length, &v), LSA_WIRE_OK);
    assert_true(v == UINT64_C(0x0102030405060708));
    uint32_t u;
    lsa_wire_writer_reset(&w);
    lsa_wire_encode_u32(&w, 77);
    assert_int_equal(lsa_wire_decode_u32(w.data, w.length, &u), LSA_WIRE_OK);
    assert_int_equal(u, 77);
    assert_int_equal(lsa_wire_decode_u64(w.data, w.length, &v), LSA_WIRE_TRUNCATED);
    assert_int_equal(lsa_wire_decode_empty(NULL, 0), LSA_WIRE_OK);
    assert_int_equal(lsa_wire_decode_empty(w.data, 1), LSA_WIRE_TRAILING);

    struct lsa_wire_lookup lk = { "Kerberos", 8 }, lko;
    lsa_wire_writer_reset(&w);
    lsa_wire_encode_lookup(&w, &lk);
    assert_int_equal(lsa_wire_decode_lookup(w.data, w.length, &lko), LSA_WIRE_OK);
    assert_memory_equal(lko.name, "Kerberos", 8);
    assert_int_equal(lsa_wire_decode_lookup(w.data, w.length - 1, &lko), LSA_WIRE_TRUNCATED);

    struct lsa_wire_write wr = { 0x9000, 16, "hello", 5 }, wro;
    lsa_wire_writer_reset(&w);
    lsa_wire_encode_write(&w, &wr);
    assert_int_equal(lsa_wire_decode_write(w.data, w.length, &wro), LSA_WIRE_OK);
    assert_true(wro.address == 0x9000);
    assert_int_equal(wro.offset, 16);
    assert_memory_equal(wro.bytes, "hello", 5);
    /* offset + length beyond 32 bits */
    lsa_wire_writer_reset(&w);
    wr.offset = 0xfffffffe;
    lsa_wire_encode_write(&w, &wr);
    assert_int_equal(lsa_wire_decode_write(w.data, w.length, &wro), LSA_WIRE_BAD_VALUE);
    lsa_wire_writer_free(&w);
}

static void test_replies(void **state)
{
    (void)state;
    static const uint16_t types[] = {
        LSA_WIRE_CONNECT,          LSA_WIRE_DISCONNECT,        LSA_WIRE_LOOKUP_PACKAGE,
        LSA_WIRE_CALL_PACKAGE,     LSA_WIRE_LOGON_USER,        LSA_WIRE_ENUMERATE_SESSIONS,
        LSA_WIRE_GET_SESSION_DATA, LSA_WIRE_TERMINATE_SESSION, LSA_WIRE_ENUMERATE_PACKAGES,
        LSA_WIRE_CLOSE_TOKEN,      LSA_WIRE_TOKEN_IDENTITY,    LSA_WIRE_ALLOCATE,
    };
    unsigned char luids[16] = { 1, 2, 3 };
    struct lsa_wire_reply in = {
        .status = (NTSTATUS)0xC0000044, .value = 2, .protocol_status = 5, .buffer = 0xabc000,
        .buffer_length = 64, .offer_used = 48, .logon_id = { 9, 1 }, .token = 42,
        .has_unix_identity = TRUE,
        .uid = 1000, .gid = 100, .data = luids, .data_length = sizeof(luids),
    }, out;
    struct lsa_wire_writer w = { 0 };
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        uint16_t t = types[i] | LSA_WIRE_REPLY;
        lsa_wire_writer_reset(&w);
        lsa_wire_encode_reply(&w, t, &in);
        void *p = exact_copy(&w, w.length);
        assert_int_equal(lsa_wire_decode_reply(t, p, w.length, &out), LSA_WIRE_OK);
        assert_int_equal(out.status, in.status);
        if (types[i] == LSA_WIRE_CALL_PACKAGE || types[i] == LSA_WIRE_LOGON_USER)
            assert_int_equal(out.offer_used, 48);
        else
            assert_int_equal(out.offer_used, 0);
        if (types[i] == LSA_WIRE_LOGON_USER) {
            assert_true(out.token == 42 && out.buffer == 0xabc000 && out.uid == 1000);
            assert_int_equal(out.logon_id.LowPart, 9);
        }
        if (types[i] == LSA_WIRE_ENUMERATE_SESSIONS) {
            assert_int_equal(out.value, 2);
            assert_memory_equal(out.data, luids, sizeof(luids));
        }
        for (size_t n = 0; n < w.length; n++)
            assert_int_equal(lsa_wire_decode_reply(t, p, n, &out), LSA_WIRE_TRUNCATED);
        free(p);
    }
    /* A session list whose length does not match its count. */
    in.value = 3;
    lsa_wire_writer_reset(&w);
    lsa_wire_encode_reply(&w, LSA_WIRE_ENUMERATE_SESSIONS | LSA_WIRE_REPLY, &in);
    assert_int_equal(lsa_wire_decode_reply(LSA_WIRE_ENUMERATE_SESSIONS | LSA_WIRE_REPLY, w.data,
                                           w.length, &out),
                     LSA_WIRE_BAD_VALUE);
    lsa_wire_writer_free(&w);
}

static void test_packages(void **state)
{
    (void)state;
    struct lsa_wire_writer w = { 0 };
    struct lsa_wire_package a = { .id = 0, .name = "echo_ap", .name_length = 7, .model = "AP",
                                 .model_length = 2, .file = "/x/echo_ap.so", .file_length = 13 };
    struct lsa_wire_package b = { .id = 1, .name = "Kerberos", .name_length = 8, .model = "SSP/AP",
                                 .model_length = 6, .file = "/y", .file_length = 2 };
    lsa_wire_put_package(&w, &a);
    lsa_wire_put_package(&w, &b);
    void *p = exact_copy(&w, w.length);
    struct lsa_wire_reader r;
    struct lsa_wire_package m;
    lsa_wire_reader_init(&r, p, w.length);
    assert_true(lsa_wire_next_package(&r, &m));
    assert_memory_equal(m.name, "echo_ap", 7);
    assert_true(lsa_wire_next_package(&r, &m));
    assert_int_equal(m.id, 1);
    assert_memory_equal(m.model, "SSP/AP", 6);
    assert_false(lsa_wire_next_package(&r, &m));
    assert_int_equal(lsa_wire_reader_end(&r), LSA_WIRE_OK);
    lsa_wire_reader_init(&r, p, w.length - 1);
    assert_true(lsa_wire_next_package(&r, &m));
    assert_false(lsa_wire_next_package(&r, &m));
    assert_int_equal(r.error, LSA_WIRE_TRUNCATED);
    free(p);
    lsa_wire_writer_free(&w);
}

static void test_writer_bounded_by_frame(void **state)
{
    (void)state;
    struct lsa_wire_writer w = { 0 };
    void *big = calloc(1, LSA_WIRE_MAX_PAYLOAD);
    assert_non_null(big);
    lsa_wire_put_bytes(&w, big, LSA_WIRE_MAX_PAYLOAD);
    assert_false(w.failed);
    lsa_wire_put_u8(&w, 0);
    assert_true(w.failed);
    free(big);
    lsa_wire_writer_free(&w);
}

/* Over a socketpair: a frame arrives whole; half a frame then silence is a timeout; a
 * bad header is MALFORMED; the end between frames is EOF and inside one BROKEN. */
static void test_io(void **state)
{
    (void)state;
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    struct lsa_wire_frame f = { 0 };
    assert_int_equal(lsa_wire_send(sv[0], LSA_WIRE_LOOKUP_PACKAGE, 99, "\x02\0ab", 4, -1),
                     LSA_WIRE_IO_OK);
    assert_int_equal(lsa_wire_recv(sv[1], &f, -1, 1000, -1, NULL), LSA_WIRE_IO_OK);
    assert_int_equal(f.header.type, LSA_WIRE_LOOKUP_PACKAGE);
    assert_true(f.header.request_id == 99);
    assert_int_equal(f.header.length, 4);

    unsigned char raw[LSA_WIRE_HEADER_SIZE];
    struct lsa_wire_header h = { LSA_WIRE_CONNECT, 10, 1 };
    lsa_wire_header_encode(raw, &h);
    assert_int_equal(write(sv[0], raw, 12), 12);
    assert_int_equal(lsa_wire_recv(sv[1], &f, -1, 100, -1, NULL), LSA_WIRE_IO_TIMEOUT);
    assert_int_equal(write(sv[0], raw + 12, 12), 12); /* the header, and no payload */
    assert_int_equal(lsa_wire_recv(sv[1], &f, -1, 100, -1, NULL), LSA_WIRE_IO_TIMEOUT);
    assert_int_equal(write(sv[0], "0123456789", 10), 10);

    raw[0] = 'X';
    assert_int_equal(write(sv[0], raw, sizeof(raw)), (ssize_t)sizeof(raw));
    assert_int_equal(lsa_wire_recv(sv[1], &f, -1, 100, -1, NULL), LSA_WIRE_IO_MALFORMED);
    assert_int_equal(f.error, LSA_WIRE_BAD_MAGIC);

    /* No frame at all before the first deadline. */
    assert_int_equal(lsa_wire_recv(sv[1], &f, lsa_wire_now_ms() + 20, 100, -1, NULL),
                     LSA_WIRE_IO_TIMEOUT);
    close(sv[0]);
    assert_int_equal(lsa_wire_recv(sv[1], &f, -1, 100, -1, NULL), LSA_WIRE_IO_EOF);
    close(sv[1]);

    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    h.type = LSA_WIRE_CONNECT;
    lsa_wire_header_encode(raw, &h);
    assert_int_equal(write(sv[0], raw, sizeof(raw)), (ssize_t)sizeof(raw));
    close(sv[0]);
    assert_int_equal(lsa_wire_recv(sv[1], &f, -1, 100, -1, NULL), LSA_WIRE_IO_BROKEN);
    close(sv[1]);
    lsa_wire_frame_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_round_trip),  cmocka_unit_test(test_header_refusals),
        cmocka_unit_test(test_connect_round_trip), cmocka_unit_test(test_call_round_trip),
        cmocka_unit_test(test_logon_round_trip),   cmocka_unit_test(test_offer),
        cmocka_unit_test(test_small_messages),
        cmocka_unit_test(test_replies),            cmocka_unit_test(test_packages),
        cmocka_unit_test(test_writer_bounded_by_frame), cmocka_unit_test(test_io),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
