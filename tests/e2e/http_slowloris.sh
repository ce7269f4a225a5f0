#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Slow HTTP clients (slowloris) do not take /health and /ready away: more
# connections than the listener admits, each trickling a header byte before
# the idle timeout, from one address and from eleven; a probe from another
# address is still answered and ingestion goes on.
. "$(dirname "$0")/lib/common.bash"
start_telexd --threads 1
for _ in $(seq 1 100); do [ -s "$STORE/telexd.http" ] && break; sleep 0.05; done
addr=$(cat "$STORE/telexd.http")
$PY - "$addr" <<'PYEOF' || fail "slowloris"
import socket, sys, time, http.client
host, port = sys.argv[1].rsplit(":", 1)
port = int(port)
def probe(path):
    c = http.client.HTTPConnection(host, port, timeout=5, source_address=("127.0.0.2", 0))
    c.request("GET", path)
    r = c.getresponse()
    return r.status, r.read().decode()
slow = []
def open_slow(src, n):
    for _ in range(n):
        s = socket.socket()
        s.settimeout(2)
        try:
            s.bind((src, 0))
            s.connect((host, port))
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
            slow.append(s)
        except OSError:
            s.close()
def trickle():
    for s in slow:
        try:
            s.sendall(b"X-a: b\r\n")
        except OSError:
            pass
# 1. 80 from one address: at most 16 per client address get in
open_slow("127.0.0.1", 80)
trickle()
st, body = probe("/health")
assert st == 200 and body == "ok\n", (st, body)
# 2. eleven more addresses, 16 each (176 slow connections offered in all)
for i in range(10, 21):
    open_slow("127.0.0.%d" % i, 16)
    trickle()
for _ in range(3):
    time.sleep(1)
    trickle()
    st, body = probe("/health")
    assert st == 200 and body == "ok\n", (st, body)
    st, body = probe("/ready")
    assert st == 200 and body == "ready\n", (st, body)
alive = 0
for s in slow:
    try:
        s.sendall(b"X-b: c\r\n")
        s.setblocking(False)
        try:
            if s.recv(1) == b"":
                continue
        except BlockingIOError:
            pass
        alive += 1
    except OSError:
        pass
assert alive <= 80, "too many slow connections kept: %d" % alive
print("ok - %d slow connections offered, %d still open; /health and /ready answered" % (len(slow), alive))
PYEOF
printf 'During the attack\n\nIngestion goes on.\n' >"$T/a.txt"
telex push "$T/a.txt" | grep -q '^accepted' || fail "push during the attack"
wait_processed 1
ok "ingestion goes on"
stop_telexd
