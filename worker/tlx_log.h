/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_log.h -- one log line per event: logfmt or JSON, to stderr, syslog or a sink.

    Contract
    --------
    * Never log article text or keys (CURVE secrets, LMDB keys that embed
      article content) at the default level (info) or above.  Log ids, counts,
      sizes, reasons.  debug may carry more, but is never on by default.
    * tlx_log(level, msg, fmt, ...): msg is a short fixed description ("listening",
      "dead-lettered"); what varies goes into fmt as logfmt pairs
      `key=value key="quoted \"value\""`.  Keep msg constant: the rate limiter
      groups lines by (level, msg text).
    * Default output is logfmt on stderr:
          ts=2024-05-01T12:00:00.123Z level=info msg="listening" endpoint=tcp://0.0.0.0:5555
      ts is UTC wall-clock time with milliseconds.  Control characters in msg or
      in the formatted fragment are escaped (\n, \r, \t, \u00XX) so one event is
      always one line; `"` and `\` in msg are escaped.
    * TLX_LOG_FMT_JSON prints one object per line:
          {"ts":"...","level":"info","msg":"listening","endpoint":"tcp://0.0.0.0:5555"}
      The fragment is parsed as logfmt: bare values that are plain decimal
      integers (-?(0|[1-9][0-9]*), at most 20 digits) become JSON numbers, other
      values strings; a key without '=' becomes `true`; tokens that are not
      key[=value] go, space-joined, into "_unparsed".  Fragment keys that clash
      with ts, level, msg or suppressed get a leading '_'; other duplicate keys
      are passed through as the caller wrote them.  Strings are escaped for
      JSON: `"` and `\` as \" and \\, control characters and DEL as \u00XX;
      bytes that are not valid UTF-8 become U+FFFD.  The output is valid JSON
      for any input.
    * Lines are at most TLX_LOG_LINE_MAX bytes; the formatted fragment at most
      TLX_LOG_FRAGMENT_MAX.  A cut line ends with `truncated=true`
      ("truncated":true in JSON) and stays well-formed.
    * Rate limit: a (level, msg) seen more than `burst` times within `window_ms`
      (monotonic clock; default 20 per 10 s) is dropped until its window ends.
      The first line of that (level, msg) in a later window carries
      `suppressed=K`, K lines dropped.  The table has TLX_LOG_RATE_SLOTS slots;
      when full the least recently seen entry is evicted and its pending count
      is then only visible in tlx_log_suppressed_total().
    * Thread-safe: one mutex guards the configuration, the rate table and the
      output; each line is one write (or one syslog call, or one sink call).
      Not async-signal-safe: do not log from signal handlers.  errno is
      preserved across tlx_log.

    Setters may be called at any time, from any thread.
*/
#ifndef TLX_LOG_H
#define TLX_LOG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TLX_LOG_LINE_MAX 8192
#define TLX_LOG_FRAGMENT_MAX 4096
#define TLX_LOG_RATE_SLOTS 64

typedef enum { TLX_LOG_ERROR, TLX_LOG_WARN, TLX_LOG_INFO, TLX_LOG_DEBUG } tlx_log_level_t;
typedef enum { TLX_LOG_FMT_LOGFMT, TLX_LOG_FMT_JSON } tlx_log_format_t;

/*  Lines above `level` are dropped before formatting.  Default TLX_LOG_INFO. */
void tlx_log_set_level(tlx_log_level_t level);
tlx_log_level_t tlx_log_get_level(void);
/*  Parses "error|warn|info|debug"; -1 if unknown or NULL. */
int tlx_log_parse_level(const char *s);

/*  Selects the line format.  Default TLX_LOG_FMT_LOGFMT. */
void tlx_log_set_format(tlx_log_format_t format);
/*  Parses "logfmt|json"; -1 if unknown or NULL. */
int tlx_log_parse_format(const char *s);

/*  on != 0: lines go to syslog(3) instead of stderr, without the ts field
    (syslog stamps them), no trailing newline; openlog(ident, LOG_PID,
    LOG_DAEMON); priority LOG_ERR / LOG_WARNING / LOG_INFO / LOG_DEBUG by level.
    ident is copied (at most 63 bytes); NULL means the program name.
    on == 0: closelog() and back to stderr.  A sink, when set, still wins. */
void tlx_log_set_syslog(int on, const char *ident);

/*  burst > 0 and window_ms > 0: at most `burst` lines per (level, msg) per
    window.  burst <= 0 or window_ms <= 0 disables the limiter.  When the
    settings change the table is cleared (pending suppressed counts are
    forgotten; the total is kept); the same settings again (a SIGHUP that
    changes nothing) keep it.  Default: 20, 10000. */
void tlx_log_set_rate_limit(int burst, int window_ms);
/*  Lines dropped by the rate limiter since start (for metrics). */
uint64_t tlx_log_suppressed_total(void);

/*  Receives every line instead of stderr/syslog, for tests and embedding.
    line is exactly what would have been written, trailing '\n' included (and
    no ts field when syslog is on); borrowed, valid during the call.  fn is
    called with the log mutex held: it must not call tlx_log.  fn NULL
    restores stderr (or syslog, if on). */
typedef void (*tlx_log_sink_fn)(void *ctx, int level, const char *line, size_t len);
void tlx_log_set_sink(tlx_log_sink_fn fn, void *ctx);

/*  Logs msg at level; fmt (may be NULL) continues the line with key=value
    pairs, e.g. tlx_log(TLX_LOG_INFO, "listening", "endpoint=%s", ep).
    msg must not be NULL. */
void tlx_log(tlx_log_level_t level, const char *msg, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#ifdef __cplusplus
}
#endif
#endif
