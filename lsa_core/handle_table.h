/* Handles given to callers (connections, tokens): an index and a generation, never a raw
 * pointer, so a stale or forged handle is STATUS_INVALID_HANDLE instead of a crash. */
#ifndef LSA_CORE_HANDLE_TABLE_H
#define LSA_CORE_HANDLE_TABLE_H

#include <lsa/ntdef.h>

/* LSA_HANDLE_REMOTE: a client-side connection to lsad (transport_daemon.c). */
enum lsa_handle_kind { LSA_HANDLE_CONNECTION = 1, LSA_HANDLE_TOKEN = 2, LSA_HANDLE_REMOTE = 3 };

/* Objects put in the table start with this, so the table can hold references. */
struct lsa_object {
    int refs; /* atomic */
    void (*destroy)(struct lsa_object *object);
};

void lsa_object_init(struct lsa_object *object, void (*destroy)(struct lsa_object *));
void lsa_object_ref(struct lsa_object *object);
void lsa_object_release(struct lsa_object *object);

NTSTATUS lsa_handle_insert(enum lsa_handle_kind kind, struct lsa_object *object, HANDLE *handle);
/* A new reference to the handle's object, or NULL. */
struct lsa_object *lsa_handle_ref(HANDLE handle, enum lsa_handle_kind kind);
/* Closes the handle and drops the table's reference; STATUS_INVALID_HANDLE if not open. */
NTSTATUS lsa_handle_close(HANDLE handle, enum lsa_handle_kind kind);

#endif
