"""The plan pages and API: who sees and changes what, the job, the chart, the words."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from ictmerge.consolidation import services
from ictmerge.consolidation.choices import RunStatus
from ictmerge.consolidation.explain import bound_in_words
from ictmerge.consolidation.models import Scenario
from ictmerge.core.jobs import run_job, run_queued
from ictmerge.core.models import Job
from ictmerge.reforms.counties import county_url


def _ui(county: Any, persona: str) -> Client:
    client = Client()
    client.force_login(county.world.users[persona])
    return client


def _api(county: Any, persona: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(county.world.users[persona])
    return client


def _computed(county: Any, **values: Any) -> Scenario:
    scenario = Scenario.objects.create(municipality=county.world.north, name=values.pop("name", "Base"),
                                       time_limit_s=Decimal("0.3"), is_chosen=True, **values)
    return services.run(scenario)


def _parameters(name: str = "Lean", **values: Any) -> dict[str, Any]:
    return {"name": name, "cpu_headroom_pct": 80, "ram_headroom_pct": 85, "failover_hosts": 1,
            "host_model": "", "any_external": "on", "horizon_years": 5,
            "electricity_eur_per_kwh": "0.2", "move_cost_per_host_eur": "400",
            "migration_cost_per_workload_eur": "300", "resilience_distance_km": 30,
            "time_limit_s": "0.3", "notes": "", **values}


@pytest.mark.django_db
def test_it_shows_the_plan_with_bound_in_words_chart_and_reasons(county: Any) -> None:
    """GIVEN a computed plan WHEN the viewer opens it THEN the page explains it, read-only."""
    scenario = _computed(county)
    page = _ui(county, "viewer").get(county_url("consolidation_county", county.world.north))
    html = page.content.decode()
    assert page.status_code == 200
    assert scenario.result is not None and scenario.servers_after is not None
    assert bound_in_words(scenario.result) in html
    assert "No plan can do with fewer" in html
    assert html.count("<rect") >= 3 * scenario.servers_after
    assert "closed" in html or "kept" in html
    assert 'name="action"' not in html  # a viewer gets no form


@pytest.mark.django_db
def test_it_hides_a_county_from_an_outsider(county: Any) -> None:
    """GIVEN the steward of New South's predecessor THEN New North's plan is not found."""
    scenario = _computed(county)
    url = county_url("consolidation_county", county.world.north)
    assert _ui(county, "outsider").get(url).status_code == 404
    assert _api(county, "outsider").get(f"/api/consolidation/scenarios/{scenario.pk}/result/").status_code == 404
    assert _api(county, "outsider").get(f"/api/consolidation/counties/{county.world.north.pk}/").status_code == 404
    rows = _api(county, "outsider").get("/api/consolidation/counties/").json()["counties"]
    assert "N" not in [r["code"] for r in rows]


@pytest.mark.django_db
def test_it_lets_the_lead_save_parameters_and_run_them_as_a_job(county: Any) -> None:
    """GIVEN the county lead WHEN parameters are saved THEN a job computes the scenario."""
    url = county_url("consolidation_county", county.world.north)
    response = _ui(county, "lead").post(url, {**_parameters(), "action": "run"})
    assert response.status_code == 302
    job = Job.objects.get()
    scenario = Scenario.objects.get(name="Lean")
    assert scenario.is_chosen and scenario.status == RunStatus.QUEUED
    assert run_job(job.pk).status == "succeeded"
    scenario.refresh_from_db()
    assert scenario.status == RunStatus.DONE and scenario.cpu_headroom_pct == 80


@pytest.mark.django_db
def test_it_refuses_bad_parameters_naming_the_field(county: Any) -> None:
    """GIVEN a headroom of 150 % THEN the form says which field and nothing is saved."""
    url = county_url("consolidation_county", county.world.north)
    response = _ui(county, "lead").post(url, {**_parameters(cpu_headroom_pct=150), "action": "run"})
    assert response.status_code == 400
    assert "cpu_headroom_pct" in response.context["form"].errors
    assert not Scenario.objects.exists() and not Job.objects.exists()


@pytest.mark.django_db
def test_it_compares_scenarios_and_chooses_one(county: Any) -> None:
    """GIVEN a second scenario saved from the page WHEN chosen THEN it is the chosen one."""
    first = _computed(county)
    url = county_url("consolidation_county", county.world.north)
    _ui(county, "lead").post(url, {**_parameters("Safe", failover_hosts=2), "action": "new",
                                   "scenario": first.pk})
    second = Scenario.objects.get(name="Safe")
    run_job(Job.objects.get().pk)
    page = _ui(county, "lead").get(url).content.decode()
    assert "Base" in page and "Safe" in page
    assert _ui(county, "lead").post(url, {"action": "choose", "scenario": second.pk}).status_code == 302
    assert Scenario.objects.get(is_chosen=True) == second


@pytest.mark.django_db
def test_it_forbids_the_viewer_and_the_steward_to_change_the_plan(county: Any) -> None:
    """GIVEN the viewer (reads the county) and A's steward (does not) THEN 403 and 404."""
    scenario = _computed(county)
    url = county_url("consolidation_county", county.world.north)
    assert _ui(county, "viewer").post(url, {"action": "choose", "scenario": scenario.pk}).status_code == 403
    assert _ui(county, "steward").post(url, {"action": "choose", "scenario": scenario.pk}).status_code == 404
    assert _api(county, "viewer").post(f"/api/consolidation/scenarios/{scenario.pk}/run/").status_code == 403


@pytest.mark.django_db
def test_the_api_lists_counties_runs_and_returns_the_result(county: Any) -> None:
    """GIVEN the lead WHEN the API runs a scenario THEN the result has the hosts, rooms and words."""
    scenario = Scenario.objects.create(municipality=county.world.north, name="Api",
                                       time_limit_s=Decimal("0.3"))
    client = _api(county, "lead")
    assert client.get(f"/api/consolidation/scenarios/{scenario.pk}/result/").status_code == 404
    queued = client.post(f"/api/consolidation/scenarios/{scenario.pk}/run/")
    assert queued.status_code == 202
    run_job(queued.json()["job"])
    result = client.get(f"/api/consolidation/scenarios/{scenario.pk}/result/").json()
    assert result["servers_before"] == 5 and len(result["hosts"]) == result["servers_after"]
    assert result["bound_in_words"] and all(r["reason"] for r in result["rooms"])
    assert client.post(f"/api/consolidation/scenarios/{scenario.pk}/choose/").json()["is_chosen"]
    rows = client.get("/api/consolidation/counties/").json()
    north = next(r for r in rows["counties"] if r["code"] == "N")
    assert north["servers_after"] == result["servers_after"] and rows["totals"]["counties"] == 1


@pytest.mark.django_db
def test_the_index_lists_counties_and_lets_an_admin_plan_them_all(county: Any) -> None:
    """GIVEN the admin WHEN "plan every county" is pressed THEN one job per county with servers
    plans it, and their parent sums them up."""
    page = _ui(county, "admin").get(reverse("consolidation_index"))
    assert "New North" in page.content.decode() and "New South" in page.content.decode()
    assert _ui(county, "lead").post(reverse("consolidation_index")).status_code == 403
    assert _ui(county, "admin").post(reverse("consolidation_index")).status_code == 302
    job = Job.objects.get(parent=None)
    assert [p.municipality for p in job.children.all()] == [county.world.north]  # South: none
    assert run_queued() == 1
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert job.result is not None
    assert job.result["totals"]["counties"] == 1 and job.result["failed"] == []
    assert Scenario.objects.get(municipality=county.world.north).status == RunStatus.DONE
