#!/usr/bin/env bash
# bench/ner_wall.sh -- whole-process speed of `telex ner --conll`: wall clock
# from exec to exit (start-up, model load, reading, tagging, writing,
# teardown), median and minimum of R runs, in tokens per second.
#
# usage: bench/ner_wall.sh [--runs R] [--input FILE] [--base BINARY] [BINARY]
#   BINARY   the telex to measure (default: build/client/telex)
#   --base   a second telex (e.g. one built from main) run alternately with
#            BINARY in the same session, so that both see the same machine
#            load; its output must be byte-identical
#   --input  CoNLL file (default: the CoNLL-2003 development set, eng.testa,
#            read from ../shared at run time; skipped when absent)
# Output goes to a file, not a pipe or /dev/null (what a user does).
# Figures are printed, never asserted.
set -euo pipefail
RUNS=25
IN=${TLX_NER_CONLL:-/work/shared/data/conll2003/eng.testa}
BIN=$(dirname "$0")/../build/client/telex
BASE=""
while [ $# -gt 0 ]; do
    case $1 in
    --runs) RUNS=$2; shift 2 ;;
    --input) IN=$2; shift 2 ;;
    --base) BASE=$2; shift 2 ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "ner_wall.sh: unknown option $1" >&2; exit 2 ;;
    *) BIN=$1; shift ;;
    esac
done
if [ ! -r "$IN" ]; then
    echo "ner_wall: no CoNLL input at $IN (set TLX_NER_CONLL); skipped"
    exit 0
fi
T=$(mktemp -d /tmp/telex-nerwall.XXXXXX)
trap 'rm -rf "$T"' EXIT
ntok=$(awk 'NF && $1 != "-DOCSTART-" {n++} END {print n + 0}' "$IN")

# one BINARY OUT -> wall microseconds of one run
one() {
    local s e
    s=$EPOCHREALTIME
    "$1" ner --conll "$IN" >"$2"
    e=$EPOCHREALTIME
    echo $(((${e/./} - ${s/./})))
}
# stats FILE -> "median_ms min_ms median_Mtok/s best_Mtok/s"
stats() {
    sort -n "$1" | awk -v n="$ntok" '{v[NR] = $1} END {
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "median %.1f ms (%.2f M tokens/s), min %.1f ms (%.2f M tokens/s)",
            m / 1000, n / m, v[1] / 1000, n / v[1] }'
}

# warm the page cache and check the outputs first
"$BIN" ner --conll "$IN" >"$T/b.out"
if [ -n "$BASE" ]; then
    "$BASE" ner --conll "$IN" >"$T/a.out"
    if ! cmp -s "$T/a.out" "$T/b.out"; then
        echo "ner_wall: outputs of $BASE and $BIN differ" >&2
        exit 1
    fi
fi
: >"$T/a"
: >"$T/b"
for _ in $(seq 1 "$RUNS"); do
    [ -n "$BASE" ] && one "$BASE" "$T/a.out" >>"$T/a"
    one "$BIN" "$T/b.out" >>"$T/b"
done
echo "telex ner --conll $(basename "$IN"), $ntok tokens, $RUNS runs, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
[ -n "$BASE" ] && echo "base ($BASE): $(stats "$T/a")"
echo "this ($BIN): $(stats "$T/b")"
if [ -n "$BASE" ]; then
    med() { sort -n "$1" | awk '{v[NR] = $1} END {print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
    awk -v a="$(med "$T/a")" -v b="$(med "$T/b")" 'BEGIN {printf "speed-up (median): %.2fx\n", a / b}'
fi
