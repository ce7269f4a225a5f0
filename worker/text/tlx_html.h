/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_html.h -- web pages in: the article text and its metadata from HTML.

    Contract
    * Pure: no I/O, no globals written after tlx_html_init(); thread-safe
      for different inputs.  Any bytes in, never a crash.
    * Bounded: a page longer than TLX_HTML_MAX_BYTES is cut there (flag
      TLX_HTML_TRUNCATED); libxml2 keeps its element depth limit (256: the
      content below it is dropped, flag TLX_HTML_TRUNCATED); attribute
      values and JSON-LD are read with fixed bounds; the work is linear in
      the page and the memory a small multiple of it (libxml2's tree).
    * Parser: libxml2's HTML parser (the parser under lxml), with no
      network, no DTD, no entities beyond HTML's, recovering from broken
      markup the way browsers do.
    * Charset: UTF-8 unless the page declares another one (<meta charset>,
      <meta http-equiv content="...; charset=">, <?xml encoding?>), read
      as browsers read the labels (UTF-16 means UTF-8, Latin-1 and ASCII mean
      windows-1252); a charset iconv knows is converted to UTF-8 (a byte
      that does not convert becomes U+FFFD), one it does not know is read
      as UTF-8 and flagged TLX_HTML_CHARSET_UNKNOWN; invalid UTF-8 becomes
      U+FFFD.  libxml2's messages never reach stderr (tlx_html_init and
      every call install a silent handler for the calling thread).
    * Output: the article body as plain text, one block (paragraph, h2-h6
      subheading, list item, quote) per paragraph, paragraphs separated by one
      blank line, without the headline; and the metadata that the markup
      states, each field marked in from_markup (TLX_MARKUP_*).

    Metadata, first source that has it wins:
      title         JSON-LD headline, og:title / twitter:title, first <h1>, <title>
      authors       JSON-LD author(s), article:author / meta author, rel=author links, itemprop=author
      published_at  JSON-LD datePublished, article:published_time and other date metas,
                    itemprop=datePublished, first <time datetime>
      modified_at   JSON-LD dateModified, article:modified_time
      url           <link rel=canonical>, og:url
      captions      <figcaption> inside the article, then JSON-LD image caption
      tags          article:tag, JSON-LD keywords, meta keywords
      publisher     JSON-LD publisher name, og:site_name
      lang          <html lang>
    JSON-LD: every <script type="application/ld+json">, objects at top
    level, in arrays and in @graph; the first object whose @type is an
    article type (Article, NewsArticle, ReportageNewsArticle, BlogPosting,
    ... any type ending in "Article" or "Posting") is used.

    Main text: blocks are scored (text length, commas, link density, tag,
    class/id hints, article/main/itemprop=articleBody markup); the best
    container and its related siblings are kept; inside them navigation,
    share bars, related-story lists, comments, forms, figures and cookie
    banners are dropped (by role, tag, class/id hints and link density).
*/
#ifndef TLX_HTML_H
#define TLX_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tlx_arena.h"
#include "tlx_record.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Pages longer than this are cut (TLX_HTML_TRUNCATED). */
#define TLX_HTML_MAX_BYTES ((size_t)16 << 20)

/* Fields that came from the markup (tlx_html_doc_t.from_markup); names in
   tlx_html_markup_name(). Keep the order: it is the bit index. */
typedef enum {
    TLX_MARKUP_TITLE = 1u << 0,
    TLX_MARKUP_AUTHORS = 1u << 1,
    TLX_MARKUP_PUBLISHED_AT = 1u << 2,
    TLX_MARKUP_MODIFIED_AT = 1u << 3,
    TLX_MARKUP_URL = 1u << 4,
    TLX_MARKUP_CAPTIONS = 1u << 5,
    TLX_MARKUP_TAGS = 1u << 6,
    TLX_MARKUP_PUBLISHER = 1u << 7,
    TLX_MARKUP_LANG = 1u << 8,
    TLX_MARKUP__COUNT = 9
} tlx_markup_t;

/* Page flags (tlx_html_doc_t.flags). */
typedef enum {
    TLX_HTML_NO_ARTICLE = 1u << 0,      /* no block of text that reads as an article */
    TLX_HTML_CHARSET_UNKNOWN = 1u << 1, /* declared charset unknown to iconv: read as UTF-8 */
    TLX_HTML_TRUNCATED = 1u << 2,       /* page over TLX_HTML_MAX_BYTES or nested past the depth limit */
} tlx_html_flag_t;

typedef struct {
    const char *text; /* article body, paragraphs separated by one blank line; "" when none */
    size_t text_len;
    const char *title, *published_at, *modified_at, *url, *publisher, *lang; /* NULL when absent */
    tlx_strv_t authors, tags;
    tlx_strv_t subheadings; /* the h2-h6 kept in text, as written there */
    tlx_caption_t *captions;
    uint32_t ncaptions;
    uint32_t from_markup; /* tlx_markup_t bits */
    uint32_t flags;       /* tlx_html_flag_t bits */
} tlx_html_doc_t;

/*  Initializes libxml2's parser once per process.  Call from the main
    thread before threads use tlx_html_extract (tlx_text_new does).
    Idempotent. */
void tlx_html_init(void);

/*  True when buf[0..len) looks like an HTML page rather than article text:
    after optional BOM and whitespace it starts with <!DOCTYPE html, <html,
    <head, <body, <meta, <title, <?xml followed by <html, or an HTML comment
    followed by one of those; or, anywhere in its first 4 KB, it has an
    <html or <body start tag.  Plain text that merely mentions a tag ("use
    <p> for paragraphs") is not HTML.  O(min(len, 4096)). */
bool tlx_html_detect(const char *buf, size_t len);

/*  Extracts the article and metadata of the page html[0..len) into *doc
    (zeroed first); strings and arrays are allocated in `arena` (borrowed,
    valid until it is reset).  A page without an article is not an error:
    doc->text is "" and TLX_HTML_NO_ARTICLE is set, with whatever metadata
    the page has.  Returns 0 or TLX_ENOMEM.  Thread-safe (after
    tlx_html_init). */
int tlx_html_extract(const char *html, size_t len, tlx_arena_t *arena, tlx_html_doc_t *doc);

/*  Name of one TLX_MARKUP_* bit ("title", "authors", "published_at", ...)
    or NULL. */
const char *tlx_html_markup_name(uint32_t bit);

/*  Writes an ISO 8601 date from a markup date value (2019-11-19,
    2019-11-19T13:05:00Z, 2019-11-19T08:05:00-05:00, 2019-11-19 08:05:00,
    with or without fractions) into out (>= 32 bytes):
    "2019-11-19T13:05:00+00:00" with a time (UTC when the value has no
    offset), "2019-11-19" without.  The date is read by tlx_datefmt_ymd (a real day;
    one separator, - or /).  0, or TLX_EMALFORMED when it does not parse. */
int tlx_html_date(const char *s, size_t len, char *out);

#ifdef __cplusplus
}
#endif
#endif
