/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_sha256.c -- SHA-256 (see tlx_sha256.h).

    Two compression functions behind one pointer chosen at first use: the
    portable one (FIPS 180-4 as written) and, on x86-64 CPUs that report
    SHA-NI, SSSE3 and SSE4.1 in CPUID, the one built on sha256rnds2 /
    sha256msg1 / sha256msg2 (Intel's published schedule: the state kept as
    ABEF/CDGH, four rounds per 128-bit message group).  The NI function is
    compiled with a target attribute, so the rest of the tree needs no
    -msha and still runs on CPUs without it.

    Rejected: libsodium's crypto_hash_sha256 (portable only, 4x slower on
    this hardware); OpenSSL's libcrypto (a new dependency for one function).
*/
#include "tlx_sha256.h"

#include <stdatomic.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define TLX_SHA_X86 1
#endif

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

typedef void (*blocks_fn)(uint32_t h[8], const uint8_t *p, size_t nblocks);

static inline uint32_t s_ror(uint32_t x, int n)
{
    return x >> n | x << (32 - n);
}

static inline uint32_t s_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void s_blocks_portable(uint32_t h[8], const uint8_t *p, size_t nblocks)
{
    for (; nblocks--; p += 64) {
        uint32_t w[64];
        for (int t = 0; t < 16; t++)
            w[t] = s_be32(p + 4 * t);
        for (int t = 16; t < 64; t++) {
            uint32_t s0 = s_ror(w[t - 15], 7) ^ s_ror(w[t - 15], 18) ^ (w[t - 15] >> 3);
            uint32_t s1 = s_ror(w[t - 2], 17) ^ s_ror(w[t - 2], 19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
        for (int t = 0; t < 64; t++) {
            uint32_t t1 =
                k + (s_ror(e, 6) ^ s_ror(e, 11) ^ s_ror(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
            uint32_t t2 = (s_ror(a, 2) ^ s_ror(a, 13) ^ s_ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            k = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
        h[4] += e;
        h[5] += f;
        h[6] += g;
        h[7] += k;
    }
}

#ifdef TLX_SHA_X86
__attribute__((target("sha,sse4.1,ssse3"))) static void s_blocks_ni(uint32_t h[8], const uint8_t *p,
                                                                    size_t nblocks)
{
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i tmp = _mm_loadu_si128((const __m128i *)&h[0]);
    __m128i st1 = _mm_loadu_si128((const __m128i *)&h[4]);
    tmp = _mm_shuffle_epi32(tmp, 0xB1);         /* CDAB */
    st1 = _mm_shuffle_epi32(st1, 0x1B);         /* EFGH */
    __m128i st0 = _mm_alignr_epi8(tmp, st1, 8); /* ABEF */
    st1 = _mm_blend_epi16(st1, tmp, 0xF0);      /* CDGH */
    for (; nblocks--; p += 64) {
        const __m128i save0 = st0, save1 = st1;
        __m128i w[4];
        for (int g = 0; g < 16; g++) {
            __m128i m;
            if (g < 4)
                m = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * g)), bswap);
            else /* W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], four at a time */
                m = _mm_sha256msg2_epu32(_mm_add_epi32(_mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]),
                                                       _mm_alignr_epi8(w[(g + 3) & 3], w[(g + 2) & 3], 4)),
                                         w[(g + 3) & 3]);
            w[g & 3] = m;
            __m128i x = _mm_add_epi32(m, _mm_loadu_si128((const __m128i *)&K[4 * g]));
            st1 = _mm_sha256rnds2_epu32(st1, st0, x);
            st0 = _mm_sha256rnds2_epu32(st0, st1, _mm_shuffle_epi32(x, 0x0E));
        }
        st0 = _mm_add_epi32(st0, save0);
        st1 = _mm_add_epi32(st1, save1);
    }
    tmp = _mm_shuffle_epi32(st0, 0x1B);    /* FEBA */
    st1 = _mm_shuffle_epi32(st1, 0xB1);    /* DCHG */
    st0 = _mm_blend_epi16(tmp, st1, 0xF0); /* DCBA */
    st1 = _mm_alignr_epi8(st1, tmp, 8);    /* HGFE */
    _mm_storeu_si128((__m128i *)&h[0], st0);
    _mm_storeu_si128((__m128i *)&h[4], st1);
}

static int s_cpu_has_ni(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) || !(c & bit_SSE4_1))
        return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return 0;
    return (b & bit_SHA) != 0;
}
#endif

static _Atomic(blocks_fn) s_blocks;
static atomic_int s_forced;

static blocks_fn s_pick(void)
{
    blocks_fn f = atomic_load_explicit(&s_blocks, memory_order_relaxed);
    if (f)
        return f;
    f = s_blocks_portable;
#ifdef TLX_SHA_X86
    if (!atomic_load(&s_forced) && s_cpu_has_ni())
        f = s_blocks_ni;
#endif
    atomic_store_explicit(&s_blocks, f, memory_order_relaxed);
    return f;
}

int tlx_sha256_accelerated(void)
{
    return s_pick() != s_blocks_portable;
}

void tlx_sha256_force_portable(int on)
{
    atomic_store(&s_forced, on);
    atomic_store(&s_blocks, (blocks_fn)NULL);
}

void tlx_sha256_init(tlx_sha256_t *s)
{
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(s->h, iv, sizeof iv);
    s->len = 0;
    s->nbuf = 0;
}

void tlx_sha256_update(tlx_sha256_t *s, const void *data, size_t n)
{
    const uint8_t *p = data;
    if (n == 0) /* p may be NULL: memcpy must not see it */
        return;
    blocks_fn blocks = s_pick();
    s->len += n;
    if (s->nbuf) {
        size_t take = 64 - s->nbuf < n ? 64 - s->nbuf : n;
        memcpy(s->buf + s->nbuf, p, take);
        s->nbuf += take;
        p += take;
        n -= take;
        if (s->nbuf < 64)
            return;
        blocks(s->h, s->buf, 1);
        s->nbuf = 0;
    }
    if (n >= 64) {
        blocks(s->h, p, n / 64);
        p += n & ~(size_t)63;
        n &= 63;
    }
    if (n) {
        memcpy(s->buf, p, n);
        s->nbuf = n;
    }
}

void tlx_sha256_final(tlx_sha256_t *s, uint8_t out[TLX_SHA256_BYTES])
{
    uint64_t bits = s->len * 8;
    uint8_t pad[72] = {0x80};
    size_t padlen = (s->nbuf < 56 ? 56 : 120) - s->nbuf;
    for (int i = 0; i < 8; i++)
        pad[padlen + (size_t)i] = (uint8_t)(bits >> (56 - 8 * i));
    tlx_sha256_update(s, pad, padlen + 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(s->h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
        out[4 * i + 3] = (uint8_t)s->h[i];
    }
}

void tlx_sha256(const void *p, size_t n, uint8_t out[TLX_SHA256_BYTES])
{
    tlx_sha256_t s;
    tlx_sha256_init(&s);
    tlx_sha256_update(&s, p, n);
    tlx_sha256_final(&s, out);
}
