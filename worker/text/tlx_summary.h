/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_summary.h -- lead summary, sentence split and Flesch reading ease.

    Summary: the first 2-3 sentences of the body's first real paragraphs,
    at most TLX_SUMMARY_MAX_WORDS words (a first sentence longer than that
    is cut at a word boundary and ends with "..."), skipping paragraphs that
    are captions (equal to a record caption, "FILE PHOTO", "Image:", or
    ending in a parenthesised credit), datelines and bylines ("Kang Mi Jin |
    2016-11-16 16:07"), credits ("Translated by", "*Edited by"), "Read in
    Korean", and headings (no sentence-final punctuation).
    Flesch reading ease: 206.835 - 1.015 words/sentence - 84.6
    syllables/word over the same eligible paragraphs; syllables by vowel
    groups with a silent final "e" rule.

    Pure, thread-safe, linear in len.
*/
#ifndef TLX_SUMMARY_H
#define TLX_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "tlx_arena.h"
#include "tlx_record.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TLX_SUMMARY_MAX_WORDS 60
#define TLX_SUMMARY_MAX_SENTENCES 3

/*  Splits body[0..len) into sentences (used when the structure stage gave
    none): ends at . ! ? (plus closing quotes/brackets) before a space and an
    upper-case letter, digit or opening quote, and at every line break; not
    after common abbreviations (Mr., Dr., U.S., Jan., No.) or initials.
    Out: array in `arena` (NULL/0 for an empty body).  Returns 0 or
    TLX_ENOMEM. */
int tlx_summary_sentences(const char *body, size_t len, tlx_arena_t *arena, tlx_span_t **out, uint32_t *n);

/*  The lead summary (see above) into *summary (arena string, NULL when the
    body has no eligible sentence).  sentences/nsentences: sentence spans in
    body, or NULL/0 to split here.  caps/ncaps: the record's captions (may
    be NULL/0).  *flesch (may be NULL): reading ease, 0 when no words.
    Returns 0 or TLX_ENOMEM. */
int tlx_summary_lead(const char *body, size_t len, const tlx_span_t *sentences, uint32_t nsentences,
                     const tlx_caption_t *caps, uint32_t ncaps, tlx_arena_t *arena, const char **summary,
                     double *flesch);

/*  Syllables of one word (ASCII letters; others count as vowels-free). */
unsigned tlx_summary_syllables(const char *w, size_t n);

#ifdef __cplusplus
}
#endif
#endif
