#include "kdc_pins.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <lsa/ntstatus.h>

struct pin {
    struct pin *next;
    char *realm, *address;
};

static pthread_mutex_t pins_mutex = PTHREAD_MUTEX_INITIALIZER;
static struct pin *pins;

NTSTATUS kerb_pin_kdc(const char *realm, const char *address)
{
    struct pin *p = calloc(1, sizeof(*p));

    if (p == NULL || (p->realm = strdup(realm)) == NULL || (p->address = strdup(address)) == NULL) {
        if (p != NULL)
            free(p->realm);
        free(p);
        return STATUS_NO_MEMORY;
    }
    pthread_mutex_lock(&pins_mutex);
    for (struct pin **at = &pins; *at != NULL; at = &(*at)->next) {
        if (strcmp((*at)->realm, realm) == 0) {
            struct pin *old = *at;
            *at = old->next;
            free(old->realm);
            free(old->address);
            free(old);
            break;
        }
    }
    p->next = pins;
    pins = p;
    pthread_mutex_unlock(&pins_mutex);
    return STATUS_SUCCESS;
}

void kerb_unpin_all_kdcs(void)
{
    pthread_mutex_lock(&pins_mutex);
    while (pins != NULL) {
        struct pin *p = pins;
        pins = p->next;
        free(p->realm);
        free(p->address);
        free(p);
    }
    pthread_mutex_unlock(&pins_mutex);
}

char *kerb_pinned_kdc(const char *realm)
{
    char *address = NULL;

    pthread_mutex_lock(&pins_mutex);
    for (struct pin *p = pins; p != NULL; p = p->next)
        if (strcmp(p->realm, realm) == 0) {
            address = strdup(p->address);
            break;
        }
    pthread_mutex_unlock(&pins_mutex);
    return address;
}
