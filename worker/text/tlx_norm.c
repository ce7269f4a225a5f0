/*  tlx_norm.c -- normalization (see tlx_norm.h).

    Two linear passes.  Pass 1 decodes and repairs UTF-8 and maps every code
    point to what it becomes (removed, space, newline, itself), noting
    whether the line may change under NFC.  Pass 2 collapses whitespace line
    by line and, only for lines that were marked, runs utf8proc's NFC on
    that line alone.  Rejected: running utf8proc_map over the whole text
    (it allocates and walks every character even for ASCII, which is most
    of the input), and a hand-written NFC (the Unicode tables belong in a
    library).
*/
#include "tlx_norm.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "tlx_error.h"
#include "tlx_record.h"

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

enum { K_DROP, K_SPACE, K_NL, K_KEEP };

static int s_kind(int32_t cp, uint32_t *flags)
{
    if (cp >= 0x20 && cp < 0x7f)
        return K_KEEP;
    switch (cp) {
    case '\n': return K_NL;
    case '\t': return K_SPACE;
    case 0x85:
    case 0x2028:
    case 0x2029: return K_NL;
    case 0xa0:
    case 0x1680:
    case 0x202f:
    case 0x205f:
    case 0x3000: return K_SPACE;
    case 0x200b:
    case 0x2060:
    case 0xfeff:
    case 0xad: return K_DROP;
    default: break;
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

/* Replaces the sequences above in place (the repair is never longer). */
static size_t s_fix_mojibake(char *t, size_t n, uint32_t *flags)
{
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        if ((unsigned char)t[i] == 0xc3 && i + 1 < n) {
            size_t k = 0;
            for (; k < sizeof s_mojibake / sizeof *s_mojibake; k++) {
                size_t bl = strlen(s_mojibake[k].bad);
                if (bl <= n - i && memcmp(t + i, s_mojibake[k].bad, bl) == 0) {
                    size_t gl = strlen(s_mojibake[k].good);
                    memmove(t + w, s_mojibake[k].good, gl);
                    w += gl;
                    i += bl;
                    *flags |= TLX_FLAG_MOJIBAKE_FIXED;
                    break;
                }
            }
            if (k < sizeof s_mojibake / sizeof *s_mojibake)
                continue;
        }
        t[w++] = t[i++];
    }
    return w;
}

/* ---- lost apostrophes ---------------------------------------------------------
   Contractions whose apostrophe-less form is not an English word, and
   possessives of names the article itself uses ("Kim Jong Uns" when "Kim Jong
   Un" appears; "Daily NKs" when "Daily NK" appears).  Not after "two", "both",
   "the": "the two Koreas" is a plural. */
static const char *const s_contractions[][2] = {
    {"dont", "don't"},       {"doesnt", "doesn't"},   {"didnt", "didn't"},   {"isnt", "isn't"},
    {"wasnt", "wasn't"},     {"arent", "aren't"},     {"werent", "weren't"}, {"couldnt", "couldn't"},
    {"wouldnt", "wouldn't"}, {"shouldnt", "shouldn't"}, {"hasnt", "hasn't"}, {"havent", "haven't"},
    {"hadnt", "hadn't"},     {"mustnt", "mustn't"},   {"cant", "can't"},     {"wont", "won't"},
    {"theyre", "they're"},   {"youre", "you're"},     {"theyve", "they've"}, {"youve", "you've"},
    {"weve", "we've"},       {"ive", "I've"},         {"id", NULL}, /* "id" stays: ambiguous */
};

static int s_is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* Is `w` (len n) a standalone word somewhere in t? */
static int s_word_in(const char *t, size_t tn, const char *w, size_t n)
{
    for (const char *p = t; (p = memmem(p, (size_t)(t + tn - p), w, n)); p++) {
        if ((p == t || !s_is_word_byte((unsigned char)p[-1])) &&
            (p + n == t + tn || !s_is_word_byte((unsigned char)p[n])))
            return 1;
    }
    return 0;
}

/* Capitalized words ending in "s" that are English words, not possessives. */
static int s_pronoun_like(const char *w, size_t l)
{
    static const char *const words[] = {"Its", "Is", "As", "Us", "His", "Hers", "Ours", "Yours", "Theirs", "Was",
                                        "Has", "Does", "Goes", "News", "Says", "Yes", "Thus", "Plus", "Less", "This"};
    for (size_t k = 0; k < sizeof words / sizeof *words; k++)
        if (strlen(words[k]) == l && strncmp(w, words[k], l) == 0)
            return 1;
    return 0;
}

static char *s_restore_apostrophes(tlx_arena_t *a, const char *t, size_t n, size_t *out_n, uint32_t *flags)
{
    /* output can grow by one byte per restored word: at most n/2 of them */
    char *o = tlx_arena_alloc(a, n + n / 2 + 2);
    if (!o)
        return NULL;
    size_t w = 0, i = 0;
    const char *prev = NULL;
    size_t prevn = 0;
    unsigned checked_names = 0; /* each check scans the text: at most 256 checks, texts <= 256 KiB */
    while (i < n) {
        if (!s_is_word_byte((unsigned char)t[i])) {
            o[w++] = t[i++];
            continue;
        }
        size_t st = i;
        while (i < n && s_is_word_byte((unsigned char)t[i]))
            i++;
        size_t l = i - st;
        const char *word = t + st;
        int done = 0;
        char last = (char)(word[l - 1] | 32);
        /* every contraction above ends in "nt", "re" or "ve": skip the table for other words */
        if (l >= 3 && l <= 9 && ((last == 't' && (word[l - 2] | 32) == 'n') ||
                                 (last == 'e' && ((word[l - 2] | 32) == 'r' || (word[l - 2] | 32) == 'v')))) {
            for (size_t k = 0; k < sizeof s_contractions / sizeof *s_contractions && !done; k++) {
                const char *c = s_contractions[k][0];
                if (!s_contractions[k][1] || strlen(c) != l || strncasecmp(word, c, l) != 0)
                    continue;
                const char *r = s_contractions[k][1];
                size_t rl = strlen(r);
                memcpy(o + w, r, rl);
                if (word[0] >= 'A' && word[0] <= 'Z')
                    o[w] = (char)(o[w] - 32 * (o[w] >= 'a' && o[w] <= 'z'));
                w += rl;
                done = 1;
                *flags |= TLX_FLAG_APOSTROPHES_RESTORED;
            }
        }
        /* possessive of a name used elsewhere in the article (bounded work per article) */
        if (!done && l >= 3 && word[l - 1] == 's' && word[l - 2] != 's' && word[l - 2] != '\'' &&
            ((word[0] >= 'A' && word[0] <= 'Z') && (word[l - 2] < 'a' || word[l - 2] > 'z' ||
                                                    (word[1] >= 'a' && word[1] <= 'z'))) &&
            !(prev && ((prevn == 3 && strncasecmp(prev, "two", 3) == 0) ||
                       (prevn == 4 && strncasecmp(prev, "both", 4) == 0) ||
                       (prevn == 3 && strncasecmp(prev, "the", 3) == 0))) &&
            !s_pronoun_like(word, l) && i < n && (t[i] == ' ' || t[i] == ']' || t[i] == ')') &&
            n <= (256u << 10) && checked_names++ < 256 && s_word_in(t, n, word, l - 1) &&
            !s_word_in(t, st, word, l)) {
            memcpy(o + w, word, l - 1);
            w += l - 1;
            o[w++] = '\'';
            o[w++] = 's';
            done = 1;
            *flags |= TLX_FLAG_APOSTROPHES_RESTORED;
        }
        if (!done) {
            memcpy(o + w, word, l);
            w += l;
        }
        prev = word;
        prevn = l;
    }
    o[w] = '\0';
    *out_n = w;
    return o;
}

int tlx_norm_text(const char *in, size_t len, tlx_arena_t *a, char **out, size_t *out_len, uint32_t *flags)
{
    const unsigned char *p = (const unsigned char *)in, *end = p + len;
    /* pass 1: repaired, mapped text; '\n' line ends; per-line NFC marks
       are recorded as a 0x01 byte at the start of the line (0x01 cannot
       survive pass 1 otherwise: it is a control character) */
    if (len > (SIZE_MAX - 16) / 3)
        return TLX_ENOMEM;
    char *t = tlx_arena_alloc(a, len * 3 + 16);
    if (!t)
        return TLX_ENOMEM;
    size_t tn = 0, line_start = 0;
    t[tn++] = 0; /* placeholder for the first line's mark */
    while (p < end) {
        if (*p >= 0x20 && *p < 0x7f) { /* ASCII fast path */
            const unsigned char *run = p;
            while (p < end && *p >= 0x20 && *p < 0x7f)
                p++;
            memcpy(t + tn, run, (size_t)(p - run));
            tn += (size_t)(p - run);
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
        if (cp >= 0x80 && cp < 0xa0 && tn >= 5 && memcmp(t + tn - 5, "\xc3\xa2\xe2\x82\xac", 5) == 0) {
            tn += s_encode(cp, t + tn);
            continue;
        }
        switch (s_kind(cp, flags)) {
        case K_DROP: break;
        case K_SPACE: t[tn++] = ' '; break;
        case K_NL:
            t[tn++] = '\n';
            line_start = tn;
            t[tn++] = 0;
            break;
        default:
            if (s_nfc_suspect(cp))
                t[line_start] = 1;
            tn += s_encode(cp, t + tn);
        }
    }

    /* pass 2: per line, trim and collapse spaces, NFC when marked; blank line runs -> one */
    size_t ocap = tn + 2;
    char *o = tlx_arena_alloc(a, ocap);
    if (!o)
        return TLX_ENOMEM;
    size_t on = 0;
    int pending_blank = 0;
    size_t i = 0;
    while (i < tn) {
        bool mark = t[i] == 1;
        size_t s = i + 1, e = s;
        while (e < tn && t[e] != '\n')
            e++;
        i = e + 1; /* next line's mark byte (past the '\n') */
        while (s < e && t[s] == ' ')
            s++;
        while (e > s && t[e - 1] == ' ')
            e--;
        if (s == e) {
            pending_blank = on > 0;
            continue;
        }
        if (on > 0)
            o[on++] = '\n';
        if (pending_blank)
            o[on++] = '\n';
        pending_blank = 0;
        size_t lstart = on;
        for (size_t j = s; j < e; j++) {
            if (t[j] == ' ' && on > lstart && o[on - 1] == ' ')
                continue;
            o[on++] = t[j];
        }
        if (!mark)
            continue;
        utf8proc_uint8_t *nfc = NULL;
        utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)o + lstart, (utf8proc_ssize_t)(on - lstart),
                                          &nfc, UTF8PROC_COMPOSE | UTF8PROC_STABLE);
        if (r < 0) { /* cannot happen on valid UTF-8; keep the line as is */
            free(nfc);
            continue;
        }
        /* NFC may (rarely) lengthen a line: keep room for the rest of the input */
        size_t need = lstart + (size_t)r + (tn - (i < tn ? i : tn)) + 2;
        if (need > ocap) {
            char *bigger = tlx_arena_alloc(a, need * 2);
            if (!bigger) {
                free(nfc);
                return TLX_ENOMEM;
            }
            memcpy(bigger, o, lstart);
            o = bigger;
            ocap = need * 2;
        }
        memcpy(o + lstart, nfc, (size_t)r);
        on = lstart + (size_t)r;
        free(nfc);
    }
    o[on] = '\0';
    on = s_fix_mojibake(o, on, flags);
    o[on] = '\0';
    if (!(o = s_restore_apostrophes(a, o, on, &on, flags)))
        return TLX_ENOMEM;
    *out = o;
    *out_len = on;
    return 0;
}
