#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# check_format.sh -- fails when a C source differs from the checked-in
# .clang-format (`make format` fixes it).  Lists the files that differ.
# Usage: tools/check_format.sh [SOURCE_DIR]
set -uo pipefail
cd "${1:-$(dirname "$0")/..}" || exit 2
command -v clang-format >/dev/null || { echo "check_format: clang-format not installed" >&2; exit 2; }
bad=0
while IFS= read -r f; do
    if ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1; then
        echo "check_format: $f differs from .clang-format"
        bad=$((bad + 1))
    fi
done < <(git ls-files '*.c' '*.h' '*.cc')
[ "$bad" -eq 0 ] && echo "check_format: every C source matches .clang-format"
[ "$bad" -eq 0 ]
