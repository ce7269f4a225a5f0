/* SPDX-License-Identifier: Apache-2.0 */
/*  telex enrich -- the record for one article, offline: the same code path
    as telexd's enrich threads (tlx_article_record), no daemon, no store. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "telex_cli.h"
#include "tlx_article.h"
#include "tlx_proto.h"
#include "tlx_sources.h"
#include "tlx_store.h"
#include "tlx_text.h"

int telex_cmd_enrich(int argc, char **argv)
{
    const char *source = NULL, *id = NULL, *data = NULL, *sources_file = NULL;
    tlx_env_format_t format = TLX_ENV_FORMAT_NONE;
    static const struct option opts[] = {{"source", required_argument, 0, 's'},
                                         {"id", required_argument, 0, 'i'},
                                         {"data", required_argument, 0, 'd'},
                                         {"format", required_argument, 0, 'F'},
                                         {"html", no_argument, 0, 'H'},
                                         {"text", no_argument, 0, 'X'},
                                         {"sources", required_argument, 0, 'S'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "s:i:h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            source = optarg;
            break;
        case 'i':
            id = optarg;
            break;
        case 'd':
            data = optarg;
            break;
        case 'S':
            sources_file = optarg;
            break;
        case 'H':
            format = TLX_ENV_FORMAT_HTML;
            break;
        case 'X':
            format = TLX_ENV_FORMAT_TEXT;
            break;
        case 'F': {
            int f = telex_parse_input_format("enrich", optarg);
            if (f < 0)
                return 2;
            format = (tlx_env_format_t)f;
            break;
        }
        case 'h':
            printf(
                "usage: telex enrich [--source S] [--id ID] [--format text|html] [FILE|-]\n"
                "\n"
                "Runs the whole pipeline on one article (FILE, or stdin) and prints its record as\n"
                "JSON, without a daemon or a store.  Input over 8 MiB (telexd's default text limit)\n"
                "is refused with exit 1, as telexd would reject it.\n"
                "\n"
                "  --source S   feed/site name (selects per-source rules, e.g. dailynk)\n"
                "  --id ID      external id to put in the record\n"
                "  --format F   text or html (--text, --html): what the input is; default: decided by\n"
                "               content, the way telexd does (a web page has its article extracted)\n"
                "  --data DIR   models, gazetteers and rules (default: built-in search path)\n"
                "  --sources F  per-source settings, as telexd's `sources` option (default: " TLX_SOURCES_FILE
                "\n"
                "               in the data directory; none = no file)\n");
            return 0;
        default:
            return 2;
        }
    }
    if (argc - optind > 1) {
        fprintf(stderr, "telex enrich: one article at a time (got %d inputs)\n", argc - optind);
        return 2;
    }
    const char *path = optind < argc ? argv[optind] : "-";
    char *text;
    size_t len;
    /* telexd's text limit (max_text): what telexd would reject as too_big is
       refused here too, whole, never cut to a prefix */
    tlx_limits_t lim;
    tlx_limits_default(&lim);
    int rc = telex_read_file(path, lim.max_text, &text, &len);
    if (rc == TLX_ETOOBIG)
        fprintf(stderr,
                "telex enrich: %s is larger than %zu bytes (8 MiB), telexd's default text limit; "
                "telexd would reject it as too_big\n",
                path, lim.max_text);
    if (rc)
        return rc == TLX_ETOOBIG ? 1 : 2;
    /* the per-source settings telexd would use without a config file */
    char spath[4200], serr[512];
    tlx_sources_t *sources = NULL;
    if (!sources_file || strcmp(sources_file, "none") != 0) {
        if (sources_file)
            snprintf(spath, sizeof spath, "%s", sources_file);
        else
            snprintf(spath, sizeof spath, "%s/%s", tlx_text_datadir(data), TLX_SOURCES_FILE);
        if (!(sources = tlx_sources_open(spath, serr, sizeof serr))) {
            fprintf(stderr, "telex enrich: %s\n", serr);
            free(text);
            return 2;
        }
    }
    const char *terr = NULL;
    tlx_text_t *tx = tlx_text_new(data, &terr);
    if (!tx) {
        fprintf(stderr, "telex: cannot load the text pipeline: %s\n", terr ? terr : "?");
        tlx_sources_unref(sources);
        free(text);
        return 2;
    }
    if (terr)
        fprintf(stderr, "telex: warning: %s\n", terr);
    tlx_envelope_t env = {
        .v = TLX_PROTO_VERSION, .producer = {"telex-enrich", 12}, .seq = 1, .text = {text, len}};
    if (source)
        env.source = (tlx_bytes_t){source, strlen(source)};
    env.format = format;
    tlx_arena_t *arena = tlx_arena_new(1 << 20);
    const char *stage = "pipeline", *reason = "out of memory";
    char *rec = NULL;
    size_t rec_len = 0;
    rc = arena ? 0 : TLX_ENOMEM;
    if (rc == 0) {
        char idbuf[17];
        const char *rid = id;
        if (!rid) { /* the id telexd would assign */
            tlx_store_text_id(text, len, idbuf);
            rid = idbuf;
        }
        tlx_article_in_t in = {
            .env = &env, .id = rid, .id_len = strlen(rid), .revision = 1, .sources = sources};
        tlx_record_t r;
        rc = tlx_article_record(tx, arena, &in, &r, &reason);
        if (rc == 0 && (rc = tlx_record_pack(&r, &rec, &rec_len))) {
            stage = "pack";
            reason = "out of memory";
        }
    }
    if (rc)
        fprintf(stderr, "telex: enrich failed in %s: %s\n", stage, reason);
    else
        telex_print_record(rec, rec_len, isatty(1));
    free(rec);
    tlx_arena_destroy(&arena);
    tlx_text_destroy(&tx);
    tlx_sources_unref(sources);
    free(text);
    return rc ? 1 : 0;
}
