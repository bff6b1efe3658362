/*
 * make bench (bench/bench_kerberos.sh): Kerberos logons per second through LsaLogonUser
 * (embedded Kerberos package) against the lab KDC: N password logons (KERB_INTERACTIVE_LOGON)
 * and M PKINIT logons (KERB_CERTIFICATE_LOGON with a FILE: identity in CspData), single
 * thread.  A logon is the whole LsaLogonUser (AS exchange with the KDC included), then
 * LsaFreeReturnBuffer and lsa_close_token, so each session ends.  Each figure is the median
 * of 3 runs (BENCH_KERB_RUNS=N: of N, 1 to 9), after one untimed warm-up logon.
 * bench_kerberos.sh sets LSA_CONFIG, runs it with BENCH_KERB_RUNS=1 three times between
 * its kinit runs (so machine load hits both sides alike) and reads the lines that start
 * with "  password" and "  PKINIT" (the rate is the 3rd field).
 *
 *   bench_kerb_logon PASSWORD_LOGONS PKINIT_LOGONS IDENTITY
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lsa/lsa_ext.h>
#include <lsa/lsa_status.h>
#include <lsa/lsa_util.h>
#include <lsa/ntsecapi.h>

#include "bench_time.h"

#define MAX_RUNS 9
static int runs = 3; /* BENCH_KERB_RUNS: bench_kerberos.sh runs 1 at a time, interleaved */

static HANDLE lsa;
static ULONG package;
static _Alignas(8) unsigned char password_block[1024], certificate_block[4096];
static ULONG password_length, certificate_length;

/* Appends UTF-8 S as UTF-16 at *TAIL; OUT->Buffer = ADDRESS_BASE + its offset in BLOCK
 * (an address for KERB_INTERACTIVE_LOGON, an offset for KERB_CERTIFICATE_LOGON). */
static int put(UNICODE_STRING *out, const char *s, unsigned char *block, unsigned char **tail,
               uintptr_t address_base)
{
    UNICODE_STRING w;
    if (lsa_utf8_to_unicode_string(s, strlen(s), &w) != 0)
        return -1;
    memcpy(*tail, w.Buffer, w.Length);
    out->Length = out->MaximumLength = w.Length;
    out->Buffer = (PWSTR)(address_base + (uintptr_t)(*tail - block));
    *tail += w.Length + (w.Length & 1);
    lsa_free_unicode_string(&w);
    return 0;
}

static int build(const char *identity)
{
    KERB_INTERACTIVE_LOGON *i = (KERB_INTERACTIVE_LOGON *)password_block;
    unsigned char *tail = password_block + sizeof(*i);
    i->MessageType = KerbInteractiveLogon;
    if (put(&i->UserName, "alice", password_block, &tail, (uintptr_t)password_block) != 0 ||
        put(&i->Password, "alicepw", password_block, &tail, (uintptr_t)password_block) != 0)
        return -1;
    password_length = (ULONG)(tail - password_block);

    KERB_CERTIFICATE_LOGON *c = (KERB_CERTIFICATE_LOGON *)certificate_block;
    tail = certificate_block + sizeof(*c);
    c->MessageType = KerbCertificateLogon;
    if (put(&c->UserName, "alice", certificate_block, &tail, 0) != 0 ||
        strlen(identity) > sizeof(certificate_block) - (size_t)(tail - certificate_block))
        return -1;
    c->CspDataLength = (ULONG)strlen(identity);
    c->CspData = (PUCHAR)(uintptr_t)(tail - certificate_block);
    memcpy(tail, identity, c->CspDataLength);
    tail += c->CspDataLength;
    certificate_length = (ULONG)(tail - certificate_block);
    return 0;
}

static NTSTATUS one_logon(int certificate)
{
    char origin[] = "bench";
    LSA_STRING origin_name = { 5, 6, origin };
    TOKEN_SOURCE source = { "bench", { 0, 0 } };
    PVOID profile;
    ULONG profile_length;
    LUID logon_id;
    HANDLE token;
    QUOTA_LIMITS quotas;
    NTSTATUS sub;
    NTSTATUS status = LsaLogonUser(lsa, &origin_name, Interactive, package,
                                   certificate ? certificate_block : password_block,
                                   certificate ? certificate_length : password_length, NULL,
                                   &source, &profile, &profile_length, &logon_id, &token,
                                   &quotas, &sub);
    if (status == 0) {
        LsaFreeReturnBuffer(profile);
        lsa_close_token(token);
    } else {
        const char *s = lsa_status_name(status), *ss = lsa_status_name(sub);
        fprintf(stderr, "bench_kerb_logon: %s logon failed: %s 0x%08x sub %s 0x%08x\n",
                certificate ? "PKINIT" : "password", s ? s : "?", (unsigned)status,
                ss ? ss : "?", (unsigned)sub);
    }
    return status;
}

/* The median over `runs` runs of COUNT logons, in logons per second; -1 on a failure. */
static double rate(int certificate, long count)
{
    double rates[MAX_RUNS];
    if (one_logon(certificate) != 0) /* warm-up: the first AS exchange of its kind */
        return -1;
    for (int r = 0; r < runs; r++) {
        double t0 = bench_now();
        for (long i = 0; i < count; i++)
            if (one_logon(certificate) != 0)
                return -1;
        rates[r] = (double)count / (bench_now() - t0);
    }
    qsort(rates, runs, sizeof(rates[0]), bench_cmp_double);
    return rates[runs / 2];
}

int main(int argc, char **argv)
{
    char name[] = "Kerberos";
    LSA_STRING package_name = { sizeof(name) - 1, sizeof(name), name };
    long passwords = argc == 4 ? atol(argv[1]) : 0, certificates = argc == 4 ? atol(argv[2]) : 0;

    if (getenv("BENCH_KERB_RUNS") != NULL)
        runs = atoi(getenv("BENCH_KERB_RUNS"));
    if (argc != 4 || passwords <= 0 || certificates <= 0 || runs < 1 || runs > MAX_RUNS ||
        getenv("LSA_CONFIG") == NULL) {
        fprintf(stderr, "usage: bench_kerb_logon PASSWORD_LOGONS PKINIT_LOGONS IDENTITY "
                        "(run through make bench: bench/bench_kerberos.sh)\n");
        return 2;
    }
    if (build(argv[3]) != 0 || LsaConnectUntrusted(&lsa) != 0 ||
        LsaLookupAuthenticationPackage(lsa, &package_name, &package) != 0) {
        fprintf(stderr, "bench_kerb_logon: set-up failed\n");
        return 1;
    }
    printf("Kerberos logons through LsaLogonUser (embedded Kerberos package, lab KDC), 1 thread\n");
    fflush(stdout);
    double p = rate(0, passwords);
    if (p < 0)
        return 1;
    printf("  password  LsaLogonUser %9.1f logons/s  (%ld logons, median of %d run(s))\n", p,
           passwords, runs);
    fflush(stdout);
    double c = rate(1, certificates);
    if (c < 0)
        return 1;
    printf("  PKINIT    LsaLogonUser %9.1f logons/s  (%ld logons, median of %d run(s))\n", c,
           certificates, runs);
    LsaDeregisterLogonProcess(lsa);
    return 0;
}
