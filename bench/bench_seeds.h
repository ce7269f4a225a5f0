/* SPDX-License-Identifier: Apache-2.0 */
/*  bench_seeds.h -- what the benchmarks share: the seed texts they feed
    (every *.txt of a directory, read whole and NUL-terminated) and the
    thread CPU clock they measure with.  One copy for bench_e2e,
    bench_article, bench_commit, bench_enrich, bench_html and bench_text
    (header-only: each bench is one file).
*/
#ifndef BENCH_SEEDS_H
#define BENCH_SEEDS_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tlx_proto.h"

/* This thread's CPU time in seconds: "on one core" even when the machine
   is shared. */
static inline double bench_thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads the whole file at path into a malloc'ed, NUL-terminated buffer;
   NULL when it cannot be opened, sized or read. */
static inline char *bench_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *b = NULL;
    long n = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (b = malloc((size_t)n + 1)) &&
        fread(b, 1, (size_t)n, f) != (size_t)n) {
        free(b);
        b = NULL;
    }
    fclose(f);
    if (b)
        b[n] = '\0', *len = (size_t)n;
    return b;
}

/* Reads at most max *.txt files of dir into texts[] / lens[] (directory
   order); files that cannot be read are skipped.  Returns how many were
   read: 0 when there are none or dir cannot be opened. */
static inline int bench_seeds_read(const char *dir, char **texts, size_t *lens, int max)
{
    int n = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)) && n < max) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".txt") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if ((texts[n] = bench_read_file(path, &lens[n])))
            n++;
    }
    if (d)
        closedir(d);
    return n;
}

/* What makes each bench article distinct, as bench_e2e sends them: the
   line "Ref. PREFIX-I" after the text (written at text + len, which must
   have BENCH_REF_MAX bytes of room) and the id "PREFIX-I" (in id[idsz]).
   Returns the length of the appended tail. */
#define BENCH_REF_MAX 128
static inline size_t bench_article_ref(char *text, size_t len, const char *prefix, long i, char *id,
                                       size_t idsz)
{
    snprintf(id, idsz, "%s-%ld", prefix, i);
    int n = snprintf(text + len, BENCH_REF_MAX, "\n\nRef. %s\n", id);
    return n > 0 && n < BENCH_REF_MAX ? (size_t)n : 0;
}

/* Bench article I, the envelope bench_article and bench_commit feed: the
   seed text (len bytes) with the "Ref. bench-I" tail, id "bench-I" (in
   id[idsz]), producer "bench", seq I + 1, source "dailynk", encoded into
   out.  Returns the text's length with its tail, 0 when out of memory. */
static inline size_t bench_article_envelope(const char *seed, size_t len, long i, char *id, size_t idsz,
                                            tlx_buf_t *out)
{
    char *t = malloc(len + BENCH_REF_MAX);
    if (!t)
        return 0;
    memcpy(t, seed, len);
    size_t n = len + bench_article_ref(t, len, "bench", i, id, idsz);
    tlx_envelope_t env = {.v = 1,
                          .producer = {"bench", 5},
                          .seq = (uint64_t)i + 1,
                          .text = {t, n},
                          .id = {id, strlen(id)},
                          .source = {"dailynk", 7}};
    int rc = tlx_envelope_encode(&env, out);
    free(t);
    return rc ? 0 : n;
}

#endif
