/*  telex verify / backup / dead -- store tools for operators. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "telex_cli.h"
#include "tlx_json.h"
#include "tlx_store.h"

int telex_cmd_verify(int argc, char **argv)
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
            printf("usage: telex verify [--store DIR]\n"
                   "\n"
                   "Checks every index against the articles, the feed, the inbox, the dead letters and\n"
                   "the schema version, while telexd may keep running.  Exit 0 when consistent, 1 with a\n"
                   "report of each problem, 2 when the store cannot be read.\n");
            return 0;
        default: return 2;
        }
    }
    const char *dir = telex_store_dir(store);
    tlx_store_t *st;
    if (telex_open_store(dir, &st))
        return 2;
    tlx_verify_stats_t vs;
    int rc = tlx_store_verify(st, stdout, &vs);
    tlx_store_close(&st);
    if (rc) {
        fprintf(stderr, "telex verify: cannot read %s: %s\n", dir, tlx_strerror(rc));
        return 2;
    }
    printf("verify: %s: %llu problem(s); %llu articles, %llu feed entries, %llu id revisions, %llu index entries, "
           "%llu in the inbox, %llu dead\n",
           vs.problems ? "FAILED" : "ok", (unsigned long long)vs.problems, (unsigned long long)vs.articles,
           (unsigned long long)vs.feed, (unsigned long long)vs.ids, (unsigned long long)vs.index_entries,
           (unsigned long long)vs.inbox, (unsigned long long)vs.dead);
    return vs.problems ? 1 : 0;
}

int telex_cmd_backup(int argc, char **argv)
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
            printf("usage: telex backup [--store DIR] DEST\n"
                   "\n"
                   "Writes a hot, compacted copy of the store to the new or empty directory DEST while\n"
                   "telexd keeps running, then verifies the copy.  Exit 0, 1 if the copy does not\n"
                   "verify, 2 on errors.\n");
            return 0;
        default: return 2;
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
    if (telex_open_store(dest, &st))
        return 2;
    tlx_verify_stats_t vs;
    rc = tlx_store_verify(st, stderr, &vs);
    tlx_store_close(&st);
    if (rc || vs.problems) {
        fprintf(stderr, "telex backup: the copy in %s does not verify\n", dest);
        return 1;
    }
    printf("backup: %s: %llu articles, verified\n", dest, (unsigned long long)vs.articles);
    return 0;
}
