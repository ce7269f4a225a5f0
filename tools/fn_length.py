#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""fn_length.py -- the longest C functions under the given directories.

A function is counted from the line of its opening brace at column 0 to the
line of its closing brace at column 0 (the house style puts both there).
Prints the N longest (default 10) and exits 1 when one is longer than
--max lines (default: no limit).
Usage: tools/fn_length.py [--max N] [--top N] DIR...
"""
import argparse
import os
import re
import sys

SIG = re.compile(r"^[A-Za-z_][\w\s\*\(\),\[\]]*?\b([A-Za-z_]\w*)\s*\(")


def functions(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    out = []
    for i, line in enumerate(lines):
        if line != "{":
            continue
        name = None
        for j in range(i - 1, max(i - 6, -1), -1):  # the signature may span a few lines
            m = SIG.match(lines[j])
            if m and not lines[j].startswith(("typedef", "struct", "static const", "enum")):
                name = m.group(1)
                break
        if not name:
            continue
        for k in range(i + 1, len(lines)):
            if lines[k] == "}":
                out.append((k - i + 1, name, path, i + 1))
                break
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--max", type=int, default=0)
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--flat", action="store_true", help="only the files directly in each dir, not subdirectories")
    ap.add_argument("dirs", nargs="+")
    a = ap.parse_args()
    found = []
    for d in a.dirs:
        for root, subdirs, names in os.walk(d):
            if a.flat:
                subdirs[:] = []
            for n in names:
                if n.endswith(".c"):
                    found += functions(os.path.join(root, n))
    found.sort(reverse=True)
    for length, name, path, line in found[: a.top]:
        print(f"{length:5d}  {name}  {path}:{line}")
    if a.max and found and found[0][0] > a.max:
        print(f"fn_length: {found[0][1]} is {found[0][0]} lines (max {a.max})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
