/* SPDX-License-Identifier: Apache-2.0 */
/*  bench_e2e -- push N seed-derived articles through a running telexd and
    measure: acks/s, end-to-end articles/s (until the store holds them all,
    not just acked) and ack latency p50/p99.  Also the producer of the
    kill -9 and chaos tests: --acks FILE records every final ack as
    "STATUS ID", flushed line by line.

    usage: bench_e2e --to EP --store DIR --count N [--prefix P] [--acks FILE]
                     [--window W] [--timeout-ms MS] [--rate N/s] [--no-wait] [--vary]
*/
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_seeds.h"
#include "tlx_producer.h"
#include "tlx_store.h"

typedef struct {
    double *lat_ms;
    double *sent_at;
    FILE *acks;
    long acked, accepted, duplicate, rejected;
} state_t;

static double s_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void s_on_ack(void *ctx, const tlx_ack_t *ack, void *user)
{
    state_t *st = ctx;
    size_t i = (size_t)(uintptr_t)user;
    st->lat_ms[i] = (s_now() - st->sent_at[i]) * 1000.0;
    st->acked++;
    if (ack->status == TLX_ACK_ACCEPTED)
        st->accepted++;
    else if (ack->status == TLX_ACK_DUPLICATE)
        st->duplicate++;
    else
        st->rejected++;
    if (st->acks) {
        fprintf(st->acks, "%s %.*s\n", tlx_ack_status_name(ack->status), (int)ack->id.len, ack->id.p);
        fflush(st->acks);
    }
}

static int s_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* --vary: articles that differ the way a newsroom's do.  Each keeps the
   head (first two lines: title, caption) of a seed and takes 12 body
   paragraphs drawn from all seeds, three words of each replaced by words of
   a 200,000-word vocabulary drawn with Zipf's law (rank r with probability
   ~ 1/r: a few common words, a long tail of rare ones, as names are), so
   texts, fingerprints and the vocabulary keep changing. */
typedef struct {
    const char *p;
    size_t len;
} span_t;

static uint64_t s_rand(uint64_t *x)
{
    *x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
    return *x;
}

static size_t s_zipf_word(uint64_t *x, char *out)
{
    static const char *syl[16] = {"ka",  "lo", "mi", "sun", "ter", "va", "no", "ri",
                                  "dan", "el", "po", "shi", "gu",  "an", "be", "yo"};
    double u = (double)(s_rand(x) >> 11) / 9007199254740992.0;
    uint32_t r = (uint32_t)exp(u * log(200000.0)); /* log-uniform rank: P(r) ~ 1/r */
    size_t n = 0;
    do {
        const char *y = syl[r & 15];
        while (*y)
            out[n++] = *y++;
        r >>= 4;
    } while (r);
    out[0] = (char)(out[0] - 'a' + 'A');
    return n;
}

static size_t s_vary(char *buf, long i, char **texts, size_t *lens, int nt, const span_t *paras, int npara)
{
    uint64_t x = 0x9E3779B97F4A7C15ull ^ (uint64_t)(i + 1) * 0xBF58476D1CE4E5B9ull;
    int k = (int)(s_rand(&x) % (uint64_t)nt);
    const char *t = texts[k], *nl = memchr(t, '\n', lens[k]);
    nl = nl ? memchr(nl + 1, '\n', lens[k] - (size_t)(nl + 1 - t)) : NULL;
    size_t n = nl ? (size_t)(nl + 1 - t) : 0;
    memcpy(buf, t, n);
    for (int q = 0; q < 12; q++) {
        const span_t *sp = &paras[s_rand(&x) % (uint64_t)npara];
        size_t at[3];
        for (int w = 0; w < 3; w++)
            at[w] = (size_t)(s_rand(&x) % (sp->len + 1));
        buf[n++] = '\n';
        for (size_t j = 0; j < sp->len; j++) {
            int swap = 0;
            for (int w = 0; w < 3; w++)
                swap |= at[w] == j && (j == 0 || sp->p[j - 1] == ' ') && sp->p[j] >= 'a' && sp->p[j] <= 'z';
            if (swap) { /* replace this word */
                n += s_zipf_word(&x, buf + n);
                while (j < sp->len && sp->p[j] >= 'a' && sp->p[j] <= 'z')
                    j++;
                j--;
            } else {
                buf[n++] = sp->p[j];
            }
        }
        buf[n++] = '\n';
    }
    return n;
}

/* The body paragraphs (lines after the first two) of every seed. */
static int s_paragraphs(char **texts, size_t *lens, int nt, span_t *out, int max)
{
    int n = 0;
    for (int k = 0; k < nt; k++) {
        const char *p = texts[k], *end = p + lens[k];
        for (int line = 0; p < end && n < max; line++) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
            if (line >= 2 && l > 40)
                out[n++] = (span_t){p, l};
            p += l + 1;
        }
    }
    return n;
}

int main(int argc, char **argv)
{
    const char *to = "tcp://127.0.0.1:5555", *store = NULL, *prefix = "bench", *acks = NULL;
    const char *seeds = TLX_SOURCE_DIR "/seeds";
    long count = 20000, rate = 0;
    int window = 256, timeout_ms = 2000, wait = 1, vary = 0;
    static const struct option opts[] = {{"to", required_argument, 0, 't'},
                                         {"store", required_argument, 0, 's'},
                                         {"count", required_argument, 0, 'n'},
                                         {"prefix", required_argument, 0, 'p'},
                                         {"acks", required_argument, 0, 'a'},
                                         {"window", required_argument, 0, 'w'},
                                         {"timeout-ms", required_argument, 0, 'T'},
                                         {"rate", required_argument, 0, 'r'},
                                         {"no-wait", no_argument, 0, 'N'},
                                         {"seeds", required_argument, 0, 'S'},
                                         {"vary", no_argument, 0, 'V'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 't':
            to = optarg;
            break;
        case 's':
            store = optarg;
            break;
        case 'n':
            count = atol(optarg);
            break;
        case 'p':
            prefix = optarg;
            break;
        case 'a':
            acks = optarg;
            break;
        case 'w':
            window = atoi(optarg);
            break;
        case 'T':
            timeout_ms = atoi(optarg);
            break;
        case 'r':
            rate = atol(optarg);
            break;
        case 'N':
            wait = 0;
            break;
        case 'S':
            seeds = optarg;
            break;
        case 'V':
            vary = 1;
            break;
        case 'h':
            printf("usage: bench_e2e --to EP --store DIR --count N [--prefix P] [--acks FILE] [--window W]\n"
                   "                 [--timeout-ms MS] [--rate N] [--no-wait] [--seeds DIR] [--vary]\n"
                   "--vary: each article a new mix of the seeds' paragraphs with words from a\n"
                   "        Zipf-distributed 200,000-word vocabulary (distinct texts, growing\n"
                   "        vocabulary) instead of a seed with a unique last line\n");
            return 0;
        default:
            return 2;
        }
    }
    /* the seed articles, each pushed many times with a unique id and a unique last line */
    char *texts[64];
    size_t lens[64];
    int nt = bench_seeds_read(seeds, texts, lens, 64);
    if (!nt) {
        fprintf(stderr, "bench_e2e: no seeds in %s\n", seeds);
        return 2;
    }
    state_t st = {.lat_ms = calloc((size_t)count, sizeof(double)),
                  .sent_at = calloc((size_t)count, sizeof(double))};
    if (acks && !(st.acks = fopen(acks, "a"))) {
        perror(acks);
        return 2;
    }
    tlx_producer_opts_t po = {
        .endpoint = to, .window = window, .timeout_ms = timeout_ms, .on_ack = s_on_ack, .ctx = &st};
    int err;
    tlx_producer_t *p = tlx_producer_new(&po, &err);
    if (!p) {
        fprintf(stderr, "bench_e2e: cannot connect to %s\n", to);
        return 2;
    }
    size_t maxlen = 0;
    for (int i = 0; i < nt; i++)
        maxlen = lens[i] > maxlen ? lens[i] : maxlen;
    span_t paras[512];
    int npara = s_paragraphs(texts, lens, nt, paras, 512);
    size_t maxpara = 0;
    for (int i = 0; i < npara; i++)
        maxpara = paras[i].len > maxpara ? paras[i].len : maxpara;
    if (vary && !npara) {
        fprintf(stderr, "bench_e2e: --vary: no paragraphs in %s\n", seeds);
        return 2;
    }
    /* a varied text: a seed's head, 12 paragraphs, each word swap at most 48 bytes longer */
    char *buf = malloc(maxlen + 12 * (maxpara + 2 + 3 * 48) + BENCH_REF_MAX);
    double t0 = s_now();
    size_t bytes = 0;
    for (long i = 0; i < count; i++) {
        int k = (int)(i % nt);
        size_t tl = lens[k];
        if (vary)
            tl = s_vary(buf, i, texts, lens, nt, paras, npara);
        else
            memcpy(buf, texts[k], lens[k]);
        char id[96];
        size_t n = bench_article_ref(buf, tl, prefix, i, id, sizeof id);
        tlx_envelope_t env = {.text = {buf, tl + n}, .id = {id, strlen(id)}, .source = {"dailynk", 7}};
        st.sent_at[i] = s_now();
        if (tlx_producer_send(p, &env, (void *)(uintptr_t)i, 120000, NULL) != 0) {
            fprintf(stderr, "bench_e2e: no progress for 120 s; giving up at %ld\n", i);
            return 1;
        }
        bytes += tl;
        if (rate > 0) {
            double due = t0 + (double)(i + 1) / (double)rate;
            while (s_now() < due)
                tlx_producer_poll(p, 1);
        }
    }
    if (tlx_producer_flush(p, 120000) != 0) {
        fprintf(stderr, "bench_e2e: %d articles never acknowledged\n", tlx_producer_unacked(p));
        return 1;
    }
    double t_acked = s_now() - t0;
    tlx_producer_destroy(&p);

    double t_done = t_acked;
    if (wait && store) {
        tlx_store_opts_t so;
        tlx_store_opts_default(&so);
        so.read_only = true;
        char errs[512];
        tlx_store_t *s;
        if (tlx_store_open(store, &so, &s, errs, sizeof errs) != 0) {
            fprintf(stderr, "bench_e2e: %s\n", errs);
            return 1;
        }
        for (;;) {
            tlx_store_counts_t k;
            tlx_store_counts(s, &k);
            if (k.inbox == 0)
                break;
            if (s_now() - t0 > 600) {
                fprintf(stderr, "bench_e2e: inbox not drained after 600 s\n");
                return 1;
            }
            usleep(2000);
        }
        t_done = s_now() - t0;
        tlx_store_close(&s);
    }
    qsort(st.lat_ms, (size_t)count, sizeof(double), s_cmp);
    printf("articles=%ld accepted=%ld duplicate=%ld rejected=%ld acked_s=%.3f done_s=%.3f acks_per_s=%.0f "
           "articles_per_s=%.0f MB_per_s=%.1f ack_p50_ms=%.2f ack_p99_ms=%.2f\n",
           count, st.accepted, st.duplicate, st.rejected, t_acked, t_done, (double)count / t_acked,
           (double)count / t_done, (double)bytes / t_done / 1e6, st.lat_ms[count / 2],
           st.lat_ms[(size_t)((double)count * 0.99)]);
    if (st.acks)
        fclose(st.acks);
    free(buf);
    for (int i = 0; i < nt; i++)
        free(texts[i]);
    free(st.lat_ms);
    free(st.sent_at);
    return st.rejected ? 1 : 0;
}
