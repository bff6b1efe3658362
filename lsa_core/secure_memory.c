#include "secure_memory.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "log.h"

static size_t page_round(size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    return (size + page - 1) / page * page;
}

void *lsa_secure_alloc(size_t size)
{
    if (size == 0)
        size = 1;
    size_t len = page_round(size);
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    if (madvise(p, len, MADV_DONTDUMP) != 0)
        lsa_log(LOG_WARNING, "secure memory: MADV_DONTDUMP failed; secrets may reach a core dump");
    /* RLIMIT_MEMLOCK can refuse this for unprivileged callers; the memory stays out of
     * core dumps and is still wiped on release. */
    if (mlock(p, len) != 0)
        lsa_log(LOG_DEBUG, "secure memory: mlock failed; secrets may be swapped");
    return p;
}

void lsa_secure_free(void *ptr, size_t size)
{
    if (ptr == NULL)
        return;
    if (size == 0)
        size = 1;
    size_t len = page_round(size);
    explicit_bzero(ptr, len);
    munlock(ptr, len);
    munmap(ptr, len);
}
