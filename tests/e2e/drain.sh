#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# SIGTERM while articles are queued: exit 0 at once or within the drain
# deadline; what was accepted but not processed stays in the inbox and is
# processed after the restart.
. "$(dirname "$0")/lib/common.bash"
start_telexd --threads 1 --drain-ms 200
bench_e2e --to "$EP" --count 2000 --prefix drain --acks "$T/acks" --no-wait >"$T/bench.out" 2>&1 || fail "$(cat "$T/bench.out")"
stop_telexd
accepted=$(grep -c '^accepted ' "$T/acks")
stats=$(telex stats)
left=$(echo "$stats" | json_field "['inbox']")
done_=$(echo "$stats" | json_field "['articles']")
ok "stopped with $done_ stored and $left left in the inbox ($accepted accepted)"
[ $((left + done_)) -eq "$accepted" ] || fail "inbox + stored != accepted: $stats"
start_telexd --threads 2
wait_processed "$accepted"
ok "after restart all $accepted are stored"
stop_telexd
