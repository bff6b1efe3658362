/* Reading a password for the lsa command (password_input.c). */
#ifndef LSA_TOOLS_PASSWORD_INPUT_H
#define LSA_TOOLS_PASSWORD_INPUT_H

#include <stddef.h>

#include <lsa/ntdef.h>

#define LSA_PASSWORD_MAX 512

/* Into BUF (SIZE at most LSA_PASSWORD_MAX + 1): one line of standard input when
 * FROM_STDIN, else asked on the terminal, twice when CONFIRM.  Returns LSA_EXIT_OK, or
 * an exit code after a message naming the problem (empty passwords are refused).  The
 * caller wipes BUF. */
int lsa_read_password(const char *cmd, BOOLEAN from_stdin, BOOLEAN confirm, char *buf,
                      size_t size);

#endif
