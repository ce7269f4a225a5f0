/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_link.h -- the store side of the enrich link: the back ROUTER that
    local enrich threads (inproc) and remote `telexd --role enrich` workers
    (enrich_listen) connect to.  Frames are in proto/PROTOCOL.md, section
    5, and tlx_enricher.h.

    The link only translates: frames in become dispatcher events (hello,
    heartbeat, leave, result), the dispatcher's decisions become frames
    (jobs, heartbeats, "who are you?", stop).  Engine thread only.
*/
#ifndef TLX_LINK_H
#define TLX_LINK_H

#include "tlx_engine.h"

/*  Binds the back ROUTER to an inproc endpoint (e->back_ep) and, for the
    store role, to cfg->enrich_listen.  0 or TLX_ESOCKET (logged). */
int tlx_link_open(tlx_engine_t *e);

/*  Reads one message without blocking and applies it to the dispatcher.
    Returns TLX_EAGAIN when nothing is readable (TLX_ESOCKET when ZeroMQ
    fails), else 0 with *is_result = 1 when
    *r now holds a result for an article in flight (r->rec and r->terms
    initialized; the caller closes them). */
int tlx_link_read(tlx_engine_t *e, tlx_link_res_t *r, int *is_result);

/*  Reads messages (tlx_link_read) until none is readable or e->res is at
    a turn's bounds (TLX_RES_MAX results, heavy_max with fingerprints,
    TLX_TURN_BYTES_MAX of records in e->res); results go to
    e->res[e->nres++].  Returns how many results it added. */
int tlx_link_read_results(tlx_engine_t *e, int heavy_max);

/*  Every heartbeat_ms: expires silent remote workers and beats the rest. */
void tlx_link_heartbeat(tlx_engine_t *e);

/*  Tells worker w to stop ("X").  `wait`: block until queued. */
void tlx_link_stop_worker(tlx_engine_t *e, int w, int wait);

/*  The dispatcher's send callback (tlx_dispatch_send_fn); ctx is the
    engine. */
int tlx_link_send_job(void *ctx, const uint8_t *wid, size_t wid_len, uint64_t inbox, uint64_t token,
                      const tlx_inbox_entry_t *en, tlx_dispatch_held_t *held);

#endif
