#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Daemon mode and systemd: `telexd --daemon --pid-file` returns 0 only once
# the daemon serves, holds a locked pid file that a second instance
# respects, and removes it on SIGTERM; a start-up failure under --daemon
# exits 1.  In the foreground with NOTIFY_SOCKET set (as systemd runs a
# Type=notify unit) it sends READY=1, then STOPPING=1 on SIGTERM.
. "$(dirname "$0")/lib/common.bash"
PIDF="$T/telexd.pid"

telexd --daemon --pid-file "$PIDF" --store "$STORE" --listen "$EP" 2>>"$T/telexd.log" || fail "--daemon exit $?"
pid=$(cat "$PIDF")
PIDS+=("$pid")
kill -0 "$pid" || fail "pid file names no running process"
[ -S "$T/telexd.sock" ] || fail "daemon not listening when --daemon returned"
[ "$(http_get /ready)" = "200 ready" ] || fail "daemon not ready when --daemon returned"
[ "$(ps -o sid= -p "$pid" | tr -d ' ')" != "$(ps -o sid= -p $$ | tr -d ' ')" ] || fail "daemon did not leave the session"
ok "--daemon returned 0 after start-up; pid file $pid; own session; ready"

rc=0; out=$(telexd --pid-file "$PIDF" --store "$T/other" --listen "ipc://$T/other.sock" 2>&1) || rc=$?
[ $rc -eq 1 ] && grep -q "another telexd holds the pid file $PIDF (pid $pid)" <<<"$out" || fail "second instance: $rc $out"
ok "a second instance refuses the locked pid file"

telex push --source dailynk "$TLX_SOURCE_DIR/seeds/000_b95e5fb43f31aefa.txt" >/dev/null
wait_processed 1
kill -TERM "$pid"
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
kill -0 "$pid" 2>/dev/null && fail "daemon still running after SIGTERM"
[ ! -e "$PIDF" ] || fail "pid file left behind"
ok "SIGTERM stops the daemon and removes the pid file"

mkdir -p "$T/ro" && chmod 0500 "$T/ro"
if [ "$(id -u)" = 0 ]; then BAD="/proc/telex-store"; else BAD="$T/ro/store"; fi
rc=0; telexd --daemon --store "$BAD" --listen "ipc://$T/bad.sock" --http none 2>"$T/bad.log" || rc=$?
[ $rc -eq 1 ] || fail "--daemon with an unusable store exit $rc"
grep -q "start-up failed" "$T/bad.log" || fail "no start-up failure message: $(cat "$T/bad.log")"
ok "--daemon exits 1 when start-up fails: $(grep -m1 'cannot' "$T/bad.log" | sed 's/.*msg=//' | cut -c1-80)"

# sd_notify: a Type=notify unit's view
$PY - "$T" <<'PYEOF' || fail "sd_notify"
import os, signal, socket, subprocess, sys, time
t = sys.argv[1]
path = os.path.join(t, "notify.sock")
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(path); s.settimeout(10)
env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC="400000")
p = subprocess.Popen(["telexd", "--store", os.path.join(t, "sd"), "--listen", "ipc://%s/sd.sock" % t,
                      "--log-format", "json"],
                     env=env, stderr=open(os.path.join(t, "sd.log"), "w"))

got = []
def expect(word):
    end = time.time() + 10
    while time.time() < end:
        msg = s.recv(4096).decode()
        got.append(msg)
        if word in msg.split("\n"):
            return msg
    raise SystemExit("no %s in %r" % (word, got))
ready = expect("READY=1")
assert "MAINPID=%d" % p.pid in ready, ready
expect("WATCHDOG=1")
p.send_signal(signal.SIGTERM)
expect("STOPPING=1")
assert p.wait(10) == 0
import json
lines = [json.loads(l) for l in open(os.path.join(t, "sd.log"))]  # every line is one JSON object
msgs = [l["msg"] for l in lines]
assert "started" in msgs and "stopped" in msgs, msgs
assert all(l["level"] in ("info", "warn", "error", "debug") and l["ts"].endswith("Z") for l in lines)
assert isinstance([l for l in lines if l["msg"] == "started"][0]["articles"], int)
print("ok - --log-format json: %d log lines, each a JSON object" % len(lines))
print("ok - sd_notify: READY=1 (with MAINPID, STATUS) at start, WATCHDOG=1 pings, STOPPING=1 on SIGTERM, exit 0")
PYEOF
