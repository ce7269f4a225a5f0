# SPDX-License-Identifier: Apache-2.0
"""Read-side of telex: the LMDB store, as store/SCHEMA.md describes it.

Any number of readers may run beside telexd (LMDB MVCC: readers never block
the writer).  Every method uses short read transactions (at most `batch`
records each) so old pages are never pinned, and adopts a map that telexd
grew meanwhile.  Records come back as dicts, exactly as stored (msgpack);
`fingerprints.simhash64` is a Python int here (the JSON renderings print it
as 16 hex digits).
"""
import os
import struct

import lmdb
import msgpack

SCHEMA_VERSION = 2      # the newest store layout this client reads
SCHEMA_OLDEST = 1       # the oldest (version 2 keeps every version-1 value readable)
_INDEX_KEY_MAX = 250


class StoreError(Exception):
    """The store is missing, of an unknown schema version, or not writable for a cursor."""


def norm_key(s):
    """The index key normalization of store/SCHEMA.md (and tlx_index_norm):
    ASCII lower-case, whitespace runs -> one space, trimmed, at most 250 bytes
    cut at a UTF-8 boundary."""
    b = s.encode() if isinstance(s, str) else bytes(s)
    out = bytearray()
    space = False
    for c in b:
        if c in b" \t\n\r":
            space = len(out) > 0
            continue
        if len(out) >= _INDEX_KEY_MAX:
            break
        if space:
            if len(out) + 1 >= _INDEX_KEY_MAX:
                break
            out.append(0x20)
            space = False
        out.append(c + 32 if 0x41 <= c <= 0x5A else c)
    if len(out) == _INDEX_KEY_MAX:
        k = len(out)
        while k > 0 and (out[k - 1] & 0xC0) == 0x80:
            k -= 1
        if k > 0 and out[k - 1] >= 0xC0:
            del out[k - 1:]
    return bytes(out)


def _be64(n):
    return struct.pack(">Q", n)


def _unbe64(b):
    return struct.unpack(">Q", bytes(b[:8]))[0]


class Store:
    """A telex store directory (an LMDB environment).

    readonly=True (default) is a pure reader.  tail() keeps a named cursor
    in the store's `cursors` DB, which needs readonly=False (and write
    permission on the directory), as `telex tail` has.  One Store per
    process and path (an LMDB rule)."""

    def __init__(self, path=None, readonly=True, batch=256):
        self.path = path or os.environ.get("TELEX_STORE") or "./telex-data"
        if not os.path.exists(os.path.join(self.path, "data.mdb")):
            raise StoreError("no telex store at %s" % self.path)
        self.readonly, self.batch = readonly, batch
        try:
            self._env = lmdb.open(self.path, readonly=readonly, create=False, max_dbs=32, subdir=True,
                                  lock=True, readahead=False)
        except lmdb.Error as e:
            raise StoreError("cannot open store %s: %s" % (self.path, e))
        self._db = {}
        for name in ("meta", "articles", "ids", "feed", "cursors", "raw", "idx_entity", "idx_tag",
                     "idx_source", "idx_day"):
            self._db[name] = self._env.open_db(name.encode(), create=False,
                                               dupsort=name in ("ids",) or name.startswith("idx_"))
        with self._begin() as txn:
            v = txn.get(b"schema", db=self._db["meta"])
        version = _unbe64(v) if v else 0
        if not SCHEMA_OLDEST <= version <= SCHEMA_VERSION:
            self.close()
            raise StoreError("store %s has schema version %d; this client reads %d to %d"
                             % (self.path, version, SCHEMA_OLDEST, SCHEMA_VERSION))
        self._db["envelopes"] = None  # schema 2; a version-1 store has none (every envelope is in `raw`)
        self._envelopes()

    def _begin(self, write=False):
        """A txn; adopts the map size when telexd grew the map since we opened it."""
        for _ in range(3):
            try:
                return self._env.begin(write=write)
            except lmdb.MapResizedError:
                self._env.set_mapsize(0)
        return self._env.begin(write=write)

    @staticmethod
    def _unpack(v):
        return msgpack.unpackb(bytes(v), raw=False, strict_map_key=False)

    # -- single records ----------------------------------------------------------

    def get(self, id, rev=None):
        """The record of article `id` (its newest revision, or revision `rev`), or None."""
        with self._begin() as txn:
            seq = self._seq_of(txn, id, rev)
            if seq is None:
                return None
            v = txn.get(_be64(seq), db=self._db["articles"])
            return self._unpack(v) if v is not None else None

    def get_seq(self, seq):
        """The record with article seq `seq`, or None."""
        with self._begin() as txn:
            v = txn.get(_be64(seq), db=self._db["articles"])
            return self._unpack(v) if v is not None else None

    def envelope(self, id, rev=None):
        """The envelope (a dict: text, id, source, ... as the producer sent it,
        proto/PROTOCOL.md) of article `id` (newest revision, or `rev`), or None.
        A read replica keeps no envelopes."""
        envelopes = self._envelopes()
        with self._begin() as txn:
            seq = self._seq_of(txn, id, rev)
            if seq is None:
                return None
            v = txn.get(_be64(seq), db=self._db["raw"])
            if v is None:
                return None
            v = bytes(v)
            # `raw` holds the envelope, or (schema 2) msgpack uint64 naming the
            # inbox seq under which `envelopes` holds it (store/SCHEMA.md)
            if len(v) == 9 and v[0] == 0xCF:
                if envelopes is None:
                    return None
                v = txn.get(v[1:], db=envelopes)
                if v is None:
                    return None
            return self._unpack(v)

    def _envelopes(self):
        """The `envelopes` DB, or None.  A version-1 store has none when it is
        opened, but telexd upgrading it while this reader stays open makes
        it: look again (outside any txn of ours) until it is there."""
        if self._db["envelopes"] is None:
            try:
                self._db["envelopes"] = self._env.open_db(b"envelopes", create=False)
            except lmdb.NotFoundError:
                pass
        return self._db["envelopes"]

    def _seq_of(self, txn, id, rev):
        """Article seq of `id`'s newest revision (the highest revision number:
        revisions may commit out of order, so not the highest seq), or of
        revision `rev`; None when there is none.  As tlx_store__latest."""
        key = id.encode() if isinstance(id, str) else bytes(id)
        cur = txn.cursor(db=self._db["ids"])
        if not cur.set_key(key):
            return None
        found, best = None, -1
        for v in cur.iternext_dup():
            if len(v) != 12:
                continue
            seq, r = struct.unpack(">QI", bytes(v))
            if rev is None and r >= best:
                found, best = seq, r
            elif rev is not None and r == rev:
                found = seq
        return found

    # -- the change feed ---------------------------------------------------------

    def feed(self, since=0, limit=None):
        """Yields (feed_seq, record) in commit order after feed position `since`.
        Resume from the last feed_seq you handled."""
        pos, n = since, 0
        while True:
            got = 0
            with self._begin() as txn:
                cur = txn.cursor(db=self._db["feed"])
                if not cur.set_range(_be64(pos + 1)):
                    return
                items = []
                for k, v in cur:
                    if got == self.batch or (limit is not None and n + got >= limit):
                        break
                    rec = txn.get(bytes(v), db=self._db["articles"])
                    items.append((_unbe64(k), rec and self._unpack(rec)))
                    got += 1
            for fs, rec in items:  # yielded outside the txn: a slow consumer pins nothing
                pos = fs
                n += 1
                if rec is not None:
                    yield fs, rec
            if got < self.batch or (limit is not None and n >= limit):
                return

    def since(self, since=0, limit=None):
        """Records only, in commit order after feed position `since`."""
        for _, rec in self.feed(since, limit):
            yield rec

    # -- queries -------------------------------------------------------------------

    def _postings(self, txn, db, lo, hi=None):
        out = set()
        cur = txn.cursor(db=self._db[db])
        if hi is None:
            if cur.set_key(lo):
                out.update(_unbe64(v) for v in cur.iternext_dup())
            return out
        if not cur.set_range(lo):
            return out
        while True:
            k = cur.key()
            if bytes(k) > hi:
                break
            out.update(_unbe64(v) for v in cur.iternext_dup())
            if not cur.next_nodup():
                break
        return out

    def query(self, entity=None, tag=None, source=None, date_from=None, date_to=None, limit=None):
        """Records matching every given term, in feed order, from the indexes
        (newest revisions only; case- and space-insensitive; dates are
        YYYY-MM-DD, inclusive, on the published day)."""
        terms = [(db, t) for db, t in (("idx_entity", entity), ("idx_tag", tag), ("idx_source", source))
                 if t is not None]
        if not terms and date_from is None and date_to is None:
            raise ValueError("give at least one of entity, tag, source, date_from, date_to")
        for d in (date_from, date_to):
            if d is not None and (len(d) != 10 or d[4] != "-" or d[7] != "-"):
                raise ValueError("dates are YYYY-MM-DD, got %r" % d)
        acc = None
        with self._begin() as txn:
            for db, t in terms:
                s = self._postings(txn, db, norm_key(t))
                acc = s if acc is None else acc & s
            if date_from is not None or date_to is not None:
                s = self._postings(txn, "idx_day", (date_from or "0000-00-00").encode(),
                                   (date_to or "9999-99-99").encode())
                acc = s if acc is None else acc & s
        seqs = sorted(acc)
        if limit is not None:
            seqs = seqs[:limit]
        for i in range(0, len(seqs), self.batch):
            with self._begin() as txn:
                recs = [txn.get(_be64(s), db=self._db["articles"]) for s in seqs[i:i + self.batch]]
                recs = [self._unpack(r) for r in recs if r is not None]
            for r in recs:
                yield r

    # -- consumer groups -----------------------------------------------------------

    def cursor(self, group):
        """The last feed position consumer group `group` has seen (0: none)."""
        g = self._group(group)
        with self._begin() as txn:
            v = txn.get(g, db=self._db["cursors"])
        return _unbe64(v) if v else 0

    def set_cursor(self, group, feed_seq):
        """Stores group's position (what `telex tail` does after printing)."""
        if self.readonly:
            raise StoreError("keeping a cursor writes the store: open it with Store(path, readonly=False)")
        g = self._group(group)
        while True:
            try:
                with self._begin(write=True) as txn:
                    txn.put(g, _be64(feed_seq), db=self._db["cursors"])
                return
            except lmdb.MapResizedError:
                self._env.set_mapsize(0)

    @staticmethod
    def _group(group):
        g = group.encode() if isinstance(group, str) else bytes(group)
        if not 1 <= len(g) <= 255:
            raise ValueError("a group name has 1..255 bytes")
        return g

    def tail(self, group="default", follow=False, poll_interval=1.0):
        """Yields the records group `group` has not seen yet, in feed order,
        like `telex tail --group`.  The position is stored after each batch,
        once you ask for the record after it: a consumer that dies repeats
        at most one batch, and never skips one (at-least-once).  With follow,
        waits for more: woken by telexd's commit notifications
        (ipc://STORE/notify.ipc, needs pyzmq) or every poll_interval s."""
        if self.readonly:
            raise StoreError("tail keeps a cursor: open the store with Store(path, readonly=False)")
        pos = self.cursor(group)
        sub = ctx = None
        try:
            if follow:
                try:
                    import zmq
                    ctx = zmq.Context()
                    sub = ctx.socket(zmq.SUB)
                    sub.setsockopt(zmq.LINGER, 0)
                    sub.setsockopt(zmq.SUBSCRIBE, b"committed")
                    sub.connect("ipc://%s/notify.ipc" % os.path.realpath(self.path))
                except ImportError:
                    sub = None
            while True:
                items = list(self.feed(pos, self.batch))
                for fs, rec in items:
                    yield rec
                if items:
                    pos = items[-1][0]
                    self.set_cursor(group, pos)
                    continue
                if not follow:
                    return
                if sub is not None:
                    if sub.poll(int(poll_interval * 1000)):
                        while True:
                            try:
                                sub.recv(zmq.DONTWAIT)
                            except zmq.Again:
                                break
                else:
                    import time
                    time.sleep(poll_interval)
        finally:
            if sub is not None:
                sub.close(0)
            if ctx is not None:
                ctx.term()

    def close(self):
        if getattr(self, "_env", None) is not None:
            self._env.close()
            self._env = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
