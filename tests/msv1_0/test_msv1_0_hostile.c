/*
 * Hostile submit buffers for every MSV1_0 message (spec/lsa-api.md §2.7): too short for
 * the structure, a string outside the submitted range, below it, of odd length, longer
 * than its MaximumLength.  Each is STATUS_INVALID_PARAMETER as the function result,
 * from trusted and untrusted callers alike (for the messages an untrusted caller may
 * send at all: the others are denied unread), and never a read outside the buffer (the
 * bytes after each buffer are poisoned under AddressSanitizer: tests/lib/lsa_test.c).
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

static struct msvt_env env;

static int teardown(void **state)
{
    (void)state;
    lsa_test_cleanup();
    return 0;
}

/* The call with LENGTH bytes of B is refused as a bad buffer. */
static int refused(HANDLE lsa, struct lsa_test_buf *b, size_t length, int line)
{
    PVOID reply;
    ULONG reply_length;
    NTSTATUS protocol, status = msvt_call(lsa, b->data, (ULONG)length, &reply, &reply_length,
                                          &protocol);

    if (status == STATUS_INVALID_PARAMETER && reply == NULL)
        return 0;
    fprintf(stderr, "line %d: 0x%08x (protocol 0x%08x), expected STATUS_INVALID_PARAMETER\n", line,
            (unsigned)status, (unsigned)protocol);
    LsaFreeReturnBuffer(reply);
    return line;
}

#define REFUSED(lsa, b, length)                                                                    \
    do {                                                                                           \
        int rc_ = refused(lsa, b, length, __LINE__);                                               \
        if (rc_ != 0)                                                                              \
            return rc_;                                                                            \
    } while (0)

/* String field S of the structure at B: outside, below, odd, longer than its maximum. */
static int bad_strings(HANDLE lsa, struct lsa_test_buf *b, PUNICODE_STRING s)
{
    UNICODE_STRING saved = *s;

    s->Buffer = (PWSTR)(void *)(b->data + b->length);
    s->Length = s->MaximumLength = 4;
    REFUSED(lsa, b, b->length);
    s->Buffer = (PWSTR)((uintptr_t)b->data - 16);
    REFUSED(lsa, b, b->length);
    *s = saved;
    s->Length = (USHORT)(s->Length + 1);
    s->MaximumLength = s->Length;
    REFUSED(lsa, b, b->length);
    *s = saved;
    s->MaximumLength = (USHORT)(s->Length - 2);
    REFUSED(lsa, b, b->length);
    *s = saved;
    return 0;
}

static int hostile(HANDLE lsa, BOOLEAN trusted)
{
    struct lsa_test_buf b;
    MSV1_0_GETCHALLENRESP_REQUEST *g;
    MSV1_0_CHANGEPASSWORD_REQUEST *c;
    MSV1_0_GETUSERINFO_REQUEST *u;
    int rc;

    /* Shorter than a MessageType. */
    u = lsa_test_buf_start(&b, sizeof(*u));
    u->MessageType = MsV1_0GetUserInfo;
    REFUSED(lsa, &b, 3);
    if (trusted) /* an untrusted caller is denied GetUserInfo whatever it sends */
        REFUSED(lsa, &b, sizeof(*u) - 4);
    lsa_test_buf_free(&b);

    g = lsa_test_buf_start(&b, sizeof(*g));
    g->MessageType = MsV1_0Lm20GetChallengeResponse;
    lsa_test_buf_add_utf16(&b, "a-password", &g->Password);
    lsa_test_buf_add_utf16(&b, "alice", &g->UserName);
    lsa_test_buf_add_utf16(&b, MSVT_DOMAIN, &g->LogonDomainName);
    lsa_test_buf_add_utf16(&b, "SERVER", &g->ServerName);
    REFUSED(lsa, &b, sizeof(MSV1_0_GETCHALLENRESP_REQUEST_V1) - 1);
    REFUSED(lsa, &b, sizeof(*g)); /* the strings are beyond the submitted bytes */
    if ((rc = bad_strings(lsa, &b, &g->Password)) != 0 ||
        (rc = bad_strings(lsa, &b, &g->UserName)) != 0 ||
        (rc = bad_strings(lsa, &b, &g->ServerName)) != 0)
        return rc;
    lsa_test_buf_free(&b);

    c = lsa_test_buf_start(&b, sizeof(*c));
    c->MessageType = MsV1_0ChangePassword;
    lsa_test_buf_add_utf16(&b, MSVT_DOMAIN, &c->DomainName);
    lsa_test_buf_add_utf16(&b, "alice", &c->AccountName);
    lsa_test_buf_add_utf16(&b, "old-password", &c->OldPassword);
    lsa_test_buf_add_utf16(&b, "new-password", &c->NewPassword);
    REFUSED(lsa, &b, sizeof(*c) - 1);
    if ((rc = bad_strings(lsa, &b, &c->DomainName)) != 0 ||
        (rc = bad_strings(lsa, &b, &c->AccountName)) != 0 ||
        (rc = bad_strings(lsa, &b, &c->OldPassword)) != 0 ||
        (rc = bad_strings(lsa, &b, &c->NewPassword)) != 0)
        return rc;
    lsa_test_buf_free(&b);
    return 0;
}

static int hostile_passthrough(HANDLE lsa)
{
    struct lsa_test_buf b;
    MSV1_0_PASSTHROUGH_REQUEST *p = lsa_test_buf_start(&b, sizeof(*p));
    PUCHAR data;
    int rc;

    p->MessageType = MsV1_0GenericPassthrough;
    lsa_test_buf_add_utf16(&b, "NTLM", &p->PackageName);
    data = (PUCHAR)lsa_test_buf_add_bytes(&b, "\0\0\0\0", 4, 8, NULL);
    p->LogonData = data;
    p->DataLength = 4;
    REFUSED(lsa, &b, sizeof(*p) - 1);
    if ((rc = bad_strings(lsa, &b, &p->PackageName)) != 0)
        return rc;
    p->DataLength = 4096;
    REFUSED(lsa, &b, b.length);
    p->DataLength = 4;
    p->LogonData = (PUCHAR)((uintptr_t)b.data - 64);
    REFUSED(lsa, &b, b.length);
    lsa_test_buf_free(&b);
    return 0;
}

static int child_hostile(void *arg)
{
    HANDLE trusted = msvt_connect(TRUE), untrusted = msvt_connect(FALSE);
    int rc;

    (void)arg;
    CHILD_CHECK(trusted != NULL && untrusted != NULL);
    rc = hostile(trusted, TRUE);
    if (rc == 0)
        rc = hostile(untrusted, FALSE);
    if (rc == 0)
        rc = hostile_passthrough(trusted);
    LsaDeregisterLogonProcess(trusted);
    LsaDeregisterLogonProcess(untrusted);
    return rc;
}

static void test_hostile_buffers(void **state)
{
    (void)state;
    lsa_test_require_root();
    msvt_setup(&env, NULL, 0);
    msvt_add_account(&env, "alice", MSVT_PASSWORD, 0, NULL);
    {
        struct lsa_test_child child;
        assert_int_equal(msvt_run_child(child_hostile, &env, env.config, 0, &child), 0);
        assert_child_ok(&child);
        lsa_test_child_free(&child);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_hostile_buffers, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
