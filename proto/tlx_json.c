/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_json.c -- msgpack to JSON (see tlx_json.h).  Recursive descent over
    tlx_mp with a depth cap of 64; records are at most 4 levels deep.
    The one key-aware rule (64-bit fingerprints as hex strings) lives here
    rather than in each caller, so `telex get`, export, tail and any other
    renderer of records agree. */
#include "tlx_json.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlx_error.h"
#include "tlx_mp.h"

#define MAX_DEPTH 64

int tlx_json_string(tlx_buf_t *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    if (tlx_buf_reserve(out, len + 2))
        return TLX_ENOMEM;
    int rc = tlx_buf_putc(out, '"');
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end && !rc) {
        const unsigned char *run = p;
        while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
            p++;
        if (p > run)
            rc |= tlx_buf_append(out, run, (size_t)(p - run));
        if (p >= end)
            break;
        unsigned char ch = *p;
        if (ch < 0x80) {
            char esc[7] = {'\\', 0};
            size_t n = 2;
            switch (ch) {
            case '"':
                esc[1] = '"';
                break;
            case '\\':
                esc[1] = '\\';
                break;
            case '\n':
                esc[1] = 'n';
                break;
            case '\t':
                esc[1] = 't';
                break;
            case '\r':
                esc[1] = 'r';
                break;
            default:
                memcpy(esc, "\\u00", 4);
                esc[4] = hex[ch >> 4];
                esc[5] = hex[ch & 15];
                n = 6;
            }
            rc |= tlx_buf_append(out, esc, n);
            p++;
            continue;
        }
        /* Validate one UTF-8 sequence; pass it through or emit U+FFFD. */
        int n = ch >= 0xf0 && ch <= 0xf4 ? 4 : ch >= 0xe0 ? 3 : ch >= 0xc2 && ch < 0xe0 ? 2 : 0;
        bool ok = n > 0 && end - p >= n;
        for (int i = 1; ok && i < n; i++)
            ok = (p[i] & 0xc0) == 0x80;
        if (ok && n == 3)
            ok = !(ch == 0xe0 && p[1] < 0xa0) && !(ch == 0xed && p[1] >= 0xa0);
        if (ok && n == 4)
            ok = !(ch == 0xf0 && p[1] < 0x90) && !(ch == 0xf4 && p[1] >= 0x90);
        if (ok) {
            rc |= tlx_buf_append(out, p, (size_t)n);
            p += n;
        } else {
            rc |= tlx_buf_append(out, "\xef\xbf\xbd", 3);
            p++;
        }
    }
    rc |= tlx_buf_putc(out, '"');
    return rc ? TLX_ENOMEM : 0;
}

static int s_base64(tlx_buf_t *out, const uint8_t *p, size_t n)
{
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    int rc = tlx_buf_putc(out, '"');
    for (size_t i = 0; i < n && !rc; i += 3) {
        uint32_t v =
            (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
        char q[4] = {tbl[v >> 18], tbl[(v >> 12) & 63], i + 1 < n ? tbl[(v >> 6) & 63] : '=',
                     i + 2 < n ? tbl[v & 63] : '='};
        rc |= tlx_buf_append(out, q, 4);
    }
    return rc | tlx_buf_putc(out, '"');
}

static int s_indent(tlx_buf_t *out, int pretty, int depth)
{
    if (!pretty)
        return 0;
    int rc = tlx_buf_putc(out, '\n');
    for (int i = 0; i < pretty * depth && !rc; i++)
        rc |= tlx_buf_putc(out, ' ');
    return rc;
}

static int s_scalar(tlx_buf_t *out, const tlx_mp_item_t *it, bool as_key)
{
    char num[64];
    switch (it->type) {
    case TLX_MP_NIL:
        return as_key ? tlx_buf_append(out, "\"null\"", 6) : tlx_buf_append(out, "null", 4);
    case TLX_MP_BOOL:
        return tlx_buf_printf(out, as_key ? "\"%s\"" : "%s", it->v.b ? "true" : "false");
    case TLX_MP_UINT:
        return tlx_buf_printf(out, as_key ? "\"%llu\"" : "%llu", (unsigned long long)it->v.u);
    case TLX_MP_INT:
        return tlx_buf_printf(out, as_key ? "\"%lld\"" : "%lld", (long long)it->v.i);
    case TLX_MP_FLOAT:
        if (!isfinite(it->v.f))
            return tlx_buf_append(out, as_key ? "\"null\"" : "null", as_key ? 6 : 4);
        snprintf(num, sizeof num, "%.15g", it->v.f);
        if (strtod(num, NULL) != it->v.f)
            snprintf(num, sizeof num, "%.17g", it->v.f);
        return tlx_buf_printf(out, as_key ? "\"%s\"" : "%s", num);
    case TLX_MP_STR:
        return tlx_json_string(out, (const char *)it->ptr, (size_t)it->len);
    case TLX_MP_BIN:
        return s_base64(out, it->ptr, (size_t)it->len);
    default:
        return tlx_buf_append(out, as_key ? "\"ext\"" : "null", as_key ? 5 : 4);
    }
}

/* 64-bit fingerprints: JSON numbers past 2^53 lose digits in JavaScript, jq
   and Elasticsearch's long, so these keys' unsigned values are rendered as
   16 lower-case hex digits. */
static bool s_is_hex64_key(const char *k, size_t n)
{
    return tlx_mp_streq(k, n, "simhash64");
}

static int s_value(tlx_mp_t *c, tlx_buf_t *out, int pretty, int depth)
{
    tlx_mp_item_t it;
    if (depth > MAX_DEPTH || tlx_mp_next(c, &it))
        return TLX_EMALFORMED;
    int rc = 0;
    if (it.type == TLX_MP_ARRAY) {
        rc |= tlx_buf_putc(out, '[');
        for (uint64_t i = 0; i < it.len && !rc; i++) {
            if (i)
                rc |= tlx_buf_putc(out, ',');
            rc |= s_indent(out, pretty, depth + 1);
            if (!rc)
                rc = s_value(c, out, pretty, depth + 1);
        }
        if (it.len)
            rc |= s_indent(out, pretty, depth);
        return rc ? rc : tlx_buf_putc(out, ']');
    }
    if (it.type == TLX_MP_MAP) {
        rc |= tlx_buf_putc(out, '{');
        for (uint64_t i = 0; i < it.len && !rc; i++) {
            if (i)
                rc |= tlx_buf_putc(out, ',');
            rc |= s_indent(out, pretty, depth + 1);
            tlx_mp_item_t k;
            if (tlx_mp_next(c, &k) || k.type == TLX_MP_ARRAY || k.type == TLX_MP_MAP)
                return TLX_EMALFORMED;
            rc |= s_scalar(out, &k, true);
            rc |= tlx_buf_append(out, pretty ? ": " : ":", pretty ? 2 : 1);
            if (!rc && k.type == TLX_MP_STR && s_is_hex64_key((const char *)k.ptr, (size_t)k.len) &&
                tlx_mp_peek(c) == TLX_MP_UINT) {
                tlx_mp_item_t v;
                if (tlx_mp_next(c, &v))
                    return TLX_EMALFORMED;
                rc = tlx_buf_printf(out, "\"%016llx\"", (unsigned long long)v.v.u);
            } else if (!rc)
                rc = s_value(c, out, pretty, depth + 1);
        }
        if (it.len)
            rc |= s_indent(out, pretty, depth);
        return rc ? rc : tlx_buf_putc(out, '}');
    }
    return s_scalar(out, &it, false);
}

int tlx_json_from_msgpack(const void *buf, size_t len, int pretty, tlx_buf_t *out)
{
    tlx_mp_t c;
    tlx_mp_init(&c, buf, len);
    size_t before = out->len;
    int rc = s_value(&c, out, pretty, 0);
    if (rc) {
        out->len = before;
        if (out->data)
            out->data[before] = '\0';
        return rc < 0 ? rc : TLX_ENOMEM;
    }
    return 0;
}
