/*
 * Who may send which MSV1_0 message, and what a bad buffer gets (spec/lsa-api.md §1.4,
 * §2.7, §4.1-§4.2): EnumerateUsers / GetUserInfo, GenericPassthrough (delivered locally
 * with CallPackagePassthrough) and the untrusted-caller matrix (a child that became
 * nobody).  Each scenario runs in a child with its own lsa.conf (msv1_0_test.h).
 */
#include <dirent.h>
#include <grp.h>
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

#define NOBODY 65534

static struct msvt_env env;

/* A message of only its type (and LUID): the call's result, *PROTOCOL, the reply. */
static NTSTATUS simple(HANDLE lsa, ULONG type, PVOID *reply, ULONG *length, NTSTATUS *protocol)
{
    MSV1_0_GETUSERINFO_REQUEST r;
    memset(&r, 0, sizeof(r));
    r.MessageType = (MSV1_0_PROTOCOL_MESSAGE_TYPE)type;
    return msvt_call(lsa, &r, sizeof(r), reply, length, protocol);
}

static NTSTATUS user_info(HANDLE lsa, LUID id, PMSV1_0_GETUSERINFO_RESPONSE *reply,
                          ULONG *length, NTSTATUS *protocol)
{
    MSV1_0_GETUSERINFO_REQUEST r = { MsV1_0GetUserInfo, id };
    return msvt_call(lsa, &r, sizeof(r), (PVOID *)reply, length, protocol);
}

static int enumerated(PMSV1_0_ENUMUSERS_RESPONSE e, LUID id)
{
    for (ULONG i = 0; i < e->NumberOfLoggedOnUsers; i++)
        if (e->LogonIds[i].LowPart == id.LowPart && e->LogonIds[i].HighPart == id.HighPart)
            return 1;
    return 0;
}

/* ---- EnumerateUsers / GetUserInfo ------------------------------------------------------------- */

static int child_users(void *arg)
{
    HANDLE lsa = msvt_connect(TRUE);
    struct msvt_logon a, b;
    PMSV1_0_ENUMUSERS_RESPONSE e;
    PMSV1_0_GETUSERINFO_RESPONSE info;
    ULONG length;
    NTSTATUS protocol;
    char server[300];

    (void)arg;
    CHILD_CHECK(lsa != NULL);
    CHILD_CHECK_STATUS(msvt_logon_interactive(lsa, Interactive, "alice", "", MSVT_PASSWORD, &a),
                       STATUS_SUCCESS);
    CHILD_CHECK_STATUS(msvt_logon_interactive(lsa, Batch, "bob", MSVT_DOMAIN, MSVT_PASSWORD, &b),
                       STATUS_SUCCESS);
    CHILD_CHECK_STATUS(simple(lsa, MsV1_0EnumerateUsers, (PVOID *)&e, &length, &protocol),
                       STATUS_SUCCESS);
    CHILD_CHECK_STATUS(protocol, STATUS_SUCCESS);
    CHILD_CHECK(e->MessageType == MsV1_0EnumerateUsers && e->NumberOfLoggedOnUsers == 2);
    CHILD_CHECK(msvt_inside(e, length, e->LogonIds, 2 * sizeof(LUID)));
    CHILD_CHECK(msvt_inside(e, length, e->EnumHandles, 2 * sizeof(ULONG)));
    CHILD_CHECK(enumerated(e, a.logon_id) && enumerated(e, b.logon_id));
    CHILD_CHECK(e->EnumHandles[0] != e->EnumHandles[1]);
    LsaFreeReturnBuffer(e);

    CHILD_CHECK_STATUS(user_info(lsa, b.logon_id, &info, &length, &protocol), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(protocol, STATUS_SUCCESS);
    CHILD_CHECK(info->MessageType == MsV1_0GetUserInfo && info->UserSid == NULL);
    CHILD_CHECK(msvt_unicode_is(&info->UserName, "bob"));
    CHILD_CHECK(msvt_unicode_is(&info->LogonDomainName, MSVT_DOMAIN));
    snprintf(server, sizeof(server), "\\\\%s", msvt_computer());
    CHILD_CHECK(msvt_unicode_is(&info->LogonServer, server));
    CHILD_CHECK(msvt_inside(info, length, info->UserName.Buffer, info->UserName.Length));
    CHILD_CHECK(info->LogonType == Batch);
    LsaFreeReturnBuffer(info);

    /* The session ends (LogonTerminated): it is forgotten. */
    msvt_logon_free(&a);
    CHILD_CHECK_STATUS(user_info(lsa, a.logon_id, &info, &length, &protocol), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(protocol, STATUS_NO_SUCH_LOGON_SESSION);
    CHILD_CHECK(info == NULL);
    CHILD_CHECK_STATUS(simple(lsa, MsV1_0EnumerateUsers, (PVOID *)&e, &length, &protocol),
                       STATUS_SUCCESS);
    CHILD_CHECK(e->NumberOfLoggedOnUsers == 1 && enumerated(e, b.logon_id));
    LsaFreeReturnBuffer(e);
    msvt_logon_free(&b);
    LsaDeregisterLogonProcess(lsa);
    return 0;
}

static void test_users(void **state)
{
    (void)state;
    lsa_test_require_root();
    msvt_setup(&env, NULL, 0);
    msvt_add_account(&env, "alice", MSVT_PASSWORD, 0, NULL);
    msvt_add_account(&env, "bob", MSVT_PASSWORD, 0, NULL);
    msvt_run_ok(&env, child_users);
}

/* ---- GenericPassthrough ----------------------------------------------------------------------- */

static NTSTATUS passthrough(HANDLE lsa, const char *domain, const char *package, const void *data,
                            ULONG data_length, PMSV1_0_PASSTHROUGH_RESPONSE *reply,
                            ULONG *length, NTSTATUS *protocol)
{
    struct lsa_test_buf b;
    MSV1_0_PASSTHROUGH_REQUEST *r = lsa_test_buf_start(&b, sizeof(*r));
    NTSTATUS status;

    r->MessageType = MsV1_0GenericPassthrough;
    lsa_test_buf_add_utf16(&b, domain, &r->DomainName);
    lsa_test_buf_add_utf16(&b, package, &r->PackageName);
    r->DataLength = data_length;
    r->LogonData = (PUCHAR)lsa_test_buf_add_bytes(&b, data, data_length, 8, NULL);
    status = msvt_call(lsa, b.data, (ULONG)b.length, (PVOID *)reply, length, protocol);
    lsa_test_buf_free(&b);
    return status;
}

static int child_passthrough(void *arg)
{
    static const unsigned char echo[] = { 1, 0, 0, 0, 'A', 'B', 'C' }; /* EchoMessageEcho */
    static const ULONG challenge_request = MsV1_0Lm20ChallengeRequest;
    MSV1_0_PASSTHROUGH_REQUEST nested;
    HANDLE lsa = msvt_connect(TRUE);
    PMSV1_0_PASSTHROUGH_RESPONSE r;
    ULONG length;
    NTSTATUS protocol;

    (void)arg;
    CHILD_CHECK(lsa != NULL);
    CHILD_CHECK_STATUS(passthrough(lsa, "", "EchoSSPAP", echo, sizeof(echo), &r, &length,
                                   &protocol),
                       STATUS_SUCCESS);
    CHILD_CHECK_STATUS(protocol, STATUS_SUCCESS);
    CHILD_CHECK(r != NULL && r->MessageType == MsV1_0GenericPassthrough);
    CHILD_CHECK(r->DataLength == sizeof(echo));
    CHILD_CHECK(msvt_inside(r, length, r->ValidationData, r->DataLength));
    CHILD_CHECK(memcmp(r->ValidationData, echo, sizeof(echo)) == 0);
    LsaFreeReturnBuffer(r);
    /* To MSV1_0 itself, by its alias. */
    CHILD_CHECK_STATUS(passthrough(lsa, MSVT_DOMAIN, "NTLM", &challenge_request,
                                   sizeof(challenge_request), &r, &length, &protocol),
                       STATUS_SUCCESS);
    CHILD_CHECK_STATUS(protocol, STATUS_SUCCESS);
    CHILD_CHECK(r->DataLength == sizeof(MSV1_0_LM20_CHALLENGE_RESPONSE));
    LsaFreeReturnBuffer(r);
    /* A passthrough inside a passthrough is refused (no loops through this package). */
    memset(&nested, 0, sizeof(nested));
    nested.MessageType = MsV1_0GenericPassthrough;
    CHILD_CHECK_STATUS(passthrough(lsa, "", MSV1_0_PACKAGE_NAME, &nested, sizeof(nested), &r,
                                   &length, &protocol),
                       STATUS_SUCCESS);
    CHILD_CHECK_STATUS(protocol, STATUS_NOT_SUPPORTED);
    LsaFreeReturnBuffer(r);
    /* No such package; another domain. */
    CHILD_CHECK_STATUS(passthrough(lsa, "", "NoSuchPackage", echo, sizeof(echo), &r, &length,
                                   &protocol),
                       STATUS_SUCCESS);
    CHILD_CHECK_STATUS(protocol, STATUS_NO_SUCH_PACKAGE);
    CHILD_CHECK(r == NULL);
    CHILD_CHECK_STATUS(passthrough(lsa, "ELSEWHERE", "EchoSSPAP", echo, sizeof(echo), &r, &length,
                                   &protocol),
                       STATUS_SUCCESS);
    CHILD_CHECK_STATUS(protocol, STATUS_NO_SUCH_DOMAIN);
    LsaDeregisterLogonProcess(lsa);
    return 0;
}

static void test_passthrough(void **state)
{
    (void)state;
    lsa_test_require_root();
    msvt_setup(&env, NULL, 1);
    msvt_run_ok(&env, child_passthrough);
}

/* ---- the untrusted-caller matrix ------------------------------------------------------------- */

/* What each message type gets: the call's result and, when that succeeds, ProtocolStatus. */
struct expect {
    NTSTATUS call;
    NTSTATUS protocol;
};

static struct expect expected(ULONG type, BOOLEAN trusted)
{
    struct expect denied = { STATUS_SUCCESS, STATUS_ACCESS_DENIED };
    struct expect not_implemented = { STATUS_NOT_IMPLEMENTED, 0 };
    struct expect invalid = { STATUS_INVALID_PARAMETER, 0 };

    switch (type) {
    case MsV1_0ReLogonUsers:
        return invalid;
    case MsV1_0ChangeCachedPassword:
    case MsV1_0CacheLogon:
    case MsV1_0SubAuth:
    case MsV1_0DeriveCredential:
    case MsV1_0CacheLookup:
        return not_implemented;
    default:
        if (type >= MsV1_0SetProcessOption && type <= MsV1_0DeleteTbalSecrets)
            return trusted ? not_implemented : denied;
        return invalid;
    }
}

static int check_matrix(HANDLE lsa, BOOLEAN trusted)
{
    static const ULONG types[] = { 4, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
                                   21, 22, 23, 24, 25, 1024, 0xFFFFFFFF };
    PVOID reply;
    ULONG length;
    NTSTATUS protocol;

    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        struct expect want = expected(types[i], trusted);
        NTSTATUS got = simple(lsa, types[i], &reply, &length, &protocol);
        if (got != want.call || (got == STATUS_SUCCESS && protocol != want.protocol)) {
            fprintf(stderr, "message %u (%s): 0x%08x / 0x%08x, expected 0x%08x / 0x%08x\n",
                    (unsigned)types[i], trusted ? "trusted" : "untrusted", (unsigned)got,
                    (unsigned)protocol, (unsigned)want.call, (unsigned)want.protocol);
            return __LINE__;
        }
        LsaFreeReturnBuffer(reply);
    }
    return 0;
}

static int become_nobody(const char *dir)
{
    char path[1200];
    struct dirent *d;
    DIR *dp = opendir(dir);

    /* The store belongs to whoever runs the embedded LSA: here, nobody. */
    CHILD_CHECK(dp != NULL && chown(dir, NOBODY, NOBODY) == 0);
    while ((d = readdir(dp)) != NULL) {
        if (d->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
        CHILD_CHECK(chown(path, NOBODY, NOBODY) == 0);
    }
    closedir(dp);
    CHILD_CHECK(setgroups(0, NULL) == 0 && setgid(NOBODY) == 0 && setuid(NOBODY) == 0);
    return 0;
}

static int child_untrusted(void *arg)
{
    const struct msvt_env *e = arg;
    LSA_STRING name = lsa_test_string("test");
    LSA_OPERATIONAL_MODE mode;
    HANDLE lsa, trusted = NULL;
    struct lsa_test_buf b;
    MSV1_0_GETCHALLENRESP_REQUEST *g;
    MSV1_0_CHANGEPASSWORD_REQUEST *c;
    struct msvt_logon l;
    PVOID reply;
    ULONG length;
    NTSTATUS protocol;
    uint8_t challenge[8];
    int rc = become_nobody(e->dir);

    if (rc != 0)
        return rc;
    CHILD_CHECK_STATUS(LsaRegisterLogonProcess(&name, &trusted, &mode),
                       STATUS_PORT_CONNECTION_REFUSED);
    lsa = msvt_connect(FALSE);
    CHILD_CHECK(lsa != NULL);
    /* Allowed: the challenge, logons, a response from an explicit password, a change. */
    CHILD_CHECK_STATUS(msvt_challenge(lsa, challenge, &protocol), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(protocol, STATUS_SUCCESS);
    CHILD_CHECK_STATUS(msvt_logon_interactive(lsa, Interactive, "alice", "", MSVT_PASSWORD, &l),
                       STATUS_SUCCESS);
    g = lsa_test_buf_start(&b, sizeof(*g));
    g->MessageType = MsV1_0Lm20GetChallengeResponse;
    g->LogonId = l.logon_id;
    CHILD_CHECK_STATUS(msvt_call(lsa, b.data, (ULONG)b.length, &reply, &length, &protocol),
                       STATUS_SUCCESS);
    CHILD_CHECK_STATUS(protocol, STATUS_ACCESS_DENIED); /* no password: the session's */
    lsa_test_buf_add_utf16(&b, MSVT_PASSWORD, &g->Password);
    lsa_test_buf_add_utf16(&b, "alice", &g->UserName);
    CHILD_CHECK_STATUS(msvt_call(lsa, b.data, (ULONG)b.length, &reply, &length, &protocol),
                       STATUS_SUCCESS);
    CHILD_CHECK_STATUS(protocol, STATUS_SUCCESS);
    LsaFreeReturnBuffer(reply);
    lsa_test_buf_free(&b);
    c = lsa_test_buf_start(&b, sizeof(*c));
    c->MessageType = MsV1_0ChangePassword;
    lsa_test_buf_add_utf16(&b, "alice", &c->AccountName);
    lsa_test_buf_add_utf16(&b, MSVT_PASSWORD, &c->OldPassword);
    lsa_test_buf_add_utf16(&b, "Battery-Staple-2", &c->NewPassword);
    CHILD_CHECK_STATUS(msvt_call(lsa, b.data, (ULONG)b.length, &reply, &length, &protocol),
                       STATUS_SUCCESS);
    CHILD_CHECK_STATUS(protocol, STATUS_SUCCESS);
    LsaFreeReturnBuffer(reply);
    lsa_test_buf_free(&b);
    /* Denied: the users, the passthrough. */
    CHILD_CHECK_STATUS(simple(lsa, MsV1_0EnumerateUsers, &reply, &length, &protocol),
                       STATUS_SUCCESS);
    CHILD_CHECK_STATUS(protocol, STATUS_ACCESS_DENIED);
    CHILD_CHECK(reply == NULL);
    CHILD_CHECK_STATUS(simple(lsa, MsV1_0GetUserInfo, &reply, &length, &protocol), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(protocol, STATUS_ACCESS_DENIED);
    CHILD_CHECK_STATUS(simple(lsa, MsV1_0GenericPassthrough, &reply, &length, &protocol),
                       STATUS_SUCCESS);
    CHILD_CHECK_STATUS(protocol, STATUS_ACCESS_DENIED);
    msvt_logon_free(&l);
    rc = check_matrix(lsa, FALSE);
    LsaDeregisterLogonProcess(lsa);
    return rc;
}

static int child_trusted_matrix(void *arg)
{
    HANDLE lsa = msvt_connect(TRUE);
    int rc;

    (void)arg;
    CHILD_CHECK(lsa != NULL);
    rc = check_matrix(lsa, TRUE);
    LsaDeregisterLogonProcess(lsa);
    return rc;
}

static void test_untrusted_matrix(void **state)
{
    (void)state;
    lsa_test_require_root(); /* to become nobody */
    msvt_setup(&env, NULL, 0);
    msvt_add_account(&env, "alice", MSVT_PASSWORD, 0, NULL);
    msvt_run_ok(&env, child_trusted_matrix);
    msvt_run_ok(&env, child_untrusted);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_users, msvt_teardown),
        cmocka_unit_test_teardown(test_passthrough, msvt_teardown),
        cmocka_unit_test_teardown(test_untrusted_matrix, msvt_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
