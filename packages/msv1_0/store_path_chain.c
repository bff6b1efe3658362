/*
 * The directory chain of a store's path (store_path_chain.h).  Why holding it proves the
 * path: a directory has exactly one entry in one parent, so when each chain directory
 * holds, under the path's next component, the next chain directory (not a symbolic link
 * to it) and the top is the root, walking the path from the root visits exactly the
 * chain and ends at D.  A mount point is no exception: fstatat of its name gives the
 * mounted root, whose ".." is the mount point's parent.
 */
#include "store_path_chain.h"

#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The components of DIR, last first, into NAMES (pointers into COPY); -1 when DIR is not
 * usable. */
static int components(const char *dir, char copy[PATH_MAX], const char *names[MSV_PATH_MAX_DEPTH])
{
    size_t length = strlen(dir);
    int count = 0;

    if (dir[0] != '/' || length >= PATH_MAX)
        return -1;
    if (length == 1)
        return 0;
    if (dir[length - 1] == '/')
        return -1;
    memcpy(copy, dir, length + 1);
    for (char *end = copy + length; end > copy;) {
        char *slash = end - 1;
        while (*slash != '/')
            slash--;
        const char *name = slash + 1;
        if (*name == '\0' || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
            count == MSV_PATH_MAX_DEPTH)
            return -1;
        names[count++] = name;
        *slash = '\0';
        end = slash;
    }
    return count;
}

BOOLEAN msv_path_chain_usable(const char *dir)
{
    char copy[PATH_MAX];
    const char *names[MSV_PATH_MAX_DEPTH];
    return components(dir, copy, names) >= 0;
}

void msv_path_chain_close(struct msv_path_chain *chain)
{
    for (int i = 0; i < chain->count; i++)
        close(chain->fd[i]);
    chain->count = -1;
}

BOOLEAN msv_path_chain_open(struct msv_path_chain *chain, int dfd, const char *dir)
{
    char copy[PATH_MAX];
    const char *names[MSV_PATH_MAX_DEPTH];
    int n = components(dir, copy, names);

    chain->count = 0;
    if (n < 0) {
        chain->count = -1;
        return FALSE;
    }
    for (int child = dfd; chain->count < n; child = chain->fd[chain->count - 1]) {
        int fd = openat(child, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) {
            msv_path_chain_close(chain);
            return FALSE;
        }
        chain->fd[chain->count++] = fd;
    }
    return TRUE;
}

static BOOLEAN same_inode(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

BOOLEAN msv_path_chain_holds(const struct msv_path_chain *chain, int dfd, const char *dir)
{
    char copy[PATH_MAX];
    const char *names[MSV_PATH_MAX_DEPTH];
    struct stat child, entry, top, root;
    int n = components(dir, copy, names);

    if (n < 0 || chain->count != n || fstat(dfd, &child) != 0)
        return FALSE;
    for (int i = 0; i < n; i++) {
        if (fstatat(chain->fd[i], names[i], &entry, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISDIR(entry.st_mode) || !same_inode(&entry, &child) ||
            fstat(chain->fd[i], &child) != 0)
            return FALSE;
    }
    top = child;
    return lstat("/", &root) == 0 && same_inode(&top, &root);
}
