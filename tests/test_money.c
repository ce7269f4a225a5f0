/* SPDX-License-Identifier: Apache-2.0 */
/*  test_money.c -- tlx_money: currencies by symbol, code and word, KPW vs
    KRW by context and default, magnitudes, percentages, bare quantities,
    non-quantities, seed goldens, a million digits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tlx_error.h"
#include "tlx_money.h"

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

static tlx_money_t *M;
static uint32_t NM;
static tlx_quantity_t *Q;
static uint32_t NQ;

static void s_run(const char *t, const char *def)
{
    assert_int_equal(tlx_money_extract(t, strlen(t), def, NULL, 0, s_arena, &M, &NM, &Q, &NQ), 0);
}

static void s_money(const char *t, const char *def, const char *text, double amount, const char *cur)
{
    s_run(t, def);
    if (NM != 1)
        fail_msg("'%s': %u money (want 1)", t, NM);
    assert_string_equal(M[0].text, text);
    assert_true(M[0].amount == amount);
    assert_string_equal(M[0].currency, cur);
    assert_memory_equal(t + M[0].span.start, text, strlen(text));
}

static void s_qty(const char *t, const char *text, double amount, const char *unit)
{
    s_run(t, NULL);
    if (NQ != 1)
        fail_msg("'%s': %u quantities (want 1)", t, NQ);
    assert_int_equal(NM, 0);
    assert_string_equal(Q[0].text, text);
    assert_true(Q[0].amount == amount);
    if (unit)
        assert_string_equal(Q[0].unit, unit);
    else
        assert_null(Q[0].unit);
}

static void test_currencies(void **state)
{
    (void)state;
    s_money("each division to submit USD 700.", NULL, "USD 700", 700, "USD");
    s_money("The officer demanded USD 100, threatening", NULL, "USD 100", 100, "USD");
    s_money("a bribe of $100 to the guard", NULL, "$100", 100, "USD");
    s_money("a bribe of US$1,500.50 to the guard", NULL, "US$1,500.50", 1500.5, "USD");
    s_money("worth $2 billion in total", NULL, "$2 billion", 2e9, "USD");
    s_money("rice sold for KPW 8,000 per kg", NULL, "KPW 8,000", 8000, "KPW");
    s_money("sent KRW 1,000,000 home", NULL, "KRW 1,000,000", 1e6, "KRW");
    s_money("a fine of 1.5 million yuan was paid", NULL, "1.5 million yuan", 1.5e6, "CNY");
    s_money("paid 300 RMB", NULL, "300 RMB", 300, "CNY");
    s_money("costs 20 US dollars each", NULL, "20 US dollars", 20, "USD");
    s_money("costs 20 dollars each", NULL, "20 dollars", 20, "USD");
    s_money("a ticket at \xe2\x82\xac"
            "3.50",
            NULL,
            "\xe2\x82\xac"
            "3.50",
            3.5, "EUR");
    s_money("a ticket at \xc2\xa3"
            "2",
            NULL,
            "\xc2\xa3"
            "2",
            2, "GBP");
    s_money("10 euros", NULL, "10 euros", 10, "EUR");
    s_money("500 yen", NULL, "500 yen", 500, "JPY");
    s_money("5,000 rubles a month", NULL, "5,000 rubles", 5000, "RUB");
}

/* ISO codes before and after, and codes glued to the number. */
static void test_codes(void **state)
{
    (void)state;
    s_money("the fund raised 13 bln USD last year", NULL, "13 bln USD", 13e9, "USD");
    s_money("a bond of INR 2,500 crore was sold", NULL, "INR 2,500 crore", 2.5e10, "INR");
    s_money("priced at CHF 45 a night", NULL, "CHF 45", 45, "CHF");
    s_money("earned RMB 278 billion in revenue", NULL, "RMB 278 billion", 278e9, "CNY");
    s_money("spent 90 SGD on tickets", NULL, "90 SGD", 90, "SGD");
    s_money("a loan of EUR300m was agreed", NULL, "EUR300m", 300e6, "EUR");
    /* not a code: a longer capitalised word before the number */
    s_run("the AGBP 5 index", NULL);
    assert_int_equal(NM, 0);
}

/* Symbols: dollar variants, pound, euro, yen/yuan by context, won, rupee. */
static void test_symbols(void **state)
{
    (void)state;
    s_money("a flat sold for HK$12.5m on Monday", NULL, "HK$12.5m", 12.5e6, "HKD");
    s_money("the mine cost A$3bn to build", NULL, "A$3bn", 3e9, "AUD");
    s_money("raised S$40 million", NULL, "S$40 million", 40e6, "SGD");
    s_money("shares closed at \xc2\xa5"
            "1,204 in Tokyo",
            NULL,
            "\xc2\xa5"
            "1,204",
            1204, "JPY");
    s_money("Chinese shoppers paid \xc2\xa5"
            "99 for the toy, in yuan",
            NULL,
            "\xc2\xa5"
            "99",
            99, "CNY");
    s_money("a subsidy bill of \xe2\x82\xb9"
            "3.2 trillion",
            NULL,
            "\xe2\x82\xb9"
            "3.2 trillion",
            3.2e12, "INR");
    s_money("tickets cost Rs 450 at the gate", NULL, "Rs 450", 450, "INR");
    s_money("a budget of Rs. 12 lakh", NULL, "Rs. 12 lakh", 12e5, "INR");
    s_money("a \xc2\xa3"
            "45m transfer fee",
            NULL,
            "\xc2\xa3"
            "45m",
            45e6, "GBP");
    s_money("cut \xe2\x82\xac"
            "75mn from costs",
            NULL,
            "\xe2\x82\xac"
            "75mn",
            75e6, "EUR");
    s_money("Seoul set aside \xe2\x82\xa9"
            "5 trillion",
            NULL,
            "\xe2\x82\xa9"
            "5 trillion",
            5e12, "KRW");
}

/* Names and plurals after the number, names before it, magnitudes glued and spaced. */
static void test_names_magnitudes(void **state)
{
    (void)state;
    s_money("profits of 540bn yen", NULL, "540bn yen", 540e9, "JPY");
    s_money("exports worth 230.9bn euros", NULL, "230.9bn euros", 230.9e9, "EUR");
    s_money("spent 47.5 trillion rupees", NULL, "47.5 trillion rupees", 47.5e12, "INR");
    s_money("a rate of 7.1234 Chinese yuan renminbi", NULL, "7.1234 Chinese yuan renminbi", 7.1234, "CNY");
    s_money("about 90.5 Indian rupees to the dollar", NULL, "90.5 Indian rupees", 90.5, "INR");
    s_money("worth 3 million Hong Kong dollars", NULL, "3 million Hong Kong dollars", 3e6, "HKD");
    s_money("a grant of 500 pounds sterling", NULL, "500 pounds sterling", 500, "GBP");
    s_money("12,000 baht a month", NULL, "12,000 baht", 12000, "THB");
    s_money("sales rose to dollars 5.2bn", NULL, "dollars 5.2bn", 5.2e9, "USD");
    s_money("a \xc2\xa3"
            "30k salary",
            NULL,
            "\xc2\xa3"
            "30k",
            30e3, "GBP");
    s_money("a budget of 8 tln won for Seoul", NULL, "8 tln won", 8e12, "KRW");
    s_money("a 4 tln-won package for Seoul", NULL, "4 tln-won", 4e12, "KRW");
    s_money("3 lakh crore rupees", NULL, "3 lakh crore rupees", 3e12, "INR");
    s_money("earned 2.3 mln USD", NULL, "2.3 mln USD", 2.3e6, "USD");
    /* a magnitude without a currency is not money, and not a count either */
    s_run("he ran 5m in 2 seconds", NULL);
    assert_int_equal(NM, 0);
    /* "won" the verb before a score is not a currency name */
    s_run("The home side won 3-1 on Saturday.", NULL);
    assert_int_equal(NM, 0);
}

/* Ranges are one amount (the low end) with the range's text. */
static void test_ranges(void **state)
{
    (void)state;
    s_money("a deal worth $5-6bn is near", NULL, "$5-6bn", 5e9, "USD");
    s_money("a deal worth $5bn-$6bn is near", NULL, "$5bn-$6bn", 5e9, "USD");
    s_money("costs of 700 billion won-800 billion won in Seoul", NULL, "700 billion won-800 billion won",
            700e9, "KRW");
    s_money("fees of \xc2\xa3"
            "20m\xe2\x80\x93"
            "25m",
            NULL,
            "\xc2\xa3"
            "20m\xe2\x80\x93"
            "25m",
            20e6, "GBP");
}

static void test_won(void **state)
{
    (void)state;
    /* context of the sentence */
    s_money("In North Korea, a kilogram of rice costs 5,800 won.", NULL, "5,800 won", 5800, "KPW");
    s_money("In Seoul, a coffee costs 5,800 won.", NULL, "5,800 won", 5800, "KRW");
    s_money("Prices in Pyongyang rose to 5,800 won per kilogram", "KRW", "5,800 won", 5800, "KPW");
    /* explicit */
    s_money("They paid 5,000 South Korean won.", "KPW", "5,000 South Korean won", 5000, "KRW");
    s_money("They paid 5,000 North Korean won in Seoul.", NULL, "5,000 North Korean won", 5000, "KPW");
    /* no context in the sentence: the source default */
    s_money("A kilogram costs 5,800 won.", "KPW", "5,800 won", 5800, "KPW");
    s_money("A kilogram costs 5,800 won.", "KRW", "5,800 won", 5800, "KRW");
    /* then the whole body */
    s_money("Markets in North Korea are busy. A kilogram costs 5,800 won.", NULL, "5,800 won", 5800, "KPW");
    s_money("Defectors in South Korea send money. Each sends 1 million won.", NULL, "1 million won", 1e6,
            "KRW");
    s_money("A kilogram costs 5,800 won.", NULL, "5,800 won", 5800, "KRW");
    s_money("a kilogram cost \xe2\x82\xa9"
            "5,800 in Hyesan",
            NULL,
            "\xe2\x82\xa9"
            "5,800",
            5800, "KPW");
    /* "won" the verb is not a currency after a non-number */
    s_run("The team won the match.", NULL);
    assert_int_equal(NM, 0);
}

static void test_quantities(void **state)
{
    (void)state;
    s_qty("The total number now exceeds 30,000.", "30,000", 30000, NULL);
    s_qty("70% of these supplies", "70%", 70, "percent");
    s_qty("about 70 percent of them", "70 percent", 70, "percent");
    s_qty("about 12.5 per cent of them", "12.5 per cent", 12.5, "percent");
    s_qty("2,000 tons of rice", "2,000 tons", 2000, "tons");
    s_qty("some 300 workers were sent", "300 workers", 300, "workers");
    s_qty("1.2 million people", "1.2 million people", 1.2e6, "people");
    s_qty("2016 people gathered", "2016 people", 2016, "people");
    s_run("in 2016 and 1999 it was", NULL);
    assert_int_equal(NQ, 0); /* years */
    s_run("the 13th and the 8th Party Congress, G20, 4G, 16:07, 2016-11-16, 3/4", NULL);
    assert_int_equal(NQ, 0);
    /* skip spans (the record's dates) */
    const char *t = "on May 25 there were 40 people";
    tlx_span_t skip[] = {{3, 9}};
    assert_int_equal(tlx_money_extract(t, strlen(t), NULL, skip, 1, s_arena, &M, &NM, &Q, &NQ), 0);
    assert_int_equal(NQ, 1);
    assert_string_equal(Q[0].text, "40 people");
}

static void test_seeds(void **state)
{
    (void)state;
    static const struct {
        const char *seed;
        const char *money[6]; /* text, currency pairs */
        const char *qty[6];   /* texts */
    } g[] = {
        {"000_b95e5fb43f31aefa.txt", {"USD 700", "USD", "USD 100", "USD", NULL}, {NULL}},
        {"001_fb1bfa2ad44c6e4f.txt", {NULL}, {NULL}},
        {"002_8907b5e82464a41b.txt", {NULL}, {"30,000", NULL}},
        {"003_cbb70c7f6c33b917.txt", {NULL}, {"70%", "30%", NULL}},
        {"004_50cf4b8f26c8f34a.txt", {NULL}, {NULL}},
    };
    for (size_t k = 0; k < sizeof g / sizeof *g; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/seeds/%s", TLX_SOURCE_DIR, g[k].seed);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        static char buf[1 << 16];
        size_t len = fread(buf, 1, sizeof buf, f);
        fclose(f);
        /* the byline dates are skipped by the enrich stage via date spans;
           here the plain module sees them as "year-like" and drops them */
        assert_int_equal(tlx_money_extract(buf, len, "KPW", NULL, 0, s_arena, &M, &NM, &Q, &NQ), 0);
        uint32_t i = 0;
        for (; g[k].money[2 * i]; i++) {
            assert_true(i < NM);
            assert_string_equal(M[i].text, g[k].money[2 * i]);
            assert_string_equal(M[i].currency, g[k].money[2 * i + 1]);
        }
        assert_int_equal(NM, i);
        for (i = 0; g[k].qty[i]; i++) {
            assert_true(i < NQ);
            assert_string_equal(Q[i].text, g[k].qty[i]);
        }
        if (NQ != i)
            fail_msg("%s: %u quantities, first extra '%s'", g[k].seed, NQ, Q[i].text);
    }
}

/* A number right after a month name is the day of a date, not a count:
   full names and dotted abbreviations, capitalised as in running text. */
static void test_month_day_not_quantity(void **state)
{
    (void)state;
    const char *dates[] = {"On November 13 people marched.", "On Nov. 13 people marched.",
                           "On Sept. 13 people marched.", "On May 13 people marched."};
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++) {
        s_run(dates[i], NULL);
        if (NQ != 0)
            fail_msg("'%s': %u quantities (want 0)", dates[i], NQ);
    }
    /* not a month: a sentence ending in "May." or a shouted or bare abbreviation */
    s_qty("They left in May. 13 people stayed.", "13 people", 13, "people");
    s_qty("NOVEMBER 13 people marched.", "13 people", 13, "people");
    s_qty("Nov 13 people marched.", "13 people", 13, "people");
}

static void test_bad_input(void **state)
{
    (void)state;
    size_t big = 1000000;
    char *t = malloc(big + 8);
    assert_non_null(t);
    t[0] = '$';
    memset(t + 1, '9', big);
    memcpy(t + 1 + big, " won", 5);
    assert_int_equal(tlx_money_extract(t, strlen(t), NULL, NULL, 0, s_arena, &M, &NM, &Q, &NQ), 0);
    assert_int_equal(NM, 0);
    assert_int_equal(NQ, 0);
    /* 100,000 short numbers: linear, all answered */
    size_t reps = 100000;
    char *u = malloc(reps * 6 + 1);
    assert_non_null(u);
    for (size_t i = 0; i < reps; i++)
        memcpy(u + i * 6, "5 won ", 6);
    u[reps * 6] = '\0';
    assert_int_equal(tlx_money_extract(u, reps * 6, NULL, NULL, 0, s_arena, &M, &NM, &Q, &NQ), 0);
    assert_int_equal(NM, reps);
    /* commas and dots everywhere */
    const char *s = "1,2,3,,,4.5.6 ,000 $ $, 1, 000.00.00 99999999999999999999999 % USD";
    assert_int_equal(tlx_money_extract(s, strlen(s), NULL, NULL, 0, s_arena, &M, &NM, &Q, &NQ), 0);
    /* either output may be skipped */
    assert_int_equal(tlx_money_extract("$5 and 7%", 9, NULL, NULL, 0, s_arena, NULL, NULL, &Q, &NQ), 0);
    assert_int_equal(NQ, 1);
    free(t);
    free(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_currencies),
        cmocka_unit_test(test_codes),
        cmocka_unit_test(test_symbols),
        cmocka_unit_test(test_names_magnitudes),
        cmocka_unit_test(test_ranges),
        cmocka_unit_test(test_won),
        cmocka_unit_test(test_quantities),
        cmocka_unit_test(test_seeds),
        cmocka_unit_test(test_month_day_not_quantity),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
