/* SPDX-License-Identifier: Apache-2.0 */
/*  test_simhash.c -- tlx_simhash: an article with one sentence edited stays
    within Hamming 3 of the original, different articles of the same site do
    not; bands and keys for the LMDB index; SHA-256 vectors; seed goldens. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tlx_error.h"
#include "tlx_simhash.h"

static const char *const s_seeds[] = {"000_b95e5fb43f31aefa.txt", "001_fb1bfa2ad44c6e4f.txt",
                                      "002_8907b5e82464a41b.txt", "003_cbb70c7f6c33b917.txt",
                                      "004_50cf4b8f26c8f34a.txt"};

static char *s_read(const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/seeds/%s", TLX_SOURCE_DIR, name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 16);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 16) - 1, f);
    fclose(f);
    buf[*len] = '\0';
    return buf;
}

/* Replaces the first occurrence of `from` by `to` (new malloc'd string). */
static char *s_edit(const char *s, const char *from, const char *to)
{
    const char *p = strstr(s, from);
    assert_non_null(p);
    size_t n = strlen(s) - strlen(from) + strlen(to);
    char *o = malloc(n + 1);
    assert_non_null(o);
    size_t pre = (size_t)(p - s);
    memcpy(o, s, pre);
    strcpy(o + pre, to);
    strcat(o, p + strlen(from));
    return o;
}

static void test_near_duplicates(void **state)
{
    (void)state;
    static const struct {
        const char *seed, *from, *to;
    } edits[] = {
        /* editorial edits of one sentence: a figure, a clause, a few words */
        {"000_b95e5fb43f31aefa.txt",
         "The officer demanded USD 100, threatening to send the individual to a detention center if he "
         "refused.",
         "The officer demanded USD 300 in cash, threatening to send the man to a detention center if he "
         "refused."},
        {"001_fb1bfa2ad44c6e4f.txt",
         "Indeed, since the order, security agents on the ground in Russia have stepped up their crackdown "
         "on North Korean workers.",
         "Since the order, security agents in Russia have stepped up their crackdown on North Korean "
         "laborers."},
        {"002_8907b5e82464a41b.txt", "The total number now exceeds 30,000.",
         "The total number has now passed 31,000."},
        {"003_cbb70c7f6c33b917.txt", "He is now reportedly working at a construction site.",
         "He is now reportedly working at a construction site in Hamhung."},
        {"004_50cf4b8f26c8f34a.txt",
         "Having a defector in the family is economically advantageous for market activities.",
         "Having a defector in the family is a clear economic advantage for market activities."},
    };
    for (size_t k = 0; k < sizeof edits / sizeof *edits; k++) {
        size_t len;
        char *a = s_read(edits[k].seed, &len);
        char *b = s_edit(a, edits[k].from, edits[k].to);
        uint64_t ha = tlx_simhash64(a, len), hb = tlx_simhash64(b, strlen(b));
        unsigned d = tlx_simhash_distance(ha, hb);
        if (d > TLX_SIMHASH_NEAR)
            fail_msg("%s: one edited sentence moved the simhash by %u bits", edits[k].seed, d);
        assert_true(tlx_simhash_is_near(ha, hb));
        uint64_t sa = tlx_simhash_shingle64(a, len), sb = tlx_simhash_shingle64(b, strlen(b));
        if (!tlx_simhash_is_dup(ha, sa, hb, sb))
            fail_msg("%s: shingle hashes %u bits apart", edits[k].seed, tlx_simhash_distance(sa, sb));
        /* pigeonhole: they share a band, so the band index finds the original */
        int shared = 0;
        for (unsigned i = 0; i < TLX_SIMHASH_BANDS; i++)
            shared |= tlx_simhash_band(ha, i) == tlx_simhash_band(hb, i);
        assert_true(shared);
        free(a);
        free(b);
    }
}

static void test_different_articles(void **state)
{
    (void)state;
    uint64_t h[5], sh[5];
    for (size_t k = 0; k < 5; k++) {
        size_t len;
        char *a = s_read(s_seeds[k], &len);
        h[k] = tlx_simhash64(a, len);
        sh[k] = tlx_simhash_shingle64(a, len);
        free(a);
    }
    for (size_t i = 0; i < 5; i++)
        for (size_t j = i + 1; j < 5; j++) {
            unsigned d = tlx_simhash_distance(h[i], h[j]), ds = tlx_simhash_distance(sh[i], sh[j]);
            if (d <= TLX_SIMHASH_NEAR + 3 || ds <= TLX_SIMHASH_VERIFY + 4)
                fail_msg("%s vs %s: only %u / %u bits apart", s_seeds[i], s_seeds[j], d, ds);
            assert_false(tlx_simhash_is_near(h[i], h[j]));
            assert_false(tlx_simhash_is_dup(h[i], sh[i], h[j], sh[j]));
        }
}

/* One pass for both hashes gives each hash of its own pass. */
static void test_pair(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "",
        " ,.; \n",
        "one",
        "two words",
        "three small words",
        "\xe2\x80\x9cQuoted\xe2\x80\x9d \xe2\x80\x94 and then some more words."};
    uint64_t ix, sh;
    for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
        size_t len = strlen(texts[k]);
        tlx_simhash_pair(texts[k], len, &ix, &sh);
        assert_true(ix == tlx_simhash64(texts[k], len));
        assert_true(sh == tlx_simhash_shingle64(texts[k], len));
    }
    tlx_simhash_pair(NULL, 0, &ix, &sh);
    assert_true(ix == 0 && sh == 0);
    for (size_t k = 0; k < 5; k++) {
        size_t len;
        char *a = s_read(s_seeds[k], &len);
        tlx_simhash_pair(a, len, &ix, &sh);
        assert_true(ix == tlx_simhash64(a, len) && ix != 0);
        assert_true(sh == tlx_simhash_shingle64(a, len) && sh != 0);
        free(a);
    }
}

static void test_properties(void **state)
{
    (void)state;
    assert_int_equal(tlx_simhash64("", 0), 0);
    assert_int_equal(tlx_simhash64(" ,.; \n", 6), 0);
    assert_true(tlx_simhash64("one", 3) != 0);
    assert_true(tlx_simhash64("two words", 9) != 0);
    /* case and punctuation do not matter; word order does */
    const char *a = "Security officers in Sinuiju demand loyalty funds from residents.";
    const char *b = "SECURITY officers, in Sinuiju: demand loyalty-funds from residents";
    assert_true(tlx_simhash64(a, strlen(a)) == tlx_simhash64(b, strlen(b)));
    assert_false(tlx_simhash_is_near(0, 0));
    /* bands and keys */
    uint64_t h = 0x0123456789abcdefULL;
    assert_int_equal(tlx_simhash_band(h, 0), 0xcdef);
    assert_int_equal(tlx_simhash_band(h, 3), 0x0123);
    uint8_t key[TLX_SIMHASH_KEY_LEN];
    tlx_simhash_band_key(h, 2, key);
    assert_int_equal(key[0], 2);
    assert_int_equal(key[1], 0x45);
    assert_int_equal(key[2], 0x67);
    assert_int_equal(tlx_simhash_distance(h, h ^ 0x8000000000000101ULL), 3);
    assert_true(tlx_simhash_is_near(h, h ^ 0x8000000000000101ULL));
    assert_false(tlx_simhash_is_near(h, h ^ 0x8000000000001101ULL));
}

static void test_sha256(void **state)
{
    (void)state;
    char hex[65];
    assert_int_equal(tlx_simhash_sha256_hex("abc", 3, hex, NULL), 0);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(tlx_simhash_sha256_hex("", 0, hex, NULL), 0);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_bad_input(void **state)
{
    (void)state;
    size_t n = 4000000;
    char *t = malloc(n);
    assert_non_null(t);
    for (size_t i = 0; i < n; i++)
        t[i] = (char)(i * 2654435761u >> 13);
    (void)tlx_simhash64(t, n);
    memset(t, '"', n);
    assert_int_equal(tlx_simhash64(t, n), 0);
    memset(t, '9', n);
    assert_true(tlx_simhash64(t, n) != 0);
    assert_true(tlx_simhash_shingle64(t, n) != 0);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_near_duplicates), cmocka_unit_test(test_different_articles),
        cmocka_unit_test(test_properties),      cmocka_unit_test(test_sha256),
        cmocka_unit_test(test_bad_input),       cmocka_unit_test(test_pair),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
