#include "audit_session.h"

#include <pthread.h>
#include <stdlib.h>

#include <lsa/ntstatus.h>

#include "session.h"

/* Bounded: past this many bindings, those whose logon session ended go first, then
 * (all alive) the one in the first slot. */
#define MAX_BINDINGS 4096

struct binding {
    uint32_t session;
    uid_t uid;
    LUID logon_id;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct binding bindings[MAX_BINDINGS];
static size_t count;

static void remove_at(size_t i)
{
    bindings[i] = bindings[--count];
}

void lsa_audit_session_bind(uint32_t session, uid_t uid, const LUID *logon_id)
{
    if (session == LSA_AUDIT_SESSION_UNSET)
        return;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < count; i++)
        if (bindings[i].session == session && bindings[i].uid == uid) {
            bindings[i].logon_id = *logon_id;
            pthread_mutex_unlock(&lock);
            return;
        }
    if (count == MAX_BINDINGS) {
        for (size_t i = count; i-- > 0;)
            if (!lsa_session_exists(&bindings[i].logon_id))
                remove_at(i);
        if (count == MAX_BINDINGS)
            remove_at(0);
    }
    bindings[count++] = (struct binding){ session, uid, *logon_id };
    pthread_mutex_unlock(&lock);
}

BOOLEAN lsa_audit_session_lookup(uint32_t session, uid_t uid, LUID *logon_id)
{
    if (session == LSA_AUDIT_SESSION_UNSET)
        return FALSE;
    BOOLEAN found = FALSE;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < count && !found; i++)
        if (bindings[i].session == session && bindings[i].uid == uid) {
            *logon_id = bindings[i].logon_id;
            found = TRUE;
        }
    pthread_mutex_unlock(&lock);
    if (!found)
        return FALSE;
    uid_t owner;
    gid_t gid;
    BOOLEAN has_unix;
    return lsa_session_owner(logon_id, &owner, &gid, &has_unix) == STATUS_SUCCESS && owner == uid;
}
