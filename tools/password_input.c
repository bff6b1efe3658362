/*
 * Reading a password for the lsa command: from the terminal with echo off (restored if a
 * signal interrupts the prompt), or one line of standard input with --password-stdin.
 * Never from argv; read byte by byte so nothing lingers in a stdio buffer.
 */
#include "password_input.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "lsa_commands.h"


static struct termios saved_termios;
static volatile sig_atomic_t echo_off;

static void restore_echo(int sig)
{
    if (echo_off)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* One line from FD into BUF (byte by byte: nothing stays in a stdio buffer); the line
 * end is dropped.  0, or -1 at end of input with nothing read, -2 if too long. */
static int read_line_fd(int fd, char *buf, size_t size)
{
    size_t n = 0;
    BOOLEAN any = FALSE, too_long = FALSE;
    for (;;) {
        char c;
        ssize_t r = read(fd, &c, 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        any = TRUE;
        if (c == '\n')
            break;
        if (n + 1 < size)
            buf[n++] = c;
        else
            too_long = TRUE;
        c = 0;
    }
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    if (too_long)
        return -2;
    return any ? 0 : -1;
}

static int prompt(const char *cmd, const char *text, char *buf, size_t size)
{
    fprintf(stderr, "%s", text);
    fflush(stderr);
    struct termios quiet = saved_termios;
    quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
    quiet.c_lflag |= ICANON;
    echo_off = 1;
    if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) != 0) {
        echo_off = 0;
        lsa_error(cmd, "cannot turn off echo on the terminal: %s", strerror(errno));
        return -3;
    }
    int rc = read_line_fd(STDIN_FILENO, buf, size);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_termios);
    echo_off = 0;
    fputc('\n', stderr);
    return rc;
}

int lsa_read_password(const char *cmd, BOOLEAN from_stdin, BOOLEAN confirm, char *buf,
                      size_t size)
{
    int rc;
    if (from_stdin) {
        rc = read_line_fd(STDIN_FILENO, buf, size);
    } else {
        if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_termios) != 0) {
            lsa_error(cmd, "standard input is not a terminal to ask for the password on; "
                           "use --password-stdin to give it as one line of standard input");
            return LSA_EXIT_USAGE;
        }
        struct sigaction sa = { 0 }, old_int, old_term, old_hup;
        sa.sa_handler = restore_echo;
        sigaction(SIGINT, &sa, &old_int);
        sigaction(SIGTERM, &sa, &old_term);
        sigaction(SIGHUP, &sa, &old_hup);
        char again[LSA_PASSWORD_MAX + 1];
        rc = prompt(cmd, confirm ? "New password: " : "Password: ", buf, size);
        if (rc == 0 && confirm) {
            rc = prompt(cmd, "Retype new password: ", again, sizeof(again));
            if (rc == 0 && strcmp(buf, again) != 0) {
                explicit_bzero(again, sizeof(again));
                explicit_bzero(buf, size);
                sigaction(SIGINT, &old_int, NULL);
                sigaction(SIGTERM, &old_term, NULL);
                sigaction(SIGHUP, &old_hup, NULL);
                lsa_error(cmd, "the passwords do not match; nothing changed");
                return LSA_EXIT_FAILURE;
            }
        }
        explicit_bzero(again, sizeof(again));
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
        sigaction(SIGHUP, &old_hup, NULL);
        if (rc == -3)
            return LSA_EXIT_FAILURE;
    }
    if (rc == -1) {
        lsa_error(cmd, "no password given (end of input)");
        return LSA_EXIT_FAILURE;
    }
    if (rc == -2) {
        explicit_bzero(buf, size);
        lsa_error(cmd, "the password is longer than %zu bytes", size - 1);
        return LSA_EXIT_FAILURE;
    }
    if (buf[0] == '\0') {
        lsa_error(cmd, "an empty password is refused");
        return LSA_EXIT_FAILURE;
    }
    return LSA_EXIT_OK;
}

