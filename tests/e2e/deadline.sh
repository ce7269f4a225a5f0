#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every article has a processing deadline (article_timeout_ms): a slow one
# fails with stage "timeout", each try counts as an attempt, and after
# max_attempts it is in the dead letters; the other articles are stored.
. "$(dirname "$0")/lib/common.bash"
export TELEX_TEST_HOOKS=1   # TELEX-TEST-SLOW: the pipeline takes 1 s
start_telexd --threads 2 --article-timeout-ms 300 --max-attempts 2
printf 'TELEX-TEST-SLOW\n\nThis article takes a second to process.\n' >"$T/slow.txt"
printf 'A quick article\n\nIt is processed at once.\n' >"$T/quick.txt"
telex push --id slow-1 "$T/slow.txt" >/dev/null
telex push --id quick-1 "$T/quick.txt" >/dev/null
for _ in $(seq 1 300); do [ "$(telex stats | json_field "['dead']")" -ge 1 ] && break; sleep 0.1; done
telex dead >"$T/dead.jsonl"
$PY - "$T/dead.jsonl" <<'PYEOF' || fail "dead letter of the slow article: $(cat "$T/dead.jsonl")"
import json, sys
d = [json.loads(l) for l in open(sys.argv[1])]
assert len(d) == 1, d
d = d[0]
assert d["id"] == "slow-1" and d["stage"] == "timeout", d
assert "the limit is 300 ms" in d["reason"], d
assert d["attempts"] == 2, d
print("ok - dead-lettered after 2 attempts:", d["reason"])
PYEOF
wait_processed 1
telex get quick-1 >/dev/null || fail "the quick article was not stored"
ok "the quick article is stored"
stop_telexd
