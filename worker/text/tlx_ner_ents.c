/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_ner_ents.c -- entity stage: tagger + gazetteer + acronyms -> rec->entities.

    How, per article:
      1. tokenize the body (tlx_ner_tok, byte offsets) and cut sentences at
         the structure stage's sentence spans and at line breaks (or, with
         no sentence spans, after . ! ? followed by a capital);
      2. tag the whole body as one document (document-level features);
      3. gazetteer matches win over overlapping tagger spans unless a tagger
         span of another type strictly contains the match with more
         capitalized words (a longer name, e.g. an organ named after a
         province);
      4. "Long Name (ACR)" defines ACR for the rest of the article: later
         bare ACR tokens become that entity, whatever the gazetteer says;
      5. canonical names: gazetteer canonical, acronym target, for a
         one-word person the earlier full name that starts or ends with it,
         else the surface text with whitespace collapsed;
      6. mentions are grouped by (type, canonical) with a sort, so the cost
         stays n log n on adversarial input.
    Rejected: coreference beyond names (pronouns, "the ministry"): it needs
    a model of its own and wrong links are worse than none for search.
*/
#include "tlx_ner_ents.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "tlx_error.h"
#include "tlx_wordset.h"

typedef struct {
    uint32_t a, b;       /* token range */
    uint32_t start, end; /* bytes in body */
    tlx_ent_type_t type;
    const char *canon; /* NUL-terminated, or NULL (use surface) */
    uint8_t the;       /* the surface starts with an article the canonical name leaves out */
    const char *ctext; /* collapsed surface or canonical, arena */
    uint32_t clen;
} s_ment_t;

typedef struct {
    const char *s;
    uint32_t len;
    uint32_t defined_at; /* token index of the definition */
    tlx_ent_type_t type;
    const char *canon; /* arena string */
} s_acro_t;

static int s_has_alnum(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80 || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z'))
            return 1;
    }
    return 0;
}

/* Copies s[0..n) into the arena with runs of whitespace collapsed. */
static char *s_collapse(tlx_arena_t *ar, const char *s, size_t n, uint32_t *outlen)
{
    char *o = tlx_arena_alloc(ar, n + 1);
    if (!o)
        return NULL;
    size_t k = 0;
    int sp = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            sp = 1;
            continue;
        }
        if (i + 1 < n && c == 0xC2 && (unsigned char)s[i + 1] == 0xA0) {
            sp = 1;
            i++;
            continue;
        }
        if (sp && k)
            o[k++] = ' ';
        sp = 0;
        o[k++] = (char)c;
    }
    o[k] = 0;
    *outlen = (uint32_t)k;
    return o;
}

static int s_is_acronym(const tlx_ner_tok_t *t)
{
    if (t->len < 2 || t->len > 8)
        return 0;
    int letters = 0;
    for (uint32_t i = 0; i < t->len; i++) {
        char c = t->s[i];
        if (c >= 'A' && c <= 'Z')
            letters++;
        else if (!(c >= '0' && c <= '9') && c != '&' && c != '-')
            return 0;
    }
    return letters >= 2 && t->s[0] >= 'A' && t->s[0] <= 'Z';
}

static inline int s_tok_is(const tlx_ner_tok_t *t, const char *s)
{
    /* the first byte first: most tests end there, before the strlen */
    return (t->len ? t->s[0] == s[0] : !*s) && t->len == strlen(s) && memcmp(t->s, s, t->len) == 0;
}

/* ---- word lists: one table for all, built once ---------------------------- */

static const char *const s_titles[] = {
    "President", "Chairman",    "Leader",   "General",    "Marshal", "Premier",   "Minister", "Mr.",
    "Mrs.",      "Ms.",         "Dr.",      "Supreme",    "Comrade", "Secretary", "Vice",     "Prime",
    "Foreign",   "Defense",     "Director", "Ambassador", "Gen.",    "Lt.",       "Col.",     "King",
    "Queen",     "Pope",        "Senator",  "Sen.",       "Rep.",    "Gov.",      "Governor", "Mayor",
    "Chief",     "Commander",   "Deputy",   "Former",     "First",   "Lady",      "Sister",   "Professor",
    "Prof.",     "Judge",       "The",      "CEO",        "CFO",     "COO",       "CTO",      "Chairwoman",
    "Spokesman", "Spokeswoman", "Officer"};
static const char *const s_surnames[] = {"Kim",   "Lee",  "Ri",   "Park", "Pak",   "Choi",  "Choe", "Jang",
                                         "Chang", "Kang", "Jung", "Jong", "Jeong", "Chung", "Yoon", "Yun",
                                         "Han",   "Cho",  "Jo",   "Song", "Hwang", "Oh",    "O",    "Ryu",
                                         "Yu",    "An",   "Ahn",  "Yang", "Lim",   "Im",    "Shin", "Sin",
                                         "Kwon",  "Hong", "Wang", "Li",   "Zhang", "Liu",   "Chen"};
/* s_org_head(): the first 16 are never family names: they make any name an organization */
static const char *const s_heads[] = {"University", "College",  "Institute", "Ilbo",     "Shinmun", "Group",
                                      "Bank",       "Airlines", "Airways",   "Electric", "Motors",  "Telecom",
                                      "Corp",       "Corp.",    "Inc.",      "Holdings", "Daily",   "Herald",
                                      "Times",      "Post",     "News",      "Journal",  "Co.",     "Ltd."};
static const char *const s_corp_sfx[] = {"Corp.", "Corp", "Inc.", "Inc",        "Ltd.", "Ltd",
                                         "Co.",   "Plc",  "plc",  "PLC",        "LLC",  "AG",
                                         "GmbH",  "S.A.", "N.V.", "Corporation"};
static const char *const s_units[] = {"Unit",      "Division", "Brigade", "Corps", "Regiment",
                                      "Battalion", "Squadron", "Fleet",   "Wing",  "Detachment"};
static const char *const s_func_words[] = {
    "From",  "In",     "At",    "On",   "By",   "For", "With", "To",    "Of",     "And", "But", "As",
    "After", "Before", "Under", "Over", "Into", "Via", "Amid", "Since", "During", "A",   "An"};
static const char *const s_org_nouns[] = {
    "League",     "Committee",  "Council",   "Party",        "Association",  "Federation", "Union",
    "Ministry",   "Agency",     "Command",   "Assembly",     "Institute",    "Center",     "Centre",
    "Foundation", "Press",      "Club",      "Company",      "Corporation",  "Commission", "Department",
    "Bureau",     "Office",     "Authority", "Organization", "Organisation", "Society",    "Fund",
    "Board",      "Parliament", "Congress",  "Academy",      "TV",           "Network"};
static const char *const s_media_words[] = {
    "Daily",   "Herald",  "Times",       "Post",      "News",      "Journal",  "Ilbo",     "Shinmun",
    "Shimbun", "Tribune", "Gazette",     "Telegraph", "Chronicle", "Observer", "Monitor",  "Globe",
    "Express", "Press",   "Independent", "Economist", "Guardian",  "Mail",     "Standard", "Review"};

/* What lists a word is in (bits). */
enum {
    W_TITLE = 1,
    W_SURNAME = 2,
    W_HEAD1 = 4, /* s_org_head() 1 */
    W_HEAD2 = 8, /* s_org_head() 2: the first 16 of s_heads */
    W_CORP = 16,
    W_UNIT = 32,
    W_FUNC = 64,
    W_ORGNOUN = 128,
    W_MEDIA = 256
};

/* The word lists as one set: a word's value is the W_* bits of the lists
   it is in (over twice as many slots as words). */
TLX_WORDSET_STATIC(s_wset, 1024, false);

static void s_wadd(const char *const *list, size_t n, uint32_t flag)
{
    for (size_t i = 0; i < n; i++)
        tlx_wordset_put(&s_wset, list[i], flag);
}

#define S_WADD(list, flag) s_wadd(list, sizeof list / sizeof *list, flag)

/* Built once, at the first article (the table is then read-only, shared
   by every thread), as the other stages build theirs: not at the start of
   every program that links the text library. */
static pthread_once_t s_wtab_once = PTHREAD_ONCE_INIT;

static void s_wtab_build(void)
{
    S_WADD(s_titles, W_TITLE);
    S_WADD(s_surnames, W_SURNAME);
    s_wadd(s_heads, 16, W_HEAD2);
    s_wadd(s_heads + 16, sizeof s_heads / sizeof *s_heads - 16, W_HEAD1);
    S_WADD(s_corp_sfx, W_CORP);
    S_WADD(s_units, W_UNIT);
    S_WADD(s_func_words, W_FUNC);
    S_WADD(s_org_nouns, W_ORGNOUN);
    S_WADD(s_media_words, W_MEDIA);
}

/* The lists token t is in (W_* bits): one set lookup, where testing each
   list word by word cost a loop per list and call.  (The lists of a few
   short tokens stay s_tok_is() tests: their first byte rejects most
   tokens at once.) */
static uint32_t s_wflags(const tlx_ner_tok_t *t)
{
    return tlx_wordset_get(&s_wset, t->s, t->len);
}

/* Title words before a name do not make the tagger's span a longer name (nor do kinds of person
   from the lexicon, s_role: "the North Hamgyong Source said"). */
static int s_title(const tlx_ner_tok_t *t)
{
    return (s_wflags(t) & W_TITLE) != 0;
}

/* Family names too common to stand for one person on their own. */
static int s_common_surname(const tlx_ner_tok_t *t)
{
    return (s_wflags(t) & W_SURNAME) != 0;
}

/* A title or kind of person ("Chancellor", "Chief Executive", "Rep."):
   the curated title list or the model's lexicon (ROLE, not also a given
   name: "Don", "Guy"). */
static int s_role(const tlx_ner_t *ner, const tlx_ner_tok_t *t)
{
    if (s_tok_is(t, "The"))
        return 0;
    if (s_title(t))
        return 1;
    unsigned c = tlx_ner_lex_classes(ner, t, 1);
    return (c & TLX_NER_LEX_ROLE) && !(c & TLX_NER_LEX_FIRST);
}

static int s_org_head(const tlx_ner_tok_t *t);

/* toks[0..n) (n <= 4) look like a person's name: capitalized words, none
   the last word of an organization's name, the first a known given name,
   a common family name, or (when the tagger said PER, `per`) any listed
   family name or person: "Premier League" and "Herald Media Group" are not
   a title and a person. */
static int s_name_like(const tlx_ner_t *ner, const tlx_ner_tok_t *t, size_t n, int per)
{
    if (n == 0 || n > 4)
        return 0;
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)t[k].s[0];
        if (!((c >= 'A' && c <= 'Z') || c >= 0xC3) || s_org_head(&t[k]))
            return 0;
    }
    unsigned cl = tlx_ner_lex_classes(ner, t, 1);
    return s_common_surname(&t[0]) || (cl & TLX_NER_LEX_FIRST) ||
           (per && (cl & (TLX_NER_LEX_LAST | TLX_NER_LEX_PER)));
}

/* The last word of a company, school or newspaper name: a place name just
   before such a name is part of it ("Seoul National University", "Korea
   JoongAng Daily", "Japan Airlines"); bodies of government are not in the
   list ("U.S. Senate Committee" keeps the place). */
static int s_org_head(const tlx_ner_tok_t *t)
{
    unsigned f = s_wflags(t);
    return f & W_HEAD2 ? 2 : f & W_HEAD1 ? 1 : 0;
}

/* A compound adjective made from a name: "Province-based", "Seoul-born",
   "state-run"; it does not make a name longer. */
static int s_compound_adj(const tlx_ner_tok_t *t)
{
    static const char *const heads[] = {"based",      "born",       "led",      "backed", "owned",
                                        "run",        "made",       "bound",    "linked", "funded",
                                        "controlled", "affiliated", "listed",   "style",  "registered",
                                        "flagged",    "built",      "produced", "wide",   "related"};
    const char *h = NULL;
    for (uint32_t i = 1; i < t->len; i++)
        if (t->s[i] == '-')
            h = t->s + i + 1;
    if (!h)
        return 0;
    size_t n = (size_t)(t->s + t->len - h);
    for (size_t i = 0; i < sizeof heads / sizeof *heads; i++)
        if (strlen(heads[i]) == n && memcmp(heads[i], h, n) == 0)
            return 1;
    return 0;
}

/* A romanized East Asian given name: two syllables joined by a hyphen,
   "Seung-hye", "Jae-in", "EUN-JEE" (the case of the first part's tail
   repeated in the second part). */
static int s_given_hyphen(const tlx_ner_tok_t *t)
{
    const char *s = t->s, *h;
    /* the capital and the length first: most tokens stop there, before the memchr call */
    if (!(s[0] >= 'A' && s[0] <= 'Z') || t->len < 4 || t->len > 12 || !(h = memchr(s, '-', t->len)))
        return 0;
    size_t n1 = (size_t)(h - s), n2 = t->len - n1 - 1;
    if (n1 < 2 || n1 > 6 || n2 < 1 || n2 > 5)
        return 0;
    int upper = s[1] >= 'A' && s[1] <= 'Z';
    for (size_t k = 1; k < t->len; k++) {
        char c = s[k];
        if (k == n1)
            continue;
        if (upper ? !(c >= 'A' && c <= 'Z') : !(c >= 'a' && c <= 'z'))
            return 0;
    }
    return 1;
}

/* Company-form suffixes. */
static int s_corp_suffix(const tlx_ner_tok_t *t)
{
    return (s_wflags(t) & W_CORP) != 0;
}

/* Quotes, brackets and dashes that can open a sentence or a title. */
static int s_opening(const tlx_ner_tok_t *t)
{
    return s_tok_is(t, "\"") || s_tok_is(t, "(") || s_tok_is(t, "[") || s_tok_is(t, "-") ||
           s_tok_is(t, "--") || s_tok_is(t, "\xE2\x80\x9C") || s_tok_is(t, "\xE2\x80\x94") ||
           s_tok_is(t, "\xE2\x80\x93") || s_tok_is(t, "|");
}

/* Token k and k+1 are on one line with spaces only between them. */
static int s_adjacent(const tlx_ner_tok_t *toks, size_t k)
{
    const char *p = toks[k].s + toks[k].len, *q = toks[k + 1].s;
    for (; p < q; p++)
        if (*p != ' ')
            return 0;
    return 1;
}

static int s_end_punct(const tlx_ner_tok_t *t)
{
    return s_tok_is(t, ".") || s_tok_is(t, "!") || s_tok_is(t, "?") || s_tok_is(t, "...") ||
           s_tok_is(t, "\xE2\x80\xA6");
}

/* Sentence ends (token index, exclusive).  Returns their count. */
static size_t s_sentences(const tlx_record_t *rec, const tlx_ner_tok_t *toks, size_t n, uint32_t *ends)
{
    size_t ne = 0, k = 0;
    long prev_sid = -1;
    for (size_t i = 0; i < n; i++) {
        int cut = 0;
        if (i > 0) /* a line break between the tokens (mostly one space: no memchr call) */
            for (const char *g = toks[i - 1].s + toks[i - 1].len; g < toks[i].s && !cut; g++)
                cut = *g == '\n';
        if (rec->nsentences) {
            while (k < rec->nsentences && rec->sentences[k].end <= toks[i].off)
                k++;
            long sid =
                (k < rec->nsentences && rec->sentences[k].start <= toks[i].off) ? (long)k : -(long)k - 2;
            if (i > 0 && sid != prev_sid)
                cut = 1;
            prev_sid = sid;
        } else if (i > 0 && s_end_punct(&toks[i - 1])) {
            unsigned char c = (unsigned char)toks[i].s[0];
            if ((c >= 'A' && c <= 'Z') || c == '"' || c == 0xE2 || (c >= '0' && c <= '9'))
                cut = 1;
        }
        if (cut && (ne == 0 || ends[ne - 1] != i))
            ends[ne++] = (uint32_t)i;
    }
    if (n)
        ends[ne++] = (uint32_t)n;
    return ne;
}

/* Makes room for one more element: mention arrays grow with the mentions,
   not with the token count (a huge body has few names per token). */
static int s_room(s_ment_t **arr, size_t *cap, size_t n)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 64;
    s_ment_t *p = TLX_NER_REALLOC(*arr, nc * sizeof(*p));
    if (!p)
        return TLX_ENOMEM;
    *arr = p;
    *cap = nc;
    return 0;
}

static int s_cmp_ment(const void *x, const void *y)
{
    const s_ment_t *a = *(const s_ment_t *const *)x, *b = *(const s_ment_t *const *)y;
    if (a->type != b->type)
        return a->type < b->type ? -1 : 1;
    uint32_t l = a->clen < b->clen ? a->clen : b->clen;
    int c = memcmp(a->ctext, b->ctext, l);
    if (c)
        return c;
    if (a->clen != b->clen)
        return a->clen < b->clen ? -1 : 1;
    return a->start < b->start ? -1 : a->start > b->start;
}

static int s_cmp_ent(const void *x, const void *y)
{
    const tlx_entity_t *a = x, *b = y;
    return a->spans[0].start < b->spans[0].start ? -1 : a->spans[0].start > b->spans[0].start;
}

/* One article's working state, stage to stage. */
typedef struct {
    const tlx_ner_t *ner;
    const tlx_gaz_t *gaz;
    const tlx_record_t *rec;
    tlx_arena_t *arena;
    const char *body;
    tlx_ner_tok_t *toks;
    size_t n;
    uint32_t *ends; /* sentence ends */
    size_t ns;
    uint8_t *lab;           /* BILOU labels; later the tagger mentions' keep flags */
    uint8_t *gazlab;        /* the tagger's gazetteer labels, from the matches in gm */
    s_ment_t *tm, *gm, *mm; /* tagger, gazetteer, merged mentions */
    size_t nt, ng, nmm, captm, capgm, capmm;
    uint32_t *cover; /* per token: 1-based merged mention, 0 none */
    s_acro_t *acro;
    size_t nacro, capacro;
    s_ment_t **order;
} s_ctx_t;

/* Family name + hyphenated given name is a person, whatever the tagger
   (trained on Reuters 1996) made of the unfamiliar second word: "Kim
   Seung-kyum", "Lim Jong-deuk". */
static void s_hyphen_names(s_ctx_t *c)
{
    const tlx_ner_tok_t *toks = c->toks;
    uint8_t *lab = c->lab;
    for (size_t i = 0; i + 1 < c->n; i++) {
        if (!s_given_hyphen(&toks[i + 1]) || toks[i + 1].off != toks[i].off + toks[i].len + 1 ||
            !(s_common_surname(&toks[i]) || (tlx_ner_lex_classes(c->ner, &toks[i], 1) & TLX_NER_LEX_LAST)))
            continue;
        lab[i] = 1 + 4 * TLX_ENT_PER;     /* B-PER */
        lab[i + 1] = 3 + 4 * TLX_ENT_PER; /* L-PER */
        if (i + 2 < c->n && (tlx_ner_label_pos(lab[i + 2]) == 'I' || tlx_ner_label_pos(lab[i + 2]) == 'L'))
            lab[i + 2] = 0; /* the rest of a span the name cut: not a name of its own */
        if (i > 0 && (tlx_ner_label_pos(lab[i - 1]) == 'B' || tlx_ner_label_pos(lab[i - 1]) == 'I'))
            lab[i - 1] =
                (uint8_t)(lab[i - 1] + (tlx_ner_label_pos(lab[i - 1]) == 'B' ? 3 : 1)); /* close it */
        i++;
    }
}

/* A slash inside a tagged span separates two names, as photo credits
   write them: "Jane Roe/AFP/Getty Images", "REUTERS/Kim Hong-ji".  The
   span is closed before it and a new one starts after it: a person's name
   when it looks like one (s_name_like) after an organization's, else an
   organization's. */
static void s_slash_cut(s_ctx_t *c)
{
    uint8_t *lab = c->lab;
    for (size_t k = 1; k + 1 < c->n; k++) {
        char p = tlx_ner_label_pos(lab[k]);
        if (!s_tok_is(&c->toks[k], "/") || (p != 'I' && p != 'L'))
            continue;
        tlx_ent_type_t ty = tlx_ner_label_type(lab[k]);
        char pp = tlx_ner_label_pos(lab[k - 1]);
        lab[k - 1] = (uint8_t)(lab[k - 1] + (pp == 'B' ? 3 : pp == 'I' ? 1 : 0)); /* close: U or L */
        lab[k] = 0;
        if (p == 'L')
            continue; /* the span ended at the slash */
        size_t e = k + 1;
        while (e < c->n && tlx_ner_label_pos(lab[e]) == 'I')
            e++;
        if (e < c->n && tlx_ner_label_pos(lab[e]) == 'L')
            e++;
        unsigned lc = tlx_ner_lex_classes(c->ner, c->toks + k + 1, e - k - 1);
        tlx_ent_type_t nt =
            ty == TLX_ENT_PER || (lc & TLX_NER_LEX_ORG) || !s_name_like(c->ner, c->toks + k + 1, e - k - 1, 0)
                ? TLX_ENT_ORG
                : TLX_ENT_PER;
        for (size_t z = k + 1; z < e; z++)
            lab[z] = (uint8_t)(1 + 4 * nt + (z == k + 1 ? (e - z == 1 ? 3 : 0) : z + 1 == e ? 2 : 1));
    }
}

/* End of the tagger's span [i, j): a possessive ends the name unless the
   whole is listed; a company suffix right after it joins it and makes it
   an organization.  Updates *j (where the next span search resumes) and
   *ty; returns the name's end. */
static size_t s_span_end(s_ctx_t *c, size_t i, size_t *j, tlx_ent_type_t *ty)
{
    const tlx_ner_tok_t *toks = c->toks;
    /* "Ministry of State Security's bureau" */
    size_t e = i + 1;
    while (e < *j && !s_tok_is(&toks[e], "'s") && !s_tok_is(&toks[e], "\xE2\x80\x99s"))
        e++;
    if (e < *j && tlx_ner_lex_classes(c->ner, toks + i, *j - i))
        e = *j; /* a listed name: "Democratic People's Republic of Korea" */
    /* "Toyota Motor Corp.", "Hitachi Ltd.", whatever the tagger made of the suffix */
    if (e == *j && *j < c->n && s_adjacent(toks, *j - 1) && s_corp_suffix(&toks[*j])) {
        *ty = TLX_ENT_ORG;
        size_t k = *j + 1;
        while (k < c->n && (tlx_ner_label_pos(c->lab[k]) == 'I' || tlx_ner_label_pos(c->lab[k]) == 'L'))
            k++; /* the rest of a span the suffix started: not a name of its own */
        e = *j = *j + 1;
        for (size_t z = e; z < k; z++)
            c->lab[z] = 0;
    }
    return e;
}

/* A token that starts with a currency sign: $ £ € ¥ ₩ ₹. */
static int s_currency_start(const tlx_ner_tok_t *t)
{
    const unsigned char *u = (const unsigned char *)t->s;
    if (t->len >= 1 && u[0] == '$')
        return 1;
    if (t->len >= 2 && u[0] == 0xC2 && (u[1] == 0xA3 || u[1] == 0xA5))
        return 1;
    return t->len >= 3 && u[0] == 0xE2 && u[1] == 0x82 && (u[2] == 0xAC || u[2] == 0xA9 || u[2] == 0xB9);
}

/* Names have no lower-case content words: a greedy tagger that ran on
   ("Mike Pompeo refused Monday") stops before the first one; short words
   (of, and, de, van, al) stay.  Returns the end of [i, e). */
static size_t s_span_lower(const s_ctx_t *c, size_t i, size_t e)
{
    const tlx_ner_tok_t *toks = c->toks;
    for (size_t k = i + 1; k < e; k++) {
        if (s_currency_start(&toks[k]))
            return k; /* nor amounts: "Man City £10.9m" */
        unsigned char ch = (unsigned char)toks[k].s[0];
        if (ch >= 'a' && ch <= 'z' && toks[k].len >= 4 && !memchr(toks[k].s, '-', toks[k].len) &&
            !s_tok_is(&toks[k], "upon"))
            return k;
    }
    return e;
}

static int s_push_tm(s_ctx_t *c, size_t a, size_t b, tlx_ent_type_t ty)
{
    if (s_room(&c->tm, &c->captm, c->nt))
        return TLX_ENOMEM;
    c->tm[c->nt++] = (s_ment_t){.a = (uint32_t)a, .b = (uint32_t)b, .type = ty};
    return 0;
}

/* A title inside the span [*i, e) ends the name before it and starts a
   person's: "former Chancellor Angela Merkel" (tagged as one ORG), "Apple
   Chief Executive Tim Cook", "National Assembly Speaker Woo"; after
   "Secretary of" / "Ambassador to" the span's head belongs to the title up
   to a known given or family name ("Secretary of State Mike Pompeo").  The
   part before the title becomes a mention of its own. */
static int s_span_person(s_ctx_t *c, size_t *i, size_t e, tlx_ent_type_t *ty)
{
    const tlx_ner_tok_t *toks = c->toks;
    if (*i >= 2 && (s_tok_is(&toks[*i - 1], "of") || s_tok_is(&toks[*i - 1], "to")) &&
        s_role(c->ner, &toks[*i - 2]))
        for (size_t k = *i + 1; k < e; k++)
            if (tlx_ner_lex_classes(c->ner, &toks[k], 1) & (TLX_NER_LEX_FIRST | TLX_NER_LEX_LAST)) {
                if (s_name_like(c->ner, toks + k, e - k, *ty == TLX_ENT_PER)) {
                    *i = k;
                    *ty = TLX_ENT_PER;
                }
                break;
            }
    size_t r = *i, q;
    while (r < e && !s_role(c->ner, &toks[r]))
        r++;
    for (q = r; q < e && s_role(c->ner, &toks[q]);)
        q++;
    if (q < e && s_name_like(c->ner, toks + q, e - q, *ty == TLX_ENT_PER)) {
        if (r > *i && s_push_tm(c, *i, r, *ty))
            return TLX_ENOMEM;
        *i = q;
        *ty = TLX_ENT_PER;
    }
    return 0;
}

/* A military unit's number is part of its name: "Naval Unit 167", "KPA
   Unit 810", "8th Army Division 2" (the next mention starts at `next`). */
static void s_unit_number(const s_ctx_t *c, s_ment_t *m, size_t next)
{
    size_t b = m->b;
    if (b >= c->n || b >= next || !s_adjacent(c->toks, b - 1))
        return;
    const tlx_ner_tok_t *num = &c->toks[b];
    for (uint32_t k = 0; k < num->len; k++)
        if (!(num->s[k] >= '0' && num->s[k] <= '9'))
            return;
    if (s_wflags(&c->toks[b - 1]) & W_UNIT) {
        m->b = (uint32_t)b + 1;
        m->type = TLX_ENT_ORG;
    }
}

static int s_is_the(const tlx_ner_tok_t *t)
{
    return s_tok_is(t, "The") || s_tok_is(t, "THE");
}

/* A capitalized preposition or conjunction starts a line or sentence, not
   a name: "From CNN Business' Rachel Metz", "In Seoul Station". */
static int s_function_word(const tlx_ner_tok_t *t)
{
    return (s_wflags(t) & W_FUNC) != 0;
}

/* The head noun of an organization's name: a name ending in one is an
   organization, never a person ("Premier League" tagged PER on "League"),
   and the name runs on through "of"/"for" ("Committee to Protect
   Journalists", "Department of U.S. Affairs"). */
static int s_org_noun(const tlx_ner_tok_t *t)
{
    return (s_wflags(t) & (W_ORGNOUN | W_HEAD1 | W_HEAD2)) != 0;
}

/* Starts with a capital (ASCII, or a Latin letter beyond ASCII). */
static int s_cap(const tlx_ner_tok_t *t)
{
    unsigned char ch = (unsigned char)t->s[0];
    return (ch >= 'A' && ch <= 'Z') || (ch >= 0xC3 && ch <= 0xC9 && t->len >= 2);
}

/* Mention k of c->tm as an organization's name: trailing titles leave it
   ("National Assembly Speaker"), a head noun makes it an organization and
   takes in untagged capitalized words before it ("Premier League") and
   "of"/"for"/"to" + capitalized words after it, and an untagged head noun
   right after a name joins it ("Korea Herald", "Reuters TV").  Later
   mentions it runs into are emptied (a == b). */
static void s_org_extend(s_ctx_t *c, size_t k)
{
    s_ment_t *m = &c->tm[k];
    const tlx_ner_tok_t *toks = c->toks;
    if (m->type == TLX_ENT_ORG)
        while (m->b - m->a >= 2 && (s_title(&toks[m->b - 1]) || s_tok_is(&toks[m->b - 1], "Speaker")))
            m->b--;
    if (m->b < c->n && c->lab[m->b] == 0 && s_adjacent(toks, m->b - 1) && s_cap(&toks[m->b]) &&
        s_org_noun(&toks[m->b]) && m->type != TLX_ENT_PER) {
        m->b++;
        m->type = TLX_ENT_ORG;
    }
    if (!s_org_noun(&toks[m->b - 1]) || m->type == TLX_ENT_LOC)
        return;
    m->type = TLX_ENT_ORG;
    while (m->a > 0 && c->lab[m->a - 1] == 0 && s_cap(&toks[m->a - 1]) && s_adjacent(toks, m->a - 1) &&
           !s_function_word(&toks[m->a - 1]) && !s_is_the(&toks[m->a - 1]) &&
           (k == 0 || c->tm[k - 1].b < m->a))
        m->a--;
    size_t e = m->b;
    if (e + 1 < c->n && (s_tok_is(&toks[e], "of") || s_tok_is(&toks[e], "for") || s_tok_is(&toks[e], "to")) &&
        s_adjacent(toks, e - 1) && s_adjacent(toks, e) && s_cap(&toks[e + 1]) &&
        (!s_tok_is(&toks[e], "to") || !tlx_ner_lex_classes(c->ner, &toks[e + 1], 1))) {
        size_t q = e + 1;
        while (q < c->n && q - e <= 6 && s_adjacent(toks, q - 1) &&
               (s_cap(&toks[q]) || ((s_tok_is(&toks[q], "and") || s_tok_is(&toks[q], "of")) && q + 1 < c->n &&
                                    s_cap(&toks[q + 1]))))
            q++;
        m->b = (uint32_t)q;
    }
    for (size_t z = k + 1; z < c->nt && c->tm[z].a < m->b; z++)
        if (c->tm[z].b <= m->b)
            c->tm[z].b = c->tm[z].a; /* emptied */
        else
            c->tm[z].a = m->b;
}

/* The tagger's spans, repaired, into c->tm. */
static int s_tagger_mentions(s_ctx_t *c)
{
    const tlx_ner_tok_t *toks = c->toks;
    const uint8_t *lab = c->lab;
    for (size_t i = 0; i < c->n;) {
        if (lab[i] == 0) {
            i++;
            continue;
        }
        size_t j = i + 1;
        tlx_ent_type_t ty = tlx_ner_label_type(lab[i]);
        if (tlx_ner_label_pos(lab[i]) != 'U')
            while (j < c->n && lab[j] && tlx_ner_label_type(lab[j]) == ty &&
                   (tlx_ner_label_pos(lab[j]) == 'I' || tlx_ner_label_pos(lab[j]) == 'L')) {
                j++;
                if (tlx_ner_label_pos(lab[j - 1]) == 'L')
                    break;
            }
        size_t e = s_span_end(c, i, &j, &ty);
        while (i + 1 < e && s_function_word(&toks[i]))
            i++;
        /* a capitalized "The" inside a sentence is part of the name: "said The
           Associated Press", "told The Lens"; at a sentence start it is not
           known to be */
        if (ty != TLX_ENT_PER && i >= 2 && lab[i - 1] == 0 &&
            (s_tok_is(&toks[i - 1], "The") || s_tok_is(&toks[i - 1], "THE")) && s_adjacent(toks, i - 2) &&
            s_adjacent(toks, i - 1) && !s_end_punct(&toks[i - 2]) && !s_opening(&toks[i - 2]))
            i--;
        e = s_span_lower(c, i, e);
        if (s_span_person(c, &i, e, &ty) || s_push_tm(c, i, e, ty))
            return TLX_ENOMEM;
        i = j;
    }
    /* a name ending in "University", "Bank", "Group"... is an organization
       ("National University" tagged as a person); a place right before a
       company/school/newspaper name joins it */
    s_ment_t *tm = c->tm;
    for (size_t k = 0; k < c->nt; k++) {
        int h = s_org_head(&toks[tm[k].b - 1]);
        if (h == 2 || (h == 1 && tm[k].b - tm[k].a >= 2 && tm[k].type != TLX_ENT_PER))
            tm[k].type = TLX_ENT_ORG; /* also "Wall Street Journal", "Korea Herald" tagged as places */
    }
    for (size_t k = 0; k < c->nt; k++)
        s_unit_number(c, &tm[k], k + 1 < c->nt ? tm[k + 1].a : c->n);
    for (size_t k = 0; k < c->nt; k++)
        if (tm[k].a < tm[k].b)
            s_org_extend(c, k);
    size_t w = 0;
    for (size_t k = 0; k < c->nt; k++)
        if (tm[k].a < tm[k].b)
            tm[w++] = tm[k];
    c->nt = w;
    for (size_t k = 0; k + 1 < c->nt; k++) {
        s_ment_t *x = &tm[k], *y = &tm[k + 1];
        const tlx_ner_tok_t *xl = &toks[x->b - 1];
        if ((x->type == TLX_ENT_LOC || (x->type == TLX_ENT_MISC && x->b - x->a == 1)) &&
            y->type == TLX_ENT_ORG && y->a == x->b && toks[y->a].off == xl->off + xl->len + 1 &&
            s_org_noun(&toks[y->b - 1])) {
            x->b = y->b;
            x->type = TLX_ENT_ORG;
            memmove(y, y + 1, (c->nt - k - 2) * sizeof(*y));
            c->nt--;
        }
    }
    return 0;
}

/* Gazetteer matches, per sentence, into c->gm, and their labels for the
   tagger into c->gazlab (tlx_ner_tag_gazlab: one matching for both). */
static int s_gaz_mentions(s_ctx_t *c)
{
    if (!c->gaz)
        return 0;
    tlx_gaz_match_t mt[64];
    size_t s0 = 0;
    for (size_t s = 0; s < c->ns; s++) {
        size_t s1 = c->ends[s], i = s0, nm;
        while ((nm = tlx_gaz_match_from(c->gaz, c->toks, s1, &i, mt, 64))) {
            tlx_ner_gaz_labels(mt, nm, c->gazlab);
            for (size_t k = 0; k < nm; k++) {
                if (s_room(&c->gm, &c->capgm, c->ng))
                    return TLX_ENOMEM;
                c->gm[c->ng++] = (s_ment_t){
                    .a = mt[k].start, .b = mt[k].end, .type = mt[k].type, .canon = mt[k].canonical};
            }
        }
        s0 = s1;
    }
    return 0;
}

/* Gazetteer match g loses to a tagger span that strictly contains it with
   more capitalized words that are not titles: "Kim Il Sung Square",
   "Ryanggang Provincial People's Committee", and of the same type "Reform
   Party" around a listed "Party" (a longer name of its own); a match of
   several words loses only to a span of another type. */
static int s_gaz_loses(const s_ctx_t *c, const s_ment_t *g, size_t j)
{
    for (size_t k = j; k < c->nt && c->tm[k].a < g->b; k++) {
        const s_ment_t *t = &c->tm[k];
        if (!(t->a <= g->a && t->b >= g->b && t->b - t->a > g->b - g->a) ||
            (t->type == g->type && g->b - g->a > 1))
            continue;
        for (uint32_t x = t->a; x < t->b; x++) {
            if (x >= g->a && x < g->b)
                continue;
            const tlx_ner_tok_t *tk = &c->toks[x];
            unsigned char ch = (unsigned char)tk->s[0];
            if (((ch >= 'A' && ch <= 'Z') || ch >= 0x80) && !s_title(tk) && !s_role(c->ner, tk) &&
                !s_compound_adj(tk))
                return 1;
        }
    }
    return 0;
}

/* Merges the two sorted, internally non-overlapping lists into c->mm:
   gazetteer matches win over overlapping tagger spans unless they lose. */
static int s_merge(s_ctx_t *c)
{
    size_t j = 0;
    uint8_t *tkeep = c->lab; /* reuse: tagging is done (nt <= n) */
    memset(tkeep, 1, c->nt ? c->nt : 1);
    c->capmm = c->nt + c->ng + 1;
    if (!(c->mm = TLX_NER_MALLOC(c->capmm * sizeof(*c->mm))))
        return TLX_ENOMEM;
    for (size_t g = 0; g < c->ng; g++) {
        while (j < c->nt && c->tm[j].b <= c->gm[g].a)
            j++;
        if (s_gaz_loses(c, &c->gm[g], j)) {
            c->gm[g].b = c->gm[g].a; /* dropped */
            continue;
        }
        for (size_t k = j; k < c->nt && c->tm[k].a < c->gm[g].b; k++)
            tkeep[k] = 0;
    }
    size_t a = 0, b = 0;
    while (a < c->nt || b < c->ng) {
        if (b < c->ng && c->gm[b].b == c->gm[b].a) {
            b++;
            continue;
        }
        if (a < c->nt && !tkeep[a]) {
            a++;
            continue;
        }
        if (b >= c->ng || (a < c->nt && c->tm[a].a < c->gm[b].a))
            c->mm[c->nmm++] = c->tm[a++];
        else
            c->mm[c->nmm++] = c->gm[b++];
    }
    /* drop punctuation-only spans; fill byte offsets; gazetteer canonical for tagger spans */
    size_t w = 0;
    for (size_t i = 0; i < c->nmm; i++) {
        s_ment_t m = c->mm[i];
        m.start = c->toks[m.a].off;
        m.end = c->toks[m.b - 1].off + c->toks[m.b - 1].len;
        if (!s_has_alnum(c->body + m.start, m.end - m.start) || (int)m.type >= TLX_GAZ_NONE)
            continue; /* punctuation, or a gazetteer NONE entry (it has removed the tagger's span) */
        tlx_ent_type_t gt;
        const char *gc;
        if (!m.canon && c->gaz && tlx_gaz_lookup(c->gaz, c->toks + m.a, m.b - m.a, &gt, &gc)) {
            m.canon = gc;
            m.type = gt;
        }
        c->mm[w++] = m;
        for (uint32_t t = m.a; t < m.b; t++)
            c->cover[t] = (uint32_t)w; /* 1-based */
    }
    c->nmm = w;
    return 0;
}

/* Capitalized "The" right before token k, inside a sentence (not after
   end punctuation or an opening quote or bracket): "told The Lens". */
static int s_the_inside(const s_ctx_t *c, size_t k)
{
    return k >= 2 && s_is_the(&c->toks[k - 1]) && s_adjacent(c->toks, k - 2) && s_adjacent(c->toks, k - 1) &&
           !s_end_punct(&c->toks[k - 2]) && !s_opening(&c->toks[k - 2]);
}

/* The last word of a newspaper's or agency's name, which carries its
   article: "The Wall Street Journal", "The Yomiuri Shimbun". */
static int s_media_word(const tlx_ner_tok_t *t)
{
    return (s_wflags(t) & W_MEDIA) != 0;
}

/* An organization's name is written with its article where the text has
   one inside a sentence ("told The Associated Press"); at a sentence or
   line start only a newspaper's or agency's name that no list knows ("The
   Wall Street Journal's reporter", "The Yomiuri Shimbun" on a credit
   line; "The Defense Ministry said" is the ministry, "The U.N. Security
   Council" the listed UN Security Council).  The canonical name leaves
   the article out, so "The Guardian" and "Guardian" are one
   organization. */
static void s_org_article(s_ctx_t *c)
{
    for (size_t i = 0; i < c->nmm; i++) {
        s_ment_t *m = &c->mm[i];
        if (m->type != TLX_ENT_ORG)
            continue;
        if (m->b - m->a >= 2 && s_is_the(&c->toks[m->a])) {
            m->the = 1;
            continue;
        }
        if (m->a == 0 || !s_is_the(&c->toks[m->a - 1]) || c->cover[m->a - 1] ||
            !s_adjacent(c->toks, m->a - 1) ||
            (!s_the_inside(c, m->a) && (m->canon || !s_media_word(&c->toks[m->b - 1]))))
            continue;
        m->a--;
        m->start = c->toks[m->a].off;
        m->the = 1;
        c->cover[m->a] = (uint32_t)i + 1;
    }
}

/* Acronym definitions NAME ( ACR ), at most 64 (each later token is
   checked against all of them). */
static int s_acro_defs(s_ctx_t *c)
{
    const tlx_ner_tok_t *toks = c->toks;
    for (size_t i = 0; i < c->nmm && c->nacro < 64; i++) {
        const s_ment_t *m = &c->mm[i];
        uint32_t b = m->b;
        if (b + 2 >= c->n || !s_tok_is(&toks[b], "(") || !s_tok_is(&toks[b + 2], ")") ||
            !s_is_acronym(&toks[b + 1]))
            continue;
        const tlx_ner_tok_t *x = &toks[b + 1];
        if (m->b - m->a < 2 || toks[m->a].s[0] != x->s[0])
            continue;
        if (c->nacro == c->capacro) {
            size_t nc = c->capacro ? c->capacro * 2 : 8;
            s_acro_t *na = TLX_NER_REALLOC(c->acro, nc * sizeof(*na));
            if (!na)
                return TLX_ENOMEM;
            c->acro = na;
            c->capacro = nc;
        }
        const char *canon = m->canon;
        uint32_t cl;
        if (!canon && !(canon = s_collapse(c->arena, c->body + m->start, m->end - m->start, &cl)))
            return TLX_ENOMEM;
        c->acro[c->nacro++] = (s_acro_t){x->s, x->len, b + 1, m->type, canon};
    }
    return 0;
}

/* Defined acronyms name later bare tokens (and single-token mentions). */
static int s_acro_apply(s_ctx_t *c)
{
    size_t extra = 0;
    for (size_t t = 0; c->nacro && t < c->n; t++) {
        if (!s_is_acronym(&c->toks[t]))
            continue;
        const s_acro_t *best = NULL;
        for (size_t k = 0; k < c->nacro; k++)
            if (c->acro[k].len == c->toks[t].len && memcmp(c->acro[k].s, c->toks[t].s, c->toks[t].len) == 0 &&
                c->acro[k].defined_at <= t)
                best = &c->acro[k]; /* the latest definition before t */
        if (!best)
            continue;
        if (c->cover[t]) {
            s_ment_t *m = &c->mm[c->cover[t] - 1];
            if (m->b - m->a == 1) {
                m->canon = best->canon;
                m->type = best->type;
            }
            continue;
        }
        s_ment_t nm = {.a = (uint32_t)t, .b = (uint32_t)t + 1, .type = best->type, .canon = best->canon};
        nm.start = c->toks[t].off;
        nm.end = c->toks[t].off + c->toks[t].len;
        if (s_room(&c->mm, &c->capmm, c->nmm + extra))
            return TLX_ENOMEM;
        c->mm[c->nmm + extra++] = nm;
        c->cover[t] = (uint32_t)(c->nmm + extra);
    }
    c->nmm += extra;
    return 0;
}

/* Surface texts and canonical texts; a one-word person takes the earlier
   full name that ends with it (Western) or starts with it ("Moon Jae-in"). */
static int s_canonicals(s_ctx_t *c)
{
    size_t lastfull[64];
    size_t nfull = 0;
    for (size_t i = 0; i < c->nmm; i++) {
        s_ment_t *m = &c->mm[i];
        uint32_t sl;
        char *surf = s_collapse(c->arena, c->body + m->start, m->end - m->start, &sl);
        if (!surf)
            return TLX_ENOMEM;
        if (!m->canon && m->type == TLX_ENT_PER && m->b - m->a == 1 && !s_common_surname(&c->toks[m->a])) {
            for (size_t k = nfull; k-- > 0;) {
                const s_ment_t *f = &c->mm[lastfull[k % 64]];
                const tlx_ner_tok_t *ft = &c->toks[f->a], *lt = &c->toks[f->b - 1], *me = &c->toks[m->a];
                int korean = f->b - f->a == 2 && memchr(lt->s, '-', lt->len);
                if (f->start < m->start &&
                    ((korean && ft->len == me->len && memcmp(ft->s, me->s, me->len) == 0) ||
                     (lt->len == me->len && memcmp(lt->s, me->s, me->len) == 0))) {
                    m->canon = f->ctext;
                    break;
                }
                if (nfull - k >= 64)
                    break;
            }
        }
        if (!m->canon && m->the) {
            const tlx_ner_tok_t *t1 = &c->toks[m->a + 1];
            m->canon = s_collapse(c->arena, t1->s, c->body + m->end - t1->s, &sl);
            if (!m->canon)
                return TLX_ENOMEM;
        }
        m->ctext = m->canon ? m->canon : surf;
        m->clen = m->canon ? (uint32_t)strlen(m->canon) : sl;
        m->canon = surf; /* from here on: the surface text */
        if (m->type == TLX_ENT_PER && m->b - m->a >= 2)
            lastfull[nfull++ % 64] = i;
    }
    return 0;
}

static int s_same_group(const s_ment_t *x, const s_ment_t *y)
{
    return x->type == y->type && x->clen == y->clen && memcmp(x->ctext, y->ctext, x->clen) == 0;
}

/* Mentions grouped by (type, canonical) into the record's entities, in
   order of first mention. */
static int s_group(s_ctx_t *c, tlx_record_t *rec)
{
    size_t nmm = c->nmm;
    c->order = TLX_NER_MALLOC((nmm + 1) * sizeof(*c->order));
    if (!c->order)
        return TLX_ENOMEM;
    s_ment_t **order = c->order;
    for (size_t i = 0; i < nmm; i++)
        order[i] = &c->mm[i];
    qsort(order, nmm, sizeof(*order), s_cmp_ment);
    size_t ne = 0;
    for (size_t i = 0; i < nmm; i++)
        ne += i == 0 || !s_same_group(order[i], order[i - 1]);
    tlx_entity_t *ents = ne ? tlx_arena_calloc(c->arena, ne, sizeof(*ents)) : NULL;
    if (ne && !ents)
        return TLX_ENOMEM;
    size_t e = 0;
    for (size_t i = 0; i < nmm;) {
        size_t k = i + 1;
        while (k < nmm && s_same_group(order[k], order[i]))
            k++;
        tlx_entity_t *en = &ents[e++];
        en->type = order[i]->type;
        en->text = order[i]->canon; /* sorted by start inside the group: the first surface */
        en->canonical = tlx_arena_strndup(c->arena, order[i]->ctext, order[i]->clen);
        en->count = (uint32_t)(k - i);
        en->nspans = en->count;
        en->spans = tlx_arena_alloc(c->arena, en->nspans * sizeof(tlx_span_t));
        if (!en->canonical || !en->spans)
            return TLX_ENOMEM;
        for (size_t q = i; q < k; q++)
            en->spans[q - i] = (tlx_span_t){order[q]->start, order[q]->end};
        i = k;
    }
    if (ne)
        qsort(ents, ne, sizeof(*ents), s_cmp_ent);
    rec->entities = ents;
    rec->nentities = (uint32_t)ne;
    return 0;
}

static void s_ctx_free(s_ctx_t *c)
{
    free(c->toks);
    free(c->ends);
    free(c->lab);
    free(c->gazlab);
    free(c->tm);
    free(c->gm);
    free(c->mm);
    free(c->cover);
    free(c->acro);
    free(c->order);
}

int tlx_ner_ents_fill(const tlx_ner_t *ner, const tlx_gaz_t *gaz, tlx_record_t *rec, tlx_arena_t *arena)
{
    return tlx_ner_ents_fill_with(ner, NULL, gaz, rec, arena);
}

int tlx_ner_ents_fill_with(const tlx_ner_t *ner, tlx_ner_scratch_t *scratch, const tlx_gaz_t *gaz,
                           tlx_record_t *rec, tlx_arena_t *arena)
{
    rec->entities = NULL;
    rec->nentities = 0;
    if (!rec->body || rec->body_len == 0)
        return 0;
    pthread_once(&s_wtab_once, s_wtab_build);
    /* one pass in the usual case: room for a token per 4 bytes (news text
       has one per 5-6), a second pass with the exact count otherwise */
    size_t cap = rec->body_len / 4 + 64;
    s_ctx_t c = {.ner = ner, .gaz = gaz, .rec = rec, .arena = arena, .body = rec->body};
    int rc = TLX_ENOMEM;
    if (!(c.toks = TLX_NER_MALLOC(cap * sizeof(*c.toks))))
        goto out;
    size_t n = tlx_ner_tok_split(rec->body, rec->body_len, c.toks, cap);
    if (n > cap) {
        tlx_ner_tok_t *t = TLX_NER_REALLOC(c.toks, n * sizeof(*c.toks));
        if (!t)
            goto out;
        c.toks = t;
        tlx_ner_tok_split(rec->body, rec->body_len, c.toks, n);
    }
    if (n == 0) {
        rc = 0;
        goto out;
    }
    c.n = n;
    c.ends = TLX_NER_MALLOC((n + 1) * sizeof(uint32_t));
    c.lab = TLX_NER_CALLOC(n, 1);
    c.gazlab = TLX_NER_CALLOC(n, 1);
    c.cover = TLX_NER_CALLOC(n, sizeof(uint32_t));
    if (!c.ends || !c.lab || !c.gazlab || !c.cover)
        goto out;
    c.ns = s_sentences(rec, c.toks, n, c.ends);
    if (s_gaz_mentions(&c))
        goto out;
    if (ner && (rc = tlx_ner_tag_gazlab(ner, scratch, gaz, c.gazlab, c.toks, n, c.ends, c.ns, c.lab)))
        goto out;
    rc = TLX_ENOMEM;
    s_hyphen_names(&c);
    s_slash_cut(&c);
    if (s_tagger_mentions(&c) || s_merge(&c))
        goto out;
    s_org_article(&c);
    if (s_acro_defs(&c) || s_acro_apply(&c) || s_canonicals(&c) || s_group(&c, rec))
        goto out;
    rc = 0;
out:
    s_ctx_free(&c);
    return rc;
}
