#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every article has a processing deadline (article_timeout_ms): a slow one
# fails with stage "timeout", each try counts as an attempt, and after
# max_attempts it is in the dead letters; the other articles are stored.
# The stages check the deadline as they go: an article that is slow inside
# a stage (a long text against a 1 ms limit) is stopped there, and the
# reason names the stage.
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

# slow inside the stages: 3 MB of prose against a 1 ms limit
$PY - "$T/long.txt" <<'PYEOF'
import sys
s = ["Kim Jong Un visited a factory in Sinuiju on Tuesday, state media said. ",
     "\"We will raise output by 20 percent,\" the manager told reporters. ",
     "Rice sold for 5,000 won per kilogram near the border, a source said. "]
out, n, i = ["Factory visit\n\n"], 0, 0
while n < 3 << 20:
    out.append(s[i % 3] + ("\n\n" if i % 7 == 6 else "")); n += len(out[-1]); i += 1
open(sys.argv[1], "w").write("".join(out))
PYEOF
start_telexd --threads 1 --article-timeout-ms 1 --max-attempts 2
telex push --id long-1 "$T/long.txt" >/dev/null
for _ in $(seq 1 300); do [ "$(telex stats | json_field "['dead']")" -ge 2 ] && break; sleep 0.1; done
telex dead >"$T/dead2.jsonl"
$PY - "$T/dead2.jsonl" <<'PYEOF' || fail "dead letter of the long article: $(cat "$T/dead2.jsonl")"
import json, sys
d = [x for x in map(json.loads, open(sys.argv[1])) if x["id"] == "long-1"]
assert len(d) == 1, d
d = d[0]
assert d["stage"] == "timeout" and d["attempts"] == 2, d
assert "processing was stopped in stage " in d["reason"] and "the limit is 1 ms" in d["reason"], d
print("ok - stopped inside a stage, dead-lettered after 2 attempts:", d["reason"])
PYEOF
stop_telexd
