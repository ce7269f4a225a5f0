#!/usr/bin/env bash
# store/record.schema.json (JSON Schema 2020-12) describes every record telex
# makes: each seed through `telex enrich` (with and without its source), a
# few awkward inputs, and the records a running telexd stored (with seq).
# The schema lets consumers meet keys added later (objects are open), so
# this test is stricter than the schema: every key a record has must be
# declared in it, or the schema has fallen behind the record.
. "$(dirname "$0")/lib/common.bash"
SCHEMA="$TLX_SOURCE_DIR/store/record.schema.json"
$PY -c "import jsonschema" 2>/dev/null || fail "python3-jsonschema is not installed (make deps installs it)"

for f in "$TLX_SOURCE_DIR"/seeds/*.txt; do
    telex enrich "$f"
    telex enrich --source dailynk --id "seed/$(basename "$f")" "$f"
done >"$T/records.jsonl"
printf 'x' | telex enrich - >>"$T/records.jsonl"                          # almost nothing
printf 'Caf\xc3\xa9 \xe2\x80\x94 prices\n\nPrices rose 5%% to $3.20 (\xe2\x82\xa9 4,000) on 3 May 2024, \xe2\x80\x9cwe are worried,\xe2\x80\x9d a trader said.\n' |
    telex enrich - >>"$T/records.jsonl"
printf 'bad \xff\xfe utf-8 and a NUL \x00 here\n' | telex enrich - >>"$T/records.jsonl"

start_telexd
telex push --source dailynk --meta desk=north "$TLX_SOURCE_DIR"/seeds/*.txt >/dev/null
telex push --id u-1 --url https://example.org/u-1 "$TLX_SOURCE_DIR/seeds/000_b95e5fb43f31aefa.txt" >/dev/null
wait_processed 6
telex export >"$T/stored.jsonl"
stop_telexd

$PY - "$SCHEMA" "$T/records.jsonl" "$T/stored.jsonl" <<'PYEOF' || fail "records against store/record.schema.json"
import json, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
val = jsonschema.Draft202012Validator(schema)
defs = schema["$defs"]

def undeclared(sch, inst, path):
    """Keys of inst that sch (followed through $ref/items/prefixItems) does not declare."""
    if "$ref" in sch:
        sch = defs[sch["$ref"].split("/")[-1]]
    out = []
    for branch in sch.get("oneOf", []):  # e.g. dateline: null or an object
        if isinstance(inst, dict) and "properties" in branch:
            return undeclared(branch, inst, path)
    if isinstance(inst, dict) and "properties" in sch:
        for k, v in inst.items():
            if k not in sch["properties"]:
                out.append(path + "." + k)
            else:
                out += undeclared(sch["properties"][k], v, path + "." + k)
    elif isinstance(inst, list):
        for i, v in enumerate(inst):
            if "prefixItems" in sch and i < len(sch["prefixItems"]):
                out += undeclared(sch["prefixItems"][i], v, "%s[%d]" % (path, i))
            elif "items" in sch:
                out += undeclared(sch["items"], v, "%s[%d]" % (path, i))
    return out

n = 0
for fname, stored in ((sys.argv[2], False), (sys.argv[3], True)):
    for line in open(fname):
        r = json.loads(line)
        errs = list(val.iter_errors(r))
        assert not errs, "%s: %s at %s" % (r.get("id"), errs[0].message, list(errs[0].absolute_path))
        extra = undeclared(schema, r, "")
        assert not extra, "%s: keys not in the schema: %s" % (r.get("id"), extra)
        assert ("seq" in r) == stored, r.get("id")
        body = r["body"].encode()
        for e in r["entities"]:   # spans are byte offsets into the UTF-8 body
            for s, t in e["spans"]:
                assert 0 <= s < t <= len(body), (r["id"], e)
        n += 1
print("ok - %d records valid against store/record.schema.json, every key declared" % n)
PYEOF

# the schema is not vacuous: a record with a numeric simhash, a missing key or
# a span that is not a pair is refused
$PY - "$SCHEMA" "$T/stored.jsonl" <<'PYEOF' || fail "schema accepts broken records"
import copy, json, sys
import jsonschema
val = jsonschema.Draft202012Validator(json.load(open(sys.argv[1])))
r = json.loads(open(sys.argv[2]).readline())
bad = []
x = copy.deepcopy(r); x["fingerprints"]["simhash64"] = int(x["fingerprints"]["simhash64"], 16); bad.append(x)
x = copy.deepcopy(r); del x["body"]; bad.append(x)
x = copy.deepcopy(r); x["entities"] = [{"text": "A", "type": "PER", "canonical": "A", "count": 1, "spans": [[1]]}]; bad.append(x)
x = copy.deepcopy(r); x["published_at"] = "16 Nov 2016"; bad.append(x)
for i, b in enumerate(bad):
    assert not val.is_valid(b), "broken record %d accepted" % i
print("ok - broken records are refused")
PYEOF
