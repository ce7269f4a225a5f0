/* SPDX-License-Identifier: Apache-2.0 */
/*  test_summary.c -- tlx_summary: sentence split with abbreviations, the
    lead skipping captions/bylines/credits/headings, the 60-word cap,
    Flesch reading ease, the seeds' golden leads, large input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tlx_error.h"
#include "tlx_summary.h"

static tlx_arena_t *s_arena;

static int s_setup(void **state)
{
    (void)state;
    s_arena = tlx_arena_new(1 << 16);
    return s_arena ? 0 : -1;
}

static int s_teardown(void **state)
{
    (void)state;
    tlx_arena_destroy(&s_arena);
    return 0;
}

static unsigned s_nwords(const char *s)
{
    unsigned n = 0;
    int in = 0;
    for (; *s; s++) {
        int w = *s != ' ' && *s != '\n';
        n += w && !in;
        in = w;
    }
    return n;
}

static void test_sentences(void **state)
{
    (void)state;
    const char *t = "Mr. Kim met Dr. Lee in the U.S. on Jan. 5. Prices rose! Did they? "
                    "\xe2\x80\x9cYes,\xe2\x80\x9d he said. "
                    "No. 3 was closed.\nA heading\nThe end.";
    tlx_span_t *s;
    uint32_t n;
    assert_int_equal(tlx_summary_sentences(t, strlen(t), s_arena, &s, &n), 0);
    assert_int_equal(n, 7);
    assert_memory_equal(t + s[0].start, "Mr. Kim met Dr. Lee in the U.S. on Jan. 5.", s[0].end - s[0].start);
    assert_memory_equal(t + s[1].start, "Prices rose!", s[1].end - s[1].start);
    assert_memory_equal(t + s[4].start, "No. 3 was closed.", s[4].end - s[4].start);
    assert_memory_equal(t + s[5].start, "A heading", s[5].end - s[5].start);
    assert_int_equal(tlx_summary_sentences("", 0, s_arena, &s, &n), 0);
    assert_int_equal(n, 0);
}

static void test_lead(void **state)
{
    (void)state;
    const char *t = "FILE PHOTO: A market in Hyesan. (Daily NK)\n\n"
                    "Kang Mi Jin  |  2016-11-16 16:07\n"
                    "Read in Korean\n"
                    "A short heading here\n\n"
                    "Rice prices rose sharply in Hyesan markets this week, sources said. Traders blamed the "
                    "closed border. Officials were silent. A fourth sentence is never used.\n\n"
                    "*Translated by Someone\n";
    const char *sum;
    double fl;
    assert_int_equal(tlx_summary_lead(t, strlen(t), NULL, 0, NULL, 0, s_arena, &sum, &fl), 0);
    assert_string_equal(sum,
                        "Rice prices rose sharply in Hyesan markets this week, sources said. Traders blamed "
                        "the closed border. Officials were silent.");
    assert_true(fl > 30 && fl < 100);
    /* a caption given by the structure stage is skipped even without markers */
    const char *c =
        "A picture taken from the Yalu River Bridge of an amusement park.\n\nThe lead sentence comes "
        "here and is long enough.";
    tlx_caption_t cap = {"A picture taken from the Yalu River Bridge of an amusement park.", NULL};
    assert_int_equal(tlx_summary_lead(c, strlen(c), NULL, 0, &cap, 1, s_arena, &sum, NULL), 0);
    assert_string_equal(sum, "The lead sentence comes here and is long enough.");
}

static void test_cap(void **state)
{
    (void)state;
    /* two 25-word sentences fit, the third would pass 60 words */
    char t[4096] = "";
    for (int s = 0; s < 3; s++) {
        for (int w = 0; w < 25; w++)
            strcat(t, w ? " word" : "Word");
        strcat(t, ". ");
    }
    const char *sum;
    assert_int_equal(tlx_summary_lead(t, strlen(t), NULL, 0, NULL, 0, s_arena, &sum, NULL), 0);
    assert_int_equal(s_nwords(sum), 50);
    /* one 100-word sentence is cut at 60 words */
    t[0] = '\0';
    for (int w = 0; w < 100; w++)
        strcat(t, w ? " word" : "Word");
    strcat(t, ".");
    assert_int_equal(tlx_summary_lead(t, strlen(t), NULL, 0, NULL, 0, s_arena, &sum, NULL), 0);
    assert_int_equal(s_nwords(sum), 60);
    assert_true(strstr(sum, "...") != NULL);
}

static void test_placeholders(void **state)
{
    (void)state;
    /* crawl placeholders stay out of the lead; editorial brackets stay in */
    const char *t = "[imText1]\n\n[imText2] Rice prices rose sharply in Hyesan markets this week, sources "
                    "said. Traders blamed [the] closed border [img3] crossings.\n";
    const char *sum;
    assert_int_equal(tlx_summary_lead(t, strlen(t), NULL, 0, NULL, 0, s_arena, &sum, NULL), 0);
    assert_string_equal(sum,
                        "Rice prices rose sharply in Hyesan markets this week, sources said. Traders blamed "
                        "[the] closed border crossings.");
}

static void test_flesch(void **state)
{
    (void)state;
    const char *easy = "The cat sat on the mat. The dog ran to the park. We had fun in the sun.";
    const char *hard = "Institutional considerations regarding organizational accountability necessitate "
                       "comprehensive evaluation of administrative responsibilities.";
    double fe, fh;
    const char *sum;
    assert_int_equal(tlx_summary_lead(easy, strlen(easy), NULL, 0, NULL, 0, s_arena, &sum, &fe), 0);
    assert_int_equal(tlx_summary_lead(hard, strlen(hard), NULL, 0, NULL, 0, s_arena, &sum, &fh), 0);
    assert_true(fe > 90);
    assert_true(fh < 10);
    assert_int_equal(tlx_summary_syllables("cat", 3), 1);
    assert_int_equal(tlx_summary_syllables("table", 5), 2);
    assert_int_equal(tlx_summary_syllables("make", 4), 1);
    assert_int_equal(tlx_summary_syllables("security", 8), 4);
}

static void test_seeds(void **state)
{
    (void)state;
    static const struct {
        const char *seed, *starts;
        unsigned sentences;
    } g[] = {
        {"000_b95e5fb43f31aefa.txt", "North Korean security officers are brazenly demanding money", 2},
        {"001_fb1bfa2ad44c6e4f.txt", "North Korean authorities have issued an order", 1},
        {"002_8907b5e82464a41b.txt", "The number of North Korean defectors entering South Korea", 2},
        {"003_cbb70c7f6c33b917.txt", "As the North Korean regime tightens its control", 2},
        {"004_50cf4b8f26c8f34a.txt", "North Korean leader Kim Jong Uns reference", 2},
    };
    for (size_t k = 0; k < sizeof g / sizeof *g; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/seeds/%s", TLX_SOURCE_DIR, g[k].seed);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        static char buf[1 << 16];
        size_t len = fread(buf, 1, sizeof buf, f);
        fclose(f);
        const char *sum;
        double fl;
        assert_int_equal(tlx_summary_lead(buf, len, NULL, 0, NULL, 0, s_arena, &sum, &fl), 0);
        assert_non_null(sum);
        if (strncmp(sum, g[k].starts, strlen(g[k].starts)) != 0)
            fail_msg("%s: lead '%s'", g[k].seed, sum);
        assert_true(s_nwords(sum) <= TLX_SUMMARY_MAX_WORDS);
        tlx_span_t *s;
        uint32_t n;
        assert_int_equal(tlx_summary_sentences(sum, strlen(sum), s_arena, &s, &n), 0);
        assert_int_equal(n, g[k].sentences);
        assert_true(fl > 0 && fl < 70); /* news prose: fairly difficult */
    }
}

static void test_bad_input(void **state)
{
    (void)state;
    size_t n = 1000000;
    char *t = malloc(n + 1);
    assert_non_null(t);
    for (size_t i = 0; i < n; i++)
        t[i] = ". A\n"[i % 4];
    t[n] = '\0';
    const char *sum;
    double fl;
    assert_int_equal(tlx_summary_lead(t, n, NULL, 0, NULL, 0, s_arena, &sum, &fl), 0);
    memset(t, '.', n);
    assert_int_equal(tlx_summary_lead(t, n, NULL, 0, NULL, 0, s_arena, &sum, &fl), 0);
    assert_null(sum);
    /* sentence spans outside the body are ignored */
    tlx_span_t bad[] = {{5, 1}, {0, 999}};
    assert_int_equal(tlx_summary_lead("Hello there.", 12, bad, 2, NULL, 0, s_arena, &sum, &fl), 0);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sentences),    cmocka_unit_test(test_lead),  cmocka_unit_test(test_cap),
        cmocka_unit_test(test_flesch),       cmocka_unit_test(test_seeds), cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_placeholders),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
