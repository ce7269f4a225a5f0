# SPDX-License-Identifier: Apache-2.0
# Shared helpers for the e2e tests (sourced, not run by ctest).
# Every test gets its own temp dir, store and ipc endpoint, so tests can run
# in parallel; telexd processes are killed on exit whatever happens.
set -euo pipefail
# Debian's python3 (python3-zmq, python3-msgpack, python3-lmdb), not a pyenv shim
PY=/usr/bin/python3

T=$(mktemp -d /tmp/telex-e2e.XXXXXX)
STORE="$T/store"
EP="ipc://$T/telexd.sock"
export TELEX_STORE="$STORE" TELEX_ENDPOINT="$EP"
PIDS=()

cleanup() {
    local rc=$?
    for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill -9 "$p" 2>/dev/null || true; done
    # a telexd a test's own supervisor loop started (its pid on file)
    if [ -s "$T/supervised.pid" ]; then kill -9 "$(cat "$T/supervised.pid")" 2>/dev/null || true; fi
    if [ $rc -ne 0 ] && [ -f "$T/telexd.log" ]; then
        echo "--- telexd.log (last 30 lines)"; tail -30 "$T/telexd.log"
    fi
    rm -rf "$T"
    exit $rc
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }

# wait_until SECS WHAT CMD...: runs CMD every 0.1 s until it succeeds; fails
# with "WHAT" after SECS seconds.  Tests wait on observable state (a socket,
# a count in the store, a log line), never on a fixed sleep; the deadline only
# guards against a hang and is generous on purpose: under ctest -j2 on a
# loaded 2-core machine a step can take 20x what it takes on an idle one.
wait_until() {
    local secs=$1 what=$2
    shift 2
    local end=$((SECONDS + secs))
    until "$@"; do
        [ "$SECONDS" -lt "$end" ] || fail "$what (after ${secs} s)"
        sleep 0.1
    done
}

# free_port: prints a TCP port of 127.0.0.1 that nothing listens on, chosen at random
# below the kernel's ephemeral range.  bind(0) would hand out a port from that range,
# where the outgoing connections of tests running in parallel take their local ports:
# one could hold it by the time the daemon binds it.
free_port() {
    $PY - <<'PYEOF'
import random, socket
lo = int(open("/proc/sys/net/ipv4/ip_local_port_range").read().split()[0])
for _ in range(200):
    port = random.randrange(10000, max(lo, 10001))
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    break
else:
    raise SystemExit("no free port below the ephemeral range")
PYEOF
}

# start_telexd [extra args...]: starts telexd in the background, waits until it answers.
# Metrics listener on a free port (the default 9464 would collide between tests);
# telexd writes the bound address to $STORE/telexd.http.
export TELEX_HTTP=127.0.0.1:0

start_telexd() {
    telexd --store "$STORE" --listen "$EP" "$@" >>"$T/telexd.log" 2>&1 &
    TELEXD_PID=$!
    PIDS+=("$TELEXD_PID")
    local end=$((SECONDS + 120))
    until [ -S "$T/telexd.sock" ]; do
        kill -0 "$TELEXD_PID" 2>/dev/null || fail "telexd exited at start: $(tail -5 "$T/telexd.log")"
        [ "$SECONDS" -lt "$end" ] || fail "telexd did not start listening in 120 s"
        sleep 0.05
    done
}

# stop_telexd: SIGTERM and expect exit 0.
stop_telexd() {
    kill -TERM "$TELEXD_PID"
    local rc=0
    wait "$TELEXD_PID" || rc=$?
    [ $rc -eq 0 ] || fail "telexd exited $rc after SIGTERM"
    rm -f "$T/telexd.sock"
}

# json_get FIELD: reads one JSON object on stdin, prints FIELD (python3 expression path).
json_field() { $PY -c "import json,sys; d=json.load(sys.stdin); print(eval('d'+sys.argv[1]))" "$1"; }

# processed N: true when the store holds N articles and the inbox is empty.
processed() {
    local s a i
    s=$(telex stats --store "$STORE" 2>/dev/null) || return 1
    a=$(echo "$s" | json_field "['articles']") && i=$(echo "$s" | json_field "['inbox']") || return 1
    [ "$a" -ge "$1" ] && [ "$i" -eq 0 ]
}

# wait_processed N: until the store holds N articles and the inbox is empty.
wait_processed() {
    local end=$((SECONDS + 400))
    until processed "$1"; do
        [ "$SECONDS" -lt "$end" ] || fail "store did not reach $1 processed articles in 400 s: $(telex stats --store "$STORE")"
        sleep 0.1
    done
}

# http_get PATH: GET from telexd's metrics listener (address in $STORE/telexd.http);
# prints "STATUS BODY".  Waits for the address file (written once the listener
# is bound, which may come after the ZeroMQ socket).
http_get() {
    wait_until 120 "telexd wrote no $STORE/telexd.http" test -s "$STORE/telexd.http"
    $PY - "$(cat "$STORE/telexd.http")" "$1" <<'PYEOF'
import sys, urllib.request, urllib.error
addr, path = sys.argv[1], sys.argv[2]
try:
    r = urllib.request.urlopen("http://%s%s" % (addr, path), timeout=120)
    print(r.status, r.read().decode())
except urllib.error.HTTPError as e:
    print(e.code, e.read().decode())
PYEOF
}

# metric NAME[{labels}]: the value of one series from /metrics (exact match).
metric() {
    http_get /metrics | awk -v k="$1" '$1 == k { print $2; found=1 } END { if (!found) print "missing" }'
}

# assert_exactly_once N: after a producer wrote "status id" lines to $T/acks
# (bench_e2e --acks), every one of the N articles was acked accepted or
# duplicate, every acked article is stored, none twice, and the inbox is empty.
assert_exactly_once() {
    telex list >"$T/list.jsonl"
    $PY - "$T/acks" "$T/list.jsonl" "$1" <<'PYEOF' || fail "exactly-once check"
import collections, json, sys
acks, listing, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
acked = dict(line.split()[::-1] for line in open(acks))
stored = collections.Counter(json.loads(l)["id"] for l in open(listing))
dups = [i for i, c in stored.items() if c > 1]
assert not dups, f"stored more than once: {dups[:5]}"
missing = [i for i, s in acked.items() if s in ("accepted", "duplicate") and i not in stored]
assert not missing, f"acked but not stored: {missing[:5]}"
bad = [i for i, s in acked.items() if s not in ("accepted", "duplicate")]
assert not bad, f"acked neither accepted nor duplicate: {bad[:5]}"
assert len(acked) == n, f"only {len(acked)} of {n} acked"
assert len(stored) == n, f"{len(stored)} stored, expected {n}"
print(f"ok - {n} acked, {len(stored)} stored exactly once, "
      f"{sum(1 for s in acked.values() if s == 'duplicate')} re-sends answered duplicate")
PYEOF
    [ "$(telex stats | json_field "['inbox']")" -eq 0 ] || fail "inbox not empty"
}
