#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# kill -9 telexd (twice) while a producer pushes 5,000 articles; restart it.
# Every article the producer saw acked is stored exactly once, nothing is
# left in the inbox, and nothing was lost: all 5,000 end up stored.
. "$(dirname "$0")/lib/common.bash"
N=${TLX_KILL9_ARTICLES:-5000}

start_telexd --threads 2
bench_e2e --to "$EP" --count "$N" --prefix k9 --acks "$T/acks" --timeout-ms 1000 --rate 2000 --no-wait >"$T/bench.out" 2>&1 &
BENCH=$!
PIDS+=("$BENCH")
for round in 1 2; do
    sleep "0.$((RANDOM % 6 + 4))"
    kill -9 "$TELEXD_PID"
    wait "$TELEXD_PID" 2>/dev/null || true
    rm -f "$T/telexd.sock"
    acked=$(wc -l <"$T/acks" 2>/dev/null || echo 0)
    ok "round $round: killed telexd with SIGKILL after $acked acks"
    start_telexd --threads 2
done
wait "$BENCH" || fail "producer failed: $(cat "$T/bench.out")"
ok "producer finished: $(cat "$T/bench.out")"
wait_processed "$N"

assert_exactly_once "$N"
stop_telexd
