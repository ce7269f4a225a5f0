/* SPDX-License-Identifier: Apache-2.0 */
/*  test_metric_names.c -- the shared metric name table: every enum value has
    a distinct, well-formed name and help text, and telexd's /metrics page
    (tlx_metrics_render) carries every name that `telex top` looks up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tlx_buf.h"
#include "tlx_metric_names.h"
#include "tlx_metrics.h"

static int s_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void test_every_counter_named(void **state)
{
    (void)state;
    for (int i = 0; i < TLX_M__COUNTERS; i++) {
        const char *n = tlx_metric_counter_name((tlx_counter_t)i);
        assert_non_null(n);
        assert_int_equal(strncmp(n, "telex_", 6), 0);
        assert_true(s_ends_with(n, "_total"));
        assert_non_null(tlx_metric_counter_help((tlx_counter_t)i));
        for (int k = 0; k < i; k++)
            assert_string_not_equal(n, tlx_metric_counter_name((tlx_counter_t)k));
    }
    assert_string_equal(tlx_metric_counter_name(TLX_M_RECEIVED), "telex_received_total");
    assert_string_equal(tlx_metric_counter_name(TLX_M_GROWS), "telex_map_grows_total");
    assert_null(tlx_metric_counter_name(TLX_M__COUNTERS));
    assert_null(tlx_metric_counter_help((tlx_counter_t)-1));
}

static void test_every_gauge_and_histogram_named(void **state)
{
    (void)state;
    for (int i = 0; i < TLX_M__GAUGES; i++) {
        const char *n = tlx_metric_gauge_name((tlx_gauge_t)i);
        assert_non_null(n);
        assert_int_equal(strncmp(n, "telex_", 6), 0);
        assert_false(s_ends_with(n, "_total"));
        assert_non_null(tlx_metric_gauge_help((tlx_gauge_t)i));
        for (int k = 0; k < i; k++)
            assert_string_not_equal(n, tlx_metric_gauge_name((tlx_gauge_t)k));
        for (int k = 0; k < TLX_M__COUNTERS; k++)
            assert_string_not_equal(n, tlx_metric_counter_name((tlx_counter_t)k));
    }
    for (int i = 0; i < TLX_M__HISTOGRAMS; i++) {
        const char *n = tlx_metric_histogram_name((tlx_histogram_t)i);
        assert_non_null(n);
        assert_true(s_ends_with(n, "_seconds"));
        assert_non_null(tlx_metric_histogram_help((tlx_histogram_t)i));
    }
    assert_string_equal(tlx_metric_gauge_name(TLX_G_INBOX), "telex_inbox_depth");
    assert_null(tlx_metric_gauge_name(TLX_M__GAUGES));
    assert_null(tlx_metric_histogram_name(TLX_M__HISTOGRAMS));
}

/*  The page telexd serves carries a TYPE line for every name in the table. */
static void test_render_uses_the_table(void **state)
{
    (void)state;
    tlx_metrics_t *m = tlx_metrics_new();
    assert_non_null(m);
    tlx_metrics_add(m, TLX_M_RECEIVED, 3);
    tlx_metrics_source(m, "wire", 4, 0);
    tlx_metrics_source(m, "wire", 4, 1);
    tlx_buf_t b = TLX_BUF_INIT;
    assert_int_equal(tlx_metrics_render(m, &b), 0);
    assert_int_equal(tlx_buf_append(&b, "", 1), 0);
    const char *page = b.data;
    char line[160];
    for (int i = 0; i < TLX_M__COUNTERS; i++) {
        snprintf(line, sizeof line, "# TYPE %s counter\n", tlx_metric_counter_name((tlx_counter_t)i));
        assert_non_null(strstr(page, line));
    }
    for (int i = 0; i < TLX_M__GAUGES; i++) {
        snprintf(line, sizeof line, "# TYPE %s gauge\n", tlx_metric_gauge_name((tlx_gauge_t)i));
        assert_non_null(strstr(page, line));
    }
    for (int i = 0; i < TLX_M__HISTOGRAMS; i++) {
        snprintf(line, sizeof line, "# TYPE %s histogram\n", tlx_metric_histogram_name((tlx_histogram_t)i));
        assert_non_null(strstr(page, line));
    }
    assert_non_null(strstr(page, "telex_received_total 3\n"));
    assert_non_null(strstr(page, "# TYPE " TLX_METRIC_BUILD_INFO " gauge\n"));
    assert_non_null(strstr(page, TLX_METRIC_SOURCE_RECEIVED "{source=\"wire\"} 1\n"));
    assert_non_null(strstr(page, TLX_METRIC_SOURCE_PROCESSED "{source=\"wire\"} 1\n"));
    tlx_buf_free(&b);
    tlx_metrics_destroy(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_counter_named),
        cmocka_unit_test(test_every_gauge_and_histogram_named),
        cmocka_unit_test(test_render_uses_the_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
