/*  telex -- the command-line client: push articles, read the store, run
    the pipeline offline.  One function per subcommand; each parses its own
    options and answers --help.  Output to a terminal is pretty JSON, to a
    pipe plain JSON / JSON Lines.  Exit codes: 0 ok, 1 the operation failed
    for some input (rejected, not found), 2 usage or environment errors.
*/
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "telex_cli.h"
#include "tlx_json.h"
#include "tlx_producer.h"
#include "tlx_proto.h"
#include "tlx_store.h"
#include "tlx_zap.h"

const char *telex_store_dir(const char *opt)
{
    if (opt && *opt)
        return opt;
    const char *s = getenv("TELEX_STORE");
    return s && *s ? s : "./telex-data";
}

int telex_open_store(const char *dir, tlx_store_t **st)
{
    tlx_store_opts_t o;
    tlx_store_opts_default(&o);
    o.read_only = true;
    o.assert_exit = 1;
    char err[600];
    int rc = tlx_store_open(dir, &o, st, err, sizeof err);
    if (rc)
        fprintf(stderr, "telex: %s\n", err);
    return rc;
}

int telex_print_record(const void *rec, size_t len, int pretty)
{
    tlx_buf_t b = TLX_BUF_INIT;
    int rc = tlx_json_from_msgpack(rec, len, pretty ? 2 : 0, &b);
    if (rc == 0) {
        fwrite(b.data, 1, b.len, stdout);
        fputc('\n', stdout);
    } else
        fprintf(stderr, "telex: a stored record does not decode (%s); run `telex verify`\n", tlx_strerror(rc));
    tlx_buf_free(&b);
    return rc;
}

/* Reads a whole file (or stdin for "-") into a malloc'd buffer. */
int telex_read_file(const char *path, size_t max, char **out, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "telex: cannot read %s: %s\n", path, strerror(errno));
        return TLX_EIO;
    }
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    int rc = 0;
    while (buf) {
        if (n == cap) {
            if (cap > max) {
                rc = TLX_ETOOBIG;
                break;
            }
            char *p = realloc(buf, cap * 2);
            if (!p) {
                rc = TLX_ENOMEM;
                break;
            }
            buf = p;
            cap *= 2;
        }
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (r == 0) {
            if (ferror(f)) {
                fprintf(stderr, "telex: cannot read %s: %s\n", path, strerror(errno));
                rc = TLX_EIO;
            }
            break;
        }
    }
    if (!buf)
        rc = TLX_ENOMEM;
    if (f != stdin)
        fclose(f);
    if (rc == 0 && n > max)
        rc = TLX_ETOOBIG;
    if (rc) {
        free(buf);
        return rc;
    }
    *out = buf;
    *len = n;
    return 0;
}

/* ---- push --------------------------------------------------------------- */

typedef struct {
    const char *file;
} push_item_t;

typedef struct {
    int rejected, done, total, tty;
} push_state_t;

static void s_on_ack(void *ctx, const tlx_ack_t *ack, void *user)
{
    push_state_t *ps = ctx;
    push_item_t *it = user;
    const char *status = tlx_ack_status_name(ack->status);
    if (ps->tty)
        fprintf(stderr, "\r\033[K");
    printf("%s %.*s %s\n", status, ack->id.len ? (int)ack->id.len : 1, ack->id.len ? ack->id.p : "-", it->file);
    if (ack->status == TLX_ACK_REJECTED) {
        ps->rejected++;
        fprintf(stderr, "telex: %s: rejected (%.*s): %.*s\n", it->file, (int)ack->error.len, ack->error.p,
                (int)ack->detail.len, ack->detail.p);
    }
    ps->done++;
    if (ps->tty)
        fprintf(stderr, "pushed %d/%d", ps->done, ps->total);
    fflush(stdout);
}

static int cmd_push(int argc, char **argv)
{
    const char *to = NULL, *source = NULL, *id = NULL, *producer = NULL, *curve_server = NULL, *curve_key = NULL;
    int timeout_ms = 3000, wait_s = 30, window = 64;
    static const struct option opts[] = {{"to", required_argument, 0, 't'},     {"source", required_argument, 0, 's'},
                                         {"id", required_argument, 0, 'i'},     {"producer", required_argument, 0, 'p'},
                                         {"timeout-ms", required_argument, 0, 'T'}, {"wait", required_argument, 0, 'w'},
                                         {"window", required_argument, 0, 'W'}, {"help", no_argument, 0, 'h'},
                                         {"curve-server", required_argument, 0, 'C'},
                                         {"curve-key", required_argument, 0, 'K'}, {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "t:s:i:p:h", opts, NULL)) != -1) {
        switch (c) {
        case 't': to = optarg; break;
        case 's': source = optarg; break;
        case 'i': id = optarg; break;
        case 'p': producer = optarg; break;
        case 'T': timeout_ms = atoi(optarg); break;
        case 'w': wait_s = atoi(optarg); break;
        case 'W': window = atoi(optarg); break;
        case 'C': curve_server = optarg; break;
        case 'K': curve_key = optarg; break;
        case 'h':
            printf("usage: telex push [--to EP] [--source S] [--id ID] [--producer NAME] FILE...|-\n"
                   "\n"
                   "Sends each FILE (or stdin for -) as one article and waits for telexd's acks.\n"
                   "Prints one line per input: STATUS ID FILE (STATUS: accepted, duplicate, rejected).\n"
                   "Exit 0 when all were stored, 1 when any was rejected, 2 when telexd did not answer.\n"
                   "\n"
                   "  --to EP           endpoint (default $TELEX_ENDPOINT or tcp://127.0.0.1:5555)\n"
                   "  --source S        feed/site name, e.g. dailynk\n"
                   "  --id ID           external id (only with one input); a changed text makes a new revision\n"
                   "  --producer NAME   stable producer id (default: unique per run)\n"
                   "  --timeout-ms MS   re-send an unacked article after MS (default 3000)\n"
                   "  --wait S          give up after S seconds without any ack (default 30)\n"
                   "  --window N        unacked articles in flight (default 64)\n"
                   "  --curve-server F  telexd's public key file (telex keygen): encrypt and authenticate\n"
                   "  --curve-key F     this producer's secret key file (its .pub must be on telexd's allow-list)\n");
            return 0;
        default: return 2;
        }
    }
    int nfiles = argc - optind;
    if (nfiles < 1) {
        fprintf(stderr, "telex push: no input (give FILE... or - for stdin; see --help)\n");
        return 2;
    }
    if (id && nfiles > 1) {
        fprintf(stderr, "telex push: --id names one article, but %d inputs were given\n", nfiles);
        return 2;
    }
    push_state_t ps = {.total = nfiles, .tty = isatty(2)};
    tlx_producer_opts_t po = {.endpoint = to, .producer = producer, .window = window, .timeout_ms = timeout_ms,
                              .on_ack = s_on_ack, .ctx = &ps};
    char server_pub[41], client_sec[41];
    if (curve_server || curve_key) {
        if (!curve_server || !curve_key) {
            fprintf(stderr, "telex push: --curve-server and --curve-key go together\n");
            return 2;
        }
        if (tlx_zap_read_key(curve_server, server_pub) || tlx_zap_read_key(curve_key, client_sec)) {
            fprintf(stderr, "telex push: cannot read a 40-character Z85 key from %s / %s\n", curve_server, curve_key);
            return 2;
        }
        po.curve_server = server_pub;
        po.curve_secret = client_sec;
    }
    int err;
    tlx_producer_t *p = tlx_producer_new(&po, &err);
    if (!p) {
        fprintf(stderr, "telex push: cannot connect to %s: %s\n", to ? to : "the default endpoint",
                tlx_strerror(err));
        return 2;
    }
    push_item_t *items = calloc((size_t)nfiles, sizeof *items);
    int local_fail = 0;
    for (int i = 0; items && i < nfiles; i++) {
        items[i].file = argv[optind + i];
        char *text;
        size_t len;
        /* the socket cap is 4x telexd's default text limit: beyond it the frame would be dropped */
        int rc = telex_read_file(items[i].file, (size_t)32 << 20, &text, &len);
        if (rc) {
            if (rc == TLX_ETOOBIG)
                fprintf(stderr, "telex: %s: too big to send (over 32 MiB)\n", items[i].file);
            printf("rejected - %s\n", items[i].file);
            local_fail++;
            ps.done++;
            continue;
        }
        tlx_envelope_t env = {.text = {text, len}};
        if (source)
            env.source = (tlx_bytes_t){source, strlen(source)};
        if (id)
            env.id = (tlx_bytes_t){id, strlen(id)};
        rc = tlx_producer_send(p, &env, &items[i], wait_s * 1000, NULL);
        free(text);
        if (rc) {
            fprintf(stderr, "telex push: no answer from telexd for %d s (is it running?)\n", wait_s);
            break;
        }
    }
    int frc = tlx_producer_flush(p, wait_s * 1000);
    if (ps.tty)
        fprintf(stderr, "\r\033[K");
    int unacked = tlx_producer_unacked(p);
    tlx_producer_destroy(&p);
    free(items);
    if (frc || unacked) {
        fprintf(stderr, "telex push: %d article(s) not acknowledged after %d s without an answer (is telexd running?)\n",
                unacked, wait_s);
        return 2;
    }
    return ps.rejected || local_fail ? 1 : 0;
}

/* ---- get / list / stats --------------------------------------------------- */

static int cmd_get(int argc, char **argv)
{
    const char *store = NULL;
    long rev = 0;
    unsigned long long seq = 0;
    static const struct option opts[] = {{"store", required_argument, 0, 's'}, {"rev", required_argument, 0, 'r'},
                                         {"seq", required_argument, 0, 'q'},   {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
        switch (c) {
        case 's': store = optarg; break;
        case 'r': rev = atol(optarg); break;
        case 'q': seq = strtoull(optarg, NULL, 10); break;
        case 'h':
            printf("usage: telex get [--store DIR] ID [--rev N]\n"
                   "       telex get [--store DIR] --seq SEQ\n"
                   "\n"
                   "Prints the stored record as JSON (the newest revision unless --rev).\n"
                   "Exit 1 when there is no such article.\n");
            return 0;
        default: return 2;
        }
    }
    if (!seq && optind != argc - 1) {
        fprintf(stderr, "telex get: give one ID (or --seq SEQ); see --help\n");
        return 2;
    }
    tlx_store_t *st;
    if (telex_open_store(telex_store_dir(store), &st))
        return 2;
    void *rec = NULL;
    size_t len = 0;
    int rc;
    if (seq)
        rc = tlx_store_get_seq(st, seq, &rec, &len);
    else
        rc = tlx_store_get_id(st, argv[optind], strlen(argv[optind]), (uint32_t)rev, NULL, &rec, &len);
    if (rc == TLX_ENOTFOUND) {
        if (seq)
            fprintf(stderr, "telex: no article with seq %llu\n", seq);
        else if (rev)
            fprintf(stderr, "telex: no revision %ld of article %s\n", rev, argv[optind]);
        else
            fprintf(stderr, "telex: no article with id %s\n", argv[optind]);
    } else if (rc)
        fprintf(stderr, "telex: cannot read the store: %s: %s (run telex verify)\n", tlx_strerror(rc),
                tlx_store_errmsg(st));
    else
        rc = telex_print_record(rec, len, isatty(1));
    free(rec);
    tlx_store_close(&st);
    /* not found, a damaged page, an undecodable record: this input failed */
    return rc == 0 ? 0 : 1;
}

static int s_list_cb(void *ctx, uint64_t feed_seq, uint64_t seq, const void *rec, size_t len)
{
    (void)feed_seq;
    return telex_emit_record(rec, len, seq, ctx);
}

static int cmd_list(int argc, char **argv)
{
    const char *store = NULL;
    unsigned long long since = 0, limit = 0;
    static const struct option opts[] = {{"store", required_argument, 0, 's'}, {"since", required_argument, 0, 'S'},
                                         {"limit", required_argument, 0, 'l'}, {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
        switch (c) {
        case 's': store = optarg; break;
        case 'S': since = strtoull(optarg, NULL, 10); break;
        case 'l': limit = strtoull(optarg, NULL, 10); break;
        case 'h':
            printf("usage: telex list [--store DIR] [--since SEQ] [--limit N]\n"
                   "\n"
                   "Prints stored records as JSON Lines in feed (commit) order, starting after\n"
                   "feed position SEQ (default 0: from the beginning).\n");
            return 0;
        default: return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "telex list: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    tlx_store_t *st;
    if (telex_open_store(telex_store_dir(store), &st))
        return 2;
    unsigned long long skipped = 0;
    int rc = tlx_store_feed(st, since, limit, s_list_cb, &skipped, NULL);
    rc = telex_walk_status("list", st, rc, skipped);
    tlx_store_close(&st);
    return rc;
}

static int cmd_stats(int argc, char **argv)
{
    const char *store = NULL;
    static const struct option opts[] = {{"store", required_argument, 0, 's'}, {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
        switch (c) {
        case 's': store = optarg; break;
        case 'h':
            printf("usage: telex stats [--store DIR]\n\nPrints the store's counts as JSON.\n");
            return 0;
        default: return 2;
        }
    }
    tlx_store_t *st;
    if (telex_open_store(telex_store_dir(store), &st))
        return 2;
    tlx_store_counts_t k;
    int rc = tlx_store_counts(st, &k);
    tlx_store_close(&st);
    if (rc) {
        fprintf(stderr, "telex: cannot read the store: %s\n", tlx_strerror(rc));
        return 2;
    }
    const char *sep = isatty(1) ? ",\n  " : ",";
    printf("{%s\"articles\":%llu%s\"inbox\":%llu%s\"dead\":%llu%s\"rejects\":%llu%s\"feed\":%llu%s\"ids\":%llu%s"
           "\"last_seq\":%llu%s\"map_size\":%zu%s\"map_used\":%zu%s\"readers_used\":%u%s\"readers_max\":%u%s"
           "\"schema\":%u%s\"df_docs\":%llu%s}\n",
           isatty(1) ? "\n  " : "", (unsigned long long)k.articles, sep, (unsigned long long)k.inbox, sep,
           (unsigned long long)k.dead, sep, (unsigned long long)k.rejects, sep, (unsigned long long)k.feed, sep,
           (unsigned long long)k.ids, sep, (unsigned long long)k.last_seq, sep, k.map_size, sep, k.map_used, sep,
           k.readers_used, sep, k.readers_max, sep, k.schema, sep, (unsigned long long)k.df_docs, isatty(1) ? "\n" : "");
    return 0;
}

/* ---- main ------------------------------------------------------------------- */

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *help;
} s_cmds[] = {
    {"push", cmd_push, "send articles to telexd"},
    {"get", cmd_get, "print one stored record as JSON"},
    {"list", cmd_list, "print stored records as JSON Lines, feed order"},
    {"stats", cmd_stats, "print the store's counts"},
    {"enrich", telex_cmd_enrich, "run the pipeline on one article offline (no daemon)"},
    TELEX_EXTRA_COMMANDS
};

static void s_usage(FILE *f)
{
    fprintf(f, "usage: telex COMMAND [options]   (telex COMMAND --help for details)\n\n");
    for (size_t i = 0; i < sizeof s_cmds / sizeof *s_cmds; i++)
        fprintf(f, "  %-10s %s\n", s_cmds[i].name, s_cmds[i].help);
    fprintf(f, "\nEnvironment: TELEX_STORE (default ./telex-data), TELEX_ENDPOINT (default tcp://127.0.0.1:5555)\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        s_usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        s_usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("telex %s\n", TLX_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof s_cmds / sizeof *s_cmds; i++)
        if (strcmp(argv[1], s_cmds[i].name) == 0)
            return s_cmds[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "telex: unknown command '%s'\n", argv[1]);
    s_usage(stderr);
    return 2;
}
