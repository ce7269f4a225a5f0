/* SPDX-License-Identifier: Apache-2.0 */
/*  test_daemon.c -- telexd's engine in a child process: a real ROUTER on
    an ipc socket, a real LMDB store in a temp dir, the producer library on
    the other side.  Covers accept -> process -> store, duplicates, and the
    failure path: an article whose pipeline fails K times goes to the dead
    letters with its stage and reason (TELEX_TEST_HOOKS).

    The daemon runs in its own process, not a thread of this one, because
    the test reads the store while the daemon writes it: LMDB must not
    have one environment open twice in a process (lmdb.h, "Caveats").  A
    second open there takes the lock file's exclusive lock (fcntl locks
    never conflict within a process), so it re-initialises the shared
    reader table, transaction id and write mutex under the running
    writer, and closing it drops the writer's locks: the writer could
    base a commit on an old meta page and readers then saw a state from
    before it for good (the daemon logged processed=1 dead=1 while every
    read-only open here saw no such counts). */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <zmq.h>

#include "tlx_arena.h"
#include "tlx_daemon.h"
#include "tlx_elink.h"
#include "tlx_enricher.h"
#include "tlx_json.h"
#include "tlx_producer.h"
#include "tlx_store.h"
#include "tlx_test_store.h"

typedef struct {
    tlx_daemon_cfg_t cfg;
    pid_t pid; /* the daemon's process; 0 = not started */
    char dir[128];
} fx_t;

static volatile sig_atomic_t s_child_stop;

static void s_on_term(int sig)
{
    (void)sig;
    s_child_stop = 1;
}

/* The fixture as a store-role telexd without local enrich threads: the
   front and the enrich link on ipc sockets in its directory, no notify
   socket, no HTTP. */
static void s_store_role(fx_t *fx)
{
    snprintf(fx->cfg.listen[0], sizeof fx->cfg.listen[0], "ipc://%s/front.sock", fx->dir);
    fx->cfg.nlisten = 1;
    fx->cfg.role = TLX_ROLE_STORE;
    fx->cfg.threads = 0;
    snprintf(fx->cfg.enrich_listen, sizeof fx->cfg.enrich_listen, "ipc://%s/back.sock", fx->dir);
    snprintf(fx->cfg.notify, sizeof fx->cfg.notify, "none");
    snprintf(fx->cfg.http, sizeof fx->cfg.http, "none");
    fx->cfg.drain_ms = 100;
}

/* Forks the daemon (this process has no threads at this point: every
   test's ZeroMQ context is gone).  Its exit status is tlx_daemon_run's
   result. */
static void s_start(fx_t *fx)
{
    fflush(NULL);
    fx->pid = fork();
    assert_true(fx->pid >= 0);
    if (fx->pid == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = s_on_term; /* no SA_RESTART: zmq_poll returns EINTR */
        sigaction(SIGTERM, &sa, NULL);
        tlx_daemon_hooks_t hooks = {.stop = &s_child_stop};
        _exit(tlx_daemon_run(&fx->cfg, &hooks) == 0 ? 0 : 1);
    }
}

static int s_setup(void **state)
{
    setenv("TELEX_TEST_HOOKS", "1", 1);
    fx_t *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/telex-test-daemon-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    tlx_daemon_cfg_default(&fx->cfg);
    snprintf(fx->cfg.store, sizeof fx->cfg.store, "%s/store", fx->dir);
    snprintf(fx->cfg.listen[0], sizeof fx->cfg.listen[0], "ipc://%s/front.sock", fx->dir);
    fx->cfg.nlisten = 1;
    fx->cfg.threads = 2;
    snprintf(fx->cfg.notify, sizeof fx->cfg.notify, "none");
    snprintf(fx->cfg.http, sizeof fx->cfg.http, "none");
    s_start(fx);
    *state = fx;
    return 0;
}

static int s_teardown(void **state)
{
    fx_t *fx = *state;
    int status = 0;
    if (fx->pid > 0) {
        kill(fx->pid, SIGTERM);
        assert_int_equal(waitpid(fx->pid, &status, 0), fx->pid);
    }
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    if (system(cmd) != 0)
        return -1;
    free(fx);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    return 0;
}

typedef struct {
    int accepted, duplicate, rejected;
    char last_id[64];
} acks_t;

static void s_on_ack(void *ctx, const tlx_ack_t *ack, void *user)
{
    (void)user;
    acks_t *a = ctx;
    if (ack->status == TLX_ACK_ACCEPTED)
        a->accepted++;
    else if (ack->status == TLX_ACK_DUPLICATE)
        a->duplicate++;
    else
        a->rejected++;
    snprintf(a->last_id, sizeof a->last_id, "%.*s", (int)ack->id.len, ack->id.p);
}

static void s_push(fx_t *fx, acks_t *acks, const char **texts, int n)
{
    tlx_producer_opts_t po = {
        .endpoint = fx->cfg.listen[0], .on_ack = s_on_ack, .ctx = acks, .timeout_ms = 500};
    int err;
    tlx_producer_t *p = tlx_producer_new(&po, &err);
    assert_non_null(p);
    for (int i = 0; i < n; i++) {
        tlx_envelope_t env = {.text = {texts[i], strlen(texts[i])}};
        assert_int_equal(tlx_producer_send(p, &env, NULL, 10000, NULL), 0);
    }
    assert_int_equal(tlx_producer_flush(p, 10000), 0);
    tlx_producer_destroy(&p);
}

/* Reads the store (read-only, from this process) until it holds the
   counts wanted or 10 s passed; a failed open or read is printed, so a
   timeout says why. */
static tlx_store_counts_t s_wait(fx_t *fx, uint64_t articles, uint64_t dead)
{
    tlx_store_opts_t o;
    tlx_store_opts_default(&o);
    o.read_only = true;
    tlx_store_counts_t k = {0};
    char err[256] = "";
    for (int i = 0; i < 200; i++) {
        tlx_store_t *st;
        int rc = tlx_store_open(fx->cfg.store, &o, &st, err, sizeof err);
        if (rc == 0) {
            rc = tlx_store_counts(st, &k);
            if (rc)
                snprintf(err, sizeof err, "tlx_store_counts: %s", tlx_strerror(rc));
            tlx_store_close(&st);
            if (rc == 0 && k.articles >= articles && k.dead >= dead && k.inbox == 0)
                return k;
        }
        usleep(50000);
    }
    fprintf(stderr, "store %s after 10 s: articles=%llu dead=%llu inbox=%llu last error: %s\n", fx->cfg.store,
            (unsigned long long)k.articles, (unsigned long long)k.dead, (unsigned long long)k.inbox,
            err[0] ? err : "none");
    return k;
}

static void test_accept_and_store(void **state)
{
    fx_t *fx = *state;
    acks_t acks = {0};
    const char *texts[] = {"Headline one\n\nBody one.", "Headline two\n\nBody two.",
                           "Headline one\n\nBody one."};
    s_push(fx, &acks, texts, 3);
    assert_int_equal(acks.accepted, 2);
    assert_int_equal(acks.duplicate, 1);
    tlx_store_counts_t k = s_wait(fx, 2, 0);
    assert_int_equal(k.articles, 2);
    assert_int_equal(k.inbox, 0);
}

static void test_failure_goes_to_dead_letters(void **state)
{
    fx_t *fx = *state;
    acks_t acks = {0};
    const char *texts[] = {"TELEX-TEST-FAIL this article fails in the pipeline", "A good one\n\nIt passes."};
    s_push(fx, &acks, texts, 2);
    assert_int_equal(acks.accepted, 2);
    tlx_store_counts_t k = s_wait(fx, 1, 1);
    assert_int_equal(k.articles, 1);
    assert_int_equal(k.dead, 1);
    assert_int_equal(k.inbox, 0);
}

/* Remote workers may announce up to 1024 credits each: 20 of them (20,480
   in all) over a 20,000-article inbox get every article exactly once, a
   bounded number per turn (the per-turn arrays once overflowed here). */
static void test_large_remote_credit(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/telex-test-daemon-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    *state = fx; /* the teardown stops the daemon and removes the dir, also after a failed assert */
    tlx_daemon_cfg_default(&fx->cfg);
    snprintf(fx->cfg.store, sizeof fx->cfg.store, "%s/store", fx->dir);
    enum { N = 20000, WORKERS = 20 };
    {
        tlx_store_t *st;
        char err[256];
        assert_int_equal(tlx_store_open(fx->cfg.store, NULL, &st, err, sizeof err), 0);
        assert_int_equal(tlx_store_wbegin(st), 0);
        for (int i = 0; i < N; i++) {
            char id[32], text[32];
            snprintf(id, sizeof id, "c-%d", i);
            snprintf(text, sizeof text, "text %d", i);
            tlx_accept_out_t out;
            assert_int_equal(tlx_test_accept(st, id, text, &out), 0);
        }
        assert_int_equal(tlx_store_wcommit(st), 0);
        tlx_store_close(&st);
    }
    s_store_role(fx);
    s_start(fx);

    void *ctx = zmq_ctx_new();
    void *w[WORKERS];
    zmq_pollitem_t items[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        w[i] = zmq_socket(ctx, ZMQ_DEALER);
        int zero = 0;
        zmq_setsockopt(w[i], ZMQ_LINGER, &zero, sizeof zero);
        zmq_setsockopt(w[i], ZMQ_RCVHWM, &zero, sizeof zero);
        assert_int_equal(zmq_connect(w[i], fx->cfg.enrich_listen), 0);
        uint8_t hello[6] = {'H', 0x00, 0x04, 0, 0, 2}; /* credit 1024, tokens, no heartbeats */
        assert_int_equal(zmq_send(w[i], hello, sizeof hello, 0), (int)sizeof hello);
        items[i] = (zmq_pollitem_t){w[i], 0, ZMQ_POLLIN, 0};
    }
    uint8_t *seen = calloc(N + 1, 1);
    int jobs = 0, twice = 0;
    for (int idle = 0; jobs < N && idle < 100;) {
        if (zmq_poll(items, WORKERS, 100) <= 0) {
            idle++;
            continue;
        }
        idle = 0;
        for (int i = 0; i < WORKERS; i++) {
            uint8_t hdr[32];
            char rest[64];
            int more;
            size_t ml = sizeof more;
            while (zmq_recv(w[i], hdr, sizeof hdr, ZMQ_DONTWAIT) >= 0) {
                int is_job = hdr[0] == 'J';
                uint64_t seq = 0;
                for (int b = 7; b >= 0; b--)
                    seq = seq << 8 | hdr[1 + b];
                for (zmq_getsockopt(w[i], ZMQ_RCVMORE, &more, &ml); more;
                     zmq_getsockopt(w[i], ZMQ_RCVMORE, &more, &ml))
                    zmq_recv(w[i], rest, sizeof rest, 0);
                if (!is_job)
                    continue;
                assert_true(seq >= 1 && seq <= N);
                twice += seen[seq];
                seen[seq] = 1;
                jobs++;
            }
        }
    }
    assert_int_equal(jobs, N);
    assert_int_equal(twice, 0);
    free(seen);
    for (int i = 0; i < WORKERS; i++)
        zmq_close(w[i]);
    zmq_ctx_term(ctx);
}

/* ---- the enrich link's dispatch tokens, over real sockets --------------- */

/* A DEALER with a fixed routing id, connected to the store's enrich link. */
static void *s_peer(void *ctx, const char *ep, const char *rid)
{
    void *s = zmq_socket(ctx, ZMQ_DEALER);
    int zero = 0;
    zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof zero);
    zmq_setsockopt(s, ZMQ_ROUTING_ID, rid, strlen(rid));
    assert_int_equal(zmq_connect(s, ep), 0);
    return s;
}

static void s_peer_send(void *s, const tlx_elink_msg_t *m)
{
    tlx_elink_out_t out;
    assert_int_equal(tlx_elink_encode(m, &out), 0);
    for (int i = 0; i < out.f.n; i++)
        assert_true(zmq_send(s, out.f.p[i], out.f.len[i], i + 1 < out.f.n ? ZMQ_SNDMORE : 0) >= 0);
}

static void s_peer_hello(void *s)
{
    tlx_elink_msg_t m = {
        .type = TLX_ELINK_HELLO, .credit = 1, .flags = TLX_ELINK_TOKENS | TLX_ELINK_HEARTBEATS};
    s_peer_send(s, &m);
}

/* Waits (up to 20 s) for a message other than a heartbeat; `beat`: keep
   the peer alive meanwhile.  Returns its type; a job fills *job (frames
   not kept). */
static int s_peer_next(void *s, int beat, tlx_elink_msg_t *job)
{
    for (int i = 0; i < 400; i++) {
        if (beat)
            s_peer_send(s, &(tlx_elink_msg_t){.type = TLX_ELINK_BEAT});
        zmq_pollitem_t it = {s, 0, ZMQ_POLLIN, 0};
        if (zmq_poll(&it, 1, 50) <= 0)
            continue;
        zmq_msg_t part[TLX_ELINK_FRAMES_MAX];
        tlx_elink_frames_t f = {.n = 0};
        for (int more = 1; more; f.n++) { /* frames past the fifth are counted, not kept */
            zmq_msg_t tmp;
            zmq_msg_init(&tmp);
            assert_true(zmq_msg_recv(&tmp, s, 0) >= 0);
            more = zmq_msg_more(&tmp);
            if (f.n < TLX_ELINK_FRAMES_MAX) {
                zmq_msg_init(&part[f.n]);
                zmq_msg_move(&part[f.n], &tmp);
            }
            zmq_msg_close(&tmp);
        }
        int n = f.n < TLX_ELINK_FRAMES_MAX ? f.n : TLX_ELINK_FRAMES_MAX;
        for (int k = 0; k < n; k++) {
            f.p[k] = zmq_msg_data(&part[k]);
            f.len[k] = zmq_msg_size(&part[k]);
        }
        tlx_elink_msg_t m;
        int bad = tlx_elink_decode(&f, 0, &m);
        if (!bad && m.type == TLX_ELINK_JOB)
            *job =
                (tlx_elink_msg_t){.type = m.type, .inbox = m.inbox, .revision = m.revision, .token = m.token};
        for (int k = 0; k < n; k++)
            zmq_msg_close(&part[k]);
        if (!bad && m.type != TLX_ELINK_BEAT)
            return m.type;
    }
    fail_msg("no message from the store in 20 s");
    return 0;
}

/* A complete, valid record for article `id` (revision rev) whose source is
   `text`, as an enrich worker would produce it (null pipeline); the
   result that carries it names inbox and token. */
static void s_peer_result(void *s, const char *id, uint32_t rev, const char *text, uint64_t inbox,
                          uint64_t token)
{
    tlx_buf_t env = TLX_BUF_INIT;
    tlx_envelope_t e = {.v = 1,
                        .producer = {"peer", 4},
                        .seq = 1,
                        .source = {text, strlen(text)},
                        .text = {text, strlen(text)}};
    assert_int_equal(tlx_envelope_encode(&e, &env), 0);
    tlx_arena_t *arena = tlx_arena_new(1 << 16);
    tlx_enricher_job_t job = {.env = env.data,
                              .env_len = env.len,
                              .id = id,
                              .id_len = strlen(id),
                              .revision = rev,
                              .received_at = 1000};
    tlx_enricher_out_t out;
    int prc = tlx_enricher_process(NULL, arena, &job, &out);
    if (prc)
        fail_msg("%s: %s", out.stage, out.reason);
    tlx_elink_msg_t m = {.type = TLX_ELINK_RESULT,
                         .inbox = inbox,
                         .token = token,
                         .ok = true,
                         .record = {out.rec, out.rec_len}};
    s_peer_send(s, &m);
    free(out.rec);
    tlx_arena_destroy(&arena);
    tlx_buf_free(&env);
}

/* The source of article `id` in the store (read-only, from this process). */
static void s_source_of(fx_t *fx, const char *id, char *source, size_t sourcesz)
{
    tlx_store_opts_t o;
    tlx_store_opts_default(&o);
    o.read_only = true;
    tlx_store_t *st;
    char err[256];
    assert_int_equal(tlx_store_open(fx->cfg.store, &o, &st, err, sizeof err), 0);
    void *rec = NULL;
    size_t len = 0;
    assert_int_equal(tlx_store_get_id(st, id, strlen(id), 0, NULL, &rec, &len), 0);
    tlx_store_close(&st);
    tlx_buf_t b = TLX_BUF_INIT;
    assert_int_equal(tlx_json_from_msgpack(rec, len, 0, &b), 0);
    const char *p = strstr((const char *)b.data, "\"source\":\"");
    assert_non_null(p);
    snprintf(source, sourcesz, "%s", p + 10);
    free(rec);
    tlx_buf_free(&b);
}

/* A worker of the older protocol is refused.  A peer that holds no job
   and guesses inbox seqs with made-up tokens
   cannot replace an article; nor can a result of an earlier attempt once
   the article went out again (its holder was declared dead, then said
   hello again under the same identity and got a new token).  Real
   processes and sockets: telexd (role store) in a child, the peers here. */
static void test_result_tokens(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/telex-test-daemon-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    *state = fx;
    tlx_daemon_cfg_default(&fx->cfg);
    snprintf(fx->cfg.store, sizeof fx->cfg.store, "%s/store", fx->dir);
    {
        tlx_store_t *st;
        char err[256];
        assert_int_equal(tlx_store_open(fx->cfg.store, NULL, &st, err, sizeof err), 0);
        assert_int_equal(tlx_store_wbegin(st), 0);
        tlx_accept_out_t out;
        assert_int_equal(tlx_test_accept(st, "a-1", "the first article", &out), 0);
        assert_int_equal(tlx_test_accept(st, "a-2", "the second article", &out), 0);
        assert_int_equal(tlx_store_wcommit(st), 0);
        tlx_store_close(&st);
    }
    s_store_role(fx);
    fx->cfg.heartbeat_ms = 300;
    s_start(fx);

    void *ctx = zmq_ctx_new();
    /* a worker of the protocol before tokens (hello without the flag) is
       refused: it would not understand the jobs and hold them for good */
    void *old = s_peer(ctx, fx->cfg.enrich_listen, "old");
    s_peer_send(old, &(tlx_elink_msg_t){.type = TLX_ELINK_HELLO, .credit = 4, .flags = TLX_ELINK_HEARTBEATS});
    s_peer_send(old, &(tlx_elink_msg_t){.type = TLX_ELINK_BEAT});
    tlx_elink_msg_t none = {0};
    assert_int_equal(s_peer_next(old, 0, &none), TLX_ELINK_WHO); /* "who are you?": not a worker */
    zmq_close(old);
    void *holder = s_peer(ctx, fx->cfg.enrich_listen, "holder");
    s_peer_hello(holder);
    tlx_elink_msg_t j1 = {0}, jf = {0}, j2 = {0};
    assert_int_equal(s_peer_next(holder, 1, &j1), TLX_ELINK_JOB);
    assert_true(j1.token != 0);

    /* the forger takes the other article, then forges results for the
       seqs it guesses, the holder's among them, with made-up tokens */
    void *forger = s_peer(ctx, fx->cfg.enrich_listen, "forger");
    s_peer_hello(forger);
    assert_int_equal(s_peer_next(forger, 1, &jf), TLX_ELINK_JOB);
    assert_true(jf.inbox != j1.inbox && jf.token != j1.token);
    const char *id1 = j1.inbox < jf.inbox ? "a-1" : "a-2", *idf = j1.inbox < jf.inbox ? "a-2" : "a-1";
    for (uint64_t seq = 1; seq <= 8; seq++)
        if (seq != jf.inbox)
            s_peer_result(forger, id1, j1.revision, "FORGED by a peer guessing seqs", seq,
                          seq * 0x9e3779b9ull);
    s_peer_result(forger, idf, jf.revision, "what the forger was given to do", jf.inbox, jf.token);
    s_peer_send(forger, &(tlx_elink_msg_t){.type = TLX_ELINK_LEAVE});

    /* the holder goes silent until the store declares it dead ("who are
       you?" answers its next heartbeat), then says hello again under the
       same identity: the article goes out again with a new token */
    int type;
    do {
        usleep(6 * 300 * 1000);
        s_peer_send(holder, &(tlx_elink_msg_t){.type = TLX_ELINK_BEAT});
        type = s_peer_next(holder, 0, &j2);
    } while (type != TLX_ELINK_WHO);
    s_peer_hello(holder);
    assert_int_equal(s_peer_next(holder, 1, &j2), TLX_ELINK_JOB);
    assert_int_equal(j2.inbox, j1.inbox);
    assert_true(j2.token != 0 && j2.token != j1.token);
    s_peer_result(holder, id1, j1.revision, "STALE result of the first attempt", j1.inbox, j1.token);
    s_peer_result(holder, id1, j2.revision, "GENUINE result of the live attempt", j2.inbox, j2.token);

    tlx_store_counts_t k = s_wait(fx, 2, 0);
    assert_int_equal(k.articles, 2);
    assert_int_equal(k.inbox, 0);
    char source[256];
    s_source_of(fx, id1, source, sizeof source);
    assert_non_null(strstr(source, "GENUINE result of the live attempt"));
    s_source_of(fx, idf, source, sizeof source);
    assert_non_null(strstr(source, "what the forger was given to do"));
    zmq_close(holder);
    zmq_close(forger);
    zmq_ctx_term(ctx);
}

static int s_dead_collect(void *ctx, const tlx_dead_t *d)
{
    char(*out)[2][128] = ctx; /* [inbox seq] = {stage, reason} */
    if (d->inbox_seq < 4) {
        snprintf(out[d->inbox_seq][0], 128, "%.*s", (int)d->stage_len, d->stage);
        snprintf(out[d->inbox_seq][1], 128, "%.*s", (int)d->reason_len, d->reason);
    }
    return 0;
}

/* Results whose record fails the writer's check go to the dead letters
   (K = 1) with stage "writer" and the check's reason, whether the record
   fails the part checked ahead of the commit (a field of the wrong type)
   or only the part the commit compares (another article's id); a good
   record in the same turn is stored.  Real processes and sockets: telexd
   (role store) in a child, a worker peer here. */
static void test_bad_records_dead_lettered(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/telex-test-daemon-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    *state = fx;
    tlx_daemon_cfg_default(&fx->cfg);
    snprintf(fx->cfg.store, sizeof fx->cfg.store, "%s/store", fx->dir);
    const char *ids[4] = {NULL, "b-1", "b-2", "b-3"};
    {
        tlx_store_t *st;
        char err[256];
        assert_int_equal(tlx_store_open(fx->cfg.store, NULL, &st, err, sizeof err), 0);
        assert_int_equal(tlx_store_wbegin(st), 0);
        for (int i = 1; i <= 3; i++) {
            tlx_accept_out_t out;
            assert_int_equal(tlx_test_accept(st, ids[i], ids[i], &out), 0);
            assert_int_equal(out.inbox_seq, (uint64_t)i);
        }
        assert_int_equal(tlx_store_wcommit(st), 0);
        tlx_store_close(&st);
    }
    s_store_role(fx);
    fx->cfg.max_attempts = 1;
    s_start(fx);

    void *ctx = zmq_ctx_new();
    void *w = s_peer(ctx, fx->cfg.enrich_listen, "worker");
    s_peer_send(w, &(tlx_elink_msg_t){.type = TLX_ELINK_HELLO,
                                      .credit = 4,
                                      .flags = TLX_ELINK_TOKENS | TLX_ELINK_HEARTBEATS});
    tlx_elink_msg_t jobs[4] = {{0}};
    for (int n = 0; n < 3; n++) {
        tlx_elink_msg_t j = {0};
        assert_int_equal(s_peer_next(w, 1, &j), TLX_ELINK_JOB);
        assert_true(j.inbox >= 1 && j.inbox <= 3 && jobs[j.inbox].token == 0);
        jobs[j.inbox] = j;
    }
    /* 1: good; 2: a good record of article b-1; 3: {"id": "b-3", "tags": 5} */
    s_peer_result(w, "b-1", jobs[1].revision, "the good one", 1, jobs[1].token);
    s_peer_result(w, "b-1", jobs[2].revision, "someone else's record", 2, jobs[2].token);
    static const char wrong_type[] = "\x82\xa2id\xa3"
                                     "b-3\xa4tags\x05";
    s_peer_send(w, &(tlx_elink_msg_t){.type = TLX_ELINK_RESULT,
                                      .inbox = 3,
                                      .token = jobs[3].token,
                                      .ok = true,
                                      .record = {wrong_type, sizeof wrong_type - 1}});

    tlx_store_counts_t k = s_wait(fx, 1, 2);
    assert_int_equal(k.articles, 1);
    assert_int_equal(k.dead, 2);
    assert_int_equal(k.inbox, 0);
    tlx_store_opts_t o;
    tlx_store_opts_default(&o);
    o.read_only = true;
    tlx_store_t *st;
    char err[256];
    assert_int_equal(tlx_store_open(fx->cfg.store, &o, &st, err, sizeof err), 0);
    char dead[4][2][128] = {{{0}}};
    assert_int_equal(tlx_store_dead_list(st, s_dead_collect, dead), 0);
    tlx_store_close(&st);
    assert_string_equal(dead[2][0], "writer");
    assert_string_equal(dead[2][1], "the record's id is not its article's");
    assert_string_equal(dead[3][0], "writer");
    assert_string_equal(dead[3][1], "field 'tags' has the wrong type");
    char source[256];
    s_source_of(fx, "b-1", source, sizeof source);
    assert_non_null(strstr(source, "the good one"));
    zmq_close(w);
    zmq_ctx_term(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_accept_and_store, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_failure_goes_to_dead_letters, s_setup, s_teardown),
        cmocka_unit_test_teardown(test_large_remote_credit, s_teardown),
        cmocka_unit_test_teardown(test_result_tokens, s_teardown),
        cmocka_unit_test_teardown(test_bad_records_dead_lettered, s_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
