"""Validation of a reform's succession table: pure, so every entry path shares it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

SHARE_TOLERANCE = Decimal("0.001")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file: where it is and what is wrong."""

    row: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "file"
        return f"{where}, {self.field}: {self.message}"


@dataclass(frozen=True)
class UnitRow:
    """A municipality as the file names it."""

    code: str
    name: str
    kind: str = ""
    population: int | None = None
    date: dt.date | None = None  # valid_to for a former unit, valid_from for a new one


@dataclass(frozen=True)
class SuccessionRow:
    """One parsed line of a succession file."""

    row: int
    former: UnitRow
    new: UnitRow | None
    part: str = "whole"
    share: Decimal = Decimal(1)
    share_basis: str = ""
    note: str = ""


@dataclass
class ParsedReform:
    """The rows that parsed and the problems found."""

    rows: list[SuccessionRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


REQUIRED_COLUMNS = ("former_code", "former_name", "new_code", "new_name")
OPTIONAL_COLUMNS = (
    "former_kind", "former_population", "former_valid_to", "new_kind", "new_population",
    "new_valid_from", "part", "share", "share_basis", "note",
)


def _parse_int(value: str, row: int, name: str, problems: list[Problem]) -> int | None:
    if not value.strip():
        return None
    try:
        number = int(value.replace(" ", "").replace(",", ""))
    except ValueError:
        problems.append(Problem(row, name, f"'{value}' is not a whole number"))
        return None
    if number < 0:
        problems.append(Problem(row, name, "must not be negative"))
    return number


def _parse_date(value: str, row: int, name: str, problems: list[Problem]) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        problems.append(Problem(row, name, f"'{value}' is not a date (YYYY-MM-DD)"))
        return None


def parse_rows(header: list[str], records: list[dict[str, str]], first_row: int = 2) -> ParsedReform:
    """Parse a succession table (header plus dict rows); rows are numbered as in the file."""
    result = ParsedReform()
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    for column in missing:
        result.problems.append(Problem(1, column, "required column is missing"))
    if missing:
        return result
    for offset, record in enumerate(records):
        number = first_row + offset
        get = {k: (v or "").strip() for k, v in record.items() if k is not None}
        problems = result.problems
        if not get.get("former_code"):
            problems.append(Problem(number, "former_code", "is empty"))
            continue
        share_text = get.get("share", "") or "1"
        try:
            share = Decimal(share_text.replace(",", "."))
        except InvalidOperation:
            problems.append(Problem(number, "share", f"'{share_text}' is not a number"))
            share = Decimal(1)
        if not Decimal(0) < share <= Decimal(1):
            problems.append(Problem(number, "share", f"{share} is not in (0, 1]"))
        former = UnitRow(
            code=get["former_code"],
            name=get.get("former_name", ""),
            kind=get.get("former_kind", ""),
            population=_parse_int(get.get("former_population", ""), number, "former_population",
                                  problems),
            date=_parse_date(get.get("former_valid_to", ""), number, "former_valid_to", problems),
        )
        new = None
        if get.get("new_code"):
            new = UnitRow(
                code=get["new_code"],
                name=get.get("new_name", ""),
                kind=get.get("new_kind", ""),
                population=_parse_int(get.get("new_population", ""), number, "new_population",
                                      problems),
                date=_parse_date(get.get("new_valid_from", ""), number, "new_valid_from",
                                 problems),
            )
        result.rows.append(
            SuccessionRow(
                row=number, former=former, new=new, part=get.get("part", "") or "whole",
                share=share, share_basis=get.get("share_basis", ""), note=get.get("note", ""),
            )
        )
    return result


def validate(rows: list[SuccessionRow], effective_date: dt.date | None) -> list[Problem]:
    """Every problem of a parsed succession table, each named by row and field."""
    problems: list[Problem] = []
    former_names: dict[str, tuple[str, int]] = {}
    new_names: dict[str, tuple[str, int]] = {}
    shares: dict[str, list[SuccessionRow]] = defaultdict(list)
    pairs: dict[tuple[str, str], int] = {}
    for row in rows:
        _check_unique_code(row.former, row.row, "former_code", former_names, problems)
        if row.new is None:
            problems.append(Problem(row.row, "new_code",
                                    f"former municipality {row.former.code} "
                                    f"({row.former.name}) has no successor"))
            continue
        _check_unique_code(row.new, row.row, "new_code", new_names, problems)
        pair = (row.former.code, row.new.code)
        if pair in pairs:
            problems.append(Problem(row.row, "new_code",
                                    f"{pair[0]} → {pair[1]} repeats row {pairs[pair]}"))
        pairs[pair] = row.row
        shares[row.former.code].append(row)
        problems += _date_problems(row, effective_date)
    for code, parts in shares.items():
        total = sum((p.share for p in parts), Decimal(0))
        if abs(total - Decimal(1)) > SHARE_TOLERANCE:
            listed = ", ".join(str(p.row) for p in parts)
            problems.append(Problem(parts[0].row, "share",
                                    f"shares of {code} sum to {total.normalize()}, not 1 "
                                    f"(rows {listed})"))
    problems += _cycle_problems(rows)
    return sorted(problems, key=lambda p: (p.row or 0, p.field))


def _check_unique_code(unit: UnitRow, row: int, column: str,
                       seen: dict[str, tuple[str, int]], problems: list[Problem]) -> None:
    previous = seen.get(unit.code)
    if previous is not None and previous[0] != unit.name:
        problems.append(Problem(row, column,
                                f"code {unit.code} is used for '{unit.name}' here and for "
                                f"'{previous[0]}' in row {previous[1]}"))
    elif previous is None:
        seen[unit.code] = (unit.name, row)


def _date_problems(row: SuccessionRow, effective_date: dt.date | None) -> list[Problem]:
    problems = []
    assert row.new is not None
    if row.former.date and row.new.date and row.former.date >= row.new.date:
        problems.append(Problem(row.row, "former_valid_to",
                                f"{row.former.date} is not before the successor's start "
                                f"{row.new.date}"))
    if effective_date and row.former.date and row.former.date >= effective_date:
        problems.append(Problem(row.row, "former_valid_to",
                                f"{row.former.date} is not before the reform's effective date "
                                f"{effective_date}"))
    if effective_date and row.new.date and row.new.date < effective_date:
        problems.append(Problem(row.row, "new_valid_from",
                                f"{row.new.date} is before the reform's effective date "
                                f"{effective_date}"))
    return problems


def _cycle_problems(rows: list[SuccessionRow]) -> list[Problem]:
    """A unit that is (through a chain) its own successor."""
    edges: dict[str, set[str]] = defaultdict(set)
    first_row: dict[tuple[str, str], int] = {}
    for row in rows:
        if row.new is not None:
            edges[row.former.code].add(row.new.code)
            first_row.setdefault((row.former.code, row.new.code), row.row)
    problems = []
    reported: set[frozenset[str]] = set()
    for start in sorted(edges):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for successor in sorted(edges.get(node, ())):
                # A unit kept unchanged under its own code is not a cycle.
                if successor == start and len(path) > 1:
                    members = frozenset(path)
                    if members not in reported:
                        reported.add(members)
                        chain = " → ".join([*path, start])
                        problems.append(Problem(first_row[(path[-1], start)], "new_code",
                                                f"succession cycle {chain}"))
                elif successor != start and successor not in path and len(path) < 50:
                    stack.append((successor, [*path, successor]))
    return problems
