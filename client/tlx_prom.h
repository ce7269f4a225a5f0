/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_prom.h -- read a Prometheus /metrics page: parse, look up, compare.

    The parser takes the text exposition format 0.0.4 and returns a sample
    set: one sample per series line, with its metric name, its labels as
    key/value pairs (escapes \\ \" \n decoded) and its value as a double
    (NaN, +Inf and -Inf included).  Comments (# HELP, # TYPE, others) and
    blank lines are skipped; an optional timestamp is checked and ignored.
    A line that does not follow the grammar is skipped and counted
    (tlx_prom_bad_lines()), never fatal, so one odd series cannot hide the
    others.  Everything is bounded: input bytes, line length, labels per
    sample and samples per page (the TLX_PROM_MAX_* constants).

    A sample set is immutable once parsed; lookups are pure and may run from
    any number of threads.  tlx_prom_delta() turns two sets of counters
    (or histogram buckets) into a set of increases, so "rate over the last
    interval" is delta / seconds and "p99 over the last interval" is
    tlx_prom_quantile() on the delta.

    tlx_prom_fetch() is a minimal HTTP/1.0 GET over a plain TCP socket with
    one overall deadline; it is what `telex top` uses to read telexd.
*/
#ifndef TLX_PROM_H
#define TLX_PROM_H

#include <stddef.h>

#include "tlx_error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TLX_PROM_MAX_BYTES ((size_t)16 << 20) /* page size, parser input and fetch body */
#define TLX_PROM_MAX_LINE 65536               /* longer lines are bad lines */
#define TLX_PROM_MAX_LABELS 32                /* per sample; more is a bad line */
#define TLX_PROM_MAX_SAMPLES 262144           /* per page; more is TLX_ETOOBIG */

typedef struct {
    const char *key;
    const char *value;
} tlx_prom_label_t;

typedef struct {
    const char *name;
    const tlx_prom_label_t *labels; /* in page order */
    size_t nlabels;
    double value;
} tlx_prom_sample_t;

typedef struct tlx_prom tlx_prom_t;

/*  Parses text[0..len) (need not be NUL-terminated).
    Returns 0 and *out, or TLX_ETOOBIG (len > TLX_PROM_MAX_BYTES or more
    than TLX_PROM_MAX_SAMPLES samples), TLX_ENOMEM.  An input with no valid
    line at all is not an error: the set is empty and bad lines are counted.
    Caller owns *out; free with tlx_prom_destroy(). */
int tlx_prom_parse(const char *text, size_t len, tlx_prom_t **out);

/*  Frees the set and nulls *self_p; safe on NULL and twice. */
void tlx_prom_destroy(tlx_prom_t **self_p);

/*  Number of samples, and sample i (0 <= i < count) in page order.
    Borrowed; valid until the set is destroyed. */
size_t tlx_prom_count(const tlx_prom_t *self);
const tlx_prom_sample_t *tlx_prom_sample(const tlx_prom_t *self, size_t i);

/*  Lines skipped because they did not parse (comments and blanks excluded). */
size_t tlx_prom_bad_lines(const tlx_prom_t *self);

/*  Value of the first series named `name` that has label lkey="lval"
    (lval NULL: label lkey with any value; lkey NULL: the first series of
    that name, whatever its labels).
    Returns 0 and *value, or TLX_ENOTFOUND. */
int tlx_prom_get(const tlx_prom_t *self, const char *name, const char *lkey, const char *lval, double *value);

/*  Value of label `lkey` on the first series named `name` (e.g. the version
    of telex_build_info).  Returns the borrowed string or NULL. */
const char *tlx_prom_label(const tlx_prom_t *self, const char *name, const char *lkey);

/*  Sum over every series named `name` (e.g. telex_rejected_total over all
    reasons).  Returns 0 and *sum, or TLX_ENOTFOUND when there is none. */
int tlx_prom_sum(const tlx_prom_t *self, const char *name, double *sum);

/*  Estimates quantile q of histogram `base` (without the _bucket suffix)
    from its cumulative base_bucket{le="..."} series, as Prometheus's
    histogram_quantile() does for classic buckets: buckets of every series
    are added up by le (like sum by (le)), made monotonic, and the rank
    q * count is interpolated linearly inside the bucket it falls into,
    the lowest bucket starting at 0 (unless its bound is <= 0).  A rank in
    the +Inf bucket answers the highest finite bound.
    *value is NaN when there are no observations, fewer than two buckets or
    no +Inf bucket; -Inf for q < 0 and +Inf for q > 1.
    Returns 0 and *value, or TLX_ENOTFOUND when there are no buckets. */
int tlx_prom_quantile(const tlx_prom_t *self, const char *base, double q, double *value);

/*  The increase from `prev` to `cur` of every series of `cur`, matched by
    name and label set (label order does not matter): cur - prev, or cur
    itself when the series is new or went down (a counter reset: the
    process restarted and counted from 0).  Meaningful for counters and
    histogram series; gauges come out as differences too.  prev may be NULL
    (every series is new).  Returns 0 and *out, or TLX_ENOMEM.
    Caller owns *out; free with tlx_prom_destroy(). */
int tlx_prom_delta(const tlx_prom_t *prev, const tlx_prom_t *cur, tlx_prom_t **out);

/*  HTTP/1.0 GET http://host:port/path, the exchange (connect, send,
    receive) bounded by timeout_ms overall.  host is a name or an IPv4/IPv6
    literal (no brackets); names are resolved by getaddrinfo(), which the
    deadline does not cover.  The body is read to Content-Length,
    or to EOF without one.
    Returns 0 with *body (NUL-terminated, *len bytes before the NUL), or
      TLX_EIO        cannot resolve or connect, or the socket failed
                     (err: the system's reason, e.g. "Connection refused")
      TLX_EAGAIN     the deadline passed (err: "timed out after N ms")
      TLX_EMALFORMED the answer is not HTTP, is cut short, uses chunked
                     encoding, or its status is not 200 (err: the status
                     line, e.g. "HTTP/1.0 404 Not Found")
      TLX_ETOOBIG    the body exceeds TLX_PROM_MAX_BYTES
      TLX_EINVAL     port is not 1..65535, or host/path is empty
      TLX_ENOMEM
    err (errlen bytes, may be NULL) gets a one-line reason on failure.
    Caller owns *body; free with free().  Blocking; thread-safe. */
int tlx_prom_fetch(const char *host, int port, const char *path, int timeout_ms, char **body, size_t *len,
                   char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
