"""Rebuild the knowledge the normaliser uses for the category of titles its catalogue does not know.

    python scripts/build_category_knowledge.py [PCI_IDS] [USB_IDS]

Writes, under src/ictmerge/engine/software/data/:

- hardware_vendors.txt.gz: the makers of hardware, from the PCI ID and USB ID repositories
  (pci.ids and usb.ids, as Debian's pci.ids and usb.ids packages install them under
  /usr/share/misc; each "can be distributed under either the GNU General Public License
  (version 2 or higher) or the 3-clause BSD License"). One comparison key a line: the vendor
  name lower-cased, letters and digits only, legal forms removed ("Seiko Epson Corp." ->
  seikoepson), and also without a descriptive last word ("Gigabyte Technology Co., Ltd" ->
  gigabytetechnology and gigabyte). Software a device maker ships with its devices needs no
  licence of its own.
- hardware_brands.txt.gz: the first word of each hardware maker's name in the same files, with
  its spelling, when it is no ordinary English word and has four characters or more ("Etron
  Technology, Inc." -> etron): an unknown title without publisher that begins with it names
  the maker.
- free_sources.txt.gz: the source package names of Debian 12 "bookworm" main, read from
  data/debian_packages.tsv.gz (Debian package metadata, freely redistributable). Debian main
  holds only software that meets the Debian Free Software Guidelines, so a program named
  like one of these is free software. Names of three characters or fewer, library sources
  (lib...) and one-word names that are ordinary English words (/usr/share/dict/words,
  Debian package wamerican) are left out: "Search" or "Desktops" must not claim a title.
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

from ictmerge.engine.software.text import strip_legal_form, vendor_key

DATA = Path(__file__).resolve().parents[1] / "src" / "ictmerge" / "engine" / "software" / "data"
WORDS = Path("/usr/share/dict/words")
_VENDOR_LINE = re.compile(r"^([0-9a-f]{4})\s{2}(.+)$")
# A last word that describes the firm rather than naming it ("Gigabyte Technology").
_DESCRIPTIVE = re.compile(
    r"\s+(?:technology|technologies|electronics?|computers?|international|systems|semiconductors?|group|"
    r"holdings?|industries|industrial|devices|design|microsystems|networks?|communications?|digital|solutions|"
    r"peripherals|products|labs?|laboratories|imaging|enterprises?|america|europe|japan|usa|taiwan|china|korea)$",
    re.IGNORECASE,
)


def key(name: str) -> str:
    """The comparison key of a vendor name: lower-case letters and digits, no legal form."""
    text = re.sub(r"\((?:wrong id|nee [^)]*|formerly [^)]*)\)|\[[^\]]*\]", " ", name, flags=re.IGNORECASE).strip()
    return vendor_key(text)


def hardware_keys(*paths: Path) -> set[str]:
    """Comparison keys of every vendor named in the given ID files."""
    keys: set[str] = set()
    for path in paths:
        for line in path.read_text("utf-8", errors="replace").splitlines():
            found = _VENDOR_LINE.match(line)
            if found is None:
                continue
            name = found.group(2).strip()
            bare = strip_legal_form(name)
            for variant in (name, _DESCRIPTIVE.sub("", bare)):
                k = key(variant)
                if len(k) >= 3:
                    keys.add(k)
    return keys


def hardware_brands(words: set[str], *paths: Path) -> set[str]:
    """'key<TAB>name' of the first word of each hardware maker's name that is no ordinary English word.

    "Etron Technology, Inc." gives etron: a title that begins with the word names the maker
    ("Etron USB3.0 Host Controller"). Words of three letters or fewer, numbers and English words
    ("Standard Microsystems", "Digital Equipment") are left out.
    """
    brands: dict[str, str] = {}
    for path in paths:
        for line in path.read_text("utf-8", errors="replace").splitlines():
            found = _VENDOR_LINE.match(line)
            if found is None:
                continue
            word = found.group(2).strip().split()[0].strip(",.()\"'")
            k = re.sub(r"[^0-9a-z]", "", word.casefold())
            if len(k) >= 4 and not k.isdigit() and k not in words and word.isascii():
                brands.setdefault(k, word)
    return {f"{k}\t{name}" for k, name in brands.items()}


def free_sources(words: set[str]) -> set[str]:
    """Debian main source package names that can name a free program in a title."""
    lines = gzip.decompress((DATA / "debian_packages.tsv.gz").read_bytes()).decode("utf-8").splitlines()[1:]
    sources: set[str] = set()
    for line in lines:
        package, source, _section = line.split("\t")
        name = source or package
        if len(name) <= 3 or name.startswith("lib") or ("-" not in name and name in words):
            continue
        sources.add(name)
    return sources


def write(name: str, header: str, rows: set[str]) -> None:
    """Write one sorted gzip text file with a comment header (deterministic bytes)."""
    text = header + "\n" + "\n".join(sorted(rows)) + "\n"
    (DATA / name).write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    print(f"{name}: {len(rows)} rows")


def main() -> None:
    """Build both files from the given (or the installed) pci.ids and usb.ids."""
    pci = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/usr/share/misc/pci.ids")
    usb = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("/usr/share/misc/usb.ids")
    versions = []
    for path in (pci, usb):
        version = re.search(r"Version:\s*(\S+)", path.read_text("utf-8", errors="replace")[:2000])
        versions.append(f"{path.name} {version.group(1) if version else 'unknown'}")
    write("hardware_vendors.txt.gz",
          f"# hardware makers' name keys from {', '.join(versions)} (GPL-2.0-or-later or BSD-3-Clause)",
          hardware_keys(pci, usb))
    if not WORDS.exists():
        # Without the word list, one-word English names would enter the list: keep the shipped file.
        print(f"hardware_brands.txt.gz and free_sources.txt.gz left as they are: {WORDS} is missing (Debian package wamerican)")
        return
    words = {w.strip().casefold() for w in WORDS.read_text("utf-8").splitlines()}
    write("hardware_brands.txt.gz",
          f"# first words of hardware makers' names from {', '.join(versions)}, English words left out "
          "(GPL-2.0-or-later or BSD-3-Clause)",
          hardware_brands(words, pci, usb))
    write("free_sources.txt.gz",
          "# Debian 12 bookworm main source package names (DFSG-free software), from debian_packages.tsv.gz",
          free_sources(words))


if __name__ == "__main__":
    main()
