/* SPDX-License-Identifier: Apache-2.0 */
/*  telex query / tail / export -- consumers' commands over the reader API.

    tail persists a group's cursor only after the records before it were
    written to stdout and flushed, so a killed tail resumes without gaps
    (and at worst repeats the last batch: at-least-once, like the feed).
    --follow sleeps on telexd's PUB notifications (ipc://STORE/notify.ipc)
    and falls back to polling every second when telexd is not running.
*/
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#include "telex_cli.h"
#include "tlx_json.h"
#include "tlx_ninjs.h"
#include "tlx_store.h"

/* LMDB checks page types, not contents: some damaged pages make it read
   through a bad pointer.  A command reading a store then reports that and
   exits 1 like any other damage, instead of dying by a signal. */
static char s_guard_msg[600];
static size_t s_guard_len;

static void s_on_fault(int sig)
{
    (void)sig;
    ssize_t w = write(2, s_guard_msg, s_guard_len);
    (void)w;
    _exit(1);
}

void telex_guard_store(const char *dir)
{
    int n = snprintf(s_guard_msg, sizeof s_guard_msg,
                     "telex: reading store %s crashed: the store is damaged (run telex verify)\n", dir);
    s_guard_len = n > 0 && (size_t)n < sizeof s_guard_msg ? (size_t)n : 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = s_on_fault;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
}

int telex_parse_u64(const char *cmd, const char *opt, const char *s, unsigned long long min,
                    unsigned long long max, unsigned long long *out)
{
    unsigned long long v = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (ULLONG_MAX - d) / 10) {
            p = s; /* overflow */
            break;
        }
        v = v * 10 + d;
    }
    if (p == s || *p || v < min || v > max) {
        if (max == ULLONG_MAX)
            fprintf(stderr, "telex %s: --%s wants a whole number of at least %llu, not '%s'\n", cmd, opt, min,
                    s);
        else
            fprintf(stderr, "telex %s: --%s wants a whole number %llu..%llu, not '%s'\n", cmd, opt, min, max,
                    s);
        return -1;
    }
    *out = v;
    return 0;
}

int telex_parse_date(const char *cmd, const char *opt, const char *s)
{
    static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int ok = strlen(s) == 10 && s[4] == '-' && s[7] == '-';
    for (int i = 0; ok && i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            ok = 0;
    if (ok) {
        int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        ok = m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1] && !(m == 2 && d == 29 && !leap);
    }
    if (!ok)
        fprintf(stderr, "telex %s: --%s wants a date YYYY-MM-DD that exists, not '%s'\n", cmd, opt, s);
    return ok ? 0 : -1;
}

int telex_emit_record(const void *rec, size_t len, unsigned long long seq, int format,
                      unsigned long long *skipped)
{
    tlx_buf_t b = TLX_BUF_INIT;
    int rc = format == TELEX_FMT_NINJS ? tlx_ninjs_from_record(rec, len, 0, &b)
                                       : tlx_json_from_msgpack(rec, len, 0, &b);
    if (rc == 0) {
        fwrite(b.data, 1, b.len, stdout);
        fputc('\n', stdout);
    } else {
        fflush(stdout);
        fprintf(stderr, "telex: record %llu does not decode (%s); skipped it (run telex verify)\n", seq,
                tlx_strerror(rc));
        (*skipped)++;
    }
    tlx_buf_free(&b);
    return ferror(stdout) ? 1 : 0;
}

int telex_walk_status(const char *cmd, tlx_store_t *st, int rc, unsigned long long skipped)
{
    fflush(stdout);
    if (ferror(stdout)) {
        fprintf(stderr, "telex %s: cannot write the output\n", cmd);
        return 1;
    }
    if (rc < 0)
        fprintf(stderr, "telex %s: stopped early: %s: %s (run telex verify)\n", cmd, tlx_strerror(rc),
                tlx_store_errmsg(st));
    if (skipped)
        fprintf(stderr, "telex %s: %llu record(s) skipped because they do not decode\n", cmd, skipped);
    return rc || skipped ? 1 : 0;
}

static int s_print_cb(void *ctx, uint64_t feed_seq, uint64_t seq, const void *rec, size_t len)
{
    (void)feed_seq;
    return telex_emit_record(rec, len, seq, TELEX_FMT_JSON, ctx);
}

int telex_cmd_query(int argc, char **argv)
{
    const char *store = NULL;
    tlx_query_t q = {0};
    static const struct option opts[] = {{"store", required_argument, 0, 's'},
                                         {"entity", required_argument, 0, 'e'},
                                         {"tag", required_argument, 0, 't'},
                                         {"source", required_argument, 0, 'S'},
                                         {"from", required_argument, 0, 'f'},
                                         {"to", required_argument, 0, 'T'},
                                         {"limit", required_argument, 0, 'l'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            store = optarg;
            break;
        case 'e':
            q.entity = optarg;
            break;
        case 't':
            q.tag = optarg;
            break;
        case 'S':
            q.source = optarg;
            break;
        case 'f':
            q.from = optarg;
            break;
        case 'T':
            q.to = optarg;
            break;
        case 'l': {
            unsigned long long v;
            if (telex_parse_u64("query", "limit", optarg, 1, ULLONG_MAX, &v))
                return 2;
            q.limit = v;
            break;
        }
        case 'h':
            printf("usage: telex query [--store DIR] [--entity X] [--tag T] [--source S] [--from DATE] [--to "
                   "DATE]\n"
                   "                   [--limit N]\n"
                   "\n"
                   "Prints the records that match every given term as JSON Lines, in feed order, answered\n"
                   "from the indexes.  --entity matches canonical entity names (\"Kim Jong Un\"); dates are\n"
                   "YYYY-MM-DD, inclusive, on the published day.  Case-insensitive.  Exit 0 (also when\n"
                   "nothing matches), 2 on usage or store errors.\n");
            return 0;
        default:
            return 2;
        }
    }
    if (optind != argc || (!q.entity && !q.tag && !q.source && !q.from && !q.to)) {
        fprintf(stderr, "telex query: give at least one of --entity, --tag, --source, --from, --to\n");
        return 2;
    }
    if ((q.from && telex_parse_date("query", "from", q.from)) ||
        (q.to && telex_parse_date("query", "to", q.to)))
        return 2;
    tlx_store_t *st;
    if (telex_open_store(telex_store_dir(store), &st))
        return 2;
    unsigned long long skipped = 0;
    int rc = tlx_store_query(st, &q, s_print_cb, &skipped);
    rc = telex_walk_status("query", st, rc, skipped);
    tlx_store_close(&st);
    return rc;
}

/* ---- tail ---------------------------------------------------------------------- */

static volatile sig_atomic_t s_stop;

static void s_on_signal(int sig)
{
    (void)sig;
    s_stop = 1;
}

typedef struct {
    uint64_t last;
    int failed;
    unsigned long long skipped;
} tail_t;

static int s_tail_cb(void *ctx, uint64_t feed_seq, uint64_t seq, const void *rec, size_t len)
{
    tail_t *t = ctx;
    if (s_stop)
        return 1;
    /* an undecodable record is reported and passed: the group moves on */
    if (telex_emit_record(rec, len, seq, TELEX_FMT_JSON, &t->skipped)) {
        t->failed = 1;
        return 1;
    }
    t->last = feed_seq;
    return 0;
}

int telex_cmd_tail(int argc, char **argv)
{
    const char *store = NULL, *group = "default";
    int follow = 0;
    static const struct option opts[] = {{"store", required_argument, 0, 's'},
                                         {"group", required_argument, 0, 'g'},
                                         {"follow", no_argument, 0, 'f'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "s:g:fh", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            store = optarg;
            break;
        case 'g':
            group = optarg;
            break;
        case 'f':
            follow = 1;
            break;
        case 'h':
            printf("usage: telex tail [--store DIR] [--group NAME] [--follow]\n"
                   "\n"
                   "Prints, as JSON Lines, the records the consumer group NAME (default \"default\") has\n"
                   "not seen yet, and stores the group's position in the store after printing them.\n"
                   "Groups progress independently.  --follow keeps going: woken by telexd's commit\n"
                   "notifications, or polling every second when telexd is not running.  SIGINT/SIGTERM\n"
                   "stop after the current record.\n");
            return 0;
        default:
            return 2;
        }
    }
    if (optind != argc || strlen(group) == 0 || strlen(group) > 255) {
        fprintf(stderr, "telex tail: --group needs a name of 1..255 bytes\n");
        return 2;
    }
    const char *dir = telex_store_dir(store);
    tlx_store_opts_t o;
    tlx_store_opts_default(&o);
    o.no_create = true;
    o.assert_exit = 1;
    telex_guard_store(dir);
    char err[600];
    tlx_store_t *st;
    int rc = tlx_store_open(dir, &o, &st, err, sizeof err);
    if (rc) {
        fprintf(stderr, "telex: %s\n", err);
        return 2;
    }
    struct sigaction sa = {0};
    sa.sa_handler = s_on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    void *zctx = NULL, *sub = NULL;
    if (follow) {
        char abs[PATH_MAX], ep[PATH_MAX + 32];
        if (realpath(dir, abs)) {
            snprintf(ep, sizeof ep, "ipc://%s/notify.ipc", abs);
            zctx = zmq_ctx_new();
            sub = zmq_socket(zctx, ZMQ_SUB);
            zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "committed", 9);
            int zero = 0;
            zmq_setsockopt(sub, ZMQ_LINGER, &zero, sizeof zero);
            zmq_connect(sub, ep); /* connects whenever telexd (re)binds it */
        }
    }
    tail_t t = {0};
    rc = tlx_store_cursor_get(st, group, &t.last);
    while (rc == 0 && !s_stop) {
        uint64_t before = t.last;
        /* one batch, then persist: a crash repeats at most this batch */
        int r = tlx_store_feed(st, t.last, 256, s_tail_cb, &t, NULL);
        fflush(stdout);
        if (t.failed || ferror(stdout)) {
            rc = 1;
            break;
        }
        if (t.last != before && (r = tlx_store_cursor_set(st, group, t.last)) != 0) {
            fprintf(stderr, "telex tail: cannot save the cursor of group %s: %s (%s)\n", group,
                    tlx_strerror(r), tlx_store_errmsg(st));
            rc = r == TLX_ECORRUPT ? 1 : 2;
            break;
        }
        if (r < 0) {
            rc = telex_walk_status("tail", st, r, 0);
            break;
        }
        if (t.last != before)
            continue; /* maybe more */
        if (!follow)
            break;
        if (sub) {
            zmq_pollitem_t it = {sub, 0, ZMQ_POLLIN, 0};
            if (zmq_poll(&it, 1, 1000) > 0) {
                char buf[256];
                while (zmq_recv(sub, buf, sizeof buf, ZMQ_DONTWAIT) >= 0)
                    ; /* drain: one feed read covers them all */
            }
        } else
            sleep(1);
    }
    if (sub)
        zmq_close(sub);
    if (zctx)
        zmq_ctx_term(zctx);
    if (t.skipped) {
        fprintf(stderr, "telex tail: %llu record(s) skipped because they do not decode\n", t.skipped);
        if (!rc)
            rc = 1;
    }
    tlx_store_close(&st);
    return rc;
}

/* ---- export ------------------------------------------------------------------------ */

typedef struct {
    uint64_t n, total;
    unsigned long long skipped;
    int tty, format;
} export_t;

static int s_export_cb(void *ctx, uint64_t feed_seq, uint64_t seq, const void *rec, size_t len)
{
    (void)feed_seq;
    export_t *e = ctx;
    if (telex_emit_record(rec, len, seq, e->format, &e->skipped))
        return 1;
    e->n++;
    if (e->tty && e->n % 1000 == 0)
        fprintf(stderr, "\r\033[Kexported %llu/%llu", (unsigned long long)e->n, (unsigned long long)e->total);
    return 0;
}

int telex_cmd_export(int argc, char **argv)
{
    const char *store = NULL, *format = "jsonl";
    unsigned long long since = 0;
    static const struct option opts[] = {{"store", required_argument, 0, 's'},
                                         {"format", required_argument, 0, 'f'},
                                         {"since", required_argument, 0, 'S'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            store = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        case 'S':
            if (telex_parse_u64("export", "since", optarg, 0, ULLONG_MAX, &since))
                return 2;
            break;
        case 'h':
            printf("usage: telex export [--store DIR] [--format jsonl|ninjs] [--since SEQ]\n"
                   "\n"
                   "Writes every record after feed position SEQ as JSON Lines to stdout, for bulk\n"
                   "loads; --format ninjs writes one IPTC ninjs 3.0 item per line instead.\n"
                   "Shows progress on stderr when it is a terminal.\n");
            return 0;
        default:
            return 2;
        }
    }
    int fmt = telex_parse_format("export", format);
    if (fmt < 0)
        return 2;
    tlx_store_t *st;
    if (telex_open_store(telex_store_dir(store), &st))
        return 2;
    tlx_store_counts_t k;
    tlx_store_counts(st, &k);
    export_t e = {.total = k.feed > since ? k.feed - since : 0, .tty = isatty(2), .format = fmt};
    int rc = tlx_store_feed(st, since, 0, s_export_cb, &e, NULL);
    fflush(stdout);
    if (e.tty)
        fprintf(stderr, "\r\033[Kexported %llu records\n", (unsigned long long)(e.n - e.skipped));
    rc = telex_walk_status("export", st, rc, e.skipped);
    tlx_store_close(&st);
    return rc;
}
