/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_metrics.c -- counters, gauges, histograms, Prometheus text (see tlx_metrics.h). */
#include "tlx_metrics.h"

#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "tlx_error.h"

#ifndef TLX_VERSION
#define TLX_VERSION "dev"
#endif

/* Bucket bounds in seconds: group commits are fsync-bound (ms), the
   pipeline runs 0.1-50 ms per article and seconds for huge ones. */
static const double s_bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                  0.1,    0.25,  0.5,    1,     2.5,  5,     10};
#define NB (int)(sizeof s_bounds / sizeof *s_bounds)

typedef struct {
    uint64_t bucket[NB + 1]; /* non-cumulative; last = +Inf */
    uint64_t sum_ns;
    uint64_t count;
} hist_t;

typedef struct {
    char name[64];
    uint64_t received, processed;
} src_t;

struct tlx_metrics {
    uint64_t c[TLX_M__COUNTERS];
    uint64_t g[TLX_M__GAUGES];
    uint64_t rejected[TLX_REJ__COUNT];
    hist_t h[TLX_M__HISTOGRAMS];
    pthread_mutex_t lock;               /* sources: names and count */
    src_t src[TLX_METRICS_SOURCES + 1]; /* last = "_other" */
    int nsrc;
};

tlx_metrics_t *tlx_metrics_new(void)
{
    tlx_metrics_t *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    pthread_mutex_init(&m->lock, NULL);
    snprintf(m->src[TLX_METRICS_SOURCES].name, sizeof m->src[0].name, "_other");
    return m;
}

void tlx_metrics_destroy(tlx_metrics_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    pthread_mutex_destroy(&(*self_p)->lock);
    free(*self_p);
    *self_p = NULL;
}

#define LOAD(p) __atomic_load_n(p, __ATOMIC_RELAXED)
#define ADD(p, n) __atomic_fetch_add(p, n, __ATOMIC_RELAXED)

void tlx_metrics_add(tlx_metrics_t *m, tlx_counter_t c, uint64_t n)
{
    if (m && n)
        ADD(&m->c[c], n);
}

void tlx_metrics_reject(tlx_metrics_t *m, tlx_reject_t reason)
{
    if (!m)
        return;
    ADD(&m->c[TLX_M_REJECTED], 1);
    if ((int)reason >= 0 && reason < TLX_REJ__COUNT)
        ADD(&m->rejected[reason], 1);
}

void tlx_metrics_set(tlx_metrics_t *m, tlx_gauge_t g, uint64_t v)
{
    if (m)
        __atomic_store_n(&m->g[g], v, __ATOMIC_RELAXED);
}

uint64_t tlx_metrics_get(const tlx_metrics_t *m, tlx_gauge_t g)
{
    return m ? LOAD(&m->g[g]) : 0;
}

uint64_t tlx_metrics_count(const tlx_metrics_t *m, tlx_counter_t c)
{
    return m ? LOAD(&m->c[c]) : 0;
}

void tlx_metrics_observe(tlx_metrics_t *m, tlx_histogram_t h, double seconds)
{
    if (!m)
        return;
    if (seconds < 0)
        seconds = 0;
    int b = 0;
    while (b < NB && seconds > s_bounds[b])
        b++;
    hist_t *x = &m->h[h];
    ADD(&x->bucket[b], 1);
    ADD(&x->sum_ns, (uint64_t)(seconds * 1e9));
    ADD(&x->count, 1);
}

void tlx_metrics_source(tlx_metrics_t *m, const char *source, size_t len, int processed)
{
    if (!m)
        return;
    if (!source || !len)
        source = "_none", len = 5;
    if (len >= sizeof m->src[0].name)
        len = sizeof m->src[0].name - 1;
    int n = LOAD(&m->nsrc), i;
    for (i = 0; i < n; i++)
        if (strncmp(m->src[i].name, source, len) == 0 && m->src[i].name[len] == '\0')
            break;
    if (i == n) {
        pthread_mutex_lock(&m->lock);
        /* another thread may have added it since (telexd counts received
           sources on two threads) */
        for (; i < m->nsrc; i++)
            if (strncmp(m->src[i].name, source, len) == 0 && m->src[i].name[len] == '\0')
                break;
        if (i == m->nsrc && i < TLX_METRICS_SOURCES) {
            memcpy(m->src[i].name, source, len);
            m->src[i].name[len] = '\0';
            __atomic_store_n(&m->nsrc, i + 1, __ATOMIC_RELEASE);
        } /* else found, or the table is full: i == TLX_METRICS_SOURCES, the overflow row */
        pthread_mutex_unlock(&m->lock);
    }
    ADD(processed ? &m->src[i].processed : &m->src[i].received, 1);
}

int tlx_metrics_ready(const tlx_metrics_t *m, char *why, size_t len)
{
    char buf[160] = "";
    size_t n = 0;
    if (!LOAD(&m->g[TLX_G_BOUND]))
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%sstarting", n ? "; " : "");
    if (LOAD(&m->g[TLX_G_DRAINING]))
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%sdraining", n ? "; " : "");
    if (LOAD(&m->g[TLX_G_DISK_FULL]))
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%sstore not writable (disk full)", n ? "; " : "");
    if (why && len)
        snprintf(why, len, "%s", buf);
    return n == 0;
}

/* Label values: escape backslash, quote and newline (exposition format). */
static int s_label(tlx_buf_t *b, const char *v)
{
    int rc = 0;
    for (const char *p = v; *p && !rc; p++) {
        if (*p == '\\' || *p == '"')
            rc = tlx_buf_putc(b, '\\') || tlx_buf_putc(b, *p);
        else if (*p == '\n')
            rc = tlx_buf_append(b, "\\n", 2);
        else
            rc = tlx_buf_putc(b, *p);
    }
    return rc;
}

/* The standard process_* series (what Prometheus' own client libraries
   export, so stock dashboards and alerts work), read from /proc at each
   scrape: a few small reads, on the HTTP thread.  Where /proc cannot be
   read, the series that need it are left out rather than reported as 0. */
static int s_process(tlx_buf_t *b)
{
    int rc = 0;
    long tck = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE);
    char buf[1024];
    FILE *f = fopen("/proc/self/stat", "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    unsigned long long ut = 0, st = 0, start = 0, vsize = 0;
    long long rss = 0;
    const char *p = strrchr(buf, ')'); /* the command name may hold spaces and parentheses */
    if (p && tck > 0 && page > 0 &&
        sscanf(
            p + 1,
            " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d %*d %*d %*d %*d %llu %llu %lld",
            &ut, &st, &start, &vsize, &rss) == 5) {
        rc |= tlx_buf_printf(
            b,
            "# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.\n"
            "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total %.2f\n"
            "# HELP process_resident_memory_bytes Resident memory size in bytes.\n"
            "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes %lld\n"
            "# HELP process_virtual_memory_bytes Virtual memory size in bytes.\n"
            "# TYPE process_virtual_memory_bytes gauge\nprocess_virtual_memory_bytes %llu\n",
            (double)(ut + st) / (double)tck, rss * (long long)page, vsize);
        unsigned long long btime = 0;
        FILE *s = fopen("/proc/stat", "r");
        while (s && fgets(buf, sizeof buf, s))
            if (sscanf(buf, "btime %llu", &btime) == 1)
                break;
        if (s)
            fclose(s);
        if (btime)
            rc |= tlx_buf_printf(
                b,
                "# HELP process_start_time_seconds Start time of the process since unix epoch in "
                "seconds.\n# TYPE process_start_time_seconds gauge\nprocess_start_time_seconds %.2f\n",
                (double)btime + (double)start / (double)tck);
    }
    DIR *d = opendir("/proc/self/fd");
    if (d) {
        long fds = 0;
        while (readdir(d))
            fds++;
        closedir(d);
        rc |= tlx_buf_printf(b,
                             "# HELP process_open_fds Number of open file descriptors.\n"
                             "# TYPE process_open_fds gauge\nprocess_open_fds %ld\n",
                             fds > 2 ? fds - 2 : 0); /* minus "." and ".." */
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0)
        rc |= tlx_buf_printf(b,
                             "# HELP process_max_fds Maximum number of open file descriptors.\n"
                             "# TYPE process_max_fds gauge\nprocess_max_fds %llu\n",
                             (unsigned long long)rl.rlim_cur);
    return rc;
}

int tlx_metrics_render(const tlx_metrics_t *m, tlx_buf_t *b)
{
    int rc = 0;
    for (int i = 0; i < TLX_M__COUNTERS && !rc; i++) {
        if (i == TLX_M_REJECTED) {
            const char *n = tlx_metric_counter_name(TLX_M_REJECTED);
            rc = tlx_buf_printf(b, "# HELP %s %s\n# TYPE %s counter\n", n,
                                tlx_metric_counter_help(TLX_M_REJECTED), n);
            for (int r = 1; r < TLX_REJ__COUNT && !rc; r++)
                rc = tlx_buf_printf(b, "%s{reason=\"%s\"} %llu\n", n, tlx_reject_name((tlx_reject_t)r),
                                    (unsigned long long)LOAD(&m->rejected[r]));
            continue;
        }
        const char *n = tlx_metric_counter_name((tlx_counter_t)i);
        rc = tlx_buf_printf(b, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", n,
                            tlx_metric_counter_help((tlx_counter_t)i), n, n,
                            (unsigned long long)LOAD(&m->c[i]));
    }
    for (int i = 0; i < TLX_M__GAUGES && !rc; i++) {
        const char *n = tlx_metric_gauge_name((tlx_gauge_t)i);
        rc = tlx_buf_printf(b, "# HELP %s %s\n# TYPE %s gauge\n%s %llu\n", n,
                            tlx_metric_gauge_help((tlx_gauge_t)i), n, n, (unsigned long long)LOAD(&m->g[i]));
    }
    if (!rc)
        rc = tlx_buf_printf(b,
                            "# HELP " TLX_METRIC_BUILD_INFO
                            " The running version.\n# TYPE " TLX_METRIC_BUILD_INFO
                            " gauge\n" TLX_METRIC_BUILD_INFO "{version=\"%s\"} 1\n",
                            TLX_VERSION);
    for (int i = 0; i < TLX_M__HISTOGRAMS && !rc; i++) {
        const hist_t *x = &m->h[i];
        const char *n = tlx_metric_histogram_name((tlx_histogram_t)i);
        rc = tlx_buf_printf(b, "# HELP %s %s\n# TYPE %s histogram\n", n,
                            tlx_metric_histogram_help((tlx_histogram_t)i), n);
        uint64_t cum = 0;
        for (int k = 0; k <= NB && !rc; k++) {
            cum += LOAD(&x->bucket[k]);
            if (k < NB)
                rc =
                    tlx_buf_printf(b, "%s_bucket{le=\"%g\"} %llu\n", n, s_bounds[k], (unsigned long long)cum);
            else
                rc = tlx_buf_printf(b, "%s_bucket{le=\"+Inf\"} %llu\n", n, (unsigned long long)cum);
        }
        if (!rc) /* count from the buckets so _count == +Inf bucket in one scrape */
            rc = tlx_buf_printf(b, "%s_sum %.9f\n%s_count %llu\n", n, (double)LOAD(&x->sum_ns) / 1e9, n,
                                (unsigned long long)cum);
    }
    const char *fams[2][2] = {{TLX_METRIC_SOURCE_RECEIVED, "Envelopes read, by producer-declared source."},
                              {TLX_METRIC_SOURCE_PROCESSED, "Records committed, by source."}};
    int nsrc = __atomic_load_n(&m->nsrc, __ATOMIC_ACQUIRE);
    for (int f = 0; f < 2 && !rc; f++) {
        rc = tlx_buf_printf(b, "# HELP %s %s\n# TYPE %s counter\n", fams[f][0], fams[f][1], fams[f][0]);
        for (int i = 0; i <= TLX_METRICS_SOURCES && !rc; i++) {
            if (i >= nsrc && i < TLX_METRICS_SOURCES)
                continue;
            uint64_t v = LOAD(f ? &m->src[i].processed : &m->src[i].received);
            if (i == TLX_METRICS_SOURCES && !LOAD(&m->src[i].received) && !LOAD(&m->src[i].processed))
                continue;
            rc = tlx_buf_printf(b, "%s{source=\"", fams[f][0]) || s_label(b, m->src[i].name) ||
                 tlx_buf_printf(b, "\"} %llu\n", (unsigned long long)v);
        }
    }
    if (!rc)
        rc = s_process(b);
    return rc ? TLX_ENOMEM : 0;
}
