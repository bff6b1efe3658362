#include "kerb_udp.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <unistd.h>

int kerb_udp_open(const struct sockaddr *addr, socklen_t addr_length, int *fd_out)
{
    int fd = socket(addr->sa_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);

    *fd_out = -1;
    if (fd < 0)
        return -1;
    if (connect(fd, addr, addr_length) != 0) {
        int saved = errno;

        close(fd);
        errno = saved;
        return -1;
    }
    *fd_out = fd;
    return 0;
}

int kerb_udp_send(int fd, const krb5_data *message)
{
    ssize_t n;

    do
        n = send(fd, message->data, message->length, MSG_NOSIGNAL);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    if ((size_t)n != message->length) {
        errno = EMSGSIZE;
        return -1;
    }
    return 0;
}

int kerb_udp_receive(int fd, size_t max_reply, unsigned char **reply, size_t *reply_length)
{
    size_t size = max_reply < KERB_MAX_UDP_REPLY ? max_reply : KERB_MAX_UDP_REPLY;
    unsigned char *buffer = malloc(size);
    ssize_t n;

    *reply = NULL;
    *reply_length = 0;
    if (buffer == NULL)
        return -1;
    do
        n = recv(fd, buffer, size, MSG_TRUNC); /* n: the datagram's real length */
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        int saved = errno;

        free(buffer);
        errno = saved;
        return (saved == EAGAIN || saved == EWOULDBLOCK) ? 0 : -1;
    }
    if (n == 0 || (size_t)n > size) {
        free(buffer);
        return 0;
    }
    *reply = buffer;
    *reply_length = (size_t)n;
    return 1;
}
