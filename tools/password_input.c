#include "password_input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <lsa/lsa_util.h>

#include "lsa_commands.h"

/* One line from FD without its newline; the buffer grows as needed and is wiped when it
 * does. */
static char *read_line(FILE *in)
{
    size_t cap = 128, len = 0;
    char *buf = malloc(cap);
    if (buf == NULL)
        return NULL;
    int c;
    while ((c = fgetc(in)) != EOF && c != '\n') {
        if (len + 1 == cap) {
            char *bigger = malloc(cap * 2);
            if (bigger == NULL) {
                lsa_free_utf8(buf);
                return NULL;
            }
            memcpy(bigger, buf, len);
            explicit_bzero(buf, cap);
            free(buf);
            buf = bigger;
            cap *= 2;
        }
        buf[len++] = (char)c;
    }
    buf[len] = '\0';
    if (c == EOF && len == 0) {
        free(buf);
        return NULL;
    }
    if (len > 0 && buf[len - 1] == '\r')
        buf[len - 1] = '\0';
    return buf;
}

static char *prompt_tty(const char *prompt)
{
    FILE *tty = fopen("/dev/tty", "r+");
    if (tty == NULL)
        return NULL;
    struct termios saved, quiet;
    int fd = fileno(tty);
    if (tcgetattr(fd, &saved) != 0) {
        fclose(tty);
        return NULL;
    }
    quiet = saved;
    quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
    fputs(prompt, tty);
    fflush(tty);
    tcsetattr(fd, TCSAFLUSH, &quiet);
    char *line = read_line(tty);
    tcsetattr(fd, TCSAFLUSH, &saved);
    fputc('\n', tty);
    fclose(tty);
    return line;
}

int lsa_read_password(const char *cmd, const char *prompt, int from_stdin, int confirm,
                      char **password)
{
    *password = NULL;
    if (from_stdin || !isatty(STDIN_FILENO)) {
        *password = read_line(stdin);
        if (*password == NULL) {
            lsa_error(cmd, "no password on standard input");
            return -1;
        }
        return 0;
    }
    char *first = prompt_tty(prompt);
    if (first == NULL) {
        lsa_error(cmd, "cannot read a password from the terminal");
        return -1;
    }
    if (confirm) {
        char *again = prompt_tty("Retype password: ");
        int same = again != NULL && strcmp(first, again) == 0;
        if (again != NULL)
            lsa_free_utf8(again);
        if (!same) {
            lsa_free_utf8(first);
            lsa_error(cmd, "the passwords do not match");
            return -1;
        }
    }
    *password = first;
    return 0;
}
