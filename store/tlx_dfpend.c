/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_dfpend.c -- pending document-frequency increments (see the header).

    An open-addressing table (linear probing, power-of-two size, kept at
    most half full) of slots pointing into one byte pool of term text.  The
    table only grows during a batch; `each` sorts an index of the used slots
    once.  Rejected: a sorted array with binary-search insertion (quadratic
    moves for a few thousand terms per article) and a tree (an allocation
    per term). */
#include "tlx_dfpend.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "tlx_error.h"
#include "tlx_hash.h"

typedef struct {
    uint32_t hash; /* 0 = empty slot */
    uint32_t off;  /* term bytes in the pool */
    uint32_t len;
    uint32_t n;
} slot_t;

struct tlx_dfpend {
    slot_t *slots;
    size_t cap, used; /* cap a power of two */
    char *pool;
    size_t pool_len, pool_cap;
    uint32_t *order; /* the used slots in byte order, for `each` */
    bool sorted;     /* order is current (no add or clear since it was built) */
};

#define CAP0 1024
/* Past a batch this large the memory goes back at clear (a group of 64
   articles at 2,000 terms each stays well below). */
#define KEEP_CAP (1u << 18)

static uint32_t s_hash(const char *p, size_t len)
{
    uint32_t h = tlx_fnv1a32(TLX_FNV1A32_OFFSET, p, len);
    return h ? h : 1;
}

tlx_dfpend_t *tlx_dfpend_new(void)
{
    tlx_dfpend_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    self->slots = calloc(CAP0, sizeof *self->slots);
    if (!self->slots) {
        free(self);
        return NULL;
    }
    self->cap = CAP0;
    return self;
}

void tlx_dfpend_destroy(tlx_dfpend_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    tlx_dfpend_t *self = *self_p;
    free(self->slots);
    free(self->pool);
    free(self->order);
    free(self);
    *self_p = NULL;
}

static slot_t *s_find(slot_t *slots, size_t cap, const char *pool, uint32_t h, const char *term, size_t len)
{
    for (size_t i = h & (cap - 1);; i = (i + 1) & (cap - 1)) {
        slot_t *s = &slots[i];
        if (s->hash == 0 || (s->hash == h && s->len == len && memcmp(pool + s->off, term, len) == 0))
            return s;
    }
}

static int s_grow(tlx_dfpend_t *self)
{
    size_t cap = self->cap * 2;
    slot_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return TLX_ENOMEM;
    for (size_t i = 0; i < self->cap; i++) {
        slot_t *o = &self->slots[i];
        if (!o->hash)
            continue;
        size_t j = o->hash & (cap - 1);
        while (slots[j].hash) /* keys are distinct: the first empty slot */
            j = (j + 1) & (cap - 1);
        slots[j] = *o;
    }
    free(self->slots);
    self->slots = slots;
    self->cap = cap;
    self->sorted = false;
    return 0;
}

int tlx_dfpend_add(tlx_dfpend_t *self, const char *term, size_t len, uint32_t n)
{
    if (len > 255)
        return TLX_EINVAL;
    if ((self->used + 1) * 2 > self->cap && s_grow(self))
        return TLX_ENOMEM;
    uint32_t h = s_hash(term, len);
    slot_t *s = s_find(self->slots, self->cap, self->pool, h, term, len);
    if (s->hash) {
        s->n += n;
        return 0;
    }
    self->sorted = false;
    if (!self->pool || self->pool_len + len > self->pool_cap) { /* never NULL: terms may be empty */
        size_t c = self->pool_cap ? self->pool_cap * 2 : 16384;
        while (c < self->pool_len + len)
            c *= 2;
        char *p = realloc(self->pool, c);
        if (!p)
            return TLX_ENOMEM;
        self->pool = p;
        self->pool_cap = c;
    }
    memcpy(self->pool + self->pool_len, term, len);
    *s = (slot_t){h, (uint32_t)self->pool_len, (uint32_t)len, n};
    self->pool_len += len;
    self->used++;
    return 0;
}

size_t tlx_dfpend_size(const tlx_dfpend_t *self)
{
    return self->used;
}

static int s_cmp(const void *a, const void *b, void *ctx)
{
    const tlx_dfpend_t *t = ctx;
    const slot_t *x = &t->slots[*(const uint32_t *)a], *y = &t->slots[*(const uint32_t *)b];
    size_t m = x->len < y->len ? x->len : y->len;
    int c = memcmp(t->pool + x->off, t->pool + y->off, m);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* The used slots in byte order, built once per unchanged table. */
static int s_sort(tlx_dfpend_t *self)
{
    if (self->sorted)
        return 0;
    uint32_t *order = realloc(self->order, self->used * sizeof *order);
    if (!order)
        return TLX_ENOMEM;
    self->order = order;
    size_t k = 0;
    for (size_t i = 0; i < self->cap; i++)
        if (self->slots[i].hash)
            order[k++] = (uint32_t)i;
    qsort_r(order, k, sizeof *order, s_cmp, self);
    self->sorted = true;
    return 0;
}

int tlx_dfpend_each_range(tlx_dfpend_t *self, size_t from, size_t max,
                          int (*fn)(void *ctx, const char *term, size_t len, uint32_t n), void *ctx)
{
    if (from >= self->used)
        return 0;
    int rc = s_sort(self);
    if (rc)
        return rc;
    size_t to = self->used - from < max ? self->used : from + max;
    for (size_t i = from; i < to; i++) {
        const slot_t *s = &self->slots[self->order[i]];
        if ((rc = fn(ctx, self->pool + s->off, s->len, s->n)))
            return rc;
    }
    return 0;
}

int tlx_dfpend_each(tlx_dfpend_t *self, int (*fn)(void *ctx, const char *term, size_t len, uint32_t n),
                    void *ctx)
{
    return tlx_dfpend_each_range(self, 0, SIZE_MAX, fn, ctx);
}

int tlx_dfpend_merge(tlx_dfpend_t *dst, const tlx_dfpend_t *src)
{
    for (size_t i = 0; i < src->cap; i++) {
        const slot_t *s = &src->slots[i];
        int rc = s->hash ? tlx_dfpend_add(dst, src->pool + s->off, s->len, s->n) : 0;
        if (rc)
            return rc;
    }
    return 0;
}

void tlx_dfpend_clear(tlx_dfpend_t *self)
{
    if (self->cap > KEEP_CAP) {
        slot_t *slots = calloc(CAP0, sizeof *slots);
        if (slots) {
            free(self->slots);
            self->slots = slots;
            self->cap = CAP0;
        }
        free(self->pool);
        free(self->order);
        self->pool = NULL;
        self->order = NULL;
        self->pool_cap = 0;
    }
    if (self->used)
        memset(self->slots, 0, self->cap * sizeof *self->slots);
    self->used = 0;
    self->pool_len = 0;
    self->sorted = false;
}
