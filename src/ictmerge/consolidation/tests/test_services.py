"""Scenarios: running, storing, choosing, staleness, history, and the national view's "after"."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from ictmerge.consolidation import services
from ictmerge.consolidation.choices import RunStatus
from ictmerge.consolidation.models import ExternalRoomEntry, HostModelEntry, Scenario
from ictmerge.core.choices import ChangeAction
from ictmerge.core.history import history_for
from ictmerge.reports.services import national_report

FAST = Decimal("0.3")


def _scenario(county: Any, **values: Any) -> Scenario:
    scenario = Scenario(municipality=county.world.north, name=values.pop("name", "Base"),
                        time_limit_s=FAST, **values)
    scenario.full_clean()
    scenario.save()
    return scenario


@pytest.mark.django_db
def test_it_runs_a_scenario_and_stores_a_checkable_result(county: Any) -> None:
    """GIVEN New North's inventory WHEN its scenario runs THEN the result is stored with its bound."""
    scenario = services.run(_scenario(county))
    scenario.refresh_from_db()
    result = scenario.result
    assert result is not None and scenario.lower_bound is not None
    assert scenario.servers_after is not None
    assert scenario.status == RunStatus.DONE and scenario.servers_before == 5 and scenario.rooms_before == 3
    assert scenario.lower_bound <= scenario.servers_after == len(result["hosts"])
    assert scenario.servers_after <= result["ffd_hosts"]
    assigned = [a["workload"] for a in result["assignment"]]
    assert len(assigned) == len(set(assigned)) == result["workloads"] == 9  # 7 VMs, a3 and b2 whole
    assert scenario.rooms_after is not None
    assert sum(r["kept"] for r in result["rooms"]) == scenario.rooms_after >= 1
    assert all(r["reason"] for r in result["rooms"])
    assert not any(re.search(r"\bR\d+\b", r["reason"]) for r in result["rooms"])  # names, not ids
    assert scenario.run_parameters == services.parameters_of(scenario) and not scenario.is_stale
    assert history_for(scenario).filter(action=ChangeAction.UPDATE).exists()


@pytest.mark.django_db
def test_it_keeps_high_availability_dcs_in_rooms_far_apart(county: Any) -> None:
    """GIVEN A's two DCs of high availability THEN the plan puts them in different rooms."""
    result = services.run(_scenario(county)).result
    assert result is not None
    rooms = {a["workload"]: a["room"] for a in result["assignment"]}
    dc1, dc2 = (f"W{county.workloads[k].pk}" for k in ("dc1", "dc2"))
    assert rooms[dc1] != rooms[dc2]
    assert not any("km apart" in r for r in result["relaxations"])


@pytest.mark.django_db
def test_it_says_when_parameters_changed_since_the_result(county: Any) -> None:
    """GIVEN a computed scenario WHEN its headroom changes THEN it is stale until run again."""
    scenario = services.run(_scenario(county))
    scenario.cpu_headroom_pct = 50
    scenario.save()
    assert scenario.is_stale
    assert not services.run(scenario).is_stale


@pytest.mark.django_db
def test_it_honours_the_host_model_and_external_options(county: Any) -> None:
    """GIVEN a scenario with the 16-core model and no external room THEN the plan uses exactly those."""
    services.seed_catalogues()
    small = HostModelEntry.objects.order_by("cores").first()
    result = services.run(_scenario(county, host_model=small, any_external=False)).result
    assert result is not None and small is not None
    assert result["host_model"] == small.name
    assert not any(r["is_external"] for r in result["rooms"])


@pytest.mark.django_db
def test_it_refuses_unknown_options_an_old_municipality_and_two_chosen(county: Any) -> None:
    """GIVEN bad parameters THEN the scenario is refused with the field named."""
    services.seed_catalogues()
    with pytest.raises(ValidationError) as error:
        _scenario(county, any_external=False, allowed_external=["ext-state-dc", "nowhere"])
    assert "nowhere" in str(error.value.message_dict["allowed_external"])
    bad = Scenario(municipality=county.world.former_a, name="x")
    with pytest.raises(ValidationError) as error:
        bad.full_clean()
    assert "municipality" in error.value.message_dict
    _scenario(county, name="One", is_chosen=True)
    with pytest.raises(ValidationError) as error:
        _scenario(county, name="Two", is_chosen=True)
    assert "is_chosen" in error.value.message_dict


@pytest.mark.django_db
def test_it_chooses_one_scenario_per_municipality(county: Any) -> None:
    """GIVEN two scenarios WHEN the second is chosen THEN it alone is chosen, both changes in history."""
    first = _scenario(county, name="One", is_chosen=True)
    second = _scenario(county, name="Two")
    services.choose(second)
    first.refresh_from_db()
    assert not first.is_chosen and Scenario.objects.get(is_chosen=True) == second
    assert history_for(first).filter(action=ChangeAction.UPDATE).exists()


@pytest.mark.django_db
def test_it_fills_the_national_after_columns_from_the_chosen_plan(county: Any) -> None:
    """GIVEN two computed scenarios of New North WHEN one is chosen THEN the national view shows it."""
    lean = services.run(_scenario(county, name="Lean", cpu_headroom_pct=90, ram_headroom_pct=90))
    safe = services.run(_scenario(county, name="Safe", failover_hosts=3))
    assert safe.servers_after != lean.servers_after
    services.choose(lean)
    row = next(c for c in national_report(county.world.reform)["new"] if c["code"] == "N")
    assert (row["servers_after"], row["server_rooms_after"]) == (lean.servers_after, lean.rooms_after)
    south = next(c for c in national_report(county.world.reform)["new"] if c["code"] == "S")
    assert south["servers_after"] is None


@pytest.mark.django_db
def test_it_records_a_failed_run_with_its_reason(world: Any) -> None:
    """GIVEN a county without servers or rooms WHEN run THEN the scenario says why it failed."""
    scenario = Scenario.objects.create(municipality=world.south, name="Empty")
    with pytest.raises(services.ConsolidationError):
        services.run(scenario)
    scenario.refresh_from_db()
    assert scenario.status == RunStatus.FAILED and "no predecessor" in scenario.error


@pytest.mark.django_db
def test_it_seeds_the_catalogues_once_and_keeps_edits(world: Any) -> None:
    """GIVEN the shipped catalogues WHEN seeded twice after an edit THEN nothing is duplicated or undone."""
    first = services.seed_catalogues()
    assert first.host_models == 3 and first.external_rooms == 2
    entry = ExternalRoomEntry.objects.get(code="ext-state-dc")
    entry.eur_per_vcpu_month = Decimal(1)
    entry.save()
    assert services.seed_catalogues() == services.SeedResult(0, 0)
    assert ExternalRoomEntry.objects.get(code="ext-state-dc").eur_per_vcpu_month == Decimal(1)
    assert history_for(entry).count() == 2
