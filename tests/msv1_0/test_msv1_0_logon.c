/*
 * MSV1_0 logons end to end (spec/lsa-api.md §4.3-§4.4; the package's decisions in
 * packages/msv1_0): the built msv1_0.so loaded by the embedded LSA from an lsa.conf
 * with a temporary account store, LsaLogonUser for interactive and network logons, the
 * account policy (wrong password, unknown user, disabled, expired, must change,
 * lockout), the challenges, the NTLM levels and the configuration.
 *
 * Every scenario runs in a child with its own lsa.conf (msv1_0_test.h).  Root is needed
 * for what only root may do (LsaGetLogonSessionData of any session); CI runs as root.
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
#define WRONG "Wrong-Password-9"

static struct msvt_env env;

/* An interactive logon's outcome, for children. */
#define CHECK_LOGON(lsa, user, domain, password, status, sub)                                     \
    do {                                                                                           \
        struct msvt_logon l_;                                                                      \
        CHILD_CHECK_STATUS(msvt_logon_interactive(lsa, Interactive, user, domain, password, &l_),  \
                           status);                                                                \
        CHILD_CHECK_STATUS(l_.sub_status, sub);                                                    \
        CHILD_CHECK(((status) == STATUS_SUCCESS) == (l_.profile != NULL));                         \
        msvt_logon_free(&l_);                                                                      \
    } while (0)

/* ---- the package ------------------------------------------------------------------------ */

static int child_names(void *arg)
{
    HANDLE lsa = msvt_connect(FALSE);
    LSA_STRING alias = lsa_test_string("ntlm");
    ULONG id = 99;

    (void)arg;
    CHILD_CHECK(lsa != NULL);
    CHILD_CHECK(msvt_package(lsa) == 0);
    CHILD_CHECK_STATUS(LsaLookupAuthenticationPackage(lsa, &alias, &id), STATUS_SUCCESS);
    CHILD_CHECK(id == 0);
    LsaDeregisterLogonProcess(lsa);
    return 0;
}

static void test_package_names(void **state)
{
    (void)state;
    msvt_setup(&env, NULL, 0);
    msvt_run_ok(&env, child_names);
}

/* ---- interactive ---------------------------------------------------------------------------- */

static int child_interactive(void *arg)
{
    const struct msvt_env *e = arg;
    HANDLE lsa = msvt_connect(FALSE);
    struct msvt_logon l;
    MSV1_0_INTERACTIVE_PROFILE *p;
    PSECURITY_LOGON_SESSION_DATA data;
    struct msv_account a;
    char server[300];
    int64_t now = msvt_nt_time(time(NULL));
    const SECURITY_LOGON_TYPE types[] = { Batch, Service, NetworkCleartext };

    CHILD_CHECK(lsa != NULL);
    /* "nobody" has a passwd entry: FullName and HomeDirectory come from it. */
    CHILD_CHECK_STATUS(msvt_logon_interactive(lsa, Interactive, "NOBODY", "", MSVT_PASSWORD, &l),
                       STATUS_SUCCESS);
    CHILD_CHECK_STATUS(l.sub_status, STATUS_SUCCESS);
    CHILD_CHECK(l.token != NULL && (l.logon_id.LowPart != 0 || l.logon_id.HighPart != 0));
    CHILD_CHECK(l.profile != NULL && l.profile_length >= sizeof(*p));
    p = l.profile;
    CHILD_CHECK(p->MessageType == MsV1_0InteractiveProfile);
    CHILD_CHECK(p->LogonCount == 1 && p->BadPasswordCount == 0);
    CHILD_CHECK(p->LogonTime.QuadPart >= now - 50000000 && p->LogonTime.QuadPart <= now + 50000000);
    CHILD_CHECK(p->LogoffTime.QuadPart == NEVER && p->KickOffTime.QuadPart == NEVER);
    CHILD_CHECK(p->PasswordLastSet.QuadPart >= now - 600000000 && p->PasswordLastSet.QuadPart <= now);
    CHILD_CHECK(p->PasswordCanChange.QuadPart == p->PasswordLastSet.QuadPart);
    CHILD_CHECK(p->PasswordMustChange.QuadPart == NEVER);
    CHILD_CHECK(msvt_unicode_is(&p->FullName, "nobody"));
    CHILD_CHECK(msvt_unicode_is(&p->HomeDirectory, "/nonexistent"));
    snprintf(server, sizeof(server), "\\\\%s", msvt_computer());
    CHILD_CHECK(msvt_unicode_is(&p->LogonServer, server));
    CHILD_CHECK(p->LogonScript.Length == 0 && p->ProfilePath.Length == 0 && p->UserFlags == 0);
    CHILD_CHECK(msvt_inside(p, l.profile_length, p->FullName.Buffer, p->FullName.Length));
    CHILD_CHECK(msvt_inside(p, l.profile_length, p->HomeDirectory.Buffer, p->HomeDirectory.Length));
    CHILD_CHECK(msvt_inside(p, l.profile_length, p->LogonServer.Buffer, p->LogonServer.Length));
    /* The session: the store's spelling of the account, the configured domain. */
    CHILD_CHECK_STATUS(LsaGetLogonSessionData(&l.logon_id, &data), STATUS_SUCCESS);
    CHILD_CHECK(msvt_unicode_is(&data->UserName, "nobody"));
    CHILD_CHECK(msvt_unicode_is(&data->LogonDomain, MSVT_DOMAIN));
    CHILD_CHECK(msvt_unicode_is(&data->AuthenticationPackage, MSV1_0_PACKAGE_NAME));
    CHILD_CHECK(data->LogonType == Interactive);
    LsaFreeReturnBuffer(data);
    msvt_logon_free(&l);

    /* Domain ".", the domain in another case, the other interactive logon types. */
    for (size_t i = 0; i < 3; i++) {
        CHILD_CHECK_STATUS(msvt_logon_interactive(lsa, types[i], "nobody", i ? "testdom" : ".",
                                                  MSVT_PASSWORD, &l),
                           STATUS_SUCCESS);
        CHILD_CHECK(((MSV1_0_INTERACTIVE_PROFILE *)l.profile)->LogonCount == i + 2);
        msvt_logon_free(&l);
    }
    CHILD_CHECK_STATUS(msvt_read_account(e->store, "nobody", &a), STATUS_SUCCESS);
    CHILD_CHECK(a.logon_count == 4 && a.bad_password_count == 0);
    CHILD_CHECK(a.last_logon >= time(NULL) - 60 && a.last_logon <= time(NULL));
    /* Another domain is another machine's accounts: unknown here. */
    CHECK_LOGON(lsa, "nobody", "OTHERDOM", MSVT_PASSWORD, STATUS_LOGON_FAILURE,
                STATUS_NO_SUCH_USER);
    LsaDeregisterLogonProcess(lsa);
    return 0;
}

static void test_interactive_success(void **state)
{
    (void)state;
    lsa_test_require_root(); /* LsaGetLogonSessionData of a session of another uid */
    msvt_setup(&env, NULL, 0);
    msvt_add_account(&env, "nobody", MSVT_PASSWORD, 0, NULL);
    msvt_run_ok(&env, child_interactive);
}

static NTSTATUS logon_raw(HANDLE lsa, SECURITY_LOGON_TYPE type, void *buffer, ULONG length)
{
    LSA_STRING origin = lsa_test_string("test");
    TOKEN_SOURCE source = { "msvtest", { 0, 0 } };
    struct msvt_logon l;
    QUOTA_LIMITS quotas;
    NTSTATUS status;

    memset(&l, 0, sizeof(l));
    status = LsaLogonUser(lsa, &origin, type, msvt_package(lsa), buffer, length, NULL, &source,
                          &l.profile, &l.profile_length, &l.logon_id, &l.token, &quotas,
                          &l.sub_status);
    msvt_logon_free(&l);
    return status;
}

static int child_logon_buffers(void *arg)
{
    HANDLE lsa = msvt_connect(FALSE);
    struct lsa_test_buf b;
    MSV1_0_INTERACTIVE_LOGON *i;
    MSV1_0_LM20_LOGON *n;

    (void)arg;
    CHILD_CHECK(lsa != NULL);
    i = lsa_test_buf_start(&b, sizeof(*i));
    i->MessageType = MsV1_0InteractiveLogon;
    lsa_test_buf_add_utf16(&b, "alice", &i->UserName);
    lsa_test_buf_add_utf16(&b, MSVT_PASSWORD, &i->Password);
    CHILD_CHECK_STATUS(logon_raw(lsa, Interactive, b.data, (ULONG)b.length), STATUS_SUCCESS);
    /* Logon types MSV1_0 does not take; the wrong structure for a type. */
    CHILD_CHECK_STATUS(logon_raw(lsa, Unlock, b.data, (ULONG)b.length), STATUS_INVALID_LOGON_TYPE);
    CHILD_CHECK_STATUS(logon_raw(lsa, NewCredentials, b.data, (ULONG)b.length),
                       STATUS_INVALID_LOGON_TYPE);
    CHILD_CHECK_STATUS(logon_raw(lsa, Network, b.data, (ULONG)b.length),
                       STATUS_BAD_VALIDATION_CLASS);
    i->MessageType = (MSV1_0_LOGON_SUBMIT_TYPE)99;
    CHILD_CHECK_STATUS(logon_raw(lsa, Interactive, b.data, (ULONG)b.length),
                       STATUS_BAD_VALIDATION_CLASS);
    i->MessageType = MsV1_0InteractiveLogon;
    /* Bad buffers: too short, a string outside, an odd length, no user name. */
    CHILD_CHECK_STATUS(logon_raw(lsa, Interactive, b.data, 2), STATUS_INVALID_PARAMETER);
    CHILD_CHECK_STATUS(logon_raw(lsa, Interactive, b.data, sizeof(*i) - 8), STATUS_INVALID_PARAMETER);
    CHILD_CHECK_STATUS(logon_raw(lsa, Interactive, b.data, sizeof(*i) + 4), STATUS_INVALID_PARAMETER);
    i->Password.Buffer = (PWSTR)(void *)(b.data + b.length + 64);
    CHILD_CHECK_STATUS(logon_raw(lsa, Interactive, b.data, (ULONG)b.length), STATUS_INVALID_PARAMETER);
    i->Password.Buffer = (PWSTR)((uintptr_t)b.data - 64);
    CHILD_CHECK_STATUS(logon_raw(lsa, Interactive, b.data, (ULONG)b.length), STATUS_INVALID_PARAMETER);
    lsa_test_buf_free(&b);
    i = lsa_test_buf_start(&b, sizeof(*i));
    i->MessageType = MsV1_0InteractiveLogon;
    lsa_test_buf_add_utf16(&b, "alice", &i->UserName);
    i->UserName.Length--;
    CHILD_CHECK_STATUS(logon_raw(lsa, Interactive, b.data, (ULONG)b.length), STATUS_INVALID_PARAMETER);
    i->UserName.Length = 0;
    CHILD_CHECK_STATUS(logon_raw(lsa, Interactive, b.data, (ULONG)b.length), STATUS_INVALID_PARAMETER);
    lsa_test_buf_free(&b);
    /* A network logon: an interactive type with it, a truncated one, a response outside. */
    n = lsa_test_buf_start(&b, sizeof(*n));
    n->MessageType = MsV1_0NetworkLogon;
    lsa_test_buf_add_utf16(&b, "alice", &n->UserName);
    lsa_test_buf_add_bytes(&b, "0123456789abcdef0123456789abcdef", 32, 1,
                           &n->CaseSensitiveChallengeResponse);
    CHILD_CHECK_STATUS(logon_raw(lsa, Interactive, b.data, (ULONG)b.length),
                       STATUS_BAD_VALIDATION_CLASS);
    CHILD_CHECK_STATUS(logon_raw(lsa, Network, b.data, sizeof(*n) - 4), STATUS_INVALID_PARAMETER);
    n->CaseSensitiveChallengeResponse.Length = 200;
    n->CaseSensitiveChallengeResponse.MaximumLength = 200;
    CHILD_CHECK_STATUS(logon_raw(lsa, Network, b.data, (ULONG)b.length), STATUS_INVALID_PARAMETER);
    lsa_test_buf_free(&b);
    LsaDeregisterLogonProcess(lsa);
    return 0;
}

static void test_logon_types_and_buffers(void **state)
{
    (void)state;
    msvt_setup(&env, NULL, 0);
    msvt_add_account(&env, "alice", MSVT_PASSWORD, 0, NULL);
    msvt_run_ok(&env, child_logon_buffers);
}

static int child_wrong_password(void *arg)
{
    const struct msvt_env *e = arg;
    HANDLE lsa = msvt_connect(FALSE);
    struct msvt_logon l;
    struct msv_account a;

    CHILD_CHECK(lsa != NULL);
    CHILD_CHECK_STATUS(msvt_logon_interactive(lsa, Interactive, "alice", "", WRONG, &l),
                       STATUS_LOGON_FAILURE);
    CHILD_CHECK_STATUS(l.sub_status, STATUS_WRONG_PASSWORD);
    CHILD_CHECK(l.profile == NULL && l.token == NULL && l.logon_id.LowPart == 0);
    CHILD_CHECK_STATUS(msvt_read_account(e->store, "alice", &a), STATUS_SUCCESS);
    CHILD_CHECK(a.bad_password_count == 1 && a.bad_password_time >= time(NULL) - 60);
    CHECK_LOGON(lsa, "mallory", "", MSVT_PASSWORD, STATUS_LOGON_FAILURE, STATUS_NO_SUCH_USER);
    /* A success reports the bad password it found, and resets the count. */
    CHILD_CHECK_STATUS(msvt_logon_interactive(lsa, Interactive, "alice", "", MSVT_PASSWORD, &l),
                       STATUS_SUCCESS);
    CHILD_CHECK(((MSV1_0_INTERACTIVE_PROFILE *)l.profile)->BadPasswordCount == 1);
    msvt_logon_free(&l);
    CHILD_CHECK_STATUS(msvt_read_account(e->store, "alice", &a), STATUS_SUCCESS);
    CHILD_CHECK(a.bad_password_count == 0 && a.logon_count == 1);
    LsaDeregisterLogonProcess(lsa);
    return 0;
}

static void test_wrong_password_and_unknown_user(void **state)
{
    struct lsa_test_child child;

    (void)state;
    msvt_setup(&env, NULL, 0);
    msvt_add_account(&env, "alice", MSVT_PASSWORD, 0, NULL);
    msvt_run(&env, child_wrong_password, &child);
    assert_log_has(&child, "interactive logon of 'alice' (domain '') failed: STATUS_LOGON_FAILURE "
                           "(0xc000006d), substatus STATUS_WRONG_PASSWORD");
    assert_log_has(&child, "interactive logon of 'mallory' (domain '') failed: "
                           "STATUS_LOGON_FAILURE (0xc000006d), substatus STATUS_NO_SUCH_USER");
    /* Never a password in a log line. */
    assert_int_equal(lsa_test_log_count(&child, WRONG), 0);
    assert_int_equal(lsa_test_log_count(&child, MSVT_PASSWORD), 0);
    lsa_test_child_free(&child);
}

/* ---- restrictions ----------------------------------------------------------------------------- */

static void must_change(struct msv_account *a)
{
    a->must_change = TRUE;
}

static void set_two_days_ago(struct msv_account *a)
{
    a->password_last_set = time(NULL) - 2 * 86400;
}

static int child_restrictions(void *arg)
{
    HANDLE lsa = msvt_connect(FALSE);
    struct msvt_logon l;
    struct msv_account a;
    const struct msvt_env *e = arg;

    CHILD_CHECK(lsa != NULL);
    CHECK_LOGON(lsa, "disabled", "", MSVT_PASSWORD, STATUS_ACCOUNT_RESTRICTION,
                STATUS_ACCOUNT_DISABLED);
    /* The password is checked first: a wrong one is just that. */
    CHECK_LOGON(lsa, "disabled", "", WRONG, STATUS_LOGON_FAILURE, STATUS_WRONG_PASSWORD);
    CHECK_LOGON(lsa, "changeme", "", MSVT_PASSWORD, STATUS_ACCOUNT_RESTRICTION,
                STATUS_PASSWORD_MUST_CHANGE);
    CHECK_LOGON(lsa, "expired", "", MSVT_PASSWORD, STATUS_ACCOUNT_RESTRICTION,
                STATUS_PASSWORD_EXPIRED);
    CHECK_LOGON(lsa, "noexpiry", "", MSVT_PASSWORD, STATUS_SUCCESS, STATUS_SUCCESS);
    /* max_password_age = 1: a fresh password must change a day after it was set. */
    CHILD_CHECK_STATUS(msvt_logon_interactive(lsa, Interactive, "fresh", "", MSVT_PASSWORD, &l),
                       STATUS_SUCCESS);
    CHILD_CHECK_STATUS(msvt_read_account(e->store, "fresh", &a), STATUS_SUCCESS);
    CHILD_CHECK(((MSV1_0_INTERACTIVE_PROFILE *)l.profile)->PasswordMustChange.QuadPart ==
                msvt_nt_time(a.password_last_set + 86400));
    msvt_logon_free(&l);
    /* Machine accounts do not log on interactively. */
    CHILD_CHECK_STATUS(msvt_logon_interactive(lsa, Interactive, "host$", "", MSVT_PASSWORD, &l),
                       STATUS_NOLOGON_WORKSTATION_TRUST_ACCOUNT);
    msvt_logon_free(&l);
    LsaDeregisterLogonProcess(lsa);
    return 0;
}

static void test_restrictions(void **state)
{
    (void)state;
    msvt_setup(&env, "max_password_age = 1\n", 0);
    msvt_add_account(&env, "disabled", MSVT_PASSWORD, ACB_DISABLED, NULL);
    msvt_add_account(&env, "changeme", MSVT_PASSWORD, 0, must_change);
    msvt_add_account(&env, "expired", MSVT_PASSWORD, 0, set_two_days_ago);
    msvt_add_account(&env, "noexpiry", MSVT_PASSWORD, ACB_PWNOEXP, set_two_days_ago);
    msvt_add_account(&env, "fresh", MSVT_PASSWORD, 0, NULL);
    msvt_add_account(&env, "host$", MSVT_PASSWORD, ACB_WSTRUST, NULL);
    msvt_run_ok(&env, child_restrictions);
}

/* ---- lockout ---------------------------------------------------------------------------------- */

static int child_lockout(void *arg)
{
    const struct msvt_env *e = arg;
    HANDLE lsa = msvt_connect(FALSE);
    struct msv_account a;

    CHILD_CHECK(lsa != NULL);
    for (int i = 0; i < 3; i++)
        CHECK_LOGON(lsa, "alice", "", WRONG, STATUS_LOGON_FAILURE, STATUS_WRONG_PASSWORD);
    /* Locked: checked before the password, so the right one fails too. */
    CHECK_LOGON(lsa, "alice", "", MSVT_PASSWORD, STATUS_ACCOUNT_LOCKED_OUT, STATUS_SUCCESS);
    CHECK_LOGON(lsa, "alice", "", WRONG, STATUS_ACCOUNT_LOCKED_OUT, STATUS_SUCCESS);
    CHILD_CHECK_STATUS(msvt_read_account(e->store, "alice", &a), STATUS_SUCCESS);
    CHILD_CHECK(a.bad_password_count == 3 && a.lockout_time != 0);
    sleep(3); /* lockout_duration = 2 */
    CHECK_LOGON(lsa, "alice", "", MSVT_PASSWORD, STATUS_SUCCESS, STATUS_SUCCESS);
    CHILD_CHECK_STATUS(msvt_read_account(e->store, "alice", &a), STATUS_SUCCESS);
    CHILD_CHECK(a.bad_password_count == 0 && a.lockout_time == 0);
    LsaDeregisterLogonProcess(lsa);
    return 0;
}

static void test_lockout(void **state)
{
    struct lsa_test_child child;

    (void)state;
    msvt_setup(&env, "lockout_threshold = 3\nlockout_duration = 2\n", 0);
    msvt_add_account(&env, "alice", MSVT_PASSWORD, 0, NULL);
    msvt_run(&env, child_lockout, &child);
    assert_log_has(&child, "that bad password locked the account out");
    assert_log_has(&child, "failed: STATUS_ACCOUNT_LOCKED_OUT (0xc0000234)");
    lsa_test_child_free(&child);
}

static int child_lockout_window(void *arg)
{
    HANDLE lsa = msvt_connect(FALSE);

    (void)arg;
    CHILD_CHECK(lsa != NULL);
    for (int round = 0; round < 2; round++) {
        for (int i = 0; i < 2; i++)
            CHECK_LOGON(lsa, "alice", "", WRONG, STATUS_LOGON_FAILURE, STATUS_WRONG_PASSWORD);
        sleep(2); /* older than lockout_window = 1: the count starts again */
    }
    CHECK_LOGON(lsa, "alice", "", MSVT_PASSWORD, STATUS_SUCCESS, STATUS_SUCCESS);
    LsaDeregisterLogonProcess(lsa);
    return 0;
}

static void test_lockout_window(void **state)
{
    (void)state;
    msvt_setup(&env, "lockout_threshold = 3\nlockout_window = 1\n", 0);
    msvt_add_account(&env, "alice", MSVT_PASSWORD, 0, NULL);
    msvt_run_ok(&env, child_lockout_window);
}

/* An unknown user takes as long as a wrong password (no enumeration by timing). */
static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Medians, so a scheduling hiccup on a loaded machine cannot decide the outcome.  An
 * unknown account that returned early, before the hash work and the padding, would answer
 * in a small fraction of a wrong password's time. */
static int child_timing(void *arg)
{
    HANDLE lsa = msvt_connect(FALSE);
    enum { ROUNDS = 21 };
    double wrong[ROUNDS], unknown[ROUNDS], t;

    (void)arg;
    CHILD_CHECK(lsa != NULL);
    CHECK_LOGON(lsa, "alice", "", WRONG, STATUS_LOGON_FAILURE, STATUS_WRONG_PASSWORD); /* warm */
    for (int i = 0; i < ROUNDS; i++) {
        t = seconds();
        CHECK_LOGON(lsa, "alice", "", WRONG, STATUS_LOGON_FAILURE, STATUS_WRONG_PASSWORD);
        wrong[i] = seconds() - t;
        t = seconds();
        CHECK_LOGON(lsa, "mallory", "", WRONG, STATUS_LOGON_FAILURE, STATUS_NO_SUCH_USER);
        unknown[i] = seconds() - t;
    }
    qsort(wrong, ROUNDS, sizeof(double), by_value);
    qsort(unknown, ROUNDS, sizeof(double), by_value);
    fprintf(stderr, "timing: median wrong password %.3f ms, unknown user %.3f ms\n",
            wrong[ROUNDS / 2] * 1000, unknown[ROUNDS / 2] * 1000);
    CHILD_CHECK(unknown[ROUNDS / 2] >= wrong[ROUNDS / 2] * 0.5);
    LsaDeregisterLogonProcess(lsa);
    return 0;
}

static void test_unknown_user_timing(void **state)
{
    (void)state;
    msvt_setup(&env, "lockout_threshold = 0\n", 0);
    msvt_add_account(&env, "alice", MSVT_PASSWORD, 0, NULL);
    msvt_run_ok(&env, child_timing);
}

/* ---- configuration and the store ------------------------------------------------------------ */

static int child_missing_store(void *arg)
{
    HANDLE lsa = msvt_connect(FALSE);

    (void)arg;
    CHILD_CHECK(lsa != NULL);
    CHECK_LOGON(lsa, "alice", "", MSVT_PASSWORD, STATUS_LOGON_FAILURE, STATUS_NO_SUCH_USER);
    LsaDeregisterLogonProcess(lsa);
    return 0;
}

static void test_missing_store(void **state)
{
    struct lsa_test_child child;
    char extra[700], needle[700];

    (void)state;
    msvt_setup(&env, NULL, 0);
    snprintf(extra, sizeof(extra), "store = %s/missing\n", env.dir);
    snprintf(needle, sizeof(needle), "account store %s/missing does not exist", env.dir);
    msvt_setup(&env, extra, 0); /* the last "store =" wins */
    msvt_run(&env, child_missing_store, &child);
    assert_log_has(&child, needle);
    lsa_test_child_free(&child);
}

/* A bad value keeps the package out: the LSA does not load it (SpInitialize fails), or,
 * when lsa_get_config cannot read the package's section during SpInitialize yet (the
 * LSA registers a package only after its initialisation), the package refuses every
 * call once it has read the section at its first call. */
static int child_not_loaded(void *arg)
{
    MSV1_0_LM20_CHALLENGE_REQUEST request = { MsV1_0Lm20ChallengeRequest };
    HANDLE lsa = msvt_connect(FALSE);
    LSA_STRING name = lsa_test_string(MSV1_0_PACKAGE_NAME);
    PVOID reply;
    ULONG id, length;
    NTSTATUS status, protocol;

    (void)arg;
    CHILD_CHECK(lsa != NULL);
    status = LsaLookupAuthenticationPackage(lsa, &name, &id);
    if (status == STATUS_SUCCESS) {
        CHILD_CHECK_STATUS(LsaCallAuthenticationPackage(lsa, id, &request, sizeof(request), &reply,
                                                        &length, &protocol),
                           STATUS_INVALID_SERVER_STATE);
        CHILD_CHECK_STATUS(msvt_logon_interactive(lsa, Interactive, "alice", "", "x",
                                                  &(struct msvt_logon){ 0 }),
                           STATUS_INVALID_SERVER_STATE);
        fprintf(stderr, "refused every call\n");
    } else {
        CHILD_CHECK_STATUS(status, STATUS_NO_SUCH_PACKAGE);
        fprintf(stderr, "not loaded\n");
    }
    LsaDeregisterLogonProcess(lsa);
    return 0;
}

static void test_bad_configuration(void **state)
{
    static const char *const bad[][2] = {
        { "lm_compatibility_level = 6\n", "[msv1_0] lm_compatibility_level = '6' is not valid" },
        { "challenge_lifetime = 0\n", "[msv1_0] challenge_lifetime = '0' is not valid" },
        { "lockout_threshold = ten\n", "[msv1_0] lockout_threshold = 'ten' is not valid" },
        { "lockout_window = -5\n", "[msv1_0] lockout_window = '-5' is not valid" },
        { "min_password_length = 8x\n", "[msv1_0] min_password_length = '8x' is not valid" },
        { "max_password_age = 1000\n", "[msv1_0] max_password_age = '1000' is not valid" },
        { "store = relative/smbpasswd\n", "[msv1_0] store = 'relative/smbpasswd' is not valid" },
        { "domain = .\n", "[msv1_0] domain = '.' is not valid" },
    };
    struct lsa_test_child child;

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        msvt_setup(&env, bad[i][0], 0);
        msvt_run(&env, child_not_loaded, &child);
        assert_log_has(&child, bad[i][1]);
        assert_log_has(&child, "not loaded\n");
        assert_log_has(&child, "SpInitialize failed with STATUS_INVALID_PARAMETER");
        lsa_test_child_free(&child);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_package_names, msvt_teardown),
        cmocka_unit_test_teardown(test_interactive_success, msvt_teardown),
        cmocka_unit_test_teardown(test_logon_types_and_buffers, msvt_teardown),
        cmocka_unit_test_teardown(test_wrong_password_and_unknown_user, msvt_teardown),
        cmocka_unit_test_teardown(test_restrictions, msvt_teardown),
        cmocka_unit_test_teardown(test_lockout, msvt_teardown),
        cmocka_unit_test_teardown(test_lockout_window, msvt_teardown),
        cmocka_unit_test_teardown(test_unknown_user_timing, msvt_teardown),
        cmocka_unit_test_teardown(test_missing_store, msvt_teardown),
        cmocka_unit_test_teardown(test_bad_configuration, msvt_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
