/* SPDX-License-Identifier: Apache-2.0 */
/*  test_dates.c -- tlx_dates: every shape of tlx_dates.h, invalid dates,
    non-dates, anchors, the seeds' golden dates, and pathological input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tlx_dates.h"
#include "tlx_error.h"

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

static tlx_dates_anchor_t A(int y, int m, int d)
{
    return (tlx_dates_anchor_t){y, m, d};
}

/* Extracts from text; returns the count, *out the array. */
static uint32_t s_run(const char *text, tlx_dates_anchor_t a, tlx_date_t **out)
{
    uint32_t n = 99;
    assert_int_equal(tlx_dates_extract(text, strlen(text), &a, s_arena, out, &n), 0);
    return n;
}

/* Exactly one date with this text and value. */
static void s_one(const char *text, tlx_dates_anchor_t a, const char *want_text, const char *want_value)
{
    tlx_date_t *d;
    uint32_t n = s_run(text, a, &d);
    if (n != 1)
        fail_msg("'%s': %u dates (want 1: %s)", text, n, want_value);
    assert_string_equal(d[0].text, want_text);
    assert_string_equal(d[0].value, want_value);
    assert_memory_equal(text + d[0].span.start, want_text, strlen(want_text));
    assert_int_equal(d[0].span.end - d[0].span.start, strlen(want_text));
}

static void s_none(const char *text, tlx_dates_anchor_t a)
{
    tlx_date_t *d;
    uint32_t n = s_run(text, a, &d);
    if (n != 0)
        fail_msg("'%s': want no date, got '%s' -> %s", text, d[0].text, d[0].value);
}

static void test_days(void **state)
{
    (void)state;
    tlx_dates_anchor_t a = A(2019, 5, 28); /* a Tuesday */
    s_one("a source said on Monday that prices rose", a, "Monday", "2019-05-27");
    s_one("He said Tuesday that", a, "Tuesday", "2019-05-28");
    s_one("It happened last Tuesday.", a, "last Tuesday", "2019-05-21");
    s_one("They meet next Monday.", a, "next Monday", "2019-06-03");
    s_one("reported on May 25 that", a, "May 25", "2019-05-25");
    s_one("reported on May 25th that", a, "May 25th", "2019-05-25");
    s_one("On November 13, a source said", A(2016, 11, 16), "November 13", "2016-11-13");
    s_one("The meeting was held on May 25, 2019, in Seoul", a, "May 25, 2019", "2019-05-25");
    s_one("It was 25 May 2019.", a, "25 May 2019", "2019-05-25");
    s_one("on the 13th of May", a, "the 13th of May", "2019-05-13");
    s_one("Kang Mi Jin | 2016-11-16 16:07", a, "2016-11-16", "2016-11-16");
    s_one("Sept. 5 was the day", a, "Sept. 5", "2018-09-05"); /* > 90 days ahead: last year */
    s_one("on Dec. 20 the order came", A(2020, 1, 10), "Dec. 20", "2019-12-20");
    s_one("December 20", A(2020, 1, 10), "December 20", "2019-12-20");
    s_one("yesterday", a, "yesterday", "2019-05-27");
    s_one("Today the market closed", a, "Today", "2019-05-28");
    s_one("the order came on the 13th.", a, "the 13th", "2019-05-13");
    s_one("the order came on the 30th, they said", a, "the 30th", "2019-04-30");
    s_one("eight days ago", a, "eight days ago", "2019-05-20");
    s_one("two weeks ago", a, "two weeks ago", "2019-05-14");
    s_one("February 29, 2020", a, "February 29, 2020", "2020-02-29");
}

static void test_months_years(void **state)
{
    (void)state;
    tlx_dates_anchor_t a = A(2024, 8, 10);
    s_one("issued the order in mid-March.", a, "mid-March", "2024-03");
    s_one("in early July to raise", a, "early July", "2024-07");
    s_one("in late August", a, "late August", "2024-08");
    s_one("workers who left in April", a, "April", "2024-04");
    s_one("in December", a, "December", "2023-12");
    s_one("photographed in June 2019.", a, "June 2019", "2019-06");
    s_one("in March of 2019", a, "March of 2019", "2019-03");
    s_one("in May last year", a, "May last year", "2023-05");
    s_one("has slightly risen in 2016.", a, "2016", "2016");
    s_one("since 2011 the border", a, "2011", "2011");
    s_one("by mid-2016", a, "mid-2016", "2016");
    s_one("in the fall of last year", a, "last year", "2023");
    s_one("this year", a, "this year", "2024");
    s_one("next year", a, "next year", "2025");
    s_one("last month", a, "last month", "2024-07");
    s_one("last month", A(2024, 1, 5), "last month", "2023-12");
    s_one("three months ago", a, "three months ago", "2024-05");
    s_one("14 months ago", a, "14 months ago", "2023-06");
    s_one("eight years ago", a, "eight years ago", "2016");
    s_one("five years ago", a, "five years ago", "2019");
    s_one("a year ago", a, "a year ago", "2023");
    s_one("two decades ago", a, "two decades ago", "2004");
    s_one("last week", a, "last week", "2024-W31");
    s_one("last week", A(2021, 1, 8), "last week", "2020-W53");
}

static void test_not_dates(void **state)
{
    (void)state;
    tlx_dates_anchor_t a = A(2024, 8, 10);
    s_none("which had been in decline since Kim Jong Un took power", a);
    s_none("in a year or two under some other pretext", a);
    s_none("survive on the provisions for six months", a);
    s_none("one year's worth of provisions", a);
    s_none("at the 8th Party Congress", a);
    s_none("May I ask a question? They may go.", a);
    s_none("the total exceeds 30,000 and 2016,5 is odd", a);
    s_none("February 30", a);
    s_none("on February 30, 2019", a);
    s_none("February 29, 2019", a);
    s_none("April 31", a);
    s_none("the Jan 5 team", a); /* an abbreviation without its dot is not a month */
    s_none("JANUARY", a);        /* a month is capitalised, not shouted or lower case */
    s_none("the number 2016 alone", a);
    s_none("a 20-year-old worker", a);
    s_none("", a);
    /* no anchor: relative dates are not reported, absolute ones are */
    s_none("on Monday, May 25, last year, eight years ago, the 13th.", A(0, 0, 0));
    s_one("on May 25, 2019", A(0, 0, 0), "May 25, 2019", "2019-05-25");
}

static void test_several(void **state)
{
    (void)state;
    const char *t =
        "On Monday a source said that in early July, and again on May 25, prices rose; in 2016 too.";
    tlx_date_t *d;
    uint32_t n = s_run(t, A(2024, 5, 29), &d);
    assert_int_equal(n, 4);
    assert_string_equal(d[0].value, "2024-05-27");
    assert_string_equal(d[1].value, "2023-07"); /* a month after the anchor: last year */
    assert_string_equal(d[2].value, "2024-05-25");
    assert_string_equal(d[3].value, "2016");
    for (uint32_t i = 1; i < n; i++)
        assert_true(d[i].span.start >= d[i - 1].span.end);
}

static void test_anchor(void **state)
{
    (void)state;
    tlx_dates_anchor_t a;
    tlx_dates_anchor("2016-11-16T16:07:00+09:00", 0, &a);
    assert_int_equal(a.y, 2016);
    assert_int_equal(a.m, 11);
    assert_int_equal(a.d, 16);
    tlx_dates_anchor(NULL, 1716800000000LL, &a); /* 2024-05-27T09:33:20Z */
    assert_int_equal(a.y, 2024);
    assert_int_equal(a.m, 5);
    assert_int_equal(a.d, 27);
    tlx_dates_anchor("garbage", 1716800000000LL, &a);
    assert_int_equal(a.y, 2024);
    tlx_dates_anchor("2019-02-30", 0, &a);
    assert_int_equal(a.y, 0);
    tlx_dates_anchor(NULL, 0, &a);
    assert_int_equal(a.y, 0);
}

static char *s_read(const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/seeds/%s", TLX_SOURCE_DIR, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    *len = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[*len] = '\0';
    return buf;
}

/* Golden dates of the seeds, checked by reading each article. */
static void s_golden(const char *seed, tlx_dates_anchor_t a, const char *const *want)
{
    size_t len;
    char *t = s_read(seed, &len);
    tlx_date_t *d;
    uint32_t n = 0;
    assert_int_equal(tlx_dates_extract(t, len, &a, s_arena, &d, &n), 0);
    uint32_t k = 0;
    for (; want[k]; k += 2) {
        if (k / 2 >= n)
            fail_msg("%s: missing %s", seed, want[k]);
        assert_string_equal(d[k / 2].text, want[k]);
        assert_string_equal(d[k / 2].value, want[k + 1]);
    }
    assert_int_equal(n, k / 2);
}

static void test_seeds(void **state)
{
    (void)state;
    /* 000 and 001 carry no byline date: anchored on a received_at, Thursday 2024-05-30 */
    tlx_dates_anchor_t rx = A(2024, 5, 30);
    s_golden("000_b95e5fb43f31aefa.txt", rx,
             (const char *const[]){"Monday", "2024-05-27", "early July", "2023-07", NULL});
    s_golden(
        "001_fb1bfa2ad44c6e4f.txt", rx,
        (const char *const[]){"June 2019", "2019-06", "Tuesday", "2024-05-28", "mid-March", "2024-03", NULL});
    s_golden("002_8907b5e82464a41b.txt", A(2016, 11, 16),
             (const char *const[]){"2016-11-16", "2016-11-16", "2016", "2016", "April", "2016-04", "August",
                                   "2016-08", "November 13", "2016-11-13", "November 12", "2016-11-12",
                                   NULL});
    s_golden("003_cbb70c7f6c33b917.txt", A(2024, 6, 3),
             (const char *const[]){"May 25", "2024-05-25", "last year", "2023", NULL});
    s_golden("004_50cf4b8f26c8f34a.txt", A(2018, 5, 15),
             (const char *const[]){"2018-05-15", "2018-05-15", "May 7", "2018-05-07", "eight years ago",
                                   "2010", "five years ago", "2013", NULL});
}

static void test_bad_input(void **state)
{
    (void)state;
    tlx_dates_anchor_t a = A(2024, 8, 10);
    size_t big = 1000000;
    char *t = malloc(big + 1);
    assert_non_null(t);
    memset(t, '7', big);
    t[big] = '\0';
    s_none(t, a); /* a million digits */
    /* 10,000 "February 30" and as many valid dates: linear, all answered */
    const char *unit = "February 30 and May 25, ";
    size_t ul = strlen(unit), reps = 10000;
    char *u = malloc(ul * reps + 1);
    assert_non_null(u);
    for (size_t i = 0; i < reps; i++)
        memcpy(u + i * ul, unit, ul);
    u[ul * reps] = '\0';
    tlx_date_t *d;
    uint32_t n = s_run(u, a, &d);
    assert_int_equal(n, reps);
    assert_string_equal(d[reps - 1].value, "2024-05-25");
    /* letters glued to digits: "a1" is two tokens; the token array must be sized for that
       (the fuzzer found the undercount: an ASan build poisons the arena past each allocation) */
    size_t gl = 4096;
    char *g = malloc(gl + 1);
    assert_non_null(g);
    for (size_t i = 0; i < gl; i++)
        g[i] = i % 2 ? '1' : 'a';
    g[gl] = '\0';
    s_none(g, a);
    free(g);
    /* punctuation and UTF-8 soup, NUL bytes */
    const char soup[] =
        "\xe2\x80\x9c-\xc2\xa0May\x00 25\xff\xfe, 2019 the 31st of February mid- early 2016-13-45";
    tlx_arena_reset(s_arena);
    uint32_t m;
    assert_int_equal(tlx_dates_extract(soup, sizeof soup - 1, &a, s_arena, &d, &m), 0);
    free(t);
    free(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_days),      cmocka_unit_test(test_months_years),
        cmocka_unit_test(test_not_dates), cmocka_unit_test(test_several),
        cmocka_unit_test(test_anchor),    cmocka_unit_test(test_seeds),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
