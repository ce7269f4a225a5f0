#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# make demo: start telexd on ./telex-data, push seeds/, print what was stored,
# stop the daemon cleanly.  Usage: tests/demo.sh BUILD_DIR
set -euo pipefail
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TELEXD="$BUILD/worker/telexd"
TELEX="$BUILD/client/telex"
STORE=${TELEX_STORE:-./telex-data}
EP=${TELEX_ENDPOINT:-tcp://127.0.0.1:5555}
LOG=$(mktemp /tmp/telexd-demo.XXXXXX.log)

echo "==> starting telexd (store $STORE, endpoint $EP, log $LOG)"
"$TELEXD" --store "$STORE" --listen "$EP" --http "${TELEX_HTTP:-127.0.0.1:0}" 2>"$LOG" &
PID=$!
trap 'kill -9 $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    grep -q 'msg="started"' "$LOG" && break
    if ! kill -0 $PID 2>/dev/null; then echo "telexd failed to start:"; cat "$LOG"; exit 1; fi
    sleep 0.05
done

echo "==> pushing $ROOT/seeds/*.txt"
"$TELEX" push --to "$EP" --source dailynk "$ROOT"/seeds/*.txt

echo "==> waiting until every accepted article is processed"
for _ in $(seq 1 300); do
    inbox=$("$TELEX" stats --store "$STORE" | sed -n 's/.*"inbox":\([0-9]*\).*/\1/p')
    [ "$inbox" = "0" ] && break
    sleep 0.1
done

echo "==> stored records (id, words, title)"
"$TELEX" list --store "$STORE" | /usr/bin/python3 -c '
import json, sys
for line in sys.stdin:
    r = json.loads(line)
    title = r.get("title") or "(no title)"
    print("%4d  %-18s %5d words  %s" % (r["seq"], r["id"], r["stats"]["words"], title[:70]))
'
echo "==> store: $("$TELEX" stats --store "$STORE")"
echo "==> metrics at http://$(cat "$STORE/telexd.http")/metrics (telex top shows them live):"
"$TELEX" top --once --interval 0.2 --store "$STORE" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)
t, g = d["totals"], d["gauges"]
print("    received %d, accepted %d, duplicate %d, processed %d, dead %d; inbox %d; ready %s" % (
    t["received"], t["accepted"], t["duplicate"], t["processed"], t["dead"], g["inbox_depth"], d["ready"]))
'

echo "==> stopping telexd (SIGTERM)"
kill -TERM $PID
wait $PID
trap - EXIT
echo "==> done: telexd exited cleanly. Read more with: $TELEX get --store $STORE ID"
