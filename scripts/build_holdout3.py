"""Assemble the rows of holdout 3 (issue 17) from the public listings it is drawn from.

    python scripts/build_holdout3.py sample SRC_DIR DRAFT.csv
    python scripts/build_holdout3.py merge DRAFT.csv LABELS.tsv OUT.csv

`sample` reads the listings saved under SRC_DIR (file names below; each is the file of the
public repository named in tests/engine/data/software_titles_holdout3_SOURCES.md, UTF-16
exports converted to UTF-8), keeps a (name, publisher) pair once per origin, drops every
name an earlier labelled set holds (development, retired, holdout 1, holdout 2: exact match
on `name`), and draws at most QUOTA[origin] rows per origin at random with a fixed seed,
so that no origin dominates. It writes `origin,name,publisher,version` in source order.

`merge` joins the hand-made labels (`vendor<TAB>product<TAB>category` a line, one line per
draft row, same order) to the draft and writes the labelled CSV. The labels are made by
hand; nothing here computes one.
"""

from __future__ import annotations

import csv
import json
import random
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "tests" / "engine" / "data"
EARLIER = (
    "software_titles_labelled.csv",
    "software_titles_test.csv",
    "software_titles_holdout.csv",
    "software_titles_holdout2.csv",
)
SEED = 3
CATEGORIES = {"component", "free", "licensable"}
Row = tuple[str, str, str]

# At most this many rows per origin after exclusions (assumption: sized so that the set
# reaches ~950 rows with no origin above 30 %).
QUOTA = {
    "au-unilabs": 260,
    "us-engcat": 68,
    "es-office": 160,
    "de-devgame": 150,
    "opensuse131": 150,
    "manjaro-i3": 130,
    "wmic-djdev": 105,
    "wmic-amdpc": 60,
}


def _fixed_width(path: Path, columns: int) -> Iterator[Row]:
    """Rows of a PowerShell/wmic table: column starts read from the header line."""
    lines = path.read_text(encoding="utf-8").lstrip("\ufeff").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Name"))
    starts = [m.start() for m in re.finditer(r"\S+", lines[header])][:columns]
    for line in lines[header + 1 :]:
        if not line.strip() or set(line.strip()) <= {"-", " "}:
            continue
        cells = [line[a:b].strip() for a, b in zip(starts, [*starts[1:], None], strict=True)]
        name = line[: starts[1]].rstrip() if columns > 1 else line.rstrip()
        version = cells[1] if columns > 1 else ""
        publisher = cells[2] if columns > 2 else ""
        yield name, publisher, version


def _backtick_csv(path: Path) -> Iterator[Row]:
    """Rows of a CSV whose fields were joined with a literal PowerShell "`t" (one column)."""
    with path.open(encoding="utf-8", errors="surrogateescape") as handle:
        reader = csv.reader(handle)
        next(reader)
        for record in reader:
            fields = record[0].split("`t")
            if fields[0]:
                yield fields[0], fields[2] if len(fields) > 2 else "", fields[1]


def _zypper(path: Path) -> Iterator[Row]:
    """Installed packages (type package) of a `zypper search -i` table."""
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) == 4 and cells[0] == "i" and cells[3] == "package":
            yield cells[1], "", ""


def _lines(path: Path, skip_header: bool = False, encoding: str = "utf-8") -> Iterator[Row]:
    """One name a line (a package list or a one-column CSV)."""
    with path.open(encoding=encoding, newline="") as handle:
        rows = list(csv.reader(handle))
    for record in rows[1 if skip_header else 0 :]:
        if record and record[0].strip():
            yield record[0], "", ""


READERS: dict[str, tuple[str, Callable[[Path], Iterator[Row]]]] = {
    "au-unilabs": ("J1mC4RRy+lab-software-request-form.raw", lambda p: _lines(p, True, "cp1252")),
    "us-engcat": ("eng-appcat.txt", _lines),
    "es-office": ("Artofhack10+betatesting.txt", lambda p: _fixed_width(p, 3)),
    "de-devgame": ("Odin2325+TQ5Juli.raw", _backtick_csv),
    "opensuse131": ("heysion+linux-startup-opensuse.raw", _zypper),
    "manjaro-i3": ("Antharia+dotfiles_manjaro.raw", _lines),
    "wmic-djdev": ("BakosOG+test.txt", lambda p: _fixed_width(p, 2)),
    "wmic-amdpc": ("logancave+some-bat-files.txt", lambda p: _fixed_width(p, 2)),
}


def earlier_names() -> set[str]:
    """Every `name` of the earlier labelled sets."""
    names: set[str] = set()
    for file in EARLIER:
        with (DATA / file).open(encoding="utf-8", newline="") as handle:
            names.update(row["name"] for row in csv.DictReader(handle))
    return names


def sample(src: Path, out: Path) -> dict[str, int]:
    """Write the unlabelled draft; return the rows kept per origin."""
    excluded = earlier_names()
    rng = random.Random(SEED)
    kept: dict[str, int] = {}
    with out.open("w", encoding="utf-8", newline="", errors="surrogateescape") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["origin", "name", "publisher", "version"])
        for origin, (file, reader) in READERS.items():
            seen: set[tuple[str, str]] = set()
            rows = []
            for name, publisher, version in reader(src / file):
                if name in excluded or (name, publisher) in seen:
                    continue
                seen.add((name, publisher))
                rows.append((name, publisher, version))
            picked = sorted(rng.sample(range(len(rows)), min(QUOTA[origin], len(rows))))
            for index in picked:
                writer.writerow([origin, *rows[index]])
            kept[origin] = len(picked)
    return kept


def merge(draft: Path, labels: Path, out: Path) -> int:
    """Join the hand-made labels to the draft, line by line; return the rows written."""
    with draft.open(encoding="utf-8", newline="", errors="surrogateescape") as handle:
        rows = list(csv.DictReader(handle))
    marks = [
        line.split("\t") for line in labels.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    if len(marks) != len(rows):
        raise SystemExit(f"{len(rows)} draft rows but {len(marks)} label lines")
    with out.open("w", encoding="utf-8", newline="", errors="surrogateescape") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            [
                "origin",
                "name",
                "publisher",
                "version",
                "expected_vendor",
                "expected_product",
                "expected_category",
            ]
        )
        for row, (vendor, product, category) in zip(rows, marks, strict=True):
            if category not in CATEGORIES:
                raise SystemExit(f"bad category {category!r} for {row['name']!r}")
            writer.writerow(
                [
                    row["origin"],
                    row["name"],
                    row["publisher"],
                    row["version"],
                    vendor,
                    product,
                    category,
                ]
            )
    return len(rows)


def main(argv: list[str]) -> None:
    """Dispatch `sample` or `merge`."""
    if argv[:1] == ["sample"] and len(argv) == 3:
        print(json.dumps(sample(Path(argv[1]), Path(argv[2]))))
    elif argv[:1] == ["merge"] and len(argv) == 4:
        print(merge(Path(argv[1]), Path(argv[2]), Path(argv[3])))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
