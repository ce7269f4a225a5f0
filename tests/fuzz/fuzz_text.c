/* SPDX-License-Identifier: Apache-2.0 */
/*  fuzz_text.c -- libFuzzer target: the whole text pipeline (normalize,
    structure, entities, every enrichment) on arbitrary bytes, then the
    record packer and the JSON renderer over its output.  Any input: a
    record or a clean error, never a crash, never a read out of bounds. */
#include "fuzz_pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tlx_text_t *text;
    tlx_arena_t *arena;
    fuzz_pipeline_get(&text, &arena);
    char *buf = fuzz_copy(data, size);
    if (!buf)
        return 0;
    tlx_text_opts_t opts = {.source = size % 2 ? "dailynk" : NULL,
                            .received_at_ms = 1700000000000LL,
                            .tz = size % 3 ? "Asia/Seoul" : NULL,
                            .day_first = size % 5 == 0};
    fuzz_pipeline_run(text, arena, buf, size, &opts);
    free(buf);
    return 0;
}
