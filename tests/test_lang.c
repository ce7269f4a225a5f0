/* SPDX-License-Identifier: Apache-2.0 */
/*  test_lang.c -- tlx_lang (CLD2) on short news text in several languages,
    reliability, sampling of long text, invalid UTF-8; and the enrich stage's
    language gate (non-English: flagged, English-only enrichments skipped). */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tlx_enrich.h"
#include "tlx_error.h"
#include "tlx_lang.h"

static void s_lang(const char *t, const char *want)
{
    const char *code;
    bool rel;
    assert_int_equal(tlx_lang_detect(t, strlen(t), &code, &rel), 0);
    if (!code || strcmp(code, want) != 0)
        fail_msg("'%s': got %s, want %s", t, code ? code : "(null)", want);
}

static void test_languages(void **state)
{
    (void)state;
    s_lang("North Korean security officers are demanding money from people.", "en");
    s_lang("The source said the order came in mid-March.", "en");
    s_lang("Prices of rice rose to 5,800 won per kilogram in Hyesan markets.", "en");
    s_lang("\xeb\xb6\x81\xed\x95\x9c \xeb\xb3\xb4\xec\x9c\x84\xec\x9b\x90\xeb\x93\xa4\xec\x9d\xb4 "
           "\xec\xa3\xbc\xeb\xaf\xbc\xeb\x93\xa4\xec\x97\x90\xea\xb2\x8c \xeb\x8f\x88\xec\x9d\x84 "
           "\xec\x9a\x94\xea\xb5\xac\xed\x95\x98\xea\xb3\xa0 \xec\x9e\x88\xeb\x8b\xa4.",
           "ko");
    s_lang("Les agents de s\xc3\xa9"
           "curit\xc3\xa9 nord-cor\xc3\xa9"
           "ens exigent de l'argent aux habitants.",
           "fr");
    s_lang("Die Regierung hat am Montag neue Ma\xc3\x9fnahmen angek\xc3\xbcndigt.", "de");
    s_lang("El gobierno anunci\xc3\xb3 el lunes nuevas medidas contra la corrupci\xc3\xb3n.", "es");
    s_lang("\xd0\x9f\xd1\x80\xd0\xb0\xd0\xb2\xd0\xb8\xd1\x82\xd0\xb5\xd0\xbb\xd1\x8c\xd1\x81\xd1\x82\xd0\xb2"
           "\xd0\xbe "
           "\xd0\xbe\xd0\xb1\xd1\x8a\xd1\x8f\xd0\xb2\xd0\xb8\xd0\xbb\xd0\xbe \xd0\xbe "
           "\xd0\xbd\xd0\xbe\xd0\xb2\xd1\x8b\xd1\x85 "
           "\xd0\xbc\xd0\xb5\xd1\x80\xd0\xb0\xd1\x85.",
           "ru");
}

static void test_reliability(void **state)
{
    (void)state;
    const char *code;
    bool rel = true;
    assert_int_equal(tlx_lang_detect("", 0, &code, &rel), 0);
    assert_null(code);
    assert_false(rel);
    assert_int_equal(tlx_lang_detect("12345 !!! ...", 13, &code, &rel), 0);
    assert_false(rel);
    /* long text: only a sample is read; still English and reliable */
    size_t n = 200000;
    char *t = malloc(n + 1);
    assert_non_null(t);
    const char *s = "The source said that security agents are demanding bribes from families. ";
    size_t sl = strlen(s);
    for (size_t i = 0; i + sl <= n; i += sl)
        memcpy(t + i, s, sl);
    t[n - n % sl] = '\0';
    assert_int_equal(tlx_lang_detect(t, strlen(t), &code, &rel), 0);
    assert_string_equal(code, "en");
    assert_true(rel);
    /* invalid UTF-8 after valid English; and garbage */
    t[100] = (char)0xff, t[101] = (char)0xfe, t[102] = (char)0xc0;
    assert_int_equal(tlx_lang_detect(t, strlen(t), &code, &rel), 0);
    assert_int_equal(tlx_lang_detect("\xff\xfe\xc0\x80", 4, &code, &rel), 0);
    assert_null(code);
    free(t);
}

static void test_enrich_gate(void **state)
{
    (void)state;
    tlx_arena_t *a = tlx_arena_new(1 << 14);
    assert_non_null(a);
    tlx_record_t rec;
    memset(&rec, 0, sizeof rec);
    rec.body =
        "Le gouvernement a annonc\xc3\xa9 lundi 25 mai de nouvelles mesures. \xc2\xab Nous agirons, \xc2\xbb "
        "a dit le ministre. Le prix du riz a atteint 5 800 wons au march\xc3\xa9.";
    rec.body_len = strlen(rec.body);
    tlx_enrich_opts_t o = {.received_at_ms = 1716800000000LL};
    assert_int_equal(tlx_enrich_run(&o, a, &rec), 0);
    assert_string_equal(rec.lang, "fr");
    assert_true(rec.flags & TLX_FLAG_NOT_ENGLISH);
    assert_int_equal(rec.ndates, 0);
    assert_int_equal(rec.keywords.n, 0);
    assert_int_equal(rec.nquotes, 0);
    assert_non_null(rec.summary); /* the lead is language-neutral */
    assert_true(rec.sha256[0] != '\0');
    /* English: detected, reliable, enrichments run */
    memset(&rec, 0, sizeof rec);
    rec.body = "North Korean security officers are demanding money from people, a source in North Pyongan "
               "Province told Daily NK on Monday. Each division must submit USD 700 by the end of the month.";
    rec.body_len = strlen(rec.body);
    assert_int_equal(tlx_enrich_run(&o, a, &rec), 0);
    assert_string_equal(rec.lang, "en");
    assert_false(rec.flags & (TLX_FLAG_NOT_ENGLISH | TLX_FLAG_LANG_UNRELIABLE));
    assert_int_equal(rec.ndates, 1);
    assert_int_equal(rec.nmoney, 1);
    assert_int_equal(rec.nsources, 1);
    assert_true(rec.keywords.n > 0);
    /* too little text: unreliable, the envelope hint decides */
    memset(&rec, 0, sizeof rec);
    rec.body = "OK 123";
    rec.body_len = 6;
    o.lang_hint = "en";
    assert_int_equal(tlx_enrich_run(&o, a, &rec), 0);
    assert_true(rec.flags & TLX_FLAG_LANG_UNRELIABLE);
    assert_false(rec.flags & TLX_FLAG_NOT_ENGLISH);
    assert_string_equal(rec.lang, "en");
    tlx_arena_destroy(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_languages),
        cmocka_unit_test(test_reliability),
        cmocka_unit_test(test_enrich_gate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
