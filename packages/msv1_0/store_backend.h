/*
 * Inside the MSV1_0 account store (account_store.h is the public face): the in-memory
 * image of a store, the backend interface account_store.c dispatches to, and the
 * parsers/formatters the smbpasswd backend is built from.
 *
 * A backend works in transactions over a whole image: begin() takes the store's lock
 * (shared to read, exclusive to write) and loads the image as it is now; commit()
 * writes a changed image atomically; end() drops the lock.  The generic operations
 * (lookup, update, add, remove, enumerate, import) live in account_store.c on top of
 * that, so a directory backend only has to provide these five functions.  A backend may
 * also keep a process-wide cache of the image and answer lookups from it while it can
 * prove the store unchanged (cached_lookup; the smbpasswd backend's is store_cache.c).
 */
#ifndef MSV1_0_STORE_BACKEND_H
#define MSV1_0_STORE_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include "account_store.h"
#include "msv_log.h"

/* One line of the smbpasswd file: an account, or a line kept verbatim (a comment, a
 * blank or malformed line, a duplicate name) so that rewriting the file loses nothing
 * an administrator wrote. */
struct msv_store_entry {
    char *raw; /* non-NULL: a line kept as it is, without its newline */
    struct msv_account account;
};

struct msv_store_table {
    struct msv_store_entry *entries;
    size_t count;
    size_t capacity;
    /* The generation of the smbpasswd file (its "# msv1_0 generation N" first line; 0 for
     * a file without one, such as a file Samba wrote).  It ties a pending state file to
     * the smbpasswd file it belongs to (store_file.c). */
    uint64_t generation;
};

void msv_table_init(struct msv_store_table *table);
/* Frees every entry, wiping the hashes. */
void msv_table_clear(struct msv_store_table *table);
/* Appends a copy of ACCOUNT (raw NULL), or of the RAW line (account zeroed).
 * STATUS_NO_MEMORY. */
NTSTATUS msv_table_append(struct msv_store_table *table, const struct msv_account *account,
                          const char *raw, size_t raw_length);
/* The index of the account named NAME (ASCII case-insensitive), or -1. */
long msv_table_find(const struct msv_store_table *table, const char *name);
void msv_table_remove(struct msv_store_table *table, size_t index);

/* ASCII case-insensitive equality of two names. */
int msv_name_equal(const char *a, const char *b);
/* STATUS_SUCCESS, or STATUS_INVALID_ACCOUNT_NAME (empty, longer than MSV_NAME_MAX, a ':',
 * a control character, or a leading '#', which would make the line a comment). */
NTSTATUS msv_name_check(const char *name);

/* TABLE's account indexes sorted by folded name, ties in table order (malloc'd; NULL with
 * *count 0 when there are no accounts, NULL with *count 1 when out of memory), and a
 * binary search over them: the first account named NAME, or -1. */
size_t *msv_table_sorted_index(const struct msv_store_table *table, size_t *count);
long msv_table_sorted_find(const struct msv_store_table *table, const size_t *index, size_t count,
                           const char *name);
/* "# msv1_0 generation N" → 0 and *generation; -1 for any other line. */
int msv_parse_generation_line(const char *line, size_t length, uint64_t *generation);

/* ---- store_smbpasswd.c: the smbpasswd text (spec/ntlm.md §3) ----------------------- */

/* Parses a whole smbpasswd text into TABLE (which must be empty).  Malformed lines are
 * logged as "FILE:LINE: reason" and, when KEEP_RAW, kept verbatim; a second line for a
 * name already seen is treated the same way (Samba uses the first).  Lines of any
 * length are handled.  STATUS_NO_MEMORY is the only failure. */
NTSTATUS msv_smbpasswd_parse(const char *text, size_t length, const char *file, BOOLEAN keep_raw,
                             struct msv_store_table *table);
/* Formats TABLE as an smbpasswd text, with its generation line when generation > 0.
 * *text is malloc'd (wipe and free it).  STATUS_NO_MEMORY. */
NTSTATUS msv_smbpasswd_format(const struct msv_store_table *table, char **text, size_t *length);

/* ---- store_state.c: the state file STORE.state --------------------------------------- */

/* Reads the state text into the accounts of TABLE (matched by name, case-insensitive);
 * lines of unknown accounts are dropped, malformed ones logged as "FILE:LINE: reason".
 * *generation gets the text's generation line (0 without one).  STATUS_NO_MEMORY. */
NTSTATUS msv_state_parse(const char *text, size_t length, const char *file,
                         struct msv_store_table *table, uint64_t *generation);
/* The state text of TABLE's accounts, headed by GENERATION.  STATUS_NO_MEMORY. */
NTSTATUS msv_state_format(const struct msv_store_table *table, uint64_t generation, char **text,
                          size_t *length);
/* Zeroes the state fields of ACCOUNT. */
void msv_state_clear(struct msv_account *account);

/* ---- store_file.c: files, locks --------------------------------------------- */

/* Reads a whole file (any permissions: the import source).  STATUS_OBJECT_NAME_NOT_FOUND,
 * STATUS_ACCESS_DENIED, STATUS_INSUFFICIENT_RESOURCES (too large), STATUS_NO_MEMORY.
 * *data is NUL-terminated, malloc'd. */
NTSTATUS msv_file_read_any(const char *path, char **data, size_t *length);

/* A growing text buffer for the formatters. */
struct msv_buffer {
    char *data;
    size_t length;
    size_t capacity;
    BOOLEAN failed;
};
void msv_buffer_append(struct msv_buffer *buffer, const char *bytes, size_t length);
void msv_buffer_printf(struct msv_buffer *buffer, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Hands the text over (NUL-terminated); STATUS_NO_MEMORY if any append failed. */
NTSTATUS msv_buffer_finish(struct msv_buffer *buffer, char **text, size_t *length);
/* Wipes and frees a text. */
void msv_text_free(char *text, size_t length);

/* The permission rule (store_file.c) as a predicate on a file's lstat/fstat: a regular
 * file owned by the effective uid (read once per process) with mode & 077 == 0. */
BOOLEAN msv_file_rule_holds(const struct stat *st);

/* ---- store_cache.c: the smbpasswd backend's process-wide cache ------------------------ */

/* What tells one file's content apart without reading it. */
struct msv_file_id {
    BOOLEAN exists;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtim, ctim;
    mode_t mode;
    uid_t uid;
};

/* The files an image is read from. */
enum { MSV_FILE_STORE, MSV_FILE_STATE, MSV_FILE_PENDING, MSV_FILE_COUNT };
struct msv_file_ids {
    struct msv_file_id file[MSV_FILE_COUNT];
};

/* ST's identity; NULL: a missing file. */
void msv_file_id_set(struct msv_file_id *id, const struct stat *st);

/* The cache of the store at PATH (made empty at first use, kept until the process ends);
 * NULL when out of memory. */
struct msv_store_cache *msv_cache_get(const char *path);
/* TRUE when the cache holds the image of the files as they are now (one lstat per file;
 * every file that exists passes the permission rule), and, with LOCK_FILE, the lock file
 * passes the rule too.  FALSE says nothing more: the caller takes the slow path, which
 * names any problem. */
BOOLEAN msv_cache_probe(struct msv_store_cache *cache, BOOLEAN lock_file);
/* Answers a lookup from the cache when msv_cache_probe holds, or, once the cache trusts
 * its inotify watch (store_watch.c), when that watch saw no change and one lstat shows
 * PATH unchanged (*status: STATUS_SUCCESS or STATUS_NO_SUCH_USER); FALSE when the store
 * must be read. */
BOOLEAN msv_cache_lookup(struct msv_store_cache *cache, const char *name,
                         struct msv_account *account, NTSTATUS *status);
/* TABLE was just read, under the shared lock, from the files IDS, the clock reading
 * READ_START before the first of them was opened, on a file system of type FS_TYPE
 * (statfs f_type): cache it when that is safe (store_cache.c), else drop what the cache
 * holds. */
void msv_cache_fill(struct msv_store_cache *cache, const struct msv_file_ids *ids,
                    const struct timespec *read_start, long fs_type,
                    const struct msv_store_table *table);
/* Drops the cached image (after a write). */
void msv_cache_invalidate(struct msv_store_cache *cache);
/* For the tests: lookups answered from a cache, and images cached, since the start. */
void msv_cache_counters(unsigned long *hits, unsigned long *fills);
/* For the tests: of those lookups, the ones the inotify watch vouched for. */
unsigned long msv_cache_watched_hits(void);
/* For the tests: of those, the ones that needed no lstat of PATH either. */
unsigned long msv_cache_path_watched_hits(void);

/* ---- the backend interface ------------------------------------------------------------ */

struct msv_store_txn;
struct msv_store_cache;

struct msv_store_backend {
    const char *name;
    /* The store at PATH exists and may be used (permissions).  *cache gets the backend's
     * process-wide cache of PATH (NULL for a backend without one). */
    NTSTATUS (*check)(const char *path, struct msv_store_cache **cache);
    /* Creates an empty store (mode 0600); an existing one is left alone. */
    NTSTATUS (*create)(const char *path);
    /* Locks (exclusively when WRITE) and loads the image into TABLE (empty on entry).  A
     * read refreshes CACHE (if not NULL), a write invalidates it. */
    NTSTATUS (*begin)(const char *path, struct msv_store_cache *cache, BOOLEAN write,
                      struct msv_store_txn **txn, struct msv_store_table *table);
    /* Writes TABLE (a changed image) atomically and durably; only in a WRITE transaction. */
    NTSTATUS (*commit)(struct msv_store_txn *txn, struct msv_store_table *table);
    /* Unlocks and frees the transaction. */
    void (*end)(struct msv_store_txn *txn);
    /* Optional: answers a lookup without the lock when CACHE provably holds the image of
     * the store as it is now (TRUE, *status the answer); FALSE: read it in a transaction. */
    BOOLEAN (*cached_lookup)(struct msv_store_cache *cache, const char *name,
                             struct msv_account *account, NTSTATUS *status);
};

/* The default backend: an smbpasswd file plus STORE.state (store_file.c). */
extern const struct msv_store_backend msv_store_backend_smbpasswd;

#endif
