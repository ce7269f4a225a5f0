# SPDX-License-Identifier: Apache-2.0
"""Opens the store like any consumer, begins a read txn, says "ready" and
holds the txn until killed.  usage: stale_reader.py STORE"""
import sys
import time

import lmdb

env = lmdb.open(sys.argv[1], readonly=True, max_dbs=32, lock=True)
txn = env.begin()
print("ready", flush=True)
time.sleep(3600)
