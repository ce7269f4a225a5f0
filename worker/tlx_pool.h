/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_pool.h -- telexd's local enrich threads.

    Each thread runs tlx_enricher_main() on a DEALER connected over inproc
    to the link (tlx_link.h), with the routing id "local-N".  The pool
    follows the `threads` option: raised on reload it starts threads,
    lowered it retires the highest-numbered ones, which get no more work
    and are stopped once their articles came back.  Engine thread only.
*/
#ifndef TLX_POOL_H
#define TLX_POOL_H

#include <pthread.h>

#include "tlx_engine.h"
#include "tlx_text.h"

/*  Starts a thread with every signal blocked in it: SIGTERM/SIGHUP must
    reach the daemon's thread (whose blocking calls they interrupt), never
    an enrich thread in a blocking receive.  0 or an errno value. */
int tlx_pool_spawn(pthread_t *tid, void *(*fn)(void *), void *arg);

/*  The number of enrich threads cfg asks for (threads = 0: one per core,
    none for the store role), at most 64. */
int tlx_pool_target(const tlx_daemon_cfg_t *cfg);

/*  A pool using `text` (borrowed; NULL = null pipeline).  NULL when out of
    memory. */
tlx_pool_t *tlx_pool_new(const tlx_text_t *text);

/*  Starts threads up to tlx_pool_target(e->cfg).  0 or TLX_ENOMEM. */
int tlx_pool_start(tlx_engine_t *e);

/*  Each turn: stops retired threads whose articles came back. */
void tlx_pool_shrink(tlx_engine_t *e);

/*  Reload: follows a changed `threads` (loads the text pipeline when the
    store role started without local threads).  Returns the new target. */
int tlx_pool_reload(tlx_engine_t *e);

/*  Shutdown (after zmq_ctx_shutdown): joins the threads.  `stuck`:
    articles are still in flight, so wait at most 1 s per thread.  Returns
    TLX_EAGAIN when a thread is stuck in an article (leave it to process exit; do
    not free what it uses), else 0. */
int tlx_pool_join(tlx_pool_t *pool, int stuck);

/*  Frees the pool (threads must be joined).  Nulls *self_p; safe twice. */
void tlx_pool_destroy(tlx_pool_t **self_p);

#endif
