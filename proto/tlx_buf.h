/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_buf.h -- a growable byte buffer (output of the JSON writer and the
    packers), and the growth step of malloc'd arrays (tlx_buf_grow).
    Caller owns; release with tlx_buf_free().  Growth doubles, so appends
    are amortized O(1).  Functions return 0 or TLX_ENOMEM; after a failure
    the buffer keeps its previous contents.  Arrays that live in an arena
    grow with tlx_arena_grow (worker/text/tlx_arena.h) instead. */
#ifndef TLX_BUF_H
#define TLX_BUF_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    char *data;
    size_t len, cap;
} tlx_buf_t;

#define TLX_BUF_INIT                                                                                         \
    {                                                                                                        \
        NULL, 0, 0                                                                                           \
    }

int tlx_buf_reserve(tlx_buf_t *b, size_t extra);
int tlx_buf_append(tlx_buf_t *b, const void *p, size_t n);
int tlx_buf_putc(tlx_buf_t *b, char c);
int tlx_buf_printf(tlx_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tlx_buf_free(tlx_buf_t *b);

/*  Room for one more element in a malloc'd array `v` of `n` elements of
    `size` bytes and capacity *cap: returns v while n < *cap, else v
    reallocated to twice the capacity (at least `min` elements) and *cap
    updated.  NULL on ENOMEM or overflow, with v and *cap unchanged (the
    caller still owns v and returns TLX_ENOMEM). */
void *tlx_buf_grow(void *v, size_t n, size_t *cap, size_t size, size_t min);

#ifdef __cplusplus
}
#endif
#endif
