/* Logon sessions: LUIDs, ownership, tokens, termination, enumeration (spec §1.2, §3). */
#include "session.h"

#include <pwd.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lsa/lsa_util.h>
#include <lsa/ntstatus.h>

#include "core.h"
#include "log.h"
#include "session_store.h"

/* Adaptive: every logon takes it for a few instructions, and a waiter that spins
 * briefly gets it sooner than one put to sleep in the kernel. */
pthread_mutex_t lsa_sessions_lock = PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP;

/* The sessions, in a hash on the LUID (chained through next): a logon looks its session
 * up several times, and a machine-wide LSA holds thousands.  The table doubles when it
 * holds more sessions than buckets. */
#define SESSION_BUCKETS_MIN 64u
static struct lsa_session **buckets;
static size_t bucket_count, session_count;

#define FOR_EACH_SESSION(s)                                                            \
    for (size_t bucket_ = 0; bucket_ < bucket_count; bucket_++)                       \
        for (struct lsa_session *s = buckets[bucket_]; s != NULL; s = s->next)

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

static size_t bucket_of(const LUID *id, size_t count)
{
    uint64_t key = ((uint64_t)(uint32_t)id->HighPart << 32) | id->LowPart;
    return (size_t)((key * UINT64_C(0x9E3779B97F4A7C15)) >> 32) & (count - 1);
}

struct lsa_session *lsa_session_find_locked(PLUID id)
{
    if (bucket_count == 0)
        return NULL;
    for (struct lsa_session *s = buckets[bucket_of(id, bucket_count)]; s != NULL; s = s->next)
        if (LSA_LUID_EQUAL(s->id, *id))
            return s;
    return NULL;
}

/* 0, or -1 when there is no memory for a first table (a failed doubling is harmless). */
static int buckets_grow_locked(void)
{
    size_t count = bucket_count ? bucket_count * 2 : SESSION_BUCKETS_MIN;
    struct lsa_session **table = calloc(count, sizeof(*table));
    if (table == NULL)
        return bucket_count ? 0 : -1;
    for (size_t i = 0; i < bucket_count; i++) {
        struct lsa_session *s = buckets[i];
        while (s != NULL) {
            struct lsa_session *next = s->next;
            size_t j = bucket_of(&s->id, count);
            s->next = table[j];
            table[j] = s;
            s = next;
        }
    }
    free(buckets);
    buckets = table;
    bucket_count = count;
    return 0;
}

static struct lsa_session *session_add_locked(LUID id)
{
    if (session_count >= bucket_count && buckets_grow_locked() != 0)
        return NULL;
    struct lsa_session *s = calloc(1, sizeof(*s));
    if (s == NULL)
        return NULL;
    s->id = id;
    s->logon_time = nt_time_now();
    struct lsa_session **head = &buckets[bucket_of(&id, bucket_count)];
    s->next = *head;
    *head = s;
    session_count++;
    return s;
}

void lsa_sessions_init(void)
{
    pthread_mutex_lock(&lsa_sessions_lock);
    const LUID machine[] = { system_luid, network_service_luid };
    for (size_t i = 0; i < 2; i++) {
        if (lsa_session_find_locked((PLUID)&machine[i]) != NULL)
            continue;
        struct lsa_session *s = session_add_locked(machine[i]);
        if (s == NULL)
            continue;
        s->well_known = TRUE;
        s->described = TRUE;
        s->identity_resolved = TRUE;
        s->uid = 0;
        s->gid = 0;
        s->has_unix_identity = TRUE;
        s->logon_type = Service;
    }
    pthread_mutex_unlock(&lsa_sessions_lock);
}

/*
 * LUIDs come from a counter, as Windows' AllocateLocallyUniqueId does, so a logon costs
 * an atomic increment instead of a DRBG call.  The counter starts at a random 63-bit
 * value drawn once per process (and again in a forked child, which would otherwise
 * repeat its parent's sequence), so LUIDs stay unique across the processes that each
 * host an embedded LSA.  HighPart is kept non-zero and positive, so a LUID is never one
 * of the well-known 0x3e2-0x3e7, nor zero.  A value is not checked against the live
 * sessions: the counter comes back to one only after 2^63 allocations, and
 * CreateLogonSession refuses a LUID in use anyway (STATUS_LOGON_SESSION_COLLISION).
 */
static _Atomic uint64_t luid_next;
static atomic_bool luid_seeded;
static pthread_mutex_t luid_seed_lock = PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP;
static pthread_once_t luid_atfork_once = PTHREAD_ONCE_INIT;

static void luid_reseed_in_child(void)
{
    atomic_store(&luid_seeded, 0);
}

static void luid_register_atfork(void)
{
    pthread_atfork(NULL, NULL, luid_reseed_in_child);
}

static NTSTATUS luid_seed(void)
{
    pthread_once(&luid_atfork_once, luid_register_atfork);
    NTSTATUS status = STATUS_SUCCESS;
    pthread_mutex_lock(&luid_seed_lock);
    if (!atomic_load(&luid_seeded)) {
        uint64_t r;
        if (!lsa_random_identifier(&r, sizeof(r))) {
            status = STATUS_INTERNAL_ERROR;
        } else {
            atomic_store(&luid_next, r & INT64_MAX);
            atomic_store(&luid_seeded, 1);
        }
    }
    pthread_mutex_unlock(&luid_seed_lock);
    return status;
}

NTSTATUS NTAPI lsa_allocate_luid(PLUID luid)
{
    if (luid == NULL)
        return STATUS_INVALID_PARAMETER;
    if (!atomic_load_explicit(&luid_seeded, memory_order_acquire) && luid_seed() != STATUS_SUCCESS)
        return STATUS_INTERNAL_ERROR;
    for (;;) {
        uint64_t v = atomic_fetch_add_explicit(&luid_next, 1, memory_order_relaxed);
        luid->LowPart = (ULONG)v;
        luid->HighPart = (LONG)((v >> 32) & 0x7fffffff);
        if (luid->HighPart != 0)
            return STATUS_SUCCESS;
    }
}

NTSTATUS NTAPI lsa_create_logon_session(PLUID logon_id)
{
    if (logon_id == NULL || lsa_luid_is_zero(*logon_id))
        return STATUS_INVALID_PARAMETER;
    pthread_mutex_lock(&lsa_sessions_lock);
    NTSTATUS status = STATUS_SUCCESS;
    if (lsa_session_find_locked(logon_id) != NULL)
        status = STATUS_LOGON_SESSION_COLLISION;
    else if (session_add_locked(*logon_id) == NULL)
        status = STATUS_NO_MEMORY;
    pthread_mutex_unlock(&lsa_sessions_lock);
    return status;
}

static void session_free(struct lsa_session *s)
{
    lsa_credentials_wipe_locked(s);
    free(s->user.Buffer);
    free(s->domain.Buffer);
    free(s);
}

static struct lsa_session *unlink_locked(PLUID logon_id)
{
    if (bucket_count == 0)
        return NULL;
    for (struct lsa_session **p = &buckets[bucket_of(logon_id, bucket_count)]; *p != NULL;
         p = &(*p)->next) {
        if (LSA_LUID_EQUAL((*p)->id, *logon_id)) {
            struct lsa_session *s = *p;
            *p = s->next;
            session_count--;
            return s;
        }
    }
    return NULL;
}

/* The package's own cleanup of a session it created (failed logon): no LogonTerminated. */
NTSTATUS NTAPI lsa_delete_logon_session(PLUID logon_id)
{
    if (logon_id == NULL)
        return STATUS_INVALID_PARAMETER;
    pthread_mutex_lock(&lsa_sessions_lock);
    struct lsa_session *s = lsa_session_find_locked(logon_id);
    if (s == NULL || s->well_known) {
        pthread_mutex_unlock(&lsa_sessions_lock);
        return s ? STATUS_ACCESS_DENIED : STATUS_NO_SUCH_LOGON_SESSION;
    }
    unlink_locked(logon_id);
    session_free(s);
    pthread_mutex_unlock(&lsa_sessions_lock);
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
    pthread_mutex_lock(&lsa_sessions_lock);
    struct lsa_session *s = lsa_session_find_locked(logon_id);
    if (s == NULL) {
        s = session_add_locked(*logon_id);
        if (s == NULL) {
            pthread_mutex_unlock(&lsa_sessions_lock);
            return STATUS_NO_MEMORY;
        }
    }
    free(s->user.Buffer);
    free(s->domain.Buffer);
    take_unicode(&s->user, info->account_name);
    take_unicode(&s->domain, info->authority);
    s->package_id = info->package_id;
    s->logon_type = info->logon_type;
    s->identity_resolved = FALSE;
    s->logon_time = nt_time_now();
    s->described = TRUE;
    pthread_mutex_unlock(&lsa_sessions_lock);
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
    pthread_mutex_lock(&lsa_sessions_lock);
    struct lsa_session *s = lsa_session_find_locked(logon_id);
    if (s != NULL) {
        /* A session no logon described (a package's own) belongs to root. */
        BOOLEAN has = s->described && lsa_session_identity_locked(s);
        *uid = s->described ? s->uid : 0;
        *gid = s->described ? s->gid : 0;
        *has_unix_identity = has;
    }
    pthread_mutex_unlock(&lsa_sessions_lock);
    return s ? STATUS_SUCCESS : STATUS_NO_SUCH_LOGON_SESSION;
}

BOOLEAN lsa_session_exists(PLUID logon_id)
{
    pthread_mutex_lock(&lsa_sessions_lock);
    BOOLEAN found = lsa_session_find_locked(logon_id) != NULL;
    pthread_mutex_unlock(&lsa_sessions_lock);
    return found;
}

LUID lsa_session_latest_of_uid(uid_t uid)
{
    LUID best = { 0, 0 };
    LONGLONG best_time = -1;
    pthread_mutex_lock(&lsa_sessions_lock);
    FOR_EACH_SESSION(s) {
        if (s->described && !s->well_known && !s->ending && lsa_session_identity_locked(s) &&
            s->uid == uid &&
            s->logon_time.QuadPart > best_time) {
            best = s->id;
            best_time = s->logon_time.QuadPart;
        }
    }
    pthread_mutex_unlock(&lsa_sessions_lock);
    return best;
}

NTSTATUS lsa_session_token_ref(PLUID logon_id)
{
    pthread_mutex_lock(&lsa_sessions_lock);
    struct lsa_session *s = lsa_session_find_locked(logon_id);
    if (s != NULL && !s->ending)
        s->tokens++;
    pthread_mutex_unlock(&lsa_sessions_lock);
    return s && !s->ending ? STATUS_SUCCESS : STATUS_NO_SUCH_LOGON_SESSION;
}

void lsa_session_token_release(PLUID logon_id)
{
    pthread_mutex_lock(&lsa_sessions_lock);
    struct lsa_session *s = lsa_session_find_locked(logon_id);
    BOOLEAN last = s != NULL && s->tokens > 0 && --s->tokens == 0 && !s->well_known;
    pthread_mutex_unlock(&lsa_sessions_lock);
    if (last)
        lsa_session_terminate(logon_id);
}

void lsa_session_token_drop(PLUID logon_id)
{
    pthread_mutex_lock(&lsa_sessions_lock);
    struct lsa_session *s = lsa_session_find_locked(logon_id);
    if (s != NULL && s->tokens > 0)
        s->tokens--;
    pthread_mutex_unlock(&lsa_sessions_lock);
}

NTSTATUS lsa_session_terminate(PLUID logon_id)
{
    pthread_mutex_lock(&lsa_sessions_lock);
    struct lsa_session *s = lsa_session_find_locked(logon_id);
    NTSTATUS status = STATUS_SUCCESS;
    if (s == NULL || s->ending)
        status = STATUS_NO_SUCH_LOGON_SESSION;
    else if (s->well_known)
        status = STATUS_ACCESS_DENIED;
    else
        s->ending = TRUE;
    pthread_mutex_unlock(&lsa_sessions_lock);
    if (status != STATUS_SUCCESS)
        return status;

    /* Outside the lock: a package may look at its credentials while it cleans up. */
    struct lsa *lsa = lsa_core();
    for (size_t i = 0; i < lsa->package_count; i++)
        if (lsa->packages[i].logon_terminated != NULL)
            lsa->packages[i].logon_terminated(logon_id);

    pthread_mutex_lock(&lsa_sessions_lock);
    s = unlink_locked(logon_id);
    if (s != NULL)
        session_free(s);
    pthread_mutex_unlock(&lsa_sessions_lock);
    lsa_log(LOG_DEBUG, "logon session %x:%08x ended", (unsigned)logon_id->HighPart,
            (unsigned)logon_id->LowPart);
    return STATUS_SUCCESS;
}

NTSTATUS lsa_sessions_list(uid_t uid, LUID **ids, ULONG *count)
{
    pthread_mutex_lock(&lsa_sessions_lock);
    size_t n = session_count;
    LUID *list = malloc((n ? n : 1) * sizeof(LUID));
    if (list == NULL) {
        pthread_mutex_unlock(&lsa_sessions_lock);
        return STATUS_NO_MEMORY;
    }
    ULONG k = 0;
    FOR_EACH_SESSION(s) {
        if (s->ending)
            continue;
        if (uid == 0 || (s->described && lsa_session_identity_locked(s) && s->uid == uid))
            list[k++] = s->id;
    }
    pthread_mutex_unlock(&lsa_sessions_lock);
    *ids = list;
    *count = k;
    return STATUS_SUCCESS;
}

/* Strings follow the fixed part; their Buffer fields hold offsets from the block start,
 * which the client side turns into addresses (as ReactOS does). */
NTSTATUS lsa_session_data(PLUID logon_id, void **block, ULONG *length)
{
    pthread_mutex_lock(&lsa_sessions_lock);
    struct lsa_session *s = lsa_session_find_locked(logon_id);
    if (s == NULL || s->ending) {
        pthread_mutex_unlock(&lsa_sessions_lock);
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
        pthread_mutex_unlock(&lsa_sessions_lock);
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
    pthread_mutex_unlock(&lsa_sessions_lock);
    *block = b;
    *length = (ULONG)total;
    return STATUS_SUCCESS;
}
