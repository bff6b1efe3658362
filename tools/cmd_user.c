/*
 * `lsa user`: administration of the MSV1_0 local account store (account_store.h).
 *
 *   lsa user [--store PATH] add NAME [--uid N] [--must-change] [--password-stdin]
 *       (the uid defaults to the Unix user NAME's - for DOMAIN\user, user's - else 65534)
 *   lsa user [--store PATH] passwd NAME [--must-change] [--password-stdin]
 *   lsa user [--store PATH] del|enable|disable|unlock NAME
 *   lsa user [--store PATH] list
 *   lsa user [--store PATH] import FILE [--replace]
 *
 * The store is --store PATH, else lsa.conf's [msv1_0] store, else [lsa] state_dir (by
 * default $(localstatedir)/lib/lsa) + "/smbpasswd" - the path the msv1_0 package uses.
 * The store works on its files directly (no LSA connection), so the command must run as
 * the store's owner, root; the store refuses anyone else (and a store others can read)
 * with STATUS_ACCESS_DENIED.
 *
 * Passwords never come from argv: they are read from the terminal twice with echo off,
 * or as one line from standard input with --password-stdin, and wiped after use.
 */
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lsa/ntstatus.h>

#include "account_store.h"
#include "../lsa_core/config.h" /* not the autoconf config.h of -I. */
#include "lsa_commands.h"
#include "password_input.h"


/* The uid of an account without a Unix user: the kernel's overflow uid ("nobody"). */
#define NO_UNIX_UID 65534u
#define CMD "user"

/* ---- the store's path ------------------------------------------------------------- */

/* The store path (malloc'd), or NULL after an error message. */
static char *store_path(const char *option)
{
    if (option != NULL)
        return strdup(option);
    const char *conf = lsa_config_default_path();
    struct lsa_config *config = NULL;
    const char *store = NULL, *state_dir = LSA_STATE_DIR;
    if (access(conf, F_OK) == 0) {
        char err[512];
        if (lsa_config_load(conf, &config, err, sizeof(err)) != 0) {
            lsa_error(CMD, "%s", err);
            lsa_error(CMD, "fix lsa.conf, or give the store with --store PATH");
            return NULL;
        }
        store = lsa_config_get(config, "msv1_0", "store");
        if (config->state_dir != NULL && *config->state_dir != '\0')
            state_dir = config->state_dir;
    }
    char *path = NULL;
    if (store != NULL && *store != '\0' && store[0] != '/') {
        /* As the msv1_0 package reads the key. */
        lsa_error(CMD, "%s: [msv1_0] store = %s is not an absolute path", conf, store);
        lsa_config_free(config);
        return NULL;
    }
    if (store != NULL && *store != '\0') {
        path = strdup(store);
    } else {
        size_t n = strlen(state_dir) + sizeof("/smbpasswd");
        path = malloc(n);
        if (path != NULL)
            snprintf(path, n, "%s/smbpasswd", state_dir);
    }
    lsa_config_free(config);
    if (path == NULL)
        lsa_error(CMD, "out of memory");
    return path;
}

static int store_failure(const char *path, const char *what, NTSTATUS status)
{
    char label[512];
    snprintf(label, sizeof(label), "%s (%s)", what, path);
    int rc = lsa_status_failure(CMD, label, status);
    if (status == STATUS_ACCESS_DENIED)
        lsa_error(CMD, "the account store must be owned by the user running lsa (root) and "
                       "have mode 0600: see the message above");
    else if (status == STATUS_OBJECT_NAME_NOT_FOUND)
        lsa_error(CMD, "no account store at %s: `lsa user add` creates it", path);
    return rc;
}

static int open_store(const char *path, BOOLEAN create, struct msv_store **store)
{
    NTSTATUS status = msv_store_open(path, store);
    if (status == STATUS_OBJECT_NAME_NOT_FOUND && create) {
        status = msv_store_create(path);
        if (status == STATUS_SUCCESS) /* the store logs "created the account store" */
            status = msv_store_open(path, store);
    }
    if (status != STATUS_SUCCESS)
        return store_failure(path, "cannot open the account store", status);
    return LSA_EXIT_OK;
}

/* ---- edits ------------------------------------------------------------------------- */

struct password_edit {
    const char *password;
    BOOLEAN must_change;
};

static NTSTATUS edit_password(struct msv_account *account, void *context)
{
    const struct password_edit *e = context;
    NTSTATUS status = msv_account_set_password(account, e->password, (int64_t)time(NULL));
    if (status == STATUS_SUCCESS)
        account->must_change = e->must_change;
    return status;
}

static NTSTATUS edit_enable(struct msv_account *account, void *context)
{
    (void)context;
    account->acb_flags &= ~(uint32_t)ACB_DISABLED;
    return STATUS_SUCCESS;
}

static NTSTATUS edit_disable(struct msv_account *account, void *context)
{
    (void)context;
    account->acb_flags |= ACB_DISABLED;
    return STATUS_SUCCESS;
}

static NTSTATUS edit_unlock(struct msv_account *account, void *context)
{
    (void)context;
    account->acb_flags &= ~(uint32_t)ACB_AUTOLOCK;
    account->lockout_time = 0;
    account->bad_password_count = 0;
    account->bad_password_time = 0;
    return STATUS_SUCCESS;
}

/* ---- list -------------------------------------------------------------------------- */

static void format_time(int64_t t, char *out, size_t size)
{
    struct tm tm;
    time_t tt = (time_t)t;
    if (t == 0 || gmtime_r(&tt, &tm) == NULL)
        snprintf(out, size, "-");
    else
        strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void format_flags(uint32_t flags, char *out)
{
    static const struct {
        char letter;
        uint32_t flag;
    } letters[] = {
        { 'N', ACB_PWNOTREQ }, { 'D', ACB_DISABLED }, { 'H', ACB_HOMDIRREQ }, { 'T', ACB_TEMPDUP },
        { 'U', ACB_NORMAL },   { 'M', ACB_MNS },      { 'W', ACB_WSTRUST },   { 'S', ACB_SVRTRUST },
        { 'L', ACB_AUTOLOCK }, { 'X', ACB_PWNOEXP },  { 'I', ACB_DOMTRUST },
    };
    size_t n = 0;
    for (size_t i = 0; i < sizeof(letters) / sizeof(letters[0]); i++)
        if (flags & letters[i].flag)
            out[n++] = letters[i].letter;
    if (n == 0)
        out[n++] = '-';
    out[n] = '\0';
}

static int print_account(const struct msv_account *a, void *context)
{
    (void)context;
    char flags[16], last_set[32], last_logon[32];
    format_flags(a->acb_flags, flags);
    format_time(a->password_last_set, last_set, sizeof(last_set));
    format_time(a->last_logon, last_logon, sizeof(last_logon));
    BOOLEAN locked = a->lockout_time != 0 || (a->acb_flags & ACB_AUTOLOCK) != 0;
    printf("%-20s %10u %-6s %-20s %4u %-6s %-20s %s\n", a->name, (unsigned)a->uid, flags,
           last_set, (unsigned)a->bad_password_count, locked ? "yes" : "no", last_logon,
           a->must_change ? "yes" : "no");
    return 0;
}

/* ---- the command ------------------------------------------------------------------- */

enum {
    OPT_STORE = 1,
    OPT_UID,
    OPT_MUST_CHANGE,
    OPT_PASSWORD_STDIN,
    OPT_REPLACE,
    OPT_HELP,
};

struct options {
    const char *store;
    const char *uid;
    BOOLEAN must_change;
    BOOLEAN password_stdin;
    BOOLEAN replace;
    unsigned given; /* bit per OPT_ value */
};

static const struct {
    const char *name;
    int operands; /* NAME or FILE: 1; list: 0 */
    unsigned allowed;
} subcommands[] = {
    { "add", 1, 1u << OPT_UID | 1u << OPT_MUST_CHANGE | 1u << OPT_PASSWORD_STDIN },
    { "del", 1, 0 },
    { "disable", 1, 0 },
    { "enable", 1, 0 },
    { "import", 1, 1u << OPT_REPLACE },
    { "list", 0, 0 },
    { "passwd", 1, 1u << OPT_MUST_CHANGE | 1u << OPT_PASSWORD_STDIN },
    { "unlock", 1, 0 },
};

static const char *option_name(int opt)
{
    switch (opt) {
    case OPT_UID:
        return "--uid";
    case OPT_MUST_CHANGE:
        return "--must-change";
    case OPT_PASSWORD_STDIN:
        return "--password-stdin";
    case OPT_REPLACE:
        return "--replace";
    default:
        return "?";
    }
}

static int parse_uid(const char *text, uint32_t *uid)
{
    if (*text < '0' || *text > '9')
        return -1;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0' || v > UINT32_MAX)
        return -1;
    *uid = (uint32_t)v;
    return 0;
}

/* The store's rule (STATUS_INVALID_ACCOUNT_NAME), checked before asking for a password. */
static BOOLEAN valid_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > MSV_NAME_MAX || name[0] == '#')
        return FALSE;
    for (size_t i = 0; i < n; i++)
        if (name[i] == ':' || (unsigned char)name[i] < 0x20 || name[i] == 0x7f)
            return FALSE;
    return TRUE;
}

static int run_add(const char *path, const char *name, const struct options *o)
{
    struct msv_account account;
    memset(&account, 0, sizeof(account));
    if (!valid_name(name))
        return lsa_usage_error(CMD, "'%s' is not a valid account name: 1 to %d bytes, no ':', "
                                    "no control character, not starting with '#'",
                               name, MSV_NAME_MAX);
    snprintf(account.name, sizeof(account.name), "%s", name);
    if (o->uid != NULL) {
        if (parse_uid(o->uid, &account.uid) != 0)
            return lsa_usage_error(CMD, "--uid '%s' is not a number from 0 to 4294967295", o->uid);
    } else {
        /* The Unix user of that name (for DOMAIN\user: of user), else the overflow uid. */
        const char *unix_name = strrchr(name, '\\') ? strrchr(name, '\\') + 1 : name;
        struct passwd *pw = getpwnam(unix_name);
        account.uid = pw != NULL ? (uint32_t)pw->pw_uid : NO_UNIX_UID;
        if (pw == NULL)
            fprintf(stderr, "lsa %s: no Unix user '%s': uid %u (give one with --uid N)\n", CMD,
                    unix_name, (unsigned)NO_UNIX_UID);
    }
    account.acb_flags = ACB_NORMAL;

    char password[LSA_PASSWORD_MAX + 1];
    int rc = lsa_read_password(CMD, o->password_stdin, TRUE, password, sizeof(password));
    if (rc != LSA_EXIT_OK)
        return rc;
    NTSTATUS status = msv_account_set_password(&account, password, (int64_t)time(NULL));
    explicit_bzero(password, sizeof(password));
    if (status != STATUS_SUCCESS) {
        explicit_bzero(&account, sizeof(account));
        return lsa_status_failure(CMD, "cannot hash the password", status);
    }
    account.must_change = o->must_change;

    struct msv_store *store;
    rc = open_store(path, TRUE, &store);
    if (rc == LSA_EXIT_OK) {
        status = msv_store_add(store, &account);
        msv_store_close(store);
        if (status == STATUS_USER_EXISTS) {
            lsa_error(CMD, "user '%s' already exists in %s (`lsa user passwd` changes its "
                           "password)", name, path);
            rc = LSA_EXIT_FAILURE;
        } else if (status != STATUS_SUCCESS) {
            rc = store_failure(path, "cannot add the user", status);
        } else {
            printf("added user %s (uid %u)\n", account.name, (unsigned)account.uid);
        }
    }
    explicit_bzero(&account, sizeof(account));
    return rc;
}

static int run_update(const char *path, const char *sub, const char *name, const struct options *o)
{
    char password[LSA_PASSWORD_MAX + 1] = "";
    struct password_edit pe = { password, o->must_change };
    msv_store_edit_fn edit;
    void *context = NULL;
    const char *done;
    if (strcmp(sub, "passwd") == 0) {
        int rc = lsa_read_password(CMD, o->password_stdin, TRUE, password, sizeof(password));
        if (rc != LSA_EXIT_OK)
            return rc;
        edit = edit_password;
        context = &pe;
        done = "changed the password of";
    } else if (strcmp(sub, "enable") == 0) {
        edit = edit_enable;
        done = "enabled";
    } else if (strcmp(sub, "disable") == 0) {
        edit = edit_disable;
        done = "disabled";
    } else {
        edit = edit_unlock;
        done = "unlocked";
    }
    struct msv_store *store;
    int rc = open_store(path, FALSE, &store);
    if (rc == LSA_EXIT_OK) {
        NTSTATUS status = msv_store_update(store, name, edit, context);
        msv_store_close(store);
        if (status == STATUS_NO_SUCH_USER) {
            lsa_error(CMD, "no user '%s' in %s", name, path);
            rc = LSA_EXIT_FAILURE;
        } else if (status != STATUS_SUCCESS) {
            rc = store_failure(path, "cannot update the user", status);
        } else {
            printf("%s user %s\n", done, name);
        }
    }
    explicit_bzero(password, sizeof(password));
    return rc;
}

static int run_del(const char *path, const char *name)
{
    struct msv_store *store;
    int rc = open_store(path, FALSE, &store);
    if (rc != LSA_EXIT_OK)
        return rc;
    NTSTATUS status = msv_store_remove(store, name);
    msv_store_close(store);
    if (status == STATUS_NO_SUCH_USER) {
        lsa_error(CMD, "no user '%s' in %s", name, path);
        return LSA_EXIT_FAILURE;
    }
    if (status != STATUS_SUCCESS)
        return store_failure(path, "cannot delete the user", status);
    printf("deleted user %s\n", name);
    return LSA_EXIT_OK;
}

static int run_list(const char *path)
{
    struct msv_store *store;
    int rc = open_store(path, FALSE, &store);
    if (rc != LSA_EXIT_OK)
        return rc;
    printf("%-20s %10s %-6s %-20s %4s %-6s %-20s %s\n", "NAME", "UID", "FLAGS", "LAST-SET", "BAD",
           "LOCKED", "LAST-LOGON", "MUST-CHANGE");
    NTSTATUS status = msv_store_enumerate(store, print_account, NULL);
    msv_store_close(store);
    if (status != STATUS_SUCCESS)
        return store_failure(path, "cannot read the account store", status);
    return LSA_EXIT_OK;
}

static int run_import(const char *path, const char *file, const struct options *o)
{
    if (access(file, R_OK) != 0) {
        lsa_error(CMD, "cannot read %s: %s", file, strerror(errno));
        return LSA_EXIT_FAILURE;
    }
    struct msv_store *store;
    int rc = open_store(path, TRUE, &store);
    if (rc != LSA_EXIT_OK)
        return rc;
    ULONG imported = 0;
    NTSTATUS status = msv_store_import(store, file, o->replace, &imported);
    msv_store_close(store);
    if (status != STATUS_SUCCESS) {
        char what[512];
        snprintf(what, sizeof(what), "cannot import %s", file);
        return store_failure(path, what, status);
    }
    printf("imported %u account%s from %s\n", (unsigned)imported, imported == 1 ? "" : "s", file);
    return LSA_EXIT_OK;
}

int cmd_user(int argc, char **argv)
{
    static const struct option long_options[] = {
        { "store", required_argument, NULL, OPT_STORE },
        { "uid", required_argument, NULL, OPT_UID },
        { "must-change", no_argument, NULL, OPT_MUST_CHANGE },
        { "password-stdin", no_argument, NULL, OPT_PASSWORD_STDIN },
        { "replace", no_argument, NULL, OPT_REPLACE },
        { "help", no_argument, NULL, OPT_HELP },
        { NULL, 0, NULL, 0 },
    };
    struct options o = { 0 };
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":h", long_options, NULL)) != -1) {
        switch (opt) {
        case OPT_STORE:
            o.store = optarg;
            break;
        case OPT_UID:
            o.uid = optarg;
            break;
        case OPT_MUST_CHANGE:
            o.must_change = TRUE;
            break;
        case OPT_PASSWORD_STDIN:
            o.password_stdin = TRUE;
            break;
        case OPT_REPLACE:
            o.replace = TRUE;
            break;
        case OPT_HELP:
        case 'h':
            return lsa_command_help(argv[0]);
        case ':':
            return lsa_usage_error(CMD, "option '%s' needs an argument", argv[optind - 1]);
        default:
            return lsa_usage_error(CMD, "unknown option '%s'", argv[optind - 1]);
        }
        if (opt != OPT_STORE)
            o.given |= 1u << opt;
    }
    if (optind >= argc)
        return lsa_usage_error(CMD, "missing SUBCOMMAND (add, passwd, del, enable, disable, "
                                    "unlock, list or import)");
    const char *sub = argv[optind++];
    size_t k;
    for (k = 0; k < sizeof(subcommands) / sizeof(subcommands[0]); k++)
        if (strcmp(sub, subcommands[k].name) == 0)
            break;
    if (k == sizeof(subcommands) / sizeof(subcommands[0]))
        return lsa_usage_error(CMD, "unknown subcommand '%s'", sub);
    int operands = argc - optind;
    if (operands != subcommands[k].operands)
        return lsa_usage_error(CMD, "%s takes %s, got %d argument%s", sub,
                               subcommands[k].operands == 0 ? "no arguments"
                               : strcmp(sub, "import") == 0 ? "one FILE"
                                                             : "one NAME",
                               operands, operands == 1 ? "" : "s");
    unsigned stray = o.given & ~subcommands[k].allowed;
    if (stray != 0) {
        int bit = __builtin_ctz(stray);
        return lsa_usage_error(CMD, "%s does not take %s", sub, option_name(bit));
    }
    const char *operand = operands > 0 ? argv[optind] : NULL;
    if (o.store != NULL && *o.store == '\0')
        return lsa_usage_error(CMD, "--store needs a path");

    char *path = store_path(o.store);
    if (path == NULL)
        return LSA_EXIT_FAILURE;
    int rc;
    if (strcmp(sub, "add") == 0)
        rc = run_add(path, operand, &o);
    else if (strcmp(sub, "del") == 0)
        rc = run_del(path, operand);
    else if (strcmp(sub, "list") == 0)
        rc = run_list(path);
    else if (strcmp(sub, "import") == 0)
        rc = run_import(path, operand, &o);
    else
        rc = run_update(path, sub, operand, &o);
    free(path);
    return rc;
}
