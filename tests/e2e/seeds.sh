#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Push the seeds, read them back, push them again (stored once), stop cleanly.
. "$(dirname "$0")/lib/common.bash"
SEEDS="$TLX_SOURCE_DIR/seeds"

start_telexd --threads 2
out=$(telex push "$SEEDS"/*.txt)
[ "$(echo "$out" | grep -c '^accepted ')" -eq 5 ] || fail "expected 5 accepted: $out"
ok "5 seeds accepted"

out2=$(telex push "$SEEDS"/*.txt)
[ "$(echo "$out2" | grep -c '^duplicate ')" -eq 5 ] || fail "expected 5 duplicates: $out2"
# the duplicate acks carry the ids of the first push
diff <(echo "$out" | awk '{print $3, $2}' | sort) <(echo "$out2" | awk '{print $3, $2}' | sort) || fail "duplicate ids differ"
ok "second push answered duplicate with the same ids"

wait_processed 5
stats=$(telex stats)
[ "$(echo "$stats" | json_field "['articles']")" -eq 5 ] || fail "stored more than once: $stats"
ok "stored once: $stats"
[ "$(echo "$stats" | json_field "['df_docs']")" -eq 5 ] || fail "document frequencies not counted at commit"

# read back by id: title and body of seed 003
id=$(echo "$out" | grep 003_ | awk '{print $2}')
rec=$(telex get "$id")
body=$(echo "$rec" | json_field "['body']")
case "$body" in *"Ministry of State Security (MSS)"*) ;; *) fail "body of 003 wrong: $body" ;; esac
[ "$(echo "$rec" | json_field "['id']")" = "$id" ] || fail "id mismatch"
[ "$(echo "$rec" | json_field "['stats']['words']")" -gt 300 ] || fail "word count too small"
ok "telex get returns the record"

n=$(telex list | wc -l)
[ "$n" -eq 5 ] || fail "telex list printed $n lines"
telex list | $PY -c "import json,sys; [json.loads(l) for l in sys.stdin]" || fail "list is not JSON Lines"
[ "$(telex list --since 3 | wc -l)" -eq 2 ] || fail "--since 3 should print 2"
[ "$(telex list --limit 2 | wc -l)" -eq 2 ] || fail "--limit 2 should print 2"
ok "telex list is JSON Lines in feed order"

# an external id, then a changed text under the same id: a new revision
printf 'Headline\n\nFirst version of the text.\n' > "$T/a.txt"
printf 'Headline\n\nSecond version of the text.\n' > "$T/b.txt"
grep -q '^accepted story-1 ' <<<"$(telex push --id story-1 "$T/a.txt")" || fail "push --id"
grep -q '^duplicate story-1 ' <<<"$(telex push --id story-1 "$T/a.txt")" || fail "same id+text should be duplicate"
grep -q '^accepted story-1 ' <<<"$(telex push --id story-1 "$T/b.txt")" || fail "changed text should be accepted"
wait_processed 7
[ "$(telex get story-1 | json_field "['revision']")" -eq 2 ] || fail "newest revision should be 2"
[ "$(telex get story-1 --rev 1 | json_field "['body']")" = "First version of the text." ] || fail "--rev 1"
ok "revisions"

set +e
telex get no-such-id 2>"$T/err"; rc=$?
set -e
[ $rc -eq 1 ] || fail "get of a missing id should exit 1, got $rc"
grep -q "no article with id no-such-id" "$T/err" || fail "missing-id message"
ok "missing id: exit 1 with a clear message"

stop_telexd
ok "SIGTERM: exit 0"
