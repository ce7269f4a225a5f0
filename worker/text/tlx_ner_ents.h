/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_ner_ents.h -- the entity stage of the text pipeline.

    Tokenizes rec->body (byte offsets), tags each sentence with the NER
    model (document features span the whole body), merges the tagger's
    spans with gazetteer matches, links in-document acronyms ("Ministry of
    State Security (MSS)" makes every later "MSS" that organization), gives
    every mention a canonical name and groups mentions into rec->entities
    {text, type, canonical, count, spans}.
*/
#ifndef TLX_NER_ENTS_H
#define TLX_NER_ENTS_H

#include "tlx_arena.h"
#include "tlx_gaz.h"
#include "tlx_ner.h"
#include "tlx_record.h"

#ifdef __cplusplus
extern "C" {
#endif

/*  Fills rec->entities / rec->nentities from rec->body / rec->body_len,
    using rec->sentences when present (else sentences are guessed from
    final punctuation and line breaks).
    @param ner    the model, or NULL (gazetteer matches only)
    @param gaz    the gazetteer, or NULL
    @param arena  every string and array of the result comes from it
    @return 0 or TLX_ENOMEM.  Thread-safe for shared ner/gaz; linear in the
            body length (n log n in the number of mentions). */
int tlx_ner_ents_fill(const tlx_ner_t *ner, const tlx_gaz_t *gaz, tlx_record_t *rec, tlx_arena_t *arena);

/*  tlx_ner_ents_fill() tagging with the calling thread's NER scratch
    (tlx_ner_tag_gazlab with the scratch: its word cache carries over from
    one article to the next); scratch NULL is tlx_ner_ents_fill().  Same result either way.
    @return 0, TLX_ENOMEM.  Thread-safe as long as each thread has its own
            scratch. */
int tlx_ner_ents_fill_with(const tlx_ner_t *ner, tlx_ner_scratch_t *scratch, const tlx_gaz_t *gaz,
                           tlx_record_t *rec, tlx_arena_t *arena);

#ifdef __cplusplus
}
#endif
#endif
