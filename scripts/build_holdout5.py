"""Assemble the rows of holdout 5 (issue 17) from the public listings it is drawn from.

    python scripts/build_holdout5.py sample SRC_DIR DRAFT.csv
    python scripts/build_holdout5.py merge DRAFT.csv LABELS.tsv OUT.csv

`sample` reads the listings saved under SRC_DIR (file names below; each is the file of the
public repository named in tests/engine/data/software_titles_holdout5_SOURCES.md, at the
commit given there), keeps a (name, publisher) pair once per origin, drops every name an
earlier labelled set holds (development, retired, holdouts 1 to 4: exact match on `name`),
and draws at most QUOTA[origin] rows per origin at random with a fixed seed, so that no
origin dominates. It writes `origin,name,publisher,version` in source order.

`merge` joins the hand-made labels (`vendor<TAB>product<TAB>category` a line, one line per
draft row, same order) to the draft and writes the labelled CSV. The labels are made by
hand; nothing here computes one.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from _holdout import Row, main

EARLIER = (
    "software_titles_labelled.csv",
    "software_titles_test.csv",
    "software_titles_holdout.csv",
    "software_titles_holdout2.csv",
    "software_titles_holdout3.csv",
    "software_titles_holdout4.csv",
)
SEED = 5
# Publishers of the browser web-app shortcuts (`YouTube`, `Docs`, version 1.0) that Chromium
# browsers register under Uninstall: the browser's profile folder, not a software maker; the
# rows name web sites, not installed software, and are left out.
WEB_APP_PUBLISHERS = {"Google\\Chrome", "BraveSoftware\\Brave-Browser", "Chromium", "Vivaldi"}

# At most this many rows per origin after exclusions (assumption: sized so that the set
# reaches ~900 rows with no origin above 30 %; the two Windows origins are taken whole).
QUOTA = {
    "it-desktop": 300,
    "win7-office2010": 120,
    "ubuntu2004-laptop": 230,
    "debian10-qml": 200,
    "ubuntu1404-ci": 190,
    "alpine35-iwp": 110,
    "de-firm": 320,
}


def _format_table(path: Path) -> Iterator[Row]:
    """Rows of the first `Get-ItemProperty … | Format-Table` block (DisplayName,
    DisplayVersion, Publisher) of a Markdown page, split at the header's column starts;
    a row whose name column is blank names nothing and is left out, and so are the browser
    web-app shortcuts (WEB_APP_PUBLISHERS)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("DisplayName "))
    version_at = lines[header].index("DisplayVersion")
    publisher_at = lines[header].index("Publisher")
    for line in lines[header + 2 :]:
        if line.startswith("#"):
            break
        name, publisher = line[:version_at].strip(), line[publisher_at:].strip()
        if name and publisher not in WEB_APP_PUBLISHERS:
            yield name, publisher, line[version_at:publisher_at].strip()


def _uninstall_csv_dir(path: Path) -> Iterator[Row]:
    """Rows of every `Get-ItemProperty … | Export-Csv` file (DisplayName, DisplayVersion,
    Publisher, InstallDate) in a folder, files in name order. Left out: the Store app rows,
    whose publisher is a certificate subject (`CN=…`) and whose name is often a GUID; the
    browser web-app shortcuts (WEB_APP_PUBLISHERS); and the rows whose publisher holds a NUL
    character (`Microsoft` followed by NUL and a stray letter, a registry string read past its
    end), which no text tool keeps intact."""
    for file in sorted(path.glob("*.csv")):
        with file.open(encoding="utf-8-sig", newline="") as handle:
            for record in csv.DictReader(handle):
                name, publisher = record["DisplayName"], record["Publisher"]
                if (
                    name
                    and not publisher.startswith("CN=")
                    and publisher not in WEB_APP_PUBLISHERS
                    and "\0" not in publisher
                ):
                    yield name, publisher, record["DisplayVersion"]


def _uninstall_json(path: Path) -> Iterator[Row]:
    """Rows of the JSON array of uninstall entries (display_name, display_version) that a
    page quotes on one line (the `[{"display_name"…` line)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith('[{"display_name"'):
            for record in json.loads(line):
                if record["display_name"]:
                    yield record["display_name"], "", record["display_version"]
            return


def _dpkg(path: Path) -> Iterator[Row]:
    """Installed (`ii`) rows of a `dpkg -l` listing, indented or not: name and version."""
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = re.split(r"\s+", line.strip(), maxsplit=4)
        if len(cells) >= 3 and cells[0] == "ii":
            yield cells[1], "", cells[2]


def _apk(path: Path) -> Iterator[Row]:
    """Rows of `apk -vv info` (`name-version-rN - description`): name and version."""
    for line in path.read_text(encoding="utf-8").splitlines():
        match = re.match(r"(\S+?)-(\d[^-\s]*-r\d+) - ", line)
        if match:
            yield match.group(1), "", match.group(2)


READERS: dict[str, tuple[str, Callable[[Path], Iterator[Row]]]] = {
    "it-desktop": ("GAC-Machine+Ready-to-use.md", _format_table),
    "win7-office2010": ("silence-is-best+c2db.md", _uninstall_json),
    "ubuntu2004-laptop": ("chaoannricardo+LinuxNotes.md", _dpkg),
    "debian10-qml": ("multicast+docker-buster-qml.md", _dpkg),
    "ubuntu1404-ci": ("tigefa+tigefa.md", _dpkg),
    "alpine35-iwp": ("webtoolsgroup+InstantWP.md", _apk),
    "de-firm": ("Herbertholzkopf+softwareinventarisierung", _uninstall_csv_dir),
}



if __name__ == "__main__":
    main(sys.argv[1:], __doc__, READERS, QUOTA, SEED, EARLIER)
