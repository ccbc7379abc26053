"""The national optimisation's surfaces: the job, the page in both languages, the API, the CLI."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.consolidation import national
from ictmerge.consolidation.jobs import start_national
from ictmerge.core.choices import JobStatus
from ictmerge.core.jobs import run_job

KEYS = ["scenario", "rooms_after", "hosts_after", "annual_cost_eur", "separate_plans_annual_cost_eur",
        "saving_eur", "lower_bound_eur", "gap", "counties"]


def _computed(county: Any, scenarios: list[str] | None = None) -> Any:
    job = start_national(county.world.users["admin"], county.world.reform, scenarios)
    return run_job(job.pk)


@pytest.mark.django_db
def test_it_runs_the_national_scenarios_as_a_job_with_bound_and_gap(county: Any) -> None:
    """GIVEN a county's inventory WHEN the national job runs every scenario THEN each has a plan no dearer than the separate plans, above its bound."""
    job = _computed(county)
    assert job.status == JobStatus.SUCCEEDED, job.error
    results = national.latest_results(county.world.reform)["results"]
    assert [r["scenario"] for r in results] == list(national.SCENARIOS)
    for r in results:
        assert r["lower_bound_eur"] <= r["annual_cost_eur"] <= r["separate_plans_annual_cost_eur"]
        assert 0 <= r["gap"] <= 1
        assert [c["name"] for c in r["counties"]] == [county.world.north.name]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "words"), [("en", "National optimisation"), ("lv", "Nacionālā optimizācija")])
def test_it_shows_the_scenarios_and_the_map_in_both_languages(county: Any, language: str, words: str) -> None:
    """GIVEN computed national scenarios WHEN the auditor opens the page in a language THEN the table and the map are there in it, map numbers unlocalised."""
    _computed(county, ["own_rooms", "regional_hubs"])
    client = Client()
    client.force_login(county.world.users["auditor"])
    client.cookies["django_language"] = language
    page = client.get(reverse("consolidation_national"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert words in page
    svg = re.search(r"<svg class=\"chart national-map\".*?</svg>", page, re.S)
    assert svg is not None
    assert not re.search(r"=\"-?\d+,\d", svg.group(0))  # no decimal comma inside the drawing
    assert "<title id=\"map-title\">" in svg.group(0)
    assert page.count("?scenario=") == 2


@pytest.mark.django_db
def test_it_keeps_the_national_plan_for_those_who_see_every_county(county: Any) -> None:
    """GIVEN personas WHEN they open the national page, API or run it THEN only whole-country readers see it and only an administrator runs it."""
    for persona, seen in (("auditor", 200), ("lead", 403), ("viewer", 403)):
        client = Client()
        client.force_login(county.world.users[persona])
        assert client.get(reverse("consolidation_national")).status_code == seen
        api = APIClient()
        api.force_authenticate(county.world.users[persona])
        assert api.get(reverse("api_consolidation_national")).status_code == seen
    auditor = APIClient()
    auditor.force_authenticate(county.world.users["auditor"])
    assert auditor.post(reverse("api_consolidation_national_run"), {}, format="json").status_code == 403
    admin = APIClient()
    admin.force_authenticate(county.world.users["admin"])
    assert admin.post(reverse("api_consolidation_national_run"), {"scenario": "nope"},
                      format="json").status_code == 400
    answer = admin.post(reverse("api_consolidation_national_run"), {"scenario": "own_rooms"}, format="json")
    assert answer.status_code == 202
    run_job(answer.json()["job"])
    data = admin.get(reverse("api_consolidation_national")).json()
    assert [r["scenario"] for r in data["results"]] == ["own_rooms"]
    assert data["scenarios"] == list(national.SCENARIOS)


@pytest.mark.django_db
def test_it_answers_plan_national_with_the_agreed_keys(county: Any) -> None:
    """GIVEN a county WHEN `plan national --scenario own_rooms --format json` THEN exactly the issue's keys, and a table without --format."""
    result = CliRunner().invoke(app, ["plan", "national", "--scenario", "own_rooms", "--format", "json",
                                      "--time-limit", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == KEYS
    assert data["annual_cost_eur"] <= data["separate_plans_annual_cost_eur"]
    table = CliRunner().invoke(app, ["plan", "national", "--scenario", "regional_hubs", "--time-limit", "2"])
    assert table.exit_code == 0, table.output
    assert "regional_hubs" in table.stdout
    wrong = CliRunner().invoke(app, ["plan", "national", "--scenario", "nope"])
    assert wrong.exit_code != 0


def test_it_draws_the_map_with_labels_that_never_overlap() -> None:
    """GIVEN many shared rooms and hubs close together WHEN the map is drawn THEN every mark is inside it and no two labels overlap."""
    from ictmerge.consolidation.charts import LABEL_CHAR_PX, LABEL_HEIGHT, national_map

    centres = [{"code": f"C{k}", "name": f"County {k}", "latitude": 56.0 + k * 0.05, "longitude": 21.0 + k * 0.1}
               for k in range(40)]
    places = [{"id": f"R{k}", "name": f"Shared room number {k}", "kind": "room" if k % 5 else "hub", "owner": "",
               "latitude": 56.5 + (k % 4) * 0.01, "longitude": 24.0 + k * 0.02, "kept": True, "hosts": k,
               "rack_units": 2, "counties": ["C1", "C2"]} for k in range(30)]
    places.append({"id": "C1/ext-state-dc", "name": "State data centre", "kind": "service", "owner": "C1",
                   "latitude": 56.95, "longitude": 24.1, "kept": True, "hosts": 3, "rack_units": 2,
                   "counties": ["C1"]})
    flows = [{"county": f"C{k}", "place": f"R{k % 30}", "hosts": 2} for k in range(40)]
    drawn = national_map({"centres": centres, "places": places, "flows": flows}, {})
    boxes = []
    for m in drawn["marks"]:
        assert 0 <= m["x"] <= drawn["width"] and 0 <= m["y"] <= drawn["height"]
        if m["label"]:
            boxes.append((m["label_x"], m["y"] - LABEL_HEIGHT / 2, m["label_x"] + LABEL_CHAR_PX * len(m["label"]),
                          m["y"] + LABEL_HEIGHT / 2))
    assert boxes and any(not m["label"] for m in drawn["marks"])
    for k, a in enumerate(boxes):
        for b in boxes[k + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    assert len(drawn["flows"]) == 40 and {m["kind"] for m in drawn["marks"]} == {"room", "hub", "state_dc"}
