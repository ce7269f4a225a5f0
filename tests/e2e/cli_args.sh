#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Bad option values are usage errors (exit 2 with a message), never read as
# 0 or as a prefix; the exit codes of push, top and enrich match the README.
. "$(dirname "$0")/lib/common.bash"
start_telexd --threads 1
printf 'A stored article\n\nWith a body.\n' >"$T/a.txt"
telex push "$T/a.txt" >/dev/null
wait_processed 1
stop_telexd
expect() { # expect RC CMD...: exit code and a message on stderr
    local want=$1 rc=0
    shift
    "$@" >"$T/out" 2>"$T/err" || rc=$?
    [ $rc -eq "$want" ] || fail "$*: exit $rc, want $want (stdout: $(head -c 200 "$T/out"))"
    [ "$want" -eq 0 ] || [ -s "$T/err" ] || fail "$*: exit $rc without a message"
}
for a in "list --since abc" "list --since -1" "list --limit -5" "list --limit 1x" "list --limit 0" \
         "export --since -1" "export --since 1x" "query --source x --limit abc" \
         "query --from 2024-02-30" "query --from 2023-02-29" "query --to 2024-13-01" "get --seq abc" \
         "get --rev -1 x" "push --wait 0 $T/a.txt" "push --window x $T/a.txt"; do
    # shellcheck disable=SC2086
    expect 2 telex $a
done
expect 0 telex list --since 0 --limit 1
expect 0 telex query --from 2024-02-29 --to 2024-03-01
ok "bad numbers and impossible dates: exit 2 with a message"
expect 1 telex push --wait 2 "$T/no-such-file.txt"
grep -qx "rejected unreadable $T/no-such-file.txt" "$T/out" || fail "push of a missing file: $(cat "$T/out")"
ok "push of a missing file: rejected unreadable, exit 1"
expect 2 telex top --once --http 127.0.0.1:1
ok "top without a daemon: exit 2"
head -c $((8 * 1024 * 1024 + 1)) /dev/zero | tr '\0' 'x' >"$T/big.txt"
expect 1 telex enrich "$T/big.txt"
grep -q "larger than 8388608 bytes" "$T/err" || fail "enrich of 8 MiB + 1: $(cat "$T/err")"
[ ! -s "$T/out" ] || fail "enrich printed a record of a cut input"
ok "enrich over 8 MiB: refused, exit 1"
