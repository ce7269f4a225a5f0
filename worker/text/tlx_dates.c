/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_dates.c -- date expressions (see tlx_dates.h for what is matched).

    How: one pass splits the body into tokens (letter runs, digit runs,
    single punctuation bytes; spaces dropped, a flag records whether a token
    touches its predecessor); then each token position tries a fixed set of
    patterns over at most ~7 following tokens, longest first, and the scan
    resumes after a match.  Resolution works on day numbers (days since
    1970-01-01, Hinnant's civil calendar algorithms), which makes "eight
    days ago", weekdays and ISO weeks simple arithmetic.
    Rejected: regular expressions (POSIX regex has no case-folded word
    lists without giant alternations and is several times slower per
    article) and a general date grammar (HeidelTime-style rule files): the
    news register needs a few dozen shapes, listed here in code and tests.
*/
#include "tlx_dates.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tlx_datefmt.h"
#include "tlx_error.h"
#include "tlx_swar.h"
#include "tlx_wordset.h"

#define TLX_DATES_ARENA_SCRATCH (256 * 1024)

enum { T_WORD, T_NUM, T_PUNCT };

typedef struct {
    uint32_t start, end;
    uint8_t kind;
    uint8_t glued; /* no space before this token */
} tok_t;

typedef struct {
    const char *b;
    const tok_t *t;
    size_t n;
    size_t len; /* of b */
} scan_t;

/* ---- calendar ---------------------------------------------------------- */

static int64_t s_days(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void s_civil(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

/* 0 = Sunday .. 6 = Saturday */
static int s_wday(int64_t days)
{
    int w = (int)((days + 4) % 7);
    return w < 0 ? w + 7 : w;
}

int tlx_dates_anchor(const char *published_at, int64_t received_at_ms, tlx_dates_anchor_t *out)
{
    memset(out, 0, sizeof(*out));
    if (published_at) {
        int y, m, d;
        size_t used;
        if (tlx_datefmt_ymd(published_at, strlen(published_at), "-", &y, &m, &d, &used) == 0 && y >= 1000) {
            out->y = y, out->m = m, out->d = d;
            return 0;
        }
    }
    if (received_at_ms > 0) {
        int64_t days = received_at_ms / 86400000;
        s_civil(days, &out->y, &out->m, &out->d);
    }
    return 0;
}

/* ---- tokens ------------------------------------------------------------ */

static inline bool s_alpha(unsigned char c)
{
    return ((c | 32) >= 'a' && (c | 32) <= 'z');
}
static inline bool s_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static size_t s_tokenize(const char *b, size_t len, tok_t *t)
{
    size_t n = 0, i = 0;
    bool space = true;
    while (i < len) {
        unsigned char c = (unsigned char)b[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = true;
            i++;
            continue;
        }
        size_t s = i;
        uint8_t kind;
        if (s_alpha(c)) {
            i = tlx_swar_letters_end(b, i + 1, len);
            kind = T_WORD;
        } else if (s_digit(c)) {
            i = tlx_swar_digits_end(b, i + 1, len);
            kind = T_NUM;
        } else if (c >= 0x80) {
            i++;
            while (i < len && ((unsigned char)b[i] & 0xc0) == 0x80)
                i++;
            /* a no-break space is a space */
            if (i - s == 2 && (unsigned char)b[s] == 0xc2 && (unsigned char)b[s + 1] == 0xa0) {
                space = true;
                continue;
            }
            kind = T_PUNCT;
        } else {
            i++;
            kind = T_PUNCT;
        }
        t[n].start = (uint32_t)s;
        t[n].end = (uint32_t)i;
        t[n].kind = kind;
        t[n].glued = !space;
        space = false;
        n++;
    }
    return n;
}

static inline size_t s_tlen(const tok_t *t)
{
    return t->end - t->start;
}

static bool s_is(const scan_t *sc, size_t i, const char *w)
{
    if (i >= sc->n || sc->t[i].kind != T_WORD)
        return false;
    size_t l = strlen(w);
    return s_tlen(&sc->t[i]) == l && strncasecmp(sc->b + sc->t[i].start, w, l) == 0;
}

static bool s_punct(const scan_t *sc, size_t i, char c)
{
    return i < sc->n && sc->t[i].kind == T_PUNCT && s_tlen(&sc->t[i]) == 1 && sc->b[sc->t[i].start] == c;
}

static bool s_cap(const scan_t *sc, size_t i)
{
    return i < sc->n && sc->t[i].kind == T_WORD && sc->b[sc->t[i].start] >= 'A' &&
           sc->b[sc->t[i].start] <= 'Z';
}

/* Value of a digit token of at most `maxd` digits, else -1. */
static int s_num(const scan_t *sc, size_t i, size_t maxd)
{
    if (i >= sc->n || sc->t[i].kind != T_NUM || s_tlen(&sc->t[i]) > maxd)
        return -1;
    int v = 0;
    for (uint32_t k = sc->t[i].start; k < sc->t[i].end; k++)
        v = v * 10 + (sc->b[k] - '0');
    return v;
}

static const char *const s_wdays[] = {"sunday",   "monday", "tuesday", "wednesday",
                                      "thursday", "friday", "saturday"};

/* Month 1..12 of a capitalised month token ("March", "Sept.", "Dec."); 0 if
   none.  *next is the token after (past an abbreviation's dot). */
static int s_month(const scan_t *sc, size_t i, size_t *next)
{
    if (!s_cap(sc, i))
        return 0;
    size_t l = s_tlen(&sc->t[i]), used;
    int m = tlx_datefmt_month(sc->b + sc->t[i].start, sc->len - sc->t[i].start, &used);
    if (!m)
        return 0;
    if (l == strlen(tlx_datefmt_month_name(m))) {
        *next = i + 1;
        return m;
    }
    /* abbreviations need the dot ("Mar." not the verb "mar"; "May." is the
       full name and its dot ends a sentence) */
    if (used > l && m != 5) {
        *next = i + 2;
        return m;
    }
    return 0;
}

static int s_weekday(const scan_t *sc, size_t i)
{
    if (!s_cap(sc, i))
        return -1;
    for (int k = 0; k < 7; k++)
        if (s_is(sc, i, s_wdays[k]))
            return k;
    return -1;
}

/* Small cardinal written as digits or a word ("eight", "a"); -1 if none. */
static int s_card(const scan_t *sc, size_t i)
{
    static const char *const words[] = {"zero",     "one",      "two",      "three",   "four",    "five",
                                        "six",      "seven",    "eight",    "nine",    "ten",     "eleven",
                                        "twelve",   "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
                                        "eighteen", "nineteen", "twenty"};
    int v = s_num(sc, i, 3);
    if (v >= 0)
        return v;
    if (s_is(sc, i, "a") || s_is(sc, i, "an"))
        return 1;
    if (s_is(sc, i, "thirty"))
        return 30;
    if (s_is(sc, i, "forty"))
        return 40;
    if (s_is(sc, i, "fifty"))
        return 50;
    for (int k = 0; k < 21; k++)
        if (s_is(sc, i, words[k]))
            return k;
    return -1;
}

static bool s_ordsuffix(const scan_t *sc, size_t i)
{
    return i < sc->n && sc->t[i].glued &&
           (s_is(sc, i, "st") || s_is(sc, i, "nd") || s_is(sc, i, "rd") || s_is(sc, i, "th"));
}

/* Words after which a bare month name or year is a date ("in May"). */
static bool s_timeprep(const scan_t *sc, size_t i)
{
    static const char *const w[] = {
        "in",     "since",  "until",  "till",   "by",   "from", "of",      "during", "through", "early",
        "late",   "mid",    "before", "after",  "last", "next", "this",    "end",    "year",    "summer",
        "winter", "spring", "fall",   "autumn", "to",   "and",  "between", "around", "on"};
    for (size_t k = 0; k < sizeof w / sizeof *w; k++)
        if (s_is(sc, i, w[k]))
            return true;
    return false;
}

/* ---- output ------------------------------------------------------------ */

typedef struct {
    tlx_date_t *v;
    uint32_t n, cap;
    tlx_arena_t *arena;
    const char *b;
} out_t;

static int s_emit(out_t *o, uint32_t start, uint32_t end, const char *value)
{
    tlx_date_t *v = tlx_arena_grow(o->arena, o->v, o->n, &o->cap, sizeof *v, 16);
    if (!v)
        return TLX_ENOMEM;
    o->v = v;
    tlx_date_t *d = &o->v[o->n];
    d->text = tlx_arena_strndup(o->arena, o->b + start, end - start);
    d->value = tlx_arena_strndup(o->arena, value, strlen(value));
    if (!d->text || !d->value)
        return TLX_ENOMEM;
    d->span.start = start;
    d->span.end = end;
    o->n++;
    return 0;
}

/* ---- patterns ------------------------------------------------------------ */

/* Puts the year for month m / day d (d 0 = whole month) near the anchor. */
static int s_infer_year(const tlx_dates_anchor_t *a, int m, int d)
{
    if (!d) /* a month alone is reported speech about the past */
        return m > a->m ? a->y - 1 : a->y;
    int64_t an = s_days(a->y, a->m, a->d);
    int64_t c = s_days(a->y, m, d ? d : 1);
    return c - an > 90 ? a->y - 1 : a->y;
}

/* The patterns.  Each tries one family of shapes at token i and returns
   S_NEXT when it does not apply (the next family is tried), else the index
   one past the last token it consumed, with the value in m->val when it is
   a date (i itself: no date here, and no other family is tried either). */
#define S_NEXT SIZE_MAX

typedef struct {
    const scan_t *sc;
    const tlx_dates_anchor_t *a;
    bool anch;  /* the anchor is known: relative expressions resolve */
    int64_t an; /* the anchor's day number */
    char *val;
    size_t vsz;
    size_t *first; /* the first token of the match (a "the" before the day) */
} mctx_t;

/* ISO 2016-11-16. */
static size_t s_pat_iso(const mctx_t *c, size_t i)
{
    const scan_t *sc = c->sc;
    char *val = c->val;
    const size_t vsz = c->vsz;
    int m, y, d;
    if ((y = s_num(sc, i, 4)) >= 1000 && s_tlen(&sc->t[i]) == 4 && s_punct(sc, i + 1, '-') &&
        sc->t[i + 1].glued && sc->t[i + 2 < sc->n ? i + 2 : i].glued && (m = s_num(sc, i + 2, 2)) >= 1 &&
        m <= 12 && s_punct(sc, i + 3, '-') && sc->t[i + 3].glued && (d = s_num(sc, i + 4, 2)) >= 1 &&
        sc->t[i + 4].glued) {
        if (d > tlx_datefmt_mdays(y, m))
            return i;
        snprintf(val, vsz, "%04d-%02d-%02d", y, m, d);
        return i + 5;
    }
    return S_NEXT;
}

/* [early|mid|late|mid-] Month [DD[th]] [, YYYY], Month YYYY, "in Month", [early|mid|late] YYYY. */
static size_t s_pat_month(const mctx_t *c, size_t i)
{
    const scan_t *sc = c->sc;
    const tlx_dates_anchor_t *a = c->a;
    const bool anch = c->anch;
    char *val = c->val;
    const size_t vsz = c->vsz;
    int m, y, d;
    size_t nx;
    size_t q = i;
    bool qual = false;
    if (s_is(sc, i, "early") || s_is(sc, i, "late") || s_is(sc, i, "mid")) {
        q = i + 1;
        if (s_punct(sc, q, '-'))
            q++;
        qual = true;
    }
    if ((m = s_month(sc, q, &nx)) > 0) {
        bool may = m == 5 && !(nx > q + 1); /* "May" without a dot */
        d = s_num(sc, nx, 2);
        if (!qual && d >= 1 && sc->t[nx].kind == T_NUM &&
            !(nx + 1 < sc->n && sc->t[nx + 1].glued && sc->t[nx + 1].kind == T_NUM)) {
            size_t e = nx + 1;
            if (s_ordsuffix(sc, e))
                e++;
            /* "May 25, 2019" / "May 25 2019" */
            size_t ye = e;
            if (s_punct(sc, ye, ','))
                ye++;
            y = s_num(sc, ye, 4);
            if (y >= 1000 && s_tlen(&sc->t[ye]) == 4 && !s_punct(sc, ye + 1, '%')) {
                if (d > tlx_datefmt_mdays(y, m))
                    return e; /* "February 30, 2019": consumed, not a date */
                snprintf(val, vsz, "%04d-%02d-%02d", y, m, d);
                return ye + 1;
            }
            if (d > 31 || (d > tlx_datefmt_mdays(2000, m)))
                return e; /* "February 30": not a date */
            if (!anch)
                return i;
            y = s_infer_year(a, m, d);
            if (d > tlx_datefmt_mdays(y, m))
                return e; /* February 29 outside a leap year */
            snprintf(val, vsz, "%04d-%02d-%02d", y, m, d);
            return e;
        }
        /* "June 2019", "mid-2016" handled below */
        y = s_num(sc, nx, 4);
        if (y >= 1000 && s_tlen(&sc->t[nx]) == 4) {
            snprintf(val, vsz, "%04d-%02d", y, m);
            return nx + 1;
        }
        if (s_is(sc, nx, "of") && (y = s_num(sc, nx + 1, 4)) >= 1000 && s_tlen(&sc->t[nx + 1]) == 4) {
            snprintf(val, vsz, "%04d-%02d", y, m); /* "March of 2019" */
            return nx + 2;
        }
        if (qual || (i > 0 && s_timeprep(sc, i - 1) && (!may || !s_is(sc, i - 1, "and")))) {
            if (!anch)
                return i;
            if (s_is(sc, nx, "last") && s_is(sc, nx + 1, "year")) {
                snprintf(val, vsz, "%04d-%02d", a->y - 1, m);
                return nx + 2;
            }
            if (s_is(sc, nx, "this") && s_is(sc, nx + 1, "year")) {
                snprintf(val, vsz, "%04d-%02d", a->y, m);
                return nx + 2;
            }
            snprintf(val, vsz, "%04d-%02d", s_infer_year(a, m, 0), m);
            return nx;
        }
    }
    /* [early|mid|late] YYYY */
    if (qual && (y = s_num(sc, q, 4)) >= 1000 && s_tlen(&sc->t[q]) == 4) {
        snprintf(val, vsz, "%04d", y);
        return q + 1;
    }
    return S_NEXT;
}

/* DD Month [YYYY], "the 13th [of Month]". */
static size_t s_pat_day(const mctx_t *c, size_t i)
{
    const scan_t *sc = c->sc;
    const tlx_dates_anchor_t *a = c->a;
    const bool anch = c->anch;
    char *val = c->val;
    const size_t vsz = c->vsz;
    int m, y, d;
    size_t nx;
    if ((d = s_num(sc, i, 2)) >= 1) {
        size_t e = i + 1;
        bool ord = s_ordsuffix(sc, e);
        if (ord)
            e++;
        size_t e2 = e;
        if (ord && s_is(sc, e2, "of"))
            e2++;
        if ((m = s_month(sc, e2, &nx)) > 0) {
            y = s_num(sc, nx, 4);
            if (y >= 1000 && s_tlen(&sc->t[nx]) == 4) {
                if (d > tlx_datefmt_mdays(y, m))
                    return nx + 1;
                snprintf(val, vsz, "%04d-%02d-%02d", y, m, d);
                return nx + 1;
            }
            if (d > tlx_datefmt_mdays(2000, m) || !anch)
                return nx;
            y = s_infer_year(a, m, d);
            if (d > tlx_datefmt_mdays(y, m))
                return nx;
            if (i > 0 && s_is(sc, i - 1, "the"))
                *c->first = i - 1;
            snprintf(val, vsz, "%04d-%02d-%02d", y, m, d);
            return nx;
        }
        /* "the 13th" alone: a day of the anchor's month (or the month before) */
        if (ord && anch && i > 0 && s_is(sc, i - 1, "the") && d <= 31 &&
            (e >= sc->n || sc->t[e].kind == T_PUNCT || s_is(sc, e, "and") || s_is(sc, e, "when"))) {
            int yy = a->y, mm = a->m;
            if (d > a->d) {
                if (--mm == 0)
                    mm = 12, yy--;
            }
            if (d > tlx_datefmt_mdays(yy, mm))
                return e;
            *c->first = i - 1;
            snprintf(val, vsz, "%04d-%02d-%02d", yy, mm, d);
            return e;
        }
    }
    return S_NEXT;
}

/* [last|next|this] Weekday, counted from the anchor. */
static size_t s_pat_weekday(const mctx_t *c, size_t i)
{
    const scan_t *sc = c->sc;
    const bool anch = c->anch;
    const int64_t an = c->an;
    char *val = c->val;
    const size_t vsz = c->vsz;
    int m, y, d;
    {
        size_t w = i;
        int dir = 0; /* -1 last, +1 next, 0 most recent */
        if (s_is(sc, i, "last"))
            dir = -1, w++;
        else if (s_is(sc, i, "next"))
            dir = 1, w++;
        else if (s_is(sc, i, "this"))
            w++;
        int wd = s_weekday(sc, w);
        if (wd >= 0) {
            if (!anch)
                return i;
            int aw = s_wday(an);
            int64_t day;
            if (dir > 0)
                day = an + ((wd - aw + 7) % 7 ? (wd - aw + 7) % 7 : 7);
            else {
                int back = (aw - wd + 7) % 7;
                if (dir < 0 && back == 0)
                    back = 7;
                day = an - back;
            }
            s_civil(day, &y, &m, &d);
            snprintf(val, vsz, "%04d-%02d-%02d", y, m, d);
            return w + 1;
        }
    }
    return S_NEXT;
}

/* today / yesterday / tomorrow. */
static size_t s_pat_near_day(const mctx_t *c, size_t i)
{
    const scan_t *sc = c->sc;
    const bool anch = c->anch;
    const int64_t an = c->an;
    char *val = c->val;
    const size_t vsz = c->vsz;
    int m, y, d;
    if (anch && (s_is(sc, i, "yesterday") || s_is(sc, i, "today") || s_is(sc, i, "tomorrow"))) {
        int64_t day = an + (s_is(sc, i, "yesterday") ? -1 : s_is(sc, i, "tomorrow") ? 1 : 0);
        s_civil(day, &y, &m, &d);
        snprintf(val, vsz, "%04d-%02d-%02d", y, m, d);
        return i + 1;
    }
    return S_NEXT;
}

/* last|this|next|past week|month|year. */
static size_t s_pat_period(const mctx_t *c, size_t i)
{
    const scan_t *sc = c->sc;
    const tlx_dates_anchor_t *a = c->a;
    const bool anch = c->anch;
    const int64_t an = c->an;
    char *val = c->val;
    const size_t vsz = c->vsz;
    if (anch && (s_is(sc, i, "last") || s_is(sc, i, "this") || s_is(sc, i, "next") || s_is(sc, i, "past"))) {
        int dir = s_is(sc, i, "next") ? 1 : (s_is(sc, i, "this") ? 0 : -1);
        if (s_is(sc, i + 1, "year")) {
            snprintf(val, vsz, "%04d", a->y + dir);
            return i + 2;
        }
        if (s_is(sc, i + 1, "month")) {
            int yy = a->y, mm = a->m + dir;
            if (mm == 0)
                mm = 12, yy--;
            if (mm == 13)
                mm = 1, yy++;
            snprintf(val, vsz, "%04d-%02d", yy, mm);
            return i + 2;
        }
        if (s_is(sc, i + 1, "week")) {
            int64_t day = an + 7 * dir;
            int wd = s_wday(day);
            int64_t thu = day - (wd == 0 ? 7 : wd) + 4;
            int ty, tm, td;
            s_civil(thu, &ty, &tm, &td);
            int week = (int)((thu - s_days(ty, 1, 1)) / 7) + 1;
            snprintf(val, vsz, "%04d-W%02d", ty, week);
            return i + 2;
        }
    }
    return S_NEXT;
}

/* N days|weeks|months|years|decades ago. */
static size_t s_pat_ago(const mctx_t *c, size_t i)
{
    const scan_t *sc = c->sc;
    const tlx_dates_anchor_t *a = c->a;
    const bool anch = c->anch;
    const int64_t an = c->an;
    char *val = c->val;
    const size_t vsz = c->vsz;
    int m, y, d, k;
    if (anch && (k = s_card(sc, i)) >= 0 && k <= 200) {
        size_t u = i + 1;
        if (s_punct(sc, u, '-'))
            u++;
        int unit = s_is(sc, u, "day") || s_is(sc, u, "days")         ? 1
                   : s_is(sc, u, "week") || s_is(sc, u, "weeks")     ? 2
                   : s_is(sc, u, "month") || s_is(sc, u, "months")   ? 3
                   : s_is(sc, u, "year") || s_is(sc, u, "years")     ? 4
                   : s_is(sc, u, "decade") || s_is(sc, u, "decades") ? 5
                                                                     : 0;
        if (unit && s_is(sc, u + 1, "ago")) {
            if (unit <= 2) {
                s_civil(an - (int64_t)k * (unit == 1 ? 1 : 7), &y, &m, &d);
                snprintf(val, vsz, "%04d-%02d-%02d", y, m, d);
            } else if (unit == 3) {
                int mm = a->m - k % 12, yy = a->y - k / 12;
                if (mm <= 0)
                    mm += 12, yy--;
                snprintf(val, vsz, "%04d-%02d", yy, mm);
            } else {
                snprintf(val, vsz, "%04d", a->y - k * (unit == 5 ? 10 : 1));
            }
            return u + 2;
        }
    }
    return S_NEXT;
}

/* A 4-digit year after a time preposition ("in 2016"), not an amount. */
static size_t s_pat_year(const mctx_t *c, size_t i)
{
    const scan_t *sc = c->sc;
    char *val = c->val;
    const size_t vsz = c->vsz;
    int y;
    if ((y = s_num(sc, i, 4)) >= 1900 && y <= 2100 && s_tlen(&sc->t[i]) == 4 && i > 0 &&
        s_timeprep(sc, i - 1) && !sc->t[i].glued && !s_punct(sc, i + 1, '%') &&
        !(s_punct(sc, i + 1, ',') && i + 2 < sc->n && sc->t[i + 2].kind == T_NUM && sc->t[i + 2].glued) &&
        !(s_punct(sc, i + 1, '.') && i + 2 < sc->n && sc->t[i + 2].kind == T_NUM && sc->t[i + 2].glued)) {
        snprintf(val, vsz, "%04d", y);
        return i + 1;
    }
    return S_NEXT;
}

/* Tries every pattern at token i.  On a match writes the value into val and
   returns the index one past the last token, else returns i. */
static size_t s_match(const scan_t *sc, size_t i, const tlx_dates_anchor_t *a, char *val, size_t vsz,
                      size_t *first)
{
    mctx_t c = {sc, a, a->y != 0, a->y ? s_days(a->y, a->m, a->d) : 0, val, vsz, first};
    *first = i;
    size_t e; /* direct calls, not a table: the families inline into this loop */
    if ((e = s_pat_iso(&c, i)) != S_NEXT || (e = s_pat_month(&c, i)) != S_NEXT ||
        (e = s_pat_day(&c, i)) != S_NEXT || (e = s_pat_weekday(&c, i)) != S_NEXT ||
        (e = s_pat_near_day(&c, i)) != S_NEXT || (e = s_pat_period(&c, i)) != S_NEXT ||
        (e = s_pat_ago(&c, i)) != S_NEXT || (e = s_pat_year(&c, i)) != S_NEXT)
        return e;
    return i;
}

/* ---- starters: the words a date can begin with ------------------------------ */

/* A token is tried against the patterns only when it is a short number or
   one of these words: one hash probe per word instead of ~60 compares. */
static const char *const s_starters[] = {
    "sept",   "sunday",   "monday",    "tuesday", "wednesday", "thursday",  "friday",   "saturday",
    "early",  "late",     "mid",       "last",    "next",      "this",      "past",     "the",
    "a",      "an",       "yesterday", "today",   "tomorrow",  "one",       "two",      "three",
    "four",   "five",     "six",       "seven",   "eight",     "nine",      "ten",      "eleven",
    "twelve", "thirteen", "fourteen",  "fifteen", "sixteen",   "seventeen", "eighteen", "nineteen",
    "twenty", "thirty",   "forty",     "fifty",   "zero"};
/* value in s_start: a starter, and one of the frequent ones ("the", "a",
   "an") that starts a date only before a number or a time unit */
enum { S_STARTER = 1, S_FREQUENT = 2 };
TLX_WORDSET_STATIC(s_start, 256, true);
static pthread_once_t s_once = PTHREAD_ONCE_INIT;

static char s_mabbr[12][4]; /* "jan".."dec", from tlx_datefmt's month table */

static void s_insert(const char *w)
{
    size_t n = strlen(w);
    bool frequent = n <= 3 && (w[0] == 't' || w[0] == 'a') && strcmp(w, "two") && strcmp(w, "ten") &&
                    strcmp(w, "apr") && strcmp(w, "aug");
    tlx_wordset_put(&s_start, w, S_STARTER | (frequent ? S_FREQUENT : 0));
}

static void s_init(void)
{
    for (int m = 1; m <= 12; m++) { /* month names and abbreviations */
        s_insert(tlx_datefmt_month_name(m));
        memcpy(s_mabbr[m - 1], tlx_datefmt_month_name(m), 3);
        if (m != 5)
            s_insert(s_mabbr[m - 1]);
    }
    for (size_t k = 0; k < sizeof s_starters / sizeof *s_starters; k++)
        s_insert(s_starters[k]);
}

static bool s_starter(const scan_t *sc, size_t i)
{
    const tok_t *t = &sc->t[i];
    size_t n = s_tlen(t);
    if (t->kind == T_NUM)
        return n <= 4;
    if (t->kind != T_WORD || n > 9)
        return false;
    uint32_t v = tlx_wordset_get(&s_start, sc->b + t->start, n);
    if (!v)
        return false;
    if (v & S_FREQUENT) /* only before a number / a time unit */
        return i + 1 < sc->n &&
               (sc->t[i + 1].kind == T_NUM || s_is(sc, i + 1, "year") || s_is(sc, i + 1, "month") ||
                s_is(sc, i + 1, "week") || s_is(sc, i + 1, "day") || s_is(sc, i + 1, "decade"));
    return true;
}

int tlx_dates_extract(const char *body, size_t len, const tlx_dates_anchor_t *anchor, tlx_arena_t *arena,
                      tlx_date_t **out, uint32_t *n)
{
    *out = NULL;
    *n = 0;
    if (!body || len == 0)
        return 0;
    if (len > UINT32_MAX)
        len = UINT32_MAX;
    /* small bodies borrow scratch from the arena (no mmap/page faults per
       article), sized for the most tokens len bytes can make; larger ones
       count their tokens exactly and use malloc, so the arena does not
       keep the peak of a huge body */
    size_t cnt = len, ntok;
    if ((cnt + 1) * sizeof(tok_t) > TLX_DATES_ARENA_SCRATCH) {
        cnt = 0;
        int prev = 0; /* 0: not in a word; 1: letters; 2: digits ("abc123" is two tokens) */
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)body[i];
            int cls = s_alpha(c) ? 1 : s_digit(c) ? 2 : 0;
            if (!cls || cls != prev)
                cnt++;
            prev = cls;
        }
    }
    size_t need = (cnt + 1) * sizeof(tok_t);
    bool heap = need > TLX_DATES_ARENA_SCRATCH;
    tok_t *t = heap ? malloc(need) : tlx_arena_alloc(arena, need);
    if (!t)
        return TLX_ENOMEM;
    ntok = s_tokenize(body, len, t);
    scan_t sc = {body, t, ntok, len};
    pthread_once(&s_once, s_init);
    tlx_dates_anchor_t none = {0, 0, 0};
    const tlx_dates_anchor_t *a = anchor ? anchor : &none;
    out_t o = {NULL, 0, 0, arena, body};
    int rc = 0;
    char val[48];
    for (size_t i = 0; i < ntok;) {
        /* only short numbers and the starter words begin a date */
        if (!s_starter(&sc, i)) {
            i++;
            continue;
        }
        val[0] = '\0';
        size_t first;
        size_t e = s_match(&sc, i, a, val, sizeof val, &first);
        if (e == i) {
            i++;
            continue;
        }
        if (val[0]) {
            uint32_t end = t[e - 1].end;
            if (t[e - 1].kind == T_PUNCT && sc.b[t[e - 1].start] == '.' && e - 1 > first)
                end = t[e - 1].end; /* keep "Sept." dot */
            rc = s_emit(&o, t[first].start, end, val);
            if (rc)
                break;
        }
        i = e;
    }
    if (heap)
        free(t);
    if (rc)
        return rc;
    *out = o.v;
    *n = o.n;
    return 0;
}
