/*  tlx_quotes.h -- sourcing phrases and quotes with their speakers.

    Sources (tlx_quotes_sources): every phrase that names where a report
    comes from: "a source in North Pyongan Province", "a Daily NK source in
    Russia", "a South Hamgyong Province-based source", "an official with the
    Ryanggang Provincial People's Committee", "Daily NK's sources inside
    North Korea", and the anonymity formulas ("speaking on condition of
    anonymity", "who asked not to be named", "requested anonymity").
    `anonymous` is false only when the phrase contains a person entity or
    follows one as an appositive ("Kim Chol, a trader in Hyesan, ...").
    `location` is the place after in/from/inside/within/based in, the X of
    "X-based" or a capitalised pre-modifier ("a North Hamgyong source"), the
    province of a "... Provincial ..." body; for an anonymity formula, the
    location of the source phrase in the same sentence.  A definite re-mention
    ("the source", "the North Hamgyong Province-based source") is not a new
    source unless it brings a location not seen before.  "a steady source of
    bribe money" is not a sourcing phrase; "official(s)" counts only next to
    a reporting verb or "according to".

    Quotes (tlx_quotes_extract): text between double quotation marks, curly
    or straight; a quote running over paragraphs (the opening mark repeated
    at each paragraph start, no closing mark before the break) is one quote;
    an unclosed quote ends at its paragraph's end; nested curly quotes stay
    inside the outer one; single quotes are never delimiters (apostrophes).
    Scare quotes (fewer than 4 words and no attribution) are dropped.
    Feeds that lost every quotation mark ("... source said, In the majority
    of cases ..."): when a paragraph without marks shows "<verb>, <Capital>"
    the body is taken as damaged, and paragraphs without marks are read as
    direct speech after "<speaker> said, " or before a final ", <speaker>
    <verb>." (the last sentence only); undamaged bodies keep that form as
    reported speech, not a quote.
    Speaker: from the clause after the quote (", the source said", ", said a
    ... source on May 25") or before it ("X told Daily NK that", "According
    to the source,", "He added:"); pronouns and quotes without attribution
    that follow a quote in the same or next paragraph take the previous
    speaker; "the source" resolves to the latest source phrase before the
    quote (by location when it gives one); names resolve to the canonical of
    an entity whose span overlaps the speaker phrase; else the phrase text.

    Pure: thread-safe, linear in len (every look-around is bounded).
*/
#ifndef TLX_QUOTES_H
#define TLX_QUOTES_H

#include <stddef.h>
#include <stdint.h>

#include "tlx_arena.h"
#include "tlx_record.h"

#ifdef __cplusplus
extern "C" {
#endif

/*  Finds the sourcing phrases of body[0..len) in text order.
    ents/nents: the record's entities (may be NULL/0) to tell named from
    anonymous sources.  Out: array and strings in `arena` (NULL/0 when
    none).  Returns 0 or TLX_ENOMEM.  Borrowed until the arena is reset. */
int tlx_quotes_sources(const char *body, size_t len, const tlx_entity_t *ents, uint32_t nents,
                       tlx_arena_t *arena, tlx_source_t **out, uint32_t *n);

/*  Finds the quotes of body[0..len) in text order with their speakers.
    sources/nsources: from tlx_quotes_sources() on the same body (may be
    NULL/0; then "the source" stays "the source").  ents/nents: as above.
    The quote text has its marks, the repeated paragraph-opening marks and a
    trailing comma removed; the span covers the marks.  Speaker strings are
    either borrowed from sources/ents or allocated in `arena`.
    Returns 0 or TLX_ENOMEM.  Borrowed until the arena is reset. */
int tlx_quotes_extract(const char *body, size_t len, const tlx_source_t *sources, uint32_t nsources,
                       const tlx_entity_t *ents, uint32_t nents, tlx_arena_t *arena, tlx_quote_t **out,
                       uint32_t *n);

#ifdef __cplusplus
}
#endif
#endif
