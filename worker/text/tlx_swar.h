/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_swar.h -- eight bytes at a time in a uint64_t ("SIMD within a
    register") for the text stages' byte scans.

    Header only: a handful of static inline helpers, no state.  Words are
    loaded little-endian whatever the machine's byte order, so "the byte
    after byte k" is always 8 bits up.  Rejected: SSE/NEON intrinsics (one
    code path per architecture for scans that SWAR already makes cheap
    next to the rest of the pipeline).  The one exception is not a scan:
    tlx_simhash.c counts 64 bit positions per feature in SSE2 registers,
    with a portable path beside it.
*/
#ifndef TLX_SWAR_H
#define TLX_SWAR_H

#include <stddef.h>
#include <stdint.h>

/* The 256 entries of a byte table whose entry for byte c is F(c), as a
   static initializer computed by the compiler:
       #define S_CLASS(c) ((c) >= '0' && (c) <= '9' ? 1 : 0)
       static const uint8_t s_class[256] = {TLX_BYTE_TABLE(S_CLASS)};
   F must parenthesize its argument (it is an expression such as
   ((64) + 16) + 3). */
#define TLX__BYTES4(F, c) F(c), F((c) + 1), F((c) + 2), F((c) + 3)
#define TLX__BYTES16(F, c)                                                                                   \
    TLX__BYTES4(F, c), TLX__BYTES4(F, (c) + 4), TLX__BYTES4(F, (c) + 8), TLX__BYTES4(F, (c) + 12)
#define TLX__BYTES64(F, c)                                                                                   \
    TLX__BYTES16(F, c), TLX__BYTES16(F, (c) + 16), TLX__BYTES16(F, (c) + 32), TLX__BYTES16(F, (c) + 48)
#define TLX_BYTE_TABLE(F) TLX__BYTES64(F, 0), TLX__BYTES64(F, 64), TLX__BYTES64(F, 128), TLX__BYTES64(F, 192)

#define TLX_SWAR_ONES ((uint64_t)0x0101010101010101ull)
#define TLX_SWAR_HIGH (TLX_SWAR_ONES * 0x80)

/* p[0..8) with p[0] in the low bits.  Compilers turn this into one load. */
static inline uint64_t tlx_swar_load(const void *p)
{
    const unsigned char *u = (const unsigned char *)p;
    return (uint64_t)u[0] | (uint64_t)u[1] << 8 | (uint64_t)u[2] << 16 | (uint64_t)u[3] << 24 |
           (uint64_t)u[4] << 32 | (uint64_t)u[5] << 40 | (uint64_t)u[6] << 48 | (uint64_t)u[7] << 56;
}

/* p[0..n) (n <= 8) in the low bytes, the others zero; reads only p[0..n). */
static inline uint64_t tlx_swar_load_n(const void *p, size_t n)
{
    const unsigned char *u = (const unsigned char *)p;
    if (n >= 8)
        return tlx_swar_load(u);
    if (n >= 4) {
        uint64_t x = (uint64_t)u[0] | (uint64_t)u[1] << 8 | (uint64_t)u[2] << 16 | (uint64_t)u[3] << 24;
        const unsigned char *v = u + n - 4;
        uint64_t y = (uint64_t)v[0] | (uint64_t)v[1] << 8 | (uint64_t)v[2] << 16 | (uint64_t)v[3] << 24;
        return x | y << (8 * (n - 4));
    }
    if (n == 0)
        return 0;
    return (uint64_t)u[0] | (uint64_t)u[n / 2] << (8 * (n / 2)) | (uint64_t)u[n - 1] << (8 * (n - 1));
}

/* A hash of s[0..n) from the seed h, eight bytes at a time (the last 0..7
   zero-padded), for in-memory tables of whole strings (the NER word cache,
   a page's repeated lines); never persisted.  Strings of one length that
   differ in a byte hash differently before the last multiply (every step is
   a bijection); the caller puts the length in the seed. */
static inline uint64_t tlx_swar_hash(uint64_t h, const char *s, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        h = (h ^ tlx_swar_load(s + i)) * 0xff51afd7ed558ccdull;
        h ^= h >> 29;
    }
    return (h ^ tlx_swar_load_n(s + i, n - i)) * 0xc4ceb9fe1a85ec53ull;
}

/* The high bit of each byte of x that is below c (1 <= c <= 0x80); bytes
   0x80 and up are never below. */
static inline uint64_t tlx_swar_lt(uint64_t x, unsigned char c)
{
    return ~(((x & ~TLX_SWAR_HIGH) + TLX_SWAR_ONES * (unsigned char)(0x80 - c)) | x) & TLX_SWAR_HIGH;
}

/* The high bit of each byte of x in lo..hi (ASCII: hi < 0x80). */
static inline uint64_t tlx_swar_in(uint64_t x, unsigned char lo, unsigned char hi)
{
    return tlx_swar_lt(x, (unsigned char)(hi + 1)) & ~tlx_swar_lt(x, lo);
}

/* The high bit of each byte of x that is zero, exactly (no false positive
   from a borrow, unlike the classic (x - ONES) & ~x & HIGH). */
static inline uint64_t tlx_swar_zero(uint64_t x)
{
    return ~(((x & ~TLX_SWAR_HIGH) + ~TLX_SWAR_HIGH) | x | ~TLX_SWAR_HIGH);
}

/* The high bit of each byte of x equal to c. */
static inline uint64_t tlx_swar_eq(uint64_t x, unsigned char c)
{
    return tlx_swar_zero(x ^ (TLX_SWAR_ONES * c));
}

/* How many bytes have their high bit set in m (m holds only high bits). */
static inline unsigned tlx_swar_count(uint64_t m)
{
    return (unsigned)(((m >> 7) * TLX_SWAR_ONES) >> 56);
}

/* Index of the first byte at or after i in s[0..len) that is not an ASCII
   letter (len when there is none): one test per eight bytes. */
static inline size_t tlx_swar_letters_end(const char *s, size_t i, size_t len)
{
    for (; i + 8 <= len; i += 8) {
        uint64_t m = ~tlx_swar_in(tlx_swar_load(s + i) | TLX_SWAR_ONES * 0x20, 'a', 'z') & TLX_SWAR_HIGH;
        if (m)
            return i + ((size_t)__builtin_ctzll(m) >> 3);
    }
    while (i < len && (unsigned char)(((unsigned char)s[i] | 0x20) - 'a') < 26)
        i++;
    return i;
}

/* The high bit of each byte of x that is an ASCII letter or digit. */
static inline uint64_t tlx_swar_alnum(uint64_t x)
{
    return tlx_swar_in(x | TLX_SWAR_ONES * 0x20, 'a', 'z') | tlx_swar_in(x, '0', '9');
}

/* Index of the first byte at or after i in s[0..len) that is not an ASCII
   letter or digit (len when there is none). */
static inline size_t tlx_swar_alnum_end(const char *s, size_t i, size_t len)
{
    for (; i + 8 <= len; i += 8) {
        uint64_t m = ~tlx_swar_alnum(tlx_swar_load(s + i)) & TLX_SWAR_HIGH;
        if (m)
            return i + ((size_t)__builtin_ctzll(m) >> 3);
    }
    while (i < len &&
           ((unsigned char)(((unsigned char)s[i] | 0x20) - 'a') < 26 || (unsigned char)(s[i] - '0') < 10))
        i++;
    return i;
}

/* Index of the first byte at or after i in s[0..len) that is not an ASCII
   digit (len when there is none). */
static inline size_t tlx_swar_digits_end(const char *s, size_t i, size_t len)
{
    for (; i + 8 <= len; i += 8) {
        uint64_t m = ~tlx_swar_in(tlx_swar_load(s + i), '0', '9') & TLX_SWAR_HIGH;
        if (m)
            return i + ((size_t)__builtin_ctzll(m) >> 3);
    }
    while (i < len && (unsigned char)(s[i] - '0') < 10)
        i++;
    return i;
}

/* Index of the first byte at or after i in s[0..len) that is c (len when
   there is none): memchr for the few bytes to a word's end, without the
   call. */
static inline size_t tlx_swar_find(const char *s, size_t i, size_t len, unsigned char c)
{
    for (; i + 8 <= len; i += 8) {
        uint64_t m = tlx_swar_eq(tlx_swar_load(s + i), c);
        if (m)
            return i + ((size_t)__builtin_ctzll(m) >> 3);
    }
    while (i < len && (unsigned char)s[i] != c)
        i++;
    return i;
}

#endif
