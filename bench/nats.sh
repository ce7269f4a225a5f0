#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# NATS JetStream figures for make bench (called by bench/run.sh):
#  * publish throughput: telexd republishes the STORE's records (json, then
#    msgpack) into fresh streams on a local nats-server -js (file storage);
#  * the publisher's lag while N articles go through the full pipeline at
#    full speed: the largest telex_publish_lag_records seen (sampled every
#    0.1 s) and how long it takes to drain after the last record.
# Usage: bench/nats.sh BUILD_DIR STORE N.   Figures are printed, never asserted.
set -euo pipefail
BUILD=$1 FULL=$2 N=$3
command -v nats-server >/dev/null || { echo "(no nats-server: make deps installs it)"; exit 0; }
T=$(mktemp -d /tmp/telex-bench-nats.XXXXXX)
NATS_PID=
cleanup() { [ -n "$NATS_PID" ] && kill "$NATS_PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
export TELEX_HTTP=127.0.0.1:0
metric_of() { # metric_of STORE NAME: one value from that telexd's /metrics (0 when unreachable)
    /usr/bin/python3 - "$(cat "$1/telexd.http" 2>/dev/null)" "$2" <<'PYEOF' 2>/dev/null || echo 0
import sys, urllib.request
for l in urllib.request.urlopen("http://%s/metrics" % sys.argv[1], timeout=5).read().decode().splitlines():
    if l.split(" ")[0] == sys.argv[2]:
        print(l.split(" ")[1]); break
else:
    print(0)
PYEOF
}
echo
echo "== NATS JetStream publisher (local nats-server -js, file storage)"
NPORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$T/nats"
nats-server -js -a 127.0.0.1 -p "$NPORT" -sd "$T/nats" >"$T/nats.log" 2>&1 &
NATS_PID=$!
sleep 0.5
for fmt in json msgpack; do
    rm -f "$FULL/telexd.http"
    "$BUILD/worker/telexd" --store "$FULL" --listen "ipc://$T/pub.sock" --pipeline null --publish "nats://127.0.0.1:$NPORT" \
        --publish-format "$fmt" --publish-stream "BENCH_${fmt}_$NPORT" --publish-subject "bench_${fmt}_$NPORT.<source>" 2>"$T/pub-$fmt.log" &
    pid=$!
    for _ in $(seq 1 200); do [ -s "$FULL/telexd.http" ] && break; sleep 0.01; done
    t0=$(date +%s.%N) # from the metrics listener's start: the store is opening, the publisher about to start
    for _ in $(seq 1 6000); do
        kill -0 $pid 2>/dev/null || { echo "telexd exited: $(tail -3 "$T/pub-$fmt.log")"; break; }
        [ "$(metric_of "$FULL" telex_published_total)" -ge "$N" ] 2>/dev/null && break
        sleep 0.05
    done
    t1=$(date +%s.%N)
    kill -TERM $pid; wait $pid || true
    echo "publish $fmt: $N records in $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s =" \
        "$(awk -v a="$t0" -v b="$t1" -v n="$N" 'BEGIN{printf "%d", n/(b-a)}') records/s"
done
# lag under the full pipeline's peak
rm -rf "$T/lag"
"$BUILD/worker/telexd" --store "$T/lag" --listen "ipc://$T/lag.sock" --publish "nats://127.0.0.1:$NPORT" \
    --publish-stream BENCH_LAG --publish-subject "bench_lag.<source>" 2>"$T/lag.log" &
pid=$!
for _ in $(seq 1 100); do [ -S "$T/lag.sock" ] && break; sleep 0.05; done
( peak=0; while kill -0 $pid 2>/dev/null; do
      l=$(metric_of "$T/lag" telex_publish_lag_records); [ "${l:-0}" -gt "$peak" ] 2>/dev/null && peak=$l
      echo "$peak" >"$T/lag.peak"; sleep 0.1
  done ) &
sampler=$!
lagrun=$("$BUILD/bench/bench_e2e" --to "ipc://$T/lag.sock" --store "$T/lag" --prefix lag --count "$N")
t0=$(date +%s.%N)
for _ in $(seq 1 6000); do [ "$(metric_of "$T/lag" telex_publish_lag_records)" = 0 ] && break; sleep 0.05; done
t1=$(date +%s.%N)
kill -TERM $pid; wait $pid || true
wait $sampler 2>/dev/null || true
echo "full pipeline + publish: $lagrun"
echo "publish lag at that peak: max $(cat "$T/lag.peak" 2>/dev/null || echo ?) records (sampled every 0.1 s)," \
    "drained $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s after the last record was processed"
kill -TERM $NATS_PID; wait $NATS_PID 2>/dev/null || true
NATS_PID=

