/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_elink.h -- the enrich link codec: the frames between telexd's
    dispatcher and its enrich workers (proto/PROTOCOL.md, section 5).

    One message is 1 to 5 ZeroMQ frames (after the ROUTER's routing id).
    tlx_elink_decode() turns the frames into one typed message,
    tlx_elink_encode() does the reverse; the socket code only moves frames.
    Pure: no I/O, no allocation; decoded byte ranges borrow from the
    frames.  Every length is checked against the frame before it is used,
    because the enrich link can face a network (remote workers).
*/
#ifndef TLX_ELINK_H
#define TLX_ELINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tlx_proto.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TLX_ELINK_FRAMES_MAX 5    /* frames in one message, at most */
#define TLX_ELINK_CREDIT_MAX 1024 /* credit a hello may announce (larger is clamped) */
#define TLX_ELINK_LINES_MAX 32    /* candidate line keys in a result */
#define TLX_ELINK_HINTS_WIRE 62   /* bytes of the hints frame */
#define TLX_ELINK_STAGE_MAX 63    /* a failure's stage name, bytes (longer is cut) */
#define TLX_ELINK_REASON_MAX 255  /* a failure's reason, bytes (longer is cut) */
#define TLX_ELINK_HEARTBEATS 1    /* hello flag: the worker sends and expects heartbeats */
#define TLX_ELINK_TOKENS 2 /* hello flag: the worker echoes dispatch tokens (this protocol; required) */

typedef enum {
    TLX_ELINK_HELLO = 'H',  /* worker: credit [flags] */
    TLX_ELINK_BEAT = 'B',   /* either side: heartbeat */
    TLX_ELINK_LEAVE = 'D',  /* worker: leaving, re-dispatch my articles */
    TLX_ELINK_RESULT = 'R', /* worker: a record or a failure */
    TLX_ELINK_JOB = 'J',    /* dispatcher: one article */
    TLX_ELINK_WHO = 'W',    /* dispatcher: unknown worker, reconnect and hello */
    TLX_ELINK_STOP = 'X',   /* dispatcher: stop */
} tlx_elink_type_t;

/*  The fingerprints a result carries for the writer (see store's
    tlx_commit_hints_t). */
typedef struct {
    uint8_t sha256[32];
    uint64_t simhash, shingle;
    uint8_t bands[4][3];
    uint8_t near_max, verify_max;
} tlx_elink_hints_t;

typedef struct {
    tlx_elink_type_t type;
    /* HELLO */
    uint32_t credit; /* 1..TLX_ELINK_CREDIT_MAX after decode */
    uint8_t flags;   /* TLX_ELINK_HEARTBEATS, TLX_ELINK_TOKENS */
    /* JOB, RESULT */
    uint64_t inbox;
    uint64_t token; /* the dispatch's token: a job carries it, its result echoes it */
    /* JOB */
    uint32_t revision;
    uint64_t received_at;
    tlx_bytes_t id, env;
    /* RESULT */
    bool ok;            /* false: a failure (stage, reason) */
    tlx_bytes_t record; /* ok: the msgpack record */
    bool has_hints;     /* ok: a well-formed hints frame came */
    tlx_elink_hints_t hints;
    tlx_bytes_t terms; /* ok, has_hints: NUL-terminated terms (may be empty) */
    bool has_lines;    /* ok, has_hints: a well-formed lines frame came */
    size_t nlines;
    uint64_t lines[TLX_ELINK_LINES_MAX];
    tlx_bytes_t stage, reason; /* !ok: cut to the _MAX lengths above */
} tlx_elink_msg_t;

/*  Frames of one message: borrowed pointers and lengths. */
typedef struct {
    const void *p[TLX_ELINK_FRAMES_MAX];
    size_t len[TLX_ELINK_FRAMES_MAX];
    int n; /* frames received; may exceed TLX_ELINK_FRAMES_MAX (then malformed) */
} tlx_elink_frames_t;

/*  What tlx_elink_encode fills: frames pointing into the message's byte
    ranges and into the small buffers here.  Valid while both live. */
typedef struct {
    tlx_elink_frames_t f;
    uint8_t head[32];
    uint8_t hints[TLX_ELINK_HINTS_WIRE];
    uint8_t lines[TLX_ELINK_LINES_MAX * 8];
} tlx_elink_out_t;

/*  Decodes one message.  max_payload bounds the envelope of a job and the
    record and terms of a result (0 = no bound beyond the frame).  Returns
    0 with *m filled, or TLX_EMALFORMED (unknown type, wrong frame count or
    size, a payload past max_payload).  A result whose header is sound but
    whose frames are not (wrong count, bad status) decodes as a failure
    with empty stage and reason, so its article is retried rather than its
    credit lost; a malformed hints or lines frame is ignored (has_hints /
    has_lines false), as PROTOCOL.md says.  Never allocates; linear in
    the frame sizes. */
int tlx_elink_decode(const tlx_elink_frames_t *in, size_t max_payload, tlx_elink_msg_t *m);

/*  Encodes m into out->f.  A result that is ok sends hints only when
    has_hints, then terms and lines as PROTOCOL.md orders them (an empty
    terms frame when lines follow).  Returns 0 or TLX_EINVAL (unknown
    type, nlines > TLX_ELINK_LINES_MAX). */
int tlx_elink_encode(const tlx_elink_msg_t *m, tlx_elink_out_t *out);

#ifdef __cplusplus
}
#endif
#endif
