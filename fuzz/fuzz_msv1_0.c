/*
 * libFuzzer harness for every MSV1_0 submit buffer (packages/msv1_0/messages.c,
 * msg_*.c, logon*.c; layouts in <lsa/ntsecapi_msv1_0.h>): the real msv1_0 package,
 * built with the fuzzer's instrumentation as fuzz/msv1_0.so, loaded by the real LSA
 * (every lsa_core source, linked in), reached only through LsaCallAuthenticationPackage and
 * LsaLogonUser on a trusted and an untrusted handle.
 *
 * Input:
 *   [0]   selector: bits 0-4 the kind (mod KIND_COUNT, table below); bit 5 the untrusted
 *         handle; bit 6 "live" (per kind, below); bit 7 keep every MaximumLength as sent
 *         (else one below Length is raised to Length, so the strings relocate)
 *   [1..] the submit buffer, passed in a malloc of exactly its length (AddressSanitizer
 *         sees any read past it in the LSA's copy of it)
 *
 * A random pointer is almost always refused by the relocation check, so the Buffer of
 * every UNICODE_STRING / STRING / PUCHAR of the selected structure that fits in the
 * buffer is rewritten to base + (value mod (length + 1)): inside the buffer or just past
 * it, odd offsets and lengths still possible.  A passthrough's inner message (at
 * LogonData) gets the same treatment against LogonData's address.
 *
 * "Live": the LogonId of GetUserInfo / GetChallengeResponse becomes the session the
 * harness logged on at start (so the session record and its NTOWF credential are
 * found); a network logon's ChallengeToClient becomes one just issued to the same
 * handle (so the verifier runs).  The ntlmv2 kind always gets a fresh challenge, and
 * a response shaped as NTLMv2 (RespType 1, HiRespType 1) whose NTProofStr is computed
 * for alice's password over the request's own user, domain and blob, so a logon can
 * succeed with fuzzed AV pairs; live there means the timestamp becomes now plus its own
 * low 16 bits as signed seconds (else it is left as sent).
 *
 * The store (alice, password "Secret123") lives in a temporary directory with
 * lsa.conf (on /dev/shm when there is one; removed at exit, or by the next start after a
 * crash); lockout is off, and a password change that went through is undone after the
 * input, so every input sees the same accounts.  FUZZ_MSV1_0_STATS=1 prints, at exit,
 * the distinct (status, ProtocolStatus or SubStatus) outcomes of each kind.
 * FUZZ_MSV1_0_SO overrides the package's path (default: msv1_0.so beside the harness).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <lsa/lsa_ext.h>
#include <lsa/lsa_status.h>
#include <lsa/ntsecapi.h>

#include "fuzz_lsa.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

const char fuzz_lsa_name[] = "fuzz_msv1_0";

#define USER "alice"
#define PASSWORD "Secret123"
#define DOMAIN "LABDOM"
/* MD4(UTF-16LE("Secret123")): openssl dgst -md4 -provider legacy */
static const uint8_t alice_nt_hash[16] = { 0x63, 0x64, 0x79, 0x65, 0xf1, 0x35, 0x44, 0xc6,
                                           0x55, 0x1d, 0x5f, 0xdb, 0x7f, 0xfd, 0x13, 0xe0 };
static const char smbpasswd_line[] =
    USER ":1000:XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX:63647965F13544C6551D5FDB7FFD13E0:"
         "[U          ]:LCT-66000000:\n";

#define SEL_UNTRUSTED 0x20u
#define SEL_LIVE 0x40u
#define SEL_RAW_MAX 0x80u
#define KEEP_TYPE 0xFFFFFFFFu      /* MessageType as sent */
#define TYPE_FROM_PADDING (-1)     /* logon type: bytes [4, 8), the padding after MessageType */
#define GCR_V1_MAX_LENGTH (sizeof(MSV1_0_GETCHALLENRESP_REQUEST) - 1)
#define FILETIME_UNIX_EPOCH INT64_C(11644473600)

enum api { CALL, LOGON };
enum kind {
    K_CHALLENGE, K_GCR_V1, K_GCR, K_ENUM_USERS, K_USER_INFO, K_CHANGE_PASSWORD,
    K_PASSTHROUGH, K_CALL_ANY, K_INTERACTIVE, K_BATCH, K_SERVICE, K_NETWORK_CLEARTEXT,
    K_INTERACTIVE_OTHER, K_LM20, K_NETWORK, K_NTLMV2, K_LOGON_ANY, KIND_COUNT
};
static const struct {
    const char *name;
    enum api api;
    ULONG message_type;
    int logon_type;
} kinds[KIND_COUNT] = {
    [K_CHALLENGE] = { "challenge-request", CALL, MsV1_0Lm20ChallengeRequest, 0 },
    [K_GCR_V1] = { "get-challenge-response-v1", CALL, MsV1_0Lm20GetChallengeResponse, 0 },
    [K_GCR] = { "get-challenge-response", CALL, MsV1_0Lm20GetChallengeResponse, 0 },
    [K_ENUM_USERS] = { "enumerate-users", CALL, MsV1_0EnumerateUsers, 0 },
    [K_USER_INFO] = { "get-user-info", CALL, MsV1_0GetUserInfo, 0 },
    [K_CHANGE_PASSWORD] = { "change-password", CALL, MsV1_0ChangePassword, 0 },
    [K_PASSTHROUGH] = { "generic-passthrough", CALL, MsV1_0GenericPassthrough, 0 },
    [K_CALL_ANY] = { "call-any-type", CALL, KEEP_TYPE, 0 },
    [K_INTERACTIVE] = { "interactive", LOGON, MsV1_0InteractiveLogon, Interactive },
    [K_BATCH] = { "batch", LOGON, MsV1_0InteractiveLogon, Batch },
    [K_SERVICE] = { "service", LOGON, MsV1_0InteractiveLogon, Service },
    [K_NETWORK_CLEARTEXT] = { "network-cleartext", LOGON, MsV1_0InteractiveLogon,
                              NetworkCleartext },
    [K_INTERACTIVE_OTHER] = { "interactive-other-type", LOGON, MsV1_0InteractiveLogon,
                              TYPE_FROM_PADDING },
    [K_LM20] = { "lm20-logon", LOGON, MsV1_0Lm20Logon, Network },
    [K_NETWORK] = { "network-logon", LOGON, MsV1_0NetworkLogon, Network },
    [K_NTLMV2] = { "network-logon-ntlmv2", LOGON, MsV1_0NetworkLogon, Network },
    [K_LOGON_ANY] = { "logon-any-type", LOGON, KEEP_TYPE, TYPE_FROM_PADDING },
};

static struct {
    char dir[PATH_MAX];
    char store[PATH_MAX + 32];
    char config[PATH_MAX + 32];
    HANDLE handle[2]; /* [0] trusted (untrusted when not root), [1] untrusted */
    ULONG package;
    HANDLE held_token;
    LUID held_session;
    struct stat store_stat; /* the smbpasswd file as the harness last wrote it */
    int stats;
} h;

/* ---- the submit buffer's pointers ----------------------------------------------------- */

/* Where the string at OFF points in the region, if its bytes lie inside it. */
static const uint8_t *string_bytes(const uint8_t *r, size_t n, size_t off, USHORT *length)
{
    uintptr_t at;

    if (n < off + sizeof(UNICODE_STRING))
        return NULL;
    memcpy(length, r + off + offsetof(UNICODE_STRING, Length), sizeof(*length));
    memcpy(&at, r + off + offsetof(UNICODE_STRING, Buffer), sizeof(at));
    if (*length == 0)
        return r;
    if (at < (uintptr_t)r || at - (uintptr_t)r > n || *length > n - (at - (uintptr_t)r))
        return NULL;
    return r + (at - (uintptr_t)r);
}

#define U(type, field) offsetof(type, field)

static void fix_message(uint8_t *r, size_t n, ULONG type, BOOLEAN raw_max, int depth)
{
    switch (type) {
    case MsV1_0Lm20GetChallengeResponse:
        fuzz_fix_string(r, n, U(MSV1_0_GETCHALLENRESP_REQUEST, Password), raw_max);
        fuzz_fix_string(r, n, U(MSV1_0_GETCHALLENRESP_REQUEST, UserName), raw_max);
        fuzz_fix_string(r, n, U(MSV1_0_GETCHALLENRESP_REQUEST, LogonDomainName), raw_max);
        fuzz_fix_string(r, n, U(MSV1_0_GETCHALLENRESP_REQUEST, ServerName), raw_max);
        break;
    case MsV1_0ChangePassword:
    case MsV1_0ChangeCachedPassword:
        fuzz_fix_string(r, n, U(MSV1_0_CHANGEPASSWORD_REQUEST, DomainName), raw_max);
        fuzz_fix_string(r, n, U(MSV1_0_CHANGEPASSWORD_REQUEST, AccountName), raw_max);
        fuzz_fix_string(r, n, U(MSV1_0_CHANGEPASSWORD_REQUEST, OldPassword), raw_max);
        fuzz_fix_string(r, n, U(MSV1_0_CHANGEPASSWORD_REQUEST, NewPassword), raw_max);
        break;
    case MsV1_0GenericPassthrough: {
        uintptr_t at;
        ULONG length;
        fuzz_fix_string(r, n, U(MSV1_0_PASSTHROUGH_REQUEST, DomainName), raw_max);
        fuzz_fix_string(r, n, U(MSV1_0_PASSTHROUGH_REQUEST, PackageName), raw_max);
        fuzz_fix_pointer(r, n, U(MSV1_0_PASSTHROUGH_REQUEST, LogonData));
        if (depth >= 2 || n < U(MSV1_0_PASSTHROUGH_REQUEST, LogonData) + sizeof(PVOID))
            break;
        /* The inner message: its pointers are relative to LogonData's address. */
        length = fuzz_load32(r + U(MSV1_0_PASSTHROUGH_REQUEST, DataLength));
        memcpy(&at, r + U(MSV1_0_PASSTHROUGH_REQUEST, LogonData), sizeof(at));
        if (length >= sizeof(ULONG) && at - (uintptr_t)r <= n && length <= n - (at - (uintptr_t)r))
            fix_message((uint8_t *)at, length, fuzz_load32((uint8_t *)at), raw_max, depth + 1);
        break;
    }
    case MsV1_0SubAuth:
        fuzz_fix_pointer(r, n, U(MSV1_0_SUBAUTH_REQUEST, SubAuthSubmitBuffer));
        break;
    default:
        break;
    }
}

static void fix_logon(uint8_t *r, size_t n, ULONG type, BOOLEAN raw_max)
{
    switch (type) {
    case MsV1_0InteractiveLogon:
    case MsV1_0WorkstationUnlockLogon:
        fuzz_fix_string(r, n, U(MSV1_0_INTERACTIVE_LOGON, LogonDomainName), raw_max);
        fuzz_fix_string(r, n, U(MSV1_0_INTERACTIVE_LOGON, UserName), raw_max);
        fuzz_fix_string(r, n, U(MSV1_0_INTERACTIVE_LOGON, Password), raw_max);
        break;
    case MsV1_0Lm20Logon:
    case MsV1_0NetworkLogon:
    case MsV1_0SubAuthLogon: /* the same strings at the same offsets */
        fuzz_fix_string(r, n, U(MSV1_0_LM20_LOGON, LogonDomainName), raw_max);
        fuzz_fix_string(r, n, U(MSV1_0_LM20_LOGON, UserName), raw_max);
        fuzz_fix_string(r, n, U(MSV1_0_LM20_LOGON, Workstation), raw_max);
        fuzz_fix_string(r, n, U(MSV1_0_LM20_LOGON, CaseSensitiveChallengeResponse), raw_max);
        fuzz_fix_string(r, n, U(MSV1_0_LM20_LOGON, CaseInsensitiveChallengeResponse), raw_max);
        break;
    case MsV1_0S4ULogon:
        fuzz_fix_string(r, n, U(MSV1_0_S4U_LOGON, UserPrincipalName), raw_max);
        fuzz_fix_string(r, n, U(MSV1_0_S4U_LOGON, DomainName), raw_max);
        break;
    default:
        break;
    }
}

/* ---- outcomes ------------------------------------------------------------------------- */

#define OUTCOME_SLOTS 4096
static struct outcome {
    uint8_t used, kind, untrusted;
    NTSTATUS status, detail;
    unsigned long count;
} outcomes[OUTCOME_SLOTS];
static unsigned long runs[KIND_COUNT][2];

static void record(enum kind k, int untrusted, NTSTATUS status, NTSTATUS detail)
{
    uint32_t hash = ((uint32_t)k * 31u + (uint32_t)untrusted) * 2654435761u ^
                    (uint32_t)status * 40503u ^ (uint32_t)detail * 2246822519u;

    runs[k][untrusted]++;
    if (!h.stats)
        return;
    for (unsigned i = 0; i < OUTCOME_SLOTS; i++) {
        struct outcome *o = &outcomes[(hash + i) % OUTCOME_SLOTS];
        if (!o->used) {
            *o = (struct outcome){ 1, (uint8_t)k, (uint8_t)untrusted, status, detail, 0 };
        } else if (o->kind != k || o->untrusted != untrusted || o->status != status ||
                   o->detail != detail) {
            continue;
        }
        o->count++;
        return;
    }
}

static const char *status_text(NTSTATUS s, char *buf, size_t size)
{
    const char *name = lsa_status_name(s);
    snprintf(buf, size, "%s (0x%08x)", name ? name : "?", (unsigned)s);
    return buf;
}

static void print_stats(void)
{
    unsigned total = 0;
    char a[96], b[96];

    fprintf(stderr, "fuzz_msv1_0 outcomes: status / ProtocolStatus (calls) or SubStatus (logons)\n");
    for (int k = 0; k < KIND_COUNT; k++) {
        for (int u = 0; u < 2; u++) {
            fprintf(stderr, "  %s, %s: %lu runs\n", kinds[k].name, u ? "untrusted" : "trusted",
                    runs[k][u]);
            for (unsigned i = 0; i < OUTCOME_SLOTS; i++) {
                const struct outcome *o = &outcomes[i];
                if (!o->used || o->kind != k || o->untrusted != u)
                    continue;
                total++;
                fprintf(stderr, "    %-45s %-45s %lu\n", status_text(o->status, a, sizeof(a)),
                        status_text(o->detail, b, sizeof(b)), o->count);
            }
        }
    }
    fprintf(stderr, "fuzz_msv1_0: %u distinct outcomes\n", total);
}

/* ---- the LSA ---------------------------------------------------------------------- */

/* A challenge issued to HANDLE's connection. */
static void fresh_challenge(HANDLE handle, uint8_t challenge[MSV1_0_CHALLENGE_LENGTH])
{
    MSV1_0_LM20_CHALLENGE_REQUEST *request = malloc(sizeof(*request));
    PMSV1_0_LM20_CHALLENGE_RESPONSE reply = NULL;
    ULONG length = 0;
    NTSTATUS protocol;

    if (request == NULL)
        abort();
    request->MessageType = MsV1_0Lm20ChallengeRequest;
    if (LsaCallAuthenticationPackage(handle, h.package, request, sizeof(*request),
                                     (PVOID *)&reply, &length, &protocol) != STATUS_SUCCESS ||
        protocol != STATUS_SUCCESS || reply == NULL || length < sizeof(*reply))
        abort(); /* the request the logons depend on must work */
    memcpy(challenge, reply->ChallengeToClient, MSV1_0_CHALLENGE_LENGTH);
    LsaFreeReturnBuffer(reply);
    free(request);
}

/* ---- the NTLMv2 response -------------------------------------------------------------- */

static int hmac_md5(const uint8_t *key, size_t key_length, const uint8_t *data, size_t length,
                    uint8_t out[16])
{
    size_t out_length = 0;
    return EVP_Q_mac(NULL, "HMAC", NULL, "MD5", NULL, key, key_length, data, length, out, 16,
                     &out_length) != NULL && out_length == 16 ? 0 : -1;
}

/* NTProofStr = HMAC_MD5(NTOWFv2(alice's hash, UPPER(user), domain), challenge ‖ blob),
 * over the request's strings as the package will see them (ASCII upper-casing only). */
static void shape_ntlmv2(uint8_t *r, size_t n, BOOLEAN live)
{
    const size_t resp = U(MSV1_0_LM20_LOGON, CaseSensitiveChallengeResponse);
    const uint8_t *user, *domain, *challenge = r + U(MSV1_0_LM20_LOGON, ChallengeToClient);
    uint8_t *nt, *text, ntowf[16];
    USHORT nt_length, user_length, domain_length;
    size_t blob_length;

    nt = (uint8_t *)string_bytes(r, n, resp, &nt_length);
    if (nt == NULL || nt_length < 16 + 28)
        return;
    nt[16] = 1; /* RespType */
    nt[17] = 1; /* HiRespType */
    if (live) {
        int16_t skew;
        uint64_t filetime;
        memcpy(&skew, nt + 16 + 8, sizeof(skew));
        filetime = (uint64_t)((int64_t)time(NULL) + FILETIME_UNIX_EPOCH + skew) * 10000000u;
        memcpy(nt + 16 + 8, &filetime, sizeof(filetime));
    }
    user = string_bytes(r, n, U(MSV1_0_LM20_LOGON, UserName), &user_length);
    domain = string_bytes(r, n, U(MSV1_0_LM20_LOGON, LogonDomainName), &domain_length);
    if (user == NULL || domain == NULL)
        return;
    blob_length = nt_length - 16u;
    text = malloc((size_t)user_length + domain_length + 8 + blob_length);
    if (text == NULL)
        abort();
    memcpy(text, user, user_length);
    for (size_t i = 0; i + 1 < user_length; i += 2)
        if (text[i + 1] == 0 && text[i] >= 'a' && text[i] <= 'z')
            text[i] = (uint8_t)(text[i] - 0x20);
    memcpy(text + user_length, domain, domain_length);
    if (hmac_md5(alice_nt_hash, 16, text, (size_t)user_length + domain_length, ntowf) == 0) {
        memcpy(text, challenge, 8);
        memcpy(text + 8, nt + 16, blob_length);
        if (hmac_md5(ntowf, 16, text, 8 + blob_length, nt) != 0)
            abort();
    }
    free(text);
}

/* ---- the store ------------------------------------------------------------------------ */

/* alice with her password again, no state (a change that went through is undone). */
static void reset_store(void)
{
    char path[PATH_MAX + 64];

    fuzz_write_file(h.store, smbpasswd_line, 0600);
    snprintf(path, sizeof(path), "%s.state", h.store);
    unlink(path);
    snprintf(path, sizeof(path), "%s.state.pending", h.store);
    unlink(path);
    if (stat(h.store, &h.store_stat) != 0)
        fuzz_die("cannot stat the temporary store");
}

static void restore_store_if_changed(void)
{
    struct stat st;

    if (stat(h.store, &st) != 0 || st.st_ino != h.store_stat.st_ino ||
        st.st_ctim.tv_sec != h.store_stat.st_ctim.tv_sec ||
        st.st_ctim.tv_nsec != h.store_stat.st_ctim.tv_nsec)
        reset_store();
}

static void finish(void)
{
    if (h.stats)
        print_stats();
    if (h.held_token != NULL)
        lsa_close_token(h.held_token);
    for (int i = 0; i < 2; i++)
        if (h.handle[i] != NULL)
            LsaDeregisterLogonProcess(h.handle[i]);
    if (fuzz_remove_tree(h.dir) != 0)
        fprintf(stderr, "fuzz_msv1_0: %s left behind: %s\n", h.dir, strerror(errno));
}

/* ---- libFuzzer ------------------------------------------------------------------------ */

static void package_path(char *out, size_t size)
{
    const char *env = getenv("FUZZ_MSV1_0_SO");
    char self[PATH_MAX];
    ssize_t n;
    char *slash;

    if (env != NULL && env[0] == '/') {
        snprintf(out, size, "%s", env);
        return;
    }
    n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n <= 0)
        fuzz_die("cannot find the harness's directory (set FUZZ_MSV1_0_SO)");
    self[n] = '\0';
    slash = strrchr(self, '/');
    *slash = '\0';
    snprintf(out, size, "%s/msv1_0.so", self);
}

static void write_config(void)
{
    char so[PATH_MAX], text[3 * PATH_MAX];

    package_path(so, sizeof(so));
    if (access(so, R_OK) != 0)
        fuzz_die("the instrumented package is missing (make fuzz/msv1_0.so, or set FUZZ_MSV1_0_SO)");
    snprintf(text, sizeof(text),
             "[lsa]\npackages = %s\nlog_level = err\n"
             "[msv1_0]\nstore = %s\ndomain = " DOMAIN "\nlockout_threshold = 0\n"
             "challenge_lifetime = 120\n",
             so, h.store);
    fuzz_write_file(h.config, text, 0644);
}

/* alice's interactive logon, kept for the run: the "live" session. */
static void hold_session(void)
{
    static const WCHAR domain[] = u"" DOMAIN, user[] = u"" USER, password[] = u"" PASSWORD;
    size_t d = sizeof(domain) - 2, u = sizeof(user) - 2, p = sizeof(password) - 2;
    size_t length = sizeof(MSV1_0_INTERACTIVE_LOGON) + d + u + p;
    MSV1_0_INTERACTIVE_LOGON *l = calloc(1, length);
    uint8_t *tail = (uint8_t *)(l + 1);
    NTSTATUS status, sub_status = STATUS_SUCCESS;
    char a[96], b[96];

    if (l == NULL)
        abort();
    l->MessageType = MsV1_0InteractiveLogon;
    l->LogonDomainName = (UNICODE_STRING){ (USHORT)d, (USHORT)d, (PWSTR)(void *)tail };
    memcpy(tail, domain, d);
    l->UserName = (UNICODE_STRING){ (USHORT)u, (USHORT)u, (PWSTR)(void *)(tail + d) };
    memcpy(tail + d, user, u);
    l->Password = (UNICODE_STRING){ (USHORT)p, (USHORT)p, (PWSTR)(void *)(tail + d + u) };
    memcpy(tail + d + u, password, p);
    status = fuzz_logon(h.handle[0], h.package, Interactive, l, (ULONG)length, &h.held_session,
                        &h.held_token, &sub_status);
    free(l);
    if (status != STATUS_SUCCESS) {
        fprintf(stderr, "fuzz_msv1_0: alice's logon failed: %s, substatus %s\n",
                status_text(status, a, sizeof(a)), status_text(sub_status, b, sizeof(b)));
        exit(1);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *tmp = getenv("TMPDIR");
    LSA_STRING name = { 11, 12, (PCHAR) "fuzz_msv1_0" };
    LSA_STRING package = { sizeof(MSV1_0_PACKAGE_NAME) - 1, sizeof(MSV1_0_PACKAGE_NAME),
                           (PCHAR)MSV1_0_PACKAGE_NAME };
    LSA_OPERATIONAL_MODE mode;
    struct stat st;

    (void)argc;
    (void)argv;
    h.stats = getenv("FUZZ_MSV1_0_STATS") != NULL && strcmp(getenv("FUZZ_MSV1_0_STATS"), "0");
    /* tmpfs when there is one: the store fsyncs every write. */
    if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0)
        tmp = "/dev/shm";
    else if (tmp == NULL || tmp[0] != '/')
        tmp = "/tmp";
    fuzz_remove_stale_dirs(tmp);
    snprintf(h.dir, sizeof(h.dir), "%s/fuzz_msv1_0.%ld.XXXXXX", tmp, (long)getpid());
    if (mkdtemp(h.dir) == NULL)
        fuzz_die("cannot make a temporary directory");
    snprintf(h.store, sizeof(h.store), "%s/smbpasswd", h.dir);
    snprintf(h.config, sizeof(h.config), "%s/lsa.conf", h.dir);
    atexit(finish);
    reset_store();
    write_config();
    setenv("LSA_CONFIG", h.config, 1);
    unsetenv("LSA_LOGON_ID");

    if (LsaConnectUntrusted(&h.handle[1]) != STATUS_SUCCESS)
        fuzz_die("LsaConnectUntrusted failed (see the LSA's log)");
    if (LsaRegisterLogonProcess(&name, &h.handle[0], &mode) != STATUS_SUCCESS) {
        fprintf(stderr, "fuzz_msv1_0: not root: the trusted cases use an untrusted handle\n");
        if (LsaConnectUntrusted(&h.handle[0]) != STATUS_SUCCESS)
            fuzz_die("LsaConnectUntrusted failed");
    }
    if (LsaLookupAuthenticationPackage(h.handle[0], &package, &h.package) != STATUS_SUCCESS)
        fuzz_die("msv1_0 is not loaded (run with LSA_LOG_STDERR=1 to see why)");
    hold_session();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t selector, *r;
    enum kind k;
    int untrusted;
    BOOLEAN live, raw_max;
    ULONG n, type;
    HANDLE handle;
    NTSTATUS status, detail = STATUS_SUCCESS;

    if (size < 1 || size - 1 > 0x100000)
        return 0;
    selector = data[0];
    k = (enum kind)((selector & 0x1fu) % KIND_COUNT);
    untrusted = (selector & SEL_UNTRUSTED) != 0;
    live = (selector & SEL_LIVE) != 0;
    raw_max = (selector & SEL_RAW_MAX) != 0;
    handle = h.handle[untrusted];
    n = (ULONG)(size - 1);
    if (k == K_GCR_V1 && n > GCR_V1_MAX_LENGTH)
        n = GCR_V1_MAX_LENGTH;

    r = malloc(n); /* exactly the length passed */
    if (r == NULL)
        return 0;
    if (n > 0)
        memcpy(r, data + 1, n);
    type = n >= sizeof(ULONG) ? fuzz_load32(r) : KEEP_TYPE;
    if (kinds[k].message_type != KEEP_TYPE && n >= sizeof(ULONG)) {
        type = kinds[k].message_type;
        memcpy(r, &type, sizeof(type));
    }

    if (kinds[k].api == CALL) {
        fix_message(r, n, type, raw_max, 0);
        if (live && (k == K_GCR || k == K_GCR_V1) &&
            n >= U(MSV1_0_GETCHALLENRESP_REQUEST, LogonId) + sizeof(LUID))
            memcpy(r + U(MSV1_0_GETCHALLENRESP_REQUEST, LogonId), &h.held_session, sizeof(LUID));
        if (live && k == K_USER_INFO && n >= sizeof(MSV1_0_GETUSERINFO_REQUEST))
            memcpy(r + U(MSV1_0_GETUSERINFO_REQUEST, LogonId), &h.held_session, sizeof(LUID));
        status = fuzz_call(handle, h.package, r, n, &detail);
    } else {
        SECURITY_LOGON_TYPE logon_type = (SECURITY_LOGON_TYPE)kinds[k].logon_type;
        HANDLE token = NULL;
        LUID logon_id;

        if (kinds[k].logon_type == TYPE_FROM_PADDING)
            logon_type = (SECURITY_LOGON_TYPE)(n >= 8 ? fuzz_load32(r + 4) : 0);
        fix_logon(r, n, type, raw_max);
        if ((live || k == K_NTLMV2) && n >= sizeof(MSV1_0_LM20_LOGON) &&
            (type == MsV1_0Lm20Logon || type == MsV1_0NetworkLogon))
            fresh_challenge(handle, r + U(MSV1_0_LM20_LOGON, ChallengeToClient));
        if (k == K_NTLMV2 && n >= sizeof(MSV1_0_LM20_LOGON))
            shape_ntlmv2(r, n, live);
        status = fuzz_logon(handle, h.package, logon_type, r, n, &logon_id, &token, &detail);
        if (token != NULL && lsa_close_token(token) != STATUS_SUCCESS)
            abort();
    }
    record(k, untrusted, status, detail);
    free(r);
    restore_store_if_changed();
    return 0;
}
