/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_dfsnap.c -- document-frequency snapshots (see tlx_dfsnap.h).
    Open addressing over 64-bit FNV-1a hashes of the terms (strings are
    not kept: a collision merely mixes two terms' counts). */
#include "tlx_dfsnap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlx_hash.h"

typedef struct {
    uint64_t h;
    uint32_t count;
} slot_t;

struct tlx_dfsnap {
    tlx_ref_t ref; /* published in a tlx_slot_t */
    uint64_t ndocs;
    size_t cap, n;      /* cap: power of two */
    size_t max_terms;   /* bound on n (tlx_dfsnap_build_max) */
    uint32_t min_count; /* terms counted fewer times are left out */
    slot_t *tab;
    tlx_keywords_df_t view;
};

static void s_free(tlx_ref_t *ref)
{
    tlx_dfsnap_t *s = TLX_REF_CONTAINER(ref, tlx_dfsnap_t, ref);
    free(s->tab);
    free(s);
}

static uint64_t s_hash(const char *s, size_t len)
{
    uint64_t h = tlx_fnv1a(TLX_FNV1A_OFFSET, s, len);
    return h ? h : 1; /* 0 marks an empty slot */
}

static uint64_t s_lookup(void *ctx, const char *term, size_t len)
{
    const tlx_dfsnap_t *s = ctx;
    uint64_t h = s_hash(term, len);
    for (size_t i = h & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
        if (s->tab[i].h == h)
            return s->tab[i].count;
        if (s->tab[i].h == 0)
            return 0;
    }
}

static int s_insert(tlx_dfsnap_t *s, uint64_t h, uint32_t count)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4096;
        slot_t *t = calloc(cap, sizeof *t);
        if (!t)
            return TLX_ENOMEM;
        for (size_t i = 0; i < s->cap; i++)
            if (s->tab[i].h)
                for (size_t j = s->tab[i].h & (cap - 1);; j = (j + 1) & (cap - 1))
                    if (!t[j].h) {
                        t[j] = s->tab[i];
                        break;
                    }
        free(s->tab);
        s->tab = t;
        s->cap = cap;
    }
    for (size_t i = h & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
        if (s->tab[i].h == h) {
            s->tab[i].count += count;
            return 0;
        }
        if (!s->tab[i].h) {
            s->tab[i] = (slot_t){h, count};
            s->n++;
            return 0;
        }
    }
}

/* Keeps the terms counted at least min_count times (same table size). */
static int s_purge(tlx_dfsnap_t *s)
{
    slot_t *t = calloc(s->cap, sizeof *t);
    if (!t)
        return TLX_ENOMEM;
    s->n = 0;
    for (size_t i = 0; i < s->cap; i++)
        if (s->tab[i].h && s->tab[i].count >= s->min_count) {
            for (size_t j = s->tab[i].h & (s->cap - 1);; j = (j + 1) & (s->cap - 1))
                if (!t[j].h) {
                    t[j] = s->tab[i];
                    break;
                }
            s->n++;
        }
    free(s->tab);
    s->tab = t;
    return 0;
}

static int s_scan_cb(void *ctx, const char *term, size_t len, uint32_t count)
{
    tlx_dfsnap_t *s = ctx;
    if (len == 0) {
        s->ndocs = count;
        return 0;
    }
    /* full: raise the bar (before inserting, so the table never grows past
       what max_terms needs) until the rarer terms are gone */
    while (s->n >= s->max_terms && count >= s->min_count && s->min_count < UINT32_MAX / 2) {
        s->min_count *= 2;
        if (s_purge(s))
            return 1;
    }
    if (count < s->min_count || s->n >= s->max_terms)
        return 0;
    return s_insert(s, s_hash(term, len), count) ? 1 : 0;
}

tlx_dfsnap_t *tlx_dfsnap_build(tlx_store_t *st)
{
    return tlx_dfsnap_build_max(st, TLX_DFSNAP_MAX_TERMS);
}

tlx_dfsnap_t *tlx_dfsnap_build_max(tlx_store_t *st, size_t max_terms)
{
    tlx_dfsnap_t *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    tlx_ref_init(&s->ref, s_free);
    s->max_terms = max_terms ? max_terms : 1;
    s->min_count = 1;
    s->cap = 4096;
    s->tab = calloc(s->cap, sizeof *s->tab);
    if (!s->tab || tlx_store_df_scan(st, s_scan_cb, s) != 0 || s->ndocs == 0) {
        free(s->tab);
        free(s);
        return NULL;
    }
    s->view = (tlx_keywords_df_t){.ndocs = s->ndocs, .df = s_lookup, .ctx = s};
    return s;
}

size_t tlx_dfsnap_terms(const tlx_dfsnap_t *s)
{
    return s ? s->n : 0;
}

uint32_t tlx_dfsnap_min_count(const tlx_dfsnap_t *s)
{
    return s ? s->min_count : 0;
}

uint64_t tlx_dfsnap_ndocs(const tlx_dfsnap_t *s)
{
    return s ? s->ndocs : 0;
}

const tlx_keywords_df_t *tlx_dfsnap_df(const tlx_dfsnap_t *s)
{
    return s ? &s->view : NULL;
}

void tlx_dfsnap_release(tlx_dfsnap_t *s)
{
    tlx_ref_release(s ? &s->ref : NULL);
}

void tlx_dfsnap_slot_init(tlx_dfsnap_slot_t *slot)
{
    tlx_slot_init(slot);
}

void tlx_dfsnap_slot_fini(tlx_dfsnap_slot_t *slot)
{
    tlx_slot_fini(slot);
}

tlx_dfsnap_t *tlx_dfsnap_acquire(tlx_dfsnap_slot_t *slot)
{
    tlx_ref_t *ref = tlx_slot_acquire(slot);
    return TLX_REF_CONTAINER(ref, tlx_dfsnap_t, ref);
}

void tlx_dfsnap_publish(tlx_dfsnap_slot_t *slot, tlx_dfsnap_t *s)
{
    tlx_slot_publish(slot, s ? &s->ref : NULL);
}
