/* SPDX-License-Identifier: Apache-2.0 */
/*  store_int.h -- internals shared by the store's source files (not
    installed, not API): the DB table, the handle, byte-order helpers. */
#ifndef TLX_STORE_INT_H
#define TLX_STORE_INT_H

#include <lmdb.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include "tlx_dfpend.h"
#include "tlx_endian.h"
#include "tlx_index.h"
#include "tlx_store.h"

enum {
    DB_ARTICLES,
    DB_IDS,
    DB_RAW,
    DB_INBOX,
    DB_DEDUP,
    DB_FEED,
    DB_CURSORS,
    DB_DEAD,
    DB_REJECTS,
    DB_STATS,
    DB_SIMHASH,
    DB_IDX_ENTITY,
    DB_IDX_TAG,
    DB_IDX_SOURCE,
    DB_IDX_DAY,
    DB_META,
    DB_ENVELOPES, /* schema 2; absent from a schema-1 store opened read-only (has_envelopes) */
    DB__COUNT
};

#define INBOX_HDR 24       /* "TXI1"/"TXI2" attempts revision idlen received_at (LE) */
#define RAW_REF 9          /* a `raw` value naming the envelope's inbox seq: msgpack uint 64 (0xcf + BE) */
#define ATT_KEY "attempts" /* meta key of the raised attempt counters (SCHEMA.md) */
#define ATT_REC 12         /* meta "attempts": inbox seq (u64 BE) + attempts (u32 BE) per entry */
#define RHASH 16           /* dedup: the first bytes of SHA-256(id NUL text), T keys and R values */
#define RHASH_MAX 16       /* text hashes an R value holds; past that the id's texts are T keys */
#define REJECT_RAW_MAX (64u << 10)
#define REJECTS_KEEP 10000

typedef struct {
    uint64_t inbox, reject, article, feed;
} counters_t;

/* An index write of the open batch, applied at its commit (tlx_store.c,
   "index writes"): the key is ipool[off, off + len). */
typedef struct {
    uint64_t seq;
    uint32_t off, order; /* order: the batch's sequence, kept among equal (kind, key, seq) */
    uint16_t len;
    uint8_t kind, add;
} idx_op_t;

struct tlx_store {
    MDB_env *env;
    MDB_dbi dbi[DB__COUNT];
    MDB_txn *txn;       /* open write batch or NULL */
    bool has_envelopes; /* the `envelopes` DB exists (every schema-2 store; SCHEMA.md) */
    counters_t next, saved;
    /* the open batch's copy of meta "attempts" (SCHEMA.md): ATT_REC-byte
       records sorted by inbox seq, read at its first use in the batch */
    uint8_t *att;
    size_t att_n, att_cap; /* records, room (records) */
    bool att_loaded, att_dirty;
    tlx_store_opts_t opts;
    char dir[4096];
    char errmsg[512];
    tlx_index_key_t keys[TLX_INDEX_MAX_KEYS];     /* scratch for s_index */
    tlx_index_key_t rec_keys[TLX_INDEX_MAX_KEYS]; /* the committed record's, from its check */
    idx_op_t *iop;                                /* the batch's index writes, in call order */
    size_t iop_n, iop_cap;
    char *ipool; /* their keys */
    size_t ipool_n, ipool_cap;
    /* bounded mapped pages (tlx_store_set_map_resident_max) */
    int statm_fd;          /* /proc/self/statm, or -1 */
    size_t map_floor;      /* file-backed resident bytes right after the last let-go */
    uint64_t map_drops;    /* let-goes since open */
    unsigned map_tick;     /* calls since the last check (tlx_store__map_tick) */
    MDB_cursor *inbox_cur; /* the open batch's cursor on `inbox` (tlx_store_commit_record), or NULL */
    tlx_dfpend_t *df;      /* document-frequency increments of the open batch */
    tlx_dfpend_t *df_held; /* of committed batches, not written yet (opts.df_flush_ms) */
    tlx_dfpend_t *df_out;  /* held counts being written a slice per commit (opts.df_flush_terms) */
    size_t df_out_at;      /* df_out's terms before this (byte order) are written */
    int df_plan;           /* what the open commit writes (DF_* in tlx_store.c) */
    size_t df_plan_n;      /* terms of its slice */
    uint64_t df_flushed;   /* monotonic ms of the last write of the held counts */
    bool df_force;         /* the next commit writes them whatever the time */
    /* threads: readers of this process hold map_lock shared for a read
       txn; tlx_store_grow holds it exclusive around the remap */
    pthread_rwlock_t map_lock;
    pthread_t wtid;  /* the thread that last opened a write batch */
    bool has_writer; /* wtid is set */
    int lock_fd;     /* the owner's flock'ed telexd.lock, or -1 */
    dev_t dir_dev;   /* the directory, registered as open in this process */
    ino_t dir_ino;
    bool registered;   /* dir_dev/dir_ino are in the process's open list */
    char ident[33];    /* the store's identity (hex), owners only */
    bool write_marker; /* open: the marker is missing; write it after the commit */
    /* page cache warming ahead of the file's end (owners; s_warm): the
       writer extends the file and asks, the warming thread reads */
    uint64_t warm_upto;         /* bytes of data.mdb extended and asked for (the writer's) */
    uint64_t size_open;         /* data.mdb's size when the warming began (restored at close) */
    bool warmed;                /* the file was extended past its used pages */
    bool warm_off;              /* not here: an in-memory filesystem, or warming failed (atomic) */
    bool warm_started;          /* warm_thread runs */
    bool warm_stop;             /* under warm_mu: the thread ends */
    int warm_fd;                /* data.mdb */
    uint64_t warm_pos, warm_to; /* under warm_mu: [warm_pos, warm_to) is still to be read */
    pthread_t warm_thread;
    pthread_mutex_t warm_mu;
    pthread_cond_t warm_cv;
};

/* Checks the mapped-pages bound every `every` calls (see tlx_store.h). */
void tlx_store__map_tick(tlx_store_t *self, unsigned every);

/* Short names for the store's fixed layouts (tlx_endian.h does the work). */
static inline void s_be64(uint8_t *p, uint64_t v)
{
    tlx_put_be(p, v, 8);
}

static inline uint64_t s_get_be64(const void *q)
{
    return tlx_get_be(q, 8);
}

static inline void s_le32(uint8_t *p, uint32_t v)
{
    tlx_put_le(p, v, 4);
}

static inline uint32_t s_get_le32(const uint8_t *p)
{
    return (uint32_t)tlx_get_le(p, 4);
}

static inline void s_le64(uint8_t *p, uint64_t v)
{
    tlx_put_le(p, v, 8);
}

static inline uint64_t s_get_le64(const uint8_t *p)
{
    return tlx_get_le(p, 8);
}

/* Maps an LMDB code to a TLX code, remembering the message. */
int tlx_store__mdb(tlx_store_t *self, int rc, const char *what);
/* A short read txn (NULL when this thread has the write batch open: use
   self->txn); end it with tlx_store__rend (releases the map lock). */
int tlx_store__rbegin(tlx_store_t *self, MDB_txn **txn);
void tlx_store__rend(tlx_store_t *self, MDB_txn *rt);
/* The newest revision (rev == 0) or revision `rev` of an id: seq and revision. */
int tlx_store__latest(tlx_store_t *self, MDB_txn *txn, const char *id, size_t id_len, uint32_t rev,
                      uint64_t *seq, uint32_t *found_rev);
/* Adds (add = 1) the index entries of `record` stored as `seq`, or removes
   (add = 0) those of the stored article `seq`.  Inside the write batch. */
int tlx_store__index(tlx_store_t *self, uint64_t seq, const void *record, size_t len, int add);
/* Reads "seq", "id" (borrowed from rec), "revision" of a record; 0 or
   TLX_EMALFORMED. */
int tlx_store__record_head(const void *rec, size_t len, uint64_t *seq, const char **id, size_t *idl,
                           uint64_t *rev);
/* Sets (attempts > 0) or drops (0) the raised attempt counter of inbox
   entry `seq` (meta "attempts") in the open batch.  0, or TLX_ENOMEM /
   TLX_ETOOBIG (the table is full: the caller rewrites the entry instead). */
int tlx_store__att_set(tlx_store_t *self, uint64_t seq, uint32_t attempts);
/* Parses an inbox value (SCHEMA.md): a "TXI1" entry holds its envelope
   (e->env points into data), a "TXI2" entry's is envelopes[seq] (e->env is
   NULL: tlx_store__inbox_env finds it). */
int tlx_store__parse_inbox(uint64_t seq, const void *data, size_t len, tlx_inbox_entry_t *e);
/* Parses a dead letter's value (SCHEMA.md): stage, reason, the inbox
   entry (out->inbox without its envelope when "TXI2").  0 or TLX_EMALFORMED. */
int tlx_store__parse_dead(const void *val, size_t len, tlx_dead_t *out);
/* 1 when the inbox value is a "TXI2" entry (its envelope in `envelopes`). */
static inline bool tlx_store__inbox_v2(const void *data, size_t len)
{
    return len >= INBOX_HDR && memcmp(data, "TXI2", 4) == 0;
}
/* Points e->env at the envelope of a parsed "TXI2" entry (envelopes[e->inbox_seq])
   as txn sees it; nothing for a "TXI1" entry.  0, TLX_ECORRUPT (missing) or TLX_ESTORE. */
int tlx_store__inbox_env(tlx_store_t *self, MDB_txn *txn, tlx_inbox_entry_t *e);
/* The envelope accepted under inbox seq `iseq` (the `envelopes` DB), as
   txn sees it: 0, MDB_NOTFOUND (also when the store has no such DB), or
   another LMDB error.  Callers name what a missing one means. */
int tlx_store__envelope(const tlx_store_t *self, MDB_txn *txn, uint64_t iseq, MDB_val *v);
/* Reads a `raw` value: the envelope itself (a msgpack map), or a reference
   (RAW_REF bytes) whose inbox seq goes to *ref (0 for an inline envelope).
   1 when the value is a reference. */
static inline int tlx_store__raw_ref(const void *data, size_t len, uint64_t *ref)
{
    const uint8_t *p = data;
    *ref = 0;
    if (len != RAW_REF || p[0] != 0xcf)
        return 0;
    *ref = tlx_get_be(p + 1, 8);
    return 1;
}
/* Writes the `raw` reference to inbox seq `iseq` into r[0..RAW_REF). */
static inline void tlx_store__raw_ref_put(uint8_t *r, uint64_t iseq)
{
    r[0] = 0xcf;
    tlx_put_be(r + 1, iseq, 8);
}

#endif
