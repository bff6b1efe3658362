#include "pkinit_identity_check.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lsa/ntstatus.h>

#include "kerb_log.h"

static NTSTATUS check_file(const char *path, BOOLEAN trusted, uid_t caller)
{
    char safe[KERB_LOG_NAME_SIZE];
    struct stat st;

    if (stat(path, &st) != 0)
        return STATUS_SUCCESS; /* missing: the PKINIT module reports it */
    if (!S_ISREG(st.st_mode) || st.st_size > KERB_MAX_IDENTITY_FILE) {
        kerb_log(LOG_NOTICE, "PKINIT identity file '%s' refused: not a regular file of at most "
                             "1 MiB", lsa_log_name(path, safe, sizeof(safe)));
        return STATUS_PKINIT_CLIENT_FAILURE;
    }
    if (!trusted && !((st.st_uid == caller && (st.st_mode & S_IRUSR)) || (st.st_mode & S_IROTH))) {
        kerb_log(LOG_NOTICE, "PKINIT identity file '%s' refused: the caller (uid %u) may not "
                             "read it", lsa_log_name(path, safe, sizeof(safe)), (unsigned)caller);
        return STATUS_ACCESS_DENIED;
    }
    return STATUS_SUCCESS;
}

NTSTATUS kerb_check_identity_files(const char *identity, BOOLEAN trusted, uid_t caller)
{
    const char *files;
    char *copy, *comma;
    NTSTATUS status;

    if (strncmp(identity, "FILE:", 5) == 0)
        files = identity + 5;
    else if (strncmp(identity, "PKCS12:", 7) == 0)
        files = identity + 7;
    else if (trusted)
        return STATUS_SUCCESS;
    else {
        kerb_log(LOG_NOTICE, "PKINIT identity refused: an untrusted caller may name only FILE: "
                             "and PKCS12: identities");
        return STATUS_ACCESS_DENIED;
    }
    if ((copy = strdup(files)) == NULL)
        return STATUS_NO_MEMORY;
    comma = strchr(copy, ',');
    if (comma != NULL)
        *comma = '\0';
    status = check_file(copy, trusted, caller);
    if (status == STATUS_SUCCESS && comma != NULL)
        status = check_file(comma + 1, trusted, caller);
    free(copy);
    return status;
}
