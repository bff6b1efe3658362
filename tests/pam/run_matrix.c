/* run_matrix.c - pam_lsa's PAM behaviour as data files, run through libpamtest and
 * pam_wrapper (the idea of pam-krb5's tests/data/scripts, spec/anchors.md §1.4, §5).
 *
 * One cmocka test per file in $LSA_TEST_SRCDIR/tests/pam/cases/NAME.case, so the TAP output
 * counts cases.  Each case runs in a forked child (a crash of the module fails one case),
 * in a private directory: PAM service files, lsa.conf, an MSV1_0 account store.
 *
 * Case file format: sections "[name]", one item per line, "#" starts a comment line,
 * blank lines are ignored, leading/trailing blanks are trimmed.
 *
 *   [options]   user = NAME               PAM user (default alice)
 *               lockout_threshold = N     written to lsa.conf [msv1_0] (default 3)
 *   [msv1_0]    KEY = VALUE               extra lines for lsa.conf's [msv1_0] section
 *   [accounts]  NAME PASSWORD [disabled] [must-change] [uid=N]
 *               made with `lsa user add --password-stdin` (+ `lsa user disable`)
 *   [setenv]    NAME = VALUE              set in the child before pam_start (pam_set_items
 *                                         reads PAM_AUTHTOK, PAM_OLDAUTHTOK, ... from it)
 *   [stack]     service file lines, e.g. "auth required @MODULE@ package=msv1_0 config=@CONFIG@"
 *               @MODULE@ (pam_lsa.so of the build tree), @CONFIG@ (the generated lsa.conf),
 *               @PAM_MATRIX@ @PAM_GET_ITEMS@ @PAM_SET_ITEMS@ (pam_wrapper's helpers),
 *               @PAM_DENY@ @PAM_PERMIT@ (Linux-PAM's)
 *   [run]       CALL[(FLAG|FLAG)] = PAM_CODE   CALL: authenticate acct_mgmt setcred
 *               open_session close_session chauthtok; calls run in order on one handle.
 *               "restart" ends the handle (pam_end) and starts a new one.
 *   [input]     answers to PAM_PROMPT_ECHO_OFF/ECHO_ON prompts, in order; "" is the empty
 *               string; "--" starts the answers of the next handle (after "restart");
 *               "@CHALLENGE_RESPONSE USER PASSWORD" answers with
 *               `lsa ntlm response --password-stdin --domain LABDOM USER HEX` where HEX is the
 *               challenge last shown in a "NTLM challenge: HEX" PAM_TEXT_INFO message.
 *               Unused answers are not an error; a prompt with no answer left is (PAM_CONV_ERR).
 *   [prompts]   KIND = TEXT  KIND: echo_off echo_on info error; every message the conversation
 *               saw, in order, each starting with TEXT ("*" matches any text).  Section absent:
 *               not checked; present but empty: no message at all.
 *   [env]       NAME (set), !NAME (not set), NAME=VALUE (exact) in the PAM environment after
 *               the last call (PAMTEST_GETENVLIST); LSA_LOGON_ID, when set, must be 16 hex digits.
 *   [log]       TEXT: a line of the log (pam_syslog through pam_wrapper, and the LSA's own lines
 *               with LSA_LOG_STDERR=1) contains TEXT; !TEXT: no line does.
 *               Always checked: no password of [accounts]/[input]/[setenv] appears in the log.
 *
 * Environment: LSA_TEST_SRCDIR, LSA_TEST_BUILDDIR (default "."), LSA_TEST_KEEP=1 keeps the
 * case directories, LSA_TEST_CASE=NAME runs one case.
 * The program re-execs itself with LD_PRELOAD=libpam_wrapper.so (ASan runtime first under ASan).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpamtest.h>
#include <security/pam_appl.h>

#ifdef HAVE_ASAN_RUNTIME_H
#include "asan-runtime.h"
#endif
#ifndef ASAN_RUNTIME
#define ASAN_RUNTIME ""
#endif
#if defined(__SANITIZE_ADDRESS__)
#define MATRIX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MATRIX_ASAN 1
#endif
#endif
#ifndef MATRIX_ASAN
#define MATRIX_ASAN 0
#endif

#define PAM_WRAPPER_SO "libpam_wrapper.so"
#define HELPER_DIR "/usr/lib/x86_64-linux-gnu/pam_wrapper"
#define SECURITY_DIR "/lib/x86_64-linux-gnu/security"
#define SERVICE "lsa_matrix"
#define DOMAIN "LABDOM"

/* ---- small string vector --------------------------------------------------------- */
struct strv { char **v; size_t n; };

static void strv_add(struct strv *s, const char *str)
{
    s->v = realloc(s->v, (s->n + 2) * sizeof(*s->v));
    if (s->v == NULL) abort();
    s->v[s->n++] = strdup(str);
    s->v[s->n] = NULL;
}

static void strv_free(struct strv *s)
{
    for (size_t i = 0; i < s->n; i++) free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = 0;
}

/* ---- case files ------------------------------------------------------------------ */
struct mcase {
    char *path, *name;
    struct strv options, msv, accounts, setenv, stack, run, input, prompts, env, log;
    int has_prompts;
};

static char *trim(char *s)
{
    while (isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1])) s[--n] = '\0';
    return s;
}

/* "key = value" → key and value, trimmed; 0 without '=' */
static int split_kv(const char *line, char *key, size_t ksz, char *val, size_t vsz)
{
    const char *eq = strchr(line, '=');
    if (eq == NULL) return 0;
    char buf[1024];
    snprintf(buf, sizeof(buf), "%.*s", (int)(eq - line), line);
    snprintf(key, ksz, "%s", trim(buf));
    snprintf(buf, sizeof(buf), "%s", eq + 1);
    snprintf(val, vsz, "%s", trim(buf));
    return 1;
}

static char *case_load(struct mcase *c)
{
    static char err[512];
    FILE *f = fopen(c->path, "r");
    if (f == NULL) {
        snprintf(err, sizeof(err), "%s: %s", c->path, strerror(errno));
        return err;
    }
    char line[1024];
    struct strv *cur = NULL;
    int lineno = 0;
    while (fgets(line, sizeof(line), f) != NULL) {
        lineno++;
        char *l = trim(line);
        if (*l == '\0' || *l == '#') continue;
        if (*l == '[') {
            static const struct { const char *n; size_t off; } secs[] = {
                { "[options]", offsetof(struct mcase, options) },
                { "[msv1_0]", offsetof(struct mcase, msv) },
                { "[accounts]", offsetof(struct mcase, accounts) },
                { "[setenv]", offsetof(struct mcase, setenv) },
                { "[stack]", offsetof(struct mcase, stack) },
                { "[run]", offsetof(struct mcase, run) },
                { "[input]", offsetof(struct mcase, input) },
                { "[prompts]", offsetof(struct mcase, prompts) },
                { "[env]", offsetof(struct mcase, env) },
                { "[log]", offsetof(struct mcase, log) },
            };
            cur = NULL;
            for (size_t i = 0; i < sizeof(secs) / sizeof(secs[0]); i++)
                if (strcmp(l, secs[i].n) == 0) cur = (struct strv *)((char *)c + secs[i].off);
            if (cur == NULL) {
                snprintf(err, sizeof(err), "%s:%d: unknown section %s", c->path, lineno, l);
                fclose(f);
                return err;
            }
            if (cur == &c->prompts) c->has_prompts = 1;
            continue;
        }
        if (cur == NULL) {
            snprintf(err, sizeof(err), "%s:%d: line outside a section", c->path, lineno);
            fclose(f);
            return err;
        }
        if (cur == &c->input && strcmp(l, "\"\"") == 0) l = "";
        strv_add(cur, l);
    }
    fclose(f);
    if (c->stack.n == 0 || c->run.n == 0) {
        snprintf(err, sizeof(err), "%s: needs [stack] and [run]", c->path);
        return err;
    }
    return NULL;
}

static void case_free(struct mcase *c)
{
    struct strv *all[] = { &c->options, &c->msv, &c->accounts, &c->setenv, &c->stack, &c->run,
                           &c->input, &c->prompts, &c->env, &c->log };
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) strv_free(all[i]);
}

static const char *case_option(const struct mcase *c, const char *key, const char *dflt)
{
    static char val[512];
    char k[128];
    for (size_t i = 0; i < c->options.n; i++)
        if (split_kv(c->options.v[i], k, sizeof(k), val, sizeof(val)) && strcmp(k, key) == 0)
            return val;
    return dflt;
}

/* ---- names ----------------------------------------------------------------------- */
#define N(x) { #x, x }
static const struct { const char *name; int value; } pam_codes[] = {
    N(PAM_SUCCESS), N(PAM_OPEN_ERR), N(PAM_SYMBOL_ERR), N(PAM_SERVICE_ERR), N(PAM_SYSTEM_ERR),
    N(PAM_BUF_ERR), N(PAM_PERM_DENIED), N(PAM_AUTH_ERR), N(PAM_CRED_INSUFFICIENT),
    N(PAM_AUTHINFO_UNAVAIL), N(PAM_USER_UNKNOWN), N(PAM_MAXTRIES), N(PAM_NEW_AUTHTOK_REQD),
    N(PAM_ACCT_EXPIRED), N(PAM_SESSION_ERR), N(PAM_CRED_UNAVAIL), N(PAM_CRED_EXPIRED),
    N(PAM_CRED_ERR), N(PAM_NO_MODULE_DATA), N(PAM_CONV_ERR), N(PAM_AUTHTOK_ERR),
    N(PAM_AUTHTOK_RECOVERY_ERR), N(PAM_AUTHTOK_LOCK_BUSY), N(PAM_AUTHTOK_DISABLE_AGING),
    N(PAM_TRY_AGAIN), N(PAM_IGNORE), N(PAM_ABORT), N(PAM_AUTHTOK_EXPIRED),
    N(PAM_MODULE_UNKNOWN), N(PAM_BAD_ITEM), N(PAM_CONV_AGAIN), N(PAM_INCOMPLETE),
}, pam_flags[] = {
    N(PAM_SILENT), N(PAM_DISALLOW_NULL_AUTHTOK), N(PAM_ESTABLISH_CRED), N(PAM_DELETE_CRED),
    N(PAM_REINITIALIZE_CRED), N(PAM_REFRESH_CRED), N(PAM_CHANGE_EXPIRED_AUTHTOK),
};
static const struct { const char *name; enum pamtest_ops op; } pam_calls[] = {
    { "authenticate", PAMTEST_AUTHENTICATE }, { "acct_mgmt", PAMTEST_ACCOUNT },
    { "setcred", PAMTEST_SETCRED }, { "open_session", PAMTEST_OPEN_SESSION },
    { "close_session", PAMTEST_CLOSE_SESSION }, { "chauthtok", PAMTEST_CHAUTHTOK },
};

static const char *code_name(int v)
{
    static char buf[32];
    for (size_t i = 0; i < sizeof(pam_codes) / sizeof(pam_codes[0]); i++)
        if (pam_codes[i].value == v) return pam_codes[i].name;
    snprintf(buf, sizeof(buf), "PAM code %d", v);
    return buf;
}

static int code_value(const char *name, int *v)
{
    for (size_t i = 0; i < sizeof(pam_codes) / sizeof(pam_codes[0]); i++)
        if (strcmp(pam_codes[i].name, name) == 0) { *v = pam_codes[i].value; return 1; }
    return 0;
}

static const char *op_name(enum pamtest_ops op)
{
    for (size_t i = 0; i < sizeof(pam_calls) / sizeof(pam_calls[0]); i++)
        if (pam_calls[i].op == op) return pam_calls[i].name;
    return "getenvlist";
}

/* "authenticate(PAM_SILENT|PAM_DISALLOW_NULL_AUTHTOK) = PAM_AUTH_ERR" */
static int parse_call(const char *line, struct pam_testcase *tc, char *err, size_t esz)
{
    char key[256], val[256], call[64];
    if (!split_kv(line, key, sizeof(key), val, sizeof(val))) {
        snprintf(err, esz, "[run] %s: no '='", line);
        return 0;
    }
    memset(tc, 0, sizeof(*tc));
    char *paren = strchr(key, '(');
    char raw[64];
    snprintf(raw, sizeof(raw), "%.*s", paren ? (int)(paren - key) : (int)strlen(key), key);
    snprintf(call, sizeof(call), "%s", trim(raw));
    size_t i;
    for (i = 0; i < sizeof(pam_calls) / sizeof(pam_calls[0]); i++)
        if (strcmp(pam_calls[i].name, call) == 0) break;
    if (i == sizeof(pam_calls) / sizeof(pam_calls[0])) {
        snprintf(err, esz, "[run] unknown call %s", call);
        return 0;
    }
    tc->pam_operation = pam_calls[i].op;
    if (paren != NULL) {
        char *end = strchr(paren, ')');
        if (end) *end = '\0';
        for (char *tok = strtok(paren + 1, "| "); tok; tok = strtok(NULL, "| ")) {
            size_t j;
            for (j = 0; j < sizeof(pam_flags) / sizeof(pam_flags[0]); j++)
                if (strcmp(pam_flags[j].name, tok) == 0) break;
            if (j == sizeof(pam_flags) / sizeof(pam_flags[0])) {
                snprintf(err, esz, "[run] unknown flag %s", tok);
                return 0;
            }
            tc->flags |= pam_flags[j].value;
        }
    }
    if (!code_value(val, &tc->expected_rv)) {
        snprintf(err, esz, "[run] unknown PAM code %s", val);
        return 0;
    }
    return 1;
}

/* ---- paths and helpers ------------------------------------------------------------ */
static const char *builddir(void)
{
    const char *b = getenv("LSA_TEST_BUILDDIR");
    return b && *b ? b : ".";
}

static char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    char *s;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0) abort();
    va_end(ap);
    return s;
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) return strdup("");
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t r;
    while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n < 2) buf = realloc(buf, cap *= 2);
    }
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void copy_out(char *dst, size_t dsz, const char *src)
{
    size_t l = strlen(src);
    if (dsz == 0) return;
    if (l >= dsz) l = dsz - 1;
    memcpy(dst, src, l);
    dst[l] = '\0';
}

/* Run argv with stdin_text on its stdin; stdout into out (if not NULL), stderr into err.
 * Returns the exit status, -1 if it did not exit. */
static int run_cmd(char *const argv[], const char *stdin_text, const char *config,
                   char *out, size_t osz, char *err, size_t esz)
{
    int in[2], po[2], pe[2];
    if (pipe(in) || pipe(po) || pipe(pe)) return -1;
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        dup2(in[0], 0); dup2(po[1], 1); dup2(pe[1], 2);
        close(in[0]); close(in[1]); close(po[0]); close(po[1]); close(pe[0]); close(pe[1]);
        unsetenv("LD_PRELOAD");
        unsetenv("PAM_WRAPPER");
        if (config) setenv("LSA_CONFIG", config, 1);
        execv(argv[0], argv);
        fprintf(stderr, "exec %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(in[0]); close(po[1]); close(pe[1]);
    if (stdin_text) {
        ssize_t w = write(in[1], stdin_text, strlen(stdin_text));
        (void)w;
        w = write(in[1], "\n", 1);
        (void)w;
    }
    close(in[1]);
    char obuf[4096], ebuf[4096];
    size_t on = 0, en = 0;
    ssize_t r;
    while ((r = read(po[0], obuf + on, sizeof(obuf) - 1 - on)) > 0) on += (size_t)r;
    while ((r = read(pe[0], ebuf + en, sizeof(ebuf) - 1 - en)) > 0) en += (size_t)r;
    obuf[on] = ebuf[en] = '\0';
    close(po[0]); close(pe[0]);
    if (out) copy_out(out, osz, obuf);
    if (err) copy_out(err, esz, ebuf);
    int st;
    if (waitpid(pid, &st, 0) < 0) return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) return -1;
    fputs(text, f);
    return fclose(f);
}

static char *replace_all(const char *s, const char *from, const char *to)
{
    size_t fl = strlen(from), tl = strlen(to), n = 0;
    for (const char *p = s; (p = strstr(p, from)); p += fl) n++;
    char *out = malloc(strlen(s) + n * tl + 1), *o = out;
    const char *p = s, *q;
    while ((q = strstr(p, from))) {
        memcpy(o, p, (size_t)(q - p)); o += q - p;
        memcpy(o, to, tl); o += tl;
        p = q + fl;
    }
    strcpy(o, p);
    return out;
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(p);
}

/* ---- the case directory ----------------------------------------------------------- */
struct workdir { char dir[PATH_MAX / 2], services[PATH_MAX], conf[PATH_MAX], store[PATH_MAX]; };

static char *setup_dir(const struct mcase *c, struct workdir *w)
{
    static char err[8192];
    const char *tmp = getenv("TMPDIR");
    snprintf(w->dir, sizeof(w->dir), "%s/pam_matrix.%s.XXXXXX", tmp && *tmp ? tmp : "/tmp", c->name);
    if (mkdtemp(w->dir) == NULL) {
        snprintf(err, sizeof(err), "mkdtemp %s: %s", w->dir, strerror(errno));
        return err;
    }
    snprintf(w->services, sizeof(w->services), "%s/services", w->dir);
    snprintf(w->conf, sizeof(w->conf), "%s/lsa.conf", w->dir);
    snprintf(w->store, sizeof(w->store), "%s/smbpasswd", w->dir);
    mkdir(w->services, 0700);

    /* lsa.conf */
    char *conf = xasprintf("[lsa]\npackages = msv1_0\npackage_dir = %s/packages/msv1_0/.libs\n"
                           "state_dir = %s\nmode = embedded\nlog_level = debug\n\n"
                           "[msv1_0]\nstore = %s\ndomain = " DOMAIN "\nlockout_threshold = %s\n",
                           builddir(), w->dir, w->store, case_option(c, "lockout_threshold", "3"));
    for (size_t i = 0; i < c->msv.n; i++) {
        char *more = xasprintf("%s%s\n", conf, c->msv.v[i]);
        free(conf);
        conf = more;
    }
    write_file(w->conf, conf);
    free(conf);

    /* service files */
    char *module = xasprintf("%s/pam_lsa/.libs/pam_lsa.so", builddir());
    struct { const char *from; const char *to; } subst[] = {
        { "@MODULE@", module }, { "@CONFIG@", w->conf },
        { "@PAM_MATRIX@", HELPER_DIR "/pam_matrix.so" },
        { "@PAM_GET_ITEMS@", HELPER_DIR "/pam_get_items.so" },
        { "@PAM_SET_ITEMS@", HELPER_DIR "/pam_set_items.so" },
        { "@PAM_DENY@", SECURITY_DIR "/pam_deny.so" },
        { "@PAM_PERMIT@", SECURITY_DIR "/pam_permit.so" },
    };
    char *svc = strdup("");
    for (size_t i = 0; i < c->stack.n; i++) {
        char *l = strdup(c->stack.v[i]);
        for (size_t j = 0; j < sizeof(subst) / sizeof(subst[0]); j++) {
            char *r = replace_all(l, subst[j].from, subst[j].to);
            free(l);
            l = r;
        }
        char *more = xasprintf("%s%s\n", svc, l);
        free(l);
        free(svc);
        svc = more;
    }
    char *path = xasprintf("%s/" SERVICE, w->services);
    write_file(path, svc);
    free(path);
    free(svc);
    path = xasprintf("%s/other", w->services);
    write_file(path, "auth required " SECURITY_DIR "/pam_deny.so\naccount required " SECURITY_DIR
                     "/pam_deny.so\npassword required " SECURITY_DIR "/pam_deny.so\nsession required "
                     SECURITY_DIR "/pam_deny.so\n");
    free(path);

    /* accounts */
    char *lsa = xasprintf("%s/lsa", builddir());
    char *errmsg = NULL;
    for (size_t i = 0; i < c->accounts.n && errmsg == NULL; i++) {
        char buf[1024], *words[8];
        int nw = 0;
        snprintf(buf, sizeof(buf), "%s", c->accounts.v[i]);
        for (char *t = strtok(buf, " \t"); t && nw < 8; t = strtok(NULL, " \t")) words[nw++] = t;
        if (nw < 2) { errmsg = "[accounts] needs NAME PASSWORD"; break; }
        const char *uid = "1001";
        int disabled = 0, must = 0;
        for (int k = 2; k < nw; k++) {
            if (strcmp(words[k], "disabled") == 0) disabled = 1;
            else if (strcmp(words[k], "must-change") == 0) must = 1;
            else if (strncmp(words[k], "uid=", 4) == 0) uid = words[k] + 4;
        }
        char *argv[12];
        int a = 0;
        argv[a++] = lsa; argv[a++] = "user"; argv[a++] = "--store"; argv[a++] = w->store;
        argv[a++] = "add"; argv[a++] = words[0]; argv[a++] = "--uid"; argv[a++] = (char *)uid;
        if (must) argv[a++] = "--must-change";
        argv[a++] = "--password-stdin"; argv[a] = NULL;
        char e[2048];
        int rc = run_cmd(argv, strcmp(words[1], "\"\"") ? words[1] : "", w->conf, NULL, 0, e, sizeof(e));
        if (rc != 0) {
            snprintf(err, sizeof(err), "lsa user add %s failed (%d): %s", words[0], rc, e);
            errmsg = err;
            break;
        }
        if (disabled) {
            char *dargv[] = { lsa, "user", "--store", w->store, "disable", words[0], NULL };
            rc = run_cmd(dargv, NULL, w->conf, NULL, 0, e, sizeof(e));
            if (rc != 0) {
                snprintf(err, sizeof(err), "lsa user disable %s failed (%d): %s", words[0], rc, e);
                errmsg = err;
            }
        }
    }
    free(lsa);
    free(module);
    return errmsg;
}

/* ---- the child: conversation, calls, checks ------------------------------------- */
struct conv_state {
    const struct mcase *c;
    const struct workdir *w;
    struct strv inputs;         /* this handle's answers */
    size_t next;
    struct strv transcript;     /* "kind: text" */
    char challenge[64];
    FILE *verdict;
};

static void input_group(struct conv_state *cs, int group)
{
    strv_free(&cs->inputs);
    cs->next = 0;
    int g = 0;
    for (size_t i = 0; i < cs->c->input.n; i++) {
        if (strcmp(cs->c->input.v[i], "--") == 0) { g++; continue; }
        if (g == group) strv_add(&cs->inputs, cs->c->input.v[i]);
    }
}

static char *challenge_response(struct conv_state *cs, const char *spec)
{
    char user[256] = "", pass[256] = "";
    if (sscanf(spec, "@CHALLENGE_RESPONSE %255s %255s", user, pass) != 2) {
        fprintf(cs->verdict, "bad input line: %s\n", spec);
        return NULL;
    }
    if (cs->challenge[0] == '\0') {
        fprintf(cs->verdict, "%s: no \"NTLM challenge: HEX\" message was shown before the prompt\n", spec);
        return NULL;
    }
    char *lsa = xasprintf("%s/lsa", builddir());
    char *argv[] = { lsa, "ntlm", "response", "--password-stdin", "--domain", DOMAIN, user,
                     cs->challenge, NULL };
    char out[2048], err[2048];
    int rc = run_cmd(argv, pass, cs->w->conf, out, sizeof(out), err, sizeof(err));
    free(lsa);
    if (rc != 0) {
        fprintf(cs->verdict, "lsa ntlm response failed (%d): %s\n", rc, err);
        return NULL;
    }
    return strdup(trim(out));
}

static int conv_fn(int num, const struct pam_message **msg, struct pam_response **resp, void *data)
{
    struct conv_state *cs = data;
    struct pam_response *r = calloc((size_t)num, sizeof(*r));
    if (r == NULL) return PAM_BUF_ERR;
    for (int i = 0; i < num; i++) {
        const char *text = msg[i]->msg ? msg[i]->msg : "";
        char *line;
        switch (msg[i]->msg_style) {
        case PAM_PROMPT_ECHO_OFF:
        case PAM_PROMPT_ECHO_ON:
            line = xasprintf("%s: %s", msg[i]->msg_style == PAM_PROMPT_ECHO_OFF ? "echo_off" : "echo_on", text);
            strv_add(&cs->transcript, line);
            free(line);
            if (cs->next >= cs->inputs.n) {
                fprintf(cs->verdict, "prompt \"%s\" but no [input] left\n", text);
                goto fail;
            }
            {
                const char *in = cs->inputs.v[cs->next++];
                if (strncmp(in, "@CHALLENGE_RESPONSE", 19) == 0) {
                    r[i].resp = challenge_response(cs, in);
                    if (r[i].resp == NULL) goto fail;
                } else {
                    r[i].resp = strdup(in);
                }
            }
            break;
        case PAM_TEXT_INFO:
        case PAM_ERROR_MSG: {
            line = xasprintf("%s: %s", msg[i]->msg_style == PAM_TEXT_INFO ? "info" : "error", text);
            strv_add(&cs->transcript, line);
            free(line);
            const char *ch = strstr(text, "NTLM challenge: ");
            if (ch != NULL) {
                ch += strlen("NTLM challenge: ");
                size_t n = 0;
                while (isxdigit((unsigned char)ch[n]) && n < sizeof(cs->challenge) - 1) n++;
                memcpy(cs->challenge, ch, n);
                cs->challenge[n] = '\0';
            }
            break;
        }
        default:
            fprintf(cs->verdict, "unexpected message style %d\n", msg[i]->msg_style);
            goto fail;
        }
    }
    *resp = r;
    return PAM_SUCCESS;
fail:
    for (int i = 0; i < num; i++) free(r[i].resp);
    free(r);
    return PAM_CONV_ERR;
}

static int is_hex16(const char *s)
{
    if (strlen(s) != 16) return 0;
    for (int i = 0; i < 16; i++) if (!isxdigit((unsigned char)s[i])) return 0;
    return 1;
}

static void check_env(struct conv_state *cs, char **envlist)
{
    const struct mcase *c = cs->c;
    for (char **e = envlist; e && *e; e++)
        if (strncmp(*e, "LSA_LOGON_ID=", 13) == 0 && !is_hex16(*e + 13))
            fprintf(cs->verdict, "[env] %s is not %%016llx\n", *e);
    for (size_t i = 0; i < c->env.n; i++) {
        const char *want = c->env.v[i];
        int negate = want[0] == '!';
        if (negate) want++;
        const char *eq = strchr(want, '=');
        size_t nl = eq ? (size_t)(eq - want) : strlen(want);
        const char *found = NULL;
        for (char **e = envlist; e && *e; e++)
            if (strncmp(*e, want, nl) == 0 && (*e)[nl] == '=') found = *e + nl + 1;
        if (negate && found) fprintf(cs->verdict, "[env] %.*s is set (%s), expected unset\n", (int)nl, want, found);
        else if (!negate && !found) fprintf(cs->verdict, "[env] %.*s is not set\n", (int)nl, want);
        else if (!negate && eq && strcmp(found, eq + 1) != 0)
            fprintf(cs->verdict, "[env] %.*s=%s, expected %s\n", (int)nl, want, found, eq + 1);
    }
}

static void check_prompts(struct conv_state *cs)
{
    const struct mcase *c = cs->c;
    if (!c->has_prompts) return;
    size_t n = c->prompts.n > cs->transcript.n ? c->prompts.n : cs->transcript.n;
    for (size_t i = 0; i < n; i++) {
        const char *got = i < cs->transcript.n ? cs->transcript.v[i] : NULL;
        char kind[64] = "", text[512] = "";
        if (i < c->prompts.n) split_kv(c->prompts.v[i], kind, sizeof(kind), text, sizeof(text));
        if (i >= c->prompts.n) { fprintf(cs->verdict, "[prompts] unexpected message %s\n", got); continue; }
        if (got == NULL) { fprintf(cs->verdict, "[prompts] missing message %s: %s\n", kind, text); continue; }
        size_t kl = strlen(kind);
        if (strncmp(got, kind, kl) != 0 || got[kl] != ':' ||
            (strcmp(text, "*") != 0 && strncmp(got + kl + 2, text, strlen(text)) != 0))
            fprintf(cs->verdict, "[prompts] message %zu is \"%s\", expected %s: %s\n", i + 1, got, kind, text);
    }
}

static void run_child(const struct mcase *c, const struct workdir *w, const char *verdict_path)
{
    struct conv_state cs = { .c = c, .w = w };
    cs.verdict = fopen(verdict_path, "w");
    if (cs.verdict == NULL) _exit(3);
    setvbuf(cs.verdict, NULL, _IONBF, 0);
    setenv("PAM_WRAPPER", "1", 1);
    setenv("PAM_WRAPPER_SERVICE_DIR", w->services, 1);
    setenv("PAM_WRAPPER_DEBUGLEVEL", "2", 1);   /* pam_syslog lines (ERR..DEBUG), no trace */
    unsetenv("PAM_WRAPPER_USE_SYSLOG");
    setenv("LSA_LOG_STDERR", "1", 1);
    setenv("LSA_CONFIG", w->conf, 1);
    for (size_t i = 0; i < c->setenv.n; i++) {
        char k[256], v[512];
        if (split_kv(c->setenv.v[i], k, sizeof(k), v, sizeof(v))) setenv(k, v, 1);
    }
    const char *user = case_option(c, "user", "alice");
    char *user_copy = strdup(user);
    struct pam_testcase *tcs = calloc(c->run.n + 2, sizeof(*tcs));
    size_t start = 0;
    int group = 0;
    while (start <= c->run.n) {
        size_t end = start, n = 0;
        char err[512];
        while (end < c->run.n && strcmp(c->run.v[end], "restart") != 0) {
            if (!parse_call(c->run.v[end], &tcs[n++], err, sizeof(err))) {
                fprintf(cs.verdict, "%s\n", err);
                _exit(1);
            }
            end++;
        }
        int last = end >= c->run.n;
        if (last) {
            memset(&tcs[n], 0, sizeof(tcs[n]));
            tcs[n].pam_operation = PAMTEST_GETENVLIST;
            tcs[n++].expected_rv = PAM_SUCCESS;
        }
        input_group(&cs, group);
        enum pamtest_err perr = _pamtest_conv(SERVICE, user_copy, conv_fn, &cs, tcs, n, NULL);
        if (perr == PAMTEST_ERR_CASE) {
            const struct pam_testcase *f = _pamtest_failed_case(tcs, n);
            size_t idx = f ? (size_t)(f - tcs) : 0;
            fprintf(cs.verdict, "handle %d, call %zu: %s(flags 0x%x) returned %s, expected %s\n",
                    group + 1, idx + 1, op_name(f->pam_operation), (unsigned)f->flags,
                    code_name(f->op_rv), code_name(f->expected_rv));
            break;
        } else if (perr != PAMTEST_ERR_OK) {
            fprintf(cs.verdict, "handle %d: run_pamtest: %s\n", group + 1, pamtest_strerror(perr));
            break;
        }
        if (last) {
            check_env(&cs, tcs[n - 1].case_out.envlist);
            pamtest_free_env(tcs[n - 1].case_out.envlist);
            break;
        }
        start = end + 1;
        group++;
    }
    check_prompts(&cs);
    fflush(stderr);
    long pos = ftell(cs.verdict);
    fclose(cs.verdict);
    _exit(pos > 0 ? 1 : 0);
}

/* ---- the parent: one cmocka test per case ---------------------------------------- */
static int secret_leaked(const char *log, const char *secret, char *line, size_t lsz)
{
    if (strlen(secret) < 6) return 0;
    const char *p = log;
    while ((p = strstr(p, secret)) != NULL) {
        const char *b = p, *e = p;
        while (b > log && b[-1] != '\n') b--;
        while (*e && *e != '\n') e++;
        snprintf(line, lsz, "%.*s", (int)(e - b), b);
        /* pam_wrapper's helper modules print the items they set; not ours */
        if (!strstr(line, "PAM_SET_ITEM") && !strstr(line, "PAM_GET_ITEM") && !strstr(line, "pam_set_items"))
            return 1;
        p = e;
    }
    return 0;
}

static void check_log(const struct mcase *c, const char *log, char *fails, size_t fsz)
{
    size_t used = strlen(fails);
    for (size_t i = 0; i < c->log.n; i++) {
        const char *want = c->log.v[i];
        int negate = want[0] == '!';
        if (negate) want++;
        int found = strstr(log, want) != NULL;
        if (found == negate)
            used += (size_t)snprintf(fails + used, used < fsz ? fsz - used : 0, "[log] %s \"%s\"\n",
                                     negate ? "has a line with" : "has no line with", want);
    }
    struct strv secrets = { 0 };
    for (size_t i = 0; i < c->accounts.n; i++) {
        char name[256], pw[256];
        if (sscanf(c->accounts.v[i], "%255s %255s", name, pw) == 2) strv_add(&secrets, pw);
    }
    for (size_t i = 0; i < c->input.n; i++) {
        char u[256], pw[256];
        if (sscanf(c->input.v[i], "@CHALLENGE_RESPONSE %255s %255s", u, pw) == 2) strv_add(&secrets, pw);
        else strv_add(&secrets, c->input.v[i]);
    }
    for (size_t i = 0; i < c->setenv.n; i++) {
        char k[256], v[512];
        if (split_kv(c->setenv.v[i], k, sizeof(k), v, sizeof(v)) && strstr(k, "AUTHTOK")) strv_add(&secrets, v);
    }
    for (size_t i = 0; i < secrets.n; i++) {
        char line[1024];
        if (strcmp(secrets.v[i], "--") != 0 && secret_leaked(log, secrets.v[i], line, sizeof(line)))
            used += (size_t)snprintf(fails + used, used < fsz ? fsz - used : 0,
                                     "[log] a password appears in the log: %s\n", line);
    }
    strv_free(&secrets);
}

static void test_case(void **state)
{
    struct mcase *c = *state;
    char *err = case_load(c);
    if (err) fail_msg("%s", err);
    struct workdir w;
    err = setup_dir(c, &w);
    if (err) fail_msg("%s: setup: %s", c->name, err);
    char *module = xasprintf("%s/pam_lsa/.libs/pam_lsa.so", builddir());
    if (access(module, R_OK) != 0) {
        free(module);
        print_message("# %s: pam_lsa.so not built\n", c->name);
        skip();
    }
    free(module);
    if (MATRIX_ASAN && ASAN_RUNTIME[0] == '\0' && !getenv("LSA_TEST_ASAN_RUNTIME")) {
        print_message("# %s: ASan build without the ASan runtime's path (ASAN_RUNTIME)\n", c->name);
        skip();
    }
    char *logp = xasprintf("%s/stderr.log", w.dir), *verdp = xasprintf("%s/verdict", w.dir);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(logp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0) _exit(3);
        dup2(fd, 2);
        close(fd);
        alarm(120);
        run_child(c, &w, verdp);
    }
    int st;
    waitpid(pid, &st, 0);
    char *log = read_all(logp), *verdict = read_all(verdp);
    char fails[16384];
    snprintf(fails, sizeof(fails), "%s", verdict);
    if (WIFSIGNALED(st))
        snprintf(fails + strlen(fails), sizeof(fails) - strlen(fails), "child killed by signal %d (%s)\n",
                 WTERMSIG(st), strsignal(WTERMSIG(st)));
    check_log(c, log, fails, sizeof(fails));
    const char *keep = getenv("LSA_TEST_KEEP");
    if (fails[0] != '\0') {
        print_message("# case %s failed:\n", c->name);
        for (char *l = strtok(fails, "\n"); l; l = strtok(NULL, "\n")) print_message("#   %s\n", l);
        print_message("# log (%s):\n", c->path);
        char *copy = strdup(log);
        for (char *l = strtok(copy, "\n"); l; l = strtok(NULL, "\n")) print_message("#   | %s\n", l);
        free(copy);
    }
    int failed = fails[0] != '\0';
    if (!(keep && *keep == '1')) nftw(w.dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(log); free(verdict); free(logp); free(verdp);
    case_free(c);
    if (failed) fail_msg("case %s failed (see above)", c->name);
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void reexec_with_wrapper(char **argv)
{
    if (getenv("PAM_WRAPPER") != NULL) return;
    setenv("PAM_WRAPPER", "1", 1);
    const char *old = getenv("LD_PRELOAD");
    char *preload;
    if (MATRIX_ASAN) {
        /* clang links its ASan runtime into this program; gcc's libasan is a shared
         * library that must come before anything preloaded. */
#ifdef __clang__
        const char *rt = "";
#else
        const char *rt = getenv("LSA_TEST_ASAN_RUNTIME");
        if (rt == NULL || *rt == '\0') rt = ASAN_RUNTIME;
#endif
        /* pam_wrapper's RTLD_DEEPBIND breaks the sanitizers; Debian 12's 1.1.4 reads the
         * variable under uid_wrapper's name. */
        setenv("PAM_WRAPPER_DISABLE_DEEPBIND", "1", 1);
        setenv("UID_WRAPPER_DISABLE_DEEPBIND", "1", 1);
        preload = xasprintf("%s%s" PAM_WRAPPER_SO "%s%s", rt, *rt ? ":" : "", old ? ":" : "", old ? old : "");
    } else {
        preload = xasprintf(PAM_WRAPPER_SO "%s%s", old ? ":" : "", old ? old : "");
    }
    setenv("LD_PRELOAD", preload, 1);
    free(preload);
    execv("/proc/self/exe", argv);
    fprintf(stderr, "run_matrix: re-exec with LD_PRELOAD failed: %s\n", strerror(errno));
    exit(99);
}

int main(int argc, char **argv)
{
    (void)argc;
    reexec_with_wrapper(argv);
    const char *src = getenv("LSA_TEST_SRCDIR");
    char *dir = xasprintf("%s/tests/pam/cases", src && *src ? src : ".");
    DIR *d = opendir(dir);
    if (d == NULL) {
        fprintf(stderr, "run_matrix: %s: %s\n", dir, strerror(errno));
        return 99;
    }
    struct strv names = { 0 };
    struct dirent *de;
    const char *only = getenv("LSA_TEST_CASE");
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l > 5 && strcmp(de->d_name + l - 5, ".case") == 0) {
            if (only && *only && strncmp(de->d_name, only, l - 5) != 0) continue;
            strv_add(&names, de->d_name);
        }
    }
    closedir(d);
    qsort(names.v, names.n, sizeof(*names.v), name_cmp);
    struct CMUnitTest *tests = calloc(names.n + 1, sizeof(*tests));
    struct mcase *cases = calloc(names.n + 1, sizeof(*cases));
    for (size_t i = 0; i < names.n; i++) {
        cases[i].path = xasprintf("%s/%s", dir, names.v[i]);
        cases[i].name = strndup(names.v[i], strlen(names.v[i]) - 5);
        tests[i].name = cases[i].name;
        tests[i].test_func = test_case;
        tests[i].initial_state = &cases[i];
    }
    int rc = _cmocka_run_group_tests("pam_matrix", tests, names.n, NULL, NULL);
    for (size_t i = 0; i < names.n; i++) { free(cases[i].path); free(cases[i].name); }
    free(cases); free(tests); free(dir); strv_free(&names);
    return rc;
}
