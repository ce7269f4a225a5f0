/* SPDX-License-Identifier: Apache-2.0 */
/*  test_structure.c -- the structure stage on the seeds (expected values
    written from reading the articles) and on other layouts; dates; sizes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tlx_layout.h"
#include "tlx_norm.h"
#include "tlx_structure.h"

static tlx_arena_t *A;
static tlx_boiler_rules_t *R;

static tlx_record_t s_parse(const char *text, size_t len, const char *source)
{
    char *norm;
    size_t nlen;
    uint32_t flags = 0;
    assert_int_equal(tlx_norm_text(text, len, A, &norm, &nlen, &flags), 0);
    tlx_text_opts_t o = {.source = source, .tz = source ? "Asia/Seoul" : NULL};
    tlx_record_t rec;
    memset(&rec, 0, sizeof rec);
    assert_int_equal(tlx_structure_parse(norm, nlen, &o, R, A, &rec), 0);
    return rec;
}

static tlx_record_t s_seed(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/seeds/%s", TLX_SOURCE_DIR, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return s_parse(buf, n, "dailynk");
}

static int s_has(const tlx_strv_t *v, const char *s)
{
    for (uint32_t i = 0; i < v->n; i++)
        if (strcmp(v->v[i], s) == 0)
            return 1;
    return 0;
}

static void test_seed_000_tag_line_no_title(void **state)
{
    (void)state;
    tlx_record_t r = s_seed("000_b95e5fb43f31aefa.txt");
    assert_null(r.title);
    assert_int_equal(r.tags.n, 2);
    assert_string_equal(r.tags.v[0], "sinuiju");
    assert_string_equal(r.tags.v[1], "teenagers");
    assert_int_equal(r.ncaptions, 1);
    assert_string_equal(r.captions[0].credit, "Roamme, Creative Commons, Flickr");
    assert_non_null(strstr(r.captions[0].text, "Yalu River Bridge"));
    assert_true(s_has(&r.boilerplate, "Read in Korean"));
    assert_null(strstr(r.body, "Please send any comments"));
    assert_null(strstr(r.body, "network of sources living in North Korea"));
    assert_int_equal(strncmp(r.body, "North Korean security officers are brazenly", 43), 0);
    assert_true(r.stats.sentences >= 15);
}

static void test_seed_001_file_photo_credits_subheading(void **state)
{
    (void)state;
    tlx_record_t r = s_seed("001_fb1bfa2ad44c6e4f.txt");
    assert_null(r.title); /* the article starts with a photo caption, no headline */
    assert_int_equal(r.ncaptions, 1);
    assert_string_equal(r.captions[0].credit, "Daily NK");
    assert_true(s_has(&r.translated_by, "David Black"));
    assert_true(s_has(&r.edited_by, "Robert Lauler"));
    assert_true(
        s_has(&r.subheadings, "Media reports can help prevent high-handed behavior by security officials"));
    assert_null(strstr(r.body, "Translated by"));
}

static void test_seed_002_byline(void **state)
{
    (void)state;
    tlx_record_t r = s_seed("002_8907b5e82464a41b.txt");
    assert_string_equal(r.title, "Doubts over regime cut across all demographics");
    assert_int_equal(r.authors.n, 1);
    assert_string_equal(r.authors.v[0], "Kang Mi Jin");
    assert_string_equal(r.published_at, "2016-11-16T16:07:00+09:00");
    assert_true(s_has(&r.subheadings, "Cycle of corruption"));
    assert_true(s_has(&r.translated_by, "Yejie Kim"));
    assert_true(s_has(&r.edited_by, "Lee Farrand"));
    assert_null(strstr(r.body, "Advertisements, links"));
    assert_int_equal(strncmp(r.body, "The number of North Korean defectors", 36), 0);
}

static void test_seed_003_image_credit(void **state)
{
    (void)state;
    tlx_record_t r = s_seed("003_cbb70c7f6c33b917.txt");
    assert_string_equal(r.title, "State security agents weary of surveillance duties and lack of prospects");
    assert_int_equal(r.ncaptions, 1);
    assert_string_equal(r.captions[0].credit, "Daily NK file photo");
    assert_null(r.published_at);
}

static void test_seed_004(void **state)
{
    (void)state;
    tlx_record_t r = s_seed("004_50cf4b8f26c8f34a.txt");
    assert_string_equal(r.title, "No longer 'traitors,' North Korean defectors regarded with envy");
    assert_string_equal(r.authors.v[0], "Kim Yoo Jin");
    assert_string_equal(r.published_at, "2018-05-15T19:36:00+09:00");
}

#define PARSE(lit, src) s_parse(lit, sizeof(lit) - 1, src)

static void test_other_layouts(void **state)
{
    (void)state;
    /* two authors with "By", a headline with a trailing period, several captions */
    tlx_record_t r =
        PARSE("Markets reopen in Hyesan.\n\nBy Jane Doe and John Roe\n\n"
              "Traders returned to the main market on Tuesday after a two-week closure, residents said.\n\n"
              "A trader at the market. (Reuters)\n\n"
              "Prices of rice fell by a third within a day, according to two traders in the city.\n\n"
              "A second view of the market stalls. Photo: AFP\n",
              NULL);
    assert_string_equal(r.title, "Markets reopen in Hyesan.");
    assert_int_equal(r.authors.n, 2);
    assert_string_equal(r.authors.v[1], "John Roe");
    assert_int_equal(r.ncaptions, 2);
    assert_string_equal(r.captions[0].text, "A trader at the market."); /* no space before the credit */
    assert_string_equal(r.captions[1].text, "A second view of the market stalls.");
    assert_string_equal(r.captions[1].credit, "AFP");
    /* no title, no byline: prose from the first line */
    r = PARSE(
        "The ministry announced new rules on Monday that will apply to all provinces from next month.\n\n"
        "Officials said the rules were needed.\n",
        NULL);
    assert_null(r.title);
    assert_int_equal(r.authors.n, 0);
    /* a body line that looks like a footer but is content stays in the body */
    r = PARSE(
        "Headline\n\nThe company said all rights to the land were sold last year to a state enterprise.\n",
        NULL);
    assert_non_null(strstr(r.body, "all rights to the land"));
}

static void test_dates(void **state)
{
    (void)state;
    char out[32];
    assert_int_equal(tlx_structure_date("2016-11-16 16:07", 16, "Asia/Seoul", 0, out), 0);
    assert_string_equal(out, "2016-11-16T16:07:00+09:00");
    assert_int_equal(tlx_structure_date("2018.05.15", 10, NULL, 0, out), 0);
    assert_string_equal(out, "2018-05-15");
    assert_int_equal(tlx_structure_date("May 15, 2018", 12, NULL, 0, out), 0);
    assert_string_equal(out, "2018-05-15");
    assert_int_equal(tlx_structure_date("15 May 2018", 11, NULL, 0, out), 0);
    assert_string_equal(out, "2018-05-15");
    assert_int_equal(tlx_structure_date("Nov. 16, 2016", 13, NULL, 0, out), 0);
    assert_string_equal(out, "2016-11-16");
    assert_int_equal(tlx_structure_date("16/11/2016", 10, NULL, 0, out), 0); /* unambiguous: day first */
    assert_string_equal(out, "2016-11-16");
    assert_int_equal(tlx_structure_date("03/04/2016", 10, NULL, 1, out), 0); /* configured day first */
    assert_string_equal(out, "2016-04-03");
    assert_int_equal(tlx_structure_date("03/04/2016", 10, NULL, 0, out), 0);
    assert_string_equal(out, "2016-03-04");
    assert_int_equal(tlx_structure_date("February 30, 2016", 17, NULL, 0, out), -1);
    assert_int_equal(tlx_structure_date("not a date", 10, NULL, 0, out), -1);
}

/* Date forms of date lines and bylines (tlx_structure_date_at reads from the
   first byte; the parse finds the date inside the line). */
static void test_date_forms(void **state)
{
    (void)state;
    char out[32];
    size_t used;
    assert_int_equal(tlx_structure_date_at("Dec 28,2017", 11, 0, out, &used), 0);
    assert_string_equal(out, "2017-12-28");
    assert_int_equal(tlx_structure_date_at("2019.03.04", 10, 0, out, &used), 0);
    assert_string_equal(out, "2019-03-04");
    assert_int_equal(tlx_structure_date_at("04/03/2019", 10, 1, out, &used), 0);
    assert_string_equal(out, "2019-03-04");
    assert_int_equal(tlx_structure_date_at("04/03/2019", 10, 0, out, &used), 0);
    assert_string_equal(out, "2019-04-03");
    assert_int_equal(tlx_structure_date_at("04/03/2019", 10, -1, out, &used), -1); /* nobody says which */
    assert_int_equal(tlx_structure_date_at("24/09/2020 | Source", 19, -1, out, &used), 0);
    assert_string_equal(out, "2020-09-24");
    assert_int_equal(used, 10);
    assert_int_equal(tlx_structure_date_at("09 Jul. 2025, 18:02 next", 24, 0, out, &used), 0);
    assert_string_equal(out, "2025-07-09");
    assert_int_equal(used, 19); /* the time is read with it */
    assert_int_equal(tlx_structure_date_at("Aug 5th, 2019", 13, 0, out, &used), 0);
    assert_string_equal(out, "2019-08-05");
    assert_int_equal(tlx_structure_date_at("20191 May", 9, 0, out, &used), -1);
    /* in date lines */
    tlx_record_t r =
        PARSE("Lorries queue at the border crossing\n\nUpdated 12:05 p.m. ET, October 13, 2020\n\n"
              "Hundreds of lorries queued at the border crossing on Monday as new checks began, drivers "
              "said.\n",
              NULL);
    assert_string_equal(r.published_at, "2020-10-13");
    r = PARSE(
        "Lorries queue at the border crossing\n\nPublished : 2024-01-02 10:00\n\n"
        "Hundreds of lorries queued at the border crossing on Monday as new checks began, drivers said.\n",
        NULL);
    assert_string_equal(r.published_at, "2024-01-02T10:00:00+00:00");
    /* an ambiguous dd/mm/yyyy: the text names the day ("on March 4") */
    r = PARSE(
        "Council Adopts Spending Plan\n\nDate: 04/03/2019 | Source: City Hall\n\n"
        "The council adopted the spending plan on March 4 after a long debate about the cost of roads.\n",
        NULL);
    assert_string_equal(r.published_at, "2019-03-04");
    /* the crawl's page-date prefix on the first line */
    r = PARSE("date 2023-09-09 Logo\n\nPrices Rise Again\n\n"
              "Consumer prices rose again in August as food and fuel became more expensive, data showed.\n",
              NULL);
    assert_string_equal(r.published_at, "2023-09-09");
}

static void s_authors_are(const tlx_record_t *r, const char *a, const char *b)
{
    if (r->authors.n != (b ? 2u : 1u))
        fail_msg("%u authors (first: %s)", r->authors.n, r->authors.n ? r->authors.v[0] : "-");
    assert_string_equal(r->authors.v[0], a);
    if (b)
        assert_string_equal(r->authors.v[1], b);
}

#define BODY1                                                                                                \
    "Fishing boats stayed in port on Friday as a storm brought high winds to the coast, officials said.\n\n"
#define BODY2 "The weather service said the winds would ease by Sunday, when most boats could sail again.\n"

/* Byline forms. */
static void test_byline_forms(void **state)
{
    (void)state;
    tlx_record_t r = PARSE(
        "Storm keeps fishing boats in port\n\nBy Ana Ruiz and Tom Berg, Example Business\n\n" BODY1 BODY2,
        NULL);
    s_authors_are(&r, "Ana Ruiz", "Tom Berg");
    r = PARSE("Storm keeps fishing boats in port\n\nBy: Lena Park\n\n" BODY1 BODY2, NULL);
    s_authors_are(&r, "Lena Park", NULL);
    r = PARSE("Storm keeps fishing boats in port\n\nReporter: Oh Min-su\n\n" BODY1 BODY2, NULL);
    s_authors_are(&r, "Oh Min-su", NULL);
    r = PARSE("Storm keeps fishing boats in port\n\nKang Hye-won, Staff Reporter\n\n" BODY1 BODY2, NULL);
    s_authors_are(&r, "Kang Hye-won", NULL);
    r = PARSE("Storm keeps fishing boats in port\n\nBy Example Newswire\n\n" BODY1 BODY2, NULL);
    s_authors_are(&r, "Example Newswire", NULL);
    r = PARSE("Storm keeps fishing boats in port\n\nSam Hale | 2021-02-03 08:15\n\n" BODY1 BODY2, NULL);
    s_authors_are(&r, "Sam Hale", NULL);
    assert_non_null(r.published_at);
    assert_int_equal(strncmp(r.published_at, "2021-02-03T08:15", 16), 0);
    r = PARSE("Storm keeps fishing boats in port\n\n" BODY1 BODY2 "\nPosted by Jo Reyes on March 3, 2015\n",
              NULL);
    s_authors_are(&r, "Jo Reyes", NULL);
    r = PARSE("Storm keeps fishing boats in port\n\n" BODY1 BODY2
              "\n(Reporting by Ivo Marsh; Editing by Kim Lowe)\n",
              NULL);
    s_authors_are(&r, "Ivo Marsh", NULL);
    /* a byline glued to the dateline by the crawl */
    r = PARSE("Storm keeps fishing boats in port\n\nCoast WireHALIFAX (Coast Wire) \xe2\x80\x94 " BODY1 BODY2,
              NULL);
    s_authors_are(&r, "Coast Wire", NULL);
    /* a byline glued to the headline by the crawl */
    r = PARSE("Storm keeps fishing boats in portBy Example Newswire\n\n" BODY1 BODY2, NULL);
    assert_string_equal(r.title, "Storm keeps fishing boats in port");
    s_authors_are(&r, "Example Newswire", NULL);
}

/* The dateline is a field of its own: place and agency. */
static void test_dateline(void **state)
{
    (void)state;
    tlx_record_t r = PARSE("Ferries cancelled\n\nBUSAN, March 4 (Example Wire) -- " BODY1 BODY2, NULL);
    assert_non_null(r.dateline.text);
    assert_string_equal(r.dateline.place, "BUSAN");
    assert_string_equal(r.dateline.agency, "Example Wire");
    assert_non_null(strstr(r.body, "BUSAN, March 4")); /* it stays in the body */
    r = PARSE("Ferries cancelled\n\nNEW DELHI (XA) - " BODY1 BODY2, NULL);
    assert_string_equal(r.dateline.place, "NEW DELHI");
    assert_string_equal(r.dateline.agency, "XA");
    r = PARSE("Ferries cancelled\n\n(XYZ) -- " BODY1 BODY2, NULL);
    assert_null(r.dateline.place);
    assert_string_equal(r.dateline.agency, "XYZ");
    r = PARSE("Ferries cancelled\n\nLISBON \xe2\x80\x94 " BODY1 BODY2, NULL);
    assert_string_equal(r.dateline.place, "LISBON");
    assert_null(r.dateline.agency);
    r = PARSE("Ferries cancelled\n\n" BODY1 BODY2, NULL); /* none */
    assert_null(r.dateline.text);
}

/* Captions with credits in the usual styles. */
static void test_caption_forms(void **state)
{
    (void)state;
    tlx_record_t r = PARSE("Photo : Example Agency\n\n" BODY1 BODY2, NULL);
    assert_int_equal(r.ncaptions, 1);
    assert_string_equal(r.captions[0].credit, "Example Agency");
    assert_null(r.title);
    /* a photo label alone under the headline is a caption whatever the model rates it */
    r = PARSE("Ferries cancelled as storm hits coast\n\nImages: Jon Vik/Example Agency\n\n" BODY1 BODY2,
              NULL);
    assert_string_equal(r.title, "Ferries cancelled as storm hits coast");
    assert_int_equal(r.ncaptions, 1);
    assert_string_equal(r.captions[0].credit, "Jon Vik/Example Agency");
    r = PARSE(
        "Ferries cancelled\n\nA ferry waits at the pier in the rain on Friday.\n\nEXAMPLE/Jon Vik\n\n" BODY1
            BODY2,
        NULL);
    assert_int_equal(r.ncaptions, 1);
    assert_string_equal(r.captions[0].text, "A ferry waits at the pier in the rain on Friday.");
    assert_string_equal(r.captions[0].credit, "EXAMPLE/Jon Vik");
    assert_null(strstr(r.body, "ferry waits"));
    r = PARSE("Ferries cancelled\n\nA ferry waits at the pier in the rain on Friday. [HARBOR DAILY]\n\n" BODY1
                  BODY2,
              NULL);
    assert_int_equal(r.ncaptions, 1);
}

/* Site furniture. */
static void test_furniture(void **state)
{
    (void)state;
    tlx_record_t r =
        PARSE("Skip to content\n\nMenu\n\nSubscribe\n\nFerries cancelled as storm hits coast\n\n" BODY1 BODY2
              "\nShare this story\n\nFacebook\n\nTwitter\n\nContinue reading...\n",
              NULL);
    assert_string_equal(r.title, "Ferries cancelled as storm hits coast");
    assert_true(s_has(&r.boilerplate, "Skip to content"));
    assert_true(s_has(&r.boilerplate, "Share this story"));
    assert_true(s_has(&r.boilerplate, "Continue reading..."));
    assert_null(strstr(r.body, "Skip to content"));
    assert_null(strstr(r.body, "Facebook"));
    assert_int_equal(strncmp(r.body, "Fishing boats stayed", 20), 0);
}

/* Bylines the line model does not rate, found by what they say: a blog
   footer "posted in ... by X", an author box (a name line and a bio that
   starts with the name) at the end, a long "By X, Outlet staff writer | ..."
   paragraph; a sentence that starts with "By" is not one. */
static void test_byline_fallback(void **state)
{
    (void)state;
    tlx_record_t r =
        PARSE("Storm keeps fishing boats in port\n\n" BODY1 BODY2
              "\nThis entry was posted in Weather, Coast by Ruth Alvarez. Bookmark the permalink.\n",
              NULL);
    s_authors_are(&r, "Ruth Alvarez", NULL);
    r = PARSE("Storm keeps fishing boats in port\n\n" BODY1 BODY2
              "\nMarek Nowak\n\nMarek Nowak is a correspondent who covers shipping and ports for the "
              "network.\n",
              NULL);
    s_authors_are(&r, "Marek Nowak", NULL);
    r = PARSE("Storm keeps fishing boats in port\n\n" BODY1
              "By Tuesday, most of the boats had returned to port.\n\n" BODY2,
              NULL);
    assert_int_equal(r.authors.n, 0);
    r = PARSE(
        "Storm keeps fishing boats in port\n\n" BODY1 "By Ines Duarte, The Example Gazette staff writer | In "
        "a town that lives from the sea, a storm that keeps "
        "the fleet in port for a week is felt in every shop and kitchen, and this one came at the worst "
        "possible time for the crews, who had planned to sail for the last weeks of the season before the "
        "winter rules close the grounds.\n",
        NULL);
    s_authors_are(&r, "Ines Duarte", NULL);
    tlx_arena_reset(A);
}

/* A long headline in title case, with function words and figures, is the
   headline (it has no sentence end: not prose), and the paragraph under it the
   body; a sentence the model is unsure of is not dropped as furniture. */
static void test_long_headline(void **state)
{
    (void)state;
    tlx_record_t r =
        PARSE("County Budget Keeps Support for Farms, Schools, and Clinics Nearly Flat at 3.2 Billion "
              "Dollars\n\nBudget papers released on Monday show that the county will spend about "
              "as much on farms, schools and clinics next year as it does this year.\n\n" BODY1,
              NULL);
    assert_string_equal(r.title,
                        "County Budget Keeps Support for Farms, Schools, and Clinics Nearly Flat at 3.2 "
                        "Billion Dollars");
    assert_int_equal(strncmp(r.body, "Budget papers released on Monday", 32), 0);
    assert_non_null(strstr(r.body, "Fishing boats stayed"));
    tlx_arena_reset(A);
}

/* What never reads as a headline, whatever the line model says: a breadcrumb,
   a sentence that ends in a period or introduces a statement with a colon, a
   lone lower-case word. */
static void test_title_shape(void **state)
{
    (void)state;
    tlx_record_t r =
        PARSE("Home >> Business >> Article\n\nBakery chain plans forty new shops\n\n" BODY1 BODY2, NULL);
    assert_string_equal(r.title, "Bakery chain plans forty new shops");
    r = PARSE("THE TOWN BOARD VOTED ON TUESDAY TO RAISE THE FEE FOR PARKING PERMITS BY TEN DOLLARS.\n\n" BODY1
                  BODY2,
              NULL);
    assert_null(r.title);
    r = PARSE(
        "The ministry released the following statement on its website on Monday evening:\n\n" BODY1 BODY2,
        NULL);
    assert_true(r.title == NULL ||
                strcmp(r.title, "The ministry released the following statement on its website "
                                "on Monday evening:") != 0);
    r = PARSE("on\n\nFerries cancelled as storm hits coast\n\n" BODY1 BODY2, NULL);
    assert_string_equal(r.title, "Ferries cancelled as storm hits coast");
    tlx_arena_reset(A);
}

/* Furniture glued before the headline: a skip link of furniture words, a
   feed's outlet before a dash; title-case headlines that merely start with
   such a word, and names before a dash, stay whole. */
static void test_title_prefix(void **state)
{
    (void)state;
    tlx_record_t r =
        PARSE("Skip next section Harbor cranes return to work after storm\n\n" BODY1 BODY2, NULL);
    assert_string_equal(r.title, "Harbor cranes return to work after storm");
    r = PARSE("The Example Weekly - Why the harbor needs a second breakwater\n\n" BODY1 BODY2, NULL);
    assert_string_equal(r.title, "Why the harbor needs a second breakwater");
    r = PARSE("Popular Singer Cancels Harbor Festival Concert\n\n" BODY1 BODY2, NULL);
    assert_string_equal(r.title, "Popular Singer Cancels Harbor Festival Concert");
    r = PARSE("Jane Roe - What the new harbor master plans to change first\n\n" BODY1 BODY2, NULL);
    assert_string_equal(r.title, "Jane Roe - What the new harbor master plans to change first");
    assert_int_equal(tlx_layout_title_prefix("Share this", 10), 0);
    assert_int_equal(tlx_layout_title_prefix("", 0), 0);
    assert_int_equal(tlx_layout_title_prefix("The News - Short", 16), 0);
    tlx_arena_reset(A);
}

static void test_bad_input_sizes(void **state)
{
    (void)state;
    size_t n = 5u << 20;
    char *big = malloc(n + 1);
    memset(big, 'x', n); /* one 5 MB line */
    tlx_record_t r = s_parse(big, n, NULL);
    assert_true(r.body_len > 0 || r.title);
    for (size_t i = 0; i < n; i++) /* 100,000+ tiny lines */
        big[i] = i % 3 == 2 ? '\n' : 'a';
    r = s_parse(big, n, NULL);
    /* body paragraphs are joined by "\n\n": 4 bytes of body per 3 of text.  The
       body buffer used to be sized for the text and overran into the tags */
    assert_int_equal(r.tags.n, 1);
    assert_string_equal(r.tags.v[0], "aa");
    assert_true(r.body_len <=
                (n / 3) * 4 - 2); /* n / 3 + 1 lines (the last one is cut), one is the tag line */
    /* every line is kept: in the body (2 bytes and a "\n\n" each) or as furniture
       (100,000 copies of one line read as furniture to the layout model) */
    size_t body_lines = r.body_len ? (r.body_len + 2) / 4 : 0;
    assert_int_equal(body_lines + r.boilerplate.n + r.subheadings.n + (r.title != NULL), n / 3);
    memset(big, '\n', n); /* only blank lines */
    r = s_parse(big, n, NULL);
    assert_int_equal(r.body_len, 0);
    free(big);
    r = PARSE("Read in Korean\n", "dailynk"); /* only a footer */
    assert_int_equal(r.body_len, 0);
    assert_int_equal(r.boilerplate.n, 1);
    tlx_arena_reset(A);
}

int main(void)
{
    A = tlx_arena_new(1 << 20);
    R = tlx_boiler_rules_load(TLX_SOURCE_DIR "/data/boilerplate");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_000_tag_line_no_title),
        cmocka_unit_test(test_seed_001_file_photo_credits_subheading),
        cmocka_unit_test(test_seed_002_byline),
        cmocka_unit_test(test_seed_003_image_credit),
        cmocka_unit_test(test_seed_004),
        cmocka_unit_test(test_other_layouts),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_date_forms),
        cmocka_unit_test(test_byline_forms),
        cmocka_unit_test(test_dateline),
        cmocka_unit_test(test_caption_forms),
        cmocka_unit_test(test_furniture),
        cmocka_unit_test(test_title_shape),
        cmocka_unit_test(test_title_prefix),
        cmocka_unit_test(test_long_headline),
        cmocka_unit_test(test_byline_fallback),
        cmocka_unit_test(test_bad_input_sizes),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tlx_boiler_rules_destroy(&R);
    tlx_arena_destroy(&A);
    return rc;
}
