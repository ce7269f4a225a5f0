#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What a release ships agrees with itself: one version everywhere (CMake,
# telex, telexd, /metrics, CHANGELOG, the Python client, the man pages); the
# man pages document every option of telexd's table and every telex command
# and render without warnings; `cmake --install` lays out binaries, man
# pages, bash completion and data; the completion completes from --help.
. "$(dirname "$0")/lib/common.bash"
SRC=$TLX_SOURCE_DIR
BUILD=$TLX_BUILD_DIR

v=$(sed -n 's/^project(telex VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
[ -n "$v" ] || fail "no version in CMakeLists.txt"
[ "$(telex --version)" = "telex $v" ] || fail "telex --version: $(telex --version), CMake: $v"
[ "$(telexd --version)" = "telexd $v" ] || fail "telexd --version: $(telexd --version), CMake: $v"
[ "$(sed -n 's/^## \[\([0-9.]*\)\].*/\1/p' "$SRC/CHANGELOG.md" | head -1)" = "$v" ] || fail "CHANGELOG's newest version is not $v"
grep -q "^version = \"$v\"$" "$SRC/clients/python/pyproject.toml" || fail "clients/python/pyproject.toml version is not $v"
[ "$(PYTHONPATH=$SRC/clients/python $PY -c 'import telex; print(telex.__version__)')" = "$v" ] || fail "telex.__version__"
grep -q "^\.TH TELEXD 8 .* \"telex $v\"" "$BUILD/man/telexd.8" || fail "telexd.8 version"
grep -q "^\.TH TELEX 1 .* \"telex $v\"" "$BUILD/man/telex.1" || fail "telex.1 version"
start_telexd
[ "$(metric "telex_build_info{version=\"$v\"}")" = 1 ] || fail "telex_build_info{version=\"$v\"}"
stop_telexd
ok "version $v everywhere"

# every option of the table is in telexd(8), every command in telex(1)
for flag in $(telexd --help-config | awk -F'|' '/^\| `/ && $3 ~ /--/ {print $3}' | tr -d '` '); do
    grep -qxF ".B \\-\\-${flag#--}" "$BUILD/man/telexd.8" || fail "telexd.8 lacks $flag"
done
for c in $(telex --help | awk '/^  [a-z]/ {print $1}'); do
    grep -q "^\.SS $c\$" "$BUILD/man/telex.1" || fail "telex.1 lacks command $c"
done
grep -q -- "--jsonl" <(man -l "$BUILD/man/telex.1" 2>/dev/null) || fail "telex.1 does not render"
for p in telexd.8 telex.1; do
    w=$(groff -man -Tutf8 -ww -z "$BUILD/man/$p" 2>&1)
    [ -z "$w" ] || fail "$p: groff warnings: $w"
done
ok "man pages cover every option and command and render cleanly"

cmake --install "$BUILD" --prefix "$T/inst" >/dev/null
for f in bin/telexd bin/telex share/man/man8/telexd.8 share/man/man1/telex.1 \
         share/bash-completion/completions/telex share/bash-completion/completions/telexd \
         share/telex/ner/model.bin include/telex/tlx_ninjs.h; do
    [ -e "$T/inst/$f" ] || fail "install lacks $f"
done
ok "cmake --install lays out binaries, man pages, completion, data, headers"

# grep without -q: under pipefail, -q may exit at the first match while
# the completion is still printing, and the SIGPIPE fails the pipeline
complete_words() {  # complete_words WORD...: what bash would offer for the last word
    bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); f=$(complete -p "$1" | sed "s/.*-F \([^ ]*\) .*/\1/"); $f; printf "%s\n" "${COMPREPLY[@]}"' \
        _ "$T/inst/share/bash-completion/completions/telex" "$@"
}
complete_words telex pu | grep -x push >/dev/null || fail "completion: telex pu"
complete_words telex push --js | grep -x -- --jsonl >/dev/null || fail "completion: telex push --js"
complete_words telex get --format n | grep -x ninjs >/dev/null || fail "completion: telex get --format n"
complete_words telex push --format h | grep -x html >/dev/null || fail "completion: telex push --format h"
complete_words telexd --max-t | grep -x -- --max-text >/dev/null || fail "completion: telexd --max-t"
complete_words telexd --role "" | grep -x enrich >/dev/null || fail "completion: telexd --role"
ok "bash completion from --help"
