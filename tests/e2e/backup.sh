#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# telex backup while telexd writes under load: a hot, compacted copy that
# opens and verifies; verify also catches a damaged index.
. "$(dirname "$0")/lib/common.bash"
start_telexd --threads 2
bench_e2e --to "$EP" --count 2000 --prefix bk --rate 1000 --no-wait >/dev/null 2>&1 &
B=$!; PIDS+=("$B")
sleep 0.7
out=$(telex backup "$T/copy") || fail "backup during load: $out"
ok "$out"
telex verify --store "$T/copy" >/dev/null || fail "the copy does not verify"
n=$(telex stats --store "$T/copy" | json_field "['articles']")
[ "$n" -gt 0 ] || fail "empty copy"
set +e; telex backup "$T/copy" 2>"$T/err"; rc=$?; set -e
[ $rc -eq 2 ] && grep -q "already holds a store" "$T/err" || fail "backup over an existing store should refuse"
wait "$B"
wait_processed 2000
telex verify >/dev/null || fail "live store does not verify"
stop_telexd
# damage: drop one index entry behind telex's back; verify must report it and exit 1
$PY - "$STORE" <<'PYEOF'
import lmdb, sys
env = lmdb.open(sys.argv[1], max_dbs=32)
db = env.open_db(b"idx_source", dupsort=True, dupfixed=True, create=False)
with env.begin(write=True) as txn:
    cur = txn.cursor(db=db)
    assert cur.first()
    cur.delete()
PYEOF
set +e; telex verify >"$T/v.out"; rc=$?; set -e
[ $rc -eq 1 ] || fail "verify of a damaged store exited $rc"
grep -q "idx_source" "$T/v.out" || fail "verify did not name the damaged index"
ok "verify reports a damaged index (exit 1)"
