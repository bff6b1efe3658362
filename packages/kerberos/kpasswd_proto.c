#include "kpasswd_proto.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static unsigned get16(const unsigned char *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

static void put16(unsigned char *p, size_t value)
{
    p[0] = (unsigned char)(value >> 8);
    p[1] = (unsigned char)value;
}

krb5_error_code kerb_kpasswd_frame_request(const krb5_data *ap_req, const krb5_data *priv,
                                           krb5_data *out)
{
    size_t length = 6 + (size_t)ap_req->length + priv->length;
    unsigned char *p;

    out->magic = KV5M_DATA;
    out->length = 0;
    out->data = NULL;
    if (length > 0xffff)
        return KRB5KRB_ERR_FIELD_TOOLONG;
    p = malloc(length);
    if (p == NULL)
        return ENOMEM;
    put16(p, length);
    put16(p + 2, KERB_KPASSWD_VERSION);
    put16(p + 4, ap_req->length);
    memcpy(p + 6, ap_req->data, ap_req->length);
    memcpy(p + 6 + ap_req->length, priv->data, priv->length);
    out->data = (char *)p;
    out->length = (unsigned int)length;
    return 0;
}

/* A KRB-ERROR is [APPLICATION 30] (0x7e); MIT also takes 0x5e, as here.  A framed
 * reply starts with its length, below 0x5e00 for any real one. */
static int is_krb_error(const krb5_data *packet)
{
    return packet->length > 0 && ((unsigned char)packet->data[0] == 0x7e ||
                                  (unsigned char)packet->data[0] == 0x5e);
}

krb5_error_code kerb_kpasswd_split_reply(const krb5_data *packet, krb5_data *ap_rep,
                                         krb5_data *body)
{
    const unsigned char *p = (const unsigned char *)packet->data;
    unsigned version, ap_rep_length;

    memset(ap_rep, 0, sizeof(*ap_rep));
    memset(body, 0, sizeof(*body));
    ap_rep->magic = body->magic = KV5M_DATA;
    if (is_krb_error(packet)) {
        *body = *packet; /* an old server's bare KRB-ERROR */
        return 0;
    }
    if (packet->length < 6 || get16(p) != packet->length)
        return KRB5KRB_AP_ERR_MODIFIED;
    version = get16(p + 2);
    if (version != KERB_KPASSWD_VERSION && version != KERB_KPASSWD_SET_VERSION)
        return KRB5KDC_ERR_BAD_PVNO;
    ap_rep_length = get16(p + 4);
    if (ap_rep_length > packet->length - 6 || packet->length - 6 - ap_rep_length == 0)
        return KRB5KRB_AP_ERR_MODIFIED;
    ap_rep->length = ap_rep_length;
    ap_rep->data = ap_rep_length ? packet->data + 6 : NULL;
    body->length = packet->length - 6 - ap_rep_length;
    body->data = packet->data + 6 + ap_rep_length;
    return 0;
}

krb5_error_code kerb_kpasswd_parse_result(const krb5_data *result, int *result_code,
                                          krb5_data *string)
{
    const unsigned char *p = (const unsigned char *)result->data;

    memset(string, 0, sizeof(*string));
    string->magic = KV5M_DATA;
    if (result->length < 2)
        return KRB5KRB_AP_ERR_MODIFIED;
    *result_code = (int)get16(p);
    if (*result_code < KRB5_KPASSWD_SUCCESS || *result_code > KRB5_KPASSWD_INITIAL_FLAG_NEEDED)
        return KRB5KRB_AP_ERR_MODIFIED;
    string->length = result->length - 2;
    string->data = string->length ? result->data + 2 : NULL;
    return 0;
}
