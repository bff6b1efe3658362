/*
 * libFuzzer harness for the kpasswd reply framing (packages/kerberos/kpasswd_proto.c):
 * the input is what a kpasswd server sent back.  kerb_kpasswd_split_reply() must either
 * refuse it or hand back an AP-REP and a body that lie inside it, side by side, with the
 * body never empty; kerb_kpasswd_parse_result() then reads the body as result data and
 * must keep its result string inside it and its code within RFC 3244's.  A request is
 * framed from the input too, and must come back out of the splitter as its own halves
 * once given a reply header.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kpasswd_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int inside(const krb5_data *part, const krb5_data *whole)
{
    if (part->length == 0)
        return 1;
    return part->data >= whole->data &&
           part->data + part->length <= whole->data + whole->length;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    krb5_data packet = { .magic = KV5M_DATA, .length = (unsigned int)size,
                         .data = (char *)(uintptr_t)data };
    krb5_data ap_rep, body, string, request;
    int code;

    if (size > 0xffff)
        return 0;
    if (kerb_kpasswd_split_reply(&packet, &ap_rep, &body) == 0) {
        if (!inside(&ap_rep, &packet) || !inside(&body, &packet) || body.length == 0)
            abort();
        if (ap_rep.length > 0 && ap_rep.data + ap_rep.length != body.data)
            abort();
        if (kerb_kpasswd_parse_result(&body, &code, &string) == 0 &&
            (!inside(&string, &body) || code < KRB5_KPASSWD_SUCCESS ||
             code > KRB5_KPASSWD_INITIAL_FLAG_NEEDED || string.length + 2 != body.length))
            abort();
    }
    /* Round trip: the input's halves as AP-REQ and KRB-PRIV. */
    if (size >= 2 && size + 6 < 0x5e00) { /* a longer one would start like a KRB-ERROR */
        krb5_data first = { .magic = KV5M_DATA, .length = (unsigned int)(size / 2),
                            .data = (char *)(uintptr_t)data };
        krb5_data second = { .magic = KV5M_DATA, .length = (unsigned int)(size - size / 2),
                             .data = (char *)(uintptr_t)data + size / 2 };
        if (kerb_kpasswd_frame_request(&first, &second, &request) == 0) {
            if (request.length != 6 + size ||
                kerb_kpasswd_split_reply(&request, &ap_rep, &body) != 0 ||
                ap_rep.length != first.length || body.length != second.length ||
                memcmp(ap_rep.data, first.data, first.length) != 0 ||
                memcmp(body.data, second.data, second.length) != 0)
                abort();
            free(request.data);
        }
    }
    return 0;
}
