/*
 * lsad: the LSA as a system service (lsad(8)).  One LSA for the machine: the packages,
 * the logon sessions and their credentials live here, and liblsa in every process talks
 * to it over a Unix socket.
 *
 * The process: the listening socket (its own, or one systemd passes), one thread per
 * client connection (a connection is an LsaHandle, and a package call may wait on a KDC,
 * so a thread of its own keeps it from holding anyone else up: client_threads.c), and
 * the main thread, which accepts, joins the client threads that ended, and handles
 * SIGHUP (reload), SIGTERM and SIGINT (stop) through a signalfd.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <lsa/ntstatus.h>

#include "client_threads.h"
#include "log.h"
#include "lsad_peer.h"
#include "server.h"

/* Beyond this many connections at once a new one is closed at once (and logged): each
 * costs a thread. */
#define LSAD_MAX_CLIENTS 4096

static struct {
    const char *config_path;
    struct lsa_server_options options;
    const char *socket_override;
    int listen_fd;
    BOOLEAN socket_activated; /* the socket is systemd's: not ours to remove */
    int stop_pipe[2];         /* a byte in it tells every client thread to stop */
} lsad = { .listen_fd = -1 };

static void usage(FILE *to)
{
    fprintf(to, "usage: lsad [-f|--foreground] [-c|--config FILE] [--socket PATH]\n"
                "  -f, --foreground  stay in the foreground, log to stderr too\n"
                "  -c, --config FILE lsa.conf to read (default: $LSA_CONFIG, else the installed one)\n"
                "      --socket PATH listen here instead of lsa.conf's [lsa] socket\n");
}

static const char *socket_path(void)
{
    return lsad.socket_override ? lsad.socket_override : lsad.options.socket_path;
}

/* mkdir -p of PATH's directory, mode 0755 for what it makes. */
static int make_parent(const char *path)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == NULL || slash == dir)
        return 0;
    *slash = '\0';
    for (char *p = dir + 1; *p != '\0'; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(dir, 0755) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

/* The socket systemd passed (sd_listen_fds semantics: LISTEN_PID is us, LISTEN_FDS >= 1,
 * the first at fd 3), or -1. */
static int inherited_socket(void)
{
    const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");
    if (pid == NULL || fds == NULL || strtol(pid, NULL, 10) != (long)getpid() ||
        strtol(fds, NULL, 10) < 1)
        return -1;
    unsetenv("LISTEN_PID");
    unsetenv("LISTEN_FDS");
    unsetenv("LISTEN_FDNAMES");
    fcntl(3, F_SETFD, FD_CLOEXEC);
    return 3;
}

static int listen_socket(void)
{
    int fd = inherited_socket();
    if (fd >= 0) {
        lsad.socket_activated = TRUE;
        lsa_log(LOG_INFO, "listening on the socket systemd passed");
        return fd;
    }
    const char *path = socket_path();
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof(addr.sun_path)) {
        lsa_log(LOG_ERR, "socket path too long: %s", path);
        return -1;
    }
    strcpy(addr.sun_path, path);
    if (make_parent(path) != 0) {
        lsa_log(LOG_ERR, "cannot make the directory of %s: %s", path, strerror(errno));
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        lsa_log(LOG_ERR, "socket: %s", strerror(errno));
        return -1;
    }
    /* A socket left by an lsad that did not stop cleanly is replaced; one that answers
     * belongs to a running lsad and is left alone. */
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
        lsa_log(LOG_ERR, "another lsad is already listening on %s", path);
        close(fd);
        return -1;
    }
    close(fd);
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
        unlink(path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
        chmod(path, 0666) != 0 || listen(fd, 128) != 0) {
        lsa_log(LOG_ERR, "cannot listen on %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    lsa_log(LOG_INFO, "listening on %s", path);
    return fd;
}

static void accept_one(void)
{
    int fd = accept4(lsad.listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0) {
        if (errno != EINTR && errno != EAGAIN && errno != ECONNABORTED)
            lsa_log(LOG_ERR, "accept: %s", strerror(errno));
        return;
    }
    struct lsa_server_peer peer;
    if (lsad_peer_identify(fd, &peer) != 0) {
        lsa_log(LOG_ERR, "cannot identify a client (SO_PEERCRED): %s; connection closed",
                strerror(errno));
        close(fd);
        return;
    }
    if (lsad_clients_start(fd, &peer, lsad.stop_pipe[0], LSAD_MAX_CLIENTS) != 0) {
        if (errno == EAGAIN)
            lsa_log(LOG_WARNING, "%d clients connected already; pid %d refused",
                    LSAD_MAX_CLIENTS, (int)peer.pid);
        else
            lsa_log(LOG_ERR, "cannot start a thread for pid %d: %s", (int)peer.pid,
                    strerror(errno));
        close(fd);
    }
}

/* SIGHUP: what can change while running changes; the rest is logged as needing a restart. */
static void reload(void)
{
    struct lsa_server_options fresh;
    char err[512];
    if (lsa_server_read_options(lsad.config_path, &fresh, err, sizeof(err)) != 0) {
        lsa_log(LOG_ERR, "reload refused, the running configuration stays: %s", err);
        return;
    }
    lsad_peer_set_trusted_group(fresh.trusted_group);
    if (strcmp(fresh.packages, lsad.options.packages) != 0)
        lsa_log(LOG_WARNING, "%s: the package list changed; restart lsad to load it",
                lsad.config_path);
    if (lsad.socket_override == NULL && strcmp(fresh.socket_path, lsad.options.socket_path) != 0)
        lsa_log(LOG_WARNING, "%s: socket changed; restart lsad to listen there", lsad.config_path);
    /* The package list and socket stay those in use, so a second reload compares with them. */
    free(fresh.packages);
    fresh.packages = lsad.options.packages;
    lsad.options.packages = NULL;
    free(fresh.socket_path);
    fresh.socket_path = lsad.options.socket_path;
    lsad.options.socket_path = NULL;
    lsa_server_options_free(&lsad.options);
    lsad.options = fresh;
    lsa_log(LOG_NOTICE, "reloaded %s (log_level, trusted_group, request_timeout, client_quota, "
            "busy_poll_us)", lsad.config_path);
    lsa_server_apply(&lsad.options); /* last: the lines above are logged at the old level */
}

static void stop(void)
{
    close(lsad.listen_fd);
    if (!lsad.socket_activated)
        unlink(socket_path());
    /* Idle connections end now; a call in progress finishes first (bounded by the
     * request deadline, and by this wait). */
    if (write(lsad.stop_pipe[1], "x", 1) != 1)
        lsa_log(LOG_ERR, "cannot signal the client threads: %s", strerror(errno));
    int left = lsad_clients_wait(lsad.options.request_timeout + 1);
    if (left > 0)
        lsa_log(LOG_WARNING, "%d call(s) still running at shutdown; abandoned", left);
    lsa_log(LOG_INFO, "stopped");
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "foreground", no_argument, NULL, 'f' },
        { "config", required_argument, NULL, 'c' },
        { "socket", required_argument, NULL, 's' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    BOOLEAN foreground = FALSE;
    int opt;
    while ((opt = getopt_long(argc, argv, "fc:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'f': foreground = TRUE; break;
        case 'c': setenv("LSA_CONFIG", optarg, 1); break;
        case 's': lsad.socket_override = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return 2;
    }
    if (lsad.socket_override != NULL && lsad.socket_override[0] != '/') {
        fprintf(stderr, "lsad: --socket needs an absolute path\n");
        return 2;
    }
    if (foreground && getenv("LSA_LOG_STDERR") == NULL)
        setenv("LSA_LOG_STDERR", "1", 1);
    lsad.config_path = getenv("LSA_CONFIG");
    if (lsad.config_path == NULL || *lsad.config_path == '\0')
        lsad.config_path = LSAD_DEFAULT_CONFIG;
    setenv("LSA_CONFIG", lsad.config_path, 1);

    char err[512];
    if (lsa_server_read_options(lsad.config_path, &lsad.options, err, sizeof(err)) != 0) {
        lsa_log(LOG_ERR, "%s", err);
        return 1;
    }
    lsa_server_apply(&lsad.options);
    lsad_peer_set_trusted_group(lsad.options.trusted_group);

    /* Signals go to the signalfd only, in every thread (the threads inherit the mask). */
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);
    signal(SIGPIPE, SIG_IGN);
    int sfd = signalfd(-1, &signals, SFD_CLOEXEC);
    int ended_fd = lsad_clients_init();
    if (sfd < 0 || ended_fd < 0 || pipe2(lsad.stop_pipe, O_CLOEXEC) != 0) {
        lsa_log(LOG_ERR, "cannot set up signal handling: %s", strerror(errno));
        return 1;
    }
    if (!foreground && daemon(0, 0) != 0) {
        lsa_log(LOG_ERR, "cannot go to the background: %s", strerror(errno));
        return 1;
    }
    NTSTATUS status = lsa_server_start();
    if (status != STATUS_SUCCESS) {
        lsa_log(LOG_ERR, "the LSA cannot start (0x%08x); see the lines above", (unsigned)status);
        return 1;
    }
    lsad.listen_fd = listen_socket();
    if (lsad.listen_fd < 0)
        return 1;
    lsa_log(LOG_INFO, "lsad %s ready (pid %d)", PACKAGE_VERSION, (int)getpid());

    for (;;) {
        struct pollfd p[3] = { { lsad.listen_fd, POLLIN, 0 }, { sfd, POLLIN, 0 },
                               { ended_fd, POLLIN, 0 } };
        if (poll(p, 3, -1) < 0) {
            if (errno == EINTR)
                continue;
            lsa_log(LOG_ERR, "poll: %s", strerror(errno));
            break;
        }
        if (p[1].revents & POLLIN) {
            struct signalfd_siginfo si;
            if (read(sfd, &si, sizeof(si)) != (ssize_t)sizeof(si))
                continue;
            if (si.ssi_signo == SIGHUP) {
                reload();
                continue;
            }
            lsa_log(LOG_INFO, "signal %u: stopping", si.ssi_signo);
            break;
        }
        if (p[2].revents & POLLIN)
            lsad_clients_reap();
        if (p[0].revents & POLLIN)
            accept_one();
    }
    stop();
    lsa_server_options_free(&lsad.options);
    return 0;
}
