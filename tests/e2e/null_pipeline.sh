#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# --pipeline null (the benchmark baseline): the same acks, dedup, inbox and
# store as the full pipeline, no text processing.  Each article's text is
# stored once, as its raw envelope; its record names it and carries no body.
. "$(dirname "$0")/lib/common.bash"
SEEDS="$TLX_SOURCE_DIR/seeds"

start_telexd --pipeline null --threads 2
out=$(telex push --source wire "$SEEDS"/*.txt)
[ "$(echo "$out" | grep -c '^accepted ')" -eq 5 ] || fail "expected 5 accepted: $out"
out2=$(telex push --source wire "$SEEDS"/*.txt)
[ "$(echo "$out2" | grep -c '^duplicate ')" -eq 5 ] || fail "expected 5 duplicates: $out2"
ok "accepted once, duplicates answered as with the full pipeline"

wait_processed 5
[ "$(telex stats | json_field "['articles']")" -eq 5 ] || fail "stats: $(telex stats)"
[ "$(telex list | wc -l)" -eq 5 ] || fail "telex list: $(telex list)"
id=$(echo "$out" | grep 003_ | awk '{print $2}')
telex get "$id" >"$T/rec.json"
$PY - "$T/rec.json" "$id" <<'PYEOF' || fail "null record of 003: $(cat "$T/rec.json")"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["id"] == sys.argv[2] and r["revision"] == 1 and r["source"] == "wire", r
assert r["received_at"] and r["processed_at"], r
assert r["body"] == "" and r["entities"] == [] and r["keywords"] == [] and r["title"] is None, r
PYEOF
ok "the record: id, revision, source, times; no body, no enrichment"

# the text itself: the article's raw envelope (store/SCHEMA.md), through the Python reader
PYTHONPATH="$TLX_SOURCE_DIR/clients/python" $PY - "$STORE" "$id" "$SEEDS"/003_*.txt <<'PYEOF' || fail "raw text not kept"
import sys, telex
with telex.Store(sys.argv[1]) as s:
    e = s.envelope(sys.argv[2])
assert e["text"] == open(sys.argv[3]).read(), "raw text differs"
assert e["source"] == "wire", e
PYEOF
ok "the text is kept once, as the raw envelope"

stop_telexd
ok "SIGTERM: exit 0"
