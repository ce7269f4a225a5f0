/* SPDX-License-Identifier: Apache-2.0 */
/*  bench_enrich.c -- all enrichments together (tlx_enrich_run) on the seeds,
    one core: prints "enrich: X articles/s" (thread CPU time, so the
    figure is per core even on a shared machine) and the time per article, then
    a per-module split.  Bodies are the seed texts without their first line
    (the same minimal structure the pipeline uses until the structure stage
    lands).  Runs about 2 s per figure.  Figures only, no assertions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_seeds.h"
#include "tlx_dates.h"
#include "tlx_enrich.h"
#include "tlx_keywords.h"
#include "tlx_lang.h"
#include "tlx_money.h"
#include "tlx_quotes.h"
#include "tlx_simhash.h"
#include "tlx_summary.h"

static const char *const s_seeds[] = {"000_b95e5fb43f31aefa.txt", "001_fb1bfa2ad44c6e4f.txt",
                                      "002_8907b5e82464a41b.txt", "003_cbb70c7f6c33b917.txt",
                                      "004_50cf4b8f26c8f34a.txt"};
#define NSEEDS 5

static char *s_body[NSEEDS];
static size_t s_len[NSEEDS];

typedef void (*step_fn)(int k, tlx_arena_t *a);

static void s_all(int k, tlx_arena_t *a)
{
    tlx_record_t rec;
    memset(&rec, 0, sizeof rec);
    rec.body = s_body[k];
    rec.body_len = s_len[k];
    tlx_enrich_opts_t o = {.received_at_ms = 1716800000000LL, .default_currency = "KPW"};
    if (tlx_enrich_run(&o, a, &rec) != 0)
        abort();
}

static void s_hash(int k, tlx_arena_t *a)
{
    (void)a;
    char hex[65];
    tlx_simhash_sha256_hex(s_body[k], s_len[k], hex, NULL);
    volatile uint64_t h = tlx_simhash64(s_body[k], s_len[k]);
    (void)h;
}

static void s_lang(int k, tlx_arena_t *a)
{
    (void)a;
    const char *c;
    bool r;
    tlx_lang_detect(s_body[k], s_len[k], &c, &r);
}

static void s_dates(int k, tlx_arena_t *a)
{
    tlx_dates_anchor_t an = {2024, 5, 27};
    tlx_date_t *d;
    uint32_t n;
    tlx_dates_extract(s_body[k], s_len[k], &an, a, &d, &n);
}

static void s_money(int k, tlx_arena_t *a)
{
    tlx_money_t *m;
    tlx_quantity_t *q;
    uint32_t nm, nq;
    tlx_money_extract(s_body[k], s_len[k], "KPW", NULL, 0, a, &m, &nm, &q, &nq);
}

static void s_quotes(int k, tlx_arena_t *a)
{
    tlx_source_t *s;
    tlx_quote_t *q;
    uint32_t ns, nq;
    tlx_quotes_sources(s_body[k], s_len[k], NULL, 0, a, &s, &ns);
    tlx_quotes_extract(s_body[k], s_len[k], s, ns, NULL, 0, a, &q, &nq);
}

static void s_keywords(int k, tlx_arena_t *a)
{
    tlx_strv_t kw;
    tlx_keywords_extract(s_body[k], s_len[k], NULL, NULL, 0, NULL, a, &kw);
}

static void s_summary(int k, tlx_arena_t *a)
{
    const char *sum;
    double fl;
    tlx_summary_lead(s_body[k], s_len[k], NULL, 0, NULL, 0, a, &sum, &fl);
}

/* Articles per second of fn over ~secs seconds. */
static double s_rate(step_fn fn, tlx_arena_t *a, double secs)
{
    long n = 0;
    double t0 = bench_thread_cpu(), t;
    do {
        for (int r = 0; r < 20; r++) {
            fn((int)(n % NSEEDS), a);
            tlx_arena_reset(a);
            n++;
        }
        t = bench_thread_cpu();
    } while (t - t0 < secs);
    return (double)n / (t - t0);
}

int main(int argc, char **argv)
{
    double secs = argc > 1 ? atof(argv[1]) : 2.0;
    size_t total = 0;
    for (int k = 0; k < NSEEDS; k++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/seeds/%s", TLX_SOURCE_DIR, s_seeds[k]);
        FILE *f = fopen(path, "rb");
        if (!f) {
            perror(path);
            return 1;
        }
        static char buf[NSEEDS][1 << 16];
        size_t len = fread(buf[k], 1, sizeof buf[k] - 1, f);
        fclose(f);
        buf[k][len] = '\0';
        char *nl = strchr(buf[k], '\n');
        s_body[k] = nl ? nl + 1 : buf[k];
        s_len[k] = len - (size_t)(s_body[k] - buf[k]);
        total += s_len[k];
    }
    tlx_arena_t *a = tlx_arena_new(1 << 16);
    if (!a)
        return 1;
    s_rate(s_all, a, 0.2); /* warm-up */
    double r = s_rate(s_all, a, secs);
    printf("enrich: %.0f articles/s (per core, CPU time; %.1f us/article, mean body %zu B)\n", r, 1e6 / r,
           total / NSEEDS);
    static const struct {
        const char *name;
        step_fn fn;
    } steps[] = {{"fingerprints", s_hash},     {"language", s_lang},         {"dates", s_dates},
                 {"money", s_money},           {"quotes+sources", s_quotes}, {"keywords", s_keywords},
                 {"summary+flesch", s_summary}};
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        double sr = s_rate(steps[i].fn, a, secs / 8);
        printf("  %-15s %7.1f us/article\n", steps[i].name, 1e6 / sr);
    }
    tlx_arena_destroy(&a);
    return 0;
}
