/* SPDX-License-Identifier: Apache-2.0 */
/*  telex verify / backup / dead -- store tools for operators. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "telex_cli.h"
#include "tlx_json.h"
#include "tlx_store.h"
#include <zmq.h>

int telex_cmd_verify(int argc, char **argv)
{
    const char *store = NULL;
    static const struct option opts[] = {
        {"store", required_argument, 0, 's'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            store = optarg;
            break;
        case 'h':
            printf("usage: telex verify [--store DIR]\n"
                   "\n"
                   "Checks every index against the articles, the feed, the inbox, the dead letters and\n"
                   "the schema version, while telexd may keep running.  Exit 0 when consistent, 1 with a\n"
                   "report of each problem (damage included: a cut-short or empty data.mdb, pages LMDB\n"
                   "cannot read), 2 when there is no store or it cannot be read at all.\n");
            return 0;
        default:
            return 2;
        }
    }
    const char *dir = telex_store_dir(store);
    tlx_verify_stats_t vs;
    char err[600];
    int rc = tlx_store_verify_dir(dir, stdout, &vs, err, sizeof err);
    if (rc) {
        fprintf(stderr, "telex verify: %s\n", err);
        return 2;
    }
    printf("verify: %s: %llu problem(s); %llu articles, %llu feed entries, %llu id revisions, %llu index "
           "entries, "
           "%llu in the inbox, %llu dead\n",
           vs.problems ? "FAILED" : "ok", (unsigned long long)vs.problems, (unsigned long long)vs.articles,
           (unsigned long long)vs.feed, (unsigned long long)vs.ids, (unsigned long long)vs.index_entries,
           (unsigned long long)vs.inbox, (unsigned long long)vs.dead);
    return vs.problems ? 1 : 0;
}

int telex_cmd_backup(int argc, char **argv)
{
    const char *store = NULL;
    static const struct option opts[] = {
        {"store", required_argument, 0, 's'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            store = optarg;
            break;
        case 'h':
            printf("usage: telex backup [--store DIR] DEST\n"
                   "\n"
                   "Writes a hot, compacted copy of the store to the new or empty directory DEST while\n"
                   "telexd keeps running, then verifies the copy.  Exit 0, 1 if the copy does not\n"
                   "verify, 2 on errors.\n");
            return 0;
        default:
            return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "telex backup: give one destination directory; see --help\n");
        return 2;
    }
    const char *dest = argv[optind];
    tlx_store_t *st;
    if (telex_open_store(telex_store_dir(store), &st))
        return 2;
    char err[600];
    int rc = tlx_store_backup(st, dest, err, sizeof err);
    tlx_store_close(&st);
    if (rc) {
        fprintf(stderr, "telex: %s\n", err);
        return 2;
    }
    tlx_verify_stats_t vs;
    rc = tlx_store_verify_dir(dest, stderr, &vs, err, sizeof err);
    if (rc || vs.problems) {
        if (rc)
            fprintf(stderr, "telex backup: %s\n", err);
        fprintf(stderr, "telex backup: the copy in %s does not verify\n", dest);
        return 1;
    }
    printf("backup: %s: %llu articles, verified\n", dest, (unsigned long long)vs.articles);
    return 0;
}

typedef struct {
    int pretty;
} dead_ctx_t;

static int s_dead_cb(void *ctx, const tlx_dead_t *d)
{
    (void)ctx;
    tlx_buf_t b = TLX_BUF_INIT;
    tlx_buf_printf(&b, "{\"inbox\":%llu,\"at\":%llu,\"id\":", (unsigned long long)d->inbox_seq,
                   (unsigned long long)d->at);
    tlx_json_string(&b, d->inbox.id, d->inbox.id_len);
    tlx_buf_printf(&b, ",\"revision\":%u,\"attempts\":%u,\"stage\":", d->inbox.revision, d->inbox.attempts);
    tlx_json_string(&b, d->stage ? d->stage : "", d->stage_len);
    tlx_buf_printf(&b, ",\"reason\":");
    tlx_json_string(&b, d->reason ? d->reason : "", d->reason_len);
    tlx_buf_printf(&b, ",\"envelope_bytes\":%zu}\n", d->inbox.env_len);
    fwrite(b.data, 1, b.len, stdout);
    tlx_buf_free(&b);
    return ferror(stdout) ? 1 : 0;
}

int telex_cmd_dead(int argc, char **argv)
{
    const char *store = NULL, *replay = NULL;
    int all = 0;
    static const struct option opts[] = {{"store", required_argument, 0, 's'},
                                         {"replay", required_argument, 0, 'r'},
                                         {"all", no_argument, 0, 'a'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "s:h", opts, NULL)) != -1) {
        switch (c) {
        case 's':
            store = optarg;
            break;
        case 'r':
            replay = optarg;
            break;
        case 'a':
            all = 1;
            break;
        case 'h':
            printf("usage: telex dead [--store DIR]                 list dead letters as JSON Lines\n"
                   "       telex dead [--store DIR] --replay ID     put article ID's dead letters back\n"
                   "       telex dead [--store DIR] --replay --all  put every dead letter back\n"
                   "\n"
                   "An article that failed or crashed the pipeline K times (telexd --max-attempts) is\n"
                   "moved to the dead letters with the failing stage and reason; nothing is dropped.\n"
                   "A replayed article goes back to the inbox with its attempts reset; a running telexd\n"
                   "picks it up within a second, otherwise at its next start.  Exit 1 if nothing matched.\n");
            return 0;
        default:
            /* --replay without a value followed by --all */
            return 2;
        }
    }
    /* accept "--replay --all": getopt took "--all" as the argument */
    if (replay && strcmp(replay, "--all") == 0) {
        replay = NULL;
        all = 1;
    }
    if (optind != argc) {
        fprintf(stderr, "telex dead: unexpected argument '%s'\n", argv[optind]);
        return 2;
    }
    const char *dir = telex_store_dir(store);
    if (!replay && !all) {
        tlx_store_t *st;
        if (telex_open_store(dir, &st))
            return 2;
        int rc = tlx_store_dead_list(st, s_dead_cb, NULL);
        tlx_store_close(&st);
        return rc ? 2 : 0;
    }
    tlx_store_opts_t o;
    tlx_store_opts_default(&o);
    o.no_create = true;
    o.assert_exit = 1;
    telex_guard_store(dir);
    char err[600];
    tlx_store_t *st;
    if (tlx_store_open(dir, &o, &st, err, sizeof err)) {
        fprintf(stderr, "telex: %s\n", err);
        return 2;
    }
    uint64_t n = 0;
    int rc = tlx_store_dead_replay(st, all ? NULL : replay, &n);
    tlx_store_close(&st);
    if (rc) {
        fprintf(stderr, "telex dead: replay failed: %s\n", tlx_strerror(rc));
        return 2;
    }
    printf("replayed %llu dead letter(s)\n", (unsigned long long)n);
    return n ? 0 : 1;
}

int telex_cmd_keygen(int argc, char **argv)
{
    const char *out = NULL;
    static const struct option opts[] = {
        {"out", required_argument, 0, 'o'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'h':
            printf("usage: telex keygen --out PREFIX\n"
                   "\n"
                   "Makes a CURVE key pair: PREFIX.key (secret, mode 0600) and PREFIX.pub (public).\n"
                   "For telexd: --curve-secret server.key; give clients server.pub.  For a producer:\n"
                   "telex push --curve-server server.pub --curve-key client.key, and add client.pub\n"
                   "to telexd's --curve-allow file.  Prints the public key.\n");
            return 0;
        default:
            return 2;
        }
    }
    if (!out || optind != argc) {
        fprintf(stderr, "telex keygen: give --out PREFIX; see --help\n");
        return 2;
    }
    char pub[41], sec[41], path[4200];
    if (zmq_curve_keypair(pub, sec) != 0) {
        fprintf(stderr, "telex keygen: this libzmq has no CURVE support\n");
        return 2;
    }
    snprintf(path, sizeof path, "%s.key", out);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        fprintf(stderr, "telex keygen: cannot create %s: %s\n", path, strerror(errno));
        return 2;
    }
    fprintf(f, "# telex CURVE secret key: keep private\n%s\n", sec);
    fclose(f);
    snprintf(path, sizeof path, "%s.pub", out);
    f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "telex keygen: cannot create %s: %s\n", path, strerror(errno));
        return 2;
    }
    fprintf(f, "%s\n", pub);
    fclose(f);
    printf("%s\n", pub);
    return 0;
}
