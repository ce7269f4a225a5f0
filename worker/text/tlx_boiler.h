/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_boiler.h -- learned boilerplate: line keys and the learned-line
    snapshot.

    Boilerplate comes two ways.  Rules (data/boilerplate/NAME.rules,
    tlx_structure.h) name known footers.  Learned lines need no rule: the
    store keeps per-source statistics of the short lines of recent
    articles (store/SCHEMA.md, "learned boilerplate"), and a line seen in a
    large share of a source's recent articles is boilerplate for that
    source.  This module is the pure part:

      * the LINE KEY: a 64-bit hash of a line after normalization (ASCII
        letters case-folded, every run of digits collapsed to one digit
        class so "(c) 2016 Wire" and "(c) 2017 Wire" are one line, runs of
        spaces/tabs collapsed, trimmed; other bytes kept as they are);
      * the CANDIDATE LINES of an article: the distinct keys of its
        non-empty lines of at most TLX_BOILER_LINE_MAX bytes (a longer line
        is a paragraph: content), at most TLX_BOILER_CANDIDATES_MAX (the
        first half from the top of the article, the rest from the bottom,
        where site furniture lives).  The enrich stage sends them to the
        writer, which counts them;
      * the THRESHOLD that turns counts into learned lines;
      * the LEARNED SNAPSHOT: a read-only set of (source, key) pairs built
        from the store's statistics, probed once per short line by the
        structure stage (tlx_text_opts_t.learned).

    Sources are compared ASCII-case-insensitively ("DailyNK" = "dailynk"),
    as the store keys them.  Pure: no I/O, no globals, no locks.
*/
#ifndef TLX_BOILER_H
#define TLX_BOILER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Lines longer than this (bytes, before normalization) are never candidates. */
#define TLX_BOILER_LINE_MAX 300
/* At most this many candidate keys per article (each costs the writer a
   B-tree update; site furniture sits in the first and last few lines). */
#define TLX_BOILER_CANDIDATES_MAX 32
/* A line is learned for a source when the source has at least this many
   (decayed) recent articles ... */
#define TLX_BOILER_MIN_DOCS 20
/* ... and the line occurs in at least this share (percent) of them. */
#define TLX_BOILER_MIN_SHARE_PCT 50

/*  The key of one line (no newline inside).  Never 0 for a line with
    anything but spaces; 0 for an empty or blank line.  Linear in len. */
uint64_t tlx_boiler_key(const char *line, size_t len);

/*  The candidate keys of a normalized text (lines separated by '\n'):
    distinct, non-zero, in no particular order.  out must hold
    TLX_BOILER_CANDIDATES_MAX keys.  Returns how many were written.
    Linear in len (times the small cap for the distinctness check). */
size_t tlx_boiler_candidates(const char *text, size_t len, uint64_t *out);

/*  1 when a line counted `count` times among `docs` recent articles of a
    source is boilerplate (TLX_BOILER_MIN_DOCS, TLX_BOILER_MIN_SHARE_PCT). */
int tlx_boiler_threshold(uint64_t docs, uint64_t count);

typedef struct tlx_boiler_learned tlx_boiler_learned_t;

/*  An empty snapshot.  NULL on ENOMEM.  Caller owns; free with
    tlx_boiler_learned_destroy(). */
tlx_boiler_learned_t *tlx_boiler_learned_new(void);
void tlx_boiler_learned_destroy(tlx_boiler_learned_t **self_p);

/*  At most this many pairs in a snapshot (8 bytes each at a load of at most
    one half: <= 4 MiB): source names come from producers, so their number
    has no bound of its own. */
#define TLX_BOILER_LEARNED_MAX (1u << 18)

/*  Adds the pair (source, key) while building (single thread).  Adding a
    pair twice is harmless.  0, TLX_EFULL (TLX_BOILER_LEARNED_MAX pairs
    already) or TLX_ENOMEM; the snapshot stays valid, without the pair. */
int tlx_boiler_learned_add(tlx_boiler_learned_t *self, const char *source, size_t source_len, uint64_t key);

/*  Pairs in the snapshot (0 for NULL). */
size_t tlx_boiler_learned_count(const tlx_boiler_learned_t *self);

/*  1 when `key` is learned boilerplate for `source` (NUL-terminated), else
    0; 0 when self or source is NULL.  One hash probe; any number of
    threads may call it once building is done.  A false positive needs a
    64-bit hash collision. */
int tlx_boiler_learned_has(const tlx_boiler_learned_t *self, const char *source, uint64_t key);

/* ---- operator rules -------------------------------------------------------- */

/*  Lines an operator names as boilerplate: data/boilerplate/<source>.rules
    (generic.rules for every source) and the per-source `rules` setting.
    One rule a line: "exact TEXT", "prefix TEXT" or "contains TEXT", matched
    case-insensitively by the structure stage (tlx_structure.h). */
typedef enum { TLX_BOILER_EXACT, TLX_BOILER_PREFIX, TLX_BOILER_CONTAINS } tlx_boiler_rule_kind_t;

typedef struct {
    char source[64]; /* "" = every source */
    tlx_boiler_rule_kind_t kind;
    char text[240];
} tlx_boiler_rule_t;

typedef struct tlx_boiler_rules {
    tlx_boiler_rule_t *v;
    size_t n;
} tlx_boiler_rules_t;

/*  Loads generic.rules and every <source>.rules of `dir`.  A missing
    directory gives empty rules.  NULL on ENOMEM.  Caller owns; free with
    tlx_boiler_rules_destroy().  Read-only afterwards: thread-safe. */
tlx_boiler_rules_t *tlx_boiler_rules_load(const char *dir);
void tlx_boiler_rules_destroy(tlx_boiler_rules_t **self_p);

/*  Loads one rules file for `source` ("" or NULL = every source): the
    per-source `rules` setting of the config file.  *nrules gets the
    number of rules, or -1 when the file cannot be read.  NULL on ENOMEM. */
tlx_boiler_rules_t *tlx_boiler_rules_load_file(const char *path, const char *source, int *nrules);

#ifdef __cplusplus
}
#endif
#endif
