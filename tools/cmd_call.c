/*
 * `lsa call [--untrusted] PACKAGE HEX`: one LsaCallAuthenticationPackage with raw bytes.
 * Trusted (LsaRegisterLogonProcess "lsa") when the effective uid is 0 and --untrusted is
 * not given, so the package's CallPackage runs; otherwise LsaConnectUntrusted and its
 * CallPackageUntrusted.  Prints both statuses and the reply as a hex dump.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lsa/ntsecapi.h>
#include <lsa/ntstatus.h>

#include "hex.h"
#include "lsa_commands.h"

#define CMD "call"

static NTSTATUS connect_lsa(int trusted, HANDLE *handle)
{
    if (trusted) {
        char name[] = "lsa";
        LSA_STRING process = { sizeof(name) - 1, sizeof(name), name };
        LSA_OPERATIONAL_MODE mode;
        return LsaRegisterLogonProcess(&process, handle, &mode);
    }
    return LsaConnectUntrusted(handle);
}

static void print_request(const char *package, ULONG id, const unsigned char *bytes, size_t len)
{
    printf("package:         %s (id %u)\n", package, (unsigned)id);
    char *hex = malloc(2 * len + 1);
    if (hex != NULL)
        hex_encode(bytes, len, hex);
    printf("request:         %zu bytes%s%s\n", len, hex && len ? " " : "", hex ? hex : "");
    free(hex);
}

static int report(const char *package, NTSTATUS status, NTSTATUS protocol, PVOID reply,
                  ULONG reply_length)
{
    char label[96];
    printf("status:          %s\n", lsa_format_status(status, label, sizeof(label)));
    if (!NT_SUCCESS(status))
        return lsa_status_failure(CMD, "LsaCallAuthenticationPackage", status);
    printf("protocol status: %s\n", lsa_format_status(protocol, label, sizeof(label)));
    printf("return buffer:   %u bytes\n", (unsigned)reply_length);
    if (reply != NULL)
        hex_dump(stdout, reply, reply_length);
    if (!NT_SUCCESS(protocol)) {
        char what[200];
        snprintf(what, sizeof(what), "package %s reported ProtocolStatus", package);
        return lsa_status_failure(CMD, what, protocol);
    }
    return LSA_EXIT_OK;
}

static int call(const char *package, int trusted, unsigned char *bytes, size_t len)
{
    HANDLE lsa = NULL;
    NTSTATUS status = connect_lsa(trusted, &lsa);
    if (status != STATUS_SUCCESS)
        return lsa_status_failure(CMD, trusted ? "LsaRegisterLogonProcess(\"lsa\")"
                                               : "LsaConnectUntrusted",
                                  status);
    printf("connection:      %s\n", trusted ? "trusted (LsaRegisterLogonProcess)"
                                            : "untrusted (LsaConnectUntrusted)");

    int rc;
    ULONG id = 0;
    LSA_STRING name = { (USHORT)strlen(package), (USHORT)strlen(package), (PCHAR)package };
    status = LsaLookupAuthenticationPackage(lsa, &name, &id);
    if (status != STATUS_SUCCESS) {
        char what[200];
        snprintf(what, sizeof(what), "LsaLookupAuthenticationPackage(\"%s\")", package);
        rc = lsa_status_failure(CMD, what, status);
    } else {
        print_request(package, id, bytes, len);
        PVOID reply = NULL;
        ULONG reply_length = 0;
        NTSTATUS protocol = STATUS_SUCCESS;
        status = LsaCallAuthenticationPackage(lsa, id, bytes, (ULONG)len, &reply, &reply_length,
                                              &protocol);
        rc = report(package, status, protocol, reply, reply_length);
        if (reply != NULL)
            LsaFreeReturnBuffer(reply);
    }
    LsaDeregisterLogonProcess(lsa);
    return rc;
}

int cmd_call(int argc, char **argv)
{
    static const struct option options[] = {
        { "help", no_argument, NULL, 'h' },
        { "untrusted", no_argument, NULL, 'u' },
        { NULL, 0, NULL, 0 },
    };
    int untrusted = 0, opt;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "+hu", options, NULL)) != -1) {
        switch (opt) {
        case 'h':
            return lsa_command_help(argv[0]);
        case 'u':
            untrusted = 1;
            break;
        default:
            return lsa_usage_error(argv[0], "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 2)
        return lsa_usage_error(argv[0], "expected PACKAGE and HEX, got %d argument%s",
                               argc - optind, argc - optind == 1 ? "" : "s");
    const char *package = argv[optind];
    if (package[0] == '\0' || strlen(package) > 0xFFFF)
        return lsa_usage_error(argv[0], "PACKAGE must be a name of 1 to 65535 bytes");

    unsigned char *bytes;
    size_t len;
    char err[160];
    if (hex_decode(argv[optind + 1], &bytes, &len, err, sizeof(err)) != 0)
        return lsa_usage_error(argv[0], "HEX: %s", err);
    if (len > 0xFFFFFFFFu) {
        free(bytes);
        return lsa_usage_error(argv[0], "HEX: %zu bytes is more than a ULONG length", len);
    }
    int rc = call(package, !untrusted && geteuid() == 0, bytes, len);
    free(bytes);
    return rc;
}
