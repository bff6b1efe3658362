/*
 * The MSV1_0 account store behind a small backend interface (a directory backend can
 * follow).  The default backend is Samba's smbpasswd file (spec/ntlm.md §3) plus a state
 * file beside it (STORE.state) for what smbpasswd cannot hold.  Every change is a
 * read-modify-write under an exclusive lock, written atomically and durably (temp file,
 * fsync, rename, fsync of the directory): a crash leaves the old file or the new one.
 * Reads see every change made before they began, by any process; an open and a lookup
 * of an unchanged store are answered from a process-wide cache after a few lstat calls
 * (store_cache.c).
 */
#ifndef MSV1_0_ACCOUNT_STORE_H
#define MSV1_0_ACCOUNT_STORE_H

#include <stdint.h>

#include <lsa/ntdef.h>

#define MSV_NAME_MAX 256

/* smbpasswd account flags (ACB_*), spec/ntlm.md §3. */
#define ACB_DISABLED 0x0001
#define ACB_HOMDIRREQ 0x0002
#define ACB_PWNOTREQ 0x0004
#define ACB_TEMPDUP 0x0008
#define ACB_NORMAL 0x0010
#define ACB_MNS 0x0020
#define ACB_DOMTRUST 0x0040
#define ACB_WSTRUST 0x0080
#define ACB_SVRTRUST 0x0100
#define ACB_PWNOEXP 0x0200
#define ACB_AUTOLOCK 0x0400

struct msv_account {
    char name[MSV_NAME_MAX + 1];
    uint32_t uid;
    uint8_t nt_hash[16];
    BOOLEAN has_nt;
    uint8_t lm_hash[16];
    BOOLEAN has_lm;
    uint32_t acb_flags;
    int64_t password_last_set; /* LCT, Unix seconds */
    /* The state file. */
    uint32_t bad_password_count;
    int64_t bad_password_time; /* the last bad password, Unix seconds; 0 = none */
    int64_t lockout_time;      /* when the lockout began; 0 = not locked out */
    uint32_t logon_count;
    int64_t last_logon;        /* Unix seconds; 0 = never */
    BOOLEAN must_change;       /* the password must be changed at the next logon */
};

struct msv_store;

/*
 * Opens the store at PATH (created empty, mode 0600, by msv_store_create).  A store or
 * state file readable or writable by others than its owner is refused with
 * STATUS_ACCESS_DENIED and a log line naming the file and its mode; a missing file is
 * STATUS_OBJECT_NAME_NOT_FOUND; a corrupt line is skipped with a log line naming file and
 * line (as Samba does) — never a crash.
 */
NTSTATUS msv_store_open(const char *path, struct msv_store **store);
NTSTATUS msv_store_create(const char *path);
void msv_store_close(struct msv_store *store);

/* Case-insensitive name match (ASCII), as Windows account names. STATUS_NO_SUCH_USER. */
NTSTATUS msv_store_lookup(struct msv_store *store, const char *name, struct msv_account *account);

/* Read-modify-write of one account under the store's lock, from the file as it is now:
 * EDIT changes *account and returns STATUS_SUCCESS to write it, anything else to leave
 * the store untouched (that status is returned).  STATUS_NO_SUCH_USER if absent. */
typedef NTSTATUS (*msv_store_edit_fn)(struct msv_account *account, void *context);
NTSTATUS msv_store_update(struct msv_store *store, const char *name, msv_store_edit_fn edit,
                          void *context);

/* STATUS_USER_EXISTS if the name is taken; STATUS_INVALID_ACCOUNT_NAME for a name with
 * ':' or a control character, empty, or longer than MSV_NAME_MAX. */
NTSTATUS msv_store_add(struct msv_store *store, const struct msv_account *account);
NTSTATUS msv_store_remove(struct msv_store *store, const char *name);

/* Calls FN for every account, in file order, from a consistent snapshot; stops early
 * when FN returns non-zero. */
NTSTATUS msv_store_enumerate(struct msv_store *store,
                             int (*fn)(const struct msv_account *account, void *context),
                             void *context);

/* Imports every account of a Samba smbpasswd file (state zeroed); existing names are
 * replaced when REPLACE, else skipped.  *imported counts the accounts written. */
NTSTATUS msv_store_import(struct msv_store *store, const char *smbpasswd_path, BOOLEAN replace,
                          ULONG *imported);

/* Parses one smbpasswd line (the fuzz harness and the tests use it directly). */
NTSTATUS msv_smbpasswd_parse_line(const char *line, struct msv_account *account);
/* Formats one smbpasswd line, with its newline, as Samba writes it. */
int msv_smbpasswd_format_line(const struct msv_account *account, char *out, size_t out_size);

/* Password change helpers: the hashes of a new UTF-8 password (LM only when it has one). */
NTSTATUS msv_account_set_password(struct msv_account *account, const char *utf8_password,
                                  int64_t now);

#endif
