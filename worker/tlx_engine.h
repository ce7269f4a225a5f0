/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_engine.h -- the state telexd's engine thread shares between its
    parts (internal to worker/; not installed).

    One thread owns all of it: the front (tlx_front.c) reads envelopes into
    `in`, the enrich link (tlx_link.c) reads results into `res`, the writer
    (tlx_writer.c) applies both in one write txn and answers after the
    commit, the dispatcher (tlx_dispatch.c) chooses the jobs, the pool
    (tlx_pool.c) runs the local enrich threads, and the lifecycle
    (tlx_daemon.c) starts, loops, reloads and stops.  tlx_writer.c says
    why the front and the writer share a thread, and what its one helper
    thread (e->fork) takes over: decoding and hashing the turn's envelopes,
    reading the planned jobs' inbox entries during the commit.
*/
#ifndef TLX_ENGINE_H
#define TLX_ENGINE_H

#include <stddef.h>
#include <stdint.h>
#include <zmq.h>

#include "tlx_boilsnap.h"
#include "tlx_buf.h"
#include "tlx_config.h"
#include "tlx_dfsnap.h"
#include "tlx_dispatch.h"
#include "tlx_http.h"
#include "tlx_metrics.h"
#include "tlx_publish.h"
#include "tlx_sources.h"
#include "tlx_store.h"
#include "tlx_zap.h"

#define TLX_BATCH_MAX 256 /* envelopes read per turn */
/* Results per turn.  Every page a write txn changes is a malloc'd copy, and
   LMDB keeps those buffers for reuse until the store closes (me_dpages):
   telexd's heap stays as large as its largest txn ever was.  A full
   pipeline result (fingerprints, entities) updates ~50 random index leaves,
   its document-frequency terms are held in memory and written sorted
   every 2 s (tlx_store.h df_flush_ms), so 128 of those keep a txn to a
   few thousand pages (anonymous RSS under the --vary overload: 29 MB, as
   with 64) where 512 could reach 100+ MB.  A result
   without fingerprints (null pipeline, or a failure) changes a handful of
   pages, and there the commit, not the pages, is the cost: up to 256 share
   one fsync. */
#define TLX_RES_MAX 256
#define TLX_RES_HEAVY_MAX 128                 /* of which with fingerprints (hints.has_fp) */
#define TLX_TURN_BYTES_MAX ((size_t)16 << 20) /* envelopes or results read per turn */

/*  One envelope of this turn, from the front. */
typedef struct {
    uint8_t rid[256];
    size_t rid_len;
    int delim; /* a REQ peer: echo the empty delimiter frame */
    zmq_msg_t msg;
    int frames; /* content frames (without a REQ peer's delimiter) */
    tlx_envelope_t env;
    tlx_reject_t reason;
    char detail[256];
    /* the dedup hash, computed beside the writer's apply (tlx_writer_prepare) */
    int hashed;
    const char *id; /* the id as stored (tlx_store_article_id): in env, or text_id */
    size_t id_len;
    char text_id[17]; /* the id of an envelope without one */
    uint8_t hash[TLX_STORE_DEDUP_HASH_BYTES];
    /* outputs of the writer's apply */
    tlx_ack_status_t status;
    int dispatch;         /* accepted with attempts = 1, goes out after the commit */
    uint64_t received_at; /* as stored in its inbox entry */
    tlx_accept_out_t out;
} tlx_front_in_t;

typedef enum { TLX_RES_STORED, TLX_RES_REQUEUE, TLX_RES_DEAD, TLX_RES_IGNORED } tlx_res_outcome_t;

/*  One enrich result of this turn, from the link. */
typedef struct {
    uint64_t inbox;
    int ok;
    zmq_msg_t rec;
    zmq_msg_t terms;
    tlx_commit_hints_t hints;
    uint64_t lines[TLX_BOILER_CANDIDATES_MAX]; /* hints.line_keys points here */
    char stage[64], reason[256];
    uint32_t attempts;
    char *id;       /* taken over from the in-flight entry */
    int prechecked; /* pre holds its record's check, made beside the apply (tlx_writer.c) */
    tlx_record_checked_t pre;
    char source[TLX_DISPATCH_SOURCE_MAX];
    /* outputs of the writer's apply */
    tlx_res_outcome_t outcome;
    uint64_t seq;
} tlx_link_res_t;

typedef struct tlx_pool tlx_pool_t;
typedef struct tlx_fork tlx_fork_t;

typedef struct tlx_engine {
    const tlx_daemon_cfg_t *cfg; /* == &cfgv */
    tlx_daemon_cfg_t cfgv;       /* the running configuration (reload changes the live options) */
    tlx_metrics_t *m;
    tlx_http_t *http;
    tlx_sources_slot_t sources;
    tlx_dfsnap_slot_t df;     /* document frequencies for the keyword stage */
    tlx_boilsnap_slot_t boil; /* learned boilerplate lines for the structure stage */
    tlx_store_t *store;
    void *zctx, *front, *back, *pub;
    char back_ep[128];
    tlx_zap_t *zap; /* CURVE client authentication, when enabled */
    tlx_dispatch_t *disp;
    tlx_pool_t *pool;
    tlx_publish_t *publish; /* NATS JetStream publisher, or NULL */
    tlx_fork_t *fork; /* the helper: envelopes' decode and hashes, planned jobs' inbox reads (tlx_writer.c) */

    tlx_front_in_t *in; /* this turn's envelopes */
    int nin;
    int prep_from;           /* in[prep_from..nin) are being decoded and hashed (tlx_writer.c) */
    int prep_res, nprep_res; /* res[prep_res..+nprep_res) are being checked: the batch's first items */
    tlx_link_res_t *res;     /* carried-over results first, then this turn's */
    int nres;
    tlx_buf_t ackbuf;      /* the front's ack encoding, kept across acks */
    uint64_t last_hb;      /* heartbeats sent to remote workers */
    uint64_t linger_until; /* monotonic ms: results wait for company until then (tlx_writer.c), 0 = not */
    int draining;
    uint64_t disk_full_since;
    uint64_t replay_gen; /* meta "replay_gen": bumped by `telex dead --replay` */
} tlx_engine_t;

#endif
