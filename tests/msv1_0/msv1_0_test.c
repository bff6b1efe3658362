#include "msv1_0_test.h"

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <lsa/lsa_util.h>

#include "../lib/lsa_test.h"
#include "ntlm_crypto.h"

#if defined(__SANITIZE_ADDRESS__)
#define MSVT_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MSVT_LSAN 1
#endif
#endif
#ifdef MSVT_LSAN
#include <sanitizer/lsan_interface.h>
#endif

/* ---- children ---------------------------------------------------------------------- */

struct trampoline {
    int (*fn)(void *);
    void *arg;
};

static int with_leak_check(void *arg)
{
    const struct trampoline *t = arg;
    int rc = t->fn(t->arg);

#ifdef MSVT_LSAN
    if (rc == 0 && __lsan_do_recoverable_leak_check() != 0) {
        fprintf(stderr, "CHILD CHECK FAILED: memory leaked (see the report above)\n");
        rc = 1;
    }
#endif
    return rc;
}

int msvt_run_child(int (*fn)(void *), void *arg, const char *config, unsigned flags,
                   struct lsa_test_child *out)
{
    struct trampoline t = { fn, arg };
    return lsa_test_run_child(with_leak_check, &t, config, flags, out);
}

void msvt_run(struct msvt_env *env, int (*fn)(void *), struct lsa_test_child *child)
{
    assert_int_equal(msvt_run_child(fn, env, env->config, 0, child), 0);
    assert_child_ok(child);
}

void msvt_run_ok(struct msvt_env *env, int (*fn)(void *))
{
    struct lsa_test_child child;
    msvt_run(env, fn, &child);
    lsa_test_child_free(&child);
}

int msvt_teardown(void **state)
{
    (void)state;
    lsa_test_cleanup();
    return 0;
}

/* ---- environment ------------------------------------------------------------------ */

void msvt_setup(struct msvt_env *env, const char *extra, int with_echo)
{
    const char *builddir = getenv("LSA_TEST_BUILDDIR");
    const char *dir = lsa_test_temp_dir();
    FILE *f;

    if (builddir == NULL || *builddir == '\0') {
        fprintf(stderr, "# LSA_TEST_BUILDDIR is not set (run through make check)\n");
        fail();
    }
    assert_non_null(dir);
    snprintf(env->dir, sizeof(env->dir), "%s", dir);
    snprintf(env->store, sizeof(env->store), "%s/smbpasswd", dir);
    snprintf(env->config, sizeof(env->config), "%s/lsa.conf", dir);
    assert_int_equal(msv_store_create(env->store), STATUS_SUCCESS);
    f = fopen(env->config, "w");
    assert_non_null(f);
    fprintf(f, "[lsa]\npackages = msv1_0");
    if (with_echo)
        fprintf(f, " %s/echo_sspap.so", lsa_test_package_dir());
    fprintf(f, "\npackage_dir = %s/packages/msv1_0/.libs\nlog_level = debug\n", builddir);
    fprintf(f, "[msv1_0]\nstore = %s\ndomain = " MSVT_DOMAIN "\n%s", env->store,
            extra ? extra : "");
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(env->config, 0644), 0);
}

void msvt_add_account(const struct msvt_env *env, const char *name, const char *password,
                      uint32_t acb, void (*tweak)(struct msv_account *account))
{
    struct msv_store *store;
    struct msv_account a;

    memset(&a, 0, sizeof(a));
    snprintf(a.name, sizeof(a.name), "%s", name);
    a.uid = 1000;
    a.acb_flags = ACB_NORMAL | acb;
    if (password != NULL)
        assert_int_equal(msv_account_set_password(&a, password, time(NULL)), STATUS_SUCCESS);
    if (tweak != NULL)
        tweak(&a);
    assert_int_equal(msv_store_open(env->store, &store), STATUS_SUCCESS);
    assert_int_equal(msv_store_add(store, &a), STATUS_SUCCESS);
    msv_store_close(store);
}

NTSTATUS msvt_read_account(const char *path, const char *name, struct msv_account *account)
{
    struct msv_store *store;
    NTSTATUS status = msv_store_open(path, &store);

    if (status != STATUS_SUCCESS)
        return status;
    status = msv_store_lookup(store, name, account);
    msv_store_close(store);
    return status;
}

/* ---- connections and calls ----------------------------------------------------------- */

ULONG msvt_package(HANDLE lsa)
{
    LSA_STRING name = lsa_test_string(MSV1_0_PACKAGE_NAME);
    ULONG id = (ULONG)-1;

    if (LsaLookupAuthenticationPackage(lsa, &name, &id) != STATUS_SUCCESS)
        return (ULONG)-1;
    return id;
}

HANDLE msvt_connect(BOOLEAN trusted)
{
    HANDLE h = NULL;
    LSA_STRING name = lsa_test_string("test_msv1_0");
    LSA_OPERATIONAL_MODE mode;
    NTSTATUS status = trusted ? LsaRegisterLogonProcess(&name, &h, &mode) : LsaConnectUntrusted(&h);

    return status == STATUS_SUCCESS ? h : NULL;
}

void msvt_logon_free(struct msvt_logon *out)
{
    if (out->profile != NULL)
        LsaFreeReturnBuffer(out->profile);
    if (out->token != NULL)
        lsa_close_token(out->token);
    out->profile = NULL;
    out->token = NULL;
}

static NTSTATUS logon(HANDLE lsa, SECURITY_LOGON_TYPE type, struct lsa_test_buf *b,
                      struct msvt_logon *out)
{
    LSA_STRING origin = lsa_test_string("test_msv1_0");
    TOKEN_SOURCE source = { "msvtest", { 0, 0 } };
    QUOTA_LIMITS quotas;
    ULONG package = msvt_package(lsa);

    memset(out, 0, sizeof(*out));
    return LsaLogonUser(lsa, &origin, type, package, b->data, (ULONG)b->length, NULL, &source,
                        &out->profile, &out->profile_length, &out->logon_id, &out->token, &quotas,
                        &out->sub_status);
}

NTSTATUS msvt_logon_interactive(HANDLE lsa, SECURITY_LOGON_TYPE type, const char *user,
                                const char *domain, const char *password, struct msvt_logon *out)
{
    struct lsa_test_buf b;
    MSV1_0_INTERACTIVE_LOGON *l = lsa_test_buf_start(&b, sizeof(*l));
    NTSTATUS status;

    l->MessageType = MsV1_0InteractiveLogon;
    lsa_test_buf_add_utf16(&b, domain, &l->LogonDomainName);
    lsa_test_buf_add_utf16(&b, user, &l->UserName);
    lsa_test_buf_add_utf16(&b, password, &l->Password);
    status = logon(lsa, type, &b, out);
    lsa_test_buf_free(&b);
    return status;
}

NTSTATUS msvt_logon_network(HANDLE lsa, ULONG message_type, const char *user, const char *domain,
                            const uint8_t challenge[8], const void *nt, size_t nt_length,
                            const void *lm, size_t lm_length, ULONG parameter_control,
                            struct msvt_logon *out)
{
    struct lsa_test_buf b;
    MSV1_0_LM20_LOGON *l = lsa_test_buf_start(&b, sizeof(*l));
    NTSTATUS status;

    l->MessageType = (MSV1_0_LOGON_SUBMIT_TYPE)message_type;
    lsa_test_buf_add_utf16(&b, domain, &l->LogonDomainName);
    lsa_test_buf_add_utf16(&b, user, &l->UserName);
    lsa_test_buf_add_utf16(&b, "WORKSTATION", &l->Workstation);
    memcpy(l->ChallengeToClient, challenge, 8);
    lsa_test_buf_add_bytes(&b, nt, nt_length, 1, &l->CaseSensitiveChallengeResponse);
    lsa_test_buf_add_bytes(&b, lm, lm_length, 1, &l->CaseInsensitiveChallengeResponse);
    l->ParameterControl = parameter_control;
    status = logon(lsa, Network, &b, out);
    lsa_test_buf_free(&b);
    return status;
}

NTSTATUS msvt_call(HANDLE lsa, void *submit, ULONG length, PVOID *reply, ULONG *reply_length,
                   NTSTATUS *protocol)
{
    *reply = NULL;
    *reply_length = 0;
    *protocol = (NTSTATUS)0xDEADBEEF;
    return LsaCallAuthenticationPackage(lsa, msvt_package(lsa), submit, length, reply,
                                        reply_length, protocol);
}

NTSTATUS msvt_challenge(HANDLE lsa, uint8_t challenge[8], NTSTATUS *protocol)
{
    MSV1_0_LM20_CHALLENGE_REQUEST request = { MsV1_0Lm20ChallengeRequest };
    PMSV1_0_LM20_CHALLENGE_RESPONSE reply;
    ULONG length;
    NTSTATUS status = msvt_call(lsa, &request, sizeof(request), (PVOID *)&reply, &length, protocol);

    if (status != STATUS_SUCCESS)
        return status;
    if (reply == NULL || length != sizeof(*reply) || reply->MessageType != MsV1_0Lm20ChallengeRequest) {
        LsaFreeReturnBuffer(reply);
        return STATUS_INTERNAL_ERROR;
    }
    memcpy(challenge, reply->ChallengeToClient, 8);
    LsaFreeReturnBuffer(reply);
    return STATUS_SUCCESS;
}

/* ---- the client's crypto ------------------------------------------------------------- */

static int utf16(const char *s, UNICODE_STRING *u)
{
    return lsa_utf8_to_unicode_string(s, strlen(s), u) == STATUS_SUCCESS ? 0 : -1;
}

int msvt_ntlmv2(const char *password, const char *user, const char *domain,
                const uint8_t challenge[8], int64_t skew, uint8_t response[64], size_t *length,
                uint8_t session_key[16])
{
    UNICODE_STRING p, u, d;
    uint8_t nt[16], ntowf[16], *blob = response + 16;
    uint64_t ft = (uint64_t)msvt_nt_time((int64_t)time(NULL) + skew);
    int rc = -1;

    if (ntlm_crypto_init() != STATUS_SUCCESS || utf16(password, &p) != 0)
        return -1;
    if (utf16(user, &u) != 0 || utf16(domain, &d) != 0)
        goto out;
    memset(response, 0, 64);
    blob[0] = blob[1] = 1;
    for (int i = 0; i < 8; i++)
        blob[8 + i] = (uint8_t)(ft >> (8 * i));
    if (ntlm_random(blob + 16, 8) != STATUS_SUCCESS)
        goto out;
    /* 28-byte header, MsvAvEOL, 4 zero bytes */
    if (ntlm_nt_hash(p.Buffer, p.Length, nt) == STATUS_SUCCESS &&
        ntlm_ntowf_v2(nt, u.Buffer, u.Length, d.Buffer, d.Length, ntowf) == STATUS_SUCCESS &&
        ntlm_v2_proof(ntowf, challenge, blob, 36, response) == STATUS_SUCCESS &&
        ntlm_v2_session_base_key(ntowf, response, session_key) == STATUS_SUCCESS) {
        *length = 16 + 36;
        rc = 0;
    }
out:
    lsa_free_unicode_string(&p);
    lsa_free_unicode_string(&u);
    lsa_free_unicode_string(&d);
    return rc;
}

int msvt_ntlmv1(const char *password, const uint8_t challenge[8], uint8_t response[24],
                uint8_t session_key[16])
{
    UNICODE_STRING p;
    uint8_t nt[16];
    int rc;

    if (ntlm_crypto_init() != STATUS_SUCCESS || utf16(password, &p) != 0)
        return -1;
    rc = ntlm_nt_hash(p.Buffer, p.Length, nt) == STATUS_SUCCESS &&
                 ntlm_desl(nt, challenge, response) == STATUS_SUCCESS &&
                 ntlm_v1_session_base_key(nt, session_key) == STATUS_SUCCESS
             ? 0
             : -1;
    lsa_free_unicode_string(&p);
    return rc;
}

/* ---- small things ------------------------------------------------------------------------ */

int msvt_unicode_is(PCUNICODE_STRING u, const char *s)
{
    UNICODE_STRING e;
    int same;

    if (utf16(s, &e) != 0)
        return 0;
    same = u->Length == e.Length &&
           (e.Length == 0 || (u->Buffer != NULL && memcmp(u->Buffer, e.Buffer, e.Length) == 0));
    lsa_free_unicode_string(&e);
    return same;
}

int msvt_inside(const void *base, size_t size, const void *address, size_t length)
{
    uintptr_t b = (uintptr_t)base, a = (uintptr_t)address;
    return a >= b && a - b <= size && length <= size - (a - b);
}

int64_t msvt_nt_time(int64_t unix_seconds)
{
    return (unix_seconds + INT64_C(11644473600)) * INT64_C(10000000);
}

const char *msvt_computer(void)
{
    static char name[256];
    size_t n;

    if (gethostname(name, sizeof(name)) != 0)
        name[0] = '\0';
    name[sizeof(name) - 1] = '\0';
    n = strcspn(name, ".");
    name[n] = '\0';
    for (size_t i = 0; i < n; i++)
        name[i] = (char)toupper((unsigned char)name[i]);
    return n > 0 ? name : "LOCALHOST";
}
