/*  tlx_daemon.c -- telexd's engine (see tlx_daemon.h).

    Why the front and the writer share one thread: an `accepted` ack may
    only leave after the inbox commit, so a separate front thread would
    just hand every envelope to the writer and wait for it to come back --
    two inproc hops per message and a second queue to bound, for nothing.
    One thread that drains the sockets, commits once and then answers gives
    group commit for free: while one fsync runs, the next batch piles up in
    the socket buffers.  LMDB wants exactly one writer thread anyway.

    Each turn:
      1. poll front (envelopes) and back (enrich results / hellos);
      2. read what is readable, at most BATCH_MAX envelopes and RES_MAX results (and 16 MiB of each);
      3. apply() everything in one write txn: results -> records, failures
         -> retry or dead letters, queued articles -> attempt counters, new
         envelopes -> dedup + inbox (or rejects);
      4. commit (on MDB_MAP_FULL: abort, grow the map, replay 3 from the
         same inputs -- apply() is a pure function of inputs and store);
      5. after the commit: acks, "committed" notifications, jobs.
    An article's attempt counter is incremented in the same commit that
    precedes its dispatch, so a crash while it is in flight is counted and
    a poison article reaches the dead letters after K crashes.

    Rejected: PUSH/PULL to workers (loses what is queued in a dead worker),
    a dispatch queue holding envelopes (RSS would grow with the backlog;
    the inbox is the queue, memory holds only inbox seqs, capped).
*/
#include "tlx_daemon.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include <systemd/sd-daemon.h>

#include "tlx_clock.h"
#include "tlx_config.h"
#include "tlx_enricher.h"
#include "tlx_endian.h"
#include "tlx_http.h"
#include "tlx_log.h"
#include "tlx_metrics.h"
#include "tlx_mp.h"
#include "tlx_store.h"
#include "tlx_text.h"
#include "tlx_zap.h"

#define BATCH_MAX 256
/* Results per turn.  Every page a write txn changes is a malloc'd copy, and
   LMDB keeps those buffers for reuse until the store closes (me_dpages):
   telexd's heap stays as large as its largest txn ever was.  A result
   updates ~50 random index leaves, a sampled one ~500 more (DF terms), so
   64 results keep a txn to a few thousand pages (~10-25 MB) where 512 could
   reach 100+ MB.  One fsync still covers 64 articles. */
#define RES_MAX 64
#define TURN_BYTES_MAX ((size_t)16 << 20) /* envelopes or results read per turn */
#define PENDING_CAP 100000 /* inbox seqs kept in memory; the rest stay on disk */
#define MAX_WORKERS 256
#define TLX_CREDIT_MAX 1024 /* jobs one worker may hold (its hello), PROTOCOL.md §5 */
#define DISP_MAX (BATCH_MAX * 4) /* queued articles dispatched or dead-lettered per turn */
#define GROW_TRIES 48

typedef struct {
    uint8_t rid[256];
    size_t rid_len;
    int delim; /* a REQ peer: echo the empty delimiter frame */
    zmq_msg_t msg;
    tlx_envelope_t env;
    tlx_reject_t reason;
    char detail[256];
    /* outputs of apply() */
    tlx_ack_status_t status;
    int dispatch; /* accepted with attempts = 1, goes out after the commit */
    tlx_accept_out_t out;
} in_t;

typedef enum { R_STORED, R_REQUEUE, R_DEAD, R_IGNORED } res_outcome_t;

typedef struct {
    uint64_t inbox;
    int ok;
    zmq_msg_t rec;
    zmq_msg_t terms;
    tlx_commit_hints_t hints;
    uint64_t lines[TLX_BOILER_CANDIDATES_MAX]; /* hints.line_keys points here */
    char stage[64], reason[256];
    uint32_t attempts;
    char *id; /* taken over from the in-flight entry */
    char source[64];
    /* outputs */
    res_outcome_t outcome;
    uint64_t seq;
} res_t;

typedef struct {
    uint64_t seq;
    uint32_t attempts;
    int suspect; /* found in the inbox already attempted: it may be what killed us */
} pend_t;

typedef struct {
    uint8_t id[256];
    size_t id_len;
    int credit;         /* jobs it can take now */
    int max_credit;     /* what its hello announced */
    int hb;             /* remote: sends heartbeats, expires when silent */
    int retired;        /* local thread being stopped (threads lowered on reload) */
    uint64_t last_seen; /* monotonic ms of its last message */
} worker_t;

typedef struct {
    uint64_t seq;
    uint32_t attempts;
    int w;
    char *id; /* malloc'd; for the "committed" notification */
    int suspect;
    uint64_t sent_ns; /* dispatch time, for the pipeline latency histogram */
    char source[64];  /* for the per-source metrics */
} inflight_t;

typedef struct {
    const tlx_daemon_cfg_t *cfg; /* == &cfgv */
    tlx_daemon_cfg_t cfgv;       /* the running configuration (reload changes the live options) */
    tlx_metrics_t *m;
    tlx_http_t *http;
    tlx_sources_slot_t sources;
    uint64_t last_hb;            /* heartbeats sent to remote workers */
    tlx_store_t *store;
    void *zctx, *front, *back, *pub;
    char back_ep[128];

    in_t *in;
    int nin;
    res_t *res; /* carried-over results first, then this turn's */
    int nres;
    /* dispatch queue: ring of inbox seqs not yet in flight */
    pend_t *pend;
    size_t pend_head, pend_len, pend_cap;
    uint64_t overflow_after; /* when non-zero: inbox entries > this are not in memory yet */
    worker_t workers[MAX_WORKERS];
    int nworkers;
    inflight_t *inflight;
    int ninflight, inflight_cap;
    /* outputs of apply() for queued articles */
    pend_t *disp;
    int ndisp;
    size_t pend_used; /* how many pending entries apply() consumed */
    uint64_t *dead_pend;
    int ndead_pend;
    int draining;
    int suspects_inflight;
    uint64_t disk_full_since;
    int rescan; /* reload the dispatch queue from the inbox (a scan or an allocation failed) */
    uint64_t replay_gen; /* meta "replay_gen": bumped by `telex dead --replay` */
    tlx_dfsnap_slot_t df; /* document frequencies for the keyword stage */
    tlx_boilsnap_slot_t boil; /* learned boilerplate lines for the structure stage */
    tlx_zap_t *zap;       /* CURVE client authentication, when enabled */

} daemon_t;

void tlx_daemon_cfg_default(tlx_daemon_cfg_t *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    const char *s = getenv("TELEX_STORE");
    snprintf(cfg->store, sizeof cfg->store, "%s", s && *s ? s : "./telex-data");
    cfg->credit = 16;
    cfg->max_attempts = 3;
    cfg->drain_ms = 10000;
    cfg->hwm = 1000;
    cfg->reader_check_ms = 60000;
    cfg->map_size = (size_t)1 << 30;
    cfg->map_resident_max = (size_t)24 << 20;
    cfg->heartbeat_ms = 1000;
    snprintf(cfg->http, sizeof cfg->http, "127.0.0.1:9464");
    cfg->log_level = TLX_LOG_INFO;
    cfg->log_burst = 20;
    tlx_limits_default(&cfg->limits);
}

/* ---- dispatch queue ------------------------------------------------------ */

/* Queues an inbox seq for dispatch.  New articles past PENDING_CAP stay on
   disk only (the refill scan finds everything after overflow_after).  An
   article coming back (a retry, a dead or departed worker) is older than
   anything the refill would find, so `force` keeps it in memory past the
   cap -- such articles are bounded by what was in flight. */
static int s_pend_push_ex(daemon_t *d, uint64_t seq, uint32_t attempts, int suspect, int force)
{
    if (!force && d->overflow_after) /* on disk only; the refill scan will find it */
        return 0;
    if (!force && d->pend_len >= PENDING_CAP) {
        d->overflow_after = seq - 1;
        return 0;
    }
    if (d->pend_len == d->pend_cap) {
        size_t cap = d->pend_cap ? d->pend_cap * 2 : 1024;
        pend_t *p = malloc(cap * sizeof *p);
        if (!p) {
            if (force)
                d->rescan = 1; /* the inbox is the truth: rescan it when memory allows */
            else
                d->overflow_after = seq - 1; /* degrade to disk, never lose */
            return 0;
        }
        for (size_t i = 0; i < d->pend_len; i++)
            p[i] = d->pend[(d->pend_head + i) % d->pend_cap];
        free(d->pend);
        d->pend = p;
        d->pend_cap = cap;
        d->pend_head = 0;
    }
    d->pend[(d->pend_head + d->pend_len) % d->pend_cap] = (pend_t){seq, attempts, suspect};
    d->pend_len++;
    return 0;
}

static int s_pend_push(daemon_t *d, uint64_t seq, uint32_t attempts, int suspect)
{
    return s_pend_push_ex(d, seq, attempts, suspect, 0);
}

static pend_t *s_pend_at(daemon_t *d, size_t i)
{
    return &d->pend[(d->pend_head + i) % d->pend_cap];
}

static void s_pend_pop(daemon_t *d, size_t n)
{
    d->pend_head = d->pend_cap ? (d->pend_head + n) % d->pend_cap : 0;
    d->pend_len -= n;
}

static int s_inflight_has(daemon_t *d, uint64_t seq)
{
    for (int i = 0; i < d->ninflight; i++)
        if (d->inflight[i].seq == seq)
            return 1;
    return 0;
}

typedef struct {
    daemon_t *d;
    uint64_t last;
} scan_ctx_t;

static int s_scan_cb(void *ctx, const tlx_inbox_entry_t *e)
{
    scan_ctx_t *sc = ctx;
    daemon_t *d = sc->d;
    sc->last = e->inbox_seq;
    if (s_inflight_has(d, e->inbox_seq))
        return 0;
    if (d->pend_len >= PENDING_CAP) {
        d->overflow_after = e->inbox_seq - 1;
        return 1;
    }
    uint64_t saved = d->overflow_after;
    d->overflow_after = 0;
    s_pend_push(d, e->inbox_seq, e->attempts, e->attempts > 0);
    if (d->overflow_after)
        return 1; /* allocation failed: stop here */
    d->overflow_after = saved;
    return 0;
}

/* Loads inbox entries after `after` into the dispatch queue. */
static void s_refill(daemon_t *d, uint64_t after)
{
    scan_ctx_t sc = {d, after};
    uint64_t saved = d->overflow_after;
    d->overflow_after = 0;
    int stopped = tlx_store_inbox_scan(d->store, after, s_scan_cb, &sc);
    if (stopped < 0) { /* e.g. reader slots full: what is on disk only must not be forgotten */
        d->overflow_after = saved;
        d->rescan = 1;
        tlx_log(TLX_LOG_WARN, "inbox scan failed; will rescan", "error=\"%s\"", tlx_strerror(stopped));
    } else if (stopped == 1 && !d->overflow_after)
        d->overflow_after = sc.last - 1;
}

/* ---- sockets ------------------------------------------------------------- */

static int s_credit_total(daemon_t *d)
{
    int c = 0;
    for (int i = 0; i < d->nworkers; i++)
        c += d->workers[i].credit;
    return c;
}

static int s_worker_find(daemon_t *d, const uint8_t *id, size_t len)
{
    for (int i = 0; i < d->nworkers; i++)
        if (d->workers[i].id_len == len && memcmp(d->workers[i].id, id, len) == 0)
            return i;
    return -1;
}

static void s_send_ack(daemon_t *d, in_t *m)
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
    tlx_buf_t b = TLX_BUF_INIT;
    if (tlx_ack_encode(&ack, &b) == 0) {
        zmq_send(d->front, m->rid, m->rid_len, ZMQ_SNDMORE | ZMQ_DONTWAIT);
        if (m->delim)
            zmq_send(d->front, "", 0, ZMQ_SNDMORE | ZMQ_DONTWAIT);
        zmq_send(d->front, b.data, b.len, ZMQ_DONTWAIT);
    }
    tlx_buf_free(&b);
}

/* Reads one envelope (all frames of one message) from the front. */
static int s_read_front(daemon_t *d, in_t *m)
{
    int rc = zmq_recv(d->front, m->rid, sizeof m->rid, ZMQ_DONTWAIT);
    if (rc < 0)
        return -1;
    m->rid_len = (size_t)(rc > (int)sizeof m->rid ? (int)sizeof m->rid : rc);
    m->delim = 0;
    zmq_msg_init(&m->msg);
    int more = 1, frames = 0;
    while (more) {
        zmq_msg_close(&m->msg);
        zmq_msg_init(&m->msg);
        if (zmq_msg_recv(&m->msg, d->front, 0) < 0)
            return -1;
        more = zmq_msg_more(&m->msg);
        if (frames++ == 0 && more && zmq_msg_size(&m->msg) == 0)
            m->delim = 1;
    }
    tlx_metrics_add(d->m, TLX_M_RECEIVED, 1);
    m->reason = TLX_REJ_NONE;
    m->dispatch = 0;
    if (tlx_envelope_decode(zmq_msg_data(&m->msg), zmq_msg_size(&m->msg), &d->cfg->limits, &m->env, &m->reason,
                            m->detail, sizeof m->detail) != 0) {
        /* seq may still be recoverable for the ack: best effort */
        m->env.seq = 0;
    } else
        tlx_metrics_source(d->m, m->env.source.p, m->env.source.len, 0);
    return 0;
}


/* A worker is gone (expired, said "D", or retired): forget it and put its
   articles back in the queue.  `give_back`: it left cleanly, so the try
   does not count against the articles. */
static void s_worker_remove(daemon_t *d, int w, int give_back)
{
    int n = 0;
    for (int i = 0; i < d->ninflight;) {
        inflight_t *f = &d->inflight[i];
        if (f->w != w) {
            i++;
            continue;
        }
        uint32_t att = give_back && f->attempts ? f->attempts - 1 : f->attempts;
        d->suspects_inflight -= f->suspect;
        s_pend_push_ex(d, f->seq, att, 0, 1);
        free(f->id);
        d->inflight[i] = d->inflight[--d->ninflight];
        n++;
    }
    /* move the last worker into slot w; its in-flight entries follow */
    int last = --d->nworkers;
    if (w != last) {
        d->workers[w] = d->workers[last];
        for (int i = 0; i < d->ninflight; i++)
            if (d->inflight[i].w == last)
                d->inflight[i].w = w;
    }
    tlx_metrics_add(d->m, TLX_M_REDISPATCHED, (uint64_t)n);
    tlx_metrics_set(d->m, TLX_G_WORKERS, (uint64_t)d->nworkers);
    if (n)
        tlx_log(TLX_LOG_WARN, give_back ? "enrich worker left; re-dispatching" : "enrich worker lost; re-dispatching",
                "articles=%d workers=%d", n, d->nworkers);
    else
        tlx_log(TLX_LOG_INFO, give_back ? "enrich worker left" : "enrich worker lost", "workers=%d", d->nworkers);
}

/* Reads one message from the back socket: hello, heartbeat, leave, result. */
static int s_read_back(daemon_t *d, res_t *r, int *is_result)
{
    *is_result = 0;
    uint8_t wid[256];
    int wl = zmq_recv(d->back, wid, sizeof wid, ZMQ_DONTWAIT);
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
        if (zmq_msg_recv(m, d->back, 0) < 0)
            break;
        more = zmq_msg_more(m);
        n++;
    }
    const uint8_t *t = zmq_msg_data(&parts[0]);
    size_t tl = zmq_msg_size(&parts[0]);
    int w = s_worker_find(d, wid, (size_t)wl);
    uint64_t now = tlx_mono_ms();
    if (w >= 0)
        d->workers[w].last_seen = now;
    if ((tl == 5 || tl == 6) && t[0] == 'H') {
        if (w < 0 && d->nworkers < MAX_WORKERS) {
            w = d->nworkers++;
            memset(&d->workers[w], 0, sizeof d->workers[w]);
            memcpy(d->workers[w].id, wid, (size_t)wl);
            d->workers[w].id_len = (size_t)wl;
            d->workers[w].last_seen = now;
            tlx_metrics_set(d->m, TLX_G_WORKERS, (uint64_t)d->nworkers);
            if (tl == 6 && (t[5] & 1))
                tlx_log(TLX_LOG_INFO, "remote enrich worker joined", "credit=%u workers=%d",
                        (unsigned)tlx_get_le(t + 1, 4), d->nworkers);
        }
        if (w >= 0) {
            int c = (int)tlx_get_le(t + 1, 4);
            c = c < 1 ? 1 : c > TLX_CREDIT_MAX ? TLX_CREDIT_MAX : c;
            d->workers[w].credit = d->workers[w].max_credit = c;
            d->workers[w].hb = tl == 6 && (t[5] & 1);
        }
    } else if (w < 0 && !(tl == 10 && t[0] == 'R')) {
        /* not a worker we know (we restarted, or expired it): ask it to start over */
        zmq_send(d->back, wid, (size_t)wl, ZMQ_SNDMORE | ZMQ_DONTWAIT);
        zmq_send(d->back, "W", 1, ZMQ_DONTWAIT);
    } else if (tl == 1 && t[0] == 'D') {
        s_worker_remove(d, w, 1);
    } else if (tl == 10 && t[0] == 'R') {
        r->inbox = tlx_get_le(t + 1, 8);
        r->ok = t[9] == 0 && n >= 2 && n <= 5;
        if (!r->ok || n < 3 || tlx_enricher_hints_decode(zmq_msg_data(&parts[2]), zmq_msg_size(&parts[2]), &r->hints))
            memset(&r->hints, 0, sizeof r->hints);
        r->attempts = 0;
        if (w >= 0 && !d->workers[w].retired && d->workers[w].credit < d->workers[w].max_credit)
            d->workers[w].credit++; /* whichever job it was, the worker has room for one more */
        if (w < 0) { /* a late result from a worker declared dead: use it if its article is out again */
            zmq_send(d->back, wid, (size_t)wl, ZMQ_SNDMORE | ZMQ_DONTWAIT);
            zmq_send(d->back, "W", 1, ZMQ_DONTWAIT);
        }
        for (int i = 0; i < d->ninflight; i++)
            if (d->inflight[i].seq == r->inbox) {
                inflight_t *f = &d->inflight[i];
                r->attempts = f->attempts;
                r->id = f->id;
                snprintf(r->source, sizeof r->source, "%s", f->source);
                tlx_metrics_observe(d->m, TLX_H_PIPELINE, (double)(tlx_mono_ns() - f->sent_ns) / 1e9);
                d->suspects_inflight -= f->suspect;
                d->inflight[i] = d->inflight[--d->ninflight];
                *is_result = 1;
                break;
            }
        if (*is_result) {
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
    }
    for (int i = 0; i < 5; i++)
        zmq_msg_close(&parts[i]);
    return 0;
}

/* Heartbeats to remote workers; expiry of the silent ones. */
static void s_heartbeat(daemon_t *d)
{
    const uint64_t hb = (uint64_t)(d->cfg->heartbeat_ms > 0 ? d->cfg->heartbeat_ms : 1000);
    uint64_t now = tlx_mono_ms();
    if (now - d->last_hb < hb)
        return;
    d->last_hb = now;
    for (int w = 0; w < d->nworkers;) {
        worker_t *k = &d->workers[w];
        if (!k->hb) {
            w++;
            continue;
        }
        if (now - k->last_seen > 5 * hb) {
            s_worker_remove(d, w, 0); /* slot w now holds another worker: look again */
            continue;
        }
        zmq_send(d->back, k->id, k->id_len, ZMQ_SNDMORE | ZMQ_DONTWAIT);
        zmq_send(d->back, "B", 1, ZMQ_DONTWAIT);
        w++;
    }
}

/* ---- the batch ------------------------------------------------------------ */

/* Everything of one turn in the open write txn.  Pure in its inputs: on
   TLX_EFULL the caller aborts, grows and calls it again. */
static int s_apply(daemon_t *d, uint64_t now)
{
    tlx_store_t *st = d->store;
    int rc;
    const int K = d->cfg->max_attempts;

    for (int i = 0; i < d->nres; i++) {
        res_t *r = &d->res[i];
        if (r->ok) {
            rc = tlx_store_commit_record(st, r->inbox, zmq_msg_data(&r->rec), zmq_msg_size(&r->rec), &r->hints,
                                         &r->seq);
            if (rc == TLX_ENOTFOUND) {
                r->outcome = R_IGNORED;
                continue;
            }
            if (rc == TLX_EMALFORMED) {
                snprintf(r->stage, sizeof r->stage, "writer");
                snprintf(r->reason, sizeof r->reason, "the record is not a msgpack map");
                r->ok = 0;
            } else if (rc)
                return rc;
            else {
                r->outcome = R_STORED;
                continue;
            }
        }
        if (r->attempts >= (uint32_t)K) {
            rc = tlx_store_dead(st, r->inbox, r->stage, r->reason, now);
            if (rc == TLX_ENOTFOUND) {
                r->outcome = R_IGNORED;
                continue;
            }
            if (rc)
                return rc;
            r->outcome = R_DEAD;
        } else
            r->outcome = R_REQUEUE;
    }

    int credit = d->draining ? 0 : s_credit_total(d);
    d->ndisp = 0;
    d->ndead_pend = 0;
    d->pend_used = 0;
    if (d->suspects_inflight)
        credit = 0; /* a suspect runs alone: if it kills us, nobody else is blamed */
    /* the rest of the credit (remote workers may announce up to 1024
       each) is used next turn: the loop polls again at once while queued
       articles and credit remain */
    for (size_t i = 0; i < d->pend_len && d->ndisp < credit && d->ndisp < DISP_MAX && d->ndead_pend < DISP_MAX;
         i++) {
        pend_t *p = s_pend_at(d, i);
        if (p->suspect && p->attempts < (uint32_t)K && (d->ndisp > 0 || d->ninflight > 0))
            break; /* wait until nothing else is in flight */
        d->pend_used = i + 1;
        uint32_t att = p->attempts + 1;
        if (att > (uint32_t)K) {
            char why[160];
            snprintf(why, sizeof why, "the worker died while processing it %u times", p->attempts);
            rc = tlx_store_dead(st, p->seq, "pipeline", why, now);
            if (rc && rc != TLX_ENOTFOUND)
                return rc;
            d->dead_pend[d->ndead_pend++] = p->seq;
            continue;
        }
        rc = tlx_store_inbox_set_attempts(st, p->seq, att);
        if (rc == TLX_ENOTFOUND)
            continue;
        if (rc)
            return rc;
        d->disp[d->ndisp++] = (pend_t){p->seq, att, p->suspect};
        if (p->suspect)
            break;
    }
    int free_credit = credit - d->ndisp;
    if (d->pend_used < d->pend_len || d->overflow_after || (d->ndisp && d->disp[d->ndisp - 1].suspect))
        free_credit = 0; /* older articles first */

    for (int i = 0; i < d->nin; i++) {
        in_t *m = &d->in[i];
        if (m->reason != TLX_REJ_NONE) {
            m->status = TLX_ACK_REJECTED;
            rc = tlx_store_reject(st, tlx_reject_name(m->reason), m->detail, zmq_msg_data(&m->msg),
                                  zmq_msg_size(&m->msg), now);
            if (rc)
                return rc;
            continue;
        }
        tlx_accept_in_t a = {
            .producer = m->env.producer.p,
            .producer_len = m->env.producer.len,
            .pseq = m->env.seq,
            .id = m->env.id.p,
            .id_len = m->env.id.len,
            .text = m->env.text.p,
            .text_len = m->env.text.len,
            .raw = zmq_msg_data(&m->msg),
            .raw_len = zmq_msg_size(&m->msg),
            .received_at = m->env.received_at ? m->env.received_at : now,
            .attempts = free_credit > 0 ? 1 : 0,
        };
        rc = tlx_store_accept(st, &a, &m->out);
        if (rc)
            return rc;
        if (m->out.duplicate) {
            m->status = TLX_ACK_DUPLICATE;
            m->dispatch = 0;
        } else {
            m->status = TLX_ACK_ACCEPTED;
            m->dispatch = free_credit > 0;
            if (m->dispatch)
                free_credit--;
        }
    }
    return 0;
}

/* The envelope's "source" (top-level keys only; no full decode on the writer thread). */
static void s_env_source(const void *env, size_t len, char *out, size_t outlen)
{
    tlx_mp_t c;
    uint32_t n;
    out[0] = '\0';
    tlx_mp_init(&c, env, len);
    if (tlx_mp_read_map(&c, &n))
        return;
    for (uint32_t i = 0; i < n && i < 64; i++) {
        const char *k, *v;
        size_t kl, vl;
        if (tlx_mp_read_str(&c, &k, &kl))
            return;
        if (tlx_mp_streq(k, kl, "source")) {
            if (tlx_mp_read_str(&c, &v, &vl) == 0)
                snprintf(out, outlen, "%.*s", (int)(vl < outlen ? vl : outlen - 1), v);
            return;
        }
        if (tlx_mp_skip(&c, 8))
            return;
    }
}

static void s_send_job(daemon_t *d, uint64_t seq, uint32_t attempts, int suspect)
{
    int best = -1;
    for (int i = 0; i < d->nworkers; i++)
        if (d->workers[i].credit > 0 && (best < 0 || d->workers[i].credit > d->workers[best].credit))
            best = i;
    tlx_inbox_entry_t e;
    void *copy = NULL;
    int grc = best < 0 ? 0 : tlx_store_inbox_get(d->store, seq, &e, &copy);
    if (best < 0 || grc != 0) {
        if (grc == TLX_ENOTFOUND) /* gone from the inbox: nothing to do */
            return;
        if (grc)
            tlx_log(TLX_LOG_WARN, "cannot read an inbox entry; requeued", "inbox=%llu error=\"%s\"",
                    (unsigned long long)seq, tlx_strerror(grc));
        s_pend_push_ex(d, seq, attempts, suspect, 1); /* keep it queued (no credit cannot happen) */
        return;
    }
    worker_t *w = &d->workers[best];
    uint8_t hdr[21] = {'J'};
    tlx_put_le(hdr + 1, seq, 8);
    tlx_put_le(hdr + 9, e.revision, 4);
    tlx_put_le(hdr + 13, e.received_at, 8);
    zmq_send(d->back, w->id, w->id_len, ZMQ_SNDMORE);
    zmq_send(d->back, hdr, sizeof hdr, ZMQ_SNDMORE);
    zmq_send(d->back, e.id, e.id_len, ZMQ_SNDMORE);
    zmq_send(d->back, e.env, e.env_len, 0);
    w->credit--;
    if (d->ninflight == d->inflight_cap) {
        int cap = d->inflight_cap ? d->inflight_cap * 2 : 64;
        inflight_t *p = realloc(d->inflight, (size_t)cap * sizeof *p);
        if (!p)
            abort(); /* tiny; cannot continue coherently without it */
        d->inflight = p;
        d->inflight_cap = cap;
    }
    inflight_t *f = &d->inflight[d->ninflight++];
    *f = (inflight_t){seq, attempts, best, strndup(e.id, e.id_len), suspect, tlx_mono_ns(), ""};
    s_env_source(e.env, e.env_len, f->source, sizeof f->source);
    d->suspects_inflight += suspect;
    free(copy);
}

/* Applies and commits the turn's inputs; then answers and dispatches. */
static int s_turn(daemon_t *d)
{
    if (d->nin == 0 && d->nres == 0 && (d->pend_len == 0 || s_credit_total(d) == 0 || d->draining))
        return 0;
    uint64_t now = tlx_now_ms(), t0 = tlx_mono_ns();
    int rc = 0;
    for (int tries = 0; tries < GROW_TRIES; tries++) {
        if ((rc = tlx_store_wbegin(d->store)) == 0 && (rc = s_apply(d, now)) == 0 &&
            (rc = tlx_store_wcommit(d->store)) == 0)
            break;
        tlx_store_wabort(d->store);
        if (rc != TLX_EFULL)
            break;
        int g = tlx_store_grow(d->store);
        tlx_metrics_add(d->m, TLX_M_GROWS, 1);
        tlx_log(TLX_LOG_INFO, "map full, growing", "result=%s", g ? tlx_store_errmsg(d->store) : "ok");
        if (g) {
            rc = TLX_EFULL;
            break;
        }
    }
    if (rc) {
        /* Nothing of this turn is stored.  Producers get `busy` and will
           re-send; results stay in memory and are retried next turn. */
        if (!d->disk_full_since)
            tlx_log(TLX_LOG_ERROR, "store not writable, answering busy", "error=\"%s\" detail=\"%s\"",
                    tlx_strerror(rc), tlx_store_errmsg(d->store));
        d->disk_full_since = d->disk_full_since ? d->disk_full_since : tlx_mono_ms();
        tlx_metrics_set(d->m, TLX_G_DISK_FULL, 1);
        for (int i = 0; i < d->nin; i++) {
            in_t *m = &d->in[i];
            m->status = TLX_ACK_BUSY;
            snprintf(m->detail, sizeof m->detail, "the store cannot take writes right now (%s); retry later",
                     tlx_store_errmsg(d->store)[0] ? tlx_store_errmsg(d->store) : tlx_strerror(rc));
            s_send_ack(d, m);
            zmq_msg_close(&m->msg);
            tlx_metrics_add(d->m, TLX_M_BUSY, 1);
        }
        d->nin = 0;
        return rc;
    }
    if (d->disk_full_since) {
        tlx_log(TLX_LOG_INFO, "store writable again", "after_ms=%llu",
                (unsigned long long)(tlx_mono_ms() - d->disk_full_since));
        d->disk_full_since = 0;
        tlx_metrics_set(d->m, TLX_G_DISK_FULL, 0);
    }
    tlx_metrics_observe(d->m, TLX_H_COMMIT, (double)(tlx_mono_ns() - t0) / 1e9);
    tlx_metrics_add(d->m, TLX_M_COMMITS, 1);

    /* acks */
    for (int i = 0; i < d->nin; i++) {
        in_t *m = &d->in[i];
        if (m->status == TLX_ACK_ACCEPTED)
            tlx_metrics_add(d->m, TLX_M_ACCEPTED, 1);
        else if (m->status == TLX_ACK_DUPLICATE)
            tlx_metrics_add(d->m, TLX_M_DUPLICATE, 1);
        else {
            tlx_metrics_reject(d->m, m->reason);
            tlx_log(TLX_LOG_INFO, "rejected", "reason=%s detail=\"%s\" bytes=%zu", tlx_reject_name(m->reason),
                    m->detail, zmq_msg_size(&m->msg));
        }
        s_send_ack(d, m);
    }
    /* results */
    for (int i = 0; i < d->nres; i++) {
        res_t *r = &d->res[i];
        if (r->outcome == R_STORED) {
            tlx_metrics_add(d->m, TLX_M_PROCESSED, 1);
            tlx_metrics_source(d->m, r->source, strlen(r->source), 1);
            if (d->pub) {
                char note[64 + TLX_ID_MAX];
                int n = snprintf(note, sizeof note, "committed %llu %s", (unsigned long long)r->seq,
                                 r->id ? r->id : "");
                zmq_send(d->pub, note, (size_t)n, ZMQ_DONTWAIT);
            }
        } else if (r->outcome == R_REQUEUE) {
            tlx_metrics_add(d->m, TLX_M_FAILED, 1);
            tlx_log(TLX_LOG_WARN, "pipeline failed; will retry", "inbox=%llu stage=%s reason=\"%s\" attempts=%u",
                    (unsigned long long)r->inbox, r->stage, r->reason, r->attempts);
            s_pend_push_ex(d, r->inbox, r->attempts, 0, 1);
        } else if (r->outcome == R_DEAD) {
            tlx_metrics_add(d->m, TLX_M_FAILED, 1);
            tlx_metrics_add(d->m, TLX_M_DEAD, 1);
            tlx_log(TLX_LOG_WARN, "dead-lettered", "inbox=%llu stage=%s reason=\"%s\" attempts=%u",
                    (unsigned long long)r->inbox, r->stage, r->reason, r->attempts);
        }
        zmq_msg_close(&r->rec);
        zmq_msg_close(&r->terms);
        free(r->id);
        r->id = NULL;
    }
    d->nres = 0;
    for (int i = 0; i < d->ndead_pend; i++) {
        tlx_metrics_add(d->m, TLX_M_DEAD, 1);
        tlx_log(TLX_LOG_WARN, "dead-lettered", "inbox=%llu stage=pipeline reason=\"worker died %d times\"",
                (unsigned long long)d->dead_pend[i], d->cfg->max_attempts);
    }
    /* queue and jobs */
    s_pend_pop(d, d->pend_used);
    for (int i = 0; i < d->ndisp; i++)
        s_send_job(d, d->disp[i].seq, d->disp[i].attempts, d->disp[i].suspect);
    for (int i = 0; i < d->nin; i++) {
        in_t *m = &d->in[i];
        if (m->status == TLX_ACK_ACCEPTED) {
            if (m->dispatch)
                s_send_job(d, m->out.inbox_seq, 1, 0);
            else
                s_pend_push(d, m->out.inbox_seq, 0, 0);
        }
        zmq_msg_close(&m->msg);
    }
    d->nin = 0;
    if (d->overflow_after && d->pend_len < PENDING_CAP / 2)
        s_refill(d, d->overflow_after);
    return 0;
}

/* ---- start / stop ----------------------------------------------------------- */

static int s_sockets(daemon_t *d)
{
    const tlx_daemon_cfg_t *cfg = d->cfg;
    d->front = zmq_socket(d->zctx, ZMQ_ROUTER);
    int64_t maxmsg = tlx_limits_max_frame(&cfg->limits);
    int zero = 0, hwm = cfg->hwm;
    zmq_setsockopt(d->front, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
    zmq_setsockopt(d->front, ZMQ_RCVHWM, &hwm, sizeof hwm);
    zmq_setsockopt(d->front, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_setsockopt(d->front, ZMQ_LINGER, &zero, sizeof zero);
    if (cfg->curve_secret[0]) {
        char secret[41], public[41], err[600];
        if (!zmq_has("curve") || tlx_zap_read_key(cfg->curve_secret, secret) != 0 ||
            zmq_curve_public(public, secret) != 0) {
            tlx_log(TLX_LOG_ERROR, "cannot enable CURVE", "key_file=%s reason=\"%s\"", cfg->curve_secret,
                    zmq_has("curve") ? "no 40-character Z85 secret key in the file" : "libzmq built without CURVE");
            return TLX_EINVAL;
        }
        if (!(d->zap = tlx_zap_start(d->zctx, cfg->curve_allow, err, sizeof err))) {
            tlx_log(TLX_LOG_ERROR, "cannot enable CURVE", "reason=\"%s\"", err);
            return TLX_EINVAL;
        }
        int one = 1;
        zmq_setsockopt(d->front, ZMQ_CURVE_SERVER, &one, sizeof one);
        zmq_setsockopt(d->front, ZMQ_CURVE_SECRETKEY, secret, 40);
        zmq_setsockopt(d->front, ZMQ_ZAP_DOMAIN, "telex", 5);
        tlx_log(TLX_LOG_INFO, "CURVE enabled", "allow_list=%s", cfg->curve_allow);
    }
    for (int i = 0; i < cfg->nlisten; i++) {
        if (zmq_bind(d->front, cfg->listen[i]) != 0) {
            tlx_log(TLX_LOG_ERROR, "cannot listen", "endpoint=%s error=\"%s\"", cfg->listen[i],
                    zmq_strerror(zmq_errno()));
            return TLX_ESOCKET;
        }
        tlx_log(TLX_LOG_INFO, "listening", "endpoint=%s", cfg->listen[i]);
    }
    d->back = zmq_socket(d->zctx, ZMQ_ROUTER);
    zmq_setsockopt(d->back, ZMQ_LINGER, &zero, sizeof zero);
    /* A ROUTER drops what it cannot queue: a worker's queue must hold its
       whole credit (at most TLX_CREDIT_MAX jobs) plus control messages,
       or jobs past the default 1,000 vanish and stay "in flight". */
    int back_hwm = 2 * TLX_CREDIT_MAX;
    zmq_setsockopt(d->back, ZMQ_SNDHWM, &back_hwm, sizeof back_hwm);
    snprintf(d->back_ep, sizeof d->back_ep, "inproc://telex-enrich-%p", (void *)d);
    if (zmq_bind(d->back, d->back_ep) != 0)
        return TLX_ESOCKET;
    if (cfg->enrich_listen[0]) { /* remote enrich workers (role store) */
        int64_t maxr = 4 * maxmsg; /* a result: the record of at most one article, its text several times over */
        zmq_setsockopt(d->back, ZMQ_MAXMSGSIZE, &maxr, sizeof maxr);
        if (zmq_bind(d->back, cfg->enrich_listen) != 0) {
            tlx_log(TLX_LOG_ERROR, "cannot listen for enrich workers", "endpoint=%s error=\"%s\"", cfg->enrich_listen,
                    zmq_strerror(zmq_errno()));
            return TLX_ESOCKET;
        }
        tlx_log(TLX_LOG_INFO, "listening for enrich workers", "endpoint=%s", cfg->enrich_listen);
    }

    char ep[600];
    if (strcmp(cfg->notify, "none") == 0)
        return 0;
    if (cfg->notify[0])
        snprintf(ep, sizeof ep, "%s", cfg->notify);
    else {
        char abs[PATH_MAX];
        if (!realpath(cfg->store, abs) || strlen(abs) + 20 > 100)
            return 0; /* ipc paths are limited to ~107 bytes: no default notify socket */
        snprintf(ep, sizeof ep, "ipc://%.500s/notify.ipc", abs);
    }
    d->pub = zmq_socket(d->zctx, ZMQ_PUB);
    zmq_setsockopt(d->pub, ZMQ_LINGER, &zero, sizeof zero);
    if (zmq_bind(d->pub, ep) != 0) {
        tlx_log(TLX_LOG_WARN, "cannot bind notify socket", "endpoint=%s error=\"%s\"", ep,
                zmq_strerror(zmq_errno()));
        zmq_close(d->pub);
        d->pub = NULL;
    } else
        tlx_log(TLX_LOG_INFO, "notifying", "endpoint=%s", ep);
    return 0;
}

/* ---- local enrich threads ------------------------------------------------- */

/* Starts a thread with every signal blocked in it: SIGTERM/SIGHUP must reach
   the daemon's thread (whose blocking calls they interrupt), never an enrich
   thread in a blocking receive. */
static int s_spawn(pthread_t *tid, void *(*fn)(void *), void *arg)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int rc = pthread_create(tid, NULL, fn, arg);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

typedef struct {
    pthread_t tid;
    tlx_enricher_args_t args;
    int running;
} thread_t;

typedef struct {
    thread_t v[MAX_WORKERS];
    int n;        /* started (running or retiring) */
    int want;     /* target count */
    const tlx_text_t *text;
    tlx_text_t *owned; /* loaded on reload when the daemon started without local threads */
} threads_t;

static int s_threads_target(const tlx_daemon_cfg_t *cfg)
{
    int n = cfg->threads;
    if (n <= 0)
        n = cfg->role == TLX_ROLE_STORE ? 0 : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (cfg->threads <= 0 && cfg->role != TLX_ROLE_STORE && n < 1)
        n = 1;
    return n > 64 ? 64 : n;
}

/* Starts threads up to `want`. */
static int s_threads_grow(daemon_t *d, threads_t *t)
{
    while (t->n < t->want) {
        thread_t *th = &t->v[t->n];
        memset(th, 0, sizeof *th);
        th->args = (tlx_enricher_args_t){.zctx = d->zctx, .text = t->text, .credit = d->cfg->credit > 0 ? d->cfg->credit : 2,
                                         .index = t->n, .df = &d->df, .sources = &d->sources, .learned = &d->boil};
        snprintf(th->args.endpoint, sizeof th->args.endpoint, "%s", d->back_ep);
        snprintf(th->args.routing_id, sizeof th->args.routing_id, "local-%d", t->n);
        if (s_spawn(&th->tid, tlx_enricher_main, &th->args) != 0)
            return TLX_ENOMEM;
        th->running = 1;
        t->n++;
    }
    return 0;
}

/* Lowering `threads`: the highest-numbered threads get no more work and are
   stopped once their articles came back. */
static void s_threads_shrink(daemon_t *d, threads_t *t)
{
    while (t->n > t->want) {
        thread_t *th = &t->v[t->n - 1];
        int w = s_worker_find(d, (const uint8_t *)th->args.routing_id, strlen(th->args.routing_id));
        if (w >= 0) {
            d->workers[w].retired = 1;
            d->workers[w].credit = 0;
            for (int i = 0; i < d->ninflight; i++)
                if (d->inflight[i].w == w)
                    return; /* busy: look again next turn */
            zmq_send(d->back, d->workers[w].id, d->workers[w].id_len, ZMQ_SNDMORE);
            zmq_send(d->back, "X", 1, 0);
            s_worker_remove(d, w, 1);
        } else if (th->running) {
            return; /* not said hello yet */
        }
        pthread_join(th->tid, NULL);
        th->running = 0;
        t->n--;
    }
}

/* ---- readiness, gauges, reload ------------------------------------------------ */

static void s_gauges(daemon_t *d)
{
    tlx_store_counts_t c;
    if (tlx_store_gauges(d->store, &c) == 0) {
        tlx_metrics_set(d->m, TLX_G_INBOX, c.inbox);
        tlx_metrics_set(d->m, TLX_G_MAP_SIZE, c.map_size);
        tlx_metrics_set(d->m, TLX_G_MAP_USED, c.map_used);
        tlx_metrics_set(d->m, TLX_G_READERS_USED, c.readers_used);
        tlx_metrics_set(d->m, TLX_G_READERS_MAX, c.readers_max);
    }
    tlx_metrics_set(d->m, TLX_G_INFLIGHT, (uint64_t)d->ninflight);
    tlx_metrics_set(d->m, TLX_G_WORKERS, (uint64_t)d->nworkers);
    tlx_metrics_add(d->m, TLX_M_MAP_DROPS, tlx_store_map_drops(d->store) - tlx_metrics_count(d->m, TLX_M_MAP_DROPS));
    tlx_metrics_add(d->m, TLX_M_CURVE_REFUSED,
                    tlx_zap_refused(d->zap) - tlx_metrics_count(d->m, TLX_M_CURVE_REFUSED));
    tlx_metrics_add(d->m, TLX_M_LOG_SUPPRESSED,
                    tlx_log_suppressed_total() - tlx_metrics_count(d->m, TLX_M_LOG_SUPPRESSED));
    tlx_metrics_set(d->m, TLX_G_READY, (uint64_t)tlx_metrics_ready(d->m, NULL, 0));
}

/* Applies what a reload may change; the rest needs a restart. */
static void s_reload(daemon_t *d, const tlx_daemon_cfg_t *next, threads_t *t)
{
    char restart[600];
    tlx_config_diff(&d->cfgv, next, restart, sizeof restart);
    tlx_daemon_cfg_t *c = &d->cfgv;
    c->threads = next->threads;
    c->limits.max_text = next->limits.max_text;
    if (d->front) { /* applies to connections made from now on */
        int64_t maxmsg = tlx_limits_max_frame(&c->limits);
        zmq_setsockopt(d->front, ZMQ_MAXMSGSIZE, &maxmsg, sizeof maxmsg);
    }
    c->max_attempts = next->max_attempts;
    c->drain_ms = next->drain_ms;
    c->reader_check_ms = next->reader_check_ms;
    c->map_resident_max = next->map_resident_max;
    tlx_store_set_map_resident_max(d->store, c->map_resident_max);
    c->log_level = next->log_level;
    c->log_format = next->log_format;
    c->log_syslog = next->log_syslog;
    c->log_burst = next->log_burst;
    tlx_daemon_apply_logging(c);
    tlx_sources_publish(&d->sources, next->sources);
    if (d->cfg->role != TLX_ROLE_ENRICH) {
        t->want = s_threads_target(c);
        if (t->want > 0 && !t->text && !c->null_pipeline) { /* role store started without local threads */
            const char *terr = NULL;
            if (!(t->text = t->owned = tlx_text_new(c->datadir[0] ? c->datadir : NULL, &terr))) {
                tlx_log(TLX_LOG_ERROR, "cannot load the text pipeline; no local enrich threads", "error=\"%s\"",
                        terr ? terr : "?");
                t->want = 0;
            }
        }
        for (int i = 0; i < t->n && i < t->want; i++) { /* lowered, then raised again before they left */
            int w = s_worker_find(d, (const uint8_t *)t->v[i].args.routing_id, strlen(t->v[i].args.routing_id));
            if (w >= 0 && d->workers[w].retired) {
                int busy = 0;
                for (int k = 0; k < d->ninflight; k++)
                    busy += d->inflight[k].w == w;
                d->workers[w].retired = 0;
                d->workers[w].credit = d->workers[w].max_credit - busy;
            }
        }
        if (s_threads_grow(d, t))
            tlx_log(TLX_LOG_ERROR, "cannot start enrich threads", "wanted=%d running=%d", t->want, t->n);
    }
    tlx_metrics_add(d->m, TLX_M_RELOADS, 1);
    tlx_log(TLX_LOG_INFO, "configuration reloaded", "threads=%d max_text=%zu max_attempts=%d sources=%d%s%s",
            t->want, c->limits.max_text, c->max_attempts, tlx_sources_count(next->sources),
            restart[0] ? " needs_restart=" : "", restart);
}

void tlx_daemon_apply_logging(const tlx_daemon_cfg_t *cfg)
{
    tlx_log_set_level((tlx_log_level_t)cfg->log_level);
    tlx_log_set_format((tlx_log_format_t)cfg->log_format);
    tlx_log_set_syslog(cfg->log_syslog, "telexd");
    tlx_log_set_rate_limit(cfg->log_burst, 10000);
}

static void s_write_http_file(const char *store, const char *bound)
{
    char path[4200], tmp[4210];
    snprintf(path, sizeof path, "%s/telexd.http", store);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return;
    fprintf(f, "%s\n", bound);
    if (fclose(f) == 0)
        rename(tmp, path);
}

int tlx_daemon_run(const tlx_daemon_cfg_t *cfg, volatile sig_atomic_t *stop)
{
    return tlx_daemon_run2(cfg, stop, NULL, NULL, NULL);
}

int tlx_daemon_run2(const tlx_daemon_cfg_t *cfg, volatile sig_atomic_t *stop, const tlx_daemon_reload_t *reload,
                    void (*ready)(void *ctx, int ok), void *ready_ctx)
{
    daemon_t *d = calloc(1, sizeof *d);
    if (!d)
        return TLX_ENOMEM;
    d->cfgv = *cfg;
    d->cfg = &d->cfgv;
    cfg = d->cfg;
    tlx_dfsnap_slot_init(&d->df);
    tlx_sources_slot_init(&d->sources, cfg->sources);
    tlx_boilsnap_slot_init(&d->boil);
    int rc = 0;
    threads_t *threads = calloc(1, sizeof *threads);
    tlx_text_t *text = NULL;
    char http_file[4200] = "";

    d->m = tlx_metrics_new();
    d->in = calloc(BATCH_MAX, sizeof *d->in);
    d->res = calloc(RES_MAX, sizeof *d->res);
    d->disp = calloc(DISP_MAX, sizeof *d->disp);
    d->dead_pend = calloc(DISP_MAX, sizeof *d->dead_pend);
    if (!threads || !d->m || !d->in || !d->res || !d->disp || !d->dead_pend) {
        rc = TLX_ENOMEM;
        goto out;
    }
    tlx_metrics_set(d->m, TLX_G_START_TIME, tlx_now_ms() / 1000);

    if (cfg->http[0] && strcmp(cfg->http, "none") != 0) {
        char bound[300], err[400];
        if (!(d->http = tlx_http_start(cfg->http, d->m, bound, sizeof bound, err, sizeof err))) {
            tlx_log(TLX_LOG_ERROR, "cannot start the metrics listener", "http=%s error=\"%s\"", cfg->http, err);
            rc = TLX_ESOCKET;
            goto out;
        }
        tlx_log(TLX_LOG_INFO, "serving metrics and health", "http=%s", bound);
        snprintf(http_file, sizeof http_file, "%s", bound);
    }

    tlx_store_opts_t so;
    tlx_store_opts_default(&so);
    if (cfg->map_size)
        so.map_size = cfg->map_size;
    if (cfg->map_max)
        so.map_max = cfg->map_max;
    so.map_resident_max = cfg->map_resident_max;
    char err[600];
    if ((rc = tlx_store_open(cfg->store, &so, &d->store, err, sizeof err))) {
        tlx_log(TLX_LOG_ERROR, err, NULL);
        goto out;
    }
    if (http_file[0])
        s_write_http_file(cfg->store, http_file);
    int nthreads = s_threads_target(cfg);
    if (nthreads > 0 && !cfg->null_pipeline) {
        const char *terr = NULL;
        text = tlx_text_new(cfg->datadir[0] ? cfg->datadir : NULL, &terr);
        if (!text) {
            tlx_log(TLX_LOG_ERROR, "cannot load the text pipeline", "error=\"%s\"", terr ? terr : "?");
            rc = TLX_EINVAL;
            goto out;
        }
        if (terr)
            tlx_log(TLX_LOG_WARN, "text pipeline", "warning=\"%s\"", terr);
    }

    d->zctx = zmq_ctx_new();
    if ((rc = s_sockets(d)))
        goto out;

    s_refill(d, 0);
    tlx_dfsnap_publish(&d->df, tlx_dfsnap_build(d->store));
    tlx_boilsnap_publish(&d->boil, tlx_boilsnap_build(d->store));
    tlx_store_counts_t counts;
    tlx_store_counts(d->store, &counts);
    tlx_log(TLX_LOG_INFO, "started", "store=%s articles=%llu inbox=%llu threads=%d role=%s", cfg->store,
            (unsigned long long)counts.articles, (unsigned long long)counts.inbox, nthreads,
            cfg->role == TLX_ROLE_STORE ? "store" : "all");

    threads->text = cfg->null_pipeline ? NULL : text;
    threads->want = nthreads;
    if ((rc = s_threads_grow(d, threads)))
        goto out;

    tlx_metrics_set(d->m, TLX_G_BOUND, 1);
    s_gauges(d);
    if (ready)
        ready(ready_ctx, 1);
    sd_notifyf(0, "READY=1\nSTATUS=accepting articles; inbox %llu\nMAINPID=%lu", (unsigned long long)counts.inbox,
               (unsigned long)getpid());
    uint64_t wd_usec = 0;
    int wd = sd_watchdog_enabled(0, &wd_usec) > 0;
    uint64_t last_wd = 0, last_gauges = 0, last_rss = 0;

    uint64_t last_check = tlx_mono_ms(), last_replay_check = 0, last_df = tlx_mono_ms(), drain_deadline = 0;
    uint64_t last_boil = tlx_mono_ms(), boil_ms = tlx_boilsnap_refresh_ms(), boil_n = 0;
    tlx_store_meta_get(d->store, "replay_gen", &d->replay_gen);
    for (;;) {
        if (*stop && !d->draining) {
            d->draining = 1;
            tlx_metrics_set(d->m, TLX_G_DRAINING, 1);
            tlx_metrics_set(d->m, TLX_G_READY, 0);
            sd_notify(0, "STOPPING=1\nSTATUS=draining");
            drain_deadline = tlx_mono_ms() + (uint64_t)(cfg->drain_ms > 0 ? cfg->drain_ms : 0);
            tlx_log(TLX_LOG_INFO, "draining", "in_flight=%d", d->ninflight);
            zmq_close(d->front); /* stop taking new work; producers re-send elsewhere or later */
            d->front = NULL;
        }
        if (d->draining && ((d->ninflight == 0 && d->nres == 0) || tlx_mono_ms() >= drain_deadline))
            break;
        if (reload && reload->flag && *reload->flag && !d->draining) {
            *reload->flag = 0;
            sd_notify(0, "RELOADING=1");
            const tlx_daemon_cfg_t *next = reload->fn(reload->ctx);
            if (next)
                s_reload(d, next, threads);
            sd_notify(0, "READY=1");
        }

        zmq_pollitem_t items[2] = {{d->back, 0, ZMQ_POLLIN, 0}, {d->front, 0, ZMQ_POLLIN, 0}};
        int nitems = d->front ? 2 : 1;
        long timeout = 1000;
        if (cfg->enrich_listen[0] && cfg->heartbeat_ms < timeout)
            timeout = cfg->heartbeat_ms;
        if (d->disk_full_since)
            timeout = 100; /* retry the carried-over results soon */
        if (d->draining)
            timeout = 50;
        else if (d->pend_len && s_credit_total(d) > 0 && !d->disk_full_since)
            timeout = 0; /* queued articles and free workers: dispatch now */
        if (d->disk_full_since && d->nres)
            nitems = 1; /* results first; the front answers busy below */
        if (zmq_poll(items, nitems, timeout) < 0 && zmq_errno() != EINTR) {
            rc = TLX_ESOCKET;
            break;
        }
        /* read results (credit returns immediately) and hellos */
        size_t bytes = 0;
        while (d->nres < RES_MAX && bytes < TURN_BYTES_MAX) {
            int is_result;
            if (s_read_back(d, &d->res[d->nres], &is_result) < 0)
                break;
            if (is_result)
                bytes += zmq_msg_size(&d->res[d->nres++].rec);
        }
        bytes = 0;
        if (d->front && !d->draining)
            while (d->nin < BATCH_MAX && bytes < TURN_BYTES_MAX && s_read_front(d, &d->in[d->nin]) == 0)
                bytes += zmq_msg_size(&d->in[d->nin++].msg);
        s_turn(d);
        s_heartbeat(d);
        if (threads->n > threads->want)
            s_threads_shrink(d, threads);

        uint64_t now = tlx_mono_ms();
        if (now - last_rss >= 20) {
            tlx_store_map_check(d->store);
            last_rss = now;
        }
        if (now - last_gauges >= 1000) {
            s_gauges(d);
            last_gauges = now;
        }
        if (wd && now - last_wd >= wd_usec / 2000) {
            sd_notify(0, "WATCHDOG=1");
            last_wd = now;
        }
        if (now - last_replay_check >= 1000) { /* `telex dead --replay` from another process */
            uint64_t gen = 0;
            tlx_store_meta_get(d->store, "replay_gen", &gen);
            if (gen != d->replay_gen || d->rescan) {
                const char *why = gen != d->replay_gen ? "dead letters replayed" : "an earlier scan failed";
                d->replay_gen = gen;
                d->rescan = 0;
                d->pend_len = 0; /* rescan: the inbox is the truth; skip what is in flight */
                d->pend_head = 0;
                s_refill(d, 0);
                tlx_log(TLX_LOG_INFO, "inbox rescanned", "reason=\"%s\" queued=%zu",
                        why, d->pend_len);
            }
            last_replay_check = now;
        }
        if (now - last_df >= 30000) { /* refresh the keyword stage's document frequencies */
            uint64_t ndocs = 0;
            tlx_dfsnap_t *cur = tlx_dfsnap_acquire(&d->df);
            ndocs = tlx_dfsnap_ndocs(cur);
            tlx_dfsnap_release(cur);
            tlx_dfsnap_t *snap = tlx_dfsnap_build(d->store);
            if (snap && tlx_dfsnap_ndocs(snap) != ndocs)
                tlx_dfsnap_publish(&d->df, snap);
            else
                tlx_dfsnap_release(snap);
            last_df = tlx_mono_ms();
        }
        if (now - last_boil >= boil_ms) { /* refresh the learned boilerplate lines (tlx_boilsnap.h) */
            tlx_boilsnap_t *snap = tlx_boilsnap_build(d->store);
            if (snap && tlx_boilsnap_count(snap) != boil_n)
                tlx_log(TLX_LOG_INFO, "learned boilerplate", "lines=%zu",
                        (size_t)(boil_n = tlx_boilsnap_count(snap)));
            if (snap) /* on failure keep the current one */
                tlx_boilsnap_publish(&d->boil, snap);
            last_boil = tlx_mono_ms();
        }
        if (now - last_check >= (uint64_t)cfg->reader_check_ms) {
            int dead = tlx_store_reader_check(d->store);
            if (dead)
                tlx_log(TLX_LOG_INFO, "cleared stale reader slots", "count=%d", dead);
            last_check = now;
        }
    }

    /* In-flight articles that did not come back were not tried to failure:
       give their attempt back; they stay in the inbox for the next start. */
    if (d->ninflight) {
        if (tlx_store_wbegin(d->store) == 0) {
            for (int i = 0; i < d->ninflight; i++)
                tlx_store_inbox_set_attempts(d->store, d->inflight[i].seq,
                                             d->inflight[i].attempts ? d->inflight[i].attempts - 1 : 0);
            tlx_store_wcommit(d->store);
        }
        tlx_log(TLX_LOG_WARN, "drain deadline passed; left in the inbox", "in_flight=%d", d->ninflight);
    }
    {
        const tlx_metrics_t *m = d->m;
        tlx_log(TLX_LOG_INFO, "stopped",
                "received=%llu accepted=%llu duplicate=%llu rejected=%llu processed=%llu dead=%llu busy=%llu "
                "commits=%llu curve_refused=%llu",
                (unsigned long long)tlx_metrics_count(m, TLX_M_RECEIVED),
                (unsigned long long)tlx_metrics_count(m, TLX_M_ACCEPTED),
                (unsigned long long)tlx_metrics_count(m, TLX_M_DUPLICATE),
                (unsigned long long)tlx_metrics_count(m, TLX_M_REJECTED),
                (unsigned long long)tlx_metrics_count(m, TLX_M_PROCESSED),
                (unsigned long long)tlx_metrics_count(m, TLX_M_DEAD), (unsigned long long)tlx_metrics_count(m, TLX_M_BUSY),
                (unsigned long long)tlx_metrics_count(m, TLX_M_COMMITS), (unsigned long long)tlx_zap_refused(d->zap));
    }

out:;
    if (rc && ready)
        ready(ready_ctx, 0);
    tlx_http_stop(&d->http);
    if (http_file[0]) {
        char path[4200];
        snprintf(path, sizeof path, "%s/telexd.http", cfg->store);
        unlink(path);
    }
    int stuck = d->ninflight > 0;
    for (int i = 0; i < d->nworkers; i++) {
        if (d->workers[i].hb)
            continue; /* remote workers outlive this process: they reconnect when it is back */
        zmq_send(d->back, d->workers[i].id, d->workers[i].id_len, ZMQ_SNDMORE | ZMQ_DONTWAIT);
        zmq_send(d->back, "X", 1, ZMQ_DONTWAIT);
    }
    if (d->zctx) /* threads that never said hello are in a blocking receive: wake them all */
        zmq_ctx_shutdown(d->zctx);
    for (int i = 0; threads && i < threads->n; i++) {
        if (!threads->v[i].running)
            continue;
        if (stuck) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_sec += 1;
            if (pthread_timedjoin_np(threads->v[i].tid, NULL, &ts) != 0) {
                /* an enrich thread is stuck in one article past the deadline:
                   leave it; process exit ends it (its article is safe in the inbox) */
                tlx_store_close(&d->store);
                return rc;
            }
        } else
            pthread_join(threads->v[i].tid, NULL);
    }
    for (int i = 0; i < d->nin; i++)
        zmq_msg_close(&d->in[i].msg);
    for (int i = 0; i < d->nres; i++) {
        zmq_msg_close(&d->res[i].rec);
        zmq_msg_close(&d->res[i].terms);
        free(d->res[i].id);
    }
    for (int i = 0; i < d->ninflight; i++)
        free(d->inflight[i].id);
    if (d->front)
        zmq_close(d->front);
    if (d->back)
        zmq_close(d->back);
    if (d->pub)
        zmq_close(d->pub);
    tlx_zap_stop(&d->zap);
    if (d->zctx)
        zmq_ctx_term(d->zctx);
    tlx_text_destroy(&text);
    if (threads)
        tlx_text_destroy(&threads->owned);
    tlx_store_close(&d->store);
    tlx_dfsnap_slot_fini(&d->df);
    tlx_sources_slot_fini(&d->sources);
    tlx_boilsnap_slot_fini(&d->boil);
    tlx_metrics_destroy(&d->m);
    free(threads);
    free(d->in);
    free(d->res);
    free(d->disp);
    free(d->dead_pend);
    free(d->pend);
    free(d->inflight);
    free(d);
    return rc;
}

/* ---- the enrich role ------------------------------------------------------------- */

int tlx_daemon_run_enrich(const tlx_daemon_cfg_t *cfg, volatile sig_atomic_t *stop, void (*ready)(void *ctx, int ok),
                          void *ready_ctx)
{
    int rc = 0, n = s_threads_target(cfg), started = 0;
    const char *terr = NULL;
    tlx_text_t *text = NULL;
    tlx_http_t *http = NULL;
    tlx_metrics_t *m = tlx_metrics_new();
    tlx_sources_slot_t sources;
    tlx_sources_slot_init(&sources, cfg->sources);
    thread_t *th = calloc((size_t)n, sizeof *th);
    volatile int *connected = calloc((size_t)n, sizeof *connected);
    void *zctx = NULL;
    if (!m || !th || !connected) {
        rc = TLX_ENOMEM;
        goto out;
    }
    tlx_metrics_set(m, TLX_G_START_TIME, tlx_now_ms() / 1000);
    if (cfg->http[0] && strcmp(cfg->http, "none") != 0) {
        char bound[300], err[400];
        if (!(http = tlx_http_start(cfg->http, m, bound, sizeof bound, err, sizeof err))) {
            tlx_log(TLX_LOG_ERROR, "cannot start the metrics listener", "http=%s error=\"%s\"", cfg->http, err);
            rc = TLX_ESOCKET;
            goto out;
        }
        tlx_log(TLX_LOG_INFO, "serving metrics and health", "http=%s", bound);
    }
    if (!cfg->null_pipeline) {
        text = tlx_text_new(cfg->datadir[0] ? cfg->datadir : NULL, &terr);
        if (!text) {
            tlx_log(TLX_LOG_ERROR, "cannot load the text pipeline", "error=\"%s\"", terr ? terr : "?");
            rc = TLX_EINVAL;
            goto out;
        }
    }
    zctx = zmq_ctx_new();
    { /* a malformed endpoint fails here, not silently in every thread */
        void *probe = zmq_socket(zctx, ZMQ_DEALER);
        int zero = 0;
        zmq_setsockopt(probe, ZMQ_LINGER, &zero, sizeof zero);
        if (zmq_connect(probe, cfg->connect) != 0) {
            tlx_log(TLX_LOG_ERROR, "cannot connect to the store", "connect=%s error=\"%s\"", cfg->connect,
                    zmq_strerror(zmq_errno()));
            rc = TLX_ESOCKET;
        }
        zmq_close(probe);
        if (rc)
            goto out;
    }
    for (int i = 0; i < n; i++) {
        th[i].args = (tlx_enricher_args_t){.zctx = zctx, .text = text, .credit = cfg->credit > 0 ? cfg->credit : 2,
                                           .index = i, .sources = &sources, .heartbeat_ms = cfg->heartbeat_ms,
                                           .stop = stop, .connected = &connected[i]};
        snprintf(th[i].args.endpoint, sizeof th[i].args.endpoint, "%s", cfg->connect);
        if (s_spawn(&th[i].tid, tlx_enricher_main, &th[i].args) != 0) {
            rc = TLX_ENOMEM;
            break;
        }
        started++;
    }
    if (!rc) {
        tlx_log(TLX_LOG_INFO, "started", "role=enrich connect=%s threads=%d", cfg->connect, n);
        tlx_metrics_set(m, TLX_G_BOUND, 1);
        if (ready)
            ready(ready_ctx, 1);
        sd_notify(0, "READY=1\nSTATUS=enriching");
        uint64_t wd_usec = 0;
        int wd = sd_watchdog_enabled(0, &wd_usec) > 0;
        while (!*stop) {
            int up = 0;
            for (int i = 0; i < n; i++)
                up += connected[i];
            tlx_metrics_set(m, TLX_G_WORKERS, (uint64_t)up);
            tlx_metrics_set(m, TLX_G_READY, up > 0);
            if (wd)
                sd_notify(0, "WATCHDOG=1");
            usleep(200 * 1000);
        }
        sd_notify(0, "STOPPING=1");
        tlx_metrics_set(m, TLX_G_DRAINING, 1);
    }
out:
    if (rc && ready)
        ready(ready_ctx, 0);
    if (rc)
        *stop = 1; /* the threads that did start leave too */
    for (int i = 0; i < started; i++)
        pthread_join(th[i].tid, NULL); /* each sends "D" and leaves within 200 ms of *stop */
    if (zctx)
        zmq_ctx_term(zctx);
    tlx_http_stop(&http);
    tlx_text_destroy(&text);
    tlx_sources_slot_fini(&sources);
    tlx_metrics_destroy(&m);
    free(th);
    free((void *)connected);
    if (!rc)
        tlx_log(TLX_LOG_INFO, "stopped", "role=enrich");
    return rc;
}
