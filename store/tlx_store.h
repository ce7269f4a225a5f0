/* SPDX-License-Identifier: Apache-2.0 */
/*  tlx_store.h -- the telex LMDB store: schema, writer operations, reader API.

    One LMDB environment (a directory holding data.mdb and lock.mdb) with
    the named databases of store/SCHEMA.md.  Two kinds of users:

    WRITER (telexd's writer thread, exactly one per store): brackets a batch
    of operations with tlx_store_wbegin() / tlx_store_wcommit().  Any
    operation may return TLX_EFULL (LMDB map full): the caller aborts with
    tlx_store_wabort(), calls tlx_store_grow() and replays the whole batch
    (operations are deterministic given the store state).  TLX_EIO from
    tlx_store_wcommit() with errno ENOSPC means the disk is full: nothing of
    the batch is stored; retry later.

    READERS (any thread or process, any number): every reader call opens
    its own short read transaction and ends it before returning, so readers
    never pin old pages across batches and never block the writer.  Data
    handed to callbacks is borrowed from the map and valid only during the
    callback; data returned through out-pointers is a malloc'd copy.

    Errors: 0 or TLX_ENOTFOUND, TLX_ESTORE (LMDB error; message in the
    store's last error), TLX_ECORRUPT (a damaged file or page: LMDB's
    MDB_CORRUPTED, MDB_PAGE_NOTFOUND, MDB_INVALID), TLX_EBUSY, TLX_ESCHEMA, TLX_EFULL, TLX_EIO, TLX_ENOMEM,
    TLX_EINVAL.  After fork(), open the store again in the child (lmdb.h).

    THREADS.  A handle may be shared by any number of threads (the
    environment is opened MDB_NOTLS; each reader call uses its own read
    txn, except on the writer's thread inside its batch, where it reads the
    batch; tlx_store_grow waits for this process's read txns to end);
    tlx_store_errmsg() is then only meaningful to the thread that saw the
    error.  The writer functions (wbegin ... wcommit, grow,
    accept, reject, commit_record, dead, cursor_set, dead_replay) must be
    called by one thread at a time per handle.  Never open the same store
    twice in one process (an LMDB rule): share the handle.

    A MINIMAL READER
        tlx_store_opts_t o; tlx_store_opts_default(&o); o.read_only = true;
        char err[512]; tlx_store_t *st;
        if (tlx_store_open("./telex-data", &o, &st, err, sizeof err)) { puts(err); exit(2); }
        tlx_store_feed(st, 0, 0, on_record, NULL, NULL);   // every record, feed order
        tlx_store_close(&st);
    store/examples/reader.c is the complete program.
*/
#ifndef TLX_STORE_H
#define TLX_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "tlx_error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TLX_SCHEMA_VERSION 2 /* written by this release (store/SCHEMA.md) */
#define TLX_SCHEMA_OLDEST 1  /* the oldest it reads (an owner's open upgrades it) */
#define TLX_ID_MAX 4096

typedef struct tlx_store tlx_store_t;

typedef struct {
    size_t map_size;         /* initial map size in bytes; default 1 GiB; grows on demand */
    size_t map_max;          /* never grow beyond this; default 1 TiB */
    bool read_only;          /* readers: never create, never write */
    bool no_create;          /* writable, but fail if the store does not exist (consumers' cursors) */
    unsigned max_readers;    /* default 126 */
    size_t map_resident_max; /* let go of mapped store pages past this many resident bytes; 0 = never
                                (the default: readers keep what they map) */
    int assert_exit;         /* LMDB found a damaged page by an internal assertion: the reason is printed
                                on stderr, then exit(assert_exit) (command-line readers: 1); 0 = abort() */
    unsigned df_flush_ms;    /* document-frequency counts of committed batches are held in memory and
                                written at most this often (and at close); 0 = with every commit (the
                                default).  A crash loses the held counts, never a record. */
    unsigned df_flush_terms; /* with df_flush_ms: the held counts are written at most this many terms
                                per commit, in byte order, over the next commits, so that no single
                                commit (and the acks that wait for it) carries all of them; 0 = all at
                                once.  Closing, tlx_store_df_flush_next and a table past a bound
                                write the rest at once. */
} tlx_store_opts_t;

void tlx_store_opts_default(tlx_store_opts_t *opts);

/*  Opens (and unless read_only creates, mode 0700/0600) the store in `dir`.
    Runs mdb_reader_check() to clear slots of dead readers.  Checks the
    schema version.  On failure returns the code and writes a sentence such
    as "cannot open store ./telex-data: Permission denied" to err.

    An OWNER open (neither read_only nor no_create: telexd) first takes an
    exclusive lock on DIR/telexd.lock, held until tlx_store_close; a second
    owner gets TLX_EBUSY and "store DIR is in use by pid N".  An owner
    creates a store only where there is none: DIR/telex.store, written
    when the store is created, names its identity (also in meta), so a
    data.mdb that is missing beside it, or another store's, is refused
    (TLX_ECORRUPT) instead of being replaced by an empty store.
    Every open refuses (TLX_ECORRUPT) an empty data.mdb and one shorter
    than the pages its meta page uses (cut short: reading it would be a
    SIGBUS), before any page is read.
    A store already open in this process is refused (TLX_EBUSY, "already
    open in this process"): LMDB corrupts its lock state when one process
    opens an environment twice.
    Caller owns *out; free with tlx_store_close(). */
int tlx_store_open(const char *dir, const tlx_store_opts_t *opts, tlx_store_t **out, char *err, size_t errsz);

/*  Closes the store; nulls *self_p; safe twice.  Aborts an open write batch. */
void tlx_store_close(tlx_store_t **self_p);

/*  The last LMDB / OS error message of this handle (borrowed). */
const char *tlx_store_errmsg(const tlx_store_t *self);

/*  Clears reader slots left by dead processes; returns how many. */
int tlx_store_reader_check(tlx_store_t *self);

/*  Bounded mapped pages.  Every page of data.mdb this process reads stays
    mapped, and so counts in its RSS, until the map goes: a writer that runs
    for weeks over a store of many GB would show all of it.  With
    opts.map_resident_max set, the store lets go of its mapped pages
    (madvise MADV_DONTNEED on LMDB's read-only shared map) whenever the
    process's file-backed resident pages pass the bytes they held after the
    last let-go (libraries, models) plus map_resident_max.  It checks inside
    its own loops: after each commit_record, every few accepts and inbox
    reads, every few hundred steps of a scan; so the bound holds within one
    group commit, not only between them.  Why within: on Linux a fault on a
    file mapping maps up to 16 neighbouring pages as well (fault-around), so
    a commit of a few dozen articles with random index updates maps tens of
    MB.  Nothing is lost: LMDB writes with pwrite, so the map holds no
    private data, and a page read again comes back from the page cache (a
    minor fault, ~1 us).  Not thread-safe: call from the thread that writes
    (it finds the map in /proc/self/maps at each let-go, so a map that moved
    after a resize is never mistaken for another mapping). */
void tlx_store_set_map_resident_max(tlx_store_t *self, size_t bytes);

/*  Checks the bound now (the daemon calls it when idle); returns 1 when
    pages were let go. */
int tlx_store_map_check(tlx_store_t *self);

/*  How many times pages were let go since open. */
uint64_t tlx_store_map_drops(const tlx_store_t *self);

/* ------------------------------------------------------------------ */
/* Writer                                                              */

typedef struct {
    const char *id; /* external id, or NULL: then id = hex of the text hash */
    size_t id_len;
    const char *text; /* raw text as received (for the dedup hash) */
    size_t text_len;
    const void *raw; /* the whole envelope frame */
    size_t raw_len;
    uint64_t received_at; /* Unix ms */
    uint32_t attempts;    /* initial attempt count (1 when dispatched right after this commit) */
    /* NULL, or tlx_store_dedup_hash() of this article's id as stored
       (tlx_store_article_id) and text, computed beforehand
       (telexd hashes on another thread while its writer thread applies the
       rest of the turn).  Trusted as given: a wrong hash is a wrong dedup
       answer. */
    const uint8_t *dedup_hash;
} tlx_accept_in_t;

#define TLX_STORE_DEDUP_HASH_BYTES 32

/*  The dedup hash tlx_store_accept() keeps for an article: SHA-256 of the
    id, a NUL and the text.  `id` is the id as stored (id_len bytes, no NUL
    inside; the text id for an envelope without one).  Pure, thread-safe. */
void tlx_store_dedup_hash(const char *id, size_t id_len, const char *text, size_t text_len,
                          uint8_t out[TLX_STORE_DEDUP_HASH_BYTES]);

typedef struct {
    bool duplicate;
    uint64_t inbox_seq; /* 0 for duplicates */
    uint32_t revision;
    char id[TLX_ID_MAX + 1];
} tlx_accept_out_t;

typedef struct {
    uint64_t inbox_seq;
    uint32_t attempts, revision;
    uint64_t received_at;
    const char *id; /* borrowed: see tlx_store_inbox_get and _scan */
    size_t id_len;
    const void *env; /* the envelope frame */
    size_t env_len;
} tlx_inbox_entry_t;

int tlx_store_wbegin(tlx_store_t *self);
int tlx_store_wcommit(tlx_store_t *self);
/*  The next commit also writes the document-frequency counts held under
    opts.df_flush_ms, whatever the interval: telexd asks for it when that
    commit empties its pipeline, so an idle store holds none. */
void tlx_store_df_flush_next(tlx_store_t *self);
/*  Distinct terms whose document-frequency counts are committed but not
    written yet (held under opts.df_flush_ms): an idle telexd that holds
    some commits once more (tlx_store_df_flush_next) to write them. */
size_t tlx_store_df_pending(const tlx_store_t *self);
void tlx_store_wabort(tlx_store_t *self);

/*  The id telex assigns to an article without an external id: the first 16
    hex digits of SHA-256(text).  out must hold 17 bytes. */
void tlx_store_text_id(const char *text, size_t len, char *out);

/*  The id tlx_store_accept() stores for an article: the external id (id,
    id_len) up to its first NUL, or, when there is none, the text id
    (tlx_store_text_id), written into text_id.  Returns it and sets *len;
    NULL when id_len > TLX_ID_MAX (tlx_store_accept: TLX_ETOOBIG).  Pure,
    thread-safe. */
const char *tlx_store_article_id(const char *id, size_t id_len, const char *text, size_t text_len,
                                 char text_id[17], size_t *len);

/*  Doubles the map (bounded by map_max).  Only between batches.
    TLX_EFULL when already at map_max. */
int tlx_store_grow(tlx_store_t *self);

/*  Dedup, then (if new) writes the envelope once, into `envelopes` under
    its new inbox seq, beside a "TXI2" inbox entry (store/SCHEMA.md).  A
    duplicate (the same id with the same text; the producer and its seq
    decide nothing) sets out->duplicate and out->id and writes nothing. */
int tlx_store_accept(tlx_store_t *self, const tlx_accept_in_t *in, tlx_accept_out_t *out);

/*  Records a rejected frame: reason name, detail, and at most 64 KiB of the
    raw bytes.  Keeps the newest 10,000 rejects. */
int tlx_store_reject(tlx_store_t *self, const char *reason, const char *detail, const void *raw,
                     size_t raw_len, uint64_t now_ms);

/*  Sets the attempt counter of an inbox entry (inside the write batch).
    A raised counter is kept in meta "attempts" (SCHEMA.md), not written
    into the entry with its envelope; tlx_store_inbox_get, _scan and the
    dead letters report the counter as set. */
int tlx_store_inbox_set_attempts(tlx_store_t *self, uint64_t inbox_seq, uint32_t attempts);

/*  Reads an inbox entry inside the open write batch, or in a short read
    txn when none is open.  *copy receives a malloc'd buffer holding the
    whole value; e's pointers point into it.  Caller frees *copy. */
int tlx_store_inbox_get(tlx_store_t *self, uint64_t inbox_seq, tlx_inbox_entry_t *e, void **copy);

/*  Calls fn for every inbox entry with inbox seq > `after`, in order
    (startup recovery, refilling the dispatch queue).  The entry's pointers
    are borrowed for the call.  fn returns non-zero to stop; that value is
    returned. */
int tlx_store_inbox_scan(tlx_store_t *self, uint64_t after, int (*fn)(void *ctx, const tlx_inbox_entry_t *e),
                         void *ctx);

/*  A record's check done ahead of its commit, on any thread
    (tlx_store_record_precheck).  Opaque to the caller except `ok`. */
#define TLX_PRECHECK_KEYS_BYTES 1024
typedef struct {
    int ok; /* 1: passed every check but the inbox entry's id and revision, with its index keys kept */
    const void *record;
    size_t len;
    size_t id_vs, id_len; /* the span of the record's one "id" value */
    int has_rev;          /* a "revision" field, its value: */
    uint64_t revision;
    int has_source; /* the first "source" str */
    size_t source_vs, source_len;
    int has_near; /* the span of the first "near_duplicate_of" value */
    size_t near_vs, near_ve;
    int nkeys; /* index keys, packed in keys[0..keys_len) */
    size_t keys_len;
    uint8_t keys[TLX_PRECHECK_KEYS_BYTES];
} tlx_record_checked_t;

/*  Runs tlx_store_commit_record's record check on `record` (without a
    store, a txn or the inbox entry: callable on any thread) and keeps its
    findings in *out for the commit, which then compares only the id and
    revision with the inbox entry's (hints->checked).  out->ok is 0 for a
    record that fails any check, has more than one "id" or "revision", or
    whose index keys do not fit in out->keys: its commit checks it all
    again, and a failure gets the same reason as without the precheck.
    The record's bytes must stay where they are until the commit. */
void tlx_store_record_precheck(const void *record, size_t len, tlx_record_checked_t *out);

/*  Fingerprints computed by the enrich stage for the writer (all optional:
    has_fp == false skips duplicate detection).  Bands and thresholds come
    from worker/text/tlx_simhash.h so the store needs no text code. */
typedef struct {
    bool has_fp;
    uint8_t sha256[32];  /* of the clean body: exact duplicates */
    uint64_t simhash;    /* index hash; 0 = empty body */
    uint64_t shingle;    /* verification hash */
    uint8_t bands[4][3]; /* band keys of simhash */
    unsigned near_max;   /* max Hamming distance of simhash */
    unsigned verify_max; /* max Hamming distance of shingle */
    const char *terms;   /* document-frequency terms, each NUL-terminated, or NULL (not sampled) */
    size_t terms_len;
    const uint64_t *line_keys; /* the article's candidate line keys (worker/text/tlx_boiler.h); NULL: */
    size_t nline_keys;         /* not counted at all; else at most TLX_LINES_PER_ARTICLE are counted */
    const tlx_record_checked_t *checked; /* the record's precheck, or NULL: the commit checks it */
} tlx_commit_hints_t;

/*  Stores the processed record for an inbox entry in one step: article
    (with "seq" added and "near_duplicate_of" set when an earlier article
    has the same body or is within the simhash thresholds, MDB_APPEND),
    ids, raw (a reference to the envelope the accept wrote; a "TXI1" entry
    of a version-1 store: the envelope itself), feed entry, indexes (written
    at the batch's commit), fingerprint bands; deletes the inbox entry.
    `record` is a msgpack map without "seq" (as packed by
    tlx_record_pack).  hints may be NULL.  For the first revision of an
    id with a non-empty "source", when hints->line_keys is set (even with
    no keys), counts the article and its line keys in the source's line
    statistics (see tlx_store_lines_scan).  Returns the article seq in
    *seq_out.  TLX_ENOTFOUND if the inbox entry is gone (already stored or
    dead-lettered).  TLX_EMALFORMED, with the reason in the store's last
    error and nothing written, for a record readers could not use: not
    one complete msgpack map (truncated, trailing bytes, nested deeper
    than 10), a non-string key, a "seq", an id or revision other than the
    inbox entry's, no id, or a field of store/SCHEMA.md with the wrong
    type.  With hints->checked (a tlx_store_record_precheck of these same
    bytes that passed) only the id and revision are compared here. */
int tlx_store_commit_record(tlx_store_t *self, uint64_t inbox_seq, const void *record, size_t record_len,
                            const tlx_commit_hints_t *hints, uint64_t *seq_out);

/*  Read replicas: stores a record another store committed (a msgpack map
    with "seq", "id", "revision", as tlx_store_get_seq returns it) byte for
    byte under its own seq: article, ids, indexes (newest revision only),
    a feed entry; sets meta "replica" (a replica keeps no raw envelopes,
    and `telex verify` then expects none).  Records must come in seq
    order: one whose seq is below the next expected is already stored and
    is skipped (*stored = false, returns 0); gaps are allowed (a stream
    whose oldest messages expired).  In the open write batch.
    @return 0, TLX_EMALFORMED (no seq/id/revision), TLX_EINVAL (no batch),
            TLX_EFULL, TLX_ESTORE. */
int tlx_store_replicate(tlx_store_t *self, const void *record, size_t len, bool *stored);

/*  Sets cursor `group` to `val` inside the open write batch (so a position
    commits atomically with the records it covers).  0, TLX_EINVAL,
    TLX_EFULL, TLX_ESTORE. */
int tlx_store_cursor_put(tlx_store_t *self, const char *group, uint64_t val);

/*  Moves an inbox entry to the dead-letter DB with the failing stage and
    reason. */
int tlx_store_dead(tlx_store_t *self, uint64_t inbox_seq, const char *stage, const char *reason,
                   uint64_t now_ms);

/* ------------------------------------------------------------------ */
/* Readers                                                             */

/*  Fetches an article by id.
    @param id, id_len  the article id (external id, or the 16-hex text id)
    @param rev         0 for the newest revision, else that revision
    @param[out] seq    its article seq (may be NULL)
    @param[out] rec    the record, a msgpack map (SCHEMA.md): malloc'd,
                       caller frees with free()
    @return 0, TLX_ENOTFOUND (no such id or revision), TLX_ENOMEM,
            TLX_ESTORE.  Thread-safe; one short read txn. */
int tlx_store_get_id(tlx_store_t *self, const char *id, size_t id_len, uint32_t rev, uint64_t *seq,
                     void **rec, size_t *rec_len);

/*  Fetches an article by seq.  *rec is malloc'd; caller frees.
    @return 0, TLX_ENOTFOUND, TLX_ENOMEM, TLX_ESTORE.  Thread-safe. */
int tlx_store_get_seq(tlx_store_t *self, uint64_t seq, void **rec, size_t *rec_len);

/*  The envelope an article was made from (the frame its producer sent,
    PROTOCOL.md section 2), by article seq: `raw` holds it, or names the
    inbox seq under which `envelopes` holds it (SCHEMA.md).  *env is
    malloc'd; caller frees.
    @return 0, TLX_ENOTFOUND (no such article, or a read replica, which
            keeps no envelopes), TLX_ECORRUPT (a reference to a missing
            envelope), TLX_ENOMEM, TLX_ESTORE.  Thread-safe. */
int tlx_store_raw_get(tlx_store_t *self, uint64_t seq, void **env, size_t *env_len);

/*  Walks the change feed.
    Calls fn(ctx, feed_seq, seq, rec, rec_len) for each entry with feed
    seq > `after`, in commit order, at most `limit` (0 = all that exist
    now).  Runs in read txns of at most 256 entries, so a slow consumer
    never pins the map.  `rec` is borrowed: valid only during the call
    (copy what you keep).  fn returns non-zero to stop; that value is then
    returned.  *last (may be NULL) gets the last feed seq delivered, the
    position to resume from (persist it, or use the cursors below).
    @return 0, fn's non-zero value, or TLX_ESTORE.  Thread-safe. */
typedef int (*tlx_feed_fn)(void *ctx, uint64_t feed_seq, uint64_t seq, const void *rec, size_t rec_len);
int tlx_store_feed(tlx_store_t *self, uint64_t after, uint64_t limit, tlx_feed_fn fn, void *ctx,
                   uint64_t *last);

/*  The newest feed seq (0 when the feed is empty).  One short read txn,
    O(log n).  0 or TLX_ESTORE.  Thread-safe. */
int tlx_store_feed_head(tlx_store_t *self, uint64_t *last);

/*  Query by the indexes (entity canonical name, tag, source, published day
    range), terms combined with AND; case- and space-insensitive.  Calls fn
    for each matching record (newest revision only) in feed order, at most
    `limit` (0 = all).  Matching seqs are collected in one short read txn,
    records are fetched in txns of at most 256.  TLX_EINVAL when no term is
    given.  `from`/`to` are "YYYY-MM-DD" (either may be NULL: open range). */
typedef struct {
    const char *entity, *tag, *source;
    const char *from, *to;
    uint64_t limit;
} tlx_query_t;
int tlx_store_query(tlx_store_t *self, const tlx_query_t *q, tlx_feed_fn fn, void *ctx);

/*  Named consumer cursors (the `cursors` DB): the last feed seq a group
    has consumed.  get: 0 when the group is new.  set: its own short write
    txn (LMDB serializes it with telexd's writer; safe from any process,
    and from any thread of the writer's process while the writer has a
    batch open; not from the writer's thread inside its own batch: use
    tlx_store_cursor_put there), so the store must be opened writable
    (opts.read_only = false, opts.no_create = true for consumers).  Names
    are at most 255 bytes. */
int tlx_store_cursor_get(tlx_store_t *self, const char *group, uint64_t *feed_seq);
int tlx_store_cursor_set(tlx_store_t *self, const char *group, uint64_t feed_seq);

/*  Checks every relation of the schema (SCHEMA.md): records decode and
    match their keys; feed, raw and ids agree with articles; the indexes
    hold exactly the newest revisions' keys; inbox and dead entries decode;
    counters are ahead of keys; the schema version.  Writes one line per
    problem (at most 100) to `report` (may be NULL).  Returns 0 and fills
    *out (problems == 0 means consistent), or a TLX_E* code if the store
    cannot be read.  Runs in one read txn; safe while telexd writes. */
typedef struct {
    uint64_t problems, articles, ids, feed, inbox, dead, index_entries;
} tlx_verify_stats_t;
int tlx_store_verify(tlx_store_t *self, FILE *report, tlx_verify_stats_t *out);

/*  Opens the store in `dir` read-only and verifies it in a child process,
    so that damage LMDB meets with an assertion or a bad pointer (it checks
    page types, not contents) is reported instead of killing the caller.
    Damage is a problem in *out, never an error: a store that refuses to
    open as damaged (TLX_ECORRUPT: empty or cut-short data.mdb, another
    store's file), pages LMDB cannot read, and a child that dies by a
    signal are each reported on `report` ("verify: ...") and counted.
    @return 0 (look at out->problems), or the open's error for a store
            that is not there or not readable (message in err), TLX_EIO
            when no child process could be started.
    Call it before the process opens the store itself (lmdb.h: an
    environment is not used across fork()). */
int tlx_store_verify_dir(const char *dir, FILE *report, tlx_verify_stats_t *out, char *err, size_t errsz);

/*  Dead letters.  tlx_dead_t borrows from the store for the duration of
    the callback.  replay: moves the dead entries of article `id` (NULL:
    all) back to the inbox with attempts 0 in one write txn and bumps meta
    "replay_gen" so a running telexd rescans its inbox; *count gets the
    number moved.  Needs a writable handle (opts.no_create for tools). */
typedef struct {
    uint64_t inbox_seq, at;
    const char *stage, *reason;
    size_t stage_len, reason_len;
    const void *entry; /* the inbox value */
    size_t entry_len;
    tlx_inbox_entry_t inbox; /* parsed entry: id, attempts, envelope */
} tlx_dead_t;
int tlx_store_dead_list(tlx_store_t *self, int (*fn)(void *ctx, const tlx_dead_t *d), void *ctx);
int tlx_store_dead_replay(tlx_store_t *self, const char *id, uint64_t *count);

/*  Document frequencies (`stats` DB, keys "df:" + term, u32 LE counts;
    "df:" alone counts the sampled documents): calls fn for each, in key
    order, in one read txn.  fn returns non-zero to stop. */
int tlx_store_df_scan(tlx_store_t *self, int (*fn)(void *ctx, const char *term, size_t len, uint32_t count),
                      void *ctx);

/*  Learned boilerplate: per-source line statistics (`stats` DB, SCHEMA.md).
    Articles counted: first revisions with a source; all of a source's
    first TLX_LINES_EPOCH, then one in TLX_LINES_SAMPLE (each sampled
    article adds 1 to its source's article count and to the count of each
    of its line keys; the shares stay unbiased, the writer's cost drops).
    "Recent": every TLX_LINES_EPOCH articles of a source (sampled or not)
    its epoch advances and all its counts halve (lines lazily, when touched
    or read), so a footer a site dropped fades within a few epochs.
    Bounded: at most TLX_LINES_CAP keys per source (new keys over the cap
    are not counted until pruning frees room); each article also visits
    the next TLX_LINES_SWEEP keys of its source and deletes those decayed
    to 0.
    Sources are keyed ASCII lower-case; longer than TLX_LINES_SOURCE_MAX
    bytes or holding a NUL: not counted. */
#define TLX_LINES_EPOCH 256
#define TLX_LINES_CAP 20000
#define TLX_LINES_SAMPLE 4
#define TLX_LINES_SWEEP 32
#define TLX_LINES_PER_ARTICLE 256
#define TLX_LINES_SOURCE_MAX 200

/*  Calls fn for each line of each source whose decayed article count is
    at least min_docs, with the decayed counts (lines at 0 skipped), in key
    order, in one read txn.  `source` (lower-case, not NUL-terminated) is
    borrowed for the call.  fn returns non-zero to stop; that value is
    returned.  0, fn's value or TLX_ESTORE.  Thread-safe. */
typedef int (*tlx_lines_fn)(void *ctx, const char *source, size_t source_len, uint32_t docs, uint64_t key,
                            uint32_t count);
int tlx_store_lines_scan(tlx_store_t *self, uint32_t min_docs, tlx_lines_fn fn, void *ctx);

/*  Reads a u64 from meta (0 when absent). */
int tlx_store_meta_get(tlx_store_t *self, const char *key, uint64_t *val);

/*  Hot, compacted copy of the store into `dest` (created 0700; must not
    hold a store already) with mdb_env_copy2(MDB_CP_COMPACT), consistent as
    of one read txn while telexd keeps writing.  On failure writes a
    sentence to err.  Returns 0, TLX_EINVAL, TLX_EFULL or TLX_EIO. */
int tlx_store_backup(tlx_store_t *self, const char *dest, char *err, size_t errsz);

typedef struct {
    uint64_t articles, inbox, dead, rejects, feed, ids;
    uint64_t last_seq; /* newest article seq */
    uint64_t df_docs;  /* documents counted in the document frequencies */
    size_t map_size;   /* bytes mapped */
    size_t map_used;   /* bytes in use (last page * page size) */
    unsigned readers_used, readers_max;
    uint32_t schema;
} tlx_store_counts_t;

int tlx_store_counts(tlx_store_t *self, tlx_store_counts_t *c);

/*  The cheap part of tlx_store_counts, for metrics once a second: inbox,
    dead, map_size, map_used, readers_used, readers_max (O(1); the other
    fields are zero). */
int tlx_store_gauges(tlx_store_t *self, tlx_store_counts_t *c);

#ifdef __cplusplus
}
#endif
#endif
