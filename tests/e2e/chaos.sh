#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Chaos: a producer pushes articles while telexd is killed with SIGKILL at
# random moments and restarted.  Every commit is held open a few ms (test
# hook) so kills land inside group commits, and the store starts on a tiny
# map so kills also land inside map resizes.  At the end every article acked
# `accepted` is stored exactly once, the inbox is empty, `telex verify` passes.
# make test runs a short form; `make chaos` the long one (20,000 articles, 20 kills).
. "$(dirname "$0")/lib/common.bash"
N=${TLX_CHAOS_ARTICLES:-3000}
KILLS=${TLX_CHAOS_KILLS:-6}
export TELEX_TEST_HOOKS=1 TELEX_TEST_COMMIT_DELAY_MS=${TELEX_TEST_COMMIT_DELAY_MS:-3}
RATE=$((N * 1000 / (KILLS * 500 + 1000)))

start_telexd --threads 2 --map-size 65536
bench_e2e --to "$EP" --count "$N" --prefix chaos --acks "$T/acks" --timeout-ms 800 --rate "$RATE" --no-wait \
    >"$T/bench.out" 2>&1 &
BENCH=$!; PIDS+=("$BENCH")
grows_before=0
for k in $(seq 1 "$KILLS"); do
    sleep "0.$((RANDOM % 7 + 2))"
    kill -9 "$TELEXD_PID"
    wait "$TELEXD_PID" 2>/dev/null || true
    rm -f "$T/telexd.sock"
    start_telexd --threads 2 --map-size 65536
done
ok "$KILLS SIGKILLs; map grew $(grep -c 'map full, growing' "$T/telexd.log") times across them"
wait "$BENCH" || fail "producer failed: $(cat "$T/bench.out")"
wait_processed "$N"
assert_exactly_once "$N"
telex verify || fail "verify after chaos"
stop_telexd
