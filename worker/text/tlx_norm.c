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
    *out = o;
    *out_len = on;
    return 0;
}
