/* SPDX-License-Identifier: Apache-2.0 */
/*  test_metrics.c -- the Prometheus rendering (counters, labels, the
    source cap, histograms), readiness, and the HTTP listener over a real
    socket (libmicrohttpd on an ephemeral port). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "tlx_http.h"
#include "tlx_metrics.h"

static char *s_render(const tlx_metrics_t *m)
{
    tlx_buf_t b = TLX_BUF_INIT;
    assert_int_equal(tlx_metrics_render(m, &b), 0);
    assert_int_equal(tlx_buf_putc(&b, '\0'), 0);
    return (char *)b.data;
}

/* The value of a series `name ` in the text, or -1. */
static double s_value(const char *t, const char *name)
{
    char key[96];
    snprintf(key, sizeof key, "\n%s ", name);
    const char *p = strstr(t, key);
    return p ? strtod(p + strlen(key), NULL) : -1;
}

/* process_* from /proc: present, typed, and consistent with what this
   process can see of itself (no timing: only bounds that always hold). */
static void test_process_metrics(void **state)
{
    (void)state;
    tlx_metrics_t *m = tlx_metrics_new();
    char *t = s_render(m);
    assert_non_null(strstr(t, "# TYPE process_cpu_seconds_total counter\n"));
    assert_non_null(strstr(t, "# TYPE process_resident_memory_bytes gauge\n"));
    double rss = s_value(t, "process_resident_memory_bytes"),
           vsz = s_value(t, "process_virtual_memory_bytes");
    assert_true(rss > 4096 && vsz >= rss);
    assert_true(s_value(t, "process_cpu_seconds_total") >= 0);
    double open_fds = s_value(t, "process_open_fds"), max_fds = s_value(t, "process_max_fds");
    assert_true(open_fds >= 3 && max_fds >= open_fds); /* stdin, stdout, stderr at least */
    double start = s_value(t, "process_start_time_seconds"), now = (double)time(NULL);
    assert_true(start > 1.5e9 && start <= now + 1);
    free(t);
    tlx_metrics_destroy(&m);
}

static void test_render(void **state)
{
    (void)state;
    tlx_metrics_t *m = tlx_metrics_new();
    tlx_metrics_add(m, TLX_M_RECEIVED, 3);
    tlx_metrics_add(m, TLX_M_ACCEPTED, 2);
    tlx_metrics_reject(m, TLX_REJ_TOO_BIG);
    tlx_metrics_set(m, TLX_G_INBOX, 42);
    tlx_metrics_source(m, "dailynk", 7, 0);
    tlx_metrics_source(m, "dailynk", 7, 1);
    tlx_metrics_source(m, "we\"ird\\", 7, 0);
    tlx_metrics_source(m, NULL, 0, 0);
    tlx_metrics_observe(m, TLX_H_COMMIT, 0.003);
    tlx_metrics_observe(m, TLX_H_COMMIT, 0.0004);
    tlx_metrics_observe(m, TLX_H_COMMIT, 99);
    char *t = s_render(m);
    const char *must[] = {
        "# TYPE telex_received_total counter\ntelex_received_total 3\n",
        "telex_accepted_total 2\n",
        "telex_rejected_total{reason=\"too_big\"} 1\n",
        "telex_rejected_total{reason=\"not_msgpack\"} 0\n",
        "# TYPE telex_inbox_depth gauge\ntelex_inbox_depth 42\n",
        "telex_source_received_total{source=\"dailynk\"} 1\n",
        "telex_source_processed_total{source=\"dailynk\"} 1\n",
        "telex_source_received_total{source=\"we\\\"ird\\\\\"} 1\n",
        "telex_source_received_total{source=\"_none\"} 1\n",
        "# TYPE telex_commit_seconds histogram\n",
        "telex_commit_seconds_bucket{le=\"0.0005\"} 1\n",
        "telex_commit_seconds_bucket{le=\"0.0025\"} 1\n",
        "telex_commit_seconds_bucket{le=\"0.005\"} 2\n",
        "telex_commit_seconds_bucket{le=\"10\"} 2\n",
        "telex_commit_seconds_bucket{le=\"+Inf\"} 3\n",
        "telex_commit_seconds_count 3\n",
        "telex_build_info{version=\"",
    };
    for (size_t i = 0; i < sizeof must / sizeof *must; i++)
        if (!strstr(t, must[i]))
            fail_msg("missing: %s", must[i]);
    assert_null(strstr(t, "_other")); /* not shown until used */
    free(t);
    tlx_metrics_destroy(&m);
}

static void test_source_cap(void **state)
{
    (void)state;
    tlx_metrics_t *m = tlx_metrics_new();
    char name[32];
    for (int i = 0; i < TLX_METRICS_SOURCES + 10; i++) {
        int n = snprintf(name, sizeof name, "site-%d", i);
        tlx_metrics_source(m, name, (size_t)n, 0);
    }
    tlx_metrics_source(m, "site-3", 6, 0); /* known names still count as themselves */
    char *t = s_render(m);
    assert_non_null(strstr(t, "telex_source_received_total{source=\"site-63\"} 1\n"));
    assert_non_null(strstr(t, "telex_source_received_total{source=\"site-3\"} 2\n"));
    assert_null(strstr(t, "source=\"site-64\""));
    assert_non_null(strstr(t, "telex_source_received_total{source=\"_other\"} 10\n"));
    free(t);
    tlx_metrics_destroy(&m);
}

static void test_ready(void **state)
{
    (void)state;
    tlx_metrics_t *m = tlx_metrics_new();
    char why[160];
    assert_false(tlx_metrics_ready(m, why, sizeof why));
    assert_string_equal(why, "starting");
    tlx_metrics_set(m, TLX_G_BOUND, 1);
    assert_true(tlx_metrics_ready(m, why, sizeof why));
    tlx_metrics_set(m, TLX_G_DISK_FULL, 1);
    tlx_metrics_set(m, TLX_G_DRAINING, 1);
    assert_false(tlx_metrics_ready(m, why, sizeof why));
    assert_string_equal(why, "draining; store not writable (disk full)");
    tlx_metrics_destroy(&m);
}

/* One HTTP/1.0 request over a plain socket; returns the whole response. */
static char *s_get(const char *addr, const char *request)
{
    char host[64];
    const char *colon = strrchr(addr, ':');
    snprintf(host, sizeof host, "%.*s", (int)(colon - addr), addr);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(colon + 1))};
    inet_pton(AF_INET, host, &sa.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(write(fd, request, strlen(request)), (ssize_t)strlen(request));
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    ssize_t n;
    while ((n = read(fd, buf + len, cap - len - 1)) > 0)
        len += (size_t)n;
    buf[len] = '\0';
    close(fd);
    return buf;
}

static void test_http(void **state)
{
    (void)state;
    tlx_metrics_t *m = tlx_metrics_new();
    char bound[128], err[256];
    assert_null(tlx_http_start("nonsense", m, bound, sizeof bound, err, sizeof err));
    assert_non_null(strstr(err, "not HOST:PORT"));
    tlx_http_t *h = tlx_http_start("127.0.0.1:0", m, bound, sizeof bound, err, sizeof err);
    assert_non_null(h);
    assert_true(strncmp(bound, "127.0.0.1:", 10) == 0 && atoi(bound + 10) > 0);

    /* a second listener on the same port fails with a reason */
    char bound2[128];
    assert_null(tlx_http_start(bound, m, bound2, sizeof bound2, err, sizeof err));
    assert_non_null(strstr(err, "cannot listen"));

    char *r = s_get(bound, "GET /health HTTP/1.0\r\n\r\n");
    assert_non_null(strstr(r, " 200 "));
    assert_non_null(strstr(r, "\r\n\r\nok\n"));
    free(r);
    r = s_get(bound, "GET /ready HTTP/1.0\r\n\r\n");
    assert_non_null(strstr(r, " 503 "));
    assert_non_null(strstr(r, "not ready: starting"));
    free(r);
    tlx_metrics_set(m, TLX_G_BOUND, 1);
    tlx_metrics_add(m, TLX_M_PROCESSED, 9);
    r = s_get(bound, "GET /ready HTTP/1.0\r\n\r\n");
    assert_non_null(strstr(r, " 200 "));
    free(r);
    r = s_get(bound, "GET /metrics HTTP/1.0\r\n\r\n");
    assert_non_null(strstr(r, "Content-Type: text/plain; version=0.0.4"));
    assert_non_null(strstr(r, "\ntelex_processed_total 9\n"));
    free(r);
    r = s_get(bound, "POST /metrics HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc");
    assert_non_null(strstr(r, " 405 "));
    free(r);
    r = s_get(bound, "GET /../etc/passwd HTTP/1.0\r\n\r\n");
    assert_non_null(strstr(r, " 404 "));
    free(r);
    r = s_get(bound, "garbage\r\n\r\n");
    assert_null(strstr(r, " 200 "));
    free(r);
    tlx_http_stop(&h);
    assert_null(h);
    tlx_metrics_destroy(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render),     cmocka_unit_test(test_process_metrics),
        cmocka_unit_test(test_source_cap), cmocka_unit_test(test_ready),
        cmocka_unit_test(test_http),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
