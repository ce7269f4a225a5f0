/*  tlx_deadline.c -- per-thread processing deadline (see tlx_deadline.h).

    CLOCK_MONOTONIC_COARSE is read through the vDSO (no system call) with
    the kernel tick's resolution (1-4 ms), plenty for deadlines of
    seconds.  Rejected: a timer signal (interrupts system calls in the
    stages and in libzmq); a watchdog thread that flags the article (one
    more thread per enrich thread, and the flag is still polled).
*/
#include "tlx_deadline.h"

#include <time.h>

/* no deadline: the budget is so large the clock is never read */
#define IDLE_BUDGET (INT64_MAX / 2)

__thread tlx_deadline_t tlx_deadline_tls = {IDLE_BUDGET, 0, NULL};

static uint64_t s_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void tlx_deadline_start(unsigned ms)
{
    tlx_deadline_t *d = &tlx_deadline_tls;
    d->stage = NULL;
    d->at_ms = ms ? s_now_ms() + ms : 0;
    d->budget = ms ? TLX_DEADLINE_EVERY : IDLE_BUDGET;
}

const char *tlx_deadline_stop(void)
{
    tlx_deadline_t *d = &tlx_deadline_tls;
    const char *stage = d->stage;
    d->stage = NULL;
    d->at_ms = 0;
    d->budget = IDLE_BUDGET;
    return stage;
}

bool tlx_deadline__check(const char *stage)
{
    tlx_deadline_t *d = &tlx_deadline_tls;
    if (d->stage) { /* passed already: every later check stops its stage */
        d->budget = 0;
        return true;
    }
    if (!d->at_ms) {
        d->budget = IDLE_BUDGET;
        return false;
    }
    if (s_now_ms() < d->at_ms) {
        d->budget = TLX_DEADLINE_EVERY;
        return false;
    }
    d->stage = stage;
    d->budget = 0;
    return true;
}
