/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_dispatch.h -- the dispatcher: which queued article goes to which
    enrich worker, and what happens when a worker is lost.

    State: a bounded queue of inbox seqs not yet in flight (the inbox on
    disk is the real queue; past `pending_cap` entries the rest stays on
    disk and is loaded by a refill scan; a few hundred recently received
    envelopes are kept by reference so they need not be read back), the enrich workers with their
    credit, and the articles in flight.  No sockets: the caller reads the
    enrich link and calls the event functions below; jobs leave through the
    `send` callback given to tlx_dispatch_new().  tests/test_dispatch.c
    drives it with a real store and no link at all.

    Rules kept here:
      * credit: a worker never holds more jobs than its hello announced;
      * attempts: an article's attempt counter is raised in the same write
        txn that precedes its dispatch (tlx_dispatch_plan), so a crash
        while it is in flight counts, and after max_attempts dispatches it
        is dead-lettered instead of sent again;
      * suspects: an article found in the inbox already attempted (it may
        be what killed the last process) runs alone, nothing else in
        flight, so if it kills again nobody else is blamed;
      * worker loss: a worker that left cleanly gives its articles' try
        back; one that went silent does not;
      * results: every dispatch carries a fresh 64-bit random token; a
        result is taken only from the worker the job went to, with that
        dispatch's token (a peer guessing inbox seqs, or a result of an
        earlier attempt of a re-dispatched article, is counted and
        ignored);
      * older first: new articles go out directly only when nothing older
        is queued or waiting on disk.

    Thread: all functions on the engine thread only.
*/
#ifndef TLX_DISPATCH_H
#define TLX_DISPATCH_H

#include <stddef.h>
#include <stdint.h>

#include "tlx_metrics.h"
#include "tlx_store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TLX_DISPATCH_WORKERS_MAX 256 /* enrich workers known at once */
#define TLX_CREDIT_MAX 1024          /* jobs one worker may hold (its hello), PROTOCOL.md §5 */
#define TLX_DISPATCH_PENDING_CAP 100000
#define TLX_DISPATCH_TURN_MAX 1024 /* queued articles dispatched or dead-lettered per turn */
#define TLX_DISPATCH_SOURCE_MAX 64
/* Envelope bytes one worker may hold in flight: past this it gets no more
   jobs until results come back, whatever its credit (so a deep credit for
   small articles does not let a run of 8 MB ones pile up in its queue).
   A worker holding nothing always gets one job, so the bound is this plus
   one article. */
#define TLX_DISPATCH_WORKER_BYTES ((size_t)16 << 20)

typedef struct tlx_dispatch tlx_dispatch_t;

/*  Who holds the bytes of a job's envelope, so the send callback can pass
    them on without copying.  `msg`, when not NULL, is the front's received
    frame (a zmq_msg_t, opaque here) holding exactly e->env: it may be
    shared by reference (zmq_msg_copy), not changed.  `copy`, when not NULL,
    is the malloc'd block e's pointers point into (tlx_store_inbox_get's):
    the callback may take it over by setting it to NULL (then it frees it,
    e.g. when ZeroMQ is done sending it); otherwise the dispatcher frees it
    after the call.  Both NULL: e's bytes are borrowed for the call only. */
typedef struct {
    void *msg;
    void *copy;
} tlx_dispatch_held_t;

/*  Sends job `inbox` (entry `e`, borrowed for the call; its bytes are held
    as `held` says) to the worker with routing id wid, with this dispatch's
    token (the worker echoes it in its result).  Returns 0 when the job
    left, else a TLX_E* code (the article is queued again).  Once it has
    taken held->copy, e's pointers may be dangling when it returns. */
typedef int (*tlx_dispatch_send_fn)(void *ctx, const uint8_t *wid, size_t wid_len, uint64_t inbox,
                                    uint64_t token, const tlx_inbox_entry_t *e, tlx_dispatch_held_t *held);

typedef struct {
    int max_attempts;   /* K; default 3 */
    size_t pending_cap; /* inbox seqs held in memory; 0 = TLX_DISPATCH_PENDING_CAP */
    int turn_max;       /* 0 = TLX_DISPATCH_TURN_MAX */
} tlx_dispatch_opts_t;

/*  A worker as the dispatcher sees it (read-only to callers). */
typedef struct {
    uint8_t id[256];
    size_t id_len;
    int credit;         /* jobs it can take now (by count; see tlx_dispatch_credit) */
    int max_credit;     /* what its hello announced */
    size_t bytes;       /* envelope bytes of its jobs in flight */
    int hb;             /* remote: sends heartbeats, expires when silent */
    int retired;        /* local thread being stopped (threads lowered on reload) */
    uint64_t last_seen; /* monotonic ms of its last message */
} tlx_dispatch_worker_t;

/*  What tlx_dispatch_result hands back for an article that was in flight. */
typedef struct {
    uint32_t attempts;
    char *id; /* malloc'd (may be NULL); caller owns and frees */
    char source[TLX_DISPATCH_SOURCE_MAX];
} tlx_dispatch_done_t;

/*  Creates a dispatcher over `store` (borrowed; it must outlive the
    dispatcher).  m may be NULL.  Returns NULL when out of memory. */
tlx_dispatch_t *tlx_dispatch_new(tlx_store_t *store, tlx_metrics_t *m, const tlx_dispatch_opts_t *opts,
                                 tlx_dispatch_send_fn send, void *send_ctx);
/*  Frees everything (in-flight ids too); nulls *self_p; safe twice. */
void tlx_dispatch_destroy(tlx_dispatch_t **self_p);
void tlx_dispatch_set_max_attempts(tlx_dispatch_t *self, int k);

/* ---- the queue ------------------------------------------------------------ */

/*  Queues inbox seq for dispatch.  Without `force`, a new article past
    pending_cap stays on disk only (the refill finds it).  `force` (an
    article coming back: retry, lost worker) keeps it in memory past the
    cap; if even that allocation fails the whole inbox is rescanned later. */
void tlx_dispatch_push(tlx_dispatch_t *self, uint64_t seq, uint32_t attempts, int suspect, int force);
/*  Queues a just-accepted article (en: the committed inbox entry, borrowed)
    like tlx_dispatch_push without force, and keeps a reference to `msg`
    (the received frame holding en->env, a zmq_msg_t; may be NULL) while
    it is queued, within a bound of count and bytes: its dispatch then
    shares that frame instead of reading the inbox back.  The caller may
    close its own msg at once.  `source` (source_len bytes, borrowed for
    the call): the envelope's "source", as the writer decoded it; NULL:
    read from en->env when needed. */
void tlx_dispatch_push_entry(tlx_dispatch_t *self, const tlx_inbox_entry_t *en, void *msg, const char *source,
                             size_t source_len);
/*  Queued articles whose envelope is held in memory (push_entry). */
int tlx_dispatch_held(const tlx_dispatch_t *self);
/*  Loads inbox entries after `after` that are not in flight (start-up). */
void tlx_dispatch_refill(tlx_dispatch_t *self, uint64_t after);
/*  Forgets the queue and reloads it from the inbox (dead letters
    replayed, or an earlier scan failed). */
void tlx_dispatch_rescan(tlx_dispatch_t *self);
/*  Non-zero when a scan or an allocation failed and a rescan is due. */
int tlx_dispatch_rescan_due(const tlx_dispatch_t *self);
size_t tlx_dispatch_queued(const tlx_dispatch_t *self);
/*  Inbox seqs after this are on disk only (0: the queue holds all). */
uint64_t tlx_dispatch_overflow_after(const tlx_dispatch_t *self);

/* ---- workers ------------------------------------------------------------- */

int tlx_dispatch_find(const tlx_dispatch_t *self, const uint8_t *id, size_t len);
/*  A hello: registers the worker when new (returns its index, -1 when the
    table is full) and sets its credit (clamped to 1..TLX_CREDIT_MAX).
    *joined is set to 1 when the worker was new. */
int tlx_dispatch_hello(tlx_dispatch_t *self, const uint8_t *id, size_t len, uint32_t credit, int hb,
                       uint64_t now_ms, int *joined);
void tlx_dispatch_seen(tlx_dispatch_t *self, int w, uint64_t now_ms);
/*  Worker w is gone: forget it and queue its articles again; `give_back`:
    it left cleanly, the try does not count.  Indexes above w may move. */
void tlx_dispatch_remove(tlx_dispatch_t *self, int w, int give_back);
/*  Removes the heartbeating workers not seen since `deadline_ms`.
    Returns how many. */
int tlx_dispatch_expire(tlx_dispatch_t *self, uint64_t deadline_ms);
/*  A result for `inbox` with dispatch token `token` from worker w (-1:
    unknown worker, a late result).  Returns 1, fills *done and gives w
    its credit back when the article is in flight at w under that token;
    otherwise 0 (not in flight: already committed or re-queued; held by
    another worker; or a token of another attempt), and the result is
    counted (telex_enrich_results_ignored_total) and logged, and returns
    no credit (a peer cannot make room for jobs it does not hold). */
int tlx_dispatch_result(tlx_dispatch_t *self, int w, uint64_t inbox, uint64_t token,
                        tlx_dispatch_done_t *done);
/*  Retire w: no more jobs.  Returns 1 when nothing of it is in flight. */
int tlx_dispatch_retire(tlx_dispatch_t *self, int w);
/*  Undo a retire (threads raised again before the thread left). */
void tlx_dispatch_unretire(tlx_dispatch_t *self, int w);
int tlx_dispatch_nworkers(const tlx_dispatch_t *self);
const tlx_dispatch_worker_t *tlx_dispatch_worker(const tlx_dispatch_t *self, int w);
int tlx_dispatch_credit(const tlx_dispatch_t *self);
int tlx_dispatch_inflight(const tlx_dispatch_t *self);

/* ---- one turn ------------------------------------------------------------- */

/*  Inside the writer's open write txn: picks the queued articles to send
    (raising their attempt counters) and dead-letters those tried
    max_attempts times.  *free_credit gets how many brand-new articles may
    go out directly this turn.  Pure in the queue and the store: on
    TLX_EFULL the caller aborts, grows the map and calls it again.
    Returns 0 or the store's TLX_E* code. */
int tlx_dispatch_plan(tlx_dispatch_t *self, uint64_t now_ms, int draining, int *free_credit);
/*  After the commit: drops what the plan consumed from the queue, logs the
    dead-lettered ones and sends the planned jobs. */
void tlx_dispatch_planned_send(tlx_dispatch_t *self);
/*  Sends one article now (a brand-new one covered by free_credit), or
    queues it again when no worker has credit or the entry cannot be read. */
void tlx_dispatch_send(tlx_dispatch_t *self, uint64_t seq, uint32_t attempts, int suspect);
/*  Like tlx_dispatch_send for an entry the caller holds (borrowed for the
    call): the writer's just-committed envelope, the same bytes the inbox
    holds, so the inbox is not read back and copied for it.  `msg` (may be
    NULL): the received frame holding en->env, passed to the send callback
    as held->msg so the job shares it instead of copying it.  `source` as
    for tlx_dispatch_push_entry. */
void tlx_dispatch_send_entry(tlx_dispatch_t *self, const tlx_inbox_entry_t *en, void *msg, const char *source,
                             size_t source_len, int suspect);
/*  End of turn: refills the queue from disk when it ran low. */
void tlx_dispatch_end_turn(tlx_dispatch_t *self);
/*  Shutdown with articles still in flight: gives their attempt back in
    one write txn (they were not tried to failure).  Returns how many. */
int tlx_dispatch_give_back(tlx_dispatch_t *self);

#ifdef __cplusplus
}
#endif
#endif
