/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_dead.c -- dead letters: list and replay (see tlx_store.h).

    A replay moves the dead entry back into the inbox under its original
    inbox seq (so no counter owned by telexd is touched, and the envelope
    of a schema-2 entry, envelopes[seq], stays where it is) with attempts 0,
    and bumps meta "replay_gen"; telexd notices the bump within a second
    and rescans its inbox.  When telexd is not running, its next start
    finds the entry anyway.  The write is an ordinary LMDB write txn,
    serialized with telexd's writer by LMDB's lock.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "tlx_mp.h"

/* Finds the inbox value (bin "entry") and stage/reason in a dead value. */
int tlx_store__parse_dead(const void *val, size_t len, tlx_dead_t *out)
{
    memset(out, 0, sizeof *out);
    tlx_mp_t c;
    tlx_mp_init(&c, val, len);
    uint32_t n;
    if (tlx_mp_read_map(&c, &n))
        return TLX_EMALFORMED;
    for (uint32_t i = 0; i < n; i++) {
        const char *k;
        size_t kl;
        if (tlx_mp_read_str(&c, &k, &kl))
            return TLX_EMALFORMED;
        tlx_mp_item_t it;
        if (tlx_mp_next(&c, &it))
            return TLX_EMALFORMED;
        if (tlx_mp_streq(k, kl, "at") && it.type == TLX_MP_UINT)
            out->at = it.v.u;
        else if (tlx_mp_streq(k, kl, "stage") && it.type == TLX_MP_STR)
            out->stage = (const char *)it.ptr, out->stage_len = (size_t)it.len;
        else if (tlx_mp_streq(k, kl, "reason") && it.type == TLX_MP_STR)
            out->reason = (const char *)it.ptr, out->reason_len = (size_t)it.len;
        else if (tlx_mp_streq(k, kl, "entry") && it.type == TLX_MP_BIN)
            out->entry = it.ptr, out->entry_len = (size_t)it.len;
        else if (it.type == TLX_MP_ARRAY || it.type == TLX_MP_MAP)
            return TLX_EMALFORMED;
    }
    if (!out->entry)
        return TLX_EMALFORMED;
    return tlx_store__parse_inbox(0, out->entry, out->entry_len, &out->inbox);
}

int tlx_store_dead_list(tlx_store_t *self, int (*fn)(void *ctx, const tlx_dead_t *d), void *ctx)
{
    MDB_txn *rt;
    int rc = tlx_store__rbegin(self, &rt);
    if (rc)
        return rc;
    MDB_cursor *cur;
    mdb_cursor_open(rt ? rt : self->txn, self->dbi[DB_DEAD], &cur);
    MDB_val k, v;
    for (int op = MDB_FIRST; !rc && mdb_cursor_get(cur, &k, &v, op) == 0; op = MDB_NEXT) {
        tlx_dead_t d;
        if (k.mv_size != 8 || tlx_store__parse_dead(v.mv_data, v.mv_size, &d))
            continue; /* `telex verify` reports undecodable entries */
        d.inbox.inbox_seq = d.inbox_seq = s_get_be64(k.mv_data);
        if (tlx_store__inbox_env(self, rt ? rt : self->txn, &d.inbox))
            continue; /* a "TXI2" entry whose envelope is gone: `telex verify` reports it */
        rc = fn(ctx, &d);
    }
    mdb_cursor_close(cur);
    tlx_store__rend(self, rt);
    return rc;
}

int tlx_store_dead_replay(tlx_store_t *self, const char *id, uint64_t *count)
{
    *count = 0;
    int rc = tlx_store_wbegin(self);
    if (rc)
        return rc;
    MDB_cursor *cur;
    mdb_cursor_open(self->txn, self->dbi[DB_DEAD], &cur);
    MDB_val k, v;
    int op = MDB_FIRST;
    while (!rc && mdb_cursor_get(cur, &k, &v, op) == 0) {
        op = MDB_NEXT;
        tlx_dead_t d;
        if (k.mv_size != 8 || tlx_store__parse_dead(v.mv_data, v.mv_size, &d))
            continue;
        if (id && (d.inbox.id_len != strlen(id) || memcmp(d.inbox.id, id, d.inbox.id_len) != 0))
            continue;
        /* copy the entry out of the page before writing, reset its attempts */
        uint8_t *entry = malloc(d.entry_len);
        if (!entry) {
            rc = TLX_ENOMEM;
            break;
        }
        memcpy(entry, d.entry, d.entry_len);
        memset(entry + 4, 0, 4);
        uint8_t key[8];
        memcpy(key, k.mv_data, 8);
        MDB_val ik = {8, key}, iv = {d.entry_len, entry};
        rc = tlx_store__mdb(self, mdb_put(self->txn, self->dbi[DB_INBOX], &ik, &iv, 0), "inbox put");
        free(entry);
        if (!rc) /* its counter is the entry's own again */
            rc = tlx_store__att_set(self, s_get_be64(key), 0);
        if (!rc)
            rc = tlx_store__mdb(self, mdb_cursor_del(cur, 0), "dead del");
        if (!rc)
            (*count)++;
        /* after mdb_cursor_del, MDB_NEXT yields the entry that followed the deleted one */
    }
    mdb_cursor_close(cur);
    if (!rc && *count) {
        uint64_t gen = 0;
        MDB_val gk = {10, "replay_gen"}, gv;
        if (mdb_get(self->txn, self->dbi[DB_META], &gk, &gv) == 0 && gv.mv_size == 8)
            gen = s_get_be64(gv.mv_data);
        uint8_t b[8];
        s_be64(b, gen + 1);
        gv.mv_size = 8;
        gv.mv_data = b;
        rc = tlx_store__mdb(self, mdb_put(self->txn, self->dbi[DB_META], &gk, &gv, 0), "meta put");
    }
    if (rc) {
        tlx_store_wabort(self);
        *count = 0;
        return rc;
    }
    return tlx_store_wcommit(self);
}

int tlx_store_meta_get(tlx_store_t *self, const char *key, uint64_t *val)
{
    *val = 0;
    MDB_txn *rt;
    int rc = tlx_store__rbegin(self, &rt);
    if (rc)
        return rc;
    MDB_val k = {strlen(key), (void *)key}, v;
    if (mdb_get(rt ? rt : self->txn, self->dbi[DB_META], &k, &v) == 0 && v.mv_size == 8)
        *val = s_get_be64(v.mv_data);
    tlx_store__rend(self, rt);
    return 0;
}
