#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# A producer that never reads its acks: once 1,000 are queued for it, the
# rest are dropped (telexd never waits on one producer) and counted in
# telex_acks_dropped_total; other producers are served all along.
. "$(dirname "$0")/lib/common.bash"
start_telexd --threads 1
$PY - "$EP" <<'PYEOF' || fail "unread acks"
import sys, zmq, msgpack, time
ctx = zmq.Context()
s = ctx.socket(zmq.DEALER)
s.setsockopt(zmq.RCVHWM, 1)
s.setsockopt(zmq.SNDHWM, 0)
s.connect(sys.argv[1])
env = msgpack.packb({"v": 1, "producer": "deaf", "seq": 1, "text": "One article\n\nsent again and again."})
for _ in range(20000):   # re-sends of one envelope: each is answered `duplicate`, cheaply
    s.send(env)
good = ctx.socket(zmq.DEALER)
good.connect(sys.argv[1])
good.send(msgpack.packb({"v": 1, "producer": "good", "seq": 1, "text": "Another\n\nproducer reads its acks."}))
assert good.poll(30000), "the other producer got no ack"
print("ok - another producer is answered:", msgpack.unpackb(good.recv())["status"])
time.sleep(2)  # let telexd answer the rest
PYEOF
dropped=$(metric telex_acks_dropped_total)
[ "$dropped" != missing ] && [ "$dropped" -gt 0 ] || fail "telex_acks_dropped_total = $dropped"
ok "acks dropped for the producer that does not read them: $dropped"
stop_telexd
