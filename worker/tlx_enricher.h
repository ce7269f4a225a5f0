/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_enricher.h -- an enrich worker: jobs in, records out.

    Runs as a thread in telexd (inproc) and in `telexd --role enrich`
    over tcp: the same code and the same frames.  A DEALER socket connects to the dispatcher's ROUTER,
    announces its credit, then loops: receive a job, run the text pipeline,
    send the result (which returns one credit).

    The frames are proto/PROTOCOL.md, section 5; tlx_elink.h encodes and
    decodes them.

    Liveness (Paranoid Pirate): a remote peer silent for 5 heartbeats is
    dead.  The dispatcher then re-dispatches that worker's articles; the
    worker closes its socket and reconnects with a fresh identity (its
    queued jobs die with the old socket, which is why the dispatcher
    re-dispatches rather than waits).  Every job carries a dispatch token
    that the result echoes; the store takes a result only from the worker
    holding the job with that token, so a late result from a worker
    presumed dead is ignored.
*/
#ifndef TLX_ENRICHER_H
#define TLX_ENRICHER_H

#include <stdatomic.h>
#include <stdint.h>

#include "tlx_boilsnap.h"
#include "tlx_dfsnap.h"
#include "tlx_elink.h"
#include "tlx_sources.h"
#include "tlx_store.h"
#include "tlx_text.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    void *zctx;                   /* shared ZeroMQ context */
    char endpoint[512];           /* dispatcher endpoint to connect to */
    const tlx_text_t *text;       /* shared, read-only pipeline resources */
    int credit;                   /* jobs this worker accepts at once */
    int index;                    /* for logs */
    tlx_dfsnap_slot_t *df;        /* corpus document frequencies (may hold NULL); NULL = built-in prior */
    tlx_boilsnap_slot_t *learned; /* learned boilerplate lines (may be NULL or hold NULL) */
    tlx_sources_slot_t *sources;  /* per-source settings; NULL = none */
    int heartbeat_ms;             /* 0: inproc, no heartbeats; else remote link liveness */
    const atomic_int *stop;       /* enrich role: leave when set (sends "D") */
    char routing_id[32];          /* "" = let ZeroMQ choose (remote); "local-N" for threads */
    atomic_int *connected;        /* set to 1 while the dispatcher answers (enrich role /ready) */
    /* CURVE client keys (Z85, 40 characters; curve_server[0] == 0: off):
       the store's enrich link public key, this worker's key pair */
    char curve_server[41], curve_public[41], curve_secret[41];
} tlx_enricher_args_t;

/*  Thread entry point (pthread signature).  Returns NULL when told to stop
    or when the context terminates.  `arg` is a tlx_enricher_args_t*,
    borrowed for the thread's life. */
void *tlx_enricher_main(void *arg);

/*  The processing deadline of every article in this process (ms; 0 = none;
    any thread may set it, e.g. on a configuration reload).  An article
    whose pipeline takes longer fails with stage "timeout" and a reason
    naming both times: a failed attempt like any other, so after
    max_attempts it goes to the dead letters (instead of being given back
    by every SIGTERM that interrupts it).  The long loops of the stages
    check it as they go (tlx_deadline.h), so such an article is stopped
    near the deadline, and the reason names the stage; it is also checked
    when the pipeline returns. */
void tlx_enricher_set_deadline_ms(unsigned ms);

/*  One article to enrich, and the shared resources to do it with (all
    borrowed for the call). */
typedef struct {
    const void *env; /* the envelope frame as stored in the inbox */
    size_t env_len;
    const char *id; /* the article's id (external or assigned) */
    size_t id_len;
    uint32_t revision;
    uint64_t received_at;                /* ms; used when the envelope has none */
    const tlx_keywords_df_t *df;         /* document frequencies; NULL: built-in prior */
    const tlx_boiler_learned_t *learned; /* learned boilerplate lines; NULL: none */
    const tlx_sources_t *sources;        /* per-source settings; NULL: none */
    int want_terms;                      /* also return the document-frequency terms */
    tlx_text_scratch_t *scratch;         /* the calling thread's pipeline state; NULL: none */
} tlx_enricher_job_t;

/*  What one job produced. */
typedef struct {
    char *rec; /* the packed record; malloc'd, caller frees (NULL on failure) */
    size_t rec_len;
    /* for the writer: fingerprints, the candidate line keys of an article
       with a source and, when want_terms, the terms (NUL-separated); the
       pointers are into the arena, valid until its next reset */
    tlx_commit_hints_t hints;
    const char *stage, *reason; /* on failure: where and why (static strings) */
} tlx_enricher_out_t;

/*  Turns one job into a packed record (the pure part, for tests and the
    offline `telex enrich`).  text == NULL runs the null pipeline (body =
    raw text, no processing) that `make bench` uses as its baseline.
    Returns 0, or TLX_EMALFORMED (the envelope no longer decodes),
    TLX_ENOMEM, or the pipeline's TLX_E* code, with out->stage and
    out->reason set.  Thread-safe for distinct arenas. */
int tlx_enricher_process(const tlx_text_t *text, tlx_arena_t *arena, const tlx_enricher_job_t *job,
                         tlx_enricher_out_t *out);

/*  The commit hints <-> the enrich link's result fields (tlx_elink.h).
    to_wire sets has_hints, hints, terms and the lines (borrowing h's
    terms); from_wire fills *h from a decoded result (has_fp false when
    the result carried no hints), its line keys copied into `lines` (room
    for TLX_ELINK_LINES_MAX) and its terms borrowed from the frames. */
void tlx_enricher_hints_to_wire(const tlx_commit_hints_t *h, tlx_elink_msg_t *m);
void tlx_enricher_hints_from_wire(const tlx_elink_msg_t *m, tlx_commit_hints_t *h, uint64_t *lines);

#ifdef __cplusplus
}
#endif
#endif
