"""CSV in, CSV out: the `ictmerge software normalize` contract, with no database."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

from ..spreadsheets import SafeCsvWriter
from .normalise import NormalisedTitle, Normaliser, RawTitle

INPUT_COLUMNS = ("name", "publisher", "version")
REQUIRED_COLUMNS = ("name",)
OUTPUT_COLUMNS = ("vendor", "product", "version_major", "category", "confidence")


class CsvInputError(ValueError):
    """The input CSV is unusable; the message names every bad row and field."""


@dataclass(frozen=True, slots=True)
class NormaliseCsvResult:
    """What a CSV run did."""

    rows: int
    unique_titles: int
    needs_review: int


def output_values(result: NormalisedTitle) -> list[str]:
    """The added output columns for one row, in OUTPUT_COLUMNS order."""
    return [result.vendor, result.product, result.major_version, result.category.value, f"{result.confidence:.2f}"]


def _read_rows(reader: csv.DictReader[str], source: str, errors: list[str]) -> Iterator[tuple[dict[str, str], RawTitle]]:
    for number, row in enumerate(reader, start=2):
        if None in row:
            errors.append(f"{source}: row {number}: more fields than the header has")
            continue
        name = (row.get("name") or "").strip()
        if not name:
            errors.append(f"{source}: row {number}, name: empty")
            continue
        yield row, RawTitle(name, (row.get("publisher") or "").strip(), (row.get("version") or "").strip())


def normalise_csv(source: TextIO, target: TextIO, normaliser: Normaliser, source_name: str = "INPUT") -> NormaliseCsvResult:
    """Read name,publisher,version rows and write them back, same order, with OUTPUT_COLUMNS added.

    The file is read whole (it is one listing), then written row by row. Every bad row is
    collected and raised together as CsvInputError at the end, so the caller should write to a temporary file and keep it only on success.
    """
    reader = csv.DictReader(source)
    header = list(reader.fieldnames or ())
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise CsvInputError(f"{source_name}: header: missing column(s) {', '.join(missing)} (expected name,publisher,version)")
    clashing = [c for c in OUTPUT_COLUMNS if c in header]
    if clashing:
        raise CsvInputError(f"{source_name}: header: column(s) {', '.join(clashing)} would be overwritten")
    writer = SafeCsvWriter(target, lineterminator="\n")
    writer.writerow([*header, *OUTPUT_COLUMNS])
    errors: list[str] = []
    rows = review = 0
    seen: set[tuple[str, str, str]] = set()
    # One file is one listing: read it whole, so that a package name naming no distribution can
    # take the one its other rows name (Normaliser.normalise_listing).
    read = list(_read_rows(reader, source_name, errors))
    results = normaliser.normalise_listing([raw for _, raw in read])
    for (row, raw), result in zip(read, results, strict=True):
        writer.writerow([*(row.get(c) or "" for c in header), *output_values(result)])
        rows += 1
        review += result.needs_review
        seen.add((raw.name, raw.publisher, raw.version))
    if errors:
        raise CsvInputError("\n".join(errors))
    return NormaliseCsvResult(rows=rows, unique_titles=len(seen), needs_review=review)
