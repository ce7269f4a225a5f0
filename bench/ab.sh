#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bench/ab.sh -- A/B end-to-end figures: this tree (B) against another
# revision (A, default: origin/main or main's previous commit) built from the
# same repository, run alternately in the same session so that both see the
# same machine load.  The only honest way to claim a speed-up on a shared,
# noisy machine.
#
# usage: bench/ab.sh [--base REV] [--rounds R] [--count N] [--pipeline full|null] [BUILD_DIR]
#   BUILD_DIR  this tree's build (default: build); A is built in a temporary
#              worktree with the same CMake settings.
#   TLX_AB_ARGS  extra telexd options for both sides (e.g. --map-resident-max 0)
# Prints one line per run and a summary: median articles/s of A and B, B/A.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=""; ROUNDS=3; N=${TLX_BENCH_ARTICLES:-20000}; PIPE=full; BUILD=build
while [ $# -gt 0 ]; do
    case $1 in
    --base) BASE=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --count) N=$2; shift 2 ;;
    --pipeline) PIPE=$2; shift 2 ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "ab.sh: unknown option $1" >&2; exit 2 ;;
    *) BUILD=$1; shift ;;
    esac
done
if [ -z "$BASE" ]; then
    BASE=$(git rev-parse --verify -q origin/main || git rev-parse HEAD~1)
fi
T=$(mktemp -d /tmp/telex-ab.XXXXXX)
cleanup() {
    pkill -9 -f "telexd --store $T" 2>/dev/null || true
    git worktree remove --force "$T/a" 2>/dev/null || true
    rm -rf "$T"
}
trap cleanup EXIT
export TELEX_HTTP=127.0.0.1:0

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); $(uname -sr)"
echo "A = $(git log -1 --format='%h %s' "$BASE" | cut -c1-70)"
echo "B = this tree ($(git log -1 --format=%h HEAD)$(git diff --quiet HEAD || echo ', with uncommitted changes'))"
git worktree add -q --detach "$T/a" "$BASE"
cmake -S "$T/a" -B "$T/a/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$T/a/build" -j "$(nproc)" --target telexd bench_e2e >/dev/null
cmake --build "$BUILD" -j "$(nproc)" --target telexd bench_e2e >/dev/null

one() { # one NAME BUILD -> the bench_e2e line, plus CPU seconds of telexd
    local name=$1 b=$2
    rm -rf "$T/$name"
    "$b/worker/telexd" --store "$T/$name" --listen "ipc://$T/$name.sock" --pipeline "$PIPE" ${TLX_AB_ARGS:-} 2>"$T/$name.log" &
    local pid=$!
    for _ in $(seq 1 100); do [ -S "$T/$name.sock" ] && break; sleep 0.05; done
    local line
    line=$("$b/bench/bench_e2e" --to "ipc://$T/$name.sock" --store "$T/$name" --prefix "$name" --count "$N")
    # utime + stime of the whole process (all threads), in clock ticks
    local ticks
    ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    kill -TERM $pid; wait $pid || true
    echo "$line cpu_us_per_article=$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v n="$N" 'BEGIN{printf "%.0f", t / hz * 1e6 / n}')"
}
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

A=(); B=(); CA=(); CB=()
for r in $(seq 1 "$ROUNDS"); do
    la=$(one "a$r" "$T/a/build"); echo "A round $r: $la"
    lb=$(one "b$r" "$BUILD"); echo "B round $r: $lb"
    A+=("$(echo "$la" | field articles_per_s)"); B+=("$(echo "$lb" | field articles_per_s)")
    CA+=("$(echo "$la" | field cpu_us_per_article)"); CB+=("$(echo "$lb" | field cpu_us_per_article)")
done
med() { printf '%s\n' "$@" | sort -n | awk '{v[NR]=$1} END{print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
ma=$(med "${A[@]}"); mb=$(med "${B[@]}")
echo
echo "$PIPE pipeline, $N articles, median of $ROUNDS: A $ma articles/s ($(med "${CA[@]}") us CPU/article)," \
     "B $mb articles/s ($(med "${CB[@]}") us CPU/article); B/A = $(awk -v a="$ma" -v b="$mb" 'BEGIN{printf "%.2fx", b/a}')"
