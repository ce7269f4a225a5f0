#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# telex push sets url, lang and meta, and reads JSON Lines envelopes; the
# fields reach the stored record; a bad line is reported and the rest sent.
. "$(dirname "$0")/lib/common.bash"

start_telexd
printf 'Rice prices rise in Pyongyang\n\nRice prices rose again in Pyongyang markets this week, traders said.\n' >"$T/a.txt"
out=$(telex push --source dailynk --id a-1 --url https://example.org/a-1 --lang en \
      --meta desk=north --meta lang_checked=yes --meta desk=economy "$T/a.txt")
[ "$out" = "accepted a-1 $T/a.txt" ] || fail "push output: $out"
wait_processed 1
telex get a-1 >"$T/a.json"
$PY - "$T/a.json" <<'PYEOF' || fail "fields of the pushed record"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["source"] == "dailynk", r["source"]
assert r["url"] == "https://example.org/a-1", r["url"]
# a repeated --meta key: the last value wins
assert r["meta"] == {"desk": "economy", "lang_checked": "yes"}, r["meta"]
PYEOF
# the record's lang is detected (the hint counts only when detection is
# unsure): the hint itself is in the stored envelope (raw and envelopes DBs, store/SCHEMA.md; read through the Python client)
raw_field() {
    PYTHONPATH="$TLX_SOURCE_DIR/clients/python" $PY - "$STORE" "$1" "$2" <<'PYEOF'
import sys, telex
with telex.Store(sys.argv[1]) as s:
    print(s.envelope(sys.argv[2]).get(sys.argv[3]))
PYEOF
}
[ "$(raw_field a-1 lang)" = "en" ] || fail "lang hint not in the envelope: $(raw_field a-1 lang)"
ok "--url, --lang, --meta reach the record"

set +e
telex push --url https://x "$T/a.txt" "$T/a.txt" 2>"$T/err"; rc=$?
telex push --meta novalue "$T/a.txt" 2>>"$T/err"; rc2=$?
set -e
[ $rc -eq 2 ] && [ $rc2 -eq 2 ] || fail "usage errors should exit 2 ($rc, $rc2)"
grep -q -- "--url names one article" "$T/err" || fail "message: $(cat "$T/err")"
grep -q -- "--meta takes KEY=VALUE" "$T/err" || fail "message: $(cat "$T/err")"
ok "--url with two inputs and --meta without '=' are usage errors"

# JSON Lines: escapes, unicode, meta object, defaults from the command line,
# a blank line, a broken line, a line with a wrong type, an unknown field
cat >"$T/in.jsonl" <<'JL'
{"text": "Flood warning for Sinuiju\n\nHeavy rain raised the Yalu River on Tuesday, officials said \u2014 again.", "id": "j-1", "url": "https://example.org/j-1", "meta": {"desk": "weather", "wire": "\u00e9t\u00e9"}}

{"text": "Markets reopen\n\nThe Sunday market in Hyesan reopened after a month.", "id": "j-2", "source": "rfa", "lang": "ko"}
{"text": "no closing brace"
{"text": 42, "id": "j-4"}
{"text": "Typo\n\nA field name with a typo.", "idd": "j-5"}
{"text": "Third\n\nThe third good article of the batch arrived last.", "id": "j-6", "meta": {"desk": "override"}}
JL
set +e
telex push --jsonl --source dailynk --lang en --meta desk=default --meta batch=7 <"$T/in.jsonl" >"$T/out" 2>"$T/err"; rc=$?
set -e
[ $rc -eq 1 ] || fail "a batch with bad lines should exit 1, got $rc"
sort "$T/out" >"$T/out.sorted"
cat >"$T/want" <<'W'
accepted j-1 -:1
accepted j-2 -:3
accepted j-6 -:7
rejected bad_input -:4
rejected bad_input -:5
rejected bad_input -:6
W
diff "$T/want" "$T/out.sorted" || fail "jsonl output"
grep -q -- "-:4: not JSON" "$T/err" || fail "line 4 reason: $(cat "$T/err")"
grep -q -- "-:5: field 'text' must be a string" "$T/err" || fail "line 5 reason: $(cat "$T/err")"
grep -q -- "-:6: unknown field 'idd'" "$T/err" || fail "line 6 reason: $(cat "$T/err")"
wait_processed 4
for id in j-1 j-2 j-6; do telex get "$id"; done >"$T/j.jsonl"
$PY - "$T/j.jsonl" <<'PYEOF' || fail "fields of the jsonl records"
import json, sys
dec = json.JSONDecoder()
text = open(sys.argv[1]).read()
recs, i = [], 0
while i < len(text):
    while i < len(text) and text[i].isspace():
        i += 1
    if i < len(text):
        r, i = dec.raw_decode(text, i)
        recs.append(r)
j1, j2, j6 = recs
assert j1["url"] == "https://example.org/j-1" and j1["source"] == "dailynk" and j1["lang"] == "en", j1
assert j1["meta"] == {"batch": "7", "desk": "weather", "wire": "\u00e9t\u00e9"}, j1["meta"]
assert "\u2014" in j1["body"], j1["body"]
assert j2["source"] == "rfa" and j2["meta"] == {"desk": "default", "batch": "7"}, j2
assert j6["meta"] == {"desk": "override", "batch": "7"}, j6["meta"]
PYEOF
[ "$(raw_field j-2 lang)" = "ko" ] || fail "jsonl lang not in the envelope"
[ "$(raw_field j-1 lang)" = "en" ] || fail "jsonl default lang not in the envelope"
ok "--jsonl: fields, escapes, command-line defaults, bad lines reported and skipped"

# from a file argument, and --id is refused with --jsonl
printf '{"text": "From a file\\n\\nPushed from a named JSON Lines file.", "id": "f-1"}\n' >"$T/f.jsonl"
out=$(telex push --jsonl "$T/f.jsonl")
[ "$out" = "accepted f-1 $T/f.jsonl:1" ] || fail "jsonl file output: $out"
set +e; telex push --jsonl --id x "$T/f.jsonl" 2>"$T/err"; rc=$?; set -e
[ $rc -eq 2 ] || fail "--jsonl --id should exit 2"
ok "--jsonl FILE"
stop_telexd
