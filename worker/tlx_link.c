/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_link.c -- the back ROUTER of the enrich link (see tlx_link.h).

    A ROUTER drops what it cannot queue, so its send high-water mark holds
    a worker's whole credit plus control messages.  Anything from a worker
    the dispatcher does not know (it expired, or we restarted) is answered
    "W" so the worker reconnects with a fresh hello; a result from such a
    worker is ignored (its article went out again).  A result is taken only
    from the worker holding the job with that dispatch's token
    (tlx_dispatch_result).
*/
#include "tlx_link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlx_clock.h"
#include "tlx_enricher.h"
#include "tlx_keyfile.h"
#include "tlx_log.h"

int tlx_link_open(tlx_engine_t *e)
{
    const tlx_daemon_cfg_t *cfg = e->cfg;
    e->back = zmq_socket(e->zctx, ZMQ_ROUTER);
    if (!e->back)
        return TLX_ESOCKET;
    int zero = 0;
    zmq_setsockopt(e->back, ZMQ_LINGER, &zero, sizeof zero);
    /* A ROUTER drops what it cannot queue: a worker's queue must hold its
       whole credit (at most TLX_CREDIT_MAX jobs) plus control messages,
       or jobs past the default 1,000 vanish and stay "in flight". */
    int back_hwm = 2 * TLX_CREDIT_MAX;
    zmq_setsockopt(e->back, ZMQ_SNDHWM, &back_hwm, sizeof back_hwm);
    snprintf(e->back_ep, sizeof e->back_ep, "inproc://telex-enrich-%p", (void *)e);
    if (zmq_bind(e->back, e->back_ep) != 0)
        return TLX_ESOCKET;
    if (!cfg->enrich_listen[0])
        return 0;
    /* remote enrich workers (role store); a result: the record of at most
       one article, its text several times over */
    int64_t maxr = 4 * tlx_limits_max_frame(&cfg->limits);
    zmq_setsockopt(e->back, ZMQ_MAXMSGSIZE, &maxr, sizeof maxr);
    if (cfg->enrich_curve_secret[0]) {
        /* CURVE on every tcp/ipc connection of the back socket; the local
           threads' inproc pipes have no handshake (ZeroMQ applies
           security mechanisms to stream transports only) */
        char secret[41], public[41], err[600];
        if (!zmq_has("curve") || tlx_keyfile_read(cfg->enrich_curve_secret, secret) != 0 ||
            zmq_curve_public(public, secret) != 0) {
            tlx_log(TLX_LOG_ERROR, "cannot enable CURVE on the enrich link", "key_file=%s reason=\"%s\"",
                    cfg->enrich_curve_secret,
                    zmq_has("curve") ? "no 40-character Z85 secret key in the file"
                                     : "libzmq built without CURVE");
            return TLX_EINVAL;
        }
        if (tlx_zap_enable(e->zctx, &e->zap, TLX_ZAP_ENRICH, cfg->enrich_curve_allow, err, sizeof err)) {
            tlx_log(TLX_LOG_ERROR, "cannot enable CURVE on the enrich link", "reason=\"%s\"", err);
            return TLX_EINVAL;
        }
        int one = 1;
        zmq_setsockopt(e->back, ZMQ_CURVE_SERVER, &one, sizeof one);
        zmq_setsockopt(e->back, ZMQ_CURVE_SECRETKEY, secret, 40);
        zmq_setsockopt(e->back, ZMQ_ZAP_DOMAIN, TLX_ZAP_ENRICH, strlen(TLX_ZAP_ENRICH));
        tlx_log(TLX_LOG_INFO, "CURVE enabled on the enrich link", "allow_list=%s", cfg->enrich_curve_allow);
    }
    if (zmq_bind(e->back, cfg->enrich_listen) != 0) {
        tlx_log(TLX_LOG_ERROR, "cannot listen for enrich workers", "endpoint=%s error=\"%s\"",
                cfg->enrich_listen, zmq_strerror(zmq_errno()));
        return TLX_ESOCKET;
    }
    tlx_log(TLX_LOG_INFO, "listening for enrich workers", "endpoint=%s", cfg->enrich_listen);
    return 0;
}

/* Encodes m and sends it to worker wid. */
static int s_send(tlx_engine_t *e, const uint8_t *wid, size_t wl, const tlx_elink_msg_t *m, int flags)
{
    tlx_elink_out_t out;
    if (tlx_elink_encode(m, &out))
        return TLX_EINVAL;
    if (zmq_send(e->back, wid, wl, ZMQ_SNDMORE | flags) < 0)
        return TLX_ESOCKET;
    for (int i = 0; i < out.f.n; i++)
        if (zmq_send(e->back, out.f.p[i], out.f.len[i], (i + 1 < out.f.n ? ZMQ_SNDMORE : 0) | flags) < 0)
            return TLX_ESOCKET;
    return 0;
}

static void s_send_control(tlx_engine_t *e, const uint8_t *wid, size_t wl, tlx_elink_type_t type, int flags)
{
    tlx_elink_msg_t m = {.type = type};
    s_send(e, wid, wl, &m, flags);
}

/* A decoded result: hand the credit back, take the article out of flight. */
static void s_result(tlx_engine_t *e, int w, const tlx_elink_msg_t *m, zmq_msg_t *parts, tlx_link_res_t *r,
                     int *is_result)
{
    r->inbox = m->inbox;
    r->ok = m->ok;
    r->attempts = 0;
    r->prechecked = 0;
    tlx_dispatch_done_t done;
    if (!tlx_dispatch_result(e->disp, w, r->inbox, m->token, &done))
        return;
    *is_result = 1;
    r->attempts = done.attempts;
    r->id = done.id;
    memcpy(r->source, done.source, sizeof r->source);
    zmq_msg_init(&r->rec);
    zmq_msg_init(&r->terms);
    tlx_enricher_hints_from_wire(m, &r->hints, r->lines);
    if (r->hints.terms) { /* keep the frame the terms point into */
        zmq_msg_move(&r->terms, &parts[3]);
        r->hints.terms = zmq_msg_data(&r->terms);
    }
    if (r->ok)
        zmq_msg_move(&r->rec, &parts[1]);
    else {
        snprintf(r->stage, sizeof r->stage, "%.*s", (int)m->stage.len, m->stage.p ? m->stage.p : "");
        snprintf(r->reason, sizeof r->reason, "%.*s", (int)m->reason.len, m->reason.p ? m->reason.p : "");
    }
}

/* One decoded message from worker w (-1: unknown) with routing id wid. */
static void s_handle(tlx_engine_t *e, const uint8_t *wid, size_t wl, int w, int bad, const tlx_elink_msg_t *m,
                     zmq_msg_t *parts, tlx_link_res_t *r, int *is_result)
{
    if (!bad && m->type == TLX_ELINK_HELLO && !(m->flags & TLX_ELINK_TOKENS)) {
        /* an older worker: it would ignore our jobs and hold them forever */
        tlx_log(TLX_LOG_ERROR, "refused an enrich worker: it speaks an older enrich link protocol",
                "advice=\"run the same telex version on store and enrich processes\"");
    } else if (!bad && m->type == TLX_ELINK_HELLO) {
        int joined, hb = (m->flags & TLX_ELINK_HEARTBEATS) != 0;
        tlx_dispatch_hello(e->disp, wid, wl, m->credit, hb, tlx_mono_ms(), &joined);
        if (joined && hb)
            tlx_log(TLX_LOG_INFO, "remote enrich worker joined", "credit=%u workers=%d", (unsigned)m->credit,
                    tlx_dispatch_nworkers(e->disp));
    } else if (w < 0 && (bad || m->type != TLX_ELINK_RESULT)) {
        /* not a worker we know (we restarted, or expired it): ask it to start over */
        s_send_control(e, wid, wl, TLX_ELINK_WHO, ZMQ_DONTWAIT);
    } else if (!bad && m->type == TLX_ELINK_LEAVE) {
        tlx_dispatch_remove(e->disp, w, 1);
    } else if (!bad && m->type == TLX_ELINK_RESULT) {
        if (w <
            0) /* a worker declared dead: it starts over; its result is not taken (its job went out again) */
            s_send_control(e, wid, wl, TLX_ELINK_WHO, ZMQ_DONTWAIT);
        s_result(e, w, m, parts, r, is_result);
    }
}

int tlx_link_read(tlx_engine_t *e, tlx_link_res_t *r, int *is_result)
{
    *is_result = 0;
    uint8_t wid[256];
    int wl = zmq_recv(e->back, wid, sizeof wid, ZMQ_DONTWAIT);
    if (wl < 0)
        return zmq_errno() == EAGAIN ? TLX_EAGAIN : TLX_ESOCKET;
    if (wl > (int)sizeof wid)
        wl = (int)sizeof wid;
    zmq_msg_t parts[TLX_ELINK_FRAMES_MAX];
    tlx_elink_frames_t fr = {.n = 0};
    int more = 1;
    for (int i = 0; i < TLX_ELINK_FRAMES_MAX; i++)
        zmq_msg_init(&parts[i]);
    while (more) { /* frames past the fifth overwrite the last one: the count makes it malformed */
        zmq_msg_t *m = &parts[fr.n < TLX_ELINK_FRAMES_MAX ? fr.n : TLX_ELINK_FRAMES_MAX - 1];
        if (zmq_msg_recv(m, e->back, 0) < 0)
            break;
        more = zmq_msg_more(m);
        fr.n++;
    }
    for (int i = 0; i < TLX_ELINK_FRAMES_MAX; i++) {
        fr.p[i] = zmq_msg_data(&parts[i]);
        fr.len[i] = zmq_msg_size(&parts[i]);
    }
    tlx_elink_msg_t m;
    int bad = tlx_elink_decode(&fr, 0, &m);
    int w = tlx_dispatch_find(e->disp, wid, (size_t)wl);
    if (w >= 0)
        tlx_dispatch_seen(e->disp, w, tlx_mono_ms());
    s_handle(e, wid, (size_t)wl, w, bad, &m, parts, r, is_result);
    for (int i = 0; i < TLX_ELINK_FRAMES_MAX; i++)
        zmq_msg_close(&parts[i]);
    return 0;
}

int tlx_link_read_results(tlx_engine_t *e, int heavy_max)
{
    size_t bytes = 0;
    int heavy = 0, from = e->nres;
    for (int i = 0; i < e->nres; i++) { /* carried over from a turn that could not commit, or read before */
        heavy += e->res[i].hints.has_fp;
        bytes += zmq_msg_size(&e->res[i].rec);
    }
    while (e->nres < TLX_RES_MAX && heavy < heavy_max && bytes < TLX_TURN_BYTES_MAX) {
        int is_result;
        if (tlx_link_read(e, &e->res[e->nres], &is_result) < 0)
            break;
        if (is_result) {
            heavy += e->res[e->nres].hints.has_fp;
            bytes += zmq_msg_size(&e->res[e->nres++].rec);
        }
    }
    return e->nres - from;
}

void tlx_link_heartbeat(tlx_engine_t *e)
{
    const uint64_t hb = (uint64_t)(e->cfg->heartbeat_ms > 0 ? e->cfg->heartbeat_ms : 1000);
    uint64_t now = tlx_mono_ms();
    if (now - e->last_hb < hb)
        return;
    e->last_hb = now;
    tlx_dispatch_expire(e->disp, now > 5 * hb ? now - 5 * hb : 0);
    for (int w = 0; w < tlx_dispatch_nworkers(e->disp); w++) {
        const tlx_dispatch_worker_t *k = tlx_dispatch_worker(e->disp, w);
        if (k->hb)
            s_send_control(e, k->id, k->id_len, TLX_ELINK_BEAT, ZMQ_DONTWAIT);
    }
}

void tlx_link_stop_worker(tlx_engine_t *e, int w, int wait)
{
    const tlx_dispatch_worker_t *k = tlx_dispatch_worker(e->disp, w);
    s_send_control(e, k->id, k->id_len, TLX_ELINK_STOP, wait ? 0 : ZMQ_DONTWAIT);
}

/* ZeroMQ's free function for a job frame made from the store's copy. */
static void s_free_copy(void *data, void *hint)
{
    (void)data;
    free(hint);
}

int tlx_link_send_job(void *ctx, const uint8_t *wid, size_t wid_len, uint64_t inbox, uint64_t token,
                      const tlx_inbox_entry_t *en, tlx_dispatch_held_t *held)
{
    tlx_engine_t *e = ctx;
    tlx_elink_msg_t m = {.type = TLX_ELINK_JOB,
                         .inbox = inbox,
                         .token = token,
                         .revision = en->revision,
                         .received_at = en->received_at,
                         .id = {en->id, en->id_len},
                         .env = {en->env, en->env_len}};
    if (!held->msg && !held->copy)
        return s_send(e, wid, wid_len, &m, 0);
    /* The envelope, the job's last frame, is not copied: the front's frame
       is shared (ZeroMQ counts its references across threads), or the
       store's copy becomes the frame and is freed when it has been read. */
    tlx_elink_out_t out;
    if (tlx_elink_encode(&m, &out))
        return TLX_EINVAL;
    zmq_msg_t env;
    if (held->msg) {
        zmq_msg_init(&env);
        if (zmq_msg_copy(&env, held->msg) != 0)
            return TLX_ESOCKET;
    } else {
        if (zmq_msg_init_data(&env, (void *)en->env, en->env_len, s_free_copy, held->copy) != 0)
            return TLX_ENOMEM;
        held->copy = NULL; /* ZeroMQ's now, even when the send fails (the close frees it) */
    }
    int rc = zmq_send(e->back, wid, wid_len, ZMQ_SNDMORE) < 0 ? TLX_ESOCKET : 0;
    for (int i = 0; rc == 0 && i + 1 < out.f.n; i++)
        if (zmq_send(e->back, out.f.p[i], out.f.len[i], ZMQ_SNDMORE) < 0)
            rc = TLX_ESOCKET;
    if (rc == 0 && zmq_msg_send(&env, e->back, 0) < 0)
        rc = TLX_ESOCKET;
    if (rc)
        zmq_msg_close(&env);
    return rc;
}
