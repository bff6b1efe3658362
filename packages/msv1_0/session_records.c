/*
 * Session records (session_records.h): a hash on the LUID for LogonTerminated, which
 * the LSA calls for every session of every package, and a list in logon order for
 * MsV1_0EnumerateUsers.
 */
#include "session_records.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "msv_mutex.h"

#define SESSION_BUCKETS 1024u

struct record {
    struct msv_session_info info;
    struct record *hash_next;
    struct record *prev, *next;
};

struct msv_session_records {
    pthread_mutex_t lock;
    ULONG next_handle;
    ULONG count;
    struct record *first, *last;
    struct record *buckets[SESSION_BUCKETS];
};

static BOOLEAN luid_equal(const LUID *a, const LUID *b)
{
    return a->LowPart == b->LowPart && a->HighPart == b->HighPart;
}

static struct record **bucket_of(struct msv_session_records *r, const LUID *id)
{
    return &r->buckets[(id->LowPart ^ (ULONG)id->HighPart) % SESSION_BUCKETS];
}

static struct record *find(struct msv_session_records *r, const LUID *id)
{
    for (struct record *e = *bucket_of(r, id); e != NULL; e = e->hash_next)
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

void msv_session_info_free(struct msv_session_info *info)
{
    free(info->user.Buffer);
    free(info->domain.Buffer);
    memset(info, 0, sizeof(*info));
}

NTSTATUS msv_sessions_create(struct msv_session_records **records)
{
    struct msv_session_records *r = calloc(1, sizeof(*r));

    *records = NULL;
    if (r == NULL)
        return STATUS_NO_MEMORY;
    if (msv_adaptive_mutex_init(&r->lock) != 0) {
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
    while (r->first != NULL) {
        struct record *e = r->first;
        r->first = e->next;
        msv_session_info_free(&e->info);
        free(e);
    }
    pthread_mutex_destroy(&r->lock);
    free(r);
}

NTSTATUS msv_sessions_add(struct msv_session_records *r, const LUID *logon_id,
                          SECURITY_LOGON_TYPE logon_type, PCUNICODE_STRING user,
                          PCUNICODE_STRING domain)
{
    struct record *e = calloc(1, sizeof(*e));
    NTSTATUS status;

    if (e == NULL)
        return STATUS_NO_MEMORY;
    e->info.logon_id = *logon_id;
    e->info.logon_type = logon_type;
    if (copy_string(&e->info.user, user) != STATUS_SUCCESS ||
        copy_string(&e->info.domain, domain) != STATUS_SUCCESS) {
        msv_session_info_free(&e->info);
        free(e);
        return STATUS_NO_MEMORY;
    }
    pthread_mutex_lock(&r->lock);
    if (find(r, logon_id) != NULL) {
        status = STATUS_LOGON_SESSION_COLLISION;
    } else {
        e->info.enum_handle = r->next_handle++;
        e->hash_next = *bucket_of(r, logon_id);
        *bucket_of(r, logon_id) = e;
        e->prev = r->last;
        if (r->last != NULL)
            r->last->next = e;
        else
            r->first = e;
        r->last = e;
        r->count++;
        e = NULL;
        status = STATUS_SUCCESS;
    }
    pthread_mutex_unlock(&r->lock);
    if (e != NULL) {
        msv_session_info_free(&e->info);
        free(e);
    }
    return status;
}

BOOLEAN msv_sessions_remove(struct msv_session_records *r, const LUID *logon_id)
{
    struct record **p, *e;

    pthread_mutex_lock(&r->lock);
    for (p = bucket_of(r, logon_id); *p != NULL; p = &(*p)->hash_next)
        if (luid_equal(&(*p)->info.logon_id, logon_id))
            break;
    e = *p;
    if (e != NULL) {
        *p = e->hash_next;
        if (e->prev != NULL)
            e->prev->next = e->next;
        else
            r->first = e->next;
        if (e->next != NULL)
            e->next->prev = e->prev;
        else
            r->last = e->prev;
        r->count--;
    }
    pthread_mutex_unlock(&r->lock);
    if (e == NULL)
        return FALSE;
    msv_session_info_free(&e->info);
    free(e);
    return TRUE;
}

NTSTATUS msv_sessions_get(struct msv_session_records *r, const LUID *logon_id,
                          struct msv_session_info *info)
{
    struct record *e;
    NTSTATUS status;

    memset(info, 0, sizeof(*info));
    pthread_mutex_lock(&r->lock);
    e = find(r, logon_id);
    status = e != NULL ? copy_info(info, &e->info) : STATUS_NO_SUCH_LOGON_SESSION;
    pthread_mutex_unlock(&r->lock);
    return status;
}

NTSTATUS msv_sessions_list(struct msv_session_records *r, LUID **ids, ULONG **handles,
                           ULONG *count)
{
    NTSTATUS status = STATUS_SUCCESS;
    ULONG n = 0;

    *ids = NULL;
    *handles = NULL;
    *count = 0;
    pthread_mutex_lock(&r->lock);
    if (r->count > 0) {
        *ids = calloc(r->count, sizeof(**ids));
        *handles = calloc(r->count, sizeof(**handles));
        if (*ids == NULL || *handles == NULL) {
            status = STATUS_NO_MEMORY;
        } else {
            for (struct record *e = r->first; e != NULL; e = e->next, n++) {
                (*ids)[n] = e->info.logon_id;
                (*handles)[n] = e->info.enum_handle;
            }
        }
    }
    pthread_mutex_unlock(&r->lock);
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
