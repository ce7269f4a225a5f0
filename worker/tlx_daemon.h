/*  tlx_daemon.h -- telexd's engine: configuration and the one entry point.

    One thread (the caller of tlx_daemon_run) owns the ROUTER front socket
    (tlx_front.h), the LMDB store (it is the one writer, tlx_writer.h) and
    the enrich link's ROUTER (tlx_link.h) that enrich threads (tlx_pool.h)
    connect to over inproc.  Each loop turn it drains what is readable
    (envelopes and enrich results), applies it in one write txn (group
    commit), and only after the commit sends the acks, the `committed`
    notifications and the next jobs (tlx_dispatch.h chooses them).

    Enrich threads run the pure text pipeline; they receive jobs and return
    records over the internal enrich protocol (proto/PROTOCOL.md, section 5),
    with credit-based flow control.
*/
#ifndef TLX_DAEMON_H
#define TLX_DAEMON_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "tlx_proto.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TLX_MAX_LISTEN 8

/*  What one telexd process does (scale-out, README "Scale-out"):
    all     front + writer + local enrich threads (the default);
    store   front + writer, dispatching to remote enrich workers that
            connect to enrich_listen (plus `threads` local ones, default 0);
    enrich  enrich threads only, connected to a store process's
            enrich_listen endpoint (`connect`); no store of its own;
    replica a read replica: the primary's JetStream stream (`from`) into
            its own store (tlx_replica.h); refuses producers. */
typedef enum { TLX_ROLE_ALL, TLX_ROLE_STORE, TLX_ROLE_ENRICH, TLX_ROLE_REPLICA } tlx_role_t;

struct tlx_sources;

typedef struct {
    char store[4096];
    char listen[TLX_MAX_LISTEN][512];
    int nlisten;
    char notify[512];   /* PUB endpoint for "committed <seq> <id>"; "" = ipc in the store dir; "none" = off */
    int threads;        /* enrich threads; 0 = number of cores */
    int credit;         /* jobs in flight per enrich thread; default 16 */
    int max_attempts;   /* K: dispatches before an article goes to the dead letters; default 3 */
    int drain_ms;       /* SIGTERM: wait this long for in-flight articles; default 10000 */
    size_t map_size;    /* initial LMDB map size; 0 = default (1 GiB) */
    size_t map_max;     /* 0 = default (1 TiB) */
    int hwm;            /* front ZeroMQ high-water marks, messages per connection; default 1000 */
    tlx_limits_t limits;
    char datadir[4096]; /* "" = default search path */
    int null_pipeline;  /* benchmark baseline: store the raw text, skip the text pipeline */
    int reader_check_ms; /* clear reader slots of dead processes this often; default 60000 */
    char curve_secret[4096]; /* server secret key file: enables CURVE on the front ("" = off) */
    char curve_allow[4096];  /* client public keys admitted (required with curve_secret) */
    tlx_role_t role;
    char enrich_listen[512]; /* store role: endpoint remote enrich workers connect to */
    char connect[512];       /* enrich role: the store's enrich_listen endpoint */
    int heartbeat_ms;        /* remote enrich link heartbeat; a peer silent for 5 beats is dead */
    char http[256];          /* metrics/health listener HOST:PORT ("none" = off; port 0 = any) */
    int log_format;          /* tlx_log_format_t */
    int log_syslog;          /* 1: log to syslog instead of stderr */
    int log_burst;           /* repeated log lines allowed per 10 s (0 = no limit) */
    int log_level;           /* tlx_log_level_t */
    char pid_file[4096];     /* "" = none */
    int daemonize;           /* --daemon: detach after start-up succeeded */
    struct tlx_sources *sources; /* per-source settings (borrowed; NULL = built-in) */
    size_t map_resident_max; /* let go of mapped store pages past this many resident bytes (0 = never) */
    /* NATS JetStream publisher (tlx_publish.h); publish[0] == 0: off */
    char publish[1024];        /* nats://HOST:4222[,nats://...] */
    char publish_subject[256]; /* "<source>" becomes the record's source */
    char publish_stream[64];
    int publish_format;        /* tlx_publish_format_t */
    char publish_creds[4096];
    char publish_tls_ca[4096];
    int publish_max_age_s;     /* stream limits when telexd creates it (0 = none) */
    size_t publish_max_bytes;
    int publish_replicas;
    /* read replica (role replica, tlx_replica.h) */
    char from[1024];           /* the NATS server(s) the primary publishes to */
    char replica_name[128];    /* durable consumer name ("" = replica-HOSTNAME) */
    int http_api;              /* 1: the read API under /v1/ on the http listener */
} tlx_daemon_cfg_t;

/*  Fills defaults: store from $TELEX_STORE or ./telex-data, listen from
    $TELEX_ENDPOINT or tcp://127.0.0.1:5555. */
void tlx_daemon_cfg_default(tlx_daemon_cfg_t *cfg);

/*  What the caller of tlx_daemon_run plugs in.  Only `stop` is required. */
typedef struct {
    /* Set non-zero (from a signal handler) to stop: the daemon drains, at
       most drain_ms, and returns. */
    volatile sig_atomic_t *stop;
    /* SIGHUP: when *reload is non-zero the daemon clears it and calls
       load(ctx) from its own thread; load returns the new configuration
       (the daemon copies what it uses; options that need a restart are
       left as they are, with a warning) or NULL to keep the running one
       (load logs why).  Both may be NULL: no reload. */
    volatile sig_atomic_t *reload;
    const tlx_daemon_cfg_t *(*load)(void *ctx);
    /* Called once when the sockets are bound and the store is open (ok=1),
       or when start-up failed (ok=0): tells systemd's parent or the
       parent of --daemon.  May be NULL. */
    void (*ready)(void *ctx, int ok);
    void *ctx;
} tlx_daemon_hooks_t;

/*  Runs the role cfg->role asks for until *hooks->stop: all and store run
    the engine (front, writer, dispatch, local enrich threads); enrich runs
    enrich threads connected to cfg->connect (tlx_enricher_role.h).
    Returns 0 after a clean stop, or a negative TLX_E* code when it cannot
    start (store, sockets, text data), after logging why.  Blocks the
    calling thread.  Only one daemon per store. */
int tlx_daemon_run(const tlx_daemon_cfg_t *cfg, const tlx_daemon_hooks_t *hooks);

/*  Sets the logger from cfg: level, format, syslog, rate limit. */
void tlx_daemon_apply_logging(const tlx_daemon_cfg_t *cfg);

#ifdef __cplusplus
}
#endif
#endif
