#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Train the layout model (worker/text/tlx_layout_model.h) on labelled page texts.

Usage:
    python3 tools/train_layout.py [--build build] [--corpus ../shared/corpus/articles]
                                  [--out worker/text/tlx_layout_model.h] [--cv-only]

Inputs, read at run time (nothing from them is copied into the project):
  * every NAME.txt with NAME.gold.json in --corpus (gold schema: the corpus README);
  * the seeds (seeds/*.txt) with their goldens (tests/golden/*.json).
Line labels come from the gold fields: the headline line -> title, the
standfirst -> deck, the byline / date line -> meta, caption block lines ->
caption, boilerplate lines -> boiler, subheadings -> subhead, the rest -> body.

Features come from build/tools/layout_dump (the C code that computes them at
run time), so training and inference cannot disagree.  The model is a
multinomial logistic regression trained by SGD with L2, in two passes: pass 1
on the line's own features, pass 2 adding the pass-1 probabilities of the
neighbouring lines (computed exactly as tlx_layout.c does).

Generalisation is checked by cross-validation across outlets (group k-fold
by publisher): the outlets (file-name prefix) are split into --folds folds
(0: one fold per outlet, leave-one-outlet-out), and each fold is scored by a
model trained on the other outlets only.  The figures printed are those
held-out line figures; with --cv-score also the end-to-end score.py figures
of each held-out fold (the fold's model is compiled into telex for that; the
model file and the build are restored afterwards).  The model written is
trained on everything.  `make eval-cv` runs --cv-only --cv-score.
Python 3 standard library only.
"""
import argparse
import glob
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata

CLASSES = ["body", "title", "deck", "meta", "caption", "boiler", "subhead"]
K = len(CLASSES)
L2 = float(os.environ.get("LAYOUT_L2", "1e-4"))
QUOTE_MAP = {ord(c): "'" for c in "\u2018\u2019\u201a\u201b\u2032\u0060\u00b4"}
QUOTE_MAP.update({ord(c): '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"})
DASH_MAP = {ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"}


def norm(s):
    if s is None:
        return ""
    s = unicodedata.normalize("NFKC", str(s)).translate(QUOTE_MAP).translate(DASH_MAP)
    return re.sub(r"\s+", " ", s).strip().casefold()


def dump(build, paths):
    out = subprocess.run([os.path.join(build, "tools", "layout_dump")] + paths, capture_output=True, text=True,
                         check=True).stdout
    docs = {}
    for line in out.splitlines():
        r = json.loads(line)
        docs.setdefault(r["file"], []).append(r)
    return docs


def label_corpus(lines, g):
    n = len(lines)
    lab = ["body"] * n
    T = [norm(x["text"]) for x in lines]
    boil = {norm(b) for b in g.get("boilerplate") or []}
    subs = {norm(s) for s in g.get("subheadings") or []}
    for i, t in enumerate(T):
        if t in boil:
            lab[i] = "boiler"
        elif t in subs:
            lab[i] = "subhead"
    caps = g.get("captions") or ([g["caption"]] if g.get("caption") else [])
    pos = 0
    for cap in caps:  # the corpus gold names the first caption block; the examples may name all
        parts = [norm(p) for p in cap.split("\n") if p.strip()]
        for p in parts:
            for i in range(pos, n):
                if T[i] == p or (p and p in T[i] and len(T[i]) < len(p) + 80):
                    lab[i] = "caption"
                    pos = i + 1
                    break
    title = norm(g.get("title"))
    if title:
        for i, t in enumerate(T):
            if title in t and len(t) < len(title) + 60:
                lab[i] = "title"
                break
    deck = norm(g.get("tagline"))
    if deck:
        for i, t in enumerate(T):
            if deck in t and lab[i] == "body":
                lab[i] = "deck"
                break
    author = g.get("author")
    if author:
        first = norm(author.split(" and ")[0])
        for i, t in enumerate(T):
            if first in t and len(t) < 200 and lab[i] in ("body", "boiler"):
                lab[i] = "meta"
                break
    date = g.get("date")
    if date:
        for i, x in enumerate(lines):
            if x.get("date") == date and len(T[i]) < 200 and lab[i] in ("body", "boiler"):
                lab[i] = "meta"
                break
    return lab


def label_seed(lines, g):
    n = len(lines)
    lab = ["body"] * n
    T = [norm(x["text"]) for x in lines]
    boil = {norm(b) for b in g.get("boilerplate") or []}
    subs = {norm(s) for s in g.get("subheadings") or []}
    caps = [norm(c["text"]) for c in g.get("captions") or []]
    title = norm(g.get("title"))
    authors = g.get("authors") or []
    skip = set()
    for i, t in enumerate(T):
        if t in boil:
            lab[i] = "boiler"
        elif t in subs:
            lab[i] = "subhead"
        elif any(c and t.startswith(c) for c in caps):
            lab[i] = "caption"
        elif title and t == title:
            lab[i] = "title"
        elif authors and norm(authors[0]) in t and len(t) < 200:
            lab[i] = "meta"
        elif t.startswith("translated by") or t.startswith("edited by") or t.startswith("*edited by"):
            skip.add(i)  # credit lines: taken before the model
    if g.get("tags"):
        skip.add(0)
    return lab, skip


def ctx_features(p1):
    """Pass-2 context features, exactly as tlx_layout.c computes them."""
    n = len(p1)
    out = []
    max_title = 0.0
    max_body = 0.0
    for i in range(n):
        c = [0.0] * 24
        for q in range(K):
            c[q] = p1[i - 1][q] if i > 0 else 0.0
            c[K + q] = p1[i + 1][q] if i + 1 < n else 0.0
        c[14] = max_title
        c[15] = max_body
        bw, nb = 0.0, 0
        for d in (-2, -1, 1, 2):
            j = i + d
            if 0 <= j < n:
                bw += p1[j][5]
                nb += 1
        c[16] = bw / nb if nb else 0.0
        cw = mw = 0.0
        if i > 0:
            cw, mw = p1[i - 1][4], p1[i - 1][3]
        if i + 1 < n:
            cw = max(cw, p1[i + 1][4])
            mw = max(mw, p1[i + 1][3])
        c[17] = cw
        c[18] = mw
        c[19] = 1.0 if p1[i][1] > max_title else 0.0
        c[20] = 1.0 if i >= 2 and p1[i - 1][5] > 0.5 and p1[i - 2][5] > 0.5 else 0.0
        c[21] = 1.0 if i + 2 < n and p1[i + 1][5] > 0.5 and p1[i + 2][5] > 0.5 else 0.0
        max_title = max(max_title, p1[i][1])
        max_body = max(max_body, p1[i][0])
        out.append(c)
    return out


def softmax(W, x):
    z = [sum(W[k][j] * v for j, v in x) for k in range(K)]
    m = max(z)
    e = [math.exp(v - m) for v in z]
    s = sum(e)
    return [v / s for v in e]


def train(X, Y, nf, epochs=40, lr=0.05, l2=L2, seed=1):
    counts = [Y.count(k) for k in range(K)]
    cw = [min(4.0, math.sqrt((len(Y) / K) / c)) if c else 1.0 for c in counts]
    W = [[0.0] * nf for _ in range(K)]
    idx = list(range(len(X)))
    rnd = random.Random(seed)
    for ep in range(epochs):
        rnd.shuffle(idx)
        a = lr / (1 + ep * 0.1)
        for n in idx:
            x, y = X[n], Y[n]
            p = softmax(W, x)
            for k in range(K):
                g = (p[k] - (1.0 if k == y else 0.0)) * cw[y]
                Wk = W[k]
                for j, v in x:
                    Wk[j] -= a * (g * v + l2 * Wk[j])
    return W


def sparse(f):
    return [(j, v) for j, v in enumerate(f) if v]


def fit_two_pass(docs, nraw, nf, inner=4):
    """Pass 1 on the lines' own features; pass 2 on those plus the context
    features, computed from out-of-fold pass-1 probabilities (a pass-1 model
    trained without the text), so that pass 2 learns how far to trust pass 1
    on texts it has not seen."""
    def rows(ds):
        X, Y = [], []
        for d in ds:
            for x, y in zip(d["f"], d["y"]):
                if y is not None:
                    X.append(sparse(x))
                    Y.append(y)
        return X, Y
    X1, Y = rows(docs)
    W1 = train(X1, Y, nf)
    groups = sorted({d["group"] for d in docs})
    p1_of = {}
    for f in range(inner):
        held = {g for i, g in enumerate(groups) if i % inner == f}
        Xf, Yf = rows([d for d in docs if d["group"] not in held])
        Wf = train(Xf, Yf, nf, epochs=20)
        for d in docs:
            if d["group"] in held:
                p1_of[d["name"]] = [softmax(Wf, sparse(x)) for x in d["f"]]
    X2 = []
    for d in docs:
        ctx = ctx_features(p1_of[d["name"]])
        for x, c, y in zip(d["f"], ctx, d["y"]):
            if y is not None:
                X2.append(sparse(list(x[:nraw]) + c))
    W2 = train(X2, Y, nf)
    return W1, W2


def predict(W1, W2, d, nraw):
    p1 = [softmax(W1, sparse(x)) for x in d["f"]]
    ctx = ctx_features(p1)
    return [softmax(W2, sparse(list(x[:nraw]) + c)) for x, c in zip(d["f"], ctx)]


def write_model(path, W1, W2, names, ndocs, ngroups):
    nf = len(names)
    with open(path, "w") as o:
        o.write("/* tlx_layout_model.h -- generated by tools/train_layout.py: do not edit.\n")
        o.write(f"   Trained on {ndocs} labelled page texts of {ngroups} outlets;\n")
        o.write("   weights [class][feature], classes: " + ", ".join(CLASSES) + ". */\n")
        o.write("#ifndef TLX_LAYOUT_MODEL_H\n#define TLX_LAYOUT_MODEL_H\n\n")
        o.write(f"#define TLX_LAYOUT_MODEL_NFEAT {nf}\n\n")
        for nm, W in (("w1", W1), ("w2", W2)):
            o.write(f"static const float tlx_layout_{nm}[{K}][{nf}] = {{\n")
            for k in range(K):
                o.write(f"    {{ /* {CLASSES[k]} */\n")
                for j in range(0, nf, 6):
                    o.write("        " + " ".join(f"{W[k][q]:.5e}f," for q in range(j, min(nf, j + 6))) +
                            f" /* {names[j]}.. */\n")
                o.write("    },\n")
            o.write("};\n\n")
        o.write("#endif\n")
    if shutil.which("clang-format"):  # the tree's format (check_format compares every source with it)
        subprocess.run(["clang-format", "-i", path], check=False)


def score_fold(args, root, names_te):
    """Rebuild telex with the model just written and score the held-out texts."""
    subprocess.run(["cmake", "--build", args.build, "--target", "telex", "-j", "2"], check=True,
                   capture_output=True)
    score = os.path.join(os.path.dirname(args.corpus), "score.py")
    telex = os.path.join(args.build, "client", "telex")
    out = subprocess.run([sys.executable, score, "--dir", args.corpus, "--cmd", telex + " enrich {}", "--verbose",
                          "--only"] + names_te, capture_output=True, text=True).stdout
    if args.cv_log:
        with open(args.cv_log, "a") as f:
            f.write(out)
    got = {}
    for line in out.splitlines():
        m = re.match(r"\s*(title exact|author|date|caption|boilerplate removed|money recall)\s.*\((\d+)/(\d+)\)",
                     line)
        if m:
            got[m.group(1)] = (int(m.group(2)), int(m.group(3)))
    return got


def main():
    ap = argparse.ArgumentParser()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--build", default=os.path.join(root, "build"))
    ap.add_argument("--corpus", default=os.path.join(root, "..", "..", "shared", "corpus", "articles"))
    ap.add_argument("--out", default=os.path.join(root, "worker", "text", "tlx_layout_model.h"))
    ap.add_argument("--cv-only", action="store_true")
    ap.add_argument("--no-examples", action="store_true", help="leave the hand-written layouts out")
    ap.add_argument("--debug", nargs="*", default=[], help="print the held-out line probabilities of these texts")
    ap.add_argument("--cv-log", help="append score.py --verbose output of each held-out fold to this file")
    ap.add_argument("--exclude", nargs="*", default=[],
                    help="leave these outlets (file-name prefixes) out of training: to look at how a model that "
                         "has not seen them reads them (write it with --out, build, run telex enrich)")
    ap.add_argument("--folds", type=int, default=5, help="outlet folds (0: one per outlet)")
    ap.add_argument("--seed", type=int, default=7, help="shuffle of the outlets into folds")
    ap.add_argument("--repeats", type=int, default=1,
                    help="repeat the cross-validation with this many shuffles (seed, seed+1, ...) and print the mean: "
                         "one fold split moves the figures by a few points")
    ap.add_argument("--cv-score", action="store_true",
                    help="also score each held-out fold end to end: writes the fold's model, rebuilds telex, "
                         "runs score.py on the fold's texts")
    args = ap.parse_args()
    if not os.path.isdir(args.corpus):
        alt = os.path.join(root, "..", "shared", "corpus", "articles")
        args.corpus = alt if os.path.isdir(alt) else args.corpus
    names = subprocess.run([os.path.join(args.build, "tools", "layout_dump"), "--names"], capture_output=True,
                           text=True, check=True).stdout.split()
    nf = len(names)
    nraw = nf - 24
    texts = sorted(glob.glob(os.path.join(args.corpus, "*.txt")))
    seeds = sorted(glob.glob(os.path.join(root, "seeds", "*.txt")))
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from layout_examples import EXAMPLES
    tmp = tempfile.mkdtemp(prefix="layout_examples.")
    ex_paths = []
    if args.no_examples:
        EXAMPLES = []
    for name, text, _ in EXAMPLES:
        path = os.path.join(tmp, name + ".txt")
        with open(path, "w") as f:
            f.write(text)
        ex_paths.append(path)
    dumped = dump(args.build, texts + seeds + ex_paths)
    docs = []
    for p in texts:
        g = json.load(open(p[:-4] + ".gold.json"))
        lines = dumped.get(p, [])
        lab = label_corpus(lines, g)
        outlet = re.sub(r"_\d+$", "", os.path.basename(p)[:-4])
        docs.append({"name": os.path.basename(p), "group": outlet, "f": [x["f"] + [0.0] * 24 for x in lines],
                     "y": [CLASSES.index(v) for v in lab], "text": [x["text"] for x in lines]})
    for p in seeds:
        gp = os.path.join(root, "tests", "golden", os.path.basename(p)[:-4] + ".json")
        if not os.path.exists(gp):
            continue
        lines = dumped.get(p, [])
        lab, skip = label_seed(lines, json.load(open(gp)))
        docs.append({"name": os.path.basename(p), "group": "seeds", "f": [x["f"] + [0.0] * 24 for x in lines],
                     "y": [None if i in skip else CLASSES.index(v) for i, v in enumerate(lab)],
                     "text": [x["text"] for x in lines]})
    for (name, _, g), p in zip(EXAMPLES, ex_paths):
        lines = dumped.get(p, [])
        lab = label_corpus(lines, g)
        docs.append({"name": name + ".txt", "group": "examples", "f": [x["f"] + [0.0] * 24 for x in lines],
                     "y": [CLASSES.index(v) for v in lab], "text": [x["text"] for x in lines]})
    shutil.rmtree(tmp)
    docs = [d for d in docs if d["group"] not in args.exclude]
    # cross-validation across outlets (the hand-written examples are always in training)
    groups = sorted({d["group"] for d in docs if d["group"] != "examples"})
    nfolds = args.folds if args.folds > 0 else len(groups)
    saved = open(args.out).read() if args.cv_score and os.path.exists(args.out) else None
    try:
        total = {}
        for r in range(args.repeats):
            rnd = random.Random(args.seed + r)
            order = list(groups)
            rnd.shuffle(order)
            fold_of = {g: i % nfolds for i, g in enumerate(order)}
            fold_of["examples"] = -1
            for k, (a, b) in cross_validate(args, root, docs, fold_of, nfolds, names, nraw, nf).items():
                tot = total.setdefault(k, [0, 0])
                tot[0] += a
                tot[1] += b
        if args.repeats > 1 and total:
            print(f"mean of {args.repeats} shuffles of the outlets into folds, end to end:")
            print_e2e(total)
    finally:
        if saved is not None:  # the fold models were compiled in: put the real one back
            with open(args.out, "w") as o:
                o.write(saved)
            subprocess.run(["cmake", "--build", args.build, "--target", "telex", "-j", "2"], check=True,
                           capture_output=True)
    if args.cv_only:
        return
    W1, W2 = fit_two_pass(docs, nraw, nf)
    write_model(args.out, W1, W2, names, len(docs), len(groups))
    print(f"wrote {args.out}", file=sys.stderr)


def cross_validate(args, root, docs, fold_of, nfolds, names, nraw, nf):
    conf = [[0] * K for _ in range(K)]
    title_ok = title_n = 0
    e2e = {}
    for fold in range(nfolds):
        tr = [d for d in docs if fold_of[d["group"]] != fold]
        te = [d for d in docs if fold_of[d["group"]] == fold]
        W1, W2 = fit_two_pass(tr, nraw, nf)
        for d in te:
            P = predict(W1, W2, d, nraw)
            for p, y in zip(P, d["y"]):
                if y is not None:
                    conf[y][max(range(K), key=lambda k: p[k])] += 1
            if d["name"][:-4] in args.debug:
                for i, (p, y) in enumerate(zip(P, d["y"])):
                    best = max(range(K), key=lambda k: p[k])
                    print(f"{d['name']}:{i} gold={CLASSES[y] if y is not None else '-':7} got={CLASSES[best]:7} " +
                          " ".join(f"{CLASSES[k][:4]}={p[k]:.2f}" for k in range(K)) + " | " + d["text"][i][:60])
            gold_t = [i for i, y in enumerate(d["y"]) if y == 1]
            if gold_t:
                title_n += 1
                best = max(range(len(P)), key=lambda i: P[i][1])
                title_ok += best == gold_t[0]
        held = [d["name"][:-4] for d in te if d["group"] != "seeds"]
        if args.cv_score and held:
            write_model(args.out, W1, W2, names, len(tr), 0)
            got = score_fold(args, root, held)
            for k, (a, b) in got.items():
                tot = e2e.setdefault(k, [0, 0])
                tot[0] += a
                tot[1] += b
        print(f"fold {fold}: {len(te)} texts held out ({len({d['group'] for d in te})} outlets)", file=sys.stderr)
    print(f"held-out outlets ({nfolds}-fold by outlet), per line:")
    print(f"{'class':8} {'gold':>5} {'recall':>7} {'precision':>9}")
    for k in range(K):
        gold = sum(conf[k])
        got = sum(conf[j][k] for j in range(K))
        print(f"{CLASSES[k]:8} {gold:5d} {conf[k][k] / gold if gold else 0:7.2f} {conf[k][k] / got if got else 0:9.2f}")
    print(f"title line (most title-like line of the text): {title_ok}/{title_n}")
    if e2e:
        print("held-out outlets, end to end (score.py on each fold with the model trained without it):")
        print_e2e(e2e)
    return e2e


def print_e2e(e2e):
    for k, (a, b) in e2e.items():
        print(f"  {k:22} {a / b if b else 0:6.1%}  ({a}/{b})")
    strct = [e2e[k][0] / e2e[k][1] for k in ("title exact", "author", "date", "caption", "boilerplate removed")
             if k in e2e and e2e[k][1]]
    if strct:
        print(f"  structure score        {sum(strct) / len(strct):6.1%}")


if __name__ == "__main__":
    main()
