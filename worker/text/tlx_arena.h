/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_arena.h -- bump allocator for one article's record.

    Everything the text pipeline produces for one article (clean body,
    title, entity arrays, ...) is allocated from one arena and released at
    once with tlx_arena_reset() or tlx_arena_destroy().  That keeps the
    pipeline free of per-field free() calls and makes a failed stage
    harmless: the caller just resets the arena.

    Allocation failure returns NULL; callers propagate TLX_ENOMEM.
    Not thread-safe: one arena per thread.
*/
#ifndef TLX_ARENA_H
#define TLX_ARENA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tlx_arena tlx_arena_t;

/*  Creates an arena whose first block holds at least `hint` bytes.
    Caller owns; free with tlx_arena_destroy(). NULL on ENOMEM. */
tlx_arena_t *tlx_arena_new(size_t hint);

/*  Frees the arena and everything allocated from it; nulls *self_p. Safe twice. */
void tlx_arena_destroy(tlx_arena_t **self_p);

/*  Releases every allocation but keeps the largest block of at most 4 MiB
    for reuse (larger ones are freed: one huge article must not stay). */
void tlx_arena_reset(tlx_arena_t *self);

/*  Returns `size` bytes aligned to 16, or NULL on ENOMEM.  Borrowed; valid
    until the next reset/destroy. */
void *tlx_arena_alloc(tlx_arena_t *self, size_t size);

/*  Like tlx_arena_alloc() but zero-filled. */
void *tlx_arena_calloc(tlx_arena_t *self, size_t n, size_t size);

/*  Copies `len` bytes of `s` and appends a NUL.  NULL on ENOMEM. */
char *tlx_arena_strndup(tlx_arena_t *self, const char *s, size_t len);

/*  Copies `size` bytes of `p`.  NULL on ENOMEM (or when size is 0). */
void *tlx_arena_memdup(tlx_arena_t *self, const void *p, size_t size);

/*  Room for one more element in an arena-owned growable array `v` of `n`
    elements of `size` bytes and capacity *cap.  Returns v itself while
    n < *cap; else a new block of twice the capacity (at least `min`
    elements) holding the n old ones, and updates *cap (the old block stays
    in the arena until the reset).  NULL on ENOMEM, *cap unchanged: the
    caller returns TLX_ENOMEM and still owns the old array. */
void *tlx_arena_grow(tlx_arena_t *self, void *v, uint32_t n, uint32_t *cap, size_t size, uint32_t min);

/*  Bytes currently handed out (for tests and memory figures). */
size_t tlx_arena_used(const tlx_arena_t *self);

/*  Bytes held in blocks, handed out or not. */
size_t tlx_arena_reserved(const tlx_arena_t *self);

#ifdef __cplusplus
}
#endif
#endif
