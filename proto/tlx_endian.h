/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_endian.h -- fixed-width integers in byte buffers, both orders.
    Big-endian for LMDB keys (so byte order is numeric order), little-endian
    for the enrich protocol and inbox headers (PROTOCOL.md, SCHEMA.md). */
#ifndef TLX_ENDIAN_H
#define TLX_ENDIAN_H

#include <stdint.h>

static inline void tlx_put_le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++, v >>= 8)
        p[i] = (uint8_t)v;
}

static inline uint64_t tlx_get_le(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static inline void tlx_put_be(uint8_t *p, uint64_t v, int n)
{
    for (int i = n - 1; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

static inline uint64_t tlx_get_be(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

#endif
