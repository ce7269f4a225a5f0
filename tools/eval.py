#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""eval.py -- the quality figures of a build in one table (make eval).

Usage:  python3 tools/eval.py --build build --shared ../shared

  * article understanding: SHARED/corpus/score.py on SHARED/corpus/articles
    with BUILD/client/telex enrich (title, byline, date, captions,
    boilerplate, entities, money, quotes);
  * NER: BUILD/client/telex ner --conll on SHARED/data/conll2003/eng.testa,
    scored by tools/conlleval.py (exact-span F1).
A part whose data is missing is reported as skipped.  Python 3 standard
library only; the data is read where it is, nothing is copied.
"""
import argparse
import os
import re
import subprocess
import sys


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def corpus_rows(build, shared):
    score = os.path.join(shared, "corpus", "score.py")
    arts = os.path.join(shared, "corpus", "articles")
    if not (os.path.isfile(score) and os.path.isdir(arts)):
        return [("article corpus", "skipped: no " + arts, "")]
    telex = os.path.join(build, "client", "telex")
    p = run([sys.executable, score, "--dir", arts, "--cmd", telex + " enrich {}"])
    if p.returncode != 0:
        return [("article corpus", "score.py failed: " + p.stderr.strip()[:120], "")]
    rows = []
    for line in p.stdout.splitlines():
        m = re.match(r"structure score.*?:\s*(\d+\.\d+)%", line)
        if m:
            rows.append(("structure score", m.group(1) + "%", "mean of title/author/date/caption/boilerplate"))
            continue
        m = re.match(r"\s*(.+?)\s+(\d+\.\d+)%\s*(\((.*)\))?\s*$", line)
        if m:
            rows.append((m.group(1).strip(), m.group(2) + "%", m.group(4) or ""))
            continue
        m = re.match(r"articles scored:\s*(\d+)\s*\(command failures:\s*(\d+)\)", line)
        if m:
            rows.append(("articles scored", m.group(1), "command failures: " + m.group(2)))
    return rows


def ner_rows(build, shared, root):
    gold = os.path.join(shared, "data", "conll2003", "eng.testa")
    if not os.path.isfile(gold):
        return [("NER eng.testa F1", "skipped: no " + gold, "")]
    telex = os.path.join(build, "client", "telex")
    with open(gold, "rb") as f:
        p = subprocess.run([telex, "ner", "--conll", "-"], stdin=f, capture_output=True)
    if p.returncode != 0:
        return [("NER eng.testa F1", "telex ner failed: " + p.stderr.decode(errors="replace")[:120], "")]
    pred = os.path.join(build, "eval_eng.testa.pred")
    with open(pred, "wb") as f:
        f.write(p.stdout)
    q = run([sys.executable, os.path.join(root, "tools", "conlleval.py"), gold, pred])
    m = re.search(r"precision:\s*([\d.]+)%; recall:\s*([\d.]+)%; FB1:\s*([\d.]+)", q.stdout)
    if not m:
        return [("NER eng.testa F1", "conlleval failed: " + (q.stderr or q.stdout).strip()[:120], "")]
    return [("NER eng.testa F1", m.group(3), f"precision {m.group(1)}%, recall {m.group(2)}%")]


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(root, "build"))
    ap.add_argument("--shared", default=os.path.join(root, "..", "shared"))
    a = ap.parse_args()
    rows = corpus_rows(a.build, a.shared) + ner_rows(a.build, a.shared, root)
    w = max(len(r[0]) for r in rows)
    v = max(len(r[1]) for r in rows)
    print(f"{'measure':{w}}  {'value':>{v}}  detail")
    print(f"{'-' * w}  {'-' * v}  ------")
    for name, val, det in rows:
        print(f"{name:{w}}  {val:>{v}}  {det}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
