/*  tlx_simhash.h -- body fingerprints: SHA-256 (exact duplicates) and a
    64-bit simhash (near duplicates).

    Pure functions, thread-safe, no allocation.

    WHAT THE WRITER MUST DO AT COMMIT (store side, owned by the lead):

      1. Exact duplicate: look up rec->sha256 (64 hex chars) in `dedup`
         ("body hash -> seq"); a hit is an exact duplicate of that seq.
      2. Near duplicate: for i in 0..3:
             uint8_t key[TLX_SIMHASH_KEY_LEN];
             tlx_simhash_band_key(rec->simhash, i, key);
         iterate the MDB_DUPSORT values of `key` in the `simhash` DB; each
         value is (seq u64 BE, simhash u64 BE) as written in step 3; if
         tlx_simhash_is_near(rec->simhash, other) for any candidate, set
         rec->near_duplicate_of to the id of the LOWEST such seq (the
         earliest original) before packing.  By pigeonhole, two hashes
         within Hamming distance 3 share at least one of the 4 bands, so
         this finds every earlier article within distance 3.
      3. Index: for i in 0..3, mdb_put(simhash, band_key(i), seq||simhash).
         Keeping the simhash in the value avoids loading candidate records.
      Empty bodies hash to 0; skip steps 2-3 when rec->simhash == 0.
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
#define TLX_SIMHASH_NEAR 3    /* max Hamming distance of a near duplicate */

/*  Simhash of the body: 64 bits over 3-word shingles of the lowercased
    words (ASCII letters and digits; other UTF-8 bytes are word bytes too).
    Bodies with fewer than 3 words use single words.  Returns 0 for a body
    without words.  Linear in len. */
uint64_t tlx_simhash64(const char *body, size_t len);

/*  Band i (0..3) of h: bits [16*i, 16*i+16). */
uint16_t tlx_simhash_band(uint64_t h, unsigned i);

/*  LMDB key of band i: {i, band >> 8, band & 0xff}. */
void tlx_simhash_band_key(uint64_t h, unsigned i, uint8_t key[TLX_SIMHASH_KEY_LEN]);

/*  Number of differing bits. */
unsigned tlx_simhash_distance(uint64_t a, uint64_t b);

/*  True when a and b are within TLX_SIMHASH_NEAR bits and both non-zero. */
bool tlx_simhash_is_near(uint64_t a, uint64_t b);

/*  Lowercase hex SHA-256 of the body (libsodium crypto_hash_sha256) into
    out[65], NUL-terminated.  Returns 0, or TLX_ENOMEM if libsodium cannot
    initialise. */
int tlx_simhash_sha256_hex(const char *body, size_t len, char out[65]);

#ifdef __cplusplus
}
#endif
#endif
