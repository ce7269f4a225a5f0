/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_dispatch.c -- the dispatcher (see tlx_dispatch.h).

    The queue is a ring of inbox seqs; memory holds only seqs, capped, and
    the inbox is the truth: whatever is past the cap, or was lost to an
    allocation failure, is found again by a scan.  Workers and in-flight
    articles are small flat arrays searched linearly: a few hundred
    entries at most, touched once per message.

    Held envelopes: an article accepted while older ones are queued waits
    a turn or more in the queue; its received frame is kept by reference
    (a zmq_msg_t, no copy) in one of HELD_MAX slots, so its dispatch does
    not read the inbox back (a read txn, two gets, a malloc'd copy).  What
    does not fit (slots or bytes full, a long id) and what comes back
    (retries, a lost worker, a rescan) is read from the inbox as before.

    Rejected: PUSH/PULL to workers (loses what is queued in a dead worker);
    a queue holding every envelope (memory would grow with the backlog).
*/
#include "tlx_dispatch.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <zmq.h>

#include "tlx_clock.h"
#include "tlx_log.h"
#include "tlx_mp.h"

typedef struct {
    uint64_t seq;
    uint32_t attempts;
    int suspect; /* found in the inbox already attempted: it may be what killed us */
    int held;    /* its envelope's slot in held[], or -1: read it from the inbox */
} pend_t;

/* Envelopes of queued articles kept in memory: at most HELD_MAX of them and
   HELD_BYTES of envelope (a received frame of up to 8 KiB sits in ZeroMQ's
   receive buffer and keeps all of it alive: 8 KiB of data and ~10 KiB of
   reference counts with libzmq 4.3, ~9 MB more at most); two turns of the
   front (TLX_BATCH_MAX) fit, which is as long as a new article waits while
   the workers keep up; an article queued behind HELD_MAX others is not
   held.  Ids longer than HELD_ID_MAX are read from the inbox. */
#define HELD_MAX 512
#define HELD_BYTES ((size_t)8 << 20)
#define HELD_ID_MAX 64

typedef struct {
    zmq_msg_t msg; /* a reference to the front's frame: the inbox entry's envelope */
    uint64_t received_at;
    uint32_t revision;
    int next_free; /* free list; -1 ends it */
    int sending;   /* planned_send: dispatched this turn, released after its send */
    size_t id_len;
    char id[HELD_ID_MAX];
    char source[TLX_DISPATCH_SOURCE_MAX]; /* the envelope's, as tlx_dispatch_push_entry had it */
} held_t;

typedef struct {
    uint64_t seq;
    uint32_t attempts;
    int w;
    uint64_t token; /* this dispatch's; its result must echo it */
    char *id;       /* malloc'd; for the "committed" notification */
    int suspect;
    uint64_t sent_ns; /* dispatch time, for the pipeline latency histogram */
    size_t bytes;     /* the envelope's, counted in its worker's bytes */
    char source[TLX_DISPATCH_SOURCE_MAX];
} inflight_t;

struct tlx_dispatch {
    tlx_store_t *store;
    tlx_metrics_t *m;
    tlx_dispatch_send_fn send;
    void *send_ctx;
    int max_attempts;
    size_t pending_cap;
    int turn_max;
    /* ring of inbox seqs not yet in flight */
    pend_t *pend;
    size_t pend_head, pend_len, pend_cap;
    uint64_t overflow_after; /* when non-zero: inbox entries > this are not in memory yet */
    int rescan;              /* reload the queue from the inbox (a scan or an allocation failed) */
    tlx_dispatch_worker_t workers[TLX_DISPATCH_WORKERS_MAX];
    int nworkers;
    inflight_t *inflight;
    int ninflight, inflight_cap;
    int suspects_inflight;
    /* the plan of the current turn */
    pend_t *disp;
    int ndisp;
    size_t pend_used; /* queue entries the plan consumed */
    uint64_t *dead;
    int ndead;
    /* envelopes of queued articles kept in memory (allocated at first use) */
    held_t *held;
    int held_free, nheld;
    size_t held_bytes;
    /* dispatch tokens, drawn from the kernel's CSPRNG a batch at a time */
    uint64_t tokens[64];
    int ntokens;
    uint64_t token_fallback; /* getrandom failed: a counter mixed with the clock (logged) */
};

static pend_t *s_pend_at(tlx_dispatch_t *self, size_t i)
{
    return &self->pend[(self->pend_head + i) % self->pend_cap];
}

/* ---- held envelopes ------------------------------------------------------- */

static void s_held_release(tlx_dispatch_t *self, int h)
{
    if (h < 0)
        return;
    held_t *x = &self->held[h];
    self->held_bytes -= zmq_msg_size(&x->msg);
    zmq_msg_close(&x->msg);
    x->sending = 0;
    x->next_free = self->held_free;
    self->held_free = h;
    self->nheld--;
}

static void s_env_source(const void *env, size_t len, char *out, size_t outlen);
static void s_source_copy(const char *src, size_t len, char *out, size_t outlen);

/* A slot holding a reference to `msg` (the frame of en's envelope) and
   en's id, revision, arrival and source (NULL: read from the envelope),
   or -1 (no slot free, HELD_BYTES reached, a long id, no memory). */
static int s_held_take(tlx_dispatch_t *self, const tlx_inbox_entry_t *en, zmq_msg_t *msg, const char *source,
                       size_t source_len)
{
    size_t size = zmq_msg_size(msg);
    if (en->id_len > HELD_ID_MAX || self->held_bytes + size > HELD_BYTES)
        return -1;
    if (!self->held) {
        if (!(self->held = malloc(HELD_MAX * sizeof *self->held)))
            return -1;
        for (int i = 0; i < HELD_MAX; i++)
            self->held[i].next_free = i + 1 < HELD_MAX ? i + 1 : -1;
        self->held_free = 0;
    }
    int h = self->held_free;
    if (h < 0)
        return -1;
    held_t *x = &self->held[h];
    zmq_msg_init(&x->msg);
    if (zmq_msg_copy(&x->msg, msg) != 0) {
        zmq_msg_close(&x->msg);
        return -1;
    }
    self->held_free = x->next_free;
    x->received_at = en->received_at;
    x->revision = en->revision;
    x->sending = 0;
    x->id_len = en->id_len;
    memcpy(x->id, en->id, en->id_len);
    if (source)
        s_source_copy(source, source_len, x->source, sizeof x->source);
    else
        s_env_source(en->env, en->env_len, x->source, sizeof x->source);
    self->held_bytes += size;
    self->nheld++;
    return h;
}

/* Empties the queue, letting go of its held envelopes. */
static void s_pend_clear(tlx_dispatch_t *self)
{
    for (size_t i = 0; i < self->pend_len; i++)
        s_held_release(self, s_pend_at(self, i)->held);
    self->pend_len = 0;
    self->pend_head = 0;
}

tlx_dispatch_t *tlx_dispatch_new(tlx_store_t *store, tlx_metrics_t *m, const tlx_dispatch_opts_t *opts,
                                 tlx_dispatch_send_fn send, void *send_ctx)
{
    tlx_dispatch_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->store = store;
    self->m = m;
    self->send = send;
    self->send_ctx = send_ctx;
    self->max_attempts = opts && opts->max_attempts > 0 ? opts->max_attempts : 3;
    self->pending_cap = opts && opts->pending_cap ? opts->pending_cap : TLX_DISPATCH_PENDING_CAP;
    self->turn_max = opts && opts->turn_max > 0 ? opts->turn_max : TLX_DISPATCH_TURN_MAX;
    self->disp = calloc((size_t)self->turn_max, sizeof *self->disp);
    self->dead = calloc((size_t)self->turn_max, sizeof *self->dead);
    if (!self->disp || !self->dead)
        tlx_dispatch_destroy(&self);
    return self;
}

void tlx_dispatch_destroy(tlx_dispatch_t **self_p)
{
    tlx_dispatch_t *self = *self_p;
    if (!self)
        return;
    for (int i = 0; i < self->ninflight; i++)
        free(self->inflight[i].id);
    s_pend_clear(self);
    free(self->held);
    free(self->inflight);
    free(self->pend);
    free(self->disp);
    free(self->dead);
    free(self);
    *self_p = NULL;
}

void tlx_dispatch_set_max_attempts(tlx_dispatch_t *self, int k)
{
    self->max_attempts = k > 0 ? k : 3;
}

/* ---- the queue ------------------------------------------------------------ */

/* Queues seq (its envelope in slot `held`, or -1); 1 when it is queued in
   memory, 0 when it stays on disk only (the caller lets go of `held`). */
static int s_push(tlx_dispatch_t *self, uint64_t seq, uint32_t attempts, int suspect, int force, int held)
{
    if (!force && self->overflow_after) /* on disk only; the refill scan will find it */
        return 0;
    if (!force && self->pend_len >= self->pending_cap) {
        self->overflow_after = seq - 1;
        return 0;
    }
    if (self->pend_len == self->pend_cap) {
        size_t cap = self->pend_cap ? self->pend_cap * 2 : 1024;
        pend_t *p = malloc(cap * sizeof *p);
        if (!p) {
            if (force)
                self->rescan = 1; /* the inbox is the truth: rescan it when memory allows */
            else
                self->overflow_after = seq - 1; /* degrade to disk, never lose */
            return 0;
        }
        for (size_t i = 0; i < self->pend_len; i++)
            p[i] = self->pend[(self->pend_head + i) % self->pend_cap];
        free(self->pend);
        self->pend = p;
        self->pend_cap = cap;
        self->pend_head = 0;
    }
    self->pend[(self->pend_head + self->pend_len) % self->pend_cap] = (pend_t){seq, attempts, suspect, held};
    self->pend_len++;
    return 1;
}

void tlx_dispatch_push(tlx_dispatch_t *self, uint64_t seq, uint32_t attempts, int suspect, int force)
{
    s_push(self, seq, attempts, suspect, force, -1);
}

void tlx_dispatch_push_entry(tlx_dispatch_t *self, const tlx_inbox_entry_t *en, void *msg, const char *source,
                             size_t source_len)
{
    /* held only near the head of the queue: far back (an overload's
       backlog) it would wait seconds, pinning ZeroMQ's receive buffers */
    int h = msg && !self->overflow_after && self->pend_len < HELD_MAX
                ? s_held_take(self, en, msg, source, source_len)
                : -1;
    if (!s_push(self, en->inbox_seq, en->attempts, 0, 0, h))
        s_held_release(self, h);
}

int tlx_dispatch_held(const tlx_dispatch_t *self)
{
    return self->nheld;
}

static void s_pend_pop(tlx_dispatch_t *self, size_t n)
{
    assert(n <= self->pend_len);
    self->pend_head = self->pend_cap ? (self->pend_head + n) % self->pend_cap : 0;
    self->pend_len -= n;
}

static int s_inflight_has(const tlx_dispatch_t *self, uint64_t seq)
{
    for (int i = 0; i < self->ninflight; i++)
        if (self->inflight[i].seq == seq)
            return 1;
    return 0;
}

typedef struct {
    tlx_dispatch_t *d;
    uint64_t last;
} scan_ctx_t;

static int s_scan_cb(void *ctx, const tlx_inbox_entry_t *e)
{
    scan_ctx_t *sc = ctx;
    tlx_dispatch_t *d = sc->d;
    sc->last = e->inbox_seq;
    if (s_inflight_has(d, e->inbox_seq))
        return 0;
    if (d->pend_len >= d->pending_cap) {
        d->overflow_after = e->inbox_seq - 1;
        return 1;
    }
    uint64_t saved = d->overflow_after;
    d->overflow_after = 0;
    tlx_dispatch_push(d, e->inbox_seq, e->attempts, e->attempts > 0, 0);
    if (d->overflow_after)
        return 1; /* allocation failed: stop here */
    d->overflow_after = saved;
    return 0;
}

void tlx_dispatch_refill(tlx_dispatch_t *self, uint64_t after)
{
    scan_ctx_t sc = {self, after};
    uint64_t saved = self->overflow_after;
    self->overflow_after = 0;
    int stopped = tlx_store_inbox_scan(self->store, after, s_scan_cb, &sc);
    if (stopped < 0) { /* e.g. reader slots full: what is on disk only must not be forgotten */
        self->overflow_after = saved;
        self->rescan = 1;
        tlx_log(TLX_LOG_WARN, "inbox scan failed; will rescan", "error=\"%s\"", tlx_strerror(stopped));
    } else if (stopped == 1 && !self->overflow_after)
        self->overflow_after = sc.last - 1;
}

void tlx_dispatch_rescan(tlx_dispatch_t *self)
{
    self->rescan = 0;
    s_pend_clear(self); /* the inbox is the truth; the scan skips what is in flight */
    tlx_dispatch_refill(self, 0);
}

int tlx_dispatch_rescan_due(const tlx_dispatch_t *self)
{
    return self->rescan;
}

size_t tlx_dispatch_queued(const tlx_dispatch_t *self)
{
    return self->pend_len;
}

uint64_t tlx_dispatch_overflow_after(const tlx_dispatch_t *self)
{
    return self->overflow_after;
}

/* ---- workers ------------------------------------------------------------- */

int tlx_dispatch_find(const tlx_dispatch_t *self, const uint8_t *id, size_t len)
{
    for (int i = 0; i < self->nworkers; i++)
        if (self->workers[i].id_len == len && memcmp(self->workers[i].id, id, len) == 0)
            return i;
    return -1;
}

int tlx_dispatch_hello(tlx_dispatch_t *self, const uint8_t *id, size_t len, uint32_t credit, int hb,
                       uint64_t now_ms, int *joined)
{
    *joined = 0;
    if (len > sizeof self->workers[0].id)
        len = sizeof self->workers[0].id;
    int w = tlx_dispatch_find(self, id, len);
    if (w < 0 && self->nworkers < TLX_DISPATCH_WORKERS_MAX) {
        w = self->nworkers++;
        tlx_dispatch_worker_t *k = &self->workers[w];
        memset(k, 0, sizeof *k);
        memcpy(k->id, id, len);
        k->id_len = len;
        k->last_seen = now_ms;
        tlx_metrics_set(self->m, TLX_G_WORKERS, (uint64_t)self->nworkers);
        *joined = 1;
    }
    if (w >= 0) {
        int c = credit < 1 ? 1 : credit > TLX_CREDIT_MAX ? TLX_CREDIT_MAX : (int)credit;
        self->workers[w].credit = self->workers[w].max_credit = c;
        self->workers[w].hb = hb;
    }
    return w;
}

void tlx_dispatch_seen(tlx_dispatch_t *self, int w, uint64_t now_ms)
{
    assert(w >= 0 && w < self->nworkers);
    self->workers[w].last_seen = now_ms;
}

void tlx_dispatch_remove(tlx_dispatch_t *self, int w, int give_back)
{
    assert(w >= 0 && w < self->nworkers);
    int n = 0;
    for (int i = 0; i < self->ninflight;) {
        inflight_t *f = &self->inflight[i];
        if (f->w != w) {
            i++;
            continue;
        }
        uint32_t att = give_back && f->attempts ? f->attempts - 1 : f->attempts;
        self->suspects_inflight -= f->suspect;
        self->workers[w].bytes -= f->bytes;
        tlx_dispatch_push(self, f->seq, att, 0, 1);
        free(f->id);
        self->inflight[i] = self->inflight[--self->ninflight];
        n++;
    }
    /* move the last worker into slot w; its in-flight entries follow */
    int last = --self->nworkers;
    if (w != last) {
        self->workers[w] = self->workers[last];
        for (int i = 0; i < self->ninflight; i++)
            if (self->inflight[i].w == last)
                self->inflight[i].w = w;
    }
    tlx_metrics_add(self->m, TLX_M_REDISPATCHED, (uint64_t)n);
    tlx_metrics_set(self->m, TLX_G_WORKERS, (uint64_t)self->nworkers);
    if (n)
        tlx_log(TLX_LOG_WARN,
                give_back ? "enrich worker left; re-dispatching" : "enrich worker lost; re-dispatching",
                "articles=%d workers=%d", n, self->nworkers);
    else
        tlx_log(TLX_LOG_INFO, give_back ? "enrich worker left" : "enrich worker lost", "workers=%d",
                self->nworkers);
}

int tlx_dispatch_expire(tlx_dispatch_t *self, uint64_t deadline_ms)
{
    int n = 0;
    for (int w = 0; w < self->nworkers;) {
        tlx_dispatch_worker_t *k = &self->workers[w];
        if (k->hb && k->last_seen < deadline_ms) {
            tlx_dispatch_remove(self, w, 0); /* slot w now holds another worker: look again */
            n++;
        } else
            w++;
    }
    return n;
}

/* Why a result was ignored, for the log. */
static const char *s_ignored_why(const tlx_dispatch_t *self, int w, uint64_t inbox, uint64_t token)
{
    for (int i = 0; i < self->ninflight; i++)
        if (self->inflight[i].seq == inbox) {
            if (w < 0)
                return "from an unknown peer (declared dead, or never said hello)";
            if (self->inflight[i].w != w)
                return "from a peer that does not hold the job";
            return self->inflight[i].token != token ? "with the token of another attempt" : "?";
        }
    return "for an article not in flight (committed, or queued again)";
}

int tlx_dispatch_result(tlx_dispatch_t *self, int w, uint64_t inbox, uint64_t token,
                        tlx_dispatch_done_t *done)
{
    for (int i = 0; i < self->ninflight; i++) {
        inflight_t *f = &self->inflight[i];
        /* Only the worker that holds the job, with the token of this
           dispatch, may answer it: another peer guessing inbox seqs, a
           worker declared dead whose article went out again, or a result
           of an earlier attempt must not replace the article. */
        if (f->seq != inbox || w < 0 || f->w != w || f->token != token)
            continue;
        tlx_dispatch_worker_t *k = &self->workers[w];
        if (!k->retired && k->credit < k->max_credit)
            k->credit++;
        k->bytes -= f->bytes;
        done->attempts = f->attempts;
        done->id = f->id;
        memcpy(done->source, f->source, sizeof done->source);
        tlx_metrics_observe(self->m, TLX_H_PIPELINE, (double)(tlx_mono_ns() - f->sent_ns) / 1e9);
        self->suspects_inflight -= f->suspect;
        self->inflight[i] = self->inflight[--self->ninflight];
        return 1;
    }
    tlx_metrics_add(self->m, TLX_M_RESULT_IGNORED, 1);
    tlx_log(TLX_LOG_WARN, "enrich result ignored", "inbox=%llu reason=\"%s\"", (unsigned long long)inbox,
            s_ignored_why(self, w, inbox, token));
    return 0;
}

int tlx_dispatch_retire(tlx_dispatch_t *self, int w)
{
    assert(w >= 0 && w < self->nworkers);
    self->workers[w].retired = 1;
    self->workers[w].credit = 0;
    for (int i = 0; i < self->ninflight; i++)
        if (self->inflight[i].w == w)
            return 0;
    return 1;
}

void tlx_dispatch_unretire(tlx_dispatch_t *self, int w)
{
    assert(w >= 0 && w < self->nworkers);
    tlx_dispatch_worker_t *k = &self->workers[w];
    if (!k->retired)
        return;
    int busy = 0;
    for (int i = 0; i < self->ninflight; i++)
        busy += self->inflight[i].w == w;
    k->retired = 0;
    k->credit = k->max_credit - busy;
}

int tlx_dispatch_nworkers(const tlx_dispatch_t *self)
{
    return self->nworkers;
}

const tlx_dispatch_worker_t *tlx_dispatch_worker(const tlx_dispatch_t *self, int w)
{
    assert(w >= 0 && w < self->nworkers);
    return &self->workers[w];
}

/* Jobs worker k can take now: its credit, or none while it holds its
   share of envelope bytes. */
static int s_credit(const tlx_dispatch_worker_t *k)
{
    return k->bytes < TLX_DISPATCH_WORKER_BYTES ? k->credit : 0;
}

int tlx_dispatch_credit(const tlx_dispatch_t *self)
{
    int c = 0;
    for (int i = 0; i < self->nworkers; i++)
        c += s_credit(&self->workers[i]);
    return c;
}

int tlx_dispatch_inflight(const tlx_dispatch_t *self)
{
    return self->ninflight;
}

/* ---- one turn ------------------------------------------------------------- */

int tlx_dispatch_plan(tlx_dispatch_t *self, uint64_t now_ms, int draining, int *free_credit)
{
    const uint32_t K = (uint32_t)self->max_attempts;
    int credit = draining ? 0 : tlx_dispatch_credit(self);
    self->ndisp = 0;
    self->ndead = 0;
    self->pend_used = 0;
    if (self->suspects_inflight)
        credit = 0; /* a suspect runs alone: if it kills us, nobody else is blamed */
    /* the rest of the credit (remote workers may announce up to 1024
       each) is used next turn: the loop polls again at once while queued
       articles and credit remain */
    for (size_t i = 0; i < self->pend_len && self->ndisp < credit && self->ndisp < self->turn_max &&
                       self->ndead < self->turn_max;
         i++) {
        pend_t *p = s_pend_at(self, i);
        if (p->suspect && p->attempts < K && (self->ndisp > 0 || self->ninflight > 0))
            break; /* wait until nothing else is in flight */
        self->pend_used = i + 1;
        uint32_t att = p->attempts + 1;
        int rc;
        if (att > K) {
            char why[160];
            snprintf(why, sizeof why, "the worker died while processing it %u times", p->attempts);
            rc = tlx_store_dead(self->store, p->seq, "pipeline", why, now_ms);
            if (rc && rc != TLX_ENOTFOUND)
                return rc;
            self->dead[self->ndead++] = p->seq;
            continue;
        }
        rc = tlx_store_inbox_set_attempts(self->store, p->seq, att);
        if (rc == TLX_ENOTFOUND)
            continue;
        if (rc)
            return rc;
        self->disp[self->ndisp++] = (pend_t){p->seq, att, p->suspect, p->held};
        if (p->suspect)
            break;
    }
    int fc = credit - self->ndisp;
    if (self->pend_used < self->pend_len || self->overflow_after ||
        (self->ndisp && self->disp[self->ndisp - 1].suspect))
        fc = 0; /* older articles first */
    *free_credit = fc;
    return 0;
}

static void s_send_seq(tlx_dispatch_t *self, uint64_t seq, uint32_t attempts, int suspect, int h);

void tlx_dispatch_planned_send(tlx_dispatch_t *self)
{
    for (int i = 0; i < self->ndead; i++) {
        tlx_metrics_add(self->m, TLX_M_DEAD, 1);
        tlx_log(TLX_LOG_WARN, "dead-lettered", "inbox=%llu stage=pipeline reason=\"worker died %d times\"",
                (unsigned long long)self->dead[i], self->max_attempts);
    }
    /* the envelopes of what the plan consumed without a dispatch (dead,
       gone) are let go now, the others once sent */
    for (int i = 0; i < self->ndisp; i++)
        if (self->disp[i].held >= 0)
            self->held[self->disp[i].held].sending = 1;
    for (size_t i = 0; i < self->pend_used; i++) {
        int h = s_pend_at(self, i)->held;
        if (h >= 0 && !self->held[h].sending)
            s_held_release(self, h);
    }
    s_pend_pop(self, self->pend_used);
    int n = self->ndisp;
    self->ndisp = self->ndead = 0;
    self->pend_used = 0;
    for (int i = 0; i < n; i++)
        s_send_seq(self, self->disp[i].seq, self->disp[i].attempts, self->disp[i].suspect,
                   self->disp[i].held);
}

/* A source of len bytes into out (outlen bytes, NUL-terminated, cut at a NUL). */
static void s_source_copy(const char *src, size_t len, char *out, size_t outlen)
{
    if (len >= outlen)
        len = outlen - 1;
    memcpy(out, src, len);
    out[len] = '\0';
}

/* The envelope's "source" (top-level keys only; no full decode on the
   writer thread): for articles read back from the inbox, whose decoded
   envelope is gone. */
static void s_env_source(const void *env, size_t len, char *out, size_t outlen)
{
    tlx_mp_t c;
    const char *v;
    size_t vl;
    out[0] = '\0';
    tlx_mp_init(&c, env, len);
    if (tlx_mp_map_str(&c, "source", 8, &v, &vl) == 0)
        s_source_copy(v, vl, out, outlen);
}

/* Room for one more in-flight entry; 0 or TLX_ENOMEM. */
static int s_inflight_reserve(tlx_dispatch_t *self)
{
    if (self->ninflight < self->inflight_cap)
        return 0;
    int cap = self->inflight_cap ? self->inflight_cap * 2 : 64;
    inflight_t *p = realloc(self->inflight, (size_t)cap * sizeof *p);
    if (!p)
        return TLX_ENOMEM;
    self->inflight = p;
    self->inflight_cap = cap;
    return 0;
}

/* A fresh, unguessable token for one dispatch (never 0). */
static uint64_t s_token(tlx_dispatch_t *self)
{
    for (;;) {
        if (self->ntokens == 0) {
            ssize_t n = getrandom(self->tokens, sizeof self->tokens, 0);
            if (n == (ssize_t)sizeof self->tokens)
                self->ntokens = (int)(sizeof self->tokens / sizeof self->tokens[0]);
            else {
                /* no kernel CSPRNG (it never fails on Linux >= 3.17 once
                   seeded): the peer check still holds, the token is weak */
                if (!self->token_fallback)
                    tlx_log(TLX_LOG_ERROR, "getrandom failed; dispatch tokens are predictable", NULL);
                uint64_t x = (self->token_fallback += 0x9e3779b97f4a7c15ull) ^ tlx_mono_ns();
                x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
                x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
                self->tokens[0] = x ^ (x >> 31);
                self->ntokens = 1;
            }
        }
        uint64_t t = self->tokens[--self->ntokens];
        if (t)
            return t;
    }
}

/* Sends entry `en` (NULL when it could not be read: rc says why; its bytes
   held as `held` says, which may be NULL; its source `src`, NULL: read
   from the envelope) or queues it again. */
static void s_send_entry(tlx_dispatch_t *self, uint64_t seq, uint32_t attempts, int suspect, int best,
                         const tlx_inbox_entry_t *en, tlx_dispatch_held_t *held, const char *src,
                         size_t srclen, int rc)
{
    if (best >= 0 && rc == 0)
        rc = s_inflight_reserve(self);
    char *id = NULL;
    if (best >= 0 && rc == 0 && !(id = strndup(en->id, en->id_len)))
        rc = TLX_ENOMEM;
    tlx_dispatch_worker_t *w = best >= 0 ? &self->workers[best] : NULL;
    uint64_t token = w && rc == 0 ? s_token(self) : 0;
    char source[TLX_DISPATCH_SOURCE_MAX] = "";
    size_t env_len = en ? en->env_len : 0;
    if (w && rc == 0) {
        /* read before the send: the callback may take the bytes over */
        if (src)
            s_source_copy(src, srclen, source, sizeof source);
        else
            s_env_source(en->env, en->env_len, source, sizeof source);
        tlx_dispatch_held_t none = {NULL, NULL};
        rc = self->send(self->send_ctx, w->id, w->id_len, seq, token, en, held ? held : &none);
    }
    if (best < 0 || rc != 0) {
        if (rc)
            tlx_log(TLX_LOG_WARN, "cannot dispatch an inbox entry; requeued", "inbox=%llu error=\"%s\"",
                    (unsigned long long)seq, tlx_strerror(rc));
        /* No worker could take it (the planned ones filled their bytes this
           turn): it did not leave, so the try raised for it is not counted
           again when it is planned next (the store keeps the raised value,
           which is the conservative one after a crash). */
        if (best < 0 && attempts)
            attempts--;
        tlx_dispatch_push(self, seq, attempts, suspect, 1); /* keep it queued */
        free(id);
        return;
    }
    w->credit--;
    w->bytes += env_len;
    inflight_t *f = &self->inflight[self->ninflight++];
    *f = (inflight_t){seq, attempts, best, token, id, suspect, tlx_mono_ns(), env_len, ""};
    memcpy(f->source, source, sizeof f->source);
    self->suspects_inflight += suspect;
}

/* The worker with the most credit, or -1. */
static int s_best(const tlx_dispatch_t *self)
{
    int best = -1;
    for (int i = 0; i < self->nworkers; i++)
        if (s_credit(&self->workers[i]) > 0 &&
            (best < 0 || s_credit(&self->workers[i]) > s_credit(&self->workers[best])))
            best = i;
    return best;
}

/* Sends seq, its envelope from slot `h` (let go of after the send) or,
   when h < 0, read from the inbox. */
static void s_send_seq(tlx_dispatch_t *self, uint64_t seq, uint32_t attempts, int suspect, int h)
{
    int best = s_best(self);
    if (h >= 0) {
        held_t *x = &self->held[h];
        tlx_inbox_entry_t en = {.inbox_seq = seq,
                                .attempts = attempts,
                                .revision = x->revision,
                                .received_at = x->received_at,
                                .id = x->id,
                                .id_len = x->id_len,
                                .env = zmq_msg_data(&x->msg),
                                .env_len = zmq_msg_size(&x->msg)};
        tlx_dispatch_held_t held = {&x->msg, NULL};
        s_send_entry(self, seq, attempts, suspect, best, best >= 0 ? &en : NULL, &held, x->source,
                     strlen(x->source), 0);
        s_held_release(self, h);
        return;
    }
    tlx_inbox_entry_t e;
    tlx_dispatch_held_t held = {NULL, NULL};
    int rc = best < 0 ? 0 : tlx_store_inbox_get(self->store, seq, &e, &held.copy);
    if (rc == TLX_ENOTFOUND) /* gone from the inbox: nothing to do */
        return;
    /* the store's copy goes out as the job's frame when the callback takes it */
    s_send_entry(self, seq, attempts, suspect, best, rc == 0 && best >= 0 ? &e : NULL, &held, NULL, 0, rc);
    free(held.copy);
}

void tlx_dispatch_send(tlx_dispatch_t *self, uint64_t seq, uint32_t attempts, int suspect)
{
    s_send_seq(self, seq, attempts, suspect, -1);
}

void tlx_dispatch_send_entry(tlx_dispatch_t *self, const tlx_inbox_entry_t *en, void *msg, const char *source,
                             size_t source_len, int suspect)
{
    tlx_dispatch_held_t held = {msg, NULL};
    s_send_entry(self, en->inbox_seq, en->attempts, suspect, s_best(self), en, &held, source, source_len, 0);
}

void tlx_dispatch_end_turn(tlx_dispatch_t *self)
{
    if (self->overflow_after && self->pend_len < self->pending_cap / 2)
        tlx_dispatch_refill(self, self->overflow_after);
}

int tlx_dispatch_give_back(tlx_dispatch_t *self)
{
    if (!self->ninflight)
        return 0;
    if (tlx_store_wbegin(self->store) == 0) {
        for (int i = 0; i < self->ninflight; i++)
            tlx_store_inbox_set_attempts(self->store, self->inflight[i].seq,
                                         self->inflight[i].attempts ? self->inflight[i].attempts - 1 : 0);
        tlx_store_wcommit(self->store);
    }
    return self->ninflight;
}
