/* SPDX-License-Identifier: Apache-2.0 */
/*  test_daemon.c -- telexd's engine in-process: a real ROUTER on an ipc
    socket, a real LMDB store in a temp dir, the producer library on the
    other side.  Covers accept -> process -> store, duplicates, and the
    failure path: an article whose pipeline fails K times goes to the dead
    letters with its stage and reason (TELEX_TEST_HOOKS). */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <zmq.h>

#include "tlx_daemon.h"
#include "tlx_producer.h"
#include "tlx_store.h"
#include "tlx_test_store.h"

typedef struct {
    tlx_daemon_cfg_t cfg;
    volatile sig_atomic_t stop;
    pthread_t thread;
    int rc;
    char dir[128];
} fx_t;

static void *s_run(void *arg)
{
    fx_t *fx = arg;
    tlx_daemon_hooks_t hooks = {.stop = &fx->stop};
    fx->rc = tlx_daemon_run(&fx->cfg, &hooks);
    return NULL;
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
    assert_int_equal(pthread_create(&fx->thread, NULL, s_run, fx), 0);
    *state = fx;
    return 0;
}

static int s_teardown(void **state)
{
    fx_t *fx = *state;
    fx->stop = 1;
    pthread_kill(fx->thread, SIGURG); /* wake zmq_poll; the loop also checks every second */
    pthread_join(fx->thread, NULL);
    assert_int_equal(fx->rc, 0);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    if (system(cmd) != 0)
        return -1;
    free(fx);
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

static tlx_store_counts_t s_wait(fx_t *fx, uint64_t articles, uint64_t dead)
{
    tlx_store_opts_t o;
    tlx_store_opts_default(&o);
    o.read_only = true;
    tlx_store_counts_t k = {0};
    for (int i = 0; i < 200; i++) {
        tlx_store_t *st;
        char err[256];
        if (tlx_store_open(fx->cfg.store, &o, &st, err, sizeof err) == 0) {
            tlx_store_counts(st, &k);
            tlx_store_close(&st);
            if (k.articles >= articles && k.dead >= dead && k.inbox == 0)
                break;
        }
        usleep(50000);
    }
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
            assert_int_equal(tlx_test_accept(st, "p", (uint64_t)i + 1, id, text, &out), 0);
        }
        assert_int_equal(tlx_store_wcommit(st), 0);
        tlx_store_close(&st);
    }
    snprintf(fx->cfg.listen[0], sizeof fx->cfg.listen[0], "ipc://%s/front.sock", fx->dir);
    fx->cfg.nlisten = 1;
    fx->cfg.role = TLX_ROLE_STORE;
    fx->cfg.threads = 0;
    snprintf(fx->cfg.enrich_listen, sizeof fx->cfg.enrich_listen, "ipc://%s/back.sock", fx->dir);
    snprintf(fx->cfg.notify, sizeof fx->cfg.notify, "none");
    snprintf(fx->cfg.http, sizeof fx->cfg.http, "none");
    fx->cfg.drain_ms = 100;
    assert_int_equal(pthread_create(&fx->thread, NULL, s_run, fx), 0);

    void *ctx = zmq_ctx_new();
    void *w[WORKERS];
    zmq_pollitem_t items[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        w[i] = zmq_socket(ctx, ZMQ_DEALER);
        int zero = 0;
        zmq_setsockopt(w[i], ZMQ_LINGER, &zero, sizeof zero);
        zmq_setsockopt(w[i], ZMQ_RCVHWM, &zero, sizeof zero);
        assert_int_equal(zmq_connect(w[i], fx->cfg.enrich_listen), 0);
        uint8_t hello[6] = {'H', 0x00, 0x04, 0, 0, 0}; /* credit 1024, no heartbeats */
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

int main(void)
{
    signal(SIGURG, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_accept_and_store, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_failure_goes_to_dead_letters, s_setup, s_teardown),
        cmocka_unit_test_teardown(test_large_remote_credit, s_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
