/*  tlx_metrics.h -- telexd's counters, gauges and histograms, rendered in
    the Prometheus text format (0.0.4) for GET /metrics.

    One writer thread (the daemon's) updates; the HTTP thread renders.
    Counters and gauges are relaxed atomics, so an update costs an add and
    a render never blocks the writer; the per-source table takes a mutex
    only when a new source name appears.  Sources are capped at
    TLX_METRICS_SOURCES names; later ones count under source="_other", so a
    producer cannot grow the memory or the scrape without bound.

    The names are the contract of `telex top` and of dashboards; they are
    listed in README.md ("Metrics reference") and must stay stable.
*/
#ifndef TLX_METRICS_H
#define TLX_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "tlx_buf.h"
#include "tlx_proto.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TLX_METRICS_SOURCES 64

typedef enum {
    TLX_M_RECEIVED,      /* envelopes read from the front */
    TLX_M_ACCEPTED,      /* acked accepted (durable in the inbox) */
    TLX_M_DUPLICATE,     /* acked duplicate */
    TLX_M_REJECTED,      /* acked rejected (all reasons) */
    TLX_M_BUSY,          /* acked busy (store not writable) */
    TLX_M_PROCESSED,     /* records committed */
    TLX_M_FAILED,        /* pipeline failures (retried or dead-lettered) */
    TLX_M_DEAD,          /* moved to the dead letters */
    TLX_M_COMMITS,       /* write transactions committed */
    TLX_M_GROWS,         /* map resizes */
    TLX_M_REDISPATCHED,  /* articles re-dispatched after an enrich worker died or left */
    TLX_M_CURVE_REFUSED, /* CURVE handshakes refused by the allow-list */
    TLX_M_LOG_SUPPRESSED, /* log lines dropped by rate limiting */
    TLX_M_RELOADS,       /* configuration reloads applied */
    TLX_M_MAP_DROPS,     /* mapped store pages let go (map_resident_max) */
    TLX_M_PUBLISHED,     /* records acknowledged by JetStream (tlx_publish) */
    TLX_M_PUBLISH_ERRORS, /* failed publish rounds (re-sent after a back-off) */
    TLX_M_REPLICATED,    /* records stored by a read replica (tlx_replica) */
    TLX_M_ACKS_DROPPED,  /* acks not sent: the producer's queue was full (it does not read them) */
    TLX_M__COUNTERS
} tlx_counter_t;

typedef enum {
    TLX_G_INBOX,         /* articles waiting in the inbox (queued + in flight) */
    TLX_G_INFLIGHT,      /* articles at enrich workers */
    TLX_G_WORKERS,       /* enrich workers connected */
    TLX_G_MAP_SIZE,      /* LMDB map size, bytes */
    TLX_G_MAP_USED,      /* pages in use x page size, bytes */
    TLX_G_READERS_USED,  /* LMDB reader slots in use */
    TLX_G_READERS_MAX,
    TLX_G_READY,         /* 1 when /ready answers 200 */
    TLX_G_DRAINING,
    TLX_G_DISK_FULL,     /* the store refused writes (ENOSPC, map at its maximum) */
    TLX_G_BOUND,         /* sockets bound and store open */
    TLX_G_START_TIME,    /* Unix seconds */
    TLX_G_PUBLISH_LAG,   /* committed records not yet acknowledged by JetStream */
    TLX_G_PUBLISH_CONNECTED, /* 1 while the publisher is connected to NATS */
    TLX_G_REPLICA_POSITION, /* replica: last stream sequence applied */
    TLX_M__GAUGES
} tlx_gauge_t;

typedef enum { TLX_H_COMMIT, TLX_H_PIPELINE, TLX_M__HISTOGRAMS } tlx_histogram_t;

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
