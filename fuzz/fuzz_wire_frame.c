/*
 * libFuzzer harness for the lsad wire protocol (lsa_core/wire.h): what lsad reads from
 * any local user.  The input is a frame as it arrives on the socket, copied into a block
 * of exactly its size so AddressSanitizer flags any read past it.  Its header is decoded;
 * its payload goes through every decoder (the one its type names and all the others, as
 * a hostile peer may label a frame with any type); whatever decodes is encoded again and
 * must decode to the same message.
 *
 *   clang -g -fsanitize=fuzzer,address,undefined -Iinclude -Ilsa_core \
 *       fuzz/fuzz_wire_frame.c lsa_core/wire_frame.c lsa_core/wire_messages.c -o fuzz_wire_frame
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

static void check(int ok)
{
    if (!ok)
        abort();
}

static void connect_again(const struct lsa_wire_connect *m)
{
    struct lsa_wire_writer w = { 0 };
    struct lsa_wire_connect again;
    lsa_wire_encode_connect(&w, m);
    check(!w.failed && lsa_wire_decode_connect(w.data, w.length, &again) == LSA_WIRE_OK);
    check(again.trusted == m->trusted && again.name_length == m->name_length &&
          memcmp(again.name, m->name, m->name_length) == 0 &&
          again.logon_id.LowPart == m->logon_id.LowPart);
    lsa_wire_writer_free(&w);
}

static void call_again(const struct lsa_wire_call *m)
{
    struct lsa_wire_writer w = { 0 };
    struct lsa_wire_call again;
    lsa_wire_encode_call(&w, m);
    check(!w.failed && lsa_wire_decode_call(w.data, w.length, &again) == LSA_WIRE_OK);
    check(again.submit_length == m->submit_length && again.client_base == m->client_base &&
          memcmp(again.submit, m->submit, m->submit_length) == 0);
    check(again.offer.address == m->offer.address && again.offer.length == m->offer.length);
    /* An offer has a length, no offer none; neither wraps. */
    check((m->offer.address == 0) == (m->offer.length == 0) &&
          m->offer.address <= UINT64_MAX - m->offer.length);
    lsa_wire_writer_free(&w);
}

static void logon_again(const struct lsa_wire_logon *m)
{
    struct lsa_wire_writer w = { 0 };
    struct lsa_wire_logon again;
    lsa_wire_encode_logon(&w, m);
    check(!w.failed && lsa_wire_decode_logon(w.data, w.length, &again) == LSA_WIRE_OK);
    check(again.authentication_length == m->authentication_length &&
          memcmp(again.authentication, m->authentication, m->authentication_length) == 0 &&
          again.origin_length == m->origin_length);
    check(again.offer.address == m->offer.address && again.offer.length == m->offer.length);
    lsa_wire_writer_free(&w);
}

static void reply_again(uint16_t type, const struct lsa_wire_reply *m)
{
    struct lsa_wire_writer w = { 0 };
    struct lsa_wire_reply again;
    lsa_wire_encode_reply(&w, type, m);
    check(!w.failed && lsa_wire_decode_reply(type, w.data, w.length, &again) == LSA_WIRE_OK);
    check(again.status == m->status && again.offer_used == m->offer_used &&
          again.data_length == m->data_length &&
          (m->data_length == 0 || memcmp(again.data, m->data, m->data_length) == 0));
    lsa_wire_writer_free(&w);
}

static void every_decoder(const unsigned char *p, size_t n)
{
    struct lsa_wire_connect c;
    if (lsa_wire_decode_connect(p, n, &c) == LSA_WIRE_OK)
        connect_again(&c);
    struct lsa_wire_lookup l;
    (void)lsa_wire_decode_lookup(p, n, &l);
    struct lsa_wire_call call;
    if (lsa_wire_decode_call(p, n, &call) == LSA_WIRE_OK)
        call_again(&call);
    struct lsa_wire_logon logon;
    if (lsa_wire_decode_logon(p, n, &logon) == LSA_WIRE_OK)
        logon_again(&logon);
    LUID luid;
    (void)lsa_wire_decode_luid(p, n, &luid);
    uint64_t v64;
    (void)lsa_wire_decode_u64(p, n, &v64);
    uint32_t v32;
    (void)lsa_wire_decode_u32(p, n, &v32);
    (void)lsa_wire_decode_empty(p, n);
    struct lsa_wire_write wr;
    if (lsa_wire_decode_write(p, n, &wr) == LSA_WIRE_OK)
        check((uint64_t)wr.offset + wr.length <= UINT32_MAX);
    for (uint16_t t = LSA_WIRE_CONNECT; t <= LSA_WIRE_TOKEN_IDENTITY; t++) {
        struct lsa_wire_reply r;
        if (lsa_wire_decode_reply(t | LSA_WIRE_REPLY, p, n, &r) == LSA_WIRE_OK) {
            reply_again(t | LSA_WIRE_REPLY, &r);
            if (t == LSA_WIRE_ENUMERATE_PACKAGES) {
                struct lsa_wire_reader rd;
                struct lsa_wire_package pkg;
                lsa_wire_reader_init(&rd, r.data, r.data_length);
                while (lsa_wire_next_package(&rd, &pkg))
                    check(pkg.name_length == 0 || pkg.name != NULL);
            }
        }
    }
    struct lsa_wire_reply a;
    (void)lsa_wire_decode_reply(LSA_WIRE_ALLOCATE | LSA_WIRE_REPLY, p, n, &a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *copy = malloc(size ? size : 1);
    if (copy == NULL)
        return 0;
    memcpy(copy, data, size);
    if (size >= LSA_WIRE_HEADER_SIZE) {
        struct lsa_wire_header h;
        if (lsa_wire_header_decode(copy, &h) == LSA_WIRE_OK) {
            check(h.length <= LSA_WIRE_MAX_PAYLOAD);
            size_t n = size - LSA_WIRE_HEADER_SIZE;
            if (n > h.length)
                n = h.length;
            every_decoder(copy + LSA_WIRE_HEADER_SIZE, n);
        }
    }
    every_decoder(copy, size);
    free(copy);
    return 0;
}
