#include "kdc_dns.h"

#include <netinet/in.h>
#include <resolv.h>
#include <stdio.h>
#include <string.h>

#define ANSWER_SIZE 4096

/* Before *B in the order of the list: lower priority, or higher weight at one priority. */
static int before(const struct kerb_dns_server *a, const struct kerb_dns_server *b)
{
    return a->priority < b->priority || (a->priority == b->priority && a->weight > b->weight);
}

static void insert_sorted(struct kerb_dns_server *list, size_t first, size_t *count,
                          const struct kerb_dns_server *s)
{
    size_t i = *count;
    while (i > first && before(s, &list[i - 1])) {
        list[i] = list[i - 1];
        i--;
    }
    list[i] = *s;
    (*count)++;
}

void kerb_dns_srv_parse(const unsigned char *answer, size_t length, const char *transport,
                        struct kerb_dns_server *out, size_t *count, size_t max)
{
    ns_msg msg;
    size_t first = *count;

    if (length > ANSWER_SIZE || ns_initparse(answer, (int)length, &msg) != 0)
        return;
    for (int i = 0; i < ns_msg_count(msg, ns_s_an) && *count < max; i++) {
        ns_rr rr;
        char target[NS_MAXDNAME];
        struct kerb_dns_server s;

        if (ns_parserr(&msg, ns_s_an, i, &rr) != 0)
            return;
        /* RDATA: priority, weight, port (16 bits each), then the target's name. */
        if (ns_rr_type(rr) != ns_t_srv || ns_rr_class(rr) != ns_c_in || ns_rr_rdlen(rr) < 7)
            continue;
        const unsigned char *rdata = ns_rr_rdata(rr);
        if (ns_name_uncompress(ns_msg_base(msg), ns_msg_end(msg), rdata + 6, target,
                               sizeof(target)) < 0)
            continue;
        if (target[0] == '\0' || strcmp(target, ".") == 0)
            continue;
        s.priority = ns_get16(rdata);
        s.weight = ns_get16(rdata + 2);
        if (snprintf(s.entry, sizeof(s.entry), "%s/%s:%u", transport, target,
                     (unsigned int)ns_get16(rdata + 4)) >= (int)sizeof(s.entry))
            continue;
        insert_sorted(out, first, count, &s);
    }
}

static void query(res_state st, const char *service, const char *transport, const char *realm,
                  struct kerb_dns_server *out, size_t *count, size_t max)
{
    char name[NS_MAXDNAME];
    unsigned char answer[ANSWER_SIZE];

    if (snprintf(name, sizeof(name), "%s._%s.%s", service, transport, realm) >=
        (int)sizeof(name))
        return;
    /* The realm names the domain: no search list, whose every suffix would be one more
     * query to wait for. */
    int length = res_nquery(st, name, ns_c_in, ns_t_srv, answer, sizeof(answer));
    if (length > 0)
        kerb_dns_srv_parse(answer, (size_t)length < sizeof(answer) ? (size_t)length
                                                                      : sizeof(answer),
                           transport, out, count, max);
}

size_t kerb_dns_locate(const char *service, const char *realm, const struct kerb_exchange *x,
                       struct kerb_dns_server *out, size_t max)
{
    static const char *const transports[] = { "udp", "tcp" };
    struct __res_state st;
    size_t count = 0;

    memset(&st, 0, sizeof(st));
    if (res_ninit(&st) != 0)
        return 0;
    for (size_t t = 0; t < 2; t++) {
        int64_t left = kerb_exchange_remaining_ms(x);
        if (left <= 0)
            break;
        /* One try, and the resolver waits RETRANS for each of its NSCOUNT servers. */
        int servers = st.nscount > 0 ? st.nscount : 1;
        int seconds = (int)(left / 1000 / servers);
        st.retrans = seconds > 0 ? seconds : 1;
        st.retry = 1;
        query(&st, service, transports[t], realm, out, &count, max);
    }
    res_nclose(&st);
    return count;
}
