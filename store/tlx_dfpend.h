/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_dfpend.h -- document-frequency increments gathered in memory during
    one write batch, written to the `stats` DB once per term, in key order,
    when the batch commits.

    Why: counting in LMDB directly cost ~500 get+put pairs per sampled
    article, each on a random leaf of `stats`; a group of articles shares
    most of its terms, so one put per distinct term, in sorted order, dirties
    far fewer pages and does far less work.  The counts are the same; they
    become visible at the same commit as before (a batch that aborts drops
    its increments with it, so a grow-and-replay does not count twice).

    Pure data structure: no I/O, no LMDB.  Not thread-safe (the store's one
    writer owns it).
*/
#ifndef TLX_DFPEND_H
#define TLX_DFPEND_H

#include <stddef.h>
#include <stdint.h>

typedef struct tlx_dfpend tlx_dfpend_t;

/*  Creates an empty table.  Returns NULL on ENOMEM.  Free with
    tlx_dfpend_destroy(). */
tlx_dfpend_t *tlx_dfpend_new(void);

/*  Frees the table and nulls *self_p; safe on NULL and twice. */
void tlx_dfpend_destroy(tlx_dfpend_t **self_p);

/*  Adds `n` to the count of `term` (1..255 bytes; the empty term counts
    documents).  Returns 0 or TLX_ENOMEM (the table is unchanged then). */
int tlx_dfpend_add(tlx_dfpend_t *self, const char *term, size_t len, uint32_t n);

/*  Distinct terms held. */
size_t tlx_dfpend_size(const tlx_dfpend_t *self);

/*  Calls fn for every term in byte order (memcmp, shorter first on a common
    prefix: LMDB's default key order), stopping at the first non-zero
    return, which it returns.  `term` is borrowed for the call. */
int tlx_dfpend_each(tlx_dfpend_t *self, int (*fn)(void *ctx, const char *term, size_t len, uint32_t n),
                    void *ctx);

/*  Like tlx_dfpend_each, for the terms at positions [from, from + max) of
    that order only (none past the end), so that a large table can be
    written a slice at a time.  The order is computed once and kept while
    the table is not changed (tlx_dfpend_add, tlx_dfpend_clear), so
    consecutive slices of an unchanged table cover every term once. */
int tlx_dfpend_each_range(tlx_dfpend_t *self, size_t from, size_t max,
                          int (*fn)(void *ctx, const char *term, size_t len, uint32_t n), void *ctx);

/*  Adds every count of src to dst, in no particular order (no sort: for
    folding one table into another).  Returns 0 or TLX_ENOMEM (dst then
    holds part of src). */
int tlx_dfpend_merge(tlx_dfpend_t *dst, const tlx_dfpend_t *src);

/*  Forgets every term; keeps the memory for the next batch (memory past
    a large batch is released). */
void tlx_dfpend_clear(tlx_dfpend_t *self);

#endif
