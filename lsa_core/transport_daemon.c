/*
 * The daemon transport: the LSA is lsad, reached over its Unix socket (lsa.conf socket).
 * Each LsaHandle is one socket, so lsad knows the caller from SO_PEERCRED and the calls
 * of one handle are serialised; the handle-less calls share a private connection.  This
 * file turns each client API call into its request and its reply into the caller's
 * results; transport_daemon.h names the other parts.
 *
 * Failures of the transport itself: lsad not reachable at connect,
 * STATUS_OBJECT_NAME_NOT_FOUND (lsa_status_is_lsa_unreachable); the connection lost or
 * a protocol violation, STATUS_PORT_DISCONNECTED; no reply within request_timeout,
 * STATUS_IO_TIMEOUT.  After either of the last two the handle stays broken.
 *
 * Fork: a child that uses a handle it inherited gets its own socket and connection to
 * lsad (the parent's stays the parent's); tokens stay with the process that logged on.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lsa/ntstatus.h>

#include "core.h"
#include "log.h"
#include "token.h"
#include "transport.h"
#include "transport_daemon.h"

static NTSTATUS daemon_connect(BOOLEAN trusted, const char *name, size_t name_length,
                               HANDLE *handle)
{
    struct lsa_remote *r;
    NTSTATUS status = lsa_remote_new(trusted, name, name_length, &r);
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
    struct lsa_remote *r = lsa_remote_ref(handle);                                         \
    if (r == NULL)                                                                         \
        return STATUS_INVALID_HANDLE;                                                      \
    NTSTATUS lock_status_ = lsa_remote_lock(r);                                            \
    if (lock_status_ != STATUS_SUCCESS) {                                                  \
        lsa_object_release(&r->object);                                                    \
        return lock_status_;                                                               \
    }

static NTSTATUS daemon_lookup_package(HANDLE handle, const char *name, size_t length, PULONG id)
{
    WITH_REMOTE(handle, r);
    struct lsa_wire_lookup m = { name, (uint16_t)length };
    lsa_wire_writer_reset(&r->w);
    lsa_wire_encode_lookup(&r->w, &m);
    struct lsa_wire_reply reply;
    struct lsa_call_buffers b = { 0 };
    NTSTATUS status = lsa_remote_exchange(r, LSA_WIRE_LOOKUP_PACKAGE, &reply, &b);
    lsa_remote_free_buffers(&b);
    if (status == STATUS_SUCCESS) {
        status = reply.status;
        if (status == STATUS_SUCCESS)
            *id = reply.value;
    }
    lsa_remote_unlock(r);
    return status;
}

static NTSTATUS daemon_call_package(HANDLE handle, ULONG id, PVOID submit, ULONG submit_length,
                                    PVOID *return_buffer, PULONG return_length,
                                    PNTSTATUS protocol)
{
    WITH_REMOTE(handle, r);
    struct lsa_call_buffers b = { 0 };
    lsa_remote_offer(r, &r->call_offer_length, &b);
    struct lsa_wire_call m = { .package_id = id, .thread_id = (ULONG)gettid(),
                               .client_base = (uint64_t)(uintptr_t)submit, .offer = b.offer,
                               .submit = submit, .submit_length = submit_length };
    lsa_wire_writer_reset(&r->w);
    lsa_wire_encode_call(&r->w, &m);
    struct lsa_wire_reply reply;
    NTSTATUS status = lsa_remote_exchange(r, LSA_WIRE_CALL_PACKAGE, &reply, &b);
    explicit_bzero(r->w.data, r->w.length); /* submit buffers carry passwords */
    if (status == STATUS_SUCCESS && !NT_SUCCESS(reply.status)) {
        lsa_remote_free_buffers(&b);
        status = reply.status;
    } else if (status == STATUS_SUCCESS) {
        status = lsa_remote_take_buffer(&b, &reply, return_buffer);
        if (status == STATUS_SUCCESS) {
            *return_length = *return_buffer ? reply.buffer_length : 0;
            *protocol = reply.protocol_status;
        }
    }
    lsa_remote_unlock(r);
    return status;
}

static void close_remote_token(struct lsa_object *link, uint64_t remote_handle)
{
    struct lsa_remote *r = (struct lsa_remote *)link;
    pthread_mutex_lock(&r->lock);
    /* Another process's token is not this socket's to close: lsad refuses it. */
    if (!r->broken && r->pid == getpid()) {
        lsa_wire_writer_reset(&r->w);
        lsa_wire_encode_u64(&r->w, remote_handle);
        struct lsa_wire_reply reply;
        struct lsa_call_buffers b = { 0 };
        if (lsa_remote_exchange(r, LSA_WIRE_CLOSE_TOKEN, &reply, &b) == STATUS_SUCCESS &&
            reply.status != STATUS_SUCCESS)
            lsa_log(LOG_WARNING, "lsad refused to close a token: 0x%08x", (unsigned)reply.status);
        lsa_remote_free_buffers(&b);
    }
    pthread_mutex_unlock(&r->lock);
}

/* lsa_token_unix_identity of a token lsad holds for this process: asked again, as the
 * session may have ended. */
static NTSTATUS remote_token_identity(struct lsa_object *link, uint64_t remote_handle,
                                      uid_t *uid, gid_t *gid)
{
    struct lsa_remote *r = (struct lsa_remote *)link;
    pthread_mutex_lock(&r->lock);
    NTSTATUS status = STATUS_PORT_DISCONNECTED;
    if (!r->broken && r->pid == getpid()) {
        lsa_wire_writer_reset(&r->w);
        lsa_wire_encode_u64(&r->w, remote_handle);
        struct lsa_wire_reply reply;
        struct lsa_call_buffers b = { 0 };
        status = lsa_remote_exchange(r, LSA_WIRE_TOKEN_IDENTITY, &reply, &b);
        lsa_remote_free_buffers(&b);
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
    struct lsa_call_buffers b = { 0 };
    lsa_remote_offer(r, &r->logon_offer_length, &b);
    struct lsa_wire_logon m = {
        .thread_id = (ULONG)gettid(),
        .logon_type = (ULONG)req->logon_type,
        .package_id = req->package_id,
        .has_local_groups = req->has_local_groups,
        .origin = req->origin,
        .origin_length = (uint16_t)req->origin_length,
        .has_origin = req->origin != NULL,
        .client_base = (uint64_t)(uintptr_t)req->client_base,
        .offer = b.offer,
        .authentication = req->authentication_information,
        .authentication_length = req->authentication_information_length,
    };
    lsa_wire_writer_reset(&r->w);
    lsa_wire_encode_logon(&r->w, &m);
    struct lsa_wire_reply reply;
    NTSTATUS status = lsa_remote_exchange(r, LSA_WIRE_LOGON_USER, &reply, &b);
    explicit_bzero(r->w.data, r->w.length);
    memset(res, 0, sizeof(*res));
    if (status == STATUS_SUCCESS) {
        res->sub_status = reply.protocol_status;
        status = reply.status;
        if (!NT_SUCCESS(status))
            lsa_remote_free_buffers(&b);
        else
            status = lsa_remote_take_buffer(&b, &reply, &res->profile_buffer);
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
    lsa_remote_unlock(r);
    return status;
}

static NTSTATUS private_request(uint16_t type, const LUID *luid, struct lsa_wire_reply *reply,
                                struct lsa_remote **held)
{
    struct lsa_remote *r;
    NTSTATUS status = lsa_remote_private_ref(&r);
    if (status != STATUS_SUCCESS)
        return status;
    status = lsa_remote_lock(r);
    if (status != STATUS_SUCCESS) {
        lsa_object_release(&r->object);
        return status;
    }
    lsa_wire_writer_reset(&r->w);
    if (luid != NULL)
        lsa_wire_encode_luid(&r->w, luid);
    struct lsa_call_buffers b = { 0 };
    status = lsa_remote_exchange(r, type, reply, &b);
    lsa_remote_free_buffers(&b);
    if (status != STATUS_SUCCESS) {
        lsa_remote_unlock(r);
        return status;
    }
    *held = r; /* the reply points into R's frame: unlocked by the caller */
    return STATUS_SUCCESS;
}

static NTSTATUS daemon_enumerate_sessions(PULONG count, PLUID *list)
{
    struct lsa_wire_reply reply;
    struct lsa_remote *r;
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
    lsa_remote_unlock(r);
    return status;
}

static NTSTATUS daemon_get_session_data(PLUID logon_id, PVOID *block, PULONG length)
{
    struct lsa_wire_reply reply;
    struct lsa_remote *r;
    NTSTATUS status = private_request(LSA_WIRE_GET_SESSION_DATA, logon_id, &reply, &r);
    if (status != STATUS_SUCCESS)
        return status;
    status = reply.status;
    if (status == STATUS_SUCCESS)
        status = lsa_private_return_buffer(reply.data, reply.data_length, block);
    if (status == STATUS_SUCCESS)
        *length = reply.data_length;
    lsa_remote_unlock(r);
    return status;
}

static NTSTATUS daemon_terminate_session(HANDLE handle, PLUID logon_id)
{
    WITH_REMOTE(handle, r);
    lsa_wire_writer_reset(&r->w);
    lsa_wire_encode_luid(&r->w, logon_id);
    struct lsa_wire_reply reply;
    struct lsa_call_buffers b = { 0 };
    NTSTATUS status = lsa_remote_exchange(r, LSA_WIRE_TERMINATE_SESSION, &reply, &b);
    lsa_remote_free_buffers(&b);
    if (status == STATUS_SUCCESS)
        status = reply.status;
    lsa_remote_unlock(r);
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
    struct lsa_call_buffers b = { 0 };
    NTSTATUS status = lsa_remote_exchange(r, LSA_WIRE_ENUMERATE_PACKAGES, &reply, &b);
    lsa_remote_free_buffers(&b);
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
    lsa_remote_unlock(r);
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
