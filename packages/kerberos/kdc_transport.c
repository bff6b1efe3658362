#include "kdc_transport.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <profile.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kdc_cert_check.h"
#include "kdc_pins.h"
#include "kerb_log.h"

enum io_result { IO_OK, IO_FAILED, IO_TIMEOUT };

/* Wait for EVENTS on FD until the exchange's deadline. */
static enum io_result wait_for(int fd, short events, struct kerb_exchange *x)
{
    for (;;) {
        int64_t left = kerb_exchange_remaining_ms(x);
        struct pollfd p = { .fd = fd, .events = events };
        int n;

        if (left <= 0)
            return IO_TIMEOUT;
        n = poll(&p, 1, (int)(left > 60000 ? 60000 : left));
        if (n > 0)
            return (p.revents & (events | POLLHUP | POLLERR)) ? IO_OK : IO_FAILED;
        if (n < 0 && errno != EINTR)
            return IO_FAILED;
    }
}

static enum io_result send_all(int fd, const unsigned char *data, size_t length,
                               struct kerb_exchange *x)
{
    while (length > 0) {
        ssize_t n = send(fd, data, length, MSG_NOSIGNAL);
        if (n > 0) {
            data += n;
            length -= (size_t)n;
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            enum io_result r = wait_for(fd, POLLOUT, x);
            if (r != IO_OK)
                return r;
        } else {
            return IO_FAILED;
        }
    }
    return IO_OK;
}

static enum io_result recv_all(int fd, unsigned char *data, size_t length,
                               struct kerb_exchange *x)
{
    while (length > 0) {
        ssize_t n = recv(fd, data, length, 0);
        if (n > 0) {
            data += n;
            length -= (size_t)n;
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            enum io_result r = wait_for(fd, POLLIN, x);
            if (r != IO_OK)
                return r;
        } else {
            return IO_FAILED; /* closed early, or an error */
        }
    }
    return IO_OK;
}

static enum io_result connect_by_deadline(int fd, const struct addrinfo *ai,
                                          struct kerb_exchange *x)
{
    int error = 0;
    socklen_t len = sizeof(error);

    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
        return IO_OK;
    if (errno != EINPROGRESS)
        return IO_FAILED;
    enum io_result r = wait_for(fd, POLLOUT, x);
    if (r != IO_OK)
        return r;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0 || error != 0)
        return IO_FAILED;
    return IO_OK;
}

/* RFC 4120 §7.2.2: a four-byte big-endian length, then the message; the same back. */
static enum io_result exchange_tcp(const struct addrinfo *ai, const krb5_data *message,
                                   unsigned char **reply, size_t *reply_length,
                                   struct kerb_exchange *x)
{
    unsigned char prefix[4];
    uint32_t length;
    enum io_result r;
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);

    if (fd < 0)
        return IO_FAILED;
    r = connect_by_deadline(fd, ai, x);
    prefix[0] = (unsigned char)(message->length >> 24);
    prefix[1] = (unsigned char)(message->length >> 16);
    prefix[2] = (unsigned char)(message->length >> 8);
    prefix[3] = (unsigned char)message->length;
    if (r == IO_OK)
        r = send_all(fd, prefix, 4, x);
    if (r == IO_OK)
        r = send_all(fd, (const unsigned char *)message->data, message->length, x);
    if (r == IO_OK)
        r = recv_all(fd, prefix, 4, x);
    if (r == IO_OK) {
        length = (uint32_t)prefix[0] << 24 | (uint32_t)prefix[1] << 16 |
                 (uint32_t)prefix[2] << 8 | prefix[3];
        if (length == 0 || length > KERB_MAX_KDC_REPLY || (*reply = malloc(length)) == NULL) {
            r = IO_FAILED;
        } else {
            r = recv_all(fd, *reply, length, x);
            if (r == IO_OK)
                *reply_length = length;
            else {
                free(*reply);
                *reply = NULL;
            }
        }
    }
    close(fd);
    return r;
}

/* "host", "host:port", "[v6]", "[v6]:port", optionally after "tcp/" or "udp/" (the
 * transport speaks TCP to every KDC).  FALSE for what it cannot reach (an https://
 * KDC proxy). */
static BOOLEAN split_address(const char *entry, char *host, size_t host_size, char *port,
                             size_t port_size)
{
    const char *end, *colon;

    if (strncmp(entry, "tcp/", 4) == 0 || strncmp(entry, "udp/", 4) == 0)
        entry += 4;
    if (strstr(entry, "://") != NULL)
        return FALSE;
    snprintf(port, port_size, "88");
    if (entry[0] == '[') {
        end = strchr(entry, ']');
        if (end == NULL || (size_t)(end - entry - 1) >= host_size)
            return FALSE;
        memcpy(host, entry + 1, (size_t)(end - entry - 1));
        host[end - entry - 1] = '\0';
        if (end[1] == ':')
            snprintf(port, port_size, "%s", end + 2);
        return TRUE;
    }
    colon = strchr(entry, ':');
    if (colon != NULL && strchr(colon + 1, ':') != NULL)
        colon = NULL; /* a bare IPv6 address */
    if (colon == NULL) {
        snprintf(host, host_size, "%s", entry);
    } else {
        if ((size_t)(colon - entry) >= host_size)
            return FALSE;
        memcpy(host, entry, (size_t)(colon - entry));
        host[colon - entry] = '\0';
        snprintf(port, port_size, "%s", colon + 1);
    }
    return host[0] != '\0';
}

/* Try every address of one KDC entry.  IO_OK with the reply, IO_TIMEOUT when the
 * deadline passed, IO_FAILED when none answered. */
static enum io_result try_kdc(const char *entry, const krb5_data *message,
                              unsigned char **reply, size_t *reply_length,
                              struct kerb_exchange *x)
{
    char host[256], port[32];
    struct addrinfo hints, *list = NULL;
    enum io_result r = IO_FAILED;

    if (!split_address(entry, host, sizeof(host), port, sizeof(port)))
        return IO_FAILED;
    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_ADDRCONFIG;
    if (getaddrinfo(host, port, &hints, &list) != 0)
        return IO_FAILED;
    for (struct addrinfo *ai = list; ai != NULL && r == IO_FAILED; ai = ai->ai_next)
        r = exchange_tcp(ai, message, reply, reply_length, x);
    freeaddrinfo(list);
    return r;
}

static char **configured_kdcs(krb5_context ctx, const char *realm)
{
    profile_t profile = NULL;
    char **values = NULL;
    const char *names[] = { "realms", realm, "kdc", NULL };

    if (krb5_get_profile(ctx, &profile) != 0)
        return NULL;
    if (profile_get_values(profile, names, &values) != 0)
        values = NULL;
    profile_release(profile);
    return values;
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
    enum io_result r = IO_FAILED;
    krb5_error_code code;

    (void)new_message_out;
    if (realm_data->length >= sizeof(realm))
        return KRB5_REALM_UNKNOWN;
    memcpy(realm, realm_data->data, realm_data->length);
    realm[realm_data->length] = '\0';

    pinned = kerb_pinned_kdc(realm);
    kdcs = configured_kdcs(ctx, realm);
    if (pinned == NULL && kdcs == NULL)
        return 0; /* nothing listed: the library locates the KDC itself */
    if (pinned != NULL)
        r = try_kdc(pinned, message, &reply, &reply_length, x);
    for (size_t i = 0; kdcs != NULL && kdcs[i] != NULL && r == IO_FAILED; i++)
        r = try_kdc(kdcs[i], message, &reply, &reply_length, x);
    free(pinned);
    profile_free_list(kdcs);

    if (r == IO_TIMEOUT) {
        x->deadline_passed = TRUE;
        kerb_log(LOG_WARNING, "no KDC of realm %s answered before the deadline", realm);
        return KRB5_KDC_UNREACH;
    }
    if (r != IO_OK)
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
