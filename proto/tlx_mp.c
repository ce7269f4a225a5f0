/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_mp.c -- bounded msgpack reader (see tlx_mp.h).

    A hand-written decoder over the msgpack format table rather than
    msgpack_unpack(): the latter allocates according to untrusted headers
    and has no depth limit.  Each header is validated against the remaining
    bytes before anything else looks at it.
*/
#include "tlx_mp.h"

#include <string.h>

#include "tlx_error.h"

static inline uint64_t s_be(const uint8_t *p, int n)
{
    uint64_t v = 0;
    for (int i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

const uint8_t tlx_mp__type[256] = {
    [0x00 ... 0x7f] = TLX_MP_UINT,  /* positive fixint */
    [0x80 ... 0x8f] = TLX_MP_MAP,   /* fixmap */
    [0x90 ... 0x9f] = TLX_MP_ARRAY, /* fixarray */
    [0xa0 ... 0xbf] = TLX_MP_STR,   /* fixstr */
    [0xc0] = TLX_MP_NIL,
    [0xc1] = TLX_MP_INVALID, /* never used */
    [0xc2 ... 0xc3] = TLX_MP_BOOL,
    [0xc4 ... 0xc6] = TLX_MP_BIN,
    [0xc7 ... 0xc9] = TLX_MP_EXT,
    [0xca ... 0xcb] = TLX_MP_FLOAT,
    [0xcc ... 0xcf] = TLX_MP_UINT,
    [0xd0 ... 0xd3] = TLX_MP_INT,
    [0xd4 ... 0xd8] = TLX_MP_EXT, /* fixext */
    [0xd9 ... 0xdb] = TLX_MP_STR,
    [0xdc ... 0xdd] = TLX_MP_ARRAY,
    [0xde ... 0xdf] = TLX_MP_MAP,
    [0xe0 ... 0xff] = TLX_MP_INT, /* negative fixint */
};

/* Consumes n header bytes after the tag; returns their big-endian value. */
#define NEED(n)                                                                                              \
    do {                                                                                                     \
        if ((size_t)(c->end - p) < (size_t)(n))                                                              \
            return TLX_EMALFORMED;                                                                           \
    } while (0)

int tlx_mp_next(tlx_mp_t *c, tlx_mp_item_t *it)
{
    const uint8_t *p = c->p;
    NEED(1);
    uint8_t b = *p++;
    it->type = tlx_mp_peek(c);
    it->ptr = NULL;
    it->len = 0;
    uint64_t len = 0;
    int hdr = 0;
    switch (it->type) {
    case TLX_MP_INVALID:
        return TLX_EMALFORMED;
    case TLX_MP_NIL:
        break;
    case TLX_MP_BOOL:
        it->v.b = b == 0xc3;
        break;
    case TLX_MP_UINT:
        if (b <= 0x7f)
            it->v.u = b;
        else {
            hdr = 1 << (b - 0xcc);
            NEED(hdr);
            it->v.u = s_be(p, hdr);
            p += hdr;
        }
        break;
    case TLX_MP_INT:
        if (b >= 0xe0)
            it->v.i = (int8_t)b;
        else {
            hdr = 1 << (b - 0xd0);
            NEED(hdr);
            uint64_t u = s_be(p, hdr);
            p += hdr;
            switch (hdr) {
            case 1:
                it->v.i = (int8_t)u;
                break;
            case 2:
                it->v.i = (int16_t)u;
                break;
            case 4:
                it->v.i = (int32_t)u;
                break;
            default:
                it->v.i = (int64_t)u;
                break;
            }
            if (it->v.i >= 0) { /* canonicalize: non-negative ints read as UINT */
                it->type = TLX_MP_UINT;
                it->v.u = (uint64_t)it->v.i;
            }
        }
        break;
    case TLX_MP_FLOAT:
        if (b == 0xca) {
            NEED(4);
            uint32_t u = (uint32_t)s_be(p, 4);
            float f;
            memcpy(&f, &u, 4);
            it->v.f = f;
            p += 4;
        } else {
            NEED(8);
            uint64_t u = s_be(p, 8);
            memcpy(&it->v.f, &u, 8);
            p += 8;
        }
        break;
    case TLX_MP_STR:
    case TLX_MP_BIN:
        if (b >= 0xa0 && b <= 0xbf)
            len = b & 0x1f;
        else {
            hdr = (b == 0xd9 || b == 0xc4) ? 1 : (b == 0xda || b == 0xc5) ? 2 : 4;
            NEED(hdr);
            len = s_be(p, hdr);
            p += hdr;
        }
        NEED(len);
        it->ptr = p;
        it->len = len;
        p += len;
        break;
    case TLX_MP_EXT: {
        static const uint8_t fixlen[] = {1, 2, 4, 8, 16};
        if (b >= 0xd4 && b <= 0xd8)
            len = fixlen[b - 0xd4];
        else {
            hdr = 1 << (b - 0xc7);
            NEED(hdr);
            len = s_be(p, hdr);
            p += hdr;
        }
        NEED(1 + len); /* type byte + payload */
        it->ptr = p + 1;
        it->len = len;
        p += 1 + len;
        break;
    }
    case TLX_MP_ARRAY:
    case TLX_MP_MAP: {
        if (b <= 0x9f)
            len = b & 0x0f;
        else {
            hdr = (b == 0xdc || b == 0xde) ? 2 : 4;
            NEED(hdr);
            len = s_be(p, hdr);
            p += hdr;
        }
        /* Every element takes at least one byte: refuse counts the
           remaining bytes cannot hold, before anyone sizes an allocation. */
        uint64_t min = it->type == TLX_MP_MAP ? len * 2 : len;
        if (min > (uint64_t)(c->end - p))
            return TLX_EMALFORMED;
        it->len = len;
        break;
    }
    }
    c->p = p;
    return 0;
}

/* Skips one item and what it contains.  The same checks and codes as
   tlx_mp_next item by item (truncation and impossible element counts:
   TLX_EMALFORMED, checked before the depth: TLX_ETOOBIG), but decoded from
   the tag byte alone: records are walked whole before they are stored,
   and building an item per element (tlx_mp_peek's ladder, then
   tlx_mp_next's switch) was most of that walk. */
static int s_skip(tlx_mp_t *c, int depth, int max_depth)
{
    const uint8_t *p = c->p;
    NEED(1);
    const uint8_t b = *p++;
    uint64_t len, n;
    int hdr;
    if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3) {
        c->p = p; /* fixint, nil, bool */
        return 0;
    }
    if (b >= 0xa0 && b <= 0xbf) {
        len = b & 0x1f;
        goto payload;
    }
    if (b <= 0x8f) {
        n = (uint64_t)(b & 0x0f) * 2;
        goto container;
    }
    if (b <= 0x9f) {
        n = b & 0x0f;
        goto container;
    }
    switch (b) {
    case 0xcc: /* uint, int, float: fixed payloads */
    case 0xd0:
        len = 1;
        goto payload;
    case 0xcd:
    case 0xd1:
        len = 2;
        goto payload;
    case 0xce:
    case 0xd2:
    case 0xca:
        len = 4;
        goto payload;
    case 0xcf:
    case 0xd3:
    case 0xcb:
        len = 8;
        goto payload;
    case 0xd4: /* fixext: type byte + 1..16 */
    case 0xd5:
    case 0xd6:
    case 0xd7:
    case 0xd8:
        len = 1 + ((uint64_t)1 << (b - 0xd4));
        goto payload;
    case 0xd9: /* str, bin: a length of 1, 2 or 4 bytes */
    case 0xc4:
        hdr = 1;
        break;
    case 0xda:
    case 0xc5:
        hdr = 2;
        break;
    case 0xdb:
    case 0xc6:
        hdr = 4;
        break;
    case 0xc7: /* ext: length, type byte, payload */
    case 0xc8:
    case 0xc9:
        hdr = 1 << (b - 0xc7);
        NEED(hdr);
        len = 1 + s_be(p, hdr);
        p += hdr;
        goto payload;
    case 0xdc:
    case 0xdd:
    case 0xde:
    case 0xdf:
        hdr = b == 0xdc || b == 0xde ? 2 : 4;
        NEED(hdr);
        n = s_be(p, hdr) * (b >= 0xde ? 2 : 1);
        p += hdr;
        goto container;
    default: /* 0xc1 */
        return TLX_EMALFORMED;
    }
    NEED(hdr);
    len = s_be(p, hdr);
    p += hdr;
payload:
    NEED(len);
    c->p = p + len;
    return 0;
container:
    /* every element takes at least one byte (tlx_mp_next) */
    if (n > (uint64_t)(c->end - p))
        return TLX_EMALFORMED;
    if (depth + 1 > max_depth)
        return TLX_ETOOBIG;
    c->p = p;
    for (uint64_t i = 0; i < n; i++) {
        int rc = s_skip(c, depth + 1, max_depth);
        if (rc)
            return rc;
    }
    return 0;
}

int tlx_mp_skip(tlx_mp_t *c, int max_depth)
{
    return s_skip(c, 0, max_depth);
}

int tlx_mp_read_map(tlx_mp_t *c, uint32_t *n)
{
    tlx_mp_t save = *c;
    tlx_mp_item_t it;
    if (tlx_mp_next(c, &it) || it.type != TLX_MP_MAP || it.len > UINT32_MAX) {
        *c = save;
        return TLX_EMALFORMED;
    }
    *n = (uint32_t)it.len;
    return 0;
}

int tlx_mp_read_array(tlx_mp_t *c, uint32_t *n)
{
    tlx_mp_t save = *c;
    tlx_mp_item_t it;
    if (tlx_mp_next(c, &it) || it.type != TLX_MP_ARRAY || it.len > UINT32_MAX) {
        *c = save;
        return TLX_EMALFORMED;
    }
    *n = (uint32_t)it.len;
    return 0;
}

int tlx_mp_read_str(tlx_mp_t *c, const char **s, size_t *len)
{
    /* a fixstr (every map key and most short values) without the general
       item reader: the store's record check reads each record's ~40 keys */
    if (c->p < c->end && (*c->p & 0xe0) == 0xa0) {
        size_t n = *c->p & 0x1fu;
        if ((size_t)(c->end - c->p) - 1 < n)
            return TLX_EMALFORMED;
        *s = (const char *)c->p + 1;
        *len = n;
        c->p += 1 + n;
        return 0;
    }
    tlx_mp_t save = *c;
    tlx_mp_item_t it;
    if (tlx_mp_next(c, &it) || it.type != TLX_MP_STR) {
        *c = save;
        return TLX_EMALFORMED;
    }
    *s = (const char *)it.ptr;
    *len = (size_t)it.len;
    return 0;
}

int tlx_mp_read_uint(tlx_mp_t *c, uint64_t *u)
{
    tlx_mp_t save = *c;
    tlx_mp_item_t it;
    if (tlx_mp_next(c, &it) || it.type != TLX_MP_UINT) {
        *c = save;
        return TLX_EMALFORMED;
    }
    *u = it.v.u;
    return 0;
}

int tlx_mp_map_find(const tlx_mp_t *map, const char *key, int max_depth, tlx_mp_t *val)
{
    tlx_mp_t c = *map;
    uint32_t n;
    int rc = tlx_mp_read_map(&c, &n);
    if (rc)
        return rc;
    for (uint32_t i = 0; i < n; i++) {
        const char *k;
        size_t kl;
        bool is = false;
        if (tlx_mp_read_str(&c, &k, &kl) == 0)
            is = tlx_mp_streq(k, kl, key);
        else if ((rc = tlx_mp_skip(&c, max_depth))) /* a non-string key */
            return rc;
        const uint8_t *start = c.p;
        if ((rc = tlx_mp_skip(&c, max_depth)))
            return rc;
        if (is) {
            val->p = start;
            val->end = c.p;
            return 0;
        }
    }
    return TLX_ENOTFOUND;
}

int tlx_mp_map_str(const tlx_mp_t *map, const char *key, int max_depth, const char **s, size_t *len)
{
    tlx_mp_t v;
    int rc = tlx_mp_map_find(map, key, max_depth, &v);
    return rc ? rc : tlx_mp_read_str(&v, s, len);
}

int tlx_mp_map_uint(const tlx_mp_t *map, const char *key, int max_depth, uint64_t *u)
{
    tlx_mp_t v;
    int rc = tlx_mp_map_find(map, key, max_depth, &v);
    return rc ? rc : tlx_mp_read_uint(&v, u);
}
