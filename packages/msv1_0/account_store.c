/*
 * The account store's operations (account_store.h) over a backend (store_backend.h).
 *
 * A store path "NAME:REST" whose NAME is a known backend selects that backend for REST
 * (as Samba's "passdb backend = smbpasswd:/path"); any other path is an smbpasswd file,
 * the default backend.
 *
 * Every operation is one backend transaction, from the files as they are now: readers
 * share the lock, writers hold it alone (process safety), and a mutex serialises the
 * threads using one struct msv_store (thread safety; the file lock also orders threads
 * using different handles).  An edit callback runs under both and must not call the
 * store.  The exception is a lookup the backend answers from its process-wide cache
 * (cached_lookup): it proves the files unchanged since a read transaction loaded them,
 * so it needs neither the lock nor the handle's mutex (the cache has its own).
 */
#include "account_store.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <lsa/ntstatus.h>

#include "store_backend.h"

struct msv_store {
    const struct msv_store_backend *backend;
    char *path; /* without the backend prefix */
    struct msv_store_cache *cache; /* the backend's, shared by every handle; may be NULL */
    pthread_mutex_t mutex;
};

static const struct msv_store_backend *const backends[] = {
    &msv_store_backend_smbpasswd,
};

static const struct msv_store_backend *backend_for(const char *path, const char **rest)
{
    for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++) {
        size_t n = strlen(backends[i]->name);
        if (strncmp(path, backends[i]->name, n) == 0 && path[n] == ':') {
            *rest = path + n + 1;
            return backends[i];
        }
    }
    *rest = path;
    return backends[0];
}

NTSTATUS msv_store_create(const char *path)
{
    if (path == NULL || *path == '\0')
        return STATUS_INVALID_PARAMETER;
    const char *rest;
    const struct msv_store_backend *backend = backend_for(path, &rest);
    return backend->create(rest);
}

NTSTATUS msv_store_open(const char *path, struct msv_store **store)
{
    if (path == NULL || *path == '\0' || store == NULL)
        return STATUS_INVALID_PARAMETER;
    *store = NULL;
    const char *rest;
    const struct msv_store_backend *backend = backend_for(path, &rest);
    struct msv_store_cache *cache = NULL;
    NTSTATUS status = backend->check(rest, &cache);
    if (status != STATUS_SUCCESS)
        return status;
    struct msv_store *s = calloc(1, sizeof(*s));
    if (s == NULL)
        return STATUS_NO_MEMORY;
    s->backend = backend;
    s->cache = cache;
    s->path = strdup(rest);
    if (s->path == NULL || pthread_mutex_init(&s->mutex, NULL) != 0) {
        free(s->path);
        free(s);
        return STATUS_NO_MEMORY;
    }
    *store = s;
    return STATUS_SUCCESS;
}

void msv_store_close(struct msv_store *store)
{
    if (store == NULL)
        return;
    pthread_mutex_destroy(&store->mutex);
    free(store->path);
    free(store);
}

/* ---- transactions ------------------------------------------------------------------ */

struct txn {
    struct msv_store *store;
    struct msv_store_txn *backend_txn;
    struct msv_store_table table;
};

static NTSTATUS txn_begin(struct msv_store *store, BOOLEAN write, struct txn *t)
{
    t->store = store;
    t->backend_txn = NULL;
    msv_table_init(&t->table);
    pthread_mutex_lock(&store->mutex);
    NTSTATUS status = store->backend->begin(store->path, store->cache, write, &t->backend_txn,
                                             &t->table);
    if (status != STATUS_SUCCESS)
        pthread_mutex_unlock(&store->mutex);
    return status;
}

static void txn_end(struct txn *t)
{
    t->store->backend->end(t->backend_txn);
    pthread_mutex_unlock(&t->store->mutex);
    msv_table_clear(&t->table);
}

static NTSTATUS txn_commit(struct txn *t)
{
    return t->store->backend->commit(t->backend_txn, &t->table);
}

/* ---- operations -------------------------------------------------------------------- */

NTSTATUS msv_store_lookup(struct msv_store *store, const char *name, struct msv_account *account)
{
    if (store == NULL || name == NULL || account == NULL)
        return STATUS_INVALID_PARAMETER;
    NTSTATUS status;
    if (store->backend->cached_lookup != NULL && store->cache != NULL &&
        store->backend->cached_lookup(store->cache, name, account, &status))
        return status;
    /* Not cached, or changed: read it (which refreshes the cache). */
    struct txn t;
    status = txn_begin(store, FALSE, &t);
    if (status != STATUS_SUCCESS)
        return status;
    long i = msv_table_find(&t.table, name);
    if (i < 0)
        status = STATUS_NO_SUCH_USER;
    else
        *account = t.table.entries[i].account;
    txn_end(&t);
    return status;
}

NTSTATUS msv_store_update(struct msv_store *store, const char *name, msv_store_edit_fn edit,
                          void *context)
{
    if (store == NULL || name == NULL || edit == NULL)
        return STATUS_INVALID_PARAMETER;
    struct txn t;
    NTSTATUS status = txn_begin(store, TRUE, &t);
    if (status != STATUS_SUCCESS)
        return status;
    long i = msv_table_find(&t.table, name);
    if (i < 0) {
        txn_end(&t);
        return STATUS_NO_SUCH_USER;
    }
    struct msv_account edited = t.table.entries[i].account;
    status = edit(&edited, context);
    if (status == STATUS_SUCCESS) {
        /* The name is the key: an edit may change anything else. */
        if (strncmp(edited.name, t.table.entries[i].account.name, sizeof(edited.name)) != 0) {
            msv_pkg_log(LOG_ERR, "user %s: an update may not rename the account",
                          t.table.entries[i].account.name);
            status = STATUS_INVALID_PARAMETER;
        } else {
            t.table.entries[i].account = edited;
            status = txn_commit(&t);
        }
    }
    explicit_bzero(&edited, sizeof(edited));
    txn_end(&t);
    return status;
}

NTSTATUS msv_store_add(struct msv_store *store, const struct msv_account *account)
{
    if (store == NULL || account == NULL)
        return STATUS_INVALID_PARAMETER;
    if (memchr(account->name, '\0', sizeof(account->name)) == NULL ||
        msv_name_check(account->name) != STATUS_SUCCESS)
        return STATUS_INVALID_ACCOUNT_NAME;
    struct txn t;
    NTSTATUS status = txn_begin(store, TRUE, &t);
    if (status != STATUS_SUCCESS)
        return status;
    if (msv_table_find(&t.table, account->name) >= 0) {
        status = STATUS_USER_EXISTS;
    } else {
        struct msv_account copy = *account;
        if (copy.acb_flags == 0)
            copy.acb_flags = ACB_NORMAL; /* as it reads back (spec/ntlm.md §3) */
        status = msv_table_append(&t.table, &copy, NULL, 0);
        explicit_bzero(&copy, sizeof(copy));
        if (status == STATUS_SUCCESS)
            status = txn_commit(&t);
    }
    txn_end(&t);
    return status;
}

NTSTATUS msv_store_remove(struct msv_store *store, const char *name)
{
    if (store == NULL || name == NULL)
        return STATUS_INVALID_PARAMETER;
    struct txn t;
    NTSTATUS status = txn_begin(store, TRUE, &t);
    if (status != STATUS_SUCCESS)
        return status;
    long i = msv_table_find(&t.table, name);
    if (i < 0) {
        status = STATUS_NO_SUCH_USER;
    } else {
        msv_table_remove(&t.table, (size_t)i);
        status = txn_commit(&t);
    }
    txn_end(&t);
    return status;
}

NTSTATUS msv_store_enumerate(struct msv_store *store,
                             int (*fn)(const struct msv_account *account, void *context),
                             void *context)
{
    if (store == NULL || fn == NULL)
        return STATUS_INVALID_PARAMETER;
    struct txn t;
    NTSTATUS status = txn_begin(store, FALSE, &t);
    if (status != STATUS_SUCCESS)
        return status;
    /* Keep the snapshot, drop the lock: FN may take its time, or use the store. */
    struct msv_store_table snapshot = t.table;
    msv_table_init(&t.table);
    txn_end(&t);
    for (size_t i = 0; i < snapshot.count; i++)
        if (snapshot.entries[i].raw == NULL && fn(&snapshot.entries[i].account, context) != 0)
            break;
    msv_table_clear(&snapshot);
    return STATUS_SUCCESS;
}

NTSTATUS msv_store_import(struct msv_store *store, const char *smbpasswd_path, BOOLEAN replace,
                          ULONG *imported)
{
    if (store == NULL || smbpasswd_path == NULL)
        return STATUS_INVALID_PARAMETER;
    if (imported != NULL)
        *imported = 0;
    char *text;
    size_t length;
    NTSTATUS status = msv_file_read_any(smbpasswd_path, &text, &length);
    if (status != STATUS_SUCCESS)
        return status;
    struct msv_store_table source;
    msv_table_init(&source);
    status = msv_smbpasswd_parse(text, length, smbpasswd_path, FALSE, &source);
    msv_text_free(text, length);
    if (status != STATUS_SUCCESS)
        return status;

    struct txn t;
    status = txn_begin(store, TRUE, &t);
    if (status != STATUS_SUCCESS) {
        msv_table_clear(&source);
        return status;
    }
    ULONG count = 0;
    for (size_t k = 0; k < source.count && status == STATUS_SUCCESS; k++) {
        struct msv_account *a = &source.entries[k].account;
        msv_state_clear(a);
        long i = msv_table_find(&t.table, a->name);
        if (i >= 0 && !replace) {
            msv_pkg_log(LOG_NOTICE, "import from %s: user %s exists; skipped", smbpasswd_path,
                          a->name);
            continue;
        }
        if (i >= 0)
            t.table.entries[i].account = *a;
        else
            status = msv_table_append(&t.table, a, NULL, 0);
        count += status == STATUS_SUCCESS;
    }
    if (status == STATUS_SUCCESS && count > 0)
        status = txn_commit(&t);
    txn_end(&t);
    msv_table_clear(&source);
    if (status == STATUS_SUCCESS && imported != NULL)
        *imported = count;
    return status;
}
