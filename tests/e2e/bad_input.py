# SPDX-License-Identifier: Apache-2.0
"""Sends each kind of bad input to a running telexd over a real DEALER socket
and checks the ack: rejected with the machine-readable reason, the daemon
keeps serving.  Invalid UTF-8 and NUL bytes are repaired and accepted.
usage: bad_input.py ENDPOINT"""
import struct
import sys

import msgpack
import zmq

ep = sys.argv[1]
ctx = zmq.Context()
s = ctx.socket(zmq.DEALER)
s.setsockopt(zmq.LINGER, 0)
s.setsockopt(zmq.RCVTIMEO, 10000)
s.connect(ep)


def env(**kw):
    d = {"v": 1, "producer": "bad-input-test", "seq": kw.pop("seq", 1), "text": "Title\n\nSome body text."}
    d.update(kw)
    return msgpack.packb(d, use_bin_type=True)


def ask(frame):
    s.send(frame)
    return msgpack.unpackb(s.recv(), raw=False)


def nested(depth):
    m = "leaf"
    for _ in range(depth):
        m = {"k": m}
    return m


cases = [
    ("not msgpack", b"\xc1 this is not msgpack", "not_msgpack"),
    ("array32 of 4 billion", b"\xdd\xff\xff\xff\xff", "not_msgpack"),
    ("map32 of 4 billion", b"\xdf\xff\xff\xff\xff", "not_msgpack"),
    ("str32 longer than the frame", b"\x81\xa4text\xdb\x40\x00\x00\x00abc", "not_msgpack"),
    ("array instead of map", msgpack.packb([1, 2, 3]), "not_a_map"),
    ("missing text", msgpack.packb({"v": 1, "producer": "p", "seq": 5}), "missing_field"),
    ("text as integer", env(text=42, seq=6), "bad_type"),
    ("version 99", env(v=99, seq=7), "bad_version"),
    ("empty text", env(text="", seq=8), "empty_text"),
    ("200 levels of nesting in meta", env(meta=nested(200), seq=9), "too_big"),
    ("12 MB of text", env(text="x" * (12 << 20), seq=10), "too_big"),
]
failed = 0
for name, frame, reason in cases:
    ack = ask(frame)
    ok = ack.get("status") == "rejected" and ack.get("error") == reason and len(ack.get("detail", "")) > 10
    print(("ok - " if ok else "FAIL - ") + f"{name}: {ack.get('status')} {ack.get('error')}: {ack.get('detail')}")
    failed += not ok

# repaired, not rejected: invalid UTF-8 (str and bin) and NUL bytes
for i, text in enumerate([b"Caf\xc3 au lait\xff\nbody \x00 with NUL", "Title\x00\n\nbody".encode()]):
    frame = msgpack.packb({"v": 1, "producer": "bad-input-test", "seq": 100 + i, "text": text}, use_bin_type=True)
    ack = ask(frame)
    ok = ack.get("status") == "accepted"
    print(("ok - " if ok else "FAIL - ") + f"repairable text #{i} (bin): {ack.get('status')}")
    failed += not ok
frame = b"\x84\xa1v\x01\xa8producer\xa1p\xa3seq\xcd\x01\x00\xa4text\xaaok \xff\xfe\x00 yes"  # str with bad UTF-8
ack = ask(frame)
ok = ack.get("status") == "accepted"
print(("ok - " if ok else "FAIL - ") + f"invalid UTF-8 in a str: {ack.get('status')} {ack.get('detail')}")
failed += not ok

# and it still serves valid input
ack = ask(env(seq=200, text="A fine headline\n\nA fine body."))
ok = ack.get("status") == "accepted" and ack.get("seq") == 200
print(("ok - " if ok else "FAIL - ") + "still serving after bad input")
failed += not ok
sys.exit(1 if failed else 0)
