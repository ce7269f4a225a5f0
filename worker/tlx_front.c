/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_front.c -- the producers' ROUTER (see tlx_front.h).

    Limits are enforced before allocation: ZMQ_MAXMSGSIZE drops an
    oversized frame in libzmq, tlx_envelope_decode bounds everything inside
    one.  A REQ producer's empty delimiter frame is remembered and echoed
    so REQ and DEALER producers both work.
*/
#include "tlx_front.h"

#include <stdio.h>
#include <string.h>

#include "tlx_keyfile.h"
#include "tlx_log.h"
#include "tlx_norm.h"

int tlx_front_open(tlx_engine_t *e)
{
    const tlx_daemon_cfg_t *cfg = e->cfg;
    e->front = zmq_socket(e->zctx, ZMQ_ROUTER);
    if (!e->front)
        return TLX_ESOCKET;
    int64_t maxmsg = tlx_limits_max_frame(&cfg->limits);
    int zero = 0, hwm = cfg->hwm;
    zmq_setsockopt(e->front, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
    zmq_setsockopt(e->front, ZMQ_RCVHWM, &hwm, sizeof hwm);
    zmq_setsockopt(e->front, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_setsockopt(e->front, ZMQ_LINGER, &zero, sizeof zero);
    int one = 1; /* an ack that cannot be queued fails (and is counted) instead of vanishing */
    zmq_setsockopt(e->front, ZMQ_ROUTER_MANDATORY, &one, sizeof one);
    if (cfg->curve_secret[0]) {
        char secret[41], public[41], err[600];
        if (!zmq_has("curve") || tlx_keyfile_read(cfg->curve_secret, secret) != 0 ||
            zmq_curve_public(public, secret) != 0) {
            tlx_log(TLX_LOG_ERROR, "cannot enable CURVE", "key_file=%s reason=\"%s\"", cfg->curve_secret,
                    zmq_has("curve") ? "no 40-character Z85 secret key in the file"
                                     : "libzmq built without CURVE");
            return TLX_EINVAL;
        }
        if (tlx_zap_enable(e->zctx, &e->zap, TLX_ZAP_FRONT, cfg->curve_allow, err, sizeof err)) {
            tlx_log(TLX_LOG_ERROR, "cannot enable CURVE", "reason=\"%s\"", err);
            return TLX_EINVAL;
        }
        one = 1;
        zmq_setsockopt(e->front, ZMQ_CURVE_SERVER, &one, sizeof one);
        zmq_setsockopt(e->front, ZMQ_CURVE_SECRETKEY, secret, 40);
        zmq_setsockopt(e->front, ZMQ_ZAP_DOMAIN, TLX_ZAP_FRONT, strlen(TLX_ZAP_FRONT));
        tlx_log(TLX_LOG_INFO, "CURVE enabled", "allow_list=%s", cfg->curve_allow);
    }
    for (int i = 0; i < cfg->nlisten; i++) {
        if (zmq_bind(e->front, cfg->listen[i]) != 0) {
            tlx_log(TLX_LOG_ERROR, "cannot listen", "endpoint=%s error=\"%s\"", cfg->listen[i],
                    zmq_strerror(zmq_errno()));
            return TLX_ESOCKET;
        }
        tlx_log(TLX_LOG_INFO, "listening", "endpoint=%s", cfg->listen[i]);
    }
    return 0;
}

int tlx_front_read(tlx_engine_t *e, tlx_front_in_t *m)
{
    int rc = tlx_front_recv(e, m);
    if (rc == 0)
        tlx_front_decode(e, m);
    return rc;
}

int tlx_front_recv(tlx_engine_t *e, tlx_front_in_t *m)
{
    int rc = zmq_recv(e->front, m->rid, sizeof m->rid, ZMQ_DONTWAIT);
    if (rc < 0)
        return zmq_errno() == EAGAIN ? TLX_EAGAIN : TLX_ESOCKET;
    m->rid_len = (size_t)(rc > (int)sizeof m->rid ? (int)sizeof m->rid : rc);
    m->delim = 0;
    zmq_msg_init(&m->msg);
    int more = 1, frames = 0;
    while (more) {
        zmq_msg_close(&m->msg);
        zmq_msg_init(&m->msg);
        if (zmq_msg_recv(&m->msg, e->front, 0) < 0)
            return zmq_errno() == EAGAIN ? TLX_EAGAIN : TLX_ESOCKET;
        more = zmq_msg_more(&m->msg);
        if (frames++ == 0 && more && zmq_msg_size(&m->msg) == 0)
            m->delim = 1;
    }
    tlx_metrics_add(e->m, TLX_M_RECEIVED, 1);
    m->frames = frames - m->delim;
    m->reason = TLX_REJ_NONE;
    m->dispatch = 0;
    m->hashed = 0;
    return 0;
}

void tlx_front_decode(const tlx_engine_t *e, tlx_front_in_t *m)
{
    /* a reject: env.seq is the envelope's seq when it was readable (else
       0), for the ack, so the producer settles it instead of re-sending */
    int content = m->frames;
    if (content > 1) {
        /* An envelope is one frame: a multi-part message is answered as a
           whole, never by silently reading only its last part. */
        tlx_limits_t lim = e->cfg->limits;
        tlx_reject_t ignored;
        char d[8];
        tlx_envelope_decode(zmq_msg_data(&m->msg), zmq_msg_size(&m->msg), &lim, &m->env, &ignored, d,
                            sizeof d);
        uint64_t seq = m->env.seq;
        memset(&m->env, 0, sizeof m->env);
        m->env.seq = seq;
        m->reason = TLX_REJ_NOT_MSGPACK;
        snprintf(m->detail, sizeof m->detail,
                 "a message of %d frames; an envelope is exactly one frame (one msgpack map)", content);
    } else if (tlx_envelope_decode(zmq_msg_data(&m->msg), zmq_msg_size(&m->msg), &e->cfg->limits, &m->env,
                                   &m->reason, m->detail, sizeof m->detail) == 0) {
        if (!tlx_norm_has_content(m->env.text.p, m->env.text.len)) {
            /* NBSP, a BOM, controls: nothing left after normalization, so
               no record to store; answered now, before it is accepted */
            m->reason = TLX_REJ_EMPTY_TEXT;
            snprintf(m->detail, sizeof m->detail,
                     "text of %zu bytes has nothing visible (only spaces, controls or format characters)",
                     m->env.text.len);
        } else
            tlx_metrics_source(e->m, m->env.source.p, m->env.source.len, 0);
    }
}

void tlx_front_ack(tlx_engine_t *e, const tlx_front_in_t *m)
{
    tlx_ack_t ack = {.v = TLX_PROTO_VERSION, .seq = m->env.seq, .status = m->status};
    if (m->status == TLX_ACK_ACCEPTED || m->status == TLX_ACK_DUPLICATE)
        ack.id = (tlx_bytes_t){m->out.id, strlen(m->out.id)};
    if (m->status == TLX_ACK_REJECTED) {
        const char *r = tlx_reject_name(m->reason);
        ack.error = (tlx_bytes_t){r, strlen(r)};
        ack.detail = (tlx_bytes_t){m->detail, strlen(m->detail)};
    } else if (m->status == TLX_ACK_BUSY) {
        ack.error = (tlx_bytes_t){"store_unavailable", 17};
        ack.detail = (tlx_bytes_t){m->detail, strlen(m->detail)};
    }
    tlx_buf_t *b = &e->ackbuf; /* kept: no allocation per ack */
    b->len = 0;
    if (tlx_ack_encode(&ack, b) == 0 && e->front) {
        /* A producer that does not read its acks fills its queue (SNDHWM):
           the ack is dropped, never waited for (the front serves everyone),
           and counted; the producer's re-send gets the answer again. */
        int ok = zmq_send(e->front, m->rid, m->rid_len, ZMQ_SNDMORE | ZMQ_DONTWAIT) >= 0;
        if (ok && m->delim)
            ok = zmq_send(e->front, "", 0, ZMQ_SNDMORE | ZMQ_DONTWAIT) >= 0;
        if (ok)
            ok = zmq_send(e->front, b->data, b->len, ZMQ_DONTWAIT) >= 0;
        if (!ok)
            tlx_metrics_add(e->m, TLX_M_ACKS_DROPPED, 1);
    }
}

void tlx_front_set_limits(tlx_engine_t *e)
{
    if (!e->front)
        return;
    int64_t maxmsg = tlx_limits_max_frame(&e->cfg->limits);
    zmq_setsockopt(e->front, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
}

void tlx_front_close(tlx_engine_t *e)
{
    if (e->front)
        zmq_close(e->front);
    e->front = NULL;
    tlx_buf_free(&e->ackbuf);
}
