/*
 * kerb_logon: one LsaLogonUser through the Kerberos package, for the shell tests that
 * drive a real KDC (test_kerb_logon.sh).  Prints one line:
 *   status NAME 0xSTATUS sub NAME 0xSUB [logon HIGH:LOW profile TYPE certificate BYTES]
 * where TYPE is the profile's KERB_PROFILE_BUFFER_TYPE and BYTES a smart-card profile's
 * CertificateSize (checked to lie inside the profile), else 0.
 * and exits 0 when the call was made (whatever its status), 2 on a usage error.
 *
 *   kerb_logon [--trusted] [--service] [--domain D] [--user U] [--password P]
 *              [--certificate [--identity ID]] [--pin PIN] [--terminate]
 *
 * With --hold it waits for the end of standard input before it closes the token
 * (--terminate) and its connection.  With --sessions it prints "sessions N", the count LsaEnumerateLogonSessions
 * gives, and makes no logon.  With --change-to NEW it makes a KerbChangePasswordMessage instead (DomainName D,
 * AccountName U, OldPassword P) and prints
 *   change NAME 0xSTATUS protocol NAME 0xPROTOCOL
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lsa/lsa_ext.h>
#include <lsa/lsa_status.h>
#include <lsa/lsa_util.h>
#include <lsa/ntsecapi.h>

struct options {
    int trusted, service, certificate, terminate, hold, sessions;
    const char *domain, *user, *password, *identity, *pin, *new_password;
};

/* Appends UTF-8 S as UTF-16 at *TAIL; sets OUT to it with Buffer = ADDRESS_BASE + offset
 * (a client address, or an offset from the structure when ADDRESS_BASE is 0). */
static void put(UNICODE_STRING *out, const char *s, unsigned char *block, unsigned char **tail,
                uintptr_t address_base)
{
    UNICODE_STRING w;

    memset(out, 0, sizeof(*out));
    if (s == NULL || *s == '\0' || lsa_utf8_to_unicode_string(s, strlen(s), &w) != 0)
        return;
    memcpy(*tail, w.Buffer, w.Length);
    out->Length = out->MaximumLength = w.Length;
    out->Buffer = (PWSTR)(address_base + (uintptr_t)(*tail - block));
    *tail += w.Length + (w.Length & 1);
    lsa_free_unicode_string(&w);
}

static ULONG build(const struct options *o, unsigned char *block)
{
    unsigned char *tail;

    if (o->certificate) {
        KERB_CERTIFICATE_LOGON *c = (KERB_CERTIFICATE_LOGON *)block;
        tail = block + sizeof(*c);
        c->MessageType = KerbCertificateLogon;
        put(&c->DomainName, o->domain, block, &tail, 0);
        put(&c->UserName, o->user, block, &tail, 0);
        put(&c->Pin, o->pin, block, &tail, 0);
        if (o->identity != NULL) {
            c->CspDataLength = (ULONG)strlen(o->identity);
            c->CspData = (PUCHAR)(uintptr_t)(tail - block);
            memcpy(tail, o->identity, c->CspDataLength);
            tail += c->CspDataLength;
        }
    } else {
        KERB_INTERACTIVE_LOGON *i = (KERB_INTERACTIVE_LOGON *)block;
        tail = block + sizeof(*i);
        i->MessageType = KerbInteractiveLogon;
        put(&i->LogonDomainName, o->domain, block, &tail, (uintptr_t)block);
        put(&i->UserName, o->user, block, &tail, (uintptr_t)block);
        put(&i->Password, o->password, block, &tail, (uintptr_t)block);
    }
    return (ULONG)(tail - block);
}

/* KerbChangePasswordMessage: strings are addresses in BLOCK, as a caller's pointers. */
static ULONG build_change(const struct options *o, unsigned char *block)
{
    KERB_CHANGEPASSWORD_REQUEST *r = (KERB_CHANGEPASSWORD_REQUEST *)block;
    unsigned char *tail = block + sizeof(*r);

    r->MessageType = KerbChangePasswordMessage;
    put(&r->DomainName, o->domain, block, &tail, (uintptr_t)block);
    put(&r->AccountName, o->user, block, &tail, (uintptr_t)block);
    put(&r->OldPassword, o->password, block, &tail, (uintptr_t)block);
    put(&r->NewPassword, o->new_password, block, &tail, (uintptr_t)block);
    return (ULONG)(tail - block);
}

static void change_password(const struct options *o, HANDLE lsa, ULONG package,
                            unsigned char *block)
{
    ULONG length = build_change(o, block);
    PVOID reply = NULL;
    ULONG reply_length = 0;
    NTSTATUS protocol = 0;
    NTSTATUS status = LsaCallAuthenticationPackage(lsa, package, block, length, &reply,
                                                   &reply_length, &protocol);
    const char *s = lsa_status_name(status), *p = lsa_status_name(protocol);

    explicit_bzero(block, length);
    printf("change %s 0x%08x protocol %s 0x%08x\n", s ? s : "?", (unsigned)status,
           p ? p : "?", (unsigned)protocol);
    if (reply != NULL)
        LsaFreeReturnBuffer(reply);
}

static int parse(int argc, char **argv, struct options *o)
{
    static const struct option longs[] = {
        { "trusted", no_argument, NULL, 't' },     { "service", no_argument, NULL, 's' },
        { "certificate", no_argument, NULL, 'c' }, { "terminate", no_argument, NULL, 'x' },
        { "domain", required_argument, NULL, 'd' }, { "user", required_argument, NULL, 'u' },
        { "password", required_argument, NULL, 'p' },
        { "identity", required_argument, NULL, 'i' }, { "pin", required_argument, NULL, 'n' },
        { "change-to", required_argument, NULL, 'w' }, { "hold", no_argument, NULL, 'h' },
        { "sessions", no_argument, NULL, 'e' },
        { NULL, 0, NULL, 0 },
    };
    int c;

    memset(o, 0, sizeof(*o));
    while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1) {
        switch (c) {
        case 't': o->trusted = 1; break;
        case 's': o->service = 1; break;
        case 'c': o->certificate = 1; break;
        case 'x': o->terminate = 1; break;
        case 'd': o->domain = optarg; break;
        case 'u': o->user = optarg; break;
        case 'p': o->password = optarg; break;
        case 'i': o->identity = optarg; break;
        case 'n': o->pin = optarg; break;
        case 'w': o->new_password = optarg; break;
        case 'h': o->hold = 1; break;
        case 'e': o->sessions = 1; break;
        default: return -1;
        }
    }
    return optind == argc ? 0 : -1;
}

static void print_profile(const void *profile, ULONG length)
{
    ULONG type = 0, certificate = 0;

    if (profile != NULL && length >= sizeof(KERB_INTERACTIVE_PROFILE))
        type = *(const KERB_PROFILE_BUFFER_TYPE *)profile;
    if (type == KerbSmartCardProfile && length >= sizeof(KERB_SMART_CARD_PROFILE)) {
        const KERB_SMART_CARD_PROFILE *p = profile;
        uintptr_t data = (uintptr_t)p->CertificateData, base = (uintptr_t)profile;
        certificate = p->CertificateSize;
        if (certificate > 0 && (data < base + sizeof(*p) || data - base > length ||
                                certificate > length - (data - base)))
            certificate = 0xffffffff; /* outside the profile */
    }
    printf(" profile %u certificate %u", (unsigned)type, (unsigned)certificate);
}

int main(int argc, char **argv)
{
    static _Alignas(8) unsigned char block[16384];
    struct options o;
    HANDLE lsa;
    LSA_OPERATIONAL_MODE mode;
    char name[] = "Kerberos", process[] = "kerb_logon", origin[] = "test";
    LSA_STRING package_name = { sizeof(name) - 1, sizeof(name), name };
    LSA_STRING process_name = { sizeof(process) - 1, sizeof(process), process };
    LSA_STRING origin_name = { sizeof(origin) - 1, sizeof(origin), origin };
    TOKEN_SOURCE source = { "test", { 0, 0 } };
    ULONG package, profile_length = 0;
    PVOID profile = NULL;
    LUID logon_id = { 0, 0 };
    HANDLE token = NULL;
    QUOTA_LIMITS quotas;
    NTSTATUS status, sub = 0;

    if (parse(argc, argv, &o) != 0) {
        fprintf(stderr, "usage: kerb_logon [--trusted] [--service] [--domain D] [--user U] "
                        "[--password P] [--certificate [--identity ID]] [--pin PIN] "
                        "[--terminate] [--hold] [--change-to NEW] | --sessions\n");
        return 2;
    }
    if (o.sessions) {
        ULONG count = 0;
        PLUID list = NULL;
        status = LsaEnumerateLogonSessions(&count, &list);
        if (status != 0) {
            printf("sessions %s 0x%08x\n", lsa_status_name(status), (unsigned)status);
            return 1;
        }
        printf("sessions %u\n", (unsigned)count);
        LsaFreeReturnBuffer(list);
        return 0;
    }
    status = o.trusted ? LsaRegisterLogonProcess(&process_name, &lsa, &mode)
                       : LsaConnectUntrusted(&lsa);
    if (status == 0)
        status = LsaLookupAuthenticationPackage(lsa, &package_name, &package);
    if (status != 0) {
        printf("connect %s 0x%08x\n", lsa_status_name(status), (unsigned)status);
        return 1;
    }
    if (o.new_password != NULL) {
        change_password(&o, lsa, package, block);
        LsaDeregisterLogonProcess(lsa);
        return 0;
    }
    ULONG length = build(&o, block);
    status = LsaLogonUser(lsa, &origin_name, o.service ? Service : Interactive, package, block,
                          length, NULL, &source, &profile, &profile_length, &logon_id, &token,
                          &quotas, &sub);
    explicit_bzero(block, sizeof(block));
    const char *s = lsa_status_name(status), *ss = lsa_status_name(sub);
    printf("status %s 0x%08x sub %s 0x%08x", s ? s : "?", (unsigned)status, ss ? ss : "?",
           (unsigned)sub);
    if (status == 0) {
        printf(" logon %08x:%08x", (unsigned)logon_id.HighPart, (unsigned)logon_id.LowPart);
        print_profile(profile, profile_length);
        LsaFreeReturnBuffer(profile);
    }
    printf("\n");
    fflush(stdout);
    while (o.hold && getchar() != EOF)
        ;
    if (status == 0 && o.terminate)
        lsa_close_token(token);
    LsaDeregisterLogonProcess(lsa);
    return 0;
}
