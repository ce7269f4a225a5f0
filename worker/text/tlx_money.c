/*  tlx_money.c -- money and quantities (see tlx_money.h for the rules).

    How: a byte scan stops at each digit that starts a number (not after a
    letter, digit or decimal point), parses the number with its thousands
    groups, decimals and a magnitude word, then looks a few bytes left for a
    currency symbol or code and a few words right for a currency or unit
    word.  Each number is visited once and every look-around is bounded, so
    the scan is linear even on a body of digits.  Won/KPW/KRW context is a
    bounded window around the number (its sentence, at most 400 bytes each
    way) plus one lazy whole-body count.
    Rejected: libpostal-style full numeric parsing of number words ("three
    million"): rare in this register and ambiguous ("one of the ...");
    regexes: see tlx_dates.c.
*/
#include "tlx_money.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tlx_error.h"

#define S_MAXDIGITS 24
#define S_CTX 400

static inline bool s_alpha(unsigned char c)
{
    return ((c | 32) >= 'a' && (c | 32) <= 'z');
}
static inline bool s_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}
static inline bool s_alnum(unsigned char c)
{
    return s_alpha(c) || s_digit(c);
}

typedef struct {
    const char *b;
    size_t len;
    const char *defcur;
    int body_ctx; /* >0 north, <0 south, 0 tie; INT32_MIN = not computed */
    tlx_arena_t *arena;
    tlx_money_t *m;
    uint32_t nm, capm;
    tlx_quantity_t *q;
    uint32_t nq, capq;
} ctx_t;

/* Word at b[i..] equals w (case-insensitive) and ends at a non-letter. */
static bool s_word_at(const ctx_t *c, size_t i, const char *w, size_t *end)
{
    size_t l = strlen(w);
    if (i + l > c->len || strncasecmp(c->b + i, w, l) != 0)
        return false;
    if (i + l < c->len && s_alpha((unsigned char)c->b[i + l]))
        return false;
    if (end)
        *end = i + l;
    return true;
}

static size_t s_skip_sp(const ctx_t *c, size_t i)
{
    while (i < c->len && c->b[i] == ' ')
        i++;
    if (i + 1 < c->len && (unsigned char)c->b[i] == 0xc2 && (unsigned char)c->b[i + 1] == 0xa0)
        return s_skip_sp(c, i + 2);
    return i;
}

/* +1 per North Korea marker, -1 per South Korea marker in b[s..e). */
static int s_korea_score(const char *b, size_t s, size_t e)
{
    static const char *const north[] = {"North Korea", "Pyongyang", "DPRK",
                                        "jangmadang",  "Hyesan",    "Sinuiju"};
    static const char *const south[] = {"South Korea", "Seoul", "ROK", "Republic of Korea"};
    int score = 0;
    for (size_t i = s; i < e; i++) {
        char ch = b[i];
        if (ch != 'N' && ch != 'P' && ch != 'D' && ch != 'j' && ch != 'H' && ch != 'S' && ch != 'R')
            continue;
        for (size_t k = 0; k < sizeof north / sizeof *north; k++) {
            size_t l = strlen(north[k]);
            if (i + l <= e && memcmp(b + i, north[k], l) == 0)
                score++;
        }
        for (size_t k = 0; k < sizeof south / sizeof *south; k++) {
            size_t l = strlen(south[k]);
            if (i + l <= e && memcmp(b + i, south[k], l) == 0)
                score--;
        }
    }
    return score;
}

static const char *s_won(ctx_t *c, size_t s, size_t e)
{
    /* the sentence: back to the previous '.', '\n'; forward likewise */
    size_t a = s, z = e;
    while (a > 0 && s - a < S_CTX && c->b[a - 1] != '\n' &&
           !(c->b[a - 1] == '.' && a < c->len && c->b[a] == ' '))
        a--;
    while (z < c->len && z - e < S_CTX && c->b[z] != '\n' && c->b[z] != '.')
        z++;
    int sc = s_korea_score(c->b, a, z);
    if (sc > 0)
        return "KPW";
    if (sc < 0)
        return "KRW";
    if (c->defcur && (strcmp(c->defcur, "KPW") == 0 || strcmp(c->defcur, "KRW") == 0))
        return c->defcur;
    if (c->body_ctx == INT32_MIN)
        c->body_ctx = s_korea_score(c->b, 0, c->len);
    if (c->body_ctx < 0)
        return "KRW";
    if (c->body_ctx > 0)
        return "KPW";
    return memmem(c->b, c->len, "North Korea", 11) ? "KPW" : "KRW";
}

static int s_push_money(ctx_t *c, size_t s, size_t e, double amount, const char *cur)
{
    if (c->nm == c->capm) {
        uint32_t cap = c->capm ? c->capm * 2 : 8;
        tlx_money_t *v = tlx_arena_alloc(c->arena, cap * sizeof(*v));
        if (!v)
            return TLX_ENOMEM;
        if (c->nm)
            memcpy(v, c->m, c->nm * sizeof(*v));
        c->m = v, c->capm = cap;
    }
    tlx_money_t *m = &c->m[c->nm];
    memset(m, 0, sizeof(*m));
    m->text = tlx_arena_strndup(c->arena, c->b + s, e - s);
    if (!m->text)
        return TLX_ENOMEM;
    m->amount = amount;
    memcpy(m->currency, cur, 3);
    m->span.start = (uint32_t)s;
    m->span.end = (uint32_t)e;
    c->nm++;
    return 0;
}

static int s_push_qty(ctx_t *c, size_t s, size_t e, double amount, const char *unit)
{
    if (c->nq == c->capq) {
        uint32_t cap = c->capq ? c->capq * 2 : 8;
        tlx_quantity_t *v = tlx_arena_alloc(c->arena, cap * sizeof(*v));
        if (!v)
            return TLX_ENOMEM;
        if (c->nq)
            memcpy(v, c->q, c->nq * sizeof(*v));
        c->q = v, c->capq = cap;
    }
    tlx_quantity_t *q = &c->q[c->nq];
    q->text = tlx_arena_strndup(c->arena, c->b + s, e - s);
    if (!q->text)
        return TLX_ENOMEM;
    q->amount = amount;
    q->unit = unit;
    q->span.start = (uint32_t)s;
    q->span.end = (uint32_t)e;
    c->nq++;
    return 0;
}

/* Currency words after a number: {word, ISO code ("" = won: by context)}. */
static const struct {
    const char *w, *iso;
} s_curwords[] = {
    {"North Korean won", "KPW"},
    {"South Korean won", "KRW"},
    {"US dollars", "USD"},
    {"U.S. dollars", "USD"},
    {"dollars", "USD"},
    {"dollar", "USD"},
    {"won", ""},
    {"yuan", "CNY"},
    {"renminbi", "CNY"},
    {"RMB", "CNY"},
    {"euros", "EUR"},
    {"euro", "EUR"},
    {"yen", "JPY"},
    {"rubles", "RUB"},
    {"roubles", "RUB"},
    {"ruble", "RUB"},
    {"USD", "USD"},
    {"KPW", "KPW"},
    {"KRW", "KRW"},
    {"CNY", "CNY"},
    {"EUR", "EUR"},
    {"JPY", "JPY"},
    {"RUB", "RUB"},
    {"GBP", "GBP"},
};

/* Codes and symbols before a number. */
static const struct {
    const char *w, *iso;
    bool word; /* needs a space or word boundary */
} s_curpre[] = {
    {"US$", "USD", false},          {"HK$", "HKD", false},      {"$", "USD", false},
    {"\xe2\x82\xac", "EUR", false}, {"\xc2\xa3", "GBP", false}, {"\xe2\x82\xa9", "", false},
    {"\xc2\xa5", "CNY", false},     {"USD", "USD", true},       {"KPW", "KPW", true},
    {"KRW", "KRW", true},           {"CNY", "CNY", true},       {"RMB", "CNY", true},
    {"EUR", "EUR", true},           {"JPY", "JPY", true},       {"RUB", "RUB", true},
    {"GBP", "GBP", true},
};

static const char *const s_units[] = {
    "people",     "persons",    "person",   "workers",  "defectors", "residents", "soldiers",
    "officials",  "households", "families", "students", "children",  "tons",      "tonnes",
    "ton",        "kilograms",  "kilogram", "kg",       "grams",     "km",        "kilometers",
    "kilometres", "meters",     "metres",   "miles",    "hectares",  "acres",     "liters",
    "litres",     "barrels",    "times",    "hours",    "days",      "weeks",     "months",
    "years",      "cases",      "units",    "cars",     "trucks",    "ships",
};

/* "November 13": the day of a date even without the caller's date spans. */
static bool s_after_month(const char *b, size_t s)
{
    static const char *const m[] = {"January", "February", "March",     "April",   "May",      "June",
                                    "July",    "August",   "September", "October", "November", "December",
                                    "Jan.",    "Feb.",     "Mar.",      "Apr.",    "Aug.",     "Sept.",
                                    "Sep.",    "Oct.",     "Nov.",      "Dec.",    NULL};
    if (s < 2 || b[s - 1] != ' ')
        return false;
    size_t e = s - 1, w = e;
    while (w > 0 && w + 12 > e && b[w - 1] != ' ' && b[w - 1] != '\n')
        w--;
    for (const char *const *p = m; *p; p++)
        if (strlen(*p) == e - w && memcmp(b + w, *p, e - w) == 0)
            return true;
    return false;
}

static bool s_in_skip(const tlx_span_t *skip, uint32_t nskip, uint32_t *k, size_t pos)
{
    while (*k < nskip && skip[*k].end <= pos)
        (*k)++;
    return *k < nskip && skip[*k].start <= pos;
}

int tlx_money_extract(const char *body, size_t len, const char *default_currency, const tlx_span_t *skip,
                      uint32_t nskip, tlx_arena_t *arena, tlx_money_t **money, uint32_t *nmoney,
                      tlx_quantity_t **qty, uint32_t *nqty)
{
    if (money)
        *money = NULL, *nmoney = 0;
    if (qty)
        *qty = NULL, *nqty = 0;
    if (!body || len == 0)
        return 0;
    if (len > UINT32_MAX)
        len = UINT32_MAX;
    ctx_t c = {.b = body, .len = len, .defcur = default_currency, .body_ctx = INT32_MIN, .arena = arena};
    uint32_t sk = 0;
    int rc = 0;
    size_t i = 0;
    while (i < len) {
        unsigned char ch = (unsigned char)body[i];
        if (!s_digit(ch) ||
            (i > 0 && (s_alnum((unsigned char)body[i - 1]) ||
                       (body[i - 1] == '.' && i > 1 && s_digit((unsigned char)body[i - 2]))))) {
            i++;
            continue;
        }
        /* the number: d{1,3}(,ddd)* | d+ ; optional .d+ */
        size_t s = i, p = i, ndig = 0;
        while (p < len && s_digit((unsigned char)body[p]))
            p++, ndig++;
        bool grouped = false;
        while ((grouped || ndig <= 3) && p + 3 < len && body[p] == ',' &&
               s_digit((unsigned char)body[p + 1]) && s_digit((unsigned char)body[p + 2]) &&
               s_digit((unsigned char)body[p + 3]) &&
               (p + 4 >= len || !s_digit((unsigned char)body[p + 4]))) {
            p += 4, ndig += 3, grouped = true;
        }
        size_t intend = p;
        if (p + 1 < len && body[p] == '.' && s_digit((unsigned char)body[p + 1])) {
            p++;
            while (p < len && s_digit((unsigned char)body[p]))
                p++, ndig++;
        }
        size_t e = p;
        i = p;
        if (ndig > S_MAXDIGITS)
            continue;
        if (e < len && s_alpha((unsigned char)body[e])) {
            /* "13th", "G20", "5kg": ordinals and glued units are skipped,
               except magnitude suffixes "5m"/"2bn" are rare enough to ignore */
            continue;
        }
        char buf[64];
        size_t bl = 0;
        for (size_t k = s; k < e && bl < sizeof buf - 1; k++)
            if (body[k] != ',')
                buf[bl++] = body[k];
        buf[bl] = '\0';
        double amount = strtod(buf, NULL);
        (void)intend;

        /* magnitude */
        size_t after = s_skip_sp(&c, e), we;
        if (s_word_at(&c, after, "thousand", &we))
            amount *= 1e3, e = we;
        else if (s_word_at(&c, after, "million", &we))
            amount *= 1e6, e = we;
        else if (s_word_at(&c, after, "billion", &we))
            amount *= 1e9, e = we;
        else if (s_word_at(&c, after, "trillion", &we))
            amount *= 1e12, e = we;

        /* currency before */
        const char *iso = NULL;
        size_t ms = s;
        for (size_t k = 0; k < sizeof s_curpre / sizeof *s_curpre && !iso; k++) {
            size_t l = strlen(s_curpre[k].w);
            size_t at = s;
            if (s_curpre[k].word) {
                if (at < 1 || body[at - 1] != ' ')
                    continue;
                at--;
            }
            if (at < l || memcmp(body + at - l, s_curpre[k].w, l) != 0)
                continue;
            if (s_curpre[k].word && at - l > 0 && s_alpha((unsigned char)body[at - l - 1]))
                continue;
            /* "$" inside "US$"/"HK$" was tried first */
            iso = s_curpre[k].iso;
            ms = at - l;
        }
        /* currency after */
        size_t me = e;
        if (!iso) {
            after = s_skip_sp(&c, e);
            if (after > e) {
                for (size_t k = 0; k < sizeof s_curwords / sizeof *s_curwords; k++) {
                    if (s_word_at(&c, after, s_curwords[k].w, &we)) {
                        iso = s_curwords[k].iso;
                        me = we;
                        break;
                    }
                }
            }
        }
        if (iso) {
            if (!*iso)
                iso = s_won(&c, ms, me);
            if (money && (rc = s_push_money(&c, ms, me, amount, iso)))
                break;
            i = me;
            continue;
        }
        if (!qty)
            continue;
        /* percentages */
        if (e < len && body[e] == '%') {
            if ((rc = s_push_qty(&c, s, e + 1, amount, "percent")))
                break;
            i = e + 1;
            continue;
        }
        after = s_skip_sp(&c, e);
        if (after > e && (s_word_at(&c, after, "percent", &we) || s_word_at(&c, after, "per cent", &we))) {
            if ((rc = s_push_qty(&c, s, we, amount, "percent")))
                break;
            i = we;
            continue;
        }
        if (s_in_skip(skip, nskip, &sk, s) || s_after_month(body, s))
            continue;
        /* part of a date, time, score or range like 16:07, 11-16, 2/3 */
        if (e < len && (body[e] == ':' || body[e] == '/' ||
                        (body[e] == '-' && e + 1 < len && s_digit((unsigned char)body[e + 1]))))
            continue;
        if (s > 0 && (body[s - 1] == ':' || body[s - 1] == '/' || body[s - 1] == '-' || body[s - 1] == '#'))
            continue;
        const char *unit = NULL;
        size_t qe = e;
        if (after > e) {
            for (size_t k = 0; k < sizeof s_units / sizeof *s_units; k++) {
                if (s_word_at(&c, after, s_units[k], &we)) {
                    unit = s_units[k];
                    qe = we;
                    break;
                }
            }
        }
        if (!unit && !grouped && ndig == 4 && e == intend && amount >= 1900 && amount <= 2100)
            continue; /* a year */
        if ((rc = s_push_qty(&c, s, qe, amount, unit)))
            break;
        i = qe;
    }
    if (rc)
        return rc;
    if (money)
        *money = c.m, *nmoney = c.nm;
    if (qty)
        *qty = c.q, *nqty = c.nq;
    return 0;
}
