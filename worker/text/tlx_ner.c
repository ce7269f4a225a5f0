/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_ner.c -- greedy averaged-perceptron NER tagger, trainer and model file.

    What: tags tokens with BILOU labels for PER, LOC, ORG, MISC, one token at
    a time left to right (greedy), with transitions constrained to valid
    BILOU sequences.
    How: the score of class c at token i is a sum of weight rows:
      * word-only features of the words at offsets -2..+2 (word, lower case
        with digits folded, shape, short shape, prefixes and suffixes at 0;
        lower case, short shape, suffix at +-1/+-2).  Their sum depends only
        on the word, so the model file stores, for every frequent training
        word, the five pre-summed vectors ("blocks"): a known word costs one
        hash probe and one contiguous read;  unknown words are summed from
        the hashed table on the fly;
      * a few hashed context features (word bigrams, previous tag x word,
        previous tag x shape, sentence-initial x shape);
      * small dense tables: previous tag, previous two tags, gazetteer
        labels at -1/0/+1, how the same string was tagged earlier in the
        document, whether a capitalized word also occurs in lower case in the
        document, all-caps (headline) sentences.
    Weights are trained in float with lazy averaging (w - u/t), and stored as
    int16 with one global scale; sums are int32.  The model file is one
    little-endian blob (header, tables, vocabulary slots, blocks) that is
    mmap-ed, so loading is O(1) and shared between processes.
    Rejected: a linear-chain CRF with Viterbi (about +0.5 F1 in the
    literature, several times slower, and training in a few minutes on two
    cores would be hard); feature strings in a dictionary (memory and a
    string hash table per lookup, where hashing buckets costs nothing and
    collisions cost ~0.1 F1); training-data gazetteers (they memorize
    CoNLL; ours are curated data files that carry to new domains).
*/
#include "tlx_ner.h"

#include <fcntl.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tlx_deadline.h"
#include "tlx_error.h"
#include "tlx_hash.h"
#include "tlx_swar.h"

#define NC TLX_NER_NCLASS
#define NB 5  /* window offsets -2..+2 */
#define NQ 16 /* stored classes: 1..16; class O scores 0 (weights stored minus O's) */
#define FEAT_VERSION_UNUSED 0
#define MAGIC "TLXNER01"
#define FEAT_VERSION 11u

/* dense feature rows */
enum {
    D_P1 = 0,                           /* previous tag (NC = start) */
    D_P2 = D_P1 + (NC + 1),             /* previous two tags */
    D_DOC = D_P2 + (NC + 1) * (NC + 1), /* first x earlier doc type (6) */
    D_LOW = D_DOC + 12,                 /* first x {not cap, cap+seen lower, cap+unseen} */
    D_GAZ0 = D_LOW + 6,
    D_GAZM = D_GAZ0 + NC,
    D_GAZP = D_GAZM + NC,
    D_CAPS = D_GAZP + NC, /* headline x first */
    D_LEX0 = D_CAPS + 4,  /* lexicon label (position x class set) at 0, -1, +1 */
    D_LEXM = D_LEX0 + 512,
    D_LEXP = D_LEXM + 512,
    ND = D_LEXP + 512
};

#define NDS 8 /* static dense rows per token */
#define NDT 3 /* dense rows that depend on the tags */

/* Lexicon classes (bits of a lexicon entry): the name-list categories of
   data/ner/lexicon.tsv. */
static const char *const s_lex_class[] = {"PER", "LOC", "ORG", "MISC", "FIRST", "LAST", "ROLE"};
#define NLEXC 7
#define LEX_MAXTOK 8

/* The lexicon: an open-addressing set of token-sequence hashes.  A slot is
   the sequence hash with its low 8 bits replaced by a flag (bit 7: a longer
   entry starts with this sequence) and the class set (bits 0-6). */
typedef struct {
    const uint64_t *slots; /* NULL: no lexicon */
    uint32_t mask;
} s_lex_t;

/* Word clusters: an open-addressing table keyed by the word's lower-case
   hash (s_winfo_t.low).  A slot is the hash with its low 24 bits replaced
   by the word's classes at three granularities (CLU_BITS bits each, coarse
   to fine); 0 is an empty slot. */
typedef struct {
    const uint64_t *slots; /* NULL: no clusters */
    uint32_t mask;
} s_clu_t;

#define CLU_NG 3
#define CLU_B0 6 /* 64, 256, 1024 classes */
#define CLU_B1 8
#define CLU_B2 10
static const unsigned s_clu_bits[CLU_NG] = {CLU_B0, CLU_B1, CLU_B2};
#define CLU_VAL 0xffffffull
#define CLU_HAS (1u << 31) /* s_winfo_t.clu: the word has classes */

typedef struct {
    char magic[8];
    uint32_t version, nclass, bits, ndense;
    float scale;
    uint32_t nvocab, vcap;
    uint64_t off_w, off_d, off_vs, off_vv, total;
    uint32_t lcap;   /* lexicon slots (power of two, or 0) */
    uint32_t vshift; /* vocabulary vectors are stored >> vshift (int16) */
    uint64_t off_lex;
    uint32_t ccap; /* cluster slots (power of two, or 0) */
    uint32_t pad;
    uint64_t off_clu;
} s_hdr_t;

_Static_assert(sizeof(s_hdr_t) <= 128, "model header fits its 128 bytes");

typedef struct {
    uint64_t hash; /* 0 = empty */
    uint32_t idx;
    uint32_t pad;
} s_vslot_t;

struct tlx_ner {
    void *map;
    size_t maplen;
    int malloced;
    uint32_t mask;
    const int16_t *w; /* [nb][NC] */
    const int16_t *d; /* [ND][NC] */
    const s_vslot_t *vs;
    uint32_t vmask;
    const int16_t *vv; /* [nvocab][NB][NQ], each sum >> vshift */
    uint32_t vshift;
    s_lex_t lex;
    s_clu_t clu;
    uint64_t gen; /* this process's load number: what a scratch's cache belongs to */
    int16_t pad_before[NB * NQ] __attribute__((aligned(64)));
    int16_t pad_after[NB * NQ] __attribute__((aligned(64)));
    /* the static dense rows of a token with no gazetteer or lexicon label
       around it, summed: for each (first, lower-case sighting, headline),
       D_LOW + first x 3 + sighting, D_CAPS + headline x 2 + first, and the
       six label rows D_GAZ0, D_GAZM, D_GAZP, D_LEX0, D_LEXM, D_LEXP + 0 */
    int32_t dz[2 * 3 * 2][NQ] __attribute__((aligned(64)));
};

#ifdef TLX_TEST_HOOKS
long tlx_ner_test_alloc_fail = -1;

int tlx_ner_test_alloc_fails(void)
{
    return tlx_ner_test_alloc_fail >= 0 && tlx_ner_test_alloc_fail-- == 0;
}
#endif

/* ---- hashing and word information --------------------------------------- */

static inline uint64_t s_mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

static inline uint64_t s_fnv(const unsigned char *s, size_t n, uint64_t h)
{
    return tlx_fnv1a(h, s, n);
}

#define FNV0 TLX_FNV1A_OFFSET

typedef struct {
    uint64_t raw, low, shape, sshape;
    uint64_t pre[4], suf[4];
    uint8_t npre;         /* how many prefixes/suffixes exist */
    uint8_t cap;          /* first char upper */
    uint8_t lowr;         /* first char lower */
    uint8_t allcap_alpha; /* has letters, none lower */
    uint8_t has_alpha;
    uint8_t quote; /* an opening-quote-like token */
    uint32_t clu;  /* CLU_HAS | classes (s_clu_t slot value), or 0 */
} s_winfo_t;

/* Base letters of U+00C0..U+00FF (second UTF-8 byte 0x80..0xBF); '*' is
   not a letter (multiplication and division signs). */
static const char s_fold[65] = "aaaaaaaceeeeiiiidnooooo*ouuuuytsaaaaaaaceeeeiiiidnooooo*ouuuuyty";

#define S_NB 64 /* longest token whose curly quotes are read as ASCII ones */

/* Curly quotes read as the ASCII ones of the training data: *u and *n name
   s itself or its copy in nb[S_NB]. */
static inline void s_unquote(const char *s, size_t len, unsigned char *nb, const unsigned char **u, size_t *n)
{
    const unsigned char *c = (const unsigned char *)s;
    *u = c;
    *n = len;
    if (len > S_NB)
        return;
    size_t q = 0;
    while (q < len && c[q] != 0xE2) /* short tokens: no memchr call */
        q++;
    if (q == len)
        return;
    size_t k = 0;
    for (size_t i = 0; i < len; i++) {
        if (i + 2 < len && c[i] == 0xE2 && c[i + 1] == 0x80 && (c[i + 2] == 0x98 || c[i + 2] == 0x99)) {
            nb[k++] = '\'';
            i += 2;
        } else if (i + 2 < len && c[i] == 0xE2 && c[i + 1] == 0x80 &&
                   (c[i + 2] == 0x9C || c[i + 2] == 0x9D)) {
            nb[k++] = '"';
            i += 2;
        } else
            nb[k++] = c[i];
    }
    *u = nb;
    *n = k;
}

#define S_KCONT 0xFF /* s_fold_step(): a UTF-8 continuation byte, no shape */

/* One step of reading a word in lower case with digits folded: the byte
   at u[*i] (Latin-1 letters read as their base letter, "Mané" as "Mane":
   the training text is ASCII, names elsewhere are not; *i then moves to
   the letter's second byte and *nfold counts one byte less) and its shape
   class in *k: 'X' upper, 'x' lower, 'd' digit, 'u' another non-ASCII
   character, S_KCONT a continuation byte, else the byte itself. */
static inline unsigned char s_fold_step(const unsigned char *u, size_t n, size_t *i, size_t *nfold,
                                        unsigned char *k)
{
    unsigned char c = u[*i];
    if (c == 0xC3 && *i + 1 < n && u[*i + 1] >= 0x80 && u[*i + 1] <= 0xBF &&
        s_fold[u[*i + 1] - 0x80] != '*') {
        unsigned char l = (unsigned char)s_fold[u[*i + 1] - 0x80];
        *k = u[*i + 1] < 0x9F ? 'X' : 'x';
        ++*i;
        --*nfold;
        return l;
    }
    if (c >= 'A' && c <= 'Z') {
        *k = 'X';
        return c | 32;
    }
    if (c >= 'a' && c <= 'z') {
        *k = 'x';
        return c;
    }
    if (c >= '0' && c <= '9') {
        *k = 'd';
        return '0';
    }
    *k = c < 0x80 ? c : (c & 0xc0) == 0x80 ? S_KCONT : 'u';
    return c;
}

/* The word's identity hash (s_winfo_t.raw) of its bytes u[0..n) as
   s_unquote() reads them. */
static inline uint64_t s_rawhash(const unsigned char *u, size_t n)
{
    return s_mix(s_fnv(u, n, FNV0) ^ n);
}

/* The information of the word u[0..n) (as s_unquote() reads it) whose
   identity hash is raw; full = 0 skips the shape and affix hashes: only
   unknown words need them. */
static void s_winfo_u(const unsigned char *u, size_t n, uint64_t raw, s_winfo_t *wi, int full)
{
    unsigned char low[24], shp[24], ssh[24];
    size_t nl = 0, ns = 0, nss = 0;
    uint64_t hl = FNV0;
    int upper = 0, lower = 0;
    memset(wi, 0, sizeof(*wi));
    wi->raw = raw;
    unsigned char prev = 0;
    int run = 0;
    size_t nfold = n;
    for (size_t i = 0; i < n; i++) {
        unsigned char k, l = s_fold_step(u, n, &i, &nfold, &k);
        upper |= k == 'X';
        lower |= k == 'x' || k == 'u';
        if (k != S_KCONT) {
            if (k == prev)
                run++;
            else
                run = 0;
            if (run < 3 && ns < sizeof shp)
                shp[ns++] = k;
            if (run == 0 && nss < sizeof ssh)
                ssh[nss++] = k;
            prev = k;
        }
        hl ^= l;
        hl *= 0x100000001b3ull;
        if (nl < sizeof low)
            low[nl++] = l;
    }
    wi->low = s_mix(hl ^ nfold);
    wi->sshape = s_mix(s_fnv(ssh, nss, FNV0 ^ 2));
    size_t np = n < 4 ? n : 4;
    if (n > sizeof low)
        np = 4;
    wi->npre = (uint8_t)(n >= 3 && full ? np : 0);
    if (full)
        wi->shape = s_mix(s_fnv(shp, ns, FNV0 ^ 1));
    for (size_t k = 0; k < wi->npre; k++) {
        wi->pre[k] = s_mix(s_fnv(low, k + 1, FNV0 ^ 3));
        /* suffix of the lower form, last k+1 bytes of the original folded */
        uint64_t h = FNV0 ^ 4;
        for (size_t j = n - (k + 1); j < n; j++) {
            unsigned char c = u[j];
            if (c >= 'A' && c <= 'Z')
                c |= 32;
            else if (c >= '0' && c <= '9')
                c = '0';
            h ^= c;
            h *= 0x100000001b3ull;
        }
        wi->suf[k] = s_mix(h);
    }
    wi->quote = (n == 1 && (u[0] == '"' || u[0] == '\'')) || (n == 2 && u[0] == '`' && u[1] == '`');
    int f0 = n > 1 && u[0] == 0xC3 && u[1] >= 0x80 && u[1] <= 0xBF && s_fold[u[1] - 0x80] != '*';
    wi->cap = (n && u[0] >= 'A' && u[0] <= 'Z') || (f0 && u[1] < 0x9F);
    wi->lowr = (n && u[0] >= 'a' && u[0] <= 'z') || (f0 && u[1] >= 0x9F);
    wi->has_alpha = (uint8_t)(upper || lower);
    wi->allcap_alpha = (uint8_t)(upper && !lower);
}

/* The information of the word s[0..len) (s_winfo_u()). */
static void s_winfo(const char *s, size_t len, s_winfo_t *wi, int full)
{
    const unsigned char *u;
    unsigned char nb[S_NB];
    size_t n;
    s_unquote(s, len, nb, &u, &n);
    s_winfo_u(u, n, s_rawhash(u, n), wi, full);
}

/* s_winfo_t.raw alone (what the vocabulary is keyed by). */
static uint64_t s_idhash(const char *s, size_t len)
{
    const unsigned char *u;
    unsigned char nb[S_NB];
    size_t n;
    s_unquote(s, len, nb, &u, &n);
    return s_rawhash(u, n);
}

/* s_winfo_t.low alone (what the lexicon and the clusters are keyed by):
   the same reading without the shapes and affixes. */
static uint64_t s_lowhash(const char *s, size_t len)
{
    const unsigned char *u;
    unsigned char nb[S_NB];
    size_t n;
    s_unquote(s, len, nb, &u, &n);
    uint64_t hl = FNV0;
    size_t nfold = n;
    for (size_t i = 0; i < n; i++) {
        unsigned char k;
        hl ^= s_fold_step(u, n, &i, &nfold, &k);
        hl *= 0x100000001b3ull;
    }
    return s_mix(hl ^ nfold);
}

static inline uint64_t s_clu_key(uint64_t low)
{
    uint64_t key = low & ~CLU_VAL;
    return key ? key : CLU_VAL + 1;
}

/* The classes of a word whose lower-case hash is `low`: CLU_HAS | value,
   or 0 when the word is not in the table. */
static uint32_t s_clu_find(const s_clu_t *ct, uint64_t low)
{
    if (!ct->slots)
        return 0;
    uint64_t key = s_clu_key(low);
    for (uint32_t i = (uint32_t)(low >> 40) & ct->mask;; i = (i + 1) & ct->mask) {
        uint64_t v = ct->slots[i];
        if (v == 0)
            return 0;
        if ((v & ~CLU_VAL) == key)
            return CLU_HAS | (uint32_t)(v & CLU_VAL);
    }
}

/* Class g (0 coarse .. CLU_NG-1 fine) of a clu value. */
static inline uint32_t s_clu_class(uint32_t clu, int g)
{
    static const unsigned shift[CLU_NG] = {0, CLU_B0, CLU_B0 + CLU_B1}; /* running sums of s_clu_bits */
    return (clu >> shift[g]) & ((1u << s_clu_bits[g]) - 1);
}
static inline uint32_t s_bk(uint64_t tmpl, uint64_t h, uint32_t mask)
{
    return (uint32_t)(s_mix(h ^ (tmpl * 0x9e3779b97f4a7c15ull)) & mask);
}

/* Word-only feature buckets of word wi seen at window offset d (-2..2). */
static size_t s_word_feats(const s_winfo_t *wi, int d, uint32_t mask, uint32_t *out)
{
    size_t n = 0;
    uint64_t t = (uint64_t)(d + 2) << 8;
    out[n++] = s_bk(t | 1, wi->low, mask);
    out[n++] = s_bk(t | 2, wi->sshape, mask);
    if (d == 0) {
        out[n++] = s_bk(t | 3, wi->raw, mask);
        out[n++] = s_bk(t | 4, wi->shape, mask);
        out[n++] = s_bk(t | 5, 0, mask); /* bias */
        for (int k = 0; k < wi->npre; k++) {
            out[n++] = s_bk(t | (uint64_t)(16 + k), wi->pre[k], mask);
            out[n++] = s_bk(t | (uint64_t)(32 + k), wi->suf[k], mask);
        }
    } else if ((d == 1 || d == -1) && wi->npre >= 3) {
        out[n++] = s_bk(t | 34, wi->suf[2], mask);
    }
    /* the word's classes (of its lower-case form) at every offset; at 0 the
       two finer ones also with the word's short shape ("UN" and "Un" are
       one word to the embeddings, not to a reader) */
    if (wi->clu) {
        for (int g = 0; g < CLU_NG; g++)
            out[n++] = s_bk(t | (uint64_t)(48 + g), s_clu_class(wi->clu, g), mask);
        if (d == 0)
            for (int g = 1; g < CLU_NG; g++)
                out[n++] =
                    s_bk(t | (uint64_t)(52 + g), s_clu_class(wi->clu, g) * 0x9e3779b1ull ^ wi->sshape, mask);
    }
    return n;
}

#define MAXWF 24

static void s_pad_info(int after, s_winfo_t *wi)
{
    memset(wi, 0, sizeof(*wi));
    wi->low = wi->raw = after ? 0x5151 : 0x7171;
    wi->shape = wi->sshape = after ? 0x5152 : 0x7172;
}

/* ---- scoring helpers ----------------------------------------------------- */

/* The scoring loops are compiled twice where the compiler can dispatch at
   load time: AVX2 widens a row of int16 weights in two instructions where
   plain SSE2 needs a dozen (integer sums: the labels are the same). */
#if defined(__x86_64__) && defined(__has_attribute)
#if __has_attribute(target_clones) && !defined(TLX_FUZZ)
#define S_HOT __attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef S_HOT
#define S_HOT
#endif

/* 16 scores as two vectors of 8: with AVX2 one load, two widening moves
   and two adds per row, with plain SSE2 a few more.  The row is widened
   as one vector of 16 and then halved: GCC 12 widens a vector of 8 int16
   in four instructions where one does. */
typedef int32_t s_v8si __attribute__((vector_size(32)));
typedef int32_t s_v16si_w __attribute__((vector_size(64)));
typedef int16_t s_v16hi __attribute__((vector_size(32)));
typedef struct {
    s_v8si lo, hi;
} s_v16si;

static inline __attribute__((always_inline)) void s_add16(s_v16si *sc, const int16_t *row)
{
    s_v16hi a;
    memcpy(&a, row, sizeof a);
    s_v16si_w w = __builtin_convertvector(a, s_v16si_w);
    sc->lo += __builtin_shufflevector(w, w, 0, 1, 2, 3, 4, 5, 6, 7);
    sc->hi += __builtin_shufflevector(w, w, 8, 9, 10, 11, 12, 13, 14, 15);
}

/* The five pre-summed vectors of a word (offset-major), full width. */
S_HOT static void s_block32(const tlx_ner_t *m, const s_winfo_t *wi, int32_t *blk)
{
    uint32_t f[MAXWF];
    for (int d = -2; d <= 2; d++) {
        size_t nf = s_word_feats(wi, d, m->mask, f);
        s_v16si acc = {{0}, {0}};
        for (size_t k = 0; k < nf; k++)
            s_add16(&acc, m->w + (size_t)f[k] * NQ);
        memcpy(blk + (d + 2) * NQ, &acc, sizeof acc);
    }
}

/* ... stored as the model stores them: >> vshift in int16 (the trainer
   picks vshift so that its words fit; an unknown word's sum beyond that
   saturates). */
static void s_block(const tlx_ner_t *m, const s_winfo_t *wi, int16_t *blk)
{
    int32_t v[NB * NQ];
    s_block32(m, wi, v);
    for (int c = 0; c < NB * NQ; c++) {
        int32_t x = v[c] >> m->vshift;
        blk[c] = (int16_t)(x > INT16_MAX ? INT16_MAX : x < INT16_MIN ? INT16_MIN : x);
    }
}

static const int16_t *s_vocab(const tlx_ner_t *m, uint64_t h)
{
    if (!m->vs)
        return NULL;
    uint64_t key = h ? h : 1;
    for (uint32_t i = (uint32_t)(key >> 20) & m->vmask;; i = (i + 1) & m->vmask) {
        const s_vslot_t *s = &m->vs[i];
        if (s->hash == key)
            return m->vv + (size_t)s->idx * NB * NQ;
        if (s->hash == 0)
            return NULL;
    }
}

static inline int s_doctype(int label)
{
    return label == 0 ? 1 : 2 + (label - 1) / 4;
}

/* ---- per-document context (shared by tagging and training) -------------- */

typedef struct {
    uint64_t key;
    uint8_t val;
} s_dslot_t;

typedef struct {
    s_dslot_t *slots;
    size_t mask, used;
} s_dmap_t;

/* Slots for a table of n keys: twice as many, a power of two from 64,
   at most `maxcap`. */
static size_t s_dmap_cap(size_t n, size_t maxcap)
{
    size_t cap = 64;
    while (cap < n * 2 + 2 && cap < maxcap)
        cap *= 2;
    return cap;
}

/* A table for n keys, at most `maxcap` slots: past half full, new keys
   are dropped (a bounded memory for adversarial documents). */
static int s_dmap_init(s_dmap_t *dm, size_t n, size_t maxcap)
{
    size_t cap = s_dmap_cap(n, maxcap);
    dm->slots = TLX_NER_CALLOC(cap, sizeof(s_dslot_t));
    dm->mask = cap - 1;
    dm->used = 0;
    return dm->slots ? 0 : TLX_ENOMEM;
}

/* s_dmap_init() into a buffer kept between calls (*buf, *bcap slots;
   grown as needed, emptied here): no allocation per document. */
static int s_dmap_reuse(s_dmap_t *dm, size_t n, size_t maxcap, s_dslot_t **buf, size_t *bcap)
{
    size_t cap = s_dmap_cap(n, maxcap);
    if (cap > *bcap) {
        s_dslot_t *nb = TLX_NER_MALLOC(cap * sizeof(s_dslot_t));
        if (!nb)
            return TLX_ENOMEM;
        free(*buf);
        *buf = nb;
        *bcap = cap;
    }
    memset(*buf, 0, cap * sizeof(s_dslot_t));
    dm->slots = *buf;
    dm->mask = cap - 1;
    dm->used = 0;
    return 0;
}

#define S_DMAP_KEEP ((size_t)1 << 14) /* slots kept between documents (256 KB) */

/* A huge document's map goes back to the allocator; an article's stays. */
static void s_dmap_release(s_dslot_t **buf, size_t *bcap)
{
    if (*bcap > S_DMAP_KEEP) {
        free(*buf);
        *buf = NULL;
        *bcap = 0;
    }
}

static s_dslot_t *s_dmap_find(const s_dmap_t *dm, uint64_t key)
{
    key = key ? key : 1;
    for (size_t i = key & dm->mask;; i = (i + 1) & dm->mask) {
        if (dm->slots[i].key == key || dm->slots[i].key == 0)
            return &dm->slots[i];
    }
}

/* s_dmap_put() into slot s, which s_dmap_find() gave for key (no key
   was put since): the slot or NULL (the map is full). */
static inline s_dslot_t *s_dmap_set(s_dmap_t *dm, s_dslot_t *s, uint64_t key, uint8_t val)
{
    if (!s->key) {
        if ((dm->used + 1) * 2 > dm->mask + 1)
            return NULL;
        dm->used++;
        s->key = key ? key : 1;
    }
    s->val = val;
    return s;
}

static s_dslot_t *s_dmap_put(s_dmap_t *dm, uint64_t key, uint8_t val)
{
    return s_dmap_set(dm, s_dmap_find(dm, key), key, val);
}

#define S_MAXDOC ((size_t)1 << 18) /* slots of the per-document map */
#define S_CHUNK ((size_t)1 << 16)  /* tokens prepared at once */

/* What tagging reads of a word's information (s_winfo_t without the
   shape and affix hashes that only the word's own block needs), and the
   lexicon's slot for the word alone (s_lex_word(): a probe of a large
   table made once per cached word, not at each capitalized token). */
typedef struct {
    uint64_t raw, low, sshape;
    uint64_t lex0;
    uint8_t cap, lowr, allcap_alpha, has_alpha, quote;
} s_wlite_t;

static inline void s_lite(const s_winfo_t *w, s_wlite_t *l)
{
    l->lex0 = 0; /* s_lex_word() */
    l->raw = w->raw;
    l->low = w->low;
    l->sshape = w->sshape;
    l->cap = w->cap;
    l->lowr = w->lowr;
    l->allcap_alpha = w->allcap_alpha;
    l->has_alpha = w->has_alpha;
    l->quote = w->quote;
}

/* Token context computed once per document. */
typedef struct {
    s_wlite_t wi;
    uint8_t gaz;  /* BILOU-like gazetteer label, 0 none */
    uint8_t low;  /* 0 not cap, 1 cap and seen lower-case in doc, 2 cap unseen */
    uint16_t lex; /* lexicon label: position (B I L U = 0..3) x 128 + class set, 0 none */
} s_tctx_t;

#define LEX_H0 0x6c6578696361ull

static inline uint64_t s_lex_step(uint64_t h, uint64_t low)
{
    return s_mix(h * 0x100000001b3ull + low);
}

static inline uint64_t s_lex_key(uint64_t h)
{
    uint64_t key = h & ~0xffull;
    return key ? key : 0x100;
}

/* The slot of sequence hash h (its flags and classes), or 0. */
static uint64_t s_lex_find(const s_lex_t *lx, uint64_t h)
{
    uint64_t key = s_lex_key(h);
    for (uint32_t i = (uint32_t)(h >> 40) & lx->mask;; i = (i + 1) & lx->mask) {
        uint64_t v = lx->slots[i];
        if (v == 0 || (v & ~0xffull) == key)
            return v;
    }
}

/* The lexicon's slot for the word of lower-case hash `low` alone (its
   flags and classes), or 0; 0 also when there is no lexicon. */
static inline uint64_t s_lex_word(const s_lex_t *lx, uint64_t low)
{
    return lx->slots ? s_lex_find(lx, s_lex_step(LEX_H0, low)) : 0;
}

/* Whether a lexicon match may start at word w (token t): a capitalized
   word, or one starting with a non-ASCII letter.  Only there does
   s_lex_label read the word's lexicon slot (lex0). */
static inline int s_lex_starts(const s_wlite_t *w, const tlx_ner_tok_t *t)
{
    unsigned char c0 = t->len ? (unsigned char)t->s[0] : 0;
    return w->cap || (w->has_alpha && c0 >= 0xC3 && c0 < 0xF0);
}

/* Longest lexicon matches, left to right, within [s0, s1) (tc[].wi.lex0
   filled where s_lex_starts(): s_lex_word()): a match starts at such a
   word; later words match case-insensitively, so all-caps headlines match
   too. */
static void s_lex_label(const s_lex_t *lx, const tlx_ner_tok_t *toks, s_tctx_t *tc, size_t s0, size_t s1)
{
    size_t i = s0;
    while (i < s1) {
        const s_wlite_t *w = &tc[i].wi;
        if (!s_lex_starts(w, &toks[i])) {
            i++;
            continue;
        }
        uint64_t h = LEX_H0;
        size_t best = 0;
        unsigned bm = 0;
        for (size_t k = 0; k < LEX_MAXTOK && i + k < s1; k++) {
            h = s_lex_step(h, tc[i + k].wi.low);
            uint64_t v = k ? s_lex_find(lx, h) : w->lex0;
            if (v & 127) {
                best = k + 1;
                bm = (unsigned)(v & 127);
            }
            if (!(v & 128))
                break;
        }
        if (!best) {
            i++;
            continue;
        }
        if (best == 1)
            tc[i].lex = (uint16_t)(3 * 128 + bm);
        else {
            tc[i].lex = (uint16_t)bm;
            for (size_t j = i + 1; j + 1 < i + best; j++)
                tc[j].lex = (uint16_t)(128 + bm);
            tc[i + best - 1].lex = (uint16_t)(2 * 128 + bm);
        }
        i += best;
    }
}

/* The gazetteer labels of matches mt[0..nm) (token ranges) into lab[],
   `stride` bytes apart: 1 + 4 x type + position (B I L U = 0..3); NONE
   entries label nothing. */
static void s_gaz_label(const tlx_gaz_match_t *mt, size_t nm, uint8_t *lab, size_t stride)
{
    for (size_t k = 0; k < nm; k++) {
        size_t a = mt[k].start, b = mt[k].end;
        if ((int)mt[k].type >= TLX_GAZ_NONE)
            continue;
        int base = 1 + 4 * (int)mt[k].type;
        if (b - a == 1)
            lab[a * stride] = (uint8_t)(base + 3);
        else {
            lab[a * stride] = (uint8_t)base;
            for (size_t j = a + 1; j + 1 < b; j++)
                lab[j * stride] = (uint8_t)(base + 1);
            lab[(b - 1) * stride] = (uint8_t)(base + 2);
        }
    }
}

void tlx_ner_gaz_labels(const tlx_gaz_match_t *mt, size_t nm, uint8_t *lab)
{
    s_gaz_label(mt, nm, lab, 1);
}

/* Document context of tokens whose word information tc[i].wi is filled:
   lower-case sightings, lexicon and gazetteer labels (gazlab's when not
   NULL, else matched here sentence by sentence).  lbuf/lcap: a buffer for
   the lower-case sightings kept by the caller, or NULL (allocated here). */
static int s_doc_ctx(const tlx_gaz_t *gaz, const uint8_t *gazlab, const s_lex_t *lex,
                     const tlx_ner_tok_t *toks, size_t n, const uint32_t *sent_end, size_t nsent,
                     s_tctx_t *tc, s_dslot_t **lbuf, size_t *lcap)
{
    s_dmap_t lows;
    if (lbuf ? s_dmap_reuse(&lows, n, SIZE_MAX, lbuf, lcap) : s_dmap_init(&lows, n, SIZE_MAX))
        return TLX_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        tc[i].gaz = gazlab ? gazlab[i] : 0;
        tc[i].lex = 0;
        if (tc[i].wi.lowr)
            s_dmap_put(&lows, tc[i].wi.low, 1);
    }
    for (size_t i = 0; i < n; i++)
        tc[i].low = tc[i].wi.cap ? (s_dmap_find(&lows, tc[i].wi.low)->key ? 1 : 2) : 0;
    if (!lbuf)
        free(lows.slots);
    if (lex && lex->slots) {
        size_t s0 = 0;
        for (size_t si = 0; si < nsent; si++) {
            size_t s1 = sent_end ? sent_end[si] : n;
            s_lex_label(lex, toks, tc, s0, s1);
            s0 = s1;
        }
    }
    if (!gazlab && gaz && tlx_gaz_size(gaz)) {
        size_t s0 = 0;
        tlx_gaz_match_t mt[64];
        for (size_t si = 0; si < nsent; si++) {
            size_t s1 = sent_end ? sent_end[si] : n, i = s0, nm;
            while ((nm = tlx_gaz_match_from(gaz, toks, s1, &i, mt, 64)))
                s_gaz_label(mt, nm, &tc->gaz, sizeof *tc);
            s0 = s1;
        }
    }
    return 0;
}

/* Training: the full word information into wf, the document context. */
static int s_doc_prep(const tlx_gaz_t *gaz, const s_lex_t *lex, const tlx_ner_tok_t *toks, size_t n,
                      const uint32_t *sent_end, size_t nsent, s_tctx_t *tc, s_winfo_t *wf)
{
    for (size_t i = 0; i < n; i++) {
        s_winfo(toks[i].s, toks[i].len, &wf[i], 1);
        s_lite(&wf[i], &tc[i].wi);
        if (lex)
            tc[i].wi.lex0 = s_lex_word(lex, wf[i].low);
    }
    return s_doc_ctx(gaz, NULL, lex, toks, n, sent_end, nsent, tc, NULL, NULL);
}

/* Token i of the sentence that starts at token a is sentence-initial, or
   right after a sentence-initial quote. */
static inline int s_first(const s_tctx_t *tc, size_t i, size_t a)
{
    return i == a || (i == a + 1 && tc[a].wi.quote);
}

static int s_headline(const s_tctx_t *tc, size_t a, size_t b)
{
    int alpha = 0;
    for (size_t i = a; i < b; i++) {
        if (tc[i].wi.has_alpha) {
            if (!tc[i].wi.allcap_alpha)
                return 0;
            alpha++;
        }
    }
    return alpha >= 2;
}

/* The hashed buckets that depend on one word and a flag: its short shape
   x sentence-initial (103), its lower case x previous tag (104), its
   short shape x previous tag (105).  s_word_bk() keeps the ones after O
   with the cached word. */
static inline uint32_t s_bk_first(uint64_t sshape, int first, uint32_t mask)
{
    return s_bk(103, sshape + (uint64_t)first, mask);
}
static inline uint32_t s_bk_pword(int p1, uint64_t low, uint32_t mask)
{
    return s_bk(104 + ((uint64_t)p1 << 8), low, mask);
}
static inline uint32_t s_bk_pshape(int p1, uint64_t sshape, uint32_t mask)
{
    return s_bk(105 + ((uint64_t)p1 << 8), sshape, mask);
}

/* The context buckets out[0, 1, 3] of s_ctx_feats(): the word with its
   neighbours. */
static inline void s_ctx_pairs(const s_tctx_t *tc, size_t i, size_t a, size_t b, uint32_t mask, uint32_t *out)
{
    uint64_t lp = i > a ? tc[i - 1].wi.low : 0x7171, ln = i + 1 < b ? tc[i + 1].wi.low : 0x5151;
    out[0] = s_bk(101, lp * 31 + tc[i].wi.low, mask);
    out[1] = s_bk(102, tc[i].wi.low * 31 + ln, mask);
    out[3] = s_bk(106, lp * 131 + tc[i].wi.sshape, mask);
}

/* Context (non word-only) hashed buckets that do not depend on tags. */
static inline size_t s_ctx_feats(const s_tctx_t *tc, size_t i, size_t a, size_t b, uint32_t mask,
                                 uint32_t *out)
{
    s_ctx_pairs(tc, i, a, b, mask, out);
    out[2] = s_bk_first(tc[i].wi.sshape, s_first(tc, i, a), mask);
    return 4;
}

static inline size_t s_dense_static(const s_tctx_t *tc, size_t i, size_t a, size_t b, int head, uint32_t *out)
{
    int first = s_first(tc, i, a);
    out[0] = (uint32_t)(D_LOW + first * 3 + tc[i].low);
    out[1] = (uint32_t)(D_GAZ0 + tc[i].gaz);
    out[2] = (uint32_t)(D_GAZM + (i > a ? tc[i - 1].gaz : 0));
    out[3] = (uint32_t)(D_GAZP + (i + 1 < b ? tc[i + 1].gaz : 0));
    out[4] = (uint32_t)(D_CAPS + head * 2 + first);
    out[5] = (uint32_t)(D_LEX0 + tc[i].lex);
    out[6] = (uint32_t)(D_LEXM + (i > a ? tc[i - 1].lex : 0));
    out[7] = (uint32_t)(D_LEXP + (i + 1 < b ? tc[i + 1].lex : 0));
    return NDS;
}

/* The dense rows of s_tag_feats(). */
static inline void s_tag_dense(int first, int p1, int p2, int dt, uint32_t *db)
{
    db[0] = (uint32_t)(D_P1 + p1);
    db[1] = (uint32_t)(D_P2 + p2 * (NC + 1) + p1);
    db[2] = (uint32_t)(D_DOC + first * 6 + dt);
}

static inline void s_tag_feats(const s_tctx_t *tc, size_t i, int first, int p1, int p2, int dt, uint32_t mask,
                               uint32_t *hb, uint32_t *db)
{
    hb[0] = s_bk_pword(p1, tc[i].wi.low, mask);
    hb[1] = s_bk_pshape(p1, tc[i].wi.sshape, mask);
    s_tag_dense(first, p1, p2, dt, db);
}

/* Greedy BILOU decision.  sc[c] is the score of class c (O included).
   After an open entity (B or I) only I/L of its type are valid; when a
   class that starts fresh (O, B, U) scores higher than both, the entity is
   closed at the previous token instead (*repair = 1: B becomes U, I
   becomes L), so one early B cannot drag "The North Korean state
   continues" into an entity. */
#define S_DECIDE(T)                                                                                          \
    static inline int s_decide_##T(const T *sc, int p1, int last, int *repair)                               \
    {                                                                                                        \
        *repair = 0;                                                                                         \
        int best = 0;                                                                                        \
        T bs = sc[0];                                                                                        \
        for (int c = 1; c < NC; c += 4) {                                                                    \
            if (!last && sc[c] > bs) {                                                                       \
                bs = sc[c];                                                                                  \
                best = c;                                                                                    \
            }                                                                                                \
            if (sc[c + 3] > bs) {                                                                            \
                bs = sc[c + 3];                                                                              \
                best = c + 3;                                                                                \
            }                                                                                                \
        }                                                                                                    \
        int popen = p1 != NC && p1 != 0 && ((p1 - 1) % 4 == 0 || (p1 - 1) % 4 == 1);                         \
        if (!popen)                                                                                          \
            return best;                                                                                     \
        int base = p1 - ((p1 - 1) % 4);                                                                      \
        int cont = last || sc[base + 2] > sc[base + 1] ? base + 2 : base + 1;                                \
        if (sc[cont] >= bs)                                                                                  \
            return cont;                                                                                     \
        *repair = 1;                                                                                         \
        return best;                                                                                         \
    }
typedef float s_float;
S_DECIDE(int32_t)
S_DECIDE(s_float)

static inline uint8_t s_close(uint8_t p)
{
    return (uint8_t)((p - 1) % 4 == 0 ? p + 3 : p + 1); /* B -> U, I -> L */
}

/* The open twin of a class that closes an entity (L -> I, U -> B), or 0. */
static inline int s_reopen(int p)
{
    if (p == 0 || p >= NC)
        return 0;
    int pos = (p - 1) % 4;
    return pos == 2 ? p - 1 : pos == 3 ? p - 3 : 0;
}

/* The continuation of the entity opened by class q (I or L of its type;
   L only at the sentence's last token) that scores higher. */
#define S_CONT(T)                                                                                            \
    static inline int s_cont_##T(const T *sc, int q, int last)                                               \
    {                                                                                                        \
        int base = q - ((q - 1) % 4);                                                                        \
        return last || sc[base + 2] > sc[base + 1] ? base + 2 : base + 1;                                    \
    }
S_CONT(int32_t)
S_CONT(s_float)

/* ---- tagging ------------------------------------------------------------- */

/* The five pre-summed vectors of token j: from the model for known words,
   else summed into `buf` (needs the shape and affix hashes). */
static const int16_t *s_block_of(const tlx_ner_t *m, const tlx_ner_tok_t *tok, const int16_t *known,
                                 int16_t *buf)
{
    if (known)
        return known;
    s_winfo_t wi;
    s_winfo(tok->s, tok->len, &wi, 1);
    wi.clu = s_clu_find(&m->clu, wi.low);
    s_block(m, &wi, buf);
    return buf;
}

/* ---- scratch: working arrays and the word cache -------------------------- */

#define S_CACHE_MAX ((size_t)1 << 14) /* words a scratch caches */
#define S_POOL_MAX ((size_t)1 << 12)  /* of them unknown words with a cached block */
#define S_REF_NONE INT32_MIN          /* a cached word without a block */

/* A cached word: its information (without shape and affix hashes) and its
   block: ref >= 0 the vocabulary's block ref, < 0 the pool's block -ref-1.
   Beside it (tlx_ner_scratch.rows, NQ weights per entry) a copy of
   the hashed row that depends on the word alone in the usual case, the
   previous tag (O) x word row, so that most tokens read it next to their
   other rows instead of at a random place in the 8 MB table (the rows
   keyed by the short shape, which has few values, stay in cache anyway).
   It is copied when the word is seen again (`rows`), so that words seen
   once cost no copy and no fresh memory. */
typedef struct {
    s_wlite_t wi;
    uint64_t key;   /* s_keyhash() of the token's bytes */
    uint32_t bk[2]; /* s_word_bk() */
    int32_t ref;
    uint8_t rows; /* its rows are copied */
} s_centry_t;

struct tlx_ner_scratch {
    uint64_t gen;    /* the model whose blocks the cache refers to (tlx_ner.gen; 0: none) */
    uint32_t *slots; /* entry index + 1, 0 empty; 2 x maxent of them */
    size_t smask;
    s_centry_t *ent;
    size_t nent, maxent;
    int16_t *pool; /* NB * NQ per unknown word */
    size_t npool, maxpool;
    int16_t *rows; /* NQ per entry */
    s_tctx_t *tc;  /* per token of a chunk */
    const int16_t **vb;
    const int16_t **rw; /* per token: its entry's rows, or NULL (not cached) */
    uint32_t *hs;
    size_t captok;
    uint32_t *lend; /* sentence ends of a chunk */
    size_t caplend;
    s_dslot_t *lows, *docs; /* the per-document maps' slots (s_dmap_reuse) */
    size_t caplows, capdocs;
};

static tlx_ner_scratch_t *s_scratch_new(size_t maxent, size_t maxpool)
{
    tlx_ner_scratch_t *sc = TLX_NER_CALLOC(1, sizeof(*sc));
    if (!sc)
        return NULL;
    size_t ns = 64;
    while (ns < 2 * maxent)
        ns *= 2;
    sc->slots = TLX_NER_CALLOC(ns, sizeof(uint32_t));
    if (!sc->slots) {
        free(sc);
        return NULL;
    }
    sc->smask = ns - 1;
    sc->maxent = maxent;
    sc->maxpool = maxpool;
    /* entries and pool blocks at their limits at once: pages are only
       touched as the cache fills, where growing them with the cache copied
       them to fresh pages at every document */
    sc->ent = TLX_NER_MALLOC(maxent * sizeof(*sc->ent));
    sc->pool = TLX_NER_MALLOC(maxpool * NB * NQ * sizeof(int16_t));
    sc->rows = TLX_NER_MALLOC(maxent * NQ * sizeof(int16_t));
    if (!sc->ent || !sc->pool || !sc->rows) {
        tlx_ner_scratch_destroy(&sc);
        return NULL;
    }
    return sc;
}

tlx_ner_scratch_t *tlx_ner_scratch_new(void)
{
    return s_scratch_new(S_CACHE_MAX, S_POOL_MAX);
}

void tlx_ner_scratch_destroy(tlx_ner_scratch_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    tlx_ner_scratch_t *sc = *self_p;
    free(sc->slots);
    free(sc->ent);
    free(sc->pool);
    free(sc->rows);
    free(sc->tc);
    free(sc->vb);
    free(sc->rw);
    free(sc->hs);
    free(sc->lend);
    free(sc->lows);
    free(sc->docs);
    free(sc);
    *self_p = NULL;
}

static int s_grow(void **p, size_t *cap, size_t want, size_t elsz)
{
    if (want <= *cap)
        return 0;
    void *np = TLX_NER_REALLOC(*p, want * elsz);
    if (!np)
        return TLX_ENOMEM;
    *p = np;
    *cap = want;
    return 0;
}

/* Room for a chunk of n tokens: the per-token arrays (the cache's entries
   and pool blocks are allocated with the scratch, so block pointers stay
   valid while a chunk is tagged). */
static int s_scratch_fit(tlx_ner_scratch_t *sc, size_t n)
{
    size_t ct = sc->captok;
    if (n > ct) {
        /* at least doubling: documents of growing sizes copy little */
        size_t want = 2 * ct < S_CHUNK ? 2 * ct : S_CHUNK, c = ct;
        if (want < n)
            want = n;
        if (s_grow((void **)&sc->tc, &c, want, sizeof(*sc->tc)))
            return TLX_ENOMEM;
        c = ct;
        if (s_grow((void **)&sc->vb, &c, want, sizeof(*sc->vb)))
            return TLX_ENOMEM;
        c = ct;
        if (s_grow((void **)&sc->rw, &c, want, sizeof(*sc->rw)))
            return TLX_ENOMEM;
        c = ct;
        if (s_grow((void **)&sc->hs, &c, want, 6 * sizeof(uint32_t)))
            return TLX_ENOMEM;
        sc->captok = want;
    }
    return 0;
}

/* Empties the cache when it belongs to another model or is full.  Models
   are told apart by their load number, not their address: a model loaded
   after another was freed may well get the same address. */
static void s_scratch_begin(tlx_ner_scratch_t *sc, const tlx_ner_t *m)
{
    if (sc->gen == m->gen && sc->nent < sc->maxent && sc->npool < sc->maxpool)
        return;
    memset(sc->slots, 0, (sc->smask + 1) * sizeof(uint32_t));
    sc->nent = sc->npool = 0;
    sc->gen = m->gen;
}

static const int16_t *s_ref_block(const tlx_ner_t *m, const tlx_ner_scratch_t *sc, int32_t ref)
{
    if (ref == S_REF_NONE)
        return NULL;
    return ref >= 0 ? m->vv + (size_t)ref * NB * NQ : sc->pool + (size_t)(-(ref + 1)) * NB * NQ;
}

/* The buckets of word wl alone that tagging reads at most tokens: short
   shape x not sentence-initial, short shape x previous tag O. */
static inline void s_word_bk(const tlx_ner_t *m, const s_wlite_t *wl, uint32_t bk[2])
{
    bk[0] = s_bk_first(wl->sshape, 0, m->mask);
    bk[1] = s_bk_pshape(0, wl->sshape, m->mask);
}

/* A new word: its information, its buckets (s_word_bk) and block
   (vocabulary, or summed into the pool while there is room, else NULL:
   summed at each use). */
static int32_t s_word_new(const tlx_ner_t *m, tlx_ner_scratch_t *sc, const tlx_ner_tok_t *tok, s_wlite_t *wl,
                          uint32_t bk[2])
{
    /* the vocabulary first, by the identity hash: only an unknown word
       that gets a pool block needs the shape and affix hashes (the rest
       of the analysis is the same with or without them) */
    const unsigned char *u;
    unsigned char nb[S_NB];
    size_t n;
    s_unquote(tok->s, tok->len, nb, &u, &n);
    uint64_t raw = s_rawhash(u, n);
    const int16_t *b = s_vocab(m, raw);
    int sum = !b && sc->npool < sc->maxpool;
    s_winfo_t wi;
    s_winfo_u(u, n, raw, &wi, sum);
    s_lite(&wi, wl);
    s_word_bk(m, wl, bk);
    /* the lexicon is read only where a name may start (the cache holds
       this word's exact bytes, so every later use starts alike) */
    if (s_lex_starts(wl, tok))
        wl->lex0 = s_lex_word(&m->lex, wi.low);
    if (b)
        return (int32_t)((size_t)(b - m->vv) / (NB * NQ));
    if (!sum)
        return S_REF_NONE;
    wi.clu = s_clu_find(&m->clu, wi.low);
    s_block(m, &wi, sc->pool + sc->npool * NB * NQ);
    return -(int32_t)(sc->npool++) - 1;
}

/* The word's own hashed row (see s_centry_t): previous tag O x word, as
   s_tag_feats() hashes it. */
static void s_word_rows(const tlx_ner_t *m, const s_wlite_t *wi, int16_t *rows)
{
    memcpy(rows, m->w + (size_t)s_bk_pword(0, wi->low, m->mask) * NQ, NQ * sizeof(int16_t));
}

/* The cache's key for a token: its bytes eight at a time (tlx_swar_hash;
   the word's identity hash, s_winfo_t.raw, goes a byte at a time and
   reads curly quotes as ASCII ones: it is made only for a word the cache
   does not have).  The length enters through s_mix(). */
static inline uint64_t s_keyhash(const char *s, size_t n)
{
    /* not linear in n: "ab" and "abc" differ */
    return s_mix(tlx_swar_hash(s_mix(0x9e3779b97f4a7c15ull ^ n), s, n));
}

/* Word information and blocks of toks[0..n) through the cache, and the
   buckets of each word alone (s_word_bk) into its hashed context rows
   hs[6 i + 2] and hs[6 i + 5] (s_sent_rows): each distinct word is
   analysed, looked up and hashed once while it stays cached. */
static void s_words_cached(const tlx_ner_t *m, tlx_ner_scratch_t *sc, const tlx_ner_tok_t *toks, size_t n,
                           s_tctx_t *tc, const int16_t **vb, const int16_t **rw, uint32_t *hs)
{
    /* the keys first (kept in wi.raw until the word's information replaces
       them), so that the cache's slots can be prefetched a few words
       ahead: on a cold cache every probe is a miss, and they do not depend
       on each other */
    for (size_t i = 0; i < n; i++)
        tc[i].wi.raw = s_keyhash(toks[i].s, toks[i].len);
    for (size_t i = 0; i < n; i++) {
        if (i + 8 < n)
            __builtin_prefetch(&sc->slots[(size_t)(tc[i + 8].wi.raw >> 20) & sc->smask]);
        uint64_t h = tc[i].wi.raw;
        size_t j = (size_t)(h >> 20) & sc->smask;
        uint32_t v;
        while ((v = sc->slots[j]) && sc->ent[v - 1].key != h)
            j = (j + 1) & sc->smask;
        if (v) {
            s_centry_t *e = &sc->ent[v - 1];
            tc[i].wi = e->wi;
            hs[6 * i + 2] = e->bk[0];
            hs[6 * i + 5] = e->bk[1];
            vb[i] = s_ref_block(m, sc, e->ref);
            int16_t *r = sc->rows + (size_t)(v - 1) * NQ;
            if (!e->rows) {
                s_word_rows(m, &e->wi, r);
                e->rows = 1;
            }
            rw[i] = r;
            continue;
        }
        uint32_t bk[2];
        int32_t ref = s_word_new(m, sc, &toks[i], &tc[i].wi, bk);
        hs[6 * i + 2] = bk[0];
        hs[6 * i + 5] = bk[1];
        vb[i] = s_ref_block(m, sc, ref);
        rw[i] = NULL;
        if (sc->nent < sc->maxent) {
            sc->ent[sc->nent].wi = tc[i].wi;
            memcpy(sc->ent[sc->nent].bk, bk, sizeof bk);
            sc->ent[sc->nent].key = h;
            sc->ent[sc->nent].ref = ref;
            sc->ent[sc->nent].rows = 0;
            sc->slots[j] = (uint32_t)++sc->nent;
        }
    }
}

/* The hashed context rows of sentence [a, b) into hs (6 per token: the
   four of s_ctx_feats(), then the two of s_tag_feats() after O),
   prefetched: independent lookups first, in a loop the CPU can overlap, so
   that the tagging loop finds its rows in cache.  A word with a cached row
   (rw[i]) needs five of them from the table. */
static inline __attribute__((always_inline)) void s_sent_rows(const tlx_ner_t *m, const s_tctx_t *tc,
                                                              const int16_t *const *rw, uint32_t *hs,
                                                              size_t a, size_t b)
{
    for (size_t i = a; i < b; i++) {
        uint32_t *h = hs + 6 * i;
        /* s_ctx_feats() and, since most tokens follow O, s_tag_feats()
           after O: the buckets of the word alone (h[2] when the word is
           not sentence-initial, h[5]) are the cached ones s_words_cached()
           put there (s_word_bk), the previous tag x word one is needed
           only when the word has no copy of its row (rw[i]) */
        s_ctx_pairs(tc, i, a, b, m->mask, h);
        if (s_first(tc, i, a))
            h[2] = s_bk_first(tc[i].wi.sshape, 1, m->mask);
        h[4] = rw[i] ? 0 : s_bk_pword(0, tc[i].wi.low, m->mask);
        __builtin_prefetch(m->w + (size_t)h[0] * NQ);
        __builtin_prefetch(m->w + (size_t)h[1] * NQ);
        __builtin_prefetch(m->w + (size_t)h[2] * NQ);
        __builtin_prefetch(m->w + (size_t)h[3] * NQ);
        if (!rw[i])
            __builtin_prefetch(m->w + (size_t)h[4] * NQ);
        __builtin_prefetch(m->w + (size_t)h[5] * NQ);
    }
}

/* Adds the rows that do not depend on the tags: the four hashed context
   rows hb[0..4) and the NDS dense rows of s_dense_static() (as one
   pre-summed m->dz row when no gazetteer or lexicon label is around);
   first: s_first() of the token. */
static inline __attribute__((always_inline)) void s_add_static(const tlx_ner_t *m, const s_tctx_t *tc,
                                                               size_t i, size_t a, size_t b, int head,
                                                               int first, const uint32_t *hb, s_v16si *sc)
{
    s_add16(sc, m->w + (size_t)hb[0] * NQ);
    s_add16(sc, m->w + (size_t)hb[1] * NQ);
    s_add16(sc, m->w + (size_t)hb[2] * NQ);
    s_add16(sc, m->w + (size_t)hb[3] * NQ);
    unsigned around = (unsigned)tc[i].gaz | tc[i].lex;
    if (i > a)
        around |= (unsigned)tc[i - 1].gaz | tc[i - 1].lex;
    if (i + 1 < b)
        around |= (unsigned)tc[i + 1].gaz | tc[i + 1].lex;
    if (!around) { /* s_dense_static()'s label rows are all the "none" ones */
        s_v8si z[2];
        memcpy(z, m->dz[(first * 3 + tc[i].low) * 2 + head], sizeof z);
        sc->lo += z[0];
        sc->hi += z[1];
    } else {
        uint32_t db[NDS];
        s_dense_static(tc, i, a, b, head, db);
        for (size_t k = 0; k < NDS; k++)
            s_add16(sc, m->d + (size_t)db[k] * NQ);
    }
}

/* Adds the rows that depend on the tags (s_tag_feats() for previous tags
   p1, p2 and earlier document type dt) to token i's scores: after O the
   two hashed rows s_sent_rows() made (hs: the token's six), the word-only
   one from the word cache when it has it (own); the other cases hashed
   here.  first: s_first() of the token. */
static inline __attribute__((always_inline)) void s_add_tag(const tlx_ner_t *m, const s_tctx_t *tc, size_t i,
                                                            int first, int p1, int p2, int dt,
                                                            const uint32_t *hs, const int16_t *own,
                                                            s_v16si *sc)
{
    uint32_t hb[2], db[NDT];
    if (p1 == 0) {
        hb[0] = hs[4];
        hb[1] = hs[5];
        s_tag_dense(first, p1, p2, dt, db);
    } else {
        s_tag_feats(tc, i, first, p1, p2, dt, m->mask, hb, db);
        own = NULL;
    }
    s_add16(sc, own ? own : m->w + (size_t)hb[0] * NQ);
    s_add16(sc, m->w + (size_t)hb[1] * NQ);
    for (size_t k = 0; k < NDT; k++)
        s_add16(sc, m->d + (size_t)db[k] * NQ);
}

/* Scores of the NC classes of a token: O's (0) just before the 16 others,
   which are stored as two aligned vectors. */
typedef struct {
    int32_t v[32] __attribute__((aligned(64))); /* v[15] = 0 (O), v[16..32) the others */
} s_scores_t;

static inline __attribute__((always_inline)) const int32_t *s_scores(s_scores_t *s, const s_v16si *sc)
{
    s->v[15] = 0;
    memcpy(s->v + 16, &sc->lo, sizeof sc->lo);
    memcpy(s->v + 24, &sc->hi, sizeof sc->hi);
    return s->v + 15;
}

/* Tags toks[0..n) (n <= S_CHUNK) as part of a document whose map is `doc`;
   gazlab: the chunk's gazetteer labels, or NULL (matched here). */
S_HOT static int s_tag_chunk(const tlx_ner_t *m, tlx_ner_scratch_t *scr, const tlx_gaz_t *gaz,
                             const uint8_t *gazlab, const tlx_ner_tok_t *toks, size_t n,
                             const uint32_t *sent_end, size_t nsent, uint8_t *labels, s_dmap_t *dm)
{
    const int32_t vmul = (int32_t)1 << m->vshift; /* the blocks are stored >> vshift */
    int rc = s_scratch_fit(scr, n);
    if (rc)
        return rc;
    s_tctx_t *tc = scr->tc;
    const int16_t **vb = scr->vb;
    uint32_t *hs = scr->hs;
    s_dmap_t doc = *dm;
    const int16_t **rw = scr->rw;
    s_words_cached(m, scr, toks, n, tc, vb, rw, hs);
    if ((rc = s_doc_ctx(gaz, gazlab, &m->lex, toks, n, sent_end, nsent, tc, &scr->lows, &scr->caplows)))
        return rc;
    /* Independent lookups first, in a loop the CPU can overlap: the
       tagging loop below then finds its rows in cache (it is otherwise
       bound by memory latency, one miss after another). */
    for (size_t i = 0; i < n; i++) {
        if (vb[i])
            for (int k = 0; k < NB * NQ * 2; k += 64)
                __builtin_prefetch((const char *)vb[i] + k);
    }
    int16_t ring[NB][NB * NQ] __attribute__((aligned(64)));
    s_scores_t sbuf[3]; /* this token's scores, the previous token's, the reopened path's */
    size_t a = 0;
    for (size_t s = 0; s < nsent; s++) {
        size_t b = sent_end[s];
        if (b <= a) {
            a = b;
            continue;
        }
        int head = s_headline(tc, a, b);
        s_sent_rows(m, tc, rw, hs, a, b);
        /* blocks of positions i-2 .. i+2 in w[0..5); a computed block is
           kept in ring[position mod 5] */
        const int16_t *w[NB];
        for (long j = (long)a - 2; j <= (long)a + 2; j++) {
            const int16_t **bp = &w[j - ((long)a - 2)];
            if (j < (long)a)
                *bp = m->pad_before;
            else if (j >= (long)b)
                *bp = m->pad_after;
            else
                *bp = s_block_of(m, &toks[j], vb[j], ring[(size_t)j % NB]);
        }
        int p1 = NC, p2 = NC;
        int cur = 0;
        const int32_t *prev = NULL; /* read only after the first token */
        for (size_t i = a; i < b; i++) {
            s_v16si sc = {{0}, {0}};
            s_add16(&sc, w[0]);
            s_add16(&sc, w[1] + NQ);
            s_add16(&sc, w[2] + 2 * NQ);
            s_add16(&sc, w[3] + 3 * NQ);
            s_add16(&sc, w[4] + 4 * NQ);
            if (vmul != 1) {
                sc.lo *= vmul;
                sc.hi *= vmul;
            }
            const int first = s_first(tc, i, a); /* once: the stores below may alias tc */
            s_add_static(m, tc, i, a, b, head, first, hs + 6 * i, &sc);
            s_dslot_t *ds = s_dmap_find(&doc, tc[i].wi.raw); /* where it goes too: no insert before */
            int dt = ds->key ? ds->val : 0;
            s_v16si base = sc; /* what does not depend on the tags */
            s_add_tag(m, tc, i, first, p1, p2, dt, hs + 6 * i, rw[i], &sc);
            const int32_t *scs = s_scores(&sbuf[cur], &sc);
            int rep;
            int y = s_decide_int32_t(scs, p1, i + 1 == b, &rep);
            if (rep)
                p1 = labels[i - 1] = s_close(labels[i - 1]);
            /* An entity closed at the previous token (L or U) reopens (I or
               B) when that path scores higher over the two tokens: the
               greedy choice of L over I cannot see that this token goes on
               with the name ("Kim Jong" + "Un"). */
            int q1 = i > a ? s_reopen(p1) : 0;
            if (q1) {
                s_add_tag(m, tc, i, first, q1, p2, dt, hs + 6 * i, rw[i], &base);
                const int32_t *sc2s = s_scores(&sbuf[2], &base);
                int y2 = s_cont_int32_t(sc2s, q1, i + 1 == b);
                if ((int64_t)prev[q1] + sc2s[y2] > (int64_t)prev[p1] + scs[y]) {
                    p1 = labels[i - 1] = (uint8_t)q1;
                    y = y2;
                    sbuf[cur] = sbuf[2];
                }
            }
            prev = sbuf[cur].v + 15;
            cur ^= 1;
            labels[i] = (uint8_t)y;
            s_dmap_set(&doc, ds, tc[i].wi.raw, (uint8_t)s_doctype(y));
            p2 = p1;
            p1 = y;
            /* slide: position i+3 comes in, i-2 goes */
            size_t j = i + 3;
            w[0] = w[1];
            w[1] = w[2];
            w[2] = w[3];
            w[3] = w[4];
            w[4] = j >= b ? m->pad_after : s_block_of(m, &toks[j], vb[j], ring[j % NB]);
        }
        a = b;
    }
    for (size_t i = a; i < n; i++)
        labels[i] = 0;
    *dm = doc;
    return 0;
}

static int s_tag_alone(const tlx_ner_t *m, const tlx_gaz_t *gaz, const uint8_t *gazlab,
                       const tlx_ner_tok_t *toks, size_t n, const uint32_t *sent_end, size_t nsent,
                       uint8_t *labels);

int tlx_ner_tag_with(const tlx_ner_t *m, tlx_ner_scratch_t *scr, const tlx_gaz_t *gaz,
                     const tlx_ner_tok_t *toks, size_t n, const uint32_t *sent_end, size_t nsent,
                     uint8_t *labels)
{
    return tlx_ner_tag_gazlab(m, scr, gaz, NULL, toks, n, sent_end, nsent, labels);
}

int tlx_ner_tag_gazlab(const tlx_ner_t *m, tlx_ner_scratch_t *scr, const tlx_gaz_t *gaz,
                       const uint8_t *gazlab, const tlx_ner_tok_t *toks, size_t n, const uint32_t *sent_end,
                       size_t nsent, uint8_t *labels)
{
    if (!scr)
        return s_tag_alone(m, gaz, gazlab, toks, n, sent_end, nsent, labels);
    if (n == 0)
        return 0;
    uint32_t one_end = (uint32_t)n;
    if (!sent_end) {
        sent_end = &one_end;
        nsent = 1;
    }
    for (size_t s = 0; s < nsent; s++)
        if (sent_end[s] > n || (s && sent_end[s] < sent_end[s - 1]))
            return TLX_EINVAL;
    /* Whole sentences go in chunks of at most S_CHUNK tokens (longer
       sentences are cut), so memory stays bounded on any input; the
       document map carries over between chunks. */
    s_dmap_t doc;
    size_t nl_max = (nsent < S_CHUNK ? nsent : S_CHUNK) + 1;
    if (s_grow((void **)&scr->lend, &scr->caplend, nl_max, sizeof(uint32_t)) ||
        s_dmap_reuse(&doc, n, S_MAXDOC, &scr->docs, &scr->capdocs))
        return TLX_ENOMEM;
    uint32_t *lend = scr->lend;
    s_scratch_begin(scr, m);
    int rc = 0;
    size_t c0 = 0, s = 0;
    int mid = 0; /* the chunk starts inside a sentence (the one before was cut) */
    while (c0 < n && rc == 0) {
        size_t nl = 0, c1 = c0;
        int cut = 0; /* the chunk ends inside a sentence, or after the last one */
        while (s < nsent && nl < S_CHUNK) {
            size_t e = sent_end[s];
            if (e <= c1) {
                s++;
                continue;
            }
            if (e - c0 > S_CHUNK) {
                if (nl == 0) { /* one huge sentence: cut it */
                    c1 = c0 + S_CHUNK;
                    lend[nl++] = (uint32_t)(c1 - c0);
                    cut = 1;
                }
                break;
            }
            c1 = e;
            lend[nl++] = (uint32_t)(c1 - c0);
            s++;
        }
        if (nl == 0) { /* tokens after the last sentence end */
            c1 = n - c0 > S_CHUNK ? c0 + S_CHUNK : n;
            lend[nl++] = (uint32_t)(c1 - c0);
            cut = 1;
        }
        /* the caller's gazetteer labels hold for chunks of whole sentences;
           the parts of a cut sentence are matched as the chunks have them */
        const uint8_t *gl = gazlab && !cut && !mid ? gazlab + c0 : NULL;
        mid = cut;
        rc = tlx_deadline_due("ner", TLX_DEADLINE_EVERY)
                 ? TLX_EAGAIN
                 : s_tag_chunk(m, scr, gaz, gl, toks + c0, c1 - c0, lend, nl, labels + c0, &doc);
        c0 = c1;
    }
    s_dmap_release(&scr->docs, &scr->capdocs);
    s_dmap_release(&scr->lows, &scr->caplows);
    return rc;
}

/* Tagging with a cache for this document only, sized to it. */
static int s_tag_alone(const tlx_ner_t *m, const tlx_gaz_t *gaz, const uint8_t *gazlab,
                       const tlx_ner_tok_t *toks, size_t n, const uint32_t *sent_end, size_t nsent,
                       uint8_t *labels)
{
    if (n == 0)
        return 0;
    size_t me = n < S_CACHE_MAX ? n : S_CACHE_MAX;
    tlx_ner_scratch_t *scr = s_scratch_new(me, me < S_POOL_MAX ? me : S_POOL_MAX);
    if (!scr)
        return TLX_ENOMEM;
    int rc = tlx_ner_tag_gazlab(m, scr, gaz, gazlab, toks, n, sent_end, nsent, labels);
    tlx_ner_scratch_destroy(&scr);
    return rc;
}

int tlx_ner_tag(const tlx_ner_t *m, const tlx_gaz_t *gaz, const tlx_ner_tok_t *toks, size_t n,
                const uint32_t *sent_end, size_t nsent, uint8_t *labels)
{
    return s_tag_alone(m, gaz, NULL, toks, n, sent_end, nsent, labels);
}

int tlx_ner_word_clusters(const tlx_ner_t *m, const char *s, size_t len, uint32_t out[3])
{
    if (!m || !m->clu.slots || !s || len == 0)
        return 0;
    uint32_t v = s_clu_find(&m->clu, s_lowhash(s, len));
    if (!v)
        return 0;
    for (int g = 0; g < CLU_NG; g++)
        out[g] = s_clu_class(v, g);
    return 1;
}

unsigned tlx_ner_lex_classes(const tlx_ner_t *m, const tlx_ner_tok_t *toks, size_t n)
{
    if (!m || !m->lex.slots || n == 0 || n > LEX_MAXTOK)
        return 0;
    uint64_t h = LEX_H0, v = 0;
    for (size_t k = 0; k < n; k++) {
        h = s_lex_step(h, s_lowhash(toks[k].s, toks[k].len));
        v = s_lex_find(&m->lex, h);
        if (v == 0 || (k + 1 < n && !(v & 128)))
            return 0;
    }
    return (unsigned)(v & 127);
}

const char *tlx_ner_label_iob2(uint8_t label)
{
    static const char *const names[NC] = {"O",     "B-PER",  "I-PER",  "I-PER",  "B-PER", "B-LOC",
                                          "I-LOC", "I-LOC",  "B-LOC",  "B-ORG",  "I-ORG", "I-ORG",
                                          "B-ORG", "B-MISC", "I-MISC", "I-MISC", "B-MISC"};
    return label < NC ? names[label] : "O";
}

/* ---- model file ---------------------------------------------------------- */

static void s_init_pads(tlx_ner_t *m)
{
    s_winfo_t wi;
    s_pad_info(0, &wi);
    s_block(m, &wi, m->pad_before);
    s_pad_info(1, &wi);
    s_block(m, &wi, m->pad_after);
}

/* Whether a section of n bytes at off lies in a file of len bytes, on a
   64-byte boundary.  Compared without adding off and n: a damaged header's
   offset near 2^64 would wrap the sum below len and point before the file. */
static int s_section(uint64_t off, uint64_t n, uint64_t len)
{
    return off % 64 == 0 && off <= len && n <= len - off;
}

static int s_bind(tlx_ner_t *m, const unsigned char *base, size_t len)
{
    static _Atomic uint64_t loads;
    m->gen = atomic_fetch_add(&loads, 1) + 1;
    if (len < sizeof(s_hdr_t))
        return TLX_EMALFORMED;
    s_hdr_t h;
    memcpy(&h, base, sizeof h);
    if (memcmp(h.magic, MAGIC, 8) != 0 || h.version != FEAT_VERSION || h.nclass != NC || h.ndense != ND ||
        h.bits < 8 || h.bits > 26 || h.total != len || (h.vcap & (h.vcap - 1)) || h.vcap < h.nvocab)
        return TLX_EMALFORMED;
    uint64_t nbk = 1ull << h.bits;
    if (!s_section(h.off_w, nbk * NQ * 2, len) || !s_section(h.off_d, (uint64_t)ND * NQ * 2, len) ||
        !s_section(h.off_vs, (uint64_t)h.vcap * sizeof(s_vslot_t), len) ||
        !s_section(h.off_vv, (uint64_t)h.nvocab * NB * NQ * 2, len) || (h.lcap & (h.lcap - 1)) ||
        h.lcap > (1u << 24) || (h.off_lex | h.off_clu) % 64 || h.vshift > 15 ||
        (h.lcap && !s_section(h.off_lex, (uint64_t)h.lcap * 8, len)) || (h.ccap & (h.ccap - 1)) ||
        h.ccap > (1u << 24) || (h.ccap && !s_section(h.off_clu, (uint64_t)h.ccap * 8, len)))
        return TLX_EMALFORMED;
    m->mask = (uint32_t)(nbk - 1);
    m->w = (const int16_t *)(base + h.off_w);
    m->d = (const int16_t *)(base + h.off_d);
    m->vs = h.vcap ? (const s_vslot_t *)(base + h.off_vs) : NULL;
    m->vmask = h.vcap ? h.vcap - 1 : 0;
    m->vv = (const int16_t *)(base + h.off_vv);
    m->lex.slots = h.lcap ? (const uint64_t *)(base + h.off_lex) : NULL;
    m->lex.mask = h.lcap ? h.lcap - 1 : 0;
    m->vshift = h.vshift;
    m->clu.slots = h.ccap ? (const uint64_t *)(base + h.off_clu) : NULL;
    m->clu.mask = h.ccap ? h.ccap - 1 : 0;
    for (uint32_t i = 0; i < h.ccap; i++)
        if (m->clu.slots[i] == 0)
            break;
        else if (i + 1 == h.ccap)
            return TLX_EMALFORMED;
    for (uint32_t i = 0; i < h.lcap; i++)
        if (m->lex.slots[i] == 0)
            break;
        else if (i + 1 == h.lcap)
            return TLX_EMALFORMED; /* a full table: lookups would never end */
    for (uint32_t i = 0; i < h.vcap; i++)
        if (m->vs[i].hash && m->vs[i].idx >= h.nvocab)
            return TLX_EMALFORMED;
    s_init_pads(m);
    static const uint32_t zrows[6] = {D_GAZ0, D_GAZM, D_GAZP, D_LEX0, D_LEXM, D_LEXP};
    memset(m->dz, 0, sizeof m->dz);
    for (int fl = 0; fl < 6; fl++) /* first x 3 + sighting */
        for (int head = 0; head < 2; head++) {
            int32_t *z = m->dz[fl * 2 + head];
            for (int c = 0; c < NQ; c++) {
                z[c] =
                    m->d[(size_t)(D_LOW + fl) * NQ + c] + m->d[(size_t)(D_CAPS + head * 2 + fl / 3) * NQ + c];
                for (int k = 0; k < 6; k++)
                    z[c] += m->d[(size_t)zrows[k] * NQ + c];
            }
        }
    return 0;
}

tlx_ner_t *tlx_ner_load(const char *path, int *err)
{
    int e = TLX_EIO;
    tlx_ner_t *m = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size <= 0)
        goto fail;
    m = TLX_NER_CALLOC(1, sizeof(*m));
    if (!m) {
        e = TLX_ENOMEM;
        goto fail;
    }
    m->maplen = (size_t)st.st_size;
    m->map = mmap(NULL, m->maplen, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd,
                  0); /* prefault: one pass instead of scattered faults */
    if (m->map == MAP_FAILED) {
        m->map = NULL;
        goto fail;
    }
    if ((e = s_bind(m, m->map, m->maplen)))
        goto fail;
    close(fd);
    if (err)
        *err = 0;
    return m;
fail:
    if (fd >= 0)
        close(fd);
    tlx_ner_destroy(&m);
    if (err)
        *err = e;
    return NULL;
}

void tlx_ner_destroy(tlx_ner_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    tlx_ner_t *m = *self_p;
    if (m->map && !m->malloced)
        munmap(m->map, m->maplen);
    else
        free(m->map);
    free(m);
    *self_p = NULL;
}

size_t tlx_ner_memory(const tlx_ner_t *self)
{
    return self ? self->maplen + sizeof(*self) : 0;
}

/* ---- CoNLL corpus -------------------------------------------------------- */

static int s_push(void **arr, size_t *cap, size_t n, size_t elsz)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 1024;
    void *p = TLX_NER_REALLOC(*arr, nc * elsz);
    if (!p)
        return TLX_ENOMEM;
    *arr = p;
    *cap = nc;
    return 0;
}

/* Converts per-token (type, begin) tag info to BILOU. type -1 = O. */
static void s_to_bilou(const int8_t *ty, const uint8_t *beg, size_t n, uint8_t *out)
{
    for (size_t i = 0; i < n; i++) {
        if (ty[i] < 0) {
            out[i] = 0;
            continue;
        }
        int start = i == 0 || ty[i - 1] != ty[i] || beg[i];
        int end = i + 1 == n || ty[i + 1] != ty[i] || beg[i + 1];
        int pos = start && end ? 3 : start ? 0 : end ? 2 : 1;
        out[i] = (uint8_t)(1 + 4 * ty[i] + pos);
    }
}

int tlx_ner_corpus_read(const char *path, tlx_ner_corpus_t *c)
{
    memset(c, 0, sizeof(*c));
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f)
        return TLX_EIO;
    size_t capb = 0, caps = 0, capd = 0, nbuf = 0;
    size_t *offs = NULL;
    int8_t *ty = NULL;
    uint8_t *beg = NULL;
    size_t capo = 0, capty = 0, capbeg = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t ll;
    int rc = TLX_ENOMEM;
    size_t sent_start = 0, doc_sent_start = 0;
    for (;;) {
        ll = getline(&line, &lcap, f);
        int eof = ll < 0;
        size_t len = eof ? 0 : (size_t)ll;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        int docstart = !eof && len >= 10 && memcmp(line, "-DOCSTART-", 10) == 0;
        if (eof || len == 0 || docstart) {
            if (c->ntok > sent_start) {
                if (s_push((void **)&c->sent_end, &caps, c->nsent, sizeof(uint32_t)))
                    goto out;
                c->sent_end[c->nsent++] = (uint32_t)c->ntok;
                sent_start = c->ntok;
            }
            if ((docstart || eof) && c->nsent > doc_sent_start) {
                if (s_push((void **)&c->doc_end, &capd, c->ndoc, sizeof(uint32_t)))
                    goto out;
                c->doc_end[c->ndoc++] = (uint32_t)c->nsent;
                doc_sent_start = c->nsent;
            }
            if (eof)
                break;
            continue;
        }
        size_t tl = 0;
        while (tl < len && line[tl] != ' ' && line[tl] != '\t')
            tl++;
        const char *tag = line + len;
        while (tag > line + tl && tag[-1] != ' ' && tag[-1] != '\t')
            tag--;
        size_t tgl = (size_t)(line + len - tag);
        if (s_push((void **)&offs, &capo, c->ntok, sizeof(size_t)) ||
            s_push((void **)&ty, &capty, c->ntok, 1) || s_push((void **)&beg, &capbeg, c->ntok, 1))
            goto out;
        while (nbuf + tl + 1 > capb) {
            size_t nc = capb ? capb * 2 : 65536;
            char *nb = TLX_NER_REALLOC(c->buf, nc);
            if (!nb)
                goto out;
            c->buf = nb;
            capb = nc;
        }
        memcpy(c->buf + nbuf, line, tl);
        offs[c->ntok] = nbuf;
        nbuf += tl;
        c->buf[nbuf++] = 0;
        int t = -1, b = 0;
        if (tgl > 2 && (tag[0] == 'B' || tag[0] == 'I') && tag[1] == '-') {
            t = tlx_gaz_type_from_name(tag + 2, tgl - 2);
            if (t >= TLX_GAZ_NONE)
                t = -1;
            b = tag[0] == 'B';
        }
        ty[c->ntok] = (int8_t)t;
        beg[c->ntok] = (uint8_t)b;
        c->ntok++;
    }
    c->toks = TLX_NER_MALLOC((c->ntok + 1) * sizeof(*c->toks));
    c->gold = TLX_NER_MALLOC(c->ntok + 1);
    if (!c->toks || !c->gold)
        goto out;
    for (size_t i = 0; i < c->ntok; i++) {
        c->toks[i].s = c->buf + offs[i];
        c->toks[i].len = (uint32_t)strlen(c->buf + offs[i]);
        c->toks[i].off = (uint32_t)offs[i];
    }
    /* BILOU per sentence so entities never cross sentence boundaries */
    size_t a = 0;
    for (size_t s = 0; s < c->nsent; s++) {
        s_to_bilou(ty + a, beg + a, c->sent_end[s] - a, c->gold + a);
        a = c->sent_end[s];
    }
    rc = 0;
out:
    free(line);
    free(offs);
    free(ty);
    free(beg);
    if (f != stdin)
        fclose(f);
    if (rc)
        tlx_ner_corpus_free(c);
    return rc;
}

void tlx_ner_corpus_free(tlx_ner_corpus_t *c)
{
    free(c->buf);
    free(c->toks);
    free(c->gold);
    free(c->sent_end);
    free(c->doc_end);
    memset(c, 0, sizeof(*c));
}

/* ---- scoring ------------------------------------------------------------- */

void tlx_ner_score(const uint8_t *gold, const uint8_t *pred, size_t n, double *p, double *r, double *f1)
{
    size_t ng = 0, np = 0, ok = 0;
    size_t gs = 0, ps = 0;
    for (size_t i = 0; i < n; i++) {
        char gp = tlx_ner_label_pos(gold[i]), pp = tlx_ner_label_pos(pred[i]);
        if (gp == 'B' || gp == 'U')
            gs = i;
        if (pp == 'B' || pp == 'U')
            ps = i;
        int gend = gp == 'L' || gp == 'U', pend = pp == 'L' || pp == 'U';
        ng += gend;
        np += pend;
        if (gend && pend && gs == ps && gold[i] == pred[i] && gold[gs] == pred[ps])
            ok++;
    }
    *p = np ? 100.0 * ok / np : 0;
    *r = ng ? 100.0 * ok / ng : 0;
    *f1 = *p + *r > 0 ? 2 * *p * *r / (*p + *r) : 0;
}

/* ---- training ------------------------------------------------------------ */

typedef struct {
    uint32_t nb, mask;
    float *w, *d;    /* current weights */
    double *uw, *ud; /* sum of t * update, for averaging */
    uint64_t t;
} s_trainer_t;

typedef struct {
    s_tctx_t *tc;
    s_winfo_t *wf;   /* full word information */
    uint32_t *feat;  /* static buckets, hashed (word window + ctx) */
    uint32_t *foff;  /* ntok+1 offsets into feat */
    uint32_t *dfeat; /* static dense rows, NDS per token */
} s_prep_t;

static int s_prepare(const tlx_ner_corpus_t *c, const tlx_gaz_t *gaz, const s_lex_t *lex, const s_clu_t *clu,
                     uint32_t mask, s_prep_t *pp)
{
    memset(pp, 0, sizeof(*pp));
    size_t n = c->ntok;
    pp->tc = TLX_NER_MALLOC((n + 1) * sizeof(s_tctx_t));
    pp->wf = TLX_NER_MALLOC((n + 1) * sizeof(s_winfo_t));
    pp->foff = TLX_NER_MALLOC((n + 1) * sizeof(uint32_t));
    pp->dfeat = TLX_NER_MALLOC((n + 1) * NDS * sizeof(uint32_t));
    pp->feat = TLX_NER_MALLOC((n + 1) * (NB * MAXWF + 4) * sizeof(uint32_t));
    if (!pp->tc || !pp->wf || !pp->foff || !pp->dfeat || !pp->feat)
        return TLX_ENOMEM;
    size_t s0 = 0;
    for (size_t di = 0; di < c->ndoc; di++) {
        size_t s1 = c->doc_end[di];
        size_t t0 = s0 ? c->sent_end[s0 - 1] : 0, t1 = c->sent_end[s1 - 1];
        uint32_t *ends = TLX_NER_MALLOC((s1 - s0) * sizeof(uint32_t));
        if (!ends)
            return TLX_ENOMEM;
        for (size_t s = s0; s < s1; s++)
            ends[s - s0] = (uint32_t)(c->sent_end[s] - t0);
        int rc = s_doc_prep(gaz, lex, c->toks + t0, t1 - t0, ends, s1 - s0, pp->tc + t0, pp->wf + t0);
        free(ends);
        if (rc)
            return rc;
        s0 = s1;
    }
    for (size_t i = 0; i < n; i++)
        pp->wf[i].clu = s_clu_find(clu, pp->wf[i].low);
    s_winfo_t padb, pada;
    s_pad_info(0, &padb);
    s_pad_info(1, &pada);
    size_t nf = 0, a = 0;
    for (size_t s = 0; s < c->nsent; s++) {
        size_t b = c->sent_end[s];
        int head = s_headline(pp->tc, a, b);
        for (size_t i = a; i < b; i++) {
            pp->foff[i] = (uint32_t)nf;
            for (int d = -2; d <= 2; d++) {
                long j = (long)i + d;
                const s_winfo_t *wi = j < (long)a ? &padb : j >= (long)b ? &pada : &pp->wf[j];
                nf += s_word_feats(wi, d, mask, pp->feat + nf);
            }
            nf += s_ctx_feats(pp->tc, i, a, b, mask, pp->feat + nf);
            s_dense_static(pp->tc, i, a, b, head, pp->dfeat + i * NDS);
        }
        a = b;
    }
    pp->foff[n] = (uint32_t)nf;
    return 0;
}

static void s_prep_free(s_prep_t *pp)
{
    free(pp->tc);
    free(pp->wf);
    free(pp->feat);
    free(pp->foff);
    free(pp->dfeat);
}

static inline void s_addf(float *sc, const float *row)
{
    for (int c = 0; c < NC; c++)
        sc[c] += row[c];
}

/* Greedy-tags one document with float weights w/d; updates when `upd`. */
static void s_run_doc(s_trainer_t *tr, const float *w, const float *d, const tlx_ner_corpus_t *c,
                      const s_prep_t *pp, size_t s0, size_t s1, uint8_t *pred, int upd, s_dmap_t *doc)
{
    size_t t0 = s0 ? c->sent_end[s0 - 1] : 0, t1 = c->sent_end[s1 - 1];
    memset(doc->slots, 0, (doc->mask + 1) * sizeof(s_dslot_t));
    doc->used = 0;
    (void)t1;
    size_t a = t0;
    for (size_t s = s0; s < s1; s++) {
        size_t b = c->sent_end[s];
        int p1 = NC, p2 = NC;
        float prev[NC] = {0};
        for (size_t i = a; i < b; i++) {
            float sc[NC] = {0};
            const uint32_t *f = pp->feat + pp->foff[i];
            size_t nf = pp->foff[i + 1] - pp->foff[i];
            uint32_t hb[2], db[NDS + NDT];
            memcpy(db, pp->dfeat + i * NDS, NDS * sizeof(uint32_t));
            s_dslot_t *ds = s_dmap_find(doc, pp->tc[i].wi.raw);
            int dt = ds->key ? ds->val : 0;
            for (size_t k = 0; k < nf; k++)
                s_addf(sc, w + (size_t)f[k] * NC);
            for (size_t k = 0; k < NDS; k++)
                s_addf(sc, d + (size_t)db[k] * NC);
            float base[NC];
            memcpy(base, sc, sizeof base);
            s_tag_feats(pp->tc, i, s_first(pp->tc, i, a), p1, p2, dt, tr->mask, hb, db + NDS);
            for (size_t k = 0; k < 2; k++)
                s_addf(sc, w + (size_t)hb[k] * NC);
            for (size_t k = NDS; k < NDS + NDT; k++)
                s_addf(sc, d + (size_t)db[k] * NC);
            /* scores relative to O's, as the stored model has them */
            for (int k = NC - 1; k >= 0; k--)
                sc[k] -= sc[0];
            int rep;
            int best = s_decide_s_float(sc, p1, i + 1 == b, &rep);
            if (rep)
                p1 = pred[i - 1] = s_close(pred[i - 1]);
            /* reopening an entity closed at i-1: as when tagging */
            int q1 = i > a ? s_reopen(p1) : 0;
            if (q1) {
                float sc2[NC];
                uint32_t hb2[2], db2[NDT];
                memcpy(sc2, base, sizeof sc2);
                s_tag_feats(pp->tc, i, s_first(pp->tc, i, a), q1, p2, dt, tr->mask, hb2, db2);
                for (size_t k = 0; k < 2; k++)
                    s_addf(sc2, w + (size_t)hb2[k] * NC);
                for (size_t k = 0; k < NDT; k++)
                    s_addf(sc2, d + (size_t)db2[k] * NC);
                for (int k = NC - 1; k >= 0; k--)
                    sc2[k] -= sc2[0];
                int y2 = s_cont_s_float(sc2, q1, i + 1 == b);
                if (prev[q1] + sc2[y2] > prev[p1] + sc[best]) {
                    p1 = pred[i - 1] = (uint8_t)q1;
                    best = y2;
                    memcpy(sc, sc2, sizeof sc);
                    memcpy(hb, hb2, sizeof hb);
                    memcpy(db + NDS, db2, sizeof db2);
                }
            }
            memcpy(prev, sc, sizeof prev);
            if (upd) {
                tr->t++;
                int g = c->gold[i];
                if (g != best) {
                    double tt = (double)tr->t;
                    for (size_t k = 0; k < nf + 2; k++) {
                        size_t r = (size_t)(k < nf ? f[k] : hb[k - nf]) * NC;
                        tr->w[r + g] += 1;
                        tr->uw[r + g] += tt;
                        tr->w[r + best] -= 1;
                        tr->uw[r + best] -= tt;
                    }
                    for (size_t k = 0; k < NDS + NDT; k++) {
                        size_t r = (size_t)db[k] * NC;
                        tr->d[r + g] += 1;
                        tr->ud[r + g] += tt;
                        tr->d[r + best] -= 1;
                        tr->ud[r + best] -= tt;
                    }
                }
            }
            pred[i] = (uint8_t)best;
            s_dmap_put(doc, pp->tc[i].wi.raw, (uint8_t)s_doctype(best));
            p2 = p1;
            p1 = best;
        }
        a = b;
    }
}

static size_t s_max_doc(const tlx_ner_corpus_t *c)
{
    size_t mx = 1, s0 = 0;
    for (size_t di = 0; di < c->ndoc; di++) {
        size_t s1 = c->doc_end[di];
        size_t t0 = s0 ? c->sent_end[s0 - 1] : 0, t1 = c->sent_end[s1 - 1];
        if (t1 - t0 > mx)
            mx = t1 - t0;
        s0 = s1;
    }
    return mx;
}

static double s_eval(s_trainer_t *tr, const float *w, const float *d, const tlx_ner_corpus_t *c,
                     const s_prep_t *pp, uint8_t *pred, s_dmap_t *doc)
{
    size_t s0 = 0;
    for (size_t di = 0; di < c->ndoc; di++) {
        s_run_doc(tr, w, d, c, pp, s0, c->doc_end[di], pred, 0, doc);
        s0 = c->doc_end[di];
    }
    double p, r, f;
    tlx_ner_score(c->gold, pred, c->ntok, &p, &r, &f);
    return f;
}

static void s_average(const s_trainer_t *tr, float *aw, float *ad)
{
    double t = (double)(tr->t ? tr->t : 1);
    for (size_t i = 0; i < (size_t)tr->nb * NC; i++)
        aw[i] = (float)(tr->w[i] - tr->uw[i] / t);
    for (size_t i = 0; i < (size_t)ND * NC; i++)
        ad[i] = (float)(tr->d[i] - tr->ud[i] / t);
}

static uint64_t s_rng(uint64_t *s)
{
    uint64_t x = *s += 0x9e3779b97f4a7c15ull;
    return s_mix(x);
}

/* The pre-summed vectors of the nv training words toks[first[k]] into vv:
   computed at full width, stored >> the shift (*vshift) that fits the
   largest in int16 (0 for a real model).  0 or TLX_ENOMEM. */
static int s_vocab_vectors(FILE *log, const tlx_ner_t *m, const tlx_ner_corpus_t *train,
                           const uint32_t *first, size_t nv, int16_t *vv, uint32_t *vshift)
{
    int32_t *vv32 = TLX_NER_MALLOC((nv + 1) * NB * NQ * sizeof(int32_t));
    if (!vv32)
        return TLX_ENOMEM;
    int64_t vmax = 0;
    for (size_t k = 0; k < nv; k++) {
        const tlx_ner_tok_t *t = &train->toks[first[k]];
        s_winfo_t wi;
        s_winfo(t->s, t->len, &wi, 1);
        wi.clu = s_clu_find(&m->clu, wi.low);
        s_block32(m, &wi, vv32 + k * NB * NQ);
        for (size_t z = k * NB * NQ; z < (k + 1) * NB * NQ; z++)
            vmax = vv32[z] > vmax ? vv32[z] : -(int64_t)vv32[z] > vmax ? -(int64_t)vv32[z] : vmax;
    }
    *vshift = 0;
    while ((vmax >> *vshift) > INT16_MAX)
        (*vshift)++;
    for (size_t z = 0; z < nv * NB * NQ; z++)
        vv[z] = (int16_t)(vv32[z] >> *vshift);
    if (log && *vshift)
        fprintf(log, "vocabulary vectors stored >> %u (largest sum %lld)\n", *vshift, (long long)vmax);
    free(vv32);
    return 0;
}

/* The vocabulary's open-addressing table (vcap slots, a power of two over
   2 nv): word identity hash -> index of its vectors. */
static void s_vocab_slots(const tlx_ner_corpus_t *train, const uint32_t *first, size_t nv, s_vslot_t *vs,
                          uint32_t vcap)
{
    for (size_t k = 0; k < nv; k++) {
        const tlx_ner_tok_t *t = &train->toks[first[k]];
        uint64_t key = s_idhash(t->s, t->len);
        key = key ? key : 1;
        uint32_t i = (uint32_t)(key >> 20) & (vcap - 1);
        while (vs[i].hash)
            i = (i + 1) & (vcap - 1);
        vs[i].hash = key;
        vs[i].idx = (uint32_t)k;
    }
}

static int s_write_model(FILE *log, const char *path, const float *aw, const float *ad, uint32_t bits,
                         const tlx_ner_corpus_t *train, uint32_t min_count, const s_lex_t *lex,
                         const s_clu_t *clu)
{
    size_t nbk = (size_t)1 << bits;
    /* argmax is unchanged when O's weights are subtracted from every class:
       O then scores 0 and 16 classes fill one vector */
    float mx = 1e-6f;
    for (size_t i = 0; i < nbk * NC; i++)
        mx = fmaxf(mx, fabsf(aw[i] - aw[i - i % NC]));
    for (size_t i = 0; i < (size_t)ND * NC; i++)
        mx = fmaxf(mx, fabsf(ad[i] - ad[i - i % NC]));
    float scale = 32000.0f / mx;
    int rc = TLX_ENOMEM;
    int16_t *qw = TLX_NER_MALLOC(nbk * NQ * 2), *qd = TLX_NER_MALLOC((size_t)ND * NQ * 2);
    s_dmap_t cnt = {0};
    uint32_t *first = NULL;
    s_vslot_t *vs = NULL;
    int16_t *vv = NULL;
    FILE *f = NULL;
    if (!qw || !qd || s_dmap_init(&cnt, train->ntok, SIZE_MAX))
        goto out;
    for (size_t r = 0; r < nbk; r++)
        for (int c = 1; c < NC; c++)
            qw[r * NQ + (size_t)c - 1] = (int16_t)lrintf((aw[r * NC + (size_t)c] - aw[r * NC]) * scale);
    for (size_t r = 0; r < (size_t)ND; r++)
        for (int c = 1; c < NC; c++)
            qd[r * NQ + (size_t)c - 1] = (int16_t)lrintf((ad[r * NC + (size_t)c] - ad[r * NC]) * scale);
    /* vocabulary: training words seen >= min_count times (count saturates) */
    first = TLX_NER_MALLOC(train->ntok * sizeof(uint32_t) + 4);
    if (!first)
        goto out;
    size_t nv = 0;
    for (size_t i = 0; i < train->ntok; i++) {
        uint64_t raw = s_idhash(train->toks[i].s, train->toks[i].len);
        s_dslot_t *s = s_dmap_find(&cnt, raw);
        if (!s->key)
            s = s_dmap_put(&cnt, raw, 0); /* sized for every token: never NULL */
        if (s->val < 255)
            s->val++;
        if (s->val == (min_count ? min_count : 1))
            first[nv++] = (uint32_t)i;
    }
    uint32_t vcap = 16;
    while (vcap < nv * 2)
        vcap *= 2;
    vs = TLX_NER_CALLOC(vcap, sizeof(*vs));
    vv = TLX_NER_MALLOC((nv + 1) * NB * NQ * sizeof(int16_t));
    if (!vs || !vv)
        goto out;
    tlx_ner_t m = {0};
    m.mask = (uint32_t)(nbk - 1);
    m.w = qw;
    m.d = qd;
    m.clu = *clu;
    uint32_t vshift = 0;
    if (s_vocab_vectors(log, &m, train, first, nv, vv, &vshift))
        goto out;
    s_vocab_slots(train, first, nv, vs, vcap);
    s_hdr_t h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, MAGIC, 8);
    h.version = FEAT_VERSION;
    h.nclass = NC;
    h.bits = bits;
    h.ndense = ND;
    h.scale = scale;
    h.nvocab = (uint32_t)nv;
    h.vcap = vcap;
    h.vshift = vshift;
    /* 64-byte aligned sections: a weight row never straddles cache lines */
    h.off_w = 128;
    h.off_d = h.off_w + nbk * NQ * 2;
    h.off_vs = (h.off_d + (uint64_t)ND * NQ * 2 + 63) & ~63ull;
    h.off_vv = h.off_vs + (uint64_t)vcap * sizeof(s_vslot_t);
    h.total = h.off_vv + (uint64_t)nv * NB * NQ * 2;
    h.lcap = lex->slots ? lex->mask + 1 : 0;
    h.off_lex = (h.total + 63) & ~63ull;
    size_t pad2 = h.off_lex - h.total;
    if (h.lcap)
        h.total = h.off_lex + (uint64_t)h.lcap * 8;
    h.ccap = clu->slots ? clu->mask + 1 : 0;
    h.off_clu = (h.total + 63) & ~63ull;
    size_t pad3 = h.off_clu - h.total;
    if (h.ccap)
        h.total = h.off_clu + (uint64_t)h.ccap * 8;
    rc = TLX_EIO;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    f = fopen(tmp, "wb");
    if (!f)
        goto out;
    static const char zeros[128];
    size_t pad1 = h.off_vs - h.off_d - (size_t)ND * NQ * 2;
    int ok = fwrite(&h, sizeof h, 1, f) == 1 && fwrite(zeros, 1, 128 - sizeof h, f) == 128 - sizeof h &&
             fwrite(qw, 2, nbk * NQ, f) == nbk * NQ && fwrite(qd, 2, (size_t)ND * NQ, f) == (size_t)ND * NQ &&
             fwrite(zeros, 1, pad1, f) == pad1 && fwrite(vs, sizeof(*vs), vcap, f) == vcap &&
             fwrite(vv, NB * NQ * 2, nv, f) == nv &&
             (!h.lcap || (fwrite(zeros, 1, pad2, f) == pad2 && fwrite(lex->slots, 8, h.lcap, f) == h.lcap)) &&
             (!h.ccap || (fwrite(zeros, 1, pad3, f) == pad3 && fwrite(clu->slots, 8, h.ccap, f) == h.ccap));
    if (fclose(f) != 0)
        ok = 0;
    f = NULL;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        goto out;
    }
    rc = 0;
out:
    free(qw);
    free(qd);
    free(cnt.slots);
    free(first);
    free(vs);
    free(vv);
    return rc;
}

/* The zeroed slots of a lexicon or cluster table of at least `need`
   slots: a power of two from 64 up to 2^24; TLX_EINVAL when `need` is
   larger, TLX_ENOMEM. */
static int s_slots_new(uint64_t need, uint64_t **sl, uint32_t *cap)
{
    uint32_t c = 64;
    while (c < need && c < (1u << 24))
        c *= 2;
    if (need > c)
        return TLX_EINVAL;
    if (!(*sl = TLX_NER_CALLOC(c, sizeof(uint64_t))))
        return TLX_ENOMEM;
    *cap = c;
    return 0;
}

static void s_lex_put(uint64_t *sl, uint32_t mask, uint64_t h, unsigned flags)
{
    uint64_t key = s_lex_key(h);
    for (uint32_t i = (uint32_t)(h >> 40) & mask;; i = (i + 1) & mask) {
        if (sl[i] == 0 || (sl[i] & ~0xffull) == key) {
            sl[i] |= key | flags;
            return;
        }
    }
}

/* One name of class cls: pass 0 counts its tokens into *ntok, pass 1 puts
   its prefixes and itself into the table. */
static void s_lex_name(const char *name, size_t nl, int cls, int pass, size_t *ntok, uint64_t *sl,
                       uint32_t cap)
{
    tlx_ner_tok_t toks[LEX_MAXTOK + 1];
    size_t nt = tlx_ner_tok_split(name, nl, toks, LEX_MAXTOK + 1);
    if (nt == 0 || nt > LEX_MAXTOK)
        return;
    if (pass == 0) {
        *ntok += nt;
        return;
    }
    uint64_t h = LEX_H0;
    for (size_t k = 0; k < nt; k++) {
        h = s_lex_step(h, s_lowhash(toks[k].s, toks[k].len));
        s_lex_put(sl, cap - 1, h, k + 1 < nt ? 128u : 1u << cls);
    }
}

/* Reads name lists into a table at most half full: lexicon files
   (CLASS<TAB>name lines) and gazetteer files (TYPE<TAB>canonical<TAB>variant
   | variant ... lines: every variant is a name).  Unknown classes, comments
   and names of more than LEX_MAXTOK tokens are skipped. */
static int s_lex_build(const char *const *paths, size_t npaths, s_lex_t *out)
{
    int rc = TLX_ENOMEM;
    char *line = NULL;
    size_t lcap = 0, ntok = 0;
    uint64_t *sl = NULL;
    uint32_t cap = 0;
    FILE *f = NULL;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1 && (rc = s_slots_new((uint64_t)ntok * 2 + 2, &sl, &cap)) != 0)
            goto out;
        for (size_t fi = 0; fi < npaths; fi++) {
            if (!(f = fopen(paths[fi], "rb"))) {
                rc = TLX_EIO;
                goto out;
            }
            ssize_t ll;
            while ((ll = getline(&line, &lcap, f)) > 0) {
                size_t len = (size_t)ll;
                while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
                    len--;
                char *tab = memchr(line, '\t', len);
                if (!tab || line[0] == '#')
                    continue;
                int cls = -1;
                for (int k = 0; k < NLEXC; k++)
                    if (strlen(s_lex_class[k]) == (size_t)(tab - line) &&
                        memcmp(line, s_lex_class[k], (size_t)(tab - line)) == 0)
                        cls = k;
                if (cls < 0)
                    continue;
                const char *name = tab + 1, *end = line + len;
                const char *tab2 = memchr(name, '\t', (size_t)(end - name));
                s_lex_name(name, (size_t)((tab2 ? tab2 : end) - name), cls, pass, &ntok, sl, cap);
                /* gazetteer variants: "a | b | c" */
                for (const char *v = tab2; v && v < end;) {
                    v++;
                    const char *bar = memchr(v, '|', (size_t)(end - v));
                    const char *ve = bar ? bar : end;
                    s_lex_name(v, (size_t)(ve - v), cls, pass, &ntok, sl, cap);
                    v = bar;
                }
            }
            int bad = ferror(f);
            fclose(f);
            f = NULL;
            if (bad) {
                rc = TLX_EIO;
                goto out;
            }
        }
    }
    out->slots = sl;
    out->mask = cap - 1;
    sl = NULL;
    rc = 0;
out:
    free(line);
    free(sl);
    if (f)
        fclose(f);
    return rc;
}

/* Reads a cluster file (word<TAB>class<TAB>class<TAB>class lines, coarse
   to fine; lines that do not parse or whose classes are out of range are
   skipped; of words read alike, the first wins) into a table at most 70 %
   full. */
static int s_clu_build(const char *path, s_clu_t *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return TLX_EIO;
    int rc = TLX_ENOMEM;
    char *line = NULL;
    size_t lcap = 0, nw = 0;
    uint64_t *sl = NULL;
    uint32_t cap = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            /* at most 70 % full: cap * 7 >= nw * 10 + 10 */
            if ((rc = s_slots_new(((uint64_t)nw * 10 + 10 + 6) / 7, &sl, &cap)) != 0)
                goto out;
            rewind(f);
        }
        ssize_t ll;
        while ((ll = getline(&line, &lcap, f)) > 0) {
            size_t len = (size_t)ll;
            while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
                len--;
            line[len] = 0;
            char *tab = strchr(line, '\t');
            if (!tab || tab == line || line[0] == '#')
                continue;
            uint32_t val = 0, sh = 0;
            char *p = tab;
            int g = 0;
            for (; g < CLU_NG && *p == '\t'; g++) {
                char *e;
                unsigned long c = strtoul(p + 1, &e, 10);
                if (e == p + 1 || c >= (1ul << s_clu_bits[g]))
                    break;
                val |= (uint32_t)c << sh;
                sh += s_clu_bits[g];
                p = e;
            }
            if (g < CLU_NG || *p)
                continue;
            if (pass == 0) {
                nw++;
                continue;
            }
            uint64_t low = s_lowhash(line, (size_t)(tab - line)), key = s_clu_key(low);
            for (uint32_t i = (uint32_t)(low >> 40) & (cap - 1);; i = (i + 1) & (cap - 1)) {
                if ((sl[i] & ~CLU_VAL) == key)
                    break; /* read alike an earlier word */
                if (sl[i] == 0) {
                    sl[i] = key | val;
                    break;
                }
            }
        }
        if (ferror(f)) {
            rc = TLX_EIO;
            goto out;
        }
    }
    out->slots = sl;
    out->mask = cap - 1;
    sl = NULL;
    rc = 0;
out:
    free(line);
    free(sl);
    fclose(f);
    return rc;
}

int tlx_ner_train(const tlx_ner_corpus_t *train, const tlx_ner_corpus_t *dev, const tlx_gaz_t *gaz,
                  const tlx_ner_train_opts_t *opts, const char *out_path, FILE *log)
{
    tlx_ner_train_opts_t o = {1, 12, 18, 1, NULL, NULL, NULL, 0};
    if (opts) {
        o.seed = opts->seed;
        o.lexicon = opts->lexicon;
        o.names = opts->names;
        o.nnames = opts->nnames < 64 ? opts->nnames : 64;
        o.clusters = opts->clusters;
        if (opts->epochs)
            o.epochs = opts->epochs;
        if (opts->bucket_bits >= 8 && opts->bucket_bits <= 24)
            o.bucket_bits = opts->bucket_bits;
        if (opts->min_count)
            o.min_count = opts->min_count;
    }
    if (!train || train->ntok == 0 || train->ndoc == 0)
        return TLX_EINVAL;
    s_trainer_t tr = {0};
    s_prep_t ptr = {0}, pdev = {0};
    s_dmap_t doc = {0};
    s_lex_t lex = {0};
    s_clu_t clu = {0};
    uint8_t *pred = NULL;
    uint32_t *order = NULL;
    float *aw = NULL, *ad = NULL, *bw = NULL, *bd = NULL;
    int rc = TLX_ENOMEM;
    tr.nb = 1u << o.bucket_bits;
    tr.mask = tr.nb - 1;
    size_t nw = (size_t)tr.nb * NC;
    tr.w = TLX_NER_CALLOC(nw, sizeof(float));
    tr.uw = TLX_NER_CALLOC(nw, sizeof(double));
    tr.d = TLX_NER_CALLOC((size_t)ND * NC, sizeof(float));
    tr.ud = TLX_NER_CALLOC((size_t)ND * NC, sizeof(double));
    aw = TLX_NER_MALLOC(nw * sizeof(float));
    ad = TLX_NER_MALLOC((size_t)ND * NC * sizeof(float));
    bw = TLX_NER_MALLOC(nw * sizeof(float));
    bd = TLX_NER_MALLOC((size_t)ND * NC * sizeof(float));
    size_t maxn = dev && dev->ntok > train->ntok ? dev->ntok : train->ntok;
    pred = TLX_NER_MALLOC(maxn + 1);
    order = TLX_NER_MALLOC(train->ndoc * sizeof(uint32_t));
    size_t md = s_max_doc(train);
    if (dev && s_max_doc(dev) > md)
        md = s_max_doc(dev);
    if (!tr.w || !tr.uw || !tr.d || !tr.ud || !aw || !ad || !bw || !bd || !pred || !order ||
        s_dmap_init(&doc, md, SIZE_MAX))
        goto out;
    if (o.lexicon || o.nnames) {
        const char *paths[65];
        size_t np = 0;
        if (o.lexicon)
            paths[np++] = o.lexicon;
        for (size_t k = 0; k < o.nnames && np < 65; k++)
            paths[np++] = o.names[k];
        if ((rc = s_lex_build(paths, np, &lex)))
            goto out;
    }
    if (o.clusters && (rc = s_clu_build(o.clusters, &clu)))
        goto out;
    rc = TLX_ENOMEM;
    if ((rc = s_prepare(train, gaz, &lex, &clu, tr.mask, &ptr)))
        goto out;
    if (dev && dev->ntok && (rc = s_prepare(dev, gaz, &lex, &clu, tr.mask, &pdev)))
        goto out;
    uint64_t rng = o.seed;
    for (size_t i = 0; i < train->ndoc; i++)
        order[i] = (uint32_t)i;
    double best = -1;
    uint32_t best_ep = 0;
    for (uint32_t ep = 0; ep < o.epochs; ep++) {
        for (size_t i = train->ndoc; i > 1; i--) {
            size_t j = (size_t)(s_rng(&rng) % i);
            uint32_t t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
        for (size_t k = 0; k < train->ndoc; k++) {
            size_t di = order[k];
            size_t s0 = di ? train->doc_end[di - 1] : 0;
            s_run_doc(&tr, tr.w, tr.d, train, &ptr, s0, train->doc_end[di], pred, 1, &doc);
        }
        s_average(&tr, aw, ad);
        double f = 0;
        if (dev && dev->ntok)
            f = s_eval(&tr, aw, ad, dev, &pdev, pred, &doc);
        if (log)
            fprintf(log, "epoch %u: dev F1 %.2f\n", ep + 1, f);
        if (!dev || !dev->ntok || f > best) {
            best = f;
            best_ep = ep + 1;
            memcpy(bw, aw, nw * sizeof(float));
            memcpy(bd, ad, (size_t)ND * NC * sizeof(float));
        }
    }
    if (log)
        fprintf(log, "keeping epoch %u (dev F1 %.2f)\n", best_ep, best);
    rc = s_write_model(log, out_path, bw, bd, o.bucket_bits, train, o.min_count, &lex, &clu);
out:
    free(tr.w);
    free(tr.uw);
    free(tr.d);
    free(tr.ud);
    free(aw);
    free(ad);
    free(bw);
    free(bd);
    free(pred);
    free(order);
    free(doc.slots);
    free((void *)lex.slots);
    free((void *)clu.slots);
    s_prep_free(&ptr);
    s_prep_free(&pdev);
    return rc;
}
