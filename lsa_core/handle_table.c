#include "handle_table.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include <lsa/ntstatus.h>

struct slot {
    struct lsa_object *object;
    enum lsa_handle_kind kind;
    uint32_t generation;
};

/* Adaptive: every logon takes it for a few instructions, and a waiter that spins
 * briefly gets it sooner than one put to sleep in the kernel. */
static pthread_mutex_t table_lock = PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP;
static struct slot *slots;
static uint32_t slot_count;
static uint32_t free_hint;

void lsa_object_init(struct lsa_object *object, void (*destroy)(struct lsa_object *))
{
    atomic_init((_Atomic int *)&object->refs, 1);
    object->destroy = destroy;
}

void lsa_object_ref(struct lsa_object *object)
{
    atomic_fetch_add((_Atomic int *)&object->refs, 1);
}

void lsa_object_release(struct lsa_object *object)
{
    if (object != NULL && atomic_fetch_sub((_Atomic int *)&object->refs, 1) == 1)
        object->destroy(object);
}

/* handle = generation << 32 | (index + 1): never NULL, and a closed slot's handle goes
 * stale when the slot is reused. */
static HANDLE make_handle(uint32_t index, uint32_t generation)
{
    return (HANDLE)(uintptr_t)(((uint64_t)generation << 32) | (uint64_t)(index + 1));
}

static struct slot *find(HANDLE handle, enum lsa_handle_kind kind)
{
    uint64_t value = (uint64_t)(uintptr_t)handle;
    uint32_t index = (uint32_t)value - 1;
    uint32_t generation = (uint32_t)(value >> 32);
    if ((uint32_t)value == 0 || index >= slot_count)
        return NULL;
    struct slot *s = &slots[index];
    if (s->object == NULL || s->kind != kind || s->generation != generation)
        return NULL;
    return s;
}

NTSTATUS lsa_handle_insert(enum lsa_handle_kind kind, struct lsa_object *object, HANDLE *handle)
{
    pthread_mutex_lock(&table_lock);
    uint32_t index = slot_count;
    for (uint32_t i = 0; i < slot_count; i++) {
        uint32_t j = (free_hint + i) % slot_count;
        if (slots[j].object == NULL) {
            index = j;
            break;
        }
    }
    if (index == slot_count) {
        uint32_t grown = slot_count ? slot_count * 2 : 64;
        struct slot *bigger = realloc(slots, grown * sizeof(*bigger));
        if (bigger == NULL) {
            pthread_mutex_unlock(&table_lock);
            return STATUS_NO_MEMORY;
        }
        for (uint32_t i = slot_count; i < grown; i++)
            bigger[i] = (struct slot){ NULL, 0, 1 };
        slots = bigger;
        slot_count = grown;
    }
    slots[index].object = object;
    slots[index].kind = kind;
    free_hint = index + 1;
    *handle = make_handle(index, slots[index].generation);
    pthread_mutex_unlock(&table_lock);
    return STATUS_SUCCESS;
}

struct lsa_object *lsa_handle_ref(HANDLE handle, enum lsa_handle_kind kind)
{
    pthread_mutex_lock(&table_lock);
    struct slot *s = find(handle, kind);
    struct lsa_object *object = s ? s->object : NULL;
    if (object != NULL)
        lsa_object_ref(object);
    pthread_mutex_unlock(&table_lock);
    return object;
}

NTSTATUS lsa_handle_close(HANDLE handle, enum lsa_handle_kind kind)
{
    pthread_mutex_lock(&table_lock);
    struct slot *s = find(handle, kind);
    if (s == NULL) {
        pthread_mutex_unlock(&table_lock);
        return STATUS_INVALID_HANDLE;
    }
    struct lsa_object *object = s->object;
    s->object = NULL;
    s->generation++;
    if (s->generation == 0)
        s->generation = 1;
    pthread_mutex_unlock(&table_lock);
    lsa_object_release(object);
    return STATUS_SUCCESS;
}
