#!/usr/bin/env bash
# deploy/telexd.service is a valid systemd unit (systemd-analyze verify, with
# ExecStart pointed at the built telexd) and keeps its contract: Type=notify,
# reload by SIGHUP, an unprivileged user, only the store writable.
. "$(dirname "$0")/lib/common.bash"
U="$TLX_SOURCE_DIR/deploy/telexd.service"
sed "s|/usr/bin/telexd|$(command -v telexd)|" "$U" >"$T/telexd.service"
out=$(systemd-analyze verify "$T/telexd.service" 2>&1) || fail "systemd-analyze verify: $out"
[ -z "$out" ] || fail "systemd-analyze warnings: $out"
for want in "Type=notify" "ExecReload=/bin/kill -HUP \$MAINPID" "User=telex" "ProtectSystem=strict" \
            "ReadWritePaths=/var/lib/telex" "NoNewPrivileges=yes" "WatchdogSec=" "CapabilityBoundingSet="; do
    grep -qF "$want" "$U" || fail "unit lacks $want"
done
telexd --check-config "$TLX_SOURCE_DIR/deploy/telexd.conf" >/dev/null || fail "deploy/telexd.conf does not validate"
ok "deploy/telexd.service verifies; deploy/telexd.conf validates"
