"""One figure, one number: for every county, the cockpit, the county page, the national
view, the county and national documents (PDF and XLSX), the API and the CLI's JSON give the
figures of `reports.services.county_report`."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from typer.testing import CliRunner

from ictmerge.reforms.counties import County
from ictmerge.reports.documents import (
    county_document,
    county_document_context,
    governance_text,
    national_context,
    national_document,
)
from ictmerge.reports.tests.test_cockpit import as_text, cockpit_url, page_figures
from ictmerge.reports.tests.test_county_sections import _plan_everything
from ictmerge.reports.tests.test_documents import pdf_text

#: The four answers' figures, each a number of things before and after.
COUNTS = ("servers", "server_rooms", "information_systems", "software_products")
#: The cockpit's figures (the CLI contract's twelve).
CONTRACT = (*[f"{k}_{w}" for k in COUNTS for w in ("before", "after")], "governance_before",
            "governance_after", "one_off_eur", "annual_change_eur")


def _cli(code: str, reform: str) -> dict[str, Any]:
    from ictmerge.cli import app

    result = CliRunner().invoke(app, ["report", "county", code, "--format", "json",
                                      "--reform", reform])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def _national_row(html: str, code: str) -> dict[str, str]:
    row = re.search(rf'<tr data-code="{re.escape(code)}">(.*?)</tr>', html, re.S)
    assert row is not None, code
    return page_figures(row.group(1))


def _digits(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f]", "", text)


@pytest.mark.django_db
def test_it_gives_every_countys_figures_alike_on_every_surface(world: Any) -> None:
    """GIVEN North planned and South not WHEN each county's figures are read from the CLI, the
    API, the cockpit, the county page, the national page, the county PDF and XLSX and the
    national XLSX THEN every surface gives the CLI's number (or says it is not planned)."""
    _plan_everything(world)
    reform = world.reform.code
    admin = Client()
    admin.force_login(world.users["admin"])
    national_html = admin.get(reverse("national"), {"reform": reform}).content.decode()
    national_xlsx = load_workbook(io.BytesIO(national_document(world.reform, "xlsx", "en")))
    questions = national_xlsx["Four questions"]
    header = [c.value for c in questions[1]]
    by_code = {row[0]: dict(zip(header, row, strict=True))
               for row in questions.iter_rows(min_row=2, values_only=True)}
    with translation.override("en"):
        national = {q["code"]: q for q in national_context(world.reform)["questions"]}
    for county in (world.north, world.south):
        cli = _cli(county.code, reform)
        api = admin.get(reverse("api_county_report", args=[county.code]),
                        {"reform": reform}).json()
        assert api == cli, county.code
        cockpit = page_figures(admin.get(cockpit_url(county)).content.decode())
        county_page = page_figures(admin.get(reverse("county", args=[reform, county.code]))
                                   .content.decode())
        national_row = _national_row(national_html, county.code)
        for key in CONTRACT:
            assert cockpit.get(key, "") == as_text(cli[key]), (county.code, "cockpit", key)
        for key in CONTRACT[:-2]:
            assert county_page[key] == as_text(cli[key]), (county.code, "county page", key)
        for key in (*[f"{k}_{w}" for k in COUNTS for w in ("before", "after")],
                    "governance_after"):
            assert national_row[key] == as_text(cli[key]), (county.code, "national", key)
        with translation.override("en"):
            indicators = {i["key"]: i for i in
                          county_document_context(county)["indicators"]}
            governance = governance_text(cli["governance_after"], cli["governance_after_chosen"])
            governance_before = governance_text(cli["governance_before"], True)
        for key in COUNTS:
            assert indicators[key]["before"] == cli[f"{key}_before"], (county.code, key)
            assert indicators[key]["after"] == cli[f"{key}_after"], (county.code, key)
            assert national[county.code]["before"][key] == cli[f"{key}_before"]
            assert national[county.code]["after"][key] == cli[f"{key}_after"]
            assert by_code[county.code][f"{key}_before"] == cli[f"{key}_before"]
            after_cell = by_code[county.code][f"{key}_after"]
            assert after_cell == (cli[f"{key}_after"] if cli[f"{key}_after"] is not None
                                  else "not yet planned"), (county.code, "national xlsx", key)
        assert indicators["governance"]["after"] == governance
        assert (indicators["governance"]["before"] is None) == (cli["governance_before"] is None)
        if governance_before is not None:  # the name without the "(chosen)" mark
            assert governance_before.startswith(f"{indicators['governance']['before']} (")
        for key in ("one_off_eur", "annual_change_eur"):
            assert indicators[key]["after"] == cli[key], (county.code, key)
        workbook = load_workbook(io.BytesIO(county_document(county, "xlsx", "en")))
        sheet = {row[0]: row for row in workbook["Before and after"].iter_rows(
            min_row=2, values_only=True)}
        for key in (*COUNTS, "one_off_eur", "annual_change_eur"):
            after = cli[f"{key}_after"] if key in COUNTS else cli[key]
            assert sheet[key][3] == (after if after is not None else "not yet planned"), (
                county.code, "county xlsx", key)
        text = _digits(pdf_text(county_document(county, "pdf", "en"))).replace(",", "")
        if cli["one_off_eur"] is not None:
            assert f"{round(cli['one_off_eur'])}EUR" in text, (county.code, "county pdf")
    assert County.of(world.north).code == "N"
