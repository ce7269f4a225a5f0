/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_httpapi.h -- the read-only HTTP API over the store (http_api = on).

    Served by the metrics listener (tlx_http.c) under /v1/:
      GET /v1/articles/ID[?format=json|ninjs][&rev=N]
            one record as JSON (`telex get`), or as an IPTC ninjs 3.0 item
            (store/tlx_ninjs.h); 404 when the id (or revision) is unknown
      GET /v1/articles[?since=FEEDSEQ][&limit=N]
            JSON Lines in feed order after feed seq `since` (`telex list`);
            header Telex-Next-Since: the feed seq to ask from next
      GET /v1/query?entity=|tag=|source=|from=YYYY-MM-DD|to=YYYY-MM-DD[&limit=N]
            JSON Lines of matching records (newest revisions, `telex query`),
            terms combined with AND; at least one term
    limit: default 100, at most 1000 (a page is bounded in records and so
    in memory; ask again with since= for more).  Any other parameter, a
    malformed number or date, a limit out of range: 400 with a JSON
    {"error": "...", "detail": "..."}.  Records are read with the store's
    reader API (a short read txn per call), so readers never block the
    writer.

    The request is a pure function of the store and the parameters, so it
    is tested without a socket (tests/test_httpapi.c) and over HTTP in e2e.
*/
#ifndef TLX_HTTPAPI_H
#define TLX_HTTPAPI_H

#include <stddef.h>
#include <stdint.h>

#include "tlx_buf.h"
#include "tlx_store.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TLX_HTTPAPI_LIMIT_DEFAULT 100
#define TLX_HTTPAPI_LIMIT_MAX 1000
#define TLX_HTTPAPI_ARGS_MAX 16

typedef struct {
    const char *key, *value; /* value may be NULL ("?a") */
} tlx_httpapi_arg_t;

typedef struct {
    unsigned status;     /* 200, 400, 404, 500 */
    const char *type;    /* Content-Type (static) */
    tlx_buf_t body;      /* caller owns: tlx_buf_free */
    uint64_t next_since; /* /v1/articles: Telex-Next-Since (0 = not set) */
} tlx_httpapi_resp_t;

/*  Answers GET `path` (already percent-decoded, no query string) with the
    query parameters args[0..nargs).  Returns 1 when the path is the API's
    (under /v1/) and *r is filled, 0 when it is not (r untouched).
    Thread-safe (store reader calls only). */
int tlx_httpapi_serve(tlx_store_t *store, const char *path, const tlx_httpapi_arg_t *args, int nargs,
                      tlx_httpapi_resp_t *r);

#ifdef __cplusplus
}
#endif
#endif
