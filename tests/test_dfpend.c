/* SPDX-License-Identifier: Apache-2.0 */
/*  test_dfpend.c -- pending document-frequency increments: counts summed per
    term, key order (LMDB's: bytes, shorter first), growth past the initial
    table, clear, the empty term, and the store's use of it (one batch of
    several articles, an aborted batch counts nothing), and counts held
    across commits (df_flush_ms) and written at close, a slice at a time
    (df_flush_terms). */
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

#include "tlx_dfpend.h"
#include "tlx_error.h"
#include "tlx_test_store.h"

typedef struct {
    char terms[64][16];
    uint32_t n[64];
    int count;
} seen_t;

static int s_collect(void *ctx, const char *term, size_t len, uint32_t n)
{
    seen_t *s = ctx;
    if (s->count < 64) {
        snprintf(s->terms[s->count], sizeof s->terms[0], "%.*s", (int)len, term);
        s->n[s->count] = n;
    }
    s->count++;
    return 0;
}

static void test_sums_and_order(void **state)
{
    (void)state;
    tlx_dfpend_t *t = tlx_dfpend_new();
    assert_non_null(t);
    const char *in[] = {"b", "ab", "a", "b", "", "abc", "a", "b"};
    for (size_t i = 0; i < sizeof in / sizeof *in; i++)
        assert_int_equal(tlx_dfpend_add(t, in[i], strlen(in[i]), 1), 0);
    assert_int_equal(tlx_dfpend_size(t), 5);
    seen_t s = {0};
    assert_int_equal(tlx_dfpend_each(t, s_collect, &s), 0);
    assert_int_equal(s.count, 5);
    const char *want[] = {"", "a", "ab", "abc", "b"};
    const uint32_t wn[] = {1, 2, 1, 1, 3};
    for (int i = 0; i < 5; i++) {
        assert_string_equal(s.terms[i], want[i]);
        assert_int_equal(s.n[i], wn[i]);
    }
    /* slices of the unchanged table: every term once, in the same order */
    seen_t r = {0};
    for (size_t from = 0; from < 7; from += 2)
        assert_int_equal(tlx_dfpend_each_range(t, from, 2, s_collect, &r), 0);
    assert_int_equal(r.count, 5);
    for (int i = 0; i < 5; i++) {
        assert_string_equal(r.terms[i], want[i]);
        assert_int_equal(r.n[i], wn[i]);
    }
    /* a change re-sorts: the new term takes its place in the order */
    assert_int_equal(tlx_dfpend_add(t, "aa", 2, 4), 0);
    memset(&r, 0, sizeof r);
    assert_int_equal(tlx_dfpend_each_range(t, 2, 1, s_collect, &r), 0);
    assert_int_equal(r.count, 1);
    assert_string_equal(r.terms[0], "aa");
    assert_int_equal(r.n[0], 4);
    tlx_dfpend_destroy(&t);
    tlx_dfpend_destroy(&t); /* safe twice */
    assert_null(t);
}

static int s_check_order(void *ctx, const char *term, size_t len, uint32_t n)
{
    char(*prev)[32] = ctx;
    char cur[32];
    snprintf(cur, sizeof cur, "%.*s", (int)len, term);
    assert_true(strcmp(*prev, cur) < 0);
    assert_int_equal(n, 3); /* every term was added three times */
    memcpy(*prev, cur, sizeof cur);
    return 0;
}

static void test_growth_clear_and_stop(void **state)
{
    (void)state;
    tlx_dfpend_t *t = tlx_dfpend_new();
    char term[32];
    for (int round = 0; round < 3; round++)
        for (int i = 0; i < 50000; i++) {
            int n = snprintf(term, sizeof term, "w%07d", (i * 7919) % 50000);
            assert_int_equal(tlx_dfpend_add(t, term, (size_t)n, 1), 0);
        }
    assert_int_equal(tlx_dfpend_size(t), 50000);
    char prev[32] = "";
    assert_int_equal(tlx_dfpend_each(t, s_check_order, &prev), 0);
    assert_string_equal(prev, "w0049999");
    assert_int_equal(tlx_dfpend_add(t, term, 256, 1), TLX_EINVAL); /* over 255 bytes */
    tlx_dfpend_clear(t);
    assert_int_equal(tlx_dfpend_size(t), 0);
    seen_t s = {0};
    assert_int_equal(tlx_dfpend_each(t, s_collect, &s), 0);
    assert_int_equal(s.count, 0);
    assert_int_equal(tlx_dfpend_add(t, "x", 1, 5), 0);
    assert_int_equal(tlx_dfpend_each(t, s_collect, &s), 0);
    assert_int_equal(s.count, 1);
    assert_int_equal(s.n[0], 5);
    tlx_dfpend_destroy(&t);
}

/* Merge: one table's counts added into another's, then read in byte order. */
static void test_merge(void **state)
{
    (void)state;
    tlx_dfpend_t *a = tlx_dfpend_new(), *b = tlx_dfpend_new();
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(tlx_dfpend_add(a, "b", 1, 2), 0);
    assert_int_equal(tlx_dfpend_add(a, "", 0, 1), 0);
    assert_int_equal(tlx_dfpend_add(b, "c", 1, 4), 0);
    assert_int_equal(tlx_dfpend_add(b, "b", 1, 3), 0);
    assert_int_equal(tlx_dfpend_add(b, "", 0, 2), 0);
    seen_t s = {0};
    assert_int_equal(tlx_dfpend_each(a, s_collect, &s), 0); /* a sorted before the merge */
    assert_int_equal(tlx_dfpend_merge(a, b), 0);
    assert_int_equal(tlx_dfpend_size(a), 3);
    assert_int_equal(tlx_dfpend_size(b), 3); /* the source is unchanged */
    seen_t m = {0};
    assert_int_equal(tlx_dfpend_each(a, s_collect, &m), 0);
    const char *want[] = {"", "b", "c"};
    const uint32_t wn[] = {3, 5, 4};
    assert_int_equal(m.count, 3);
    for (int i = 0; i < 3; i++) {
        assert_string_equal(m.terms[i], want[i]);
        assert_int_equal(m.n[i], wn[i]);
    }
    tlx_dfpend_clear(b);
    assert_int_equal(tlx_dfpend_merge(a, b), 0); /* an empty source adds nothing */
    assert_int_equal(tlx_dfpend_size(a), 3);
    tlx_dfpend_destroy(&a);
    tlx_dfpend_destroy(&b);
}

/* The store: three articles in one batch, then an aborted batch. */
static void s_commit(tlx_store_t *st, int n, const char *terms, size_t terms_len)
{
    char id[32];
    snprintf(id, sizeof id, "dfp-%d", n);
    tlx_accept_out_t out;
    assert_int_equal(tlx_test_accept(st, id, id, &out), 0);
    msgpack_sbuffer sb;
    msgpack_packer pk;
    msgpack_sbuffer_init(&sb);
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 1);
    msgpack_pack_str_with_body(&pk, "id", 2);
    msgpack_pack_str_with_body(&pk, id, strlen(id));
    tlx_commit_hints_t h = {.terms = terms, .terms_len = terms_len};
    uint64_t seq;
    assert_int_equal(tlx_store_commit_record(st, out.inbox_seq, sb.data, sb.size, &h, &seq), 0);
    msgpack_sbuffer_destroy(&sb);
}

static int s_scan(void *ctx, const char *term, size_t len, uint32_t count)
{
    return s_collect(ctx, term, len, count);
}

static void test_store_batch(void **state)
{
    (void)state;
    char dir[256];
    tlx_store_t *st;
    tlx_test_store_open(dir, sizeof dir, "dfpend", &st);
    static const char t1[] = "north\0korea\0", t2[] = "korea\0seoul\0", t3[] = "korea\0";
    assert_int_equal(tlx_store_wbegin(st), 0);
    s_commit(st, 1, t1, sizeof t1 - 1);
    s_commit(st, 2, t2, sizeof t2 - 1);
    s_commit(st, 3, t3, sizeof t3 - 1);
    assert_int_equal(tlx_store_wcommit(st), 0);
    assert_int_equal(tlx_store_wbegin(st), 0); /* counted, then given up */
    s_commit(st, 4, t1, sizeof t1 - 1);
    tlx_store_wabort(st);
    seen_t s = {0};
    assert_int_equal(tlx_store_df_scan(st, s_scan, &s), 0);
    assert_int_equal(s.count, 4);
    const char *want[] = {"", "korea", "north", "seoul"}; /* "" counts documents */
    const uint32_t wn[] = {3, 3, 1, 1};
    for (int i = 0; i < 4; i++) {
        assert_string_equal(s.terms[i], want[i]);
        assert_int_equal(s.n[i], wn[i]);
    }
    tlx_store_counts_t c;
    assert_int_equal(tlx_store_counts(st, &c), 0);
    assert_int_equal(c.df_docs, 3);
    assert_int_equal(tlx_test_store_remove(dir, &st), 0);
}

/* df_flush_ms: committed batches' counts wait in memory (an aborted
   batch's never join them) and are written by the commit after the
   interval, or at close. */
static void test_store_held(void **state)
{
    (void)state;
    char dir[256];
    tlx_store_t *st;
    tlx_test_store_open(dir, sizeof dir, "dfheld", &st);
    tlx_store_close(&st);
    tlx_store_opts_t o;
    tlx_store_opts_default(&o);
    o.df_flush_ms = 3600 * 1000;
    char err[256];
    assert_int_equal(tlx_store_open(dir, &o, &st, err, sizeof err), 0);
    static const char t1[] = "north\0korea\0", t2[] = "korea\0";
    assert_int_equal(tlx_store_wbegin(st), 0); /* the first commit writes: nothing held before */
    s_commit(st, 1, t1, sizeof t1 - 1);
    assert_int_equal(tlx_store_wcommit(st), 0);
    assert_int_equal(tlx_store_wbegin(st), 0); /* held */
    s_commit(st, 2, t2, sizeof t2 - 1);
    assert_int_equal(tlx_store_wcommit(st), 0);
    assert_int_equal(tlx_store_wbegin(st), 0); /* given up: never counted */
    s_commit(st, 3, t1, sizeof t1 - 1);
    tlx_store_wabort(st);
    assert_int_equal(tlx_store_wbegin(st), 0); /* held too, and left open at close */
    s_commit(st, 4, t2, sizeof t2 - 1);
    assert_int_equal(tlx_store_wcommit(st), 0);
    assert_int_equal(tlx_store_wbegin(st), 0);
    s_commit(st, 5, t1, sizeof t1 - 1);
    seen_t s = {0};
    assert_int_equal(tlx_store_df_scan(st, s_scan, &s), 0);
    assert_int_equal(s.count, 3); /* only the first batch is written */
    assert_int_equal(s.n[0], 1);
    tlx_store_close(&st); /* writes the held counts; the open batch goes */
    assert_int_equal(tlx_store_open(dir, &o, &st, err, sizeof err), 0);
    memset(&s, 0, sizeof s);
    assert_int_equal(tlx_store_df_scan(st, s_scan, &s), 0);
    const char *want[] = {"", "korea", "north"};
    const uint32_t wn[] = {3, 3, 1};
    assert_int_equal(s.count, 3);
    for (int i = 0; i < 3; i++) {
        assert_string_equal(s.terms[i], want[i]);
        assert_int_equal(s.n[i], wn[i]);
    }
    assert_int_equal(tlx_test_store_remove(dir, &st), 0);
}

static void s_expect(tlx_store_t *st, int count, const char *const *want, const uint32_t *wn)
{
    seen_t s = {0};
    assert_int_equal(tlx_store_df_scan(st, s_scan, &s), 0);
    assert_int_equal(s.count, count);
    for (int i = 0; i < count; i++) {
        assert_string_equal(s.terms[i], want[i]);
        assert_int_equal(s.n[i], wn[i]);
    }
}

static void s_batch(tlx_store_t *st, int n, const char *terms, size_t len)
{
    assert_int_equal(tlx_store_wbegin(st), 0);
    s_commit(st, n, terms, len);
    assert_int_equal(tlx_store_wcommit(st), 0);
}

/* df_flush_terms: the held counts are written a slice per commit, in key
   order; counts of the batches meanwhile wait for the next interval; an
   aborted commit does not move the slice on; close writes the rest. */
static void test_store_sliced(void **state)
{
    (void)state;
    char dir[256];
    tlx_store_t *st;
    tlx_test_store_open(dir, sizeof dir, "dfslice", &st);
    tlx_store_close(&st);
    tlx_store_opts_t o;
    tlx_store_opts_default(&o);
    o.df_flush_ms = 1;
    o.df_flush_terms = 2;
    char err[256];
    assert_int_equal(tlx_store_open(dir, &o, &st, err, sizeof err), 0);
    static const char t1[] = "north\0korea\0seoul\0", t2[] = "korea\0";
    s_batch(st, 1, t1, sizeof t1 - 1); /* nothing held yet: held now */
    s_expect(st, 0, NULL, NULL);
    usleep(2000); /* the interval (1 ms) passed: the next commit starts writing */
    s_batch(st, 2, t2, sizeof t2 - 1);
    s_expect(st, 2, (const char *[]){"", "korea"}, (const uint32_t[]){1, 1});
    assert_int_equal(tlx_store_wbegin(st), 0); /* aborted: the slice stays */
    s_commit(st, 3, t2, sizeof t2 - 1);
    tlx_store_wabort(st);
    s_batch(st, 4, NULL, 0); /* the next slice: "north", "seoul" */
    s_expect(st, 4, (const char *[]){"", "korea", "north", "seoul"}, (const uint32_t[]){1, 1, 1, 1});
    /* held: batch 2's "" and "korea" (batch 4 had no terms); the next
       interval writes them: two terms, one slice */
    usleep(2000);
    s_batch(st, 5, t1, sizeof t1 - 1);
    s_expect(st, 4, (const char *[]){"", "korea", "north", "seoul"}, (const uint32_t[]){2, 2, 1, 1});
    usleep(2000);
    s_batch(st, 6, NULL, 0); /* batch 5's first slice: "" and "korea" */
    s_expect(st, 4, (const char *[]){"", "korea", "north", "seoul"}, (const uint32_t[]){3, 3, 1, 1});
    tlx_store_close(&st); /* the rest: batch 5's "north" and "seoul" */
    assert_int_equal(tlx_store_open(dir, &o, &st, err, sizeof err), 0);
    s_expect(st, 4, (const char *[]){"", "korea", "north", "seoul"}, (const uint32_t[]){3, 3, 2, 2});
    assert_int_equal(tlx_test_store_remove(dir, &st), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sums_and_order), cmocka_unit_test(test_growth_clear_and_stop),
        cmocka_unit_test(test_store_batch),    cmocka_unit_test(test_store_held),
        cmocka_unit_test(test_store_sliced),   cmocka_unit_test(test_merge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
