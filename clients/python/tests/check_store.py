# SPDX-License-Identifier: Apache-2.0
"""Store reader against a store written by a real telexd (run by
tests/e2e/python_client.sh).  usage: check_store.py STORE EXPORT_JSONL"""
import json
import subprocess
import sys

import telex

store, export = sys.argv[1], sys.argv[2]
want = [json.loads(l) for l in open(export)]  # `telex export`: every record, feed order

with telex.Store(store) as s:
    got = list(s.feed())
    assert [fs for fs, _ in got] == list(range(1, len(want) + 1)), [fs for fs, _ in got]
    assert [r["id"] for _, r in got] == [r["id"] for r in want]
    for (_, r), w in zip(got, want):
        # the same record; JSON renders simhash64 as hex, Python keeps the int
        assert "%016x" % r["fingerprints"]["simhash64"] == w["fingerprints"]["simhash64"]
        r = dict(r, fingerprints=dict(r["fingerprints"], simhash64=w["fingerprints"]["simhash64"]))
        assert r == w, (r["id"], set(k for k in r if r[k] != w.get(k)))
    assert [r["id"] for r in s.since(2, limit=2)] == [w["id"] for w in want[2:4]]
    print("ok - feed/since: %d records equal to telex export" % len(got))

    r = s.get("py-1")
    assert r["source"] == "dailynk" and r["url"] == "https://example.org/py-1" and r["meta"] == {"desk": "north"}
    assert s.get("no-such-id") is None and s.get_seq(10 ** 9) is None
    assert s.get_seq(r["seq"])["id"] == "py-1"
    print("ok - get, get_seq")

    e = s.envelope("py-1")  # the envelope as pushed, followed from `raw` to `envelopes`
    assert e["id"] == "py-1" and e["source"] == "dailynk" and e["url"] == "https://example.org/py-1", e
    assert isinstance(e["text"], (str, bytes)) and len(e["text"]) > 0
    assert s.envelope("no-such-id") is None
    print("ok - envelope")

    # query: the same answers as the C CLI, for entity, tag, source and dates
    def cli(*args):
        out = subprocess.run(["telex", "query", "--store", store] + list(args), check=True,
                             capture_output=True, text=True).stdout
        return [json.loads(l)["id"] for l in out.splitlines()]
    cases = [dict(entity="Kim Jong Un"), dict(entity="  kim   JONG un "), dict(source="DailyNK"),
             dict(entity="hyesan", source="dailynk"), dict(date_from="2016-01-01", date_to="2016-12-31"),
             dict(date_from="2018-01-01"), dict(entity="nobody at all")]
    for c in cases:
        args = []
        for k, v in c.items():
            args += ["--" + {"date_from": "from", "date_to": "to"}.get(k, k), v]
        py = [r["id"] for r in s.query(**c)]
        assert py == cli(*args), (c, py, cli(*args))
    assert sum(1 for _ in s.query(entity="Kim Jong Un")) >= 1
    assert len(list(s.query(source="dailynk", limit=1))) == 1
    print("ok - query agrees with telex query on %d cases" % len(cases))

# tail with a named cursor: needs a writable Store
try:
    next(telex.Store(store).tail("g"))
    raise AssertionError("tail on a read-only Store")
except telex.StoreError:
    pass
with telex.Store(store, readonly=False, batch=3) as s:
    it = s.tail("py-group")
    first = [next(it)["id"] for _ in range(4)]  # one batch of 3 done, one more read
    assert first == [w["id"] for w in want[:4]]
    assert s.cursor("py-group") == 3, s.cursor("py-group")  # the batch in progress is not saved
    it.close()
    rest = [r["id"] for r in s.tail("py-group")]
    assert rest == [w["id"] for w in want[3:]], rest  # resumes at the unfinished batch
    assert s.cursor("py-group") == len(want)
    assert list(s.tail("py-group")) == []
    assert s.cursor("other-group") == 0
print("ok - tail: cursor saved per batch, resumes without gaps")

# the cursor is the same one `telex tail` uses
out = subprocess.run(["telex", "tail", "--store", store, "--group", "py-group"], check=True,
                     capture_output=True, text=True).stdout
assert out == "", out
print("ok - telex tail sees the group's position")

# Revisions can commit out of order (two enrich threads: revision 2 done
# before revision 1), so the newest revision is the one with the highest
# revision number, not the highest article seq.  A copy of the store where
# py-1's ids entry says revision 2 at its seq and revision 1 at a later seq
# (another record's: the get must not land there).
import os
import shutil
import struct
import tempfile

import lmdb

with tempfile.TemporaryDirectory() as tmp:
    for f in ("data.mdb", "lock.mdb"):
        shutil.copy(os.path.join(store, f), tmp)
    with telex.Store(store) as s:
        s1 = s.get("py-1")["seq"]
        later = max(r["seq"] for _, r in s.feed())
    assert later > s1
    env = lmdb.open(tmp, max_dbs=64, subdir=True)
    ids = env.open_db(b"ids", dupsort=True, create=False)
    with env.begin(write=True, db=ids) as txn:
        assert txn.delete(b"py-1", struct.pack(">QI", s1, 1))
        txn.put(b"py-1", struct.pack(">QI", s1, 2))
        txn.put(b"py-1", struct.pack(">QI", later, 1))
    env.close()
    with telex.Store(tmp) as s:
        assert s.get("py-1")["seq"] == s1 and s.get("py-1")["id"] == "py-1"
        assert s.get("py-1", rev=1)["seq"] == later
        assert s.envelope("py-1")["id"] == "py-1"
print("ok - get and envelope without rev: the highest revision, whatever order revisions committed in")
