/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_index.h -- what a record contributes to the query indexes.

    Pure: reads a packed record (SCHEMA.md) and lists its index keys:
    entity canonical names, tags, source and published day.  The writer
    puts these keys in the same txn as the record (and deletes those of
    the revision it supersedes); `telex verify` recomputes them to check
    the indexes.  Keys are normalized with tlx_index_norm() so queries are
    case- and space-insensitive.
*/
#ifndef TLX_INDEX_H
#define TLX_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tlx_mp.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TLX_INDEX_KEY_MAX 250 /* bytes; LMDB keys are limited to 511 */
#define TLX_INDEX_MAX_KEYS 512

typedef enum { TLX_IDX_ENTITY, TLX_IDX_TAG, TLX_IDX_SOURCE, TLX_IDX_DAY, TLX_IDX__COUNT } tlx_index_kind_t;

typedef struct {
    tlx_index_kind_t kind;
    uint16_t len;
    char key[TLX_INDEX_KEY_MAX];
} tlx_index_key_t;

/*  Normalizes a query or index string into out (at least TLX_INDEX_KEY_MAX
    bytes): ASCII lower-case, runs of whitespace -> one space, trimmed,
    truncated at a UTF-8 boundary.  Returns the length. */
size_t tlx_index_norm(const char *s, size_t len, char *out);

/*  Extracts the distinct index keys of a packed record into keys[0..*n).
    Returns 0 or TLX_EMALFORMED.  At most TLX_INDEX_MAX_KEYS keys (the rest
    are dropped: a record with more entities than that is indexed by its
    first ones).  `keys` must hold TLX_INDEX_MAX_KEYS entries. */
int tlx_index_keys(const void *rec, size_t len, tlx_index_key_t *keys, int *n);

/*  One top-level field of a record for tlx_index_keys: adds the keys of the
    value at `c` (field name k, kl bytes) to keys[0..*n) and moves `c` past
    the value.  tlx_index_keys is this over every string-keyed field of the
    map (a non-string key and its value are skipped), stopping at the first
    error; a writer that walks the record anyway calls it per field
    instead of walking the record a second time.  Returns 0 or
    TLX_EMALFORMED (a value it cannot read or skip at depth 8: the record
    is then not indexed at all). */
int tlx_index_field(const char *k, size_t kl, tlx_mp_t *c, tlx_index_key_t *keys, int *n);

/*  Whether tlx_index_field takes keys from field k (source, published_at,
    tags, entities); for any other field it only skips the value. */
bool tlx_index_field_wanted(const char *k, size_t kl);

#ifdef __cplusplus
}
#endif
#endif
