/* SPDX-License-Identifier: Apache-2.0 */
/*  test_publish.c -- the JetStream publisher and the read replica against a
    real nats-server (started by the test on a free loopback port) and real
    LMDB stores: subjects, stream creation, headers, the duplicate window
    (re-publishing from position 0 adds nothing), a new revision adds one
    message, and a replica store ends up byte-identical with its indexes. */
#include <fcntl.h>
#include <msgpack.h>
#include <pthread.h>
#include <stdatomic.h>

#include "tlx_test_nats.h"
#include "tlx_test_store.h"

#include "tlx_publish.h"
#include "tlx_replica.h"

/* Waits up to ~20 s for cond; a bound so a broken build fails instead of hanging. */
#define WAIT_FOR(cond)                                                                                       \
    do {                                                                                                     \
        for (int w_ = 0; w_ < 400 && !(cond); w_++)                                                          \
            usleep(50000);                                                                                   \
    } while (0)

/* Accepts and commits one article: id, revision (as the pipeline would
   have numbered it), source, one tag. */
static uint64_t s_commit(tlx_store_t *st, const char *id, const char *text, const char *source,
                         const char *tag)
{
    assert_int_equal(tlx_store_wbegin(st), 0);
    tlx_accept_out_t out;
    assert_int_equal(tlx_test_accept(st, id, text, &out), 0);
    assert_false(out.duplicate);
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    msgpack_packer pk;
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 6);
    msgpack_pack_str_with_body(&pk, "id", 2);
    msgpack_pack_str_with_body(&pk, id, strlen(id));
    msgpack_pack_str_with_body(&pk, "revision", 8);
    msgpack_pack_uint32(&pk, out.revision);
    msgpack_pack_str_with_body(&pk, "source", 6);
    msgpack_pack_str_with_body(&pk, source, strlen(source));
    msgpack_pack_str_with_body(&pk, "tags", 4);
    msgpack_pack_array(&pk, 1);
    msgpack_pack_str_with_body(&pk, tag, strlen(tag));
    msgpack_pack_str_with_body(&pk, "body", 4);
    msgpack_pack_str_with_body(&pk, text, strlen(text));
    msgpack_pack_str_with_body(&pk, "amount", 6);
    msgpack_pack_double(&pk, 1.0 / 3.0); /* a float must survive replication bit for bit */
    uint64_t seq;
    assert_int_equal(tlx_store_commit_record(st, out.inbox_seq, sb.data, sb.size, NULL, &seq), 0);
    assert_int_equal(tlx_store_wcommit(st), 0);
    msgpack_sbuffer_destroy(&sb);
    return seq;
}

static uint64_t s_stream_msgs(const char *url, const char *stream)
{
    natsConnection *nc = NULL;
    jsCtx *js = NULL;
    jsStreamInfo *si = NULL;
    uint64_t n = UINT64_MAX;
    if (natsConnection_ConnectTo(&nc, url) == NATS_OK && natsConnection_JetStream(&js, nc, NULL) == NATS_OK &&
        js_GetStreamInfo(&si, js, stream, NULL, NULL) == NATS_OK) {
        n = si->State.Msgs;
        jsStreamInfo_Destroy(si);
    }
    jsCtx_Destroy(js);
    natsConnection_Destroy(nc);
    return n;
}

static void test_subject(void **state)
{
    (void)state;
    char out[128];
    assert_int_equal(tlx_publish_subject("telex.articles.<source>", "Daily NK", 8, out, sizeof out), 0);
    assert_string_equal(out, "telex.articles.daily_nk");
    assert_int_equal(tlx_publish_subject("telex.articles.<source>", "a.b*c>", 6, out, sizeof out), 0);
    assert_string_equal(out, "telex.articles.a_b_c_");
    assert_int_equal(tlx_publish_subject("telex.articles.<source>", NULL, 0, out, sizeof out), 0);
    assert_string_equal(out, "telex.articles._none");
    assert_int_equal(tlx_publish_subject("news", "x", 1, out, sizeof out), 0);
    assert_string_equal(out, "news");
    assert_int_equal(tlx_publish_subject("telex.articles.<source>", "x", 1, out, 10), TLX_ETOOBIG);
    assert_int_equal(tlx_publish_stream_subject("telex.articles.<source>", out, sizeof out), 0);
    assert_string_equal(out, "telex.articles.>");
    assert_int_equal(tlx_publish_stream_subject("in.<source>.news", out, sizeof out), 0);
    assert_string_equal(out, "in.*.news");
    int f;
    assert_int_equal(tlx_publish_format_parse("msgpack", &f), 0);
    assert_int_equal(f, TLX_PUBLISH_MSGPACK);
    assert_int_equal(tlx_publish_format_parse("xml", &f), TLX_EINVAL);
}

static void test_bad_config(void **state)
{
    (void)state;
    tlx_publish_cfg_t c;
    tlx_publish_cfg_default(&c);
    tlx_publish_t *p = NULL;
    char err[256];
    assert_int_equal(tlx_publish_start(&c, NULL, NULL, &p, err, sizeof err), TLX_EINVAL);
    snprintf(c.url, sizeof c.url, "nats://127.0.0.1:1");
    snprintf(c.stream, sizeof c.stream, "A.B");
    assert_int_equal(tlx_publish_start(&c, NULL, NULL, &p, err, sizeof err), TLX_EINVAL);
    assert_non_null(strstr(err, "stream"));
    assert_null(p);
}

/* Publishes until the publisher's position reaches the feed head. */
static void s_publish_all(tlx_publish_cfg_t *c, tlx_store_t *st, tlx_metrics_t *m)
{
    char err[256];
    tlx_publish_t *p = NULL;
    assert_int_equal(tlx_publish_start(c, st, m, &p, err, sizeof err), 0);
    uint64_t head = 0;
    assert_int_equal(tlx_store_feed_head(st, &head), 0);
    tlx_publish_stats_t s;
    tlx_publish_kick(p);
    WAIT_FOR((tlx_publish_stats(p, &s), s.acked >= head));
    tlx_publish_stats(p, &s);
    assert_int_equal(s.acked, head);
    tlx_publish_stop(&p);
    assert_null(p);
    uint64_t pos = 0;
    char key[80];
    snprintf(key, sizeof key, "publish:%s", c->stream);
    assert_int_equal(tlx_store_cursor_get(st, key, &pos), 0);
    assert_int_equal(pos, head); /* persisted at stop */
}

static void test_publish_dedup(void **state)
{
    (void)state;
    tlx_test_nats_t n = {0};
    assert_int_equal(tlx_test_nats_start(&n), 0);
    char dir[256];
    tlx_store_t *st;
    tlx_test_store_open(dir, sizeof dir, "publish", &st);
    const char *ids[5] = {"a", "b", "c", "d", "e"};
    for (int i = 0; i < 5; i++) {
        char text[64];
        snprintf(text, sizeof text, "article %s", ids[i]);
        s_commit(st, ids[i], text, i % 2 ? "Daily NK" : "wire", "politics");
    }
    tlx_metrics_t *m = tlx_metrics_new();
    tlx_publish_cfg_t c;
    tlx_publish_cfg_default(&c);
    snprintf(c.url, sizeof c.url, "%s", n.url);
    s_publish_all(&c, st, m);
    assert_int_equal(s_stream_msgs(n.url, "TELEX"), 5);
    assert_int_equal(tlx_metrics_count(m, TLX_M_PUBLISHED), 5);
    assert_int_equal(tlx_metrics_get(m, TLX_G_PUBLISH_LAG), 0);

    /* from position 0 again: every message a re-send inside the window */
    assert_int_equal(tlx_store_cursor_set(st, "publish:TELEX", 0), 0);
    s_publish_all(&c, st, m);
    assert_int_equal(s_stream_msgs(n.url, "TELEX"), 5);

    /* an edited article: a new revision, a new message */
    uint64_t seq = s_commit(st, "b", "article b, corrected", "Daily NK", "politics");
    s_publish_all(&c, st, m);
    assert_int_equal(s_stream_msgs(n.url, "TELEX"), 6);

    /* its headers and subject */
    natsConnection *nc = NULL;
    jsCtx *js = NULL;
    natsMsg *msg = NULL;
    assert_int_equal(natsConnection_ConnectTo(&nc, n.url), NATS_OK);
    assert_int_equal(natsConnection_JetStream(&js, nc, NULL), NATS_OK);
    assert_int_equal(js_GetMsg(&msg, js, "TELEX", 6, NULL, NULL), NATS_OK);
    const char *v = NULL;
    assert_int_equal(natsMsgHeader_Get(msg, "Nats-Msg-Id", &v), NATS_OK);
    assert_string_equal(v, "b:2");
    assert_int_equal(natsMsgHeader_Get(msg, "Telex-Seq", &v), NATS_OK);
    char sb[24];
    snprintf(sb, sizeof sb, "%llu", (unsigned long long)seq);
    assert_string_equal(v, sb);
    assert_int_equal(natsMsgHeader_Get(msg, "Telex-Source", &v), NATS_OK);
    assert_string_equal(v, "Daily NK");
    assert_string_equal(natsMsg_GetSubject(msg), "telex.articles.daily_nk");
    /* JSON body: the record as `telex get` prints it */
    const char *body = natsMsg_GetData(msg);
    assert_non_null(strstr(body, "\"id\":\"b\""));
    assert_non_null(strstr(body, "\"revision\":2"));
    natsMsg_Destroy(msg);
    jsCtx_Destroy(js);
    natsConnection_Destroy(nc);

    tlx_metrics_destroy(&m);
    assert_int_equal(tlx_test_store_remove(dir, &st), 0);
    tlx_test_nats_destroy(&n);
}

/* NATS down at start: the publisher waits, counts errors, and catches up
   once a server appears on that port. */
static void test_publish_outage(void **state)
{
    (void)state;
    tlx_test_nats_t n = {0};
    n.port = tlx_test_free_port();
    char dir[256];
    tlx_store_t *st;
    tlx_test_store_open(dir, sizeof dir, "outage", &st);
    for (int i = 0; i < 3; i++) {
        char id[8];
        snprintf(id, sizeof id, "o%d", i);
        s_commit(st, id, id, "wire", "x");
    }
    tlx_metrics_t *m = tlx_metrics_new();
    tlx_publish_cfg_t c;
    tlx_publish_cfg_default(&c);
    snprintf(c.url, sizeof c.url, "nats://127.0.0.1:%d", n.port);
    char err[256];
    tlx_publish_t *p = NULL;
    assert_int_equal(tlx_publish_start(&c, st, m, &p, err, sizeof err), 0);
    tlx_publish_stats_t s;
    WAIT_FOR((tlx_publish_stats(p, &s), s.errors >= 2));
    tlx_publish_stats(p, &s);
    assert_true(s.errors >= 2);
    assert_int_equal(s.acked, 0);
    assert_int_equal(tlx_metrics_get(m, TLX_G_PUBLISH_LAG), 3);
    assert_true(tlx_metrics_count(m, TLX_M_PUBLISH_ERRORS) >= 2);
    assert_int_equal(tlx_test_nats_start(&n), 0);
    WAIT_FOR((tlx_publish_stats(p, &s), s.acked >= 3));
    tlx_publish_stats(p, &s);
    assert_int_equal(s.acked, 3);
    WAIT_FOR(tlx_metrics_get(m, TLX_G_PUBLISH_LAG) == 0);
    assert_int_equal(tlx_metrics_get(m, TLX_G_PUBLISH_LAG), 0);
    tlx_publish_stop(&p);
    assert_int_equal(s_stream_msgs(n.url, "TELEX"), 3);
    tlx_metrics_destroy(&m);
    assert_int_equal(tlx_test_store_remove(dir, &st), 0);
    tlx_test_nats_destroy(&n);
}

typedef struct {
    tlx_replica_cfg_t cfg;
    tlx_store_t *st;
    tlx_metrics_t *m;
    volatile sig_atomic_t stop;
    int rc;
} replica_arg_t;

static void *s_replica_thread(void *arg)
{
    replica_arg_t *a = arg;
    a->rc = tlx_replica_run(&a->cfg, a->st, a->m, &a->stop, NULL, NULL);
    return NULL;
}

typedef struct {
    tlx_store_t *other;
    int mismatches, n;
} cmp_t;

static int s_cmp(void *ctx, uint64_t feed_seq, uint64_t seq, const void *rec, size_t len)
{
    (void)feed_seq;
    cmp_t *c = ctx;
    void *o = NULL;
    size_t ol = 0;
    c->n++;
    if (tlx_store_get_seq(c->other, seq, &o, &ol) != 0 || ol != len || memcmp(o, rec, len) != 0)
        c->mismatches++;
    free(o);
    return 0;
}

static int s_count(void *ctx, uint64_t feed_seq, uint64_t seq, const void *rec, size_t len)
{
    (void)feed_seq, (void)seq, (void)rec, (void)len;
    (*(int *)ctx)++;
    return 0;
}

static void s_run_replica(replica_arg_t *a, uint64_t want_pos)
{
    pthread_t t;
    a->stop = 0;
    assert_int_equal(pthread_create(&t, NULL, s_replica_thread, a), 0);
    WAIT_FOR(tlx_metrics_get(a->m, TLX_G_REPLICA_POSITION) >= want_pos);
    a->stop = 1;
    pthread_join(t, NULL);
    assert_int_equal(a->rc, 0);
    assert_int_equal(tlx_metrics_get(a->m, TLX_G_REPLICA_POSITION), want_pos);
}

static void test_replica(void **state)
{
    (void)state;
    tlx_test_nats_t n = {0};
    assert_int_equal(tlx_test_nats_start(&n), 0);
    char dir[256], rdir[256];
    tlx_store_t *st, *rst;
    tlx_test_store_open(dir, sizeof dir, "primary", &st);
    tlx_test_store_open(rdir, sizeof rdir, "replica", &rst);
    for (int i = 0; i < 20; i++) {
        char id[16], text[64];
        snprintf(id, sizeof id, "r%d", i % 15); /* five ids get a second revision */
        snprintf(text, sizeof text, "text %d", i);
        s_commit(st, id, text, i % 3 ? "wire" : "Daily NK", i % 2 ? "odd" : "even");
    }
    tlx_publish_cfg_t c;
    tlx_publish_cfg_default(&c);
    snprintf(c.url, sizeof c.url, "%s", n.url);
    c.format = TLX_PUBLISH_MSGPACK;
    c.batch = 7; /* several rounds */
    s_publish_all(&c, st, NULL);

    replica_arg_t a = {.st = rst, .m = tlx_metrics_new()};
    tlx_replica_cfg_default(&a.cfg);
    snprintf(a.cfg.url, sizeof a.cfg.url, "%s", n.url);
    snprintf(a.cfg.durable, sizeof a.cfg.durable, "test-replica");
    a.cfg.batch = 6;
    s_run_replica(&a, 20);
    assert_int_equal(tlx_metrics_count(a.m, TLX_M_REPLICATED), 20);

    /* more on the primary; the replica resumes from its own position */
    for (int i = 20; i < 25; i++) {
        char id[16];
        snprintf(id, sizeof id, "r%d", i);
        s_commit(st, id, id, "wire", "odd");
    }
    s_publish_all(&c, st, NULL);
    s_run_replica(&a, 25);
    assert_int_equal(tlx_metrics_count(a.m, TLX_M_REPLICATED), 25);

    /* byte-identical records, same feed length, consistent store */
    cmp_t cmp = {.other = rst};
    assert_int_equal(tlx_store_feed(st, 0, 0, s_cmp, &cmp, NULL), 0);
    assert_int_equal(cmp.n, 25);
    assert_int_equal(cmp.mismatches, 0);
    int rn = 0;
    assert_int_equal(tlx_store_feed(rst, 0, 0, s_count, &rn, NULL), 0);
    assert_int_equal(rn, 25);
    tlx_verify_stats_t vs;
    assert_int_equal(tlx_store_verify(rst, stderr, &vs), 0);
    assert_int_equal(vs.problems, 0);
    /* indexes: newest revisions only, as on the primary */
    int pq = 0, rq = 0;
    tlx_query_t q = {.tag = "odd"};
    assert_int_equal(tlx_store_query(st, &q, s_count, &pq), 0);
    assert_int_equal(tlx_store_query(rst, &q, s_count, &rq), 0);
    assert_true(pq > 0);
    assert_int_equal(pq, rq);
    void *rec = NULL;
    size_t len;
    uint64_t seq;
    assert_int_equal(tlx_store_get_id(rst, "r3", 2, 0, &seq, &rec, &len), 0);
    assert_int_equal(seq, 19); /* the second revision of r3 */
    free(rec);

    tlx_metrics_destroy(&a.m);
    assert_int_equal(tlx_test_store_remove(dir, &st), 0);
    assert_int_equal(tlx_test_store_remove(rdir, &rst), 0);
    tlx_test_nats_destroy(&n);
}

/* A JSON stream cannot be replicated exactly: the replica says so and stops. */
static void test_replica_refuses_json(void **state)
{
    (void)state;
    tlx_test_nats_t n = {0};
    assert_int_equal(tlx_test_nats_start(&n), 0);
    char dir[256], rdir[256];
    tlx_store_t *st, *rst;
    tlx_test_store_open(dir, sizeof dir, "jprimary", &st);
    tlx_test_store_open(rdir, sizeof rdir, "jreplica", &rst);
    s_commit(st, "j", "json", "wire", "x");
    tlx_publish_cfg_t c;
    tlx_publish_cfg_default(&c);
    snprintf(c.url, sizeof c.url, "%s", n.url);
    s_publish_all(&c, st, NULL);
    replica_arg_t a = {.st = rst};
    tlx_replica_cfg_default(&a.cfg);
    snprintf(a.cfg.url, sizeof a.cfg.url, "%s", n.url);
    s_replica_thread(&a);
    assert_int_equal(a.rc, TLX_EINVAL);
    int rn = 0;
    assert_int_equal(tlx_store_feed(rst, 0, 0, s_count, &rn, NULL), 0);
    assert_int_equal(rn, 0);
    assert_int_equal(tlx_test_store_remove(dir, &st), 0);
    assert_int_equal(tlx_test_store_remove(rdir, &rst), 0);
    tlx_test_nats_destroy(&n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_subject),       cmocka_unit_test(test_bad_config),
        cmocka_unit_test(test_publish_dedup), cmocka_unit_test(test_publish_outage),
        cmocka_unit_test(test_replica),       cmocka_unit_test(test_replica_refuses_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
