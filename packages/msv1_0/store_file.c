/*
 * The smbpasswd backend's files: the lock, reading under it, and atomic durable writes.
 *
 * Files of a store at PATH, all in PATH's directory:
 *   PATH              the smbpasswd file (store_smbpasswd.c)
 *   PATH.state        the state file (store_state.c)
 *   PATH.state.pending  a state file waiting for its smbpasswd file (see "Commit")
 *   PATH.lock         the lock: flock(LOCK_SH) to read, flock(LOCK_EX) to write.  flock
 *                     locks belong to an open file description, and each transaction
 *                     opens the lock file anew, so the lock orders threads as well as
 *                     processes (fcntl locks would be dropped by any close in the process)
 *   PATH.tmp.XXXXXX   temporary files (mode 0600); stale ones are removed by the next
 *                     writer, which holds the exclusive lock
 *
 * Permission rule: every one of these files must be a regular file (not a symbolic
 * link), owned by the effective uid of the process, with no group or other permission
 * bits (mode & 077 == 0).  Anything else is refused with STATUS_ACCESS_DENIED and a log
 * line naming the file, its mode and its owner: a store others can read leaks NT hashes,
 * one others can write lets them choose passwords.  Samba creates its smbpasswd file 0600
 * too.
 *
 * Reading: under the lock, the smbpasswd file then the state file are read whole (no
 * line-length limit), so a reader sees one consistent image.
 *
 * Writing (always under the exclusive lock, read-modify-write): a file whose new text is
 * byte-identical to what was read is not written at all.  A changed file is written to a
 * temporary file in the same directory, fsync'd, renamed over the old one, and the
 * directory fsync'd: a crash at any instant leaves the old file or the new one.
 *
 * Commit across the two files: when both change in one update, a crash between their
 * renames must not leave a new smbpasswd file with an old state (a password reset
 * whose must_change was lost, an added account without its state).  So:
 *   1. the new state, headed "# msv1_0 generation G+1", goes to PATH.state.pending;
 *   2. the new smbpasswd file, first line "# msv1_0 generation G+1", replaces PATH:
 *      this rename is the commit point;
 *   3. PATH.state.pending is renamed to PATH.state.
 * A reader that finds PATH.state.pending with the generation of PATH uses it as the
 * state (the commit happened); with any other generation it ignores it (the commit did
 * not happen).  The next writer completes step 3, or removes the stale file.  Samba
 * ignores '#' lines, so the generation line does not disturb it; a store only ever
 * written one file at a time has no generation line at all.
 *
 * Caching: every read transaction leaves its image in the process-wide cache of the
 * store (store_cache.c) with the identity of the files it read; a lookup, and the
 * permission check of an open, are answered from there without the lock while lstat
 * shows the very same files (the permission rule is applied to those lstat results), or,
 * for a lookup, while an inotify watch vouches for the state files (store_cache.c).
 * Any write by any process replaces a file by rename (a new inode), and an in-place
 * edit changes its ctime, so the next lookup reads the files again.  A writer also drops
 * its own process's cached image.
 *
 * Samba's own tools lock the smbpasswd file itself and rewrite it in place: do not run
 * them on a store while lsa is writing it (import a copy instead).
 */
#include "store_backend.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <lsa/ntstatus.h>

#define MAX_FILE_BYTES ((size_t)64 << 20)

static NTSTATUS errno_status(int error)
{
    switch (error) {
    case ENOENT:
    case ENOTDIR:
        return STATUS_OBJECT_NAME_NOT_FOUND;
    case EACCES:
    case EPERM:
    case ELOOP:
    case EROFS:
        return STATUS_ACCESS_DENIED;
    case ENOMEM:
        return STATUS_NO_MEMORY;
    case ENOSPC:
    case EDQUOT:
    case EMFILE:
    case ENFILE:
    case EFBIG:
        return STATUS_INSUFFICIENT_RESOURCES;
    default:
        return STATUS_UNSUCCESSFUL;
    }
}

static NTSTATUS io_failure(const char *what, const char *path, int error)
{
    msv_pkg_log(LOG_ERR, "%s %s: %s", what, path, strerror(error));
    return errno_status(error);
}

/* ---- paths ------------------------------------------------------------------------- */

struct store_paths {
    char *store, *state, *pending, *lock, *tmp_prefix, *dir, *base;
};

static void paths_free(struct store_paths *p)
{
    free(p->store);
    free(p->state);
    free(p->pending);
    free(p->lock);
    free(p->tmp_prefix);
    free(p->dir);
    free(p->base);
    memset(p, 0, sizeof(*p));
}

static char *concat(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = malloc(la + lb + 1);
    if (s != NULL) {
        memcpy(s, a, la);
        memcpy(s + la, b, lb + 1);
    }
    return s;
}

static NTSTATUS paths_init(struct store_paths *p, const char *path)
{
    memset(p, 0, sizeof(*p));
    if (path == NULL || *path == '\0' || path[strlen(path) - 1] == '/')
        return STATUS_OBJECT_NAME_NOT_FOUND;
    char *copy1 = strdup(path), *copy2 = strdup(path);
    if (copy1 != NULL && copy2 != NULL) {
        p->dir = strdup(dirname(copy1));
        p->base = strdup(basename(copy2));
    }
    free(copy1);
    free(copy2);
    p->store = strdup(path);
    p->state = concat(path, ".state");
    p->pending = concat(path, ".state.pending");
    p->lock = concat(path, ".lock");
    p->tmp_prefix = concat(path, ".tmp.");
    if (p->dir == NULL || p->base == NULL || p->store == NULL || p->state == NULL ||
        p->pending == NULL || p->lock == NULL || p->tmp_prefix == NULL) {
        paths_free(p);
        return STATUS_NO_MEMORY;
    }
    return STATUS_SUCCESS;
}

/* ---- permissions and reading --------------------------------------------------------- */

/* The effective uid, read once: the lookups answered from the cache make no syscall
 * beyond their lstat calls.  (A process that changes its euid after it first used a
 * store keeps being held to the first one.) */
static uid_t euid;
static pthread_once_t euid_once = PTHREAD_ONCE_INIT;

static void read_euid(void)
{
    euid = geteuid();
}

static uid_t store_euid(void)
{
    pthread_once(&euid_once, read_euid);
    return euid;
}

BOOLEAN msv_file_rule_holds(const struct stat *st)
{
    return S_ISREG(st->st_mode) && (st->st_mode & 077) == 0 && st->st_uid == store_euid();
}

/* The permission rule on FD's file; *st_out (if not NULL) gets its fstat. */
static NTSTATUS check_file(int fd, const char *path, struct stat *st_out)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return io_failure("cannot stat", path, errno);
    if (!S_ISREG(st.st_mode)) {
        msv_pkg_log(LOG_ERR, "refusing the account store file %s: not a regular file", path);
        return STATUS_ACCESS_DENIED;
    }
    if (!msv_file_rule_holds(&st)) {
        msv_pkg_log(LOG_ERR,
                      "refusing the account store file %s: mode %04o, owner uid %u; it must "
                      "be owned by uid %u and readable and writable by its owner only (chmod "
                      "600)",
                      path, (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid,
                      (unsigned)store_euid());
        return STATUS_ACCESS_DENIED;
    }
    if (st_out != NULL)
        *st_out = st;
    return STATUS_SUCCESS;
}

static NTSTATUS open_checked(const char *path, int flags, int *fd_out, struct stat *st_out)
{
    int fd = open(path, flags | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        int error = errno;
        if (error == ENOENT)
            return STATUS_OBJECT_NAME_NOT_FOUND; /* the caller decides whether that is bad */
        if (error == ELOOP) {
            msv_pkg_log(LOG_ERR, "refusing the account store file %s: a symbolic link (give "
                                   "the real path)", path);
            return STATUS_ACCESS_DENIED;
        }
        return io_failure("cannot open", path, error);
    }
    NTSTATUS status = check_file(fd, path, st_out);
    if (status != STATUS_SUCCESS) {
        close(fd);
        return status;
    }
    *fd_out = fd;
    return STATUS_SUCCESS;
}

static NTSTATUS read_fd(int fd, const char *path, char **data, size_t *length)
{
    struct msv_buffer buffer = { 0 };
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int error = errno;
            explicit_bzero(chunk, sizeof(chunk));
            msv_text_free(buffer.data, buffer.capacity);
            return io_failure("cannot read", path, error);
        }
        if (n == 0)
            break;
        if (buffer.length + (size_t)n > MAX_FILE_BYTES) {
            explicit_bzero(chunk, sizeof(chunk));
            msv_text_free(buffer.data, buffer.capacity);
            msv_pkg_log(LOG_ERR, "%s is larger than %zu bytes: refused", path, MAX_FILE_BYTES);
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        msv_buffer_append(&buffer, chunk, (size_t)n);
    }
    explicit_bzero(chunk, sizeof(chunk));
    return msv_buffer_finish(&buffer, data, length);
}

/* Reads PATH under the permission rule; *data NULL for a missing file when MISSING_OK.
 * *id (if not NULL) gets the identity of what was read (or of a missing file), *fs_type
 * (if not NULL) the type of its file system. */
static NTSTATUS read_checked(const char *path, BOOLEAN missing_ok, char **data, size_t *length,
                             struct msv_file_id *id, long *fs_type)
{
    int fd;
    struct stat st;
    *data = NULL;
    *length = 0;
    NTSTATUS status = open_checked(path, O_RDONLY, &fd, &st);
    if (status == STATUS_OBJECT_NAME_NOT_FOUND) {
        if (id != NULL)
            msv_file_id_set(id, NULL);
        if (missing_ok)
            return STATUS_SUCCESS;
        msv_pkg_log(LOG_ERR, "the account store %s does not exist", path);
        return status;
    }
    if (status != STATUS_SUCCESS)
        return status;
    if (id != NULL)
        msv_file_id_set(id, &st);
    if (fs_type != NULL) {
        struct statfs sfs;
        *fs_type = fstatfs(fd, &sfs) == 0 ? (long)sfs.f_type : 0;
    }
    status = read_fd(fd, path, data, length);
    close(fd);
    return status;
}

NTSTATUS msv_file_read_any(const char *path, char **data, size_t *length)
{
    *data = NULL;
    *length = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return io_failure("cannot open", path, errno);
    NTSTATUS status = read_fd(fd, path, data, length);
    close(fd);
    return status;
}

/* ---- writing ----------------------------------------------------------------------- */

static NTSTATUS sync_dir(const struct store_paths *p)
{
    int fd = open(p->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return io_failure("cannot open the directory", p->dir, errno);
    int rc = fsync(fd);
    int error = errno;
    close(fd);
    if (rc != 0 && error != EINVAL) /* EINVAL: a file system without directory fsync */
        return io_failure("cannot fsync the directory", p->dir, error);
    return STATUS_SUCCESS;
}

/* TEXT to a fresh temporary file (mode 0600, fsync'd), renamed to TARGET, then the
 * directory fsync'd.  *renamed (if not NULL) tells whether TARGET was replaced, which
 * may be so even on failure (when the directory fsync fails). */
static NTSTATUS write_atomic(const struct store_paths *p, const char *target, const char *text,
                             size_t length, BOOLEAN *renamed)
{
    if (renamed != NULL)
        *renamed = FALSE;
    char *tmp = concat(p->tmp_prefix, "XXXXXX");
    if (tmp == NULL)
        return STATUS_NO_MEMORY;
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0) {
        NTSTATUS status = io_failure("cannot create a temporary file", tmp, errno);
        free(tmp);
        return status;
    }
    NTSTATUS status = STATUS_SUCCESS;
    if (fchmod(fd, 0600) != 0)
        status = io_failure("cannot chmod", tmp, errno);
    for (size_t done = 0; status == STATUS_SUCCESS && done < length;) {
        ssize_t n = write(fd, text + done, length - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            status = io_failure("cannot write", tmp, errno);
        else
            done += (size_t)n;
    }
    if (status == STATUS_SUCCESS && fsync(fd) != 0)
        status = io_failure("cannot fsync", tmp, errno);
    if (close(fd) != 0 && status == STATUS_SUCCESS)
        status = io_failure("cannot close", tmp, errno);
    if (status == STATUS_SUCCESS && rename(tmp, target) != 0)
        status = io_failure("cannot rename a temporary file to", target, errno);
    if (status != STATUS_SUCCESS) {
        unlink(tmp);
        free(tmp);
        return status;
    }
    free(tmp);
    if (renamed != NULL)
        *renamed = TRUE;
    return sync_dir(p);
}

/* Removes PATH.tmp.XXXXXX files left by a writer that died (we hold the exclusive lock,
 * so no live writer of this store has one open). */
static void remove_stale_temporaries(const struct store_paths *p)
{
    DIR *dir = opendir(p->dir);
    if (dir == NULL)
        return;
    size_t base_length = strlen(p->base);
    struct dirent *d;
    while ((d = readdir(dir)) != NULL) {
        const char *n = d->d_name;
        if (strncmp(n, p->base, base_length) != 0 || strncmp(n + base_length, ".tmp.", 5) != 0 ||
            strlen(n + base_length + 5) != 6)
            continue;
        if (unlinkat(dirfd(dir), n, 0) == 0)
            msv_pkg_log(LOG_NOTICE, "removed %s/%s, left by an interrupted write", p->dir, n);
    }
    closedir(dir);
}

/* ---- the backend ------------------------------------------------------------------- */

struct msv_store_txn {
    struct store_paths paths;
    struct msv_store_cache *cache; /* may be NULL */
    int lock_fd;
    BOOLEAN write;
    char *store_text; /* as read */
    size_t store_length;
    char *state_text; /* as read (or the pending file rolled forward); NULL if none */
    size_t state_length;
    const char *state_source; /* the file state_text came from, for log lines */
    /* A read's identities of the files it read, for the cache. */
    struct msv_file_ids ids;
    struct timespec read_start;
    long fs_type;
    BOOLEAN uncacheable;
};

static NTSTATUS check_files(const char *path)
{
    struct store_paths p;
    NTSTATUS status = paths_init(&p, path);
    if (status != STATUS_SUCCESS)
        return status;
    int fd;
    status = open_checked(p.store, O_RDONLY, &fd, NULL);
    if (status == STATUS_SUCCESS) {
        close(fd);
        const char *others[] = { p.state, p.pending, p.lock };
        for (size_t i = 0; i < 3 && status == STATUS_SUCCESS; i++) {
            status = open_checked(others[i], O_RDONLY, &fd, NULL);
            if (status == STATUS_SUCCESS)
                close(fd);
            else if (status == STATUS_OBJECT_NAME_NOT_FOUND)
                status = STATUS_SUCCESS;
        }
    }
    paths_free(&p);
    return status;
}

static NTSTATUS file_check(const char *path, struct msv_store_cache **cache_out)
{
    struct msv_store_cache *cache = msv_cache_get(path);
    if (cache == NULL)
        return STATUS_NO_MEMORY;
    *cache_out = cache;
    /* The files a read transaction cached, all still passing the rule: nothing to open. */
    if (msv_cache_probe(cache, TRUE))
        return STATUS_SUCCESS;
    return check_files(path);
}

static BOOLEAN file_cached_lookup(struct msv_store_cache *cache, const char *name,
                                  struct msv_account *account, NTSTATUS *status)
{
    return msv_cache_lookup(cache, name, account, status);
}

static NTSTATUS file_create(const char *path)
{
    struct store_paths p;
    NTSTATUS status = paths_init(&p, path);
    if (status != STATUS_SUCCESS)
        return status;
    int fd = open(p.store, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno == ENOENT && mkdir(p.dir, 0700) == 0) {
        msv_pkg_log(LOG_NOTICE, "created the directory %s (mode 0700)", p.dir);
        fd = open(p.store, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    }
    if (fd < 0) {
        int error = errno;
        status = error == EEXIST ? check_files(path) : io_failure("cannot create", p.store, error);
    } else {
        if (fchmod(fd, 0600) != 0 || fsync(fd) != 0)
            status = io_failure("cannot set up", p.store, errno);
        close(fd);
        if (status == STATUS_SUCCESS)
            status = sync_dir(&p);
        if (status == STATUS_SUCCESS)
            msv_pkg_log(LOG_NOTICE, "created the account store %s (mode 0600)", p.store);
    }
    paths_free(&p);
    return status;
}

static void txn_free(struct msv_store_txn *txn)
{
    if (txn->lock_fd >= 0)
        close(txn->lock_fd); /* releases the flock */
    msv_text_free(txn->store_text, txn->store_length);
    msv_text_free(txn->state_text, txn->state_length);
    paths_free(&txn->paths);
    free(txn);
}

/* Decides what the state text is: PATH.state, or a committed PATH.state.pending. */
static NTSTATUS load_state(struct msv_store_txn *txn, uint64_t generation)
{
    const struct store_paths *p = &txn->paths;
    char *pending;
    size_t pending_length;
    NTSTATUS status = read_checked(p->pending, TRUE, &pending, &pending_length,
                                   &txn->ids.file[MSV_FILE_PENDING], NULL);
    if (status != STATUS_SUCCESS)
        return status;
    if (pending != NULL) {
        const char *newline = memchr(pending, '\n', pending_length);
        size_t first = newline ? (size_t)(newline - pending) : pending_length;
        uint64_t pending_generation = 0;
        if (generation > 0 &&
            msv_parse_generation_line(pending, first, &pending_generation) == 0 &&
            pending_generation == generation) {
            /* Committed: the smbpasswd file of its generation is in place. */
            txn->state_text = pending;
            txn->state_length = pending_length;
            txn->state_source = p->pending;
            if (txn->write) {
                if (rename(p->pending, p->state) != 0)
                    return io_failure("cannot rename", p->pending, errno);
                msv_pkg_log(LOG_NOTICE, "completed an interrupted update of %s", p->state);
                return sync_dir(p);
            }
            /* The state file was not read: its identity, for the cache. */
            struct stat st;
            if (lstat(p->state, &st) == 0)
                msv_file_id_set(&txn->ids.file[MSV_FILE_STATE], &st);
            else if (errno == ENOENT)
                msv_file_id_set(&txn->ids.file[MSV_FILE_STATE], NULL);
            else
                txn->uncacheable = TRUE;
            return STATUS_SUCCESS;
        }
        msv_text_free(pending, pending_length);
        if (txn->write) {
            /* Never committed: the smbpasswd file still has the generation before it. */
            if (unlink(p->pending) != 0 && errno != ENOENT)
                return io_failure("cannot remove", p->pending, errno);
            msv_pkg_log(LOG_NOTICE, "discarded %s, left by an interrupted update", p->pending);
        }
    }
    txn->state_source = p->state;
    return read_checked(p->state, TRUE, &txn->state_text, &txn->state_length,
                        &txn->ids.file[MSV_FILE_STATE], NULL);
}

static NTSTATUS file_begin(const char *path, struct msv_store_cache *cache, BOOLEAN write,
                           struct msv_store_txn **txn_out, struct msv_store_table *table)
{
    struct msv_store_txn *txn = calloc(1, sizeof(*txn));
    if (txn == NULL)
        return STATUS_NO_MEMORY;
    txn->cache = cache;
    txn->lock_fd = -1;
    txn->write = write;
    NTSTATUS status = paths_init(&txn->paths, path);
    if (status != STATUS_SUCCESS) {
        free(txn);
        return status;
    }
    const struct store_paths *p = &txn->paths;

    /* The store must exist before a lock file is made beside it. */
    struct stat st;
    if (lstat(p->store, &st) != 0) {
        status = errno == ENOENT ? STATUS_OBJECT_NAME_NOT_FOUND
                                 : io_failure("cannot stat", p->store, errno);
        if (status == STATUS_OBJECT_NAME_NOT_FOUND)
            msv_pkg_log(LOG_ERR, "the account store %s does not exist", p->store);
        txn_free(txn);
        return status;
    }
    status = open_checked(p->lock, O_RDWR | O_CREAT, &txn->lock_fd, NULL);
    while (status == STATUS_SUCCESS && flock(txn->lock_fd, write ? LOCK_EX : LOCK_SH) != 0) {
        if (errno != EINTR)
            status = io_failure("cannot lock", p->lock, errno);
    }
    if (status == STATUS_SUCCESS && write)
        remove_stale_temporaries(p);
    if (status == STATUS_SUCCESS && !write && cache != NULL)
        clock_gettime(CLOCK_REALTIME, &txn->read_start); /* before any file is looked at */
    if (status == STATUS_SUCCESS)
        status = read_checked(p->store, FALSE, &txn->store_text, &txn->store_length,
                              &txn->ids.file[MSV_FILE_STORE], &txn->fs_type);
    if (status == STATUS_SUCCESS)
        status = msv_smbpasswd_parse(txn->store_text, txn->store_length, p->store, TRUE, table);
    if (status == STATUS_SUCCESS)
        status = load_state(txn, table->generation);
    uint64_t state_generation;
    if (status == STATUS_SUCCESS && txn->state_text != NULL)
        status = msv_state_parse(txn->state_text, txn->state_length, txn->state_source, table,
                                 &state_generation);
    if (status != STATUS_SUCCESS) {
        msv_table_clear(table);
        txn_free(txn);
        return status;
    }
    if (!write && cache != NULL) {
        if (txn->uncacheable)
            msv_cache_invalidate(cache);
        else
            msv_cache_fill(cache, &txn->ids, &txn->read_start, txn->fs_type, table);
    }
    *txn_out = txn;
    return STATUS_SUCCESS;
}

static BOOLEAN same_text(const char *a, size_t a_length, const char *b, size_t b_length)
{
    return a_length == b_length && (a_length == 0 || memcmp(a, b, a_length) == 0);
}

static BOOLEAN any_state(const struct msv_store_table *table)
{
    for (size_t i = 0; i < table->count; i++) {
        const struct msv_account *a = &table->entries[i].account;
        if (table->entries[i].raw == NULL &&
            (a->bad_password_count || a->bad_password_time || a->lockout_time ||
             a->logon_count || a->last_logon || a->must_change))
            return TRUE;
    }
    return FALSE;
}

static NTSTATUS file_commit(struct msv_store_txn *txn, struct msv_store_table *table)
{
    if (!txn->write)
        return STATUS_INVALID_PARAMETER;
    const struct store_paths *p = &txn->paths;
    char *store_text = NULL, *state_text = NULL;
    size_t store_length = 0, state_length = 0;
    uint64_t generation = table->generation;

    NTSTATUS status = msv_smbpasswd_format(table, &store_text, &store_length);
    if (status == STATUS_SUCCESS)
        status = msv_state_format(table, generation, &state_text, &state_length);
    if (status != STATUS_SUCCESS)
        goto out;
    BOOLEAN store_changed = !same_text(store_text, store_length, txn->store_text, txn->store_length);
    BOOLEAN state_changed =
        txn->state_text == NULL
            ? any_state(table)
            : !same_text(state_text, state_length, txn->state_text, txn->state_length);

    if (store_changed && state_changed) {
        /* The two-file commit described at the top of this file. */
        table->generation = generation + 1;
        msv_text_free(store_text, store_length);
        msv_text_free(state_text, state_length);
        store_text = state_text = NULL;
        status = msv_smbpasswd_format(table, &store_text, &store_length);
        if (status == STATUS_SUCCESS)
            status = msv_state_format(table, table->generation, &state_text, &state_length);
        BOOLEAN committed = FALSE;
        if (status == STATUS_SUCCESS)
            status = write_atomic(p, p->pending, state_text, state_length, NULL);
        if (status == STATUS_SUCCESS) {
            status = write_atomic(p, p->store, store_text, store_length, &committed);
            if (!committed)
                unlink(p->pending); /* not committed: the old files stand */
        }
        if (committed) {
            /* A failure from here on is repaired by the next reader and writer. */
            if (rename(p->pending, p->state) != 0)
                msv_pkg_log(LOG_WARNING, "%s: committed, but %s is not yet in place: %s",
                              p->store, p->state, strerror(errno));
            else
                (void)sync_dir(p);
        } else {
            table->generation = generation;
        }
    } else if (store_changed) {
        status = write_atomic(p, p->store, store_text, store_length, NULL);
    } else if (state_changed) {
        status = write_atomic(p, p->state, state_text, state_length, NULL);
    }
    if (store_changed || state_changed)
        msv_cache_invalidate(txn->cache); /* the next lookup reads what is on disk now */
    if (status == STATUS_SUCCESS && (store_changed || state_changed)) {
        /* What is on disk now is the baseline of a further commit in this transaction. */
        msv_text_free(txn->store_text, txn->store_length);
        msv_text_free(txn->state_text, txn->state_length);
        txn->store_text = store_text;
        txn->store_length = store_length;
        txn->state_text = state_text;
        txn->state_length = state_length;
        store_text = state_text = NULL;
    }
out:
    msv_text_free(store_text, store_length);
    msv_text_free(state_text, state_length);
    return status;
}

static void file_end(struct msv_store_txn *txn)
{
    if (txn != NULL)
        txn_free(txn);
}

const struct msv_store_backend msv_store_backend_smbpasswd = {
    .name = "smbpasswd",
    .check = file_check,
    .create = file_create,
    .begin = file_begin,
    .commit = file_commit,
    .end = file_end,
    .cached_lookup = file_cached_lookup,
};
