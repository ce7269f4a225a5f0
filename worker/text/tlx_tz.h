/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_tz.h -- IANA time zones from the system's TZif files, for bylines
    that give a wall-clock time without an offset.

    A zone is loaded once, at resource-load time, into an immutable table of
    transitions (UTC instant -> UTC offset), the zone's POSIX rule (the TZif
    footer) expanded up to the year 2200; after that every lookup is a pure
    function of the table, safe from any number of threads.
*/
#ifndef TLX_TZ_H
#define TLX_TZ_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tlx_tz tlx_tz_t;

/* Where tlx_tz_load() looks when dir is NULL (Debian package tzdata). */
#define TLX_TZ_DIR "/usr/share/zoneinfo"

/*  Loads zone `name` ("America/New_York") from dir/name, a TZif file of
    version 2 or later (RFC 8536; its 64-bit section and footer are read).
    dir: NULL = TLX_TZ_DIR.  name must look like an IANA name: components
    of letters, digits, '_', '-', '+', each starting with a letter, joined
    by single '/' (so no "..", no absolute path, nothing outside dir).
    Returns 0 and *out (caller owns; free with tlx_tz_destroy()), or
    TLX_EINVAL (name rejected), TLX_ENOTFOUND (no such file), TLX_EIO,
    TLX_EMALFORMED (not a TZif v2+ file, or offsets beyond +-26 h), TLX_ENOMEM.
    Does I/O: call it when loading resources, not per article. */
int tlx_tz_load(const char *dir, const char *name, tlx_tz_t **out);

/*  Frees a zone; nulls *self_p.  Safe twice. */
void tlx_tz_destroy(tlx_tz_t **self_p);

/*  The zone's name as given to tlx_tz_load().  Borrowed; valid until destroy. */
const char *tlx_tz_name(const tlx_tz_t *self);

/*  Seconds since 1970-01-01T00:00 of the wall-clock time y-mo-d h:mi:s read
    as if it were UTC (the "local seconds" tlx_tz_offset() takes).  Any
    proleptic Gregorian date; no range check. */
int64_t tlx_tz_civil(int y, int mo, int d, int h, int mi, int s);

/*  UTC offset in seconds (east positive: New York in winter is -18000) in
    force at a LOCAL wall-clock time (from tlx_tz_civil()).  Times that do
    not exist (the gap when clocks go forward) and times that occur twice
    (the overlap when they go back) both get the offset in force before the
    transition, as RFC 5545 reads such times: New York 2016-03-13 02:30 is
    -05:00 (the same instant as 03:30 -04:00), 2016-11-06 01:30 is -04:00
    (its first occurrence).  Pure; thread-safe. */
int32_t tlx_tz_offset(const tlx_tz_t *self, int64_t local);

/*  UTC offset in seconds in force at a UTC instant (seconds since 1970).  Pure. */
int32_t tlx_tz_offset_utc(const tlx_tz_t *self, int64_t utc);

/*  Writes an offset as "+09:00" / "-04:00" into out (at least 7 bytes),
    rounded to the minute (only local mean time before ~1900 has seconds). */
void tlx_tz_format_offset(int32_t offset, char *out);

#ifdef __cplusplus
}
#endif
#endif
