#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every command answers --help; errors are clear and exit codes scriptable.
. "$(dirname "$0")/lib/common.bash"

grep -q "usage: telexd" <<<"$(telexd --help)" || fail "telexd --help"
grep -q "usage: telex" <<<"$(telex --help)" || fail "telex --help"
for c in push get list stats enrich; do
    grep -q "usage: telex $c" <<<"$(telex "$c" --help)" || fail "telex $c --help"
done
ok "--help everywhere"

set +e
telex frobnicate 2>/dev/null; [ $? -eq 2 ] || fail "unknown command should exit 2"
telex stats --store "$T/nowhere" 2>"$T/err"; rc=$?
set -e
[ $rc -eq 2 ] || fail "stats on a missing store should exit 2"
grep -q "telex: cannot open store $T/nowhere: No such file or directory" "$T/err" || fail "message: $(cat "$T/err")"
ok "missing store: clear message"

if [ "$(id -u)" -ne 0 ]; then
    mkdir -p "$T/locked" && chmod 000 "$T/locked"
    set +e; telex stats --store "$T/locked/s" 2>"$T/err"; set -e
    grep -q "Permission denied" "$T/err" || fail "permission message"
fi

# push with no daemon: a clear answer, exit 2, no hang beyond --wait
printf 'Title\n\nBody.\n' > "$T/a.txt"
set +e
telex push --to "ipc://$T/nobody.sock" --wait 1 "$T/a.txt" 2>"$T/err"; rc=$?
set -e
[ $rc -eq 2 ] || fail "push without telexd should exit 2, got $rc"
grep -q "is telexd running" "$T/err" || fail "no-daemon message: $(cat "$T/err")"
ok "push without a daemon: exit 2 with a reason"

# offline enrich needs no daemon and prints the record
title=$(telex enrich "$TLX_SOURCE_DIR/seeds/003_cbb70c7f6c33b917.txt" | json_field "['title']")
[ "$title" = "State security agents weary of surveillance duties and lack of prospects" ] || fail "enrich title: $title"
cat "$TLX_SOURCE_DIR/seeds/003_cbb70c7f6c33b917.txt" | telex enrich - | $PY -c "import json,sys; json.load(sys.stdin)"
ok "telex enrich offline"

# store directory is created private
start_telexd
[ "$(stat -c %a "$STORE")" = "700" ] || fail "store dir mode $(stat -c %a "$STORE")"
stop_telexd
ok "store created 0700"
