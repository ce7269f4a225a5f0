/* SPDX-License-Identifier: Apache-2.0 */
/*  test_html.c -- web pages in (tlx_html): detection, one small hand-written
    page per metadata source, boilerplate removal, charsets, and the bad
    input of the contract (broken markup, 10,000-deep nesting, huge
    attributes, script-only and article-less pages); then the whole text
    pipeline on a page. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tlx_html.h"
#include "tlx_text.h"

static tlx_arena_t *A;

static tlx_html_doc_t s_extract(const char *page)
{
    tlx_html_doc_t d;
    tlx_arena_reset(A);
    assert_int_equal(tlx_html_extract(page, strlen(page), A, &d), 0);
    return d;
}

static bool s_has(const tlx_strv_t *v, const char *s)
{
    for (uint32_t i = 0; i < v->n; i++)
        if (strcmp(v->v[i], s) == 0)
            return true;
    return false;
}

/* A story body long enough to read as an article: three paragraphs. */
#define STORY                                                                                                \
    "<p>The city council voted on Tuesday to expand the bus network, adding four routes, two depots and "    \
    "a night service that runs until three in the morning, the mayor said.</p>"                              \
    "<p>Officials expect the new routes to carry 40,000 riders a day by next year, although critics warn "   \
    "that the budget, which relies on federal grants, may not hold.</p>"                                     \
    "<p>Work on the first depot starts in March, and the night service begins in the summer, according to "  \
    "the transport department's plan.</p>"

static void test_detect(void **state)
{
    (void)state;
    static const char *const pages[] = {
        "<!DOCTYPE html><html><body>x</body></html>",
        "<!doctype HTML>\n<title>t</title>",
        "\xEF\xBB\xBF  <html lang=\"en\">",
        "<!-- generated -->\n<html>",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE html>\n<html>",
        "<head><meta charset=\"utf-8\"></head>",
        "<meta charset=utf-8><p>text",
        "Some preamble a scraper left\n<body class=\"article\"><p>x</p></body>",
    };
    for (size_t i = 0; i < sizeof pages / sizeof *pages; i++)
        assert_true(tlx_html_detect(pages[i], strlen(pages[i])));
    static const char *const texts[] = {
        "",
        "Seoul, May 3 -- The talks resumed today.",
        "Use <p> for paragraphs and <b> for bold, the style guide says.",
        "<htmlish> is not a tag we know",
        "A < B and B > C in the formula.",
        "<bodyguard> was the film's working title",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        assert_false(tlx_html_detect(texts[i], strlen(texts[i])));
    assert_false(tlx_html_detect(NULL, 0));
}

static void test_jsonld(void **state)
{
    (void)state;
    tlx_html_doc_t d = s_extract(
        "<html><head><title>Wrong title | Site</title>"
        "<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@graph\":["
        "{\"@type\":\"WebSite\",\"name\":\"Example Site\"},"
        "{\"@type\":\"NewsArticle\",\"headline\":\"Council expands bus network \\u2013 four routes\","
        "\"author\":[{\"@type\":\"Person\",\"name\":\"Ana Lima\"},{\"@type\":\"Person\",\"name\":\"Bo "
        "Chen\"}],"
        "\"datePublished\":\"2024-03-05T14:30:00Z\",\"dateModified\":\"2024-03-06T09:00:00-05:00\","
        "\"publisher\":{\"@type\":\"Organization\",\"name\":\"The Daily Example\"},"
        "\"image\":{\"@type\":\"ImageObject\",\"caption\":\"A bus at the central depot.\"},"
        "\"keywords\":\"transport, city council\"}]}</script>"
        "</head><body><h1>Other headline</h1>" STORY "</body></html>");
    assert_string_equal(d.title, "Council expands bus network \xE2\x80\x93 four routes");
    assert_int_equal(d.authors.n, 2);
    assert_string_equal(d.authors.v[0], "Ana Lima");
    assert_string_equal(d.authors.v[1], "Bo Chen");
    assert_string_equal(d.published_at, "2024-03-05T14:30:00+00:00");
    assert_string_equal(d.modified_at, "2024-03-06T09:00:00-05:00");
    assert_string_equal(d.publisher, "The Daily Example");
    assert_int_equal(d.ncaptions, 1);
    assert_string_equal(d.captions[0].text, "A bus at the central depot.");
    assert_true(s_has(&d.tags, "transport") && s_has(&d.tags, "city council"));
    assert_true(d.from_markup & TLX_MARKUP_TITLE);
    assert_true(d.from_markup & TLX_MARKUP_AUTHORS);
    assert_true(d.from_markup & TLX_MARKUP_PUBLISHED_AT);
    assert_true(d.from_markup & TLX_MARKUP_MODIFIED_AT);
    assert_true(d.from_markup & TLX_MARKUP_PUBLISHER);
    assert_false(d.flags & TLX_HTML_NO_ARTICLE);
    assert_non_null(strstr(d.text, "The city council voted on Tuesday"));

    /* a top-level array, a single author as a string, a date without a time */
    d = s_extract("<script type=\"application/ld+json\">[{\"@type\":\"BreadcrumbList\"},"
                  "{\"@type\":[\"Thing\",\"ReportageNewsArticle\"],\"headline\":\"Array form\","
                  "\"author\":\"Kim Park\",\"datePublished\":\"2023-12-01\"}]</script><body>" STORY
                  "</body>");
    assert_string_equal(d.title, "Array form");
    assert_int_equal(d.authors.n, 1);
    assert_string_equal(d.authors.v[0], "Kim Park");
    assert_string_equal(d.published_at, "2023-12-01");

    /* broken JSON, deep JSON, a non-article type: ignored, the page still reads */
    char deep[4096] = "<script type=\"application/ld+json\">";
    for (int i = 0; i < 1000; i++)
        strcat(deep, "[");
    strcat(deep,
           "</script><script type=\"application/ld+json\">{\"@type\":\"Recipe\",\"headline\":\"No\"}</script>"
           "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"Cut</script>"
           "<body><h1>From the h1</h1>");
    strcat(deep, STORY "</body>");
    d = s_extract(deep);
    assert_string_equal(d.title, "From the h1");
}

static void test_opengraph(void **state)
{
    (void)state;
    tlx_html_doc_t d = s_extract(
        "<html><head><meta property=\"og:title\" content=\"OG headline\">"
        "<meta property=\"og:site_name\" content=\"Example News\">"
        "<meta property=\"og:url\" content=\"https://example.org/a/1\">"
        "<meta property=\"article:published_time\" content=\"2022-07-01T08:15:00+09:00\">"
        "<meta property=\"article:modified_time\" content=\"2022-07-02T10:00:00+09:00\">"
        "<meta property=\"article:author\" content=\"https://example.org/staff/ana\">"
        "<meta name=\"author\" content=\"Ana Lima\">"
        "<meta property=\"article:tag\" content=\"Buses\"><meta property=\"article:tag\" content=\"Budget\">"
        "</head><body><h1>H1 headline</h1>" STORY "</body></html>");
    assert_string_equal(d.title, "OG headline");
    assert_string_equal(d.published_at, "2022-07-01T08:15:00+09:00");
    assert_string_equal(d.modified_at, "2022-07-02T10:00:00+09:00");
    assert_int_equal(d.authors.n, 1); /* the profile URL is not a name */
    assert_string_equal(d.authors.v[0], "Ana Lima");
    assert_string_equal(d.url, "https://example.org/a/1");
    assert_string_equal(d.publisher, "Example News");
    assert_int_equal(d.tags.n, 2);
    assert_true(s_has(&d.tags, "Buses") && s_has(&d.tags, "Budget"));
}

static void test_time_rel_author_figcaption_h1_canonical(void **state)
{
    (void)state;
    tlx_html_doc_t d =
        s_extract("<html><head><title>Council expands buses - Example News</title>"
                  "<link rel=\"canonical\" href=\"https://example.org/news/buses\"></head><body>"
                  "<nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav>"
                  "<article><h1>Council expands bus network</h1>"
                  "<p class=\"byline\">By <a rel=\"author\" href=\"/staff/ana\">Ana Lima</a>, "
                  "<time datetime=\"2021-11-19T16:05:00-05:00\">Nov. 19, 2021</time></p>"
                  "<figure><img src=\"bus.jpg\"><figcaption>A bus at the central depot. Photo: "
                  "City</figcaption></figure>" STORY "</article></body></html>");
    assert_string_equal(d.title, "Council expands bus network");
    assert_int_equal(d.authors.n, 1);
    assert_string_equal(d.authors.v[0], "Ana Lima");
    assert_string_equal(d.published_at, "2021-11-19T16:05:00-05:00");
    assert_int_equal(d.ncaptions, 1);
    assert_string_equal(d.captions[0].text, "A bus at the central depot. Photo: City");
    assert_string_equal(d.url, "https://example.org/news/buses");
    assert_true(d.from_markup & TLX_MARKUP_URL);
    assert_true(d.from_markup & TLX_MARKUP_CAPTIONS);
    /* neither the headline, the caption nor the navigation is body text */
    assert_null(strstr(d.text, "Council expands bus network"));
    assert_null(strstr(d.text, "central depot"));
    assert_null(strstr(d.text, "Home"));

    /* no h1, no meta: the <title> without the site part */
    d = s_extract("<html><head><title>Council expands the bus network | Example News</title></head>"
                  "<body>" STORY "</body></html>");
    assert_string_equal(d.title, "Council expands the bus network");
    /* itemprop dates and authors */
    d = s_extract("<body><div itemscope itemtype=\"https://schema.org/NewsArticle\">"
                  "<span itemprop=\"author\" itemscope><span itemprop=\"name\">Bo Chen</span></span>"
                  "<meta itemprop=\"datePublished\" content=\"2020-02-29\">" STORY "</div></body>");
    assert_int_equal(d.authors.n, 1);
    assert_string_equal(d.authors.v[0], "Bo Chen");
    assert_string_equal(d.published_at, "2020-02-29");
}

/* Site names in headlines, references escaped twice, bylines that are not names. */
static void test_metadata_cleanup(void **state)
{
    (void)state;
    tlx_html_doc_t d =
        s_extract("<head><meta property=\"og:title\" content=\"Council expands the bus network | "
                  "Example News\"><meta property=\"og:site_name\" content=\"Example News\"></head>"
                  "<body>" STORY "</body>");
    assert_string_equal(d.title, "Council expands the bus network");
    d = s_extract(
        "<head><meta property=\"og:title\" content=\"Council expands the bus network - Metro\"></head>"
        "<body><h1>Council expands the bus network</h1>" STORY "</body>");
    assert_string_equal(d.title, "Council expands the bus network");
    d = s_extract("<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":"
                  "\"&#8216;Buses&#8217; &amp; trams &#x2014; a plan &bogus; &#xD800;\"}</script><body>" STORY
                  "</body>");
    assert_string_equal(d.title, "\xE2\x80\x98"
                                 "Buses\xE2\x80\x99 & trams \xE2\x80\x94 a plan &bogus; &#xD800;");
    d = s_extract(
        "<body><article><div class=\"byline\"><span itemprop=\"author\">Bo Chen @bochen Nov 18, 2019 at "
        "9:24 pm ET</span> <a rel=\"author\" href=\"/staff/bo\">Bo Chen</a></div>" STORY "</article></body>");
    assert_int_equal(d.authors.n, 1);
    assert_string_equal(d.authors.v[0], "Bo Chen");
}

static void test_embedded_quote(void **state)
{
    (void)state;
    /* an embedded post inside a wrapper named like a share bar is the story's material; the share bar is not
     */
    tlx_html_doc_t d = s_extract(
        "<body><article><div class=\"entry-content\">" STORY
        "<div class=\"social-media-embed\"><blockquote class=\"embedded-post\"><p>The night buses are the "
        "best "
        "news this city has had in years, and I will ride the first one.</p>&mdash; A Rider (@rider) "
        "<a href=\"https://example.org/status/1\">March 5, 2024</a></blockquote></div>"
        "<div class=\"social-share\"><a href=\"#\">Share on Facebook</a> <a href=\"#\">Share by "
        "email</a></div>"
        "<p>The council meets again in April, when it votes on the fares for the new routes.</p>"
        "</div></article></body>");
    assert_non_null(strstr(d.text, "The night buses are the best news"));
    assert_non_null(strstr(d.text, "The council meets again in April"));
    assert_null(strstr(d.text, "Share on"));
}

static void test_boilerplate_removed(void **state)
{
    (void)state;
    tlx_html_doc_t d = s_extract(
        "<html><body>"
        "<div id=\"cookie-banner\">We use cookies to improve your experience. Accept all cookies, or manage "
        "your settings, in the preferences, at any time.</div>"
        "<header><a href=\"/\">Example News</a><ul class=\"menu\"><li><a href=\"/w\">World</a></li>"
        "<li><a href=\"/b\">Business</a></li></ul></header>"
        "<main><article>"
        "<div class=\"share-bar\"><a href=\"#\">Share on Facebook</a> <a href=\"#\">Share on X</a></div>"
        "<p>The city council voted on Tuesday to expand the bus network, adding four routes, two depots and "
        "a night service that runs until three in the morning, the mayor said.</p>"
        "<h2>What changes for riders</h2>"
        "<p>Officials expect the new routes to carry 40,000 riders a day by next year, although critics warn "
        "that the budget, which relies on federal grants, may not hold.</p>"
        "<ul><li>Route 12 runs every ten minutes, from the harbour to the university.</li>"
        "<li>Route 40 links the two hospitals, and it stops at the new depot.</li></ul>"
        "<p>Work on the first depot starts in March, and the night service begins in the summer, according "
        "to "
        "the transport department's plan.</p>"
        "<div class=\"related-stories\"><h3>Related</h3><ul>"
        "<li><a href=\"/1\">Tram plan shelved after cost review</a></li>"
        "<li><a href=\"/2\">Fares rise for the third year running</a></li></ul></div>"
        "</article>"
        "<section id=\"comments\"><p>Great news, finally! I have waited for this bus for years, said a "
        "reader, "
        "who signed as Tom.</p></section></main>"
        "<aside><p>Most read: a story about something else entirely, with many words in it.</p></aside>"
        "<footer><p>Copyright 2024 Example News. All rights reserved. Terms, privacy, contact.</p></footer>"
        "</body></html>");
    assert_non_null(strstr(d.text, "The city council voted on Tuesday"));
    assert_non_null(strstr(d.text, "\n\nWhat changes for riders\n\n"));
    assert_non_null(strstr(d.text, "Route 12 runs every ten minutes"));
    assert_non_null(strstr(d.text, "Route 40 links the two hospitals"));
    assert_non_null(strstr(d.text, "the transport department's plan."));
    static const char *const gone[] = {"cookies",    "World",     "Share on",  "Tram plan", "Fares rise",
                                       "Great news", "Most read", "Copyright", "<",         ">"};
    for (size_t i = 0; i < sizeof gone / sizeof *gone; i++) {
        if (strstr(d.text, gone[i]))
            fail_msg("'%s' left in the article text:\n%s", gone[i], d.text);
    }
    /* paragraphs separated by exactly one blank line, no leading or trailing space */
    assert_null(strstr(d.text, "\n\n\n"));
    assert_true(d.text_len > 0 && d.text[0] != '\n' && d.text[d.text_len - 1] != '\n');
    assert_int_equal(d.subheadings.n, 1);
    assert_string_equal(d.subheadings.v[0], "What changes for riders");
}

/* Layouts that fooled earlier versions of the scoring. */
static void test_layouts(void **state)
{
    (void)state;
    /* the whole page inside a wrapper named like furniture: still the article, not the banner */
    tlx_html_doc_t d = s_extract("<body><div class=\"wrapper header-style-2\"><div class=\"consent-law\">We "
                                 "value your privacy, and we use cookies, as described in our policy.</div>"
                                 "<div class=\"container sidebar-right\"><article><div class=\"entry\">" STORY
                                 "</div></article></div></div></body>");
    assert_non_null(strstr(d.text, "The city council voted on Tuesday"));
    assert_non_null(strstr(d.text, "the transport department's plan."));
    assert_null(strstr(d.text, "privacy"));

    /* a long read split over sibling sections, each nested deep, with a pull quote between */
    char page[8192] = "<body><div id=\"post\">";
    for (int sec = 0; sec < 3; sec++) {
        strcat(page, "<div class=\"block\"><div><div><div><div><div><div><section><div>");
        char para[512];
        for (int i = 0; i < 3; i++) {
            snprintf(
                para, sizeof para,
                "<p>Section %d, paragraph %d: the researchers, who worked in three labs, found the cells in "
                "the lungs, the gut and the thymus, and they think the cells sense danger.</p>",
                sec, i);
            strcat(page, para);
        }
        strcat(page, "</div></section></div></div></div></div></div></div></div>");
        strcat(page, "<div class=\"pullquote\"><img src=\"x.jpg\"></div>");
    }
    strcat(page, "</div></body>");
    d = s_extract(page);
    for (int sec = 0; sec < 3; sec++) {
        char want[64];
        snprintf(want, sizeof want, "Section %d, paragraph 2", sec);
        if (!strstr(d.text, want))
            fail_msg("'%s' missing:\n%s", want, d.text);
    }

    /* captions and screen-reader text are not body text; loose text between <br>s is */
    d = s_extract(
        "<body><div class=\"story\"><div class=\"photo\"><img src=\"a.jpg\"><span class=\"newsCaption\">"
        "Officials at the depot on Monday (Image: City)</span></div><a class=\"skip-link "
        "screen-reader-text\" href=\"#c\">Skip to content</a>The council voted on Tuesday to expand the "
        "bus network, adding four routes, the mayor said.<br>Officials expect 40,000 riders a day, "
        "although critics, citing the budget, warn it may not hold.<br>Work starts in March, the "
        "plan says, and the night service in the summer.</div></body>");
    assert_null(strstr(d.text, "Image: City"));
    assert_null(strstr(d.text, "Skip to content"));
    assert_non_null(strstr(d.text, "The council voted on Tuesday"));
    assert_non_null(strstr(d.text, "\nOfficials expect 40,000 riders"));
}

static void test_broken_markup(void **state)
{
    (void)state;
    /* unclosed paragraphs, stray end tags, no html/body, entities, a comment that never ends */
    tlx_html_doc_t d =
        s_extract("<title>Broken &amp; fine</title><div><p>The city council voted on Tuesday to "
                  "expand the bus network, adding four routes &mdash; and a night service, "
                  "the mayor said.<p>Officials expect 40,000 riders a day by next year, although "
                  "critics, citing the budget, warn it may not hold.</span></div></div></td>"
                  "<p>Work starts in March &amp; ends in June, the plan says, if the money comes."
                  "<!-- never closed <p>hidden");
    assert_string_equal(d.title, "Broken & fine");
    assert_non_null(strstr(d.text, "four routes \xE2\x80\x94 and a night service"));
    assert_non_null(strstr(d.text, "Work starts in March & ends in June"));
    assert_null(strstr(d.text, "hidden"));
    /* garbage bytes */
    char junk[2048];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (char)((i * 7919 + 13) % 251 + 1);
    junk[sizeof junk - 1] = '\0';
    s_extract(junk);
    s_extract("<");
    s_extract("<html");
    s_extract("<p");
    s_extract("</html>");
}

static void test_deep_nesting(void **state)
{
    (void)state;
    size_t n = 10000;
    size_t cap = n * 11 + 4096;
    char *page = malloc(cap);
    assert_non_null(page);
    size_t k = (size_t)sprintf(page, "<html><head><title>Deep page</title></head><body>" STORY);
    for (size_t i = 0; i < n; i++)
        k += (size_t)sprintf(page + k, "<div>");
    k += (size_t)sprintf(page + k, "deep text");
    for (size_t i = 0; i < n; i++)
        k += (size_t)sprintf(page + k, "</div>");
    k += (size_t)sprintf(page + k, "</body></html>");
    tlx_html_doc_t d;
    tlx_arena_reset(A);
    assert_int_equal(tlx_html_extract(page, k, A, &d), 0);
    assert_true(d.flags & TLX_HTML_TRUNCATED); /* libxml2 stops at depth 256 */
    assert_string_equal(d.title, "Deep page");
    assert_non_null(strstr(d.text, "The city council voted"));
    /* the same nesting with inline elements and unclosed tags */
    k = 0;
    for (size_t i = 0; i < n; i++)
        k += (size_t)sprintf(page + k, i % 2 ? "<span>" : "<b><i>");
    tlx_arena_reset(A);
    assert_int_equal(tlx_html_extract(page, k, A, &d), 0);
    free(page);
}

static void test_huge_attributes(void **state)
{
    (void)state;
    size_t n = 4 << 20;
    char *page = malloc(n + 4096);
    assert_non_null(page);
    size_t k = (size_t)sprintf(page, "<html><head><meta property=\"og:title\" content=\"");
    memset(page + k, 'T', n / 4), k += n / 4;
    k += (size_t)sprintf(page + k, "\"><link rel=canonical href=\"https://example.org/");
    memset(page + k, 'u', n / 4), k += n / 4;
    k += (size_t)sprintf(page + k, "\"></head><body><div class=\"");
    for (size_t i = 0; i < n / 4; i++)
        page[k++] = "content share x"[i % 15];
    k += (size_t)sprintf(page + k, "\" style=\"");
    memset(page + k, ' ', n / 4 - 100), k += n / 4 - 100;
    k += (size_t)sprintf(page + k, "\">" STORY "</div></body></html>");
    tlx_html_doc_t d;
    tlx_arena_reset(A);
    assert_int_equal(tlx_html_extract(page, k, A, &d), 0);
    assert_non_null(d.title);
    assert_true(strlen(d.title) <= 1024); /* metadata values are bounded */
    assert_true(!d.url || strlen(d.url) <= 1024);
    assert_non_null(strstr(d.text, "The city council voted"));
    free(page);
}

static void test_script_only_and_no_article(void **state)
{
    (void)state;
    tlx_html_doc_t d =
        s_extract("<html><head><title>App</title><script>var x = '<p>not text, a string in a "
                  "script that is long enough to look like a paragraph of text</p>';</script>"
                  "</head><body><script>document.write(x)</script><noscript>Enable JavaScript to "
                  "read this site, which needs it for everything it shows you.</noscript>"
                  "<style>p { color: red }</style></body></html>");
    assert_true(d.flags & TLX_HTML_NO_ARTICLE);
    assert_int_equal(d.text_len, 0);
    assert_string_equal(d.text, "");
    assert_string_equal(d.title, "App");

    d = s_extract("<html><head><title>Sections</title></head><body><nav><ul><li><a href=\"/a\">World</a></li>"
                  "<li><a href=\"/b\">Business</a></li><li><a href=\"/c\">Sport</a></li></ul></nav>"
                  "<footer>Copyright</footer></body></html>");
    assert_true(d.flags & TLX_HTML_NO_ARTICLE);
    assert_string_equal(d.title, "Sections");

    d = s_extract("");
    assert_true(d.flags & TLX_HTML_NO_ARTICLE);
}

static void test_charsets(void **state)
{
    (void)state;
    /* Latin-1 declared in meta: converted to UTF-8 */
    tlx_html_doc_t d =
        s_extract("<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
                  "charset=ISO-8859-1\"><title>Caf\xE9 culture</title></head><body><p>The caf\xE9 "
                  "on the corner, which opened in 1952, closes on Sunday, its owner said, after "
                  "seventy years of espresso and cr\xE8me br\xFBl\xE9\x65.</p></body></html>");
    assert_string_equal(d.title, "Caf\xC3\xA9 culture");
    assert_non_null(strstr(d.text, "The caf\xC3\xA9 on the corner"));
    assert_non_null(strstr(d.text, "cr\xC3\xA8me br\xC3\xBBl\xC3\xA9"));
    assert_false(d.flags & TLX_HTML_CHARSET_UNKNOWN);
    /* windows-1252 in <meta charset> */
    d = s_extract("<meta charset=\"windows-1252\"><title>\x93Quoted\x94</title><body>" STORY "</body>");
    assert_string_equal(d.title, "\xE2\x80\x9CQuoted\xE2\x80\x9D");
    /* a charset nobody knows: read as UTF-8 (invalid bytes replaced), flagged */
    d = s_extract("<meta charset=\"x-no-such-charset\"><title>Odd \xFF bytes</title><body>" STORY "</body>");
    assert_true(d.flags & TLX_HTML_CHARSET_UNKNOWN);
    assert_string_equal(d.title, "Odd \xEF\xBF\xBD bytes");
    /* Shift_JIS with a byte that does not convert: replaced, and the page goes on after it
       (libxml2's own conversion stopped there); libxml2 prints nothing on stderr */
    fflush(stderr);
    int saved = dup(2);
    FILE *errf = tmpfile();
    assert_non_null(errf);
    dup2(fileno(errf), 2);
    d = s_extract(
        "<meta charset=\"Shift_JIS\"><title>\x93\xFA\x96\x7B</title><body><p>Before \x81\x20 after the "
        "bad byte, a paragraph that is long enough to be the article.</p></body>");
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    fseek(errf, 0, SEEK_END);
    assert_int_equal(ftell(errf), 0); /* nothing was written to stderr */
    fclose(errf);
    assert_string_equal(d.title, "\xE6\x97\xA5\xE6\x9C\xAC");
    assert_non_null(strstr(d.text, "Before \xEF\xBF\xBD after the bad byte"));
    assert_false(d.flags & TLX_HTML_CHARSET_UNKNOWN);
    /* a page that says UTF-16 in its markup is UTF-8 (as browsers read it) */
    d = s_extract("<meta charset=\"utf-16\"><title>caf\xC3\xA9</title><body>" STORY "</body>");
    assert_string_equal(d.title, "caf\xC3\xA9");
    /* no charset and invalid UTF-8: repaired, the rest still UTF-8 (not read as Latin-1) */
    d = s_extract("<title>Bad \xC3 byte, then caf\xC3\xA9</title><body>" STORY "</body>");
    assert_string_equal(d.title, "Bad \xEF\xBF\xBD byte, then caf\xC3\xA9");
}

static void test_dates(void **state)
{
    (void)state;
    char out[32];
    assert_int_equal(tlx_html_date("2019-11-19", 10, out), 0);
    assert_string_equal(out, "2019-11-19");
    assert_int_equal(tlx_html_date("2019-11-19T13:05:00Z", 20, out), 0);
    assert_string_equal(out, "2019-11-19T13:05:00+00:00");
    assert_int_equal(tlx_html_date("2019-11-19T08:05:00.123-0500", 28, out), 0);
    assert_string_equal(out, "2019-11-19T08:05:00-05:00");
    assert_int_equal(tlx_html_date("2019-11-19 08:05", 16, out), 0);
    assert_string_equal(out, "2019-11-19T08:05:00+00:00");
    assert_int_equal(tlx_html_date("2019/11/19", 10, out), 0);
    assert_string_equal(out, "2019-11-19");
    assert_int_equal(tlx_html_date("Nov 19, 2019", 12, out), -1);
    assert_int_equal(tlx_html_date("2019-13-01", 10, out), -1);
    assert_int_equal(tlx_html_date("2019-1", 6, out), -1);
    assert_int_equal(tlx_html_date("", 0, out), -1);
}

static void test_pipeline(void **state)
{
    (void)state;
    const char *err = NULL;
    tlx_text_t *tx = tlx_text_new(NULL, &err);
    assert_non_null(tx);
    const char *page = "<!DOCTYPE html><html lang=\"en\"><head><title>Council expands buses | Example</title>"
                       "<link rel=\"canonical\" href=\"https://example.org/news/buses\">"
                       "<meta property=\"article:published_time\" content=\"2021-11-19T16:05:00-05:00\">"
                       "<meta name=\"author\" content=\"Ana Lima\"></head><body><article>"
                       "<h1>Council expands bus network</h1>" STORY "</article></body></html>";
    tlx_arena_reset(A);
    tlx_record_t rec;
    assert_int_equal(tlx_text_process(tx, page, strlen(page), NULL, A, &rec), 0);
    assert_true(rec.flags & TLX_FLAG_HTML);
    assert_false(rec.flags & TLX_FLAG_NO_ARTICLE);
    assert_string_equal(rec.title, "Council expands bus network");
    assert_string_equal(rec.published_at, "2021-11-19T16:05:00-05:00");
    assert_int_equal(rec.authors.n, 1);
    assert_string_equal(rec.authors.v[0], "Ana Lima");
    assert_string_equal(rec.url, "https://example.org/news/buses");
    assert_true(s_has(&rec.from_markup, "title") && s_has(&rec.from_markup, "published_at") &&
                s_has(&rec.from_markup, "authors") && s_has(&rec.from_markup, "url"));
    assert_true(strncmp(rec.body, "The city council voted on Tuesday", 33) == 0);
    assert_null(strchr(rec.body, '<'));
    assert_string_equal(rec.lang, "en");
    assert_true(rec.nsentences >= 3);
    assert_true(rec.stats.words > 50);
    bool date_found = false; /* the text stages ran on the article: "Tuesday" resolved from published_at */
    for (uint32_t i = 0; i < rec.ndates; i++)
        date_found |= strcmp(rec.dates[i].text, "Tuesday") == 0;
    assert_true(date_found);

    /* forced text: the markup is the body */
    tlx_text_opts_t o = {.format = TLX_FORMAT_TEXT};
    tlx_arena_reset(A);
    assert_int_equal(tlx_text_process(tx, page, strlen(page), &o, A, &rec), 0);
    assert_false(rec.flags & TLX_FLAG_HTML);
    assert_non_null(strstr(rec.body, "<p>"));
    /* forced html on a fragment detection would not take */
    o.format = TLX_FORMAT_HTML;
    const char *frag = STORY;
    tlx_arena_reset(A);
    assert_int_equal(tlx_text_process(tx, frag, strlen(frag), &o, A, &rec), 0);
    assert_true(rec.flags & TLX_FLAG_HTML);
    assert_null(strstr(rec.body, "<p>"));
    /* a page without an article is a record, flagged, with its title */
    const char *empty =
        "<html><head><title>Only a title</title></head><body><script>x()</script></body></html>";
    tlx_arena_reset(A);
    assert_int_equal(tlx_text_process(tx, empty, strlen(empty), NULL, A, &rec), 0);
    assert_true(rec.flags & TLX_FLAG_NO_ARTICLE);
    assert_string_equal(rec.title, "Only a title");
    assert_int_equal(rec.body_len, 0);
    assert_true(rec.sha256[0] != '\0');
    tlx_text_destroy(&tx);
}

int main(void)
{
    tlx_html_init();
    A = tlx_arena_new(1 << 20);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detect),
        cmocka_unit_test(test_jsonld),
        cmocka_unit_test(test_opengraph),
        cmocka_unit_test(test_time_rel_author_figcaption_h1_canonical),
        cmocka_unit_test(test_metadata_cleanup),
        cmocka_unit_test(test_embedded_quote),
        cmocka_unit_test(test_boilerplate_removed),
        cmocka_unit_test(test_layouts),
        cmocka_unit_test(test_broken_markup),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_huge_attributes),
        cmocka_unit_test(test_script_only_and_no_article),
        cmocka_unit_test(test_charsets),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_pipeline),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    tlx_arena_destroy(&A);
    return rc;
}
