/* SPDX-License-Identifier: Apache-2.0 */
/*  test_text.c -- the pipeline's per-thread scratch (tlx_text.h): records
    made with a scratch kept across articles are byte for byte the records
    made without one, whatever came before on that scratch, and a scratch
    outlives the tlx_text_t it was used with (a reload loads the model
    again, maybe at the same address). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tlx_record.h"
#include "tlx_text.h"

/* Short articles written for this test, and one the size of a news story. */
static const char *const s_docs[] = {
    "Kim Jong Un visits Pyongyang factory\n\nKim Jong Un visited a factory in Pyongyang on Monday, "
    "state media said. \xe2\x80\x9cWe will build more,\xe2\x80\x9d Kim said, according to KCNA.\n\n"
    "The visit came a week after officials in Seoul said the North had tested a missile.\n",
    "Council meets in New York\n\nThe United Nations Security Council met in New York on Friday to "
    "discuss sanctions worth $2.5 billion. China and Russia objected, Reuters reported.\n\n"
    "\xe2\x80\x9cThe council will meet again,\xe2\x80\x9d a spokesperson said.\n",
    "Prices rise in Hyesan markets\n\nRice sold for 6,000 won per kilogram in Hyesan on 3 March, "
    "a source in Ryanggang Province told Daily NK. Traders blamed the border closure.\n",
};

/* Packs the record of `text` made with `scr` (NULL: none) into a malloc'd buffer. */
static char *s_pack(const tlx_text_t *tx, tlx_text_scratch_t *scr, tlx_arena_t *arena, const char *text,
                    size_t len, size_t *out_len)
{
    tlx_text_opts_t o = {.source = "dailynk", .received_at_ms = 1716800000000LL, .scratch = scr};
    tlx_record_t rec;
    tlx_arena_reset(arena);
    assert_int_equal(tlx_text_process(tx, text, len, &o, arena, &rec), 0);
    assert_true(rec.nentities > 0);
    char *p = NULL;
    assert_int_equal(tlx_record_pack(&rec, &p, out_len), 0);
    return p;
}

static void s_same(const tlx_text_t *tx, tlx_text_scratch_t *scr, tlx_arena_t *arena, const char *text,
                   size_t len)
{
    size_t la, lb;
    char *a = s_pack(tx, NULL, arena, text, len, &la);
    char *b = s_pack(tx, scr, arena, text, len, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    free(a);
    free(b);
}

static void test_scratch_same_records(void **state)
{
    (void)state;
    const char *err = NULL;
    tlx_text_t *tx = tlx_text_new(NULL, &err);
    assert_non_null(tx);
    tlx_arena_t *arena = tlx_arena_new(1 << 16);
    tlx_text_scratch_t *scr = tlx_text_scratch_new();
    assert_non_null(scr);
    size_t n = sizeof s_docs / sizeof *s_docs;
    for (int round = 0; round < 2; round++) /* the second round finds every word cached */
        for (size_t i = 0; i < n; i++)
            s_same(tx, scr, arena, s_docs[i], strlen(s_docs[i]));
    /* the same scratch with a pipeline loaded again (the model maybe at the old address) */
    tlx_text_destroy(&tx);
    assert_non_null(tx = tlx_text_new(NULL, &err));
    for (size_t i = n; i-- > 0;)
        s_same(tx, scr, arena, s_docs[i], strlen(s_docs[i]));
    tlx_text_scratch_destroy(&scr);
    tlx_text_scratch_destroy(&scr);
    assert_null(scr);
    tlx_text_destroy(&tx);
    tlx_arena_destroy(&arena);
}

/* The seed articles, each after the others, with and without a scratch. */
static void test_scratch_seeds(void **state)
{
    (void)state;
    static const char *const seeds[] = {"000_b95e5fb43f31aefa.txt", "001_fb1bfa2ad44c6e4f.txt",
                                        "002_8907b5e82464a41b.txt", "003_cbb70c7f6c33b917.txt",
                                        "004_50cf4b8f26c8f34a.txt"};
    const char *err = NULL;
    tlx_text_t *tx = tlx_text_new(NULL, &err);
    assert_non_null(tx);
    tlx_arena_t *arena = tlx_arena_new(1 << 16);
    tlx_text_scratch_t *scr = tlx_text_scratch_new();
    assert_non_null(scr);
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < sizeof seeds / sizeof *seeds; i++) {
            char path[512];
            snprintf(path, sizeof path, "%s/seeds/%s", TLX_SOURCE_DIR, seeds[i]);
            FILE *f = fopen(path, "rb");
            assert_non_null(f);
            static char buf[1 << 16];
            size_t len = fread(buf, 1, sizeof buf, f);
            fclose(f);
            assert_true(len > 0 && len < sizeof buf);
            s_same(tx, scr, arena, buf, len);
        }
    tlx_text_scratch_destroy(&scr);
    tlx_text_destroy(&tx);
    tlx_arena_destroy(&arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scratch_same_records),
        cmocka_unit_test(test_scratch_seeds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
