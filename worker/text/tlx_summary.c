/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_summary.c -- lead summary, sentence split, Flesch (see tlx_summary.h).

    How: lines of the body are classified once (caption, byline, credit,
    heading, or prose); the lead is the first prose sentences that fit the
    word budget; Flesch counts words, sentences and syllables over prose
    lines in the same pass.  The sentence splitter is a byte scan with an
    abbreviation list, used only when the structure stage supplied no
    sentence spans.
    Rejected: extractive summarisers that rank sentences (TextRank,
    centroid): for news the lead is the editor's own summary and beats them
    on ROUGE against human abstracts, at a tiny fraction of the cost;
    dictionary syllable counts (CMUdict: 3 MB for a readability score that
    is an estimate anyway).
*/
#include "tlx_summary.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tlx_error.h"
#include "tlx_swar.h"

static inline bool s_letter(unsigned char c)
{
    return (c | 32) >= 'a' && (c | 32) <= 'z';
}
static inline bool s_upper(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}

static bool s_abbrev(const char *b, size_t dot)
{
    static const char *const ab[] = {
        "Mr",  "Mrs", "Ms", "Dr",   "St",  "Jr",  "Sr",  "Prof", "Gen", "Col", "Lt",   "Sgt",  "Capt", "Gov",
        "Rep", "Sen", "No", "Jan",  "Feb", "Mar", "Apr", "Jun",  "Jul", "Aug", "Sep",  "Sept", "Oct",  "Nov",
        "Dec", "Inc", "Co", "Corp", "vs",  "Vol", "Fig", "Gov",  "Adm", "Maj", "Brig", NULL};
    size_t s = dot;
    while (s > 0 && s_letter((unsigned char)b[s - 1]) && dot - s < 6)
        s--;
    size_t n = dot - s;
    if (n == 0 || n > 4) /* none above is longer than 4 letters */
        return false;
    if (n == 1 && s_upper((unsigned char)b[s]))
        return true; /* initial or U.S. */
    for (const char *const *a = ab; *a; a++)
        if ((*a)[0] == b[s] && strlen(*a) == n && memcmp(*a, b + s, n) == 0)
            return true;
    return false;
}

/* Length of a crawl placeholder at b[i] ("[imText1]", "[img2]": a
   bracketed word with a digit or an inner capital), else 0.  Editorial
   insertions ("[boosting]") and tags ("[KICKER]") are not placeholders. */
static size_t s_placeholder(const char *b, size_t i, size_t e)
{
    if (b[i] != '[')
        return 0;
    bool digit = false, camel = false;
    size_t j = i + 1;
    for (; j < e && j - i <= 24; j++) {
        unsigned char c = (unsigned char)b[j];
        if (c == ']')
            break;
        if (c >= '0' && c <= '9')
            digit = true;
        else if (s_upper(c) && j > i + 1 && b[j - 1] >= 'a' && b[j - 1] <= 'z')
            camel = true;
        else if (!s_letter(c) && c != '_')
            return 0;
    }
    if (j >= e || b[j] != ']' || j - i < 3 || !(digit || camel) || !s_letter((unsigned char)b[i + 1]))
        return 0;
    return j + 1 - i;
}

/* Appends b[s..e) to o at *n: line breaks as spaces, placeholders left out. */
static void s_copy(char *o, size_t *n, const char *b, size_t s, size_t e)
{
    size_t k = *n;
    for (size_t i = s; i < e; i++) {
        size_t pl = s_placeholder(b, i, e);
        if (pl) {
            i += pl - 1;
            while (i + 1 < e && b[i + 1] == ' ')
                i++;
            continue;
        }
        o[k++] = b[i] == '\n' ? ' ' : b[i];
    }
    while (k > *n && o[k - 1] == ' ')
        k--;
    *n = k;
}

static bool s_closer(const char *b, size_t i, size_t len, size_t *n)
{
    unsigned char c = (unsigned char)b[i];
    if (c == '"' || c == '\'' || c == ')' || c == ']') {
        *n = 1;
        return true;
    }
    if (c == 0xe2 && i + 2 < len && (unsigned char)b[i + 1] == 0x80 &&
        ((unsigned char)b[i + 2] == 0x9d || (unsigned char)b[i + 2] == 0x99)) {
        *n = 3;
        return true;
    }
    return false;
}

typedef struct {
    tlx_span_t *v;
    uint32_t n, cap;
} spanv_t;

static int s_push(tlx_arena_t *a, spanv_t *sv, const char *b, size_t s, size_t e)
{
    while (s < e && (b[s] == ' ' || b[s] == '\n'))
        s++;
    while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\n'))
        e--;
    if (e <= s)
        return 0;
    tlx_span_t *v = tlx_arena_grow(a, sv->v, sv->n, &sv->cap, sizeof *v, 32);
    if (!v)
        return TLX_ENOMEM;
    sv->v = v;
    sv->v[sv->n].start = (uint32_t)s;
    sv->v[sv->n].end = (uint32_t)e;
    sv->n++;
    return 0;
}

int tlx_summary_sentences(const char *body, size_t len, tlx_arena_t *arena, tlx_span_t **out, uint32_t *n)
{
    *out = NULL;
    *n = 0;
    if (!body || len == 0)
        return 0;
    if (len > UINT32_MAX)
        len = UINT32_MAX;
    spanv_t sv = {0};
    size_t s = 0;
    for (size_t i = 0; i < len; i++) {
        /* to the next line end or sentence mark, 8 bytes at a time */
        for (uint64_t x; i + 8 <= len; i += 8) {
            x = tlx_swar_load(body + i);
            if (tlx_swar_eq(x, '\n') | tlx_swar_eq(x, '.') | tlx_swar_eq(x, '!') | tlx_swar_eq(x, '?'))
                break;
        }
        if (i >= len)
            break;
        char c = body[i];
        if (c == '\n') {
            if (s_push(arena, &sv, body, s, i))
                return TLX_ENOMEM;
            s = i + 1;
            continue;
        }
        if (c != '.' && c != '!' && c != '?')
            continue;
        if (c == '.' && s_abbrev(body, i))
            continue;
        size_t e = i + 1, cl;
        while (e < len && s_closer(body, e, len, &cl))
            e += cl;
        if (e < len && body[e] != ' ' && body[e] != '\n')
            continue;
        size_t k = e;
        while (k < len && body[k] == ' ')
            k++;
        if (k < len && body[k] != '\n') {
            unsigned char nc = (unsigned char)body[k];
            if (!(s_upper(nc) || (nc >= '0' && nc <= '9') || nc == '"' || nc == '\'' || nc >= 0x80 ||
                  nc == '('))
                continue;
        }
        if (s_push(arena, &sv, body, s, e))
            return TLX_ENOMEM;
        s = e;
        i = e - 1;
    }
    if (s_push(arena, &sv, body, s, len))
        return TLX_ENOMEM;
    *out = sv.v;
    *n = sv.n;
    return 0;
}

/* Byte classes: a letter or digit (word byte), and a vowel (a e i o u y,
   either case).  A table load and no branch per letter: the
   vowel/consonant alternation mispredicted a branch on most letters. */
enum { S_WB = 1, S_VOW = 2 };
#define S_WCLASS(c)                                                                                          \
    (((c) | 32) == 'a' || ((c) | 32) == 'e' || ((c) | 32) == 'i' || ((c) | 32) == 'o' ||                     \
             ((c) | 32) == 'u' || ((c) | 32) == 'y'                                                          \
         ? S_WB | S_VOW                                                                                      \
     : ((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z') || ((c) >= '0' && (c) <= '9') ? S_WB         \
                                                                                              : 0)
static const uint8_t s_wclass[256] = {TLX_BYTE_TABLE(S_WCLASS)};
#undef S_WCLASS

/* The syllables of a word w[0..n) whose vowel groups counted `count`: a
   silent final 'e' (not after 'l') takes one off, and a word has one at
   least. */
static inline unsigned s_syl_end(const char *w, size_t n, unsigned count)
{
    if (n > 2 && (w[n - 1] | 32) == 'e' && (w[n - 2] | 32) != 'l' && count > 1)
        count--;
    return count ? count : 1;
}

unsigned tlx_summary_syllables(const char *w, size_t n)
{
    unsigned count = 0, prev_v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned v = s_wclass[(unsigned char)w[i]] >> 1;
        count += v & ~prev_v; /* a vowel after a non-vowel starts a syllable */
        prev_v = v;
    }
    return s_syl_end(w, n, count);
}

/* Words of b[s..e) (counting stops at `max`), their syllables added to *syl
   (tlx_summary_syllables of each word, counted in the same pass: one loop
   exit per word instead of two). */
static size_t s_words(const char *b, size_t s, size_t e, size_t *syl, size_t max)
{
    size_t n = 0;
    size_t i = s;
    while (i < e && n < max) {
        while (i < e && !(s_wclass[(unsigned char)b[i]] & S_WB))
            i++;
        if (i >= e)
            break;
        size_t ws = i;
        unsigned count = 0, prev_v = 0;
        for (; i < e; i++) {
            unsigned k = s_wclass[(unsigned char)b[i]];
            if (k & S_WB) {
                unsigned v = k >> 1; /* a vowel after a non-vowel starts a syllable */
                count += v & ~prev_v;
                prev_v = v;
            } else if ((b[i] == '\'' || b[i] == '-') && i + 1 < e && s_letter((unsigned char)b[i + 1])) {
                prev_v = 0;
            } else {
                break;
            }
        }
        n++;
        if (syl)
            *syl += s_syl_end(b + ws, i - ws, count);
    }
    return n;
}

static inline unsigned char s_fold(unsigned char c)
{
    return s_upper(c) ? (unsigned char)(c + 32) : c;
}

static bool s_starts(const char *b, size_t s, size_t e, const char *p)
{
    if (s_fold((unsigned char)b[s]) != s_fold((unsigned char)p[0])) /* most prefixes differ at once */
        return false;
    size_t l = strlen(p);
    return e - s >= l && strncasecmp(b + s, p, l) == 0;
}

/* b[s..e) holds " | " (a bar between spaces: a navigation or title line)
   or "Image:"; memchr to the rare byte of each instead of memmem. */
static bool s_bar_or_image(const char *b, size_t s, size_t e)
{
    for (const char *p = b + s, *end = b + e; (p = memchr(p, '|', (size_t)(end - p))) != NULL; p++)
        if (p > b + s && p + 1 < end && p[-1] == ' ' && p[1] == ' ')
            return true;
    for (const char *p = b + s, *end = b + e;
         end - p >= 6 && (p = memchr(p, 'I', (size_t)(end - p - 5))) != NULL; p++)
        if (memcmp(p, "Image:", 6) == 0)
            return true;
    return false;
}

/* True when line b[s..e) (trimmed) is prose, not caption/byline/credit/heading. */
static bool s_prose(const char *b, size_t s, size_t e, const tlx_caption_t *caps, uint32_t ncaps)
{
    if (e <= s)
        return false;
    static const char *const pre[] = {
        "*",          "Translated by", "Edited by", "Read in Korean", "Please send", "Advertisements",
        "FILE PHOTO", "Image:",        "Photo:",    "Copyright",      "(C)",         "\xc2\xa9",
        NULL};
    for (const char *const *p = pre; *p; p++)
        if (s_starts(b, s, e, *p))
            return false;
    if (s_bar_or_image(b, s, e))
        return false;
    for (uint32_t k = 0; k < ncaps; k++) {
        const char *c = caps[k].text;
        if (!c)
            continue;
        size_t cl = strlen(c);
        if (cl >= 8 && cl <= e - s && memcmp(b + s, c, cl < 40 ? cl : 40) == 0)
            return false;
    }
    unsigned char last = (unsigned char)b[e - 1];
    if (last == ')')
        return false;
    bool term = last == '.' || last == '!' || last == '?' || last == '"' || last == '\'' ||
                (e - s >= 3 && (unsigned char)b[e - 3] == 0xe2 && (unsigned char)b[e - 2] == 0x80 &&
                 ((unsigned char)b[e - 1] == 0x9d || (unsigned char)b[e - 1] == 0x99));
    if (!term)
        return false;
    if (s_words(b, s, e, NULL, 5) < 5)
        return false;
    return true;
}

int tlx_summary_lead(const char *body, size_t len, const tlx_span_t *sentences, uint32_t nsentences,
                     const tlx_caption_t *caps, uint32_t ncaps, tlx_arena_t *arena, const char **summary,
                     double *flesch)
{
    *summary = NULL;
    if (flesch)
        *flesch = 0;
    if (!body || len == 0)
        return 0;
    if (len > UINT32_MAX)
        len = UINT32_MAX;
    tlx_span_t *own = NULL;
    if (!sentences) {
        int rc = tlx_summary_sentences(body, len, arena, &own, &nsentences);
        if (rc)
            return rc;
        sentences = own;
    }
    /* chosen sentences for the lead */
    uint32_t pick[TLX_SUMMARY_MAX_SENTENCES];
    size_t pick_words[TLX_SUMMARY_MAX_SENTENCES];
    uint32_t npick = 0;
    size_t lead_words = 0;
    bool lead_done = false;
    size_t tw = 0, ts = 0, tsyl = 0;
    size_t line_s = SIZE_MAX, line_e = 0;
    bool line_ok = false;
    for (uint32_t k = 0; k < nsentences; k++) {
        size_t s = sentences[k].start, e = sentences[k].end;
        if (e > len || s >= e)
            continue;
        if (s >= line_e || line_s == SIZE_MAX) {
            /* the line holding this sentence */
            line_s = s;
            while (line_s > 0 && body[line_s - 1] != '\n')
                line_s--;
            const char *nl = memchr(body + s, '\n', len - s);
            line_e = nl ? (size_t)(nl - body) : len;
            size_t a = line_s, z = line_e;
            while (a < z && body[a] == ' ')
                a++;
            while (z > a && body[z - 1] == ' ')
                z--;
            line_ok = s_prose(body, a, z, caps, ncaps);
        }
        if (!line_ok)
            continue;
        size_t syl = 0;
        size_t w = s_words(body, s, e, &syl, SIZE_MAX);
        if (!w)
            continue;
        tw += w, ts++, tsyl += syl;
        if (lead_done)
            continue;
        if (npick == 0 || lead_words + w <= TLX_SUMMARY_MAX_WORDS) {
            pick[npick] = k;
            pick_words[npick] = w;
            npick++;
            lead_words += w;
            if (npick == TLX_SUMMARY_MAX_SENTENCES || lead_words >= TLX_SUMMARY_MAX_WORDS)
                lead_done = true;
        } else {
            lead_done = true;
        }
    }
    if (flesch && tw && ts)
        *flesch = 206.835 - 1.015 * ((double)tw / (double)ts) - 84.6 * ((double)tsyl / (double)tw);
    if (!npick)
        return 0;
    size_t cap = 8;
    for (uint32_t k = 0; k < npick; k++)
        cap += sentences[pick[k]].end - sentences[pick[k]].start + 1;
    char *o = tlx_arena_alloc(arena, cap);
    if (!o)
        return TLX_ENOMEM;
    size_t n = 0;
    for (uint32_t k = 0; k < npick; k++) {
        size_t s = sentences[pick[k]].start, e = sentences[pick[k]].end;
        if (k && n)
            o[n++] = ' ';
        if (pick_words[k] > TLX_SUMMARY_MAX_WORDS) {
            /* cut after the 60th word */
            size_t words = 0, i = s;
            bool in = false;
            for (; i < e; i++) {
                bool wc = s_letter((unsigned char)body[i]) || (body[i] >= '0' && body[i] <= '9') ||
                          (unsigned char)body[i] >= 0x80 || body[i] == '\'' || body[i] == '-' ||
                          body[i] == ',';
                if (wc && !in && ++words > TLX_SUMMARY_MAX_WORDS)
                    break;
                in = wc;
            }
            s_copy(o, &n, body, s, i);
            memcpy(o + n, "...", 3);
            n += 3;
            break;
        }
        s_copy(o, &n, body, s, e);
    }
    o[n] = '\0';
    *summary = o;
    return 0;
}
