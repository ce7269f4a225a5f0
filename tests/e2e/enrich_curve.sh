#!/usr/bin/env bash
# CURVE with an allow-list on the enrich link (scale-out): a store with
# enrich-curve-secret/-allow gives jobs only to enrich workers whose public
# key is listed.  An enrich process with an unknown key, and a plain-text
# peer that says hello and sends forged results, get nothing and nothing
# they send is committed; refusals are logged and counted.  An enrich
# process with a listed key gets the articles and they are stored.  With
# role all the local threads (inproc) work as before.
. "$(dirname "$0")/lib/common.bash"
cd "$T"
telex keygen --out link >/dev/null
telex keygen --out good >/dev/null
telex keygen --out stranger >/dev/null
cp good.pub allow.txt
PORT=$(free_port)
BACK="tcp://127.0.0.1:$PORT"
N=20

start_telexd --role store --enrich-listen "$BACK" --heartbeat-ms 200 \
    --enrich-curve-secret link.key --enrich-curve-allow allow.txt
grep -q "CURVE enabled on the enrich link" "$T/telexd.log" || fail "CURVE not enabled on the enrich link"
bench_e2e --to "$EP" --count $N --prefix ec --no-wait >"$T/bench.out" 2>&1 || fail "producer: $(cat "$T/bench.out")"

enrich() { # name key: an enrich process with the key pair KEY
    telexd --role enrich --connect "$BACK" --threads 1 --heartbeat-ms 200 --http none \
        --enrich-curve-secret "$2.key" --enrich-curve-server link.pub >>"$T/$1.log" 2>&1 &
    PIDS+=($!)
    eval "${1}_PID=$!"
}
enrich intruder stranger

# a plain-text peer: hello, then forged results for every seq it guesses
$PY - "$BACK" "$N" <<'PYEOF' || fail "plain-text peer"
import struct, sys, time
import msgpack, zmq
ep, n = sys.argv[1], int(sys.argv[2])
s = zmq.Context().socket(zmq.DEALER)
s.setsockopt(zmq.LINGER, 0)
s.connect(ep)
s.send(b"H" + struct.pack("<I", 16) + bytes([3]))
rec = msgpack.packb({"id": "forged", "revision": 1, "body": "FORGED"})
for seq in range(1, n + 1):
    for token in (0, seq, 2**64 - 1):
        s.send_multipart([b"R" + struct.pack("<QQ", seq, token) + b"\x00", rec])
got = s.poll(2000)
assert not got, "the store answered a plain-text peer"
print("ok - a plain-text peer got no answer")
PYEOF

for _ in $(seq 1 100); do grep -q 'refused a client: unknown CURVE key.*domain="telex-enrich"' "$T/telexd.log" && break; sleep 0.1; done
grep -q 'refused a client: unknown CURVE key.*domain="telex-enrich"' "$T/telexd.log" || fail "unknown enrich key not refused"
sleep 1 # what the intruder could have done, it has had the time to do
[ "$(metric telex_enrich_workers)" = 0 ] || fail "an unknown enricher was admitted: $(metric telex_enrich_workers)"
s=$(telex stats)
[ "$(echo "$s" | json_field "['articles']")" = 0 ] || fail "something was committed: $s"
[ "$(echo "$s" | json_field "['inbox']")" = $N ] || fail "inbox: $s"
[ "$(metric telex_curve_refused_total)" -ge 1 ] || fail "refusals not counted"
ok "an enricher with an unknown key and a plain-text peer get no jobs; nothing committed"

enrich worker good
wait_processed $N
telex list >"$T/list.jsonl"
! grep -q FORGED "$T/list.jsonl" || fail "a forged record was stored"
[ "$(wc -l <"$T/list.jsonl")" = $N ] || fail "$(wc -l <"$T/list.jsonl") records, expected $N"
ok "an enricher with a listed key processed all $N articles"
kill -0 "$intruder_PID" || fail "the refused enricher died"
grep -q "curve=on" "$T/worker.log" || fail "the enrich process did not report CURVE"

for k in link good stranger; do
    secret=$(grep -v '^#' $k.key)
    ! grep -qF "$secret" "$T/telexd.log" "$T/worker.log" "$T/intruder.log" || fail "a secret key reached a log"
done
kill -TERM "$worker_PID" "$intruder_PID"
wait "$worker_PID" || fail "the enrich process exited non-zero"
stop_telexd

# role all: the local enrich threads (inproc) are not affected by CURVE
start_telexd --threads 1 --enrich-listen "$BACK" --enrich-curve-secret link.key --enrich-curve-allow allow.txt
printf 'Local headline\n\nProcessed by a local thread.\n' >local.txt
telex push --id local-1 local.txt >/dev/null
wait_processed $((N + 1))
ok "role all: local threads work with CURVE on the enrich link"
stop_telexd
