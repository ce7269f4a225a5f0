/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_hash.h -- FNV-1a, the small non-cryptographic hash of the tree
    (hash tables, log-line keys, shingles, line keys).  One exception: the
    NER word cache keys tokens with a hash that reads eight bytes at a time
    (s_keyhash in worker/text/tlx_ner.c; never persisted).

    Header-only: a byte step and a loop, inlined where they are used.
    Values that are persisted (the learned-boilerplate line keys in the
    store's `stats`, simhash fingerprints) depend on these constants: never
    change them.
*/
#ifndef TLX_HASH_H
#define TLX_HASH_H

#include <stddef.h>
#include <stdint.h>

#define TLX_FNV1A_OFFSET 14695981039346656037ull
#define TLX_FNV1A_PRIME 1099511628211ull

/*  One byte into the hash. */
static inline uint64_t tlx_fnv1a_byte(uint64_t h, unsigned char c)
{
    return (h ^ c) * TLX_FNV1A_PRIME;
}

/*  n bytes into the hash h (start with TLX_FNV1A_OFFSET). */
static inline uint64_t tlx_fnv1a(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = tlx_fnv1a_byte(h, s[i]);
    return h;
}

/*  The 32-bit FNV-1a, for tables indexed by 32 bits (same contract). */
#define TLX_FNV1A32_OFFSET 2166136261u
#define TLX_FNV1A32_PRIME 16777619u

static inline uint32_t tlx_fnv1a32_byte(uint32_t h, unsigned char c)
{
    return (h ^ c) * TLX_FNV1A32_PRIME;
}

static inline uint32_t tlx_fnv1a32(uint32_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = tlx_fnv1a32_byte(h, s[i]);
    return h;
}

#endif
