/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_arena.c -- bump allocator (see tlx_arena.h).

    A singly linked list of blocks; each allocation bumps an offset.  Reset
    keeps only the largest block so a worker thread settles at one malloc'd
    block sized for its biggest article -- up to S_KEEP_MAX: one 8 MB article
    takes ~60-100 MB of arena, and keeping that per thread for good would
    make every enrich thread as large as the largest article it ever saw.  Rejected: a free-list allocator
    (records die all at once, so per-object frees buy nothing).
*/
#include "tlx_arena.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Under ASan, free space and a 16-byte gap after each allocation are
   poisoned, so an overrun into the next allocation of the same block is
   reported instead of silently corrupting it. */
#if defined(__SANITIZE_ADDRESS__)
#define TLX_ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TLX_ARENA_ASAN 1
#endif
#endif
#ifdef TLX_ARENA_ASAN
#include <sanitizer/asan_interface.h>
#define S_REDZONE 16
#define S_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define S_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define S_REDZONE 0
#define S_POISON(p, n) ((void)(p), (void)(n))
#define S_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define S_KEEP_MAX ((size_t)4 << 20) /* a larger block is freed at reset */

typedef struct block {
    struct block *next;
    size_t size; /* usable bytes in data[] */
    size_t used;
    _Alignas(16) unsigned char data[];
} block_t;

struct tlx_arena {
    block_t *head; /* current block; older blocks follow */
    size_t hint;
    size_t total_used;
};

static block_t *s_block_new(size_t size)
{
    block_t *b = malloc(sizeof(block_t) + size);
    if (!b)
        return NULL;
    b->next = NULL;
    b->size = size;
    b->used = 0;
    S_POISON(b->data, size);
    return b;
}

tlx_arena_t *tlx_arena_new(size_t hint)
{
    tlx_arena_t *self = calloc(1, sizeof(*self));
    if (!self)
        return NULL;
    self->hint = hint < 4096 ? 4096 : hint;
    return self;
}

void tlx_arena_destroy(tlx_arena_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    tlx_arena_t *self = *self_p;
    block_t *b = self->head;
    while (b) {
        block_t *next = b->next;
        free(b);
        b = next;
    }
    free(self);
    *self_p = NULL;
}

void tlx_arena_reset(tlx_arena_t *self)
{
    block_t *keep = NULL;
    for (block_t *b = self->head; b; b = b->next)
        if (b->size <= S_KEEP_MAX && (!keep || b->size > keep->size))
            keep = b;
    block_t *b = self->head;
    while (b) {
        block_t *next = b->next;
        if (b != keep)
            free(b);
        b = next;
    }
    if (keep) {
        keep->next = NULL;
        keep->used = 0;
        S_POISON(keep->data, keep->size);
    }
    self->head = keep;
    self->total_used = 0;
}

void *tlx_arena_alloc(tlx_arena_t *self, size_t size)
{
    assert(self);
    if (size > SIZE_MAX / 2)
        return NULL;
    size_t need = (size + S_REDZONE + 15) & ~(size_t)15;
    if (need == 0)
        need = 16;
    block_t *b = self->head;
    if (!b || b->size - b->used < need) {
        size_t bsize = self->hint;
        if (b && b->size * 2 > bsize)
            bsize = b->size * 2;
        if (bsize < need)
            bsize = need;
        block_t *nb = s_block_new(bsize);
        if (!nb)
            return NULL;
        nb->next = b;
        self->head = nb;
        b = nb;
    }
    assert(b->size - b->used >= need);
    void *p = b->data + b->used;
    S_UNPOISON(p, size);
    b->used += need;
    self->total_used += need;
    return p;
}

void *tlx_arena_calloc(tlx_arena_t *self, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    void *p = tlx_arena_alloc(self, n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

char *tlx_arena_strndup(tlx_arena_t *self, const char *s, size_t len)
{
    char *p = tlx_arena_alloc(self, len + 1);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void *tlx_arena_memdup(tlx_arena_t *self, const void *p, size_t size)
{
    if (size == 0)
        return NULL;
    void *q = tlx_arena_alloc(self, size);
    if (q)
        memcpy(q, p, size);
    return q;
}

void *tlx_arena_grow(tlx_arena_t *self, void *v, uint32_t n, uint32_t *cap, size_t size, uint32_t min)
{
    assert(n <= *cap && (v || !n)); /* the caller's count never passes its capacity */
    if (n < *cap)
        return v;
    if (*cap > UINT32_MAX / 2)
        return NULL;
    uint32_t nc = *cap ? *cap * 2 : (min ? min : 1);
    if (nc < min)
        nc = min;
    if (size && nc > SIZE_MAX / size)
        return NULL;
    void *nv = tlx_arena_alloc(self, (size_t)nc * size);
    if (!nv)
        return NULL;
    if (n)
        memcpy(nv, v, (size_t)n * size);
    *cap = nc;
    return nv;
}

size_t tlx_arena_used(const tlx_arena_t *self)
{
    return self->total_used;
}

size_t tlx_arena_reserved(const tlx_arena_t *self)
{
    size_t n = 0;
    for (const block_t *b = self->head; b; b = b->next)
        n += b->size;
    return n;
}
