/* SPDX-License-Identifier: Apache-2.0 */
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
#include "tlx_datefmt.h"
#include "tlx_deadline.h"
#include "tlx_error.h"
#include "tlx_layout.h"
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

static const char *s_offset(const char *tz)
{
    static const struct {
        const char *zone, *off;
    } zones[] = {{"Asia/Seoul", "+09:00"},
                 {"Asia/Pyongyang", "+09:00"},
                 {"Asia/Tokyo", "+09:00"},
                 {"Asia/Shanghai", "+08:00"},
                 {"Asia/Hong_Kong", "+08:00"},
                 {"Asia/Taipei", "+08:00"},
                 {"Asia/Singapore", "+08:00"},
                 {"Asia/Kolkata", "+05:30"},
                 {"UTC", "+00:00"},
                 {"Etc/UTC", "+00:00"},
                 {"GMT", "+00:00"}};
    for (size_t i = 0; tz && i < sizeof zones / sizeof *zones; i++)
        if (strcmp(tz, zones[i].zone) == 0)
            return zones[i].off;
    return "+00:00";
}

static void s_format(const tlx_datefmt_civil_t *c, const tlx_tz_t *zone, const char *tz, char *out)
{
    if (c->hh >= 0) {
        char zoff[8];
        if (zone) /* the offset in force at that wall-clock time (DST, history) */
            tlx_tz_format_offset(tlx_tz_offset(zone, tlx_tz_civil(c->y, c->m, c->d, c->hh, c->mm, 0)), zoff);
        snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:00%s", c->y, c->m, c->d, c->hh, c->mm,
                 zone ? zoff : s_offset(tz));
    } else
        snprintf(out, 32, "%04d-%02d-%02d", c->y, c->m, c->d);
}

/* tlx_structure_date() with the zone loaded for tz, when there is one. */
static int s_date(const char *s, size_t len, const tlx_tz_t *zone, const char *tz, int day_first, char *out)
{
    size_t i = 0, used;
    while (i < len && s[i] == ' ')
        i++;
    tlx_datefmt_civil_t c;
    if (tlx_datefmt_parse(s + i, len - i, day_first ? 1 : 0, &c, &used))
        return -1;
    s_format(&c, zone, tz, out);
    return 0;
}

int tlx_structure_date_at(const char *s, size_t len, int day_first, char *out, size_t *used)
{
    tlx_datefmt_civil_t c;
    if (tlx_datefmt_parse(s, len, day_first, &c, used))
        return -1;
    snprintf(out, 32, "%04d-%02d-%02d", c.y, c.m, c.d);
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

/* Holds an ASCII lower-case letter and nothing outside ASCII. */
static int s_ascii_lower(const char *s, size_t len)
{
    int low = 0;
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)s[i] >= 0x80)
            return 0;
        low |= islower((unsigned char)s[i]) != 0;
    }
    return low;
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
    if (len > 4 && s[len - 1] == ']' && s[0] != '[') { /* "... [AGENCY NAME]" */
        size_t open = len - 1, up = 0, al = 0;
        while (open > 0 && s[open - 1] != '[' && len - open < 80)
            open--;
        for (size_t k = open; k + 1 < len; k++)
            if (isalpha((unsigned char)s[k]))
                al++, up += isupper((unsigned char)s[k]) != 0;
        if (open > 0 && s[open - 1] == '[' && al >= 3 && up * 10 >= al * 8) {
            *cs = open, *ce = len - 1, *te = open - 1;
            return 1;
        }
    }
    size_t open;
    if (tlx_layout_credit_paren(s, len, &open)) { /* "... (Photo: X)", "... (Example Wire)" */
        *cs = open, *ce = len - 1, *te = open - 1;
        return 1;
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

/* ---- bylines ---------------------------------------------------------------- */

static int s_word_in(const char *s, size_t len, const char *const *words)
{
    for (size_t i = 0; i < len;) {
        while (i < len && !isalpha((unsigned char)s[i]))
            i++;
        size_t st = i;
        while (i < len && (isalpha((unsigned char)s[i]) || s[i] == '\''))
            i++;
        for (const char *const *w = words; *w; w++)
            if (strlen(*w) == i - st && strncasecmp(s + st, *w, i - st) == 0)
                return 1;
    }
    return 0;
}

/* Roles and outlet words after a comma in a byline: "CNN Business", "Staff Reporter". */
static const char *const s_role_words[] = {
    "staff",        "writer",      "writers",   "reporter", "reporters", "correspondent",
    "editor",       "contributor", "columnist", "business", "news",      "press",
    "times",        "post",        "herald",    "daily",    "agency",    "network",
    "media",        "online",      "magazine",  "journal",  "bureau",    "desk",
    "newsroom",     "intern",      "senior",    "chief",    "special",   "the",
    "contributing", "associated",  "guardian",  "tribune",  "telegraph", NULL};

/* A person's or agency's name: 1-6 words, each capitalised (or a particle),
   no digits, no '@', at most 60 bytes. */
static int s_name_ok(const char *s, size_t len)
{
    if (len < 2 || len > 60)
        return 0;
    static const char *const particles[] = {"de", "van", "von", "der", "bin", "al", "da", "le", "la",
                                            "du", "del", "dos", "di",  "ibn", "y",  "el", NULL};
    size_t words = 0;
    for (size_t i = 0; i < len;) {
        while (i < len && s[i] == ' ')
            i++;
        if (i >= len)
            break;
        size_t st = i;
        while (i < len && s[i] != ' ')
            i++;
        words++;
        unsigned char c = (unsigned char)s[st];
        for (size_t k = st; k < i; k++)
            if (isdigit((unsigned char)s[k]) || s[k] == '@' || s[k] == ':' || s[k] == '|' || s[k] == '/')
                return 0;
        if (!isupper(c) && c < 0x80) {
            int part = 0;
            for (const char *const *p = particles; *p && !part; p++)
                part = strlen(*p) == i - st && strncmp(s + st, *p, i - st) == 0;
            if (!part)
                return 0;
        }
    }
    return words >= 1 && words <= 6;
}

/* Names of a byline's name part: split on ", ", " and ", " & ", "; ";
   after the first name, a segment with a role or outlet word ends the list. */
static int s_names(tlx_arena_t *a, const char *s, size_t ne, vec_t *authors, int *rc)
{
    int got = 0, seg = 0;
    size_t i = 0;
    while (i < ne) {
        while (i < ne && (s[i] == ' ' || s[i] == ',' || s[i] == ';'))
            i++;
        size_t st = i, e = i;
        int comma = 0;
        while (e < ne && s[e] != ',' && s[e] != ';' &&
               !(e + 5 <= ne && strncasecmp(s + e, " and ", 5) == 0) &&
               !(e + 3 <= ne && strncmp(s + e, " & ", 3) == 0))
            e++;
        comma = e < ne && (s[e] == ',' || s[e] == ';');
        i = e + (e >= ne ? 0 : comma ? 1 : s[e + 1] == '&' ? 3 : 5);
        while (e > st && (s[e - 1] == ' ' || s[e - 1] == '.'))
            e--;
        if (e <= st)
            continue;
        if (seg && s_word_in(s + st, e - st, s_role_words))
            break; /* ", CNN Business", ", Staff Reporter" */
        seg++;
        if (!s_name_ok(s + st, e - st))
            continue;
        if ((*rc = s_push(a, authors, s + st, e - st)))
            return got;
        got++;
    }
    return got;
}

/* Where the name part of a byline ends: a date, " on ", " with ", a bar,
   a spaced dash, a parenthesis, "Published"/"Updated". */
static size_t s_name_end(const char *s, size_t len)
{
    static const char *const stops[] = {
        " on ",         " with ",        " | ", "|",    " - ",     " -- ",       " \xe2\x80\x94",
        "\xe2\x80\x94", " \xe2\x80\x93", "(",   " at ", " posted", " published", " updated",
        " Published",   " Updated",      "  ",  " in ", NULL};
    size_t e = len;
    for (const char *const *p = stops; *p; p++) {
        size_t pl = strlen(*p);
        for (size_t i = 0; i + pl <= e; i++)
            if (strncmp(s + i, *p, pl) == 0) {
                e = i;
                break;
            }
    }
    for (size_t i = 2; i + 1 < e; i++) /* a sentence ends: "Jane Doe. Bookmark the permalink." */
        if (s[i] == '.' && s[i + 1] == ' ' && islower((unsigned char)s[i - 1]) &&
            islower((unsigned char)s[i - 2])) {
            e = i;
            break;
        }
    for (size_t i = 1; i < e; i++) /* a date starts: "Jane Doe 2016-11-16" */
        if (isdigit((unsigned char)s[i]) && s[i - 1] == ' ') {
            e = i;
            break;
        }
    return e;
}

/* A byline line: "By Name[, Name and Name][, Outlet]", "By: Name", "- Name",
   "• Name", "Posted by Name on ...", "posted in ... by Name", "Reporter: Name",
   "Name, Staff Reporter", "Name | date", or a bare name line (`bare`).  Pushes
   the names; returns how many. */
static int s_byline_names(tlx_arena_t *a, const char *s, size_t len, int bare, vec_t *authors, int *rc)
{
    if (len > 300)
        len = 300;
    size_t i = 0;
    while (i < len && (s[i] == '-' || s[i] == '*' || s[i] == ' ' || s[i] == '+' ||
                       ((unsigned char)s[i] == 0xe2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
                        ((unsigned char)s[i + 2] == 0xa2 || (unsigned char)s[i + 2] == 0x94))))
        i += (unsigned char)s[i] == 0xe2 ? 3 : 1;
    const char *r = s + i;
    size_t rl = len - i;
    static const char *const labels[] = {
        "by:",        "by ",          "reporter:", "reporters:", "author:",  "authors:", "written by ",
        "posted by ", "reported by ", "words by ", "story by ",  "text by ", NULL};
    for (const char *const *p = labels; *p; p++)
        if (s_icase_prefix(r, rl, *p)) {
            size_t pl = strlen(*p);
            r += pl, rl -= pl;
            while (rl && *r == ' ')
                r++, rl--;
            return s_names(a, r, s_name_end(r, rl), authors, rc);
        }
    /* "(Reporting by A and B; Editing by C)", "posted in News by Jane Doe" */
    for (size_t k = 0; k + 4 <= rl; k++)
        if ((r[k] == 'b' || r[k] == 'B') && r[k + 1] == 'y' && r[k + 2] == ' ' && k >= 1 && r[k - 1] == ' ' &&
            (s_icase_prefix(r, rl, "posted") || s_icase_contains(r, rl < 48 ? rl : 48, " posted in ") ||
             s_icase_prefix(r, rl, "(reporting") || s_icase_prefix(r, rl, "reporting") ||
             s_icase_prefix(r, rl, "written") || s_icase_prefix(r, rl, "filed"))) {
            const char *n = r + k + 3;
            size_t nl = rl - k - 3;
            size_t e = 0;
            while (e < nl && n[e] != ';' && n[e] != ')')
                e++;
            return s_names(a, n, s_name_end(n, e), authors, rc);
        }
    const char *bar = memchr(r, '|', rl);
    if (bar && bar > r) { /* "Jane Doe | 2016-11-16" */
        size_t ne = (size_t)(bar - r);
        while (ne && r[ne - 1] == ' ')
            ne--;
        return s_names(a, r, ne, authors, rc);
    }
    const char *comma = memchr(r, ',', rl);
    if (comma && s_word_in(comma, rl - (size_t)(comma - r), s_role_words)) /* "Jane Doe, Staff Reporter" */
        return s_names(a, r, rl, authors, rc);
    if (bare || i > 0) /* "- Jane Doe", a name line under the headline */
        return s_name_ok(r, rl) && !(*rc = s_push(a, authors, r, rl)) ? 1 : 0;
    return 0;
}

/* ---- datelines --------------------------------------------------------------- */

/* "SEOUL, March 4 (Yonhap) --", "NEW DELHI (AA) -", "BEIJING -", "TOKYO—",
   "(CNN) --", "Jiji PressTOKYO (Jiji Press) —": place, agency and a byline
   glued before the place.  Fills *dl; 1 when the line starts with one. */
typedef struct {
    size_t ps, pe, as, ae, bs, be, ds, de,
        end; /* place, agency, glued byline, date part; end of the dateline */
} dateline_t;

static int s_dateline(const char *s, size_t len, dateline_t *dl)
{
    memset(dl, 0, sizeof *dl);
    size_t lim = len < 90 ? len : 90, i = 0, mark = 0, mlen = 0;
    for (; i < lim && !mlen; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '.' && !(i + 1 < lim && s[i + 1] != ' ') && i > 0 && !isupper((unsigned char)s[i - 1]))
            return 0;
        if (c == '"' || c == '?' || c == '!')
            return 0;
        if (c == '-' && i + 1 < lim && s[i + 1] == '-')
            mark = i, mlen = 2;
        else if (c == '-' && i > 0 && s[i - 1] == ' ' && (i + 1 == lim || s[i + 1] == ' '))
            mark = i, mlen = 1;
        else if (c == 0xe2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
                 ((unsigned char)s[i + 2] == 0x94 || (unsigned char)s[i + 2] == 0x93))
            mark = i, mlen = 3;
        else if (c == ':' && i > 1 && (i + 1 == lim || s[i + 1] == ' ') &&
                 (isupper((unsigned char)s[i - 1]) || s[i - 1] == ' ' || s[i - 1] == ')'))
            mark = i, mlen = 1;
    }
    if (!mlen || mark < 2)
        return 0;
    size_t he = mark;
    while (he && s[he - 1] == ' ')
        he--;
    /* agency: the last parenthesis of the head */
    size_t pe = he;
    if (he && s[he - 1] == ')') {
        size_t o = he - 1;
        while (o > 0 && s[o] != '(')
            o--;
        if (s[o] != '(')
            return 0;
        dl->as = o + 1, dl->ae = he - 1;
        pe = o;
        while (pe && s[pe - 1] == ' ')
            pe--;
    }
    /* place [, date] */
    const char *comma = memchr(s, ',', pe);
    size_t plend = comma ? (size_t)(comma - s) : pe;
    if (comma) {
        dl->ds = plend + 1;
        while (dl->ds < pe && s[dl->ds] == ' ')
            dl->ds++;
        dl->de = pe;
    }
    size_t letters = 0, caps = 0, words = 0;
    for (size_t k = 0; k < plend; k++) {
        if (isalpha((unsigned char)s[k]))
            letters++, caps += isupper((unsigned char)s[k]) != 0;
        words += s[k] != ' ' && (k == 0 || s[k - 1] == ' ');
    }
    if (plend && (words > 5 || !isupper((unsigned char)s[0])))
        return 0;
    if (!dl->ae && (!plend || caps * 10 < letters * 7))
        return 0; /* no agency: the place must be in capitals ("BEIJING -") */
    /* a byline glued before an upper-case place: "Jiji PressTOKYO" */
    size_t ps = 0;
    for (size_t k = 1; k + 2 < plend; k++)
        if (islower((unsigned char)s[k - 1]) && isupper((unsigned char)s[k]) &&
            isupper((unsigned char)s[k + 1]) && isupper((unsigned char)s[k + 2])) {
            dl->bs = 0, dl->be = k;
            ps = k;
            break;
        }
    dl->ps = ps, dl->pe = plend;
    dl->end = mark + mlen;
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

/* ---- captions ------------------------------------------------------------------ */

/* A credit line on its own: "Getty Images", "REUTERS/Jane Roe",
   "Photo : Agency", "[AGENCY NAME]", "The Daily Shimbun". */
static int s_credit_line(const tlx_layout_line_t *L)
{
    const char *s = L->s;
    size_t len = L->len;
    if (len > 90 || s_sentence_end(s, len))
        return 0;
    if (s[0] == '[' && s[len - 1] == ']')
        return 1;
    if (s_icase_prefix(s, len, "photo") || s_icase_prefix(s, len, "image") ||
        s_icase_prefix(s, len, "credit") || s_icase_prefix(s, len, "file photo"))
        return s_words(s, len, 9) <= 8;
    for (size_t i = 1; i + 1 < len; i++)
        if (s[i] == '/' && isalpha((unsigned char)s[i - 1]) && isupper((unsigned char)s[i + 1]))
            return s_words(s, len, 9) <= 8;
    return s_words(s, len, 5) <= 4 && !L->func && isupper((unsigned char)s[0]);
}

static int s_cap_push(tlx_arena_t *a, tlx_caption_t **caps, uint32_t *n, uint32_t *cap, const char *text,
                      size_t tl, const char *credit, size_t cl)
{
    if (*n == *cap) {
        uint32_t c = *cap ? *cap * 2 : 4;
        tlx_caption_t *nc = tlx_arena_alloc(a, c * sizeof *nc);
        if (!nc)
            return TLX_ENOMEM;
        if (*n)
            memcpy(nc, *caps, *n * sizeof *nc);
        *caps = nc;
        *cap = c;
    }
    while (tl && text[tl - 1] == ' ')
        tl--;
    while (cl && *credit == ' ')
        credit++, cl--;
    (*caps)[*n].text = tlx_arena_strndup(a, text, tl);
    (*caps)[*n].credit = cl ? tlx_arena_strndup(a, credit, cl) : NULL;
    if (!(*caps)[*n].text || (cl && !(*caps)[*n].credit))
        return TLX_ENOMEM;
    (*n)++;
    return 0;
}

/* One caption from the block of caption lines L[b..e): the caption text
   (lines joined by '\n'; a leading credit line stays in it) and the credit
   (a credit line, or a credit inside the line: "(Reuters)", "Photo: X"). */
static int s_caption_block(tlx_arena_t *a, const tlx_layout_line_t *L, uint32_t b, uint32_t e,
                           tlx_caption_t **caps, uint32_t *n, uint32_t *cap)
{
    size_t total = 0;
    for (uint32_t i = b; i < e; i++)
        total += L[i].len + 1;
    char *text = tlx_arena_alloc(a, total + 1);
    if (!text)
        return TLX_ENOMEM;
    size_t tl = 0;
    const char *credit = NULL;
    size_t cl = 0;
    for (uint32_t i = b; i < e; i++) {
        const char *s = L[i].s;
        size_t len = L[i].len;
        int cred = s_credit_line(&L[i]);
        size_t cs, ce, te;
        if (cred && !credit) {
            credit = s, cl = len;
            /* "Photo : Agency" -> "Agency"; "[AGENCY]" stays as printed */
            const char *colon = memchr(s, ':', len < 16 ? len : 16);
            if (colon && (s_icase_prefix(s, len, "photo") || s_icase_prefix(s, len, "image") ||
                          s_icase_prefix(s, len, "credit") || s_icase_prefix(s, len, "file photo"))) {
                credit = colon + 1, cl = len - (size_t)(colon + 1 - s);
            }
            if (e - b > 1 && i > b)
                continue; /* a credit after the caption: not in its text */
        } else if (cred)
            continue; /* a second credit line */
        if (!cred && s_caption(s, len, &cs, &ce, &te) && ce > cs) {
            if (!credit)
                credit = s + cs, cl = ce - cs;
            len = te;
        }
        if (i > b && L[i].len == L[b].len && memcmp(L[i].s, L[b].s, L[b].len) == 0)
            continue; /* the same caption again (alt text and caption) */
        if (tl)
            text[tl++] = '\n';
        memcpy(text + tl, s, len);
        tl += len;
        while (tl && text[tl - 1] == ' ')
            tl--;
    }
    if (!tl && credit) { /* a credit alone: "Photo : Agency" is the caption */
        memcpy(text, L[b].s, L[b].len);
        tl = L[b].len;
    }
    return s_cap_push(a, caps, n, cap, text, tl, credit, cl);
}

/* ---- the parse ----------------------------------------------------------------- */

/* Best class of line i other than `not`. */
static tlx_layout_class_t s_second(const tlx_layout_line_t *L, tlx_layout_class_t not )
{
    int best = -1;
    for (int q = 0; q < TLX_LC__COUNT; q++)
        if (q != (int)not &&(best < 0 || L->p[q] > L->p[best]))
            best = q;
    return (tlx_layout_class_t)best;
}

/* The crawl prefix "date 2023-09-09 " (page metadata glued to the first
   line): the date when complete, and the bytes to skip. */
static size_t s_crawl_prefix(const char *s, size_t len, char *date)
{
    if (len < 12 || strncmp(s, "date ", 5) != 0 || !isdigit((unsigned char)s[5]))
        return 0;
    size_t i = 5;
    int y = tlx_datefmt_year(s, len, &i), m = -1, d = -1;
    if (y < 0 || i >= len || s[i] != '-')
        return 0;
    i++;
    m = tlx_datefmt_num(s, len, &i, 2);
    if (i < len && s[i] == '-') {
        i++;
        d = tlx_datefmt_num(s, len, &i, 2);
    }
    if (i < len && s[i] != ' ' && s[i] != '\n')
        return 0;
    if (d > 0 && tlx_datefmt_valid(y, m, d))
        snprintf(date, 32, "%04d-%02d-%02d", y, m, d);
    while (i < len && s[i] == ' ')
        i++;
    return i;
}

/* An ambiguous dd/dd/yyyy: which reading does the text support?  A month
   named with that day ("on October 6") decides.  1 day first, 0 month first,
   -1 no evidence.  Looks at the first 8 KB. */
static int s_day_first_evidence(const char *text, size_t len, int a, int b)
{
    if (len > 8192)
        len = 8192;
    int vote = 0;
    for (size_t i = 0; i < len; i++) {
        if (!isupper((unsigned char)text[i]) || (i && isalpha((unsigned char)text[i - 1])))
            continue;
        size_t mw;
        int m = tlx_datefmt_month(text + i, len - i, &mw);
        if (!m)
            continue;
        size_t k = i + mw;
        while (k < len && text[k] == ' ')
            k++;
        int d = tlx_datefmt_num(text, len, &k, 2);
        if (d < 0)
            continue;
        if (m == b && d == a)
            vote++;
        else if (m == a && d == b)
            vote--;
    }
    return vote > 0 ? 1 : vote < 0 ? 0 : -1;
}

/* Reads the first date of a line into iso[32] (with the time and zone when
   it has a time).  day_first as configured; for an ambiguous date without
   configuration, the text's evidence (s_day_first_evidence), else month first. */
static int s_line_date(const char *s, size_t len, const tlx_text_opts_t *o, const char *text, size_t tlen,
                       char *iso)
{
    char tmp[32];
    size_t at, end;
    int df = o && o->day_first ? 1 : -1;
    if (!tlx_layout_find_date(s, len, df, tmp, &at, &end)) {
        if (df == 1 || !tlx_layout_find_date(s, len, 0, tmp, &at, &end))
            return -1;
        /* ambiguous: evidence from the text */
        int a = atoi(s + at), b = 0;
        size_t k = at;
        while (k < len && isdigit((unsigned char)s[k]))
            k++;
        if (k + 1 < len)
            b = atoi(s + k + 1);
        df = s_day_first_evidence(text, tlen, a, b) == 1 ? 1 : 0;
    }
    tlx_datefmt_civil_t c;
    size_t used;
    if (tlx_datefmt_parse(s + at, len - at, df < 0 ? 0 : df, &c, &used))
        return -1;
    s_format(&c, o ? o->zone : NULL, o ? o->tz : NULL, iso);
    return 0;
}

static void s_body_add(char *body, size_t *blen, const char *s, size_t l)
{
    if (*blen)
        body[(*blen)++] = '\n', body[(*blen)++] = '\n';
    memcpy(body + *blen, s, l);
    *blen += l;
}

#define S_MAX_LINES 2000      /* lines scored by the layout model; later lines are body */
#define S_HEAD_LINES 40       /* the headline is looked for among the first lines */
#define S_TITLE_MIN 0.08f     /* a headline that is not any line's best class needs this p(title) */
#define S_META_MIN 0.15f      /* a byline or date line needs this p(meta) */
#define S_CAPTION_MIN 0.1f    /* a line with a credit shape is a caption from this p(caption) */
#define S_CAPTION_PREV 0.2f   /* the line above a lone credit line is its caption from this p(caption) */
#define S_BOIL_PROSE_MIN 0.6f /* a line that reads as prose is furniture from this p(boiler) */
#define S_CAPTION_PAIR 0.4f   /* a lone credit line and the line above: their p(caption) together */

/* The state of one parse: the scored lines, what was decided about them,
   and the fields being filled. */
typedef struct {
    tlx_arena_t *a;
    const tlx_text_opts_t *opts;
    const tlx_boiler_rules_t *rules;
    const char *source;
    int layout;       /* HTML: headline, tags, subheadings known from markup */
    const char *text; /* the text after the crawl prefix */
    size_t tlen;
    tlx_layout_line_t *L;
    uint32_t n;
    uint8_t *taken;     /* lines the rules, credits, tags and learned lines took first */
    uint8_t *fc;        /* each line's class as decoded */
    int t, bl, dl_line; /* headline, byline and date line (-1: none) */
    vec_t tags, authors, subs, tr, ed, boiler;
    vec_t learned;          /* lines removed as learned boilerplate (tlx_boiler.h) */
    uint32_t nboiler_rules; /* furniture named by the rules, before the model's */
    tlx_caption_t *caps;
    uint32_t ncaps, capcap;
    char date[32], crawl[32];
    char *body;
    size_t blen;
    const char *title, *deck;
    size_t title_len, deck_len;
} parse_t;

/* "sinuiju, teenagers": a lower-case tag line, split on commas. */
static int s_tag_line(parse_t *P, const char *s, size_t l)
{
    int rc = 0;
    for (size_t k = 0; k < l && !rc;) {
        size_t j = k;
        while (j < l && s[j] != ',')
            j++;
        size_t st = k, en = j;
        while (st < en && s[st] == ' ')
            st++;
        while (en > st && s[en - 1] == ' ')
            en--;
        if (en > st)
            rc = s_push(P->a, &P->tags, s + st, en - st);
        k = j + 1;
    }
    return rc;
}

/* What the rules, credits, tags and learned lines take before the model. */
static int s_take_first(parse_t *P)
{
    const tlx_text_opts_t *o = P->opts;
    int rc = 0, tagline_done = 0;
    for (uint32_t i = 0; i < P->n && !rc; i++) {
        if (tlx_deadline_due("structure", 16))
            return TLX_EAGAIN;
        const char *s = P->L[i].s;
        size_t l = P->L[i].len;
        if (s_rule_match(P->rules, P->source, s, l) || (o && s_rule_match(o->extra_rules, P->source, s, l))) {
            rc = s_push(P->a, &P->boiler, s, l);
            P->taken[i] = 1;
        } else if (s_credits(P->a, s, l, &P->tr, &P->ed, &rc)) {
            P->taken[i] = 1;
        } else if (!tagline_done && !P->layout && !s_has_upper(s, l) && l <= 120 && !s_sentence_end(s, l) &&
                   s_ascii_lower(s, l) && s_words(s, l, 13) <= 12) {
            rc = s_tag_line(P, s, l);
            P->taken[i] = 1;
        } else if (o && tlx_boiler_learned_count(o->learned) && P->source && l <= TLX_BOILER_LINE_MAX &&
                   tlx_boiler_learned_has(o->learned, P->source, tlx_boiler_key(s, l)) && !P->L[i].by &&
                   !P->L[i].credit) { /* bylines and credits are recognized before learned lines */
            rc = s_push(P->a, &P->learned, s, l);
            P->taken[i] = 1;
            continue; /* a removed banner does not hide the tag line below it */
        }
        tagline_done = 1;
    }
    return rc;
}

/* Could the line be a headline by its shape, whatever the model says?  Not a
   breadcrumb ("Home >> World"), not a sentence that ends in a period or a
   colon ("... released the following statement:"), not one lower-case word. */
static int s_title_shape(const tlx_layout_line_t *L)
{
    const char *s = L->s;
    size_t len = L->len;
    if (L->credit || len < 2)
        return 0;
    if (L->arrow)
        return 0;
    unsigned char last = (unsigned char)s[len - 1];
    size_t words = s_words(s, len, 9);
    if ((last == '.' || last == ':') && words >= 8 && !(len >= 3 && s[len - 2] == '.' && s[len - 3] == '.'))
        return 0;
    return words >= 2 || isupper((unsigned char)s[0]) || isdigit((unsigned char)s[0]) ||
           (unsigned char)s[0] >= 0x80;
}

/* Line i reads as a headline rather than a photo caption: title case, no
   sentence end, and no credit on it or the lines next to it. */
static int s_bare_titlecase(const parse_t *P, uint32_t i)
{
    const tlx_layout_line_t *L = P->L;
    return L[i].titlecase && !L[i].sent_end && !L[i].credit && !(i > 0 && L[i - 1].credit) &&
           !(i + 1 < P->n && L[i + 1].credit);
}

/* The headline: the most title-like line of the head (before the body);
   when no line's best class is "title", the likeliest line that is not
   prose, if the model gives it at least S_TITLE_MIN. */
static int s_pick_title(const parse_t *P)
{
    const tlx_layout_line_t *L = P->L;
    int t = -1, fb = -1;
    float best = 0, fb_best = S_TITLE_MIN;
    if (P->layout)
        return -1;
    for (uint32_t i = 0; i < P->n && i < S_HEAD_LINES; i++) {
        if (P->taken[i])
            continue;
        if (L[i].cls == TLX_LC_BODY && L[i].prose)
            break; /* prose: the head is over */
        if (!s_title_shape(&L[i]) || i + 1 >= P->n)
            continue; /* "Photo : Agency" is never the headline, nor "Home >> World", nor the last line */
        float pt = L[i].p[TLX_LC_TITLE];
        if (L[i].cls == TLX_LC_CAPTION && s_bare_titlecase(P, i))
            pt += L[i].p[TLX_LC_CAPTION]; /* a caption would describe, and have a credit near */
        if (L[i].cls == TLX_LC_TITLE && pt > best)
            best = pt, t = (int)i;
        else if (!L[i].prose && L[i].cls != TLX_LC_META && pt > fb_best)
            fb_best = pt, fb = (int)i;
    }
    return t >= 0 ? t : fb;
}

/* The byline and the date line: among the lines whose byline or date parses
   (in the head, or classed "meta" anywhere), the one the model gives the
   highest p(meta), at least S_META_MIN. */
static int s_pick_meta(parse_t *P)
{
    const tlx_layout_line_t *L = P->L;
    float bl_best = S_META_MIN, dl_best = S_META_MIN, dl_head = S_META_MIN;
    int rc = 0, head = 1, dl_h = -1;
    P->bl = P->dl_line = -1;
    for (uint32_t i = 0; i < P->n && !rc; i++) {
        head &= !(L[i].prose && L[i].cls == TLX_LC_BODY);
        if (P->taken[i] || (int)i == P->t || L[i].len > 300 || (i >= S_HEAD_LINES && L[i].cls != TLX_LC_META))
            continue;
        float pm = L[i].p[TLX_LC_META];
        if (pm > bl_best) {
            vec_t tmp = {0};
            if (s_byline_names(P->a, L[i].s, L[i].len, L[i].name_like || L[i].bullet_name, &tmp, &rc) > 0)
                bl_best = pm, P->bl = (int)i;
        }
        char iso[32];
        if (L[i].date && (pm > dl_best || (head && pm > dl_head)) &&
            s_line_date(L[i].s, L[i].len, P->opts, P->text, P->tlen, iso) == 0) {
            if (pm > dl_best)
                dl_best = pm, P->dl_line = (int)i;
            if (head && pm > dl_head)
                dl_head = pm, dl_h = (int)i;
        }
    }
    if (dl_h >= 0) /* a date line above the body is the article's; one below may be a teaser's */
        P->dl_line = dl_h;
    if (rc)
        return rc;
    if (P->bl >= 0)
        s_byline_names(P->a, L[P->bl].s, L[P->bl].len, L[P->bl].name_like || L[P->bl].bullet_name,
                       &P->authors, &rc);
    if (P->dl_line >= 0)
        s_line_date(L[P->dl_line].s, L[P->dl_line].len, P->opts, P->text, P->tlen, P->date);
    return rc;
}

/* Line i is an author box: a name line and, right under it, a bio that
   starts with the same name ("Jane Roe is a correspondent ..."). */
static int s_author_box(const parse_t *P, uint32_t i)
{
    return P->L[i].name_like && P->L[i].next_starts_me;
}

/* No byline the model rates: a line that says it is one anyway -- "Posted
   in News by Jane Roe.", "By Jane Roe" (not a sentence: "By Tuesday, most
   ... returned." is not), or an author box -- anywhere in the text. */
static int s_byline_fallback(parse_t *P)
{
    const tlx_layout_line_t *L = P->L;
    int rc = 0;
    if (P->bl >= 0 || P->authors.n || P->layout)
        return 0;
    for (uint32_t i = 0; i < P->n && !rc; i++) {
        if (P->taken[i] || (int)i == P->t || L[i].len > 200 || L[i].credit)
            continue;
        int box = s_author_box(P, i);
        if (!box && !(L[i].by && (!L[i].sent_end || L[i].posted)))
            continue;
        vec_t tmp = {0}; /* P->authors is empty here: the first line with names gives them */
        if (s_byline_names(P->a, L[i].s, L[i].len, box, &tmp, &rc) > 0) {
            P->bl = (int)i;
            P->authors = tmp;
            break;
        }
    }
    return rc;
}

/* The dateline: at the start of the first prose line of the head
   ("SEOUL, March 4 (Yonhap) --"), with a byline glued before it. */
static int s_read_dateline(parse_t *P, tlx_record_t *rec)
{
    const tlx_layout_line_t *L = P->L;
    int rc = 0;
    for (uint32_t i = 0; i < P->n && i < S_HEAD_LINES && !rc; i++) {
        if (P->taken[i] || (int)i == P->t || (int)i == P->bl || (int)i == P->dl_line)
            continue;
        dateline_t dl;
        if ((L[i].prose || L[i].cls == TLX_LC_BODY) && s_dateline(L[i].s, L[i].len, &dl)) {
            const char *s = L[i].s;
            rec->dateline.text = tlx_arena_strndup(P->a, s, dl.end);
            if (dl.pe > dl.ps)
                rec->dateline.place = tlx_arena_strndup(P->a, s + dl.ps, dl.pe - dl.ps);
            if (dl.ae > dl.as)
                rec->dateline.agency = tlx_arena_strndup(P->a, s + dl.as, dl.ae - dl.as);
            if (dl.be > dl.bs && !P->authors.n)
                s_names(P->a, s + dl.bs, dl.be - dl.bs, &P->authors, &rc);
            char iso[32];
            if (dl.de > dl.ds && !P->date[0] &&
                s_line_date(s + dl.ds, dl.de - dl.ds, P->opts, P->text, P->tlen, iso) == 0)
                memcpy(P->date, iso, 32);
        }
        if (L[i].prose)
            break;
    }
    return rc;
}

/* A photo credit by its label alone: "Photo : Agency", "Image: X/Agency",
   "Photos: Jane Roe" (short, no sentence end): the credit of a photo whose
   caption the page text does not have, whatever the model rates it. */
static int s_photo_label(const tlx_layout_line_t *L)
{
    const char *s = L->s;
    size_t len = L->len, k;
    if (len > 80 || L->sent_end)
        return 0;
    if (!s_icase_prefix(s, len, "photo") && !s_icase_prefix(s, len, "image"))
        return 0;
    k = 5 + (len > 5 && (s[5] == 's' || s[5] == 'S'));
    while (k < len && s[k] == ' ')
        k++;
    return k + 1 < len && s[k] == ':' && s_words(s, len, 9) <= 8;
}

/* Line i's class as decoded: the model's, with the choices above, one
   headline, a deck only right under it, subheadings only after it. */
static tlx_layout_class_t s_decode_line(const parse_t *P, uint32_t i, int body_started, int deck_done)
{
    const tlx_layout_line_t *L = P->L;
    const uint8_t *fc = P->fc;
    int t = P->t;
    tlx_layout_class_t c = L[i].cls;
    if ((int)i == t)
        return TLX_LC_TITLE;
    if ((int)i == P->bl || (int)i == P->dl_line)
        return P->layout ? TLX_LC_BODY : TLX_LC_META;
    if (c != TLX_LC_CAPTION && L[i].credit &&
        (L[i].p[TLX_LC_CAPTION] >= S_CAPTION_MIN || s_photo_label(&L[i]) ||
         /* a lone credit line under a line that reads as a caption: the pair is one */
         (i > 0 && !P->taken[i - 1] && fc[i - 1] != TLX_LC_TITLE && fc[i - 1] != TLX_LC_META &&
          L[i].p[TLX_LC_CAPTION] + L[i - 1].p[TLX_LC_CAPTION] >= S_CAPTION_PAIR && s_credit_line(&L[i]))))
        c = TLX_LC_CAPTION;
    if (c == TLX_LC_TITLE)
        c = body_started || (t >= 0 && (int)i > t) ? TLX_LC_SUBHEAD : s_second(&L[i], TLX_LC_TITLE);
    if (c == TLX_LC_DECK && (deck_done || t < 0 || (int)i <= t || (int)i > t + 3 || body_started))
        c = s_second(&L[i], TLX_LC_DECK);
    if (c == TLX_LC_DECK && L[i].p[TLX_LC_DECK] < 0.5f)
        c = TLX_LC_BODY;
    if (c == TLX_LC_SUBHEAD && !body_started && (t < 0 || (int)i < t))
        c = s_second(&L[i], TLX_LC_SUBHEAD);
    if (c == TLX_LC_BOILER && L[i].prose && L[i].p[TLX_LC_BOILER] < S_BOIL_PROSE_MIN)
        c = TLX_LC_BODY; /* a sentence the model is unsure of stays: dropping text costs more */
    if (c == TLX_LC_TITLE || (c == TLX_LC_META && L[i].len > 300) || P->layout)
        c = TLX_LC_BODY; /* HTML: the markup's article text is the body (the dateline is still read) */
    return c;
}

static void s_decode(parse_t *P)
{
    const tlx_layout_line_t *L = P->L;
    uint8_t *fc = P->fc;
    memset(fc, TLX_LC_BOILER, P->n + 1); /* taken lines: rules, credits, tags, learned */
    int body_started = 0, deck_done = 0;
    for (uint32_t i = 0; i < P->n; i++) {
        if (P->taken[i])
            continue;
        tlx_layout_class_t c = s_decode_line(P, i, body_started, deck_done);
        deck_done |= c == TLX_LC_DECK;
        body_started |= c == TLX_LC_BODY;
        fc[i] = (uint8_t)c;
        /* a credit line alone ("EXAMPLE/Jane Roe"): the line just above is its
           caption when the model rates that at least S_CAPTION_PREV */
        if (c == TLX_LC_CAPTION && i > 0 && !P->taken[i - 1] && fc[i - 1] != TLX_LC_CAPTION &&
            fc[i - 1] != TLX_LC_TITLE && fc[i - 1] != TLX_LC_META && L[i - 1].len <= 300 &&
            L[i - 1].p[TLX_LC_CAPTION] >= S_CAPTION_PREV && s_credit_line(&L[i]))
            fc[i - 1] = TLX_LC_CAPTION;
    }
}

/* The headline line: a byline glued to it by the crawl ("...launchBy Jane
   Doe") goes to the authors. */
static int s_emit_title(parse_t *P, const char *s, size_t l)
{
    int rc = 0;
    size_t e = l;
    for (size_t k = l > 60 ? l - 60 : 1; k + 3 < l; k++)
        if (s[k] == 'B' && s[k + 1] == 'y' && s[k + 2] == ' ' && islower((unsigned char)s[k - 1])) {
            size_t before = P->authors.n;
            if (s_names(P->a, s + k + 3, l - k - 3, &P->authors, &rc) > 0 || P->authors.n > before)
                e = k;
            break;
        }
    size_t pre = tlx_layout_title_prefix(s, e); /* "Skip to section Headline", "The Weekly - Headline" */
    P->title = s + pre, P->title_len = e - pre;
    return rc;
}

/* A "meta" line other than the byline and date lines: one that reads as a
   byline or date (an "Updated" line) goes with the furniture; one that gives
   neither stays in the body. */
static int s_emit_meta(parse_t *P, uint32_t i, int *body_started)
{
    const tlx_layout_line_t *L = &P->L[i];
    int rc = 0;
    if ((int)i == P->bl || (int)i == P->dl_line)
        return 0;
    char iso[32];
    vec_t tmp = {0};
    if (s_line_date(L->s, L->len, P->opts, P->text, P->tlen, iso) == 0 ||
        s_byline_names(P->a, L->s, L->len, L->name_like || L->bullet_name, &tmp, &rc) > 0)
        return rc ? rc : s_push(P->a, &P->boiler, L->s, L->len);
    s_body_add(P->body, &P->blen, L->s, L->len);
    *body_started = 1;
    return 0;
}

/* A body line; "By Jane Doe, The Daily staff writer | In a city..." gives the byline. */
static int s_emit_body(parse_t *P, const char *s, size_t l, int *body_started)
{
    int rc = 0;
    if (!P->authors.n && l > 300 && s_icase_prefix(s, l, "by ")) {
        const char *bar = memchr(s, '|', 120);
        if (bar)
            s_names(P->a, s + 3, (size_t)(bar - s) - 3, &P->authors, &rc);
    }
    *body_started = 1;
    s_body_add(P->body, &P->blen, s, l);
    return rc;
}

/* Each line to its field by its decoded class. */
static int s_emit(parse_t *P)
{
    const tlx_layout_line_t *L = P->L;
    int rc = 0, body_started = 0;
    for (uint32_t i = 0; i < P->n && !rc; i++) {
        if (P->taken[i])
            continue;
        const char *s = L[i].s;
        size_t l = L[i].len;
        switch ((tlx_layout_class_t)P->fc[i]) {
        case TLX_LC_TITLE:
            rc = s_emit_title(P, s, l);
            break;
        case TLX_LC_DECK:
            P->deck = s, P->deck_len = l;
            break;
        case TLX_LC_META:
            rc = s_emit_meta(P, i, &body_started);
            break;
        case TLX_LC_CAPTION: {
            uint32_t e = i + 1;
            while (e < P->n && !P->taken[e] && P->fc[e] == TLX_LC_CAPTION)
                e++;
            rc = s_caption_block(P->a, L, i, e, &P->caps, &P->ncaps, &P->capcap);
            i = e - 1;
            break;
        }
        case TLX_LC_BOILER:
            rc = s_push(P->a, &P->boiler, s, l);
            break;
        case TLX_LC_SUBHEAD:
            rc = s_push(P->a, &P->subs, s, l);
            break;
        default:
            rc = s_emit_body(P, s, l, &body_started);
        }
    }
    return rc;
}

/* The rest of a very long text (past S_MAX_LINES): body, a line a paragraph. */
static void s_emit_rest(parse_t *P)
{
    if (P->n != S_MAX_LINES)
        return;
    size_t p = P->L[P->n - 1].off + P->L[P->n - 1].len;
    while (p < P->tlen) {
        const char *nl = memchr(P->text + p, '\n', P->tlen - p);
        size_t e = nl ? (size_t)(nl - P->text) : P->tlen;
        if (e > p)
            s_body_add(P->body, &P->blen, P->text + p, e - p);
        p = e + 1;
    }
}

/* Nothing read as body: the lines the model gave to captions, deck,
   subheadings or furniture are the body after all (the rules' and the
   learned lines stay out); a text is never all furniture. */
static int s_no_body(parse_t *P)
{
    const tlx_layout_line_t *L = P->L;
    int rc = 0;
    P->ncaps = 0, P->deck = NULL, P->subs.n = 0, P->boiler.n = P->nboiler_rules;
    for (uint32_t i = 0; i < P->n && !rc; i++) {
        if (P->taken[i] || (int)i == P->t || (int)i == P->bl || (int)i == P->dl_line)
            continue;
        uint32_t e = i + 1, credit = L[i].credit;
        while (P->fc[i] == TLX_LC_CAPTION && e < P->n && !P->taken[e] && P->fc[e] == TLX_LC_CAPTION)
            credit |= L[e++].credit;
        if (P->fc[i] == TLX_LC_CAPTION && credit) { /* a credited photo caption stays one */
            rc = s_caption_block(P->a, L, i, e, &P->caps, &P->ncaps, &P->capcap);
            i = e - 1;
            continue;
        }
        for (; i < e; i++)
            s_body_add(P->body, &P->blen, L[i].s, L[i].len);
        i--;
    }
    return rc;
}

/* The record's fields from the parse; sentences and stats of the body. */
static int s_fill(parse_t *P, tlx_record_t *rec)
{
    tlx_arena_t *a = P->a;
    int rc;
    if (!P->blen && P->title) { /* a one-line article: its line is the body */
        memcpy(P->body, P->title, P->title_len);
        P->blen = P->title_len;
        P->title = NULL;
    }
    if (!P->date[0] && P->crawl[0])
        memcpy(P->date, P->crawl, 32);
    P->body[P->blen] = '\0';
    rec->title = P->title ? tlx_arena_strndup(a, P->title, P->title_len) : NULL;
    rec->deck = P->deck ? tlx_arena_strndup(a, P->deck, P->deck_len) : NULL;
    rec->tags = (tlx_strv_t){P->tags.v, P->tags.n};
    rec->captions = P->caps;
    rec->ncaptions = P->ncaps;
    rec->authors = (tlx_strv_t){P->authors.v, P->authors.n};
    rec->published_at = P->date[0] ? tlx_arena_strndup(a, P->date, strlen(P->date)) : NULL;
    rec->subheadings = (tlx_strv_t){P->subs.v, P->subs.n};
    rec->translated_by = (tlx_strv_t){P->tr.v, P->tr.n};
    rec->edited_by = (tlx_strv_t){P->ed.v, P->ed.n};
    rec->boilerplate = (tlx_strv_t){P->boiler.v, P->boiler.n};
    rec->body = P->body;
    rec->body_len = P->blen;
    if ((rc = tlx_summary_sentences(P->body, P->blen, a, &rec->sentences, &rec->nsentences)))
        return rc;
    uint32_t chars, words;
    s_count(P->body, P->blen, &chars, &words);
    rec->stats.chars = chars;
    rec->stats.words = words;
    rec->stats.sentences = rec->nsentences;
    rec->stats.reading_time_s = (words * 60 + 229) / 230;
    return 0;
}

int tlx_structure_parse(const char *norm, size_t len, const tlx_text_opts_t *opts,
                        const tlx_boiler_rules_t *rules, tlx_arena_t *a, tlx_record_t *rec)
{
    parse_t P = {.a = a, .opts = opts, .rules = rules, .t = -1, .bl = -1, .dl_line = -1};
    P.source = opts ? opts->source : NULL;
    P.layout = opts && opts->layout_known;
    /* body lines are joined by a blank line where the text may have one '\n':
       at most one extra byte per line, and a line takes at least two bytes */
    if (!(P.body = tlx_arena_alloc(a, len + len / 2 + 2)))
        return TLX_ENOMEM;
    size_t skip = s_crawl_prefix(norm, len, P.crawl);
    P.text = norm + skip;
    P.tlen = len - skip;
    int rc;
    if ((rc = tlx_layout_lines(P.text, P.tlen, S_MAX_LINES, a, &P.L, &P.n)))
        return rc;
    P.taken = tlx_arena_alloc(a, P.n + 1);
    P.fc = tlx_arena_alloc(a, P.n + 1);
    if (!P.taken || !P.fc)
        return TLX_ENOMEM;
    memset(P.taken, 0, P.n + 1);
    if ((rc = s_take_first(&P)))
        return rc;
    P.nboiler_rules = P.boiler.n;
    P.t = s_pick_title(&P);
    if ((rc = s_pick_meta(&P)) || (rc = s_byline_fallback(&P)) || (rc = s_read_dateline(&P, rec)))
        return rc;
    s_decode(&P);
    if ((rc = s_emit(&P)))
        return rc;
    s_emit_rest(&P);
    if (!P.blen && (rc = s_no_body(&P)))
        return rc;
    if ((rc = s_learned_end(a, &P.learned, &P.boiler, P.body, &P.blen, P.title != NULL)))
        return rc;
    return s_fill(&P, rec);
}
