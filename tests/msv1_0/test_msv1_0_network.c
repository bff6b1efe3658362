/*
 * MSV1_0 network logons end to end (spec/lsa-api.md §4.1-§4.4, spec/ntlm.md §7):
 * MsV1_0Lm20ChallengeRequest, then LsaLogonUser(Network) with an MSV1_0_LM20_LOGON
 * whose responses the test computes as a client would (libntlm).  The challenge must
 * be one the package issued to the same connection, unexpired and unused; NTLMv2
 * timestamps must be within ntlmv2_max_skew; lm_compatibility_level decides which
 * response kinds count.  Each scenario runs in a child with its own lsa.conf.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "../lib/lsa_test.h"
#include "msv1_0_test.h"

#define NEVER INT64_C(0x7FFFFFFFFFFFFFFF)

static struct msvt_env env;

static void run(int (*fn)(void *), struct lsa_test_child *child)
{
    assert_int_equal(msvt_run_child(fn, &env, env.config, 0, child), 0);
    assert_child_ok(child);
}

static int teardown(void **state)
{
    (void)state;
    lsa_test_cleanup();
    return 0;
}

/* A fresh challenge on LSA and an NTLMv2 answer from PASSWORD for USER@DOMAIN. */
struct exchange {
    uint8_t challenge[8];
    uint8_t nt[64];
    size_t nt_length;
    uint8_t key[16];
};

static int v2_exchange(HANDLE lsa, const char *password, const char *user, const char *domain,
                       int64_t skew, struct exchange *x)
{
    NTSTATUS protocol;

    if (msvt_challenge(lsa, x->challenge, &protocol) != STATUS_SUCCESS || protocol != 0)
        return -1;
    return msvt_ntlmv2(password, user, domain, x->challenge, skew, x->nt, &x->nt_length, x->key);
}

/* The logon's outcome, for children. */
#define CHECK_NETWORK(lsa, type, user, domain, x, pc, status, sub)                                 \
    do {                                                                                           \
        struct msvt_logon l_;                                                                      \
        CHILD_CHECK_STATUS(msvt_logon_network(lsa, type, user, domain, (x)->challenge, (x)->nt,    \
                                              (x)->nt_length, NULL, 0, pc, &l_),                   \
                           status);                                                                \
        CHILD_CHECK_STATUS(l_.sub_status, sub);                                                    \
        msvt_logon_free(&l_);                                                                      \
    } while (0)

static int child_ntlmv2(void *arg)
{
    const struct msvt_env *e = arg;
    HANDLE lsa = msvt_connect(FALSE), other = msvt_connect(FALSE);
    MSV1_0_LM20_LOGON_PROFILE *p;
    struct exchange x, y;
    struct msvt_logon l;
    struct msv_account a;

    CHILD_CHECK(lsa != NULL && other != NULL);
    CHILD_CHECK(v2_exchange(lsa, MSVT_PASSWORD, "alice", MSVT_DOMAIN, 0, &x) == 0);
    CHILD_CHECK_STATUS(msvt_logon_network(lsa, MsV1_0NetworkLogon, "alice", MSVT_DOMAIN,
                                          x.challenge, x.nt, x.nt_length, NULL, 0,
                                          MSV1_0_UPDATE_LOGON_STATISTICS, &l),
                       STATUS_SUCCESS);
    CHILD_CHECK(l.profile != NULL && l.profile_length >= sizeof(*p) && l.token != NULL);
    p = l.profile;
    CHILD_CHECK(p->MessageType == MsV1_0Lm20LogonProfile);
    CHILD_CHECK(p->UserFlags == (LOGON_NTLMV2_ENABLED | LOGON_NTLM_V2));
    CHILD_CHECK(memcmp(p->UserSessionKey, x.key, 16) == 0);
    CHILD_CHECK(memcmp(p->LanmanSessionKey, x.key, 8) == 0);
    CHILD_CHECK(p->KickOffTime.QuadPart == NEVER && p->LogoffTime.QuadPart == NEVER);
    CHILD_CHECK(msvt_unicode_is(&p->LogonDomainName, MSVT_DOMAIN));
    CHILD_CHECK(msvt_unicode_is(&p->LogonServer, msvt_computer()));
    CHILD_CHECK(msvt_inside(p, l.profile_length, p->LogonDomainName.Buffer,
                            p->LogonDomainName.Length));
    CHILD_CHECK(p->UserParameters.Length == 0);
    msvt_logon_free(&l);
    CHILD_CHECK_STATUS(msvt_read_account(e->store, "alice", &a), STATUS_SUCCESS);
    CHILD_CHECK(a.logon_count == 1);

    /* The same challenge and answer again: a replay. */
    CHECK_NETWORK(lsa, MsV1_0NetworkLogon, "alice", MSVT_DOMAIN, &x, 0, STATUS_LOGON_FAILURE,
                  STATUS_SUCCESS);
    /* Without MSV1_0_UPDATE_LOGON_STATISTICS a success is not counted; the older
     * MsV1_0Lm20Logon has no ParameterControl at all. */
    CHILD_CHECK(v2_exchange(lsa, MSVT_PASSWORD, "alice", MSVT_DOMAIN, 0, &x) == 0);
    CHECK_NETWORK(lsa, MsV1_0NetworkLogon, "alice", MSVT_DOMAIN, &x, 0, STATUS_SUCCESS,
                  STATUS_SUCCESS);
    CHILD_CHECK(v2_exchange(lsa, MSVT_PASSWORD, "alice", MSVT_DOMAIN, 0, &x) == 0);
    CHECK_NETWORK(lsa, MsV1_0Lm20Logon, "alice", MSVT_DOMAIN, &x, MSV1_0_UPDATE_LOGON_STATISTICS,
                  STATUS_SUCCESS, STATUS_SUCCESS);
    CHILD_CHECK_STATUS(msvt_read_account(e->store, "alice", &a), STATUS_SUCCESS);
    CHILD_CHECK(a.logon_count == 1);
    /* An empty domain, as a client sending none computes it. */
    CHILD_CHECK(v2_exchange(lsa, MSVT_PASSWORD, "alice", "", 0, &x) == 0);
    CHECK_NETWORK(lsa, MsV1_0NetworkLogon, "alice", "", &x, 0, STATUS_SUCCESS, STATUS_SUCCESS);

    /* Wrong password, unknown user, another domain. */
    CHILD_CHECK(v2_exchange(lsa, "Not-The-Password", "alice", MSVT_DOMAIN, 0, &x) == 0);
    CHECK_NETWORK(lsa, MsV1_0NetworkLogon, "alice", MSVT_DOMAIN, &x, 0, STATUS_LOGON_FAILURE,
                  STATUS_WRONG_PASSWORD);
    CHILD_CHECK_STATUS(msvt_read_account(e->store, "alice", &a), STATUS_SUCCESS);
    CHILD_CHECK(a.bad_password_count == 1);
    CHILD_CHECK(v2_exchange(lsa, MSVT_PASSWORD, "mallory", MSVT_DOMAIN, 0, &x) == 0);
    CHECK_NETWORK(lsa, MsV1_0NetworkLogon, "mallory", MSVT_DOMAIN, &x, 0, STATUS_LOGON_FAILURE,
                  STATUS_NO_SUCH_USER);
    CHILD_CHECK(v2_exchange(lsa, MSVT_PASSWORD, "alice", "OTHERDOM", 0, &x) == 0);
    CHECK_NETWORK(lsa, MsV1_0NetworkLogon, "alice", "OTHERDOM", &x, 0, STATUS_LOGON_FAILURE,
                  STATUS_NO_SUCH_USER);

    /* A challenge issued to another connection fails here, and stays usable there. */
    CHILD_CHECK(v2_exchange(other, MSVT_PASSWORD, "alice", MSVT_DOMAIN, 0, &y) == 0);
    CHECK_NETWORK(lsa, MsV1_0NetworkLogon, "alice", MSVT_DOMAIN, &y, 0, STATUS_LOGON_FAILURE,
                  STATUS_SUCCESS);
    CHECK_NETWORK(other, MsV1_0NetworkLogon, "alice", MSVT_DOMAIN, &y, 0, STATUS_SUCCESS,
                  STATUS_SUCCESS);
    /* A challenge nobody issued. */
    memcpy(y.challenge, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
    CHILD_CHECK(msvt_ntlmv2(MSVT_PASSWORD, "alice", MSVT_DOMAIN, y.challenge, 0, y.nt,
                            &y.nt_length, y.key) == 0);
    CHECK_NETWORK(lsa, MsV1_0NetworkLogon, "alice", MSVT_DOMAIN, &y, 0, STATUS_LOGON_FAILURE,
                  STATUS_SUCCESS);
    /* An NTLMv2 timestamp an hour off: ntlmv2_max_skew is 300 s. */
    CHILD_CHECK(v2_exchange(lsa, MSVT_PASSWORD, "alice", MSVT_DOMAIN, -3600, &x) == 0);
    CHECK_NETWORK(lsa, MsV1_0NetworkLogon, "alice", MSVT_DOMAIN, &x, 0,
                  STATUS_TIME_DIFFERENCE_AT_DC, STATUS_SUCCESS);
    LsaDeregisterLogonProcess(other);
    LsaDeregisterLogonProcess(lsa);
    return 0;
}

static void test_ntlmv2(void **state)
{
    struct lsa_test_child child;

    (void)state;
    msvt_setup(&env, NULL, 0);
    msvt_add_account(&env, "alice", MSVT_PASSWORD, 0, NULL);
    run(child_ntlmv2, &child);
    assert_log_has(&child, "challenge already used (replay)");
    assert_log_has(&child, "challenge issued to another connection");
    assert_log_has(&child, "challenge not issued by this package");
    assert_log_has(&child, "STATUS_TIME_DIFFERENCE_AT_DC (0xc0000133): NTLMv2 timestamp outside "
                           "ntlmv2_max_skew");
    assert_log_has(&child, "network logon of 'alice' (domain 'TESTDOM') failed: "
                           "STATUS_LOGON_FAILURE (0xc000006d), substatus STATUS_WRONG_PASSWORD");
    assert_int_equal(lsa_test_log_count(&child, MSVT_PASSWORD), 0);
    lsa_test_child_free(&child);
}

static int child_expired_challenge(void *arg)
{
    HANDLE lsa = msvt_connect(FALSE);
    struct exchange x;

    (void)arg;
    CHILD_CHECK(lsa != NULL);
    CHILD_CHECK(v2_exchange(lsa, MSVT_PASSWORD, "alice", MSVT_DOMAIN, 0, &x) == 0);
    sleep(2); /* challenge_lifetime = 1 */
    CHECK_NETWORK(lsa, MsV1_0NetworkLogon, "alice", MSVT_DOMAIN, &x, 0, STATUS_LOGON_FAILURE,
                  STATUS_SUCCESS);
    /* A fresh one is fine. */
    CHILD_CHECK(v2_exchange(lsa, MSVT_PASSWORD, "alice", MSVT_DOMAIN, 0, &x) == 0);
    CHECK_NETWORK(lsa, MsV1_0NetworkLogon, "alice", MSVT_DOMAIN, &x, 0, STATUS_SUCCESS,
                  STATUS_SUCCESS);
    LsaDeregisterLogonProcess(lsa);
    return 0;
}

static void test_expired_challenge(void **state)
{
    struct lsa_test_child child;

    (void)state;
    msvt_setup(&env, "challenge_lifetime = 1\n", 0);
    msvt_add_account(&env, "alice", MSVT_PASSWORD, 0, NULL);
    run(child_expired_challenge, &child);
    assert_log_has(&child, "failed: STATUS_LOGON_FAILURE (0xc000006d): challenge expired");
    lsa_test_child_free(&child);
}

/* NTLMv1: refused at the default level 5, accepted at level 2. */
static int ntlmv1_logon(NTSTATUS expected)
{
    HANDLE lsa = msvt_connect(FALSE);
    uint8_t challenge[8], nt[24], key[16];
    struct msvt_logon l;
    NTSTATUS protocol;

    CHILD_CHECK(lsa != NULL);
    CHILD_CHECK_STATUS(msvt_challenge(lsa, challenge, &protocol), STATUS_SUCCESS);
    CHILD_CHECK(msvt_ntlmv1(MSVT_PASSWORD, challenge, nt, key) == 0);
    CHILD_CHECK_STATUS(msvt_logon_network(lsa, MsV1_0NetworkLogon, "alice", MSVT_DOMAIN,
                                          challenge, nt, 24, nt, 24, 0, &l),
                       expected);
    CHILD_CHECK_STATUS(l.sub_status, STATUS_SUCCESS);
    if (expected == STATUS_SUCCESS) {
        MSV1_0_LM20_LOGON_PROFILE *p = l.profile;
        CHILD_CHECK(p != NULL && memcmp(p->UserSessionKey, key, 16) == 0);
        CHILD_CHECK((p->UserFlags & (LOGON_NTLM_V2 | LOGON_LM_V2)) == 0);
    }
    msvt_logon_free(&l);
    LsaDeregisterLogonProcess(lsa);
    return 0;
}

static int child_ntlmv1_refused(void *arg)
{
    (void)arg;
    return ntlmv1_logon(STATUS_LOGON_FAILURE);
}

static int child_ntlmv1_accepted(void *arg)
{
    (void)arg;
    return ntlmv1_logon(STATUS_SUCCESS);
}

static void test_ntlmv1_levels(void **state)
{
    struct lsa_test_child child;

    (void)state;
    msvt_setup(&env, NULL, 0);
    msvt_add_account(&env, "alice", MSVT_PASSWORD, 0, NULL);
    run(child_ntlmv1_refused, &child);
    assert_log_has(&child, "response kind refused by lm_compatibility_level");
    lsa_test_child_free(&child);

    msvt_setup(&env, "lm_compatibility_level = 2\n", 0);
    msvt_add_account(&env, "alice", MSVT_PASSWORD, 0, NULL);
    run(child_ntlmv1_accepted, &child);
    lsa_test_child_free(&child);
}

/* Network logons fall under the same lockout: the right answer fails while locked. */
static int child_network_lockout(void *arg)
{
    HANDLE lsa = msvt_connect(FALSE);
    struct exchange x;

    (void)arg;
    CHILD_CHECK(lsa != NULL);
    for (int i = 0; i < 2; i++) {
        CHILD_CHECK(v2_exchange(lsa, "Not-The-Password", "alice", MSVT_DOMAIN, 0, &x) == 0);
        CHECK_NETWORK(lsa, MsV1_0NetworkLogon, "alice", MSVT_DOMAIN, &x, 0, STATUS_LOGON_FAILURE,
                      STATUS_WRONG_PASSWORD);
    }
    CHILD_CHECK(v2_exchange(lsa, MSVT_PASSWORD, "alice", MSVT_DOMAIN, 0, &x) == 0);
    CHECK_NETWORK(lsa, MsV1_0NetworkLogon, "alice", MSVT_DOMAIN, &x, 0, STATUS_ACCOUNT_LOCKED_OUT,
                  STATUS_SUCCESS);
    /* A machine account needs MSV1_0_ALLOW_WORKSTATION_TRUST_ACCOUNT. */
    CHILD_CHECK(v2_exchange(lsa, MSVT_PASSWORD, "host$", MSVT_DOMAIN, 0, &x) == 0);
    CHECK_NETWORK(lsa, MsV1_0NetworkLogon, "host$", MSVT_DOMAIN, &x, 0,
                  STATUS_NOLOGON_WORKSTATION_TRUST_ACCOUNT, STATUS_SUCCESS);
    CHILD_CHECK(v2_exchange(lsa, MSVT_PASSWORD, "host$", MSVT_DOMAIN, 0, &x) == 0);
    CHECK_NETWORK(lsa, MsV1_0NetworkLogon, "host$", MSVT_DOMAIN, &x,
                  MSV1_0_ALLOW_WORKSTATION_TRUST_ACCOUNT, STATUS_SUCCESS, STATUS_SUCCESS);
    LsaDeregisterLogonProcess(lsa);
    return 0;
}

static void test_network_policy(void **state)
{
    struct lsa_test_child child;

    (void)state;
    msvt_setup(&env, "lockout_threshold = 2\n", 0);
    msvt_add_account(&env, "alice", MSVT_PASSWORD, 0, NULL);
    msvt_add_account(&env, "host$", MSVT_PASSWORD, ACB_WSTRUST, NULL);
    run(child_network_lockout, &child);
    lsa_test_child_free(&child);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_ntlmv2, teardown),
        cmocka_unit_test_teardown(test_expired_challenge, teardown),
        cmocka_unit_test_teardown(test_ntlmv1_levels, teardown),
        cmocka_unit_test_teardown(test_network_policy, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
