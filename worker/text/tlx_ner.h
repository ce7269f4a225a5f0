/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_ner.h -- named-entity tagger: a greedy averaged perceptron.

    Labels are BILOU internally (17 classes: O, then B/I/L/U for PER, LOC,
    ORG, MISC in tlx_ent_type_t order); tlx_ner_label_iob2() maps them to
    IOB2 for output.  A model file is mmap-ed read-only and may be shared by
    any number of threads; tagging allocates its scratch per call.

    Training reads CoNLL-2003 files (IOB1 or IOB2 tags in the last column)
    and is deterministic for a given seed and input.
*/
#ifndef TLX_NER_H
#define TLX_NER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tlx_alloc.h"
#include "tlx_gaz.h"
#include "tlx_ner_tok.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TLX_NER_NCLASS 17

typedef struct tlx_ner tlx_ner_t;

/*  Loads (mmaps) a model file written by tlx_ner_train().
    @param[out] err  0, TLX_EIO (cannot open/map), TLX_EMALFORMED (not a
                     model, wrong version, truncated), TLX_ENOMEM
    @return the model or NULL.  Caller owns; free with tlx_ner_destroy(). */
tlx_ner_t *tlx_ner_load(const char *path, int *err);

/*  Unmaps/frees the model; nulls *self_p; safe twice. */
void tlx_ner_destroy(tlx_ner_t **self_p);

/*  Bytes of model data (the mapped file). */
size_t tlx_ner_memory(const tlx_ner_t *self);

/*  Tags one document.
    @param gaz       gazetteer for the membership features, or NULL
    @param toks      the document's tokens, n of them
    @param sent_end  nsent sentence ends (token index, exclusive, increasing;
                     the last must be n).  NULL: the document is one sentence.
    @param[out] labels  n BILOU class ids
    @return 0, TLX_ENOMEM, TLX_EINVAL (sentence ends out of order).
    Thread-safe; linear in the total token length. */
int tlx_ner_tag(const tlx_ner_t *self, const tlx_gaz_t *gaz, const tlx_ner_tok_t *toks, size_t n,
                const uint32_t *sent_end, size_t nsent, uint8_t *labels);

/*  Per-thread tagging state kept between calls: the working arrays, and a
    cache of word information, pre-summed vectors and the word's own
    weight rows so that each distinct word is analysed and looked up once
    while it stays cached (16 k words, 4 k of them unknown to the model:
    about 4 MB at most; emptied when
    full or when used with another model).  Not thread-safe: one per thread.
    @return the scratch or NULL (out of memory).  Caller owns; free with
    tlx_ner_scratch_destroy(). */
typedef struct tlx_ner_scratch tlx_ner_scratch_t;
tlx_ner_scratch_t *tlx_ner_scratch_new(void);

/*  Frees the scratch; nulls *self_p; safe twice. */
void tlx_ner_scratch_destroy(tlx_ner_scratch_t **self_p);

/*  tlx_ner_tag() with the caller's scratch (labels identical to it).
    @return 0, TLX_ENOMEM, TLX_EINVAL.  Thread-safe as long as each thread
    has its own scratch; linear in the total token length. */
int tlx_ner_tag_with(const tlx_ner_t *self, tlx_ner_scratch_t *scratch, const tlx_gaz_t *gaz,
                     const tlx_ner_tok_t *toks, size_t n, const uint32_t *sent_end, size_t nsent,
                     uint8_t *labels);

/*  tlx_ner_tag_with() with the gazetteer already matched: gazlab[0..n) are
    the labels tlx_ner_gaz_labels() gives for the matches of `gaz` on each
    sentence in turn (tlx_gaz_match() from the sentence's first token on,
    again after the last match when it filled the output), so a caller that
    needs those matches too does not match twice.  For a sentence the tagger
    has to cut (over 64 k tokens) gaz is read and gazlab is not.  gazlab NULL:
    tlx_ner_tag_with(); scratch NULL: a cache for this call only, as
    tlx_ner_tag().  Labels identical to tlx_ner_tag_with()'s.
    @return 0, TLX_ENOMEM, TLX_EINVAL.  Thread-safe as long as each thread
    has its own scratch. */
int tlx_ner_tag_gazlab(const tlx_ner_t *self, tlx_ner_scratch_t *scratch, const tlx_gaz_t *gaz,
                       const uint8_t *gazlab, const tlx_ner_tok_t *toks, size_t n, const uint32_t *sent_end,
                       size_t nsent, uint8_t *labels);

/*  Gazetteer labels of matches mt[0..nm) (token ranges, as tlx_gaz_match()
    gives them) into lab[]: 1 + 4 x type + position (B I L U = 0..3);
    NONE entries and tokens outside the matches are left as they are. */
void tlx_ner_gaz_labels(const tlx_gaz_match_t *mt, size_t nm, uint8_t *lab);

/* Classes of the model's lexicon (name lists stored in the model file). */
enum {
    TLX_NER_LEX_PER = 1,
    TLX_NER_LEX_LOC = 2,
    TLX_NER_LEX_ORG = 4,
    TLX_NER_LEX_MISC = 8,
    TLX_NER_LEX_FIRST = 16, /* given name */
    TLX_NER_LEX_LAST = 32,  /* family name */
    TLX_NER_LEX_ROLE = 64   /* kind of person, title: "Chancellor", "Chief Executive" */
};

/*  Lexicon classes (TLX_NER_LEX_* bits) of exactly the token sequence
    toks[0..n), matched case-insensitively; 0 when it is not listed or the
    model has no lexicon.  Thread-safe; O(n). */
unsigned tlx_ner_lex_classes(const tlx_ner_t *self, const tlx_ner_tok_t *toks, size_t n);

/*  Word classes of the model's cluster table (learned from unlabeled text:
    data/ner/README.md) for the word s[0..len), read in lower case with
    digits folded: out[0..2] = the class among 64, 256 and 1024.
    @return 1 and out filled, or 0 (the word is not in the table, or the
    model has none).  Thread-safe; O(len). */
int tlx_ner_word_clusters(const tlx_ner_t *self, const char *s, size_t len, uint32_t out[3]);

/*  IOB2 spelling of a BILOU class ("O", "B-PER", "I-LOC", ...) given the
    class; static text. */
const char *tlx_ner_label_iob2(uint8_t label);

/*  Entity type of a class (undefined for O = 0) and its position:
    'O', 'B', 'I', 'L', 'U'. */
static inline tlx_ent_type_t tlx_ner_label_type(uint8_t label)
{
    return (tlx_ent_type_t)((label - 1) / 4);
}
static inline char tlx_ner_label_pos(uint8_t label)
{
    return label ? "BILU"[(label - 1) % 4] : 'O';
}

/* ---- training ---------------------------------------------------------- */

/* A CoNLL corpus in memory. */
typedef struct {
    char *buf;           /* token bytes (owned) */
    tlx_ner_tok_t *toks; /* ntok tokens pointing into buf */
    uint8_t *gold;       /* ntok BILOU gold labels */
    size_t ntok;
    uint32_t *sent_end; /* nsent sentence ends (token index, exclusive) */
    size_t nsent;
    uint32_t *doc_end; /* ndoc document ends (sentence index, exclusive) */
    size_t ndoc;
} tlx_ner_corpus_t;

/*  Reads a CoNLL file ("-" = stdin): token in the first column, IOB1/IOB2
    tag in the last, blank line ends a sentence, -DOCSTART- a document.
    @return 0, TLX_EIO, TLX_ENOMEM.  Caller frees with tlx_ner_corpus_free(). */
int tlx_ner_corpus_read(const char *path, tlx_ner_corpus_t *out);
void tlx_ner_corpus_free(tlx_ner_corpus_t *c);

typedef struct {
    uint64_t seed;            /* document shuffling; default 1 */
    uint32_t epochs;          /* default 12; the best epoch on dev is kept */
    uint32_t bucket_bits;     /* hashed feature table size (log2); default 18 */
    uint32_t min_count;       /* training words cached in the model; default 1 */
    const char *lexicon;      /* name lists for the lexicon features (CLASS<TAB>name
                                 lines, CLASS = PER LOC ORG MISC FIRST LAST ROLE; see
                                 data/ner/lexicon.tsv), stored in the model; NULL: none */
    const char *clusters;     /* word classes for the cluster features
                                 (word<TAB>c64<TAB>c256<TAB>c1024 lines, see
                                 data/ner/clusters.tsv), stored in the model; NULL: none */
    const char *const *names; /* more name lists for the lexicon features, in
                             the gazetteer format (TYPE<TAB>canonical<TAB>variant
                             | variant ...; data/gazetteers/README.md): PER, LOC,
                             ORG and MISC names join the lexicon */
    size_t nnames;            /* how many (at most 64 are read) */
} tlx_ner_train_opts_t;

/*  Trains on `train`, picks the epoch with the best dev F1 (when dev is not
    NULL), quantizes and writes the model to out_path.  Progress lines go to
    `log` (may be NULL).  Deterministic given opts->seed and the inputs.
    @return 0, TLX_ENOMEM, TLX_EIO (cannot write the model or read the
            lexicon or the clusters), TLX_EINVAL (empty corpus, lexicon over
            8 M words, clusters over 11 M words). */
int tlx_ner_train(const tlx_ner_corpus_t *train, const tlx_ner_corpus_t *dev, const tlx_gaz_t *gaz,
                  const tlx_ner_train_opts_t *opts, const char *out_path, FILE *log);

/*  Exact-span precision/recall/F1 (x100) of pred against gold labels. */
void tlx_ner_score(const uint8_t *gold, const uint8_t *pred, size_t n, double *p, double *r, double *f1);

#ifdef __cplusplus
}
#endif
#endif
