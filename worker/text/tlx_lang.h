/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_lang.h -- language of the body (ISO 639-1) with a reliability bit.

    Detector: CLD2 (Debian libcld2-dev, Compact Language Detector 2), through
    a small extern "C" shim (tlx_lang_cld2.cc).  Chosen over libexttextcat
    after a side-by-side run on 20 one-sentence news texts in 16 languages
    (en, ko, fr, de, es, it, pt, nl, ru, ja, zh, sv, pl) and on seed 001:
      CLD2         20/20 correct;  ~24 us on a 1 KB sample, ~90 us on 4 KB
      exttextcat   19/20 (sv -> da; several multi-candidate "unsure"
                   answers: it, nl, zh, de); ~440 us on 600 B, ~660 us on 4 KB
    CLD2 is both more accurate on short text and ~20x faster, and it reports
    is_reliable, which exttextcat only approximates by returning several
    candidates.  To bound the cost we look at a sample of at most
    TLX_LANG_SAMPLE bytes (cut on a word boundary) taken from the body
    start: news bodies do not switch language mid-article (512 B: ~12 us in
    bench_enrich, still reliable on every test text).

    Pure, thread-safe (CLD2's tables are static const), no allocation.
*/
#ifndef TLX_LANG_H
#define TLX_LANG_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TLX_LANG_SAMPLE 512

/*  Detects the language of text[0..len).  Sets *code to a static ISO 639-1
    code ("en", "ko", ...; "zh" for both scripts) or NULL when unknown, and
    *reliable to CLD2's verdict (false also when the text is too short or
    unknown).  Invalid UTF-8 is tolerated (the sample is cut at the first
    invalid byte).  Always returns 0. */
int tlx_lang_detect(const char *text, size_t len, const char **code, bool *reliable);

/*  The raw CLD2 call behind tlx_lang_detect (in tlx_lang_cld2.cc); text
    must be valid UTF-8.  Returns a static code or NULL. */
const char *tlx_lang_cld2(const char *text, int len, bool *reliable);

#ifdef __cplusplus
}
#endif
#endif
