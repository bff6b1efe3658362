#include "kdc_transport.h"

#include <profile.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kdc_cert_check.h"
#include "kdc_pins.h"
#include "kerb_context.h"
#include "kerb_log.h"
#include "kerb_tcp.h"

/* Try every address of one KDC entry.  KERB_IO_OK with the reply, KERB_IO_TIMEOUT when
 * the deadline passed, KERB_IO_FAILED when none answered. */
static enum kerb_io_result try_kdc(const char *entry, const krb5_data *message,
                                   unsigned char **reply, size_t *reply_length,
                                   struct kerb_exchange *x)
{
    char host[256], port[32];
    struct addrinfo *list;
    enum kerb_io_result r = KERB_IO_FAILED;

    if (!kerb_split_address(entry, "88", host, sizeof(host), port, sizeof(port)) ||
        (list = kerb_tcp_resolve(host, port)) == NULL)
        return KERB_IO_FAILED;
    for (struct addrinfo *ai = list; ai != NULL && r == KERB_IO_FAILED; ai = ai->ai_next) {
        int fd;

        r = kerb_tcp_connect(ai, x, &fd);
        if (r == KERB_IO_OK) {
            r = kerb_tcp_exchange(fd, message, KERB_MAX_KDC_REPLY, reply, reply_length, x);
            close(fd);
        }
    }
    freeaddrinfo(list);
    return r;
}

static krb5_error_code send_hook(krb5_context ctx, void *data, const krb5_data *realm_data,
                                 const krb5_data *message, krb5_data **new_message_out,
                                 krb5_data **new_reply_out)
{
    struct kerb_exchange *x = data;
    char realm[256], *pinned;
    char **kdcs;
    unsigned char *reply = NULL;
    size_t reply_length = 0;
    enum kerb_io_result r = KERB_IO_FAILED;
    krb5_error_code code;

    (void)new_message_out;
    if (realm_data->length >= sizeof(realm))
        return KRB5_REALM_UNKNOWN;
    memcpy(realm, realm_data->data, realm_data->length);
    realm[realm_data->length] = '\0';

    pinned = kerb_pinned_kdc(realm);
    kdcs = kerb_realm_values(ctx, realm, "kdc");
    if (pinned == NULL && kdcs == NULL)
        return 0; /* nothing listed: the library locates the KDC itself */
    if (pinned != NULL)
        r = try_kdc(pinned, message, &reply, &reply_length, x);
    for (size_t i = 0; kdcs != NULL && kdcs[i] != NULL && r == KERB_IO_FAILED; i++)
        r = try_kdc(kdcs[i], message, &reply, &reply_length, x);
    free(pinned);
    profile_free_list(kdcs);

    if (r == KERB_IO_TIMEOUT) {
        x->deadline_passed = TRUE;
        kerb_log(LOG_WARNING, "no KDC of realm %s answered before the deadline", realm);
        return KRB5_KDC_UNREACH;
    }
    if (r != KERB_IO_OK)
        return KRB5_KDC_UNREACH;
    x->kdc_answered = TRUE;

    krb5_data answer = { .magic = KV5M_DATA, .length = (unsigned int)reply_length,
                         .data = (char *)reply };
    code = x->strict_kdc ? kerb_kdc_cert_check(x, realm, &answer) : 0;
    if (code == 0)
        code = krb5_copy_data(ctx, &answer, new_reply_out);
    free(reply);
    return code;
}

void kerb_transport_install(krb5_context ctx, struct kerb_exchange *x)
{
    krb5_set_kdc_send_hook(ctx, send_hook, x);
}
