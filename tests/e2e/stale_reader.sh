#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A reader process killed in the middle of a read txn leaves a reader slot
# that pins old pages: LMDB cannot reuse freed pages and the file grows.
# telexd clears such slots (mdb_reader_check at start and every
# --reader-check-ms).  Within one run: growth for the same load with a live
# reader pinning its snapshot vs. after a killed reader was cleared.
. "$(dirname "$0")/lib/common.bash"
start_telexd --threads 2 --reader-check-ms 300
bench_e2e --to "$EP" --store "$STORE" --count 300 --prefix warm >/dev/null
# Pages in use (LMDB's last page number), not the file's size: telexd extends
# data.mdb ahead of need in 16 MB steps, so two loads can fall in one step.
size() { $PY -c 'import lmdb, sys; e = lmdb.open(sys.argv[1], readonly=True, max_dbs=32); print(e.info()["last_pgno"] * e.stat()["psize"])' "$STORE"; }

# 1. a live reader pins a snapshot during a load
$PY "$(dirname "$0")/stale_reader.py" "$STORE" >"$T/r1" & R1=$!; PIDS+=("$R1")
for _ in $(seq 1 50); do grep -q ready "$T/r1" && break; sleep 0.1; done
s0=$(size)
bench_e2e --to "$EP" --store "$STORE" --count 600 --prefix pinned >/dev/null
pinned=$(( $(size) - s0 ))
kill -9 "$R1"; wait "$R1" 2>/dev/null || true      # killed mid-read: its slot stays behind
for _ in $(seq 1 50); do grep -q "cleared stale reader slots" "$T/telexd.log" && break; sleep 0.1; done
grep -q "cleared stale reader slots" "$T/telexd.log" || fail "telexd did not clear the dead reader's slot"
ok "telexd cleared the killed reader's slot"

# 2. the same load once the slot is cleared: freed pages are reused
s1=$(size)
bench_e2e --to "$EP" --store "$STORE" --count 600 --prefix cleared >/dev/null
cleared=$(( $(size) - s1 ))
ok "growth in pages used for 600 articles: $pinned bytes with a pinned snapshot, $cleared bytes after the stale slot was cleared"
[ "$cleared" -lt "$pinned" ] || fail "growth did not drop after clearing the stale reader"
stop_telexd
