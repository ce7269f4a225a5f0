/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_fork.h -- one helper thread that shares a batch of independent
    items with the thread that owns the batch (fork-join).

    The owner starts a batch (tlx_fork_start), goes on with other work,
    and later joins it (tlx_fork_join): the join runs, on the owner's
    thread, every item the helper has not taken yet, then waits only for
    the item the helper is in the middle of.  So a helper that never got
    a core costs the owner nothing but the items themselves, and the
    owner never waits for the helper to wake up.

    Items are claimed one at a time from a shared counter; `fn` must be
    safe to run for different items on two threads at once.  Everything
    `fn` wrote is visible to the owner when tlx_fork_join returns.

    Thread: the owner calls every function; one batch at a time.
*/
#ifndef TLX_FORK_H
#define TLX_FORK_H

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tlx_fork tlx_fork_t;

/*  Runs item i (0 <= i < n) of the batch whose context is ctx. */
typedef void (*tlx_fork_fn)(void *ctx, int i);

/*  Starts the helper thread (every signal blocked in it).  Returns NULL
    when the thread or its memory cannot be had. */
tlx_fork_t *tlx_fork_new(void);

/*  Joins a batch still running, stops and joins the helper, frees; nulls
 *self_p; safe twice. */
void tlx_fork_destroy(tlx_fork_t **self_p);

/*  Hands items 0..n-1 to the helper (n >= 0).  The previous batch must be
    joined.  self may be NULL (no helper thread): the items run now, on
    this thread. */
void tlx_fork_start(tlx_fork_t *self, tlx_fork_fn fn, void *ctx, int n);

/*  Runs what is left of the current batch on this thread and returns once
    every item has run.  A no-op when no batch is open or self is NULL. */
void tlx_fork_join(tlx_fork_t *self);

/*  Returns once item i of the open batch has run, so the caller can use
    the items in order while the helper works ahead: runs it here when
    nobody has claimed it yet, else waits for the helper to finish it
    (briefly spinning; past that it joins the whole batch).  A no-op when
    no batch is open or self is NULL. */
void tlx_fork_wait(tlx_fork_t *self, int i);

/*  1 when a batch was started and not joined yet. */
int tlx_fork_open(const tlx_fork_t *self);

/*  Items of all batches so far that the helper ran (the rest ran in the
    owner's joins); for tests and metrics. */
unsigned long long tlx_fork_helped(const tlx_fork_t *self);

#ifdef __cplusplus
}
#endif
#endif
