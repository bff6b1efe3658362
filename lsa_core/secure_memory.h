/* Memory for secrets (credentials held by logon sessions): page-backed, locked so it is
 * never swapped, excluded from core dumps, and zeroed before it is released. */
#ifndef LSA_CORE_SECURE_MEMORY_H
#define LSA_CORE_SECURE_MEMORY_H

#include <stddef.h>

void *lsa_secure_alloc(size_t size);
/* SIZE must be the size given to lsa_secure_alloc. NULL is ignored. */
void lsa_secure_free(void *ptr, size_t size);

#endif
