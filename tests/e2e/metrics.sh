#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Metrics and health: /health, /ready and /metrics on a real telexd over
# real HTTP, with counts that match what was pushed.
. "$(dirname "$0")/lib/common.bash"
S="$TLX_SOURCE_DIR/seeds"
start_telexd --threads 2
[ "$(http_get /health)" = "200 ok" ] || fail "/health: $(http_get /health)"
[ "$(http_get /ready)" = "200 ready" ] || fail "/ready: $(http_get /ready)"
[ "$(http_get /nope | cut -d' ' -f1)" = 404 ] || fail "unknown path is not 404"
ok "/health and /ready answer 200; unknown paths 404"

telex push --source dailynk "$S"/*.txt >/dev/null
telex push --source other-site "$S/000_b95e5fb43f31aefa.txt" >/dev/null   # duplicate text, other source
$PY - "$EP" <<'PYEOF'
import sys, zmq
s = zmq.Context().socket(zmq.DEALER); s.connect(sys.argv[1])
s.send(b"\xc1 not msgpack"); s.poll(5000); s.recv()
PYEOF
wait_processed 5
for _ in $(seq 1 30); do [ "$(metric telex_processed_total)" = 5 ] && break; sleep 0.1; done
check() { local v; v=$(metric "$1"); [ "$v" = "$2" ] || fail "$1 = $v, want $2"; }
check telex_received_total 7
check telex_accepted_total 5
check telex_duplicate_total 1
check 'telex_rejected_total{reason="not_msgpack"}' 1
check telex_processed_total 5
check 'telex_source_received_total{source="dailynk"}' 5
check 'telex_source_received_total{source="other-site"}' 1
check 'telex_source_processed_total{source="dailynk"}' 5
check 'telex_pipeline_seconds_count' 5
check telex_ready 1
for _ in $(seq 1 30); do [ "$(metric telex_inbox_depth)" = 0 ] && break; sleep 0.1; done
check telex_inbox_depth 0
[ "$(metric telex_commits_total)" -ge 1 ] || fail "no commits counted"
[ "$(metric 'telex_commit_seconds_bucket{le="+Inf"}')" = "$(metric telex_commit_seconds_count)" ] || fail "histogram +Inf != count"
[ "$(metric telex_map_used_bytes)" -gt 0 ] || fail "map use"
http_get /metrics >"$T/metrics.txt"
grep -q '^# TYPE telex_commit_seconds histogram' "$T/metrics.txt" || fail "TYPE line"
ok "counters, per-source counts, histograms and gauges match what was pushed"

telex top --once --interval 0.2 >"$T/top.json" || fail "telex top --once"
$PY - "$T/top.json" <<'PYEOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["totals"]["processed"] == 5 and d["totals"]["accepted"] == 5, d["totals"]
assert d["ready"] is True and d["gauges"]["inbox_depth"] == 0, d
assert d["rejected_by_reason"]["not_msgpack"] == 1, d["rejected_by_reason"]
src = {s["source"]: s for s in d["sources"]}
assert src["dailynk"]["received"] == 5 and src["other-site"]["received"] == 1, src
assert set(d["latency_seconds"]) == {"commit", "pipeline"}  # quantiles are over the interval: idle here
PYEOF
ok "telex top --once reads the live daemon (found through STORE/telexd.http)"
stop_telexd
[ ! -e "$STORE/telexd.http" ] || fail "telexd.http left behind after a clean stop"
ok "the address file is removed on exit"
