#include "token.h"

#include <stdlib.h>
#include <unistd.h>

#include <lsa/lsa_ext.h>
#include <lsa/ntstatus.h>

#include "handle_table.h"
#include "lsa_visibility.h"
#include "session.h"
#include "zero_alloc.h"

struct token {
    struct lsa_object object;
    LUID logon_id;
    BOOLEAN detached;                /* lsad: give the session up without ending it */
    BOOLEAN is_remote;               /* daemon mode: the session is lsad's */
    struct lsa_remote_token remote;
};

static void token_destroy(struct lsa_object *object)
{
    struct token *t = (struct token *)object;
    if (t->is_remote) {
        t->remote.close(t->remote.link, t->remote.remote_handle);
        lsa_object_release(t->remote.link);
    } else if (t->detached) {
        lsa_session_token_drop(&t->logon_id);
    } else {
        lsa_session_token_release(&t->logon_id);
    }
    free(t);
}

NTSTATUS lsa_token_create(PLUID logon_id, HANDLE *handle)
{
    struct token *t = lsa_zero_alloc(sizeof(*t));
    if (t == NULL) {
        lsa_session_token_release(logon_id);
        return STATUS_NO_MEMORY;
    }
    lsa_object_init(&t->object, token_destroy);
    t->logon_id = *logon_id;
    NTSTATUS status = lsa_handle_insert(LSA_HANDLE_TOKEN, &t->object, handle);
    if (status != STATUS_SUCCESS)
        lsa_object_release(&t->object);
    return status;
}

NTSTATUS lsa_token_create_remote(const struct lsa_remote_token *remote, HANDLE *handle)
{
    struct token *t = lsa_zero_alloc(sizeof(*t));
    if (t == NULL)
        return STATUS_NO_MEMORY;
    lsa_object_init(&t->object, token_destroy);
    t->logon_id = remote->logon_id;
    t->is_remote = TRUE;
    t->remote = *remote;
    t->remote.pid = getpid();
    lsa_object_ref(remote->link);
    NTSTATUS status = lsa_handle_insert(LSA_HANDLE_TOKEN, &t->object, handle);
    if (status != STATUS_SUCCESS)
        lsa_object_release(&t->object);
    return status;
}

static struct token *token_ref(HANDLE handle)
{
    return (struct token *)lsa_handle_ref(handle, LSA_HANDLE_TOKEN);
}

LSA_PUBLIC NTSTATUS lsa_token_logon_id(HANDLE handle, PLUID logon_id)
{
    if (logon_id == NULL)
        return STATUS_INVALID_PARAMETER;
    struct token *t = token_ref(handle);
    if (t == NULL)
        return STATUS_INVALID_HANDLE;
    *logon_id = t->logon_id;
    lsa_object_release(&t->object);
    return STATUS_SUCCESS;
}

LSA_PUBLIC NTSTATUS lsa_token_unix_identity(HANDLE handle, uid_t *uid, gid_t *gid)
{
    if (uid == NULL || gid == NULL)
        return STATUS_INVALID_PARAMETER;
    struct token *t = token_ref(handle);
    if (t == NULL)
        return STATUS_INVALID_HANDLE;
    BOOLEAN has_unix;
    NTSTATUS status = STATUS_SUCCESS;
    if (t->is_remote && t->remote.pid == getpid()) {
        status = t->remote.identity(t->remote.link, t->remote.remote_handle, uid, gid);
        has_unix = TRUE; /* lsad answered STATUS_NO_SUCH_USER for a session without one */
    } else if (t->is_remote) {
        has_unix = t->remote.has_unix_identity;
        *uid = t->remote.uid;
        *gid = t->remote.gid;
    } else {
        status = lsa_session_owner(&t->logon_id, uid, gid, &has_unix);
    }
    if (status == STATUS_SUCCESS && !has_unix)
        status = STATUS_NO_SUCH_USER;
    lsa_object_release(&t->object);
    return status;
}

NTSTATUS lsa_token_detach(HANDLE handle)
{
    struct token *t = token_ref(handle);
    if (t == NULL)
        return STATUS_INVALID_HANDLE;
    t->detached = TRUE;
    lsa_object_release(&t->object);
    return lsa_handle_close(handle, LSA_HANDLE_TOKEN);
}

LSA_PUBLIC NTSTATUS lsa_close_token(HANDLE handle)
{
    return lsa_handle_close(handle, LSA_HANDLE_TOKEN);
}
