/*
 * LsaCallAuthenticationPackage (spec/lsa-api.md §1.1, §2.7, §3; DESIGN.md "Client API",
 * "Package ABI"): byte-identical delivery, return buffers with embedded pointers,
 * hostile submit buffers, package-to-package calls, CopyFromClientBuffer, threads.
 *
 * Both package models (echo_ap.so, echo_sspap.so) speak tests/packages/echo_protocol.h.
 * Submit buffers are built as a client builds them: the fixed structure, then the
 * string bodies, embedded Buffers holding real addresses inside the block.  The LSA's
 * copy is exactly SubmitBufferLength bytes, so AddressSanitizer sees any read past it.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <lsa/ntsecapi.h>

#include "../lib/lsa_test.h"

static const char config[] = "[lsa]\n"
                             "package_dir = @PKGDIR@\n"
                             "packages = echo_ap, echo_sspap\n";

static struct lsa_test_echo g;

static int group_setup(void **state)
{
    (void)state;
    return lsa_test_echo_setup(&g, config, "test_calls");
}

static int group_teardown(void **state)
{
    (void)state;
    lsa_test_echo_teardown(&g);
    return 0;
}

/* The trusted handle; skips the test when not root. */
static HANDLE trusted(void)
{
    lsa_test_require_root();
    return g.trusted;
}

struct reply {
    NTSTATUS status, protocol;
    unsigned char *buffer;
    ULONG length;
};

static struct reply call(HANDLE h, ULONG id, const void *submit, size_t length)
{
    struct reply r = { 0, (NTSTATUS)0x7eadbeef, NULL, 0xdeadbeef };
    PVOID buffer = (PVOID)0x1;
    r.status = LsaCallAuthenticationPackage(h, id, (PVOID)submit, (ULONG)length, &buffer,
                                            &r.length, &r.protocol);
    r.buffer = buffer;
    if (r.status != STATUS_SUCCESS) {
        /* A failed call hands nothing back. */
        assert_null(buffer);
        assert_int_equal(r.length, 0);
    }
    return r;
}

static void reply_free(struct reply *r)
{
    assert_status(LsaFreeReturnBuffer(r->buffer), STATUS_SUCCESS);
    r->buffer = NULL;
}

/* ---- echo ---------------------------------------------------------------------------- */

static unsigned char *echo_request(size_t payload)
{
    unsigned char *m = malloc(sizeof(ULONG) + payload);
    assert_non_null(m);
    ULONG type = EchoMessageEcho;
    memcpy(m, &type, sizeof(type));
    for (size_t i = 0; i < payload; i++)
        m[sizeof(ULONG) + i] = (unsigned char)(i * 7 + payload);
    return m;
}

static void check_echo(HANDLE h, ULONG id, size_t payload, NTSTATUS protocol)
{
    size_t length = sizeof(ULONG) + payload;
    unsigned char *m = echo_request(payload);
    struct reply r = call(h, id, m, length);
    assert_status(r.status, STATUS_SUCCESS);
    assert_status(r.protocol, protocol);
    assert_int_equal(r.length, length);
    assert_non_null(r.buffer);
    assert_true(r.buffer != m);
    assert_memory_equal(r.buffer, m, length);
    reply_free(&r);
    free(m);
}

static const size_t echo_sizes[] = { 0, 1, 2, 3, 7, 255, 4096, 65536 };

static void test_echo_is_byte_identical(void **state)
{
    (void)state;
    HANDLE h = trusted();
    ULONG ids[] = { g.ap, g.sspap, g.sspap_init };
    for (size_t i = 0; i < 3; i++)
        for (size_t s = 0; s < sizeof(echo_sizes) / sizeof(echo_sizes[0]); s++)
            check_echo(h, ids[i], echo_sizes[s], STATUS_SUCCESS);
}

static void test_echo_untrusted_is_byte_identical(void **state)
{
    (void)state;
    ULONG ids[] = { g.ap, g.sspap, g.sspap_init };
    for (size_t i = 0; i < 3; i++)
        for (size_t s = 0; s < sizeof(echo_sizes) / sizeof(echo_sizes[0]); s++)
            check_echo(g.untrusted, ids[i], echo_sizes[s], ECHO_STATUS_UNTRUSTED_ENTRY);
}

static void test_unknown_package_id(void **state)
{
    (void)state;
    ULONG message = EchoMessageEcho;
    const ULONG ids[] = { 3, 4, 255, 0x7fffffff, 0xfffffffe, 0xffffffff };
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        struct reply r = call(g.untrusted, ids[i], &message, sizeof(message));
        assert_status(r.status, STATUS_NO_SUCH_PACKAGE);
        if (geteuid() == 0) {
            r = call(g.trusted, ids[i], &message, sizeof(message));
            assert_status(r.status, STATUS_NO_SUCH_PACKAGE);
        }
    }
}

static void test_null_out_parameters(void **state)
{
    (void)state;
    ULONG message = EchoMessageEcho;
    PVOID buffer = (PVOID)0x1;
    ULONG length;
    NTSTATUS protocol;
    HANDLE h = g.untrusted;
    assert_status(LsaCallAuthenticationPackage(h, g.ap, &message, sizeof(message), NULL, &length,
                                               &protocol),
                  STATUS_INVALID_PARAMETER);
    assert_status(LsaCallAuthenticationPackage(h, g.ap, &message, sizeof(message), &buffer, NULL,
                                               &protocol),
                  STATUS_INVALID_PARAMETER);
    assert_status(LsaCallAuthenticationPackage(h, g.ap, &message, sizeof(message), &buffer,
                                               &length, NULL),
                  STATUS_INVALID_PARAMETER);
    /* No submit buffer but a length. */
    assert_status(LsaCallAuthenticationPackage(h, g.ap, NULL, 16, &buffer, &length, &protocol),
                  STATUS_INVALID_PARAMETER);
    /* No submit buffer and no length: the package sees an empty message. */
    assert_status(LsaCallAuthenticationPackage(h, g.sspap, NULL, 0, &buffer, &length, &protocol),
                  STATUS_INVALID_PARAMETER);
}

/* ---- strings: embedded pointers both ways ---------------------------------------------- */

struct strings {
    struct lsa_test_buf b;
    ECHO_STRINGS_REQUEST *req;
};

static void strings_build(struct strings *s, const char *first, const char *second)
{
    s->req = lsa_test_buf_start(&s->b, sizeof(*s->req));
    s->req->MessageType = EchoMessageStrings;
    lsa_test_buf_add_utf16(&s->b, first, &s->req->First);
    lsa_test_buf_add_utf16(&s->b, second, &s->req->Second);
}

/* A reply string: its Buffer is a caller address inside the returned block. */
static void check_reply_string(const struct reply *r, const UNICODE_STRING *u, const char *text)
{
    if (u->Length > 0) {
        uintptr_t p = (uintptr_t)u->Buffer, base = (uintptr_t)r->buffer;
        assert_true(p >= base + sizeof(ECHO_STRINGS_RESPONSE));
        assert_true(p + u->Length <= base + r->length);
        assert_int_equal(p & 1, 0);
    }
    assert_true(u->Length <= u->MaximumLength || u->Buffer == NULL);
    assert_true(lsa_test_unicode_is(u, text));
}

static void check_strings(HANDLE h, ULONG id, const char *first, const char *second)
{
    struct strings s;
    strings_build(&s, first, second);
    struct reply r = call(h, id, s.b.data, s.b.length);
    assert_status(r.status, STATUS_SUCCESS);
    assert_true(r.length >= sizeof(ECHO_STRINGS_RESPONSE));
    const ECHO_STRINGS_RESPONSE *resp = (const ECHO_STRINGS_RESPONSE *)r.buffer;
    assert_int_equal(resp->MessageType, EchoMessageStrings);
    check_reply_string(&r, &resp->First, first);
    check_reply_string(&r, &resp->Second, second);
    /* The caller's request is untouched: the package worked on the LSA's copy. */
    assert_true(lsa_test_unicode_is(&s.req->First, first));
    assert_ptr_equal(s.req->First.Buffer, (PWSTR)(void *)(s.b.data + sizeof(*s.req)));
    reply_free(&r);
    lsa_test_buf_free(&s.b);
}

static void test_return_buffer_embedded_pointers(void **state)
{
    (void)state;
    ULONG ids[] = { g.ap, g.sspap, g.sspap_init };
    for (size_t i = 0; i < 3; i++) {
        check_strings(g.untrusted, ids[i], "first string", "zweite Zeichenkette \xe2\x98\x83");
        check_strings(g.untrusted, ids[i], "", "only the second");
        check_strings(g.untrusted, ids[i], "\xf0\x9f\x94\x91 surrogate pair", "");
    }
}

/* ---- hostile submit buffers ------------------------------------------------------------- */

enum corruption {
    VALID,
    VALID_ODD_TOTAL_LAST_CHAR, /* ends one byte before the end of an odd-sized block */
    BEFORE_BLOCK,
    FAR_BEFORE_BLOCK,
    AT_END,
    FAR_AFTER_BLOCK,
    ONE_BYTE_PAST_END,
    WRAPS_AROUND,
    ODD_LENGTH,
    ODD_ADDRESS,
    LENGTH_OVER_MAXIMUM,
    NULL_BUFFER,
    SECOND_PAST_END,
    HUGE_LENGTH,
    CORRUPTION_COUNT
};

static const char *const corruption_names[] = {
    "valid", "valid last char of odd block", "before block", "far before block", "at end",
    "far after block", "one byte past end", "wraps around", "odd length", "odd address",
    "length over maximum", "NULL buffer", "second string past end", "huge length",
};

_Static_assert(sizeof(corruption_names) / sizeof(corruption_names[0]) == CORRUPTION_COUNT,
               "a name for every corruption");

static void corrupt(struct strings *s, enum corruption c)
{
    UNICODE_STRING *u = &s->req->First;
    uintptr_t base = (uintptr_t)s->b.data, end = base + s->b.length;
    switch (c) {
    case VALID:
        break;
    case VALID_ODD_TOTAL_LAST_CHAR:
        /* The block is odd-sized (a trailing byte); a 2-byte string ending 1 byte before the
         * end is inside. */
        u->Buffer = (PWSTR)(end - 3);
        u->Length = u->MaximumLength = 2;
        break;
    case BEFORE_BLOCK:
        u->Buffer = (PWSTR)(base - 2);
        u->Length = u->MaximumLength = 4;
        break;
    case FAR_BEFORE_BLOCK:
        u->Buffer = (PWSTR)(uintptr_t)0x10000;
        break;
    case AT_END:
        u->Buffer = (PWSTR)((end + 1) & ~(uintptr_t)1);
        break;
    case FAR_AFTER_BLOCK:
        u->Buffer = (PWSTR)(end + 4096);
        break;
    case ONE_BYTE_PAST_END:
        /* Block of odd size: [end - 3, end + 1) is aligned and one byte too long. */
        u->Buffer = (PWSTR)(end - 3);
        u->Length = u->MaximumLength = 4;
        break;
    case WRAPS_AROUND:
        u->Buffer = (PWSTR)(UINTPTR_MAX - 1);
        u->Length = u->MaximumLength = 8;
        break;
    case ODD_LENGTH:
        u->Length = (USHORT)(u->Length - 1);
        break;
    case ODD_ADDRESS:
        u->Buffer = (PWSTR)((uintptr_t)u->Buffer + 1);
        u->Length = u->MaximumLength = 4;
        break;
    case LENGTH_OVER_MAXIMUM:
        u->MaximumLength = (USHORT)(u->Length - 2);
        break;
    case NULL_BUFFER:
        u->Buffer = NULL;
        break;
    case SECOND_PAST_END:
        s->req->Second.Buffer = (PWSTR)((uintptr_t)s->req->Second.Buffer + 2);
        break;
    case HUGE_LENGTH:
        u->Length = u->MaximumLength = 0xfffe;
        break;
    default:
        fail();
    }
}

static void hostile_strings(HANDLE h, ULONG id)
{
    for (int c = 0; c < CORRUPTION_COUNT; c++) {
        struct strings s;
        strings_build(&s, "first", "second!");
        BOOLEAN odd_block = c == VALID_ODD_TOTAL_LAST_CHAR || c == ONE_BYTE_PAST_END;
        if (odd_block)
            lsa_test_buf_add_bytes(&s.b, "X", 1, 1, NULL);
        if (odd_block)
            assert_int_equal(s.b.length & 1, 1);
        corrupt(&s, (enum corruption)c);
        struct reply r = call(h, id, s.b.data, s.b.length);
        NTSTATUS want = c <= VALID_ODD_TOTAL_LAST_CHAR ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
        if (r.status != want)
            fprintf(stderr, "# package %u, case \"%s\"\n", id, corruption_names[c]);
        assert_status(r.status, want);
        if (r.status == STATUS_SUCCESS)
            reply_free(&r);
        lsa_test_buf_free(&s.b);
    }
}

static void test_hostile_strings_rejected(void **state)
{
    (void)state;
    hostile_strings(g.untrusted, g.ap);
    hostile_strings(g.untrusted, g.sspap);
    if (geteuid() == 0) {
        hostile_strings(g.trusted, g.ap);
        hostile_strings(g.trusted, g.sspap_init);
    }
}

/* A message of TYPE cut to every length below SIZE, each in a block of exactly that many
 * bytes: the package must refuse it without reading past it. */
static void truncated(HANDLE h, ULONG id, ULONG type, const void *full, size_t size)
{
    for (size_t length = 0; length < size; length++) {
        unsigned char *m = malloc(length ? length : 1);
        assert_non_null(m);
        memcpy(m, full, length);
        if (length >= sizeof(ULONG))
            memcpy(m, &type, sizeof(type));
        struct reply r = call(h, id, m, length);
        if (r.status != STATUS_INVALID_PARAMETER)
            fprintf(stderr, "# package %u, message %u cut to %zu of %zu bytes\n", id, type, length,
                    size);
        assert_status(r.status, STATUS_INVALID_PARAMETER);
        free(m);
    }
}

static void truncated_all(HANDLE h, ULONG id)
{
    struct strings s;
    strings_build(&s, "first", "second");
    truncated(h, id, EchoMessageStrings, s.b.data, sizeof(ECHO_STRINGS_REQUEST));
    lsa_test_buf_free(&s.b);

    ECHO_ALLOCATE_REQUEST alloc = { EchoMessageAllocate, 16, 1, 0 };
    truncated(h, id, EchoMessageAllocate, &alloc, sizeof(alloc));
    ECHO_COPY_FROM_REQUEST copy = { EchoMessageCopyFrom, 4, &copy };
    truncated(h, id, EchoMessageCopyFrom, &copy, sizeof(copy));
    ECHO_CREDENTIAL_REQUEST cred;
    memset(&cred, 0, sizeof(cred));
    cred.MessageType = EchoMessageCredential;
    cred.Operation = EchoCredentialGet;
    truncated(h, id, EchoMessageCredential, &cred, sizeof(cred));
    ULONG echo = EchoMessageEcho;
    truncated(h, id, EchoMessageEcho, &echo, sizeof(echo));
}

static void test_truncated_requests_rejected(void **state)
{
    (void)state;
    truncated_all(g.untrusted, g.ap);
    truncated_all(g.untrusted, g.sspap);
    ECHO_FORWARD_REQUEST fwd;
    memset(&fwd, 0, sizeof(fwd));
    fwd.MessageType = EchoMessageForward;
    truncated(g.untrusted, g.sspap, EchoMessageForward, &fwd, sizeof(fwd));
    if (geteuid() == 0) {
        truncated_all(g.trusted, g.ap);
        truncated_all(g.trusted, g.sspap_init);
    }
}

/* ---- package to package ------------------------------------------------------------------ */

struct forward {
    struct lsa_test_buf b;
    ECHO_FORWARD_REQUEST *req;
    unsigned char *inner; /* its client address */
};

static void forward_build(struct forward *f, ULONG kind, const char *target, const void *inner,
                          size_t inner_length)
{
    f->req = lsa_test_buf_start(&f->b, sizeof(*f->req));
    f->req->MessageType = EchoMessageForward;
    f->req->Kind = kind;
    lsa_test_buf_add_utf16(&f->b, target, &f->req->Target);
    f->inner = (unsigned char *)lsa_test_buf_add_bytes(&f->b, inner, inner_length, 8, NULL);
    f->req->InnerOffset = (ULONG)(f->inner - f->b.data);
    f->req->InnerLength = (ULONG)inner_length;
}

struct forwarded {
    struct reply outer;
    ECHO_FORWARD_RESPONSE resp;
    const unsigned char *inner_reply;
};

static struct forwarded forward(HANDLE h, ULONG from, struct forward *f)
{
    struct forwarded out;
    memset(&out, 0, sizeof(out));
    out.outer = call(h, from, f->b.data, f->b.length);
    assert_status(out.outer.status, STATUS_SUCCESS);
    assert_true(out.outer.length >= sizeof(ECHO_FORWARD_RESPONSE));
    memcpy(&out.resp, out.outer.buffer, sizeof(out.resp));
    assert_int_equal(out.resp.MessageType, EchoMessageForward);
    assert_int_equal(out.outer.length, sizeof(ECHO_FORWARD_RESPONSE) + out.resp.InnerLength);
    out.inner_reply = out.outer.buffer + sizeof(ECHO_FORWARD_RESPONSE);
    return out;
}

static void check_forward_echo(HANDLE h, ULONG kind, const char *target, size_t payload)
{
    size_t length = sizeof(ULONG) + payload;
    unsigned char *inner = echo_request(payload);
    struct forward f;
    forward_build(&f, kind, target, inner, length);
    struct forwarded r = forward(h, g.sspap, &f);
    assert_status(r.resp.CallStatus, STATUS_SUCCESS);
    assert_status(r.resp.InnerProtocolStatus, STATUS_SUCCESS);
    assert_int_equal(r.resp.InnerLength, length);
    assert_memory_equal(r.inner_reply, inner, length);
    reply_free(&r.outer);
    lsa_test_buf_free(&f.b);
    free(inner);
}

static void test_forward_echo_all_kinds(void **state)
{
    (void)state;
    const char *targets[] = { ECHO_AP_NAME, ECHO_SSPAP_INIT_NAME, ECHO_SSPAP_NAME };
    const size_t payloads[] = { 0, 1, 13, 4096 };
    for (ULONG kind = 0; kind <= 2; kind++)
        for (size_t t = 0; t < 3; t++)
            for (size_t p = 0; p < 4; p++) {
                check_forward_echo(g.untrusted, kind, targets[t], payloads[p]);
                if (geteuid() == 0)
                    check_forward_echo(g.trusted, kind, targets[t], payloads[p]);
            }
}

static void test_forward_target_name_case_insensitive(void **state)
{
    (void)state;
    for (ULONG kind = 0; kind <= 2; kind++) {
        check_forward_echo(g.untrusted, kind, "echoap", 5);
        check_forward_echo(g.untrusted, kind, "ECHOSSPAPINIT", 5);
    }
}

static void test_forward_unknown_target(void **state)
{
    (void)state;
    ULONG echo = EchoMessageEcho;
    const char *targets[] = { "NoSuchPackage", "EchoA", "", ECHO_SSPAP_WRONG_NAME };
    for (ULONG kind = 0; kind <= 2; kind++) {
        for (size_t t = 0; t < sizeof(targets) / sizeof(targets[0]); t++) {
            struct forward f;
            forward_build(&f, kind, targets[t], &echo, sizeof(echo));
            struct forwarded r = forward(g.untrusted, g.sspap, &f);
            if (r.resp.CallStatus != STATUS_NO_SUCH_PACKAGE)
                fprintf(stderr, "# kind %u, target \"%s\"\n", kind, targets[t]);
            assert_status(r.resp.CallStatus, STATUS_NO_SUCH_PACKAGE);
            assert_int_equal(r.resp.InnerLength, 0);
            reply_free(&r.outer);
            lsa_test_buf_free(&f.b);
        }
    }
}

static ECHO_WHOAMI_RESPONSE forward_whoami(HANDLE h, ULONG kind, const char *target)
{
    ULONG message = EchoMessageWhoAmI;
    struct forward f;
    forward_build(&f, kind, target, &message, sizeof(message));
    struct forwarded r = forward(h, g.sspap, &f);
    assert_status(r.resp.CallStatus, STATUS_SUCCESS);
    assert_status(r.resp.InnerProtocolStatus, STATUS_SUCCESS);
    assert_int_equal(r.resp.InnerLength, sizeof(ECHO_WHOAMI_RESPONSE));
    ECHO_WHOAMI_RESPONSE who;
    memcpy(&who, r.inner_reply, sizeof(who));
    reply_free(&r.outer);
    lsa_test_buf_free(&f.b);
    return who;
}

static void check_forwarded_client(HANDLE h, BOOLEAN tcb)
{
    for (ULONG kind = 0; kind <= 2; kind++) {
        /* Into the AP: the entry point tells which call it was. */
        ECHO_WHOAMI_RESPONSE who = forward_whoami(h, kind, ECHO_AP_NAME);
        assert_int_equal(who.PackageId, g.ap);
        assert_int_equal(who.UntrustedEntry, FALSE);
        assert_int_equal(who.PassthroughEntry, kind == 2);
        /* Into an SSP/AP: GetClientInfo there still names this process and its handle. */
        who = forward_whoami(h, kind, ECHO_SSPAP_INIT_NAME);
        assert_int_equal(who.PackageId, g.sspap_init);
        assert_int_equal(who.UntrustedEntry, FALSE);
        assert_int_equal(who.PassthroughEntry, kind == 2);
        assert_status(who.ClientInfoStatus, STATUS_SUCCESS);
        assert_int_equal(who.ClientInfo.ProcessID, (ULONG)getpid());
        assert_int_equal(who.ClientInfo.ThreadID, (ULONG)gettid());
        assert_int_equal(who.ClientInfo.HasTcbPrivilege, tcb);
        assert_int_equal(who.Pid, (ULONG)getpid());
        assert_int_equal(who.Uid, (ULONG)geteuid());
        assert_int_equal(who.Gid, (ULONG)getegid());
        assert_int_equal(who.Trusted, tcb);
    }
}

static void test_forward_reaches_entry_and_keeps_client(void **state)
{
    (void)state;
    check_forwarded_client(g.untrusted, FALSE);
    if (geteuid() == 0)
        check_forwarded_client(g.trusted, TRUE);
}

/* Strings forwarded with CallPackageEx: the target relocates the caller's addresses
 * against the ClientBufferBase it is given, and the bytes come back unaltered.  With
 * plain CallPackage the base is the forwarder's own copy, so the same addresses are out
 * of range. */
static void test_forward_client_buffer_base(void **state)
{
    (void)state;
    for (ULONG kind = 0; kind <= 1; kind++) {
        struct forward f;
        f.req = lsa_test_buf_start(&f.b, sizeof(*f.req));
        f.req->MessageType = EchoMessageForward;
        f.req->Kind = kind;
        lsa_test_buf_add_utf16(&f.b, ECHO_AP_NAME, &f.req->Target);
        ECHO_STRINGS_REQUEST *inner =
            (ECHO_STRINGS_REQUEST *)(void *)lsa_test_buf_add_bytes(&f.b, NULL, sizeof(*inner), 8,
                                                                   NULL);
        inner->MessageType = EchoMessageStrings;
        lsa_test_buf_add_utf16(&f.b, "inner one", &inner->First);
        lsa_test_buf_add_utf16(&f.b, "inner two", &inner->Second);
        f.req->InnerOffset = (ULONG)((unsigned char *)inner - f.b.data);
        f.req->InnerLength = (ULONG)(f.b.length - f.req->InnerOffset);

        struct forwarded r = forward(g.untrusted, g.sspap, &f);
        if (kind == 1) {
            assert_status(r.resp.CallStatus, STATUS_SUCCESS);
            assert_int_equal(r.resp.InnerLength, sizeof(ECHO_STRINGS_RESPONSE) + 18 + 18);
            /* Past the (now stale) structure: the two bodies, byte for byte. */
            assert_memory_equal(r.inner_reply + sizeof(ECHO_STRINGS_RESPONSE), inner->First.Buffer,
                                18);
            assert_memory_equal(r.inner_reply + sizeof(ECHO_STRINGS_RESPONSE) + 18,
                                inner->Second.Buffer, 18);
        } else {
            assert_status(r.resp.CallStatus, STATUS_INVALID_PARAMETER);
            assert_int_equal(r.resp.InnerLength, 0);
        }
        reply_free(&r.outer);
        lsa_test_buf_free(&f.b);
    }
}

static void test_forward_inner_range_checked(void **state)
{
    (void)state;
    ULONG echo = EchoMessageEcho;
    const struct {
        ULONG offset; /* 0: keep the real one */
        ULONG length;
        const char *what;
    } bad[] = {
        { 4, 4, "inside the forward structure" },
        { 0xfffffff0u, 0x20, "offset + length wraps" },
        { 0, 0xffffffffu, "far too long" },
        { 0, sizeof(ULONG) + 1, "one byte past the block" },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct forward f;
        forward_build(&f, 0, ECHO_AP_NAME, &echo, sizeof(echo));
        assert_int_equal(f.req->InnerOffset + f.req->InnerLength, f.b.length);
        if (bad[i].offset != 0)
            f.req->InnerOffset = bad[i].offset;
        f.req->InnerLength = bad[i].length;
        struct reply r = call(g.untrusted, g.sspap, f.b.data, f.b.length);
        if (r.status != STATUS_INVALID_PARAMETER)
            fprintf(stderr, "# inner range %s\n", bad[i].what);
        assert_status(r.status, STATUS_INVALID_PARAMETER);
        lsa_test_buf_free(&f.b);
    }
}

/* ---- CopyFromClientBuffer ------------------------------------------------------------------ */

struct copy_from {
    struct lsa_test_buf b;
    ECHO_COPY_FROM_REQUEST *req;
    unsigned char *marker;
};

static const unsigned char marker_bytes[16] = { 0x4d, 0x41, 0x52, 0x4b, 0xde, 0xad, 0xbe, 0xef,
                                                0x00, 0x01, 0x02, 0x03, 0xfe, 0xfd, 0xfc, 0xfb };

static void copy_from_build(struct copy_from *c)
{
    c->req = lsa_test_buf_start(&c->b, sizeof(*c->req));
    c->req->MessageType = EchoMessageCopyFrom;
    c->marker = (unsigned char *)lsa_test_buf_add_bytes(&c->b, marker_bytes, sizeof(marker_bytes),
                                                        1, NULL);
}

static struct reply copy_from(HANDLE h, ULONG id, struct copy_from *c, const void *address,
                              ULONG length)
{
    c->req->Address = (PVOID)address;
    c->req->Length = length;
    struct reply r = call(h, id, c->b.data, c->b.length);
    assert_status(r.status, STATUS_SUCCESS);
    return r;
}

static void check_copy_from(HANDLE h, ULONG id)
{
    struct copy_from c;
    copy_from_build(&c);

    /* Inside the submitted block: the exact bytes. */
    struct reply r = copy_from(h, id, &c, c.marker, sizeof(marker_bytes));
    assert_status(r.protocol, STATUS_SUCCESS);
    assert_int_equal(r.length, sizeof(marker_bytes));
    assert_memory_equal(r.buffer, marker_bytes, sizeof(marker_bytes));
    reply_free(&r);
    r = copy_from(h, id, &c, c.marker + 15, 1);
    assert_status(r.protocol, STATUS_SUCCESS);
    assert_int_equal(r.length, 1);
    assert_int_equal(r.buffer[0], 0xfb);
    reply_free(&r);
    /* The whole block, from its first byte. */
    r = copy_from(h, id, &c, c.b.data, (ULONG)c.b.length);
    assert_status(r.protocol, STATUS_SUCCESS);
    assert_int_equal(r.length, c.b.length);
    assert_memory_equal(r.buffer + sizeof(ECHO_COPY_FROM_REQUEST), marker_bytes,
                        sizeof(marker_bytes));
    reply_free(&r);

    /* Outside it: refused, whatever is really there. */
    static const unsigned char elsewhere[16] = "not submitted";
    struct {
        const void *address;
        ULONG length;
        const char *what;
    } outside[] = {
        { elsewhere, sizeof(elsewhere), "another object" },
        { (const void *)((uintptr_t)c.b.data - 1), 2, "one byte before" },
        { c.marker + 15, 2, "one byte past the end" },
        { c.marker + 16, 1, "at the end" },
        { c.marker, 0xffffffffu, "huge length" },
        { (const void *)(UINTPTR_MAX - 4), 16, "wrapping address" },
        { NULL, 4, "NULL" },
    };
    for (size_t i = 0; i < sizeof(outside) / sizeof(outside[0]); i++) {
        r = copy_from(h, id, &c, outside[i].address, outside[i].length);
        if (r.protocol != STATUS_ACCESS_VIOLATION && r.protocol != STATUS_INVALID_PARAMETER)
            fprintf(stderr, "# CopyFrom %s\n", outside[i].what);
        if (outside[i].address == NULL)
            assert_true(r.protocol == STATUS_ACCESS_VIOLATION ||
                        r.protocol == STATUS_INVALID_PARAMETER);
        else
            assert_status(r.protocol, STATUS_ACCESS_VIOLATION);
        assert_null(r.buffer);
        assert_int_equal(r.length, 0);
    }
    lsa_test_buf_free(&c.b);
}

static void test_copy_from_client_buffer_only_submitted_range(void **state)
{
    (void)state;
    check_copy_from(g.untrusted, g.ap);
    check_copy_from(g.untrusted, g.sspap);
    if (geteuid() == 0) {
        check_copy_from(g.trusted, g.ap);
        check_copy_from(g.trusted, g.sspap_init);
    }
}

/* ---- threads -------------------------------------------------------------------------------- */

#define THREADS 4
#define CALLS_PER_THREAD 2000

struct worker {
    HANDLE h; /* NULL: open its own */
    unsigned index;
    unsigned errors;
    char first_error[160];
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    HANDLE h = w->h;
    if (h == NULL && LsaConnectUntrusted(&h) != STATUS_SUCCESS) {
        w->errors++;
        return NULL;
    }
    ULONG ids[] = { g.ap, g.sspap, g.sspap_init };
    for (unsigned i = 0; i < CALLS_PER_THREAD; i++) {
        unsigned char m[4 + 8 + 64];
        ULONG type = EchoMessageEcho;
        memcpy(m, &type, 4);
        size_t length = 4 + 8 + (i % 64);
        uint32_t tag[2] = { w->index, i };
        memcpy(m + 4, tag, 8);
        for (size_t k = 12; k < length; k++)
            m[k] = (unsigned char)(w->index * 31 + i + k);
        PVOID reply = NULL;
        ULONG reply_length = 0;
        NTSTATUS protocol = 0;
        NTSTATUS status = LsaCallAuthenticationPackage(h, ids[(i + w->index) % 3], m,
                                                       (ULONG)length, &reply, &reply_length,
                                                       &protocol);
        if (status != STATUS_SUCCESS || protocol != ECHO_STATUS_UNTRUSTED_ENTRY ||
            reply_length != length || memcmp(reply, m, length) != 0 ||
            LsaFreeReturnBuffer(reply) != STATUS_SUCCESS) {
            if (w->errors++ == 0)
                snprintf(w->first_error, sizeof(w->first_error),
                         "thread %u call %u: status 0x%08x protocol 0x%08x length %u/%zu",
                         w->index, i, (unsigned)status, (unsigned)protocol, reply_length, length);
        }
    }
    if (w->h == NULL && LsaDeregisterLogonProcess(h) != STATUS_SUCCESS)
        w->errors++;
    return NULL;
}

static void run_threads(HANDLE shared)
{
    pthread_t threads[THREADS];
    struct worker workers[THREADS];
    for (unsigned i = 0; i < THREADS; i++) {
        memset(&workers[i], 0, sizeof(workers[i]));
        workers[i].h = shared;
        workers[i].index = i;
        assert_int_equal(pthread_create(&threads[i], NULL, worker_main, &workers[i]), 0);
    }
    unsigned errors = 0;
    for (unsigned i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        if (workers[i].errors > 0)
            fprintf(stderr, "# %u errors; first: %s\n", workers[i].errors,
                    workers[i].first_error);
        errors += workers[i].errors;
    }
    assert_int_equal(errors, 0);
}

static void test_threads_on_separate_handles(void **state)
{
    (void)state;
    run_threads(NULL);
}

static void test_threads_on_one_shared_handle(void **state)
{
    (void)state;
    run_threads(g.untrusted);
    /* The shared handle still works afterwards. */
    check_echo(g.untrusted, g.ap, 8, ECHO_STATUS_UNTRUSTED_ENTRY);
}

/* A handle closed while other threads call through it: each call either completes
 * normally or finds the handle gone; none touches freed memory (AddressSanitizer). */
struct racer {
    HANDLE h;
    unsigned done, refused, wrong;
    volatile int *stop;
};

static void *racer_main(void *arg)
{
    struct racer *r = arg;
    ULONG ids[] = { g.ap, g.sspap };
    unsigned after_stop = 0;
    /* Until the handle is refused; a few calls after the close at most. */
    for (unsigned i = 0; r->refused == 0 && (!*r->stop || after_stop++ < 1000); i++) {
        unsigned char m[4 + 32];
        ULONG type = EchoMessageEcho;
        memcpy(m, &type, 4);
        memset(m + 4, (int)i, 32);
        PVOID reply = NULL;
        ULONG length = 0;
        NTSTATUS protocol;
        NTSTATUS status =
            LsaCallAuthenticationPackage(r->h, ids[i % 2], m, sizeof(m), &reply, &length, &protocol);
        if (status == STATUS_INVALID_HANDLE && reply == NULL) {
            r->refused++;
        } else if (status == STATUS_SUCCESS && length == sizeof(m) &&
                   memcmp(reply, m, sizeof(m)) == 0) {
            r->done++;
        } else {
            r->wrong++;
        }
        LsaFreeReturnBuffer(reply);
    }
    return NULL;
}

static void test_deregister_while_calls_in_flight(void **state)
{
    (void)state;
    for (int round = 0; round < 5; round++) {
        HANDLE h = lsa_test_connect(FALSE);
        volatile int stop = 0;
        pthread_t threads[THREADS];
        struct racer racers[THREADS];
        for (unsigned i = 0; i < THREADS; i++) {
            racers[i] = (struct racer){ h, 0, 0, 0, &stop };
            assert_int_equal(pthread_create(&threads[i], NULL, racer_main, &racers[i]), 0);
        }
        usleep(20000);
        assert_status(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
        stop = 1;
        for (unsigned i = 0; i < THREADS; i++) {
            assert_int_equal(pthread_join(threads[i], NULL), 0);
            assert_int_equal(racers[i].wrong, 0);
            assert_int_equal(racers[i].refused, 1);
        }
        assert_status(LsaDeregisterLogonProcess(h), STATUS_INVALID_HANDLE);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_echo_is_byte_identical),
        cmocka_unit_test(test_echo_untrusted_is_byte_identical),
        cmocka_unit_test(test_unknown_package_id),
        cmocka_unit_test(test_null_out_parameters),
        cmocka_unit_test(test_return_buffer_embedded_pointers),
        cmocka_unit_test(test_hostile_strings_rejected),
        cmocka_unit_test(test_truncated_requests_rejected),
        cmocka_unit_test(test_forward_echo_all_kinds),
        cmocka_unit_test(test_forward_target_name_case_insensitive),
        cmocka_unit_test(test_forward_unknown_target),
        cmocka_unit_test(test_forward_reaches_entry_and_keeps_client),
        cmocka_unit_test(test_forward_client_buffer_base),
        cmocka_unit_test(test_forward_inner_range_checked),
        cmocka_unit_test(test_copy_from_client_buffer_only_submitted_range),
        cmocka_unit_test(test_threads_on_separate_handles),
        cmocka_unit_test(test_threads_on_one_shared_handle),
        cmocka_unit_test(test_deregister_while_calls_in_flight),
    };
    return cmocka_run_group_tests_name("calls", tests, group_setup, group_teardown);
}
