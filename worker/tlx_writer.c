/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_writer.c -- group commit (see tlx_writer.h).

    Why the writer shares the front's thread: an `accepted` ack may only
    leave after the inbox commit, so a separate front thread would just
    hand every envelope to the writer and wait for it to come back -- two
    inproc hops per message and a second queue to bound, for nothing.  One
    thread that drains the sockets, commits once and then answers gives
    group commit for free: while one fsync runs, the next batch piles up in
    the socket buffers.  LMDB wants exactly one writer thread anyway.

    That thread is the null pipeline's critical path (bench_e2e keeps 256
    envelopes in flight: articles/s = 256 / ack latency, and a commit cycle
    is its CPU per article times the articles plus the fsync), so what
    needs neither the socket nor the txn moves to one helper thread
    (tlx_fork.h, fork-join):
    * the decode and dedup hash of the turn's envelopes (SHA-256 of id and
      text: ~2.5 us per 3 KB article, 13 % of the engine thread's CPU
      before), started when they are received; the engine thread applies
      the results meanwhile, then the envelopes in order as each is ready
      (tlx_fork_wait), running itself whatever the helper has not reached,
      so a helper without a core delays nothing (perf after: 3 % SHA-256,
      4 % preparation in all);
    * the record check of the turn's results (tlx_store_record_precheck,
      ~5 % of the engine thread in the null pipeline), in the same batch
      ahead of the envelopes, since results are applied first; the commit
      then only compares the record's id and revision with its inbox
      entry's, and checks in full whatever the precheck did not pass;
    * the inbox reads of queued articles the plan dispatches after the
      commit (tlx_dispatch_prefetch), during the commit's fsync.
    Envelopes and results that arrive while the turn applies join its
    commit (s_top_up): bench_e2e's producers answer a batch of acks with a
    burst spread over a few hundred us, which was split over two commits.
    Not tried: a front thread owning the ROUTER (frames, decode, acks):
    it would also take the sockets' ~2 us per article, but put a hop
    between every commit and its acks, which are that critical path.

    An article's attempt counter is raised in the same commit that precedes
    its dispatch, so a crash while it is in flight is counted and a poison
    article reaches the dead letters after K crashes.

    Each commit waits for two synchronous writes: LMDB's fdatasync of the
    data pages, then the meta page through its O_DSYNC descriptor; the acks
    of the commit leave after both.  In the null pipeline that wait is most
    of the main thread's time (thr.sh null 40,000: commit_seconds 1.3-2.7 s
    against 0.8-0.9 s of the thread's CPU).  Rejected, with that argument:
    * MDB_NOMETASYNC, acks of commit N released after commit N+1's
      fdatasync (which makes meta N durable) or an explicit mdb_env_sync:
      LMDB keeps the store consistent (lmdb.h: it "maintains database
      integrity"; the pages a meta names are synced before it is written,
      and pages freed by txn N are reused from N+2 on), so acks would
      still mean "on disk".  But readers in other
      processes see a commit as soon as its meta page is written, before
      it is durable: after a power loss the commit is gone and its article
      and feed seqs go to other articles, so a record that `telex tail`,
      the NATS publisher (and through it a replica) or the HTTP API had
      handed out is wrong afterwards.  And it bought nothing measurable
      (4 alternated null runs: articles/s and commit_seconds within the
      machine's noise): the wait is the data fdatasync (pages, block
      allocation, the journal), not the one-page meta write.
    * MDB_NOSYNC with a sync elsewhere: the meta page may reach the disk
      before the pages it names; a power loss then leaves a corrupt store.
    What shortens the wait is writing less per commit (store/SCHEMA.md:
    each envelope once, dedup without a random page per article).
*/
#include "tlx_writer.h"

#include <assert.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlx_clock.h"
#include "tlx_fork.h"
#include "tlx_front.h"
#include "tlx_link.h"
#include "tlx_log.h"

#define GROW_TRIES 48

/* Results of a busy pipeline wait up to LINGER_MS for LINGER_RESULTS of
   them, so that one commit (its fsync, its copies of the index, fingerprint
   and stats leaves) covers many: committing each result as it came made
   commits of ~6 results while the inbox was deep, and the writer spent
   ~400 us of CPU per article of the full pipeline.  Only when at least
   LINGER_RESULTS articles are in flight (the workers hold queued jobs, so
   nobody waits for the dispatch that follows the commit) and no envelope
   is waiting (acks never wait for this).  As many as a turn reads
   (TLX_RES_HEAVY_MAX): each commit is two synchronous writes (the pages'
   fdatasync, then the meta page) and a copy of every leaf it touches, so
   the main thread's CPU per article falls with the group (32 -> 64: ~8 us,
   64 -> 128: ~7 us). */
#define LINGER_RESULTS TLX_RES_HEAVY_MAX
#define LINGER_MS 60

void tlx_writer_open_notify(tlx_engine_t *e)
{
    const tlx_daemon_cfg_t *cfg = e->cfg;
    char ep[600];
    if (strcmp(cfg->notify, "none") == 0)
        return;
    if (cfg->notify[0])
        snprintf(ep, sizeof ep, "%s", cfg->notify);
    else {
        char abs[PATH_MAX];
        if (!realpath(cfg->store, abs) || strlen(abs) + 20 > 100)
            return; /* ipc paths are limited to ~107 bytes: no default notify socket */
        snprintf(ep, sizeof ep, "ipc://%.500s/notify.ipc", abs);
    }
    int zero = 0;
    e->pub = zmq_socket(e->zctx, ZMQ_PUB);
    zmq_setsockopt(e->pub, ZMQ_LINGER, &zero, sizeof zero);
    if (zmq_bind(e->pub, ep) != 0) {
        tlx_log(TLX_LOG_WARN, "cannot bind notify socket", "endpoint=%s error=\"%s\"", ep,
                zmq_strerror(zmq_errno()));
        zmq_close(e->pub);
        e->pub = NULL;
    } else
        tlx_log(TLX_LOG_INFO, "notifying", "endpoint=%s", ep);
}

/* One item of tlx_writer_prepare or s_top_up, on either thread: the
   record check of a result (the first nprep_res items), else the decode
   and hash of an envelope. */
static void s_prepare_one(void *ctx, int i)
{
    tlx_engine_t *e = ctx;
    if (i < e->nprep_res) {
        tlx_link_res_t *r = &e->res[e->prep_res + i];
        if (r->ok && !r->prechecked) {
            tlx_store_record_precheck(zmq_msg_data(&r->rec), zmq_msg_size(&r->rec), &r->pre);
            r->prechecked = 1;
        }
        return;
    }
    tlx_front_in_t *m = &e->in[e->prep_from + i - e->nprep_res];
    tlx_front_decode(e, m);
    if (m->reason != TLX_REJ_NONE)
        return;
    m->id = tlx_store_article_id(m->env.id.p, m->env.id.len, m->env.text.p, m->env.text.len, m->text_id,
                                 &m->id_len);
    if (!m->id)
        return; /* tlx_store_accept refuses it */
    tlx_store_dedup_hash(m->id, m->id_len, m->env.text.p, m->env.text.len, m->hash);
    m->hashed = 1;
}

void tlx_writer_prepare(tlx_engine_t *e)
{
    /* a turn that waited for more results (s_linger) left its batch open:
       its checks are kept (prechecked) */
    tlx_fork_join(e->fork);
    e->prep_from = 0;
    e->prep_res = 0;
    e->nprep_res = e->nres;
    if (e->nres + e->nin)
        tlx_fork_start(e->fork, s_prepare_one, e, e->nres + e->nin);
}

/* Results and envelopes that came while the turn applied (the producers'
   answers to the last acks, and the workers' to the last jobs, arrive over
   a few hundred us, and the turn began with the first of them): read now
   and applied in the same txn, within the turn's bounds; the envelopes
   prepared on both threads.  Without this, each burst was split over two
   commits: ~136 articles per commit and an ack latency of ~1.7 commit
   cycles with bench_e2e's window of 256.  Results with fingerprints (the
   full pipeline) cost ~100 us or more each to apply and have their own
   grouping (LINGER_RESULTS): the acks of this turn do not wait for more of
   them, so results are read only while the turn holds none (the first one
   read ends it).  The results' record checks and the new envelopes'
   preparation go to the helper in one batch, checks first, which the
   caller waits for item by item as it applies them, then joins.  Returns
   how many it read. */
static int s_top_up(tlx_engine_t *e)
{
    int rfrom = e->nres, from = e->nin;
    if (e->front && !e->draining) {
        size_t bytes = 0;
        for (int i = 0; i < e->nin; i++)
            bytes += zmq_msg_size(&e->in[i].msg);
        while (e->nin < TLX_BATCH_MAX && bytes < TLX_TURN_BYTES_MAX && tlx_front_recv(e, &e->in[e->nin]) == 0)
            bytes += zmq_msg_size(&e->in[e->nin++].msg);
    }
    int n = e->nin - from;
    e->prep_from = from;
    int heavy = 0;
    for (int i = 0; i < e->nres; i++)
        heavy += e->res[i].hints.has_fp;
    int nr = heavy ? 0 : tlx_link_read_results(e, 1);
    /* the results' checks first: they are applied first */
    e->prep_res = rfrom;
    e->nprep_res = nr;
    if (n + nr)
        tlx_fork_start(e->fork, s_prepare_one, e, nr + n);
    return n + nr;
}

/* Results -> records, retries or dead letters, in the open txn. */
static int s_apply_results(tlx_engine_t *e, int from, uint64_t now)
{
    const uint32_t K = (uint32_t)e->cfg->max_attempts;
    for (int i = from; i < e->nres; i++) {
        tlx_link_res_t *r = &e->res[i];
        int rc;
        if (i >= e->prep_res && i - e->prep_res < e->nprep_res) /* its record check, made ahead */
            tlx_fork_wait(e->fork, i - e->prep_res);
        if (r->ok) {
            r->hints.checked = r->prechecked ? &r->pre : NULL;
            rc = tlx_store_commit_record(e->store, r->inbox, zmq_msg_data(&r->rec), zmq_msg_size(&r->rec),
                                         &r->hints, &r->seq);
            if (rc == TLX_ENOTFOUND) {
                r->outcome = TLX_RES_IGNORED;
                continue;
            }
            if (rc == TLX_EMALFORMED) {
                snprintf(r->stage, sizeof r->stage, "writer");
                snprintf(r->reason, sizeof r->reason, "%s",
                         tlx_store_errmsg(e->store)); /* why it failed the check */
                r->ok = 0;
            } else if (rc)
                return rc;
            else {
                r->outcome = TLX_RES_STORED;
                continue;
            }
        }
        if (r->attempts >= K) {
            rc = tlx_store_dead(e->store, r->inbox, r->stage, r->reason, now);
            if (rc == TLX_ENOTFOUND) {
                r->outcome = TLX_RES_IGNORED;
                continue;
            }
            if (rc)
                return rc;
            r->outcome = TLX_RES_DEAD;
        } else
            r->outcome = TLX_RES_REQUEUE;
    }
    return 0;
}

/* New envelopes -> dedup + inbox, or rejects, in the open txn. */
static int s_apply_envelopes(tlx_engine_t *e, int from, uint64_t now, int *free_credit)
{
    for (int i = from; i < e->nin; i++) {
        tlx_front_in_t *m = &e->in[i];
        int rc;
        if (i >= e->prep_from) /* its decode and hash: the helper works ahead while this one is applied */
            tlx_fork_wait(e->fork, e->nprep_res + i - e->prep_from);
        if (m->reason != TLX_REJ_NONE) {
            m->status = TLX_ACK_REJECTED;
            rc = tlx_store_reject(e->store, tlx_reject_name(m->reason), m->detail, zmq_msg_data(&m->msg),
                                  zmq_msg_size(&m->msg), now);
            if (rc)
                return rc;
            continue;
        }
        tlx_accept_in_t a = {
            .id = m->hashed ? m->id : m->env.id.p,
            .id_len = m->hashed ? m->id_len : m->env.id.len,
            .text = m->env.text.p,
            .text_len = m->env.text.len,
            .raw = zmq_msg_data(&m->msg),
            .raw_len = zmq_msg_size(&m->msg),
            .received_at = m->env.received_at ? m->env.received_at : now,
            .attempts = *free_credit > 0 ? 1 : 0,
            .dedup_hash = m->hashed ? m->hash : NULL,
        };
        m->received_at = a.received_at;
        if ((rc = tlx_store_accept(e->store, &a, &m->out)))
            return rc;
        if (m->out.duplicate) {
            m->status = TLX_ACK_DUPLICATE;
            m->dispatch = 0;
        } else {
            m->status = TLX_ACK_ACCEPTED;
            m->dispatch = *free_credit > 0;
            if (m->dispatch)
                (*free_credit)--;
        }
    }
    return 0;
}

/* Everything of one turn in the open write txn.  Pure in its inputs: on
   TLX_EFULL the caller aborts, grows and calls it again (with the
   envelopes s_top_up read among them). */
static int s_apply(tlx_engine_t *e, uint64_t now)
{
    int rc, free_credit = 0;
    if ((rc = s_apply_results(e, 0, now)))
        return rc;
    if ((rc = tlx_dispatch_plan(e->disp, now, e->draining, &free_credit)))
        return rc;
    int efrom = 0, rfrom = e->nres;
    for (;;) {
        /* the decode and hashes of tlx_writer_prepare or s_top_up, waited
           for envelope by envelope */
        if ((rc = s_apply_envelopes(e, efrom, now, &free_credit)))
            return rc;
        tlx_fork_join(e->fork);
        efrom = e->nin;
        if (!s_top_up(e))
            return 0;
        /* results read now gave their credit back: it is planned next turn */
        if ((rc = s_apply_results(e, rfrom, now)))
            return rc; /* with the top-up's preparation open: joined by the replay or s_busy */
        rfrom = e->nres;
    }
}

/* One planned job's inbox entry, read on either thread (tlx_dispatch_prefetch). */
static void s_prefetch_one(void *ctx, int i)
{
    tlx_engine_t *e = ctx;
    tlx_dispatch_prefetch(e->disp, i);
}

/* One write txn, grown and replayed on a full map.  0 or TLX_E*.  While
   the commit waits for its fsync, the helper reads the inbox entries of
   the queued articles the plan dispatches after it (those whose envelope
   is not held in memory: a read txn, two gets and a copy each, ~3 us on
   the engine thread per article once the queue is longer than the held
   slots); tlx_writer_turn joins after the acks, so they never wait. */
static int s_commit(tlx_engine_t *e, uint64_t now)
{
    int rc = 0;
    for (int tries = 0; tries < GROW_TRIES; tries++) {
        if ((rc = tlx_store_wbegin(e->store)) == 0 && (rc = s_apply(e, now)) == 0) {
            int planned = tlx_dispatch_planned(e->disp);
            if (planned)
                tlx_fork_start(e->fork, s_prefetch_one, e, planned);
            if ((rc = tlx_store_wcommit(e->store)) == 0)
                break;
            tlx_fork_join(e->fork); /* before a replay plans again */
        }
        tlx_store_wabort(e->store);
        if (rc != TLX_EFULL)
            break;
        int g = tlx_store_grow(e->store);
        tlx_metrics_add(e->m, TLX_M_GROWS, 1);
        tlx_log(TLX_LOG_INFO, "map full, growing", "result=%s", g ? tlx_store_errmsg(e->store) : "ok");
        if (g)
            return TLX_EFULL;
    }
    return rc;
}

/* Nothing of this turn is stored.  Producers get `busy` and will re-send;
   results stay in memory and are retried next turn. */
static void s_busy(tlx_engine_t *e, int rc)
{
    if (!e->disk_full_since)
        tlx_log(TLX_LOG_ERROR, "store not writable, answering busy", "error=\"%s\" detail=\"%s\"",
                tlx_strerror(rc), tlx_store_errmsg(e->store));
    e->disk_full_since = e->disk_full_since ? e->disk_full_since : tlx_mono_ms();
    tlx_metrics_set(e->m, TLX_G_DISK_FULL, 1);
    tlx_fork_join(e->fork); /* the acks carry the envelopes' seqs */
    for (int i = 0; i < e->nin; i++) {
        tlx_front_in_t *m = &e->in[i];
        m->status = TLX_ACK_BUSY;
        snprintf(m->detail, sizeof m->detail, "the store cannot take writes right now (%s); retry later",
                 tlx_store_errmsg(e->store)[0] ? tlx_store_errmsg(e->store) : tlx_strerror(rc));
        tlx_front_ack(e, m);
        zmq_msg_close(&m->msg);
        tlx_metrics_add(e->m, TLX_M_BUSY, 1);
    }
    e->nin = 0;
}

static void s_answer_envelopes(tlx_engine_t *e)
{
    for (int i = 0; i < e->nin; i++) {
        tlx_front_in_t *m = &e->in[i];
        if (m->status == TLX_ACK_ACCEPTED)
            tlx_metrics_add(e->m, TLX_M_ACCEPTED, 1);
        else if (m->status == TLX_ACK_DUPLICATE)
            tlx_metrics_add(e->m, TLX_M_DUPLICATE, 1);
        else {
            assert(m->status == TLX_ACK_REJECTED); /* s_apply_envelopes gave every envelope a status */
            tlx_metrics_reject(e->m, m->reason);
            tlx_log(TLX_LOG_INFO, "rejected", "reason=%s detail=\"%s\" bytes=%zu", tlx_reject_name(m->reason),
                    m->detail, zmq_msg_size(&m->msg));
        }
        tlx_front_ack(e, m);
    }
}

static void s_settle_results(tlx_engine_t *e)
{
    for (int i = 0; i < e->nres; i++) {
        tlx_link_res_t *r = &e->res[i];
        if (r->outcome == TLX_RES_STORED) {
            tlx_metrics_add(e->m, TLX_M_PROCESSED, 1);
            tlx_metrics_source(e->m, r->source, strlen(r->source), 1);
            if (e->pub) {
                char note[64 + TLX_ID_MAX];
                int n = snprintf(note, sizeof note, "committed %llu %s", (unsigned long long)r->seq,
                                 r->id ? r->id : "");
                zmq_send(e->pub, note, (size_t)n, ZMQ_DONTWAIT);
            }
        } else if (r->outcome == TLX_RES_REQUEUE) {
            tlx_metrics_add(e->m, TLX_M_FAILED, 1);
            tlx_log(TLX_LOG_WARN, "pipeline failed; will retry",
                    "inbox=%llu stage=%s reason=\"%s\" attempts=%u", (unsigned long long)r->inbox, r->stage,
                    r->reason, r->attempts);
            tlx_dispatch_push(e->disp, r->inbox, r->attempts, 0, 1);
        } else if (r->outcome == TLX_RES_DEAD) {
            tlx_metrics_add(e->m, TLX_M_FAILED, 1);
            tlx_metrics_add(e->m, TLX_M_DEAD, 1);
            tlx_log(TLX_LOG_WARN, "dead-lettered", "inbox=%llu stage=%s reason=\"%s\" attempts=%u",
                    (unsigned long long)r->inbox, r->stage, r->reason, r->attempts);
        }
        zmq_msg_close(&r->rec);
        zmq_msg_close(&r->terms);
        free(r->id);
        r->id = NULL;
    }
    e->nres = 0;
}

/* 1 when this turn's results wait for more (see LINGER_RESULTS). */
static int s_linger(tlx_engine_t *e)
{
    if (e->nin || e->nres == 0 || e->draining || e->disk_full_since || e->nres >= LINGER_RESULTS ||
        tlx_dispatch_inflight(e->disp) < LINGER_RESULTS) {
        e->linger_until = 0;
        return 0;
    }
    uint64_t now = tlx_mono_ms();
    if (!e->linger_until)
        e->linger_until = now + LINGER_MS;
    if (now < e->linger_until)
        return 1;
    e->linger_until = 0;
    return 0;
}

int tlx_writer_turn(tlx_engine_t *e)
{
    /* the reads of one turn never pass the arrays they fill */
    assert(e->nin >= 0 && e->nin <= TLX_BATCH_MAX && e->nres >= 0 && e->nres <= TLX_RES_MAX);
    /* a commit that leaves the pipeline empty writes the held document
       frequencies: nothing stays held while idle (one more commit when the
       last result came in with new envelopes) */
    bool empties = e->nin == 0 && tlx_dispatch_inflight(e->disp) == 0 && tlx_dispatch_queued(e->disp) == 0 &&
                   tlx_dispatch_overflow_after(e->disp) == 0;
    if (e->nin == 0 && e->nres == 0 &&
        (tlx_dispatch_queued(e->disp) == 0 || tlx_dispatch_credit(e->disp) == 0 || e->draining) &&
        !(empties && tlx_store_df_pending(e->store)))
        return 0;
    if (s_linger(e))
        return 0;
    uint64_t now = tlx_now_ms(), t0 = tlx_mono_ns();
    if (empties)
        tlx_store_df_flush_next(e->store);
    int rc = s_commit(e, now);
    if (rc) {
        s_busy(e, rc);
        return rc;
    }
    if (e->disk_full_since) {
        tlx_log(TLX_LOG_INFO, "store writable again", "after_ms=%llu",
                (unsigned long long)(tlx_mono_ms() - e->disk_full_since));
        e->disk_full_since = 0;
        tlx_metrics_set(e->m, TLX_G_DISK_FULL, 0);
    }
    tlx_metrics_observe(e->m, TLX_H_COMMIT, (double)(tlx_mono_ns() - t0) / 1e9);
    tlx_metrics_add(e->m, TLX_M_COMMITS, 1);

    s_answer_envelopes(e);
    s_settle_results(e);
    tlx_fork_join(e->fork);             /* the planned jobs' entries, read during the commit */
    tlx_dispatch_planned_send(e->disp); /* older articles first */
    for (int i = 0; i < e->nin; i++) {
        tlx_front_in_t *m = &e->in[i];
        if (m->status == TLX_ACK_ACCEPTED) {
            /* the committed inbox entry, from the envelope in hand */
            tlx_inbox_entry_t en = {.inbox_seq = m->out.inbox_seq,
                                    .attempts = m->dispatch ? 1 : 0,
                                    .revision = m->out.revision,
                                    .received_at = m->received_at,
                                    .id = m->out.id,
                                    .id_len = strlen(m->out.id),
                                    .env = zmq_msg_data(&m->msg),
                                    .env_len = zmq_msg_size(&m->msg)};
            const char *src = m->env.source.p ? m->env.source.p : "";
            if (m->dispatch)
                tlx_dispatch_send_entry(e->disp, &en, &m->msg, src, m->env.source.len, 0);
            else
                tlx_dispatch_push_entry(e->disp, &en, &m->msg, src, m->env.source.len);
        }
        zmq_msg_close(&m->msg);
    }
    e->nin = 0;
    tlx_dispatch_end_turn(e->disp);
    return 0;
}

void tlx_writer_discard(tlx_engine_t *e)
{
    tlx_fork_join(e->fork);
    for (int i = 0; i < e->nin; i++)
        zmq_msg_close(&e->in[i].msg);
    e->nin = 0;
    for (int i = 0; i < e->nres; i++) {
        zmq_msg_close(&e->res[i].rec);
        zmq_msg_close(&e->res[i].terms);
        free(e->res[i].id);
    }
    e->nres = 0;
}
