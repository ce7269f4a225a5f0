/* SPDX-License-Identifier: Apache-2.0 */
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

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tlx_datefmt.h"
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

/* "¥": yuan when its sentence speaks of yuan, renminbi or China, else yen. */
static const char *s_yen(const ctx_t *c, size_t s, size_t e)
{
    size_t a = s > S_CTX ? s - S_CTX : 0, z = e + S_CTX < c->len ? e + S_CTX : c->len;
    const char *w = c->b + a;
    size_t n = z - a;
    if (memmem(w, n, "yuan", 4) || memmem(w, n, "renminbi", 8) || memmem(w, n, "China", 5) ||
        memmem(w, n, "Chinese", 7))
        return memmem(w, n, "yen", 3) || memmem(w, n, "Japan", 5) ? "JPY" : "CNY";
    return "JPY";
}

static int s_push_money(ctx_t *c, size_t s, size_t e, double amount, const char *cur)
{
    tlx_money_t *v = tlx_arena_grow(c->arena, c->m, c->nm, &c->capm, sizeof *v, 8);
    if (!v)
        return TLX_ENOMEM;
    c->m = v;
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
    tlx_quantity_t *v = tlx_arena_grow(c->arena, c->q, c->nq, &c->capq, sizeof *v, 8);
    if (!v)
        return TLX_ENOMEM;
    c->q = v;
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

/* Currency names after a number (or before it: "dollars 5.2bn"), longest
   first where one is a prefix of another.  ISO "" = won: by context (s_won);
   "?" = a currency whose country the word does not tell ("pesos"). */
static const struct {
    const char *w, *iso;
} s_curwords[] = {
    {"North Korean won", "KPW"},
    {"South Korean won", "KRW"},
    {"Korean won", ""},
    {"US dollars", "USD"},
    {"U.S. dollars", "USD"},
    {"US dollar", "USD"},
    {"U.S. dollar", "USD"},
    {"American dollars", "USD"},
    {"Hong Kong dollars", "HKD"},
    {"Australian dollars", "AUD"},
    {"Canadian dollars", "CAD"},
    {"Singapore dollars", "SGD"},
    {"New Taiwan dollars", "TWD"},
    {"Taiwan dollars", "TWD"},
    {"New Zealand dollars", "NZD"},
    {"Chinese yuan renminbi", "CNY"},
    {"Chinese yuan", "CNY"},
    {"yuan renminbi", "CNY"},
    {"Japanese yen", "JPY"},
    {"Indian rupees", "INR"},
    {"Indian rupee", "INR"},
    {"Pakistani rupees", "PKR"},
    {"Sri Lankan rupees", "LKR"},
    {"British pounds", "GBP"},
    {"pounds sterling", "GBP"},
    {"pound sterling", "GBP"},
    {"Swiss francs", "CHF"},
    {"euros", "EUR"},
    {"euro", "EUR"},
    {"dollars", "USD"},
    {"dollar", "USD"},
    {"won", ""},
    {"yuan", "CNY"},
    {"renminbi", "CNY"},
    {"yen", "JPY"},
    {"rupees", "INR"},
    {"rupee", "INR"},
    {"pounds", "GBP"},
    {"sterling", "GBP"},
    {"rubles", "RUB"},
    {"roubles", "RUB"},
    {"ruble", "RUB"},
    {"rouble", "RUB"},
    {"francs", "CHF"},
    {"pesos", "?"},
    {"ringgit", "MYR"},
    {"baht", "THB"},
    {"dong", "VND"},
    {"rupiah", "IDR"},
    {"lira", "TRY"},
    {"reais", "BRL"},
    {"rand", "ZAR"},
    {"riyals", "SAR"},
    {"dirhams", "AED"},
    {"shekels", "ILS"},
    {"naira", "NGN"},
    {"zloty", "PLN"},
    {"hryvnias", "UAH"},
    {"taka", "BDT"},
    {"dinars", "?"},
};

/* ISO 4217 codes read before or after a number ("USD 700", "13 bln USD"). */
static const char *const s_codes[] = {"USD", "EUR", "GBP", "JPY", "CNY", "KRW", "KPW", "INR", "HKD", "AUD",
                                      "CAD", "CHF", "SGD", "RUB", "TWD", "THB", "VND", "IDR", "MYR", "PHP",
                                      "BRL", "MXN", "ZAR", "TRY", "SAR", "AED", "QAR", "NZD", "SEK", "NOK",
                                      "DKK", "PLN", "ILS", "NGN", "PKR", "BDT", "UAH", "EGP", "KWD", "RMB"};

/* Symbols and prefixes before a number, longest first where one ends
   another ("US$" before "$").  "" = won by context, "Y" = yen or yuan by
   context (s_yen). */
static const struct {
    const char *w, *iso;
    bool word; /* must not follow a letter ("Rs", "RMB") */
} s_curpre[] = {
    {"US$", "USD", false},
    {"U.S.$", "USD", false},
    {"HK$", "HKD", false},
    {"NZ$", "NZD", false},
    {"NT$", "TWD", false},
    {"AU$", "AUD", false},
    {"CA$", "CAD", false},
    {"A$", "AUD", true},
    {"C$", "CAD", true},
    {"S$", "SGD", true},
    {"R$", "BRL", true},
    {"$", "USD", false},
    {"\xe2\x82\xac", "EUR", false},
    {"\xc2\xa3", "GBP", false},
    {"\xe2\x82\xa9", "", false},
    {"\xc2\xa5", "Y", false},
    {"\xe2\x82\xb9", "INR", false},
    {"Rs.", "INR", true},
    {"Rs", "INR", true},
    {"Rmb", "CNY", true},
};

/* Magnitudes: glued ("5m", "2bn") or after a space ("5 million", "12 tln"). */
static const struct {
    const char *w;
    double mul;
    bool glued_ok, spaced_ok;
} s_mags[] = {
    {"thousand", 1e3, false, true},  {"million", 1e6, false, true}, {"billion", 1e9, false, true},
    {"trillion", 1e12, false, true}, {"mn", 1e6, true, true},       {"mln", 1e6, true, true},
    {"bn", 1e9, true, true},         {"bln", 1e9, true, true},      {"tn", 1e12, true, true},
    {"tln", 1e12, true, true},       {"trn", 1e12, true, true},     {"crore", 1e7, false, true},
    {"crores", 1e7, false, true},    {"lakh", 1e5, false, true},    {"lakhs", 1e5, false, true},
    {"m", 1e6, true, false},         {"b", 1e9, true, false},       {"k", 1e3, true, false},
    {"K", 1e3, true, false},
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
    if (s < 2 || b[s - 1] != ' ')
        return false;
    size_t e = s - 1, w = e, used;
    while (w > 0 && w + 12 > e && b[w - 1] != ' ' && b[w - 1] != '\n')
        w--;
    int m = tlx_datefmt_month(b + w, e - w, &used);
    if (!m || used != e - w || !isupper((unsigned char)b[w]))
        return false;
    size_t letters = used - (b[e - 1] == '.');
    for (size_t k = w + 1; k < w + letters; k++)
        if (!islower((unsigned char)b[k])) /* "March", not "MARCH" */
            return false;
    /* the full name, or an abbreviation with its dot ("Nov."; "May." ends a sentence) */
    size_t full = strlen(tlx_datefmt_month_name(m));
    return used == letters ? letters == full : letters < full;
}

/* An ISO code glued before the digit at b[i]: "EUR300m" (not "G20", "COVID19"). */
static bool s_code_glued(const char *b, size_t i)
{
    if (i < 3 || (i > 3 && s_alpha((unsigned char)b[i - 4])))
        return false;
    for (size_t k = 0; k < sizeof s_codes / sizeof *s_codes; k++)
        if (memcmp(b + i - 3, s_codes[k], 3) == 0)
            return true;
    return false;
}

/* End of the number starting at b[i]: d{1,3}(,ddd)* or d+, then .d+ */
static size_t s_number_end(const char *b, size_t len, size_t i)
{
    size_t p = i, ndig = 0;
    while (p < len && s_digit((unsigned char)b[p]))
        p++, ndig++;
    bool grouped = false;
    while ((grouped || ndig <= 3) && p + 3 < len && b[p] == ',' && s_digit((unsigned char)b[p + 1]) &&
           s_digit((unsigned char)b[p + 2]) && s_digit((unsigned char)b[p + 3]) &&
           (p + 4 >= len || !s_digit((unsigned char)b[p + 4])))
        p += 4, ndig += 3, grouped = true;
    if (p + 1 < len && b[p] == '.' && s_digit((unsigned char)b[p + 1])) {
        p++;
        while (p < len && s_digit((unsigned char)b[p]))
            p++;
    }
    return p;
}

/* The value of the number b[s..e) (thousands commas dropped). */
static double s_value(const char *b, size_t s, size_t e)
{
    char buf[64];
    size_t bl = 0;
    for (size_t k = s; k < e && bl < sizeof buf - 1; k++)
        if (b[k] != ',')
            buf[bl++] = b[k];
    buf[bl] = '\0';
    return strtod(buf, NULL);
}

/* A magnitude at b[e]: glued ("5m", "2bn", "30mn") or after spaces ("5
   million", "12 tln", "3 crore").  Returns its end (e when none); *mul. */
static size_t s_magnitude(const ctx_t *c, size_t e, double *mul)
{
    bool glued = e < c->len && s_alpha((unsigned char)c->b[e]);
    size_t at = glued ? e : s_skip_sp(c, e), we;
    if (!glued && at == e)
        return e;
    for (size_t k = 0; k < sizeof s_mags / sizeof *s_mags; k++) {
        if (glued ? !s_mags[k].glued_ok : !s_mags[k].spaced_ok)
            continue;
        size_t l = strlen(s_mags[k].w);
        /* glued suffixes are case-sensitive ("5M" is rare, "5K" is common) */
        if (glued && (at + l > c->len || memcmp(c->b + at, s_mags[k].w, l) != 0 ||
                      (at + l < c->len && s_alpha((unsigned char)c->b[at + l]))))
            continue;
        if (!glued && !s_word_at(c, at, s_mags[k].w, &we))
            continue;
        *mul = s_mags[k].mul;
        size_t end = at + l;
        /* "3 lakh crore" */
        if (!glued && s_mags[k].mul == 1e5) {
            size_t a2 = s_skip_sp(c, end);
            if (s_word_at(c, a2, "crore", &we))
                *mul = 1e12, end = we;
        }
        return end;
    }
    return e;
}

/* A currency just before the number at b[s]: symbol, code or name
   ("$", "US$", "₹", "Rs.", "USD ", "RMB ", "dollars ").  *ms: where it starts. */
static const char *s_cur_before(const ctx_t *c, size_t s, size_t *ms)
{
    const char *b = c->b;
    for (size_t k = 0; k < sizeof s_curpre / sizeof *s_curpre; k++) {
        size_t l = strlen(s_curpre[k].w);
        for (int sp = 0; sp <= 1; sp++) { /* "$5" and "Rs 500" */
            size_t at = s - (size_t)sp;
            if (sp && (s < 1 || b[s - 1] != ' ' || s_curpre[k].w[l - 1] == '$' ||
                       (unsigned char)s_curpre[k].w[0] >= 0x80))
                continue;
            if (at < l || memcmp(b + at - l, s_curpre[k].w, l) != 0)
                continue;
            if (s_curpre[k].word && at - l > 0 && s_alnum((unsigned char)b[at - l - 1]))
                continue;
            if (!s_curpre[k].word && strcmp(s_curpre[k].w, "$") == 0 && at - l > 0 &&
                s_alpha((unsigned char)b[at - l - 1]))
                continue; /* "US$" / "HK$" come first; "X$5" is not a dollar */
            *ms = at - l;
            return s_curpre[k].iso;
        }
    }
    /* "USD 700", "RMB 278 billion", "USD700" */
    for (int sp = 0; sp <= 1; sp++) {
        size_t at = s - (size_t)sp;
        if ((sp && (s < 1 || b[s - 1] != ' ')) || at < 3)
            continue;
        if (at > 3 && s_alpha((unsigned char)b[at - 4]))
            continue;
        for (size_t k = 0; k < sizeof s_codes / sizeof *s_codes; k++)
            if (memcmp(b + at - 3, s_codes[k], 3) == 0) {
                *ms = at - 3;
                return strcmp(s_codes[k], "RMB") == 0 ? "CNY" : s_codes[k];
            }
    }
    /* "dollars 5.2bn": a currency name before the number */
    if (s >= 4 && b[s - 1] == ' ') {
        size_t w = s - 1;
        while (w > 0 && s_alpha((unsigned char)b[w - 1]) && s - w < 12)
            w--;
        if (w == 0 || !s_alpha((unsigned char)b[w - 1])) {
            static const char *const names[] = {"dollars", "euros", "pounds", "yuan", "rupees", NULL};
            for (const char *const *p = names; *p; p++)
                if (strlen(*p) == s - 1 - w && strncasecmp(b + w, *p, s - 1 - w) == 0)
                    for (size_t k = 0; k < sizeof s_curwords / sizeof *s_curwords; k++)
                        if (strcmp(s_curwords[k].w, *p) == 0) {
                            *ms = w;
                            return s_curwords[k].iso;
                        }
        }
    }
    return NULL;
}

/* A currency name or code after the number (and its magnitude) ending at
   b[e]: " won", " US dollars", "-won", " USD".  *me: its end. */
static const char *s_cur_after(const ctx_t *c, size_t e, size_t *me)
{
    size_t at = s_skip_sp(c, e), we;
    if (at == e && e < c->len && c->b[e] == '-' && e + 1 < c->len && s_alpha((unsigned char)c->b[e + 1]))
        at = e + 1; /* "26 tln-won" */
    if (at == e)
        return NULL;
    for (size_t k = 0; k < sizeof s_curwords / sizeof *s_curwords; k++)
        if (s_word_at(c, at, s_curwords[k].w, &we)) {
            /* a lower-case name must be written in lower case: "Won" at a
               sentence start is the verb's past tense as often as money */
            *me = we;
            return s_curwords[k].iso;
        }
    if (at + 3 <= c->len && (at + 3 == c->len || !s_alnum((unsigned char)c->b[at + 3])))
        for (size_t k = 0; k < sizeof s_codes / sizeof *s_codes; k++)
            if (memcmp(c->b + at, s_codes[k], 3) == 0) {
                *me = at + 3;
                return strcmp(s_codes[k], "RMB") == 0 ? "CNY" : s_codes[k];
            }
    return NULL;
}

static bool s_in_skip(const tlx_span_t *skip, uint32_t nskip, uint32_t *k, size_t pos)
{
    while (*k < nskip && skip[*k].end <= pos)
        (*k)++;
    return *k < nskip && skip[*k].start <= pos;
}

/* One number of the body: d{1,3}(,ddd)* | d+, optional .d+ */
typedef struct {
    size_t s, e;   /* its bytes */
    size_t intend; /* end of the integer part */
    size_t ndig;   /* digits, fraction included */
    bool grouped;  /* thousands separators */
    double amount;
} num_t;

static void s_read_number(const char *body, size_t len, size_t i, num_t *n)
{
    size_t p = i, ndig = 0;
    while (p < len && s_digit((unsigned char)body[p]))
        p++, ndig++;
    bool grouped = false;
    while ((grouped || ndig <= 3) && p + 3 < len && body[p] == ',' && s_digit((unsigned char)body[p + 1]) &&
           s_digit((unsigned char)body[p + 2]) && s_digit((unsigned char)body[p + 3]) &&
           (p + 4 >= len || !s_digit((unsigned char)body[p + 4]))) {
        p += 4, ndig += 3, grouped = true;
    }
    n->intend = p;
    if (p + 1 < len && body[p] == '.' && s_digit((unsigned char)body[p + 1])) {
        p++;
        while (p < len && s_digit((unsigned char)body[p]))
            p++, ndig++;
    }
    n->s = i;
    n->e = p;
    n->ndig = ndig;
    n->grouped = grouped;
    n->amount = ndig > S_MAXDIGITS ? 0 : s_value(body, i, p);
}

/* A range after the amount ending at me: "$5-6bn", "$5-$6bn", "700 billion
   won-800 billion won".  Returns the end of the range (me when there is
   none); a magnitude only the second number has applies to *amount. */
static size_t s_money_range(ctx_t *c, size_t me, size_t e2, double mul, double *amount)
{
    const char *body = c->b;
    size_t len = c->len, r = me, dash = 0;
    if (r < len && body[r] == '-')
        dash = 1;
    else if (r + 2 < len && (unsigned char)body[r] == 0xe2 && (unsigned char)body[r + 1] == 0x80 &&
             (unsigned char)body[r + 2] == 0x93)
        dash = 3;
    if (!dash)
        return me;
    size_t q = r + dash, ms2 = q;
    const char *iso2 = s_cur_before(c, q, &ms2); /* "$5-$6" is read from the digit */
    (void)iso2;
    if (q < len && !s_digit((unsigned char)body[q])) {
        /* "$5-$6bn": a symbol after the dash */
        for (size_t k = 0; k < sizeof s_curpre / sizeof *s_curpre; k++) {
            size_t l = strlen(s_curpre[k].w);
            if (q + l < len && memcmp(body + q, s_curpre[k].w, l) == 0 &&
                s_digit((unsigned char)body[q + l])) {
                q += l;
                break;
            }
        }
    }
    if (q < len && s_digit((unsigned char)body[q])) {
        size_t ne = s_number_end(body, len, q);
        double mul2 = 1;
        size_t ne2 = s_magnitude(c, ne, &mul2);
        bool g2 = ne < len && s_alpha((unsigned char)body[ne]);
        if (!(g2 && ne2 == ne) && ne - q <= S_MAXDIGITS) {
            size_t me2 = ne2;
            if (!s_cur_after(c, ne2, &me2))
                me2 = ne2;
            if (mul == 1 && mul2 != 1 && me == e2)
                *amount *= mul2; /* "$5-6bn": the magnitude is the range's */
            me = me2;
        }
    }
    return me;
}

/* The currency read at [ms, me) made definite: won (North or South),
   yen or yuan, unknown. */
static const char *s_money_iso(ctx_t *c, const char *iso, size_t ms, size_t me)
{
    if (!*iso)
        return s_won(c, ms, me);
    if (iso[0] == 'Y' && !iso[1])
        return s_yen(c, ms, me);
    if (iso[0] == '?')
        return "";
    return iso;
}

/* A number n (magnitude applied) that is not money: a percentage or a
   count with a unit, unless it is part of a date, time, score or a year.
   *next: where the scan goes on (0: just after the number).  0 or
   TLX_ENOMEM. */
static int s_quantity(ctx_t *c, const num_t *n, const tlx_span_t *skip, uint32_t nskip, uint32_t *sk,
                      size_t *next)
{
    const char *body = c->b;
    size_t len = c->len, s = n->s, e = n->e, after, we;
    *next = 0;
    /* percentages */
    if (e < len && body[e] == '%') {
        *next = e + 1;
        return s_push_qty(c, s, e + 1, n->amount, "percent");
    }
    after = s_skip_sp(c, e);
    if (after > e && (s_word_at(c, after, "percent", &we) || s_word_at(c, after, "per cent", &we))) {
        *next = we;
        return s_push_qty(c, s, we, n->amount, "percent");
    }
    if (s_in_skip(skip, nskip, sk, s) || s_after_month(body, s))
        return 0;
    /* part of a date, time, score or range like 16:07, 11-16, 2/3 */
    if (e < len && (body[e] == ':' || body[e] == '/' ||
                    (body[e] == '-' && e + 1 < len && s_digit((unsigned char)body[e + 1]))))
        return 0;
    if (s > 0 && (body[s - 1] == ':' || body[s - 1] == '/' || body[s - 1] == '-' || body[s - 1] == '#'))
        return 0;
    const char *unit = NULL;
    size_t qe = e;
    if (after > e) {
        for (size_t k = 0; k < sizeof s_units / sizeof *s_units; k++) {
            if (s_word_at(c, after, s_units[k], &we)) {
                unit = s_units[k];
                qe = we;
                break;
            }
        }
    }
    if (!unit && !n->grouped && n->ndig == 4 && e == n->intend && n->amount >= 1900 && n->amount <= 2100)
        return 0; /* a year */
    *next = qe;
    return s_push_qty(c, s, qe, n->amount, unit);
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
            (i > 0 && ((s_alnum((unsigned char)body[i - 1]) && !s_code_glued(body, i)) ||
                       (body[i - 1] == '.' && i > 1 && s_digit((unsigned char)body[i - 2]))))) {
            i++;
            continue;
        }
        num_t n;
        s_read_number(body, len, i, &n);
        i = n.e;
        if (n.ndig > S_MAXDIGITS)
            continue;
        /* magnitude: glued ("5m", "2bn") or spaced ("5 million") */
        double mul = 1;
        size_t e2 = s_magnitude(&c, n.e, &mul);
        bool glued = n.e < len && s_alpha((unsigned char)body[n.e]);
        if (glued && e2 == n.e)
            continue; /* "13th", "G20", "5kg" */
        /* currency before, else after */
        size_t ms = n.s, me = e2;
        const char *iso = s_cur_before(&c, n.s, &ms);
        if (!iso)
            iso = s_cur_after(&c, e2, &me);
        if (!iso && glued)
            continue; /* "5m" without a currency: not money, not a count */
        if (iso) {
            double amount = n.amount * mul;
            me = s_money_range(&c, me, e2, mul, &amount);
            iso = s_money_iso(&c, iso, ms, me);
            if (money && (rc = s_push_money(&c, ms, me, amount, iso)))
                break;
            i = me;
            continue;
        }
        if (!qty)
            continue;
        n.e = e2;
        n.amount *= mul;
        size_t next;
        if ((rc = s_quantity(&c, &n, skip, nskip, &sk, &next)))
            break;
        if (next)
            i = next;
    }
    if (rc)
        return rc;
    if (money)
        *money = c.m, *nmoney = c.nm;
    if (qty)
        *qty = c.q, *nqty = c.nq;
    return 0;
}
