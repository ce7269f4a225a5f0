#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Learned boilerplate: two synthetic sources, each ending its articles with a
# footer line of its own that no rule names.  After ~30 articles per source
# telexd has learned each footer for its source only: later articles have it
# in `boilerplate`, not in `body`; the other source's articles keep the same
# line as content, and so does a body line that merely starts like the
# footer.  The snapshot is refreshed on a short interval here
# (TELEX_BOILER_REFRESH_MS) and rebuilt at start.
. "$(dirname "$0")/lib/common.bash"
export TELEX_BOILER_REFRESH_MS=200

FA="Harbor Post readers can reach the night desk through the tip line at any hour."
FB="Valley Times staff answer letters from readers every Friday afternoon."

# gen DIR SOURCE_FOOTER N SEED [EXTRA_LINE]: N articles with varied bodies
gen() {
    $PY - "$@" <<'EOF'
import os, random, sys
d, footer, n, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
extra = sys.argv[5] if len(sys.argv) > 5 else None
rnd = random.Random(seed)
words = ("council harbor river bridge market school budget farmers storm police museum library rail "
         "station election hospital workers union festival mayor factory bakery ferry orchard drought "
         "vaccine clinic tunnel airport pension tenants landlord teachers students court judge shipyard "
         "fishermen quarry vineyard brewery stadium concert archive survey census tariff exports").split()
verbs = "approved rejected delayed announced reviewed expanded closed reopened funded questioned".split()
os.makedirs(d, exist_ok=True)
for i in range(n):
    title = " ".join(rnd.choice(words).capitalize() for _ in range(rnd.randint(3, 6)))
    paras = []
    for _ in range(rnd.randint(3, 5)):
        sents = []
        for _ in range(rnd.randint(2, 4)):
            w = [rnd.choice(words) for _ in range(rnd.randint(8, 16))]
            w.insert(rnd.randint(1, 6), rnd.choice(verbs))
            sents.append(" ".join(w).capitalize() + ".")
        paras.append(" ".join(sents))
    if extra:
        paras.insert(1, extra)
    with open(os.path.join(d, "%03d.txt" % i), "w") as f:
        f.write(title + "\n\n" + "\n\n".join(paras) + "\n\n" + footer + "\n")
EOF
}

# check ID FOOTER WANT: WANT=boiler: the footer is in boilerplate and not in the body; WANT=body: the reverse
check() {
    telex get "$1" >"$T/rec.json" || fail "no article $1"
    $PY - "$T/rec.json" "$2" "$3" <<'EOF' || fail "article $1: footer not where expected ($3)"
import json, sys
r = json.load(open(sys.argv[1]))
footer, want = sys.argv[2], sys.argv[3]
paras = r["body"].split("\n\n")
in_body, in_boiler = footer in paras, footer in r["boilerplate"]
ok = (in_boiler and not in_body) if want == "boiler" else (in_body and not in_boiler)
if not ok:
    print("body has it: %s, boilerplate: %s" % (in_body, r["boilerplate"]), file=sys.stderr)
sys.exit(0 if ok else 1)
EOF
}

start_telexd --threads 2
gen "$T/a1" "$FA" 30 1
gen "$T/b1" "$FB" 30 2
telex push --source harborpost --id a-first "$T/a1/000.txt" >/dev/null
telex push --source valleytimes --id b-first "$T/b1/000.txt" >/dev/null
telex push --source harborpost "$T"/a1/0[0-9][1-9].txt "$T"/a1/0[1-9]0.txt >/dev/null
telex push --source valleytimes "$T"/b1/0[0-9][1-9].txt "$T"/b1/0[1-9]0.txt >/dev/null
wait_processed 60
check a-first "$FA" body
check b-first "$FB" body
ok "before learning, each footer is body text"

for _ in $(seq 1 100); do grep -q 'msg="learned boilerplate" lines=2' "$T/telexd.log" && break; sleep 0.1; done
grep -q 'msg="learned boilerplate" lines=2' "$T/telexd.log" || fail "no snapshot with the two footers"
sleep 0.3 # the enrich threads pick the snapshot up with their next article

gen "$T/a2" "$FA" 3 3 "${FA%.}, the editor wrote when the line was first printed in 2019."
gen "$T/b2" "$FB" 3 4 "$FA"
for i in 0 1 2; do
    telex push --source harborpost --id "a-late-$i" "$T/a2/00$i.txt" >/dev/null
    telex push --source valleytimes --id "b-late-$i" "$T/b2/00$i.txt" >/dev/null
done
wait_processed 66
for i in 0 1 2; do
    check "a-late-$i" "$FA" boiler
    check "b-late-$i" "$FB" boiler
    check "b-late-$i" "$FA" body # the other source's footer is content here
    telex get "a-late-$i" | grep -q 'the editor wrote when the line was first printed' ||
        fail "a-late-$i: the content line that starts like the footer was removed"
done
ok "later articles: own footer in boilerplate; the other source's footer and look-alikes stay in the body"

stop_telexd
start_telexd --threads 2 # the snapshot is rebuilt from the store at start
gen "$T/a3" "$FA" 1 5
telex push --source HarborPost --id a-restart "$T/a3/000.txt" >/dev/null # sources: ASCII case-insensitive
wait_processed 67
check a-restart "$FA" boiler
ok "after a restart the learned footer is still removed"
telex verify >/dev/null || fail "verify"
stop_telexd
