/* SPDX-License-Identifier: Apache-2.0 */
/*  bench_commit.c -- what telexd's writer thread does per article of the
    full pipeline, alone: the store side of a commit group.  The articles
    bench_e2e sends (each seed with a unique last line, source "dailynk")
    go through tlx_enricher_process() once, beforehand; then, in a fresh
    store opened as telexd opens it (document frequencies held 2 s,
    written 2,048 terms a commit), groups of GROUP envelopes are accepted
    in one commit (tlx_store_accept) and their records stored in the next
    (tlx_store_commit_record with the enrich stage's hints: fingerprints,
    document-frequency terms of one article in 8, line keys), as the
    writer does while the inbox is deep.  Prints the thread's CPU time per
    article (user + system: the page copies and the fsync's CPU are the
    writer's), for the accept commits and the record commits apart, and
    the bytes the process wrote per article.  No sockets, no dispatch, no
    other thread: the writer's store work per article, robust to a shared
    machine.
    usage: bench_commit [ARTICLES] [GROUP] (default 8192, 64).  Figures
    only, no assertions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench_seeds.h"
#include "tlx_enricher.h"
#include "tlx_proto.h"
#include "tlx_store.h"
#include "tlx_text.h"

#define MAXSEEDS 16

/* Bytes this process has written (write/pwrite/writev), from /proc. */
static unsigned long long s_wchar(void)
{
    FILE *f = fopen("/proc/self/io", "r");
    unsigned long long v = 0;
    char line[128];
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "wchar: %llu", &v) == 1)
            break;
    if (f)
        fclose(f);
    return v;
}

typedef struct {
    tlx_buf_t env;
    char id[32];
    const char *text; /* inside env */
    size_t text_len;
    char *rec;
    size_t rec_len;
    tlx_commit_hints_t hints; /* terms and line keys malloc'd */
} art_t;

static int s_prepare(const tlx_text_t *text, art_t *arts, int na, char **texts, size_t *lens, int nt)
{
    tlx_arena_t *arena = tlx_arena_new(1 << 20);
    tlx_text_scratch_t *scratch = tlx_text_scratch_new();
    for (int i = 0; i < na; i++) {
        art_t *a = &arts[i];
        int k = i % nt;
        if (!bench_article_envelope(texts[k], lens[k], i, a->id, sizeof a->id, &a->env))
            return 1;
        tlx_envelope_t dec;
        tlx_limits_t lim;
        tlx_limits_default(&lim);
        tlx_reject_t why;
        char detail[200];
        if (tlx_envelope_decode(a->env.data, a->env.len, &lim, &dec, &why, detail, sizeof detail))
            return 1;
        a->text = dec.text.p;
        a->text_len = dec.text.len;
        tlx_enricher_job_t job = {.env = a->env.data,
                                  .env_len = a->env.len,
                                  .id = a->id,
                                  .id_len = strlen(a->id),
                                  .revision = 1,
                                  .received_at = 1716800000000ULL,
                                  .want_terms = i % 8 == 0,
                                  .scratch = scratch};
        tlx_enricher_out_t out;
        tlx_arena_reset(arena);
        if (tlx_enricher_process(text, arena, &job, &out) != 0) {
            fprintf(stderr, "bench_commit: %s: %s\n", out.stage, out.reason);
            return 1;
        }
        a->rec = out.rec;
        a->rec_len = out.rec_len;
        a->hints = out.hints;
        if (out.hints.terms) {
            char *terms = malloc(out.hints.terms_len);
            memcpy(terms, out.hints.terms, out.hints.terms_len);
            a->hints.terms = terms;
        }
        if (out.hints.line_keys) {
            uint64_t *keys = malloc((out.hints.nline_keys + 1) * sizeof *keys);
            memcpy(keys, out.hints.line_keys, out.hints.nline_keys * sizeof *keys);
            a->hints.line_keys = keys;
        }
    }
    tlx_text_scratch_destroy(&scratch);
    tlx_arena_destroy(&arena);
    return 0;
}

int main(int argc, char **argv)
{
    int na = argc > 1 ? atoi(argv[1]) : 8192;
    int group = argc > 2 ? atoi(argv[2]) : 64;
    if (na < 1 || group < 1) {
        fprintf(stderr, "usage: bench_commit [ARTICLES] [GROUP]\n");
        return 2;
    }
    const char *dir = TLX_SOURCE_DIR "/seeds";
    char *texts[MAXSEEDS];
    size_t lens[MAXSEEDS];
    int nt = bench_seeds_read(dir, texts, lens, MAXSEEDS);
    if (!nt) {
        fprintf(stderr, "bench_commit: no seeds in %s\n", dir);
        return 1;
    }
    const char *err = NULL;
    tlx_text_t *text = tlx_text_new(NULL, &err);
    if (!text) {
        fprintf(stderr, "bench_commit: %s\n", err ? err : "cannot load the pipeline");
        return 1;
    }
    art_t *arts = calloc((size_t)na, sizeof *arts);
    if (!arts || s_prepare(text, arts, na, texts, lens, nt)) {
        fprintf(stderr, "bench_commit: cannot prepare the articles\n");
        return 1;
    }
    char tmpl[] = "/tmp/bench-commit.XXXXXX";
    if (!mkdtemp(tmpl)) {
        perror("bench_commit: mkdtemp");
        return 1;
    }
    char sdir[64];
    snprintf(sdir, sizeof sdir, "%s/store", tmpl);
    tlx_store_opts_t so;
    tlx_store_opts_default(&so);
    so.df_flush_ms = 2000; /* as telexd (tlx_daemon.c) */
    so.df_flush_terms = 2048;
    tlx_store_t *st;
    char serr[600];
    if (tlx_store_open(sdir, &so, &st, serr, sizeof serr)) {
        fprintf(stderr, "bench_commit: %s\n", serr);
        return 1;
    }
    uint64_t *inbox = calloc((size_t)na, sizeof *inbox);
    double t_acc = 0, t_rec = 0;
    unsigned long long w0 = s_wchar();
    int rc = 0;
    for (int g = 0; g < na && !rc; g += group) {
        int end = g + group < na ? g + group : na;
        double t0 = bench_thread_cpu();
        rc = tlx_store_wbegin(st);
        for (int i = g; i < end && !rc; i++) {
            tlx_accept_in_t in = {.id = arts[i].id,
                                  .id_len = strlen(arts[i].id),
                                  .text = arts[i].text,
                                  .text_len = arts[i].text_len,
                                  .raw = arts[i].env.data,
                                  .raw_len = arts[i].env.len,
                                  .received_at = 1716800000000ULL,
                                  .attempts = 1};
            tlx_accept_out_t out;
            rc = tlx_store_accept(st, &in, &out);
            inbox[i] = out.inbox_seq;
        }
        if (!rc)
            rc = tlx_store_wcommit(st);
        double t1 = bench_thread_cpu();
        if (!rc)
            rc = tlx_store_wbegin(st);
        for (int i = g; i < end && !rc; i++) {
            uint64_t seq;
            rc = tlx_store_commit_record(st, inbox[i], arts[i].rec, arts[i].rec_len, &arts[i].hints, &seq);
        }
        if (!rc)
            rc = tlx_store_wcommit(st);
        double t2 = bench_thread_cpu();
        t_acc += t1 - t0;
        t_rec += t2 - t1;
    }
    unsigned long long written = s_wchar() - w0;
    if (rc)
        fprintf(stderr, "bench_commit: store error %d: %s\n", rc, tlx_store_errmsg(st));
    else
        printf("commit: %.1f us/article CPU (accept %.1f + records %.1f; groups of %d, %d articles), "
               "%.1f KB written/article\n",
               (t_acc + t_rec) * 1e6 / na, t_acc * 1e6 / na, t_rec * 1e6 / na, group, na,
               (double)written / 1024.0 / na);
    tlx_store_close(&st);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpl);
    if (system(cmd) != 0)
        fprintf(stderr, "bench_commit: could not remove %s\n", tmpl);
    for (int i = 0; i < na; i++) {
        tlx_buf_free(&arts[i].env);
        free(arts[i].rec);
        free((void *)arts[i].hints.terms);
        free((void *)arts[i].hints.line_keys);
    }
    free(arts);
    free(inbox);
    for (int k = 0; k < nt; k++)
        free(texts[k]);
    tlx_text_destroy(&text);
    return rc ? 1 : 0;
}
