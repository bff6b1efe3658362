#include "kerb_tcp.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static enum kerb_io_result send_all(int fd, const unsigned char *data, size_t length,
                                    struct kerb_exchange *x)
{
    while (length > 0) {
        ssize_t n = send(fd, data, length, MSG_NOSIGNAL);
        if (n > 0) {
            data += n;
            length -= (size_t)n;
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            enum kerb_io_result r = wait_for(fd, POLLOUT, x);
            if (r != KERB_IO_OK)
                return r;
        } else {
            return KERB_IO_FAILED;
        }
    }
    return KERB_IO_OK;
}

static enum kerb_io_result recv_all(int fd, unsigned char *data, size_t length,
                                    struct kerb_exchange *x)
{
    while (length > 0) {
        ssize_t n = recv(fd, data, length, 0);
        if (n > 0) {
            data += n;
            length -= (size_t)n;
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            enum kerb_io_result r = wait_for(fd, POLLIN, x);
            if (r != KERB_IO_OK)
                return r;
        } else {
            return KERB_IO_FAILED; /* closed early, or an error */
        }
    }
    return KERB_IO_OK;
}

enum kerb_io_result kerb_tcp_connect(const struct addrinfo *ai, struct kerb_exchange *x,
                                     int *fd_out)
{
    int error = 0;
    socklen_t len = sizeof(error);
    enum kerb_io_result r = KERB_IO_OK;
    int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);

    *fd_out = -1;
    if (fd < 0)
        return KERB_IO_FAILED;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        if (errno != EINPROGRESS)
            r = KERB_IO_FAILED;
        else if ((r = wait_for(fd, POLLOUT, x)) == KERB_IO_OK &&
                 (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0 || error != 0))
            r = KERB_IO_FAILED;
    }
    if (r == KERB_IO_OK)
        *fd_out = fd;
    else
        close(fd);
    return r;
}

enum kerb_io_result kerb_tcp_exchange(int fd, const krb5_data *message, size_t max_reply,
                                      unsigned char **reply, size_t *reply_length,
                                      struct kerb_exchange *x)
{
    unsigned char prefix[4];
    uint32_t length;
    enum kerb_io_result r;

    *reply = NULL;
    *reply_length = 0;
    prefix[0] = (unsigned char)(message->length >> 24);
    prefix[1] = (unsigned char)(message->length >> 16);
    prefix[2] = (unsigned char)(message->length >> 8);
    prefix[3] = (unsigned char)message->length;
    r = send_all(fd, prefix, 4, x);
    if (r == KERB_IO_OK)
        r = send_all(fd, (const unsigned char *)message->data, message->length, x);
    if (r == KERB_IO_OK)
        r = recv_all(fd, prefix, 4, x);
    if (r != KERB_IO_OK)
        return r;
    length = (uint32_t)prefix[0] << 24 | (uint32_t)prefix[1] << 16 |
             (uint32_t)prefix[2] << 8 | prefix[3];
    if (length == 0 || length > max_reply || (*reply = malloc(length)) == NULL)
        return KERB_IO_FAILED;
    r = recv_all(fd, *reply, length, x);
    if (r == KERB_IO_OK) {
        *reply_length = length;
    } else {
        free(*reply);
        *reply = NULL;
    }
    return r;
}

BOOLEAN kerb_split_address(const char *entry, const char *default_port, char *host,
                           size_t host_size, char *port, size_t port_size)
{
    const char *end, *colon;

    if (strncmp(entry, "tcp/", 4) == 0 || strncmp(entry, "udp/", 4) == 0)
        entry += 4;
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
