/*  telexd -- the telex worker daemon.  Parses the command line, installs
    the signal handlers and runs the engine (tlx_daemon.c).  Foreground by
    design: systemd, docker and the tests supervise it. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlx_daemon.h"
#include "tlx_log.h"

static volatile sig_atomic_t s_stop = 0;

static void s_on_signal(int sig)
{
    (void)sig;
    s_stop = 1;
}

static void s_usage(FILE *f)
{
    fprintf(f,
            "usage: telexd [--store DIR] [--listen EP]... [--threads N] [options]\n"
            "\n"
            "Receives articles from producers over ZeroMQ, stores each one durably before\n"
            "acknowledging it, normalizes and enriches it, and writes the record to an LMDB store.\n"
            "Runs in the foreground; SIGTERM or SIGINT drains and exits 0.\n"
            "\n"
            "  --store DIR         store directory (default $TELEX_STORE or ./telex-data)\n"
            "  --listen EP         ZeroMQ endpoint to bind; repeatable\n"
            "                      (default $TELEX_ENDPOINT or tcp://127.0.0.1:5555)\n"
            "  --threads N         enrich threads (default: number of cores)\n"
            "  --notify EP         PUB endpoint for \"committed <seq> <id>\" (default ipc://STORE/notify.ipc;\n"
            "                      'none' disables it)\n"
            "  --max-text BYTES    largest article text accepted (default 8388608)\n"
            "  --map-size BYTES    initial LMDB map size (default 1 GiB; grows when full)\n"
            "  --max-attempts K    tries before an article goes to the dead letters (default 3)\n"
            "  --drain-ms MS       on SIGTERM, wait this long for in-flight articles (default 10000)\n"
            "  --data DIR          models, gazetteers and rules (default: built-in search path)\n"
            "  --log-level LEVEL   error, warn, info (default) or debug\n"
            "  --pipeline null     benchmark baseline: store articles without text processing\n"
            "  --reader-check-ms MS  clear LMDB reader slots left by dead processes this often (default 60000)\n"
            "  --curve-secret FILE   enable CURVE encryption with this server secret key (telex keygen)\n"
            "  --curve-allow FILE    client public keys admitted, one per line (required with CURVE)\n"
            "  -h, --help          this text\n"
            "  --version           print the version\n");
}

static int s_size_arg(const char *name, const char *v, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    if (errno || end == v || *end || n == 0) {
        fprintf(stderr, "telexd: %s needs a positive number, got '%s'\n", name, v);
        return -1;
    }
    *out = (size_t)n;
    return 0;
}

int main(int argc, char **argv)
{
    tlx_daemon_cfg_t cfg;
    tlx_daemon_cfg_default(&cfg);
    enum { O_NOTIFY = 1000, O_MAXTEXT, O_MAPSIZE, O_ATTEMPTS, O_DRAIN, O_DATA, O_LOG, O_VERSION, O_PIPELINE, O_READERCHECK, O_CURVESECRET, O_CURVEALLOW };
    static const struct option opts[] = {
        {"store", required_argument, 0, 's'},       {"listen", required_argument, 0, 'l'},
        {"threads", required_argument, 0, 't'},     {"notify", required_argument, 0, O_NOTIFY},
        {"max-text", required_argument, 0, O_MAXTEXT}, {"map-size", required_argument, 0, O_MAPSIZE},
        {"max-attempts", required_argument, 0, O_ATTEMPTS}, {"drain-ms", required_argument, 0, O_DRAIN},
        {"data", required_argument, 0, O_DATA},     {"log-level", required_argument, 0, O_LOG},
        {"help", no_argument, 0, 'h'},              {"version", no_argument, 0, O_VERSION},
        {"pipeline", required_argument, 0, O_PIPELINE}, {"reader-check-ms", required_argument, 0, O_READERCHECK},
        {"curve-secret", required_argument, 0, O_CURVESECRET}, {"curve-allow", required_argument, 0, O_CURVEALLOW},
        {0, 0, 0, 0}};
    int c;
    size_t n;
    while ((c = getopt_long(argc, argv, "s:l:t:h", opts, NULL)) != -1) {
        switch (c) {
        case 's': snprintf(cfg.store, sizeof cfg.store, "%s", optarg); break;
        case 'l':
            if (cfg.nlisten == TLX_MAX_LISTEN) {
                fprintf(stderr, "telexd: at most %d --listen endpoints\n", TLX_MAX_LISTEN);
                return 2;
            }
            snprintf(cfg.listen[cfg.nlisten++], sizeof cfg.listen[0], "%s", optarg);
            break;
        case 't':
            if (s_size_arg("--threads", optarg, &n) || n > 64) {
                fprintf(stderr, "telexd: --threads must be 1..64\n");
                return 2;
            }
            cfg.threads = (int)n;
            break;
        case O_NOTIFY: snprintf(cfg.notify, sizeof cfg.notify, "%s", optarg); break;
        case O_MAXTEXT:
            if (s_size_arg("--max-text", optarg, &cfg.limits.max_text))
                return 2;
            break;
        case O_MAPSIZE:
            if (s_size_arg("--map-size", optarg, &cfg.map_size))
                return 2;
            break;
        case O_ATTEMPTS:
            if (s_size_arg("--max-attempts", optarg, &n) || n > 1000)
                return 2;
            cfg.max_attempts = (int)n;
            break;
        case O_DRAIN:
            if (s_size_arg("--drain-ms", optarg, &n))
                return 2;
            cfg.drain_ms = (int)n;
            break;
        case O_DATA: snprintf(cfg.datadir, sizeof cfg.datadir, "%s", optarg); break;
        case O_LOG: {
            int l = tlx_log_parse_level(optarg);
            if (l < 0) {
                fprintf(stderr, "telexd: unknown log level '%s' (error, warn, info, debug)\n", optarg);
                return 2;
            }
            tlx_log_set_level((tlx_log_level_t)l);
            break;
        }
        case O_PIPELINE:
            if (strcmp(optarg, "null") != 0 && strcmp(optarg, "full") != 0) {
                fprintf(stderr, "telexd: --pipeline is 'full' (default) or 'null'\n");
                return 2;
            }
            cfg.null_pipeline = strcmp(optarg, "null") == 0;
            break;
        case O_READERCHECK:
            if (s_size_arg("--reader-check-ms", optarg, &n))
                return 2;
            cfg.reader_check_ms = (int)n;
            break;
        case O_CURVESECRET: snprintf(cfg.curve_secret, sizeof cfg.curve_secret, "%s", optarg); break;
        case O_CURVEALLOW: snprintf(cfg.curve_allow, sizeof cfg.curve_allow, "%s", optarg); break;
        case 'h': s_usage(stdout); return 0;
        case O_VERSION: printf("telexd %s\n", TLX_VERSION); return 0;
        default: s_usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "telexd: unexpected argument '%s'\n", argv[optind]);
        s_usage(stderr);
        return 2;
    }
    if (!cfg.curve_secret[0] != !cfg.curve_allow[0]) {
        fprintf(stderr, "telexd: --curve-secret and --curve-allow go together\n");
        return 2;
    }
    if (cfg.nlisten == 0) {
        const char *ep = getenv("TELEX_ENDPOINT");
        snprintf(cfg.listen[cfg.nlisten++], sizeof cfg.listen[0], "%s", ep && *ep ? ep : "tcp://127.0.0.1:5555");
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = s_on_signal; /* no SA_RESTART: zmq_poll returns EINTR */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    int rc = tlx_daemon_run(&cfg, &s_stop);
    return rc == 0 ? 0 : 1;
}
