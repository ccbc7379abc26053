"""Governance alternatives, parameters with history, the recorded choice: service, UI, API, CLI."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from typer.testing import CliRunner

from ictmerge.cli import app
from ictmerge.core.history import history_for
from ictmerge.engine.planning.governance import GovernanceModel, parameter_basis
from ictmerge.planning.governance import (
    GovernanceError,
    assess_county,
    governance_inventory,
    set_parameter,
)
from ictmerge.planning.models import GovernanceChoice, GovernanceParameter
from ictmerge.reforms.counties import county_url


@pytest.mark.django_db
def test_it_builds_the_inventory_from_sites_devices_and_finance(north: Any) -> None:
    """GIVEN two predecessors with sites and computers WHEN assessed THEN users per site add up,
    the hub is the largest site and today's staff is the predecessors' sum."""
    inventory = governance_inventory(north.county)
    users = {s.name: s.users for s in inventory.sites}
    assert users == {"A town hall": 70, "A school": 30, "B town hall": 40}
    assert inventory.hub_site == "A town hall"
    assert inventory.current_support_fte == 3.0
    assert inventory.current_model is GovernanceModel.CENTRALISED
    assert inventory.information_systems == 2
    assert sum(s.servers for s in inventory.sites) == 1


@pytest.mark.django_db
def test_it_recommends_one_of_five_models_with_reasons_and_a_runner_up(north: Any) -> None:
    result = assess_county(north.county)
    rec = result.recommendation
    assert len(rec.alternatives) == 5
    assert rec.recommended != rec.runner_up
    best = min(rec.alternatives, key=lambda a: a.comparison_cost_eur)
    assert rec.recommended == best.model
    assert any(rec.recommended.value in reason for reason in rec.reasons)
    assert result.model_after == rec.recommended  # nothing chosen yet


@pytest.mark.django_db
def test_it_applies_the_county_parameter_and_records_its_history(north: Any) -> None:
    """GIVEN a county ratio of 20 users per FTE WHEN assessed THEN the central team grows."""
    before = assess_county(north.county).recommendation
    central = next(a for a in before.alternatives if a.model is GovernanceModel.CENTRALISED)
    record = set_parameter(north.county, "users_per_support_fte", Decimal(20), "our own ratio",
                           north.world.users["lead"])
    after = assess_county(north.county).recommendation
    central_after = next(a for a in after.alternatives if a.model is GovernanceModel.CENTRALISED)
    assert central_after.support_fte > central.support_fte
    assert after.parameters.users_per_support_fte == 20.0
    changes = list(history_for(record))
    assert changes and changes[0].user_name == "lead"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "value"), [("users_per_support_fte", 0),
                                             ("employer_contribution_rate", 1.5),
                                             ("appraisal_years", 2.5),
                                             ("no_such_parameter", 1)])
def test_it_rejects_a_bad_parameter_and_changes_nothing(north: Any, name: str,
                                                        value: float) -> None:
    with pytest.raises(GovernanceError, match=name):
        set_parameter(north.county, name, value, "", north.world.users["lead"])
    assert not GovernanceParameter.objects.exists()


@pytest.mark.django_db
def test_it_says_why_a_county_without_located_sites_cannot_be_assessed(world: Any) -> None:
    with pytest.raises(GovernanceError, match="no site with coordinates"):
        assess_county(world.south)


@pytest.mark.django_db
def test_the_page_shows_the_alternatives_and_every_parameter_source(north: Any) -> None:
    client = Client()
    client.force_login(north.world.users["viewer"])
    response = client.get(county_url("planning_governance", north.county))
    assert response.status_code == 200
    text = response.content.decode()
    assert "<svg" in text
    assert parameter_basis()["road_factor"] in text.replace("&#x27;", "'")
    assert "Record the choice" not in text  # a viewer cannot choose


@pytest.mark.django_db
def test_the_lead_chooses_on_the_page_and_the_choice_is_kept_with_the_recommendation(
        north: Any) -> None:
    client = Client()
    client.force_login(north.world.users["lead"])
    url = county_url("planning_governance", north.county)
    response = client.post(url, {"model": "shared_service", "reason": "neighbour offers it"})
    assert response.status_code == 302
    choice = GovernanceChoice.objects.get()
    assert choice.model == "shared_service"
    assert choice.recommended == assess_county(north.county).recommendation.recommended.value
    assert assess_county(north.county).model_after is GovernanceModel.SHARED_SERVICE


@pytest.mark.django_db
def test_the_page_sets_a_parameter_and_rejects_a_bad_one(north: Any) -> None:
    client = Client()
    client.force_login(north.world.users["lead"])
    url = county_url("planning_governance", north.county)
    bad = client.post(url, {"name": "users_per_support_fte", "value": "0", "source": ""})
    assert bad.status_code == 200 and "greater than zero" in bad.content.decode()
    assert not GovernanceParameter.objects.exists()
    good = client.post(url, {"name": "users_per_support_fte", "value": "80", "source": "x"})
    assert good.status_code == 302
    assert GovernanceParameter.objects.get().value == Decimal(80)


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "read", "write"), [("lead", 200, 201), ("viewer", 200, 403),
                                                        ("steward", 404, 404),
                                                        ("outsider", 404, 404),
                                                        ("auditor", 200, 403)])
def test_the_api_answers_by_scope(north: Any, persona: str, read: int, write: int) -> None:
    client = APIClient()
    client.force_authenticate(north.world.users[persona])
    url = reverse("api_planning_governance", args=[north.county.pk])
    response = client.get(url)
    assert response.status_code == read
    if read == 200:
        assert {a["model"] for a in response.json()["alternatives"]} == {
            "current", *(m.value for m in GovernanceModel)}
    choose = client.post(reverse("api_planning_governance_choice", args=[north.county.pk]),
                         {"model": "centralised", "reason": "r"}, format="json")
    assert choose.status_code == write
    assert GovernanceChoice.objects.count() == (1 if write == 201 else 0)


@pytest.mark.django_db
def test_the_cli_prints_json_sets_parameters_and_records_a_choice(north: Any) -> None:
    result = CliRunner().invoke(app, ["--as", "lead", "governance", "--county", "N",
                                      "--set", "devices_per_support_fte=120", "--source", "ours",
                                      "--choose", "outsourced", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["chosen"] == "outsourced" and data["governance_after"] == "outsourced"
    assert data["parameters"]["devices_per_support_fte"]["value"] == 120.0
    assert GovernanceParameter.objects.get().source == "ours"
    bad = CliRunner().invoke(app, ["governance", "--county", "NOPE"])
    assert bad.exit_code == 1 and "NOPE" in bad.output
