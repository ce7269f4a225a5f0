# SPDX-License-Identifier: Apache-2.0
"""Producer against a real telexd (run by tests/e2e/python_client.sh).
usage: check_producer.py ENDPOINT STORE TELEXD_PID"""
import os
import signal
import sys
import time

import telex

ep, store, telexd_pid = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = "Rice prices rise in Hyesan\n\nRice prices rose again in Hyesan markets this week, traders said.\n"

# the README's three lines
p = telex.Producer(ep)
r = p.push(text, id="py-1", source="dailynk", url="https://example.org/py-1", lang="en",
           meta={"desk": "north"}).result(timeout=30)
assert r.status == "accepted" and r.id == "py-1", r
print("ok - push: accepted py-1")

# same id + same text: duplicate with the same id; empty text: rejected with a reason
d = p.push(text, id="py-1")
e = p.push("   \n ")
assert d.result(30).status == "duplicate" and d.result().id == "py-1", d
assert e.result(30).status == "rejected" and e.ack.error == "empty_text" and e.ack.detail, e
print("ok - duplicate and rejected (%s: %s)" % (e.ack.error, e.ack.detail))

# bytes with invalid UTF-8 are sent as bin and repaired by telexd, not rejected
b = p.push(b"Bytes headline\n\nA body with a bad byte \xff in it, sent as bytes.\n", id="py-bin")
assert b.result(30).status == "accepted", b
print("ok - bytes text accepted")

# a window of 2 with 40 pushes: never more than 2 in flight, every one acked once
acks = []
w = telex.Producer(ep, window=2, on_ack=lambda a, user: acks.append((a.seq, a.status, user)))
ds = []
for i in range(40):
    ds.append(w.push("Window test %d\n\nArticle number %d of the window test, with its own text." % (i, i),
                     id="win-%d" % i, user=i))
    assert w.unacked <= 2, w.unacked
assert w.flush(30), "window producer did not drain"
assert sorted(u for _, _, u in acks) == list(range(40)), acks
assert all(s == "accepted" for _, s, _ in acks), acks
assert [d.seq for d in ds] == list(range(1, 41))
w.close()
print("ok - window 2: 40 pushes, 40 acks, in-flight never over 2")

# same seq on re-send: telexd is stopped (SIGSTOP) so no ack comes; the
# producer re-sends every 200 ms with the same seq; after SIGCONT it is
# stored once and the producer sees exactly one final ack
r_acks = []
q = telex.Producer(ep, timeout_ms=200, on_ack=lambda a, u: r_acks.append(a))
os.kill(telexd_pid, signal.SIGSTOP)
try:
    d = q.push("Resent article\n\nThis one is pushed while telexd is stopped.", id="py-resend")
    q.poll(1.0)  # several re-send periods pass without an ack
    assert not d.done
finally:
    os.kill(telexd_pid, signal.SIGCONT)
assert d.result(30).status == "accepted", d
q.poll(0.5)
assert len(r_acks) == 1 and r_acks[0].seq == d.seq == 1, r_acks
q.close()
print("ok - re-sent with the same seq while telexd was stopped: one final ack")

# a producer that keeps its id continues its seq; re-sending an envelope under
# the same seq is a duplicate, but another article under a re-used seq is
# stored, never dropped (PROTOCOL.md, "Delivery semantics")
k = telex.Producer(ep, producer="py-stable", first_seq=5)
a = k.push("Stable producer\n\nFirst article of a stable producer id.", id="py-stable-5")
assert a.result(30).status == "accepted" and a.seq == 5 and k.next_seq == 6
k.close()
k2 = telex.Producer(ep, producer="py-stable", first_seq=5)  # restarted without persisting next_seq
a1 = k2.push("Stable producer\n\nFirst article of a stable producer id.", id="py-stable-5")
assert a1.result(30).status == "duplicate" and a1.ack.id == "py-stable-5", a1
k2.close()
k3 = telex.Producer(ep, producer="py-stable", first_seq=5)
a2 = k3.push("Stable producer\n\nA different text under a re-used seq.", id="py-stable-other")
assert a2.result(30).status == "accepted" and a2.ack.id == "py-stable-other", a2
k3.close()
print("ok - a re-send under (producer, seq) is a duplicate; another article under a re-used seq is stored")

# context manager flushes on exit
with telex.Producer(ep) as c:
    last = c.push("Context manager\n\nPushed inside a with block.", id="py-with")
assert last.done and last.ack.status == "accepted"
print("ok - with-block flushes")

# errors: bad meta, bad field types, a CURVE key missing its pair
for bad in (dict(meta={"k": 1}), dict(id=7)):
    try:
        p.push("x", **bad)
        raise AssertionError("accepted %r" % bad)
    except telex.ProducerError:
        pass
try:
    telex.Producer(ep, curve_server="A" * 40)
    raise AssertionError("curve_server without curve_key accepted")
except telex.ProducerError:
    pass
p.close()
print("ok - argument errors raise ProducerError")
