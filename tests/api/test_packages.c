/*
 * Package loading and lookup, lsa.conf errors and handles (DESIGN.md "Package ABI",
 * spec/lsa-api.md §1.1, §3 "Package loading").
 *
 * The embedded LSA reads lsa.conf once per process, and these tests each need their
 * own: every test runs its LSA calls in a child forked from this process, which
 * itself never calls the LSA.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <lsa/ntsecapi.h>

#include "../lib/lsa_test.h"

#define CONF_HEAD "[lsa]\npackage_dir = @PKGDIR@\n"
#define CONF_BOTH CONF_HEAD "packages = echo_ap, echo_sspap\n"

/* ---- child-side helpers (no cmocka here) --------------------------------------------- */

static NTSTATUS lookup(HANDLE h, const char *name, ULONG *id)
{
    LSA_STRING s = lsa_test_string(name);
    *id = 0xdeadbeef;
    return LsaLookupAuthenticationPackage(h, &s, id);
}

#define CHILD_CHECK_ID(h, name, want)                                                        \
    do {                                                                                     \
        ULONG id_;                                                                           \
        CHILD_CHECK_STATUS(lookup((h), (name), &id_), STATUS_SUCCESS);                       \
        if (id_ != (ULONG)(want)) {                                                          \
            fprintf(stderr, "CHILD CHECK FAILED %s:%d: id of %s is %u, expected %u\n",       \
                    __FILE__, __LINE__, (name), id_, (unsigned)(want));                      \
            return __LINE__;                                                                 \
        }                                                                                    \
    } while (0)

/* The id the LSA handed the package at initialisation is the one lookups give. */
#define CHILD_CHECK_WHOAMI_ID(h, want)                                                       \
    do {                                                                                     \
        ECHO_WHOAMI_RESPONSE who_;                                                           \
        NTSTATUS proto_;                                                                     \
        CHILD_CHECK_STATUS(lsa_test_whoami((h), (want), &who_, &proto_), STATUS_SUCCESS);    \
        CHILD_CHECK(who_.PackageId == (ULONG)(want));                                        \
    } while (0)

static HANDLE child_connect(void)
{
    HANDLE h = NULL;
    if (geteuid() == 0) {
        LSA_STRING name = lsa_test_string("test_packages");
        LSA_OPERATIONAL_MODE mode;
        if (LsaRegisterLogonProcess(&name, &h, &mode) != STATUS_SUCCESS)
            return NULL;
    } else if (LsaConnectUntrusted(&h) != STATUS_SUCCESS) {
        return NULL;
    }
    return h;
}

/* Runs FN in a child under lsa.conf BODY; the child must succeed. */
static void run_child_ok(const char *body, int (*fn)(void *), void *arg,
                         struct lsa_test_child *child)
{
    const char *path = lsa_test_write_config(body);
    assert_non_null(path);
    assert_int_equal(lsa_test_run_child(fn, arg, path, 0, child), 0);
    assert_child_ok(child);
}

/* ---- both models, ids ------------------------------------------------------------------ */

static int child_both_models(void *arg)
{
    (void)arg;
    HANDLE h = child_connect();
    CHILD_CHECK(h != NULL);
    CHILD_CHECK_ID(h, ECHO_AP_NAME, 0);
    CHILD_CHECK_ID(h, ECHO_SSPAP_NAME, 1);
    CHILD_CHECK_ID(h, ECHO_SSPAP_INIT_NAME, 2);
    /* The second table's InitializePackage name wins over its SpGetInfo name. */
    ULONG id;
    CHILD_CHECK_STATUS(lookup(h, ECHO_SSPAP_WRONG_NAME, &id), STATUS_NO_SUCH_PACKAGE);
    CHILD_CHECK_WHOAMI_ID(h, 0);
    CHILD_CHECK_WHOAMI_ID(h, 1);
    CHILD_CHECK_WHOAMI_ID(h, 2);
    /* Three packages: ids 0..2 and nothing after. */
    ULONG message = EchoMessageEcho;
    PVOID reply;
    ULONG length;
    NTSTATUS protocol;
    CHILD_CHECK_STATUS(LsaCallAuthenticationPackage(h, 3, &message, sizeof(message), &reply,
                                                    &length, &protocol),
                       STATUS_NO_SUCH_PACKAGE);
    CHILD_CHECK_STATUS(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
    return 0;
}

static void test_both_models_load_with_ids_from_zero(void **state)
{
    (void)state;
    struct lsa_test_child c;
    run_child_ok(CONF_BOTH, child_both_models, NULL, &c);
    lsa_test_child_free(&c);
}

static int child_reverse_order(void *arg)
{
    (void)arg;
    HANDLE h = child_connect();
    CHILD_CHECK(h != NULL);
    CHILD_CHECK_ID(h, ECHO_SSPAP_NAME, 0);
    CHILD_CHECK_ID(h, ECHO_SSPAP_INIT_NAME, 1);
    CHILD_CHECK_ID(h, ECHO_AP_NAME, 2);
    CHILD_CHECK_WHOAMI_ID(h, 0);
    CHILD_CHECK_WHOAMI_ID(h, 1);
    CHILD_CHECK_WHOAMI_ID(h, 2);
    return 0;
}

static void test_ids_follow_lsa_conf_order(void **state)
{
    (void)state;
    struct lsa_test_child c;
    run_child_ok(CONF_HEAD "packages = echo_sspap echo_ap\n", child_reverse_order, NULL, &c);
    lsa_test_child_free(&c);
}

/* ---- lookup ------------------------------------------------------------------------------ */

static int child_lookup_case(void *arg)
{
    (void)arg;
    HANDLE h = child_connect();
    CHILD_CHECK(h != NULL);
    CHILD_CHECK_ID(h, "echoap", 0);
    CHILD_CHECK_ID(h, "ECHOAP", 0);
    CHILD_CHECK_ID(h, "eChOsSpAp", 1);
    CHILD_CHECK_ID(h, "ECHOSSPAPINIT", 2);
    /* The untrusted connection sees the same names. */
    HANDLE u;
    CHILD_CHECK_STATUS(LsaConnectUntrusted(&u), STATUS_SUCCESS);
    CHILD_CHECK_ID(u, "echosspapinit", 2);
    return 0;
}

static void test_lookup_is_case_insensitive(void **state)
{
    (void)state;
    struct lsa_test_child c;
    run_child_ok(CONF_BOTH, child_lookup_case, NULL, &c);
    lsa_test_child_free(&c);
}

static int child_lookup_ntlm(void *arg)
{
    (void)arg;
    HANDLE h = child_connect();
    CHILD_CHECK(h != NULL);
    ULONG id;
    /* NTLM is an alias of MSV1_0, and no MSV1_0 is loaded here. */
    CHILD_CHECK_STATUS(lookup(h, "NTLM", &id), STATUS_NO_SUCH_PACKAGE);
    CHILD_CHECK_STATUS(lookup(h, "ntlm", &id), STATUS_NO_SUCH_PACKAGE);
    CHILD_CHECK_STATUS(lookup(h, MSV1_0_PACKAGE_NAME, &id), STATUS_NO_SUCH_PACKAGE);
    CHILD_CHECK_STATUS(lookup(h, MICROSOFT_KERBEROS_NAME_A, &id), STATUS_NO_SUCH_PACKAGE);
    CHILD_CHECK(id == 0xdeadbeef); /* untouched on failure */
    return 0;
}

static void test_lookup_ntlm_alias_needs_msv1_0(void **state)
{
    (void)state;
    struct lsa_test_child c;
    run_child_ok(CONF_BOTH, child_lookup_ntlm, NULL, &c);
    lsa_test_child_free(&c);
}

static int child_lookup_config_name(void *arg)
{
    (void)arg;
    HANDLE h = child_connect();
    CHILD_CHECK(h != NULL);
    CHILD_CHECK_ID(h, "echo_ap", 0);
    CHILD_CHECK_ID(h, "ECHO_AP", 0);
    /* A file with two packages: its lsa.conf name finds the first. */
    CHILD_CHECK_ID(h, "echo_sspap", 1);
    return 0;
}

static void test_lookup_by_lsa_conf_name(void **state)
{
    (void)state;
    struct lsa_test_child c;
    run_child_ok(CONF_BOTH, child_lookup_config_name, NULL, &c);
    lsa_test_child_free(&c);
}

static int child_lookup_unknown(void *arg)
{
    (void)arg;
    HANDLE h = child_connect();
    CHILD_CHECK(h != NULL);
    ULONG id;
    CHILD_CHECK_STATUS(lookup(h, "NoSuchPackage", &id), STATUS_NO_SUCH_PACKAGE);
    CHILD_CHECK_STATUS(lookup(h, "Echo", &id), STATUS_NO_SUCH_PACKAGE);     /* prefix */
    CHILD_CHECK_STATUS(lookup(h, "EchoAPX", &id), STATUS_NO_SUCH_PACKAGE);  /* longer */
    CHILD_CHECK_STATUS(lookup(h, "EchoAP ", &id), STATUS_NO_SUCH_PACKAGE);  /* trailing space */
    CHILD_CHECK_STATUS(lookup(h, "", &id), STATUS_NO_SUCH_PACKAGE);
    /* Length counts, not a terminator: the first 6 bytes of "EchoAPXYZ" are EchoAP. */
    char unterminated[9];
    memcpy(unterminated, "EchoAPXYZ", 9);
    LSA_STRING s = { 6, 9, unterminated };
    CHILD_CHECK_STATUS(LsaLookupAuthenticationPackage(h, &s, &id), STATUS_SUCCESS);
    CHILD_CHECK(id == 0);
    /* An embedded NUL is part of the name, not its end. */
    LSA_STRING with_nul = { 7, 8, "EchoAP\0" };
    CHILD_CHECK_STATUS(LsaLookupAuthenticationPackage(h, &with_nul, &id), STATUS_NO_SUCH_PACKAGE);
    return 0;
}

static void test_lookup_unknown_name(void **state)
{
    (void)state;
    struct lsa_test_child c;
    run_child_ok(CONF_BOTH, child_lookup_unknown, NULL, &c);
    lsa_test_child_free(&c);
}

static int child_lookup_lengths(void *arg)
{
    (void)arg;
    HANDLE h = child_connect();
    CHILD_CHECK(h != NULL);
    char name[200];
    memset(name, 'A', sizeof(name));
    ULONG id = 0xdeadbeef;
    LSA_STRING s127 = { 127, 127, name };
    CHILD_CHECK_STATUS(LsaLookupAuthenticationPackage(h, &s127, &id), STATUS_NO_SUCH_PACKAGE);
    LSA_STRING s128 = { 128, 128, name };
    CHILD_CHECK_STATUS(LsaLookupAuthenticationPackage(h, &s128, &id), STATUS_NAME_TOO_LONG);
    LSA_STRING s200 = { 200, 200, name };
    CHILD_CHECK_STATUS(LsaLookupAuthenticationPackage(h, &s200, &id), STATUS_NAME_TOO_LONG);
    CHILD_CHECK(id == 0xdeadbeef);
    /* Malformed strings and out-parameters. */
    LSA_STRING over = { 6, 5, "EchoAP" };
    CHILD_CHECK_STATUS(LsaLookupAuthenticationPackage(h, &over, &id), STATUS_INVALID_PARAMETER);
    LSA_STRING null_buffer = { 6, 6, NULL };
    CHILD_CHECK_STATUS(LsaLookupAuthenticationPackage(h, &null_buffer, &id),
                       STATUS_INVALID_PARAMETER);
    CHILD_CHECK_STATUS(LsaLookupAuthenticationPackage(h, NULL, &id), STATUS_INVALID_PARAMETER);
    LSA_STRING good = lsa_test_string(ECHO_AP_NAME);
    CHILD_CHECK_STATUS(LsaLookupAuthenticationPackage(h, &good, NULL), STATUS_INVALID_PARAMETER);
    return 0;
}

static void test_lookup_name_over_127_bytes_is_too_long(void **state)
{
    (void)state;
    struct lsa_test_child c;
    run_child_ok(CONF_BOTH, child_lookup_lengths, NULL, &c);
    lsa_test_child_free(&c);
}

/* ---- broken packages ------------------------------------------------------------------------ */

static int child_broken_packages(void *arg)
{
    (void)arg;
    HANDLE h = child_connect();
    CHILD_CHECK(h != NULL);
    /* broken_init, not_a_package, ap_no_call and the missing file take no id. */
    CHILD_CHECK_ID(h, ECHO_AP_NAME, 0);
    CHILD_CHECK_ID(h, ECHO_SSPAP_NAME, 1);
    CHILD_CHECK_ID(h, ECHO_SSPAP_INIT_NAME, 2);
    CHILD_CHECK_WHOAMI_ID(h, 0);
    CHILD_CHECK_WHOAMI_ID(h, 1);
    CHILD_CHECK_WHOAMI_ID(h, 2);
    ULONG id;
    CHILD_CHECK_STATUS(lookup(h, "broken_init", &id), STATUS_NO_SUCH_PACKAGE);
    CHILD_CHECK_STATUS(lookup(h, "not_a_package", &id), STATUS_NO_SUCH_PACKAGE);
    CHILD_CHECK_STATUS(lookup(h, "ap_no_call", &id), STATUS_NO_SUCH_PACKAGE);
    CHILD_CHECK_STATUS(lookup(h, "does_not_exist", &id), STATUS_NO_SUCH_PACKAGE);
    ULONG message = EchoMessageEcho;
    PVOID reply;
    ULONG length;
    NTSTATUS protocol;
    CHILD_CHECK_STATUS(LsaCallAuthenticationPackage(h, 3, &message, sizeof(message), &reply,
                                                    &length, &protocol),
                       STATUS_NO_SUCH_PACKAGE);
    return 0;
}

/* The log line about package NAME names its file and contains REASON. */
static void assert_package_logged(const struct lsa_test_child *c, const char *name,
                                  const char *reason)
{
    char file[4200];
    snprintf(file, sizeof(file), "%s/%s.so", lsa_test_package_dir(), name);
    const char *line = c->log ? strstr(c->log, file) : NULL;
    if (line == NULL) {
        assert_log_has(c, file);
        return;
    }
    while (line > c->log && line[-1] != '\n')
        line--;
    const char *end = strchr(line, '\n');
    size_t n = end ? (size_t)(end - line) : strlen(line);
    char *copy = strndup(line, n);
    assert_non_null(copy);
    if (strstr(copy, reason) == NULL)
        fprintf(stderr, "# log line \"%s\" lacks \"%s\"\n", copy, reason);
    assert_non_null(strstr(copy, reason));
    free(copy);
}

static void test_broken_packages_are_logged_and_skipped(void **state)
{
    (void)state;
    struct lsa_test_child c;
    run_child_ok(CONF_HEAD "packages = broken_init, echo_ap, not_a_package, ap_no_call, "
                           "does_not_exist, echo_sspap\n",
                 child_broken_packages, NULL, &c);
    assert_package_logged(&c, "broken_init",
                          "LsaApInitializePackage failed with STATUS_INSUFFICIENT_RESOURCES");
    assert_package_logged(&c, "not_a_package", "missing symbol");
    assert_package_logged(&c, "not_a_package", "SpLsaModeInitialize");
    assert_package_logged(&c, "ap_no_call", "missing symbol LsaApCallPackage");
    assert_package_logged(&c, "does_not_exist", "cannot load");
    lsa_test_child_free(&c);
}

static int child_nothing_loaded(void *arg)
{
    (void)arg;
    HANDLE h;
    /* The LSA runs without packages; every package is unknown. */
    CHILD_CHECK_STATUS(LsaConnectUntrusted(&h), STATUS_SUCCESS);
    ULONG id;
    CHILD_CHECK_STATUS(lookup(h, ECHO_AP_NAME, &id), STATUS_NO_SUCH_PACKAGE);
    ULONG message = EchoMessageEcho;
    PVOID reply;
    ULONG length;
    NTSTATUS protocol;
    CHILD_CHECK_STATUS(LsaCallAuthenticationPackage(h, 0, &message, sizeof(message), &reply,
                                                    &length, &protocol),
                       STATUS_NO_SUCH_PACKAGE);
    return 0;
}

static void test_no_loadable_package_leaves_lsa_usable(void **state)
{
    (void)state;
    struct lsa_test_child c;
    run_child_ok(CONF_HEAD "packages = does_not_exist\n", child_nothing_loaded, NULL, &c);
    assert_package_logged(&c, "does_not_exist", "cannot load");
    assert_log_has(&c, "no authentication package loaded");
    lsa_test_child_free(&c);
}

/* ---- malformed lsa.conf ------------------------------------------------------------------ */

struct bad_config {
    const char *body; /* NULL: the file does not exist */
    int line;         /* 0: the message has no line */
    const char *reason;
};

static int child_bad_config(void *arg)
{
    (void)arg;
    HANDLE h = (HANDLE)0x1;
    CHILD_CHECK_STATUS(LsaConnectUntrusted(&h), STATUS_INVALID_SERVER_STATE);
    CHILD_CHECK(h == NULL);
    LSA_STRING name = lsa_test_string("test_packages");
    LSA_OPERATIONAL_MODE mode;
    CHILD_CHECK_STATUS(LsaRegisterLogonProcess(&name, &h, &mode), STATUS_INVALID_SERVER_STATE);
    CHILD_CHECK(h == NULL);
    ULONG count;
    PLUID list;
    CHILD_CHECK_STATUS(LsaEnumerateLogonSessions(&count, &list), STATUS_INVALID_SERVER_STATE);
    /* Asked again: the same answer, and the cause logged only once. */
    CHILD_CHECK_STATUS(LsaConnectUntrusted(&h), STATUS_INVALID_SERVER_STATE);
    return 0;
}

static void test_malformed_config(void **state)
{
    const struct bad_config *bad = *state;
    const char *path;
    char missing[4200];
    if (bad->body != NULL) {
        path = lsa_test_write_config(bad->body);
        assert_non_null(path);
    } else {
        const char *any = lsa_test_write_config("");
        assert_non_null(any);
        snprintf(missing, sizeof(missing), "%s.missing/lsa.conf", any);
        path = missing;
    }
    struct lsa_test_child c;
    assert_int_equal(lsa_test_run_child(child_bad_config, NULL, path, 0, &c), 0);
    assert_child_ok(&c);

    char where[4300];
    if (bad->line > 0)
        snprintf(where, sizeof(where), "%s:%d: ", path, bad->line);
    else
        snprintf(where, sizeof(where), "%s: ", path);
    assert_log_has(&c, where);
    if (lsa_test_log_count(&c, where) != 1)
        fprintf(stderr, "# \"%s\" logged %d times, expected once\n", where,
                lsa_test_log_count(&c, where));
    assert_int_equal(lsa_test_log_count(&c, where), 1);
    assert_log_has(&c, bad->reason);
    lsa_test_child_free(&c);
}

static const struct bad_config bad_unknown_key = {
    CONF_HEAD "packages = echo_ap\n# a comment\n\nbogus_key = 1\n", 6, "unknown key 'bogus_key'"
};
static const struct bad_config bad_client_quota = {
    CONF_HEAD "packages = echo_ap\nclient_quota = 12x\n", 4, "client_quota"
};
static const struct bad_config bad_client_quota_zero = {
    "[lsa]\nclient_quota = 0\npackage_dir = @PKGDIR@\npackages = echo_ap\n", 2, "client_quota"
};
static const struct bad_config bad_key_outside_section = {
    "packages = echo_ap\n" CONF_HEAD, 1, "outside a section"
};
static const struct bad_config bad_syntax_error = {
    CONF_HEAD "packages = echo_ap\nthis line has no equals sign\n", 4, "syntax error"
};
static const struct bad_config bad_unterminated_section = {
    CONF_HEAD "packages = echo_ap\n[echo_ap\ngreeting = x\n", 4, "syntax error"
};
static const struct bad_config bad_relative_package_dir = {
    "[lsa]\npackages = echo_ap\npackage_dir = relative/dir\n", 3, "absolute"
};
static const struct bad_config bad_mode = {
    CONF_HEAD "packages = echo_ap\nmode = turbo\n", 4, "mode"
};
static const struct bad_config bad_no_packages = {
    CONF_HEAD "log_level = info\n", 0, "packages"
};
static const struct bad_config bad_missing_file = { NULL, 0, "cannot open" };

/* ---- package sections ------------------------------------------------------------------ */

struct greeting_check {
    const char *expected;
};

static NTSTATUS greeting_of(HANDLE h, ULONG id, char *out, size_t size)
{
    ULONG message = EchoMessageConfig;
    PVOID reply;
    ULONG length;
    NTSTATUS protocol;
    NTSTATUS status = LsaCallAuthenticationPackage(h, id, &message, sizeof(message), &reply,
                                                   &length, &protocol);
    if (status != STATUS_SUCCESS)
        return status;
    if (length < sizeof(ECHO_CONFIG_RESPONSE) || protocol != STATUS_SUCCESS) {
        fprintf(stderr, "Config reply: %u bytes, ProtocolStatus 0x%08x\n", length,
                (unsigned)protocol);
        LsaFreeReturnBuffer(reply);
        return STATUS_INTERNAL_ERROR;
    }
    const ECHO_CONFIG_RESPONSE *r = reply;
    snprintf(out, size, "%.*s", (int)sizeof(r->Greeting), r->Greeting);
    LsaFreeReturnBuffer(reply);
    return STATUS_SUCCESS;
}

static int child_greeting(void *arg)
{
    const struct greeting_check *check = arg;
    HANDLE h = child_connect();
    CHILD_CHECK(h != NULL);
    char greeting[256];
    ULONG ids[2];
    CHILD_CHECK_STATUS(lookup(h, ECHO_SSPAP_NAME, &ids[0]), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(lookup(h, ECHO_SSPAP_INIT_NAME, &ids[1]), STATUS_SUCCESS);
    for (size_t i = 0; i < 2; i++) {
        CHILD_CHECK_STATUS(greeting_of(h, ids[i], greeting, sizeof(greeting)), STATUS_SUCCESS);
        if (strcmp(greeting, check->expected) != 0) {
            fprintf(stderr, "package %u: greeting \"%s\", expected \"%s\"\n", ids[i], greeting,
                    check->expected);
            return __LINE__;
        }
    }
    return 0;
}

static void test_package_section_reaches_package(void **state)
{
    (void)state;
    /* Its section by its lsa.conf name, case-insensitively; the last value wins; another
     * package's section is not its own. */
    struct greeting_check check = { "hello from lsa.conf" };
    struct lsa_test_child c;
    run_child_ok(CONF_BOTH "[echo_ap]\ngreeting = wrong section\n"
                           "[Echo_SSPAP]\ngreeting = first value\ngreeting = hello from lsa.conf\n",
                 child_greeting, &check, &c);
    lsa_test_child_free(&c);
}

static void test_package_without_section_gets_nothing(void **state)
{
    (void)state;
    struct greeting_check check = { "" };
    struct lsa_test_child c;
    run_child_ok(CONF_BOTH "[echo_ap]\ngreeting = not for echo_sspap\n", child_greeting, &check,
                 &c);
    lsa_test_child_free(&c);
}

static void test_empty_package_list_leaves_lsa_usable(void **state)
{
    (void)state;
    /* lsa.conf(5): packages is required but may be empty. */
    struct lsa_test_child c;
    run_child_ok(CONF_HEAD "packages =\n", child_nothing_loaded, NULL, &c);
    lsa_test_child_free(&c);
}

static int child_by_path(void *arg)
{
    const struct greeting_check *check = arg;
    HANDLE h = child_connect();
    CHILD_CHECK(h != NULL);
    CHILD_CHECK_ID(h, ECHO_SSPAP_NAME, 0);
    CHILD_CHECK_ID(h, ECHO_SSPAP_INIT_NAME, 1);
    CHILD_CHECK_ID(h, ECHO_AP_NAME, 2);
    char greeting[256];
    CHILD_CHECK_STATUS(greeting_of(h, 0, greeting, sizeof(greeting)), STATUS_SUCCESS);
    if (strcmp(greeting, check->expected) != 0) {
        fprintf(stderr, "greeting \"%s\", expected \"%s\"\n", greeting, check->expected);
        return __LINE__;
    }
    return 0;
}

/* An absolute path in packages is loaded as given, and its file name without ".so" names
 * its section (lsa.conf(5)), however long the path. */
static void check_absolute_path_entry(const char *subdir)
{
    const char *dir = lsa_test_temp_dir();
    assert_non_null(dir);
    char where[4096], link[4200], target[4200], body[9000];
    snprintf(where, sizeof(where), "%s%s%s", dir, subdir ? "/" : "", subdir ? subdir : "");
    if (subdir != NULL)
        assert_int_equal(mkdir(where, 0755), 0);
    snprintf(link, sizeof(link), "%s/e.so", where);
    snprintf(target, sizeof(target), "%s/echo_sspap.so", lsa_test_package_dir());
    assert_int_equal(symlink(target, link), 0);
    snprintf(body, sizeof(body),
             CONF_HEAD "packages = %s echo_ap\n[e]\ngreeting = found by path\n", link);
    struct greeting_check check = { "found by path" };
    struct lsa_test_child c;
    run_child_ok(body, child_by_path, &check, &c);
    lsa_test_child_free(&c);
}

static void test_absolute_path_entry(void **state)
{
    (void)state;
    check_absolute_path_entry(NULL);
}

static void test_absolute_path_entry_long_path(void **state)
{
    (void)state;
    /* A path of some 70 bytes, as build trees have. */
    check_absolute_path_entry("a-directory-whose-name-makes-the-path-long-xx");
}

static int child_mode_daemon(void *arg)
{
    (void)arg;
    HANDLE h;
    NTSTATUS status = LsaConnectUntrusted(&h);
    CHILD_CHECK_STATUS(status, STATUS_OBJECT_NAME_NOT_FOUND);
    CHILD_CHECK(lsa_status_is_lsa_unreachable(status));
    CHILD_CHECK(!lsa_status_is_lsa_unreachable(STATUS_PORT_CONNECTION_REFUSED));
    LSA_STRING name = lsa_test_string("test");
    LSA_OPERATIONAL_MODE mode;
    CHILD_CHECK_STATUS(LsaRegisterLogonProcess(&name, &h, &mode), STATUS_OBJECT_NAME_NOT_FOUND);
    LUID system = SYSTEM_LUID;
    PSECURITY_LOGON_SESSION_DATA d;
    CHILD_CHECK_STATUS(LsaGetLogonSessionData(&system, &d), STATUS_OBJECT_NAME_NOT_FOUND);
    return 0;
}

/* lsa.conf(5): mode = daemon and nothing listening at the socket: the LSA is unreachable,
 * and the log says where it was looked for. */
static void test_mode_daemon_without_lsad(void **state)
{
    (void)state;
    if (lsa_test_not_in_daemon_mode())
        return;
    struct lsa_test_child c;
    run_child_ok(CONF_BOTH "mode = daemon\nsocket = /nonexistent/lsa/lsad.sock\n",
                 child_mode_daemon, NULL, &c);
    assert_log_has(&c, "lsad is not reachable at /nonexistent/lsa/lsad.sock");
    lsa_test_child_free(&c);
}

/* <lsa/lsa_ext.h> lsa_use_embedded_transport: a daemon-mode process that cannot reach lsad
 * moves to the embedded LSA (pam_lsa daemon_fallback=embedded). */
static int child_fallback_embedded(void *arg)
{
    (void)arg;
    HANDLE h;
    CHILD_CHECK_STATUS(LsaConnectUntrusted(&h), STATUS_OBJECT_NAME_NOT_FOUND);
    const char *path = lsa_daemon_socket_path();
    CHILD_CHECK(path != NULL && strcmp(path, "/nonexistent/lsa/lsad.sock") == 0);
    CHILD_CHECK_STATUS(lsa_use_embedded_transport(), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(lsa_use_embedded_transport(), STATUS_SUCCESS); /* again: a no-op */
    return child_both_models(NULL);
}

static void test_mode_daemon_fallback_embedded(void **state)
{
    (void)state;
    if (lsa_test_not_in_daemon_mode())
        return;
    struct lsa_test_child c;
    run_child_ok(CONF_BOTH "mode = daemon\nsocket = /nonexistent/lsa/lsad.sock\n",
                 child_fallback_embedded, NULL, &c);
    assert_log_has(&c, "the embedded LSA serves this process from now on");
    lsa_test_child_free(&c);
}

static void test_mode_auto_is_embedded(void **state)
{
    (void)state;
    if (lsa_test_not_in_daemon_mode())
        return;
    struct lsa_test_child c;
    run_child_ok(CONF_BOTH "mode = auto\nsocket = /nonexistent/lsa/lsad.sock\n",
                 child_both_models, NULL, &c);
    lsa_test_child_free(&c);
}

/* ---- handles ------------------------------------------------------------------------------ */

static NTSTATUS echo_call(HANDLE h, ULONG id)
{
    ULONG message = EchoMessageEcho;
    PVOID reply = NULL;
    ULONG length;
    NTSTATUS protocol;
    NTSTATUS status = LsaCallAuthenticationPackage(h, id, &message, sizeof(message), &reply,
                                                   &length, &protocol);
    LsaFreeReturnBuffer(reply);
    return status;
}

static NTSTATUS logon_call(HANDLE h)
{
    struct lsa_test_buf b;
    ECHO_LOGON *logon = lsa_test_buf_start(&b, sizeof(*logon));
    logon->MessageType = ECHO_LOGON_TYPE;
    lsa_test_buf_add_utf16(&b, "root", &logon->UserName);
    lsa_test_buf_add_utf16(&b, "pw-root", &logon->Password);
    LSA_STRING origin = lsa_test_string("test_packages");
    TOKEN_SOURCE source = { "lsatest", { 0, 0 } };
    PVOID profile = NULL;
    ULONG profile_length;
    LUID luid;
    HANDLE token = NULL;
    QUOTA_LIMITS quotas;
    NTSTATUS sub;
    NTSTATUS status = LsaLogonUser(h, &origin, Interactive, 0, logon, (ULONG)b.length, NULL,
                                   &source, &profile, &profile_length, &luid, &token, &quotas,
                                   &sub);
    lsa_test_buf_free(&b);
    if (status == STATUS_SUCCESS) {
        LsaFreeReturnBuffer(profile);
        lsa_close_token(token);
    }
    return status;
}

/* Every call that takes a connection handle refuses H. */
static int check_handle_refused(HANDLE h)
{
    ULONG id;
    CHILD_CHECK_STATUS(lookup(h, ECHO_AP_NAME, &id), STATUS_INVALID_HANDLE);
    CHILD_CHECK_STATUS(echo_call(h, 0), STATUS_INVALID_HANDLE);
    CHILD_CHECK_STATUS(logon_call(h), STATUS_INVALID_HANDLE);
    LUID system = SYSTEM_LUID;
    CHILD_CHECK_STATUS(lsa_terminate_logon_session(h, &system), STATUS_INVALID_HANDLE);
    CHILD_CHECK_STATUS(LsaDeregisterLogonProcess(h), STATUS_INVALID_HANDLE);
    return 0;
}

static int child_deregister_reuse(void *arg)
{
    (void)arg;
    for (int trusted = 0; trusted < 2; trusted++) {
        HANDLE h;
        if (trusted) {
            h = child_connect();
            CHILD_CHECK(h != NULL);
        } else {
            CHILD_CHECK_STATUS(LsaConnectUntrusted(&h), STATUS_SUCCESS);
        }
        CHILD_CHECK_STATUS(echo_call(h, 0), STATUS_SUCCESS);
        CHILD_CHECK_STATUS(logon_call(h), STATUS_SUCCESS);
        CHILD_CHECK_STATUS(LsaDeregisterLogonProcess(h), STATUS_SUCCESS);
        int rc = check_handle_refused(h);
        if (rc != 0)
            return rc;
        /* A new connection may take the closed one's slot: the old handle stays dead. */
        HANDLE again;
        CHILD_CHECK_STATUS(LsaConnectUntrusted(&again), STATUS_SUCCESS);
        CHILD_CHECK(again != h);
        rc = check_handle_refused(h);
        if (rc != 0)
            return rc;
        CHILD_CHECK_STATUS(echo_call(again, 0), STATUS_SUCCESS);
        CHILD_CHECK_STATUS(LsaDeregisterLogonProcess(again), STATUS_SUCCESS);
    }
    return 0;
}

static void test_deregistered_handle_is_invalid(void **state)
{
    (void)state;
    struct lsa_test_child c;
    run_child_ok(CONF_BOTH, child_deregister_reuse, NULL, &c);
    lsa_test_child_free(&c);
}

static int child_forged_handles(void *arg)
{
    (void)arg;
    HANDLE real;
    CHILD_CHECK_STATUS(LsaConnectUntrusted(&real), STATUS_SUCCESS);
    uintptr_t v = (uintptr_t)real;
    int on_stack = 0;
    HANDLE forged[] = {
        NULL,
        (HANDLE)(uintptr_t)1,
        (HANDLE)(uintptr_t)0x12345678,
        (HANDLE)UINTPTR_MAX,
        (HANDLE)&on_stack,
        (HANDLE)(v + ((uintptr_t)1 << 32)), /* same slot, another generation */
        (HANDLE)(v + 1),                    /* the next slot, not open */
        (HANDLE)(v & 0xffffffffu),          /* generation 0 */
    };
    for (size_t i = 0; i < sizeof(forged) / sizeof(forged[0]); i++) {
        int rc = check_handle_refused(forged[i]);
        if (rc != 0) {
            fprintf(stderr, "forged handle %p accepted\n", forged[i]);
            return rc;
        }
    }
    /* None of that closed or damaged the real one. */
    CHILD_CHECK_STATUS(echo_call(real, 0), STATUS_SUCCESS);
    CHILD_CHECK_STATUS(LsaDeregisterLogonProcess(real), STATUS_SUCCESS);
    return 0;
}

static void test_forged_handles_are_invalid(void **state)
{
    (void)state;
    struct lsa_test_child c;
    run_child_ok(CONF_BOTH, child_forged_handles, NULL, &c);
    lsa_test_child_free(&c);
}

static int group_teardown(void **state)
{
    (void)state;
    lsa_test_cleanup();
    return 0;
}

#define BAD_CONFIG_TEST(name, data) \
    { "malformed_config_" name, test_malformed_config, NULL, NULL, (void *)&(data) }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_both_models_load_with_ids_from_zero),
        cmocka_unit_test(test_ids_follow_lsa_conf_order),
        cmocka_unit_test(test_lookup_is_case_insensitive),
        cmocka_unit_test(test_lookup_ntlm_alias_needs_msv1_0),
        cmocka_unit_test(test_lookup_by_lsa_conf_name),
        cmocka_unit_test(test_lookup_unknown_name),
        cmocka_unit_test(test_lookup_name_over_127_bytes_is_too_long),
        cmocka_unit_test(test_broken_packages_are_logged_and_skipped),
        cmocka_unit_test(test_no_loadable_package_leaves_lsa_usable),
        BAD_CONFIG_TEST("unknown_key", bad_unknown_key),
        BAD_CONFIG_TEST("bad_client_quota", bad_client_quota),
        BAD_CONFIG_TEST("zero_client_quota", bad_client_quota_zero),
        BAD_CONFIG_TEST("key_outside_section", bad_key_outside_section),
        BAD_CONFIG_TEST("syntax_error", bad_syntax_error),
        BAD_CONFIG_TEST("unterminated_section", bad_unterminated_section),
        BAD_CONFIG_TEST("relative_package_dir", bad_relative_package_dir),
        BAD_CONFIG_TEST("bad_mode", bad_mode),
        BAD_CONFIG_TEST("no_packages", bad_no_packages),
        BAD_CONFIG_TEST("missing_file", bad_missing_file),
        cmocka_unit_test(test_package_section_reaches_package),
        cmocka_unit_test(test_package_without_section_gets_nothing),
        cmocka_unit_test(test_empty_package_list_leaves_lsa_usable),
        cmocka_unit_test(test_absolute_path_entry),
        cmocka_unit_test(test_absolute_path_entry_long_path),
        cmocka_unit_test(test_mode_daemon_without_lsad),
        cmocka_unit_test(test_mode_daemon_fallback_embedded),
        cmocka_unit_test(test_mode_auto_is_embedded),
        cmocka_unit_test(test_deregistered_handle_is_invalid),
        cmocka_unit_test(test_forged_handles_are_invalid),
    };
    return cmocka_run_group_tests_name("packages", tests, NULL, group_teardown);
}
