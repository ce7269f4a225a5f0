/* SPDX-License-Identifier: Apache-2.0 */
/*  test_keywords.c -- tlx_keywords: TF-IDF ranking, stop words, plural
    folding, two-word terms, the tag prior, a document-frequency snapshot,
    the commit-time term list, seeds, large input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "tlx_error.h"
#include "tlx_keywords.h"

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

static int s_has(const tlx_strv_t *v, const char *w)
{
    for (uint32_t i = 0; i < v->n; i++)
        if (strcmp(v->v[i], w) == 0)
            return (int)i;
    return -1;
}

/* Case-insensitive: the seeds' raw tag line writes "sinuiju" lowercase. */
static int s_hasi(const tlx_strv_t *v, const char *w)
{
    for (uint32_t i = 0; i < v->n; i++)
        if (strcasecmp(v->v[i], w) == 0)
            return (int)i;
    return -1;
}

static const char *T =
    "Smugglers crossed the river at night. The smugglers paid the guards. "
    "Guards in Hyesan took bribes from smugglers. Loyalty funds were raised, and loyalty funds "
    "grew. The source said that the guards were tired.";

static void test_basic(void **state)
{
    (void)state;
    tlx_strv_t kw;
    assert_int_equal(tlx_keywords_extract(T, strlen(T), NULL, NULL, 0, NULL, s_arena, &kw), 0);
    assert_true(kw.n > 0 && kw.n <= TLX_KEYWORDS_MAX);
    assert_string_equal(kw.v[0], "smuggler"); /* 3x, plural folded */
    assert_true(s_has(&kw, "guard") >= 0);
    assert_true(s_has(&kw, "loyalty fund") >= 0); /* two-word term, twice */
    assert_true(s_has(&kw, "Hyesan") >= 0);       /* proper noun keeps its capital */
    assert_int_equal(s_has(&kw, "the"), -1);
    assert_int_equal(s_has(&kw, "said"), -1);
    /* "loyalty" and "fund" alone are hidden by "loyalty fund" */
    assert_int_equal(s_has(&kw, "loyalty"), -1);
    assert_int_equal(s_has(&kw, "fund"), -1);
}

static void test_tags(void **state)
{
    (void)state;
    const char *tags_v[] = {"bribes", "Hyesan"};
    tlx_strv_t tags = {tags_v, 2}, kw;
    assert_int_equal(tlx_keywords_extract(T, strlen(T), &tags, NULL, 0, NULL, s_arena, &kw), 0);
    /* "bribe" occurs once but is a tag: it outranks untagged single words */
    int b = s_has(&kw, "bribe");
    assert_true(b >= 0 && b <= 3);
    assert_string_equal(kw.v[0], "Hyesan"); /* tagged proper noun */
    assert_true(s_has(&kw, "loyalty fund") > b);
}

/* A snapshot where "smuggler" is in every document and "river" in none. */
static uint64_t s_df(void *ctx, const char *term, size_t len)
{
    (void)ctx;
    if (len == 8 && memcmp(term, "smuggler", 8) == 0)
        return 1000;
    if (len == 5 && memcmp(term, "river", 5) == 0)
        return 0;
    return 100;
}

static void test_df(void **state)
{
    (void)state;
    tlx_keywords_df_t df = {1000, s_df, NULL}, few = {10, s_df, NULL};
    tlx_strv_t kw;
    assert_int_equal(tlx_keywords_extract(T, strlen(T), NULL, NULL, 0, &df, s_arena, &kw), 0);
    /* "river" (in no document) now outranks "smuggler" (in all of them) */
    int r = s_has(&kw, "river"), sm = s_has(&kw, "smuggler");
    assert_true(r >= 0 && r <= 1);
    assert_true(sm == -1 || sm > r);
    /* too few documents: the built-in prior */
    assert_int_equal(tlx_keywords_extract(T, strlen(T), NULL, NULL, 0, &few, s_arena, &kw), 0);
    assert_string_equal(kw.v[0], "smuggler");
}

static void test_entities(void **state)
{
    (void)state;
    const char *t = "Kim Jong Un visited Hyesan. Kim Jong Un met smugglers. Kim Jong Un left North Korea. "
                    "North Korea is poor.";
    tlx_span_t s1[] = {{0, 11}, {28, 39}, {55, 66}}, s2[] = {{72, 83}, {85, 96}};
    tlx_entity_t e[] = {{"Kim Jong Un", TLX_ENT_PER, "Kim Jong-un", 3, s1, 3},
                        {"North Korea", TLX_ENT_LOC, "North Korea", 2, s2, 2}};
    tlx_strv_t kw;
    assert_int_equal(tlx_keywords_extract(t, strlen(t), NULL, e, 2, NULL, s_arena, &kw), 0);
    assert_string_equal(kw.v[0], "Kim Jong-un");
    assert_int_equal(s_has(&kw, "Kim"), -1);
    assert_int_equal(s_has(&kw, "Jong"), -1);
    assert_int_equal(s_has(&kw, "Kim Jong"), -1);
    assert_true(s_has(&kw, "North Korea") > s_has(&kw, "Hyesan")); /* common-word name ranks low */
}

static void test_terms(void **state)
{
    (void)state;
    tlx_strv_t terms;
    assert_int_equal(tlx_keywords_terms(T, strlen(T), s_arena, &terms), 0);
    assert_true(s_has(&terms, "smuggler") >= 0);
    assert_true(s_has(&terms, "hyesan") >= 0);
    assert_true(s_has(&terms, "loyalty fund") >= 0);
    assert_int_equal(s_has(&terms, "the"), -1);
    /* distinct */
    for (uint32_t i = 0; i < terms.n; i++)
        for (uint32_t j = i + 1; j < terms.n; j++)
            assert_true(strcmp(terms.v[i], terms.v[j]) != 0);
    assert_int_equal(tlx_keywords_terms("", 0, s_arena, &terms), 0);
    assert_int_equal(terms.n, 0);
}

/* The terms made in the keyword pass are tlx_keywords_terms' list, in its
   order, NUL-terminated one after the other, cut at max_terms; the
   keywords are the same as without them. */
static void s_check_terms_blob(const char *body, size_t len)
{
    tlx_strv_t terms, kw, kw2;
    assert_int_equal(tlx_keywords_terms(body, len, s_arena, &terms), 0);
    assert_int_equal(tlx_keywords_extract(body, len, NULL, NULL, 0, NULL, s_arena, &kw), 0);
    for (uint32_t max = 0; max <= terms.n + 1; max += max < 3 ? 1 : terms.n / 3 + 1) {
        char *blob = (char *)"x";
        size_t blen = 7;
        assert_int_equal(
            tlx_keywords_extract_terms(body, len, NULL, NULL, 0, NULL, max, s_arena, &kw2, &blob, &blen), 0);
        uint32_t want = max < terms.n ? max : terms.n;
        if (!want) {
            assert_null(blob);
            assert_int_equal(blen, 0);
        } else {
            size_t off = 0;
            for (uint32_t i = 0; i < want; i++) {
                assert_true(off < blen);
                assert_string_equal(blob + off, terms.v[i]);
                off += strlen(terms.v[i]) + 1;
            }
            assert_int_equal(off, blen);
        }
        assert_int_equal(kw2.n, kw.n);
        for (uint32_t i = 0; i < kw.n; i++)
            assert_string_equal(kw2.v[i], kw.v[i]);
    }
}

static void test_terms_with_keywords(void **state)
{
    (void)state;
    s_check_terms_blob(T, strlen(T));
    s_check_terms_blob("", 0);
    s_check_terms_blob("an of the", 9); /* no term */
    char path[1024];
    snprintf(path, sizeof path, "%s/seeds/%s", TLX_SOURCE_DIR, "001_fb1bfa2ad44c6e4f.txt");
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    s_check_terms_blob(buf, len);
}

static void test_seeds(void **state)
{
    (void)state;
    static const struct {
        const char *seed, *must[3];
    } g[] = {
        {"000_b95e5fb43f31aefa.txt", {"security officer", "Sinuiju", "loyalty fund"}},
        {"001_fb1bfa2ad44c6e4f.txt", {"Russia", "worker", "security agent"}},
        {"002_8907b5e82464a41b.txt", {"defector", "defection", "agent"}},
        {"003_cbb70c7f6c33b917.txt", {"agent", "MSS", "surveillance"}},
        {"004_50cf4b8f26c8f34a.txt", {"defector", "family", "MSS"}},
    };
    for (size_t k = 0; k < sizeof g / sizeof *g; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/seeds/%s", TLX_SOURCE_DIR, g[k].seed);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        static char buf[1 << 16];
        size_t len = fread(buf, 1, sizeof buf, f);
        fclose(f);
        tlx_strv_t kw;
        assert_int_equal(tlx_keywords_extract(buf, len, NULL, NULL, 0, NULL, s_arena, &kw), 0);
        assert_int_equal(kw.n, TLX_KEYWORDS_MAX);
        for (size_t i = 0; i < 3; i++)
            if (s_hasi(&kw, g[k].must[i]) < 0)
                fail_msg("%s: '%s' not among the keywords", g[k].seed, g[k].must[i]);
    }
}

static void test_placeholders(void **state)
{
    (void)state;
    /* "[imText1]", "[imgCaption]" are crawl placeholders, not words of the article */
    const char *t =
        "[imgCaption] Smugglers in Hyesan paid the guards. [imgCaption] The guards took the money. "
        "[imgCaption] Smugglers said the guards wanted more. [imText1] [imText2]";
    tlx_strv_t kw;
    assert_int_equal(tlx_keywords_extract(t, strlen(t), NULL, NULL, 0, NULL, s_arena, &kw), 0);
    assert_true(s_has(&kw, "guard") >= 0);
    assert_int_equal(s_has(&kw, "imgcaption"), -1);
    assert_int_equal(s_has(&kw, "imtext"), -1);
}

static void test_bad_input(void **state)
{
    (void)state;
    size_t n = 2000000;
    char *t = malloc(n + 1);
    assert_non_null(t);
    for (size_t i = 0; i < n; i++)
        t[i] = "abcdefgh xy.\n'-"[(i * 7 + i / 13) % 15];
    t[n] = '\0';
    tlx_strv_t kw;
    assert_int_equal(tlx_keywords_extract(t, n, NULL, NULL, 0, NULL, s_arena, &kw), 0);
    memset(t, 'a', n); /* one endless word */
    assert_int_equal(tlx_keywords_extract(t, n, NULL, NULL, 0, NULL, s_arena, &kw), 0);
    assert_int_equal(kw.n, 0);
    /* distinct words without spaces: the table is sized by letter runs */
    size_t k = 0;
    for (int i = 0; i < 26 * 26 * 26 && k + 5 < n; i++) {
        t[k++] = (char)('a' + i / 676);
        t[k++] = (char)('a' + i / 26 % 26);
        t[k++] = (char)('a' + i % 26);
        t[k++] = ',';
    }
    assert_int_equal(tlx_keywords_extract(t, k, NULL, NULL, 0, NULL, s_arena, &kw), 0);
    assert_int_equal(tlx_keywords_terms(t, k, s_arena, &kw), 0);
    assert_int_equal(tlx_keywords_extract("", 0, NULL, NULL, 0, NULL, s_arena, &kw), 0);
    assert_int_equal(kw.n, 0);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic),
        cmocka_unit_test(test_tags),
        cmocka_unit_test(test_df),
        cmocka_unit_test(test_terms),
        cmocka_unit_test(test_seeds),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_entities),
        cmocka_unit_test(test_placeholders),
        cmocka_unit_test(test_terms_with_keywords),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
