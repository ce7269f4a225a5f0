#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Web pages through a real telexd: a page pushed as is (detected by content)
# and one pushed with --format html come back as records with the headline,
# byline and date from the markup, a body without markup or page furniture,
# the canonical URL, the html flag and from_markup; --format text keeps the
# markup as text; an unknown format is a usage error; a page with no article
# is stored, flagged no_article.
. "$(dirname "$0")/lib/common.bash"

start_telexd
cat >"$T/page.html" <<'HTML'
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Council expands bus network | Example News</title>
<link rel="canonical" href="https://example.org/news/council-buses">
<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Council expands bus network",
 "author": {"@type": "Person", "name": "Ana Lima"},
 "datePublished": "2024-03-05T14:30:00+01:00"}
</script>
<script>window.ads = ["<p>not text</p>"];</script>
</head>
<body>
<div class="cookie-consent">We use cookies. Accept all cookies or manage your settings at any time.</div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<main><article>
<h1>Council expands bus network</h1>
<p class="byline">By Ana Lima</p>
<p>The city council voted on Tuesday to expand the bus network, adding four routes, two depots and a
night service that runs until three in the morning, the mayor said.</p>
<h2>What changes for riders</h2>
<p>Officials expect the new routes to carry 40,000 riders a day by next year, although critics warn
that the budget, which relies on federal grants, may not hold.</p>
<p>Work on the first depot starts in March, and the night service begins in the summer, according to
the transport department's plan.</p>
<div class="share-tools"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
<aside class="related"><h3>Related</h3><ul><li><a href="/1">Tram plan shelved after cost review</a></li></ul></aside>
</article></main>
<footer><p>Copyright 2024 Example News. All rights reserved.</p></footer>
</body>
</html>
HTML

out=$(telex push --source example --id page-1 "$T/page.html")
[ "$out" = "accepted page-1 $T/page.html" ] || fail "push output: $out"
out=$(telex push --source example --id page-2 --format html "$T/page.html")
[ "$out" = "accepted page-2 $T/page.html" ] || fail "push output: $out"
out=$(telex push --source example --id page-3 --format text "$T/page.html")
[ "$out" = "accepted page-3 $T/page.html" ] || fail "push output: $out"
printf '<html><head><title>Only scripts</title></head><body><script>app()</script></body></html>\n' >"$T/empty.html"
out=$(telex push --source example --id page-4 "$T/empty.html")
[ "$out" = "accepted page-4 $T/empty.html" ] || fail "push output: $out"
wait_processed 4

for id in page-1 page-2; do
    telex get "$id" >"$T/$id.json"
    $PY - "$T/$id.json" <<'PYEOF' || fail "record of $id"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["title"] == "Council expands bus network", r["title"]
assert r["authors"] == ["Ana Lima"], r["authors"]
assert r["published_at"] == "2024-03-05T14:30:00+01:00", r["published_at"]
assert r["url"] == "https://example.org/news/council-buses", r["url"]
assert "html" in r["flags"] and "no_article" not in r["flags"], r["flags"]
for f in ("title", "authors", "published_at", "url"):
    assert f in r["from_markup"], (f, r["from_markup"])
b = r["body"]
assert b.startswith("The city council voted on Tuesday"), b[:80]
assert "What changes for riders" in b and "the transport department's plan." in b, b
for junk in ("<", ">", "cookies", "Home", "Share on", "Tram plan", "Copyright", "window.ads", "By Ana Lima"):
    assert junk not in b, (junk, b)
assert r["subheadings"] == ["What changes for riders"], r["subheadings"]
assert r["lang"] == "en", r["lang"]
assert any(d["text"] == "Tuesday" for d in r["dates"]), r["dates"]
PYEOF
done
ok "a page (detected, and with --format html) gives the article with its markup metadata"

telex get page-3 >"$T/page-3.json"
$PY - "$T/page-3.json" <<'PYEOF' || fail "record of page-3 (--format text)"
import json, sys
r = json.load(open(sys.argv[1]))
assert "html" not in r["flags"], r["flags"]
# the markup is text: its lines are in the body, or furniture to the structure stage (the <nav> line)
assert "<p>The city council voted" in r["body"], r["body"][:200]
assert "<nav>" in r["body"] or any("<nav>" in b for b in r["boilerplate"]), r["boilerplate"]
assert r["from_markup"] == [], r["from_markup"]
PYEOF
ok "--format text stores the markup as text"

telex get page-4 >"$T/page-4.json"
$PY - "$T/page-4.json" <<'PYEOF' || fail "record of page-4 (no article)"
import json, sys
r = json.load(open(sys.argv[1]))
assert "no_article" in r["flags"] and "html" in r["flags"], r["flags"]
assert r["title"] == "Only scripts", r["title"]
assert r["body"] == "", r["body"]
PYEOF
ok "a page without an article is stored, flagged no_article"

# the raw page is kept in the store as raw text is (raw and envelopes DBs, store/SCHEMA.md; read through the Python client)
PYTHONPATH="$TLX_SOURCE_DIR/clients/python" $PY - "$STORE" page-1 "$T/page.html" <<'PYEOF' || fail "raw page not kept"
import sys, telex
with telex.Store(sys.argv[1]) as s:
    e = s.envelope(sys.argv[2])
assert e["text"] == open(sys.argv[3]).read(), "raw text differs"
PYEOF
ok "the raw page is kept"

set +e
telex push --format xml "$T/page.html" 2>"$T/err"; rc=$?
set -e
[ $rc -eq 2 ] || fail "--format xml should exit 2, got $rc"
grep -q "unknown input format 'xml'" "$T/err" || fail "message: $(cat "$T/err")"
ok "an unknown --format is a usage error"
