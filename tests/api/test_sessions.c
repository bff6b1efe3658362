/*
 * LsaLogonUser, logon sessions, tokens and credentials (spec/lsa-api.md §1.1, §1.2, §2.4,
 * §3; DESIGN.md "Logon sessions", <lsa/lsa_ext.h>).
 *
 * The echo packages log on any user whose password is "pw-" + the user name (ECHO_LOGON,
 * tests/packages/echo_protocol.h).  Both package models are driven; EchoMessageTerminated
 * tells which sessions a package saw end, EchoMessageCredential drives AddCredential /
 * GetCredentials / DeleteCredential.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pwd.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <lsa/ntsecapi.h>

#include "../lib/lsa_test.h"

static const char config[] = "[lsa]\n"
                             "package_dir = @PKGDIR@\n"
                             "packages = echo_ap, echo_sspap\n";

static const LUID system_luid = SYSTEM_LUID;
static const LUID network_service_luid = NETWORKSERVICE_LUID;
static const LUID unknown_luid = { 0x13572468, 0x2468 };

static struct lsa_test_echo g;

static int group_setup(void **state)
{
    (void)state;
    return lsa_test_echo_setup(&g, config, "test_sessions");
}

static int group_teardown(void **state)
{
    (void)state;
    lsa_test_echo_teardown(&g);
    return 0;
}

/* The account this test runs as: sessions of it are the caller's own (root in CI). */
static const char *me(void)
{
    static char name[64];
    if (name[0] == '\0') {
        struct passwd *pw = getpwuid(geteuid());
        assert_non_null(pw);
        snprintf(name, sizeof(name), "%s", pw->pw_name);
    }
    return name;
}

/* The handle to log on with: trusted as root, else untrusted (both may log on). */
static HANDLE any_handle(void)
{
    return g.trusted != NULL ? g.trusted : g.untrusted;
}

static BOOLEAN luid_equal(LUID a, LUID b)
{
    return a.LowPart == b.LowPart && a.HighPart == b.HighPart;
}

/* ---- logon ------------------------------------------------------------------------------ */

struct logon {
    NTSTATUS status, sub_status;
    PVOID profile;
    ULONG profile_length;
    LUID luid;
    HANDLE token;
};

static struct logon logon_as(HANDLE h, ULONG id, SECURITY_LOGON_TYPE type, ULONG message_type,
                             const char *user, const char *password)
{
    struct lsa_test_buf b;
    ECHO_LOGON *req = lsa_test_buf_start(&b, sizeof(*req));
    req->MessageType = message_type;
    lsa_test_buf_add_utf16(&b, user, &req->UserName);
    lsa_test_buf_add_utf16(&b, password, &req->Password);
    LSA_STRING origin = lsa_test_string("test_sessions");
    TOKEN_SOURCE source = { "lsatest", { 1, 0 } };
    QUOTA_LIMITS quotas;
    struct logon r;
    memset(&r, 0x5a, sizeof(r)); /* every output must be written */
    r.status = LsaLogonUser(h, &origin, type, id, req, (ULONG)b.length, NULL, &source, &r.profile,
                            &r.profile_length, &r.luid, &r.token, &quotas, &r.sub_status);
    lsa_test_buf_free(&b);
    return r;
}

static struct logon logon_ok(ULONG id, const char *user)
{
    char password[128];
    snprintf(password, sizeof(password), "pw-%s", user);
    struct logon r = logon_as(any_handle(), id, Interactive, ECHO_LOGON_TYPE, user, password);
    assert_status(r.status, STATUS_SUCCESS);
    assert_status(r.sub_status, STATUS_SUCCESS);
    assert_non_null(r.token);
    return r;
}

static void logon_end(struct logon *r)
{
    assert_status(LsaFreeReturnBuffer(r->profile), STATUS_SUCCESS);
    assert_status(lsa_close_token(r->token), STATUS_SUCCESS);
}

static void assert_logon_failed_cleanly(const struct logon *r)
{
    assert_null(r->profile);
    assert_int_equal(r->profile_length, 0);
    assert_null(r->token);
    assert_int_equal(r->luid.LowPart, 0);
    assert_int_equal(r->luid.HighPart, 0);
}

/* ---- sessions ----------------------------------------------------------------------------- */

struct sessions {
    ULONG count;
    PLUID list;
};

static struct sessions sessions_now(void)
{
    struct sessions s = { 0xdeadbeef, NULL };
    assert_status(LsaEnumerateLogonSessions(&s.count, &s.list), STATUS_SUCCESS);
    assert_true(s.count == 0 || s.list != NULL);
    return s;
}

static BOOLEAN sessions_have(const struct sessions *s, LUID luid)
{
    for (ULONG i = 0; i < s->count; i++)
        if (luid_equal(s->list[i], luid))
            return TRUE;
    return FALSE;
}

static void sessions_free(struct sessions *s)
{
    assert_status(LsaFreeReturnBuffer(s->list), STATUS_SUCCESS);
}

static BOOLEAN session_exists(LUID luid)
{
    struct sessions s = sessions_now();
    BOOLEAN found = sessions_have(&s, luid);
    sessions_free(&s);
    return found;
}

/* How many times package ID saw LUID end (EchoMessageTerminated). */
static int terminated_count(ULONG id, LUID luid)
{
    ULONG message = EchoMessageTerminated;
    PVOID reply;
    ULONG length;
    NTSTATUS protocol;
    assert_status(LsaCallAuthenticationPackage(g.untrusted, id, &message, sizeof(message), &reply,
                                               &length, &protocol),
                  STATUS_SUCCESS);
    assert_status(protocol, STATUS_SUCCESS);
    assert_int_equal(length, sizeof(ECHO_TERMINATED_RESPONSE));
    const ECHO_TERMINATED_RESPONSE *t = reply;
    assert_true(t->Count <= ECHO_MAX_TERMINATED);
    int n = 0;
    for (ULONG i = 0; i < t->Count; i++)
        if (luid_equal(t->LogonIds[i], luid))
            n++;
    assert_status(LsaFreeReturnBuffer(reply), STATUS_SUCCESS);
    return n;
}

static void assert_terminated_everywhere_once(LUID luid)
{
    ULONG ids[] = { g.ap, g.sspap, g.sspap_init };
    for (size_t i = 0; i < 3; i++) {
        int n = terminated_count(ids[i], luid);
        if (n != 1)
            fprintf(stderr, "# package %u saw session %x:%08x end %d times\n", ids[i],
                    (unsigned)luid.HighPart, luid.LowPart, n);
        assert_int_equal(n, 1);
    }
}

/* ---- tests: logon --------------------------------------------------------------------------- */

static void check_profile(const struct logon *r, ULONG id, const char *user)
{
    assert_non_null(r->profile);
    assert_true(r->profile_length >= sizeof(ECHO_PROFILE));
    const ECHO_PROFILE *p = r->profile;
    assert_int_equal(p->PackageId, id);
    assert_true(luid_equal(p->LogonId, r->luid));
    /* UserName.Buffer is an address in this process, inside the profile. */
    uintptr_t b = (uintptr_t)p->UserName.Buffer, base = (uintptr_t)r->profile;
    assert_true(b >= base + sizeof(ECHO_PROFILE));
    assert_true(b + p->UserName.Length <= base + r->profile_length);
    assert_true(lsa_test_unicode_is(&p->UserName, user));
}

static void check_fresh_luid(LUID luid)
{
    assert_false(luid.LowPart == 0 && luid.HighPart == 0);
    /* Never one of the well-known 0x3e2..0x3e7. */
    assert_false(luid.HighPart == 0 && luid.LowPart >= 0x3e2 && luid.LowPart <= 0x3e7);
}

static void test_logon_gives_fresh_session_token_and_profile(void **state)
{
    (void)state;
    ULONG ids[] = { g.ap, g.sspap };
    struct logon all[4];
    for (size_t i = 0; i < 4; i++) {
        ULONG id = ids[i % 2];
        all[i] = logon_ok(id, me());
        check_fresh_luid(all[i].luid);
        check_profile(&all[i], id, me());
        LUID from_token;
        assert_status(lsa_token_logon_id(all[i].token, &from_token), STATUS_SUCCESS);
        assert_true(luid_equal(from_token, all[i].luid));
        for (size_t j = 0; j < i; j++) {
            assert_false(luid_equal(all[i].luid, all[j].luid));
            assert_true(all[i].token != all[j].token);
        }
    }
    for (size_t i = 0; i < 4; i++)
        logon_end(&all[i]);
}

static void test_token_unix_identity(void **state)
{
    (void)state;
    uid_t uid = 12345;
    gid_t gid = 12345;
    struct logon root = logon_ok(g.sspap, "root");
    assert_status(lsa_token_unix_identity(root.token, &uid, &gid), STATUS_SUCCESS);
    assert_int_equal(uid, 0);
    assert_int_equal(gid, 0);
    assert_status(lsa_token_unix_identity(root.token, NULL, &gid), STATUS_INVALID_PARAMETER);
    assert_status(lsa_token_logon_id(root.token, NULL), STATUS_INVALID_PARAMETER);

    struct logon nobody_known = logon_ok(g.ap, "lsa-test-no-such-user");
    assert_status(lsa_token_unix_identity(nobody_known.token, &uid, &gid), STATUS_NO_SUCH_USER);

    /* Handles of the wrong kind are not tokens, and tokens are not connections. */
    assert_status(lsa_token_unix_identity(g.untrusted, &uid, &gid), STATUS_INVALID_HANDLE);
    assert_status(lsa_close_token(g.untrusted), STATUS_INVALID_HANDLE);
    ULONG message = EchoMessageEcho;
    PVOID reply = NULL;
    ULONG length;
    NTSTATUS protocol;
    assert_status(LsaCallAuthenticationPackage(root.token, g.ap, &message, sizeof(message),
                                               &reply, &length, &protocol),
                  STATUS_INVALID_HANDLE);
    assert_status(LsaDeregisterLogonProcess(root.token), STATUS_INVALID_HANDLE);
    /* ...and none of that closed anything. */
    assert_status(LsaCallAuthenticationPackage(g.untrusted, g.ap, &message, sizeof(message),
                                               &reply, &length, &protocol),
                  STATUS_SUCCESS);
    assert_status(LsaFreeReturnBuffer(reply), STATUS_SUCCESS);
    LUID luid;
    assert_status(lsa_token_logon_id(root.token, &luid), STATUS_SUCCESS);

    logon_end(&root);
    logon_end(&nobody_known);
    /* A closed token is no token. */
    assert_status(lsa_token_unix_identity(root.token, &uid, &gid), STATUS_INVALID_HANDLE);
    assert_status(lsa_token_logon_id(root.token, &luid), STATUS_INVALID_HANDLE);
    assert_status(lsa_close_token(root.token), STATUS_INVALID_HANDLE);
    assert_status(lsa_close_token(NULL), STATUS_INVALID_HANDLE);
}

static void test_wrong_password_leaves_no_session(void **state)
{
    (void)state;
    ULONG ids[] = { g.ap, g.sspap };
    HANDLE handles[] = { any_handle(), g.untrusted };
    for (size_t i = 0; i < 2; i++) {
        for (size_t k = 0; k < 2; k++) {
            struct sessions before = sessions_now();
            struct logon r =
                logon_as(handles[k], ids[i], Interactive, ECHO_LOGON_TYPE, "root", "pw-wrong");
            assert_status(r.status, STATUS_LOGON_FAILURE);
            assert_status(r.sub_status, STATUS_WRONG_PASSWORD);
            assert_logon_failed_cleanly(&r);
            struct sessions after = sessions_now();
            assert_int_equal(after.count, before.count);
            for (ULONG j = 0; j < after.count; j++)
                assert_true(sessions_have(&before, after.list[j]));
            sessions_free(&before);
            sessions_free(&after);
        }
    }
}

static void test_disabled_account_is_restricted(void **state)
{
    (void)state;
    ULONG ids[] = { g.ap, g.sspap };
    for (size_t i = 0; i < 2; i++) {
        struct sessions before = sessions_now();
        struct logon r =
            logon_as(any_handle(), ids[i], Interactive, ECHO_LOGON_TYPE, "disabled", "pw-disabled");
        assert_status(r.status, STATUS_ACCOUNT_RESTRICTION);
        assert_status(r.sub_status, STATUS_ACCOUNT_DISABLED);
        assert_logon_failed_cleanly(&r);
        struct sessions after = sessions_now();
        assert_int_equal(after.count, before.count);
        sessions_free(&before);
        sessions_free(&after);
    }
}

static void test_bad_message_type_is_bad_validation_class(void **state)
{
    (void)state;
    ULONG ids[] = { g.ap, g.sspap };
    const ULONG types[] = { 0, 1, 3, EchoMessageEcho + 100, 0xffffffffu };
    for (size_t i = 0; i < 2; i++) {
        for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
            if (types[t] == ECHO_LOGON_TYPE)
                continue;
            struct logon r =
                logon_as(any_handle(), ids[i], Interactive, types[t], "root", "pw-root");
            assert_status(r.status, STATUS_BAD_VALIDATION_CLASS);
            assert_logon_failed_cleanly(&r);
        }
    }
}

static NTSTATUS logon_raw(HANDLE h, ULONG id, void *buffer, ULONG length, NTSTATUS *sub)
{
    LSA_STRING origin = lsa_test_string("test_sessions");
    TOKEN_SOURCE source = { "lsatest", { 1, 0 } };
    PVOID profile = NULL;
    ULONG profile_length;
    LUID luid;
    HANDLE token = NULL;
    QUOTA_LIMITS quotas;
    NTSTATUS status = LsaLogonUser(h, &origin, Interactive, id, buffer, length, NULL, &source,
                                   &profile, &profile_length, &luid, &token, &quotas, sub);
    if (status == STATUS_SUCCESS) {
        LsaFreeReturnBuffer(profile);
        lsa_close_token(token);
    }
    return status;
}

static void test_hostile_logon_buffers(void **state)
{
    (void)state;
    ULONG ids[] = { g.ap, g.sspap };
    for (size_t i = 0; i < 2; i++) {
        struct lsa_test_buf b;
        ECHO_LOGON *req = lsa_test_buf_start(&b, sizeof(*req));
        req->MessageType = ECHO_LOGON_TYPE;
        lsa_test_buf_add_utf16(&b, "root", &req->UserName);
        lsa_test_buf_add_utf16(&b, "pw-root", &req->Password);
        NTSTATUS sub;
        /* Every truncation, each in a block of exactly that size. */
        for (ULONG length = 1; length < sizeof(ECHO_LOGON); length++) {
            void *cut = malloc(length);
            assert_non_null(cut);
            memcpy(cut, req, length);
            NTSTATUS status = logon_raw(any_handle(), ids[i], cut, length, &sub);
            if (status != STATUS_INVALID_PARAMETER)
                fprintf(stderr, "# package %u, ECHO_LOGON cut to %u bytes\n", ids[i], length);
            assert_status(status, STATUS_INVALID_PARAMETER);
            free(cut);
        }
        /* Strings that leave the block. */
        ECHO_LOGON saved = *req;
        req->UserName.Buffer = (PWSTR)((uintptr_t)b.data + b.length);
        assert_status(logon_raw(any_handle(), ids[i], b.data, (ULONG)b.length, &sub),
                      STATUS_INVALID_PARAMETER);
        *req = saved;
        req->Password.Length = (USHORT)(req->Password.Length + 2);
        req->Password.MaximumLength = req->Password.Length;
        assert_status(logon_raw(any_handle(), ids[i], b.data, (ULONG)b.length, &sub),
                      STATUS_INVALID_PARAMETER);
        *req = saved;
        req->UserName.Buffer = (PWSTR)((uintptr_t)req->UserName.Buffer - 64);
        assert_status(logon_raw(any_handle(), ids[i], b.data, (ULONG)b.length, &sub),
                      STATUS_INVALID_PARAMETER);
        *req = saved;
        req->UserName.Length = 3;
        assert_status(logon_raw(any_handle(), ids[i], b.data, (ULONG)b.length, &sub),
                      STATUS_INVALID_PARAMETER);
        /* The intact buffer still logs on (the cases above failed for their damage). */
        *req = saved;
        assert_status(logon_raw(any_handle(), ids[i], b.data, (ULONG)b.length, &sub),
                      STATUS_SUCCESS);
        lsa_test_buf_free(&b);
    }
}

struct empty_logon {
    ULONG id;
};

static int child_empty_logon(void *arg)
{
    const struct empty_logon *e = arg;
    HANDLE h;
    CHILD_CHECK_STATUS(LsaConnectUntrusted(&h), STATUS_SUCCESS);
    NTSTATUS sub;
    /* No authentication information at all. */
    CHILD_CHECK_STATUS(logon_raw(h, e->id, NULL, 0, &sub), STATUS_INVALID_PARAMETER);
    char one = 0;
    CHILD_CHECK_STATUS(logon_raw(h, e->id, &one, 0, &sub), STATUS_INVALID_PARAMETER);
    return 0;
}

/* An empty logon buffer is the package's to refuse; the LSA must not trip over it (run
 * in a child: UBSan aborts on a NULL memcpy source). */
static void test_empty_logon_buffer(void **state)
{
    (void)state;
    ULONG ids[] = { g.ap, g.sspap };
    for (size_t i = 0; i < 2; i++) {
        struct empty_logon e = { ids[i] };
        struct lsa_test_child c;
        assert_int_equal(lsa_test_run_child(child_empty_logon, &e, NULL, 0, &c), 0);
        assert_child_ok(&c);
        lsa_test_child_free(&c);
    }
}

static void test_logon_argument_errors(void **state)
{
    (void)state;
    struct lsa_test_buf b;
    ECHO_LOGON *req = lsa_test_buf_start(&b, sizeof(*req));
    req->MessageType = ECHO_LOGON_TYPE;
    lsa_test_buf_add_utf16(&b, "root", &req->UserName);
    lsa_test_buf_add_utf16(&b, "pw-root", &req->Password);
    ULONG length = (ULONG)b.length;
    LSA_STRING origin = lsa_test_string("test_sessions");
    TOKEN_SOURCE source = { "lsatest", { 1, 0 } };
    PVOID profile;
    ULONG profile_length;
    LUID luid;
    HANDLE token;
    QUOTA_LIMITS quotas;
    NTSTATUS sub;
    HANDLE h = any_handle();

    assert_status(LsaLogonUser(h, &origin, Interactive, 3, req, length, NULL, &source, &profile,
                               &profile_length, &luid, &token, &quotas, &sub),
                  STATUS_NO_SUCH_PACKAGE);
    assert_status(LsaLogonUser(h, &origin, Interactive, 0xffffffffu, req, length, NULL, &source,
                               &profile, &profile_length, &luid, &token, &quotas, &sub),
                  STATUS_NO_SUCH_PACKAGE);
    assert_status(LsaLogonUser(h, &origin, Interactive, g.ap, req, length, NULL, &source, NULL,
                               &profile_length, &luid, &token, &quotas, &sub),
                  STATUS_INVALID_PARAMETER);
    assert_status(LsaLogonUser(h, &origin, Interactive, g.ap, req, length, NULL, &source,
                               &profile, NULL, &luid, &token, &quotas, &sub),
                  STATUS_INVALID_PARAMETER);
    assert_status(LsaLogonUser(h, &origin, Interactive, g.ap, req, length, NULL, &source,
                               &profile, &profile_length, NULL, &token, &quotas, &sub),
                  STATUS_INVALID_PARAMETER);
    assert_status(LsaLogonUser(h, &origin, Interactive, g.ap, req, length, NULL, &source,
                               &profile, &profile_length, &luid, NULL, &quotas, &sub),
                  STATUS_INVALID_PARAMETER);
    assert_status(LsaLogonUser(h, &origin, Interactive, g.ap, req, length, NULL, &source,
                               &profile, &profile_length, &luid, &token, &quotas, NULL),
                  STATUS_INVALID_PARAMETER);
    assert_status(LsaLogonUser(h, &origin, Interactive, g.ap, NULL, length, NULL, &source,
                               &profile, &profile_length, &luid, &token, &quotas, &sub),
                  STATUS_INVALID_PARAMETER);
    LSA_STRING bad_origin = { 10, 4, "orig" };
    assert_status(LsaLogonUser(h, &bad_origin, Interactive, g.ap, req, length, NULL, &source,
                               &profile, &profile_length, &luid, &token, &quotas, &sub),
                  STATUS_INVALID_PARAMETER);
    /* Quotas and OriginName are optional. */
    assert_status(LsaLogonUser(h, NULL, Interactive, g.ap, req, length, NULL, &source, &profile,
                               &profile_length, &luid, &token, NULL, &sub),
                  STATUS_SUCCESS);
    assert_status(LsaFreeReturnBuffer(profile), STATUS_SUCCESS);
    assert_status(lsa_close_token(token), STATUS_SUCCESS);
    lsa_test_buf_free(&b);
}

/* Leaves a recognisable pattern where the next call's frame will be. */
static __attribute__((noinline)) void dirty_stack(void)
{
    volatile unsigned char junk[16384];
    for (size_t i = 0; i < sizeof(junk); i++)
        junk[i] = 0xa5;
}

static void test_logon_on_invalid_handle_sets_no_substatus(void **state)
{
    (void)state;
    struct lsa_test_buf b;
    ECHO_LOGON *req = lsa_test_buf_start(&b, sizeof(*req));
    req->MessageType = ECHO_LOGON_TYPE;
    lsa_test_buf_add_utf16(&b, "root", &req->UserName);
    lsa_test_buf_add_utf16(&b, "pw-root", &req->Password);
    PVOID profile = (PVOID)0x1;
    ULONG profile_length = 7;
    LUID luid = { 7, 7 };
    HANDLE token = (HANDLE)0x1;
    NTSTATUS sub = (NTSTATUS)0x7eadbeef;
    dirty_stack();
    NTSTATUS status = LsaLogonUser((HANDLE)(uintptr_t)0x7777, NULL, Interactive, g.ap, req,
                                   (ULONG)b.length, NULL, NULL, &profile, &profile_length, &luid,
                                   &token, NULL, &sub);
    assert_status(status, STATUS_INVALID_HANDLE);
    /* The request never reached a package: no account was judged, no SubStatus. */
    assert_status(sub, STATUS_SUCCESS);
    assert_null(profile);
    assert_null(token);
    lsa_test_buf_free(&b);
}

/* ---- tests: sessions ------------------------------------------------------------------------ */

static void test_enumerate_sessions(void **state)
{
    (void)state;
    struct logon a = logon_ok(g.ap, me());
    struct logon s = logon_ok(g.sspap, me());
    /* Root sees every session, the machine's included; anyone else sees its own. */
    BOOLEAN root = geteuid() == 0;
    struct sessions now = sessions_now();
    assert_int_equal(sessions_have(&now, system_luid), root);
    assert_int_equal(sessions_have(&now, network_service_luid), root);
    assert_true(sessions_have(&now, a.luid));
    assert_true(sessions_have(&now, s.luid));
    for (ULONG i = 0; i < now.count; i++)
        for (ULONG j = 0; j < i; j++)
            assert_false(luid_equal(now.list[i], now.list[j]));
    sessions_free(&now);
    logon_end(&a);
    logon_end(&s);
    now = sessions_now();
    assert_int_equal(sessions_have(&now, system_luid), root);
    assert_int_equal(sessions_have(&now, network_service_luid), root);
    assert_false(sessions_have(&now, a.luid));
    assert_false(sessions_have(&now, s.luid));
    sessions_free(&now);

    ULONG count;
    PLUID list;
    assert_status(LsaEnumerateLogonSessions(NULL, &list), STATUS_INVALID_PARAMETER);
    assert_status(LsaEnumerateLogonSessions(&count, NULL), STATUS_INVALID_PARAMETER);
}

/* More sessions than the session table's first sizes (64, then 128 buckets): each is
 * still found by its LUID, enumerated once, and ends alone. */
#define MANY_SESSIONS 300
static void test_many_sessions(void **state)
{
    (void)state;
    static struct logon all[MANY_SESSIONS];
    for (size_t i = 0; i < MANY_SESSIONS; i++)
        all[i] = logon_ok(i % 2 ? g.ap : g.sspap, me());
    struct sessions now = sessions_now();
    assert_true(now.count >= MANY_SESSIONS);
    for (size_t i = 0; i < MANY_SESSIONS; i++) {
        int seen = 0;
        for (ULONG j = 0; j < now.count; j++)
            seen += luid_equal(now.list[j], all[i].luid);
        assert_int_equal(seen, 1);
        PSECURITY_LOGON_SESSION_DATA d = NULL;
        assert_status(LsaGetLogonSessionData(&all[i].luid, &d), STATUS_SUCCESS);
        assert_true(luid_equal(d->LogonId, all[i].luid));
        assert_status(LsaFreeReturnBuffer(d), STATUS_SUCCESS);
    }
    sessions_free(&now);
    /* Every other one ends; the rest stay reachable. */
    for (size_t i = 0; i < MANY_SESSIONS; i += 2)
        logon_end(&all[i]);
    now = sessions_now();
    for (size_t i = 0; i < MANY_SESSIONS; i++)
        assert_int_equal(sessions_have(&now, all[i].luid), i % 2 == 1);
    sessions_free(&now);
    for (size_t i = 1; i < MANY_SESSIONS; i += 2) {
        PSECURITY_LOGON_SESSION_DATA d = NULL;
        assert_status(LsaGetLogonSessionData(&all[i].luid, &d), STATUS_SUCCESS);
        assert_status(LsaFreeReturnBuffer(d), STATUS_SUCCESS);
        logon_end(&all[i]);
        assert_status(LsaGetLogonSessionData(&all[i].luid, &d), STATUS_NO_SUCH_LOGON_SESSION);
    }
}

/* S is a string of the block D of BLOCK_SIZE bytes: after the fixed part, inside. */
static void check_data_string(const SECURITY_LOGON_SESSION_DATA *d, size_t block_size,
                              const LSA_UNICODE_STRING *s, const char *text)
{
    if (s->Buffer != NULL) {
        uintptr_t p = (uintptr_t)s->Buffer, base = (uintptr_t)d;
        assert_true(p >= base + sizeof(*d));
        assert_true(p + s->MaximumLength <= base + block_size);
        assert_true(s->Length <= s->MaximumLength);
        assert_int_equal(p & 1, 0);
    }
    if (!lsa_test_unicode_is(s, text))
        fprintf(stderr, "# session data string is not \"%s\"\n", text);
    assert_true(lsa_test_unicode_is(s, text));
}

/* An upper bound of the block: the fixed part and every string's MaximumLength. */
static size_t data_block_bound(const SECURITY_LOGON_SESSION_DATA *d)
{
    const LSA_UNICODE_STRING *s[] = { &d->UserName,      &d->LogonDomain,   &d->AuthenticationPackage,
                                      &d->LogonServer,   &d->DnsDomainName, &d->Upn,
                                      &d->LogonScript,   &d->ProfilePath,   &d->HomeDirectory,
                                      &d->HomeDirectoryDrive };
    size_t total = sizeof(*d);
    for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
        total += s[i]->MaximumLength;
    return total;
}

static void check_session_data(ULONG id, const char *package, SECURITY_LOGON_TYPE type,
                               const char *user)
{
    char password[128];
    snprintf(password, sizeof(password), "pw-%s", user);
    struct logon r = logon_as(any_handle(), id, type, ECHO_LOGON_TYPE, user, password);
    assert_status(r.status, STATUS_SUCCESS);
    PSECURITY_LOGON_SESSION_DATA d = NULL;
    assert_status(LsaGetLogonSessionData(&r.luid, &d), STATUS_SUCCESS);
    assert_non_null(d);
    assert_int_equal(d->Size, 272);
    assert_true(luid_equal(d->LogonId, r.luid));
    size_t bound = data_block_bound(d);
    check_data_string(d, bound, &d->UserName, user);
    check_data_string(d, bound, &d->LogonDomain, "ECHO");
    check_data_string(d, bound, &d->AuthenticationPackage, package);
    assert_int_equal(d->LogonType, (ULONG)type);
    /* Logged on a moment ago (100 ns ticks since 1601). */
    LONGLONG now = ((LONGLONG)time(NULL) + 11644473600LL) * 10000000LL;
    assert_true(d->LogonTime.QuadPart > now - 3600LL * 10000000LL);
    assert_true(d->LogonTime.QuadPart < now + 3600LL * 10000000LL);
    assert_status(LsaFreeReturnBuffer(d), STATUS_SUCCESS);
    logon_end(&r);
}

static void test_session_data(void **state)
{
    (void)state;
    check_session_data(g.ap, ECHO_AP_NAME, Interactive, me());
    check_session_data(g.sspap, ECHO_SSPAP_NAME, Network, me());
    /* A session of no Unix account belongs to no one but root. */
    check_session_data(g.sspap_init, ECHO_SSPAP_INIT_NAME, Batch,
                       geteuid() == 0 ? "lsa-test-no-such-user" : me());
}

static void check_machine_session_data(LUID luid)
{
    PSECURITY_LOGON_SESSION_DATA d = NULL;
    assert_status(LsaGetLogonSessionData(&luid, &d), STATUS_SUCCESS);
    assert_non_null(d);
    assert_int_equal(d->Size, 272);
    assert_true(luid_equal(d->LogonId, luid));
    assert_int_equal(d->UserName.Length, 0);
    assert_int_equal(d->LogonDomain.Length, 0);
    assert_int_equal(d->AuthenticationPackage.Length, 0);
    assert_status(LsaFreeReturnBuffer(d), STATUS_SUCCESS);
}

static void test_session_data_of_unknown_session(void **state)
{
    (void)state;
    LUID unknown = unknown_luid;
    PSECURITY_LOGON_SESSION_DATA d = (PSECURITY_LOGON_SESSION_DATA)0x1;
    assert_status(LsaGetLogonSessionData(&unknown, &d), STATUS_NO_SUCH_LOGON_SESSION);
    assert_null(d);
    assert_status(LsaGetLogonSessionData(NULL, &d), STATUS_INVALID_PARAMETER);
    assert_status(LsaGetLogonSessionData(&unknown, NULL), STATUS_INVALID_PARAMETER);
}

/* SYSTEM's and NETWORK_SERVICE's data is empty (spec §1.1); they are root's to read. */
static void test_session_data_of_machine_sessions(void **state)
{
    (void)state;
    lsa_test_require_root();
    check_machine_session_data(system_luid);
    check_machine_session_data(network_service_luid);
}

static void test_closing_last_token_ends_session_everywhere(void **state)
{
    (void)state;
    ULONG ids[] = { g.ap, g.sspap, g.sspap_init };
    for (size_t i = 0; i < 3; i++) {
        struct logon r = logon_ok(ids[i], me());
        assert_true(session_exists(r.luid));
        assert_int_equal(terminated_count(g.ap, r.luid), 0);
        assert_int_equal(terminated_count(g.sspap, r.luid), 0);
        assert_int_equal(terminated_count(g.sspap_init, r.luid), 0);
        logon_end(&r);
        assert_terminated_everywhere_once(r.luid);
        assert_false(session_exists(r.luid));
        PSECURITY_LOGON_SESSION_DATA d;
        assert_status(LsaGetLogonSessionData(&r.luid, &d), STATUS_NO_SUCH_LOGON_SESSION);
        LUID luid;
        assert_status(lsa_token_logon_id(r.token, &luid), STATUS_INVALID_HANDLE);
        assert_status(lsa_close_token(r.token), STATUS_INVALID_HANDLE);
        assert_terminated_everywhere_once(r.luid);
    }
}

static void test_terminate_logon_session(void **state)
{
    (void)state;
    HANDLE handles[] = { any_handle(), g.untrusted };
    for (size_t k = 0; k < 2; k++) {
        HANDLE h = handles[k];
        /* Its own (root's) session, with its token still open. */
        struct logon r = logon_ok(g.sspap, me());
        assert_status(lsa_terminate_logon_session(h, &r.luid), STATUS_SUCCESS);
        assert_false(session_exists(r.luid));
        assert_terminated_everywhere_once(r.luid);
        assert_status(lsa_terminate_logon_session(h, &r.luid), STATUS_NO_SUCH_LOGON_SESSION);
        uid_t uid;
        gid_t gid;
        assert_status(lsa_token_unix_identity(r.token, &uid, &gid), STATUS_NO_SUCH_LOGON_SESSION);
        /* Closing the last token afterwards does not end it a second time. */
        logon_end(&r);
        assert_terminated_everywhere_once(r.luid);

        LUID luid = system_luid;
        assert_status(lsa_terminate_logon_session(h, &luid), STATUS_ACCESS_DENIED);
        luid = network_service_luid;
        assert_status(lsa_terminate_logon_session(h, &luid), STATUS_ACCESS_DENIED);
        if (geteuid() == 0) {
            assert_true(session_exists(system_luid));
            assert_true(session_exists(network_service_luid));
        }
        luid = unknown_luid;
        assert_status(lsa_terminate_logon_session(h, &luid), STATUS_NO_SUCH_LOGON_SESSION);
        assert_status(lsa_terminate_logon_session(h, NULL), STATUS_INVALID_PARAMETER);
    }
    LUID luid = unknown_luid;
    assert_status(lsa_terminate_logon_session((HANDLE)(uintptr_t)0x4242, &luid),
                  STATUS_INVALID_HANDLE);
}

struct nobody_case {
    LUID root_session;
    ULONG ap;
};

static int child_nobody_sessions(void *arg)
{
    const struct nobody_case *nc = arg;
    CHILD_CHECK(geteuid() == 65534);
    HANDLE h;
    CHILD_CHECK_STATUS(LsaConnectUntrusted(&h), STATUS_SUCCESS);
    LUID luid = nc->root_session;
    /* Root's session is not nobody's to end or read. */
    CHILD_CHECK_STATUS(lsa_terminate_logon_session(h, &luid), STATUS_ACCESS_DENIED);
    PSECURITY_LOGON_SESSION_DATA d;
    CHILD_CHECK_STATUS(LsaGetLogonSessionData(&luid, &d), STATUS_ACCESS_DENIED);
    luid = system_luid;
    CHILD_CHECK_STATUS(lsa_terminate_logon_session(h, &luid), STATUS_ACCESS_DENIED);
    luid = unknown_luid;
    CHILD_CHECK_STATUS(lsa_terminate_logon_session(h, &luid), STATUS_NO_SUCH_LOGON_SESSION);

    /* Its own session is. */
    struct lsa_test_buf b;
    ECHO_LOGON *req = lsa_test_buf_start(&b, sizeof(*req));
    req->MessageType = ECHO_LOGON_TYPE;
    lsa_test_buf_add_utf16(&b, "nobody", &req->UserName);
    lsa_test_buf_add_utf16(&b, "pw-nobody", &req->Password);
    PVOID profile;
    ULONG profile_length;
    HANDLE token;
    NTSTATUS sub;
    CHILD_CHECK_STATUS(LsaLogonUser(h, NULL, Interactive, nc->ap, req, (ULONG)b.length, NULL, NULL,
                                    &profile, &profile_length, &luid, &token, NULL, &sub),
                       STATUS_SUCCESS);
    uid_t uid;
    gid_t gid;
    CHILD_CHECK_STATUS(lsa_token_unix_identity(token, &uid, &gid), STATUS_SUCCESS);
    CHILD_CHECK(uid == 65534);
    ULONG count;
    PLUID list;
    CHILD_CHECK_STATUS(LsaEnumerateLogonSessions(&count, &list), STATUS_SUCCESS);
    BOOLEAN own = FALSE, roots = FALSE;
    for (ULONG i = 0; i < count; i++) {
        own |= list[i].LowPart == luid.LowPart && list[i].HighPart == luid.HighPart;
        roots |= list[i].LowPart == nc->root_session.LowPart &&
                 list[i].HighPart == nc->root_session.HighPart;
    }
    CHILD_CHECK(own);
    CHILD_CHECK(!roots);
    CHILD_CHECK_STATUS(LsaFreeReturnBuffer(list), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(LsaGetLogonSessionData(&luid, &d), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(LsaFreeReturnBuffer(d), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(lsa_terminate_logon_session(h, &luid), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(LsaFreeReturnBuffer(profile), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(lsa_close_token(token), STATUS_SUCCESS);
    lsa_test_buf_free(&b);
    return 0;
}

static void test_terminate_as_nobody(void **state)
{
    (void)state;
    lsa_test_require_root();
    struct logon r = logon_ok(g.ap, "root");
    struct nobody_case nc = { r.luid, g.ap };
    struct lsa_test_child c;
    assert_int_equal(
        lsa_test_run_child(child_nobody_sessions, &nc, NULL, LSA_TEST_CHILD_NOBODY, &c), 0);
    assert_child_ok(&c);
    lsa_test_child_free(&c);
    assert_true(session_exists(r.luid));
    logon_end(&r);
}

/* ---- tests: credentials ------------------------------------------------------------------------ */

struct credential_reply {
    NTSTATUS status, protocol;
    char value[64];
    ULONG length;
};

static struct credential_reply credential(ULONG id, ULONG operation, LUID luid, const char *key,
                                          const char *value)
{
    struct lsa_test_buf b;
    ECHO_CREDENTIAL_REQUEST *req = lsa_test_buf_start(&b, sizeof(*req));
    req->MessageType = EchoMessageCredential;
    req->Operation = operation;
    req->LogonId = luid;
    lsa_test_buf_add_bytes(&b, key, strlen(key), 1, &req->Key);
    if (value != NULL)
        lsa_test_buf_add_bytes(&b, value, strlen(value), 1, &req->Credential);
    struct credential_reply out;
    memset(&out, 0, sizeof(out));
    PVOID reply = NULL;
    ULONG length = 0;
    out.status = LsaCallAuthenticationPackage(g.untrusted, id, b.data, (ULONG)b.length, &reply,
                                              &length, &out.protocol);
    if (out.status == STATUS_SUCCESS && out.protocol == STATUS_SUCCESS &&
        operation == EchoCredentialGet) {
        assert_true(length >= sizeof(ECHO_CREDENTIAL_RESPONSE));
        const ECHO_CREDENTIAL_RESPONSE *r = reply;
        assert_int_equal(length, sizeof(*r) + r->Length);
        assert_true(r->Length < sizeof(out.value));
        memcpy(out.value, (const char *)reply + sizeof(*r), r->Length);
        out.length = r->Length;
    }
    assert_status(LsaFreeReturnBuffer(reply), STATUS_SUCCESS);
    lsa_test_buf_free(&b);
    return out;
}

static void expect_protocol(struct credential_reply r, NTSTATUS protocol)
{
    assert_status(r.status, STATUS_SUCCESS);
    assert_status(r.protocol, protocol);
}

static void expect_credential(struct credential_reply r, const char *value)
{
    expect_protocol(r, STATUS_SUCCESS);
    assert_int_equal(r.length, strlen(value));
    assert_memory_equal(r.value, value, r.length);
}

static void check_credentials(ULONG id, ULONG other)
{
    struct logon s = logon_ok(id, me());
    LUID luid = s.luid;
    expect_protocol(credential(id, EchoCredentialAdd, luid, "k1", "alpha"), STATUS_SUCCESS);
    expect_protocol(credential(id, EchoCredentialAdd, luid, "k1", "beta"), STATUS_SUCCESS);
    expect_protocol(credential(id, EchoCredentialAdd, luid, "key-2", "gamma"), STATUS_SUCCESS);
    /* The first match, each time. */
    expect_credential(credential(id, EchoCredentialGet, luid, "k1", NULL), "alpha");
    expect_credential(credential(id, EchoCredentialGet, luid, "k1", NULL), "alpha");
    expect_credential(credential(id, EchoCredentialGet, luid, "key-2", NULL), "gamma");
    /* Keys compare whole. */
    expect_protocol(credential(id, EchoCredentialGet, luid, "k", NULL), STATUS_UNSUCCESSFUL);
    expect_protocol(credential(id, EchoCredentialGet, luid, "k12", NULL), STATUS_UNSUCCESSFUL);
    /* Another package's credentials are not this one's. */
    expect_protocol(credential(other, EchoCredentialGet, luid, "k1", NULL), STATUS_UNSUCCESSFUL);
    expect_protocol(credential(other, EchoCredentialDelete, luid, "k1", NULL), STATUS_NOT_FOUND);
    /* Delete takes the first; the second is next. */
    expect_protocol(credential(id, EchoCredentialDelete, luid, "k1", NULL), STATUS_SUCCESS);
    expect_credential(credential(id, EchoCredentialGet, luid, "k1", NULL), "beta");
    expect_protocol(credential(id, EchoCredentialDelete, luid, "k1", NULL), STATUS_SUCCESS);
    expect_protocol(credential(id, EchoCredentialGet, luid, "k1", NULL), STATUS_UNSUCCESSFUL);
    expect_protocol(credential(id, EchoCredentialDelete, luid, "k1", NULL), STATUS_NOT_FOUND);
    expect_credential(credential(id, EchoCredentialGet, luid, "key-2", NULL), "gamma");

    /* A session that does not exist. */
    LUID unknown = unknown_luid;
    expect_protocol(credential(id, EchoCredentialAdd, unknown, "k1", "x"),
                    STATUS_NO_SUCH_LOGON_SESSION);
    expect_protocol(credential(id, EchoCredentialGet, unknown, "k1", NULL),
                    STATUS_NO_SUCH_LOGON_SESSION);
    expect_protocol(credential(id, EchoCredentialDelete, unknown, "k1", NULL),
                    STATUS_NO_SUCH_LOGON_SESSION);

    /* The session ends: its credentials with it. */
    logon_end(&s);
    expect_protocol(credential(id, EchoCredentialGet, luid, "key-2", NULL),
                    STATUS_NO_SUCH_LOGON_SESSION);
    expect_protocol(credential(id, EchoCredentialAdd, luid, "k1", "late"),
                    STATUS_NO_SUCH_LOGON_SESSION);
}

static void test_credentials(void **state)
{
    (void)state;
    check_credentials(g.ap, g.sspap);
    check_credentials(g.sspap, g.sspap_init);
}

static void test_credential_requests_checked(void **state)
{
    (void)state;
    struct logon s = logon_ok(g.ap, me());
    ULONG ids[] = { g.ap, g.sspap };
    for (size_t i = 0; i < 2; i++) {
        struct lsa_test_buf b;
        ECHO_CREDENTIAL_REQUEST *req = lsa_test_buf_start(&b, sizeof(*req));
        req->MessageType = EchoMessageCredential;
        req->Operation = EchoCredentialAdd;
        req->LogonId = s.luid;
        lsa_test_buf_add_bytes(&b, "odd", 3, 1, &req->Key);
        lsa_test_buf_add_bytes(&b, "value", 5, 1, &req->Credential);
        PVOID reply = NULL;
        ULONG length;
        NTSTATUS protocol;
        /* An 8-bit key may have any length and alignment: the intact request is fine. */
        assert_status(LsaCallAuthenticationPackage(g.untrusted, ids[i], b.data, (ULONG)b.length,
                                                   &reply, &length, &protocol),
                      STATUS_SUCCESS);
        assert_status(protocol, STATUS_SUCCESS);
        LsaFreeReturnBuffer(reply);
        ECHO_CREDENTIAL_REQUEST saved = *req;
        req->Credential.Length = (USHORT)(req->Credential.Length + 1);
        req->Credential.MaximumLength = req->Credential.Length;
        assert_status(LsaCallAuthenticationPackage(g.untrusted, ids[i], b.data, (ULONG)b.length,
                                                   &reply, &length, &protocol),
                      STATUS_INVALID_PARAMETER);
        *req = saved;
        req->Key.Buffer = (PCHAR)((uintptr_t)b.data - 1);
        assert_status(LsaCallAuthenticationPackage(g.untrusted, ids[i], b.data, (ULONG)b.length,
                                                   &reply, &length, &protocol),
                      STATUS_INVALID_PARAMETER);
        *req = saved;
        req->Key.MaximumLength = 2;
        assert_status(LsaCallAuthenticationPackage(g.untrusted, ids[i], b.data, (ULONG)b.length,
                                                   &reply, &length, &protocol),
                      STATUS_INVALID_PARAMETER);
        lsa_test_buf_free(&b);
    }
    logon_end(&s);
}

/* The machine sessions hold credentials too (the host's keys live there). */
static void test_credentials_on_system_session(void **state)
{
    (void)state;
    LUID system = system_luid;
    expect_protocol(credential(g.sspap, EchoCredentialAdd, system, "host", "keytab"),
                    STATUS_SUCCESS);
    expect_credential(credential(g.sspap, EchoCredentialGet, system, "host", NULL), "keytab");
    expect_protocol(credential(g.sspap, EchoCredentialDelete, system, "host", NULL),
                    STATUS_SUCCESS);
    expect_protocol(credential(g.sspap, EchoCredentialGet, system, "host", NULL),
                    STATUS_UNSUCCESSFUL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_logon_gives_fresh_session_token_and_profile),
        cmocka_unit_test(test_token_unix_identity),
        cmocka_unit_test(test_wrong_password_leaves_no_session),
        cmocka_unit_test(test_disabled_account_is_restricted),
        cmocka_unit_test(test_bad_message_type_is_bad_validation_class),
        cmocka_unit_test(test_hostile_logon_buffers),
        cmocka_unit_test(test_empty_logon_buffer),
        cmocka_unit_test(test_logon_argument_errors),
        cmocka_unit_test(test_logon_on_invalid_handle_sets_no_substatus),
        cmocka_unit_test(test_enumerate_sessions),
        cmocka_unit_test(test_many_sessions),
        cmocka_unit_test(test_session_data),
        cmocka_unit_test(test_session_data_of_unknown_session),
        cmocka_unit_test(test_session_data_of_machine_sessions),
        cmocka_unit_test(test_closing_last_token_ends_session_everywhere),
        cmocka_unit_test(test_terminate_logon_session),
        cmocka_unit_test(test_terminate_as_nobody),
        cmocka_unit_test(test_credentials),
        cmocka_unit_test(test_credential_requests_checked),
        cmocka_unit_test(test_credentials_on_system_session),
    };
    return cmocka_run_group_tests_name("sessions", tests, group_setup, group_teardown);
}
