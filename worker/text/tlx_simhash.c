/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_simhash.c -- SHA-256 and simhashes of the clean body.

    Simhash (Charikar): each feature is hashed to 64 bits (FNV-1a over the
    lowercased word bytes, murmur3 finaliser), each bit position sums +1/-1
    over the features and the sign gives the bit.
    Two hashes, because one 64-bit simhash cannot be both stable and
    selective on 500-1000-word articles (seeds, editorial one-sentence
    edits in test_simhash.c, all seed pairs):
      words + adjacent pairs  (tlx_simhash64, indexed in 4 x 16-bit bands):
          edited <= 3 bits; different articles 11-26 bits.  Frequent words
          carry the weight, so an edit moves few bits; but every English
          text shares them, so unrelated articles come closer than random.
      3-word shingles         (tlx_simhash_shingle64, verification only):
          edited 4-7 bits (a rewrite of the whole sentence: up to ~9);
          different articles 25-33 bits.
    So the band index finds candidates within 3 bits on the stable hash,
    and a candidate is a near duplicate only when the shingle hashes are
    also within TLX_SIMHASH_VERIFY bits: stable and selective together.
    Rejected: character n-grams (more features, slower, no more stable),
    minhash (many hashes per document to be as selective; does not fit the
    4 x 16-bit band index), stop-word removal (drops exactly the weight that
    makes the index hash stable: 0-9 bits after an edit).
    UTF-8 punctuation (curly quotes, dashes, no-break space) separates
    words like ASCII punctuation does.  One pass, 64 adds per feature.
*/
#include "tlx_simhash.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "tlx_error.h"
#include "tlx_fingerprint.h"
#include "tlx_hash.h"
#include "tlx_sha256.h"
#include "tlx_swar.h"

static inline uint64_t s_mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* Per byte: 0 not a word byte, else the byte the word hash takes (ASCII
   letters lower-cased): ASCII letters and digits, and every byte of
   0x80 and above.  The two lead bytes a UTF-8
   punctuation mark can start with (0xc2, 0xe2) are word bytes here too:
   s_punct decides. */
#define S_WBYTE(c)                                                                                           \
    ((c) >= 'A' && (c) <= 'Z'                                                  ? (c) | 32                    \
     : (c) >= 0x80 || ((c) >= '0' && (c) <= '9') || ((c) >= 'a' && (c) <= 'z') ? (c)                         \
                                                                               : 0)
static const uint8_t s_wbyte[256] = {TLX_BYTE_TABLE(S_WBYTE)};
#undef S_WBYTE

/* Length of a UTF-8 punctuation mark or no-break space at s[i] (curly
   quotes, dashes, ellipsis: U+2000..U+206F; U+00A0, U+00AB, U+00BB), else 0:
   "“loyalty" and "loyalty" must be the same word. */
static inline size_t s_punct(const unsigned char *s, size_t i, size_t len)
{
    if (s[i] == 0xe2 && i + 2 < len && (s[i + 1] == 0x80 || s[i + 1] == 0x81))
        return 3;
    if (s[i] == 0xc2 && i + 1 < len && (s[i + 1] == 0xa0 || s[i + 1] == 0xab || s[i + 1] == 0xbb))
        return 2;
    return 0;
}

/* Bit counting: per feature, each bit position's count of set bits (the
   sign of +1/-1 sums is "ones > total / 2").  Counted first in byte
   counters, 64 of them, flushed into the int64 sums every 255 features. */
typedef struct {
    int64_t ones[64]; /* features with bit b set */
    uint32_t total;
} acc_t;

#if defined(__SSE2__)
#include <emmintrin.h>

/* The byte counters: four SSE2 registers, byte i of the 64 counting bit i.
   A feature's bits are spread to bytes (each byte of h copied 8 times by
   three unpacks, then one bit per byte kept with a mask and a compare:
   0xff where set) and subtracted (-0xff is +1): ~20 register operations,
   where table lookups added to memory took ~50 instructions. */
typedef struct {
    __m128i c[4];
    unsigned pending;
} bytes_t;

static inline __m128i s_bits(__m128i v, __m128i mask)
{
    return _mm_cmpeq_epi8(_mm_and_si128(v, mask), mask);
}

static inline void s_flush(acc_t *a, bytes_t *b)
{
    uint8_t n[64];
    for (unsigned k = 0; k < 4; k++) {
        _mm_storeu_si128((__m128i *)(void *)(n + 16 * k), b->c[k]);
        b->c[k] = _mm_setzero_si128();
    }
    for (unsigned i = 0; i < 64; i++)
        a->ones[i] += n[i];
    b->pending = 0;
}

static inline void s_add(acc_t *a, bytes_t *b, uint64_t h)
{
    const __m128i mask = _mm_set1_epi64x((long long)0x8040201008040201ULL); /* byte k: 1 << k */
    __m128i x = _mm_set_epi64x(0, (long long)h);                            /* also on 32-bit x86 with SSE2 */
    __m128i x2 = _mm_unpacklo_epi8(x, x);                                   /* h0 h0 h1 h1 .. h7 h7 */
    __m128i lo = _mm_unpacklo_epi16(x2, x2);                                /* h0 x4 .. h3 x4 */
    __m128i hi = _mm_unpackhi_epi16(x2, x2);                                /* h4 x4 .. h7 x4 */
    b->c[0] = _mm_sub_epi8(b->c[0], s_bits(_mm_unpacklo_epi32(lo, lo), mask)); /* h0 x8, h1 x8 */
    b->c[1] = _mm_sub_epi8(b->c[1], s_bits(_mm_unpackhi_epi32(lo, lo), mask));
    b->c[2] = _mm_sub_epi8(b->c[2], s_bits(_mm_unpacklo_epi32(hi, hi), mask));
    b->c[3] = _mm_sub_epi8(b->c[3], s_bits(_mm_unpackhi_epi32(hi, hi), mask));
    a->total++;
    if (++b->pending == 255)
        s_flush(a, b);
}

static inline void s_bytes_init(bytes_t *b)
{
    for (unsigned k = 0; k < 4; k++)
        b->c[k] = _mm_setzero_si128();
    b->pending = 0;
}
#else
/* Portable: 8 counters per 64-bit add, s_spread[v] has byte k = bit k of v. */
static uint64_t s_spread[256];
static pthread_once_t s_once = PTHREAD_ONCE_INIT;

static void s_init(void)
{
    for (unsigned v = 0; v < 256; v++) {
        uint64_t x = 0;
        for (unsigned k = 0; k < 8; k++)
            x |= (uint64_t)((v >> k) & 1) << (8 * k);
        s_spread[v] = x;
    }
}

typedef struct {
    uint64_t part[8]; /* part[j] byte k: count for bit 8j+k since the flush */
    unsigned pending;
} bytes_t;

static inline void s_flush(acc_t *a, bytes_t *b)
{
    for (unsigned j = 0; j < 8; j++) {
        for (unsigned k = 0; k < 8; k++)
            a->ones[8 * j + k] += (b->part[j] >> (8 * k)) & 0xff;
        b->part[j] = 0;
    }
    b->pending = 0;
}

static inline void s_add(acc_t *a, bytes_t *b, uint64_t h)
{
    for (unsigned j = 0; j < 8; j++)
        b->part[j] += s_spread[(h >> (8 * j)) & 0xff];
    a->total++;
    if (++b->pending == 255)
        s_flush(a, b);
}

static inline void s_bytes_init(bytes_t *b)
{
    pthread_once(&s_once, s_init);
    memset(b, 0, sizeof *b);
}
#endif

/* Feeds the words of the body to the accumulators (either may be NULL):
   ix every word and every adjacent pair (the index hash), sh 3-word
   shingles. */
static size_t s_feed(const char *body, size_t len, acc_t *ix, acc_t *sh)
{
    uint64_t w[3] = {0, 0, 0};
    size_t nwords = 0;
    bytes_t bi, bs;
    s_bytes_init(&bi);
    s_bytes_init(&bs);
    const unsigned char *s = (const unsigned char *)body;
    size_t i = 0;
    while (i < len) {
        while (i < len && (!s_wbyte[s[i]] || s_punct(s, i, len)))
            i += s_wbyte[s[i]] ? s_punct(s, i, len) : 1;
        if (i >= len)
            break;
        uint64_t h = TLX_FNV1A_OFFSET;
        for (; i < len; i++) {
            unsigned char c = s_wbyte[s[i]];
            if (!c || ((c == 0xc2 || c == 0xe2) && s_punct(s, i, len)))
                break;
            h = tlx_fnv1a_byte(h, c);
        }
        w[0] = w[1];
        w[1] = w[2];
        w[2] = h;
        nwords++;
        if (ix) {
            s_add(ix, &bi, s_mix(h));
            if (nwords >= 2)
                s_add(ix, &bi, s_mix((w[1] * 31 + w[2]) ^ 0x9e3779b97f4a7c15ULL));
        }
        if (sh && nwords >= 3)
            s_add(sh, &bs, s_mix(w[0] * 31 * 31 + w[1] * 31 + w[2]));
    }
    if (sh && nwords > 0 && nwords < 3)
        for (size_t k = 3 - nwords; k < 3; k++)
            s_add(sh, &bs, s_mix(w[k]));
    if (ix)
        s_flush(ix, &bi);
    if (sh)
        s_flush(sh, &bs);
    return nwords;
}

/* The hash an accumulator fed with at least one word stands for. */
static uint64_t s_sign(const acc_t *acc)
{
    uint64_t out = 0;
    for (int b = 0; b < 64; b++)
        if (2 * acc->ones[b] > (int64_t)acc->total) /* more +1 than -1 */
            out |= 1ULL << b;
    return out ? out : 1; /* 0 is reserved for "no words" */
}

void tlx_simhash_pair(const char *body, size_t len, uint64_t *index, uint64_t *shingle)
{
    acc_t ix, sh;
    memset(&ix, 0, sizeof ix);
    memset(&sh, 0, sizeof sh);
    *index = *shingle = 0;
    if (!body || s_feed(body, len, &ix, &sh) == 0)
        return;
    *index = s_sign(&ix);
    *shingle = s_sign(&sh);
}

uint64_t tlx_simhash64(const char *body, size_t len)
{
    acc_t acc;
    memset(&acc, 0, sizeof acc);
    return body && s_feed(body, len, &acc, NULL) ? s_sign(&acc) : 0;
}

uint64_t tlx_simhash_shingle64(const char *body, size_t len)
{
    acc_t acc;
    memset(&acc, 0, sizeof acc);
    return body && s_feed(body, len, NULL, &acc) ? s_sign(&acc) : 0;
}

bool tlx_simhash_is_dup(uint64_t a, uint64_t a_shingle, uint64_t b, uint64_t b_shingle)
{
    return tlx_fingerprint_near(a, a_shingle, b, b_shingle, TLX_SIMHASH_NEAR, TLX_SIMHASH_VERIFY);
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

int tlx_simhash_sha256_hex(const char *body, size_t len, char out[65], uint8_t *digest)
{
    static const char hex[] = "0123456789abcdef";
    uint8_t d[TLX_SHA256_BYTES];
    tlx_sha256(body, len, d);
    if (digest)
        memcpy(digest, d, sizeof d);
    for (size_t i = 0; i < sizeof d; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[64] = '\0';
    return 0;
}
