/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_keywords.h -- the article's top keywords by TF-IDF.

    Terms are lowercased words of 3+ letters with a light plural folding
    ("officers" -> "officer", "families" -> "family"), minus an English
    stop-word list (function words and reporting verbs), plus two-word terms
    ("loyalty fund") that occur at least twice inside a sentence.  Score =
    tf * idf; the tag line is a prior (a term that is one of rec->tags, or a
    word of one, scores x2 + 3); a two-word term hides its single words
    unless they are clearly more frequent on their own.  Keywords are shown
    lowercase, or in the text's capitalisation when the term is a proper
    noun ("Sinuiju", "Ministry" is not: it also occurs lowercase); entity
    canonicals from the NER stage compete too (see below).

    Document frequencies come from the store through a read-only snapshot
    (tlx_keywords_df_t).  With no snapshot, or fewer than
    TLX_KEYWORDS_MIN_DOCS documents counted, a built-in prior is used:
    common news words get idf 1, other words 3, proper nouns 4.

    Where the counts come from: for a sampled article the enrich worker
    sends the body's terms with its result (tlx_keywords_terms()' list,
    made in the keyword pass by tlx_keywords_extract_terms); the writer adds
    1 to stats "df:" + term for each, and to "df:" (the document count N),
    in the commit txn (store/SCHEMA.md).  The enrich threads read the counts
    through a snapshot rebuilt every 30 s (worker/tlx_dfsnap.h); stale
    counts are fine.
*/
#ifndef TLX_KEYWORDS_H
#define TLX_KEYWORDS_H

#include <stddef.h>
#include <stdint.h>

#include "tlx_arena.h"
#include "tlx_record.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TLX_KEYWORDS_MAX 10
#define TLX_KEYWORDS_MIN_DOCS 50
/* Document-frequency terms sent per sampled article, at most: a news
   article has a few hundred; a huge one could send a million, each a
   random update of `stats` in the writer's txn. */
#define TLX_KEYWORDS_DF_TERMS_MAX 2000u

/* Read-only document-frequency snapshot.  df() returns in how many of the
   ndocs counted documents `term` (term[0..len), no NUL) occurs; it must be
   thread-safe for concurrent readers.  ctx is passed through. */
typedef struct tlx_keywords_df {
    uint64_t ndocs;
    uint64_t (*df)(void *ctx, const char *term, size_t len);
    void *ctx;
} tlx_keywords_df_t;

/*  Top (at most TLX_KEYWORDS_MAX) keywords of body[0..len), best first.
    tags: the record's tag line (may be NULL).  ents/nents: the record's
    entities (may be NULL/0): canonical names compete as keywords (tf =
    count; idf from df of the lowercased name, else 4, 1 for names made of
    common news words such as "North Korea"; MISC at half weight) and hide
    the single words and pairs they contain ("Kim", "Jong").  Entity
    keywords are borrowed from ents.  df: may be NULL.
    Out: strings and array in `arena` (n 0 when no term).
    Returns 0 or TLX_ENOMEM.  Linear in len. */
int tlx_keywords_extract(const char *body, size_t len, const tlx_strv_t *tags, const tlx_entity_t *ents,
                         uint32_t nents, const tlx_keywords_df_t *df, tlx_arena_t *arena, tlx_strv_t *out);

/*  tlx_keywords_extract, and the terms of tlx_keywords_terms from the same
    pass over the body: the first max_terms of them in the same order (the
    table's: a uniform sample), each followed by a NUL, in `arena`.
    *terms NULL and *terms_len 0 when the body has none.  Returns 0,
    TLX_ENOMEM or TLX_EAGAIN (the deadline, tlx_deadline.h). */
int tlx_keywords_extract_terms(const char *body, size_t len, const tlx_strv_t *tags, const tlx_entity_t *ents,
                               uint32_t nents, const tlx_keywords_df_t *df, uint32_t max_terms,
                               tlx_arena_t *arena, tlx_strv_t *out, char **terms, size_t *terms_len);

/*  The distinct terms of body[0..len) whose document frequency the writer
    increments at commit (same normalisation as tlx_keywords_extract; the
    two-word terms are included).  Out: arena strings, unsorted.
    Returns 0 or TLX_ENOMEM. */
int tlx_keywords_terms(const char *body, size_t len, tlx_arena_t *arena, tlx_strv_t *out);

#ifdef __cplusplus
}
#endif
#endif
