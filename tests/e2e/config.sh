#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Configuration: --check-config explains and rejects with file:line reasons;
# precedence file < environment < flag; SIGHUP applies a new valid file
# live (threads, per-source time zone and rules) and keeps the running
# configuration when the new file is invalid; the README's reference is
# exactly what `telexd --help-config` prints.
. "$(dirname "$0")/lib/common.bash"

# README reference generated from the option table
$PY - "$TLX_SOURCE_DIR/README.md" "$(telexd --help-config)" <<'PYEOF' || fail "README config reference differs from telexd --help-config (paste its output between the markers)"
import sys
text = open(sys.argv[1]).read()
a = text.index("<!-- config-reference:begin -->") + len("<!-- config-reference:begin -->")
b = text.index("<!-- config-reference:end -->")
assert text[a:b].strip() == sys.argv[2].strip()
PYEOF
ok "README reference matches telexd --help-config"

cat >"$T/good.conf" <<'CONF'
; a comment
threads = 3
log_level = warn
max_text = 1M

[source.testsrc]
tz = Asia/Tokyo
currency = JPY
CONF
out=$(telexd --check-config "$T/good.conf")
grep -q "valid" <<<"$out" || fail "good config: $out"
grep -Eq '^threads += 3 +# file, line 2' <<<"$out" || fail "threads origin: $out"
grep -Eq '^max_text += 1048576 ' <<<"$out" || fail "size suffix: $out"
grep -q '\[source.testsrc\] tz=Asia/Tokyo currency=JPY' <<<"$out" || fail "source section: $out"
out=$(TELEX_THREADS=5 telexd --check-config "$T/good.conf")
grep -Eq '^threads += 5 +# environment' <<<"$out" || fail "env does not win over the file: $out"
out=$(TELEX_THREADS=5 telexd --check-config "$T/good.conf" --threads 7)
grep -Eq '^threads += 7 +# flag' <<<"$out" || fail "flag does not win over env: $out"
ok "check-config: values with origins; file < environment < flag"

cat >"$T/bad.conf" <<'CONF'
threads = 99
max_txt = 5
[source.x]
tz = Mars/Olympus
currency = dollars
[weird]
a = b
CONF
rc=0; out=$(telexd --check-config "$T/bad.conf" 2>&1) || rc=$?
[ $rc -eq 1 ] || fail "invalid config exit $rc"
for want in "bad.conf:1: threads: must be a whole number 0..64, got '99'" \
            "bad.conf:2: unknown option 'max_txt' (did you mean 'max_text'?)" \
            "bad.conf:4: [source.x] tz: unknown time zone 'Mars/Olympus'" \
            "bad.conf:5: [source.x] currency" "bad.conf:7: unknown section [weird]" "not valid (5 problems)"; do
    grep -qF "$want" <<<"$out" || fail "missing '$want' in: $out"
done
rc=0; telexd --threads nope >/dev/null 2>&1 || rc=$?
[ $rc -eq 2 ] || fail "bad flag exit $rc"
rc=0; out=$(telexd --frobnicate 2>&1) || rc=$?
[ $rc -eq 2 ] && grep -q "unknown option '--frobnicate'" <<<"$out" || fail "unknown flag: $rc $out"
ok "invalid files and flags: every problem with file:line, exit 1 (check) / 2 (start)"

# SIGHUP: live changes
printf 'exact Subscribe to the Test Source newsletter.\n' >"$T/test.rules"
cat >"$T/live.conf" <<'CONF'
threads = 1
CONF
start_telexd --config "$T/live.conf"
for _ in $(seq 1 50); do [ "$(metric telex_enrich_workers)" = 1 ] && break; sleep 0.05; done
article() { printf 'A headline about the river crossing\nKim Jin  |  2016-11-16 16:07\nBody paragraph one says things about the border and the river.\n\nSubscribe to the Test Source newsletter.\n'; }
article >"$T/a1.txt"
telex push --source testsrc --id before "$T/a1.txt" >/dev/null
wait_processed 1
[ "$(telex get before | json_field "['published_at']")" = "2016-11-16T16:07:00+00:00" ] || fail "before: $(telex get before | json_field "['published_at']")"

cat >"$T/live.conf" <<CONF
threads = 2
[source.testsrc]
tz = Asia/Tokyo
rules = $T/test.rules
CONF
kill -HUP "$TELEXD_PID"
for _ in $(seq 1 50); do [ "$(metric telex_reloads_total)" = 1 ] && break; sleep 0.05; done
[ "$(metric telex_reloads_total)" = 1 ] || fail "reload not applied: $(tail -3 "$T/telexd.log")"
for _ in $(seq 1 50); do [ "$(metric telex_enrich_workers)" = 2 ] && break; sleep 0.05; done
[ "$(metric telex_enrich_workers)" = 2 ] || fail "threads not raised: $(metric telex_enrich_workers)"
article | sed 's/river crossing/river crossing again/' >"$T/a2.txt"
telex push --source testsrc --id after "$T/a2.txt" >/dev/null
wait_processed 2
[ "$(telex get after | json_field "['published_at']")" = "2016-11-16T16:07:00+09:00" ] || fail "tz not applied: $(telex get after)"
telex get after | json_field "['boilerplate']" | grep -q "Subscribe to the Test Source" || fail "rules not applied: $(telex get after)"
telex get before | json_field "['body']" | grep -q "Subscribe to the Test Source" || fail "the earlier record changed"
ok "SIGHUP: threads 1 -> 2, per-source zone and rules applied to new articles"

cat >"$T/live.conf" <<'CONF'
threads = lots
CONF
kill -HUP "$TELEXD_PID"
for _ in $(seq 1 50); do grep -q "config reload failed" "$T/telexd.log" && break; sleep 0.05; done
grep -q 'config reload failed; keeping the running configuration.*threads: must be' "$T/telexd.log" || fail "no reload error logged"
[ "$(metric telex_reloads_total)" = 1 ] || fail "an invalid file was applied"
[ "$(http_get /ready)" = "200 ready" ] || fail "not ready after a failed reload"
cat >"$T/live.conf" <<'CONF'
threads = 1
CONF
kill -HUP "$TELEXD_PID"
for _ in $(seq 1 100); do [ "$(metric telex_enrich_workers)" = 1 ] && break; sleep 0.05; done
[ "$(metric telex_enrich_workers)" = 1 ] || fail "threads not lowered: $(metric telex_enrich_workers)"
telex push --source testsrc --id third "$T/a1.txt" >/dev/null   # same text as 'before': a duplicate
article | sed 's/river crossing/third crossing/' >"$T/a3.txt"
telex push --source testsrc --id fourth "$T/a3.txt" >/dev/null
wait_processed 3
ok "invalid reload logged and ignored; threads lowered 2 -> 1 and work goes on"
stop_telexd
