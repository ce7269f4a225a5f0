#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# telexd on a 64 KiB initial map: it grows the map on MDB_MAP_FULL, replays
# the batch and stores everything.
. "$(dirname "$0")/lib/common.bash"
start_telexd --threads 2 --map-size 65536
bench_e2e --to "$EP" --store "$STORE" --count 300 --prefix grow >"$T/bench.out" || fail "$(cat "$T/bench.out")"
wait_processed 300
grep -q "map full, growing" "$T/telexd.log" || fail "the map never grew"
size=$(telex stats | json_field "['map_size']")
[ "$size" -gt 65536 ] || fail "map size $size"
ok "map grew to $size bytes; 300 articles stored"
stop_telexd
