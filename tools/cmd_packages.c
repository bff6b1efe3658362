/*
 * `lsa packages`: the loaded authentication packages, one line each - id, name, model
 * (AP or SSP/AP), file - in id order, through an untrusted connection.
 */
#include <stdio.h>
#include <string.h>

#include <lsa/lsa_ext.h>
#include <lsa/ntsecapi.h>
#include <lsa/ntstatus.h>

#include "lsa_commands.h"

#ifndef LSA_HAVE_ENUMERATE_PACKAGES
/* Linux extension, to come in <lsa/lsa_ext.h> (which then defines
 * LSA_HAVE_ENUMERATE_PACKAGES).  Windows has no way to list the packages with their
 * model and file, so the tool needs one. */
typedef struct lsa_package_info {
    ULONG id;
    char name[128];
    char model[8];
    char file[4096];
} LSA_PACKAGE_INFO;
/* *Packages freed with LsaFreeReturnBuffer. */
NTSTATUS lsa_enumerate_packages(HANDLE LsaHandle, LSA_PACKAGE_INFO **Packages, ULONG *Count);
#endif

#define CMD "packages"

static void print_packages(const LSA_PACKAGE_INFO *p, ULONG count)
{
    int width = 4;
    for (ULONG i = 0; i < count; i++) {
        int n = (int)strnlen(p[i].name, sizeof(p[i].name));
        if (n > width)
            width = n;
    }
    for (ULONG i = 0; i < count; i++)
        printf("%-3u %-*.*s %-6.*s %.*s\n", (unsigned)p[i].id, width, (int)sizeof(p[i].name),
               p[i].name, (int)sizeof(p[i].model), p[i].model, (int)sizeof(p[i].file),
               p[i].file);
}

int cmd_packages(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
        return lsa_command_help(argv[0]);
    if (argc > 1)
        return lsa_usage_error(argv[0], "unexpected argument '%s'", argv[1]);

    HANDLE lsa = NULL;
    NTSTATUS status = LsaConnectUntrusted(&lsa);
    if (status != STATUS_SUCCESS)
        return lsa_status_failure(CMD, "LsaConnectUntrusted", status);

    LSA_PACKAGE_INFO *packages = NULL;
    ULONG count = 0;
    int rc = LSA_EXIT_OK;
    status = lsa_enumerate_packages(lsa, &packages, &count);
    if (status != STATUS_SUCCESS)
        rc = lsa_status_failure(CMD, "lsa_enumerate_packages", status);
    else if (count == 0)
        lsa_error(CMD, "no authentication package is loaded (see [lsa] packages in lsa.conf "
                       "and the messages above)");
    else
        print_packages(packages, count);
    if (packages != NULL)
        LsaFreeReturnBuffer(packages);
    LsaDeregisterLogonProcess(lsa);
    return rc;
}
