/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_front.h -- telexd's front: the ROUTER producers connect to,
    envelope decode, acks.

    The front does not store: tlx_front_read() fills one tlx_front_in_t
    with the frame and the decoded envelope (or the reject reason); the
    writer (tlx_writer.h) decides and commits; tlx_front_ack() answers
    after the commit.  Engine thread only (but tlx_front_decode).
*/
#ifndef TLX_FRONT_H
#define TLX_FRONT_H

#include "tlx_engine.h"

/*  Opens the front ROUTER: frame limit, high-water marks, CURVE when
    cfg->curve_secret is set, bound to every cfg->listen endpoint.
    0, TLX_EINVAL (CURVE key or allow-list unusable) or TLX_ESOCKET
    (cannot bind); the reason is logged. */
int tlx_front_open(tlx_engine_t *e);

/*  Reads one message (all frames) without blocking: tlx_front_recv, then
    tlx_front_decode.  0 with *m filled (m->reason != TLX_REJ_NONE for an
    envelope that does not decode), TLX_EAGAIN when nothing is readable,
    TLX_ESOCKET when ZeroMQ fails.  m->msg must be closed by the caller. */
int tlx_front_read(tlx_engine_t *e, tlx_front_in_t *m);

/*  The socket half of tlx_front_read: the frames only (m->msg, rid,
    delim, frames).  Same returns. */
int tlx_front_recv(tlx_engine_t *e, tlx_front_in_t *m);

/*  The decode half of tlx_front_read: m->env, or m->reason and m->detail.
    Touches no socket: may run on any thread, for different messages at
    once (the writer decodes a turn's envelopes on two threads). */
void tlx_front_decode(const tlx_engine_t *e, tlx_front_in_t *m);

/*  Sends m's ack (status, id, reason) to its producer, without blocking. */
void tlx_front_ack(tlx_engine_t *e, const tlx_front_in_t *m);

/*  New frame limit (reload): applies to connections made from now on. */
void tlx_front_set_limits(tlx_engine_t *e);

/*  Stops taking new work (drain): closes the ROUTER. */
void tlx_front_close(tlx_engine_t *e);

#endif
