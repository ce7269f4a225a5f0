#!/usr/bin/env bash
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

telex list >"$T/list.jsonl"
$PY - "$T/acks" "$T/list.jsonl" "$N" <<'PYEOF'
import collections, json, sys
acks, listing, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
acked = {}
for line in open(acks):
    status, ident = line.split()
    acked[ident] = status
stored = collections.Counter(json.loads(l)["id"] for l in open(listing))
dups = [i for i, c in stored.items() if c > 1]
assert not dups, f"stored more than once: {dups[:5]}"
missing = [i for i, s in acked.items() if s in ("accepted", "duplicate") and i not in stored]
assert not missing, f"acked but not stored: {missing[:5]}"
assert len(acked) == n, f"only {len(acked)} of {n} acked"
assert len(stored) == n, f"{len(stored)} stored, expected {n}"
bad = [i for i, s in acked.items() if s == "rejected"]
assert not bad, bad[:5]
print(f"ok - {n} acked, {len(stored)} stored exactly once, "
      f"{sum(1 for s in acked.values() if s == 'duplicate')} re-sends answered duplicate")
PYEOF
[ "$(telex stats | json_field "['inbox']")" -eq 0 ] || fail "inbox not empty"
stop_telexd
