/*
 * Trusted and untrusted connections (spec/lsa-api.md §1.1, §1.4; DESIGN.md "Trust"):
 * a trusted handle reaches the package's CallPackage, an untrusted one
 * CallPackageUntrusted; only euid 0 may register as a logon process, anyone else gets
 * STATUS_PORT_CONNECTION_REFUSED; LsaLogonUser with LocalGroups needs TCB.
 *
 * The non-root cases run in a child that dropped to nobody (65534); CI runs as root.
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

#include <lsa/ntsecapi.h>

#include "../lib/lsa_test.h"

static const char config[] = "[lsa]\n"
                             "package_dir = @PKGDIR@\n"
                             "packages = echo_ap, echo_sspap\n";

static struct lsa_test_echo g;

static int group_setup(void **state)
{
    (void)state;
    return lsa_test_echo_setup(&g, config, NULL);
}

static int group_teardown(void **state)
{
    (void)state;
    lsa_test_echo_teardown(&g);
    return 0;
}

static ECHO_WHOAMI_RESPONSE whoami(HANDLE h, ULONG id)
{
    ECHO_WHOAMI_RESPONSE who;
    NTSTATUS protocol = (NTSTATUS)0x7eadbeef;
    assert_status(lsa_test_whoami(h, id, &who, &protocol), STATUS_SUCCESS);
    assert_status(protocol, STATUS_SUCCESS);
    assert_int_equal(who.MessageType, EchoMessageWhoAmI);
    assert_int_equal(who.PackageId, id);
    assert_int_equal(who.PassthroughEntry, FALSE);
    return who;
}

static void check_sspap_client(const ECHO_WHOAMI_RESPONSE *who, BOOLEAN tcb)
{
    assert_status(who->ClientInfoStatus, STATUS_SUCCESS);
    assert_int_equal(who->ClientInfo.HasTcbPrivilege, tcb);
    assert_int_equal(who->ClientInfo.ProcessID, (ULONG)getpid());
    assert_int_equal(who->Trusted, tcb);
    assert_int_equal(who->Uid, (ULONG)geteuid());
    assert_int_equal(who->Gid, (ULONG)getegid());
    assert_int_equal(who->Pid, (ULONG)getpid());
}

static void test_trusted_handle_reaches_call_package(void **state)
{
    (void)state;
    HANDLE h = lsa_test_connect(TRUE);
    ECHO_WHOAMI_RESPONSE who = whoami(h, g.ap);
    assert_int_equal(who.UntrustedEntry, FALSE);
    ULONG ids[] = { g.sspap, g.sspap_init };
    for (size_t i = 0; i < 2; i++) {
        who = whoami(h, ids[i]);
        assert_int_equal(who.UntrustedEntry, FALSE);
        check_sspap_client(&who, TRUE);
    }
    assert_status(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
}

static void test_untrusted_handle_reaches_call_package_untrusted(void **state)
{
    (void)state;
    HANDLE h = lsa_test_connect(FALSE);
    ULONG ids[] = { g.ap, g.sspap, g.sspap_init };
    for (size_t i = 0; i < 3; i++) {
        ECHO_WHOAMI_RESPONSE who = whoami(h, ids[i]);
        assert_int_equal(who.UntrustedEntry, TRUE);
        if (ids[i] != g.ap)
            check_sspap_client(&who, FALSE);

        unsigned char m[4 + 5] = { 0, 0, 0, 0, 'h', 'e', 'l', 'l', 'o' };
        ULONG type = EchoMessageEcho;
        memcpy(m, &type, 4);
        PVOID reply;
        ULONG length;
        NTSTATUS protocol;
        assert_status(LsaCallAuthenticationPackage(h, ids[i], m, sizeof(m), &reply, &length,
                                                   &protocol),
                      STATUS_SUCCESS);
        assert_status(protocol, ECHO_STATUS_UNTRUSTED_ENTRY);
        assert_int_equal(length, sizeof(m));
        assert_memory_equal(reply, m, sizeof(m));
        assert_status(LsaFreeReturnBuffer(reply), STATUS_SUCCESS);
    }
    assert_status(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
}

/* Root may also connect untrusted, and then it is untrusted. */
static void test_root_untrusted_handle_has_no_tcb(void **state)
{
    (void)state;
    lsa_test_require_root();
    HANDLE h = lsa_test_connect(FALSE);
    ECHO_WHOAMI_RESPONSE who = whoami(h, g.sspap);
    assert_int_equal(who.UntrustedEntry, TRUE);
    check_sspap_client(&who, FALSE);
    assert_status(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
}

struct nobody_ids {
    ULONG ap, sspap;
};

static int child_nobody_register(void *arg)
{
    const struct nobody_ids *ids = arg;
    CHILD_CHECK(geteuid() == 65534);
    LSA_STRING name = lsa_test_string("test_trust");
    HANDLE h = (HANDLE)0x1;
    LSA_OPERATIONAL_MODE mode;
    CHILD_CHECK_STATUS(LsaRegisterLogonProcess(&name, &h, &mode), STATUS_PORT_CONNECTION_REFUSED);
    CHILD_CHECK(h == NULL);
    CHILD_CHECK_STATUS(LsaRegisterLogonProcess(&name, &h, NULL), STATUS_PORT_CONNECTION_REFUSED);
    /* The name is checked before the caller. */
    char long_name[128];
    memset(long_name, 'n', sizeof(long_name));
    LSA_STRING too_long = { 128, 128, long_name };
    CHILD_CHECK_STATUS(LsaRegisterLogonProcess(&too_long, &h, &mode), STATUS_NAME_TOO_LONG);

    /* An untrusted connection works, and it is one. */
    CHILD_CHECK_STATUS(LsaConnectUntrusted(&h), STATUS_SUCCESS);
    CHILD_CHECK(h != NULL);
    ECHO_WHOAMI_RESPONSE who;
    NTSTATUS protocol;
    CHILD_CHECK_STATUS(lsa_test_whoami(h, ids->sspap, &who, &protocol), STATUS_SUCCESS);
    CHILD_CHECK(who.UntrustedEntry == TRUE);
    CHILD_CHECK(who.ClientInfo.HasTcbPrivilege == FALSE);
    CHILD_CHECK(who.Trusted == FALSE);
    CHILD_CHECK(who.Uid == 65534);
    CHILD_CHECK(who.Gid == 65534);
    CHILD_CHECK(who.Pid == (ULONG)getpid());
    CHILD_CHECK(who.ClientInfo.ProcessID == (ULONG)getpid());
    CHILD_CHECK_STATUS(lsa_test_whoami(h, ids->ap, &who, &protocol), STATUS_SUCCESS);
    CHILD_CHECK(who.UntrustedEntry == TRUE);
    CHILD_CHECK_STATUS(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
    return 0;
}

static void test_register_as_nobody_is_refused(void **state)
{
    (void)state;
    lsa_test_require_root();
    struct nobody_ids ids = { g.ap, g.sspap };
    struct lsa_test_child c;
    assert_int_equal(
        lsa_test_run_child(child_nobody_register, &ids, NULL, LSA_TEST_CHILD_NOBODY, &c), 0);
    assert_child_ok(&c);
    lsa_test_child_free(&c);
}

static void test_logon_process_name_limits(void **state)
{
    (void)state;
    lsa_test_require_root();
    char name[200];
    memset(name, 'p', sizeof(name));
    HANDLE h = (HANDLE)0x1;
    LSA_OPERATIONAL_MODE mode;
    /* 127 bytes, not NUL-terminated: fine. */
    LSA_STRING s127 = { 127, 127, name };
    assert_status(LsaRegisterLogonProcess(&s127, &h, &mode), STATUS_SUCCESS);
    assert_non_null(h);
    assert_status(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
    LSA_STRING s128 = { 128, 128, name };
    h = (HANDLE)0x1;
    assert_status(LsaRegisterLogonProcess(&s128, &h, &mode), STATUS_NAME_TOO_LONG);
    assert_null(h);
    LSA_STRING s200 = { 200, 200, name };
    assert_status(LsaRegisterLogonProcess(&s200, &h, &mode), STATUS_NAME_TOO_LONG);
    /* Malformed names and arguments. */
    LSA_STRING over = { 10, 5, name };
    assert_status(LsaRegisterLogonProcess(&over, &h, &mode), STATUS_INVALID_PARAMETER);
    LSA_STRING null_buffer = { 10, 10, NULL };
    assert_status(LsaRegisterLogonProcess(&null_buffer, &h, &mode), STATUS_INVALID_PARAMETER);
    assert_status(LsaRegisterLogonProcess(NULL, &h, &mode), STATUS_INVALID_PARAMETER);
    assert_status(LsaRegisterLogonProcess(&s127, NULL, &mode), STATUS_INVALID_PARAMETER);
    assert_status(LsaConnectUntrusted(NULL), STATUS_INVALID_PARAMETER);
}

static NTSTATUS logon(HANDLE h, ULONG id, PTOKEN_GROUPS groups, HANDLE *token)
{
    struct lsa_test_buf b;
    ECHO_LOGON *req = lsa_test_buf_start(&b, sizeof(*req));
    req->MessageType = ECHO_LOGON_TYPE;
    lsa_test_buf_add_utf16(&b, "root", &req->UserName);
    lsa_test_buf_add_utf16(&b, "pw-root", &req->Password);
    LSA_STRING origin = lsa_test_string("test_trust");
    TOKEN_SOURCE source = { "lsatest", { 0, 0 } };
    PVOID profile = NULL;
    ULONG profile_length;
    LUID luid;
    QUOTA_LIMITS quotas;
    NTSTATUS sub;
    *token = NULL;
    NTSTATUS status = LsaLogonUser(h, &origin, Interactive, id, req, (ULONG)b.length, groups,
                                   &source, &profile, &profile_length, &luid, token, &quotas, &sub);
    lsa_test_buf_free(&b);
    if (status == STATUS_SUCCESS)
        assert_status(LsaFreeReturnBuffer(profile), STATUS_SUCCESS);
    else
        assert_null(profile);
    return status;
}

static ULONG session_count(void)
{
    ULONG count;
    PLUID list;
    assert_status(LsaEnumerateLogonSessions(&count, &list), STATUS_SUCCESS);
    assert_status(LsaFreeReturnBuffer(list), STATUS_SUCCESS);
    return count;
}

static void test_local_groups_need_tcb(void **state)
{
    (void)state;
    /* S-1-1-0 (World) as an extra group. */
    static SID world = { 1, 1, { { 0, 0, 0, 0, 0, 1 } }, { 0 } };
    TOKEN_GROUPS groups = { 1, { { &world, 0x7 } } };
    HANDLE untrusted = lsa_test_connect(FALSE);
    HANDLE token;
    ULONG before = session_count();
    ULONG ids[] = { g.ap, g.sspap };
    for (size_t i = 0; i < 2; i++) {
        assert_status(logon(untrusted, ids[i], &groups, &token), STATUS_PRIVILEGE_NOT_HELD);
        assert_null(token);
        /* Without LocalGroups the same logon is fine on an untrusted handle. */
        assert_status(logon(untrusted, ids[i], NULL, &token), STATUS_SUCCESS);
        assert_status(lsa_close_token(token), STATUS_SUCCESS);
    }
    assert_int_equal(session_count(), before); /* the refused ones left nothing */
    if (geteuid() == 0) {
        HANDLE h = lsa_test_connect(TRUE);
        for (size_t i = 0; i < 2; i++) {
            assert_status(logon(h, ids[i], &groups, &token), STATUS_SUCCESS);
            assert_status(lsa_close_token(token), STATUS_SUCCESS);
        }
        assert_status(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
    }
    assert_status(LsaDeregisterLogonProcess(untrusted), STATUS_SUCCESS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trusted_handle_reaches_call_package),
        cmocka_unit_test(test_untrusted_handle_reaches_call_package_untrusted),
        cmocka_unit_test(test_root_untrusted_handle_has_no_tcb),
        cmocka_unit_test(test_register_as_nobody_is_refused),
        cmocka_unit_test(test_logon_process_name_limits),
        cmocka_unit_test(test_local_groups_need_tcb),
    };
    return cmocka_run_group_tests_name("trust", tests, group_setup, group_teardown);
}
