/*
 * make bench: NTLMv2 network logons per second through LsaLogonUser (embedded MSV1_0),
 * beside the raw NTLMv2 verification rate (NTOWFv2 + NTProofStr + compare) measured in
 * the same run, with 1 and 2 threads.  Target (issue #3): logons at least half the raw
 * rate.  A logon here is the server's whole part: MsV1_0Lm20ChallengeRequest, then
 * LsaLogonUser(Network) with the answer, then freeing the profile and closing the token
 * (the session ends).  The client's computation of its answer is not timed.
 */
#include <openssl/crypto.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lsa/lsa_ext.h>
#include <lsa/lsa_util.h>
#include <lsa/ntsecapi.h>

#include "account_store.h"
#include "bench_time.h"
#include "ntlm_crypto.h"

#define BATCH 500
#define SECONDS_PER_RUN 2.0

static const WCHAR user[] = u"alice", domain[] = u"LABDOM";
#define USER_BYTES (sizeof(user) - sizeof(WCHAR))
#define DOMAIN_BYTES (sizeof(domain) - sizeof(WCHAR))
static uint8_t nt_hash[16], ntowf_v2[16];

/* The NTLMv2 blob: header, timestamp, client challenge, EOL AV pair, padding. */
static size_t make_blob(uint8_t *blob)
{
    memset(blob, 0, 32);
    blob[0] = blob[1] = 1;
    uint64_t ft = ((uint64_t)time(NULL) + 11644473600ULL) * 10000000ULL;
    memcpy(blob + 8, &ft, 8);
    memset(blob + 16, 0xaa, 8);
    return 32; /* 28-byte header + MsvAvEOL (4) ... + the trailing 4 zero bytes */
}

struct worker {
    int raw; /* 1: raw verification; 0: logons */
    double seconds;
    unsigned long count;
    int failed;
};

static void *raw_worker(void *arg)
{
    struct worker *w = arg;
    uint8_t sc[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, blob[64], expected[16], proof[16], key[16];
    size_t blob_length = make_blob(blob);
    ntlm_v2_proof(ntowf_v2, sc, blob, blob_length, expected);
    double start = bench_now();
    do {
        for (int i = 0; i < BATCH; i++) {
            if (ntlm_ntowf_v2(nt_hash, user, USER_BYTES, domain, DOMAIN_BYTES, key) != 0 ||
                ntlm_v2_proof(key, sc, blob, blob_length, proof) != 0 ||
                CRYPTO_memcmp(proof, expected, 16) != 0)
                w->failed = 1;
        }
        w->count += BATCH;
    } while (bench_now() - start < SECONDS_PER_RUN);
    w->seconds = bench_now() - start;
    return NULL;
}

struct pending {
    uint8_t challenge[8];
    uint8_t response[16 + 64];
};

static NTSTATUS one_logon(HANDLE lsa, ULONG package, const struct pending *p, size_t response_length)
{
    unsigned char buffer[sizeof(MSV1_0_LM20_LOGON) + 256];
    memset(buffer, 0, sizeof(buffer));
    PMSV1_0_LM20_LOGON logon = (PMSV1_0_LM20_LOGON)buffer;
    unsigned char *tail = buffer + sizeof(*logon);
    logon->MessageType = MsV1_0NetworkLogon;
    memcpy(logon->ChallengeToClient, p->challenge, 8);
    logon->UserName = (UNICODE_STRING){ USER_BYTES, USER_BYTES, (PWSTR)tail };
    memcpy(tail, user, USER_BYTES);
    tail += USER_BYTES;
    logon->LogonDomainName = (UNICODE_STRING){ DOMAIN_BYTES, DOMAIN_BYTES, (PWSTR)tail };
    memcpy(tail, domain, DOMAIN_BYTES);
    tail += DOMAIN_BYTES;
    logon->CaseSensitiveChallengeResponse =
        (STRING){ (USHORT)response_length, (USHORT)response_length, (PCHAR)tail };
    memcpy(tail, p->response, response_length);
    tail += response_length;

    char origin[] = "bench";
    LSA_STRING origin_name = { 5, 6, origin };
    TOKEN_SOURCE source = { "bench", { 0, 0 } };
    PVOID profile;
    ULONG profile_length;
    LUID logon_id;
    HANDLE token;
    QUOTA_LIMITS quotas;
    NTSTATUS sub;
    NTSTATUS status = LsaLogonUser(lsa, &origin_name, Network, package, buffer,
                                   (ULONG)(tail - buffer), NULL, &source, &profile,
                                   &profile_length, &logon_id, &token, &quotas, &sub);
    if (status == 0) {
        LsaFreeReturnBuffer(profile);
        lsa_close_token(token);
    }
    return status;
}

static void *logon_worker(void *arg)
{
    struct worker *w = arg;
    HANDLE lsa;
    ULONG package;
    char name[] = MSV1_0_PACKAGE_NAME;
    LSA_STRING package_name = { sizeof(name) - 1, sizeof(name), name };
    if (LsaConnectUntrusted(&lsa) != 0 || LsaLookupAuthenticationPackage(lsa, &package_name, &package) != 0) {
        w->failed = 1;
        return NULL;
    }
    static _Thread_local struct pending pending[BATCH];
    uint8_t blob[64];
    size_t blob_length = make_blob(blob);
    double timed = 0;
    do {
        double t0 = bench_now();
        for (int i = 0; i < BATCH; i++) {
            MSV1_0_LM20_CHALLENGE_REQUEST req = { MsV1_0Lm20ChallengeRequest };
            PMSV1_0_LM20_CHALLENGE_RESPONSE reply;
            ULONG length;
            NTSTATUS protocol;
            if (LsaCallAuthenticationPackage(lsa, package, &req, sizeof(req), (PVOID *)&reply,
                                             &length, &protocol) != 0 || protocol != 0) {
                w->failed = 1;
                return NULL;
            }
            memcpy(pending[i].challenge, reply->ChallengeToClient, 8);
            LsaFreeReturnBuffer(reply);
        }
        timed += bench_now() - t0;
        for (int i = 0; i < BATCH; i++) { /* the client's part: not timed */
            ntlm_v2_proof(ntowf_v2, pending[i].challenge, blob, blob_length, pending[i].response);
            memcpy(pending[i].response + 16, blob, blob_length);
        }
        t0 = bench_now();
        for (int i = 0; i < BATCH; i++)
            if (one_logon(lsa, package, &pending[i], 16 + blob_length) != 0)
                w->failed = 1;
        timed += bench_now() - t0;
        w->count += BATCH;
    } while (timed < SECONDS_PER_RUN && !w->failed);
    w->seconds = timed;
    LsaDeregisterLogonProcess(lsa);
    return NULL;
}

static double run(int raw, int threads)
{
    pthread_t t[2];
    struct worker w[2];
    memset(w, 0, sizeof(w));
    for (int i = 0; i < threads; i++) {
        w[i].raw = raw;
        pthread_create(&t[i], NULL, raw ? raw_worker : logon_worker, &w[i]);
    }
    double rate = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        if (w[i].failed) {
            fprintf(stderr, "bench_ntlm_logon: a %s failed\n", raw ? "verification" : "logon");
            exit(1);
        }
        rate += (double)w[i].count / w[i].seconds;
    }
    return rate;
}

static int setup(void)
{
    const char *pkgdir = getenv("LSA_TEST_MSV1_0_DIR");
    static char dir[] = "/tmp/lsa-bench-ntlm-XXXXXX";
    char store[128], conf[128];
    if (pkgdir == NULL || mkdtemp(dir) == NULL)
        return -1;
    snprintf(store, sizeof(store), "%s/smbpasswd", dir);
    snprintf(conf, sizeof(conf), "%s/lsa.conf", dir);
    struct msv_store *s;
    struct msv_account a;
    memset(&a, 0, sizeof(a));
    strcpy(a.name, "alice");
    a.acb_flags = ACB_NORMAL | ACB_PWNOEXP;
    if (msv_store_create(store) != 0 || msv_store_open(store, &s) != 0 ||
        msv_account_set_password(&a, "Secret123", time(NULL)) != 0 || msv_store_add(s, &a) != 0)
        return -1;
    msv_store_close(s);
    FILE *f = fopen(conf, "w");
    if (f == NULL)
        return -1;
    fprintf(f, "[lsa]\npackages = msv1_0\npackage_dir = %s\n[msv1_0]\nstore = %s\ndomain = LABDOM\n"
               "lockout_threshold = 0\n", pkgdir, store);
    fclose(f);
    setenv("LSA_CONFIG", conf, 1);
    memcpy(nt_hash, a.nt_hash, 16);
    return ntlm_ntowf_v2(nt_hash, user, USER_BYTES, domain, DOMAIN_BYTES, ntowf_v2) == 0 ? 0 : -1;
}

int main(void)
{
    if (ntlm_crypto_init() != 0 || setup() != 0) {
        fprintf(stderr, "bench_ntlm_logon: set-up failed (run through make bench)\n");
        return 1;
    }
    printf("NTLMv2 network logons through LsaLogonUser (embedded MSV1_0) vs raw verification\n");
    /* To profile: BENCH_LOGONS_ONLY=1 runs the logon phase alone, BENCH_THREADS=N only
     * the run with N threads. */
    int logons_only = getenv("BENCH_LOGONS_ONLY") != NULL;
    const char *only = getenv("BENCH_THREADS");
    for (int threads = 1; threads <= 2; threads++) {
        if (only != NULL && atoi(only) != threads)
            continue;
        double raw = logons_only ? 1 : run(1, threads), logons = run(0, threads);
        printf("  %d thread%s: raw %9.0f verifications/s, logons %9.0f/s, ratio %.2f (target >= 0.50: %s)\n",
               threads, threads > 1 ? "s" : " ", raw, logons, logons / raw,
               logons / raw >= 0.5 ? "met" : "NOT MET");
    }
    return 0;
}
