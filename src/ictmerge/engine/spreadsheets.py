"""Cells of every spreadsheet the project writes (CSV and XLSX): text never runs as a formula.

One place decides what a text cell becomes (OWASP "CSV injection"): a cell a spreadsheet
would run as a formula (a leading =, +, -, @, tab or carriage return) gets a leading
apostrophe, and control characters, which no worksheet stores and no reader expects, are
left out (tab and line breaks inside a cell stay: CSV quotes them).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

from ictmerge.engine.imports.text import FORMULA_PREFIXES, neutralise

#: C0 control characters other than tab, line feed and carriage return (no XLSX cell may
#: hold them: openpyxl's ILLEGAL_CHARACTERS_RE), and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

__all__ = ["FORMULA_PREFIXES", "SafeCsvWriter", "csv_cell", "safe_text", "xlsx_cell"]


def safe_text(value: str) -> str:
    """User text as a spreadsheet cell: control characters out, formulas neutralised, and
    every line break a line feed (csv.writer leaves a bare CR unquoted when its lines end
    in LF, and the CR would then start a row of its own)."""
    return neutralise(_CONTROL.sub("", value)).replace("\r\n", "\n").replace("\r", "\n")


def csv_cell(value: Any) -> str:
    """A value as CSV text: numbers and dates as they print, booleans true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date | Decimal | int | float):
        return str(value)
    return safe_text(str(value))


def xlsx_cell(value: Any) -> Any:
    """A value as an XLSX cell: numbers, booleans and dates typed, everything else safe text."""
    if value is None:
        return None
    if isinstance(value, bool | int | float | Decimal | dt.date):
        return value
    return safe_text(str(value))


class SafeCsvWriter:
    """csv.writer whose every cell goes through csv_cell (header rows included)."""

    def __init__(self, target: IO[str] | Any, **options: Any) -> None:
        self._writer = csv.writer(target, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        """Write one row of safe cells; returns what csv.writer returns."""
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write many rows of safe cells."""
        for row in rows:
            self.writerow(row)
