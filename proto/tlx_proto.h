/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_proto.h -- the telex wire protocol v1: envelope and ack codec.

    proto/PROTOCOL.md is the normative specification; this is its code.
    Pure: no I/O, no allocation on the decode path (decoded fields borrow
    from the frame), limits enforced before anything is sized from a header.
*/
#ifndef TLX_PROTO_H
#define TLX_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tlx_buf.h"
#include "tlx_error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TLX_PROTO_VERSION 1

/* Where telexd listens and keeps its store unless told otherwise
   ($TELEX_ENDPOINT, $TELEX_STORE, options): the one copy of each. */
#define TLX_DEFAULT_ENDPOINT "tcp://127.0.0.1:5555"
#define TLX_DEFAULT_STORE "./telex-data"

/* A borrowed byte range. */
typedef struct {
    const char *p;
    size_t len;
} tlx_bytes_t;

typedef struct {
    size_t max_text;       /* text bytes; default 8 MiB                  */
    size_t max_str;        /* producer, id, source, url, lang; 4 KiB     */
    uint32_t max_meta;     /* meta entries; 256                          */
    size_t max_meta_value; /* meta value bytes; 64 KiB                   */
    int max_depth;         /* container nesting anywhere in the frame; 8 */
} tlx_limits_t;

/* The longest envelope `id` (bytes), whatever max_str says: an id is a key
   of the store (`ids`; `dedup` after a one-byte prefix, store/SCHEMA.md)
   and LMDB keys hold at most 511 bytes.  A longer id is rejected too_big:
   accepted, it would fail every write batch it joins. */
#define TLX_ENV_ID_MAX 510

/*  Fills *lim with the defaults above. */
void tlx_limits_default(tlx_limits_t *lim);

/*  Socket-level cap (ZMQ_MAXMSGSIZE): 4x the text limit plus headroom. */
int64_t tlx_limits_max_frame(const tlx_limits_t *lim);

typedef enum {
    TLX_REJ_NONE = 0,
    TLX_REJ_NOT_MSGPACK,
    TLX_REJ_NOT_A_MAP,
    TLX_REJ_MISSING_FIELD,
    TLX_REJ_BAD_TYPE,
    TLX_REJ_BAD_VERSION,
    TLX_REJ_TOO_BIG,
    TLX_REJ_EMPTY_TEXT,
    TLX_REJ_READ_ONLY, /* sent to a read replica (telexd --role replica) */
    TLX_REJ__COUNT
} tlx_reject_t;

/*  Machine-readable name ("not_msgpack", ...) of a reject reason. */
const char *tlx_reject_name(tlx_reject_t r);

/* The envelope's `format` (what `text` is). */
typedef enum {
    TLX_ENV_FORMAT_NONE = 0, /* absent: the worker decides by content */
    TLX_ENV_FORMAT_TEXT = 1, /* "text": article text */
    TLX_ENV_FORMAT_HTML = 2, /* "html": a web page; the article is extracted */
} tlx_env_format_t;

typedef struct {
    uint32_t v;
    tlx_bytes_t producer;
    uint64_t seq;
    tlx_bytes_t text;
    bool text_is_bin;
    tlx_bytes_t id, source, url, lang; /* len 0 when absent */
    uint64_t received_at;              /* Unix ms; 0 when absent */
    tlx_env_format_t format;           /* TLX_ENV_FORMAT_NONE when absent */
    tlx_bytes_t meta;                  /* raw msgpack map (str->str), len 0 when absent */
    uint32_t nmeta;
} tlx_envelope_t;

/*  Decodes and validates one envelope frame.
    On success returns 0 and fills *env with pointers into `buf` (borrowed:
    valid while `buf` is).  On bad input returns TLX_EMALFORMED with
    *reason set and a human sentence in `detail` (always NUL-terminated,
    truncated to detail_size); env->seq then still holds the envelope's
    seq when the frame is a map with an unsigned `seq` (0 otherwise), so the
    reject ack can echo it.  Unknown keys are skipped (forward
    compatibility); a `format` other than "text" or "html" is bad_type.
    Never allocates; linear in len. */
int tlx_envelope_decode(const void *buf, size_t len, const tlx_limits_t *lim, tlx_envelope_t *env,
                        tlx_reject_t *reason, char *detail, size_t detail_size);

/*  Encodes an envelope (producer side).  `text` is sent as str.  Optional
    fields with len 0 are omitted.  meta (raw msgpack map) is copied as is.
    Appends to *out; returns 0 or TLX_ENOMEM. */
int tlx_envelope_encode(const tlx_envelope_t *env, tlx_buf_t *out);

typedef enum { TLX_ACK_ACCEPTED, TLX_ACK_DUPLICATE, TLX_ACK_REJECTED, TLX_ACK_BUSY } tlx_ack_status_t;

const char *tlx_ack_status_name(tlx_ack_status_t s);

typedef struct {
    uint32_t v;
    uint64_t seq; /* the envelope's seq (0 when it could not be read) */
    tlx_ack_status_t status;
    tlx_bytes_t id;     /* stored id (accepted, duplicate) */
    tlx_bytes_t error;  /* reject reason name (rejected) or busy reason */
    tlx_bytes_t detail; /* human sentence */
} tlx_ack_t;

/*  Encodes an ack map {v, seq, status, id?, error?, detail?}; appends to *out. */
int tlx_ack_encode(const tlx_ack_t *ack, tlx_buf_t *out);

/*  Decodes an ack (client side); fields borrow from `buf`.  Returns 0 or
    TLX_EMALFORMED.  Never allocates. */
int tlx_ack_decode(const void *buf, size_t len, tlx_ack_t *ack);

#ifdef __cplusplus
}
#endif
#endif
