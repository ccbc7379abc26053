"""The `ictmerge plan …` commands over the persona world."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.consolidation import services
from ictmerge.consolidation.models import Scenario
from ictmerge.core.history import history_for

runner = CliRunner()


@pytest.mark.django_db
def test_plan_run_county_prints_exactly_the_issue_keys(county: Any) -> None:
    """GIVEN New North WHEN `plan run --county N --format json` THEN one county with the agreed keys."""
    result = runner.invoke(app, ["--as", "lead", "plan", "run", "--county", "N", "--reform",
                                 "test-reform", "--format", "json", "--time-limit", "0.3"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"counties", "totals"}
    (row,) = data["counties"]
    assert tuple(row) == services.COUNTY_KEYS
    assert (row["code"], row["servers_before"], row["rooms_before"]) == ("N", 5, 3)
    assert row["lower_bound"] <= row["servers_after"]
    assert data["totals"]["servers_after"] == row["servers_after"]
    scenario = Scenario.objects.get()
    assert scenario.is_chosen and history_for(scenario).first().user_name == "lead"


@pytest.mark.django_db
def test_plan_run_all_plans_every_county_with_an_inventory_as_a_table(county: Any) -> None:
    """GIVEN North with servers and South without WHEN `plan run --all` THEN North is planned."""
    result = runner.invoke(app, ["plan", "run", "--all", "--reform", "test-reform",
                                 "--time-limit", "0.3"])
    assert result.exit_code == 0, result.output
    assert "North" in result.output and "South" not in result.output  # the table may wrap names
    assert "total" in result.output and Scenario.objects.get().municipality == county.world.north


@pytest.mark.django_db
def test_plan_run_needs_one_target_and_a_known_code(county: Any) -> None:
    """GIVEN no target, both targets, or an unknown code THEN an error names the option."""
    for args in ([], ["--all", "--county", "N"]):
        result = runner.invoke(app, ["plan", "run", "--reform", "test-reform", *args])
        assert result.exit_code == 1 and "--county CODE or --all" in result.output
    result = runner.invoke(app, ["plan", "run", "--reform", "test-reform", "--county", "ZZ"])
    assert result.exit_code == 1 and "--county: no new municipality with code 'ZZ'" in result.output
    assert not Scenario.objects.exists()


@pytest.mark.django_db
def test_plan_show_and_choose(county: Any) -> None:
    """GIVEN two computed scenarios WHEN one is chosen from the CLI THEN `plan show` shows it."""
    runner.invoke(app, ["plan", "run", "--county", "N", "--reform", "test-reform", "--time-limit", "0.3"])
    other = Scenario.objects.create(municipality=county.world.north, name="Other", failover_hosts=2)
    services.run(other)
    result = runner.invoke(app, ["plan", "choose", "--county", "N", "--scenario", "Nope",
                                 "--reform", "test-reform"])
    assert result.exit_code == 1 and "Default" in result.output
    result = runner.invoke(app, ["plan", "choose", "--county", "N", "--scenario", "Other",
                                 "--reform", "test-reform"])
    assert result.exit_code == 0, result.output
    shown = json.loads(runner.invoke(app, ["plan", "show", "--county", "N", "--reform",
                                           "test-reform", "--format", "json"]).output)
    assert shown["scenario"] == "Other" and shown["servers_after"] == other.servers_after
    table = runner.invoke(app, ["plan", "show", "--county", "N", "--reform", "test-reform"])
    assert table.exit_code == 0 and "No plan can do with fewer" in " ".join(table.output.split())


@pytest.mark.django_db
def test_plan_seed_catalogue_adds_the_shipped_entries_once(world: Any) -> None:
    """GIVEN an empty catalogue WHEN seeded twice THEN 3 + 2 entries, then none."""
    assert "3 added; hosting services: 2 added" in runner.invoke(
        app, ["plan", "seed-catalogue"]).output
    assert "0 added; hosting services: 0 added" in runner.invoke(
        app, ["plan", "seed-catalogue"]).output
