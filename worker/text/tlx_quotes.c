/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_quotes.c -- sourcing phrases and quotes (see tlx_quotes.h).

    How, sources: the body is split once into word tokens (letters, digits,
    inner hyphens and apostrophes) and punctuation; every head noun
    (source, official, insider, informant) grows left over modifiers up to a
    determiner and right over one prepositional place phrase; a few fixed
    anonymity formulas are found by memmem.
    How, quotes: one state machine over the bytes finds every quotation
    span (curly by code point, straight by the neighbouring characters,
    single curly marks outside double ones, the paragraph-continuation
    convention, nesting, lost opening marks, the excerpt's cut end); then
    each span is kept or dropped and attributed from bounded windows: the
    rest of its sentence after it, the sentence before it back to the
    previous quote.  The entity mentions are indexed once (sorted by start),
    so a speaker phrase finds its entities, and a pronoun, surname, role
    noun or document its antecedent, by binary search plus a bounded walk
    back (S_ANTE bytes, S_ANTE_N mentions): the cost per quote is bounded
    and the stage stays linear in the body.
    Rejected: a dependency parser or a trained attribution model (orders of
    magnitude slower, and the newswire attribution grammar is small: the
    cases are listed in tlx_quotes.h and tested one by one); pairing quote
    marks with a stack over the whole text (one unbalanced mark would shift
    every later pairing; paragraph-local recovery keeps damage local);
    general pronoun coreference (wrong links are worse than none: only
    he/she/it/they at a reporting verb are resolved, to the previous
    speaker of the same kind or the latest person/body before).
*/
#include "tlx_quotes.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tlx_deadline.h"
#include "tlx_error.h"
#include "tlx_swar.h"
#include "tlx_wordset.h"

#define S_WIN 320    /* bytes of context around a quote for attribution */
#define S_MAXTOK 400 /* tokens in one attribution window (S_WIN bytes) */
#define S_MAXNP 14   /* words in a speaker phrase */
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

/* Abbreviations whose period does not end a sentence ("Ltd.", "Mr."). */
static const char *const s_abbr[] = {"Mr",   "Mrs",  "Ms",   "Dr",   "Jr",   "Sr",  "St",  "Ltd", "Inc",
                                     "Corp", "Co",   "Gov",  "Sen",  "Rep",  "Gen", "Col", "Lt",  "Sgt",
                                     "Capt", "Prof", "Mt",   "No",   "vs",   "Jan", "Feb", "Aug", "Sept",
                                     "Sep",  "Oct",  "Nov",  "Dec",  "Adm",  "Maj", "Rev", "Hon", "Pres",
                                     "Dept", "Univ", "Bros", "Cmdr", "Supt", "Rt",  NULL};

/* b[i] == '.': is it the period of an abbreviation or initial ("U.S.",
   "E. Smith", "Ltd.") rather than a sentence end?  lo bounds the look-back. */
static bool s_abbrev_dot(const char *b, size_t lo, size_t i)
{
    size_t w = i;
    while (w > lo && i - w < 8 && (s_alpha((unsigned char)b[w - 1]) || b[w - 1] == '.'))
        w--;
    size_t l = i - w;
    if (l == 0 || (w > lo && s_alnum((unsigned char)b[w - 1])))
        return false;
    if (l == 1 || memchr(b + w, '.', l))
        return true; /* an initial, "U.S", "a.m" */
    if (l > 4 || !(b[w] >= 'A' && b[w] <= 'Z') != (b[w] == 'v'))
        return false; /* every abbreviation below is short and capitalised but "vs" */
    for (const char *const *a = s_abbr; *a; a++)
        if (strlen(*a) == l && strncmp(b + w, *a, l) == 0)
            return true;
    return false;
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
                i = tlx_swar_alnum_end(b, i, e);
                if (i + 1 < e && (b[i] == '-' || b[i] == '\'') && s_alnum((unsigned char)b[i + 1]))
                    i++;
                else if (i + 3 < e && s_rsquo(b, i, e) && s_alnum((unsigned char)b[i + 3]))
                    i += 3;
                else if (i < e && b[i] == '\'' && i > st && (b[i - 1] == 's') &&
                         (i + 1 >= e || !s_alnum((unsigned char)b[i + 1])))
                    i++; /* Workers' */
                else if (i < e && b[i] == '.' && s_abbrev_dot(b, st, i)) {
                    i++; /* "U.S.", "Ltd." stay one word */
                    if (i < e && s_alpha((unsigned char)b[i]))
                        continue;
                    break;
                } else
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

/* The word lists below, one bit each, in one tlx_wordset (ASCII letters
   folded) built once: a token is looked up once per list test, not
   compared with every word of the list.  L_REPORT: the reporting verbs
   (s_verbs but "according", and s_verbs2). */
enum {
    L_HEADS = 1 << 0,
    L_DETS = 1 << 1,
    L_MODS = 1 << 2,
    L_VERBS = 1 << 3,
    L_PREPS = 1 << 4,
    L_OPENERS = 1 << 5,
    L_STRIP = 1 << 6,
    L_ADV = 1 << 7,
    L_NPSTOP = 1 << 8,
    L_CLAUSE = 1 << 9,
    L_REPORT = 1 << 10,
    L_DOC = 1 << 11,
    L_ROLE = 1 << 12,
    L_ORGN = 1 << 13,
    L_LOST = 1 << 14,
    L_BE = 1 << 15,
};
TLX_WORDSET_STATIC(s_lists, 1024, true);
static pthread_once_t s_lists_once = PTHREAD_ONCE_INIT;
static void s_lists_init(void); /* below the lists; both entry points run it once */

/* Token t is a word of the lists `mask` (L_*). */
static bool s_tin(const char *b, const wt_t *t, uint32_t mask)
{
    return t->kind == W_WORD && (tlx_wordset_get(&s_lists, b + t->s, t->e - t->s) & mask);
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
    "separate", "inside",     "local",    "internal",    "reliable",      "senior",     "anonymous",
    "informed", "government", "party",    "military",    "high-ranking",  "provincial", "trusted",
    "new",      "second",     "third",    "well-placed", "knowledgeable", "diplomatic", "intelligence",
    "security", "regional",   "city",     "county",      "ministry",      "former",     "unnamed",
    "Chinese",  "trade",      "business", "defector",    "North",         "South",      NULL};
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

/* Head nouns of sourcing phrases, found by the letters after their first
   one (the first may be capitalised): source(s), official(s), insider(s),
   informant(s). */
#define S_NHEADS 4
#define S_SRC_BACK 110 /* bytes before a head: up to 8 modifiers, "according to" */
#define S_SRC_FWD 170  /* bytes after: one place phrase and the reporting context */
#define S_SRC_TOK 448
static const char *const s_head_tail[S_NHEADS] = {"ource", "fficial", "nsider", "nformant"};
static const char s_head_first[S_NHEADS] = {'s', 'o', 'i', 'i'};

/* Start of the next word at or after `from` whose letters after the first
   are s_head_tail[k], or SIZE_MAX. */
static size_t s_head_next(const char *b, size_t len, size_t k, size_t from)
{
    const char *tail = s_head_tail[k];
    size_t tl = strlen(tail);
    size_t p = from + 1;
    while (p < len) {
        const char *f = memmem(b + p, len - p, tail, tl);
        if (!f)
            return SIZE_MAX;
        size_t at = (size_t)(f - b);
        p = at + 1;
        if ((b[at - 1] | 32) != s_head_first[k] || (at >= 2 && s_alnum((unsigned char)b[at - 2])))
            continue;
        return at - 1;
    }
    return SIZE_MAX;
}

/* The earliest cached hit at or after `from` (refreshing stale ones). */
static size_t s_head_min(const char *b, size_t len, size_t *hits, size_t from)
{
    size_t best = SIZE_MAX;
    for (size_t k = 0; k < S_NHEADS; k++) {
        while (hits[k] != SIZE_MAX && hits[k] < from)
            hits[k] = s_head_next(b, len, k, hits[k] + 1 > from ? hits[k] + 1 : from);
        if (hits[k] < best)
            best = hits[k];
    }
    return best;
}

/* One source phrase around head noun t[i]: "a source in Hyesan",
   "senior South Korean officials with knowledge of ...". */
typedef struct {
    size_t i, l, r;       /* head noun; the phrase is tokens [l, r) */
    bool official;        /* "official(s)" rather than "source(s)" */
    bool det, definite;   /* a determiner starts it; it is "the" */
    bool org;             /* the place phrase names an organisation ("with", "at", "of") */
    const char *capmod_s; /* capitalised modifiers before the head ("Chinese ... "), or NULL */
    size_t capmod_first, capmod_last, based; /* their tokens; "-based" modifier or SIZE_MAX */
    const char *loc_s;                       /* the place phrase after the head, or NULL */
    size_t loc_e;
    const tlx_entity_t *ents; /* the record's entities (organisations are not places) */
    uint32_t nents;
} srcph_t;

/* Whether word p is inside an organisation's mention ("a Daily NK source":
   the publisher, not a place). */
static bool s_in_org(const srcph_t *ph, const wt_t *p)
{
    uint32_t n = ph->nents > 512 ? 512 : ph->nents;
    for (uint32_t i = 0; i < n; i++) {
        if (ph->ents[i].type != TLX_ENT_ORG)
            continue;
        for (uint32_t k = 0; k < ph->ents[i].nspans; k++)
            if (ph->ents[i].spans[k].start <= p->s && ph->ents[i].spans[k].end >= p->e)
                return true;
    }
    return false;
}

/* Left of the head: modifiers up to a determiner. */
static void s_src_left(const char *b, const wt_t *t, srcph_t *ph)
{
    const size_t i = ph->i;
    size_t l = i;
    ph->capmod_s = NULL;
    ph->based = SIZE_MAX;
    while (l > 0 && i - l < 8) {
        const wt_t *p = &t[l - 1];
        if (p->kind != W_WORD)
            break;
        if (s_tin(b, p, L_DETS)) {
            ph->det = true;
            ph->definite = s_tis(b, p, "the");
            l--;
            break;
        }
        size_t pl = p->e - p->s;
        bool is_based = pl > 6 && strncasecmp(b + p->e - 6, "-based", 6) == 0;
        if (is_based || s_tin(b, p, L_MODS) || s_tcap(b, p)) {
            if (is_based)
                ph->based = l - 1;
            if ((s_tcap(b, p) || is_based) && !s_in_org(ph, p) && !s_tis(b, p, "Chinese") &&
                !s_tin(b, p, L_OPENERS)) {
                if (!ph->capmod_s)
                    ph->capmod_last = l - 1;
                ph->capmod_s = b + p->s;
                ph->capmod_first = l - 1;
            }
            l--;
            continue;
        }
        /* capitalised words (a name, "Daily NK's") and the modifier words
           go on; anything else stops */
        break;
    }
    while (!ph->det && l < i && s_tin(b, &t[l], L_OPENERS))
        l++;
    if (ph->capmod_s && ph->capmod_first < l)
        ph->capmod_s = NULL;
    ph->l = l;
}

/* Right of the head: one place phrase, also set off by a comma ("another
   source, in North Hamgyong Province, said"). */
static void s_src_right(const char *b, const wt_t *t, size_t nt, srcph_t *ph)
{
    const size_t i = ph->i;
    size_t r = i + 1;
    ph->loc_s = NULL;
    ph->loc_e = 0;
    if (r + 2 < nt && s_tpunct(b, &t[r], ',') &&
        (s_tis(b, &t[r + 1], "in") || s_tis(b, &t[r + 1], "from") || s_tis(b, &t[r + 1], "inside")) &&
        (s_tcap(b, &t[r + 2]) || s_tis(b, &t[r + 2], "the")))
        r++;
    if (r < nt && s_tin(b, &t[r], L_PREPS) && !(s_tis(b, &t[r], "of") && !ph->official)) {
        size_t p = r + 1;
        if (s_tis(b, &t[r], "based") || s_tis(b, &t[r], "close") || s_tis(b, &t[r], "familiar")) {
            if (p < nt && (s_tis(b, &t[p], "in") || s_tis(b, &t[p], "to") || s_tis(b, &t[p], "with")))
                p++;
            else
                p = SIZE_MAX;
        }
        ph->org = s_tis(b, &t[r], "with") || s_tis(b, &t[r], "at") || s_tis(b, &t[r], "of");
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
            ph->loc_s = b + t[ls].s;
            ph->loc_e = t[q - 1].e;
        } else {
            r = i + 1;
        }
    }
    ph->r = r;
}

/* Whether the phrase is attribution: officials need a reporting context
   ("an official said", "an official in Hyesan, said", "according to an
   official"); a bare singular without determiner is not a source ("source
   code"). */
static bool s_src_attributed(const char *b, const wt_t *t, size_t nt, const srcph_t *ph)
{
    const size_t i = ph->i, l = ph->l, r = ph->r;
    bool according = l > 1 && s_tis(b, &t[l - 1], "to") && s_tis(b, &t[l - 2], "according");
    if (ph->official) {
        bool ctx = (r < nt && s_tin(b, &t[r], L_VERBS)) ||
                   (r + 1 < nt && s_tpunct(b, &t[r], ',') && s_tin(b, &t[r + 1], L_VERBS));
        if (l > 0 && s_tin(b, &t[l - 1], L_VERBS))
            ctx = true;
        if (according)
            ctx = true;
        if (r + 1 < nt && s_tpunct(b, &t[r], ',') && s_tis(b, &t[r + 1], "who"))
            ctx = true;
        if (!ctx)
            return false;
    }
    return ph->det || i != l || according || s_tis(b, &t[i], "sources") || s_tis(b, &t[i], "officials");
}

/* The phrase's location: its place phrase (an organisation's place when
   it names one), else its capitalised or "-based" modifiers.  NULL when it
   has none (or on ENOMEM: a source without a location). */
static char *s_src_location(tlx_arena_t *arena, const char *b, const wt_t *t, const srcph_t *ph)
{
    char *loc = NULL;
    if (ph->loc_s && !ph->org) {
        loc = tlx_arena_strndup(arena, ph->loc_s, (size_t)(b + ph->loc_e - ph->loc_s));
    } else if (ph->loc_s && ph->org) {
        size_t p = ph->r;
        while (p > ph->i + 1 && t[p - 1].s >= (uint32_t)(ph->loc_s - b))
            p--;
        loc = s_org_location(arena, b, t, p, ph->r);
    }
    if (!loc && ph->based != SIZE_MAX && ph->capmod_s) {
        const char *se = b + t[ph->based].e - 6;
        loc = tlx_arena_strndup(arena, ph->capmod_s, (size_t)(se - ph->capmod_s));
    } else if (!loc && ph->capmod_s) {
        loc = tlx_arena_strndup(arena, ph->capmod_s, (size_t)(b + t[ph->capmod_last].e - ph->capmod_s));
    }
    return loc;
}

/* Appends the source [s, e) of b; 0 or TLX_ENOMEM. */
static int s_src_push(srcv_t *sv, tlx_arena_t *arena, const char *b, uint32_t s, uint32_t e, const char *loc,
                      bool anonymous)
{
    tlx_source_t *v = tlx_arena_grow(arena, sv->v, sv->n, &sv->cap, sizeof(*v), 8);
    if (!v)
        return TLX_ENOMEM;
    sv->v = v;
    tlx_source_t *src = &sv->v[sv->n];
    src->span.start = s;
    src->span.end = e;
    src->text = tlx_arena_strndup(arena, b + s, e - s);
    src->location = loc;
    src->anonymous = anonymous;
    if (!src->text)
        return TLX_ENOMEM;
    sv->n++;
    return 0;
}

/* The source phrases around head nouns ("source", "official", ...).  Only
   the words around a head noun are tokenized: the heads are found with one
   memmem stream per spelling (each stream's next hit cached, so the body
   is scanned once per spelling), then a window of S_SRC_BACK/S_SRC_FWD
   bytes around the hit is split into words.  Tokenizing the whole body
   was most of this stage's cost. */
static int s_src_phrases(const char *body, size_t len, const tlx_entity_t *ents, uint32_t nents,
                         tlx_arena_t *arena, srcv_t *sv)
{
    const char *b = body;
    wt_t t[S_SRC_TOK];
    size_t hits[S_NHEADS];
    for (size_t k = 0; k < S_NHEADS; k++)
        hits[k] = s_head_next(body, len, k, 0);
    size_t last = 0;
    for (size_t hit = s_head_min(body, len, hits, 0); hit != SIZE_MAX;
         hit = s_head_min(body, len, hits, hit + 1 > last ? hit + 1 : last)) {
        size_t ws = hit > S_SRC_BACK ? hit - S_SRC_BACK : 0,
               we = hit + S_SRC_FWD < len ? hit + S_SRC_FWD : len;
        while (ws > 0 && ws < hit && !(body[ws - 1] == ' ' || body[ws - 1] == '\n'))
            ws++;
        while (we < len && we > hit && !(body[we] == ' ' || body[we] == '\n'))
            we--;
        size_t nt = s_words(body, ws, we, t, S_SRC_TOK);
        size_t i = 0;
        while (i < nt && t[i].s < hit)
            i++;
        if (i >= nt || t[i].s != hit)
            continue;
        /* cheap first-letter test before the head-noun compares */
        char c0 = (char)(b[t[i].s] | 32);
        if (t[i].kind != W_WORD || (c0 != 's' && c0 != 'o' && c0 != 'i') || t[i].e - t[i].s < 6 ||
            !s_tin(b, &t[i], L_HEADS))
            continue;
        srcph_t ph = {.i = i, .ents = ents, .nents = nents};
        ph.official = !(s_tis(b, &t[i], "source") || s_tis(b, &t[i], "sources"));
        if (i + 1 < nt && s_tis(b, &t[i + 1], "of") && !ph.official)
            continue; /* "a source of income" */
        s_src_left(b, t, &ph);
        s_src_right(b, t, nt, &ph);
        if (!s_src_attributed(b, t, nt, &ph))
            continue;
        char *loc = s_src_location(arena, b, t, &ph);
        if (ph.definite && (!loc || s_loc_seen(sv, loc)))
            continue;
        /* named when it contains a person or is an appositive of one
           ("Kim Chol, a source in Hyesan, said") */
        uint32_t s = t[ph.l].s, e = t[ph.r - 1].e;
        bool appos = s >= 2 && b[s - 2] == ',';
        bool anonymous = !s_has_person(ents, nents, appos ? s - 3 : s, e, NULL);
        int rc = s_src_push(sv, arena, b, s, e, loc, anonymous);
        if (rc)
            return rc;
        last = e;
    }
    return 0;
}

/* Every position of pat[0..pl) in body[0..len), ascending (in the arena:
 *v NULL and *n 0 when there is none). */
static int s_all_hits(tlx_arena_t *arena, const char *body, size_t len, const char *pat, size_t pl,
                      uint32_t **v, uint32_t *n)
{
    uint32_t cap = 0;
    *v = NULL;
    *n = 0;
    const char *p = body, *end = body + len;
    while ((p = memmem(p, (size_t)(end - p), pat, pl)) != NULL) {
        uint32_t *g = tlx_arena_grow(arena, *v, *n, &cap, sizeof *g, 8);
        if (!g)
            return TLX_ENOMEM;
        *v = g;
        (*v)[(*n)++] = (uint32_t)(p - body);
        p++;
    }
    return 0;
}

/* The anonymity formulas ("on condition of anonymity"), located by the
   source phrase of their sentence among the first nphr of sv.  Each
   formula holds one of two anchors ("anonymity", "to be "): the body is
   searched once per anchor, not once per formula, and a formula is
   matched where its anchor was found.  Found in the same order as a
   search per formula: formula by formula, left to right, a match resuming
   the search after its end. */
static int s_src_formulas(const char *body, size_t len, tlx_arena_t *arena, srcv_t *sv)
{
    static const struct {
        const char *f;
        uint8_t anchor, off; /* the anchor's index and offset in f */
    } formulas[] = {{"on condition of anonymity", 0, 16}, {"on the condition of anonymity", 0, 20},
                    {"asked not to be named", 1, 10},     {"requested anonymity", 0, 10},
                    {"declined to be named", 1, 9},       {"asked not to be identified", 1, 10}};
    static const char *const anchors[2] = {"anonymity", "to be "};
    uint32_t *hits[2], nhits[2];
    for (int k = 0; k < 2; k++) {
        int rc = s_all_hits(arena, body, len, anchors[k], strlen(anchors[k]), &hits[k], &nhits[k]);
        if (rc)
            return rc;
    }
    uint32_t nphr = sv->n;
    for (size_t fi = 0; fi < sizeof formulas / sizeof *formulas; fi++) {
        const char *f = formulas[fi].f;
        size_t fl = strlen(f), off = formulas[fi].off, next = 0;
        const uint32_t *h = hits[formulas[fi].anchor];
        for (uint32_t j = 0; j < nhits[formulas[fi].anchor]; j++) {
            if (h[j] < off || h[j] - off < next || h[j] - off + fl > len || memcmp(body + h[j] - off, f, fl))
                continue;
            size_t s = h[j] - off, e = s + fl;
            if (s >= 9 && strncasecmp(body + s - 9, "speaking ", 9) == 0)
                s -= 9;
            /* the sentence's source phrase gives the location */
            const char *loc = NULL;
            size_t ss = s, se = e;
            while (ss > 0 && body[ss - 1] != '\n' && body[ss - 1] != '.' && s - ss < S_WIN)
                ss--;
            while (se < len && body[se] != '\n' && body[se] != '.' && se - e < S_WIN)
                se++;
            for (uint32_t k = s_src_lower(sv->v, nphr, (uint32_t)ss); k < nphr && sv->v[k].span.start < se;
                 k++)
                if (sv->v[k].span.end <= se && sv->v[k].location) {
                    loc = sv->v[k].location;
                    break;
                }
            int rc = s_src_push(sv, arena, body, (uint32_t)s, (uint32_t)e, loc, true);
            if (rc)
                return rc;
            next = e;
        }
    }
    return 0;
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
    pthread_once(&s_lists_once, s_lists_init);
    srcv_t sv = {0};
    int rc = s_src_phrases(body, len, ents, nents, arena, &sv);
    if (!rc)
        rc = s_src_formulas(body, len, arena, &sv);
    if (rc)
        return rc;
    if (sv.n > 1)
        qsort(sv.v, sv.n, sizeof(*sv.v), s_src_cmp);
    *out = sv.v;
    *n = sv.n;
    return 0;
}

/* ---- quotes ------------------------------------------------------------- */

enum { F_CUT = 1, F_ORPHAN = 2, F_SINGLE = 4, F_HEAD = 8 };

typedef struct {
    uint32_t s, e;   /* span incl. marks */
    uint32_t ts, te; /* content */
    uint32_t para;   /* paragraph index of the end, for "same or next paragraph" */
    uint32_t flags;  /* F_* */
} qraw_t;

enum { Q_NONE, Q_OPEN_CURLY, Q_CLOSE_CURLY, Q_STRAIGHT };

/* Double quotation marks only: single curly marks are apostrophes far more
   often than quotes and are handled apart (s_single_close). */
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

static inline bool s_lsquo(const char *b, size_t i, size_t len)
{
    return i + 2 < len && (unsigned char)b[i] == 0xe2 && (unsigned char)b[i + 1] == 0x80 &&
           (unsigned char)b[i + 2] == 0x98;
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

/* One entity mention; the index is sorted by start. */
typedef struct {
    uint32_t s, e;
    const tlx_entity_t *ent;
} ment_t;

enum { K_NONE, K_PER, K_ORG, K_SRC, K_DESC };

typedef struct {
    const char *name; /* fullest form */
    const char *text; /* as written */
    const char *ent;  /* entity canonical */
    uint8_t kind;     /* K_* */
    uint8_t attr;     /* tlx_attr_t */
} spk_t;

typedef struct {
    const char *b;
    size_t len;
    const tlx_source_t *src;
    uint32_t nsrc;
    const ment_t *m;
    uint32_t nm;
    const qraw_t *raw; /* every quotation found, sorted */
    uint32_t nraw;
    tlx_arena_t *arena;
    spk_t prev;        /* speaker of the latest quote that had one */
    uint32_t prev_end; /* where that quote ends */
} qctx_t;

#define S_ANTE 2000 /* bytes looked back for an antecedent (pronoun, surname, role noun) */
#define S_ANTE_N 64 /* mentions looked at for one */

static const char *const s_strip_front[] = {"which", "who", "that", "what",  "whom", "and",   "but",
                                            "then",  "so",  "as",   "while", "when", "where", NULL};
static const char *const s_adv[] = {"also",       "later",      "further", "then", "again",      "once",
                                    "reportedly", "had",        "has",     "have", "previously", "recently",
                                    "would",      "will",       "did",     "does", "do",         "publicly",
                                    "earlier",    "repeatedly", "simply",  "just", "flatly",     NULL};
/* words that end a speaker phrase after "said": "said X on Monday" */
static const char *const s_np_stop[] = {
    "on",      "that",  "who",       "adding",  "while", "when",   "as",    "last", "during",
    "because", "in",    "at",        "to",      "after", "before", "about", "with", "from",
    "this",    "today", "yesterday", "earlier", "of",    "via",    "for",   "by",   NULL};
static const char *const s_clause[] = {"that",   "after",    "before", "when", "while", "because",
                                       "since",  "although", "though", "if",   "where", "until",
                                       "unless", "what",     "which",  "who",  "whom",  NULL};
/* Reporting and stance verbs (in addition to s_verbs) that attribute a
   quotation in their own sentence: "called it a “...”", "vowed to “...”". */
static const char *const s_verbs2[] = {
    "called",        "calls",        "call",      "described", "describes", "condemned", "condemns",
    "vowed",         "vows",         "urged",     "urges",     "pledged",   "pledges",   "assured",
    "announced",     "announces",    "declared",  "declares",  "denied",    "denies",    "admitted",
    "admits",        "acknowledged", "praised",   "praises",   "slammed",   "slams",     "criticized",
    "criticised",    "hailed",       "hails",     "tweeted",   "posted",    "writes",    "concluded",
    "concludes",     "announced",    "promised",  "promises",  "blasted",   "accused",   "accuses",
    "denounced",     "denounces",    "labeled",   "labelled",  "branded",   "brands",    "characterized",
    "characterised", "dismissed",    "dismisses", "signed",    "voiced",    "voices",    "demanded",
    "demands",       "threatened",   "threatens", "cited",     "quoted",    "quotes",    "recounted",
    "recalls",       "added",        "insists",   "agreed",    "agrees",    "hoped",     "hopes",
    "expects",       "expected",     "believes",  "believed",  "thinks",    "thought",   "estimated",
    "estimates",     "forecast",     "projected", "predicts",  "reported",  "reports",   "said",
    "assures",       "boasted",      "bragged",   "joked",     "quipped",   "shouted",   "yelled",
    "whispered",     "texted",       "emailed",   "wrote",     "added",     "explains",  "noted",
    "notes",         "adds",         "told",      "tells",     "say",       "says",      "stated",
    "states",        "warned",       "warns",     "saying",    "adding",    "noting",    "insisting",
    "explaining",    "telling",      NULL};
static const char *const s_doc[] = {
    "report",  "statement",  "study",       "survey",    "analysis",   "letter",   "newsletter",
    "release", "communique", "declaration", "editorial", "commentary", "document", "memo",
    "filing",  "assessment", "review",      "paper",     "note",       "notice",   "bulletin",
    "article", "website",    "blog",        "post",      "message",    "readout",  NULL};
static const char *const s_role[] = {"minister",     "president",   "spokesman",     "spokeswoman",
                                     "spokesperson", "chairman",    "chairwoman",    "chair",
                                     "executive",    "ceo",         "analyst",       "striker",
                                     "manager",      "coach",       "player",        "leader",
                                     "director",     "secretary",   "ambassador",    "governor",
                                     "mayor",        "senator",     "lawmaker",      "chief",
                                     "founder",      "economist",   "professor",     "researcher",
                                     "expert",       "envoy",       "diplomat",      "premier",
                                     "chancellor",   "general",     "commander",     "officer",
                                     "captain",      "midfielder",  "defender",      "forward",
                                     "goalkeeper",   "boss",        "owner",         "author",
                                     "scientist",    "lawyer",      "attorney",      "judge",
                                     "prosecutor",   "candidate",   "king",          "queen",
                                     "prince",       "pope",        "actor",         "singer",
                                     "winger",       "veteran",     "head",          "father",
                                     "mother",       "son",         "daughter",      "wife",
                                     "husband",      "congressman", "congresswoman", "representative",
                                     "legislator",   "politician",  "activist",      "defector",
                                     "farmer",       "trader",      "resident",      "worker",
                                     "student",      "teacher",     "doctor",        "engineer",
                                     "investor",     "strategist",  "banker",        "dealer",
                                     "negotiator",   "premier",     "counsel",       NULL};
static const char *const s_orgn[] = {"ministry",
                                     "company",
                                     "council",
                                     "agency",
                                     "government",
                                     "office",
                                     "group",
                                     "club",
                                     "committee",
                                     "department",
                                     "firm",
                                     "bank",
                                     "military",
                                     "army",
                                     "party",
                                     "court",
                                     "police",
                                     "union",
                                     "administration",
                                     "commission",
                                     "board",
                                     "institute",
                                     "university",
                                     "regime",
                                     "embassy",
                                     "federation",
                                     "association",
                                     "league",
                                     "team",
                                     "corporation",
                                     "organization",
                                     "organisation",
                                     "foundation",
                                     "newspaper",
                                     "paper",
                                     "agency",
                                     "daily",
                                     "network",
                                     "broadcaster",
                                     "station",
                                     "service",
                                     "authority",
                                     "parliament",
                                     "assembly",
                                     "senate",
                                     "congress",
                                     "cabinet",
                                     "maker",
                                     "manufacturer",
                                     "operator",
                                     "carrier",
                                     "airline",
                                     "retailer",
                                     "automaker",
                                     "giant",
                                     "lender",
                                     "insurer",
                                     "provider",
                                     "developer",
                                     "producer",
                                     NULL};
static const char *const s_titles[] = {"Mr",
                                       "Mrs",
                                       "Ms",
                                       "Dr",
                                       "Mr.",
                                       "Mrs.",
                                       "Ms.",
                                       "Dr.",
                                       "President",
                                       "Vice",
                                       "Senior",
                                       "Executive",
                                       "Officer",
                                       "Chief",
                                       "Minister",
                                       "Secretary",
                                       "Director",
                                       "Chairman",
                                       "Chairwoman",
                                       "Ambassador",
                                       "General",
                                       "Gen.",
                                       "Prime",
                                       "Sen.",
                                       "Senator",
                                       "Rep.",
                                       "Gov.",
                                       "Governor",
                                       "Mayor",
                                       "Deputy",
                                       "CEO",
                                       "CFO",
                                       "Managing",
                                       "Manager",
                                       "Coach",
                                       "Professor",
                                       "Prof.",
                                       "Judge",
                                       "Justice",
                                       "King",
                                       "Queen",
                                       "Prince",
                                       "Leader",
                                       "Lt.",
                                       "Col.",
                                       "Capt.",
                                       "Sgt.",
                                       "Admiral",
                                       "Commander",
                                       "Foreign",
                                       "Defense",
                                       "Defence",
                                       "Finance",
                                       "Spokesman",
                                       "Spokeswoman",
                                       "Analyst",
                                       "Assistant",
                                       "Associate",
                                       "Acting",
                                       "Former",
                                       "First",
                                       "Lady",
                                       "Sir",
                                       "Dame",
                                       "Lord",
                                       "Premier",
                                       "Chancellor",
                                       "Governor-General",
                                       "Ambassador-at-large",
                                       "Founder",
                                       "Head",
                                       "Supreme",
                                       "Marshal",
                                       "Comrade",
                                       "Striker",
                                       "Midfielder",
                                       "Defender",
                                       "Goalkeeper",
                                       "Boss",
                                       "Officer",
                                       "Representative",
                                       "Congressman",
                                       "Congresswoman",
                                       "Economist",
                                       "Strategist",
                                       "Unification",
                                       "Trade",
                                       "Industry",
                                       "Interior",
                                       "Justice",
                                       "Labor",
                                       "Labour",
                                       "Health",
                                       "Education",
                                       "National",
                                       "Security",
                                       "Adviser",
                                       "Advisor",
                                       "Speaker",
                                       "U.S.",
                                       "US",
                                       "UN",
                                       NULL};

static const char *const s_lost_verbs[] = {"said",   "says",    "added",     "adds",      "told",
                                           "stated", "noted",   "explained", "continued", "insisted",
                                           "warned", "replied", "answered",  NULL};
static const char *const s_be[] = {"is", "are", "was", "were", "be", "been", "being", NULL};

static void s_lists_put(const char *const *ws, uint32_t bit)
{
    for (; *ws; ws++)
        tlx_wordset_put(&s_lists, *ws, bit);
}

static void s_lists_init(void)
{
    s_lists_put(s_heads, L_HEADS);
    s_lists_put(s_dets, L_DETS);
    s_lists_put(s_mods, L_MODS);
    s_lists_put(s_verbs, L_VERBS);
    s_lists_put(s_preps, L_PREPS);
    s_lists_put(s_openers, L_OPENERS);
    s_lists_put(s_strip_front, L_STRIP);
    s_lists_put(s_adv, L_ADV);
    s_lists_put(s_np_stop, L_NPSTOP);
    s_lists_put(s_clause, L_CLAUSE);
    for (const char *const *w = s_verbs; *w; w++)
        if (strcmp(*w, "according") != 0)
            tlx_wordset_put(&s_lists, *w, L_REPORT);
    s_lists_put(s_verbs2, L_REPORT);
    s_lists_put(s_doc, L_DOC);
    s_lists_put(s_role, L_ROLE);
    s_lists_put(s_orgn, L_ORGN);
    s_lists_put(s_lost_verbs, L_LOST);
    s_lists_put(s_be, L_BE);
}

static bool s_isverb(const char *b, const wt_t *t)
{
    return s_tin(b, t, L_REPORT);
}

/* Is position p inside one of the quotations (content)? */
static bool s_in_quote(const qctx_t *c, uint32_t p)
{
    uint32_t lo = 0, hi = c->nraw;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (c->raw[mid].s <= p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && c->raw[lo - 1].s <= p && p < c->raw[lo - 1].e;
}

/* First mention starting at or after pos. */
static uint32_t s_ment_lower(const qctx_t *c, uint32_t pos)
{
    uint32_t lo = 0, hi = c->nm;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (c->m[mid].s < pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static const char *s_canon(const tlx_entity_t *e)
{
    return e->canonical ? e->canonical : e->text;
}

/* The latest mention of `type` ending before pos (outside quotations, at
   most S_ANTE bytes back); with `word`, only one whose canonical contains
   it (case-insensitive): "the ministry" -> "Foreign Ministry". */
static const ment_t *s_ante(const qctx_t *c, uint32_t pos, int type, const char *word, size_t wl)
{
    uint32_t lo = pos > S_ANTE ? pos - S_ANTE : 0;
    uint32_t k = s_ment_lower(c, pos);
    for (uint32_t n = 0; k-- > 0 && n < S_ANTE_N; n++) {
        const ment_t *m = &c->m[k];
        if (m->s < lo)
            break;
        if ((int)m->ent->type != type || m->e > pos || s_in_quote(c, m->s))
            continue;
        if (word) {
            const char *cn = s_canon(m->ent);
            bool hit = false;
            for (const char *p = cn; *p && !hit; p++)
                hit = strncasecmp(p, word, wl) == 0;
            if (!hit)
                continue;
        }
        return m;
    }
    return NULL;
}

static bool s_titleword(const char *w, size_t l)
{
    for (const char *const *t = s_titles; *t; t++)
        if (strlen(*t) == l && strncmp(*t, w, l) == 0)
            return true;
    return false;
}

/* A person's name without the titles in front ("Mayor Ellen Whitfield" ->
   "Ellen Whitfield"); at least two words stay.  A suffix of `n`. */
static const char *s_untitled(const char *n)
{
    for (;;) {
        const char *sp = strchr(n, ' ');
        if (!sp || !strchr(sp + 1, ' ') || !s_titleword(n, (size_t)(sp - n)))
            return n;
        n = sp + 1;
    }
}

/* The latest person before pos: a person mention, or a name the entity
   stage missed written as the subject of a reporting verb ("Nikki Haley
   told reporters"), whichever comes later.  Bounded to S_PNAME bytes. */
#define S_PNAME 600
static const char *s_fullname(const qctx_t *c, const char *w, size_t wl, uint32_t pos);

static bool s_person_before(qctx_t *c, uint32_t pos, spk_t *out, uint32_t *at, bool *subject)
{
    const ment_t *m = s_ante(c, pos, TLX_ENT_PER, NULL, 0);
    const char *b = c->b;
    size_t lo = pos > S_PNAME ? pos - S_PNAME : 0;
    if (m && m->s > lo)
        lo = m->e;
    wt_t t[S_PNAME];
    size_t n = s_words(b, lo, pos, t, S_PNAME);
    for (size_t j = n; j-- > 2;) {
        if (!s_isverb(b, &t[j]) || s_in_quote(c, t[j].s))
            continue;
        size_t f = j;
        while (f > 0 && j - f < 4 && s_tcap(b, &t[f - 1]) &&
               !s_titleword(b + t[f - 1].s, t[f - 1].e - t[f - 1].s))
            f--;
        if (j - f < 2)
            continue;
        const char *nm = tlx_arena_strndup(c->arena, b + t[f].s, t[j - 1].e - t[f].s);
        if (!nm)
            return false;
        out->name = out->ent = nm;
        out->kind = K_PER;
        *at = t[f].s;
        *subject = true;
        return true;
    }
    if (!m)
        return false;
    const char *cn = s_canon(m->ent);
    if (!strchr(cn, ' ')) {
        const char *full = s_fullname(c, cn, strlen(cn), m->s);
        if (full)
            cn = full;
    }
    out->ent = cn;
    out->name = s_untitled(cn);
    out->kind = K_PER;
    *at = m->s;
    /* the subject of its sentence: it opens the sentence or the line */
    size_t i = m->s;
    while (i > 0 && b[i - 1] == ' ')
        i--;
    *subject =
        i == 0 || b[i - 1] == '\n' || ((b[i - 1] == '.' || b[i - 1] == '?' || b[i - 1] == '!') && i < m->s);
    return true;
}

static bool s_capword(const char *b, size_t s, size_t e)
{
    return e > s && b[s] >= 'A' && b[s] <= 'Z';
}

/* A surname (or "Mr. Lim") back to the full name written earlier: the
   latest person mention whose last (or, for "Moon Jae-in", first) word it
   is, else the latest earlier occurrence preceded by capitalised words that
   are not titles.  Bounded: S_ANTE bytes, S_ANTE_N mentions. */
static const char *s_fullname(const qctx_t *c, const char *w, size_t wl, uint32_t pos)
{
    uint32_t lo = pos > S_ANTE ? pos - S_ANTE : 0;
    uint32_t k = s_ment_lower(c, pos);
    for (uint32_t n = 0; k-- > 0 && n < S_ANTE_N; n++) {
        const ment_t *m = &c->m[k];
        if (m->s < lo)
            break;
        if (m->ent->type != TLX_ENT_PER)
            continue;
        const char *cn = s_canon(m->ent);
        size_t cl = strlen(cn);
        const char *sp = strrchr(cn, ' ');
        if (!sp)
            continue;
        if (cl - (size_t)(sp + 1 - cn) == wl && strncmp(sp + 1, w, wl) == 0)
            return cn;
        if (strncmp(cn, w, wl) == 0 && cn[wl] == ' ' && strchr(cn + wl + 1, '-') && !strchr(cn + wl + 1, ' '))
            return cn; /* Moon Jae-in */
    }
    const char *b = c->b;
    for (size_t i = pos; i-- > lo;) {
        if (b[i] != w[0] || i + wl > pos || strncmp(b + i, w, wl) != 0 ||
            (i > 0 && s_alnum((unsigned char)b[i - 1])) ||
            (i + wl < c->len && s_alnum((unsigned char)b[i + wl])))
            continue;
        /* capitalised non-title words before it */
        size_t st = i, j = i;
        int nw = 0;
        while (j > lo + 1 && b[j - 1] == ' ' && nw < 3) {
            size_t ws = j - 1;
            while (ws > lo && (s_alpha((unsigned char)b[ws - 1]) || b[ws - 1] == '-' || b[ws - 1] == '.'))
                ws--;
            if (!s_capword(b, ws, j - 1) || s_titleword(b + ws, j - 1 - ws))
                break;
            st = ws, j = ws, nw++;
        }
        size_t en = i + wl;
        if (nw == 0) {
            /* "Chung Yong-jin" later called "Chung" */
            size_t q = en;
            if (q + 1 < c->len && b[q] == ' ' && b[q + 1] >= 'A' && b[q + 1] <= 'Z') {
                size_t r = q + 1;
                while (r < c->len && (s_alpha((unsigned char)b[r]) || b[r] == '-'))
                    r++;
                if (memchr(b + q + 1, '-', r - q - 1) && r - q < 16)
                    en = r, nw = 1;
            }
        }
        if (nw == 0 || s_in_quote(c, (uint32_t)i))
            continue;
        return tlx_arena_strndup(c->arena, b + st, en - st);
    }
    return NULL;
}

/* "the <head> <Name>" or "<head>, <Name>" within S_PNAME bytes after pos,
   <Name> a body or person mention: the mention, else NULL. */
static const ment_t *s_named_after(const qctx_t *c, uint32_t pos, const char *head, size_t hl)
{
    const char *b = c->b;
    size_t hi = pos + S_PNAME < c->len ? pos + S_PNAME : c->len;
    for (size_t i = pos; i + hl + 2 < hi; i++) {
        if ((b[i] | 32) != (head[0] | 32) || strncasecmp(b + i, head, hl) != 0 ||
            (i > 0 && s_alnum((unsigned char)b[i - 1])))
            continue;
        size_t j = i + hl;
        if (j < hi && b[j] == ',')
            j++;
        if (j >= hi || b[j] != ' ')
            continue;
        j++;
        uint32_t k = s_ment_lower(c, (uint32_t)j);
        if (k < c->nm && c->m[k].s == j &&
            (c->m[k].ent->type == TLX_ENT_ORG || c->m[k].ent->type == TLX_ENT_PER))
            return &c->m[k];
    }
    return NULL;
}

/* A pronoun speaker ("he said", "it said"): a person who became a
   sentence's subject since the previous quote, that quote's speaker, or
   the latest organisation.  false when h is not such a pronoun. */
static bool s_np_pronoun(qctx_t *c, const wt_t *h, uint32_t ps, spk_t *out)
{
    const char *b = c->b;
    bool he = s_tis(b, h, "he") || s_tis(b, h, "she") || s_tis(b, h, "him") || s_tis(b, h, "her");
    bool it = s_tis(b, h, "it") || s_tis(b, h, "they");
    if (!he && !it)
        return false;
    out->attr = TLX_ATTR_INFERRED;
    bool person = c->prev.kind == K_PER || c->prev.kind == K_SRC;
    spk_t cand = {0};
    uint32_t at = 0;
    bool subj = false, have = he && s_person_before(c, ps, &cand, &at, &subj);
    /* a person who became a sentence's subject after the previous
       quote takes the pronoun from that quote's speaker */
    if (have && subj && at > c->prev_end && !(c->prev.name && strcmp(cand.name, c->prev.name) == 0)) {
        out->name = cand.name, out->ent = cand.ent, out->kind = K_PER;
        return true;
    }
    if (c->prev.name && ps - c->prev_end < S_ANTE &&
        ((he && c->prev.kind != K_ORG) || (it && !person) || s_tis(b, h, "they"))) {
        out->name = c->prev.name, out->ent = c->prev.ent, out->kind = c->prev.kind;
        return true;
    }
    if (have) {
        out->name = cand.name, out->ent = cand.ent, out->kind = K_PER;
        return true;
    }
    if (he)
        return true;
    const ment_t *a = s_ante(c, ps, TLX_ENT_ORG, NULL, 0);
    if (a) {
        out->name = out->ent = s_canon(a->ent);
        out->kind = K_ORG;
    }
    return true;
}

/* A sourcing phrase speaker ("a source said"): the record's source entry
   it overlaps; for "the source", the one named by a location word, else
   the latest one before the quote; else the phrase itself. */
static void s_np_source(qctx_t *c, const wt_t *t, size_t s, size_t e, uint32_t qpos, spk_t *out)
{
    const char *b = c->b;
    uint32_t ps = t[s].s, pe = t[e - 1].e;
    out->kind = K_SRC;
    uint32_t hi = s_src_lower(c->src, c->nsrc, pe), lo = s_src_lower(c->src, c->nsrc, qpos);
    for (uint32_t k = hi; k-- > 0 && hi - k <= 4;)
        if (c->src[k].span.start < pe && c->src[k].span.end > ps) {
            out->name = c->src[k].text;
            return;
        }
    if (s_tis(b, &t[s], "the") && c->nsrc) {
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
        if (best) {
            out->name = best->text;
            out->attr = TLX_ATTR_INFERRED;
            return;
        }
    }
    out->name = out->text;
}

/* The entity mentions inside a speaker phrase: its last person, first
   organisation and first location. */
typedef struct {
    const ment_t *per, *org, *loc;
} npm_t;

static npm_t s_np_mentions(const qctx_t *c, uint32_t ps, uint32_t pe)
{
    npm_t n = {0};
    for (uint32_t k = s_ment_lower(c, ps > 256 ? ps - 256 : 0); k < c->nm && c->m[k].s < pe; k++) {
        const ment_t *m = &c->m[k];
        if (m->e <= ps)
            continue;
        if (m->ent->type == TLX_ENT_PER)
            n.per = m;
        else if (m->ent->type == TLX_ENT_ORG && !n.org)
            n.org = m;
        else if (m->ent->type == TLX_ENT_LOC && !n.loc)
            n.loc = m;
    }
    return n;
}

/* A capitalised phrase with no tagged entity: a name the entity stage did
   not tag ("Nishiyama", "Mr. Lim"), else the phrase as a description.
   false when the phrase is not capitalised. */
static bool s_np_untagged(qctx_t *c, const wt_t *t, size_t s, size_t e, spk_t *out)
{
    const char *b = c->b;
    const wt_t *h = &t[e - 1];
    uint32_t ps = t[s].s;
    size_t f = s;
    while (f < e - 1 && s_tcap(b, &t[f]) && s_titleword(b + t[f].s, t[f].e - t[f].s))
        f++;
    if (f == e - 1 && s_tcap(b, h)) {
        const char *full = s_fullname(c, b + h->s, h->e - h->s, ps);
        out->kind = K_PER;
        if (full) {
            out->name = out->ent = s_untitled(full);
            return true;
        }
    }
    if (!s_tcap(b, &t[s]))
        return false;
    out->name = out->text;
    if (!out->kind)
        out->kind = K_DESC;
    return true;
}

/* A phrase naming or describing its speaker: a person mention, a
   document's issuer, an organisation or place, "the minister" resolved to
   the latest matching name, an untagged name, or the description itself.
   false when it names nobody. */
static bool s_np_named(qctx_t *c, const wt_t *t, size_t s, size_t e, const npm_t *n, spk_t *out)
{
    const char *b = c->b;
    const wt_t *h = &t[e - 1];
    const ment_t *per = n->per, *org = n->org, *loc = n->loc;
    uint32_t ps = t[s].s, pe = t[e - 1].e;
    bool lower_head = h->kind == W_WORD && !s_tcap(b, h);
    bool doc = lower_head && s_tin(b, h, L_DOC);
    bool role = (lower_head || e - s == 1) &&
                (s_tin(b, h, L_ROLE) || (h->e - h->s > 8 && strncmp(b + h->e - 8, "year-old", 8) == 0));
    bool orgn = lower_head && s_tin(b, h, L_ORGN);
    bool definite = s_tis(b, &t[s], "the") || s_tis(b, &t[s], "its") || s_tis(b, &t[s], "his") ||
                    s_tis(b, &t[s], "her") || s_tis(b, &t[s], "their");
    if (per && !doc) {
        const char *cn = s_canon(per->ent);
        out->ent = cn;
        if (!strchr(cn, ' ')) {
            const char *full = s_fullname(c, cn, strlen(cn), ps);
            if (full)
                cn = out->ent = full;
        }
        out->name = s_untitled(cn);
        out->kind = K_PER;
        return true;
    }
    if (doc) {
        /* words of a report go to the body that issued it */
        const ment_t *o = org ? org : s_ante(c, ps, TLX_ENT_ORG, NULL, 0);
        if (o) {
            out->name = out->ent = s_canon(o->ent);
            out->kind = K_ORG;
            if (!org)
                out->attr = TLX_ATTR_INFERRED;
            return true;
        }
        out->name = out->text;
        out->kind = K_DESC;
        return true;
    }
    if ((org || loc) && !lower_head) {
        const ment_t *m = org ? org : loc;
        out->name = out->ent = s_canon(m->ent);
        out->kind = K_ORG;
        return true;
    }
    if (!org && !loc && !per && (role || orgn) && (definite || (s == e - 1 && s_tcap(b, h)))) {
        /* "the minister said", "the ministry said": the latest matching name */
        uint32_t at;
        bool subj;
        if (role && s_person_before(c, ps, out, &at, &subj)) {
            out->attr = TLX_ATTR_INFERRED;
            return true;
        }
        const ment_t *a = role ? NULL : s_ante(c, ps, TLX_ENT_ORG, b + h->s, h->e - h->s);
        if (a) {
            out->name = out->ent = s_canon(a->ent);
            out->kind = role ? K_PER : K_ORG;
            out->attr = TLX_ATTR_INFERRED;
            return true;
        }
    }
    if (!lower_head && !org && !loc)
        return s_np_untagged(c, t, s, e, out);
    if (!s_tcap(b, &t[s]) && !s_tin(b, &t[s], L_DETS) && !definite)
        return false;
    out->name = out->text;
    out->kind = (orgn || (org && !role)) ? K_ORG : role ? K_PER : K_DESC;
    if (orgn && !org && !loc && (s_tis(b, &t[s], "a") || s_tis(b, &t[s], "an"))) {
        /* "a monitoring group said ... the group 38 North": the name given
           to the same head noun just after */
        const ment_t *m = s_named_after(c, pe, b + h->s, h->e - h->s);
        if (m) {
            out->name = out->ent = s_canon(m->ent);
            out->attr = TLX_ATTR_INFERRED;
        }
    }
    return true;
}

/* Resolves the speaker phrase t[s..e) of the quote at qpos.  Returns false
   when the phrase names nobody (empty, too long); out->name may still be
   NULL for "I", "we", an unresolved pronoun. */
static bool s_np(qctx_t *c, const wt_t *t, size_t s, size_t e, uint32_t qpos, spk_t *out)
{
    const char *b = c->b;
    memset(out, 0, sizeof *out);
    out->attr = TLX_ATTR_DIRECT;
    while (s < e && (t[s].kind != W_WORD || s_tin(b, &t[s], L_OPENERS) || s_tin(b, &t[s], L_STRIP)))
        s++;
    while (e > s &&
           (t[e - 1].kind != W_WORD || s_tin(b, &t[e - 1], L_ADV) ||
            (e - 1 > s && b[t[e - 1].s] >= '0' && b[t[e - 1].s] <= '9' && s_tpunct(b, &t[e - 2], ','))))
        e--; /* "Kim, 45," */
    if (s >= e)
        return false;
    uint32_t ps = t[s].s, pe = t[e - 1].e;
    npm_t n = s_np_mentions(c, ps, pe);
    if (e - s > S_MAXNP && !n.per)
        return false;
    out->text = tlx_arena_strndup(c->arena, b + ps, pe - ps);
    if (!out->text)
        return false;
    const wt_t *h = &t[e - 1]; /* the head is the last word */
    if (e - s == 1 && !n.per && !n.org) {
        if (s_np_pronoun(c, h, ps, out))
            return true;
        if (s_tis(b, h, "I") || s_tis(b, h, "we") || s_tis(b, h, "you"))
            return true;
    }
    /* sourcing phrases: the record's source entries */
    bool head = false;
    for (size_t k = s; k < e; k++)
        if (s_tin(b, &t[k], L_HEADS))
            head = true;
    if (head && !n.per) {
        s_np_source(c, t, s, e, qpos, out);
        return true;
    }
    return s_np_named(c, t, s, e, &n, out);
}

/* Does the quotation closing at e end its sentence (“… done.”)? */
static bool s_ends_sentence(const char *b, size_t e)
{
    size_t i = e; /* before the closing mark: one or three bytes */
    if (i > 0 && b[i - 1] == '"')
        i--;
    else if (i >= 3 && (unsigned char)b[i - 3] == 0xe2)
        i -= 3;
    return i > 0 && (b[i - 1] == '.' || b[i - 1] == '?' || b[i - 1] == '!');
}

/* "clubs are often criticised for ...": a passive verb names no speaker. */
static bool s_passive(const char *b, const wt_t *t, size_t j)
{
    size_t k = j;
    while (k > 0 && j - k < 3 && t[k - 1].kind == W_WORD && s_tin(b, &t[k - 1], L_ADV))
        k--;
    while (k > 0 && j - k < 3 && t[k - 1].kind == W_WORD &&
           (s_tis(b, &t[k - 1], "often") || s_tis(b, &t[k - 1], "widely") || s_tis(b, &t[k - 1], "not") ||
            s_tis(b, &t[k - 1], "frequently") || s_tis(b, &t[k - 1], "sometimes") ||
            s_tis(b, &t[k - 1], "being")))
        k--;
    return k > 0 && s_tin(b, &t[k - 1], L_BE);
}

static bool s_pronoun(const char *w)
{
    return w && (strcasecmp(w, "he") == 0 || strcasecmp(w, "she") == 0 || strcasecmp(w, "it") == 0 ||
                 strcasecmp(w, "they") == 0);
}

/* Start of the sentence holding pos (not before lo). */
static size_t s_sent_start(const char *b, size_t lo, size_t pos)
{
    for (size_t i = pos; i > lo; i--) {
        char ch = b[i - 1];
        if (ch == '\n')
            return i;
        if ((ch == '.' || ch == '?' || ch == '!') && i < pos && (b[i] == ' ' || b[i] == '\n')) {
            if (ch == '.' && s_abbrev_dot(b, lo, i - 1))
                continue;
            return i;
        }
    }
    return lo;
}

/* End of the sentence starting at or before pos (not after hi). */
static size_t s_sent_end(const char *b, size_t pos, size_t hi)
{
    for (size_t i = pos; i < hi; i++) {
        char ch = b[i];
        if (ch == '\n')
            return i;
        if ((ch == '.' || ch == '?' || ch == '!') && (i + 1 >= hi || b[i + 1] == ' ' || b[i + 1] == '\n')) {
            if (ch == '.' && s_abbrev_dot(b, pos, i))
                continue;
            return i;
        }
    }
    return hi;
}

static bool s_passive(const char *b, const wt_t *t, size_t j);

/* Word tokens t[j..] up to a verb: the index of the verb, or SIZE_MAX.
   Parentheses ("(JCS)") are skipped; other punctuation stops. */
static size_t s_verb_ahead(const char *b, const wt_t *t, size_t j, size_t n)
{
    int paren = 0;
    for (size_t k = j, w = 0; k < n && w <= S_MAXNP; k++) {
        if (t[k].kind != W_WORD) {
            if (s_tpunct(b, &t[k], ',') && k + 2 < n && b[t[k + 1].s] >= '0' && b[t[k + 1].s] <= '9' &&
                s_tpunct(b, &t[k + 2], ',')) {
                k += 2; /* "Kim, 45, said" */
                continue;
            }
            if (s_tpunct(b, &t[k], '('))
                paren++;
            else if (s_tpunct(b, &t[k], ')') && paren > 0)
                paren--;
            else if (!paren)
                return SIZE_MAX;
            continue;
        }
        if (!paren && s_isverb(b, &t[k]) && !s_passive(b, t, k))
            return k;
        w++;
    }
    return SIZE_MAX;
}

/* Speaker from the rest of the sentence after the quote: ", the source
   said", ", said Gene Munster, an analyst", "…” Kim told reporters",
   ", a monitoring group said in a report".  lim: where the next quotation
   starts. */
static bool s_attr_after(qctx_t *c, const qraw_t *q, size_t lim, spk_t *out)
{
    const char *b = c->b;
    size_t e = q->e, hi = e + S_WIN < lim ? e + S_WIN : lim;
    size_t z = s_sent_end(b, e, hi);
    wt_t t[S_MAXTOK];
    size_t n = s_words(b, e, z, t, S_MAXTOK);
    size_t k = 0;
    if (k < n && (s_tpunct(b, &t[k], ',') || s_tpunct(b, &t[k], ':')))
        k++;
    size_t ce = q->te;
    while (ce > q->ts && (b[ce - 1] == ' ' || b[ce - 1] == '\n'))
        ce--;
    bool fin = ce > q->ts && (b[ce - 1] == '.' || b[ce - 1] == '!' || b[ce - 1] == '?');
    if (k == 0 && n >= 2 && n <= 7 && t[0].kind == W_PUNCT &&
        (s_tpunct(b, &t[0], '-') ||
         (t[0].e - t[0].s == 3 && (unsigned char)b[t[0].s] == 0xe2 &&
          ((unsigned char)b[t[0].s + 2] == 0x93 || (unsigned char)b[t[0].s + 2] == 0x94))) &&
        s_tcap(b, &t[1]) && (z >= c->len || b[z] == '\n')) {
        /* a signed quotation: “…” — Ana Ruiz */
        size_t e2 = 1;
        while (e2 < n && t[e2].kind == W_WORD)
            e2++;
        if (e2 == n || s_tpunct(b, &t[e2], ','))
            return s_np(c, t, 1, e2, q->s, out);
    }
    /* “... done.” He added, “...”: the clause leads in the next quote */
    if (k == 0 && fin && z == lim && b[ce - 1] == '.')
        return false;
    if (k == 0 && fin && b[ce - 1] == '.' && n > 0 && !s_tcap(b, &t[0]))
        return false;
    if (k + 2 < n && s_tis(b, &t[k], "according") && s_tis(b, &t[k + 1], "to")) {
        size_t z = k + 2;
        while (z < n && t[z].kind == W_WORD)
            z++;
        return s_np(c, t, k + 2, z, q->s, out);
    }
    size_t v = s_verb_ahead(b, t, k, n);
    size_t from = k;
    if (v == SIZE_MAX && (k > 0 || !fin)) {
        /* “rapid pace” in recent months, a monitoring group said */
        for (size_t j = k; j + 1 < n && v == SIZE_MAX; j++)
            if (s_tpunct(b, &t[j], ',')) {
                v = s_verb_ahead(b, t, j + 1, n);
                from = j + 1;
            }
        if (v != SIZE_MAX && from > k) {
            /* the verb must close the sentence's attribution, not start reported speech */
            if (v + 1 < n && (s_tis(b, &t[v + 1], "that") || s_tis(b, &t[v + 1], "the")))
                v = SIZE_MAX;
        }
    }
    if (v == SIZE_MAX) {
        /* cut by the excerpt end: “...,” an industry insid */
        if ((k == 1 || !fin) && z >= c->len && n > k && n - k <= 6 &&
            (s_tin(b, &t[k], L_DETS) || s_tcap(b, &t[k])))
            return s_np(c, t, k, n, q->s, out);
        return false;
    }
    if (fin && k == 0) {
        /* “…done.” Kim said.  -- but not “…done.” Kim noted that prices … */
        size_t rest = 0;
        for (size_t j = v + 1; j < n; j++) {
            rest += t[j].kind == W_WORD;
            if (s_tis(b, &t[j], "that"))
                return false;
        }
        if (rest > 8)
            return false;
    }
    if (v == from) {
        size_t s = v + 1, j = s;
        while (j < n && t[j].kind == W_WORD && j - s < S_MAXNP &&
               (!s_tin(b, &t[j], L_NPSTOP) || (s_tis(b, &t[j], "of") && j + 1 < n && s_tcap(b, &t[j + 1]))))
            j++;
        if (j + 1 < n && s_tpunct(b, &t[j], ',') && j > s && !s_tcap(b, &t[j - 1])) {
            /* said the minister, Ana Ruiz */
            size_t z = j + 1;
            while (z < n && t[z].kind == W_WORD && s_tcap(b, &t[z]) && z - j <= 4)
                z++;
            spk_t x;
            if (z > j + 1 && (z >= n || t[z].kind != W_WORD) && s_np(c, t, j + 1, z, q->s, &x) &&
                x.kind == K_PER) {
                *out = x;
                return true;
            }
        }
        return s_np(c, t, s, j, q->s, out);
    }
    return s_np(c, t, from, v, q->s, out);
}

/* Start of the words before t[j] back to punctuation or a clause word
   (parenthesised words and ’s are crossed). */
static size_t s_np_back(const char *b, const wt_t *t, size_t j)
{
    int paren = 0;
    size_t k = j;
    while (k > 0) {
        const wt_t *p = &t[k - 1];
        if (p->kind != W_WORD) {
            if (s_tpunct(b, p, ')'))
                paren++;
            else if (s_tpunct(b, p, '(') && paren)
                paren--;
            else if (!paren && !(p->e - p->s == 3 && (unsigned char)b[p->s] == 0xe2)) /* ’ */
                break;
            k--;
            continue;
        }
        if (!paren && (s_tin(b, p, L_CLAUSE) || j - k > S_MAXNP + 2))
            break;
        k--;
    }
    return k;
}

/* Subject of the verb t[j] in t[0..j): the words back to a comma or a
   clause word; "X, an analyst at Y, said" -> X; "the North slammed ... and
   warned" -> the nearest name before the "and". */
static bool s_subject(qctx_t *c, const wt_t *t, size_t j, uint32_t qpos, spk_t *out)
{
    const char *b = c->b;
    if (j > 2 && s_tis(b, &t[j], "saying") && s_tis(b, &t[j - 1], "as") &&
        (s_tis(b, &t[j - 2], "quoted") || s_tis(b, &t[j - 2], "cited"))) {
        /* "X was quoted as saying": the subject of the passive */
        j -= 2;
        while (j > 0 &&
               (s_tis(b, &t[j - 1], "is") || s_tis(b, &t[j - 1], "was") || s_tis(b, &t[j - 1], "were") ||
                s_tis(b, &t[j - 1], "are") || s_tis(b, &t[j - 1], "been") || s_tis(b, &t[j - 1], "has") ||
                s_tis(b, &t[j - 1], "have") || s_tis(b, &t[j - 1], "had")))
            j--;
    }
    if (j > 0 && (s_tis(b, &t[j - 1], "and") || s_tis(b, &t[j - 1], "but") || s_tis(b, &t[j - 1], "then"))) {
        /* coordinated verbs share the subject: the latest name before */
        for (uint32_t k = s_ment_lower(c, t[j - 1].s); k-- > 0;) {
            const ment_t *m = &c->m[k];
            if (m->s < t[0].s)
                break;
            if (s_in_quote(c, m->s))
                continue;
            size_t a = 0, z = 0;
            for (size_t w = 0; w < j; w++) {
                if (t[w].s == m->s)
                    a = w + 1;
                if (t[w].e == m->e)
                    z = w + 1;
            }
            size_t zl = z < j ? t[z].e - t[z].s : 0;
            bool verbish = zl > 3 && t[z].kind == W_WORD && !s_tcap(b, &t[z]) &&
                           ((b[t[z].e - 2] == 'e' && b[t[z].e - 1] == 'd') || b[t[z].e - 1] == 's' ||
                            s_isverb(b, &t[z]));
            if (a && z && verbish)
                return s_np(c, t, (a >= 2 && s_tis(b, &t[a - 2], "the")) ? a - 2 : a - 1, z, qpos, out);
        }
        return false;
    }
    size_t k = s_np_back(b, t, j);
    /* "X, chief financial officer of Sony, told": X, a person */
    if (k == j && j > 2 && s_tpunct(b, &t[j - 1], ',')) {
        size_t ae = j - 1, as = s_np_back(b, t, ae);
        bool srchead = false;
        for (size_t w = as; w < ae; w++)
            srchead |= s_tin(b, &t[w], L_HEADS);
        /* "X, who voted against it, called ...": the relative clause is skipped */
        size_t cm = as;
        if (cm > 2 && (s_tis(b, &t[cm - 1], "who") || s_tis(b, &t[cm - 1], "which")) &&
            s_tpunct(b, &t[cm - 2], ','))
            cm--;
        bool rel = cm < as;
        if (as < ae && cm > 1 && s_tpunct(b, &t[cm - 1], ',') && !srchead) {
            size_t f = s_np_back(b, t, cm - 1);
            spk_t x, y;
            /* "The finance director, Tom Briggs, told": the name between the commas */
            if (!rel && s_np(c, t, as, ae, qpos, &y) && y.kind == K_PER && y.attr == TLX_ATTR_DIRECT) {
                *out = y;
                return true;
            }
            if (f < cm - 1 && cm - 1 - f <= 5 && (s_tcap(b, &t[f]) || rel) &&
                s_np(c, t, f, cm - 1, qpos, &x) && (x.kind == K_PER || (rel && x.kind == K_ORG))) {
                *out = x;
                return true;
            }
        }
        if (rel)
            return false;
        return s_np(c, t, as, ae, qpos, out);
    }
    return s_np(c, t, k, j, qpos, out);
}

/* Speaker from the sentence before the quote: "<NP> said[,:] “",
   "<NP> told reporters that “", "According to <NP>, “", "Modi called the
   budget an “".  floor: the end of the previous quotation. *same: the
   previous quotation is in this sentence.  *subj: the sentence opens with
   a name (a fallback speaker for a quote with no reporting verb). */
static bool s_attr_before(qctx_t *c, const qraw_t *q, size_t floor, spk_t *out, bool *same, spk_t *subj)
{
    const char *b = c->b;
    size_t s = q->s, lo = s > S_WIN ? s - S_WIN : 0;
    if (lo < floor)
        lo = floor;
    size_t a = s_sent_start(b, lo, s);
    /* the previous quotation is in this sentence unless it ended one */
    *same = floor > 0 && lo == floor && a == floor && floor <= s && !s_ends_sentence(b, floor);
    size_t z = s;
    if (a == s) {
        /* a lead-in ending in a colon on the line before: "X said:\n\n“…" */
        size_t p = s;
        while (p > lo && (b[p - 1] == ' ' || b[p - 1] == '\n'))
            p--;
        if (p > lo && p < s && b[p - 1] == ':') {
            z = p;
            a = s_sent_start(b, lo, p - 1);
        }
    }
    wt_t t[S_MAXTOK];
    size_t n = s_words(b, a, z, t, S_MAXTOK);
    subj->name = NULL;
    if (n == 0)
        return false;
    /* According to <NP>, */
    for (size_t j = n - 1; j-- > 0;) {
        if (s_tis(b, &t[j], "according") && s_tis(b, &t[j + 1], "to")) {
            size_t k = j + 2, z = k, end = n;
            while (end > k && t[end - 1].kind != W_WORD)
                end--;
            while (z < end && !s_tpunct(b, &t[z], ','))
                z++;
            for (size_t y = k; y + 1 < end; y++)
                if (s_tis(b, &t[y], "by") && t[y + 1].kind == W_WORD &&
                    !(b[t[y + 1].s] >= 'a' && b[t[y + 1].s] <= 'z')) { /* imagery analyzed by 38 North */
                    k = y + 1;
                    for (z = k; z < end && !s_tpunct(b, &t[z], ',');)
                        z++;
                }
            return s_np(c, t, k, z, q->s, out);
        }
    }
    for (size_t j = n; j-- > 0;) {
        if (!s_isverb(b, &t[j]) || s_passive(b, t, j))
            continue;
        if (!s_subject(c, t, j, q->s, out))
            break;
        if (out->attr == TLX_ATTR_INFERRED && s_pronoun(out->text)) {
            /* "X said, in what it called a “…”": the pronoun's antecedent is
               the subject of an earlier reporting verb in the sentence */
            for (size_t j2 = j; j2-- > 0;) {
                if (!s_isverb(b, &t[j2]))
                    continue;
                spk_t x;
                if (s_subject(c, t, j2, q->s, &x) && x.name && !s_pronoun(x.text)) {
                    x.text = out->text;
                    x.attr = TLX_ATTR_INFERRED;
                    *out = x;
                }
                break;
            }
        }
        return true;
    }
    if (s_tpunct(b, &t[n - 1], ':')) {
        /* a lead-in without a reporting verb: "The opposition leader, Ana
           Ruiz, was blunt: “…”": its first person, else its first body */
        const ment_t *per = NULL, *org = NULL;
        for (uint32_t k = s_ment_lower(c, t[0].s); k < c->nm && c->m[k].s < t[n - 1].s; k++) {
            if (!per && c->m[k].ent->type == TLX_ENT_PER)
                per = &c->m[k];
            if (!org && c->m[k].ent->type == TLX_ENT_ORG)
                org = &c->m[k];
        }
        const ment_t *m = per ? per : org;
        if (m) {
            memset(out, 0, sizeof *out);
            out->ent = s_canon(m->ent);
            out->name = per ? s_untitled(out->ent) : out->ent;
            out->text = tlx_arena_strndup(c->arena, b + m->s, m->e - m->s);
            out->kind = per ? K_PER : K_ORG;
            out->attr = TLX_ATTR_DIRECT;
            return out->text != NULL;
        }
    }
    /* the sentence's subject: "The Defense Ministry linked ... to the “..." */
    size_t f = (s_tis(b, &t[0], "the") && n > 1) ? 1 : 0;
    for (uint32_t k = s_ment_lower(c, t[f].s); k < c->nm && c->m[k].s == t[f].s; k++) {
        const ment_t *m = &c->m[k];
        if (m->ent->type == TLX_ENT_PER || m->ent->type == TLX_ENT_ORG) {
            subj->name = subj->ent = s_canon(m->ent);
            subj->text = NULL;
            subj->kind = m->ent->type == TLX_ENT_PER ? K_PER : K_ORG;
            subj->attr = TLX_ATTR_INFERRED;
        }
    }
    return false;
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
    while (n > 0 && (o[n - 1] == ' ' || o[n - 1] == '\n'))
        n--;
    o[n] = '\0';
    return o;
}

static int s_push_q(qctx_t *c, tlx_quote_t **qv, uint32_t *nq, uint32_t *cap, const qraw_t *q,
                    const spk_t *spk)
{
    tlx_quote_t *v = tlx_arena_grow(c->arena, *qv, *nq, cap, sizeof(**qv), 8);
    if (!v)
        return TLX_ENOMEM;
    *qv = v;
    tlx_quote_t *o = &v[*nq];
    o->text = s_qtext(c->arena, c->b, q->ts, q->te);
    if (!o->text)
        return TLX_ENOMEM;
    o->speaker = spk ? spk->name : NULL;
    o->speaker_text = o->speaker ? spk->text : NULL;
    o->entity = o->speaker ? spk->ent : NULL;
    o->attribution = o->speaker ? (tlx_attr_t)spk->attr : TLX_ATTR_NONE;
    o->span.start = q->s;
    o->span.end = q->e;
    (*nq)++;
    return 0;
}

/* ---- quotes whose marks were lost ------------------------------------------ */

static bool s_has_marks(const char *b, size_t s, size_t e)
{
    size_t ml;
    /* most lines have no mark: eight bytes a test (the last 1..8 bytes
       zero-padded, and a zero is neither mark byte) */
    for (size_t i = s; i < e; i += 8) {
        uint64_t x = tlx_swar_load_n(b + i, e - i < 8 ? e - i : 8);
        for (uint64_t m = tlx_swar_eq(x, '"') | tlx_swar_eq(x, 0xe2); m; m &= m - 1)
            if (s_mark(b, i + ((size_t)__builtin_ctzll(m) >> 3), e, &ml) != Q_NONE)
                return true;
    }
    return false;
}

/* "<speaker> said, <Capital>...": the start of the direct speech, or 0. */
static size_t s_lost_open(const char *b, size_t s, size_t e)
{
    for (size_t i = s; i + 3 < e; i++) {
        const char *comma = memchr(b + i, ',', e - 3 - i);
        if (!comma)
            break;
        i = (size_t)(comma - b);
        if (b[i + 1] != ' ' || !(b[i + 2] >= 'A' && b[i + 2] <= 'Z'))
            continue;
        size_t v = i;
        while (v > s && s_alpha((unsigned char)b[v - 1]))
            v--;
        wt_t t;
        t.s = (uint32_t)v, t.e = (uint32_t)i, t.kind = W_WORD;
        if (i > v && s_tin(b, &t, L_LOST))
            return i + 2;
    }
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
            spk_t spk = {0};
            bool found = false;
            /* trailing ", the source added." */
            if (b[z - 1] == '.') {
                for (size_t k = z - 1; k > q.ts && z - k < 120; k--) {
                    if (b[k] != ',' || b[k + 1] != ' ')
                        continue;
                    qraw_t t = q;
                    t.te = t.e = (uint32_t)k;
                    spk_t sp;
                    if (s_attr_after(c, &t, len, &sp)) {
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
                bool same;
                spk_t subj;
                s_attr_before(c, &q, 0, &spk, &same, &subj);
                found = true;
            }
            if (!found || s_nwords(b, q.ts, q.te) < 4)
                continue;
            int rc = s_push_q(c, qv, nq, cap, &q, &spk);
            if (rc)
                return rc;
            if (spk.name) {
                c->prev = spk;
                c->prev_end = q.e;
            }
        }
        if (!damaged)
            return 0;
        if (pass == 1 && *nq > n0)
            qsort(*qv, *nq, sizeof(**qv), s_qcmp);
    }
    return 0;
}

/* ---- finding the quotations -------------------------------------------- */

typedef struct {
    qraw_t *v;
    uint32_t n, cap;
} rawv_t;

/* A single curly quotation ‘…’ opened at i: the index of its closing mark
   (a ’ not followed by a letter), or 0.  Bounded to its paragraph and
   400 bytes. */
static size_t s_single_close(const char *b, size_t i, size_t len)
{
    for (size_t j = i + 3; j + 2 < len && j - i < 400; j++) {
        if (b[j] == '\n' || b[j] == '"')
            return 0;
        size_t ml;
        if ((unsigned char)b[j] == 0xe2 && s_mark(b, j, len, &ml) != Q_NONE)
            return 0;
        if (s_rsquo(b, j, len) && b[j - 1] != ' ' && (j + 3 >= len || !s_alnum((unsigned char)b[j + 3])))
            return j;
    }
    return 0;
}

/* The line holding [s, e) reads as a headline, dek or subheading: no final
   punctuation, not the last line, the next line does not continue it. */
static bool s_heading_line(const char *b, size_t len, size_t s, size_t e)
{
    size_t a = s, z = e;
    while (a > 0 && b[a - 1] != '\n' && s - a < 400)
        a--;
    while (z < len && b[z] != '\n' && z - e < 400)
        z++;
    if ((a > 0 && b[a - 1] != '\n') || z >= len || b[z] != '\n' || z - a > 240)
        return false;
    for (size_t i = a; i + 2 < z; i++) {
        if ((b[i] == '.' || b[i] == '?' || b[i] == '!') && b[i + 1] == ' ' && b[i + 2] >= 'A' &&
            b[i + 2] <= 'Z' && !(b[i] == '.' && s_abbrev_dot(b, a, i)))
            return false; /* two sentences: a paragraph, not a heading */
        if (b[i] == '.' && (b[i + 1] == '"' || ((unsigned char)b[i + 1] == 0xe2 && i + 3 < z)))
            return false; /* a quoted sentence: “… town.” — Ana Ruiz */
    }
    size_t y = z;
    while (y > a && (b[y - 1] == ' ' || b[y - 1] == '\r'))
        y--;
    if (y == a)
        return false;
    unsigned char l = (unsigned char)b[y - 1];
    if (strchr(".?!:;,)]\"", l) || l >= 0x80)
        return false; /* final punctuation, or a closing mark / ellipsis */
    size_t x = a;
    while (x < y && b[x] == ' ')
        x++;
    if ((unsigned char)b[x] == 0xe2 && (unsigned char)b[x + 1] == 0x80 && (unsigned char)b[x + 2] == 0xa2)
        return false; /* "• bullet" */
    if (b[x] == '-' || b[x] == '*')
        return false;
    size_t nx = z;
    while (nx < len && (b[nx] == '\n' || b[nx] == ' '))
        nx++;
    if (nx >= len || (b[nx] >= 'a' && b[nx] <= 'z'))
        return false;
    return true;
}

static int s_raw_push(tlx_arena_t *a, rawv_t *rv, const qraw_t *q)
{
    qraw_t *v = tlx_arena_grow(a, rv->v, rv->n, &rv->cap, sizeof(*v), 8);
    if (!v)
        return TLX_ENOMEM;
    rv->v = v;
    v[rv->n++] = *q;
    return 0;
}

/* The quotation scanner's state: one pass over the body. */
typedef struct {
    const char *body;
    size_t len;
    tlx_arena_t *arena;
    rawv_t *rv;
    size_t i, pstart;         /* position; start of the current paragraph */
    uint32_t para, last_para; /* paragraph number; of the last quotation pushed */
    bool open;                /* inside a quotation (q) */
    int depth;                /* nesting of curly marks inside it */
    qraw_t q;
} qscan_t;

/* A newline: counts paragraphs; a paragraph end inside a quote ends it
   unless the next paragraph opens with a quotation mark (continued). */
static int s_find_newline(qscan_t *sc)
{
    const char *body = sc->body;
    size_t i = sc->i, len = sc->len;
    int rc = 0;
    if (i + 1 < len && body[i + 1] != '\n')
        sc->para++;
    if (sc->open) {
        size_t j = i;
        while (j < len && (body[j] == '\n' || body[j] == ' '))
            j++;
        size_t nl;
        int nm = j < len ? s_mark(body, j, len, &nl) : Q_NONE;
        if (nm == Q_OPEN_CURLY || nm == Q_STRAIGHT) {
            sc->para++;
            sc->i = j + nl;
            sc->pstart = j;
            return 0;
        }
        sc->q.e = sc->q.te = (uint32_t)i;
        sc->q.para = sc->para;
        sc->open = false;
        rc = s_raw_push(sc->arena, sc->rv, &sc->q);
        sc->last_para = sc->para;
    }
    sc->i = i + 1;
    sc->pstart = sc->i;
    return rc;
}

/* No double mark at i: a single-quoted span (‘…’) opening there outside a
   quotation, else one byte on. */
static int s_find_single(qscan_t *sc)
{
    const char *body = sc->body;
    size_t i = sc->i, len = sc->len;
    if (!sc->open && (unsigned char)body[i] == 0xe2 && s_lsquo(body, i, len) &&
        (i == 0 || body[i - 1] == ' ' || body[i - 1] == '\n' || body[i - 1] == '(') && i + 3 < len &&
        s_alnum((unsigned char)body[i + 3])) {
        size_t cl = s_single_close(body, i, len);
        if (cl) {
            qraw_t sq = {(uint32_t)i,  (uint32_t)(cl + 3), (uint32_t)(i + 3),
                         (uint32_t)cl, sc->para,           F_SINGLE};
            if (s_heading_line(body, len, i, cl))
                sq.flags |= F_HEAD;
            sc->last_para = sc->para;
            sc->i = cl + 3;
            return s_raw_push(sc->arena, sc->rv, &sq);
        }
    }
    sc->i = i + 1;
    return 0;
}

/* A mark m of ml bytes outside a quotation: an opening one starts a
   quotation; a closing one whose opening mark was lost makes a quotation
   from the paragraph start (or its lead-in colon). */
static int s_find_outside(qscan_t *sc, int m, size_t ml)
{
    const char *body = sc->body;
    size_t i = sc->i, len = sc->len;
    int rc = 0;
    unsigned char pc = i ? (unsigned char)body[i - 1] : ' ';
    bool opening =
        m == Q_OPEN_CURLY ||
        (m == Q_STRAIGHT && (pc == ' ' || pc == '\n' || pc == '(' || pc == '[' || pc >= 0x80 || pc == '.' ||
                             pc == ':' || pc == ',' || pc == ';' || pc == '?' || pc == '!'));
    if (opening && i + ml < len && body[i + ml] != ' ' && body[i + ml] != '\n') {
        sc->open = true;
        sc->depth = 1;
        sc->q.s = (uint32_t)i;
        sc->q.ts = (uint32_t)(i + ml);
        sc->q.flags = 0;
    } else if (m == Q_CLOSE_CURLY && sc->last_para != sc->para && i > sc->pstart && i + ml + 1 < len &&
               ((strchr(",?!", body[i - 1]) && body[i + ml] == ' ') || body[i + ml] == ',')) {
        size_t st = sc->pstart;
        for (size_t k = sc->pstart; k + 1 < i && k - sc->pstart < 40; k++)
            if (body[k] == ':' && body[k + 1] == ' ')
                st = k + 2;
        while (st < i && body[st] == ' ')
            st++;
        qraw_t oq = {(uint32_t)st, (uint32_t)(i + ml), (uint32_t)st, (uint32_t)i, sc->para, F_ORPHAN};
        if (i - st > 8) {
            rc = s_raw_push(sc->arena, sc->rv, &oq);
            sc->last_para = sc->para;
        }
    }
    sc->i = i + ml;
    return rc;
}

/* A mark m of ml bytes inside a quotation: nesting, the closing mark, a
   straight mark that looks like an opening one (ends the unclosed quote
   and opens anew), or a mark of the other family (literal). */
static int s_find_inside(qscan_t *sc, int m, size_t ml)
{
    const char *body = sc->body;
    size_t i = sc->i, len = sc->len;
    qraw_t *q = &sc->q;
    int rc;
    if (m == Q_OPEN_CURLY && body[q->s] != '"') {
        sc->depth++;
        sc->i = i + ml;
        return 0;
    }
    if (m == Q_CLOSE_CURLY && body[q->s] != '"') {
        if (--sc->depth > 0) {
            sc->i = i + ml;
            return 0;
        }
    } else if (m == Q_STRAIGHT && body[q->s] == '"') {
        if (i > 0 && body[i - 1] == ' ' && i + 1 < len && s_alnum((unsigned char)body[i + 1])) {
            size_t e = i;
            while (e > q->ts && body[e - 1] == ' ')
                e--;
            q->e = q->te = (uint32_t)e;
            q->para = sc->para;
            rc = s_raw_push(sc->arena, sc->rv, q);
            q->s = (uint32_t)i;
            q->ts = (uint32_t)(i + 1);
            q->flags = 0;
            sc->i = i + 1;
            return rc;
        }
    } else {
        sc->i = i + ml;
        return 0;
    }
    q->te = (uint32_t)i;
    q->e = (uint32_t)(i + ml);
    q->para = sc->para;
    sc->i = i + ml;
    sc->open = false;
    if (s_heading_line(body, len, q->s, q->e))
        q->flags |= F_HEAD;
    rc = s_raw_push(sc->arena, sc->rv, q);
    sc->last_para = sc->para;
    return rc;
}

/* Every quotation span of the body, in order (one pass, one state). */
static int s_find(const char *body, size_t len, tlx_arena_t *arena, rawv_t *rv)
{
    qscan_t sc = {.body = body, .len = len, .arena = arena, .rv = rv, .last_para = UINT32_MAX};
    int rc = 0;
    while (sc.i < len && !rc) {
        /* plain bytes (most of the body) in a register-local scan */
        size_t i = sc.i;
        while (i < len && body[i] != '\n' && body[i] != '"' && (unsigned char)body[i] != 0xe2)
            i++;
        if ((sc.i = i) >= len)
            break;
        unsigned char ch = (unsigned char)body[sc.i];
        size_t ml = 1;
        int m = Q_NONE;
        if (ch == '\n') {
            rc = s_find_newline(&sc);
            continue;
        }
        if (ch == '"' || ch == 0xe2)
            m = s_mark(body, sc.i, len, &ml);
        if (m == Q_NONE)
            rc = s_find_single(&sc);
        else if (!sc.open)
            rc = s_find_outside(&sc, m, ml);
        else
            rc = s_find_inside(&sc, m, ml);
    }
    if (!rc && sc.open) {
        sc.q.e = sc.q.te = (uint32_t)len;
        sc.q.para = sc.para;
        sc.q.flags |= F_CUT;
        rc = s_raw_push(arena, rv, &sc.q);
    }
    return rc;
}

/* Words just before a short quotation that make it a name or a term, not
   someone's words: the so-called “…”, a report titled “…”. */
static bool s_named_term(const char *b, size_t s)
{
    static const char *const w[] = {"so-called", "titled",    "entitled", "dubbed",  "nicknamed",
                                    "named",     "termed",    "term",     "word",    "words",
                                    "phrase",    "slogan",    "label",    "hashtag", "known as",
                                    "brand",     "codenamed", "motto",    NULL};
    size_t e = s;
    while (e > 0 && b[e - 1] == ' ')
        e--;
    size_t a = e;
    while (a > 0 && (s_alpha((unsigned char)b[a - 1]) || b[a - 1] == '-'))
        a--;
    if ((e - a == 1 && (b[a] | 32) == 'a') || (e - a == 3 && strncasecmp(b + a, "the", 3) == 0)) {
        e = a;
        while (e > 0 && b[e - 1] == ' ')
            e--;
        a = e;
        while (a > 0 && (s_alpha((unsigned char)b[a - 1]) || b[a - 1] == '-'))
            a--;
    }
    for (const char *const *p = w; *p; p++) {
        size_t l = strlen(*p);
        if (e >= l && e - a <= l && strncasecmp(b + e - l, *p, l) == 0)
            return true;
    }
    return e >= 8 && strncasecmp(b + e - 8, "known as", 8) == 0;
}

/* Every word capitalised: a title or a name (“Minority Report”). */
static bool s_titlecase(const char *b, size_t s, size_t e)
{
    bool in = false, any = false;
    for (size_t i = s; i < e; i++) {
        bool w = s_alnum((unsigned char)b[i]);
        if (w && !in) {
            if (!(b[i] >= 'A' && b[i] <= 'Z'))
                return false;
            any = true;
        }
        in = w;
    }
    return any;
}

/* The same short term quoted before ("loyalty funds" ... "loyalty fund"):
   a quoted term, not someone's words.  Letters and digits compared without
   case, a final plural s ignored; the latest 16 quotations looked at. */
static bool s_repeated_term(const char *b, const qraw_t *raw, uint32_t k)
{
    char x[64], y[64];
    size_t xl = 0;
    for (size_t i = raw[k].ts; i < raw[k].te && xl < sizeof x; i++)
        if (s_alnum((unsigned char)b[i]))
            x[xl++] = (char)(b[i] | 32);
    if (xl > 1 && x[xl - 1] == 's')
        xl--;
    if (xl < 3 || xl == sizeof x)
        return false;
    for (uint32_t j = k, n = 0; j-- > 0 && n < 16; n++) {
        if (raw[j].te - raw[j].ts > 80 || (raw[j].flags & F_HEAD))
            continue;
        size_t yl = 0;
        for (size_t i = raw[j].ts; i < raw[j].te && yl < sizeof y; i++)
            if (s_alnum((unsigned char)b[i]))
                y[yl++] = (char)(b[i] | 32);
        if (yl > 1 && y[yl - 1] == 's')
            yl--;
        if (yl == xl && memcmp(x, y, xl) == 0)
            return true;
    }
    return false;
}

static int s_ment_cmp(const void *a, const void *b)
{
    const ment_t *x = a, *y = b;
    return x->s < y->s ? -1 : x->s > y->s;
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
    pthread_once(&s_lists_once, s_lists_init);
    qctx_t c = {.b = body, .len = len, .src = sources, .nsrc = nsources, .arena = arena};
    tlx_quote_t *qv = NULL;
    uint32_t nq = 0, cap = 0;
    int rc = 0;
    ment_t *mv = NULL;
    size_t nm = 0;
    bool heap = false;
    for (uint32_t i = 0; i < nents; i++)
        nm += ents[i].nspans;
    if (nm) {
        heap = nm * sizeof(ment_t) > S_ARENA_SCRATCH;
        mv = heap ? malloc(nm * sizeof(ment_t)) : tlx_arena_alloc(arena, nm * sizeof(ment_t));
        if (!mv)
            return TLX_ENOMEM;
        size_t k = 0;
        for (uint32_t i = 0; i < nents; i++)
            for (uint32_t j = 0; j < ents[i].nspans; j++)
                if (ents[i].spans[j].end <= len && ents[i].spans[j].start < ents[i].spans[j].end)
                    mv[k++] = (ment_t){ents[i].spans[j].start, ents[i].spans[j].end, &ents[i]};
        nm = k;
        qsort(mv, nm, sizeof *mv, s_ment_cmp);
    }
    c.m = mv;
    c.nm = (uint32_t)nm;

    rawv_t rv = {0};
    if ((rc = s_find(body, len, arena, &rv)))
        goto done;
    c.raw = rv.v;
    c.nraw = rv.n;
    uint32_t prev_para = UINT32_MAX, last_kept = UINT32_MAX;
    size_t prev_end = 0;
    for (uint32_t k = 0; k < rv.n; k++) {
        if (tlx_deadline_due("quotes", 64)) {
            rc = TLX_EAGAIN;
            goto done;
        }
        const qraw_t *q = &rv.v[k];
        unsigned words = s_nwords(body, q->ts, q->te);
        if (words == 0 || (q->flags & F_HEAD))
            continue;
        spk_t spk = {0}, subj = {0};
        bool same = false, found = false;
        if (!(q->flags & F_CUT))
            found = s_attr_after(&c, q, k + 1 < rv.n ? rv.v[k + 1].s : len, &spk);
        if (found && words < 4) {
            /* a short phrase inside a sentence with its own speaker is that
               speaker's: "Pyongyang warned of “…” measures, the agency said" */
            spk_t x, xs;
            bool xsame;
            if (s_attr_before(&c, q, k > 0 ? rv.v[k - 1].e : 0, &x, &xsame, &xs) && x.name)
                spk = x;
        }
        if (!found && !(q->flags & F_ORPHAN))
            found = s_attr_before(&c, q, k > 0 ? rv.v[k - 1].e : 0, &spk, &same, &subj);
        /* a short quotation right after an attributed one in the same
           sentence shares its speaker: condemned it as “…” and a “clear” … */
        bool inherit = same && last_kept + 1 == k && prev_end == rv.v[k - 1].e && c.prev.name;
        bool keep = words >= 4 || found || inherit || (q->flags & F_CUT);
        if (q->flags & F_ORPHAN)
            keep = found;
        if (keep && words < 4 && !(q->flags & F_CUT) &&
            (s_titlecase(body, q->ts, q->te) || s_named_term(body, q->s) || s_repeated_term(body, rv.v, k)))
            keep = false;
        /* a longer title in capitals with nobody saying it: a book, a film */
        if (keep && !found && q->te - q->ts < 80 && s_titlecase(body, q->ts, q->te))
            keep = false;
        if (!keep)
            continue;
        if (!found || !spk.name) {
            /* no attribution of its own: the previous quotation's speaker when
               it is in the same sentence or it continues the account, else
               the sentence's subject */
            bool cont = c.prev.name && ((same && prev_end > 0) ||
                                        (prev_para != UINT32_MAX && q->para - prev_para <= 1 && !subj.name));
            if (found && !spk.name && spk.text) {
                /* an unresolved pronoun */
            } else if (cont) {
                spk = c.prev;
                spk.text = NULL; /* no words of its own */
                spk.attr = TLX_ATTR_INFERRED;
            } else if (subj.name) {
                spk = subj;
            }
        }
        if ((rc = s_push_q(&c, &qv, &nq, &cap, q, &spk)))
            goto done;
        last_kept = k;
        if (spk.name) {
            c.prev = spk;
            c.prev_end = q->e;
            prev_para = q->para;
            prev_end = q->e;
        }
    }
    rc = s_lost_marks(&c, &qv, &nq, &cap);
done:
    if (heap)
        free(mv);
    if (rc)
        return rc;
    *out = qv;
    *n = nq;
    return 0;
}
