/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_tz.c -- IANA time zones from TZif files (see tlx_tz.h).

    Loading reads the file's version 2+ section (64-bit transition times,
    RFC 8536) into two arrays: the UTC instants of the transitions and the
    offset in force from each one on.  The footer's POSIX TZ rule ("EST5EDT,
    M3.2.0,M11.1.0"), which governs every time after the last listed
    transition, is expanded into further transitions up to the year 2200, so
    "slim" files (transitions only up to the rule's start) and dates past 2037
    need no other code path.  A lookup is a binary search.

    A local wall-clock time maps to an offset by the transitions whose wall
    clock reading lies near it: each one applies once the local time has
    passed both the clock reading before it and the one after it.  So a time
    in a gap or an overlap keeps the offset in force before the transition
    (RFC 5545's reading).  Offsets are at most 26 h (validated at load), so
    only transitions within 27 h of the time are looked at.

    Rejected: localtime_r/mktime with TZ set (process-global state, not
    thread-safe to switch per article, and mktime's answer for gaps and
    overlaps depends on tm_isdst guesses); a copy of the tz database in the
    tree (the system's tzdata package is kept up to date by the OS).
*/
#include "tlx_tz.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tlx_error.h"

#define S_MAX_OFFSET (26 * 3600) /* RFC 8536 advises -25 h .. +26 h */
#define S_WINDOW (27 * 3600)     /* transitions further than this from a time cannot affect it */
#define S_FIRST_YEAR 1900        /* where a footer rule starts when the file lists no transition */
#define S_LAST_YEAR 2200         /* footer rules are expanded up to here (bylines stop at 2200 too) */
#define S_MAX_FILE (1 << 20)
#define S_MAX_TRANSITIONS 100000

struct tlx_tz {
    char *name;
    int32_t off0; /* before the first transition (time type 0) */
    size_t n;     /* transitions */
    int64_t *t;   /* their UTC instants, strictly ascending */
    int32_t *off; /* the offset in force from t[i] on */
};

/* ---- calendar ------------------------------------------------------------------ */

static int64_t s_floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
static int64_t s_days(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = s_floor_div(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The year of a day since 1970-01-01. */
static int64_t s_year(int64_t days)
{
    days += 719468;
    int64_t era = s_floor_div(days, 146097);
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    return yoe + era * 400 + (mp >= 10); /* months are counted from March */
}

static bool s_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int64_t tlx_tz_civil(int y, int mo, int d, int h, int mi, int s)
{
    return s_days(y, mo, d) * 86400 + (int64_t)h * 3600 + (int64_t)mi * 60 + s;
}

/* ---- the footer's POSIX TZ rule --------------------------------------------------- */

typedef struct {
    char kind;    /* 'J' (1..365, no Feb 29), 'D' (0..365), 'M' (month.week.day) */
    int a, b, c;  /* J, D: a = day; M: a = month, b = week (5 = last), c = weekday (0 = Sunday) */
    int32_t time; /* local time of day of the change, seconds (may exceed a day) */
} prule_t;

typedef struct {
    int32_t std, dst; /* UTC offsets, east positive */
    bool has_dst;
    prule_t start, end; /* daylight time begins (standard clock) / ends (daylight clock) */
} posix_t;

static const char *s_num(const char *p, int lo, int hi, int *v)
{
    if (*p < '0' || *p > '9')
        return NULL;
    int x = 0;
    while (*p >= '0' && *p <= '9' && x <= hi)
        x = x * 10 + (*p++ - '0');
    if (x < lo || x > hi)
        return NULL;
    *v = x;
    return p;
}

/* [+-]hh[:mm[:ss]] with hh up to maxh; seconds into *out. */
static const char *s_hms(const char *p, int maxh, int32_t *out)
{
    int sign = 1, h, m = 0, s = 0;
    if (*p == '+' || *p == '-')
        sign = *p++ == '-' ? -1 : 1;
    if (!(p = s_num(p, 0, maxh, &h)))
        return NULL;
    if (*p == ':' && !(p = s_num(p + 1, 0, 59, &m)))
        return NULL;
    if (*p == ':' && !(p = s_num(p + 1, 0, 59, &s)))
        return NULL;
    *out = sign * (h * 3600 + m * 60 + s);
    return p;
}

/* A zone abbreviation: <anything but '>'> or three or more letters. */
static const char *s_abbr(const char *p)
{
    const char *s = p;
    if (*p == '<') {
        while (*++p && *p != '>')
            ;
        return *p == '>' && p - s >= 4 ? p + 1 : NULL;
    }
    while ((*p | 32) >= 'a' && (*p | 32) <= 'z')
        p++;
    return p - s >= 3 ? p : NULL;
}

static const char *s_prule(const char *p, prule_t *r)
{
    r->a = r->b = r->c = 0;
    if (*p == 'M') {
        r->kind = 'M';
        if (!(p = s_num(p + 1, 1, 12, &r->a)) || *p != '.' || !(p = s_num(p + 1, 1, 5, &r->b)) || *p != '.' ||
            !(p = s_num(p + 1, 0, 6, &r->c)))
            return NULL;
    } else if (*p == 'J') {
        r->kind = 'J';
        if (!(p = s_num(p + 1, 1, 365, &r->a)))
            return NULL;
    } else {
        r->kind = 'D';
        if (!(p = s_num(p, 0, 365, &r->a)))
            return NULL;
    }
    r->time = 2 * 3600;
    if (*p == '/' && !(p = s_hms(p + 1, 167, &r->time))) /* RFC 8536 allows -167 h .. 167 h */
        return NULL;
    return p;
}

/* "std offset [dst [offset] ,start[/time],end[/time]]" (POSIX offsets are
   west positive); 0 or TLX_EMALFORMED. */
static int s_posix(const char *s, posix_t *z)
{
    const char *p = s_abbr(s);
    int32_t west;
    if (!p || !(p = s_hms(p, 24, &west)))
        return TLX_EMALFORMED;
    z->std = -west;
    z->has_dst = false;
    if (!*p)
        return 0;
    if (!(p = s_abbr(p)))
        return TLX_EMALFORMED;
    z->dst = z->std + 3600;
    if (*p && *p != ',') {
        if (!(p = s_hms(p, 24, &west)))
            return TLX_EMALFORMED;
        z->dst = -west;
    }
    if (*p != ',' || !(p = s_prule(p + 1, &z->start)) || *p != ',' || !(p = s_prule(p + 1, &z->end)) || *p)
        return TLX_EMALFORMED; /* tzdata always writes the rule; a DST name without one is not guessed at */
    z->has_dst = true;
    return 0;
}

/* Days since 1970 of a rule's date in year y. */
static int64_t s_rule_day(const prule_t *r, int64_t y)
{
    int64_t jan1 = s_days(y, 1, 1);
    if (r->kind == 'J')
        return jan1 + r->a - 1 + (s_leap(y) && r->a >= 60);
    if (r->kind == 'D')
        return jan1 + r->a;
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t first = s_days(y, r->a, 1);
    int wday = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday */
    int day = (r->c - wday + 7) % 7 + (r->b - 1) * 7, len = mdays[r->a - 1] + (r->a == 2 && s_leap(y));
    while (day >= len) /* week 5: the last such weekday */
        day -= 7;
    return first + day;
}

/* ---- loading -------------------------------------------------------------------- */

/* IANA-like: letter-led components of [A-Za-z0-9_+-] joined by single '/'. */
static bool s_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 255)
        return false;
    bool start = true;
    for (const char *p = name; *p; p++) {
        char c = *p;
        bool letter = (c | 32) >= 'a' && (c | 32) <= 'z';
        if (start && !letter)
            return false;
        if (c == '/') {
            start = true;
            continue;
        }
        if (!letter && !(c >= '0' && c <= '9') && c != '_' && c != '-' && c != '+')
            return false;
        start = false;
    }
    return !start;
}

static uint32_t s_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t s_be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)s_be32(p) << 32 | s_be32(p + 4));
}

typedef struct {
    uint32_t isut, isstd, leap, time, type, chars;
} hdr_t;

/* A TZif header at p (44 bytes available) and the length of its data block
   with times of tsize bytes; 0 when it is not a TZif header. */
static uint64_t s_header(const unsigned char *p, hdr_t *h, unsigned tsize)
{
    if (memcmp(p, "TZif", 4) != 0)
        return 0;
    h->isut = s_be32(p + 20), h->isstd = s_be32(p + 24), h->leap = s_be32(p + 28);
    h->time = s_be32(p + 32), h->type = s_be32(p + 36), h->chars = s_be32(p + 40);
    return (uint64_t)h->time * (tsize + 1) + (uint64_t)h->type * 6 + h->chars +
           (uint64_t)h->leap * (tsize + 4) + h->isstd + h->isut;
}

static int s_read_file(const char *path, unsigned char **buf, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT || errno == ENOTDIR ? TLX_ENOTFOUND : TLX_EIO;
    int rc = 0;
    struct stat st;
    unsigned char *b = NULL;
    if (fstat(fd, &st) != 0) {
        rc = TLX_EIO;
        goto done;
    }
    if (!S_ISREG(st.st_mode) || st.st_size > S_MAX_FILE) {
        rc = S_ISDIR(st.st_mode) ? TLX_ENOTFOUND : TLX_EMALFORMED;
        goto done;
    }
    if (!(b = malloc((size_t)st.st_size + 1))) {
        rc = TLX_ENOMEM;
        goto done;
    }
    size_t n = 0;
    while (n < (size_t)st.st_size) {
        ssize_t r = read(fd, b + n, (size_t)st.st_size - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    *buf = b;
    *len = n;
done:
    if (rc)
        free(b);
    close(fd);
    return rc;
}

/* Parses a TZif v2+ image into *z (name already set). */
static int s_parse(const unsigned char *b, size_t len, tlx_tz_t *z)
{
    hdr_t h;
    uint64_t v1;
    if (len < 44 || !(v1 = s_header(b, &h, 4)) || b[4] < '2')
        return TLX_EMALFORMED; /* version 1 files have no 64-bit section */
    if (v1 > len - 44 || len - 44 - v1 < 44)
        return TLX_EMALFORMED;
    const unsigned char *p = b + 44 + v1, *end = b + len;
    uint64_t v2 = s_header(p, &h, 8);
    p += 44;
    if (!v2 || v2 > (uint64_t)(end - p) || h.type == 0 || h.type > 256 || h.time > S_MAX_TRANSITIONS ||
        (h.isut && h.isut != h.type) || (h.isstd && h.isstd != h.type))
        return TLX_EMALFORMED;
    const unsigned char *times = p, *idx = p + (size_t)h.time * 8, *types = idx + h.time;
    const unsigned char *footer = p + v2;

    /* the footer: "\n" TZ string "\n" (may be empty) */
    posix_t rule = {0};
    bool has_rule = false;
    if (footer < end) {
        const unsigned char *nl =
            footer + 1 < end ? memchr(footer + 1, '\n', (size_t)(end - footer - 1)) : NULL;
        char tzs[128];
        if (*footer != '\n' || !nl || (size_t)(nl - footer - 1) >= sizeof tzs)
            return TLX_EMALFORMED;
        memcpy(tzs, footer + 1, (size_t)(nl - footer - 1));
        tzs[nl - footer - 1] = '\0';
        if (tzs[0] && s_posix(tzs, &rule) != 0)
            return TLX_EMALFORMED;
        has_rule = tzs[0] != '\0';
        if (has_rule && (rule.std < -S_MAX_OFFSET || rule.std > S_MAX_OFFSET ||
                         (rule.has_dst && (rule.dst < -S_MAX_OFFSET || rule.dst > S_MAX_OFFSET))))
            return TLX_EMALFORMED;
    }

    size_t cap = h.time + (rule.has_dst ? 2 * (S_LAST_YEAR - S_FIRST_YEAR + 1) : 0);
    if (!(z->t = malloc((cap ? cap : 1) * sizeof *z->t)) ||
        !(z->off = malloc((cap ? cap : 1) * sizeof *z->off)))
        return TLX_ENOMEM;
    int32_t utoff[256];
    for (uint32_t k = 0; k < h.type; k++) {
        utoff[k] = (int32_t)s_be32(types + 6 * k);
        if (utoff[k] < -S_MAX_OFFSET || utoff[k] > S_MAX_OFFSET || types[6 * k + 4] > 1)
            return TLX_EMALFORMED;
    }
    z->off0 = utoff[0];
    for (uint32_t i = 0; i < h.time; i++) {
        z->t[i] = s_be64(times + 8 * i);
        if (idx[i] >= h.type || (i && z->t[i] <= z->t[i - 1]))
            return TLX_EMALFORMED;
        z->off[i] = utoff[idx[i]];
    }
    z->n = h.time;

    /* after the last transition the footer's rule governs: expand it */
    if (rule.has_dst) {
        int64_t last = z->n ? z->t[z->n - 1] : INT64_MIN;
        int64_t y = z->n ? s_year(s_floor_div(last, 86400)) : S_FIRST_YEAR;
        for (; y <= S_LAST_YEAR; y++) {
            int64_t on = s_rule_day(&rule.start, y) * 86400 + rule.start.time - rule.std;
            int64_t off = s_rule_day(&rule.end, y) * 86400 + rule.end.time - rule.dst;
            int64_t at[2] = {on < off ? on : off, on < off ? off : on};
            int32_t to[2] = {on < off ? rule.dst : rule.std, on < off ? rule.std : rule.dst};
            for (int k = 0; k < 2; k++)
                if (at[k] > last && z->n < cap) {
                    z->t[z->n] = last = at[k];
                    z->off[z->n++] = to[k];
                }
        }
    }
    return 0;
}

int tlx_tz_load(const char *dir, const char *name, tlx_tz_t **out)
{
    *out = NULL;
    if (!name || !s_name_ok(name))
        return TLX_EINVAL;
    char path[4352];
    if (!dir)
        dir = TLX_TZ_DIR;
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >= sizeof path)
        return TLX_EINVAL;
    unsigned char *buf = NULL;
    size_t len = 0;
    int rc = s_read_file(path, &buf, &len);
    if (rc)
        return rc;
    tlx_tz_t *z = calloc(1, sizeof *z);
    if (!z || !(z->name = strdup(name)))
        rc = TLX_ENOMEM;
    else
        rc = s_parse(buf, len, z);
    free(buf);
    if (rc) {
        tlx_tz_destroy(&z);
        return rc;
    }
    *out = z;
    return 0;
}

void tlx_tz_destroy(tlx_tz_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    tlx_tz_t *z = *self_p;
    free(z->name);
    free(z->t);
    free(z->off);
    free(z);
    *self_p = NULL;
}

const char *tlx_tz_name(const tlx_tz_t *self)
{
    return self->name;
}

/* ---- lookups ---------------------------------------------------------------------- */

/* Index of the first transition after instant u. */
static size_t s_after(const tlx_tz_t *z, int64_t u)
{
    size_t lo = 0, hi = z->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->t[mid] <= u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int32_t tlx_tz_offset_utc(const tlx_tz_t *self, int64_t utc)
{
    size_t i = s_after(self, utc);
    return i ? self->off[i - 1] : self->off0;
}

int32_t tlx_tz_offset(const tlx_tz_t *self, int64_t local)
{
    /* every transition up to 27 h before applies whatever the offsets; none
       later than 27 h after can; the few in between are applied in order */
    int64_t from = local > INT64_MIN + S_WINDOW ? local - S_WINDOW : INT64_MIN;
    int64_t to = local < INT64_MAX - S_WINDOW ? local + S_WINDOW : INT64_MAX;
    size_t i = s_after(self, from);
    int32_t off = i ? self->off[i - 1] : self->off0;
    for (; i < self->n && self->t[i] <= to; i++) {
        int32_t before = i ? self->off[i - 1] : self->off0, after = self->off[i];
        /* applies once the local time has passed the clock reading on both sides of it */
        if (local >= self->t[i] + (before > after ? before : after))
            off = after;
    }
    return off;
}

void tlx_tz_format_offset(int32_t offset, char *out)
{
    int32_t m = offset >= 0 ? (offset + 30) / 60 : -((-offset + 30) / 60);
    char sign = m < 0 ? '-' : '+';
    if (m < 0)
        m = -m;
    snprintf(out, 7, "%c%02d:%02d", sign, (int)(m / 60 % 100), (int)(m % 60));
}
