/* SPDX-License-Identifier: Apache-2.0 */
/*  fuzz_html.c -- libFuzzer target: web pages.  The bytes go through the
    HTML extraction alone (tlx_html_extract: parser, statistics, scoring,
    metadata, JSON-LD) and then through the whole text pipeline as a page
    (opts.format = html), with the record packed and rendered as JSON.  Any
    input: a record or a clean error, never a crash, never a read out of
    bounds.  Seeded with the small hand-written pages of
    tests/fuzz/regress/html/ (make fuzz copies them into the corpus). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlx_html.h"
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
    tlx_html_doc_t doc;
    if (tlx_html_extract(buf, size, arena, &doc) == 0) {
        if (!doc.text || strlen(doc.text) != doc.text_len)
            abort(); /* the contract: NUL-terminated, text_len bytes */
        tlx_html_detect(buf, size);
    }
    tlx_arena_reset(arena);
    tlx_record_t rec;
    tlx_text_opts_t opts = {
        .format = TLX_FORMAT_HTML, .received_at_ms = 1700000000000LL, .source = size % 2 ? "example" : NULL};
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
