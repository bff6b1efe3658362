#include "kerb_machine.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <krb5/krb5.h>
#include <lsa/ntstatus.h>

#include "kerb_log.h"
#include "kerb_package.h"

static NTSTATUS state_path(const LUID *id, const char *suffix, char *out, size_t out_size)
{
    const char *dir = kerb_package.config.state_dir;

    if (dir == NULL || id->HighPart != 0 || (id->LowPart != 0x3e7 && id->LowPart != 0x3e4))
        return STATUS_NO_SUCH_LOGON_SESSION;
    if ((size_t)snprintf(out, out_size, "%s/machine-%x.%s", dir, (unsigned)id->LowPart,
                         suffix) >= out_size)
        return STATUS_NAME_TOO_LONG;
    return STATUS_SUCCESS;
}

/* STATE_DIR/kerberos, made 0700 when missing (STATE_DIR itself must exist). */
static NTSTATUS ensure_dir(void)
{
    const char *dir = kerb_package.config.state_dir;

    if (mkdir(dir, 0700) == 0 || errno == EEXIST)
        return STATUS_SUCCESS;
    kerb_log(LOG_ERR, "cannot create the machine state directory %s: %s", dir, strerror(errno));
    return STATUS_ACCESS_DENIED;
}

NTSTATUS kerb_machine_ccache(const LUID *id, char *out, size_t out_size)
{
    char path[KERB_PATH_SIZE];
    NTSTATUS status = state_path(id, "ccache", path, sizeof(path));

    if (status == STATUS_SUCCESS)
        status = ensure_dir();
    if (status != STATUS_SUCCESS)
        return status;
    if ((size_t)snprintf(out, out_size, "FILE:%s", path) >= out_size)
        return STATUS_NAME_TOO_LONG;
    return STATUS_SUCCESS;
}

enum kerb_device_state kerb_machine_device_state(const LUID *id, char *identity,
                                                 size_t identity_size)
{
    char path[KERB_PATH_SIZE], line[KERB_PATH_SIZE + 16];
    enum kerb_device_state state = KERB_DEVICE_NONE;
    FILE *f;

    if (state_path(id, "device", path, sizeof(path)) != STATUS_SUCCESS ||
        (f = fopen(path, "re")) == NULL)
        return KERB_DEVICE_NONE;
    if (fgets(line, sizeof(line), f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "active ", 7) == 0) {
            state = KERB_DEVICE_ACTIVE;
            if (identity != NULL)
                snprintf(identity, identity_size, "%s", line + 7);
        } else if (strncmp(line, "keytab ", 7) == 0) {
            state = KERB_DEVICE_KEYTAB;
            if (identity != NULL)
                snprintf(identity, identity_size, "%s", line + 7);
        } else if (strcmp(line, "removed") == 0) {
            state = KERB_DEVICE_REMOVED;
        }
    }
    fclose(f);
    return state;
}

NTSTATUS kerb_machine_set_device_state(const LUID *id, enum kerb_device_state state,
                                       const char *identity)
{
    char path[KERB_PATH_SIZE], temp[KERB_PATH_SIZE + 8];
    NTSTATUS status = state_path(id, "device", path, sizeof(path));
    FILE *f;
    int fd, ok;

    if (status == STATUS_SUCCESS)
        status = ensure_dir();
    if (status != STATUS_SUCCESS)
        return status;
    snprintf(temp, sizeof(temp), "%s.new", path);
    fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
        if (fd >= 0)
            close(fd);
        kerb_log(LOG_ERR, "cannot write %s: %s", temp, strerror(errno));
        return STATUS_ACCESS_DENIED;
    }
    if (state == KERB_DEVICE_ACTIVE)
        ok = fprintf(f, "active %s\n", identity) > 0;
    else if (state == KERB_DEVICE_KEYTAB)
        ok = fprintf(f, "keytab %s\n", identity) > 0;
    else
        ok = fprintf(f, "removed\n") > 0;
    ok = fflush(f) == 0 && fsync(fileno(f)) == 0 && ok;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(temp, path) != 0) {
        kerb_log(LOG_ERR, "cannot write %s: %s", path, strerror(errno));
        unlink(temp);
        return STATUS_ACCESS_DENIED;
    }
    return STATUS_SUCCESS;
}

NTSTATUS kerb_machine_cleanup_pkinit(const LUID *id)
{
    char name[KERB_PATH_SIZE + 8];
    krb5_context ctx;
    krb5_ccache cc;
    enum kerb_device_state state = kerb_machine_device_state(id, NULL, 0);
    NTSTATUS status;

    if (state != KERB_DEVICE_ACTIVE && state != KERB_DEVICE_KEYTAB)
        return STATUS_SUCCESS; /* no PKINIT device credential: nothing to do */
    if (state == KERB_DEVICE_ACTIVE) { /* its tickets came from PKINIT: they go too */
        status = kerb_machine_ccache(id, name, sizeof(name));
        if (status != STATUS_SUCCESS)
            return status;
        if (krb5_init_context(&ctx) != 0)
            return STATUS_INTERNAL_ERROR;
        if (krb5_cc_resolve(ctx, name, &cc) == 0)
            krb5_cc_destroy(ctx, cc);
        krb5_free_context(ctx);
    }
    status = kerb_machine_set_device_state(id, KERB_DEVICE_REMOVED, NULL);
    if (status == STATUS_SUCCESS)
        kerb_log(LOG_NOTICE, "PKINIT device credential of logon session %x removed; the next "
                             "machine logon uses the keytab", (unsigned)id->LowPart);
    return status;
}
