/* SPDX-License-Identifier: Apache-2.0 */
/*  bench_article.c -- what one enrich thread does per article, alone:
    tlx_enricher_process() (envelope decode, the whole text pipeline,
    the writer's hints with the document-frequency terms of one article in
    8, the record pack) on the articles bench_e2e sends (each seed with a
    unique last line, source "dailynk"), one thread, the arena reset
    between articles as telexd's enrich threads do.  Prints the thread's
    CPU time per article and its page faults per article: the enrich side
    of the end-to-end CPU figure without the writer, the sockets or the
    other cores.
    usage: bench_article [--no-scratch] [SECONDS] (default 2); --no-scratch:
    without the per-thread pipeline scratch (tlx_text_scratch_new), as
    each article was processed before threads kept one.  Figures only, no
    assertions. */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "bench_seeds.h"
#include "tlx_enricher.h"
#include "tlx_proto.h"
#include "tlx_text.h"

#define MAXSEEDS 16
#define NVAR 64 /* distinct last lines per seed */

static long s_faults(void)
{
    struct rusage ru;
    getrusage(RUSAGE_THREAD, &ru);
    return ru.ru_minflt + ru.ru_majflt;
}

typedef struct {
    tlx_buf_t env;
    char id[32];
} art_t;

int main(int argc, char **argv)
{
    /* telexd's malloc settings (worker/telexd.c), so the figure is what an
       enrich thread spends: with glibc's default trim threshold the heap's
       top goes back to the kernel after an article and is refaulted. */
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
    mallopt(M_TRIM_THRESHOLD, 32 << 20);
    int no_scratch = argc > 1 && strcmp(argv[1], "--no-scratch") == 0;
    double secs = argc > 1 + no_scratch ? atof(argv[1 + no_scratch]) : 2.0;
    const char *dir = TLX_SOURCE_DIR "/seeds";
    char *texts[MAXSEEDS];
    size_t lens[MAXSEEDS];
    int nt = bench_seeds_read(dir, texts, lens, MAXSEEDS);
    if (!nt) {
        fprintf(stderr, "bench_article: no seeds in %s\n", dir);
        return 1;
    }
    const char *err = NULL;
    tlx_text_t *text = tlx_text_new(NULL, &err);
    if (!text) {
        fprintf(stderr, "bench_article: %s\n", err ? err : "cannot load the pipeline");
        return 1;
    }
    /* the envelopes, as the inbox stores them */
    static art_t arts[MAXSEEDS * NVAR];
    int na = 0;
    size_t bytes = 0;
    for (int v = 0; v < NVAR; v++)
        for (int k = 0; k < nt; k++, na++) {
            art_t *a = &arts[na];
            size_t n = bench_article_envelope(texts[k], lens[k], na, a->id, sizeof a->id, &a->env);
            if (!n) {
                fprintf(stderr, "bench_article: out of memory\n");
                return 1;
            }
            bytes += n;
        }
    tlx_arena_t *arena = tlx_arena_new(1 << 20);
    tlx_text_scratch_t *scratch = no_scratch ? NULL : tlx_text_scratch_new();
    long done = 0, faults0 = 0;
    double t0 = 0, t = 0;
    for (int pass = 0; pass < 2; pass++) { /* a warm-up pass, then the measured one */
        double until = pass ? secs : 0.2;
        done = 0;
        faults0 = s_faults();
        t0 = bench_thread_cpu();
        do {
            for (int r = 0; r < 20; r++, done++) {
                const art_t *a = &arts[done % na];
                tlx_enricher_job_t job = {.env = a->env.data,
                                          .env_len = a->env.len,
                                          .id = a->id,
                                          .id_len = strlen(a->id),
                                          .received_at = 1716800000000ULL,
                                          .want_terms = done % 8 == 0,
                                          .scratch = scratch};
                tlx_enricher_out_t out;
                tlx_arena_reset(arena);
                if (tlx_enricher_process(text, arena, &job, &out) != 0) {
                    fprintf(stderr, "bench_article: %s: %s\n", out.stage, out.reason);
                    return 1;
                }
                free(out.rec);
            }
            t = bench_thread_cpu();
        } while (t - t0 < until);
    }
    printf("article: %.0f articles/s (one thread, CPU time; %.1f us/article, %.2f page faults/article, "
           "mean text %zu B)\n",
           (double)done / (t - t0), (t - t0) * 1e6 / (double)done,
           (double)(s_faults() - faults0) / (double)done, bytes / (size_t)na);
    tlx_arena_destroy(&arena);
    tlx_text_scratch_destroy(&scratch);
    for (int i = 0; i < na; i++)
        tlx_buf_free(&arts[i].env);
    for (int k = 0; k < nt; k++)
        free(texts[k]);
    tlx_text_destroy(&text);
    return 0;
}
