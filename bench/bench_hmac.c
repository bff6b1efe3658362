/*
 * make bench: raw NTLMv2 verifications per second, as spec/ntlm.md §8 measures them:
 * one verification = NTOWFv2 (HMAC-MD5 over UPPER(user)‖domain) + NTProofStr (HMAC-MD5
 * over SC‖blob, the 68-byte §4.2.4 blob) + CRYPTO_memcmp, on the per-thread re-keyed
 * context of ntlm_crypto.c.  Also with the SessionBaseKey (3 HMACs) and through the
 * whole ntlm_verify().  One thread, then two threads (aggregate).  Best of 3 runs.
 * Usage: bench_hmac [ITERATIONS per thread, default 500000].  Prints figures; fails only
 * if a verification fails.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include <lsa/ntstatus.h>

#include "ntlm_crypto.h"
#include "ntlm_verify.h"
#include "bench_time.h"

#define RUNS 3
#define MAX_THREADS 2

static const uint8_t server_challenge[8] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
static const char temp_hex[] =
    "01010000000000000000000000000000aaaaaaaaaaaaaaaa0000000002000c0044006f006d00610069006e0001000c"
    "005300650072007600650072000000000000000000";
static const uint8_t expected_proof[16] = { 0x68, 0xcd, 0x0a, 0xb8, 0x51, 0xe5, 0x1c, 0x96,
                                            0xaa, 0xbc, 0x92, 0x7b, 0xeb, 0xef, 0x6a, 0x1c };
static const WCHAR user[] = { 'U', 's', 'e', 'r' };
static const WCHAR domain[] = { 'D', 'o', 'm', 'a', 'i', 'n' };

static uint8_t nt_hash[16];
static uint8_t response[16 + 128];
static size_t blob_length;
static long iterations = 500000;

enum mode { MODE_VERIFY, MODE_VERIFY_SBK, MODE_NTLM_VERIFY };

struct worker {
    pthread_t thread;
    enum mode mode;
    pthread_barrier_t *start;
    long failures;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    uint8_t ntowf[16], proof[16], key[16];
    struct ntlm_verify_request request = {
        .server_challenge = server_challenge,
        .nt_response = response,
        .nt_length = 16 + blob_length,
        .user = user,
        .user_bytes = sizeof(user),
        .domain = domain,
        .domain_bytes = sizeof(domain),
        .lm_compatibility_level = 5,
        .now = 0,
        .max_skew = INT64_MAX,
    };
    struct ntlm_account_keys keys = { .has_nt = 1 };
    struct ntlm_verify_result result;
    memcpy(keys.nt_hash, nt_hash, 16);

    /* Warm up this thread's contexts outside the timed region. */
    (void)ntlm_ntowf_v2(nt_hash, user, sizeof(user), domain, sizeof(domain), ntowf);
    pthread_barrier_wait(w->start);
    for (long i = 0; i < iterations; i++) {
        if (w->mode == MODE_NTLM_VERIFY) {
            w->failures += ntlm_verify(&request, &keys, &result) != STATUS_SUCCESS;
            continue;
        }
        NTSTATUS s = ntlm_ntowf_v2(nt_hash, user, sizeof(user), domain, sizeof(domain), ntowf);
        s |= ntlm_v2_proof(ntowf, server_challenge, response + 16, blob_length, proof);
        w->failures += s != STATUS_SUCCESS || CRYPTO_memcmp(proof, response, 16) != 0;
        if (w->mode == MODE_VERIFY_SBK)
            w->failures += ntlm_v2_session_base_key(ntowf, proof, key) != STATUS_SUCCESS;
    }
    return NULL;
}

/* Aggregate verifications/s of NTHREADS threads, best of RUNS; -1 on a failure. */
static double measure(enum mode mode, int nthreads)
{
    double best = 0;
    for (int run = 0; run < RUNS; run++) {
        struct worker workers[MAX_THREADS];
        pthread_barrier_t start;
        pthread_barrier_init(&start, NULL, (unsigned)nthreads + 1);
        for (int i = 0; i < nthreads; i++) {
            workers[i] = (struct worker){ .mode = mode, .start = &start };
            if (pthread_create(&workers[i].thread, NULL, work, &workers[i]) != 0)
                return -1;
        }
        pthread_barrier_wait(&start);
        double t0 = bench_now();
        long failures = 0;
        for (int i = 0; i < nthreads; i++) {
            pthread_join(workers[i].thread, NULL);
            failures += workers[i].failures;
        }
        double rate = (double)iterations * nthreads / (bench_now() - t0);
        pthread_barrier_destroy(&start);
        if (failures != 0)
            return -1;
        if (rate > best)
            best = rate;
    }
    return best;
}

int main(int argc, char **argv)
{
    static const WCHAR password[] = { 'P', 'a', 's', 's', 'w', 'o', 'r', 'd' };
    static const struct {
        enum mode mode;
        const char *name;
    } rows[] = {
        { MODE_VERIFY, "NTOWFv2 + NTProofStr + CRYPTO_memcmp" },
        { MODE_VERIFY_SBK, "  + SessionBaseKey (3 HMACs)" },
        { MODE_NTLM_VERIFY, "ntlm_verify() (NTLMv2, level 5)" },
    };

    if (argc > 1)
        iterations = strtol(argv[1], NULL, 10);
    if (iterations <= 0) {
        fprintf(stderr, "usage: %s [iterations per thread]\n", argv[0]);
        return 2;
    }
    NTSTATUS status = ntlm_crypto_init();
    if (status != STATUS_SUCCESS) {
        fprintf(stderr, "bench_hmac: ntlm_crypto_init failed: 0x%08x\n", (unsigned)status);
        return 1;
    }
    blob_length = (sizeof(temp_hex) - 1) / 2;
    for (size_t i = 0; i < blob_length; i++) {
        unsigned v;
        sscanf(temp_hex + 2 * i, "%2x", &v);
        response[16 + i] = (uint8_t)v;
    }
    memcpy(response, expected_proof, 16);
    if (ntlm_nt_hash(password, sizeof(password), nt_hash) != STATUS_SUCCESS)
        return 1;

    printf("bench_hmac: NTLMv2 verifications/s, %ld per thread, best of %d\n", iterations, RUNS);
    printf("  %-40s %14s %14s\n", "", "1 thread", "2 threads");
    for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
        double one = measure(rows[r].mode, 1);
        double two = measure(rows[r].mode, 2);
        if (one < 0 || two < 0) {
            fprintf(stderr, "bench_hmac: a verification failed (%s)\n", rows[r].name);
            return 1;
        }
        printf("  %-40s %14.0f %14.0f\n", rows[r].name, one, two);
    }
    return 0;
}
