/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_metric_names.h -- the names of telexd's Prometheus metrics: one table
    shared by the daemon that renders them (worker/tlx_metrics) and the `telex
    top` client that reads them back, so a renamed or added metric cannot
    drift between the two.

    The names are the contract of `telex top` and of dashboards; they are
    listed in README.md ("Metrics reference") and must stay stable.  This
    module has no dependency beyond libc, so the CLI can use it without
    linking any of the daemon's libraries.
*/
#ifndef TLX_METRIC_NAMES_H
#define TLX_METRIC_NAMES_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    TLX_M_RECEIVED,       /* envelopes read from the front */
    TLX_M_ACCEPTED,       /* acked accepted (durable in the inbox) */
    TLX_M_DUPLICATE,      /* acked duplicate */
    TLX_M_REJECTED,       /* acked rejected (all reasons; rendered with a reason label) */
    TLX_M_BUSY,           /* acked busy (store not writable) */
    TLX_M_PROCESSED,      /* records committed */
    TLX_M_FAILED,         /* pipeline failures (retried or dead-lettered) */
    TLX_M_DEAD,           /* moved to the dead letters */
    TLX_M_COMMITS,        /* write transactions committed */
    TLX_M_GROWS,          /* map resizes */
    TLX_M_REDISPATCHED,   /* articles re-dispatched after an enrich worker died or left */
    TLX_M_CURVE_REFUSED,  /* CURVE handshakes refused by the allow-list */
    TLX_M_LOG_SUPPRESSED, /* log lines dropped by rate limiting */
    TLX_M_RELOADS,        /* configuration reloads applied */
    TLX_M_MAP_DROPS,      /* mapped store pages let go (map_resident_max) */
    TLX_M_PUBLISHED,      /* records acknowledged by JetStream (tlx_publish) */
    TLX_M_PUBLISH_ERRORS, /* failed publish rounds (re-sent after a back-off) */
    TLX_M_REPLICATED,     /* records stored by a read replica (tlx_replica) */
    TLX_M_ACKS_DROPPED,   /* acks not sent: the producer's queue was full (it does not read them) */
    TLX_M_RESULT_IGNORED, /* enrich results not from the live dispatch (peer and token): late, stale, forged
                           */
    TLX_M__COUNTERS
} tlx_counter_t;

typedef enum {
    TLX_G_INBOX,             /* articles waiting in the inbox (queued + in flight) */
    TLX_G_INFLIGHT,          /* articles at enrich workers */
    TLX_G_WORKERS,           /* enrich workers connected */
    TLX_G_MAP_SIZE,          /* LMDB map size, bytes */
    TLX_G_MAP_USED,          /* pages in use x page size, bytes */
    TLX_G_READERS_USED,      /* LMDB reader slots in use */
    TLX_G_READERS_MAX,       /* LMDB reader slots available */
    TLX_G_READY,             /* 1 when /ready answers 200 */
    TLX_G_DRAINING,          /* 1 while draining after SIGTERM */
    TLX_G_DISK_FULL,         /* the store refused writes (ENOSPC, map at its maximum) */
    TLX_G_BOUND,             /* sockets bound and store open */
    TLX_G_START_TIME,        /* Unix seconds */
    TLX_G_PUBLISH_LAG,       /* committed records not yet acknowledged by JetStream */
    TLX_G_PUBLISH_CONNECTED, /* 1 while the publisher is connected to NATS */
    TLX_G_REPLICA_POSITION,  /* replica: last stream sequence applied */
    TLX_M__GAUGES
} tlx_gauge_t;

typedef enum { TLX_H_COMMIT, TLX_H_PIPELINE, TLX_M__HISTOGRAMS } tlx_histogram_t;

/*  The metric families outside the three tables. */
#define TLX_METRIC_BUILD_INFO "telex_build_info"                   /* gauge, label version */
#define TLX_METRIC_SOURCE_RECEIVED "telex_source_received_total"   /* counter, label source */
#define TLX_METRIC_SOURCE_PROCESSED "telex_source_processed_total" /* counter, label source */

/*  @brief  The exposition name of a counter (e.g. "telex_received_total").
    @param  c   one of tlx_counter_t
    @return a static string; NULL when c is out of range. */
const char *tlx_metric_counter_name(tlx_counter_t c);

/*  @brief  The one-line HELP text of a counter; NULL when c is out of range. */
const char *tlx_metric_counter_help(tlx_counter_t c);

/*  @brief  The exposition name of a gauge (e.g. "telex_inbox_depth"); NULL when out of range. */
const char *tlx_metric_gauge_name(tlx_gauge_t g);

/*  @brief  The one-line HELP text of a gauge; NULL when out of range. */
const char *tlx_metric_gauge_help(tlx_gauge_t g);

/*  @brief  The base name of a histogram (e.g. "telex_commit_seconds"; the
            exposition adds _bucket, _sum and _count); NULL when out of range. */
const char *tlx_metric_histogram_name(tlx_histogram_t h);

/*  @brief  The one-line HELP text of a histogram; NULL when out of range. */
const char *tlx_metric_histogram_help(tlx_histogram_t h);

#ifdef __cplusplus
}
#endif
#endif
