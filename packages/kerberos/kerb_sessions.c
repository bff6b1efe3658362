#include "kerb_sessions.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include <lsa/lsa_util.h>
#include <lsa/ntstatus.h>
#include <lsa/winnt.h>

#include "kerb_machine.h"

struct session {
    struct session *next;
    LUID id;
    char *ccache;
    char *principal;
    BOOLEAN pkinit;
};

static pthread_mutex_t sessions_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct session *sessions;

static BOOLEAN same(const LUID *a, const LUID *b)
{
    return a->LowPart == b->LowPart && a->HighPart == b->HighPart;
}

BOOLEAN kerb_is_machine_session(const LUID *id)
{
    return id->HighPart == 0 && (id->LowPart == 0x3e7 || id->LowPart == 0x3e4);
}

static void free_session(struct session *s)
{
    free(s->ccache);
    free(s->principal);
    free(s);
}

NTSTATUS kerb_session_add(const LUID *id, const char *ccache_name, const char *principal,
                          BOOLEAN pkinit)
{
    struct session *s = calloc(1, sizeof(*s));

    if (s == NULL)
        return STATUS_NO_MEMORY;
    s->id = *id;
    s->pkinit = pkinit;
    s->ccache = strdup(ccache_name);
    s->principal = strdup(principal);
    if (s->ccache == NULL || s->principal == NULL) {
        free_session(s);
        return STATUS_NO_MEMORY;
    }
    pthread_mutex_lock(&sessions_mutex);
    s->next = sessions;
    sessions = s;
    pthread_mutex_unlock(&sessions_mutex);
    return STATUS_SUCCESS;
}

static void destroy_ccache(const char *name)
{
    krb5_context ctx;
    krb5_ccache cc;

    if (krb5_init_context(&ctx) != 0)
        return;
    if (krb5_cc_resolve(ctx, name, &cc) == 0)
        krb5_cc_destroy(ctx, cc);
    krb5_free_context(ctx);
}

void kerb_session_remove(const LUID *id)
{
    struct session *found = NULL;

    pthread_mutex_lock(&sessions_mutex);
    for (struct session **at = &sessions; *at != NULL; at = &(*at)->next)
        if (same(&(*at)->id, id)) {
            found = *at;
            *at = found->next;
            break;
        }
    pthread_mutex_unlock(&sessions_mutex);
    if (found == NULL)
        return;
    destroy_ccache(found->ccache);
    free_session(found);
}

NTSTATUS kerb_session_ccache(const LUID *id, char *out, size_t out_size)
{
    NTSTATUS status = STATUS_NO_SUCH_LOGON_SESSION;

    if (kerb_is_machine_session(id))
        return kerb_machine_ccache(id, out, out_size);
    pthread_mutex_lock(&sessions_mutex);
    for (struct session *s = sessions; s != NULL; s = s->next)
        if (same(&s->id, id)) {
            snprintf(out, out_size, "%s", s->ccache);
            status = STATUS_SUCCESS;
            break;
        }
    pthread_mutex_unlock(&sessions_mutex);
    return status;
}

void kerb_session_new_ccache_name(const LUID *id, char *out, size_t out_size)
{
    unsigned char r[8] = { 0 };

    /* The random part keeps a name from being reused after its session ended (it stays
     * zero should no random source answer: the LUID part is still unique). */
    lsa_random_identifier(r, sizeof(r));
    snprintf(out, out_size, "MEMORY:lsa_%08x%08x_%02x%02x%02x%02x%02x%02x%02x%02x",
             (unsigned)id->HighPart, (unsigned)id->LowPart, r[0], r[1], r[2], r[3], r[4], r[5],
             r[6], r[7]);
}

void kerb_sessions_clear(void)
{
    pthread_mutex_lock(&sessions_mutex);
    while (sessions != NULL) {
        struct session *s = sessions;
        sessions = s->next;
        destroy_ccache(s->ccache);
        free_session(s);
    }
    pthread_mutex_unlock(&sessions_mutex);
}
