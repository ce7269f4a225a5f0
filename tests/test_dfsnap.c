/* SPDX-License-Identifier: Apache-2.0 */
/*  test_dfsnap.c -- document-frequency snapshots over a real store: counts
    as committed, the bound on the number of terms (the rarest go first,
    what stays is exact), and references across publish. */
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

#include "tlx_dfsnap.h"
#include "tlx_store.h"
#include "tlx_test_store.h"

typedef struct {
    char dir[256];
    tlx_store_t *st;
} fx_t;

static int s_setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    tlx_test_store_open(fx->dir, sizeof fx->dir, "dfsnap", &fx->st);
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

/* Stores article n whose terms are t0 .. t(nterms-1). */
static void s_commit_terms(tlx_store_t *st, int n, int nterms)
{
    char id[32], text[32];
    snprintf(id, sizeof id, "df-%d", n);
    snprintf(text, sizeof text, "text %d", n);
    tlx_accept_out_t out;
    assert_int_equal(tlx_store_wbegin(st), 0);
    assert_int_equal(tlx_test_accept(st, id, text, &out), 0);
    char *terms = malloc((size_t)nterms * 8 + 1), *p = terms;
    for (int i = 0; i < nterms; i++)
        p += sprintf(p, "t%d", i) + 1;
    msgpack_sbuffer sb;
    msgpack_packer pk;
    msgpack_sbuffer_init(&sb);
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    msgpack_pack_map(&pk, 1);
    msgpack_pack_str_with_body(&pk, "id", 2);
    msgpack_pack_str_with_body(&pk, id, strlen(id));
    tlx_commit_hints_t h = {.terms = terms, .terms_len = (size_t)(p - terms)};
    uint64_t seq;
    assert_int_equal(tlx_store_commit_record(st, out.inbox_seq, sb.data, sb.size, &h, &seq), 0);
    assert_int_equal(tlx_store_wcommit(st), 0);
    msgpack_sbuffer_destroy(&sb);
    free(terms);
}

static uint64_t s_df(const tlx_dfsnap_t *s, int term)
{
    char t[16];
    int n = snprintf(t, sizeof t, "t%d", term);
    const tlx_keywords_df_t *v = tlx_dfsnap_df(s);
    return v->df(v->ctx, t, (size_t)n);
}

/* Article k (k = 0..7) has terms t0 .. t(1000 >> k): t_i is counted in as
   many articles as there are k with i < 1000 >> k. */
static void s_corpus(tlx_store_t *st)
{
    for (int k = 0; k < 8; k++)
        s_commit_terms(st, k, 1000 >> k);
}

static void test_counts(void **state)
{
    fx_t *fx = *state;
    assert_null(tlx_dfsnap_build(fx->st)); /* nothing counted yet */
    s_corpus(fx->st);
    tlx_dfsnap_t *s = tlx_dfsnap_build(fx->st);
    assert_non_null(s);
    assert_int_equal(tlx_dfsnap_ndocs(s), 8);
    assert_int_equal(tlx_dfsnap_terms(s), 1000);
    assert_int_equal(tlx_dfsnap_min_count(s), 1);
    assert_int_equal(s_df(s, 0), 8);   /* in every article */
    assert_int_equal(s_df(s, 7), 7);   /* 7 < 1000 >> k for k = 0..6 */
    assert_int_equal(s_df(s, 999), 1); /* only in article 0 */
    tlx_dfsnap_release(s);
}

static void test_bound(void **state)
{
    fx_t *fx = *state;
    s_corpus(fx->st);
    /* 1,000 terms, room for 300: counted >= 2 are 500 (too many), >= 4 are 125 */
    tlx_dfsnap_t *s = tlx_dfsnap_build_max(fx->st, 300);
    assert_non_null(s);
    assert_int_equal(tlx_dfsnap_min_count(s), 4);
    assert_int_equal(tlx_dfsnap_terms(s), 125);
    assert_int_equal(tlx_dfsnap_ndocs(s), 8);
    assert_int_equal(s_df(s, 0), 8);
    assert_int_equal(s_df(s, 124), 4); /* kept, exact */
    assert_int_equal(s_df(s, 125), 0); /* counted 3 times: left out, reads as rarer than all kept */
    assert_int_equal(s_df(s, 999), 0);
    tlx_dfsnap_release(s);
    /* room for exactly the terms counted >= 2 */
    s = tlx_dfsnap_build_max(fx->st, 500);
    assert_int_equal(tlx_dfsnap_min_count(s), 2);
    assert_int_equal(tlx_dfsnap_terms(s), 500);
    assert_int_equal(s_df(s, 499), 2);
    tlx_dfsnap_release(s);
}

static void test_publish(void **state)
{
    fx_t *fx = *state;
    s_corpus(fx->st);
    tlx_dfsnap_slot_t slot;
    tlx_dfsnap_slot_init(&slot);
    assert_null(tlx_dfsnap_acquire(&slot));
    tlx_dfsnap_publish(&slot, tlx_dfsnap_build(fx->st));
    tlx_dfsnap_t *held = tlx_dfsnap_acquire(&slot);
    assert_int_equal(tlx_dfsnap_ndocs(held), 8);
    s_commit_terms(fx->st, 8, 10);
    tlx_dfsnap_publish(&slot, tlx_dfsnap_build(fx->st)); /* the old one lives on while held */
    assert_int_equal(s_df(held, 0), 8);
    tlx_dfsnap_t *now = tlx_dfsnap_acquire(&slot);
    assert_int_equal(tlx_dfsnap_ndocs(now), 9);
    assert_int_equal(s_df(now, 0), 9);
    tlx_dfsnap_release(now);
    tlx_dfsnap_release(held);
    tlx_dfsnap_slot_fini(&slot);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_counts, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_bound, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_publish, s_setup, s_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
