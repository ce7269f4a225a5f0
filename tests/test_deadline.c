/*  test_deadline.c -- the per-thread processing deadline (tlx_deadline.h)
    and the article deadline inside the stages: with no deadline nothing
    ever stops; a deadline that passes stops the stage that checks next,
    and every later check; an article whose pipeline outlasts
    article_timeout_ms is stopped inside a stage and fails with stage
    "timeout" and a reason that names where it was stopped (the real text
    pipeline and a long article).  No timed assertions: the outcomes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tlx_arena.h"
#include "tlx_buf.h"
#include "tlx_deadline.h"
#include "tlx_enricher.h"
#include "tlx_proto.h"
#include "tlx_text.h"

static void test_no_deadline(void **state)
{
    (void)state;
    tlx_deadline_start(0);
    for (int i = 0; i < 3 * TLX_DEADLINE_EVERY; i++)
        assert_false(tlx_deadline_due("normalize", 1));
    assert_false(tlx_deadline_due("ner", TLX_DEADLINE_EVERY));
    assert_null(tlx_deadline_stop());
    assert_false(tlx_deadline_due("ner", TLX_DEADLINE_EVERY)); /* stopped: none */
}

static void test_passes(void **state)
{
    (void)state;
    tlx_deadline_start(1);
    unsigned long calls = 0;
    while (!tlx_deadline_due("structure", 1))
        calls++;                                  /* the clock moves on: it passes */
    assert_true(calls >= TLX_DEADLINE_EVERY - 1); /* the clock is read once per TLX_DEADLINE_EVERY units */
    /* every later check says so at once, whatever the stage */
    assert_true(tlx_deadline_due("quotes", 1));
    assert_true(tlx_deadline_due("keywords", 1));
    assert_string_equal(tlx_deadline_stop(), "structure"); /* the stage that noticed */
    assert_null(tlx_deadline_stop());
    assert_false(tlx_deadline_due("structure", TLX_DEADLINE_EVERY));
    tlx_deadline_start(3600 * 1000); /* a new article: a fresh deadline, not passed */
    assert_false(tlx_deadline_due("structure", TLX_DEADLINE_EVERY));
    assert_null(tlx_deadline_stop());
}

/* About `bytes` of news-like English: sentences with names, numbers and
   quotations in paragraphs, so every stage has work. */
static char *s_long_article(size_t bytes)
{
    static const char *const sentences[] = {
        "Kim Jong Un visited a factory in Sinuiju on Tuesday, state media said. ",
        "\"We will raise output by 20 percent this year,\" the manager told reporters. ",
        "Prices of rice rose to 5,000 won per kilogram in markets near the border. ",
        "A source in North Hamgyong Province said traders were worried about new rules. ",
        "The Ministry of Unification in Seoul declined to comment on the report. ",
    };
    char *t = malloc(bytes + 256);
    assert_non_null(t);
    size_t n = (size_t)snprintf(t, 256, "Factory visit draws attention\n\n");
    for (unsigned i = 0; n < bytes; i++) {
        const char *s = sentences[i % 5];
        size_t l = strlen(s);
        memcpy(t + n, s, l);
        n += l;
        if (i % 7 == 6)
            t[n++] = '\n', t[n++] = '\n';
    }
    t[n] = '\0';
    return t;
}

static void test_article_stopped_in_a_stage(void **state)
{
    (void)state;
    const char *err = NULL;
    tlx_text_t *tx = tlx_text_new(TLX_SOURCE_DIR "/data", &err);
    assert_non_null(tx);
    char *text = s_long_article((size_t)4 << 20);
    tlx_buf_t env = TLX_BUF_INIT;
    tlx_envelope_t e = {.v = 1, .producer = {"t", 1}, .seq = 1, .text = {text, strlen(text)}};
    assert_int_equal(tlx_envelope_encode(&e, &env), 0);
    tlx_arena_t *arena = tlx_arena_new(1 << 20);
    tlx_enricher_job_t job = {
        .env = env.data, .env_len = env.len, .id = "slow-1", .id_len = 6, .revision = 1, .received_at = 1000};
    tlx_enricher_out_t out;

    /* 4 MB through the whole pipeline takes far longer than 1 ms */
    tlx_enricher_set_deadline_ms(1);
    assert_int_equal(tlx_enricher_process(tx, arena, &job, &out), TLX_EAGAIN);
    assert_string_equal(out.stage, "timeout");
    assert_non_null(strstr(out.reason, "processing was stopped in stage "));
    assert_non_null(strstr(out.reason, "the limit is 1 ms (article_timeout_ms)"));
    assert_null(out.rec);
    assert_null(tlx_deadline_stop()); /* the worker ended it */

    /* without a deadline the same article is processed */
    tlx_enricher_set_deadline_ms(0);
    tlx_arena_reset(arena);
    assert_int_equal(tlx_enricher_process(tx, arena, &job, &out), 0);
    assert_non_null(out.rec);
    free(out.rec);

    tlx_arena_destroy(&arena);
    tlx_buf_free(&env);
    free(text);
    tlx_text_destroy(&tx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_deadline),
        cmocka_unit_test(test_passes),
        cmocka_unit_test(test_article_stopped_in_a_stage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
