/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_sha256.h -- SHA-256 (FIPS 180-4), with the x86 SHA extensions when
    the CPU has them.

    The writer hashes every accepted text twice (its id and its dedup key)
    and the fingerprint stage hashes every body once; a portable SHA-256
    (libsodium's among them) runs at ~350 MB/s, the SHA-NI instructions at
    ~1.5 GB/s.  The digest is the same either way (the store persists it:
    dedup keys), so the choice is made once per process from CPUID.

    Thread-safe: no state besides the caller's tlx_sha256_t.
*/
#ifndef TLX_SHA256_H
#define TLX_SHA256_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TLX_SHA256_BYTES 32

/*  A running hash: init, update any number of times, final once. */
typedef struct {
    uint32_t h[8];
    uint64_t len; /* bytes hashed so far */
    uint8_t buf[64];
    size_t nbuf;
} tlx_sha256_t;

void tlx_sha256_init(tlx_sha256_t *s);
/*  Adds n bytes at p (p may be NULL when n is 0). */
void tlx_sha256_update(tlx_sha256_t *s, const void *p, size_t n);
/*  Writes the digest to out and leaves s unusable until the next init. */
void tlx_sha256_final(tlx_sha256_t *s, uint8_t out[TLX_SHA256_BYTES]);

/*  The digest of n bytes at p, in one call. */
void tlx_sha256(const void *p, size_t n, uint8_t out[TLX_SHA256_BYTES]);

/*  1 when this process uses the SHA extensions, 0 for the portable code
    (for benchmarks and the test that runs both). */
int tlx_sha256_accelerated(void);

/*  Tests only: 1 = use the portable code even on a CPU with SHA-NI, 0 = back
    to the CPU's choice.  Not for concurrent use with hashing. */
void tlx_sha256_force_portable(int on);

#ifdef __cplusplus
}
#endif
#endif
