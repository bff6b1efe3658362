#include "client_threads.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

struct client {
    pthread_t thread;
    int fd, stop_fd;
    struct lsa_server_peer peer;
    struct client *next; /* on the ended list */
};

static struct {
    pthread_mutex_t lock;
    pthread_cond_t none_running;
    int running;          /* started and not yet on the ended list */
    struct client *ended; /* returned from serving, to be joined */
    int ended_fd;         /* an eventfd: readable while the ended list may hold some */
} threads = { .lock = PTHREAD_MUTEX_INITIALIZER,
              .none_running = PTHREAD_COND_INITIALIZER,
              .ended_fd = -1 };

int lsad_clients_init(void)
{
    threads.ended_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    return threads.ended_fd;
}

static void *serve(void *p)
{
    struct client *c = p;
    lsa_server_serve(c->fd, &c->peer, c->stop_fd);
    close(c->fd);
    pthread_mutex_lock(&threads.lock);
    c->next = threads.ended;
    threads.ended = c;
    if (--threads.running == 0)
        pthread_cond_broadcast(&threads.none_running);
    pthread_mutex_unlock(&threads.lock);
    uint64_t one = 1;
    (void)!write(threads.ended_fd, &one, sizeof(one));
    return NULL;
}

int lsad_clients_start(int fd, const struct lsa_server_peer *peer, int stop_fd, int max)
{
    struct client *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return -1;
    c->fd = fd;
    c->stop_fd = stop_fd;
    c->peer = *peer;
    pthread_mutex_lock(&threads.lock);
    if (threads.running >= max) {
        pthread_mutex_unlock(&threads.lock);
        free(c);
        errno = EAGAIN;
        return -1;
    }
    threads.running++;
    /* Under the lock: a thread that ends at once finds c->thread set when it is joined. */
    int rc = pthread_create(&c->thread, NULL, serve, c);
    if (rc != 0)
        threads.running--;
    pthread_mutex_unlock(&threads.lock);
    if (rc != 0) {
        free(c);
        errno = rc;
        return -1;
    }
    return 0;
}

void lsad_clients_reap(void)
{
    uint64_t count;
    (void)!read(threads.ended_fd, &count, sizeof(count));
    pthread_mutex_lock(&threads.lock);
    struct client *ended = threads.ended;
    threads.ended = NULL;
    pthread_mutex_unlock(&threads.lock);
    while (ended != NULL) {
        struct client *next = ended->next;
        pthread_join(ended->thread, NULL);
        free(ended);
        ended = next;
    }
}

int lsad_clients_wait(int seconds)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += seconds;
    pthread_mutex_lock(&threads.lock);
    while (threads.running > 0)
        if (pthread_cond_timedwait(&threads.none_running, &threads.lock, &until) == ETIMEDOUT)
            break;
    int left = threads.running;
    pthread_mutex_unlock(&threads.lock);
    lsad_clients_reap();
    return left;
}
