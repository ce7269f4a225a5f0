#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every kind of bad input gets a `rejected` ack with its reason, is counted and
# kept (bounded) in rejects, and the daemon keeps serving.
. "$(dirname "$0")/lib/common.bash"
start_telexd --threads 1
$PY "$(dirname "$0")/bad_input.py" "$EP"
wait_processed 4
stats=$(telex stats)
[ "$(echo "$stats" | json_field "['rejects']")" -eq 11 ] || fail "rejects count: $stats"
ok "11 rejects kept in the store"
# the repaired articles carry their flags
telex list | $PY -c "
import json,sys
recs=[json.loads(l) for l in sys.stdin]
flags=[f for r in recs for f in r['flags']]
assert 'utf8_repaired' in flags, flags
assert all('\x00' not in r['body'] for r in recs)
" || fail "repaired records lack flags or keep NULs"
ok "invalid UTF-8 repaired and flagged, NULs removed"
kill -0 "$TELEXD_PID" || fail "telexd died"
stop_telexd
