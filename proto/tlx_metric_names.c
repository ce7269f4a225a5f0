/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_metric_names.c -- the metric name table (see tlx_metric_names.h). */
#include "tlx_metric_names.h"

#include <stddef.h>

typedef struct {
    const char *name, *help;
} s_entry_t;

static const s_entry_t s_counters[TLX_M__COUNTERS] = {
    [TLX_M_RECEIVED] = {"telex_received_total", "Envelopes read from producers."},
    [TLX_M_ACCEPTED] = {"telex_accepted_total", "Articles acknowledged accepted (durable in the inbox)."},
    [TLX_M_DUPLICATE] = {"telex_duplicate_total", "Articles acknowledged duplicate."},
    [TLX_M_REJECTED] = {"telex_rejected_total", "Envelopes rejected, by reason."},
    [TLX_M_BUSY] = {"telex_busy_total", "Envelopes answered busy because the store could not take writes."},
    [TLX_M_PROCESSED] = {"telex_processed_total", "Records committed to the store."},
    [TLX_M_FAILED] = {"telex_failed_total",
                      "Pipeline failures (retried, or dead-lettered after max-attempts)."},
    [TLX_M_DEAD] = {"telex_dead_total", "Articles moved to the dead letters."},
    [TLX_M_COMMITS] = {"telex_commits_total", "Write transactions committed (group commits)."},
    [TLX_M_GROWS] = {"telex_map_grows_total", "LMDB map resizes."},
    [TLX_M_REDISPATCHED] = {"telex_redispatched_total",
                            "Articles dispatched again because their enrich worker died or left."},
    [TLX_M_CURVE_REFUSED] = {"telex_curve_refused_total", "CURVE clients refused by the allow-list."},
    [TLX_M_LOG_SUPPRESSED] = {"telex_log_suppressed_total", "Log lines dropped by rate limiting."},
    [TLX_M_RELOADS] = {"telex_reloads_total", "Configuration reloads applied (SIGHUP)."},
    [TLX_M_MAP_DROPS] = {"telex_map_drops_total",
                         "Times the mapped store pages were let go to keep RSS under map_resident_max."},
    [TLX_M_PUBLISHED] = {"telex_published_total", "Records acknowledged by NATS JetStream (publish)."},
    [TLX_M_PUBLISH_ERRORS] = {"telex_publish_errors_total",
                              "Failed publish rounds (no connection, error or missing ack); re-sent."},
    [TLX_M_REPLICATED] = {"telex_replicated_total", "Records stored by this read replica."},
    [TLX_M_ACKS_DROPPED] = {"telex_acks_dropped_total",
                            "Acks not sent because the producer's queue was full (1,000 unread acks)."},
    [TLX_M_RESULT_IGNORED] = {"telex_enrich_results_ignored_total",
                              "Enrich results ignored: not from the peer holding the job with its dispatch "
                              "token (late, stale or forged)."},
};

static const s_entry_t s_gauges[TLX_M__GAUGES] = {
    [TLX_G_INBOX] = {"telex_inbox_depth", "Articles in the inbox (waiting or in flight)."},
    [TLX_G_INFLIGHT] = {"telex_inflight", "Articles being processed by enrich workers."},
    [TLX_G_WORKERS] = {"telex_enrich_workers", "Enrich workers connected (local threads and remote)."},
    [TLX_G_MAP_SIZE] = {"telex_map_size_bytes", "LMDB map size."},
    [TLX_G_MAP_USED] = {"telex_map_used_bytes", "LMDB pages in use, in bytes."},
    [TLX_G_READERS_USED] = {"telex_readers_used", "LMDB reader slots in use."},
    [TLX_G_READERS_MAX] = {"telex_readers_max", "LMDB reader slots available."},
    [TLX_G_READY] = {"telex_ready", "1 when /ready answers 200."},
    [TLX_G_DRAINING] = {"telex_draining", "1 while draining after SIGTERM."},
    [TLX_G_DISK_FULL] = {"telex_disk_full", "1 while the store refuses writes (disk full)."},
    [TLX_G_BOUND] = {"telex_bound", "1 once the store is open and the sockets are bound."},
    [TLX_G_START_TIME] = {"telex_start_time_seconds", "Start time of the process, Unix seconds."},
    [TLX_G_PUBLISH_LAG] = {"telex_publish_lag_records",
                           "Committed records not yet acknowledged by NATS JetStream."},
    [TLX_G_PUBLISH_CONNECTED] = {"telex_publish_connected", "1 while the publisher is connected to NATS."},
    [TLX_G_REPLICA_POSITION] = {"telex_replica_stream_seq", "Read replica: last stream sequence applied."},
};

static const s_entry_t s_hists[TLX_M__HISTOGRAMS] = {
    [TLX_H_COMMIT] = {"telex_commit_seconds", "Duration of one group commit (write transaction + fsync)."},
    [TLX_H_PIPELINE] = {"telex_pipeline_seconds", "From dispatch to result for one article (enrich work)."},
};

const char *tlx_metric_counter_name(tlx_counter_t c)
{
    return (unsigned)c < TLX_M__COUNTERS ? s_counters[c].name : NULL;
}

const char *tlx_metric_counter_help(tlx_counter_t c)
{
    return (unsigned)c < TLX_M__COUNTERS ? s_counters[c].help : NULL;
}

const char *tlx_metric_gauge_name(tlx_gauge_t g)
{
    return (unsigned)g < TLX_M__GAUGES ? s_gauges[g].name : NULL;
}

const char *tlx_metric_gauge_help(tlx_gauge_t g)
{
    return (unsigned)g < TLX_M__GAUGES ? s_gauges[g].help : NULL;
}

const char *tlx_metric_histogram_name(tlx_histogram_t h)
{
    return (unsigned)h < TLX_M__HISTOGRAMS ? s_hists[h].name : NULL;
}

const char *tlx_metric_histogram_help(tlx_histogram_t h)
{
    return (unsigned)h < TLX_M__HISTOGRAMS ? s_hists[h].help : NULL;
}
