#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Near-duplicates: an article with one sentence edited links to the
# original; the same body under another headline is an exact duplicate;
# a different article from the same site does not link.
. "$(dirname "$0")/lib/common.bash"
S="$TLX_SOURCE_DIR/seeds"
start_telexd --threads 2
telex push --source dailynk --id orig "$S/003_cbb70c7f6c33b917.txt" >/dev/null
wait_processed 1
sed 's/He is now reportedly working at a construction site./He is said to be working on a building site these days./' \
    "$S/003_cbb70c7f6c33b917.txt" >"$T/edited.txt"
cmp -s "$S/003_cbb70c7f6c33b917.txt" "$T/edited.txt" && fail "the edit did not apply"
sed '1s/.*/A different headline for the same story/' "$S/003_cbb70c7f6c33b917.txt" >"$T/retitled.txt"
telex push --source dailynk --id edited "$T/edited.txt" >/dev/null
telex push --source dailynk --id retitled "$T/retitled.txt" >/dev/null
telex push --source dailynk --id other "$S/001_fb1bfa2ad44c6e4f.txt" >/dev/null
wait_processed 4
[ "$(telex get orig | json_field "['near_duplicate_of']")" = "None" ] || fail "the original links somewhere"
[ "$(telex get edited | json_field "['near_duplicate_of']")" = "orig" ] || fail "edited: $(telex get edited | json_field "['near_duplicate_of']")"
[ "$(telex get retitled | json_field "['near_duplicate_of']")" = "orig" ] || fail "retitled"
[ "$(telex get other | json_field "['near_duplicate_of']")" = "None" ] || fail "a different article linked"
ok "edited and retitled copies link to the original; a different article does not"
telex verify >/dev/null || fail "verify"
stop_telexd
