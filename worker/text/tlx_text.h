/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_text.h -- the text pipeline: raw article text in, record out.

    Pure: no I/O, no globals, no locks, with one exception: the first
    article that names a time zone (opts->tz) loads that zone's TZif file
    into the tlx_text_t, under a mutex, once per zone; later calls only read
    it.  A tlx_text_t holds what is loaded once and shared read-only by every
    enrich thread (NER model, gazetteers, boilerplate rules, time zones,
    per-source settings).  Each call works inside the caller's arena; the
    record's pointers borrow from it.

    Stages, in order (each a module of its own in worker/text/):
      html        tlx_html.h       web pages only: article text + metadata from markup
      normalize   tlx_norm.h       UTF-8 repair, controls, NFC, spaces, mojibake, apostrophes
      structure   tlx_structure.h  title, tags, captions, byline, date, credits, boilerplate, body, sentences,
   stats entities    tlx_ner.h        tagger + gazetteers + canonical names enrich      tlx_enrich.h dates,
   money, quotes, sources, keywords, summary, language, simhash
*/
#ifndef TLX_TEXT_H
#define TLX_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "tlx_arena.h"
#include "tlx_record.h"
#include "tlx_text_opts.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tlx_text tlx_text_t;

/*  The data directory: `datadir` when given, else the built-in search
    path (TELEX_DATA, then the source tree of this build, then the install
    dir, then ./data; the first that exists).  Borrowed: datadir, the
    environment or static text. */
const char *tlx_text_datadir(const char *datadir);

/*  Loads shared resources from `datadir` (models, gazetteers, rules); NULL
    means the built-in search path (tlx_text_datadir).  Missing optional
    resources disable their stage with a warning in *err_msg (borrowed
    static text).  Returns NULL on ENOMEM or when a present resource is
    corrupt (reason in *err_msg).  Caller owns; free with
    tlx_text_destroy().  Thread-safe for concurrent tlx_text_process(). */
tlx_text_t *tlx_text_new(const char *datadir, const char **err_msg);
void tlx_text_destroy(tlx_text_t **self_p);

/*  Per-thread working state of the pipeline, kept from one article to the
    next so that the steady state does not redo per article what depends
    only on the thread and the loaded resources: today the NER tagger's
    word cache and working arrays (tlx_ner_tag_with; about 4 MB at most).
    Pass it as opts->scratch; results are the same with or without it.
    Not thread-safe: one per thread; usable with any tlx_text_t (a cache
    made with another model is emptied on first use).
    @return the scratch or NULL (out of memory).  Caller owns; free with
    tlx_text_scratch_destroy(). */
typedef struct tlx_text_scratch tlx_text_scratch_t;
tlx_text_scratch_t *tlx_text_scratch_new(void);

/*  Frees the scratch; nulls *self_p; safe twice. */
void tlx_text_scratch_destroy(tlx_text_scratch_t **self_p);

/*  Runs every stage on `text` (any bytes; invalid UTF-8 is repaired).
    Fills *rec (which it zeroes first) with pointers into `arena`.
    opts->tz is loaded from the system's zoneinfo (TZDIR, else
    /usr/share/zoneinfo: Debian package tzdata) the first time it is seen;
    a zone that cannot be loaded falls back to the fixed-offset table.
    Returns 0, TLX_ENOMEM, or TLX_EMALFORMED when nothing usable remains
    (the text is empty after normalization).  Never crashes on any input;
    linear time in len.  When opts->source is set, rec->line_keys gets the
    article's candidate lines for the learned-boilerplate statistics
    (tlx_boiler_candidates).
    HTML (opts->format, or detected when TLX_FORMAT_AUTO): the article is
    extracted first and the stages run on its text (the body's paragraphs,
    with opts->layout_known set); title, authors, published_at, captions, tags
    and lang from the page's markup override what the structure stage
    found, rec->url gets the canonical URL, rec->from_markup names those
    fields, and rec->flags has TLX_FLAG_HTML (and TLX_FLAG_NO_ARTICLE,
    TLX_FLAG_CHARSET_UNKNOWN, TLX_FLAG_TRUNCATED as they apply).  A page
    without article text gives a record (empty body, flagged), not
    TLX_EMALFORMED. */
int tlx_text_process(const tlx_text_t *self, const char *text, size_t len, const tlx_text_opts_t *opts,
                     tlx_arena_t *arena, tlx_record_t *rec);

#ifdef __cplusplus
}
#endif
#endif
