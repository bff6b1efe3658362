/*
 * PAM data cleanup in a forked copy of the PAM handle: with PAM_DATA_SILENT (what a
 * host's child does with a handle it inherited) pam_lsa must not end the logon
 * session; without it, the cleanup ends it — the check that the test can fail.
 * The observable is the module's debug line "logon session ... ended", which pam_wrapper
 * prints on the copy's own standard error.  TAP.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <security/pam_appl.h>

static int answer(int n, const struct pam_message **msg, struct pam_response **resp, void *data)
{
    struct pam_response *r = calloc((size_t)n, sizeof(*r));
    if (r == NULL)
        return PAM_BUF_ERR;
    for (int i = 0; i < n; i++)
        if (msg[i]->msg_style == PAM_PROMPT_ECHO_OFF)
            r[i].resp = strdup(data);
    *resp = r;
    return PAM_SUCCESS;
}

/* Runs pam_end(FLAGS) in a forked copy; returns what the copy wrote on stderr. */
static char *end_in_copy(pam_handle_t *pamh, int flags)
{
    int fds[2];
    if (pipe(fds) != 0)
        return NULL;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        pam_end(pamh, PAM_SUCCESS | flags);
        _exit(0);
    }
    close(fds[1]);
    static char out[65536];
    size_t n = 0;
    ssize_t r;
    while (n < sizeof(out) - 1 && (r = read(fds[0], out + n, sizeof(out) - 1 - n)) > 0)
        n += (size_t)r;
    out[n] = '\0';
    close(fds[0]);
    waitpid(pid, NULL, 0);
    return out;
}

static void reexec_with_wrapper(char **argv)
{
    if (getenv("PAM_WRAPPER") != NULL)
        return;
    setenv("PAM_WRAPPER", "1", 1);
    /* pam_wrapper's RTLD_DEEPBIND breaks the sanitizers; Debian 12's 1.1.4 reads the
     * variable under uid_wrapper's name. */
    setenv("PAM_WRAPPER_DISABLE_DEEPBIND", "1", 1);
    setenv("UID_WRAPPER_DISABLE_DEEPBIND", "1", 1);
    setenv("LD_PRELOAD", "libpam_wrapper.so", 1);
    execv("/proc/self/exe", argv);
    printf("Bail out! re-exec with pam_wrapper failed: %s\n", strerror(errno));
    exit(1);
}

int main(int argc, char **argv)
{
    (void)argc;
    reexec_with_wrapper(argv);
    const char *b = getenv("LSA_TEST_BUILDDIR");
    char dir[] = "/tmp/lsa-data-silent-XXXXXX", cmd[8192], path[4200];
    if (b == NULL || mkdtemp(dir) == NULL) {
        printf("Bail out! LSA_TEST_BUILDDIR unset or mkdtemp failed\n");
        return 1;
    }
    snprintf(path, sizeof(path), "%s/lsa.conf", dir);
    FILE *f = fopen(path, "w");
    fprintf(f, "[lsa]\npackages = msv1_0\npackage_dir = %s/packages/msv1_0/.libs\n"
               "[msv1_0]\nstore = %s/smbpasswd\ndomain = LABDOM\n", b, dir);
    fclose(f);
    snprintf(cmd, sizeof(cmd), "mkdir %s/pam.d && printf 'Secret123\\n' | %s/lsa user add "
             "--store %s/smbpasswd --password-stdin alice >/dev/null", dir, b, dir);
    if (system(cmd) != 0) {
        printf("Bail out! cannot create the account store\n");
        return 1;
    }
    snprintf(path, sizeof(path), "%s/pam.d/svc", dir);
    f = fopen(path, "w");
    for (int i = 0; i < 2; i++)
        fprintf(f, "%s required %s/pam_lsa/.libs/pam_lsa.so package=msv1_0 config=%s/lsa.conf debug\n",
                i ? "session" : "auth", b, dir);
    fclose(f);
    snprintf(path, sizeof(path), "%s/pam.d/other", dir);
    f = fopen(path, "w");
    fprintf(f, "auth required pam_deny.so\n");
    fclose(f);
    snprintf(path, sizeof(path), "%s/pam.d", dir);
    setenv("PAM_WRAPPER_SERVICE_DIR", path, 1);
    setenv("PAM_WRAPPER_DEBUGLEVEL", "2", 1); /* pam_syslog lines on stderr */
    unsetenv("PAM_WRAPPER_USE_SYSLOG");

    struct pam_conv conv = { answer, (void *)"Secret123" };
    pam_handle_t *pamh;
    printf("1..3\n");
    int ok = pam_start("svc", "alice", &conv, &pamh) == PAM_SUCCESS &&
             pam_authenticate(pamh, 0) == PAM_SUCCESS && pam_open_session(pamh, 0) == PAM_SUCCESS;
    printf("%s 1 - authenticate and open_session\n", ok ? "ok" : "not ok");
    if (!ok)
        return 0;
    char *silent = end_in_copy(pamh, PAM_DATA_SILENT);
    int quiet = silent != NULL && strstr(silent, "ended") == NULL;
    printf("%s 2 - a forked copy's pam_end with PAM_DATA_SILENT leaves the session alone\n",
           quiet ? "ok" : "not ok");
    if (!quiet)
        printf("# copy said: %s\n", silent ? silent : "(nothing)");
    char *loud = end_in_copy(pamh, 0);
    int ended = loud != NULL && strstr(loud, "logon session") != NULL && strstr(loud, " ended") != NULL;
    printf("%s 3 - without PAM_DATA_SILENT the copy's cleanup ends it\n", ended ? "ok" : "not ok");
    if (!ended)
        printf("# copy said: %s\n", loud ? loud : "(nothing)");
    pam_close_session(pamh, 0);
    pam_end(pamh, PAM_SUCCESS);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : 1;
}
