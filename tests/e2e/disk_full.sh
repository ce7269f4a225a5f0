#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Full disk: telexd on a 8 MB tmpfs.  When the disk fills, telexd answers
# `busy`, reports not ready on /ready (never loses an accepted article, never crashes) and resumes by
# itself when space returns.  Needs root to mount; otherwise skips (77).
. "$(dirname "$0")/lib/common.bash"
SMALL="$T/small"
mkdir -p "$SMALL"
if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o size=8m tmpfs "$SMALL" 2>"$T/mount.err"; then
    echo "SKIP: cannot mount a 8 MB tmpfs for the full-disk test ($(id -u) / $(cat "$T/mount.err" 2>/dev/null)); run as root"
    exit 77
fi
trap 'for p in "${PIDS[@]:-}"; do kill -9 "$p" 2>/dev/null || true; done; sleep 0.2; umount "$SMALL" 2>/dev/null; rm -rf "$T"' EXIT
STORE="$SMALL/store"; export TELEX_STORE="$STORE"
# leave ~1.3 MB free for the store
dd if=/dev/zero of="$SMALL/filler" bs=1k count=6800 status=none
start_telexd --threads 1 --notify none
out=$($PY "$(dirname "$0")/disk_full.py" "$EP" a --until-busy) || fail "$out"
ok "$out"
grep -q "store not writable, answering busy" "$T/telexd.log" || fail "no busy log line"
kill -0 "$TELEXD_PID" || fail "telexd died on a full disk"
ready=$(http_get /ready)
[ "$ready" = "503 not ready: store not writable (disk full)" ] || fail "/ready while the disk is full: $ready"
[ "$(metric telex_disk_full)" = 1 ] && [ "$(metric telex_busy_total)" -ge 1 ] || fail "disk-full metrics"
ok "/ready answers 503 while the disk is full; telex_disk_full 1"
accepted=$(echo "$out" | awk '{print $2}')
rm -f "$SMALL/filler"                    # space returns
out2=$($PY "$(dirname "$0")/disk_full.py" "$EP" b --expect-accept 20) || fail "after space returned: $out2"
ok "space returned: $out2 (no restart)"
wait_processed $((accepted + 20))
grep -q "store writable again" "$T/telexd.log" || fail "no recovery log line"
[ "$(http_get /ready)" = "200 ready" ] || fail "/ready after space returned: $(http_get /ready)"
telex verify >/dev/null || fail "verify after disk full"
ok "every accepted article stored; verify passes"
stop_telexd
