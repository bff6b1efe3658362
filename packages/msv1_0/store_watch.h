/*
 * The inotify side of the smbpasswd backend's cache (store_watch.c): what lets a lookup
 * prove the state files unchanged without an lstat of each.  The argument is at the top
 * of store_cache.c; the inotify details at the top of store_watch.c.
 *
 * Locking: MUTEX (the cache's cache_mutex) guards every field but the slots; "under
 * MUTEX" below means the caller holds it, otherwise the function takes it for its short
 * critical sections.  One thread at a time makes an attempt at trust (msv_watch_begin ..
 * msv_watch_end); it alone creates descriptors and adds watches, outside MUTEX.
 *
 * Slots: a trusted lookup checks the watch under one slot's lock only (its thread's),
 * with one epoll_wait on the slot's own epoll instance, so that threads on different
 * slots do not wait for each other's system call.  Each slot has its own descriptor of
 * /proc/self/mountinfo, because reporting a mount table change consumes it: a thread
 * that sees one withdraws trust before it lets go of its slot, and the other slots still
 * have it to see.  The inotify descriptor is shared (epoll does not consume its events;
 * only read() does, and that is done with every slot held).  Whoever holds MUTEX and
 * every slot lock (msv_watch_exclude) excludes all slot checks: the cache swaps images so.
 * Lock order: MUTEX, then the slots in index order.
 */
#ifndef MSV1_0_STORE_WATCH_H
#define MSV1_0_STORE_WATCH_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "store_backend.h"
#include "store_path_chain.h"

/* Every watch one store may hold: its directory, its three files, the directories above. */
#define MSV_WATCH_MAX_WDS (1 + MSV_FILE_COUNT + MSV_PATH_MAX_DEPTH)

#define MSV_WATCH_SLOTS 4

struct msv_watch_slot {
    _Alignas(64) pthread_mutex_t lock;
    int mounts_fd;                       /* /proc/self/mountinfo; -1: none */
    int epoll_fd;                        /* it and the inotify descriptor; -1: none */
    unsigned long hits, path_hits;       /* lookups answered here (without an lstat) */
};

struct msv_watch {
    struct msv_watch_slot slots[MSV_WATCH_SLOTS];
    pthread_mutex_t *mutex;
    const char *path, *dir;              /* the store, its directory (not owned) */
    const char *names[MSV_FILE_COUNT];   /* base names of PATH, .state, .state.pending */
    int inotify_fd;                      /* IN_CLOEXEC | IN_NONBLOCK; -1: none */
    int dir_wd;                          /* the directory's watch; -1: none */
    int held[MSV_WATCH_MAX_WDS];         /* every watch in use, the directory's included */
    int held_count;
    unsigned long epoch;                 /* bumped by a drain and by each change seen */
    atomic_bool trusted;                 /* the fast check suffices (read as a hint) */
    atomic_bool path_watched;            /* ... and needs no lstat of PATH (a hint too) */
    atomic_bool attempting;              /* an attempt at trust is under way */
    BOOLEAN watchable;                   /* the image's file system reports every change */
    BOOLEAN retry;                       /* no descriptors: may make them (set by a fill) */
    BOOLEAN noted;                       /* the failure to set a watch up was logged */
    unsigned long probes;                /* lookups by full probe, up to MSV_WATCH_AFTER */
    unsigned long image_gen;             /* bumped with every new image */
    unsigned long no_trust_gen;          /* the image trust cannot be had for, plus one */
};

/* A process makes its watch only after this many lookups answered by the full probe:
 * one that looks up a few names (a PAM conversation) does not hold an inotify instance
 * (fs.inotify.max_user_instances is per user, 128 by default) for nothing. */
#define MSV_WATCH_AFTER 16

/* One attempt at trust, around a full probe. */
struct msv_watch_attempt {
    int dfd;                             /* PATH's directory (O_PATH) */
    struct msv_path_chain chain;         /* the directories above it */
    unsigned long epoch, gen;            /* the epoch after the drain; the image's gen */
    BOOLEAN ok;                          /* every step done */
    BOOLEAN path_ok;                     /* the chain is watched and is PATH's walk */
    struct msv_file_id id[MSV_FILE_COUNT]; /* the files, as the watches saw them */
    int wd[MSV_WATCH_MAX_WDS];           /* the watches it placed, the directory's first */
    int wd_count;
    int stale[2 * MSV_WATCH_MAX_WDS];    /* watches to remove */
    int stale_count;
};

/* No descriptors, no trust.  Non-zero: the slots' locks could not be made. */
int msv_watch_init(struct msv_watch *w, pthread_mutex_t *mutex, const char *path,
                    const char *dir, char *const names[MSV_FILE_COUNT]);
/* Under MUTEX: a new image (or none) on a file system that is WATCHABLE or not. */
void msv_watch_new_image(struct msv_watch *w, BOOLEAN watchable);
/* Under MUTEX, trusted: no change seen since trust was had (one epoll_wait per slot),
 * else trust lost. */
BOOLEAN msv_watch_vouches(struct msv_watch *w);

/* The calling thread's slot, locked; then the watch's word: MSV_WATCH_UNTRUSTED (no
 * trust: no look), or one epoll_wait's: MSV_WATCH_QUIET (nothing counted up to this
 * call: the slot lock keeps every image swap out until msv_watch_slot_unlock),
 * MSV_WATCH_ASK (events are queued: ask msv_watch_vouches under MUTEX, which reads
 * them), MSV_WATCH_CHANGED (the mount table changed, trust is withdrawn: the caller
 * then reports it with msv_watch_changed, without the slot). */
enum msv_watch_word { MSV_WATCH_QUIET, MSV_WATCH_UNTRUSTED, MSV_WATCH_ASK, MSV_WATCH_CHANGED };
struct msv_watch_slot *msv_watch_slot_lock(struct msv_watch *w);
enum msv_watch_word msv_watch_slot_check(struct msv_watch *w, struct msv_watch_slot *slot);
void msv_watch_slot_unlock(struct msv_watch_slot *slot);
/* Under MUTEX: a change seen by a slot check (an attempt at trust under way fails). */
void msv_watch_changed(struct msv_watch *w);
/* Under MUTEX: takes (releases) every slot's lock, keeping every slot check out. */
void msv_watch_exclude(struct msv_watch *w);
void msv_watch_admit(struct msv_watch *w);
/* Under MUTEX, trusted: the directories above PATH's are watched too, so PATH needs no
 * lstat (the argument is at the top of store_cache.c). */
BOOLEAN msv_watch_covers_path(const struct msv_watch *w);
/* Under MUTEX: trust lost. */
void msv_watch_distrust(struct msv_watch *w);

/* Sets the watches of the directory and of the directories above it up and drains the
 * queue: every change after this is seen.  FALSE: no attempt now (another thread makes one, or no watch can be had). */
BOOLEAN msv_watch_begin(struct msv_watch *w, struct msv_watch_attempt *a);
/* After the full probe: inode watches of the files that exist, the files the directory
 * holds now into a->id, and whether PATH's walk is still the watched chain. */
void msv_watch_files(struct msv_watch *w, struct msv_watch_attempt *a);
/* Under MUTEX: MATCH says a->id are the cached image's files and the full probe showed
 * them, PATH with one link; trust then when no change was seen since the drain. */
void msv_watch_decide(struct msv_watch *w, struct msv_watch_attempt *a, BOOLEAN match);
/* Removes watches no longer used; ends the attempt. */
void msv_watch_end(struct msv_watch *w, struct msv_watch_attempt *a);

/* In a fork child (under MUTEX): the descriptors are the parent's, who reads them and so
 * takes the events the child would need; closes them (the child makes its own). */
void msv_watch_forget(struct msv_watch *w);

#endif
