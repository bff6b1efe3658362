/*
 * libFuzzer harness for the strict KDC validation of a device logon
 * (packages/kerberos/kdc_cert_check.c): the input is a KDC reply, as the transport hands
 * it over.  kerb_find_pkinit_signed_data() must find the PA-PK-AS-REP's SignedData inside
 * the input or nothing; kerb_kdc_cert_check() then parses it as CMS, looks for the signer
 * certificate and its KDC EKU, and verifies its chain against the anchors.
 *
 * The anchors (a file in a temporary directory, written at start, removed at exit) hold a
 * self-signed certificate made at start and KDC_CA_PEM below: the throwaway CA that issued
 * the KDC certificates of the seeds (fuzz/make_pkinit_reply_seeds.py makes both), so a
 * seed's chain verifies and the mutations reach every verdict.  A refusal must say why.
 * FUZZ_PKINIT_REPLY_VERBOSE=1 prints each input's verdict (run it on the seeds).
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "kdc_cert_check.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* fuzz/make_pkinit_reply_seeds.py's CA (public certificate only). */
static const char KDC_CA_PEM[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBkDCCATegAwIBAgIUdKLc1EsPQ4FLB6gnnFf6jIt6OxwwCgYIKoZIzj0EAwIw\n"
    "FjEUMBIGA1UEAwwLZnV6eiBLREMgQ0EwHhcNMjYxMTIxMDczNjQzWhcNMzYxMTE4\n"
    "MDczNjQzWjAWMRQwEgYDVQQDDAtmdXp6IEtEQyBDQTBZMBMGByqGSM49AgEGCCqG\n"
    "SM49AwEHA0IABG8PNekqSo9IFHtn4vCKgmcG25MpMRhN7ZZhwQPgEbevrNZBJjD2\n"
    "ZdNYzNlqCaum2KL57/tqWy2o3Pra0c6o7EKjYzBhMB0GA1UdDgQWBBTifrrnmxCm\n"
    "k13jcSwJpAmaDuAWVzAfBgNVHSMEGDAWgBTifrrnmxCmk13jcSwJpAmaDuAWVzAP\n"
    "BgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIBBjAKBggqhkjOPQQDAgNHADBE\n"
    "AiBjsQ6fs7MztuifNndMfMg3PHdLzrWV53q3/vZnccsMhgIgW55+oGu6YqESUs6U\n"
    "Ke9f/7MueY0bKj6g9iIeJpCKCQo=\n"
    "-----END CERTIFICATE-----\n";

static char dir[PATH_MAX];
static char anchors[PATH_MAX + 32];
static int verbose;

static void die(const char *what)
{
    fprintf(stderr, "fuzz_pkinit_reply: %s\n", what);
    exit(1);
}

static void finish(void)
{
    char path[PATH_MAX + 32];

    snprintf(path, sizeof(path), "%s/anchors.pem", dir);
    unlink(path);
    rmdir(dir);
}

/* A self-signed P-256 certificate, PEM, to F. */
static void write_self_signed(FILE *f)
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *cert = X509_new();
    X509_NAME *name = X509_NAME_new();

    if (key == NULL || cert == NULL || name == NULL ||
        X509_set_version(cert, X509_VERSION_3) != 1 ||
        ASN1_INTEGER_set(X509_get_serialNumber(cert), 1) != 1 ||
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   (const unsigned char *)"fuzz anchor", -1, -1, 0) != 1 ||
        X509_set_subject_name(cert, name) != 1 || X509_set_issuer_name(cert, name) != 1 ||
        X509_gmtime_adj(X509_getm_notBefore(cert), -86400) == NULL ||
        X509_gmtime_adj(X509_getm_notAfter(cert), 86400L * 365) == NULL ||
        X509_set_pubkey(cert, key) != 1 || X509_sign(cert, key, EVP_sha256()) == 0 ||
        PEM_write_X509(f, cert) != 1)
        die("cannot make the anchor certificate");
    X509_NAME_free(name);
    X509_free(cert);
    EVP_PKEY_free(key);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *tmp = getenv("TMPDIR");
    FILE *f;

    (void)argc;
    (void)argv;
    verbose = getenv("FUZZ_PKINIT_REPLY_VERBOSE") != NULL;
    if (tmp == NULL || tmp[0] != '/')
        tmp = "/tmp";
    snprintf(dir, sizeof(dir), "%s/fuzz_pkinit_reply.XXXXXX", tmp);
    if (mkdtemp(dir) == NULL)
        die("cannot make a temporary directory");
    atexit(finish);
    snprintf(anchors, sizeof(anchors), "FILE:%s/anchors.pem", dir);
    if ((f = fopen(anchors + 5, "w")) == NULL)
        die("cannot write the anchors");
    write_self_signed(f);
    if (fputs(KDC_CA_PEM, f) == EOF || fclose(f) != 0)
        die("cannot write the anchors");
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *reply;
    const unsigned char *signed_data = NULL;
    size_t signed_length = 0;
    struct kerb_exchange x;
    krb5_error_code code;

    if (size > 0x100000)
        return 0;
    reply = malloc(size ? size : 1); /* exactly the length: ASan sees any read past it */
    if (reply == NULL)
        return 0;
    memcpy(reply, data, size);

    if (kerb_find_pkinit_signed_data(reply, size, &signed_data, &signed_length) &&
        (signed_data < reply || signed_length > size ||
         (size_t)(signed_data - reply) > size - signed_length))
        abort(); /* the SignedData must lie inside the reply */

    memset(&x, 0, sizeof(x));
    x.strict_kdc = TRUE;
    x.anchors = anchors;
    krb5_data answer = { .magic = KV5M_DATA, .length = (unsigned int)size, .data = (char *)reply };
    code = kerb_kdc_cert_check(&x, "FUZZ.TEST", &answer);
    if (verbose)
        fprintf(stderr, "fuzz_pkinit_reply: %zu bytes, SignedData %zu bytes: krb5 %ld, "
                "sub 0x%08x, %s\n", size, signed_length, (long)code,
                (unsigned)x.strict_sub_status, x.strict_reason[0] ? x.strict_reason : "passed");
    if (code != 0 && x.strict_reason[0] == '\0')
        abort(); /* a refusal says why */
    if (code == 0 && (x.strict_sub_status != 0 || x.strict_reason[0] != '\0'))
        abort(); /* a pass leaves no verdict */
    free(reply);
    return 0;
}
