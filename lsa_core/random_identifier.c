/*
 * Random bytes for identifiers (lsa_util.h), drawn from OpenSSL's seed source (SEED-SRC:
 * the operating system's entropy, what its DRBGs are seeded from) rather than RAND_bytes:
 * RAND_bytes would instantiate the process's DRBGs, which with OpenSSL 3.0 costs a fetch
 * of every cipher of the default provider (about 3.7 million instructions, a third of a
 * millisecond, in each process that only needs a LUID seed or a cache name; SEED-SRC
 * costs 80 thousand).  RAND_bytes stays the fallback when no provider offers SEED-SRC;
 * the errors of the first attempt are dropped from the thread's queue either way.
 */
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <lsa/lsa_util.h>

#include "lsa_visibility.h"

LSA_PUBLIC BOOLEAN lsa_random_identifier(void *out, size_t length)
{
    ERR_set_mark();
    EVP_RAND *rand = EVP_RAND_fetch(NULL, "SEED-SRC", NULL);
    EVP_RAND_CTX *ctx = rand != NULL ? EVP_RAND_CTX_new(rand, NULL) : NULL;
    int ok = ctx != NULL && EVP_RAND_instantiate(ctx, 0, 0, NULL, 0, NULL) == 1 &&
             EVP_RAND_generate(ctx, out, length, 0, 0, NULL, 0) == 1;
    EVP_RAND_CTX_free(ctx);
    EVP_RAND_free(rand);
    ERR_pop_to_mark();
    return ok || RAND_bytes(out, (int)length) == 1;
}
