/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_enrich.h -- runs the enrichment modules on a record, in order.

      fingerprints  tlx_simhash.h   sha256 + simhash64 of rec->body (always)
      language      tlx_lang.h      rec->lang, TLX_FLAG_LANG_UNRELIABLE, TLX_FLAG_NOT_ENGLISH
      (English only, skipped when TLX_FLAG_NOT_ENGLISH is set:)
      dates         tlx_dates.h     rec->dates  (anchor: rec->published_at, else opts->received_at_ms)
      money         tlx_money.h     rec->money, rec->quantities (numbers inside dates are skipped)
      sources       tlx_quotes.h    rec->sources
      quotes        tlx_quotes.h    rec->quotes (speakers resolved with rec->entities, rec->sources)
      keywords      tlx_keywords.h  rec->keywords (rec->tags as prior, opts->df as corpus stats)
      summary       tlx_summary.h   rec->summary, rec->stats.flesch
    The summary (a lead cut) also runs for non-English bodies; Flesch not.
    When rec->sentences is NULL the summary splits sentences itself (and
    stores the split in rec->sentences / nsentences, and stats.sentences
    when it was 0).

    Inputs read from rec: body, body_len, published_at, tags, captions,
    entities, sentences.  Call after the structure and NER stages.

    Two results are for the store's writer, not the record: the
    fingerprints for near-duplicate links (tlx_simhash.h says how the store
    uses them) and, for sampled articles, the keyword terms that feed the
    document frequencies (tlx_keywords.h).
*/
#ifndef TLX_ENRICH_H
#define TLX_ENRICH_H

#include <stdint.h>

#include "tlx_arena.h"
#include "tlx_keywords.h"
#include "tlx_record.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    int64_t received_at_ms;       /* date anchor when rec->published_at is NULL; 0 = none */
    const char *default_currency; /* per-source ISO 4217 for a bare "won"; may be NULL */
    const char *lang_hint;        /* envelope lang; used when detection is unreliable */
    const tlx_keywords_df_t *df;  /* corpus document frequencies; may be NULL */
    int want_terms;               /* also rec->df_terms (English bodies: the ones keywords run on) */
} tlx_enrich_opts_t;

/*  Fills the enrichment fields of *rec (see above) from rec->body.
    opts may be NULL (no anchor, no hints, built-in idf).  Arrays and
    strings are allocated in `arena`.  Returns 0 or TLX_ENOMEM (the record
    is then partly filled; the caller resets the arena).  An empty body is
    not an error: only the fingerprints are set.
    Thread-safe for different records; linear in rec->body_len. */
int tlx_enrich_run(const tlx_enrich_opts_t *opts, tlx_arena_t *arena, tlx_record_t *rec);

#ifdef __cplusplus
}
#endif
#endif
