/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_json.h -- render any msgpack object as JSON.

    Used by the CLI to print records (store/SCHEMA.md describes their
    layout).  Maps with non-string keys render the key as a JSON string of
    its scalar value; bin renders as a base64 string; ext as null.  Strings
    are emitted as UTF-8 with JSON escapes; invalid UTF-8 bytes become
    U+FFFD so the output is always valid JSON.

    One rule knows a key: an unsigned integer under the key `simhash64` (a
    64-bit fingerprint) is rendered as a string of 16 lower-case hex digits,
    because JSON consumers (JavaScript, jq, Elasticsearch's long) silently
    round integers past 2^53.  The msgpack store keeps the integer.
*/
#ifndef TLX_JSON_H
#define TLX_JSON_H

#include <stddef.h>

#include "tlx_buf.h"

#ifdef __cplusplus
extern "C" {
#endif

/*  Appends the JSON text of the msgpack object in buf[0..len) to *out.
    pretty: 0 = one line (JSON Lines), >0 = indented with that many spaces.
    Returns 0, TLX_EMALFORMED (not one valid msgpack object) or TLX_ENOMEM. */
int tlx_json_from_msgpack(const void *buf, size_t len, int pretty, tlx_buf_t *out);

/*  Appends s[0..len) as a quoted, escaped JSON string. */
int tlx_json_string(tlx_buf_t *out, const char *s, size_t len);

#ifdef __cplusplus
}
#endif
#endif
