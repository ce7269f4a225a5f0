#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# make fuzz: run every libFuzzer target for SECONDS each; new crashers are
# copied to tests/fuzz/regress/<target>/ where ctest replays them.
# Usage: tests/fuzz/run.sh BUILD_FUZZ_DIR SECONDS
set -uo pipefail
BUILD=$1; SECS=${2:-60}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
status=0
for bin in "$BUILD"/tests/fuzz_*; do
    [ -x "$bin" ] || continue
    name=$(basename "$bin"); short=${name#fuzz_}
    corpus="$ROOT/tests/fuzz/corpus/$short"; regress="$ROOT/tests/fuzz/regress/$short"
    mkdir -p "$corpus" "$regress" "$BUILD/crashes/$short"
    cp -n "$regress"/* "$corpus"/ 2>/dev/null || true
    [ "$short" = text ] && cp -n "$ROOT"/seeds/*.txt "$corpus"/ 2>/dev/null || true
    echo "== $name for ${SECS}s"
    "$bin" -max_total_time="$SECS" -max_len=65536 -artifact_prefix="$BUILD/crashes/$short/" -print_final_stats=1 \
        "$corpus" 2>&1 | grep -E 'stat::number_of_executed_units|stat::peak_rss|ERROR|SUMMARY|Done' || true
    for c in "$BUILD/crashes/$short"/*; do
        [ -f "$c" ] || continue
        cp "$c" "$regress/"; echo "CRASHER: $c -> $regress/"; status=1
    done
done
exit $status
