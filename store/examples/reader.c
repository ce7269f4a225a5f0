/* SPDX-License-Identifier: Apache-2.0 */
/*  reader.c -- a minimal consumer of the telex store in C.

    Follows the feed from a position and prints "seq id title" per record.
    Build against an installed telex:
        cc reader.c $(pkg-config --cflags --libs telex) -o reader
    Run:  ./reader STORE [AFTER_FEED_SEQ]
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlx_mp.h"
#include "tlx_store.h"

/* Called once per record; `rec` is borrowed until we return. */
static int on_record(void *ctx, uint64_t feed_seq, uint64_t seq, const void *rec, size_t len)
{
    (void)ctx;
    const char *id = "", *title = "(no title)";
    size_t idl = 0, tl = 10;
    tlx_mp_t c;
    tlx_mp_init(&c, rec, len);
    uint32_t n;
    if (tlx_mp_read_map(&c, &n))
        return 0;
    for (uint32_t i = 0; i < n; i++) {
        const char *k;
        size_t kl;
        if (tlx_mp_read_str(&c, &k, &kl)) {
            tlx_mp_skip(&c, 8);
            tlx_mp_skip(&c, 8);
            continue;
        }
        if (tlx_mp_streq(k, kl, "id") && tlx_mp_read_str(&c, &id, &idl) == 0)
            continue;
        if (tlx_mp_streq(k, kl, "title") && tlx_mp_read_str(&c, &title, &tl) == 0)
            continue;
        tlx_mp_skip(&c, 8);
    }
    printf("%llu %llu %.*s %.*s\n", (unsigned long long)feed_seq, (unsigned long long)seq, (int)idl, id,
           (int)tl, title);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s STORE [AFTER_FEED_SEQ]\n", argv[0]);
        return 2;
    }
    tlx_store_opts_t o;
    tlx_store_opts_default(&o);
    o.read_only = true; /* a reader never writes and never blocks telexd */
    char err[600];
    tlx_store_t *st;
    if (tlx_store_open(argv[1], &o, &st, err, sizeof err) != 0) {
        fprintf(stderr, "reader: %s\n", err);
        return 2;
    }
    uint64_t after = argc > 2 ? strtoull(argv[2], NULL, 10) : 0, last = after;
    int rc = tlx_store_feed(st, after, 0, on_record, NULL, &last);
    fprintf(stderr, "reader: up to feed seq %llu\n", (unsigned long long)last);
    tlx_store_close(&st);
    return rc ? 1 : 0;
}
