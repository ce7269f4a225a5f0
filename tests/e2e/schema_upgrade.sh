#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A store in the layout schema 1 wrote (store/SCHEMA.md, History): every
# envelope inside its inbox entry ("TXI1") and again in `raw`, no
# `envelopes` DB, dedup by T keys.  Made here from a store telexd wrote
# (some articles stored, the rest left in the inbox by a store-only role)
# by rewriting exactly what schema 2 changed.  `telex verify` and readers
# take it as it is; telexd upgrades it on open, drains its inbox, and
# re-sends of the old articles are still duplicates.
. "$(dirname "$0")/lib/common.bash"
cd "$T"
export PYTHONPATH="$TLX_SOURCE_DIR/clients/python"
N1=30
N2=40

start_telexd --threads 1
bench_e2e --to "$EP" --count $N1 --prefix up-a --acks "$T/acks1" >"$T/bench1.out" 2>&1 || fail "$(cat "$T/bench1.out")"
wait_processed $N1
stop_telexd
start_telexd --role store --enrich-listen "tcp://127.0.0.1:$(free_port)" # nobody enriches: it waits in the inbox
bench_e2e --to "$EP" --count $N2 --prefix up-b --acks "$T/acks2" --no-wait >"$T/bench2.out" 2>&1 ||
    fail "$(cat "$T/bench2.out")"
wait_until 60 "the inbox did not fill" sh -c "telex stats | grep -q '\"inbox\":$N2'"
stop_telexd
telex export >"$T/before.jsonl"

$PY - "$STORE" <<'PYEOF' || fail "rewriting the store as schema 1"
import struct, sys
import lmdb
env = lmdb.open(sys.argv[1], max_dbs=32, subdir=True, lock=True)
db = {n: env.open_db(n.encode(), create=False) for n in ("inbox", "raw", "envelopes", "dedup", "meta", "dead")}
with env.begin(write=True) as t:
    for k, v in list(t.cursor(db["inbox"])):
        assert bytes(v[:4]) == b"TXI2", bytes(v[:4])
        t.put(k, b"TXI1" + bytes(v[4:]) + bytes(t.get(k, db=db["envelopes"])), db=db["inbox"])
    for k, v in list(t.cursor(db["raw"])):
        assert len(v) == 9 and v[0] == 0xCF
        t.put(k, bytes(t.get(bytes(v[1:]), db=db["envelopes"])), db=db["raw"])
    for k, v in list(t.cursor(db["dedup"])):
        if k[:1] == b"R":
            assert len(v) > 4 and (len(v) - 4) % 16 == 0
            for i in range(4, len(v), 16):
                t.put(b"T" + bytes(v[i:i + 16]), bytes(k[1:]), db=db["dedup"])
            t.put(k, bytes(v[:4]), db=db["dedup"])
    assert t.stat(db["dead"])["entries"] == 0
    t.drop(db["envelopes"], delete=True)
    t.put(b"schema", struct.pack(">Q", 1), db=db["meta"])
print("ok - rewritten as schema 1")
PYEOF

# readers take it as it is, and write nothing
telex verify >"$T/v1.out" || fail "the schema-1 store does not verify: $(cat "$T/v1.out")"
[ "$(telex stats | json_field "['schema']")" = 1 ] || fail "a reader upgraded the store"
$PY - "$STORE" <<'PYEOF' || fail "Python reader on schema 1"
import sys, telex
with telex.Store(sys.argv[1]) as s:
    e = s.envelope("up-a-1") or s.envelope(next(iter(s.since(0, 1)))["id"])
    assert e and e["text"], e
PYEOF
ok "a schema-1 store verifies and reads as it is"

# a Python reader opened on the schema-1 store stays open across the upgrade:
# the envelopes of articles accepted afterwards are in `envelopes`, which did
# not exist when it opened
$PY - "$STORE" "$T" <<'PYEOF' >"$T/reader.out" 2>&1 &
import os, sys, time, telex
store, t = sys.argv[1], sys.argv[2]
with telex.Store(store) as s:
    open(os.path.join(t, "reader.open"), "w").close()
    deadline = time.monotonic() + 900  # bounded if the script fails before it says go
    while not os.path.exists(os.path.join(t, "reader.go")):
        assert time.monotonic() < deadline, "never told to read"
        time.sleep(0.1)
    recs = list(s.since(0))
    missing = [r["id"] for r in recs if s.envelope(r["id"]) is None]
    assert not missing, "%d of %d envelopes missing: %s" % (len(missing), len(recs), missing[:3])
    print("ok - %d envelopes" % len(recs))
PYEOF
READER=$!
PIDS+=("$READER") # killed on exit if the script fails before it says go
wait_until 60 "the long-lived reader did not open" test -e "$T/reader.open"

start_telexd --threads 2
wait_processed $((N1 + N2))
[ "$(telex stats | json_field "['schema']")" = 2 ] || fail "not upgraded: $(telex stats)"
telex verify >"$T/v2.out" || fail "the upgraded store does not verify: $(cat "$T/v2.out")"
ok "telexd upgraded it to schema 2 and drained its $N2 waiting articles"

# the records stored before are unchanged; every article keeps its envelope
telex export >"$T/all.jsonl"
head -n $N1 "$T/all.jsonl" >"$T/after.jsonl"
cmp -s "$T/before.jsonl" "$T/after.jsonl" || fail "records stored before the upgrade changed"
$PY - "$STORE" $((N1 + N2)) <<'PYEOF' || fail "envelopes after the upgrade"
import sys, telex
with telex.Store(sys.argv[1]) as s:
    recs = list(s.since(0))
    assert len(recs) == int(sys.argv[2]), len(recs)
    for r in recs:
        e = s.envelope(r["id"])
        assert e is not None and e.get("id") == r["id"], (r["id"], e)
PYEOF
ok "old and drained articles have their records and envelopes"

# re-sends of articles accepted under schema 1 are duplicates (T keys), new ones are not
bench_e2e --to "$EP" --count $N1 --prefix up-a --acks "$T/acks3" >"$T/bench3.out" 2>&1 || fail "$(cat "$T/bench3.out")"
[ "$(grep -c '^duplicate ' "$T/acks3")" = $N1 ] || fail "re-sends not duplicates: $(sort "$T/acks3" | cut -d' ' -f1 | uniq -c)"
bench_e2e --to "$EP" --count 5 --prefix up-c --acks "$T/acks4" >"$T/bench4.out" 2>&1 || fail "$(cat "$T/bench4.out")"
[ "$(grep -c '^accepted ' "$T/acks4")" = 5 ] || fail "new articles: $(cat "$T/acks4")"
wait_processed $((N1 + N2 + 5))
telex verify >"$T/v3.out" || fail "$(cat "$T/v3.out")"
ok "re-sends of schema-1 articles are duplicates; new articles are stored"
touch "$T/reader.go"
wait "$READER" || fail "a reader opened before the upgrade: $(cat "$T/reader.out")"
ok "a reader opened before the upgrade reads the envelopes written after it"
stop_telexd
