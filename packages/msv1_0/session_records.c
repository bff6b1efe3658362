/*
 * Session records (session_records.h): sharded by LUID, each shard with its own lock, a
 * hash on the LUID for LogonTerminated (which the LSA calls for every session of every
 * package) and its records in logon order.  The enumeration handle comes from one atomic
 * counter, taken under the shard's lock once the LUID is known to be new (so a collision
 * uses none, as before); MsV1_0EnumerateUsers takes every shard's lock and merges the
 * shards by a 64-bit sequence number whose low 32 bits are the handle, so the list is
 * still in logon order and one consistent picture.  A record and its two names are one
 * allocation.
 */
#include "session_records.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "msv_mutex.h"

#define SESSION_SHARDS 16u
#define SESSION_BUCKETS 64u /* per shard */
#define CACHE_LINE 64

struct record {
    struct msv_session_info info; /* its names point into chars */
    uint64_t sequence;            /* logon order; its low 32 bits are info.enum_handle */
    struct record *hash_next;
    struct record *prev, *next;
    WCHAR chars[];
};

struct shard {
    _Alignas(CACHE_LINE) pthread_mutex_t lock;
    ULONG count;
    struct record *first, *last;
    struct record *buckets[SESSION_BUCKETS];
};

struct msv_session_records {
    _Alignas(CACHE_LINE) atomic_uint_fast64_t next_sequence;
    struct shard shards[SESSION_SHARDS];
};

static BOOLEAN luid_equal(const LUID *a, const LUID *b)
{
    return a->LowPart == b->LowPart && a->HighPart == b->HighPart;
}

static ULONG luid_hash(const LUID *id)
{
    return id->LowPart ^ (ULONG)id->HighPart;
}

/* By the LUID's block of 1024: the LSA hands each thread LUIDs from blocks of its own
 * (lsa_core/luid.c), so a thread's sessions share a shard and two threads logging on at
 * once do not pass shard locks back and forth.  Any other LUIDs only spread less well. */
static struct shard *shard_of(struct msv_session_records *r, const LUID *id)
{
    ULONG block = (id->LowPart >> 10) ^ (ULONG)id->HighPart;
    return &r->shards[(block * 0x9E3779B1u) >> 28];
}

static struct record **bucket_of(struct shard *s, const LUID *id)
{
    return &s->buckets[luid_hash(id) / SESSION_SHARDS % SESSION_BUCKETS];
}

static struct record *find(struct shard *s, const LUID *id)
{
    for (struct record *e = *bucket_of(s, id); e != NULL; e = e->hash_next)
        if (luid_equal(&e->info.logon_id, id))
            return e;
    return NULL;
}

static NTSTATUS copy_string(PUNICODE_STRING out, PCUNICODE_STRING in)
{
    out->Length = out->MaximumLength = 0;
    out->Buffer = NULL;
    if (in == NULL || in->Length == 0)
        return STATUS_SUCCESS;
    out->Buffer = malloc(in->Length);
    if (out->Buffer == NULL)
        return STATUS_NO_MEMORY;
    memcpy(out->Buffer, in->Buffer, in->Length);
    out->Length = out->MaximumLength = in->Length;
    return STATUS_SUCCESS;
}

static NTSTATUS copy_info(struct msv_session_info *out, const struct msv_session_info *in)
{
    *out = *in;
    out->user.Buffer = out->domain.Buffer = NULL;
    if (copy_string(&out->user, &in->user) != STATUS_SUCCESS ||
        copy_string(&out->domain, &in->domain) != STATUS_SUCCESS) {
        msv_session_info_free(out);
        return STATUS_NO_MEMORY;
    }
    return STATUS_SUCCESS;
}

/* A string of the record, its characters at *AT (advanced past them). */
static void place_string(PUNICODE_STRING out, PCUNICODE_STRING in, WCHAR **at)
{
    out->Length = out->MaximumLength = 0;
    out->Buffer = NULL;
    if (in == NULL || in->Length == 0)
        return;
    out->Buffer = *at;
    memcpy(out->Buffer, in->Buffer, in->Length);
    out->Length = out->MaximumLength = in->Length;
    *at += (in->Length + 1) / sizeof(WCHAR); /* an odd Length keeps its last byte */
}

void msv_session_info_free(struct msv_session_info *info)
{
    free(info->user.Buffer);
    free(info->domain.Buffer);
    memset(info, 0, sizeof(*info));
}

NTSTATUS msv_sessions_create(struct msv_session_records **records)
{
    struct msv_session_records *r;
    unsigned made = 0;

    *records = NULL;
    if (posix_memalign((void **)&r, CACHE_LINE, sizeof(*r)) != 0)
        return STATUS_NO_MEMORY;
    memset(r, 0, sizeof(*r));
    atomic_init(&r->next_sequence, 0);
    for (; made < SESSION_SHARDS; made++)
        if (msv_adaptive_mutex_init(&r->shards[made].lock) != 0)
            break;
    if (made < SESSION_SHARDS) {
        while (made-- > 0)
            pthread_mutex_destroy(&r->shards[made].lock);
        free(r);
        return STATUS_NO_MEMORY;
    }
    *records = r;
    return STATUS_SUCCESS;
}

void msv_sessions_destroy(struct msv_session_records *r)
{
    if (r == NULL)
        return;
    for (unsigned i = 0; i < SESSION_SHARDS; i++) {
        struct shard *s = &r->shards[i];
        while (s->first != NULL) {
            struct record *e = s->first;
            s->first = e->next;
            free(e);
        }
        pthread_mutex_destroy(&s->lock);
    }
    free(r);
}

NTSTATUS msv_sessions_add(struct msv_session_records *r, const LUID *logon_id,
                          SECURITY_LOGON_TYPE logon_type, PCUNICODE_STRING user,
                          PCUNICODE_STRING domain)
{
    size_t chars = (user != NULL ? (user->Length + 1u) / sizeof(WCHAR) : 0) +
                   (domain != NULL ? (domain->Length + 1u) / sizeof(WCHAR) : 0);
    struct record *e = malloc(sizeof(*e) + chars * sizeof(WCHAR));
    struct shard *s = shard_of(r, logon_id);
    WCHAR *at;
    NTSTATUS status;

    if (e == NULL)
        return STATUS_NO_MEMORY;
    memset(e, 0, sizeof(*e));
    e->info.logon_id = *logon_id;
    e->info.logon_type = logon_type;
    at = e->chars;
    place_string(&e->info.user, user, &at);
    place_string(&e->info.domain, domain, &at);
    pthread_mutex_lock(&s->lock);
    if (find(s, logon_id) != NULL) {
        status = STATUS_LOGON_SESSION_COLLISION;
    } else {
        e->sequence = atomic_fetch_add_explicit(&r->next_sequence, 1, memory_order_relaxed);
        e->info.enum_handle = (ULONG)e->sequence;
        e->hash_next = *bucket_of(s, logon_id);
        *bucket_of(s, logon_id) = e;
        e->prev = s->last;
        if (s->last != NULL)
            s->last->next = e;
        else
            s->first = e;
        s->last = e;
        s->count++;
        e = NULL;
        status = STATUS_SUCCESS;
    }
    pthread_mutex_unlock(&s->lock);
    free(e);
    return status;
}

BOOLEAN msv_sessions_remove(struct msv_session_records *r, const LUID *logon_id)
{
    struct shard *s = shard_of(r, logon_id);
    struct record **p, *e;

    pthread_mutex_lock(&s->lock);
    for (p = bucket_of(s, logon_id); *p != NULL; p = &(*p)->hash_next)
        if (luid_equal(&(*p)->info.logon_id, logon_id))
            break;
    e = *p;
    if (e != NULL) {
        *p = e->hash_next;
        if (e->prev != NULL)
            e->prev->next = e->next;
        else
            s->first = e->next;
        if (e->next != NULL)
            e->next->prev = e->prev;
        else
            s->last = e->prev;
        s->count--;
    }
    pthread_mutex_unlock(&s->lock);
    free(e);
    return e != NULL;
}

NTSTATUS msv_sessions_get(struct msv_session_records *r, const LUID *logon_id,
                          struct msv_session_info *info)
{
    struct shard *s = shard_of(r, logon_id);
    struct record *e;
    NTSTATUS status;

    memset(info, 0, sizeof(*info));
    pthread_mutex_lock(&s->lock);
    e = find(s, logon_id);
    status = e != NULL ? copy_info(info, &e->info) : STATUS_NO_SUCH_LOGON_SESSION;
    pthread_mutex_unlock(&s->lock);
    return status;
}

/* The shards' records merged in logon order into IDS and HANDLES (COUNT in all). */
static void merge(struct msv_session_records *r, LUID *ids, ULONG *handles, ULONG count)
{
    struct record *at[SESSION_SHARDS];

    for (unsigned i = 0; i < SESSION_SHARDS; i++)
        at[i] = r->shards[i].first;
    for (ULONG n = 0; n < count; n++) {
        unsigned oldest = SESSION_SHARDS;
        for (unsigned i = 0; i < SESSION_SHARDS; i++)
            if (at[i] != NULL && (oldest == SESSION_SHARDS ||
                                  at[i]->sequence < at[oldest]->sequence))
                oldest = i;
        ids[n] = at[oldest]->info.logon_id;
        handles[n] = at[oldest]->info.enum_handle;
        at[oldest] = at[oldest]->next;
    }
}

NTSTATUS msv_sessions_list(struct msv_session_records *r, LUID **ids, ULONG **handles,
                           ULONG *count)
{
    NTSTATUS status = STATUS_SUCCESS;
    ULONG n = 0;

    *ids = NULL;
    *handles = NULL;
    *count = 0;
    for (unsigned i = 0; i < SESSION_SHARDS; i++) {
        pthread_mutex_lock(&r->shards[i].lock);
        n += r->shards[i].count;
    }
    if (n > 0) {
        *ids = calloc(n, sizeof(**ids));
        *handles = calloc(n, sizeof(**handles));
        if (*ids == NULL || *handles == NULL)
            status = STATUS_NO_MEMORY;
        else
            merge(r, *ids, *handles, n);
    }
    for (unsigned i = SESSION_SHARDS; i-- > 0;)
        pthread_mutex_unlock(&r->shards[i].lock);
    if (status != STATUS_SUCCESS) {
        free(*ids);
        free(*handles);
        *ids = NULL;
        *handles = NULL;
        n = 0;
    }
    *count = n;
    return status;
}
