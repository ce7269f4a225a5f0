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
    Sources not named use the [source.*] section when present, else the
    built-in defaults (no zone: UTC).

    Errors name the place: "telexd.conf:12: threads: must be 0..64, got 99".
*/
#ifndef TLX_CONFIG_H
#define TLX_CONFIG_H

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

#include "tlx_daemon.h"

#ifdef __cplusplus
extern "C" {
#endif

/*  Where each value came from, for --check-config. */
typedef enum { TLX_ORIGIN_DEFAULT, TLX_ORIGIN_FILE, TLX_ORIGIN_ENV, TLX_ORIGIN_FLAG } tlx_origin_t;

#define TLX_CONFIG_ERRORS 16

typedef struct {
    tlx_daemon_cfg_t cfg;
    char file[4096];                 /* the config file read ("" = none) */
    int origin[64];                  /* per option of the table: tlx_origin_t */
    int origin_line[64];             /* file line for TLX_ORIGIN_FILE */
    char errors[TLX_CONFIG_ERRORS][320];
    int nerrors;
    int check_only;                  /* --check-config given */
    int help, help_config, version;  /* --help, --help-config, --version given */
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
void tlx_config_diff(const tlx_daemon_cfg_t *running, const tlx_daemon_cfg_t *next, char *restart, size_t len);

/* ---- per-source settings ------------------------------------------------- */

/*  An immutable, reference-counted table of per-source settings, shared by
    the enrich threads and replaced as a whole on reload. */
typedef struct tlx_sources tlx_sources_t;

typedef struct {
    const char *tz;        /* IANA zone or NULL */
    const char *currency;  /* ISO 4217 or NULL */
    int day_first;
    const struct tlx_boiler_rules *rules; /* extra rules or NULL */
} tlx_source_settings_t;

/*  The settings of `source` (NULL or unknown: the [source.*] defaults,
    then built-in defaults).  Pointers borrow from the table. */
tlx_source_settings_t tlx_sources_get(const tlx_sources_t *s, const char *source);
tlx_sources_t *tlx_sources_ref(tlx_sources_t *s);
void tlx_sources_unref(tlx_sources_t *s);
/*  Number of named sources (tests, --check-config). */
int tlx_sources_count(const tlx_sources_t *s);

/*  Where the current table is published for the enrich threads. */
typedef struct {
    pthread_mutex_t lock;
    tlx_sources_t *cur;
} tlx_sources_slot_t;
void tlx_sources_slot_init(tlx_sources_slot_t *slot, tlx_sources_t *s); /* takes a reference of its own */
void tlx_sources_slot_fini(tlx_sources_slot_t *slot);
tlx_sources_t *tlx_sources_acquire(tlx_sources_slot_t *slot);          /* a reference; unref when done */
void tlx_sources_publish(tlx_sources_slot_t *slot, tlx_sources_t *s);   /* takes a reference of its own */

#ifdef __cplusplus
}
#endif
#endif
