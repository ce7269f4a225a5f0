/* SPDX-License-Identifier: Apache-2.0 */
/*  consumer.c -- a JetStream consumer group for telex records, in C with
    libnats (Debian: libnats-dev).  Every process started with the same
    GROUP shares one durable pull consumer: JetStream hands each message to
    one of them (load-balanced), and re-delivers what a crashed member did
    not acknowledge.

    cc consumer.c -o consumer $(pkg-config --cflags --libs libnats)
    ./consumer nats://127.0.0.1:4222 indexer [MAX]

    Prints "Telex-Seq Nats-Msg-Id subject bytes" per record, acknowledges
    after handling it; stops after MAX messages (0 = run until killed).
*/
#include <nats/nats.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s NATS_URL GROUP [MAX]\n", argv[0]);
        return 2;
    }
    long max = argc > 3 ? atol(argv[3]) : 0, seen = 0;
    natsConnection *nc = NULL;
    jsCtx *js = NULL;
    natsSubscription *sub = NULL;
    jsErrCode jerr = 0;
    jsSubOptions so;
    jsSubOptions_Init(&so);
    so.Stream = "TELEX";
    so.Config.AckPolicy = js_AckExplicit;
    so.Config.AckWait = 60LL * 1000000000LL; /* re-delivered to another member after 60 s without an ack */
    natsStatus s = natsConnection_ConnectTo(&nc, argv[1]);
    if (s == NATS_OK)
        s = natsConnection_JetStream(&js, nc, NULL);
    if (s == NATS_OK) /* creates the durable consumer GROUP on first use, binds to it after */
        s = js_PullSubscribe(&sub, js, "telex.articles.>", argv[2], NULL, &so, &jerr);
    while (s == NATS_OK && (max == 0 || seen < max)) {
        natsMsgList list = {0};
        s = natsSubscription_Fetch(&list, sub, 64, 5000, &jerr);
        if (s == NATS_TIMEOUT) {
            s = NATS_OK;
            continue;
        }
        for (int i = 0; s == NATS_OK && i < list.Count; i++) {
            natsMsg *m = list.Msgs[i];
            const char *seq = "", *id = "";
            natsMsgHeader_Get(m, "Telex-Seq", &seq);
            natsMsgHeader_Get(m, "Nats-Msg-Id", &id);
            /* the record: JSON (publish_format json) or msgpack, as store/SCHEMA.md describes */
            printf("%s %s %s %d\n", seq, id, natsMsg_GetSubject(m), natsMsg_GetDataLength(m));
            s = natsMsg_Ack(m, NULL); /* after handling: a crash before this means a re-delivery */
            seen++;
        }
        natsMsgList_Destroy(&list);
        fflush(stdout);
    }
    if (s != NATS_OK)
        fprintf(stderr, "%s: %s (%d)\n", argv[0], natsStatus_GetText(s), (int)jerr);
    natsSubscription_Destroy(sub);
    jsCtx_Destroy(js);
    natsConnection_Destroy(nc);
    return s == NATS_OK ? 0 : 1;
}
