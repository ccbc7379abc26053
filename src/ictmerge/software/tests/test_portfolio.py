"""The software register and portfolio: counts, groups, recommendation, surfaces, provider."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.core.providers import AFTER_PROVIDERS
from ictmerge.reforms.counties import county_url, covered_ids
from ictmerge.software import portfolio, services
from ictmerge.software.tests.conftest import Register, install

pytestmark = pytest.mark.django_db
runner = CliRunner()


@pytest.fixture
def suites(register: Register) -> Register:
    """GIVEN on top of the register: A has LibreOffice on 3 machines and WinRAR on 2, B has
    7-Zip on 5 (already) and LibreOffice on 1; everything normalised."""
    world = register.world
    install(world.former_a, "LibreOffice 6.4.7.2", "The Document Foundation", "6.4.7.2", 3)
    install(world.former_a, "WinRAR 5.91 (64-bit)", "win.rar GmbH", "5.91.0", 2)
    install(world.former_b, "LibreOffice 7.1.2.2", "The Document Foundation", "7.1.2.2", 1)
    install(world.former_b, "Security Update for Microsoft Office 2016 (KB4484103)", "Microsoft Corporation")
    services.normalise_installations(covered_ids(world.north))
    return register


def test_it_counts_products_per_predecessor_and_merged(suites: Register) -> None:
    """GIVEN A (Office Pro Plus, unknown program, LibreOffice, WinRAR) and B (Visio Viewer, 7-Zip,
    Acrobat Pro, LibreOffice, an Office update) WHEN the portfolio of N is computed THEN
    products count versions together and leave components out; before sums each predecessor."""
    world = suites.world
    result = portfolio.portfolio(world.north)
    by_code = {r.municipality.code: r for r in result.registers}
    assert by_code[world.former_a.code].products == 4
    assert by_code[world.former_b.code].products == 4
    assert by_code[world.former_b.code].components == 1
    assert result.products_before == 8
    # LibreOffice is in both: 7 distinct products after the merger.
    assert result.products_after == 7
    libre = next(p for p in result.products if p.product == "LibreOffice")
    assert libre.installs == 4 and len(libre.records) == 2  # versions 6 and 7 together


def test_it_groups_products_of_one_function_and_keeps_the_most_installed(suites: Register) -> None:
    """GIVEN Office Pro Plus on 10 and LibreOffice on 4; 7-Zip on 5 and WinRAR on 2 WHEN grouped
    THEN office suites keep Office (4 to change) and archivers keep 7-Zip, whose dropping of the
    licensable WinRAR frees 2 licences and costs nothing more."""
    result = portfolio.portfolio(suites.world.north)
    groups = {g.code: g for g in result.groups}
    assert set(groups) == {"office_suite", "archiver"}
    office = groups["office_suite"]
    assert office.keep.product == "Office Professional Plus" and office.installs_to_change == 4
    assert office.licences_freed == 0 and office.extra_licences == 4
    assert office.extra_eur["expected"] > 0
    assert any("LibreOffice" in line and "free" in line for line in office.reasoning)
    archiver = groups["archiver"]
    assert archiver.keep.product == "7-Zip" and [p.product for p in archiver.drop] == ["WinRAR"]
    assert archiver.licences_freed == 2 and archiver.extra_licences == 0
    assert archiver.avoided_eur["expected"] > 0 == archiver.extra_eur["expected"]
    assert archiver.net_saving_eur["expected"] == archiver.avoided_eur["expected"]
    assert result.products_recommended == result.products_after - 2


def test_recommend_prefers_a_free_product_on_a_tie() -> None:
    """GIVEN a licensable and a free product installed equally often WHEN recommended THEN the free one."""
    paid = portfolio.ProductLine("win.rar", "WinRAR", "licensable", "device", "archiver", installs=3)
    free = portfolio.ProductLine("Igor Pavlov", "7-Zip", "free", "device", "archiver", installs=3)
    assert portfolio.recommend("archiver", [paid, free]).keep is free


def test_the_provider_gives_software_products_after_as_recommended(suites: Register) -> None:
    """GIVEN the normalised register of N WHEN the national provider runs THEN N's after figure is
    its product records less the dropped ones, marked recommended; S (one product) is unchanged."""
    world = suites.world
    assert portfolio.after_figures in AFTER_PROVIDERS
    assert world.south.pk not in portfolio.after_figures(world.reform)  # nothing normalised yet
    services.normalise_installations(covered_ids(world.south))
    figures = portfolio.after_figures(world.reform)
    result = portfolio.portfolio(world.north)
    assert figures[world.north.pk] == {"software_products_after": result.records_recommended,
                                       "software_products_after_basis": "recommended"}
    assert result.records_recommended == result.records_after - 3  # LibreOffice 6 and 7, WinRAR
    assert figures[world.south.pk]["software_products_after"] == 1


def test_the_page_shows_groups_and_chart_and_hides_other_counties(suites: Register) -> None:
    world = suites.world
    client = Client()
    client.force_login(world.users["lead"])
    page = client.get(county_url("software_portfolio", world.north))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="portfolio-chart"' in html and 'data-testid="group-archiver"' in html
    assert "7-Zip" in html and "WinRAR" in html
    assert client.get(county_url("software_portfolio", world.south)).status_code == 404
    outsider = Client()
    outsider.force_login(world.users["outsider"])
    assert outsider.get(county_url("software_portfolio", world.north)).status_code == 404


def test_the_api_answers_the_portfolio_in_scope(suites: Register) -> None:
    world = suites.world
    client = APIClient()
    client.force_authenticate(world.users["viewer"])
    data = client.get(reverse("api_software_portfolio", args=[world.north.pk])).json()
    assert data["products_after"] == 7 and data["products_before"] == 8
    assert {g["function"]: g["keep"]["product"] for g in data["groups"]} == {
        "office_suite": "Office Professional Plus", "archiver": "7-Zip"}
    assert client.get(reverse("api_software_portfolio", args=[world.south.pk])).status_code == 404


def test_the_cli_prints_the_portfolio(suites: Register) -> None:
    world = suites.world
    result = runner.invoke(app, ["software", "portfolio", "--county", world.north.code, "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    assert data["products_recommended"] == 5
    table = runner.invoke(app, ["software", "portfolio", "--county", world.north.code])
    assert table.exit_code == 0 and "7-Zip" in table.output and "recommended" in table.output
    missing = runner.invoke(app, ["software", "portfolio", "--county", "NOPE"])
    assert missing.exit_code != 0 and "NOPE" in missing.output
