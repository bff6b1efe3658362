/*
 * Windows times for MSV1_0: 100-ns ticks since 1601-01-01 UTC (spec/lsa-api.md
 * "Conventions": LARGE_INTEGER times) from and to Unix seconds.
 */
#ifndef MSV1_0_NT_TIME_H
#define MSV1_0_NT_TIME_H

#include <stdint.h>
#include <time.h>

/* Seconds from 1601-01-01 to 1970-01-01. */
#define MSV_NT_EPOCH_OFFSET INT64_C(11644473600)
#define MSV_NT_TICKS_PER_SECOND INT64_C(10000000)
/* "Never" in a profile's LogoffTime / KickOffTime / PasswordMustChange. */
#define MSV_NT_TIME_NEVER INT64_C(0x7FFFFFFFFFFFFFFF)
/* "Never" as a DOMAIN_PASSWORD_INFORMATION age (a negative interval elsewhere). */
#define MSV_NT_INTERVAL_NEVER INT64_MIN

/* Unix seconds to NT time; clamped so that no value overflows. */
static inline int64_t msv_unix_to_nt(int64_t unix_seconds)
{
    const int64_t max_seconds = MSV_NT_TIME_NEVER / MSV_NT_TICKS_PER_SECOND - MSV_NT_EPOCH_OFFSET;
    if (unix_seconds <= -MSV_NT_EPOCH_OFFSET)
        return 0;
    if (unix_seconds >= max_seconds)
        return MSV_NT_TIME_NEVER;
    return (unix_seconds + MSV_NT_EPOCH_OFFSET) * MSV_NT_TICKS_PER_SECOND;
}

/* The current time in NT time, at the clock's precision (an NTLMv2 blob's timestamp). */
static inline int64_t msv_nt_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return msv_unix_to_nt((int64_t)ts.tv_sec) + (int64_t)ts.tv_nsec / 100;
}

/* Unix seconds now. */
static inline int64_t msv_unix_now(void)
{
    return (int64_t)time(NULL);
}

/* Nanoseconds on CLOCK_MONOTONIC (challenge ages, timing). */
static inline int64_t msv_monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * INT64_C(1000000000) + (int64_t)ts.tv_nsec;
}

#endif
