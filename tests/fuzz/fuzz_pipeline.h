/* SPDX-License-Identifier: Apache-2.0 */
/*  fuzz_pipeline.h -- what the text and html fuzz targets share: one text
    pipeline and arena per process, the input copied to an exact-size
    buffer (so ASan sees every read past its end), and a pipeline run whose
    record is packed and rendered as JSON.  Header-only (static inline):
    each target is its own executable. */
#ifndef FUZZ_PIPELINE_H
#define FUZZ_PIPELINE_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlx_json.h"
#include "tlx_text.h"

/* The process-wide pipeline and arena, made on first use; aborts when
   they cannot be made (a fuzz run without them means nothing). */
static inline void fuzz_pipeline_get(tlx_text_t **text, tlx_arena_t **arena)
{
    static tlx_text_t *t;
    static tlx_arena_t *a;
    if (!t) {
        const char *err = NULL;
        t = tlx_text_new(NULL, &err);
        a = tlx_arena_new(1 << 20);
        if (!t || !a)
            abort();
    }
    *text = t;
    *arena = a;
}

/* A malloc'ed copy of data with exactly size bytes (1 for size 0), or NULL. */
static inline char *fuzz_copy(const uint8_t *data, size_t size)
{
    char *buf = malloc(size ? size : 1);
    if (buf)
        memcpy(buf, data, size);
    return buf;
}

/* Runs the pipeline on buf with opts; a record is packed and rendered. */
static inline void fuzz_pipeline_run(tlx_text_t *text, tlx_arena_t *arena, const char *buf, size_t size,
                                     const tlx_text_opts_t *opts)
{
    tlx_arena_reset(arena);
    tlx_record_t rec;
    if (tlx_text_process(text, buf, size, opts, arena, &rec) != 0)
        return;
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

#endif
