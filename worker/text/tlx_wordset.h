/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_wordset.h -- small static sets of short words (stop lists, word
    classes, starter words, reporting verbs) for the text stages.

    A set maps words of 1..TLX_WORDSET_MAX bytes to a 32-bit value.  The
    word is read as two 64-bit integers (zero-padded, loads that stay
    inside the word), optionally ASCII-case folded eight bytes at a time,
    hashed with two multiplies and compared as two integers: a lookup costs
    the same for every word length and never calls strcmp or memcmp.

    The tables are static arrays owned by the module that uses them, filled
    once (pthread_once) with tlx_wordset_put and read-only afterwards, so
    lookups need no lock.
*/
#ifndef TLX_WORDSET_H
#define TLX_WORDSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tlx_swar.h"

#define TLX_WORDSET_MAX 15 /* longest word in a set: the 16th byte holds the length */

/* One slot: the word's bytes (lo: bytes 0-7, hi: bytes 8-14 and the length
   in the top byte); hi == 0 marks an empty slot. */
typedef struct {
    uint64_t lo, hi;
} tlx_wordset_slot_t;

/* A set: `cap` slots and values (a power of two, at least twice the words
   put), `fold`: words are compared with ASCII letters folded to lower case;
   `bloom`: one bit per word put (at other bits of its hash), so that most
   words that are not in the set cost one load from 512 bytes, not one from
   the slots. */
#define TLX_WORDSET_BLOOM 4096
typedef struct {
    tlx_wordset_slot_t *slot;
    uint32_t *val;
    uint32_t cap;
    bool fold;
    uint8_t bloom[TLX_WORDSET_BLOOM / 8];
} tlx_wordset_t;

/* Declares a static set `name` of `cap` slots (file scope). */
#define TLX_WORDSET_STATIC(name, cap_, fold_)                                                                \
    static tlx_wordset_slot_t name##_slot[cap_];                                                             \
    static uint32_t name##_val[cap_];                                                                        \
    static tlx_wordset_t name = {name##_slot, name##_val, cap_, fold_, {0}}

/* The eight bytes of x with 'A'..'Z' turned to lower case. */
static inline uint64_t tlx_wordset_lower8(uint64_t x)
{
    return x | tlx_swar_in(x, 'A', 'Z') >> 2;
}

/* The slot integers of an n-byte word whose bytes 0-7 are in a and bytes
   8-14 in b (zero above the word): folded when `fold`, the length in the
   top byte of hi. */
static inline void tlx_wordset__pack(uint64_t a, uint64_t b, size_t n, bool fold, uint64_t *lo, uint64_t *hi)
{
    if (fold) {
        a = tlx_wordset_lower8(a);
        b = tlx_wordset_lower8(b);
    }
    *lo = a;
    *hi = b | (uint64_t)n << 56;
}

/* w[0..n) (1 <= n <= TLX_WORDSET_MAX) as the two integers of a slot. */
static inline void tlx_wordset_key(const char *w, size_t n, bool fold, uint64_t *lo, uint64_t *hi)
{
    uint64_t b = n > 8 ? tlx_swar_load(w + n - 8) >> (8 * (16 - n)) : 0;
    tlx_wordset__pack(tlx_swar_load_n(w, n), b, n, fold, lo, hi);
}

/* The hash of a key: its low bits pick the slot, bits 20..31 the bloom bit. */
static inline uint32_t tlx_wordset_hash(uint64_t lo, uint64_t hi)
{
    uint64_t h = (lo ^ (hi * 0x9e3779b97f4a7c15ull)) * 0xff51afd7ed558ccdull;
    return (uint32_t)(h >> 32);
}

static inline bool tlx_wordset__maybe(const tlx_wordset_t *s, uint32_t h)
{
    uint32_t b = (h >> 20) & (TLX_WORDSET_BLOOM - 1);
    return s->bloom[b >> 3] >> (b & 7) & 1;
}

static inline uint32_t tlx_wordset__find(const tlx_wordset_t *s, uint64_t lo, uint64_t hi)
{
    uint32_t m = s->cap - 1, h = tlx_wordset_hash(lo, hi);
    if (!tlx_wordset__maybe(s, h))
        return 0;
    for (uint32_t i = h & m;; i = (i + 1) & m) {
        const tlx_wordset_slot_t *sl = &s->slot[i];
        if (sl->lo == lo && sl->hi == hi)
            return s->val[i];
        if (!sl->hi)
            return 0;
    }
}

/* The value of w[0..n) in the set, 0 when it is not there (or n is 0 or
   over TLX_WORDSET_MAX). */
static inline uint32_t tlx_wordset_get(const tlx_wordset_t *s, const char *w, size_t n)
{
    if (n - 1 >= TLX_WORDSET_MAX)
        return 0;
    uint64_t lo, hi;
    tlx_wordset_key(w, n, s->fold, &lo, &hi);
    return tlx_wordset__find(s, lo, hi);
}

/* tlx_wordset_get for a word followed by more readable bytes: w[0..avail)
   may be read (avail >= n).  With 16 bytes readable, the word is two loads
   and two masks, without a branch on its length. */
static inline uint32_t tlx_wordset_get_in(const tlx_wordset_t *s, const char *w, size_t n, size_t avail)
{
    if (n - 1 >= TLX_WORDSET_MAX)
        return 0;
    uint64_t lo, hi;
    if (avail < 16) {
        tlx_wordset_key(w, n, s->fold, &lo, &hi);
    } else {
        size_t nl = n < 8 ? n : 8, nh = n - nl; /* bytes in lo, in hi (nh <= 7) */
        tlx_wordset__pack(tlx_swar_load(w) & (nl == 8 ? ~0ull : (1ull << (8 * nl)) - 1),
                          tlx_swar_load(w + 8) & ((1ull << (8 * nh)) - 1), n, s->fold, &lo, &hi);
    }
    return tlx_wordset__find(s, lo, hi);
}

/*  Adds the word w (NUL-terminated, 1..TLX_WORDSET_MAX bytes, no NUL
    inside) with value val, or ORs val into the value of a word already
    there.  Values should not be 0 (0 reads as "not in the set").  The set
    must keep at least one empty slot; call before any lookup (pthread_once). */
void tlx_wordset_put(tlx_wordset_t *s, const char *w, uint32_t val);

#endif
