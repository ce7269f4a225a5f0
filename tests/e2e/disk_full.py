# SPDX-License-Identifier: Apache-2.0
"""Pushes unique articles one at a time until telexd answers `busy`; prints
"accepted N busy M" (M busy answers seen while retrying for a few seconds).
With --expect-accept K: pushes K more and fails unless all are accepted.
usage: disk_full.py ENDPOINT PREFIX [--until-busy | --expect-accept K]"""
import sys
import time

import msgpack
import zmq

ep, prefix, mode = sys.argv[1], sys.argv[2], sys.argv[3]
ctx = zmq.Context()
s = ctx.socket(zmq.DEALER)
s.setsockopt(zmq.LINGER, 0)
s.setsockopt(zmq.RCVTIMEO, 120000)  # a hang guard: a loaded machine is slow
s.connect(ep)
body = ("North Korean market prices rose again this week, a source said. " * 40 + "\n\n") * 4


def push(i):
    env = {"v": 1, "producer": "disk-full-" + prefix, "seq": i, "id": f"{prefix}-{i}",
           "text": f"Headline {prefix} {i}\n\n{body}Ref {prefix}-{i}."}
    s.send(msgpack.packb(env, use_bin_type=True))
    return msgpack.unpackb(s.recv(), raw=False)


if mode == "--until-busy":
    accepted = 0
    for i in range(1, 100000):
        ack = push(i)
        if ack["status"] == "busy":
            print(f"accepted {accepted} first-busy {i} detail: {ack.get('detail')}")
            sys.exit(0)
        assert ack["status"] == "accepted", ack
        accepted += 1
    sys.exit("never became busy")
else:
    k = int(sys.argv[4])
    for i in range(1, k + 1):
        for attempt in range(100):  # busy means "retry later": back off until space returns
            ack = push(i)
            if ack["status"] != "busy":
                break
            time.sleep(0.1)
        assert ack["status"] == "accepted", ack
    print(f"accepted {k}")
