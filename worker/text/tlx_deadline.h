/*  tlx_deadline.h -- the processing deadline of the article this thread is
    working on, checked cooperatively inside the stages' long loops.

    An enrich worker sets a deadline before it runs the pipeline on an
    article and clears it afterwards (tlx_enricher.c).  The loops that can
    run long (normalization, NER over chunks, keywords, quotes, structure)
    call tlx_deadline_due() once per unit of work; when it returns true the
    stage stops and returns TLX_EAGAIN, and the worker reports the article
    as failed with stage "timeout" (a failed attempt: after max_attempts it
    goes to the dead letters).

    Cheap: a call subtracts its units from a thread-local budget and reads
    the clock (CLOCK_MONOTONIC_COARSE, no system call) only when the budget
    is spent, every TLX_DEADLINE_EVERY units; with no deadline set it never
    reads the clock.  A loop whose iterations are heavy (an NER chunk)
    passes TLX_DEADLINE_EVERY to check every time.  Once the deadline has
    passed, every later call returns true at once.

    Thread: the state is per thread; a deadline covers what this thread
    runs between tlx_deadline_start and tlx_deadline_stop.
*/
#ifndef TLX_DEADLINE_H
#define TLX_DEADLINE_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TLX_DEADLINE_EVERY 4096 /* units of work between two clock reads */

typedef struct {
    int64_t budget;    /* units left before the next clock read */
    uint64_t at_ms;    /* monotonic ms; 0 = no deadline */
    const char *stage; /* where it was noticed (static text); NULL = not passed */
} tlx_deadline_t;

extern __thread tlx_deadline_t tlx_deadline_tls;

/*  Starts a deadline `ms` from now for this thread (0: none). */
void tlx_deadline_start(unsigned ms);

/*  Ends this thread's deadline; returns the stage that noticed it had
    passed (static text), or NULL when it did not pass (or no check ran
    after it did). */
const char *tlx_deadline_stop(void);

/*  Out-of-line part of tlx_deadline_due: reads the clock. */
bool tlx_deadline__check(const char *stage);

/*  `units` of work done in `stage` (a static name such as "ner"): true
    when this thread's deadline has passed and the stage should stop and
    return TLX_EAGAIN. */
static inline bool tlx_deadline_due(const char *stage, unsigned units)
{
    if ((tlx_deadline_tls.budget -= units) > 0)
        return false;
    return tlx_deadline__check(stage);
}

#ifdef __cplusplus
}
#endif
#endif
