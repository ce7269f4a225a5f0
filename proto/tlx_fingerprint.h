/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_fingerprint.h -- the one near-duplicate predicate, shared by the
    store's writer (which compares a new article with the band candidates
    of the `simhash` DB) and the text stage's tlx_simhash_is_dup (what the
    tests exercise), so what is tested is what runs.

    Two articles are near duplicates when their index simhashes differ in
    at most near_max bits and their shingle hashes in at most verify_max
    (worker/text/tlx_simhash.h has the hashes and the default limits).
*/
#ifndef TLX_FINGERPRINT_H
#define TLX_FINGERPRINT_H

#include <stdbool.h>
#include <stdint.h>

static inline bool tlx_fingerprint_near(uint64_t a, uint64_t a_shingle, uint64_t b, uint64_t b_shingle,
                                        unsigned near_max, unsigned verify_max)
{
    return (unsigned)__builtin_popcountll(a ^ b) <= near_max &&
           (unsigned)__builtin_popcountll(a_shingle ^ b_shingle) <= verify_max;
}

#endif
