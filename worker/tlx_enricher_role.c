/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_enricher_role.c -- the enrich role (see tlx_enricher_role.h).

    The main thread only watches: it sums the workers' "connected" flags
    into the workers gauge and /ready, and pets the systemd watchdog.  On
    stop every worker sends "D" (the store re-dispatches its articles at
    once) and leaves within 200 ms.
*/
#include "tlx_enricher_role.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#include <systemd/sd-daemon.h>

#include "tlx_clock.h"
#include "tlx_enricher.h"
#include "tlx_http.h"
#include "tlx_keyfile.h"
#include "tlx_log.h"
#include "tlx_metrics.h"
#include "tlx_pool.h"
#include "tlx_sources.h"

typedef struct {
    pthread_t tid;
    tlx_enricher_args_t args;
} thread_t;

/* A malformed endpoint fails here, not silently in every thread. */
static int s_probe(void *zctx, const char *endpoint)
{
    void *probe = zmq_socket(zctx, ZMQ_DEALER);
    int zero = 0, rc = 0;
    zmq_setsockopt(probe, ZMQ_LINGER, &zero, sizeof zero);
    if (zmq_connect(probe, endpoint) != 0) {
        tlx_log(TLX_LOG_ERROR, "cannot connect to the store", "connect=%s error=\"%s\"", endpoint,
                zmq_strerror(zmq_errno()));
        rc = TLX_ESOCKET;
    }
    zmq_close(probe);
    return rc;
}

/* The CURVE client keys of cfg (enrich_curve_secret and _server), when
   set, into a (which is otherwise zeroed there). */
static int s_curve_keys(const tlx_daemon_cfg_t *cfg, tlx_enricher_args_t *a)
{
    if (!cfg->enrich_curve_secret[0])
        return 0;
    const char *why = !zmq_has("curve") ? "libzmq built without CURVE"
                      : tlx_keyfile_read(cfg->enrich_curve_secret, a->curve_secret) != 0 ||
                              zmq_curve_public(a->curve_public, a->curve_secret) != 0
                          ? "no 40-character Z85 secret key in enrich-curve-secret"
                      : tlx_keyfile_read(cfg->enrich_curve_server, a->curve_server) != 0
                          ? "no 40-character Z85 public key in enrich-curve-server"
                          : NULL;
    if (why) {
        tlx_log(TLX_LOG_ERROR, "cannot enable CURVE on the enrich link", "reason=\"%s\"", why);
        return TLX_EINVAL;
    }
    return 0;
}

/* Until *stop (a signal handler's flag): the workers gauge, /ready and the
   watchdog; then tells the workers through `leave` (an atomic: threads may
   not share a sig_atomic_t). */
static void s_watch(tlx_metrics_t *m, volatile sig_atomic_t *stop, atomic_int *leave, atomic_int *connected,
                    int n)
{
    uint64_t wd_usec = 0;
    int wd = sd_watchdog_enabled(0, &wd_usec) > 0;
    while (!*stop) {
        int up = 0;
        for (int i = 0; i < n; i++)
            up += atomic_load(&connected[i]);
        tlx_metrics_set(m, TLX_G_WORKERS, (uint64_t)up);
        tlx_metrics_set(m, TLX_G_READY, up > 0);
        if (wd)
            sd_notify(0, "WATCHDOG=1");
        usleep(200 * 1000);
    }
    atomic_store(leave, 1);
}

int tlx_enricher_role_run(const tlx_daemon_cfg_t *cfg, volatile sig_atomic_t *stop,
                          void (*ready)(void *ctx, int ok), void *ctx)
{
    int rc = 0, n = tlx_pool_target(cfg), started = 0;
    const char *terr = NULL;
    tlx_text_t *text = NULL;
    tlx_http_t *http = NULL;
    tlx_metrics_t *m = tlx_metrics_new();
    tlx_sources_slot_t sources;
    tlx_sources_slot_init(&sources, cfg->sources);
    tlx_enricher_set_deadline_ms((unsigned)cfg->article_timeout_ms);
    thread_t *th = calloc((size_t)n, sizeof *th);
    atomic_int *connected = calloc((size_t)n, sizeof *connected), leave = 0;
    void *zctx = NULL;
    if (!m || !th || !connected) {
        rc = TLX_ENOMEM;
        goto out;
    }
    tlx_metrics_set(m, TLX_G_START_TIME, tlx_now_ms() / 1000);
    if (cfg->http[0] && strcmp(cfg->http, "none") != 0) {
        char bound[300], err[400];
        if (!(http = tlx_http_start(cfg->http, m, bound, sizeof bound, err, sizeof err))) {
            tlx_log(TLX_LOG_ERROR, "cannot start the metrics listener", "http=%s error=\"%s\"", cfg->http,
                    err);
            rc = TLX_ESOCKET;
            goto out;
        }
        tlx_log(TLX_LOG_INFO, "serving metrics and health", "http=%s", bound);
    }
    if (!cfg->null_pipeline && !(text = tlx_text_new(cfg->datadir[0] ? cfg->datadir : NULL, &terr))) {
        tlx_log(TLX_LOG_ERROR, "cannot load the text pipeline", "error=\"%s\"", terr ? terr : "?");
        rc = TLX_EINVAL;
        goto out;
    }
    tlx_enricher_args_t keys = {0};
    if ((rc = s_curve_keys(cfg, &keys)))
        goto out;
    zctx = zmq_ctx_new();
    if ((rc = s_probe(zctx, cfg->connect)))
        goto out;
    for (int i = 0; i < n; i++) {
        th[i].args = (tlx_enricher_args_t){.zctx = zctx,
                                           .text = text,
                                           .credit = cfg->credit > 0 ? cfg->credit : 2,
                                           .index = i,
                                           .sources = &sources,
                                           .heartbeat_ms = cfg->heartbeat_ms,
                                           .stop = &leave,
                                           .connected = &connected[i]};
        snprintf(th[i].args.endpoint, sizeof th[i].args.endpoint, "%s", cfg->connect);
        memcpy(th[i].args.curve_server, keys.curve_server, sizeof keys.curve_server);
        memcpy(th[i].args.curve_public, keys.curve_public, sizeof keys.curve_public);
        memcpy(th[i].args.curve_secret, keys.curve_secret, sizeof keys.curve_secret);
        if (tlx_pool_spawn(&th[i].tid, tlx_enricher_main, &th[i].args) != 0) {
            rc = TLX_ENOMEM;
            break;
        }
        started++;
    }
    if (!rc) {
        tlx_log(TLX_LOG_INFO, "started", "role=enrich connect=%s threads=%d curve=%s", cfg->connect, n,
                keys.curve_server[0] ? "on" : "off");
        tlx_metrics_set(m, TLX_G_BOUND, 1);
        if (ready)
            ready(ctx, 1);
        sd_notify(0, "READY=1\nSTATUS=enriching");
        s_watch(m, stop, &leave, connected, n);
        sd_notify(0, "STOPPING=1");
        tlx_metrics_set(m, TLX_G_DRAINING, 1);
    }
out:
    if (rc && ready)
        ready(ctx, 0);
    if (rc)
        atomic_store(&leave, 1); /* the threads that did start leave too */
    for (int i = 0; i < started; i++)
        pthread_join(th[i].tid, NULL); /* each sends "D" and leaves within 200 ms of *stop */
    if (zctx)
        zmq_ctx_term(zctx);
    tlx_http_stop(&http);
    tlx_text_destroy(&text);
    tlx_sources_slot_fini(&sources);
    tlx_metrics_destroy(&m);
    free(th);
    free(connected);
    if (!rc)
        tlx_log(TLX_LOG_INFO, "stopped", "role=enrich");
    return rc;
}
