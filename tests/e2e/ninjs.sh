#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# telex get/export --format ninjs: every item for the seeds (and for a few
# awkward articles) validates against IPTC's ninjs 3.0 JSON Schema
# (store/ninjs-schema_3.0.json, vendored under its MIT licence, see NOTICE),
# and carries what the record says: headline, body, by, people/places/
# organisations/subjects by canonical name, altIds, the telex extension.
. "$(dirname "$0")/lib/common.bash"
SCHEMA="$TLX_SOURCE_DIR/store/ninjs-schema_3.0.json"
[ -r "$SCHEMA" ] || fail "the ninjs schema $SCHEMA is missing from the source tree"
$PY -c "import jsonschema" 2>/dev/null || fail "python3-jsonschema is not installed (make deps installs it)"

start_telexd
telex push --source dailynk --lang en --meta desk=north "$TLX_SOURCE_DIR"/seeds/*.txt >/dev/null
printf 'Untitled lines\n' >"$T/short.txt"                        # no headline, almost no body
printf 'Odd id\n\nAn article whose id needs escaping in a URI.\n' >"$T/odd.txt"
telex push "$T/short.txt" >/dev/null
telex push --id 'cms/2024 x#1 é' --url 'https://example.org/a?b=1' "$T/odd.txt" >/dev/null
wait_processed 7

telex export --format ninjs >"$T/items.jsonl"
telex export >"$T/records.jsonl"
[ "$(wc -l <"$T/items.jsonl")" -eq 7 ] || fail "export --format ninjs printed $(wc -l <"$T/items.jsonl") items"

$PY - "$SCHEMA" "$T/items.jsonl" "$T/records.jsonl" <<'PYEOF' || fail "ninjs items"
import datetime, json, sys, urllib.parse
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
v = jsonschema.Draft202012Validator(schema)
items = [json.loads(l) for l in open(sys.argv[2])]
recs = [json.loads(l) for l in open(sys.argv[3])]
assert len(items) == len(recs) == 7
def dt(s):  # RFC 3339 date-time with an offset (the schema's "format": "date-time")
    assert len(s) >= 20 and s[10] == "T", s
    d = datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))
    assert d.tzinfo is not None, s
for it, r in zip(items, recs):
    errs = sorted(v.iter_errors(it), key=lambda e: list(e.path))
    assert not errs, "%s: %s at %s" % (r["id"], errs[0].message, list(errs[0].path))
    u = urllib.parse.urlsplit(it["uri"])
    assert u.scheme == "urn" and it["uri"].startswith("urn:telex:"), it["uri"]
    assert urllib.parse.unquote(it["uri"][len("urn:telex:"):]) == r["id"], it["uri"]
    assert all(c.isascii() and c not in " #?/" for c in it["uri"][10:]), it["uri"]
    assert it["version"] == str(r["revision"])
    for k in ("firstCreated", "versionCreated", "contentCreated"):
        if k in it:
            dt(it[k])
    if r["published_at"]:
        assert it["contentCreated"] == r["published_at"] == it["firstCreated"]
    if r["title"]:
        assert it["headlines"] == [{"role": "main", "value": r["title"]}]
    else:
        assert "headlines" not in it
    if r["body"]:
        b = it["bodies"][0]
        assert b["value"] == r["body"] and b["contentType"] == "text/plain"
        assert b["charCount"] == r["stats"]["chars"] and b["wordCount"] == r["stats"]["words"]
    assert it.get("by", "") == ", ".join(r["authors"])
    if r["lang"]:
        assert it["language"] == r["lang"]
    def names(t):
        out = []
        for e in r["entities"]:
            if e["type"] == t and e["canonical"] not in out:
                out.append(e["canonical"])
        return out
    for key, t in (("people", "PER"), ("organisations", "ORG"), ("places", "LOC")):
        assert [p["name"] for p in it.get(key, [])] == names(t), (key, it.get(key))
    subj = [(s["name"], s["rel"]) for s in it.get("subjects", [])]
    want = [(n, "mentioned") for n in names("MISC")] + [(t, "tag") for t in r["tags"]] + \
           [(k, "keyword") for k in r["keywords"]]
    assert subj == want, (subj, want)
    alt = {a["role"]: a["value"] for a in it["altIds"]}
    assert alt["telex-id"] == r["id"] and alt["telex-seq"] == str(r["seq"]), alt
    assert alt.get("url") == r["url"], alt
    if r["source"]:
        assert it["infoSources"] == [{"name": r["source"], "role": "source"}]
    ext = [d for d in it["descriptions"] if d["role"] == "telex"]
    assert len(ext) == 1 and ext[0]["contentType"] == "application/vnd.telex.record+json"
    x = json.loads(ext[0]["value"])
    want_ext = {k: val for k, val in r.items() if k != "body"}
    assert x == want_ext, set(x) ^ set(want_ext)
    sh = x["fingerprints"]["simhash64"]
    assert isinstance(sh, str) and len(sh) == 16 and int(sh, 16) >= 0, sh
    summ = [d for d in it["descriptions"] if d["role"] == "summary"]
    assert (summ[0]["value"] if summ else None) == r["summary"]
seeds = [it for it, r in zip(items, recs) if r["source"] == "dailynk"]
assert len(seeds) == 5 and sum("headlines" in s for s in seeds) >= 3
assert sum("people" in s for s in seeds) >= 3 and any("organisations" in s for s in seeds)
assert any("by" in s for s in seeds)
print("ok - %d ninjs items valid against ninjs 3.0 and faithful to their records" % len(items))
PYEOF

# telex get --format ninjs prints the same item as export
id=$(telex list | $PY -c "import json,sys; print([json.loads(l)['id'] for l in sys.stdin][2])")
diff <(telex get --format ninjs "$id") <(sed -n 3p "$T/items.jsonl") || fail "get --format ninjs differs from export"
set +e; telex get --format xml "$id" 2>"$T/err"; rc=$?; set -e
[ $rc -eq 2 ] && grep -q "unknown format 'xml'" "$T/err" || fail "unknown format: rc $rc $(cat "$T/err")"
ok "telex get --format ninjs"
stop_telexd
