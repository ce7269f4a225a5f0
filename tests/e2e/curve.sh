#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# CURVE: a client on the allow-list is served; an unknown key and a
# plain-text client are refused (no ack) and counted; keys never logged.
. "$(dirname "$0")/lib/common.bash"
cd "$T"
telex keygen --out server >/dev/null
telex keygen --out client >/dev/null
telex keygen --out stranger >/dev/null
[ "$(stat -c %a server.key)" = "600" ] || fail "secret key file mode"
cp client.pub allow.txt
start_telexd --curve-secret server.key --curve-allow allow.txt
printf 'Headline\n\nBody.\n' >a.txt
grep -q '^accepted ' <<<"$(telex push --curve-server server.pub --curve-key client.key a.txt)" || fail "allowed client"
ok "a client on the allow-list is served"
set +e
telex push --curve-server server.pub --curve-key stranger.key --wait 2 a.txt >/dev/null 2>&1; rc1=$?
telex push --wait 2 a.txt >/dev/null 2>&1; rc2=$?
set -e
[ $rc1 -eq 2 ] || fail "an unknown key was served ($rc1)"
[ $rc2 -eq 2 ] || fail "a plain-text client was served ($rc2)"
grep -q "refused a client: unknown CURVE key" "$T/telexd.log" || fail "refusal not logged"
ok "unknown key and plain text refused"
for k in server client stranger; do
    secret=$(grep -v '^#' $k.key)
    ! grep -qF "$secret" "$T/telexd.log" || fail "a secret key reached the log"
done
stop_telexd
grep -q "curve_refused=[1-9]" "$T/telexd.log" || fail "refusals not counted"
ok "refusals counted; no keys in the log"
