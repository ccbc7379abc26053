"""Every XLSX, CSV and iCalendar file the project writes, fed hostile user text.

Issue 19, finding 4: task titles such as `=HYPERLINK(...)` came out of the action-plan
workbook as live formulas, and a bare CR in a title started a new iCalendar property. Each
writer below gets text that a spreadsheet would run (OWASP CSV injection: a leading =, +,
-, @, tab or CR), control characters and line breaks; no cell may hold a formula or a
control character, and no calendar line may hold an unescaped break or control character.
A guard test keeps the list of writers complete.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.test import Client

from ictmerge.core.testing.factories import make_record
from ictmerge.core.testing.personas import World
from ictmerge.engine.imports.text import FORMULA_PREFIXES
from ictmerge.reforms.counties import county_url

HOSTILE = [
    '=HYPERLINK("http://x.example","y")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "Task\rX-INJECTED:1",
    "Task\nX-INJECTED:2",
    "Task\r\nX-INJECTED:3",
    "bell\x07 escape\x1b nul\x00 del\x7f",
    "semi;colon,comma\\backslash",
]
#: What a database row can hold: PostgreSQL text and JSON cannot hold NUL, and no input
#: path lets one in (forms and the API refuse it, the importer refuses a file with NUL).
STORABLE = [text.replace("\x00", "") for text in HOSTILE]
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SOURCE = Path(__file__).resolve().parents[1] / "src" / "ictmerge"

#: Every module that writes CSV, XLSX or iCalendar, and the test below that walks it.
WRITERS = {
    "core/exports.py": "test_it_neutralises_the_list_exports",
    "reports/workbooks.py": "test_it_neutralises_the_report_workbooks",
    "planning/exports.py": "test_it_neutralises_the_action_plan_workbook_and_calendar",
    "imports/services.py": "test_it_neutralises_the_rejected_rows",
    "engine/planning/staff.py": "test_it_neutralises_the_account_lists",
    "engine/software/csvio.py": "test_it_neutralises_the_normalised_titles",
    "engine/spreadsheets.py": "test_it_neutralises_the_list_exports",
    "reports/opendata.py": "test_it_neutralises_the_open_data_tables",
}


def assert_safe_csv(text: str) -> None:
    """No cell starts like a formula or holds a control character."""
    cells = [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")) for cell in row]
    assert cells
    assert [c for c in cells if c.startswith(FORMULA_PREFIXES)] == []
    assert [c for c in cells if CONTROL.search(c) or "\r" in c] == []


def assert_safe_xlsx(data: bytes) -> None:
    """No cell is a formula, starts like one or holds a control character."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert cells
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert [t for t in texts if t.startswith(FORMULA_PREFIXES)] == []
    assert [t for t in texts if CONTROL.search(t)] == []


def assert_safe_ics(text: str) -> None:
    """Lines end in CRLF only, unfold to NAME[;params]:value, and hold no control character."""
    assert text.endswith("\r\n")
    body = text.replace("\r\n", "")
    assert "\r" not in body and "\n" not in body
    lines = text.replace("\r\n ", "").split("\r\n")[:-1]
    for line in lines:
        assert re.match(r"^[A-Z][A-Z0-9-]*(;[^:]*)?:", line), line
        assert not re.search(r"[\x00-\x08\x0a-\x1f\x7f]", line), line
    assert not [line for line in lines if line.startswith("X-INJECTED")]


def _sample_rows() -> list[list[Any]]:
    return [[text, 1, dt.date(2021, 7, 1), None, True] for text in HOSTILE]


def test_it_neutralises_the_list_exports() -> None:
    """GIVEN hostile text in the header and rows WHEN a list is exported (CSV and XLSX, as
    every resource and import export is) THEN no formula and no control character."""
    from ictmerge.core.exports import csv_lines, xlsx_bytes

    header = ["=id", *HOSTILE[:4]]
    assert_safe_csv("".join(csv_lines(header, _sample_rows())))
    assert_safe_xlsx(xlsx_bytes(header, _sample_rows()))


@pytest.mark.django_db
def test_it_neutralises_the_report_workbooks() -> None:
    """GIVEN hostile text in a report table WHEN the workbook is written THEN no formula."""
    from openpyxl import Workbook

    from ictmerge.reports.workbooks import _sheet

    book = Workbook()
    _sheet(book, "=sheet", HOSTILE[:5], _sample_rows())
    out = io.BytesIO()
    book.save(out)
    assert_safe_xlsx(out.getvalue())


def test_it_neutralises_the_open_data_tables() -> None:
    """GIVEN municipality names that start like formulas WHEN an open-data table is written
    THEN no cell starts like a formula, and numbers keep their sign."""
    from types import SimpleNamespace

    from ictmerge.reports.opendata import _csv

    table = SimpleNamespace(columns=[SimpleNamespace(name="name"), SimpleNamespace(name="n")])
    text = _csv(table, [{"name": name, "n": 1} for name in STORABLE])  # type: ignore[arg-type]
    assert_safe_csv(text.decode("utf-8"))
    assert _csv(table, [{"name": "x", "n": -5}]).decode().splitlines()[1] == "x,-5"  # type: ignore[arg-type]


@pytest.mark.django_db
def test_it_neutralises_the_action_plan_workbook_and_calendar(world: World) -> None:
    """GIVEN tasks titled with formulas, bare CRs and control characters WHEN the county's
    action plan is downloaded as XLSX and iCalendar THEN no live formula, no injected
    calendar property and no control character."""
    from ictmerge.planning.models import Task

    for number, title in enumerate(STORABLE):
        make_record(Task, world.north, key=f"t{number}", title=title, origin=title[:100],
                    planned_start=dt.date(2021, 7, 1), planned_end=dt.date(2021, 7, 2))
    client = Client()
    client.force_login(world.users["lead"])
    workbook = client.get(county_url("planning_action_plan_export", world.north, "xlsx"))
    assert workbook.status_code == 200
    assert_safe_xlsx(workbook.content)
    calendar = client.get(county_url("planning_action_plan_export", world.north, "ics"))
    assert calendar.status_code == 200
    text = calendar.content.decode()
    assert_safe_ics(text)
    assert "SUMMARY:Task\\nX-INJECTED:1" in text.replace("\r\n ", "")
    assert "SUMMARY:semi\\;colon\\,comma\\\\backslash" in text.replace("\r\n ", "")


@pytest.mark.django_db
def test_it_neutralises_the_rejected_rows(world: World) -> None:
    """GIVEN an import run whose rejected rows carry hostile column names and cells WHEN
    its rejected.csv is written THEN no formula and no control character."""
    from ictmerge.imports.models import ImportRun
    from ictmerge.imports.services import rejected_rows_csv

    run = ImportRun.objects.create(import_type="sites", source="sites.csv", rejected_rows=[
        {"row": n + 2, "problems": text, "cells": {text: text, "name": text}}
        for n, text in enumerate(STORABLE)])
    assert_safe_csv(rejected_rows_csv(run))


def test_it_neutralises_the_account_lists() -> None:
    """GIVEN employees with hostile names and departments WHEN the user-list template and
    the account plan are written THEN no formula and no control character."""
    from ictmerge.engine.planning.staff import Employee, accounts_csv, plan_accounts, template_csv

    employees = [Employee("A", text, text, department=text, title=text, old_username=text,
                          old_email=text, employee_id=text) for text in HOSTILE]
    assert_safe_csv(template_csv(employees))
    assert_safe_csv(accounts_csv(plan_accounts(employees, "example.lv")))


def test_it_neutralises_the_normalised_titles() -> None:
    """GIVEN installed titles with hostile names WHEN the titles CSV is normalised THEN the
    written CSV holds no formula and no control character."""
    from ictmerge.engine.software.catalogue import load_catalogue
    from ictmerge.engine.software.csvio import normalise_csv
    from ictmerge.engine.software.normalise import Normaliser

    source = io.StringIO()
    writer = csv.writer(source)
    writer.writerow(["name", "publisher", "version", "=note"])
    for text in HOSTILE:
        writer.writerow([text, text, "1.0", text])
    target = io.StringIO()
    normalise_csv(io.StringIO(source.getvalue()), target, Normaliser(load_catalogue(), []))
    assert_safe_csv(target.getvalue())


def test_every_spreadsheet_and_calendar_writer_is_walked() -> None:
    """GIVEN the source WHEN a module writes CSV (csv.writer), XLSX (Workbook) or iCalendar
    THEN it is one of the writers the tests above walk (a new writer needs a test)."""
    writes = re.compile(r"csv\.writer\(|csv\.DictWriter\(|Workbook\(|BEGIN:VCALENDAR")
    found = {str(path.relative_to(SOURCE)) for path in SOURCE.rglob("*.py")
             if "tests" not in path.parts and writes.search(path.read_text())}
    assert found <= set(WRITERS), found - set(WRITERS)
    tests = {name for name in globals() if name.startswith("test_it_")}
    assert set(WRITERS.values()) <= tests
