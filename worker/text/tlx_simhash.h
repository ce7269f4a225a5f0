/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_simhash.h -- body fingerprints: SHA-256 (exact duplicates) and a
    64-bit simhash (near duplicates).

    Pure functions, thread-safe, no allocation.

    How the store uses them (store/tlx_store.c, at commit): the enrich
    worker sends the simhash, the shingle hash and the 4 band keys
    (tlx_simhash_band_key) as commit hints; the writer looks the body's
    SHA-256 up in `dedup` (exact duplicates), then reads each band's
    MDB_DUPSORT values in `simhash` -- (seq, simhash, shingle), 24 bytes
    big-endian -- and links the article to the earliest one that
    tlx_fingerprint_near (proto/tlx_fingerprint.h, the predicate
    tlx_simhash_is_dup uses too) accepts; then indexes the article's own
    bands.  By pigeonhole, two hashes within Hamming distance 3 share at
    least one of the 4 bands, so every earlier candidate within distance 3
    is found.  Empty bodies hash to 0 and are not indexed.
*/
#ifndef TLX_SIMHASH_H
#define TLX_SIMHASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TLX_SIMHASH_BANDS 4
#define TLX_SIMHASH_KEY_LEN 3 /* band index byte + 16-bit band, big-endian */
#define TLX_SIMHASH_NEAR 3    /* max Hamming distance of the index hashes */
#define TLX_SIMHASH_VERIFY 14 /* max Hamming distance of the shingle hashes */

/*  The index simhash of the body (rec->simhash): 64 bits over every
    lowercased word and every pair of adjacent words (words: ASCII letters
    and digits and non-punctuation UTF-8).  Returns 0 for a body without
    words (and for NULL).  Linear in len. */
uint64_t tlx_simhash64(const char *body, size_t len);

/*  The verification simhash: 64 bits over 3-word shingles (single words for
    bodies under 3 words).  0 for a body without words.  Linear in len. */
uint64_t tlx_simhash_shingle64(const char *body, size_t len);

/*  Both: *index = tlx_simhash64(), *shingle = tlx_simhash_shingle64(),
    in one pass over the body. */
void tlx_simhash_pair(const char *body, size_t len, uint64_t *index, uint64_t *shingle);

/*  True when (a, a_shingle) and (b, b_shingle) are near duplicates: index
    hashes within TLX_SIMHASH_NEAR and shingle hashes within
    TLX_SIMHASH_VERIFY bits. */
bool tlx_simhash_is_dup(uint64_t a, uint64_t a_shingle, uint64_t b, uint64_t b_shingle);

/*  Band i (0..3) of h: bits [16*i, 16*i+16). */
uint16_t tlx_simhash_band(uint64_t h, unsigned i);

/*  LMDB key of band i: {i, band >> 8, band & 0xff}. */
void tlx_simhash_band_key(uint64_t h, unsigned i, uint8_t key[TLX_SIMHASH_KEY_LEN]);

/*  Number of differing bits. */
unsigned tlx_simhash_distance(uint64_t a, uint64_t b);

/*  True when a and b are within TLX_SIMHASH_NEAR bits and both non-zero. */
bool tlx_simhash_is_near(uint64_t a, uint64_t b);

/*  Lowercase hex SHA-256 of the body (tlx_sha256.h) into out[65],
    NUL-terminated, and the digest's 32 bytes into digest when it is not
    NULL.  Returns 0. */
int tlx_simhash_sha256_hex(const char *body, size_t len, char out[65], uint8_t *digest);

#ifdef __cplusplus
}
#endif
#endif
