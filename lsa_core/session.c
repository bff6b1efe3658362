/* Logon sessions: ownership, tokens, termination, enumeration (spec §1.2, §3). */
#include "session.h"

#include <pwd.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lsa/lsa_util.h>
#include <lsa/ntstatus.h>

#include "core.h"
#include "log.h"
#include "session_store.h"

static const LUID system_luid = SYSTEM_LUID;
static const LUID network_service_luid = NETWORKSERVICE_LUID;

/* Seconds since 1970 → 100-ns ticks since 1601. */
static LARGE_INTEGER nt_time_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    LARGE_INTEGER t;
    t.QuadPart = ((LONGLONG)ts.tv_sec + 11644473600LL) * 10000000LL + ts.tv_nsec / 100;
    return t;
}

static struct lsa_session *session_add_locked(struct lsa_session_shard *sh, LUID id)
{
    struct lsa_session *s = lsa_session_add_locked(sh, id);
    if (s != NULL)
        s->logon_time = nt_time_now();
    return s;
}

void lsa_sessions_init(void)
{
    const LUID machine[] = { system_luid, network_service_luid };
    for (size_t i = 0; i < 2; i++) {
        struct lsa_session_shard *sh = lsa_session_shard_lock(&machine[i]);
        struct lsa_session *s = lsa_session_find_locked(sh, &machine[i]) == NULL
                                    ? session_add_locked(sh, machine[i])
                                    : NULL;
        if (s != NULL) {
            s->well_known = TRUE;
            s->described = TRUE;
            s->identity_resolved = TRUE;
            s->uid = 0;
            s->gid = 0;
            s->has_unix_identity = TRUE;
            s->logon_type = Service;
        }
        lsa_session_shard_unlock(sh);
    }
}

NTSTATUS NTAPI lsa_create_logon_session(PLUID logon_id)
{
    if (logon_id == NULL || lsa_luid_is_zero(*logon_id))
        return STATUS_INVALID_PARAMETER;
    struct lsa_session_shard *sh = lsa_session_shard_lock(logon_id);
    NTSTATUS status = STATUS_SUCCESS;
    if (lsa_session_find_locked(sh, logon_id) != NULL)
        status = STATUS_LOGON_SESSION_COLLISION;
    else if (session_add_locked(sh, *logon_id) == NULL)
        status = STATUS_NO_MEMORY;
    lsa_session_shard_unlock(sh);
    return status;
}

static void session_free(struct lsa_session *s)
{
    lsa_credentials_wipe_locked(s);
    free(s->user.Buffer);
    free(s->domain.Buffer);
    free(s);
}

/* The package's own cleanup of a session it created (failed logon): no LogonTerminated. */
NTSTATUS NTAPI lsa_delete_logon_session(PLUID logon_id)
{
    if (logon_id == NULL)
        return STATUS_INVALID_PARAMETER;
    struct lsa_session_shard *sh = lsa_session_shard_lock(logon_id);
    struct lsa_session *s = lsa_session_find_locked(sh, logon_id);
    if (s == NULL || s->well_known) {
        lsa_session_shard_unlock(sh);
        return s ? STATUS_ACCESS_DENIED : STATUS_NO_SUCH_LOGON_SESSION;
    }
    lsa_session_unlink_locked(sh, logon_id);
    session_free(s);
    lsa_session_shard_unlock(sh);
    return STATUS_SUCCESS;
}

/* SRC's Buffer (a block of LSA heap, which is malloc's), moved to DST. */
static void take_unicode(UNICODE_STRING *dst, PUNICODE_STRING src)
{
    memset(dst, 0, sizeof(*dst));
    if (src == NULL || src->Buffer == NULL)
        return;
    if (src->Length > 0) {
        *dst = *src;
        if (dst->MaximumLength < dst->Length)
            dst->MaximumLength = dst->Length;
    } else {
        free(src->Buffer);
    }
    src->Buffer = NULL;
    src->Length = src->MaximumLength = 0;
}

NTSTATUS lsa_session_describe(PLUID logon_id, const struct lsa_session_info *info)
{
    struct lsa_session_shard *sh = lsa_session_shard_lock(logon_id);
    struct lsa_session *s = lsa_session_find_locked(sh, logon_id);
    if (s == NULL)
        s = session_add_locked(sh, *logon_id);
    if (s == NULL || s->ending) {
        lsa_session_shard_unlock(sh);
        return s ? STATUS_NO_SUCH_LOGON_SESSION : STATUS_NO_MEMORY;
    }
    free(s->user.Buffer);
    free(s->domain.Buffer);
    take_unicode(&s->user, info->account_name);
    take_unicode(&s->domain, info->authority);
    s->package_id = info->package_id;
    s->logon_type = info->logon_type;
    s->identity_resolved = FALSE;
    /* A first description comes moments after the package created the session, in the
     * same logon: its creation time stands, saving a clock read on every logon.  A later
     * logon into the session makes it the newest again. */
    if (s->described)
        s->logon_time = nt_time_now();
    s->described = TRUE;
    s->tokens++;
    lsa_session_shard_unlock(sh);
    return STATUS_SUCCESS;
}

/* getpwnam of the account name the package returned. */
BOOLEAN lsa_session_identity_locked(struct lsa_session *s)
{
    if (s->identity_resolved)
        return s->has_unix_identity;
    s->identity_resolved = TRUE;
    s->has_unix_identity = FALSE;
    char *name;
    if (s->user.Length == 0 || lsa_unicode_string_to_utf8(&s->user, &name, NULL) != STATUS_SUCCESS)
        return FALSE;
    struct passwd pw, *found = NULL;
    char buf[4096];
    if (getpwnam_r(name, &pw, buf, sizeof(buf), &found) == 0 && found != NULL) {
        s->uid = pw.pw_uid;
        s->gid = pw.pw_gid;
        s->has_unix_identity = TRUE;
    }
    free(name);
    return s->has_unix_identity;
}

NTSTATUS lsa_session_owner(PLUID logon_id, uid_t *uid, gid_t *gid, BOOLEAN *has_unix_identity)
{
    struct lsa_session_shard *sh = lsa_session_shard_lock(logon_id);
    struct lsa_session *s = lsa_session_find_locked(sh, logon_id);
    if (s != NULL) {
        /* A session no logon described (a package's own) belongs to root. */
        BOOLEAN has = s->described && lsa_session_identity_locked(s);
        *uid = s->described ? s->uid : 0;
        *gid = s->described ? s->gid : 0;
        *has_unix_identity = has;
    }
    lsa_session_shard_unlock(sh);
    return s ? STATUS_SUCCESS : STATUS_NO_SUCH_LOGON_SESSION;
}

BOOLEAN lsa_session_exists(PLUID logon_id)
{
    struct lsa_session_shard *sh = lsa_session_shard_lock(logon_id);
    BOOLEAN found = lsa_session_find_locked(sh, logon_id) != NULL;
    lsa_session_shard_unlock(sh);
    return found;
}

struct latest {
    uid_t uid;
    LUID best;
    LONGLONG best_time;
};

static void consider_latest(struct lsa_session *s, void *context)
{
    struct latest *l = context;
    if (s->described && !s->well_known && !s->ending && lsa_session_identity_locked(s) &&
        s->uid == l->uid && s->logon_time.QuadPart > l->best_time) {
        l->best = s->id;
        l->best_time = s->logon_time.QuadPart;
    }
}

LUID lsa_session_latest_of_uid(uid_t uid)
{
    struct latest l = { uid, { 0, 0 }, -1 };
    lsa_sessions_for_each(consider_latest, &l);
    return l.best;
}

void lsa_session_token_drop(PLUID logon_id)
{
    struct lsa_session_shard *sh = lsa_session_shard_lock(logon_id);
    struct lsa_session *s = lsa_session_find_locked(sh, logon_id);
    if (s != NULL && s->tokens > 0)
        s->tokens--;
    lsa_session_shard_unlock(sh);
}

/* The rest of ending a session marked ending: every package's LogonTerminated, outside
 * the lock (a package may look at its credentials while it cleans up), then unlinked
 * and wiped. */
static void finish_ending(PLUID logon_id)
{
    struct lsa *lsa = lsa_core();
    for (size_t i = 0; i < lsa->package_count; i++)
        if (lsa->packages[i].logon_terminated != NULL)
            lsa->packages[i].logon_terminated(logon_id);

    struct lsa_session_shard *sh = lsa_session_shard_lock(logon_id);
    struct lsa_session *s = lsa_session_unlink_locked(sh, logon_id);
    if (s != NULL)
        session_free(s);
    lsa_session_shard_unlock(sh);
    lsa_log(LOG_DEBUG, "logon session %x:%08x ended", (unsigned)logon_id->HighPart,
            (unsigned)logon_id->LowPart);
}

/* The last token's release marks the session ending in the same visit. */
void lsa_session_token_release(PLUID logon_id)
{
    struct lsa_session_shard *sh = lsa_session_shard_lock(logon_id);
    struct lsa_session *s = lsa_session_find_locked(sh, logon_id);
    BOOLEAN last = s != NULL && s->tokens > 0 && --s->tokens == 0 && !s->well_known &&
                   !s->ending;
    if (last)
        s->ending = TRUE;
    lsa_session_shard_unlock(sh);
    if (last)
        finish_ending(logon_id);
}

NTSTATUS lsa_session_terminate(PLUID logon_id)
{
    struct lsa_session_shard *sh = lsa_session_shard_lock(logon_id);
    struct lsa_session *s = lsa_session_find_locked(sh, logon_id);
    NTSTATUS status = STATUS_SUCCESS;
    if (s == NULL || s->ending)
        status = STATUS_NO_SUCH_LOGON_SESSION;
    else if (s->well_known)
        status = STATUS_ACCESS_DENIED;
    else
        s->ending = TRUE;
    lsa_session_shard_unlock(sh);
    if (status == STATUS_SUCCESS)
        finish_ending(logon_id);
    return status;
}

struct listing {
    uid_t uid;
    LUID *ids;
    size_t count, capacity;
    BOOLEAN out_of_memory;
};

static void list_one(struct lsa_session *s, void *context)
{
    struct listing *l = context;
    if (s->ending || l->out_of_memory)
        return;
    if (l->uid != 0 && !(s->described && lsa_session_identity_locked(s) && s->uid == l->uid))
        return;
    if (l->count == l->capacity) {
        /* Sessions added since the count was taken: room for more. */
        LUID *bigger = realloc(l->ids, 2 * l->capacity * sizeof(LUID));
        if (bigger == NULL) {
            l->out_of_memory = TRUE;
            return;
        }
        l->ids = bigger;
        l->capacity *= 2;
    }
    l->ids[l->count++] = s->id;
}

/* The shards are listed one at a time: a session that begins or ends meanwhile may or
 * may not be in the list, as if it had begun or ended a moment earlier or later. */
NTSTATUS lsa_sessions_list(uid_t uid, LUID **ids, ULONG *count)
{
    struct listing l = { uid, NULL, 0, lsa_sessions_count() + 8, FALSE };
    l.ids = malloc(l.capacity * sizeof(LUID));
    if (l.ids == NULL)
        return STATUS_NO_MEMORY;
    lsa_sessions_for_each(list_one, &l);
    if (l.out_of_memory) {
        free(l.ids);
        return STATUS_NO_MEMORY;
    }
    *ids = l.ids;
    *count = (ULONG)l.count;
    return STATUS_SUCCESS;
}

/* Strings follow the fixed part; their Buffer fields hold offsets from the block start,
 * which the client side turns into addresses (as ReactOS does). */
NTSTATUS lsa_session_data(PLUID logon_id, void **block, ULONG *length)
{
    struct lsa_session_shard *sh = lsa_session_shard_lock(logon_id);
    struct lsa_session *s = lsa_session_find_locked(sh, logon_id);
    if (s == NULL || s->ending) {
        lsa_session_shard_unlock(sh);
        return STATUS_NO_SUCH_LOGON_SESSION;
    }
    struct lsa_package *pkg = s->well_known ? NULL : lsa_package_by_id(s->package_id);
    const UNICODE_STRING none = { 0, 0, NULL };
    const UNICODE_STRING *parts[3] = { &s->user, &s->domain, pkg ? &pkg->uname : &none };

    size_t total = sizeof(SECURITY_LOGON_SESSION_DATA);
    for (size_t i = 0; i < 3; i++)
        total += parts[i]->Length + sizeof(WCHAR);
    unsigned char *b = calloc(1, total);
    if (b == NULL) {
        lsa_session_shard_unlock(sh);
        return STATUS_NO_MEMORY;
    }
    SECURITY_LOGON_SESSION_DATA *d = (SECURITY_LOGON_SESSION_DATA *)b;
    d->Size = sizeof(*d);
    d->LogonId = s->id;
    /* SYSTEM's data is documented as empty (spec §1.1): only Size and LogonId. */
    if (!s->well_known) {
        size_t off = sizeof(*d);
        UNICODE_STRING *fields[3] = { &d->UserName, &d->LogonDomain, &d->AuthenticationPackage };
        for (size_t i = 0; i < 3; i++) {
            if (parts[i]->Length)
                memcpy(b + off, parts[i]->Buffer, parts[i]->Length);
            fields[i]->Length = parts[i]->Length;
            fields[i]->MaximumLength = (USHORT)(parts[i]->Length + sizeof(WCHAR));
            fields[i]->Buffer = (PWSTR)(uintptr_t)off;
            off += parts[i]->Length + sizeof(WCHAR);
        }
        d->LogonType = (ULONG)s->logon_type;
        d->LogonTime = s->logon_time;
    }
    lsa_session_shard_unlock(sh);
    *block = b;
    *length = (ULONG)total;
    return STATUS_SUCCESS;
}
