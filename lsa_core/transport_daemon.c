/*
 * The daemon transport: the LSA is lsad, reached over its Unix socket (lsa.conf socket).
 * Each LsaHandle is one socket, so lsad knows the caller from SO_PEERCRED and the calls
 * of one handle are serialised; the handle-less calls share a private connection.
 *
 * While lsad works on a call it may ask for return buffers: they are allocated here,
 * against this connection's quota, and filled from the WRITE frames that precede the
 * reply; if the call fails, every buffer allocated for it is freed.
 *
 * Failures of the transport itself: lsad not reachable at connect,
 * STATUS_OBJECT_NAME_NOT_FOUND (lsa_status_is_lsa_unreachable); the connection lost or
 * a protocol violation, STATUS_PORT_DISCONNECTED; no reply within request_timeout,
 * STATUS_IO_TIMEOUT.  After either of the last two the handle stays broken.
 *
 * Fork: a child that uses a handle it inherited gets its own socket and connection to
 * lsad (the parent's stays the parent's); tokens stay with the process that logged on.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <lsa/lsa_ext.h>
#include <lsa/ntstatus.h>

#include "call.h"
#include "client_memory.h"
#include "core.h"
#include "log.h"
#include "lsa_visibility.h"
#include "token.h"
#include "transport.h"
#include "wire_io.h"

struct remote {
    struct lsa_object object;
    pthread_mutex_t lock;
    int fd;
    pid_t pid; /* the process the socket was opened by */
    BOOLEAN broken;
    BOOLEAN trusted;
    char name[128];
    size_t name_length;
    struct lsa_quota *quota;
    struct lsa_wire_frame in;
    struct lsa_wire_writer w;
};

/* The buffers lsad allocated in this process for the call in progress. */
struct call_buffers {
    struct lsa_call_buffer *items;
    size_t count, capacity;
};

static uint64_t next_request_id(void)
{
    /* The pid keeps the ids of different clients apart in lsad's log. */
    static atomic_uint_fast32_t counter;
    return ((uint64_t)(uint32_t)getpid() << 32) | (uint32_t)(atomic_fetch_add(&counter, 1) + 1);
}

static int timeout_ms(void)
{
    struct lsa_config *config;
    if (lsa_process_config(&config) != STATUS_SUCCESS)
        return LSA_DEFAULT_REQUEST_TIMEOUT * 1000;
    return config->request_timeout * 1000;
}

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

static void buffers_free_all(struct call_buffers *b, PVOID keep)
{
    for (size_t i = 0; i < b->count; i++)
        if (b->items[i].address != keep)
            lsa_client_buffer_free(b->items[i].address);
    free(b->items);
    memset(b, 0, sizeof(*b));
}

static struct lsa_call_buffer *buffer_find(struct call_buffers *b, uint64_t address)
{
    for (size_t i = 0; i < b->count; i++)
        if ((uint64_t)(uintptr_t)b->items[i].address == address)
            return &b->items[i];
    return NULL;
}

/* The answer to an ALLOCATE frame. */
static BOOLEAN on_allocate(struct remote *r, struct call_buffers *b, uint64_t id)
{
    uint32_t length;
    if (lsa_wire_decode_u32(r->in.payload, r->in.header.length, &length) != LSA_WIRE_OK)
        return FALSE;
    struct lsa_wire_reply answer = { 0 };
    PVOID address = NULL;
    if (b->count == b->capacity) {
        size_t capacity = b->capacity ? b->capacity * 2 : 4;
        struct lsa_call_buffer *bigger = realloc(b->items, capacity * sizeof(*bigger));
        if (bigger != NULL) {
            b->items = bigger;
            b->capacity = capacity;
        }
    }
    if (b->count == b->capacity)
        answer.status = STATUS_NO_MEMORY;
    else
        answer.status = lsa_client_buffer_alloc(r->quota, length, &address);
    if (answer.status == STATUS_SUCCESS) {
        b->items[b->count++] = (struct lsa_call_buffer){ address, length };
        answer.buffer = (uint64_t)(uintptr_t)address;
    }
    lsa_wire_writer_reset(&r->w);
    lsa_wire_encode_reply(&r->w, LSA_WIRE_ALLOCATE | LSA_WIRE_REPLY, &answer);
    return lsa_wire_send(r->fd, LSA_WIRE_ALLOCATE | LSA_WIRE_REPLY, id, r->w.data, r->w.length,
                         lsa_wire_now_ms() + timeout_ms()) == LSA_WIRE_IO_OK;
}

static BOOLEAN on_free(struct remote *r, struct call_buffers *b)
{
    uint64_t address;
    if (lsa_wire_decode_u64(r->in.payload, r->in.header.length, &address) != LSA_WIRE_OK)
        return FALSE;
    struct lsa_call_buffer *item = buffer_find(b, address);
    if (item == NULL)
        return FALSE; /* lsad frees only what it allocated in this call */
    lsa_client_buffer_free(item->address);
    *item = b->items[--b->count];
    return TRUE;
}

static BOOLEAN on_write(struct remote *r, struct call_buffers *b)
{
    struct lsa_wire_write m;
    if (lsa_wire_decode_write(r->in.payload, r->in.header.length, &m) != LSA_WIRE_OK)
        return FALSE;
    struct lsa_call_buffer *item = buffer_find(b, m.address);
    if (item == NULL || m.offset > item->length || m.length > item->length - m.offset)
        return FALSE;
    if (m.length > 0)
        memcpy((unsigned char *)item->address + m.offset, m.bytes, m.length);
    return TRUE;
}

/* Sends the request in R->w as TYPE and waits for its reply, serving lsad's in-call
 * frames meanwhile.  Called with R->lock held.  On a transport failure the buffers of
 * the call are freed and the handle is broken. */
static NTSTATUS exchange(struct remote *r, uint16_t type, struct lsa_wire_reply *reply,
                         struct call_buffers *b)
{
    if (r->broken)
        return STATUS_PORT_DISCONNECTED;
    if (r->w.failed) {
        lsa_log(LOG_ERR, "request too large for one lsad frame (%u bytes at most)",
                LSA_WIRE_MAX_PAYLOAD);
        return STATUS_INVALID_PARAMETER;
    }
    uint64_t id = next_request_id();
    int limit = timeout_ms();
    int64_t deadline = lsa_wire_now_ms() + limit;
    const char *why = NULL;
    NTSTATUS status = STATUS_PORT_DISCONNECTED;
    enum lsa_wire_io io = lsa_wire_send(r->fd, type, id, r->w.data, r->w.length, deadline);
    while (io == LSA_WIRE_IO_OK) {
        io = lsa_wire_recv(r->fd, &r->in, deadline, limit, -1);
        if (io != LSA_WIRE_IO_OK)
            break;
        uint16_t t = r->in.header.type;
        BOOLEAN ok = r->in.header.request_id == id;
        if (ok && t == (type | LSA_WIRE_REPLY)) {
            if (lsa_wire_decode_reply(t, r->in.payload, r->in.header.length, reply) ==
                LSA_WIRE_OK)
                return STATUS_SUCCESS;
            ok = FALSE;
        } else if (ok && t == LSA_WIRE_ALLOCATE) {
            ok = on_allocate(r, b, id);
        } else if (ok && t == LSA_WIRE_FREE) {
            ok = on_free(r, b);
        } else if (ok && t == LSA_WIRE_WRITE) {
            ok = on_write(r, b);
        } else {
            ok = FALSE;
        }
        if (!ok) {
            why = "lsad sent a frame that does not belong to the call";
            break;
        }
    }
    if (io == LSA_WIRE_IO_TIMEOUT) {
        status = STATUS_IO_TIMEOUT;
        why = "no reply from lsad within request_timeout";
    } else if (io == LSA_WIRE_IO_MALFORMED) {
        why = lsa_wire_error_text(r->in.error);
    } else if (why == NULL) {
        why = "the connection to lsad was lost";
    }
    lsa_log(LOG_ERR, "req=%llx: %s", (unsigned long long)id, why);
    r->broken = TRUE;
    buffers_free_all(b, NULL);
    return status;
}

/* Sends CONNECT on R's socket; R->lock held (or R not yet shared). */
static NTSTATUS handshake(struct remote *r)
{
    struct lsa_wire_connect m = { .trusted = r->trusted, .name = r->name,
                                  .name_length = (uint16_t)r->name_length };
    m.has_logon_id = lsa_parse_logon_id(getenv("LSA_LOGON_ID"), &m.logon_id);
    lsa_wire_writer_reset(&r->w);
    lsa_wire_encode_connect(&r->w, &m);
    struct lsa_wire_reply reply;
    struct call_buffers b = { 0 };
    NTSTATUS status = exchange(r, LSA_WIRE_CONNECT, &reply, &b);
    buffers_free_all(&b, NULL);
    return status == STATUS_SUCCESS ? reply.status : status;
}

/* Locks R for a request, first giving a forked child a connection of its own. */
static NTSTATUS remote_lock(struct remote *r)
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

static void remote_destroy(struct lsa_object *object)
{
    struct remote *r = (struct remote *)object;
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

static NTSTATUS remote_new(BOOLEAN trusted, const char *name, size_t name_length,
                           struct remote **out)
{
    struct lsa_config *config;
    NTSTATUS status = lsa_process_config(&config);
    if (status != STATUS_SUCCESS)
        return status;
    if (name_length >= sizeof(((struct remote *)0)->name))
        return STATUS_NAME_TOO_LONG;
    struct remote *r = calloc(1, sizeof(*r));
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

static struct remote *remote_ref(HANDLE handle)
{
    return (struct remote *)lsa_handle_ref(handle, LSA_HANDLE_REMOTE);
}

/* ---- the private connection of the handle-less calls ------------------------------- */

static pthread_mutex_t private_lock = PTHREAD_MUTEX_INITIALIZER;
static struct remote *private_remote;

static NTSTATUS private_ref(struct remote **out)
{
    pthread_mutex_lock(&private_lock);
    if (private_remote != NULL && private_remote->broken && private_remote->pid == getpid()) {
        lsa_object_release(&private_remote->object);
        private_remote = NULL;
    }
    NTSTATUS status = STATUS_SUCCESS;
    if (private_remote == NULL)
        status = remote_new(FALSE, NULL, 0, &private_remote);
    if (status == STATUS_SUCCESS) {
        lsa_object_ref(&private_remote->object);
        *out = private_remote;
    }
    pthread_mutex_unlock(&private_lock);
    return status;
}

/* ---- the transport ------------------------------------------------------------------ */

static NTSTATUS daemon_connect(BOOLEAN trusted, const char *name, size_t name_length,
                               HANDLE *handle)
{
    struct remote *r;
    NTSTATUS status = remote_new(trusted, name, name_length, &r);
    if (status != STATUS_SUCCESS)
        return status;
    status = lsa_handle_insert(LSA_HANDLE_REMOTE, &r->object, handle);
    if (status != STATUS_SUCCESS)
        lsa_object_release(&r->object); /* else the table holds our reference */
    return status;
}

static NTSTATUS daemon_disconnect(HANDLE handle)
{
    return lsa_handle_close(handle, LSA_HANDLE_REMOTE);
}

/* Runs a request of TYPE (its payload already in R->w) on HANDLE's connection. */
#define WITH_REMOTE(handle, r)                                                             \
    struct remote *r = remote_ref(handle);                                                 \
    if (r == NULL)                                                                         \
        return STATUS_INVALID_HANDLE;                                                      \
    NTSTATUS lock_status_ = remote_lock(r);                                                \
    if (lock_status_ != STATUS_SUCCESS) {                                                  \
        lsa_object_release(&r->object);                                                    \
        return lock_status_;                                                               \
    }

static void remote_unlock(struct remote *r)
{
    lsa_wire_frame_wipe(&r->in); /* a reply may carry keys and tickets */
    lsa_wire_writer_reset(&r->w);
    pthread_mutex_unlock(&r->lock);
    lsa_object_release(&r->object);
}

static NTSTATUS daemon_lookup_package(HANDLE handle, const char *name, size_t length, PULONG id)
{
    WITH_REMOTE(handle, r);
    struct lsa_wire_lookup m = { name, (uint16_t)length };
    lsa_wire_writer_reset(&r->w);
    lsa_wire_encode_lookup(&r->w, &m);
    struct lsa_wire_reply reply;
    struct call_buffers b = { 0 };
    NTSTATUS status = exchange(r, LSA_WIRE_LOOKUP_PACKAGE, &reply, &b);
    buffers_free_all(&b, NULL);
    if (status == STATUS_SUCCESS) {
        status = reply.status;
        if (status == STATUS_SUCCESS)
            *id = reply.value;
    }
    remote_unlock(r);
    return status;
}

/* The returned buffer must be one lsad had allocated in this call; the others go. */
static NTSTATUS take_buffer(struct call_buffers *b, uint64_t address, ULONG length, PVOID *out)
{
    *out = NULL;
    if (address != 0) {
        struct lsa_call_buffer *item = buffer_find(b, address);
        if (item == NULL || length > item->length) {
            lsa_log(LOG_ERR, "lsad returned a buffer it had not allocated in the call");
            buffers_free_all(b, NULL);
            return STATUS_PORT_DISCONNECTED;
        }
        *out = item->address;
    }
    buffers_free_all(b, *out);
    return STATUS_SUCCESS;
}

static NTSTATUS daemon_call_package(HANDLE handle, ULONG id, PVOID submit, ULONG submit_length,
                                    PVOID *return_buffer, PULONG return_length,
                                    PNTSTATUS protocol)
{
    WITH_REMOTE(handle, r);
    struct lsa_wire_call m = { id, (ULONG)gettid(), (uint64_t)(uintptr_t)submit, submit,
                               submit_length };
    lsa_wire_writer_reset(&r->w);
    lsa_wire_encode_call(&r->w, &m);
    struct lsa_wire_reply reply;
    struct call_buffers b = { 0 };
    NTSTATUS status = exchange(r, LSA_WIRE_CALL_PACKAGE, &reply, &b);
    explicit_bzero(r->w.data, r->w.length); /* submit buffers carry passwords */
    if (status == STATUS_SUCCESS && !NT_SUCCESS(reply.status)) {
        buffers_free_all(&b, NULL);
        status = reply.status;
    } else if (status == STATUS_SUCCESS) {
        status = take_buffer(&b, reply.buffer, reply.buffer_length, return_buffer);
        if (status == STATUS_SUCCESS) {
            *return_length = *return_buffer ? reply.buffer_length : 0;
            *protocol = reply.protocol_status;
        }
    }
    remote_unlock(r);
    return status;
}

static void close_remote_token(struct lsa_object *link, uint64_t remote_handle)
{
    struct remote *r = (struct remote *)link;
    pthread_mutex_lock(&r->lock);
    /* Another process's token is not this socket's to close: lsad refuses it. */
    if (!r->broken && r->pid == getpid()) {
        lsa_wire_writer_reset(&r->w);
        lsa_wire_encode_u64(&r->w, remote_handle);
        struct lsa_wire_reply reply;
        struct call_buffers b = { 0 };
        if (exchange(r, LSA_WIRE_CLOSE_TOKEN, &reply, &b) == STATUS_SUCCESS &&
            reply.status != STATUS_SUCCESS)
            lsa_log(LOG_WARNING, "lsad refused to close a token: 0x%08x", (unsigned)reply.status);
        buffers_free_all(&b, NULL);
    }
    pthread_mutex_unlock(&r->lock);
}

/* lsa_token_unix_identity of a token lsad holds for this process: asked again, as the
 * session may have ended. */
static NTSTATUS remote_token_identity(struct lsa_object *link, uint64_t remote_handle,
                                      uid_t *uid, gid_t *gid)
{
    struct remote *r = (struct remote *)link;
    pthread_mutex_lock(&r->lock);
    NTSTATUS status = STATUS_PORT_DISCONNECTED;
    if (!r->broken && r->pid == getpid()) {
        lsa_wire_writer_reset(&r->w);
        lsa_wire_encode_u64(&r->w, remote_handle);
        struct lsa_wire_reply reply;
        struct call_buffers b = { 0 };
        status = exchange(r, LSA_WIRE_TOKEN_IDENTITY, &reply, &b);
        buffers_free_all(&b, NULL);
        if (status == STATUS_SUCCESS) {
            status = reply.status;
            *uid = reply.uid;
            *gid = reply.gid;
        }
    }
    pthread_mutex_unlock(&r->lock);
    return status;
}

static NTSTATUS daemon_logon_user(HANDLE handle, const struct lsa_logon_request *req,
                                  struct lsa_logon_result *res)
{
    WITH_REMOTE(handle, r);
    struct lsa_wire_logon m = {
        .thread_id = (ULONG)gettid(),
        .logon_type = (ULONG)req->logon_type,
        .package_id = req->package_id,
        .has_local_groups = req->has_local_groups,
        .origin = req->origin,
        .origin_length = (uint16_t)req->origin_length,
        .has_origin = req->origin != NULL,
        .client_base = (uint64_t)(uintptr_t)req->client_base,
        .authentication = req->authentication_information,
        .authentication_length = req->authentication_information_length,
    };
    lsa_wire_writer_reset(&r->w);
    lsa_wire_encode_logon(&r->w, &m);
    struct lsa_wire_reply reply;
    struct call_buffers b = { 0 };
    NTSTATUS status = exchange(r, LSA_WIRE_LOGON_USER, &reply, &b);
    explicit_bzero(r->w.data, r->w.length);
    memset(res, 0, sizeof(*res));
    if (status == STATUS_SUCCESS) {
        res->sub_status = reply.protocol_status;
        status = reply.status;
        if (!NT_SUCCESS(status))
            buffers_free_all(&b, NULL);
        else
            status = take_buffer(&b, reply.buffer, reply.buffer_length, &res->profile_buffer);
    }
    if (NT_SUCCESS(status)) {
        struct lsa_remote_token token = {
            .logon_id = reply.logon_id, .has_unix_identity = reply.has_unix_identity,
            .uid = reply.uid, .gid = reply.gid, .remote_handle = reply.token,
            .link = &r->object, .close = close_remote_token,
            .identity = remote_token_identity,
        };
        res->profile_buffer_length = res->profile_buffer ? reply.buffer_length : 0;
        res->logon_id = reply.logon_id;
        /* Unlocked first: a token that cannot be made is closed, which takes the lock. */
        pthread_mutex_unlock(&r->lock);
        NTSTATUS made = lsa_token_create_remote(&token, &res->token);
        if (made != STATUS_SUCCESS) {
            lsa_client_buffer_free(res->profile_buffer);
            memset(res, 0, sizeof(*res));
            status = made;
        }
        lsa_object_release(&r->object);
        return status;
    }
    remote_unlock(r);
    return status;
}

static NTSTATUS private_request(uint16_t type, const LUID *luid, struct lsa_wire_reply *reply,
                                struct remote **held)
{
    struct remote *r;
    NTSTATUS status = private_ref(&r);
    if (status != STATUS_SUCCESS)
        return status;
    status = remote_lock(r);
    if (status != STATUS_SUCCESS) {
        lsa_object_release(&r->object);
        return status;
    }
    lsa_wire_writer_reset(&r->w);
    if (luid != NULL)
        lsa_wire_encode_luid(&r->w, luid);
    struct call_buffers b = { 0 };
    status = exchange(r, type, reply, &b);
    buffers_free_all(&b, NULL);
    if (status != STATUS_SUCCESS) {
        remote_unlock(r);
        return status;
    }
    *held = r; /* the reply points into R's frame: unlocked by the caller */
    return STATUS_SUCCESS;
}

static NTSTATUS daemon_enumerate_sessions(PULONG count, PLUID *list)
{
    struct lsa_wire_reply reply;
    struct remote *r;
    NTSTATUS status = private_request(LSA_WIRE_ENUMERATE_SESSIONS, NULL, &reply, &r);
    if (status != STATUS_SUCCESS)
        return status;
    status = reply.status;
    PVOID buffer = NULL;
    if (status == STATUS_SUCCESS)
        status = lsa_private_return_buffer(reply.data, reply.data_length, &buffer);
    if (status == STATUS_SUCCESS) {
        *count = reply.value;
        *list = buffer;
    }
    remote_unlock(r);
    return status;
}

static NTSTATUS daemon_get_session_data(PLUID logon_id, PVOID *block, PULONG length)
{
    struct lsa_wire_reply reply;
    struct remote *r;
    NTSTATUS status = private_request(LSA_WIRE_GET_SESSION_DATA, logon_id, &reply, &r);
    if (status != STATUS_SUCCESS)
        return status;
    status = reply.status;
    if (status == STATUS_SUCCESS)
        status = lsa_private_return_buffer(reply.data, reply.data_length, block);
    if (status == STATUS_SUCCESS)
        *length = reply.data_length;
    remote_unlock(r);
    return status;
}

static NTSTATUS daemon_terminate_session(HANDLE handle, PLUID logon_id)
{
    WITH_REMOTE(handle, r);
    lsa_wire_writer_reset(&r->w);
    lsa_wire_encode_luid(&r->w, logon_id);
    struct lsa_wire_reply reply;
    struct call_buffers b = { 0 };
    NTSTATUS status = exchange(r, LSA_WIRE_TERMINATE_SESSION, &reply, &b);
    buffers_free_all(&b, NULL);
    if (status == STATUS_SUCCESS)
        status = reply.status;
    remote_unlock(r);
    return status;
}

static void copy_field(char *to, size_t size, const char *from, size_t length)
{
    if (length >= size)
        length = size - 1;
    if (length > 0)
        memcpy(to, from, length);
    to[length] = '\0';
}

static NTSTATUS daemon_enumerate_packages(HANDLE handle, LSA_PACKAGE_INFO **packages,
                                          PULONG count)
{
    WITH_REMOTE(handle, r);
    lsa_wire_writer_reset(&r->w);
    struct lsa_wire_reply reply;
    struct call_buffers b = { 0 };
    NTSTATUS status = exchange(r, LSA_WIRE_ENUMERATE_PACKAGES, &reply, &b);
    buffers_free_all(&b, NULL);
    if (status == STATUS_SUCCESS)
        status = reply.status;
    PVOID buffer = NULL;
    if (status == STATUS_SUCCESS && reply.value > LSA_WIRE_MAX_PAYLOAD / 10)
        status = STATUS_PORT_DISCONNECTED; /* more entries than the frame can hold */
    if (status == STATUS_SUCCESS)
        status = lsa_client_buffer_alloc(r->quota, reply.value * sizeof(LSA_PACKAGE_INFO), &buffer);
    if (status == STATUS_SUCCESS) {
        LSA_PACKAGE_INFO *info = buffer;
        struct lsa_wire_reader rd;
        struct lsa_wire_package p;
        ULONG n = 0;
        lsa_wire_reader_init(&rd, reply.data, reply.data_length);
        while (n < reply.value && lsa_wire_next_package(&rd, &p)) {
            info[n].id = p.id;
            copy_field(info[n].name, sizeof(info[n].name), p.name, p.name_length);
            copy_field(info[n].model, sizeof(info[n].model), p.model, p.model_length);
            copy_field(info[n].file, sizeof(info[n].file), p.file, p.file_length);
            n++;
        }
        if (n != reply.value || lsa_wire_reader_end(&rd) != LSA_WIRE_OK) {
            lsa_log(LOG_ERR, "lsad sent a malformed package list");
            lsa_client_buffer_free(buffer);
            status = STATUS_PORT_DISCONNECTED;
        } else {
            *packages = info;
            *count = n;
        }
    }
    remote_unlock(r);
    return status;
}

const struct lsa_transport lsa_daemon_transport = {
    .connect = daemon_connect,
    .disconnect = daemon_disconnect,
    .lookup_package = daemon_lookup_package,
    .call_package = daemon_call_package,
    .logon_user = daemon_logon_user,
    .enumerate_sessions = daemon_enumerate_sessions,
    .get_session_data = daemon_get_session_data,
    .terminate_session = daemon_terminate_session,
    .enumerate_packages = daemon_enumerate_packages,
};

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
