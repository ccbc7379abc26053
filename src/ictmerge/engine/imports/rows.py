"""Columns and row validation: every cell of every row checked, every problem kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from operator import itemgetter
from typing import Any

from ictmerge.engine.imports.text import unneutralise
from ictmerge.engine.imports.values import (
    CellError,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
)


class Kind(StrEnum):
    """What a column holds."""

    TEXT = "text"
    INT = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    BOOL = "yes/no"
    CHOICE = "choice"
    #: A natural key of another record (municipality code, site name, …), resolved later.
    REF = "reference"


@dataclass(frozen=True)
class Column:
    """One column of a template: its header, type and limits, and the field it fills."""

    name: str
    kind: Kind
    field: str
    required: bool = False
    max_length: int = 0
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    places: int = 0
    digits: int = 0
    #: (stored value, label) pairs; a cell may hold either.
    choices: tuple[tuple[str, str], ...] = ()
    #: Value when the cell is empty (None for nullable fields, "" for text).
    default: Any = None
    help: str = ""
    aliases: tuple[str, ...] = ()

    def describe(self) -> str:
        """The column's type and limits as a template's documentation row says them."""
        parts = [str(self.kind)]
        if self.kind == Kind.CHOICE:
            parts.append("one of " + ", ".join(v for v, _ in self.choices))
        if self.max_length:
            parts.append(f"at most {self.max_length} characters")
        if self.minimum is not None:
            parts.append(f"≥ {self.minimum}")
        if self.maximum is not None:
            parts.append(f"≤ {self.maximum}")
        if self.kind == Kind.DATE:
            parts.append("YYYY-MM-DD or DD.MM.YYYY")
        return "; ".join(parts)


@dataclass(frozen=True, order=True)
class Problem:
    """A problem of one cell, row or file, reported as `file, row N, column: message`."""

    source: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}, row {self.row}" if self.row else self.source
        if self.column:
            where += f", {self.column}"
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe form."""
        return {"file": self.source, "row": self.row, "column": self.column,
                "message": self.message}


Converter = Callable[[str], Any]
#: A cached cell that is empty in a required column.
_REQUIRED = CellError("a value is required")



def _text(column: Column) -> Converter:
    limit = column.max_length

    def convert(raw: str) -> Any:
        value = raw.strip()
        if value[:1] == "'":
            value = unneutralise(value)
        if limit and len(value) > limit:
            raise CellError(f"longer than {limit} characters ({len(value)})")
        return value

    return convert


def _bounded(column: Column, parse: Callable[[str], Any]) -> Converter:
    low, high, places, digits = column.minimum, column.maximum, column.places, column.digits
    step = Decimal(1).scaleb(-places) if places else None
    ceiling = Decimal(10) ** (digits - places) if digits else None

    def convert(raw: str) -> Any:
        value = parse(raw)
        if low is not None and value < low:
            raise CellError(f"{raw.strip()} is below the minimum {low}")
        if high is not None and value > high:
            raise CellError(f"{raw.strip()} is above the maximum {high}")
        if step is not None and isinstance(value, Decimal):
            try:
                rounded = value.quantize(step)
            except InvalidOperation:
                raise CellError(f"{raw.strip()} has too many digits") from None
            if rounded != value:
                raise CellError(f"{raw.strip()} has more than {places} decimal places")
            if ceiling is not None and abs(rounded) >= ceiling:
                raise CellError(f"{raw.strip()} has too many digits")
            return rounded
        return value

    return convert


def _choice(column: Column) -> Converter:
    table: dict[str, str] = {}
    for value, label in column.choices:
        table[value.casefold()] = value
        table[label.casefold()] = value
    allowed = ", ".join(v for v, _ in column.choices)

    def convert(raw: str) -> Any:
        value = table.get(raw.strip().casefold())
        if value is None:
            raise CellError(f"{raw.strip()!r} is not one of {allowed}")
        return value

    return convert


def _reference(raw: str) -> Any:
    return unneutralise(raw.strip())


def converter(column: Column) -> Converter:
    """The function that turns a cell's text into the column's value."""
    if column.kind == Kind.TEXT:
        return _text(column)
    if column.kind == Kind.INT:
        return _bounded(column, parse_int)
    if column.kind == Kind.DECIMAL:
        return _bounded(column, parse_decimal)
    if column.kind == Kind.DATE:
        return _bounded(column, parse_date)
    if column.kind == Kind.BOOL:
        return parse_bool
    if column.kind == Kind.CHOICE:
        return _choice(column)
    return _reference


def header_key(name: str) -> str:
    """Header names match without case, spaces, `_`, `-` or `*`."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


@dataclass
class RowValidator:
    """Checks every row of a table against a template's columns."""

    columns: Sequence[Column]
    header: Sequence[str]
    source: str
    #: Columns a file may leave out even if the template requires them (filled otherwise).
    supplied: frozenset[str] = frozenset()
    problems: list[Problem] = field(default_factory=list)
    #: Columns an export adds for reading (e.g. a device's MACs): an import skips them.
    ignored: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        by_key: dict[str, int] = {}
        for column_index, column in enumerate(self.columns):
            for name in (column.name, *column.aliases):
                by_key[header_key(name)] = column_index
        self.positions: list[int | None] = [None] * len(self.columns)
        for position, name in enumerate(self.header):
            if header_key(name) == "id" and "id" not in by_key:
                continue  # an export's record id: for reference, never used to match
            if header_key(name) in {header_key(i) for i in self.ignored}:
                continue
            column_index = by_key.get(header_key(name))  # type: ignore[assignment]
            if column_index is None:
                known = ", ".join(c.name for c in self.columns)
                self.problems.append(Problem(self.source, 1, name,
                                             f"unknown column (the template has: {known})"))
            else:
                self.positions[column_index] = position
        for column_index, column in enumerate(self.columns):
            if (column.required and self.positions[column_index] is None
                    and column.name not in self.supplied):
                self.problems.append(Problem(self.source, 1, column.name,
                                             "required column is missing"))
        self.defaults = [c.default for c in self.columns]
        self.present = [(i, position, converter(c), c,
                         c.required and c.name not in self.supplied)
                        for i, (position, c) in enumerate(zip(self.positions, self.columns,
                                                                  strict=True))
                        if position is not None]
        self.width = len(self.header)

    def convert_many(self, rows: Sequence[tuple[int, Sequence[str]]]
                     ) -> tuple[list[list[Any]], list[list[Problem]]]:
        """Per row, the values and problems `convert` gives, computed a column at a time."""
        columns, problems = self.convert_columns(rows)
        values = list(map(list, zip(*columns, strict=True))) if rows else []
        return values, problems

    def convert_columns(self, rows: Sequence[tuple[int, Sequence[str]]]
                        ) -> tuple[list[list[Any]], list[list[Problem]]]:
        """Per column the values, and per row the problems, that `convert` gives row by row.

        Each distinct cell text of a column is converted once (a column's values repeat:
        kinds, dates, models, sizes) and text columns are stripped and checked as a whole;
        the results are exactly those of `convert`, row by row.
        """
        count = len(rows)
        width = self.width
        cells: list[Sequence[str]] = list(map(itemgetter(1), rows))
        if cells and min(map(len, cells)) < width:
            cells = [row if len(row) >= width else [*row, *([""] * (width - len(row)))]
                     for row in cells]
        problems: list[list[Problem]] = [[] for _ in range(count)]
        caches = self._caches()
        by_position = list(zip(*cells, strict=False)) if cells else []
        columns: list[Any] = [[default] * count for default in self.defaults]
        for index, position, convert, column, required in self.present:
            column_cells = by_position[position]
            converted = self._column(column_cells, index, convert, column, required, caches)
            if converted is None:  # some cell has a problem: per cell, with its message
                converted = self._column_cells(rows, column_cells, index, convert, column,
                                               required, caches, problems)
            columns[index] = converted
        longer = bool(cells) and max(map(len, cells)) > width
        for row_index, (number, row) in enumerate(rows if longer else ()):
            if len(row) > width and any(c.strip() for c in row[width:]):
                problems[row_index].append(Problem(
                    self.source, number, f"column {width + 1}",
                    "more cells than the header has columns"))
        return columns, problems

    def _caches(self) -> list[dict[str, Any]]:
        caches: list[dict[str, Any]] | None = getattr(self, "_cache_list", None)
        if caches is None:
            caches = [{} for _ in self.columns]
            self._cache_list = caches
        for index, cache in enumerate(caches):
            if len(cache) > 100_000:
                cache.clear()  # bounded memory on columns of unique values
                self._bad_cells(index).clear()
        return caches

    def _column(self, column_cells: Sequence[str], index: int, convert: Converter,
                column: Column, required: bool, caches: list[dict[str, Any]]
                ) -> list[Any] | None:
        """The column's values, or None when some cell is empty-but-required or bad."""
        default = self.defaults[index]
        if column.kind == Kind.TEXT:
            stripped = list(map(str.strip, column_cells))
            joined = "\x00".join(stripped)
            limit = column.max_length
            if (joined[:1] == "'" or "\x00'" in joined
                    or (limit and max(map(len, stripped), default=0) > limit)):
                return None
            if "" in stripped:
                if required:
                    return None
                if default != "":
                    return [v if v else default for v in stripped]
            return stripped
        cache = caches[index]
        bad = False
        try:  # every text seen before (the usual case after the first chunk): one pass
            values = list(map(cache.__getitem__, column_cells))
            missing: set[str] = set()
        except KeyError:
            values = []
            missing = set(column_cells).difference(cache)
        for raw in missing:
            if not raw or raw.isspace():
                cache[raw] = _REQUIRED if required else default
                bad = bad or required
                continue
            try:
                cache[raw] = convert(raw)
            except CellError as error:
                cache[raw] = CellError(str(error))
                bad = True
        known_bad = self._bad_cells(index)
        if bad:
            known_bad.update(raw for raw in column_cells
                             if isinstance(cache[raw], CellError))
            return None
        if known_bad and not known_bad.isdisjoint(column_cells):
            return None
        return list(map(cache.__getitem__, column_cells)) if missing else values

    def _bad_cells(self, index: int) -> set[str]:
        """The cell texts of a column already known to be bad (they are in its cache)."""
        bad_list: list[set[str]] | None = getattr(self, "_bad_list", None)
        if bad_list is None:
            bad_list = [set() for _ in self.columns]
            self._bad_list = bad_list
        return bad_list[index]

    def _column_cells(self, rows: Sequence[tuple[int, Sequence[str]]],
                      column_cells: Sequence[str],
                      index: int, convert: Converter, column: Column, required: bool,
                      caches: list[dict[str, Any]], problems: list[list[Problem]]) -> list[Any]:
        default = self.defaults[index]
        result: list[Any] = []
        for row_index, raw in enumerate(column_cells):
            if not raw or raw.isspace():
                if required:
                    problems[row_index].append(Problem(self.source, rows[row_index][0],
                                                       column.name, "a value is required"))
                result.append(default)
                continue
            try:
                result.append(convert(raw))
            except CellError as error:
                problems[row_index].append(Problem(self.source, rows[row_index][0],
                                                   column.name, str(error)))
                result.append(default)
        return result

    def convert(self, number: int, row: Sequence[str]) -> tuple[list[Any], list[Problem]]:
        """The row's values in column order, and its problems (empty when the row is good)."""
        values = self.defaults.copy()
        problems: list[Problem] = []
        width = len(row)
        if width < self.width:
            row = [*row, *([""] * (self.width - width))]
        for index, position, convert, column, required in self.present:
            raw = row[position]
            if not raw or raw.isspace():
                if required:
                    problems.append(Problem(self.source, number, column.name,
                                            "a value is required"))
                continue
            try:
                values[index] = convert(raw)
            except CellError as error:
                problems.append(Problem(self.source, number, column.name, str(error)))
        if width > self.width and any(c.strip() for c in row[self.width:]):
            problems.append(Problem(self.source, number, f"column {self.width + 1}",
                                    "more cells than the header has columns"))
        return values, problems


def json_value(value: Any) -> Any:
    """A value as the change history stores it (dates ISO, decimals as text)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value
