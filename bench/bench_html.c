/* SPDX-License-Identifier: Apache-2.0 */
/*  bench_html -- article extraction from web pages (tlx_html), one core,
    thread CPU time (make bench).  Pages: the *.html.gz of the extraction
    benchmark when present ($TELEX_HTML_DIR, default
    /work/shared/corpus/html/pages, unpacked with `gzip -dc`), else one
    synthetic 100 KB news page.  Prints pages/s, MB/s and the cost of a
    100 KB page for the extraction alone and for the whole text pipeline. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_seeds.h"
#include "tlx_html.h"
#include "tlx_text.h"

#define MAX_PAGES 512

/* Reads `gzip -dc path` into a malloc'd buffer; NULL on failure. */
static char *s_gunzip(const char *path, size_t *len)
{
    char cmd[4400];
    snprintf(cmd, sizeof cmd, "gzip -dc '%s'", path);
    FILE *f = popen(cmd, "r");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    while (b) {
        size_t r = fread(b + n, 1, cap - n, f);
        n += r;
        if (n < cap)
            break;
        char *nb = realloc(b, cap *= 2);
        if (!nb) {
            free(b);
            b = NULL;
        } else
            b = nb;
    }
    if (pclose(f) != 0 || !n) {
        free(b);
        return NULL;
    }
    *len = n;
    return b;
}

/* A news page of about 100 KB: head with metadata and scripts, navigation,
   the article, a related list, comments and a footer. */
static char *s_synthetic(size_t *len)
{
    size_t cap = 256 << 10, n = 0;
    char *b = malloc(cap);
    if (!b)
        return NULL;
#define PUT(...) n += (size_t)snprintf(b + n, cap - n, __VA_ARGS__)
    PUT("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Council expands bus network | "
        "Example News</title><meta property=\"og:title\" content=\"Council expands bus network\">"
        "<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"Council expands bus "
        "network\",\"datePublished\":\"2024-03-05T14:30:00Z\",\"author\":{\"name\":\"Ana Lima\"}}</script>");
    for (int i = 0; i < 150; i++)
        PUT("<script>window.dataLayer=window.dataLayer||[];function "
            "gtag(){dataLayer.push(arguments)}gtag('js',"
            "new Date());gtag('config','UA-%d');var ads=[1,2,3,4,5,6,7,8,9,10];</script>",
            i);
    PUT("</head><body><header><nav><ul>");
    for (int i = 0; i < 200; i++)
        PUT("<li class=\"nav-item\"><a href=\"/section/%d\">Section %d</a></li>", i, i);
    PUT("</ul></nav></header><main><article class=\"story\"><h1>Council expands bus network</h1>");
    for (int i = 0; i < 150; i++)
        PUT("<p>The city council voted on Tuesday to expand the bus network, adding route %d, two depots and "
            "a "
            "night service that runs until three in the morning, the mayor said, and officials expect "
            "<a href=\"/r/%d\">40,000 riders</a> a day by next year.</p>",
            i, i);
    PUT("<div class=\"related\"><ul>");
    for (int i = 0; i < 100; i++)
        PUT("<li><a href=\"/story/%d\">Another story number %d about transport</a></li>", i, i);
    PUT("</ul></div></article><section id=\"comments\">");
    for (int i = 0; i < 100; i++)
        PUT("<div class=\"comment\"><p>Reader %d: I have waited for this bus for years, finally!</p></div>",
            i);
    PUT("</section></main><footer>");
    for (int i = 0; i < 100; i++)
        PUT("<a href=\"/f/%d\">Footer link %d</a> ", i, i);
    PUT("</footer></body></html>");
#undef PUT
    *len = n;
    return b;
}

int main(void)
{
    static char *pages[MAX_PAGES];
    static size_t lens[MAX_PAGES];
    size_t total = 0;
    int n = 0;
    const char *dir = getenv("TELEX_HTML_DIR");
    if (!dir || !*dir)
        dir = "/work/shared/corpus/html/pages";
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) && n < MAX_PAGES) {
        size_t l = strlen(e->d_name);
        if (l < 9 || strcmp(e->d_name + l - 8, ".html.gz") != 0)
            continue;
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if ((pages[n] = s_gunzip(path, &lens[n])))
            total += lens[n++];
    }
    if (d)
        closedir(d);
    const char *what = "extraction benchmark pages";
    if (!n) {
        if (!(pages[0] = s_synthetic(&lens[0])))
            return 1;
        total = lens[0];
        n = 1;
        what = "synthetic page";
    }
    printf("%d %s, %.1f KB on average\n", n, what, total / 1024.0 / n);

    tlx_html_init();
    tlx_arena_t *a = tlx_arena_new(1 << 20);
    const char *err = NULL;
    tlx_text_t *tx = tlx_text_new(NULL, &err);
    if (!a || !tx) {
        fprintf(stderr, "bench_html: cannot load the text pipeline: %s\n", err ? err : "out of memory");
        return 1;
    }
    for (int stage = 0; stage < 2; stage++) {
        size_t done = 0, bytes = 0;
        double start = bench_thread_cpu();
        while (bench_thread_cpu() - start < 3.0) {
            for (int i = 0; i < n; i++) {
                tlx_arena_reset(a);
                if (stage == 0) {
                    tlx_html_doc_t doc;
                    tlx_html_extract(pages[i], lens[i], a, &doc);
                } else {
                    tlx_record_t rec;
                    tlx_text_opts_t o = {.format = TLX_FORMAT_HTML};
                    tlx_text_process(tx, pages[i], lens[i], &o, a, &rec);
                }
                done++;
                bytes += lens[i];
            }
        }
        double t = bench_thread_cpu() - start;
        printf("%-26s %8.0f pages/s  %6.1f MB/s  %.2f ms per 100 KB page (one core)\n",
               stage == 0 ? "html extraction:" : "html + whole text pipeline:", done / t, bytes / t / 1e6,
               t / (bytes / 102400.0) * 1e3);
    }
    tlx_text_destroy(&tx);
    tlx_arena_destroy(&a);
    for (int i = 0; i < n; i++)
        free(pages[i]);
    return 0;
}
