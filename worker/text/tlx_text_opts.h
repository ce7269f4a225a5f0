/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_text_opts.h -- the per-call options of the text pipeline
    (tlx_text.h): hints from the envelope and the per-source settings.

    A leaf header: the stages take the options without including the
    pipeline's own API (which includes the stages).
*/
#ifndef TLX_TEXT_OPTS_H
#define TLX_TEXT_OPTS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct tlx_tz;
struct tlx_text_scratch;

/* What the input is (tlx_text_opts_t.format; the envelope's `format`). */
typedef enum {
    TLX_FORMAT_AUTO = 0, /* decide by content: tlx_html_detect() */
    TLX_FORMAT_TEXT = 1, /* article text */
    TLX_FORMAT_HTML = 2, /* a web page: the article is extracted first (tlx_html.h) */
} tlx_format_t;

/* Per-call hints, from the envelope and per-source configuration. */
typedef struct {
    const char *source;        /* feed/site name or NULL */
    const char *lang_hint;     /* envelope `lang` or NULL */
    int64_t received_at_ms;    /* Unix ms; anchors relative dates when no published_at */
    const char *tz;            /* IANA zone for bylines without offset (e.g. "Asia/Seoul"); NULL = UTC */
    const struct tlx_tz *zone; /* tz loaded (tlx_tz.h); tlx_text_process() fills it in: leave NULL.  Without
                                  it, tz is looked up in the structure stage's table of fixed-offset zones */
    const char *currency;      /* default ISO 4217 for a bare "won" etc; NULL = guess from context */
    int day_first;             /* 1: 01/02/2016 is 1 Feb; 0: decide only when unambiguous */
    const struct tlx_keywords_df *df; /* corpus document frequencies (tlx_keywords.h); NULL = built-in */
    const struct tlx_boiler_rules
        *extra_rules; /* per-source rules from the config file (tlx_boiler.h); NULL = none */
    const struct tlx_boiler_learned *learned; /* learned boilerplate per source (tlx_boiler.h); NULL = none */
    tlx_format_t format;                      /* TLX_FORMAT_AUTO (0) unless the producer said */
    int layout_known; /* set by tlx_text_process for HTML: the structure stage takes no line for title,
                         tag line or subheading (they come from the markup) */
    int want_terms;   /* also the document-frequency terms (tlx_record_t.df_terms) */
    struct tlx_text_scratch *scratch; /* the calling thread's working state (tlx_text_scratch_new), kept
                                         from one article to the next; NULL = made and freed per call */
} tlx_text_opts_t;

#ifdef __cplusplus
}
#endif
#endif
