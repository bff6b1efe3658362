/*
 * The smbpasswd backend's process-wide cache (store_backend.h): for each store path, the
 * image its last read transaction loaded (smbpasswd and state merged) and the identity of
 * the files it was read from, so that a logon's open and lookup cost a few system calls
 * instead of opening, locking, reading and parsing the store every time.
 *
 * Identity: for PATH, PATH.state and PATH.state.pending, whether the file exists and its
 * st_dev, st_ino, st_size, st_mtim, st_ctim, st_mode and st_uid.  A probe lstats the
 * three files (in that order, without the lock) and the cache answers only when all
 * three are what the image was read from, and every one that exists passes the
 * permission rule (store_file.c) — the rule is applied to those lstat results, so a file
 * made readable by others, or given to another owner, is refused by the slow path at the
 * next open or lookup.  Why that is enough:
 *
 *   - Our writers replace a file by rename(): a new inode.  The image is read under the
 *     shared lock, so its three identities are one consistent state of the files.
 *   - A file that is replaced or edited in place gets a new ctime, and userspace cannot
 *     set a ctime.  But timestamps come from a coarse clock, truncated to the file
 *     system's granularity: a change made in the same clock tick as the last one may
 *     keep size, mtime and ctime (and a freed inode number may be reused).  So an image
 *     is cached only when every file it was read from has a ctime older than the start
 *     of the read by more than a tick and the granularity (SETTLE_NS; SETTLE_COARSE_NS
 *     when the ctime has no sub-second part, as on a file system with whole-second
 *     timestamps).  Any later change, by anyone, then gets a ctime no earlier than the
 *     read started, which differs from the cached one: seen at the next probe.  A store
 *     written in the last moment is read at every lookup until it settles.
 *   - Each file's lstat that matches means that file was not changed between the read
 *     and that lstat; the first lstat (PATH) is therefore an instant at which the
 *     smbpasswd and state files were the cached ones.  A pending state file is used only
 *     with the generation of PATH, which a writer only writes together with a new PATH,
 *     so one that appears or goes while PATH stays cannot change the image.
 *   - Only local file systems are trusted (fs_trusted): over NFS and the like, stat
 *     answers from an attribute cache and would hide another host's change for seconds;
 *     there every lookup reads the store, as before.
 *
 * The watch (store_watch.c): lstat costs a path walk, and a logon's lookup made three.
 * On ext2/3/4, XFS, Btrfs, F2FS, tmpfs and ramfs (fs_watchable) a lookup instead costs
 * one lstat of PATH and one epoll_wait, once the cache trusts its watch: an inotify watch of
 * PATH's directory D (entries created, deleted or renamed; D moved or deleted), inode
 * watches of PATH.state and PATH.state.pending when they exist (every write, truncation,
 * chmod, chown, utimes, link or unlink of those files, through whatever name or open
 * file), and /proc/self/mountinfo's POLLPRI (any mount table change).  Any of these
 * events, except one naming another entry of D (the lock file, a writer's temporaries),
 * ends trust; the next lookup makes the full probe above and may earn it again.
 * Trust is had when, after the watches of D were in place and drained (instant T0):
 *   (a) the full probe shows the cached image, with PATH of exactly one link;
 *   (b) the state files that exist, opened through a descriptor of D, are the cached
 *       ones (full identity) and their inodes are the ones watched; D's entry for
 *       PATH's name is the cached smbpasswd file F;
 *   (c) no event counted since T0.
 * Then a lookup whose lstat of PATH shows F (full identity, as in the probe) with one
 * link, with nothing counted up to its epoll_wait, answers from an image current at
 * that lstat:
 *   - F is unchanged since the read (the identity argument above);
 *   - the state files: each was the cached one at (b) (after T0) and any change since,
 *     to its content, its attributes or its links, or to which file D's entry names,
 *     would have counted;
 *   - D is the directory PATH is looked up in: D held F at (b) and still does (an
 *     unlink or rename of that entry counts), and F has one link, so the directory
 *     PATH's last component is found in, which holds a link to F, is D — whatever
 *     was renamed among PATH's ancestors, or which directory a symbolic link among them
 *     now names.  (With a second link F could stand in another directory beside
 *     other state files: such a store keeps the three-lstat check.)  A mount over one
 *     of the files changes the mount table, which counts.
 * And the lstat of PATH goes too when PATH's directory has a canonical absolute path
 * (store_path_chain.c): the attempt also watches every directory above D for being moved
 * or deleted (IN_MOVE_SELF, IN_DELETE_SELF: events about their entries do not reach
 * those watches), and watches F's inode; after T0 it checks that each component of D's
 * path is, in the watched directory above it, a directory entry (not a symbolic link)
 * naming the next one, up to the process's root.  Then PATH's walk from the root goes
 * through exactly the watched directories to D: for it to reach another directory, one
 * of them would have to be moved or deleted (a non-empty directory cannot be replaced
 * otherwise), or a mount placed on the way — each counted; and F, of one link at (a),
 * can gain a second name only with an IN_ATTRIB on its inode.  Such a lookup costs one
 * epoll_wait.  A symbolic link among the components (whose target can change with no
 * event on the directories) keeps the lstat of PATH.
 * The kernel queues an event before the system call that made the change returns, so a
 * lookup that starts after a change completed sees it (a concurrent one may not, as it
 * may not with lstat).  What inotify does not report, and so where this is weaker than
 * three lstat calls, is listed at the top of store_watch.c: a write through a shared
 * writable mmap of a state file, a mount made after the process changed its mount
 * namespace, and (without the lstat of PATH) a change of the process's root directory.  A process that cannot have a watch (no inotify, the watch limit, no /proc)
 * logs it once and keeps the three lstat calls.  After fork() the child drops the
 * parent's descriptors (its reads would take events from the parent's queue) and makes
 * its own.
 *
 * A writer drops its process's image after a change (other processes see the new
 * identity).  The image holds NT and LM hashes: it lives in its own anonymous pages,
 * marked MADV_DONTDUMP, and is wiped (explicit_bzero) before they are unmapped.
 *
 * Threads: one mutex, cache_mutex, guards every cache (the list, the identities, the
 * images, the watch's state); it is held for a comparison, a binary search and a copy,
 * and for reading the watch's non-blocking descriptors, never across other I/O.  A lookup
 * with a trusted watch does not take it: it holds one of the watch's slot locks (its
 * thread's, store_watch.h) across its epoll_wait on the slot's own descriptors, its
 * comparison, its binary search and its copy.  Whatever replaces or drops an image, or
 * reads the watch's queue, holds cache_mutex and every slot lock (msv_watch_exclude), so
 * such a lookup reads an image that cannot be swapped, wiped or unmapped under it; and
 * it answers only when its own epoll_wait, made after it started, found nothing: the
 * guarantee above holds as it did under the one mutex (a slot's mount table report is
 * consumed by that slot's check alone, which withdraws trust before it lets the slot
 * go).  Threads on different slots run their lookups side by side.  When the epoll_wait
 * finds events queued, the lookup asks again under cache_mutex, as before.  Lock order:
 * cache_mutex, then the slots.  Across fork() every lock is taken and released so that
 * the child can use the store.  Caches are never freed (one per store path the process
 * uses).
 */
#include "store_backend.h"
#include "store_watch.h"

#include <errno.h>
#include <linux/magic.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <lsa/ntstatus.h>

/* A tick of the kernel's coarse clock (at most 10 ms) plus a fine granularity, kept
 * generous; and for whole-second (or two-second) timestamps. */
#define SETTLE_NS INT64_C(100000000)
#define SETTLE_COARSE_NS INT64_C(3000000000)

#ifndef ZFS_SUPER_MAGIC
#define ZFS_SUPER_MAGIC 0x2fc12fc1
#endif
#ifndef BCACHEFS_SUPER_MAGIC
#define BCACHEFS_SUPER_MAGIC 0xca451a4e
#endif

struct msv_store_cache {
    struct msv_store_cache *next;
    char *path;
    char *file[MSV_FILE_COUNT]; /* PATH, PATH.state, PATH.state.pending */
    char *lock;                 /* PATH.lock, checked by an open */
    /* Under cache_mutex (loaded is also read without it, as a hint: nothing cached, so
     * no lstat either). */
    atomic_bool loaded;
    struct msv_file_ids ids;
    struct msv_store_table image; /* accounts only, in file order; entries in region */
    size_t *index;                /* image sorted by name (msv_table_sorted_index) */
    void *region;
    size_t region_size;
    BOOLEAN fs_noted, dontdump_noted;

    /* The inotify watch that spares lookups the state files' lstat (store_watch.c). */
    char *dir;                  /* PATH's directory */
    char *base[MSV_FILE_COUNT]; /* the base names of the files */
    struct msv_watch watch;
};

static pthread_mutex_t cache_mutex = PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP;
static struct msv_store_cache *caches;
static unsigned long hit_count, fill_count, watched_count, path_watched_count;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static void before_fork(void)
{
    pthread_mutex_lock(&cache_mutex);
    for (struct msv_store_cache *cache = caches; cache != NULL; cache = cache->next)
        msv_watch_exclude(&cache->watch);
}

static void after_fork(void)
{
    for (struct msv_store_cache *cache = caches; cache != NULL; cache = cache->next)
        msv_watch_admit(&cache->watch);
    pthread_mutex_unlock(&cache_mutex);
}

/* The inotify and mountinfo descriptors are shared with the parent, which reads them
 * (and so takes the events this process would need): the child makes its own. */
static void after_fork_child(void)
{
    for (struct msv_store_cache *cache = caches; cache != NULL; cache = cache->next) {
        msv_watch_forget(&cache->watch);
        msv_watch_admit(&cache->watch);
    }
    pthread_mutex_unlock(&cache_mutex);
}

static void register_atfork(void)
{
    int error = pthread_atfork(before_fork, after_fork, after_fork_child);
    if (error != 0) /* a fork while another thread holds the mutex would hang the child */
        msv_pkg_log(LOG_WARNING, "pthread_atfork: %s", strerror(error));
}

/* ---- identities ---------------------------------------------------------------------- */

void msv_file_id_set(struct msv_file_id *id, const struct stat *st)
{
    memset(id, 0, sizeof(*id));
    if (st == NULL)
        return;
    id->exists = TRUE;
    id->dev = st->st_dev;
    id->ino = st->st_ino;
    id->size = st->st_size;
    id->mtim = st->st_mtim;
    id->ctim = st->st_ctim;
    id->mode = st->st_mode;
    id->uid = st->st_uid;
}

static BOOLEAN same_time(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec == b->tv_sec && a->tv_nsec == b->tv_nsec;
}

static BOOLEAN same_file(const struct msv_file_id *a, const struct msv_file_id *b)
{
    if (a->exists != b->exists)
        return FALSE;
    return !a->exists ||
           (a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
            same_time(&a->mtim, &b->mtim) && same_time(&a->ctim, &b->ctim) &&
            a->mode == b->mode && a->uid == b->uid);
}

/* lstat of PATH into *id (and *nlink, if not NULL: 0 for a missing file); FALSE when it
 * cannot vouch for the file (an error, or the permission rule broken: the slow path says
 * which). */
static BOOLEAN probe_file(const char *path, struct msv_file_id *id, nlink_t *nlink)
{
    struct stat st;
    if (nlink != NULL)
        *nlink = 0;
    if (lstat(path, &st) != 0) {
        if (errno != ENOENT)
            return FALSE;
        msv_file_id_set(id, NULL);
        return TRUE;
    }
    if (!msv_file_rule_holds(&st))
        return FALSE;
    msv_file_id_set(id, &st);
    if (nlink != NULL)
        *nlink = st.st_nlink;
    return TRUE;
}

/* The files as they are now, the store first (*nlink: its link count, if not NULL);
 * FALSE as probe_file, or no store. */
static BOOLEAN probe_files(const struct msv_store_cache *cache, struct msv_file_ids *ids,
                           nlink_t *nlink)
{
    for (int i = 0; i < MSV_FILE_COUNT; i++)
        if (!probe_file(cache->file[i], &ids->file[i], i == MSV_FILE_STORE ? nlink : NULL))
            return FALSE;
    return ids->file[MSV_FILE_STORE].exists;
}

/* Under cache_mutex. */
static BOOLEAN is_current(const struct msv_store_cache *cache, const struct msv_file_ids *ids)
{
    if (!atomic_load_explicit(&cache->loaded, memory_order_relaxed))
        return FALSE;
    for (int i = 0; i < MSV_FILE_COUNT; i++)
        if (!same_file(&cache->ids.file[i], &ids->file[i]))
            return FALSE;
    return TRUE;
}

/* ID's file has not changed in the moment before START (see the top of this file). */
static BOOLEAN settled(const struct msv_file_id *id, const struct timespec *start)
{
    if (!id->exists)
        return TRUE;
    int64_t settle = id->ctim.tv_nsec == 0 ? SETTLE_COARSE_NS : SETTLE_NS;
    struct timespec limit = *start;
    limit.tv_sec -= (time_t)(settle / 1000000000);
    limit.tv_nsec -= (long)(settle % 1000000000);
    if (limit.tv_nsec < 0) {
        limit.tv_nsec += 1000000000;
        limit.tv_sec--;
    }
    return id->ctim.tv_sec < limit.tv_sec ||
           (id->ctim.tv_sec == limit.tv_sec && id->ctim.tv_nsec < limit.tv_nsec);
}

/* Local file systems, whose stat is the inode itself. */
static BOOLEAN fs_trusted(long type)
{
    switch ((unsigned long)type & 0xffffffffUL) {
    case EXT4_SUPER_MAGIC: /* ext2, ext3 and ext4 */
    case XFS_SUPER_MAGIC:
    case BTRFS_SUPER_MAGIC:
    case TMPFS_MAGIC:
    case RAMFS_MAGIC:
    case F2FS_SUPER_MAGIC:
    case OVERLAYFS_SUPER_MAGIC:
    case ZFS_SUPER_MAGIC:
    case BCACHEFS_SUPER_MAGIC:
        return TRUE;
    default:
        return FALSE;
    }
}

/* File systems whose every change to a file goes through the VFS, and so is reported to
 * inotify (store_watch.c).  Not overlayfs (a layer may be changed directly), ZFS (a
 * rollback) or bcachefs (kept to what is known). */
static BOOLEAN fs_watchable(long type)
{
    switch ((unsigned long)type & 0xffffffffUL) {
    case EXT4_SUPER_MAGIC:
    case XFS_SUPER_MAGIC:
    case BTRFS_SUPER_MAGIC:
    case TMPFS_MAGIC:
    case RAMFS_MAGIC:
    case F2FS_SUPER_MAGIC:
        return TRUE;
    default:
        return FALSE;
    }
}

/* ---- the caches ---------------------------------------------------------------------- */

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

static void cache_free(struct msv_store_cache *cache)
{
    free(cache->path);
    for (int i = 0; i < MSV_FILE_COUNT; i++) {
        free(cache->file[i]);
        free(cache->base[i]);
    }
    free(cache->lock);
    free(cache->dir);
    free(cache);
}

/* CACHE's directory and base names (for the watch). */
static BOOLEAN cache_names(struct msv_store_cache *cache)
{
    const char *slash = strrchr(cache->path, '/');
    const char *base = slash != NULL ? slash + 1 : cache->path;
    if (slash == NULL)
        cache->dir = strdup(".");
    else if (slash == cache->path)
        cache->dir = strdup("/");
    else
        cache->dir = strndup(cache->path, (size_t)(slash - cache->path));
    cache->base[MSV_FILE_STORE] = strdup(base);
    cache->base[MSV_FILE_STATE] = concat(base, ".state");
    cache->base[MSV_FILE_PENDING] = concat(base, ".state.pending");
    for (int i = 0; i < MSV_FILE_COUNT; i++)
        if (cache->base[i] == NULL)
            return FALSE;
    if (cache->dir == NULL)
        return FALSE;
    return msv_watch_init(&cache->watch, &cache_mutex, cache->path, cache->dir, cache->base) ==
           0;
}

struct msv_store_cache *msv_cache_get(const char *path)
{
    pthread_once(&atfork_once, register_atfork);
    pthread_mutex_lock(&cache_mutex);
    struct msv_store_cache *cache = caches;
    while (cache != NULL && strcmp(cache->path, path) != 0)
        cache = cache->next;
    pthread_mutex_unlock(&cache_mutex);
    if (cache != NULL)
        return cache;

    struct msv_store_cache *made;
    if (posix_memalign((void **)&made, _Alignof(struct msv_store_cache), sizeof(*made)) != 0)
        return NULL;
    memset(made, 0, sizeof(*made));
    made->path = strdup(path);
    made->file[MSV_FILE_STORE] = strdup(path);
    made->file[MSV_FILE_STATE] = concat(path, ".state");
    made->file[MSV_FILE_PENDING] = concat(path, ".state.pending");
    made->lock = concat(path, ".lock");
    if (made->path == NULL || made->file[MSV_FILE_STORE] == NULL ||
        made->file[MSV_FILE_STATE] == NULL || made->file[MSV_FILE_PENDING] == NULL ||
        made->lock == NULL || !cache_names(made)) {
        cache_free(made);
        return NULL;
    }
    pthread_mutex_lock(&cache_mutex);
    for (cache = caches; cache != NULL && strcmp(cache->path, path) != 0;)
        cache = cache->next;
    if (cache == NULL) { /* no other thread made it meanwhile */
        made->next = caches;
        caches = made;
        cache = made;
        made = NULL;
    }
    pthread_mutex_unlock(&cache_mutex);
    if (made != NULL)
        cache_free(made);
    return cache;
}

BOOLEAN msv_cache_probe(struct msv_store_cache *cache, BOOLEAN lock_file)
{
    struct msv_file_ids ids;
    if (!atomic_load_explicit(&cache->loaded, memory_order_relaxed) ||
        !probe_files(cache, &ids, NULL))
        return FALSE;
    if (lock_file) {
        struct msv_file_id lock;
        if (!probe_file(cache->lock, &lock, NULL) || !lock.exists)
            return FALSE;
    }
    pthread_mutex_lock(&cache_mutex);
    BOOLEAN current = is_current(cache, &ids);
    pthread_mutex_unlock(&cache_mutex);
    return current;
}

/* The image being current and held (cache_mutex, or a slot with trust): the answer for
 * NAME. */
static void answer(const struct msv_store_cache *cache, const char *name,
                   struct msv_account *account, NTSTATUS *status)
{
    long i = msv_table_sorted_find(&cache->image, cache->index, cache->image.count, name);
    if (i < 0) {
        *status = STATUS_NO_SUCH_USER;
    } else {
        *account = cache->image.entries[i].account;
        *status = STATUS_SUCCESS;
    }
}

/* The watch vouches for the image, and the lstat of PATH (when STATTED, into ID) agrees. */
static BOOLEAN watched_current(const struct msv_store_cache *cache, BOOLEAN statted,
                               const struct msv_file_id *id)
{
    return statted ? same_file(&cache->ids.file[MSV_FILE_STORE], id)
                   : msv_watch_covers_path(&cache->watch);
}

/* The fast check (see the top of this file): one look at the watch, after an lstat of
 * PATH unless the directories above PATH's are watched too; under the thread's slot
 * lock alone when the watch has nothing queued.  FALSE: trust is lost, the full probe
 * follows. */
static BOOLEAN watched_lookup(struct msv_store_cache *cache, const char *name,
                              struct msv_account *account, NTSTATUS *status)
{
    struct stat st;
    struct msv_file_id id;
    BOOLEAN statted = !msv_watch_covers_path(&cache->watch), ok = TRUE;
    memset(&id, 0, sizeof(id));
    if (statted) {
        ok = lstat(cache->file[MSV_FILE_STORE], &st) == 0 && st.st_nlink == 1 &&
             msv_file_rule_holds(&st);
        if (ok)
            msv_file_id_set(&id, &st);
    }
    struct msv_watch_slot *slot = msv_watch_slot_lock(&cache->watch);
    enum msv_watch_word word = ok ? msv_watch_slot_check(&cache->watch, slot) : MSV_WATCH_QUIET;
    BOOLEAN answered = ok && word == MSV_WATCH_QUIET && watched_current(cache, statted, &id);
    if (answered) {
        answer(cache, name, account, status);
        slot->hits++;
        slot->path_hits += !statted;
    }
    msv_watch_slot_unlock(slot);
    if (answered)
        return TRUE;
    if (word == MSV_WATCH_UNTRUSTED)
        return FALSE;

    pthread_mutex_lock(&cache_mutex);
    if (word == MSV_WATCH_CHANGED)
        msv_watch_changed(&cache->watch);
    ok = ok && word == MSV_WATCH_ASK && msv_watch_vouches(&cache->watch) &&
         watched_current(cache, statted, &id);
    if (ok) {
        answer(cache, name, account, status);
        hit_count++;
        watched_count++;
        path_watched_count += !statted;
    } else {
        msv_watch_distrust(&cache->watch);
    }
    pthread_mutex_unlock(&cache_mutex);
    return ok;
}

BOOLEAN msv_cache_lookup(struct msv_store_cache *cache, const char *name,
                         struct msv_account *account, NTSTATUS *status)
{
    if (!atomic_load_explicit(&cache->loaded, memory_order_relaxed))
        return FALSE;
    if (atomic_load_explicit(&cache->watch.trusted, memory_order_relaxed) &&
        watched_lookup(cache, name, account, status))
        return TRUE;

    /* The full probe, around which the watch may earn trust (store_watch.c). */
    struct msv_watch_attempt attempt;
    BOOLEAN attempting = msv_watch_begin(&cache->watch, &attempt);
    struct msv_file_ids ids;
    nlink_t nlink;
    BOOLEAN probed = probe_files(cache, &ids, &nlink);
    if (probed && attempting)
        msv_watch_files(&cache->watch, &attempt);
    pthread_mutex_lock(&cache_mutex);
    BOOLEAN current = probed && is_current(cache, &ids);
    if (current) {
        answer(cache, name, account, status);
        hit_count++;
    }
    if (attempting) {
        BOOLEAN match = current && nlink == 1 && attempt.ok;
        for (int i = 0; i < MSV_FILE_COUNT && match; i++)
            match = same_file(&cache->ids.file[i], &attempt.id[i]);
        msv_watch_decide(&cache->watch, &attempt, match);
    }
    pthread_mutex_unlock(&cache_mutex);
    if (attempting)
        msv_watch_end(&cache->watch, &attempt);
    return current;
}

/* ---- images ---------------------------------------------------------------------------- */

struct image {
    struct msv_store_table table;
    size_t *index;
    void *region;
    size_t region_size;
};

static void image_free(struct image *image)
{
    if (image->region != NULL) {
        explicit_bzero(image->region, image->region_size);
        munmap(image->region, image->region_size);
    }
    memset(image, 0, sizeof(*image));
}

/* TABLE's accounts, in pages of their own kept out of core dumps.  0, or -1 with errno
 * (ENOMEM, or madvise's). */
static int image_make(const struct msv_store_table *table, struct image *image)
{
    memset(image, 0, sizeof(*image));
    size_t count = 0;
    for (size_t i = 0; i < table->count; i++)
        count += table->entries[i].raw == NULL;
    if (count == 0)
        return 0;
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t entry_bytes = count * sizeof(struct msv_store_entry);
    size_t bytes = entry_bytes + count * sizeof(size_t);
    image->region_size = (bytes + page - 1) / page * page;
    image->region = mmap(NULL, image->region_size, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (image->region == MAP_FAILED) {
        image->region = NULL;
        return -1;
    }
    if (madvise(image->region, image->region_size, MADV_DONTDUMP) != 0) {
        int error = errno;
        image_free(image);
        errno = error;
        return -1;
    }
    image->table.entries = image->region;
    image->table.capacity = count;
    for (size_t i = 0; i < table->count; i++)
        if (table->entries[i].raw == NULL)
            image->table.entries[image->table.count++].account = table->entries[i].account;
    image->table.generation = table->generation;

    size_t sorted_count;
    size_t *sorted = msv_table_sorted_index(&image->table, &sorted_count);
    if (sorted == NULL) {
        image_free(image);
        errno = ENOMEM;
        return -1;
    }
    image->index = (size_t *)((char *)image->region + entry_bytes);
    memcpy(image->index, sorted, count * sizeof(size_t));
    free(sorted);
    return 0;
}

/* Swaps IMAGE into the cache (under cache_mutex); IMAGE gets what was there. */
static void image_swap(struct msv_store_cache *cache, struct image *image, BOOLEAN loaded,
                       const struct msv_file_ids *ids)
{
    msv_watch_exclude(&cache->watch); /* no slot's lookup reads the old image now */
    struct image old = { cache->image, cache->index, cache->region, cache->region_size };
    cache->image = image->table;
    cache->index = image->index;
    cache->region = image->region;
    cache->region_size = image->region_size;
    atomic_store_explicit(&cache->loaded, loaded, memory_order_relaxed);
    msv_watch_new_image(&cache->watch, FALSE);
    if (ids != NULL)
        cache->ids = *ids;
    else
        memset(&cache->ids, 0, sizeof(cache->ids));
    msv_watch_admit(&cache->watch);
    *image = old;
}

void msv_cache_fill(struct msv_store_cache *cache, const struct msv_file_ids *ids,
                    const struct timespec *read_start, long fs_type,
                    const struct msv_store_table *table)
{
    if (cache == NULL)
        return;
    BOOLEAN cacheable = fs_trusted(fs_type);
    if (!cacheable) {
        pthread_mutex_lock(&cache_mutex);
        BOOLEAN noted = cache->fs_noted;
        cache->fs_noted = TRUE;
        pthread_mutex_unlock(&cache_mutex);
        if (!noted)
            msv_pkg_log(LOG_NOTICE,
                          "the account store %s is on a file system (type 0x%lx) whose file "
                          "attributes may be cached: it is read at every lookup",
                          cache->path, (unsigned long)fs_type);
    }
    for (int i = 0; i < MSV_FILE_COUNT && cacheable; i++)
        cacheable = settled(&ids->file[i], read_start);

    struct image image;
    memset(&image, 0, sizeof(image));
    if (cacheable && image_make(table, &image) != 0) {
        int error = errno;
        cacheable = FALSE;
        pthread_mutex_lock(&cache_mutex);
        BOOLEAN noted = cache->dontdump_noted;
        cache->dontdump_noted = TRUE;
        pthread_mutex_unlock(&cache_mutex);
        if (!noted)
            msv_pkg_log(LOG_WARNING,
                          "the account store %s is not cached (it is read at every lookup): "
                          "no memory kept out of core dumps: %s",
                          cache->path, strerror(error));
    }
    pthread_mutex_lock(&cache_mutex);
    image_swap(cache, &image, cacheable, cacheable ? ids : NULL);
    msv_watch_new_image(&cache->watch, cacheable && fs_watchable(fs_type));
    fill_count += cacheable;
    pthread_mutex_unlock(&cache_mutex);
    image_free(&image); /* what the cache held before */
}

void msv_cache_invalidate(struct msv_store_cache *cache)
{
    if (cache == NULL)
        return;
    struct image image;
    memset(&image, 0, sizeof(image));
    pthread_mutex_lock(&cache_mutex);
    image_swap(cache, &image, FALSE, NULL);
    pthread_mutex_unlock(&cache_mutex);
    image_free(&image);
}

/* Under cache_mutex: the lookups the slots answered, of every cache. */
static void slot_hits(unsigned long *hits, unsigned long *path_hits)
{
    *hits = *path_hits = 0;
    for (struct msv_store_cache *cache = caches; cache != NULL; cache = cache->next) {
        msv_watch_exclude(&cache->watch);
        for (int i = 0; i < MSV_WATCH_SLOTS; i++) {
            *hits += cache->watch.slots[i].hits;
            *path_hits += cache->watch.slots[i].path_hits;
        }
        msv_watch_admit(&cache->watch);
    }
}

unsigned long msv_cache_watched_hits(void)
{
    unsigned long hits, path_hits;
    pthread_mutex_lock(&cache_mutex);
    slot_hits(&hits, &path_hits);
    unsigned long watched = watched_count + hits;
    pthread_mutex_unlock(&cache_mutex);
    return watched;
}

unsigned long msv_cache_path_watched_hits(void)
{
    unsigned long hits, path_hits;
    pthread_mutex_lock(&cache_mutex);
    slot_hits(&hits, &path_hits);
    unsigned long watched = path_watched_count + path_hits;
    pthread_mutex_unlock(&cache_mutex);
    return watched;
}

void msv_cache_counters(unsigned long *hits, unsigned long *fills)
{
    unsigned long slot, path_slot;
    pthread_mutex_lock(&cache_mutex);
    slot_hits(&slot, &path_slot);
    if (hits != NULL)
        *hits = hit_count + slot;
    if (fills != NULL)
        *fills = fill_count;
    pthread_mutex_unlock(&cache_mutex);
}
