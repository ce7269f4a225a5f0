/*  tlx_structure.c -- article structure (see tlx_structure.h).

    One pass over the lines of the normalized text classifies each line by
    its shape and position: a lower-case tag line at the very top, photo
    captions (credit words in a trailing parenthesis, "Image:", "FILE
    PHOTO:"), a byline ("Name | date", "By Name"), translator/editor
    credits, rule-matched site boilerplate, short unpunctuated lines
    between body paragraphs (subheadings), the headline (the first short
    line of the head that is not prose), and body paragraphs.  Every line
    of the body becomes one paragraph.  Sentences come from the summary
    module's splitter (abbreviations, initials, quotes), so every stage
    agrees on them.  Rejected: a trained layout model (no labelled layouts
    to train on; rules are inspectable and the per-source files let an
    operator fix a site without a release).
*/
#include "tlx_structure.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tlx_boiler.h"
#include "tlx_error.h"
#include "tlx_summary.h"
#include "tlx_swar.h"
#include "tlx_tz.h"

/* ---- rules (loaded by tlx_boiler.c) ---------------------------------------- */

/* ASCII lower case (what strncasecmp does in the C locale), inline. */
static inline int s_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int s_icase_prefix(const char *s, size_t len, const char *p)
{
    size_t pl = strlen(p);
    return pl <= len && strncasecmp(s, p, pl) == 0;
}

/* Case-insensitive strstr: the first two bytes of p are looked for 8
   positions at a time (letters folded with | 0x20), strncasecmp only where
   they match, one position in hundreds of prose. */
static int s_icase_contains(const char *s, size_t len, const char *p)
{
    size_t pl = strlen(p);
    if (!pl || pl > len)
        return 0;
    if (pl == 1) {
        for (size_t i = 0; i < len; i++)
            if (s_lower((unsigned char)s[i]) == s_lower((unsigned char)p[0]))
                return 1;
        return 0;
    }
    unsigned char c0 = (unsigned char)s_lower((unsigned char)p[0]),
                  c1 = (unsigned char)s_lower((unsigned char)p[1]);
    uint64_t f0 = c0 >= 'a' && c0 <= 'z' ? TLX_SWAR_ONES * 0x20 : 0,
             f1 = c1 >= 'a' && c1 <= 'z' ? TLX_SWAR_ONES * 0x20 : 0;
    size_t i = 0, last = len - pl;  /* the last position p can start at */
    for (; i + 8 <= last; i += 8) { /* s[i + 8] exists: it is before the last position's end */
        uint64_t x = tlx_swar_load(s + i);
        uint64_t next = s_lower((unsigned char)s[i + 8]) == c1;
        uint64_t m = tlx_swar_eq(x | f0, c0) & (tlx_swar_eq(x | f1, c1) >> 8 | next << 63);
        for (size_t k = 0; m; k++, m >>= 8)
            if ((m & 0x80) && strncasecmp(s + i + k, p, pl) == 0)
                return 1;
    }
    for (; i <= last; i++)
        if (s_lower((unsigned char)s[i]) == c0 && strncasecmp(s + i, p, pl) == 0)
            return 1;
    return 0;
}

static int s_rule_match(const tlx_boiler_rules_t *r, const char *source, const char *s, size_t len)
{
    for (size_t i = 0; r && i < r->n; i++) {
        const tlx_boiler_rule_t *ru = &r->v[i];
        if (ru->source[0] && (!source || strcasecmp(ru->source, source) != 0))
            continue;
        /* exact and prefix rules: the first letter rules most lines out */
        if (ru->kind != TLX_BOILER_CONTAINS && ru->text[0] && len &&
            s_lower((unsigned char)ru->text[0]) != s_lower((unsigned char)s[0]))
            continue;
        size_t tl = strlen(ru->text);
        if ((ru->kind == TLX_BOILER_EXACT && tl == len && strncasecmp(s, ru->text, len) == 0) ||
            (ru->kind == TLX_BOILER_PREFIX && s_icase_prefix(s, len, ru->text)) ||
            (ru->kind == TLX_BOILER_CONTAINS && len < 2000 && s_icase_contains(s, len, ru->text)))
            return 1;
    }
    return 0;
}

/* ---- dates --------------------------------------------------------------------- */

static const char *const s_months[12] = {"jan", "feb", "mar", "apr", "may", "jun",
                                         "jul", "aug", "sep", "oct", "nov", "dec"};

static int s_month_word(const char *s, size_t len, size_t *used)
{
    size_t w = 0;
    while (w < len && isalpha((unsigned char)s[w]))
        w++;
    if (w < 3)
        return 0;
    static const char *const full[12] = {"january", "february", "march",     "april",   "may",      "june",
                                         "july",    "august",   "september", "october", "november", "december"};
    for (int m = 0; m < 12; m++)
        if ((w == 3 && strncasecmp(s, s_months[m], 3) == 0) || (w == strlen(full[m]) && strncasecmp(s, full[m], w) == 0) ||
            (w == 4 && m == 8 && strncasecmp(s, "sept", 4) == 0)) {
            *used = w + (w < len && s[w] == '.');
            return m + 1;
        }
    return 0;
}

static int s_valid_date(int y, int m, int d)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return 0;
    return !(m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

static const char *s_offset(const char *tz)
{
    static const struct {
        const char *zone, *off;
    } zones[] = {{"Asia/Seoul", "+09:00"},    {"Asia/Pyongyang", "+09:00"}, {"Asia/Tokyo", "+09:00"},
                 {"Asia/Shanghai", "+08:00"}, {"Asia/Hong_Kong", "+08:00"}, {"Asia/Taipei", "+08:00"},
                 {"Asia/Singapore", "+08:00"}, {"Asia/Kolkata", "+05:30"}, {"UTC", "+00:00"},
                 {"Etc/UTC", "+00:00"},       {"GMT", "+00:00"}};
    for (size_t i = 0; tz && i < sizeof zones / sizeof *zones; i++)
        if (strcmp(tz, zones[i].zone) == 0)
            return zones[i].off;
    return "+00:00";
}

static int s_num(const char *s, size_t len, size_t *i, int maxdig)
{
    int v = 0, n = 0;
    while (*i < len && n < maxdig && isdigit((unsigned char)s[*i]))
        v = v * 10 + (s[(*i)++] - '0'), n++;
    return n ? v : -1;
}

/* tlx_structure_date() with the zone loaded for tz, when there is one. */
static int s_date(const char *s, size_t len, const tlx_tz_t *zone, const char *tz, int day_first, char *out)
{
    size_t i = 0;
    while (i < len && s[i] == ' ')
        i++;
    int y = -1, m = -1, d = -1, hh = -1, mm = -1;
    size_t used;
    if (i + 4 <= len && isdigit((unsigned char)s[i]) && isdigit((unsigned char)s[i + 3]) &&
        (i + 4 == len || !isdigit((unsigned char)s[i + 4])) && i + 4 < len &&
        (s[i + 4] == '-' || s[i + 4] == '.' || s[i + 4] == '/')) { /* 2016-11-16, 2018.05.15 */
        y = s_num(s, len, &i, 4);
        char sep = s[i++];
        m = s_num(s, len, &i, 2);
        if (i < len && s[i] == sep)
            i++, d = s_num(s, len, &i, 2);
    } else if (i < len && isdigit((unsigned char)s[i])) {
        int a = s_num(s, len, &i, 2);
        if (i < len && (s[i] == '/' || s[i] == '.' || s[i] == '-') && i + 1 < len && isdigit((unsigned char)s[i + 1])) {
            i++; /* 16/11/2016 */
            int b = s_num(s, len, &i, 2);
            if (i < len && (s[i] == '/' || s[i] == '.' || s[i] == '-'))
                i++, y = s_num(s, len, &i, 4);
            if (a > 12 || (b <= 12 && day_first))
                d = a, m = b;
            else
                m = a, d = b;
        } else { /* 15 May 2018 */
            while (i < len && s[i] == ' ')
                i++;
            if ((m = s_month_word(s + i, len - i, &used))) {
                i += used;
                while (i < len && (s[i] == ' ' || s[i] == ','))
                    i++;
                d = a;
                y = s_num(s, len, &i, 4);
            }
        }
    } else if ((m = s_month_word(s + i, len - i, &used))) { /* May 15, 2018 / Nov. 16, 2016 */
        i += used;
        while (i < len && s[i] == ' ')
            i++;
        d = s_num(s, len, &i, 2);
        while (i < len && (s[i] == ',' || s[i] == ' '))
            i++;
        y = s_num(s, len, &i, 4);
    }
    if (!s_valid_date(y, m, d))
        return -1;
    while (i < len && (s[i] == ' ' || s[i] == 'T' || s[i] == ','))
        i++;
    size_t t = i;
    hh = s_num(s, len, &t, 2);
    if (hh >= 0 && t < len && s[t] == ':') {
        t++;
        mm = s_num(s, len, &t, 2);
    }
    char zoff[8];
    if (zone) /* the offset in force at that wall-clock time (DST, history) */
        tlx_tz_format_offset(tlx_tz_offset(zone, tlx_tz_civil(y, m, d, hh, mm, 0)), zoff);
    if (hh >= 0 && hh < 24 && mm >= 0 && mm < 60)
        snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:00%s", y, m, d, hh, mm, zone ? zoff : s_offset(tz));
    else
        snprintf(out, 32, "%04d-%02d-%02d", y, m, d);
    return 0;
}

int tlx_structure_date(const char *s, size_t len, const char *tz, int day_first, char *out)
{
    return s_date(s, len, NULL, tz, day_first, out);
}

/* ---- line classes ------------------------------------------------------------------ */

typedef struct {
    const char **v;
    uint32_t n, cap;
} vec_t;

static int s_push(tlx_arena_t *a, vec_t *v, const char *s, size_t len)
{
    if (v->n == v->cap) {
        uint32_t cap = v->cap ? v->cap * 2 : 8;
        const char **nv = tlx_arena_alloc(a, cap * sizeof *nv);
        if (!nv)
            return TLX_ENOMEM;
        if (v->n)
            memcpy(nv, v->v, v->n * sizeof *nv);
        v->v = nv;
        v->cap = cap;
    }
    if (!(v->v[v->n] = tlx_arena_strndup(a, s, len)))
        return TLX_ENOMEM;
    v->n++;
    return 0;
}

/* Words of the line, counted up to `max` (the callers only compare with small numbers). */
static size_t s_words(const char *s, size_t len, size_t max)
{
    size_t w = 0;
    int in = 0;
    for (size_t i = 0; i < len && w < max; i++) {
        int c = s[i] != ' ';
        w += c && !in;
        in = c;
    }
    return w;
}

static int s_has_upper(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (isupper((unsigned char)s[i]))
            return 1;
    return 0;
}

/* Ends like a sentence: . ! ? possibly followed by closing quotes/brackets. */
static int s_sentence_end(const char *s, size_t len)
{
    while (len && (s[len - 1] == ')' || s[len - 1] == '"' || s[len - 1] == '\'' ||
                   (len >= 3 && (unsigned char)s[len - 3] == 0xe2 && (unsigned char)s[len - 2] == 0x80 &&
                    ((unsigned char)s[len - 1] == 0x9d || (unsigned char)s[len - 1] == 0x99)))) {
        if ((unsigned char)s[len - 1] >= 0x80)
            len -= 3;
        else
            len--;
    }
    return len && (s[len - 1] == '.' || s[len - 1] == '!' || s[len - 1] == '?');
}

static const char *const s_credit_words[] = {"flickr", "creative commons", "daily nk", "reuters", "yonhap", "kcna",
                                             "getty",  "afp",              "ap photo", "photo",   "image",  "file",
                                             "rodong", "wikimedia",        "courtesy", "epa",     "xinhua", "nk news"};

/* A photo caption: returns 1 and the credit span when the line is one. */
static int s_caption(const char *s, size_t len, size_t *cs, size_t *ce, size_t *te)
{
    *cs = *ce = 0;
    *te = len;
    if (len > 500)
        return 0;
    int c0 = len ? s_lower((unsigned char)s[0]) : 0;
    if ((c0 == 'f' || c0 == 'p') &&
        (s_icase_prefix(s, len, "file photo:") || s_icase_prefix(s, len, "photo:") ||
         s_icase_prefix(s, len, "photo by "))) {
        if (len && s[len - 1] == ')') {
            const char *open = NULL;
            for (size_t i = len; i-- > 0;)
                if (s[i] == '(') {
                    open = s + i;
                    break;
                }
            if (open) {
                *cs = (size_t)(open - s) + 1, *ce = len - 1;
                *te = (size_t)(open - s);
            }
        }
        return 1;
    }
    /* the first "Image:" or "Photo:": look only at the colons */
    const char *at = NULL;
    for (const char *c = s + 5; !at && c < s + len && (c = memchr(c, ':', (size_t)(s + len - c))); c++)
        if (memcmp(c - 5, "Image", 5) == 0 || memcmp(c - 5, "Photo", 5) == 0)
            at = c - 5;
    if (at) {
        *te = (size_t)(at - s);
        *cs = *te + 6;
        *ce = len;
        return 1;
    }
    if (len && s[len - 1] == ')') {
        size_t open = len;
        while (open > 0 && s[open - 1] != '(')
            open--;
        if (open == 0 || len - open > 120)
            return 0;
        for (size_t k = 0; k < sizeof s_credit_words / sizeof *s_credit_words; k++)
            if (s_icase_contains(s + open, len - 1 - open, s_credit_words[k])) {
                *cs = open, *ce = len - 1, *te = open - 1;
                return 1;
            }
    }
    return 0;
}

/* "Translated by A. Edited by B." / "*Edited by C": names into the credit lists. */
static int s_credits(tlx_arena_t *a, const char *s, size_t len, vec_t *tr, vec_t *ed, int *rc)
{
    size_t i = 0;
    while (i < len && (s[i] == '*' || s[i] == ' '))
        i++;
    int c0 = i < len ? s_lower((unsigned char)s[i]) : 0;
    if ((c0 != 't' && c0 != 'e') ||
        (!s_icase_prefix(s + i, len - i, "translated by ") && !s_icase_prefix(s + i, len - i, "edited by ")))
        return 0;
    while (i < len) {
        while (i < len && (s[i] == '*' || s[i] == ' ' || s[i] == '.'))
            i++;
        vec_t *dst = NULL;
        if (s_icase_prefix(s + i, len - i, "translated by "))
            dst = tr, i += 14;
        else if (s_icase_prefix(s + i, len - i, "edited by "))
            dst = ed, i += 10;
        else
            break;
        size_t st = i;
        while (i < len && !(s[i] == '.' && (i + 1 == len || s[i + 1] == ' ')) && s[i] != '*')
            i++;
        size_t e = i;
        while (e > st && s[e - 1] == ' ')
            e--;
        if (e > st && (*rc = s_push(a, dst, s + st, e - st)))
            return 1;
    }
    return 1;
}

/* A byline: "Name | date" or "By Name[, Name and Name]"; sets authors and the date. */
static int s_byline(tlx_arena_t *a, const char *s, size_t len, const tlx_text_opts_t *o, vec_t *authors,
                    char *date, int *rc)
{
    const char *bar = memchr(s, '|', len);
    size_t ne = len;
    char iso[32];
    if (bar) {
        size_t after = (size_t)(bar - s) + 1;
        if (s_date(s + after, len - after, o ? o->zone : NULL, o ? o->tz : NULL, o ? o->day_first : 0, iso))
            return 0;
        memcpy(date, iso, 32);
        ne = (size_t)(bar - s);
    } else if (s_icase_prefix(s, len, "by ") && len < 120 && s_words(s, len, 13) <= 12 &&
               !s_sentence_end(s, len)) {
        s += 3, len -= 3, ne = len;
    } else
        return 0;
    /* names: split on ",", " and " */
    size_t i = 0;
    while (i < ne) {
        while (i < ne && (s[i] == ' ' || s[i] == ','))
            i++;
        size_t st = i, e = i;
        while (e < ne && s[e] != ',' && !(e + 5 <= ne && strncmp(s + e, " and ", 5) == 0))
            e++;
        i = e + (e < ne && s[e] == ',' ? 1 : 5);
        while (e > st && s[e - 1] == ' ')
            e--;
        if (e > st && (*rc = s_push(a, authors, s + st, e - st)))
            return 1;
    }
    return 1;
}

/* Learned lines go to the boilerplate after the rule matches -- unless
   nothing else is left: a learned line is never the only content, so
   then they are the body. */
static int s_learned_end(tlx_arena_t *a, vec_t *learned, vec_t *boiler, char *body, size_t *blen, int other)
{
    if (!learned->n)
        return 0;
    if (*blen == 0 && !other) {
        for (uint32_t i = 0; i < learned->n; i++) {
            size_t l = strlen(learned->v[i]);
            if (*blen)
                body[(*blen)++] = '\n', body[(*blen)++] = '\n';
            memcpy(body + *blen, learned->v[i], l);
            *blen += l;
        }
        return 0;
    }
    for (uint32_t i = 0; i < learned->n; i++)
        if (s_push(a, boiler, learned->v[i], strlen(learned->v[i])))
            return TLX_ENOMEM;
    return 0;
}

/* ---- stats ----------------------------------------------------------------------- */

/* Code points (bytes that are not UTF-8 continuation bytes) and words (a byte
   other than ' ' and '\n' after one of them, or at the start), 8 bytes at a time. */
static void s_count(const char *b, size_t n, uint32_t *chars, uint32_t *words)
{
    size_t c = 0, w = 0, i = 0;
    uint64_t prev_blank = 1; /* the start counts as a blank before the first byte */
    for (; i + 8 <= n; i += 8) {
        uint64_t x = tlx_swar_load(b + i);
        c += 8 - tlx_swar_count(x & ~(x << 1) & TLX_SWAR_HIGH); /* 10xxxxxx: continuation */
        uint64_t blank = tlx_swar_eq(x, ' ') | tlx_swar_eq(x, '\n');
        w += tlx_swar_count(~blank & TLX_SWAR_HIGH & (blank << 8 | prev_blank << 7));
        prev_blank = blank >> 63;
    }
    for (; i < n; i++) {
        unsigned char u = (unsigned char)b[i];
        int blank = u == ' ' || u == '\n';
        c += (u & 0xc0) != 0x80;
        w += !blank && prev_blank;
        prev_blank = (uint64_t)blank;
    }
    *chars = (uint32_t)c;
    *words = (uint32_t)w;
}

int tlx_structure_parse(const char *norm, size_t len, const tlx_text_opts_t *opts, const tlx_boiler_rules_t *rules,
                        tlx_arena_t *a, tlx_record_t *rec)
{
    vec_t tags = {0}, authors = {0}, subs = {0}, tr = {0}, ed = {0}, boiler = {0};
    vec_t learned = {0}; /* lines removed as learned boilerplate (tlx_boiler.h) */
    tlx_caption_t *caps = NULL;
    uint32_t ncaps = 0, capcap = 0;
    char date[32] = "";
    /* body lines are joined by a blank line where the text may have one '\n':
       at most one extra byte per line, and a line takes at least two bytes */
    char *body = tlx_arena_alloc(a, len + len / 2 + 2);
    if (!body)
        return TLX_ENOMEM;
    size_t blen = 0;
    int rc = 0, body_started = 0, lineno = 0;
    const char *source = opts ? opts->source : NULL;
    const int layout = opts && opts->layout_known; /* HTML: headline, tags, subheadings known from markup */
    const char *title = NULL;
    size_t title_len = 0;
    /* pending subheading candidate: a short line seen after body text */
    const char *sub = NULL;
    size_t sub_len = 0;

    for (size_t p = 0; p < len && !rc;) {
        const char *nl = memchr(norm + p, '\n', len - p);
        size_t e = nl ? (size_t)(nl - norm) : len;
        const char *s = norm + p;
        size_t l = e - p;
        p = e + 1;
        if (l == 0)
            continue;
        int first = lineno++ == 0;
        size_t cs, ce, te;
        if (s_rule_match(rules, source, s, l) || (opts && s_rule_match(opts->extra_rules, source, s, l))) {
            rc = s_push(a, &boiler, s, l);
            continue;
        }
        if (s_credits(a, s, l, &tr, &ed, &rc))
            continue;
        if (!date[0] && !body_started && s_byline(a, s, l, opts, &authors, date, &rc))
            continue;
        if (first && !layout && !s_has_upper(s, l) && l <= 120 && !s_sentence_end(s, l)) { /* "sinuiju, teenagers" */
            for (size_t i = 0; i < l && !rc;) {
                size_t j = i;
                while (j < l && s[j] != ',')
                    j++;
                size_t st = i, en = j;
                while (st < en && s[st] == ' ')
                    st++;
                while (en > st && s[en - 1] == ' ')
                    en--;
                if (en > st)
                    rc = s_push(a, &tags, s + st, en - st);
                i = j + 1;
            }
            continue;
        }
        if (opts && opts->learned && source && l <= TLX_BOILER_LINE_MAX &&
            tlx_boiler_learned_has(opts->learned, source, tlx_boiler_key(s, l))) {
            lineno -= first; /* a removed banner does not hide the tag line below it */
            rc = s_push(a, &learned, s, l);
            continue;
        }
        if (s_caption(s, l, &cs, &ce, &te)) {
            if (ncaps == capcap) {
                uint32_t c = capcap ? capcap * 2 : 4;
                tlx_caption_t *nc = tlx_arena_alloc(a, c * sizeof *nc);
                if (!nc)
                    return TLX_ENOMEM;
                if (ncaps)
                    memcpy(nc, caps, ncaps * sizeof *nc);
                caps = nc;
                capcap = c;
            }
            /* the caption as printed, final period included, without the spaces
               before the credit (which used to be kept: "text. ") */
            while (te > 0 && s[te - 1] == ' ')
                te--;
            while (cs < ce && s[cs] == ' ')
                cs++;
            caps[ncaps].text = tlx_arena_strndup(a, s, te);
            caps[ncaps].credit = ce > cs ? tlx_arena_strndup(a, s + cs, ce - cs) : NULL;
            ncaps++;
            continue;
        }
        /* the tests below only look up to 25 words, and only at lines of at most 200 bytes */
        size_t w = l > 200 ? 26 : s_words(s, l, 26);
        int prose = (w >= 8 && s_sentence_end(s, l)) || l > 200;
        if (!body_started && !title && !prose && w <= 25 && !layout) {
            title = s, title_len = l;
            continue;
        }
        int heading = !layout && body_started && !prose && w <= 12 && isupper((unsigned char)s[0]) && !s_sentence_end(s, l) &&
                      s[l - 1] != ':' && s[l - 1] != ',';
        if (sub) {
            /* the pending short line is a subheading when body text follows it */
            if (heading) { /* two short lines in a row: the first is body after all */
                if (blen)
                    body[blen++] = '\n', body[blen++] = '\n';
                memcpy(body + blen, sub, sub_len);
                blen += sub_len;
            } else if ((rc = s_push(a, &subs, sub, sub_len)))
                break;
            sub = NULL;
        }
        if (heading) {
            sub = s, sub_len = l;
            continue;
        }
        body_started = 1;
        if (blen)
            body[blen++] = '\n', body[blen++] = '\n';
        memcpy(body + blen, s, l);
        blen += l;
    }
    if (rc)
        return rc;
    if ((rc = s_learned_end(a, &learned, &boiler, body, &blen, title || sub)))
        return rc;
    if (sub) { /* a short last line is body, not a heading */
        if (blen)
            body[blen++] = '\n', body[blen++] = '\n';
        memcpy(body + blen, sub, sub_len);
        blen += sub_len;
    }
    if (!body_started && title && blen == 0) { /* a one-line article: its line is the body */
        memcpy(body, title, title_len);
        blen = title_len;
        title = NULL;
    }
    body[blen] = '\0';
    rec->title = title ? tlx_arena_strndup(a, title, title_len) : NULL;
    rec->tags = (tlx_strv_t){tags.v, tags.n};
    rec->captions = caps;
    rec->ncaptions = ncaps;
    rec->authors = (tlx_strv_t){authors.v, authors.n};
    rec->published_at = date[0] ? tlx_arena_strndup(a, date, strlen(date)) : NULL;
    rec->subheadings = (tlx_strv_t){subs.v, subs.n};
    rec->translated_by = (tlx_strv_t){tr.v, tr.n};
    rec->edited_by = (tlx_strv_t){ed.v, ed.n};
    rec->boilerplate = (tlx_strv_t){boiler.v, boiler.n};
    rec->body = body;
    rec->body_len = blen;
    if ((rc = tlx_summary_sentences(body, blen, a, &rec->sentences, &rec->nsentences)))
        return rc;

    uint32_t chars, words;
    s_count(body, blen, &chars, &words);
    rec->stats.chars = chars;
    rec->stats.words = words;
    rec->stats.sentences = rec->nsentences;
    rec->stats.reading_time_s = (words * 60 + 229) / 230;
    return 0;
}
