/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_prom.c -- Prometheus text format parser, lookups, and an HTTP GET.

    Parsing copies the page once into an arena and decodes it in place:
    names, label keys and unescaped label values are NUL-terminated where
    they lie (an unescaped value is never longer than its escaped form), so a
    page costs one copy plus two arrays (samples, labels) however many
    series it has.  Labels are collected in one array and every sample points
    into it after the last realloc.  Rejected: a general tokenizer and a
    per-metric-family tree -- telex top looks up a few dozen names per frame,
    and a linear scan over a few hundred series is cheaper than building
    anything.

    Series identity for deltas is the name plus the labels sorted by key,
    serialized with NUL separators (no component can contain a NUL: lines
    with NUL bytes are bad lines); prev's keys are sorted once and each cur
    series is found by binary search.

    The HTTP client speaks HTTP/1.0 on purpose: the server then never uses
    chunked encoding or keep-alive, so the body is Content-Length bytes or
    everything up to EOF.  Rejected: libcurl, a dependency for one GET to a
    local port.
*/
#include "tlx_prom.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct tlx_prom {
    char *arena;
    tlx_prom_sample_t *s;
    size_t n, cap;
    tlx_prom_label_t *l;
    size_t nl, capl;
    size_t *lab0, cap0; /* first label index of each sample, until pointers are fixed */
    size_t bad;
};

/* ---- parsing ------------------------------------------------------------ */

static int s_is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static int s_name_start(char c, int colon)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
}

static int s_name_char(char c, int colon)
{
    return s_name_start(c, colon) || (c >= '0' && c <= '9');
}

static char *s_skip_blanks(char *p, char *e)
{
    while (p < e && s_is_blank(*p))
        p++;
    return p;
}

static int s_grow(void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap * 2 : 64;
    while (nc < need)
        nc *= 2;
    void *p = realloc(*arr, nc * size);
    if (!p)
        return TLX_ENOMEM;
    *arr = p;
    *cap = nc;
    return 0;
}

/*  Parses one line [p, e) (no newline, no NUL inside), writing into it.
    Returns 1 for a sample, 0 for a line that is not one (bad), or
    TLX_ENOMEM.  On 0 the label array is rolled back by the caller. */
static int s_parse_line(tlx_prom_t *self, char *p, char *e, tlx_prom_sample_t *out)
{
    if (!s_name_start(*p, 1))
        return 0;
    char *name = p;
    while (p < e && s_name_char(*p, 1))
        p++;
    char *name_end = p;
    p = s_skip_blanks(p, e);
    size_t first = self->nl;
    if (p < e && *p == '{') {
        *name_end = '\0';
        p++;
        for (;;) {
            p = s_skip_blanks(p, e);
            if (p < e && *p == '}') {
                p++;
                break;
            }
            if (p >= e || !s_name_start(*p, 0))
                return 0;
            char *key = p;
            while (p < e && s_name_char(*p, 0))
                p++;
            char *key_end = p;
            p = s_skip_blanks(p, e);
            if (p >= e || *p != '=')
                return 0;
            p = s_skip_blanks(p + 1, e);
            if (p >= e || *p != '"')
                return 0;
            *key_end = '\0';
            char *val = ++p, *w = p;
            for (;;) {
                if (p >= e)
                    return 0;
                if (*p == '"')
                    break;
                if (*p == '\\') {
                    if (p + 1 >= e)
                        return 0;
                    char c = p[1];
                    if (c == 'n')
                        *w++ = '\n';
                    else if (c == '\\' || c == '"')
                        *w++ = c;
                    else
                        return 0; /* as the reference parser: unknown escape */
                    p += 2;
                } else
                    *w++ = *p++;
            }
            *w = '\0'; /* w <= p, the closing quote */
            p++;
            if (self->nl - first >= TLX_PROM_MAX_LABELS)
                return 0;
            for (size_t i = first; i < self->nl; i++)
                if (strcmp(self->l[i].key, key) == 0)
                    return 0;
            if (s_grow((void **)&self->l, &self->capl, self->nl + 1, sizeof *self->l))
                return TLX_ENOMEM;
            self->l[self->nl++] = (tlx_prom_label_t){key, val};
            p = s_skip_blanks(p, e);
            if (p < e && *p == ',') {
                p++;
                continue;
            }
            if (p < e && *p == '}') {
                p++;
                break;
            }
            return 0;
        }
        p = s_skip_blanks(p, e);
    } else if (p == name_end)
        return 0; /* no blank between name and value */
    else
        *name_end = '\0';

    /* value */
    char *v = p;
    while (p < e && !s_is_blank(*p))
        p++;
    if (p == v)
        return 0;
    char *v_end = p;
    p = s_skip_blanks(p, e);
    *v_end = '\0'; /* a blank or the line end: already consumed */
    char *endp;
    double value = strtod(v, &endp);
    if (endp != v_end)
        return 0;

    /* optional timestamp: an integer, checked and ignored */
    if (p < e) {
        if (*p == '-' || *p == '+')
            p++;
        char *digits = p;
        while (p < e && *p >= '0' && *p <= '9')
            p++;
        if (p == digits || (p < e && !s_is_blank(*p)))
            return 0;
        if (s_skip_blanks(p, e) != e)
            return 0;
    }
    out->name = name;
    out->nlabels = self->nl - first;
    out->value = value;
    return 1;
}

int tlx_prom_parse(const char *text, size_t len, tlx_prom_t **out)
{
    assert(out && (text || !len));
    *out = NULL;
    if (len > TLX_PROM_MAX_BYTES)
        return TLX_ETOOBIG;
    int rc = TLX_ENOMEM;
    tlx_prom_t *self = calloc(1, sizeof *self);
    if (!self)
        goto fail;
    self->arena = malloc(len + 1);
    if (!self->arena)
        goto fail;
    if (len)
        memcpy(self->arena, text, len);
    self->arena[len] = '\0';

    char *p = self->arena, *end = self->arena + len;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *e = nl ? nl : end;
        char *next = nl ? nl + 1 : end;
        if (e > p && e[-1] == '\r')
            e--;
        char *q = s_skip_blanks(p, e);
        if (q == e || *q == '#') {
            p = next;
            continue;
        }
        if (e - p > TLX_PROM_MAX_LINE || memchr(q, '\0', (size_t)(e - q))) {
            self->bad++;
            p = next;
            continue;
        }
        size_t nl0 = self->nl;
        tlx_prom_sample_t s;
        int r = s_parse_line(self, q, e, &s);
        if (r < 0)
            goto fail;
        if (r == 0) {
            self->nl = nl0;
            self->bad++;
            p = next;
            continue;
        }
        if (self->n >= TLX_PROM_MAX_SAMPLES) {
            rc = TLX_ETOOBIG;
            goto fail;
        }
        if (s_grow((void **)&self->s, &self->cap, self->n + 1, sizeof *self->s))
            goto fail;
        if (s_grow((void **)&self->lab0, &self->cap0, self->n + 1, sizeof *self->lab0))
            goto fail;
        self->lab0[self->n] = nl0;
        self->s[self->n++] = s;
        p = next;
    }
    for (size_t i = 0; i < self->n; i++)
        self->s[i].labels = self->s[i].nlabels ? self->l + self->lab0[i] : NULL;
    free(self->lab0);
    self->lab0 = NULL;
    *out = self;
    return 0;
fail:
    tlx_prom_destroy(&self);
    return rc;
}

void tlx_prom_destroy(tlx_prom_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    tlx_prom_t *self = *self_p;
    free(self->arena);
    free(self->s);
    free(self->l);
    free(self->lab0);
    free(self);
    *self_p = NULL;
}

size_t tlx_prom_count(const tlx_prom_t *self)
{
    return self ? self->n : 0;
}

const tlx_prom_sample_t *tlx_prom_sample(const tlx_prom_t *self, size_t i)
{
    return self && i < self->n ? &self->s[i] : NULL;
}

size_t tlx_prom_bad_lines(const tlx_prom_t *self)
{
    return self ? self->bad : 0;
}

/* ---- lookups ------------------------------------------------------------ */

static const char *s_label(const tlx_prom_sample_t *s, const char *key)
{
    for (size_t i = 0; i < s->nlabels; i++)
        if (strcmp(s->labels[i].key, key) == 0)
            return s->labels[i].value;
    return NULL;
}

int tlx_prom_get(const tlx_prom_t *self, const char *name, const char *lkey, const char *lval, double *value)
{
    for (size_t i = 0; self && i < self->n; i++) {
        const tlx_prom_sample_t *s = &self->s[i];
        if (strcmp(s->name, name) != 0)
            continue;
        if (lkey) {
            const char *v = s_label(s, lkey);
            if (!v || (lval && strcmp(v, lval) != 0))
                continue;
        }
        *value = s->value;
        return 0;
    }
    return TLX_ENOTFOUND;
}

const char *tlx_prom_label(const tlx_prom_t *self, const char *name, const char *lkey)
{
    for (size_t i = 0; self && i < self->n; i++)
        if (strcmp(self->s[i].name, name) == 0) {
            const char *v = s_label(&self->s[i], lkey);
            if (v)
                return v;
        }
    return NULL;
}

int tlx_prom_sum(const tlx_prom_t *self, const char *name, double *sum)
{
    double acc = 0;
    int found = 0;
    for (size_t i = 0; self && i < self->n; i++)
        if (strcmp(self->s[i].name, name) == 0) {
            acc += self->s[i].value;
            found = 1;
        }
    if (!found)
        return TLX_ENOTFOUND;
    *sum = acc;
    return 0;
}

typedef struct {
    double le, count;
} s_bucket_t;

static int s_bucket_cmp(const void *a, const void *b)
{
    double x = ((const s_bucket_t *)a)->le, y = ((const s_bucket_t *)b)->le;
    return x < y ? -1 : x > y;
}

static int s_is_bucket_of(const char *name, const char *base)
{
    size_t n = strlen(base);
    return strncmp(name, base, n) == 0 && strcmp(name + n, "_bucket") == 0;
}

int tlx_prom_quantile(const tlx_prom_t *self, const char *base, double q, double *value)
{
    size_t nb = 0;
    for (size_t i = 0; self && i < self->n; i++)
        if (s_is_bucket_of(self->s[i].name, base) && s_label(&self->s[i], "le"))
            nb++;
    if (!nb)
        return TLX_ENOTFOUND;
    if (isnan(q)) {
        *value = NAN;
        return 0;
    }
    if (q < 0 || q > 1) {
        *value = q < 0 ? -INFINITY : INFINITY;
        return 0;
    }
    s_bucket_t *b = malloc(nb * sizeof *b);
    if (!b)
        return TLX_ENOMEM;
    size_t k = 0;
    for (size_t i = 0; i < self->n; i++) {
        const char *le = s_is_bucket_of(self->s[i].name, base) ? s_label(&self->s[i], "le") : NULL;
        if (!le)
            continue;
        char *endp;
        double bound = strtod(le, &endp);
        if (endp == le || *endp || isnan(bound))
            continue; /* not a bound: ignore the series, as Prometheus does */
        b[k++] = (s_bucket_t){bound, self->s[i].value};
    }
    qsort(b, k, sizeof *b, s_bucket_cmp);
    /* sum by (le): series with the same bound add up */
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        if (m && b[m - 1].le == b[i].le)
            b[m - 1].count += b[i].count;
        else
            b[m++] = b[i];
    }
    double r = NAN;
    if (m < 2 || !isinf(b[m - 1].le) || b[m - 1].le < 0)
        goto done;
    /* cumulative counts can dip when scrapes race with observations or
       when a delta spans a restart: force them monotonic */
    for (size_t i = 1; i < m; i++)
        if (b[i].count < b[i - 1].count)
            b[i].count = b[i - 1].count;
    double total = b[m - 1].count;
    if (!(total > 0))
        goto done;
    double rank = q * total;
    size_t i = 0;
    while (i < m - 1 && b[i].count < rank)
        i++;
    if (i == m - 1) {
        r = b[m - 2].le;
        goto done;
    }
    if (i == 0 && b[0].le <= 0) {
        r = b[0].le;
        goto done;
    }
    double start = 0, end = b[i].le, count = b[i].count;
    if (i > 0) {
        start = b[i - 1].le;
        count -= b[i - 1].count;
        rank -= b[i - 1].count;
    }
    r = count > 0 ? start + (end - start) * (rank / count) : start; /* q == 0: the lowest start */
done:
    free(b);
    *value = r;
    return 0;
}

/* ---- deltas ------------------------------------------------------------- */

typedef struct {
    char *key;
    size_t len;
    double value;
} s_keyed_t;

static int s_label_cmp(const void *a, const void *b)
{
    return strcmp((*(const tlx_prom_label_t *const *)a)->key, (*(const tlx_prom_label_t *const *)b)->key);
}

/* name \0 k1 \0 v1 \0 ... with keys sorted: equal iff the same series. */
static int s_series_key(const tlx_prom_sample_t *s, s_keyed_t *out)
{
    const tlx_prom_label_t *sorted[TLX_PROM_MAX_LABELS];
    size_t len = strlen(s->name) + 1;
    assert(s->nlabels <= TLX_PROM_MAX_LABELS); /* the parser's bound */
    for (size_t i = 0; i < s->nlabels; i++) {
        sorted[i] = &s->labels[i];
        len += strlen(s->labels[i].key) + strlen(s->labels[i].value) + 2;
    }
    qsort(sorted, s->nlabels, sizeof *sorted, s_label_cmp);
    char *k = malloc(len), *w = k;
    if (!k)
        return TLX_ENOMEM;
    w = stpcpy(w, s->name) + 1;
    for (size_t i = 0; i < s->nlabels; i++) {
        w = stpcpy(w, sorted[i]->key) + 1;
        w = stpcpy(w, sorted[i]->value) + 1;
    }
    *out = (s_keyed_t){k, len, s->value};
    return 0;
}

static int s_keyed_cmp(const void *a, const void *b)
{
    const s_keyed_t *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->key, y->key, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* A deep copy whose strings live in one new arena. */
static int s_clone(const tlx_prom_t *src, tlx_prom_t **out)
{
    tlx_prom_t *self = calloc(1, sizeof *self);
    if (!self)
        return TLX_ENOMEM;
    size_t bytes = 1;
    for (size_t i = 0; i < src->n; i++) {
        bytes += strlen(src->s[i].name) + 1;
        for (size_t j = 0; j < src->s[i].nlabels; j++)
            bytes += strlen(src->s[i].labels[j].key) + strlen(src->s[i].labels[j].value) + 2;
    }
    self->arena = malloc(bytes);
    self->s = src->n ? malloc(src->n * sizeof *self->s) : NULL;
    self->l = src->nl ? malloc(src->nl * sizeof *self->l) : NULL;
    if (!self->arena || (src->n && !self->s) || (src->nl && !self->l)) {
        tlx_prom_destroy(&self);
        return TLX_ENOMEM;
    }
    char *w = self->arena;
    size_t nl = 0;
    for (size_t i = 0; i < src->n; i++) {
        const tlx_prom_sample_t *s = &src->s[i];
        tlx_prom_sample_t *d = &self->s[i];
        d->name = w;
        w = stpcpy(w, s->name) + 1;
        d->labels = s->nlabels ? self->l + nl : NULL;
        d->nlabels = s->nlabels;
        d->value = s->value;
        for (size_t j = 0; j < s->nlabels; j++, nl++) {
            self->l[nl].key = w;
            w = stpcpy(w, s->labels[j].key) + 1;
            self->l[nl].value = w;
            w = stpcpy(w, s->labels[j].value) + 1;
        }
    }
    self->n = self->cap = src->n;
    self->nl = self->capl = nl;
    *out = self;
    return 0;
}

int tlx_prom_delta(const tlx_prom_t *prev, const tlx_prom_t *cur, tlx_prom_t **out)
{
    *out = NULL;
    tlx_prom_t *d = NULL;
    s_keyed_t *pk = NULL;
    size_t np = 0;
    int rc = s_clone(cur, &d);
    if (rc)
        goto done;
    size_t n_prev = prev ? prev->n : 0;
    if (n_prev) {
        pk = malloc(n_prev * sizeof *pk);
        if (!pk) {
            rc = TLX_ENOMEM;
            goto done;
        }
        for (; np < n_prev; np++)
            if ((rc = s_series_key(&prev->s[np], &pk[np])))
                goto done;
        qsort(pk, np, sizeof *pk, s_keyed_cmp);
    }
    for (size_t i = 0; np && i < d->n; i++) {
        s_keyed_t key;
        if ((rc = s_series_key(&d->s[i], &key)))
            goto done;
        const s_keyed_t *hit = bsearch(&key, pk, np, sizeof *pk, s_keyed_cmp);
        free(key.key);
        if (hit && d->s[i].value >= hit->value)
            d->s[i].value -= hit->value;
        /* else: new series or a reset -- the whole current value is the increase */
    }
    *out = d;
    d = NULL;
done:
    for (size_t i = 0; i < np; i++)
        free(pk[i].key);
    free(pk);
    tlx_prom_destroy(&d);
    return rc;
}

/* ---- HTTP GET ----------------------------------------------------------- */

#define S_HEADER_MAX 65536

static int64_t s_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

__attribute__((format(printf, 3, 4))) static void s_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Waits for `events` on fd until the deadline: 0, TLX_EAGAIN or TLX_EIO. */
static int s_wait(int fd, short events, int64_t deadline)
{
    for (;;) {
        int64_t left = deadline - s_now_ms();
        if (left <= 0)
            return TLX_EAGAIN;
        struct pollfd p = {.fd = fd, .events = events};
        int r = poll(&p, 1, left > INT32_MAX ? INT32_MAX : (int)left);
        if (r > 0)
            return 0; /* errors and hangups surface in the next call */
        if (r == 0)
            return TLX_EAGAIN;
        if (errno != EINTR)
            return TLX_EIO;
    }
}

static int s_connect(const char *host, int port, int64_t deadline, int timeout_ms, int *fd_out, char *err,
                     size_t errlen)
{
    char serv[16];
    snprintf(serv, sizeof serv, "%d", port);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    int g = getaddrinfo(host, serv, &hints, &res);
    if (g) {
        s_err(err, errlen, "%s", g == EAI_SYSTEM ? strerror(errno) : gai_strerror(g));
        return TLX_EIO;
    }
    int rc = TLX_EIO, last = ECONNREFUSED;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            last = errno;
            continue;
        }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            *fd_out = fd;
            rc = 0;
            break;
        }
        if (errno == EINPROGRESS || errno == EINTR) {
            int w = s_wait(fd, POLLOUT, deadline);
            if (w == TLX_EAGAIN) {
                close(fd);
                rc = TLX_EAGAIN;
                break;
            }
            int soerr = 0;
            socklen_t sl = sizeof soerr;
            if (w == 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) == 0 && soerr == 0) {
                *fd_out = fd;
                rc = 0;
                break;
            }
            last = soerr ? soerr : errno;
        } else
            last = errno;
        close(fd);
    }
    freeaddrinfo(res);
    if (rc == TLX_EAGAIN)
        s_err(err, errlen, "timed out after %d ms", timeout_ms);
    else if (rc)
        s_err(err, errlen, "%s", strerror(last));
    return rc;
}

static const char *s_find_header_end(const char *buf, size_t len, size_t *hdr_len)
{
    for (size_t i = 0; i + 1 < len; i++) {
        if (buf[i] != '\n')
            continue;
        if (buf[i + 1] == '\n') {
            *hdr_len = i + 2;
            return buf;
        }
        if (buf[i + 1] == '\r' && i + 2 < len && buf[i + 2] == '\n') {
            *hdr_len = i + 3;
            return buf;
        }
    }
    return NULL;
}

/*  Checks the status line and reads Content-Length (-1 when absent).
    The header is NUL-terminated by the caller. */
static int s_parse_header(char *hdr, long long *clen, char *err, size_t errlen)
{
    char *eol = strchr(hdr, '\n');
    size_t sl = eol ? (size_t)(eol - hdr) : strlen(hdr);
    if (sl && hdr[sl - 1] == '\r')
        sl--;
    char status[256];
    snprintf(status, sizeof status, "%.*s", (int)(sl < 255 ? sl : 255), hdr);
    if (strncmp(status, "HTTP/1.", 7) != 0 || status[7] < '0' || status[7] > '9' || status[8] != ' ' ||
        sl < 12) {
        s_err(err, errlen, "not an HTTP answer: %.80s", status);
        return TLX_EMALFORMED;
    }
    if (strncmp(status + 9, "200", 3) != 0 || (sl > 12 && status[12] != ' ')) {
        s_err(err, errlen, "%s", status);
        return TLX_EMALFORMED;
    }
    *clen = -1;
    for (char *line = eol ? eol + 1 : NULL; line && *line; line = eol ? eol + 1 : NULL) {
        eol = strchr(line, '\n');
        if (eol)
            *eol = '\0';
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        *colon = '\0';
        char *v = colon + 1;
        while (*v == ' ' || *v == '\t')
            v++;
        if (strcasecmp(line, "Content-Length") == 0) {
            char *endp;
            errno = 0;
            long long n = strtoll(v, &endp, 10);
            while (*endp == ' ' || *endp == '\t' || *endp == '\r')
                endp++;
            if (v[0] < '0' || v[0] > '9' || *endp || errno || n < 0) {
                s_err(err, errlen, "bad Content-Length: %.40s", v);
                return TLX_EMALFORMED;
            }
            *clen = n;
        } else if (strcasecmp(line, "Transfer-Encoding") == 0 && strcasestr(v, "chunked")) {
            s_err(err, errlen, "chunked transfer encoding is not supported");
            return TLX_EMALFORMED;
        }
    }
    return 0;
}

static int s_send_all(int fd, const char *p, size_t n, int64_t deadline)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w > 0) {
            p += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return TLX_EIO;
        int rc = s_wait(fd, POLLOUT, deadline);
        if (rc)
            return rc;
    }
    return 0;
}

int tlx_prom_fetch(const char *host, int port, const char *path, int timeout_ms, char **body, size_t *len,
                   char *err, size_t errlen)
{
    *body = NULL;
    *len = 0;
    if (err && errlen)
        err[0] = '\0';
    if (!host || !*host || !path || !*path || port < 1 || port > 65535) {
        s_err(err, errlen, "bad host, port or path");
        return TLX_EINVAL;
    }
    int64_t deadline = s_now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    int fd = -1;
    char *buf = NULL;
    int rc = s_connect(host, port, deadline, timeout_ms, &fd, err, errlen);
    if (rc)
        return rc;

    char req[1024];
    int v6 = strchr(host, ':') != NULL;
    int rn = snprintf(req, sizeof req,
                      "GET %s HTTP/1.0\r\nHost: %s%s%s:%d\r\nAccept: text/plain;version=0.0.4\r\n"
                      "User-Agent: telex\r\nConnection: close\r\n\r\n",
                      path, v6 ? "[" : "", host, v6 ? "]" : "", port);
    if (rn < 0 || (size_t)rn >= sizeof req) {
        s_err(err, errlen, "host or path too long");
        rc = TLX_EINVAL;
        goto done;
    }
    rc = s_send_all(fd, req, (size_t)rn, deadline);
    if (rc)
        goto io_error;

    size_t cap = 65536, n = 0, hdr_len = 0;
    long long clen = -1;
    int have_hdr = 0;
    buf = malloc(cap);
    if (!buf) {
        rc = TLX_ENOMEM;
        goto done;
    }
    for (;;) {
        if (have_hdr && clen >= 0 && n - hdr_len >= (size_t)clen)
            break;
        if (n == cap) {
            /* room for the header, the capped body and one byte to see it overflow */
            if (cap >= S_HEADER_MAX + TLX_PROM_MAX_BYTES + 1) {
                rc = TLX_ETOOBIG;
                s_err(err, errlen, "the body is over %zu MiB", TLX_PROM_MAX_BYTES >> 20);
                goto done;
            }
            size_t nc = cap * 2;
            if (nc > S_HEADER_MAX + TLX_PROM_MAX_BYTES + 1)
                nc = S_HEADER_MAX + TLX_PROM_MAX_BYTES + 1;
            char *nb = realloc(buf, nc);
            if (!nb) {
                rc = TLX_ENOMEM;
                goto done;
            }
            buf = nb;
            cap = nc;
        }
        ssize_t r = recv(fd, buf + n, cap - n, 0);
        if (r == 0)
            break;
        if (r < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
                rc = TLX_EIO;
                goto io_error;
            }
            if ((rc = s_wait(fd, POLLIN, deadline)))
                goto io_error;
            continue;
        }
        size_t old = n;
        n += (size_t)r;
        if (!have_hdr) {
            /* rescan a little before the new data: the blank line may straddle reads */
            size_t from = old > 3 ? old - 3 : 0;
            size_t hl;
            if (s_find_header_end(buf + from, n - from, &hl)) {
                hdr_len = from + hl;
                have_hdr = 1;
                char save = buf[hdr_len - 1];
                buf[hdr_len - 1] = '\0';
                rc = s_parse_header(buf, &clen, err, errlen);
                buf[hdr_len - 1] = save;
                if (rc)
                    goto done;
                if (clen > (long long)TLX_PROM_MAX_BYTES) {
                    rc = TLX_ETOOBIG;
                    s_err(err, errlen, "the body is over %zu MiB", TLX_PROM_MAX_BYTES >> 20);
                    goto done;
                }
            } else if (n > S_HEADER_MAX) {
                rc = TLX_EMALFORMED;
                s_err(err, errlen, "no end of the HTTP header in %zu bytes", n);
                goto done;
            }
        }
        if (have_hdr && n - hdr_len > TLX_PROM_MAX_BYTES) {
            rc = TLX_ETOOBIG;
            s_err(err, errlen, "the body is over %zu MiB", TLX_PROM_MAX_BYTES >> 20);
            goto done;
        }
    }
    if (!have_hdr) {
        rc = TLX_EMALFORMED;
        if (n == 0)
            s_err(err, errlen, "the connection closed without an answer");
        else
            s_err(err, errlen, "the connection closed inside the HTTP header");
        goto done;
    }
    size_t blen = n - hdr_len;
    if (clen >= 0 && blen < (size_t)clen) {
        rc = TLX_EMALFORMED;
        s_err(err, errlen, "the body was cut short: %zu of %lld bytes", blen, clen);
        goto done;
    }
    if (clen >= 0)
        blen = (size_t)clen;
    memmove(buf, buf + hdr_len, blen);
    buf[blen] = '\0'; /* blen < cap: cap holds the header too */
    *body = buf;
    *len = blen;
    buf = NULL;
    rc = 0;
    goto done;
io_error:
    if (rc == TLX_EAGAIN)
        s_err(err, errlen, "timed out after %d ms", timeout_ms);
    else
        s_err(err, errlen, "%s", strerror(errno));
done:
    free(buf);
    if (fd >= 0)
        close(fd);
    return rc;
}
