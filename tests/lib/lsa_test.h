/*
 * Helpers shared by the client-API tests (tests/api): lsa.conf in a temporary
 * directory, a forked child with its stderr captured, submit buffers built the way a
 * Windows client builds them, and a few one-line lookups.
 *
 * The embedded LSA reads lsa.conf once per process.  A test that needs another
 * configuration runs in a child forked from a parent that has not made an LSA call
 * yet; a child forked after the parent's first call shares the parent's LSA (its
 * packages, its sessions) and sees only its own euid change.
 *
 * Children cannot use cmocka's asserts (they would unwind into the parent's copy of
 * the test runner): they use CHILD_CHECK / CHILD_CHECK_STATUS, which print the failed
 * check to stderr and return its line number as the child's exit code.
 */
#ifndef LSA_TEST_H
#define LSA_TEST_H

#include <stdio.h>
#include <sys/types.h>

#include <lsa/ntsecapi.h>
#include <lsa/ntsecpkg.h> /* echo_protocol.h uses SECPKG_CLIENT_INFO without including it */

#include "../packages/echo_protocol.h"

/* ---- lsa.conf ------------------------------------------------------------------- */

/* Writes BODY, with every "@PKGDIR@" replaced by $LSA_TEST_PACKAGE_DIR, to lsa.conf in a
 * new temporary directory (readable by everyone, so a child that dropped to nobody can
 * read it too).  Returns its path, valid until lsa_test_cleanup(); NULL on failure. */
const char *lsa_test_write_config(const char *body);
/* ---- both transports ----------------------------------------------------------------
 * With LSA_TEST_TRANSPORT=daemon (tests/lsad/run-api-daemon.sh) every lsa.conf written
 * above also gets "[lsa] mode = daemon" and a socket in its directory, and an lsad
 * ($LSA_TEST_LSAD) is started on it (if the file is one lsad accepts) before the path is
 * returned; lsa_test_cleanup() stops them with SIGTERM and fails the test unless each
 * exited 0 and removed its socket.  A child's log (lsa_test_run_child) then also holds
 * what the daemons logged while it ran. */
/* TRUE when the API tests run against lsad. */
int lsa_test_daemon_mode(void);
/* TRUE in daemon mode, for a test of the embedded transport itself to return at once. */
int lsa_test_not_in_daemon_mode(void);
/* Starts `lsad -f -c CONFIG` with its socket at SOCKET and its log at LOG, and waits
 * until it answers (0) or has exited (-1); *PID is its pid. */
int lsa_test_lsad_start(const char *config, const char *socket, const char *log, pid_t *pid);
/* SIGTERM, wait: 0 if it exited 0 and SOCKET is gone, else -1 (the reason on stderr). */
int lsa_test_lsad_stop(pid_t pid, const char *socket);

/* The same, and sets LSA_CONFIG to it. */
const char *lsa_test_use_config(const char *body);
/* A new empty temporary directory (mode 0755); NULL on failure. */
const char *lsa_test_temp_dir(void);
/* Removes every directory made above, with what is in it. */
void lsa_test_cleanup(void);
/* $LSA_TEST_PACKAGE_DIR (fails the test when unset). */
const char *lsa_test_package_dir(void);

/* ---- children ---------------------------------------------------------------------- */

#define LSA_TEST_CHILD_NOBODY 0x1u /* setgid/setuid(65534) before FN; needs root */

struct lsa_test_child {
    int exited;    /* exited normally */
    int exit_code; /* FN's result when exited */
    int signal;    /* the signal that killed it, else 0 */
    char *log;     /* everything it wrote to stdout and stderr, NUL-terminated */
};

/* Runs FN(ARG) in a forked child and waits for it (its output is freed by
 * lsa_test_child_free, or by the next run or lsa_test_cleanup if a failed assert skipped
 * that).  In the child, LSA_LOG_STDERR=1 and,
 * when CONFIG is not NULL, LSA_CONFIG=CONFIG are set before FN runs.  Returns 0, or -1
 * when the child could not be started. */
int lsa_test_run_child(int (*fn)(void *), void *arg, const char *config, unsigned flags,
                       struct lsa_test_child *out);
void lsa_test_child_free(struct lsa_test_child *child);
/* Occurrences of NEEDLE in the child's output. */
int lsa_test_log_count(const struct lsa_test_child *child, const char *needle);
/* Fails the calling test unless the child exited with 0; shows its output if not. */
#define assert_child_ok(c) lsa_test_assert_child_ok((c), __FILE__, __LINE__)
void lsa_test_assert_child_ok(const struct lsa_test_child *child, const char *file, int line);
/* Fails the calling test unless NEEDLE is in the child's output (shown if not). */
#define assert_log_has(c, needle) lsa_test_assert_log_has((c), (needle), __FILE__, __LINE__)
void lsa_test_assert_log_has(const struct lsa_test_child *child, const char *needle,
                             const char *file, int line);

#define CHILD_CHECK(cond)                                                                    \
    do {                                                                                     \
        if (!(cond)) {                                                                       \
            fprintf(stderr, "CHILD CHECK FAILED %s:%d: %s\n", __FILE__, __LINE__, #cond);    \
            return __LINE__;                                                                 \
        }                                                                                    \
    } while (0)

#define CHILD_CHECK_STATUS(expr, expected)                                                   \
    do {                                                                                     \
        NTSTATUS got_ = (expr), want_ = (NTSTATUS)(expected);                                \
        if (got_ != want_) {                                                                 \
            fprintf(stderr, "CHILD CHECK FAILED %s:%d: %s = 0x%08x, expected 0x%08x\n",      \
                    __FILE__, __LINE__, #expr, (unsigned)got_, (unsigned)want_);             \
            return __LINE__;                                                                 \
        }                                                                                    \
    } while (0)

/* Fails the calling test unless GOT == WANT; names both statuses when they differ. */
#define assert_status(got, want)                                                             \
    lsa_test_assert_status((NTSTATUS)(got), (NTSTATUS)(want), #got, __FILE__, __LINE__)
void lsa_test_assert_status(NTSTATUS got, NTSTATUS want, const char *expr, const char *file,
                            int line);

/* Skips the calling test (with a message on stderr) unless the process runs as root. */
void lsa_test_require_root(void);

/* ---- submit buffers ------------------------------------------------------------------ */

/* One contiguous block: the fixed structure, then the string bodies, as a client
 * builds it.  Addresses handed out stay valid until lsa_test_buf_free(): the block
 * never moves. */
struct lsa_test_buf {
    unsigned char *data;
    size_t length;   /* bytes used: the SubmitBufferLength */
    size_t capacity;
};

/* Starts a zeroed block with the fixed structure of FIXED_SIZE bytes; returns it. */
void *lsa_test_buf_start(struct lsa_test_buf *b, size_t fixed_size);
/* Appends UTF8 as UTF-16LE (no terminator) at a 2-byte aligned offset; fills *OUT (if
 * not NULL) with Length = MaximumLength = its byte length and the body's address. */
PWSTR lsa_test_buf_add_utf16(struct lsa_test_buf *b, const char *utf8, PUNICODE_STRING out);
/* Appends N raw bytes at an offset aligned to ALIGN (1, 2, 4, 8); fills *OUT (if not
 * NULL) as an 8-bit STRING. */
PCHAR lsa_test_buf_add_bytes(struct lsa_test_buf *b, const void *bytes, size_t n, size_t align,
                             PSTRING out);
void lsa_test_buf_free(struct lsa_test_buf *b);

/* ---- small helpers -------------------------------------------------------------------- */

/* An LSA_STRING over the C string S (no copy). */
LSA_STRING lsa_test_string(const char *s);
/* A UTF-16 copy of a UTF-8 C string; free it with lsa_free_unicode_string(). */
UNICODE_STRING lsa_test_unicode(const char *utf8);
/* TRUE when U holds exactly the UTF-8 text EXPECTED. */
BOOLEAN lsa_test_unicode_is(PCUNICODE_STRING u, const char *expected);
/* The id of package NAME; fails the test if the lookup does not succeed. */
ULONG lsa_test_lookup(HANDLE lsa, const char *name);

/* A test group against the echo packages: CONFIG becomes this process's lsa.conf, the
 * package ids are looked up, and with PROCESS_NAME the connections stay open for the
 * group (untrusted always, trusted when root, else NULL); without it none is kept.
 * Returns 0, or -1 for a cmocka group setup to fail. */
struct lsa_test_echo {
    HANDLE trusted, untrusted;
    ULONG ap, sspap, sspap_init;
};
int lsa_test_echo_setup(struct lsa_test_echo *echo, const char *config, const char *process_name);
/* Closes the group's connections and removes its temporary files. */
void lsa_test_echo_teardown(struct lsa_test_echo *echo);
/* A connection; trusted = LsaRegisterLogonProcess (skips the test unless root).  Fails
 * the test if it cannot be opened. */
HANDLE lsa_test_connect(BOOLEAN trusted);

/* EchoMessageWhoAmI to package ID: the call's result (*PROTOCOL, *OUT filled on
 * success).  No asserts: usable in a child. */
NTSTATUS lsa_test_whoami(HANDLE lsa, ULONG id, ECHO_WHOAMI_RESPONSE *out, NTSTATUS *protocol);

#endif
