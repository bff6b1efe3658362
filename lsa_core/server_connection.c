/*
 * lsad: one client socket, one LsaHandle.  Frames are read and answered in order; the
 * first must be CONNECT.  Anything malformed, out of order, or not completed within the
 * request deadline ends this connection only, with a log line naming the cause.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lsa/lsa_ext.h>
#include <lsa/lsa_status.h>
#include <lsa/ntstatus.h>

#include "audit_session.h"
#include "config.h"
#include "core.h"
#include "log.h"
#include "logon_user.h"
#include "lsa_visibility.h"
#include "package_call.h"
#include "server.h"
#include "server_link.h"
#include "server_ops.h"
#include "session.h"
#include "token.h"
#include "array_room.h"

static atomic_int request_timeout_ms = LSA_DEFAULT_REQUEST_TIMEOUT * 1000;
static atomic_size_t client_quota = LSA_DEFAULT_CLIENT_QUOTA;
static atomic_int busy_poll_us = LSA_DEFAULT_BUSY_POLL_US;

LSA_PUBLIC NTSTATUS lsa_server_start(void)
{
    struct lsa *lsa;
    NTSTATUS status = lsa_core_get(&lsa);
    if (status == STATUS_SUCCESS) {
        atomic_store(&request_timeout_ms, lsa->config->request_timeout * 1000);
        atomic_store(&client_quota, lsa->config->client_quota);
        atomic_store(&busy_poll_us, lsa->config->busy_poll_us);
    }
    return status;
}

LSA_PUBLIC void lsa_server_apply(const struct lsa_server_options *o)
{
    atomic_store(&request_timeout_ms, o->request_timeout * 1000);
    atomic_store(&client_quota, o->client_quota);
    atomic_store(&busy_poll_us, o->busy_poll_us);
    lsa_log_set_level(o->log_level);
}

struct client {
    struct lsa_server_peer peer;
    struct lsa_server_link link;
    struct lsa_connection *conn; /* after CONNECT */
    HANDLE *tokens;              /* token handles this client holds */
    size_t token_count, token_capacity;
    struct lsa_wire_frame frame;
    struct lsa_wire_writer out;
};

static const char *request_name(uint16_t type)
{
    static const char *const names[] = {
        [LSA_WIRE_CONNECT] = "CONNECT",
        [LSA_WIRE_DISCONNECT] = "DISCONNECT",
        [LSA_WIRE_LOOKUP_PACKAGE] = "LOOKUP_PACKAGE",
        [LSA_WIRE_CALL_PACKAGE] = "CALL_PACKAGE",
        [LSA_WIRE_LOGON_USER] = "LOGON_USER",
        [LSA_WIRE_ENUMERATE_SESSIONS] = "ENUMERATE_SESSIONS",
        [LSA_WIRE_GET_SESSION_DATA] = "GET_SESSION_DATA",
        [LSA_WIRE_TERMINATE_SESSION] = "TERMINATE_SESSION",
        [LSA_WIRE_ENUMERATE_PACKAGES] = "ENUMERATE_PACKAGES",
        [LSA_WIRE_CLOSE_TOKEN] = "CLOSE_TOKEN",
        [LSA_WIRE_TOKEN_IDENTITY] = "TOKEN_IDENTITY",
    };
    return type < sizeof(names) / sizeof(names[0]) && names[type] ? names[type] : "?";
}

/* Queues the reply and sends everything the request produced. */
static BOOLEAN reply(struct client *c, uint16_t type, const struct lsa_wire_reply *m)
{
    lsa_wire_writer_reset(&c->out);
    lsa_wire_encode_reply(&c->out, type | LSA_WIRE_REPLY, m);
    if (c->out.failed) {
        lsa_log(LOG_ERR, "%s reply does not fit in a frame; refused", request_name(type));
        struct lsa_wire_reply small = { .status = STATUS_INSUFFICIENT_RESOURCES };
        lsa_wire_writer_reset(&c->out);
        lsa_wire_encode_reply(&c->out, type | LSA_WIRE_REPLY, &small);
    }
    lsa_server_link_queue(&c->link, type | LSA_WIRE_REPLY, c->out.data, c->out.length);
    NTSTATUS s = m->status;
    const char *name = lsa_status_name(s);
    if (c->link.offered == 0)
        lsa_log(LOG_DEBUG, "%s from pid %d uid %u: %s (0x%08x)", request_name(type),
                (int)c->peer.pid, (unsigned)c->peer.uid, name ? name : "?", (unsigned)s);
    else
        lsa_log(LOG_DEBUG, "%s from pid %d uid %u: %s (0x%08x), offer of %u bytes %s",
                request_name(type), (int)c->peer.pid, (unsigned)c->peer.uid, name ? name : "?",
                (unsigned)s, (unsigned)c->link.offered, c->link.offer_used ? "taken" : "not taken");
    return lsa_server_link_flush(&c->link);
}

static BOOLEAN protocol_error(struct client *c, const char *what, enum lsa_wire_error e)
{
    lsa_log(LOG_WARNING, "pid %d uid %u sent a malformed %s (%s); connection dropped",
            (int)c->peer.pid, (unsigned)c->peer.uid, what, lsa_wire_error_text(e));
    return FALSE;
}

static BOOLEAN on_connect(struct client *c)
{
    struct lsa_wire_connect m;
    enum lsa_wire_error e = lsa_wire_decode_connect(c->frame.payload, c->frame.header.length, &m);
    if (e != LSA_WIRE_OK)
        return protocol_error(c, "CONNECT", e);
    struct lsa_client_identity id = { c->peer.pid, c->peer.uid, c->peer.gid,
                                      c->peer.trusted_group_member,
                                      c->peer.audit_session != LSA_AUDIT_SESSION_UNSET,
                                      c->peer.audit_session };
    struct lsa_wire_reply r = { .status = STATUS_SUCCESS };
    if (m.trusted && !lsa_client_may_register(&id)) {
        lsa_log(LOG_NOTICE, "pid %d uid %u may not register as a logon process "
                "(not root, not in trusted_group)", (int)c->peer.pid, (unsigned)c->peer.uid);
        r.status = STATUS_PORT_CONNECTION_REFUSED;
    } else {
        r.status = lsa_connection_new(&id, m.trusted, m.name, m.name_length,
                                      &lsa_daemon_client_memory, &c->conn);
    }
    if (r.status == STATUS_SUCCESS) {
        c->conn->memory_context = &c->link;
        c->conn->has_named_logon_id = m.has_logon_id;
        c->conn->named_logon_id = m.logon_id;
        /* A client naming a session of its own makes it its audit session's own. */
        uid_t owner;
        gid_t gid;
        BOOLEAN has_unix;
        if (m.has_logon_id &&
            lsa_session_owner(&m.logon_id, &owner, &gid, &has_unix) == STATUS_SUCCESS &&
            owner == c->peer.uid)
            lsa_audit_session_bind(c->peer.audit_session, owner, &m.logon_id);
        lsa_log(LOG_INFO, "%s connection from pid %d uid %u", m.trusted ? "trusted" : "untrusted",
                (int)c->peer.pid, (unsigned)c->peer.uid);
    }
    return reply(c, LSA_WIRE_CONNECT, &r);
}

static BOOLEAN on_lookup(struct client *c)
{
    struct lsa_wire_lookup m;
    enum lsa_wire_error e = lsa_wire_decode_lookup(c->frame.payload, c->frame.header.length, &m);
    if (e != LSA_WIRE_OK)
        return protocol_error(c, "LOOKUP_PACKAGE", e);
    struct lsa_wire_reply r = { 0 };
    r.status = lsa_server_lookup_package(m.name, m.name_length, &r.value);
    return reply(c, LSA_WIRE_LOOKUP_PACKAGE, &r);
}

/* After a package call: the returned buffers' contents go back ahead of the reply. */
static void settle_buffers(struct client *c, NTSTATUS status)
{
    if (NT_SUCCESS(status))
        lsa_server_link_return_shadows(&c->link);
    else
        lsa_server_link_drop_shadows(&c->link);
}

static BOOLEAN on_call(struct client *c)
{
    struct lsa_wire_call m;
    enum lsa_wire_error e = lsa_wire_decode_call(c->frame.payload, c->frame.header.length, &m);
    if (e != LSA_WIRE_OK)
        return protocol_error(c, "CALL_PACKAGE", e);
    PVOID out = NULL;
    ULONG out_length = 0;
    NTSTATUS protocol = STATUS_SUCCESS;
    c->conn->client_thread_id = (pid_t)m.thread_id;
    lsa_server_link_offer(&c->link, &m.offer);
    NTSTATUS status = lsa_server_call_package(c->conn, m.package_id, m.submit,
                                              (PVOID)(uintptr_t)m.client_base, m.submit_length,
                                              &out, &out_length, &protocol);
    if (c->link.broken)
        return FALSE;
    settle_buffers(c, status);
    struct lsa_wire_reply r = { .status = status, .protocol_status = protocol,
                                .buffer = (uint64_t)(uintptr_t)out, .buffer_length = out_length,
                                .offer_used = c->link.offer_used };
    return reply(c, LSA_WIRE_CALL_PACKAGE, &r);
}

static NTSTATUS keep_token(struct client *c, HANDLE token)
{
    HANDLE *tokens = lsa_array_room(c->tokens, &c->token_capacity, c->token_count,
                                    sizeof(*tokens), 4);
    if (tokens == NULL)
        return STATUS_NO_MEMORY;
    c->tokens = tokens;
    c->tokens[c->token_count++] = token;
    return STATUS_SUCCESS;
}

static BOOLEAN on_logon(struct client *c)
{
    struct lsa_wire_logon m;
    enum lsa_wire_error e = lsa_wire_decode_logon(c->frame.payload, c->frame.header.length, &m);
    if (e != LSA_WIRE_OK)
        return protocol_error(c, "LOGON_USER", e);
    struct lsa_logon_request req = {
        .origin = m.has_origin ? m.origin : NULL,
        .origin_length = m.origin_length,
        .logon_type = (SECURITY_LOGON_TYPE)m.logon_type,
        .package_id = m.package_id,
        .authentication_information = m.authentication,
        .client_base = (PVOID)(uintptr_t)m.client_base,
        .authentication_information_length = m.authentication_length,
        .has_local_groups = m.has_local_groups,
    };
    struct lsa_logon_result res;
    c->conn->client_thread_id = (pid_t)m.thread_id;
    lsa_server_link_offer(&c->link, &m.offer);
    NTSTATUS status = lsa_server_logon_user(c->conn, &req, &res);
    if (NT_SUCCESS(status) && keep_token(c, res.token) != STATUS_SUCCESS) {
        lsa_close_token(res.token);
        status = STATUS_NO_MEMORY;
    }
    if (c->link.broken) {
        if (NT_SUCCESS(status))
            lsa_token_detach(c->tokens[--c->token_count]);
        return FALSE;
    }
    settle_buffers(c, status);
    struct lsa_wire_reply r = { .status = status, .protocol_status = res.sub_status,
                                .offer_used = c->link.offer_used };
    if (NT_SUCCESS(status)) {
        uid_t uid = 0;
        gid_t gid = 0;
        BOOLEAN has_unix = FALSE;
        lsa_session_owner(&res.logon_id, &uid, &gid, &has_unix);
        /* The new session is its owner's own in the audit session it was created in. */
        lsa_audit_session_bind(c->peer.audit_session, uid, &res.logon_id);
        r.buffer = (uint64_t)(uintptr_t)res.profile_buffer;
        r.buffer_length = res.profile_buffer_length;
        r.logon_id = res.logon_id;
        r.token = (uint64_t)(uintptr_t)res.token;
        r.has_unix_identity = has_unix;
        r.uid = uid;
        r.gid = gid;
    }
    return reply(c, LSA_WIRE_LOGON_USER, &r);
}

static BOOLEAN on_enumerate_sessions(struct client *c)
{
    enum lsa_wire_error e = lsa_wire_decode_empty(c->frame.payload, c->frame.header.length);
    if (e != LSA_WIRE_OK)
        return protocol_error(c, "ENUMERATE_SESSIONS", e);
    LUID *ids = NULL;
    ULONG n = 0;
    struct lsa_wire_reply r = { 0 };
    r.status = lsa_sessions_list(c->peer.uid, &ids, &n);
    if (r.status == STATUS_SUCCESS) {
        r.value = n;
        r.data = ids;
        r.data_length = n * (ULONG)sizeof(LUID);
    }
    BOOLEAN ok = reply(c, LSA_WIRE_ENUMERATE_SESSIONS, &r);
    free(ids);
    return ok;
}

static BOOLEAN on_session_data(struct client *c)
{
    LUID luid;
    enum lsa_wire_error e = lsa_wire_decode_luid(c->frame.payload, c->frame.header.length, &luid);
    if (e != LSA_WIRE_OK)
        return protocol_error(c, "GET_SESSION_DATA", e);
    void *data = NULL;
    ULONG size = 0;
    struct lsa_wire_reply r = { 0 };
    r.status = lsa_server_session_data_for(c->peer.uid, &luid, &data, &size);
    if (r.status == STATUS_SUCCESS) {
        r.data = data;
        r.data_length = size;
    }
    BOOLEAN ok = reply(c, LSA_WIRE_GET_SESSION_DATA, &r);
    free(data);
    return ok;
}

static BOOLEAN on_terminate(struct client *c)
{
    LUID luid;
    enum lsa_wire_error e = lsa_wire_decode_luid(c->frame.payload, c->frame.header.length, &luid);
    if (e != LSA_WIRE_OK)
        return protocol_error(c, "TERMINATE_SESSION", e);
    struct lsa_wire_reply r = { .status = lsa_server_terminate_session(c->conn, &luid) };
    return reply(c, LSA_WIRE_TERMINATE_SESSION, &r);
}

static BOOLEAN on_enumerate_packages(struct client *c)
{
    enum lsa_wire_error e = lsa_wire_decode_empty(c->frame.payload, c->frame.header.length);
    if (e != LSA_WIRE_OK)
        return protocol_error(c, "ENUMERATE_PACKAGES", e);
    struct lsa *lsa = lsa_core();
    struct lsa_wire_writer data = { 0 };
    for (size_t i = 0; i < lsa->package_count; i++) {
        const struct lsa_package *p = &lsa->packages[i];
        const char *model = p->model == LSA_PACKAGE_AP ? "AP" : "SSP/AP";
        struct lsa_wire_package m = {
            .id = p->id,
            .name = p->name, .name_length = (uint16_t)strnlen(p->name, 0xffff),
            .model = model, .model_length = (uint16_t)strlen(model),
            .file = p->file, .file_length = (uint16_t)strnlen(p->file, 0xffff),
        };
        lsa_wire_put_package(&data, &m);
    }
    struct lsa_wire_reply r = { .status = data.failed ? STATUS_NO_MEMORY : STATUS_SUCCESS,
                                .value = (ULONG)lsa->package_count, .data = data.data,
                                .data_length = (ULONG)data.length };
    BOOLEAN ok = reply(c, LSA_WIRE_ENUMERATE_PACKAGES, &r);
    lsa_wire_writer_free(&data);
    return ok;
}

static BOOLEAN on_close_token(struct client *c)
{
    uint64_t handle;
    enum lsa_wire_error e = lsa_wire_decode_u64(c->frame.payload, c->frame.header.length, &handle);
    if (e != LSA_WIRE_OK)
        return protocol_error(c, "CLOSE_TOKEN", e);
    struct lsa_wire_reply r = { .status = STATUS_INVALID_HANDLE };
    /* Only a token this client was given: another's handle is as good as a forged one. */
    for (size_t i = 0; i < c->token_count; i++) {
        if ((uint64_t)(uintptr_t)c->tokens[i] == handle) {
            HANDLE token = c->tokens[i];
            c->tokens[i] = c->tokens[--c->token_count];
            r.status = lsa_close_token(token);
            break;
        }
    }
    return reply(c, LSA_WIRE_CLOSE_TOKEN, &r);
}

/* The token's owner now: its session may have ended since the logon. */
static BOOLEAN on_token_identity(struct client *c)
{
    uint64_t handle;
    enum lsa_wire_error e = lsa_wire_decode_u64(c->frame.payload, c->frame.header.length, &handle);
    if (e != LSA_WIRE_OK)
        return protocol_error(c, "TOKEN_IDENTITY", e);
    struct lsa_wire_reply r = { .status = STATUS_INVALID_HANDLE };
    for (size_t i = 0; i < c->token_count; i++) {
        if ((uint64_t)(uintptr_t)c->tokens[i] == handle) {
            uid_t uid = 0;
            gid_t gid = 0;
            r.status = lsa_token_unix_identity(c->tokens[i], &uid, &gid);
            r.has_unix_identity = r.status == STATUS_SUCCESS;
            r.uid = uid;
            r.gid = gid;
            break;
        }
    }
    return reply(c, LSA_WIRE_TOKEN_IDENTITY, &r);
}

/* One request; FALSE ends the connection. */
static BOOLEAN handle(struct client *c)
{
    uint16_t type = c->frame.header.type;
    if (c->frame.header.request_id == 0)
        return protocol_error(c, "frame", LSA_WIRE_BAD_VALUE); /* ids start at 1 */
    if ((type & LSA_WIRE_REPLY) || type >= LSA_WIRE_ALLOCATE) {
        lsa_log(LOG_WARNING, "pid %d uid %u sent an unexpected frame of type 0x%04x; "
                "connection dropped", (int)c->peer.pid, (unsigned)c->peer.uid, type);
        return FALSE;
    }
    if ((c->conn == NULL) != (type == LSA_WIRE_CONNECT)) {
        lsa_log(LOG_WARNING, "pid %d uid %u sent %s %s CONNECT; connection dropped",
                (int)c->peer.pid, (unsigned)c->peer.uid, request_name(type),
                c->conn == NULL ? "before" : "after");
        return FALSE;
    }
    lsa_server_link_begin(&c->link, c->frame.header.request_id, atomic_load(&request_timeout_ms));
    c->link.quota = atomic_load(&client_quota);
    c->link.spin.budget_us = atomic_load(&busy_poll_us);
    switch (type) {
    case LSA_WIRE_CONNECT: return on_connect(c);
    case LSA_WIRE_DISCONNECT: {
        struct lsa_wire_reply r = { .status = STATUS_SUCCESS };
        reply(c, LSA_WIRE_DISCONNECT, &r);
        return FALSE;
    }
    case LSA_WIRE_LOOKUP_PACKAGE: return on_lookup(c);
    case LSA_WIRE_CALL_PACKAGE: return on_call(c);
    case LSA_WIRE_LOGON_USER: return on_logon(c);
    case LSA_WIRE_ENUMERATE_SESSIONS: return on_enumerate_sessions(c);
    case LSA_WIRE_GET_SESSION_DATA: return on_session_data(c);
    case LSA_WIRE_TERMINATE_SESSION: return on_terminate(c);
    case LSA_WIRE_ENUMERATE_PACKAGES: return on_enumerate_packages(c);
    case LSA_WIRE_CLOSE_TOKEN: return on_close_token(c);
    case LSA_WIRE_TOKEN_IDENTITY: return on_token_identity(c);
    }
    return FALSE;
}

LSA_PUBLIC void lsa_server_serve(int fd, const struct lsa_server_peer *peer, int stop_fd)
{
    struct client c;
    memset(&c, 0, sizeof(c));
    c.peer = *peer;
    int flags = fcntl(fd, F_GETFL);
    if (flags >= 0)
        fcntl(fd, F_SETFL, flags | O_NONBLOCK);
    lsa_server_link_init(&c.link, fd, atomic_load(&request_timeout_ms), atomic_load(&client_quota));
    for (;;) {
        lsa_log_set_request_id(0);
        int timeout_ms = atomic_load(&request_timeout_ms);
        /* Spinning for the next request spares a caller that calls back to back a CPU
         * wake-up; it is bounded and backs off for a caller that does not (wire_io.h). */
        enum lsa_wire_io io = lsa_wire_recv(fd, &c.frame, -1, timeout_ms, stop_fd, &c.link.spin);
        if (io == LSA_WIRE_IO_TIMEOUT) {
            lsa_log(LOG_WARNING, "pid %d uid %u sent part of a frame and nothing more for %d s "
                    "(request_timeout); connection dropped", (int)peer->pid, (unsigned)peer->uid,
                    timeout_ms / 1000);
            break;
        }
        if (io == LSA_WIRE_IO_MALFORMED) {
            protocol_error(&c, "frame header", c.frame.error);
            break;
        }
        if (io == LSA_WIRE_IO_BROKEN) {
            lsa_log(LOG_NOTICE, "pid %d uid %u: connection broke inside a frame",
                    (int)peer->pid, (unsigned)peer->uid);
            break;
        }
        if (io != LSA_WIRE_IO_OK)
            break; /* EOF between requests, or lsad is stopping */
        lsa_log_set_request_id(c.frame.header.request_id);
        BOOLEAN more = handle(&c);
        lsa_wire_frame_wipe(&c.frame);
        lsa_wire_writer_reset(&c.out);
        if (!more)
            break;
    }
    lsa_log_set_request_id(0);
    /* The client is gone: its sessions stay until their logon ends, its handles go. */
    for (size_t i = 0; i < c.token_count; i++)
        lsa_token_detach(c.tokens[i]);
    free(c.tokens);
    lsa_connection_release(c.conn);
    lsa_server_link_free(&c.link);
    lsa_wire_frame_free(&c.frame);
    lsa_wire_writer_free(&c.out);
    lsa_log(LOG_DEBUG, "pid %d uid %u disconnected", (int)peer->pid, (unsigned)peer->uid);
}

LSA_PUBLIC int lsa_server_read_options(const char *path, struct lsa_server_options *o, char *err,
                                       size_t errlen)
{
    struct lsa_config *config;
    memset(o, 0, sizeof(*o));
    if (lsa_config_load(path, &config, err, errlen) != 0)
        return -1;
    size_t length = strlen(config->package_dir) + 2;
    for (size_t i = 0; i < config->package_count; i++)
        length += strlen(config->packages[i]) + 1;
    o->packages = malloc(length);
    o->socket_path = strdup(config->socket_path);
    o->trusted_group = config->trusted_group ? strdup(config->trusted_group) : NULL;
    if (o->packages == NULL || o->socket_path == NULL ||
        (config->trusted_group != NULL && o->trusted_group == NULL)) {
        lsa_config_free(config);
        lsa_server_options_free(o);
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    strcpy(o->packages, config->package_dir);
    for (size_t i = 0; i < config->package_count; i++) {
        strcat(o->packages, " ");
        strcat(o->packages, config->packages[i]);
    }
    o->request_timeout = config->request_timeout;
    o->client_quota = config->client_quota;
    o->busy_poll_us = config->busy_poll_us;
    o->log_level = config->log_level;
    lsa_config_free(config);
    return 0;
}

LSA_PUBLIC void lsa_server_options_free(struct lsa_server_options *o)
{
    free(o->socket_path);
    free(o->trusted_group);
    free(o->packages);
    memset(o, 0, sizeof(*o));
}
