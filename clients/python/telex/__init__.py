# SPDX-License-Identifier: Apache-2.0
"""telex: push articles to telexd and read its store from Python.

    import telex
    p = telex.Producer("tcp://127.0.0.1:5555")
    print(p.push("Headline\\n\\nThe article text.", source="dailynk").result())

Producer follows proto/PROTOCOL.md with the C producer library's semantics
(client/tlx_producer.h); Store reads the LMDB store as store/SCHEMA.md
describes it.
"""
from .producer import Ack, Delivery, Producer, ProducerError
from .store import Store, StoreError, norm_key

__all__ = ["Ack", "Delivery", "Producer", "ProducerError", "Store", "StoreError", "norm_key"]
__version__ = "0.1.0"
