/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_layout.h -- a scored model over the lines of an article: what each
    line of a page text is (headline, deck, byline/date line, caption,
    site furniture, subheading, body).

    Each non-empty line gets a vector of generic features: position in the
    text and relative to the first prose line, length, word count, shape
    (sentence end, colon, bullet, bar, brackets, casing, digits), classes
    of the words it holds (function words, reporting verbs, furniture
    words such as share/subscribe/comment/menu, credit words, byline
    words, month and weekday names, date labels), date and time shapes,
    a dateline start ("SEOUL, March 4 (Yonhap) --"), a person-name shape,
    repetition of an earlier line, and the same few shape bits of the two
    neighbours.  A multinomial logistic regression (weights in
    tlx_layout_model.h, trained offline by tools/train_layout.py on
    labelled page texts of many outlets, cross-validated across outlets)
    scores the classes; a second pass adds the first pass's class
    probabilities of the neighbouring lines (a line under a headline, a
    run of teaser links).  Nothing here names an outlet.

    Pure, thread-safe after the first call (word tables built once),
    linear in the input: each line is scanned a bounded number of times
    and only its first TLX_LAYOUT_WORDS_MAX words are looked up.
*/
#ifndef TLX_LAYOUT_H
#define TLX_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "tlx_arena.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    TLX_LC_BODY,
    TLX_LC_TITLE,
    TLX_LC_DECK,
    TLX_LC_META, /* byline and/or publication date line */
    TLX_LC_CAPTION,
    TLX_LC_BOILER,
    TLX_LC_SUBHEAD,
    TLX_LC__COUNT
} tlx_layout_class_t;

#define TLX_LAYOUT_WORDS_MAX 32 /* words of a line looked up in the word classes */
#define TLX_LAYOUT_NRAW 112     /* raw features per line (pass 1) */
#define TLX_LAYOUT_NCTX 24      /* context features added in pass 2 */
#define TLX_LAYOUT_NFEAT (TLX_LAYOUT_NRAW + TLX_LAYOUT_NCTX)

typedef struct {
    const char *s; /* the line, borrowed from the caller's text */
    uint32_t len;
    uint32_t off;              /* byte offset in the text */
    float f[TLX_LAYOUT_NFEAT]; /* features (0 when not set) */
    float p[TLX_LC__COUNT];    /* class probabilities after pass 2 */
    float p1[TLX_LC__COUNT];   /* pass-1 probabilities */
    tlx_layout_class_t cls;    /* argmax of p */
    uint8_t prose;             /* reads as prose (sentence end and 8+ words, or long) */
    uint8_t name_like;         /* 1-4 capitalised words, nothing else */
    uint8_t bullet_name;       /* "- Jane Doe", "• Jane Doe" */
    uint8_t func;              /* holds a function word */
    uint8_t date;              /* a full date parses in it */
    uint8_t by;                /* starts like a byline: "By ", "Posted by", "Reporter:" */
    uint8_t credit;            /* a photo-credit shape: "(Reuters)", "X/AFP", "Photo:" */
    uint8_t arrow;             /* holds a breadcrumb arrow: ">>", "»", "›", "▶" */
    uint8_t posted;            /* "posted by", "written by", "reported by" in it */
    uint8_t titlecase;         /* 3+ words, 60% of them capitalised */
    uint8_t sent_end;          /* ends like a sentence (. ! ? before closing quotes) */
    uint8_t next_starts_me;    /* short (1-6 words), and the next line starts with it and a space */
} tlx_layout_line_t;

/*  Splits text[0..len) into its non-empty lines (at most max_lines; the
    rest are not returned: *n tells how many were) and scores them.
    *out is allocated in `a`.  Returns 0 or TLX_ENOMEM. */
int tlx_layout_lines(const char *text, size_t len, uint32_t max_lines, tlx_arena_t *a,
                     tlx_layout_line_t **out, uint32_t *n);

/*  Name of feature i (0 <= i < TLX_LAYOUT_NFEAT), for the training tool
    and the model table's comments; NULL past the end. */
const char *tlx_layout_feature_name(uint32_t i);

/*  Name of class c ("body", "title", ...); NULL past the end. */
const char *tlx_layout_class_name(uint32_t c);

/*  The line s[0..len) ends with a photo credit in parentheses: generic
    credit words ("(Photo: Jane Roe)", "(File)", "(Courtesy of ...)"), a
    medium's name ("(Example News)"), "X via Y", "Agency/Name", or a short
    name in capitals ("(Example Wire)", "(EXA)") that is not the acronym of
    the words before it ("Weapons of Mass Destruction (WMD)") nor a date.
    Names no outlet.  *open gets the offset after the '('.  Returns 1 when
    it is one. */
int tlx_layout_credit_paren(const char *s, size_t len, size_t *open);

/*  Bytes of furniture glued before a headline line s[0..len): furniture
    words ("Skip next section Headline of the story") or a feed's outlet
    before a dash ("The Example Weekly - Headline of the story": 1-4
    capitalised words, "The" or a media word among them).  The rest must
    start with a capital and have 4 (5 after a dash) words or more.
    0 when there is none. */
size_t tlx_layout_title_prefix(const char *s, size_t len);

/*  Finds a date in s[0..len) (the first position where one parses, at a
    word start) as tlx_structure_date() would read it; writes ISO into
    out[32]; *at and *end get its span.  day_first: -1 = unknown (then an
    ambiguous 04/03/2019 is not read), 0 month first, 1 day first.
    Returns 1 when found. */
int tlx_layout_find_date(const char *s, size_t len, int day_first, char *out, size_t *at, size_t *end);

#ifdef __cplusplus
}
#endif
#endif
