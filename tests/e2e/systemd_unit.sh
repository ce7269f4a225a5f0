#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# deploy/telexd.service is a valid systemd unit (systemd-analyze verify, with
# ExecStart pointed at the built telexd) and keeps its contract: Type=notify,
# reload by SIGHUP, an unprivileged user, only the store writable.
. "$(dirname "$0")/lib/common.bash"
U="$TLX_SOURCE_DIR/deploy/telexd.service"
# the unit's paths are make install's (Makefile PREFIX, default /usr/local)
prefix=$(sed -n 's/^PREFIX *?= *//p' "$TLX_SOURCE_DIR/Makefile")
[ -n "$prefix" ] || fail "no PREFIX default in the Makefile"
grep -qx "ExecStart=$prefix/bin/telexd --config /etc/telex/telexd.conf" "$U" || fail "ExecStart is not $prefix/bin/telexd"
sed "s|$prefix/bin/telexd|$(command -v telexd)|" "$U" >"$T/telexd.service"
# systemd-analyze also checks that Documentation=man:telexd(8) exists: install into a temp prefix
cmake --install "$TLX_BUILD_DIR" --prefix "$T/inst" >/dev/null
out=$(MANPATH="$T/inst/share/man" systemd-analyze verify "$T/telexd.service" 2>&1) || fail "systemd-analyze verify: $out"
[ -z "$out" ] || fail "systemd-analyze warnings: $out"
for want in "Type=notify" "ExecReload=/bin/kill -HUP \$MAINPID" "User=telex" "ProtectSystem=strict" \
            "ReadWritePaths=/var/lib/telex" "NoNewPrivileges=yes" "WatchdogSec=" "CapabilityBoundingSet="; do
    grep -qF "$want" "$U" || fail "unit lacks $want"
done
telexd --check-config "$TLX_SOURCE_DIR/deploy/telexd.conf" >/dev/null || fail "deploy/telexd.conf does not validate"

# every Documentation= target is installed by make install (the temp prefix above)
for d in $(sed -n 's/^Documentation=//p' "$U"); do
    case $d in
        man:*) p=${d#man:}; n=${p%%(*}; sec=${p#*(}; sec=${sec%)}
               [ -f "$T/inst/share/man/man$sec/$n.$sec" ] || fail "Documentation $d is not installed" ;;
        file://$prefix/*) [ -f "$T/inst/${d#file://$prefix/}" ] || fail "Documentation $d is not installed" ;;
        *) fail "Documentation $d is neither a man page nor a file under $prefix" ;;
    esac
done
ok "Documentation= targets are installed"

# the example listens on loopback, or on the network only with CURVE on
eff=$(env -u TELEX_ENDPOINT -u TELEX_STORE -u TELEX_HTTP telexd --check-config "$TLX_SOURCE_DIR/deploy/telexd.conf")
listen=$(awk '$1 == "listen" {print $3}' <<<"$eff")
curve=$(awk '$1 == "curve_secret" {print $3}' <<<"$eff")
case $listen in
    tcp://127.0.0.1:*|ipc://*) ;;
    *) [ -n "$curve" ] && [ "$curve" != "#" ] || fail "deploy/telexd.conf listens on $listen without CURVE" ;;
esac
ok "example config: loopback ($listen) or CURVE"

# the README's systemd recipe creates the user the unit runs as and installs to the same prefix
grep -q "useradd .*telex" "$TLX_SOURCE_DIR/README.md" || fail "README's systemd recipe does not create the telex user"
grep -q "make install" "$TLX_SOURCE_DIR/README.md" || fail "README's systemd recipe does not install"
ok "deploy/telexd.service verifies; deploy/telexd.conf validates"
