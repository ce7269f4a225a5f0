/* SPDX-License-Identifier: Apache-2.0 */
/*  telex_ner.c -- `telex ner` (tag CoNLL token lines) and `telex train-ner`.

    How: `ner` takes its input in batches of whole documents (a document
    ends at -DOCSTART- or end of input; a batch at 8 MB), because the
    tagger's document features need the whole document.  A regular file is
    mapped (its pages come in one pass), a stream is read in large blocks;
    either way tokens are tagged where they lie: nothing is copied and no
    per-line array is built.  The batch is indexed in one pass (document
    boundaries and token counts); its documents are then claimed in order by
    up to 4 threads, each with its own scratch (word cache) and token array,
    and this thread writes each document as soon as it and the ones before
    it are tagged, scanning its lines again beside the labels, so blank
    lines and -DOCSTART- lines come out exactly where they went in.  Any
    bytes are accepted: a token is whatever precedes the first space or tab.
    Why so frugal: over a 1 MB file the whole run is a few tens of
    milliseconds and tagging only part of it; fresh memory is the rest's
    largest cost (every page first touched is a fault, microseconds each on
    a virtual machine), with copies and thread hand-offs after it.
    Rejected: tagging sentence by sentence (loses the document features,
    about 1 F1); reading a stream whole (unbounded memory on a stream of
    many documents); an array of lines and a copy of the tokens (as large
    as the input, all of it fresh pages).
*/
#include "telex_ner.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tlx_error.h"
#include "tlx_gaz.h"
#include "tlx_ner.h"
#include "tlx_swar.h"

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

/* ---- input ---------------------------------------------------------------- */

#define S_READ_BLOCK ((size_t)1 << 18)
#define S_MAP_MAX ((size_t)1 << 30)       /* larger files are read as a stream */
#define S_POPULATE_MAX ((size_t)64 << 20) /* mapped files up to this are prefaulted */

/* The input's bytes at p[0..len): a mapped regular file, or a stream read
   into buf in large blocks.  The batch being gathered starts at bs; the next
   line at pos.  Offsets, not pointers: buf moves when it grows. */
typedef struct {
    const char *p;
    size_t len, bs, pos;
    char *buf;
    size_t cap;
    void *map;
    size_t maplen;
    int fd, eof, err; /* err: errno of a failed read */
} s_in_t;

/* A regular file (from its current offset) is mapped whole: no copy, and
   its pages come in one pass instead of a fault per page. */
static void s_in_open(s_in_t *in, int fd)
{
    *in = (s_in_t){.fd = fd};
    struct stat st;
    off_t at = lseek(fd, 0, SEEK_CUR);
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || at < 0 || st.st_size <= at ||
        (uint64_t)st.st_size > S_MAP_MAX)
        return;
    size_t n = (size_t)st.st_size;
    void *m = mmap(NULL, n, PROT_READ, MAP_PRIVATE | (n <= S_POPULATE_MAX ? MAP_POPULATE : 0), fd, 0);
    if (m == MAP_FAILED)
        return; /* read as a stream */
    if (n > S_POPULATE_MAX)
        madvise(m, n, MADV_SEQUENTIAL);
    in->map = m;
    in->maplen = n;
    in->p = m;
    in->len = n;
    in->bs = in->pos = (size_t)at;
    in->eof = 1;
}

/* Reads more of a stream after p[len), first moving the batch's bytes to
   the front: 1, 0 at end of input, -1 out of memory, -4 read error. */
static int s_in_more(s_in_t *in)
{
    if (in->eof)
        return 0;
    if (in->bs) {
        memmove(in->buf, in->buf + in->bs, in->len - in->bs);
        in->len -= in->bs;
        in->pos -= in->bs;
        in->bs = 0;
    }
    if (in->cap - in->len < S_READ_BLOCK) {
        size_t nc = in->cap ? in->cap * 2 : 2 * S_READ_BLOCK;
        char *nb = realloc(in->buf, nc);
        if (!nb)
            return -1;
        in->buf = nb;
        in->cap = nc;
        in->p = nb;
    }
    for (;;) {
        ssize_t got = read(in->fd, in->buf + in->len, in->cap - in->len);
        if (got > 0) {
            in->len += (size_t)got;
            return 1;
        }
        if (got == 0 || errno != EINTR) {
            in->eof = 1;
            in->err = got ? errno : 0;
            return got ? -4 : 0;
        }
    }
}

/* The next line: it starts at offset *at, *n bytes without its newline;
   1, 0 at end of input, -1 out of memory, -4 read error. */
static int s_in_line(s_in_t *in, size_t *at, size_t *n)
{
    size_t seen = 0; /* bytes after pos known to hold no newline */
    for (;;) {
        size_t from = in->pos + seen;
        const char *nl = from < in->len ? memchr(in->p + from, '\n', in->len - from) : NULL;
        if (nl || (in->eof && in->pos < in->len)) {
            size_t end = nl ? (size_t)(nl - in->p) : in->len;
            *at = in->pos;
            *n = end - in->pos;
            in->pos = nl ? end + 1 : end;
            return 1;
        }
        seen = in->len - in->pos;
        int rc = s_in_more(in);
        if (rc <= 0 && !(rc == 0 && in->pos < in->len))
            return rc;
    }
}

/* ---- lines ---------------------------------------------------------------- */

enum { S_TOK, S_BLANK, S_RAW }; /* a token, a blank line, a line passed through (-DOCSTART-) */

/* What a line is (CR and LF at its end dropped from *n); a token's first
   byte and length in *tb, *tl. */
static inline int s_kind(const char *l, size_t *n, size_t *tb, size_t *tl)
{
    size_t len = *n;
    while (len && (l[len - 1] == '\n' || l[len - 1] == '\r'))
        len--;
    *n = len;
    size_t b = 0;
    while (b < len && (l[b] == ' ' || l[b] == '\t'))
        b++;
    if (b == len)
        return S_BLANK;
    if (l[b] == '-' && len - b >= 10 && memcmp(l + b, "-DOCSTART-", 10) == 0)
        return S_RAW;
    size_t e = b + 1;
    for (; len - e >= 8; e += 8) { /* to the first space or tab, eight bytes at a time */
        uint64_t w = tlx_swar_load(l + e), m = tlx_swar_eq(w, ' ') | tlx_swar_eq(w, '\t');
        if (m) {
            e += (size_t)__builtin_ctzll(m) / 8;
            goto end;
        }
    }
    while (e < len && l[e] != ' ' && l[e] != '\t')
        e++;
end:
    *tb = b;
    *tl = e - b < UINT32_MAX - 1 ? e - b : UINT32_MAX - 1;
    return S_TOK;
}

/* s_kind() without the token: a line that starts with a byte that is
   neither blank, CR nor '-' is a token line. */
static inline int s_kind_only(const char *l, size_t n)
{
    unsigned char c = n ? (unsigned char)l[0] : 0;
    if (c > ' ' && c != '-')
        return S_TOK;
    size_t tb, tl;
    return s_kind(l, &n, &tb, &tl);
}

/* ---- output --------------------------------------------------------------- */

typedef struct {
    char buf[1 << 16];
    size_t n;
    int fd, err; /* err: errno of a failed write */
} s_out_t;

static void s_out_flush(s_out_t *o)
{
    for (size_t at = 0; at < o->n && !o->err;) {
        ssize_t w = write(o->fd, o->buf + at, o->n - at);
        if (w > 0)
            at += (size_t)w;
        else if (w < 0 && errno != EINTR)
            o->err = errno;
    }
    o->n = 0;
}

static void s_out_put(s_out_t *o, const char *s, size_t n)
{
    while (n) {
        if (o->n == sizeof o->buf)
            s_out_flush(o);
        size_t k = sizeof o->buf - o->n < n ? sizeof o->buf - o->n : n;
        memcpy(o->buf + o->n, s, k);
        o->n += k;
        s += k;
        n -= k;
    }
}

/* The lines of base[*at, to) as output: tokens with their tags from
   lab[*k ...], blank lines empty, -DOCSTART- lines as they came. */
static void s_out_lines(s_out_t *o, const char *base, size_t *at, size_t to, const uint8_t *lab, size_t *k)
{
    const char *p = base + *at, *e = base + to;
    while (p < e) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(e - p), tb = 0, tl = 0;
        int kind = s_kind(p, &n, &tb, &tl);
        if (kind == S_TOK) {
            const char *tag = tlx_ner_label_iob2(lab[(*k)++]);
            size_t gl = tag[1] ? (tag[2] == 'M' ? 6 : 5) : 1; /* "O", "B-PER", "I-MISC" */
            if (tl + gl + 2 <= sizeof o->buf - o->n) {
                char *w = o->buf + o->n;
                memcpy(w, p + tb, tl);
                w[tl] = ' ';
                memcpy(w + tl + 1, tag, gl);
                w[tl + 1 + gl] = '\n';
                o->n += tl + gl + 2;
            } else {
                s_out_put(o, p + tb, tl);
                s_out_put(o, " ", 1);
                s_out_put(o, tag, gl);
                s_out_put(o, "\n", 1);
            }
        } else {
            if (kind == S_RAW)
                s_out_put(o, p, n);
            s_out_put(o, "\n", 1);
        }
        p = nl ? nl + 1 : e;
    }
    *at = to;
}

/* ---- a batch of documents ------------------------------------------------ */

typedef struct {
    size_t b0, b1;     /* its lines: bytes [b0, b1) of the batch */
    size_t tok0, ntok; /* its labels in the batch's label array */
    int rc;
    atomic_int tagged; /* rc is set */
} s_doc_t;

typedef struct {
    s_doc_t *docs;
    size_t ndoc, capdoc;
    uint8_t *lab;
    size_t ntok, caplab;
    /* the open document: where it starts, its lines and tokens, and its
       token bytes up to open_counted (counted only when it could be huge) */
    size_t open_b0, open_lines, open_ntok, open_bytes, open_counted;
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

/* Ends the open document at byte `end` of the batch (if it has lines);
   the next one opens there. */
static int s_close_doc(s_batch_t *bt, size_t end)
{
    if (bt->open_lines) {
        if (s_more((void **)&bt->docs, &bt->capdoc, bt->ndoc + 1, sizeof(s_doc_t)))
            return -1;
        s_doc_t *d = &bt->docs[bt->ndoc++];
        *d = (s_doc_t){.b0 = bt->open_b0, .b1 = end, .tok0 = bt->ntok, .ntok = bt->open_ntok};
        atomic_init(&d->tagged, 0);
        bt->ntok += bt->open_ntok;
    }
    bt->open_b0 = bt->open_counted = end;
    bt->open_lines = bt->open_bytes = bt->open_ntok = 0;
    return 0;
}

/* The open document's token bytes before byte `to` of the batch at base,
   counted on from where the last count stopped. */
static size_t s_open_bytes(s_batch_t *bt, const char *base, size_t to)
{
    const char *p = base + bt->open_counted, *e = base + to;
    while (p < e) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(e - p), tb = 0, tl = 0;
        if (s_kind(p, &n, &tb, &tl) == S_TOK)
            bt->open_bytes += tl;
        p = nl ? nl + 1 : e;
    }
    bt->open_counted = to;
    return bt->open_bytes;
}

/* The model, loaded on a thread of its own while the first batch is
   indexed and the gazetteer loaded. */
typedef struct {
    const char *mpath, *gpath;
    tlx_ner_t *m;
    tlx_gaz_t *gaz;
    int err, gaz_done;
} s_loader_t;

static void *s_load(void *arg)
{
    s_loader_t *l = arg;
    l->m = tlx_ner_load(l->mpath, &l->err);
    return NULL;
}

/* A tagging thread's own memory, kept for the whole stream: a word is
   analysed once per thread, not once per document. */
typedef struct {
    tlx_ner_scratch_t *scr;
    tlx_ner_tok_t *toks;
    uint32_t *ends;
    size_t cap;
} s_tagger_t;

/* What tagging needs besides the batch. */
typedef struct {
    s_loader_t ld;
    pthread_t loader;
    int loading; /* the loader thread is still to be joined */
    s_tagger_t tg[S_MAX_THREADS];
    size_t nthr;
    s_out_t *out;
} s_run_t;

/* Loads the gazetteer and waits for the model: 0, or -2 when it could not
   be loaded. */
static int s_run_ready(s_run_t *run)
{
    if (!run->ld.gaz_done) {
        run->ld.gaz_done = 1;
        if ((run->ld.gaz = tlx_gaz_new()))
            tlx_gaz_load_dir(run->ld.gaz, run->ld.gpath); /* optional */
    }
    if (run->loading) {
        pthread_join(run->loader, NULL);
        run->loading = 0;
    }
    return run->ld.m ? 0 : -2;
}

/* Tags one document (its lines again: tokens and sentence ends) into
   lab[doc->tok0 ...]. */
static int s_tag_doc(const s_run_t *run, s_tagger_t *tg, const char *base, const s_doc_t *doc, uint8_t *lab)
{
    if (!doc->ntok)
        return 0;
    if (doc->ntok > tg->cap) {
        tlx_ner_tok_t *t = realloc(tg->toks, doc->ntok * sizeof(*t));
        if (t)
            tg->toks = t;
        uint32_t *e = realloc(tg->ends, doc->ntok * sizeof(*e));
        if (e)
            tg->ends = e;
        if (!t || !e)
            return -1;
        tg->cap = doc->ntok;
    }
    size_t k = 0, ne = 0;
    const char *p = base + doc->b0, *e = base + doc->b1;
    while (p < e) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(e - p), tb = 0, tl = 0;
        if (s_kind(p, &n, &tb, &tl) == S_TOK)
            tg->toks[k++] = (tlx_ner_tok_t){p + tb, (uint32_t)tl, 0};
        else if (k && (ne == 0 || tg->ends[ne - 1] != k))
            tg->ends[ne++] = (uint32_t)k;
        p = nl ? nl + 1 : e;
    }
    if (k && (ne == 0 || tg->ends[ne - 1] != k))
        tg->ends[ne++] = (uint32_t)k;
    return tlx_ner_tag_with(run->ld.m, tg->scr, run->ld.gaz, tg->toks, k, tg->ends, ne, lab + doc->tok0);
}

typedef struct {
    const s_run_t *run;
    s_batch_t *bt;
    const char *base;
    atomic_size_t next; /* the next document to claim */
} s_share_t;

typedef struct {
    s_share_t *sh;
    s_tagger_t *tg;
} s_job_t;

/* Claims documents in input order and tags them; 1 when a document was tagged. */
static int s_tag_next(s_share_t *sh, s_tagger_t *tg)
{
    size_t d = atomic_fetch_add_explicit(&sh->next, 1, memory_order_relaxed);
    if (d >= sh->bt->ndoc)
        return 0;
    s_doc_t *doc = &sh->bt->docs[d];
    doc->rc = s_tag_doc(sh->run, tg, sh->base, doc, sh->bt->lab);
    atomic_store_explicit(&doc->tagged, 1, memory_order_release);
    return 1;
}

static void *s_tag_thread(void *arg)
{
    s_job_t *j = arg;
    while (s_tag_next(j->sh, j->tg))
        ;
    return NULL;
}

/* Tags the batch's documents base[0, len) on up to nthr threads and writes
   every line in input order: this thread tags documents too, and writes
   each as soon as it and the ones before it are tagged.  Empties the batch. */
static int s_batch_flush(s_batch_t *bt, s_run_t *run, const char *base, size_t len)
{
    if (s_run_ready(run))
        return -2;
    if (s_more((void **)&bt->lab, &bt->caplab, bt->ntok + 1, 1))
        return -1;
    s_share_t sh = {.run = run, .bt = bt, .base = base};
    atomic_init(&sh.next, 0);
    s_job_t jobs[S_MAX_THREADS];
    pthread_t th[S_MAX_THREADS];
    size_t nj = bt->ndoc < run->nthr ? (bt->ndoc ? bt->ndoc : 1) : run->nthr, started = 1;
    for (; started < nj; started++) {
        jobs[started] = (s_job_t){&sh, &run->tg[started]};
        if (pthread_create(&th[started], NULL, s_tag_thread, &jobs[started]) != 0)
            break; /* the threads there are take its share */
    }
    size_t w = 0, at = 0, k = 0;
    int rc = 0;
    for (;;) {
        while (rc == 0 && w < bt->ndoc && atomic_load_explicit(&bt->docs[w].tagged, memory_order_acquire)) {
            if ((rc = bt->docs[w].rc) == 0)
                s_out_lines(run->out, base, &at, bt->docs[w++].b1, bt->lab, &k);
        }
        if (rc || !s_tag_next(&sh, &run->tg[0]))
            break;
    }
    for (size_t t = 1; t < started; t++)
        pthread_join(th[t], NULL);
    for (; rc == 0 && w < bt->ndoc; w++)
        if ((rc = bt->docs[w].rc) == 0)
            s_out_lines(run->out, base, &at, bt->docs[w].b1, bt->lab, &k);
    if (rc == 0)
        s_out_lines(run->out, base, &at, len, bt->lab, &k); /* -DOCSTART- lines after the last document */
    bt->ndoc = bt->ntok = 0;
    bt->open_b0 = bt->open_counted = 0;
    return rc ? -1 : 0;
}

static void s_usage_ner(FILE *f)
{
    fprintf(f, "usage: telex ner --conll [--model FILE] [--data DIR] [--threads N] [FILE|-]\n"
               "  tags CoNLL token lines (first column) with IOB2 PER/LOC/ORG/MISC;\n"
               "  documents are tagged on N threads (default: the online CPUs, at most 4)\n");
}

/* Reads, tags and writes the stream: documents end at -DOCSTART- and, in
   input without it, at a sentence end past S_DOC_LINES lines or S_DOC_BYTES
   of tokens; a batch is tagged once it holds S_BATCH_BYTES.  0, -1 (out of
   memory), -2 (no model) or -4 (read error). */
static int s_ner_stream(s_in_t *in, s_run_t *run)
{
    s_batch_t bt = {0};
    size_t at, n;
    int rc = 0, got;
    while (rc == 0 && (got = s_in_line(in, &at, &n)) > 0) {
        size_t next = in->pos;
        int kind = s_kind_only(in->p + at, n), cut = 0;
        if (kind == S_RAW) {
            /* the document ends before this line, the next opens after it */
            if (s_close_doc(&bt, at - in->bs))
                rc = -1;
            else if (at - in->bs >= S_BATCH_BYTES) {
                rc = s_batch_flush(&bt, run, in->p + in->bs, at - in->bs);
                in->bs = at;
            }
            bt.open_b0 = bt.open_counted = next - in->bs;
            continue;
        }
        bt.open_lines++;
        if (kind == S_TOK)
            bt.open_ntok++;
        else /* its tokens are counted only when its bytes could exceed the limit */
            cut =
                bt.open_lines > S_DOC_LINES || (at - in->bs - bt.open_b0 > S_DOC_BYTES &&
                                                s_open_bytes(&bt, in->p + in->bs, at - in->bs) > S_DOC_BYTES);
        if (cut) {
            if (s_close_doc(&bt, next - in->bs))
                rc = -1;
            else if (next - in->bs >= S_BATCH_BYTES) {
                rc = s_batch_flush(&bt, run, in->p + in->bs, next - in->bs);
                in->bs = next;
            }
        }
    }
    if (rc == 0 && got < 0)
        rc = got;
    if (rc == 0 && s_close_doc(&bt, in->len - in->bs))
        rc = -1;
    if (rc == 0)
        rc = s_batch_flush(&bt, run, in->p + in->bs, in->len - in->bs);
    free(bt.docs);
    free(bt.lab);
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
    /* static: what is not freed at the end stays reachable (leak checkers) */
    static s_out_t out;
    static s_run_t run;
    static s_in_t input;
    run = (s_run_t){.nthr = s_default_threads(), .out = &out};
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
    /* the scratches and the input's mapping first: the model's load holds
       the address space's lock while it maps 14 MB in */
    int rc = 0;
    for (size_t t = 0; t < run.nthr; t++)
        if (!(run.tg[t].scr = tlx_ner_scratch_new()))
            rc = -1;
    fflush(stdout);
    out.fd = fileno(stdout);
    int fd = strcmp(in, "-") == 0 ? 0 : open(in, O_RDONLY | O_CLOEXEC);
    s_in_open(&input, fd < 0 ? -1 : fd);
    run.ld = (s_loader_t){.mpath = model ? model : mpath, .gpath = gpath};
    run.loading = pthread_create(&run.loader, NULL, s_load, &run.ld) == 0;
    if (!run.loading)
        s_load(&run.ld);
    if (fd < 0)
        rc = s_run_ready(&run) ? -2 : -3;
    else if (rc == 0)
        rc = s_ner_stream(&input, &run);
    s_out_flush(&out);
    s_run_ready(&run);
    if (rc == -2)
        fprintf(stderr, "telex: cannot load NER model %s (error %d)\n", run.ld.mpath, run.ld.err);
    else if (rc == -3)
        fprintf(stderr, "telex: cannot open %s\n", in);
    else if (rc == -4)
        fprintf(stderr, "telex: ner: cannot read %s: %s\n", in, strerror(input.err));
    else if (rc)
        fprintf(stderr, "telex: ner: out of memory\n");
    else if (out.err) {
        fprintf(stderr, "telex: ner: cannot write the output: %s\n", strerror(out.err));
        rc = -1;
    }
    /* The process ends here: the kernel takes the model's mapping, the
       input's and the scratches back at once, faster (~1 ms over eng.testa)
       than unmapping and freeing them one by one. */
    return rc == 0 ? 0 : rc == -1 || rc == -4 ? 1 : 2;
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
