/* SPDX-License-Identifier: Apache-2.0 */
/*  test_datefmt.c -- date forms of date lines (tlx_datefmt): each form,
    times after the date, day-first rules, what is not a date. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tlx_datefmt.h"

static void s_is(const char *s, int df, int y, int m, int d, int hh, int mm, size_t used)
{
    tlx_datefmt_civil_t c;
    size_t u = 0;
    if (tlx_datefmt_parse(s, strlen(s), df, &c, &u) != 0)
        fail_msg("'%s': not read", s);
    if (c.y != y || c.m != m || c.d != d || c.hh != hh || c.mm != mm)
        fail_msg("'%s': %d-%d-%d %d:%d", s, c.y, c.m, c.d, c.hh, c.mm);
    assert_int_equal(u, used);
}

static void s_not(const char *s, int df)
{
    tlx_datefmt_civil_t c;
    size_t u = 0;
    if (tlx_datefmt_parse(s, strlen(s), df, &c, &u) == 0)
        fail_msg("'%s': read as %d-%d-%d", s, c.y, c.m, c.d);
}

static void test_forms(void **state)
{
    (void)state;
    s_is("2021-02-03", 0, 2021, 2, 3, -1, -1, 10);
    s_is("2021.02.03 and", 0, 2021, 2, 3, -1, -1, 10);
    s_is("2021/02/03", 0, 2021, 2, 3, -1, -1, 10);
    s_is("Feb 3,2021", 0, 2021, 2, 3, -1, -1, 10);
    s_is("February 3, 2021", 0, 2021, 2, 3, -1, -1, 16);
    s_is("Feb. 3, 2021", 0, 2021, 2, 3, -1, -1, 12);
    s_is("Sept. 30, 2020", 0, 2020, 9, 30, -1, -1, 14);
    s_is("Feb 3rd, 2021", 0, 2021, 2, 3, -1, -1, 13);
    s_is("3 February 2021", 0, 2021, 2, 3, -1, -1, 15);
    s_is("03 Feb. 2021", 0, 2021, 2, 3, -1, -1, 12);
    s_is("21/02/2021", -1, 2021, 2, 21, -1, -1, 10); /* unambiguous: day first */
    s_is("02/21/2021", -1, 2021, 2, 21, -1, -1, 10); /* unambiguous: month first */
    s_is("03/02/2021", 1, 2021, 2, 3, -1, -1, 10);
    s_is("03/02/2021", 0, 2021, 3, 2, -1, -1, 10);
    s_is("03.02.2021", 1, 2021, 2, 3, -1, -1, 10);
}

static void test_times(void **state)
{
    (void)state;
    s_is("2021-02-03 16:07", 0, 2021, 2, 3, 16, 7, 16);
    s_is("2021-02-03T16:07:59", 0, 2021, 2, 3, 16, 7, 19);
    s_is("February 3, 2021 - 09:55", 0, 2021, 2, 3, 9, 55, 24);
    s_is("03 Feb. 2021, 18:02 Updated", 0, 2021, 2, 3, 18, 2, 19);
    s_is("Feb 3, 2021, 9:45am", 0, 2021, 2, 3, 9, 45, 19);
    s_is("Feb 3, 2021 12:26PM", 0, 2021, 2, 3, 12, 26, 19);
    s_is("Feb 3, 2021 12:05 a.m.", 0, 2021, 2, 3, 0, 5, 20);
    s_is("Feb 3, 2021 25:99", 0, 2021, 2, 3, -1, -1, 11); /* not a time: the date alone */
}

static void test_not_dates(void **state)
{
    (void)state;
    s_not("03/02/2021", -1); /* nobody says which */
    s_not("February 30, 2021", 0);
    s_not("February 3", 0); /* no year */
    s_not("Mayor 3, 2021", 0);
    s_not("20211-02-03", 0);
    s_not("1850-02-03", 0);
    s_not("", 0);
    s_not("2021-", 0);
    size_t u;
    int m = tlx_datefmt_month("Sept.", 5, &u);
    assert_int_equal(m, 9);
    assert_int_equal(u, 5);
    assert_int_equal(tlx_datefmt_month("Sep", 3, &u), 9);
    assert_int_equal(tlx_datefmt_month("Se", 2, &u), 0);
    assert_int_equal(tlx_datefmt_month("SEPTEMBER 5", 11, &u), 9);
    assert_int_equal(u, 9);
    assert_int_equal(tlx_datefmt_month("Sept", 4, &u), 9);
    assert_int_equal(tlx_datefmt_month("Septe", 5, &u), 0); /* neither name nor abbreviation */
    assert_int_equal(tlx_datefmt_month("may.", 4, &u), 5);
    assert_int_equal(u, 4);
    assert_int_equal(tlx_datefmt_month("Marching", 8, &u), 0);
    assert_string_equal(tlx_datefmt_month_name(1), "january");
    assert_string_equal(tlx_datefmt_month_name(12), "december");
    assert_null(tlx_datefmt_month_name(0));
    assert_null(tlx_datefmt_month_name(13));
    assert_int_equal(tlx_datefmt_valid(2024, 2, 29), 1);
    assert_int_equal(tlx_datefmt_valid(2023, 2, 29), 0);
}

/* The numeric year-first form and days per month, shared with tlx_dates. */
static void test_ymd(void **state)
{
    (void)state;
    int y, m, d;
    size_t u;
    assert_int_equal(tlx_datefmt_ymd("2016-11-16T16:07", 16, "-", &y, &m, &d, &u), 0);
    assert_int_equal(y, 2016);
    assert_int_equal(m, 11);
    assert_int_equal(d, 16);
    assert_int_equal(u, 10);
    assert_int_equal(tlx_datefmt_ymd("2019/3/4", 8, "-./", &y, &m, &d, &u), 0);
    assert_int_equal(m, 3);
    assert_int_equal(u, 8);
    assert_int_equal(tlx_datefmt_ymd("1066-10-14", 10, "-", &y, &m, &d, &u), 0);   /* any four-digit year */
    assert_int_equal(tlx_datefmt_ymd("2019/03/04", 10, "-", &y, &m, &d, &u), -1);  /* separator not allowed */
    assert_int_equal(tlx_datefmt_ymd("2019-03/04", 10, "-/", &y, &m, &d, &u), -1); /* mixed separators */
    assert_int_equal(tlx_datefmt_ymd("2023-02-29", 10, "-", &y, &m, &d, &u), -1);
    assert_int_equal(tlx_datefmt_ymd("2024-02-29", 10, "-", &y, &m, &d, &u), 0);
    assert_int_equal(tlx_datefmt_ymd("2024-13-01", 10, "-", &y, &m, &d, &u), -1);
    assert_int_equal(tlx_datefmt_ymd("2024-011-01", 11, "-", &y, &m, &d, &u), -1);
    assert_int_equal(tlx_datefmt_ymd("20240-01-01", 11, "-", &y, &m, &d, &u), -1);
    assert_int_equal(tlx_datefmt_ymd("2024-01-", 8, "-", &y, &m, &d, &u), -1);
    assert_int_equal(tlx_datefmt_ymd("2024", 4, "-", &y, &m, &d, &u), -1);
    assert_int_equal(tlx_datefmt_mdays(2024, 2), 29);
    assert_int_equal(tlx_datefmt_mdays(1900, 2), 28);
    assert_int_equal(tlx_datefmt_mdays(2000, 2), 29);
    assert_int_equal(tlx_datefmt_mdays(2023, 4), 30);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_times),
        cmocka_unit_test(test_not_dates),
        cmocka_unit_test(test_ymd),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
