/* SPDX-License-Identifier: Apache-2.0 */
/*  test_enricher.c -- tlx_enricher_process: the document-frequency terms of
    the writer's hints are the keyword terms of the record's body (the list
    tlx_keywords_terms makes, in its order), made for English articles when
    the job asks for them, and only then; the record itself does not
    depend on whether they were asked for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tlx_enricher.h"
#include "tlx_keywords.h"
#include "tlx_proto.h"
#include "tlx_text.h"

static const char *s_english =
    "Smugglers crossed the river at night near Hyesan, residents said.\n\n"
    "The smugglers paid the border guards in cash, and the guards took the bribes from the smugglers "
    "on the riverbank. Loyalty funds were raised in the city, and the loyalty funds grew every month.\n\n"
    "A source in Ryanggang Province said the guards were tired of the inspections.\n";

static const char *s_german = "Die Schmuggler überquerten nachts den Fluss, sagten Anwohner.\n\n"
                              "Die Grenzsoldaten nahmen das Geld der Schmuggler an und sagten nichts. "
                              "Die Bewohner der Stadt sammelten Spenden für den Fonds.\n";

typedef struct {
    tlx_text_t *tx;
    tlx_arena_t *arena;
} fix_t;

static int s_setup(void **state)
{
    static fix_t f;
    const char *err = NULL;
    f.tx = tlx_text_new(TLX_SOURCE_DIR "/data", &err);
    f.arena = tlx_arena_new(1 << 20);
    *state = &f;
    return f.tx && f.arena ? 0 : -1;
}

static int s_teardown(void **state)
{
    fix_t *f = *state;
    tlx_text_destroy(&f->tx);
    tlx_arena_destroy(&f->arena);
    return 0;
}

/* Runs text through the enricher; the packed record is returned (caller
   frees) and its hints in *h (valid until the arena's next reset). */
static char *s_process(fix_t *f, const char *text, int want_terms, tlx_commit_hints_t *h, size_t *rec_len)
{
    tlx_envelope_t env = {
        .v = 1, .producer = {"t", 1}, .seq = 1, .text = {text, strlen(text)}, .source = {"ledger", 6}};
    tlx_buf_t frame = TLX_BUF_INIT;
    assert_int_equal(tlx_envelope_encode(&env, &frame), 0);
    tlx_enricher_job_t job = {.env = frame.data,
                              .env_len = frame.len,
                              .id = "a-1",
                              .id_len = 3,
                              .revision = 1,
                              .received_at = 1716800000000ULL,
                              .want_terms = want_terms};
    tlx_enricher_out_t out;
    tlx_arena_reset(f->arena);
    assert_int_equal(tlx_enricher_process(f->tx, f->arena, &job, &out), 0);
    tlx_buf_free(&frame);
    *h = out.hints;
    *rec_len = out.rec_len;
    return out.rec;
}

static void test_terms_are_the_body_terms(void **state)
{
    fix_t *f = *state;
    /* the body the pipeline keeps, from the pipeline itself */
    tlx_arena_t *a = tlx_arena_new(1 << 16);
    assert_non_null(a);
    tlx_record_t rec;
    tlx_text_opts_t o = {.source = "ledger", .received_at_ms = 1716800000000LL};
    assert_int_equal(tlx_text_process(f->tx, s_english, strlen(s_english), &o, a, &rec), 0);
    tlx_strv_t terms;
    assert_int_equal(tlx_keywords_terms(rec.body, rec.body_len, a, &terms), 0);
    assert_true(terms.n > 10);

    tlx_commit_hints_t h;
    size_t len, len2;
    char *packed = s_process(f, s_english, 1, &h, &len);
    assert_true(h.has_fp);
    assert_non_null(h.terms);
    size_t off = 0;
    for (uint32_t i = 0; i < terms.n; i++) {
        assert_true(off < h.terms_len);
        assert_string_equal(h.terms + off, terms.v[i]);
        off += strlen(terms.v[i]) + 1;
    }
    assert_int_equal(off, h.terms_len);

    /* not asked: no terms, and the same record (but for processed_at, the
       clock: compared by length) */
    char *packed2 = s_process(f, s_english, 0, &h, &len2);
    assert_null(h.terms);
    assert_int_equal(h.terms_len, 0);
    assert_non_null(packed2);
    assert_int_equal(len2, len);
    free(packed);
    free(packed2);
    tlx_arena_destroy(&a);
}

static void test_no_terms_for_other_languages(void **state)
{
    fix_t *f = *state;
    tlx_commit_hints_t h;
    size_t len;
    char *packed = s_process(f, s_german, 1, &h, &len);
    assert_true(h.has_fp); /* fingerprints for every language */
    assert_null(h.terms);
    free(packed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_terms_are_the_body_terms),
        cmocka_unit_test(test_no_terms_for_other_languages),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
