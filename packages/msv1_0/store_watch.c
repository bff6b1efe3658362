/*
 * inotify for the smbpasswd backend's cache (store_watch.h; the argument that uses it is
 * at the top of store_cache.c): the descriptors, the events that count, and the attempt
 * at trust.
 *
 * One inotify instance per store holds:
 *   - a watch of the store's directory (creations, deletions and renames of its
 *     entries; writes, attribute changes and closes after writing of files reached
 *     through it; the directory itself moved or deleted);
 *   - when PATH's directory has a canonical absolute path, a watch of each directory
 *     above it, up to the root, for being moved or deleted (store_path_chain.c);
 *   - an inode watch of PATH, PATH.state and PATH.state.pending when they exist: every
 *     write, truncation, chmod, chown, utimes, link or unlink of that inode, through any
 *     name or open file, is reported there (a directory watch only sees what is done
 *     through a name in that directory).
 * Watches are placed on the exact file an O_PATH descriptor refers to, through
 * /proc/self/fd/N, so that a name replaced in between cannot move a watch elsewhere.
 * The kernel queues an event before the system call that made the change returns.
 *
 * /proc/self/mountinfo is watched beside it: the kernel flags POLLPRI on it whenever the
 * mount table of the process's mount namespace changes, which covers a mount placed over
 * one of the store's files (inotify reports no mounts).  Both sit in an epoll instance,
 * so that the check of a lookup is one epoll_wait that finds its ready list empty (both
 * wake it before the system call that made the change returns).  There is one such pair
 * per slot (store_watch.h), every one made with the inotify descriptor, before any trust:
 * a report of a mount table change consumes it, so each slot has its own to consume.
 *
 * Which events count: every one, except an entry event of the directory watch that names
 * another file (the lock file, a writer's temporary files, unrelated files), and
 * IN_IGNORED alone (a watch removed: by us, or after IN_DELETE_SELF or IN_UNMOUNT, which
 * count).  A lost event (IN_Q_OVERFLOW) counts.
 *
 * An attempt at trust (msv_watch_begin .. msv_watch_end), while the cache holds an image:
 *   1. watch the directory (through an O_PATH descriptor of it), then, under the mutex,
 *      drain the queue: from this instant every change counts (epoch);
 *   2. the cache's full probe (lstat of the three files; PATH's link count);
 *   3. open each of the three files that exists O_PATH through the directory descriptor,
 *      fstat it and watch that inode; check that the directories above are still PATH's
 *      walk (then the lookups need no lstat of PATH);
 *   4. under the mutex: trust when the probe showed the cached image with PATH of one
 *      link, the files of step 3 are the cached ones (full identity), and nothing
 *      counted since step 1 (epoch unchanged; whoever reads a counting event bumps it).
 * A failure not due to a change (PATH with two links, a watch refused) is not retried
 * for the same image: such a store keeps the lstat-per-file check at no extra cost.  A
 * process makes its descriptors only after MSV_WATCH_AFTER lookups by full probe.
 *
 * What inotify does not report, and so what a trusted cache no longer sees until trust
 * ends for another reason (these are the limits against three lstat calls):
 *   - a write through a shared writable mmap of a state file (only its owner, or root,
 *     can map it writable; our writers never do);
 *   - file systems that change files beneath the VFS: overlayfs (a change made in a
 *     layer directly), ZFS (a rollback), network and cluster file systems: store_cache.c
 *     uses the watch only on ext2/3/4, XFS, Btrfs, F2FS, tmpfs and ramfs, and keeps the
 *     three lstat calls elsewhere;
 *   - a mount made in another mount namespace after the process entered it (setns,
 *     unshare after the watch was set up): mountinfo follows the namespace it was opened
 *     in;
 *   - a change of the process's root directory (chroot, pivot_root) after trust, when
 *     the lookups need no lstat of PATH.
 */
#include "store_watch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "msv_mutex.h"

#define DIR_MASK                                                                              \
    (IN_ATTRIB | IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM |         \
     IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)
#define FILE_MASK (IN_ATTRIB | IN_MODIFY | IN_CLOSE_WRITE | IN_DELETE_SELF | IN_MOVE_SELF)
/* A directory above the store's: only its being moved or deleted matters (events about its
 * entries do not reach such a watch, so a busy /tmp costs nothing). */
#define ANCESTOR_MASK (IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

/* Reads per drain or check: events arriving faster than that mean no trust anyway. */
#define MAX_READS 64

int msv_watch_init(struct msv_watch *w, pthread_mutex_t *mutex, const char *path,
                   const char *dir, char *const names[MSV_FILE_COUNT])
{
    memset(w, 0, sizeof(*w));
    w->mutex = mutex;
    w->path = path;
    w->dir = dir;
    for (int i = 0; i < MSV_FILE_COUNT; i++)
        w->names[i] = names[i];
    w->inotify_fd = -1;
    w->dir_wd = -1;
    for (int i = 0; i < MSV_WATCH_SLOTS; i++) {
        int error = msv_adaptive_mutex_init(&w->slots[i].lock);
        if (error != 0) {
            while (i-- > 0)
                pthread_mutex_destroy(&w->slots[i].lock);
            return error;
        }
        w->slots[i].mounts_fd = w->slots[i].epoll_fd = -1;
    }
    return 0;
}

void msv_watch_exclude(struct msv_watch *w)
{
    for (int i = 0; i < MSV_WATCH_SLOTS; i++)
        pthread_mutex_lock(&w->slots[i].lock);
}

void msv_watch_admit(struct msv_watch *w)
{
    for (int i = MSV_WATCH_SLOTS; i-- > 0;)
        pthread_mutex_unlock(&w->slots[i].lock);
}

/* ---- descriptors and events ------------------------------------------------------------ */

/* The very file FD refers to, for the events of MASK: the watch descriptor, or -1. */
static int add_watch(int inotify_fd, int fd, uint32_t mask)
{
    char proc[40];
    snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
    return inotify_add_watch(inotify_fd, proc, mask);
}

/* EVENT may concern the store (see the top of this file). */
static BOOLEAN counts(const struct msv_watch *w, const struct inotify_event *event)
{
    if (event->mask == IN_IGNORED)
        return FALSE;
    if (event->wd != w->dir_wd || event->wd < 0 || event->len == 0)
        return TRUE;
    for (int i = 0; i < MSV_FILE_COUNT; i++)
        if (strcmp(event->name, w->names[i]) == 0)
            return TRUE;
    return FALSE;
}

/* Reads the queue dry: TRUE when an event counts (all when COUNT_ALL) or reading failed. */
static BOOLEAN read_events(const struct msv_watch *w, BOOLEAN count_all)
{
    char buffer[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    BOOLEAN changed = FALSE;
    for (int reads = 0;; reads++) {
        if (reads == MAX_READS)
            return TRUE;
        ssize_t n = read(w->inotify_fd, buffer, sizeof(buffer));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno == EAGAIN ? changed : TRUE;
        if (n == 0)
            return TRUE;
        for (ssize_t at = 0; at + (ssize_t)sizeof(struct inotify_event) <= n;) {
            const struct inotify_event *event = (const struct inotify_event *)(buffer + at);
            changed = changed || count_all || counts(w, event);
            at += (ssize_t)(sizeof(struct inotify_event) + event->len);
        }
    }
}

/* Asks epoll about both descriptors (when neither is ready, one look at its ready list):
 * bit 1 for queued events, bit 2 for a mount table change (or an error).  Reporting
 * mountinfo's change consumes it. */
static int poll_both(const struct msv_watch_slot *slot)
{
    struct epoll_event events[2];
    int n;
    do
        n = epoll_wait(slot->epoll_fd, events, 2, 0);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return 3;
    int ready = 0;
    for (int i = 0; i < n; i++)
        ready |= events[i].data.u32 == 1 && events[i].events == EPOLLIN ? 1 : 2;
    return ready;
}

/* Under the mutex: discards every queued event and mount table change; bumps epoch. */
static void drain(struct msv_watch *w)
{
    msv_watch_exclude(w);
    w->epoch++;
    for (int i = 0; i < MSV_WATCH_SLOTS; i++)
        (void)poll_both(&w->slots[i]);
    (void)read_events(w, TRUE);
    msv_watch_admit(w);
}

/* Under the mutex: TRUE when nothing that counts arrived since the last drain or call
 * (one epoll_wait per slot when so); else bumps epoch and withdraws trust, before any
 * slot check may run again. */
static BOOLEAN quiet(struct msv_watch *w)
{
    if (w->inotify_fd < 0)
        return FALSE;
    msv_watch_exclude(w);
    int ready = 0;
    for (int i = 0; i < MSV_WATCH_SLOTS; i++)
        ready |= poll_both(&w->slots[i]);
    BOOLEAN changed = (ready & 2) != 0 || ((ready & 1) != 0 && read_events(w, FALSE));
    if (changed) {
        w->epoch++;
        msv_watch_distrust(w);
    }
    msv_watch_admit(w);
    return !changed;
}

/* ---- slot checks --------------------------------------------------------------------- */

static atomic_uint next_slot;
static _Thread_local int thread_slot = -1;

struct msv_watch_slot *msv_watch_slot_lock(struct msv_watch *w)
{
    if (thread_slot < 0)
        thread_slot = (int)(atomic_fetch_add_explicit(&next_slot, 1, memory_order_relaxed) %
                            MSV_WATCH_SLOTS);
    struct msv_watch_slot *slot = &w->slots[thread_slot];
    pthread_mutex_lock(&slot->lock);
    return slot;
}

void msv_watch_slot_unlock(struct msv_watch_slot *slot)
{
    pthread_mutex_unlock(&slot->lock);
}

enum msv_watch_word msv_watch_slot_check(struct msv_watch *w, struct msv_watch_slot *slot)
{
    /* Trust is only granted after every slot's descriptors were drained (msv_watch_begin),
     * and only withdrawn, outside MUTEX: read under the slot lock, it is good for this
     * slot's epoll_wait. */
    if (!atomic_load_explicit(&w->trusted, memory_order_acquire) || slot->epoll_fd < 0)
        return MSV_WATCH_UNTRUSTED;
    int ready = poll_both(slot);
    if (ready == 0)
        return MSV_WATCH_QUIET;
    if ((ready & 2) == 0)
        return MSV_WATCH_ASK;
    msv_watch_distrust(w); /* before another thread can find this slot quiet */
    return MSV_WATCH_CHANGED;
}

void msv_watch_changed(struct msv_watch *w)
{
    w->epoch++;
    msv_watch_distrust(w);
}

/* ---- trust --------------------------------------------------------------------------- */

void msv_watch_new_image(struct msv_watch *w, BOOLEAN watchable)
{
    atomic_store_explicit(&w->trusted, FALSE, memory_order_relaxed);
    w->image_gen++;
    w->watchable = watchable;
    w->retry = w->retry || watchable;
}

BOOLEAN msv_watch_vouches(struct msv_watch *w)
{
    if (atomic_load_explicit(&w->trusted, memory_order_acquire) && quiet(w) &&
        atomic_load_explicit(&w->trusted, memory_order_acquire))
        return TRUE;
    msv_watch_distrust(w);
    return FALSE;
}

BOOLEAN msv_watch_covers_path(const struct msv_watch *w)
{
    return atomic_load_explicit(&w->trusted, memory_order_relaxed) &&
           atomic_load_explicit(&w->path_watched, memory_order_relaxed);
}

void msv_watch_distrust(struct msv_watch *w)
{
    atomic_store_explicit(&w->trusted, FALSE, memory_order_relaxed);
    atomic_store_explicit(&w->path_watched, FALSE, memory_order_relaxed);
}

static void note(struct msv_watch *w, const char *what, int error)
{
    pthread_mutex_lock(w->mutex);
    BOOLEAN noted = w->noted;
    w->noted = TRUE;
    pthread_mutex_unlock(w->mutex);
    if (!noted)
        msv_pkg_log(LOG_NOTICE,
                    "the account store %s is checked with an lstat of each of its files at "
                    "every lookup (no inotify watch): %s: %s",
                    w->path, what, strerror(error));
}

static void close_slot(struct msv_watch_slot *slot)
{
    if (slot->epoll_fd >= 0)
        close(slot->epoll_fd);
    if (slot->mounts_fd >= 0)
        close(slot->mounts_fd);
    slot->epoll_fd = slot->mounts_fd = -1;
}

/* A slot's mountinfo descriptor and epoll instance over it and INOTIFY_FD; on failure,
 * *WHAT names the step (errno says why). */
static BOOLEAN make_slot(struct msv_watch_slot *slot, int inotify_fd, const char **what)
{
    *what = "open /proc/self/mountinfo";
    slot->mounts_fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
    if (slot->mounts_fd < 0)
        return FALSE;
    *what = "epoll";
    struct epoll_event in = { .events = EPOLLIN, .data.u32 = 1 };
    struct epoll_event mounts = { .events = EPOLLPRI, .data.u32 = 2 };
    slot->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (slot->epoll_fd >= 0 && epoll_ctl(slot->epoll_fd, EPOLL_CTL_ADD, inotify_fd, &in) == 0 &&
        epoll_ctl(slot->epoll_fd, EPOLL_CTL_ADD, slot->mounts_fd, &mounts) == 0)
        return TRUE;
    int error = errno;
    close_slot(slot);
    errno = error;
    return FALSE;
}

/* The inotify descriptor and every slot's, made by the attempting thread.  FALSE (logged
 * once): none until the next image. */
static BOOLEAN make_descriptors(struct msv_watch *w)
{
    const char *what = "inotify_init1";
    struct msv_watch_slot made[MSV_WATCH_SLOTS];
    int inotify_fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK), count = 0;
    for (int i = 0; i < MSV_WATCH_SLOTS; i++)
        made[i].mounts_fd = made[i].epoll_fd = -1;
    if (inotify_fd >= 0)
        while (count < MSV_WATCH_SLOTS && make_slot(&made[count], inotify_fd, &what))
            count++;
    if (count < MSV_WATCH_SLOTS) {
        int error = errno;
        for (int i = 0; i < count; i++)
            close_slot(&made[i]);
        if (inotify_fd >= 0)
            close(inotify_fd);
        pthread_mutex_lock(w->mutex);
        w->retry = FALSE;
        pthread_mutex_unlock(w->mutex);
        note(w, what, error);
        return FALSE;
    }
    pthread_mutex_lock(w->mutex);
    msv_watch_exclude(w);
    w->inotify_fd = inotify_fd;
    for (int i = 0; i < MSV_WATCH_SLOTS; i++) {
        w->slots[i].mounts_fd = made[i].mounts_fd;
        w->slots[i].epoll_fd = made[i].epoll_fd;
    }
    msv_watch_admit(w);
    pthread_mutex_unlock(w->mutex);
    return TRUE;
}

static BOOLEAN listed(const int *list, int count, int wd)
{
    for (int i = 0; i < count; i++)
        if (list[i] == wd)
            return TRUE;
    return FALSE;
}

/* Records WD among the attempt's watches (once). */
static void attempt_holds(struct msv_watch_attempt *a, int wd)
{
    if (!listed(a->wd, a->wd_count, wd))
        a->wd[a->wd_count++] = wd;
}

/* Watches of the directories above PATH's, when its directory's path allows (otherwise
 * the lstat of PATH stays); a->path_ok is decided after the drain. */
static void watch_chain(struct msv_watch *w, struct msv_watch_attempt *a)
{
    if (!msv_path_chain_open(&a->chain, a->dfd, w->dir))
        return;
    for (int i = 0; i < a->chain.count; i++) {
        int wd = add_watch(w->inotify_fd, a->chain.fd[i], ANCESTOR_MASK);
        if (wd < 0) {
            msv_path_chain_close(&a->chain);
            return;
        }
        attempt_holds(a, wd);
    }
}

static void attempt_over(struct msv_watch *w)
{
    atomic_store(&w->attempting, FALSE);
}

BOOLEAN msv_watch_begin(struct msv_watch *w, struct msv_watch_attempt *a)
{
    memset(a, 0, sizeof(*a));
    a->dfd = -1;
    a->chain.count = -1;
    bool expected = false;
    if (!atomic_compare_exchange_strong(&w->attempting, &expected, TRUE))
        return FALSE;
    pthread_mutex_lock(w->mutex);
    BOOLEAN may = w->watchable && w->image_gen + 1 != w->no_trust_gen &&
                  (w->inotify_fd >= 0 || w->retry);
    BOOLEAN make = w->inotify_fd < 0;
    if (may && make && w->probes < MSV_WATCH_AFTER) {
        w->probes++;
        may = FALSE;
    }
    a->gen = w->image_gen;
    pthread_mutex_unlock(w->mutex);
    if (!may || (make && !make_descriptors(w))) {
        attempt_over(w);
        return FALSE;
    }
    int wd = -1;
    a->dfd = open(w->dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (a->dfd >= 0)
        wd = add_watch(w->inotify_fd, a->dfd, DIR_MASK);
    if (wd < 0) {
        int error = errno;
        if (a->dfd >= 0) {
            close(a->dfd);
            note(w, "inotify_add_watch", error); /* ENOSPC: fs.inotify.max_user_watches */
        }
        pthread_mutex_lock(w->mutex);
        w->no_trust_gen = a->gen + 1;
        pthread_mutex_unlock(w->mutex);
        attempt_over(w);
        return FALSE;
    }
    a->wd[a->wd_count++] = wd;
    watch_chain(w, a);
    pthread_mutex_lock(w->mutex);
    /* A directory watched before and never held by a trust: nothing else removes it. */
    if (w->dir_wd >= 0 && w->dir_wd != wd && !listed(w->held, w->held_count, w->dir_wd) &&
        !listed(a->wd, a->wd_count, w->dir_wd))
        a->stale[a->stale_count++] = w->dir_wd;
    w->dir_wd = wd;
    msv_watch_distrust(w);
    drain(w);
    a->epoch = w->epoch;
    pthread_mutex_unlock(w->mutex);
    return TRUE;
}

void msv_watch_files(struct msv_watch *w, struct msv_watch_attempt *a)
{
    a->ok = TRUE;
    for (int i = 0; i < MSV_FILE_COUNT; i++) {
        struct stat st;
        int fd = openat(a->dfd, w->names[i], O_PATH | O_NOFOLLOW | O_CLOEXEC);
        msv_file_id_set(&a->id[i], NULL);
        if (fd < 0) {
            a->ok = a->ok && errno == ENOENT && i != MSV_FILE_STORE;
            continue;
        }
        int wd = -1;
        if (fstat(fd, &st) == 0) {
            msv_file_id_set(&a->id[i], &st);
            wd = add_watch(w->inotify_fd, fd, FILE_MASK);
            if (wd < 0)
                note(w, "inotify_add_watch", errno);
            else
                attempt_holds(a, wd);
        }
        a->ok = a->ok && wd >= 0;
        close(fd);
    }
    a->path_ok = a->chain.count >= 0 && msv_path_chain_holds(&a->chain, a->dfd, w->dir);
}

/* The watches of FROM that TO does not hold become stale. */
static void mark_stale(struct msv_watch_attempt *a, const int *from, int from_count,
                       const int *to, int to_count)
{
    for (int i = 0; i < from_count; i++)
        if (!listed(to, to_count, from[i]) && !listed(a->stale, a->stale_count, from[i]))
            a->stale[a->stale_count++] = from[i];
}

void msv_watch_decide(struct msv_watch *w, struct msv_watch_attempt *a, BOOLEAN match)
{
    BOOLEAN calm = quiet(w) && w->epoch == a->epoch;
    if (match && calm) {
        /* The attempt's watches replace the installed ones. */
        mark_stale(a, w->held, w->held_count, a->wd, a->wd_count);
        memcpy(w->held, a->wd, sizeof(a->wd[0]) * (size_t)a->wd_count);
        w->held_count = a->wd_count;
        atomic_store_explicit(&w->path_watched, a->path_ok, memory_order_relaxed);
        atomic_store_explicit(&w->trusted, TRUE, memory_order_release);
        return;
    }
    if (!match) /* not for want of calm: no new attempt for this image */
        w->no_trust_gen = a->gen + 1;
    /* Installed ones stay until the next success; the directory's is installed already. */
    int keep[MSV_WATCH_MAX_WDS + 1];
    memcpy(keep, w->held, sizeof(w->held[0]) * (size_t)w->held_count);
    keep[w->held_count] = w->dir_wd;
    mark_stale(a, a->wd, a->wd_count, keep, w->held_count + 1);
}

void msv_watch_end(struct msv_watch *w, struct msv_watch_attempt *a)
{
    for (int i = 0; i < a->stale_count; i++)
        (void)inotify_rm_watch(w->inotify_fd, a->stale[i]); /* EINVAL: already gone */
    if (a->chain.count >= 0)
        msv_path_chain_close(&a->chain);
    close(a->dfd);
    attempt_over(w);
}

void msv_watch_forget(struct msv_watch *w)
{
    if (w->inotify_fd >= 0)
        close(w->inotify_fd);
    for (int i = 0; i < MSV_WATCH_SLOTS; i++)
        close_slot(&w->slots[i]);
    w->inotify_fd = -1;
    w->dir_wd = -1;
    w->held_count = 0;
    atomic_store(&w->trusted, FALSE);
    atomic_store(&w->path_watched, FALSE);
    atomic_store(&w->attempting, FALSE);
    w->retry = TRUE;
}
