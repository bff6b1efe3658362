#include "connection.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <lsa/ntstatus.h>

#include "client_memory.h"
#include "core.h"

BOOLEAN lsa_client_may_register(const struct lsa_client_identity *client)
{
    return client->uid == 0 || client->trusted_group_member;
}

static void connection_destroy(struct lsa_object *object)
{
    struct lsa_connection *conn = (struct lsa_connection *)object;
    lsa_quota_release(conn->quota);
    free(conn);
}

NTSTATUS lsa_connection_new(const struct lsa_client_identity *client, BOOLEAN trusted,
                            const char *name, size_t name_length,
                            const struct lsa_client_memory_ops *memory,
                            struct lsa_connection **out)
{
    struct lsa *lsa = lsa_core();
    if (name_length > LSA_MAX_NAME_LENGTH)
        return STATUS_NAME_TOO_LONG;
    struct lsa_connection *conn = calloc(1, sizeof(*conn));
    if (conn == NULL)
        return STATUS_NO_MEMORY;
    conn->quota = lsa_quota_new(lsa->config->client_quota);
    if (conn->quota == NULL) {
        free(conn);
        return STATUS_NO_MEMORY;
    }
    lsa_object_init(&conn->object, connection_destroy);
    static atomic_uint_fast64_t next_id = 1;
    conn->id = atomic_fetch_add(&next_id, 1);
    conn->trusted = trusted;
    if (name != NULL)
        memcpy(conn->name, name, name_length);
    conn->client = *client;
    conn->memory = memory;
    *out = conn;
    return STATUS_SUCCESS;
}

void lsa_connection_release(struct lsa_connection *conn)
{
    if (conn != NULL)
        lsa_object_release(&conn->object);
}

static NTSTATUS embedded_allocate(struct lsa_connection *conn, ULONG length, PVOID *address)
{
    return lsa_client_buffer_alloc(conn->quota, length, address);
}

static NTSTATUS embedded_free(struct lsa_connection *conn, PVOID address)
{
    (void)conn;
    return lsa_client_buffer_free(address);
}

static NTSTATUS embedded_copy_to(struct lsa_connection *conn, PVOID address, const void *source,
                                 ULONG length)
{
    (void)conn;
    memcpy(address, source, length);
    return STATUS_SUCCESS;
}

const struct lsa_client_memory_ops lsa_embedded_client_memory = {
    .allocate = embedded_allocate,
    .free = embedded_free,
    .copy_to = embedded_copy_to,
};
