"""Assemble the rows of holdout 4 (issue 17) from the public listings it is drawn from.

    python scripts/build_holdout4.py sample SRC_DIR DRAFT.csv
    python scripts/build_holdout4.py merge DRAFT.csv LABELS.tsv OUT.csv

`sample` reads the listings saved under SRC_DIR (file names below; each is the file of the
public repository or index entry named in tests/engine/data/software_titles_holdout4_SOURCES.md,
UTF-16 exports converted to UTF-8, the OCS Inventory rows extracted from the SQL dumps as
`id|hardware_id|publisher|name|version` with the MySQL escapes resolved), keeps a
(name, publisher) pair once per origin, drops every name an earlier labelled set holds
(development, retired, holdouts 1 to 3: exact match on `name`), and draws at most
QUOTA[origin] rows per origin at random with a fixed seed, so that no origin dominates.
It writes `origin,name,publisher,version` in source order.

`merge` joins the hand-made labels (`vendor<TAB>product<TAB>category` a line, one line per
draft row, same order) to the draft and writes the labelled CSV. The labels are made by
hand; nothing here computes one.
"""

from __future__ import annotations

import csv
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
)
SEED = 4

# At most this many rows per origin after exclusions (assumption: sized so that the set
# reaches ~900 rows with no origin above 30 %).
QUOTA = {
    "fr-ocs": 210,
    "ec-ocs": 210,
    "in-corplaptop": 130,
    "ko-laptop": 60,
    "wmic-sdkdev": 120,
    "ubuntu2310-dev": 160,
    "eduvm2504": 160,
}


def _ocs(path: Path) -> Iterator[Row]:
    """Rows of an OCS Inventory `softwares` extract: `id|hardware|publisher|name|version`."""
    for line in path.read_text(encoding="utf-8").splitlines():
        _, _, publisher, name, version = line.split("|")
        yield name, publisher, version


def _uninstall_csv(path: Path) -> Iterator[Row]:
    """Rows of a `Get-ItemProperty … | Export-Csv` file (DisplayName, DisplayVersion, Publisher)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for record in csv.DictReader(handle):
            if record["DisplayName"]:
                yield record["DisplayName"], record["Publisher"], record["DisplayVersion"]


def _wmic(path: Path) -> Iterator[Row]:
    """Rows of a `wmic product get name,version` table, name and version split at the last
    run of two spaces or more (wmic pads a name with an en dash one column short); a row
    with an empty name (one MSI product in the source) names nothing and is left out."""
    lines = path.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Name "))
    for line in lines[header + 1 :]:
        match = re.fullmatch(r"(\S.*?)\s{2,}(\S*)\s*", line)
        if match:
            yield match.group(1), "", match.group(2)


def _dpkg(path: Path) -> Iterator[Row]:
    """Installed (`ii`) rows of a `dpkg -l` listing, indented or not: name and version."""
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = re.split(r"\s+", line.strip(), maxsplit=4)
        if len(cells) >= 3 and cells[0] == "ii":
            yield cells[1], "", cells[2]


READERS: dict[str, tuple[str, Callable[[Path], Iterator[Row]]]] = {
    "fr-ocs": ("ocs-fr-hw1.psv", _ocs),
    "ec-ocs": ("ocs-ec-hw3.psv", _ocs),
    "in-corplaptop": ("corp-laptop.psv", _ocs),
    "ko-laptop": ("beendoo+Friday.csv", _uninstall_csv),
    "wmic-sdkdev": ("FarisHijazi+win_setup.txt", _wmic),
    "ubuntu2310-dev": ("Divineleo2001+issue-tracker.txt", _dpkg),
    "eduvm2504": ("chyla+chyla.org-2504.rst", _dpkg),
}



if __name__ == "__main__":
    main(sys.argv[1:], __doc__, READERS, QUOTA, SEED, EARLIER)
