/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_datefmt.h -- the date forms of date lines, bylines and datelines:
    2016-11-16 16:07, 2018.05.15, 2019/03/04, 16/11/2016, 04.03.2019,
    May 15, 2018, Dec 28,2017, Nov. 16, 2016, Aug 5th, 2019, 15 May 2018,
    09 Jul. 2025, 18:02, with a time after the date ("- 09:55", "9:45am").
    Shared by the layout model's features (tlx_layout.h) and the structure
    stage (tlx_structure.h).  Pure, bounded: every read stops within a few
    dozen bytes of its start.
*/
#ifndef TLX_DATEFMT_H
#define TLX_DATEFMT_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    int y, m, d;
    int hh, mm; /* -1 when no time follows the date */
} tlx_datefmt_civil_t;

/*  Reads a date (and a time after it) starting exactly at s.  day_first
    for dd/dd/yyyy: 1 day first, 0 month first, -1 read only an unambiguous
    one.  *used: bytes read.  0 or TLX_EMALFORMED. */
int tlx_datefmt_parse(const char *s, size_t len, int day_first, tlx_datefmt_civil_t *c, size_t *used);

/*  A month name or abbreviation at s ("March", "Sept.", "dec"): 1..12 and
 *used (the word and a following '.'), or 0. */
int tlx_datefmt_month(const char *s, size_t len, size_t *used);

/*  The lowercase English name of month m ("january" for 1), or NULL
    outside 1..12.  Static. */
const char *tlx_datefmt_month_name(int m);

/*  Days in month m (1..12) of year y, Gregorian. */
int tlx_datefmt_mdays(int y, int m);

/*  The numeric year-first form starting exactly at s: YYYY, a separator
    from `seps`, M or MM, the same separator, D or DD ("2016-11-16",
    "2018.05.15", "2019/03/04" with seps "-./").  Any four-digit year; the
    month and day must make a real day of it.  *used: bytes read.  0 or
    TLX_EMALFORMED. */
int tlx_datefmt_ymd(const char *s, size_t len, const char *seps, int *y, int *m, int *d, size_t *used);

/*  1 when y-m-d is a real day of 1900..2200. */
int tlx_datefmt_valid(int y, int m, int d);

/*  Up to maxdig digits at s[*i] (advancing *i); -1 when there are none or more. */
int tlx_datefmt_num(const char *s, size_t len, size_t *i, int maxdig);

/*  A four-digit year at s[*i] (advancing *i), or -1. */
int tlx_datefmt_year(const char *s, size_t len, size_t *i);

#ifdef __cplusplus
}
#endif
#endif
