/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_mp.h -- a bounded, zero-copy msgpack reader.

    msgpack-c's unpacker trusts headers: a 5-byte array32 header can make it
    allocate gigabytes.  This reader never allocates; every header is checked
    against the bytes actually left in the buffer (an array of n elements
    needs at least n bytes, a map of n entries at least 2n) and nesting is
    bounded.  Strings and bins come back as pointers into the input buffer:
    borrowed, valid while the buffer is.

    All functions return 0, TLX_ENOTFOUND (map lookups only), TLX_EMALFORMED (truncated / impossible / wrong
    type -- see the `want` wording in each) or TLX_ETOOBIG (nesting limit).
    Pure; thread-safe on distinct cursors.  Packing uses msgpack-c.
*/
#ifndef TLX_MP_H
#define TLX_MP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    TLX_MP_NIL,
    TLX_MP_BOOL,
    TLX_MP_UINT,
    TLX_MP_INT, /* negative */
    TLX_MP_FLOAT,
    TLX_MP_STR,
    TLX_MP_BIN,
    TLX_MP_ARRAY,
    TLX_MP_MAP,
    TLX_MP_EXT,
    TLX_MP_INVALID /* 0xc1 or end of input */
} tlx_mp_type_t;

typedef struct {
    const uint8_t *p, *end;
} tlx_mp_t;

/* One decoded item.  For STR/BIN/EXT `ptr`/`len` borrow from the buffer;
   for ARRAY/MAP `len` is the element/entry count (already bounds-checked). */
typedef struct {
    tlx_mp_type_t type;
    const uint8_t *ptr;
    uint64_t len;
    union {
        bool b;
        uint64_t u;
        int64_t i;
        double f;
    } v;
} tlx_mp_item_t;

static inline void tlx_mp_init(tlx_mp_t *c, const void *buf, size_t len)
{
    c->p = (const uint8_t *)buf;
    c->end = c->p + len;
}

static inline size_t tlx_mp_left(const tlx_mp_t *c)
{
    return (size_t)(c->end - c->p);
}

/* The type of each first byte (tlx_mp.c); internal to tlx_mp_peek. */
extern const uint8_t tlx_mp__type[256];

/*  Type of the next item without consuming it.  Inline, one table load:
    the store's record check peeks at every value of every record it
    commits, and the call with its chain of range tests was ~3.5 % of
    telexd's main thread in the null pipeline. */
static inline tlx_mp_type_t tlx_mp_peek(const tlx_mp_t *c)
{
    return c->p < c->end ? (tlx_mp_type_t)tlx_mp__type[*c->p] : TLX_MP_INVALID;
}

/*  Reads one item header (and for scalars, strings, bins and exts the whole
    item).  For ARRAY/MAP only the header is consumed; the elements follow. */
int tlx_mp_next(tlx_mp_t *c, tlx_mp_item_t *it);

/*  Skips one whole item, nested containers included, refusing nesting deeper
    than `max_depth` (TLX_ETOOBIG). */
int tlx_mp_skip(tlx_mp_t *c, int max_depth);

/*  Typed reads: TLX_EMALFORMED when the next item has another type. */
int tlx_mp_read_map(tlx_mp_t *c, uint32_t *n);
int tlx_mp_read_array(tlx_mp_t *c, uint32_t *n);
int tlx_mp_read_str(tlx_mp_t *c, const char **s, size_t *len);
int tlx_mp_read_uint(tlx_mp_t *c, uint64_t *u);

/*  Finds the first entry whose key is the string `key` in the map at `map`
    (the cursor is not moved); *val then spans exactly that entry's value.
    Non-string keys are skipped.  Values before the match are skipped with
    nesting bounded by `max_depth`.
    Returns 0, TLX_ENOTFOUND (a map without that key), TLX_EMALFORMED (not
    a map, or truncated) or TLX_ETOOBIG (nesting limit). */
int tlx_mp_map_find(const tlx_mp_t *map, const char *key, int max_depth, tlx_mp_t *val);

/*  tlx_mp_map_find() then a typed read of the value: TLX_EMALFORMED when
    the value has another type.  Strings are borrowed from the buffer. */
int tlx_mp_map_str(const tlx_mp_t *map, const char *key, int max_depth, const char **s, size_t *len);
int tlx_mp_map_uint(const tlx_mp_t *map, const char *key, int max_depth, uint64_t *u);

/*  Compares a borrowed string with a C literal. */
static inline bool tlx_mp_streq(const char *s, size_t len, const char *lit)
{
    size_t i = 0;
    for (; i < len && lit[i]; i++)
        if (s[i] != lit[i])
            return false;
    return i == len && lit[i] == '\0';
}

#ifdef __cplusplus
}
#endif
#endif
