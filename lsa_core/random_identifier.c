/*
 * Random bytes for identifiers (lsa_util.h), from the kernel's CSPRNG through
 * getrandom(2) — the source OpenSSL's own DRBGs are seeded from.  Not through OpenSSL:
 * any EVP_RAND fetch or RAND_bytes initialises libcrypto as a whole (its configuration
 * file and every algorithm name), about a millisecond in each process, and a password
 * logon through pam_lsa needs nothing else from OpenSSL.  getrandom waits only until the
 * kernel's pool is first initialised at boot; a signal is retried.
 */
#include <errno.h>
#include <sys/random.h>

#include <lsa/lsa_util.h>

#include "lsa_visibility.h"

LSA_PUBLIC BOOLEAN lsa_random_identifier(void *out, size_t length)
{
    unsigned char *p = out;
    while (length > 0) {
        ssize_t n = getrandom(p, length, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return 0;
        }
        p += n;
        length -= (size_t)n;
    }
    return 1;
}
