"""Sourced reference parameters shipped with the package: value, range, unit, date, source."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class ReferenceValue:
    """A parameter with its low–high range and the published source it is taken from."""

    name: str
    value: float
    low: float
    high: float
    unit: str
    date: str
    source: str
    url: str
    #: Set instead of a source when no published figure was found.
    assumption: str

    @property
    def basis(self) -> str:
        """"source: … (date)" or "assumption: …", as every line that uses it names it."""
        if self.source:
            return f"source: {self.source} ({self.date})"
        return f"assumption: {self.assumption}"


def read_reference(text: str) -> dict[str, ReferenceValue]:
    """Reference values by name from the CSV text; each needs a source or an assumption."""
    values: dict[str, ReferenceValue] = {}
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        name = row["name"].strip()
        if not (row.get("source") or row.get("assumption")):
            raise ValueError(f"reference parameters, row {number}, {name}: neither a source "
                             "nor an assumption")
        low, value, high = float(row["low"]), float(row["value"]), float(row["high"])
        if not low <= value <= high:
            raise ValueError(f"reference parameters, row {number}, {name}: needs low <= value "
                             "<= high")
        values[name] = ReferenceValue(name, value, low, high, row["unit"], row["date"],
                                      row.get("source") or "", row.get("url") or "",
                                      row.get("assumption") or "")
    return values


@cache
def reference_parameters() -> Mapping[str, ReferenceValue]:
    """The shipped reference values (data/reference_parameters.csv)."""
    text = resources.files("ictmerge.engine.planning").joinpath(
        "data/reference_parameters.csv").read_text(encoding="utf-8")
    return read_reference(text)


def reference(name: str) -> ReferenceValue:
    """One shipped reference value by name."""
    return reference_parameters()[name]


def annual_cost_per_fte(monthly_gross_eur: float, employer_rate: float) -> float:
    """Salary with the employer's social contribution, for one FTE for a year."""
    return monthly_gross_eur * 12 * (1 + employer_rate)
