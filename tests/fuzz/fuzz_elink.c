/* SPDX-License-Identifier: Apache-2.0 */
/*  fuzz_elink.c -- libFuzzer target: the enrich link decoder, which faces
    the network when remote enrich workers connect (role store).

    Input: one byte n (frames, 0..6), then each frame but the last as a
    2-byte little-endian length and its bytes; the last frame is the rest.
    Every decoded message must encode again and decode to the same fields. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlx_elink.h"

static void s_check(int cond)
{
    if (!cond)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t *buf = malloc(size);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    tlx_elink_frames_t f = {.n = buf[0] % 7};
    size_t off = 1;
    for (int i = 0; i < f.n && i < TLX_ELINK_FRAMES_MAX; i++) {
        size_t len = size - off;
        if (i + 1 < f.n) {
            size_t want = off + 2 <= size ? (size_t)buf[off] | (size_t)buf[off + 1] << 8 : 0;
            off = off + 2 <= size ? off + 2 : size;
            len = want < size - off ? want : size - off;
        }
        f.p[i] = buf + off;
        f.len[i] = len;
        off += len;
    }
    tlx_elink_msg_t m, back;
    if (tlx_elink_decode(&f, 65536, &m) == 0) {
        tlx_elink_out_t out;
        s_check(tlx_elink_encode(&m, &out) == 0);
        s_check(tlx_elink_decode(&out.f, 65536, &back) == 0);
        s_check(back.type == m.type && back.inbox == m.inbox && back.token == m.token && back.ok == m.ok &&
                back.credit == m.credit);
        s_check(back.record.len == m.record.len && back.env.len == m.env.len && back.id.len == m.id.len);
        s_check(back.has_hints == m.has_hints && back.has_lines == m.has_lines && back.nlines == m.nlines);
        s_check(back.terms.len == m.terms.len && back.stage.len == m.stage.len &&
                back.reason.len == m.reason.len);
        s_check(memcmp(back.lines, m.lines, sizeof m.lines) == 0);
    }
    tlx_elink_decode(&f, 0, &m);
    free(buf);
    return 0;
}
