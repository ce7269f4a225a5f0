/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_producer.h -- the telex producer library: at-least-once delivery.

    A DEALER socket to telexd's ROUTER.  Every envelope gets the next seq
    of this producer id and stays in a window of unacked envelopes until its
    ack arrives; after `timeout_ms` without an ack it is re-sent with the
    same seq (telexd answers `duplicate` if the first copy was stored), and
    on `busy` it is re-sent after an exponential back-off.  So a crashed or
    restarted telexd loses nothing that the producer has not seen acked.

    The producer id must be stable across restarts of the same logical
    producer only if seqs continue where they stopped; when in doubt use a
    fresh id per run (tlx_producer_opts_t.producer = NULL does that).

    Not thread-safe: one producer per thread.
*/
#ifndef TLX_PRODUCER_H
#define TLX_PRODUCER_H

#include <stddef.h>
#include <stdint.h>

#include "tlx_proto.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tlx_producer tlx_producer_t;

/*  Called once per envelope with its final ack (accepted, duplicate or
    rejected; busy is retried internally).  `ack` is borrowed for the call;
    `user` is what was passed to tlx_producer_send(). */
typedef void (*tlx_producer_ack_fn)(void *ctx, const tlx_ack_t *ack, void *user);

typedef struct {
    const char *endpoint; /* default $TELEX_ENDPOINT or tcp://127.0.0.1:5555 */
    const char *producer; /* NULL: "<host>-<pid>-<time>" (unique per run) */
    uint64_t first_seq;   /* default 1 */
    int window;           /* unacked envelopes in flight; default 64 */
    int timeout_ms;       /* re-send after this long without an ack; default 3000 */
    tlx_producer_ack_fn on_ack;
    void *ctx;
    const char *curve_server; /* telexd's public key, Z85 (40 chars): enables CURVE */
    const char
        *curve_secret; /* this client's secret key, Z85 (its public key must be on telexd's allow-list) */
} tlx_producer_opts_t;

/*  Connects (asynchronously: ZeroMQ reconnects by itself).  Returns NULL
    and sets *err (TLX_ESOCKET, TLX_ENOMEM, TLX_EINVAL) on failure.
    Caller owns; free with tlx_producer_destroy(). */
tlx_producer_t *tlx_producer_new(const tlx_producer_opts_t *opts, int *err);

/*  Closes the socket; unacked envelopes are dropped (call flush first). */
void tlx_producer_destroy(tlx_producer_t **self_p);

/*  Sends one article.  Fills env->v, env->producer and env->seq itself.
    Blocks (processing acks) while the window is full, for at most
    `timeout_ms` overall when positive; returns TLX_EAGAIN when it expires
    without room.  *seq_out (optional) gets the assigned seq. */
int tlx_producer_send(tlx_producer_t *self, tlx_envelope_t *env, void *user, int timeout_ms,
                      uint64_t *seq_out);

/*  Processes acks and re-sends for at most timeout_ms (0 = what is ready).
    Returns the number of envelopes an ack settled or postponed (busy):
    accepted, duplicate and rejected all settle the envelope (on_ack is
    called; a rejected one is never re-sent).  Acks that match nothing in
    the window do not count. */
int tlx_producer_poll(tlx_producer_t *self, int timeout_ms);

/*  Waits until every envelope is acked or `idle_ms` passes without any ack
    (telexd gone).  Returns 0 or TLX_EAGAIN with envelopes still unacked. */
int tlx_producer_flush(tlx_producer_t *self, int idle_ms);

/*  Envelopes sent and not yet finally acked. */
int tlx_producer_unacked(const tlx_producer_t *self);

/*  The producer id in use (borrowed). */
const char *tlx_producer_id(const tlx_producer_t *self);

/*  One `meta` entry: both strings borrowed, UTF-8, any length up to the
    envelope limits (PROTOCOL.md: 256 entries, values up to 64 KiB). */
typedef struct {
    tlx_bytes_t key;
    tlx_bytes_t value;
} tlx_meta_kv_t;

/*  Packs n entries as the msgpack map an envelope carries in `meta`
    (str -> str, in the given order; a repeated key is packed twice and
    telexd keeps both).  Appends to *out; point env->meta at the result
    (env->meta = (tlx_bytes_t){out->data, out->len}, env->nmeta = n).
    Returns 0, TLX_EINVAL (n over 2^32-1) or TLX_ENOMEM. */
int tlx_producer_pack_meta(const tlx_meta_kv_t *kv, size_t n, tlx_buf_t *out);

#ifdef __cplusplus
}
#endif
#endif
