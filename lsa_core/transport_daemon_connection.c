/*
 * The daemon transport's connections: a socket to lsad per LsaHandle, opened and
 * registered with CONNECT; one private connection for the handle-less calls; and, in a
 * forked child that uses a handle it inherited, a socket and connection of its own (the
 * parent's stays the parent's).
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <lsa/lsa_ext.h>
#include <lsa/ntstatus.h>

#include "config.h"
#include "core.h"
#include "log.h"
#include "lsa_visibility.h"
#include "transport.h"
#include "transport_daemon.h"

static const char *socket_path(void)
{
    struct lsa_config *config;
    return lsa_process_config(&config) == STATUS_SUCCESS ? config->socket_path : "";
}

/* A socket connected to lsad, or -1 with *STATUS set and the cause logged. */
static int open_socket(NTSTATUS *status)
{
    const char *path = socket_path();
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof(addr.sun_path)) {
        *status = STATUS_OBJECT_NAME_NOT_FOUND;
        return -1;
    }
    strcpy(addr.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        lsa_log(LOG_ERR, "cannot make a socket for lsad: %s", strerror(errno));
        *status = STATUS_INSUFFICIENT_RESOURCES;
        return -1;
    }
    int rc;
    do
        rc = connect(fd, (struct sockaddr *)&addr, sizeof(addr));
    while (rc != 0 && errno == EINTR);
    if (rc != 0) {
        int e = errno;
        lsa_log(LOG_ERR, "lsad is not reachable at %s: %s (lsa.conf mode = daemon)", path,
                strerror(e));
        *status = e == EACCES ? STATUS_ACCESS_DENIED : STATUS_OBJECT_NAME_NOT_FOUND;
        close(fd);
        return -1;
    }
    return fd;
}

/* Sends CONNECT on R's socket; R->lock held (or R not yet shared). */
static NTSTATUS handshake(struct lsa_remote *r)
{
    struct lsa_wire_connect m = { .trusted = r->trusted, .name = r->name,
                                  .name_length = (uint16_t)r->name_length };
    m.has_logon_id = lsa_parse_logon_id(getenv("LSA_LOGON_ID"), &m.logon_id);
    lsa_wire_writer_reset(&r->w);
    lsa_wire_encode_connect(&r->w, &m);
    struct lsa_wire_reply reply;
    struct lsa_call_buffers b = { 0 };
    NTSTATUS status = lsa_remote_exchange(r, LSA_WIRE_CONNECT, &reply, &b);
    lsa_remote_free_buffers(&b);
    return status == STATUS_SUCCESS ? reply.status : status;
}

NTSTATUS lsa_remote_lock(struct lsa_remote *r)
{
    pthread_mutex_lock(&r->lock);
    if (r->pid == getpid())
        return STATUS_SUCCESS;
    close(r->fd); /* the parent's socket: this process's copy of it only */
    r->fd = -1;
    r->broken = TRUE;
    NTSTATUS status;
    int fd = open_socket(&status);
    if (fd >= 0) {
        r->fd = fd;
        r->pid = getpid();
        r->broken = FALSE;
        status = handshake(r);
        if (status != STATUS_SUCCESS)
            r->broken = TRUE;
    }
    if (status != STATUS_SUCCESS) {
        pthread_mutex_unlock(&r->lock);
        return status == STATUS_PORT_CONNECTION_REFUSED ? status : STATUS_PORT_DISCONNECTED;
    }
    return STATUS_SUCCESS;
}

void lsa_remote_unlock(struct lsa_remote *r)
{
    lsa_wire_frame_wipe(&r->in); /* a reply may carry keys and tickets */
    lsa_wire_writer_reset(&r->w);
    pthread_mutex_unlock(&r->lock);
    lsa_object_release(&r->object);
}

static void remote_destroy(struct lsa_object *object)
{
    struct lsa_remote *r = (struct lsa_remote *)object;
    if (r->fd >= 0)
        close(r->fd); /* lsad sees the end of the connection and releases what it held */
    lsa_quota_release(r->quota);
    lsa_wire_frame_free(&r->in);
    lsa_wire_writer_free(&r->w);
    pthread_mutex_destroy(&r->lock);
    free(r);
}

static atomic_bool ever_connected;

BOOLEAN lsa_daemon_connected(void)
{
    return atomic_load(&ever_connected);
}

NTSTATUS lsa_remote_new(BOOLEAN trusted, const char *name, size_t name_length,
                        struct lsa_remote **out)
{
    struct lsa_config *config;
    NTSTATUS status = lsa_process_config(&config);
    if (status != STATUS_SUCCESS)
        return status;
    if (name_length >= sizeof(((struct lsa_remote *)0)->name))
        return STATUS_NAME_TOO_LONG;
    struct lsa_remote *r = calloc(1, sizeof(*r));
    if (r == NULL)
        return STATUS_NO_MEMORY;
    r->quota = lsa_quota_new(config->client_quota);
    if (r->quota == NULL) {
        free(r);
        return STATUS_NO_MEMORY;
    }
    pthread_mutex_init(&r->lock, NULL);
    lsa_object_init(&r->object, remote_destroy);
    r->trusted = trusted;
    if (name_length > 0)
        memcpy(r->name, name, name_length);
    r->name_length = name_length;
    r->spin.budget_us = config->busy_poll_us;
    r->pid = getpid();
    r->fd = open_socket(&status);
    if (r->fd >= 0)
        status = handshake(r);
    if (status != STATUS_SUCCESS) {
        lsa_object_release(&r->object);
        return status;
    }
    atomic_store(&ever_connected, 1);
    *out = r;
    return STATUS_SUCCESS;
}

struct lsa_remote *lsa_remote_ref(HANDLE handle)
{
    return (struct lsa_remote *)lsa_handle_ref(handle, LSA_HANDLE_REMOTE);
}

static pthread_mutex_t private_lock = PTHREAD_MUTEX_INITIALIZER;
static struct lsa_remote *private_remote;

NTSTATUS lsa_remote_private_ref(struct lsa_remote **out)
{
    pthread_mutex_lock(&private_lock);
    if (private_remote != NULL && private_remote->broken && private_remote->pid == getpid()) {
        lsa_object_release(&private_remote->object);
        private_remote = NULL;
    }
    NTSTATUS status = STATUS_SUCCESS;
    if (private_remote == NULL)
        status = lsa_remote_new(FALSE, NULL, 0, &private_remote);
    if (status == STATUS_SUCCESS) {
        lsa_object_ref(&private_remote->object);
        *out = private_remote;
    }
    pthread_mutex_unlock(&private_lock);
    return status;
}

/* Whether lsad answers at its socket (mode = auto). */
BOOLEAN lsa_daemon_reachable(void)
{
    const char *path = socket_path();
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof(addr.sun_path))
        return FALSE;
    strcpy(addr.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return FALSE;
    BOOLEAN ok = connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0;
    close(fd);
    return ok;
}

LSA_PUBLIC BOOLEAN lsa_status_is_lsa_unreachable(NTSTATUS status)
{
    return status == STATUS_OBJECT_NAME_NOT_FOUND || status == STATUS_PORT_DISCONNECTED ||
           status == STATUS_IO_TIMEOUT;
}
