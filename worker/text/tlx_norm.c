/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_norm.c -- normalization (see tlx_norm.h).

    One pass decodes and repairs UTF-8, maps every code point to what it
    becomes (removed, space, newline, itself) and writes it with spaces and
    blank lines already collapsed; runs of printable ASCII (most of the
    input) are checked 8 bytes at a time and copied whole.  A line holding a
    character that may change under NFC is marked, and utf8proc's NFC runs
    on that line alone when it ends; runs of combining marks are cut at 30
    (Stream-Safe Text Format) so that NFC stays linear.  Then two cheap passes over the result:
    mojibake (memchr to the C3 bytes every sequence starts with) and lost
    apostrophes (only at word ends that can be a contraction or a
    possessive, found 8 bytes at a time; the text is copied only if a word
    changes).  Rejected: running utf8proc_map over the whole text (it
    allocates and walks every character even for ASCII), a hand-written NFC
    (the Unicode tables belong in a library), and a separate pass for
    whitespace (it walked the text twice and copied it once more).
*/
#include "tlx_norm.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "tlx_deadline.h"
#include "tlx_error.h"
#include "tlx_record.h"
#include "tlx_swar.h"

/* Decodes one code point at p (len n >= 1); returns bytes consumed and the
   code point, or 0 bytes consumed... never: invalid input yields cp = -1
   and the length of the maximal bad subsequence (at least 1). */
static size_t s_decode(const unsigned char *p, size_t n, int32_t *cp)
{
    unsigned char c = p[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t need;
    int32_t v, min;
    if (c >= 0xc2 && c <= 0xdf) {
        need = 2;
        v = c & 0x1f;
        min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        need = 3;
        v = c & 0x0f;
        min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        need = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        *cp = -1;
        return 1;
    }
    size_t i = 1;
    for (; i < need && i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            break;
        v = (v << 6) | (p[i] & 0x3f);
        /* reject overlongs / surrogates / too large as early as the second byte */
        if (i == 1) {
            if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] >= 0xa0) || (c == 0xf0 && p[1] < 0x90) ||
                (c == 0xf4 && p[1] >= 0x90))
                break;
        }
    }
    if (i < need || v < min) {
        *cp = -1;
        return i; /* the maximal subsequence that could have been valid */
    }
    *cp = v;
    return need;
}

static size_t s_encode(int32_t cp, char *o)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xc0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xe0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    o[0] = (char)(0xf0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    o[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* May this code point change, or make its neighbours change, under NFC? */
static bool s_nfc_suspect(int32_t cp)
{
    if (cp < 0x300)
        return false; /* Latin-1 and Latin Extended-A/B precomposed letters are NFC */
    if (cp >= 0x2000 && cp <= 0x206f)
        return false; /* general punctuation: quotes, dashes */
    if (cp >= 0xac00 && cp <= 0xd7a3)
        return false; /* precomposed Hangul syllables */
    if (cp >= 0x1100 && cp <= 0x11ff)
        return true; /* conjoining jamo compose algorithmically */
    const utf8proc_property_t *pr = utf8proc_get_property(cp);
    return pr->combining_class != 0 || pr->comb_index != UINT16_MAX ||
           (pr->decomp_seqindex != UINT16_MAX && pr->decomp_type == 0);
}

/* Unicode's Stream-Safe Text Format (UAX #15, section 13): no more than 30
   non-starters in a row; before the one that would pass that, U+034F
   COMBINING GRAPHEME JOINER (a starter that changes no rendering) goes in.
   Canonical ordering sorts each run of non-starters, and utf8proc sorts by
   exchanges: a run of 100,000 marks of mixed classes cost minutes, bounded
   runs make NFC linear.  What counts is a character's canonical
   decomposition: its leading and trailing non-starters, and whether it is
   non-starters all through. */
#define NORM_SAFE_RUN 30

static void s_nonstarters(int32_t cp, unsigned *lead, unsigned *trail, bool *all)
{
    utf8proc_int32_t d[8];
    int last = 0;
    utf8proc_ssize_t n = utf8proc_decompose_char(cp, d, 8, UTF8PROC_DECOMPOSE, &last);
    if (n <= 0 || n > 8) {
        d[0] = cp;
        n = 1;
    }
    unsigned l = 0, t = 0;
    while (l < (unsigned)n && utf8proc_get_property(d[l])->combining_class != 0)
        l++;
    while (t < (unsigned)n && utf8proc_get_property(d[n - 1 - t])->combining_class != 0)
        t++;
    *lead = l;
    *trail = t;
    *all = l == (unsigned)n;
}

enum { K_DROP, K_SPACE, K_NL, K_KEEP };

static int s_kind(int32_t cp, uint32_t *flags)
{
    if (cp >= 0x20 && cp < 0x7f)
        return K_KEEP;
    switch (cp) {
    case '\n':
        return K_NL;
    case '\t':
        return K_SPACE;
    case 0x85:
    case 0x2028:
    case 0x2029:
        return K_NL;
    case 0xa0:
    case 0x1680:
    case 0x202f:
    case 0x205f:
    case 0x3000:
        return K_SPACE;
    case 0x200b:
    case 0x2060:
    case 0xfeff:
    case 0xad:
        return K_DROP;
    default:
        break;
    }
    if (cp >= 0x2000 && cp <= 0x200a)
        return K_SPACE;
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
        *flags |= TLX_FLAG_CONTROL_REMOVED;
        return K_DROP;
    }
    return K_KEEP;
}

/* ---- mojibake ---------------------------------------------------------------
   UTF-8 text decoded as Windows-1252 and encoded again: each sequence below is
   what a common character turns into.  They are unambiguous: none occurs in
   real text (a capital A-circumflex or a-circumflex followed by a euro sign or
   a C1-range symbol), so they are replaced wherever they appear. */
static const struct {
    const char *bad, *good;
} s_mojibake[] = {
    {"\xc3\xa2\xe2\x82\xac\xe2\x84\xa2", "\xe2\x80\x99"}, /* â€™ -> ’ */
    {"\xc3\xa2\xe2\x82\xac\xcb\x9c", "\xe2\x80\x98"},     /* â€˜ -> ‘ */
    {"\xc3\xa2\xe2\x82\xac\xc5\x93", "\xe2\x80\x9c"},     /* â€œ -> “ */
    {"\xc3\xa2\xe2\x82\xac\xc2\x9d", "\xe2\x80\x9d"},     /* â€\x9d -> ” */
    {"\xc3\xa2\xe2\x82\xac\xef\xbf\xbd", "\xe2\x80\x9d"}, /* â€ + lost byte -> ” */
    {"\xc3\xa2\xe2\x82\xac\xe2\x80\x9c", "\xe2\x80\x93"}, /* â€“ -> – */
    {"\xc3\xa2\xe2\x82\xac\xe2\x80\x9d", "\xe2\x80\x94"}, /* â€” -> — */
    {"\xc3\xa2\xe2\x82\xac\xc2\xa6", "\xe2\x80\xa6"},     /* â€¦ -> … */
    {"\xc3\xa2\xe2\x82\xac\xc2\xa2", "\xe2\x80\xa2"},     /* â€¢ -> • */
    {"\xc3\x83\xc2\xa9", "\xc3\xa9"},                     /* Ã© -> é */
    {"\xc3\x83\xc2\xa8", "\xc3\xa8"},                     /* Ã¨ -> è */
    {"\xc3\x83\xc2\xa1", "\xc3\xa1"},                     /* Ã¡ -> á */
    {"\xc3\x83\xc2\xb3", "\xc3\xb3"},                     /* Ã³ -> ó */
    {"\xc3\x83\xc2\xb1", "\xc3\xb1"},                     /* Ã± -> ñ */
    {"\xc3\x83\xc2\xb6", "\xc3\xb6"},                     /* Ã¶ -> ö */
    {"\xc3\x83\xc2\xbc", "\xc3\xbc"},                     /* Ã¼ -> ü */
    {"\xc3\x83\xc2\xa4", "\xc3\xa4"},                     /* Ã¤ -> ä */
    {"\xc3\x83\xc2\xa7", "\xc3\xa7"},                     /* Ã§ -> ç */
    {"\xc3\x83\xc2\xaf", "\xc3\xaf"},                     /* Ã¯ -> ï */
    {"\xc3\x82\xc2\xa0", " "},                            /* Â + NBSP -> space */
};

#define S_NMOJIBAKE (sizeof s_mojibake / sizeof *s_mojibake)

/* Replaces the sequences above in place (the repair is never longer).  Every
   sequence starts with C3 A2, C3 83 or C3 82: memchr finds the candidates. */
static size_t s_fix_mojibake(char *t, size_t n, uint32_t *flags)
{
    size_t w = 0, i = 0;
    for (;;) {
        const char *c3 = memchr(t + i, 0xc3, n - i);
        size_t j = c3 ? (size_t)(c3 - t) : n;
        if (w != i)
            memmove(t + w, t + i, j - i);
        w += j - i;
        i = j;
        if (i >= n)
            return w;
        unsigned char c1 = i + 1 < n ? (unsigned char)t[i + 1] : 0;
        bool fixed = false;
        for (size_t k = 0; (c1 == 0xa2 || c1 == 0x83 || c1 == 0x82) && !fixed && k < S_NMOJIBAKE; k++) {
            size_t bl = strlen(s_mojibake[k].bad);
            if (bl <= n - i && memcmp(t + i, s_mojibake[k].bad, bl) == 0) {
                size_t gl = strlen(s_mojibake[k].good);
                memmove(t + w, s_mojibake[k].good, gl);
                w += gl;
                i += bl;
                fixed = true;
                *flags |= TLX_FLAG_MOJIBAKE_FIXED;
            }
        }
        if (!fixed)
            t[w++] = t[i++];
    }
}

/* ---- lost apostrophes ---------------------------------------------------------
   Contractions whose apostrophe-less form is not an English word, and
   possessives of names the article itself uses ("Kim Jong Uns" when "Kim Jong
   Un" appears; "Daily NKs" when "Daily NK" appears).  Not after "two", "both",
   "the": "the two Koreas" is a plural. */
static const char *const s_contractions[][2] = {
    {"dont", "don't"},       {"doesnt", "doesn't"},     {"didnt", "didn't"},   {"isnt", "isn't"},
    {"wasnt", "wasn't"},     {"arent", "aren't"},       {"werent", "weren't"}, {"couldnt", "couldn't"},
    {"wouldnt", "wouldn't"}, {"shouldnt", "shouldn't"}, {"hasnt", "hasn't"},   {"havent", "haven't"},
    {"hadnt", "hadn't"},     {"mustnt", "mustn't"},     {"cant", "can't"},     {"wont", "won't"},
    {"theyre", "they're"},   {"youre", "you're"},       {"theyve", "they've"}, {"youve", "you've"},
    {"weve", "we've"},       {"ive", "I've"},           {"id", NULL}, /* "id" stays: ambiguous */
};

static inline int s_is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* memmem for a word of the text: memchr on its first byte, then memcmp.  On
   prose that is many times faster than glibc's memmem (very slow for two-byte
   needles), but quadratic on text like "aaaa": once the bytes compared pass
   *budget, memmem (linear) takes over. */
static const char *s_find(const char *p, const char *end, const char *w, size_t m, size_t *budget)
{
    while (*budget >= m && (size_t)(end - p) >= m) {
        if (!(p = memchr(p, w[0], (size_t)(end - p) - m + 1)))
            return NULL;
        if (memcmp(p + 1, w + 1, m - 1) == 0)
            return p;
        *budget -= m;
        p++;
    }
    return memmem(p, (size_t)(end - p), w, m);
}

/* The possessive test for `word` (len l, ending in "s") at t + st: its bare
   form word[0..l-1) stands alone somewhere in t, and `word` itself does not
   stand alone before st.  One scan for the bare form answers both. */
static int s_possessive_of_seen(const char *t, size_t tn, size_t st, const char *word, size_t l)
{
    size_t n = l - 1, budget = tn;
    int bare = 0;
    for (const char *p = t; (p = s_find(p, t + tn, word, n, &budget)); p++) {
        if (p != t && s_is_word_byte((unsigned char)p[-1]))
            continue;
        size_t at = (size_t)(p - t);
        if (at + n == tn || !s_is_word_byte((unsigned char)p[n]))
            bare = 1;
        else if (at + l <= st && p[n] == 's' && (at + l == st || !s_is_word_byte((unsigned char)p[l])))
            return 0; /* the same word, earlier */
        if (bare && at + l > st)
            return 1; /* nothing further can be an earlier copy */
    }
    return bare;
}

/* Capitalized words ending in "s" that are English words, not possessives. */
static int s_pronoun_like(const char *w, size_t l)
{
    static const char *const words[] = {"Its",   "Is",     "As",   "Us",   "His",  "Hers", "Ours",
                                        "Yours", "Theirs", "Was",  "Has",  "Does", "Goes", "News",
                                        "Says",  "Yes",    "Thus", "Plus", "Less", "This"};
    for (size_t k = 0; k < sizeof words / sizeof *words; k++)
        if (words[k][0] == w[0] && strlen(words[k]) == l && strncmp(w, words[k], l) == 0)
            return 1;
    return 0;
}

/* The apostrophe pass: the text, and its copy once a word changed. */
typedef struct {
    char *t;
    size_t n;
    char *o; /* NULL until the first restored word; then o[0..w) is t[0..copied) fixed */
    size_t w, copied;
    unsigned checked_names; /* each check scans the text: at most 256 checks, texts <= 256 KiB */
    uint32_t *flags;
} apos_t;

/* The word before t[st], whose length counts up to 5; NULL at the start. */
static const char *s_prev_word(const char *t, size_t st, size_t *len)
{
    size_t e = st;
    while (e > 0 && !s_is_word_byte((unsigned char)t[e - 1]))
        e--;
    size_t b = e;
    while (b > 0 && e - b < 5 && s_is_word_byte((unsigned char)t[b - 1]))
        b--;
    *len = e - b;
    return e ? t + b : NULL;
}

/* The word that ends at t[end - 1]: a contraction or a possessive to
   restore?  Called in text order; 0, or TLX_ENOMEM. */
static int s_apos_word(tlx_arena_t *a, apos_t *ap, size_t end)
{
    const char *t = ap->t;
    size_t n = ap->n, i = end, st = end;
    if (end < n && s_is_word_byte((unsigned char)t[end]))
        return 0;     /* inside a word */
    while (st >= 8) { /* the word's start: the last byte before it that is not a word byte, 8 at a time */
        uint64_t x = tlx_swar_load(t + st - 8);
        uint64_t word = tlx_swar_alnum(x) | (x & TLX_SWAR_HIGH);
        uint64_t other = ~word & TLX_SWAR_HIGH;
        if (other) {
            st = st - 8 + (size_t)((63 - __builtin_clzll(other)) >> 3) + 1;
            goto start;
        }
        st -= 8;
    }
    while (st > 0 && s_is_word_byte((unsigned char)t[st - 1]))
        st--;
start:;
    size_t l = i - st;
    const char *word = t + st;
    const char *r = NULL; /* the contraction, or NULL */
    int possessive = 0;
    char last = (char)(word[l - 1] | 32);
    /* every contraction above ends in "nt", "re" or "ve" */
    if (l >= 3 && l <= 9 &&
        ((last == 't' && (word[l - 2] | 32) == 'n') ||
         (last == 'e' && ((word[l - 2] | 32) == 'r' || (word[l - 2] | 32) == 'v')))) {
        for (size_t k = 0; k < sizeof s_contractions / sizeof *s_contractions && !r; k++) {
            const char *c = s_contractions[k][0];
            if (s_contractions[k][1] && c[0] == (word[0] | 32) && strlen(c) == l &&
                strncasecmp(word, c, l) == 0)
                r = s_contractions[k][1];
        }
    }
    /* possessive of a name used elsewhere in the article (bounded work per article) */
    size_t prevn = 0;
    const char *prev;
    if (!r && l >= 3 && word[l - 1] == 's' && word[l - 2] != '\'' &&
        ((word[0] >= 'A' && word[0] <= 'Z') &&
         (word[l - 2] < 'a' || word[l - 2] > 'z' || (word[1] >= 'a' && word[1] <= 'z'))) &&
        !((prev = s_prev_word(t, st, &prevn)) && ((prevn == 3 && strncasecmp(prev, "two", 3) == 0) ||
                                                  (prevn == 4 && strncasecmp(prev, "both", 4) == 0) ||
                                                  (prevn == 3 && strncasecmp(prev, "the", 3) == 0))) &&
        !s_pronoun_like(word, l) && i < n && (t[i] == ' ' || t[i] == ']' || t[i] == ')') &&
        n <= (256u << 10) && ap->checked_names++ < 256 && s_possessive_of_seen(t, n, st, word, l))
        possessive = 1;
    if (!r && !possessive)
        return 0;
    if (!ap->o && !(ap->o = tlx_arena_alloc(a, n + n / 2 + 2))) /* one more byte per restored word */
        return TLX_ENOMEM;
    char *o = ap->o;
    size_t w = ap->w;
    memcpy(o + w, t + ap->copied, st - ap->copied);
    w += st - ap->copied;
    if (r) {
        size_t rl = strlen(r);
        memcpy(o + w, r, rl);
        if (word[0] >= 'A' && word[0] <= 'Z')
            o[w] = (char)(o[w] - 32 * (o[w] >= 'a' && o[w] <= 'z'));
        w += rl;
    } else {
        memcpy(o + w, word, l - 1);
        w += l - 1;
        o[w++] = '\'';
        o[w++] = 's';
    }
    ap->w = w;
    ap->copied = i;
    *ap->flags |= TLX_FLAG_APOSTROPHES_RESTORED;
    return 0;
}

/* May t[e] be the last letter of a word to restore?  "nt", "re", "ve" in any
   case (the word end is checked later), or "s" before " ", "]", ")". */
static inline int s_apos_end(const char *t, size_t n, size_t e)
{
    int c = t[e] | 32, p = e > 0 ? t[e - 1] | 32 : 0;
    if (t[e] == 's')
        return e + 1 < n && (t[e + 1] == ' ' || t[e + 1] == ']' || t[e + 1] == ')');
    return (c == 't' && p == 'n') || (c == 'e' && (p == 'r' || p == 'v'));
}

/* Returns t itself when no word changes (most texts): the output is only
   allocated, and the text copied, from the first restored word on.  The
   scan looks at word ends that can be one (8 bytes at a time), not at
   every word. */
static char *s_restore_apostrophes(tlx_arena_t *a, char *t, size_t n, size_t *out_n, uint32_t *flags)
{
    apos_t ap = {.t = t, .n = n, .flags = flags};
    uint64_t prev_n = 0; /* the previous byte was n, r or v: at bit 7 */
    size_t i = 0;
    for (; i + 9 <= n; i += 8) { /* t[i + 8] is the byte after the word */
        uint64_t x = tlx_swar_load(t + i), f = x | TLX_SWAR_ONES * 0x20; /* f: letters in lower case */
        uint64_t nrv = tlx_swar_eq(f, 'n') | tlx_swar_eq(f, 'r') | tlx_swar_eq(f, 'v');
        uint64_t te = tlx_swar_eq(f, 't') | tlx_swar_eq(f, 'e');
        uint64_t after = tlx_swar_eq(x, ' ') | tlx_swar_eq(x, ']') | tlx_swar_eq(x, ')');
        uint64_t next = t[i + 8] == ' ' || t[i + 8] == ']' || t[i + 8] == ')';
        uint64_t cand = (te & (nrv << 8 | prev_n)) | (tlx_swar_eq(x, 's') & (after >> 8 | next << 63));
        prev_n = (nrv >> 63) << 7;
        for (; cand; cand &= cand - 1) /* the candidates, in text order */
            if (s_apos_word(a, &ap, i + ((size_t)__builtin_ctzll(cand) >> 3) + 1))
                return NULL;
    }
    for (; i < n; i++)
        if (s_apos_end(t, n, i) && s_apos_word(a, &ap, i + 1))
            return NULL;
    if (!ap.o) {
        *out_n = n;
        return t;
    }
    memcpy(ap.o + ap.w, t + ap.copied, n - ap.copied);
    ap.w += n - ap.copied;
    ap.o[ap.w] = '\0';
    *out_n = ap.w;
    return ap.o;
}

/* ---- the main pass ------------------------------------------------------------ */

/* Output of the main pass: whitespace is collapsed as it is written, so the
   text is walked once.  A space is only pending until the next character of
   the same line, a line separator only until the next line with content. */
typedef struct {
    char *o;
    size_t on, cap;
    size_t lstart; /* where the current line starts in o */
    bool open;     /* the current line has content */
    bool space;    /* a space is pending inside the current line */
    bool mark;     /* the current line holds a character that may change under NFC */
    unsigned run;  /* non-starters in a row just written (Stream-Safe Text Format) */
    bool blank;    /* a blank line is pending before the next line */
} out_t;

/* Before a character is written: the pending separators. */
static inline void s_content(out_t *w)
{
    if (!w->open) {
        if (w->on > 0)
            w->o[w->on++] = '\n';
        if (w->blank)
            w->o[w->on++] = '\n';
        w->blank = false;
        w->lstart = w->on;
        w->open = true;
    } else if (w->space) {
        w->o[w->on++] = ' ';
    }
    w->space = false;
}

/* End of a line; NFC on the line when it was marked.  `rest` bounds what the
   rest of the input can still write (3 bytes per input byte). */
static int s_line_end(out_t *w, tlx_arena_t *a, size_t rest)
{
    bool mark = w->mark;
    w->mark = w->space = false;
    if (!w->open) {
        w->blank = w->on > 0;
        return 0;
    }
    w->open = false;
    if (!mark)
        return 0;
    size_t lstart = w->lstart;
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t r =
        utf8proc_map((const utf8proc_uint8_t *)w->o + lstart, (utf8proc_ssize_t)(w->on - lstart), &nfc,
                     UTF8PROC_COMPOSE | UTF8PROC_STABLE);
    if (r < 0) { /* cannot happen on valid UTF-8; keep the line as is */
        free(nfc);
        return 0;
    }
    /* NFC may (rarely) lengthen a line: keep room for the rest of the input */
    if (rest > (SIZE_MAX - 16) / 3 - lstart - (size_t)r) {
        free(nfc);
        return TLX_ENOMEM;
    }
    size_t need = lstart + (size_t)r + rest * 3 + 16;
    if (need > w->cap) {
        char *bigger = tlx_arena_alloc(a, need);
        if (!bigger) {
            free(nfc);
            return TLX_ENOMEM;
        }
        memcpy(bigger, w->o, lstart);
        w->o = bigger;
        w->cap = need;
    }
    memcpy(w->o + lstart, nfc, (size_t)r);
    w->on = lstart + (size_t)r;
    free(nfc);
    return 0;
}

/* End of the run at p of printable ASCII (0x20-0x7e) holding no two spaces in
   a row, 8 bytes at a time.  *p is printable ASCII. */
static const unsigned char *s_ascii_end(const unsigned char *p, const unsigned char *end)
{
    const unsigned char *start = p;
    while (end - p >= 8) {
        uint64_t x = tlx_swar_load(p);
        /* high bit of each byte: >= 0x80, < 0x20, == 0x7f (exact once no byte is >= 0x80: no carries) */
        if ((x & TLX_SWAR_HIGH) || (~(x + TLX_SWAR_ONES * 0x60) & TLX_SWAR_HIGH) ||
            ((x + TLX_SWAR_ONES) & TLX_SWAR_HIGH))
            break;
        uint64_t sp = tlx_swar_eq(x, ' ');
        if ((sp & (sp << 8)) || (p > start && p[-1] == ' ' && p[0] == ' ')) /* two spaces in a row */
            break;
        p += 8;
    }
    while (p < end && *p >= 0x20 && *p < 0x7f && !(*p == ' ' && p > start && p[-1] == ' '))
        p++;
    return p;
}

/* Writes a run from s_ascii_end(): at most one space at each end, none doubled inside. */
static void s_put_ascii(out_t *w, const unsigned char *s, size_t n)
{
    if (s[0] == ' ') {
        w->space = w->open;
        s++, n--;
    }
    if (n == 0)
        return;
    bool trail = s[n - 1] == ' ';
    n -= trail;
    s_content(w);
    w->run = 0;
    memcpy(w->o + w->on, s, n);
    w->on += n;
    w->space = trail;
}

bool tlx_norm_has_content(const char *in, size_t len)
{
    const unsigned char *p = (const unsigned char *)in, *end = p + len;
    uint32_t flags = 0;
    while (p < end) {
        if (*p > 0x20 && *p < 0x7f)
            return true;
        if (*p == 0x20) {
            p++;
            continue;
        }
        int32_t cp;
        p += s_decode(p, (size_t)(end - p), &cp);
        if (cp < 0 || s_kind(cp, &flags) == K_KEEP)
            return true;
    }
    return false;
}

int tlx_norm_text(const char *in, size_t len, tlx_arena_t *a, char **out, size_t *out_len, uint32_t *flags)
{
    const unsigned char *p = (const unsigned char *)in, *end = p + len;
    /* one pass: decode and repair, map each code point (removed, space, newline,
       itself), collapse spaces and blank lines, NFC the lines that need it */
    if (len > (SIZE_MAX - 16) / 3)
        return TLX_ENOMEM;
    out_t w = {.cap = len * 3 + 16};
    if (!(w.o = tlx_arena_alloc(a, w.cap)))
        return TLX_ENOMEM;
    int rc;
    while (p < end) {
        if (tlx_deadline_due("normalize", 1))
            return TLX_EAGAIN;
        if (*p >= 0x20 && *p < 0x7f) { /* ASCII fast path */
            const unsigned char *run = p;
            p = s_ascii_end(p, end);
            s_put_ascii(&w, run, (size_t)(p - run));
            continue;
        }
        int32_t cp;
        size_t n = s_decode(p, (size_t)(end - p), &cp);
        if (cp == '\r') { /* CRLF and lone CR -> LF */
            cp = '\n';
            if (p + 1 < end && p[1] == '\n')
                n = 2;
        }
        p += n;
        if (cp < 0) {
            *flags |= TLX_FLAG_UTF8_REPAIRED;
            cp = 0xfffd;
        }
        /* a C1 character right after "â€" is the tail of a mojibake quote: keep it for the repair */
        if (cp >= 0x80 && cp < 0xa0 && w.open && !w.space && w.on - w.lstart >= 5 &&
            memcmp(w.o + w.on - 5, "\xc3\xa2\xe2\x82\xac", 5) == 0) {
            w.on += s_encode(cp, w.o + w.on);
            continue;
        }
        switch (s_kind(cp, flags)) {
        case K_DROP:
            break;
        case K_SPACE:
            w.space = w.open;
            break;
        case K_NL:
            if ((rc = s_line_end(&w, a, (size_t)(end - p))))
                return rc;
            break;
        default:
            if (s_nfc_suspect(cp)) {
                w.mark = true;
                unsigned lead, trail;
                bool all;
                s_nonstarters(cp, &lead, &trail, &all);
                if (!w.open || w.space)
                    w.run = 0; /* a line start or a space is a starter */
                if (lead && w.run + lead > NORM_SAFE_RUN) {
                    w.on += s_encode(0x034f, w.o + w.on); /* 2 bytes: room as for the mark itself */
                    w.run = 0;
                }
                w.run = all ? w.run + lead : trail;
            } else
                w.run = 0;
            s_content(&w);
            w.on += s_encode(cp, w.o + w.on);
        }
    }
    if ((rc = s_line_end(&w, a, 0)))
        return rc;
    char *o = w.o;
    size_t on = w.on;
    o[on] = '\0';
    on = s_fix_mojibake(o, on, flags);
    o[on] = '\0';
    if (!(o = s_restore_apostrophes(a, o, on, &on, flags)))
        return TLX_ENOMEM;
    *out = o;
    *out_len = on;
    return 0;
}
