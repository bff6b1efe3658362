/*
 * The directories a store's path walks through (store_path_chain.c): from the store's
 * directory D up to the process's root, held as O_PATH descriptors, so that the watch
 * (store_watch.c) can watch each of them for being moved or deleted and can show that
 * the path still names D through exactly them.
 */
#ifndef MSV1_0_STORE_PATH_CHAIN_H
#define MSV1_0_STORE_PATH_CHAIN_H

#include <lsa/ntdef.h>

/* Directories above D that are followed; a deeper store keeps the lstat of its path. */
#define MSV_PATH_MAX_DEPTH 32

struct msv_path_chain {
    int fd[MSV_PATH_MAX_DEPTH]; /* fd[0]: D's parent, ..., fd[count - 1]: the root */
    int count;                  /* -1: no chain */
};

/* DIR is absolute and canonical ("/", or "/a/b" without ".", "..", empty components or a
 * trailing slash) and at most MSV_PATH_MAX_DEPTH deep. */
BOOLEAN msv_path_chain_usable(const char *dir);

/* Opens the parents of D (the directory DFD refers to, whose path is DIR), one ".." at a
 * time.  FALSE (nothing left open): DIR is not usable or a step failed. */
BOOLEAN msv_path_chain_open(struct msv_path_chain *chain, int dfd, const char *dir);

/* TRUE when, now, DIR's walk from the root goes through the chain to D: each component
 * of DIR is, in the chain's directory above it, an entry that is a directory (not a
 * symbolic link) and is the next one, and the top is the process's root. */
BOOLEAN msv_path_chain_holds(const struct msv_path_chain *chain, int dfd, const char *dir);

void msv_path_chain_close(struct msv_path_chain *chain);

#endif
