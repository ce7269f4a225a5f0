/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_daemon.c -- telexd's lifecycle (see tlx_daemon.h): start, the loop,
    the periodic tasks, reload, drain and stop.

    The parts of one turn live in their own files: tlx_front.c reads
    envelopes, tlx_link.c reads enrich results and hellos, tlx_writer.c
    commits and answers, tlx_dispatch.c chooses jobs, tlx_pool.c keeps the
    local enrich threads.  Everything that runs "every N ms" is one row of
    the task table below, checked once per turn; the loop's poll timeout
    (at most 1 s) bounds how late a task can be.

    Rejected: one timer thread (the tasks touch the store and the
    dispatcher, which are the engine thread's alone; the snapshot builds,
    which only read the store, have a thread of their own: see
    "snapshots"); timerfd in the poll set (the turn runs at least once a
    second anyway).
*/
#include "tlx_daemon.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "tlx_clock.h"
#include "tlx_engine.h"
#include "tlx_enricher.h"
#include "tlx_enricher_role.h"
#include "tlx_fork.h"
#include "tlx_front.h"
#include "tlx_link.h"
#include "tlx_log.h"
#include "tlx_pool.h"
#include "tlx_publish.h"
#include "tlx_replica.h"
#include "tlx_text.h"
#include "tlx_writer.h"

typedef struct daemon daemon_t;

/* One periodic task: run when `period` ms have passed since its last run. */
typedef struct {
    const char *name;
    uint64_t (*period)(const daemon_t *d); /* UINT64_MAX: never */
    void (*run)(daemon_t *d);
    int wait_first; /* 1: first run one period after start, 0: on the first turn */
} task_t;

struct daemon {
    tlx_engine_t e;
    tlx_text_t *text;
    char http_file[300]; /* the bound metrics address, written to STORE/telexd.http */
    uint64_t wd_usec;    /* systemd watchdog interval, 0 = off */
    size_t boil_n;       /* learned boilerplate lines published last (the snapshot thread's) */
    uint64_t last[16];   /* per task: monotonic ms of the last run */
    /* the snapshot thread (s_snap_main) */
    pthread_t snap_tid;
    pthread_mutex_t snap_mu;
    pthread_cond_t snap_cv;
    bool snap_on, snap_stop;
};

void tlx_daemon_apply_logging(const tlx_daemon_cfg_t *cfg)
{
    tlx_log_set_level((tlx_log_level_t)cfg->log_level);
    tlx_log_set_format((tlx_log_format_t)cfg->log_format);
    tlx_log_set_syslog(cfg->log_syslog, "telexd");
    tlx_log_set_rate_limit(cfg->log_burst, 10000);
}

/* ---- periodic tasks ------------------------------------------------------- */

static void s_gauges(daemon_t *d)
{
    tlx_engine_t *e = &d->e;
    tlx_store_counts_t c;
    if (tlx_store_gauges(e->store, &c) == 0) {
        tlx_metrics_set(e->m, TLX_G_INBOX, c.inbox);
        tlx_metrics_set(e->m, TLX_G_MAP_SIZE, c.map_size);
        tlx_metrics_set(e->m, TLX_G_MAP_USED, c.map_used);
        tlx_metrics_set(e->m, TLX_G_READERS_USED, c.readers_used);
        tlx_metrics_set(e->m, TLX_G_READERS_MAX, c.readers_max);
    }
    tlx_metrics_set(e->m, TLX_G_INFLIGHT, (uint64_t)tlx_dispatch_inflight(e->disp));
    tlx_metrics_set(e->m, TLX_G_WORKERS, (uint64_t)tlx_dispatch_nworkers(e->disp));
    tlx_metrics_add(e->m, TLX_M_MAP_DROPS,
                    tlx_store_map_drops(e->store) - tlx_metrics_count(e->m, TLX_M_MAP_DROPS));
    tlx_metrics_add(e->m, TLX_M_CURVE_REFUSED,
                    tlx_zap_refused(e->zap) - tlx_metrics_count(e->m, TLX_M_CURVE_REFUSED));
    tlx_metrics_add(e->m, TLX_M_LOG_SUPPRESSED,
                    tlx_log_suppressed_total() - tlx_metrics_count(e->m, TLX_M_LOG_SUPPRESSED));
    tlx_metrics_set(e->m, TLX_G_READY, (uint64_t)tlx_metrics_ready(e->m, NULL, 0));
}

static void s_map_check(daemon_t *d)
{
    tlx_store_map_check(d->e.store);
}

static void s_watchdog(daemon_t *d)
{
    (void)d;
    sd_notify(0, "WATCHDOG=1");
}

/* `telex dead --replay` from another process bumps meta "replay_gen". */
static void s_replay_check(daemon_t *d)
{
    tlx_engine_t *e = &d->e;
    uint64_t gen = 0;
    tlx_store_meta_get(e->store, "replay_gen", &gen);
    if (gen == e->replay_gen && !tlx_dispatch_rescan_due(e->disp))
        return;
    const char *why = gen != e->replay_gen ? "dead letters replayed" : "an earlier scan failed";
    e->replay_gen = gen;
    tlx_dispatch_rescan(e->disp);
    tlx_log(TLX_LOG_INFO, "inbox rescanned", "reason=\"%s\" queued=%zu", why, tlx_dispatch_queued(e->disp));
}

/* The keyword stage's document frequencies, published when they changed. */
static void s_df_refresh(daemon_t *d)
{
    tlx_engine_t *e = &d->e;
    tlx_dfsnap_t *cur = tlx_dfsnap_acquire(&e->df);
    uint64_t ndocs = tlx_dfsnap_ndocs(cur);
    tlx_dfsnap_release(cur);
    tlx_dfsnap_t *snap = tlx_dfsnap_build(e->store);
    if (snap && tlx_dfsnap_ndocs(snap) != ndocs)
        tlx_dfsnap_publish(&e->df, snap);
    else
        tlx_dfsnap_release(snap);
}

/* The learned boilerplate lines (tlx_boilsnap.h); on failure keep the current ones. */
static void s_boil_refresh(daemon_t *d)
{
    tlx_boilsnap_t *snap = tlx_boilsnap_build(d->e.store);
    if (snap && tlx_boilsnap_count(snap) != d->boil_n)
        tlx_log(TLX_LOG_INFO, "learned boilerplate", "lines=%zu",
                (size_t)(d->boil_n = tlx_boilsnap_count(snap)));
    if (snap)
        tlx_boilsnap_publish(&d->e.boil, snap);
}

/* ---- snapshots -------------------------------------------------------------
   The keyword document frequencies and the learned boilerplate are rebuilt
   from the store's stats on a thread of their own, each with a read txn of
   its own, and published through their slots (which the enrich threads
   read anyway).  On the engine thread, the scan of a large stats table
   held every ack and commit behind it once per period. */

#define DF_REFRESH_MS 30000

static void *s_snap_main(void *arg)
{
    daemon_t *d = arg; /* every signal blocked (tlx_pool_spawn) */
    uint64_t now = tlx_mono_ms(), next_df = now + DF_REFRESH_MS, next_boil = now + tlx_boilsnap_refresh_ms();
    pthread_mutex_lock(&d->snap_mu);
    while (!d->snap_stop) {
        now = tlx_mono_ms();
        uint64_t next = next_df < next_boil ? next_df : next_boil;
        if (now < next) {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            uint64_t ns = (uint64_t)ts.tv_nsec + (next - now) * 1000000u;
            ts.tv_sec += (time_t)(ns / 1000000000u);
            ts.tv_nsec = (long)(ns % 1000000000u);
            pthread_cond_timedwait(&d->snap_cv, &d->snap_mu, &ts);
            continue;
        }
        pthread_mutex_unlock(&d->snap_mu);
        if (now >= next_df) {
            s_df_refresh(d);
            next_df = now + DF_REFRESH_MS;
        }
        if (now >= next_boil) {
            s_boil_refresh(d);
            next_boil = now + tlx_boilsnap_refresh_ms();
        }
        pthread_mutex_lock(&d->snap_mu);
    }
    pthread_mutex_unlock(&d->snap_mu);
    return NULL;
}

static int s_snap_start(daemon_t *d)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&d->snap_mu, NULL);
    pthread_cond_init(&d->snap_cv, &ca);
    pthread_condattr_destroy(&ca);
    if (tlx_pool_spawn(&d->snap_tid, s_snap_main, d) != 0) {
        pthread_cond_destroy(&d->snap_cv);
        pthread_mutex_destroy(&d->snap_mu);
        return TLX_ENOMEM;
    }
    d->snap_on = true;
    return 0;
}

/* Before the store closes; a build under way finishes first. */
static void s_snap_stop(daemon_t *d)
{
    if (!d->snap_on)
        return;
    pthread_mutex_lock(&d->snap_mu);
    d->snap_stop = true;
    pthread_cond_signal(&d->snap_cv);
    pthread_mutex_unlock(&d->snap_mu);
    pthread_join(d->snap_tid, NULL);
    pthread_cond_destroy(&d->snap_cv);
    pthread_mutex_destroy(&d->snap_mu);
    d->snap_on = false;
}

static void s_reader_check(daemon_t *d)
{
    int dead = tlx_store_reader_check(d->e.store);
    if (dead)
        tlx_log(TLX_LOG_INFO, "cleared stale reader slots", "count=%d", dead);
}

static uint64_t s_every_20ms(const daemon_t *d)
{
    (void)d;
    return 20;
}
static uint64_t s_every_1s(const daemon_t *d)
{
    (void)d;
    return 1000;
}
static uint64_t s_watchdog_period(const daemon_t *d)
{
    return d->wd_usec ? d->wd_usec / 2000 : UINT64_MAX;
}
static uint64_t s_reader_period(const daemon_t *d)
{
    return (uint64_t)d->e.cfg->reader_check_ms;
}

static const task_t s_tasks[] = {
    {"map_check", s_every_20ms, s_map_check, 0},          /* let go of mapped pages (map_resident_max) */
    {"gauges", s_every_1s, s_gauges, 0},                  /* /metrics gauges and /ready */
    {"watchdog", s_watchdog_period, s_watchdog, 0},       /* systemd WatchdogSec */
    {"replay_check", s_every_1s, s_replay_check, 0},      /* dead letters replayed, failed scans */
    {"reader_check", s_reader_period, s_reader_check, 1}, /* reader slots of dead processes */
};
#define NTASKS (sizeof s_tasks / sizeof s_tasks[0])
_Static_assert(NTASKS <= sizeof(((daemon_t *)0)->last) / sizeof(uint64_t), "room for every task's last run");

static void s_tasks_run(daemon_t *d)
{
    uint64_t now = tlx_mono_ms();
    for (size_t i = 0; i < NTASKS; i++) {
        uint64_t p = s_tasks[i].period(d);
        if (p != UINT64_MAX && now - d->last[i] >= p) {
            s_tasks[i].run(d);
            d->last[i] = now;
        }
    }
}

/* ---- reload ------------------------------------------------------------------ */

/* Applies what a reload may change; the rest needs a restart. */
static void s_reload(daemon_t *d, const tlx_daemon_cfg_t *next)
{
    tlx_engine_t *e = &d->e;
    char restart[600];
    tlx_daemon_cfg_t *c = &e->cfgv;
    tlx_config_reload(c, next, restart, sizeof restart); /* the option table's reload column */
    tlx_front_set_limits(e);
    tlx_dispatch_set_max_attempts(e->disp, c->max_attempts);
    tlx_enricher_set_deadline_ms((unsigned)c->article_timeout_ms);
    tlx_store_set_map_resident_max(e->store, c->map_resident_max);
    tlx_daemon_apply_logging(c);
    tlx_sources_publish(&e->sources, next->sources);
    int want = tlx_pool_reload(e);
    tlx_metrics_add(e->m, TLX_M_RELOADS, 1);
    tlx_log(TLX_LOG_INFO, "configuration reloaded", "threads=%d max_text=%zu max_attempts=%d sources=%d%s%s",
            want, c->limits.max_text, c->max_attempts, tlx_sources_count(next->sources),
            restart[0] ? " needs_restart=" : "", restart);
}

/* ---- start -------------------------------------------------------------------- */

static void s_write_http_file(const char *store, const char *bound)
{
    char path[4200], tmp[4210];
    snprintf(path, sizeof path, "%s/telexd.http", store);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return;
    fprintf(f, "%s\n", bound);
    if (fclose(f) == 0)
        rename(tmp, path);
}

static int s_start_http(daemon_t *d)
{
    const tlx_daemon_cfg_t *cfg = d->e.cfg;
    if (!cfg->http[0] || strcmp(cfg->http, "none") == 0)
        return 0;
    char err[400];
    if (!(d->e.http =
              tlx_http_start(cfg->http, d->e.m, d->http_file, sizeof d->http_file, err, sizeof err))) {
        tlx_log(TLX_LOG_ERROR, "cannot start the metrics listener", "http=%s error=\"%s\"", cfg->http, err);
        d->http_file[0] = '\0';
        return TLX_ESOCKET;
    }
    tlx_log(TLX_LOG_INFO, "serving metrics and health", "http=%s", d->http_file);
    return 0;
}

static int s_open_store(daemon_t *d)
{
    const tlx_daemon_cfg_t *cfg = d->e.cfg;
    tlx_store_opts_t so;
    tlx_store_opts_default(&so);
    if (cfg->map_size)
        so.map_size = cfg->map_size;
    if (cfg->map_max)
        so.map_max = cfg->map_max;
    so.map_resident_max = cfg->map_resident_max;
    so.df_flush_ms = 2000;    /* one pass over the counted terms every 2 s, not one per commit */
    so.df_flush_terms = 2048; /* ... spread over the next commits: no ack waits for all of them */
    char err[600];
    int rc = tlx_store_open(cfg->store, &so, &d->e.store, err, sizeof err);
    if (rc)
        tlx_log(TLX_LOG_ERROR, err, NULL);
    else if (d->http_file[0])
        s_write_http_file(cfg->store, d->http_file);
    return rc;
}

static int s_load_text(daemon_t *d)
{
    const tlx_daemon_cfg_t *cfg = d->e.cfg;
    if (tlx_pool_target(cfg) == 0 || cfg->null_pipeline)
        return 0;
    const char *terr = NULL;
    if (!(d->text = tlx_text_new(cfg->datadir[0] ? cfg->datadir : NULL, &terr))) {
        tlx_log(TLX_LOG_ERROR, "cannot load the text pipeline", "error=\"%s\"", terr ? terr : "?");
        return TLX_EINVAL;
    }
    if (terr)
        tlx_log(TLX_LOG_WARN, "text pipeline", "warning=\"%s\"", terr);
    return 0;
}

/* The read API on the http listener, and the JetStream publisher. */
static int s_start_readers(daemon_t *d)
{
    tlx_engine_t *e = &d->e;
    const tlx_daemon_cfg_t *cfg = e->cfg;
    if (cfg->http_api) {
        if (!e->http)
            tlx_log(TLX_LOG_WARN, "http-api is on but there is no http listener (http = none)", NULL);
        tlx_http_set_api(e->http, e->store);
    }
    if (!cfg->publish[0] || cfg->role == TLX_ROLE_REPLICA)
        return 0;
    tlx_publish_cfg_t pc;
    tlx_publish_cfg_default(&pc);
    snprintf(pc.url, sizeof pc.url, "%s", cfg->publish);
    snprintf(pc.subject, sizeof pc.subject, "%s", cfg->publish_subject);
    snprintf(pc.stream, sizeof pc.stream, "%s", cfg->publish_stream);
    pc.format = cfg->publish_format;
    snprintf(pc.creds, sizeof pc.creds, "%s", cfg->publish_creds);
    snprintf(pc.tls_ca, sizeof pc.tls_ca, "%s", cfg->publish_tls_ca);
    pc.max_age_s = cfg->publish_max_age_s;
    pc.max_bytes = (int64_t)cfg->publish_max_bytes;
    pc.replicas = cfg->publish_replicas;
    char err[600];
    int rc = tlx_publish_start(&pc, e->store, e->m, &e->publish, err, sizeof err);
    if (rc)
        tlx_log(TLX_LOG_ERROR, "cannot start the publisher", "error=\"%s\"", err);
    return rc;
}

/* Everything up to "ready": metrics, store, text, sockets, queue, threads. */
static int s_start(daemon_t *d, const tlx_daemon_hooks_t *hooks)
{
    tlx_engine_t *e = &d->e;
    const tlx_daemon_cfg_t *cfg = e->cfg;
    int rc;
    e->m = tlx_metrics_new();
    e->in = calloc(TLX_BATCH_MAX, sizeof *e->in);
    e->res = calloc(TLX_RES_MAX, sizeof *e->res);
    if (!e->m || !e->in || !e->res)
        return TLX_ENOMEM;
    tlx_metrics_set(e->m, TLX_G_START_TIME, tlx_now_ms() / 1000);
    if ((rc = s_start_http(d)) || (rc = s_open_store(d)) || (rc = s_load_text(d)) ||
        (rc = s_start_readers(d)))
        return rc;
    tlx_enricher_set_deadline_ms((unsigned)cfg->article_timeout_ms);
    tlx_dispatch_opts_t dopts = {.max_attempts = cfg->max_attempts};
    e->disp = tlx_dispatch_new(e->store, e->m, &dopts, tlx_link_send_job, e);
    e->pool = tlx_pool_new(cfg->null_pipeline ? NULL : d->text);
    if (!e->disp || !e->pool)
        return TLX_ENOMEM;
    if (!(e->fork = tlx_fork_new())) /* then the engine thread decodes and hashes alone */
        tlx_log(TLX_LOG_WARN, "cannot start the envelope helper thread", NULL);
    e->zctx = zmq_ctx_new();
    if ((rc = tlx_front_open(e)) || (rc = tlx_link_open(e)))
        return rc;
    tlx_writer_open_notify(e);

    tlx_dispatch_refill(e->disp, 0);
    tlx_dfsnap_publish(&e->df, tlx_dfsnap_build(e->store));
    tlx_boilsnap_publish(&e->boil, tlx_boilsnap_build(e->store));
    tlx_store_counts_t counts;
    tlx_store_counts(e->store, &counts);
    tlx_log(TLX_LOG_INFO, "started", "store=%s articles=%llu inbox=%llu threads=%d role=%s", cfg->store,
            (unsigned long long)counts.articles, (unsigned long long)counts.inbox, tlx_pool_target(cfg),
            cfg->role == TLX_ROLE_STORE ? "store" : "all");
    if ((rc = tlx_pool_start(e)) || (rc = s_snap_start(d)))
        return rc;

    tlx_metrics_set(e->m, TLX_G_BOUND, 1);
    s_gauges(d);
    if (hooks->ready)
        hooks->ready(hooks->ctx, 1);
    sd_notifyf(0, "READY=1\nSTATUS=accepting articles; inbox %llu\nMAINPID=%lu",
               (unsigned long long)counts.inbox, (unsigned long)getpid());
    if (sd_watchdog_enabled(0, &d->wd_usec) <= 0)
        d->wd_usec = 0;
    uint64_t now = tlx_mono_ms();
    for (size_t i = 0; i < NTASKS; i++)
        d->last[i] = s_tasks[i].wait_first ? now : 0;
    tlx_store_meta_get(e->store, "replay_gen", &e->replay_gen);
    return 0;
}

/* ---- the loop ------------------------------------------------------------------ */

static void s_begin_drain(tlx_engine_t *e, uint64_t *deadline)
{
    e->draining = 1;
    tlx_metrics_set(e->m, TLX_G_DRAINING, 1);
    tlx_metrics_set(e->m, TLX_G_READY, 0);
    sd_notify(0, "STOPPING=1\nSTATUS=draining");
    *deadline = tlx_mono_ms() + (uint64_t)(e->cfg->drain_ms > 0 ? e->cfg->drain_ms : 0);
    tlx_log(TLX_LOG_INFO, "draining", "in_flight=%d", tlx_dispatch_inflight(e->disp));
    tlx_front_close(e); /* stop taking new work; producers re-send elsewhere or later */
}

static void s_maybe_reload(daemon_t *d, const tlx_daemon_hooks_t *hooks)
{
    if (!hooks->reload || !*hooks->reload || !hooks->load || d->e.draining)
        return;
    *hooks->reload = 0;
    sd_notify(0, "RELOADING=1");
    const tlx_daemon_cfg_t *next = hooks->load(hooks->ctx);
    if (next)
        s_reload(d, next);
    sd_notify(0, "READY=1");
}

/* While results wait for company (tlx_writer.c), the loop does not poll the
   enrich link: it wakes for the front (acks never wait) or every this many
   ms, and then reads every result that came meanwhile.  Woken by each
   result instead, the engine thread ran one turn per article of the full
   pipeline (0.8 sleeps per article), and each of those wakeups preempted
   an enrich thread (they run below it, tlx_pool.c).  The wait ends at most
   this late after the result that completes the group; the workers hold
   queued jobs all along (the linger needs LINGER_RESULTS in flight). */
#define LINGER_SLICE_MS 5

/* Waits for input; how long depends on what is pending.  0 or TLX_ESOCKET. */
static int s_poll(tlx_engine_t *e)
{
    zmq_pollitem_t items[2] = {{e->back, 0, ZMQ_POLLIN, 0}, {e->front, 0, ZMQ_POLLIN, 0}};
    int nitems = e->front ? 2 : 1;
    long timeout = 1000;
    if (e->cfg->enrich_listen[0] && e->cfg->heartbeat_ms < timeout)
        timeout = e->cfg->heartbeat_ms;
    if (e->disk_full_since)
        timeout = 100; /* retry the carried-over results soon */
    if (e->draining)
        timeout = 50;
    else if (tlx_dispatch_queued(e->disp) && tlx_dispatch_credit(e->disp) > 0 && !e->disk_full_since)
        timeout = 0; /* queued articles and free workers: dispatch now */
    if (e->linger_until) {
        /* results waiting for company (tlx_writer.c); queued articles
           too: their dispatch follows the next commit */
        uint64_t now = tlx_mono_ms();
        timeout = e->linger_until > now ? (long)(e->linger_until - now) : 0;
        if (timeout > LINGER_SLICE_MS)
            timeout = LINGER_SLICE_MS;
        if (timeout > 0) { /* the front only: results are read in bulk after the wait */
            items[0] = items[1];
            nitems = e->front ? 1 : 0;
        }
    }
    if (e->disk_full_since && e->nres)
        nitems = 1; /* results first; the front answers busy */
    if (zmq_poll(items, nitems, timeout) < 0 && zmq_errno() != EINTR)
        return TLX_ESOCKET;
    return 0;
}

/* Reads results (credit returns at once) and hellos, then envelopes. */
static void s_read(tlx_engine_t *e)
{
    tlx_link_read_results(e, TLX_RES_HEAVY_MAX);
    size_t bytes = 0;
    assert(e->nin == 0); /* every turn answers all it read */
    if (e->front && !e->draining)
        while (e->nin < TLX_BATCH_MAX && bytes < TLX_TURN_BYTES_MAX && tlx_front_recv(e, &e->in[e->nin]) == 0)
            bytes += zmq_msg_size(&e->in[e->nin++].msg);
    tlx_writer_prepare(e); /* decoded and hashed beside the results' apply */
}

static int s_loop(daemon_t *d, const tlx_daemon_hooks_t *hooks)
{
    tlx_engine_t *e = &d->e;
    uint64_t drain_deadline = 0;
    for (;;) {
        if (*hooks->stop && !e->draining)
            s_begin_drain(e, &drain_deadline);
        if (e->draining &&
            ((tlx_dispatch_inflight(e->disp) == 0 && e->nres == 0) || tlx_mono_ms() >= drain_deadline))
            return 0;
        s_maybe_reload(d, hooks);
        if (s_poll(e))
            return TLX_ESOCKET;
        s_read(e);
        uint64_t committed = tlx_metrics_count(e->m, TLX_M_PROCESSED);
        tlx_writer_turn(e);
        if (e->publish && tlx_metrics_count(e->m, TLX_M_PROCESSED) != committed)
            tlx_publish_kick(e->publish); /* new records in the feed */
        tlx_link_heartbeat(e);
        tlx_pool_shrink(e);
        s_tasks_run(d);
    }
}

/* ---- stop ----------------------------------------------------------------------- */

static void s_log_stopped(tlx_engine_t *e)
{
    /* In-flight articles that did not come back were not tried to failure:
       give their attempt back; they stay in the inbox for the next start. */
    int left = tlx_dispatch_give_back(e->disp);
    if (left)
        tlx_log(TLX_LOG_WARN, "drain deadline passed; left in the inbox", "in_flight=%d", left);
    const tlx_metrics_t *m = e->m;
    tlx_log(TLX_LOG_INFO, "stopped",
            "received=%llu accepted=%llu duplicate=%llu rejected=%llu processed=%llu dead=%llu busy=%llu "
            "commits=%llu curve_refused=%llu",
            (unsigned long long)tlx_metrics_count(m, TLX_M_RECEIVED),
            (unsigned long long)tlx_metrics_count(m, TLX_M_ACCEPTED),
            (unsigned long long)tlx_metrics_count(m, TLX_M_DUPLICATE),
            (unsigned long long)tlx_metrics_count(m, TLX_M_REJECTED),
            (unsigned long long)tlx_metrics_count(m, TLX_M_PROCESSED),
            (unsigned long long)tlx_metrics_count(m, TLX_M_DEAD),
            (unsigned long long)tlx_metrics_count(m, TLX_M_BUSY),
            (unsigned long long)tlx_metrics_count(m, TLX_M_COMMITS),
            (unsigned long long)tlx_zap_refused(e->zap));
}

/* Stops the threads and frees everything; returns 1 when an enrich thread
   is stuck in an article past the deadline (then only the store is
   closed: process exit ends the thread, its article is safe in the inbox). */
static int s_stop_threads(daemon_t *d)
{
    tlx_engine_t *e = &d->e;
    int stuck = e->disp && tlx_dispatch_inflight(e->disp) > 0;
    for (int i = 0; e->disp && i < tlx_dispatch_nworkers(e->disp); i++)
        if (!tlx_dispatch_worker(e->disp, i)->hb) /* remote workers outlive us: they reconnect later */
            tlx_link_stop_worker(e, i, 0);
    if (e->zctx) /* threads that never said hello are in a blocking receive: wake them all */
        zmq_ctx_shutdown(e->zctx);
    return tlx_pool_join(e->pool, stuck) != 0;
}

static void s_teardown(daemon_t *d)
{
    tlx_engine_t *e = &d->e;
    tlx_writer_discard(e);
    tlx_fork_destroy(&e->fork);
    tlx_front_close(e);
    if (e->back)
        zmq_close(e->back);
    if (e->pub)
        zmq_close(e->pub);
    tlx_zap_stop(&e->zap);
    if (e->zctx)
        zmq_ctx_term(e->zctx);
    tlx_pool_destroy(&e->pool);
    tlx_text_destroy(&d->text);
    tlx_dispatch_destroy(&e->disp);
    tlx_store_close(&e->store);
    tlx_dfsnap_slot_fini(&e->df);
    tlx_sources_slot_fini(&e->sources);
    tlx_boilsnap_slot_fini(&e->boil);
    tlx_metrics_destroy(&e->m);
    free(e->in);
    free(e->res);
    free(d);
}

/* ---- the replica role ------------------------------------------------------------ */

static void s_replica_ready(void *ctx)
{
    (void)ctx; /* the consumer is bound: nothing more to tell (ready was reported at open) */
}

/* The replica's front: binds the listen endpoints like the engine's and
   answers every envelope `rejected`, reason read_only, so a producer
   pointed at a replica by mistake is told at once instead of waiting for
   an ack that never comes.  Own thread: the replica loop blocks in NATS
   fetches.  Stops when e->draining is set. */
static void *s_refuse(void *arg)
{
    tlx_engine_t *e = arg;
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, NULL);
    tlx_front_in_t m;
    memset(&m, 0, sizeof m);
    while (!__atomic_load_n(&e->draining, __ATOMIC_ACQUIRE)) {
        zmq_pollitem_t it = {e->front, 0, ZMQ_POLLIN, 0};
        if (zmq_poll(&it, 1, 200) <= 0)
            continue;
        for (int n = 0; n < TLX_BATCH_MAX && tlx_front_read(e, &m) == 0; n++) {
            m.status = TLX_ACK_REJECTED;
            if (m.reason == TLX_REJ_NONE) {
                m.reason = TLX_REJ_READ_ONLY;
                snprintf(m.detail, sizeof m.detail, "this telexd is a read replica; push to the primary");
            }
            tlx_metrics_add(e->m, TLX_M_REJECTED, 1);
            tlx_metrics_reject(e->m, m.reason);
            tlx_front_ack(e, &m);
            zmq_msg_close(&m.msg);
        }
    }
    return NULL;
}

/* A read replica: metrics and the read API, the store, the JetStream
   consumer as the store's one writer (tlx_replica.h), and a front that
   refuses producers (s_refuse). */
static int s_run_replica(const tlx_daemon_cfg_t *cfg, const tlx_daemon_hooks_t *hooks)
{
    daemon_t *d = calloc(1, sizeof *d);
    if (!d)
        return TLX_ENOMEM;
    tlx_engine_t *e = &d->e;
    e->cfgv = *cfg;
    e->cfg = &e->cfgv;
    int rc = (e->m = tlx_metrics_new()) ? 0 : TLX_ENOMEM;
    if (!rc)
        tlx_metrics_set(e->m, TLX_G_START_TIME, tlx_now_ms() / 1000);
    if (!rc && !(rc = s_start_http(d)) && !(rc = s_open_store(d)) && !(rc = s_start_readers(d)))
        rc = (e->zctx = zmq_ctx_new()) ? tlx_front_open(e) : TLX_ENOMEM;
    pthread_t refuser;
    bool refusing = false;
    if (!rc) {
        if (pthread_create(&refuser, NULL, s_refuse, e) == 0)
            refusing = true;
        else
            rc = TLX_EIO;
    }
    if (rc) {
        if (hooks->ready)
            hooks->ready(hooks->ctx, 0);
    } else {
        tlx_replica_cfg_t rc_;
        tlx_replica_cfg_default(&rc_);
        snprintf(rc_.url, sizeof rc_.url, "%s", cfg->from);
        snprintf(rc_.stream, sizeof rc_.stream, "%s", cfg->publish_stream);
        if (cfg->replica_name[0])
            snprintf(rc_.durable, sizeof rc_.durable, "%s", cfg->replica_name);
        snprintf(rc_.creds, sizeof rc_.creds, "%s", cfg->publish_creds);
        snprintf(rc_.tls_ca, sizeof rc_.tls_ca, "%s", cfg->publish_tls_ca);
        tlx_metrics_set(e->m, TLX_G_BOUND, 1);
        tlx_metrics_set(e->m, TLX_G_READY, 1);
        tlx_log(TLX_LOG_INFO, "started", "store=%s role=replica from=%s", cfg->store, cfg->from);
        if (hooks->ready)
            hooks->ready(hooks->ctx, 1);
        sd_notify(0, "READY=1\nSTATUS=replicating");
        rc = tlx_replica_run(&rc_, e->store, e->m, hooks->stop, s_replica_ready, NULL);
        tlx_log(TLX_LOG_INFO, "stopped", "replicated=%llu refused=%llu",
                (unsigned long long)tlx_metrics_count(e->m, TLX_M_REPLICATED),
                (unsigned long long)tlx_metrics_count(e->m, TLX_M_REJECTED));
    }
    __atomic_store_n(&e->draining, 1, __ATOMIC_RELEASE);
    if (refusing)
        pthread_join(refuser, NULL);
    tlx_front_close(e);
    tlx_zap_stop(&e->zap);
    if (e->zctx)
        zmq_ctx_term(e->zctx);
    tlx_http_stop(&e->http);
    if (d->http_file[0] && e->store) {
        char path[4200];
        snprintf(path, sizeof path, "%s/telexd.http", e->cfg->store);
        unlink(path);
    }
    tlx_store_close(&e->store);
    tlx_metrics_destroy(&e->m);
    free(d);
    return rc;
}

int tlx_daemon_run(const tlx_daemon_cfg_t *cfg, const tlx_daemon_hooks_t *hooks)
{
    if (cfg->role == TLX_ROLE_ENRICH)
        return tlx_enricher_role_run(cfg, hooks->stop, hooks->ready, hooks->ctx);
    if (cfg->role == TLX_ROLE_REPLICA)
        return s_run_replica(cfg, hooks);
    daemon_t *d = calloc(1, sizeof *d);
    if (!d)
        return TLX_ENOMEM;
    tlx_engine_t *e = &d->e;
    e->cfgv = *cfg;
    e->cfg = &e->cfgv;
    tlx_dfsnap_slot_init(&e->df);
    tlx_sources_slot_init(&e->sources, cfg->sources);
    tlx_boilsnap_slot_init(&e->boil);
    int rc = s_start(d, hooks);
    if (rc == 0) {
        rc = s_loop(d, hooks);
        s_log_stopped(e);
    } else if (hooks->ready)
        hooks->ready(hooks->ctx, 0);
    s_snap_stop(d);
    tlx_http_stop(&e->http);
    tlx_publish_stop(&e->publish); /* after the drain: what was committed is published or persisted as lag */
    if (d->http_file[0] && e->store) {
        char path[4200];
        snprintf(path, sizeof path, "%s/telexd.http", e->cfg->store);
        unlink(path);
    }
    if (s_stop_threads(d)) {
        tlx_store_close(&e->store);
        return rc;
    }
    s_teardown(d);
    return rc;
}
