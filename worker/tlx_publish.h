/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_publish.h -- the JetStream publisher: every committed record, once,
    to a NATS JetStream stream.

    A thread of its own reads the store's change feed from a persisted
    cursor (`cursors` DB, name "publish:" + stream) and publishes each
    record (the stored revision: one message per feed entry) to
    subject `subject` with "<source>" replaced by the record's source, with
    the headers
        Nats-Msg-Id   <id>:<revision>   (JetStream drops a re-send of it
                                         within the stream's duplicate window)
        Telex-Seq     the article seq
        Telex-Source  the source ("" when none)
        Content-Type  application/json | application/msgpack
    and waits for JetStream's publish acks.  The cursor advances only past
    records whose every ack came back, so a crash, a NATS outage or a lost
    ack means a re-send, never a gap; the duplicate window turns re-sends
    into one message per record.  The stream is created when missing
    (file storage, subjects from the subject template, limits from the
    configuration).  While NATS is unreachable the publisher retries with
    back-off and the daemon goes on ingesting: publishing is downstream of
    the durable store, the lag is a gauge (telex_publish_lag_records).

    Threads: start/stop/kick from the daemon's thread; the publisher reads
    the store through the reader API (its own read txns) and writes only
    its cursor (tlx_store_cursor_set, its own txn), so it shares the
    writer's handle safely (tlx_store.h, THREADS).
*/
#ifndef TLX_PUBLISH_H
#define TLX_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <nats/nats.h>

#include "tlx_metrics.h"
#include "tlx_store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { TLX_PUBLISH_JSON, TLX_PUBLISH_MSGPACK } tlx_publish_format_t;

#define TLX_PUBLISH_SUBJECT_DEFAULT "telex.articles.<source>"
#define TLX_PUBLISH_STREAM_DEFAULT "TELEX"

typedef struct {
    char url[1024];    /* nats://HOST:PORT (comma-separated list for a cluster); "" = off */
    char subject[256]; /* subject template; "<source>" becomes the record's source */
    char stream[64];   /* JetStream stream name */
    int format;        /* tlx_publish_format_t */
    char creds[4096];  /* NATS credentials file (JWT + NKey seed), "" = none */
    char tls_ca[4096]; /* CA bundle to verify the server's TLS certificate, "" = none (TLS only
                          when the URL says tls://) */
    int64_t max_age_s; /* stream limit when telexd creates it: 0 = unlimited */
    int64_t max_bytes; /* idem, bytes; 0 = unlimited */
    int replicas;      /* stream replicas when created (1, or 3 on a 3-node cluster) */
    int batch;         /* records in flight per round (default 256) */
} tlx_publish_cfg_t;

/*  Defaults: no URL, the default subject and stream, json, 1 replica. */
void tlx_publish_cfg_default(tlx_publish_cfg_t *cfg);

/*  Parses "json" / "msgpack".  0 or TLX_EINVAL. */
int tlx_publish_format_parse(const char *s, int *format);

/*  The subject for a record of `source` (len bytes, may be 0): the
    template with "<source>" replaced by the source made one subject token
    (ASCII lower-cased; '.', '*', '>', whitespace and control bytes become
    '_'; empty becomes "_none"; at most 64 bytes).
    @return 0, TLX_ETOOBIG when it does not fit out_len. */
int tlx_publish_subject(const char *tmpl, const char *source, size_t len, char *out, size_t out_len);

/*  The stream's subject filter for a template: "a.b.<source>" -> "a.b.>",
    otherwise "<source>" -> "*".  0 or TLX_ETOOBIG. */
int tlx_publish_stream_subject(const char *tmpl, char *out, size_t out_len);

/*  NATS connection options shared by the publisher and the replica:
    `url` (comma-separated for a cluster), reconnect forever every 250 ms,
    credentials and TLS CA when given (NULL or "" = none), and a
    background first connect (connected/disconnected callbacks may be
    NULL).  Caller owns *out (natsOptions_Destroy).  0 or TLX_EINVAL with
    the reason in err. */
int tlx_publish_nats_options(const char *url, const char *name, const char *creds, const char *tls_ca,
                             natsConnectionHandler on_up, natsConnectionHandler on_down, void *closure,
                             natsOptions **out, char *err, size_t errsz);

typedef struct tlx_publish tlx_publish_t;

/*  Starts the publisher thread.  Does not wait for NATS: an unreachable
    server is retried in the background.  m may be NULL (no metrics).
    store and m are borrowed; they must outlive the publisher.
    @return 0, TLX_EINVAL (bad configuration: reason in err), TLX_ENOMEM,
            TLX_EIO (thread).  Caller owns *out; free with tlx_publish_stop. */
int tlx_publish_start(const tlx_publish_cfg_t *cfg, tlx_store_t *store, tlx_metrics_t *m, tlx_publish_t **out,
                      char *err, size_t errsz);

/*  Wakes the publisher (call after a commit).  Without kicks it still
    looks at the feed every 50 ms. */
void tlx_publish_kick(tlx_publish_t *self);

typedef struct {
    uint64_t acked;     /* feed seq up to which every record is acknowledged */
    uint64_t head;      /* newest feed seq seen */
    uint64_t published; /* records acknowledged since start (JetStream duplicates included) */
    uint64_t errors;    /* failed rounds (no connection, error or missing ack) */
    bool connected;
} tlx_publish_stats_t;

void tlx_publish_stats(tlx_publish_t *self, tlx_publish_stats_t *s);

/*  Stops the thread (waits at most ~1 s for acks in flight), persists the
    cursor, closes the connection; nulls *self_p; safe twice. */
void tlx_publish_stop(tlx_publish_t **self_p);

#ifdef __cplusplus
}
#endif
#endif
