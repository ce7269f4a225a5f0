/*  tlx_quotes.c -- sourcing phrases and quotes (see tlx_quotes.h).

    How, sources: the body is split once into word tokens (letters, digits,
    inner hyphens and apostrophes) and punctuation; every head noun
    (source, official, insider, informant) grows left over modifiers up to a
    determiner and right over one prepositional place phrase; a few fixed
    anonymity formulas are found by memmem.
    How, quotes: one state machine over the bytes finds the quotation marks
    (curly by code point, straight by the neighbouring spaces), handles the
    paragraph-continuation convention and nesting, then the speaker is read
    from bounded windows (the rest of the sentence after the quote, the
    clause before it) with a reporting-verb list.
    Rejected: a dependency parser or a trained attribution model (orders of
    magnitude slower, and the newswire attribution grammar is small: the
    cases are listed in tlx_quotes.h and tested one by one); pairing quote
    marks with a stack over the whole text (one unbalanced mark would shift
    every later pairing; paragraph-local recovery keeps damage local).
*/
#include "tlx_quotes.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tlx_error.h"

#define S_WIN 320   /* bytes of context around a quote for attribution */
#define S_MAXTOK 96 /* tokens in one attribution window */
#define S_MAXNP 14  /* words in a speaker phrase */
#define S_ARENA_SCRATCH (256 * 1024)

enum { W_WORD, W_PUNCT };

typedef struct {
    uint32_t s, e;
    uint8_t kind;
} wt_t;

static inline bool s_alpha(unsigned char c)
{
    return ((c | 32) >= 'a' && (c | 32) <= 'z');
}
static inline bool s_alnum(unsigned char c)
{
    return s_alpha(c) || (c >= '0' && c <= '9');
}

/* Right single quotation mark used as an apostrophe. */
static inline bool s_rsquo(const char *b, size_t i, size_t len)
{
    return i + 2 < len && (unsigned char)b[i] == 0xe2 && (unsigned char)b[i + 1] == 0x80 &&
           (unsigned char)b[i + 2] == 0x99;
}

/* Tokenizes b[s..e) into at most max tokens; returns the count. */
static size_t s_words(const char *b, size_t s, size_t e, wt_t *t, size_t max)
{
    size_t n = 0, i = s;
    while (i < e && n < max) {
        unsigned char c = (unsigned char)b[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            i++;
            continue;
        }
        if (c == 0xc2 && i + 1 < e && (unsigned char)b[i + 1] == 0xa0) {
            i += 2;
            continue;
        }
        size_t st = i;
        if (s_alnum(c)) {
            for (;;) {
                while (i < e && s_alnum((unsigned char)b[i]))
                    i++;
                if (i + 1 < e && (b[i] == '-' || b[i] == '\'') && s_alnum((unsigned char)b[i + 1]))
                    i++;
                else if (i + 3 < e && s_rsquo(b, i, e) && s_alnum((unsigned char)b[i + 3]))
                    i += 3;
                else if (i < e && b[i] == '\'' && i > st && (b[i - 1] == 's') &&
                         (i + 1 >= e || !s_alnum((unsigned char)b[i + 1])))
                    i++; /* Workers' */
                else
                    break;
            }
            t[n++] = (wt_t){(uint32_t)st, (uint32_t)i, W_WORD};
        } else {
            i++;
            if (c >= 0x80)
                while (i < e && ((unsigned char)b[i] & 0xc0) == 0x80)
                    i++;
            t[n++] = (wt_t){(uint32_t)st, (uint32_t)i, W_PUNCT};
        }
    }
    return n;
}

static bool s_tis(const char *b, const wt_t *t, const char *w)
{
    if (t->kind != W_WORD || (b[t->s] | 32) != (w[0] | 32))
        return false;
    size_t l = strlen(w);
    return t->kind == W_WORD && t->e - t->s == l && strncasecmp(b + t->s, w, l) == 0;
}

static bool s_tin(const char *b, const wt_t *t, const char *const *ws)
{
    for (; *ws; ws++)
        if (s_tis(b, t, *ws))
            return true;
    return false;
}

static bool s_tcap(const char *b, const wt_t *t)
{
    return t->kind == W_WORD && b[t->s] >= 'A' && b[t->s] <= 'Z';
}

static bool s_tpunct(const char *b, const wt_t *t, char c)
{
    return t->kind == W_PUNCT && t->e - t->s == 1 && b[t->s] == c;
}

static const char *const s_heads[] = {"source",   "sources",   "official",   "officials", "insider",
                                      "insiders", "informant", "informants", NULL};
static const char *const s_dets[] = {"a",       "an",   "the",  "one",      "another", "two", "three",
                                     "several", "some", "many", "multiple", "other",   "our", NULL};
static const char *const s_mods[] = {
    "separate",      "inside",     "local",        "internal", "reliable", "senior",
    "anonymous",     "informed",   "government",   "party",    "military", "high-ranking",
    "provincial",    "trusted",    "new",          "second",   "third",    "well-placed",
    "knowledgeable", "diplomatic", "intelligence", "security", "regional", "city",
    "county",        "ministry",   "former",       "unnamed",  "Chinese",  "NK",
    "NKs",           "NK's",       "NK’s",         "Daily",    "trade",    "business",
    "defector",      "North",      "South",        NULL};
static const char *const s_verbs[] = {
    "said",     "says",       "say",        "added",    "adds",      "noted",      "notes",     "explained",
    "explains", "told",       "tells",      "reported", "reports",   "surmised",   "continued", "stated",
    "states",   "asked",      "claimed",    "claims",   "insisted",  "warned",     "confirmed", "commented",
    "remarked", "emphasized", "emphasised", "argued",   "informed",  "speculated", "lamented",  "revealed",
    "recalled", "complained", "predicted",  "observed", "mentioned", "suggested",  "replied",   "answered",
    "stressed", "wrote",      "according",  NULL};
static const char *const s_preps[] = {"in",    "from",  "inside", "within",   "with", "at",
                                      "based", "close", "near",   "familiar", "of",   NULL};
static const char *const s_openers[] = {"However",     "But",       "And",        "Meanwhile", "Also",
                                        "Yet",         "So",        "Still",      "Indeed",    "Moreover",
                                        "Furthermore", "Similarly", "Separately", NULL};

/* ---- growing arrays in the arena ---------------------------------------- */

static void *s_grow(tlx_arena_t *a, void *v, uint32_t n, uint32_t *cap, size_t sz)
{
    if (n < *cap)
        return v;
    uint32_t nc = *cap ? *cap * 2 : 8;
    void *nv = tlx_arena_alloc(a, (size_t)nc * sz);
    if (!nv)
        return NULL;
    if (n)
        memcpy(nv, v, (size_t)n * sz);
    *cap = nc;
    return nv;
}

static bool s_has_person(const tlx_entity_t *ents, uint32_t nents, uint32_t s, uint32_t e, const char **canon)
{
    /* entity lists are short in real articles; the cap keeps a text with
       thousands of entities and quotes linear (later ones are not looked at) */
    if (nents > 512)
        nents = 512;
    for (uint32_t i = 0; i < nents; i++) {
        for (uint32_t k = 0; k < ents[i].nspans; k++) {
            if (ents[i].spans[k].start < e && ents[i].spans[k].end > s) {
                if (canon)
                    *canon = ents[i].canonical ? ents[i].canonical : ents[i].text;
                if (ents[i].type == TLX_ENT_PER)
                    return true;
            }
        }
    }
    return false;
}

/* ---- sources ------------------------------------------------------------ */

typedef struct {
    tlx_source_t *v;
    uint32_t n, cap;
} srcv_t;

static int s_src_cmp(const void *a, const void *b)
{
    const tlx_source_t *x = a, *y = b;
    return x->span.start < y->span.start ? -1 : x->span.start > y->span.start;
}

/* Index of the first source starting at or after pos. */
static uint32_t s_src_lower(const tlx_source_t *v, uint32_t n, uint32_t pos)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (v[mid].span.start < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Only the latest S_LOOKBACK sources are compared: keeps pathological
   texts (thousands of sourcing phrases) linear. */
#define S_LOOKBACK 64

static bool s_loc_seen(const srcv_t *sv, const char *loc)
{
    size_t l = strlen(loc);
    for (uint32_t i = sv->n > S_LOOKBACK ? sv->n - S_LOOKBACK : 0; i < sv->n; i++) {
        const char *o = sv->v[i].location;
        if (!o)
            continue;
        size_t ol = strlen(o);
        size_t m = l < ol ? l : ol;
        if (strncasecmp(o, loc, m) == 0)
            return true;
    }
    return false;
}

/* Location from an organisation name: "the Ryanggang Provincial People's
   Committee" -> "Ryanggang Province". */
static char *s_org_location(tlx_arena_t *a, const char *b, const wt_t *t, size_t s, size_t e)
{
    for (size_t k = s; k < e; k++) {
        if ((s_tis(b, &t[k], "Provincial") || s_tis(b, &t[k], "Province")) && k > s && s_tcap(b, &t[k - 1])) {
            size_t f = k - 1;
            if (f > s && (s_tis(b, &t[f - 1], "North") || s_tis(b, &t[f - 1], "South")))
                f--;
            size_t ll = t[k - 1].e - t[f].s;
            char *loc = tlx_arena_alloc(a, ll + 10);
            if (!loc)
                return NULL;
            memcpy(loc, b + t[f].s, ll);
            memcpy(loc + ll, " Province", 10);
            return loc;
        }
    }
    return NULL;
}

int tlx_quotes_sources(const char *body, size_t len, const tlx_entity_t *ents, uint32_t nents,
                       tlx_arena_t *arena, tlx_source_t **out, uint32_t *n)
{
    *out = NULL;
    *n = 0;
    if (!body || len == 0)
        return 0;
    if (len > UINT32_MAX)
        len = UINT32_MAX;
    size_t cnt = 0;
    bool in = false;
    for (size_t i = 0; i < len; i++) {
        bool w = s_alnum((unsigned char)body[i]);
        if (!w || !in)
            cnt++;
        in = w;
    }
    size_t need = (cnt + 1) * sizeof(wt_t);
    bool heap = need > S_ARENA_SCRATCH; /* see tlx_dates.c */
    wt_t *t = heap ? malloc(need) : tlx_arena_alloc(arena, need);
    if (!t)
        return TLX_ENOMEM;
    size_t nt = s_words(body, 0, len, t, cnt + 1);
    srcv_t sv = {0};
    int rc = 0;
    const char *b = body;

    for (size_t i = 0; i < nt; i++) {
        /* cheap first-letter test before the head-noun compares */
        char c0 = (char)(b[t[i].s] | 32);
        if (t[i].kind != W_WORD || (c0 != 's' && c0 != 'o' && c0 != 'i') || t[i].e - t[i].s < 6 ||
            !s_tin(b, &t[i], s_heads))
            continue;
        bool official = !(s_tis(b, &t[i], "source") || s_tis(b, &t[i], "sources"));
        if (i + 1 < nt && s_tis(b, &t[i + 1], "of") && !official)
            continue; /* "a source of income" */
        /* left: modifiers up to a determiner */
        size_t l = i;
        bool det = false, definite = false;
        const char *capmod_s = NULL;
        size_t capmod_first = 0, capmod_last = 0, based = SIZE_MAX;
        while (l > 0 && i - l < 8) {
            const wt_t *p = &t[l - 1];
            if (p->kind != W_WORD)
                break;
            if (s_tin(b, p, s_dets)) {
                det = true;
                definite = s_tis(b, p, "the");
                l--;
                break;
            }
            size_t pl = p->e - p->s;
            bool is_based = pl > 6 && strncasecmp(b + p->e - 6, "-based", 6) == 0;
            if (is_based || s_tin(b, p, s_mods) || s_tcap(b, p)) {
                if (is_based)
                    based = l - 1;
                if ((s_tcap(b, p) || is_based) && !s_tis(b, p, "Daily") && !s_tis(b, p, "NK") &&
                    !s_tis(b, p, "NKs") && !s_tis(b, p, "NK's") && !s_tis(b, p, "NK’s") &&
                    !s_tis(b, p, "Chinese") && !s_tin(b, p, s_openers)) {
                    if (!capmod_s)
                        capmod_last = l - 1;
                    capmod_s = b + p->s;
                    capmod_first = l - 1;
                }
                l--;
                continue;
            }
            /* possessive "Daily NK's" handled by s_mods; anything else stops */
            break;
        }
        while (!det && l < i && s_tin(b, &t[l], s_openers))
            l++;
        if (capmod_s && capmod_first < l)
            capmod_s = NULL;
        /* right: one place phrase */
        size_t r = i + 1;
        const char *loc_s = NULL;
        size_t loc_e = 0;
        bool org = false;
        if (r < nt && s_tin(b, &t[r], s_preps) && !(s_tis(b, &t[r], "of") && !official)) {
            size_t p = r + 1;
            if (s_tis(b, &t[r], "based") || s_tis(b, &t[r], "close") || s_tis(b, &t[r], "familiar")) {
                if (p < nt && (s_tis(b, &t[p], "in") || s_tis(b, &t[p], "to") || s_tis(b, &t[p], "with")))
                    p++;
                else
                    p = SIZE_MAX;
            }
            org = s_tis(b, &t[r], "with") || s_tis(b, &t[r], "at") || s_tis(b, &t[r], "of");
            if (p < nt && s_tis(b, &t[p], "the"))
                p++;
            size_t q = p;
            while (q < nt && q - p < 8 &&
                   (s_tcap(b, &t[q]) || (q > p && (s_tis(b, &t[q], "of") || s_tis(b, &t[q], "and")) &&
                                         q + 1 < nt && s_tcap(b, &t[q + 1]))))
                q++;
            if (q == p && p < nt && p > r + 1 && s_tis(b, &t[p - 1], "the") &&
                (s_tis(b, &t[p], "country") || s_tis(b, &t[p], "region") || s_tis(b, &t[p], "border") ||
                 s_tis(b, &t[p], "city") || s_tis(b, &t[p], "capital")))
                q = p + 1;
            if (p != SIZE_MAX && q > p) {
                r = q;
                size_t ls = (p > 0 && s_tis(b, &t[p - 1], "the") && !s_tcap(b, &t[p])) ? p - 1 : p;
                loc_s = b + t[ls].s;
                loc_e = t[q - 1].e;
            } else {
                r = i + 1;
            }
        }
        /* officials need a reporting context */
        if (official) {
            /* "an official said", "an official in Hyesan, said" (appositive) */
            bool ctx = (r < nt && s_tin(b, &t[r], s_verbs)) ||
                       (r + 1 < nt && s_tpunct(b, &t[r], ',') && s_tin(b, &t[r + 1], s_verbs));
            if (l > 0 && s_tin(b, &t[l - 1], s_verbs))
                ctx = true;
            if (l > 1 && s_tis(b, &t[l - 1], "to") && s_tis(b, &t[l - 2], "according"))
                ctx = true;
            if (r + 1 < nt && s_tpunct(b, &t[r], ',') && s_tis(b, &t[r + 1], "who"))
                ctx = true;
            if (!ctx)
                continue;
        }
        if (!det && i == l && !(l > 1 && s_tis(b, &t[l - 1], "to") && s_tis(b, &t[l - 2], "according")) &&
            !(s_tis(b, &t[i], "sources") || s_tis(b, &t[i], "officials")))
            continue; /* bare singular without determiner: "source code" */
        char *loc = NULL;
        if (loc_s && !org) {
            loc = tlx_arena_strndup(arena, loc_s, (size_t)(b + loc_e - loc_s));
        } else if (loc_s && org) {
            size_t p = r;
            while (p > i + 1 && t[p - 1].s >= (uint32_t)(loc_s - b))
                p--;
            loc = s_org_location(arena, b, t, p, r);
        }
        if (!loc && based != SIZE_MAX && capmod_s) {
            const char *se = b + t[based].e - 6;
            loc = tlx_arena_strndup(arena, capmod_s, (size_t)(se - capmod_s));
        } else if (!loc && capmod_s) {
            loc = tlx_arena_strndup(arena, capmod_s, (size_t)(b + t[capmod_last].e - capmod_s));
        }
        if (definite && (!loc || s_loc_seen(&sv, loc)))
            continue;
        tlx_source_t *v = s_grow(arena, sv.v, sv.n, &sv.cap, sizeof(*v));
        if (!v) {
            rc = TLX_ENOMEM;
            goto done;
        }
        sv.v = v;
        tlx_source_t *src = &sv.v[sv.n];
        src->span.start = t[l].s;
        src->span.end = t[r - 1].e;
        src->text = tlx_arena_strndup(arena, b + src->span.start, src->span.end - src->span.start);
        src->location = loc;
        /* named when it contains a person or is an appositive of one
           ("Kim Chol, a source in Hyesan, said") */
        bool appos = src->span.start >= 2 && b[src->span.start - 2] == ',';
        src->anonymous =
            !s_has_person(ents, nents, appos ? src->span.start - 3 : src->span.start, src->span.end, NULL);
        if (!src->text) {
            rc = TLX_ENOMEM;
            goto done;
        }
        sv.n++;
        i = r - 1;
    }

    /* anonymity formulas */
    static const char *const formulas[] = {"on condition of anonymity",
                                           "on the condition of anonymity",
                                           "asked not to be named",
                                           "requested anonymity",
                                           "declined to be named",
                                           "asked not to be identified",
                                           NULL};
    uint32_t nphr = sv.n;
    for (const char *const *f = formulas; *f; f++) {
        size_t fl = strlen(*f);
        const char *p = body, *end = body + len;
        while ((p = memmem(p, (size_t)(end - p), *f, fl)) != NULL) {
            size_t s = (size_t)(p - body), e = s + fl;
            if (s >= 9 && strncasecmp(body + s - 9, "speaking ", 9) == 0)
                s -= 9;
            /* the sentence's source phrase gives the location */
            const char *loc = NULL;
            size_t ss = s, se = e;
            while (ss > 0 && body[ss - 1] != '\n' && body[ss - 1] != '.' && s - ss < S_WIN)
                ss--;
            while (se < len && body[se] != '\n' && body[se] != '.' && se - e < S_WIN)
                se++;
            for (uint32_t k = s_src_lower(sv.v, nphr, (uint32_t)ss); k < nphr && sv.v[k].span.start < se; k++)
                if (sv.v[k].span.end <= se && sv.v[k].location) {
                    loc = sv.v[k].location;
                    break;
                }
            tlx_source_t *v = s_grow(arena, sv.v, sv.n, &sv.cap, sizeof(*v));
            if (!v) {
                rc = TLX_ENOMEM;
                goto done;
            }
            sv.v = v;
            tlx_source_t *src = &sv.v[sv.n];
            src->span.start = (uint32_t)s;
            src->span.end = (uint32_t)e;
            src->text = tlx_arena_strndup(arena, body + s, e - s);
            src->anonymous = true;
            src->location = loc;
            if (!src->text) {
                rc = TLX_ENOMEM;
                goto done;
            }
            sv.n++;
            p = body + e;
        }
    }
    if (sv.n > 1)
        qsort(sv.v, sv.n, sizeof(*sv.v), s_src_cmp);
done:
    if (heap)
        free(t);
    if (rc)
        return rc;
    *out = sv.v;
    *n = sv.n;
    return 0;
}

/* ---- quotes ------------------------------------------------------------- */

typedef struct {
    uint32_t s, e;     /* span incl. marks */
    uint32_t ts, te;   /* content */
    uint32_t para_end; /* paragraph index of the end, for "same or next paragraph" */
} qraw_t;

enum { Q_NONE, Q_OPEN_CURLY, Q_CLOSE_CURLY, Q_STRAIGHT };

static int s_mark(const char *b, size_t i, size_t len, size_t *ml)
{
    unsigned char c = (unsigned char)b[i];
    if (c == '"') {
        *ml = 1;
        return Q_STRAIGHT;
    }
    if (c == 0xe2 && i + 2 < len && (unsigned char)b[i + 1] == 0x80) {
        *ml = 3;
        if ((unsigned char)b[i + 2] == 0x9c)
            return Q_OPEN_CURLY;
        if ((unsigned char)b[i + 2] == 0x9d)
            return Q_CLOSE_CURLY;
    }
    return Q_NONE;
}

/* Content words of b[s..e) (capped: only "fewer than 4" matters). */
static unsigned s_nwords(const char *b, size_t s, size_t e)
{
    unsigned n = 0;
    bool in = false;
    for (size_t i = s; i < e && n < 8; i++) {
        bool w = s_alnum((unsigned char)b[i]);
        if (w && !in)
            n++;
        in = w;
    }
    return n;
}

typedef struct {
    const char *b;
    size_t len;
    const tlx_source_t *src;
    uint32_t nsrc;
    const tlx_entity_t *ents;
    uint32_t nents;
    tlx_arena_t *arena;
} qctx_t;

/* Resolves a speaker phrase t[s..e) (word tokens) to a string. */
static const char *s_resolve(const qctx_t *c, const wt_t *t, size_t s, size_t e, uint32_t before,
                             const char *prev)
{
    const char *b = c->b;
    static const char *const adv[] = {"also",       "later", "further", "then", "again",      "once",
                                      "reportedly", "had",   "has",     "have", "previously", NULL};
    while (e > s && s_tin(b, &t[e - 1], adv))
        e--;
    while (s < e && (s_tin(b, &t[s], s_openers) || t[s].kind != W_WORD))
        s++;
    if (s >= e || e - s > S_MAXNP)
        return NULL;
    if (e - s == 1 && (s_tis(b, &t[s], "he") || s_tis(b, &t[s], "she") || s_tis(b, &t[s], "they")))
        return prev;
    uint32_t ps = t[s].s, pe = t[e - 1].e;
    bool head = false, definite = s_tis(b, &t[s], "the");
    for (size_t k = s; k < e; k++)
        if (s_tin(b, &t[k], s_heads))
            head = true;
    if (head) {
        /* sources are sorted by start: hi = first source starting at or
           after the phrase end, lo = first starting at or after `before` */
        uint32_t hi = s_src_lower(c->src, c->nsrc, pe), lo = s_src_lower(c->src, c->nsrc, before);
        /* the phrase itself is a source entry */
        for (uint32_t k = hi; k-- > 0 && hi - k <= 4;)
            if (c->src[k].span.start < pe && c->src[k].span.end > ps)
                return c->src[k].text;
        if (definite && c->nsrc) {
            /* by location word, else the latest source before the quote */
            const tlx_source_t *best = NULL;
            for (uint32_t k = lo > S_LOOKBACK ? lo - S_LOOKBACK : 0; k < lo; k++) {
                const tlx_source_t *x = &c->src[k];
                if (x->location && x->location[0] >= 'A' && x->location[0] <= 'Z') { /* not "the country" */
                    size_t ll = strlen(x->location);
                    const char *sp = strchr(x->location, ' ');
                    size_t cmp = sp ? (size_t)(sp - x->location) : ll;
                    for (size_t w = s; w < e; w++)
                        if (t[w].e - t[w].s == cmp && strncmp(b + t[w].s, x->location, cmp) == 0)
                            best = x;
                }
            }
            for (uint32_t k = lo; !best && k-- > 0 && lo - k <= S_LOOKBACK;)
                if (strstr(c->src[k].text, "anonymity") == NULL && strstr(c->src[k].text, "named") == NULL)
                    best = &c->src[k];
            if (best)
                return best->text;
        }
    } else {
        const char *canon = NULL;
        s_has_person(c->ents, c->nents, ps, pe, &canon);
        if (canon)
            return canon;
        /* a name needs a capital */
        if (!s_tcap(b, &t[s]))
            return NULL;
    }
    return tlx_arena_strndup(c->arena, b + ps, pe - ps);
}

/* Speaker from the sentence after the quote: ", the source said" or
   ", said a ... source on May 25".  *found = an attribution was seen. */
static const char *s_after(const qctx_t *c, const qraw_t *q, const char *prev, bool *found, bool *adj)
{
    const char *b = c->b;
    size_t e = q->e, z = e;
    while (z < c->len && z - e < S_WIN && b[z] != '\n') {
        size_t ml;
        if (b[z] == '.' || s_mark(b, z, c->len, &ml) != Q_NONE)
            break;
        z++;
    }
    wt_t t[S_MAXTOK];
    size_t n = s_words(b, e, z, t, S_MAXTOK);
    size_t k = 0;
    if (k < n && (s_tpunct(b, &t[k], ',') || s_tpunct(b, &t[k], ':')))
        k++;
    /* “... done.” He added, “...”: a finished sentence followed by a
       capital starts a new sentence, whose verb belongs to the next quote */
    size_t ce = q->te;
    while (ce > q->ts && (b[ce - 1] == ' ' || b[ce - 1] == '\n'))
        ce--;
    if (ce > q->ts && b[ce - 1] == '.' && k < n && s_tcap(b, &t[k]))
        return NULL;
    /* first reporting verb within the first few words */
    size_t v = SIZE_MAX;
    for (size_t j = k; j < n && j < k + S_MAXNP + 1; j++) {
        if (t[j].kind != W_WORD)
            break;
        if (s_tin(b, &t[j], s_verbs) && !s_tis(b, &t[j], "according")) {
            v = j;
            break;
        }
    }
    if (v == SIZE_MAX)
        return NULL;
    *found = true;
    *adj = true;
    if (v == k) {
        /* said <NP> [on DATE] [,.] */
        size_t s = v + 1, j = s;
        while (j < n && t[j].kind == W_WORD && !s_tis(b, &t[j], "on") && !s_tis(b, &t[j], "that") &&
               !s_tis(b, &t[j], "who") && !s_tis(b, &t[j], "adding") && !s_tis(b, &t[j], "while") &&
               !s_tis(b, &t[j], "when") && !s_tis(b, &t[j], "as") && !s_tis(b, &t[j], "last") &&
               !s_tis(b, &t[j], "during") && !s_tis(b, &t[j], "because"))
            j++;
        return s_resolve(c, t, s, j, q->s, prev);
    }
    return s_resolve(c, t, k, v, q->s, prev);
}

/* Speaker from the clause before the quote: "<NP> said[,:] “",
   "<NP> told Daily NK that “", "According to <NP>, “". */
static const char *s_before(const qctx_t *c, const qraw_t *q, const char *prev, bool *found, bool *adj)
{
    const char *b = c->b;
    size_t s = q->s, a = s;
    while (a > 0 && s - a < S_WIN && b[a - 1] != '\n') {
        size_t ml;
        if (b[a - 1] == '.' && a < s && b[a] == ' ')
            break;
        if (a >= 3 && s_mark(b, a - 3, c->len, &ml) == Q_CLOSE_CURLY && a - 3 != s)
            break;
        a--;
    }
    wt_t t[S_MAXTOK];
    size_t n = s_words(b, a, s, t, S_MAXTOK);
    if (n == S_MAXTOK)
        return NULL;
    /* According to <NP>, */
    for (size_t j = 0; j + 1 < n; j++) {
        if (s_tis(b, &t[j], "according") && s_tis(b, &t[j + 1], "to")) {
            size_t k = j + 2;
            while (k < n && t[k].kind == W_WORD)
                k++;
            *found = true;
            *adj = k + 1 >= n;
            return s_resolve(c, t, j + 2, k, q->s, prev);
        }
    }
    /* the last reporting verb; the NP is the words before it back to a comma */
    for (size_t j = n; j-- > 0;) {
        if (!s_tin(b, &t[j], s_verbs) || s_tis(b, &t[j], "according"))
            continue;
        size_t k = j;
        while (k > 0 && t[k - 1].kind == W_WORD && j - k < S_MAXNP + 2)
            k--;
        /* "Speaking on condition of anonymity, a source ... informed" has
           the comma; "He said" starts the sentence */
        *found = true;
        /* "said “", "said, “", "said that “", "added: “" */
        *adj = n - j <= 3;
        return s_resolve(c, t, k, j, q->s, prev);
    }
    return NULL;
}

static char *s_qtext(tlx_arena_t *a, const char *b, size_t ts, size_t te)
{
    /* drop the repeated opening marks of continued paragraphs */
    char *o = tlx_arena_alloc(a, te - ts + 1);
    if (!o)
        return NULL;
    size_t n = 0;
    for (size_t i = ts; i < te; i++) {
        o[n++] = b[i];
        if (b[i] == '\n') {
            size_t j = i + 1;
            while (j < te && (b[j] == '\n' || b[j] == ' '))
                o[n++] = b[j++];
            size_t ml;
            int m = j < te ? s_mark(b, j, te, &ml) : Q_NONE;
            if (m == Q_OPEN_CURLY || m == Q_STRAIGHT)
                j += ml;
            i = j - 1;
        }
    }
    while (n > 0 && (o[n - 1] == ',' || o[n - 1] == ' ' || o[n - 1] == '\n'))
        n--;
    o[n] = '\0';
    return o;
}

/* ---- quotes whose marks were lost ------------------------------------------ */

static bool s_has_marks(const char *b, size_t s, size_t e)
{
    for (size_t i = s; i < e; i++) {
        size_t ml;
        if ((b[i] == '"' || (unsigned char)b[i] == 0xe2) && s_mark(b, i, e, &ml) != Q_NONE)
            return true;
    }
    return false;
}

/* "<speaker> said, <Capital>...": the start of the direct speech, or 0. */
static size_t s_lost_open(const char *b, size_t s, size_t e)
{
    for (size_t i = s; i + 3 < e; i++) {
        if (b[i] != ',' || b[i + 1] != ' ' || !(b[i + 2] >= 'A' && b[i + 2] <= 'Z'))
            continue;
        size_t v = i;
        while (v > s && s_alpha((unsigned char)b[v - 1]))
            v--;
        wt_t t;
        t.s = (uint32_t)v, t.e = (uint32_t)i, t.kind = W_WORD;
        if (i > v && s_tin(b, &t, s_verbs) && !s_tis(b, &t, "according"))
            return i + 2;
    }
    return 0;
}

static int s_push_q(qctx_t *c, tlx_quote_t **qv, uint32_t *nq, uint32_t *cap, const qraw_t *q,
                    const char *spk)
{
    tlx_quote_t *v = s_grow(c->arena, *qv, *nq, cap, sizeof(**qv));
    if (!v)
        return TLX_ENOMEM;
    *qv = v;
    v[*nq].text = s_qtext(c->arena, c->b, q->ts, q->te);
    if (!v[*nq].text)
        return TLX_ENOMEM;
    v[*nq].speaker = spk;
    v[*nq].span.start = q->s;
    v[*nq].span.end = q->e;
    (*nq)++;
    return 0;
}

static int s_qcmp(const void *a, const void *b)
{
    const tlx_quote_t *x = a, *y = b;
    return x->span.start < y->span.start ? -1 : x->span.start > y->span.start;
}

/* Some feeds drop every quotation mark ("... source said, In the majority
   of cases ..., but that has changed." / "..., the source added.").  Only
   when the body shows that damage at least once ("said, <Capital>" in a
   paragraph without marks) are paragraphs without marks read as direct
   speech: a trailing ", <speaker> <verb>." or a leading "<speaker> said, ".
   Otherwise the trailing form is ordinary reported speech and is left
   alone. */
static int s_lost_marks(qctx_t *c, tlx_quote_t **qv, uint32_t *nq, uint32_t *cap)
{
    const char *b = c->b;
    size_t len = c->len;
    bool damaged = false;
    for (int pass = 0; pass < 2; pass++) {
        const char *prev = NULL;
        uint32_t n0 = *nq;
        size_t p = 0;
        while (p < len) {
            const char *nl = memchr(b + p, '\n', len - p);
            size_t e = nl ? (size_t)(nl - b) : len, s = p;
            p = e + 1;
            while (s < e && b[s] == ' ')
                s++;
            size_t z = e;
            for (;;) { /* trailing spaces and no-break spaces */
                if (z > s && (b[z - 1] == ' ' || b[z - 1] == '\r'))
                    z--;
                else if (z > s + 1 && (unsigned char)b[z - 2] == 0xc2 && (unsigned char)b[z - 1] == 0xa0)
                    z -= 2;
                else
                    break;
            }
            if (z - s < 20 || s_has_marks(b, s, z))
                continue;
            size_t open = s_lost_open(b, s, z);
            if (pass == 0) {
                damaged |= open != 0;
                continue;
            }
            qraw_t q = {0};
            q.s = q.ts = (uint32_t)(open ? open : s);
            q.e = q.te = (uint32_t)z;
            const char *spk = NULL;
            bool found = false, adj = false;
            /* trailing ", the source added." */
            if (b[z - 1] == '.') {
                for (size_t k = z - 1; k > q.ts && z - k < 120; k--) {
                    if (b[k] != ',' || b[k + 1] != ' ')
                        continue;
                    qraw_t t = q;
                    t.te = t.e = (uint32_t)k;
                    bool f = false, a = false;
                    const char *sp = s_after(c, &t, prev, &f, &a);
                    if (f) {
                        q.te = q.e = (uint32_t)k;
                        spk = sp;
                        found = true;
                        /* without an opening clause the speech is the last
                           sentence only: earlier ones are narration */
                        for (size_t j = k; !open && j > q.ts + 1; j--)
                            if ((b[j - 2] == '.' || b[j - 2] == '?' || b[j - 2] == '!') && b[j - 1] == ' ' &&
                                b[j] >= 'A' && b[j] <= 'Z') {
                                q.s = q.ts = (uint32_t)j;
                                break;
                            }
                    }
                    break;
                }
            }
            if (open && !found) {
                spk = s_before(c, &q, prev, &found, &adj);
                found = true;
            }
            if (!found || s_nwords(b, q.ts, q.te) < 4)
                continue;
            int rc = s_push_q(c, qv, nq, cap, &q, spk);
            if (rc)
                return rc;
            if (spk)
                prev = spk;
        }
        if (!damaged)
            return 0;
        if (pass == 1 && *nq > n0)
            qsort(*qv, *nq, sizeof(**qv), s_qcmp);
    }
    return 0;
}

int tlx_quotes_extract(const char *body, size_t len, const tlx_source_t *sources, uint32_t nsources,
                       const tlx_entity_t *ents, uint32_t nents, tlx_arena_t *arena, tlx_quote_t **out,
                       uint32_t *n)
{
    *out = NULL;
    *n = 0;
    if (!body || len == 0)
        return 0;
    if (len > UINT32_MAX)
        len = UINT32_MAX;
    qctx_t c = {body, len, sources, nsources, ents, nents, arena};
    tlx_quote_t *qv = NULL;
    uint32_t nq = 0, cap = 0;
    const char *prev = NULL;
    uint32_t prev_para = UINT32_MAX, para = 0;
    int rc = 0;

    size_t i = 0;
    bool open = false;
    int depth = 0;
    qraw_t q = {0};
    while (i < len) {
        unsigned char ch = (unsigned char)body[i];
        size_t ml = 1;
        int m = Q_NONE;
        if (ch == '\n') {
            if (i + 1 < len && body[i + 1] != '\n')
                para++;
            if (open) {
                /* paragraph end inside a quote: continued if the next
                   paragraph opens with a quotation mark */
                size_t j = i;
                while (j < len && (body[j] == '\n' || body[j] == ' '))
                    j++;
                size_t nl;
                int nm = j < len ? s_mark(body, j, len, &nl) : Q_NONE;
                if (nm == Q_OPEN_CURLY || nm == Q_STRAIGHT) {
                    para++;
                    i = j + nl;
                    continue;
                }
                q.e = q.te = (uint32_t)i;
                goto close;
            }
            i++;
            continue;
        }
        if (ch == '"' || ch == 0xe2)
            m = s_mark(body, i, len, &ml);
        if (m == Q_NONE) {
            i++;
            continue;
        }
        if (!open) {
            bool opening = m == Q_OPEN_CURLY ||
                           (m == Q_STRAIGHT &&
                            (i == 0 || body[i - 1] == ' ' || body[i - 1] == '\n' || body[i - 1] == '(' ||
                             body[i - 1] == '[' || (unsigned char)body[i - 1] >= 0x80));
            if (opening && i + ml < len && body[i + ml] != ' ' && body[i + ml] != '\n') {
                open = true;
                depth = 1;
                q.s = (uint32_t)i;
                q.ts = (uint32_t)(i + ml);
            }
            i += ml;
            continue;
        }
        /* inside a quote */
        if (m == Q_OPEN_CURLY && body[q.s] != '"') {
            depth++;
            i += ml;
            continue;
        }
        if (m == Q_CLOSE_CURLY && body[q.s] != '"') {
            if (--depth > 0) {
                i += ml;
                continue;
            }
        } else if (m == Q_STRAIGHT && body[q.s] == '"') {
            /* an opening-looking mark ends an unclosed quote and opens anew */
            bool looks_open =
                i > 0 && body[i - 1] == ' ' && i + 1 < len && s_alnum((unsigned char)body[i + 1]);
            if (looks_open) {
                size_t e = i;
                while (e > q.ts && body[e - 1] == ' ')
                    e--;
                q.e = q.te = (uint32_t)e;
                i -= 0;
                goto close_reopen;
            }
        } else {
            i += ml; /* a mark of the other family inside: literal */
            continue;
        }
        q.te = (uint32_t)i;
        q.e = (uint32_t)(i + ml);
        i += ml;
    close:
        open = false;
        {
            q.para_end = para;
            bool found = false, adj = false;
            unsigned words = s_nwords(body, q.ts, q.te);
            const char *spk = NULL;
            if (words > 0) {
                spk = s_after(&c, &q, prev, &found, &adj);
                if (!found)
                    spk = s_before(&c, &q, prev, &found, &adj);
            }
            if (!found && words >= 4 && prev && prev_para != UINT32_MAX && (para - prev_para) <= 1)
                spk = prev; /* a follow-on quote of the same speaker */
            if (words >= 4 || (adj && words >= 1)) {
                tlx_quote_t *v = s_grow(arena, qv, nq, &cap, sizeof(*v));
                if (!v) {
                    rc = TLX_ENOMEM;
                    break;
                }
                qv = v;
                qv[nq].text = s_qtext(arena, body, q.ts, q.te);
                if (!qv[nq].text) {
                    rc = TLX_ENOMEM;
                    break;
                }
                qv[nq].speaker = spk;
                qv[nq].span.start = q.s;
                qv[nq].span.end = q.e;
                nq++;
                if (spk) {
                    prev = spk;
                    prev_para = para;
                }
            }
        }
        continue;
    close_reopen:
        open = false;
        {
            size_t save = i;
            q.para_end = para;
            bool found = false, adj = false;
            unsigned words = s_nwords(body, q.ts, q.te);
            const char *spk = words ? s_before(&c, &q, prev, &found, &adj) : NULL;
            if (words >= 4 || (adj && words >= 1)) {
                tlx_quote_t *v = s_grow(arena, qv, nq, &cap, sizeof(*v));
                if (!v) {
                    rc = TLX_ENOMEM;
                    break;
                }
                qv = v;
                qv[nq].text = s_qtext(arena, body, q.ts, q.te);
                if (!qv[nq].text) {
                    rc = TLX_ENOMEM;
                    break;
                }
                qv[nq].speaker = spk;
                qv[nq].span.start = q.s;
                qv[nq].span.end = q.e;
                nq++;
                if (spk)
                    prev = spk, prev_para = para;
            }
            open = true;
            depth = 1;
            q.s = (uint32_t)save;
            q.ts = (uint32_t)(save + 1);
            i = save + 1;
        }
    }
    if (!rc && open) {
        q.e = q.te = (uint32_t)len;
        bool found = false, adj = false;
        const char *spk = s_before(&c, &q, prev, &found, &adj);
        if (s_nwords(body, q.ts, q.te) >= 4) {
            tlx_quote_t *v = s_grow(arena, qv, nq, &cap, sizeof(*v));
            if (!v)
                rc = TLX_ENOMEM;
            else {
                qv = v;
                qv[nq].text = s_qtext(arena, body, q.ts, q.te);
                qv[nq].speaker = spk;
                qv[nq].span.start = q.s;
                qv[nq].span.end = q.e;
                if (!qv[nq].text)
                    rc = TLX_ENOMEM;
                else
                    nq++;
            }
        }
    }
    if (!rc)
        rc = s_lost_marks(&c, &qv, &nq, &cap);
    if (rc)
        return rc;
    *out = qv;
    *n = nq;
    return 0;
}
