/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_boiler.c -- line keys and the learned-line snapshot (see
    tlx_boiler.h).

    Keys are FNV-1a over the normalized bytes, finished with the splitmix64
    mixer; normalization happens on the fly (no copy).  The snapshot is an
    open-addressing set of one 64-bit hash per (source, key) pair: neither
    strings nor keys are kept, so a lookup is one probe sequence over a
    flat array, and a false hit needs a 64-bit collision.

    Rejected: matching learned lines as text (a per-source string table is
    larger and slower for the same answer), and fuzzier keys (shingles,
    edit distance): a footer is repeated verbatim by a CMS template; the
    digit class covers the one common variation (years, counts, dates).
*/
#include "tlx_boiler.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlx_error.h"
#include "tlx_hash.h"

/* Not TLX_FNV1A_OFFSET (a digit short of it), but the line keys are
   persisted in the store's `stats`: keep it. */
#define FNV_OFF 1469598103934665603ull

static uint64_t s_mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    x ^= x >> 31;
    return x;
}

static inline uint64_t s_fnv(uint64_t h, unsigned char c)
{
    return tlx_fnv1a_byte(h, c);
}

uint64_t tlx_boiler_key(const char *line, size_t len)
{
    const unsigned char *s = (const unsigned char *)line;
    uint64_t h = FNV_OFF;
    size_t n = 0; /* normalized bytes so far */
    int space = 0, digit = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = s[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            space = n > 0; /* leading spaces vanish; inner runs become one */
            digit = 0;
            continue;
        }
        if (c >= '0' && c <= '9') {
            if (digit)
                continue; /* one class for every run of digits */
            digit = 1;
            c = '0';
        } else {
            digit = 0;
            if (c >= 'A' && c <= 'Z')
                c = (unsigned char)(c + 32);
        }
        if (space) {
            h = s_fnv(h, ' ');
            space = 0;
        }
        h = s_fnv(h, c);
        n++;
    }
    if (n == 0)
        return 0;
    h = s_mix(h ^ n);
    return h ? h : 1;
}

static int s_seen(const uint64_t *v, size_t n, uint64_t k)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == k)
            return 1;
    return 0;
}

/* Adds the key of line [s, s+l) when it is a new candidate. */
static void s_add(const char *s, size_t l, uint64_t *out, size_t *n)
{
    if (l == 0 || l > TLX_BOILER_LINE_MAX)
        return;
    uint64_t k = tlx_boiler_key(s, l);
    if (k && !s_seen(out, *n, k))
        out[(*n)++] = k;
}

size_t tlx_boiler_candidates(const char *text, size_t len, uint64_t *out)
{
    const size_t half = TLX_BOILER_CANDIDATES_MAX / 2;
    size_t n = 0, p = 0;
    /* the top of the article: the first half of the candidates */
    while (p < len && n < half) {
        const char *nl = memchr(text + p, '\n', len - p);
        size_t e = nl ? (size_t)(nl - text) : len;
        s_add(text + p, e - p, out, &n);
        p = e + 1;
    }
    if (p >= len)
        return n;
    /* the bottom, walking up until the cap or the lines already seen */
    size_t end = len;
    while (end > p && n < TLX_BOILER_CANDIDATES_MAX) {
        size_t s = end;
        while (s > p && text[s - 1] != '\n')
            s--;
        s_add(text + s, end - s, out, &n);
        end = s ? s - 1 : 0;
        if (s == p)
            break;
    }
    return n;
}

int tlx_boiler_threshold(uint64_t docs, uint64_t count)
{
    return docs >= TLX_BOILER_MIN_DOCS && count * 100 >= docs * TLX_BOILER_MIN_SHARE_PCT;
}

/* ---- the snapshot ---------------------------------------------------------- */

struct tlx_boiler_learned {
    uint64_t *tab; /* 0 = empty slot */
    size_t cap, n; /* cap: a power of two; n <= cap / 2 */
};

static uint64_t s_source_hash(const char *source, size_t len)
{
    uint64_t h = FNV_OFF;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)source[i];
        h = s_fnv(h, c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c);
    }
    return h;
}

static uint64_t s_pair(uint64_t source_hash, uint64_t key)
{
    uint64_t h = s_mix(source_hash ^ s_mix(key + 0x9e3779b97f4a7c15ull));
    return h ? h : 1;
}

tlx_boiler_learned_t *tlx_boiler_learned_new(void)
{
    tlx_boiler_learned_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->cap = 64;
    if (!(self->tab = calloc(self->cap, sizeof *self->tab))) {
        free(self);
        return NULL;
    }
    return self;
}

void tlx_boiler_learned_destroy(tlx_boiler_learned_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free((*self_p)->tab);
    free(*self_p);
    *self_p = NULL;
}

static void s_put(uint64_t *tab, size_t cap, uint64_t h, size_t *n)
{
    for (size_t i = h & (cap - 1);; i = (i + 1) & (cap - 1)) {
        if (tab[i] == h)
            return;
        if (tab[i] == 0) {
            tab[i] = h;
            if (n)
                (*n)++;
            return;
        }
    }
}

int tlx_boiler_learned_add(tlx_boiler_learned_t *self, const char *source, size_t source_len, uint64_t key)
{
    if (self->n >= TLX_BOILER_LEARNED_MAX)
        return TLX_EFULL;
    if ((self->n + 1) * 2 > self->cap) {
        size_t cap = self->cap * 2;
        uint64_t *t = calloc(cap, sizeof *t);
        if (!t)
            return TLX_ENOMEM;
        for (size_t i = 0; i < self->cap; i++)
            if (self->tab[i])
                s_put(t, cap, self->tab[i], NULL);
        free(self->tab);
        self->tab = t;
        self->cap = cap;
    }
    s_put(self->tab, self->cap, s_pair(s_source_hash(source, source_len), key), &self->n);
    return 0;
}

size_t tlx_boiler_learned_count(const tlx_boiler_learned_t *self)
{
    return self ? self->n : 0;
}

int tlx_boiler_learned_has(const tlx_boiler_learned_t *self, const char *source, uint64_t key)
{
    if (!self || !source || !key || self->n == 0)
        return 0;
    uint64_t h = s_pair(s_source_hash(source, strlen(source)), key);
    for (size_t i = h & (self->cap - 1);; i = (i + 1) & (self->cap - 1)) {
        if (self->tab[i] == h)
            return 1;
        if (self->tab[i] == 0)
            return 0;
    }
}

/* ---- operator rules ------------------------------------------------------------ */

static void s_load_file(tlx_boiler_rules_t *r, const char *path, const char *source, size_t *cap)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[512];
    while (fgets(line, sizeof line, f)) {
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' || *p == '\n' || !*p)
            continue;
        p[strcspn(p, "\r\n")] = '\0';
        tlx_boiler_rule_kind_t k;
        if (strncmp(p, "exact ", 6) == 0)
            k = TLX_BOILER_EXACT, p += 6;
        else if (strncmp(p, "prefix ", 7) == 0)
            k = TLX_BOILER_PREFIX, p += 7;
        else if (strncmp(p, "contains ", 9) == 0)
            k = TLX_BOILER_CONTAINS, p += 9;
        else
            continue;
        if (r->n == *cap) {
            size_t c = *cap ? *cap * 2 : 32;
            tlx_boiler_rule_t *nv = realloc(r->v, c * sizeof *nv);
            if (!nv)
                break;
            r->v = nv;
            *cap = c;
        }
        tlx_boiler_rule_t *ru = &r->v[r->n++];
        snprintf(ru->source, sizeof ru->source, "%s", source);
        ru->kind = k;
        snprintf(ru->text, sizeof ru->text, "%s", p);
    }
    fclose(f);
}

tlx_boiler_rules_t *tlx_boiler_rules_load(const char *dir)
{
    tlx_boiler_rules_t *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    size_t cap = 0;
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 7 || strcmp(e->d_name + l - 6, ".rules") != 0 || l - 6 >= 64)
            continue;
        char source[64], path[4200];
        snprintf(source, sizeof source, "%.*s", (int)(l - 6), e->d_name);
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        s_load_file(r, path, strcmp(source, "generic") == 0 ? "" : source, &cap);
    }
    if (d)
        closedir(d);
    return r;
}

tlx_boiler_rules_t *tlx_boiler_rules_load_file(const char *path, const char *source, int *nrules)
{
    tlx_boiler_rules_t *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    size_t cap = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        *nrules = -1;
        return r;
    }
    fclose(f);
    s_load_file(r, path, source ? source : "", &cap);
    *nrules = (int)r->n;
    return r;
}

void tlx_boiler_rules_destroy(tlx_boiler_rules_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    free((*self_p)->v);
    free(*self_p);
    *self_p = NULL;
}
