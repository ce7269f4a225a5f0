#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# e2e: `telex ner --conll` -- the CoNLL in/out contract, bad input that must be
# answered (empty, binary, a 1 MB token, a 10,000-token sentence), train-ner with a
# lexicon and, when the CoNLL-2003 data is present, the exact-span F1 on eng.testa
# (>= 88).
set -euo pipefail
SRC=${TLX_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
if ! telex ner --help >/dev/null 2>&1; then
    echo "SKIP: this telex binary has no 'ner' subcommand"
    exit 0
fi
fail() { echo "FAIL: $*" >&2; exit 1; }

# format: -DOCSTART- passes through, blank lines kept, "token TAG", IOB2
printf -- '-DOCSTART- -X- -X- O\n\nKim NNP I-NP I-PER\nJong\nUn\nvisited\nPyongyang\n.\n\n\nReuters\nsaid\n' > in.txt
telex ner --conll in.txt > out.txt
[ "$(wc -l < out.txt)" -eq 12 ] || fail "line count $(wc -l < out.txt)"
[ "$(sed -n 1p out.txt)" = "-DOCSTART- -X- -X- O" ] || fail "docstart"
[ -z "$(sed -n 2p out.txt)" ] && [ -z "$(sed -n 9p out.txt)" ] && [ -z "$(sed -n 10p out.txt)" ] || fail "blank lines"
[ "$(sed -n 3,7p out.txt | tr '\n' ' ')" = "Kim B-PER Jong I-PER Un I-PER visited O Pyongyang B-LOC " ] || fail "tags: $(cat out.txt)"
telex ner --conll < in.txt | cmp -s - out.txt || fail "stdin differs from file"

# documents tagged on several threads come out in input order, with the
# tags one thread gives (made-up documents, several of each)
for d in 1 2 3 4 5 6 7; do
    printf -- '-DOCSTART- -X- -X- O\n\nMoon\nJae-in\nmet\nOrvel\nTask\nin\nBusan\n.\n\nMoon\nleft\n.\n\n'
    printf 'Doc%s\nsaid\nthe\nVarnholt\nGroup\nwill\nbuy\nZentrix\nCorp\n.\n\n' "$d"
done > docs.txt
telex ner --conll --threads 1 docs.txt > t1.out || fail "--threads 1"
telex ner --conll --threads 4 docs.txt > t4.out || fail "--threads 4"
cmp -s t1.out t4.out || fail "4 threads differ from 1: $(diff t1.out t4.out | head -5)"
[ "$(wc -l < t4.out)" -eq "$(wc -l < docs.txt)" ] || fail "threads lost lines"
if telex ner --conll --threads 0 docs.txt 2> /dev/null; then
    fail "--threads 0 accepted"
fi

# a mapped file, a pipe and one thread give the same lines: a stream without
# -DOCSTART- over 2^20 lines (cut into documents at a sentence end) and over
# the 8 MB at which documents are tagged in batches
awk 'BEGIN { for (i = 0; i < 1100000; i++) { print "Word" (i % 7919) " X"; if (i % 9 == 8) print "" } }' > many.txt
telex ner --conll many.txt > many.file || fail "large file"
cat many.txt | telex ner --conll > many.pipe || fail "large stream"
cmp -s many.file many.pipe || fail "mapped file and pipe differ"
telex ner --conll --threads 1 many.txt | cmp -s - many.file || fail "1 thread differs on a large file"
[ "$(wc -l < many.file)" -eq "$(wc -l < many.txt)" ] || fail "large file lost lines"

# errors carry a reason: an unreadable input, an output that cannot be written
if telex ner --conll . > /dev/null 2> dir.err; then fail "a directory read as input"; fi
grep -q "cannot read" dir.err || fail "no reason for a directory: $(cat dir.err)"
if [ -w /dev/full ]; then
    if telex ner --conll in.txt > /dev/full 2> full.err; then fail "a full device accepted the output"; fi
    grep -q "cannot write" full.err || fail "no reason for a full device: $(cat full.err)"
fi

# bad input: answers, never a crash
: | telex ner --conll - > empty.out
[ ! -s empty.out ] || fail "empty input gave output"
head -c 200000 /dev/urandom > bin.txt
telex ner --conll bin.txt > bin.out || fail "binary input"
[ "$(wc -l < bin.out)" -ge "$(wc -l < bin.txt)" ] || fail "binary input lost lines"
{ head -c 1048576 /dev/zero | tr '\0' 'A'; printf ' X\nnext\n'; } > big.txt
telex ner --conll big.txt > big.out || fail "1 MB token"
[ "$(wc -l < big.out)" -eq 2 ] || fail "1 MB token lines"
awk 'BEGIN { for (i = 0; i < 10000; i++) print "Pyongyang" }' > long.txt
telex ner --conll long.txt > long.out || fail "10,000-token sentence"
[ "$(wc -l < long.out)" -eq 10000 ] || fail "10,000-token sentence lines"

# train-ner: a tiny corpus with and without a lexicon (stored in the model);
# an unreadable lexicon is an error, not a model without one
printf -- '-DOCSTART- -X- -X- O\n\nKim I-PER\nvisited O\nSeoul I-LOC\n. O\n' > tr.txt
printf 'LOC\tSeoul\nPER\tKim Jong Un\n' > lex.tsv
telex train-ner --train tr.txt --out m1.bin --epochs 2 --bits 10 --lexicon lex.tsv 2> log1 || fail "train with a lexicon"
grep -q "lexicon: lex.tsv" log1 || fail "lexicon not used: $(cat log1)"
telex train-ner --train tr.txt --out m2.bin --epochs 2 --bits 10 --lexicon none 2> /dev/null || fail "train without"
[ "$(stat -c %s m1.bin)" -gt "$(stat -c %s m2.bin)" ] || fail "lexicon not stored in the model"
printf 'Kim\nvisited\nSeoul\n' | telex ner --conll --model m1.bin - > t.out || fail "tag with the trained model"
[ "$(wc -l < t.out)" -eq 3 ] || fail "trained model output"
if telex train-ner --train tr.txt --out m3.bin --lexicon /nonexistent/lex.tsv 2> log3; then
    fail "unreadable lexicon accepted"
fi
grep -q "lexicon" log3 || fail "no reason given: $(cat log3)"

# accuracy on the development set, when the data is there (never in the repo)
CONLL=${TELEX_CONLL_DIR:-/work/shared/data/conll2003}
if [ -r "$CONLL/eng.testa" ]; then
    telex ner --conll "$CONLL/eng.testa" > testa.out
    python3 "$SRC/tools/conlleval.py" "$CONLL/eng.testa" testa.out | tee score.txt
    f1=$(sed -n 's/.*FB1: *\([0-9.]*\).*/\1/p' score.txt | head -1)
    python3 -c "import sys; sys.exit(0 if float('$f1') >= 88.0 else 1)" || fail "F1 $f1 < 88"
else
    echo "eng.testa not found in $CONLL: accuracy check skipped"
fi
echo "ok"
