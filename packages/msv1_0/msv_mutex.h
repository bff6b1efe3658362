/*
 * Mutexes on the logon path are adaptive: they are held for a few hundred instructions,
 * so a thread that finds one taken spins briefly instead of sleeping in the kernel (a
 * futex wait and wake cost more than the critical section).
 */
#ifndef MSV1_0_MSV_MUTEX_H
#define MSV1_0_MSV_MUTEX_H

#include <pthread.h>

static inline int msv_adaptive_mutex_init(pthread_mutex_t *mutex)
{
    pthread_mutexattr_t attr;
    int error = pthread_mutexattr_init(&attr);
    if (error == 0) {
        error = pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ADAPTIVE_NP);
        if (error == 0)
            error = pthread_mutex_init(mutex, &attr);
        pthread_mutexattr_destroy(&attr);
    }
    return error;
}

#endif
