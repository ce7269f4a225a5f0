#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A damaged store is refused or reported, never a crash and never silent:
#  * data.mdb cut short: telexd exits 1 and every CLI command exits 2 with
#    the reason (no SIGBUS), `verify` reports it (exit 1);
#  * data.mdb emptied or removed: telexd refuses instead of creating an
#    empty store over the lost articles;
#  * any one page zeroed: `list` prints every record or exits 1 with the
#    reason (never a short listing with exit 0, never a signal), and
#    `verify` never aborts and reports what `list` could not read;
#  * a second telexd on the same store exits 1 naming the first one's pid.
. "$(dirname "$0")/lib/common.bash"
N=400
mkdir -p "$T/in"
$PY - "$T/in" "$N" <<'PYEOF'
import sys
d, n = sys.argv[1], int(sys.argv[2])
words = "ministry officials border trade market province rice price report source said".split()
for i in range(n):
    body = " ".join(words[(i * 7 + j) % len(words)] for j in range(40))
    with open(f"{d}/a{i:04d}.txt", "w") as f:
        f.write(f"Report number {i} from the border\n\n{body}.\n\nArticle {i} ends here.\n")
PYEOF
start_telexd --threads 2
telex push "$T"/in/*.txt >"$T/push.out" || fail "push: $(tail -3 "$T/push.out")"
wait_processed $N
pid1=$TELEXD_PID

# -- a second telexd on the same store ------------------------------------
# (`timeout` on each telexd expected to exit: a hang guard, generous because
# the machine may be loaded; the point is the exit code and its reason)
rc=0
timeout 120 telexd --store "$STORE" --listen "ipc://$T/second.sock" >"$T/second.log" 2>&1 || rc=$?
[ $rc -eq 1 ] || fail "second telexd on the same store: exit $rc, want 1 ($(tail -2 "$T/second.log"))"
grep -q "store $STORE is in use by pid $pid1" "$T/second.log" || fail "second telexd: $(cat "$T/second.log")"
kill -0 "$pid1" || fail "the first telexd died"
ok "a second telexd exits 1: $(grep -o 'store .* in use by pid [0-9]*' "$T/second.log")"
stop_telexd
[ -s "$STORE/telex.store" ] || fail "no identity marker beside data.mdb"

telex list >"$T/all.jsonl"
[ "$(wc -l <"$T/all.jsonl")" -eq $N ] || fail "intact store lists $(wc -l <"$T/all.jsonl")"
cp -a "$STORE" "$T/orig"
restore() { rm -rf "$STORE"; cp -a "$T/orig" "$STORE"; }
PSIZE=4096
size=$(stat -c %s "$T/orig/data.mdb")
pages=$((size / PSIZE))

# run_cli NAME ARGS...: exit code of a telex command into $T/rc, never a signal
run_cli() {
    local rc=0
    telex "$@" >"$T/out" 2>"$T/err" || rc=$?
    [ $rc -lt 128 ] || fail "telex $* died with signal $((rc - 128)): $(head -3 "$T/err")"
    echo $rc >"$T/rc"
}

# -- cut short by two pages, and by half -------------------------------------
for cut in $((size - 2 * PSIZE)) $((size / 2)); do
    restore
    truncate -s $cut "$STORE/data.mdb"
    rc=0
    timeout 120 telexd --store "$STORE" --listen "ipc://$T/cut.sock" >"$T/cut.log" 2>&1 || rc=$?
    [ $rc -eq 1 ] || fail "telexd on a data.mdb cut to $cut bytes: exit $rc ($(tail -2 "$T/cut.log"))"
    grep -q "cut short" "$T/cut.log" || fail "telexd gives no reason: $(cat "$T/cut.log")"
    for cmd in "list" "export" "stats" "get a" "query --source x" "tail --group g" "dead"; do
        # shellcheck disable=SC2086
        run_cli $cmd
        [ "$(cat "$T/rc")" -eq 2 ] || fail "telex $cmd on a cut-short store: exit $(cat "$T/rc")"
        grep -q "cut short" "$T/err" || fail "telex $cmd gives no reason: $(cat "$T/err")"
    done
    run_cli verify
    [ "$(cat "$T/rc")" -eq 1 ] && grep -q "cut short" "$T/out" || fail "verify of a cut-short store: $(cat "$T/out")"
done
ok "data.mdb cut short: telexd exits 1, the CLI exits 2 with the reason, verify reports it"

# -- emptied, then removed -----------------------------------------------------
restore
: >"$STORE/data.mdb"
rc=0
timeout 120 telexd --store "$STORE" --listen "ipc://$T/empty.sock" >"$T/empty.log" 2>&1 || rc=$?
[ $rc -eq 1 ] || fail "telexd on an empty data.mdb: exit $rc"
grep -q "data.mdb is empty" "$T/empty.log" || fail "no reason: $(cat "$T/empty.log")"
[ "$(stat -c %s "$STORE/data.mdb")" -eq 0 ] || fail "the empty data.mdb was re-created as a new store"
run_cli list
[ "$(cat "$T/rc")" -eq 2 ] && grep -q "data.mdb is empty" "$T/err" || fail "list on an empty data.mdb: $(cat "$T/err")"
run_cli tail --group g
[ "$(cat "$T/rc")" -eq 2 ] && [ "$(stat -c %s "$STORE/data.mdb")" -eq 0 ] || fail "tail re-created the store"
rm -f "$STORE/data.mdb"
rc=0
timeout 120 telexd --store "$STORE" --listen "ipc://$T/empty.sock" >"$T/empty.log" 2>&1 || rc=$?
[ $rc -eq 1 ] && grep -q "data.mdb is missing" "$T/empty.log" || fail "telexd without data.mdb: exit $rc: $(cat "$T/empty.log")"
[ ! -e "$STORE/data.mdb" ] || fail "a new store was created where one was lost"
ok "an emptied or removed data.mdb is refused, not replaced by an empty store"

# -- another store's data.mdb ----------------------------------------------------
restore
mkdir -p "$T/other"
telexd --store "$T/other" --listen "ipc://$T/other.sock" >"$T/other.log" 2>&1 &
opid=$!
PIDS+=("$opid")
other_up() { [ -S "$T/other.sock" ] || { kill -0 $opid 2>/dev/null || fail "telexd on the other store exited: $(tail -3 "$T/other.log")"; false; }; }
wait_until 120 "telexd on the other store did not start listening" other_up
kill -TERM $opid
wait $opid || fail "telexd on the other store exited $? after SIGTERM"
cp "$T/other/data.mdb" "$STORE/data.mdb"
rc=0
timeout 120 telexd --store "$STORE" --listen "ipc://$T/x.sock" >"$T/x.log" 2>&1 || rc=$?
[ $rc -eq 1 ] && grep -q "not the store telex.store names" "$T/x.log" || fail "another store's data.mdb: exit $rc: $(cat "$T/x.log")"
ok "another store's data.mdb is refused"

# -- one zeroed page at a time ---------------------------------------------------
restore
cp "$STORE/data.mdb" "$T/data.orig"
failed=0 verified=0
for p in $(seq 2 $((pages - 1))); do
    dd if=/dev/zero of="$STORE/data.mdb" bs=$PSIZE seek=$p count=1 conv=notrunc status=none
    run_cli list
    lrc=$(cat "$T/rc")
    if [ "$lrc" -eq 0 ]; then
        cmp -s "$T/out" "$T/all.jsonl" || fail "page $p zeroed: list exits 0 with $(wc -l <"$T/out") of $N records"
    else
        # 1: stopped while reading; 2: the store did not open (its DB table is damaged)
        [ "$lrc" -eq 1 ] || [ "$lrc" -eq 2 ] || fail "page $p zeroed: list exit $lrc"
        grep -q "damaged" "$T/err" || fail "page $p zeroed: list exit $lrc without a reason: $(cat "$T/err")"
        failed=$((failed + 1))
        run_cli verify
        [ "$(cat "$T/rc")" -eq 1 ] || fail "page $p zeroed: list fails but verify exits $(cat "$T/rc"): $(tail -3 "$T/out")"
        grep -q "verify: FAILED" "$T/out" || fail "page $p zeroed: verify printed no verdict: $(tail -3 "$T/out")"
        verified=$((verified + 1))
        if [ $((failed % 8)) -eq 1 ]; then
            for cmd in export "tail --group g$p"; do
                # shellcheck disable=SC2086
                run_cli $cmd
                [ "$(cat "$T/rc")" -eq 1 ] || [ "$(cat "$T/rc")" -eq 2 ] || fail "page $p zeroed: telex $cmd exit $(cat "$T/rc")"
                grep -q "damaged" "$T/err" || fail "page $p zeroed: telex $cmd exit $(cat "$T/rc") without a reason: $(cat "$T/err")"
            done
        fi
    fi
    dd if="$T/data.orig" of="$STORE/data.mdb" bs=$PSIZE skip=$p seek=$p count=1 conv=notrunc status=none
done
[ $failed -gt 0 ] || fail "no zeroed page made list fail (is the store too small?)"
ok "$((pages - 2)) pages zeroed one at a time: list complete or exit 1 with the reason ($failed), verify reported each ($verified)"

# -- one undecodable record: readers report it and go on -----------------------
restore
$PY - "$STORE" <<'PYEOF'
import lmdb, sys
env = lmdb.open(sys.argv[1], max_dbs=32, subdir=True)
db = env.open_db(b"articles", create=False)
with env.begin(write=True, db=db) as t:
    t.put((5).to_bytes(8, "big"), b"\x82\xa2id\xa3bad")  # a map of two entries cut after the first key's value
env.close()
PYEOF
rc=0
telex list >"$T/out" 2>"$T/err" || rc=$?
[ $rc -eq 1 ] || fail "list over an undecodable record: exit $rc"
[ "$(wc -l <"$T/out")" -eq $((N - 1)) ] || fail "list over an undecodable record printed $(wc -l <"$T/out") of $((N - 1))"
grep -q "record 5 does not decode" "$T/err" || fail "list does not name the record: $(cat "$T/err")"
rc=0
telex tail --group skip >"$T/out" 2>"$T/err" || rc=$?
[ $rc -eq 1 ] && [ "$(wc -l <"$T/out")" -eq $((N - 1)) ] || fail "tail over an undecodable record: exit $rc, $(wc -l <"$T/out") lines"
rc=0
telex tail --group skip >"$T/out" 2>"$T/err" || rc=$?
[ $rc -eq 0 ] && [ ! -s "$T/out" ] || fail "the tail group is stuck on the bad record: exit $rc, $(cat "$T/err")"
ok "an undecodable record is reported by seq and skipped; a tail group moves past it"
