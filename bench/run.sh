#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# make bench: end-to-end figures for the full pipeline beside the null
# pipeline (same sockets, acks and store; no text processing) measured in
# the same run, then the per-stage micro benchmarks that exist.
# Usage: bench/run.sh BUILD_DIR.   Figures are printed, never asserted.
set -euo pipefail
BUILD=${1:-build}
N=${TLX_BENCH_ARTICLES:-20000}
export TELEX_HTTP=127.0.0.1:0 # never collide with a telexd already running here
T=$(mktemp -d /tmp/telex-bench.XXXXXX)
trap 'pkill -9 -f "telexd --store $T" 2>/dev/null || true; rm -rf "$T"' EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/{print $2}') GiB; $(uname -sr)"

run() { # run NAME PIPELINE [bench args...]
    local name=$1 pipeline=$2; shift 2
    rm -rf "$T/$name"
    "$BUILD/worker/telexd" --store "$T/$name" --listen "ipc://$T/$name.sock" --pipeline "$pipeline" 2>"$T/$name.log" &
    local pid=$!
    for _ in $(seq 1 100); do [ -S "$T/$name.sock" ] && break; sleep 0.05; done
    local line
    line=$("$BUILD/bench/bench_e2e" --to "ipc://$T/$name.sock" --store "$T/$name" --prefix "$name" "$@")
    echo "$line $(s_cpu $pid "$line")"
    kill -TERM $pid; wait $pid || true
}
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }
# CPU per article of server PID after a bench_e2e LINE: the whole process
# (all threads) and its busiest thread (telexd's: the writer), in us.
# Steadier than articles/s on a shared machine.
s_cpu() { # s_cpu PID LINE
    local n hz
    n=$(echo "$2" | field articles); hz=$(getconf CLK_TCK)
    awk -v n="$n" -v hz="$hz" 'FNR == 1 { t = $14 + $15; s += t; if (t > m) m = t }
        END { if (n > 0) printf "cpu_us_per_article=%.0f busiest_thread_us_per_article=%.0f", s / hz * 1e6 / n, m / hz * 1e6 / n }' \
        /proc/"$1"/task/*/stat
}

# The reference: bench/ref_server.c speaks the same protocol with the same
# group commit and ack-after-fsync, and does nothing else.
ref_run() {
    rm -rf "$T/ref"
    "$BUILD/bench/ref_server" --store "$T/ref" --listen "ipc://$T/ref.sock" 2>"$T/ref.log" &
    local pid=$!
    for _ in $(seq 1 100); do [ -S "$T/ref.sock" ] && break; sleep 0.05; done
    local line
    line=$("$BUILD/bench/bench_e2e" --to "ipc://$T/ref.sock" --prefix ref "$@")
    echo "$line $(s_cpu $pid "$line")"
    kill -TERM $pid; wait $pid || true
}
pct() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f%%", 100*a/b}'; }

echo
echo "== end to end, $N seed-derived articles, durable acks (fsync per group commit)"
ref=$(ref_run --count "$N")
null=$(run null null --count "$N")
full=$(run full full --count "$N")
echo "reference:     $ref"
echo "null pipeline: $null"
echo "full pipeline: $full"
rr=$(echo "$ref" | field articles_per_s)
nr=$(echo "$null" | field articles_per_s); fr=$(echo "$full" | field articles_per_s)
echo "ratio null/reference: $(pct "$nr" "$rr")   full/null: $(pct "$fr" "$nr")"
echo "busiest thread CPU per article, reference/null: $(pct "$(echo "$ref" | field busiest_thread_us_per_article)" "$(echo "$null" | field busiest_thread_us_per_article)")"

half=$(awk -v f="$fr" 'BEGIN{printf "%d", f/2}')
echo
echo "== ack latency at half of peak ($half articles/s, full pipeline)"
lat=$(run half full --count $((half * 10 < N ? half * 10 : N)) --rate "$half")
echo "half rate:     $lat"

# NATS JetStream: publish throughput and the publisher's lag at peak (bench/nats.sh).
bash "$(dirname "$0")/nats.sh" "$BUILD" "$T/full" "$N"

for b in "$BUILD"/bench/bench_*; do
    case "$b" in */bench_e2e) continue ;; esac
    [ -x "$b" ] || continue
    echo
    echo "== $(basename "$b")"
    "$b" || echo "($(basename "$b") failed)"
done

# NER whole process: `telex ner --conll` on eng.testa, start-up included
# (TLX_BENCH_NER_BASE=another telex binary: alternated with this one).
echo
echo "== telex ner whole process"
bash "$(dirname "$0")/ner_wall.sh" --runs "${TLX_BENCH_NER_RUNS:-25}" \
    ${TLX_BENCH_NER_BASE:+--base "$TLX_BENCH_NER_BASE"} "$BUILD/client/telex" || echo "(ner_wall failed)"

# Overload: producers push faster than telexd can process for a while; the
# inbox absorbs the difference and telexd's memory stays bounded.  Twice:
# the seeds with a unique last line (clustered: every article a near
# duplicate of one of five), and --vary (every text different, a growing
# vocabulary: the indexes, the fingerprint bands and the document
# frequencies spread over many more pages and terms).
OVER=${TLX_BENCH_OVERLOAD_S:-60}
overload() { # overload NAME [bench_e2e args...]
    local name=$1; shift
    echo
    echo "== overload for ${OVER}s, $name: producer at full speed, full pipeline"
    rm -rf "$T/$name"
    "$BUILD/worker/telexd" --store "$T/$name" --listen "ipc://$T/$name.sock" 2>"$T/$name.log" &
    local pid=$!
    for _ in $(seq 1 100); do [ -S "$T/$name.sock" ] && break; sleep 0.05; done
    timeout "$OVER" "$BUILD/bench/bench_e2e" --to "ipc://$T/$name.sock" --count 10000000 --prefix "$name" --no-wait "$@" \
        >/dev/null 2>&1 &
    local prod=$!
    # RSS counts both telexd's own memory (anonymous: heap, stacks, socket
    # buffers) and the pages of files it has mapped (the LMDB store, the NER
    # model, libraries).  Sample both; VmHWM is the kernel's exact peak of the sum.
    local peak_anon=0 peak_file=0 a f
    while kill -0 $prod 2>/dev/null; do
        a=$(awk '/RssAnon/{print $2}' /proc/$pid/status); f=$(awk '/RssFile/{print $2}' /proc/$pid/status)
        [ "${a:-0}" -gt $peak_anon ] && peak_anon=$a
        [ "${f:-0}" -gt $peak_file ] && peak_file=$f
        sleep 0.2
    done
    local peak stats drops
    peak=$(awk '/VmHWM/{print $2}' /proc/$pid/status)
    drops=$(/usr/bin/python3 -c 'import sys,urllib.request; print(urllib.request.urlopen("http://%s/metrics" % sys.argv[1], timeout=5).read().decode())' \
        "$(cat "$T/$name/telexd.http")" 2>/dev/null | awk '/^telex_map_drops_total/{print $2}')
    stats=$("$BUILD/client/telex" stats --store "$T/$name")
    echo "telexd peak RSS (VmHWM) $((peak / 1024)) MB: anonymous peak $((peak_anon / 1024)) MB (its own memory), file-backed peak $((peak_file / 1024)) MB (store pages, model, libraries); store pages let go ${drops:-?} times"
    echo "store after ${OVER}s: $stats"
    kill -TERM $pid; wait $pid || true
}
overload over-seeds
overload over-varied --vary
