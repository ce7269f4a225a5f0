/* SPDX-License-Identifier: Apache-2.0 */
/*  test_ner.c -- tagger training, model file, tagging, entity stage, seeds.

    Training runs on a tiny in-test corpus (seconds under ASan); tagging
    tests load the committed model, so a clean clone without CoNLL data
    passes.  The seed goldens were written by reading the articles: every
    person, place and organization that must be found, with its canonical
    name.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tlx_error.h"
#include "tlx_gaz.h"
#include "tlx_ner.h"
#include "tlx_ner_ents.h"

#ifndef TLX_SOURCE_DIR
#define TLX_SOURCE_DIR "."
#endif
#define MODEL TLX_SOURCE_DIR "/data/ner/model.bin"
#define GAZDIR TLX_SOURCE_DIR "/data/gazetteers"

static const char *const s_tiny =
    "-DOCSTART- -X- -X- O\n\n"
    "Kim NNP I-NP I-PER\nJong NNP I-NP I-PER\nUn NNP I-NP I-PER\nvisited VBD I-VP O\nPyongyang NNP I-NP "
    "I-LOC\n. . O O\n\n"
    "The DT I-NP O\nMinistry NNP I-NP I-ORG\nof IN I-PP I-ORG\nState NNP I-NP I-ORG\nSecurity NNP I-NP "
    "I-ORG\n"
    "arrested VBD I-VP O\ntraders NNS I-NP O\nin IN I-PP O\nSinuiju NNP I-NP I-LOC\n. . O O\n\n"
    "-DOCSTART- -X- -X- O\n\n"
    "Moon NNP I-NP I-PER\nmet VBD I-VP O\nKim NNP I-NP I-PER\nin IN I-PP O\nSeoul NNP I-NP I-LOC\n. . O O\n\n"
    "Chinese JJ I-NP I-MISC\ntraders NNS I-NP O\nsaid VBD I-VP O\nDaily NNP I-NP I-ORG\nNK NNP I-NP I-ORG\n"
    "reported VBD I-VP O\nit PRP I-NP O\n. . O O\n";

static char *s_write_tmp(const char *text, size_t len)
{
    char *path = strdup("/tmp/test_ner_XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
    return path;
}

static char *s_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    b[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return b;
}

/* A table size in the model file's header at byte off (a power of two of at
   least 64) made odd: the model is refused at load as malformed. */
static void s_expect_bad_table_size(const char *mp, size_t off)
{
    size_t len;
    char *b = s_slurp(mp, &len);
    assert_non_null(b);
    uint32_t cap;
    memcpy(&cap, b + off, 4);
    assert_true(cap >= 64 && (cap & (cap - 1)) == 0);
    cap += 1;
    memcpy(b + off, &cap, 4);
    FILE *f = fopen(mp, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, len, f), len);
    fclose(f);
    free(b);
    int err = 0;
    assert_null(tlx_ner_load(mp, &err));
    assert_int_equal(err, TLX_EMALFORMED);
}

static void test_corpus_and_training(void **state)
{
    (void)state;
    char *cpath = s_write_tmp(s_tiny, strlen(s_tiny));
    tlx_ner_corpus_t c;
    assert_int_equal(tlx_ner_corpus_read(cpath, &c), 0);
    assert_int_equal(c.ndoc, 2);
    assert_int_equal(c.nsent, 4);
    assert_int_equal(c.ntok, 30);
    /* IOB1 -> BILOU: Kim=B-PER Jong=I-PER Un=L-PER Pyongyang=U-LOC */
    assert_string_equal(tlx_ner_label_iob2(c.gold[0]), "B-PER");
    assert_int_equal(tlx_ner_label_pos(c.gold[1]), 'I');
    assert_int_equal(tlx_ner_label_pos(c.gold[2]), 'L');
    assert_int_equal(tlx_ner_label_pos(c.gold[4]), 'U');
    assert_int_equal(tlx_ner_label_type(c.gold[4]), TLX_ENT_LOC);

    tlx_ner_train_opts_t o = {.seed = 7, .epochs = 4, .bucket_bits = 12, .min_count = 1};
    char m1[] = "/tmp/test_ner_m1_XXXXXX", m2[] = "/tmp/test_ner_m2_XXXXXX";
    close(mkstemp(m1));
    close(mkstemp(m2));
    assert_int_equal(tlx_ner_train(&c, &c, NULL, &o, m1, NULL), 0);
    assert_int_equal(tlx_ner_train(&c, &c, NULL, &o, m2, NULL), 0);
    size_t l1, l2;
    char *b1 = s_slurp(m1, &l1), *b2 = s_slurp(m2, &l2);
    assert_non_null(b1);
    assert_int_equal(l1, l2);
    assert_memory_equal(b1, b2, l1); /* deterministic for a seed */

    /* round trip: the model tags its own training data */
    int err = -99;
    tlx_ner_t *m = tlx_ner_load(m1, &err);
    assert_non_null(m);
    assert_int_equal(err, 0);
    assert_true(tlx_ner_memory(m) >= l1);
    uint8_t *lab = calloc(c.ntok, 1);
    assert_int_equal(tlx_ner_tag(m, NULL, c.toks, c.ntok, c.sent_end, c.nsent, lab), 0);
    double p, r, f;
    tlx_ner_score(c.gold, lab, c.ntok, &p, &r, &f);
    assert_true(f >= 90.0);
    tlx_ner_destroy(&m);
    tlx_ner_destroy(&m);
    assert_null(m);

    /* a section offset that wraps around with its size (a damaged or
       crafted header) is refused, not used to read before the file */
    {
        char *bad = malloc(l1);
        assert_non_null(bad);
        memcpy(bad, b1, l1);
        uint32_t bits;
        memcpy(&bits, bad + 16, 4); /* header: magic[8], version, nclass, bits */
        uint64_t off_w = (uint64_t)0 - ((uint64_t)1 << bits) * 16 * 2; /* + the table's size = 0 */
        memcpy(bad + 40, &off_w, 8);                                   /* ..., scale, nvocab, vcap, off_w */
        FILE *bf = fopen(m2, "wb");
        assert_int_equal(fwrite(bad, 1, l1, bf), l1);
        fclose(bf);
        free(bad);
        assert_null(tlx_ner_load(m2, &err));
        assert_int_equal(err, TLX_EMALFORMED);
    }

    /* truncated and foreign files are refused */
    FILE *tf = fopen(m2, "wb");
    assert_int_equal(fwrite(b1, 1, l1 / 2, tf), l1 / 2);
    fclose(tf);
    assert_null(tlx_ner_load(m2, &err));
    assert_int_equal(err, TLX_EMALFORMED);
    tf = fopen(m2, "wb");
    memset(b1, 'x', 200);
    assert_int_equal(fwrite(b1, 1, l1, tf), l1);
    fclose(tf);
    assert_null(tlx_ner_load(m2, &err));
    assert_int_equal(err, TLX_EMALFORMED);
    assert_null(tlx_ner_load("/nonexistent/model.bin", &err));
    assert_int_equal(err, TLX_EIO);
    assert_int_equal(tlx_ner_train(&(tlx_ner_corpus_t){0}, NULL, NULL, &o, m2, NULL), TLX_EINVAL);

    free(lab);
    free(b1);
    free(b2);
    unlink(m1);
    unlink(m2);
    unlink(cpath);
    free(cpath);
    tlx_ner_corpus_free(&c);
}

/* Lexicon classes of the words of `text` as one sequence. */
static unsigned s_lexc(const tlx_ner_t *m, const char *text)
{
    tlx_ner_tok_t tk[16];
    size_t n = tlx_ner_tok_split(text, strlen(text), tk, 16);
    assert_true(n <= 16);
    return tlx_ner_lex_classes(m, tk, n);
}

/* Name lists stored in the model: exact token sequences, any case, classes
   merged per sequence; malformed lines skipped; the file is checked. */
static void test_lexicon(void **state)
{
    (void)state;
    static const char lex[] = "# a comment\n"
                              "LOC\tSinuiju\n"
                              "PER\tKim Jong Un\n"
                              "ROLE\tChancellor\n"
                              "LAST\tWashington\nLOC\tWashington\n"
                              "FIRST\tSeo-yeon\n"
                              "CITY\tNowhere\n"
                              "LOC\n"
                              "LOC\t\n"
                              "LOC\tOne Two Three Four Five Six Seven Eight Nine\r\n"
                              "LOC\tZ\xC3\xBCrich\n" /* Zürich */
                              "ORG\tDaily NK";       /* no final newline */
    char *cpath = s_write_tmp(s_tiny, strlen(s_tiny)), *lpath = s_write_tmp(lex, strlen(lex));
    tlx_ner_corpus_t c;
    assert_int_equal(tlx_ner_corpus_read(cpath, &c), 0);
    char mp[] = "/tmp/test_ner_lex_XXXXXX";
    close(mkstemp(mp));
    tlx_ner_train_opts_t o = {.seed = 3, .epochs = 3, .bucket_bits = 12, .min_count = 1, .lexicon = lpath};
    assert_int_equal(tlx_ner_train(&c, NULL, NULL, &o, mp, NULL), 0);
    int err;
    tlx_ner_t *m = tlx_ner_load(mp, &err);
    assert_non_null(m);
    assert_int_equal(s_lexc(m, "Sinuiju"), TLX_NER_LEX_LOC);
    assert_int_equal(s_lexc(m, "SINUIJU"), TLX_NER_LEX_LOC);
    assert_int_equal(s_lexc(m, "Kim Jong Un"), TLX_NER_LEX_PER);
    assert_int_equal(s_lexc(m, "Kim Jong"), 0); /* a prefix is not a name */
    assert_int_equal(s_lexc(m, "Kim Jong Un Sinuiju"), 0);
    assert_int_equal(s_lexc(m, "Chancellor"), TLX_NER_LEX_ROLE);
    assert_int_equal(s_lexc(m, "Washington"), TLX_NER_LEX_LAST | TLX_NER_LEX_LOC);
    assert_int_equal(s_lexc(m, "Seo-yeon"), TLX_NER_LEX_FIRST);
    assert_int_equal(s_lexc(m, "Daily NK"), TLX_NER_LEX_ORG);
    /* Latin-1 letters match their base letter, in any case */
    assert_int_equal(s_lexc(m, "Zurich"), TLX_NER_LEX_LOC);
    assert_int_equal(s_lexc(m, "Z\xC3\xBCrich"), TLX_NER_LEX_LOC);
    assert_int_equal(s_lexc(m, "Z\xC3\x9CRICH"), TLX_NER_LEX_LOC);             /* ZÜRICH */
    assert_int_equal(s_lexc(m, "Z\xC3\x97rich"), 0);                           /* × is no letter */
    assert_int_equal(s_lexc(m, "Nowhere"), 0);                                 /* unknown class */
    assert_int_equal(s_lexc(m, "One Two Three Four Five Six Seven Eight"), 0); /* too long: skipped */
    assert_int_equal(s_lexc(m, ""), 0);
    assert_int_equal(tlx_ner_lex_classes(NULL, NULL, 0), 0);
    /* the lexicon is a tagging feature: tagging works and is repeatable */
    uint8_t *l1 = calloc(c.ntok, 1), *l2 = calloc(c.ntok, 1);
    assert_int_equal(tlx_ner_tag(m, NULL, c.toks, c.ntok, c.sent_end, c.nsent, l1), 0);
    assert_int_equal(tlx_ner_tag(m, NULL, c.toks, c.ntok, c.sent_end, c.nsent, l2), 0);
    assert_memory_equal(l1, l2, c.ntok);
    tlx_ner_destroy(&m);

    /* a model without a lexicon answers 0 */
    o.lexicon = NULL;
    assert_int_equal(tlx_ner_train(&c, NULL, NULL, &o, mp, NULL), 0);
    m = tlx_ner_load(mp, &err);
    assert_non_null(m);
    assert_int_equal(s_lexc(m, "Sinuiju"), 0);
    tlx_ner_destroy(&m);

    /* a lexicon that cannot be read fails the training */
    o.lexicon = "/nonexistent/lexicon.tsv";
    assert_int_equal(tlx_ner_train(&c, NULL, NULL, &o, mp, NULL), TLX_EIO);

    /* a lexicon size that is not a power of two is refused at load */
    o.lexicon = lpath;
    assert_int_equal(tlx_ner_train(&c, NULL, NULL, &o, mp, NULL), 0);
    s_expect_bad_table_size(mp, 80); /* header: ..., total (72), lcap (80) */

    free(l1);
    free(l2);
    unlink(mp);
    unlink(cpath);
    unlink(lpath);
    free(cpath);
    free(lpath);
    tlx_ner_corpus_free(&c);
}

/* Word classes stored in the model: looked up in lower case with digits
   folded (of words read alike the first listed wins), malformed lines
   skipped; a word unknown to the training data is tagged by its classes. */
static void test_clusters(void **state)
{
    (void)state;
    /* the type of a name shows only in the word itself: "X spoke ." */
    static const char corpus[] = "-DOCSTART- -X- -X- O\n\n"
                                 "Lima B-LOC\nspoke O\n. O\n\n"
                                 "Carla B-PER\nspoke O\n. O\n\n"
                                 "Bogota B-LOC\nspoke O\n. O\n\n"
                                 "Mariam B-PER\nspoke O\n. O\n\n"
                                 "Caracas B-LOC\nspoke O\n. O\n\n"
                                 "Jorge B-PER\nspoke O\n. O\n\n"
                                 "Trade O\nspoke O\n. O\n\n"
                                 "He O\nsaw O\nLima B-LOC\n. O\n\n"
                                 "He O\nsaw O\nCarla B-PER\n. O\n\n"
                                 "He O\nsaw O\nCaracas B-LOC\n. O\n\n"
                                 "He O\nsaw O\nJorge B-PER\n. O\n\n";
    static const char clu[] = "# word c64 c256 c1024\n"
                              "lima\t1\t10\t100\n"
                              "bogota\t1\t10\t100\n"
                              "caracas\t1\t10\t100\n"
                              "quito\t1\t10\t100\n"
                              "carla\t2\t20\t200\n"
                              "mariam\t2\t20\t200\n"
                              "jorge\t2\t20\t200\n"
                              "helen\t2\t20\t200\n"
                              "lisbon\t1\t10\t101\n"
                              "trade\t3\t30\t300\n"
                              "1996\t4\t40\t400\n"
                              "2001\t5\t50\t500\n" /* read as "0000" like 1996: ignored */
                              "toolarge\t64\t1\t1\n"
                              "missing\t1\t2\n"
                              "trailing\t1\t2\t3x\n"
                              "\t1\t2\t3\n"
                              "Z\xC3\xBCrich\t6\t60\t600"; /* no final newline */
    char *cpath = s_write_tmp(corpus, strlen(corpus)), *kpath = s_write_tmp(clu, strlen(clu));
    tlx_ner_corpus_t c;
    assert_int_equal(tlx_ner_corpus_read(cpath, &c), 0);
    char mp[] = "/tmp/test_ner_clu_XXXXXX";
    close(mkstemp(mp));
    tlx_ner_train_opts_t o = {.seed = 1, .epochs = 6, .bucket_bits = 14, .min_count = 1, .clusters = kpath};
    assert_int_equal(tlx_ner_train(&c, NULL, NULL, &o, mp, NULL), 0);
    int err;
    tlx_ner_t *m = tlx_ner_load(mp, &err);
    assert_non_null(m);
    uint32_t k[3] = {0, 0, 0};
    assert_int_equal(tlx_ner_word_clusters(m, "Lisbon", 6, k), 1);
    assert_int_equal(k[0], 1);
    assert_int_equal(k[1], 10);
    assert_int_equal(k[2], 101);
    assert_int_equal(tlx_ner_word_clusters(m, "QUITO", 5, k), 1);
    assert_int_equal(k[2], 100);
    assert_int_equal(tlx_ner_word_clusters(m, "1987", 4, k), 1); /* digits fold: 1996's classes */
    assert_int_equal(k[0], 4);
    assert_int_equal(k[2], 400);
    assert_int_equal(tlx_ner_word_clusters(m, "Zurich", 6, k), 1); /* Latin-1 letters fold */
    assert_int_equal(k[1], 60);
    assert_int_equal(tlx_ner_word_clusters(m, "toolarge", 8, k), 0);
    assert_int_equal(tlx_ner_word_clusters(m, "missing", 7, k), 0);
    assert_int_equal(tlx_ner_word_clusters(m, "trailing", 8, k), 0);
    assert_int_equal(tlx_ner_word_clusters(m, "Lim", 3, k), 0);
    assert_int_equal(tlx_ner_word_clusters(m, "", 0, k), 0);
    assert_int_equal(tlx_ner_word_clusters(NULL, "lima", 4, k), 0);

    /* unseen names take the type of their class */
    tlx_ner_tok_t tk[8];
    uint8_t lab[8];
    size_t n = tlx_ner_tok_split("Quito spoke .", 13, tk, 8);
    assert_int_equal(n, 3);
    assert_int_equal(tlx_ner_tag(m, NULL, tk, n, NULL, 0, lab), 0);
    assert_string_equal(tlx_ner_label_iob2(lab[0]), "B-LOC");
    n = tlx_ner_tok_split("Helen spoke .", 13, tk, 8);
    assert_int_equal(tlx_ner_tag(m, NULL, tk, n, NULL, 0, lab), 0);
    assert_string_equal(tlx_ner_label_iob2(lab[0]), "B-PER");
    /* the same through a scratch that caches the words (second round: from
       the cache) */
    tlx_ner_scratch_t *scr = tlx_ner_scratch_new();
    assert_non_null(scr);
    n = tlx_ner_tok_split("Quito spoke .", 13, tk, 8);
    for (int round = 0; round < 2; round++) {
        assert_int_equal(tlx_ner_tag_with(m, scr, NULL, tk, n, NULL, 0, lab), 0);
        assert_string_equal(tlx_ner_label_iob2(lab[0]), "B-LOC");
    }
    tlx_ner_scratch_destroy(&scr);
    tlx_ner_destroy(&m);

    /* a model without clusters answers 0; an unreadable file fails */
    o.clusters = NULL;
    assert_int_equal(tlx_ner_train(&c, NULL, NULL, &o, mp, NULL), 0);
    m = tlx_ner_load(mp, &err);
    assert_non_null(m);
    assert_int_equal(tlx_ner_word_clusters(m, "Quito", 5, k), 0);
    tlx_ner_destroy(&m);
    o.clusters = "/nonexistent/clusters.tsv";
    assert_int_equal(tlx_ner_train(&c, NULL, NULL, &o, mp, NULL), TLX_EIO);

    /* a cluster table size that is not a power of two is refused at load */
    o.clusters = kpath;
    assert_int_equal(tlx_ner_train(&c, NULL, NULL, &o, mp, NULL), 0);
    s_expect_bad_table_size(mp, 96); /* header: ..., off_lex (88), ccap (96) */

    unlink(mp);
    unlink(cpath);
    unlink(kpath);
    free(cpath);
    free(kpath);
    tlx_ner_corpus_free(&c);
}

static const tlx_entity_t *s_find(const tlx_record_t *rec, tlx_ent_type_t type, const char *canon)
{
    for (uint32_t i = 0; i < rec->nentities; i++)
        if (rec->entities[i].type == type && strcmp(rec->entities[i].canonical, canon) == 0)
            return &rec->entities[i];
    return NULL;
}

/* The entity stage's repairs of tagger spans, on a tiny model trained to
   make the mistakes: a span that runs on into lower-case words and swallows
   "Secretary of State" is cut to the person; a company suffix tagged apart
   joins the name and makes it an organization; a capitalized "The" joins
   the organization after it (its canonical name leaves it out). */
static void test_span_repairs(void **state)
{
    (void)state;
    static const char corpus[] = "-DOCSTART- -X- -X- O\n\n"
                                 "Secretary O\nof O\nState B-ORG\nJane I-ORG\nHolloway I-ORG\nrefused I-ORG\n"
                                 "Monday I-ORG\nto O\ncomment O\n. O\n\n"
                                 "Officials O\nmet O\nin O\nLima B-LOC\n. O\n\n"
                                 "Sales O\nat O\nKanto B-PER\nLtd. B-LOC\nrose O\n, O\nofficials O\ntold O\n"
                                 "The O\nLens B-ORG\n. O\n";
    static const char lex[] = "FIRST\tJane\nROLE\tSecretary\n";
    char *cpath = s_write_tmp(corpus, strlen(corpus)), *lpath = s_write_tmp(lex, strlen(lex));
    tlx_ner_corpus_t c;
    assert_int_equal(tlx_ner_corpus_read(cpath, &c), 0);
    char mp[] = "/tmp/test_ner_rep_XXXXXX";
    close(mkstemp(mp));
    tlx_ner_train_opts_t o = {.seed = 1, .epochs = 5, .bucket_bits = 12, .min_count = 1, .lexicon = lpath};
    assert_int_equal(tlx_ner_train(&c, NULL, NULL, &o, mp, NULL), 0);
    int err;
    tlx_ner_t *m = tlx_ner_load(mp, &err);
    assert_non_null(m);
    /* the tagger does make the mistake */
    uint8_t lab[16];
    assert_int_equal(tlx_ner_tag(m, NULL, c.toks, 10, NULL, 0, lab), 0);
    assert_string_equal(tlx_ner_label_iob2(lab[2]), "B-ORG");
    assert_string_equal(tlx_ner_label_iob2(lab[5]), "I-ORG");
    const char *body = "Secretary of State Jane Holloway refused Monday to comment.";
    tlx_arena_t *ar = tlx_arena_new(4096);
    tlx_record_t rec;
    memset(&rec, 0, sizeof rec);
    rec.body = body;
    rec.body_len = strlen(body);
    assert_int_equal(tlx_ner_ents_fill(m, NULL, &rec, ar), 0);
    assert_int_equal(rec.nentities, 1);
    assert_int_equal(rec.entities[0].type, TLX_ENT_PER);
    assert_string_equal(rec.entities[0].text, "Jane Holloway");
    body = "Sales at Kanto Ltd. rose, officials told The Lens.";
    rec.body = body;
    rec.body_len = strlen(body);
    assert_int_equal(tlx_ner_ents_fill(m, NULL, &rec, ar), 0);
    assert_int_equal(rec.nentities, 2);
    assert_int_equal(rec.entities[0].type, TLX_ENT_ORG);
    assert_string_equal(rec.entities[0].text, "Kanto Ltd.");
    assert_int_equal(rec.entities[1].type, TLX_ENT_ORG);
    assert_string_equal(rec.entities[1].text, "The Lens");
    /* the canonical name leaves the article out; at a sentence start "The"
       stays out (unless the name is a newspaper's) */
    assert_string_equal(rec.entities[1].canonical, "Lens");
    body = "Officials met in Lima. The Lens said so.";
    rec.body = body;
    rec.body_len = strlen(body);
    assert_int_equal(tlx_ner_ents_fill(m, NULL, &rec, ar), 0);
    const tlx_entity_t *le = s_find(&rec, TLX_ENT_ORG, "Lens");
    assert_non_null(le);
    assert_string_equal(le->text, "Lens");
    tlx_arena_destroy(&ar);
    tlx_ner_destroy(&m);
    unlink(mp);
    unlink(cpath);
    unlink(lpath);
    free(cpath);
    free(lpath);
    tlx_ner_corpus_free(&c);
}

typedef struct {
    tlx_ner_t *m;
    tlx_gaz_t *g;
} s_fix_t;

static int s_setup(void **state)
{
    s_fix_t *fx = calloc(1, sizeof(*fx));
    int err;
    fx->m = tlx_ner_load(MODEL, &err);
    fx->g = tlx_gaz_new();
    if (!fx->m || !fx->g || tlx_gaz_load_dir(fx->g, GAZDIR))
        return -1;
    *state = fx;
    return 0;
}

static int s_teardown(void **state)
{
    s_fix_t *fx = *state;
    tlx_ner_destroy(&fx->m);
    tlx_gaz_destroy(&fx->g);
    free(fx);
    return 0;
}

/* Tags one sentence and returns the IOB2 tags joined by spaces. */
static void s_tags(const s_fix_t *fx, const char *text, char *out, size_t cap)
{
    tlx_ner_tok_t tk[128];
    size_t n = tlx_ner_tok_split(text, strlen(text), tk, 128);
    uint8_t lab[128];
    assert_int_equal(tlx_ner_tag(fx->m, fx->g, tk, n, NULL, 0, lab), 0);
    out[0] = 0;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(out);
        snprintf(out + l, cap - l, "%s%s", i ? " " : "", tlx_ner_label_iob2(lab[i]));
    }
}

static void test_sentences(void **state)
{
    const s_fix_t *fx = *state;
    static const struct {
        const char *text, *tags;
    } cases[] = {
        {"Kim Jong Un visited Pyongyang.", "B-PER I-PER I-PER O B-LOC O"},
        {"The United Nations Security Council met in New York on Monday.",
         "O B-ORG I-ORG I-ORG I-ORG O O B-LOC I-LOC O O O"},
        {"German Chancellor Angela Merkel flew to Washington.", "B-MISC O B-PER I-PER O O B-LOC O"},
        {"Reuters reported that China protested.", "B-ORG O O B-LOC O O"},
        {"The talks ended without agreement.", "O O O O O O"},
    };
    char got[512];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        s_tags(fx, cases[i].text, got, sizeof got);
        if (strcmp(got, cases[i].tags) != 0)
            fail_msg("%s\n  want %s\n  got  %s", cases[i].text, cases[i].tags, got);
    }
}

static void test_bad_input(void **state)
{
    const s_fix_t *fx = *state;
    uint8_t lab[4];
    assert_int_equal(tlx_ner_tag(fx->m, fx->g, NULL, 0, NULL, 0, lab), 0);
    /* a 1 MB token, binary bytes */
    size_t big = 1 << 20;
    char *b = malloc(big);
    for (size_t i = 0; i < big; i++)
        b[i] = (char)(i * 131 + 7);
    tlx_ner_tok_t t[3] = {{b, (uint32_t)big, 0}, {b + 5, 3, 5}, {"\xff\xfe\x00", 3, 0}};
    assert_int_equal(tlx_ner_tag(fx->m, fx->g, t, 3, NULL, 0, lab), 0);
    for (int i = 0; i < 3; i++)
        assert_true(lab[i] < TLX_NER_NCLASS);
    /* a 10,000-token sentence */
    size_t n = 10000;
    tlx_ner_tok_t *tk = malloc(n * sizeof(*tk));
    uint8_t *l = malloc(n);
    static const char *const words[] = {"Kim", "Seoul", "(", "MSS", "said", ",", "North", "Korea", "the"};
    for (size_t i = 0; i < n; i++)
        tk[i] = (tlx_ner_tok_t){words[i % 9], (uint32_t)strlen(words[i % 9]), 0};
    assert_int_equal(tlx_ner_tag(fx->m, fx->g, tk, n, NULL, 0, l), 0);
    uint32_t bad_ends[2] = {5, 3};
    assert_int_equal(tlx_ner_tag(fx->m, fx->g, tk, n, bad_ends, 2, l), TLX_EINVAL);
    /* every label sequence is well formed BILOU */
    int open = 0;
    for (size_t i = 0; i < n; i++) {
        char p = tlx_ner_label_pos(l[i]);
        assert_true(open ? (p == 'I' || p == 'L') : (p == 'O' || p == 'B' || p == 'U'));
        open = p == 'B' || p == 'I';
    }
    assert_false(open);
    /* the entity stage on binary garbage */
    tlx_arena_t *ar = tlx_arena_new(1024);
    tlx_record_t rec;
    memset(&rec, 0, sizeof rec);
    rec.body = b;
    rec.body_len = big;
    assert_int_equal(tlx_ner_ents_fill(fx->m, fx->g, &rec, ar), 0);
    for (uint32_t i = 0; i < rec.nentities; i++)
        for (uint32_t k = 0; k < rec.entities[i].nspans; k++)
            assert_true(rec.entities[i].spans[k].end <= big);
    rec.body = "";
    rec.body_len = 0;
    assert_int_equal(tlx_ner_ents_fill(fx->m, fx->g, &rec, ar), 0);
    assert_int_equal(rec.nentities, 0);
    tlx_arena_destroy(&ar);
    free(tk);
    free(l);
    free(b);
}

/* A scratch kept across documents gives the labels a fresh tagger gives:
   repeated words come from its cache, and a cache that fills up (more
   distinct and unknown words than it holds) is emptied between documents. */
/* Whatever the text, the labels form valid BILOU chains: an open entity
   (B, I) goes on with I or L of its type, a sentence never ends inside
   one, and nothing continues an entity that is not open.  The decoder's
   repairs (closing at the previous token, reopening it) must keep this:
   made-up sentences of capitalized and lower-case words, names, numbers
   and punctuation drawn by a fixed generator. */
static void test_bilou_chains(void **state)
{
    const s_fix_t *fx = *state;
    static const char *const words[] = {
        "Kim",   "Jong",     "Un",      "visited",  "Pyongyang", "the",  "Ministry", "of",
        "State", "Security", "said",    "on",       "Monday",    ",",    ".",        "New",
        "York",  "Apple",    "Inc.",    "Seoul",    "and",       "Lee",  "Jae-",     "myung",
        "UN",    "Council",  "in",      "Reform",   "Party",     "1996", "Korea",    "Herald",
        "-",     "\"",       "Tbilisi", "Kowalski", "told",      "The",  "Times",    "Mr"};
    const size_t nw = sizeof words / sizeof *words;
    uint64_t rng = 0x9e3779b97f4a7c15ull;
    tlx_ner_tok_t tk[40];
    uint8_t lab[40];
    uint32_t ends[8];
    size_t open_seen = 0, inner = 0;
    for (int round = 0; round < 400; round++) {
        char text[1024];
        size_t len = 0;
        size_t ntok = 8 + round % 30;
        for (size_t k = 0; k < ntok; k++) {
            rng = rng * 6364136223846793005ull + 1442695040888963407ull;
            const char *w = words[(rng >> 33) % nw];
            len += (size_t)snprintf(text + len, sizeof text - len, "%s%s", k ? " " : "", w);
        }
        size_t n = tlx_ner_tok_split(text, len, tk, 40);
        assert_true(n > 0);
        /* two sentences: the second starts a third of the way in */
        size_t ns = n > 3 ? 2 : 1;
        ends[0] = (uint32_t)(ns == 2 ? n / 3 : n);
        ends[1] = (uint32_t)n;
        assert_int_equal(tlx_ner_tag(fx->m, fx->g, tk, n, ends, ns, lab), 0);
        size_t a = 0;
        for (size_t si = 0; si < ns; si++) {
            int open = 0, type = -1;
            for (size_t i = a; i < ends[si]; i++) {
                char pos = tlx_ner_label_pos(lab[i]);
                int t = lab[i] ? (int)tlx_ner_label_type(lab[i]) : -1;
                if (open) {
                    if (!((pos == 'I' || pos == 'L') && t == type))
                        fail_msg("%s: token %zu breaks an open entity (%s)", text, i,
                                 tlx_ner_label_iob2(lab[i]));
                    inner += pos == 'I';
                } else if (pos == 'I' || pos == 'L') {
                    fail_msg("%s: token %zu continues nothing (%s)", text, i, tlx_ner_label_iob2(lab[i]));
                }
                open = pos == 'B' || pos == 'I';
                type = t;
                open_seen += pos == 'B';
            }
            if (open)
                fail_msg("%s: sentence %zu ends inside an entity", text, si);
            a = ends[si];
        }
    }
    assert_true(open_seen > 50); /* the generator does make multi-token names */
    assert_true(inner > 0);      /* and names of three tokens or more */
}

static void test_scratch_cache(void **state)
{
    const s_fix_t *fx = *state;
    static const char *const docs[] = {
        "Kim Jong Un visited Pyongyang. Kim met officials there.",
        "The United Nations Security Council met in New York. The council met again.",
        "Kim Jong Un visited Pyongyang. Reuters reported that China protested.",
        "\xe2\x80\x9cWe will talk,\xe2\x80\x9d Moon Jae-in said in Seoul on Monday.",
    };
    tlx_ner_scratch_t *scr = tlx_ner_scratch_new();
    assert_non_null(scr);
    tlx_ner_tok_t tk[64];
    uint8_t want[64], got[64];
    for (int round = 0; round < 2; round++)
        for (size_t d = 0; d < sizeof docs / sizeof *docs; d++) {
            size_t n = tlx_ner_tok_split(docs[d], strlen(docs[d]), tk, 64);
            assert_int_equal(tlx_ner_tag(fx->m, fx->g, tk, n, NULL, 0, want), 0);
            assert_int_equal(tlx_ner_tag_with(fx->m, scr, fx->g, tk, n, NULL, 0, got), 0);
            assert_memory_equal(want, got, n);
        }
    /* 3 documents of 17,000 distinct made-up (unknown) words each */
    size_t n = 17000;
    tlx_ner_tok_t *big = malloc(n * sizeof(*big));
    char *words = malloc(n * 16);
    uint8_t *w2 = malloc(n), *g2 = malloc(n);
    assert_true(big && words && w2 && g2);
    for (int d = 0; d < 3; d++) {
        for (size_t i = 0; i < n; i++) {
            char *w = words + i * 16;
            int len = snprintf(w, 16, "%s%zuq%d", i % 3 ? "Zorv" : "vel", i, d);
            big[i] = (tlx_ner_tok_t){w, (uint32_t)len, 0};
        }
        assert_int_equal(tlx_ner_tag(fx->m, fx->g, big, n, NULL, 0, w2), 0);
        assert_int_equal(tlx_ner_tag_with(fx->m, scr, fx->g, big, n, NULL, 0, g2), 0);
        assert_memory_equal(w2, g2, n);
    }
    /* and the short documents again, after the cache was emptied */
    size_t k = tlx_ner_tok_split(docs[0], strlen(docs[0]), tk, 64);
    assert_int_equal(tlx_ner_tag(fx->m, fx->g, tk, k, NULL, 0, want), 0);
    assert_int_equal(tlx_ner_tag_with(fx->m, scr, fx->g, tk, k, NULL, 0, got), 0);
    assert_memory_equal(want, got, k);
    free(big);
    free(words);
    free(w2);
    free(g2);
    tlx_ner_scratch_destroy(&scr);
    tlx_ner_scratch_destroy(&scr);
}

/* Gazetteer labels of toks[0..n), matched sentence by sentence as
   tlx_ner_tag_gazlab() expects them. */
static void s_gazlab(const tlx_gaz_t *g, const tlx_ner_tok_t *toks, size_t n, const uint32_t *ends, size_t ne,
                     uint8_t *lab)
{
    memset(lab, 0, n);
    tlx_gaz_match_t mt[64];
    size_t s0 = 0;
    for (size_t s = 0; s < ne; s++) {
        size_t i = s0, nm;
        while ((nm = tlx_gaz_match_from(g, toks, ends[s], &i, mt, 64)))
            tlx_ner_gaz_labels(mt, nm, lab);
        s0 = ends[s];
    }
}

/* Tagging with the gazetteer matched by the caller gives the labels of
   tagging with the gazetteer: with and without a scratch, with listed names
   of one and several words, and over a sentence too long for one chunk
   (there the tagger matches the part it has itself). */
static void test_tag_gazlab(void **state)
{
    const s_fix_t *fx = *state;
    static const char *const sents[] = {
        "Kim Jong Un visited Pyongyang and met the Korean Central News Agency .",
        "KCNA said the Ministry of State Security ( MSS ) arrested him in Hyesan .",
        "Reuters reported that China protested to the United Nations Security Council .",
    };
    size_t n = 0, ne = 0, cap = 70000 + 64;
    tlx_ner_tok_t *tk = malloc(cap * sizeof(*tk));
    uint32_t ends[8];
    uint8_t *gl = malloc(cap), *want = malloc(cap), *got = malloc(cap);
    assert_true(tk && gl && want && got);
    for (size_t k = 0; k < 3; k++) {
        n += tlx_ner_tok_split(sents[k], strlen(sents[k]), tk + n, cap - n);
        ends[ne++] = (uint32_t)n;
    }
    tlx_ner_scratch_t *scr = tlx_ner_scratch_new();
    assert_non_null(scr);
    s_gazlab(fx->g, tk, n, ends, ne, gl);
    int listed = 0;
    for (size_t i = 0; i < n; i++)
        listed += gl[i] != 0;
    assert_true(listed >= 6); /* the gazetteer does know some of these names */
    assert_int_equal(tlx_ner_tag_with(fx->m, scr, fx->g, tk, n, ends, ne, want), 0);
    assert_int_equal(tlx_ner_tag_gazlab(fx->m, scr, fx->g, gl, tk, n, ends, ne, got), 0);
    assert_memory_equal(want, got, n);
    assert_int_equal(tlx_ner_tag_gazlab(fx->m, NULL, fx->g, gl, tk, n, ends, ne, got), 0);
    assert_memory_equal(want, got, n);
    /* the three sentences repeated into one of 70,000 tokens, then one more;
       filler words first so that the tagger's cut at 65,536 falls inside a
       listed name of several words */
    size_t unit = n, p = 0;
    while (p + 1 < unit && !(gl[p] && tlx_ner_label_pos(gl[p]) == 'B' && tlx_ner_label_pos(gl[p + 1]) != 'B'))
        p++;
    assert_true(p + 1 < unit);
    size_t k = (65536 - p - 1) % unit;
    memmove(tk + k, tk, unit * sizeof(*tk));
    for (size_t i = 0; i < k; i++)
        tk[i] = (tlx_ner_tok_t){"x", 1, 0};
    n = k + unit;
    while (n + unit < 70000) {
        memcpy(tk + n, tk + k, unit * sizeof(*tk));
        n += unit;
    }
    size_t big = n;
    memcpy(tk + n, tk + k, unit * sizeof(*tk));
    n += unit;
    uint32_t e2[2] = {(uint32_t)big, (uint32_t)n};
    s_gazlab(fx->g, tk, n, e2, 2, gl);
    assert_int_equal(tlx_ner_tag_with(fx->m, scr, fx->g, tk, n, e2, 2, want), 0);
    assert_int_equal(tlx_ner_tag_gazlab(fx->m, scr, fx->g, gl, tk, n, e2, 2, got), 0);
    assert_memory_equal(want, got, n);
    /* the cut sentence's labels are not read, in either of its chunks: any
       value there gives the same tags (the last sentence's are read) */
    memset(gl, 1 + 4 * TLX_ENT_PER + 3, big);
    assert_int_equal(tlx_ner_tag_gazlab(fx->m, scr, fx->g, gl, tk, n, e2, 2, got), 0);
    assert_memory_equal(want, got, n);
    tlx_ner_scratch_destroy(&scr);
    free(tk);
    free(gl);
    free(want);
    free(got);
}

/* A scratch used with one model and then with another, loaded after the
   first was freed (it may get the same address): the cache of the first
   is not used for the second. */
static void test_scratch_other_model(void **state)
{
    (void)state;
    /* model B learns the tiny corpus with persons and places swapped */
    size_t tl = strlen(s_tiny);
    char *swapped = malloc(tl + 1);
    assert_non_null(swapped);
    memcpy(swapped, s_tiny, tl + 1);
    for (char *p = swapped; (p = strstr(p, "I-")) != NULL; p += 2)
        if (memcmp(p + 2, "PER", 3) == 0)
            memcpy(p + 2, "LOC", 3);
        else if (memcmp(p + 2, "LOC", 3) == 0)
            memcpy(p + 2, "PER", 3);
    char *cpath = s_write_tmp(s_tiny, tl), *spath = s_write_tmp(swapped, tl);
    tlx_ner_corpus_t c, cs;
    assert_int_equal(tlx_ner_corpus_read(cpath, &c), 0);
    assert_int_equal(tlx_ner_corpus_read(spath, &cs), 0);
    char pa[] = "/tmp/test_ner_ma_XXXXXX", pb[] = "/tmp/test_ner_mb_XXXXXX";
    close(mkstemp(pa));
    close(mkstemp(pb));
    tlx_ner_train_opts_t o = {.seed = 7, .epochs = 4, .bucket_bits = 12, .min_count = 1};
    assert_int_equal(tlx_ner_train(&c, NULL, NULL, &o, pa, NULL), 0);
    assert_int_equal(tlx_ner_train(&cs, NULL, NULL, &o, pb, NULL), 0);
    tlx_ner_scratch_t *scr = tlx_ner_scratch_new();
    uint8_t *want = calloc(c.ntok, 1), *got = calloc(c.ntok, 1);
    assert_true(scr && want && got);
    /* words the models have not seen: their blocks are summed into the scratch */
    static const char doc[] = "Pak Songchol visited Hamhung . Ri Yongho met Choe in Wonsan . "
                              "Sinpo traders said Kimchaek reported it .";
    tlx_ner_tok_t tk[64];
    size_t nd = tlx_ner_tok_split(doc, strlen(doc), tk, 64);
    const char *paths[] = {pa, pb, pa};
    int differ = 0;
    uint8_t first[64];
    for (int k = 0; k < 3; k++) {
        int err;
        tlx_ner_t *m = tlx_ner_load(paths[k], &err);
        assert_non_null(m);
        assert_int_equal(tlx_ner_tag(m, NULL, c.toks, c.ntok, c.sent_end, c.nsent, want), 0);
        assert_int_equal(tlx_ner_tag_with(m, scr, NULL, c.toks, c.ntok, c.sent_end, c.nsent, got), 0);
        assert_memory_equal(want, got, c.ntok);
        assert_int_equal(tlx_ner_tag(m, NULL, tk, nd, NULL, 0, want), 0);
        assert_int_equal(tlx_ner_tag_with(m, scr, NULL, tk, nd, NULL, 0, got), 0);
        assert_memory_equal(want, got, nd);
        if (k == 0)
            memcpy(first, want, nd);
        else if (k == 1)
            differ = memcmp(first, want, nd) != 0;
        tlx_ner_destroy(&m);
    }
    assert_true(differ); /* the two models disagree on these words */
    tlx_ner_scratch_destroy(&scr);
    free(want);
    free(got);
    tlx_ner_corpus_free(&c);
    tlx_ner_corpus_free(&cs);
    unlink(pa);
    unlink(pb);
    unlink(cpath);
    unlink(spath);
    free(cpath);
    free(spath);
    free(swapped);
}

static void s_check_spans(const tlx_record_t *rec);

/* Tokens of text joined by single spaces. */
static void s_toks(const char *text, char *out, size_t cap)
{
    tlx_ner_tok_t tk[64];
    size_t n = tlx_ner_tok_split(text, strlen(text), tk, 64);
    out[0] = 0;
    for (size_t i = 0; i < n && i < 64; i++) {
        size_t l = strlen(out);
        snprintf(out + l, cap - l, "%s%.*s", i ? " " : "", (int)tk[i].len, tk[i].s);
    }
}

/* The tokenizer: a slash between letters (photo credits) is a token, "1/2"
   and a URL's "//" are not split; a part glued to a dash is peeled like a
   word ("(Kessler News)--Officials"). */
static void test_tokens_credits_dashes(void **state)
{
    (void)state;
    static const struct {
        const char *text, *toks;
    } cases[] = {
        {"REUTERS/Marta Olsen/file photo", "REUTERS / Marta Olsen / file photo"},
        {"Ana Ruiz/AFP/Getty Images", "Ana Ruiz / AFP / Getty Images"},
        {"1/2 of http://example.org", "1/2 of http://example.org"},
        {"TALLINN (Kessler News)--Officials said", "TALLINN ( Kessler News ) -- Officials said"},
        {"a well-known--and \"late\"--reply", "a well-known -- and \" late \" -- reply"},
    };
    char got[256];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        s_toks(cases[i].text, got, sizeof got);
        if (strcmp(got, cases[i].toks) != 0)
            fail_msg("%s\n  want %s\n  got  %s", cases[i].text, cases[i].toks, got);
    }
}

/* An entity of this type whose text is `text`. */
static const tlx_entity_t *s_find_text(const tlx_record_t *rec, tlx_ent_type_t type, const char *text)
{
    for (uint32_t i = 0; i < rec->nentities; i++)
        if (rec->entities[i].type == type && strcmp(rec->entities[i].text, text) == 0)
            return &rec->entities[i];
    return NULL;
}

/* The entity stage's organization and credit rules, on made-up names
   written the way the press writes them: credits joined by slashes, an
   organization's article, head nouns (League, Institute, Committee,
   Party), "of"/"to" names, role abbreviations, amounts after a name, unit
   numbers, a capitalized preposition before a name. */
static void test_org_and_credit_rules(void **state)
{
    const s_fix_t *fx = *state;
    static const struct {
        const char *body;
        tlx_ent_type_t type;
        const char *text, *canonical; /* canonical NULL: not checked */
    } cases[] = {
        {"Farmers gathered outside the hall on Tuesday. REUTERS/Marta Olsen", TLX_ENT_PER, "Marta Olsen",
         NULL},
        {"Marta Olsen/AFP/Getty Images", TLX_ENT_ORG, "Getty Images", NULL},
        {"The mayor spoke, officials told The Corvan Tribune on Monday.", TLX_ENT_ORG, "The Corvan Tribune",
         "Corvan Tribune"},
        {"Clubs in the Northland Premier League spent more than ever.", TLX_ENT_ORG,
         "Northland Premier League", NULL},
        {"A study by the Varden Economic Institute found that wages rose.", TLX_ENT_ORG,
         "Varden Economic Institute", NULL},
        {"The report was praised by the Committee to Protect Farmers on Friday.", TLX_ENT_ORG,
         "Committee to Protect Farmers", NULL},
        {"Norvik CEO Anna Lindqvist said the company would expand.", TLX_ENT_PER, "Anna Lindqvist", NULL},
        {"Norvik CEO Anna Lindqvist said the company would expand.", TLX_ENT_ORG, "Norvik", NULL},
        {"Halden City £12.5m was the biggest fee of the window.", TLX_ENT_ORG, "Halden City", NULL},
        {"Soldiers of Marine Brigade 4 crossed the river near the border.", TLX_ENT_ORG, "Marine Brigade 4",
         NULL},
        {"TALLINN (Kessler News)--Officials said on Friday the port would reopen.", TLX_ENT_ORG,
         "Kessler News", NULL},
        {"The Green Reform Party won 12 seats in the election held on Sunday.", TLX_ENT_ORG,
         "Green Reform Party", NULL},
        {"Rain fell all week. The Corvan Tribune reported on Monday that roads were closed.", TLX_ENT_ORG,
         "The Corvan Tribune", "Corvan Tribune"},
    };
    tlx_arena_t *ar = tlx_arena_new(4096);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        tlx_record_t rec;
        memset(&rec, 0, sizeof rec);
        rec.body = cases[i].body;
        rec.body_len = strlen(cases[i].body);
        assert_int_equal(tlx_ner_ents_fill(fx->m, fx->g, &rec, ar), 0);
        s_check_spans(&rec);
        const tlx_entity_t *e = s_find_text(&rec, cases[i].type, cases[i].text);
        if (!e) {
            char got[512] = "";
            for (uint32_t k = 0; k < rec.nentities; k++) {
                size_t l = strlen(got);
                snprintf(got + l, sizeof got - l, " [%d %s]", rec.entities[k].type, rec.entities[k].text);
            }
            fail_msg("%s\n  want [%d %s]\n  got %s", cases[i].body, cases[i].type, cases[i].text, got);
        }
        if (cases[i].canonical)
            assert_string_equal(e->canonical, cases[i].canonical);
        for (uint32_t k = 0; k < rec.nentities; k++) /* no name swallowed an amount or a title */
            if (strchr(rec.entities[k].text, '/') || strstr(rec.entities[k].text, "\xC2\xA3") ||
                strstr(rec.entities[k].text, "CEO"))
                fail_msg("%s: entity '%s'", cases[i].body, rec.entities[k].text);
        tlx_arena_reset(ar);
    }
    tlx_arena_destroy(&ar);
}

static void s_check_spans(const tlx_record_t *rec)
{
    for (uint32_t i = 0; i < rec->nentities; i++) {
        const tlx_entity_t *e = &rec->entities[i];
        assert_int_equal(e->count, e->nspans);
        assert_true(e->nspans >= 1);
        for (uint32_t k = 0; k < e->nspans; k++) {
            assert_true(e->spans[k].start < e->spans[k].end);
            assert_true(e->spans[k].end <= rec->body_len);
            if (k)
                assert_true(e->spans[k].start >= e->spans[k - 1].end);
        }
        /* the text is the first surface form, at the first span */
        assert_memory_equal(rec->body + e->spans[0].start, e->text,
                            strlen(e->text) < 3 ? strlen(e->text) : 3);
    }
}

static void test_acronyms(void **state)
{
    const s_fix_t *fx = *state;
    /* the in-document definition wins over the gazetteer's "MSS" */
    const char *body = "The Ministry of Social Security (MSS) announced new rules on Tuesday. "
                       "Residents said MSS officers checked every house. "
                       "A source in Hyesan said MSS agents took bribes.";
    tlx_arena_t *ar = tlx_arena_new(4096);
    tlx_record_t rec;
    memset(&rec, 0, sizeof rec);
    rec.body = body;
    rec.body_len = strlen(body);
    assert_int_equal(tlx_ner_ents_fill(fx->m, fx->g, &rec, ar), 0);
    s_check_spans(&rec);
    const tlx_entity_t *e = s_find(&rec, TLX_ENT_ORG, "Ministry of People's Security");
    assert_non_null(e);
    assert_int_equal(e->count, 4);
    assert_string_equal(e->text, "Ministry of Social Security");
    assert_int_equal(e->spans[1].start, strstr(body, "MSS") - body);
    assert_null(s_find(&rec, TLX_ENT_ORG, "Ministry of State Security"));
    assert_non_null(s_find(&rec, TLX_ENT_LOC, "Hyesan"));

    /* a name the gazetteer does not know */
    body = "The Transitional Justice Working Group (TJWG) published a report in Seoul. "
           "TJWG said the camps were still open.";
    rec.body = body;
    rec.body_len = strlen(body);
    assert_int_equal(tlx_ner_ents_fill(fx->m, fx->g, &rec, ar), 0);
    e = s_find(&rec, TLX_ENT_ORG, "Transitional Justice Working Group");
    assert_non_null(e);
    assert_int_equal(e->count, 3);

    /* sentence spans from the structure stage are honoured (and may leave gaps) */
    body = "Officials in Pyongyang said nothing.\n\nThe Ministry of State Security (MSS) moved. MSS agents "
           "left.";
    tlx_span_t sents[3] = {{0, 36}, {38, 81}, {82, 98}};
    rec.body = body;
    rec.body_len = strlen(body);
    rec.sentences = sents;
    rec.nsentences = 3;
    assert_int_equal(tlx_ner_ents_fill(fx->m, fx->g, &rec, ar), 0);
    s_check_spans(&rec);
    assert_non_null(s_find(&rec, TLX_ENT_LOC, "Pyongyang"));
    e = s_find(&rec, TLX_ENT_ORG, "Ministry of State Security");
    assert_non_null(e);
    assert_int_equal(e->count, 3);
    rec.sentences = NULL;
    rec.nsentences = 0;

    /* a person's surname alone joins the full name; ambiguous Korean surnames do not */
    body = "Donald Trump met Kim Jong Un in Singapore. Trump said Kim was serious.";
    rec.body = body;
    rec.body_len = strlen(body);
    assert_int_equal(tlx_ner_ents_fill(fx->m, fx->g, &rec, ar), 0);
    e = s_find(&rec, TLX_ENT_PER, "Donald Trump");
    assert_non_null(e);
    assert_int_equal(e->count, 2);
    e = s_find(&rec, TLX_ENT_PER, "Kim Jong Un");
    assert_non_null(e);
    assert_int_equal(e->count, 1);
    tlx_arena_destroy(&ar);
}

/* Names the Reuters-trained tagger gets wrong on its own, fixed in the
   entity stage with the model's lexicon: titles inside a tagged span,
   romanized Korean names (family name + hyphenated given name), a place
   split off the front of a school or newspaper name, "-based" compounds. */
static void test_titles_and_korean_names(void **state)
{
    const s_fix_t *fx = *state;
    const char *body =
        "The prize was handed over in Berlin, where former Chancellor Angela Merkel gave a speech. "
        "Acme Chief Executive Tim Cook told analysts on Tuesday. "
        "The awards went to Park Ji-hoon, a reporter, and to Choi Eun-seo of the Busan Times. "
        "A speech by LEE MIN-HO followed.";
    tlx_arena_t *ar = tlx_arena_new(4096);
    tlx_record_t rec;
    memset(&rec, 0, sizeof rec);
    rec.body = body;
    rec.body_len = strlen(body);
    assert_int_equal(tlx_ner_ents_fill(fx->m, fx->g, &rec, ar), 0);
    s_check_spans(&rec);
    assert_non_null(s_find(&rec, TLX_ENT_PER, "Angela Merkel"));
    assert_non_null(s_find(&rec, TLX_ENT_PER, "Tim Cook"));
    assert_non_null(s_find(&rec, TLX_ENT_PER, "Park Ji-hoon"));
    assert_non_null(s_find(&rec, TLX_ENT_PER, "Choi Eun-seo"));
    assert_non_null(s_find(&rec, TLX_ENT_PER, "LEE MIN-HO"));
    for (uint32_t i = 0; i < rec.nentities; i++) {
        const char *t = rec.entities[i].text;
        if (strstr(t, "Chancellor") || strstr(t, "Chief") || strstr(t, "Executive"))
            fail_msg("a title inside an entity: '%s'", t);
    }
    /* "Secretary of State" is a title; no name runs on into lower-case words */
    body = "Secretary of State Jane Holloway refused Monday to set a timeline. "
           "Ambassador to Peru Tomas Lindqvist agreed.";
    rec.body = body;
    rec.body_len = strlen(body);
    assert_int_equal(tlx_ner_ents_fill(fx->m, fx->g, &rec, ar), 0);
    assert_non_null(s_find(&rec, TLX_ENT_PER, "Jane Holloway"));
    assert_non_null(s_find(&rec, TLX_ENT_PER, "Tomas Lindqvist"));
    for (uint32_t i = 0; i < rec.nentities; i++) {
        const char *t = rec.entities[i].text;
        if (strstr(t, "State") || strstr(t, "refused") || strstr(t, "Peru Tomas"))
            fail_msg("title or verb inside an entity: '%s'", t);
    }
    /* a place right before a school or newspaper name is part of it */
    body = "Students of Seoul National University marched on Sunday. Police in Seoul watched.";
    rec.body = body;
    rec.body_len = strlen(body);
    assert_int_equal(tlx_ner_ents_fill(fx->m, fx->g, &rec, ar), 0);
    assert_non_null(s_find(&rec, TLX_ENT_ORG, "Seoul National University"));
    assert_non_null(s_find(&rec, TLX_ENT_LOC, "Seoul"));
    /* "-based" does not make a tagged span a longer name than the gazetteer's place */
    body = "Traders met a South Hamgyong Province-based source on Monday.";
    rec.body = body;
    rec.body_len = strlen(body);
    assert_int_equal(tlx_ner_ents_fill(fx->m, fx->g, &rec, ar), 0);
    assert_non_null(s_find(&rec, TLX_ENT_LOC, "South Hamgyong Province"));
    /* a hyphenated word after a word that is no family name stays as tagged */
    body = "Officials said the Anti-war rally in Seoul was peaceful.";
    rec.body = body;
    rec.body_len = strlen(body);
    assert_int_equal(tlx_ner_ents_fill(fx->m, fx->g, &rec, ar), 0);
    for (uint32_t i = 0; i < rec.nentities; i++)
        assert_int_not_equal(rec.entities[i].type, TLX_ENT_PER);
    tlx_arena_destroy(&ar);
}

/* Golden entities of the seeds: read from the articles. */
typedef struct {
    tlx_ent_type_t type;
    const char *canonical;
    uint32_t min_count;
} s_gold_t;

static const s_gold_t s_g000[] = {{TLX_ENT_LOC, "Sinuiju", 4},
                                  {TLX_ENT_LOC, "North Pyongan Province", 1},
                                  {TLX_ENT_ORG, "Daily NK", 3},
                                  {TLX_ENT_ORG, "Ministry of State Security", 1},
                                  {TLX_ENT_LOC, "North Korea", 3},
                                  {TLX_ENT_LOC, "China", 1},
                                  {TLX_ENT_MISC, "North Korean", 2},
                                  {TLX_ENT_MISC, "Chinese", 2},
                                  {0, NULL, 0}};
static const s_gold_t s_g001[] = {
    {TLX_ENT_LOC, "Russia", 5},        {TLX_ENT_ORG, "Daily NK", 6},
    {TLX_ENT_LOC, "Irkutsk", 1},       {TLX_ENT_ORG, "Ministry of State Security", 5},
    {TLX_ENT_PER, "Kim Jong Un", 1},   {TLX_ENT_LOC, "North Korea", 3},
    {TLX_ENT_LOC, "China", 1},         {TLX_ENT_PER, "David Black", 1},
    {TLX_ENT_PER, "Robert Lauler", 1}, {TLX_ENT_MISC, "North Korean", 8},
    {TLX_ENT_MISC, "South Korean", 1}, {0, NULL, 0}};
static const s_gold_t s_g002[] = {{TLX_ENT_PER, "Kang Mi Jin", 1},
                                  {TLX_ENT_LOC, "South Korea", 4},
                                  {TLX_ENT_PER, "Kim Jong Un", 3},
                                  {TLX_ENT_PER, "Thae Yong Ho", 1},
                                  {TLX_ENT_LOC, "United Kingdom", 1},
                                  {TLX_ENT_ORG, "Ministry of State Security", 2},
                                  {TLX_ENT_ORG, "Daily NK", 2},
                                  {TLX_ENT_LOC, "North Korea", 4},
                                  {TLX_ENT_PER, "Jang Song Thaek", 1},
                                  {TLX_ENT_LOC, "North Hamgyong Province", 2},
                                  {TLX_ENT_ORG, "Ryanggang Provincial People's Committee", 1},
                                  {TLX_ENT_PER, "Kim Il Sung", 1},
                                  {TLX_ENT_PER, "Kim Jong Il", 1},
                                  {TLX_ENT_LOC, "Ryanggang Province", 1},
                                  {TLX_ENT_PER, "Yejie Kim", 1},
                                  {TLX_ENT_PER, "Lee Farrand", 1},
                                  {0, NULL, 0}};
static const s_gold_t s_g003[] = {
    {TLX_ENT_LOC, "North Korea", 1},
    {TLX_ENT_ORG, "Daily NK", 1},
    {TLX_ENT_ORG, "Ministry of State Security", 7}, /* "Ministry of State Security (MSS)" + 6 x MSS */
    {TLX_ENT_LOC, "South Hamgyong Province", 1},
    {TLX_ENT_LOC, "North Hamgyong Province", 2},
    {TLX_ENT_ORG, "Anti-Socialist Group", 1},
    {TLX_ENT_ORG, "Workers' Party of Korea", 1},
    {TLX_ENT_MISC, "Chinese", 1},
    {0, NULL, 0}};
static const s_gold_t s_g004[] = {{TLX_ENT_PER, "Kim Yoo Jin", 1},
                                  {TLX_ENT_PER, "Kim Jong Un", 1},
                                  {TLX_ENT_PER, "Moon Jae-in", 1},
                                  {TLX_ENT_ORG, "Ministry of State Security", 7},
                                  {TLX_ENT_ORG, "Ministry of People's Security", 2},
                                  {TLX_ENT_ORG, "Daily NK", 1},
                                  {TLX_ENT_LOC, "South Hamgyong Province", 2}, /* incl. "Hamnam" */
                                  {TLX_ENT_LOC, "North Korea", 1},
                                  {TLX_ENT_LOC, "South Korea", 1},
                                  {TLX_ENT_LOC, "North Hamgyong Province", 2},
                                  {TLX_ENT_ORG, "Workers' Party of Korea", 2},
                                  {0, NULL, 0}};

static void test_seeds(void **state)
{
    const s_fix_t *fx = *state;
    static const struct {
        const char *file;
        const s_gold_t *gold;
    } seeds[] = {
        {"000_b95e5fb43f31aefa.txt", s_g000}, {"001_fb1bfa2ad44c6e4f.txt", s_g001},
        {"002_8907b5e82464a41b.txt", s_g002}, {"003_cbb70c7f6c33b917.txt", s_g003},
        {"004_50cf4b8f26c8f34a.txt", s_g004},
    };
    int failures = 0;
    for (size_t s = 0; s < sizeof seeds / sizeof *seeds; s++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/seeds/%s", TLX_SOURCE_DIR, seeds[s].file);
        size_t len;
        char *text = s_slurp(path, &len);
        assert_non_null(text);
        tlx_arena_t *ar = tlx_arena_new(1 << 16);
        tlx_record_t rec;
        memset(&rec, 0, sizeof rec);
        rec.body = text; /* the whole article: captions and credits are text too */
        rec.body_len = len;
        assert_int_equal(tlx_ner_ents_fill(fx->m, fx->g, &rec, ar), 0);
        s_check_spans(&rec);
        for (const s_gold_t *g = seeds[s].gold; g->canonical; g++) {
            const tlx_entity_t *e = s_find(&rec, g->type, g->canonical);
            if (!e || e->count < g->min_count) {
                fprintf(stderr, "%s: missing %s %s x%u (found x%u)\n", seeds[s].file,
                        tlx_gaz_type_name(g->type), g->canonical, g->min_count, e ? e->count : 0);
                failures++;
            }
        }
        /* the classic lexicon failures must not happen */
        for (uint32_t i = 0; i < rec.nentities; i++) {
            const char *t = rec.entities[i].text;
            size_t tl = strlen(t);
            if (strcmp(t, "Kim Jong") == 0 || strcmp(t, "USD") == 0 ||
                (tl && (t[tl - 1] == '.' || t[tl - 1] == ','))) {
                fprintf(stderr, "%s: bad entity '%s'\n", seeds[s].file, t);
                failures++;
            }
        }
        tlx_arena_destroy(&ar);
        free(text);
    }
    assert_int_equal(failures, 0);
}

/* Failing-allocation loops: every allocation of the entity stage, the
   model loader and the gazetteer loader fails once, in turn; the result
   must be TLX_ENOMEM (or NULL) without leaks (ASan in CI), until a run
   needs fewer allocations than the injected index and succeeds. */
static void test_alloc_failures(void **state)
{
#ifdef TLX_TEST_HOOKS
    const s_fix_t *fx = *state;
    size_t len;
    char *text = s_slurp(TLX_SOURCE_DIR "/seeds/003_cbb70c7f6c33b917.txt", &len);
    assert_non_null(text);
    long k;
    for (k = 0;; k++) {
        tlx_arena_t *ar = tlx_arena_new(1 << 16);
        tlx_record_t rec;
        memset(&rec, 0, sizeof rec);
        rec.body = text;
        rec.body_len = len;
        tlx_ner_test_alloc_fail = k;
        int rc = tlx_ner_ents_fill(fx->m, fx->g, &rec, ar);
        long left = tlx_ner_test_alloc_fail;
        tlx_ner_test_alloc_fail = -1;
        tlx_arena_destroy(&ar);
        if (left >= 0) {
            assert_int_equal(rc, 0);
            assert_true(rec.nentities > 0);
            break;
        }
        assert_int_equal(rc, TLX_ENOMEM);
    }
    assert_true(k > 5);
    for (k = 0;; k++) {
        int err = 0;
        tlx_ner_test_alloc_fail = k;
        tlx_ner_t *m = tlx_ner_load(MODEL, &err);
        long left = tlx_ner_test_alloc_fail;
        tlx_ner_test_alloc_fail = -1;
        if (left >= 0) {
            assert_non_null(m);
            tlx_ner_destroy(&m);
            break;
        }
        assert_null(m);
        assert_int_equal(err, TLX_ENOMEM);
    }
    for (k = 0;; k++) {
        static const char doc[] = "Kim Jong Un visited Pyongyang. Kim met Zorvak officials there.";
        tlx_ner_tok_t tk[32];
        uint8_t lab[32];
        size_t n = tlx_ner_tok_split(doc, strlen(doc), tk, 32);
        tlx_ner_test_alloc_fail = k;
        tlx_ner_scratch_t *scr = tlx_ner_scratch_new();
        int rc = scr ? tlx_ner_tag_with(fx->m, scr, fx->g, tk, n, NULL, 0, lab) : TLX_ENOMEM;
        if (rc == 0) /* a second document on the same scratch */
            rc = tlx_ner_tag_with(fx->m, scr, fx->g, tk, n, NULL, 0, lab);
        long left = tlx_ner_test_alloc_fail;
        tlx_ner_test_alloc_fail = -1;
        tlx_ner_scratch_destroy(&scr);
        if (left >= 0) {
            assert_int_equal(rc, 0);
            break;
        }
        assert_int_equal(rc, TLX_ENOMEM);
    }
    for (k = 0;; k++) {
        tlx_ner_test_alloc_fail = k;
        tlx_gaz_t *g = tlx_gaz_new();
        int rc = g ? tlx_gaz_load_dir(g, GAZDIR) : TLX_ENOMEM;
        long left = tlx_ner_test_alloc_fail;
        tlx_ner_test_alloc_fail = -1;
        tlx_gaz_destroy(&g);
        if (left >= 0) {
            assert_int_equal(rc, 0);
            break;
        }
        assert_int_equal(rc, TLX_ENOMEM);
    }
    free(text);
#else
    (void)state;
    skip();
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_and_training),
        cmocka_unit_test(test_lexicon),
        cmocka_unit_test(test_clusters),
        cmocka_unit_test(test_span_repairs),
        cmocka_unit_test(test_sentences),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_scratch_cache),
        cmocka_unit_test(test_tag_gazlab),
        cmocka_unit_test(test_bilou_chains),
        cmocka_unit_test(test_scratch_other_model),
        cmocka_unit_test(test_acronyms),
        cmocka_unit_test(test_titles_and_korean_names),
        cmocka_unit_test(test_tokens_credits_dashes),
        cmocka_unit_test(test_org_and_credit_rules),
        cmocka_unit_test(test_seeds),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
