/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_buf.h -- a growable byte buffer (output of the JSON writer and the
    packers).  Caller owns; release with tlx_buf_free().  Growth doubles, so
    appends are amortized O(1).  Functions return 0 or TLX_ENOMEM; after a
    failure the buffer keeps its previous contents. */
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

#ifdef __cplusplus
}
#endif
#endif
