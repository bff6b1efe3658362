/*
 * `lsa ntlm challenge USER` and `lsa ntlm response USER CHALLENGE`: NTLM challenge-
 * response by hand, through the MSV1_0 package.
 *
 *   challenge  asks MSV1_0 for a challenge (MsV1_0Lm20ChallengeRequest), prints it, reads
 *              "NT_HEX [LM_HEX]" from standard input (with no USER argument:
 *              "USER DOMAIN NT_HEX [LM_HEX]", DOMAIN "-" for none, for a server that
 *              learns the user only with the answer) and checks it with a network logon
 *              (LsaLogonUser, MSV1_0_LM20_LOGON) on the same connection, as the challenge
 *              is bound to it.  Prints the verdict; the session ends when lsa exits.
 *   response   computes the answer to CHALLENGE for USER with a password read from the
 *              terminal or standard input (MsV1_0Lm20GetChallengeResponse, NTLMv2 unless
 *              --v1), and prints "NT_HEX LM_HEX" on one line: what `challenge` reads.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lsa/lsa_ext.h>
#include <lsa/lsa_util.h>
#include <lsa/ntsecapi.h>

#include "hex.h"
#include "lsa_commands.h"
#include "password_input.h"
#include "submit_buffer.h"

#define CMD "ntlm"

static NTSTATUS connect_msv1_0(HANDLE *handle, ULONG *package)
{
    NTSTATUS status;
    if (geteuid() == 0) {
        char name[] = "lsa ntlm";
        LSA_STRING process = { sizeof(name) - 1, sizeof(name), name };
        LSA_OPERATIONAL_MODE mode;
        status = LsaRegisterLogonProcess(&process, handle, &mode);
    } else {
        status = LsaConnectUntrusted(handle);
    }
    if (!NT_SUCCESS(status))
        return status;
    char msv[] = MSV1_0_PACKAGE_NAME;
    LSA_STRING name = { sizeof(msv) - 1, sizeof(msv), msv };
    status = LsaLookupAuthenticationPackage(*handle, &name, package);
    if (!NT_SUCCESS(status))
        LsaDeregisterLogonProcess(*handle);
    return status;
}

static void print_hex_line(const char *label, const void *bytes, size_t length)
{
    char *hex = malloc(2 * length + 1);
    if (hex == NULL)
        return;
    hex_encode(bytes, length, hex);
    printf("%s%s\n", label, hex);
    free(hex);
}

static int challenge(const char *user, const char *domain)
{
    char user_buf[512], domain_buf[512];
    HANDLE lsa;
    ULONG package;
    NTSTATUS status = connect_msv1_0(&lsa, &package);
    if (!NT_SUCCESS(status))
        return lsa_status_failure(CMD, "connecting to MSV1_0", status);

    MSV1_0_LM20_CHALLENGE_REQUEST request = { MsV1_0Lm20ChallengeRequest };
    PMSV1_0_LM20_CHALLENGE_RESPONSE reply = NULL;
    ULONG reply_length;
    NTSTATUS protocol;
    status = LsaCallAuthenticationPackage(lsa, package, &request, sizeof(request),
                                          (PVOID *)&reply, &reply_length, &protocol);
    if (NT_SUCCESS(status) && !NT_SUCCESS(protocol))
        status = protocol;
    if (NT_SUCCESS(status) && reply_length < sizeof(*reply))
        status = STATUS_INTERNAL_ERROR;
    if (!NT_SUCCESS(status)) {
        LsaFreeReturnBuffer(reply);
        LsaDeregisterLogonProcess(lsa);
        return lsa_status_failure(CMD, "MsV1_0Lm20ChallengeRequest", status);
    }
    UCHAR server_challenge[MSV1_0_CHALLENGE_LENGTH];
    memcpy(server_challenge, reply->ChallengeToClient, sizeof(server_challenge));
    LsaFreeReturnBuffer(reply);
    print_hex_line("challenge: ", server_challenge, sizeof(server_challenge));
    fflush(stdout);

    /* "NT_HEX [LM_HEX]" */
    char line[8192];
    if (fgets(line, sizeof(line), stdin) == NULL) {
        LsaDeregisterLogonProcess(lsa);
        lsa_error(CMD, "no response on standard input");
        return LSA_EXIT_USAGE;
    }
    char *save = NULL, *first = strtok_r(line, " \t\r\n", &save);
    if (user == NULL) {
        char *d = strtok_r(NULL, " \t\r\n", &save);
        if (first == NULL || d == NULL || strlen(first) >= sizeof(user_buf) ||
            strlen(d) >= sizeof(domain_buf)) {
            LsaDeregisterLogonProcess(lsa);
            return lsa_usage_error(CMD, "without USER the response must be USER DOMAIN NT_HEX [LM_HEX]");
        }
        user = strcpy(user_buf, first);
        domain = strcmp(d, "-") == 0 ? "" : strcpy(domain_buf, d);
        first = strtok_r(NULL, " \t\r\n", &save);
    }
    char *nt_hex = first;
    char *lm_hex = strtok_r(NULL, " \t\r\n", &save);
    unsigned char *nt = NULL, *lm = NULL;
    size_t nt_length = 0, lm_length = 0;
    char err[128] = "";
    if (nt_hex == NULL || hex_decode(nt_hex, &nt, &nt_length, err, sizeof(err)) != 0 ||
        (lm_hex != NULL && hex_decode(lm_hex, &lm, &lm_length, err, sizeof(err)) != 0) ||
        nt_length > 4096 || lm_length > 64) {
        free(nt);
        free(lm);
        LsaDeregisterLogonProcess(lsa);
        return lsa_usage_error(CMD, "the response must be NT_HEX [LM_HEX]%s%s",
                               *err ? ": " : "", err);
    }

    struct submit s;
    if (submit_start(&s, sizeof(MSV1_0_LM20_LOGON), 4096 + nt_length + lm_length) != 0) {
        free(nt);
        free(lm);
        LsaDeregisterLogonProcess(lsa);
        return lsa_status_failure(CMD, "building the logon", STATUS_NO_MEMORY);
    }
    PMSV1_0_LM20_LOGON logon = (PMSV1_0_LM20_LOGON)s.data;
    logon->MessageType = MsV1_0Lm20Logon;
    memcpy(logon->ChallengeToClient, server_challenge, sizeof(server_challenge));
    logon->ParameterControl = MSV1_0_UPDATE_LOGON_STATISTICS;
    int ok = submit_put_unicode(&s, &logon->UserName, user) == 0 &&
             submit_put_unicode(&s, &logon->LogonDomainName, domain) == 0;
    logon->CaseSensitiveChallengeResponse.Length = logon->CaseSensitiveChallengeResponse.MaximumLength =
        (USHORT)nt_length;
    logon->CaseSensitiveChallengeResponse.Buffer = submit_append(&s, nt, nt_length);
    logon->CaseInsensitiveChallengeResponse.Length =
        logon->CaseInsensitiveChallengeResponse.MaximumLength = (USHORT)lm_length;
    logon->CaseInsensitiveChallengeResponse.Buffer = lm_length ? submit_append(&s, lm, lm_length) : NULL;
    if (!ok) {
        submit_free(&s);
        free(nt);
        free(lm);
        LsaDeregisterLogonProcess(lsa);
        return lsa_usage_error(CMD, "the user or domain name is not valid UTF-8");
    }

    char origin[] = "lsa ntlm challenge";
    LSA_STRING origin_name = { sizeof(origin) - 1, sizeof(origin), origin };
    TOKEN_SOURCE source = { "lsa", { 0, 0 } };
    PMSV1_0_LM20_LOGON_PROFILE profile = NULL;
    ULONG profile_length;
    LUID logon_id;
    HANDLE token;
    QUOTA_LIMITS quotas;
    NTSTATUS sub_status;
    status = LsaLogonUser(lsa, &origin_name, Network, package, s.data, (ULONG)s.used, NULL,
                          &source, (PVOID *)&profile, &profile_length, &logon_id, &token,
                          &quotas, &sub_status);
    submit_free(&s);
    free(nt);
    free(lm);
    char label[96];
    printf("logon: %s\n", lsa_format_status(status, label, sizeof(label)));
    int rc = LSA_EXIT_OK;
    if (NT_SUCCESS(status)) {
        printf("logon id: 0x%x:0x%08x\n", (unsigned)logon_id.HighPart, (unsigned)logon_id.LowPart);
        if (profile != NULL && profile_length >= sizeof(*profile))
            print_hex_line("user session key: ", profile->UserSessionKey,
                           sizeof(profile->UserSessionKey));
        lsa_close_token(token);
    } else {
        if (sub_status != STATUS_SUCCESS)
            printf("substatus: %s\n", lsa_format_status(sub_status, label, sizeof(label)));
        rc = lsa_status_failure(CMD, "LsaLogonUser", status);
    }
    LsaFreeReturnBuffer(profile);
    LsaDeregisterLogonProcess(lsa);
    return rc;
}

static int response(const char *user, const char *domain, const char *challenge_hex,
                    int password_stdin, int v1)
{
    unsigned char server_challenge[MSV1_0_CHALLENGE_LENGTH], *decoded = NULL;
    size_t length = 0;
    char err[128];
    int bad = hex_decode(challenge_hex, &decoded, &length, err, sizeof(err)) != 0 ||
              length != sizeof(server_challenge);
    if (!bad)
        memcpy(server_challenge, decoded, sizeof(server_challenge));
    free(decoded);
    if (bad)
        return lsa_usage_error(CMD, "CHALLENGE must be 8 bytes of hex (16 digits)");

    char password[LSA_PASSWORD_MAX + 1];
    int rc = lsa_read_password(CMD, password_stdin, FALSE, password, sizeof(password));
    if (rc != LSA_EXIT_OK)
        return rc;
    HANDLE lsa;
    ULONG package;
    NTSTATUS status = connect_msv1_0(&lsa, &package);
    if (!NT_SUCCESS(status)) {
        explicit_bzero(password, sizeof(password));
        return lsa_status_failure(CMD, "connecting to MSV1_0", status);
    }

    struct submit s;
    if (submit_start(&s, sizeof(MSV1_0_GETCHALLENRESP_REQUEST), 6 * strlen(password) + 4096) != 0) {
        explicit_bzero(password, sizeof(password));
        LsaDeregisterLogonProcess(lsa);
        return lsa_status_failure(CMD, "building the request", STATUS_NO_MEMORY);
    }
    PMSV1_0_GETCHALLENRESP_REQUEST request = (PMSV1_0_GETCHALLENRESP_REQUEST)s.data;
    request->MessageType = MsV1_0Lm20GetChallengeResponse;
    request->ParameterControl = v1 ? 0 : GCR_NTLM3_PARMS;
    memcpy(request->ChallengeToClient, server_challenge, sizeof(server_challenge));
    int ok = submit_put_unicode(&s, &request->Password, password) == 0 &&
             submit_put_unicode(&s, &request->UserName, user) == 0 &&
             submit_put_unicode(&s, &request->LogonDomainName, domain) == 0;
    explicit_bzero(password, sizeof(password));
    if (!ok) {
        submit_free(&s);
        LsaDeregisterLogonProcess(lsa);
        return lsa_usage_error(CMD, "the user, domain or password is not valid UTF-8");
    }
    PMSV1_0_GETCHALLENRESP_RESPONSE reply = NULL;
    ULONG reply_length;
    NTSTATUS protocol;
    status = LsaCallAuthenticationPackage(lsa, package, s.data, (ULONG)s.used, (PVOID *)&reply,
                                          &reply_length, &protocol);
    submit_free(&s);
    if (NT_SUCCESS(status) && !NT_SUCCESS(protocol))
        status = protocol;
    if (NT_SUCCESS(status) && (reply == NULL || reply_length < sizeof(*reply)))
        status = STATUS_INTERNAL_ERROR;
    rc = LSA_EXIT_OK;
    if (NT_SUCCESS(status)) {
        STRING *nt = &reply->CaseSensitiveChallengeResponse;
        STRING *lm = &reply->CaseInsensitiveChallengeResponse;
        char *hex = malloc(2 * ((size_t)nt->Length + lm->Length) + 2);
        if (hex != NULL) {
            hex_encode((const unsigned char *)nt->Buffer, nt->Length, hex);
            printf("%s", hex);
            if (lm->Length > 0) {
                hex_encode((const unsigned char *)lm->Buffer, lm->Length, hex);
                printf(" %s", hex);
            }
            printf("\n");
            free(hex);
        }
    } else {
        rc = lsa_status_failure(CMD, "MsV1_0Lm20GetChallengeResponse", status);
    }
    LsaFreeReturnBuffer(reply);
    LsaDeregisterLogonProcess(lsa);
    return rc;
}

int cmd_ntlm(int argc, char **argv)
{
    static const struct option options[] = {
        { "domain", required_argument, NULL, 'd' },
        { "password-stdin", no_argument, NULL, 's' },
        { "v1", no_argument, NULL, '1' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *domain = "";
    int password_stdin = 0, v1 = 0, c;
    optind = 0; /* glibc: a full re-initialisation, as lsa main already used getopt */
    while ((c = getopt_long(argc, argv, "d:h", options, NULL)) != -1) {
        switch (c) {
        case 'd': domain = optarg; break;
        case 's': password_stdin = 1; break;
        case '1': v1 = 1; break;
        case 'h': return lsa_command_help(CMD);
        default: return lsa_usage_error(CMD, "unknown option");
        }
    }
    int rest = argc - optind;
    if (rest >= 1 && strcmp(argv[optind], "challenge") == 0) {
        if (rest > 2 || v1 || password_stdin)
            return lsa_usage_error(CMD, "usage: challenge [--domain D] [USER]");
        return challenge(rest == 2 ? argv[optind + 1] : NULL, domain);
    }
    if (rest >= 3 && strcmp(argv[optind], "response") == 0) {
        if (rest != 3)
            return lsa_usage_error(CMD, "usage: response [--domain D] [--v1] [--password-stdin] USER CHALLENGE");
        return response(argv[optind + 1], domain, argv[optind + 2], password_stdin, v1);
    }
    return lsa_usage_error(CMD, "expected 'challenge USER' or 'response USER CHALLENGE'");
}
