/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_http.h -- the metrics and health listener (libmicrohttpd).

    GET /metrics   Prometheus text format (tlx_metrics_render)
    GET /health    200 "ok" while the process serves requests
    GET /ready     200 "ready", or 503 with the reasons (starting, draining,
                   store not writable) -- what a load balancer or systemd
                   health check should poll before sending articles
    GET /v1/...    the read API over the store, when on (tlx_httpapi.h)
    Anything else is 404; methods other than GET/HEAD are 405.

    libmicrohttpd runs its own thread (MHD_USE_INTERNAL_POLLING_THREAD), so
    a slow scraper never delays the daemon loop; handlers only read the
    metrics' atomics.  Why libmicrohttpd: a maintained, Debian-packaged
    HTTP/1.1 server with correct parsing and timeouts is less code to trust
    than a hand-written one on a port that may face a network.
*/
#ifndef TLX_HTTP_H
#define TLX_HTTP_H

#include <stddef.h>

#include "tlx_metrics.h"
#include "tlx_store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tlx_http tlx_http_t;

/*  Listens on addr "HOST:PORT" (IPv4 or [IPv6]; port 0 picks a free one).
    The address actually bound goes to `bound` ("127.0.0.1:40123").
    NULL on failure, with the reason in err. */
tlx_http_t *tlx_http_start(const char *addr, const tlx_metrics_t *m, char *bound, size_t bound_len, char *err,
                           size_t err_len);
void tlx_http_stop(tlx_http_t **self_p);

/*  Turns the read-only HTTP API (tlx_httpapi.h, paths under /v1/) on with
    `store` (borrowed: call with NULL before closing it), or off with NULL.
    Any thread. */
void tlx_http_set_api(tlx_http_t *self, tlx_store_t *store);

#ifdef __cplusplus
}
#endif
#endif
