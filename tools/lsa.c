/*
 * lsa(1): the command-line client of the LSA.  This file is the frame: the sorted
 * subcommand table, dispatch, --help/--version, and the diagnostics every subcommand
 * shares.  Exit codes: 0 ok, 1 the LSA or a package reported a failure, 2 usage error.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lsa/lsa_status.h>
#include <lsa/ntstatus.h>

#include "lsa_commands.h"

/* Sorted by name: dispatch is a bsearch. */
static const struct lsa_command commands[] = {
    { "call", "[--untrusted] PACKAGE HEX", "send raw bytes to a package, show its reply",
      "Looks PACKAGE up (case-insensitive; aliases and lsa.conf names count) and calls\n"
      "LsaCallAuthenticationPackage with the bytes of HEX (\"01000000 aabbcc\").\n"
      "As root the connection is trusted (LsaRegisterLogonProcess): the package's\n"
      "CallPackage runs; otherwise, or with --untrusted, CallPackageUntrusted does.\n"
      "  --untrusted   connect with LsaConnectUntrusted even as root\n",
      cmd_call },
    { "kget", "[--logon-id ID] [--cache-only] SPN", "get a Kerberos service ticket for a session",
      "Asks the Kerberos package for a ticket to SPN (KerbRetrieveEncodedTicketMessage),\n"
      "from the session's cache or, if absent, from the KDC; prints its server, client,\n"
      "times, flags, session-key encryption type and encoded size (never the key).\n"
      "  --logon-id ID   the session: HIGH:LOW or one hex number (default 0: your own;\n"
      "                  another session needs root)\n"
      "  --cache-only    only a ticket already cached (KERB_RETRIEVE_TICKET_USE_CACHE_ONLY)\n",
      cmd_kget },
    { "klist", "[--logon-id ID] [--ex]", "list a session's Kerberos tickets",
      "Lists the session's ticket cache (KerbQueryTicketCacheExMessage) like klist -f -e:\n"
      "the client, then per ticket its start and end (local time), the service\n"
      "principal, renew time, flags (F forwardable, f forwarded, P proxiable, p proxy,\n"
      "D may-postdate, d postdated, i invalid, R renewable, I initial, H hardware\n"
      "authenticated, A pre-authenticated, T transit checked, O ok-as-delegate,\n"
      "a anonymous) and ticket encryption type.\n"
      "  --logon-id ID   the session: HIGH:LOW or one hex number (default 0: your own;\n"
      "                  another session needs root)\n"
      "  --ex            also each ticket's client and its flags in hex and by name\n",
      cmd_klist },
    { "machine-logon", "[--keytab | --certificate[=IDENTITY]] [--principal NAME]",
      "log the machine on to its Kerberos realm (root)",
      "LsaLogonUser (logon type Service) to the Kerberos package for the machine: an empty\n"
      "user name with logon type Service is the machine, [kerberos] machine_principal.\n"
      "Refreshes the SYSTEM (0x3e7) and NETWORK_SERVICE (0x3e4) ticket caches, which\n"
      "the package keeps; the session the logon returns is closed at once.  Without\n"
      "an option, the package chooses: the device credential while one is installed,\n"
      "else machine_keytab.\n"
      "  --keytab                 machine_keytab, even while a device credential is\n"
      "                           installed (it stays installed for later logons)\n"
      "  --certificate[=IDENTITY] device logon with PKINIT (KERB_CERTIFICATE_LOGON; the\n"
      "                           identity, e.g. FILE:cert.pem,key.pem, defaults to\n"
      "                           [kerberos] device_identity)\n"
      "  --principal NAME         send NAME as the user name; the package takes it as\n"
      "                           the machine only when it is machine_principal\n",
      cmd_machine_logon },
    { "ntlm", "challenge [--domain D] [USER] | response [--domain D] [--v1] [--password-stdin] USER CHALLENGE",
      "NTLM challenge-response by hand through MSV1_0",
      "challenge: asks MSV1_0 for a challenge, prints it as \"challenge: HEX\", reads\n"
      "  \"NT_HEX [LM_HEX]\" from standard input (without USER: \"USER DOMAIN NT_HEX\n"
      "  [LM_HEX]\", DOMAIN - for none) and checks it with a network logon\n"
      "  (LsaLogonUser, MSV1_0_LM20_LOGON) on the same connection; prints the verdict.\n"
      "response: answers CHALLENGE (16 hex digits) for USER with a password read from\n"
      "  the terminal or, with --password-stdin, one line of standard input\n"
      "  (MsV1_0Lm20GetChallengeResponse); prints \"NT_HEX LM_HEX\" on one line.\n"
      "  --domain D          the logon domain (default: empty, the machine's)\n"
      "  --v1                NTLMv1 instead of NTLMv2 (refused at lm_compatibility_level 5)\n"
      "  --password-stdin    read the password from standard input\n",
      cmd_ntlm },
    { "packages", "", "list the loaded authentication packages",
      "One line per package: id, name, model (AP or SSP/AP), file.\n", cmd_packages },
    { "pkinit-cleanup", "system|network_service", "drop the machine's PKINIT device credential",
      "KerbCleanupMachinePkinitCredsMessage for SYSTEM (0x3e7) or NETWORK_SERVICE\n"
      "(0x3e4): if the session's tickets came from a PKINIT device credential, they are\n"
      "destroyed and the next machine logon uses the keytab; otherwise nothing changes\n"
      "(success either way).  The package requires TCB (run as root).\n",
      cmd_pkinit_cleanup },
    { "purge", "[--logon-id ID] [SERVER@REALM]", "remove Kerberos tickets from a session",
      "KerbPurgeTicketCacheMessage: removes the ticket for SERVER@REALM\n"
      "(host/a.example.org@EXAMPLE.ORG; the realm is after the last @), or every\n"
      "ticket of the session without an argument.\n"
      "  --logon-id ID   the session: HIGH:LOW or one hex number (default 0: your own;\n"
      "                  another session needs root)\n",
      cmd_purge },
    { "status", "CODE", "explain an NTSTATUS code",
      "CODE is hex (0xC00000FE or C00000FE), decimal (3221225726; digits only are read\n"
      "as decimal; a negative value after --) or a name (STATUS_NO_SUCH_PACKAGE).\n"
      "Prints its name, value, Win32 error (LsaNtStatusToWinError) and text.\n",
      cmd_status },
    { "user", "[--store PATH] SUBCOMMAND [ARGS]", "manage the MSV1_0 local account store",
      "  add NAME [--uid N] [--must-change] [--password-stdin]   add an account\n"
      "  passwd NAME [--must-change] [--password-stdin]          set its password\n"
      "  del NAME                                                delete it\n"
      "  enable NAME | disable NAME                              clear or set D (disabled)\n"
      "  unlock NAME                     clear the lockout and the bad-password count\n"
      "  list                            name, uid, flags, last set, bad count, locked,\n"
      "                                  last logon, must-change\n"
      "  import FILE [--replace]         import a Samba smbpasswd file (existing names\n"
      "                                  are skipped, or replaced with --replace)\n"
      "The store is --store PATH, else [msv1_0] store in lsa.conf, else\n"
      "STATE_DIR/smbpasswd (an smbpasswd file plus PATH.state; add creates it, mode\n"
      "0600).  It must be owned by the user running lsa (root) with mode 0600.\n"
      "Passwords are asked twice on the terminal with echo off, or read as one line\n"
      "of standard input with --password-stdin; never on the command line.\n"
      "  --uid N          the account's uid (default: the Unix user NAME's, else 65534)\n"
      "  --must-change    the password must be changed at the next logon\n",
      cmd_user },
};
#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

static int by_name(const void *key, const void *entry)
{
    return strcmp(key, ((const struct lsa_command *)entry)->name);
}

static const struct lsa_command *find_command(const char *name)
{
    return bsearch(name, commands, COMMAND_COUNT, sizeof(commands[0]), by_name);
}

static void usage(FILE *out)
{
    fprintf(out, "usage: lsa [--help] [--version] COMMAND [ARGS...]\n\ncommands:\n");
    for (size_t i = 0; i < COMMAND_COUNT; i++) {
        char left[64];
        snprintf(left, sizeof(left), "%s %s", commands[i].name, commands[i].synopsis);
        fprintf(out, "  %-32s %s\n", left, commands[i].summary);
    }
    fprintf(out,
            "\n`lsa COMMAND --help` describes one command.\n"
            "exit status: 0 success, 1 the LSA or a package reported a failure, 2 usage error\n"
            "environment: LSA_CONFIG names lsa.conf; LSA_LOG_STDERR (set to 1 unless already\n"
            "set) copies the LSA's log lines to stderr.  See lsa(1) and lsa.conf(5).\n");
}

int lsa_command_help(const char *cmd)
{
    const struct lsa_command *c = find_command(cmd);
    if (c != NULL)
        printf("usage: lsa %s%s%s\n%s.\n\n%s", c->name, *c->synopsis ? " " : "", c->synopsis,
               c->summary, c->details);
    return LSA_EXIT_OK;
}

static void vmessage(const char *cmd, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void vmessage(const char *cmd, const char *fmt, va_list ap)
{
    fflush(stdout); /* keep the order of stdout and stderr lines when both are a file */
    fprintf(stderr, "lsa%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void lsa_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(cmd, fmt, ap);
    va_end(ap);
}

int lsa_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(cmd, fmt, ap);
    va_end(ap);
    const struct lsa_command *c = cmd ? find_command(cmd) : NULL;
    if (c != NULL)
        fprintf(stderr, "usage: lsa %s%s%s\n", c->name, *c->synopsis ? " " : "", c->synopsis);
    fprintf(stderr, "Try 'lsa --help'.\n");
    return LSA_EXIT_USAGE;
}

const char *lsa_format_status(NTSTATUS status, char *buf, size_t len)
{
    const char *name = lsa_status_name(status);
    if (name != NULL)
        snprintf(buf, len, "%s (0x%08X)", name, (unsigned)status);
    else
        snprintf(buf, len, "0x%08X (no known name)", (unsigned)status);
    return buf;
}

static const char *hint(NTSTATUS status)
{
    switch (status) {
    case STATUS_INVALID_SERVER_STATE:
        return "the LSA could not start: lsa.conf is unreadable or malformed, or its mode is "
               "not available (the message above names the file and line; LSA_CONFIG selects "
               "another file)";
    case STATUS_PORT_CONNECTION_REFUSED:
        return "a trusted connection needs effective uid 0; try --untrusted";
    case STATUS_NO_SUCH_PACKAGE:
        return "`lsa packages` lists the loaded packages";
    case STATUS_QUOTA_EXCEEDED:
        return "the return buffers would exceed this connection's client_quota (lsa.conf)";
    default:
        return NULL;
    }
}

int lsa_status_failure(const char *cmd, const char *what, NTSTATUS status)
{
    char label[96];
    const char *text = lsa_status_text(status);
    lsa_error(cmd, "%s: %s%s%s", what, lsa_format_status(status, label, sizeof(label)),
              text ? ": " : "", text ? text : "");
    const char *h = hint(status);
    if (h != NULL)
        lsa_error(cmd, "%s", h);
    return LSA_EXIT_FAILURE;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    int opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "+hV", options, NULL)) != -1) {
        switch (opt) {
        case 'h':
            usage(stdout);
            return LSA_EXIT_OK;
        case 'V':
            printf("lsa (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
            return LSA_EXIT_OK;
        default:
            return lsa_usage_error(NULL, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return LSA_EXIT_USAGE;
    }
    const struct lsa_command *c = find_command(argv[optind]);
    if (c == NULL)
        return lsa_usage_error(NULL, "unknown command '%s'", argv[optind]);

    /* Configuration and package-load errors are logged; make them reach the terminal. */
    if (setenv("LSA_LOG_STDERR", "1", 0) != 0) {
        lsa_error(NULL, "cannot set LSA_LOG_STDERR: out of memory");
        return LSA_EXIT_FAILURE;
    }
    int first = optind;
    optind = 0; /* reset getopt (glibc, musl): each handler parses its own argv */
    return c->run(argc - first, argv + first);
}
