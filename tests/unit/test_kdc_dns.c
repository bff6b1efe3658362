/* packages/kerberos/kdc_dns.c: SRV answers, as a resolver returns them, become krb5.conf
 * server entries in RFC 2782 order; what is not an SRV record of the Internet class, a
 * "." target and a malformed reply add nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "kdc_dns.h"

/* kdc_dns.c's resolver path is not used here. */
int64_t kerb_exchange_remaining_ms(const struct kerb_exchange *x)
{
    (void)x;
    return 0;
}

struct reply {
    unsigned char bytes[1024];
    size_t length;
};

static void put16(struct reply *r, unsigned int v)
{
    r->bytes[r->length++] = (unsigned char)(v >> 8);
    r->bytes[r->length++] = (unsigned char)v;
}

static void put_name(struct reply *r, const char *dotted)
{
    while (*dotted != '\0') {
        const char *dot = strchr(dotted, '.');
        size_t n = dot ? (size_t)(dot - dotted) : strlen(dotted);
        r->bytes[r->length++] = (unsigned char)n;
        memcpy(r->bytes + r->length, dotted, n);
        r->length += n;
        dotted += n + (dot != NULL);
    }
    r->bytes[r->length++] = 0;
}

/* A reply to "_kerberos._udp.EXAMPLE.TEST SRV" announcing ANSWERS records. */
static void begin(struct reply *r, unsigned int answers)
{
    memset(r, 0, sizeof(*r));
    put16(r, 0x1234);  /* id */
    put16(r, 0x8180);  /* a response, recursion desired and available, no error */
    put16(r, 1);       /* one question */
    put16(r, answers);
    put16(r, 0);
    put16(r, 0);
    put_name(r, "_kerberos._udp.EXAMPLE.TEST");
    put16(r, 33); /* SRV */
    put16(r, 1);  /* IN */
}

/* One record; its owner is the question's name (a pointer to offset 12). */
static void answer(struct reply *r, unsigned int type, unsigned int class, unsigned int priority,
                   unsigned int weight, unsigned int port, const char *target)
{
    put16(r, 0xc00c);
    put16(r, type);
    put16(r, class);
    put16(r, 0);
    put16(r, 300); /* TTL */
    size_t rdlength_at = r->length;
    put16(r, 0);
    put16(r, priority);
    put16(r, weight);
    put16(r, port);
    put_name(r, target);
    unsigned int rdlength = (unsigned int)(r->length - rdlength_at - 2);
    r->bytes[rdlength_at] = (unsigned char)(rdlength >> 8);
    r->bytes[rdlength_at + 1] = (unsigned char)rdlength;
}

static void test_sorted_by_priority_then_weight(void **state)
{
    (void)state;
    struct reply r;
    struct kerb_dns_server out[8];
    size_t count = 0;

    begin(&r, 4);
    answer(&r, 33, 1, 20, 0, 88, "c.example.test");
    answer(&r, 33, 1, 10, 5, 88, "b.example.test");
    answer(&r, 33, 1, 10, 50, 750, "a.example.test");
    answer(&r, 33, 1, 0, 0, 88, "first.example.test");
    kerb_dns_srv_parse(r.bytes, r.length, "udp", out, &count, 8);
    assert_int_equal(count, 4);
    assert_string_equal(out[0].entry, "udp/first.example.test:88");
    assert_string_equal(out[1].entry, "udp/a.example.test:750");
    assert_string_equal(out[2].entry, "udp/b.example.test:88");
    assert_string_equal(out[3].entry, "udp/c.example.test:88");
}

static void test_second_list_appended_after_the_first(void **state)
{
    (void)state;
    struct reply r;
    struct kerb_dns_server out[8];
    size_t count = 0;

    begin(&r, 1);
    answer(&r, 33, 1, 50, 0, 88, "udp.example.test");
    kerb_dns_srv_parse(r.bytes, r.length, "udp", out, &count, 8);
    begin(&r, 1);
    answer(&r, 33, 1, 0, 0, 88, "tcp.example.test");
    kerb_dns_srv_parse(r.bytes, r.length, "tcp", out, &count, 8);
    assert_int_equal(count, 2);
    assert_string_equal(out[0].entry, "udp/udp.example.test:88");
    assert_string_equal(out[1].entry, "tcp/tcp.example.test:88");
}

static void test_other_records_and_dot_skipped(void **state)
{
    (void)state;
    struct reply r;
    struct kerb_dns_server out[8];
    size_t count = 0;

    begin(&r, 4);
    answer(&r, 5, 1, 0, 0, 88, "cname.example.test"); /* CNAME */
    answer(&r, 33, 3, 0, 0, 88, "chaos.example.test"); /* class CH */
    answer(&r, 33, 1, 0, 0, 88, "");                   /* "." : no service */
    answer(&r, 33, 1, 0, 0, 88, "kdc.example.test");
    kerb_dns_srv_parse(r.bytes, r.length, "tcp", out, &count, 8);
    assert_int_equal(count, 1);
    assert_string_equal(out[0].entry, "tcp/kdc.example.test:88");
}

static void test_at_most_max(void **state)
{
    (void)state;
    struct reply r;
    struct kerb_dns_server out[2];
    size_t count = 0;

    begin(&r, 3);
    for (int i = 0; i < 3; i++)
        answer(&r, 33, 1, (unsigned int)i, 0, 88, "kdc.example.test");
    kerb_dns_srv_parse(r.bytes, r.length, "udp", out, &count, 2);
    assert_int_equal(count, 2);
}

static void test_malformed_replies_add_nothing(void **state)
{
    (void)state;
    struct reply r;
    struct kerb_dns_server out[4];
    size_t count = 0;

    begin(&r, 1);
    answer(&r, 33, 1, 0, 0, 88, "kdc.example.test");
    for (size_t cut = 0; cut < r.length; cut++) {
        count = 0;
        kerb_dns_srv_parse(r.bytes, cut, "udp", out, &count, 4);
        assert_int_equal(count, 0);
    }
    /* An answer count beyond the records present. */
    begin(&r, 2);
    answer(&r, 33, 1, 0, 0, 88, "kdc.example.test");
    count = 0;
    kerb_dns_srv_parse(r.bytes, r.length, "udp", out, &count, 4);
    assert_true(count <= 1);
    /* A target name pointing past the end of the message. */
    begin(&r, 1);
    answer(&r, 33, 1, 0, 0, 88, "kdc.example.test");
    r.bytes[r.length - 18] = 0xc0;
    r.bytes[r.length - 17] = 0xff;
    count = 0;
    kerb_dns_srv_parse(r.bytes, r.length, "udp", out, &count, 4);
    assert_int_equal(count, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sorted_by_priority_then_weight),
        cmocka_unit_test(test_second_list_appended_after_the_first),
        cmocka_unit_test(test_other_records_and_dot_skipped),
        cmocka_unit_test(test_at_most_max),
        cmocka_unit_test(test_malformed_replies_add_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
