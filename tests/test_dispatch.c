/* SPDX-License-Identifier: Apache-2.0 */
/*  test_dispatch.c -- the dispatcher on a real store, no sockets: jobs
    leave through the send callback into an in-memory list, turns are
    the writer's (plan in a write txn, commit, send).  Covers credit,
    attempt counting, suspects running alone, worker loss (silent vs
    clean leave), dead letters after K tries, retire, failing sends, the
    overflow refill past the in-memory cap, dispatch tokens (a result
    is taken only from the holder, with its dispatch's token), and the cap
    on envelope bytes a worker holds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <zmq.h>

#include "tlx_dispatch.h"
#include "tlx_metrics.h"
#include "tlx_store.h"
#include "tlx_test_store.h"

#define JOBS_MAX 256

typedef struct {
    char dir[128];
    tlx_store_t *st;
    tlx_dispatch_t *d;
    tlx_metrics_t *m;
    uint64_t seqs[64]; /* inbox seqs of the accepted articles */
    int nseqs;
    struct {
        uint64_t inbox;
        uint64_t token;
        char wid[32];
    } jobs[JOBS_MAX];
    int njobs;
    int fail_send; /* the callback refuses */
    int take;      /* the callback takes the store's copy over (and frees it, as ZeroMQ would) */
    /* what the latest call saw of the envelope's bytes */
    void *held_msg;
    int held_copy;      /* a store copy was offered, and e's pointers were inside it */
    char env_seen[256]; /* e->env's bytes, as far as they fit */
    size_t env_seen_len;
} fx_t;

static int s_send(void *ctx, const uint8_t *wid, size_t wid_len, uint64_t inbox, uint64_t token,
                  const tlx_inbox_entry_t *e, tlx_dispatch_held_t *held)
{
    fx_t *fx = ctx;
    assert_int_equal(e->inbox_seq, inbox);
    assert_non_null(held);
    fx->held_msg = held->msg;
    fx->held_copy = held->copy != NULL && (const char *)e->env >= (const char *)held->copy;
    fx->env_seen_len = e->env_len < sizeof fx->env_seen ? e->env_len : sizeof fx->env_seen;
    memcpy(fx->env_seen, e->env, fx->env_seen_len);
    if (fx->fail_send)
        return TLX_ESOCKET;
    assert_true(fx->njobs < JOBS_MAX);
    fx->jobs[fx->njobs].inbox = inbox;
    fx->jobs[fx->njobs].token = token;
    snprintf(fx->jobs[fx->njobs].wid, sizeof fx->jobs[0].wid, "%.*s", (int)wid_len, (const char *)wid);
    fx->njobs++;
    if (fx->take && held->copy) {
        free(held->copy); /* done with it, as ZeroMQ would be once the frame is read */
        held->copy = NULL;
    }
    return 0;
}

static fx_t *s_fx(int max_attempts, size_t pending_cap)
{
    fx_t *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    tlx_test_store_open(fx->dir, sizeof fx->dir, "dispatch", &fx->st);
    tlx_dispatch_opts_t o = {.max_attempts = max_attempts, .pending_cap = pending_cap};
    fx->m = tlx_metrics_new();
    assert_non_null(fx->m);
    fx->d = tlx_dispatch_new(fx->st, fx->m, &o, s_send, fx);
    assert_non_null(fx->d);
    return fx;
}

static void s_fx_free(fx_t *fx)
{
    tlx_dispatch_destroy(&fx->d);
    tlx_dispatch_destroy(&fx->d); /* safe twice */
    tlx_metrics_destroy(&fx->m);
    assert_int_equal(tlx_test_store_remove(fx->dir, &fx->st), 0);
    free(fx);
}

/* Accepts n articles in one txn; queues them as the writer does. */
static void s_accept(fx_t *fx, int n, int queue)
{
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    for (int i = 0; i < n; i++) {
        char text[64];
        tlx_accept_out_t out;
        snprintf(text, sizeof text, "article number %d of the dispatch test", fx->nseqs);
        assert_int_equal(tlx_test_accept(fx->st, NULL, text, &out), 0);
        fx->seqs[fx->nseqs++] = out.inbox_seq;
    }
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    for (int i = fx->nseqs - n; queue && i < fx->nseqs; i++)
        tlx_dispatch_push(fx->d, fx->seqs[i], 0, 0, 0);
}

/* One writer turn without envelopes; returns the free credit. */
static int s_turn(fx_t *fx)
{
    int free_credit = -1;
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_dispatch_plan(fx->d, 1000, 0, &free_credit), 0);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    tlx_dispatch_planned_send(fx->d);
    tlx_dispatch_end_turn(fx->d);
    return free_credit;
}

static uint32_t s_attempts(fx_t *fx, uint64_t seq)
{
    tlx_inbox_entry_t e;
    void *copy = NULL;
    assert_int_equal(tlx_store_inbox_get(fx->st, seq, &e, &copy), 0);
    free(copy);
    return e.attempts;
}

static int s_jobs_to(fx_t *fx, const char *wid)
{
    int n = 0;
    for (int i = 0; i < fx->njobs; i++)
        n += strcmp(fx->jobs[i].wid, wid) == 0;
    return n;
}

static int s_hello(fx_t *fx, const char *wid, uint32_t credit, int hb, uint64_t now)
{
    int joined;
    int w = tlx_dispatch_hello(fx->d, (const uint8_t *)wid, strlen(wid), credit, hb, now, &joined);
    assert_true(w >= 0);
    return w;
}

/* The token of the latest job for inbox (0 when it was never sent). */
static uint64_t s_token_of(const fx_t *fx, uint64_t inbox)
{
    for (int i = fx->njobs - 1; i >= 0; i--)
        if (fx->jobs[i].inbox == inbox)
            return fx->jobs[i].token;
    return 0;
}

static void s_result_tok(fx_t *fx, const char *wid, uint64_t inbox, uint64_t token, int expect_inflight)
{
    tlx_dispatch_done_t done = {0};
    int w = wid ? tlx_dispatch_find(fx->d, (const uint8_t *)wid, strlen(wid)) : -1;
    assert_int_equal(tlx_dispatch_result(fx->d, w, inbox, token, &done), expect_inflight);
    free(done.id);
}

/* A result from wid for inbox, echoing the token its latest job carried. */
static void s_result(fx_t *fx, const char *wid, uint64_t inbox, int expect_inflight)
{
    s_result_tok(fx, wid, inbox, s_token_of(fx, inbox), expect_inflight);
}

/* A worker never holds more than its credit; a result returns one. */
static void test_credit(void **state)
{
    (void)state;
    fx_t *fx = s_fx(3, 0);
    s_accept(fx, 10, 1);
    s_hello(fx, "a", 2, 0, 1);
    s_hello(fx, "b", 3, 0, 1);
    assert_int_equal(tlx_dispatch_credit(fx->d), 5);
    assert_int_equal(s_turn(fx), 0); /* older articles still queued: nothing new goes out directly */
    assert_int_equal(fx->njobs, 5);
    assert_int_equal(s_jobs_to(fx, "a"), 2);
    assert_int_equal(s_jobs_to(fx, "b"), 3);
    assert_int_equal(tlx_dispatch_inflight(fx->d), 5);
    assert_int_equal(tlx_dispatch_queued(fx->d), 5);
    for (int i = 0; i < 5; i++) /* queue order, attempt raised before the send */
        assert_int_equal(s_attempts(fx, fx->seqs[i]), 1);
    assert_int_equal(s_attempts(fx, fx->seqs[5]), 0);

    s_turn(fx); /* no credit left: nothing */
    assert_int_equal(fx->njobs, 5);

    const char *aw = fx->jobs[0].wid;
    s_result(fx, aw, fx->jobs[0].inbox, 1);
    assert_int_equal(tlx_dispatch_credit(fx->d), 1);
    s_turn(fx);
    assert_int_equal(fx->njobs, 6);
    assert_string_equal(fx->jobs[5].wid, aw);
    assert_int_equal(fx->jobs[5].inbox, fx->seqs[5]);
    s_result(fx, aw, fx->jobs[0].inbox, 0); /* the same result twice: no longer in flight */

    /* a result is taken only from the worker holding the job: not from
       another worker, nor from a peer that never said hello */
    const char *other = strcmp(fx->jobs[1].wid, "a") == 0 ? "b" : "a";
    s_result(fx, other, fx->jobs[1].inbox, 0);
    s_result(fx, NULL, fx->jobs[1].inbox, 0);
    assert_int_equal(tlx_dispatch_inflight(fx->d), 5);
    s_result(fx, fx->jobs[1].wid, fx->jobs[1].inbox, 1);
    s_turn(fx);

    /* hello credit is clamped to 1..TLX_CREDIT_MAX */
    int w = s_hello(fx, "c", 0, 0, 1);
    assert_int_equal(tlx_dispatch_worker(fx->d, w)->max_credit, 1);
    w = s_hello(fx, "c", 100000, 0, 1);
    assert_int_equal(tlx_dispatch_worker(fx->d, w)->max_credit, TLX_CREDIT_MAX);
    assert_int_equal(tlx_dispatch_nworkers(fx->d), 3);
    s_fx_free(fx);
}

/* A worker holding TLX_DISPATCH_WORKER_BYTES of envelopes gets no more
   jobs whatever its credit; one planned but not sent keeps its try. */
static void test_byte_cap(void **state)
{
    (void)state;
    fx_t *fx = s_fx(3, 0);
    const size_t big = TLX_DISPATCH_WORKER_BYTES / 3 + 1; /* three of these pass the cap */
    char *text = malloc(big + 1);
    assert_non_null(text);
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    for (int i = 0; i < 4; i++) {
        tlx_accept_out_t out;
        memset(text, 'a' + i, big);
        text[big] = '\0';
        assert_int_equal(tlx_test_accept(fx->st, NULL, text, &out), 0);
        fx->seqs[fx->nseqs++] = out.inbox_seq;
    }
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    free(text);
    for (int i = 0; i < 4; i++)
        tlx_dispatch_push(fx->d, fx->seqs[i], 0, 0, 0);
    int w = s_hello(fx, "a", 10, 0, 1);
    s_turn(fx); /* four planned; the third fills the bytes, the fourth stays */
    assert_int_equal(fx->njobs, 3);
    assert_true(tlx_dispatch_worker(fx->d, w)->bytes >= TLX_DISPATCH_WORKER_BYTES);
    assert_int_equal(tlx_dispatch_worker(fx->d, w)->credit, 7);
    assert_int_equal(tlx_dispatch_credit(fx->d), 0);
    assert_int_equal(tlx_dispatch_queued(fx->d), 1);
    s_turn(fx); /* still full: nothing, and no try raised for the waiting one */
    assert_int_equal(fx->njobs, 3);
    assert_int_equal(s_attempts(fx, fx->seqs[3]), 1);
    s_result(fx, "a", fx->jobs[0].inbox, 1); /* bytes come back with the result */
    assert_int_equal(tlx_dispatch_credit(fx->d), 8);
    s_turn(fx);
    assert_int_equal(fx->njobs, 4);
    assert_int_equal(fx->jobs[3].inbox, fx->seqs[3]);
    assert_int_equal(s_attempts(fx, fx->seqs[3]), 1); /* one dispatch, one try */
    for (int i = 1; i < 4; i++)
        s_result(fx, "a", fx->jobs[i].inbox, 1);
    assert_int_equal(tlx_dispatch_worker(fx->d, w)->bytes, 0);
    s_fx_free(fx);
}

/* With nothing queued, brand-new articles may use the credit directly. */
static void test_free_credit(void **state)
{
    (void)state;
    fx_t *fx = s_fx(3, 0);
    s_hello(fx, "a", 4, 0, 1);
    assert_int_equal(s_turn(fx), 4);
    s_accept(fx, 1, 1);
    assert_int_equal(s_turn(fx), 3); /* the queued one took one credit */
    assert_int_equal(fx->njobs, 1);
    tlx_dispatch_send(fx->d, fx->seqs[0], 1, 0); /* the writer's direct dispatch path */
    assert_int_equal(fx->njobs, 2);
    s_fx_free(fx);
}

/* A silent remote worker expires; its articles keep the try.  A worker
   that leaves cleanly gives the try back. */
static void test_worker_loss(void **state)
{
    (void)state;
    fx_t *fx = s_fx(5, 0);
    s_accept(fx, 4, 1);
    s_hello(fx, "remote", 2, 1, 1000);
    s_hello(fx, "local", 2, 0, 1000);
    s_turn(fx);
    assert_int_equal(fx->njobs, 4);
    assert_int_equal(tlx_dispatch_expire(fx->d, 500), 0);  /* seen after the deadline */
    assert_int_equal(tlx_dispatch_expire(fx->d, 2000), 1); /* only the heartbeating one expires */
    assert_int_equal(tlx_dispatch_nworkers(fx->d), 1);
    assert_int_equal(tlx_dispatch_inflight(fx->d), 2);
    assert_int_equal(tlx_dispatch_queued(fx->d), 2);

    int w = tlx_dispatch_find(fx->d, (const uint8_t *)"local", 5);
    tlx_dispatch_remove(fx->d, w, 1); /* "D": left cleanly */
    assert_int_equal(tlx_dispatch_inflight(fx->d), 0);
    assert_int_equal(tlx_dispatch_queued(fx->d), 4);

    s_hello(fx, "new", 8, 0, 3000);
    fx->njobs = 0;
    s_turn(fx);
    assert_int_equal(fx->njobs, 4);
    int lost = 0, left = 0;
    for (int i = 0; i < 4; i++) {
        uint32_t a = s_attempts(fx, fx->seqs[i]);
        assert_true(a == 1 || a == 2);
        lost += a == 2;
        left += a == 1;
    }
    assert_int_equal(lost, 2);
    assert_int_equal(left, 2);
    s_fx_free(fx);
}

/* An article whose worker dies K times is dead-lettered, not sent again. */
static void test_dead_after_k(void **state)
{
    (void)state;
    fx_t *fx = s_fx(2, 0);
    s_accept(fx, 1, 1);
    for (int round = 0; round < 2; round++) {
        s_hello(fx, "r", 1, 1, 10);
        s_turn(fx);
        assert_int_equal(fx->njobs, round + 1);
        assert_int_equal(s_attempts(fx, fx->seqs[0]), (uint32_t)round + 1);
        assert_int_equal(tlx_dispatch_expire(fx->d, 100), 1);
    }
    s_hello(fx, "r", 1, 1, 10);
    s_turn(fx);
    assert_int_equal(fx->njobs, 2); /* not sent a third time */
    assert_int_equal(tlx_dispatch_queued(fx->d), 0);
    tlx_store_counts_t c;
    assert_int_equal(tlx_store_counts(fx->st, &c), 0);
    assert_int_equal(c.dead, 1);
    assert_int_equal(c.inbox, 0);
    s_fx_free(fx);
}

/* An article found already attempted (it may have killed the last
   process) runs alone: after what is before it, and before anything else. */
static void test_suspect_alone(void **state)
{
    (void)state;
    fx_t *fx = s_fx(3, 0);
    s_accept(fx, 3, 0);
    assert_int_equal(tlx_store_wbegin(fx->st), 0); /* the previous process died with #2 in flight */
    assert_int_equal(tlx_store_inbox_set_attempts(fx->st, fx->seqs[1], 1), 0);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    tlx_dispatch_refill(fx->d, 0);
    assert_int_equal(tlx_dispatch_queued(fx->d), 3);
    s_hello(fx, "a", 10, 0, 1);

    assert_int_equal(s_turn(fx), 0);
    assert_int_equal(fx->njobs, 1); /* #1 only: the suspect waits for it */
    assert_int_equal(fx->jobs[0].inbox, fx->seqs[0]);
    s_turn(fx);
    assert_int_equal(fx->njobs, 1);

    s_result(fx, "a", fx->seqs[0], 1);
    assert_int_equal(s_turn(fx), 0);
    assert_int_equal(fx->njobs, 2); /* the suspect, alone */
    assert_int_equal(fx->jobs[1].inbox, fx->seqs[1]);
    assert_int_equal(s_attempts(fx, fx->seqs[1]), 2);
    s_turn(fx);
    assert_int_equal(fx->njobs, 2); /* nothing joins it */

    s_result(fx, "a", fx->seqs[1], 1);
    s_turn(fx);
    assert_int_equal(fx->njobs, 3);
    assert_int_equal(fx->jobs[2].inbox, fx->seqs[2]);
    s_fx_free(fx);
}

/* Past the in-memory cap articles stay on disk; the refill finds each
   exactly once. */
static void test_overflow_refill(void **state)
{
    (void)state;
    fx_t *fx = s_fx(3, 4);
    s_accept(fx, 11, 1);
    assert_int_equal(tlx_dispatch_queued(fx->d), 4);
    assert_int_equal(tlx_dispatch_overflow_after(fx->d), fx->seqs[4] - 1);
    s_hello(fx, "a", 3, 0, 1);
    for (int turn = 0; turn < 20 && fx->njobs < 11; turn++) {
        int n = fx->njobs;
        uint64_t on_disk = tlx_dispatch_overflow_after(fx->d);
        int free_credit = s_turn(fx);
        if (on_disk) /* older articles on disk: never new ones first */
            assert_int_equal(free_credit, 0);
        for (int i = n; i < fx->njobs; i++)
            s_result(fx, "a", fx->jobs[i].inbox, 1);
    }
    assert_int_equal(fx->njobs, 11);
    for (int i = 0; i < 11; i++) /* in inbox order, each once */
        assert_int_equal(fx->jobs[i].inbox, fx->seqs[i]);
    assert_int_equal(tlx_dispatch_queued(fx->d), 0);
    assert_int_equal(tlx_dispatch_overflow_after(fx->d), 0);

    /* a rescan skips what is in flight */
    s_turn(fx);
    fx->njobs = 0;
    s_accept(fx, 2, 1);
    s_turn(fx);
    assert_int_equal(fx->njobs, 2);
    tlx_dispatch_rescan(fx->d);
    assert_int_equal(tlx_dispatch_queued(fx->d), 4); /* 13 in the inbox, 2 out, cap 4 */
    assert_int_equal(tlx_dispatch_overflow_after(fx->d), fx->seqs[4] - 1);
    s_fx_free(fx);
}

/* Retire waits for the worker's articles; unretire gives its room back. */
static void test_retire(void **state)
{
    (void)state;
    fx_t *fx = s_fx(3, 0);
    s_accept(fx, 2, 1);
    int w = s_hello(fx, "local-1", 4, 0, 1);
    s_turn(fx);
    assert_int_equal(fx->njobs, 2);
    assert_int_equal(tlx_dispatch_retire(fx->d, w), 0); /* busy */
    assert_int_equal(tlx_dispatch_credit(fx->d), 0);
    s_result(fx, "local-1", fx->seqs[0], 1);
    assert_int_equal(tlx_dispatch_credit(fx->d), 0); /* retired: no credit back */
    tlx_dispatch_unretire(fx->d, w);
    assert_int_equal(tlx_dispatch_credit(fx->d), 3); /* 4 minus the one still out */
    s_result(fx, "local-1", fx->seqs[1], 1);
    assert_int_equal(tlx_dispatch_retire(fx->d, w), 1);
    s_fx_free(fx);
}

/* A job the link cannot send stays queued; no credit is used. */
static void test_send_failure(void **state)
{
    (void)state;
    fx_t *fx = s_fx(3, 0);
    s_accept(fx, 1, 1);
    s_hello(fx, "a", 2, 0, 1);
    fx->fail_send = 1;
    s_turn(fx);
    assert_int_equal(fx->njobs, 0);
    assert_int_equal(tlx_dispatch_inflight(fx->d), 0);
    assert_int_equal(tlx_dispatch_queued(fx->d), 1);
    assert_int_equal(tlx_dispatch_credit(fx->d), 2);
    fx->fail_send = 0;
    s_turn(fx);
    assert_int_equal(fx->njobs, 1);
    assert_int_equal(tlx_dispatch_give_back(fx->d), 1); /* shutdown: the try is given back */
    assert_int_equal(s_attempts(fx, fx->seqs[0]), 1);
    s_fx_free(fx);
}

/* Every dispatch carries a fresh token; a result counts only from the
   worker holding the job with that token.  A peer that guesses inbox
   seqs (knowing neither) is ignored and counted, and gets no credit for
   it; a result of an earlier attempt of an article that went out again
   (its worker was lost, then said hello again with the same identity)
   does not replace the new attempt's. */
static void test_tokens(void **state)
{
    (void)state;
    fx_t *fx = s_fx(5, 0);
    s_accept(fx, 4, 1);
    s_hello(fx, "holder", 3, 1, 1000);
    s_hello(fx, "forger", 1, 1, 1000);
    s_turn(fx);
    assert_int_equal(fx->njobs, 4);
    assert_int_equal(s_jobs_to(fx, "holder"), 3); /* jobs 0..2; the forger holds job 3 */
    assert_string_equal(fx->jobs[3].wid, "forger");
    for (int i = 0; i < 4; i++) {
        assert_true(fx->jobs[i].token != 0);
        for (int j = 0; j < i; j++)
            assert_true(fx->jobs[i].token != fx->jobs[j].token);
    }
    int forger = tlx_dispatch_find(fx->d, (const uint8_t *)"forger", 6);
    int holder = tlx_dispatch_find(fx->d, (const uint8_t *)"holder", 6);
    uint64_t t0 = fx->jobs[0].token;
    /* the forger guesses every seq: it holds none of them */
    for (uint64_t seq = 1; seq <= 8; seq++)
        s_result_tok(fx, "forger", seq, seq * 7919, 0);
    s_result_tok(fx, "forger", fx->jobs[0].inbox, t0, 0);            /* even with the right token */
    assert_int_equal(tlx_dispatch_worker(fx->d, forger)->credit, 0); /* no room for more jobs */
    /* the holder with a wrong token, or an unknown peer with the right one */
    s_result_tok(fx, "holder", fx->jobs[0].inbox, t0 ^ 1, 0);
    s_result_tok(fx, NULL, fx->jobs[0].inbox, t0, 0);
    assert_int_equal(tlx_dispatch_inflight(fx->d), 4);
    assert_int_equal(tlx_metrics_count(fx->m, TLX_M_RESULT_IGNORED), 11);
    assert_int_equal(tlx_dispatch_worker(fx->d, holder)->credit, 0);
    s_result_tok(fx, "holder", fx->jobs[0].inbox, t0, 1); /* the genuine one */
    assert_int_equal(tlx_dispatch_worker(fx->d, holder)->credit, 1);

    /* the holder goes silent and is lost; it comes back under the same
       identity and gets the same articles again, with new tokens */
    assert_int_equal(tlx_dispatch_expire(fx->d, 5000), 2);
    uint64_t seq1 = fx->jobs[1].inbox, old1 = fx->jobs[1].token;
    s_hello(fx, "holder", 3, 1, 6000);
    fx->njobs = 0;
    s_turn(fx);
    assert_int_equal(fx->njobs, 3); /* seqs 2 and 3 again, and what the forger held */
    uint64_t new1 = s_token_of(fx, seq1);
    assert_true(new1 != 0 && new1 != old1);
    s_result_tok(fx, "holder", seq1, old1, 0); /* the stale attempt's result */
    assert_int_equal(tlx_dispatch_inflight(fx->d), 3);
    s_result_tok(fx, "holder", seq1, new1, 1);
    s_fx_free(fx);
}

/* The send callback learns who holds the envelope's bytes: the store's
   copy for a queued article (which it may take over: the dispatcher reads
   the source and the size before the send, and frees the copy only when
   it was not taken), the caller's frame for the writer's direct path. */
static void test_held_bytes(void **state)
{
    (void)state;
    fx_t *fx = s_fx(3, 0);
    tlx_buf_t env = {0};
    tlx_envelope_t ev = {.v = 1,
                         .producer = {"p", 1},
                         .seq = 1,
                         .text = {"a text long enough to be an article", 35},
                         .source = {"wire", 4}};
    assert_int_equal(tlx_envelope_encode(&ev, &env), 0);
    assert_true(env.len <= sizeof fx->env_seen);
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    for (int i = 0; i < 3; i++) {
        tlx_accept_in_t in = {.text = ev.text.p,
                              .text_len = ev.text.len - (size_t)i, /* three distinct texts */
                              .raw = env.data,
                              .raw_len = env.len,
                              .received_at = 1000};
        tlx_accept_out_t out;
        assert_int_equal(tlx_store_accept(fx->st, &in, &out), 0);
        fx->seqs[fx->nseqs++] = out.inbox_seq;
        tlx_dispatch_push(fx->d, out.inbox_seq, 0, 0, 0);
    }
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    int w = s_hello(fx, "a", 1, 0, 1);

    s_turn(fx); /* the store's copy is offered and not taken: the dispatcher frees it */
    assert_int_equal(fx->njobs, 1);
    assert_null(fx->held_msg);
    assert_true(fx->held_copy);
    assert_int_equal(fx->env_seen_len, env.len);
    assert_memory_equal(fx->env_seen, env.data, env.len);
    assert_int_equal(tlx_dispatch_worker(fx->d, w)->bytes, env.len);
    tlx_dispatch_done_t done = {0};
    assert_int_equal(tlx_dispatch_result(fx->d, w, fx->jobs[0].inbox, fx->jobs[0].token, &done), 1);
    assert_string_equal(done.source, "wire");
    free(done.id);

    fx->take = 1; /* taken over and gone when the callback returns */
    s_turn(fx);
    assert_int_equal(fx->njobs, 2);
    assert_true(fx->held_copy);
    assert_int_equal(tlx_dispatch_worker(fx->d, w)->bytes, env.len);
    memset(&done, 0, sizeof done);
    assert_int_equal(tlx_dispatch_result(fx->d, w, fx->jobs[1].inbox, fx->jobs[1].token, &done), 1);
    assert_string_equal(done.source, "wire"); /* read before the send */
    free(done.id);

    /* the direct path: the caller's frame goes to the callback, no store copy */
    int frame;
    tlx_inbox_entry_t en = {
        .inbox_seq = fx->seqs[2], .attempts = 1, .id = "x", .id_len = 1, .env = env.data, .env_len = env.len};
    assert_int_equal(s_turn(fx), 0); /* the third is still queued: it went out now */
    assert_int_equal(fx->njobs, 3);
    s_result(fx, "a", fx->seqs[2], 1);
    /* the source as the writer decoded it: the envelope is not read for it */
    tlx_dispatch_send_entry(fx->d, &en, &frame, "decoded and more", 7, 0);
    assert_int_equal(fx->njobs, 4);
    assert_ptr_equal(fx->held_msg, &frame);
    assert_false(fx->held_copy);
    memset(&done, 0, sizeof done);
    assert_int_equal(tlx_dispatch_result(fx->d, w, fx->jobs[3].inbox, fx->jobs[3].token, &done), 1);
    assert_string_equal(done.source, "decoded");
    free(done.id);

    /* a failing send: the copy not taken is freed, the article queued again */
    fx->take = 0;
    fx->fail_send = 1;
    tlx_dispatch_send(fx->d, fx->seqs[2], 1, 0);
    assert_true(fx->held_copy);
    assert_int_equal(tlx_dispatch_queued(fx->d), 1);
    tlx_buf_free(&env);
    s_fx_free(fx);
}

/* Accepts n articles whose inbox value is the envelope in *env (texts
   differ), without queueing them; their seqs go to fx->seqs. */
static void s_accept_env(fx_t *fx, int n, const tlx_buf_t *env, const char *text)
{
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    for (int i = 0; i < n; i++) {
        tlx_accept_in_t in = {.text = text,
                              .text_len = strlen(text) - (size_t)fx->nseqs, /* distinct texts */
                              .raw = env->data,
                              .raw_len = env->len,
                              .received_at = 1000};
        tlx_accept_out_t out;
        assert_int_equal(tlx_store_accept(fx->st, &in, &out), 0);
        fx->seqs[fx->nseqs++] = out.inbox_seq;
    }
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
}

/* Queues seq as the writer does after the commit: with its received frame
   (a real zmq_msg_t, closed here at once: the queue keeps a reference). */
static void s_push_frame(fx_t *fx, uint64_t seq, uint32_t attempts, const char *id, const tlx_buf_t *env,
                         const char *source)
{
    zmq_msg_t msg;
    assert_int_equal(zmq_msg_init_size(&msg, env->len), 0);
    memcpy(zmq_msg_data(&msg), env->data, env->len);
    tlx_inbox_entry_t en = {.inbox_seq = seq,
                            .attempts = attempts,
                            .revision = 1,
                            .received_at = 1000,
                            .id = id,
                            .id_len = strlen(id),
                            .env = zmq_msg_data(&msg),
                            .env_len = zmq_msg_size(&msg)};
    tlx_dispatch_push_entry(fx->d, &en, &msg, source, source ? strlen(source) : 0);
    zmq_msg_close(&msg);
}

/* A queued new article keeps its received frame: its dispatch shares it
   and reads nothing back; what the queue lets go of (sent, dead-lettered,
   rescanned) lets go of the frame; a long id is read from the inbox. */
static void test_held_queue(void **state)
{
    (void)state;
    fx_t *fx = s_fx(3, 0);
    tlx_buf_t env = {0};
    const char *text = "a text long enough to be an article of the held queue";
    tlx_envelope_t ev = {
        .v = 1, .producer = {"p", 1}, .seq = 1, .text = {text, strlen(text)}, .source = {"held", 4}};
    assert_int_equal(tlx_envelope_encode(&ev, &env), 0);
    s_accept_env(fx, 5, &env, text);
    for (int i = 0; i < 3; i++)
        s_push_frame(fx, fx->seqs[i], 0, "id", &env, i ? NULL : "pushed"); /* the first: a decoded source */
    assert_int_equal(tlx_dispatch_held(fx->d), 3);
    assert_int_equal(tlx_dispatch_queued(fx->d), 3);

    int w = s_hello(fx, "a", 2, 0, 1);
    s_turn(fx); /* two go out with their frames, no inbox copy */
    assert_int_equal(fx->njobs, 2);
    assert_non_null(fx->held_msg);
    assert_false(fx->held_copy);
    assert_int_equal(fx->env_seen_len, env.len);
    assert_memory_equal(fx->env_seen, env.data, env.len);
    assert_int_equal(tlx_dispatch_held(fx->d), 1);
    tlx_dispatch_done_t done = {0};
    assert_int_equal(tlx_dispatch_result(fx->d, w, fx->jobs[0].inbox, fx->jobs[0].token, &done), 1);
    assert_string_equal(done.id, "id");
    assert_string_equal(done.source, "pushed"); /* queue order: seqs[0] first */
    free(done.id);
    memset(&done, 0, sizeof done);
    assert_int_equal(s_attempts(fx, fx->seqs[0]), 1); /* the try is raised as for any queued article */

    assert_int_equal(tlx_dispatch_result(fx->d, w, fx->jobs[1].inbox, fx->jobs[1].token, &done), 1);
    assert_string_equal(done.source, "held"); /* read from its envelope */
    free(done.id);
    s_fx_free(fx); /* the third is still held: destroy lets go of it (ASan) */

    /* a rescan lets go of the held frames: the inbox is the truth again */
    fx = s_fx(3, 0);
    s_accept_env(fx, 2, &env, text);
    s_push_frame(fx, fx->seqs[0], 0, "id", &env, NULL);
    s_push_frame(fx, fx->seqs[1], 0, "id", &env, NULL);
    assert_int_equal(tlx_dispatch_held(fx->d), 2);
    tlx_dispatch_rescan(fx->d);
    assert_int_equal(tlx_dispatch_held(fx->d), 0);
    assert_int_equal(tlx_dispatch_queued(fx->d), 2);
    s_fx_free(fx);

    /* a long id is not held (the article is queued all the same); one
       tried K times already is dead-lettered by the plan, its frame let go */
    fx = s_fx(3, 0);
    s_accept_env(fx, 2, &env, text);
    char longid[200];
    memset(longid, 'x', sizeof longid - 1);
    longid[sizeof longid - 1] = '\0';
    s_push_frame(fx, fx->seqs[0], 3, longid, &env, NULL);
    assert_int_equal(tlx_dispatch_held(fx->d), 0);
    s_push_frame(fx, fx->seqs[1], 3, "id", &env, NULL);
    assert_int_equal(tlx_dispatch_held(fx->d), 1);
    assert_int_equal(tlx_dispatch_queued(fx->d), 2);
    s_hello(fx, "a", 2, 0, 1);
    s_turn(fx);
    assert_int_equal(fx->njobs, 0);
    assert_int_equal(tlx_dispatch_held(fx->d), 0);
    assert_int_equal(tlx_dispatch_queued(fx->d), 0);
    assert_int_equal(tlx_metrics_count(fx->m, TLX_M_DEAD), 2);
    tlx_buf_free(&env);
    s_fx_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_credit),        cmocka_unit_test(test_free_credit),
        cmocka_unit_test(test_worker_loss),   cmocka_unit_test(test_dead_after_k),
        cmocka_unit_test(test_suspect_alone), cmocka_unit_test(test_overflow_refill),
        cmocka_unit_test(test_retire),        cmocka_unit_test(test_send_failure),
        cmocka_unit_test(test_tokens),        cmocka_unit_test(test_byte_cap),
        cmocka_unit_test(test_held_bytes),    cmocka_unit_test(test_held_queue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
