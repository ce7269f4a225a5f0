/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_structure.h -- article structure: title, tags, captions, byline,
    date, subheadings, credits, boilerplate, body, sentences, stats.

    Pure: works on normalized text (tlx_norm_text) and fills the record's
    structure fields with pointers into the arena.  Heuristics are generic
    (line shape, position, punctuation, credit words); site footers come
    from rule files (data/boilerplate/NAME.rules), not code, and from the
    lines learned per source (opts->learned, tlx_boiler.h).
*/
#ifndef TLX_STRUCTURE_H
#define TLX_STRUCTURE_H

#include <stddef.h>

#include "tlx_arena.h"
#include "tlx_boiler.h"
#include "tlx_record.h"
#include "tlx_text_opts.h"

/*  Fills title, tags, captions, authors, published_at, subheadings,
    credits, boilerplate, body, body_len, sentences and stats of *rec from
    normalized text (paragraphs separated by one blank line).
    opts->zone (tlx_tz.h; tlx_text_process() loads it for opts->tz) gives
    the offset for bylines without one, daylight saving time included;
    without a zone, opts->tz is looked up in a table of fixed-offset zones
    (Asia/Seoul, Asia/Tokyo, Asia/Pyongyang, Asia/Shanghai, UTC, ...);
    opts->day_first decides 03/04/2016.  rules may be NULL.
    opts->learned (may be NULL): a line learned as boilerplate for
    opts->source goes to boilerplate (after the rule matches) -- unless it
    is a credit, byline or tag line, which are recognized first, and unless
    no body or title would remain: learned lines are then the body.
    opts->layout_known (HTML input: the text is the article body alone, the
    headline, tags and subheadings come from the markup): no line is taken
    for the title, a tag line or a subheading; they stay in the body.
    Returns 0 or TLX_ENOMEM.  Linear in len. */
int tlx_structure_parse(const char *norm, size_t len, const tlx_text_opts_t *opts,
                        const tlx_boiler_rules_t *rules, tlx_arena_t *a, tlx_record_t *rec);

/*  Parses a date (and optional time) in the formats of bylines:
    2016-11-16 16:07, 2018.05.15, May 15, 2018, 15 May 2018, Nov. 16, 2016,
    16/11/2016 (day first when unambiguous or day_first).  Writes ISO 8601
    into out (at least 32 bytes): "2016-11-16T16:07:00+09:00" with a time,
    "2018-05-15" without.  tz: a fixed-offset zone as above (NULL = UTC).  0 or -1. */
int tlx_structure_date(const char *s, size_t len, const char *tz, int day_first, char *out);

/*  Reads a date that starts exactly at s (the forms above, and "Dec 28,2017",
    "09 Jul. 2025", "Aug 5th, 2019"), with a time after it when there is one
    ("18:02", "- 09:55", "9:45am").  Writes "YYYY-MM-DD" into out[32] and the
    bytes read (time included) into *used.  day_first for dd/dd/yyyy: 1 day
    first, 0 month first, -1 read only an unambiguous one.  0 or -1. */
int tlx_structure_date_at(const char *s, size_t len, int day_first, char *out, size_t *used);

#endif
