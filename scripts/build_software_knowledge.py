"""Rebuild the normaliser's knowledge files from their public sources.

    python scripts/build_software_knowledge.py WINGET_INDEX.csv [DUMPAVAIL.txt]
    python scripts/build_software_knowledge.py --products-only WINGET_INDEX.csv
    python scripts/build_software_knowledge.py --brands-only WINGET_INDEX.csv
    python scripts/build_software_knowledge.py --licences-only WINGET_INDEX.v2.json
    python scripts/build_software_knowledge.py --debian-only BOOKWORM_DUMPAVAIL.txt TRIXIE_DUMPAVAIL.txt

Writes, under src/ictmerge/engine/software/data/:

- vendors.json: the vendor lexicon. Publisher identifiers of the Windows Package Manager
  community repository (microsoft/winget-pkgs, MIT), read from the index that
  svrooij/winget-pkgs-index publishes (index.v2.csv: PackageId, Version, Name; MIT). A
  publisher becomes a vendor only when at least one of its package names starts with the
  publisher's own name (so the name is how its titles begin); the words as the package name
  spells them give the vendor's display name and title prefix. Ordinary English words
  (/usr/share/dict/words, Debian package wamerican) are not accepted as one-word prefixes,
  nor are names of four characters or fewer: "Box", "Task" or "VSS" would claim titles that
  merely start with that word. Vendors the curated catalogue already has are left to it.
- winget_products.tsv.gz: package names of the same index, reduced to the identity tokens the
  normaliser compares (versions, architectures and languages removed), and the vendor that
  publishes them. It names the vendor of a title that has no publisher and does not start with
  a vendor's name ("Xshell 5", "K-Lite Codec Pack"). A name that two publishers use, a
  one-word name that is an ordinary English word, shorter than four characters or a generic
  word ("Browser", "Notes") is left out.
- winget_brands.tsv: the one-word package names winget_products.tsv.gz leaves out (ordinary
  English words such as "Discord", "Postman") whose publisher identifier is that same name,
  or that name and a descriptive word ("SlackTechnologies" → Slack); a title that is exactly
  the name names the publisher.
- winget_licences.tsv.gz: package names of the same index's JSON form (index.v2.json, which adds
  each package's Tags) whose tags state how the program is licensed: "trial", "shareware",
  "subscription", "commercial", "paid" → paid (a licence is bought to keep using it);
  "foss", "open-source", "freeware", "gpl…" and the like → free. The index carries no
  `License` field (the manifests do, but microsoft/winget-pkgs is too large to read here), so
  only the tags speak; a name whose packages' tags disagree, or that tags both ways, is left out.
- debian_packages.tsv.gz: binary package, source package (empty when the same) and section,
  from the Packages index of Debian 12 "bookworm" main, security and updates, then the
  packages only Debian 13 "trixie" (main, security, updates) has (the 64-bit time_t
  `…t64` libraries, new sonames); a package both releases have keeps bookworm's answer
  (`apt-cache dumpavail` of each release; Debian package metadata, freely redistributable).
"""

from __future__ import annotations

import csv
import gzip
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "ictmerge" / "engine" / "software" / "data"
WORDS = Path("/usr/share/dict/words")


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def _catalogue_keys() -> set[str]:
    catalogue = json.loads((DATA / "catalogue.json").read_text("utf-8"))
    keys: set[str] = set()
    for vendor in catalogue["vendors"]:
        for text in (vendor["name"], *vendor.get("publisher_aliases", ()), *vendor.get("title_prefixes", ())):
            keys.add(_norm(text))
    return keys


def winget_vendors(index: Path) -> list[dict[str, object]]:
    """Vendors whose package names start with the publisher's own name."""
    names: dict[str, list[str]] = defaultdict(list)
    with index.open(encoding="utf-8-sig", newline="") as stream:
        for row in csv.DictReader(stream):
            names[row["PackageId"].split(".")[0]].append(row["Name"])
    words = {w.strip().casefold() for w in WORDS.read_text("utf-8").splitlines()} if WORDS.exists() else set()
    known = _catalogue_keys()
    vendors = []
    for publisher, titles in sorted(names.items(), key=lambda item: item[0].casefold()):
        key = _norm(publisher)
        if len(key) < 2 or key in known:
            continue
        spelt = ""
        for title in titles:
            acc = ""
            for count, word in enumerate(title.split()[:4], start=1):
                acc += _norm(word)
                if acc == key:
                    candidate = " ".join(title.split()[:count]).strip(" :-,")
                    if not spelt or len(candidate) < len(spelt):
                        spelt = candidate
                    break
                if not key.startswith(acc):
                    break
        if not spelt:
            continue
        single = " " not in spelt
        if single and (len(key) <= 4 or spelt.casefold() in words):
            continue
        display = spelt if not single else (publisher if _norm(publisher) == _norm(spelt) and publisher.isascii() else spelt)
        vendors.append({"name": display, "title_prefixes": [spelt.casefold()], "packages": len(titles)})
    return vendors


def winget_products(index: Path, vendors: list[dict[str, object]]) -> list[tuple[str, str]]:
    """(identity tokens of a package name, vendor display name), unambiguous names only."""
    sys.path.insert(0, str(DATA.parents[3]))
    from ictmerge.engine.software.normalise import GENERIC_PRODUCTS, _tokens

    catalogue = json.loads((DATA / "catalogue.json").read_text("utf-8"))
    display: dict[str, str] = {}
    for vendor in catalogue["vendors"]:
        for text in (vendor["name"], *vendor.get("publisher_aliases", ())):
            display.setdefault(_norm(text), vendor["name"])
    for lexicon_vendor in vendors:
        display.setdefault(_norm(str(lexicon_vendor["name"])), str(lexicon_vendor["name"]))
    words = {w.strip().casefold() for w in WORDS.read_text("utf-8").splitlines()} if WORDS.exists() else set()
    owners: dict[str, set[str]] = defaultdict(set)
    with index.open(encoding="utf-8-sig", newline="") as stream:
        for row in csv.DictReader(stream):
            publisher = row["PackageId"].split(".")[0]
            key = " ".join(_tokens(row["Name"]))
            if not key or key in GENERIC_PRODUCTS:
                continue
            if " " not in key and (len(key) < 4 or key in words):
                continue
            owners[key].add(display.get(_norm(publisher), publisher))
    return sorted((key, next(iter(names))) for key, names in owners.items() if len(names) == 1)


def winget_name_brands(index: Path, products: set[str]) -> list[tuple[str, str]]:
    """(one-word package name, publisher) where the publisher is named after the package, unambiguous only.

    These are the one-word names winget_products.tsv.gz leaves out (ordinary English words,
    "Discord", "Audacity", "Postman"): a title that is that word and nothing else names its
    publisher, as the publisher chose the word for its own name.
    """
    sys.path.insert(0, str(DATA.parents[3]))
    from ictmerge.engine.software.normalise import GENERIC_PRODUCTS, _tokens

    owners: dict[str, set[str]] = defaultdict(set)
    with index.open(encoding="utf-8-sig", newline="") as stream:
        for row in csv.DictReader(stream):
            key = " ".join(_tokens(row["Name"]))
            if key:
                owners[key].add(row["PackageId"].split(".")[0])
    brands = []
    for key, publishers in owners.items():
        if " " in key or len(key) < 4 or key in GENERIC_PRODUCTS or key in products or len(publishers) != 1:
            continue
        publisher = next(iter(publishers))
        rest = _norm(publisher)[len(_norm(key)):] if _norm(publisher).startswith(_norm(key)) else None
        if rest == "" and publisher.isascii():
            brands.append((key, publisher))
        elif rest in _PUBLISHER_DESCRIPTORS and _norm(publisher[: len(key)]) == key:
            # "SlackTechnologies" publishes "Slack": the vendor is the name it trades under, as it spells it.
            brands.append((key, publisher[: len(key)]))
    return sorted(brands)


# Words a publisher identifier adds to the name it trades under ("SlackTechnologies", "BlenderFoundation",
# "CrystalLang"); an assumption of the project, from how winget publisher identifiers are formed.
_PUBLISHER_DESCRIPTORS = frozenset(
    ["technologies", "technology", "software", "labs", "lab", "inc", "hq", "foundation", "team", "project", "lang",
     "studio", "studios", "systems", "games", "app", "apps", "dev", "developers", "org", "io"])


def write_brands(index: Path) -> int:
    """Write winget_brands.tsv from the index and the product names already written; returns the count."""
    raw = gzip.decompress((DATA / "winget_products.tsv.gz").read_bytes()).decode("utf-8")
    products = {line.split("\t")[0] for line in raw.splitlines()[1:]}
    brands = winget_name_brands(index, products)
    with (DATA / "winget_brands.tsv").open("w", encoding="utf-8") as stream:
        stream.write("# one-word winget-pkgs package names whose publisher is named after them, via "
                     "svrooij/winget-pkgs-index (MIT)\n")
        for key, publisher in brands:
            stream.write(f"{key}\t{publisher}\n")
    return len(brands)


def debian_packages(*dumpavails: str) -> list[tuple[str, str, str]]:
    """(package, source or '', section) for every binary package; the first release that has it answers."""
    out: dict[str, tuple[str, str, str]] = {}
    for stanza in (s for dumpavail in reversed(dumpavails) for s in dumpavail.split("\n\n")):
        fields: dict[str, str] = {}
        for line in stanza.splitlines():
            if line[:1] in (" ", "\t") or ":" not in line:
                continue
            name, value = line.split(":", 1)
            fields[name] = value.strip()
        package = fields.get("Package")
        if not package:
            continue
        source = fields.get("Source", "").split(" ")[0]
        section = fields.get("Section", "").rsplit("/", 1)[-1]
        out[package] = (package, "" if source in ("", package) else source, section)
    return sorted(out.values())


def write_products(index: Path, vendors: list[dict[str, object]]) -> int:
    """Write winget_products.tsv.gz; returns the number of names."""
    products = winget_products(index, vendors)
    with gzip.open(DATA / "winget_products.tsv.gz", "wt", encoding="utf-8", compresslevel=9) as stream:
        stream.write("# winget-pkgs package names (identity tokens) and their publisher, via svrooij/winget-pkgs-index (MIT)\n")
        for key, vendor in products:
            stream.write(f"{key}\t{vendor}\n")
    return len(products)


# Tags winget manifests' authors use for how a program is licensed; the project's reading of them.
PAID_TAGS = frozenset({"trial", "shareware", "subscription", "commercial", "paid", "proprietary", "trialware"})
FREE_TAGS = frozenset({"foss", "open-source", "opensource", "oss", "free", "freeware", "free-software",
                       "open-source-software", "gpl", "gplv2", "gplv3", "gpl-2.0", "gpl-3.0", "mit", "apache",
                       "apache-2.0", "lgpl", "mpl"})


def winget_licences(index_json: Path) -> list[tuple[str, str]]:
    """(identity tokens of a package name, "paid" or "free") where the package's tags say so, unambiguous only."""
    sys.path.insert(0, str(DATA.parents[3]))
    from ictmerge.engine.software.normalise import GENERIC_PRODUCTS, _tokens

    words = {w.strip().casefold() for w in WORDS.read_text("utf-8").splitlines()} if WORDS.exists() else set()
    classes: dict[str, set[str]] = defaultdict(set)
    for package in json.loads(index_json.read_text("utf-8-sig")):
        key = " ".join(_tokens(package.get("Name") or ""))
        if not key or key in GENERIC_PRODUCTS or (" " not in key and (len(key) < 4 or key in words)):
            continue
        tags = {t.casefold() for t in package.get("Tags") or ()}
        paid, free = bool(tags & PAID_TAGS), bool(tags & FREE_TAGS)
        classes[key].add("paid" if paid and not free else "free" if free and not paid else "")
    return sorted((key, found.pop()) for key, found in classes.items() if len(found) == 1 and "" not in found)


def write_licences(index_json: Path) -> int:
    """Write winget_licences.tsv.gz; returns the number of names."""
    rows = winget_licences(index_json)
    with gzip.open(DATA / "winget_licences.tsv.gz", "wt", encoding="utf-8", compresslevel=9) as stream:
        stream.write("# winget-pkgs package names (identity tokens) and what their tags say of the licence "
                     "(paid or free), via svrooij/winget-pkgs-index index.v2.json (MIT)\n")
        stream.writelines(f"{key}\t{kind}\n" for key, kind in rows)
    return len(rows)


def write_debian(*dumpavails: str) -> int:
    """Write debian_packages.tsv.gz from dumpavail texts (bookworm first); returns the number of packages."""
    rows = debian_packages(*dumpavails)
    with gzip.open(DATA / "debian_packages.tsv.gz", "wt", encoding="utf-8", compresslevel=9) as stream:
        stream.write("# Debian 12 bookworm, then 13 trixie (main, security, updates) Packages index: package, source, section\n")
        for package, source, section in rows:
            stream.write(f"{package}\t{source}\t{section}\n")
    return len(rows)


def main() -> None:
    """Write vendors.json, winget_products.tsv.gz and debian_packages.tsv.gz (or only the products)."""
    if sys.argv[1] == "--debian-only":
        print(f"{write_debian(*(Path(p).read_text('utf-8') for p in sys.argv[2:]))} Debian packages")
        return
    if sys.argv[1] == "--licences-only":
        print(f"{write_licences(Path(sys.argv[2]))} winget names with a licence tag")
        return
    if sys.argv[1] == "--brands-only":
        print(f"{write_brands(Path(sys.argv[2]))} one-word brand names")
        return
    if sys.argv[1] == "--products-only":
        vendors = json.loads((DATA / "vendors.json").read_text("utf-8"))["vendors"]
        print(f"{write_products(Path(sys.argv[2]), vendors)} winget product names")
        return
    index = Path(sys.argv[1])
    vendors = winget_vendors(index)
    (DATA / "vendors.json").write_text(json.dumps({
        "source": "Publisher identifiers and package names of the Windows Package Manager community "
                  "repository (github.com/microsoft/winget-pkgs, MIT licence), read from the index "
                  "github.com/svrooij/winget-pkgs-index publishes (index.v2.csv, MIT licence); "
                  "built by scripts/build_software_knowledge.py",
        "licence": "MIT (source data); the selection rules are the project's",
        "vendors": vendors,
    }, ensure_ascii=False, indent=0) + "\n", "utf-8")
    products = write_products(index, vendors)
    write_brands(index)
    dumps = [Path(p).read_text("utf-8") for p in sys.argv[2:]] or [subprocess.run(
        ["apt-cache", "dumpavail"], capture_output=True, text=True, check=True).stdout]
    rows = write_debian(*dumps)
    print(f"{len(vendors)} vendors; {products} winget product names; {rows} Debian packages")


if __name__ == "__main__":
    main()
