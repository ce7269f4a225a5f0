/*  tlx_link.c -- the back ROUTER of the enrich link (see tlx_link.h).

    A ROUTER drops what it cannot queue, so its send high-water mark holds
    a worker's whole credit plus control messages.  Anything from a worker
    the dispatcher does not know (it expired, or we restarted) is answered
    "W" so the worker reconnects with a fresh hello; a result from such a
    worker is still used when its article is out again (the commit removes
    the inbox entry, so the other copy's result is then ignored).
*/
#include "tlx_link.h"

#include <stdio.h>
#include <string.h>

#include "tlx_clock.h"
#include "tlx_endian.h"
#include "tlx_enricher.h"
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
    if (zmq_bind(e->back, cfg->enrich_listen) != 0) {
        tlx_log(TLX_LOG_ERROR, "cannot listen for enrich workers", "endpoint=%s error=\"%s\"",
                cfg->enrich_listen, zmq_strerror(zmq_errno()));
        return TLX_ESOCKET;
    }
    tlx_log(TLX_LOG_INFO, "listening for enrich workers", "endpoint=%s", cfg->enrich_listen);
    return 0;
}

static void s_send_control(tlx_engine_t *e, const uint8_t *wid, size_t wl, const char *what)
{
    zmq_send(e->back, wid, wl, ZMQ_SNDMORE | ZMQ_DONTWAIT);
    zmq_send(e->back, what, 1, ZMQ_DONTWAIT);
}

/* A result's frames: inbox(u64) status | record or stage | hints or reason [| terms [| lines]]. */
static void s_result(tlx_engine_t *e, int w, zmq_msg_t *parts, int n, tlx_link_res_t *r, int *is_result)
{
    const uint8_t *t = zmq_msg_data(&parts[0]);
    r->inbox = tlx_get_le(t + 1, 8);
    r->ok = t[9] == 0 && n >= 2 && n <= 5;
    if (!r->ok || n < 3 ||
        tlx_enricher_hints_decode(zmq_msg_data(&parts[2]), zmq_msg_size(&parts[2]), &r->hints))
        memset(&r->hints, 0, sizeof r->hints);
    r->attempts = 0;
    tlx_dispatch_done_t done;
    if (!tlx_dispatch_result(e->disp, w, r->inbox, &done))
        return;
    *is_result = 1;
    r->attempts = done.attempts;
    r->id = done.id;
    memcpy(r->source, done.source, sizeof r->source);
    zmq_msg_init(&r->rec);
    zmq_msg_init(&r->terms);
    if (r->ok && n == 5 && r->hints.has_fp &&
        tlx_enricher_lines_decode(zmq_msg_data(&parts[4]), zmq_msg_size(&parts[4]), r->lines,
                                  &r->hints.nline_keys) == 0)
        r->hints.line_keys = r->lines;
    if (r->ok && n >= 4 && r->hints.has_fp && zmq_msg_size(&parts[3])) {
        zmq_msg_move(&r->terms, &parts[3]);
        r->hints.terms = zmq_msg_data(&r->terms);
        r->hints.terms_len = zmq_msg_size(&r->terms);
    }
    if (r->ok)
        zmq_msg_move(&r->rec, &parts[1]);
    else {
        snprintf(r->stage, sizeof r->stage, "%.*s", n > 1 ? (int)zmq_msg_size(&parts[1]) : 0,
                 n > 1 ? (const char *)zmq_msg_data(&parts[1]) : "");
        snprintf(r->reason, sizeof r->reason, "%.*s", n > 2 ? (int)zmq_msg_size(&parts[2]) : 0,
                 n > 2 ? (const char *)zmq_msg_data(&parts[2]) : "");
    }
}

int tlx_link_read(tlx_engine_t *e, tlx_link_res_t *r, int *is_result)
{
    *is_result = 0;
    uint8_t wid[256];
    int wl = zmq_recv(e->back, wid, sizeof wid, ZMQ_DONTWAIT);
    if (wl < 0)
        return -1;
    if (wl > (int)sizeof wid)
        wl = (int)sizeof wid;
    zmq_msg_t parts[5];
    int n = 0, more = 1;
    for (int i = 0; i < 5; i++)
        zmq_msg_init(&parts[i]);
    while (more) {
        zmq_msg_t *m = &parts[n < 5 ? n : 4];
        if (zmq_msg_recv(m, e->back, 0) < 0)
            break;
        more = zmq_msg_more(m);
        n++;
    }
    const uint8_t *t = zmq_msg_data(&parts[0]);
    size_t tl = zmq_msg_size(&parts[0]);
    int w = tlx_dispatch_find(e->disp, wid, (size_t)wl);
    uint64_t now = tlx_mono_ms();
    if (w >= 0)
        tlx_dispatch_seen(e->disp, w, now);
    if ((tl == 5 || tl == 6) && t[0] == 'H') {
        int joined, hb = tl == 6 && (t[5] & 1);
        uint32_t credit = (uint32_t)tlx_get_le(t + 1, 4);
        w = tlx_dispatch_hello(e->disp, wid, (size_t)wl, credit, hb, now, &joined);
        if (joined && hb)
            tlx_log(TLX_LOG_INFO, "remote enrich worker joined", "credit=%u workers=%d", (unsigned)credit,
                    tlx_dispatch_nworkers(e->disp));
    } else if (w < 0 && !(tl == 10 && t[0] == 'R')) {
        /* not a worker we know (we restarted, or expired it): ask it to start over */
        s_send_control(e, wid, (size_t)wl, "W");
    } else if (tl == 1 && t[0] == 'D') {
        tlx_dispatch_remove(e->disp, w, 1);
    } else if (tl == 10 && t[0] == 'R') {
        if (w < 0) /* a late result from a worker declared dead: use it if its article is out again */
            s_send_control(e, wid, (size_t)wl, "W");
        s_result(e, w, parts, n, r, is_result);
    }
    for (int i = 0; i < 5; i++)
        zmq_msg_close(&parts[i]);
    return 0;
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
            s_send_control(e, k->id, k->id_len, "B");
    }
}

void tlx_link_stop_worker(tlx_engine_t *e, int w, int wait)
{
    const tlx_dispatch_worker_t *k = tlx_dispatch_worker(e->disp, w);
    zmq_send(e->back, k->id, k->id_len, ZMQ_SNDMORE | (wait ? 0 : ZMQ_DONTWAIT));
    zmq_send(e->back, "X", 1, wait ? 0 : ZMQ_DONTWAIT);
}

int tlx_link_send_job(void *ctx, const uint8_t *wid, size_t wid_len, uint64_t inbox,
                      const tlx_inbox_entry_t *en)
{
    tlx_engine_t *e = ctx;
    uint8_t hdr[21] = {'J'};
    tlx_put_le(hdr + 1, inbox, 8);
    tlx_put_le(hdr + 9, en->revision, 4);
    tlx_put_le(hdr + 13, en->received_at, 8);
    if (zmq_send(e->back, wid, wid_len, ZMQ_SNDMORE) < 0 ||
        zmq_send(e->back, hdr, sizeof hdr, ZMQ_SNDMORE) < 0 ||
        zmq_send(e->back, en->id, en->id_len, ZMQ_SNDMORE) < 0 ||
        zmq_send(e->back, en->env, en->env_len, 0) < 0)
        return TLX_ESOCKET;
    return 0;
}
