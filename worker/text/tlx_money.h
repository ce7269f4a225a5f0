/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_money.h -- amounts of money and other quantities in a news body.

    Money: a number (digits with thousands commas and decimals, optionally
    followed by thousand/million/billion/trillion) with a currency given by
    a symbol or ISO code before it ("$100", "US$5", "USD 700", "KPW 8,000",
    "€3", "£2", "₩1,000") or a currency word after it ("5,800 won",
    "1.5 million yuan", "300 dollars", "20 US dollars", "10 euros", "RMB"
    after the number too).  A bare "won" / "₩" is decided in this order:
    an explicit "North Korean won" / "South Korean won"; the sentence
    (North Korea, Pyongyang, DPRK, jangmadang vs South Korea, Seoul, ROK);
    the caller's default currency when it is KPW or KRW; the whole body;
    finally KPW when the body mentions North Korea at all, else KRW.
    Quantities: percentages ("70%", "70 percent", "70 per cent"; unit
    "percent") and other numbers written with digits ("30,000", "2,000
    tons"; unit = the following unit word when it is a known one, else
    NULL).  Not quantities: ordinals ("13th"), year-like numbers 1900-2100
    without a unit, numbers glued to letters ("G20"), numbers inside spans
    the caller asks to skip (date spans), and digit runs longer than 24
    digits (a million digits is an answer with no amount, never a crash).

    Pure: thread-safe, linear in len.
*/
#ifndef TLX_MONEY_H
#define TLX_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "tlx_arena.h"
#include "tlx_record.h"

#ifdef __cplusplus
extern "C" {
#endif

/*  Extracts money and quantities of body[0..len) in text order.
    default_currency: ISO 4217 code used for a bare "won" (see above) or
    NULL.  skip/nskip: spans (sorted by start, non-overlapping, e.g. the
    record's dates) whose numbers are not quantities; may be NULL/0.
    Out: arrays and strings allocated in `arena` (NULL/0 when none); spans
    are byte offsets into body.  Either output pair may be NULL to skip it.
    Returns 0 or TLX_ENOMEM.  Borrowed from arena until it is reset. */
int tlx_money_extract(const char *body, size_t len, const char *default_currency, const tlx_span_t *skip,
                      uint32_t nskip, tlx_arena_t *arena, tlx_money_t **money, uint32_t *nmoney,
                      tlx_quantity_t **qty, uint32_t *nqty);

#ifdef __cplusplus
}
#endif
#endif
