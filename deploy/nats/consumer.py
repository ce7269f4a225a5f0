#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A JetStream consumer group for telex records in Python.

Every process started with the same GROUP shares one durable pull consumer:
JetStream hands each message to one member (load-balanced) and re-delivers
what a member did not acknowledge within ack_wait.  Needs the NATS client
(`pip install nats-py`; Debian packages none) and, for publish_format
msgpack, python3-msgpack.

    python3 consumer.py nats://127.0.0.1:4222 indexer
"""
import asyncio
import json
import sys

import nats
from nats.js.api import AckPolicy, ConsumerConfig


def decode(msg):
    if msg.headers and msg.headers.get("Content-Type") == "application/msgpack":
        import msgpack
        return msgpack.unpackb(msg.data, raw=False)
    return json.loads(msg.data)


async def main(url, group):
    nc = await nats.connect(url)
    js = nc.jetstream()
    sub = await js.pull_subscribe(
        "telex.articles.>", durable=group, stream="TELEX",
        config=ConsumerConfig(ack_policy=AckPolicy.EXPLICIT, ack_wait=60))
    while True:
        try:
            msgs = await sub.fetch(64, timeout=5)
        except nats.errors.TimeoutError:
            continue
        for msg in msgs:
            rec = decode(msg)
            print(msg.headers.get("Telex-Seq"), rec["id"], rec["revision"], rec.get("title"), flush=True)
            await msg.ack()  # after handling: a crash before this means a re-delivery


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "telex-example"))
