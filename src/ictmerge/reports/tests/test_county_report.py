"""`ictmerge report county CODE --format json` and its API: the cockpit's figures, each the
national view's (before, after) or the budget of record's (one-off, annual change)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from typer.testing import CliRunner

from ictmerge.planning.governance import current_support
from ictmerge.planning.services import budget_summaries
from ictmerge.reforms.counties import County
from ictmerge.reports.services import national_report
from ictmerge.reports.tests.test_county_sections import Planned, _plan_everything

#: The contract's keys and the national view's row key each one equals.
FROM_NATIONAL_ROW = {
    "servers_before": "servers", "servers_after": "servers_after",
    "server_rooms_before": "server_rooms", "server_rooms_after": "server_rooms_after",
    "information_systems_before": "information_systems",
    "information_systems_after": "information_systems_after",
    "software_products_before": "software_products",
    "software_products_after": "software_products_after",
    "governance_after": "governance_after",
}
#: The contract's keys and the budget summary's key each one equals.
FROM_BUDGET = {"one_off_eur": "one_off_cost_eur", "annual_change_eur": "annual_cost_change_eur"}


@pytest.fixture
def planned(world: Any) -> Planned:
    return _plan_everything(world)


def _cli_json(code: str) -> dict[str, Any]:
    from ictmerge.cli import app

    result = CliRunner().invoke(app, ["report", "county", code, "--format", "json",
                                      "--reform", "test-reform"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


@pytest.mark.django_db
def test_it_gives_the_national_rows_and_the_budget_figures_per_county(world: Any,
                                                                       planned: Planned) -> None:
    """GIVEN North planned and South not WHEN each county's JSON is asked of the CLI THEN
    every contract key equals the national view's row or the budget summary, null unplanned."""
    rows: dict[str, dict[str, Any]] = {
        row["code"]: dict(row) for row in national_report(world.reform)["new"]}
    budgets: dict[int, dict[str, Any]] = {
        pk: dict(figures) for pk, figures in budget_summaries([world.north, world.south]).items()}
    for county in (world.north, world.south):
        data = _cli_json(county.code)
        row = rows[county.code]
        for key, national_key in FROM_NATIONAL_ROW.items():
            assert data[key] == row[national_key], key
        for key, budget_key in FROM_BUDGET.items():
            assert data[key] == budgets.get(county.pk, {}).get(budget_key), key
        before = current_support(County.of(county).ids).model
        assert data["governance_before"] == (before.value if before else None)
    north = _cli_json("N")
    # Everything but the software portfolio, which the fixture does not plan, is planned.
    assert [key for key in (*FROM_NATIONAL_ROW, *FROM_BUDGET)
            if north[key] is None] == ["software_products_after"]
    assert north["servers_after"] == rows["N"]["after"]["servers_after"]
    south = _cli_json("S")
    for key in ("servers_after", "server_rooms_after", "one_off_eur", "annual_change_eur"):
        assert south[key] is None, key  # no plan: null, never 0


@pytest.mark.django_db
def test_it_answers_the_same_figures_from_the_api_within_the_users_scope(
        world: Any, planned: Planned) -> None:
    """GIVEN North planned WHEN its lead asks the county report API THEN it answers what the
    CLI gives, and 404 for a county outside the lead's scope."""
    client = Client()
    client.force_login(world.users["lead"])
    answer = client.get(reverse("api_county_report", args=["N"]), {"reform": "test-reform"})
    assert answer.status_code == 200
    assert answer.json() == _cli_json("N")
    assert client.get(reverse("api_county_report", args=["S"]),
                      {"reform": "test-reform"}).status_code == 404
