/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_keywords.c -- TF-IDF keywords (see tlx_keywords.h).

    How: one pass over the body normalises each word (ASCII letters, inner
    hyphens; lowercase; plural folding) into a scratch buffer and counts it
    in an open-addressing hash table, together with the two-word term formed
    with the previous word when only spaces separate them; then the
    candidates are scored, sorted and the top 10 picked.  Everything
    transient is malloc'd and freed here; only the 10 output strings go to
    the arena.
    Rejected: RAKE / TextRank (graph ranking costs more than the whole
    enrichment budget and does not use the corpus statistics the store
    keeps); stemming with Porter (keywords are shown to editors: "secur"
    is not a keyword, and plural folding catches most of the gain).
*/
#include "tlx_keywords.h"

#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tlx_deadline.h"
#include "tlx_error.h"
#include "tlx_hash.h"
#include "tlx_swar.h"
#include "tlx_wordset.h"

#define S_MAXW 32
#define S_TOPK 48
#define S_ARENA_SCRATCH (256 * 1024)

static const char *const s_stop[] = {
    "about",     "above",     "according",  "across",     "actually", "added",     "adding",    "after",
    "again",     "against",   "ago",        "all",        "almost",   "along",     "already",   "also",
    "although",  "always",    "among",      "and",        "another",  "any",       "anyone",    "anything",
    "are",       "around",    "asked",      "away",       "back",     "because",   "been",      "before",
    "being",     "below",     "between",    "both",       "but",      "can",       "cannot",    "could",
    "did",       "does",      "doing",      "done",       "down",     "due",       "during",    "each",
    "either",    "else",      "even",       "ever",       "every",    "explained", "few",       "for",
    "from",      "further",   "get",        "gets",       "getting",  "give",      "given",     "going",
    "had",       "has",       "have",       "having",     "her",      "here",      "hers",      "herself",
    "him",       "himself",   "his",        "how",        "however",  "including", "indeed",    "instead",
    "into",      "its",       "itself",     "just",       "last",     "later",     "least",     "less",
    "like",      "likely",    "made",       "make",       "makes",    "making",    "many",      "may",
    "meanwhile", "might",     "more",       "moreover",   "most",     "much",      "must",      "near",
    "nearly",    "need",      "needs",      "neither",    "never",    "new",       "next",      "nor",
    "not",       "noted",     "nothing",    "now",        "off",      "often",     "once",      "one",
    "only",      "onto",      "other",      "others",     "our",      "out",       "over",      "own",
    "per",       "perhaps",   "please",     "possible",   "quite",    "rather",    "read",      "really",
    "recently",  "reported",  "reportedly", "said",       "same",     "say",       "saying",    "says",
    "see",       "seem",      "seems",      "seen",       "several",  "she",       "should",    "since",
    "some",      "something", "still",      "such",       "take",     "than",      "that",      "the",
    "their",     "theirs",    "them",       "themselves", "then",     "there",     "therefore", "these",
    "they",      "thing",     "things",     "this",       "those",    "though",    "three",     "through",
    "thus",      "time",      "told",       "too",        "toward",   "towards",   "two",       "under",
    "unless",    "until",     "upon",       "use",        "used",     "using",     "very",      "via",
    "want",      "was",       "way",        "well",       "were",     "what",      "whatever",  "when",
    "where",     "whether",   "which",      "while",      "who",      "whom",      "whose",     "why",
    "will",      "with",      "within",     "without",    "would",    "yet",       "you",       "your",
    "year",      "years",     "day",        "days",       "week",     "weeks",     "month",     "months",
    "monday",    "tuesday",   "wednesday",  "thursday",   "friday",   "saturday",  "sunday",    "based",
    "january",   "february",  "march",      "april",      "june",     "july",      "august",    "september",
    "october",   "november",  "december",   "mr",         "mrs",      "ms",        "wa",        "ha",
    "thi",       "hi",        "doe",        "ve",         "ll",       "don",       "isn",       "didn",
    "doesn",     "aren",      "wasn",       "weren",      "won",      "can't",     "it's",      "i'm",
    "let",       "put",       "went",       "come",       "came",     "become",    "became",    "tell",
    "know",      "known",     "think",      "thought",    "first",    "second",    "able",      "among",
    "amid",      "four",      "five",       "six",        "seven",    "eight",     "nine",      "ten",
    "part",      "parts",
};

/* Low-information news words (fallback idf 1). */
static const char *const s_common[] = {
    "source",    "official", "people",  "report",   "state",      "country",   "government", "information",
    "case",      "number",   "order",   "issue",    "problem",    "matter",    "work",       "place",
    "area",      "way",      "member",  "group",    "level",      "fact",      "example",    "result",
    "situation", "article",  "comment", "question", "news",       "media",     "daily",      "north",
    "south",     "korea",    "korean",  "province", "provincial", "ministry",  "authority",  "regime",
    "leader",    "party",    "reason",  "identity", "network",    "anonymous", "elsewhere",
};

/* Both lists live in one tlx_wordset built once: a word costs one
   multiply-hash and usually one load (bsearch over 300 words was 9 strcmp).
   Value: 1 stop word, 2 common news word. */
TLX_WORDSET_STATIC(s_set, 1024, false);
static pthread_once_t s_once = PTHREAD_ONCE_INIT;

static void s_put(const char *w, uint32_t list)
{
    if (!tlx_wordset_get(&s_set, w, strlen(w))) /* the first list a word is on decides */
        tlx_wordset_put(&s_set, w, list);
}

static void s_init_lists(void)
{
    for (size_t k = 0; k < sizeof s_stop / sizeof *s_stop; k++)
        s_put(s_stop[k], 1);
    for (size_t k = 0; k < sizeof s_common / sizeof *s_common; k++)
        s_put(s_common[k], 2);
}

/* 0: not listed, 1: stop word, 2: common news word (w lower case). */
static int s_lookup(const char *w, size_t n)
{
    return (int)tlx_wordset_get(&s_set, w, n);
}

/* ---- terms ---------------------------------------------------------------- */

typedef struct {
    uint32_t hash, off; /* term = scratch[off..off+len) */
    uint16_t len;
    uint8_t bigram, proper_seen, lower_seen, used;
    uint8_t common; /* a single word on the common news word list */
    uint32_t tf;
    uint32_t surf_s, surf_e; /* first occurrence in body */
    double score;
    const char *ent; /* entity candidate: its canonical name (lowercased in scratch) */
} term_t;

/* One slot of the open-addressing index: the term's hash (0: empty) and
   its place in the dense term array.  The slots, not the terms, are what
   a probe touches and what is zeroed per article (8 bytes a slot, not a
   whole term_t). */
typedef struct {
    uint32_t hash, idx;
} slot_t;

typedef struct {
    slot_t *s;
    uint32_t cap, n; /* cap: power of two; n terms in t[0..n) */
    term_t *t;       /* room for cap / 2 terms (the load stays <= 1/2) */
    char *scratch;
    size_t slen, scap;
    tlx_arena_t *arena;
    bool heap_t, heap_s; /* s and t, scratch are malloc'd (else in the arena) */
} table_t;

/* The table's hash of a term from its FNV-1a (0 marks an empty slot). */
static inline uint32_t s_fix(uint32_t raw)
{
    return raw ? raw : 1;
}

/* Doubles the table (growing past the arena's share: malloc). */
static int s_grow_table(table_t *tb)
{
    if (tb->cap >= (1u << 31))
        return TLX_ENOMEM;
    uint32_t cap = tb->cap * 2, m = cap - 1;
    slot_t *s = calloc(cap, sizeof *s);
    term_t *t = malloc((size_t)(cap / 2 + 1) * sizeof *t);
    if (!s || !t) {
        free(s);
        free(t);
        return TLX_ENOMEM;
    }
    memcpy(t, tb->t, tb->n * sizeof *t);
    for (uint32_t i = 0; i < tb->cap; i++)
        if (tb->s[i].hash)
            for (uint32_t j = tb->s[i].hash & m;; j = (j + 1) & m)
                if (!s[j].hash) {
                    s[j] = tb->s[i];
                    break;
                }
    if (tb->heap_t) {
        free(tb->s);
        free(tb->t);
    }
    tb->s = s;
    tb->t = t;
    tb->cap = cap;
    tb->heap_t = true;
    return 0;
}

static int s_grow_scratch(table_t *tb, size_t need)
{
    size_t scap = tb->scap * 2 > tb->slen + need ? tb->scap * 2 : tb->slen + need + 4096;
    char *sc = malloc(scap);
    if (!sc)
        return TLX_ENOMEM;
    memcpy(sc, tb->scratch, tb->slen);
    if (tb->heap_s)
        free(tb->scratch);
    tb->scratch = sc;
    tb->scap = scap;
    tb->heap_s = true;
    return 0;
}

/* a[0..n) == b[0..n) for the short strings of the term table (no call for
   the usual word of under 17 bytes). */
static inline bool s_same(const char *a, const char *b, size_t n)
{
    if (n > 16)
        return memcmp(a, b, n) == 0;
    if (n > 8)
        return tlx_swar_load(a) == tlx_swar_load(b) &&
               tlx_swar_load_n(a + 8, n - 8) == tlx_swar_load_n(b + 8, n - 8);
    return tlx_swar_load_n(a, n) == tlx_swar_load_n(b, n);
}

/* Finds or adds term w[0..n) whose table hash is h (s_fix of its FNV-1a);
   NULL on ENOMEM.  The table grows (load <= 1/2), so a pointer returned
   earlier is invalid after the next call. */
static term_t *s_get(table_t *tb, const char *w, size_t n, uint32_t h, bool bigram)
{
    if ((tb->n + 1) * 2 > tb->cap && s_grow_table(tb))
        return NULL;
    uint32_t m = tb->cap - 1;
    for (uint32_t i = h & m;; i = (i + 1) & m) {
        slot_t *sl = &tb->s[i];
        if (!sl->hash) {
            if (tb->slen + n > tb->scap && s_grow_scratch(tb, n))
                return NULL;
            memcpy(tb->scratch + tb->slen, w, n);
            term_t *t = &tb->t[tb->n];
            memset(t, 0, sizeof *t);
            t->hash = h;
            t->off = (uint32_t)tb->slen;
            t->len = (uint16_t)n;
            t->bigram = bigram;
            sl->hash = h;
            sl->idx = tb->n;
            tb->slen += n;
            tb->n++;
            return t;
        }
        if (sl->hash == h) {
            term_t *t = &tb->t[sl->idx];
            if (t->len == n && s_same(tb->scratch + t->off, w, n))
                return t;
        }
    }
}

static inline bool s_letter(unsigned char c)
{
    return (c | 32) >= 'a' && (c | 32) <= 'z';
}

/* How many runs of ASCII letters b[0..len) has, eight bytes at a time (a
   run starts at a letter after a byte that is not one). */
static size_t s_letter_runs(const char *b, size_t len)
{
    size_t runs = 0, i = 0;
    uint64_t prev = 0; /* the previous byte was a letter: bit 7 */
    while (i < len) {
        size_t k = len - i < 8 ? len - i : 8;
        uint64_t x = tlx_swar_load_n(b + i, k);
        uint64_t l = tlx_swar_in(x | TLX_SWAR_ONES * 0x20, 'a', 'z'); /* zero padding: not letters */
        runs += tlx_swar_count(l & ~(l << 8 | prev));
        prev = l >> 56;
        i += k;
    }
    return runs;
}

/* The first byte at or after i that is not an ASCII letter or digit (len
   when none); *digit set when the bytes skipped hold a digit.  Most words
   are letters only: one scan for letters, and for the alphanumeric run
   only after a digit. */
static inline size_t s_alnum_end(const char *b, size_t i, size_t len, bool *digit)
{
    size_t e = tlx_swar_letters_end(b, i, len);
    if (e < len && (unsigned char)(b[e] - '0') < 10) {
        *digit = true;
        e = tlx_swar_alnum_end(b, e, len);
    }
    return e;
}

/* Normalises word b[s..e) into out (NUL-terminated); returns its length or 0
   when it is not a term (*list: what the stop and common-word set says of
   it).  *raw: the term's FNV-1a, for the term table; *pair_raw: pair_h
   continued over the term's bytes. */
static size_t s_norm_h(const char *b, size_t s, size_t e, char out[S_MAXW + 1], uint32_t *raw, int *list,
                       uint32_t pair_h, uint32_t *pair_raw)
{
    size_t n = e - s;
    if (n < 3 || n > S_MAXW)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = b[s + i];
        out[i] = (char)(c >= 'A' && c <= 'Z' ? c | 32 : c);
    }
    out[n] = '\0';
    if (n > 4 && memcmp(out + n - 3, "ies", 3) == 0) {
        out[n - 3] = 'y';
        n -= 2;
    } else if (n > 4 && memcmp(out + n - 4, "sses", 4) == 0) {
        n -= 2;
    } else if (n > 3 && out[n - 1] == 's' && out[n - 2] != 's' && out[n - 2] != 'u' && out[n - 2] != 'i' &&
               !(n == 4 && memcmp(out, "news", 4) == 0) && !(n == 8 && memcmp(out, "overseas", 8) == 0) &&
               out[n - 2] != '\'') {
        n -= 1;
    }
    out[n] = '\0';
    if (n < 3)
        return 0;
    if ((*list = s_lookup(out, n)) == 1)
        return 0;
    /* the word's FNV-1a and, from pair_h on, its pair's: two chains in one
       loop run side by side */
    uint32_t h = TLX_FNV1A32_OFFSET, ph = pair_h;
    for (size_t i = 0; i < n; i++) {
        h = tlx_fnv1a32_byte(h, (unsigned char)out[i]);
        ph = tlx_fnv1a32_byte(ph, (unsigned char)out[i]);
    }
    *raw = h;
    *pair_raw = ph;
    return n;
}

static size_t s_norm(const char *b, size_t s, size_t e, char out[S_MAXW + 1])
{
    uint32_t raw, pair_raw;
    int list;
    return s_norm_h(b, s, e, out, &raw, &list, 0, &pair_raw);
}

/* Length of a crawl placeholder at b[i] ("[imText1]", "[imgCaption]": a
   bracketed word with a digit or an inner capital), else 0; its letters
   are not words of the article. */
static size_t s_placeholder(const char *b, size_t i, size_t len)
{
    bool digit = false, camel = false;
    size_t j = i + 1;
    for (; j < len && j - i <= 24 && b[j] != ']'; j++) {
        char c = b[j];
        if (c >= '0' && c <= '9')
            digit = true;
        else if (c >= 'A' && c <= 'Z' && j > i + 1 && b[j - 1] >= 'a' && b[j - 1] <= 'z')
            camel = true;
        else if (!s_letter((unsigned char)c) && c != '_')
            return 0;
    }
    if (j >= len || b[j] != ']' || j - i < 3 || !(digit || camel) || !s_letter((unsigned char)b[i + 1]))
        return 0;
    return j + 1 - i;
}

/* Counts every term of the body into tb. */
static int s_build(const char *b, size_t len, size_t extra, table_t *tb)
{
    /* Sized for a news article up front: every letter run can add one word
       and one pair (counting spaces is not one: "abc,abd,abe"), and the
       terms' text is at most 3x the body.  A long body starts at 8,192
       terms and grows with the distinct terms it really has: sizing for the
       worst case took 200 MB for a 7.5 MB body. */
    size_t words = 1 + s_letter_runs(b, len);
    uint32_t cap = 64;
    while (cap < words * 2 + 16 && cap < (1u << 14))
        cap <<= 1;
    tb->scap = len * 3 + 64 + extra; /* unigrams <= len, bigrams <= len + words, entity names */
    if (tb->scap > (size_t)cap * 16)
        tb->scap = (size_t)cap * 16;
    /* small bodies borrow scratch from the arena (no mmap and page faults
       per article); larger ones use malloc so the arena keeps no peak */
    size_t tbytes = (size_t)(cap / 2 + 1) * sizeof(term_t);
    tb->heap_t = tb->heap_s = (size_t)cap * sizeof(term_t) + tb->scap > S_ARENA_SCRATCH;
    tb->s = tb->heap_t ? calloc(cap, sizeof(slot_t)) : tlx_arena_calloc(tb->arena, cap, sizeof(slot_t));
    tb->t = tb->heap_t ? malloc(tbytes) : tlx_arena_alloc(tb->arena, tbytes);
    tb->scratch = tb->heap_s ? malloc(tb->scap) : tlx_arena_alloc(tb->arena, tb->scap);
    if (!tb->s || !tb->t || !tb->scratch)
        return TLX_ENOMEM;
    tb->cap = cap;
    char w[S_MAXW + 1] = {0}, prev[S_MAXW + 1] = {0}, bi[2 * S_MAXW + 2];
    _Static_assert(sizeof bi >= S_MAXW + 1 + sizeof w, "a pair and a whole word buffer fit");
    size_t pn = 0, prev_s = 0;
    uint32_t raw = 0, prev_raw = 0;
    int list = 0;
    bool sent_start = true, glue = false, prev_cap = false, prev_start = false;
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)b[i];
        if (!s_letter(c)) {
            size_t pl = c == '[' ? s_placeholder(b, i, len) : 0;
            if (pl) {
                i += pl;
                glue = false;
                continue;
            }
            if (c == '.' || c == '!' || c == '?' || c == '\n' || c == ':' || c == ';')
                sent_start = true;
            if (c != ' ')
                glue = false;
            i++;
            continue;
        }
        size_t s = i;
        bool digit = false;
        for (;;) { /* letters and digits, and an apostrophe before a letter */
            i = s_alnum_end(b, i, len, &digit);
            if (i + 1 < len && b[i] == '\'' && s_letter((unsigned char)b[i + 1]))
                i++;
            else
                break;
        }
        uint32_t bh = 0;
        size_t n = digit ? 0 : s_norm_h(b, s, i, w, &raw, &list, tlx_fnv1a32_byte(prev_raw, ' '), &bh);
        if (!n) {
            pn = 0;
            sent_start = false;
            glue = true;
            continue;
        }
        bool cap = b[s] >= 'A' && b[s] <= 'Z';
        term_t *t = s_get(tb, w, n, s_fix(raw), false);
        if (!t)
            return TLX_ENOMEM;
        if (!t->tf)
            t->surf_s = (uint32_t)s, t->surf_e = (uint32_t)i;
        t->tf++;
        t->common = list == 2;
        if (cap && !sent_start)
            t->proper_seen = 1;
        if (!cap)
            t->lower_seen = 1;
        if (pn && glue) {
            /* whole buffers: copies of a fixed size need no call */
            memcpy(bi, prev, sizeof prev);
            bi[pn] = ' ';
            memcpy(bi + pn + 1, w, sizeof w);
            /* FNV-1a runs left to right: the pair's hash (bh) went on from
               the first word's */
            term_t *bt = s_get(tb, bi, pn + 1 + n, s_fix(bh), true);
            if (!bt)
                return TLX_ENOMEM;
            if (!bt->tf)
                bt->surf_s = (uint32_t)prev_s, bt->surf_e = (uint32_t)i;
            bt->tf++;
            if (prev_cap && !prev_start)
                bt->proper_seen = 1;
            if (!prev_cap)
                bt->lower_seen = 1;
        }
        memcpy(prev, w, sizeof prev);
        pn = n;
        prev_raw = raw;
        prev_s = s;
        prev_cap = cap;
        prev_start = sent_start;
        sent_start = false;
        glue = true;
    }
    return 0;
}

static void s_free(table_t *tb)
{
    if (tb->heap_t) {
        free(tb->s);
        free(tb->t);
    }
    if (tb->heap_s)
        free(tb->scratch);
}

static int s_cmpscore(const void *a, const void *b)
{
    const term_t *x = *(const term_t *const *)a, *y = *(const term_t *const *)b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->surf_s < y->surf_s ? -1 : x->surf_s > y->surf_s; /* earlier first: stable output */
}

/* The normalised words of the tag line (a tag is a word list), made once
   per article: every term is checked against them. */
typedef struct {
    char (*w)[S_MAXW + 1];
    uint8_t *len;
    uint32_t n;
} tagw_t;

static int s_tag_words(const tlx_strv_t *tags, tlx_arena_t *arena, tagw_t *tw)
{
    tw->n = 0;
    size_t max = 0;
    for (uint32_t k = 0; tags && k < tags->n; k++)
        max += tags->v[k] ? strlen(tags->v[k]) / 2 + 1 : 0; /* a word and a separator take 2 bytes */
    if (!max)
        return 0;
    tw->w = tlx_arena_alloc(arena, max * sizeof *tw->w);
    tw->len = tlx_arena_alloc(arena, max);
    if (!tw->w || !tw->len)
        return TLX_ENOMEM;
    for (uint32_t k = 0; k < tags->n; k++) {
        const char *t = tags->v[k];
        if (!t)
            continue;
        size_t tl = strlen(t), i = 0;
        while (i < tl) {
            while (i < tl && !s_letter((unsigned char)t[i]))
                i++;
            size_t s = i;
            while (i < tl && (s_letter((unsigned char)t[i]) || t[i] == '-'))
                i++;
            size_t wn = s_norm(t, s, i, tw->w[tw->n]);
            if (wn)
                tw->len[tw->n++] = (uint8_t)wn;
        }
    }
    return 0;
}

/* Tag prior: the term equals a normalised tag or one of its words. */
static bool s_is_tag(const tagw_t *tw, const char *term, size_t n)
{
    for (uint32_t k = 0; k < tw->n; k++)
        if (tw->len[k] == n && memcmp(tw->w[k], term, n) == 0)
            return true;
    return false;
}

/* Every word of a[0..an) is a word of b[0..bn) (both lowercase). */
static bool s_words_in(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0;
    while (i < an) {
        size_t s = i;
        while (i < an && a[i] != ' ')
            i++;
        size_t wl = i - s;
        bool found = false;
        for (size_t j = 0; j + wl <= bn && !found; j++)
            found = (j == 0 || b[j - 1] == ' ' || b[j - 1] == '-') && memcmp(b + j, a + s, wl) == 0 &&
                    (j + wl == bn || b[j + wl] == ' ' || b[j + wl] == '-' || b[j + wl] == 's');
        if (!found)
            return false;
        i++;
    }
    return true;
}

/* Every word of a lowercase name is a common news word (or under 3 letters):
   "north korea", "daily nk". */
static bool s_all_common(const char *w, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t s = i;
        while (i < n && w[i] != ' ' && w[i] != '-')
            i++;
        if (i - s >= 3 && s_lookup(w + s, i - s) != 2)
            return false;
        i++;
    }
    return true;
}

/* The idf of a term from the document frequencies. */
static double s_df_idf(const tlx_keywords_df_t *df, const char *term, size_t len)
{
    uint64_t d = df->df(df->ctx, term, len);
    return log((double)(df->ndocs + 1) / (double)(d + 1)) + 1.0;
}

/* The entities as candidate terms (canonical names, lower-cased into the
   table's scratch), scored like terms: *nent of them in et. */
static int s_ent_terms(table_t *tb, const tlx_entity_t *ents, uint32_t nents, const tagw_t *tags,
                       const tlx_keywords_df_t *df, bool use_df, term_t *et, uint32_t *nent)
{
    int rc;
    *nent = 0;
    for (uint32_t i = 0; i < nents; i++) {
        const char *c = ents[i].canonical ? ents[i].canonical : ents[i].text;
        size_t cl = c ? strlen(c) : 0;
        if (!cl || cl > 2 * S_MAXW)
            continue;
        if (tb->slen + cl > tb->scap && (rc = s_grow_scratch(tb, cl)))
            return rc;
        term_t *t = &et[(*nent)++];
        t->off = (uint32_t)tb->slen;
        t->len = (uint16_t)cl;
        for (size_t k = 0; k < cl; k++)
            tb->scratch[tb->slen++] = (char)(c[k] >= 'A' && c[k] <= 'Z' ? c[k] | 32 : c[k]);
        t->tf = ents[i].count ? ents[i].count : ents[i].nspans;
        t->ent = c;
        t->hash = 1;
        double idf = use_df ? s_df_idf(df, tb->scratch + t->off, t->len)
                            : (s_all_common(tb->scratch + t->off, t->len) ? 1.0 : 4.0);
        t->score = t->tf * idf * (ents[i].type == TLX_ENT_MISC ? 0.5 : 1.0);
        if (s_is_tag(tags, tb->scratch + t->off, t->len))
            t->score = t->score * 2 + 3;
    }
    return 0;
}

/* Scores a body term: tf * idf (document frequencies when known, else a
   prior by kind), boosted when it is one of the tags. */
static void s_term_score(const table_t *tb, term_t *t, const tagw_t *tags, const tlx_keywords_df_t *df,
                         bool use_df)
{
    const char *term = tb->scratch + t->off;
    double idf;
    if (use_df) {
        idf = s_df_idf(df, term, t->len);
    } else if (t->bigram) {
        idf = 3.5;
    } else {
        idf = t->common ? 1.0 : (t->proper_seen && !t->lower_seen) ? 4.0 : 3.0;
    }
    t->score = t->tf * idf;
    if (s_is_tag(tags, term, t->len))
        t->score = t->score * 2 + 3;
}

/* Term t's place in the table: its slot, or for an entity candidate a
   place after every slot. */
static uint32_t s_place(const table_t *tb, const term_t *et, const term_t *t)
{
    if (t->ent)
        return tb->cap + (uint32_t)(t - et);
    uint32_t m = tb->cap - 1, idx = (uint32_t)(t - tb->t);
    for (uint32_t i = t->hash & m;; i = (i + 1) & m)
        if (tb->s[i].hash && tb->s[i].idx == idx)
            return i;
}

/* x ranks before y: s_cmpscore, its ties (same score, same first
   occurrence: rare) broken by the place in the table, s_place.  A
   strict order: the top list holds the same terms in the same order
   whatever order the terms are offered in. */
static bool s_before(const table_t *tb, const term_t *et, const term_t *x, const term_t *y)
{
    int c = s_cmpscore(&x, &y);
    return c ? c < 0 : s_place(tb, et, x) < s_place(tb, et, y);
}

/* Keeps only the best S_TOPK (sorted): hidden single words need a few
   spare places; a full qsort of every term cost more than the rest of the
   module. */
static void s_topk_add(const table_t *tb, const term_t *et, term_t **cand, uint32_t *nc, term_t *t)
{
    if (*nc == S_TOPK && !s_before(tb, et, t, cand[*nc - 1]))
        return;
    uint32_t p = *nc < S_TOPK ? (*nc)++ : S_TOPK - 1;
    while (p > 0 && s_before(tb, et, t, cand[p - 1])) {
        cand[p] = cand[p - 1];
        p--;
    }
    cand[p] = t;
}

/* Whether word term cand[k] is hidden by an entity or an already chosen
   two-word term containing its words, unless clearly more frequent on its
   own.  Any entity covering the words represents them, chosen or not. */
static bool s_hidden(const table_t *tb, term_t *const *cand, uint32_t k, const term_t *et, uint32_t nent)
{
    const term_t *t = cand[k];
    const char *term = tb->scratch + t->off;
    for (uint32_t j = 0; j < nent; j++)
        if (t->tf < 2 * et[j].tf + 1 && s_words_in(term, t->len, tb->scratch + et[j].off, et[j].len))
            return true;
    for (uint32_t j = 0; j < k; j++) {
        const term_t *o = cand[j];
        if (o->ent || t->bigram || !o->bigram || !o->used)
            continue;
        const char *ot = tb->scratch + o->off;
        const char *sp = memchr(ot, ' ', o->len);
        size_t l1 = (size_t)(sp - ot), l2 = o->len - l1 - 1;
        if (((l1 == t->len && memcmp(ot, term, l1) == 0) ||
             (l2 == t->len && memcmp(sp + 1, term, l2) == 0)) &&
            t->tf < 2 * o->tf)
            return true;
    }
    return false;
}

/* The keywords from the ranked candidates: hidden words skipped, proper
   nouns in their surface form, case-insensitive duplicates dropped. */
static int s_choose(const char *body, const table_t *tb, term_t **cand, uint32_t nc, const term_t *et,
                    uint32_t nent, tlx_arena_t *arena, tlx_strv_t *out)
{
    const char **v = tlx_arena_calloc(arena, TLX_KEYWORDS_MAX, sizeof(char *));
    if (!v)
        return TLX_ENOMEM;
    uint32_t nout = 0;
    for (uint32_t k = 0; k < nc && nout < TLX_KEYWORDS_MAX; k++) {
        term_t *t = cand[k];
        if (!t->ent && s_hidden(tb, cand, k, et, nent))
            continue;
        const char *term = tb->scratch + t->off;
        bool proper = t->proper_seen && !t->lower_seen;
        const char *s = t->ent   ? t->ent /* borrowed from the record's entities */
                        : proper ? tlx_arena_strndup(arena, body + t->surf_s, t->surf_e - t->surf_s)
                                 : tlx_arena_strndup(arena, term, t->len);
        if (!s)
            return TLX_ENOMEM;
        bool dup = false;
        for (uint32_t j = 0; j < nout && !dup; j++)
            dup = strcasecmp(v[j], s) == 0;
        t->used = 1;
        if (!dup)
            v[nout++] = s;
    }
    out->v = v;
    out->n = nout;
    return 0;
}

/* The first max terms of the table in slot order, NUL-terminated one after
   the other, into the arena (*buf NULL when there is none). */
static int s_term_blob(const table_t *tb, uint32_t max, tlx_arena_t *arena, char **buf, size_t *len)
{
    size_t total = 0;
    uint32_t k = 0;
    for (uint32_t i = 0; i < tb->cap && k < max; i++)
        if (tb->s[i].hash)
            total += tb->t[tb->s[i].idx].len + 1u, k++;
    if (!total)
        return 0;
    char *p = tlx_arena_alloc(arena, total);
    if (!p)
        return TLX_ENOMEM;
    *buf = p;
    *len = total;
    k = 0;
    for (uint32_t i = 0; i < tb->cap && k < max; i++)
        if (tb->s[i].hash) {
            const term_t *t = &tb->t[tb->s[i].idx];
            memcpy(p, tb->scratch + t->off, t->len);
            p[t->len] = '\0';
            p += t->len + 1u;
            k++;
        }
    return 0;
}

int tlx_keywords_extract(const char *body, size_t len, const tlx_strv_t *tags, const tlx_entity_t *ents,
                         uint32_t nents, const tlx_keywords_df_t *df, tlx_arena_t *arena, tlx_strv_t *out)
{
    return tlx_keywords_extract_terms(body, len, tags, ents, nents, df, 0, arena, out, NULL, NULL);
}

int tlx_keywords_extract_terms(const char *body, size_t len, const tlx_strv_t *tags, const tlx_entity_t *ents,
                               uint32_t nents, const tlx_keywords_df_t *df, uint32_t max_terms,
                               tlx_arena_t *arena, tlx_strv_t *out, char **terms, size_t *terms_len)
{
    out->v = NULL;
    out->n = 0;
    if (terms)
        *terms = NULL, *terms_len = 0;
    if (!body || len == 0)
        return 0;
    pthread_once(&s_once, s_init_lists);
    table_t tb = {.arena = arena};
    term_t *cand[S_TOPK], *et = NULL;
    size_t extra = 0;
    for (uint32_t i = 0; i < nents; i++) {
        const char *c = ents[i].canonical ? ents[i].canonical : ents[i].text;
        extra += c ? strlen(c) : 0;
    }
    int rc = s_build(body, len, extra, &tb);
    if (rc)
        goto done;
    /* before the entity names go into the scratch: the terms are the body's */
    if (terms && (rc = s_term_blob(&tb, max_terms, arena, terms, terms_len)))
        goto done;
    tagw_t tw = {0};
    if ((rc = s_tag_words(tags, arena, &tw)))
        goto done;
    bool use_df = df && df->df && df->ndocs >= TLX_KEYWORDS_MIN_DOCS;
    /* entity candidates (canonical names) follow the term table */
    uint32_t nent = 0;
    if (nents) {
        et = tlx_arena_calloc(arena, nents, sizeof(*et));
        if (!et) {
            rc = TLX_ENOMEM;
            goto done;
        }
        if ((rc = s_ent_terms(&tb, ents, nents, &tw, df, use_df, et, &nent)))
            goto done;
    }
    uint32_t nc = 0;
    /* the terms in the order they were added (the term array, not the
       sparse slots: no empty slot to skip, no random access) */
    for (uint32_t i = 0; i < tb.n + nent; i++) {
        if (tlx_deadline_due("keywords", 1)) {
            rc = TLX_EAGAIN;
            goto done;
        }
        term_t *t = i < tb.n ? &tb.t[i] : &et[i - tb.n];
        if (!t->ent) {
            if (t->bigram && t->tf < 2)
                continue;
            s_term_score(&tb, t, &tw, df, use_df);
        }
        s_topk_add(&tb, et, cand, &nc, t);
    }
    rc = s_choose(body, &tb, cand, nc, et, nent, arena, out);
done:
    s_free(&tb);
    return rc;
}

int tlx_keywords_terms(const char *body, size_t len, tlx_arena_t *arena, tlx_strv_t *out)
{
    out->v = NULL;
    out->n = 0;
    if (!body || len == 0)
        return 0;
    pthread_once(&s_once, s_init_lists);
    table_t tb = {.arena = arena};
    char *blob = NULL;
    size_t blen = 0;
    int rc = s_build(body, len, 0, &tb);
    if (!rc)
        rc = s_term_blob(&tb, UINT32_MAX, arena, &blob, &blen);
    uint32_t n = tb.n;
    s_free(&tb);
    if (rc)
        return rc;
    /* the blob's strings, in its order */
    const char **v = tlx_arena_calloc(arena, n + 1, sizeof(char *));
    if (!v)
        return TLX_ENOMEM;
    for (size_t k = 0; blob && k < blen; k += strlen(blob + k) + 1)
        v[out->n++] = blob + k;
    out->v = v;
    return 0;
}
