/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_dates.h -- dates mentioned in an English news body.

    Finds absolute and relative date expressions and resolves them against
    an anchor day (the article's published_at, else received_at) with the
    precision the text allows:
      "2016-11-16", "May 25, 2019", "25 May 2019"     -> 2019-05-25 (day)
      "May 25", "November 13", "the 13th", "on Monday",
      "yesterday", "eight days ago"                    -> day, year/month from the anchor
      "mid-March", "early July", "in April", "June 2019",
      "last month", "three months ago"                 -> 2024-03 (month)
      "last week"                                      -> 2024-W11 (ISO week)
      "in 2016", "mid-2016", "last year", "eight years ago" -> 2016 (year)
    Not dates: "since Kim Jong Un took power", "a year or two", "six months",
    "the 8th Party Congress", "February 30" (invalid day: dropped).
    A month/day without a year is put in the anchor's year unless that is
    more than 90 days after the anchor (then the year before; a little
    ahead is kept for scheduled events); a month alone later than the
    anchor's month is last year's ("in early July" in a May article): news
    reports the past.  A bare weekday is the most recent such day on or before the
    anchor; "next Monday" the first one after it.

    Pure: no globals, thread-safe.  Linear time in len (a bounded look-ahead
    of tokens per position); numbers longer than 4 digits are never dates.
*/
#ifndef TLX_DATES_H
#define TLX_DATES_H

#include <stddef.h>
#include <stdint.h>

#include "tlx_arena.h"
#include "tlx_record.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The day relative dates are resolved against; y == 0 means "unknown"
   (then only dates that carry their own year are reported). */
typedef struct {
    int y, m, d; /* m 1..12, d 1..31 */
} tlx_dates_anchor_t;

/*  Fills *out from `published_at` (ISO 8601, only the date part is used)
    when it parses, else from `received_at_ms` (Unix ms, UTC day) when it is
    > 0, else sets y = 0.  Returns 0. */
int tlx_dates_anchor(const char *published_at, int64_t received_at_ms, tlx_dates_anchor_t *out);

/*  Extracts the dates of body[0..len) in text order, without overlaps.
    out/n: *out is an array of *n dates (NULL/0 when none); text and value
    strings and the array are allocated in `arena`; spans are byte offsets
    into body.  Returns 0 or TLX_ENOMEM (then *out and *n are NULL and 0).
    Borrowed from arena; valid until it is reset. */
int tlx_dates_extract(const char *body, size_t len, const tlx_dates_anchor_t *anchor, tlx_arena_t *arena,
                      tlx_date_t **out, uint32_t *n);

#ifdef __cplusplus
}
#endif
#endif
