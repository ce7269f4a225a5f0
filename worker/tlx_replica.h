/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_replica.h -- a read replica: the primary's JetStream stream into a
    local store (telexd --role replica --from nats://HOST:4222).

    The replica pulls the stream through a durable pull consumer and writes
    every record with tlx_store_replicate (byte for byte, the primary's seq
    and revision, the same indexes), so `telex get/list/query/tail/export`
    and the HTTP read API answer on the replica as on the primary.  The
    position that counts is the replica's own: the stream sequence of the
    last applied message is a cursor ("replica:" + stream) committed in the
    same LMDB txn as the records it covers.  At start the durable consumer
    is (re)created to deliver from that position + 1; a message is
    acknowledged only after its batch committed (ack-all, one ack per
    batch); a re-delivered message at or below the position is acked and
    skipped.  So a crash at any point neither loses nor duplicates a record.

    The stream must carry msgpack records (publish_format = msgpack on the
    primary): JSON numbers cannot be turned back into the exact msgpack the
    primary stored.  A JSON message stops the replica with that reason.
*/
#ifndef TLX_REPLICA_H
#define TLX_REPLICA_H

#include <signal.h>
#include <stddef.h>

#include "tlx_metrics.h"
#include "tlx_store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    char url[1024];    /* the NATS server(s) the primary publishes to */
    char stream[64];   /* default TELEX */
    char durable[128]; /* consumer name, unique per replica; default "replica-" + host name */
    char creds[4096];  /* NATS credentials file, "" = none */
    char tls_ca[4096]; /* CA bundle for TLS, "" = none */
    int batch;         /* messages per fetch and per commit (default 256) */
} tlx_replica_cfg_t;

void tlx_replica_cfg_default(tlx_replica_cfg_t *cfg);

/*  Replicates until *stop becomes non-zero; the calling thread is the
    store's one writer.  Waits for NATS and for the stream to exist (the
    primary creates it).  m may be NULL.  ready (may be NULL) is called
    once when the consumer is bound.
    @return 0 after *stop; TLX_EINVAL (bad configuration or a stream that
            is not msgpack: logged), TLX_EFULL / TLX_EIO (the store cannot
            take more), TLX_EMALFORMED (a message that is not a record). */
int tlx_replica_run(const tlx_replica_cfg_t *cfg, tlx_store_t *store, tlx_metrics_t *m,
                    volatile sig_atomic_t *stop, void (*ready)(void *ctx), void *ctx);

#ifdef __cplusplus
}
#endif
#endif
