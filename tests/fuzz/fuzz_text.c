/* SPDX-License-Identifier: Apache-2.0 */
/*  fuzz_text.c -- libFuzzer target: the whole text pipeline (normalize,
    structure, entities, every enrichment) on arbitrary bytes, then the
    record packer and the JSON renderer over its output.  Any input: a
    record or a clean error, never a crash, never a read out of bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlx_json.h"
#include "tlx_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static tlx_text_t *text;
    static tlx_arena_t *arena;
    if (!text) {
        const char *err = NULL;
        text = tlx_text_new(NULL, &err);
        arena = tlx_arena_new(1 << 20);
        if (!text || !arena)
            abort();
    }
    char *buf = malloc(size ? size : 1); /* exact bounds for ASan */
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    tlx_arena_reset(arena);
    tlx_record_t rec;
    tlx_text_opts_t opts = {.source = size % 2 ? "dailynk" : NULL,
                            .received_at_ms = 1700000000000LL,
                            .tz = size % 3 ? "Asia/Seoul" : NULL,
                            .day_first = size % 5 == 0};
    if (tlx_text_process(text, buf, size, &opts, arena, &rec) == 0) {
        rec.id = "fuzz";
        char *packed;
        size_t n;
        if (tlx_record_pack(&rec, &packed, &n) == 0) {
            tlx_buf_t b = TLX_BUF_INIT;
            tlx_json_from_msgpack(packed, n, 0, &b);
            tlx_buf_free(&b);
            free(packed);
        }
    }
    free(buf);
    return 0;
}
