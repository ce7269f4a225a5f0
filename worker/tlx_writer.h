/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_writer.h -- telexd's writer: one turn's inputs applied in one LMDB
    write txn (group commit), answered only after the commit.

    A turn: enrich results become records (or retries, or dead letters),
    the dispatcher's plan raises attempt counters, new envelopes go to
    dedup + inbox (or rejects); then one commit; then acks, "committed"
    notifications on the PUB socket, and jobs.  On MDB_MAP_FULL the txn is
    aborted, the map grown and the same inputs applied again (the apply is
    a pure function of the inputs and the store).  When the store cannot
    take writes at all, producers get `busy` and results stay in memory for
    the next turn.  Engine thread only.
*/
#ifndef TLX_WRITER_H
#define TLX_WRITER_H

#include "tlx_engine.h"

/*  Binds the PUB socket for "committed <seq> <id>" (cfg->notify; "" = ipc
    in the store directory, "none" = off).  Failing to bind only warns. */
void tlx_writer_open_notify(tlx_engine_t *e);

/*  Checks the records of this turn's results e->res[0..nres)
    (tlx_store_record_precheck), then decodes and hashes (the dedup hash)
    its envelopes e->in[0..nin), which tlx_front_recv read, on the helper
    thread (e->fork) while this thread applies them: tlx_writer_turn waits
    for each before it applies it.  Joins a batch a turn that waited for
    more results left open.  Without a helper it does the work now. */
void tlx_writer_prepare(tlx_engine_t *e);

/*  Applies and commits e->in[0..nin) and e->res[0..nres), then answers
    and dispatches; empties both.  Returns 0, or the TLX_E* code of a
    commit that failed (producers were answered busy, results are kept). */
int tlx_writer_turn(tlx_engine_t *e);

/*  Frees what is left of a turn (shutdown). */
void tlx_writer_discard(tlx_engine_t *e);

#endif
