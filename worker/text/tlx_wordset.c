/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_wordset.c -- filling the static word sets of tlx_wordset.h.

    Lookups are inline in the header; this file only inserts.  Rejected: a
    perfect hash generated at build time (a generator to maintain for
    tables of a few hundred words that a probe or two already serves), and
    FNV-1a over the bytes (one multiply per byte, in a chain: most of a
    short word's lookup time).
*/
#include "tlx_wordset.h"

#include <assert.h>
#include <string.h>

void tlx_wordset_put(tlx_wordset_t *s, const char *w, uint32_t val)
{
    size_t n = strlen(w);
    assert(n >= 1 && n <= TLX_WORDSET_MAX);
    uint64_t lo, hi;
    tlx_wordset_key(w, n, s->fold, &lo, &hi);
    uint32_t m = s->cap - 1, h = tlx_wordset_hash(lo, hi), b = (h >> 20) & (TLX_WORDSET_BLOOM - 1);
    s->bloom[b >> 3] |= (uint8_t)(1u << (b & 7));
    for (uint32_t i = h & m;; i = (i + 1) & m) {
        tlx_wordset_slot_t *sl = &s->slot[i];
        if (!sl->hi) {
            sl->lo = lo;
            sl->hi = hi;
            s->val[i] = val;
            return;
        }
        if (sl->lo == lo && sl->hi == hi) {
            s->val[i] |= val;
            return;
        }
    }
}
