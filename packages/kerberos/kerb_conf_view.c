/*
 * A vtable profile (profile.h, profile_init_vtable) over the library's own: every
 * lookup and iteration goes to the file-backed profile, and the one relation
 * [plugins] clpreauth disable gets "pkinit" added to whatever krb5.conf lists.  The
 * file-backed profile keeps doing what it does (includes, re-reading a changed file);
 * the library's in-memory tree is never written, which profile_add_relation would do
 * to the copy every context of the process shares.
 */
#include "kerb_conf_view.h"

#include <errno.h>
#include <profile.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* The library copies a context's profile (krb5_get_profile, a context made from it);
 * profile_copy is not exported, so the copies share the view and its base, counted. */
struct view {
    profile_t base;
    atomic_uint references;
};

static int is_clpreauth_disable(const char *const *names)
{
    return names[0] != NULL && strcmp(names[0], "plugins") == 0 && names[1] != NULL &&
           strcmp(names[1], "clpreauth") == 0 && names[2] != NULL &&
           strcmp(names[2], "disable") == 0 && names[3] == NULL;
}

static void free_values(void *cbdata, char **values)
{
    (void)cbdata;
    for (char **v = values; v != NULL && *v != NULL; v++)
        free(*v);
    free(values);
}

/* The base's values, copied so that free_values owns every list it is given; the
 * clpreauth disable list gets "pkinit" appended. */
static long get_values(void *cbdata, const char *const *names, char ***ret_values)
{
    struct view *view = cbdata;
    const char *extra = is_clpreauth_disable(names) ? "pkinit" : NULL;
    char **base = NULL, **out;
    size_t n = 0;
    long code = profile_get_values(view->base, (const char **)names, &base);

    *ret_values = NULL;
    if (code != 0 && (extra == NULL || (code != PROF_NO_RELATION && code != PROF_NO_SECTION)))
        return code;
    while (base != NULL && base[n] != NULL)
        n++;
    out = calloc(n + 2, sizeof(*out));
    for (size_t i = 0; out != NULL && i < n; i++)
        if ((out[i] = strdup(base[i])) == NULL) {
            free_values(NULL, out);
            out = NULL;
        }
    if (out != NULL && extra != NULL && (out[n] = strdup(extra)) == NULL) {
        free_values(NULL, out);
        out = NULL;
    }
    profile_free_list(base);
    if (out == NULL)
        return ENOMEM;
    *ret_values = out;
    return 0;
}

static void cleanup(void *cbdata)
{
    struct view *view = cbdata;
    if (atomic_fetch_sub(&view->references, 1) == 1) {
        profile_release(view->base);
        free(view);
    }
}

static long copy(void *cbdata, void **ret_cbdata)
{
    struct view *view = cbdata;
    atomic_fetch_add(&view->references, 1);
    *ret_cbdata = view;
    return 0;
}

static long iterator_create(void *cbdata, const char *const *names, int flags, void **ret_iter)
{
    struct view *view = cbdata;
    return profile_iterator_create(view->base, (const char *const *)names, flags, ret_iter);
}

static long iterator(void *cbdata, void *iter, char **ret_name, char **ret_value)
{
    (void)cbdata;
    return profile_iterator(&iter, ret_name, ret_value);
}

static void iterator_free(void *cbdata, void *iter)
{
    (void)cbdata;
    profile_iterator_free(&iter);
}

static void free_string(void *cbdata, char *string)
{
    (void)cbdata;
    profile_release_string(string);
}

static struct profile_vtable view_vtable = {
    .minor_ver = 1,
    .get_values = get_values,
    .free_values = free_values,
    .cleanup = cleanup,
    .copy = copy,
    .iterator_create = iterator_create,
    .iterator = iterator,
    .iterator_free = iterator_free,
    .free_string = free_string,
};

krb5_error_code kerb_context_without_pkinit(krb5_context *ctx)
{
    krb5_context plain = NULL;
    profile_t profile = NULL;
    struct view *view = calloc(1, sizeof(*view));
    krb5_error_code code = view != NULL ? krb5_init_context(&plain) : ENOMEM;

    *ctx = NULL;
    if (code == 0) {
        atomic_init(&view->references, 1);
        code = krb5_get_profile(plain, &view->base);
    }
    krb5_free_context(plain);
    if (code == 0) {
        code = (krb5_error_code)profile_init_vtable(&view_vtable, view, &profile);
        if (code == 0)
            view = NULL; /* the profile owns it: profile_release calls cleanup */
    }
    if (code == 0)
        code = krb5_init_context_profile(profile, 0, ctx);
    profile_release(profile);
    if (view != NULL) {
        profile_release(view->base);
        free(view);
    }
    return code;
}
