/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_norm.h -- text normalization: the first pipeline stage.

    Pure function of its input; everything it returns lives in the arena.
*/
#ifndef TLX_NORM_H
#define TLX_NORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tlx_arena.h"

#ifdef __cplusplus
extern "C" {
#endif

/*  Normalizes raw article bytes into clean UTF-8 text:
      * invalid UTF-8 (bad bytes, overlongs, surrogates, > U+10FFFF) -> U+FFFD
        per maximal bad subsequence; flag TLX_FLAG_UTF8_REPAIRED;
      * NUL, C0 (but \t, \n) and C1 controls and DEL removed; flag
        TLX_FLAG_CONTROL_REMOVED;
      * CRLF, CR, NEL, U+2028, U+2029 -> LF;
      * tab, no-break and other Unicode spaces -> space; zero-width space,
        word joiner, BOM and soft hyphen removed (ZWJ/ZWNJ kept: scripts need them);
      * NFC, calling utf8proc only on lines holding a character that can
        change under NFC (ASCII and most text take the fast path);
      * runs of spaces -> one space, lines trimmed, runs of blank lines -> one
        blank line (paragraphs kept), leading/trailing blank lines dropped.
    *out is NUL-terminated, *out_len excludes the NUL; may be empty.
    *flags gets TLX_FLAG_* bits ORed in.  Returns 0 or TLX_ENOMEM.
    Linear in len; never reads outside in[0..len). */
int tlx_norm_text(const char *in, size_t len, tlx_arena_t *a, char **out, size_t *out_len, uint32_t *flags);

/*  Does the text keep anything once normalized?  False when it holds only
    spaces (NBSP and the other Unicode spaces included), line breaks,
    controls and removed format characters (BOM, zero-width): the front
    rejects such an envelope as empty_text instead of storing an empty
    record.  Stops at the first visible character (usually the first byte);
    invalid UTF-8 counts as content (it becomes U+FFFD).  Never allocates. */
bool tlx_norm_has_content(const char *in, size_t len);

#ifdef __cplusplus
}
#endif
#endif
