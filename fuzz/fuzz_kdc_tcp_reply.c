/*
 * libFuzzer harness for the TCP reply framing (packages/kerberos/kerb_tcp.c,
 * kerb_tcp_stream_step): the input is what a KDC sent back on the stream, followed by
 * the end of the stream.  The step function must either finish with a reply of exactly
 * the announced length, inside the limit, equal to the bytes after the prefix, or fail;
 * never read past what was sent or loop.  The request goes out on the same socket pair.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kerb_tcp.h"

#define MAX_REPLY 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* kerb_tcp.c's blocking wait is not used here. */
int64_t kerb_exchange_remaining_ms(const struct kerb_exchange *x)
{
    (void)x;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int sv[2];
    char request[] = "request";
    krb5_data message = { .magic = KV5M_DATA, .length = sizeof(request) - 1, .data = request };
    struct kerb_tcp_stream s;
    enum kerb_io_result r;
    int steps = 0;

    if (size > 60000 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
        return 0;
    if (size > 0 && write(sv[1], data, size) != (ssize_t)size)
        abort();
    shutdown(sv[1], SHUT_WR); /* the reply ends here; the request can still go out */
    fcntl(sv[0], F_SETFL, O_NONBLOCK);
    kerb_tcp_stream_init(&s, sv[0], FALSE, &message, MAX_REPLY);
    while ((r = kerb_tcp_stream_step(&s)) == KERB_IO_TIMEOUT) {
        struct pollfd p = { .fd = sv[0], .events = kerb_tcp_stream_events(&s) };

        if (++steps > 10000 || poll(&p, 1, 1000) <= 0)
            abort(); /* no progress on a socket that has all its data */
    }
    if (r == KERB_IO_OK) {
        size_t length;
        unsigned char *reply = kerb_tcp_stream_take(&s, &length);
        size_t announced = size >= 4 ? ((size_t)data[0] << 24 | (size_t)data[1] << 16 |
                                        (size_t)data[2] << 8 | data[3]) : 0;

        if (size < 4 || length != announced || length == 0 || length > MAX_REPLY ||
            4 + length > size || memcmp(reply, data + 4, length) != 0)
            abort();
        free(reply);
    }
    kerb_tcp_stream_clear(&s);
    close(sv[0]);
    close(sv[1]);
    return 0;
}
