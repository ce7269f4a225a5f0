# SPDX-License-Identifier: Apache-2.0
"""At-least-once producer for telexd (proto/PROTOCOL.md), with the semantics
of the C library client/tlx_producer.h:

* a DEALER socket to telexd's ROUTER; every envelope gets the next seq of
  this producer id and stays in a window of unacked envelopes;
* an envelope without an ack after `timeout_ms` is re-sent with the SAME seq
  (telexd answers `duplicate` when the first copy was stored);
* `busy` is retried after an exponential back-off (50 ms doubling to 2 s);
* every envelope ends with exactly one final Ack: accepted, duplicate or
  rejected (with the reason and a sentence).

Not thread-safe: one Producer per thread.  Nothing runs in the background:
acks are read and re-sends made while push(), poll(), flush() or
Delivery.result() run.
"""
import os
import socket
import time
from collections import namedtuple

import msgpack
import zmq

PROTOCOL_VERSION = 1
DEFAULT_ENDPOINT = "tcp://127.0.0.1:5555"

Ack = namedtuple("Ack", "seq status id error detail")
Ack.__doc__ = """The final answer for one envelope.

status: "accepted" (durably stored in telexd's inbox), "duplicate" (already
stored; id is the existing article's id) or "rejected" (error: the reason
name, e.g. "empty_text"; detail: a sentence).  id: the article id."""


class ProducerError(Exception):
    """Bad arguments, or the producer could not be set up."""


def _mono_ms():
    return time.monotonic() * 1000.0


def _read_key(k):
    """A Z85 CURVE key: the 40 characters themselves, or a file made by
    `telex keygen` (comment lines start with '#')."""
    if k is None:
        return None
    if isinstance(k, bytes):
        k = k.decode()
    if len(k) == 40 and not os.path.exists(k):
        return k.encode()
    with open(k) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                if len(line) != 40:
                    break
                return line.encode()
    raise ProducerError("no 40-character Z85 key in %s" % k)


class Delivery:
    """One pushed envelope.  `done` tells whether its final ack arrived;
    result() waits for it (driving the producer) and returns the Ack."""

    __slots__ = ("_producer", "seq", "ack", "user")

    def __init__(self, producer, seq, user):
        self._producer, self.seq, self.ack, self.user = producer, seq, None, user

    @property
    def done(self):
        return self.ack is not None

    def result(self, timeout=None):
        """The Ack; raises TimeoutError when `timeout` seconds pass first
        (the envelope stays in the window and is still re-sent)."""
        end = None if timeout is None else _mono_ms() + timeout * 1000.0
        while self.ack is None:
            left = 200 if end is None else min(200, end - _mono_ms())
            if left <= 0:
                raise TimeoutError("no final ack for seq %d yet" % self.seq)
            self._producer.poll(left / 1000.0)
        return self.ack

    def __repr__(self):
        return "Delivery(seq=%d, ack=%r)" % (self.seq, self.ack)


class _Slot:
    __slots__ = ("delivery", "frame", "due", "backoff")

    def __init__(self, delivery, frame):
        self.delivery, self.frame, self.due, self.backoff = delivery, frame, 0.0, 0


class Producer:
    """Pushes articles to telexd.

    endpoint      telexd's front (default $TELEX_ENDPOINT or tcp://127.0.0.1:5555)
    producer      stable producer id; default "<host>-<pid>-<ns>", unique per run.
                  Reuse an id across restarts only with first_seq continuing
                  after the last seq used (PROTOCOL.md §4).
    window        unacked envelopes in flight (default 64)
    timeout_ms    re-send an unacked envelope after this long (default 3000)
    on_ack        optional callable(ack, user) for every final ack
    curve_server  telexd's public key (Z85 or a .pub file): enables CURVE
    curve_key     this producer's secret key (Z85 or a .key file); its public
                  key must be on telexd's curve_allow list
    """

    def __init__(self, endpoint=None, producer=None, window=64, timeout_ms=3000, first_seq=1,
                 on_ack=None, curve_server=None, curve_key=None, context=None):
        if window < 1 or timeout_ms < 1 or first_seq < 1:
            raise ProducerError("window, timeout_ms and first_seq must be positive")
        self.endpoint = endpoint or os.environ.get("TELEX_ENDPOINT") or DEFAULT_ENDPOINT
        self.producer = producer or "%s-%d-%d" % (socket.gethostname(), os.getpid(), time.time_ns())
        self.window, self.timeout_ms, self.on_ack = window, timeout_ms, on_ack
        self._next_seq = first_seq
        self._slots = {}  # seq -> _Slot, at most `window`
        self._own_ctx = context is None
        self._ctx = context or zmq.Context()
        self._sock = self._ctx.socket(zmq.DEALER)
        self._sock.setsockopt(zmq.LINGER, 0)
        self._sock.setsockopt(zmq.IMMEDIATE, 1)
        if curve_server is not None or curve_key is not None:
            if curve_server is None or curve_key is None:
                self.close()
                raise ProducerError("curve_server and curve_key go together")
            try:
                server, secret = _read_key(curve_server), _read_key(curve_key)
                public = zmq.curve_public(secret)
            except (OSError, ValueError, zmq.ZMQError, ProducerError) as e:
                self.close()
                raise ProducerError("CURVE keys: %s" % e)
            self._sock.curve_serverkey = server
            self._sock.curve_publickey = public
            self._sock.curve_secretkey = secret
        try:
            self._sock.connect(self.endpoint)
        except zmq.ZMQError as e:
            self.close()
            raise ProducerError("cannot connect to %s: %s" % (self.endpoint, e))

    # -- sending ---------------------------------------------------------------

    def push(self, text, id=None, source=None, url=None, lang=None, meta=None, received_at=None,
             user=None, timeout=None):
        """Sends one article; returns its Delivery at once (the ack comes later).

        text is str (sent as UTF-8) or bytes (sent as msgpack bin: telexd repairs
        invalid UTF-8).  meta maps str to str.  Blocks while the window is full,
        for at most `timeout` seconds when given (then TimeoutError; nothing was
        sent)."""
        if not isinstance(text, (str, bytes, bytearray)):
            raise ProducerError("text must be str or bytes")
        env = {"v": PROTOCOL_VERSION, "producer": self.producer, "seq": 0, "text": text}
        for k, v in (("id", id), ("source", source), ("url", url), ("lang", lang)):
            if v is not None:
                if not isinstance(v, str):
                    raise ProducerError("%s must be a str" % k)
                env[k] = v
        if received_at is not None:
            env["received_at"] = int(received_at)
        if meta:
            if not all(isinstance(k, str) and isinstance(v, str) for k, v in meta.items()):
                raise ProducerError("meta must map str to str")
            env["meta"] = dict(meta)
        end = None if timeout is None else _mono_ms() + timeout * 1000.0
        while len(self._slots) >= self.window:
            left = 100 if end is None else min(100, end - _mono_ms())
            if left <= 0:
                raise TimeoutError("the window of %d unacked envelopes stayed full" % self.window)
            self.poll(left / 1000.0)
        seq = self._next_seq
        env["seq"] = seq
        frame = msgpack.packb(env, use_bin_type=True)
        self._next_seq += 1
        d = Delivery(self, seq, user)
        slot = _Slot(d, frame)
        self._slots[seq] = slot
        self._transmit(slot)
        self.poll(0)
        return d

    def _transmit(self, slot):
        # DONTWAIT with IMMEDIATE: no connected peer -> Again, and the re-send
        # timer tries again soon; nothing blocks, nothing is lost.
        try:
            self._sock.send(slot.frame, zmq.DONTWAIT)
            slot.due = _mono_ms() + self.timeout_ms
        except zmq.Again:
            slot.due = _mono_ms() + 20

    def _handle(self, frame):
        try:
            a = msgpack.unpackb(frame, raw=False)
            seq, status = a["seq"], a["status"]
        except Exception:  # not an ack: telexd never sends these
            return 0
        slot = self._slots.get(seq)
        if slot is None:
            return 0  # a late ack for something already settled
        if status == "busy":
            slot.backoff = min(slot.backoff * 2 if slot.backoff else 50, 2000)
            slot.due = _mono_ms() + slot.backoff
            return 0
        ack = Ack(seq, status, a.get("id"), a.get("error"), a.get("detail"))
        del self._slots[seq]
        slot.delivery.ack = ack
        if self.on_ack is not None:
            self.on_ack(ack, slot.delivery.user)
        return 1

    # -- driving ---------------------------------------------------------------

    def poll(self, timeout=0.0):
        """Reads acks and makes due re-sends for at most `timeout` seconds
        (returns early once something was acked).  Returns the number of
        final acks handled."""
        end = _mono_ms() + max(0.0, timeout) * 1000.0
        got = 0
        while True:
            now = _mono_ms()
            next_due = None
            for slot in list(self._slots.values()):
                if slot.due <= now:
                    self._transmit(slot)
                if next_due is None or slot.due < next_due:
                    next_due = slot.due
            while True:
                try:
                    frame = self._sock.recv(zmq.DONTWAIT)
                except zmq.Again:
                    break
                got += self._handle(frame)
            now = _mono_ms()
            if got or now >= end:
                return got
            wait = end - now
            if next_due is not None and next_due > now:
                wait = min(wait, next_due - now)
            self._sock.poll(max(1, int(wait)), zmq.POLLIN)

    def flush(self, idle=30.0):
        """Waits until every envelope has its final ack.  Returns True, or
        False when `idle` seconds passed without any ack (telexd gone); the
        envelopes stay in the window."""
        last = _mono_ms()
        while self._slots:
            if self.poll(0.1):
                last = _mono_ms()
            elif _mono_ms() - last >= idle * 1000.0:
                return False
        return True

    @property
    def unacked(self):
        """Envelopes sent and not yet finally acked."""
        return len(self._slots)

    @property
    def next_seq(self):
        """The seq the next push gets (persist it to keep this producer id)."""
        return self._next_seq

    def close(self):
        """Closes the socket; unacked envelopes are dropped (flush first)."""
        if getattr(self, "_sock", None) is not None:
            self._sock.close(0)
            self._sock = None
        if self._own_ctx and getattr(self, "_ctx", None) is not None:
            self._ctx.term()
            self._ctx = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            self.flush()
        self.close()
        return False
