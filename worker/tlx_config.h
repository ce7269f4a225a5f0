/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_config.h -- telexd's configuration: one table of options, four layers.

    Every option is declared once, in the table in tlx_config.c, with its
    type, default, range, whether SIGHUP can change it, and its help text.
    The flag parser, the config-file reader, the environment reader,
    `telexd --help`, `telexd --check-config` and the README's reference
    (`telexd --help-config`, checked by tests/e2e/config.sh) are all
    generated from that table, so they cannot drift.

    Precedence, lowest first: built-in default < config file < environment
    (TELEX_*) < command-line flag.  One name, three spellings:
        flag --max-text   file key max_text   environment TELEX_MAX_TEXT
    (store and listen also answer to TELEX_STORE and TELEX_ENDPOINT, the
    names the `telex` client uses).

    The file is INI (libinih): global keys at the top or under [telexd];
    per-source settings under [source.NAME]:
        [source.dailynk]
        tz = Asia/Seoul          ; time zone of bylines without an offset
        currency = KRW           ; currency of a bare "won"/"dollars"
        day_first = true         ; 03/04/2016 is 3 April
        rules = /etc/telex/dailynk.rules   ; extra boilerplate rules
    Then the per-source file (option `sources`; by default the one shipped
    in the data directory, tlx_sources.h) adds the sections the config file
    does not have.  Sources named nowhere use the [source.*] section when
    present, else nothing (no zone: UTC).

    Errors name the place: "telexd.conf:12: threads: must be 0..64, got 99".
*/
#ifndef TLX_CONFIG_H
#define TLX_CONFIG_H

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

#include "tlx_proto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- the configuration struct ---------------------------------------------- */

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
    char notify[512]; /* PUB endpoint for "committed <seq> <id>"; "" = ipc in the store dir; "none" = off */
    int threads;      /* enrich threads; 0 = number of cores */
    int credit;       /* jobs in flight per enrich thread; default 16 */
    int max_attempts; /* K: dispatches before an article goes to the dead letters; default 3 */
    int drain_ms;     /* SIGTERM: wait this long for in-flight articles; default 10000 */
    int article_timeout_ms; /* processing deadline per article (a failed attempt past it); 0 = none */
    size_t map_size;        /* initial LMDB map size; 0 = default (1 GiB) */
    size_t map_max;         /* 0 = default (1 TiB) */
    int hwm;                /* front ZeroMQ high-water marks, messages per connection; default 1000 */
    tlx_limits_t limits;
    char datadir[4096];      /* "" = default search path */
    char sources_file[4096]; /* per-source file read after [source.NAME]; "" = the shipped one, "none" */
    int null_pipeline;       /* benchmark baseline: store the raw text, skip the text pipeline, no body */
    int reader_check_ms;     /* clear reader slots of dead processes this often; default 60000 */
    char curve_secret[4096]; /* server secret key file: enables CURVE on the front ("" = off) */
    char curve_allow[4096];  /* client public keys admitted (required with curve_secret) */
    char enrich_curve_secret[4096]; /* store: the enrich link's server secret key; enrich: this worker's */
    char enrich_curve_allow[4096];  /* store: enrich workers' public keys admitted */
    char enrich_curve_server[4096]; /* enrich: the store's enrich link public key */
    tlx_role_t role;
    char enrich_listen[512];     /* store role: endpoint remote enrich workers connect to */
    char connect[512];           /* enrich role: the store's enrich_listen endpoint */
    int heartbeat_ms;            /* remote enrich link heartbeat; a peer silent for 5 beats is dead */
    char http[256];              /* metrics/health listener HOST:PORT ("none" = off; port 0 = any) */
    int log_format;              /* tlx_log_format_t */
    int log_syslog;              /* 1: log to syslog instead of stderr */
    int log_burst;               /* repeated log lines allowed per 10 s (0 = no limit) */
    int log_level;               /* tlx_log_level_t */
    char pid_file[4096];         /* "" = none */
    int daemonize;               /* --daemon: detach after start-up succeeded */
    struct tlx_sources *sources; /* per-source settings (borrowed; NULL = none) */
    size_t map_resident_max;     /* let go of mapped store pages past this many resident bytes (0 = never) */
    /* NATS JetStream publisher (tlx_publish.h); publish[0] == 0: off */
    char publish[1024];        /* nats://HOST:4222[,nats://...] */
    char publish_subject[256]; /* "<source>" becomes the record's source */
    char publish_stream[64];
    int publish_format; /* tlx_publish_format_t */
    char publish_creds[4096];
    char publish_tls_ca[4096];
    int publish_max_age_s; /* stream limits when telexd creates it (0 = none) */
    size_t publish_max_bytes;
    int publish_replicas;
    /* read replica (role replica, tlx_replica.h) */
    char from[1024];        /* the NATS server(s) the primary publishes to */
    char replica_name[128]; /* durable consumer name ("" = replica-HOSTNAME) */
    int http_api;           /* 1: the read API under /v1/ on the http listener */
} tlx_daemon_cfg_t;

/*  Fills the built-in defaults (the option table's default column): store
    from $TELEX_STORE or ./telex-data; no listen endpoint (tlx_config_load
    adds $TELEX_ENDPOINT or the default one). */
void tlx_daemon_cfg_default(tlx_daemon_cfg_t *cfg);

/* ---- loading ----------------------------------------------------------------- */

/*  Where each value came from, for --check-config. */
typedef enum { TLX_ORIGIN_DEFAULT, TLX_ORIGIN_FILE, TLX_ORIGIN_ENV, TLX_ORIGIN_FLAG } tlx_origin_t;

#define TLX_CONFIG_ERRORS 16

typedef struct {
    tlx_daemon_cfg_t cfg;
    char file[4096];     /* the config file read ("" = none) */
    int origin[64];      /* per option of the table: tlx_origin_t */
    int origin_line[64]; /* file line for TLX_ORIGIN_FILE */
    char errors[TLX_CONFIG_ERRORS][320];
    int nerrors;
    int check_only;                 /* --check-config given */
    int help, help_config, version; /* --help, --help-config, --version given */
} tlx_config_t;

/*  Builds the configuration from defaults, the config file (--config FILE,
    else $TELEX_CONFIG; --check-config FILE counts as --config FILE), the
    environment and argv, in that order.  Never exits or prints: problems
    are collected in c->errors (nerrors > 0 means invalid) and the caller
    reports them.  Per-source sections are validated (zone names exist,
    rules files parse).  Frees nothing it did not allocate; call
    tlx_config_fini(). */
void tlx_config_load(tlx_config_t *c, int argc, char **argv);
void tlx_config_fini(tlx_config_t *c);

/*  `telexd --help`: usage generated from the table. */
void tlx_config_usage(FILE *f);

/*  `telexd --help-config`: the Markdown reference that the README embeds. */
void tlx_config_reference(FILE *f);

/*  `telexd --check-config`: every option with its value and origin. */
void tlx_config_explain(const tlx_config_t *c, FILE *f);

/*  SIGHUP: what differs between the running and the new configuration.
    Writes the names of changed options that need a restart into
    `restart` (comma-separated, "" if none).  The caller applies the rest. */
void tlx_config_diff(const tlx_daemon_cfg_t *running, const tlx_daemon_cfg_t *next, char *restart,
                     size_t len);

/*  SIGHUP: copies into *running every option whose table row says it
    changes live (the reload column), and names the changed ones that need
    a restart as tlx_config_diff does.  The caller then applies the copied
    values (loggers, sockets, the pool); per-source settings go separately
    (tlx_sources_publish). */
void tlx_config_reload(tlx_daemon_cfg_t *running, const tlx_daemon_cfg_t *next, char *restart, size_t len);

#ifdef __cplusplus
}
#endif
#endif
