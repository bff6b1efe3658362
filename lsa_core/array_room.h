/*
 * Room for one more element in a heap array that doubles as it fills: liblsa's and the
 * packages' growing lists (tokens of a connection, a call's buffers, KDC connections,
 * ticket lists ...).  Header-only, so the packages share it without linking liblsa's
 * internals.
 */
#ifndef LSA_CORE_ARRAY_ROOM_H
#define LSA_CORE_ARRAY_ROOM_H

#include <stdint.h>
#include <stdlib.h>

/* ITEMS (COUNT of *CAPACITY elements of SIZE bytes in use) when it has room for one
 * more, else ITEMS reallocated to twice the capacity (FIRST when empty) with *CAPACITY
 * updated; NULL, ITEMS untouched, when out of memory. */
static inline void *lsa_array_room(void *items, size_t *capacity, size_t count, size_t size,
                                   size_t first)
{
    if (count < *capacity)
        return items;
    size_t grown = *capacity ? *capacity * 2 : first;
    if (grown <= *capacity || grown > SIZE_MAX / size)
        return NULL;
    void *bigger = realloc(items, grown * size);
    if (bigger != NULL)
        *capacity = grown;
    return bigger;
}

#endif
