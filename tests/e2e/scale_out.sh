#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Scale-out: one `telexd --role store` and two `telexd --role enrich`
# processes on loopback TCP.  A producer pushes 3,000 articles; one enrich
# process is killed with SIGKILL mid-run.  Its articles are re-dispatched
# after the heartbeat timeout: every article is stored exactly once, the
# inbox ends empty, and `telex verify` passes.
. "$(dirname "$0")/lib/common.bash"
N=${TLX_SCALE_ARTICLES:-3000}
PORT=$(free_port)
BACK="tcp://127.0.0.1:$PORT"

start_telexd --role store --enrich-listen "$BACK" --heartbeat-ms 200
start_enrich() {
    telexd --role enrich --connect "$BACK" --threads 1 --heartbeat-ms 200 --http none >>"$T/enrich$1.log" 2>&1 &
    EPIDS[$1]=$!
    PIDS+=("${EPIDS[$1]}")
}
EPIDS=()
start_enrich 1
start_enrich 2
for _ in $(seq 1 100); do [ "$(metric telex_enrich_workers)" = 2 ] && break; sleep 0.05; done
[ "$(metric telex_enrich_workers)" = 2 ] || fail "enrich workers connected: $(metric telex_enrich_workers)"
ok "store process sees 2 remote enrich workers"

bench_e2e --to "$EP" --count "$N" --prefix so --acks "$T/acks" --timeout-ms 2000 --rate 1500 --no-wait >"$T/bench.out" 2>&1 &
BENCH=$!
PIDS+=("$BENCH")
for _ in $(seq 1 200); do [ "$(metric telex_processed_total)" -ge $((N / 4)) ] 2>/dev/null && break; sleep 0.05; done
kill -9 "${EPIDS[1]}"
ok "killed enrich process 1 with SIGKILL after $(metric telex_processed_total) records"
wait "$BENCH" || fail "producer failed: $(cat "$T/bench.out")"
wait_processed "$N"
[ "$(metric telex_enrich_workers)" = 1 ] || fail "dead worker not expired: $(metric telex_enrich_workers)"
ok "dead worker expired; $(metric telex_redispatched_total) articles re-dispatched"

assert_exactly_once "$N"
telex verify >/dev/null || fail "verify"

# the store restarts (a deploy): the surviving enrich process reconnects by itself
stop_telexd
start_telexd --role store --enrich-listen "$BACK" --heartbeat-ms 200
bench_e2e --to "$EP" --count 100 --prefix again --timeout-ms 2000 --no-wait >"$T/bench2.out" 2>&1 || fail "second producer: $(cat "$T/bench2.out")"
wait_processed $((N + 100))
kill -0 "${EPIDS[2]}" || fail "the enrich process died when the store restarted"
ok "store restarted: the remaining enrich process reconnected and processed 100 more"

# a clean leave re-dispatches at once (no heartbeat wait) and the store keeps serving
kill -TERM "${EPIDS[2]}"
wait "${EPIDS[2]}" || fail "enrich process exited non-zero after SIGTERM"
for _ in $(seq 1 40); do [ "$(metric telex_enrich_workers)" = 0 ] && break; sleep 0.05; done
[ "$(metric telex_enrich_workers)" = 0 ] || fail "leaving worker still counted"
ok "an enrich process stopped with SIGTERM leaves at once and exits 0"
stop_telexd
