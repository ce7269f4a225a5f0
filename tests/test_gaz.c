/* SPDX-License-Identifier: Apache-2.0 */
/*  test_gaz.c -- gazetteer loading, matching rules and canonical names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tlx_error.h"
#include "tlx_gaz.h"
#include "tlx_ner_tok.h"

#ifndef TLX_SOURCE_DIR
#define TLX_SOURCE_DIR "."
#endif

static size_t s_match(const tlx_gaz_t *g, const char *text, tlx_gaz_match_t *m, size_t cap,
                      tlx_ner_tok_t *toks)
{
    size_t n = tlx_ner_tok_split(text, strlen(text), toks, 256);
    assert_true(n <= 256);
    return tlx_gaz_match(g, toks, n, m, cap);
}

static void test_tokenizer(void **state)
{
    (void)state;
    const char *t = "Kim Jong-un's trip to Pyongyang. “U.S. officials,” he said (MSS) — Mr. Kim’s";
    tlx_ner_tok_t tk[64];
    size_t n = tlx_ner_tok_split(t, strlen(t), tk, 64);
    const char *want[] = {"Kim", "Jong-un", "'s",        "trip", "to",  "Pyongyang", ".",
                          "“",   "U.S.",    "officials", ",",    "”",   "he",        "said",
                          "(",   "MSS",     ")",         "—",    "Mr.", "Kim",       "’s"};
    assert_int_equal(n, sizeof want / sizeof *want);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(tk[i].len, strlen(want[i]));
        assert_memory_equal(tk[i].s, want[i], tk[i].len);
        assert_ptr_equal(t + tk[i].off, tk[i].s);
    }
    /* counting mode and bad bytes */
    assert_int_equal(tlx_ner_tok_split("", 0, NULL, 0), 0);
    const char bin[] = {'\x00', '\xff', ' ', '\x80', '.', '"', '\n', 'A'};
    n = tlx_ner_tok_split(bin, sizeof bin, tk, 64);
    assert_true(n >= 3);
}

static void test_rules(void **state)
{
    (void)state;
    tlx_gaz_t *g = tlx_gaz_new();
    assert_non_null(g);
    assert_int_equal(tlx_gaz_add(g, TLX_ENT_ORG, "Ministry of State Security", "Ministry of State Security"),
                     0);
    assert_int_equal(tlx_gaz_add(g, TLX_ENT_ORG, "Ministry of State Security", "MSS"), 0);
    assert_int_equal(tlx_gaz_add(g, TLX_ENT_ORG, "Ministry of State Security", "State Security Department"),
                     0);
    assert_int_equal(tlx_gaz_add(g, TLX_ENT_LOC, "North Korea", "North Korea"), 0);
    assert_int_equal(tlx_gaz_add(g, TLX_ENT_LOC, "North Hamgyong Province", "North Hamgyong"), 0);
    assert_int_equal(tlx_gaz_add(g, TLX_ENT_LOC, "North Hamgyong Province", "North Hamgyong Province"), 0);
    assert_int_equal(tlx_gaz_add(g, TLX_ENT_LOC, "x", ""), TLX_EINVAL);
    assert_int_equal(tlx_gaz_size(g), 6);

    tlx_gaz_match_t m[16];
    tlx_ner_tok_t tk[256];
    /* longest match, case-insensitive words, exact-case acronyms */
    size_t nm =
        s_match(g, "A source in north hamgyong Province said the mss and the MSS of North Korea", m, 16, tk);
    assert_int_equal(nm, 2);
    /* "north hamgyong" starts lower-case: no match there; "MSS" yes, "mss" no */
    assert_string_equal(m[0].canonical, "Ministry of State Security");
    assert_string_equal(m[1].canonical, "North Korea");
    nm = s_match(g, "In North Hamgyong Province, the State Security Department", m, 16, tk);
    assert_int_equal(nm, 2);
    assert_int_equal(m[0].end - m[0].start, 3);
    assert_int_equal(m[0].type, TLX_ENT_LOC);
    assert_string_equal(m[1].canonical, "Ministry of State Security");
    /* cap on the output */
    nm = s_match(g, "MSS MSS MSS MSS", m, 2, tk);
    assert_int_equal(nm, 2);
    /* the same matches in batches of two, from token 1 on: indexes count
       from the first token, and the batches end with 0 */
    const char *bt = "MSS of North Korea, North Hamgyong Province and MSS";
    size_t bn = tlx_ner_tok_split(bt, strlen(bt), tk, 256);
    tlx_gaz_match_t all[16];
    size_t nall = tlx_gaz_match(g, tk + 1, bn - 1, all, 16);
    assert_int_equal(nall, 3);
    size_t from = 1, got = 0, nb = 0, k;
    while ((k = tlx_gaz_match_from(g, tk, bn, &from, m, 2))) {
        assert_true(k <= 2);
        for (size_t j = 0; j < k; j++, got++) {
            assert_int_equal(m[j].start, all[got].start + 1);
            assert_int_equal(m[j].end, all[got].end + 1);
            assert_string_equal(m[j].canonical, all[got].canonical);
        }
        nb++;
    }
    assert_int_equal(got, nall);
    assert_int_equal(nb, 2);
    assert_int_equal(from, bn);
    /* exact lookup */
    size_t n = tlx_ner_tok_split("North Hamgyong", 14, tk, 8);
    tlx_ent_type_t ty;
    const char *canon;
    assert_int_equal(tlx_gaz_lookup(g, tk, n, &ty, &canon), 1);
    assert_string_equal(canon, "North Hamgyong Province");
    assert_int_equal(tlx_gaz_lookup(g, tk, 1, &ty, &canon), 0);
    tlx_gaz_destroy(&g);
    tlx_gaz_destroy(&g);
    assert_null(g);
}

static void test_file(void **state)
{
    (void)state;
    char path[] = "/tmp/test_gaz_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *text = "# comment\n"
                       "ORG\tWorkers' Party of Korea\tWPK | Korean Workers' Party |  KWP \n"
                       "BAD\tline\n"
                       "no tabs at all\n"
                       "\n"
                       "PER\tKim Jong Un\tKim Jong-un | Kim Jong Eun\r\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    tlx_gaz_t *g = tlx_gaz_new();
    size_t bad = 0;
    assert_int_equal(tlx_gaz_load_file(g, path, &bad), 0);
    assert_int_equal(bad, 2);
    assert_int_equal(tlx_gaz_size(g), 7);
    tlx_gaz_match_t m[8];
    tlx_ner_tok_t tk[256];
    size_t nm = s_match(g, "Kim Jong-un of the Korean Workers' Party (KWP) met WPK cadres.", m, 8, tk);
    assert_int_equal(nm, 4);
    assert_string_equal(m[0].canonical, "Kim Jong Un");
    assert_int_equal(m[0].type, TLX_ENT_PER);
    assert_string_equal(m[1].canonical, "Workers' Party of Korea");
    assert_string_equal(m[2].canonical, "Workers' Party of Korea");
    assert_string_equal(m[3].canonical, "Workers' Party of Korea");
    /* NONE entries match with their own type */
    assert_int_equal(tlx_gaz_type_from_name("NONE", 4), TLX_GAZ_NONE);
    assert_int_equal(tlx_gaz_add(g, (tlx_ent_type_t)TLX_GAZ_NONE, "currency", "USD"), 0);
    nm = s_match(g, "He paid USD 700.", m, 8, tk);
    assert_int_equal(nm, 1);
    assert_int_equal(m[0].type, TLX_GAZ_NONE);
    assert_string_equal(tlx_gaz_type_name(m[0].type), "NONE");
    unlink(path);
    assert_int_equal(tlx_gaz_load_file(g, path, NULL), TLX_EIO);
    tlx_gaz_destroy(&g);
}

static void test_committed_data(void **state)
{
    (void)state;
    tlx_gaz_t *g = tlx_gaz_new();
    assert_int_equal(tlx_gaz_load_dir(g, TLX_SOURCE_DIR "/data/gazetteers"), 0);
    assert_true(tlx_gaz_size(g) > 500);
    static const struct {
        const char *text, *canon;
        tlx_ent_type_t type;
    } cases[] = {
        {"North Hamkyung", "North Hamgyong Province", TLX_ENT_LOC},
        {"Hamnam", "South Hamgyong Province", TLX_ENT_LOC},
        {"Yanggang Province", "Ryanggang Province", TLX_ENT_LOC},
        {"Shinuiju", "Sinuiju", TLX_ENT_LOC},
        {"SSD", "Ministry of State Security", TLX_ENT_ORG},
        {"State Security Department", "Ministry of State Security", TLX_ENT_ORG},
        {"MSS", "Ministry of State Security", TLX_ENT_ORG},
        {"MPS", "Ministry of People's Security", TLX_ENT_ORG},
        {"Korean Workers' Party", "Workers' Party of Korea", TLX_ENT_ORG},
        {"WPK", "Workers' Party of Korea", TLX_ENT_ORG},
        {"Kim Jong-un", "Kim Jong Un", TLX_ENT_PER},
        {"Rodong Sinmun", "Rodong Sinmun", TLX_ENT_ORG},
        {"KCNA", "Korean Central News Agency", TLX_ENT_ORG},
        {"DailyNK", "Daily NK", TLX_ENT_ORG},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        tlx_ner_tok_t tk[16];
        size_t n = tlx_ner_tok_split(cases[i].text, strlen(cases[i].text), tk, 16);
        tlx_ent_type_t ty;
        const char *canon = NULL;
        if (!tlx_gaz_lookup(g, tk, n, &ty, &canon))
            fail_msg("%s: not in the gazetteer", cases[i].text);
        assert_string_equal(canon, cases[i].canon);
        assert_int_equal(ty, cases[i].type);
    }
    tlx_gaz_destroy(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokenizer),
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_file),
        cmocka_unit_test(test_committed_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
