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
    if [ $rc -ne 0 ] && [ -f "$T/telexd.log" ]; then
        echo "--- telexd.log (last 30 lines)"; tail -30 "$T/telexd.log"
    fi
    rm -rf "$T"
    exit $rc
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
ok() { echo "ok - $*"; }

# start_telexd [extra args...]: starts telexd in the background, waits until it answers.
start_telexd() {
    telexd --store "$STORE" --listen "$EP" "$@" >>"$T/telexd.log" 2>&1 &
    TELEXD_PID=$!
    PIDS+=("$TELEXD_PID")
    for _ in $(seq 1 100); do
        [ -S "$T/telexd.sock" ] && return 0
        kill -0 "$TELEXD_PID" 2>/dev/null || fail "telexd exited at start: $(tail -5 "$T/telexd.log")"
        sleep 0.05
    done
    fail "telexd did not start listening"
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

# wait_processed N: until the store holds N articles and the inbox is empty.
wait_processed() {
    local want=$1
    for _ in $(seq 1 600); do
        local s; s=$(telex stats --store "$STORE" 2>/dev/null || true)
        if [ -n "$s" ]; then
            local a i
            a=$(echo "$s" | json_field "['articles']"); i=$(echo "$s" | json_field "['inbox']")
            [ "$a" -ge "$want" ] && [ "$i" -eq 0 ] && return 0
        fi
        sleep 0.1
    done
    fail "store did not reach $want processed articles: $(telex stats --store "$STORE")"
}
