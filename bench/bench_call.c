/*
 * make bench: the time of one LsaCallAuthenticationPackage round trip, embedded, through
 * the echo package: a 64-byte submit, a 64-byte return buffer, LsaFreeReturnBuffer.
 * Target (issue #2): at most 1 us.  Prints figures; never fails on them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lsa/ntsecapi.h>

#include "bench_time.h"

#define BATCHES 21
#define CALLS_PER_BATCH 50000

static int write_config(void)
{
    const char *pkgdir = getenv("LSA_TEST_PACKAGE_DIR");
    static char dir[] = "/tmp/lsa-bench-XXXXXX";
    static char path[sizeof(dir) + 16];
    if (pkgdir == NULL || mkdtemp(dir) == NULL)
        return -1;
    snprintf(path, sizeof(path), "%s/lsa.conf", dir);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    fprintf(f, "[lsa]\npackages = echo_sspap\npackage_dir = %s\n", pkgdir);
    fclose(f);
    setenv("LSA_CONFIG", path, 1);
    return 0;
}

int main(void)
{
    if (write_config() != 0) {
        fprintf(stderr, "bench_call: set LSA_TEST_PACKAGE_DIR to the echo packages (make bench)\n");
        return 1;
    }
    HANDLE lsa;
    NTSTATUS status = geteuid() == 0
        ? LsaRegisterLogonProcess(&(LSA_STRING){ 5, 6, "bench" }, &lsa, &(LSA_OPERATIONAL_MODE){ 0 })
        : LsaConnectUntrusted(&lsa);
    ULONG package;
    if (status == 0)
        status = LsaLookupAuthenticationPackage(lsa, &(LSA_STRING){ 9, 10, "EchoSSPAP" }, &package);
    if (status != 0) {
        fprintf(stderr, "bench_call: cannot reach the echo package: 0x%08x\n", (unsigned)status);
        return 1;
    }

    unsigned char submit[64];
    memset(submit, 0x5a, sizeof(submit));
    submit[0] = 1; /* EchoMessageEcho, little endian */
    submit[1] = submit[2] = submit[3] = 0;

    double per_call[BATCHES];
    for (int b = -1; b < BATCHES; b++) { /* batch -1 warms up */
        double start = bench_now_ns();
        for (int i = 0; i < CALLS_PER_BATCH; i++) {
            PVOID out;
            ULONG out_length;
            NTSTATUS protocol;
            status = LsaCallAuthenticationPackage(lsa, package, submit, sizeof(submit), &out,
                                                  &out_length, &protocol);
            if (status != 0 || out_length != sizeof(submit)) {
                fprintf(stderr, "bench_call: call failed: 0x%08x\n", (unsigned)status);
                return 1;
            }
            LsaFreeReturnBuffer(out);
        }
        if (b >= 0)
            per_call[b] = (bench_now_ns() - start) / CALLS_PER_BATCH;
    }
    qsort(per_call, BATCHES, sizeof(double), bench_cmp_double);
    double median = per_call[BATCHES / 2];
    printf("LsaCallAuthenticationPackage round trip, embedded, 64-byte submit and return\n");
    printf("  %d batches x %d calls: median %.0f ns/call, best %.0f ns, worst %.0f ns\n", BATCHES,
           CALLS_PER_BATCH, median, per_call[0], per_call[BATCHES - 1]);
    printf("  target <= 1000 ns: %s\n", median <= 1000.0 ? "met" : "NOT MET");
    LsaDeregisterLogonProcess(lsa);
    return 0;
}
