#include "config.h"

#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"

#ifndef LSA_SYSCONFDIR
#define LSA_SYSCONFDIR "/etc"
#endif
#ifndef LSA_PACKAGE_DIR
#define LSA_PACKAGE_DIR "/usr/lib/lsa/packages"
#endif
#ifndef LSA_STATE_DIR
#define LSA_STATE_DIR "/var/lib/lsa"
#endif

#ifndef LSA_SOCKET_PATH
#define LSA_SOCKET_PATH "/run/lsa/lsad.sock"
#endif

#define LSA_MAX_CLIENT_QUOTA ((size_t)1 << 30)
/* inih's line buffer (INI_MAX_LINE, 200) less its terminator. */
#define LSA_CONFIG_MAX_LINE 199

struct parse_state {
    struct lsa_config *config;
    int line;        /* of the text inih is handling: counted by our reader */
    int failed_line; /* where the handler rejected an entry, 0 if nowhere */
    int long_line;   /* the first line too long for inih, 0 if none */
    char reason[256];
    /* The text being read: a file, or a string. */
    FILE *file;
    const char *text;
};

const char *lsa_config_default_path(void)
{
    const char *path = getenv("LSA_CONFIG");
    return (path != NULL && *path != '\0') ? path : LSA_SYSCONFDIR "/lsa/lsa.conf";
}

static int fail(struct parse_state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct parse_state *st, const char *fmt, ...)
{
    if (st->failed_line == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(st->reason, sizeof(st->reason), fmt, ap);
        va_end(ap);
        st->failed_line = st->line;
    }
    return 0; /* inih reports the first bad line */
}

static int replace(char **slot, const char *value)
{
    char *copy = strdup(value);
    if (copy == NULL)
        return -1;
    free(*slot);
    *slot = copy;
    return 0;
}

static void free_package_list(struct lsa_config *c)
{
    for (size_t i = 0; i < c->package_count; i++)
        free(c->packages[i]);
    free(c->packages);
    c->packages = NULL;
    c->package_count = 0;
}

static int set_packages(struct lsa_config *c, const char *value)
{
    free_package_list(c);
    c->packages = calloc(strlen(value) / 2 + 2, sizeof(char *));
    if (c->packages == NULL)
        return -1;
    char *copy = strdup(value);
    if (copy == NULL)
        return -1;
    char *save = NULL;
    for (char *tok = strtok_r(copy, " \t,", &save); tok != NULL; tok = strtok_r(NULL, " \t,", &save)) {
        c->packages[c->package_count] = strdup(tok);
        if (c->packages[c->package_count] == NULL) {
            free(copy);
            return -1;
        }
        c->package_count++;
    }
    free(copy);
    return 0;
}

/* "1048576", "64k", "1M", "1G". */
static int parse_size(const char *value, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(value, &end, 10);
    if (errno != 0 || end == value || value[0] == '-')
        return -1;
    unsigned long long mult = 1;
    switch (*end) {
    case '\0': break;
    case 'k': case 'K': mult = 1ULL << 10; end++; break;
    case 'm': case 'M': mult = 1ULL << 20; end++; break;
    case 'g': case 'G': mult = 1ULL << 30; end++; break;
    default: return -1;
    }
    if (*end != '\0' || n == 0 || n > LSA_MAX_CLIENT_QUOTA / mult)
        return -1;
    *out = (size_t)(n * mult);
    return 0;
}

static int lsa_section_key(struct parse_state *st, const char *key, const char *value)
{
    struct lsa_config *c = st->config;

    if (strcmp(key, "packages") == 0) {
        c->packages_set = 1;
        return set_packages(c, value) == 0 ? 1 : fail(st, "out of memory");
    }
    if (strcmp(key, "package_dir") == 0 || strcmp(key, "state_dir") == 0) {
        if (value[0] != '/')
            return fail(st, "%s must be an absolute path, not '%s'", key, value);
        char **slot = key[0] == 'p' ? &c->package_dir : &c->state_dir;
        return replace(slot, value) == 0 ? 1 : fail(st, "out of memory");
    }
    if (strcmp(key, "client_quota") == 0) {
        if (parse_size(value, &c->client_quota) != 0)
            return fail(st, "client_quota must be a size between 1 and 1G bytes, not '%s'",
                        value);
        return 1;
    }
    if (strcmp(key, "mode") == 0) {
        if (strcmp(value, "embedded") == 0)
            c->mode = LSA_MODE_EMBEDDED;
        else if (strcmp(value, "daemon") == 0)
            c->mode = LSA_MODE_DAEMON;
        else if (strcmp(value, "auto") == 0)
            c->mode = LSA_MODE_AUTO;
        else
            return fail(st, "mode must be embedded, daemon or auto, not '%s'", value);
        return 1;
    }
    if (strcmp(key, "socket") == 0) {
        /* sun_path holds 107 bytes and a terminator. */
        if (value[0] != '/' || strlen(value) > 107)
            return fail(st, "socket must be an absolute path of at most 107 bytes, not '%s'",
                        value);
        return replace(&c->socket_path, value) == 0 ? 1 : fail(st, "out of memory");
    }
    if (strcmp(key, "trusted_group") == 0) {
        if (value[0] == '\0')
            return fail(st, "trusted_group must name a group");
        return replace(&c->trusted_group, value) == 0 ? 1 : fail(st, "out of memory");
    }
    if (strcmp(key, "request_timeout") == 0) {
        char *end;
        errno = 0;
        long n = strtol(value, &end, 10);
        if (errno != 0 || end == value || *end != '\0' || n < 1 || n > LSA_MAX_REQUEST_TIMEOUT)
            return fail(st, "request_timeout must be a number of seconds between 1 and %d, not '%s'",
                        LSA_MAX_REQUEST_TIMEOUT, value);
        c->request_timeout = (int)n;
        return 1;
    }
    if (strcmp(key, "busy_poll_us") == 0) {
        char *end;
        errno = 0;
        long n = strtol(value, &end, 10);
        if (errno != 0 || end == value || *end != '\0' || n < 0 || n > LSA_MAX_BUSY_POLL_US)
            return fail(st, "busy_poll_us must be a number of microseconds between 0 and %d, not '%s'",
                        LSA_MAX_BUSY_POLL_US, value);
        c->busy_poll_us = (int)n;
        return 1;
    }
    if (strcmp(key, "log_level") == 0) {
        int level = lsa_log_level_from_name(value);
        if (level < 0)
            return fail(st, "log_level must be debug, info, notice, warning or err, not '%s'",
                        value);
        c->log_level = level;
        return 1;
    }
    return fail(st, "unknown key '%s' in [lsa]", key);
}

static int on_entry(void *user, const char *section, const char *key, const char *value)
{
    struct parse_state *st = user;
    struct lsa_config *c = st->config;
    if (st->failed_line != 0)
        return 0;
    if (section[0] == '\0')
        return fail(st, "key '%s' outside a section (expected [lsa] or a package section)",
                    key);
    if (value == NULL)
        return fail(st, "key '%s' has no value", key);

    struct lsa_config_entry *grown =
        realloc(c->entries, (c->entry_count + 1) * sizeof(struct lsa_config_entry));
    if (grown == NULL)
        return fail(st, "out of memory");
    c->entries = grown;
    struct lsa_config_entry *e = &c->entries[c->entry_count];
    e->section = strdup(section);
    e->key = strdup(key);
    e->value = strdup(value);
    c->entry_count++;
    if (e->section == NULL || e->key == NULL || e->value == NULL)
        return fail(st, "out of memory");

    if (strcasecmp(section, "lsa") == 0)
        return lsa_section_key(st, key, value);
    return 1;
}

/* inih's reader, fgets-shaped.  It counts lines, which inih does not pass to the
 * handler, and hands inih whole lines only: a line too long for inih's buffer is
 * consumed entirely and replaced by one inih rejects, so it is reported on its own line
 * and its tail is never parsed as another entry. */
static char *read_line(char *str, int num, void *stream)
{
    struct parse_state *st = stream;
    char *line = NULL;
    size_t length;
    if (st->file != NULL) {
        size_t cap = 0;
        ssize_t n = getline(&line, &cap, st->file);
        if (n < 0) {
            free(line);
            return NULL;
        }
        length = (size_t)n;
    } else {
        if (*st->text == '\0')
            return NULL;
        length = strcspn(st->text, "\n");
        if (st->text[length] == '\n')
            length++;
        line = strndup(st->text, length);
        st->text += length;
        if (line == NULL)
            return NULL;
    }
    st->line++;
    /* inih strips the line end itself, so a line may fill the whole buffer without it. */
    size_t content = length - (length > 0 && line[length - 1] == '\n');
    if (content > (size_t)num - 1) {
        if (st->long_line == 0)
            st->long_line = st->line;
        snprintf(str, (size_t)num, "line too long\n"); /* neither a section nor a key */
    } else {
        memcpy(str, line, content);
        str[content] = '\0';
    }
    free(line);
    return str;
}

static struct lsa_config *config_new(const char *name)
{
    struct lsa_config *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    c->path = strdup(name);
    c->package_dir = strdup(LSA_PACKAGE_DIR);
    c->state_dir = strdup(LSA_STATE_DIR);
    c->client_quota = LSA_DEFAULT_CLIENT_QUOTA;
    c->mode = LSA_MODE_EMBEDDED;
    c->log_level = LOG_INFO;
    c->socket_path = strdup(LSA_SOCKET_PATH);
    c->request_timeout = LSA_DEFAULT_REQUEST_TIMEOUT;
    c->busy_poll_us = LSA_DEFAULT_BUSY_POLL_US;
    if (c->path == NULL || c->package_dir == NULL || c->state_dir == NULL ||
        c->socket_path == NULL) {
        lsa_config_free(c);
        return NULL;
    }
    return c;
}

static int finish(struct parse_state *st, int rc, const char *name, struct lsa_config **out,
                  char *err, size_t errlen)
{
    if (rc == -1)
        snprintf(err, errlen, "%s: cannot open: %s", name, strerror(errno));
    else if (rc == -2)
        snprintf(err, errlen, "%s: out of memory", name);
    else if (rc > 0 && rc == st->failed_line)
        snprintf(err, errlen, "%s:%d: %s", name, rc, st->reason);
    else if (rc > 0 && rc == st->long_line)
        snprintf(err, errlen, "%s:%d: syntax error: line longer than %d characters", name, rc, LSA_CONFIG_MAX_LINE);
    else if (rc > 0)
        snprintf(err, errlen, "%s:%d: syntax error (expected [section] or key = value)", name, rc);
    else if (!st->config->packages_set)
        snprintf(err, errlen, "%s: [lsa] packages is missing (it may be empty)", name);
    else {
        *out = st->config;
        return 0;
    }
    lsa_config_free(st->config);
    return -1;
}

int lsa_config_load(const char *path, struct lsa_config **out, char *err, size_t errlen)
{
    struct parse_state st = { .config = config_new(path) };
    if (st.config == NULL) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    st.file = fopen(path, "r");
    if (st.file == NULL) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        lsa_config_free(st.config);
        return -1;
    }
    int rc = ini_parse_stream(read_line, &st, on_entry, &st);
    fclose(st.file);
    return finish(&st, rc, path, out, err, errlen);
}

int lsa_config_parse_string(const char *text, const char *name, struct lsa_config **out, char *err,
                            size_t errlen)
{
    struct parse_state st = { .config = config_new(name) };
    if (st.config == NULL) {
        snprintf(err, errlen, "%s: out of memory", name);
        return -1;
    }
    st.text = text;
    int rc = ini_parse_stream(read_line, &st, on_entry, &st);
    return finish(&st, rc, name, out, err, errlen);
}

void lsa_config_free(struct lsa_config *c)
{
    if (c == NULL)
        return;
    free_package_list(c);
    for (size_t i = 0; i < c->entry_count; i++) {
        free(c->entries[i].section);
        free(c->entries[i].key);
        free(c->entries[i].value);
    }
    free(c->entries);
    free(c->path);
    free(c->package_dir);
    free(c->state_dir);
    free(c->socket_path);
    free(c->trusted_group);
    free(c);
}

const char *lsa_config_get(const struct lsa_config *c, const char *section, const char *key)
{
    const char *found = NULL;
    for (size_t i = 0; i < c->entry_count; i++)
        if (strcasecmp(c->entries[i].section, section) == 0 && strcmp(c->entries[i].key, key) == 0)
            found = c->entries[i].value;
    return found;
}
