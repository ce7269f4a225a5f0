/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_ner_tok.c -- CoNLL-style word tokenizer with byte offsets.

    How: one pass over whitespace-separated chunks; each chunk is peeled from
    both ends (quotes, brackets, trailing punctuation, possessive 's) and
    split at dashes.  The result imitates the Penn/CoNLL tokenization the
    tagger was trained on, which matters more for accuracy than linguistic
    purity ("Pyongyang." must be "Pyongyang" + ".").  Byte classes come
    from one 256-entry table, so the scans test one bit per byte (no
    strchr / strlen per byte or per chunk).
    Rejected: a regex tokenizer (slow, a dependency) and Unicode word
    boundaries (UAX #29 keeps "Korea's" as one word, unlike the training data).
*/
#include "tlx_ner_tok.h"

#include <pthread.h>
#include <string.h>

#include "tlx_swar.h"
#include "tlx_wordset.h"

/* Length of the UTF-8 punctuation sequence at p (0 if none). */
static size_t s_upunct(const unsigned char *p, size_t n)
{
    if (n >= 3 && p[0] == 0xE2 && p[1] == 0x80 &&
        (p[2] == 0x98 || p[2] == 0x99 || p[2] == 0x9C || p[2] == 0x9D || p[2] == 0x93 || p[2] == 0x94 ||
         p[2] == 0xA6))
        return 3;
    if (n >= 2 && p[0] == 0xC2 && (p[1] == 0xAB || p[1] == 0xBB))
        return 2;
    return 0;
}

/* Length of the UTF-8 punctuation sequence ending at e (0 if none). */
static size_t s_upunct_end(const unsigned char *b, const unsigned char *e)
{
    if (e - b >= 3 && s_upunct(e - 3, 3) == 3)
        return 3;
    if (e - b >= 2 && s_upunct(e - 2, 2) == 2)
        return 2;
    return 0;
}

/* Byte classes: whitespace (ASCII), the first byte of a no-break space
   (C2 A0), leading and trailing punctuation, and what s_middle() looks at
   (dashes, slashes, the first byte of an en/em dash).  Leading: " ' ( [ { <;
   trailing: " ' ) ] } > , ; : ! ?. */
enum { C_SP = 1, C_C2 = 2, C_LEAD = 4, C_TRAIL = 8, C_MID = 16, C_DOT = 32 };

static const unsigned char s_cls[256] = {[' '] = C_SP,
                                         ['\t'] = C_SP,
                                         ['\n'] = C_SP,
                                         ['\r'] = C_SP,
                                         ['\f'] = C_SP,
                                         ['\v'] = C_SP,
                                         [0xC2] = C_C2,
                                         ['"'] = C_LEAD | C_TRAIL,
                                         ['\''] = C_LEAD | C_TRAIL,
                                         ['('] = C_LEAD,
                                         ['['] = C_LEAD,
                                         ['{'] = C_LEAD,
                                         ['<'] = C_LEAD,
                                         [')'] = C_TRAIL,
                                         [']'] = C_TRAIL,
                                         ['}'] = C_TRAIL,
                                         ['>'] = C_TRAIL,
                                         [','] = C_TRAIL,
                                         [';'] = C_TRAIL,
                                         [':'] = C_TRAIL,
                                         ['!'] = C_TRAIL,
                                         ['?'] = C_TRAIL,
                                         ['.'] = C_DOT,
                                         ['-'] = C_MID,
                                         ['/'] = C_MID,
                                         [0xE2] = C_MID};

/* Whitespace at p (n > 0 bytes left): its width in *w. */
static inline int s_isspace(const unsigned char *p, size_t n, size_t *w)
{
    unsigned char k = s_cls[p[0]];
    if (!(k & (C_SP | C_C2)))
        return 0;
    if (k & C_SP) {
        *w = 1;
        return 1;
    }
    if (n >= 2 && p[1] == 0xA0) {
        *w = 2;
        return 1;
    }
    return 0;
}

/* Words that keep their period ("Mr.", "Jan.", "approx."), in one
   tlx_wordset built once. */
static const char *const s_abbr[] = {"Mr",  "Mrs",  "Ms",   "Dr",   "Jr",     "Sr",  "St",  "Gen",  "Lt",
                                     "Col", "Sgt",  "Capt", "Maj",  "Rep",    "Sen", "Gov", "Inc",  "Corp",
                                     "Ltd", "Co",   "No",   "vs",   "Jan",    "Feb", "Mar", "Apr",  "Jun",
                                     "Jul", "Aug",  "Sep",  "Sept", "Oct",    "Nov", "Dec", "Prof", "Rev",
                                     "Adm", "Cmdr", "Bros", "etc",  "approx", "Mt",  "Ft"};
TLX_WORDSET_STATIC(s_abbr_set, 128, false);
static pthread_once_t s_abbr_once = PTHREAD_ONCE_INIT;

static void s_abbr_init(void)
{
    for (size_t i = 0; i < sizeof s_abbr / sizeof *s_abbr; i++)
        tlx_wordset_put(&s_abbr_set, s_abbr[i], 1);
}

static int s_abbrev(const unsigned char *s, size_t n)
{
    if (n == 1 && ((s[0] | 32) >= 'a' && (s[0] | 32) <= 'z'))
        return 1;
    if (memchr(s, '.', n))
        return 1; /* U.S. , a.m. */
    pthread_once(&s_abbr_once, s_abbr_init);
    return tlx_wordset_get(&s_abbr_set, (const char *)s, n) != 0;
}

static void s_emit(tlx_ner_tok_t *toks, size_t cap, size_t *nt, const char *base, const unsigned char *b,
                   const unsigned char *e)
{
    if (e <= b)
        return;
    if (*nt < cap) {
        toks[*nt].s = (const char *)b;
        toks[*nt].len = (uint32_t)(e - b);
        toks[*nt].off = (uint32_t)((const char *)b - base);
    }
    (*nt)++;
}

/* A slash between letters is a token of its own: photo credits join
   names with it ("REUTERS/Jane Roe/file photo", "Kim Hong-ji/AFP/Getty
   Images"); "1/2" and URLs' "//" stay in one token. */
static int s_name_slash(const unsigned char *b, const unsigned char *p, const unsigned char *e)
{
    if (*p != '/' || p == b || p + 1 >= e)
        return 0;
    unsigned char c = p[-1], d = p[1];
    return (c | 32) >= 'a' && (c | 32) <= 'z' && (d | 32) >= 'a' && (d | 32) <= 'z';
}

/* Emits the middle of a chunk, split at dashes (ASCII "--", en/em dash)
   and at name slashes. */
static void s_chunk(tlx_ner_tok_t *toks, size_t cap, size_t *nt, const char *base, const unsigned char *b,
                    const unsigned char *e, int depth);

/* Parts between dashes are chunks of their own (once: "(Jiji Press)--Japanese"
   peels to "Press" ")" "--" "Japanese"). */
static void s_part(tlx_ner_tok_t *toks, size_t cap, size_t *nt, const char *base, const unsigned char *b,
                   const unsigned char *e, int depth)
{
    if (depth == 0)
        s_chunk(toks, cap, nt, base, b, e, 1);
    else
        s_emit(toks, cap, nt, base, b, e);
}

static void s_middle(tlx_ner_tok_t *toks, size_t cap, size_t *nt, const char *base, const unsigned char *b,
                     const unsigned char *e, int depth)
{
    const unsigned char *start = b, *p = b;
    while (p < e) {
        if (!(s_cls[*p] & C_MID)) {
            p++;
            continue;
        }
        size_t dl = 0;
        if (e - p >= 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x93 || p[2] == 0x94))
            dl = 3;
        else if (e - p >= 2 && p[0] == '-' && p[1] == '-') {
            dl = 2;
            while (p + dl < e && p[dl] == '-')
                dl++;
        } else if (s_name_slash(b, p, e))
            dl = 1;
        if (dl) {
            s_part(toks, cap, nt, base, start, p, depth);
            s_emit(toks, cap, nt, base, p, p + dl);
            p += dl;
            start = p;
        } else
            p++;
    }
    if (start == b)
        s_emit(toks, cap, nt, base, start, e);
    else
        s_part(toks, cap, nt, base, start, e, depth);
}

static void s_chunk(tlx_ner_tok_t *toks, size_t cap, size_t *nt, const char *base, const unsigned char *b,
                    const unsigned char *e, int depth)
{
    /* leading punctuation */
    while (b < e) {
        size_t ul = s_upunct(b, (size_t)(e - b));
        if (ul) {
            s_emit(toks, cap, nt, base, b, b + ul);
            b += ul;
        } else if (s_cls[*b] & C_LEAD) {
            s_emit(toks, cap, nt, base, b, b + 1);
            b++;
        } else
            break;
    }
    /* trailing punctuation, collected right to left, emitted in order after */
    const unsigned char *tb[64], *te[64];
    int ntr = 0;
    while (e > b && ntr < 62) {
        size_t ul = s_upunct_end(b, e);
        if (ul) {
            /* ’s possessive */
            tb[ntr] = e - ul;
            te[ntr++] = e;
            e -= ul;
            continue;
        }
        unsigned char c = e[-1];
        if (s_cls[c] & C_TRAIL) {
            tb[ntr] = e - 1;
            te[ntr++] = e;
            e--;
            continue;
        }
        if (c == '.') {
            const unsigned char *d = e;
            while (d > b && d[-1] == '.')
                d--;
            if (e - d == 1 && d > b && s_abbrev(b, (size_t)(d - b)))
                break; /* abbreviation keeps its period */
            tb[ntr] = d;
            te[ntr++] = e;
            e = d;
            continue;
        }
        break;
    }
    /* possessive 's / ’s (not for a bare "'s") */
    if (e - b > 2 && (e[-1] == 's' || e[-1] == 'S')) {
        if (e[-2] == '\'') {
            tb[ntr] = e - 2;
            te[ntr++] = e;
            e -= 2;
        } else if (e - b > 4 && e[-4] == 0xE2 && e[-3] == 0x80 && e[-2] == 0x99) {
            tb[ntr] = e - 4;
            te[ntr++] = e;
            e -= 4;
        }
    }
    s_middle(toks, cap, nt, base, b, e, depth);
    while (ntr > 0) {
        ntr--;
        s_emit(toks, cap, nt, base, tb[ntr], te[ntr]);
    }
}

/* A chunk s_chunk() would emit whole: no dash, slash, curly quote or
   no-break-space lead byte inside (`acc`: its bytes' classes), no leading
   or trailing punctuation, no final period, no possessive 's. */
static inline int s_plain(const unsigned char *b, const unsigned char *e, unsigned acc)
{
    return !(acc & (C_MID | C_C2)) && !(s_cls[b[0]] & C_LEAD) && !(s_cls[e[-1]] & (C_TRAIL | C_DOT)) &&
           !(e - b > 2 && (e[-1] | 32) == 's' && e[-2] == '\'');
}

size_t tlx_ner_tok_split(const char *text, size_t len, tlx_ner_tok_t *toks, size_t cap)
{
    const unsigned char *p = (const unsigned char *)text, *end = p + len;
    size_t nt = 0;
    while (p < end) {
        size_t w;
        if (s_isspace(p, (size_t)(end - p), &w)) {
            p += w;
            continue;
        }
        const unsigned char *b = p;
        unsigned acc = 0; /* the classes of the chunk's bytes (s_plain reads C_MID and C_C2) */
        /* eight bytes at a time while they last: where whitespace may
           start (a byte up to ' ', or C2: s_isspace decides), and whether
           a dash, slash, E2 or C2 byte comes before it, without a branch
           per byte */
        while (end - p >= 8) {
            uint64_t x = tlx_swar_load(p);
            uint64_t sp = tlx_swar_lt(x, 0x21) | tlx_swar_eq(x, 0xC2);
            uint64_t mid =
                tlx_swar_eq(x, '-') | tlx_swar_eq(x, '/') | tlx_swar_eq(x, 0xE2) | tlx_swar_eq(x, 0xC2);
            if (!sp) {
                if (mid)
                    acc |= C_MID;
                p += 8;
                continue;
            }
            unsigned k = (unsigned)__builtin_ctzll(sp) >> 3; /* the first such byte */
            if (mid & (((uint64_t)1 << (8 * k)) - 1))
                acc |= C_MID;
            p += k;
            if (s_isspace(p, (size_t)(end - p), &w))
                goto chunk_end;
            acc |= s_cls[*p]; /* a control byte or a C2 of another character: part of the chunk */
            p++;
        }
        while (p < end) {
            unsigned k = s_cls[*p];
            if ((k & (C_SP | C_C2)) && s_isspace(p, (size_t)(end - p), &w))
                break;
            acc |= k;
            p++;
        }
    chunk_end:
        if (s_plain(b, p, acc))
            s_emit(toks, cap, &nt, text, b, p);
        else
            s_chunk(toks, cap, &nt, text, b, p, 0);
    }
    return nt;
}
