/* SPDX-License-Identifier: Apache-2.0 */
/*  telex top -- a live view of a running telexd, read from its /metrics.

    Each frame is two scrapes of the Prometheus page: counters become rates
    (increase / seconds between the scrapes, by tlx_prom_delta(), so a
    daemon restart reads as a reset, not a negative rate) and the latency
    histograms become p50/p99 over the same interval (quantiles of the
    bucket increases).  The first frame has no previous scrape: its rates
    are averages since telexd started and its latencies cumulative.

    On a terminal the screen is redrawn in place (cursor home, each line
    cleared to its end, the rest of the screen cleared: no flicker) and the
    tty is in non-canonical, no-echo mode so `q` quits without Enter; ISIG
    stays on, so Ctrl-C is a signal.  The terminal is restored on every way
    out: q, SIGINT/SIGTERM/SIGHUP/SIGQUIT, exit() (atexit), and around
    Ctrl-Z.  Anywhere else (a pipe, --once, --json) it prints one JSON
    object from two scrapes `interval` apart.

    Rejected: curses -- a dependency and a full-screen takeover for one
    fixed layout; the alternate screen -- the last frame stays readable in
    the scrollback after quitting.
*/
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "telex_cli.h"
#include "tlx_buf.h"
#include "tlx_json.h"
#include "tlx_metric_names.h"
#include "tlx_prom.h"
#include "tlx_proto.h"

#define S_DEFAULT_ENDPOINT "127.0.0.1:9464"
#define S_FETCH_TIMEOUT_MS 3000

/* ---- where telexd is -------------------------------------------------------- */

typedef struct {
    char host[256];
    int port;
    char path[512];
    char shown[1024]; /* for messages: HOST:PORT, plus the path when it is not /metrics */
} s_endpoint_t;

/*  HOST:PORT, [V6]:PORT or http://HOST[:PORT][/PATH].  Returns 0, or -1
    with a reason in why. */
static int s_parse_endpoint(const char *spec, s_endpoint_t *ep, char *why, size_t whylen)
{
    while (*spec == ' ' || *spec == '\t')
        spec++;
    size_t n = strlen(spec);
    while (n && strchr(" \t\r\n", spec[n - 1]))
        n--;
    char tmp[1024];
    if (n == 0 || n >= sizeof tmp) {
        snprintf(why, whylen, n ? "too long" : "empty");
        return -1;
    }
    memcpy(tmp, spec, n);
    tmp[n] = '\0';
    char *hp = tmp;
    int url = 0;
    if (strncasecmp(hp, "http://", 7) == 0) {
        hp += 7;
        url = 1;
    } else if (strstr(hp, "://")) {
        snprintf(why, whylen, "only http:// URLs are supported");
        return -1;
    }
    const char *path = "/metrics";
    char *slash = strchr(hp, '/');
    if (slash) {
        if (!url) {
            snprintf(why, whylen, "expected HOST:PORT or http://HOST:PORT/metrics");
            return -1;
        }
        if (slash[1])
            path = slash;
    }
    char pathbuf[sizeof ep->path];
    if (strlen(path) >= sizeof pathbuf) {
        snprintf(why, whylen, "path too long");
        return -1;
    }
    strcpy(pathbuf, path);
    if (slash)
        *slash = '\0';
    char *host = hp, *port = NULL;
    if (*hp == '[') {
        char *rb = strchr(hp, ']');
        if (!rb || (rb[1] && rb[1] != ':')) {
            snprintf(why, whylen, "bad [IPv6] address");
            return -1;
        }
        host = hp + 1;
        *rb = '\0';
        port = rb[1] ? rb + 2 : NULL;
    } else {
        char *colon = strrchr(hp, ':');
        if (colon && strchr(hp, ':') != colon) {
            snprintf(why, whylen, "write an IPv6 address as [ADDR]:PORT");
            return -1;
        }
        if (colon) {
            *colon = '\0';
            port = colon + 1;
        }
    }
    long p = url && !port ? 80 : -1;
    if (port) {
        char *end;
        p = *port >= '0' && *port <= '9' ? strtol(port, &end, 10) : -1;
        if (p >= 0 && *end)
            p = -1;
    }
    if (!*host || strlen(host) >= sizeof ep->host || p < 1 || p > 65535) {
        snprintf(why, whylen, !*host ? "no host" : !port && !url ? "no port (HOST:PORT)" : "bad port");
        return -1;
    }
    strcpy(ep->host, host);
    ep->port = (int)p;
    strcpy(ep->path, pathbuf);
    int v6 = strchr(host, ':') != NULL;
    snprintf(ep->shown, sizeof ep->shown, "%s%.255s%s:%d%.512s", v6 ? "[" : "", ep->host, v6 ? "]" : "",
             ep->port, strcmp(ep->path, "/metrics") ? ep->path : "");
    return 0;
}

/*  --http, else $TELEX_HTTP, else STORE/telexd.http, else the default.
    Prints the error itself; returns 0 or 2. */
static int s_find_endpoint(const char *opt, const char *store, s_endpoint_t *ep)
{
    char why[128], line[1024], file[4096];
    const char *spec = opt, *from = "--http";
    if (!spec || !*spec) {
        spec = getenv("TELEX_HTTP");
        from = "$TELEX_HTTP";
        size_t l = spec ? strlen(spec) : 0;
        if (l >= 2 && strcmp(spec + l - 2, ":0") == 0)
            spec = NULL; /* "any port" is telexd's setting; the bound one is in the store */
    }
    if (!spec || !*spec) {
        spec = NULL;
        snprintf(file, sizeof file, "%s/telexd.http", telex_store_dir(store));
        FILE *f = fopen(file, "r");
        if (f) {
            if (fgets(line, sizeof line, f))
                spec = line;
            fclose(f);
            from = file;
        }
    }
    if (!spec) {
        spec = S_DEFAULT_ENDPOINT;
        from = "the default";
    }
    if (s_parse_endpoint(spec, ep, why, sizeof why)) {
        fprintf(stderr, "telex: bad metrics address '%.200s' from %s: %s\n", spec, from, why);
        return 2;
    }
    return 0;
}

/* ---- one scrape ------------------------------------------------------------- */

/* Fetches and parses the page; prints nothing, fills err. */
static int s_scrape(const s_endpoint_t *ep, tlx_prom_t **out, double *at, char *err, size_t errlen)
{
    char *body;
    size_t len;
    int rc = tlx_prom_fetch(ep->host, ep->port, ep->path, S_FETCH_TIMEOUT_MS, &body, &len, err, errlen);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    *at = (double)ts.tv_sec + ts.tv_nsec / 1e9;
    if (rc)
        return rc;
    rc = tlx_prom_parse(body, len, out);
    free(body);
    if (rc) {
        snprintf(err, errlen, "the page does not parse: %s", tlx_strerror(rc));
        return rc;
    }
    double v;
    const char *probe = tlx_metric_counter_name(TLX_M_RECEIVED);
    if (tlx_prom_get(*out, probe, NULL, NULL, &v)) {
        snprintf(err, errlen, "no %s on the page: is this telexd?", probe);
        tlx_prom_destroy(out);
        return TLX_ENOTFOUND;
    }
    return 0;
}

/* ---- the figures of one frame ------------------------------------------------ */

/*  The figures shown, in the order of the JSON output; names and enums come
    from proto/tlx_metric_names.h, the table telexd renders from.  The JSON
    keys are the exposition names without "telex_" and the type suffix. */
static const tlx_counter_t s_counters[] = {TLX_M_RECEIVED, TLX_M_ACCEPTED,      TLX_M_DUPLICATE,
                                           TLX_M_REJECTED, TLX_M_BUSY,          TLX_M_PROCESSED,
                                           TLX_M_FAILED,   TLX_M_DEAD,          TLX_M_COMMITS,
                                           TLX_M_GROWS,    TLX_M_CURVE_REFUSED, TLX_M_LOG_SUPPRESSED};
#define S_NCOUNTERS (sizeof s_counters / sizeof *s_counters)

static const tlx_gauge_t s_gauges[] = {TLX_G_INBOX,    TLX_G_INFLIGHT,     TLX_G_WORKERS,    TLX_G_MAP_SIZE,
                                       TLX_G_MAP_USED, TLX_G_READERS_USED, TLX_G_READERS_MAX};
#define S_NGAUGES (sizeof s_gauges / sizeof *s_gauges)

/*  full without "telex_" and without suffix (when it ends so), into out. */
static const char *s_short(const char *full, const char *suffix, char *out, size_t n)
{
    size_t len = strlen(full), sl = strlen(suffix);
    if (strncmp(full, "telex_", 6) == 0)
        full += 6, len -= 6;
    if (len > sl && strcmp(full + len - sl, suffix) == 0)
        len -= sl;
    snprintf(out, n, "%.*s", (int)len, full);
    return out;
}

typedef struct {
    const char *name; /* borrowed from the current scrape */
    double rrate, prate, rtotal, ptotal;
} s_source_t;

typedef struct {
    double rate[TLX_M__COUNTERS], total[TLX_M__COUNTERS], gauge[TLX_M__GAUGES];
    double ready, draining, disk_full, uptime, seconds;
    double p50[TLX_M__HISTOGRAMS], p99[TLX_M__HISTOGRAMS], observed[TLX_M__HISTOGRAMS];
    int since_start;
    const char *version;
    s_source_t *src;
    size_t nsrc;
} s_view_t;

static double s_get(const tlx_prom_t *p, const char *name)
{
    double v;
    return tlx_prom_get(p, name, NULL, NULL, &v) ? NAN : v;
}

static double s_sum(const tlx_prom_t *p, const char *name)
{
    double v;
    return tlx_prom_sum(p, name, &v) ? NAN : v;
}

static double s_wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int s_source_cmp(const void *a, const void *b)
{
    const s_source_t *x = a, *y = b;
    if (x->rrate != y->rrate)
        return isnan(x->rrate) ? 1 : isnan(y->rrate) ? -1 : x->rrate < y->rrate ? 1 : -1;
    if (x->prate != y->prate)
        return isnan(x->prate) ? 1 : isnan(y->prate) ? -1 : x->prate < y->prate ? 1 : -1;
    if (x->rtotal != y->rtotal)
        return isnan(x->rtotal) ? 1 : isnan(y->rtotal) ? -1 : x->rtotal < y->rtotal ? 1 : -1;
    return strcmp(x->name, y->name);
}

static void s_view_free(s_view_t *v)
{
    free(v->src);
    v->src = NULL;
    v->nsrc = 0;
}

/*  prev NULL: the first frame (rates since start, cumulative latencies).
    Returns 0 or TLX_ENOMEM. */
static int s_view_build(const tlx_prom_t *prev, const tlx_prom_t *cur, double seconds, s_view_t *v)
{
    memset(v, 0, sizeof *v);
    tlx_prom_t *d = NULL;
    int rc = tlx_prom_delta(prev, cur, &d);
    if (rc)
        return rc;
    double start = s_get(cur, tlx_metric_gauge_name(TLX_G_START_TIME));
    v->uptime = isnan(start) ? NAN : s_wall_now() - start;
    v->since_start = prev == NULL;
    v->seconds = prev ? seconds : v->uptime;
    double dt = v->seconds > 0 ? v->seconds : NAN;
    char name[96];
    for (size_t i = 0; i < S_NCOUNTERS; i++) {
        const char *n = tlx_metric_counter_name(s_counters[i]);
        v->total[s_counters[i]] = s_sum(cur, n);
        v->rate[s_counters[i]] = s_sum(d, n) / dt;
    }
    for (size_t i = 0; i < S_NGAUGES; i++)
        v->gauge[s_gauges[i]] = s_get(cur, tlx_metric_gauge_name(s_gauges[i]));
    v->ready = s_get(cur, tlx_metric_gauge_name(TLX_G_READY));
    v->draining = s_get(cur, tlx_metric_gauge_name(TLX_G_DRAINING));
    v->disk_full = s_get(cur, tlx_metric_gauge_name(TLX_G_DISK_FULL));
    v->version = tlx_prom_label(cur, TLX_METRIC_BUILD_INFO, "version");
    for (int h = 0; h < TLX_M__HISTOGRAMS; h++) {
        const char *n = tlx_metric_histogram_name((tlx_histogram_t)h);
        if (tlx_prom_quantile(d, n, 0.5, &v->p50[h]))
            v->p50[h] = NAN;
        if (tlx_prom_quantile(d, n, 0.99, &v->p99[h]))
            v->p99[h] = NAN;
        snprintf(name, sizeof name, "%s_count", n);
        v->observed[h] = s_get(d, name);
    }

    size_t n = tlx_prom_count(cur), cap = 0;
    for (size_t i = 0; i < n; i++) {
        const tlx_prom_sample_t *s = tlx_prom_sample(cur, i);
        int recv = strcmp(s->name, TLX_METRIC_SOURCE_RECEIVED) == 0;
        if (!recv && strcmp(s->name, TLX_METRIC_SOURCE_PROCESSED) != 0)
            continue;
        const char *src = NULL;
        for (size_t j = 0; j < s->nlabels; j++)
            if (strcmp(s->labels[j].key, "source") == 0)
                src = s->labels[j].value;
        if (!src)
            continue;
        size_t k = 0;
        while (k < v->nsrc && strcmp(v->src[k].name, src) != 0)
            k++;
        if (k == v->nsrc) {
            if (v->nsrc == cap) {
                cap = cap ? cap * 2 : 16;
                s_source_t *p = realloc(v->src, cap * sizeof *p);
                if (!p) {
                    rc = TLX_ENOMEM;
                    break;
                }
                v->src = p;
            }
            v->src[v->nsrc++] = (s_source_t){src, NAN, NAN, NAN, NAN};
            double x;
            if (tlx_prom_get(cur, TLX_METRIC_SOURCE_RECEIVED, "source", src, &x) == 0)
                v->src[k].rtotal = x;
            if (tlx_prom_get(cur, TLX_METRIC_SOURCE_PROCESSED, "source", src, &x) == 0)
                v->src[k].ptotal = x;
            if (tlx_prom_get(d, TLX_METRIC_SOURCE_RECEIVED, "source", src, &x) == 0)
                v->src[k].rrate = x / dt;
            if (tlx_prom_get(d, TLX_METRIC_SOURCE_PROCESSED, "source", src, &x) == 0)
                v->src[k].prate = x / dt;
        }
    }
    if (v->nsrc)
        qsort(v->src, v->nsrc, sizeof *v->src, s_source_cmp);
    tlx_prom_destroy(&d);
    if (rc)
        s_view_free(v);
    return rc;
}

/* ---- JSON ------------------------------------------------------------------------ */

typedef struct {
    tlx_buf_t b;
    int pretty, depth, count[8];
} s_json_t;

static void s_jkey(s_json_t *j, const char *key)
{
    if (j->count[j->depth]++)
        tlx_buf_putc(&j->b, ',');
    if (j->pretty) {
        tlx_buf_putc(&j->b, '\n');
        for (int i = 0; i < j->depth * 2; i++)
            tlx_buf_putc(&j->b, ' ');
    }
    if (key) {
        tlx_json_string(&j->b, key, strlen(key));
        tlx_buf_append(&j->b, j->pretty ? ": " : ":", j->pretty ? 2 : 1);
    }
}

static void s_jopen(s_json_t *j, const char *key, char c)
{
    if (j->depth > 0)
        s_jkey(j, key);
    tlx_buf_putc(&j->b, c);
    j->count[++j->depth] = 0;
}

static void s_jclose(s_json_t *j, char c)
{
    if (j->pretty && j->count[j->depth]) {
        tlx_buf_putc(&j->b, '\n');
        for (int i = 0; i < (j->depth - 1) * 2; i++)
            tlx_buf_putc(&j->b, ' ');
    }
    j->depth--;
    tlx_buf_putc(&j->b, c);
}

/* Non-finite (unknown, no observations) is null; `digits` significant. */
static void s_jnum(s_json_t *j, const char *key, double v, int digits)
{
    s_jkey(j, key);
    if (!isfinite(v))
        tlx_buf_append(&j->b, "null", 4);
    else
        tlx_buf_printf(&j->b, "%.*g", digits, v == 0 ? 0.0 : v); /* no -0 */
}

static double s_round3(double v)
{
    return round(v * 1000) / 1000;
}

static void s_jbool(s_json_t *j, const char *key, double v)
{
    s_jkey(j, key);
    if (isnan(v))
        tlx_buf_append(&j->b, "null", 4);
    else
        tlx_buf_printf(&j->b, "%s", v != 0 ? "true" : "false");
}

static void s_jstr(s_json_t *j, const char *key, const char *s)
{
    s_jkey(j, key);
    if (s)
        tlx_json_string(&j->b, s, strlen(s));
    else
        tlx_buf_append(&j->b, "null", 4);
}

static int s_print_json(const s_endpoint_t *ep, const tlx_prom_t *cur, const s_view_t *v, int pretty)
{
    s_json_t j = {.b = TLX_BUF_INIT, .pretty = pretty, .depth = 0};
    s_jopen(&j, NULL, '{');
    s_jstr(&j, "endpoint", ep->shown);
    s_jstr(&j, "version", v->version);
    s_jnum(&j, "uptime_seconds", s_round3(v->uptime), 15);
    s_jnum(&j, "interval_seconds", s_round3(v->seconds), 15);
    s_jbool(&j, "ready", v->ready);
    s_jbool(&j, "draining", v->draining);
    s_jbool(&j, "disk_full", v->disk_full);
    s_jopen(&j, "rates", '{');
    char key[96];
    for (size_t i = 0; i < S_NCOUNTERS; i++)
        s_jnum(&j, s_short(tlx_metric_counter_name(s_counters[i]), "_total", key, sizeof key),
               s_round3(v->rate[s_counters[i]]), 15);
    s_jclose(&j, '}');
    s_jopen(&j, "totals", '{');
    for (size_t i = 0; i < S_NCOUNTERS; i++)
        s_jnum(&j, s_short(tlx_metric_counter_name(s_counters[i]), "_total", key, sizeof key),
               v->total[s_counters[i]], 17);
    s_jclose(&j, '}');
    s_jopen(&j, "rejected_by_reason", '{');
    for (size_t i = 0; i < tlx_prom_count(cur); i++) {
        const tlx_prom_sample_t *s = tlx_prom_sample(cur, i);
        if (strcmp(s->name, tlx_metric_counter_name(TLX_M_REJECTED)) == 0)
            for (size_t k = 0; k < s->nlabels; k++)
                if (strcmp(s->labels[k].key, "reason") == 0)
                    s_jnum(&j, s->labels[k].value, s->value, 17);
    }
    s_jclose(&j, '}');
    s_jopen(&j, "gauges", '{');
    for (size_t i = 0; i < S_NGAUGES; i++)
        s_jnum(&j, s_short(tlx_metric_gauge_name(s_gauges[i]), "", key, sizeof key), v->gauge[s_gauges[i]],
               17);
    double pct =
        v->gauge[TLX_G_MAP_SIZE] > 0 ? 100 * v->gauge[TLX_G_MAP_USED] / v->gauge[TLX_G_MAP_SIZE] : NAN;
    s_jnum(&j, "map_used_percent", round(pct * 10) / 10, 15);
    s_jclose(&j, '}');
    s_jopen(&j, "latency_seconds", '{');
    for (int h = 0; h < TLX_M__HISTOGRAMS; h++) {
        s_jopen(&j, s_short(tlx_metric_histogram_name((tlx_histogram_t)h), "_seconds", key, sizeof key), '{');
        s_jnum(&j, "p50", v->p50[h], 6);
        s_jnum(&j, "p99", v->p99[h], 6);
        s_jnum(&j, "count", v->observed[h], 17);
        s_jclose(&j, '}');
    }
    s_jclose(&j, '}');
    s_jopen(&j, "sources", '[');
    for (size_t i = 0; i < v->nsrc; i++) {
        s_jopen(&j, NULL, '{');
        s_jstr(&j, "source", v->src[i].name);
        s_jnum(&j, "received_per_second", s_round3(v->src[i].rrate), 15);
        s_jnum(&j, "processed_per_second", s_round3(v->src[i].prate), 15);
        s_jnum(&j, "received", v->src[i].rtotal, 17);
        s_jnum(&j, "processed", v->src[i].ptotal, 17);
        s_jclose(&j, '}');
    }
    s_jclose(&j, ']');
    s_jnum(&j, "bad_lines", (double)tlx_prom_bad_lines(cur), 17);
    s_jclose(&j, '}');
    int rc = tlx_buf_putc(&j.b, '\n');
    if (rc == 0 && (fwrite(j.b.data, 1, j.b.len, stdout) != j.b.len || fflush(stdout)))
        rc = TLX_EIO;
    tlx_buf_free(&j.b);
    return rc;
}

/* ---- the terminal ----------------------------------------------------------------- */

static volatile sig_atomic_t s_stop, s_redraw;
static struct termios s_saved_tio;
static int s_tty_in = -1; /* fd whose mode we changed, -1 when none */
static int s_screen;      /* cursor hidden */

/* Async-signal-safe: called from handlers too. */
static void s_term_restore(void)
{
    if (s_tty_in >= 0)
        tcsetattr(s_tty_in, TCSAFLUSH, &s_saved_tio);
    if (s_screen) {
        static const char show[] = "\033[?25h";
        ssize_t w = write(1, show, sizeof show - 1);
        (void)w;
    }
}

static void s_term_enter(void)
{
    if (s_tty_in >= 0) {
        struct termios t = s_saved_tio;
        t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
        t.c_cc[VMIN] = 0;
        t.c_cc[VTIME] = 0;
        tcsetattr(s_tty_in, TCSAFLUSH, &t);
    }
    if (s_screen) {
        static const char hide[] = "\033[?25l";
        ssize_t w = write(1, hide, sizeof hide - 1);
        (void)w;
    }
}

static void s_on_stop_signal(int sig)
{
    (void)sig;
    s_stop = 1;
}

static void s_on_winch(int sig)
{
    (void)sig;
    s_redraw = 1;
}

/* Ctrl-Z: hand the terminal back, stop for real, take it again on SIGCONT. */
static void s_on_tstp(int sig)
{
    int saved = errno;
    s_term_restore();
    struct sigaction dfl = {.sa_handler = SIG_DFL}, mine = {.sa_handler = s_on_tstp};
    sigaction(sig, &dfl, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    sigaction(sig, &mine, NULL);
    s_term_enter();
    s_redraw = 1;
    errno = saved;
}

static void s_atexit(void)
{
    s_term_restore();
    s_tty_in = -1;
    s_screen = 0;
}

static const char *s_fmt_rate(char *b, size_t n, double v)
{
    if (!isfinite(v))
        snprintf(b, n, "-");
    else if (v >= 100000)
        snprintf(b, n, "%.0f", v);
    else
        snprintf(b, n, "%.1f", v);
    return b;
}

static const char *s_fmt_count(char *b, size_t n, double v)
{
    if (!isfinite(v))
        snprintf(b, n, "-");
    else
        snprintf(b, n, "%.0f", v);
    return b;
}

static const char *s_fmt_secs(char *b, size_t n, double v)
{
    if (!isfinite(v))
        snprintf(b, n, "-");
    else if (v < 0.001)
        snprintf(b, n, "%.0f us", v * 1e6);
    else if (v < 1)
        snprintf(b, n, "%.1f ms", v * 1e3);
    else
        snprintf(b, n, "%.2f s", v);
    return b;
}

static const char *s_fmt_bytes(char *b, size_t n, double v)
{
    static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    if (!isfinite(v)) {
        snprintf(b, n, "-");
        return b;
    }
    int u = 0;
    while (v >= 1024 && u < 4) {
        v /= 1024;
        u++;
    }
    snprintf(b, n, u ? "%.1f %s" : "%.0f %s", v, unit[u]);
    return b;
}

static const char *s_fmt_uptime(char *b, size_t n, double v)
{
    if (!isfinite(v) || v < 0) {
        snprintf(b, n, "-");
        return b;
    }
    long long s = (long long)v;
    if (s >= 86400)
        snprintf(b, n, "%lldd %02lld:%02lld:%02lld", s / 86400, s / 3600 % 24, s / 60 % 60, s % 60);
    else
        snprintf(b, n, "%02lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    return b;
}

/*  Appends one screen line: control characters (from label values, say)
    shown as '?', cut to the width, cleared to its end. */
__attribute__((format(printf, 3, 4))) static void s_line(tlx_buf_t *b, int width, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    size_t n = strlen(line);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
            line[i] = '?';
    if (width > 0 && n > (size_t)width)
        n = (size_t)width;
    tlx_buf_append(b, line, n);
    tlx_buf_append(b, "\033[K\n", 4);
}

static void s_winsize(int *rows, int *cols)
{
    struct winsize ws;
    *rows = 24;
    *cols = 80;
    if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col) {
        *rows = ws.ws_row;
        *cols = ws.ws_col;
    }
}

static void s_render(const s_endpoint_t *ep, const tlx_prom_t *cur, const s_view_t *v, double interval,
                     const char *error)
{
    int rows, cols;
    s_winsize(&rows, &cols);
    tlx_buf_t b = TLX_BUF_INIT;
    char t1[64], t2[64], t3[64], t4[64], t5[64], t6[64], t7[64], t8[64];
    tlx_buf_append(&b, "\033[H", 3);
    int used = 0;
    const char *state = isnan(v->ready) ? "?" : v->ready != 0 ? "READY" : "NOT READY";
    s_line(&b, cols, "telex top - %s  telexd %s  up %s  %s%s%s  every %gs", ep->shown,
           v->version ? v->version : "?", s_fmt_uptime(t1, sizeof t1, v->uptime), state,
           v->draining > 0 ? "  DRAINING" : "", v->disk_full > 0 ? "  DISK FULL" : "", interval);
    used++;
    if (error) {
        tlx_buf_append(&b, "\033[7m", 4);
        s_line(&b, cols, " cannot reach telexd metrics: %s (retrying) ", error);
        tlx_buf_append(&b, "\033[0m", 4);
        used++;
    }
    /* 80 columns: the six rates that matter most in the table, the rest below */
    s_line(&b, cols, "%s", "");
    s_line(&b, cols, "%-12s%11s%11s%11s%11s%11s%11s", v->since_start ? "since start" : "", "received",
           "accepted", "processed", "rejected", "dead", "busy");
    static const int order[] = {TLX_M_RECEIVED, TLX_M_ACCEPTED, TLX_M_PROCESSED,
                                TLX_M_REJECTED, TLX_M_DEAD,     TLX_M_BUSY};
    char cells[6][32];
    for (int i = 0; i < 6; i++)
        s_fmt_rate(cells[i], sizeof cells[i], v->rate[order[i]]);
    s_line(&b, cols, "%-12s%11s%11s%11s%11s%11s%11s", "per second", cells[0], cells[1], cells[2], cells[3],
           cells[4], cells[5]);
    for (int i = 0; i < 6; i++)
        s_fmt_count(cells[i], sizeof cells[i], v->total[order[i]]);
    s_line(&b, cols, "%-12s%11s%11s%11s%11s%11s%11s", "total", cells[0], cells[1], cells[2], cells[3],
           cells[4], cells[5]);
    s_line(&b, cols, "duplicates %s/s (%s)   failed %s/s (%s)   commits %s/s",
           s_fmt_rate(t1, sizeof t1, v->rate[TLX_M_DUPLICATE]),
           s_fmt_count(t2, sizeof t2, v->total[TLX_M_DUPLICATE]),
           s_fmt_rate(t3, sizeof t3, v->rate[TLX_M_FAILED]),
           s_fmt_count(t4, sizeof t4, v->total[TLX_M_FAILED]),
           s_fmt_rate(t5, sizeof t5, v->rate[TLX_M_COMMITS]));
    s_line(&b, cols, "%s", "");
    s_line(&b, cols, "inbox %s   in flight %s   enrich workers %s",
           s_fmt_count(t1, sizeof t1, v->gauge[TLX_G_INBOX]),
           s_fmt_count(t2, sizeof t2, v->gauge[TLX_G_INFLIGHT]),
           s_fmt_count(t3, sizeof t3, v->gauge[TLX_G_WORKERS]));
    double pct =
        v->gauge[TLX_G_MAP_SIZE] > 0 ? 100 * v->gauge[TLX_G_MAP_USED] / v->gauge[TLX_G_MAP_SIZE] : NAN;
    s_line(&b, cols, "map %s / %s (%s%%), grown %s times   readers %s/%s",
           s_fmt_bytes(t1, sizeof t1, v->gauge[TLX_G_MAP_USED]),
           s_fmt_bytes(t2, sizeof t2, v->gauge[TLX_G_MAP_SIZE]), s_fmt_rate(t3, sizeof t3, pct),
           s_fmt_count(t4, sizeof t4, v->total[TLX_M_GROWS]),
           s_fmt_count(t5, sizeof t5, v->gauge[TLX_G_READERS_USED]),
           s_fmt_count(t6, sizeof t6, v->gauge[TLX_G_READERS_MAX]));
    const char *over = v->since_start ? "since start" : "last interval";
    s_line(&b, cols, "commit latency    p50 %-10s p99 %-10s (%s, %s observed)",
           s_fmt_secs(t1, sizeof t1, v->p50[0]), s_fmt_secs(t2, sizeof t2, v->p99[0]), over,
           s_fmt_count(t3, sizeof t3, v->observed[0]));
    s_line(&b, cols, "pipeline latency  p50 %-10s p99 %-10s (%s, %s observed)",
           s_fmt_secs(t1, sizeof t1, v->p50[1]), s_fmt_secs(t2, sizeof t2, v->p99[1]), over,
           s_fmt_count(t3, sizeof t3, v->observed[1]));
    /* rejects by reason, and the rarely moving counters */
    tlx_buf_t r = TLX_BUF_INIT;
    for (size_t i = 0; i < tlx_prom_count(cur); i++) {
        const tlx_prom_sample_t *s = tlx_prom_sample(cur, i);
        if (strcmp(s->name, tlx_metric_counter_name(TLX_M_REJECTED)) || s->value == 0)
            continue;
        for (size_t k = 0; k < s->nlabels; k++)
            if (strcmp(s->labels[k].key, "reason") == 0)
                tlx_buf_printf(&r, "%s%s %s", r.len ? ", " : "", s->labels[k].value,
                               s_fmt_count(t6, sizeof t6, s->value));
    }
    s_line(&b, cols, "rejects: %.*s   curve refused %s   log lines suppressed %s", r.len ? (int)r.len : 4,
           r.len ? r.data : "none", s_fmt_count(t7, sizeof t7, v->total[TLX_M_CURVE_REFUSED]),
           s_fmt_count(t8, sizeof t8, v->total[TLX_M_LOG_SUPPRESSED]));
    tlx_buf_free(&r);
    s_line(&b, cols, "%s", "");
    used += 12;                 /* the lines from the first blank one to here */
    int room = rows - used - 2; /* the header line and one spare: never scroll */
    if (v->nsrc && room > 0) {
        tlx_buf_append(&b, "\033[1m", 4);
        s_line(&b, cols, "%-24s %12s %12s %14s %14s", "SOURCE", "RECEIVED/S", "PROCESSED/S", "RECEIVED",
               "PROCESSED");
        tlx_buf_append(&b, "\033[0m", 4);
        size_t show = v->nsrc;
        if (show > (size_t)room)
            show = (size_t)room;
        if (show < v->nsrc && show > 0)
            show--; /* room for the "more" line */
        for (size_t i = 0; i < show; i++) {
            const s_source_t *s = &v->src[i];
            s_line(&b, cols, "%-24.24s %12s %12s %14s %14s", s->name, s_fmt_rate(t1, sizeof t1, s->rrate),
                   s_fmt_rate(t2, sizeof t2, s->prate), s_fmt_count(t3, sizeof t3, s->rtotal),
                   s_fmt_count(t4, sizeof t4, s->ptotal));
        }
        if (show < v->nsrc)
            s_line(&b, cols, "... %zu more sources (telex top --json lists all)", v->nsrc - show);
    }
    tlx_buf_append(&b, "\033[J", 3);
    if (b.data) {
        fwrite(b.data, 1, b.len, stdout);
        fflush(stdout);
    }
    tlx_buf_free(&b);
}

/*  Waits `seconds`, returning early on a signal that stops us or on q.
    Returns 1 to quit. */
static int s_wait_keys(double seconds)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double end = (double)ts.tv_sec + ts.tv_nsec / 1e9 + seconds;
    while (!s_stop) {
        clock_gettime(CLOCK_MONOTONIC, &ts);
        double left = end - ((double)ts.tv_sec + ts.tv_nsec / 1e9);
        if (left <= 0)
            return 0;
        struct pollfd p = {.fd = s_tty_in, .events = POLLIN};
        int r = poll(&p, s_tty_in >= 0 ? 1 : 0, (int)ceil(left * 1000));
        if (r > 0) {
            char c[64];
            ssize_t n = read(s_tty_in, c, sizeof c);
            for (ssize_t i = 0; i < n; i++)
                if (c[i] == 'q' || c[i] == 'Q')
                    return 1;
            if (n == 0) /* the terminal hung up */
                return 1;
        }
    }
    return 1;
}

static int s_run_tty(const s_endpoint_t *ep, double interval)
{
    char err[300];
    tlx_prom_t *prev = NULL, *cur = NULL;
    double t_prev = 0, t_cur;
    if (s_scrape(ep, &cur, &t_cur, err, sizeof err)) {
        fprintf(stderr, "telex: cannot reach telexd metrics at %s: %s\n", ep->shown, err);
        return 2;
    }
    struct sigaction stop = {.sa_handler = s_on_stop_signal}, winch = {.sa_handler = s_on_winch},
                     tstp = {.sa_handler = s_on_tstp};
    sigaction(SIGINT, &stop, NULL);
    sigaction(SIGTERM, &stop, NULL);
    sigaction(SIGHUP, &stop, NULL);
    sigaction(SIGQUIT, &stop, NULL);
    sigaction(SIGWINCH, &winch, NULL);
    if (isatty(0) && tcgetattr(0, &s_saved_tio) == 0) {
        s_tty_in = 0;
        sigaction(SIGTSTP, &tstp, NULL);
    }
    s_screen = 1;
    atexit(s_atexit);
    s_term_enter();
    fputs("\033[H\033[2J", stdout);

    int rc = 0;
    s_view_t v;
    if (s_view_build(NULL, cur, 0, &v)) {
        rc = 1;
        goto out;
    }
    s_render(ep, cur, &v, interval, NULL);
    while (!s_wait_keys(interval)) {
        tlx_prom_t *next;
        double t_next;
        if (s_scrape(ep, &next, &t_next, err, sizeof err)) {
            /* keep the last figures; the next good scrape measures from the last good one */
            s_render(ep, cur, &v, interval, err);
            continue;
        }
        tlx_prom_destroy(&prev);
        prev = cur;
        t_prev = t_cur;
        cur = next;
        t_cur = t_next;
        s_view_free(&v);
        if (s_view_build(prev, cur, t_cur - t_prev, &v)) {
            rc = 1;
            goto out;
        }
        s_render(ep, cur, &v, interval, NULL);
    }
    s_view_free(&v);
out:
    s_atexit();
    fputs("\n", stdout);
    fflush(stdout);
    tlx_prom_destroy(&prev);
    tlx_prom_destroy(&cur);
    if (rc)
        fprintf(stderr, "telex: out of memory\n");
    return rc;
}

static int s_run_once(const s_endpoint_t *ep, double interval)
{
    char err[300];
    tlx_prom_t *a = NULL, *b = NULL;
    double ta, tb;
    int rc = 1;
    if (s_scrape(ep, &a, &ta, err, sizeof err))
        goto unreachable;
    struct timespec ts = {(time_t)interval, (long)((interval - floor(interval)) * 1e9)};
    while (nanosleep(&ts, &ts) && errno == EINTR)
        ;
    if (s_scrape(ep, &b, &tb, err, sizeof err))
        goto unreachable;
    s_view_t v;
    if (s_view_build(a, b, tb - ta, &v)) {
        fprintf(stderr, "telex: out of memory\n");
        goto done;
    }
    rc = s_print_json(ep, b, &v, isatty(1)) ? 1 : 0;
    if (rc)
        fprintf(stderr, "telex: cannot write the output: %s\n", strerror(errno));
    s_view_free(&v);
    goto done;
unreachable: /* no daemon: an environment error, like a missing store */
    fprintf(stderr, "telex: cannot reach telexd metrics at %s: %s\n", ep->shown, err);
    rc = 2;
done:
    tlx_prom_destroy(&a);
    tlx_prom_destroy(&b);
    return rc;
}

int telex_cmd_top(int argc, char **argv)
{
    const char *http = NULL, *store = NULL;
    double interval = 1.0;
    int once = 0, json = 0;
    static const struct option opts[] = {{"http", required_argument, 0, 'H'},
                                         {"store", required_argument, 0, 's'},
                                         {"interval", required_argument, 0, 'i'},
                                         {"once", no_argument, 0, '1'},
                                         {"json", no_argument, 0, 'j'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "s:i:h", opts, NULL)) != -1) {
        switch (c) {
        case 'H':
            http = optarg;
            break;
        case 's':
            store = optarg;
            break;
        case 'i': {
            char *end;
            interval = strtod(optarg, &end);
            if (end == optarg || *end || !(interval >= 0.05 && interval <= 3600)) {
                fprintf(stderr, "telex top: --interval wants seconds between 0.05 and 3600, not '%s'\n",
                        optarg);
                return 2;
            }
            break;
        }
        case '1':
            once = 1;
            break;
        case 'j':
            json = 1;
            break;
        case 'h':
            printf(
                "usage: telex top [--http HOST:PORT|URL] [--store DIR] [--interval SECONDS] [--once] "
                "[--json]\n"
                "\n"
                "A live view of a running telexd from its Prometheus metrics: state, rates per second,\n"
                "totals, queue gauges, commit and pipeline latency (p50/p99 over the last interval),\n"
                "map and reader use, and a table of sources sorted by rate.  On a terminal it redraws\n"
                "every interval until q or Ctrl-C.  With --once or --json, or when stdout is not a\n"
                "terminal, it scrapes twice, SECONDS apart, and prints one JSON object.\n"
                "Exit 0 ok, 1 the output cannot be written, 2 usage, or telexd's metrics cannot be read.\n"
                "\n"
                "  --http ADDR       HOST:PORT or http://HOST:PORT/metrics (default $TELEX_HTTP, else the\n"
                "                    address telexd wrote to STORE/telexd.http, else " S_DEFAULT_ENDPOINT
                ")\n"
                "  --store DIR       the store telexd runs on (default $TELEX_STORE or " TLX_DEFAULT_STORE
                ")\n"
                "  --interval S      seconds between scrapes (default 1; 0.05 to 3600)\n"
                "  --once            one JSON object and exit (also when stdout is not a terminal)\n"
                "  --json            the same: JSON, even on a terminal\n");
            return 0;
        default:
            return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "telex top: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    s_endpoint_t ep;
    int rc = s_find_endpoint(http, store, &ep);
    if (rc)
        return rc;
    signal(SIGPIPE, SIG_IGN);
    if (once || json || !isatty(1))
        return s_run_once(&ep, interval);
    return s_run_tty(&ep, interval);
}
