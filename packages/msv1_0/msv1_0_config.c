/*
 * [msv1_0] of lsa.conf.  Keys and defaults (lsa.conf(5)):
 *
 *   store                   STATE_DIR/smbpasswd; STATE_DIR = [lsa] state_dir
 *   domain                  the host name up to its first dot, upper-cased
 *   lm_compatibility_level  5           0-5, the Windows LmCompatibilityLevel
 *   challenge_lifetime      120         seconds, 1-129600 (MSV1_0_MAX_NTLM3_LIFE)
 *   ntlmv2_max_skew         300         seconds, 1-129600
 *   lockout_threshold       10          bad passwords, 0-999; 0 = never lock out
 *   lockout_window          600         seconds, 1-5999940 (99999 minutes)
 *   lockout_duration        600         seconds, 0-5999940; 0 = until unlocked by hand
 *   min_password_length     8           characters, 0-256
 *   max_password_age        0           days, 0-999; 0 = passwords never expire
 */
#include "msv1_0_config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lsa/lsa_util.h>

#include "msv_log.h"

#ifndef MSV_STATE_DIR
#define MSV_STATE_DIR "/var/lib/lsa"
#endif

#define MSV_LOCKOUT_MAX_SECONDS INT64_C(5999940)

/* lsa_get_config for the package's own section, counting the keys that are set. */
static const char *own(PLSA_SECPKG_FUNCTION_TABLE f, ULONG_PTR id, const char *key, int *count)
{
    const char *value = f->lsa_get_config(id, key);

    if (value != NULL)
        (*count)++;
    return value;
}

static NTSTATUS bad_value(const char *key, const char *value, const char *expected)
{
    char safe[MSV_LOG_NAME_SIZE];

    msv_pkg_log(LOG_ERR, "configuration: [msv1_0] %s = '%s' is not valid (%s)",
                key, lsa_log_name(value, safe, sizeof(safe)), expected);
    return STATUS_INVALID_PARAMETER;
}

/* A decimal integer in [MIN, MAX]: digits only, no sign, no trailing text. */
static NTSTATUS integer_key(PLSA_SECPKG_FUNCTION_TABLE f, ULONG_PTR id, int *count,
                            const char *key, int64_t fallback, int64_t min, int64_t max,
                            const char *expected, int64_t *out)
{
    const char *value = own(f, id, key, count);
    char *end;
    long long v;

    if (value == NULL) {
        *out = fallback;
        return STATUS_SUCCESS;
    }
    if (!isdigit((unsigned char)value[0]))
        return bad_value(key, value, expected);
    errno = 0;
    v = strtoll(value, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return bad_value(key, value, expected);
    *out = v;
    return STATUS_SUCCESS;
}

/* The host name up to its first dot, upper-cased: a Windows machine's local SAM domain
 * and computer name. */
static char *computer_name(void)
{
    char host[256];
    size_t n;

    if (gethostname(host, sizeof(host)) != 0)
        host[0] = '\0';
    host[sizeof(host) - 1] = '\0';
    n = strcspn(host, ".");
    host[n] = '\0';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)host[i];
        host[i] = (c < 0x20 || c >= 0x7f || c == '\\') ? '-' : (char)toupper(c);
    }
    return strdup(n > 0 ? host : "LOCALHOST");
}

static NTSTATUS domain_key(struct msv_config *c, PLSA_SECPKG_FUNCTION_TABLE f, ULONG_PTR id,
                           int *count, const char *computer)
{
    const char *value = own(f, id, "domain", count);
    const char *expected = "a name of 1-255 characters without control characters or '\\', "
                           "other than \".\"";

    if (value == NULL)
        value = computer;
    else if (value[0] == '\0' || strlen(value) > MSV_MAX_DOMAIN_LENGTH || strcmp(value, ".") == 0)
        return bad_value("domain", value, expected);
    for (const char *p = value; *p != '\0'; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '\\')
            return bad_value("domain", value, expected);
    c->domain = strdup(value);
    if (c->domain == NULL)
        return STATUS_NO_MEMORY;
    if (lsa_utf8_to_unicode_string(c->domain, strlen(c->domain), &c->domain_w) != STATUS_SUCCESS)
        return bad_value("domain", value, "valid UTF-8");
    return STATUS_SUCCESS;
}

static NTSTATUS store_key(struct msv_config *c, PLSA_SECPKG_FUNCTION_TABLE f, ULONG_PTR id,
                          int *count)
{
    const char *value = own(f, id, "store", count);
    const char *state_dir;
    size_t length;

    if (value != NULL) {
        if (value[0] != '/')
            return bad_value("store", value, "an absolute path");
        c->store_path = strdup(value);
        return c->store_path != NULL ? STATUS_SUCCESS : STATUS_NO_MEMORY;
    }
    state_dir = f->lsa_get_config(LSA_CONFIG_SECTION_LSA, "state_dir");
    if (state_dir == NULL || state_dir[0] == '\0')
        state_dir = MSV_STATE_DIR;
    length = strlen(state_dir) + sizeof("/" MSV_STORE_FILE_NAME);
    c->store_path = malloc(length);
    if (c->store_path == NULL)
        return STATUS_NO_MEMORY;
    snprintf(c->store_path, length, "%s/%s", state_dir, MSV_STORE_FILE_NAME);
    return STATUS_SUCCESS;
}

static NTSTATUS computer_strings(struct msv_config *c, const char *computer)
{
    size_t length = strlen(computer);
    char *server = malloc(length + 3);
    NTSTATUS status;

    if (server == NULL)
        return STATUS_NO_MEMORY;
    server[0] = server[1] = '\\';
    memcpy(server + 2, computer, length + 1);
    status = lsa_utf8_to_unicode_string(computer, length, &c->computer_w);
    if (status == STATUS_SUCCESS)
        status = lsa_utf8_to_unicode_string(server, length + 2, &c->logon_server_w);
    free(server);
    return status;
}

NTSTATUS msv_config_load(struct msv_config *c, PLSA_SECPKG_FUNCTION_TABLE f, ULONG_PTR id)
{
    char *computer;
    int64_t v;
    int count = 0;
    NTSTATUS status;

    memset(c, 0, sizeof(*c));
    computer = computer_name();
    if (computer == NULL)
        return STATUS_NO_MEMORY;
    status = computer_strings(c, computer);
    if (status == STATUS_SUCCESS)
        status = domain_key(c, f, id, &count, computer);
    free(computer);
    if (status == STATUS_SUCCESS)
        status = store_key(c, f, id, &count);

#define INTEGER(key, def, min, max, expected, field)                                               \
    do {                                                                                           \
        if (status == STATUS_SUCCESS) {                                                            \
            status = integer_key(f, id, &count, key, def, min, max, expected, &v);                         \
            c->field = (__typeof__(c->field))v;                                                    \
        }                                                                                          \
    } while (0)

    INTEGER("lm_compatibility_level", MSV_DEFAULT_LM_COMPATIBILITY_LEVEL, 0, 5, "0 to 5",
            lm_compatibility_level);
    INTEGER("challenge_lifetime", MSV_DEFAULT_CHALLENGE_LIFETIME, 1, 129600,
            "seconds, 1 to 129600", challenge_lifetime);
    INTEGER("ntlmv2_max_skew", MSV_DEFAULT_NTLMV2_MAX_SKEW, 1, 129600, "seconds, 1 to 129600",
            ntlmv2_max_skew);
    INTEGER("lockout_threshold", MSV_DEFAULT_LOCKOUT_THRESHOLD, 0, 999,
            "bad passwords, 0 (never) to 999", lockout_threshold);
    INTEGER("lockout_window", MSV_DEFAULT_LOCKOUT_WINDOW, 1, MSV_LOCKOUT_MAX_SECONDS,
            "seconds, 1 to 5999940", lockout_window);
    INTEGER("lockout_duration", MSV_DEFAULT_LOCKOUT_DURATION, 0, MSV_LOCKOUT_MAX_SECONDS,
            "seconds, 0 (until unlocked) to 5999940", lockout_duration);
    INTEGER("min_password_length", MSV_DEFAULT_MIN_PASSWORD_LENGTH, 0, 256,
            "characters, 0 to 256", min_password_length);
    INTEGER("max_password_age", MSV_DEFAULT_MAX_PASSWORD_AGE, 0, 999,
            "days, 0 (never) to 999", max_password_age);
#undef INTEGER

    if (status != STATUS_SUCCESS)
        msv_config_free(c);
    return status;
}

void msv_config_free(struct msv_config *c)
{
    free(c->store_path);
    free(c->domain);
    lsa_free_unicode_string(&c->domain_w);
    lsa_free_unicode_string(&c->computer_w);
    lsa_free_unicode_string(&c->logon_server_w);
    memset(c, 0, sizeof(*c));
}
