/* SPDX-License-Identifier: Apache-2.0 */
/*  nats_count -- what a JetStream stream holds, for the e2e tests and the
    bench (Debian packages no NATS CLI and no Python client).

    nats_count URL STREAM
    prints one JSON line: {"messages": N, "distinct_ids": D, "first_seq": F,
    "last_seq": L} where D counts distinct Nats-Msg-Id headers over every
    message (each fetched by sequence).  Exit 1 when the stream cannot be
    read.  Bounded: at most 10,000,000 messages are read.
*/
#include <nats/nats.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int s_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: nats_count URL STREAM\n");
        return 2;
    }
    natsConnection *nc = NULL;
    jsCtx *js = NULL;
    jsStreamInfo *si = NULL;
    natsStatus s = natsConnection_ConnectTo(&nc, argv[1]);
    if (s == NATS_OK)
        s = natsConnection_JetStream(&js, nc, NULL);
    if (s == NATS_OK)
        s = js_GetStreamInfo(&si, js, argv[2], NULL, NULL);
    if (s != NATS_OK) {
        fprintf(stderr, "nats_count: %s: %s\n", argv[1], natsStatus_GetText(s));
        return 1;
    }
    uint64_t first = si->State.FirstSeq, last = si->State.LastSeq, msgs = si->State.Msgs;
    jsStreamInfo_Destroy(si);
    if (msgs > 10000000) {
        fprintf(stderr, "nats_count: %llu messages: too many to read\n", (unsigned long long)msgs);
        return 1;
    }
    char **ids = calloc(msgs + 1, sizeof *ids);
    size_t n = 0;
    for (uint64_t q = first; msgs && q <= last && n < msgs; q++) {
        natsMsg *m = NULL;
        if (js_GetMsg(&m, js, argv[2], q, NULL, NULL) != NATS_OK)
            continue; /* deleted */
        const char *id = NULL;
        if (natsMsgHeader_Get(m, "Nats-Msg-Id", &id) == NATS_OK && id)
            ids[n++] = strdup(id);
        natsMsg_Destroy(m);
    }
    qsort(ids, n, sizeof *ids, s_cmp);
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++)
        distinct += i == 0 || strcmp(ids[i], ids[i - 1]) != 0;
    printf("{\"messages\": %llu, \"distinct_ids\": %zu, \"first_seq\": %llu, \"last_seq\": %llu}\n",
           (unsigned long long)msgs, distinct, (unsigned long long)first, (unsigned long long)last);
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
    jsCtx_Destroy(js);
    natsConnection_Destroy(nc);
    return 0;
}
