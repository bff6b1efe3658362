#include "kdc_transport.h"

#include <errno.h>
#include <profile.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kdc_cert_check.h"
#include "kdc_dns.h"
#include "kdc_pins.h"
#include "kdc_sendto.h"
#include "kerb_context.h"
#include "kerb_log.h"
#include "kerb_tcp.h"

/* sendto_kdc.c: DEFAULT_UDP_PREF_LIMIT, HARD_UDP_LIMIT. */
#define UDP_PREFERENCE_LIMIT 1465
#define UDP_HARD_LIMIT 32700

/* MIT's k5_transport_strategy for one message. */
enum strategy { UDP_FIRST, UDP_LAST };

static enum strategy choose_strategy(profile_t profile, const krb5_data *message)
{
    int limit = kerb_libdefaults_integer(profile, "udp_preference_limit", UDP_PREFERENCE_LIMIT);

    if (limit < 0)
        limit = UDP_PREFERENCE_LIMIT;
    else if (limit > UDP_HARD_LIMIT)
        limit = UDP_HARD_LIMIT;
    return message->length <= (unsigned int)limit ? UDP_FIRST : UDP_LAST;
}

/* Add ENTRY's connections in the order of MIT's resolve_server(): every address over
 * the entry's transport, or for an entry without one, over the preferred transport and
 * then again, deferred, over the other.  An entry of one transport is deferred when
 * that transport is not the preferred one. */
static BOOLEAN add_kdc(struct kdc_sendto *s, const char *entry, enum strategy strategy)
{
    char host[256], port[32], name[KERB_LOG_NAME_SIZE];
    enum kerb_transport transport;
    struct addrinfo *list;
    BOOLEAN ok = TRUE, udp_first = strategy == UDP_FIRST;

    if (!kerb_split_address(entry, "88", host, sizeof(host), port, sizeof(port), &transport)) {
        kerb_log(LOG_NOTICE, "KDC entry '%s': not a host[:port] (skipped)",
                 lsa_log_name(entry, name, sizeof(name)));
        return TRUE;
    }
    if ((list = kerb_tcp_resolve(host, port)) == NULL) {
        kerb_log(LOG_NOTICE, "KDC entry '%s': cannot resolve the host (skipped)",
                 lsa_log_name(entry, name, sizeof(name)));
        return TRUE;
    }
    for (struct addrinfo *ai = list; ai != NULL && ok; ai = ai->ai_next) {
        if (transport == KERB_TRANSPORT_ANY)
            ok = kdc_sendto_add(s, ai, udp_first, FALSE);
        else if (transport == KERB_TRANSPORT_UDP)
            ok = kdc_sendto_add(s, ai, TRUE, !udp_first);
        else
            ok = kdc_sendto_add(s, ai, FALSE, udp_first);
    }
    for (struct addrinfo *ai = list; ai != NULL && ok && transport == KERB_TRANSPORT_ANY;
         ai = ai->ai_next)
        ok = kdc_sendto_add(s, ai, !udp_first, TRUE);
    freeaddrinfo(list);
    return ok;
}

/* REALM's KDCs: a pinned one, then krb5.conf's, or when it lists none and
 * dns_lookup_kdc is true (MIT's default), those of DNS SRV records. */
static BOOLEAN add_kdcs(struct kdc_sendto *s, profile_t profile, const char *realm,
                        const struct kerb_exchange *x, enum strategy strategy, BOOLEAN *found)
{
    char *pinned = kerb_pinned_kdc(realm);
    char **kdcs = kerb_realm_values(profile, realm, "kdc");
    BOOLEAN ok = pinned == NULL || add_kdc(s, pinned, strategy);

    *found = pinned != NULL || kdcs != NULL;
    for (size_t i = 0; ok && kdcs != NULL && kdcs[i] != NULL; i++)
        ok = add_kdc(s, kdcs[i], strategy);
    free(pinned);
    profile_free_list(kdcs);
    if (ok && kdcs == NULL && kerb_libdefaults_boolean(profile, "dns_lookup_kdc", 1)) {
        struct kerb_dns_server servers[KERB_DNS_MAX_SERVERS];
        size_t n = kerb_dns_locate("_kerberos", realm, x, servers, KERB_DNS_MAX_SERVERS);
        if (n > 0)
            *found = TRUE;
        for (size_t i = 0; ok && i < n; i++)
            ok = add_kdc(s, servers[i].entry, strategy);
    }
    return ok;
}

static krb5_error_code send_hook(krb5_context ctx, void *data, const krb5_data *realm_data,
                                 const krb5_data *message, krb5_data **new_message_out,
                                 krb5_data **new_reply_out)
{
    struct kerb_exchange *x = data;
    char realm[256];
    profile_t profile;
    BOOLEAN found = FALSE;
    unsigned char *reply = NULL;
    size_t reply_length = 0;
    enum kerb_io_result r = KERB_IO_FAILED;
    struct kdc_sendto *s;
    enum strategy strategy;
    BOOLEAN ok;
    krb5_error_code code;

    (void)new_message_out;
    if (realm_data->length >= sizeof(realm))
        return KRB5_REALM_UNKNOWN;
    memcpy(realm, realm_data->data, realm_data->length);
    realm[realm_data->length] = '\0';

    if (krb5_get_profile(ctx, &profile) != 0)
        return 0; /* the library reads krb5.conf itself and reports what is wrong */
    strategy = choose_strategy(profile, message);
    s = kdc_sendto_new();
    ok = s != NULL && add_kdcs(s, profile, realm, x, strategy, &found);
    profile_release(profile);
    if (!ok) {
        kdc_sendto_free(s);
        kerb_log(LOG_ERR, "out of memory listing the KDCs of realm %s", realm);
        return ENOMEM;
    }
    if (!found) {
        kdc_sendto_free(s);
        if (kerb_exchange_remaining_ms(x) == 0) {
            x->deadline_passed = TRUE;
            kerb_log(LOG_WARNING, "no KDC of realm %s found before the deadline", realm);
            return KRB5_KDC_UNREACH;
        }
        return 0; /* none listed or found: the library locates the KDC itself */
    }
    r = kdc_sendto_run(s, ctx, message, KERB_MAX_KDC_REPLY, x, &reply, &reply_length);
    BOOLEAN unavailable = kdc_sendto_unavailable(s);
    kdc_sendto_free(s);

    if (r == KERB_IO_TIMEOUT) {
        x->deadline_passed = TRUE;
        kerb_log(LOG_WARNING, "no KDC of realm %s answered before the deadline", realm);
        return KRB5_KDC_UNREACH;
    }
    if (r != KERB_IO_OK && unavailable) {
        kerb_log(LOG_WARNING, "no KDC of realm %s could serve the request", realm);
        return KRB5KDC_ERR_SVC_UNAVAILABLE;
    }
    if (r != KERB_IO_OK) {
        kerb_log(LOG_WARNING, "no KDC of realm %s could be reached", realm);
        return KRB5_KDC_UNREACH;
    }
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
