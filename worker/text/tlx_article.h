/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_article.h -- one envelope to one record: the text pipeline plus the
    per-article fields around it (id, revision, source, url, times, meta),
    with the per-source settings of the envelope's source.

    The part of an enrich worker that needs no socket and no store, so
    telexd's enrich threads (worker/tlx_enricher.h) and the offline
    `telex enrich` run exactly the same code.
*/
#ifndef TLX_ARTICLE_H
#define TLX_ARTICLE_H

#include <stddef.h>
#include <stdint.h>

#include "tlx_arena.h"
#include "tlx_proto.h"
#include "tlx_record.h"
#include "tlx_sources.h"
#include "tlx_text.h"

#ifdef __cplusplus
extern "C" {
#endif

/*  One article and the shared resources to process it with (borrowed). */
typedef struct {
    const tlx_envelope_t *env; /* decoded (tlx_proto.h) */
    const char *id;            /* the article's id (external or assigned) */
    size_t id_len;
    uint32_t revision;
    uint64_t received_at;                     /* Unix ms; used when the envelope has none */
    const tlx_sources_t *sources;             /* per-source settings; NULL: none */
    const struct tlx_keywords_df *df;         /* document frequencies; NULL: built-in prior */
    const struct tlx_boiler_learned *learned; /* learned boilerplate lines; NULL: none */
    tlx_text_scratch_t *scratch;              /* the calling thread's (tlx_text_scratch_new); NULL: none */
    int want_terms;                           /* also rec->df_terms (tlx_record_t) */
} tlx_article_in_t;

/*  Runs the text pipeline on in->env's text (text == NULL: the null
    pipeline of the benchmark: a record without body, the text stays in
    the raw envelope) and fills *rec, whose
    pointers borrow from the arena and from in->env.  Text with nothing
    usable left after normalization gives an empty record, not an error.
    Returns 0, or TLX_ENOMEM or the pipeline's TLX_E* code with *reason
    (static text) set.  Thread-safe for distinct arenas. */
int tlx_article_record(const tlx_text_t *text, tlx_arena_t *arena, const tlx_article_in_t *in,
                       tlx_record_t *rec, const char **reason);

#ifdef __cplusplus
}
#endif
#endif
