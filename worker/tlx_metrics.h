/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_metrics.h -- telexd's counters, gauges and histograms, rendered in
    the Prometheus text format (0.0.4) for GET /metrics.

    One writer thread (the daemon's) updates; the HTTP thread renders.
    Counters and gauges are relaxed atomics, so an update costs an add and
    a render never blocks the writer; the per-source table takes a mutex
    only when a new source name appears.  Sources are capped at
    TLX_METRICS_SOURCES names; later ones count under source="_other", so a
    producer cannot grow the memory or the scrape without bound.

    The names and the counter/gauge/histogram enums are in
    proto/tlx_metric_names.h, shared with `telex top`.
*/
#ifndef TLX_METRICS_H
#define TLX_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "tlx_buf.h"
#include "tlx_metric_names.h"
#include "tlx_proto.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TLX_METRICS_SOURCES 64

typedef struct tlx_metrics tlx_metrics_t;

tlx_metrics_t *tlx_metrics_new(void);
void tlx_metrics_destroy(tlx_metrics_t **self_p);

void tlx_metrics_add(tlx_metrics_t *m, tlx_counter_t c, uint64_t n);
void tlx_metrics_reject(tlx_metrics_t *m, tlx_reject_t reason);
void tlx_metrics_set(tlx_metrics_t *m, tlx_gauge_t g, uint64_t v);
uint64_t tlx_metrics_get(const tlx_metrics_t *m, tlx_gauge_t g);
uint64_t tlx_metrics_count(const tlx_metrics_t *m, tlx_counter_t c);
/*  Records one observation, in seconds. */
void tlx_metrics_observe(tlx_metrics_t *m, tlx_histogram_t h, double seconds);
/*  Per-source counts (name as sent by the producer; NULL/"" = "_none"). */
void tlx_metrics_source(tlx_metrics_t *m, const char *source, size_t len, int processed);

/*  1 when the daemon should report ready: bound, not draining, not disk-full.
    why (may be NULL) gets the reasons when not ready. */
int tlx_metrics_ready(const tlx_metrics_t *m, char *why, size_t len);

/*  Appends the exposition text to b.  0 or TLX_ENOMEM. */
int tlx_metrics_render(const tlx_metrics_t *m, tlx_buf_t *b);

#ifdef __cplusplus
}
#endif
#endif
