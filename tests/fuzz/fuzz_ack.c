/* SPDX-License-Identifier: Apache-2.0 */
/*  fuzz_ack.c -- libFuzzer target: the ack decoder the producer library
    runs on whatever arrives from the network. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlx_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    tlx_ack_t ack;
    if (tlx_ack_decode(buf, size, &ack) == 0) {
        volatile size_t sink = ack.id.len + ack.error.len + ack.detail.len;
        (void)sink;
    }
    free(buf);
    return 0;
}
