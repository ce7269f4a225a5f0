/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_clock.h -- the two clocks telex reads: wall time for timestamps that
    leave the process (received_at, dead letters), monotonic time for
    intervals (timeouts, heartbeats, latencies), which must not jump when
    the wall clock is set. */
#ifndef TLX_CLOCK_H
#define TLX_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Unix time in milliseconds. */
static inline uint64_t tlx_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Monotonic nanoseconds (latency histograms). */
static inline uint64_t tlx_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Monotonic milliseconds (timeouts, heartbeats). */
static inline uint64_t tlx_mono_ms(void)
{
    return tlx_mono_ns() / 1000000;
}

#endif
