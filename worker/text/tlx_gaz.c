/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_gaz.c -- gazetteer loading and token-sequence matching.

    How: every variant is tokenized and hashed as a sequence of lower-cased
    tokens (64-bit FNV-1a, chained); one open-addressing table maps a hash to
    the variant (full match) and also marks every proper prefix, so matching
    walks right from each token and stops as soon as no variant starts that
    way: O(tokens x longest variant) with one probe per step.
    Rejected: a character trie (more memory and code for the same result on
    token boundaries) and regexes (slow, and names are token sequences).
    Hash collisions between different sequences are possible in principle
    (2^-64 per pair); a full match re-checks the token count, exact-case
    variants compare the bytes.
*/
#include "tlx_gaz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlx_alloc.h"
#include "tlx_error.h"
#include "tlx_hash.h"

#define TLX_GAZ_MAXTOK 12

typedef struct {
    uint64_t key;      /* 0 = empty slot */
    int32_t var;       /* variant index or -1 (prefix only) */
    uint8_t is_prefix; /* some longer variant starts with this sequence */
} s_slot_t;

typedef struct {
    char *text;      /* the variant as written (owned) */
    char *canonical; /* owned */
    tlx_ent_type_t type;
    uint8_t ntok;
    uint8_t exact; /* all capitals: match case-sensitively */
} s_var_t;

struct tlx_gaz {
    s_var_t *vars;
    size_t nvars, capvars;
    s_slot_t *slots;
    size_t nslots, used; /* nslots is a power of two */
};

static uint64_t s_tokhash(uint64_t h, const char *s, size_t n)
{
    h ^= 0x9e3779b97f4a7c15ull;
    h *= TLX_FNV1A_PRIME;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z')
            c |= 32;
        h = tlx_fnv1a_byte(h, c);
    }
    h ^= h >> 29;
    return h ? h : 1;
}

tlx_gaz_t *tlx_gaz_new(void)
{
    tlx_gaz_t *self = TLX_NER_CALLOC(1, sizeof(*self));
    if (!self)
        return NULL;
    self->nslots = 1024;
    self->slots = TLX_NER_CALLOC(self->nslots, sizeof(s_slot_t));
    if (!self->slots) {
        free(self);
        return NULL;
    }
    return self;
}

void tlx_gaz_destroy(tlx_gaz_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    tlx_gaz_t *self = *self_p;
    for (size_t i = 0; i < self->nvars; i++) {
        free(self->vars[i].text);
        free(self->vars[i].canonical);
    }
    free(self->vars);
    free(self->slots);
    free(self);
    *self_p = NULL;
}

size_t tlx_gaz_size(const tlx_gaz_t *self)
{
    return self ? self->nvars : 0;
}

static s_slot_t *s_find(const tlx_gaz_t *self, uint64_t key)
{
    size_t mask = self->nslots - 1;
    for (size_t i = key & mask;; i = (i + 1) & mask) {
        s_slot_t *s = &self->slots[i];
        if (s->key == key || s->key == 0)
            return s;
    }
}

static int s_grow(tlx_gaz_t *self)
{
    size_t n = self->nslots * 2;
    s_slot_t *ns = TLX_NER_CALLOC(n, sizeof(s_slot_t));
    if (!ns)
        return TLX_ENOMEM;
    s_slot_t *old = self->slots;
    size_t on = self->nslots;
    self->slots = ns;
    self->nslots = n;
    for (size_t i = 0; i < on; i++)
        if (old[i].key)
            *s_find(self, old[i].key) = old[i];
    free(old);
    return 0;
}

static s_slot_t *s_insert(tlx_gaz_t *self, uint64_t key)
{
    if ((self->used + 1) * 2 > self->nslots && s_grow(self))
        return NULL;
    s_slot_t *s = s_find(self, key);
    if (!s->key) {
        s->key = key;
        s->var = -1;
        self->used++;
    }
    return s;
}

int tlx_gaz_type_from_name(const char *s, size_t len)
{
    static const char *const names[] = {"PER", "LOC", "ORG", "MISC", "NONE"};
    for (int i = 0; i < 5; i++)
        if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
            return i;
    return -1;
}

const char *tlx_gaz_type_name(tlx_ent_type_t t)
{
    static const char *const names[] = {"PER", "LOC", "ORG", "MISC", "NONE"};
    return (unsigned)t < 5 ? names[t] : "MISC";
}

int tlx_gaz_add(tlx_gaz_t *self, tlx_ent_type_t type, const char *canonical, const char *variant)
{
    if (!canonical || !*canonical || !variant || !*variant)
        return TLX_EINVAL;
    tlx_ner_tok_t toks[TLX_GAZ_MAXTOK];
    size_t n = tlx_ner_tok_split(variant, strlen(variant), toks, TLX_GAZ_MAXTOK);
    if (n == 0 || n > TLX_GAZ_MAXTOK)
        return TLX_EINVAL;
    int exact = 1, letters = 0;
    for (const char *p = variant; *p; p++) {
        if (*p >= 'a' && *p <= 'z')
            exact = 0;
        if ((*p >= 'A' && *p <= 'Z'))
            letters++;
    }
    if (!letters)
        exact = 0;
    if (self->nvars == self->capvars) {
        size_t nc = self->capvars ? self->capvars * 2 : 256;
        s_var_t *nv = TLX_NER_REALLOC(self->vars, nc * sizeof(*nv));
        if (!nv)
            return TLX_ENOMEM;
        self->vars = nv;
        self->capvars = nc;
    }
    s_var_t *v = &self->vars[self->nvars];
    v->text = strdup(variant);
    v->canonical = strdup(canonical);
    if (!v->text || !v->canonical) {
        free(v->text);
        free(v->canonical);
        return TLX_ENOMEM;
    }
    v->type = type;
    v->ntok = (uint8_t)n;
    v->exact = (uint8_t)exact;
    uint64_t h = 0;
    for (size_t i = 0; i < n; i++) {
        h = s_tokhash(h, toks[i].s, toks[i].len);
        s_slot_t *s = s_insert(self, h);
        if (!s) {
            free(v->text);
            free(v->canonical);
            return TLX_ENOMEM;
        }
        if (i + 1 < n)
            s->is_prefix = 1;
        else
            s->var = (int32_t)self->nvars;
    }
    self->nvars++;
    return 0;
}

int tlx_gaz_load_file(tlx_gaz_t *self, const char *path, size_t *bad)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return TLX_EIO;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = 0;
        if (n == 0 || line[0] == '#')
            continue;
        char *t1 = strchr(line, '\t');
        char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        int type = t1 ? tlx_gaz_type_from_name(line, (size_t)(t1 - line)) : -1;
        if (type < 0) {
            if (bad)
                (*bad)++;
            continue;
        }
        *t1 = 0;
        char *canon = t1 + 1;
        if (t2)
            *t2 = 0;
        rc = tlx_gaz_add(self, (tlx_ent_type_t)type, canon, canon);
        if (rc == TLX_ENOMEM)
            break;
        if (rc && bad)
            (*bad)++;
        rc = 0;
        for (char *v = t2 ? t2 + 1 : NULL; v && *v;) {
            char *bar = strchr(v, '|');
            if (bar)
                *bar = 0;
            while (*v == ' ')
                v++;
            char *e = v + strlen(v);
            while (e > v && e[-1] == ' ')
                *--e = 0;
            if (*v) {
                rc = tlx_gaz_add(self, (tlx_ent_type_t)type, canon, v);
                if (rc == TLX_ENOMEM)
                    goto done;
                rc = 0;
            }
            v = bar ? bar + 1 : NULL;
        }
    }
done:
    free(line);
    fclose(f);
    return rc;
}

static int s_cmpstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int tlx_gaz_load_dir(tlx_gaz_t *self, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return TLX_EIO;
    char *names[256];
    size_t nn = 0;
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d)) && nn < 256) {
        size_t l = strlen(de->d_name);
        if (l > 4 && strcmp(de->d_name + l - 4, ".tsv") == 0) {
            names[nn] = strdup(de->d_name);
            if (!names[nn]) {
                rc = TLX_ENOMEM;
                break;
            }
            nn++;
        }
    }
    closedir(d);
    qsort(names, nn, sizeof *names, s_cmpstr);
    for (size_t i = 0; i < nn; i++) {
        if (rc == 0) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            int r = tlx_gaz_load_file(self, path, NULL);
            if (r == TLX_ENOMEM)
                rc = r;
        }
        free(names[i]);
    }
    return rc;
}

static int s_startcap(const tlx_ner_tok_t *t)
{
    unsigned char c = (unsigned char)t->s[0];
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* Exact-case comparison of toks with the variant's tokens. */
static int s_exact(const s_var_t *v, const tlx_ner_tok_t *toks, size_t n)
{
    tlx_ner_tok_t vt[TLX_GAZ_MAXTOK];
    size_t vn = tlx_ner_tok_split(v->text, strlen(v->text), vt, TLX_GAZ_MAXTOK);
    if (vn != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (vt[i].len != toks[i].len || memcmp(vt[i].s, toks[i].s, vt[i].len) != 0)
            return 0;
    return 1;
}

/* Longest variant starting at toks[0]; returns its token count or 0. */
static size_t s_longest(const tlx_gaz_t *self, const tlx_ner_tok_t *toks, size_t n, const s_var_t **hit)
{
    if (n == 0 || !s_startcap(&toks[0]))
        return 0;
    uint64_t h = 0;
    size_t best = 0;
    for (size_t j = 0; j < n && j < TLX_GAZ_MAXTOK; j++) {
        h = s_tokhash(h, toks[j].s, toks[j].len);
        const s_slot_t *s = s_find(self, h);
        if (!s->key)
            break;
        if (s->var >= 0) {
            const s_var_t *v = &self->vars[s->var];
            if (v->ntok == j + 1 && (!v->exact || s_exact(v, toks, j + 1))) {
                best = j + 1;
                *hit = v;
            }
        }
        if (!s->is_prefix)
            break;
    }
    return best;
}

size_t tlx_gaz_match(const tlx_gaz_t *self, const tlx_ner_tok_t *toks, size_t n, tlx_gaz_match_t *out,
                     size_t cap)
{
    size_t from = 0;
    return tlx_gaz_match_from(self, toks, n, &from, out, cap);
}

size_t tlx_gaz_match_from(const tlx_gaz_t *self, const tlx_ner_tok_t *toks, size_t n, size_t *from,
                          tlx_gaz_match_t *out, size_t cap)
{
    size_t nm = 0, i = *from;
    if (!self || self->nvars == 0)
        return 0;
    for (; i < n && nm < cap;) {
        const s_var_t *v = NULL;
        size_t l = s_longest(self, toks + i, n - i, &v);
        if (l) {
            out[nm].start = (uint32_t)i;
            out[nm].end = (uint32_t)(i + l);
            out[nm].type = v->type;
            out[nm].canonical = v->canonical;
            nm++;
            i += l;
        } else
            i++;
    }
    *from = i;
    return nm;
}

int tlx_gaz_lookup(const tlx_gaz_t *self, const tlx_ner_tok_t *toks, size_t n, tlx_ent_type_t *type,
                   const char **canonical)
{
    const s_var_t *v = NULL;
    if (!self || self->nvars == 0)
        return 0;
    if (s_longest(self, toks, n, &v) != n || n == 0)
        return 0;
    *type = v->type;
    *canonical = v->canonical;
    return 1;
}
