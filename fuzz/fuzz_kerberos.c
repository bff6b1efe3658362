/*
 * libFuzzer harness for every Kerberos submit buffer (packages/kerberos/kerb_logon.c,
 * kerb_logon_machine.c, the message handlers behind kerb_call_package; layouts in
 * <lsa/ntsecapi_kerberos.h>): the real kerberos package, built with the fuzzer's
 * instrumentation as fuzz/kerberos.so, loaded by the real LSA (every lsa_core source,
 * linked in), reached only through LsaLogonUser and LsaCallAuthenticationPackage on a
 * trusted and an untrusted handle.
 *
 * Input:
 *   [0]   selector: bits 0-4 the kind (mod KIND_COUNT, table below); bit 5 the untrusted
 *         handle; bit 6 "live" (below); bit 7 keep every MaximumLength as sent (else one
 *         below Length is raised to Length, so the strings relocate)
 *   [1..] the submit buffer, passed in a malloc of exactly its length
 *
 * Logons: KERB_INTERACTIVE_LOGON, KERB_INTERACTIVE_UNLOCK_LOGON, KERB_CERTIFICATE_LOGON
 * and KERB_CERTIFICATE_UNLOCK_LOGON, each as Interactive and as Service (a Service logon
 * naming no user or the machine principal is the machine / device logon), and one kind
 * with MessageType as sent and the logon type from bytes [4, 8) (the padding).
 * Calls: the "call" kind sets MessageType to its own value mod 41 (every
 * KERB_PROTOCOL_MESSAGE_TYPE, 0..36, and four unknown ones); "call-any" keeps it.
 *
 * Pointers: the Buffer of every UNICODE_STRING and every PUCHAR of the selected request
 * that fits in the buffer is rewritten to base + (value mod (length + 1)), so relocation
 * is exercised rather than refused.  KERB_CERTIFICATE_LOGON's Buffers and CspData, and
 * KERB_SUBMIT_TKT_REQUEST's Key.Offset and KerbCredOffset, are offsets from the
 * structure's start: they become value mod (length + 1).
 *
 * "Live": a certificate logon's CspDataLength becomes 0, so the package uses
 * [kerberos] pkinit_identity / device_identity (a valid certificate the harness made);
 * a call's LogonId (every one the request has) becomes SYSTEM's (0x3e7).
 *
 * The package never reaches a KDC and never waits: KRB5_CONFIG names a krb5.conf whose
 * only realm, FUZZ.TEST (the default), has kdc = 127.0.0.1:1 (closed: the TCP connect is
 * refused at once), DNS lookups are off, and kdc_timeout is 0.2 s.  verify_ticket is
 * false, machine_keytab names a file that does not exist.  Everything lives in a
 * temporary directory (on /dev/shm when there is one; removed at exit, or by the next
 * start after a crash).  An identity string in CspData naming an existing path that is not
 * a regular file (/dev/zero, a FIFO) would make OpenSSL read forever: such inputs are
 * skipped.  FUZZ_KERBEROS_STATS=1 prints, at exit, the distinct outcomes of each kind.
 * FUZZ_KERBEROS_DIR overrides the package's directory (default: the harness's).
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
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <lsa/lsa_ext.h>
#include <lsa/lsa_status.h>
#include <lsa/ntsecapi.h>

#include "fuzz_lsa.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

const char fuzz_lsa_name[] = "fuzz_kerberos";

#define NAME "fuzz_kerberos"
#define REALM "FUZZ.TEST"
#define MACHINE "host/fuzz.fuzz.test"

#define SEL_UNTRUSTED 0x20u
#define SEL_LIVE 0x40u
#define SEL_RAW_MAX 0x80u
#define KEEP_TYPE 0xFFFFFFFFu   /* MessageType as sent */
#define TYPE_FROM_PADDING (-1)  /* logon type: bytes [4, 8) */
#define CALL_TYPES 41           /* message types 0..40 */

enum api { CALL, LOGON };
enum kind {
    K_INTERACTIVE, K_INTERACTIVE_SERVICE, K_UNLOCK, K_UNLOCK_SERVICE, K_CERTIFICATE,
    K_CERTIFICATE_SERVICE, K_CERTIFICATE_UNLOCK, K_CERTIFICATE_UNLOCK_SERVICE, K_LOGON_ANY,
    K_CALL, K_CALL_ANY, KIND_COUNT
};
static const struct {
    const char *name;
    enum api api;
    ULONG message_type;
    int logon_type;
} kinds[KIND_COUNT] = {
    [K_INTERACTIVE] = { "interactive", LOGON, KerbInteractiveLogon, Interactive },
    [K_INTERACTIVE_SERVICE] = { "interactive-service", LOGON, KerbInteractiveLogon, Service },
    [K_UNLOCK] = { "unlock", LOGON, KerbWorkstationUnlockLogon, Interactive },
    [K_UNLOCK_SERVICE] = { "unlock-service", LOGON, KerbWorkstationUnlockLogon, Service },
    [K_CERTIFICATE] = { "certificate", LOGON, KerbCertificateLogon, Interactive },
    [K_CERTIFICATE_SERVICE] = { "certificate-service", LOGON, KerbCertificateLogon, Service },
    [K_CERTIFICATE_UNLOCK] = { "certificate-unlock", LOGON, KerbCertificateUnlockLogon,
                               Interactive },
    [K_CERTIFICATE_UNLOCK_SERVICE] = { "certificate-unlock-service", LOGON,
                                       KerbCertificateUnlockLogon, Service },
    [K_LOGON_ANY] = { "logon-any-type", LOGON, KEEP_TYPE, TYPE_FROM_PADDING },
    [K_CALL] = { "call", CALL, KEEP_TYPE, 0 },
    [K_CALL_ANY] = { "call-any-type", CALL, KEEP_TYPE, 0 },
};

static struct {
    char dir[PATH_MAX];
    char config[PATH_MAX + 32];
    HANDLE handle[2]; /* [0] trusted (untrusted when not root), [1] untrusted */
    ULONG package;
    int stats;
} h;

/* ---- the submit buffer's pointers and offsets ----------------------------------------- */

static void store32(uint8_t *p, ULONG v)
{
    memcpy(p, &v, sizeof(v));
}

static void raise_max(uint8_t *r, size_t off, BOOLEAN raw_max)
{
    USHORT length, max;

    memcpy(&length, r + off + offsetof(UNICODE_STRING, Length), sizeof(length));
    memcpy(&max, r + off + offsetof(UNICODE_STRING, MaximumLength), sizeof(max));
    if (!raw_max && max < length)
        memcpy(r + off + offsetof(UNICODE_STRING, MaximumLength), &length, sizeof(length));
}

/* One whose Buffer is an offset from the structure's start (KERB_CERTIFICATE_LOGON). */
static void fix_offset_string(uint8_t *r, size_t n, size_t off, BOOLEAN raw_max)
{
    uint64_t value;

    if (n < off + sizeof(UNICODE_STRING))
        return;
    raise_max(r, off, raw_max);
    memcpy(&value, r + off + offsetof(UNICODE_STRING, Buffer), sizeof(value));
    value %= (uint64_t)n + 1;
    memcpy(r + off + offsetof(UNICODE_STRING, Buffer), &value, sizeof(value));
}

static void fix_offset64(uint8_t *r, size_t n, size_t off)
{
    uint64_t value;

    if (n < off + sizeof(value))
        return;
    memcpy(&value, r + off, sizeof(value));
    value %= (uint64_t)n + 1;
    memcpy(r + off, &value, sizeof(value));
}

static void fix_offset32(uint8_t *r, size_t n, size_t off)
{
    if (n < off + sizeof(ULONG))
        return;
    store32(r + off, (ULONG)(fuzz_load32(r + off) % ((uint64_t)n + 1)));
}

static void set_luid(uint8_t *r, size_t n, size_t off)
{
    const LUID system = SYSTEM_LUID;

    if (n >= off + sizeof(LUID))
        memcpy(r + off, &system, sizeof(system));
}

#define U(type, field) offsetof(type, field)
#define S(type, field) fuzz_fix_string(r, n, U(type, field), raw_max)

/* The strings and pointers of each request of ntsecapi_kerberos.h; a live call's LogonIds
 * become SYSTEM's. */
static void fix_message(uint8_t *r, size_t n, ULONG type, BOOLEAN raw_max, BOOLEAN live)
{
    size_t luid[2] = { 0, 0 }; /* 0: none */

    switch (type) {
    case KerbQueryTicketCacheMessage:
    case KerbQueryTicketCacheExMessage:
    case KerbQueryTicketCacheEx2Message:
    case KerbQueryTicketCacheEx3Message:
        luid[0] = U(KERB_QUERY_TKT_CACHE_REQUEST, LogonId);
        break;
    case KerbRetrieveTicketMessage:
    case KerbRetrieveEncodedTicketMessage:
        S(KERB_RETRIEVE_TKT_REQUEST, TargetName);
        luid[0] = U(KERB_RETRIEVE_TKT_REQUEST, LogonId);
        break;
    case KerbPurgeTicketCacheMessage:
        S(KERB_PURGE_TKT_CACHE_REQUEST, ServerName);
        S(KERB_PURGE_TKT_CACHE_REQUEST, RealmName);
        luid[0] = U(KERB_PURGE_TKT_CACHE_REQUEST, LogonId);
        break;
    case KerbPurgeTicketCacheExMessage:
        S(KERB_PURGE_TKT_CACHE_EX_REQUEST, TicketTemplate.ClientName);
        S(KERB_PURGE_TKT_CACHE_EX_REQUEST, TicketTemplate.ClientRealm);
        S(KERB_PURGE_TKT_CACHE_EX_REQUEST, TicketTemplate.ServerName);
        S(KERB_PURGE_TKT_CACHE_EX_REQUEST, TicketTemplate.ServerRealm);
        luid[0] = U(KERB_PURGE_TKT_CACHE_EX_REQUEST, LogonId);
        break;
    case KerbChangePasswordMessage:
        S(KERB_CHANGEPASSWORD_REQUEST, DomainName);
        S(KERB_CHANGEPASSWORD_REQUEST, AccountName);
        S(KERB_CHANGEPASSWORD_REQUEST, OldPassword);
        S(KERB_CHANGEPASSWORD_REQUEST, NewPassword);
        break;
    case KerbDecryptDataMessage:
        fuzz_fix_pointer(r, n, U(KERB_DECRYPT_REQUEST, Key.Value));
        fuzz_fix_pointer(r, n, U(KERB_DECRYPT_REQUEST, InitialVector));
        fuzz_fix_pointer(r, n, U(KERB_DECRYPT_REQUEST, EncryptedData));
        luid[0] = U(KERB_DECRYPT_REQUEST, LogonId);
        break;
    case KerbAddBindingCacheEntryMessage:
    case KerbAddBindingCacheEntryExMessage: /* the same strings at the same offsets */
        S(KERB_ADD_BINDING_CACHE_ENTRY_EX_REQUEST, RealmName);
        S(KERB_ADD_BINDING_CACHE_ENTRY_EX_REQUEST, KdcAddress);
        break;
    case KerbSetPasswordMessage:
        S(KERB_SETPASSWORD_REQUEST, DomainName);
        S(KERB_SETPASSWORD_REQUEST, AccountName);
        S(KERB_SETPASSWORD_REQUEST, Password);
        luid[0] = U(KERB_SETPASSWORD_REQUEST, LogonId);
        break;
    case KerbSetPasswordExMessage:
        S(KERB_SETPASSWORD_EX_REQUEST, AccountRealm);
        S(KERB_SETPASSWORD_EX_REQUEST, AccountName);
        S(KERB_SETPASSWORD_EX_REQUEST, Password);
        S(KERB_SETPASSWORD_EX_REQUEST, ClientRealm);
        S(KERB_SETPASSWORD_EX_REQUEST, ClientName);
        S(KERB_SETPASSWORD_EX_REQUEST, KdcAddress);
        luid[0] = U(KERB_SETPASSWORD_EX_REQUEST, LogonId);
        break;
    case KerbRefreshSmartcardCredentialsMessage:
        S(KERB_REFRESH_SCCRED_REQUEST, CredentialBlob);
        luid[0] = U(KERB_REFRESH_SCCRED_REQUEST, LogonId);
        break;
    case KerbAddExtraCredentialsExMessage: {
        const size_t names = U(KERB_ADD_CREDENTIALS_REQUEST_EX, PrincipalNames);
        ULONG count = n >= U(KERB_ADD_CREDENTIALS_REQUEST_EX, PrincipalNameCount) + 4
                          ? fuzz_load32(r + U(KERB_ADD_CREDENTIALS_REQUEST_EX, PrincipalNameCount))
                          : 0;
        for (ULONG i = 0; i < count && names + (i + 1) * sizeof(UNICODE_STRING) <= n; i++)
            fuzz_fix_string(r, n, names + i * sizeof(UNICODE_STRING), raw_max);
    }
        /* fall through: the same credentials first */
    case KerbAddExtraCredentialsMessage:
        S(KERB_ADD_CREDENTIALS_REQUEST, UserName);
        S(KERB_ADD_CREDENTIALS_REQUEST, DomainName);
        S(KERB_ADD_CREDENTIALS_REQUEST, Password);
        luid[0] = U(KERB_ADD_CREDENTIALS_REQUEST, LogonId);
        break;
    case KerbTransferCredentialsMessage:
        luid[0] = U(KERB_TRANSFER_CRED_REQUEST, OriginLogonId);
        luid[1] = U(KERB_TRANSFER_CRED_REQUEST, DestinationLogonId);
        break;
    case KerbSubmitTicketMessage: /* offsets from the message's start */
        fix_offset32(r, n, U(KERB_SUBMIT_TKT_REQUEST, Key.Offset));
        fix_offset32(r, n, U(KERB_SUBMIT_TKT_REQUEST, KerbCredOffset));
        luid[0] = U(KERB_SUBMIT_TKT_REQUEST, LogonId);
        break;
    case KerbQueryKdcProxyCacheMessage:
        luid[0] = U(KERB_QUERY_KDC_PROXY_CACHE_REQUEST, LogonId);
        break;
    case KerbPurgeKdcProxyCacheMessage:
        luid[0] = U(KERB_PURGE_KDC_PROXY_CACHE_REQUEST, LogonId);
        break;
    case KerbQueryS4U2ProxyCacheMessage:
        luid[0] = U(KERB_QUERY_S4U2PROXY_CACHE_REQUEST, LogonId);
        break;
    case KerbCleanupMachinePkinitCredsMessage:
        luid[0] = U(KERB_CLEANUP_MACHINE_PKINIT_CREDS_REQUEST, LogonId);
        break;
    case KerbPinKdcMessage:
        S(KERB_PIN_KDC_REQUEST, Realm);
        S(KERB_PIN_KDC_REQUEST, KdcAddress);
        break;
    case KerbQueryDomainExtendedPoliciesMessage:
        S(KERB_QUERY_DOMAIN_EXTENDED_POLICIES_REQUEST, DomainName);
        break;
    case KerbRetrieveKeyTabMessage:
        S(KERB_RETRIEVE_KEY_TAB_REQUEST, UserName);
        S(KERB_RETRIEVE_KEY_TAB_REQUEST, DomainName);
        S(KERB_RETRIEVE_KEY_TAB_REQUEST, Password);
        break;
    case KerbPrintCloudKerberosDebugMessage:
        luid[0] = U(KERB_CLOUD_KERBEROS_DEBUG_REQUEST, LogonId);
        break;
    default: /* no strings: Debug, ChangeMachinePassword, VerifyPac, UpdateAddresses,
              * VerifyCredentials, QuerySupplementalCredentials, binding cache query and
              * purge, UnpinAllKdcs, RefreshPolicy, unknown types */
        break;
    }
    for (int i = 0; live && i < 2; i++)
        if (luid[i] != 0)
            set_luid(r, n, luid[i]);
}

static void fix_logon(uint8_t *r, size_t n, ULONG type, BOOLEAN raw_max, BOOLEAN live)
{
    switch (type) {
    case KerbInteractiveLogon:
    case KerbWorkstationUnlockLogon:
        S(KERB_INTERACTIVE_LOGON, LogonDomainName);
        S(KERB_INTERACTIVE_LOGON, UserName);
        S(KERB_INTERACTIVE_LOGON, Password);
        break;
    case KerbCertificateLogon:
    case KerbCertificateUnlockLogon:
        fix_offset_string(r, n, U(KERB_CERTIFICATE_LOGON, DomainName), raw_max);
        fix_offset_string(r, n, U(KERB_CERTIFICATE_LOGON, UserName), raw_max);
        fix_offset_string(r, n, U(KERB_CERTIFICATE_LOGON, Pin), raw_max);
        fix_offset64(r, n, U(KERB_CERTIFICATE_LOGON, CspData));
        if (live && n >= U(KERB_CERTIFICATE_LOGON, CspDataLength) + 4)
            store32(r + U(KERB_CERTIFICATE_LOGON, CspDataLength), 0);
        break;
    case KerbSmartCardLogon:
    case KerbSmartCardUnlockLogon:
        S(KERB_SMART_CARD_LOGON, Pin);
        fuzz_fix_pointer(r, n, U(KERB_SMART_CARD_LOGON, CspData));
        break;
    case KerbS4ULogon:
        S(KERB_S4U_LOGON, ClientUpn);
        S(KERB_S4U_LOGON, ClientRealm);
        break;
    case KerbCertificateS4ULogon:
        S(KERB_CERTIFICATE_S4U_LOGON, UserPrincipalName);
        S(KERB_CERTIFICATE_S4U_LOGON, DomainName);
        fuzz_fix_pointer(r, n, U(KERB_CERTIFICATE_S4U_LOGON, Certificate));
        break;
    case KerbTicketLogon:
    case KerbTicketUnlockLogon:
        fuzz_fix_pointer(r, n, U(KERB_TICKET_LOGON, ServiceTicket));
        fuzz_fix_pointer(r, n, U(KERB_TICKET_LOGON, TicketGrantingTicket));
        break;
    default:
        break;
    }
}

/* A certificate logon's CspData as the package will read it (an identity string): FALSE
 * when it names an existing path that is not a regular file, which OpenSSL would read
 * without end (/dev/zero, a FIFO) or block on. */
static BOOLEAN identity_is_safe(const uint8_t *r, size_t n, ULONG type)
{
    ULONG length;
    uint64_t at;
    char *spec, *path, *next;
    BOOLEAN safe = TRUE;
    struct stat st;

    if ((type != KerbCertificateLogon && type != KerbCertificateUnlockLogon) ||
        n < sizeof(KERB_CERTIFICATE_LOGON))
        return TRUE;
    length = fuzz_load32(r + U(KERB_CERTIFICATE_LOGON, CspDataLength));
    memcpy(&at, r + U(KERB_CERTIFICATE_LOGON, CspData), sizeof(at));
    if (length == 0 || at > n || length > n - at)
        return TRUE;
    spec = strndup((const char *)r + at, length);
    if (spec == NULL)
        abort();
    path = strchr(spec, ':') ? strchr(spec, ':') + 1 : spec;
    for (; path != NULL && safe; path = next) {
        next = strchr(path, ',');
        if (next != NULL)
            *next++ = '\0';
        if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
            safe = FALSE;
    }
    free(spec);
    return safe;
}

/* ---- outcomes ------------------------------------------------------------------------- */

#define OUTCOME_SLOTS 4096
static struct outcome {
    uint8_t used, kind, untrusted;
    ULONG type;
    NTSTATUS status, detail;
    unsigned long count;
} outcomes[OUTCOME_SLOTS];
static unsigned long runs[KIND_COUNT][2];

static void record(enum kind k, int untrusted, ULONG type, NTSTATUS status, NTSTATUS detail)
{
    uint32_t hash = ((uint32_t)k * 31u + (uint32_t)untrusted) * 2654435761u ^ type * 97u ^
                    (uint32_t)status * 40503u ^ (uint32_t)detail * 2246822519u;

    runs[k][untrusted]++;
    if (!h.stats)
        return;
    for (unsigned i = 0; i < OUTCOME_SLOTS; i++) {
        struct outcome *o = &outcomes[(hash + i) % OUTCOME_SLOTS];
        if (!o->used) {
            *o = (struct outcome){ 1, (uint8_t)k, (uint8_t)untrusted, type, status, detail, 0 };
        } else if (o->kind != k || o->untrusted != untrusted || o->type != type ||
                   o->status != status || o->detail != detail) {
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

    fprintf(stderr, NAME " outcomes: type, status / ProtocolStatus (calls) or SubStatus "
                    "(logons)\n");
    for (int k = 0; k < KIND_COUNT; k++) {
        for (int u = 0; u < 2; u++) {
            fprintf(stderr, "  %s, %s: %lu runs\n", kinds[k].name, u ? "untrusted" : "trusted",
                    runs[k][u]);
            for (unsigned i = 0; i < OUTCOME_SLOTS; i++) {
                const struct outcome *o = &outcomes[i];
                if (!o->used || o->kind != k || o->untrusted != u)
                    continue;
                total++;
                fprintf(stderr, "    %-10u %-45s %-45s %lu\n", (unsigned)o->type,
                        status_text(o->status, a, sizeof(a)),
                        status_text(o->detail, b, sizeof(b)), o->count);
            }
        }
    }
    fprintf(stderr, NAME ": %u distinct outcomes\n", total);
}

/* ---- the LSA -------------------------------------------------------------------------- */

/* ---- the temporary directory ---------------------------------------------------------- */

static void finish(void)
{
    if (h.stats)
        print_stats();
    for (int i = 0; i < 2; i++)
        if (h.handle[i] != NULL)
            LsaDeregisterLogonProcess(h.handle[i]);
    if (fuzz_remove_tree(h.dir) != 0)
        fprintf(stderr, NAME ": %s left behind: %s\n", h.dir, strerror(errno));
}

/* A valid self-signed P-256 certificate with a dNSName (a device certificate, spec §5.5)
 * and its key, DIR/identity.pem and DIR/identity.key; DIR/ca.pem is the same certificate,
 * the PKINIT anchor. */
static void write_identity(void)
{
    char path[PATH_MAX + 32];
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *cert = X509_new();
    X509_NAME *name = X509_NAME_new();
    X509_EXTENSION *san = NULL;
    X509V3_CTX ctx;
    FILE *f;

    if (key == NULL || cert == NULL || name == NULL ||
        X509_set_version(cert, X509_VERSION_3) != 1 ||
        ASN1_INTEGER_set(X509_get_serialNumber(cert), 1) != 1 ||
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"fuzz",
                                   -1, -1, 0) != 1 ||
        X509_set_subject_name(cert, name) != 1 || X509_set_issuer_name(cert, name) != 1 ||
        X509_gmtime_adj(X509_getm_notBefore(cert), -86400) == NULL ||
        X509_gmtime_adj(X509_getm_notAfter(cert), 86400L * 365) == NULL ||
        X509_set_pubkey(cert, key) != 1)
        fuzz_die("cannot make the harness's certificate");
    X509V3_set_ctx(&ctx, cert, cert, NULL, NULL, 0);
    san = X509V3_EXT_conf_nid(NULL, &ctx, NID_subject_alt_name, "DNS:fuzz.fuzz.test");
    if (san == NULL || X509_add_ext(cert, san, -1) != 1 || X509_sign(cert, key, EVP_sha256()) == 0)
        fuzz_die("cannot sign the harness's certificate");
    for (int i = 0; i < 3; i++) {
        static const char *const names[] = { "identity.pem", "identity.key", "ca.pem" };
        snprintf(path, sizeof(path), "%s/%s", h.dir, names[i]);
        if ((f = fopen(path, "w")) == NULL)
            fuzz_die("cannot write the harness's certificate");
        if ((i == 1 ? PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL)
                    : PEM_write_X509(f, cert)) != 1 || fclose(f) != 0)
            fuzz_die("cannot write the harness's certificate");
    }
    X509_EXTENSION_free(san);
    X509_NAME_free(name);
    X509_free(cert);
    EVP_PKEY_free(key);
}

static void package_dir(char *out, size_t size)
{
    const char *env = getenv("FUZZ_KERBEROS_DIR");
    char self[PATH_MAX];
    ssize_t n;

    if (env != NULL && env[0] == '/') {
        snprintf(out, size, "%s", env);
        return;
    }
    n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n <= 0)
        fuzz_die("cannot find the harness's directory (set FUZZ_KERBEROS_DIR)");
    self[n] = '\0';
    *strrchr(self, '/') = '\0';
    snprintf(out, size, "%s", self);
}

static void write_config(void)
{
    char dir[PATH_MAX], so[PATH_MAX + 16], path[PATH_MAX + 32], text[6 * PATH_MAX];

    package_dir(dir, sizeof(dir));
    snprintf(so, sizeof(so), "%s/kerberos.so", dir);
    if (access(so, R_OK) != 0)
        fuzz_die("the instrumented package is missing (make fuzz/kerberos.so, or set "
            "FUZZ_KERBEROS_DIR)");

    /* krb5.conf: one realm whose KDC refuses at once; nothing looked up in DNS. */
    snprintf(path, sizeof(path), "%s/krb5.conf", h.dir);
    snprintf(text, sizeof(text),
             "[libdefaults]\n"
             "  default_realm = " REALM "\n"
             "  dns_lookup_kdc = false\n"
             "  dns_lookup_realm = false\n"
             "  dns_canonicalize_hostname = false\n"
             "  rdns = false\n"
             "  udp_preference_limit = 1\n"
             "  default_ccache_name = FILE:%s/ccache\n"
             "  default_keytab_name = FILE:%s/no-such.keytab\n"
             "[realms]\n"
             "  " REALM " = {\n"
             "    kdc = 127.0.0.1:1\n"
             "    admin_server = 127.0.0.1:1\n"
             "    kpasswd_server = 127.0.0.1:1\n"
             "  }\n"
             "[domain_realm]\n"
             "  .fuzz.test = " REALM "\n",
             h.dir, h.dir);
    fuzz_write_file(path, text, 0644);
    setenv("KRB5_CONFIG", path, 1);
    snprintf(path, sizeof(path), "%s/no-such.keytab", h.dir);
    setenv("KRB5_KTNAME", path, 1);
    snprintf(path, sizeof(path), "FILE:%s/ccache", h.dir);
    setenv("KRB5CCNAME", path, 1);
    unsetenv("KRB5_TRACE");

    snprintf(path, sizeof(path), "%s/state", h.dir);
    if (mkdir(path, 0700) != 0)
        fuzz_die("cannot make the state directory");
    snprintf(text, sizeof(text),
             "[lsa]\npackages = kerberos\npackage_dir = %s\nstate_dir = %s/state\n"
             "log_level = err\n"
             "[kerberos]\nkdc_timeout = 0.2\nverify_ticket = false\n"
             "machine_principal = " MACHINE "@" REALM "\n"
             "machine_keytab = FILE:%s/no-such.keytab\n"
             "pkinit_identity = FILE:%s/identity.pem,%s/identity.key\n"
             "device_identity = FILE:%s/identity.pem,%s/identity.key\n"
             "pkinit_anchors = FILE:%s/ca.pem\n",
             dir, h.dir, h.dir, h.dir, h.dir, h.dir, h.dir, h.dir);
    fuzz_write_file(h.config, text, 0644);
}

/* ---- libFuzzer ------------------------------------------------------------------------ */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *tmp = getenv("TMPDIR");
    LSA_STRING name = { sizeof(NAME) - 1, sizeof(NAME), (PCHAR)NAME };
    LSA_STRING package = { sizeof(MICROSOFT_KERBEROS_NAME_A) - 1,
                           sizeof(MICROSOFT_KERBEROS_NAME_A), (PCHAR)MICROSOFT_KERBEROS_NAME_A };
    LSA_OPERATIONAL_MODE mode;
    struct stat st;

    (void)argc;
    (void)argv;
    h.stats = getenv("FUZZ_KERBEROS_STATS") != NULL &&
              strcmp(getenv("FUZZ_KERBEROS_STATS"), "0") != 0;
    if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0)
        tmp = "/dev/shm";
    else if (tmp == NULL || tmp[0] != '/')
        tmp = "/tmp";
    fuzz_remove_stale_dirs(tmp);
    snprintf(h.dir, sizeof(h.dir), "%s/" NAME ".%ld.XXXXXX", tmp, (long)getpid());
    if (mkdtemp(h.dir) == NULL)
        fuzz_die("cannot make a temporary directory");
    snprintf(h.config, sizeof(h.config), "%s/lsa.conf", h.dir);
    atexit(finish);
    write_identity();
    write_config();
    setenv("LSA_CONFIG", h.config, 1);
    unsetenv("LSA_LOGON_ID");

    if (LsaConnectUntrusted(&h.handle[1]) != STATUS_SUCCESS)
        fuzz_die("LsaConnectUntrusted failed (see the LSA's log)");
    if (LsaRegisterLogonProcess(&name, &h.handle[0], &mode) != STATUS_SUCCESS) {
        fprintf(stderr, NAME ": not root: the trusted cases use an untrusted handle\n");
        if (LsaConnectUntrusted(&h.handle[0]) != STATUS_SUCCESS)
            fuzz_die("LsaConnectUntrusted failed");
    }
    if (LsaLookupAuthenticationPackage(h.handle[0], &package, &h.package) != STATUS_SUCCESS)
        fuzz_die("kerberos is not loaded (run with LSA_LOG_STDERR=1 to see why)");
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

    r = malloc(n); /* exactly the length passed */
    if (r == NULL)
        return 0;
    if (n > 0)
        memcpy(r, data + 1, n);
    type = n >= sizeof(ULONG) ? fuzz_load32(r) : KEEP_TYPE;
    if (k == K_CALL && n >= sizeof(ULONG))
        type %= CALL_TYPES;
    else if (kinds[k].message_type != KEEP_TYPE && n >= sizeof(ULONG))
        type = kinds[k].message_type;
    if (n >= sizeof(ULONG))
        store32(r, type);

    if (kinds[k].api == CALL) {
        fix_message(r, n, type, raw_max, live);
        status = fuzz_call(handle, h.package, r, n, &detail);
    } else {
        SECURITY_LOGON_TYPE logon_type = (SECURITY_LOGON_TYPE)kinds[k].logon_type;
        HANDLE token = NULL;
        LUID logon_id;

        if (kinds[k].logon_type == TYPE_FROM_PADDING)
            logon_type = (SECURITY_LOGON_TYPE)(n >= 8 ? fuzz_load32(r + 4) : 0);
        fix_logon(r, n, type, raw_max, live);
        if (!identity_is_safe(r, n, type)) {
            free(r);
            return 0;
        }
        status = fuzz_logon(handle, h.package, logon_type, r, n, &logon_id, &token, &detail);
        if (token != NULL && lsa_close_token(token) != STATUS_SUCCESS)
            abort();
    }
    record(k, untrusted, type, status, detail);
    free(r);
    return 0;
}
