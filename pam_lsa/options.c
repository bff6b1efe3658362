/* The option table of pam_lsa (pam_lsa(8), OPTIONS): one sorted table, looked up with bsearch. */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <security/pam_ext.h>

#include "options.h"

enum pl_type { PL_BOOL, PL_STRING, PL_NUMBER, PL_LOGON_KIND, PL_FALLBACK_KIND };

struct pl_option {
    const char *name;
    enum pl_type type;
    size_t offset;
};

#define OPT(name, type, field) { name, type, offsetof(struct pl_options, field) }

/* Sorted by name (strcmp): bsearch depends on it. */
static const struct pl_option option_table[] = {
    OPT("config", PL_STRING, config),
    OPT("daemon_fallback", PL_FALLBACK_KIND, daemon_fallback),
    OPT("debug", PL_BOOL, debug),
    OPT("domain", PL_STRING, domain),
    OPT("ignore_root", PL_BOOL, ignore_root),
    OPT("logon", PL_LOGON_KIND, logon),
    OPT("minimum_uid", PL_NUMBER, minimum_uid),
    OPT("package", PL_STRING, package),
    OPT("pkinit_identity", PL_STRING, pkinit_identity),
    OPT("realm", PL_STRING, realm),
    OPT("retain_after_close", PL_BOOL, retain_after_close),
    OPT("silent", PL_BOOL, silent),
    OPT("try_first_pass", PL_BOOL, try_first_pass),
    OPT("use_authtok", PL_BOOL, use_authtok),
    OPT("use_first_pass", PL_BOOL, use_first_pass),
};

struct key {
    const char *name;
    size_t length;
};

static int compare(const void *k, const void *o)
{
    const struct key *key = k;
    const struct pl_option *option = o;
    int c = strncmp(key->name, option->name, key->length);
    if (c != 0)
        return c;
    return option->name[key->length] == '\0' ? 0 : -1;
}

static int set_value(pam_handle_t *pamh, const struct pl_option *option, const char *arg,
                     const char *value, struct pl_options *opts)
{
    char *field = (char *)opts + option->offset;
    if (option->type == PL_BOOL) {
        if (value != NULL) {
            pam_syslog(pamh, LOG_ERR, "option %s takes no value; ignored", option->name);
            return PAM_SUCCESS;
        }
        *(int *)(void *)field = 1;
        return PAM_SUCCESS;
    }
    if (value == NULL) {
        pam_syslog(pamh, LOG_ERR, "option %s needs a value (%s=...)", option->name, option->name);
        return PAM_SERVICE_ERR;
    }
    switch (option->type) {
    case PL_STRING:
        if (*value == '\0' && strcmp(option->name, "domain") != 0) {
            pam_syslog(pamh, LOG_ERR, "option %s has an empty value", option->name);
            return PAM_SERVICE_ERR;
        }
        *(const char **)(void *)field = value;
        return PAM_SUCCESS;
    case PL_NUMBER: {
        char *end;
        errno = 0;
        long n = strtol(value, &end, 10);
        if (errno != 0 || end == value || *end != '\0' || n < 0) {
            pam_syslog(pamh, LOG_ERR, "option %s: not a number: %s", option->name, value);
            return PAM_SERVICE_ERR;
        }
        *(long *)(void *)field = n;
        return PAM_SUCCESS;
    }
    case PL_LOGON_KIND:
        if (strcmp(value, "interactive") == 0)
            opts->logon = PL_LOGON_INTERACTIVE;
        else if (strcmp(value, "challenge") == 0)
            opts->logon = PL_LOGON_CHALLENGE;
        else if (strcmp(value, "certificate") == 0)
            opts->logon = PL_LOGON_CERTIFICATE;
        else {
            pam_syslog(pamh, LOG_ERR, "bad option %s: logon is interactive, challenge or certificate",
                       arg);
            return PAM_SERVICE_ERR;
        }
        return PAM_SUCCESS;
    case PL_FALLBACK_KIND:
        if (strcmp(value, "none") == 0)
            opts->daemon_fallback = PL_FALLBACK_NONE;
        else if (strcmp(value, "embedded") == 0)
            opts->daemon_fallback = PL_FALLBACK_EMBEDDED;
        else {
            pam_syslog(pamh, LOG_ERR, "bad option %s: daemon_fallback is none or embedded", arg);
            return PAM_SERVICE_ERR;
        }
        return PAM_SUCCESS;
    case PL_BOOL:
        break;
    }
    return PAM_SERVICE_ERR;
}

int pl_options_parse(pam_handle_t *pamh, int flags, int argc, const char **argv,
                     struct pl_options *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->domain = "";
    opts->logon = PL_LOGON_INTERACTIVE;
    int rc = PAM_SUCCESS;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        if (arg == NULL)
            continue;
        const char *equals = strchr(arg, '=');
        struct key key = { arg, equals ? (size_t)(equals - arg) : strlen(arg) };
        const struct pl_option *option =
            bsearch(&key, option_table, sizeof(option_table) / sizeof(option_table[0]),
                    sizeof(option_table[0]), compare);
        if (option == NULL) {
            pam_syslog(pamh, LOG_ERR, "unknown option %.*s; ignored", (int)key.length, arg);
            continue;
        }
        int r = set_value(pamh, option, arg, equals ? equals + 1 : NULL, opts);
        if (r != PAM_SUCCESS)
            rc = r;
    }
    if (flags & PAM_SILENT)
        opts->silent = 1;
    if (rc == PAM_SUCCESS && opts->package == NULL) {
        pam_syslog(pamh, LOG_ERR, "no package= option: the module needs an authentication package");
        rc = PAM_SERVICE_ERR;
    }
    return rc;
}
