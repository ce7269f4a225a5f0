/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_boilsnap.h -- a read-only snapshot of the learned boilerplate lines
    for the structure stage, shared by all enrich threads.

    The writer counts each article's candidate lines per source in the
    store (tlx_store_lines_scan, SCHEMA.md).  The daemon builds a snapshot
    from the store at start and then every TELEX_BOILER_REFRESH_MS
    milliseconds (default 30000; an environment variable so tests need not
    wait), keeping the (source, line) pairs over the threshold of
    tlx_boiler.h (TLX_BOILER_MIN_DOCS articles, TLX_BOILER_MIN_SHARE_PCT
    percent), and publishes it; enrich threads acquire the current one per
    article and pass it as tlx_text_opts_t.learned.  Same life cycle as
    tlx_dfsnap.h.
*/
#ifndef TLX_BOILSNAP_H
#define TLX_BOILSNAP_H

#include <stddef.h>

#include "tlx_boiler.h"
#include "tlx_slot.h"
#include "tlx_store.h"

typedef struct tlx_boilsnap tlx_boilsnap_t;

/* Where the current snapshot is published (a tlx_slot_t of tlx_boilsnap_t). */
typedef tlx_slot_t tlx_boilsnap_slot_t;

/*  Builds a snapshot of the store's learned lines (one reference, the
    caller's).  NULL on ENOMEM or a store error; a snapshot with no lines
    when nothing is learned yet. */
tlx_boilsnap_t *tlx_boilsnap_build(tlx_store_t *st);

/*  The structure stage's view (NULL for NULL).  Borrowed; valid while the
    reference is held. */
const tlx_boiler_learned_t *tlx_boilsnap_learned(const tlx_boilsnap_t *s);

/*  (source, line) pairs in the snapshot (0 for NULL). */
size_t tlx_boilsnap_count(const tlx_boilsnap_t *s);

/*  The refresh interval: TELEX_BOILER_REFRESH_MS when set to a positive
    number, else 30000. */
unsigned tlx_boilsnap_refresh_ms(void);

void tlx_boilsnap_slot_init(tlx_boilsnap_slot_t *slot);
/*  Destroys the slot and drops its reference. */
void tlx_boilsnap_slot_fini(tlx_boilsnap_slot_t *slot);

/*  Takes a reference to the current snapshot (or NULL); thread-safe. */
tlx_boilsnap_t *tlx_boilsnap_acquire(tlx_boilsnap_slot_t *slot);
/*  Drops a reference; frees the snapshot with its last one.  NULL is fine. */
void tlx_boilsnap_release(tlx_boilsnap_t *s);
/*  Makes `s` current, taking over the caller's reference. */
void tlx_boilsnap_publish(tlx_boilsnap_slot_t *slot, tlx_boilsnap_t *s);

#endif
