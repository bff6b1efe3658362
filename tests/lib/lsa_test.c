#include "lsa_test.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <lsa/lsa_status.h>
#include <lsa/lsa_util.h>

#if defined(__SANITIZE_ADDRESS__)
#define LSA_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LSA_TEST_ASAN 1
#endif
#endif
#ifdef LSA_TEST_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n) ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define NOBODY_ID 65534

/* ---- lsa.conf ------------------------------------------------------------------------ */

static char *temp_dirs[128];
static size_t temp_dir_count;
static char *config_paths[128];
static size_t config_path_count;
static char *pending_log; /* a child's log its test did not free (it failed first) */

/* The lsads started for the configurations written (daemon mode). */
struct test_daemon {
    pid_t pid;
    BOOLEAN running;
    long consumed; /* of its log, already given to a child */
    char *socket, *log;
};
static struct test_daemon daemons[128];
static size_t daemon_count;

int lsa_test_daemon_mode(void)
{
    const char *t = getenv("LSA_TEST_TRANSPORT");
    return t != NULL && strcmp(t, "daemon") == 0;
}

int lsa_test_not_in_daemon_mode(void)
{
    if (!lsa_test_daemon_mode())
        return 0;
    /* Passed, not skipped: cmocka's TAP output marks a skip "not ok". */
    fprintf(stderr, "# a test of the embedded transport: nothing to do against lsad\n");
    return 1;
}

static int answers(const char *socket_path)
{
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", socket_path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    int ok = connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0;
    close(fd);
    return ok;
}

int lsa_test_lsad_start(const char *config, const char *socket_path, const char *log, pid_t *pid)
{
    const char *lsad = getenv("LSA_TEST_LSAD");
    if (lsad == NULL || *lsad == '\0') {
        fprintf(stderr, "# LSA_TEST_LSAD is not set (run through make check)\n");
        return -1;
    }
    fflush(NULL);
    *pid = fork();
    if (*pid < 0)
        return -1;
    if (*pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            dup2(fd, STDERR_FILENO);
        }
        setenv("LSA_LOG_STDERR", "1", 1);
        execl(lsad, lsad, "-f", "-c", config, "--socket", socket_path, (char *)NULL);
        fprintf(stderr, "cannot run %s: %s\n", lsad, strerror(errno));
        _exit(127);
    }
    for (int i = 0; i < 2000; i++) { /* 20 s */
        if (answers(socket_path))
            return 0;
        int status;
        if (waitpid(*pid, &status, WNOHANG) == *pid)
            return -1;
        usleep(10000);
    }
    fprintf(stderr, "# lsad did not answer at %s within 20 s\n", socket_path);
    return -1;
}

int lsa_test_lsad_stop(pid_t pid, const char *socket_path)
{
    int status;
    kill(pid, SIGTERM);
    for (int i = 0; i < 3000; i++) { /* 30 s */
        pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid) {
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                fprintf(stderr, "# lsad (pid %d) did not exit 0 on SIGTERM (status 0x%x)\n",
                        (int)pid, (unsigned)status);
                return -1;
            }
            if (access(socket_path, F_OK) == 0) {
                fprintf(stderr, "# lsad left its socket %s\n", socket_path);
                return -1;
            }
            return 0;
        }
        usleep(10000);
    }
    fprintf(stderr, "# lsad (pid %d) did not stop within 30 s of SIGTERM\n", (int)pid);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return -1;
}

static long log_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

/* Daemon mode: CONFIG gets mode = daemon and a socket beside it, and an lsad. */
static int daemon_for_config(const char *dir, const char *config)
{
    if (daemon_count == sizeof(daemons) / sizeof(daemons[0]))
        return -1;
    struct test_daemon *d = &daemons[daemon_count];
    memset(d, 0, sizeof(*d));
    if (asprintf(&d->socket, "%s/lsad.sock", dir) < 0)
        return -1;
    if (asprintf(&d->log, "%s/lsad.log", dir) < 0) {
        free(d->socket);
        return -1;
    }
    FILE *f = fopen(config, "a");
    if (f == NULL)
        return -1;
    fprintf(f, "\n[lsa]\nmode = daemon\nsocket = %s\n", d->socket);
    if (fclose(f) != 0)
        return -1;
    daemon_count++;
    d->running = lsa_test_lsad_start(config, d->socket, d->log, &d->pid) == 0;
    if (!d->running && d->pid > 0) {
        int status;
        waitpid(d->pid, &status, 0); /* it refused the file, as the client will */
        d->consumed = log_size(d->log); /* and said so: the client's own line is the one */
    }
    return 0;
}

/* What the daemons logged since OFFSETS, appended to LOG. */
static void append_daemon_logs(char **log, const long *offsets)
{
    for (size_t i = 0; i < daemon_count && *log != NULL; i++) {
        FILE *f = fopen(daemons[i].log, "r");
        if (f == NULL)
            continue;
        fseek(f, offsets[i], SEEK_SET);
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
            size_t have = strlen(*log);
            char *bigger = realloc(*log, have + n + 1);
            if (bigger == NULL)
                break;
            memcpy(bigger + have, chunk, n);
            bigger[have + n] = '\0';
            *log = bigger;
        }
        fclose(f);
    }
}



const char *lsa_test_package_dir(void)
{
    const char *dir = getenv("LSA_TEST_PACKAGE_DIR");
    if (dir == NULL || *dir == '\0') {
        fprintf(stderr, "# LSA_TEST_PACKAGE_DIR is not set (run through make check)\n");
        fail();
    }
    return dir;
}

const char *lsa_test_temp_dir(void)
{
    const char *tmp = getenv("TMPDIR");
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s/lsa-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (temp_dir_count == sizeof(temp_dirs) / sizeof(temp_dirs[0]) || mkdtemp(dir) == NULL ||
        chmod(dir, 0755) != 0)
        return NULL;
    temp_dirs[temp_dir_count] = strdup(dir);
    return temp_dirs[temp_dir_count] ? temp_dirs[temp_dir_count++] : NULL;
}

const char *lsa_test_write_config(const char *body)
{
    const char *pkgdir = lsa_test_package_dir();
    const char *dir = lsa_test_temp_dir();
    if (dir == NULL || config_path_count == sizeof(config_paths) / sizeof(config_paths[0]))
        return NULL;
    char *path = malloc(strlen(dir) + sizeof("/lsa.conf"));
    if (path == NULL)
        return NULL;
    config_paths[config_path_count++] = path;
    strcpy(path, dir);
    strcat(path, "/lsa.conf");
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return NULL;
    for (const char *p = body; *p != '\0';) {
        if (strncmp(p, "@PKGDIR@", 8) == 0) {
            fputs(pkgdir, f);
            p += 8;
        } else {
            fputc(*p++, f);
        }
    }
    if (fclose(f) != 0 || chmod(path, 0644) != 0)
        return NULL;
    if (lsa_test_daemon_mode() && daemon_for_config(dir, path) != 0)
        return NULL;
    return path;
}

const char *lsa_test_use_config(const char *body)
{
    const char *path = lsa_test_write_config(body);
    if (path != NULL)
        setenv("LSA_CONFIG", path, 1);
    return path;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

void lsa_test_cleanup(void)
{
    int daemon_failed = 0;
    for (size_t i = 0; i < daemon_count; i++) {
        if (daemons[i].running && lsa_test_lsad_stop(daemons[i].pid, daemons[i].socket) != 0) {
            daemon_failed = 1;
            FILE *f = fopen(daemons[i].log, "r");
            char line[1024];
            fprintf(stderr, "# --- %s ---\n", daemons[i].log);
            while (f != NULL && fgets(line, sizeof(line), f) != NULL)
                fprintf(stderr, "# %s", line);
            if (f != NULL)
                fclose(f);
        }
        free(daemons[i].socket);
        free(daemons[i].log);
    }
    daemon_count = 0;
    for (size_t i = 0; i < temp_dir_count; i++) {
        nftw(temp_dirs[i], remove_entry, 16, FTW_DEPTH | FTW_PHYS);
        free(temp_dirs[i]);
    }
    temp_dir_count = 0;
    for (size_t i = 0; i < config_path_count; i++)
        free(config_paths[i]);
    config_path_count = 0;
    free(pending_log);
    pending_log = NULL;
    if (daemon_failed)
        fail_msg("an lsad did not stop cleanly (above)");
}

/* ---- children ------------------------------------------------------------------------- */

static void child_run(int (*fn)(void *), void *arg, const char *config, unsigned flags)
{
    /* cmocka catches these to fail the running test; in the child they must end it. */
    static const int fatal[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGSYS, SIGABRT };
    for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
        signal(fatal[i], SIG_DFL);
    setenv("LSA_LOG_STDERR", "1", 1);
    if (config != NULL)
        setenv("LSA_CONFIG", config, 1);
    if (flags & LSA_TEST_CHILD_NOBODY) {
        if (setgroups(0, NULL) != 0 || setgid(NOBODY_ID) != 0 || setuid(NOBODY_ID) != 0 ||
            geteuid() != NOBODY_ID) {
            fprintf(stderr, "cannot become nobody: %s\n", strerror(errno));
            _exit(125);
        }
    }
    alarm(120); /* a hung child is a failure, not a hung test suite */
    int rc = fn(arg);
    fflush(stdout);
    fflush(stderr);
    /* Exit codes are 8 bits: keep every non-zero result non-zero. */
    _exit(rc == 0 ? 0 : 1 + (rc % 254));
}

int lsa_test_run_child(int (*fn)(void *), void *arg, const char *config, unsigned flags,
                       struct lsa_test_child *out)
{
    memset(out, 0, sizeof(*out));
    free(pending_log);
    pending_log = NULL;
    /* A child gets what the daemons logged since the last child: the first one what they
     * logged as they started (the packages they loaded), as an embedded LSA would. */
    long offsets[sizeof(daemons) / sizeof(daemons[0])];
    for (size_t i = 0; i < daemon_count; i++)
        offsets[i] = daemons[i].consumed;
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        close(fds[1]);
        child_run(fn, arg, config, flags);
    }
    close(fds[1]);
    size_t length = 0, capacity = 4096;
    char *log = malloc(capacity);
    for (;;) {
        if (log != NULL && capacity - length < 1024) {
            char *bigger = realloc(log, capacity * 2);
            if (bigger == NULL) {
                free(log);
                log = NULL;
            } else {
                log = bigger;
                capacity *= 2;
            }
        }
        char scratch[1024];
        char *into = log ? log + length : scratch;
        size_t room = log ? capacity - length - 1 : sizeof(scratch);
        ssize_t n = read(fds[0], into, room);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (log != NULL)
            length += (size_t)n;
    }
    close(fds[0]);
    if (log != NULL)
        log[length] = '\0';
    out->log = pending_log = log;
    int status;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    if (daemon_count > 0 && log != NULL) {
        usleep(20000); /* the daemon's lines of the child's last call */
        append_daemon_logs(&log, offsets);
        out->log = pending_log = log;
        for (size_t i = 0; i < daemon_count; i++)
            daemons[i].consumed = log_size(daemons[i].log);
    }
    out->exited = WIFEXITED(status);
    out->exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    out->signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    return 0;
}

void lsa_test_child_free(struct lsa_test_child *child)
{
    if (child->log == pending_log)
        pending_log = NULL;
    free(child->log);
    child->log = NULL;
}

int lsa_test_log_count(const struct lsa_test_child *child, const char *needle)
{
    int n = 0;
    if (child->log == NULL || *needle == '\0')
        return 0;
    for (const char *p = strstr(child->log, needle); p != NULL; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void show_log(const struct lsa_test_child *child)
{
    const char *log = child->log ? child->log : "";
    fprintf(stderr, "# --- child output ---\n# ");
    for (const char *p = log; *p != '\0'; p++) {
        fputc(*p, stderr);
        if (*p == '\n' && p[1] != '\0')
            fputs("# ", stderr);
    }
    fprintf(stderr, "\n# --- end of child output ---\n");
}

void lsa_test_assert_child_ok(const struct lsa_test_child *child, const char *file, int line)
{
    if (child->exited && child->exit_code == 0)
        return;
    if (child->exited)
        fprintf(stderr, "# child failed (exit code %d)\n", child->exit_code);
    else
        fprintf(stderr, "# child killed by signal %d (%s)\n", child->signal,
                strsignal(child->signal));
    show_log(child);
    _fail(file, line);
}

void lsa_test_assert_log_has(const struct lsa_test_child *child, const char *needle,
                             const char *file, int line)
{
    if (lsa_test_log_count(child, needle) > 0)
        return;
    fprintf(stderr, "# expected in the log: \"%s\"\n", needle);
    show_log(child);
    _fail(file, line);
}

void lsa_test_assert_status(NTSTATUS got, NTSTATUS want, const char *expr, const char *file,
                            int line)
{
    if (got == want)
        return;
    const char *g = lsa_status_name(got), *w = lsa_status_name(want);
    fprintf(stderr, "# %s = 0x%08x (%s), expected 0x%08x (%s)\n", expr, (unsigned)got,
            g ? g : "?", (unsigned)want, w ? w : "?");
    _fail(file, line);
}

void lsa_test_require_root(void)
{
    if (geteuid() != 0) {
        fprintf(stderr, "# skipped: needs root (CI runs the tests as root)\n");
        skip();
    }
}

/* ---- submit buffers --------------------------------------------------------------------- */

#define BUF_CAPACITY (256u * 1024u)

void *lsa_test_buf_start(struct lsa_test_buf *b, size_t fixed_size)
{
    assert_true(fixed_size <= BUF_CAPACITY);
    b->data = calloc(1, BUF_CAPACITY);
    assert_non_null(b->data);
    b->capacity = BUF_CAPACITY;
    b->length = fixed_size;
    /* Bytes past the block are not the client's: a read of them is reported. */
    POISON(b->data + b->length, b->capacity - b->length);
    return b->data;
}

static unsigned char *buf_append(struct lsa_test_buf *b, size_t n, size_t align)
{
    size_t start = (b->length + align - 1) & ~(align - 1);
    assert_true(start + n <= b->capacity);
    UNPOISON(b->data + b->length, start + n - b->length);
    memset(b->data + b->length, 0, start - b->length);
    b->length = start + n;
    return b->data + start;
}

PWSTR lsa_test_buf_add_utf16(struct lsa_test_buf *b, const char *utf8, PUNICODE_STRING out)
{
    UNICODE_STRING u;
    assert_int_equal(lsa_utf8_to_unicode_string(utf8, strlen(utf8), &u), STATUS_SUCCESS);
    unsigned char *at = buf_append(b, u.Length, 2);
    memcpy(at, u.Buffer, u.Length);
    if (out != NULL) {
        out->Length = out->MaximumLength = u.Length;
        out->Buffer = (PWSTR)(void *)at;
    }
    lsa_free_unicode_string(&u);
    return (PWSTR)(void *)at;
}

PCHAR lsa_test_buf_add_bytes(struct lsa_test_buf *b, const void *bytes, size_t n, size_t align,
                             PSTRING out)
{
    unsigned char *at = buf_append(b, n, align ? align : 1);
    if (n > 0 && bytes != NULL)
        memcpy(at, bytes, n);
    else if (n > 0)
        memset(at, 0, n);
    if (out != NULL) {
        out->Length = out->MaximumLength = (USHORT)n;
        out->Buffer = (PCHAR)at;
    }
    return (PCHAR)at;
}

void lsa_test_buf_free(struct lsa_test_buf *b)
{
    if (b->data != NULL) {
        UNPOISON(b->data, b->capacity);
        free(b->data);
    }
    memset(b, 0, sizeof(*b));
}

/* ---- small helpers ------------------------------------------------------------------------ */

LSA_STRING lsa_test_string(const char *s)
{
    size_t n = strlen(s);
    LSA_STRING str = { (USHORT)n, (USHORT)(n < 0xffff ? n + 1 : n), (PCHAR)s };
    return str;
}

UNICODE_STRING lsa_test_unicode(const char *utf8)
{
    UNICODE_STRING u;
    assert_int_equal(lsa_utf8_to_unicode_string(utf8, strlen(utf8), &u), STATUS_SUCCESS);
    return u;
}

BOOLEAN lsa_test_unicode_is(PCUNICODE_STRING u, const char *expected)
{
    UNICODE_STRING e;
    if (lsa_utf8_to_unicode_string(expected, strlen(expected), &e) != STATUS_SUCCESS)
        return FALSE;
    BOOLEAN same = u->Length == e.Length &&
                   (e.Length == 0 || (u->Buffer != NULL && memcmp(u->Buffer, e.Buffer, e.Length) == 0));
    lsa_free_unicode_string(&e);
    return same;
}

ULONG lsa_test_lookup(HANDLE lsa, const char *name)
{
    LSA_STRING s = lsa_test_string(name);
    ULONG id = 0xdeadbeef;
    NTSTATUS status = LsaLookupAuthenticationPackage(lsa, &s, &id);
    if (status != STATUS_SUCCESS)
        fprintf(stderr, "# lookup of package \"%s\" failed\n", name);
    assert_status(status, STATUS_SUCCESS);
    return id;
}

int lsa_test_echo_setup(struct lsa_test_echo *echo, const char *config, const char *process_name)
{
    memset(echo, 0, sizeof(*echo));
    /* The first call loads the LSA in this process: children forked later share it. */
    if (lsa_test_use_config(config) == NULL || LsaConnectUntrusted(&echo->untrusted) != STATUS_SUCCESS)
        return -1;
    if (process_name != NULL && geteuid() == 0) {
        LSA_STRING name = lsa_test_string(process_name);
        LSA_OPERATIONAL_MODE mode;
        if (LsaRegisterLogonProcess(&name, &echo->trusted, &mode) != STATUS_SUCCESS)
            return -1;
    }
    echo->ap = lsa_test_lookup(echo->untrusted, ECHO_AP_NAME);
    echo->sspap = lsa_test_lookup(echo->untrusted, ECHO_SSPAP_NAME);
    echo->sspap_init = lsa_test_lookup(echo->untrusted, ECHO_SSPAP_INIT_NAME);
    if (process_name == NULL) {
        LsaDeregisterLogonProcess(echo->untrusted);
        echo->untrusted = NULL;
    }
    return 0;
}

void lsa_test_echo_teardown(struct lsa_test_echo *echo)
{
    if (echo->trusted != NULL)
        LsaDeregisterLogonProcess(echo->trusted);
    if (echo->untrusted != NULL)
        LsaDeregisterLogonProcess(echo->untrusted);
    memset(echo, 0, sizeof(*echo));
    lsa_test_cleanup();
}

HANDLE lsa_test_connect(BOOLEAN trusted)
{
    HANDLE h = NULL;
    if (trusted) {
        lsa_test_require_root();
        LSA_STRING name = lsa_test_string("lsa-test");
        LSA_OPERATIONAL_MODE mode;
        assert_status(LsaRegisterLogonProcess(&name, &h, &mode), STATUS_SUCCESS);
    } else {
        assert_status(LsaConnectUntrusted(&h), STATUS_SUCCESS);
    }
    assert_non_null(h);
    return h;
}

NTSTATUS lsa_test_whoami(HANDLE lsa, ULONG id, ECHO_WHOAMI_RESPONSE *out, NTSTATUS *protocol)
{
    ULONG message = EchoMessageWhoAmI;
    PVOID reply = NULL;
    ULONG length = 0;
    NTSTATUS status =
        LsaCallAuthenticationPackage(lsa, id, &message, sizeof(message), &reply, &length, protocol);
    if (status != STATUS_SUCCESS)
        return status;
    if (reply == NULL || length < sizeof(*out)) {
        fprintf(stderr, "# WhoAmI reply of %u bytes, expected %zu\n", length, sizeof(*out));
        LsaFreeReturnBuffer(reply);
        return STATUS_INTERNAL_ERROR;
    }
    memcpy(out, reply, sizeof(*out));
    LsaFreeReturnBuffer(reply);
    return STATUS_SUCCESS;
}
