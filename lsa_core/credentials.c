/* AddCredential / GetCredentials / DeleteCredential (spec §2.4): opaque, self-relative
 * credentials per (logon session, package), keyed by a non-unique primary key, held in
 * secure memory and wiped when deleted or when the session ends. */
#include <string.h>

#include <lsa/ntstatus.h>

#include "package.h"
#include "secure_memory.h"
#include "session_store.h"

static void credential_free(struct lsa_credential *c)
{
    lsa_secure_free(c->data, c->key_length + c->credential_length);
    lsa_secure_free(c, sizeof(*c));
}

void lsa_credentials_wipe_locked(struct lsa_session *s)
{
    while (s->credentials != NULL) {
        struct lsa_credential *c = s->credentials;
        s->credentials = c->next;
        credential_free(c);
    }
}

static BOOLEAN string_ok(PLSA_STRING s)
{
    return s != NULL && s->Length <= s->MaximumLength && (s->Length == 0 || s->Buffer != NULL);
}

static BOOLEAN key_matches(const struct lsa_credential *c, PLSA_STRING key)
{
    return c->key_length == key->Length &&
           (key->Length == 0 || memcmp(c->data, key->Buffer, key->Length) == 0);
}

NTSTATUS NTAPI lsa_add_credential(PLUID logon_id, ULONG package, PLSA_STRING primary_key,
                                  PLSA_STRING credentials)
{
    if (logon_id == NULL || !string_ok(primary_key) || !string_ok(credentials))
        return STATUS_INVALID_PARAMETER;

    struct lsa_credential *c = lsa_secure_alloc(sizeof(*c));
    if (c == NULL)
        return STATUS_NO_MEMORY;
    memset(c, 0, sizeof(*c));
    c->package_id = package;
    c->key_length = primary_key->Length;
    c->credential_length = credentials->Length;
    c->data = lsa_secure_alloc(c->key_length + c->credential_length);
    if (c->data == NULL) {
        lsa_secure_free(c, sizeof(*c));
        return STATUS_NO_MEMORY;
    }
    if (c->key_length)
        memcpy(c->data, primary_key->Buffer, c->key_length);
    if (c->credential_length)
        memcpy(c->data + c->key_length, credentials->Buffer, c->credential_length);

    struct lsa_session_shard *sh = lsa_session_shard_lock(logon_id);
    struct lsa_session *s = lsa_session_find_locked(sh, logon_id);
    if (s == NULL || s->ending) {
        lsa_session_shard_unlock(sh);
        credential_free(c);
        return STATUS_NO_SUCH_LOGON_SESSION;
    }
    /* Appended, so QueryContext enumerates in the order credentials were added. */
    struct lsa_credential **tail = &s->credentials;
    while (*tail != NULL)
        tail = &(*tail)->next;
    *tail = c;
    lsa_session_shard_unlock(sh);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI lsa_get_credentials(PLUID logon_id, ULONG package, PULONG query_context,
                                   BOOLEAN retrieve_all, PLSA_STRING primary_key,
                                   PULONG primary_key_length, PLSA_STRING credentials)
{
    if (logon_id == NULL || query_context == NULL || credentials == NULL || primary_key == NULL ||
        (!retrieve_all && !string_ok(primary_key)) || (retrieve_all && primary_key_length == NULL))
        return STATUS_INVALID_PARAMETER;

    struct lsa_session_shard *sh = lsa_session_shard_lock(logon_id);
    struct lsa_session *s = lsa_session_find_locked(sh, logon_id);
    if (s == NULL) {
        lsa_session_shard_unlock(sh);
        return STATUS_NO_SUCH_LOGON_SESSION;
    }
    /* QueryContext counts this package's credentials already passed over. */
    ULONG position = 0;
    struct lsa_credential *found = NULL;
    for (struct lsa_credential *c = s->credentials; c != NULL; c = c->next) {
        if (c->package_id != package)
            continue;
        if (position++ < *query_context)
            continue;
        if (retrieve_all || key_matches(c, primary_key)) {
            found = c;
            break;
        }
    }
    if (found == NULL) {
        lsa_session_shard_unlock(sh);
        return STATUS_UNSUCCESSFUL; /* "no more credentials" (spec §2.4, §7.9) */
    }
    if (retrieve_all) {
        *primary_key_length = (ULONG)found->key_length;
        if (found->key_length > primary_key->MaximumLength ||
            (found->key_length > 0 && primary_key->Buffer == NULL)) {
            lsa_session_shard_unlock(sh);
            return STATUS_MORE_ENTRIES; /* context not advanced: retry with a bigger key buffer */
        }
        if (found->key_length)
            memcpy(primary_key->Buffer, found->data, found->key_length);
        primary_key->Length = (USHORT)found->key_length;
    }
    PCHAR copy = lsa_secpkg_function_table.AllocateLsaHeap((ULONG)(found->credential_length + 1));
    if (copy == NULL) {
        lsa_session_shard_unlock(sh);
        return STATUS_NO_MEMORY;
    }
    memcpy(copy, found->data + found->key_length, found->credential_length);
    credentials->Buffer = copy;
    credentials->Length = (USHORT)found->credential_length;
    credentials->MaximumLength = (USHORT)found->credential_length;
    *query_context = position;
    lsa_session_shard_unlock(sh);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI lsa_delete_credential(PLUID logon_id, ULONG package, PLSA_STRING primary_key)
{
    if (logon_id == NULL || !string_ok(primary_key))
        return STATUS_INVALID_PARAMETER;
    struct lsa_session_shard *sh = lsa_session_shard_lock(logon_id);
    struct lsa_session *s = lsa_session_find_locked(sh, logon_id);
    if (s == NULL) {
        lsa_session_shard_unlock(sh);
        return STATUS_NO_SUCH_LOGON_SESSION;
    }
    for (struct lsa_credential **p = &s->credentials; *p != NULL; p = &(*p)->next) {
        struct lsa_credential *c = *p;
        if (c->package_id == package && key_matches(c, primary_key)) {
            *p = c->next;
            lsa_session_shard_unlock(sh);
            credential_free(c);
            return STATUS_SUCCESS;
        }
    }
    lsa_session_shard_unlock(sh);
    return STATUS_NOT_FOUND;
}
