/*  tlx_ninjs.h -- a stored record as an IPTC ninjs 3.0 news item.

    ninjs ("News in JSON", IPTC) is the interchange format newsroom systems
    already read.  The item for one record (store/SCHEMA.md, § Record):

      uri             "urn:telex:" + the record id, percent-encoded
      version         the revision, as a string
      firstCreated    published_at (when it is a full date-time), else the
                      received time of revision 1
      versionCreated  processed_at (UTC), else received_at
      contentCreated  published_at
      language, headlines[main = title, sub = deck], by (authors, ", "),
      bodies[main, text/plain, charCount, wordCount], descriptions[summary],
      located (the dateline's place, when the article has a dateline)
      people / organisations / places  PER / ORG / LOC entities, `name` is
                      telex's canonical name, rel "mentioned"
      subjects        MISC entities (rel "mentioned"), tags (rel "tag"),
                      keywords (rel "keyword")
      altIds          telex-id, telex-seq, url
      infoSources     the record's source (role "source") and the dateline's
                      news agency (role "agency")
      standard        ninjs 3.0 and its schema URI

    Fields ninjs has no place for (spans, dates, money, quotes, sources,
    fingerprints, flags, meta, ...) travel in the *telex extension*: every
    record key except `body`, as one JSON object.  ninjs 3.0's schema closes
    the item (`unevaluatedProperties: false`), so a top-level `telex` key
    would make every item invalid; the extension is therefore a description
    {"role": "telex", "contentType": "application/vnd.telex.record+json",
    "value": "<the JSON object as a string>"}: valid ninjs, and one
    JSON.parse away for consumers that want it.  store/ninjs-schema_3.0.json
    is the schema the items are tested against.
*/
#ifndef TLX_NINJS_H
#define TLX_NINJS_H

#include <stddef.h>

#include "tlx_buf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The role and content type of the description carrying the extension. */
#define TLX_NINJS_EXT_ROLE "telex"
#define TLX_NINJS_EXT_TYPE "application/vnd.telex.record+json"

/*  Appends the ninjs 3.0 item for one stored record to *out as JSON.

    @param rec, len  the record, a msgpack map as stored in `articles`
                     (borrowed; only read during the call)
    @param pretty    0 = one line (JSON Lines), >0 = indent by that many spaces
    @param out       appended to; on error it is left as it was
    @return 0, TLX_EMALFORMED (not a record: not a map, or no string `id`)
            or TLX_ENOMEM.
    Unknown keys and values of unexpected types never fail: the item leaves
    them out and the extension carries them as they are.  Pure; thread-safe. */
int tlx_ninjs_from_record(const void *rec, size_t len, int pretty, tlx_buf_t *out);

#ifdef __cplusplus
}
#endif
#endif
