/*
 * Helpers for the MSV1_0 end-to-end tests (test_msv1_0_logon.c, test_msv1_0_messages.c):
 * an lsa.conf that loads the built msv1_0.so with a temporary account store, accounts
 * made through the store API, and the client's side of every logon and message (the
 * NTLM responses computed with libntlm, as a client would).
 *
 * The embedded LSA reads lsa.conf once per process, so every scenario runs in a child
 * (lsa_test_run_child) of a parent that never calls the LSA itself.  The helpers below
 * that talk to the LSA use no cmocka asserts: they are for children.
 */
#ifndef MSV1_0_TEST_H
#define MSV1_0_TEST_H

#include <stdint.h>

#include <lsa/lsa_ext.h>
#include <lsa/ntsecapi.h>

#include "account_store.h"

struct lsa_test_child;

#define MSVT_DOMAIN "TESTDOM"
#define MSVT_PASSWORD "Correct-Horse-1"

/* A temporary directory with an empty store and an lsa.conf loading msv1_0 with
 * [msv1_0] store = that store, domain = MSVT_DOMAIN and the lines of EXTRA (may be
 * NULL; each "key = value\n").  When WITH_ECHO, echo_sspap.so is loaded after msv1_0.
 * Fails the calling test on error. */
struct msvt_env {
    char dir[512];
    char store[600];
    char config[600];
};
void msvt_setup(struct msvt_env *env, const char *extra, int with_echo);

/* An account NAME with PASSWORD (NULL: no password set) and ACB flags; TWEAK (may be
 * NULL) edits it before it is added.  Fails the calling test on error. */
void msvt_add_account(const struct msvt_env *env, const char *name, const char *password,
                      uint32_t acb, void (*tweak)(struct msv_account *account));
/* lsa_test_run_child, and then, in a sanitized build, a leak check in the child (which
 * leaves with _exit, so LeakSanitizer would not look otherwise): a leak fails it. */
int msvt_run_child(int (*fn)(void *), void *arg, const char *config, unsigned flags,
                   struct lsa_test_child *out);
/* FN(ENV) in a child with ENV's configuration; asserts it passed.  The caller frees
 * CHILD (its log is there to inspect); msvt_run_ok frees it itself. */
void msvt_run(struct msvt_env *env, int (*fn)(void *), struct lsa_test_child *child);
void msvt_run_ok(struct msvt_env *env, int (*fn)(void *));
/* A cmocka teardown: removes the test's temporary files. */
int msvt_teardown(void **state);

/* Reads an account back (for children: returns the store's status). */
NTSTATUS msvt_read_account(const char *store, const char *name, struct msv_account *account);

/* ---- children: the client side ------------------------------------------------------- */

/* The package id of MSV1_0 on LSA, or (ULONG)-1. */
ULONG msvt_package(HANDLE lsa);
/* A trusted (root) or untrusted connection, or NULL. */
HANDLE msvt_connect(BOOLEAN trusted);

struct msvt_logon {
    PVOID profile;
    ULONG profile_length;
    LUID logon_id;
    HANDLE token;
    NTSTATUS sub_status;
};
/* Closes the token and frees the profile (both may be absent). */
void msvt_logon_free(struct msvt_logon *out);

/* LsaLogonUser with an MSV1_0_INTERACTIVE_LOGON built as a client builds it. */
NTSTATUS msvt_logon_interactive(HANDLE lsa, SECURITY_LOGON_TYPE type, const char *user,
                                const char *domain, const char *password,
                                struct msvt_logon *out);
/* LsaLogonUser(Network) with an MSV1_0_LM20_LOGON of MESSAGE_TYPE (MsV1_0Lm20Logon or
 * MsV1_0NetworkLogon). */
NTSTATUS msvt_logon_network(HANDLE lsa, ULONG message_type, const char *user, const char *domain,
                            const uint8_t challenge[8], const void *nt, size_t nt_length,
                            const void *lm, size_t lm_length, ULONG parameter_control,
                            struct msvt_logon *out);

/* MsV1_0Lm20ChallengeRequest: the call's status; *PROTOCOL and CHALLENGE on success. */
NTSTATUS msvt_challenge(HANDLE lsa, uint8_t challenge[8], NTSTATUS *protocol);

/* LsaCallAuthenticationPackage to MSV1_0 with a raw buffer. */
NTSTATUS msvt_call(HANDLE lsa, void *submit, ULONG length, PVOID *reply, ULONG *reply_length,
                   NTSTATUS *protocol);

/* The client's NTLMv2 response (NTProofStr ‖ blob, timestamp now + SKEW seconds) and its
 * session key; *LENGTH gets the response's length (at most 64).  0 on success. */
int msvt_ntlmv2(const char *password, const char *user, const char *domain,
                const uint8_t challenge[8], int64_t skew, uint8_t response[64], size_t *length,
                uint8_t session_key[16]);
/* The NTLMv1 response DESL(NT hash, challenge) and MD4(NT hash).  0 on success. */
int msvt_ntlmv1(const char *password, const uint8_t challenge[8], uint8_t response[24],
                uint8_t session_key[16]);

/* UNICODE_STRING U holds the UTF-8 text S (no cmocka). */
int msvt_unicode_is(PCUNICODE_STRING u, const char *s);
/* [ADDRESS, ADDRESS + LENGTH) lies inside the block [BASE, BASE + SIZE). */
int msvt_inside(const void *base, size_t size, const void *address, size_t length);

/* Unix seconds as NT time. */
int64_t msvt_nt_time(int64_t unix_seconds);

/* The short host name, upper-cased (the default domain and the computer name). */
const char *msvt_computer(void);

#endif
