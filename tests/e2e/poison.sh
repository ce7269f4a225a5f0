#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Poison articles: one that crashes the process (abort in the pipeline) and
# one whose pipeline fails.  Each is tried K=3 times, then moved to the dead
# letters with stage and reason; every other article is stored; innocent
# articles in flight during a crash are not blamed (suspects run alone).
# `telex dead` lists them, `telex dead --replay ID` puts one back.
. "$(dirname "$0")/lib/common.bash"
export TELEX_TEST_HOOKS=1   # input-triggered failures (compiled in test builds)

printf 'TELEX-TEST-CRASH\n\nThis article aborts the pipeline.\n' >"$T/crash.txt"
printf 'TELEX-TEST-FAIL\n\nThis article fails in the pipeline.\n' >"$T/fail.txt"
# a supervisor, like systemd's Restart=on-failure: restart telexd whenever it dies
supervise() {
    while [ ! -f "$T/stop" ]; do
        rm -f "$T/telexd.sock"
        # in the background with its pid on file, so the cleanup of a failed
        # run kills it too (an orphan would keep every fd it inherited)
        telexd --store "$STORE" --listen "$EP" --threads 2 --max-attempts 3 >>"$T/telexd.log" 2>&1 &
        echo $! >"$T/supervised.pid"
        rc=0; wait $! || rc=$?
        echo "$rc" >>"$T/exits"
    done
}
supervise &
SUP=$!; PIDS+=("$SUP")
wait_until 120 "the supervised telexd did not start listening" test -S "$T/telexd.sock"
telex push --id fail-1 "$T/fail.txt" >/dev/null
# its K failures first: were its last try in flight when crash-1 kills the
# process, the try would count as a death and its stage would be "pipeline"
dead_at_least() { [ "$(telex stats | json_field "['dead']")" -ge "$1" ]; }
wait_until 300 "fail-1 did not reach the dead letters" dead_at_least 1
bench_e2e --to "$EP" --count 200 --prefix ok --timeout-ms 500 --no-wait >/dev/null 2>"$T/bench.err" &
B=$!; PIDS+=("$B")
telex push --id crash-1 --timeout-ms 500 "$T/crash.txt" >/dev/null
# the producer first: once it has exited every good article was acked, so
# is in the inbox or stored (--no-wait skips only bench_e2e's wait for the
# pipeline; it still waits for every ack).  (Checking it after reading the stats let a
# slow-starting producer push and exit between the two: an inbox read empty
# before its first article passed for drained.)
wait "$B" || fail "producer failed: $(tail -3 "$T/bench.err")"
# suspects run one at a time, slow on a loaded machine
settled() {
    local s; s=$(telex stats)
    [ "$(echo "$s" | json_field "['inbox']")" -eq 0 ] && [ "$(echo "$s" | json_field "['dead']")" -ge 2 ]
}
wait_until 400 "the inbox did not drain with both poison articles dead" settled
crashes=$(grep -vc '^0$' "$T/exits" 2>/dev/null || true)
s=$(telex stats)
ok "after $crashes crash(es): $s"
[ "$crashes" -eq 3 ] || fail "expected exactly 3 crashes (K=3), got $crashes"
[ "$(echo "$s" | json_field "['dead']")" -eq 2 ] || fail "expected 2 dead letters"
[ "$(echo "$s" | json_field "['articles']")" -eq 200 ] || fail "expected the 200 good articles stored"
telex dead >"$T/dead.jsonl"
grep -q '"id":"crash-1".*"attempts":3,"stage":"pipeline"' "$T/dead.jsonl" || fail "crash dead letter: $(cat "$T/dead.jsonl")"
grep -q '"id":"fail-1".*"stage":"test","reason":"failure requested' "$T/dead.jsonl" || fail "fail dead letter: $(cat "$T/dead.jsonl")"
ok "dead letters carry stage and reason"

out=$(telex dead --replay fail-1)
[ "$out" = "replayed 1 dead letter(s)" ] || fail "replay: $out"
wait_until 120 "telexd did not pick up the replay" grep -q "inbox rescanned.*dead letters replayed" "$T/telexd.log"
# the replayed fail-1 is tried K times again and returns to the dead letters
back_dead() {
    local s; s=$(telex stats)
    [ "$(echo "$s" | json_field "['dead']")" -eq 2 ] && [ "$(echo "$s" | json_field "['inbox']")" -eq 0 ]
}
wait_until 300 "the replayed article did not return to the dead letters" back_dead
[ "$(telex dead | grep -c '"id":"fail-1"')" -eq 1 ] || fail "replayed article should fail again and return once"
ok "replay put the article back; it failed K times again"
set +e; telex dead --replay nosuch >/dev/null; rc=$?; set -e
[ $rc -eq 1 ] || fail "replay of an unknown id should exit 1"
telex verify >/dev/null || fail "verify after poison"
touch "$T/stop"
kill -TERM "$(cat "$T/supervised.pid")"
wait "$SUP"
[ "$(tail -1 "$T/exits")" = "0" ] || fail "telexd did not exit 0 on SIGTERM"
