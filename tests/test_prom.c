/* SPDX-License-Identifier: Apache-2.0 */
/*  test_prom.c -- Prometheus text parser, lookups, quantiles, deltas, and
    the HTTP GET against a real socket served by a thread in this process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tlx_prom.h"

/* A page as telexd writes it, plus the oddities the format allows and a few
   lines it does not (marked BAD). */
static const char s_page[] =
    "# HELP telex_received_total Envelopes received on the front socket.\n"
    "# TYPE telex_received_total counter\n"
    "telex_received_total 1027\n"
    "# HELP telex_rejected_total Envelopes rejected, by reason.\n"
    "# TYPE telex_rejected_total counter\n"
    "telex_rejected_total{reason=\"not_msgpack\"} 3\n"
    "telex_rejected_total{reason=\"too_big\"} 2 1700000000000\n" /* with a timestamp */
    "telex_rejected_total { reason = \"bad_utf8\" , } 1\n"       /* blanks and a trailing comma */
    "# TYPE telex_source_received_total counter\n"
    "telex_source_received_total{source=\"dailynk\"} 700\n"
    "telex_source_received_total{source=\"say \\\"hi\\\"\\\\ \\nnow\"} 5\n" /* escapes \" \\ \n */
    "telex_source_received_total{source=\"_other\"} 322\r\n"                /* CRLF */
    "# TYPE telex_ready gauge\n"
    "telex_ready 1\n"
    "telex_map_used_bytes 1.5e9\n"
    "telex_odd_gauge{kind=\"nan\"} NaN\n"
    "telex_odd_gauge{kind=\"pinf\"} +Inf\n"
    "telex_odd_gauge{kind=\"minf\"} -Inf\n"
    "telex_build_info{version=\"0.2.0-rc1\",commit=\"abc\"} 1\n"
    "\n"
    "   \t\n"
    "# a free comment { with \"braces\n"
    "# TYPE telex_commit_seconds histogram\n"
    "telex_commit_seconds_bucket{le=\"0.001\"} 0\n"
    "telex_commit_seconds_bucket{le=\"0.01\"} 50\n"
    "telex_commit_seconds_bucket{le=\"0.1\"} 90\n"
    "telex_commit_seconds_bucket{le=\"1\"} 100\n"
    "telex_commit_seconds_bucket{le=\"+Inf\"} 100\n"
    "telex_commit_seconds_sum 4.5\n"
    "telex_commit_seconds_count 100\n"
    "telex_bad_value 12abc\n"         /* BAD: value */
    "telex_no_value\n"                /* BAD: no value */
    "telex_unclosed{a=\"b\" 1\n"      /* BAD: no } */
    "telex_unquoted{a=b} 1\n"         /* BAD: unquoted value */
    "telex_dup{a=\"1\",a=\"2\"} 1\n"  /* BAD: duplicate label */
    "telex_bad_escape{a=\"\\x\"} 1\n" /* BAD: unknown escape */
    "9starts_with_digit 1\n"          /* BAD: name */
    "telex_trailing 1 2 3\n"          /* BAD: junk after the timestamp */
    "telex_float_ts 1 1.5\n"          /* BAD: timestamp is not an integer */
    "telex_last_line_no_newline 42";

/* cmocka 1.1 has no assert_double_equal */
#define assert_near(got, want)                                                                               \
    do {                                                                                                     \
        double g_ = (got), w_ = (want);                                                                      \
        if (!(fabs(g_ - w_) <= 1e-12))                                                                       \
            fail_msg("%s = %.17g, want %.17g", #got, g_, w_);                                                \
    } while (0)

static tlx_prom_t *s_parse(const char *text)
{
    tlx_prom_t *p = NULL;
    assert_int_equal(tlx_prom_parse(text, strlen(text), &p), 0);
    assert_non_null(p);
    return p;
}

static double s_val(const tlx_prom_t *p, const char *name, const char *k, const char *v)
{
    double x = -12345;
    assert_int_equal(tlx_prom_get(p, name, k, v, &x), 0);
    return x;
}

static double s_q(const tlx_prom_t *p, const char *base, double q)
{
    double x = -12345;
    assert_int_equal(tlx_prom_quantile(p, base, q, &x), 0);
    return x;
}

/* ---- parser ------------------------------------------------------------------ */

static void test_parse_fixture(void **state)
{
    (void)state;
    tlx_prom_t *p = s_parse(s_page);
    assert_int_equal(tlx_prom_count(p), 21);
    assert_int_equal(tlx_prom_bad_lines(p), 9);

    const tlx_prom_sample_t *s = tlx_prom_sample(p, 0);
    assert_string_equal(s->name, "telex_received_total");
    assert_int_equal(s->nlabels, 0);
    assert_null(s->labels);
    assert_true(s->value == 1027);

    assert_true(s_val(p, "telex_received_total", NULL, NULL) == 1027);
    assert_true(s_val(p, "telex_rejected_total", "reason", "not_msgpack") == 3);
    assert_true(s_val(p, "telex_rejected_total", "reason", "too_big") == 2); /* timestamp ignored */
    assert_true(s_val(p, "telex_rejected_total", "reason", "bad_utf8") == 1);
    assert_true(s_val(p, "telex_source_received_total", "source", "_other") == 322);
    assert_true(s_val(p, "telex_source_received_total", "source", "say \"hi\"\\ \nnow") == 5);
    assert_true(s_val(p, "telex_map_used_bytes", NULL, NULL) == 1.5e9);
    assert_true(isnan(s_val(p, "telex_odd_gauge", "kind", "nan")));
    assert_true(isinf(s_val(p, "telex_odd_gauge", "kind", "pinf")) &&
                s_val(p, "telex_odd_gauge", "kind", "pinf") > 0);
    assert_true(isinf(s_val(p, "telex_odd_gauge", "kind", "minf")) &&
                s_val(p, "telex_odd_gauge", "kind", "minf") < 0);
    assert_true(s_val(p, "telex_last_line_no_newline", NULL, NULL) == 42);

    /* labels keep page order and are decoded */
    int found = 0;
    for (size_t i = 0; i < tlx_prom_count(p); i++) {
        s = tlx_prom_sample(p, i);
        if (strcmp(s->name, "telex_build_info") == 0) {
            assert_int_equal(s->nlabels, 2);
            assert_string_equal(s->labels[0].key, "version");
            assert_string_equal(s->labels[0].value, "0.2.0-rc1");
            assert_string_equal(s->labels[1].key, "commit");
            assert_string_equal(s->labels[1].value, "abc");
            found = 1;
        }
        assert_null(strstr(s->name, "bad"));
        assert_null(strstr(s->name, "unclosed"));
    }
    assert_true(found);
    assert_null(tlx_prom_sample(p, 21));
    assert_string_equal(tlx_prom_label(p, "telex_build_info", "version"), "0.2.0-rc1");
    assert_null(tlx_prom_label(p, "telex_build_info", "nope"));
    assert_null(tlx_prom_label(p, "telex_nope", "version"));

    double x;
    assert_int_equal(tlx_prom_get(p, "telex_nope", NULL, NULL, &x), TLX_ENOTFOUND);
    assert_int_equal(tlx_prom_get(p, "telex_rejected_total", "reason", "nope", &x), TLX_ENOTFOUND);
    assert_int_equal(tlx_prom_get(p, "telex_received_total", "reason", NULL, &x), TLX_ENOTFOUND);
    assert_int_equal(tlx_prom_get(p, "telex_rejected_total", "reason", NULL, &x), 0); /* any value */
    assert_true(x == 3);

    assert_int_equal(tlx_prom_sum(p, "telex_rejected_total", &x), 0);
    assert_true(x == 6);
    assert_int_equal(tlx_prom_sum(p, "telex_source_received_total", &x), 0);
    assert_true(x == 1027);
    assert_int_equal(tlx_prom_sum(p, "telex_nope", &x), TLX_ENOTFOUND);

    tlx_prom_destroy(&p);
    assert_null(p);
    tlx_prom_destroy(&p); /* twice is fine */
}

static void test_parse_edges(void **state)
{
    (void)state;
    tlx_prom_t *p = NULL;
    /* empty and comment-only pages: empty sets, not errors */
    assert_int_equal(tlx_prom_parse("", 0, &p), 0);
    assert_int_equal(tlx_prom_count(p), 0);
    assert_int_equal(tlx_prom_bad_lines(p), 0);
    tlx_prom_destroy(&p);
    p = s_parse("# HELP x y\n# TYPE x counter\n\n");
    assert_int_equal(tlx_prom_count(p), 0);
    tlx_prom_destroy(&p);

    /* not NUL-terminated: only len bytes count */
    const char buf[] = {'a', ' ', '1', '2', 'X'};
    assert_int_equal(tlx_prom_parse(buf, 4, &p), 0);
    assert_int_equal(tlx_prom_count(p), 1);
    assert_true(s_val(p, "a", NULL, NULL) == 12);
    tlx_prom_destroy(&p);

    /* a NUL inside a line makes it bad, the rest survives */
    const char nul[] = "a 1\nb\0c 2\nc 3\n";
    assert_int_equal(tlx_prom_parse(nul, sizeof nul - 1, &p), 0);
    assert_int_equal(tlx_prom_count(p), 2);
    assert_int_equal(tlx_prom_bad_lines(p), 1);
    assert_true(s_val(p, "c", NULL, NULL) == 3);
    tlx_prom_destroy(&p);

    /* label bound: 32 labels fine, 33 a bad line */
    char line[1024];
    for (int n = 32; n <= 33; n++) {
        size_t o = (size_t)snprintf(line, sizeof line, "m{");
        for (int i = 0; i < n; i++)
            o += (size_t)snprintf(line + o, sizeof line - o, "%sl%d=\"%d\"", i ? "," : "", i, i);
        snprintf(line + o, sizeof line - o, "} 7\n");
        p = s_parse(line);
        assert_int_equal(tlx_prom_count(p), n == 32 ? 1 : 0);
        assert_int_equal(tlx_prom_bad_lines(p), n == 32 ? 0 : 1);
        if (n == 32) {
            assert_int_equal(tlx_prom_sample(p, 0)->nlabels, 32);
            assert_string_equal(tlx_prom_sample(p, 0)->labels[31].value, "31");
        }
        tlx_prom_destroy(&p);
    }

    /* line bound: an over-long line is bad, its neighbours are not */
    size_t big = TLX_PROM_MAX_LINE + 100;
    char *text = malloc(big + 32);
    assert_non_null(text);
    size_t o = (size_t)sprintf(text, "a 1\nlong{v=\"");
    memset(text + o, 'x', big);
    o += big;
    o += (size_t)sprintf(text + o, "\"} 1\nb 2\n");
    assert_int_equal(tlx_prom_parse(text, o, &p), 0);
    assert_int_equal(tlx_prom_count(p), 2);
    assert_int_equal(tlx_prom_bad_lines(p), 1);
    tlx_prom_destroy(&p);
    free(text);

    /* size bound */
    text = calloc(1, TLX_PROM_MAX_BYTES + 1);
    assert_non_null(text);
    assert_int_equal(tlx_prom_parse(text, TLX_PROM_MAX_BYTES + 1, &p), TLX_ETOOBIG);
    assert_null(p);
    free(text);

    /* sample bound: TLX_PROM_MAX_SAMPLES + 1 series is refused, not truncated */
    size_t n = TLX_PROM_MAX_SAMPLES + 1;
    text = malloc(n * 4);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        memcpy(text + i * 4, "a 1\n", 4);
    assert_int_equal(tlx_prom_parse(text, n * 4, &p), TLX_ETOOBIG);
    assert_null(p);
    assert_int_equal(tlx_prom_parse(text, (n - 1) * 4, &p), 0);
    assert_int_equal(tlx_prom_count(p), TLX_PROM_MAX_SAMPLES);
    tlx_prom_destroy(&p);
    free(text);
}

/* ---- quantiles ------------------------------------------------------------------ */

static void test_quantile(void **state)
{
    (void)state;
    tlx_prom_t *p = s_parse(s_page);
    /* buckets 0.001:0  0.01:50  0.1:90  1:100  +Inf:100 */
    assert_near(s_q(p, "telex_commit_seconds", 0.5), 0.01);    /* rank 50, top of 0.01 */
    assert_near(s_q(p, "telex_commit_seconds", 0.25), 0.0055); /* half way 0.001..0.01 */
    assert_near(s_q(p, "telex_commit_seconds", 0.9), 0.1);
    assert_near(s_q(p, "telex_commit_seconds", 0.99), 0.91); /* 0.1 + 0.9 * 9/10 */
    assert_near(s_q(p, "telex_commit_seconds", 0.7), 0.055); /* 0.01 + 0.09 * 20/40 */
    assert_near(s_q(p, "telex_commit_seconds", 1.0), 1.0);
    assert_true(isinf(s_q(p, "telex_commit_seconds", 1.5)) && s_q(p, "telex_commit_seconds", 1.5) > 0);
    assert_true(isinf(s_q(p, "telex_commit_seconds", -0.1)) && s_q(p, "telex_commit_seconds", -0.1) < 0);
    assert_true(isnan(s_q(p, "telex_commit_seconds", NAN)));
    double x;
    assert_int_equal(tlx_prom_quantile(p, "telex_pipeline_seconds", 0.5, &x), TLX_ENOTFOUND);
    assert_int_equal(tlx_prom_quantile(p, "telex_commit", 0.5, &x), TLX_ENOTFOUND); /* the base, exactly */
    tlx_prom_destroy(&p);

    /* the lowest bucket starts at 0; a rank in +Inf answers the highest finite bound */
    p = s_parse("h_bucket{le=\"0.5\"} 10\nh_bucket{le=\"1\"} 10\nh_bucket{le=\"+Inf\"} 20\n");
    assert_near(s_q(p, "h", 0.25), 0.25);
    assert_near(s_q(p, "h", 0.99), 1.0);
    tlx_prom_destroy(&p);

    /* no observations, no +Inf bucket, a single bucket: NaN */
    p = s_parse("a_bucket{le=\"1\"} 0\na_bucket{le=\"+Inf\"} 0\n"
                "b_bucket{le=\"1\"} 5\nb_bucket{le=\"2\"} 9\n"
                "c_bucket{le=\"+Inf\"} 9\n");
    assert_true(isnan(s_q(p, "a", 0.5)));
    assert_true(isnan(s_q(p, "b", 0.5)));
    assert_true(isnan(s_q(p, "c", 0.5)));
    tlx_prom_destroy(&p);

    /* unsorted, non-monotonic (forced up), and two series summed by le */
    p = s_parse("m_bucket{le=\"+Inf\",w=\"1\"} 10\n"
                "m_bucket{le=\"0.2\",w=\"1\"} 8\n"
                "m_bucket{le=\"0.1\",w=\"1\"} 10\n"
                "m_bucket{le=\"0.1\",w=\"2\"} 0\n"
                "m_bucket{le=\"0.2\",w=\"2\"} 10\n"
                "m_bucket{le=\"+Inf\",w=\"2\"} 10\n");
    /* summed: 0.1:10  0.2:18  +Inf:20; rank 10 -> top of 0.1; rank 15 -> 0.1 + 0.1 * 5/8 */
    assert_near(s_q(p, "m", 0.5), 0.1);
    assert_near(s_q(p, "m", 0.75), 0.1625);
    tlx_prom_destroy(&p);
    p = s_parse("n_bucket{le=\"0.1\"} 10\nn_bucket{le=\"0.2\"} 8\nn_bucket{le=\"+Inf\"} 10\n");
    assert_near(s_q(p, "n", 0.5), 0.05); /* 0.2 forced to 10 */
    tlx_prom_destroy(&p);

    /* a lowest bound <= 0 is answered as is */
    p = s_parse("z_bucket{le=\"-1\"} 4\nz_bucket{le=\"+Inf\"} 8\n");
    assert_near(s_q(p, "z", 0.25), -1.0);
    tlx_prom_destroy(&p);
}

/* ---- deltas ------------------------------------------------------------------ */

static void test_delta(void **state)
{
    (void)state;
    tlx_prom_t *prev = s_parse("c_total 100\n"
                               "r_total{reason=\"x\",code=\"1\"} 5\n"
                               "reset_total 900\n"
                               "gone_total 7\n"
                               "h_bucket{le=\"0.01\"} 100\n"
                               "h_bucket{le=\"0.1\"} 100\n"
                               "h_bucket{le=\"1\"} 100\n"
                               "h_bucket{le=\"+Inf\"} 100\n");
    tlx_prom_t *cur = s_parse("c_total 160\n"
                              "r_total{code=\"1\",reason=\"x\"} 8\n" /* same series, other label order */
                              "r_total{reason=\"x\",code=\"2\"} 4\n" /* new series */
                              "reset_total 30\n"                     /* went down: restarted */
                              "h_bucket{le=\"0.01\"} 100\n"
                              "h_bucket{le=\"0.1\"} 100\n"
                              "h_bucket{le=\"1\"} 200\n"
                              "h_bucket{le=\"+Inf\"} 200\n");
    tlx_prom_t *d = NULL;
    assert_int_equal(tlx_prom_delta(prev, cur, &d), 0);
    /* the delta owns its strings: the inputs can go first */
    tlx_prom_destroy(&prev);
    assert_int_equal(tlx_prom_count(d), 8);
    assert_true(s_val(d, "c_total", NULL, NULL) == 60);
    assert_true(s_val(d, "r_total", "code", "1") == 3);
    assert_true(s_val(d, "r_total", "code", "2") == 4);
    assert_true(s_val(d, "reset_total", NULL, NULL) == 30);
    double x;
    assert_int_equal(tlx_prom_get(d, "gone_total", NULL, NULL, &x), TLX_ENOTFOUND);
    assert_int_equal(tlx_prom_sum(d, "r_total", &x), 0);
    assert_true(x == 7);
    /* over the interval every new observation was in (0.1, 1]: p50 = 0.1 + 0.9/2 */
    assert_near(s_q(d, "h", 0.5), 0.55);
    /* cumulatively half of them are <= 0.01 */
    assert_near(s_q(cur, "h", 0.5), 0.01);
    const tlx_prom_sample_t *s = tlx_prom_sample(d, 1);
    assert_string_equal(s->name, "r_total");
    assert_int_equal(s->nlabels, 2);
    assert_string_equal(s->labels[0].key, "code"); /* cur's order */
    tlx_prom_destroy(&cur);
    assert_string_equal(s->labels[1].value, "x");
    tlx_prom_destroy(&d);

    /* no previous scrape: the delta is the current set */
    cur = s_parse(s_page);
    assert_int_equal(tlx_prom_delta(NULL, cur, &d), 0);
    assert_int_equal(tlx_prom_count(d), tlx_prom_count(cur));
    assert_true(s_val(d, "telex_source_received_total", "source", "say \"hi\"\\ \nnow") == 5);
    assert_near(s_q(d, "telex_commit_seconds", 0.99), 0.91);
    tlx_prom_destroy(&d);
    /* a set against itself: all zero, and a histogram with no observations */
    assert_int_equal(tlx_prom_delta(cur, cur, &d), 0);
    assert_true(s_val(d, "telex_received_total", NULL, NULL) == 0);
    assert_true(isnan(s_q(d, "telex_commit_seconds", 0.5)));
    tlx_prom_destroy(&d);
    tlx_prom_destroy(&cur);
}

/* ---- fetch against a real socket ------------------------------------------------- */

typedef struct {
    int lfd, port;
    const char *resp;
    size_t len;
    int trickle; /* send one byte at a time */
    int hold_ms; /* wait before answering */
    char req[2048];
} s_server_t;

static void s_listen(s_server_t *sv)
{
    sv->lfd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(sv->lfd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(sv->lfd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(sv->lfd, 4), 0);
    socklen_t sl = sizeof a;
    assert_int_equal(getsockname(sv->lfd, (struct sockaddr *)&a, &sl), 0);
    sv->port = ntohs(a.sin_port);
}

static void *s_serve(void *arg)
{
    s_server_t *sv = arg;
    int fd = accept(sv->lfd, NULL, NULL);
    if (fd < 0)
        return NULL;
    size_t n = 0;
    while (n < sizeof sv->req - 1 && !strstr(sv->req, "\r\n\r\n")) {
        ssize_t r = recv(fd, sv->req + n, sizeof sv->req - 1 - n, 0);
        if (r <= 0)
            break;
        n += (size_t)r;
        sv->req[n] = '\0';
    }
    if (sv->hold_ms)
        usleep((useconds_t)sv->hold_ms * 1000);
    if (sv->trickle) {
        for (size_t i = 0; i < sv->len; i++) {
            if (send(fd, sv->resp + i, 1, MSG_NOSIGNAL) != 1)
                break;
            if (i < 200)
                usleep(200);
        }
    } else if (sv->len)
        (void)!send(fd, sv->resp, sv->len, MSG_NOSIGNAL);
    close(fd);
    return NULL;
}

/* Serves `resp` once and fetches /metrics from it. */
static int s_fetch(s_server_t *sv, int timeout_ms, char **body, size_t *len, char *err, size_t errlen)
{
    s_listen(sv);
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, s_serve, sv), 0);
    int rc = tlx_prom_fetch("127.0.0.1", sv->port, "/metrics", timeout_ms, body, len, err, errlen);
    pthread_join(t, NULL);
    close(sv->lfd);
    return rc;
}

static char *s_response(const char *head, const char *body, int with_length)
{
    size_t n = strlen(head) + strlen(body) + 64;
    char *r = malloc(n);
    assert_non_null(r);
    if (with_length)
        snprintf(r, n, "%sContent-Length: %zu\r\n\r\n%s", head, strlen(body), body);
    else
        snprintf(r, n, "%s\r\n%s", head, body);
    return r;
}

static void test_fetch_ok(void **state)
{
    (void)state;
    for (int mode = 0; mode < 3; mode++) {
        /* 0: Content-Length, 1: read to EOF, 2: Content-Length one byte at a time */
        char *resp =
            s_response("HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n", s_page, mode != 1);
        s_server_t sv = {.resp = resp, .len = strlen(resp), .trickle = mode == 2};
        char *body = NULL, err[256];
        size_t len = 0;
        assert_int_equal(s_fetch(&sv, 5000, &body, &len, err, sizeof err), 0);
        assert_int_equal(len, strlen(s_page));
        assert_memory_equal(body, s_page, len);
        assert_int_equal(body[len], '\0');
        assert_true(strncmp(sv.req, "GET /metrics HTTP/1.0\r\n", 23) == 0);
        char host[64];
        snprintf(host, sizeof host, "\r\nHost: 127.0.0.1:%d\r\n", sv.port);
        assert_non_null(strstr(sv.req, host));
        tlx_prom_t *p = s_parse(body);
        assert_true(s_val(p, "telex_received_total", NULL, NULL) == 1027);
        tlx_prom_destroy(&p);
        free(body);
        free(resp);
    }

    /* bytes after Content-Length are not part of the body */
    const char *extra = "HTTP/1.0 200 OK\r\nContent-Length: 4\r\n\r\na 1\nJUNK";
    s_server_t sv = {.resp = extra, .len = strlen(extra)};
    char *body = NULL, err[256];
    size_t len = 0;
    assert_int_equal(s_fetch(&sv, 5000, &body, &len, err, sizeof err), 0);
    assert_int_equal(len, 4);
    assert_string_equal(body, "a 1\n");
    free(body);

    /* an empty 200 is an empty page */
    const char *empty = "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n";
    sv = (s_server_t){.resp = empty, .len = strlen(empty)};
    assert_int_equal(s_fetch(&sv, 5000, &body, &len, err, sizeof err), 0);
    assert_int_equal(len, 0);
    assert_string_equal(body, "");
    free(body);
}

static void test_fetch_errors(void **state)
{
    (void)state;
    char *body = (char *)1, err[256];
    size_t len = 99;

    /* not 200: the status line is the error */
    const char *nf = "HTTP/1.0 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found";
    s_server_t sv = {.resp = nf, .len = strlen(nf)};
    assert_int_equal(s_fetch(&sv, 5000, &body, &len, err, sizeof err), TLX_EMALFORMED);
    assert_string_equal(err, "HTTP/1.0 404 Not Found");
    assert_null(body);
    assert_int_equal(len, 0);

    const char *ise = "HTTP/1.1 500 Internal Server Error\r\n\r\n";
    sv = (s_server_t){.resp = ise, .len = strlen(ise)};
    assert_int_equal(s_fetch(&sv, 5000, &body, &len, err, sizeof err), TLX_EMALFORMED);
    assert_string_equal(err, "HTTP/1.1 500 Internal Server Error");

    /* cut short */
    const char *cut = "HTTP/1.0 200 OK\r\nContent-Length: 100\r\n\r\nonly this";
    sv = (s_server_t){.resp = cut, .len = strlen(cut)};
    assert_int_equal(s_fetch(&sv, 5000, &body, &len, err, sizeof err), TLX_EMALFORMED);
    assert_string_equal(err, "the body was cut short: 9 of 100 bytes");
    assert_null(body);

    /* over the cap, announced */
    char big[128];
    snprintf(big, sizeof big, "HTTP/1.0 200 OK\r\nContent-Length: %zu\r\n\r\n", TLX_PROM_MAX_BYTES + 1);
    sv = (s_server_t){.resp = big, .len = strlen(big)};
    assert_int_equal(s_fetch(&sv, 5000, &body, &len, err, sizeof err), TLX_ETOOBIG);

    /* chunked and not-HTTP answers */
    const char *chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\na 1\n\r\n0\r\n\r\n";
    sv = (s_server_t){.resp = chunked, .len = strlen(chunked)};
    assert_int_equal(s_fetch(&sv, 5000, &body, &len, err, sizeof err), TLX_EMALFORMED);
    assert_string_equal(err, "chunked transfer encoding is not supported");
    const char *junk = "SSH-2.0-OpenSSH_9.2\r\n\r\n";
    sv = (s_server_t){.resp = junk, .len = strlen(junk)};
    assert_int_equal(s_fetch(&sv, 5000, &body, &len, err, sizeof err), TLX_EMALFORMED);
    assert_string_equal(err, "not an HTTP answer: SSH-2.0-OpenSSH_9.2");
    sv = (s_server_t){.resp = "", .len = 0};
    assert_int_equal(s_fetch(&sv, 5000, &body, &len, err, sizeof err), TLX_EMALFORMED);
    assert_string_equal(err, "the connection closed without an answer");

    /* no answer in time */
    const char *late = "HTTP/1.0 200 OK\r\n\r\na 1\n";
    sv = (s_server_t){.resp = late, .len = strlen(late), .hold_ms = 600};
    assert_int_equal(s_fetch(&sv, 150, &body, &len, err, sizeof err), TLX_EAGAIN);
    assert_string_equal(err, "timed out after 150 ms");
    assert_null(body);

    /* connection refused: a port that was bound and closed, nobody listening */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t sl = sizeof a;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &sl), 0);
    close(fd);
    assert_int_equal(
        tlx_prom_fetch("127.0.0.1", ntohs(a.sin_port), "/metrics", 2000, &body, &len, err, sizeof err),
        TLX_EIO);
    assert_string_equal(err, "Connection refused");
    assert_null(body);

    /* bad arguments */
    assert_int_equal(tlx_prom_fetch("127.0.0.1", 0, "/metrics", 100, &body, &len, err, sizeof err),
                     TLX_EINVAL);
    assert_int_equal(tlx_prom_fetch("", 80, "/metrics", 100, &body, &len, NULL, 0), TLX_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_fixture), cmocka_unit_test(test_parse_edges),
        cmocka_unit_test(test_quantile),      cmocka_unit_test(test_delta),
        cmocka_unit_test(test_fetch_ok),      cmocka_unit_test(test_fetch_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
