/* SPDX-License-Identifier: Apache-2.0 */
/*  test_wordset.c -- the static word sets of the text stages (tlx_wordset)
    and the SWAR helpers they read words with (tlx_swar.h): membership with
    and without case folding at every word length, values merged by OR,
    the two lookups agreeing, and the byte loads and range masks against a
    byte-at-a-time reference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tlx_swar.h"
#include "tlx_wordset.h"

TLX_WORDSET_STATIC(s_exact, 64, false);
TLX_WORDSET_STATIC(s_folded, 64, true);

/* words of every length 1..15, lower case (s_words[i] has i + 1 bytes) */
static const char *const s_words[] = {
    "a",           "an",           "the",           "then",           "there",
    "thered",      "theredo",      "theredon",      "thereupon",      "tremendous",
    "photographs", "photographer", "photographers", "correspondents", "correspondences"};
/* which words drop their last byte and are the word before */
static const int s_prefix_is_member[] = {0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0};

static void s_fill(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    for (size_t i = 0; i < sizeof s_words / sizeof *s_words; i++) {
        tlx_wordset_put(&s_exact, s_words[i], (uint32_t)(1u << i));
        tlx_wordset_put(&s_folded, s_words[i], (uint32_t)(1u << i));
    }
    tlx_wordset_put(&s_exact, "the", 1u << 20); /* merged with the first value */
    tlx_wordset_put(&s_folded, "the", 1u << 20);
}

static void test_members(void **state)
{
    (void)state;
    s_fill();
    for (size_t i = 0; i < sizeof s_words / sizeof *s_words; i++) {
        size_t n = strlen(s_words[i]);
        uint32_t want = (uint32_t)(1u << i) | (strcmp(s_words[i], "the") == 0 ? 1u << 20 : 0);
        assert_int_equal(n, i + 1);
        assert_int_equal(tlx_wordset_get(&s_exact, s_words[i], n), want);
        assert_int_equal(tlx_wordset_get(&s_folded, s_words[i], n), want);
        /* a prefix is another word */
        assert_int_equal(tlx_wordset_get(&s_exact, s_words[i], n - 1) != 0, s_prefix_is_member[i]);
    }
    assert_int_equal(tlx_wordset_get(&s_exact, "", 0), 0);
    assert_int_equal(tlx_wordset_get(&s_exact, "them", 4), 0);
    assert_int_equal(tlx_wordset_get(&s_exact, "thee", 4), 0);
    assert_int_equal(tlx_wordset_get(&s_exact, "tHe", 3), 0);
    assert_int_equal(tlx_wordset_get(&s_folded, "tHe", 3), 1u << 2 | 1u << 20);
    assert_int_equal(tlx_wordset_get(&s_folded, "PHOTOGRAPHERS", 13), 1u << 12);
    assert_int_equal(tlx_wordset_get(&s_folded, "CORRESPONDENTS", 14), 1u << 13);
    /* only ASCII letters fold: '@' (0x40) and '[' (0x5b) are not '`' and '{' */
    tlx_wordset_put(&s_folded, "`x{", 1u << 21);
    assert_int_equal(tlx_wordset_get(&s_folded, "`X{", 3), 1u << 21);
    assert_int_equal(tlx_wordset_get(&s_folded, "@x[", 3), 0);
    /* over the longest word a set holds: never a member */
    assert_int_equal(tlx_wordset_get(&s_folded, "correspondencess", 16), 0);
    assert_int_equal(tlx_wordset_get_in(&s_folded, "correspondencess", 16, 16), 0);
}

/* tlx_wordset_get_in reads 16 bytes and masks: the bytes after the word
   never change the answer. */
static void test_get_in(void **state)
{
    (void)state;
    s_fill();
    char buf[64];
    for (size_t i = 0; i < sizeof s_words / sizeof *s_words; i++) {
        size_t n = strlen(s_words[i]);
        for (int tail = 0; tail < 3; tail++) {
            memset(buf, tail == 0 ? 0 : tail == 1 ? 's' : 0xff, sizeof buf);
            memcpy(buf, s_words[i], n);
            for (size_t avail = n; avail <= 20; avail++)
                for (size_t m = 0; m <= n + 1 && m <= avail; m++) {
                    assert_int_equal(tlx_wordset_get_in(&s_exact, buf, m, avail),
                                     tlx_wordset_get(&s_exact, buf, m));
                    assert_int_equal(tlx_wordset_get_in(&s_folded, buf, m, avail),
                                     tlx_wordset_get(&s_folded, buf, m));
                }
        }
    }
}

static void test_swar(void **state)
{
    (void)state;
    unsigned char b[8];
    uint32_t seed = 12345;
    for (int round = 0; round < 20000; round++) {
        for (int k = 0; k < 8; k++) {
            seed = seed * 1103515245u + 12345u;
            b[k] = (unsigned char)(seed >> 16);
        }
        if (round % 3 == 0) /* text-like bytes too */
            for (int k = 0; k < 8; k++)
                b[k] = (unsigned char)(0x20 + b[k] % 0x60);
        uint64_t x = tlx_swar_load(b);
        for (size_t n = 0; n <= 8; n++) {
            uint64_t want = 0;
            for (size_t k = 0; k < n; k++)
                want |= (uint64_t)b[k] << (8 * k);
            assert_true(tlx_swar_load_n(b, n) == want);
        }
        static const unsigned char ranges[][2] = {{'A', 'Z'}, {'a', 'z'}, {'0', '9'}, {0, 0x7f}, {' ', ' '}};
        for (size_t r = 0; r < sizeof ranges / sizeof *ranges; r++) {
            uint64_t m = tlx_swar_in(x, ranges[r][0], ranges[r][1]), want = 0;
            for (int k = 0; k < 8; k++)
                if (b[k] >= ranges[r][0] && b[k] <= ranges[r][1])
                    want |= 0x80ull << (8 * k);
            assert_true(m == want);
        }
        uint64_t lower = tlx_wordset_lower8(x), want = 0;
        for (int k = 0; k < 8; k++)
            want |= (uint64_t)(b[k] >= 'A' && b[k] <= 'Z' ? b[k] + 32 : b[k]) << (8 * k);
        assert_true(lower == want);
    }
}

/* The run ends and byte searches of tlx_swar.h against a byte loop, from
   every start. */
static void test_swar_runs(void **state)
{
    (void)state;
    static const char alphabet[] = "aZq09 .'-\xc3\xa9\x80{@`[/:";
    char s[64];
    uint32_t seed = 777;
    for (int round = 0; round < 3000; round++) {
        size_t len = (size_t)round % sizeof s;
        for (size_t k = 0; k < len; k++) {
            seed = seed * 1103515245u + 12345u;
            /* long letter and digit runs too: every run end falls at every offset of a block */
            s[k] = (seed >> 16) % 4
                       ? (char)((seed >> 20) % 2 ? 'a' + (seed >> 8) % 26 : '0' + (seed >> 8) % 10)
                       : alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        for (size_t i = 0; i <= len; i++) {
            size_t l = i, d = i, a = i;
            while (l < len && ((s[l] | 32) >= 'a' && (s[l] | 32) <= 'z'))
                l++;
            while (d < len && s[d] >= '0' && s[d] <= '9')
                d++;
            while (a < len && (((s[a] | 32) >= 'a' && (s[a] | 32) <= 'z') || (s[a] >= '0' && s[a] <= '9')))
                a++;
            assert_int_equal(tlx_swar_letters_end(s, i, len), l);
            assert_int_equal(tlx_swar_digits_end(s, i, len), d);
            assert_int_equal(tlx_swar_alnum_end(s, i, len), a);
            size_t f = i, f8 = i;
            while (f < len && s[f] != ' ')
                f++;
            while (f8 < len && (unsigned char)s[f8] != 0xc3)
                f8++;
            assert_int_equal(tlx_swar_find(s, i, len, ' '), f);
            assert_int_equal(tlx_swar_find(s, i, len, 0xc3), f8);
        }
    }
}

/* tlx_swar_hash: a string's bytes alone decide the value (not where they
   lie), and two strings of one length that differ in one byte, at any
   place, hash differently. */
static void test_swar_hash(void **state)
{
    (void)state;
    char a[48], b[48 + 7];
    for (size_t n = 0; n <= 40; n++) {
        for (size_t k = 0; k < n; k++)
            a[k] = (char)('a' + (k * 7) % 26);
        for (size_t off = 0; off < 8; off++) {
            memcpy(b + off, a, n);
            assert_true(tlx_swar_hash(n, a, n) == tlx_swar_hash(n, b + off, n));
        }
        for (size_t k = 0; k < n; k++) {
            memcpy(b, a, n);
            b[k] ^= 0x20;
            assert_true(tlx_swar_hash(n, a, n) != tlx_swar_hash(n, b, n));
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_members),   cmocka_unit_test(test_get_in),    cmocka_unit_test(test_swar),
        cmocka_unit_test(test_swar_runs), cmocka_unit_test(test_swar_hash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
