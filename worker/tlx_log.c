/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_log.c -- logfmt / JSON logger with a rate limiter (see tlx_log.h).

    How: tlx_log() checks the level without locking, then takes one mutex for
    everything else -- rate decision, formatting into static buffers, output --
    so lines leave in timestamp order and each is a single write(2), syslog(3)
    or sink call.  The caller's fragment is printed with vsnprintf, then either
    copied (logfmt, control characters escaped) or parsed as logfmt and
    re-emitted as JSON fields.  Output goes through a bounded builder that keeps
    a reserved tail, so a cut line can still close its quote/object and carry
    suppressed= and truncated=.

    Rate limiter: fixed windows per (level, msg text) in a 64-slot table,
    linear probing over 8 slots, evicting the least recently seen.  Keyed by
    text, not by pointer: some callers build msg at run time (store errors), and
    the same text must count as one source.  A slot keeps a 64-bit hash, the
    length and a 48-byte prefix; a false match needs a 64-bit hash collision on
    equal-length strings with the same prefix.

    Rejected: a token bucket (smoother, but no natural point to report "K
    dropped"); an unbounded hash map (a bug that logs unique messages would
    grow it without limit); formatting outside the lock in per-thread buffers
    (the rate table needs the lock anyway, and lines would interleave out of
    timestamp order); fprintf(stderr) (several writes for a long line).
*/
#include "tlx_log.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "tlx_clock.h"
#include "tlx_error.h"
#include "tlx_hash.h"

#define S_TAIL 64   /* reserved for closing quote, suppressed=, truncated=, '}' and '\n' */
#define S_PROBE 8   /* slots probed per (level, msg) */
#define S_PREFIX 48 /* msg bytes kept per slot */

static const char *const s_names[] = {"error", "warn", "info", "debug"};
static const int s_prios[] = {LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG};

static atomic_int s_level = TLX_LOG_INFO;
static atomic_uint_fast64_t s_suppressed_total;

/* Everything below is guarded by s_mutex. */
static pthread_mutex_t s_mutex = PTHREAD_MUTEX_INITIALIZER;
static tlx_log_format_t s_format = TLX_LOG_FMT_LOGFMT;
static int s_syslog;
static char s_ident[64];
static tlx_log_sink_fn s_sink;
static void *s_sink_ctx;
static char s_frag[TLX_LOG_FRAGMENT_MAX];
static char s_line[TLX_LOG_LINE_MAX];

typedef struct {
    uint64_t hash, window_start, last_seen, suppressed;
    uint32_t count, len;
    int level, used;
    char text[S_PREFIX];
} s_slot_t;

static s_slot_t s_slots[TLX_LOG_RATE_SLOTS];
static int s_burst = 20;
static uint64_t s_window_ns = 10000ull * 1000000ull;

/* ---- levels, formats, configuration ---------------------------------- */

void tlx_log_set_level(tlx_log_level_t level)
{
    assert(level >= TLX_LOG_ERROR && level <= TLX_LOG_DEBUG);
    atomic_store_explicit(&s_level, (int)level, memory_order_relaxed);
}

tlx_log_level_t tlx_log_get_level(void)
{
    return (tlx_log_level_t)atomic_load_explicit(&s_level, memory_order_relaxed);
}

int tlx_log_parse_level(const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; i < 4; i++)
        if (strcmp(s, s_names[i]) == 0)
            return i;
    return -1;
}

void tlx_log_set_format(tlx_log_format_t format)
{
    assert(format == TLX_LOG_FMT_LOGFMT || format == TLX_LOG_FMT_JSON);
    pthread_mutex_lock(&s_mutex);
    s_format = format;
    pthread_mutex_unlock(&s_mutex);
}

int tlx_log_parse_format(const char *s)
{
    if (!s)
        return -1;
    if (strcmp(s, "logfmt") == 0)
        return TLX_LOG_FMT_LOGFMT;
    if (strcmp(s, "json") == 0)
        return TLX_LOG_FMT_JSON;
    return -1;
}

void tlx_log_set_syslog(int on, const char *ident)
{
    pthread_mutex_lock(&s_mutex);
    if (on) {
        /* openlog keeps the pointer: hand it our copy, not the caller's */
        if (ident)
            snprintf(s_ident, sizeof s_ident, "%s", ident);
        openlog(ident ? s_ident : NULL, LOG_PID, LOG_DAEMON);
        s_syslog = 1;
    } else if (s_syslog) {
        closelog();
        s_syslog = 0;
    }
    pthread_mutex_unlock(&s_mutex);
}

void tlx_log_set_sink(tlx_log_sink_fn fn, void *ctx)
{
    pthread_mutex_lock(&s_mutex);
    s_sink = fn;
    s_sink_ctx = fn ? ctx : NULL;
    pthread_mutex_unlock(&s_mutex);
}

/* ---- rate limiter ----------------------------------------------------- */

void tlx_log_set_rate_limit(int burst, int window_ms)
{
    pthread_mutex_lock(&s_mutex);
    int nb = burst <= 0 || window_ms <= 0 ? 0 : burst;
    uint64_t nw = nb ? (uint64_t)window_ms * 1000000ull : s_window_ns;
    /* The same settings again (every SIGHUP applies the configuration)
       keep the windows and counts: a burst of reloads must not let a
       flood of one message through. */
    if (nb != s_burst || nw != s_window_ns) {
        s_burst = nb;
        s_window_ns = nw;
        memset(s_slots, 0, sizeof s_slots);
    }
    pthread_mutex_unlock(&s_mutex);
}

uint64_t tlx_log_suppressed_total(void)
{
    return atomic_load_explicit(&s_suppressed_total, memory_order_relaxed);
}

static int s_slot_matches(const s_slot_t *s, uint64_t h, int level, const char *msg, size_t len)
{
    return s->hash == h && s->level == level && s->len == len &&
           memcmp(s->text, msg, len < S_PREFIX ? len : S_PREFIX) == 0;
}

/*  1 if the line may go out, 0 if dropped.  *pending: lines dropped in the
    previous window of this (level, msg), to be reported on this line. */
static int s_rate_admit(int level, const char *msg, uint64_t now, uint64_t *pending)
{
    *pending = 0;
    if (s_burst <= 0)
        return 1;
    size_t len = strlen(msg);
    uint64_t h = tlx_fnv1a(TLX_FNV1A_OFFSET ^ (uint64_t)level, msg, len);

    /* Slots are only ever replaced, never emptied one by one, so an empty slot
       ends the probe: the key cannot sit further along. */
    s_slot_t *s = NULL, *victim = NULL;
    for (int i = 0; i < S_PROBE; i++) {
        s_slot_t *c = &s_slots[(h + (uint64_t)i) % TLX_LOG_RATE_SLOTS];
        if (!c->used) {
            victim = c;
            break;
        }
        if (s_slot_matches(c, h, level, msg, len)) {
            s = c;
            break;
        }
        if (!victim || c->last_seen < victim->last_seen)
            victim = c;
    }
    if (!s) {
        s = victim;
        memset(s, 0, sizeof *s);
        s->used = 1;
        s->hash = h;
        s->level = level;
        s->len = (uint32_t)len;
        memcpy(s->text, msg, len < S_PREFIX ? len : S_PREFIX);
        s->window_start = now;
    }
    s->last_seen = now;
    if (now - s->window_start >= s_window_ns) {
        *pending = s->suppressed;
        s->suppressed = 0;
        s->count = 0;
        s->window_start = now;
    }
    if (s->count >= (uint32_t)s_burst) {
        s->suppressed++;
        atomic_fetch_add_explicit(&s_suppressed_total, 1, memory_order_relaxed);
        return 0;
    }
    s->count++;
    return 1;
}

/* ---- bounded line builder --------------------------------------------- */

typedef struct {
    char *buf;
    size_t len, lim; /* content stops at lim; the S_TAIL bytes after it are for s_tail */
    int full;        /* something did not fit: the line is cut */
} s_buf_t;

static int s_put(s_buf_t *b, const char *s, size_t n)
{
    if (b->full || b->len + n > b->lim) {
        b->full = 1;
        return TLX_ETOOBIG;
    }
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    return 0;
}

static int s_puts(s_buf_t *b, const char *s)
{
    return s_put(b, s, strlen(s));
}

/* Writes into the reserved tail: closing delimiters and the trailing fields. */
static void s_tail(s_buf_t *b, const char *s)
{
    size_t n = strlen(s);
    assert(b->len + n <= TLX_LOG_LINE_MAX);
    memcpy(b->buf + b->len, s, n);
    b->len += n;
}

/* \n \r \t, else \u00XX: for logfmt, where `\uXXXX` is what Go's strconv reads. */
static int s_put_ctl(s_buf_t *b, unsigned char c, int short_forms)
{
    char e[8];
    if (short_forms && c == '\n')
        return s_put(b, "\\n", 2);
    if (short_forms && c == '\r')
        return s_put(b, "\\r", 2);
    if (short_forms && c == '\t')
        return s_put(b, "\\t", 2);
    snprintf(e, sizeof e, "\\u%04x", c);
    return s_put(b, e, 6);
}

static int s_is_ctl(unsigned char c)
{
    return c < 0x20 || c == 0x7f;
}

static void s_put_ts(s_buf_t *b, int json)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char t[64];
    int n = snprintf(t, sizeof t,
                     json ? "\"ts\":\"%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ\","
                          : "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ ",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                     ts.tv_nsec / 1000000);
    s_put(b, t, (size_t)n);
}

/* ---- logfmt ----------------------------------------------------------- */

static void s_logfmt_msg(s_buf_t *b, const char *msg)
{
    if (s_puts(b, "msg=\"") < 0)
        return;
    for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
        int rc;
        if (*p == '"')
            rc = s_put(b, "\\\"", 2);
        else if (*p == '\\')
            rc = s_put(b, "\\\\", 2);
        else if (s_is_ctl(*p))
            rc = s_put_ctl(b, *p, 1);
        else
            rc = s_put(b, (const char *)p, 1);
        if (rc < 0)
            break;
    }
    s_tail(b, "\"");
}

/*  The caller's fragment, verbatim except control characters.  Tracks quoting
    so that a cut inside a quoted value can still be closed. */
static void s_logfmt_fragment(s_buf_t *b, const char *f, size_t n, int cut)
{
    int in_quote = 0, esc = 0;
    if (s_put(b, " ", 1) < 0)
        return;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)f[i];
        if ((s_is_ctl(c) ? s_put_ctl(b, c, 1) : s_put(b, (const char *)&c, 1)) < 0)
            break;
        if (esc)
            esc = 0;
        else if (in_quote && c == '\\')
            esc = 1;
        else if (c == '"')
            in_quote = !in_quote;
    }
    if (b->full || cut) {
        if (esc)
            s_tail(b, "\\"); /* `\` + `\` + `"`: an escaped backslash, then the close */
        if (in_quote)
            s_tail(b, "\"");
    }
}

static void s_format_logfmt(s_buf_t *b, int with_ts, int level, const char *msg, const char *frag,
                            size_t flen, uint64_t pending, int cut)
{
    if (with_ts)
        s_put_ts(b, 0);
    s_puts(b, "level=");
    s_puts(b, s_names[level]);
    s_puts(b, " ");
    s_logfmt_msg(b, msg);
    if (flen)
        s_logfmt_fragment(b, frag, flen, cut);
    char t[48];
    if (pending) {
        snprintf(t, sizeof t, " suppressed=%llu", (unsigned long long)pending);
        s_tail(b, t);
    }
    if (cut || b->full)
        s_tail(b, " truncated=true");
    s_tail(b, "\n");
}

/* ---- JSON ------------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (2..4), 0 if invalid (RFC 3629). */
static size_t s_utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
#define S_CONT(i) (n > (i) && (s[i] & 0xC0) == 0x80)
    if (c < 0xC2)
        return 0;
    if (c < 0xE0)
        return S_CONT(1) ? 2 : 0;
    if (c < 0xF0) {
        if (!S_CONT(1) || !S_CONT(2) || (c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0))
            return 0; /* overlong, or a UTF-16 surrogate */
        return 3;
    }
    if (c < 0xF5) {
        if (!S_CONT(1) || !S_CONT(2) || !S_CONT(3) || (c == 0xF0 && s[1] < 0x90) ||
            (c == 0xF4 && s[1] >= 0x90))
            return 0; /* overlong, or above U+10FFFF */
        return 4;
    }
    return 0;
#undef S_CONT
}

/*  JSON string content.  unescape: s is the inside of a logfmt quoted value,
    whose \" and \\ are decoded first (ASCII, so never inside a UTF-8 sequence). */
static int s_json_chars(s_buf_t *b, const char *s, size_t n, int unescape)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned char c = u[i];
        int rc;
        size_t step = 1;
        if (unescape && c == '\\' && i + 1 < n && (u[i + 1] == '"' || u[i + 1] == '\\')) {
            c = u[i + 1];
            step = 2;
        }
        if (c == '"')
            rc = s_put(b, "\\\"", 2);
        else if (c == '\\')
            rc = s_put(b, "\\\\", 2);
        else if (s_is_ctl(c))
            rc = s_put_ctl(b, c, 0);
        else if (c < 0x80)
            rc = s_put(b, (const char *)&c, 1);
        else if ((step = s_utf8_len(u + i, n - i)) > 0)
            rc = s_put(b, s + i, step);
        else {
            step = 1;
            rc = s_put(b, "\xEF\xBF\xBD", 3); /* U+FFFD */
        }
        if (rc < 0)
            return rc;
        i += step;
    }
    return 0;
}

static int s_is_sep(unsigned char c)
{
    return c <= 0x20 || c == 0x7f;
}

static int s_is_reserved(const char *k, size_t n)
{
    static const char *const r[] = {"ts", "level", "msg", "suppressed"};
    for (size_t i = 0; i < sizeof r / sizeof *r; i++)
        if (strlen(r[i]) == n && memcmp(r[i], k, n) == 0)
            return 1;
    return 0;
}

/* -?(0|[1-9][0-9]*), at most 20 digits: fits int64/uint64, valid JSON. */
static int s_is_integer(const char *v, size_t n)
{
    size_t i = (n > 0 && v[0] == '-') ? 1 : 0;
    size_t digits = n - i;
    if (digits == 0 || digits > 20 || (digits > 1 && v[i] == '0'))
        return 0;
    for (; i < n; i++)
        if (v[i] < '0' || v[i] > '9')
            return 0;
    return 1;
}

typedef enum { S_TOK_PAIR, S_TOK_FLAG, S_TOK_JUNK } s_tok_kind_t;
typedef struct {
    s_tok_kind_t kind;
    const char *k, *v; /* JUNK: the whole token in k/klen */
    size_t klen, vlen;
    int quoted;
} s_tok_t;

/* Past the quoted string at p (p[0] == '"'); *closed = 0 if it runs to the end. */
static const char *s_skip_quoted(const char *p, const char *end, int *closed)
{
    for (p++; p < end; p++) {
        if (*p == '\\' && p + 1 < end)
            p++;
        else if (*p == '"') {
            *closed = 1;
            return p + 1;
        }
    }
    *closed = 0;
    return end;
}

static const char *s_skip_token(const char *p, const char *end)
{
    int closed;
    while (p < end && !s_is_sep((unsigned char)*p))
        p = *p == '"' ? s_skip_quoted(p, end, &closed) : p + 1;
    return p;
}

/*  One logfmt token: key=value, key="quoted", key (a flag), or junk (a
    token starting with '=' or '"', or a key glued to a quote or followed by
    text after its closing quote).  0 at the end of the fragment. */
static int s_next_token(const char **pp, const char *end, s_tok_t *t)
{
    const char *p = *pp;
    while (p < end && s_is_sep((unsigned char)*p))
        p++;
    if (p == end)
        return 0;
    const char *start = p;
    memset(t, 0, sizeof *t);
    if (*p == '"' || *p == '=')
        goto junk;
    while (p < end && !s_is_sep((unsigned char)*p) && *p != '=' && *p != '"')
        p++;
    t->k = start;
    t->klen = (size_t)(p - start);
    if (p == end || s_is_sep((unsigned char)*p)) {
        t->kind = S_TOK_FLAG;
        *pp = p;
        return 1;
    }
    if (*p == '"')
        goto junk;
    p++; /* '=' */
    t->kind = S_TOK_PAIR;
    if (p < end && *p == '"') {
        int closed;
        const char *q = s_skip_quoted(p, end, &closed);
        if (q < end && !s_is_sep((unsigned char)*q))
            goto junk;
        t->quoted = 1;
        t->v = p + 1;
        t->vlen = (size_t)(q - t->v) - (closed ? 1 : 0);
        *pp = q;
        return 1;
    }
    t->v = p;
    while (p < end && !s_is_sep((unsigned char)*p))
        p++;
    t->vlen = (size_t)(p - t->v);
    *pp = p;
    return 1;
junk:
    t->kind = S_TOK_JUNK;
    t->k = start;
    *pp = s_skip_token(start, end);
    t->klen = (size_t)(*pp - start);
    return 1;
}

/* ,"key":value -- all or nothing, except a long string value, which is cut and closed. */
static void s_json_field(s_buf_t *b, const s_tok_t *t)
{
    size_t mark = b->len;
    s_put(b, ",\"", 2);
    if (s_is_reserved(t->k, t->klen))
        s_put(b, "_", 1);
    s_json_chars(b, t->k, t->klen, 0);
    s_put(b, "\":", 2);
    if (t->kind == S_TOK_FLAG)
        s_put(b, "true", 4);
    else if (!t->quoted && s_is_integer(t->v, t->vlen))
        s_put(b, t->v, t->vlen);
    else if (s_put(b, "\"", 1) == 0) {
        s_json_chars(b, t->v, t->vlen, t->quoted);
        s_tail(b, "\"");
        return;
    }
    if (b->full)
        b->len = mark;
}

static void s_json_fragment(s_buf_t *b, const char *f, size_t n)
{
    const char *end = f + n, *p = f;
    s_tok_t t;
    int junk = 0;
    while (!b->full && s_next_token(&p, end, &t)) {
        if (t.kind == S_TOK_JUNK)
            junk = 1;
        else
            s_json_field(b, &t);
    }
    if (!junk || b->full)
        return;
    /* second pass: everything that was not key[=value], space-joined */
    size_t mark = b->len;
    if (s_puts(b, ",\"_unparsed\":\"") < 0) {
        b->len = mark;
        return;
    }
    int first = 1;
    for (p = f; s_next_token(&p, end, &t);) {
        if (t.kind != S_TOK_JUNK)
            continue;
        if ((!first && s_put(b, " ", 1) < 0) || s_json_chars(b, t.k, t.klen, 0) < 0)
            break;
        first = 0;
    }
    s_tail(b, "\"");
}

static void s_format_json(s_buf_t *b, int with_ts, int level, const char *msg, const char *frag, size_t flen,
                          uint64_t pending, int cut)
{
    s_put(b, "{", 1);
    if (with_ts)
        s_put_ts(b, 1);
    s_puts(b, "\"level\":\"");
    s_puts(b, s_names[level]);
    s_puts(b, "\",\"msg\":\"");
    s_json_chars(b, msg, strlen(msg), 0);
    s_tail(b, "\"");
    if (flen)
        s_json_fragment(b, frag, flen);
    char t[48];
    if (pending) {
        snprintf(t, sizeof t, ",\"suppressed\":%llu", (unsigned long long)pending);
        s_tail(b, t);
    }
    if (cut || b->full)
        s_tail(b, ",\"truncated\":true");
    s_tail(b, "}\n");
}

/* ---- output ----------------------------------------------------------- */

static void s_emit(int level, const char *line, size_t len)
{
    if (s_sink) {
        s_sink(s_sink_ctx, level, line, len);
    } else if (s_syslog) {
        syslog(s_prios[level], "%.*s", (int)(len - 1), line);
    } else {
        /* one write; the loop only continues a partial write (pipes, signals) */
        while (len > 0) {
            ssize_t w = write(STDERR_FILENO, line, len);
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                return; /* nowhere left to report it */
            line += w;
            len -= (size_t)w;
        }
    }
}

void tlx_log(tlx_log_level_t level, const char *msg, const char *fmt, ...)
{
    assert(msg);
    assert(level >= TLX_LOG_ERROR && level <= TLX_LOG_DEBUG);
    if ((int)level > atomic_load_explicit(&s_level, memory_order_relaxed))
        return;
    int saved_errno = errno; /* callers log strerror(errno) and then test errno */
    pthread_mutex_lock(&s_mutex);
    uint64_t pending;
    if (!s_rate_admit((int)level, msg, tlx_mono_ns(), &pending))
        goto out;
    size_t flen = 0;
    int cut = 0;
    if (fmt && *fmt) {
        va_list ap;
        va_start(ap, fmt);
        int m = vsnprintf(s_frag, sizeof s_frag, fmt, ap);
        va_end(ap);
        if (m >= (int)sizeof s_frag) {
            flen = sizeof s_frag - 1;
            cut = 1;
        } else if (m > 0) {
            flen = (size_t)m;
        }
    }
    s_buf_t b = {s_line, 0, sizeof s_line - S_TAIL, 0};
    if (s_format == TLX_LOG_FMT_JSON)
        s_format_json(&b, !s_syslog, (int)level, msg, s_frag, flen, pending, cut);
    else
        s_format_logfmt(&b, !s_syslog, (int)level, msg, s_frag, flen, pending, cut);
    s_emit((int)level, s_line, b.len);
out:
    pthread_mutex_unlock(&s_mutex);
    errno = saved_errno;
}
