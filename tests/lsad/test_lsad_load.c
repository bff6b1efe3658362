/*
 * lsad under load and across restarts (TAP).  One lsad, started here on a temporary
 * socket with the echo package:
 *
 *   load     LSA_LOAD_CLIENTS processes (default 200), each with its own connection,
 *            make LSA_LOAD_CALLS echo calls each (default 1000; 100 under sanitizers)
 *            at the same time: every call succeeds with its bytes echoed.  A warm-up
 *            run of the same size first; after the second run, in which a few more
 *            clients are killed with SIGKILL in the middle of their calls, lsad's VmRSS
 *            may exceed the warm-up's by at most LOAD_RSS_BOUND_KB, and its thread count
 *            must come back to its idle value.
 *   restart  clients idle on a connection and clients calling in a loop when lsad is
 *            stopped with SIGTERM: each gets STATUS_PORT_DISCONNECTED, never a hang or
 *            STATUS_IO_TIMEOUT; after lsad is started again, the broken handle stays
 *            broken and a new LsaConnectUntrusted and call succeed.
 *   kill -9  the same with lsad killed with SIGKILL in the middle of calls.
 *   LogonId 0  (lsad(8) "LOGON ID 0") root with no audit session gets SYSTEM; a session
 *            made by LsaLogonUser in an audit session (a child that wrote
 *            /proc/self/loginuid) is the own session of the later processes of that
 *            audit session, and of no other.
 *
 * Deadlines here only catch hangs; speed is make bench's business.
 *   LSA_TEST_LSAD, LSA_TEST_PACKAGE_DIR (make check sets them)
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <lsa/ntsecapi.h>
#include <lsa/ntsecpkg.h>
#include <lsa/ntstatus.h>

#include "../packages/echo_protocol.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif
#ifndef UNDER_SANITIZER
#define UNDER_SANITIZER 0
#endif

#define LOAD_RSS_BOUND_KB (8 * 1024)  /* a second run may grow lsad by this much at most */
#define VICTIMS 8                     /* clients killed mid-call during the second run */
#define RESTART_CLIENTS 16            /* half idle, half calling, when lsad stops */
#define REQUEST_TIMEOUT 10            /* s: far above any clean failure */
#define HANG_DEADLINE 60              /* s: a child still running by then hangs */

static char dir[] = "/tmp/test_lsad_load.XXXXXX";
static char conf[sizeof(dir) + 16], sock[sizeof(dir) + 16], logpath[sizeof(dir) + 16];
static pid_t lsad_pid = -1;
static int test_number;

static void ok(int pass, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ok(int pass, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("%sok %d - ", pass ? "" : "not ", ++test_number);
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    fflush(stdout);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int answers(void)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    snprintf(a.sun_path, sizeof(a.sun_path), "%s", sock);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int rc = connect(fd, (struct sockaddr *)&a, sizeof(a));
    close(fd);
    return rc == 0;
}

static int lsad_start(void)
{
    const char *lsad = getenv("LSA_TEST_LSAD");
    if (lsad == NULL)
        return -1;
    fflush(stdout);
    lsad_pid = fork();
    if (lsad_pid == 0) {
        int fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execl(lsad, lsad, "-f", "-c", conf, "--socket", sock, (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 400; i++) {
        if (answers())
            return 0;
        if (waitpid(lsad_pid, NULL, WNOHANG) == lsad_pid) {
            lsad_pid = -1;
            return -1;
        }
        usleep(50000);
    }
    return -1;
}

/* Waits for PID until the hang deadline; its wait status, or -1 if it hung (killed). */
static int wait_for(pid_t pid)
{
    double until = now() + HANG_DEADLINE;
    int st;
    while (now() < until) {
        pid_t r = waitpid(pid, &st, WNOHANG);
        if (r == pid)
            return st;
        if (r < 0)
            return -1;
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
    return -1;
}

/* A field of /proc/PID/status in its unit (kB for VmRSS), or -1. */
static long proc_status(pid_t pid, const char *field)
{
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "re");
    long v = -1;
    size_t n = strlen(field);
    while (f != NULL && fgets(line, sizeof(line), f) != NULL)
        if (strncmp(line, field, n) == 0 && line[n] == ':') {
            v = strtol(line + n + 1, NULL, 10);
            break;
        }
    if (f != NULL)
        fclose(f);
    return v;
}

/* Waits (up to the hang deadline) for lsad's thread count to be IDLE; the last count. */
static long threads_back_to(long idle)
{
    double until = now() + HANG_DEADLINE;
    long t;
    while ((t = proc_status(lsad_pid, "Threads")) != idle && now() < until)
        usleep(20000);
    return t;
}

static NTSTATUS open_echo(HANDLE *h, ULONG *package)
{
    NTSTATUS s = LsaConnectUntrusted(h);
    if (s != STATUS_SUCCESS)
        return s;
    LSA_STRING name = { 9, 10, "EchoSSPAP" };
    s = LsaLookupAuthenticationPackage(*h, &name, package);
    if (s != STATUS_SUCCESS)
        LsaDeregisterLogonProcess(*h);
    return s;
}

/* One echo call with a 64-byte submit; STATUS_INTERNAL_ERROR if the bytes came back wrong. */
static NTSTATUS echo(HANDLE h, ULONG package, unsigned seed)
{
    unsigned char submit[64];
    for (size_t i = 4; i < sizeof(submit); i++)
        submit[i] = (unsigned char)(seed + i);
    submit[0] = 1; /* EchoMessageEcho */
    submit[1] = submit[2] = submit[3] = 0;
    PVOID out = NULL;
    ULONG length = 0;
    NTSTATUS protocol;
    NTSTATUS s = LsaCallAuthenticationPackage(h, package, submit, sizeof(submit), &out, &length,
                                              &protocol);
    if (s == STATUS_SUCCESS && (length != sizeof(submit) || memcmp(out, submit, length) != 0))
        s = STATUS_INTERNAL_ERROR;
    if (out != NULL)
        LsaFreeReturnBuffer(out);
    return s;
}

/* A load client: connect, tell the parent (a byte on READY), wait for GO to close, make
 * CALLS calls (forever when CALLS is 0).  Exit 0, or 1 with the first failure on stderr. */
static int load_client(int ready, int go, int calls)
{
    HANDLE h;
    ULONG package;
    NTSTATUS s = open_echo(&h, &package);
    if (s != STATUS_SUCCESS) {
        fprintf(stderr, "# pid %d: connect: 0x%08x\n", (int)getpid(), (unsigned)s);
        return 1;
    }
    char c = 'r';
    if (write(ready, &c, 1) != 1 || read(go, &c, 1) != 0)
        return 1;
    for (int i = 0; calls == 0 || i < calls; i++) {
        s = echo(h, package, (unsigned)(getpid() + i));
        if (s != STATUS_SUCCESS) {
            fprintf(stderr, "# pid %d: call %d: 0x%08x\n", (int)getpid(), i, (unsigned)s);
            return 1;
        }
    }
    LsaDeregisterLogonProcess(h);
    return 0;
}

/* Forks COUNT clients running FN(ready, go, ARG), waits until each has connected; the
 * write end of GO (close it to let them go) in *GO_W.  0, or -1 if one failed to. */
static int spawn(int count, pid_t *pids, int (*fn)(int, int, int), int arg, int *go_w)
{
    int ready[2], go[2];
    *go_w = -1;
    memset(pids, 0, (size_t)count * sizeof(*pids));
    if (pipe2(ready, O_CLOEXEC) != 0 || pipe2(go, O_CLOEXEC) != 0)
        return -1;
    fflush(stdout);
    for (int i = 0; i < count; i++) {
        pids[i] = fork();
        if (pids[i] == 0) {
            /* Nothing but its own two pipe ends: another batch's GO must close when its
             * parent closes it. */
            for (int fd = 3; fd < 1024; fd++)
                if (fd != ready[1] && fd != go[0])
                    close(fd);
            _exit(fn(ready[1], go[0], arg));
        }
    }
    close(ready[1]);
    close(go[0]);
    int got = 0;
    char c;
    while (got < count && read(ready[0], &c, 1) == 1)
        got++;
    close(ready[0]);
    *go_w = go[1];
    return got == count ? 0 : -1;
}

static int waited_ok(pid_t pid)
{
    if (pid <= 0)
        return 0;
    int st = wait_for(pid);
    return st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* One load run: CLIENTS x CALLS, and VICTIMS killed with SIGKILL while calling when KILL. */
static int load_run(int clients, int calls, int kill_some, double *seconds)
{
    pid_t *pids = calloc((size_t)clients, sizeof(*pids));
    pid_t victims[VICTIMS] = { 0 };
    int go = -1, vgo = -1, failed = 0;
    double start = now();
    if (pids == NULL || spawn(clients, pids, load_client, calls, &go) != 0)
        failed++;
    if (kill_some && spawn(VICTIMS, victims, load_client, 0, &vgo) != 0)
        failed++;
    close(go);
    if (kill_some) {
        close(vgo);
        usleep(100000); /* they are calling in a loop: most are in a call when killed */
        for (int i = 0; i < VICTIMS; i++)
            if (victims[i] > 0)
                kill(victims[i], SIGKILL);
        for (int i = 0; i < VICTIMS; i++)
            if (victims[i] > 0)
                waitpid(victims[i], NULL, 0);
    }
    for (int i = 0; pids != NULL && i < clients; i++)
        if (!waited_ok(pids[i]))
            failed++;
    *seconds = now() - start;
    free(pids);
    return failed;
}

static int env_int(const char *name, int fallback)
{
    const char *v = getenv(name);
    return v != NULL && atoi(v) > 0 ? atoi(v) : fallback;
}

/* Restart clients.  Idle (ARG 0): connect, wait for GO; the old handle must then say
 * STATUS_PORT_DISCONNECTED.  Calling (ARG 1): call until a call fails, which must be
 * with STATUS_PORT_DISCONNECTED; then wait for GO.  Both then connect anew and call:
 * GO closes once lsad is back.  Exit 0, else the line that failed. */
static int restart_client(int ready, int go, int calling)
{
    HANDLE h;
    ULONG package;
    if (open_echo(&h, &package) != STATUS_SUCCESS)
        return __LINE__;
    char c = 'r';
    if (write(ready, &c, 1) != 1)
        return __LINE__;
    NTSTATUS s = STATUS_SUCCESS;
    if (calling) {
        for (unsigned i = 0; s == STATUS_SUCCESS; i++)
            s = echo(h, package, i);
        if (s != STATUS_PORT_DISCONNECTED) {
            fprintf(stderr, "# pid %d: call ended with 0x%08x\n", (int)getpid(), (unsigned)s);
            return __LINE__;
        }
    }
    if (read(go, &c, 1) != 0)
        return __LINE__;
    s = echo(h, package, 1);
    if (s != STATUS_PORT_DISCONNECTED) {
        fprintf(stderr, "# pid %d: old handle: 0x%08x\n", (int)getpid(), (unsigned)s);
        return __LINE__;
    }
    LsaDeregisterLogonProcess(h);
    HANDLE fresh;
    if (open_echo(&fresh, &package) != STATUS_SUCCESS || echo(fresh, package, 2) != STATUS_SUCCESS)
        return __LINE__;
    LsaDeregisterLogonProcess(fresh);
    return 0;
}

/* Clients on lsad, half idle and half calling; lsad stopped (SIGKILL when HARD, else
 * SIGTERM) and started again.  The number of clients that did not end as they should. */
static int restart_run(int hard, int *lsad_stopped_cleanly)
{
    pid_t idle[RESTART_CLIENTS / 2], calling[RESTART_CLIENTS / 2];
    int go_idle = -1, go_calling = -1, bad = 0;
    if (spawn(RESTART_CLIENTS / 2, idle, restart_client, 0, &go_idle) != 0)
        bad++;
    if (spawn(RESTART_CLIENTS / 2, calling, restart_client, 1, &go_calling) != 0)
        bad++;
    usleep(50000); /* let the calling ones call */
    int st;
    if (hard) {
        kill(lsad_pid, SIGKILL);
        waitpid(lsad_pid, &st, 0);
        *lsad_stopped_cleanly = WIFSIGNALED(st);
    } else {
        kill(lsad_pid, SIGTERM);
        st = wait_for(lsad_pid);
        *lsad_stopped_cleanly = st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0 &&
                                access(sock, F_OK) != 0;
    }
    lsad_pid = -1;
    if (lsad_start() != 0)
        bad++;
    close(go_idle);
    close(go_calling);
    for (int i = 0; i < RESTART_CLIENTS / 2; i++) {
        bad += !waited_ok(idle[i]);
        bad += !waited_ok(calling[i]);
    }
    return bad;
}

/* GetClientInfo's LogonId in lsad, through EchoMessageWhoAmI, as root (trusted). */
static NTSTATUS who_am_i(LUID *logon_id)
{
    HANDLE h;
    ULONG package;
    LSA_OPERATIONAL_MODE mode;
    NTSTATUS s = LsaRegisterLogonProcess(&(LSA_STRING){ 4, 5, "load" }, &h, &mode);
    if (s == STATUS_SUCCESS)
        s = LsaLookupAuthenticationPackage(h, &(LSA_STRING){ 9, 10, "EchoSSPAP" }, &package);
    if (s != STATUS_SUCCESS)
        return s;
    ULONG request = EchoMessageWhoAmI, length;
    PVOID out = NULL;
    NTSTATUS protocol;
    s = LsaCallAuthenticationPackage(h, package, &request, sizeof(request), &out, &length,
                                     &protocol);
    if (s == STATUS_SUCCESS && length >= sizeof(ECHO_WHOAMI_RESPONSE))
        *logon_id = ((ECHO_WHOAMI_RESPONSE *)out)->ClientInfo.LogonId;
    else if (s == STATUS_SUCCESS)
        s = STATUS_INTERNAL_ERROR;
    if (out != NULL)
        LsaFreeReturnBuffer(out);
    LsaDeregisterLogonProcess(h);
    return s;
}

static int is_system(const LUID *l)
{
    return l->LowPart == 0x3e7 && l->HighPart == 0;
}

/* Child: no audit session, no LSA_LOGON_ID: LogonId 0 is SYSTEM.  Exit 0, 77 when this
 * process has an audit session after all, else the failing line. */
static int unset_session_is_system(void)
{
    if (geteuid() != 0)
        return 77; /* who_am_i registers as a logon process */
    FILE *f = fopen("/proc/self/sessionid", "re");
    unsigned long id = 0;
    if (f == NULL || fscanf(f, "%lu", &id) != 1 || id != 4294967295ul)
        return 77;
    fclose(f);
    LUID l;
    return who_am_i(&l) == STATUS_SUCCESS && is_system(&l) ? 0 : __LINE__;
}

/* Child: a new audit session (loginuid written), an echo logon for root there; then a
 * new process of that audit session must get that session as LogonId 0.  Exit 0, 77
 * when loginuid cannot be written, else the failing line. */
static int own_audit_session(void)
{
    if (geteuid() != 0)
        return 77;
    FILE *f = fopen("/proc/self/loginuid", "we");
    if (f == NULL || fprintf(f, "0") < 0 || fclose(f) != 0)
        return 77;
    HANDLE h;
    ULONG package;
    LSA_OPERATIONAL_MODE mode;
    if (LsaRegisterLogonProcess(&(LSA_STRING){ 4, 5, "load" }, &h, &mode) != STATUS_SUCCESS ||
        LsaLookupAuthenticationPackage(h, &(LSA_STRING){ 9, 10, "EchoSSPAP" }, &package) !=
            STATUS_SUCCESS)
        return __LINE__;
    static const WCHAR user[] = { 'r', 'o', 'o', 't' };
    static const WCHAR password[] = { 'p', 'w', '-', 'r', 'o', 'o', 't' };
    struct {
        ECHO_LOGON logon;
        WCHAR text[16];
    } b;
    memset(&b, 0, sizeof(b));
    b.logon.MessageType = ECHO_LOGON_TYPE;
    memcpy(b.text, user, sizeof(user));
    memcpy(b.text + 4, password, sizeof(password));
    b.logon.UserName = (UNICODE_STRING){ sizeof(user), sizeof(user), b.text };
    b.logon.Password = (UNICODE_STRING){ sizeof(password), sizeof(password), b.text + 4 };
    PVOID profile = NULL;
    ULONG profile_length;
    LUID session;
    HANDLE token;
    QUOTA_LIMITS quotas;
    NTSTATUS sub;
    TOKEN_SOURCE source = { "load", { 0, 0 } };
    NTSTATUS s = LsaLogonUser(h, &(LSA_STRING){ 4, 5, "load" }, Interactive, package, &b,
                              sizeof(b), NULL, &source, &profile, &profile_length, &session,
                              &token, &quotas, &sub);
    if (s != STATUS_SUCCESS) {
        fprintf(stderr, "# LsaLogonUser: 0x%08x\n", (unsigned)s);
        return __LINE__;
    }
    LsaFreeReturnBuffer(profile);
    fflush(stderr);
    pid_t later = fork(); /* a later process of the same audit session */
    if (later == 0) {
        LUID l;
        s = who_am_i(&l);
        _exit(s == STATUS_SUCCESS && l.LowPart == session.LowPart &&
              l.HighPart == session.HighPart ? 0 : 1);
    }
    int st;
    return waitpid(later, &st, 0) == later && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : __LINE__;
}

/* FN in a child: its exit code, or -1. */
static int in_child(int (*fn)(void))
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        unsetenv("LSA_LOGON_ID");
        _exit(fn());
    }
    int st = wait_for(pid);
    return st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void ok_or_skip(int rc, const char *what)
{
    if (rc == 77)
        ok(1, "# SKIP %s: not possible here (no audit sessions, or not root)", what);
    else
        ok(rc == 0, "%s (child: %d)", what, rc);
}

static int write_config(void)
{
    const char *pkgdir = getenv("LSA_TEST_PACKAGE_DIR");
    if (pkgdir == NULL || mkdtemp(dir) == NULL)
        return -1;
    snprintf(conf, sizeof(conf), "%s/lsa.conf", dir);
    snprintf(sock, sizeof(sock), "%s/lsad.sock", dir);
    snprintf(logpath, sizeof(logpath), "%s/lsad.log", dir);
    FILE *f = fopen(conf, "w");
    if (f == NULL)
        return -1;
    fprintf(f, "[lsa]\npackage_dir = %s\npackages = echo_sspap\nlog_level = warning\n"
               "request_timeout = %d\nmode = daemon\nsocket = %s\n",
            pkgdir, REQUEST_TIMEOUT, sock);
    fclose(f);
    setenv("LSA_CONFIG", conf, 1);
    return 0;
}

static void cleanup(void)
{
    if (lsad_pid > 0) {
        kill(lsad_pid, SIGKILL);
        waitpid(lsad_pid, NULL, 0);
    }
    char cmd[sizeof(dir) + 64];
    if (getenv("LSA_TEST_KEEP") == NULL) {
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "# cannot remove %s\n", dir);
    }
}

static void show_log(void)
{
    char cmd[sizeof(dir) + 64];
    snprintf(cmd, sizeof(cmd), "tail -n 20 '%s' | sed 's/^/# /'", logpath);
    if (system(cmd) != 0)
        fprintf(stderr, "# cannot show %s\n", logpath);
}

int main(void)
{
    int clients = env_int("LSA_LOAD_CLIENTS", 200);
    int calls = env_int("LSA_LOAD_CALLS", UNDER_SANITIZER ? 100 : 1000);
    signal(SIGPIPE, SIG_IGN);
    printf("1..15\n");
    if (write_config() != 0 || lsad_start() != 0) {
        printf("Bail out! cannot start lsad (LSA_TEST_LSAD, LSA_TEST_PACKAGE_DIR)\n");
        cleanup();
        return 1;
    }
    long idle_threads = proc_status(lsad_pid, "Threads");

    double t;
    int failed = load_run(clients, calls, 0, &t);
    ok(failed == 0, "warm-up: %d clients x %d calls, %d failed (%.1f s)", clients, calls, failed, t);
    long t1 = threads_back_to(idle_threads);
    long rss1 = proc_status(lsad_pid, "VmRSS");
    ok(t1 == idle_threads, "warm-up: lsad's threads back to %ld (%ld)", idle_threads, t1);

    failed = load_run(clients, calls, 1, &t);
    ok(failed == 0, "load: %d clients x %d calls while %d others are killed mid-call, %d failed "
       "(%.1f s)", clients, calls, VICTIMS, failed, t);
    long t2 = threads_back_to(idle_threads);
    long rss2 = proc_status(lsad_pid, "VmRSS");
    ok(t2 == idle_threads, "load: lsad's threads back to %ld (%ld)", idle_threads, t2);
    if (UNDER_SANITIZER)
        ok(1, "# SKIP VmRSS under a sanitizer (its quarantine holds freed memory): %ld -> %ld kB",
           rss1, rss2);
    else
        ok(rss1 > 0 && rss2 > 0 && rss2 - rss1 <= LOAD_RSS_BOUND_KB,
           "load: VmRSS %ld kB after the warm-up, %ld kB after the run (bound +%d kB)", rss1,
           rss2, LOAD_RSS_BOUND_KB);
    ok(answers() && kill(lsad_pid, 0) == 0, "load: lsad still serves");
    if (failed)
        show_log();

    int clean = 0;
    int bad = restart_run(0, &clean);
    ok(clean, "SIGTERM with clients idle and in calls: lsad exits 0, socket removed");
    ok(bad == 0, "... each client got STATUS_PORT_DISCONNECTED, the broken handle stays broken, "
       "a new connection works after the restart (%d did not)", bad);
    ok(lsad_pid > 0 && answers(), "... lsad is back");

    bad = restart_run(1, &clean);
    ok(clean, "lsad killed with SIGKILL in the middle of calls");
    ok(bad == 0, "... each client got STATUS_PORT_DISCONNECTED at once (not STATUS_IO_TIMEOUT), "
       "and a new connection works after the restart (%d did not)", bad);

    ok_or_skip(in_child(unset_session_is_system),
               "LogonId 0 of root with no audit session (4294967295) is SYSTEM");
    ok_or_skip(in_child(own_audit_session),
               "LogonId 0 in an audit session is the session LsaLogonUser created there");
    ok_or_skip(in_child(unset_session_is_system),
               "... and not that of a process outside that audit session");

    kill(lsad_pid, SIGTERM);
    int st = wait_for(lsad_pid);
    lsad_pid = -1;
    ok(st >= 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0, "lsad stops cleanly at the end");
    if (bad)
        show_log();
    cleanup();
    return 0;
}
