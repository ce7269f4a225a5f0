#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# NATS JetStream: publisher, read replica, HTTP read API -- all real processes
# (nats-server -js on a free loopback port with its own store directory).
#  1. the 5 seeds -> 5 messages; pushed again -> still 5; an edited article -> 6
#  2. HTTP API: each endpoint, bad parameters (400), unknown id (404), a ninjs
#     item valid against the ninjs 3.0 schema
#  3. a replica on a second store: same records (telex export identical), verify passes;
#     it refuses producers
#  4. SIGKILL telexd 5 times and the replica twice during a 3,000-article push:
#     messages = distinct Nats-Msg-Id = articles; replica export = primary export
#  5. nats-server stopped 10 s during ingestion: lag drains to 0, nothing missing
. "$(dirname "$0")/lib/common.bash"
N=${TLX_NATS_ARTICLES:-3000}

NPORT=$(free_port)
NURL="nats://127.0.0.1:$NPORT"
mkdir -p "$T/nats"
start_nats() {
    nats-server -js -a 127.0.0.1 -p "$NPORT" -sd "$T/nats" >>"$T/nats.log" 2>&1 &
    NATS_PID=$!
    PIDS+=("$NATS_PID")
    for _ in $(seq 1 100); do
        $PY -c "import socket,sys; socket.create_connection(('127.0.0.1',$NPORT),0.2)" 2>/dev/null && return 0
        sleep 0.05
    done
    fail "nats-server did not start: $(tail -5 "$T/nats.log")"
}
stream() { nats_count "$NURL" TELEX | json_field "$1"; }
# wait_lag0: until the primary's publisher has every committed record acked
wait_lag0() {
    for _ in $(seq 1 600); do
        [ "$(metric telex_publish_lag_records)" = "0" ] && return 0
        sleep 0.1
    done
    fail "publish lag did not drain: $(metric telex_publish_lag_records)"
}
PUB=(--publish "$NURL" --publish-format msgpack --http-api --threads 2)

start_nats
start_telexd "${PUB[@]}"

# ---- 1. seeds, re-push, edit ------------------------------------------------
i=0
for f in "$TLX_SOURCE_DIR"/seeds/0*.txt; do
    telex push --id "seed-$i" --source "Seed Wire" "$f" >/dev/null
    i=$((i + 1))
done
wait_processed 5
wait_lag0
[ "$(stream "['messages']")" = 5 ] || fail "seeds: $(nats_count "$NURL" TELEX)"
ok "5 seeds -> 5 messages"
i=0
for f in "$TLX_SOURCE_DIR"/seeds/0*.txt; do
    out=$(telex push --id "seed-$i" --source "Seed Wire" "$f")
    case "$out" in duplicate*) ;; *) fail "re-push not a duplicate: $out" ;; esac
    i=$((i + 1))
done
sleep 0.5
wait_lag0
[ "$(stream "['messages']")" = 5 ] || fail "re-push: $(nats_count "$NURL" TELEX)"
ok "re-push -> still 5"
first=$(ls "$TLX_SOURCE_DIR"/seeds/0*.txt | head -1)
{ cat "$first"; printf '\nCorrection: this article was updated.\n'; } >"$T/edited.txt"
telex push --id seed-0 --source "Seed Wire" "$T/edited.txt" >/dev/null
wait_processed 6
wait_lag0
[ "$(stream "['messages']")" = 6 ] || fail "edit: $(nats_count "$NURL" TELEX)"
[ "$(stream "['distinct_ids']")" = 6 ] || fail "edit ids: $(nats_count "$NURL" TELEX)"
ok "edited article -> 6 messages (a new revision)"
# the README's C consumer-group example reads them all, acks each
nats_consumer_example "$NURL" e2e-group 6 >"$T/group.out" || fail "C consumer example"
[ "$(cut -d' ' -f2 "$T/group.out" | sort -u | wc -l)" = 6 ] || fail "C consumer example: $(cat "$T/group.out")"
$PY -c "import ast, sys; ast.parse(open(sys.argv[1]).read())" "$TLX_SOURCE_DIR/deploy/nats/consumer.py" || fail "consumer.py does not parse"
ok "deploy/nats/consumer.c (a JetStream pull consumer group) received the 6 records"

# ---- 2. HTTP API ---------------------------------------------------------------
ADDR=$(cat "$STORE/telexd.http")
SCHEMA="$TLX_SOURCE_DIR/store/ninjs-schema_3.0.json"
[ -f "$SCHEMA" ] || SCHEMA="$TLX_SOURCE_DIR/../shared/standards/ninjs/ninjs-schema_3.0.json"
$PY - "$ADDR" "$SCHEMA" <<'PYEOF' || fail "HTTP API"
import json, sys, urllib.request, urllib.error
addr, schema_path = sys.argv[1], sys.argv[2]
def get(path):
    try:
        r = urllib.request.urlopen("http://%s%s" % (addr, path), timeout=10)
        return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()
s, h, b = get("/v1/articles/seed-0")
assert s == 200 and h["Content-Type"].startswith("application/json"), (s, b[:200])
rec = json.loads(b)
assert rec["id"] == "seed-0" and rec["revision"] == 2, rec["revision"]
s, h, b = get("/v1/articles/seed-0?rev=1")
assert s == 200 and json.loads(b)["revision"] == 1
s, h, b = get("/v1/articles?since=0&limit=4")
lines = [json.loads(l) for l in b.splitlines()]
assert s == 200 and len(lines) == 4 and h["Telex-Next-Since"] == "4", (s, len(lines), dict(h))
s, h, b = get("/v1/articles?since=4")
assert s == 200 and len(b.splitlines()) == 2, b
s, h, b = get("/v1/query?source=seed%20wire")
ids = sorted(json.loads(l)["id"] for l in b.splitlines())
assert s == 200 and ids == ["seed-%d" % i for i in range(5)], ids   # newest revisions only
s, h, b = get("/v1/query?tag=no-such-tag-anywhere")
assert s == 200 and b == "", b
for bad in ["/v1/articles?limit=0", "/v1/articles?limit=1001", "/v1/articles?since=x", "/v1/articles?tags=a",
            "/v1/articles?since=1&since=2", "/v1/query", "/v1/query?from=2024-13-01", "/v1/query?to=yesterday",
            "/v1/query?entity=", "/v1/articles/seed-0?format=xml", "/v1/articles/seed-0?rev=0"]:
    s, h, b = get(bad)
    assert s == 400 and json.loads(b)["error"], (bad, s, b)
for missing in ["/v1/articles/no-such-id", "/v1/articles/seed-0?rev=9", "/v1/nothing"]:
    s, h, b = get(missing)
    assert s == 404 and json.loads(b)["error"], (missing, s, b)
s, h, b = get("/v1/articles/seed-1?format=ninjs")
assert s == 200, (s, b[:300])
item = json.loads(b)
import jsonschema
schema = json.load(open(schema_path))
cls = jsonschema.validators.validator_for(schema)
cls(schema).validate(item)
print("ok - HTTP API: 3 endpoints, 11 bad requests -> 400, 3 unknown -> 404, ninjs valid against", schema_path.split("/")[-1])
PYEOF

# ---- 3. a replica ----------------------------------------------------------------
RSTORE="$T/replica"
start_replica() {
    telexd --role replica --from "$NURL" --replica-name e2e-replica --store "$RSTORE" --http 127.0.0.1:0 \
        --http-api --listen "ipc://$T/replica.sock" >>"$T/replica.log" 2>&1 &
    REPLICA_PID=$!
    PIDS+=("$REPLICA_PID")
}
replica_count() { telex stats --store "$RSTORE" 2>/dev/null | json_field "['articles']" 2>/dev/null || echo 0; }
wait_replica() {
    for _ in $(seq 1 600); do
        [ "$(replica_count)" -ge "$1" ] && return 0
        kill -0 "$REPLICA_PID" 2>/dev/null || fail "replica exited: $(tail -5 "$T/replica.log")"
        sleep 0.1
    done
    fail "replica has $(replica_count) of $1 records: $(tail -5 "$T/replica.log")"
}
same_export() {
    telex export --store "$STORE" >"$T/primary.jsonl"
    telex export --store "$RSTORE" >"$T/replica.jsonl"
    cmp -s "$T/primary.jsonl" "$T/replica.jsonl" || fail "exports differ: $(diff <(cut -c1-80 "$T/primary.jsonl") <(cut -c1-80 "$T/replica.jsonl") | head -5)"
}
start_replica
wait_replica 6
same_export
telex verify --store "$RSTORE" >/dev/null || fail "verify on the replica: $(telex verify --store "$RSTORE")"
out=$(telex get --store "$RSTORE" seed-0 | json_field "['revision']")
[ "$out" = 2 ] || fail "replica get: revision $out"
ok "replica: 6 records, export identical to the primary, verify passes"
rc=0; out=$(telex push --to "ipc://$T/replica.sock" "$first" 2>&1) || rc=$?
[ "$rc" = 1 ] && echo "$out" | grep -q "rejected" || fail "a replica took an article: rc=$rc $out"
echo "$out" | grep -q "read_only" || fail "replica: no read_only reason: $out"
[ "$(replica_count)" = 6 ] || fail "replica stored a pushed article"
ok "a replica refuses producers (rejected, read_only)"

# ---- 4. SIGKILL telexd 5 times and the replica twice during a push ----------------------
bench_e2e --to "$EP" --count "$N" --prefix nk --acks "$T/acks" --timeout-ms 1000 --rate 1500 --no-wait \
    >"$T/bench.out" 2>&1 &
BENCH=$!
PIDS+=("$BENCH")
for round in 1 2 3 4 5; do
    sleep "0.$((RANDOM % 4 + 3))"
    kill -9 "$TELEXD_PID"
    wait "$TELEXD_PID" 2>/dev/null || true
    rm -f "$T/telexd.sock" "$STORE/telexd.http"
    if [ "$round" -le 2 ]; then
        kill -9 "$REPLICA_PID"
        wait "$REPLICA_PID" 2>/dev/null || true
        start_replica
    fi
    start_telexd "${PUB[@]}"
done
ok "killed telexd 5 times and the replica twice with SIGKILL"
wait "$BENCH" || fail "producer failed: $(cat "$T/bench.out")"
wait_processed $((N + 6))
wait_lag0
articles=$(telex list | wc -l)
[ "$articles" = $((N + 6)) ] || fail "store holds $articles articles, expected $((N + 6))"
c=$(nats_count "$NURL" TELEX)
[ "$(echo "$c" | json_field "['messages']")" = "$articles" ] || fail "stream: $c, store: $articles"
[ "$(echo "$c" | json_field "['distinct_ids']")" = "$articles" ] || fail "stream ids: $c, store: $articles"
ok "after 5 SIGKILLs: $articles articles = messages = distinct Nats-Msg-Id ($c)"
wait_replica "$articles"
same_export
ok "replica after 2 SIGKILLs: $(replica_count) records, no gap, no duplicate (export identical)"

# ---- 5. nats-server down for 10 s during ingestion ---------------------------------------
kill -TERM "$NATS_PID"
wait "$NATS_PID" 2>/dev/null || true
bench_e2e --to "$EP" --count 300 --prefix down --acks "$T/acks2" --timeout-ms 2000 --rate 300 >"$T/bench2.out" 2>&1 \
    || fail "producer failed while NATS was down: $(cat "$T/bench2.out")"
total=$((N + 306))
wait_processed "$total"
lag=$(metric telex_publish_lag_records)
[ "$lag" -gt 0 ] || fail "no lag while NATS was down"
errs=$(metric telex_publish_errors_total)
[ "$errs" -gt 0 ] || fail "no publish errors counted while NATS was down"
[ "$(http_get /ready | cut -d' ' -f1)" = 200 ] || fail "not ready while NATS was down"
sleep 10
start_nats
wait_lag0
c=$(nats_count "$NURL" TELEX)
[ "$(echo "$c" | json_field "['messages']")" = "$total" ] || fail "after the outage: $c, store: $total"
[ "$(echo "$c" | json_field "['distinct_ids']")" = "$total" ] || fail "after the outage ids: $c"
ok "NATS down 10 s: lag was $lag ($errs failed rounds), /ready stayed 200, drained to 0, $total messages"
wait_replica "$total"
same_export
ok "replica caught up after the outage: export identical"
kill -TERM "$REPLICA_PID"; wait "$REPLICA_PID" || fail "replica exit code $?"
stop_telexd
