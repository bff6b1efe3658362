/*
 * The `lsa` command: its subcommand table entry and the shared diagnostics (lsa.c).
 *
 * Every handler gets argv with argv[0] = the subcommand name and returns an exit code:
 * LSA_EXIT_OK, LSA_EXIT_FAILURE (the LSA or a package reported a failure) or
 * LSA_EXIT_USAGE (bad command line).  Messages go to stderr as "lsa NAME: ...".
 */
#ifndef LSA_TOOLS_LSA_COMMANDS_H
#define LSA_TOOLS_LSA_COMMANDS_H

#include <stddef.h>

#include <lsa/ntsecapi.h>

enum { LSA_EXIT_OK = 0, LSA_EXIT_FAILURE = 1, LSA_EXIT_USAGE = 2 };

struct lsa_command {
    const char *name;     /* table is sorted by name (strcmp) */
    const char *synopsis; /* the arguments, for usage lines */
    const char *summary;  /* one line for `lsa --help` */
    const char *details;  /* options and arguments, for `lsa NAME --help` */
    int (*run)(int argc, char **argv);
};

int cmd_call(int argc, char **argv);
int cmd_kget(int argc, char **argv);
int cmd_klist(int argc, char **argv);
int cmd_machine_logon(int argc, char **argv);
int cmd_ntlm(int argc, char **argv);
int cmd_packages(int argc, char **argv);
int cmd_pkinit_cleanup(int argc, char **argv);
int cmd_purge(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_user(int argc, char **argv);

/* `lsa --help` for CMD: its usage line and summary, on stdout; returns LSA_EXIT_OK. */
int lsa_command_help(const char *cmd);
/* "lsa CMD: message" plus the usage line, on stderr; returns LSA_EXIT_USAGE. */
int lsa_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "lsa CMD: message" on stderr. */
void lsa_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* "STATUS_NO_SUCH_PACKAGE (0xC00000FE)", or "0x00000101 (no known name)". */
const char *lsa_format_status(NTSTATUS status, char *buf, size_t len);
/* "lsa CMD: WHAT: NAME (0x...): text" on stderr, with a hint for the statuses that have
 * one (a broken lsa.conf, a refused trusted connection, an unknown package); returns
 * LSA_EXIT_FAILURE. */
int lsa_status_failure(const char *cmd, const char *what, NTSTATUS status);

#endif
