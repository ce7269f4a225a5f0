/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_replicate.c -- writing a read replica: records that another store
    committed, stored with the seq and revision they already carry.

    A replica (telexd --role replica) receives the primary's committed
    records in feed order (over NATS JetStream, worker/tlx_replica.c) and
    must answer get/list/query/tail/export exactly like the primary.  So it
    stores each record byte for byte under the primary's article seq, with
    the same ids entry, the same index keys (newest revision only) and a
    feed entry of its own; the enrich-side state (dedup keys, fingerprint
    bands, learned statistics) stays on the primary, and so do the raw
    envelopes (meta "replica" tells `telex verify` not to expect them).

    Rejected: re-running the pipeline on the replica from the raw envelope
    (the replica would need the primary's learned statistics at that very
    moment to produce the same record; copying the result is exact and
    cheap).
*/
#include "store_int.h"
#include "tlx_store.h"

#include <string.h>

int tlx_store_replicate(tlx_store_t *self, const void *record, size_t len, bool *stored)
{
    *stored = false;
    if (!self->txn)
        return TLX_EINVAL;
    uint64_t seq, rev;
    const char *id;
    size_t idl;
    if (tlx_store__record_head(record, len, &seq, &id, &idl, &rev) != 0 || seq == 0 || rev == 0 ||
        rev > UINT32_MAX || idl == 0 || idl > TLX_ID_MAX)
        return TLX_EMALFORMED;
    if (seq < self->next.article)
        return 0; /* already here: a re-delivery */
    char idbuf[TLX_ID_MAX];
    memcpy(idbuf, id, idl); /* `record` is the caller's; but keep one copy for all the puts */
    uint8_t skey[8];
    s_be64(skey, seq);
    MDB_val sk = {8, skey}, av = {len, (void *)record};
    int rc =
        tlx_store__mdb(self, mdb_put(self->txn, self->dbi[DB_ARTICLES], &sk, &av, MDB_APPEND), "article put");
    if (rc)
        return rc;
    /* indexes: as tlx_store_commit_record, newest revision only */
    uint64_t old_seq = 0;
    uint32_t old_rev = 0;
    tlx_store__latest(self, self->txn, idbuf, idl, 0, &old_seq, &old_rev);
    if (old_rev <= rev) {
        if (old_seq && (rc = tlx_store__index(self, old_seq, NULL, 0, 0)))
            return rc;
        if ((rc = tlx_store__index(self, seq, record, len, 1)))
            return rc;
    }
    uint8_t idv[12];
    s_be64(idv, seq);
    idv[8] = (uint8_t)(rev >> 24);
    idv[9] = (uint8_t)(rev >> 16);
    idv[10] = (uint8_t)(rev >> 8);
    idv[11] = (uint8_t)rev;
    MDB_val idk = {idl, idbuf}, idval = {12, idv};
    if ((rc = tlx_store__mdb(self, mdb_put(self->txn, self->dbi[DB_IDS], &idk, &idval, 0), "ids put")))
        return rc;
    uint8_t fkey[8];
    s_be64(fkey, self->next.feed);
    MDB_val fk = {8, fkey}, fv = {8, skey};
    if ((rc = tlx_store__mdb(self, mdb_put(self->txn, self->dbi[DB_FEED], &fk, &fv, MDB_APPEND), "feed put")))
        return rc;
    uint8_t one[8];
    s_be64(one, 1);
    MDB_val mk = {7, "replica"}, mv = {8, one};
    if ((rc = tlx_store__mdb(self, mdb_put(self->txn, self->dbi[DB_META], &mk, &mv, 0), "meta put")))
        return rc;
    self->next.article = seq + 1;
    self->next.feed++;
    *stored = true;
    tlx_store__map_tick(self, 1);
    return 0;
}

int tlx_store_cursor_put(tlx_store_t *self, const char *group, uint64_t val)
{
    size_t gl = strlen(group);
    if (!self->txn || gl == 0 || gl > 255)
        return TLX_EINVAL;
    uint8_t b[8];
    s_be64(b, val);
    MDB_val k = {gl, (void *)group}, v = {8, b};
    return tlx_store__mdb(self, mdb_put(self->txn, self->dbi[DB_CURSORS], &k, &v, 0), "cursor put");
}

int tlx_store_feed_head(tlx_store_t *self, uint64_t *last)
{
    *last = 0;
    MDB_txn *rt;
    int rc = tlx_store__rbegin(self, &rt);
    if (rc)
        return rc;
    MDB_cursor *cur;
    if ((rc = tlx_store__mdb(self, mdb_cursor_open(rt ? rt : self->txn, self->dbi[DB_FEED], &cur),
                             "cursor")) == 0) {
        MDB_val k, v;
        if (mdb_cursor_get(cur, &k, &v, MDB_LAST) == 0 && k.mv_size == 8)
            *last = s_get_be64(k.mv_data);
        mdb_cursor_close(cur);
    }
    tlx_store__rend(self, rt);
    return rc;
}
