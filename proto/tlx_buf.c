/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_buf.c -- growable byte buffer (see tlx_buf.h). */
#include "tlx_buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlx_error.h"

int tlx_buf_reserve(tlx_buf_t *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1)
        return TLX_ENOMEM;
    size_t need = b->len + extra + 1; /* always room for a NUL */
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return TLX_ENOMEM;
    b->data = p;
    b->cap = cap;
    return 0;
}

int tlx_buf_append(tlx_buf_t *b, const void *p, size_t n)
{
    if (tlx_buf_reserve(b, n))
        return TLX_ENOMEM;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int tlx_buf_putc(tlx_buf_t *b, char c)
{
    return tlx_buf_append(b, &c, 1);
}

int tlx_buf_printf(tlx_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || tlx_buf_reserve(b, (size_t)n))
        return TLX_ENOMEM;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return 0;
}

void tlx_buf_free(tlx_buf_t *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void *tlx_buf_grow(void *v, size_t n, size_t *cap, size_t size, size_t min)
{
    if (n < *cap)
        return v;
    size_t nc = *cap ? *cap * 2 : (min ? min : 1);
    if (nc < min)
        nc = min;
    if (*cap > SIZE_MAX / 2 || (size && nc > SIZE_MAX / size))
        return NULL;
    void *nv = realloc(v, nc * size);
    if (nv)
        *cap = nc;
    return nv;
}
