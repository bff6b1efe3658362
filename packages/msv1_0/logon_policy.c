#include "logon_policy.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lsa/lsa_status.h>
#include <lsa/ntsecapi.h>

#include "msv_log.h"
#include "nt_time.h"
#include "package_state.h"

/* Not the NT hash of any password anyone chose: 16 bytes of pi. */
const uint8_t msv_dummy_nt_hash[16] = { 0x24, 0x3f, 0x6a, 0x88, 0x85, 0xa3, 0x08, 0xd3,
                                        0x13, 0x19, 0x8a, 0x2e, 0x03, 0x70, 0x73, 0x44 };

#define SECONDS_PER_DAY INT64_C(86400)
/* Never pad an unknown-user answer by more than this (a stalled disk is not a model). */
#define MAX_PAD_NS (INT64_C(2) * 1000000000)

/*
 * Each thread keeps its handle on the store (msv_store_open checks the files and their
 * permissions; every operation then reads the files as they are now, so a handle kept
 * between calls still sees every change `lsa user` makes).  One handle per thread: a
 * handle serialises the threads that share it.
 */
struct cached_store {
    struct msv_store *store;
    char *path;
};

static pthread_key_t store_key;
static pthread_once_t store_key_once = PTHREAD_ONCE_INIT;
static BOOLEAN store_key_ok;

static void drop_cached_store(void *p)
{
    struct cached_store *c = p;

    msv_store_close(c->store);
    free(c->path);
    free(c);
}

static void make_store_key(void)
{
    store_key_ok = pthread_key_create(&store_key, drop_cached_store) == 0;
}

static NTSTATUS open_store(const char *path, struct msv_store **store)
{
    NTSTATUS status = msv_store_open(path, store);
    const char *name;

    switch (status) {
    case STATUS_SUCCESS:
        return STATUS_SUCCESS;
    case STATUS_OBJECT_NAME_NOT_FOUND:
        msv_pkg_log(LOG_ERR, "account store %s does not exist (create it with lsa user add)",
                    path);
        return STATUS_NO_SUCH_USER;
    case STATUS_ACCESS_DENIED:
        /* The store logged why (the file and its mode, or the refused open). */
        return STATUS_ACCESS_DENIED;
    default:
        name = lsa_status_name(status);
        msv_pkg_log(LOG_ERR, "account store %s cannot be opened: %s (0x%08x)", path,
                    name ? name : "unknown status", (unsigned)status);
        return status;
    }
}

NTSTATUS msv_policy_open_store(struct msv_store **store)
{
    const char *path = msv_package.config.store_path;
    struct cached_store *c = NULL;
    NTSTATUS status;

    pthread_once(&store_key_once, make_store_key);
    if (store_key_ok) {
        c = pthread_getspecific(store_key);
        if (c != NULL && strcmp(c->path, path) == 0) {
            *store = c->store;
            return STATUS_SUCCESS;
        }
    }
    status = open_store(path, store);
    if (status != STATUS_SUCCESS || !store_key_ok)
        return status;
    if (c != NULL) {
        pthread_setspecific(store_key, NULL);
        drop_cached_store(c);
    }
    c = calloc(1, sizeof(*c));
    if (c != NULL && (c->path = strdup(path)) != NULL &&
        pthread_setspecific(store_key, c) == 0) {
        c->store = *store;
        return STATUS_SUCCESS;
    }
    if (c != NULL)
        free(c->path);
    free(c);
    return STATUS_SUCCESS; /* not kept: msv_policy_close_store closes it */
}

void msv_policy_close_store(struct msv_store *store)
{
    struct cached_store *c = store_key_ok ? pthread_getspecific(store_key) : NULL;

    if (store != NULL && (c == NULL || c->store != store))
        msv_store_close(store);
}

void msv_policy_shutdown(void)
{
    struct cached_store *c;

    if (!store_key_ok)
        return;
    /* Other threads' handles are let go: the key's destructor must not outlive the
     * package's code. */
    c = pthread_getspecific(store_key);
    if (c != NULL)
        drop_cached_store(c);
    pthread_key_delete(store_key);
    store_key_ok = FALSE;
}

BOOLEAN msv_policy_locked_out(const struct msv_account *a, int64_t now)
{
    const struct msv_config *c = &msv_package.config;

    if (a->lockout_time == 0)
        return FALSE;
    if (c->lockout_duration == 0)
        return TRUE; /* until an administrator unlocks it */
    return now < a->lockout_time + c->lockout_duration;
}

static BOOLEAN password_expired(const struct msv_account *a, int64_t now)
{
    int64_t age = msv_package.config.max_password_age;

    if (age == 0 || (a->acb_flags & ACB_PWNOEXP))
        return FALSE;
    return now >= a->password_last_set + age * SECONDS_PER_DAY;
}

int64_t msv_policy_password_must_change(const struct msv_account *a)
{
    int64_t age = msv_package.config.max_password_age;

    if (age == 0 || (a->acb_flags & ACB_PWNOEXP))
        return MSV_NT_TIME_NEVER;
    return msv_unix_to_nt(a->password_last_set + age * SECONDS_PER_DAY);
}

NTSTATUS msv_policy_restrictions(const struct msv_account *a, int64_t now, BOOLEAN network,
                                 ULONG parameter_control, NTSTATUS *sub_status)
{
    *sub_status = STATUS_SUCCESS;
    if (a->acb_flags & ACB_DISABLED) {
        *sub_status = STATUS_ACCOUNT_DISABLED;
        return STATUS_ACCOUNT_RESTRICTION;
    }
    if (a->acb_flags & ACB_DOMTRUST)
        return STATUS_NOLOGON_INTERDOMAIN_TRUST_ACCOUNT;
    if ((a->acb_flags & ACB_WSTRUST) &&
        !(network && (parameter_control & MSV1_0_ALLOW_WORKSTATION_TRUST_ACCOUNT)))
        return STATUS_NOLOGON_WORKSTATION_TRUST_ACCOUNT;
    if ((a->acb_flags & ACB_SVRTRUST) &&
        !(network && (parameter_control & MSV1_0_ALLOW_SERVER_TRUST_ACCOUNT)))
        return STATUS_NOLOGON_SERVER_TRUST_ACCOUNT;
    if (password_expired(a, now)) {
        *sub_status = STATUS_PASSWORD_EXPIRED;
        return STATUS_ACCOUNT_RESTRICTION;
    }
    if (a->must_change) {
        *sub_status = STATUS_PASSWORD_MUST_CHANGE;
        return STATUS_ACCOUNT_RESTRICTION;
    }
    return STATUS_SUCCESS;
}

void msv_policy_expire_lockout(struct msv_account *a, int64_t now)
{
    if (a->lockout_time != 0 && !msv_policy_locked_out(a, now)) {
        a->lockout_time = 0;
        a->bad_password_count = 0;
    }
}

void msv_policy_apply_bad_password(struct msv_account *a, int64_t now)
{
    const struct msv_config *c = &msv_package.config;

    msv_policy_expire_lockout(a, now);
    /* The count restarts when the previous bad password is older than the window (or
     * the clock went back past it). */
    if (a->bad_password_count > 0 &&
        (now - a->bad_password_time >= c->lockout_window || now < a->bad_password_time))
        a->bad_password_count = 0;
    if (a->bad_password_count < UINT32_MAX)
        a->bad_password_count++;
    a->bad_password_time = now;
    if (c->lockout_threshold != 0 && a->bad_password_count >= c->lockout_threshold &&
        a->lockout_time == 0)
        a->lockout_time = now;
}

struct record_context {
    int64_t now;
    struct msv_account *after;
};

static NTSTATUS edit_bad_password(struct msv_account *a, void *context)
{
    struct record_context *ctx = context;

    msv_policy_apply_bad_password(a, ctx->now);
    if (ctx->after != NULL)
        *ctx->after = *a;
    return STATUS_SUCCESS;
}

static NTSTATUS edit_success(struct msv_account *a, void *context)
{
    struct record_context *ctx = context;

    msv_policy_expire_lockout(a, ctx->now);
    a->bad_password_count = 0;
    if (a->logon_count < UINT32_MAX)
        a->logon_count++;
    a->last_logon = ctx->now;
    if (ctx->after != NULL)
        *ctx->after = *a;
    return STATUS_SUCCESS;
}

NTSTATUS msv_policy_record_bad_password(struct msv_store *store, const char *name, int64_t now,
                                        struct msv_account *after)
{
    struct record_context ctx = { now, after };
    return msv_store_update(store, name, edit_bad_password, &ctx);
}

NTSTATUS msv_policy_record_success(struct msv_store *store, const char *name, int64_t now,
                                   struct msv_account *after)
{
    struct record_context ctx = { now, after };
    return msv_store_update(store, name, edit_success, &ctx);
}

/* ---- timing ------------------------------------------------------------------------ */

/* The last few durations of the wrong-password path; an unknown user is padded to
 * their median (robust against one stalled write, quick to follow a slower disk). */
#define TIMING_SAMPLES 8

static pthread_mutex_t timing_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t timing_samples[TIMING_SAMPLES];
static unsigned timing_count, timing_next;

void msv_timing_begin(struct msv_timing *t)
{
    t->start_ns = msv_monotonic_ns();
}

void msv_timing_wrong_password(const struct msv_timing *t)
{
    int64_t sample = msv_monotonic_ns() - t->start_ns;

    if (sample < 0)
        return;
    pthread_mutex_lock(&timing_lock);
    timing_samples[timing_next] = sample;
    timing_next = (timing_next + 1) % TIMING_SAMPLES;
    if (timing_count < TIMING_SAMPLES)
        timing_count++;
    pthread_mutex_unlock(&timing_lock);
}

static int compare_ns(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int64_t typical_wrong_password_ns(void)
{
    int64_t sorted[TIMING_SAMPLES];
    unsigned n;

    pthread_mutex_lock(&timing_lock);
    n = timing_count;
    memcpy(sorted, timing_samples, sizeof(sorted));
    pthread_mutex_unlock(&timing_lock);
    if (n == 0)
        return 0;
    qsort(sorted, n, sizeof(sorted[0]), compare_ns);
    return sorted[n / 2];
}

void msv_timing_unknown_user(const struct msv_timing *t)
{
    int64_t pad = typical_wrong_password_ns() - (msv_monotonic_ns() - t->start_ns);
    struct timespec ts;

    if (pad <= 0)
        return;
    if (pad > MAX_PAD_NS)
        pad = MAX_PAD_NS;
    ts.tv_sec = (time_t)(pad / 1000000000);
    ts.tv_nsec = (long)(pad % 1000000000);
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}
