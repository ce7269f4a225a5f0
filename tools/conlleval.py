#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""conlleval.py -- exact-span precision/recall/F1 for CoNLL NER output.

Usage:  conlleval.py GOLD PRED        (both CoNLL files, aligned line by line)
        conlleval.py FILE             (one file, gold and predicted tags in the
                                       last two columns, as conlleval.pl reads)
Tags may be IOB1 or IOB2 (a chunk starts at B-X, at I-X after another type
or O, and ends before the next start); -DOCSTART- and blank lines end chunks.
An entity counts as correct only when its type, start and end all match.
"""
import signal
import sys


def chunks(tags):
    """Set of (start, end, type) from a list of tags (None = boundary)."""
    out, start, typ = set(), None, None
    for i, t in enumerate(tags + [None]):
        if t is None or t == 'O' or len(t) < 3 or t[1] != '-':
            cur, beg = None, False
        else:
            cur, beg = t[2:], t[0] == 'B'
        if typ is not None and (cur != typ or beg):
            out.add((start, i, typ))
            typ = None
        if cur is not None and typ is None:
            start, typ = i, cur
    return out


def read_tags(path, col):
    tags = []
    with open(path, 'rb') as f:
        for raw in f:
            line = raw.decode('utf-8', 'replace').rstrip('\r\n')
            parts = line.split()
            if not parts or parts[0] == '-DOCSTART-':
                tags.append(None)
            else:
                tags.append(parts[col])
    return tags


def main(argv):
    if len(argv) == 3:
        gold, pred = read_tags(argv[1], -1), read_tags(argv[2], -1)
    elif len(argv) == 2:
        gold, pred = read_tags(argv[1], -2), read_tags(argv[1], -1)
    else:
        sys.stderr.write(__doc__)
        return 2
    if len(gold) != len(pred):
        sys.stderr.write('conlleval: %d gold lines but %d predicted lines\n' % (len(gold), len(pred)))
        return 2
    for i, (g, p) in enumerate(zip(gold, pred)):
        if (g is None) != (p is None):
            sys.stderr.write('conlleval: line %d: token/boundary mismatch\n' % (i + 1))
            return 2
    G, P = chunks(gold), chunks(pred)
    ok = G & P
    ntok = sum(1 for t in gold if t is not None)
    acc = sum(1 for g, p in zip(gold, pred) if g is not None and
              (g == p or (g[2:] == p[2:] and g != 'O' and p != 'O' and g[:1] in 'BI' and p[:1] in 'BI')))

    def prf(n_ok, n_p, n_g):
        p = 100.0 * n_ok / n_p if n_p else 0.0
        r = 100.0 * n_ok / n_g if n_g else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    p, r, f = prf(len(ok), len(P), len(G))
    print('processed %d tokens with %d phrases; found: %d phrases; correct: %d.' % (ntok, len(G), len(P), len(ok)))
    print('accuracy: %6.2f%%; precision: %6.2f%%; recall: %6.2f%%; FB1: %6.2f' %
          (100.0 * acc / ntok if ntok else 0, p, r, f))
    for t in sorted({c[2] for c in G | P}):
        g = {c for c in G if c[2] == t}
        q = {c for c in P if c[2] == t}
        p, r, f = prf(len(g & q), len(q), len(g))
        print('%17s: precision: %6.2f%%; recall: %6.2f%%; FB1: %6.2f  %d' % (t, p, r, f, len(q)))
    return 0


if __name__ == '__main__':
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # quiet under | head
    sys.exit(main(sys.argv))
