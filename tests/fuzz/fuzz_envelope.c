/* SPDX-License-Identifier: Apache-2.0 */
/*  fuzz_envelope.c -- libFuzzer target: the envelope decoder (and the JSON
    renderer over the same bytes).  Any input: a verdict, never a crash, no
    read outside the buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlx_json.h"
#include "tlx_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tlx_limits_t lim;
    tlx_limits_default(&lim);
    tlx_envelope_t env;
    tlx_reject_t why;
    char detail[256];
    /* copy so ASan sees the exact bounds */
    uint8_t *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    if (tlx_envelope_decode(buf, size, &lim, &env, &why, detail, sizeof detail) == 0) {
        volatile size_t sink = env.text.len + env.producer.len + env.meta.len;
        (void)sink;
    }
    tlx_buf_t b = TLX_BUF_INIT;
    tlx_json_from_msgpack(buf, size, 0, &b);
    tlx_buf_free(&b);
    free(buf);
    return 0;
}
