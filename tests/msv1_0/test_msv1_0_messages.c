/*
 * MSV1_0 messages end to end (spec/lsa-api.md §4.1-§4.2): GetChallengeResponse from a
 * password and from a session's credential (NTLM single sign-on), each answer checked
 * by a network logon, and ChangePassword.  Each scenario runs in a child with its own
 * lsa.conf (msv1_0_test.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "../lib/lsa_test.h"
#include "msv1_0_test.h"

#define NEW_PASSWORD "Battery-Staple-2"

static struct msvt_env env;

/* ---- GetChallengeResponse -------------------------------------------------------------------- */

struct gcr {
    ULONG parameter_control;
    LUID logon_id;
    const char *password; /* NULL: none */
    const char *user;     /* NULL: a version-1 request */
    const char *domain;
    const void *server;   /* ServerName bytes */
    size_t server_length;
    uint8_t challenge[8];
    /* out */
    NTSTATUS protocol;
    PMSV1_0_GETCHALLENRESP_RESPONSE reply;
    ULONG reply_length;
};

static NTSTATUS get_challenge_response(HANDLE lsa, struct gcr *g)
{
    struct lsa_test_buf b;
    MSV1_0_GETCHALLENRESP_REQUEST *r;
    NTSTATUS status;

    r = lsa_test_buf_start(&b, g->user ? sizeof(MSV1_0_GETCHALLENRESP_REQUEST)
                                       : sizeof(MSV1_0_GETCHALLENRESP_REQUEST_V1));
    r->MessageType = MsV1_0Lm20GetChallengeResponse;
    r->ParameterControl = g->parameter_control;
    r->LogonId = g->logon_id;
    memcpy(r->ChallengeToClient, g->challenge, 8);
    if (g->password != NULL)
        lsa_test_buf_add_utf16(&b, g->password, &r->Password);
    if (g->user != NULL) {
        lsa_test_buf_add_utf16(&b, g->user, &r->UserName);
        lsa_test_buf_add_utf16(&b, g->domain, &r->LogonDomainName);
        if (g->server_length > 0) {
            r->ServerName.Buffer =
                (PWSTR)(void *)lsa_test_buf_add_bytes(&b, g->server, g->server_length, 2, NULL);
            r->ServerName.Length = r->ServerName.MaximumLength = (USHORT)g->server_length;
        }
    }
    status = msvt_call(lsa, b.data, (ULONG)b.length, (PVOID *)&g->reply, &g->reply_length,
                       &g->protocol);
    lsa_test_buf_free(&b);
    return status;
}

/* The reply is well formed; its answer logs on through a fresh challenge of LSA. */
static int check_reply_logs_on(HANDLE lsa, struct gcr *g, const char *user, size_t nt_length,
                               NTSTATUS expected)
{
    MSV1_0_GETCHALLENRESP_RESPONSE *r = g->reply;
    struct msvt_logon l;

    CHILD_CHECK(r != NULL && g->reply_length >= sizeof(*r));
    CHILD_CHECK(r->MessageType == MsV1_0Lm20GetChallengeResponse);
    CHILD_CHECK(msvt_unicode_is(&r->UserName, user));
    CHILD_CHECK(msvt_unicode_is(&r->LogonDomainName, MSVT_DOMAIN));
    CHILD_CHECK(r->CaseSensitiveChallengeResponse.Length == nt_length);
    CHILD_CHECK(r->CaseInsensitiveChallengeResponse.Length == 24);
    CHILD_CHECK(msvt_inside(r, g->reply_length, r->CaseSensitiveChallengeResponse.Buffer,
                            r->CaseSensitiveChallengeResponse.Length));
    CHILD_CHECK(msvt_inside(r, g->reply_length, r->CaseInsensitiveChallengeResponse.Buffer, 24));
    CHILD_CHECK(msvt_inside(r, g->reply_length, r->UserName.Buffer, r->UserName.Length));
    CHILD_CHECK_STATUS(msvt_logon_network(lsa, MsV1_0NetworkLogon, user, MSVT_DOMAIN,
                                          g->challenge, r->CaseSensitiveChallengeResponse.Buffer,
                                          r->CaseSensitiveChallengeResponse.Length,
                                          r->CaseInsensitiveChallengeResponse.Buffer, 24, 0, &l),
                       expected);
    if (expected == STATUS_SUCCESS)
        CHILD_CHECK(memcmp(((MSV1_0_LM20_LOGON_PROFILE *)l.profile)->UserSessionKey,
                           r->UserSessionKey, 16) == 0);
    msvt_logon_free(&l);
    LsaFreeReturnBuffer(g->reply);
    g->reply = NULL;
    return 0;
}

#define CHECK(expr)                                                                                \
    do {                                                                                           \
        int rc_ = (expr);                                                                          \
        if (rc_ != 0)                                                                              \
            return rc_;                                                                            \
    } while (0)

static int child_gcr_password(void *arg)
{
    /* AV pairs: MsvAvNbDomainName "TESTDOM", MsvAvEOL. */
    static const uint8_t av[] = { 2, 0, 14, 0, 'T', 0, 'E', 0, 'S', 0, 'T', 0, 'D', 0, 'O', 0,
                                  'M', 0, 0, 0, 0, 0 };
    HANDLE lsa = msvt_connect(FALSE); /* an explicit password needs no trust */
    struct gcr g;
    NTSTATUS protocol;

    (void)arg;
    CHILD_CHECK(lsa != NULL);
    memset(&g, 0, sizeof(g));
    g = (struct gcr){ .parameter_control = GCR_NTLM3_PARMS, .password = MSVT_PASSWORD,
                      .user = "alice", .domain = MSVT_DOMAIN };
    CHILD_CHECK_STATUS(msvt_challenge(lsa, g.challenge, &protocol), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(get_challenge_response(lsa, &g), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(g.protocol, STATUS_SUCCESS);
    CHECK(check_reply_logs_on(lsa, &g, "alice", 16 + 28 + 4 + 4, STATUS_SUCCESS));
    /* Target information as the AV pairs of the blob. */
    g.parameter_control = GCR_NTLM3_PARMS | GCR_TARGET_INFO;
    g.server = av;
    g.server_length = sizeof(av);
    CHILD_CHECK_STATUS(msvt_challenge(lsa, g.challenge, &protocol), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(get_challenge_response(lsa, &g), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(g.protocol, STATUS_SUCCESS);
    CHECK(check_reply_logs_on(lsa, &g, "alice", 16 + 28 + sizeof(av) + 4, STATUS_SUCCESS));
    /* A wrong password makes a wrong answer. */
    g.password = "Not-The-Password";
    CHILD_CHECK_STATUS(msvt_challenge(lsa, g.challenge, &protocol), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(get_challenge_response(lsa, &g), STATUS_SUCCESS);
    CHECK(check_reply_logs_on(lsa, &g, "alice", 16 + 28 + sizeof(av) + 4, STATUS_LOGON_FAILURE));
    LsaDeregisterLogonProcess(lsa);
    return 0;
}

static int child_gcr_v1(void *arg)
{
    HANDLE lsa = msvt_connect(FALSE);
    struct gcr g;
    NTSTATUS protocol;
    MSV1_0_GETCHALLENRESP_RESPONSE *r;

    (void)arg;
    CHILD_CHECK(lsa != NULL);
    g = (struct gcr){ .password = MSVT_PASSWORD, .user = "alice", .domain = MSVT_DOMAIN };
    CHILD_CHECK_STATUS(msvt_challenge(lsa, g.challenge, &protocol), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(get_challenge_response(lsa, &g), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(g.protocol, STATUS_SUCCESS);
    r = g.reply;
    /* Level 2: NTLMv1, and the LM field repeats the NT response. */
    CHILD_CHECK(r->CaseSensitiveChallengeResponse.Length == 24);
    CHILD_CHECK(memcmp(r->CaseSensitiveChallengeResponse.Buffer,
                       r->CaseInsensitiveChallengeResponse.Buffer, 24) == 0);
    CHECK(check_reply_logs_on(lsa, &g, "alice", 24, STATUS_SUCCESS));
    LsaDeregisterLogonProcess(lsa);
    return 0;
}

static void test_get_challenge_response(void **state)
{
    (void)state;
    msvt_setup(&env, NULL, 0);
    msvt_add_account(&env, "alice", MSVT_PASSWORD, 0, NULL);
    msvt_run_ok(&env, child_gcr_password);
    msvt_setup(&env, "lm_compatibility_level = 2\n", 0);
    msvt_add_account(&env, "alice", MSVT_PASSWORD, 0, NULL);
    msvt_run_ok(&env, child_gcr_v1);
}

/* NTLM single sign-on: an interactive logon's session answers challenges. */
static int child_sso(void *arg)
{
    HANDLE lsa = msvt_connect(TRUE);
    struct msvt_logon interactive, network;
    const LUID unknown = { 0x12345678, 0x7654 };
    char id[32];
    struct gcr g;
    NTSTATUS protocol;

    (void)arg;
    CHILD_CHECK(lsa != NULL);
    CHILD_CHECK_STATUS(msvt_logon_interactive(lsa, Interactive, "root", "", MSVT_PASSWORD,
                                              &interactive),
                       STATUS_SUCCESS);
    /* A version-1 request, no password: the session's credential and names. */
    g = (struct gcr){ .logon_id = interactive.logon_id };
    CHILD_CHECK_STATUS(msvt_challenge(lsa, g.challenge, &protocol), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(get_challenge_response(lsa, &g), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(g.protocol, STATUS_SUCCESS);
    CHECK(check_reply_logs_on(lsa, &g, "root", 16 + 28 + 4 + 4, STATUS_SUCCESS));
    /* LogonId 0 is the caller's own session: the one LSA_LOGON_ID names. */
    g.logon_id = (LUID){ 0, 0 };
    CHILD_CHECK_STATUS(msvt_challenge(lsa, g.challenge, &protocol), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(get_challenge_response(lsa, &g), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(g.protocol, STATUS_NO_SUCH_LOGON_SESSION); /* root's is SYSTEM's */
    snprintf(id, sizeof(id), "%llx",
             ((unsigned long long)(ULONG)interactive.logon_id.HighPart << 32) |
                 interactive.logon_id.LowPart);
    setenv("LSA_LOGON_ID", id, 1);
    CHILD_CHECK_STATUS(get_challenge_response(lsa, &g), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(g.protocol, STATUS_SUCCESS);
    CHECK(check_reply_logs_on(lsa, &g, "root", 16 + 28 + 4 + 4, STATUS_SUCCESS));
    unsetenv("LSA_LOGON_ID");
    /* An explicit password in a version-1 request takes the session's names. */
    g = (struct gcr){ .logon_id = interactive.logon_id, .password = MSVT_PASSWORD };
    CHILD_CHECK_STATUS(msvt_challenge(lsa, g.challenge, &protocol), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(get_challenge_response(lsa, &g), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(g.protocol, STATUS_SUCCESS);
    CHECK(check_reply_logs_on(lsa, &g, "root", 16 + 28 + 4 + 4, STATUS_SUCCESS));
    /* A network logon keeps no credential; an unknown session has none either. */
    g = (struct gcr){ .password = MSVT_PASSWORD, .user = "root", .domain = MSVT_DOMAIN };
    CHILD_CHECK_STATUS(msvt_challenge(lsa, g.challenge, &protocol), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(get_challenge_response(lsa, &g), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(msvt_logon_network(lsa, MsV1_0NetworkLogon, "root", MSVT_DOMAIN,
                                          g.challenge, g.reply->CaseSensitiveChallengeResponse.Buffer,
                                          g.reply->CaseSensitiveChallengeResponse.Length, NULL, 0,
                                          0, &network),
                       STATUS_SUCCESS);
    LsaFreeReturnBuffer(g.reply);
    g = (struct gcr){ .logon_id = network.logon_id };
    CHILD_CHECK_STATUS(get_challenge_response(lsa, &g), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(g.protocol, STATUS_NO_SUCH_LOGON_SESSION);
    CHILD_CHECK(g.reply == NULL);
    g.logon_id = unknown;
    CHILD_CHECK_STATUS(get_challenge_response(lsa, &g), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(g.protocol, STATUS_NO_SUCH_LOGON_SESSION);
    msvt_logon_free(&network);
    /* The session ends: its credential is gone. */
    msvt_logon_free(&interactive);
    g.logon_id = interactive.logon_id;
    CHILD_CHECK_STATUS(get_challenge_response(lsa, &g), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(g.protocol, STATUS_NO_SUCH_LOGON_SESSION);
    LsaDeregisterLogonProcess(lsa);
    return 0;
}

static void test_single_sign_on(void **state)
{
    (void)state;
    lsa_test_require_root(); /* another session than the caller's needs TCB */
    msvt_setup(&env, NULL, 0);
    msvt_add_account(&env, "root", MSVT_PASSWORD, 0, NULL);
    msvt_run_ok(&env, child_sso);
}

/* ---- ChangePassword ------------------------------------------------------------------------------ */

static NTSTATUS change_password(HANDLE lsa, const char *domain, const char *user, const char *old,
                                const char *new, NTSTATUS *protocol,
                                MSV1_0_CHANGEPASSWORD_RESPONSE *out)
{
    struct lsa_test_buf b;
    MSV1_0_CHANGEPASSWORD_REQUEST *r = lsa_test_buf_start(&b, sizeof(*r));
    PVOID reply;
    ULONG length;
    NTSTATUS status;

    r->MessageType = MsV1_0ChangePassword;
    lsa_test_buf_add_utf16(&b, domain, &r->DomainName);
    lsa_test_buf_add_utf16(&b, user, &r->AccountName);
    lsa_test_buf_add_utf16(&b, old, &r->OldPassword);
    lsa_test_buf_add_utf16(&b, new, &r->NewPassword);
    status = msvt_call(lsa, b.data, (ULONG)b.length, &reply, &length, protocol);
    lsa_test_buf_free(&b);
    if (status == STATUS_SUCCESS && (reply == NULL || length != sizeof(*out)))
        status = STATUS_INTERNAL_ERROR;
    if (status == STATUS_SUCCESS && out != NULL)
        memcpy(out, reply, sizeof(*out));
    LsaFreeReturnBuffer(reply);
    return status;
}

#define CHECK_CHANGE(lsa, domain, user, old, new, expected)                                        \
    do {                                                                                           \
        NTSTATUS p_;                                                                               \
        CHILD_CHECK_STATUS(change_password(lsa, domain, user, old, new, &p_, NULL),                \
                           STATUS_SUCCESS);                                                        \
        CHILD_CHECK_STATUS(p_, expected);                                                          \
    } while (0)

#define CHECK_INTERACTIVE(lsa, user, password, status)                                             \
    do {                                                                                           \
        struct msvt_logon l_;                                                                      \
        CHILD_CHECK_STATUS(msvt_logon_interactive(lsa, Interactive, user, "", password, &l_),      \
                           status);                                                                \
        msvt_logon_free(&l_);                                                                      \
    } while (0)

static int child_change_password(void *arg)
{
    const struct msvt_env *e = arg;
    HANDLE lsa = msvt_connect(FALSE); /* it proves the old password: no trust needed */
    MSV1_0_CHANGEPASSWORD_RESPONSE reply;
    struct msv_account a;
    NTSTATUS protocol;

    CHILD_CHECK(lsa != NULL);
    CHILD_CHECK_STATUS(change_password(lsa, "", "alice", "Not-The-Password", NEW_PASSWORD,
                                       &protocol, &reply),
                       STATUS_SUCCESS);
    CHILD_CHECK_STATUS(protocol, STATUS_WRONG_PASSWORD);
    CHILD_CHECK(reply.MessageType == MsV1_0ChangePassword && reply.PasswordInfoValid);
    CHILD_CHECK(reply.DomainPasswordInfo.MinPasswordLength == 8);
    CHILD_CHECK(reply.DomainPasswordInfo.MaxPasswordAge.QuadPart ==
                -INT64_C(30) * 86400 * 10000000);
    CHILD_CHECK(reply.DomainPasswordInfo.MinPasswordAge.QuadPart == 0);
    CHILD_CHECK_STATUS(msvt_read_account(e->store, "alice", &a), STATUS_SUCCESS);
    CHILD_CHECK(a.bad_password_count == 1); /* a wrong old password is a bad password */
    CHECK_CHANGE(lsa, "", "alice", MSVT_PASSWORD, "Short1", STATUS_PASSWORD_RESTRICTION);
    CHECK_CHANGE(lsa, "", "alice", MSVT_PASSWORD, MSVT_PASSWORD, STATUS_PASSWORD_RESTRICTION);
    CHECK_CHANGE(lsa, "", "mallory", MSVT_PASSWORD, NEW_PASSWORD, STATUS_NO_SUCH_USER);
    CHECK_CHANGE(lsa, "OTHERDOM", "alice", MSVT_PASSWORD, NEW_PASSWORD, STATUS_NO_SUCH_USER);
    CHECK_CHANGE(lsa, MSVT_DOMAIN, "ALICE", MSVT_PASSWORD, NEW_PASSWORD, STATUS_SUCCESS);
    CHECK_INTERACTIVE(lsa, "alice", NEW_PASSWORD, STATUS_SUCCESS);
    CHECK_INTERACTIVE(lsa, "alice", MSVT_PASSWORD, STATUS_LOGON_FAILURE);
    /* A password that must change can be changed, and then logs on. */
    CHECK_INTERACTIVE(lsa, "changeme", MSVT_PASSWORD, STATUS_ACCOUNT_RESTRICTION);
    CHECK_CHANGE(lsa, ".", "changeme", MSVT_PASSWORD, NEW_PASSWORD, STATUS_SUCCESS);
    CHECK_INTERACTIVE(lsa, "changeme", NEW_PASSWORD, STATUS_SUCCESS);
    LsaDeregisterLogonProcess(lsa);
    return 0;
}

static void must_change(struct msv_account *a)
{
    a->must_change = TRUE;
}

static void test_change_password(void **state)
{
    struct lsa_test_child child;

    (void)state;
    msvt_setup(&env, "max_password_age = 30\n", 0);
    msvt_add_account(&env, "alice", MSVT_PASSWORD, 0, NULL);
    msvt_add_account(&env, "changeme", MSVT_PASSWORD, 0, must_change);
    msvt_run(&env, child_change_password, &child);
    assert_log_has(&child, "password of 'ALICE' (domain 'TESTDOM') changed");
    assert_log_has(&child, "password change of 'alice' (domain '') failed: STATUS_WRONG_PASSWORD");
    assert_int_equal(lsa_test_log_count(&child, NEW_PASSWORD), 0);
    lsa_test_child_free(&child);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_get_challenge_response, msvt_teardown),
        cmocka_unit_test_teardown(test_single_sign_on, msvt_teardown),
        cmocka_unit_test_teardown(test_change_password, msvt_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
