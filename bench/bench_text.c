/* SPDX-License-Identifier: Apache-2.0 */
/*  bench_text -- normalization + structure throughput on the seeds, one
    core, CPU time (make bench).  Prints MB/s for each stage and together. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_seeds.h"
#include "tlx_norm.h"
#include "tlx_structure.h"

int main(void)
{
    char *texts[64];
    size_t lens[64], total = 0;
    int n = bench_seeds_read(TLX_SOURCE_DIR "/seeds", texts, lens, 64);
    for (int i = 0; i < n; i++)
        total += lens[i];
    if (!n) {
        fprintf(stderr, "bench_text: no seeds\n");
        return 1;
    }
    tlx_boiler_rules_t *rules = tlx_boiler_rules_load(TLX_SOURCE_DIR "/data/boilerplate");
    tlx_arena_t *a = tlx_arena_new(1 << 20);
    tlx_text_opts_t o = {.source = "dailynk", .tz = "Asia/Seoul"};
    double tn = 0, ts = 0;
    size_t bytes = 0;
    double start = bench_thread_cpu();
    while (bench_thread_cpu() - start < 2.0) {
        for (int i = 0; i < n; i++) {
            tlx_arena_reset(a);
            char *norm;
            size_t nl;
            uint32_t flags = 0;
            double t0 = bench_thread_cpu();
            tlx_norm_text(texts[i], lens[i], a, &norm, &nl, &flags);
            double t1 = bench_thread_cpu();
            tlx_record_t rec;
            memset(&rec, 0, sizeof rec);
            tlx_structure_parse(norm, nl, &o, rules, a, &rec);
            ts += bench_thread_cpu() - t1;
            tn += t1 - t0;
            bytes += lens[i];
        }
    }
    printf("text: %.0f MB/s per core (normalize %.0f MB/s, structure %.0f MB/s; %d seeds, %zu bytes each "
           "pass)\n",
           (double)bytes / (tn + ts) / 1e6, (double)bytes / tn / 1e6, (double)bytes / ts / 1e6, n, total);
    tlx_arena_destroy(&a);
    tlx_boiler_rules_destroy(&rules);
    for (int i = 0; i < n; i++)
        free(texts[i]);
    return 0;
}
