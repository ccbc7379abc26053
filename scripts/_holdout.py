"""What every holdout build script shares (scripts/build_holdoutN.py, issue 17): drawing the
unlabelled draft from the saved listings and joining the hand-made labels to it.

A script names its listings (READERS: origin -> (file under SRC_DIR, row reader)), its quotas,
its seed and the earlier sets, and calls `main`. The labels are made by hand; nothing here
computes one.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "tests" / "engine" / "data"
CATEGORIES = {"component", "free", "licensable"}
Row = tuple[str, str, str]
Readers = Mapping[str, tuple[str, Callable[[Path], Iterator[Row]]]]


def earlier_names(earlier: Sequence[str]) -> set[str]:
    """Every `name` of the earlier labelled sets."""
    names: set[str] = set()
    for file in earlier:
        with (DATA / file).open(encoding="utf-8", newline="") as handle:
            names.update(row["name"] for row in csv.DictReader(handle))
    return names


def eligible(src: Path, listing: tuple[str, Callable[[Path], Iterator[Row]]],
             excluded: set[str]) -> list[Row]:
    """A listing's rows in source order, once per (name, publisher), no earlier name."""
    file, reader = listing
    seen: set[tuple[str, str]] = set()
    rows = []
    for name, publisher, version in reader(src / file):
        if name in excluded or (name, publisher) in seen:
            continue
        seen.add((name, publisher))
        rows.append((name, publisher, version))
    return rows


def sample(src: Path, out: Path, readers: Readers, quota: Mapping[str, int], seed: int,
           earlier: Sequence[str]) -> dict[str, list[int]]:
    """Write the unlabelled draft; return [eligible, kept] rows per origin."""
    excluded = earlier_names(earlier)
    rng = random.Random(seed)
    counts: dict[str, list[int]] = {}
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["origin", "name", "publisher", "version"])
        for origin, listing in readers.items():
            rows = eligible(src, listing, excluded)
            picked = sorted(rng.sample(range(len(rows)), min(quota[origin], len(rows))))
            for index in picked:
                writer.writerow([origin, *rows[index]])
            counts[origin] = [len(rows), len(picked)]
    return counts


def merge(draft: Path, labels: Path, out: Path) -> int:
    """Join the hand-made labels to the draft, line by line; return the rows written."""
    with draft.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    marks = [
        line.split("\t") for line in labels.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    if len(marks) != len(rows):
        raise SystemExit(f"{len(rows)} draft rows but {len(marks)} label lines")
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(
            [*rows[0].keys(), "expected_vendor", "expected_product", "expected_category"]
        )
        for row, (vendor, product, category) in zip(rows, marks, strict=True):
            if category not in CATEGORIES:
                raise SystemExit(f"bad category {category!r} for {row['name']!r}")
            writer.writerow([*row.values(), vendor, product, category])
    return len(rows)


def main(argv: list[str], usage: str | None, readers: Readers, quota: Mapping[str, int],
         seed: int, earlier: Sequence[str]) -> None:
    """Dispatch `sample SRC_DIR DRAFT.csv` or `merge DRAFT.csv LABELS.tsv OUT.csv`."""
    if argv[:1] == ["sample"] and len(argv) == 3:
        print(json.dumps(sample(Path(argv[1]), Path(argv[2]), readers, quota, seed, earlier)))
    elif argv[:1] == ["merge"] and len(argv) == 4:
        print(merge(Path(argv[1]), Path(argv[2]), Path(argv[3])))
    else:
        raise SystemExit(usage)
