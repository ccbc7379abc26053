"""Dates in the county plan's tables are short: DD.MM.YYYY in Latvian, ISO in English."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from openpyxl import load_workbook

from ictmerge.core.documents import table_cell
from ictmerge.reports.documents import county_document, county_document_context
from ictmerge.reports.tests.test_gantt_marker import scheduled_county

pytestmark = pytest.mark.django_db

SHORT = {"lv": ("04.01.2021", "06.07.2021"), "en": ("2021-01-04", "2021-07-06")}


def _tables_html(county: Any, lang: str) -> str:
    with translation.override(lang):
        html = render_to_string("reports/county_document.html", county_document_context(county))
    return "".join(part.split("</table>")[0] for part in html.split('<table class="table">')[1:])


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_it_prints_the_task_dates_short_in_the_pdf_tables(world: Any, lang: str) -> None:
    """GIVEN a schedule from 4 January to 6 July 2021 WHEN the plan is printed THEN its tables
    show the dates in the language's short format, never the long Latvian one."""
    tables = _tables_html(scheduled_county(world), lang)
    start, end = SHORT[lang]
    assert f"<td>{start}</td>" in tables and f"<td>{end}</td>" in tables
    assert "gada" not in tables and "janvāris" not in tables and "January" not in tables


def test_it_keeps_other_cells_and_formats_times_short() -> None:
    with translation.override("lv"):
        assert table_cell(dt.datetime(2021, 1, 28, 9, 5)) == "28.01.2021 09:05"
        assert table_cell(dt.date(2021, 1, 28)) == "28.01.2021"
        assert table_cell(7) == 7 and table_cell("teksts") == "teksts" and table_cell(None) is None
    with translation.override("en"):
        assert table_cell(dt.date(2021, 1, 28)) == "2021-01-28"


@pytest.mark.parametrize(("lang", "number_format"), [("lv", "dd.mm.yyyy"),
                                                      ("en", "yyyy-mm-dd")])
def test_the_workbook_keeps_dates_as_dates_in_the_short_format(world: Any, lang: str,
                                                                number_format: str) -> None:
    county = scheduled_county(world)
    workbook = load_workbook(io.BytesIO(county_document(county, "xlsx", lang)))
    with translation.override(lang):
        from django.utils.translation import gettext

        sheet = workbook[gettext("All tasks")[:31]]
    header = [c.value for c in sheet[1]]
    with translation.override(lang):
        start = header.index(gettext("Start"))
    cells = [row[start] for row in sheet.iter_rows(min_row=2)]
    assert [c.value.date() for c in cells if isinstance(c.value, dt.datetime)] == [
        dt.date(2021, 1, 4), dt.date(2021, 3, 1)]
    assert {c.number_format for c in cells} == {number_format}
