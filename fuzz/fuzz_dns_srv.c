/*
 * libFuzzer harness for the DNS SRV reply parser (packages/kerberos/kdc_dns.c,
 * kerb_dns_srv_parse): the input is a reply as a name server may send it.  Whatever it
 * holds, the parser must stay inside it, add at most MAX_SERVERS entries, each a terminated
 * "udp/HOST:PORT", in RFC 2782 order.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kdc_dns.h"

#define MAX_SERVERS 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* kdc_dns.c's resolver path is not used here. */
int64_t kerb_exchange_remaining_ms(const struct kerb_exchange *x)
{
    (void)x;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct kerb_dns_server out[MAX_SERVERS];
    size_t count = 0;
    /* A copy of exactly SIZE bytes, so a read past the reply is caught. */
    unsigned char *reply = malloc(size ? size : 1);

    if (reply == NULL)
        return 0;
    memcpy(reply, data, size);
    kerb_dns_srv_parse(reply, size, "udp", out, &count, MAX_SERVERS);
    free(reply);
    if (count > MAX_SERVERS)
        abort();
    for (size_t i = 0; i < count; i++) {
        if (memchr(out[i].entry, '\0', sizeof(out[i].entry)) == NULL ||
            strncmp(out[i].entry, "udp/", 4) != 0 || strrchr(out[i].entry, ':') == NULL)
            abort();
        if (i > 0 && (out[i].priority < out[i - 1].priority ||
                      (out[i].priority == out[i - 1].priority &&
                       out[i].weight > out[i - 1].weight)))
            abort();
    }
    return 0;
}
