"""Pure import helpers: no database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from ictmerge.engine.imports.identifiers import is_junk, normalise
from ictmerge.engine.imports.rows import Column, Kind, Problem, RowValidator
from ictmerge.engine.imports.text import TableError, neutralise, read_csv, unneutralise
from ictmerge.engine.imports.values import CellError, parse_bool, parse_date, parse_decimal


def test_it_reads_decimal_comma_and_thousands() -> None:
    assert parse_decimal("1 234,50") == Decimal("1234.50")
    assert parse_decimal("1,234.50") == Decimal("1234.50")
    assert parse_decimal("12,5") == Decimal("12.5")
    with pytest.raises(CellError):
        parse_decimal("twelve")


def test_it_reads_latvian_iso_and_us_dates() -> None:
    assert parse_date("01.07.2021") == dt.date(2021, 7, 1)
    assert parse_date("2021-07-01") == dt.date(2021, 7, 1)
    assert parse_date("7/1/2021", us=True) == dt.date(2021, 7, 1)
    with pytest.raises(CellError):
        parse_date("31.02.2021")


def test_it_reads_yes_and_no_in_latvian_too() -> None:
    assert parse_bool("jā") is True and parse_bool("nē") is False
    with pytest.raises(CellError):
        parse_bool("sometimes")


@pytest.mark.parametrize("data", [
    b"name;serial\r\nPC;1\r\n",
    "\ufeffname;serial\nPC;1\n".encode(),
    b"name,serial\rPC,1\r",
    "name;serial\nPČ;1\n".encode("cp1257"),
])
def test_it_reads_bom_cp1257_cr_lf_crlf_comma_and_semicolon(data: bytes) -> None:
    table = read_csv(data, "f.csv")
    assert table.header == ["name", "serial"]
    rows = list(table.rows)
    assert len(rows) == 1 and rows[0][0] == 2 and rows[0][1][1] == "1"


def test_it_rejects_duplicate_headers_naming_them() -> None:
    with pytest.raises(TableError, match="duplicate column headers: 'a' \\(columns 1 and 3\\)"):
        read_csv(b"a,b,a\n1,2,3\n", "f.csv")


def test_it_ignores_empty_unnamed_columns_but_not_filled_ones() -> None:
    table = read_csv(b"a,,b\n1,,2\n", "f.csv")
    assert table.header == ["a", "b"] and list(table.rows) == [(2, ["1", "2"])]
    table = read_csv(b"a,,b\n1,x,2\n", "f.csv")
    with pytest.raises(TableError, match="row 2, column 2: a value under a blank header"):
        list(table.rows)


def test_it_reports_every_bad_cell_of_a_row() -> None:
    columns = [Column("name", Kind.TEXT, "name", required=True, max_length=3, default=""),
               Column("cores", Kind.INT, "cores", minimum=Decimal(0)),
               Column("kind", Kind.CHOICE, "kind", choices=(("server", "Server"),))]
    validator = RowValidator(columns, ["name", "cores", "kind"], "f.csv")
    _values, problems = validator.convert(7, ["", "-1", "toaster"])
    assert [str(p) for p in problems] == [
        "f.csv, row 7, name: a value is required",
        "f.csv, row 7, cores: -1 is below the minimum 0",
        "f.csv, row 7, kind: 'toaster' is not one of server",
    ]


def test_it_names_unknown_and_missing_columns() -> None:
    columns = [Column("name", Kind.TEXT, "name", required=True)]
    validator = RowValidator(columns, ["nmae"], "f.csv")
    assert Problem("f.csv", 1, "name", "required column is missing") in validator.problems
    assert any(p.column == "nmae" and "unknown column" in p.message for p in validator.problems)


@pytest.mark.parametrize("kind,value", [
    ("serial", "To Be Filled By O.E.M."), ("serial", "System Serial Number"),
    ("serial", "Default string"), ("serial", "0"), ("serial", "None"),
    ("mac", "00:50:56:aa:bb:cc"), ("mac", "08:00:27:12:34:56"), ("mac", "00:00:00:00:00:00"),
    ("uuid", "03000200-0400-0500-0006-000700080009"),
])
def test_it_ignores_junk_identifiers(kind: str, value: str) -> None:
    assert is_junk(kind, value)


def test_it_normalises_real_identifiers() -> None:
    assert normalise("serial", " cz-c047 9792 ") == "CZC0479792"
    assert normalise("mac", "8c-60-4f-8d-ae-fc") == "8C:60:4F:8D:AE:FC"


@pytest.mark.parametrize("text", ["=1+1", "+3", "-2", "@SUM(A1)", "\tx"])
def test_it_neutralises_formula_cells_and_reads_them_back(text: str) -> None:
    assert neutralise(text).startswith("'")
    assert unneutralise(neutralise(text)) == text
    assert neutralise("plain") == "plain"
