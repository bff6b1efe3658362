/* Reading a password for the lsa command: from the terminal with echo off, or one line
 * from standard input.  Never from argv. */
#ifndef LSA_TOOLS_PASSWORD_INPUT_H
#define LSA_TOOLS_PASSWORD_INPUT_H

/* *password is malloc'd; release it with lsa_free_utf8 (<lsa/lsa_util.h>).  CONFIRM
 * asks twice on a terminal.  Returns 0, or -1 after printing why on stderr. */
int lsa_read_password(const char *cmd, const char *prompt, int from_stdin, int confirm,
                      char **password);

#endif
