#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The Python client (clients/python, package `telex`) against a real telexd,
# with Debian's python3-zmq, python3-msgpack and python3-lmdb (no pip): the
# producer's semantics (results, window, same seq on re-send, dedup key,
# busy back-off on a full disk) and the store reader (feed, get, query,
# tail with a named cursor) against the C CLI's answers.
. "$(dirname "$0")/lib/common.bash"
export PYTHONPATH="$TLX_SOURCE_DIR/clients/python"
CHK="$TLX_SOURCE_DIR/clients/python/tests"

start_telexd
$PY "$CHK/check_producer.py" "$EP" "$STORE" "$TELEXD_PID" || fail "producer"
telex push --source dailynk "$TLX_SOURCE_DIR"/seeds/*.txt >/dev/null
n=$($PY -c "print(1 + 1 + 40 + 1 + 1 + 1 + 5)")
wait_processed "$n"
telex export >"$T/export.jsonl"
$PY "$CHK/check_store.py" "$STORE" "$T/export.jsonl" || fail "store"
stop_telexd

# busy: a store on a full 8 MB tmpfs answers busy; the Python producer backs
# off and re-sends until space returns, and every push ends accepted
SMALL="$T/small"; mkdir -p "$SMALL"
mount -t tmpfs -o size=8m tmpfs "$SMALL" || fail "cannot mount a tmpfs (the test runs as root, like CI)"
# on exit: telexd killed and reaped (it maps the tmpfs) before the umount,
# then the common cleanup (its exit code, the log of a failed run)
cleanup_small() {
    local rc=$?
    for p in "${PIDS[@]:-}"; do kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    umount "$SMALL" 2>/dev/null || umount -l "$SMALL" 2>/dev/null || true
    (exit $rc)
    cleanup
}
trap cleanup_small EXIT
STORE="$SMALL/store"; export TELEX_STORE="$STORE"
dd if=/dev/zero of="$SMALL/filler" bs=1k count=6800 status=none
start_telexd --threads 1 --notify none
$PY "$(dirname "$0")/disk_full.py" "$EP" a --until-busy >/dev/null || fail "disk did not fill"
# the pushes are held back until telexd has answered busy to them at least
# 10 times (telex_busy_total counts answers; disk_full.py saw the first
# one): on a loaded machine a fixed second may pass before they arrive
$PY - "$EP" "$SMALL/filler" "$STORE/telexd.http" <<'PYEOF' || fail "busy back-off"
import os, sys, time, urllib.request
import telex
ep, filler, http_file = sys.argv[1], sys.argv[2], sys.argv[3]


def busy_total():
    if not os.path.exists(http_file):
        return 0
    addr = open(http_file).read().strip()
    body = urllib.request.urlopen("http://%s/metrics" % addr, timeout=120).read().decode()
    return int(float(next(l.split()[1] for l in body.splitlines() if l.startswith("telex_busy_total "))))


p = telex.Producer(ep, timeout_ms=500)
body = "Prices rose again this week in the northern markets, a source said. " * 30
ds = [p.push("Busy %d\n\n%s Ref %d." % (i, body, i), id="busy-%d" % i) for i in range(10)]
end = time.monotonic() + 300  # a hang guard
while busy_total() < 11:
    assert time.monotonic() < end, "telexd did not answer busy to the pushes"
    p.poll(0.2)
    assert not any(d.done for d in ds), "acked while the disk is full"
os.unlink(filler)  # space returns; the producer's retries get through
assert p.flush(60), "not all acked after space returned"
assert [d.ack.status for d in ds] == ["accepted"] * 10, [d.ack for d in ds]
print("ok - busy: 10 pushes held back while the disk was full, all accepted after")
PYEOF
[ "$(metric telex_busy_total)" -ge 11 ] || fail "telex_busy_total: $(metric telex_busy_total)"
stop_telexd
