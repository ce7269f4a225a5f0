/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_producer.c -- producer library (see tlx_producer.h).

    The window is a ring indexed by seq % window: seqs are dense, so a slot
    is free exactly when the envelope that used it was acked.  Each slot
    keeps the encoded frame for re-sends.  Rejected: REQ sockets (one
    message at a time, and a lost reply wedges the socket).
*/
#include "tlx_producer.h"

#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include "tlx_clock.h"

typedef struct {
    int used;
    uint64_t seq;
    tlx_buf_t frame;
    uint64_t due; /* monotonic ms of the next re-send */
    int busy_backoff;
    void *user;
} slot_t;

struct tlx_producer {
    void *zctx, *sock;
    char producer[256];
    uint64_t next_seq;
    int window, timeout_ms, unacked;
    slot_t *slots;
    tlx_producer_ack_fn on_ack;
    void *ctx;
};

tlx_producer_t *tlx_producer_new(const tlx_producer_opts_t *o, int *err)
{
    *err = 0;
    tlx_producer_t *self = calloc(1, sizeof(*self));
    if (!self) {
        *err = TLX_ENOMEM;
        return NULL;
    }
    self->window = o->window > 0 ? o->window : 64;
    self->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 3000;
    self->next_seq = o->first_seq ? o->first_seq : 1;
    self->on_ack = o->on_ack;
    self->ctx = o->ctx;
    if (o->producer && *o->producer)
        snprintf(self->producer, sizeof self->producer, "%s", o->producer);
    else {
        char host[128] = "host";
        gethostname(host, sizeof host - 1);
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        snprintf(self->producer, sizeof self->producer, "%s-%d-%lld%09ld", host, (int)getpid(),
                 (long long)ts.tv_sec, ts.tv_nsec);
    }
    self->slots = calloc((size_t)self->window, sizeof(slot_t));
    self->zctx = zmq_ctx_new();
    if (!self->slots || !self->zctx) {
        *err = TLX_ENOMEM;
        goto fail;
    }
    self->sock = zmq_socket(self->zctx, ZMQ_DEALER);
    int zero = 0, one = 1;
    zmq_setsockopt(self->sock, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(self->sock, ZMQ_IMMEDIATE, &one, sizeof one);
    if (o->curve_server || o->curve_secret) {
        char pub[41];
        if (!o->curve_server || !o->curve_secret || strlen(o->curve_server) != 40 ||
            strlen(o->curve_secret) != 40 || zmq_curve_public(pub, o->curve_secret) != 0) {
            *err = TLX_EINVAL;
            goto fail;
        }
        zmq_setsockopt(self->sock, ZMQ_CURVE_SERVERKEY, o->curve_server, 40);
        zmq_setsockopt(self->sock, ZMQ_CURVE_PUBLICKEY, pub, 40);
        zmq_setsockopt(self->sock, ZMQ_CURVE_SECRETKEY, o->curve_secret, 40);
    }
    const char *ep = o->endpoint;
    if (!ep || !*ep)
        ep = getenv("TELEX_ENDPOINT");
    if (!ep || !*ep)
        ep = TLX_DEFAULT_ENDPOINT;
    if (zmq_connect(self->sock, ep) != 0) {
        *err = TLX_EINVAL;
        goto fail;
    }
    return self;
fail:
    tlx_producer_destroy(&self);
    return NULL;
}

void tlx_producer_destroy(tlx_producer_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    tlx_producer_t *self = *self_p;
    if (self->slots)
        for (int i = 0; i < self->window; i++)
            tlx_buf_free(&self->slots[i].frame);
    free(self->slots);
    if (self->sock)
        zmq_close(self->sock);
    if (self->zctx)
        zmq_ctx_term(self->zctx);
    free(self);
    *self_p = NULL;
}

const char *tlx_producer_id(const tlx_producer_t *self)
{
    return self->producer;
}

int tlx_producer_unacked(const tlx_producer_t *self)
{
    return self->unacked;
}

static void s_transmit(tlx_producer_t *self, slot_t *s)
{
    /* DONTWAIT: with no connected peer (ZMQ_IMMEDIATE) the send fails and
       the re-send timer tries again: nothing blocks, nothing is lost. */
    int rc = zmq_send(self->sock, s->frame.data, s->frame.len, ZMQ_DONTWAIT);
    /* not sent (not connected yet, or the pipe is full): try again soon */
    s->due = tlx_mono_ms() + (uint64_t)(rc < 0 ? 20 : self->timeout_ms);
}

/* Returns 1 when the ack settled (or postponed, for busy) an envelope in
   the window, 0 when it matched none.  Every final status settles: a
   rejected envelope is reported and never re-sent (the same bytes would be
   rejected again).  Unmatched acks (late, or seq 0 from a frame telexd
   could not read) are not progress, so flush's idle limit still fires. */
static int s_handle_ack(tlx_producer_t *self, const void *data, size_t len)
{
    tlx_ack_t ack;
    if (tlx_ack_decode(data, len, &ack) != 0)
        return 0; /* not an ack: ignore (counted by nobody; telexd never sends these) */
    slot_t *s = &self->slots[ack.seq % (uint64_t)self->window];
    if (!s->used || s->seq != ack.seq)
        return 0; /* a late ack for something already settled */
    if (ack.status == TLX_ACK_BUSY) {
        s->busy_backoff = s->busy_backoff ? s->busy_backoff * 2 : 50;
        if (s->busy_backoff > 2000)
            s->busy_backoff = 2000;
        s->due = tlx_mono_ms() + (uint64_t)s->busy_backoff;
        return 1;
    }
    if (self->on_ack)
        self->on_ack(self->ctx, &ack, s->user);
    s->used = 0;
    s->frame.len = 0;
    self->unacked--;
    return 1;
}

int tlx_producer_poll(tlx_producer_t *self, int timeout_ms)
{
    uint64_t end = tlx_mono_ms() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0);
    int got = 0;
    for (;;) {
        /* re-send what is due */
        uint64_t now = tlx_mono_ms(), next_due = UINT64_MAX;
        for (int i = 0; i < self->window && self->unacked; i++) {
            slot_t *s = &self->slots[i];
            if (!s->used)
                continue;
            if (s->due <= now)
                s_transmit(self, s);
            if (s->due < next_due)
                next_due = s->due;
        }
        zmq_msg_t m;
        zmq_msg_init(&m);
        int seen = 0;
        while (zmq_msg_recv(&m, self->sock, ZMQ_DONTWAIT) >= 0) {
            got += s_handle_ack(self, zmq_msg_data(&m), zmq_msg_size(&m));
            seen++;
        }
        zmq_msg_close(&m);
        now = tlx_mono_ms();
        if (got || now >= end)
            return got;
        if (seen)
            continue; /* only unmatched acks: wait on for the rest of timeout_ms */
        long wait = (long)(end - now);
        if (next_due != UINT64_MAX && next_due > now && (long)(next_due - now) < wait)
            wait = (long)(next_due - now);
        zmq_pollitem_t it = {self->sock, 0, ZMQ_POLLIN, 0};
        zmq_poll(&it, 1, wait);
    }
}

int tlx_producer_send(tlx_producer_t *self, tlx_envelope_t *env, void *user, int timeout_ms,
                      uint64_t *seq_out)
{
    uint64_t seq = self->next_seq;
    slot_t *s = &self->slots[seq % (uint64_t)self->window];
    uint64_t deadline = timeout_ms > 0 ? tlx_mono_ms() + (uint64_t)timeout_ms : UINT64_MAX;
    while (s->used) {
        if (tlx_mono_ms() >= deadline)
            return TLX_EAGAIN;
        tlx_producer_poll(self, 100);
    }
    env->v = TLX_PROTO_VERSION;
    env->producer = (tlx_bytes_t){self->producer, strlen(self->producer)};
    env->seq = seq;
    s->frame.len = 0;
    int rc = tlx_envelope_encode(env, &s->frame);
    if (rc)
        return rc;
    s->used = 1;
    s->seq = seq;
    s->user = user;
    s->busy_backoff = 0;
    self->next_seq++;
    self->unacked++;
    s_transmit(self, s);
    if (seq_out)
        *seq_out = seq;
    tlx_producer_poll(self, 0);
    return 0;
}

int tlx_producer_flush(tlx_producer_t *self, int idle_ms)
{
    uint64_t last = tlx_mono_ms();
    while (self->unacked) {
        if (tlx_producer_poll(self, 100) > 0)
            last = tlx_mono_ms();
        else if (tlx_mono_ms() - last >= (uint64_t)idle_ms)
            return TLX_EAGAIN;
    }
    return 0;
}

static int s_buf_write(void *data, const char *buf, size_t len)
{
    return tlx_buf_append(data, buf, len) ? -1 : 0;
}

int tlx_producer_pack_meta(const tlx_meta_kv_t *kv, size_t n, tlx_buf_t *out)
{
    if (n > UINT32_MAX)
        return TLX_EINVAL;
    msgpack_packer pk;
    msgpack_packer_init(&pk, out, s_buf_write);
    int rc = msgpack_pack_map(&pk, n);
    for (size_t i = 0; i < n && rc == 0; i++) {
        rc |= msgpack_pack_str_with_body(&pk, kv[i].key.p, kv[i].key.len);
        rc |= msgpack_pack_str_with_body(&pk, kv[i].value.p, kv[i].value.len);
    }
    return rc ? TLX_ENOMEM : 0;
}
