/*  tlx_simhash.c -- SHA-256 and 64-bit simhash of the clean body.

    Simhash (Charikar): every 3-word shingle of the lowercased words is
    hashed to 64 bits (FNV-1a over the words, then a murmur3 finaliser so
    that neighbouring shingles spread over all bits); each bit position
    sums +1/-1 over the shingles and the sign gives the bit.  Shingles of 3
    words make one edited sentence move only ~3 + sentence-length shingles
    out of several hundred, which keeps an edited article within a few bits
    while two different articles from the same site (sharing boilerplate
    phrases such as "the source said") differ in ~half the bits.
    Rejected: character n-grams (more shingles, slower, more sensitive to
    punctuation repairs) and minhash (needs many hashes per document to be
    as selective; one 64-bit value fits the 4 x 16-bit band index).
    Words are hashed as a rolling window of three per-word hashes, so the
    cost is one pass over the bytes plus 64 adds per word.
*/
#include "tlx_simhash.h"

#include <sodium.h>
#include <stdio.h>

#include "tlx_error.h"

static inline uint64_t s_mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

static inline int s_wordch(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z');
}

static inline void s_add(int32_t acc[64], uint64_t h)
{
    for (int b = 0; b < 64; b++)
        acc[b] += (int32_t)((h >> b) & 1) * 2 - 1;
}

uint64_t tlx_simhash64(const char *body, size_t len)
{
    int32_t acc[64] = {0};
    uint64_t w[3] = {0, 0, 0};
    size_t nwords = 0;
    const unsigned char *s = (const unsigned char *)body;
    size_t i = 0;
    while (i < len) {
        while (i < len && !s_wordch(s[i]))
            i++;
        if (i >= len)
            break;
        uint64_t h = 0xcbf29ce484222325ULL;
        while (i < len && s_wordch(s[i])) {
            unsigned char c = s[i++];
            if (c >= 'A' && c <= 'Z')
                c |= 32;
            h = (h ^ c) * 0x100000001b3ULL;
        }
        w[0] = w[1];
        w[1] = w[2];
        w[2] = h;
        nwords++;
        if (nwords >= 3)
            s_add(acc, s_mix(w[0] * 31 * 31 + w[1] * 31 + w[2]));
    }
    if (nwords == 0)
        return 0;
    if (nwords < 3) {
        for (size_t k = 3 - nwords; k < 3; k++)
            s_add(acc, s_mix(w[k]));
    }
    uint64_t out = 0;
    for (int b = 0; b < 64; b++)
        if (acc[b] > 0)
            out |= 1ULL << b;
    return out ? out : 1; /* 0 is reserved for "no words" */
}

uint16_t tlx_simhash_band(uint64_t h, unsigned i)
{
    return (uint16_t)(h >> (16 * (i & 3)));
}

void tlx_simhash_band_key(uint64_t h, unsigned i, uint8_t key[TLX_SIMHASH_KEY_LEN])
{
    uint16_t b = tlx_simhash_band(h, i);
    key[0] = (uint8_t)i;
    key[1] = (uint8_t)(b >> 8);
    key[2] = (uint8_t)b;
}

unsigned tlx_simhash_distance(uint64_t a, uint64_t b)
{
    return (unsigned)__builtin_popcountll(a ^ b);
}

bool tlx_simhash_is_near(uint64_t a, uint64_t b)
{
    return a && b && tlx_simhash_distance(a, b) <= TLX_SIMHASH_NEAR;
}

int tlx_simhash_sha256_hex(const char *body, size_t len, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char d[crypto_hash_sha256_BYTES];
    if (sodium_init() < 0) {
        out[0] = '\0';
        return TLX_ENOMEM;
    }
    crypto_hash_sha256(d, (const unsigned char *)body, (unsigned long long)len);
    for (size_t i = 0; i < sizeof d; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[64] = '\0';
    return 0;
}
