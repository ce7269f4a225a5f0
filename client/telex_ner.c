/* SPDX-License-Identifier: Apache-2.0 */
/*  telex_ner.c -- `telex ner` (tag CoNLL token lines) and `telex train-ner`.

    How: `ner` streams its input one document at a time (a document ends at
    -DOCSTART- or end of input), because the tagger's document features need
    the whole document; lines are kept in order so blank lines and
    -DOCSTART- lines come out exactly where they went in.  Any bytes are
    accepted: a token is whatever precedes the first space or tab.
    Rejected: tagging sentence by sentence (loses the document features,
    about 1 F1) and reading the whole input at once (unbounded memory on a
    stream of many documents).
*/
#include "telex_ner.h"

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

typedef struct {
    char *buf; /* token bytes */
    size_t nbuf, capbuf;
    size_t *off; /* per line: token offset in buf, or SIZE_MAX blank, SIZE_MAX-1 docstart */
    uint32_t *len;
    size_t nline, capline;
    char *doc_line; /* pending -DOCSTART- line to print after the document */
} s_doc_t;

#define S_BLANK ((size_t)-1)

static int s_line_push(s_doc_t *d, size_t off, uint32_t len)
{
    if (d->nline == d->capline) {
        size_t nc = d->capline ? d->capline * 2 : 4096;
        size_t *no = realloc(d->off, nc * sizeof(size_t));
        if (!no)
            return -1;
        d->off = no;
        uint32_t *nl = realloc(d->len, nc * sizeof(uint32_t));
        if (!nl)
            return -1;
        d->len = nl;
        d->capline = nc;
    }
    d->off[d->nline] = off;
    d->len[d->nline++] = len;
    return 0;
}

static int s_flush(s_doc_t *d, const tlx_ner_t *m, tlx_ner_scratch_t *scr, const tlx_gaz_t *gaz, FILE *out)
{
    size_t nt = 0, ns = 0;
    for (size_t i = 0; i < d->nline; i++)
        nt += d->off[i] != S_BLANK;
    tlx_ner_tok_t *toks = malloc((nt + 1) * sizeof(*toks));
    uint32_t *ends = malloc((d->nline + 2) * sizeof(uint32_t));
    uint8_t *lab = malloc(nt + 1);
    if (!toks || !ends || !lab) {
        free(toks);
        free(ends);
        free(lab);
        return TLX_ENOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < d->nline; i++) {
        if (d->off[i] == S_BLANK) {
            if (k && (ns == 0 || ends[ns - 1] != k))
                ends[ns++] = (uint32_t)k;
            continue;
        }
        toks[k].s = d->buf + d->off[i];
        toks[k].len = d->len[i];
        toks[k].off = 0;
        k++;
    }
    if (k && (ns == 0 || ends[ns - 1] != k))
        ends[ns++] = (uint32_t)k;
    int rc = tlx_ner_tag_with(m, scr, gaz, toks, nt, ends, ns, lab);
    if (rc == 0) {
        /* lines are assembled in a local buffer: one stdio call per 64 KB */
        char ob[65536];
        size_t glen[TLX_NER_NCLASS];
        for (uint8_t c = 0; c < TLX_NER_NCLASS; c++)
            glen[c] = strlen(tlx_ner_label_iob2(c));
        size_t on = 0;
        k = 0;
        for (size_t i = 0; i < d->nline; i++) {
            size_t tl = d->off[i] == S_BLANK ? 0 : toks[k].len;
            if (on + tl + 16 > sizeof ob) {
                fwrite(ob, 1, on, out);
                on = 0;
            }
            if (d->off[i] == S_BLANK) {
                ob[on++] = '\n';
                continue;
            }
            if (tl + 16 > sizeof ob)
                fwrite(toks[k].s, 1, tl, out); /* a giant token goes straight out */
            else {
                memcpy(ob + on, toks[k].s, tl);
                on += tl;
            }
            const char *tag = tlx_ner_label_iob2(lab[k]);
            size_t gl = glen[lab[k] < TLX_NER_NCLASS ? lab[k] : 0];
            ob[on++] = ' ';
            memcpy(ob + on, tag, gl);
            on += gl;
            ob[on++] = '\n';
            k++;
        }
        fwrite(ob, 1, on, out);
    }
    free(toks);
    free(ends);
    free(lab);
    d->nline = 0;
    d->nbuf = 0;
    return rc;
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

static void s_usage_ner(FILE *f)
{
    fprintf(f, "usage: telex ner --conll [--model FILE] [--data DIR] [FILE|-]\n"
               "  tags CoNLL token lines (first column) with IOB2 PER/LOC/ORG/MISC\n");
}

int telex_cmd_ner(int argc, char **argv)
{
    const char *in = "-", *model = NULL, *data = NULL;
    int conll = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--conll") == 0)
            conll = 1;
        else if (strcmp(argv[i], "--model") == 0 && i + 1 < argc)
            model = argv[++i];
        else if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
            data = argv[++i];
        else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
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
    int err = 0;
    tlx_ner_t *m = tlx_ner_load(model ? model : mpath, &err);
    if (!m) {
        fprintf(stderr, "telex: cannot load NER model %s (error %d)\n", model ? model : mpath, err);
        return 2;
    }
    tlx_gaz_t *gaz = tlx_gaz_new();
    if (gaz)
        tlx_gaz_load_dir(gaz, gpath); /* optional */
    /* one scratch for the whole stream: a word is analysed once, not once
       per document */
    tlx_ner_scratch_t *scr = tlx_ner_scratch_new();
    FILE *f = strcmp(in, "-") == 0 ? stdin : fopen(in, "rb");
    if (!f || !scr) {
        fprintf(stderr, f ? "telex: ner: out of memory\n" : "telex: cannot open %s\n", in);
        if (f && f != stdin)
            fclose(f);
        tlx_ner_scratch_destroy(&scr);
        tlx_ner_destroy(&m);
        tlx_gaz_destroy(&gaz);
        return 2;
    }
    static char obuf[1 << 16];
    setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
    s_doc_t d = {0};
    s_reader_t rd = {.f = f};
    const char *line;
    size_t len;
    int rc = 0, got;
    while ((got = s_read_line(&rd, &line, &len)) > 0) {
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        size_t b = 0;
        while (b < len && (line[b] == ' ' || line[b] == '\t'))
            b++;
        if (len - b >= 10 && memcmp(line + b, "-DOCSTART-", 10) == 0) {
            if (s_flush(&d, m, scr, gaz, stdout)) {
                rc = 1;
                break;
            }
            fwrite(line, 1, len, stdout);
            fputc('\n', stdout);
            continue;
        }
        if (b == len) {
            if (s_line_push(&d, S_BLANK, 0)) {
                rc = 1;
                break;
            }
            /* input without -DOCSTART- lines: bound memory at a sentence end */
            if ((d.nline > (1u << 20) || d.nbuf > (64u << 20)) && s_flush(&d, m, scr, gaz, stdout)) {
                rc = 1;
                break;
            }
            continue;
        }
        size_t e = b;
        while (e < len && line[e] != ' ' && line[e] != '\t')
            e++;
        size_t tl = e - b;
        if (tl > UINT32_MAX - 1)
            tl = UINT32_MAX - 1;
        while (d.nbuf + tl + 1 > d.capbuf) {
            size_t nc = d.capbuf ? d.capbuf * 2 : 65536;
            char *nb = realloc(d.buf, nc);
            if (!nb) {
                rc = 1;
                goto done;
            }
            d.buf = nb;
            d.capbuf = nc;
        }
        memcpy(d.buf + d.nbuf, line + b, tl);
        if (s_line_push(&d, d.nbuf, (uint32_t)tl)) {
            rc = 1;
            break;
        }
        d.nbuf += tl;
    }
    if (got < 0)
        rc = 1;
    if (rc == 0 && s_flush(&d, m, scr, gaz, stdout))
        rc = 1;
done:
    if (rc)
        fprintf(stderr, "telex: ner: out of memory\n");
    fflush(stdout);
    free(rd.buf);
    free(d.buf);
    free(d.off);
    free(d.len);
    if (f != stdin)
        fclose(f);
    tlx_ner_scratch_destroy(&scr);
    tlx_ner_destroy(&m);
    tlx_gaz_destroy(&gaz);
    return rc;
}

static void s_usage_train(FILE *f)
{
    fprintf(f,
            "usage: telex train-ner --train FILE [--dev FILE] --out FILE [--seed N] [--epochs N]\n"
            "                       [--bits N] [--min-count N] [--data DIR] [--lexicon FILE|none]\n"
            "  --lexicon: name lists for the lexicon features (default DIR/ner/lexicon.tsv when present)\n");
}

int telex_cmd_train_ner(int argc, char **argv)
{
    const char *trainp = NULL, *devp = NULL, *outp = NULL, *data = NULL, *lexp = NULL;
    tlx_ner_train_opts_t o = {1, 0, 0, 0, NULL};
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
    fprintf(stderr, "train: %zu tokens, %zu docs; dev: %zu tokens; gazetteer: %zu names; lexicon: %s\n",
            tr.ntok, tr.ndoc, dv.ntok, tlx_gaz_size(gaz), lexp ? lexp : "none");
    int rc = tlx_ner_train(&tr, devp ? &dv : NULL, gaz, &o, outp, stderr);
    if (rc == TLX_EIO && lexp && access(lexp, R_OK) != 0)
        fprintf(stderr, "telex: train-ner: cannot read the lexicon %s\n", lexp);
    else if (rc)
        fprintf(stderr, "telex: train-ner failed (error %d)\n", rc);
    tlx_ner_corpus_free(&tr);
    tlx_ner_corpus_free(&dv);
    tlx_gaz_destroy(&gaz);
    return rc ? 1 : 0;
}
