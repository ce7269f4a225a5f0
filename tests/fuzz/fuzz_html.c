/* SPDX-License-Identifier: Apache-2.0 */
/*  fuzz_html.c -- libFuzzer target: web pages.  The bytes go through the
    HTML extraction alone (tlx_html_extract: parser, statistics, scoring,
    metadata, JSON-LD) and then through the whole text pipeline as a page
    (opts.format = html), with the record packed and rendered as JSON.  Any
    input: a record or a clean error, never a crash, never a read out of
    bounds.  Seeded with the small hand-written pages of
    tests/fuzz/regress/html/ (make fuzz copies them into the corpus). */
#include "fuzz_pipeline.h"
#include "tlx_html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tlx_text_t *text;
    tlx_arena_t *arena;
    fuzz_pipeline_get(&text, &arena);
    char *buf = fuzz_copy(data, size);
    if (!buf)
        return 0;
    tlx_arena_reset(arena);
    tlx_html_doc_t doc;
    if (tlx_html_extract(buf, size, arena, &doc) == 0) {
        if (!doc.text || strlen(doc.text) != doc.text_len)
            abort(); /* the contract: NUL-terminated, text_len bytes */
        tlx_html_detect(buf, size);
    }
    tlx_text_opts_t opts = {
        .format = TLX_FORMAT_HTML, .received_at_ms = 1700000000000LL, .source = size % 2 ? "example" : NULL};
    fuzz_pipeline_run(text, arena, buf, size, &opts);
    free(buf);
    return 0;
}
