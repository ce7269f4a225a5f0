#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""A telex consumer in Python, with nothing but Debian's python3-lmdb and
python3-msgpack: read store/SCHEMA.md, open the store read-only, walk the
feed.  Prints one JSON line per record: {"seq", "id", "title", "entities"}.

usage: consumer.py STORE [AFTER_FEED_SEQ]
"""
import json
import struct
import sys

import lmdb
import msgpack

SCHEMAS = (1, 2)  # the store versions whose articles and feed this consumer reads (store/SCHEMA.md)


def begin(env):
    """A read txn; adopts the map size when telexd has grown the map since we opened it."""
    try:
        return env.begin()
    except lmdb.MapResizedError:
        env.set_mapsize(0)
        return env.begin()


def main():
    store = sys.argv[1]
    after = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    # readonly + lock=True: a normal LMDB reader beside telexd (MVCC, never blocks the writer)
    env = lmdb.open(store, readonly=True, max_dbs=32, subdir=True, lock=True)
    meta = env.open_db(b"meta", create=False)
    feed = env.open_db(b"feed", create=False)
    articles = env.open_db(b"articles", create=False)
    with begin(env) as txn:
        version = struct.unpack(">Q", txn.get(b"schema", db=meta))[0]
    if version not in SCHEMAS:
        sys.exit(f"consumer: store schema {version}, this consumer reads {SCHEMAS[0]} to {SCHEMAS[-1]}")
    pos, done = after, False
    while not done:
        # short read transactions of at most 256 records: never pin old pages
        with begin(env) as txn:
            cur = txn.cursor(db=feed)
            if not cur.set_range(struct.pack(">Q", pos + 1)):
                break
            for i, (k, v) in enumerate(cur):
                if i == 256:
                    break
                pos = struct.unpack(">Q", k)[0]
                rec = msgpack.unpackb(txn.get(v, db=articles), raw=False)
                print(json.dumps({"seq": rec["seq"], "id": rec["id"], "title": rec["title"],
                                  "entities": [e["canonical"] for e in rec["entities"]]}))
            else:
                done = True
    env.close()


if __name__ == "__main__":
    main()
