#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `telex push` finishes when telexd rejects an input: the reject ack echoes
# the envelope's seq, the producer library settles that envelope, push
# prints `rejected REASON FILE` and exits 1, and each reject is stored once
# (a re-send loop used to add a row to `rejects` every 3 s, forever).
. "$(dirname "$0")/lib/common.bash"
start_telexd --threads 1
: >"$T/empty.txt"
printf ' \n\t \n\n' >"$T/blank.txt"
head -c $((8 * 1024 * 1024 + 1)) /dev/zero | tr '\0' 'x' >"$T/big.txt"
printf 'A good article\n\nIt has a body.\n' >"$T/good.txt"
printf '\xc2\xa0\xc2\xa0\n\xc2\xa0' >"$T/nbsp.txt"
printf '\xef\xbb\xbf' >"$T/bom.txt"
printf '\x01\x02\x7f\n\xe2\x80\x8b' >"$T/controls.txt"
rc=0
timeout 60 telex push --wait 10 "$T/empty.txt" "$T/blank.txt" "$T/big.txt" "$T/good.txt" "$T/nbsp.txt" \
    "$T/bom.txt" "$T/controls.txt" >"$T/out" 2>"$T/err" || rc=$?
[ $rc -ne 124 ] || fail "telex push hangs on rejected inputs: $(cat "$T/out")"
[ $rc -eq 1 ] || fail "telex push with rejected inputs: exit $rc, want 1 ($(cat "$T/err"))"
grep -qx "rejected empty_text $T/empty.txt" "$T/out" || fail "empty file: $(cat "$T/out")"
grep -qx "rejected empty_text $T/blank.txt" "$T/out" || fail "whitespace-only file: $(cat "$T/out")"
grep -qx "rejected too_big $T/big.txt" "$T/out" || fail "8 MiB + 1: $(cat "$T/out")"
grep -q "^accepted [0-9a-f]* $T/good.txt$" "$T/out" || fail "the good file: $(cat "$T/out")"
for f in nbsp bom controls; do
    grep -qx "rejected empty_text $T/$f.txt" "$T/out" || fail "$f only: $(cat "$T/out")"
done
ok "push settles rejected inputs: $(tr '\n' ';' <"$T/out" | sed "s|$T/||g")"

# an over-long id and an over-long source, one input each
long=$(head -c 5000 /dev/zero | tr '\0' 'i')
for opt in --id --source; do
    rc=0
    timeout 60 telex push --wait 10 "$opt" "$long" "$T/good.txt" >"$T/out" 2>"$T/err" || rc=$?
    [ $rc -eq 1 ] || fail "push $opt of 5000 bytes: exit $rc ($(cat "$T/out" "$T/err"))"
    grep -qx "rejected too_big $T/good.txt" "$T/out" || fail "push $opt of 5000 bytes: $(cat "$T/out")"
done
ok "an over-long id or source: rejected too_big, exit 1"
# a message of two frames is answered as a whole: one reject, with the seq it carries
$PY - "$EP" <<'PYEOF' || fail "multi-frame message"
import sys, zmq, msgpack
s = zmq.Context().socket(zmq.DEALER)
s.connect(sys.argv[1])
env = lambda seq, text: msgpack.packb({"v": 1, "producer": "mf", "seq": seq, "text": text})
s.send_multipart([env(1, "First part\n\nbody one"), env(2, "Second part\n\nbody two")])
assert s.poll(10000), "no answer to a two-frame message"
ack = msgpack.unpackb(s.recv())
assert ack["status"] == "rejected" and ack["error"] == "not_msgpack", ack
assert ack["seq"] == 2, ack
assert "2 frames" in ack["detail"], ack
assert not s.poll(1000), "a second answer to one message: %r" % msgpack.unpackb(s.recv())
print("ok - a two-frame message: one reject (%s)" % ack["detail"])
PYEOF
sleep 4 # longer than push's re-send timeout: a re-send would add a reject
rejects=$(telex stats | json_field "['rejects']")
[ "$rejects" -eq 9 ] || fail "rejects stored: $rejects, want 9 (one per rejected input)"
ok "each reject stored once"
stop_telexd
