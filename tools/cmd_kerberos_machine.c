/*
 * The machine's Kerberos identity, through the "Kerberos" package:
 *
 *   lsa machine-logon [--keytab | --certificate[=IDENTITY]] [--principal NAME]
 *       LsaLogonUser(Service, Kerberos) for "the machine": LogonType Service with an
 *       empty UserName is the package's machine logon, which fills in [kerberos]
 *       machine_principal.  Without an option it sends KERB_INTERACTIVE_LOGON with an
 *       empty password and domain: the package's choice (the device credential while one
 *       is installed, else machine_keytab).  --keytab sends the same with LogonDomainName
 *       LSA_KERB_MACHINE_KEYTAB_DOMAIN (lsa_ext.h): machine_keytab, even while a device
 *       credential is installed (it stays installed).  --certificate sends
 *       KERB_CERTIFICATE_LOGON whose CspData is the PKINIT identity string (UTF-8;
 *       empty: [kerberos] device_identity): a device logon.  The session LsaLogonUser
 *       returns is closed at once; the SYSTEM and NETWORK_SERVICE ticket caches it
 *       refreshed stay with the package.
 *   lsa pkinit-cleanup system|network_service
 *       KerbCleanupMachinePkinitCredsMessage for 0x3e7 / 0x3e4 (spec/lsa-api.md §5.5);
 *       another session than the caller's needs TCB, which the package checks.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <lsa/lsa_ext.h>
#include <lsa/ntsecapi.h>
#include <lsa/ntstatus.h>

#include "kerb_client.h"
#include "lsa_commands.h"
#include "submit_buffer.h"

#define PRINCIPAL_MAX 1024
#define IDENTITY_MAX 4096

/* machine-logon creates sessions: LsaLogonUser needs a trusted connection. */
static int need_root(const char *cmd)
{
    if (geteuid() == 0)
        return LSA_EXIT_OK;
    lsa_error(cmd, "needs root: the machine's sessions are reached only through a trusted "
                   "connection (LsaRegisterLogonProcess)");
    return LSA_EXIT_FAILURE;
}

/* KERB_INTERACTIVE_LOGON: UserName PRINCIPAL (may be empty), no password; the domain
 * LSA_KERB_MACHINE_KEYTAB_DOMAIN when KEYTAB (the keytab asked for), else none. */
static int password_logon(struct submit *s, const char *principal, int keytab)
{
    const char *domain = keytab ? LSA_KERB_MACHINE_KEYTAB_DOMAIN : "";
    if (submit_start(s, sizeof(KERB_INTERACTIVE_LOGON),
                     4 * (strlen(principal) + strlen(domain)) + 16) != 0)
        return -1;
    PKERB_INTERACTIVE_LOGON logon = (PKERB_INTERACTIVE_LOGON)s->data;
    logon->MessageType = KerbInteractiveLogon;
    if (keytab && submit_put_unicode(s, &logon->LogonDomainName, domain) != 0)
        return -1;
    return submit_put_unicode(s, &logon->UserName, principal);
}

/* KERB_CERTIFICATE_LOGON: UserName PRINCIPAL, CspData IDENTITY (UTF-8, no terminator),
 * every body as an offset from the structure (§5.3). */
static int certificate_logon(struct submit *s, const char *principal, const char *identity)
{
    size_t id_length = strlen(identity);
    if (submit_start(s, sizeof(KERB_CERTIFICATE_LOGON), 4 * strlen(principal) + id_length + 8) != 0)
        return -1;
    PKERB_CERTIFICATE_LOGON logon = (PKERB_CERTIFICATE_LOGON)s->data;
    logon->MessageType = KerbCertificateLogon;
    if (submit_put_unicode(s, &logon->UserName, principal) != 0)
        return -1;
    logon->UserName.Buffer = submit_offset(s, logon->UserName.Buffer);
    if (id_length > 0) {
        void *at = submit_append(s, identity, id_length);
        if (at == NULL)
            return -1;
        logon->CspData = submit_offset(s, at);
        logon->CspDataLength = (ULONG)id_length;
    }
    return 0;
}

static void print_logon_failure(const char *cmd, NTSTATUS status, NTSTATUS sub_status)
{
    char label[96];
    printf("logon: %s\n", lsa_format_status(status, label, sizeof(label)));
    if (sub_status != STATUS_SUCCESS)
        printf("substatus: %s\n", lsa_format_status(sub_status, label, sizeof(label)));
    lsa_status_failure(cmd, "LsaLogonUser(Service, Kerberos)", status);
    if (sub_status != STATUS_SUCCESS)
        lsa_status_failure(cmd, "SubStatus", sub_status);
}

/* What the logon used, as the request and the profile tell: a device logon answers with a
 * KERB_SMART_CARD_PROFILE, as on Windows, and any other with a KERB_INTERACTIVE_PROFILE.
 * Without an option the package picks: the device credential while one is installed,
 * else machine_keytab. */
static const char *credential_used(int certificate, const char *identity,
                                   const void *profile, ULONG profile_length, char *buf,
                                   size_t len)
{
    if (certificate)
        snprintf(buf, len, "certificate %s", *identity ? identity : "(device_identity)");
    else if (profile != NULL && profile_length >= sizeof(KERB_PROFILE_BUFFER_TYPE) &&
             *(const KERB_PROFILE_BUFFER_TYPE *)profile == KerbSmartCardProfile)
        snprintf(buf, len, "the active device credential (PKINIT)");
    else
        snprintf(buf, len, "machine_keytab");
    return buf;
}

static int machine_logon(const char *cmd, int certificate, int keytab, const char *identity,
                         const char *principal)
{
    struct submit s;
    int built = certificate ? certificate_logon(&s, principal, identity)
                            : password_logon(&s, principal, keytab);
    if (built != 0) {
        submit_free(&s);
        return lsa_usage_error(cmd, "the principal or identity is not valid UTF-8");
    }
    HANDLE lsa;
    ULONG package;
    int rc = kerb_connect(cmd, &lsa, &package);
    if (rc != LSA_EXIT_OK) {
        submit_free(&s);
        return rc;
    }
    char origin[] = "lsa machine-logon";
    LSA_STRING origin_name = { sizeof(origin) - 1, sizeof(origin), origin };
    TOKEN_SOURCE source = { "lsa", { 0, 0 } };
    PVOID profile = NULL;
    ULONG profile_length = 0;
    LUID logon_id = { 0, 0 };
    HANDLE token = NULL;
    QUOTA_LIMITS quotas;
    NTSTATUS sub_status = STATUS_SUCCESS;
    NTSTATUS status = LsaLogonUser(lsa, &origin_name, Service, package, s.data, (ULONG)s.used,
                                   NULL, &source, &profile, &profile_length, &logon_id, &token,
                                   &quotas, &sub_status);
    submit_free(&s);
    if (NT_SUCCESS(status)) {
        char label[IDENTITY_MAX + 64], luid[32];
        printf("logon: %s\n", lsa_format_status(status, label, sizeof(label)));
        printf("logon id: %s\n", kerb_format_luid(&logon_id, luid, sizeof(luid)));
        printf("principal: %s\n", *principal ? principal : "(machine_principal)");
        printf("credential: %s\n", credential_used(certificate, identity, profile,
                                                    profile_length, label, sizeof(label)));
        NTSTATUS closed = lsa_close_token(token);
        if (!NT_SUCCESS(closed))
            rc = lsa_status_failure(cmd, "lsa_close_token", closed);
    } else {
        print_logon_failure(cmd, status, sub_status);
        rc = LSA_EXIT_FAILURE;
    }
    if (profile != NULL)
        LsaFreeReturnBuffer(profile);
    LsaDeregisterLogonProcess(lsa);
    return rc;
}

int cmd_machine_logon(int argc, char **argv)
{
    static const struct option options[] = {
        { "certificate", optional_argument, NULL, 'c' },
        { "keytab", no_argument, NULL, 'k' },
        { "principal", required_argument, NULL, 'p' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *cmd = argv[0], *identity = "", *principal = "";
    int certificate = 0, keytab = 0, opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
        switch (opt) {
        case 'h':
            return lsa_command_help(cmd);
        case 'c':
            certificate = 1;
            identity = optarg ? optarg : "";
            break;
        case 'k':
            keytab = 1;
            break;
        case 'p':
            principal = optarg;
            break;
        default:
            if (optopt == 'p')
                return lsa_usage_error(cmd, "option '%s' needs an argument", argv[optind - 1]);
            return lsa_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return lsa_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    if (certificate && keytab)
        return lsa_usage_error(cmd, "--certificate and --keytab exclude each other");
    if (strlen(principal) > PRINCIPAL_MAX || strlen(identity) > IDENTITY_MAX)
        return lsa_usage_error(cmd, "the principal (at most %d bytes) or identity (at most %d) "
                                    "is too long",
                               PRINCIPAL_MAX, IDENTITY_MAX);
    int rc = need_root(cmd);
    if (rc != LSA_EXIT_OK)
        return rc;
    return machine_logon(cmd, certificate, keytab, identity, principal);
}

int cmd_pkinit_cleanup(int argc, char **argv)
{
    const char *cmd = argv[0];
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
        return lsa_command_help(cmd);
    if (argc != 2)
        return lsa_usage_error(cmd, "expected system or network_service, got %d arguments",
                               argc - 1);
    KERB_CLEANUP_MACHINE_PKINIT_CREDS_REQUEST request = { KerbCleanupMachinePkinitCredsMessage,
                                                          { 0, 0 } };
    const char *which;
    if (strcasecmp(argv[1], "system") == 0) {
        request.LogonId.LowPart = KERB_SYSTEM_LUID_LOW;
        which = "SYSTEM";
    } else if (strcasecmp(argv[1], "network_service") == 0) {
        request.LogonId.LowPart = KERB_NETWORK_SERVICE_LUID_LOW;
        which = "NETWORK_SERVICE";
    } else {
        return lsa_usage_error(cmd, "'%s': expected system or network_service", argv[1]);
    }
    /* Not refused here: the package decides who may clean up (TCB, i.e. a trusted
     * connection, which lsa makes as root), and its status says so. */
    HANDLE lsa;
    ULONG package;
    int rc = kerb_connect(cmd, &lsa, &package);
    if (rc != LSA_EXIT_OK)
        return rc;
    void *reply;
    ULONG length;
    rc = kerb_call(cmd, "KerbCleanupMachinePkinitCredsMessage", lsa, package, &request,
                   sizeof(request), &reply, &length);
    if (reply != NULL)
        LsaFreeReturnBuffer(reply);
    LsaDeregisterLogonProcess(lsa);
    if (rc == LSA_EXIT_OK) {
        char luid[32];
        printf("cleaned up: %s (%s): no PKINIT device credential remains\n", which,
               kerb_format_luid(&request.LogonId, luid, sizeof(luid)));
    }
    return rc;
}
