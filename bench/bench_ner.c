/* SPDX-License-Identifier: Apache-2.0 */
/*  bench_ner.c -- NER throughput, model load time and memory.

    Prints tokens/s of tlx_ner_tag on one core over CoNLL-2003 eng.testa
    (directory from $TELEX_CONLL_DIR, default /work/shared/data/conll2003;
    skipped with a reason when absent), the F1 it reaches there, the model's
    load time and size, and the entity stage's time per seed article, with
    a cache per article (tlx_ner_ents_fill) and with one thread scratch
    (tlx_ner_ents_fill_with, as telexd's enrich threads run it).  Times are
    the thread's CPU time (robust on a shared machine), except the load
    times (wall clock).  Figures only: no assertion depends on timing.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tlx_arena.h"
#include "tlx_gaz.h"
#include "tlx_ner.h"
#include "tlx_ner_ents.h"

#ifndef TLX_SOURCE_DIR
#define TLX_SOURCE_DIR "."
#endif

static double s_clock(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double s_wall(void)
{
    return s_clock(CLOCK_MONOTONIC);
}

/* Thread CPU time: "on one core" even when the machine is shared. */
static double s_now(void)
{
    return s_clock(CLOCK_THREAD_CPUTIME_ID);
}

int main(void)
{
    const char *data = getenv("TELEX_DATA");
    char mpath[4096], gpath[4096];
    snprintf(mpath, sizeof mpath, "%s/ner/model.bin", data && *data ? data : TLX_SOURCE_DIR "/data");
    snprintf(gpath, sizeof gpath, "%s/gazetteers", data && *data ? data : TLX_SOURCE_DIR "/data");

    int err = 0;
    double t0 = s_wall();
    tlx_ner_t *m = tlx_ner_load(mpath, &err);
    double t_load = s_wall() - t0;
    if (!m) {
        printf("bench_ner: skipped: cannot load %s (error %d)\n", mpath, err);
        return 0;
    }
    tlx_gaz_t *g = tlx_gaz_new();
    t0 = s_wall();
    tlx_gaz_load_dir(g, gpath);
    double t_gaz = s_wall() - t0;
    printf("ner model: %s, %.1f MB mapped, load %.3f ms; gazetteers: %zu names, load %.3f ms\n", mpath,
           (double)tlx_ner_memory(m) / 1e6, t_load * 1e3, tlx_gaz_size(g), t_gaz * 1e3);

    const char *dir = getenv("TELEX_CONLL_DIR");
    char cpath[4096];
    snprintf(cpath, sizeof cpath, "%s/eng.testa", dir && *dir ? dir : "/work/shared/data/conll2003");
    tlx_ner_corpus_t c;
    if (access(cpath, R_OK) != 0 || tlx_ner_corpus_read(cpath, &c) != 0) {
        printf("ner tagging: skipped: %s not readable (set TELEX_CONLL_DIR)\n", cpath);
    } else {
        uint8_t *lab = malloc(c.ntok + 1);
        uint32_t *ends = malloc((c.nsent + 1) * sizeof(uint32_t));
        /* per-document caches (tlx_ner_tag), then one scratch for all (as
           `telex ner` and a worker thread use it) */
        for (int with = 0; with < 2; with++) {
            tlx_ner_scratch_t *scr = with ? tlx_ner_scratch_new() : NULL;
            size_t done = 0, rounds = 0;
            t0 = s_now();
            double el = 0;
            while (el < 2.0 || rounds < 3) {
                size_t s0 = 0;
                for (size_t d = 0; d < c.ndoc; d++) {
                    size_t s1 = c.doc_end[d], a = s0 ? c.sent_end[s0 - 1] : 0;
                    for (size_t s = s0; s < s1; s++)
                        ends[s - s0] = (uint32_t)(c.sent_end[s] - a);
                    size_t n = c.sent_end[s1 - 1] - a;
                    if (scr)
                        tlx_ner_tag_with(m, scr, g, c.toks + a, n, ends, s1 - s0, lab + a);
                    else
                        tlx_ner_tag(m, g, c.toks + a, n, ends, s1 - s0, lab + a);
                    done += n;
                    s0 = s1;
                }
                rounds++;
                el = s_now() - t0;
            }
            double p, r, f;
            tlx_ner_score(c.gold, lab, c.ntok, &p, &r, &f);
            printf("ner tagging%s: eng.testa %zu tokens x %zu rounds: %.2f M tokens/s on one core "
                   "(tagger only, documents with gazetteer); P %.2f R %.2f F1 %.2f\n",
                   scr ? " (one scratch)" : "", c.ntok, rounds, (double)done / el / 1e6, p, r, f);
            tlx_ner_scratch_destroy(&scr);
        }
        free(lab);
        free(ends);
        tlx_ner_corpus_free(&c);
    }

    /* the entity stage on the seed articles */
    static const char *const seeds[] = {"000_b95e5fb43f31aefa.txt", "001_fb1bfa2ad44c6e4f.txt",
                                        "002_8907b5e82464a41b.txt", "003_cbb70c7f6c33b917.txt",
                                        "004_50cf4b8f26c8f34a.txt"};
    char *texts[5];
    size_t lens[5], total = 0;
    for (int i = 0; i < 5; i++) {
        char p[4096];
        snprintf(p, sizeof p, "%s/seeds/%s", TLX_SOURCE_DIR, seeds[i]);
        FILE *f = fopen(p, "rb");
        texts[i] = malloc(1 << 16);
        lens[i] = f ? fread(texts[i], 1, (1 << 16) - 1, f) : 0;
        if (f)
            fclose(f);
        total += lens[i];
    }
    tlx_arena_t *ar = tlx_arena_new(1 << 16);
    for (int with = 0; with < 2; with++) {
        tlx_ner_scratch_t *scr = with ? tlx_ner_scratch_new() : NULL;
        size_t arts = 0;
        double el = 0;
        for (int pass = 0; pass < 2; pass++) { /* a warm-up pass, then the measured one */
            arts = 0;
            t0 = s_now();
            el = 0;
            while (el < (pass ? 1.0 : 0.1)) {
                for (int i = 0; i < 5; i++) {
                    tlx_record_t rec;
                    memset(&rec, 0, sizeof rec);
                    rec.body = texts[i];
                    rec.body_len = lens[i];
                    tlx_ner_ents_fill_with(m, scr, g, &rec, ar);
                    tlx_arena_reset(ar);
                    arts++;
                }
                el = s_now() - t0;
            }
        }
        printf("entity stage%s: %.1f us per seed article (%.0f bytes avg), %.1f MB/s\n",
               scr ? " (one scratch)" : "", el / (double)arts * 1e6, (double)total / 5,
               (double)total * (double)arts / 5 / el / 1e6);
        tlx_ner_scratch_destroy(&scr);
    }
    tlx_arena_destroy(&ar);
    for (int i = 0; i < 5; i++)
        free(texts[i]);
    tlx_gaz_destroy(&g);
    tlx_ner_destroy(&m);
    return 0;
}
