/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_config.c -- the option table and its four layers (see tlx_config.h). */
#include "tlx_config.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "tlx_boiler.h"
#include "tlx_log.h"
#include "tlx_publish.h"
#include "tlx_sources.h"
#include "tlx_text.h"

typedef enum { T_STR, T_INT, T_SIZE, T_BOOL, T_ENUM, T_LIST } opt_type_t;

/*  The spellings of a T_ENUM option, each bound to its C enum value by a
    designated initializer, so reordering an enum or a list cannot change
    what a word means; the static asserts fail the build when an enum gains
    a value its list lacks. */
struct choices {
    const char *const *names;
    int n;
};
#define CHOICES(a)                                                                                           \
    {                                                                                                        \
        a, (int)(sizeof a / sizeof *a)                                                                       \
    }

static const char *const s_role_names[] = {[TLX_ROLE_ALL] = "all",
                                           [TLX_ROLE_STORE] = "store",
                                           [TLX_ROLE_ENRICH] = "enrich",
                                           [TLX_ROLE_REPLICA] = "replica"};
_Static_assert(sizeof s_role_names / sizeof *s_role_names == TLX_ROLE_REPLICA + 1, "a role without a name");
_Static_assert(sizeof(tlx_role_t) == sizeof(int), "T_ENUM fields are stored as int");
static const struct choices s_roles = CHOICES(s_role_names);

static const char *const s_publish_format_names[] = {
    [TLX_PUBLISH_JSON] = "json", [TLX_PUBLISH_MSGPACK] = "msgpack"};
_Static_assert(sizeof s_publish_format_names / sizeof *s_publish_format_names == TLX_PUBLISH_MSGPACK + 1,
               "a publish format without a name");
static const struct choices s_publish_formats = CHOICES(s_publish_format_names);

static const char *const s_log_level_names[] = {
    [TLX_LOG_ERROR] = "error", [TLX_LOG_WARN] = "warn", [TLX_LOG_INFO] = "info", [TLX_LOG_DEBUG] = "debug"};
_Static_assert(sizeof s_log_level_names / sizeof *s_log_level_names == TLX_LOG_DEBUG + 1,
               "a log level without a name");
static const struct choices s_log_levels = CHOICES(s_log_level_names);

static const char *const s_log_format_names[] = {
    [TLX_LOG_FMT_LOGFMT] = "logfmt", [TLX_LOG_FMT_JSON] = "json"};
_Static_assert(sizeof s_log_format_names / sizeof *s_log_format_names == TLX_LOG_FMT_JSON + 1,
               "a log format without a name");
static const struct choices s_log_formats = CHOICES(s_log_format_names);

/* null_pipeline is a flag: 0 runs the text pipeline, 1 stores the raw text. */
static const char *const s_pipeline_names[] = {[0] = "full", [1] = "null"};
static const struct choices s_pipelines = CHOICES(s_pipeline_names);

typedef struct {
    const char *name; /* flag spelling; file key and env derive from it */
    const char *env;  /* explicit environment name, or NULL for TELEX_<NAME> */
    opt_type_t type;
    size_t off, size;              /* field in tlx_daemon_cfg_t */
    long long min, max;            /* T_INT / T_SIZE */
    const struct choices *choices; /* T_ENUM: the names, indexed by the C enum stored */
    int reload;                    /* SIGHUP applies it */
    const char *arg;               /* metavariable in --help */
    const char *help;
} opt_t;

#define F(field) offsetof(tlx_daemon_cfg_t, field), sizeof(((tlx_daemon_cfg_t *)0)->field)

/* The one table.  Defaults live in tlx_daemon_cfg_default(); the reference
   prints them from a default-initialized configuration. */
static const opt_t s_opts[] = {
    {"store", "TELEX_STORE", T_STR, F(store), 0, 0, NULL, 0, "DIR",
     "store directory (LMDB environment), created 0700"},
    {"listen", "TELEX_ENDPOINT", T_LIST, F(listen), 0, 0, NULL, 0, "EP",
     "ZeroMQ endpoint producers push to; repeatable flag, comma-separated in the file"},
    {"role", NULL, T_ENUM, F(role), 0, 0, &s_roles, 0, "ROLE",
     "all: one process does everything; store: front + writer for remote enrich workers; enrich: enrich "
     "workers "
     "only; replica: a read replica fed from the primary's NATS JetStream stream (--from)"},
    {"enrich-listen", NULL, T_STR, F(enrich_listen), 0, 0, NULL, 0, "EP",
     "store role: endpoint remote enrich workers connect to (e.g. tcp://0.0.0.0:5556)"},
    {"connect", NULL, T_STR, F(connect), 0, 0, NULL, 0, "EP",
     "enrich role: the store's enrich-listen endpoint"},
    {"threads", NULL, T_INT, F(threads), 0, 64, NULL, 1, "N",
     "enrich threads; 0 = number of cores (role all, enrich) or none (role store). Local ones run 10 nice "
     "levels below the process, so the thread that commits and acks is never queued behind them"},
    {"heartbeat-ms", NULL, T_INT, F(heartbeat_ms), 100, 60000, NULL, 0, "MS",
     "remote enrich link heartbeat; a peer silent for 5 beats is dead and its articles are re-dispatched"},
    {"notify", NULL, T_STR, F(notify), 0, 0, NULL, 0, "EP",
     "PUB endpoint for \"committed <seq> <id>\" ('' = ipc://STORE/notify.ipc, 'none' = off)"},
    {"http", "TELEX_HTTP", T_STR, F(http), 0, 0, NULL, 0, "HOST:PORT",
     "metrics and health listener (/metrics, /health, /ready); port 0 picks one; 'none' = off"},
    {"http-api", NULL, T_BOOL, F(http_api), 0, 0, NULL, 0, NULL,
     "serve the read-only HTTP API (/v1/articles, /v1/query) on the http listener"},
    {"publish", NULL, T_STR, F(publish), 0, 0, NULL, 0, "URL",
     "publish every committed record to NATS JetStream at this URL (nats://HOST:4222, comma-separated for a "
     "cluster; '' = off)"},
    {"publish-subject", NULL, T_STR, F(publish_subject), 0, 0, NULL, 0, "SUBJECT",
     "subject of each record; <source> becomes the record's source as one token"},
    {"publish-stream", NULL, T_STR, F(publish_stream), 0, 0, NULL, 0, "NAME",
     "JetStream stream (created when missing, file storage)"},
    {"publish-format", NULL, T_ENUM, F(publish_format), 0, 0, &s_publish_formats, 0, "FORMAT",
     "message body: the record as JSON, or as stored (msgpack; what a replica needs)"},
    {"publish-creds", NULL, T_STR, F(publish_creds), 0, 0, NULL, 0, "FILE",
     "NATS credentials file (user JWT and NKey seed) for the publisher and the replica"},
    {"publish-tls-ca", NULL, T_STR, F(publish_tls_ca), 0, 0, NULL, 0, "FILE",
     "CA certificates that sign the NATS server's TLS certificate (turns TLS on)"},
    {"publish-max-age", NULL, T_INT, F(publish_max_age_s), 0, 2147483647, NULL, 0, "SECONDS",
     "stream limit when telexd creates it: drop messages older than this (0 = keep)"},
    {"publish-max-bytes", NULL, T_SIZE, F(publish_max_bytes), 0, 1LL << 50, NULL, 0, "BYTES",
     "stream limit when telexd creates it: drop the oldest messages past this size (0 = no limit)"},
    {"publish-replicas", NULL, T_INT, F(publish_replicas), 1, 5, NULL, 0, "N",
     "copies of the stream when telexd creates it (3 on a 3-node NATS cluster)"},
    {"from", NULL, T_STR, F(from), 0, 0, NULL, 0, "URL",
     "replica role: the NATS server(s) the primary publishes to (publish-stream names the stream)"},
    {"replica-name", NULL, T_STR, F(replica_name), 0, 0, NULL, 0, "NAME",
     "replica role: its durable JetStream consumer, unique per replica ('' = replica-HOSTNAME)"},
    {"max-text", NULL, T_SIZE, F(limits.max_text), 1, 1LL << 32, NULL, 1, "BYTES",
     "largest article text accepted"},
    {"map-size", NULL, T_SIZE, F(map_size), 1 << 16, 1LL << 40, NULL, 0, "BYTES",
     "initial LMDB map size (grows when full)"},
    {"map-resident-max", NULL, T_SIZE, F(map_resident_max), 0, 1LL << 40, NULL, 1, "BYTES",
     "opt-in: let go of mapped store pages past this many bytes (0 = never; they are page cache, and letting "
     "go costs throughput)"},
    {"max-attempts", NULL, T_INT, F(max_attempts), 1, 1000, NULL, 1, "K",
     "tries before an article goes to the dead letters"},
    {"drain-ms", NULL, T_INT, F(drain_ms), 0, 3600000, NULL, 1, "MS",
     "on SIGTERM, wait this long for in-flight articles"},
    {"article-timeout-ms", NULL, T_INT, F(article_timeout_ms), 0, 86400000, NULL, 1, "MS",
     "an article whose processing takes longer fails with stage 'timeout' (an attempt; 0 = no limit)"},
    {"reader-check-ms", NULL, T_INT, F(reader_check_ms), 100, 86400000, NULL, 1, "MS",
     "clear LMDB reader slots left by dead processes this often"},
    {"data", "TELEX_DATA", T_STR, F(datadir), 0, 0, NULL, 0, "DIR",
     "models, gazetteers and rules ('' = built-in search path)"},
    {"sources", NULL, T_STR, F(sources_file), 0, 0, NULL, 1, "FILE",
     "per-source settings read after the config file's [source.NAME] sections ('' = " TLX_SOURCES_FILE
     " in the data directory, 'none' = none)"},
    {"log-level", NULL, T_ENUM, F(log_level), 0, 0, &s_log_levels, 1, "LEVEL", "log verbosity"},
    {"log-format", NULL, T_ENUM, F(log_format), 0, 0, &s_log_formats, 1, "FORMAT", "log line format"},
    {"syslog", NULL, T_BOOL, F(log_syslog), 0, 0, NULL, 1, NULL,
     "log to syslog (daemon facility) instead of stderr"},
    {"log-burst", NULL, T_INT, F(log_burst), 0, 1000000, NULL, 1, "N",
     "the same message at most N times per 10 s, then a count (0 = no limit)"},
    {"pipeline", NULL, T_ENUM, F(null_pipeline), 0, 0, &s_pipelines, 0, "P",
     "null: store the raw text, no processing; records carry no body (benchmark baseline)"},
    {"curve-secret", NULL, T_STR, F(curve_secret), 0, 0, NULL, 0, "FILE",
     "enable CURVE with this server secret key (telex keygen)"},
    {"curve-allow", NULL, T_STR, F(curve_allow), 0, 0, NULL, 0, "FILE",
     "client public keys admitted, one per line (required with CURVE)"},
    {"enrich-curve-secret", NULL, T_STR, F(enrich_curve_secret), 0, 0, NULL, 0, "FILE",
     "CURVE on the enrich link: role store, its server secret key (telex keygen); role enrich, this worker's "
     "secret key"},
    {"enrich-curve-allow", NULL, T_STR, F(enrich_curve_allow), 0, 0, NULL, 0, "FILE",
     "role store: enrich workers' public keys admitted, one per line (required with enrich-curve-secret)"},
    {"enrich-curve-server", NULL, T_STR, F(enrich_curve_server), 0, 0, NULL, 0, "FILE",
     "role enrich: the store's enrich link public key (required with enrich-curve-secret)"},
    {"pid-file", NULL, T_STR, F(pid_file), 0, 0, NULL, 0, "FILE",
     "write the process id here (locked while running)"},
    {"daemon", NULL, T_BOOL, F(daemonize), 0, 0, NULL, 0, NULL,
     "detach into the background once start-up succeeded (default: foreground)"},
};
#define NOPTS (int)(sizeof s_opts / sizeof *s_opts)
_Static_assert(sizeof s_opts / sizeof *s_opts <= 64, "tlx_config_t.origin holds 64 options");

void tlx_daemon_cfg_default(tlx_daemon_cfg_t *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    const char *s = getenv("TELEX_STORE");
    snprintf(cfg->store, sizeof cfg->store, "%s", s && *s ? s : TLX_DEFAULT_STORE);
    cfg->credit = 16;
    cfg->max_attempts = 3;
    cfg->drain_ms = 10000;
    cfg->article_timeout_ms = 60000;
    cfg->hwm = 1000;
    cfg->reader_check_ms = 60000;
    cfg->map_size = (size_t)1 << 30;
    cfg->map_resident_max = 0; /* opt-in: mapped store pages are page cache (README, Memory) */
    cfg->heartbeat_ms = 1000;
    snprintf(cfg->http, sizeof cfg->http, "127.0.0.1:9464");
    cfg->log_level = TLX_LOG_INFO;
    cfg->log_burst = 20;
    tlx_limits_default(&cfg->limits);
    snprintf(cfg->publish_subject, sizeof cfg->publish_subject, "%s", TLX_PUBLISH_SUBJECT_DEFAULT);
    snprintf(cfg->publish_stream, sizeof cfg->publish_stream, "%s", TLX_PUBLISH_STREAM_DEFAULT);
    cfg->publish_replicas = 1;
}

/* ---- loading ----------------------------------------------------------------- */

typedef struct {
    tlx_config_t *c;
    int line;
    FILE *f;
    tlx_sources_entry_t *src;
    int nsrc, capsrc;
    int src_line[256];       /* 0: from the per-source file */
    char sources_path[4200]; /* the per-source file read */
    int seen_list;           /* listen set by the file already (append further keys) */
} load_t;

static void s_err(tlx_config_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void s_err(tlx_config_t *c, const char *fmt, ...)
{
    if (c->nerrors >= TLX_CONFIG_ERRORS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->errors[c->nerrors++], sizeof c->errors[0], fmt, ap);
    va_end(ap);
}

/* "max-text" -> "max_text" / "TELEX_MAX_TEXT" */
static void s_key(const char *name, char *out, size_t len)
{
    snprintf(out, len, "%s", name);
    for (char *p = out; *p; p++)
        if (*p == '-')
            *p = '_';
}

static void s_envname(const opt_t *o, char *out, size_t len)
{
    if (o->env) {
        snprintf(out, len, "%s", o->env);
        return;
    }
    snprintf(out, len, "TELEX_%s", o->name);
    for (char *p = out; *p; p++)
        *p = *p == '-' ? '_' : (char)toupper((unsigned char)*p);
}

/* The index of v among the choices, or -1 (an index, not an error code). */
static int s_choice(const struct choices *ch, const char *v)
{
    for (int i = 0; i < ch->n; i++)
        if (ch->names[i] && strcasecmp(ch->names[i], v) == 0)
            return i;
    return -1;
}

static void s_choice_name(const struct choices *ch, int idx, char *out, size_t len)
{
    snprintf(out, len, "%s", idx >= 0 && idx < ch->n && ch->names[idx] ? ch->names[idx] : "");
}

/* The names joined by sep ("all|store|enrich|replica"), for messages and docs. */
static void s_choice_list(const struct choices *ch, const char *sep, char *out, size_t len)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < ch->n && n < len; i++)
        if (ch->names[i])
            n += (size_t)snprintf(out + n, len - n, "%s%s", n ? sep : "", ch->names[i]);
}

/* Parses "8388608", "8M", "8MiB", "1G" into bytes; 0 or TLX_EINVAL. */
static int s_parse_size(const char *v, unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno || end == v || *v == '-')
        return TLX_EINVAL;
    unsigned long long mul = 1;
    if (*end) {
        switch (toupper((unsigned char)*end)) {
        case 'K':
            mul = 1ULL << 10;
            break;
        case 'M':
            mul = 1ULL << 20;
            break;
        case 'G':
            mul = 1ULL << 30;
            break;
        case 'T':
            mul = 1ULL << 40;
            break;
        default:
            return TLX_EINVAL;
        }
        end++;
        if (strcasecmp(end, "") && strcasecmp(end, "B") && strcasecmp(end, "iB"))
            return TLX_EINVAL;
    }
    if (n > ULLONG_MAX / mul)
        return TLX_EINVAL;
    *out = n * mul;
    return 0;
}

/* Sets option o from text v; `where` prefixes errors.  0 or TLX_EINVAL
   (the sentence is in c's error buffer). */
static int s_set(tlx_config_t *c, int idx, const char *v, tlx_origin_t origin, int line, const char *where,
                 int append)
{
    const opt_t *o = &s_opts[idx];
    char *field = (char *)&c->cfg + o->off;
    long long n;
    /* name the option as the user wrote it: file key, or flag (the env name is in `where`) */
    char label[64];
    if (origin == TLX_ORIGIN_ENV)
        s_envname(o, label, sizeof label);
    else if (origin == TLX_ORIGIN_FILE)
        s_key(o->name, label, sizeof label);
    else
        snprintf(label, sizeof label, "%s", o->name);

    char *end;
    switch (o->type) {
    case T_STR:
        if (strlen(v) >= o->size) {
            s_err(c, "%s%s: longer than %zu bytes", where, label, o->size - 1);
            return TLX_EINVAL;
        }
        snprintf(field, o->size, "%s", v);
        break;
    case T_INT:
        errno = 0;
        n = strtoll(v, &end, 10);
        if (errno || end == v || *end || n < o->min || n > o->max) {
            s_err(c, "%s%s: must be a whole number %lld..%lld, got '%s'", where, label, o->min, o->max, v);
            return TLX_EINVAL;
        }
        *(int *)field = (int)n;
        break;
    case T_SIZE: {
        unsigned long long b;
        if (s_parse_size(v, &b) || (long long)b < o->min || (long long)b > o->max) {
            s_err(c, "%s%s: must be a size in bytes (suffixes K, M, G) from %lld to %lld, got '%s'", where,
                  label, o->min, o->max, v);
            return TLX_EINVAL;
        }
        *(size_t *)field = (size_t)b;
        break;
    }
    case T_BOOL:
        if (tlx_sources_parse_bool(v, (int *)field)) {
            s_err(c, "%s%s: must be true or false, got '%s'", where, label, v);
            return TLX_EINVAL;
        }
        break;
    case T_ENUM: {
        int ch = s_choice(o->choices, v);
        if (ch < 0) {
            char list[128];
            s_choice_list(o->choices, "|", list, sizeof list);
            s_err(c, "%s%s: must be one of %s, got '%s'", where, label, list, v);
            return TLX_EINVAL;
        }
        *(int *)field = ch;
        break;
    }
    case T_LIST: {
        if (!append)
            c->cfg.nlisten = 0;
        const char *p = v;
        while (*p) {
            p += strspn(p, " ,\t");
            size_t l = strcspn(p, " ,\t");
            if (!l)
                break;
            if (c->cfg.nlisten == TLX_MAX_LISTEN) {
                s_err(c, "%s%s: at most %d endpoints", where, label, TLX_MAX_LISTEN);
                return TLX_EINVAL;
            }
            if (l >= sizeof c->cfg.listen[0]) {
                s_err(c, "%s%s: endpoint too long", where, label);
                return TLX_EINVAL;
            }
            snprintf(c->cfg.listen[c->cfg.nlisten++], sizeof c->cfg.listen[0], "%.*s", (int)l, p);
            p += l;
        }
        break;
    }
    }
    c->origin[idx] = (int)origin;
    c->origin_line[idx] = line;
    return 0;
}

/* The index of the option named `key`, or -1 (an index, not an error code). */
static int s_find_opt(const char *key)
{
    for (int i = 0; i < NOPTS; i++) {
        char k[64];
        s_key(s_opts[i].name, k, sizeof k);
        if (strcmp(k, key) == 0)
            return i;
    }
    return -1;
}

/* A near name for "unknown option" messages: same first letters. */
static const char *s_suggest(const char *key)
{
    const char *best = NULL;
    size_t bestl = 2;
    for (int i = 0; i < NOPTS; i++) {
        char k[64];
        s_key(s_opts[i].name, k, sizeof k);
        size_t l = 0;
        while (k[l] && key[l] && k[l] == key[l])
            l++;
        if (l > bestl) {
            bestl = l;
            best = s_opts[i].name;
        }
    }
    return best;
}

static char *s_reader(char *str, int num, void *stream)
{
    load_t *L = stream;
    char *r = fgets(str, num, L->f);
    if (r)
        L->line++;
    return r;
}

static int s_handler(void *user, const char *section, const char *name, const char *value)
{
    load_t *L = user;
    tlx_config_t *c = L->c;
    char where[4200];
    snprintf(where, sizeof where, "%s:%d: ", c->file, L->line);
    if (!*section || strcmp(section, "telexd") == 0) {
        int i = s_find_opt(name);
        if (i < 0) {
            const char *sug = s_suggest(name);
            char sk[64] = "";
            if (sug)
                s_key(sug, sk, sizeof sk);
            s_err(c, "%sunknown option '%s'%s%s%s", where, name, sug ? " (did you mean '" : "", sk,
                  sug ? "'?)" : "");
            return 1; /* keep going: report every problem at once */
        }
        int append = s_opts[i].type == T_LIST && L->seen_list;
        if (s_opts[i].type == T_LIST)
            L->seen_list = 1;
        s_set(c, i, value, TLX_ORIGIN_FILE, L->line, where, append);
        return 1;
    }
    if (strncmp(section, "source.", 7) != 0 || !section[7] || strlen(section + 7) >= 64) {
        s_err(c, "%sunknown section [%s] (global keys, [telexd] or [source.NAME])", where, section);
        return 1;
    }
    const char *sname = section + 7;
    int before = L->nsrc, rc = 0;
    tlx_sources_entry_t *s = tlx_sources_section(&L->src, &L->nsrc, &L->capsrc, 0, sname, &rc);
    if (!s) {
        if (rc == TLX_ETOOBIG) {
            s_err(c, "%sat most %d [source.NAME] sections", where, TLX_SOURCES_MAX);
            return 1;
        }
        s_err(c, "%sout of memory", where);
        return 0;
    }
    if (L->nsrc > before)
        L->src_line[before] = L->line;
    char why[512];
    if (tlx_sources_entry_set(s, name, value, why, sizeof why))
        s_err(c, "%s%s", where, why);
    return 1;
}

static void s_load_file(tlx_config_t *c, load_t *L)
{
    L->f = fopen(c->file, "r");
    if (!L->f) {
        s_err(c, "cannot read config file %s: %s", c->file, strerror(errno));
        return;
    }
    int rc = ini_parse_stream(s_reader, L, s_handler, L);
    if (rc > 0)
        s_err(c, "%s:%d: not INI syntax (expected 'key = value' or '[section]')", c->file, rc);
    fclose(L->f);
}

/* Adds the per-source file's sections the config file does not have: the
   `sources` option, else the shipped file in the data directory (absent:
   nothing to add). */
static void s_shipped_sources(tlx_config_t *c, load_t *L)
{
    const char *opt = c->cfg.sources_file;
    if (strcmp(opt, "none") == 0)
        return;
    char path[4200];
    if (opt[0])
        snprintf(path, sizeof path, "%s", opt);
    else
        snprintf(path, sizeof path, "%s/%s", tlx_text_datadir(c->cfg.datadir[0] ? c->cfg.datadir : NULL),
                 TLX_SOURCES_FILE);
    if (!opt[0] && access(path, F_OK) != 0)
        return;
    int keep = L->nsrc;
    char why[4400];
    if (tlx_sources_read_file(path, &L->src, &L->nsrc, &L->capsrc, keep, why, sizeof why))
        s_err(c, "%s", why);
    for (int i = keep; i < L->nsrc; i++)
        L->src_line[i] = 0;
    snprintf(L->sources_path, sizeof L->sources_path, "%s", path);
}

/* Finishes the per-source table: loads each rules file. */
static void s_build_sources(tlx_config_t *c, load_t *L)
{
    for (int i = 0; i < L->nsrc; i++) {
        tlx_sources_entry_t *e = &L->src[i];
        if (!e->rules_path[0])
            continue;
        int n = 0;
        e->rules = tlx_boiler_rules_load_file(e->rules_path, strcmp(e->name, "*") == 0 ? "" : e->name, &n);
        if (!e->rules || n <= 0)
            s_err(c, "%s:%d: [source.%s] rules: %s", L->src_line[i] ? c->file : L->sources_path,
                  L->src_line[i], e->name,
                  !e->rules ? "out of memory"
                  : n < 0   ? "cannot read the file"
                            : "no rules in the file (lines 'exact|prefix|contains TEXT')");
    }
    if (!(c->cfg.sources = tlx_sources_new(L->src, L->nsrc)))
        s_err(c, "out of memory");
    L->src = NULL;
}

/* Pass 1 over argv: --config / --check-config (else $TELEX_CONFIG). */
static const char *s_config_file(tlx_config_t *c, int argc, char **argv)
{
    const char *file = getenv("TELEX_CONFIG");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0)
            break;
        const char *v = NULL;
        if (strncmp(a, "--config=", 9) == 0)
            v = a + 9;
        else if (strncmp(a, "--check-config=", 15) == 0)
            v = a + 15, c->check_only = 1;
        else if ((strcmp(a, "--config") == 0 || strcmp(a, "--check-config") == 0) && i + 1 < argc)
            c->check_only |= a[2] == 'c' && a[3] == 'h', v = argv[++i];
        else if (strcmp(a, "--config") == 0 || strcmp(a, "--check-config") == 0)
            s_err(c, "%s needs a file name", a);
        if (v)
            file = v;
    }
    return file;
}

/* The environment layer: TELEX_<NAME> for every option. */
static void s_load_env(tlx_config_t *c)
{
    for (int i = 0; i < NOPTS; i++) {
        char env[64];
        s_envname(&s_opts[i], env, sizeof env);
        const char *v = getenv(env);
        if (v && *v) {
            char where[96];
            snprintf(where, sizeof where, "environment ");
            s_set(c, i, v, TLX_ORIGIN_ENV, 0, where, 0);
        }
    }
}

/* The flag layer, last: --name VALUE, --name=VALUE, booleans bare. */
static void s_load_flags(tlx_config_t *c, int argc, char **argv)
{
    int flag_listen = 0;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (strcmp(a, "--config") == 0 || strcmp(a, "--check-config") == 0) {
            i++;
            continue;
        }
        if (strncmp(a, "--config=", 9) == 0 || strncmp(a, "--check-config=", 15) == 0)
            continue;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            c->help = 1;
            continue;
        }
        if (strcmp(a, "--help-config") == 0) {
            c->help_config = 1;
            continue;
        }
        if (strcmp(a, "--version") == 0) {
            c->version = 1;
            continue;
        }
        if (strncmp(a, "--", 2) != 0) {
            s_err(c, "unexpected argument '%s'", a);
            continue;
        }
        char name[64];
        const char *eq = strchr(a + 2, '=');
        snprintf(name, sizeof name, "%.*s", (int)(eq ? (size_t)(eq - a - 2) : strlen(a + 2)), a + 2);
        int idx = -1;
        for (int k = 0; k < NOPTS; k++)
            if (strcmp(s_opts[k].name, name) == 0)
                idx = k;
        if (idx < 0) {
            s_err(c, "unknown option '--%s' (telexd --help lists them)", name);
            continue;
        }
        const char *v = eq ? eq + 1 : NULL;
        if (s_opts[idx].type == T_BOOL && !v)
            v = "true";
        else if (!v) {
            if (i + 1 >= argc) {
                s_err(c, "--%s needs a value (%s)", name, s_opts[idx].arg ? s_opts[idx].arg : "VALUE");
                continue;
            }
            v = argv[++i];
        }
        char where[96];
        snprintf(where, sizeof where, "--");
        int append = s_opts[idx].type == T_LIST && flag_listen;
        if (s_opts[idx].type == T_LIST)
            flag_listen = 1;
        s_set(c, idx, v, TLX_ORIGIN_FLAG, 0, where, append);
    }
}

/* Derived defaults and the checks that involve several options. */
static void s_cross_check(tlx_config_t *c)
{
    if (c->cfg.nlisten == 0)
        snprintf(c->cfg.listen[c->cfg.nlisten++], sizeof c->cfg.listen[0], "%s", TLX_DEFAULT_ENDPOINT);
    if (!c->cfg.curve_secret[0] != !c->cfg.curve_allow[0])
        s_err(c, "curve-secret and curve-allow go together");
    if (c->cfg.role == TLX_ROLE_ENRICH) {
        if (!c->cfg.enrich_curve_secret[0] != !c->cfg.enrich_curve_server[0])
            s_err(c, "role enrich: enrich-curve-secret and enrich-curve-server go together");
        if (c->cfg.enrich_curve_allow[0])
            s_err(c, "enrich-curve-allow is for the store (role enrich gives enrich-curve-server)");
    } else {
        if (!c->cfg.enrich_curve_secret[0] != !c->cfg.enrich_curve_allow[0])
            s_err(c, "enrich-curve-secret and enrich-curve-allow go together");
        if (c->cfg.enrich_curve_secret[0] && !c->cfg.enrich_listen[0])
            s_err(c, "enrich-curve-secret secures enrich-listen, which is not set");
        if (c->cfg.enrich_curve_server[0])
            s_err(c, "enrich-curve-server is for role enrich (the store gives enrich-curve-secret)");
    }
    if (c->cfg.role == TLX_ROLE_ENRICH && !c->cfg.connect[0])
        s_err(c, "role enrich needs connect (the store's enrich-listen endpoint, e.g. tcp://store:5556)");
    if (c->cfg.role == TLX_ROLE_REPLICA && !c->cfg.from[0])
        s_err(c, "role replica needs from (the NATS server the primary publishes to, e.g. nats://nats:4222)");
    if (c->cfg.role == TLX_ROLE_REPLICA && c->cfg.publish[0])
        s_err(c, "a replica does not publish (publish is for the primary)");
    if (c->cfg.role == TLX_ROLE_ENRICH && c->cfg.publish[0])
        s_err(c, "role enrich has no store to publish (set publish on the store process)");
    if (!c->cfg.publish_stream[0] || strpbrk(c->cfg.publish_stream, " .*>\t"))
        s_err(c, "publish-stream: a JetStream stream name without spaces, '.', '*' or '>', got '%s'",
              c->cfg.publish_stream);
    if (strpbrk(c->cfg.replica_name, " .*>\t"))
        s_err(c, "replica-name: a consumer name without spaces, '.', '*' or '>', got '%s'",
              c->cfg.replica_name);
    if (c->cfg.role == TLX_ROLE_STORE && !c->cfg.enrich_listen[0])
        s_err(c, "role store needs enrich-listen (an endpoint for remote enrich workers, e.g. "
                 "tcp://0.0.0.0:5556)");
    if (c->cfg.http[0] && strcmp(c->cfg.http, "none") != 0) {
        const char *colon = strrchr(c->cfg.http, ':');
        char *end;
        long port = colon ? strtol(colon + 1, &end, 10) : -1;
        if (!colon || colon == c->cfg.http || *end || port < 0 || port > 65535)
            s_err(c, "http: must be HOST:PORT (e.g. 127.0.0.1:9464) or none, got '%s'", c->cfg.http);
    }
}

void tlx_config_load(tlx_config_t *c, int argc, char **argv)
{
    memset(c, 0, sizeof *c);
    tlx_daemon_cfg_default(&c->cfg);
    /* the defaults of tlx_daemon_cfg_default read TELEX_STORE; the env layer sets it again with its origin */
    const char *file = s_config_file(c, argc, argv);
    load_t L = {.c = c};
    if (file && *file) {
        snprintf(c->file, sizeof c->file, "%s", file);
        s_load_file(c, &L);
    }
    s_load_env(c);
    s_load_flags(c, argc, argv);
    s_cross_check(c);
    s_shipped_sources(c, &L);
    s_build_sources(c, &L);
    free(L.src);
}

void tlx_config_fini(tlx_config_t *c)
{
    tlx_sources_unref(c->cfg.sources);
    c->cfg.sources = NULL;
}

/* ---- documentation ------------------------------------------------------------ */

static void s_value(const tlx_daemon_cfg_t *cfg, const opt_t *o, char *out, size_t len)
{
    const char *field = (const char *)cfg + o->off;
    switch (o->type) {
    case T_STR:
        snprintf(out, len, "%s", field);
        break;
    case T_INT:
        snprintf(out, len, "%d", *(const int *)field);
        break;
    case T_SIZE:
        snprintf(out, len, "%zu", *(const size_t *)field);
        break;
    case T_BOOL:
        snprintf(out, len, "%s", *(const int *)field ? "true" : "false");
        break;
    case T_ENUM:
        s_choice_name(o->choices, *(const int *)field, out, len);
        break;
    case T_LIST: {
        size_t n = 0;
        out[0] = '\0';
        for (int i = 0; i < cfg->nlisten && n < len; i++)
            n += (size_t)snprintf(out + n, len - n, "%s%s", i ? "," : "", cfg->listen[i]);
        break;
    }
    }
}

/* Prints text from column `indent` on, wrapped at `width` columns. */
static void s_wrap(FILE *f, const char *text, int indent, int width)
{
    int col = indent;
    for (const char *p = text; *p;) {
        int w = (int)strcspn(p, " ");
        if (col > indent && col + 1 + w > width) {
            fprintf(f, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', f);
            col++;
        }
        fprintf(f, "%.*s", w, p);
        col += w;
        p += w;
        p += strspn(p, " ");
    }
    fputc('\n', f);
}

void tlx_config_usage(FILE *f)
{
    fprintf(f, "usage: telexd [--config FILE] [options]\n"
               "       telexd --check-config FILE\n"
               "\n"
               "Receives articles from producers over ZeroMQ, stores each one durably before\n"
               "acknowledging it, normalizes and enriches it, and writes the record to an LMDB store.\n"
               "Runs in the foreground unless --daemon; SIGTERM or SIGINT drains and exits 0;\n"
               "SIGHUP reloads the configuration (options marked * change live).\n"
               "\n"
               "Every option is also a config-file key (max-text -> max_text) and an environment\n"
               "variable (TELEX_MAX_TEXT); flags win over the environment, which wins over the file.\n\n");
    for (int i = 0; i < NOPTS; i++) {
        const opt_t *o = &s_opts[i];
        char lhs[64];
        snprintf(lhs, sizeof lhs, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        fprintf(f, "  %-24s%s ", lhs, o->reload ? "*" : " ");
        s_wrap(f, o->help, 28, 96);
    }
    static const char *const more[][2] = {
        {"--config FILE", "read options from this INI file (also $TELEX_CONFIG)"},
        {"--check-config FILE",
         "validate FILE (with the environment and flags), print every value and its origin, exit"},
        {"--help-config", "print the configuration reference (Markdown)"},
        {"-h, --help", "this text"},
        {"--version", "print the version"},
    };
    for (size_t i = 0; i < sizeof more / sizeof *more; i++) {
        fprintf(f, "  %-24s  ", more[i][0]);
        s_wrap(f, more[i][1], 28, 96);
    }
}

void tlx_config_reference(FILE *f)
{
    tlx_daemon_cfg_t def;
    tlx_daemon_cfg_default(&def);
    fprintf(f, "| file key | flag | environment | default | live | meaning |\n"
               "|---|---|---|---|---|---|\n");
    for (int i = 0; i < NOPTS; i++) {
        const opt_t *o = &s_opts[i];
        char key[64], env[64], val[600];
        s_key(o->name, key, sizeof key);
        s_envname(o, env, sizeof env);
        if (o->type == T_LIST && def.nlisten == 0)
            snprintf(val, sizeof val, "%s", TLX_DEFAULT_ENDPOINT);
        else if (o->off == offsetof(tlx_daemon_cfg_t, store))
            snprintf(val, sizeof val, "%s", TLX_DEFAULT_STORE);
        else
            s_value(&def, o, val, sizeof val);
        if (o->type == T_ENUM) {
            char ch[128];
            s_choice_list(o->choices, "/", ch, sizeof ch); /* a bar would split the Markdown cell */
            fprintf(f, "| `%s` | `--%s` | `%s` | `%s` (%s) | %s | %s |\n", key, o->name, env, val, ch,
                    o->reload ? "yes" : "restart", o->help);
        } else
            fprintf(f, "| `%s` | `--%s` | `%s` | %s%s%s | %s | %s |\n", key, o->name, env, val[0] ? "`" : "",
                    val[0] ? val : "(empty)", val[0] ? "`" : "", o->reload ? "yes" : "restart", o->help);
    }
    fprintf(f,
            "\nPer-source settings, in `[source.NAME]` sections of the config file or of the `sources` file "
            "(`[source.*]` for every other source); all change live on SIGHUP:\n\n"
            "| key | meaning |\n|---|---|\n"
            "| `tz` | IANA time zone of bylines without an offset (default UTC; the shipped " TLX_SOURCES_FILE
            " sets dailynk, yonhap Asia/Seoul and kcna Asia/Pyongyang) |\n"
            "| `currency` | ISO 4217 code for a bare amount (\"500 won\") |\n"
            "| `day_first` | `true`: 03/04/2016 is 3 April (default: only when unambiguous) |\n"
            "| `rules` | extra boilerplate rules file for this source (`exact`/`prefix`/`contains TEXT` "
            "lines) |\n");
}

void tlx_config_explain(const tlx_config_t *c, FILE *f)
{
    static const char *const origins[] = {"default", "file", "environment", "flag"};
    for (int i = 0; i < NOPTS; i++) {
        const opt_t *o = &s_opts[i];
        char key[64], val[600], from[128];
        s_key(o->name, key, sizeof key);
        s_value(&c->cfg, o, val, sizeof val);
        if (c->origin[i] == TLX_ORIGIN_FILE)
            snprintf(from, sizeof from, "file, line %d", c->origin_line[i]);
        else
            snprintf(from, sizeof from, "%s", origins[c->origin[i]]);
        fprintf(f, "%-16s = %-32s  # %s%s\n", key, val, from, o->reload ? "; changes live on SIGHUP" : "");
    }
    const tlx_sources_t *s = c->cfg.sources;
    for (int i = 0; i < tlx_sources_count(s); i++) {
        const tlx_sources_entry_t *e = tlx_sources_entry(s, i);
        fprintf(f, "[source.%s] tz=%s currency=%s day_first=%s rules=%s\n", e->name,
                e->tz[0] ? e->tz : "(default)", e->currency[0] ? e->currency : "(guess)",
                e->day_first ? "true" : "false", e->rules_path[0] ? e->rules_path : "(none)");
    }
}

void tlx_config_reload(tlx_daemon_cfg_t *running, const tlx_daemon_cfg_t *next, char *restart, size_t len)
{
    tlx_config_diff(running, next, restart, len);
    for (int i = 0; i < NOPTS; i++) {
        const opt_t *o = &s_opts[i];
        if (o->reload)
            memcpy((char *)running + o->off, (const char *)next + o->off, o->size);
    }
}

void tlx_config_diff(const tlx_daemon_cfg_t *running, const tlx_daemon_cfg_t *next, char *restart, size_t len)
{
    size_t n = 0;
    restart[0] = '\0';
    for (int i = 0; i < NOPTS; i++) {
        const opt_t *o = &s_opts[i];
        if (o->reload)
            continue;
        char a[600], b[600];
        s_value(running, o, a, sizeof a);
        s_value(next, o, b, sizeof b);
        if (strcmp(a, b) != 0 && n < len)
            n += (size_t)snprintf(restart + n, len - n, "%s%s", n ? "," : "", o->name);
    }
}
