#include "kerb_tcp.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/uio.h>
#include <unistd.h>

/* Wait for EVENTS on FD until the exchange's deadline. */
static enum kerb_io_result wait_for(int fd, short events, struct kerb_exchange *x)
{
    for (;;) {
        int64_t left = kerb_exchange_remaining_ms(x);
        struct pollfd p = { .fd = fd, .events = events };
        int n;

        if (left <= 0)
            return KERB_IO_TIMEOUT;
        n = poll(&p, 1, (int)(left > 60000 ? 60000 : left));
        if (n > 0)
            return (p.revents & (events | POLLHUP | POLLERR)) ? KERB_IO_OK : KERB_IO_FAILED;
        if (n < 0 && errno != EINTR)
            return KERB_IO_FAILED;
    }
}

enum kerb_io_result kerb_tcp_start(const struct sockaddr *addr, socklen_t addr_length,
                                   int *fd_out)
{
    int fd = socket(addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);

    *fd_out = -1;
    if (fd < 0)
        return KERB_IO_FAILED;
    if (connect(fd, addr, addr_length) != 0 && errno != EINPROGRESS) {
        int saved = errno;

        close(fd);
        errno = saved;
        return KERB_IO_FAILED;
    }
    *fd_out = fd;
    return KERB_IO_OK;
}

enum kerb_io_result kerb_tcp_connect(const struct addrinfo *ai, struct kerb_exchange *x,
                                     int *fd_out)
{
    int fd, error = 0;
    socklen_t len = sizeof(error);
    enum kerb_io_result r = kerb_tcp_start(ai->ai_addr, ai->ai_addrlen, &fd);

    *fd_out = -1;
    if (r != KERB_IO_OK)
        return r;
    if ((r = wait_for(fd, POLLOUT, x)) == KERB_IO_OK &&
        (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0 || error != 0))
        r = KERB_IO_FAILED;
    if (r == KERB_IO_OK)
        *fd_out = fd;
    else
        close(fd);
    return r;
}

void kerb_tcp_stream_init(struct kerb_tcp_stream *s, int fd, BOOLEAN connecting,
                          const krb5_data *message, size_t max_reply)
{
    memset(s, 0, sizeof(*s));
    s->fd = fd;
    s->connecting = connecting;
    s->message = message;
    s->max_reply = max_reply;
    s->prefix[0] = (unsigned char)(message->length >> 24);
    s->prefix[1] = (unsigned char)(message->length >> 16);
    s->prefix[2] = (unsigned char)(message->length >> 8);
    s->prefix[3] = (unsigned char)message->length;
}

short kerb_tcp_stream_events(const struct kerb_tcp_stream *s)
{
    return (s->connecting || s->sent < 4 + (size_t)s->message->length) ? POLLOUT : POLLIN;
}

static enum kerb_io_result stream_failed(struct kerb_tcp_stream *s, int error)
{
    s->error = error;
    return KERB_IO_FAILED;
}

/* Write what the socket takes of the prefix and the message. */
static enum kerb_io_result stream_write(struct kerb_tcp_stream *s)
{
    size_t total = 4 + (size_t)s->message->length;

    while (s->sent < total) {
        struct iovec iov[2];
        struct msghdr m = { .msg_iov = iov };
        ssize_t n;

        if (s->sent < 4) {
            iov[0] = (struct iovec){ s->prefix + s->sent, 4 - s->sent };
            iov[1] = (struct iovec){ s->message->data, s->message->length };
            m.msg_iovlen = 2;
        } else {
            iov[0] = (struct iovec){ s->message->data + (s->sent - 4), total - s->sent };
            m.msg_iovlen = 1;
        }
        n = sendmsg(s->fd, &m, MSG_NOSIGNAL);
        if (n > 0)
            s->sent += (size_t)n;
        else if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return KERB_IO_TIMEOUT;
        else
            return stream_failed(s, n < 0 ? errno : EPIPE);
    }
    return KERB_IO_TIMEOUT; /* written: now the reply */
}

static enum kerb_io_result stream_read(struct kerb_tcp_stream *s)
{
    for (;;) {
        unsigned char *to;
        size_t want;
        ssize_t n;

        if (s->prefix_read < 4) {
            to = s->prefix + s->prefix_read;
            want = 4 - s->prefix_read;
        } else {
            to = s->reply + s->reply_read;
            want = s->reply_length - s->reply_read;
        }
        n = recv(s->fd, to, want, 0);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return KERB_IO_TIMEOUT;
        if (n <= 0)
            return stream_failed(s, n < 0 ? errno : ECONNRESET); /* closed early */
        if (s->prefix_read < 4) {
            s->prefix_read += (size_t)n;
            if (s->prefix_read < 4)
                continue;
            s->reply_length = (uint32_t)s->prefix[0] << 24 | (uint32_t)s->prefix[1] << 16 |
                              (uint32_t)s->prefix[2] << 8 | s->prefix[3];
            if (s->reply_length == 0 || s->reply_length > s->max_reply)
                return stream_failed(s, EMSGSIZE);
            if ((s->reply = malloc(s->reply_length)) == NULL)
                return stream_failed(s, ENOMEM);
        } else {
            s->reply_read += (size_t)n;
            if (s->reply_read == s->reply_length)
                return KERB_IO_OK;
        }
    }
}

enum kerb_io_result kerb_tcp_stream_step(struct kerb_tcp_stream *s)
{
    if (s->connecting) {
        int error = 0;
        socklen_t len = sizeof(error);

        if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0)
            return stream_failed(s, errno);
        if (error != 0)
            return stream_failed(s, error);
        s->connecting = FALSE;
    }
    if (s->sent < 4 + (size_t)s->message->length)
        return stream_write(s);
    return stream_read(s);
}

unsigned char *kerb_tcp_stream_take(struct kerb_tcp_stream *s, size_t *length)
{
    unsigned char *reply = s->reply;

    *length = s->reply_length;
    s->reply = NULL;
    return reply;
}

void kerb_tcp_stream_clear(struct kerb_tcp_stream *s)
{
    free(s->reply);
    s->reply = NULL;
}

enum kerb_io_result kerb_tcp_exchange(int fd, const krb5_data *message, size_t max_reply,
                                      unsigned char **reply, size_t *reply_length,
                                      struct kerb_exchange *x)
{
    struct kerb_tcp_stream s;
    enum kerb_io_result r;

    *reply = NULL;
    *reply_length = 0;
    kerb_tcp_stream_init(&s, fd, FALSE, message, max_reply);
    while ((r = kerb_tcp_stream_step(&s)) == KERB_IO_TIMEOUT) {
        r = wait_for(fd, kerb_tcp_stream_events(&s), x);
        if (r != KERB_IO_OK)
            break;
    }
    if (r == KERB_IO_OK)
        *reply = kerb_tcp_stream_take(&s, reply_length);
    kerb_tcp_stream_clear(&s);
    return r;
}

BOOLEAN kerb_split_address(const char *entry, const char *default_port, char *host,
                           size_t host_size, char *port, size_t port_size,
                           enum kerb_transport *transport)
{
    const char *end, *colon;
    enum kerb_transport t = KERB_TRANSPORT_ANY;

    /* MIT locate_kdc.c: the prefix is matched case-insensitively. */
    if (strncasecmp(entry, "tcp/", 4) == 0)
        t = KERB_TRANSPORT_TCP;
    else if (strncasecmp(entry, "udp/", 4) == 0)
        t = KERB_TRANSPORT_UDP;
    if (t != KERB_TRANSPORT_ANY)
        entry += 4;
    if (transport != NULL)
        *transport = t;
    if (strstr(entry, "://") != NULL)
        return FALSE;
    snprintf(port, port_size, "%s", default_port);
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

struct addrinfo *kerb_tcp_resolve(const char *host, const char *port)
{
    struct addrinfo hints, *list = NULL;

    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_ADDRCONFIG;
    if (getaddrinfo(host, port, &hints, &list) != 0)
        return NULL;
    return list;
}
