/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_record.h -- the article record (DESIGN.md section 3) as a C struct.

    The text pipeline fills a tlx_record_t; tlx_record_pack() turns it into
    the msgpack map that the store keeps and consumers read (layout in
    store/SCHEMA.md).  Every pointer in a record is borrowed from the arena
    passed to the pipeline and is valid until that arena is reset.  Strings
    are NUL-terminated UTF-8; NULL means "absent" (packed as nil).

    Offsets (tlx_span_t) are byte offsets into `body`, end exclusive.
*/
#ifndef TLX_RECORD_H
#define TLX_RECORD_H

/* Bumped when the pipeline output changes meaning (packed as "pipeline"). */
#define TLX_PIPELINE_VERSION "1"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tlx_arena.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint32_t start, end;
} tlx_span_t;

typedef struct {
    const char **v;
    uint32_t n;
} tlx_strv_t;

typedef struct {
    const char *text;
    const char *credit; /* NULL when the caption names none */
} tlx_caption_t;

/* "SEOUL, March 4 (Yonhap) --": where and by which agency the story was filed. */
typedef struct {
    const char *text;   /* the dateline as printed, NULL when the article has none */
    const char *place;  /* "SEOUL"; NULL when only an agency is given: "(CNN) --" */
    const char *agency; /* "Yonhap"; NULL when none */
} tlx_dateline_t;

typedef enum { TLX_ENT_PER, TLX_ENT_LOC, TLX_ENT_ORG, TLX_ENT_MISC } tlx_ent_type_t;

typedef struct {
    const char *text; /* first surface form seen in body */
    tlx_ent_type_t type;
    const char *canonical; /* gazetteer / acronym-resolved name */
    uint32_t count;
    tlx_span_t *spans;
    uint32_t nspans;
} tlx_entity_t;

typedef struct {
    const char *text;
    const char *value; /* ISO 8601, as precise as the text allows: 2019-05-25, 2024-03, 2016 */
    tlx_span_t span;
} tlx_date_t;

typedef struct {
    const char *text;
    double amount;
    char currency[4]; /* ISO 4217, e.g. "USD"; "" when unknown */
    tlx_span_t span;
} tlx_money_t;

typedef struct {
    const char *text;
    double amount;
    const char *unit; /* "percent", "people", ... or NULL */
    tlx_span_t span;
} tlx_quantity_t;

/* How a quote's speaker was found (packed as "attribution"). */
typedef enum {
    TLX_ATTR_NONE = 0, /* no speaker */
    TLX_ATTR_DIRECT,   /* named in the quote's own sentence: "X said", "according to X",
                          a surname grown to the full name written earlier */
    TLX_ATTR_INFERRED  /* from context: a pronoun or role noun resolved back, a
                          document's issuer, a continued quote, the sentence's subject */
} tlx_attr_t;

typedef struct {
    const char *text;         /* the words inside the marks, as written */
    const char *speaker;      /* fullest name: entity canonical or source description; NULL if unknown */
    const char *speaker_text; /* the attribution's words as written ("he", "Totoki"); NULL if none */
    const char *entity;       /* canonical of the speaker's entity, NULL when it is none */
    tlx_attr_t attribution;
    tlx_span_t span;
} tlx_quote_t;

typedef struct {
    const char *text;
    bool anonymous;
    const char *location; /* NULL when none is given */
    tlx_span_t span;
} tlx_source_t;

typedef struct {
    const char *key, *value;
} tlx_kv_t;

/* Flags; names in tlx_record_flag_name(). Keep the order: it is the bit index. */
typedef enum {
    TLX_FLAG_UTF8_REPAIRED = 1u << 0,
    TLX_FLAG_MOJIBAKE_FIXED = 1u << 1,
    TLX_FLAG_APOSTROPHES_RESTORED = 1u << 2,
    TLX_FLAG_TRUNCATED = 1u << 3,
    TLX_FLAG_CONTROL_REMOVED = 1u << 4,
    TLX_FLAG_NOT_ENGLISH = 1u << 5, /* English-only enrichments skipped */
    TLX_FLAG_LANG_UNRELIABLE = 1u << 6,
    TLX_FLAG_HTML = 1u << 7,            /* the input was an HTML page (tlx_html.h) */
    TLX_FLAG_NO_ARTICLE = 1u << 8,      /* HTML page without a block of article text */
    TLX_FLAG_CHARSET_UNKNOWN = 1u << 9, /* HTML page in a declared charset iconv does not know */
    TLX_FLAG__COUNT = 10
} tlx_flag_t;

typedef struct {
    uint32_t chars; /* Unicode code points in body */
    uint32_t words;
    uint32_t sentences;
    uint32_t reading_time_s; /* at 230 words per minute, rounded up */
    double flesch;           /* Flesch reading ease; 0 when not computed */
} tlx_stats_t;

typedef struct tlx_record {
    /* Set by the worker from the envelope (the pipeline leaves them alone,
       except url: an HTML page's canonical URL, which the envelope's url
       overrides). */
    const char *id;
    uint32_t revision;
    const char *source, *url;
    int64_t received_at_ms, processed_at_ms; /* Unix ms; 0 = unknown */
    tlx_kv_t *meta;
    uint32_t nmeta;

    /* Structure. */
    const char *title; /* NULL when the article has none */
    const char *deck;  /* standfirst under the headline, or NULL */
    tlx_dateline_t dateline;
    tlx_strv_t tags;
    tlx_caption_t *captions;
    uint32_t ncaptions;
    tlx_strv_t authors;
    const char *published_at; /* ISO 8601 with offset, or NULL */
    const char *modified_at;  /* ISO 8601, from HTML markup only; NULL otherwise */
    const char *publisher;    /* from HTML markup only (JSON-LD publisher, og:site_name); NULL otherwise */
    tlx_strv_t from_markup;   /* HTML input: the fields read from markup ("title", "authors", ...) */
    tlx_strv_t subheadings;
    tlx_strv_t translated_by, edited_by;
    tlx_strv_t boilerplate;
    const char *body; /* paragraphs separated by one blank line */
    size_t body_len;
    tlx_span_t *sentences; /* sentence boundaries in body (not packed) */
    uint32_t nsentences;
    tlx_stats_t stats;

    /* Enrichment. */
    const char *lang; /* ISO 639-1, or NULL */
    tlx_entity_t *entities;
    uint32_t nentities;
    tlx_date_t *dates;
    uint32_t ndates;
    tlx_money_t *money;
    uint32_t nmoney;
    tlx_quantity_t *quantities;
    uint32_t nquantities;
    tlx_quote_t *quotes;
    uint32_t nquotes;
    tlx_source_t *sources;
    uint32_t nsources;
    tlx_strv_t keywords;
    const char *summary;
    char sha256[65]; /* hex of SHA-256 of body; "" when not computed */
    uint64_t simhash;
    const char *near_duplicate_of; /* set by the writer, NULL otherwise */

    uint32_t flags; /* tlx_flag_t bits */

    /* Not packed: the candidate line keys (tlx_boiler.h) the writer counts
       for learned boilerplate; set by tlx_text_process when opts->source is. */
    const uint64_t *line_keys;
    uint32_t nline_keys;
    /* Not packed: the verification simhash (tlx_simhash_shingle64), made
       with `simhash` by the enrich stage; 0 when not computed. */
    uint64_t shingle;
    /* Not packed: the 32 bytes `sha256` spells in hex, set with it (the
       writer's hints take the bytes). */
    uint8_t sha256_bytes[32];
    /* Not packed: the document-frequency terms (tlx_keywords_extract_terms:
       NUL-terminated, one after the other), made by the enrich stage when
       asked (tlx_enrich_opts_t.want_terms); NULL otherwise. */
    const char *df_terms;
    size_t df_terms_len;
} tlx_record_t;

/*  Name of one flag bit ("utf8_repaired", ...) or NULL. */
const char *tlx_record_flag_name(uint32_t flag);

/*  Appends the record as one msgpack map to a msgpack_sbuffer-compatible
    growable buffer.  `seq` 0 means "not yet assigned" and omits the key (the
    writer adds it at commit; see tlx_record_set_seq in store).
    Returns 0 or TLX_ENOMEM.  Caller owns *out; free with free(). */
int tlx_record_pack(const tlx_record_t *rec, char **out, size_t *out_len);

#ifdef __cplusplus
}
#endif
#endif
