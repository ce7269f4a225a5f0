/* SPDX-License-Identifier: Apache-2.0 */
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
    or straight (a straight mark opens after a space, a bracket or sentence
    punctuation: 'textbooks."The government ...'); single curly marks
    outside double ones ('the win ‘would lift the squad’') when a closing ’
    not followed by a letter comes in the same paragraph (apostrophes are
    never delimiters); a quote running over paragraphs (the opening mark
    repeated at each paragraph start) is one quote; an unclosed quote ends
    at its paragraph's end, or at the body end when the excerpt is cut
    there (then kept however short); a closing mark whose opening mark was
    lost, followed by an attribution, opens the quote at its paragraph
    start (after a lead-in colon); nested quotes stay inside the outer one.
    Quotes in a headline-like line (one short sentence without final
    punctuation, not the last line, not a bullet) are left out.  A quote of
    fewer than 4 words is kept only when its sentence attributes it (a
    reporting or stance verb, "according to", an attributed quote before it
    in the same sentence), and not when it is a name or title (every word
    capitalised), follows "so-called", "titled", "dubbed" ..., or repeats
    a short term quoted before ("loyalty funds" ... "loyalty fund").
    Feeds that lost every quotation mark ("... source said, In the majority
    of cases ..."): when a paragraph without marks shows "said, <Capital>"
    the body is taken as damaged, and paragraphs without marks are read as
    direct speech after "<speaker> said, " or before a final ", <speaker>
    <verb>." (the last sentence only); undamaged bodies keep that form as
    reported speech, not a quote.
    Speaker, from the quote's sentence (sentence ends skip abbreviations
    such as "U.S." and "Ltd."): after the quote in either order (", the
    source said", ", said Gene Munster, an analyst at ...", "…” Kim told
    reporters", "…” in May, a monitoring group said"; a quote ending its
    own sentence takes "Kim said." but not "Kim noted that ..."), else
    before it ("X told reporters that “", "According to X, “", "according
    to imagery analysed by X, “", "X called it a “", "which X calls “",
    "X, chief officer of Y, said", "X slammed ... and warned of “"), else
    the speaker of an attributed quote earlier in the same sentence or of
    the quote just before (same or next paragraph), else the sentence's
    subject when it is a person or body entity.  The phrase resolves to:
    a person entity inside it (a surname alone grows to the full name
    written earlier), a body entity inside it, the body that issued a
    document ("the report adds"), the latest person for a pronoun or a role
    noun ("she added", "the minister said"; also a name the entity stage
    missed, written as the subject of a reporting verb), the previous
    non-person speaker for "it", the latest matching body for "the
    ministry", the source entry for a sourcing phrase ("the source"
    resolves to the latest source phrase, by location when it gives one),
    else the phrase as written.  `attribution` is direct when the quote's
    sentence names the speaker, inferred when it came from elsewhere.

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
    The quote text is the words between the marks as written (inner
    punctuation kept) without the repeated paragraph-opening marks; the
    span covers the marks.  Speaker strings are either borrowed from
    sources/ents or allocated in `arena`.
    Returns 0 or TLX_ENOMEM.  Borrowed until the arena is reset. */
int tlx_quotes_extract(const char *body, size_t len, const tlx_source_t *sources, uint32_t nsources,
                       const tlx_entity_t *ents, uint32_t nents, tlx_arena_t *arena, tlx_quote_t **out,
                       uint32_t *n);

#ifdef __cplusplus
}
#endif
#endif
