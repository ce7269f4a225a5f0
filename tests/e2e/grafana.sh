#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# deploy/grafana/telex.json is a loadable Grafana dashboard whose every
# PromQL expression names metrics (and grouping labels) that a running
# telexd really exports on /metrics.
. "$(dirname "$0")/lib/common.bash"
start_telexd
telex push --source dailynk "$TLX_SOURCE_DIR/seeds/000_b95e5fb43f31aefa.txt" >/dev/null
printf '' | telex push - >/dev/null 2>&1 || true     # a reject, so labelled series exist
wait_processed 1
http_get /metrics >"$T/metrics"
stop_telexd
$PY - "$TLX_SOURCE_DIR/deploy/grafana/telex.json" "$T/metrics" <<'PYEOF' || fail "dashboard"
import json, re, sys
dash = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read().split(" ", 1)[1]  # http_get prints "STATUS BODY"
series = {}   # metric name -> set of label names
for line in text.splitlines():
    if not line or line.startswith("#"):
        continue
    m = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s", line)
    assert m, line
    labels = set(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="', m.group(3) or ""))
    series.setdefault(m.group(1), set()).update(labels)
# loadable: the keys Grafana needs on import
for k in ("title", "uid", "panels", "schemaVersion", "templating"):
    assert k in dash, k
exprs = []
for p in dash["panels"]:
    assert {"type", "title", "gridPos", "id"} <= set(p), p.get("title")
    if p["type"] == "row":
        continue
    assert p["targets"], p["title"]
    exprs += [(p["title"], t["expr"]) for t in p["targets"]]
for v in dash["templating"]["list"]:
    if v["type"] == "query":
        exprs.append(("variable " + v["name"], v["definition"]))
FUNCS = {"sum", "rate", "increase", "histogram_quantile", "topk", "max", "min", "avg", "time", "by",
         "without", "label_values", "irate", "count", "le", "instance", "job"}
checked = 0
for title, e in exprs:
    bare = re.sub(r'\{[^}]*\}', "", e)          # label matchers
    bare = re.sub(r'"[^"]*"', "", bare)
    bare = re.sub(r"\[[^\]]*\]", "", bare)      # range selectors
    bare = re.sub(r"\b(by|without) \([^)]*\)", "", bare)  # grouping labels, checked below
    names = [n for n in re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", bare) if n not in FUNCS]
    assert names, (title, e)
    for n in names:
        assert n in series, "%s: %s is not exported by telexd (expr %s)" % (title, n, e)
        checked += 1
    for grp in re.findall(r"by \(([^)]*)\)", e):   # grouping labels exist on the metric
        for lab in [l.strip() for l in grp.split(",")]:
            if lab == "le":
                continue
            assert any(lab in series[n] for n in names), "%s: no metric in %s has label %s" % (title, e, lab)
print("ok - %d panels, %d expressions, %d metric names, all exported by telexd"
      % (len(dash["panels"]), len(exprs), checked))
PYEOF
