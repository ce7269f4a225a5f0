/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_dfsnap.h -- a read-only snapshot of the corpus document frequencies
    for the keyword stage, shared by all enrich threads.

    The writer counts terms into the store's `stats` DB at commit (sampled:
    every article while fewer than 500 are counted, then one in 8; the
    document count is sampled alike, so idf = log(N/df) stays unbiased).
    The daemon rebuilds a snapshot from the store every 30 s when the
    counts moved, and publishes it; enrich threads acquire the current one
    per article.  Lookups are one hash probe: the keyword stage calls df()
    for every candidate term, which would be far too slow as LMDB reads.

    Bounded: the terms are unigrams and bigrams, whose number grows without
    end with the corpus (millions after a year of news).  A snapshot keeps
    at most TLX_DFSNAP_MAX_TERMS of them (16 bytes each at a load of at most
    one half: <= 8 MiB, and two snapshots live while one is swapped in): when
    there are more, it keeps only the terms counted at least min_count
    times, doubling min_count from 1 until they fit.  A term left out reads
    as df 0, i.e. rarer than every term kept, which is what it is.
*/
#ifndef TLX_DFSNAP_H
#define TLX_DFSNAP_H

#include <stdint.h>

#include "tlx_keywords.h"
#include "tlx_slot.h"
#include "tlx_store.h"

typedef struct tlx_dfsnap tlx_dfsnap_t;

/* Where the current snapshot is published (a tlx_slot_t of tlx_dfsnap_t). */
typedef tlx_slot_t tlx_dfsnap_slot_t;

enum { TLX_DFSNAP_MAX_TERMS = 1 << 18 };

/*  Builds a snapshot of the store's counts (one reference, the caller's).
    NULL on ENOMEM or when nothing is counted yet. */
tlx_dfsnap_t *tlx_dfsnap_build(tlx_store_t *st);
/*  The same with another bound on the number of terms (tests). */
tlx_dfsnap_t *tlx_dfsnap_build_max(tlx_store_t *st, size_t max_terms);

/*  Terms kept, and the count a term needed to be kept (1 = all). */
size_t tlx_dfsnap_terms(const tlx_dfsnap_t *s);
uint32_t tlx_dfsnap_min_count(const tlx_dfsnap_t *s);

/*  Documents counted in the snapshot (0 for NULL). */
uint64_t tlx_dfsnap_ndocs(const tlx_dfsnap_t *s);

/*  The keyword stage's view of a snapshot (NULL for NULL). Borrowed. */
const tlx_keywords_df_t *tlx_dfsnap_df(const tlx_dfsnap_t *s);

void tlx_dfsnap_slot_init(tlx_dfsnap_slot_t *slot);
/*  Destroys the slot and drops its reference. */
void tlx_dfsnap_slot_fini(tlx_dfsnap_slot_t *slot);

/*  Takes a reference to the current snapshot (or NULL); thread-safe. */
tlx_dfsnap_t *tlx_dfsnap_acquire(tlx_dfsnap_slot_t *slot);
/*  Drops a reference; frees the snapshot with its last one. NULL is fine. */
void tlx_dfsnap_release(tlx_dfsnap_t *s);
/*  Makes `s` current, taking over the caller's reference. */
void tlx_dfsnap_publish(tlx_dfsnap_slot_t *slot, tlx_dfsnap_t *s);

#endif
