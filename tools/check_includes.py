#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""check_includes.py -- the include graph's rules, checked by ctest.

Modules are the tree's files grouped by name (tlx_foo.h + tlx_foo.c = module
tlx_foo); an edge A -> B means a file of A includes B's header.  Fails (exit 1)
on:
  * a cycle between modules (each cycle printed once);
  * a layer rule broken: proto includes nothing of ours but proto; store only
    proto; worker/text only proto and text; client never worker/ (the `telex`
    CLI must not link the daemon's libraries).
Usage: tools/check_includes.py [SOURCE_DIR]
"""
import os
import re
import sys

ROOT = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
DIRS = {"proto": "proto", "store": "store", "worker/text": "text", "worker": "worker", "client": "client"}
ALLOWED = {  # layer -> layers it may include
    "proto": {"proto"},
    "store": {"store", "proto"},
    "text": {"text", "proto"},
    "worker": {"worker", "text", "store", "proto"},
    "client": {"client", "text", "store", "proto"},
}
# Private headers shared by the source files of one module count as that module.
PART_OF = {"store_int": "tlx_store"}
INC = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer_of(rel):
    for d in sorted(DIRS, key=len, reverse=True):
        if rel == d or rel.startswith(d + "/"):
            return DIRS[d]
    return None


def main():
    files = {}  # basename -> (rel path, layer)
    for d in DIRS:
        for name in os.listdir(os.path.join(ROOT, d)):
            if name.endswith((".c", ".h", ".cc")):
                rel = os.path.join(d, name)
                files.setdefault(name, []).append((rel, DIRS[d]))
    problems = []
    for name, where in files.items():
        if name.endswith(".h") and len(where) > 1:
            problems.append("header name used twice: " + ", ".join(r for r, _ in where))
    edges = {}
    layer = {}
    for name, where in files.items():
        for rel, lay in where:
            mod = os.path.splitext(name)[0]
            mod = PART_OF.get(mod, mod)
            layer[mod] = lay
            edges.setdefault(mod, set())
            with open(os.path.join(ROOT, rel), encoding="utf-8", errors="replace") as f:
                text = f.read()
            for inc in INC.findall(text):
                base = os.path.basename(inc)
                if base not in files:
                    continue  # system or generated header
                target_rel, target_layer = files[base][0]
                tmod = os.path.splitext(base)[0]
                tmod = PART_OF.get(tmod, tmod)
                if target_layer not in ALLOWED[lay]:
                    problems.append(f"{rel} includes {target_rel}: {lay} may not include {target_layer}")
                if tmod != mod:
                    edges[mod].add(tmod)
    # cycles: Tarjan's strongly connected components
    index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]

    def strong(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                sccs.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            strong(v)
    for comp in sccs:
        problems.append("include cycle between modules: " + " <-> ".join(comp))
    for p in problems:
        print("check_includes: " + p)
    if problems:
        return 1
    print(f"check_includes: {len(edges)} modules, no cycle, layers respected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
