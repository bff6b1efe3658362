#include "kerb_context.h"

#include <profile.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <lsa/ntstatus.h>

#include "kdc_transport.h"
#include "kerb_conf_view.h"
#include "kerb_log.h"

void kerb_exchange_init(struct kerb_exchange *x, int64_t timeout_ms)
{
    struct timespec now;

    memset(x, 0, sizeof(*x));
    clock_gettime(CLOCK_MONOTONIC, &now);
    x->deadline_ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000 + timeout_ms;
}

int64_t kerb_exchange_remaining_ms(const struct kerb_exchange *x)
{
    struct timespec now;
    int64_t left;

    clock_gettime(CLOCK_MONOTONIC, &now);
    left = x->deadline_ms - ((int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000);
    return left > 0 ? left : 0;
}

/* The message format is not a stable API; it holds from MIT 1.12 to 1.21. */
static void trace(krb5_context ctx, const krb5_trace_info *info, void *data)
{
    struct kerb_exchange *x = data;
    const char *m = info ? strstr(info->message, "Preauth module pkinit (") : NULL;
    int pa_type;
    long code;

    (void)ctx;
    if (m == NULL || sscanf(m, "Preauth module pkinit (%d) (real) returned: %ld/", &pa_type,
                            &code) != 2 || code == 0)
        return;
    if (pa_type == 16)
        x->pkinit_request_code = (krb5_error_code)code;
    else if (pa_type == 17)
        x->pkinit_reply_code = (krb5_error_code)code;
}

NTSTATUS kerb_context_new(struct kerb_exchange *x, BOOLEAN pkinit, krb5_context *ctx)
{
    krb5_error_code code = pkinit ? krb5_init_context(ctx) : kerb_context_without_pkinit(ctx);

    if (code != 0) {
        kerb_log_krb5_error(LOG_ERR, NULL, code, "cannot read the Kerberos configuration");
        *ctx = NULL;
        return STATUS_INTERNAL_ERROR;
    }
    kerb_transport_install(*ctx, x);
    /* No trace until a PKINIT exchange asks for it (kerb_context_trace_pkinit): with a
     * callback set, the library formats every trace message of the operation, about 240
     * thousand instructions for a password logon, and only PKINIT's are ever read.  A
     * KRB5_TRACE file from the environment stays off, as when the callback replaced it. */
    krb5_set_trace_callback(*ctx, NULL, NULL);
    return STATUS_SUCCESS;
}

void kerb_context_trace_pkinit(krb5_context ctx, struct kerb_exchange *x)
{
    krb5_set_trace_callback(ctx, trace, x);
}

void kerb_log_krb5_error(int priority, krb5_context ctx, krb5_error_code code, const char *what)
{
    const char *message = krb5_get_error_message(ctx, code);

    kerb_log(priority, "%s: %s (krb5 %ld)", what, message, (long)code);
    krb5_free_error_message(ctx, message);
}

char **kerb_realm_values(profile_t profile, const char *realm, const char *name)
{
    char **values = NULL;
    const char *names[] = { "realms", realm, name, NULL };

    if (profile_get_values(profile, names, &values) != 0)
        values = NULL;
    return values;
}

int kerb_libdefaults_integer(profile_t profile, const char *name, int default_value)
{
    int value = default_value;

    if (profile_get_integer(profile, "libdefaults", name, NULL, default_value, &value) != 0) {
        kerb_log(LOG_WARNING, "krb5.conf [libdefaults] %s: not an integer; using %d", name,
                 default_value);
        value = default_value;
    }
    return value;
}

int kerb_libdefaults_boolean(profile_t profile, const char *name, int default_value)
{
    int value = default_value;

    if (profile_get_boolean(profile, "libdefaults", name, NULL, default_value, &value) != 0) {
        kerb_log(LOG_WARNING, "krb5.conf [libdefaults] %s: not a boolean; using %s", name,
                 default_value ? "true" : "false");
        value = default_value;
    }
    return value;
}
