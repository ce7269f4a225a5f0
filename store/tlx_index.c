/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_index.c -- index keys of a record (see tlx_index.h).  Walks the
    record map once with the bounded reader; no allocation. */
#include "tlx_index.h"

#include <string.h>

#include "tlx_error.h"
#include "tlx_mp.h"

size_t tlx_index_norm(const char *s, size_t len, char *out)
{
    size_t n = 0;
    int space = 0;
    for (size_t i = 0; i < len && n < TLX_INDEX_KEY_MAX; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = n > 0;
            continue;
        }
        if (space) {
            if (n + 1 >= TLX_INDEX_KEY_MAX)
                break;
            out[n++] = ' ';
            space = 0;
        }
        out[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    /* never end inside a UTF-8 sequence */
    if (n == TLX_INDEX_KEY_MAX) {
        size_t k = n;
        while (k > 0 && ((unsigned char)out[k - 1] & 0xc0) == 0x80)
            k--;
        if (k > 0 && (unsigned char)out[k - 1] >= 0xc0)
            n = k - 1;
    }
    return n;
}

static void s_add(tlx_index_key_t *keys, int *n, tlx_index_kind_t kind, const char *s, size_t len)
{
    if (*n >= TLX_INDEX_MAX_KEYS || len == 0)
        return;
    tlx_index_key_t *k = &keys[*n];
    k->kind = kind;
    k->len = (uint16_t)tlx_index_norm(s, len, k->key);
    if (k->len == 0)
        return;
    for (int i = 0; i < *n; i++) /* distinct: records have few keys */
        if (keys[i].kind == kind && keys[i].len == k->len && memcmp(keys[i].key, k->key, k->len) == 0)
            return;
    (*n)++;
}

static int s_str_array(tlx_mp_t *c, tlx_index_key_t *keys, int *n, tlx_index_kind_t kind)
{
    uint32_t m;
    if (tlx_mp_read_array(c, &m))
        return tlx_mp_skip(c, 8) ? TLX_EMALFORMED : 0;
    for (uint32_t i = 0; i < m; i++) {
        const char *s;
        size_t l;
        if (tlx_mp_read_str(c, &s, &l) == 0)
            s_add(keys, n, kind, s, l);
        else if (tlx_mp_skip(c, 8))
            return TLX_EMALFORMED;
    }
    return 0;
}

int tlx_index_field(const char *k, size_t kl, tlx_mp_t *c, tlx_index_key_t *keys, int *n)
{
    const char *s;
    size_t l;
    if (tlx_mp_streq(k, kl, "source") || tlx_mp_streq(k, kl, "published_at")) {
        int day = k[0] == 'p';
        if (tlx_mp_read_str(c, &s, &l) != 0) {
            if (tlx_mp_skip(c, 8)) /* nil */
                return TLX_EMALFORMED;
        } else if (!day)
            s_add(keys, n, TLX_IDX_SOURCE, s, l);
        else if (l >= 10 && s[4] == '-' && s[7] == '-')
            s_add(keys, n, TLX_IDX_DAY, s, 10);
    } else if (tlx_mp_streq(k, kl, "tags")) {
        if (s_str_array(c, keys, n, TLX_IDX_TAG))
            return TLX_EMALFORMED;
    } else if (tlx_mp_streq(k, kl, "entities")) {
        uint32_t ne;
        if (tlx_mp_read_array(c, &ne))
            return tlx_mp_skip(c, 8) ? TLX_EMALFORMED : 0;
        for (uint32_t e = 0; e < ne; e++) {
            uint32_t fields;
            if (tlx_mp_read_map(c, &fields)) {
                if (tlx_mp_skip(c, 8))
                    return TLX_EMALFORMED;
                continue;
            }
            for (uint32_t f = 0; f < fields; f++) {
                const char *fk;
                size_t fkl;
                if (tlx_mp_read_str(c, &fk, &fkl) != 0) {
                    if (tlx_mp_skip(c, 8) || tlx_mp_skip(c, 8))
                        return TLX_EMALFORMED;
                } else if (tlx_mp_streq(fk, fkl, "canonical") && tlx_mp_read_str(c, &s, &l) == 0)
                    s_add(keys, n, TLX_IDX_ENTITY, s, l);
                else if (tlx_mp_skip(c, 8))
                    return TLX_EMALFORMED;
            }
        }
    } else if (tlx_mp_skip(c, 8))
        return TLX_EMALFORMED;
    return 0;
}

bool tlx_index_field_wanted(const char *k, size_t kl)
{
    switch (kl) { /* called for every field of every record committed */
    case 4:
        return memcmp(k, "tags", 4) == 0;
    case 6:
        return memcmp(k, "source", 6) == 0;
    case 8:
        return memcmp(k, "entities", 8) == 0;
    case 12:
        return memcmp(k, "published_at", 12) == 0;
    default:
        return false;
    }
}

int tlx_index_keys(const void *rec, size_t len, tlx_index_key_t *keys, int *n)
{
    *n = 0;
    tlx_mp_t c;
    tlx_mp_init(&c, rec, len);
    uint32_t m;
    if (tlx_mp_read_map(&c, &m))
        return TLX_EMALFORMED;
    for (uint32_t i = 0; i < m; i++) {
        const char *k;
        size_t kl;
        if (tlx_mp_read_str(&c, &k, &kl)) {
            if (tlx_mp_skip(&c, 8) || tlx_mp_skip(&c, 8))
                return TLX_EMALFORMED;
            continue;
        }
        if (tlx_index_field(k, kl, &c, keys, n))
            return TLX_EMALFORMED;
    }
    return 0;
}
