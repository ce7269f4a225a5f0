/* SPDX-License-Identifier: Apache-2.0 */
/*  telex_ner.c -- `telex ner` (tag CoNLL token lines) and `telex train-ner`.

    How: `ner` reads its input in batches of whole documents (a document
    ends at -DOCSTART- or end of input; a batch at 8 MB), because the
    tagger's document features need the whole document; the batch's
    documents are tagged on up to 4 threads, each with its own scratch
    (word cache), and the lines are written in order so blank lines and
    -DOCSTART- lines come out exactly where they went in.  Any bytes are
    accepted: a token is whatever precedes the first space or tab.
    Rejected: tagging sentence by sentence (loses the document features,
    about 1 F1) and reading the whole input at once (unbounded memory on a
    stream of many documents).
*/
#include "telex_ner.h"

#include <glob.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tlx_error.h"
#include "tlx_gaz.h"
#include "tlx_ner.h"

static const char *s_datadir(const char *opt)
{
    if (opt && *opt)
        return opt;
    const char *env = getenv("TELEX_DATA");
    if (env && *env)
        return env;
#ifdef TLX_DATADIR_SOURCE
    static const char *const cands[] = {TLX_DATADIR_SOURCE, TLX_DATADIR_INSTALL, "./data"};
#else
    static const char *const cands[] = {"./data"};
#endif
    char p[4200];
    for (size_t i = 0; i < sizeof cands / sizeof *cands; i++) {
        snprintf(p, sizeof p, "%s/ner/model.bin", cands[i]);
        if (access(p, R_OK) == 0)
            return cands[i];
    }
    return "./data";
}

/* Input lines out of large reads (getline costs a lock and a call per
   line); a line is valid until the next call. */
typedef struct {
    FILE *f;
    char *buf;
    size_t cap, pos, len;
    int eof;
} s_reader_t;

#define S_READ_BLOCK ((size_t)1 << 18)

/* Next line without its newline in *line, its length in *n; 0 at end of input, -1 out of
   memory. */
static int s_read_line(s_reader_t *r, const char **line, size_t *n)
{
    for (;;) {
        char *nl = r->pos < r->len ? memchr(r->buf + r->pos, '\n', r->len - r->pos) : NULL;
        if (nl || (r->eof && r->pos < r->len)) {
            size_t end = nl ? (size_t)(nl - r->buf) : r->len;
            *line = r->buf + r->pos;
            *n = end - r->pos;
            r->pos = nl ? end + 1 : end;
            return 1;
        }
        if (r->eof)
            return 0;
        /* keep the partial line, read more after it */
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->len -= r->pos;
        r->pos = 0;
        if (r->cap - r->len < S_READ_BLOCK) {
            size_t nc = r->cap ? r->cap * 2 : S_READ_BLOCK * 2;
            char *nb = realloc(r->buf, nc);
            if (!nb)
                return -1;
            r->buf = nb;
            r->cap = nc;
        }
        size_t got = fread(r->buf + r->len, 1, r->cap - r->len, r->f);
        r->len += got;
        if (got == 0)
            r->eof = 1;
    }
}

/* ---- a batch of documents ------------------------------------------------ */

enum { S_TOK, S_BLANK, S_RAW }; /* a token, a blank line, a line passed through */

typedef struct {
    size_t off; /* token (or raw line) bytes in buf */
    uint32_t len;
    uint8_t kind;
} s_line_t;

typedef struct {
    size_t line0, line1; /* the document's lines */
    size_t tok0, ntok;   /* its tokens in the batch's token array */
    uint32_t *ends;      /* its nsent sentence ends */
    size_t nsent;
    char *out; /* its output lines, formatted by the thread that tagged it */
    size_t outlen;
    int rc;
} s_bdoc_t;

typedef struct {
    char *buf;
    size_t nbuf, capbuf;
    s_line_t *lines;
    size_t nline, capline;
    s_bdoc_t *docs;
    size_t ndoc, capdoc;
    size_t open_line, open_buf; /* where the open document starts */
    tlx_ner_tok_t *toks;        /* for tagging: every token of the batch */
    uint8_t *lab;
    uint32_t *ends; /* sentence ends, at most one per line per document */
} s_batch_t;

#define S_DOC_LINES ((size_t)1 << 20) /* a document without -DOCSTART- is cut here */
#define S_DOC_BYTES ((size_t)64 << 20)
#define S_BATCH_BYTES ((size_t)8 << 20) /* documents tagged together */
#define S_MAX_THREADS 4

static int s_more(void **p, size_t *cap, size_t want, size_t elsz)
{
    if (want <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 1024;
    while (nc < want)
        nc *= 2;
    void *np = realloc(*p, nc * elsz);
    if (!np)
        return -1;
    *p = np;
    *cap = nc;
    return 0;
}

static int s_push_line(s_batch_t *bt, const char *s, size_t len, uint8_t kind)
{
    if (len > UINT32_MAX - 1)
        len = UINT32_MAX - 1;
    if (s_more((void **)&bt->buf, &bt->capbuf, bt->nbuf + len + 1, 1) ||
        s_more((void **)&bt->lines, &bt->capline, bt->nline + 1, sizeof(s_line_t)))
        return -1;
    memcpy(bt->buf + bt->nbuf, s, len);
    bt->lines[bt->nline++] = (s_line_t){bt->nbuf, (uint32_t)len, kind};
    bt->nbuf += len;
    return 0;
}

/* Ends the open document (if it has lines). */
static int s_close_doc(s_batch_t *bt)
{
    if (bt->open_line < bt->nline) {
        if (s_more((void **)&bt->docs, &bt->capdoc, bt->ndoc + 1, sizeof(s_bdoc_t)))
            return -1;
        bt->docs[bt->ndoc++] = (s_bdoc_t){.line0 = bt->open_line, .line1 = bt->nline};
    }
    bt->open_line = bt->nline;
    bt->open_buf = bt->nbuf;
    return 0;
}

/* Token array, sentence ends and label space for the closed documents. */
static int s_batch_index(s_batch_t *bt)
{
    size_t nt = 0;
    for (size_t i = 0; i < bt->nline; i++)
        nt += bt->lines[i].kind == S_TOK;
    free(bt->toks);
    free(bt->lab);
    free(bt->ends);
    bt->toks = malloc((nt + 1) * sizeof(*bt->toks));
    bt->lab = malloc(nt + 1);
    bt->ends = malloc((bt->nline + 1) * sizeof(uint32_t));
    if (!bt->toks || !bt->lab || !bt->ends)
        return -1;
    size_t k = 0, e = 0;
    for (size_t d = 0; d < bt->ndoc; d++) {
        s_bdoc_t *doc = &bt->docs[d];
        size_t k0 = k, e0 = e;
        doc->tok0 = k;
        for (size_t i = doc->line0; i < doc->line1; i++) {
            const s_line_t *l = &bt->lines[i];
            if (l->kind == S_TOK)
                bt->toks[k++] = (tlx_ner_tok_t){bt->buf + l->off, l->len, 0};
            else if (l->kind == S_BLANK && k > k0 && (e == e0 || bt->ends[e - 1] != k - k0))
                bt->ends[e++] = (uint32_t)(k - k0);
        }
        if (k > k0 && (e == e0 || bt->ends[e - 1] != k - k0))
            bt->ends[e++] = (uint32_t)(k - k0);
        doc->ntok = k - k0;
        doc->ends = bt->ends + e0;
        doc->nsent = e - e0;
    }
    return 0;
}

typedef struct {
    s_batch_t *bt;
    const tlx_ner_t *m;
    const tlx_gaz_t *gaz;
    tlx_ner_scratch_t *scr;
    size_t first, step; /* documents first, first + step, ... */
} s_job_t;

/* A tagged document's output lines ("token TAG", blank lines kept). */
static int s_format_doc(const s_batch_t *bt, s_bdoc_t *doc)
{
    size_t need = 1;
    for (size_t i = doc->line0; i < doc->line1; i++)
        need += bt->lines[i].len + 8;
    char *o = malloc(need);
    if (!o)
        return -1;
    size_t on = 0, k = doc->tok0;
    for (size_t i = doc->line0; i < doc->line1; i++) {
        const s_line_t *l = &bt->lines[i];
        if (l->kind == S_TOK) {
            memcpy(o + on, bt->buf + l->off, l->len);
            on += l->len;
            const char *tag = tlx_ner_label_iob2(bt->lab[k++]);
            size_t gl = tag[1] ? (tag[2] == 'M' ? 6 : 5) : 1; /* "O", "B-PER", "I-MISC" */
            o[on++] = ' ';
            memcpy(o + on, tag, gl);
            on += gl;
        }
        o[on++] = '\n';
    }
    doc->out = o;
    doc->outlen = on;
    return 0;
}

static void *s_tag_docs(void *arg)
{
    s_job_t *j = arg;
    for (size_t d = j->first; d < j->bt->ndoc; d += j->step) {
        s_bdoc_t *doc = &j->bt->docs[d];
        doc->rc = doc->ntok ? tlx_ner_tag_with(j->m, j->scr, j->gaz, j->bt->toks + doc->tok0, doc->ntok,
                                               doc->ends, doc->nsent, j->bt->lab + doc->tok0)
                            : 0;
        if (doc->rc == 0)
            doc->rc = s_format_doc(j->bt, doc);
    }
    return NULL;
}

/* The batch's lines in input order: each document's formatted output, the
   lines between documents (-DOCSTART-) as they came; frees the outputs. */
static void s_batch_write(s_batch_t *bt, FILE *out)
{
    size_t d = 0;
    for (size_t i = 0; i < bt->nline; i++) {
        if (d < bt->ndoc && i == bt->docs[d].line0) {
            fwrite(bt->docs[d].out, 1, bt->docs[d].outlen, out);
            free(bt->docs[d].out);
            bt->docs[d].out = NULL;
            i = bt->docs[d++].line1 - 1;
            continue;
        }
        fwrite(bt->buf + bt->lines[i].off, 1, bt->lines[i].len, out);
        fputc('\n', out);
    }
}

/* The model and gazetteer, loaded on a thread of their own while the
   first batch is read. */
typedef struct {
    const char *mpath, *gpath;
    tlx_ner_t *m;
    tlx_gaz_t *gaz;
    int err;
} s_loader_t;

static void *s_load(void *arg)
{
    s_loader_t *l = arg;
    l->m = tlx_ner_load(l->mpath, &l->err);
    if (l->m && (l->gaz = tlx_gaz_new()))
        tlx_gaz_load_dir(l->gaz, l->gpath); /* optional */
    return NULL;
}

/* What tagging needs besides the batch. */
typedef struct {
    s_loader_t ld;
    pthread_t loader;
    int loading; /* the loader thread is still to be joined */
    tlx_ner_scratch_t *scr[S_MAX_THREADS];
    size_t nthr;
    FILE *out;
} s_run_t;

/* Waits for the model: 0, or -2 when it could not be loaded. */
static int s_run_ready(s_run_t *run)
{
    if (run->loading) {
        pthread_join(run->loader, NULL);
        run->loading = 0;
    }
    return run->ld.m ? 0 : -2;
}

/* Tags the batch's documents (on up to nthr threads, each with its own
   scratch; a document is tagged whole by one of them), writes every line
   in input order and empties the batch.  Called when no document is open. */
static int s_batch_flush(s_batch_t *bt, s_run_t *run)
{
    if (s_run_ready(run))
        return -2;
    if (s_batch_index(bt))
        return -1;
    s_job_t jobs[S_MAX_THREADS];
    pthread_t th[S_MAX_THREADS];
    size_t nj = run->nthr < bt->ndoc ? run->nthr : (bt->ndoc ? bt->ndoc : 1), started = 0;
    for (size_t t = 0; t < nj; t++)
        jobs[t] = (s_job_t){bt, run->ld.m, run->ld.gaz, run->scr[t], t, nj};
    for (size_t t = 1; t < nj && pthread_create(&th[t], NULL, s_tag_docs, &jobs[t]) == 0; t++)
        started = t;
    /* this thread takes its share, and that of any thread not started */
    for (size_t t = 0; t < nj; t++)
        if (t == 0 || t > started)
            s_tag_docs(&jobs[t]);
    for (size_t t = 1; t <= started; t++)
        pthread_join(th[t], NULL);
    int rc = 0;
    for (size_t d = 0; d < bt->ndoc; d++)
        rc |= bt->docs[d].rc;
    if (rc) {
        for (size_t d = 0; d < bt->ndoc; d++)
            free(bt->docs[d].out);
        return -1;
    }
    s_batch_write(bt, run->out);
    bt->nline = bt->nbuf = bt->ndoc = bt->open_line = bt->open_buf = 0;
    return 0;
}

/* Ends the open document; tags and writes the batch once it is large. */
static int s_batch_close(s_batch_t *bt, s_run_t *run, int last)
{
    if (s_close_doc(bt))
        return -1;
    return last || bt->nbuf >= S_BATCH_BYTES ? s_batch_flush(bt, run) : 0;
}

/* One input line into the batch; documents end at -DOCSTART- and, in input
   without it, at a sentence end past S_DOC_LINES lines or S_DOC_BYTES. */
static int s_batch_line(s_batch_t *bt, s_run_t *run, const char *line, size_t len)
{
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    size_t b = 0;
    while (b < len && (line[b] == ' ' || line[b] == '\t'))
        b++;
    if (len - b >= 10 && memcmp(line + b, "-DOCSTART-", 10) == 0) {
        int rc = s_batch_close(bt, run, 0);
        if (rc || s_push_line(bt, line, len, S_RAW))
            return rc ? rc : -1;
        bt->open_line = bt->nline;
        bt->open_buf = bt->nbuf;
        return 0;
    }
    if (b == len) {
        if (s_push_line(bt, "", 0, S_BLANK))
            return -1;
        if (bt->nline - bt->open_line > S_DOC_LINES || bt->nbuf - bt->open_buf > S_DOC_BYTES)
            return s_batch_close(bt, run, 0);
        return 0;
    }
    size_t e = b;
    while (e < len && line[e] != ' ' && line[e] != '\t')
        e++;
    return s_push_line(bt, line + b, e - b, S_TOK);
}

static void s_batch_free(s_batch_t *bt)
{
    free(bt->buf);
    free(bt->lines);
    free(bt->docs);
    free(bt->toks);
    free(bt->lab);
    free(bt->ends);
}

static void s_usage_ner(FILE *f)
{
    fprintf(f, "usage: telex ner --conll [--model FILE] [--data DIR] [--threads N] [FILE|-]\n"
               "  tags CoNLL token lines (first column) with IOB2 PER/LOC/ORG/MISC;\n"
               "  documents are tagged on N threads (default: the online CPUs, at most 4)\n");
}

/* Reads, tags and writes the stream; 0, -1 (out of memory) or -2 (no
   model). */
static int s_ner_stream(FILE *f, s_run_t *run)
{
    s_batch_t bt = {0};
    s_reader_t rd = {.f = f};
    const char *line;
    size_t len;
    int rc = 0, got;
    while (rc == 0 && (got = s_read_line(&rd, &line, &len)) > 0)
        rc = s_batch_line(&bt, run, line, len);
    if (rc == 0 && got < 0)
        rc = -1;
    if (rc == 0)
        rc = s_batch_close(&bt, run, 1);
    free(rd.buf);
    s_batch_free(&bt);
    return rc;
}

static size_t s_default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > S_MAX_THREADS ? S_MAX_THREADS : (size_t)n;
}

int telex_cmd_ner(int argc, char **argv)
{
    const char *in = "-", *model = NULL, *data = NULL;
    int conll = 0;
    s_run_t run = {.nthr = s_default_threads(), .out = stdout};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--conll") == 0)
            conll = 1;
        else if (strcmp(argv[i], "--model") == 0 && i + 1 < argc)
            model = argv[++i];
        else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
            data = argv[++i];
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            long t = strtol(argv[++i], NULL, 10);
            if (t < 1 || t > S_MAX_THREADS)
                return s_usage_ner(stderr), 2;
            run.nthr = (size_t)t;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            s_usage_ner(stdout);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1])
            return s_usage_ner(stderr), 2;
        else
            in = argv[i];
    }
    if (!conll)
        return s_usage_ner(stderr), 2;
    const char *dir = s_datadir(data);
    char mpath[4200], gpath[4200];
    snprintf(mpath, sizeof mpath, "%s/ner/model.bin", dir);
    snprintf(gpath, sizeof gpath, "%s/gazetteers", dir);
    run.ld = (s_loader_t){.mpath = model ? model : mpath, .gpath = gpath};
    run.loading = pthread_create(&run.loader, NULL, s_load, &run.ld) == 0;
    if (!run.loading)
        s_load(&run.ld);
    /* a scratch per thread for the whole stream: a word is analysed once
       per thread, not once per document */
    int rc = 0;
    for (size_t t = 0; t < run.nthr; t++)
        if (!(run.scr[t] = tlx_ner_scratch_new()))
            rc = -1;
    FILE *f = strcmp(in, "-") == 0 ? stdin : fopen(in, "rb");
    if (!f)
        rc = s_run_ready(&run) ? -2 : -3;
    else if (rc == 0) {
        static char obuf[1 << 16];
        setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
        rc = s_ner_stream(f, &run);
    }
    s_run_ready(&run);
    if (rc == -2)
        fprintf(stderr, "telex: cannot load NER model %s (error %d)\n", run.ld.mpath, run.ld.err);
    else if (rc == -3)
        fprintf(stderr, "telex: cannot open %s\n", in);
    else if (rc)
        fprintf(stderr, "telex: ner: out of memory\n");
    fflush(stdout);
    if (f && f != stdin)
        fclose(f);
    for (size_t t = 0; t < run.nthr; t++)
        tlx_ner_scratch_destroy(&run.scr[t]);
    tlx_ner_destroy(&run.ld.m);
    tlx_gaz_destroy(&run.ld.gaz);
    return rc == 0 ? 0 : rc == -1 ? 1 : 2;
}

static void s_usage_train(FILE *f)
{
    fprintf(
        f,
        "usage: telex train-ner --train FILE [--dev FILE] --out FILE [--seed N] [--epochs N]\n"
        "                       [--bits N] [--min-count N] [--data DIR] [--lexicon FILE|none]\n"
        "                       [--clusters FILE|none]\n"
        "  --lexicon: name lists for the lexicon features (default DIR/ner/lexicon.tsv when present)\n"
        "  --clusters: word classes for the cluster features (default DIR/ner/clusters.tsv when present)\n");
}

int telex_cmd_train_ner(int argc, char **argv)
{
    const char *trainp = NULL, *devp = NULL, *outp = NULL, *data = NULL, *lexp = NULL, *clup = NULL;
    tlx_ner_train_opts_t o = {1, 0, 0, 0, NULL, NULL, NULL, 0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            s_usage_train(stdout);
            return 0;
        }
        if (!v)
            return s_usage_train(stderr), 2;
        i++;
        if (strcmp(a, "--train") == 0)
            trainp = v;
        else if (strcmp(a, "--dev") == 0)
            devp = v;
        else if (strcmp(a, "--out") == 0)
            outp = v;
        else if (strcmp(a, "--data") == 0)
            data = v;
        else if (strcmp(a, "--lexicon") == 0)
            lexp = v;
        else if (strcmp(a, "--clusters") == 0)
            clup = v;
        else if (strcmp(a, "--seed") == 0)
            o.seed = strtoull(v, NULL, 10);
        else if (strcmp(a, "--epochs") == 0)
            o.epochs = (uint32_t)strtoul(v, NULL, 10);
        else if (strcmp(a, "--bits") == 0)
            o.bucket_bits = (uint32_t)strtoul(v, NULL, 10);
        else if (strcmp(a, "--min-count") == 0)
            o.min_count = (uint32_t)strtoul(v, NULL, 10);
        else
            return s_usage_train(stderr), 2;
    }
    if (!trainp || !outp)
        return s_usage_train(stderr), 2;
    tlx_ner_corpus_t tr, dv;
    memset(&dv, 0, sizeof dv);
    if (tlx_ner_corpus_read(trainp, &tr)) {
        fprintf(stderr, "telex: cannot read %s\n", trainp);
        return 2;
    }
    if (devp && tlx_ner_corpus_read(devp, &dv)) {
        fprintf(stderr, "telex: cannot read %s\n", devp);
        tlx_ner_corpus_free(&tr);
        return 2;
    }
    char gpath[4200];
    snprintf(gpath, sizeof gpath, "%s/gazetteers", s_datadir(data));
    tlx_gaz_t *gaz = tlx_gaz_new();
    if (gaz)
        tlx_gaz_load_dir(gaz, gpath);
    char lpath[4200];
    if (!lexp) {
        snprintf(lpath, sizeof lpath, "%s/ner/lexicon.tsv", s_datadir(data));
        lexp = access(lpath, R_OK) == 0 ? lpath : NULL;
    } else if (strcmp(lexp, "none") == 0)
        lexp = NULL;
    o.lexicon = lexp;
    /* the gazetteers' names join the lexicon (unless --lexicon none) */
    glob_t gl;
    memset(&gl, 0, sizeof gl);
    char gpat[4300];
    snprintf(gpat, sizeof gpat, "%s/*.tsv", gpath);
    if (lexp && glob(gpat, 0, NULL, &gl) == 0) {
        o.names = (const char *const *)gl.gl_pathv;
        o.nnames = gl.gl_pathc;
    }
    char cpath[4200];
    if (!clup) {
        snprintf(cpath, sizeof cpath, "%s/ner/clusters.tsv", s_datadir(data));
        clup = access(cpath, R_OK) == 0 ? cpath : NULL;
    } else if (strcmp(clup, "none") == 0)
        clup = NULL;
    o.clusters = clup;
    fprintf(stderr,
            "train: %zu tokens, %zu docs; dev: %zu tokens; gazetteer: %zu names; lexicon: %s; clusters: %s\n",
            tr.ntok, tr.ndoc, dv.ntok, tlx_gaz_size(gaz), lexp ? lexp : "none", clup ? clup : "none");
    if (o.nnames)
        fprintf(stderr, "lexicon: also the names of %zu gazetteer files\n", o.nnames);
    int rc = tlx_ner_train(&tr, devp ? &dv : NULL, gaz, &o, outp, stderr);
    if (rc == TLX_EIO && lexp && access(lexp, R_OK) != 0)
        fprintf(stderr, "telex: train-ner: cannot read the lexicon %s\n", lexp);
    else if (rc == TLX_EIO && clup && access(clup, R_OK) != 0)
        fprintf(stderr, "telex: train-ner: cannot read the clusters %s\n", clup);
    else if (rc)
        fprintf(stderr, "telex: train-ner failed (error %d)\n", rc);
    globfree(&gl);
    tlx_ner_corpus_free(&tr);
    tlx_ner_corpus_free(&dv);
    tlx_gaz_destroy(&gaz);
    return rc ? 1 : 0;
}
