"""End to end on the Latvian demo: `plan run --all` plans all 40 surveyed new municipalities."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.consolidation import services
from ictmerge.consolidation.models import ExternalRoomEntry, Scenario
from ictmerge.reports.services import national_report


@pytest.fixture(scope="module")
def planned(django_db_setup: Any, django_db_blocker: Any) -> Iterator[tuple[Any, dict[str, Any]]]:
    """The seed-1 demo, loaded once, planned once through the CLI, rolled back after the module."""
    from ictmerge.inventory.demo import load_demo
    from ictmerge.reforms.services import load_bundled

    with django_db_blocker.unblock(), transaction.atomic():
        reform = load_bundled("lv-2021")
        load_demo("lv-2021", seed=1)
        result = CliRunner().invoke(app, ["plan", "run", "--all", "--reform", "lv-2021",
                                          "--format", "json", "--time-limit", "0.2"])
        assert result.exit_code == 0, result.output
        yield reform, json.loads(result.output)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_it_plans_all_40_new_municipalities_with_the_agreed_keys(planned: Any) -> None:
    """GIVEN the demo WHEN `plan run --all --format json` THEN 40 counties, each with exactly the
    issue's keys, and totals that add up to the published 630 servers and 164 rooms."""
    _reform, data = planned
    assert set(data) == {"counties", "totals"}
    counties = data["counties"]
    assert len(counties) == 40 == len({c["code"] for c in counties})
    assert all(tuple(c) == services.COUNTY_KEYS for c in counties)
    totals = data["totals"]
    assert (totals["servers_before"], totals["rooms_before"]) == (630, 164)
    assert totals["servers_after"] == sum(c["servers_after"] for c in counties)
    assert totals["servers_after"] < totals["servers_before"]
    assert totals["rooms_after"] < totals["rooms_before"]
    for c in counties:
        assert 0 <= c["lower_bound"] <= c["servers_after"], c
        assert c["proven_optimal"] == (c["lower_bound"] == c["servers_after"]), c
        assert (c["own_rooms_before"], c["own_rooms_after"]) == (c["rooms_before"], c["rooms_after"])
        assert c["rooms_after"] >= 1 or c["external_services"], c


@pytest.mark.django_db
def test_it_answers_the_national_views_question_marks(planned: Any) -> None:
    """GIVEN the plans THEN every surveyed new municipality has servers and rooms "after"."""
    reform, data = planned
    rows = {r["code"]: r for r in national_report(reform)["new"]}
    for county in data["counties"]:
        row = rows[county["code"]]
        assert (row["servers_after"], row["server_rooms_after"]) == (
            county["servers_after"], county["rooms_after"])
        assert row["servers"] == county["servers_before"]
        assert row["server_rooms"] == county["rooms_before"]
    unplanned = [code for code, row in rows.items() if row["servers_after"] is None]
    assert len(unplanned) == len(rows) - 40  # Rīga and Jūrmala were not surveyed


@pytest.mark.django_db
def test_every_stored_plan_is_labelled_as_demo_and_holds_its_rules(planned: Any) -> None:
    """GIVEN the stored results THEN each is labelled demo, places every workload once, and no host
    is over the headroom."""
    for scenario in Scenario.objects.filter(municipality__reform__code="lv-2021"):
        result = scenario.result
        assert result is not None
        assert scenario.is_demo and result["is_demo"]
        placed = [a["workload"] for a in result["assignment"]]
        assert len(placed) == len(set(placed)) == result["workloads"]
        for host in [] if result["kept_estate"] else result["hosts"]:  # today's estate is as it is
            assert host["cpu_pct"] <= scenario.cpu_headroom_pct + 0.1, (scenario, host)
            assert host["ram_pct"] <= scenario.ram_headroom_pct + 0.1, (scenario, host)


def _result(scenario: Scenario) -> dict[str, Any]:
    """A stored result, which a completed run always has."""
    assert scenario.result is not None
    return dict(scenario.result)


@pytest.mark.django_db
def test_it_grows_no_county_at_todays_service_level_and_buys_no_host_at_a_service(planned: Any) -> None:
    """GIVEN the demo planned at today's service level (the default) WHEN read back THEN no county's
    servers or own rooms go up, no reason is needed, no host stands at a hosting service, and the
    services' fees are the plan's "external services" line."""
    _reform, data = planned
    services_ = {s.code for s in ExternalRoomEntry.objects.all()}
    for c in data["counties"]:
        assert c["service_level"] == "today", c
        assert c["servers_after"] <= c["servers_before"], c
        assert c["own_rooms_after"] <= c["own_rooms_before"], c
        assert c["reasons"] == [], c
    for scenario in Scenario.objects.filter(municipality__reform__code="lv-2021"):
        result = _result(scenario)
        assert not any(h["room"] in services_ for h in result["hosts"])
        assert not any(r["is_external"] for r in result["rooms"])
        assert result["money"]["annual_after_lines"]["external services"] == pytest.approx(
            sum(s["annual_eur"] for s in result["external_services"]), abs=0.05)
        today, policy = result["levels"]["today"], result["levels"]["policy"]
        assert result["uplift"]["annual_eur"] == pytest.approx(
            policy["money"]["annual_after_eur"] - today["money"]["annual_after_eur"], abs=0.05)


@pytest.mark.django_db
def test_every_county_whose_policy_plan_grows_names_the_rule(planned: Any) -> None:
    """GIVEN both levels of every county WHEN the policy has more servers or own rooms than before
    THEN it names the rule (a known code), and its page shows the rule in words."""
    from django.test import Client

    from ictmerge.consolidation.reasons import reason_text
    from ictmerge.reforms.counties import county_url

    grown = 0
    for scenario in Scenario.objects.filter(municipality__reform__code="lv-2021"):
        policy = _result(scenario)["levels"]["policy"]
        up = (policy["servers_after"] > policy["servers_before"]
              or policy["own_rooms_after"] > policy["own_rooms_before"])
        assert bool(policy["reasons"]) == up, (scenario, policy)
        for reason in policy["reasons"]:
            assert reason_text(reason) != reason["code"], reason  # a known code, rendered
        grown += up
        if up and grown == 1:
            client = Client()
            client.force_login(_administrator())
            page = client.get(county_url("consolidation_county", scenario.municipality))
            assert reason_text(policy["reasons"][0]) in page.content.decode()


def _administrator() -> Any:
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="hosting-admin", defaults={
        "is_superuser": True, "is_staff": True})
    return user


@pytest.mark.django_db
def test_it_plans_every_national_scenario_within_five_minutes_never_above_the_separate_plans(
        planned: Any) -> None:
    """GIVEN the demo WHEN every national scenario is solved THEN each finishes within 5 minutes
    (its share of reading and packing included) with its bound and gap, no dearer than the
    separate plans' sum under the same rules."""
    from ictmerge.consolidation import national

    reform, _data = planned
    answers = national.compute_national(reform, list(national.SCENARIOS))
    assert [a["scenario"] for a in answers] == list(national.SCENARIOS)
    for a in answers:
        assert a["elapsed_s"] < 300, a["scenario"]
        assert a["lower_bound_eur"] <= a["annual_cost_eur"] <= a["separate_plans_annual_cost_eur"], a["scenario"]
        assert 0 <= a["gap"] <= 1
        assert a["saving_eur"] == pytest.approx(a["separate_plans_annual_cost_eur"] - a["annual_cost_eur"], abs=0.01)
        assert len(a["counties"]) == 40
        # The counties' shares are priced in cents, the solver's objective in whole euros per item.
        assert sum(c["annual_separate_eur"] for c in a["counties"]) == pytest.approx(
            a["separate_plans_annual_cost_eur"], rel=1e-4)
        assert sum(c["annual_eur"] for c in a["counties"]) == pytest.approx(a["annual_cost_eur"], rel=1e-4)
        assert a["rooms_after"] <= a["rooms_before"] == 164
