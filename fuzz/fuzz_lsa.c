#include "fuzz_lsa.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void fuzz_die(const char *what)
{
    fprintf(stderr, "%s: %s\n", fuzz_lsa_name, what);
    exit(1);
}

ULONG fuzz_load32(const uint8_t *p)
{
    ULONG v;
    memcpy(&v, p, sizeof(v));
    return v;
}

void fuzz_fix_string(uint8_t *r, size_t n, size_t off, BOOLEAN raw_max)
{
    USHORT length, max;

    if (n < off + sizeof(UNICODE_STRING))
        return;
    memcpy(&length, r + off + offsetof(UNICODE_STRING, Length), sizeof(length));
    memcpy(&max, r + off + offsetof(UNICODE_STRING, MaximumLength), sizeof(max));
    if (!raw_max && max < length)
        memcpy(r + off + offsetof(UNICODE_STRING, MaximumLength), &length, sizeof(length));
    fuzz_fix_pointer(r, n, off + offsetof(UNICODE_STRING, Buffer));
}

void fuzz_fix_pointer(uint8_t *r, size_t n, size_t off)
{
    uint64_t value;
    uintptr_t at;

    if (n < off + sizeof(PVOID))
        return;
    memcpy(&value, r + off, sizeof(value));
    at = (uintptr_t)r + (uintptr_t)(value % ((uint64_t)n + 1));
    memcpy(r + off, &at, sizeof(at));
}

static volatile unsigned sink;

static void touch(const void *p, ULONG length)
{
    const volatile uint8_t *bytes = p;
    for (ULONG i = 0; i < length; i++)
        sink += bytes[i];
}

NTSTATUS fuzz_call(HANDLE handle, ULONG package, void *submit, ULONG length,
                   NTSTATUS *protocol)
{
    PVOID reply = NULL;
    ULONG reply_length = 0;
    NTSTATUS status;

    *protocol = STATUS_SUCCESS;
    status = LsaCallAuthenticationPackage(handle, package, submit, length, &reply,
                                          &reply_length, protocol);
    if (status != STATUS_SUCCESS && (reply != NULL || reply_length != 0))
        abort(); /* a failed call returns nothing */
    if (reply != NULL) {
        touch(reply, reply_length);
        LsaFreeReturnBuffer(reply);
    }
    if (status != STATUS_SUCCESS)
        *protocol = STATUS_SUCCESS;
    return status;
}

NTSTATUS fuzz_logon(HANDLE handle, ULONG package, SECURITY_LOGON_TYPE type, void *submit,
                    ULONG length, LUID *logon_id, HANDLE *token, NTSTATUS *sub_status)
{
    LSA_STRING origin = { (USHORT)strlen(fuzz_lsa_name), (USHORT)(strlen(fuzz_lsa_name) + 1),
                          (PCHAR)fuzz_lsa_name };
    TOKEN_SOURCE source = { "fuzz", { 0, 0 } };
    QUOTA_LIMITS quotas;
    PVOID profile = NULL;
    ULONG profile_length = 0;
    NTSTATUS status;

    *token = NULL;
    status = LsaLogonUser(handle, &origin, type, package, submit, length, NULL, &source,
                          &profile, &profile_length, logon_id, token, &quotas, sub_status);
    if (status == STATUS_SUCCESS && (*token == NULL || (logon_id->LowPart == 0 &&
                                                         logon_id->HighPart == 0)))
        abort(); /* a logon without a session */
    if (status != STATUS_SUCCESS && (profile != NULL || *token != NULL))
        abort(); /* a failed logon returns nothing */
    if (profile != NULL) {
        touch(profile, profile_length);
        LsaFreeReturnBuffer(profile);
    }
    return status;
}

void fuzz_write_file(const char *path, const char *text, mode_t mode)
{
    size_t length = strlen(text);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

    if (fd < 0 || write(fd, text, length) != (ssize_t)length || close(fd) != 0)
        fuzz_die("cannot write a file in the temporary directory");
}

int fuzz_remove_tree(const char *path)
{
    char file[PATH_MAX + NAME_MAX + 2];
    struct dirent *e;
    struct stat st;
    DIR *dir = opendir(path);

    while (dir != NULL && (e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
        if (lstat(file, &st) == 0 && S_ISDIR(st.st_mode))
            fuzz_remove_tree(file);
        else
            unlink(file);
    }
    if (dir != NULL)
        closedir(dir);
    return rmdir(path);
}

void fuzz_remove_stale_dirs(const char *tmp)
{
    const size_t prefix = strlen(fuzz_lsa_name) + 1;
    char path[PATH_MAX + NAME_MAX + 2];
    struct dirent *e;
    DIR *dir = opendir(tmp);
    long pid;
    char *end;

    while (dir != NULL && (e = readdir(dir)) != NULL) {
        if (strncmp(e->d_name, fuzz_lsa_name, prefix - 1) != 0 || e->d_name[prefix - 1] != '.')
            continue;
        pid = strtol(e->d_name + prefix, &end, 10);
        if (end == e->d_name + prefix || *end != '.' || pid <= 0 || pid == (long)getpid() ||
            kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        snprintf(path, sizeof(path), "%s/%s", tmp, e->d_name);
        fuzz_remove_tree(path);
    }
    if (dir != NULL)
        closedir(dir);
}
