/* The benches' clock and ordering, so that every figure is measured the same way. */
#ifndef BENCH_BENCH_TIME_H
#define BENCH_BENCH_TIME_H

#include <time.h>

/* CLOCK_MONOTONIC in seconds. */
static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CLOCK_MONOTONIC in nanoseconds. */
static inline double bench_now_ns(void)
{
    return bench_now() * 1e9;
}

/* qsort order of doubles, for medians. */
static inline int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

#endif
