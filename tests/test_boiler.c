/* SPDX-License-Identifier: Apache-2.0 */
/*  test_boiler.c -- learned boilerplate: line keys and candidates, the
    snapshot, the store's per-source line statistics (decay, cap, pruning,
    per-source separation), the structure stage with learned lines, and
    the enrich side (hints and wire frame).  All sources and lines are
    synthetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <msgpack.h>

#include "tlx_boiler.h"
#include "tlx_boilsnap.h"
#include "tlx_enricher.h"
#include "tlx_norm.h"
#include "tlx_proto.h"
#include "tlx_store.h"
#include "tlx_structure.h"
#include "tlx_test_store.h"

static uint64_t K(const char *line)
{
    return tlx_boiler_key(line, strlen(line));
}

/* ---- keys and candidates --------------------------------------------------- */

static void test_key_normalization(void **state)
{
    (void)state;
    assert_int_equal(K(""), 0);
    assert_int_equal(K("   \t "), 0);
    assert_true(K("x") != 0);
    /* case, spaces, trimming */
    assert_true(K("Subscribe to the Harbor Ledger") == K("  subscribe   TO the\tharbor ledger "));
    /* digits: every run is one class */
    assert_true(K("\xc2\xa9 2016 Harbor Ledger") == K("\xc2\xa9 2017 harbor ledger"));
    assert_true(K("Call 555-0100 today") == K("Call 1-2 today"));
    assert_true(K("Page 1 of 3") != K("Page of"));
    /* different text, different key; words are not merged across a space */
    assert_true(K("Harbor Ledger") != K("HarborLedger"));
    assert_true(K("Harbor Ledger") != K("Harbor Ledger."));
    /* non-ASCII bytes are kept as they are */
    assert_true(K("caf\xc3\xa9 news") != K("cafe news"));
}

static int s_has_key(const uint64_t *v, size_t n, uint64_t k)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == k)
            return 1;
    return 0;
}

static void test_candidates(void **state)
{
    (void)state;
    uint64_t out[TLX_BOILER_CANDIDATES_MAX];
    char long_line[400];
    memset(long_line, 'w', sizeof long_line - 1);
    long_line[sizeof long_line - 1] = '\0';
    char text[2048];
    snprintf(text, sizeof text, "Top line\n\n%s\n\nA footer\n\ntop LINE\n\n\n   \n", long_line);
    size_t n = tlx_boiler_candidates(text, strlen(text), out);
    assert_int_equal(n, 2); /* "Top line" once, the footer; not the paragraph, not blanks */
    assert_true(s_has_key(out, n, K("Top line")));
    assert_true(s_has_key(out, n, K("A footer")));
    assert_false(s_has_key(out, n, K(long_line)));
    assert_int_equal(tlx_boiler_candidates("", 0, out), 0);

    /* many short lines: capped, the top and the bottom are kept */
    static char big[64 << 10];
    size_t bl = 0;
    for (int i = 0; i < 500; i++)
        bl += (size_t)snprintf(big + bl, sizeof big - bl, "short line %c%c%c\n\n", 'a' + i % 26,
                               'a' + i / 26 % 26, 'a' + i / 676);
    bl += (size_t)snprintf(big + bl, sizeof big - bl, "The bottom footer line");
    n = tlx_boiler_candidates(big, bl, out);
    assert_int_equal(n, TLX_BOILER_CANDIDATES_MAX);
    assert_true(s_has_key(out, n, K("short line aaa")));
    assert_true(s_has_key(out, n, K("The bottom footer line")));
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            assert_true(out[i] != out[j]);
}

static void test_threshold(void **state)
{
    (void)state;
    assert_false(tlx_boiler_threshold(TLX_BOILER_MIN_DOCS - 1, TLX_BOILER_MIN_DOCS - 1));
    assert_true(tlx_boiler_threshold(TLX_BOILER_MIN_DOCS, TLX_BOILER_MIN_DOCS));
    assert_true(tlx_boiler_threshold(100, 50));
    assert_false(tlx_boiler_threshold(100, 49));
    assert_false(tlx_boiler_threshold(0, 0));
}

static void test_snapshot(void **state)
{
    (void)state;
    tlx_boiler_learned_t *l = tlx_boiler_learned_new();
    assert_non_null(l);
    assert_false(tlx_boiler_learned_has(l, "wire", K("x")));
    assert_int_equal(tlx_boiler_learned_add(l, "wire", 4, K("Footer of the wire")), 0);
    assert_int_equal(tlx_boiler_learned_add(l, "wire", 4, K("Footer of the wire")), 0);
    assert_int_equal(tlx_boiler_learned_count(l), 1);
    assert_true(tlx_boiler_learned_has(l, "wire", K("FOOTER of the wire")));
    assert_true(
        tlx_boiler_learned_has(l, "Wire", K("Footer of the wire"))); /* sources: ASCII case-insensitive */
    assert_false(tlx_boiler_learned_has(l, "wires", K("Footer of the wire")));
    assert_false(tlx_boiler_learned_has(l, "post", K("Footer of the wire")));
    assert_false(tlx_boiler_learned_has(l, NULL, K("Footer of the wire")));
    assert_false(tlx_boiler_learned_has(l, "wire", 0));
    assert_false(tlx_boiler_learned_has(NULL, "wire", K("Footer of the wire")));
    /* growth: many pairs, all found, none invented */
    char line[64];
    for (int i = 0; i < 5000; i++) {
        snprintf(line, sizeof line, "line %c%c%c", 'a' + i % 26, 'a' + i / 26 % 26, 'a' + i / 676);
        assert_int_equal(tlx_boiler_learned_add(l, i % 2 ? "odd" : "even", i % 2 ? 3 : 4, K(line)), 0);
    }
    assert_int_equal(tlx_boiler_learned_count(l), 5001);
    for (int i = 0; i < 5000; i++) {
        snprintf(line, sizeof line, "line %c%c%c", 'a' + i % 26, 'a' + i / 26 % 26, 'a' + i / 676);
        assert_true(tlx_boiler_learned_has(l, i % 2 ? "odd" : "even", K(line)));
        assert_false(tlx_boiler_learned_has(l, i % 2 ? "even" : "odd", K(line)));
    }
    tlx_boiler_learned_destroy(&l);
    assert_null(l);
    tlx_boiler_learned_destroy(&l);

    /* bounded: sources are producers' names, so pairs stop at the cap */
    l = tlx_boiler_learned_new();
    char src[32];
    for (unsigned i = 0; i < TLX_BOILER_LEARNED_MAX; i++) {
        int n = snprintf(src, sizeof src, "site-%u", i);
        assert_int_equal(tlx_boiler_learned_add(l, src, (size_t)n, 42), 0);
    }
    assert_int_equal(tlx_boiler_learned_add(l, "one-more", 8, 42), TLX_EFULL);
    assert_int_equal(tlx_boiler_learned_count(l), TLX_BOILER_LEARNED_MAX);
    assert_true(tlx_boiler_learned_has(l, "site-7", 42));
    assert_false(tlx_boiler_learned_has(l, "one-more", 42));
    tlx_boiler_learned_destroy(&l);
}

/* ---- the store's statistics ------------------------------------------------------ */

typedef struct {
    char dir[256];
    tlx_store_t *st;
    uint64_t pseq;
} fx_t;

static int s_setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    tlx_test_store_open(fx->dir, sizeof fx->dir, "boiler", &fx->st);
    *state = fx;
    return 0;
}

static int s_teardown(void **state)
{
    fx_t *fx = *state;
    int rc = tlx_test_store_remove(fx->dir, &fx->st);
    free(fx);
    return rc;
}

/* Accepts and commits one article of `source` with the given line keys
   (keys == NULL: no statistics), in its own batch.  id NULL: a new one. */
static void s_commit(fx_t *fx, const char *source, const char *id, const uint64_t *keys, size_t nkeys)
{
    char idbuf[64], text[96];
    fx->pseq++;
    if (!id) {
        snprintf(idbuf, sizeof idbuf, "a%llu", (unsigned long long)fx->pseq);
        id = idbuf;
    }
    snprintf(text, sizeof text, "text %llu", (unsigned long long)fx->pseq);
    tlx_accept_in_t in = {.id = id,
                          .id_len = strlen(id),
                          .text = text,
                          .text_len = strlen(text),
                          .raw = "raw",
                          .raw_len = 3,
                          .received_at = 1};
    tlx_accept_out_t out;
    tlx_commit_hints_t h = {.line_keys = keys, .nline_keys = nkeys};
    static const uint64_t none[1];
    if (keys == NULL && nkeys == 1) /* "counted, no keys" */
        h.line_keys = none, h.nline_keys = 0;
    uint64_t seq;
    assert_int_equal(tlx_store_wbegin(fx->st), 0);
    assert_int_equal(tlx_store_accept(fx->st, &in, &out), 0);
    assert_false(out.duplicate);
    msgpack_sbuffer sb;
    msgpack_packer pk;
    msgpack_sbuffer_init(&sb);
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 4);
    msgpack_pack_str_with_body(&pk, "id", 2);
    msgpack_pack_str_with_body(&pk, id, strlen(id));
    msgpack_pack_str_with_body(&pk, "source", 6);
    if (source)
        msgpack_pack_str_with_body(&pk, source, strlen(source));
    else
        msgpack_pack_nil(&pk);
    msgpack_pack_str_with_body(&pk, "revision", 8);
    msgpack_pack_uint32(&pk, out.revision);
    msgpack_pack_str_with_body(&pk, "body", 4);
    msgpack_pack_str_with_body(&pk, text, strlen(text));
    assert_int_equal(tlx_store_commit_record(fx->st, out.inbox_seq, sb.data, sb.size, &h, &seq), 0);
    assert_int_equal(tlx_store_wcommit(fx->st), 0);
    msgpack_sbuffer_destroy(&sb);
}

#define NO_KEYS NULL, NULL, 1

typedef struct {
    char source[64];
    uint64_t key;
    uint32_t docs, count;
    size_t n;    /* lines seen in total */
    size_t nsrc; /* lines of `source` */
} probe_t;

static int s_probe_cb(void *ctx, const char *source, size_t len, uint32_t docs, uint64_t key, uint32_t count)
{
    probe_t *p = ctx;
    p->n++;
    if (strlen(p->source) == len && memcmp(p->source, source, len) == 0) {
        p->nsrc++;
        if (key == p->key) {
            p->docs = docs;
            p->count = count;
        }
    }
    return 0;
}

/* The decayed docs and count of (source, key); *nsrc = live keys of the source. */
static void s_probe(fx_t *fx, const char *source, uint64_t key, uint32_t *docs, uint32_t *count, size_t *nsrc)
{
    probe_t p = {.key = key};
    snprintf(p.source, sizeof p.source, "%s", source);
    assert_int_equal(tlx_store_lines_scan(fx->st, 0, s_probe_cb, &p), 0);
    *docs = p.docs;
    *count = p.count;
    if (nsrc)
        *nsrc = p.nsrc;
}

static void s_verify_clean(fx_t *fx)
{
    tlx_verify_stats_t vs;
    assert_int_equal(tlx_store_verify(fx->st, stderr, &vs), 0);
    assert_int_equal(vs.problems, 0);
}

static void test_store_sources_separate(void **state)
{
    fx_t *fx = *state;
    const uint64_t F = K("Footer of the Ledger"), H = K("Harbor Post newsletter"), U = 12345;
    for (int i = 0; i < 25; i++) {
        uint64_t a[2] = {F, 1000 + (uint64_t)i};
        s_commit(fx, i % 2 ? "Ledger" : "ledger", NULL, a, 2); /* one source, any case */
        uint64_t b[3] = {H, 2000 + (uint64_t)i, F};
        s_commit(fx, "post", NULL, b, i < 5 ? 3 : 2);
    }
    s_commit(fx, NULL, NULL, &U, 1);     /* no source: not counted */
    s_commit(fx, "ledger", "a1", &U, 1); /* a second revision: not counted */
    uint32_t docs, count;
    size_t nsrc;
    s_probe(fx, "ledger", F, &docs, &count, &nsrc);
    assert_int_equal(docs, 25);
    assert_int_equal(count, 25);
    assert_int_equal(nsrc, 26);
    s_probe(fx, "ledger", U, &docs, &count, NULL);
    assert_int_equal(count, 0);
    s_probe(fx, "post", F, &docs, &count, NULL);
    assert_int_equal(docs, 25);
    assert_int_equal(count, 5);
    s_probe(fx, "post", H, &docs, &count, NULL);
    assert_int_equal(count, 25);

    tlx_boilsnap_t *snap = tlx_boilsnap_build(fx->st);
    assert_non_null(snap);
    const tlx_boiler_learned_t *l = tlx_boilsnap_learned(snap);
    assert_int_equal(tlx_boilsnap_count(snap), 2);
    assert_true(tlx_boiler_learned_has(l, "ledger", F));
    assert_true(tlx_boiler_learned_has(l, "LEDGER", F));
    assert_true(tlx_boiler_learned_has(l, "post", H));
    assert_false(tlx_boiler_learned_has(l, "post", F)); /* 5 of 25: content there */
    assert_false(tlx_boiler_learned_has(l, "ledger", H));
    assert_false(tlx_boiler_learned_has(l, "ledger", 1000));
    tlx_boilsnap_release(snap);
    s_verify_clean(fx);
}

static void test_store_min_docs(void **state)
{
    fx_t *fx = *state;
    const uint64_t F = K("Footer");
    for (int i = 0; i < TLX_BOILER_MIN_DOCS - 1; i++)
        s_commit(fx, "young", NULL, &F, 1);
    tlx_boilsnap_t *snap = tlx_boilsnap_build(fx->st);
    assert_int_equal(tlx_boilsnap_count(snap), 0); /* too few articles to judge */
    tlx_boilsnap_release(snap);
    s_commit(fx, "young", NULL, &F, 1);
    snap = tlx_boilsnap_build(fx->st);
    assert_true(tlx_boiler_learned_has(tlx_boilsnap_learned(snap), "young", F));
    tlx_boilsnap_release(snap);
}

static void test_store_decay(void **state)
{
    fx_t *fx = *state;
    const uint64_t F = K("Kept footer"), G = K("Dropped footer");
    for (uint64_t i = 0; i < 640; i++) {
        uint64_t k[3] = {F, 100000 + i, G};
        s_commit(fx, "wire", NULL, k, i < 40 ? 3 : 2);
    }
    /* 640 articles: all of epoch 0 counted, then one in 4; epochs at 256
       and 512: docs = (256/2 + 256/4)/2 + 128/4 */
    uint32_t docs, count;
    size_t nsrc;
    s_probe(fx, "wire", F, &docs, &count, &nsrc);
    assert_int_equal(TLX_LINES_EPOCH, 256);
    assert_int_equal(TLX_LINES_SAMPLE, 4);
    assert_int_equal(docs, 128);
    assert_int_equal(count, 128);
    s_probe(fx, "wire", G, &docs, &count, NULL);
    assert_int_equal(count, 40 >> 2);
    /* one-off lines of older epochs count 0 now: only this epoch's are live */
    assert_int_equal(nsrc, 2 + 128 / 4);
    tlx_boilsnap_t *snap = tlx_boilsnap_build(fx->st);
    assert_true(tlx_boiler_learned_has(tlx_boilsnap_learned(snap), "wire", F));
    assert_false(tlx_boiler_learned_has(tlx_boilsnap_learned(snap), "wire", G));
    tlx_boilsnap_release(snap);
    s_verify_clean(fx);
}

static void test_store_cap(void **state)
{
    fx_t *fx = *state;
    static uint64_t k[TLX_LINES_PER_ARTICLE];
    uint64_t next = 1;
    int narticles = TLX_LINES_CAP / TLX_LINES_PER_ARTICLE + 10;
    for (int a = 0; a < narticles; a++) {
        for (int i = 0; i < TLX_LINES_PER_ARTICLE; i++)
            k[i] = next++;
        s_commit(fx, "big", NULL, k, TLX_LINES_PER_ARTICLE);
    }
    uint32_t docs, count;
    size_t nsrc;
    s_probe(fx, "big", 1, &docs, &count, &nsrc);
    assert_int_equal(nsrc, TLX_LINES_CAP); /* the rest was not inserted */
    assert_int_equal(count, 1);
    const uint64_t N = 0xfeedull;
    s_commit(fx, "big", NULL, &N, 1);
    s_probe(fx, "big", N, &docs, &count, NULL);
    assert_int_equal(count, 0);         /* over the cap */
    s_commit(fx, "small", NULL, &N, 1); /* the cap is per source */
    s_probe(fx, "small", N, &docs, &count, NULL);
    assert_int_equal(count, 1);
    s_verify_clean(fx);
    /* a new epoch decays the one-off lines to 0; the sweep frees room */
    for (int a = narticles + 1; a < TLX_LINES_EPOCH + TLX_LINES_CAP / TLX_LINES_SWEEP + 8; a++)
        s_commit(fx, "big", NO_KEYS);
    s_probe(fx, "big", N, &docs, &count, &nsrc);
    assert_int_equal(nsrc, 0);
    for (int i = 0; i < TLX_LINES_SAMPLE; i++) /* one of them is sampled */
        s_commit(fx, "big", NULL, &N, 1);
    s_probe(fx, "big", N, &docs, &count, &nsrc);
    assert_int_equal(count, 1);
    assert_int_equal(nsrc, 1);
    s_verify_clean(fx);
}

/* ---- the structure stage ------------------------------------------------------------ */

static tlx_arena_t *A;

static tlx_record_t s_parse(const char *text, const char *source, const tlx_boiler_learned_t *learned)
{
    char *norm;
    size_t nlen;
    uint32_t flags = 0;
    assert_int_equal(tlx_norm_text(text, strlen(text), A, &norm, &nlen, &flags), 0);
    tlx_text_opts_t o = {.source = source, .learned = learned};
    tlx_record_t rec;
    memset(&rec, 0, sizeof rec);
    assert_int_equal(tlx_structure_parse(norm, nlen, &o, NULL, A, &rec), 0);
    return rec;
}

static int s_strv_has(const tlx_strv_t *v, const char *s)
{
    for (uint32_t i = 0; i < v->n; i++)
        if (strcmp(v->v[i], s) == 0)
            return 1;
    return 0;
}

static const char *const s_banner = "THE HARBOR LEDGER";
static const char *const s_promo = "The harbor desk picks its stories every morning";
static const char *const s_copy = "Harbor Ledger Media 2016";

static const char s_article[] =
    "THE HARBOR LEDGER\n\n"
    "Cranes Return to Service After the Storm\n\n"
    "By Jane Roe\n\n"
    "The port authority said on Monday that all twelve cranes were back in operation after the storm "
    "damaged power lines across the harbor district.\n\n"
    "The harbor desk picks its stories every morning\n\n"
    "The harbor desk picks its stories every morning, the mayor joked at the reopening ceremony.\n\n"
    "Officials expect the backlog of container ships to clear within a week, according to a statement "
    "released late on Monday evening.\n\n"
    "Harbor Ledger Media 2019\n";

static tlx_boiler_learned_t *s_learned(void)
{
    tlx_boiler_learned_t *l = tlx_boiler_learned_new();
    assert_non_null(l);
    assert_int_equal(tlx_boiler_learned_add(l, "ledger", 6, K(s_banner)), 0);
    assert_int_equal(tlx_boiler_learned_add(l, "ledger", 6, K(s_promo)), 0);
    assert_int_equal(tlx_boiler_learned_add(l, "ledger", 6, K(s_copy)), 0);
    assert_int_equal(tlx_boiler_learned_add(l, "ledger", 6, K("By Jane Roe")), 0); /* a staff byline */
    return l;
}

static void test_structure_learned(void **state)
{
    (void)state;
    tlx_boiler_learned_t *l = s_learned();
    tlx_record_t r = s_parse(s_article, "Ledger", l);
    /* the banner went, so the headline is found below it */
    assert_non_null(r.title);
    assert_string_equal(r.title, "Cranes Return to Service After the Storm");
    assert_true(s_strv_has(&r.authors, "Jane Roe")); /* bylines are recognized before learned lines */
    assert_int_equal(r.boilerplate.n, 3);
    assert_true(s_strv_has(&r.boilerplate, s_banner));
    assert_true(s_strv_has(&r.boilerplate, s_promo));
    assert_true(s_strv_has(&r.boilerplate, "Harbor Ledger Media 2019")); /* another year, the same line */
    assert_null(strstr(r.body, "Harbor Ledger Media"));
    assert_null(strstr(r.body, "every morning\n"));
    assert_int_equal(strncmp(r.body, "The port authority said", 23), 0);
    /* a content line that merely starts like the promo stays */
    assert_non_null(strstr(r.body, "every morning, the mayor joked"));
    assert_non_null(strstr(r.body, "within a week"));

    /* the learned promo is content for another source, and without a snapshot
       (the banner and the copyright line are furniture to the layout model
       on any source: they are not what this checks) */
    r = s_parse(s_article, "post", l);
    assert_false(s_strv_has(&r.boilerplate, s_promo));
    assert_true(strstr(r.body, "every morning\n") ||
                s_strv_has(&r.subheadings, s_promo)); /* kept as content */
    r = s_parse(s_article, "ledger", NULL);
    assert_false(s_strv_has(&r.boilerplate, s_promo));
    r = s_parse(s_article, NULL, l);
    assert_false(s_strv_has(&r.boilerplate, s_promo));

    /* a learned line is never all there is: then it is the body */
    r = s_parse("The harbor desk picks its stories every morning\n\nHarbor Ledger Media 2020\n", "ledger", l);
    assert_int_equal(r.boilerplate.n, 0);
    assert_string_equal(r.body,
                        "The harbor desk picks its stories every morning\n\nHarbor Ledger Media 2020");
    /* a banner above a tag line does not hide it */
    r = s_parse(
        "THE HARBOR LEDGER\n\nports, weather\n\nThe port authority said on Monday that the cranes were "
        "back in operation after the storm.\n",
        "ledger", l);
    assert_int_equal(r.tags.n, 2);
    assert_string_equal(r.tags.v[0], "ports");
    tlx_boiler_learned_destroy(&l);
}

/* ---- the enrich side ------------------------------------------------------------------ */

static void test_enricher_lines(void **state)
{
    (void)state;
    /* the pipeline hands the candidate lines over for articles with a source */
    char datadir[600];
    snprintf(datadir, sizeof datadir, "%s/data", TLX_SOURCE_DIR);
    const char *err = NULL;
    tlx_text_t *tx = tlx_text_new(datadir, &err);
    assert_non_null(tx);
    tlx_boiler_learned_t *l = s_learned();
    for (int with_source = 0; with_source < 2; with_source++) {
        tlx_envelope_t env = {.v = TLX_PROTO_VERSION,
                              .producer = {"t", 1},
                              .seq = 1,
                              .text = {s_article, sizeof s_article - 1}};
        if (with_source)
            env.source = (tlx_bytes_t){"ledger", 6};
        tlx_buf_t frame = TLX_BUF_INIT;
        assert_int_equal(tlx_envelope_encode(&env, &frame), 0);
        tlx_arena_t *arena = tlx_arena_new(1 << 20);
        tlx_enricher_job_t job = {
            .env = frame.data, .env_len = frame.len, .id = "x", .id_len = 1, .revision = 1, .learned = l};
        tlx_enricher_out_t out;
        assert_int_equal(tlx_enricher_process(tx, arena, &job, &out), 0);
        char *rec = out.rec;
        const tlx_commit_hints_t h = out.hints;
        assert_true(h.has_fp);
        if (with_source) {
            assert_non_null(h.line_keys);
            assert_true(s_has_key(h.line_keys, h.nline_keys, K(s_promo)));
            /* learned lines are still counted: they would fade otherwise */
            assert_true(s_has_key(h.line_keys, h.nline_keys, K(s_banner)));
        } else
            assert_null(h.line_keys);
        free(rec);
        tlx_arena_destroy(&arena);
        tlx_buf_free(&frame);
    }
    tlx_boiler_learned_destroy(&l);
    tlx_text_destroy(&tx);
}

static int s_arena_setup(void **state)
{
    (void)state;
    A = tlx_arena_new(1 << 20);
    return A ? 0 : -1;
}

static int s_arena_teardown(void **state)
{
    (void)state;
    tlx_arena_destroy(&A);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_normalization),
        cmocka_unit_test(test_candidates),
        cmocka_unit_test(test_threshold),
        cmocka_unit_test(test_snapshot),
        cmocka_unit_test_setup_teardown(test_store_sources_separate, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_store_min_docs, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_store_decay, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_store_cap, s_setup, s_teardown),
        cmocka_unit_test(test_structure_learned),
        cmocka_unit_test(test_enricher_lines),
    };
    return cmocka_run_group_tests(tests, s_arena_setup, s_arena_teardown);
}
