/* SPDX-License-Identifier: Apache-2.0 */
/*  test_layout.c -- the layout model over lines (tlx_layout): splitting,
    probabilities, names, the line cap, date finding, and that the classes
    it gives hand-written lines of each kind are the expected ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tlx_layout.h"

static tlx_arena_t *A;

static tlx_layout_line_t *s_lines(const char *t, uint32_t max, uint32_t *n)
{
    tlx_layout_line_t *L = NULL;
    assert_int_equal(tlx_layout_lines(t, strlen(t), max, A, &L, n), 0);
    return L;
}

static void test_split_and_probabilities(void **state)
{
    (void)state;
    uint32_t n;
    const char *t =
        "Headline of a story\n\n\nFirst paragraph of the story, which says what happened on Monday.\nSecond";
    tlx_layout_line_t *L = s_lines(t, 100, &n);
    assert_int_equal(n, 3); /* blank lines are not lines */
    assert_int_equal(L[0].off, 0);
    assert_int_equal(L[1].off, 22);
    assert_memory_equal(L[2].s, "Second", 6);
    assert_int_equal(L[2].len, 6);
    for (uint32_t i = 0; i < n; i++) {
        float sum = 0, sum1 = 0;
        for (int c = 0; c < TLX_LC__COUNT; c++) {
            assert_true(L[i].p[c] >= 0 && L[i].p[c] <= 1);
            sum += L[i].p[c], sum1 += L[i].p1[c];
            if (L[i].p[c] > L[i].p[L[i].cls])
                fail_msg("line %u: cls is not the argmax", i);
        }
        assert_true(sum > 0.999f && sum < 1.001f);
        assert_true(sum1 > 0.999f && sum1 < 1.001f);
    }
    assert_true(L[1].prose);
    /* the cap */
    L = s_lines("a\nb\nc\nd\n", 2, &n);
    assert_int_equal(n, 2);
    L = s_lines("", 10, &n);
    assert_int_equal(n, 0);
    assert_null(L);
    L = s_lines("\n\n\n", 10, &n);
    assert_int_equal(n, 0);
    tlx_arena_reset(A);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(tlx_layout_class_name(TLX_LC_BODY), "body");
    assert_string_equal(tlx_layout_class_name(TLX_LC_META), "meta");
    assert_null(tlx_layout_class_name(TLX_LC__COUNT));
    assert_string_equal(tlx_layout_feature_name(0), "bias");
    for (uint32_t i = 0; i < TLX_LAYOUT_NFEAT; i++)
        assert_non_null(tlx_layout_feature_name(i));
    assert_null(tlx_layout_feature_name(TLX_LAYOUT_NFEAT));
}

static void test_find_date(void **state)
{
    (void)state;
    char iso[32];
    size_t at, end;
    const char *s = "Posted on Tuesday, Feb 3, 2021 by the desk";
    assert_int_equal(tlx_layout_find_date(s, strlen(s), 0, iso, &at, &end), 1);
    assert_string_equal(iso, "2021-02-03");
    assert_int_equal(at, 19);
    assert_int_equal(end, 30);
    s = "10/23/2025October 23, 2025 glued by a crawl";
    assert_int_equal(tlx_layout_find_date(s, strlen(s), 0, iso, &at, &end), 1);
    assert_string_equal(iso, "2025-10-23");
    s = "No date here, only 2021 and March";
    assert_int_equal(tlx_layout_find_date(s, strlen(s), 0, iso, &at, &end), 0);
}

/* Lines written for each class, in a page of their own. */
static void test_classes(void **state)
{
    (void)state;
    uint32_t n;
    tlx_layout_line_t *L = s_lines(
        "Skip to main content\n\nPort workers end strike after pay deal\n\nBy Nora Quinn\n\n"
        "Dock workers ended a week-long strike on Thursday after the port operator agreed to raise pay by "
        "six percent over two years, the union said.\n\n"
        "Ships that had waited off the coast began to unload on Thursday evening, and the operator said "
        "the backlog would clear within days.\n\n"
        "Sign up for our newsletter\n",
        100, &n);
    assert_int_equal(n, 6);
    assert_int_equal(L[0].cls, TLX_LC_BOILER);
    assert_int_equal(L[1].cls, TLX_LC_TITLE);
    assert_int_equal(L[2].cls, TLX_LC_META);
    assert_int_equal(L[3].cls, TLX_LC_BODY);
    assert_int_equal(L[4].cls, TLX_LC_BODY);
    assert_int_equal(L[5].cls, TLX_LC_BOILER);
    tlx_arena_reset(A);
}

/* Shape flags: a long title-case headline with function words is not prose
   (it has no sentence end); a sentence is; breadcrumb arrows; a line of more
   than TLX_LAYOUT_WORDS_MAX words still reads as prose. */
static void test_shapes(void **state)
{
    (void)state;
    uint32_t n;
    tlx_layout_line_t *L = s_lines(
        "Home >> Business >> Markets\n"
        "City Budget Keeps Support for Schools, Parks, and Buses Nearly Flat at 2.1 Billion Dollars\n"
        "The city will spend about as much on schools, parks and buses next year as it did this year, "
        "according to the budget it released on Monday.\n"
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen twenty and the words go on well past the number of words looked up "
        "one by one in the word classes so that the rest is not looked at\n",
        100, &n);
    assert_int_equal(n, 4);
    assert_true(L[0].arrow);
    assert_false(L[0].prose);
    assert_true(L[1].titlecase);
    assert_false(L[1].sent_end);
    assert_false(L[1].prose);
    assert_false(L[2].titlecase);
    assert_true(L[2].sent_end);
    assert_true(L[2].prose);
    assert_false(L[3].arrow);
    assert_true(L[3].prose);
    tlx_arena_reset(A);
}

/* The value of the feature called `name` on line L. */
static float s_feat(const tlx_layout_line_t *L, const char *name)
{
    for (uint32_t i = 0; i < TLX_LAYOUT_NFEAT; i++)
        if (strcmp(tlx_layout_feature_name(i), name) == 0)
            return L->f[i];
    fail_msg("no feature %s", name);
    return 0;
}

/* Credits in a trailing parenthesis, by shape and generic words, no names:
   credit words, a medium's name, "X via Y", "Agency/Name", a short name in
   capitals; not an acronym of the words before, not a date, not prose. */
static void test_credit_paren(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        int credit;
    } cases[] = {
        {"Firefighters work at the scene on Monday. (Example Wire)", 1},
        {"A worker checks pipes at the plant (EXA)", 1},
        {"A parade in the capital (Photo: Jane Roe)", 1},
        {"The old bridge before the floods (File)", 1},
        {"Leaders meet at the summit (Northland News)", 1},
        {"Missiles on parade (State Agency via Example Wire)", 1},
        {"Soldiers on patrol (Example/Jane Roe)", 1},
        {"Rescue teams at work (Courtesy of the fire department)", 1},
        {"Weapons of Mass Destruction (WMD)", 0},
        {"Officials of the Northern Regional Council (NRC)", 0},
        {"The ceremony was held in the capital (March 4)", 0},
        {"He said he would return (and he did)", 0},
        {"Prices rose 3 percent (2023)", 0},
        {"A line with no parenthesis", 0},
        {"(Example Wire)", 1},
        {"()", 0},
        {")", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t open = 0;
        int got = tlx_layout_credit_paren(cases[i].line, strlen(cases[i].line), &open);
        if (got != cases[i].credit)
            fail_msg("%s: got %d", cases[i].line, got);
        if (got)
            assert_int_equal(cases[i].line[open - 1], '(');
    }
}

/* Furniture and caption evidence: the reader addressed, calls to action,
   a medium's name, a teaser's cut summary, a line repeated two lines away,
   an author's bio under the name line. */
static void test_furniture_features(void **state)
{
    (void)state;
    uint32_t n;
    tlx_layout_line_t *L = s_lines(
        "Be the first to comment\n"
        "Support local news - Donate today!\n"
        "The Example Gazette\n"
        "The mayor opened the new library on Monday and said it would stay open late on weekends and\n"
        "Children read in the new library, left.\n"
        "Jane Roe/Example Photo Service\n"
        "Children read in the new library, left.\n"
        "Tom Reyes\n"
        "Tom Reyes is a reporter who covers the city council.\n"
        "Get our newsletter delivered to your inbox.\n"
        "The council said it would decide on the budget next week.\n",
        100, &n);
    assert_int_equal(n, 11);
    assert_true(s_feat(&L[0], "cta") > 0);
    assert_true(s_feat(&L[1], "cta") > 0); /* after the dash */
    assert_true(s_feat(&L[9], "cta") > 0);
    assert_true(s_feat(&L[9], "you") > 0);
    assert_true(s_feat(&L[9], "our") > 0);
    assert_true(s_feat(&L[10], "cta") == 0);
    assert_true(s_feat(&L[10], "you") == 0);
    assert_true(s_feat(&L[2], "media_shape") > 0);
    assert_true(s_feat(&L[7], "media_shape") == 0);
    assert_true(s_feat(&L[3], "unfinished") > 0);
    assert_true(s_feat(&L[10], "unfinished") == 0); /* the last line: the text may be cut */
    assert_true(s_feat(&L[8], "unfinished") == 0);
    assert_true(s_feat(&L[4], "dup_near") > 0);
    assert_true(s_feat(&L[6], "dup_near") > 0);
    assert_true(s_feat(&L[5], "dup_near") == 0);
    assert_true(s_feat(&L[5], "credit_slash") > 0);
    assert_true(s_feat(&L[7], "next_starts_me") > 0);
    assert_true(s_feat(&L[8], "starts_prev") > 0);
    assert_true(s_feat(&L[9], "starts_prev") == 0);
    tlx_arena_reset(A);
}

/* Bounded on hostile shapes: one long line, many short ones. */
static void test_sizes(void **state)
{
    (void)state;
    size_t big = 1u << 20;
    char *t = malloc(big + 1);
    assert_non_null(t);
    memset(t, 'x', big);
    t[big] = '\0';
    uint32_t n;
    tlx_layout_line_t *L = s_lines(t, 2000, &n);
    assert_int_equal(n, 1);
    assert_int_equal(L[0].len, big);
    for (size_t i = 0; i < big; i++)
        t[i] = i % 2 ? '\n' : '7';
    L = s_lines(t, 2000, &n);
    assert_int_equal(n, 2000);
    free(t);
    tlx_arena_reset(A);
}

int main(void)
{
    A = tlx_arena_new(1 << 20);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split_and_probabilities),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_find_date),
        cmocka_unit_test(test_classes),
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_credit_paren),
        cmocka_unit_test(test_furniture_features),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tlx_arena_destroy(&A);
    return rc;
}
