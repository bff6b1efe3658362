#include "call.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lsa/ntstatus.h>

#include "audit_session.h"
#include "log.h"
#include "session.h"
#include "zero_alloc.h"

static _Thread_local struct lsa_call *current_call;
static _Thread_local pid_t current_tid; /* gettid is a system call: once per thread */
static pthread_once_t tid_reset_once = PTHREAD_ONCE_INIT;

/* A forked child's thread has a new id but inherits the parent thread's cached one. */
static void forget_tid(void)
{
    current_tid = 0;
}

static void register_tid_reset(void)
{
    pthread_atfork(NULL, NULL, forget_tid);
}

void lsa_call_begin(struct lsa_call *call, struct lsa_connection *conn, BOOLEAN in_process,
                    const void *submit_base, const void *submit_bytes, ULONG submit_length)
{
    memset(call, 0, sizeof(*call));
    call->conn = conn;
    call->outer = current_call;
    call->in_process = in_process;
    if (current_tid == 0) {
        pthread_once(&tid_reset_once, register_tid_reset);
        current_tid = gettid();
    }
    call->thread_id = conn != NULL && conn->client_thread_id != 0 ? conn->client_thread_id
                                                                  : current_tid;
    call->submit_base = submit_base;
    call->submit_bytes = submit_bytes;
    call->submit_length = submit_length;
    call->buffers = call->inline_buffers;
    call->buffer_capacity = LSA_CALL_INLINE_BUFFERS;
    current_call = call;
}

static void free_tracked(struct lsa_call *call, PVOID address)
{
    if (call->in_process)
        free(address);
    else
        call->conn->memory->free(call->conn, address);
}

void lsa_call_end(struct lsa_call *call, PVOID keep)
{
    size_t dropped = 0;
    for (size_t i = 0; i < call->buffer_count; i++) {
        if (call->buffers[i].address == keep)
            continue;
        free_tracked(call, call->buffers[i].address);
        dropped++;
    }
    if (dropped > 0 && keep != NULL)
        lsa_log(LOG_WARNING, "a package left %zu client buffer(s) it did not return; freed", dropped);
    if (call->buffers != call->inline_buffers)
        free(call->buffers);
    current_call = call->outer;
}

NTSTATUS lsa_submit_copy_make(struct lsa_submit_copy *copy, const void *submit, size_t length)
{
    copy->length = length;
    copy->bytes = length <= sizeof(copy->small) ? copy->small : malloc(length);
    if (copy->bytes == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (length > 0)
        memcpy(copy->bytes, submit, length);
    return STATUS_SUCCESS;
}

void lsa_submit_copy_drop(struct lsa_submit_copy *copy)
{
    if (copy->bytes == NULL)
        return;
    explicit_bzero(copy->bytes, copy->length);
    if (copy->bytes != copy->small)
        free(copy->bytes);
    copy->bytes = NULL;
}

struct lsa_call *lsa_call_current(void)
{
    return current_call;
}

const struct lsa_call *lsa_call_origin(const struct lsa_call *call)
{
    while (call != NULL && call->outer != NULL)
        call = call->outer;
    return call;
}

/* The request handed to a package is the call itself; anything else is refused rather
 * than dereferenced. */
static struct lsa_call *call_of(PLSA_CLIENT_REQUEST request)
{
    struct lsa_call *call = (struct lsa_call *)request;
    for (struct lsa_call *c = current_call; c != NULL; c = c->outer)
        if (c == call)
            return call;
    return NULL;
}

static struct lsa_call_buffer *tracked(struct lsa_call *call, const void *address, size_t length)
{
    uintptr_t a = (uintptr_t)address;
    for (size_t i = 0; i < call->buffer_count; i++) {
        uintptr_t base = (uintptr_t)call->buffers[i].address;
        if (a >= base && a - base <= call->buffers[i].length &&
            length <= call->buffers[i].length - (a - base))
            return &call->buffers[i];
    }
    return NULL;
}

BOOLEAN lsa_call_owns_buffer(const struct lsa_call *call, const void *address, ULONG length)
{
    for (size_t i = 0; i < call->buffer_count; i++)
        if (call->buffers[i].address == address)
            return length <= call->buffers[i].length;
    return FALSE;
}

NTSTATUS NTAPI lsa_allocate_client_buffer(PLSA_CLIENT_REQUEST request, ULONG length, PVOID *address)
{
    struct lsa_call *call = call_of(request);
    if (call == NULL || address == NULL)
        return STATUS_INVALID_PARAMETER;
    *address = NULL;
    if (call->buffer_count == call->buffer_capacity) {
        size_t grown = call->buffer_capacity * 2;
        BOOLEAN on_heap = call->buffers != call->inline_buffers;
        struct lsa_call_buffer *bigger =
            realloc(on_heap ? call->buffers : NULL, grown * sizeof(*bigger));
        if (bigger == NULL)
            return STATUS_NO_MEMORY;
        if (!on_heap)
            memcpy(bigger, call->inline_buffers, sizeof(call->inline_buffers));
        call->buffers = bigger;
        call->buffer_capacity = grown;
    }
    NTSTATUS status;
    if (call->in_process) {
        *address = lsa_zero_alloc(length ? length : 1);
        status = *address ? STATUS_SUCCESS : STATUS_NO_MEMORY;
    } else {
        status = call->conn->memory->allocate(call->conn, length, address);
    }
    if (!NT_SUCCESS(status)) {
        if (status == STATUS_QUOTA_EXCEEDED)
            lsa_log(LOG_NOTICE, "client buffer of %u bytes refused: client quota exceeded", length);
        return status;
    }
    call->buffers[call->buffer_count++] = (struct lsa_call_buffer){ *address, length };
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI lsa_free_client_buffer(PLSA_CLIENT_REQUEST request, PVOID address)
{
    struct lsa_call *call = call_of(request);
    if (call == NULL)
        return STATUS_INVALID_PARAMETER;
    if (address == NULL)
        return STATUS_SUCCESS;
    for (size_t i = 0; i < call->buffer_count; i++) {
        if (call->buffers[i].address == address) {
            free_tracked(call, address);
            call->buffers[i] = call->buffers[--call->buffer_count];
            return STATUS_SUCCESS;
        }
    }
    return STATUS_INVALID_PARAMETER;
}

/* A package may write only into client buffers this call allocated. */
NTSTATUS NTAPI lsa_copy_to_client_buffer(PLSA_CLIENT_REQUEST request, ULONG length, PVOID address,
                                         PVOID source)
{
    struct lsa_call *call = call_of(request);
    if (call == NULL || (length > 0 && (address == NULL || source == NULL)))
        return STATUS_INVALID_PARAMETER;
    if (length == 0)
        return STATUS_SUCCESS;
    if (tracked(call, address, length) == NULL) {
        lsa_log(LOG_ERR, "CopyToClientBuffer outside the call's client buffers refused");
        return STATUS_ACCESS_VIOLATION;
    }
    if (call->in_process) {
        memcpy(address, source, length);
        return STATUS_SUCCESS;
    }
    return call->conn->memory->copy_to(call->conn, address, source, length);
}

/* A package may read only the range the client submitted (its embedded pointers point
 * there), never elsewhere in the client. */
NTSTATUS NTAPI lsa_copy_from_client_buffer(PLSA_CLIENT_REQUEST request, ULONG length,
                                           PVOID destination, PVOID address)
{
    struct lsa_call *call = call_of(request);
    if (call == NULL || (length > 0 && (address == NULL || destination == NULL)))
        return STATUS_INVALID_PARAMETER;
    if (length == 0)
        return STATUS_SUCCESS;
    uintptr_t a = (uintptr_t)address, base = (uintptr_t)call->submit_base;
    if (call->submit_base == NULL || a < base || a - base > call->submit_length ||
        length > call->submit_length - (a - base)) {
        lsa_log(LOG_ERR, "CopyFromClientBuffer outside the submitted buffer refused");
        return STATUS_ACCESS_VIOLATION;
    }
    /* The bytes as submitted: the client's own memory in embedded mode, the request's
     * payload in lsad; the address is relocated into them. */
    memcpy(destination, (const unsigned char *)call->submit_bytes + (a - base), length);
    return STATUS_SUCCESS;
}

BOOLEAN lsa_parse_logon_id(const char *text, LUID *luid)
{
    char *end;
    if (text == NULL || *text == '\0')
        return FALSE;
    unsigned long long v = strtoull(text, &end, 16);
    if (*end != '\0')
        return FALSE;
    luid->LowPart = (ULONG)v;
    luid->HighPart = (LONG)(v >> 32);
    return TRUE;
}

LUID lsa_call_client_logon_id(const struct lsa_call *call)
{
    const struct lsa_call *origin = lsa_call_origin(call);
    LUID none = { 0, 0 };
    if (origin == NULL || origin->conn == NULL)
        return none;
    uid_t uid = origin->conn->client.uid;

    const char *env = getenv("LSA_LOGON_ID");
    LUID named = { 0, 0 };
    BOOLEAN has_named = FALSE;
    if (origin->conn->has_named_logon_id) {
        named = origin->conn->named_logon_id;
        has_named = TRUE;
    } else if (env != NULL && origin->conn->client.pid == getpid()) {
        has_named = lsa_parse_logon_id(env, &named);
    }
    if (has_named) {
        uid_t owner;
        gid_t gid;
        BOOLEAN has_unix;
        if (lsa_session_owner(&named, &owner, &gid, &has_unix) == STATUS_SUCCESS &&
            owner == uid)
            return named;
    }
    LUID own;
    if (origin->conn->client.has_audit_session &&
        lsa_audit_session_lookup(origin->conn->client.audit_session, uid, &own))
        return own;
    if (uid == 0)
        return (LUID)SYSTEM_LUID;
    return lsa_session_latest_of_uid(uid);
}

NTSTATUS NTAPI lsa_get_client_info(PSECPKG_CLIENT_INFO info)
{
    const struct lsa_call *call = current_call;
    const struct lsa_call *origin = lsa_call_origin(call);
    if (info == NULL)
        return STATUS_INVALID_PARAMETER;
    if (origin == NULL || origin->conn == NULL)
        return STATUS_INVALID_SERVER_STATE; /* not inside a client call */
    memset(info, 0, sizeof(*info));
    info->LogonId = lsa_call_client_logon_id(call);
    info->ProcessID = (ULONG)origin->conn->client.pid;
    info->ThreadID = (ULONG)origin->thread_id;
    info->HasTcbPrivilege = origin->conn->trusted;
    info->ImpersonationLevel = SecurityImpersonation;
    return STATUS_SUCCESS;
}

BOOLEAN NTAPI lsa_get_call_info(PSECPKG_CALL_INFO info)
{
    const struct lsa_call *call = current_call;
    const struct lsa_call *origin = lsa_call_origin(call);
    if (info == NULL || origin == NULL || origin->conn == NULL)
        return FALSE;
    memset(info, 0, sizeof(*info));
    info->ProcessId = (ULONG)origin->conn->client.pid;
    info->ThreadId = (ULONG)origin->thread_id;
    if (origin->conn->trusted)
        info->Attributes |= SECPKG_CALL_IS_TCB;
    if (call->in_process)
        info->Attributes |= SECPKG_CALL_IN_PROC | SECPKG_CALL_RECURSIVE;
    info->CallCount = 1;
    return TRUE;
}

NTSTATUS NTAPI lsa_get_client_unix_info(struct lsa_client_unix_info *info)
{
    const struct lsa_call *origin = lsa_call_origin(current_call);
    if (info == NULL)
        return STATUS_INVALID_PARAMETER;
    if (origin == NULL || origin->conn == NULL)
        return STATUS_INVALID_SERVER_STATE;
    info->uid = origin->conn->client.uid;
    info->gid = origin->conn->client.gid;
    info->pid = origin->conn->client.pid;
    info->trusted = origin->conn->trusted;
    info->connection_id = origin->conn->id;
    return STATUS_SUCCESS;
}
