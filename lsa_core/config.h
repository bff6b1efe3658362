/* lsa.conf: [lsa] keys for the core, one [NAME] section per package (lsa.conf(5)). */
#ifndef LSA_CORE_CONFIG_H
#define LSA_CORE_CONFIG_H

#include <stddef.h>

#define LSA_DEFAULT_CLIENT_QUOTA (1024 * 1024)
#define LSA_DEFAULT_REQUEST_TIMEOUT 30 /* seconds */
#define LSA_MAX_REQUEST_TIMEOUT 3600
#define LSA_DEFAULT_BUSY_POLL_US 50
#define LSA_MAX_BUSY_POLL_US 10000

enum lsa_mode { LSA_MODE_EMBEDDED, LSA_MODE_DAEMON, LSA_MODE_AUTO };

struct lsa_config_entry {
    char *section;
    char *key;
    char *value;
};

struct lsa_config {
    char *path;
    char **packages; /* load order, NULL-terminated */
    size_t package_count;
    int packages_set; /* [lsa] packages was given (it may be empty) */
    char *package_dir;
    char *state_dir;
    size_t client_quota;
    enum lsa_mode mode;
    int log_level;
    char *socket_path;     /* lsad's socket (mode = daemon, auto; lsad itself) */
    char *trusted_group;   /* lsad: members may register as logon processes; NULL: none */
    int request_timeout;   /* seconds: the per-request deadline of lsad and its clients */
    int busy_poll_us;      /* lsad and its clients poll for an answer this long before sleeping */
    struct lsa_config_entry *entries; /* every key of every section, in file order */
    size_t entry_count;
};

/* The file lsa.conf is read from: $LSA_CONFIG, else $(sysconfdir)/lsa/lsa.conf. */
const char *lsa_config_default_path(void);

/* Parse PATH.  On error returns -1 and writes "PATH:LINE: reason" into ERR. */
int lsa_config_load(const char *path, struct lsa_config **out, char *err, size_t errlen);
/* Parse an in-memory text (the fuzz harness); NAME stands for the path in messages. */
int lsa_config_parse_string(const char *text, const char *name, struct lsa_config **out, char *err,
                            size_t errlen);
void lsa_config_free(struct lsa_config *config);

/* The last value of KEY in SECTION, or NULL. */
const char *lsa_config_get(const struct lsa_config *config, const char *section, const char *key);

#endif
