/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_gaz.h -- gazetteers: known names, their type and canonical form.

    Data files (data/gazetteers/ *.tsv, UTF-8), one name per line:
        TYPE <TAB> Canonical name <TAB> variant | variant | ...
    TYPE is PER, LOC, ORG or MISC, or NONE for strings that look like names
    but are not (currency codes, site furniture): a NONE match suppresses
    tagger entities there.  The canonical name is itself a variant;
    '#' starts a comment line.  Variants are tokenized like article text
    (tlx_ner_tok) and matched case-insensitively on token sequences, except
    all-capital variants (acronyms such as MSS, KCNA), which match only
    exactly.  A match must start with a capital letter or a digit.
*/
#ifndef TLX_GAZ_H
#define TLX_GAZ_H

#include <stddef.h>
#include <stdint.h>

#include "tlx_ner_tok.h"
#include "tlx_record.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tlx_gaz tlx_gaz_t;

/* The type of NONE entries in matches (not a tlx_ent_type_t value). */
#define TLX_GAZ_NONE 4

typedef struct {
    uint32_t start, end; /* token indexes, end exclusive */
    tlx_ent_type_t type;
    const char *canonical; /* borrowed from the gazetteer; valid until destroy */
} tlx_gaz_match_t;

/*  Creates an empty gazetteer.  Caller owns; free with tlx_gaz_destroy().
    NULL on ENOMEM. */
tlx_gaz_t *tlx_gaz_new(void);

/*  Frees the gazetteer; nulls *self_p; safe twice. */
void tlx_gaz_destroy(tlx_gaz_t **self_p);

/*  Adds one variant of a name.  Later additions of the same variant win.
    @return 0, TLX_ENOMEM, TLX_EINVAL (empty variant or canonical). */
int tlx_gaz_add(tlx_gaz_t *self, tlx_ent_type_t type, const char *canonical, const char *variant);

/*  Loads one .tsv file (format above).  Malformed lines are skipped and
    counted in *bad (may be NULL).
    @return 0, TLX_EIO (cannot read), TLX_ENOMEM. */
int tlx_gaz_load_file(tlx_gaz_t *self, const char *path, size_t *bad);

/*  Loads every *.tsv file of `dir` in name order.
    @return 0, TLX_EIO (no such dir), TLX_ENOMEM. */
int tlx_gaz_load_dir(tlx_gaz_t *self, const char *dir);

/*  Number of variants loaded. */
size_t tlx_gaz_size(const tlx_gaz_t *self);

/*  Longest-match, left-to-right, non-overlapping matches of toks[0..n).
    @param[out] out  up to `cap` matches
    @return the number of matches written.  Thread-safe (read-only). */
size_t tlx_gaz_match(const tlx_gaz_t *self, const tlx_ner_tok_t *toks, size_t n, tlx_gaz_match_t *out,
                     size_t cap);

/*  tlx_gaz_match in batches, for a caller with a fixed-size `out`: the
    matches of toks[0..n) from token *from on (token indexes from toks[0]),
    at most `cap`; *from moves past the last one written, to n when no
    more follow.  Calls until it returns 0 give the matches of
    tlx_gaz_match(self, toks + from, n - from, ...) with no cap.
    @return the number written, 0 when there are no more.  Thread-safe. */
size_t tlx_gaz_match_from(const tlx_gaz_t *self, const tlx_ner_tok_t *toks, size_t n, size_t *from,
                          tlx_gaz_match_t *out, size_t cap);

/*  Looks up the exact token sequence toks[0..n) (same case rules).
    @return 1 and fills *type / *canonical (borrowed) when known, else 0. */
int tlx_gaz_lookup(const tlx_gaz_t *self, const tlx_ner_tok_t *toks, size_t n, tlx_ent_type_t *type,
                   const char **canonical);

/*  Parses "PER" / "LOC" / "ORG" / "MISC" / "NONE" (TLX_GAZ_NONE); -1 otherwise. */
int tlx_gaz_type_from_name(const char *s, size_t len);

/*  "PER", "LOC", "ORG", "MISC" ("NONE" for TLX_GAZ_NONE). */
const char *tlx_gaz_type_name(tlx_ent_type_t t);

#ifdef __cplusplus
}
#endif
#endif
