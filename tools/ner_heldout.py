#!/usr/bin/env python3
"""ner_heldout.py -- the NER figures of data/ner/README.md for one way of
training: held-out slice of eng.train, eng.testa, and recall on eng.testa
mentions never seen as a name in training (what carries to other text).

Usage:  tools/ner_heldout.py --build build --conll DIR [--seeds 1,2,3]
                             [-- extra telex train-ner options]

Every 10th document of DIR/eng.train (the 10th, 20th, ...) is held out;
a model is trained on the other 90 % (epoch chosen on eng.testa) per
seed, and scored on the slice and on eng.testa.  The data is read where it
is; models and splits go to a temporary directory that is removed.
Python 3 standard library only.
"""
import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conlleval import chunks  # noqa: E402  (the one exact-span chunker)


def read_docs(path):
    docs, cur = [], []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("-DOCSTART-"):
                if cur:
                    docs.append(cur)
                cur = [line]
            else:
                cur.append(line)
    if cur:
        docs.append(cur)
    return docs


def mentions(lines):
    """(type, text) of each gold mention (IOB1/IOB2, last column)."""
    out, cur, typ = [], [], None
    for line in lines + ["\n"]:
        parts = line.split()
        tag = parts[-1] if parts and not line.startswith("-DOCSTART-") else "O"
        beg = tag.startswith("B-")
        t = tag[2:] if tag != "O" else None
        if typ is not None and (t != typ or beg):
            out.append((typ, " ".join(cur)))
            typ, cur = None, []
        if t is not None:
            if typ is None:
                typ, cur = t, []
            cur.append(parts[0])
    return out


def tags_of(lines):
    out = []
    for line in lines:
        p = line.split()
        out.append(None if not p or line.startswith("-DOCSTART-") else p[-1])
    return out


def words_of(lines):
    return [(ln.split() or [""])[0] for ln in lines]


def score(gold_lines, pred_lines, seen=None):
    g, p = chunks(tags_of(gold_lines)), chunks(tags_of(pred_lines))
    ok = len(g & p)
    pr = 100.0 * ok / len(p) if p else 0
    rc = 100.0 * ok / len(g) if g else 0
    f1 = 2 * pr * rc / (pr + rc) if pr + rc else 0
    res = {"f1": f1}
    if seen is not None:
        w = words_of(gold_lines)
        uns = [c for c in g if " ".join(w[c[0]:c[1]]) not in seen]
        sn = [c for c in g if " ".join(w[c[0]:c[1]]) in seen]
        res["unseen"] = 100.0 * sum(c in p for c in uns) / max(1, len(uns))
        res["seen"] = 100.0 * sum(c in p for c in sn) / max(1, len(sn))
        res["nunseen"] = len(uns)
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--conll", required=True)
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--data", default="data")
    ap.add_argument("extra", nargs="*")
    a = ap.parse_args()
    telex = os.path.join(a.build, "client", "telex")
    docs = read_docs(os.path.join(a.conll, "eng.train"))
    testa = os.path.join(a.conll, "eng.testa")
    with open(testa, encoding="utf-8", errors="replace") as f:
        testa_lines = f.readlines()
    with tempfile.TemporaryDirectory() as tmp:
        tr = [d for i, d in enumerate(docs) if i % 10 != 9]
        ho = [d for i, d in enumerate(docs) if i % 10 == 9]
        trp, hop = os.path.join(tmp, "train"), os.path.join(tmp, "held")
        with open(trp, "w") as f:
            f.writelines(ln for d in tr for ln in d)
        with open(hop, "w") as f:
            f.writelines(ln for d in ho for ln in d)
        with open(hop) as f:
            ho_lines = f.readlines()
        seen = {m[1] for d in tr for m in mentions(d)}
        rows = []
        for seed in a.seeds.split(","):
            model = os.path.join(tmp, "model" + seed)
            p = subprocess.run([telex, "train-ner", "--train", trp, "--dev", testa, "--out", model, "--seed",
                                seed, "--epochs", "12", "--bits", "18", "--min-count", "1", "--data", a.data]
                               + a.extra, capture_output=True, text=True)
            if p.returncode:
                sys.exit("train-ner failed: " + p.stderr[-500:])
            r = {}
            for name, path, gl in (("held", hop, ho_lines), ("testa", testa, testa_lines)):
                q = subprocess.run([telex, "ner", "--conll", "--model", model, "--data", a.data, path],
                                   capture_output=True, text=True)
                r[name] = score(gl, q.stdout.splitlines(True), seen if name == "testa" else None)
            rows.append((seed, r))
            print(f"seed {seed}: held-out F1 {r['held']['f1']:.2f}  testa F1 {r['testa']['f1']:.2f}  "
                  f"testa unseen recall {r['testa']['unseen']:.1f} ({r['testa']['nunseen']})  "
                  f"seen {r['testa']['seen']:.1f}", flush=True)
        n = len(rows)
        print(f"mean:   held-out F1 {sum(r['held']['f1'] for _, r in rows) / n:.2f}  "
              f"testa F1 {sum(r['testa']['f1'] for _, r in rows) / n:.2f}  "
              f"testa unseen recall {sum(r['testa']['unseen'] for _, r in rows) / n:.1f}  "
              f"seen {sum(r['testa']['seen'] for _, r in rows) / n:.1f}")


if __name__ == "__main__":
    main()
